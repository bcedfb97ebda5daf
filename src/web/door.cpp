#include "api/auth.hpp"
#include "api/problem.hpp"
#include "web/internal.hpp"

namespace samflyt::web {

namespace {

bool changes_state(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool is_form(const http::Request& req) {
  auto type = req.header("content-type");
  return type && type->substr(0, 33) == "application/x-www-form-urlencoded";
}

http::Response unauthenticated(const http::Request& req) {
  if (req.method == "GET" || req.method == "HEAD") {
    std::string target = req.path;
    if (target == "/") return redirect("/login");
    return redirect("/login?return_to=" + url_encode(target));
  }
  auto r = bare_error_page(401, "nb");
  r.header("WWW-Authenticate", "Bearer realm=\"samflyt\"");
  return r;
}

}  // namespace

http::Handler page(Web& web, PageHandler handler) {
  return [&web, handler = std::move(handler)](const http::Request& req) {
    service::Context& ctx = web.ctx;
    auto who = api::authenticate(ctx, req);
    if (!who) {
      if (who.error().code == ErrorCode::unauthenticated) return unauthenticated(req);
      return bare_error_page(api::http_status(who.error().code), "nb");
    }
    std::map<std::string, std::string> form;
    if (is_form(req)) form = http::parse_query(req.body);
    if (who->via_session && changes_state(req.method)) {
      std::string given(req.header("x-csrf-token").value_or(""));
      if (given.empty()) {
        auto it = form.find("csrf_token");
        if (it != form.end()) given = it->second;
      }
      if (!api::same_secret(given, who->csrf_token)) return bare_error_page(403, "nb");
    }
    Page p{req, who->caller, "nb", who->csrf_token, std::move(form)};
    if (auto lang = service::user_language(ctx, who->caller)) p.lang = *lang;
    // As in api::authenticated: the page leaves only once the audit rows
    // of what it shows are durable.
    auto response = api::answer_after_audit(ctx, who->caller, [&] { return handler(p); });
    response.header("Cache-Control", "no-store");
    return response;
  };
}

}  // namespace samflyt::web
