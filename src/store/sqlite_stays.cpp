// The events of hospital stays (migration 0009).
#include "store/sqlite_common.hpp"
#include "store/sqlite_repositories.hpp"

namespace samflyt::store {

using service::StoredStayEvent;

namespace {

constexpr const char* kColumns =
    "SELECT s.id, s.episode_id, s.stay, s.kind, s.at, s.day, s.recorded_by, s.recorded_at";

StoredStayEvent read_event(const sqlite::Statement& r) {
  StoredStayEvent e;
  e.id = r.text(0);
  e.episode_id = r.text(1);
  e.stay = static_cast<int>(r.integer(2));
  // The table's CHECK admits only the kinds core knows.
  e.event.kind = core::parse_stay_event_kind(r.text(3)).value_or(core::StayEventKind::admitted);
  e.event.at = instant(r.integer(4));
  if (!r.is_null(5))
    if (auto d = core::parse_date(r.text(5))) e.event.date = *d;
  e.recorded_by = r.text(6);
  e.recorded_at = instant(r.integer(7));
  return e;
}

}  // namespace

Result<std::vector<StoredStayEvent>> SqliteStays::events_of_episode(const std::string& episode_id) {
  return guarded([&]() -> Result<std::vector<StoredStayEvent>> {
    auto s = c_.prepare(std::string(kColumns) +
                        " FROM stay_events s WHERE s.episode_id = ? ORDER BY s.stay, s.at, "
                        "s.recorded_at, s.rowid");
    s.bind(1, episode_id);
    return all_rows(s, read_event);
  });
}

Result<void> SqliteStays::insert(const StoredStayEvent& e) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO stay_events (id, episode_id, stay, kind, at, day, recorded_by, "
          "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, e.id)
        .bind(2, e.episode_id)
        .bind(3, static_cast<std::int64_t>(e.stay))
        .bind(4, std::string(core::to_string(e.event.kind)))
        .bind(5, seconds(e.event.at))
        .bind_text_or_null(6, e.event.date ? core::format_date(*e.event.date) : std::string())
        .bind(7, e.recorded_by)
        .bind(8, seconds(e.recorded_at))
        .run();
    return {};
  });
}

Result<std::vector<std::pair<std::string, StoredStayEvent>>> SqliteStays::events_of_declared_stays(
    const std::string& municipality_id) {
  return guarded([&]() -> Result<std::vector<std::pair<std::string, StoredStayEvent>>> {
    auto s = c_.prepare(std::string(kColumns) +
                        ", e.municipality_id FROM stay_events s JOIN episodes e ON e.id = "
                        "s.episode_id WHERE (?1 = '' OR e.municipality_id = ?1) AND EXISTS "
                        "(SELECT 1 FROM stay_events d WHERE d.episode_id = s.episode_id AND "
                        "d.stay = s.stay AND d.kind = 'declared_ready') "
                        "ORDER BY s.episode_id, s.stay, s.at, s.recorded_at, s.rowid");
    s.bind(1, municipality_id);
    return all_rows(s, [](const sqlite::Statement& r) {
      return std::pair<std::string, StoredStayEvent>{r.text(8), read_event(r)};
    });
  });
}

}  // namespace samflyt::store
