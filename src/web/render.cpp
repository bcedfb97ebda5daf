#include <cstdio>
#include <memory>
#include <mutex>

#include "api/problem.hpp"
#include "web/embedded.hpp"
#include "web/internal.hpp"

namespace samflyt::web {

namespace {

using Mustache = kainjow::mustache::mustache;

std::string_view template_text(const std::string& name) {
  for (const auto& f : embedded_templates())
    if (f.name == name) return f.text;
  throw std::logic_error("no template " + name);
}

// kainjow's render() is not const, so each thread keeps its own parsed
// copies.
Mustache& template_of(const std::string& name) {
  thread_local std::map<std::string, std::unique_ptr<Mustache>> parsed;
  auto& slot = parsed[name];
  if (!slot) {
    slot = std::make_unique<Mustache>(std::string(template_text(name)));
    if (!slot->is_valid())
      throw std::logic_error("template " + name + ": " + slot->error_message());
  }
  return *slot;
}

Data partial_of(const std::string& name) {
  return Data(kainjow::mustache::partial([name] { return std::string(template_text(name)); }));
}

// Partials are parsed again wherever they are used: only for small ones
// used once per page. Lists of cards are rendered with render_in.
void add_partials(Data& d) {
  for (const char* name : {"flash_notice"}) d.set(name, partial_of(name));
}

// {"t": every UI string of the language}, built once: the bottom of every
// rendering's context, so that the strings are never copied.
const Data& lang_base(std::string_view lang) {
  static const auto build = [](std::string_view l) {
    Data d;
    d.set("t", strings_data(l));
    return d;
  };
  static const Data nb = build("nb");
  static const Data en = build("en");
  return lang == "en" ? en : nb;
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

struct StaticFile {
  std::string name;       // "app.css"
  std::string versioned;  // "app.0123456789abcdef.css"
  std::string_view text;
  std::string content_type;
};

const std::vector<StaticFile>& static_files() {
  static const std::vector<StaticFile> files = [] {
    std::vector<StaticFile> out;
    for (const auto& f : embedded_static()) {
      StaticFile s;
      s.name = std::string(f.name);
      char hash[17];
      std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(f.text)));
      auto dot = s.name.find('.');
      s.versioned = s.name.substr(0, dot) + "." + std::string(hash, 12) + s.name.substr(dot);
      s.text = f.text;
      if (s.name.ends_with(".css"))
        s.content_type = "text/css; charset=utf-8";
      else if (s.name.ends_with(".js"))
        s.content_type = "text/javascript; charset=utf-8";
      else
        s.content_type = "image/svg+xml";
      out.push_back(std::move(s));
    }
    return out;
  }();
  return files;
}

Data layout_data(const std::string& lang, const std::string& title) {
  Data d;
  d.set("lang", lang);
  d.set("title", title);
  d.set("css", static_url("app.css"));
  d.set("htmx", static_url("htmx.min.js"));
  d.set("favicon", static_url("favicon.svg"));
  return d;
}

}  // namespace

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string render_template(const std::string& name, const Data& data) {
  return template_of(name).render(data);
}

std::string render_in(std::string_view lang, const std::string& name,
                      std::initializer_list<const Data*> layers) {
  kainjow::mustache::context<std::string> ctx(&lang_base(lang));
  for (const Data* d : layers) ctx.push(d);
  return template_of(name).render(ctx);
}

http::Response render_page(const Page& p, const std::string& name, const std::string& title,
                           Data data, int status) {
  data.set("lang", p.lang);
  data.set("csrf_token", p.csrf_token);
  add_partials(data);
  std::string body = render_in(p.lang, name, {&data});
  Data layout = layout_data(p.lang, title);
  layout.set("body", body);
  layout.set("logged_in", true);
  layout.set("user_name", p.caller.principal.display_name);
  layout.set("csrf_token", p.csrf_token);
  layout.set("is_staff", p.caller.principal.kind == core::AccountKind::staff);
  layout.set("other_lang", p.lang == "nb" ? "en" : "nb");
  layout.set("other_lang_name", p.lang == "nb" ? "English" : "Norsk (bokmål)");
  layout.set("return_to", p.request.path);
  http::Response r;
  r.status = status;
  r.body = render_in(p.lang, "layout", {&layout});
  r.header("Content-Type", "text/html; charset=utf-8");
  r.header("Content-Language", p.lang);
  return r;
}

