// Episodes (forløp): one patient's run of a pathway template, and its
// tasks (oppgaver), one per template step.
//
// Task states: open -> in_progress -> done | not_applicable (with a reason);
// a done or not-applicable task can be reopened (to open or in_progress)
// unless a task that depends on it is in progress or done.
// A task is *ready* when every step it depends on is done or not
// applicable. Starting or completing a task that is not ready is refused;
// marking it not applicable is allowed. A task is *overdue* when it is open
// or in progress and `now` is past its deadline.
//
// Deadlines (`due_at`) follow the step's rule (pathway.hpp): the end of the
// Oslo calendar day N calendar or working days after the episode started,
// after an episode event, or after another step was done. While the anchor
// has not happened (event not recorded, step not done), the task has no
// deadline.
//
// Pure functions over values; thread-safe. `now` is always passed in.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/pathway.hpp"
#include "core/result.hpp"

namespace samflyt::core {

enum class TaskState { open, in_progress, done, not_applicable };
std::string_view to_string(TaskState s);
std::optional<TaskState> parse_task_state(std::string_view s);
inline bool is_finished(TaskState s) {
  return s == TaskState::done || s == TaskState::not_applicable;
}

enum class EpisodeStatus { active, completed };
std::string_view to_string(EpisodeStatus s);
std::optional<EpisodeStatus> parse_episode_status(std::string_view s);

struct Task {
  std::string id;
  std::string episode_id;
  std::string step_id;
  int seq = 0;                  // the step's position in the template
  std::string lane;             // copied from the step, for worklists
  std::string phase;            // copied from the step
  std::string organisation_id;  // the organisation that owns the lane; empty for the family
  TaskState state = TaskState::open;
  bool ready = false;  // every dependency done or not applicable (kept by refresh)
  std::optional<Instant> due_at;
  std::optional<Instant> finished_at;  // when it became done or not applicable
  std::string assignee_id;             // staff id; empty when unassigned
  std::string assignee_role;           // or a role (core/roles.hpp) in the owning organisation
  std::string reason;                  // why not applicable
  std::string note;                    // the latest free-text note
  std::int64_t version = 1;
  Instant updated_at{};
};

// Something that happened in the episode and that deadlines can count from,
// e.g. "discharge_ready" (hendelse).
struct EpisodeEvent {
  std::string event_id;
  Instant at{};
};

struct Episode {
  std::string id;
  std::string patient_id;
  std::string pathway_id;
  std::string pathway_version;
  std::string hospital_unit_id;
  std::string municipality_id;
  Instant started_at{};
  EpisodeStatus status = EpisodeStatus::active;
  std::vector<EpisodeEvent> events;
  // The day the patient is expected to be discharge-ready (tentativ
  // ut-dato), from the doctor's estimate or the latest PLO message.
  std::optional<Date> tentative_discharge_date;
  std::int64_t version = 1;
  Instant created_at{};
  Instant updated_at{};

  std::optional<Instant> event_time(std::string_view event_id) const;  // the latest
};

// Which organisation owns a lane's tasks: the hospital unit for the
// hospital lane, the municipality for the municipality lane, none for the
// family. Other lanes belong to the hospital unit.
std::string lane_organisation(const Episode& e, std::string_view lane);

// The tasks of a new episode, one per step in template order, with their
// deadlines. `new_id` supplies a fresh id for each task.
std::vector<Task> plan_tasks(const PathwayTemplate& t, const Episode& e, Instant now,
                             const std::function<std::string()>& new_id);

// The deadline a step's task has, given the episode and its current tasks.
std::optional<Instant> due_at(const PathwayTemplate& t, const Step& step, const Episode& e,
                              const std::vector<Task>& tasks);

// Recomputes every task's deadline and readiness; returns the indexes of
// tasks where either changed (their rows need saving).
std::vector<std::size_t> refresh_tasks(const PathwayTemplate& t, const Episode& e,
                                       std::vector<Task>& tasks);

// The steps a task still waits for (dependencies not done or not applicable).
std::vector<std::string> waiting_for(const PathwayTemplate& t, const Task& task,
                                     const std::vector<Task>& tasks);
bool is_ready(const PathwayTemplate& t, const Task& task, const std::vector<Task>& tasks);
bool is_overdue(const Task& task, Instant now);

// A change a user asks for. Empty optionals leave the field as it is.
struct TaskChange {
  static TaskChange to(TaskState s) {
    TaskChange c;
    c.state = s;
    return c;
  }
  std::optional<TaskState> state;
  std::optional<std::string> assignee_id;    // "" unassigns
  std::optional<std::string> assignee_role;  // a role instead of a person; "" unassigns
  std::optional<std::string> note;
  std::optional<std::string> reason;
};

// Applies a change to tasks[index] after checking the rules (transitions,
// readiness, a reason for not applicable, notes up to 10 000 and reasons
// up to 2 000 characters). On success the task's version is
// bumped, and the deadlines and readiness of the other tasks are refreshed;
// returns the indexes of those others whose derived fields changed (their
// version stays: it guards what users edit, not what follows from it).
// On error nothing is changed.
Result<std::vector<std::size_t>> change_task(const PathwayTemplate& t, const Episode& e,
                                             std::vector<Task>& tasks, std::size_t index,
                                             const TaskChange& change, Instant now);

// The status an episode should have given its tasks: completed when every
// task is done or not applicable.
EpisodeStatus status_for(const std::vector<Task>& tasks);

// "What is next" per lane: the ready (Task::ready, kept by refresh_tasks),
// unfinished tasks of each lane, the earliest deadline first (tasks without
// a deadline after, in template order). Returns lane id -> task indexes.
std::map<std::string, std::vector<std::size_t>> next_per_lane(const PathwayTemplate& t,
                                                              const std::vector<Task>& tasks);

}  // namespace samflyt::core
