// Contract tests of the SQLite adapter of the service ports, each on a
// fresh database file: migrations, every repository, compare-and-set
// updates, worklist filters and ordering, and transactions (rollback,
// commit, snapshot isolation between a writer and a reader).
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/system_env.hpp"
#include "store_test_support.hpp"

namespace samflyt::store {
namespace {

using core::Episode;
using core::EpisodeEvent;
using core::EpisodeStatus;
using core::Instant;
using core::Organisation;
using core::OrgKind;
using core::Patient;
using core::Staff;
using core::Task;
using core::TaskState;
using service::EpisodeFilter;
using service::StoredTemplate;
using service::TaskFilter;
using service::Transaction;
using service::TxMode;

using testing::at;
using testing::must;

template <typename T>
std::vector<std::string> ids_of(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.id);
  return out;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ =
        (std::filesystem::temp_directory_path() / ("samflyt-store-test-" + ids_.new_id() + ".db"))
            .string();
    open();
  }

  void TearDown() override {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  void open() { db_ = std::make_unique<SqliteDatabase>(path_); }
  std::unique_ptr<Transaction> begin(TxMode mode = TxMode::write) { return must(db_->begin(mode)); }

  Organisation organisation(std::string name, OrgKind kind, std::string parent_id = {}) {
    return Organisation{ids_.new_id(), std::move(name),     kind, "",
                        std::nullopt,  std::move(parent_id)};
  }

  Patient patient(std::string national_id, const std::string& municipality_id) {
    Patient p;
    p.id = ids_.new_id();
    p.national_id = std::move(national_id);
    p.name = "Test Testesen";
    p.municipality_id = municipality_id;
    p.created_at = at("2026-03-01T08:00:00Z");
    return p;
  }

  StoredTemplate stored_template(std::string version, std::string source) {
    return StoredTemplate{"tiny", std::move(version), std::move(source), "tiny.yaml",
                          at("2026-03-01T08:00:00Z")};
  }

  // One hospital unit, one municipality, a patient and a current template,
  // committed; what most tests build on.
  void seed() {
    unit_ = organisation("Barneavdelingen", OrgKind::hospital_unit);
    municipality_ = organisation("Skien kommune", OrgKind::municipality);
    patient_ = patient("00000000001", municipality_.id);
    template_ = stored_template("0123456789abcdef", "id: tiny\n");
    auto tx = begin();
    must(tx->organisations().insert(unit_));
    must(tx->organisations().insert(municipality_));
    must(tx->patients().insert(patient_));
    must(tx->templates().put_current(template_));
    must(tx->commit());
  }

  Episode episode(Instant started, const Organisation& unit, const Organisation& municipality) {
    Episode e;
    e.id = ids_.new_id();
    e.patient_id = patient_.id;
    e.pathway_id = template_.id;
    e.pathway_version = template_.version;
    e.hospital_unit_id = unit.id;
    e.municipality_id = municipality.id;
    e.started_at = started;
    e.created_at = started;
    e.updated_at = started;
    return e;
  }

  Task task(const Episode& e, int seq, std::string lane, const std::string& organisation_id,
            std::optional<Instant> due, TaskState state = TaskState::open) {
    Task t;
    t.id = ids_.new_id();
    t.episode_id = e.id;
    t.seq = seq;
    t.step_id = "step-" + std::to_string(seq);
    t.lane = std::move(lane);
    t.phase = "plan";
    t.organisation_id = organisation_id;
    t.state = state;
    t.ready = true;
    t.due_at = due;
    if (core::is_finished(state)) t.finished_at = at("2026-03-15T08:00:00Z");
    if (state == TaskState::not_applicable) t.reason = "Ikke aktuelt";
    t.updated_at = e.started_at;
    return t;
  }

  void insert(const Episode& e, const std::vector<Task>& tasks) {
    auto tx = begin();
    must(tx->episodes().insert(e));
    for (const auto& t : tasks) must(tx->tasks().insert(t));
    must(tx->commit());
  }

  RandomIds ids_;
  std::string path_;
  std::unique_ptr<SqliteDatabase> db_;
  Organisation unit_, municipality_;
  Patient patient_;
  StoredTemplate template_;
};

// --- migrations ------------------------------------------------------------

TEST_F(SqliteStoreTest, OpeningAFreshFileMigratesIt) {
  EXPECT_GE(db_->schema_version(), 1);
  EXPECT_TRUE(std::filesystem::exists(path_));
}

TEST_F(SqliteStoreTest, OpeningAgainIsIdempotentAndKeepsTheData) {
  seed();
  int version = db_->schema_version();
  db_.reset();
  open();
  EXPECT_EQ(db_->schema_version(), version);
  auto tx = begin(TxMode::read);
  auto found = must(tx->organisations().get(unit_.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "Barneavdelingen");
  EXPECT_TRUE(must(tx->patients().get(patient_.id)));
  EXPECT_TRUE(must(tx->templates().current("tiny")));
}

// --- organisations and staff -----------------------------------------------

TEST_F(SqliteStoreTest, OrganisationsAreStoredAndListedByName) {
  auto trust = organisation("Sykehuset Telemark HF", OrgKind::hospital_trust);
  trust.org_number = "983975267";
  trust.her_id = 12345;
  auto unit = organisation("Barneavdelingen", OrgKind::hospital_unit, trust.id);
  auto municipality = organisation("Porsgrunn kommune", OrgKind::municipality);
  {
    auto tx = begin();
    must(tx->organisations().insert(trust));
    must(tx->organisations().insert(unit));
    must(tx->organisations().insert(municipality));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto got = must(tx->organisations().get(trust.id));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "Sykehuset Telemark HF");
  EXPECT_EQ(got->kind, OrgKind::hospital_trust);
  EXPECT_EQ(got->org_number, "983975267");
  EXPECT_EQ(got->her_id, 12345);
  EXPECT_EQ(got->parent_id, "");

  auto child = must(tx->organisations().get(unit.id));
  ASSERT_TRUE(child);
  EXPECT_EQ(child->kind, OrgKind::hospital_unit);
  EXPECT_EQ(child->parent_id, trust.id);
  EXPECT_EQ(child->org_number, "");
  EXPECT_FALSE(child->her_id);

  EXPECT_EQ(ids_of(must(tx->organisations().list())),
            (std::vector<std::string>{unit.id, municipality.id, trust.id}));
  EXPECT_FALSE(must(tx->organisations().get("no-such-id")));
}

TEST_F(SqliteStoreTest, AnOrganisationIdCanOnlyBeUsedOnce) {
  auto first = organisation("Skien kommune", OrgKind::municipality);
  auto tx = begin();
  must(tx->organisations().insert(first));
  auto again = first;
  again.name = "Bamble kommune";
  auto r = tx->organisations().insert(again);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_EQ(must(tx->organisations().get(first.id))->name, "Skien kommune");
}

TEST_F(SqliteStoreTest, StaffAreListedPerOrganisationByName) {
  seed();
  Staff kari{ids_.new_id(), "Kari Nordmann",   unit_.id,
             "sykepleier",  "kari@example.no", "+4790000000"};
  Staff anne{ids_.new_id(), "Anne Lege", unit_.id, "lege", "", ""};
  Staff ola{ids_.new_id(), "Ola Saksbehandler", municipality_.id, "saksbehandler", "", ""};
  {
    auto tx = begin();
    for (const auto& s : {kari, anne, ola}) must(tx->staff().insert(s));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto got = must(tx->staff().get(kari.id));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "Kari Nordmann");
  EXPECT_EQ(got->organisation_id, unit_.id);
  EXPECT_EQ(got->role, "sykepleier");
  EXPECT_EQ(got->email, "kari@example.no");
  EXPECT_EQ(got->phone, "+4790000000");
  EXPECT_EQ(ids_of(must(tx->staff().list_for_organisation(unit_.id))),
            (std::vector<std::string>{anne.id, kari.id}));
  EXPECT_EQ(ids_of(must(tx->staff().list_for_organisation(municipality_.id))),
            std::vector<std::string>{ola.id});
  EXPECT_FALSE(must(tx->staff().get("no-such-id")));
}

// --- patients --------------------------------------------------------------

TEST_F(SqliteStoreTest, PatientsAreFoundByIdAndNationalId) {
  seed();
  auto p = patient("00000000002", municipality_.id);
  p.birth_date = core::Date{std::chrono::year{2019}, std::chrono::month{5}, std::chrono::day{17}};
  {
    auto tx = begin();
    must(tx->patients().insert(p));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto by_id = must(tx->patients().get(p.id));
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->national_id, "00000000002");
  EXPECT_EQ(by_id->name, "Test Testesen");
  EXPECT_EQ(by_id->municipality_id, municipality_.id);
  EXPECT_EQ(by_id->birth_date, p.birth_date);
  EXPECT_EQ(by_id->version, 1);
  EXPECT_EQ(by_id->created_at, at("2026-03-01T08:00:00Z"));

  auto by_nid = must(tx->patients().find_by_national_id("00000000002"));
  ASSERT_TRUE(by_nid);
  EXPECT_EQ(by_nid->id, p.id);
  EXPECT_FALSE(must(tx->patients().find_by_national_id("99999999999")));
  EXPECT_FALSE(must(tx->patients().get("no-such-id")));
  // The seeded patient had no birth date.
  EXPECT_FALSE(must(tx->patients().get(patient_.id))->birth_date);
}

TEST_F(SqliteStoreTest, ASecondPatientWithTheSameNationalIdIsAConflict) {
  seed();
  auto twin = patient(patient_.national_id, municipality_.id);
  twin.name = "Someone Else";
  auto tx = begin();
  auto r = tx->patients().insert(twin);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_FALSE(must(tx->patients().get(twin.id)));
  EXPECT_EQ(must(tx->patients().find_by_national_id(patient_.national_id))->id, patient_.id);
}

// --- pathway templates -----------------------------------------------------

TEST_F(SqliteStoreTest, PutCurrentMakesTheVersionCurrentAndKeepsOldVersions) {
  auto v1 = stored_template("1111111111111111", "id: tiny\n# first\n");
  auto v2 = stored_template("2222222222222222", "id: tiny\n# second\n");
  auto other = StoredTemplate{"another", "3333333333333333", "id: another\n", "another.yaml",
                              at("2026-03-02T08:00:00Z")};
  auto tx = begin();
  must(tx->templates().put_current(v1));
  EXPECT_EQ(must(tx->templates().current("tiny"))->version, v1.version);

  must(tx->templates().put_current(v2));
  must(tx->templates().put_current(other));
  auto current = must(tx->templates().current("tiny"));
  ASSERT_TRUE(current);
  EXPECT_EQ(current->version, v2.version);
  EXPECT_EQ(current->source, "id: tiny\n# second\n");
  EXPECT_EQ(current->file_name, "tiny.yaml");
  EXPECT_EQ(current->loaded_at, at("2026-03-01T08:00:00Z"));

  // Episodes started on the old version can still read it.
  auto old = must(tx->templates().get("tiny", v1.version));
  ASSERT_TRUE(old);
  EXPECT_EQ(old->source, "id: tiny\n# first\n");
  EXPECT_FALSE(must(tx->templates().get("tiny", "ffffffffffffffff")));
  EXPECT_FALSE(must(tx->templates().current("unknown")));

  // One current version per template, by id.
  auto listed = must(tx->templates().list_current());
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, "another");
  EXPECT_EQ(listed[1].id, "tiny");
  EXPECT_EQ(listed[1].version, v2.version);
}

TEST_F(SqliteStoreTest, PuttingTheSameVersionAgainIsHarmless) {
  auto v1 = stored_template("1111111111111111", "id: tiny\n");
  {
    auto tx = begin();
    must(tx->templates().put_current(v1));
    must(tx->commit());
  }
  auto tx = begin();
  EXPECT_TRUE(tx->templates().put_current(v1).ok());
  EXPECT_TRUE(tx->templates().put_current(v1).ok());
  EXPECT_EQ(must(tx->templates().current("tiny"))->version, v1.version);
  EXPECT_EQ(must(tx->templates().list_current()).size(), 1u);
}

TEST_F(SqliteStoreTest, PuttingAnOlderVersionAgainMakesItCurrentAgain) {
  auto v1 = stored_template("1111111111111111", "id: tiny\n# first\n");
  auto v2 = stored_template("2222222222222222", "id: tiny\n# second\n");
  auto tx = begin();
  must(tx->templates().put_current(v1));
  must(tx->templates().put_current(v2));
  must(tx->templates().put_current(v1));
  EXPECT_EQ(must(tx->templates().current("tiny"))->version, v1.version);
  EXPECT_TRUE(must(tx->templates().get("tiny", v2.version)));
}

// --- episodes ----------------------------------------------------------------

TEST_F(SqliteStoreTest, AnEpisodeIsStoredWithItsEvents) {
  seed();
  auto e = episode(at("2026-03-27T10:00:00Z"), unit_, municipality_);
  e.events = {{"discharge_ready", at("2026-04-10T09:00:00Z")},
              {"admitted", at("2026-04-12T09:00:00Z")}};
  insert(e, {});

  auto tx = begin(TxMode::read);
  auto got = must(tx->episodes().get(e.id));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->patient_id, patient_.id);
  EXPECT_EQ(got->pathway_id, "tiny");
  EXPECT_EQ(got->pathway_version, template_.version);
  EXPECT_EQ(got->hospital_unit_id, unit_.id);
  EXPECT_EQ(got->municipality_id, municipality_.id);
  EXPECT_EQ(got->started_at, at("2026-03-27T10:00:00Z"));
  EXPECT_EQ(got->status, EpisodeStatus::active);
  EXPECT_EQ(got->version, 1);
  ASSERT_EQ(got->events.size(), 2u);
  EXPECT_EQ(got->events[0].event_id, "discharge_ready");
  EXPECT_EQ(got->events[0].at, at("2026-04-10T09:00:00Z"));
  EXPECT_EQ(got->events[1].event_id, "admitted");
  EXPECT_FALSE(must(tx->episodes().get("no-such-id")));
}

