#include "api/json_io.hpp"
#include "api/representations.hpp"
#include "api/routes.hpp"

namespace samflyt::api {

namespace {

Result<core::TaskState> task_state(std::string_view text) {
  if (auto state = core::parse_task_state(text)) return *state;
  return make_error(ErrorCode::invalid_input,
                    "state must be open, in_progress, done or not_applicable.",
                    "state må være open, in_progress, done eller not_applicable.", "state");
}

Result<core::TaskChange> parse_change(const http::Request& req) {
  SAMFLYT_TRY(json body,
              read_object(req, {"state", "assignee_id", "assignee_role", "note", "reason"}));
  core::TaskChange change;
  SAMFLYT_TRY(auto state, optional_string(body, "state"));
  if (state) {
    SAMFLYT_TRY(change.state, task_state(*state));
  }
  for (auto [key, field] : {std::pair{"assignee_id", &change.assignee_id},
                            std::pair{"assignee_role", &change.assignee_role}}) {
    if (body.contains(key) && body[key].is_null()) {
      *field = std::string();  // null unassigns
    } else {
      SAMFLYT_TRY(*field, optional_string(body, key));
    }
  }
  SAMFLYT_TRY(change.note, optional_string(body, "note"));
  SAMFLYT_TRY(change.reason, optional_string(body, "reason"));
  if (!change.state && !change.assignee_id && !change.assignee_role && !change.note &&
      !change.reason)
    return make_error(
        ErrorCode::invalid_input,
        "Nothing to change: send state, assignee_id, assignee_role, note or reason.",
        "Ingenting å endre: send state, assignee_id, assignee_role, note eller reason.");
  return change;
}

Result<service::TaskFilter> parse_filter(const http::Request& req) {
  service::TaskFilter f;
  f.organisation_id = query_string(req, "organisation_id");
  f.episode_id = query_string(req, "episode_id");
  f.assignee_id = query_string(req, "assignee_id");
  f.assignee_role = query_string(req, "assignee_role");
  f.lane = query_string(req, "lane");
  if (f.organisation_id.empty() && f.episode_id.empty() && f.assignee_id.empty())
    return make_error(ErrorCode::invalid_input,
                      "A worklist needs organisation_id, assignee_id or episode_id.",
                      "En arbeidsliste trenger organisation_id, assignee_id eller episode_id.",
                      "organisation_id");
  if (auto state = query_string(req, "state"); !state.empty()) {
    SAMFLYT_TRY(f.state, task_state(state));
  } else {
    f.unfinished_only = true;  // a worklist shows what is left to do
  }
  SAMFLYT_TRY(f.overdue, query_flag(req, "overdue"));
  SAMFLYT_TRY(f.limit, query_int(req, "limit", 100, 1, 1000));
  SAMFLYT_TRY(f.offset, query_int(req, "offset", 0, 0, 1'000'000'000));
  return f;
}

}  // namespace

void add_task_routes(http::Router& router, service::Context& ctx) {
  router.add("GET", "/api/v1/tasks",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto filter = parse_filter(req);
               if (!filter) return problem(filter.error(), req);
               return reply(req, service::list_tasks(ctx, caller, *filter),
                            [&](const std::vector<service::TaskView>& list) {
                              auto now = ctx.clock.now();
                              return respond_page(list, filter->limit, filter->offset,
                                                  [&](JsonWriter& w, const service::TaskView& v) {
                                                    write_task(w, v.task, *v.pathway, now);
                                                  });
                            });
             }));

  router.add("GET", "/api/v1/tasks/{id}",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(req, service::get_task(ctx, caller, std::string(req.param("id"))),
                            [&](const service::TaskView& v) {
                              return respond(200,
                                             [&](JsonWriter& w) {
                                               write_task(w, v.task, *v.pathway, ctx.clock.now());
                                             })
                                  .header("ETag", etag(v.task.version));
                            });
             }));

  router.add(
      "PATCH", "/api/v1/tasks/{id}",
      authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
        auto version = expected_version(req);
        if (!version) return problem(version.error(), req);
        auto change = parse_change(req);
        if (!change) return problem(change.error(), req);
        return reply(
            req, service::update_task(ctx, caller, std::string(req.param("id")), *version, *change),
            [&](const service::TaskView& v) {
              return respond(
                         200,
                         [&](JsonWriter& w) { write_task(w, v.task, *v.pathway, ctx.clock.now()); })
                  .header("ETag", etag(v.task.version));
            });
      }));
}

}  // namespace samflyt::api
