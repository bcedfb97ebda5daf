// The use cases: what users and integrations can do. Each write use case
// runs in one transaction (all or nothing) and lives in its own file; the
// read-only queries are in queries.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "service/context.hpp"

namespace samflyt::service {

// --- pathway templates -------------------------------------------------

// A template file's name (for error messages) and text.
struct TemplateFile {
  std::string name;
  std::string text;
};

// Parses and validates every file, then makes each the current version of
// its id (a new version when the text changed) in one transaction: a
// broken file, or two files with one pathway id, stores nothing. Running
// episodes keep the version they started with.
Result<std::vector<TemplatePtr>> load_templates(Context& ctx,
                                                const std::vector<TemplateFile>& files);
Result<std::vector<TemplatePtr>> list_pathways(Context& ctx);
Result<TemplatePtr> get_pathway(Context& ctx, const std::string& id);

// --- organisations -----------------------------------------------------

Result<std::vector<core::Organisation>> list_organisations(Context& ctx);
Result<std::vector<core::Staff>> list_staff(Context& ctx, const std::string& organisation_id);

// --- patients ----------------------------------------------------------

struct NewPatient {
  std::string national_id;
  std::string name;
  std::string municipality_id;
  std::optional<std::string> birth_date;  // YYYY-MM-DD; must agree with the national id
};
Result<core::Patient> create_patient(Context& ctx, const NewPatient& input);
Result<core::Patient> get_patient(Context& ctx, const std::string& id);

// --- episodes ----------------------------------------------------------

struct NewEpisode {
  std::string patient_id;
  std::string pathway_id;
  std::string hospital_unit_id;
  std::string municipality_id;
  std::optional<Instant> started_at;  // defaults to now; not in the future
};

// An episode with everything needed to show it.
struct EpisodeView {
  core::Episode episode;
  std::vector<core::Task> tasks;
  TemplatePtr pathway;
};

Result<EpisodeView> start_episode(Context& ctx, const NewEpisode& input);
Result<EpisodeView> get_episode(Context& ctx, const std::string& id);
Result<std::vector<core::Episode>> list_episodes(Context& ctx, EpisodeFilter filter);
// Records an event (e.g. discharge_ready) and refreshes the deadlines that
// count from it. `at` defaults to now.
Result<EpisodeView> record_event(Context& ctx, const std::string& episode_id,
                                 const std::string& event_id, std::optional<Instant> at);

// --- tasks -------------------------------------------------------------

struct TaskView {
  core::Task task;
  TemplatePtr pathway;  // for the step's title
};

// Applies a user's change if `expected_version` is the task's version.
Result<TaskView> update_task(Context& ctx, const std::string& task_id,
                             std::int64_t expected_version, const core::TaskChange& change);
Result<TaskView> get_task(Context& ctx, const std::string& task_id);
Result<std::vector<TaskView>> list_tasks(Context& ctx, TaskFilter filter);

// --- demo --------------------------------------------------------------

// Loads the invented demo health community (a hospital trust and the 17
// Telemark municipalities, staff, and three children on the STHF pathway)
// unless the database already has organisations. Needs the STHF template
// loaded. Returns false when the database was not empty.
Result<bool> load_demo(Context& ctx);

}  // namespace samflyt::service
