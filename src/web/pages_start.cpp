// The start page (my tasks, my organisations' worklists, overdue counts,
// the episodes I have a basis for) and the patient search.
#include <set>

#include "core/access.hpp"
#include "service/messages.hpp"
#include "web/internal.hpp"

namespace samflyt::web {

namespace {

std::string lane_title(const service::TemplatePtr& t, const std::string& lane,
                       std::string_view lang) {
  if (t)
    if (const auto* l = t->find_lane(lane)) return lang == "en" ? l->title.en : l->title.nb;
  return lane;
}

Data work_item(const service::WorkItem& w, core::Instant now, std::string_view lang) {
  const auto& t = w.view.task;
  const auto* step = w.view.pathway ? w.view.pathway->find_step(t.step_id) : nullptr;
  std::string state = display_state(t, now);
  Data d;
  d.set("title", step ? (lang == "en" ? step->title.en : step->title.nb) : t.step_id);
  d.set("patient_name", w.patient_name);
  d.set("url", "/episodes/" + t.episode_id + "#task-" + t.id);
  d.set("state_class", state);
  d.set("state_label", state_name(lang, state));
  set_opt(d, "due", format_day(t.due_at));
  d.set("lane_name", lane_title(w.view.pathway, t.lane, lang));
  Data html;
  html.set("html", render_in(lang, "work_item", {&d}));
  return html;
}

std::string age_text(const std::optional<core::Date>& birth, core::Instant now,
                     std::string_view lang) {
  if (!birth) return "";
  return std::to_string(core::age_on(*birth, now)) + " " + text(lang, "years");
}

std::string query(const http::Request& req, const std::string& name) {
  auto it = req.query.find(name);
  return it == req.query.end() ? std::string() : it->second;
}

}  // namespace

void add_start_routes(http::Router& router, Web& web) {
  router.add(
      "GET", "/", page(web, [&web](Page& p) {
        auto& ctx = web.ctx;
        core::Instant now = ctx.clock.now();
        const auto& who = p.caller.principal;
        bool staff = who.kind == core::AccountKind::staff;
        auto orgs = organisations_by_id(ctx);
        Data d;
        d.set("is_staff", staff);
        if (staff) {
          Data mine{Data::type::list};
          std::set<std::string> mine_ids;
          // Assigned to me, then to one of my roles where I hold it.
          std::vector<service::TaskFilter> my_filters;
          if (!who.staff_id.empty()) {
            service::TaskFilter f;
            f.assignee_id = who.staff_id;
            my_filters.push_back(f);
          }
          for (const auto& g : who.grants)
            if (core::is_clinical_role(g.role)) {
              service::TaskFilter f;
              f.organisation_id = g.organisation_id;
              f.assignee_role = g.role;
              my_filters.push_back(f);
            }
          for (auto& f : my_filters) {
            f.unfinished_only = true;
            f.limit = 50;
            if (auto items = service::worklist(ctx, p.caller, f))
              for (const auto& w : *items)
                if (mine_ids.insert(w.view.task.id).second)
                  mine.push_back(work_item(w, now, p.lang));
          }
          d.set("has_my_tasks", !mine_ids.empty());
          d.set("my_tasks", mine);
          Data lists{Data::type::list};
          Data counts{Data::type::list};
          Data alerts{Data::type::list};
          std::set<std::string> seen;
          std::vector<service::OverdueCount> overdue;
          if (auto c = service::overdue_counts(ctx, p.caller)) overdue = std::move(*c);
          std::map<std::string, std::string> lane_titles;
          if (auto pathways = service::list_pathways(ctx))
            for (const auto& t : *pathways)
              for (const auto& l : t->lanes)
                lane_titles.emplace(l.id, p.lang == "en" ? l.title.en : l.title.nb);
          for (const auto& g : who.grants) {
            if (!core::is_clinical_role(g.role) || !seen.insert(g.organisation_id).second) continue;
            auto org = orgs.find(g.organisation_id);
            std::string org_name = org == orgs.end() ? g.organisation_id : org->second.name;
            service::TaskFilter f;
            f.organisation_id = g.organisation_id;
            f.unfinished_only = true;
            f.limit = 30;
            auto items = service::worklist(ctx, p.caller, f);
            if (!items) continue;
            Data list{Data::type::list};
            int n = 0;
            for (const auto& w : *items)
              if (!mine_ids.count(w.view.task.id)) {
                list.push_back(work_item(w, now, p.lang));
                ++n;
              }
            Data entry;
            entry.set("org_id", g.organisation_id);
            entry.set("org_name", org_name);
            entry.set("items", list);
            entry.set("has_items", n > 0);
            lists.push_back(entry);
            // The message watchdog's alerts on the organisation's episodes.
            if (auto found = service::organisation_message_alerts(ctx, p.caller, g.organisation_id))
              for (const auto& a : *found) {
                Data ad;
                ad.set("text", p.lang == "en" ? a.text : a.text_nb);
                ad.set("type", service::message_type_name(a.msg_type));
                ad.set("since", format_time(a.since));
                ad.set("url", "/episodes/" + a.episode_id + "/messages");
                ad.set("org_name", org_name);
                ad.set("patient_name", a.patient_name);
                alerts.push_back(ad);
              }
            // Overdue tasks of the organisation per lane (counted in SQL).
            bool any = false;
            for (const auto& c : overdue) {
              if (c.organisation_id != g.organisation_id) continue;
              auto title = lane_titles.find(c.lane);
              Data cd;
              cd.set("count", std::to_string(c.count));
              cd.set("count_nonzero", c.count > 0);
              cd.set("lane_name", title == lane_titles.end() ? c.lane : title->second);
              cd.set("org_name", org_name);
              counts.push_back(cd);
              any = true;
            }
            if (!any) {
              Data cd;
              cd.set("count", "0");
              cd.set("count_nonzero", false);
              cd.set("lane_name", text(p.lang, "tasks"));
              cd.set("org_name", org_name);
              counts.push_back(cd);
            }
          }
          d.set("org_lists", lists);
          d.set("overdue_counts", counts);
          d.set("message_alerts", alerts);
          d.set("has_message_alerts", !alerts.is_empty_list());
        }
        // The episodes, filtered.
        service::EpisodeFilter f;
        f.municipality_id = query(p.request, "municipality_id");
        f.hospital_unit_id = query(p.request, "hospital_unit_id");
        f.overdue = query(p.request, "overdue") == "true";
        f.status = core::EpisodeStatus::active;
        f.limit = 25;  // the newest; the filters find the others
        std::string phase = query(p.request, "phase");
        auto summaries = service::summarise_episodes(ctx, p.caller, f);
        if (!summaries) return error_page(p, summaries.error());
        Data episodes{Data::type::list};
        std::map<std::string, std::string> phase_titles;  // id -> title, from the pathways seen
        if (auto pathways = service::list_pathways(ctx))
          for (const auto& t : *pathways)
            for (const auto& ph : t->phases)
              phase_titles.emplace(ph.id, p.lang == "en" ? ph.title.en : ph.title.nb);
        int shown = 0;
        for (const auto& s : *summaries) {
          if (!phase.empty() && s.current_phase != phase) continue;
          Data e;
          e.set("url", "/episodes/" + s.episode.id);
          e.set("patient_name", s.patient_name);
          e.set("age", age_text(s.birth_date, now, p.lang));
          auto m = orgs.find(s.episode.municipality_id);
          e.set("municipality", m == orgs.end() ? "" : m->second.name);
          auto u = orgs.find(s.episode.hospital_unit_id);
          e.set("unit", u == orgs.end() ? "" : u->second.name);
          auto ph = phase_titles.find(s.current_phase);
          e.set("phase", ph == phase_titles.end() ? s.current_phase : ph->second);
          e.set("open", std::to_string(s.open_tasks));
          e.set("overdue", std::to_string(s.overdue_tasks));
          e.set("overdue_nonzero", s.overdue_tasks > 0);
          e.set("started", format_day(s.episode.started_at));
          episodes.push_back(e);
          ++shown;
        }
        d.set("episodes", episodes);
        d.set("has_episodes", shown > 0);
        d.set("municipalities",
              organisation_options(orgs, core::OrgKind::municipality, f.municipality_id));
        d.set("units",
              organisation_options(orgs, core::OrgKind::hospital_unit, f.hospital_unit_id));
        Data phases{Data::type::list};
        if (auto pathways = service::list_pathways(ctx))
          for (const auto& t : *pathways)
            for (const auto& ph : t->phases) {
              Data o;
              o.set("id", ph.id);
              o.set("name", p.lang == "en" ? ph.title.en : ph.title.nb);
              o.set("selected", ph.id == phase);
              phases.push_back(o);
            }
        d.set("phases", phases);
        d.set("overdue", f.overdue);
        return render_page(p, "start", text(p.lang, "start_title"), d);
      }));

  // Patient search by national id or name (audited by the use cases).
  router.add("GET", "/patients/search", page(web, [&web](Page& p) {
               auto& ctx = web.ctx;
               Data d;
               std::string q = query(p.request, "q");
               d.set("q", q);
               if (!q.empty()) {
                 // Eleven digits: a national id; anything else: a part of a name.
                 bool digits = q.find_first_not_of("0123456789 ") == std::string::npos;
                 Result<std::vector<core::Patient>> found = std::vector<core::Patient>();
                 if (digits) {
                   auto one = service::find_patient(ctx, p.caller, q);
                   if (one && *one) found = std::vector<core::Patient>{**one};
                   if (!one) found = one.error();
                 } else {
                   found = service::search_patients_by_name(ctx, p.caller, q);
                 }
                 if (!found && found.error().code != ErrorCode::invalid_input)
                   return error_page(p, found.error());
                 d.set("searched", found.ok());
                 if (!found) set_opt(d, "error", message_of(found.error(), p.lang));
                 auto orgs = organisations_by_id(ctx);
                 Data patients{Data::type::list};
                 if (found)
                   for (const auto& patient : *found) {
                     Data pd;
                     pd.set("name", patient.name);
                     pd.set("born",
                            patient.birth_date ? format_birth_date(*patient.birth_date) : "");
                     auto m = orgs.find(patient.municipality_id);
                     pd.set("municipality", m == orgs.end() ? "" : m->second.name);
                     service::EpisodeFilter f;
                     f.patient_id = patient.id;
                     Data eps{Data::type::list};
                     int n = 0;
                     if (auto list = service::list_episodes(ctx, p.caller, f))
                       for (const auto& e : *list) {
                         Data ed;
                         ed.set("url", "/episodes/" + e.id);
                         std::string title = e.pathway_id;
                         if (auto t = service::get_pathway(ctx, e.pathway_id))
                           title = p.lang == "en" ? (*t)->title.en : (*t)->title.nb;
                         ed.set("title", title);
                         ed.set("started", format_day(e.started_at));
                         eps.push_back(ed);
                         ++n;
                       }
                     pd.set("episodes", eps);
                     pd.set("has_episodes", n > 0);
                     patients.push_back(pd);
                   }
                 d.set("patients", patients);
                 d.set("has_patients", found && !found->empty());
               }
               return render_page(p, "search", text(p.lang, "search_title"), d);
             }));
}

}  // namespace samflyt::web
