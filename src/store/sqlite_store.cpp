#include "store/sqlite_store.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iterator>

#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_common.hpp"
#include "store/sqlite_repositories.hpp"

namespace samflyt::store {

using sqlite::Connection;
using sqlite::Statement;
using namespace samflyt::core;
using service::TxMode;

namespace {

// --- organisations -------------------------------------------------------

constexpr const char* kOrgColumns =
    "SELECT id, name, kind, org_number, her_id, parent_id FROM organisations";

Organisation read_org(const Statement& s) {
  return Organisation{s.text(0),
                      s.text(1),
                      parse_org_kind(s.text(2)).value_or(OrgKind::municipality),
                      s.text(3),
                      s.optional_integer(4),
                      s.text(5)};
}

class SqliteOrganisations final : public service::OrganisationRepository {
 public:
  explicit SqliteOrganisations(Connection& c) : c_(c) {}
  Result<void> insert(const Organisation& o) override {
    return guarded([&]() -> Result<void> {
      c_.prepare(
            "INSERT INTO organisations (id, name, kind, org_number, her_id, parent_id) VALUES (?, "
            "?, ?, ?, ?, ?)")
          .bind(1, o.id)
          .bind(2, o.name)
          .bind(3, to_string(o.kind))
          .bind_text_or_null(4, o.org_number)
          .bind(5, o.her_id)
          .bind_text_or_null(6, o.parent_id)
          .run();
      return {};
    });
  }
  Result<std::optional<Organisation>> get(const std::string& id) override {
    return guarded([&]() -> Result<std::optional<Organisation>> {
      auto s = c_.prepare(std::string(kOrgColumns) + " WHERE id = ?");
      s.bind(1, id);
      return first_row(s, read_org);
    });
  }
  Result<std::vector<Organisation>> list() override {
    return guarded([&]() -> Result<std::vector<Organisation>> {
      auto s = c_.prepare(std::string(kOrgColumns) + " ORDER BY name, id");
      return all_rows(s, read_org);
    });
  }

 private:
  Connection& c_;
};

// --- staff -----------------------------------------------------------------

constexpr const char* kStaffColumns =
    "SELECT id, name, organisation_id, role, email, phone FROM staff";

Staff read_staff(const Statement& s) {
  return Staff{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)};
}

class SqliteStaff final : public service::StaffRepository {
 public:
  explicit SqliteStaff(Connection& c) : c_(c) {}
  Result<void> insert(const Staff& st) override {
    return guarded([&]() -> Result<void> {
      c_.prepare(
            "INSERT INTO staff (id, name, organisation_id, role, email, phone) VALUES (?, ?, ?, ?, "
            "?, ?)")
          .bind(1, st.id)
          .bind(2, st.name)
          .bind(3, st.organisation_id)
          .bind(4, st.role)
          .bind(5, st.email)
          .bind(6, st.phone)
          .run();
      return {};
    });
  }
  Result<std::optional<Staff>> get(const std::string& id) override {
    return guarded([&]() -> Result<std::optional<Staff>> {
      auto s = c_.prepare(std::string(kStaffColumns) + " WHERE id = ?");
      s.bind(1, id);
      return first_row(s, read_staff);
    });
  }
  Result<std::vector<Staff>> list_for_organisation(const std::string& org_id) override {
    return guarded([&]() -> Result<std::vector<Staff>> {
      auto s =
          c_.prepare(std::string(kStaffColumns) + " WHERE organisation_id = ? ORDER BY name, id");
      s.bind(1, org_id);
      return all_rows(s, read_staff);
    });
  }