TEST_F(SqliteStoreTest, AnEpisodeUpdateWithTheExpectedVersionIsSaved) {
  seed();
  auto e = episode(at("2026-03-27T10:00:00Z"), unit_, municipality_);
  insert(e, {});

  auto tx = begin();
  auto changed = e;
  changed.status = EpisodeStatus::completed;
  changed.events.push_back({"discharge_ready", at("2026-04-10T09:00:00Z")});
  changed.version = 2;
  changed.updated_at = at("2026-04-10T09:00:01Z");
  must(tx->episodes().update(changed, 1));
  must(tx->commit());

  auto read = begin(TxMode::read);
  auto got = must(read->episodes().get(e.id));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, EpisodeStatus::completed);
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->updated_at, at("2026-04-10T09:00:01Z"));
  ASSERT_EQ(got->events.size(), 1u);
  EXPECT_EQ(got->events[0].event_id, "discharge_ready");
}

TEST_F(SqliteStoreTest, AnEpisodeUpdateWithAStaleVersionIsAConflictAndChangesNothing) {
  seed();
  auto e = episode(at("2026-03-27T10:00:00Z"), unit_, municipality_);
  insert(e, {});
  {
    auto tx = begin();
    auto first = e;
    first.version = 2;
    first.events.push_back({"discharge_ready", at("2026-04-10T09:00:00Z")});
    must(tx->episodes().update(first, 1));
    must(tx->commit());
  }
  // A second user still holds version 1.
  auto tx = begin();
  auto stale = e;
  stale.status = EpisodeStatus::completed;
  stale.version = 2;
  stale.events.push_back({"admitted", at("2026-04-11T09:00:00Z")});
  stale.events.push_back({"discharge_ready", at("2026-04-12T09:00:00Z")});
  auto r = tx->episodes().update(stale, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  must(tx->commit());

  auto read = begin(TxMode::read);
  auto got = must(read->episodes().get(e.id));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, EpisodeStatus::active);
  EXPECT_EQ(got->version, 2);
  ASSERT_EQ(got->events.size(), 1u);
  EXPECT_EQ(got->events[0].at, at("2026-04-10T09:00:00Z"));
}

class EpisodeListTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    seed();
    other_unit_ = organisation("Nyfødtintensiv", OrgKind::hospital_unit);
    other_municipality_ = organisation("Porsgrunn kommune", OrgKind::municipality);
    {
      auto tx = begin();
      must(tx->organisations().insert(other_unit_));
      must(tx->organisations().insert(other_municipality_));
      must(tx->commit());
    }
    // Oldest first: in Skien from the children's ward; in Porsgrunn,
    // completed; in Skien from neonatal intensive care.
    first_ = episode(at("2026-03-01T10:00:00Z"), unit_, municipality_);
    second_ = episode(at("2026-03-02T10:00:00Z"), unit_, other_municipality_);
    second_.status = EpisodeStatus::completed;
    third_ = episode(at("2026-03-03T10:00:00Z"), other_unit_, municipality_);
    // The first has an open task past its deadline on 5 March; the third
    // one that was done late; the second one due later.
    insert(first_, {task(first_, 0, "hospital", unit_.id, at("2026-03-05T22:59:59Z"))});
    insert(second_, {task(second_, 0, "hospital", unit_.id, at("2026-03-20T22:59:59Z"))});
    insert(third_, {task(third_, 0, "hospital", other_unit_.id, at("2026-03-05T22:59:59Z"),
                         TaskState::done)});
  }

  std::vector<std::string> list(const EpisodeFilter& f) {
    auto tx = begin(TxMode::read);
    return ids_of(must(tx->episodes().list(f)));
  }

  Organisation other_unit_, other_municipality_;
  Episode first_, second_, third_;
};

