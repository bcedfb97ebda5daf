#include "api/representations.hpp"
#include "api/routes.hpp"

#ifndef SAMFLYT_VERSION
#define SAMFLYT_VERSION "dev"
#endif

namespace samflyt::api {

void add_health_routes(http::Router& router, service::Context&) {
  // Answers without touching the database: it tells that the process serves.
  router.add("GET", "/api/v1/health", [](const http::Request&) {
    static const std::string body = R"({"status":"ok","version":")" SAMFLYT_VERSION R"("})";
    return json_body(200, body);
  });
}

}  // namespace samflyt::api
