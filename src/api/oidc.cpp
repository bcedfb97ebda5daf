// Login with OpenID Connect (HelseID), the authorization code flow with PKCE:
//
//   GET /auth/oidc/login?return_to=/path  → 302 to the identity provider
//   GET /auth/oidc/callback?code=&state=  → the session cookie, and a page
//                                            that forwards to return_to
//
// The login's state is also bound to the browser that started it, in a
// short-lived cookie (SameSite=Lax, so that the browser sends it on the
// provider's top-level redirect back): a callback link made in another
// browser cannot log this one in (login CSRF). The session cookie is the
// one POST /api/v1/session sets; it is SameSite=Strict, which browsers
// withhold on a redirect chain that began at another site (the provider),
// so the callback answers with a small page that forwards to return_to
// itself: a navigation from our own page, which carries the cookie.
#include "api/routes.hpp"
#include "service/use_cases.hpp"

namespace samflyt::api {

namespace {

constexpr const char* kStateCookie = "samflyt_oidc_state";

std::string state_cookie(const service::Context& ctx, const std::string& value, bool clear) {
  std::string c =
      std::string(kStateCookie) + "=" + value + "; Path=/auth/oidc; HttpOnly; SameSite=Lax";
  if (ctx.auth.secure_cookies) c += "; Secure";
  c += clear ? std::string("; Max-Age=0")
             : "; Max-Age=" + std::to_string(service::kOidcLoginLifetime.count());
  return c;
}

std::string query_value(const http::Request& req, const std::string& name) {
  auto it = req.query.find(name);
  return it == req.query.end() ? std::string() : it->second;
}

// A page that moves on to `location` at once (also without JavaScript).
http::Response forward(const std::string& location) {
  auto url = http::html_escape(location);
  http::Response r;
  r.header("Content-Type", "text/html; charset=utf-8").header("Cache-Control", "no-store");
  r.body =
      "<!doctype html><html lang=\"nb\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"refresh\" content=\"0;url=" +
      url +
      "\">"
      "<title>Samflyt</title></head><body><p><a href=\"" +
      url + "\">Fortsett / Continue</a></p></body></html>";
  return r;
}

http::Response redirect(int status, std::string location) {
  http::Response r;
  r.status = status;
  r.header("Location", std::move(location)).header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void add_oidc_routes(http::Router& router, service::Context& ctx) {
  router.add("GET", "/auth/oidc/login", [&ctx](const http::Request& req) {
    auto started = service::begin_oidc_login(ctx, query_value(req, "return_to"));
    if (!started) return problem(started.error(), req);
    return redirect(302, started->authorization_url)
        .header("Set-Cookie", state_cookie(ctx, started->state, false));
  });

  router.add("GET", "/auth/oidc/callback", [&ctx](const http::Request& req) {
    service::OidcCallback callback{query_value(req, "state"), query_value(req, "code"),
                                   query_value(req, "error")};
    const std::string clear_state = state_cookie(ctx, "", true);
    if (ctx.identity_provider && !callback.state.empty() &&
        !same_secret(cookie(req, kStateCookie), callback.state))
      return problem(make_error(ErrorCode::forbidden,
                                "This login was not started in this browser, or the browser "
                                "did not keep its cookie. Start the login again.",
                                "Denne innloggingen ble ikke startet i denne nettleseren, eller "
                                "nettleseren tok ikke vare på informasjonskapselen. Start "
                                "innloggingen på nytt."),
                     req)
          .header("Set-Cookie", clear_state);
    auto finished =
        service::finish_oidc_login(ctx, callback, cookie(req, kSessionCookie), req.request_id);
    if (!finished) return problem(finished.error(), req).header("Set-Cookie", clear_state);
    return forward(finished->return_to)
        .header("Set-Cookie", session_cookie(ctx, finished->login.session_secret, false))
        .header("Set-Cookie", clear_state);
  });
}

}  // namespace samflyt::api
