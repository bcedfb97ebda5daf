// Login (local password; a button to OpenID Connect when configured),
#include "api/problem.hpp"
// logout and the language switch.
#include "api/auth.hpp"
#include "web/internal.hpp"

namespace samflyt::web {

namespace {

http::Response login_page(Web& web, const std::string& lang, const std::string& return_to,
                          const std::string& username, const std::string& error, int status) {
  Data d;
  d.set("t", strings_data(lang));
  d.set("lang", lang);
  d.set("return_to", return_to);
  d.set("return_to_encoded", url_encode(return_to));
  d.set("username", username);
  set_opt(d, "error", error);
  d.set("oidc", web.options.oidc_enabled);
  d.set("other_lang", lang == "nb" ? "en" : "nb");
  d.set("other_lang_name", lang == "nb" ? "English" : "Norsk (bokmål)");
  Data layout;
  layout.set("t", strings_data(lang));
  layout.set("lang", lang);
  layout.set("title", text(lang, "login_title"));
  layout.set("css", static_url("app.css"));
  layout.set("htmx", static_url("htmx.min.js"));
  layout.set("favicon", static_url("favicon.svg"));
  layout.set("logged_in", false);
  layout.set("body", render_template("login", d));
  http::Response r;
  r.status = status;
  r.body = render_template("layout", layout);
  r.header("Content-Type", "text/html; charset=utf-8");
  r.header("Content-Language", lang);
  r.header("Cache-Control", "no-store");
  return r;
}

std::string lang_of(const std::map<std::string, std::string>& q) {
  auto it = q.find("lang");
  return it != q.end() && it->second == "en" ? "en" : "nb";
}

}  // namespace

void add_login_routes(http::Router& router, Web& web) {
  router.add("GET", "/login", [&web](const http::Request& req) {
    auto it = req.query.find("return_to");
    std::string return_to =
        service::safe_return_to(it == req.query.end() ? std::string("/") : it->second);
    return login_page(web, lang_of(req.query), return_to, "", "", 200);
  });

  router.add("POST", "/login", [&web](const http::Request& req) {
    auto form = http::parse_query(req.body);
    std::string lang = lang_of(form);
    std::string return_to = service::safe_return_to(form["return_to"]);
    if (api::from_another_site(req))
      return login_page(web, lang, return_to, "", message_of(api::login_from_another_site(), lang),
                        403);
    auto result = service::login(web.ctx, form["username"], form["password"],
                                 api::cookie(req, api::kSessionCookie), req.request_id);
    if (!result) {
      int status = api::http_status(result.error().code);
      std::string error = result.error().code == ErrorCode::unauthenticated
                              ? text(lang, "login_failed")
                              : message_of(result.error(), lang);
      return login_page(web, lang, return_to, form["username"], error, status);
    }
    return redirect(return_to).header("Set-Cookie",
                                      api::session_cookie(web.ctx, result->session_secret, false));
  });

  router.add(
      "POST", "/logout", page(web, [&web](Page& p) {
        auto secret = api::cookie(p.request, api::kSessionCookie);
        if (secret.empty())
          return error_page(p, make_error(ErrorCode::invalid_input, "There is no session to end.",
                                          "Det er ingen økt å avslutte."));
        if (auto r = service::logout(web.ctx, secret, p.caller); !r)
          return error_page(p, r.error());
        return redirect("/login").header("Set-Cookie", api::session_cookie(web.ctx, "", true));
      }));

  router.add("POST", "/language", page(web, [&web](Page& p) {
               if (auto r = service::set_user_language(web.ctx, p.caller, p.field("language")); !r)
                 return error_page(p, r.error());
               return redirect(service::safe_return_to(p.field("return_to")));
             }));
}

}  // namespace samflyt::web
