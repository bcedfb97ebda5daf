// The episode page: header, swimlane chart, tasks by lane and phase with
// their actions; the task changes (POST, redirect after post; a stale
// version shows the task as it is now); "who has looked at this".
#include <set>
#include <tuple>

#include "core/roles.hpp"
#include "service/checklists.hpp"
#include "web/internal.hpp"

namespace samflyt::web {

namespace {

struct Notice {
  std::string flash;
  std::string flash_kind = "success";
  // A stale edit: the task as it is now.
  bool conflict = false;
  std::string conflict_task_id;
};

std::string title_of(const core::Step* s, std::string_view lang) {
  return s ? (lang == "en" ? s->title.en : s->title.nb) : "";
}

// The task cards of an episode's tasks: what a card shows and which
// actions it offers. `full` adds assigning, notes and not applicable
// (the task's own page); `hx` adds the htmx attributes.
struct TaskCards {
  TaskCards(Web& web, Page& page, const service::EpisodeView& view, core::Instant at, bool full_,
            bool hx_)
      : ctx(web.ctx), p(page), v(view), now(at), full(full_), hx(hx_) {
    can_edit = staff_may_edit(p, v);
    common.set("csrf_token", p.csrf_token);
    common.set("lang", p.lang);
  }

  const std::vector<core::Staff>& staff_for(const std::string& org) {
    auto [it, first] = staff_of.try_emplace(org);
    if (first && !org.empty())
      if (auto list = service::list_staff(ctx, org)) it->second = std::move(*list);
    for (const auto& s : it->second) staff_names[s.id] = s.name;
    return it->second;
  }

  // The card as HTML (the template rendered on the page's strings).
  std::string render(const core::Task& t) {
    Data item = card(t);
    return render_in(p.lang, "task_card", {&common, &item});
  }
  Data html(const core::Task& t) {
    Data d;
    d.set("html", render(t));
    return d;
  }

  Data card(const core::Task& t) {
    const auto& tpl = *v.pathway;
    bool en = p.lang == "en";
    const auto* step = tpl.find_step(t.step_id);
    std::string state = display_state(t, now);
    Data td;
    td.set("id", t.id);
    td.set("episode_id", v.episode.id);
    td.set("title", title_of(step, p.lang));
    td.set("state_class", state);
    td.set("state_label", state_name(p.lang, state));
    set_opt(td, "due", format_day(t.due_at));
    set_opt(td, "role", step && !step->role.empty() ? role_name(p.lang, step->role) : "");
    td.set("version", std::to_string(t.version));
    set_opt(td, "note", t.note);
    set_opt(td, "reason", t.reason);
    std::string waiting;
    for (const auto& w : core::waiting_for(tpl, t, v.tasks))
      waiting += (waiting.empty() ? "" : ", ") + title_of(tpl.find_step(w), p.lang);
    set_opt(td, "waiting_for", waiting);
    Data checklists{Data::type::list};
    int items_total = 0, items_ticked = 0;
    if (step)
      for (const auto& c : step->checklists) {
        Data cd;
        cd.set("checklist_id", c.id);
        cd.set("title", en ? c.title.en : c.title.nb);
        Data items{Data::type::list};
        for (std::size_t i = 0; i < c.items.size(); ++i) {
          bool ticked = ticks.count({t.id, c.id, static_cast<int>(i)}) > 0;
          Data item;
          item.set("n", std::to_string(i));
          item.set("text", en ? c.items[i].en : c.items[i].nb);
          item.set("ticked", ticked);
          items.push_back(item);
          ++items_total;
          items_ticked += ticked ? 1 : 0;
        }
        cd.set("items", items);
        checklists.push_back(cd);
      }
    if (items_total > 0)
      td.set("checklist_summary", p.t("checklist") + ": " + std::to_string(items_ticked) + " " +
                                      p.t("of") + " " + std::to_string(items_total) + " " +
                                      p.t("ticked"));
    else
      td.set("checklist_summary", false);
    td.set("checklists", checklists);
    td.set("can_edit", can_edit);
    td.set("full", full);
    td.set("hx", hx);
    bool finished = core::is_finished(t.state);
    bool can_start = t.state == core::TaskState::open && t.ready;
    bool can_done = !finished && t.ready;
    td.set("can_start", can_start);
    td.set("can_done", can_done);
    td.set("can_reopen", finished);
    td.set("has_quick", can_start || can_done || finished);
    td.set("can_na", !finished);
    // A message step is done by sending its message.
    if (step && step->message && can_done)
      td.set("send_url", "/episodes/" + v.episode.id +
                             "/messages?kind=" + std::string(core::to_string(*step->message)) +
                             "&task=" + t.id + "#send");
    std::string org = t.organisation_id.empty() ? v.episode.hospital_unit_id : t.organisation_id;
    if (can_edit && full) {
      Data staff{Data::type::list};
      for (const auto& s : staff_for(org)) {
        Data sd;
        sd.set("staff_id", s.id);
        sd.set("name", s.name);
        sd.set("role", role_name(p.lang, s.role));
        sd.set("selected", s.id == t.assignee_id);
        staff.push_back(sd);
      }
      td.set("staff", staff);
      Data roles{Data::type::list};
      for (const auto& r : core::kRoles) {
        if (!core::is_clinical_role(r.id)) continue;
        Data rd;
        rd.set("role_id", std::string(r.id));
        rd.set("name", role_name(p.lang, r.id));
        rd.set("selected", r.id == t.assignee_role);
        roles.push_back(rd);
      }
      td.set("roles", roles);
    }
    std::string assignee;
    if (!t.assignee_id.empty() && !p.caller.principal.staff_id.empty()) {
      if (!staff_names.count(t.assignee_id)) staff_for(org);
      auto sn = staff_names.find(t.assignee_id);
      assignee = sn != staff_names.end() ? sn->second : t.assignee_id;
    }
    if (assignee.empty() && !t.assignee_role.empty()) assignee = role_name(p.lang, t.assignee_role);
    set_opt(td, "assignee", assignee);
    return td;
  }

