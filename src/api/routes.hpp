// The JSON API under /api/v1: one file per resource, each adding its
// routes to the router. Handlers parse the request, call a use case and
// map the result; errors go through api/problem.
#pragma once

#include <string>

#include "api/auth.hpp"
#include "api/problem.hpp"
#include "http/router.hpp"
#include "service/context.hpp"

namespace samflyt::api {

void add_routes(http::Router& router, service::Context& ctx);

void add_health_routes(http::Router& router, service::Context& ctx);
void add_organisation_routes(http::Router& router, service::Context& ctx);
void add_patient_routes(http::Router& router, service::Context& ctx);
void add_pathway_routes(http::Router& router, service::Context& ctx);
void add_episode_routes(http::Router& router, service::Context& ctx);
void add_task_routes(http::Router& router, service::Context& ctx);
void add_care_team_routes(http::Router& router, service::Context& ctx);
void add_access_routes(http::Router& router, service::Context& ctx);
void add_ledger_routes(http::Router& router, service::Context& ctx);
void add_message_routes(http::Router& router, service::Context& ctx);
// POST /api/v1/messages/inbox: messages posted by another Samflyt (docs/adr/0009).
void add_message_exchange_routes(http::Router& router, service::Context& ctx);
// Login with OpenID Connect (HelseID): /auth/oidc/login and /auth/oidc/callback.
void add_oidc_routes(http::Router& router, service::Context& ctx);

// Calls `ok(value)` on success, or renders the error as a problem.
template <typename T, typename F>
http::Response reply(const http::Request& request, Result<T> result, F&& ok) {
  if (!result) return problem(result.error(), request);
  return ok(std::move(result).value());
}
template <typename F>
http::Response reply(const http::Request& request, const Result<void>& result, F&& ok) {
  if (!result) return problem(result.error(), request);
  return ok();
}

// 204 No Content.
inline http::Response no_content() {
  http::Response r;
  r.status = 204;
  return r;
}

}  // namespace samflyt::api