 private:
  Connection& c_;
};

// --- patients ----------------------------------------------------------

constexpr const char* kPatientColumns =
    "SELECT id, national_id, name, municipality_id, birth_date, version, created_at FROM patients";

Patient read_patient(const Statement& s) {
  Patient p{s.text(0),
            s.text(1),
            s.text(2),
            s.text(3),
            std::nullopt,
            s.integer(5),
            instant(s.integer(6))};
  if (auto d = parse_date(s.text(4))) p.birth_date = *d;
  return p;
}

class SqlitePatients final : public service::PatientRepository {
 public:
  explicit SqlitePatients(Connection& c) : c_(c) {}
  Result<void> insert(const Patient& p) override {
    return guarded([&]() -> Result<void> {
      c_.prepare(
            "INSERT INTO patients (id, national_id, name, municipality_id, birth_date, version, "
            "created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)")
          .bind(1, p.id)
          .bind(2, p.national_id)
          .bind(3, p.name)
          .bind(4, p.municipality_id)
          .bind_text_or_null(5, p.birth_date ? format_date(*p.birth_date) : std::string())
          .bind(6, p.version)
          .bind(7, seconds(p.created_at))
          .run();
      return {};
    });
  }
  Result<std::optional<Patient>> get(const std::string& id) override { return find("id", id); }
  Result<std::optional<Patient>> find_by_national_id(const std::string& nid) override {
    return find("national_id", nid);
  }
  Result<std::vector<Patient>> search_by_name(const std::string& text, int limit) override {
    return guarded([&]() -> Result<std::vector<Patient>> {
      // LIKE's own characters in the text match only themselves.
      std::string pattern = "%";
      for (char ch : text) {
        if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
        pattern += ch;
      }
      pattern += '%';
      auto s = c_.prepare(std::string(kPatientColumns) +
                          " WHERE name LIKE ? ESCAPE '\\' ORDER BY name, id LIMIT ?");
      s.bind(1, pattern).bind(2, static_cast<std::int64_t>(limit));
      return all_rows(s, read_patient);
    });
  }

 private:
  Result<std::optional<Patient>> find(std::string_view column, const std::string& value) {
    return guarded([&]() -> Result<std::optional<Patient>> {
      auto s = c_.prepare(std::string(kPatientColumns) +
                          (column == "id" ? " WHERE id = ?" : " WHERE national_id = ?"));
      s.bind(1, value);
      return first_row(s, read_patient);
    });
  }
  Connection& c_;
};

// --- pathway templates -------------------------------------------------

constexpr const char* kTemplateColumns =
    "SELECT id, version, source, file_name, loaded_at FROM pathway_templates";

service::StoredTemplate read_template(const Statement& s) {
  return service::StoredTemplate{s.text(0), s.text(1), s.text(2), s.text(3), instant(s.integer(4))};
}

class SqliteTemplates final : public service::TemplateRepository {
 public:
  explicit SqliteTemplates(Connection& c) : c_(c) {}
  Result<void> put_current(const service::StoredTemplate& t) override {
    return guarded([&]() -> Result<void> {
      c_.prepare(
            "INSERT INTO pathway_templates (id, version, source, file_name, loaded_at) VALUES (?, "
            "?, ?, ?, ?) "
            "ON CONFLICT (id, version) DO NOTHING")
          .bind(1, t.id)
          .bind(2, t.version)
          .bind(3, t.source)
          .bind(4, t.file_name)
          .bind(5, seconds(t.loaded_at))
          .run();
      c_.prepare(
            "UPDATE pathway_templates SET is_current = 0 WHERE id = ? AND version <> ? AND "
            "is_current = 1")
          .bind(1, t.id)
          .bind(2, t.version)
          .run();
      c_.prepare("UPDATE pathway_templates SET is_current = 1 WHERE id = ? AND version = ?")
          .bind(1, t.id)
          .bind(2, t.version)
          .run();
      return {};
    });
  }
  Result<std::optional<service::StoredTemplate>> get(const std::string& id,
                                                     const std::string& version) override {
    return guarded([&]() -> Result<std::optional<service::StoredTemplate>> {
      auto s = c_.prepare(std::string(kTemplateColumns) + " WHERE id = ? AND version = ?");
      s.bind(1, id).bind(2, version);
      return first_row(s, read_template);
    });
  }
  Result<std::optional<service::StoredTemplate>> current(const std::string& id) override {
    return guarded([&]() -> Result<std::optional<service::StoredTemplate>> {
      auto s = c_.prepare(std::string(kTemplateColumns) + " WHERE id = ? AND is_current = 1");
      s.bind(1, id);
      return first_row(s, read_template);
    });
  }
  Result<std::vector<service::StoredTemplate>> list_current() override {
    return guarded([&]() -> Result<std::vector<service::StoredTemplate>> {
      auto s = c_.prepare(std::string(kTemplateColumns) + " WHERE is_current = 1 ORDER BY id");
      return all_rows(s, read_template);
    });
  }

