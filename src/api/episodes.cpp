#include "api/json_io.hpp"
#include "api/representations.hpp"
#include "api/routes.hpp"

namespace samflyt::api {

namespace {

Result<service::NewEpisode> parse_new_episode(const http::Request& req) {
  SAMFLYT_TRY(json body, read_object(req, {"patient_id", "pathway_id", "hospital_unit_id",
                                           "municipality_id", "started_at"}));
  service::NewEpisode e;
  SAMFLYT_TRY(e.patient_id, required_string(body, "patient_id"));
  SAMFLYT_TRY(e.pathway_id, required_string(body, "pathway_id"));
  SAMFLYT_TRY(e.hospital_unit_id, required_string(body, "hospital_unit_id"));
  SAMFLYT_TRY(e.municipality_id, required_string(body, "municipality_id"));
  SAMFLYT_TRY(e.started_at, optional_instant(body, "started_at"));
  return e;
}

Result<service::EpisodeFilter> parse_filter(const http::Request& req) {
  service::EpisodeFilter f;
  f.municipality_id = query_string(req, "municipality_id");
  f.hospital_unit_id = query_string(req, "hospital_unit_id");
  f.patient_id = query_string(req, "patient_id");
  if (auto status = query_string(req, "status"); !status.empty()) {
    f.status = core::parse_episode_status(status);
    if (!f.status)
      return make_error(ErrorCode::invalid_input, "status must be active or completed.",
                        "status må være active eller completed.", "status");
  }
  SAMFLYT_TRY(f.overdue, query_flag(req, "overdue"));
  SAMFLYT_TRY(f.limit, query_int(req, "limit", 100, 1, 1000));
  SAMFLYT_TRY(f.offset, query_int(req, "offset", 0, 0, 1'000'000'000));
  return f;
}

}  // namespace

void add_episode_routes(http::Router& router, service::Context& ctx) {
  router.add(
      "POST", "/api/v1/episodes",
      authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
        auto input = parse_new_episode(req);
        if (!input) return problem(input.error(), req);
        return reply(
            req, service::start_episode(ctx, caller, *input), [&](const service::EpisodeView& v) {
              return respond(201, [&](JsonWriter& w) { write_episode(w, v, ctx.clock.now()); })
                  .header("Location", "/api/v1/episodes/" + v.episode.id)
                  .header("ETag", etag(v.episode.version));
            });
      }));

  router.add("GET", "/api/v1/episodes",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto filter = parse_filter(req);
               if (!filter) return problem(filter.error(), req);
               return reply(req, service::list_episodes(ctx, caller, *filter),
                            [&](const std::vector<core::Episode>& list) {
                              return respond_page(list, filter->limit, filter->offset,
                                                  write_episode_summary);
                            });
             }));

  router.add("GET", "/api/v1/episodes/{id}",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(
                   req, service::get_episode(ctx, caller, std::string(req.param("id"))),
                   [&](const service::EpisodeView& v) {
                     return respond(200,
                                    [&](JsonWriter& w) { write_episode(w, v, ctx.clock.now()); })
                         .header("ETag", etag(v.episode.version));
                   });
             }));

  // Records an event of the pathway (e.g. discharge_ready) that deadlines
  // can count from.
  router.add(
      "POST", "/api/v1/episodes/{id}/events",
      authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
        auto body = read_object(req, {"event", "at"});
        if (!body) return problem(body.error(), req);
        auto event = required_string(*body, "event");
        if (!event) return problem(event.error(), req);
        auto at = optional_instant(*body, "at");
        if (!at) return problem(at.error(), req);
        return reply(
            req, service::record_event(ctx, caller, std::string(req.param("id")), *event, *at),
            [&](const service::EpisodeView& v) {
              return respond(201, [&](JsonWriter& w) { write_episode(w, v, ctx.clock.now()); })
                  .header("ETag", etag(v.episode.version));
            });
      }));
}

}  // namespace samflyt::api