TEST_F(EpisodeListTest, NewestFirst) {
  EXPECT_EQ(list({}), (std::vector<std::string>{third_.id, second_.id, first_.id}));
}

TEST_F(EpisodeListTest, FiltersByMunicipalityHospitalUnitAndStatus) {
  EpisodeFilter by_municipality;
  by_municipality.municipality_id = municipality_.id;
  EXPECT_EQ(list(by_municipality), (std::vector<std::string>{third_.id, first_.id}));

  EpisodeFilter by_unit;
  by_unit.hospital_unit_id = unit_.id;
  EXPECT_EQ(list(by_unit), (std::vector<std::string>{second_.id, first_.id}));

  EpisodeFilter both;
  both.municipality_id = municipality_.id;
  both.hospital_unit_id = unit_.id;
  EXPECT_EQ(list(both), std::vector<std::string>{first_.id});

  EpisodeFilter completed;
  completed.status = EpisodeStatus::completed;
  EXPECT_EQ(list(completed), std::vector<std::string>{second_.id});
  EpisodeFilter active;
  active.status = EpisodeStatus::active;
  EXPECT_EQ(list(active), (std::vector<std::string>{third_.id, first_.id}));
}

TEST_F(EpisodeListTest, OverdueMeansAnUnfinishedTaskPastItsDeadlineAtNow) {
  EpisodeFilter overdue;
  overdue.overdue = true;
  overdue.now = at("2026-03-05T22:59:59Z");  // exactly at the deadline: not yet
  EXPECT_TRUE(list(overdue).empty());
  overdue.now = at("2026-03-05T23:00:00Z");
  EXPECT_EQ(list(overdue), std::vector<std::string>{first_.id});
  overdue.now = at("2026-04-01T00:00:00Z");
  EXPECT_EQ(list(overdue), (std::vector<std::string>{second_.id, first_.id}));
}

TEST_F(EpisodeListTest, LimitAndOffsetPage) {
  EpisodeFilter page;
  page.limit = 2;
  EXPECT_EQ(list(page), (std::vector<std::string>{third_.id, second_.id}));
  page.offset = 2;
  EXPECT_EQ(list(page), std::vector<std::string>{first_.id});
  page.offset = 3;
  EXPECT_TRUE(list(page).empty());
}

