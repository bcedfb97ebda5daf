#include "api/representations.hpp"
#include "api/routes.hpp"

namespace samflyt::api {

void add_pathway_routes(http::Router& router, service::Context& ctx) {
  router.add(
      "GET", "/api/v1/pathways",
      authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& /*caller*/) {
        return reply(req, service::list_pathways(ctx),
                     [](const std::vector<service::TemplatePtr>& list) {
                       return respond_items(list, [](JsonWriter& w, const service::TemplatePtr& t) {
                         write_pathway_summary(w, *t);
                       });
                     });
      }));
  router.add(
      "GET", "/api/v1/pathways/{id}",
      authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& /*caller*/) {
        return reply(req, service::get_pathway(ctx, std::string(req.param("id"))),
                     [](const service::TemplatePtr& t) {
                       return respond(200, [&](JsonWriter& w) { write_pathway(w, *t); });
                     });
      }));
}

}  // namespace samflyt::api
