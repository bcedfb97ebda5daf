#include "api/auth.hpp"

#include "api/json_io.hpp"
#include "api/representations.hpp"
#include "api/routes.hpp"
#include "service/use_cases.hpp"

namespace samflyt::api {

namespace {

bool changes_state(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

void write_me(JsonWriter& w, const core::Principal& p, const std::string& username,
              const std::string& csrf_token) {
  w.begin_object()
      .field("csrf_token", csrf_token)
      .key("user")
      .begin_object()
      .field("display_name", p.display_name)
      .field("id", p.user_id)
      .field("kind", core::to_string(p.kind))
      .key("roles")
      .begin_array();
  for (const auto& g : p.grants)
    w.begin_object().field("organisation_id", g.organisation_id).field("role", g.role).end_object();
  w.end_array();
  if (!p.staff_id.empty()) w.field("staff_id", p.staff_id);
  if (!username.empty()) w.field("username", username);
  w.end_object().end_object();
}

}  // namespace

bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string session_cookie(const service::Context& ctx, const std::string& value, bool clear) {
  std::string c = std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (ctx.auth.secure_cookies) c += "; Secure";
  if (clear) c += "; Max-Age=0";
  return c;
}

std::string cookie(const http::Request& request, std::string_view name) {
  auto header = request.header("cookie");
  if (!header) return {};
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto end = rest.find(';');
    auto pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name)
      return std::string(pair.substr(eq + 1));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return {};
}

bool from_another_site(const http::Request& request) {
  // Fetch metadata: every current browser sends it, and a reverse proxy
  // leaves it alone (unlike Host, which it may rewrite).
  auto site = request.header("sec-fetch-site");
  return site && (*site == "cross-site" || *site == "same-site");
}

Error login_from_another_site() {
  return make_error(ErrorCode::forbidden, "A login must come from Samflyt's own login page.",
                    "Innlogging må komme fra Samflyts egen innloggingsside.");
}

Result<service::Authenticated> authenticate(service::Context& ctx, const http::Request& req) {
  if (auto authz = req.header("authorization")) {
    std::string_view v = *authz;
    if (v.size() > 7 && (v.substr(0, 7) == "Bearer " || v.substr(0, 7) == "bearer "))
      return service::authenticate_token(ctx, std::string(v.substr(7)), req.request_id);
    return make_error(ErrorCode::unauthenticated, "Use an Authorization: Bearer token.",
                      "Bruk en Authorization: Bearer-token.");
  }
  return service::authenticate_session(ctx, cookie(req, kSessionCookie), req.request_id);
}

http::Response answer_after_audit(service::Context& ctx, service::Caller& caller,
                                  const std::function<http::Response()>& handle) {
  // The audit rows of the reads are committed together with those of
  // other requests (AuditWriter) while this thread serves the next one;
  // the answer leaves only once they are durable.
  std::vector<service::AuditEntry> audit_rows;
  caller.deferred_audit = &audit_rows;
  http::Response response;
  try {
    response = handle();
  } catch (...) {
    // The rows of what was read before the failure are still written.
    ctx.audit.record_async(std::move(audit_rows), [](const Result<void>&) {});
    caller.deferred_audit = nullptr;
    throw;
  }
  caller.deferred_audit = nullptr;
  if (!audit_rows.empty())
    response.hold_until = [&ctx, rows = std::move(audit_rows)](
                              std::function<void(bool)> release) mutable {
      ctx.audit.record_async(
          std::move(rows),
          [release = std::move(release)](const Result<void>& written) { release(written.ok()); });
    };
  return response;
}

http::Handler authenticated(service::Context& ctx, CallerHandler handler) {
  return [&ctx, handler = std::move(handler)](const http::Request& req) {
    auto who = authenticate(ctx, req);
    if (!who) {
      auto r = problem(who.error(), req);
      if (who.error().code == ErrorCode::unauthenticated)
        r.header("WWW-Authenticate", "Bearer realm=\"samflyt\"");
      return r;
    }
    if (who->via_session && changes_state(req.method) &&
        !same_secret(req.header("x-csrf-token").value_or(""), who->csrf_token))
      return problem(make_error(ErrorCode::forbidden,
                                "The request lacks the session's CSRF token (X-CSRF-Token).",
                                "Forespørselen mangler øktens CSRF-token (X-CSRF-Token)."),
                     req);
    return answer_after_audit(ctx, who->caller, [&] { return handler(req, who->caller); });
  };
}

void add_session_routes(http::Router& router, service::Context& ctx) {
  // Login: a new session (and a new session id) every time.
  router.add("POST", "/api/v1/session", [&ctx](const http::Request& req) {
    if (from_another_site(req)) return problem(login_from_another_site(), req);
    auto body = read_object(req, {"username", "password"});
    if (!body) return problem(body.error(), req);
    auto username = required_string(*body, "username");
    if (!username) return problem(username.error(), req);
    auto password = required_string(*body, "password");
    if (!password) return problem(password.error(), req);
    auto result =
        service::login(ctx, *username, *password, cookie(req, kSessionCookie), req.request_id);
    return reply(req, std::move(result), [&](const service::LoginResult& r) {
      return respond(
                 201,
                 [&](JsonWriter& w) { write_me(w, r.principal, r.user.username, r.csrf_token); })
          .header("Set-Cookie", session_cookie(ctx, r.session_secret, false))
          .header("Cache-Control", "no-store");
    });
  });

  // Who is logged in; a browser session also gets its CSRF token again
  // (e.g. after a page reload).
  router.add("GET", "/api/v1/session",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               std::string csrf;
               if (!req.header("authorization"))
                 if (auto s = service::authenticate_session(ctx, cookie(req, kSessionCookie),
                                                            req.request_id))
                   csrf = s->csrf_token;
               return respond(200, [&](JsonWriter& w) { write_me(w, caller.principal, "", csrf); })
                   .header("Cache-Control", "no-store");
             }));

  router.add("DELETE", "/api/v1/session",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto secret = cookie(req, kSessionCookie);
               if (secret.empty())
                 return problem(make_error(ErrorCode::invalid_input,
                                           "There is no session to end (bearer tokens are "
                                           "revoked, not logged out).",
                                           "Det er ingen økt å avslutte (tokener trekkes "
                                           "tilbake, de logges ikke ut)."),
                                req);
               return reply(req, service::logout(ctx, secret, caller), [&] {
                 return no_content().header("Set-Cookie", session_cookie(ctx, "", true));
               });
             }));

  router.add("GET", "/api/v1/admin/login-throttles",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(req, service::list_throttled_accounts(ctx, caller),
                            [](const std::vector<service::ThrottledAccount>& list) {
                              return respond_items(
                                  list, [](JsonWriter& w, const service::ThrottledAccount& a) {
                                    w.begin_object().field("failures", a.failures);
                                    w.key("last_failure");
                                    w.value(core::format_instant(a.last_failure));
                                    w.field("username", a.username).end_object();
                                  });
                            });
             }));
}

}  // namespace samflyt::api
