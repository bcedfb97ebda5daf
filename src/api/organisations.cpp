#include "api/representations.hpp"
#include "api/routes.hpp"

namespace samflyt::api {

void add_organisation_routes(http::Router& router, service::Context& ctx) {
  router.add(
      "GET", "/api/v1/organisations",
      authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& /*caller*/) {
        return reply(req, service::list_organisations(ctx),
                     [](const std::vector<core::Organisation>& orgs) {
                       return respond_items(orgs, write_organisation);
                     });
      }));
  // The people of an organisation, e.g. to assign a task to one of them.
  router.add(
      "GET", "/api/v1/organisations/{id}/staff",
      authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& /*caller*/) {
        return reply(req, service::list_staff(ctx, std::string(req.param("id"))),
                     [](const std::vector<core::Staff>& staff) {
                       return respond_items(staff, write_staff);
                     });
      }));
}

}  // namespace samflyt::api