 private:
  Connection& c_;
};

// --- episodes ----------------------------------------------------------

constexpr const char* kEpisodeColumns =
    "SELECT e.id, e.patient_id, e.pathway_id, e.pathway_version, e.hospital_unit_id, "
    "e.municipality_id, "
    "e.started_at, e.status, e.version, e.created_at, e.updated_at, e.tentative_discharge_date "
    "FROM episodes e";

Episode read_episode(const Statement& s) {
  Episode e;
  e.id = s.text(0);
  e.patient_id = s.text(1);
  e.pathway_id = s.text(2);
  e.pathway_version = s.text(3);
  e.hospital_unit_id = s.text(4);
  e.municipality_id = s.text(5);
  e.started_at = instant(s.integer(6));
  e.status = parse_episode_status(s.text(7)).value_or(EpisodeStatus::active);
  e.version = s.integer(8);
  e.created_at = instant(s.integer(9));
  e.updated_at = instant(s.integer(10));
  if (!s.is_null(11))
    if (auto day = core::parse_date(s.text(11))) e.tentative_discharge_date = *day;
  return e;
}

class SqliteEpisodes final : public service::EpisodeRepository {
 public:
  explicit SqliteEpisodes(Connection& c) : c_(c) {}
  Result<void> insert(const Episode& e) override {
    return guarded([&]() -> Result<void> {
      c_.prepare(
            "INSERT INTO episodes (id, patient_id, pathway_id, pathway_version, hospital_unit_id, "
            "municipality_id, started_at, status, version, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(1, e.id)
          .bind(2, e.patient_id)
          .bind(3, e.pathway_id)
          .bind(4, e.pathway_version)
          .bind(5, e.hospital_unit_id)
          .bind(6, e.municipality_id)
          .bind(7, seconds(e.started_at))
          .bind(8, to_string(e.status))
          .bind(9, e.version)
          .bind(10, seconds(e.created_at))
          .bind(11, seconds(e.updated_at))
          .run();
      write_events(e, 0);
      return {};
    });
  }
  Result<std::optional<Episode>> get(const std::string& id) override {
    return guarded([&]() -> Result<std::optional<Episode>> {
      auto s = c_.prepare(std::string(kEpisodeColumns) + " WHERE e.id = ?");
      s.bind(1, id);
      if (!s.step()) return std::optional<Episode>();
      Episode e = read_episode(s);
      auto ev =
          c_.prepare("SELECT event_id, at FROM episode_events WHERE episode_id = ? ORDER BY seq");
      ev.bind(1, id);
      while (ev.step()) e.events.push_back(EpisodeEvent{ev.text(0), instant(ev.integer(1))});
      return std::optional<Episode>(std::move(e));
    });
  }
  Result<void> update(const Episode& e, std::int64_t expected_version) override {
    return guarded([&]() -> Result<void> {
      auto s = c_.prepare(
          "UPDATE episodes SET status = ?, version = ?, updated_at = ?, tentative_discharge_date = "
          "? "
          "WHERE id = ? AND version = ?");
      s.bind(1, to_string(e.status)).bind(2, e.version).bind(3, seconds(e.updated_at));
      s.bind_text_or_null(
          4, e.tentative_discharge_date ? core::format_date(*e.tentative_discharge_date) : "");
      s.bind(5, e.id).bind(6, expected_version).run();
      if (s.changes() != 1) return stale();
      auto count = c_.prepare("SELECT count(*) FROM episode_events WHERE episode_id = ?");
      count.bind(1, e.id);
      count.step();
      write_events(e, static_cast<std::size_t>(count.integer(0)));
      return {};
    });
  }
  Result<std::vector<Episode>> list(const service::EpisodeFilter& f) override {
    return guarded([&]() -> Result<std::vector<Episode>> {
      if (!f.scoped) return list_where(f, "", "");
      // The access scope as separate queries, each read in start order
      // from its own index and merged here: one OR over all of them makes
      // SQLite collect every matching episode (thousands for a
      // municipality) and sort them for one page.
      std::vector<Episode> rows;
      auto add = [&](std::vector<Episode> more) {
        rows.insert(rows.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
      };
      for (const auto& org : f.scope_organisations) {
        add(list_where(f, " AND e.hospital_unit_id = ?8", org));
        add(list_where(f, " AND e.municipality_id = ?8", org));
      }
      if (!f.scope_episode_ids.empty())
        add(list_where(f, " AND e.id IN (SELECT value FROM json_each(?8))",
                       json_array(f.scope_episode_ids)));
      if (!f.scope_patient_ids.empty())
        add(list_where(f, " AND e.patient_id IN (SELECT value FROM json_each(?8))",
                       json_array(f.scope_patient_ids)));
      auto newest_first = [](const Episode& a, const Episode& b) {
        return a.started_at != b.started_at ? a.started_at > b.started_at : a.id < b.id;
      };
      std::sort(rows.begin(), rows.end(), newest_first);
      rows.erase(std::unique(rows.begin(), rows.end(),
                             [](const Episode& a, const Episode& b) { return a.id == b.id; }),
                 rows.end());
      auto from = std::min(rows.size(), static_cast<std::size_t>(std::max(f.offset, 0)));
      auto to = std::min(rows.size(), from + static_cast<std::size_t>(std::max(f.limit, 0)));
      return std::vector<Episode>(std::make_move_iterator(rows.begin() + from),
                                  std::make_move_iterator(rows.begin() + to));
    });
  }

 private:
  // The filter's page (offset and limit counted from the first row, so
  // that merged scopes can cut the page themselves) of the episodes that
  // also meet `scope_sql` (with ?8 bound to `scope_value` when given).
  std::vector<Episode> list_where(const service::EpisodeFilter& f, const char* scope_sql,
                                  const std::string& scope_value) {
    // Fixed SQL fragments chosen by which filters are set; every value is
    // bound as a parameter.
    std::string sql = std::string(kEpisodeColumns) + " WHERE 1 = 1";
    if (!f.municipality_id.empty()) sql += " AND e.municipality_id = ?1";
    if (!f.hospital_unit_id.empty()) sql += " AND e.hospital_unit_id = ?2";
    if (!f.patient_id.empty()) sql += " AND e.patient_id = ?3";
    if (f.status) sql += " AND e.status = ?4";
    if (f.overdue)
      sql +=
          " AND EXISTS (SELECT 1 FROM tasks t WHERE t.episode_id = e.id AND t.state IN "
          "('open', 'in_progress') AND t.due_at < ?5)";
    sql += scope_sql;
    if (!f.excluded_patient_ids.empty())
      sql += " AND e.patient_id NOT IN (SELECT value FROM json_each(?9))";
    sql += " ORDER BY e.started_at DESC, e.id LIMIT ?6 OFFSET ?7";
    auto s = c_.prepare(sql);
    if (*scope_sql) s.bind(8, scope_value);
    if (!f.excluded_patient_ids.empty()) s.bind(9, json_array(f.excluded_patient_ids));
    if (!f.municipality_id.empty()) s.bind(1, f.municipality_id);
    if (!f.hospital_unit_id.empty()) s.bind(2, f.hospital_unit_id);
    if (!f.patient_id.empty()) s.bind(3, f.patient_id);
    if (f.status) s.bind(4, to_string(*f.status));
    if (f.overdue) s.bind(5, seconds(f.now));
    if (f.scoped) {
      s.bind(6, std::max(f.offset, 0) + std::max(f.limit, 0)).bind(7, 0);
    } else {
      s.bind(6, f.limit).bind(7, f.offset);
    }
    return all_rows(s, read_episode);
  }

  void write_events(const Episode& e, std::size_t from) {
    for (std::size_t i = from; i < e.events.size(); ++i)
      c_.prepare("INSERT INTO episode_events (episode_id, seq, event_id, at) VALUES (?, ?, ?, ?)")
          .bind(1, e.id)
          .bind(2, static_cast<std::int64_t>(i))
          .bind(3, e.events[i].event_id)
          .bind(4, seconds(e.events[i].at))
          .run();
  }
  Connection& c_;
};

// --- tasks -------------------------------------------------------------

constexpr const char* kTaskColumns =
    "SELECT id, episode_id, seq, step_id, lane, phase, organisation_id, state, ready, due_at, "
    "finished_at, assignee_id, reason, note, version, updated_at, assignee_role FROM tasks";
// The same columns (read_task) followed by the episode's template version.
constexpr const char* kTaskRowColumns =
    "SELECT t.id, t.episode_id, t.seq, t.step_id, t.lane, t.phase, t.organisation_id, t.state, "
    "t.ready, "
    "t.due_at, t.finished_at, t.assignee_id, t.reason, t.note, t.version, t.updated_at, "
    "t.assignee_role, e.pathway_id, e.pathway_version, e.patient_id FROM tasks t JOIN episodes e "
    "ON e.id = "
    "t.episode_id";

Task read_task(const Statement& s) {
  Task t;
  t.id = s.text(0);
  t.episode_id = s.text(1);
  t.seq = static_cast<int>(s.integer(2));
  t.step_id = s.text(3);
  t.lane = s.text(4);
  t.phase = s.text(5);
  t.organisation_id = s.text(6);
  t.state = parse_task_state(s.text(7)).value_or(TaskState::open);
  t.ready = s.integer(8) != 0;
  t.due_at = instant(s.optional_integer(9));
  t.finished_at = instant(s.optional_integer(10));
  t.assignee_id = s.text(11);
  t.reason = s.text(12);
  t.note = s.text(13);
  t.version = s.integer(14);
  t.updated_at = instant(s.integer(15));
  t.assignee_role = s.text(16);
  return t;
}

class SqliteTasks final : public service::TaskRepository {
 public:
  explicit SqliteTasks(Connection& c) : c_(c) {}
  Result<std::vector<std::pair<std::string, int>>> count_overdue_by_lane(
      const std::string& organisation_id, Instant now) override {
    return guarded([&]() -> Result<std::vector<std::pair<std::string, int>>> {
      // The worklist index (organisation_id, coalesce(due_at, max), id) over
      // unfinished tasks: the same expression, so that the range uses it.
      auto s = c_.prepare(
          "SELECT lane, count(*) FROM tasks WHERE organisation_id = ? "
          "AND state IN ('open', 'in_progress') AND coalesce(due_at, 9223372036854775807) < ? "
          "GROUP BY lane ORDER BY lane");
      s.bind(1, organisation_id).bind(2, seconds(now));
      return all_rows(s, [](const Statement& r) {
        return std::pair<std::string, int>{r.text(0), static_cast<int>(r.integer(1))};
      });
    });
  }
  Result<void> insert(const Task& t) override {
    return guarded([&]() -> Result<void> {
      c_.prepare(
            "INSERT INTO tasks (id, episode_id, seq, step_id, lane, phase, organisation_id, state, "
            "ready, "
            "due_at, finished_at, assignee_id, reason, note, version, updated_at, assignee_role) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(1, t.id)
          .bind(2, t.episode_id)
          .bind(3, t.seq)
          .bind(4, t.step_id)
          .bind(5, t.lane)
          .bind(6, t.phase)
          .bind_text_or_null(7, t.organisation_id)
          .bind(8, to_string(t.state))
          .bind(9, t.ready ? 1 : 0)
          .bind(10, seconds(t.due_at))
          .bind(11, seconds(t.finished_at))
          .bind_text_or_null(12, t.assignee_id)
          .bind(13, t.reason)
          .bind(14, t.note)
          .bind(15, t.version)
          .bind(16, seconds(t.updated_at))
          .bind_text_or_null(17, t.assignee_role)
          .run();
      return {};
    });
  }
  Result<std::optional<Task>> get(const std::string& id) override {
    return guarded([&]() -> Result<std::optional<Task>> {
      auto s = c_.prepare(std::string(kTaskColumns) + " WHERE id = ?");
      s.bind(1, id);
      return first_row(s, read_task);
    });
  }
  Result<std::vector<Task>> list_for_episode(const std::string& episode_id) override {
    return guarded([&]() -> Result<std::vector<Task>> {
      auto s = c_.prepare(std::string(kTaskColumns) + " WHERE episode_id = ? ORDER BY seq");
      s.bind(1, episode_id);
      return all_rows(s, read_task);
    });
  }
  Result<void> update(const Task& t, std::int64_t expected_version) override {
    return guarded([&]() -> Result<void> {
      auto s = c_.prepare(
          "UPDATE tasks SET state = ?, ready = ?, due_at = ?, finished_at = ?, assignee_id = ?, "
          "reason = ?, "
          "note = ?, version = ?, updated_at = ?, assignee_role = ? WHERE id = ? AND version = ?");
      s.bind(1, to_string(t.state))
          .bind(2, t.ready ? 1 : 0)
          .bind(3, seconds(t.due_at))
          .bind(4, seconds(t.finished_at))
          .bind_text_or_null(5, t.assignee_id)
          .bind(6, t.reason)
          .bind(7, t.note)
          .bind(8, t.version)
          .bind(9, seconds(t.updated_at))
          .bind_text_or_null(10, t.assignee_role)
          .bind(11, t.id)
          .bind(12, expected_version)
          .run();
      if (s.changes() != 1) return stale();
      return {};
    });
  }
  Result<void> update_derived(const Task& t) override {
    return guarded([&]() -> Result<void> {
      c_.prepare("UPDATE tasks SET ready = ?, due_at = ? WHERE id = ?")
          .bind(1, t.ready ? 1 : 0)
          .bind(2, seconds(t.due_at))
          .bind(3, t.id)
          .run();
      return {};
    });
  }
  Result<std::vector<service::TaskRow>> list(const service::TaskFilter& f) override {
    return guarded([&]() -> Result<std::vector<service::TaskRow>> {
      // Fixed SQL fragments chosen by which filters are set; every value is
      // bound as a parameter. The deadline expression is the one of the
      // tasks_worklist index (migration 0002), so that unfinished tasks come
      // out of the index already in order.
      std::string sql = std::string(kTaskRowColumns) + " WHERE 1 = 1";
      if (!f.organisation_id.empty()) sql += " AND t.organisation_id = ?1";
      if (!f.episode_id.empty()) sql += " AND t.episode_id = ?2";
      if (!f.lane.empty()) sql += " AND t.lane = ?3";
      if (!f.assignee_id.empty()) sql += " AND t.assignee_id = ?4";
      if (!f.assignee_role.empty()) sql += " AND t.assignee_role = ?10";
      if (f.state) sql += " AND t.state = ?5";
      if (f.unfinished_only || f.overdue) sql += " AND t.state IN ('open', 'in_progress')";
      if (f.overdue) sql += " AND coalesce(t.due_at, 9223372036854775807) < ?6";
      if (!f.excluded_patient_ids.empty())
        sql += " AND e.patient_id NOT IN (SELECT value FROM json_each(?9))";
      sql += " ORDER BY coalesce(t.due_at, 9223372036854775807), t.id LIMIT ?7 OFFSET ?8";
      auto s = c_.prepare(sql);
      if (!f.excluded_patient_ids.empty()) s.bind(9, json_array(f.excluded_patient_ids));
      if (!f.organisation_id.empty()) s.bind(1, f.organisation_id);
      if (!f.episode_id.empty()) s.bind(2, f.episode_id);
      if (!f.lane.empty()) s.bind(3, f.lane);
      if (!f.assignee_id.empty()) s.bind(4, f.assignee_id);
      if (!f.assignee_role.empty()) s.bind(10, f.assignee_role);
      if (f.state) s.bind(5, to_string(*f.state));
      if (f.overdue) s.bind(6, seconds(f.now));
      s.bind(7, f.limit).bind(8, f.offset);
      std::vector<service::TaskRow> out;
      while (s.step())
        out.push_back(service::TaskRow{read_task(s), s.text(17), s.text(18), s.text(19)});
      return out;
    });
  }

 private:
  Connection& c_;
};

// --- the unit of work --------------------------------------------------

class SqliteTransaction final : public service::Transaction {
 public:
  SqliteTransaction(SqliteDatabase& db, std::unique_ptr<Connection> c, TxMode mode)
      : db_(db),
        c_(std::move(c)),
        orgs_(*c_),
        staff_(*c_),
        patients_(*c_),
        templates_(*c_),
        episodes_(*c_),
        tasks_(*c_),
        accounts_(*c_, db.account_cache(), mode == TxMode::read),
        access_(*c_),
        audit_(*c_, db.audit_open_run()),
        oidc_logins_(*c_),
        checklists_(*c_),
        stays_(*c_),
        messages_(*c_) {}
  ~SqliteTransaction() override {
    if (!done_) {
      try {
        c_->prepare("ROLLBACK").run();
      } catch (const sqlite::Failure&) {
        // The connection may be unusable; drop it instead of pooling it.
        c_.reset();
      }
    }
    if (c_) db_.give_back(std::move(c_));
  }

  service::OrganisationRepository& organisations() override { return orgs_; }
  service::StaffRepository& staff() override { return staff_; }
  service::PatientRepository& patients() override { return patients_; }
  service::TemplateRepository& templates() override { return templates_; }
  service::EpisodeRepository& episodes() override { return episodes_; }
  service::TaskRepository& tasks() override { return tasks_; }
  service::AccountRepository& accounts() override { return accounts_; }
  service::AccessRepository& access() override { return access_; }
  service::AuditRepository& audit() override { return audit_; }
  service::OidcLoginRepository& oidc_logins() override { return oidc_logins_; }
  service::ChecklistRepository& checklists() override { return checklists_; }
  service::StayRepository& stays() override { return stays_; }
  service::MessageRepository& messages() override { return messages_; }

  Result<void> commit() override {
    return guarded([&]() -> Result<void> {
      c_->prepare("COMMIT").run();
      done_ = true;
      return {};
    });
  }

 private:
  SqliteDatabase& db_;
  std::unique_ptr<Connection> c_;
  bool done_ = false;
  SqliteOrganisations orgs_;
  SqliteStaff staff_;
  SqlitePatients patients_;
  SqliteTemplates templates_;
  SqliteEpisodes episodes_;
  SqliteTasks tasks_;
  SqliteAccounts accounts_;
  SqliteAccess access_;
  SqliteAudit audit_;
  SqliteOidcLogins oidc_logins_;
  SqliteChecklists checklists_;
  SqliteStays stays_;
  SqliteMessages messages_;
};

}  // namespace

std::string audit_path_for(const std::string& db_path) {
  std::filesystem::path p(db_path);
  if (p.extension() == ".db") return (p.parent_path() / (p.stem().string() + "-audit.db")).string();
  return db_path + "-audit";
}

std::vector<std::string> migrate(Connection& c, Schema schema, int up_to) {
  c.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, "
      "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))");
  std::vector<std::string> applied;
  for (const auto& m : schema == Schema::main ? migrations() : audit_migrations()) {
    if (m.number > up_to) break;
    c.exec("BEGIN IMMEDIATE");
    try {
      auto seen = c.prepare("SELECT 1 FROM schema_migrations WHERE number = ?");
      seen.bind(1, m.number);
      if (!seen.step()) {
        c.exec(std::string(m.sql).c_str());
        c.prepare("INSERT INTO schema_migrations (number, name) VALUES (?, ?)")
            .bind(1, m.number)
            .bind(2, m.name)
            .run();
        applied.emplace_back(m.name);
      }
      c.exec("COMMIT");
    } catch (...) {
      c.exec("ROLLBACK");
      throw;
    }
  }
  return applied;
}

SqliteDatabase::SqliteDatabase(std::string path, int max_connections, Schema schema)
    : path_(std::move(path)),
      max_connections_(max_connections),
      audit_open_run_(std::make_unique<AuditOpenRun>()),
      account_cache_(std::make_unique<AccountCache>()) {
  auto parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  auto c = std::make_unique<Connection>(path_);
  if (schema == Schema::main) {
    // Main migration 0005 moved the audit rows into the audit file as its
    // migration 0001 shaped them: the audit file is brought that far first,
    // and the rest of the way after the main file.
    {
      Connection audit(audit_path_for(path_));
      migrate(audit, Schema::audit, 1);
    }
    c->prepare("ATTACH DATABASE ? AS audit").bind(1, audit_path_for(path_)).run();
    migrate(*c, schema);
    c->exec("DETACH DATABASE audit");
    { SqliteDatabase audit(audit_path_for(path_), 1, Schema::audit); }
  } else {
    migrate(*c, schema);
  }
  ++open_connections_;
  idle_.push_back(std::move(c));
}

SqliteDatabase::~SqliteDatabase() = default;

int SqliteDatabase::schema_version() {
  auto c = borrow();
  int v = 0;
  try {
    auto s = c->prepare("SELECT coalesce(max(number), 0) FROM schema_migrations");
    s.step();
    v = static_cast<int>(s.integer(0));
  } catch (...) {
    give_back(std::move(c));
    throw;
  }
  give_back(std::move(c));
  return v;
}

std::unique_ptr<Connection> SqliteDatabase::borrow() {
  std::unique_lock lock(mutex_);
  // Every connection is busy only when requests outnumber the pool; wait
  // as long as SQLite's own busy timeout, then report the database busy.
  if (!available_.wait_for(lock, std::chrono::seconds(5),
                           [&] { return !idle_.empty() || open_connections_ < max_connections_; }))
    throw sqlite::Failure(SQLITE_BUSY, "no free database connection");
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return c;
  }
  ++open_connections_;
  lock.unlock();
  try {
    return std::make_unique<Connection>(path_);
  } catch (...) {
    std::lock_guard relock(mutex_);
    --open_connections_;
    available_.notify_one();
    throw;
  }
}

void SqliteDatabase::give_back(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mutex_);
  if (c)
    idle_.push_back(std::move(c));
  else
    --open_connections_;
  available_.notify_one();
}

Result<std::unique_ptr<service::Transaction>> SqliteDatabase::begin(TxMode mode) {
  return guarded([&]() -> Result<std::unique_ptr<service::Transaction>> {
    auto c = borrow();
    try {
      c->prepare(mode == TxMode::write ? "BEGIN IMMEDIATE" : "BEGIN").run();
    } catch (...) {
      give_back(std::move(c));
      throw;
    }
    return std::unique_ptr<service::Transaction>(new SqliteTransaction(*this, std::move(c), mode));
  });
}

}  // namespace samflyt::store
