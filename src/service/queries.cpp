// Read-only use cases.
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

Result<core::Patient> get_patient(Context& ctx, const std::string& id) {
  return in_transaction(ctx.db, TxMode::read, [&](Transaction& tx) -> Result<core::Patient> {
    SAMFLYT_TRY(auto p, tx.patients().get(id));
    if (!p)
      return make_error(ErrorCode::not_found, "There is no such patient.",
                        "Pasienten finnes ikke.");
    return std::move(*p);
  });
}

Result<EpisodeView> get_episode(Context& ctx, const std::string& id) {
  return in_transaction(ctx.db, TxMode::read, [&](Transaction& tx) -> Result<EpisodeView> {
    SAMFLYT_TRY(auto e, tx.episodes().get(id));
    if (!e)
      return make_error(ErrorCode::not_found, "There is no such episode.", "Forløpet finnes ikke.");
    SAMFLYT_TRY(TemplatePtr pathway, ctx.templates.get(tx, e->pathway_id, e->pathway_version));
    SAMFLYT_TRY(auto tasks, tx.tasks().list_for_episode(id));
    return EpisodeView{std::move(*e), std::move(tasks), pathway};
  });
}

Result<std::vector<core::Episode>> list_episodes(Context& ctx, EpisodeFilter filter) {
  filter.now = ctx.clock.now();
  return in_transaction(ctx.db, TxMode::read,
                        [&](Transaction& tx) { return tx.episodes().list(filter); });
}

Result<TaskView> get_task(Context& ctx, const std::string& task_id) {
  return in_transaction(ctx.db, TxMode::read, [&](Transaction& tx) -> Result<TaskView> {
    SAMFLYT_TRY(auto task, tx.tasks().get(task_id));
    if (!task)
      return make_error(ErrorCode::not_found, "There is no such task.", "Oppgaven finnes ikke.");
    SAMFLYT_TRY(auto e, tx.episodes().get(task->episode_id));
    if (!e)
      return make_error(ErrorCode::not_found, "There is no such task.", "Oppgaven finnes ikke.");
    SAMFLYT_TRY(TemplatePtr pathway, ctx.templates.get(tx, e->pathway_id, e->pathway_version));
    return TaskView{std::move(*task), pathway};
  });
}

Result<std::vector<TaskView>> list_tasks(Context& ctx, TaskFilter filter) {
  filter.now = ctx.clock.now();
  return in_transaction(ctx.db, TxMode::read,
                        [&](Transaction& tx) -> Result<std::vector<TaskView>> {
                          SAMFLYT_TRY(auto rows, tx.tasks().list(filter));
                          std::vector<TaskView> out;
                          out.reserve(rows.size());
                          for (auto& row : rows) {
                            SAMFLYT_TRY(TemplatePtr pathway,
                                        ctx.templates.get(tx, row.pathway_id, row.pathway_version));
                            out.push_back(TaskView{std::move(row.task), std::move(pathway)});
                          }
                          return out;
                        });
}

}  // namespace samflyt::service