// The access scope: episodes run by one of the organisations (as hospital
// unit or as municipality), or with one of the ids, or of one of the
// patients; each once, newest first, paged across all of them.
TEST_F(EpisodeListTest, TheScopeIsTheUnionOfItsPartsNewestFirstAndPaged) {
  EpisodeFilter scoped;
  scoped.scoped = true;
  EXPECT_TRUE(list(scoped).empty()) << "an empty scope shows nothing";
  scoped.scope_organisations = {unit_.id, municipality_.id};  // the first is both
  EXPECT_EQ(list(scoped), (std::vector<std::string>{third_.id, second_.id, first_.id}));
  scoped.limit = 1;
  scoped.offset = 1;
  EXPECT_EQ(list(scoped), std::vector<std::string>{second_.id});
  scoped.offset = 2;
  EXPECT_EQ(list(scoped), std::vector<std::string>{first_.id});
  scoped.limit = 100;
  scoped.offset = 0;
  scoped.scope_organisations = {other_municipality_.id};
  scoped.scope_episode_ids = {third_.id};
  EXPECT_EQ(list(scoped), (std::vector<std::string>{third_.id, second_.id}));
  scoped.scope_organisations.clear();
  scoped.scope_episode_ids.clear();
  scoped.scope_patient_ids = {first_.patient_id};  // the three are one child's
  EXPECT_EQ(list(scoped), (std::vector<std::string>{third_.id, second_.id, first_.id}));
  // Filters and exclusions apply to every part.
  scoped.scope_organisations = {unit_.id, municipality_.id};
  scoped.status = EpisodeStatus::active;
  EXPECT_EQ(list(scoped), (std::vector<std::string>{third_.id, first_.id}));
  scoped.excluded_patient_ids = {first_.patient_id};
  EXPECT_TRUE(list(scoped).empty());
}

// --- tasks -------------------------------------------------------------------

TEST_F(SqliteStoreTest, TasksAreStoredAndListedInTemplateOrder) {
  seed();
  Staff kari{ids_.new_id(), "Kari Nordmann", unit_.id, "sykepleier", "", ""};
  {
    auto tx = begin();
    must(tx->staff().insert(kari));
    must(tx->commit());
  }
  auto e = episode(at("2026-03-27T10:00:00Z"), unit_, municipality_);
  auto family = task(e, 0, "family", "", std::nullopt);
  auto hospital = task(e, 1, "hospital", unit_.id, at("2026-04-10T21:59:59Z"));
  hospital.assignee_id = kari.id;
  hospital.note = "Ringer familien";
  auto skipped =
      task(e, 2, "municipality", municipality_.id, std::nullopt, TaskState::not_applicable);
  skipped.ready = false;
  insert(e, {skipped, hospital, family});  // stored out of order

  auto tx = begin(TxMode::read);
  auto tasks = must(tx->tasks().list_for_episode(e.id));
  EXPECT_EQ(ids_of(tasks), (std::vector<std::string>{family.id, hospital.id, skipped.id}));

  auto got = must(tx->tasks().get(hospital.id));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->episode_id, e.id);
  EXPECT_EQ(got->seq, 1);
  EXPECT_EQ(got->step_id, "step-1");
  EXPECT_EQ(got->lane, "hospital");
  EXPECT_EQ(got->phase, "plan");
  EXPECT_EQ(got->organisation_id, unit_.id);
  EXPECT_EQ(got->state, TaskState::open);
  EXPECT_TRUE(got->ready);
  EXPECT_EQ(got->due_at, at("2026-04-10T21:59:59Z"));
  EXPECT_FALSE(got->finished_at);
  EXPECT_EQ(got->assignee_id, kari.id);
  EXPECT_EQ(got->note, "Ringer familien");
  EXPECT_EQ(got->version, 1);

  auto family_task = must(tx->tasks().get(family.id));
  ASSERT_TRUE(family_task);
  EXPECT_EQ(family_task->organisation_id, "");
  EXPECT_FALSE(family_task->due_at);

  auto skipped_task = must(tx->tasks().get(skipped.id));
  ASSERT_TRUE(skipped_task);
  EXPECT_EQ(skipped_task->state, TaskState::not_applicable);
  EXPECT_EQ(skipped_task->reason, "Ikke aktuelt");
  EXPECT_FALSE(skipped_task->ready);
  EXPECT_EQ(skipped_task->finished_at, at("2026-03-15T08:00:00Z"));
  EXPECT_FALSE(must(tx->tasks().get("no-such-id")));
}

TEST_F(SqliteStoreTest, ATaskUpdateComparesTheVersion) {
  seed();
  auto e = episode(at("2026-03-27T10:00:00Z"), unit_, municipality_);
  auto t = task(e, 0, "hospital", unit_.id, at("2026-04-10T21:59:59Z"));
  insert(e, {t});

  auto done = t;
  done.state = TaskState::done;
  done.finished_at = at("2026-04-01T12:00:00Z");
  done.note = "Ferdig";
  done.version = 2;
  done.updated_at = at("2026-04-01T12:00:00Z");
  {
    auto tx = begin();
    must(tx->tasks().update(done, 1));
    must(tx->commit());
  }
  // Someone who still holds version 1 tries to reopen it.
  auto reopened = t;
  reopened.note = "Åpnet igjen";
  reopened.version = 2;
  {
    auto tx = begin();
    auto r = tx->tasks().update(reopened, 1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::conflict);
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto got = must(tx->tasks().get(t.id));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->state, TaskState::done);
  EXPECT_EQ(got->note, "Ferdig");
  EXPECT_EQ(got->finished_at, at("2026-04-01T12:00:00Z"));
  EXPECT_EQ(got->updated_at, at("2026-04-01T12:00:00Z"));
  EXPECT_EQ(got->version, 2);
}

