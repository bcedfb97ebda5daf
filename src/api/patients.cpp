#include "api/json_io.hpp"
#include "api/representations.hpp"
#include "api/routes.hpp"

namespace samflyt::api {

namespace {
Result<service::NewPatient> parse_new_patient(const http::Request& req) {
  SAMFLYT_TRY(json body,
              read_object(req, {"national_id", "name", "municipality_id", "birth_date"}));
  service::NewPatient p;
  SAMFLYT_TRY(p.national_id, required_string(body, "national_id"));
  SAMFLYT_TRY(p.name, required_string(body, "name"));
  SAMFLYT_TRY(p.municipality_id, required_string(body, "municipality_id"));
  SAMFLYT_TRY(p.birth_date, optional_string(body, "birth_date"));
  return p;
}
}  // namespace

void add_patient_routes(http::Router& router, service::Context& ctx) {
  router.add("POST", "/api/v1/patients",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto input = parse_new_patient(req);
               if (!input) return problem(input.error(), req);
               return reply(req, service::create_patient(ctx, caller, *input),
                            [](const core::Patient& p) {
                              return respond(201, [&](JsonWriter& w) { write_patient(w, p); })
                                  .header("Location", "/api/v1/patients/" + p.id)
                                  .header("ETag", etag(p.version));
                            });
             }));
  router.add("GET", "/api/v1/patients/{id}",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(req, service::get_patient(ctx, caller, std::string(req.param("id"))),
                            [](const core::Patient& p) {
                              return respond(200, [&](JsonWriter& w) { write_patient(w, p); })
                                  .header("ETag", etag(p.version));
                            });
             }));
}

}  // namespace samflyt::api
