#include "api/representations.hpp"

namespace samflyt::api {

void write_instant(JsonWriter& w, const std::optional<core::Instant>& t) {
  if (t)
    w.value(core::format_instant(*t));
  else
    w.null();
}

void write_optional_instant(JsonWriter& w, std::string_view key,
                            const std::optional<core::Instant>& t) {
  w.key(key);
  write_instant(w, t);
}

namespace {

void write_text(JsonWriter& w, const core::Text& t) {
  w.begin_object().field("nb", t.nb).field("en", t.en).end_object();
}

void write_titled(JsonWriter& w, const std::string& id, const core::Text& title) {
  w.begin_object().field("id", id).key("title");
  write_text(w, title);
  w.end_object();
}

// The fields a task has wherever it is shown.
void write_task_fields(JsonWriter& w, const core::Task& task, const core::Step* step,
                       core::Instant now) {
  w.field("id", task.id)
      .field("step_id", task.step_id)
      .field("lane", task.lane)
      .field("phase", task.phase);
  w.key("title");
  write_text(w, step ? step->title : core::Text{task.step_id, task.step_id});
  w.field("state", core::to_string(task.state));
  w.key("due_at");
  write_instant(w, task.due_at);
  w.key("due_date");
  if (task.due_at)
    w.value(core::format_date(core::oslo_date(*task.due_at)));
  else
    w.null();
  w.field("ready", task.ready)
      .field("overdue", core::is_overdue(task, now))
      .field("version", task.version);
  w.key("assignee_id").text_or_null(task.assignee_id);
  w.key("assignee_role").text_or_null(task.assignee_role);
  w.key("reason").text_or_null(task.reason);
  w.key("note").text_or_null(task.note);
}

}  // namespace

std::string etag(std::int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

http::Response json_body(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.header("Content-Type", "application/json; charset=utf-8");
  r.header("Cache-Control", "no-store");
  return r;
}

void write_organisation(JsonWriter& w, const core::Organisation& o) {
  w.begin_object().field("id", o.id).field("name", o.name).field("kind", core::to_string(o.kind));
  w.key("org_number").text_or_null(o.org_number);
  w.key("her_id");
  if (o.her_id)
    w.value(std::to_string(*o.her_id));
  else
    w.null();
  w.key("parent_id").text_or_null(o.parent_id);
  w.end_object();
}

void write_staff(JsonWriter& w, const core::Staff& s) {
  w.begin_object()
      .field("id", s.id)
      .field("name", s.name)
      .field("organisation_id", s.organisation_id)
      .field("role", s.role)
      .field("email", s.email)
      .field("phone", s.phone)
      .end_object();
}

void write_patient(JsonWriter& w, const core::Patient& p) {
  w.begin_object()
      .field("id", p.id)
      .field("national_id", p.national_id)
      .field("name", p.name)
      .field("municipality_id", p.municipality_id);
  w.key("birth_date");
  if (p.birth_date)
    w.value(core::format_date(*p.birth_date));
  else
    w.null();
  w.field("version", p.version)
      .field("created_at", core::format_instant(p.created_at))
      .end_object();
}

void write_pathway_summary(JsonWriter& w, const core::PathwayTemplate& t) {
  w.begin_object().field("id", t.id).field("version", t.version).key("title");
  write_text(w, t.title);
  w.key("lanes").begin_array();
  for (const auto& l : t.lanes) write_titled(w, l.id, l.title);
  w.end_array().end_object();
}

void write_pathway(JsonWriter& w, const core::PathwayTemplate& t) {
  w.begin_object().field("id", t.id).field("version", t.version).key("title");
  write_text(w, t.title);
  w.key("description");
  write_text(w, t.description);
  w.field("source", t.source);
  w.key("lanes").begin_array();
  for (const auto& l : t.lanes) write_titled(w, l.id, l.title);
  w.end_array().key("phases").begin_array();
  for (const auto& p : t.phases) write_titled(w, p.id, p.title);
  w.end_array().key("events").begin_array();
  for (const auto& e : t.events) write_titled(w, e.id, e.title);
  w.end_array().key("steps").begin_array();
  for (const auto& s : t.steps) {
    w.begin_object()
        .field("id", s.id)
        .field("lane", s.lane)
        .field("also_lanes", s.also_lanes)
        .field("phase", s.phase)
        .field("kind", core::to_string(s.kind));
    w.key("message").text_or_null(s.message ? std::string(core::to_string(*s.message)) : "");
    w.field("role", s.role).key("title");
    write_text(w, s.title);
    w.key("description");
    write_text(w, s.description);
    w.field("depends_on", s.depends_on).key("deadline");
    if (s.deadline) {
      const auto& d = *s.deadline;
      std::string after = d.anchor == core::DeadlineRule::Anchor::start   ? "start"
                          : d.anchor == core::DeadlineRule::Anchor::event ? "event:" + d.anchor_id
                                                                          : "step:" + d.anchor_id;
      w.begin_object()
          .field("days", d.days)
          .field("unit", core::to_string(d.unit))
          .field("after", after)
          .end_object();
    } else {
      w.null();
    }
    w.key("checklists").begin_array();
    for (const auto& c : s.checklists) {
      w.begin_object().field("id", c.id).key("title");
      write_text(w, c.title);
      w.key("items").begin_array();
      for (const auto& item : c.items) write_text(w, item);
      w.end_array().end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().end_object();
}

void write_task(JsonWriter& w, const core::Task& task, const core::PathwayTemplate& t,
                core::Instant now) {
  const core::Step* step = t.find_step(task.step_id);
  w.begin_object();
  write_task_fields(w, task, step, now);
  w.field("episode_id", task.episode_id)
      .field("kind", step ? core::to_string(step->kind) : "task")
      .field("role", step ? step->role : "");
  w.key("organisation_id").text_or_null(task.organisation_id);
  w.key("finished_at");
  write_instant(w, task.finished_at);
  w.field("updated_at", core::format_instant(task.updated_at)).end_object();
}

namespace {
void write_episode_fields(JsonWriter& w, const core::Episode& e) {
  w.field("id", e.id)
      .field("patient_id", e.patient_id)
      .field("pathway_id", e.pathway_id)
      .field("pathway_version", e.pathway_version)
      .field("hospital_unit_id", e.hospital_unit_id)
      .field("municipality_id", e.municipality_id)
      .field("started_at", core::format_instant(e.started_at))
      .field("status", core::to_string(e.status));
  w.key("tentative_discharge_date")
      .text_or_null(e.tentative_discharge_date ? core::format_date(*e.tentative_discharge_date)
                                               : "");
  w.key("events").begin_array();
  for (const auto& ev : e.events)
    w.begin_object()
        .field("event", ev.event_id)
        .field("at", core::format_instant(ev.at))
        .end_object();
  w.end_array().field("version", e.version).field("updated_at", core::format_instant(e.updated_at));
}
}  // namespace

void write_episode_summary(JsonWriter& w, const core::Episode& e) {
  w.begin_object();
  write_episode_fields(w, e);
  w.end_object();
}

void write_episode(JsonWriter& w, const service::EpisodeView& view, core::Instant now) {
  const core::PathwayTemplate& t = *view.pathway;
  w.begin_object();
  write_episode_fields(w, view.episode);
  w.key("pathway_title");
  write_text(w, t.title);
  int overdue = 0;
  w.key("tasks").begin_array();
  for (const auto& task : view.tasks) {
    w.begin_object();
    write_task_fields(w, task, t.find_step(task.step_id), now);
    w.field("waiting_for", core::waiting_for(t, task, view.tasks)).end_object();
    overdue += core::is_overdue(task, now) ? 1 : 0;
  }
  w.end_array().field("overdue_count", overdue).key("next").begin_object();
  for (const auto& [lane, indexes] : core::next_per_lane(t, view.tasks)) {
    w.key(lane).begin_array();
    for (std::size_t i : indexes) w.value(view.tasks[i].id);
    w.end_array();
  }
  w.end_object().end_object();
}

}  // namespace samflyt::api