TEST_F(SqliteStoreTest, DerivedFieldsAreSavedWithoutChangingTheVersion) {
  seed();
  auto e = episode(at("2026-03-27T10:00:00Z"), unit_, municipality_);
  auto t = task(e, 0, "municipality", municipality_.id, std::nullopt);
  t.ready = false;
  insert(e, {t});

  auto derived = t;
  derived.ready = true;
  derived.due_at = at("2026-04-27T21:59:59Z");
  derived.note = "not a derived field";
  {
    auto tx = begin();
    must(tx->tasks().update_derived(derived));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto got = must(tx->tasks().get(t.id));
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->ready);
  EXPECT_EQ(got->due_at, at("2026-04-27T21:59:59Z"));
  EXPECT_EQ(got->note, "");
  EXPECT_EQ(got->version, 1);
}

class WorklistTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    seed();
    auto e = episode(at("2026-03-27T10:00:00Z"), unit_, municipality_);
    late_ = task(e, 0, "hospital", unit_.id, at("2026-04-10T21:59:59Z"));
    no_deadline_ = task(e, 1, "hospital", unit_.id, std::nullopt);
    early_ = task(e, 2, "hospital", unit_.id, at("2026-04-02T21:59:59Z"));
    municipal_ = task(e, 3, "municipality", municipality_.id, at("2026-04-01T21:59:59Z"));
    done_ = task(e, 4, "hospital", unit_.id, at("2026-03-30T21:59:59Z"), TaskState::done);
    started_ = task(e, 5, "hospital", unit_.id, at("2026-04-20T21:59:59Z"), TaskState::in_progress);
    family_ = task(e, 6, "family", "", std::nullopt);
    insert(e, {late_, no_deadline_, early_, municipal_, done_, started_, family_});
  }

  std::vector<std::string> list(const TaskFilter& f) {
    auto tx = begin(TxMode::read);
    std::vector<std::string> ids;
    for (const auto& row : must(tx->tasks().list(f))) {
      EXPECT_EQ(row.pathway_id, template_.id);
      EXPECT_EQ(row.pathway_version, template_.version);
      ids.push_back(row.task.id);
    }
    return ids;
  }

  Task late_, no_deadline_, early_, municipal_, done_, started_, family_;
};

TEST_F(WorklistTest, AnOrganisationsTasksEarliestDeadlineFirstAndNoDeadlineLast) {
  TaskFilter unit;
  unit.organisation_id = unit_.id;
  EXPECT_EQ(list(unit), (std::vector<std::string>{done_.id, early_.id, late_.id, started_.id,
                                                  no_deadline_.id}));
  unit.unfinished_only = true;
  EXPECT_EQ(list(unit),
            (std::vector<std::string>{early_.id, late_.id, started_.id, no_deadline_.id}));

  TaskFilter municipality;
  municipality.organisation_id = municipality_.id;
  EXPECT_EQ(list(municipality), std::vector<std::string>{municipal_.id});
}

TEST_F(WorklistTest, FiltersByLaneAndState) {
  TaskFilter lane;
  lane.lane = "municipality";
  EXPECT_EQ(list(lane), std::vector<std::string>{municipal_.id});
  lane.lane = "family";
  EXPECT_EQ(list(lane), std::vector<std::string>{family_.id});

  TaskFilter done;
  done.state = TaskState::done;
  EXPECT_EQ(list(done), std::vector<std::string>{done_.id});
  TaskFilter in_progress;
  in_progress.state = TaskState::in_progress;
  EXPECT_EQ(list(in_progress), std::vector<std::string>{started_.id});
}

TEST_F(WorklistTest, OverdueTasksAreUnfinishedAndPastTheirDeadline) {
  TaskFilter overdue;
  overdue.overdue = true;
  overdue.now = at("2026-04-02T21:59:59Z");  // the early task is due this very second
  EXPECT_EQ(list(overdue), std::vector<std::string>{municipal_.id});
  overdue.now = at("2026-04-05T12:00:00Z");
  EXPECT_EQ(list(overdue), (std::vector<std::string>{municipal_.id, early_.id}));
  overdue.organisation_id = unit_.id;
  EXPECT_EQ(list(overdue), std::vector<std::string>{early_.id});
}

TEST_F(WorklistTest, LimitAndOffsetPage) {
  TaskFilter page;
  page.organisation_id = unit_.id;
  page.unfinished_only = true;
  page.limit = 2;
  EXPECT_EQ(list(page), (std::vector<std::string>{early_.id, late_.id}));
  page.offset = 2;
  EXPECT_EQ(list(page), (std::vector<std::string>{started_.id, no_deadline_.id}));
}