  service::Context& ctx;
  Page& p;
  const service::EpisodeView& v;
  core::Instant now;
  bool full, hx;
  bool can_edit = false;
  Data common;  // what every card needs from the page
  std::map<std::string, std::vector<core::Staff>> staff_of;
  std::map<std::string, std::string> staff_names;
  std::set<std::tuple<std::string, std::string, int>> ticks;  // task, checklist, item
};

// The episode's ticked checklist items (audited read).
void load_ticks(Web& web, Page& p, const std::string& episode_id, TaskCards& cards) {
  if (auto list = service::list_checklist_ticks(web.ctx, p.caller, episode_id))
    for (const auto& k : *list) cards.ticks.insert({k.task_id, k.checklist_id, k.item});
}

http::Response episode_page(Web& web, Page& p, const std::string& id, const Notice& notice,
                            int status) {
  auto& ctx = web.ctx;
  auto view = service::get_episode(ctx, p.caller, id);
  if (!view) return error_page(p, view.error());
  core::Instant now = ctx.clock.now();
  const auto& v = *view;
  const auto& tpl = *v.pathway;
  bool en = p.lang == "en";
  bool family = v.family_view != core::FamilyView::none;
  auto orgs = organisations_by_id(ctx);

  Data d;
  d.set("episode_id", v.episode.id);
  d.set("patient_id", v.episode.patient_id);
  std::string patient_name, age;
  if (auto patient = service::get_patient(ctx, p.caller, v.episode.patient_id)) {
    patient_name = patient->name;
    if (patient->birth_date)
      age = std::to_string(core::age_on(*patient->birth_date, now)) + " " + p.t("years");
  }
  d.set("patient_name", patient_name);
  d.set("age", age);
  auto m = orgs.find(v.episode.municipality_id);
  d.set("municipality", m == orgs.end() ? "" : m->second.name);
  auto u = orgs.find(v.episode.hospital_unit_id);
  d.set("unit", u == orgs.end() ? "" : u->second.name);
  d.set("pathway_title", en ? tpl.title.en : tpl.title.nb);
  d.set("pathway_version", tpl.version);
  auto ready_at = v.episode.event_time("discharge_ready");
  const auto& tentative = v.episode.tentative_discharge_date;
  d.set("discharge", ready_at    ? format_day(ready_at)
                     : tentative ? format_day(core::oslo_start_of_day(*tentative)) + " (" +
                                       p.t("tentative") + ")"
                                 : p.t("not_known"));
  std::string consent = p.t("consent_none");
  if (auto consents = service::list_consents(ctx, p.caller, id)) {
    int in_force = 0;
    for (const auto& c : *consents)
      if (c.in_force(now)) ++in_force;
    if (in_force > 0) consent = p.t("consent_given") + " (" + std::to_string(in_force) + ")";
  }
  d.set("consent_status", consent);
  d.set(
      "episode_status",
      p.t(v.episode.status == core::EpisodeStatus::active ? "status_active" : "status_completed"));
  d.set("may_see_access_log", family || p.caller.principal.has_role("admin"));
  d.set("family_view", family);
  set_opt(d, "flash", notice.flash);
  d.set("flash_kind", notice.flash_kind);
  d.set("conflict", notice.conflict);
  d.set("chart", swimlane_svg(v, now, p.lang));

  TaskCards cards(web, p, v, now, false, true);
  load_ticks(web, p, v.episode.id, cards);
  bool can_edit = cards.can_edit;
  (void)can_edit;
  Data lanes{Data::type::list};
  for (const auto& lane : tpl.lanes) {
    Data phases{Data::type::list};
    bool any_lane = false;
    for (const auto& phase : tpl.phases) {
      Data tasks{Data::type::list};
      bool any = false;
      for (const auto& t : v.tasks) {
        if (t.lane != lane.id || t.phase != phase.id) continue;
        if (notice.conflict && notice.conflict_task_id == t.id) {
          const auto* step = tpl.find_step(t.step_id);
          d.set("conflict_task", title_of(step, p.lang));
          d.set("conflict_state", state_name(p.lang, display_state(t, now)));
          set_opt(d, "conflict_note", t.note);
        }
        tasks.push_back(cards.html(t));
        any = true;
      }
      if (!any) continue;
      Data pd;
      pd.set("phase_title", en ? phase.title.en : phase.title.nb);
      pd.set("tasks", tasks);
      phases.push_back(pd);
      any_lane = true;
    }
    if (!any_lane) continue;
    Data ld;
    ld.set("lane_id", lane.id);
    ld.set("lane_title", en ? lane.title.en : lane.title.nb);
    ld.set("phases", phases);
    lanes.push_back(ld);
  }
  d.set("lanes", lanes);
  return render_page(p, "episode", patient_name, d, status);
}

// A refused task change: a stale version (409) or bad input (400) shows
// the episode again with the message; anything else is an error page.
http::Response task_change_failed(Web& web, Page& p, const std::string& task_id, const Error& e) {
  std::string episode_id = p.field("episode_id");
  if (episode_id.empty() || (e.code != ErrorCode::conflict && e.code != ErrorCode::invalid_input))
    return error_page(p, e);
  Notice n;
  if (e.code == ErrorCode::conflict) {
    n.conflict = true;
    n.conflict_task_id = task_id;
  } else {
    n.flash = message_of(e, p.lang);
    n.flash_kind = "error";
  }
  return episode_page(web, p, episode_id, n, e.code == ErrorCode::conflict ? 409 : 400);
}

}  // namespace

Data episode_subpage_data(Web& web, const Page& p, const service::EpisodeView& v,
                          const std::string& flash, const std::string& error) {
  Data d;
  d.set("episode_id", v.episode.id);
  std::string name;
  if (auto patient = service::get_patient(web.ctx, p.caller, v.episode.patient_id))
    name = patient->name;
  d.set("patient_name", name);
  set_opt(d, "flash", flash);
  d.set("flash_kind", "success");
  set_opt(d, "error", error);
  d.set("can_edit", staff_may_edit(p, v));
  return d;
}

bool staff_may_edit(const Page& p, const service::EpisodeView& v) {
  return v.family_view == core::FamilyView::none &&
         p.caller.principal.kind == core::AccountKind::staff;
}

void add_episode_routes(http::Router& router, Web& web) {
  router.add("GET", "/episodes/{id}", page(web, [&web](Page& p) {
               Notice n;
               auto it = p.request.query.find("saved");
               if (it != p.request.query.end()) n.flash = p.t("saved");
               return episode_page(web, p, std::string(p.request.param("id")), n, 200);
             }));

  // One task change from the episode page's forms. Answers with a redirect
  // to the episode (htmx follows it and swaps the page's main part); a
  // stale version or a refused change shows the episode with the message.
  router.add("POST", "/tasks/{id}", page(web, [&web](Page& p) {
               std::string task_id(p.request.param("id"));
               std::string action = p.field("action");
               std::int64_t version = 0;
               try {
                 version = std::stoll(p.field("version"));
               } catch (...) {
                 version = 0;
               }
               core::TaskChange change;
               if (action == "start") {
                 change.state = core::TaskState::in_progress;
               } else if (action == "done") {
                 change.state = core::TaskState::done;
               } else if (action == "not_applicable") {
                 change.state = core::TaskState::not_applicable;
                 change.reason = p.field("reason");
               } else if (action == "reopen") {
                 change.state = core::TaskState::open;
               } else if (action == "assign") {
                 change.assignee_id = p.field("assignee_id");
               } else if (action == "assign_role") {
                 change.assignee_role = p.field("assignee_role");
               } else if (action == "note") {
                 change.note = p.field("note");
               } else {
                 return error_page(p, make_error(ErrorCode::invalid_input, "Unknown action.",
                                                 "Ukjent handling."));
               }
               if (version <= 0)
                 return error_page(p, make_error(ErrorCode::invalid_input, p.t("bad_version"),
                                                 text("nb", "bad_version")));
               auto r = service::update_task(web.ctx, p.caller, task_id, version, change);
               if (r)
                 return redirect("/episodes/" + r->task.episode_id + "?saved=1#task-" + task_id);
               return task_change_failed(web, p, task_id, r.error());
             }));

  // Ticks of one checklist of a task (item_N=on for each ticked item).
  router.add("POST", "/tasks/{id}/checklist", page(web, [&web](Page& p) {
               std::string task_id(p.request.param("id"));
               std::int64_t version = 0;
               try {
                 version = std::stoll(p.field("version"));
               } catch (...) {
                 version = 0;
               }
               if (version <= 0)
                 return error_page(p, make_error(ErrorCode::invalid_input, p.t("bad_version"),
                                                 text("nb", "bad_version")));
               std::vector<int> items;
               for (const auto& [k, v] : p.form) {
                 if (!k.starts_with("item_")) continue;
                 try {
                   items.push_back(std::stoi(k.substr(5)));
                 } catch (...) {
                   return error_page(
                       p, make_error(ErrorCode::invalid_input, "Bad item.", "Ugyldig punkt."));
                 }
               }
               auto r = service::set_checklist(web.ctx, p.caller, task_id, version,
                                               p.field("checklist_id"), items);
               if (r)
                 return redirect("/episodes/" + r->task.episode_id + "?saved=1#task-" + task_id);
               return task_change_failed(web, p, task_id, r.error());
             }));

  // A task's own page: the card with every action (assign, note, not
  // applicable). htmx loads it into the episode page's card.
  router.add("GET", "/tasks/{id}", page(web, [&web](Page& p) {
               auto& ctx = web.ctx;
               auto task = service::get_task(ctx, p.caller, std::string(p.request.param("id")));
               if (!task) return error_page(p, task.error());
               auto view = service::get_episode(ctx, p.caller, task->task.episode_id);
               if (!view) return error_page(p, view.error());
               const core::Task* t = nullptr;
               for (const auto& x : view->tasks)
                 if (x.id == task->task.id) t = &x;
               if (!t)
                 return error_page(p, make_error(ErrorCode::not_found, "There is no such task.",
                                                 "Oppgaven finnes ikke."));
               bool hx = p.request.header("hx-request").has_value();
               TaskCards cards(web, p, *view, ctx.clock.now(), true, hx);
               load_ticks(web, p, view->episode.id, cards);
               const auto* step = view->pathway->find_step(t->step_id);
               Data d;
               d.set("episode_id", view->episode.id);
               std::string name;
               if (auto patient = service::get_patient(ctx, p.caller, view->episode.patient_id))
                 name = patient->name;
               d.set("patient_name", name);
               d.set("task_title", title_of(step, p.lang));
               set_opt(d, "description",
                       step ? (p.lang == "en" ? step->description.en : step->description.nb) : "");
               d.set("task_html", cards.render(*t));
               return render_page(p, "task_page", title_of(step, p.lang), d);
             }));

  // "Who has looked at this": the patient's access log, for the patient,
  // a guardian with the full family view, or an administrator
  // (service::patient_access_log decides and audits).
  router.add("GET", "/patients/{id}/access-log", page(web, [&web](Page& p) {
               auto& ctx = web.ctx;
               std::string patient_id(p.request.param("id"));
               auto rows = service::patient_access_log(ctx, p.caller, patient_id, 200, 0);
               if (!rows) return error_page(p, rows.error());
               auto q = p.request.query.find("episode_id");
               std::string id = q == p.request.query.end() ? "" : q->second;
               auto orgs = organisations_by_id(ctx);
               Data d;
               d.set("episode_id", id);
               // Administrators see the log, not the patient's data.
               std::string name = p.t("patient");
               if (p.caller.principal.kind == core::AccountKind::family)
                 if (auto patient = service::get_patient(ctx, p.caller, patient_id))
                   name = patient->name;
               d.set("patient_name", name);
               bool admin = p.caller.principal.has_role("admin");
               d.set("admin", admin);
               Data list{Data::type::list};
               for (const auto& r : *rows) {
                 Data rd;
                 rd.set("when", format_time(r.at));
                 auto o = orgs.find(r.organisation_id);
                 rd.set("organisation", o == orgs.end() ? r.organisation_id : o->second.name);
                 set_opt(rd, "role", role_name(p.lang, r.role));
                 rd.set("action", r.action);
                 rd.set("basis", r.basis);
                 rd.set("outcome", r.outcome);
                 rd.set("emergency", r.emergency);
                 rd.set("user_id", r.user_id);
                 list.push_back(rd);
               }
               d.set("rows", list);
               d.set("has_rows", !rows->empty());
               return render_page(p, "access_log", p.t("who_has_looked"), d);
             }));
}

}  // namespace samflyt::web
