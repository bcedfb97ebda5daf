// Authentication at the API boundary. Every route but the health check and
// login (with a password here, or with OpenID Connect in api/oidc.cpp)
// goes through authenticated(): the caller comes from the session
// cookie (browsers) or an `Authorization: Bearer` token (integrations and
// scripts); without either the answer is 401. A state-changing request
// (anything but GET, HEAD, OPTIONS) made with the cookie must carry the
// session's CSRF token in X-CSRF-Token, or it is refused (403) before the
// handler runs. Access to patient data is then decided by the use cases.
#pragma once

#include <functional>
#include <string>

#include "http/router.hpp"
#include "service/context.hpp"
#include "service/use_cases.hpp"

namespace samflyt::api {

inline constexpr const char* kSessionCookie = "samflyt_session";

using CallerHandler = std::function<http::Response(const http::Request&, const service::Caller&)>;

http::Handler authenticated(service::Context& ctx, CallerHandler handler);

// The caller of a request: an `Authorization: Bearer` token, or else the
// session cookie; `unauthenticated` without either (no CSRF check here).
Result<service::Authenticated> authenticate(service::Context& ctx, const http::Request& req);

// Runs `handle` with the audit rows of the caller's reads deferred, and
// holds its response until they are durable (http::Response::hold_until);
// the web pages and the JSON API answer alike through it.
http::Response answer_after_audit(service::Context& ctx, service::Caller& caller,
                                  const std::function<http::Response()>& handle);

// The value of a cookie in the request's Cookie header, or "".
std::string cookie(const http::Request& request, std::string_view name);

// The Set-Cookie value of the session cookie: HttpOnly, SameSite=Strict,
// Path=/, and Secure when ctx.auth.secure_cookies; `clear` expires it.
std::string session_cookie(const service::Context& ctx, const std::string& value, bool clear);

// Compares two secrets without an early exit, so that timing does not
// reveal them; false when either is empty.
bool same_secret(std::string_view a, std::string_view b);

// A login posted from another site's page (login CSRF: it would log the
// browser into someone else's account), by the browser's Sec-Fetch-Site
// header (cross-site or same-site). Requests without it (scripts,
// integrations) are not refused.
bool from_another_site(const http::Request& request);
Error login_from_another_site();

void add_session_routes(http::Router& router, service::Context& ctx);

}  // namespace samflyt::api