// --- transactions and integrity ----------------------------------------------

TEST_F(SqliteStoreTest, ATransactionDestroyedWithoutCommitChangesNothing) {
  seed();
  auto municipality = organisation("Bamble kommune", OrgKind::municipality);
  auto e = episode(at("2026-03-27T10:00:00Z"), unit_, municipality_);
  auto t = task(e, 0, "hospital", unit_.id, std::nullopt);
  {
    auto tx = begin();
    must(tx->organisations().insert(municipality));
    must(tx->episodes().insert(e));
    must(tx->tasks().insert(t));
    must(tx->templates().put_current(stored_template("ffffffffffffffff", "id: tiny\n# new\n")));
    EXPECT_TRUE(must(tx->organisations().get(municipality.id)));  // visible inside
  }
  auto tx = begin(TxMode::read);
  EXPECT_FALSE(must(tx->organisations().get(municipality.id)));
  EXPECT_FALSE(must(tx->episodes().get(e.id)));
  EXPECT_FALSE(must(tx->tasks().get(t.id)));
  EXPECT_EQ(must(tx->templates().current("tiny"))->version, template_.version);
}

TEST_F(SqliteStoreTest, ACommittedTransactionPersists) {
  seed();
  auto municipality = organisation("Bamble kommune", OrgKind::municipality);
  {
    auto tx = begin();
    must(tx->organisations().insert(municipality));
    must(tx->commit());
  }
  db_.reset();
  open();
  auto tx = begin(TxMode::read);
  EXPECT_TRUE(must(tx->organisations().get(municipality.id)));
}

TEST_F(SqliteStoreTest, AReaderSeesTheOldStateUntilTheWriterCommits) {
  seed();
  auto municipality = organisation("Nome kommune", OrgKind::municipality);
  std::promise<void> written, read_before_commit, committed;
  auto read_before_commit_done = read_before_commit.get_future();
  std::string writer_error;

  std::thread writer([&] {
    auto tx = db_->begin(TxMode::write);
    if (!tx)
      writer_error = "begin: " + tx.error().message;
    else if (auto r = (*tx)->organisations().insert(municipality); !r)
      writer_error = "insert: " + r.error().message;
    written.set_value();
    read_before_commit_done.wait();
    if (tx && writer_error.empty())
      if (auto r = (*tx)->commit(); !r) writer_error = "commit: " + r.error().message;
    committed.set_value();
  });

  // No assertions (which return early) until the writer is joined.
  written.get_future().wait();
  std::unique_ptr<Transaction> reader;
  if (auto r = db_->begin(TxMode::read)) reader = std::move(r).value();
  std::optional<Result<std::optional<Organisation>>> before_commit, after_commit;
  if (reader) before_commit = reader->organisations().get(municipality.id);
  read_before_commit.set_value();
  committed.get_future().wait();
  if (reader) after_commit = reader->organisations().get(municipality.id);
  writer.join();

  ASSERT_EQ(writer_error, "");
  ASSERT_TRUE(reader);
  ASSERT_TRUE(before_commit && before_commit->ok());
  EXPECT_FALSE(before_commit->value()) << "saw an uncommitted row";
  ASSERT_TRUE(after_commit && after_commit->ok());
  EXPECT_FALSE(after_commit->value()) << "the reader's snapshot changed under it";
  reader.reset();

  auto later = begin(TxMode::read);
  EXPECT_TRUE(must(later->organisations().get(municipality.id)));
}

// Transactions borrow pooled connections, most recently returned first; a
// read that found a row leaves its statement un-reset on the connection.
// Holding that connection while another one commits reproduces a request
// that runs on it after someone else's change.
class AfterAConcurrentCommit : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    seed();
    {
      auto reader = begin(TxMode::read);
      ASSERT_TRUE(must(reader->patients().get(patient_.id)));
      must(reader->commit());
    }
    added_ = organisation("Siljan kommune", OrgKind::municipality);
    auto busy = begin(TxMode::read);  // the connection the reader used
    auto writer = begin();            // another connection
    must(writer->organisations().insert(added_));
    must(writer->commit());
  }
  Organisation added_;
};

TEST_F(AfterAConcurrentCommit, ALaterReadSeesTheChange) {
  auto tx = begin(TxMode::read);
  EXPECT_TRUE(must(tx->organisations().get(added_.id)));
}

TEST_F(AfterAConcurrentCommit, ALaterWriteIsNotRefusedAsBusy) {
  auto tx = db_->begin(TxMode::write);
  ASSERT_TRUE(tx.ok()) << tx.error().message;
  EXPECT_TRUE(must((*tx)->organisations().get(added_.id)));
}

TEST_F(SqliteStoreTest, ATaskForAnUnknownEpisodeIsRefusedAsAnError) {
  seed();
  auto ghost = episode(at("2026-03-27T10:00:00Z"), unit_, municipality_);  // never inserted
  auto orphan = task(ghost, 0, "hospital", unit_.id, std::nullopt);
  auto tx = begin();
  Result<void> r;
  EXPECT_NO_THROW(r = tx->tasks().insert(orphan));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  EXPECT_FALSE(r.error().message_nb.empty());
  EXPECT_FALSE(must(tx->tasks().get(orphan.id)));
}

