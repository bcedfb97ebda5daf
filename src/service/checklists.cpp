#include "service/checklists.hpp"

#include <algorithm>

namespace samflyt::service {

Result<std::vector<ChecklistTick>> list_checklist_ticks(Context& ctx, const Caller& caller,
                                                        const std::string& episode_id) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::read,
      [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<ChecklistTick>> {
        SAMFLYT_CHECK(require_episode_access(tx, caller, episode_id, core::Action::read, now, trail,
                                             "episode/" + episode_id + "/checklists", "read"));
        return tx.checklists().ticks_of_episode(episode_id);
      });
}

Result<TaskView> set_checklist(Context& ctx, const Caller& caller, const std::string& task_id,
                               std::int64_t expected_version, const std::string& checklist_id,
                               std::vector<int> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<TaskView> {
        SAMFLYT_TRY(auto task, tx.tasks().get(task_id));
        if (!task)
          return make_error(ErrorCode::not_found, "There is no such task.",
                            "Oppgaven finnes ikke.");
        SAMFLYT_CHECK(require_episode_access(tx, caller, task->episode_id, core::Action::write, now,
                                             trail, "task/" + task_id + "/checklist", "update"));
        SAMFLYT_TRY(auto episode, tx.episodes().get(task->episode_id));
        if (!episode)
          return make_error(ErrorCode::not_found, "There is no such task.",
                            "Oppgaven finnes ikke.");
        SAMFLYT_TRY(TemplatePtr pathway,
                    ctx.templates.get(tx, episode->pathway_id, episode->pathway_version));
        const core::Step* step = pathway->find_step(task->step_id);
        const core::Checklist* list = nullptr;
        if (step)
          for (const auto& c : step->checklists)
            if (c.id == checklist_id) list = &c;
        if (!list)
          return make_error(ErrorCode::invalid_input, "The step has no such checklist.",
                            "Steget har ingen slik sjekkliste.", "checklist_id");
        for (int i : items)
          if (i < 0 || i >= static_cast<int>(list->items.size()))
            return make_error(ErrorCode::invalid_input, "The checklist has no such item.",
                              "Sjekklisten har ikke et slikt punkt.", "item");
        if (task->version != expected_version)
          return make_error(
              ErrorCode::conflict, "The task was changed by someone else; reload it and try again.",
              "Oppgaven er endret av noen andre; last den inn på nytt og prøv igjen.");
        task->version = expected_version + 1;
        task->updated_at = now;
        SAMFLYT_CHECK(tx.tasks().update(*task, expected_version));
        SAMFLYT_CHECK(
            tx.checklists().set_ticks(task_id, checklist_id, items, caller.principal.user_id, now));
        return TaskView{std::move(*task), pathway};
      });
}

}  // namespace samflyt::service
