// Read-only use cases.
#include <algorithm>
#include <map>

#include "service/use_cases.hpp"

namespace samflyt::service {

Result<std::vector<TemplatePtr>> list_pathways(Context& ctx) {
  return in_transaction(ctx.db, TxMode::read,
                        [&](Transaction& tx) -> Result<std::vector<TemplatePtr>> {
                          SAMFLYT_TRY(auto stored, tx.templates().list_current());
                          std::vector<TemplatePtr> out;
                          for (const auto& s : stored) {
                            SAMFLYT_TRY(TemplatePtr t, ctx.templates.get(tx, s.id, s.version));
                            out.push_back(std::move(t));
                          }
                          return out;
                        });
}

Result<TemplatePtr> get_pathway(Context& ctx, const std::string& id) {
  return in_transaction(ctx.db, TxMode::read, [&](Transaction& tx) -> Result<TemplatePtr> {
    auto t = ctx.templates.current(tx, id);
    if (!t && t.error().code == ErrorCode::not_found)
      return make_error(ErrorCode::not_found, "There is no such pathway.",
                        "Forløpsmalen finnes ikke.");
    return t;
  });
}

Result<std::vector<core::Organisation>> list_organisations(Context& ctx) {
  return in_transaction(ctx.db, TxMode::read,
                        [&](Transaction& tx) { return tx.organisations().list(); });
}

Result<std::vector<core::Staff>> list_staff(Context& ctx, const std::string& organisation_id) {
  return in_transaction(
      ctx.db, TxMode::read, [&](Transaction& tx) -> Result<std::vector<core::Staff>> {
        SAMFLYT_TRY(auto org, tx.organisations().get(organisation_id));
        if (!org)
          return make_error(ErrorCode::not_found, "There is no such organisation.",
                            "Organisasjonen finnes ikke.");
        return tx.staff().list_for_organisation(organisation_id);
      });
}

namespace {

Error task_not_found() {
  return make_error(ErrorCode::not_found, "There is no such task.", "Oppgaven finnes ikke.");
}

// Leaves a family member only the tasks their view shows, without staff notes.
void shape_for_family(EpisodeView& v, core::FamilyView view) {
  if (view == core::FamilyView::none) return;
  std::vector<core::Task> seen;
  for (auto& t : v.tasks) {
    const auto* step = v.pathway->find_step(t.step_id);
    if (step && core::family_sees_task(view, t.lane, step->kind))
      seen.push_back(core::as_family_sees(std::move(t)));
  }
  v.tasks = std::move(seen);
  v.family_view = view;
}

}  // namespace

Result<core::Patient> get_patient(Context& ctx, const Caller& caller, const std::string& id) {
  Instant now = ctx.clock.now();
  return audited(ctx, caller, TxMode::read,
                 [&](Transaction& tx, AuditTrail& trail) -> Result<core::Patient> {
                   SAMFLYT_TRY(auto p, tx.patients().get(id));
                   if (!p)
                     return make_error(ErrorCode::not_found, "There is no such patient.",
                                       "Pasienten finnes ikke.");
                   SAMFLYT_CHECK(require_patient_access(tx, caller, *p, core::Action::read, now,
                                                        trail, "patient/" + id, "read"));
                   return std::move(*p);
                 });
}

Result<EpisodeView> get_episode(Context& ctx, const Caller& caller, const std::string& id) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::read, [&](Transaction& tx, AuditTrail& trail) -> Result<EpisodeView> {
        SAMFLYT_TRY(auto access, require_episode_access(tx, caller, id, core::Action::read, now,
                                                        trail, "episode/" + id, "read"));
        SAMFLYT_TRY(auto e, tx.episodes().get(id));
        if (!e)
          return make_error(ErrorCode::not_found, "There is no such episode.",
                            "Forløpet finnes ikke.");
        SAMFLYT_TRY(TemplatePtr pathway, ctx.templates.get(tx, e->pathway_id, e->pathway_version));
        SAMFLYT_TRY(auto tasks, tx.tasks().list_for_episode(id));
        EpisodeView v{std::move(*e), std::move(tasks), pathway};
        shape_for_family(v, access.second.family_view);
        return v;
      });
}

