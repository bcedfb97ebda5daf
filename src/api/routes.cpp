#include "api/routes.hpp"

namespace samflyt::api {

void add_routes(http::Router& router, service::Context& ctx) {
  add_health_routes(router, ctx);
  add_organisation_routes(router, ctx);
  add_patient_routes(router, ctx);
  add_pathway_routes(router, ctx);
  add_episode_routes(router, ctx);
  add_task_routes(router, ctx);
  add_care_team_routes(router, ctx);
  add_ledger_routes(router, ctx);
  add_message_routes(router, ctx);
  add_message_exchange_routes(router, ctx);
  add_access_routes(router, ctx);
  add_session_routes(router, ctx);
  add_oidc_routes(router, ctx);
}

}  // namespace samflyt::api
