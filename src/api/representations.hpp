// The JSON shapes of the API's resources (snake_case fields, RFC 3339 UTC
// times, string ids), as documented in docs/openapi.yaml.
#pragma once

#include "api/json_io.hpp"
#include "service/use_cases.hpp"

namespace samflyt::api {

json organisation_json(const core::Organisation& o);
json staff_json(const core::Staff& s);
json patient_json(const core::Patient& p);
json pathway_summary_json(const core::PathwayTemplate& t);
json pathway_json(const core::PathwayTemplate& t);
// A task; `episode_tasks` (all tasks of its episode) adds `waiting_for`.
json task_json(const core::Task& task, const core::PathwayTemplate& t, core::Instant now,
               const std::vector<core::Task>* episode_tasks = nullptr);
json episode_summary_json(const core::Episode& e);
json episode_json(const service::EpisodeView& view, core::Instant now);

// An ETag for a row version: "\"<version>\"".
std::string etag(std::int64_t version);

}  // namespace samflyt::api