Result<std::vector<core::Episode>> list_episodes(Context& ctx, const Caller& caller,
                                                 EpisodeFilter filter) {
  Instant now = ctx.clock.now();
  filter.now = now;
  const auto& who = caller.principal;
  return audited(
      ctx, caller, TxMode::read,
      [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<core::Episode>> {
        filter.scoped = true;
        if (who.kind == core::AccountKind::family) {
          SAMFLYT_TRY(filter.scope_patient_ids,
                      tx.accounts().patients_of_family_member(who.user_id));
        } else if (who.kind == core::AccountKind::staff) {
          filter.scope_organisations = core::basis_organisations(who);
          SAMFLYT_TRY(filter.scope_episode_ids, tx.access().episodes_of_member(who.user_id, now));
          SAMFLYT_TRY(filter.excluded_patient_ids,
                      tx.access().patients_blocking(who.user_id, core::grant_organisations(who)));
        }
        SAMFLYT_TRY(auto episodes, tx.episodes().list(filter));
        // The scope above narrows the query; the rule itself decides each row.
        std::vector<core::Episode> out;
        for (auto& e : episodes) {
          SAMFLYT_TRY(auto facts, tx.access().facts(e.id, who));
          if (!facts) continue;
          auto d = core::decide_episode_access(who, *facts, core::Action::read, now);
          if (!d.allowed) continue;
          trail.add(caller, d, now, e.patient_id, "episode/" + e.id, "list");
          out.push_back(std::move(e));
        }
        return out;
      });
}

Result<TaskView> get_task(Context& ctx, const Caller& caller, const std::string& task_id) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::read, [&](Transaction& tx, AuditTrail& trail) -> Result<TaskView> {
        SAMFLYT_TRY(auto task, tx.tasks().get(task_id));
        if (!task) return task_not_found();
        SAMFLYT_TRY(auto access,
                    require_episode_access(tx, caller, task->episode_id, core::Action::read, now,
                                           trail, "task/" + task_id, "read"));
        SAMFLYT_TRY(auto e, tx.episodes().get(task->episode_id));
        if (!e) return task_not_found();
        SAMFLYT_TRY(TemplatePtr pathway, ctx.templates.get(tx, e->pathway_id, e->pathway_version));
        if (access.second.family_view != core::FamilyView::none) {
          const auto* step = pathway->find_step(task->step_id);
          if (!step || !core::family_sees_task(access.second.family_view, task->lane, step->kind))
            return task_not_found();
          *task = core::as_family_sees(std::move(*task));
        }
        return TaskView{std::move(*task), pathway};
      });
}

Result<std::vector<TaskView>> list_tasks(Context& ctx, const Caller& caller, TaskFilter filter) {
  Instant now = ctx.clock.now();
  filter.now = now;
  const auto& who = caller.principal;
  return audited(
      ctx, caller, TxMode::read,
      [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<TaskView>> {
        // Who may see which worklist: an organisation's (core::decide_worklist_access),
        // one episode's (the episode rule), or a person's own.
        core::AccessDecision decision;
        if (who.kind != core::AccountKind::staff) {
          trail.add_event(caller, now, "", "worklist", "list", "denied");
          return make_error(ErrorCode::forbidden, "Worklists are for staff.",
                            "Arbeidslister er for ansatte.");
        }
        bool episode_audited = false;  // the episode rule noted the row already
        if (!filter.episode_id.empty()) {
          SAMFLYT_TRY(auto access, require_episode_access(
                                       tx, caller, filter.episode_id, core::Action::read, now,
                                       trail, "worklist/episode/" + filter.episode_id, "list"));
          decision = access.second;
          episode_audited = true;
        }
        if (!filter.organisation_id.empty()) {
          SAMFLYT_TRY(auto org, tx.organisations().get(filter.organisation_id));
          if (!org)
            return make_error(ErrorCode::not_found, "There is no such organisation.",
                              "Organisasjonen finnes ikke.", "organisation_id");
          decision = core::decide_worklist_access(who, *org);
          if (!decision.allowed) {
            trail.add(caller, decision, now, "", "worklist/" + org->id, "list");
            return *decision.refusal;
          }
        }
        if (!filter.assignee_id.empty() && filter.assignee_id != who.staff_id) {
          SAMFLYT_TRY(auto staff, tx.staff().get(filter.assignee_id));
          core::Organisation their_org;
          if (staff) their_org.id = staff->organisation_id;
          auto d = core::decide_worklist_access(who, their_org);
          if (!staff || !d.allowed) {
            trail.add_event(caller, now, "", "worklist/assignee/" + filter.assignee_id, "list",
                            "denied");
            return make_error(
                ErrorCode::forbidden,
                "You can see your own tasks and those of people in your organisation.",
                "Du kan se dine egne oppgaver og oppgavene til folk i din organisasjon.",
                "assignee_id");
          }
          if (filter.organisation_id.empty()) decision = d;
        }
        // One's own assignments alone: the episode rule decides each row.
        bool per_row = !decision.allowed;
        if (per_row) SAMFLYT_CHECK(require_clinical_role(caller));
        SAMFLYT_TRY(filter.excluded_patient_ids,
                    tx.access().patients_blocking(who.user_id, core::grant_organisations(who)));
        SAMFLYT_TRY(auto rows, tx.tasks().list(filter));
        std::vector<TaskView> out;
        out.reserve(rows.size());
        std::map<std::string, core::AccessDecision> by_episode;  // decided and audited
        TemplatePtr pathway;
        for (auto& row : rows) {
          auto [it, first] = by_episode.try_emplace(row.task.episode_id, decision);
          if (first) {
            if (per_row) {
              SAMFLYT_TRY(auto facts, tx.access().facts(row.task.episode_id, who));
              if (facts)
                it->second = core::decide_episode_access(who, *facts, core::Action::read, now);
            }
            if (it->second.allowed && !episode_audited)
              trail.add(caller, it->second, now, row.patient_id,
                        "worklist/episode/" + row.task.episode_id, "list");
          }
          if (!it->second.allowed) continue;
          // A page's tasks nearly all share one template version.
          if (!pathway || pathway->id != row.pathway_id ||
              pathway->version != row.pathway_version) {
            SAMFLYT_TRY(pathway, ctx.templates.get(tx, row.pathway_id, row.pathway_version));
          }
          out.push_back(TaskView{std::move(row.task), pathway});
        }
        return out;
      });
}

}  // namespace samflyt::service