TEST_F(SqliteStoreTest, AnEpisodeOnAnUnknownTemplateVersionIsRefused) {
  seed();
  auto e = episode(at("2026-03-27T10:00:00Z"), unit_, municipality_);
  e.pathway_version = "ffffffffffffffff";
  auto tx = begin();
  auto r = tx->episodes().insert(e);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  EXPECT_FALSE(must(tx->episodes().get(e.id)));
}

}  // namespace
}  // namespace samflyt::store

namespace samflyt::store {
namespace {

// --- checklist ticks (migration 0007) ----------------------------------------

TEST_F(SqliteStoreTest, ChecklistTicksAreSetExactlyAndListedPerEpisode) {
  seed();
  auto e = episode(at("2026-03-01T08:00:00Z"), unit_, municipality_);
  auto t1 = task(e, 1, "municipality", municipality_.id, std::nullopt);
  auto t2 = task(e, 2, "municipality", municipality_.id, std::nullopt);
  insert(e, {t1, t2});
  {
    auto tx = begin();
    must(tx->checklists().set_ticks(t1.id, "participants", {0, 2, 3}, "u1",
                                    at("2026-03-02T08:00:00Z")));
    must(tx->checklists().set_ticks(t2.id, "topics", {1}, "u1", at("2026-03-02T08:00:00Z")));
    must(tx->commit());
  }
  {
    // Item 0 stays ticked by u1; 2 is unticked; 5 is new (by u2).
    auto tx = begin();
    must(tx->checklists().set_ticks(t1.id, "participants", {0, 3, 5}, "u2",
                                    at("2026-03-03T08:00:00Z")));
    must(tx->checklists().set_ticks(t2.id, "topics", {}, "u2", at("2026-03-03T08:00:00Z")));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto ticks = must(tx->checklists().ticks_of_episode(e.id));
  ASSERT_EQ(ticks.size(), 3u);
  EXPECT_EQ(ticks[0].task_id, t1.id);
  EXPECT_EQ(ticks[0].item, 0);
  EXPECT_EQ(ticks[0].ticked_by, "u1");
  EXPECT_EQ(ticks[1].item, 3);
  EXPECT_EQ(ticks[2].item, 5);
  EXPECT_EQ(ticks[2].ticked_by, "u2");
  EXPECT_TRUE(must(tx->checklists().ticks_of_episode("no-such-episode")).empty());
}

}  // namespace
}  // namespace samflyt::store

namespace samflyt::store {
namespace {

TEST_F(SqliteStoreTest, PatientsAreSearchedByAPartOfTheNameWithLikeCharactersLiteral) {
  seed();
  auto tx = begin();
  auto add = [&](std::string name, std::string nid) {
    Patient p = patient_;
    p.id = ids_.new_id();
    p.name = std::move(name);
    p.national_id = nid + ids_.new_id();
    must(tx->patients().insert(p));
  };
  add("Ola Fjellheim", "00000000001");
  add("Kari Fjellstad", "00000000002");
  add("Per 100% Nordmann", "00000000003");
  auto found = must(tx->patients().search_by_name("fjell", 10));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].name, "Kari Fjellstad");
  EXPECT_EQ(found[1].name, "Ola Fjellheim");
  EXPECT_EQ(must(tx->patients().search_by_name("fjell", 1)).size(), 1u);
  EXPECT_EQ(must(tx->patients().search_by_name("100%", 10)).size(), 1u);
  EXPECT_TRUE(must(tx->patients().search_by_name("0%N", 10)).size() == 0u);
  EXPECT_TRUE(must(tx->patients().search_by_name("_", 10)).empty());
}

}  // namespace
}  // namespace samflyt::store

namespace samflyt::store {
namespace {

TEST_F(SqliteStoreTest, OverdueTasksAreCountedPerLaneOfTheOrganisation) {
  seed();
  auto e = episode(at("2026-03-01T08:00:00Z"), unit_, municipality_);
  auto past = at("2026-03-10T08:00:00Z");
  auto future = at("2026-04-10T08:00:00Z");
  insert(e,
         {task(e, 1, "municipality", municipality_.id, past),
          task(e, 2, "municipality", municipality_.id, past, TaskState::in_progress),
          task(e, 3, "municipality", municipality_.id, past, TaskState::done),
          task(e, 4, "municipality", municipality_.id, future),
          task(e, 5, "municipality", municipality_.id, std::nullopt),
          task(e, 6, "hospital", municipality_.id, past), task(e, 7, "hospital", unit_.id, past)});
  auto tx = begin(TxMode::read);
  auto counts =
      must(tx->tasks().count_overdue_by_lane(municipality_.id, at("2026-03-20T08:00:00Z")));
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0], (std::pair<std::string, int>{"hospital", 1}));
  EXPECT_EQ(counts[1], (std::pair<std::string, int>{"municipality", 2}));
}

}  // namespace
}  // namespace samflyt::store
