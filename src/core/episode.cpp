#include "core/episode.hpp"

#include <algorithm>

#include "core/roles.hpp"
#include "core/text.hpp"

namespace samflyt::core {

std::string_view to_string(TaskState s) {
  switch (s) {
    case TaskState::open:
      return "open";
    case TaskState::in_progress:
      return "in_progress";
    case TaskState::done:
      return "done";
    case TaskState::not_applicable:
      return "not_applicable";
  }
  return "open";
}

std::optional<TaskState> parse_task_state(std::string_view s) {
  for (auto st :
       {TaskState::open, TaskState::in_progress, TaskState::done, TaskState::not_applicable})
    if (to_string(st) == s) return st;
  return std::nullopt;
}

std::string_view to_string(EpisodeStatus s) {
  return s == EpisodeStatus::completed ? "completed" : "active";
}

std::optional<EpisodeStatus> parse_episode_status(std::string_view s) {
  if (s == "active") return EpisodeStatus::active;
  if (s == "completed") return EpisodeStatus::completed;
  return std::nullopt;
}

std::optional<Instant> Episode::event_time(std::string_view event_id) const {
  std::optional<Instant> latest;
  for (const auto& ev : events)
    if (ev.event_id == event_id && (!latest || ev.at > *latest)) latest = ev.at;
  return latest;
}

std::string lane_organisation(const Episode& e, std::string_view lane) {
  if (lane == "family") return {};
  if (lane == "municipality") return e.municipality_id;
  return e.hospital_unit_id;
}

namespace {

const Task* task_for_step(const std::vector<Task>& tasks, std::string_view step_id) {
  for (const auto& t : tasks)
    if (t.step_id == step_id) return &t;
  return nullptr;
}

Instant deadline_from(Instant anchor, const DeadlineRule& rule) {
  Date day = oslo_date(anchor);
  Date due = rule.unit == DayUnit::working_days ? add_working_days(day, rule.days)
                                                : add_days(day, rule.days);
  return oslo_end_of_day(due);
}

}  // namespace

std::optional<Instant> due_at(const PathwayTemplate&, const Step& step, const Episode& e,
                              const std::vector<Task>& tasks) {
  if (!step.deadline) return std::nullopt;
  const DeadlineRule& rule = *step.deadline;
  switch (rule.anchor) {
    case DeadlineRule::Anchor::start:
      return deadline_from(e.started_at, rule);
    case DeadlineRule::Anchor::event:
      if (auto at = e.event_time(rule.anchor_id)) return deadline_from(*at, rule);
      return std::nullopt;
    case DeadlineRule::Anchor::step: {
      const Task* anchor = task_for_step(tasks, rule.anchor_id);
      if (anchor && anchor->state == TaskState::done && anchor->finished_at)
        return deadline_from(*anchor->finished_at, rule);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::vector<Task> plan_tasks(const PathwayTemplate& t, const Episode& e, Instant now,
                             const std::function<std::string()>& new_id) {
  std::vector<Task> tasks;
  tasks.reserve(t.steps.size());
  for (const auto& step : t.steps) {
    Task task;
    task.id = new_id();
    task.episode_id = e.id;
    task.step_id = step.id;
    task.seq = static_cast<int>(tasks.size());
    task.lane = step.lane;
    task.phase = step.phase;
    task.organisation_id = lane_organisation(e, step.lane);
    task.updated_at = now;
    tasks.push_back(std::move(task));
  }
  refresh_tasks(t, e, tasks);
  return tasks;
}

std::vector<std::size_t> refresh_tasks(const PathwayTemplate& t, const Episode& e,
                                       std::vector<Task>& tasks) {
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const Step* step = t.find_step(tasks[i].step_id);
    if (!step) continue;
    auto due = due_at(t, *step, e, tasks);
    bool ready = is_ready(t, tasks[i], tasks);
    if (due != tasks[i].due_at || ready != tasks[i].ready) {
      tasks[i].due_at = due;
      tasks[i].ready = ready;
      changed.push_back(i);
    }
  }
  return changed;
}

std::vector<std::string> waiting_for(const PathwayTemplate& t, const Task& task,
                                     const std::vector<Task>& tasks) {
  std::vector<std::string> waiting;
  const Step* step = t.find_step(task.step_id);
  if (!step) return waiting;
  for (const auto& dep : step->depends_on) {
    const Task* d = task_for_step(tasks, dep);
    if (d && !is_finished(d->state)) waiting.push_back(dep);
  }
  return waiting;
}

bool is_ready(const PathwayTemplate& t, const Task& task, const std::vector<Task>& tasks) {
  return waiting_for(t, task, tasks).empty();
}

bool is_overdue(const Task& task, Instant now) {
  return !is_finished(task.state) && task.due_at && now > *task.due_at;
}

namespace {

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Starting or completing a task needs its dependencies finished.
Result<void> check_ready(const PathwayTemplate& t, const std::vector<Task>& tasks,
                         const Task& task) {
  auto waiting = waiting_for(t, task, tasks);
  if (waiting.empty()) return {};
  std::string list, list_nb;
  for (const auto& w : waiting) {
    const Step* s = t.find_step(w);
    list += (list.empty() ? "" : ", ") + (s ? s->title.en : w);
    list_nb += (list_nb.empty() ? "" : ", ") + (s ? s->title.nb : w);
  }
  return make_error(ErrorCode::conflict, "The task is not ready: it waits for " + list + ".",
                    "Oppgaven er ikke klar: den venter på " + list_nb + ".", "state");
}

// Reopening a task needs the tasks that build on it not started: the chart
// must never show a later step done while an earlier one is open.
Result<void> check_reopen(const PathwayTemplate& t, const std::vector<Task>& tasks,
                          const Task& task) {
  std::string list, list_nb;
  for (const auto& other : tasks) {
    const Step* s = t.find_step(other.step_id);
    if (!s || other.state == TaskState::open || other.state == TaskState::not_applicable) continue;
    if (std::find(s->depends_on.begin(), s->depends_on.end(), task.step_id) == s->depends_on.end())
      continue;
    list += (list.empty() ? "" : ", ") + s->title.en;
    list_nb += (list_nb.empty() ? "" : ", ") + s->title.nb;
  }
  if (list.empty()) return {};
  return make_error(ErrorCode::conflict,
                    "Reopen the tasks that build on this one first: " + list + ".",
                    "Gjenåpne først oppgavene som bygger på denne: " + list_nb + ".", "state");
}

}  // namespace

Result<std::vector<std::size_t>> change_task(const PathwayTemplate& t, const Episode& e,
                                             std::vector<Task>& tasks, std::size_t index,
                                             const TaskChange& change, Instant now) {
  if (change.note) SAMFLYT_CHECK(check_text(*change.note, 10'000, true, "note"));
  if (change.reason) SAMFLYT_CHECK(check_text(*change.reason, 2'000, true, "reason"));
  Task updated = tasks[index];
  TaskState target = change.state.value_or(updated.state);
  if (change.reason && target != TaskState::not_applicable)
    return make_error(ErrorCode::invalid_input,
                      "A reason is only given when a task is marked not applicable.",
                      "En begrunnelse gis bare når en oppgave settes til ikke aktuell.", "reason");
  if (change.reason) updated.reason = *change.reason;
  if (target == TaskState::not_applicable && blank(updated.reason))
    return make_error(ErrorCode::invalid_input, "A task marked not applicable needs a reason.",
                      "En oppgave som settes til ikke aktuell, må ha en begrunnelse.", "reason");
  if (target != updated.state) {
    bool starts_work = target == TaskState::done || target == TaskState::in_progress;
    if (starts_work) SAMFLYT_CHECK(check_ready(t, tasks, updated));
    if (is_finished(updated.state) && !is_finished(target))
      SAMFLYT_CHECK(check_reopen(t, tasks, updated));
    updated.state = target;
    updated.finished_at = is_finished(target) ? std::optional<Instant>(now) : std::nullopt;
    if (target != TaskState::not_applicable) updated.reason.clear();
  }
  // A task is assigned to a person or to a role, not both.
  bool to_person = change.assignee_id && !change.assignee_id->empty();
  bool to_role = change.assignee_role && !change.assignee_role->empty();
  if (to_person && to_role)
    return make_error(ErrorCode::invalid_input,
                      "Assign the task to a person or to a role, not both.",
                      "Tildel oppgaven til en person eller en rolle, ikke begge.", "assignee_role");
  if (to_role && !is_staff_role(*change.assignee_role))
    return make_error(ErrorCode::invalid_input, "assignee_role is not a known role of staff.",
                      "assignee_role er ikke en kjent rolle for ansatte.", "assignee_role");
  if (change.assignee_id) updated.assignee_id = *change.assignee_id;
  if (change.assignee_role) updated.assignee_role = *change.assignee_role;
  if (to_person) updated.assignee_role.clear();
  if (to_role) updated.assignee_id.clear();
  if (change.note) updated.note = *change.note;
  updated.version += 1;
  updated.updated_at = now;
  tasks[index] = std::move(updated);

  std::vector<std::size_t> derived;
  for (std::size_t i : refresh_tasks(t, e, tasks))
    if (i != index) derived.push_back(i);
  return derived;
}

EpisodeStatus status_for(const std::vector<Task>& tasks) {
  bool all = !tasks.empty() && std::all_of(tasks.begin(), tasks.end(),
                                           [](const Task& x) { return is_finished(x.state); });
  return all ? EpisodeStatus::completed : EpisodeStatus::active;
}

std::map<std::string, std::vector<std::size_t>> next_per_lane(const PathwayTemplate& t,
                                                              const std::vector<Task>& tasks) {
  std::map<std::string, std::vector<std::size_t>> next;
  for (const auto& lane : t.lanes) next[lane.id];
  for (std::size_t i = 0; i < tasks.size(); ++i)
    if (!is_finished(tasks[i].state) && tasks[i].ready) next[tasks[i].lane].push_back(i);
  for (auto& [lane, idx] : next)
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
      const auto& da = tasks[a].due_at;
      const auto& db = tasks[b].due_at;
      if (da && db) return *da < *db;
      return da.has_value() && !db.has_value();
    });
  return next;
}

}  // namespace samflyt::core
