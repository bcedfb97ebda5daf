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
    Result<service::Authenticated> who = make_error(ErrorCode::unauthenticated, "", "");
    if (auto authz = req.header("authorization")) {
      std::string_view v = *authz;
      if (v.size() > 7 && (v.substr(0, 7) == "Bearer " || v.substr(0, 7) == "bearer "))
        who = service::authenticate_token(ctx, std::string(v.substr(7)), req.request_id);
    } else {
      who =
          service::authenticate_session(ctx, api::cookie(req, api::kSessionCookie), req.request_id);
    }
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
    // As in api::authenticated: the audit rows of the reads are committed
    // by the AuditWriter while this thread serves the next request; the
    // page leaves only once they are durable.
    std::vector<service::AuditEntry> audit_rows;
    who->caller.deferred_audit = &audit_rows;
    Page p{req, who->caller, "nb", who->csrf_token, std::move(form)};
    if (auto lang = service::user_language(ctx, who->caller)) p.lang = *lang;
    http::Response response;
    try {
      response = handler(p);
    } catch (...) {
      ctx.audit.record_async(std::move(audit_rows), [](const Result<void>&) {});
      throw;
    }
    response.header("Cache-Control", "no-store");
    if (!audit_rows.empty())
      response.hold_until = [&ctx, rows = std::move(audit_rows)](
                                std::function<void(bool)> release) mutable {
        ctx.audit.record_async(
            std::move(rows),
            [release = std::move(release)](const Result<void>& written) { release(written.ok()); });
      };
    return response;
  };
}

}  // namespace samflyt::web
