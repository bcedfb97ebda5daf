#include "api/representations.hpp"
#include "api/routes.hpp"

namespace samflyt::api {

void add_pathway_routes(http::Router& router, service::Context& ctx) {
  router.add("GET", "/api/v1/pathways", [&ctx](const http::Request& req) {
    return reply(req, service::list_pathways(ctx),
                 [](const std::vector<service::TemplatePtr>& list) {
                   json items = json::array();
                   for (const auto& t : list) items.push_back(pathway_summary_json(*t));
                   return json_response(200, json{{"items", items}});
                 });
  });
  router.add("GET", "/api/v1/pathways/{id}", [&ctx](const http::Request& req) {
    return reply(
        req, service::get_pathway(ctx, std::string(req.param("id"))),
        [](const service::TemplatePtr& t) { return json_response(200, pathway_json(*t)); });
  });
}

}  // namespace samflyt::api
