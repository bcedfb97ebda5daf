#include "api/representations.hpp"

namespace samflyt::api {

std::string etag(std::int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

json organisation_json(const core::Organisation& o) {
  json j{{"id", o.id}, {"name", o.name}, {"kind", core::to_string(o.kind)}};
  if (!o.org_number.empty()) j["org_number"] = o.org_number;
  if (o.her_id) j["her_id"] = std::to_string(*o.her_id);
  if (!o.parent_id.empty()) j["parent_id"] = o.parent_id;
  return j;
}

json staff_json(const core::Staff& s) {
  return json{{"id", s.id},     {"name", s.name},   {"organisation_id", s.organisation_id},
              {"role", s.role}, {"email", s.email}, {"phone", s.phone}};
}

json patient_json(const core::Patient& p) {
  json j{{"id", p.id},           {"national_id", p.national_id},
         {"name", p.name},       {"municipality_id", p.municipality_id},
         {"version", p.version}, {"created_at", core::format_instant(p.created_at)}};
  if (p.birth_date) j["birth_date"] = core::format_date(*p.birth_date);
  return j;
}

json pathway_summary_json(const core::PathwayTemplate& t) {
  json lanes = json::array();
  for (const auto& l : t.lanes) lanes.push_back(json{{"id", l.id}, {"title", text_json(l.title)}});
  return json{
      {"id", t.id}, {"version", t.version}, {"title", text_json(t.title)}, {"lanes", lanes}};
}

namespace {
json deadline_json(const core::DeadlineRule& d) {
  std::string after = "start";
  if (d.anchor == core::DeadlineRule::Anchor::event) after = "event:" + d.anchor_id;
  if (d.anchor == core::DeadlineRule::Anchor::step) after = "step:" + d.anchor_id;
  return json{{"days", d.days}, {"unit", core::to_string(d.unit)}, {"after", after}};
}

json checklists_json(const std::vector<core::Checklist>& lists) {
  json out = json::array();
  for (const auto& c : lists) {
    json items = json::array();
    for (const auto& i : c.items) items.push_back(text_json(i));
    out.push_back(json{{"id", c.id}, {"title", text_json(c.title)}, {"items", items}});
  }
  return out;
}
}  // namespace

json pathway_json(const core::PathwayTemplate& t) {
  json j = pathway_summary_json(t);
  j["description"] = text_json(t.description);
  j["source"] = t.source;
  json phases = json::array();
  for (const auto& p : t.phases)
    phases.push_back(json{{"id", p.id}, {"title", text_json(p.title)}});
  j["phases"] = phases;
  json events = json::array();
  for (const auto& e : t.events)
    events.push_back(json{{"id", e.id}, {"title", text_json(e.title)}});
  j["events"] = events;
  json steps = json::array();
  for (const auto& s : t.steps) {
    json step{{"id", s.id},
              {"lane", s.lane},
              {"also_lanes", s.also_lanes},
              {"phase", s.phase},
              {"kind", core::to_string(s.kind)},
              {"role", s.role},
              {"title", text_json(s.title)},
              {"description", text_json(s.description)},
              {"depends_on", s.depends_on},
              {"checklists", checklists_json(s.checklists)}};
    step["deadline"] = s.deadline ? deadline_json(*s.deadline) : json(nullptr);
    steps.push_back(std::move(step));
  }
  j["steps"] = steps;
  return j;
}

json task_json(const core::Task& task, const core::PathwayTemplate& t, core::Instant now,
               const std::vector<core::Task>* episode_tasks) {
  const core::Step* step = t.find_step(task.step_id);
  json j{
      {"id", task.id},
      {"episode_id", task.episode_id},
      {"step_id", task.step_id},
      {"lane", task.lane},
      {"phase", task.phase},
      {"title", step ? text_json(step->title) : json{{"nb", task.step_id}, {"en", task.step_id}}},
      {"kind", step ? core::to_string(step->kind) : "task"},
      {"role", step ? step->role : ""},
      {"state", core::to_string(task.state)},
      {"due_at", instant_json(task.due_at)},
      {"due_date",
       task.due_at ? json(core::format_date(core::oslo_date(*task.due_at))) : json(nullptr)},
      {"ready", task.ready},
      {"overdue", core::is_overdue(task, now)},
      {"finished_at", instant_json(task.finished_at)},
      {"version", task.version},
      {"updated_at", core::format_instant(task.updated_at)}};
  j["organisation_id"] = task.organisation_id.empty() ? json(nullptr) : json(task.organisation_id);
  j["assignee_id"] = task.assignee_id.empty() ? json(nullptr) : json(task.assignee_id);
  j["reason"] = task.reason.empty() ? json(nullptr) : json(task.reason);
  j["note"] = task.note.empty() ? json(nullptr) : json(task.note);
  if (episode_tasks) j["waiting_for"] = core::waiting_for(t, task, *episode_tasks);
  return j;
}

json episode_summary_json(const core::Episode& e) {
  json events = json::array();
  for (const auto& ev : e.events)
    events.push_back(json{{"event", ev.event_id}, {"at", core::format_instant(ev.at)}});
  return json{{"id", e.id},
              {"patient_id", e.patient_id},
              {"pathway_id", e.pathway_id},
              {"pathway_version", e.pathway_version},
              {"hospital_unit_id", e.hospital_unit_id},
              {"municipality_id", e.municipality_id},
              {"started_at", core::format_instant(e.started_at)},
              {"status", core::to_string(e.status)},
              {"events", events},
              {"version", e.version},
              {"updated_at", core::format_instant(e.updated_at)}};
}

json episode_json(const service::EpisodeView& view, core::Instant now) {
  json j = episode_summary_json(view.episode);
  j["pathway_title"] = text_json(view.pathway->title);
  json tasks = json::array();
  int overdue = 0;
  for (const auto& t : view.tasks) {
    tasks.push_back(task_json(t, *view.pathway, now, &view.tasks));
    overdue += core::is_overdue(t, now) ? 1 : 0;
  }
  j["tasks"] = std::move(tasks);
  j["overdue_count"] = overdue;
  json next = json::object();
  for (const auto& [lane, indexes] : core::next_per_lane(*view.pathway, view.tasks)) {
    json ids = json::array();
    for (std::size_t i : indexes) ids.push_back(view.tasks[i].id);
    next[lane] = std::move(ids);
  }
  j["next"] = std::move(next);
  return j;
}

}  // namespace samflyt::api
