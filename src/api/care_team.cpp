#include "api/json_io.hpp"
#include "api/representations.hpp"
#include "api/routes.hpp"

namespace samflyt::api {

namespace {

void write_member(JsonWriter& w, const service::CareTeamMember& m) {
  w.begin_object()
      .field("added_at", core::format_instant(m.added_at))
      .field("email", m.email)
      .field("id", m.id)
      .field("name", m.name);
  w.key("organisation_id").text_or_null(m.organisation_id);
  w.field("phone", m.phone).field("role", m.role);
  w.key("user_id").text_or_null(m.user_id);
  w.end_object();
}

Result<service::NewCareTeamMember> parse_member(const http::Request& req) {
  SAMFLYT_TRY(json body,
              read_object(req, {"user_id", "name", "role", "organisation_id", "phone", "email"}));
  service::NewCareTeamMember m;
  SAMFLYT_TRY(m.role, required_string(body, "role"));
  SAMFLYT_TRY(auto user_id, optional_string(body, "user_id"));
  SAMFLYT_TRY(auto name, optional_string(body, "name"));
  SAMFLYT_TRY(auto org, optional_string(body, "organisation_id"));
  SAMFLYT_TRY(auto phone, optional_string(body, "phone"));
  SAMFLYT_TRY(auto email, optional_string(body, "email"));
  m.user_id = user_id.value_or("");
  m.name = name.value_or("");
  m.organisation_id = org.value_or("");
  m.phone = phone.value_or("");
  m.email = email.value_or("");
  return m;
}

}  // namespace

// The care team (ansvarsgruppe) of an episode.
void add_care_team_routes(http::Router& router, service::Context& ctx) {
  router.add("GET", "/api/v1/episodes/{id}/care-team",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(req, service::list_care_team(ctx, caller, std::string(req.param("id"))),
                            [](const std::vector<service::CareTeamMember>& list) {
                              return respond_items(list, write_member);
                            });
             }));
  router.add("POST", "/api/v1/episodes/{id}/care-team",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto input = parse_member(req);
               if (!input) return problem(input.error(), req);
               return reply(
                   req,
                   service::add_care_team_member(ctx, caller, std::string(req.param("id")), *input),
                   [](const service::CareTeamMember& m) {
                     return respond(201, [&](JsonWriter& w) { write_member(w, m); });
                   });
             }));
  router.add("DELETE", "/api/v1/episodes/{id}/care-team/{member_id}",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(
                   req,
                   service::remove_care_team_member(ctx, caller, std::string(req.param("id")),
                                                    std::string(req.param("member_id"))),
                   [] { return no_content(); });
             }));
}

}  // namespace samflyt::api
