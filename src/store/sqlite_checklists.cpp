// Ticked checklist items (migration 0007).
#include "store/sqlite_common.hpp"
#include "store/sqlite_repositories.hpp"

namespace samflyt::store {

using service::ChecklistTick;

Result<std::vector<ChecklistTick>> SqliteChecklists::ticks_of_episode(
    const std::string& episode_id) {
  return guarded([&]() -> Result<std::vector<ChecklistTick>> {
    auto s = c_.prepare(
        "SELECT k.task_id, k.checklist_id, k.item, k.ticked_by, k.ticked_at "
        "FROM checklist_ticks k JOIN tasks t ON t.id = k.task_id WHERE t.episode_id = ? "
        "ORDER BY k.task_id, k.checklist_id, k.item");
    s.bind(1, episode_id);
    return all_rows(s, [](const sqlite::Statement& r) {
      return ChecklistTick{r.text(0), r.text(1), static_cast<int>(r.integer(2)), r.text(3),
                           instant(r.integer(4))};
    });
  });
}

Result<void> SqliteChecklists::set_ticks(const std::string& task_id,
                                         const std::string& checklist_id,
                                         const std::vector<int>& items, const std::string& user_id,
                                         Instant at) {
  return guarded([&]() -> Result<void> {
    // Untick what is no longer ticked, then tick what is new.
    std::string keep;
    for (std::size_t i = 0; i < items.size(); ++i) keep += i ? ",?" : "?";
    auto del = c_.prepare("DELETE FROM checklist_ticks WHERE task_id = ? AND checklist_id = ?" +
                          (items.empty() ? std::string() : " AND item NOT IN (" + keep + ")"));
    del.bind(1, task_id).bind(2, checklist_id);
    for (std::size_t i = 0; i < items.size(); ++i)
      del.bind(static_cast<int>(i) + 3, static_cast<std::int64_t>(items[i]));
    del.run();
    for (int item : items)
      c_.prepare(
            "INSERT INTO checklist_ticks (task_id, checklist_id, item, ticked_by, ticked_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
          .bind(1, task_id)
          .bind(2, checklist_id)
          .bind(3, static_cast<std::int64_t>(item))
          .bind(4, user_id)
          .bind(5, seconds(at))
          .run();
    return {};
  });
}

}  // namespace samflyt::store
