#include "service/use_cases.hpp"

namespace samflyt::service {

namespace {
Error task_not_found() {
  return make_error(ErrorCode::not_found, "There is no such task.", "Oppgaven finnes ikke.");
}

Error stale_version(std::int64_t current) {
  return make_error(ErrorCode::conflict,
                    "The task was changed by someone else (now version " + std::to_string(current) +
                        "). Reload it and try again.",
                    "Oppgaven er endret av noen andre (nå versjon " + std::to_string(current) +
                        "). Last den inn på nytt og prøv igjen.");
}
// Whether `org_id` is `ancestor_id` or an organisation below it.
Result<bool> within(Transaction& tx, std::string org_id, const std::string& ancestor_id) {
  for (int depth = 0; depth < 16 && !org_id.empty(); ++depth) {
    if (org_id == ancestor_id) return true;
    SAMFLYT_TRY(auto org, tx.organisations().get(org_id));
    if (!org) return false;
    org_id = org->parent_id;
  }
  return false;
}

// A task is assigned to someone in the organisation that owns it (or a
// unit below it); a family task to someone at the episode's hospital unit
// or municipality.
Result<void> check_assignee(Transaction& tx, const core::Episode& e, const core::Task& task,
                            const std::string& staff_id) {
  SAMFLYT_TRY(auto staff, tx.staff().get(staff_id));
  if (!staff)
    return make_error(ErrorCode::invalid_input, "assignee_id is not a known person.",
                      "assignee_id er ikke en kjent person.", "assignee_id");
  std::vector<std::string> owners{task.organisation_id};
  if (task.organisation_id.empty()) owners = {e.hospital_unit_id, e.municipality_id};
  for (const auto& owner : owners) {
    SAMFLYT_TRY(bool ok, within(tx, staff->organisation_id, owner));
    if (ok) return {};
  }
  return make_error(ErrorCode::invalid_input,
                    "The person does not work in the organisation that owns the task.",
                    "Personen arbeider ikke i organisasjonen som eier oppgaven.", "assignee_id");
}

}  // namespace

Result<TaskView> update_task(Context& ctx, const Caller& caller, const std::string& task_id,
                             std::int64_t expected_version, const core::TaskChange& change) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<TaskView> {
        SAMFLYT_TRY(auto task, tx.tasks().get(task_id));
        if (!task) return task_not_found();
        SAMFLYT_CHECK(require_episode_access(tx, caller, task->episode_id, core::Action::write, now,
                                             trail, "task/" + task_id, "update"));
        if (task->version != expected_version) return stale_version(task->version);
        SAMFLYT_TRY(auto episode, tx.episodes().get(task->episode_id));
        if (!episode) return task_not_found();
        if (change.assignee_id && !change.assignee_id->empty())
          SAMFLYT_CHECK(check_assignee(tx, *episode, *task, *change.assignee_id));
        SAMFLYT_TRY(TemplatePtr pathway,
                    ctx.templates.get(tx, episode->pathway_id, episode->pathway_version));
        SAMFLYT_TRY(auto tasks, tx.tasks().list_for_episode(episode->id));
        std::size_t index = 0;
        while (index < tasks.size() && tasks[index].id != task_id) ++index;
        if (index == tasks.size()) return task_not_found();

        SAMFLYT_TRY(auto derived, core::change_task(*pathway, *episode, tasks, index, change, now));
        SAMFLYT_CHECK(tx.tasks().update(tasks[index], expected_version));
        for (std::size_t i : derived) SAMFLYT_CHECK(tx.tasks().update_derived(tasks[i]));

        core::EpisodeStatus status = core::status_for(tasks);
        if (status != episode->status) {
          std::int64_t expected = episode->version;
          episode->status = status;
          episode->version += 1;
          episode->updated_at = now;
          SAMFLYT_CHECK(tx.episodes().update(*episode, expected));
        }
        return TaskView{tasks[index], pathway};
      });
}

}  // namespace samflyt::service