namespace {
http::Response error_response(int status, const std::string& lang, const std::string& detail,
                              const Page* p) {
  std::string key = "error_" + std::to_string(status);
  if (!has_text(key + "_title")) key = "error_500";
  Data d;
  d.set("status", std::to_string(status));
  d.set("heading", text(lang, key + "_title"));
  d.set("explanation", text(lang, key + "_text"));
  set_opt(d, "detail", detail);
  d.set("show_login", status == 401);
  if (!p && lang == "nb") {  // no user, so no language chosen: both
    set_opt(d, "other_heading", text("en", key + "_title"));
    d.set("other_explanation", text("en", key + "_text"));
  }
  if (p) return render_page(*p, "error", text(lang, key + "_title"), d, status);
  std::string body = render_in(lang, "error", {&d});
  Data layout = layout_data(lang, text(lang, key + "_title"));
  layout.set("body", body);
  layout.set("logged_in", false);
  http::Response r;
  r.status = status;
  r.body = render_in(lang, "layout", {&layout});
  r.header("Content-Type", "text/html; charset=utf-8");
  r.header("Content-Language", lang);
  r.header("Cache-Control", "no-store");
  if (status == 503) r.header("Retry-After", "1");
  return r;
}
}  // namespace

http::Response error_page(const Page& p, const Error& e) {
  int status = api::http_status(e.code);
  // Not found and forbidden say no more than that: no data, not even the
  // rule's reason for someone without access.
  std::string detail;
  if (e.code == ErrorCode::invalid_input || e.code == ErrorCode::conflict ||
      e.code == ErrorCode::too_many_requests)
    detail = message_of(e, p.lang);
  return error_response(status, p.lang, detail, &p);
}

http::Response bare_error_page(int status, const std::string& lang) {
  return error_response(status, lang, "", nullptr);
}

http::Response redirect(const std::string& location) {
  http::Response r;
  r.status = 303;
  r.header("Location", location);
  r.header("Cache-Control", "no-store");
  return r;
}

const std::string& static_url(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> urls = [] {
    std::map<std::string, std::string, std::less<>> m;
    for (const auto& f : static_files()) m[f.name] = "/static/" + f.versioned;
    return m;
  }();
  auto it = urls.find(name);
  if (it == urls.end()) throw std::logic_error("no static file " + std::string(name));
  return it->second;
}

void add_static_routes(http::Router& router) {
  // Versioned names never change content: cached for a year. The plain
  // names are for people and tools that do not know the hash.
  router.add("GET", "/static/{file}", [](const http::Request& req) {
    auto file = req.param("file");
    for (const auto& f : static_files()) {
      bool versioned = f.versioned == file;
      if (!versioned && f.name != file) continue;
      http::Response r;
      r.body = std::string(f.text);
      r.header("Content-Type", f.content_type);
      r.header("Cache-Control",
               versioned ? "public, max-age=31536000, immutable" : "public, max-age=300");
      r.header("X-Content-Type-Options", "nosniff");
      return r;
    }
    return bare_error_page(404, "nb");
  });
}

std::string format_day(std::optional<core::Instant> t) {
  if (!t) return "";
  auto d = core::oslo_date(*t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u.%02u.%04d", static_cast<unsigned>(d.day()),
                static_cast<unsigned>(d.month()), static_cast<int>(d.year()));
  return buf;
}

std::string format_birth_date(const core::Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u.%02u.%04d", static_cast<unsigned>(d.day()),
                static_cast<unsigned>(d.month()), static_cast<int>(d.year()));
  return buf;
}

std::string format_time(core::Instant t) {
  auto d = core::oslo_date(t);
  auto since = std::chrono::duration_cast<std::chrono::minutes>(t - core::oslo_start_of_day(d));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d", format_day(t).c_str(),
                static_cast<int>(since.count() / 60), static_cast<int>(since.count() % 60));
  return buf;
}

std::map<std::string, core::Organisation> organisations_by_id(service::Context& ctx) {
  std::map<std::string, core::Organisation> out;
  if (auto list = service::list_organisations(ctx))
    for (auto& o : *list) out.emplace(o.id, std::move(o));
  return out;
}

Data organisation_options(const std::map<std::string, core::Organisation>& orgs, core::OrgKind kind,
                          const std::string& selected) {
  Data list{Data::type::list};
  std::vector<const core::Organisation*> sorted;
  for (const auto& [id, o] : orgs)
    if (o.kind == kind) sorted.push_back(&o);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
  for (const auto* o : sorted) {
    Data d;
    d.set("id", o->id);
    d.set("name", o->name);
    d.set("selected", o->id == selected);
    list.push_back(d);
  }
  return list;
}

}  // namespace samflyt::web
