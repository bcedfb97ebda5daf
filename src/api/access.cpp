// Access management routes: self-authorisation (akuttilgang) and its
// review list, blocks (sperring), consents (samtykke), and the patient's
// access log ("who has looked at my data").
#include "api/json_io.hpp"
#include "api/representations.hpp"
#include "api/routes.hpp"

namespace samflyt::api {

namespace {

void write_self_authorisation(JsonWriter& w, const core::SelfAuthorisation& a) {
  w.begin_object()
      .field("emergency", a.emergency)
      .field("ends_at", core::format_instant(a.ends_at))
      .field("episode_id", a.episode_id)
      .field("id", a.id)
      .field("reason", a.reason);
  w.key("reviewed_at");
  a.reviewed_at ? w.value(core::format_instant(*a.reviewed_at)) : w.null();
  w.key("reviewed_by").text_or_null(a.reviewed_by);
  w.field("starts_at", core::format_instant(a.starts_at)).field("user_id", a.user_id).end_object();
}

void write_block(JsonWriter& w, const core::Block& b) {
  w.begin_object().field("created_at", core::format_instant(b.created_at)).field("id", b.id);
  w.key("organisation_id").text_or_null(b.organisation_id);
  w.field("reason", b.reason);
  w.key("user_id").text_or_null(b.user_id);
  w.end_object();
}

void write_consent(JsonWriter& w, const core::Consent& c) {
  w.begin_object()
      .field("episode_id", c.episode_id)
      .field("given_by", core::to_string(c.given_by))
      .field("given_by_name", c.given_by_name)
      .field("id", c.id)
      .field("purpose", core::to_string(c.purpose))
      .field("recorded_at", core::format_instant(c.recorded_at))
      .field("recorded_by", c.recorded_by)
      .field("targets", c.targets)
      .field("valid_from", core::format_instant(c.valid_from));
  write_optional_instant(w, "valid_to", c.valid_to);
  w.field("version", c.version);
  write_optional_instant(w, "withdrawn_at", c.withdrawn_at);
  w.end_object();
}

Result<core::Consent> parse_consent(const http::Request& req) {
  SAMFLYT_TRY(json body, read_object(req, {"given_by", "given_by_name", "purpose", "targets",
                                           "valid_from", "valid_to"}));
  core::Consent c;
  SAMFLYT_TRY(auto giver, required_string(body, "given_by"));
  auto g = core::parse_consent_giver(giver);
  if (!g)
    return make_error(ErrorCode::invalid_input, "given_by must be patient or guardian.",
                      "given_by må være patient eller guardian.", "given_by");
  c.given_by = *g;
  SAMFLYT_TRY(c.given_by_name, required_string(body, "given_by_name"));
  SAMFLYT_TRY(auto purpose, required_string(body, "purpose"));
  auto p = core::parse_consent_purpose(purpose);
  if (!p)
    return make_error(ErrorCode::invalid_input,
                      "purpose must be send_documentation or share_with_role.",
                      "purpose må være send_documentation eller share_with_role.", "purpose");
  c.purpose = *p;
  SAMFLYT_TRY(c.targets, required_string_list(body, "targets"));
  SAMFLYT_TRY(auto from, optional_instant(body, "valid_from"));
  if (from) c.valid_from = *from;
  SAMFLYT_TRY(c.valid_to, optional_instant(body, "valid_to"));
  return c;
}

}  // namespace

void add_access_routes(http::Router& router, service::Context& ctx) {
  // Akuttilgang: access to one episode for a while, with a reason.
  router.add("POST", "/api/v1/episodes/{id}/self-authorisations",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto body = read_object(req, {"reason", "emergency", "hours"});
               if (!body) return problem(body.error(), req);
               service::NewSelfAuthorisation input;
               auto reason = required_string(*body, "reason");
               if (!reason) return problem(reason.error(), req);
               input.reason = *reason;
               auto emergency = optional_bool(*body, "emergency");
               if (!emergency) return problem(emergency.error(), req);
               input.emergency = emergency->value_or(false);
               auto hours = optional_int(*body, "hours", 1, 24);
               if (!hours) return problem(hours.error(), req);
               if (*hours) input.duration = std::chrono::hours(**hours);
               return reply(
                   req, service::self_authorise(ctx, caller, std::string(req.param("id")), input),
                   [](const core::SelfAuthorisation& a) {
                     return respond(201, [&](JsonWriter& w) { write_self_authorisation(w, a); });
                   });
             }));
  // The leaders' review list.
  router.add("GET", "/api/v1/self-authorisations",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto pending = query_flag(req, "pending");
               if (!pending) return problem(pending.error(), req);
               return reply(req, service::list_self_authorisations(ctx, caller, *pending),
                            [](const std::vector<core::SelfAuthorisation>& list) {
                              return respond_items(list, write_self_authorisation);
                            });
             }));
  router.add("POST", "/api/v1/self-authorisations/{id}/review",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(
                   req,
                   service::review_self_authorisation(ctx, caller, std::string(req.param("id"))),
                   [] { return no_content(); });
             }));

  router.add("GET", "/api/v1/patients/{id}/blocks",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(req, service::list_blocks(ctx, caller, std::string(req.param("id"))),
                            [](const std::vector<core::Block>& list) {
                              return respond_items(list, write_block);
                            });
             }));
  router.add("POST", "/api/v1/patients/{id}/blocks",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto body = read_object(req, {"user_id", "organisation_id", "reason"});
               if (!body) return problem(body.error(), req);
               core::Block b;
               auto user = optional_string(*body, "user_id");
               auto org = optional_string(*body, "organisation_id");
               auto reason = optional_string(*body, "reason");
               if (!user) return problem(user.error(), req);
               if (!org) return problem(org.error(), req);
               if (!reason) return problem(reason.error(), req);
               b.user_id = user->value_or("");
               b.organisation_id = org->value_or("");
               b.reason = reason->value_or("");
               return reply(req, service::add_block(ctx, caller, std::string(req.param("id")), b),
                            [](const core::Block& x) {
                              return respond(201, [&](JsonWriter& w) { write_block(w, x); });
                            });
             }));
  router.add("DELETE", "/api/v1/patients/{id}/blocks/{block_id}",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(req,
                            service::lift_block(ctx, caller, std::string(req.param("id")),
                                                std::string(req.param("block_id"))),
                            [] { return no_content(); });
             }));

  router.add(
      "GET", "/api/v1/patients/{id}/access-log",
      authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
        auto limit = query_int(req, "limit", 100, 1, 1000);
        if (!limit) return problem(limit.error(), req);
        auto offset = query_int(req, "offset", 0, 0, 1'000'000'000);
        if (!offset) return problem(offset.error(), req);
        return reply(
            req,
            service::patient_access_log(ctx, caller, std::string(req.param("id")), *limit, *offset),
            [&](const std::vector<service::AccessLogRow>& rows) {
              return respond_page(rows, *limit, *offset,
                                  [](JsonWriter& w, const service::AccessLogRow& r) {
                                    w.begin_object()
                                        .field("action", r.action)
                                        .field("at", core::format_instant(r.at))
                                        .field("basis", r.basis)
                                        .field("emergency", r.emergency)
                                        .field("organisation_id", r.organisation_id)
                                        .field("outcome", r.outcome)
                                        .field("role", r.role);
                                    if (!r.user_id.empty()) w.field("user_id", r.user_id);
                                    w.end_object();
                                  });
            });
      }));

  router.add("GET", "/api/v1/episodes/{id}/consents",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(req, service::list_consents(ctx, caller, std::string(req.param("id"))),
                            [](const std::vector<core::Consent>& list) {
                              return respond_items(list, write_consent);
                            });
             }));
  router.add("POST", "/api/v1/episodes/{id}/consents",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto input = parse_consent(req);
               if (!input) return problem(input.error(), req);
               return reply(
                   req, service::record_consent(ctx, caller, std::string(req.param("id")), *input),
                   [](const core::Consent& c) {
                     return respond(201, [&](JsonWriter& w) { write_consent(w, c); })
                         .header("ETag", etag(c.version));
                   });
             }));
  // Withdrawal (tilbaketrekking) needs the consent's version in If-Match.
  router.add("POST", "/api/v1/episodes/{id}/consents/{consent_id}/withdraw",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto version = expected_version(req);
               if (!version) return problem(version.error(), req);
               return reply(
                   req,
                   service::withdraw_consent(ctx, caller, std::string(req.param("id")),
                                             std::string(req.param("consent_id")), *version),
                   [](const core::Consent& c) {
                     return respond(200, [&](JsonWriter& w) { write_consent(w, c); })
                         .header("ETag", etag(c.version));
                   });
             }));
}

}  // namespace samflyt::api
