// Contract tests of the SQLite adapter of the accounts, access and audit
// ports, each on a fresh database file: users and their roles, family
// links, sessions, API tokens and login throttling; the facts access
// decisions rest on (care team, self-authorisations, blocks, consents); the
// hash-chained audit log and how tampering with the file is found; and the
// audit writer's group commit under concurrent callers.
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "service/audit_writer.hpp"
#include "store/audit_chain.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_store.hpp"
#include "store/system_env.hpp"
#include "store_test_support.hpp"

namespace samflyt::store {
namespace {

using core::AccountKind;
using core::Block;
using core::Consent;
using core::Episode;
using core::FamilyRelation;
using core::Instant;
using core::Organisation;
using core::OrgKind;
using core::Patient;
using core::SelfAuthorisation;
using service::ApiToken;
using service::AuditEntry;
using service::AuditRow;
using service::AuditVerification;
using service::CareTeamMember;
using service::Session;
using service::StoredTemplate;
using service::Transaction;
using service::TxMode;
using service::User;

using testing::at;
using testing::must;

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::string> usernames_of(const std::vector<User>& users) {
  std::vector<std::string> out;
  for (const auto& u : users) out.push_back(u.username);
  return out;
}

std::vector<std::int64_t> seqs_of(const std::vector<AuditRow>& rows) {
  std::vector<std::int64_t> out;
  for (const auto& r : rows) out.push_back(r.seq);
  return out;
}

class AccessStore : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("samflyt-access-store-test-" + ids_.new_id() + ".db"))
                .string();
    db_ = std::make_unique<SqliteDatabase>(path_);
    audit_db_ = std::make_unique<SqliteDatabase>(audit_path_for(path_), 2, Schema::audit);
  }

  void TearDown() override {
    audit_db_.reset();
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_ + suffix);
      std::filesystem::remove(audit_path_for(path_) + suffix);
    }
  }

  std::unique_ptr<Transaction> begin(TxMode mode = TxMode::write) { return must(db_->begin(mode)); }
  // The audit log lives in its own database file.
  std::unique_ptr<Transaction> audit_begin(TxMode mode = TxMode::write) {
    return must(audit_db_->begin(mode));
  }

  Organisation organisation(std::string name, OrgKind kind, std::string parent_id = {}) {
    return Organisation{ids_.new_id(), std::move(name),     kind, "",
                        std::nullopt,  std::move(parent_id)};
  }

  Patient patient(std::string national_id) {
    Patient p;
    p.id = ids_.new_id();
    p.national_id = std::move(national_id);
    p.name = "Test Testesen";
    p.municipality_id = municipality_.id;
    p.created_at = at("2026-03-01T08:00:00Z");
    return p;
  }

  Episode episode(const Patient& p) {
    Episode e;
    e.id = ids_.new_id();
    e.patient_id = p.id;
    e.pathway_id = template_.id;
    e.pathway_version = template_.version;
    e.hospital_unit_id = sub_unit_.id;
    e.municipality_id = municipality_.id;
    e.started_at = at("2026-03-27T10:00:00Z");
    e.created_at = e.started_at;
    e.updated_at = e.started_at;
    return e;
  }

  // A hospital trust > unit > sub-unit tree, a municipality, a patient born
  // 2015-06-01, a template and one episode run by the sub-unit; committed.
  void seed() {
    trust_ = organisation("Sykehuset Telemark HF", OrgKind::hospital_trust);
    unit_ = organisation("Barne- og ungdomsklinikken", OrgKind::hospital_unit, trust_.id);
    sub_unit_ = organisation("Barneavdelingen", OrgKind::hospital_unit, unit_.id);
    municipality_ = organisation("Skien kommune", OrgKind::municipality);
    patient_ = patient("00000000001");
    patient_.birth_date = std::chrono::year{2015} / 6 / 1;
    template_ = StoredTemplate{"tiny", "0123456789abcdef", "id: tiny\n", "tiny.yaml",
                               at("2026-03-01T08:00:00Z")};
    episode_ = episode(patient_);
    auto tx = begin();
    for (const auto& o : {trust_, unit_, sub_unit_, municipality_})
      must(tx->organisations().insert(o));
    must(tx->patients().insert(patient_));
    must(tx->templates().put_current(template_));
    must(tx->episodes().insert(episode_));
    must(tx->commit());
  }

  User user(std::string username, AccountKind kind = AccountKind::staff) {
    User u;
    u.id = ids_.new_id();
    u.display_name = "Name of " + username;
    u.username = std::move(username);
    u.kind = kind;
    u.created_at = at("2026-03-01T08:00:00Z");
    return u;
  }

  // Inserts a new user in its own committed transaction.
  static core::Principal principal(const User& u) {
    return core::Principal{u.id, u.staff_id, u.display_name, u.kind, {}};
  }

  User add_user(std::string username, AccountKind kind = AccountKind::staff) {
    auto u = user(std::move(username), kind);
    auto tx = begin();
    must(tx->accounts().insert(u));
    must(tx->commit());
    return u;
  }

  CareTeamMember member(const Episode& e, std::string user_id, std::string name, std::string role) {
    CareTeamMember m;
    m.id = ids_.new_id();
    m.episode_id = e.id;
    m.user_id = std::move(user_id);
    m.name = std::move(name);
    m.role = std::move(role);
    m.added_by = "admin";
    m.added_at = at("2026-03-27T11:00:00Z");
    return m;
  }

  SelfAuthorisation self_authorisation(const User& u, const Episode& e, Instant starts,
                                       Instant ends) {
    SelfAuthorisation a;
    a.id = ids_.new_id();
    a.user_id = u.id;
    a.episode_id = e.id;
    a.reason = "Akutt innleggelse";
    a.starts_at = starts;
    a.ends_at = ends;
    return a;
  }

  Block block_of_user(const User& u) {
    return Block{ids_.new_id(), u.id, "", "Nabo", at("2026-03-28T08:00:00Z")};
  }
  Block block_of_organisation(const Organisation& o) {
    return Block{ids_.new_id(), "", o.id, "", at("2026-03-28T09:00:00Z")};
  }

  Consent consent(const Episode& e, std::vector<std::string> targets) {
    Consent c;
    c.id = ids_.new_id();
    c.episode_id = e.id;
    c.given_by = core::ConsentGiver::guardian;
    c.given_by_name = "Mor Testesen";
    c.purpose = core::ConsentPurpose::send_documentation;
    c.targets = std::move(targets);
    c.valid_from = at("2026-03-28T08:00:00Z");
    c.valid_to = at("2026-09-28T08:00:00Z");
    c.recorded_by = "kari";
    c.recorded_at = at("2026-03-28T08:05:00Z");
    return c;
  }

  static AuditEntry audit_entry(std::string patient_id, std::string resource, Instant when,
                                std::string request_id = "req") {
    AuditEntry e;
    e.at = when;
    e.user_id = "user-1";
    e.role = "sykepleier";
    e.organisation_id = "org-1";
    e.basis = "care_team";
    e.patient_id = std::move(patient_id);
    e.resource = std::move(resource);
    e.action = "read";
    e.outcome = "allowed";
    e.request_id = std::move(request_id);
    return e;
  }

  // Appends rows about patients "p1".."p5" (resource "episode/<n>") and
  // commits.
  void append_five() {
    std::vector<AuditEntry> entries;
    for (int i = 1; i <= 5; ++i)
      entries.push_back(audit_entry("p" + std::to_string(i), "episode/" + std::to_string(i),
                                    at("2026-03-28T08:00:00Z") + std::chrono::minutes(i)));
    auto tx = audit_begin();
    must(tx->audit().append(entries));
    must(tx->commit());
  }

  AuditVerification verify() {
    auto tx = audit_begin(TxMode::read);
    return must(tx->audit().verify());
  }

  // Changes the audit log's file behind the store's back, as someone with
  // access to the file (not to the application) could: dropping the
  // append-only triggers first.
  void tamper(const char* sql) {
    sqlite::Connection raw(audit_path_for(path_));
    raw.exec(
        "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;");
    raw.exec(sql);
  }

  RandomIds ids_;
  std::string path_;
  std::unique_ptr<SqliteDatabase> db_;
  std::unique_ptr<SqliteDatabase> audit_db_;
  Organisation trust_, unit_, sub_unit_, municipality_;
  Patient patient_;
  StoredTemplate template_;
  Episode episode_;
};

// --- users -------------------------------------------------------------------

TEST_F(AccessStore, AUserIsFoundByIdAndByUsernameInAnyCase) {
  auto kari = user("Kari.Nordmann");
  kari.hpr_number = "1234567";
  kari.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  kari.language = "en";
  kari.created_at = at("2026-03-02T09:30:00Z");
  {
    auto tx = begin();
    must(tx->accounts().insert(kari));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto by_id = must(tx->accounts().get(kari.id));
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->username, "Kari.Nordmann");
  EXPECT_EQ(by_id->display_name, "Name of Kari.Nordmann");
  EXPECT_EQ(by_id->kind, AccountKind::staff);
  EXPECT_EQ(by_id->hpr_number, "1234567");
  EXPECT_EQ(by_id->password_hash, kari.password_hash);
  EXPECT_EQ(by_id->oidc_subject, "");
  EXPECT_EQ(by_id->language, "en");
  EXPECT_FALSE(by_id->disabled);
  EXPECT_EQ(by_id->created_at, at("2026-03-02T09:30:00Z"));
  EXPECT_EQ(by_id->version, 1);

  for (const char* typed : {"Kari.Nordmann", "kari.nordmann", "KARI.NORDMANN"}) {
    auto found = must(tx->accounts().find_by_username(typed));
    ASSERT_TRUE(found) << typed;
    EXPECT_EQ(found->id, kari.id) << typed;
  }
  EXPECT_FALSE(must(tx->accounts().find_by_username("kari")));
  EXPECT_FALSE(must(tx->accounts().get("no-such-id")));
}

TEST_F(AccessStore, ATakenUsernameIsAConflictInAnyCase) {
  add_user("kari");
  auto tx = begin();
  auto again = user("KARI");
  auto r = tx->accounts().insert(again);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_FALSE(must(tx->accounts().get(again.id)));
  EXPECT_EQ(must(tx->accounts().list()).size(), 1u);
}

// Usernames are ASCII (service::create_user refuses others), so SQLite's
// NOCASE comparison (A-Z only) makes them case-insensitive.

TEST_F(AccessStore, AnUpdateOnAStaleVersionIsAConflict) {
  auto kari = add_user("kari");
  auto changed = kari;
  changed.display_name = "Kari Nordmann";
  changed.disabled = true;
  changed.language = "en";
  changed.version = 2;
  {
    auto tx = begin();
    must(tx->accounts().update(changed, 1));
    must(tx->commit());
  }
  auto tx = begin();
  auto stored = must(tx->accounts().get(kari.id));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->display_name, "Kari Nordmann");
  EXPECT_TRUE(stored->disabled);
  EXPECT_EQ(stored->language, "en");
  EXPECT_EQ(stored->version, 2);

  auto late = kari;  // someone else's edit, based on version 1
  late.display_name = "Kari N.";
  late.version = 2;
  auto r = tx->accounts().update(late, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_EQ(must(tx->accounts().get(kari.id))->display_name, "Kari Nordmann");

  auto ghost = user("ghost");
  auto missing = tx->accounts().update(ghost, 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::conflict);
}

TEST_F(AccessStore, UsersAreListedByUsernameIgnoringCase) {
  add_user("Carl");
  add_user("bob");
  add_user("alice");
  auto tx = begin(TxMode::read);
  EXPECT_EQ(usernames_of(must(tx->accounts().list())),
            (std::vector<std::string>{"alice", "bob", "Carl"}));
}

TEST_F(AccessStore, AUserIsFoundByTheirOidcSubject) {
  auto kari = user("kari");
  kari.oidc_subject = "https://idp.example.no kari-sub";
  {
    auto tx = begin();
    must(tx->accounts().insert(kari));
    must(tx->accounts().insert(user("ola")));  // no subject
    must(tx->accounts().insert(user("per")));  // no subject either: no clash
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto found = must(tx->accounts().find_by_oidc_subject("https://idp.example.no kari-sub"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, kari.id);
  EXPECT_EQ(found->oidc_subject, "https://idp.example.no kari-sub");
  EXPECT_FALSE(must(tx->accounts().find_by_oidc_subject("https://idp.example.no ola-sub")));
  EXPECT_FALSE(must(tx->accounts().find_by_oidc_subject("")));
}

// --- roles -------------------------------------------------------------------

TEST_F(AccessStore, AGrantCarriesItsOrganisationAndItsAncestorsNearestFirst) {
  seed();
  auto kari = add_user("kari");
  auto ola = add_user("ola");
  {
    auto tx = begin();
    must(tx->accounts().grant(kari.id, "sykepleier", sub_unit_.id, at("2026-03-01T08:00:00Z")));
    must(tx->accounts().grant(kari.id, "leder", unit_.id, at("2026-03-01T08:00:00Z")));
    must(tx->accounts().grant(kari.id, "admin", trust_.id, at("2026-03-01T08:00:00Z")));
    must(tx->accounts().grant(kari.id, "sykepleier", municipality_.id, at("2026-03-01T08:00:00Z")));
    // Granting again changes nothing.
    must(tx->accounts().grant(kari.id, "sykepleier", sub_unit_.id, at("2026-03-05T08:00:00Z")));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto grants = must(tx->accounts().grants(kari.id));
  ASSERT_EQ(grants.size(), 4u);
  std::set<std::vector<std::string>> got;
  for (const auto& g : grants) {
    std::vector<std::string> row{g.role, g.organisation_id};
    row.insert(row.end(), g.organisation_path.begin(), g.organisation_path.end());
    got.insert(row);
  }
  std::set<std::vector<std::string>> expected{
      {"sykepleier", sub_unit_.id, sub_unit_.id, unit_.id, trust_.id},
      {"leder", unit_.id, unit_.id, trust_.id},
      {"admin", trust_.id, trust_.id},
      {"sykepleier", municipality_.id, municipality_.id},
  };
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(must(tx->accounts().grants(ola.id)).empty());
}

// Grants are kept in memory between transactions; a change made through
// another connection (the command line, say) is seen at once.
TEST_F(AccessStore, GrantsChangedElsewhereAreSeenAtOnce) {
  seed();
  auto kari = add_user("kari");
  auto grants_of = [&] {
    auto tx = begin(TxMode::read);
    std::set<std::vector<std::string>> got;
    for (const auto& g : must(tx->accounts().grants(kari.id))) {
      std::vector<std::string> row{g.role};
      row.insert(row.end(), g.organisation_path.begin(), g.organisation_path.end());
      got.insert(row);
    }
    return got;
  };
  EXPECT_TRUE(grants_of().empty());
  sqlite::Connection other(path_);
  other
      .prepare(
          "INSERT INTO user_roles (user_id, role, organisation_id, granted_at) "
          "VALUES (?, 'sykepleier', ?, 0)")
      .bind(1, kari.id)
      .bind(2, sub_unit_.id)
      .run();
  using Rows = std::set<std::vector<std::string>>;
  EXPECT_EQ(grants_of(), (Rows{{"sykepleier", sub_unit_.id, unit_.id, trust_.id}}));
  EXPECT_EQ(grants_of(), (Rows{{"sykepleier", sub_unit_.id, unit_.id, trust_.id}}));
  // The organisation tree changes: the unit leaves the trust.
  other.prepare("UPDATE organisations SET parent_id = NULL WHERE id = ?").bind(1, unit_.id).run();
  EXPECT_EQ(grants_of(), (Rows{{"sykepleier", sub_unit_.id, unit_.id}}));
  other.prepare("DELETE FROM user_roles WHERE user_id = ?").bind(1, kari.id).run();
  EXPECT_TRUE(grants_of().empty());
}

TEST_F(AccessStore, UsersAndTokensChangedElsewhereAreSeenAtOnce) {
  seed();
  auto kari = add_user("kari");
  service::ApiToken token{"tok-1", kari.id, "script", "digest-1", at("2026-03-01T08:00:00Z"),
                          {},      {}};
  {
    auto tx = begin();
    must(tx->accounts().insert_token(token));
    must(tx->commit());
  }
  auto read = [&] {
    auto tx = begin(TxMode::read);
    auto t = must(tx->accounts().find_token("digest-1"));
    auto u = must(tx->accounts().get(kari.id));
    return std::pair{t, u};
  };
  for (int i = 0; i < 2; ++i) {  // read, then served from memory
    auto [t, u] = read();
    ASSERT_TRUE(t && u);
    EXPECT_FALSE(t->revoked_at);
    EXPECT_FALSE(u->disabled);
  }
  // Another process (the command line) revokes the token and disables the user.
  sqlite::Connection other(path_);
  other.prepare("UPDATE api_tokens SET revoked_at = 1 WHERE id = 'tok-1'").run();
  EXPECT_TRUE(read().first->revoked_at);
  other.prepare("UPDATE users SET disabled = 1 WHERE id = ?").bind(1, kari.id).run();
  EXPECT_TRUE(read().second->disabled);
  other.prepare("DELETE FROM api_tokens WHERE id = 'tok-1'").run();
  EXPECT_FALSE(read().first);
}

// --- family ------------------------------------------------------------------

TEST_F(AccessStore, LinkingAFamilyMemberAgainUpdatesTheRelation) {
  seed();
  auto sibling = patient("00000000002");
  {
    auto tx = begin();
    must(tx->patients().insert(sibling));
    must(tx->commit());
  }
  auto mother = add_user("mor", AccountKind::family);
  auto child = add_user("barn", AccountKind::family);
  {
    auto tx = begin();
    must(tx->accounts().link_family(patient_.id, mother.id, FamilyRelation::guardian));
    must(tx->accounts().link_family(sibling.id, mother.id, FamilyRelation::guardian));
    must(tx->accounts().link_family(patient_.id, child.id, FamilyRelation::guardian));
    // The young person turns out to be the patient: linking again corrects it.
    must(tx->accounts().link_family(patient_.id, child.id, FamilyRelation::self));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  EXPECT_EQ(sorted(must(tx->accounts().patients_of_family_member(mother.id))),
            sorted({patient_.id, sibling.id}));
  EXPECT_EQ(must(tx->accounts().patients_of_family_member(child.id)),
            std::vector<std::string>{patient_.id});
  EXPECT_TRUE(must(tx->accounts().patients_of_family_member("no-such-user")).empty());

  auto facts = must(tx->access().facts(episode_.id, principal(mother)));
  ASSERT_TRUE(facts);
  ASSERT_EQ(facts->family.size(), 2u);
  std::set<std::pair<std::string, FamilyRelation>> links;
  for (const auto& l : facts->family) links.insert({l.user_id, l.relation});
  EXPECT_EQ(links, (std::set<std::pair<std::string, FamilyRelation>>{
                       {mother.id, FamilyRelation::guardian}, {child.id, FamilyRelation::self}}));
}

// --- sessions and tokens -------------------------------------------------------

TEST_F(AccessStore, PurgeDropsEndedSessionsAndOldLoginAttempts) {
  auto kari = add_user("kari");
  auto tx = begin();
  // Ended by its absolute limit, unused too long, and one still in use.
  must(tx->accounts().insert_session({"ended", kari.id, "c1", at("2026-03-28T08:00:00Z"),
                                      at("2026-03-28T19:50:00Z"), at("2026-03-28T20:00:00Z")}));
  must(tx->accounts().insert_session({"idle", kari.id, "c2", at("2026-03-28T18:00:00Z"),
                                      at("2026-03-28T19:00:00Z"), at("2026-03-29T06:00:00Z")}));
  must(tx->accounts().insert_session({"alive", kari.id, "c3", at("2026-03-28T18:00:00Z"),
                                      at("2026-03-28T19:59:00Z"), at("2026-03-29T06:00:00Z")}));
  must(tx->accounts().record_login_attempt("kari", at("2026-03-27T10:00:00Z"), false));
  must(tx->accounts().record_login_attempt("kari", at("2026-03-28T19:00:00Z"), false));
  must(tx->accounts().purge(at("2026-03-28T20:00:00Z"), at("2026-03-28T19:30:00Z"),
                            at("2026-03-27T20:00:00Z")));
  EXPECT_FALSE(must(tx->accounts().find_session("ended")));
  EXPECT_FALSE(must(tx->accounts().find_session("idle")));
  EXPECT_TRUE(must(tx->accounts().find_session("alive")));
  EXPECT_EQ(must(tx->accounts().failed_logins_since("kari", at("2026-03-01T00:00:00Z"))), 1);
}

TEST_F(AccessStore, SessionsAreFoundTouchedAndDeleted) {
  auto kari = add_user("kari");
  auto ola = add_user("ola");
  Session first{"digest-1",
                kari.id,
                "csrf-1",
                at("2026-03-28T08:00:00Z"),
                at("2026-03-28T08:00:00Z"),
                at("2026-03-28T20:00:00Z")};
  Session second{"digest-2",
                 kari.id,
                 "csrf-2",
                 at("2026-03-28T09:00:00Z"),
                 at("2026-03-28T09:00:00Z"),
                 at("2026-03-28T21:00:00Z")};
  Session others{"digest-3",
                 ola.id,
                 "csrf-3",
                 at("2026-03-28T09:00:00Z"),
                 at("2026-03-28T09:00:00Z"),
                 at("2026-03-28T21:00:00Z")};
  auto tx = begin();
  for (const auto& s : {first, second, others}) must(tx->accounts().insert_session(s));

  auto found = must(tx->accounts().find_session("digest-1"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, kari.id);
  EXPECT_EQ(found->csrf_token, "csrf-1");
  EXPECT_EQ(found->created_at, at("2026-03-28T08:00:00Z"));
  EXPECT_EQ(found->last_seen_at, at("2026-03-28T08:00:00Z"));
  EXPECT_EQ(found->expires_at, at("2026-03-28T20:00:00Z"));
  EXPECT_FALSE(must(tx->accounts().find_session("no-such-digest")));

  must(tx->accounts().touch_session("digest-1", at("2026-03-28T08:20:00Z")));
  found = must(tx->accounts().find_session("digest-1"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->last_seen_at, at("2026-03-28T08:20:00Z"));
  EXPECT_EQ(found->created_at, at("2026-03-28T08:00:00Z"));
  EXPECT_EQ(found->expires_at, at("2026-03-28T20:00:00Z"));

  must(tx->accounts().delete_session("digest-1"));
  EXPECT_FALSE(must(tx->accounts().find_session("digest-1")));
  EXPECT_TRUE(must(tx->accounts().find_session("digest-2")));

  must(tx->accounts().insert_session(first));
  must(tx->accounts().delete_sessions_of(kari.id));  // e.g. on a password change
  EXPECT_FALSE(must(tx->accounts().find_session("digest-1")));
  EXPECT_FALSE(must(tx->accounts().find_session("digest-2")));
  EXPECT_TRUE(must(tx->accounts().find_session("digest-3")));
}

TEST_F(AccessStore, TokensAreFoundListedAndRevokedOnce) {
  auto kari = add_user("kari");
  auto ola = add_user("ola");
  ApiToken later{"token-b",    kari.id,     "Integrasjon", "digest-b", at("2026-03-28T09:00:00Z"),
                 std::nullopt, std::nullopt};
  ApiToken earlier{"token-a",
                   kari.id,
                   "Rapport",
                   "digest-a",
                   at("2026-03-28T08:00:00Z"),
                   at("2026-06-28T08:00:00Z"),
                   std::nullopt};
  ApiToken others{"token-c",    ola.id,      "Ola", "digest-c", at("2026-03-28T07:00:00Z"),
                  std::nullopt, std::nullopt};
  auto tx = begin();
  for (const auto& t : {later, earlier, others}) must(tx->accounts().insert_token(t));

  auto found = must(tx->accounts().find_token("digest-a"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "token-a");
  EXPECT_EQ(found->user_id, kari.id);
  EXPECT_EQ(found->name, "Rapport");
  EXPECT_EQ(found->created_at, at("2026-03-28T08:00:00Z"));
  EXPECT_EQ(found->expires_at, std::optional<Instant>(at("2026-06-28T08:00:00Z")));
  EXPECT_FALSE(found->revoked_at);
  EXPECT_FALSE(must(tx->accounts().find_token("digest-x")));

  auto listed = must(tx->accounts().tokens_of(kari.id));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, "token-a");
  EXPECT_EQ(listed[1].id, "token-b");
  EXPECT_FALSE(listed[1].expires_at);

  must(tx->accounts().revoke_token("token-a", at("2026-03-29T10:00:00Z")));
  must(tx->accounts().revoke_token("token-a", at("2026-03-30T10:00:00Z")));  // keeps the first
  found = must(tx->accounts().find_token("digest-a"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->revoked_at, std::optional<Instant>(at("2026-03-29T10:00:00Z")));
  EXPECT_FALSE(must(tx->accounts().find_token("digest-b"))->revoked_at);
}

// --- login throttling -----------------------------------------------------------

TEST_F(AccessStore, FailedLoginsCountFromTheLaterOfSinceAndTheLastSuccess) {
  auto tx = begin();
  auto& accounts = tx->accounts();
  must(accounts.record_login_attempt("kari", at("2026-03-28T10:00:00Z"), false));
  must(accounts.record_login_attempt("kari", at("2026-03-28T10:01:00Z"), false));
  must(accounts.record_login_attempt("Kari", at("2026-03-28T10:02:00Z"), true));
  must(accounts.record_login_attempt("kari", at("2026-03-28T10:03:00Z"), false));
  must(accounts.record_login_attempt("KARI", at("2026-03-28T10:04:00Z"), false));
  must(accounts.record_login_attempt("kari", at("2026-03-28T10:05:00Z"), false));
  must(accounts.record_login_attempt("ola", at("2026-03-28T10:00:00Z"), false));
  must(accounts.record_login_attempt("ola", at("2026-03-28T10:01:00Z"), false));

  // The success at 10:02 starts a fresh count.
  EXPECT_EQ(must(accounts.failed_logins_since("kari", at("2026-03-28T09:00:00Z"))), 3);
  EXPECT_EQ(must(accounts.failed_logins_since("KaRi", at("2026-03-28T09:00:00Z"))), 3);
  // A later `since` counts from there.
  EXPECT_EQ(must(accounts.failed_logins_since("kari", at("2026-03-28T10:04:00Z"))), 2);
  EXPECT_EQ(must(accounts.failed_logins_since("kari", at("2026-03-28T10:06:00Z"))), 0);
  // Without any success, every failure since counts.
  EXPECT_EQ(must(accounts.failed_logins_since("ola", at("2026-03-28T09:00:00Z"))), 2);
  EXPECT_EQ(must(accounts.failed_logins_since("ola", at("2026-03-28T10:01:00Z"))), 1);
  EXPECT_EQ(must(accounts.failed_logins_since("per", at("2026-03-28T09:00:00Z"))), 0);
}

TEST_F(AccessStore, ThrottledAccountsHaveEnoughFailuresAfterTheirLastSuccess) {
  auto tx = begin();
  auto& accounts = tx->accounts();
  auto minute = [](int m) { return at("2026-03-28T10:00:00Z") + std::chrono::minutes(m); };
  // kari: 3 failures after a success; ola: 2 failures; per: 5 failures, then a success.
  must(accounts.record_login_attempt("kari", minute(0), false));
  must(accounts.record_login_attempt("kari", minute(1), true));
  for (int m : {2, 3, 5}) must(accounts.record_login_attempt("kari", minute(m), false));
  for (int m : {3, 4}) must(accounts.record_login_attempt("ola", minute(m), false));
  for (int m : {0, 1, 2, 3, 4}) must(accounts.record_login_attempt("per", minute(m), false));
  must(accounts.record_login_attempt("per", minute(6), true));

  auto three = must(accounts.throttled_accounts(at("2026-03-28T09:00:00Z"), 3));
  ASSERT_EQ(three.size(), 1u);
  EXPECT_EQ(three[0].username, "kari");
  EXPECT_EQ(three[0].failures, 3);
  EXPECT_EQ(three[0].last_failure, minute(5));

  auto two = must(accounts.throttled_accounts(at("2026-03-28T09:00:00Z"), 2));
  std::vector<std::string> names;
  for (const auto& a : two) names.push_back(a.username);
  EXPECT_EQ(names, (std::vector<std::string>{"kari", "ola"}));  // latest failure first

  // Only failures since `since` count.
  auto recent = must(accounts.throttled_accounts(minute(4), 2));
  EXPECT_TRUE(recent.empty());
}

// --- access facts ------------------------------------------------------------------

TEST_F(AccessStore, FactsOfAnUnknownEpisodeAreNothing) {
  seed();
  auto tx = begin(TxMode::read);
  EXPECT_FALSE(must(tx->access().facts("no-such-episode", principal(add_user("kari")))));
}

TEST_F(AccessStore, FactsHoldTheEpisodeTeamFamilyBlocksAndOnlyTheUsersSelfAuthorisations) {
  seed();
  auto other_episode = episode(patient_);
  auto kari = add_user("kari");
  auto ola = add_user("ola");
  auto per = add_user("per");
  auto mother = add_user("mor", AccountKind::family);
  auto mine =
      self_authorisation(kari, episode_, at("2026-03-28T08:00:00Z"), at("2026-03-28T16:00:00Z"));
  auto mine_earlier =
      self_authorisation(kari, episode_, at("2026-03-27T08:00:00Z"), at("2026-03-27T10:00:00Z"));
  auto someone_elses =
      self_authorisation(ola, episode_, at("2026-03-28T08:00:00Z"), at("2026-03-28T16:00:00Z"));
  auto mine_elsewhere = self_authorisation(kari, other_episode, at("2026-03-28T08:00:00Z"),
                                           at("2026-03-28T16:00:00Z"));
  mine.emergency = true;
  auto active_block = block_of_organisation(municipality_);
  auto lifted_block = block_of_user(per);
  {
    auto tx = begin();
    must(tx->episodes().insert(other_episode));
    must(tx->access().add_member(member(episode_, ola.id, "Ola", "lege")));
    must(tx->access().add_member(member(episode_, per.id, "Per", "sykepleier")));
    must(tx->access().add_member(member(episode_, "", "Fastlege Hansen", "fastlege")));
    must(tx->access().add_member(member(other_episode, kari.id, "Kari", "lege")));
    must(tx->accounts().link_family(patient_.id, mother.id, FamilyRelation::guardian));
    for (const auto& a : {mine, mine_earlier, someone_elses, mine_elsewhere})
      must(tx->access().insert_self_authorisation(a));
    must(tx->access().insert_block(patient_.id, active_block, mother.id));
    must(tx->access().insert_block(patient_.id, lifted_block, mother.id));
    EXPECT_TRUE(
        must(tx->access().lift_block(patient_.id, lifted_block.id, at("2026-03-28T12:00:00Z"))));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto facts = must(tx->access().facts(episode_.id, principal(kari)));
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->episode_id, episode_.id);
  EXPECT_EQ(facts->patient_id, patient_.id);
  EXPECT_EQ(facts->hospital_unit_id, sub_unit_.id);
  EXPECT_EQ(facts->municipality_id, municipality_.id);
  // What only a family member's decision needs is not read for staff.
  EXPECT_FALSE(facts->patient_birth_date);
  EXPECT_TRUE(facts->family.empty());
  // The member without an account gives no one a basis.
  EXPECT_EQ(sorted(facts->care_team_user_ids), sorted({ola.id, per.id}));
  ASSERT_EQ(facts->blocks.size(), 1u);
  EXPECT_EQ(facts->blocks[0].id, active_block.id);
  EXPECT_EQ(facts->blocks[0].organisation_id, municipality_.id);
  EXPECT_EQ(facts->blocks[0].user_id, "");
  // Kari's two for this episode; neither Ola's nor Kari's for the other one.
  std::vector<std::string> self_ids;
  for (const auto& a : facts->self_authorisations) self_ids.push_back(a.id);
  EXPECT_EQ(sorted(self_ids), sorted({mine.id, mine_earlier.id}));
  for (const auto& a : facts->self_authorisations) {
    EXPECT_EQ(a.user_id, kari.id);
    EXPECT_EQ(a.episode_id, episode_.id);
    if (a.id == mine.id) {
      EXPECT_TRUE(a.emergency);
      EXPECT_EQ(a.reason, "Akutt innleggelse");
      EXPECT_EQ(a.starts_at, at("2026-03-28T08:00:00Z"));
      EXPECT_EQ(a.ends_at, at("2026-03-28T16:00:00Z"));
      EXPECT_EQ(a.reviewed_by, "");
      EXPECT_FALSE(a.reviewed_at);
    }
  }

  // Someone with nothing of their own still gets the episode's facts.
  auto for_per = must(tx->access().facts(episode_.id, principal(per)));
  ASSERT_TRUE(for_per);
  EXPECT_TRUE(for_per->self_authorisations.empty());
  EXPECT_EQ(for_per->blocks.size(), 1u);

  // A family member's decision needs the family links and the birth date.
  auto for_mother = must(tx->access().facts(episode_.id, principal(mother)));
  ASSERT_TRUE(for_mother);
  ASSERT_TRUE(for_mother->patient_birth_date);
  EXPECT_EQ(core::format_date(*for_mother->patient_birth_date), "2015-06-01");
  ASSERT_EQ(for_mother->family.size(), 1u);
  EXPECT_EQ(for_mother->family[0].user_id, mother.id);
  EXPECT_EQ(for_mother->family[0].relation, FamilyRelation::guardian);
  EXPECT_EQ(for_mother->blocks.size(), 1u);
  EXPECT_TRUE(for_mother->self_authorisations.empty());
}

TEST_F(AccessStore, PatientFactsOfAPatientWithoutEpisodes) {
  seed();
  auto lonely = patient("00000000003");
  lonely.birth_date = std::chrono::year{2010} / 1 / 31;
  auto mother = add_user("mor", AccountKind::family);
  auto block = block_of_organisation(sub_unit_);
  {
    auto tx = begin();
    must(tx->patients().insert(lonely));
    must(tx->accounts().link_family(lonely.id, mother.id, FamilyRelation::guardian));
    must(tx->access().insert_block(lonely.id, block, mother.id));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto facts = must(tx->access().patient_facts(lonely));
  EXPECT_EQ(facts.episode_id, "");
  EXPECT_EQ(facts.patient_id, lonely.id);
  EXPECT_EQ(facts.municipality_id, municipality_.id);
  EXPECT_EQ(facts.hospital_unit_id, "");
  ASSERT_TRUE(facts.patient_birth_date);
  EXPECT_EQ(core::format_date(*facts.patient_birth_date), "2010-01-31");
  ASSERT_EQ(facts.family.size(), 1u);
  EXPECT_EQ(facts.family[0].user_id, mother.id);
  ASSERT_EQ(facts.blocks.size(), 1u);
  EXPECT_EQ(facts.blocks[0].organisation_id, sub_unit_.id);
  EXPECT_TRUE(facts.care_team_user_ids.empty());
  EXPECT_TRUE(facts.self_authorisations.empty());
}

// --- the care team ---------------------------------------------------------------------

TEST_F(AccessStore, AUserIsInACareTeamOnlyOnce) {
  seed();
  auto kari = add_user("kari");
  auto tx = begin();
  must(tx->access().add_member(member(episode_, kari.id, "Kari", "sykepleier")));
  auto again = tx->access().add_member(member(episode_, kari.id, "Kari N.", "lege"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  // Members without an account are not the same person just by lacking one.
  must(tx->access().add_member(member(episode_, "", "Fastlege Hansen", "fastlege")));
  must(tx->access().add_member(member(episode_, "", "Fysioterapeut Berg", "fysioterapeut")));
  auto members = must(tx->access().members(episode_.id));
  ASSERT_EQ(members.size(), 3u);
  for (const auto& m : members)
    if (m.user_id == kari.id) {
      EXPECT_EQ(m.role, "sykepleier");
    }
}

TEST_F(AccessStore, RemovingAnUnknownMemberIsNotFound) {
  seed();
  auto other_episode = episode(patient_);
  auto kari = add_user("kari");
  auto kept = member(episode_, kari.id, "Kari", "sykepleier");
  auto tx = begin();
  must(tx->episodes().insert(other_episode));
  must(tx->access().add_member(kept));

  auto unknown = tx->access().remove_member(episode_.id, "no-such-member");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  auto wrong_episode = tx->access().remove_member(other_episode.id, kept.id);
  ASSERT_FALSE(wrong_episode.ok());
  EXPECT_EQ(wrong_episode.error().code, ErrorCode::not_found);
  EXPECT_EQ(must(tx->access().members(episode_.id)).size(), 1u);

  must(tx->access().remove_member(episode_.id, kept.id));
  EXPECT_TRUE(must(tx->access().members(episode_.id)).empty());
  auto twice = tx->access().remove_member(episode_.id, kept.id);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::not_found);
}

TEST_F(AccessStore, MembersAreListedByRoleThenName) {
  seed();
  auto kari = add_user("kari");
  auto anne = add_user("anne");
  auto nurse_kari = member(episode_, kari.id, "Kari", "sykepleier");
  nurse_kari.organisation_id = sub_unit_.id;
  nurse_kari.phone = "+4790000000";
  nurse_kari.email = "kari@example.no";
  auto nurse_anne = member(episode_, anne.id, "Anne", "sykepleier");
  auto gp = member(episode_, "", "Hansen", "fastlege");
  auto doctor = member(episode_, "", "Berg", "lege");
  {
    auto tx = begin();
    for (const auto& m : {nurse_kari, doctor, gp, nurse_anne}) must(tx->access().add_member(m));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto members = must(tx->access().members(episode_.id));
  std::vector<std::string> names;
  for (const auto& m : members) names.push_back(m.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Hansen", "Berg", "Anne", "Kari"}));
  ASSERT_EQ(members.size(), 4u);
  const auto& k = members[3];
  EXPECT_EQ(k.id, nurse_kari.id);
  EXPECT_EQ(k.episode_id, episode_.id);
  EXPECT_EQ(k.user_id, kari.id);
  EXPECT_EQ(k.role, "sykepleier");
  EXPECT_EQ(k.organisation_id, sub_unit_.id);
  EXPECT_EQ(k.phone, "+4790000000");
  EXPECT_EQ(k.email, "kari@example.no");
  EXPECT_EQ(k.added_by, "admin");
  EXPECT_EQ(k.added_at, at("2026-03-27T11:00:00Z"));
  EXPECT_EQ(members[0].user_id, "");
  EXPECT_EQ(members[0].organisation_id, "");
}

TEST_F(AccessStore, EpisodesOfAMemberIncludeSelfAuthorisationsInForce) {
  seed();
  auto in_team = episode(patient_);
  auto authorised_now = episode(patient_);
  auto authorised_before = episode(patient_);
  auto authorised_later = episode(patient_);
  auto not_mine = episode(patient_);
  auto kari = add_user("kari");
  auto ola = add_user("ola");
  auto now = at("2026-03-28T12:00:00Z");
  {
    auto tx = begin();
    for (const auto& e : {in_team, authorised_now, authorised_before, authorised_later, not_mine})
      must(tx->episodes().insert(e));
    must(tx->access().add_member(member(in_team, kari.id, "Kari", "sykepleier")));
    must(tx->access().add_member(member(not_mine, ola.id, "Ola", "lege")));
    must(tx->access().insert_self_authorisation(self_authorisation(
        kari, authorised_now, now - std::chrono::hours(1), now + std::chrono::hours(1))));
    must(tx->access().insert_self_authorisation(
        self_authorisation(kari, authorised_before, now - std::chrono::hours(9), now)));
    must(tx->access().insert_self_authorisation(self_authorisation(
        kari, authorised_later, now + std::chrono::hours(1), now + std::chrono::hours(2))));
    // Also in the team: listed once.
    must(tx->access().insert_self_authorisation(self_authorisation(
        kari, in_team, now - std::chrono::hours(1), now + std::chrono::hours(1))));
    must(tx->access().insert_self_authorisation(self_authorisation(
        ola, authorised_later, now - std::chrono::hours(1), now + std::chrono::hours(1))));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  EXPECT_EQ(sorted(must(tx->access().episodes_of_member(kari.id, now))),
            sorted({in_team.id, authorised_now.id}));
  // Two hours later only the care team remains.
  EXPECT_EQ(must(tx->access().episodes_of_member(kari.id, now + std::chrono::hours(2))),
            std::vector<std::string>{in_team.id});
  EXPECT_TRUE(must(tx->access().episodes_of_member("no-such-user", now)).empty());
}

// --- self-authorisations -------------------------------------------------------------------

TEST_F(AccessStore, PendingSelfAuthorisationsAreReviewedOnce) {
  seed();
  auto kari = add_user("kari");
  auto leader = add_user("leder");
  auto other_leader = add_user("leder2");
  auto first =
      self_authorisation(kari, episode_, at("2026-03-27T08:00:00Z"), at("2026-03-27T16:00:00Z"));
  auto second =
      self_authorisation(kari, episode_, at("2026-03-28T08:00:00Z"), at("2026-03-28T16:00:00Z"));
  auto tx = begin();
  must(tx->access().insert_self_authorisation(first));
  must(tx->access().insert_self_authorisation(second));
  std::vector<std::string> pending;
  for (const auto& a : must(tx->access().self_authorisations(true))) pending.push_back(a.id);
  EXPECT_EQ(pending, (std::vector<std::string>{second.id, first.id}));  // newest first

  EXPECT_TRUE(must(
      tx->access().review_self_authorisation(first.id, leader.id, at("2026-03-29T09:00:00Z"))));
  EXPECT_FALSE(must(tx->access().review_self_authorisation(first.id, other_leader.id,
                                                           at("2026-03-30T09:00:00Z"))));
  EXPECT_FALSE(must(
      tx->access().review_self_authorisation("no-such-id", leader.id, at("2026-03-30T09:00:00Z"))));
  auto still_pending = must(tx->access().self_authorisations(true));
  ASSERT_EQ(still_pending.size(), 1u);
  EXPECT_EQ(still_pending[0].id, second.id);

  auto all = must(tx->access().self_authorisations(false));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].id, first.id);
  EXPECT_EQ(all[1].reviewed_by, leader.id);  // the first review stands
  EXPECT_EQ(all[1].reviewed_at, std::optional<Instant>(at("2026-03-29T09:00:00Z")));
}

// --- blocks ---------------------------------------------------------------------------

TEST_F(AccessStore, ALiftedBlockNoLongerCounts) {
  seed();
  auto per = add_user("per");
  auto mother = add_user("mor", AccountKind::family);
  auto against_per = block_of_user(per);
  auto against_unit = block_of_organisation(unit_);
  auto tx = begin();
  must(tx->access().insert_block(patient_.id, against_per, mother.id));
  must(tx->access().insert_block(patient_.id, against_unit, mother.id));
  auto blocks = must(tx->access().blocks(patient_.id));
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].id, against_per.id);  // oldest first
  EXPECT_EQ(blocks[0].user_id, per.id);
  EXPECT_EQ(blocks[0].organisation_id, "");
  EXPECT_EQ(blocks[0].reason, "Nabo");
  EXPECT_EQ(blocks[0].created_at, at("2026-03-28T08:00:00Z"));
  EXPECT_EQ(blocks[1].id, against_unit.id);
  EXPECT_EQ(blocks[1].organisation_id, unit_.id);

  auto sibling = patient("00000000002");
  must(tx->patients().insert(sibling));
  EXPECT_FALSE(must(tx->access().lift_block(sibling.id, against_per.id,
                                            at("2026-03-29T08:00:00Z"))));  // not theirs
  EXPECT_TRUE(
      must(tx->access().lift_block(patient_.id, against_per.id, at("2026-03-29T08:00:00Z"))));
  EXPECT_FALSE(
      must(tx->access().lift_block(patient_.id, against_per.id, at("2026-03-30T08:00:00Z"))));

  blocks = must(tx->access().blocks(patient_.id));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].id, against_unit.id);
  auto facts = must(tx->access().facts(episode_.id, principal(per)));
  ASSERT_TRUE(facts);
  ASSERT_EQ(facts->blocks.size(), 1u);
  EXPECT_EQ(facts->blocks[0].id, against_unit.id);
  EXPECT_EQ(must(tx->access().patient_facts(patient_)).blocks.size(), 1u);
}

TEST_F(AccessStore, PatientsBlockingFindsBlocksByUserAndByOrganisation) {
  seed();
  auto per = add_user("per");
  auto ola = add_user("ola");
  auto mother = add_user("mor", AccountKind::family);
  auto second = patient("00000000002");
  auto third = patient("00000000003");
  auto fourth = patient("00000000004");
  auto lifted = block_of_user(ola);
  {
    auto tx = begin();
    for (const auto& p : {second, third, fourth}) must(tx->patients().insert(p));
    must(tx->access().insert_block(patient_.id, block_of_user(per), mother.id));
    must(tx->access().insert_block(second.id, block_of_organisation(unit_), mother.id));
    must(tx->access().insert_block(third.id, block_of_organisation(municipality_), mother.id));
    must(tx->access().insert_block(fourth.id, lifted, mother.id));
    must(tx->access().lift_block(fourth.id, lifted.id, at("2026-03-29T08:00:00Z")));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  EXPECT_EQ(must(tx->access().patients_blocking(per.id, {})),
            std::vector<std::string>{patient_.id});
  EXPECT_EQ(
      sorted(must(tx->access().patients_blocking(per.id, {sub_unit_.id, unit_.id, trust_.id}))),
      sorted({patient_.id, second.id}));
  EXPECT_EQ(must(tx->access().patients_blocking(ola.id, {municipality_.id})),
            std::vector<std::string>{third.id});
  EXPECT_TRUE(must(tx->access().patients_blocking(ola.id, {sub_unit_.id})).empty());
}

// --- consents --------------------------------------------------------------------------

TEST_F(AccessStore, AConsentKeepsItsTargetsInOrder) {
  seed();
  auto documentation = consent(episode_, {municipality_.id, sub_unit_.id, trust_.id});
  auto sharing = consent(episode_, {"sykepleier", "fastlege"});
  sharing.purpose = core::ConsentPurpose::share_with_role;
  sharing.given_by = core::ConsentGiver::patient;
  sharing.valid_to = std::nullopt;
  sharing.recorded_at = at("2026-03-29T08:00:00Z");
  {
    auto tx = begin();
    must(tx->access().insert_consent(documentation));
    must(tx->access().insert_consent(sharing));
    must(tx->commit());
  }
  auto tx = begin(TxMode::read);
  auto consents = must(tx->access().consents(episode_.id));
  ASSERT_EQ(consents.size(), 2u);
  const auto& d = consents[0];
  EXPECT_EQ(d.id, documentation.id);
  EXPECT_EQ(d.episode_id, episode_.id);
  EXPECT_EQ(d.given_by, core::ConsentGiver::guardian);
  EXPECT_EQ(d.given_by_name, "Mor Testesen");
  EXPECT_EQ(d.purpose, core::ConsentPurpose::send_documentation);
  EXPECT_EQ(d.targets, (std::vector<std::string>{municipality_.id, sub_unit_.id, trust_.id}));
  EXPECT_EQ(d.valid_from, at("2026-03-28T08:00:00Z"));
  EXPECT_EQ(d.valid_to, std::optional<Instant>(at("2026-09-28T08:00:00Z")));
  EXPECT_FALSE(d.withdrawn_at);
  EXPECT_EQ(d.recorded_by, "kari");
  EXPECT_EQ(d.recorded_at, at("2026-03-28T08:05:00Z"));
  EXPECT_EQ(d.version, 1);
  const auto& s = consents[1];
  EXPECT_EQ(s.purpose, core::ConsentPurpose::share_with_role);
  EXPECT_EQ(s.given_by, core::ConsentGiver::patient);
  EXPECT_EQ(s.targets, (std::vector<std::string>{"sykepleier", "fastlege"}));
  EXPECT_FALSE(s.valid_to);
  EXPECT_TRUE(must(tx->access().consents("no-such-episode")).empty());
}

TEST_F(AccessStore, AConsentUpdateOnAStaleVersionIsAConflict) {
  seed();
  auto c = consent(episode_, {municipality_.id});
  {
    auto tx = begin();
    must(tx->access().insert_consent(c));
    must(tx->commit());
  }
  auto withdrawn = c;
  withdrawn.withdrawn_at = at("2026-04-01T08:00:00Z");
  withdrawn.version = 2;
  {
    auto tx = begin();
    must(tx->access().update_consent(withdrawn, 1));
    must(tx->commit());
  }
  auto tx = begin();
  auto late = c;  // based on version 1
  late.valid_to = at("2026-05-01T08:00:00Z");
  late.version = 2;
  auto r = tx->access().update_consent(late, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  auto consents = must(tx->access().consents(episode_.id));
  ASSERT_EQ(consents.size(), 1u);
  EXPECT_EQ(consents[0].version, 2);
  EXPECT_EQ(consents[0].withdrawn_at, std::optional<Instant>(at("2026-04-01T08:00:00Z")));
  EXPECT_EQ(consents[0].valid_to, std::optional<Instant>(at("2026-09-28T08:00:00Z")));
  EXPECT_EQ(consents[0].targets, std::vector<std::string>{municipality_.id});
}

// --- the audit log --------------------------------------------------------------------

TEST_F(AccessStore, AppendedRowsAreNumberedAndChained) {
  append_five();
  {
    auto tx = audit_begin();
    must(tx->audit().append({audit_entry("p1", "episode/6", at("2026-03-29T08:00:00Z")),
                             audit_entry("p1", "episode/7", at("2026-03-29T08:01:00Z"))}));
    must(tx->audit().append({}));  // nothing to add
    must(tx->commit());
  }
  auto tx = audit_begin(TxMode::read);
  auto p1 = must(tx->audit().for_patient("p1", 10, 0));
  EXPECT_EQ(seqs_of(p1), (std::vector<std::int64_t>{7, 6, 1}));
  // Every row's hash covers the previous row's hash.
  std::string previous;
  std::int64_t expected_seq = 0;
  std::set<std::string> hashes;
  for (int i = 1; i <= 5; ++i) {
    auto rows = must(tx->audit().for_patient("p" + std::to_string(i), 10, 0));
    ASSERT_FALSE(rows.empty());
    const auto& row = rows.back();  // the oldest row of patient i is row i
    EXPECT_EQ(row.seq, ++expected_seq);
    EXPECT_EQ(row.hash.size(), 64u);
    EXPECT_EQ(row.hash, audit_hash(previous, row.seq, row.entry)) << "row " << row.seq;
    hashes.insert(row.hash);
    previous = row.hash;
  }
  EXPECT_EQ(hashes.size(), 5u);
  EXPECT_EQ(p1[1].hash, audit_hash(previous, 6, p1[1].entry));
  EXPECT_EQ(p1[0].hash, audit_hash(p1[1].hash, 7, p1[0].entry));
}

// The chain's format is what lets a log written today be verified by a
// later version (or another tool): pin it, computed here independently from
// the format documented in store/audit_chain.hpp.
TEST_F(AccessStore, TheFirstRowsHashFollowsTheDocumentedFormat) {
  auto e = audit_entry("p1", "episode/1", at("2026-03-28T08:00:00Z"), "req-1");
  e.emergency = true;
  {
    auto tx = audit_begin();
    must(tx->audit().append({e}));
    must(tx->commit());
  }
  auto tx = audit_begin(TxMode::read);
  auto rows = must(tx->audit().for_patient("p1", 1, 0));
  ASSERT_EQ(rows.size(), 1u);

  auto seconds = std::to_string(at("2026-03-28T08:00:00Z").time_since_epoch().count());
  std::string text = "1:1;" + std::to_string(seconds.size()) + ":" + seconds +
                     ";6:user-1;10:sykepleier;5:org-1;9:care_team;2:p1;9:episode/1;4:read;"
                     "7:allowed;1:1;5:req-1;";
  std::array<unsigned char, 32> zeros{};
  std::array<unsigned char, 32> digest{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, digest.size());
  crypto_generichash_update(&state, zeros.data(), zeros.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(text.data()),
                            text.size());
  crypto_generichash_final(&state, digest.data(), digest.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  EXPECT_EQ(rows[0].hash, std::string(hex.data(), 64));
}

TEST_F(AccessStore, AnIntactChainVerifies) {
  auto empty = verify();
  EXPECT_EQ(empty.rows, 0);
  EXPECT_EQ(empty.head_seq, 0);
  EXPECT_FALSE(empty.first_bad_seq);

  append_five();
  auto v = verify();
  EXPECT_EQ(v.rows, 5);
  EXPECT_EQ(v.head_seq, 5);
  EXPECT_FALSE(v.first_bad_seq) << v.problem;
  EXPECT_EQ(v.problem, "");
  auto tx = audit_begin(TxMode::read);
  auto last = must(tx->audit().for_patient("p5", 1, 0));
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(v.head_hash, last[0].hash);
}

TEST_F(AccessStore, AnEditedRowIsFoundAtThatRow) {
  append_five();
  tamper(
      "UPDATE audit_log SET entries = replace(entries, 'episode/3', 'episode/other') WHERE seq = "
      "3");
  auto v = verify();
  EXPECT_EQ(v.rows, 5);
  EXPECT_EQ(v.head_seq, 5);
  EXPECT_EQ(v.first_bad_seq, std::optional<std::int64_t>(3));
  EXPECT_NE(v.problem, "");
}

TEST_F(AccessStore, AnEditedRowWithARecomputedHashIsFoundAtTheNextRow) {
  append_five();
  AuditRow second, third;
  {
    auto tx = audit_begin(TxMode::read);
    second = must(tx->audit().for_patient("p2", 1, 0)).at(0);
    third = must(tx->audit().for_patient("p3", 1, 0)).at(0);
  }
  // Whoever edits row 3 can recompute its own hash, but not the later rows'
  // without rewriting them all.
  third.entry.outcome = "denied";
  auto forged = audit_hash(second.hash, 3, third.entry);
  tamper(
      ("UPDATE audit_log SET outcome = 'denied', hash = '" + forged + "' WHERE seq = 3").c_str());
  auto v = verify();
  EXPECT_EQ(v.first_bad_seq, std::optional<std::int64_t>(4));
}

TEST_F(AccessStore, ADeletedRowIsFoundAtTheRowAfterIt) {
  append_five();
  tamper("DELETE FROM audit_log WHERE seq = 3");
  auto v = verify();
  EXPECT_EQ(v.rows, 4);
  EXPECT_EQ(v.head_seq, 5);
  // Row 4 is the first row that breaks the chain: its predecessor is gone.
  EXPECT_EQ(v.first_bad_seq, std::optional<std::int64_t>(4));
  EXPECT_NE(v.problem.find('3'), std::string::npos) << v.problem;
}

TEST_F(AccessStore, SwappedRowsAreFoundAtTheFirstOfThem) {
  append_five();
  // Swap everything but seq and hash between rows 2 and 4.
  tamper(
      "CREATE TEMP TABLE original AS SELECT * FROM audit_log WHERE seq IN (2, 4);"
      "UPDATE audit_log SET (at, user_id, action, outcome, request_id, entries) = (SELECT at, "
      "user_id, action, outcome, request_id, entries FROM original o "
      "WHERE o.seq = 6 - audit_log.seq) WHERE seq IN (2, 4);");
  {
    auto tx = audit_begin(TxMode::read);
    EXPECT_EQ(seqs_of(must(tx->audit().for_patient("p4", 10, 0))), std::vector<std::int64_t>{2})
        << "the rows were not swapped";
  }
  auto v = verify();
  EXPECT_EQ(v.rows, 5);
  EXPECT_EQ(v.first_bad_seq, std::optional<std::int64_t>(2));
}

TEST_F(AccessStore, TheAuditLogRefusesChangesAndDeletionsThroughSql) {
  append_five();
  sqlite::Connection raw(audit_path_for(path_));
  EXPECT_THROW(raw.exec("UPDATE audit_log SET user_id = 'someone' WHERE seq = 1"), sqlite::Failure);
  EXPECT_THROW(raw.exec("DELETE FROM audit_log WHERE seq = 5"), sqlite::Failure);
  EXPECT_FALSE(verify().first_bad_seq);
}

TEST_F(AccessStore, APatientsAuditIsNewestFirstAndPaged) {
  std::vector<AuditEntry> entries;
  auto t = at("2026-03-28T08:00:00Z");
  // Rows 1..9: patient a at 1, 3, 4, 6, 9; patient b at 2, 7; no patient at 5, 8.
  for (const char* who : {"a", "b", "a", "a", "", "a", "b", "", "a"}) {
    t += std::chrono::minutes(1);
    entries.push_back(audit_entry(who, "episode/x", t));
  }
  entries[5].emergency = true;
  entries[5].user_id = "user-2";
  entries[5].request_id = "req-6";
  {
    auto tx = audit_begin();
    must(tx->audit().append(entries));
    must(tx->commit());
  }
  auto tx = audit_begin(TxMode::read);
  EXPECT_EQ(seqs_of(must(tx->audit().for_patient("a", 2, 0))), (std::vector<std::int64_t>{9, 6}));
  auto page = must(tx->audit().for_patient("a", 2, 2));
  EXPECT_EQ(seqs_of(page), (std::vector<std::int64_t>{4, 3}));
  EXPECT_EQ(seqs_of(must(tx->audit().for_patient("a", 2, 4))), std::vector<std::int64_t>{1});
  EXPECT_TRUE(must(tx->audit().for_patient("a", 2, 6)).empty());
  EXPECT_EQ(seqs_of(must(tx->audit().for_patient("b", 10, 0))), (std::vector<std::int64_t>{7, 2}));
  EXPECT_TRUE(must(tx->audit().for_patient("", 10, 0)).empty());

  auto sixth = must(tx->audit().for_patient("a", 1, 1)).at(0);
  EXPECT_EQ(sixth.seq, 6);
  EXPECT_EQ(sixth.entry.at, at("2026-03-28T08:06:00Z"));
  EXPECT_EQ(sixth.entry.user_id, "user-2");
  EXPECT_EQ(sixth.entry.role, "sykepleier");
  EXPECT_EQ(sixth.entry.organisation_id, "org-1");
  EXPECT_EQ(sixth.entry.basis, "care_team");
  EXPECT_EQ(sixth.entry.patient_id, "a");
  EXPECT_EQ(sixth.entry.resource, "episode/x");
  EXPECT_EQ(sixth.entry.action, "read");
  EXPECT_EQ(sixth.entry.outcome, "allowed");
  EXPECT_TRUE(sixth.entry.emergency);
  EXPECT_EQ(sixth.entry.request_id, "req-6");
}

TEST_F(AccessStore, ARolledBackTransactionLeavesNoAuditRows) {
  {
    auto tx = audit_begin();
    must(tx->audit().append({audit_entry("p1", "episode/1", at("2026-03-28T08:00:00Z"))}));
    must(tx->commit());
  }
  {
    auto tx = audit_begin();
    must(tx->audit().append({audit_entry("p2", "episode/2", at("2026-03-28T08:01:00Z")),
                             audit_entry("p2", "episode/2", at("2026-03-28T08:02:00Z"))}));
  }  // destroyed without commit
  EXPECT_EQ(verify().rows, 1);
  {
    auto tx = audit_begin();
    must(tx->audit().append({audit_entry("p3", "episode/3", at("2026-03-28T08:03:00Z"))}));
    must(tx->commit());
  }
  auto v = verify();
  EXPECT_EQ(v.rows, 2);
  EXPECT_EQ(v.head_seq, 2);
  EXPECT_FALSE(v.first_bad_seq) << v.problem;
  auto tx = audit_begin(TxMode::read);
  EXPECT_TRUE(must(tx->audit().for_patient("p2", 10, 0)).empty());
  EXPECT_EQ(seqs_of(must(tx->audit().for_patient("p3", 10, 0))), std::vector<std::int64_t>{2});
}

TEST_F(AccessStore, OneRequestsEntriesShareARowAndReadBackWhole) {
  auto t = at("2026-03-28T08:00:00Z");
  std::vector<AuditEntry> list;
  for (const char* who : {"a", "b", "a", "c"})
    list.push_back(audit_entry(who, "worklist/x", t, "req-1"));
  list[1].basis = "municipality";  // differs from the line above, then returns
  list[3].emergency = true;
  // Fields with the characters the stored text escapes.
  list[2].resource = "odd\\tab\there\nnewline \\=";
  auto other = audit_entry("a", "episode/y", t, "req-2");
  {
    auto tx = audit_begin();
    must(tx->audit().append({list[0], list[1], list[2], list[3], other}));
    must(tx->commit());
  }
  auto v = verify();
  EXPECT_EQ(v.rows, 2) << "one row per request";
  EXPECT_FALSE(v.first_bad_seq) << v.problem;
  auto tx = audit_begin(TxMode::read);
  auto a = must(tx->audit().for_patient("a", 10, 0));
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(seqs_of(a), (std::vector<std::int64_t>{2, 1, 1}));
  EXPECT_EQ(a[0].entry.resource, "episode/y");
  EXPECT_EQ(a[1].entry.resource, "worklist/x");
  EXPECT_EQ(a[2].entry.resource, "odd\\tab\there\nnewline \\=");
  EXPECT_EQ(a[2].entry.basis, "care_team");
  auto b = must(tx->audit().for_patient("b", 10, 0)).at(0);
  EXPECT_EQ(b.entry.basis, "municipality");
  EXPECT_EQ(b.entry.request_id, "req-1");
  EXPECT_EQ(b.hash, audit_hash("", 1, std::span<const AuditEntry>(list.data(), 4)));
  auto c = must(tx->audit().for_patient("c", 10, 0)).at(0);
  EXPECT_TRUE(c.entry.emergency);
  EXPECT_EQ(c.entry.basis, "care_team");
}

// The index by patient is written in runs of 8 192 entries; a patient's
// log reads the rows after the last run and then the runs, newest first.
TEST_F(AccessStore, APatientsAuditSpansTheIndexedRunsAndTheRowsAfterThem) {
  auto t = at("2026-03-28T08:00:00Z");
  constexpr int kRequests = 1500;  // 100 patients each: 150 000 entries
  for (int r = 0; r < kRequests; r += 10) {
    std::vector<AuditEntry> entries;
    for (int q = r; q < r + 10; ++q)
      for (int p = 0; p < 100; ++p)
        entries.push_back(audit_entry("p" + std::to_string((q + p) % 150), "worklist/o", t,
                                      "req-" + std::to_string(q)));
    auto tx = audit_begin();
    must(tx->audit().append(entries));
    must(tx->commit());
  }
  {
    // A run closes at the commit that brings it to 8 192 entries: after
    // every 9 commits of 1 000, so 16 runs and 6 commits after them.
    sqlite::Connection raw(audit_path_for(path_));
    auto runs = raw.prepare("SELECT count(*), max(last_seq) FROM audit_runs");
    runs.step();
    EXPECT_EQ(runs.integer(0), 16);
    EXPECT_EQ(runs.integer(1), 1440);
  }
  auto v = verify();
  EXPECT_EQ(v.rows, kRequests);
  EXPECT_FALSE(v.first_bad_seq) << v.problem;
  auto tx = audit_begin(TxMode::read);
  // Patient p7 is on request q's list when (q + p) % 150 == 7 for some p < 100.
  std::vector<std::int64_t> expected;
  for (int q = kRequests - 1; q >= 0; --q)
    for (int p = 0; p < 100; ++p)
      if ((q + p) % 150 == 7) expected.push_back(q + 1);
  auto all = must(tx->audit().for_patient("p7", 100000, 0));
  EXPECT_EQ(seqs_of(all), expected);
  auto page = must(tx->audit().for_patient("p7", 5, 700));
  EXPECT_EQ(seqs_of(page),
            std::vector<std::int64_t>(expected.begin() + 700, expected.begin() + 705));
}

// The open run is kept in memory by the appender: a rolled-back append
// (even one that filled a run) must leave no trace in the runs after it.
TEST_F(AccessStore, ARolledBackAppendLeavesNothingInTheNextRun) {
  auto t = at("2026-03-28T08:00:00Z");
  auto many = [&](const std::string& patient, int n, const std::string& request) {
    std::vector<AuditEntry> entries;
    for (int i = 0; i < n; ++i) entries.push_back(audit_entry(patient, "worklist/o", t, request));
    return entries;
  };
  {
    auto tx = audit_begin();
    must(tx->audit().append(many("kept", 8000, "req-1")));
    must(tx->commit());
  }
  {
    auto tx = audit_begin();
    must(tx->audit().append(many("ghost", 500, "req-2")));  // fills a run, then rolls back
  }
  for (const char* request : {"req-3", "req-4"}) {
    // The first fills the run for real; the next writes its postings.
    auto tx = audit_begin();
    must(tx->audit().append(many("later", 500, request)));
    must(tx->commit());
  }
  auto tx = audit_begin(TxMode::read);
  EXPECT_TRUE(must(tx->audit().for_patient("ghost", 10, 0)).empty());
  EXPECT_EQ(seqs_of(must(tx->audit().for_patient("kept", 1, 0))), std::vector<std::int64_t>{1});
  auto later = seqs_of(must(tx->audit().for_patient("later", 2000, 0)));
  EXPECT_EQ(std::set<std::int64_t>(later.begin(), later.end()), (std::set<std::int64_t>{2, 3}));
  EXPECT_EQ(later.size(), 1000u);
  tx.reset();
  sqlite::Connection raw(audit_path_for(path_));
  auto runs = raw.prepare("SELECT count(*), max(last_seq) FROM audit_runs");
  runs.step();
  EXPECT_EQ(runs.integer(0), 1);
  EXPECT_EQ(runs.integer(1), 2);
  auto ghost = raw.prepare("SELECT count(*) FROM audit_postings WHERE patient_id = 'ghost'");
  ghost.step();
  EXPECT_EQ(ghost.integer(0), 0);
}

// A run is written a slice of postings per append; a process that stops
// half-way leaves postings no run lists, and the next one starts over.
TEST_F(AccessStore, AHalfWrittenRunIsNeitherReadNorReused) {
  auto t = at("2026-03-28T08:00:00Z");
  auto append = [&](SqliteDatabase& db, int first_patient, int patients, int request) {
    std::vector<AuditEntry> entries;
    for (int i = 0; i < patients; ++i)
      entries.push_back(audit_entry("p" + std::to_string(first_patient + i), "worklist/o", t,
                                    "req-" + std::to_string(request)));
    auto tx = must(db.begin(TxMode::write));
    must(tx->audit().append(entries));
    must(tx->commit());
  };
  auto count = [&](const char* sql) {
    sqlite::Connection raw(audit_path_for(path_));
    auto s = raw.prepare(sql);
    s.step();
    return s.integer(0);
  };
  {
    SqliteDatabase first(audit_path_for(path_), 1, Schema::audit);
    append(first, 0, 8192, 1);  // fills the run: 8 192 patients, sealed
    append(first, 0, 1, 2);     // writes its first 1 024 postings
  }                             // the process stops
  EXPECT_EQ(count("SELECT count(*) FROM audit_runs"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM audit_postings"), 1024);
  SqliteDatabase second(audit_path_for(path_), 1, Schema::audit);
  for (int request = 3; request < 13; ++request) append(second, 0, 1, request);
  EXPECT_EQ(count("SELECT count(*) FROM audit_runs"), 1);
  EXPECT_EQ(count("SELECT min(run) FROM audit_runs"), 2) << "run 1's postings are not reused";
  EXPECT_EQ(count("SELECT count(*) FROM audit_postings WHERE run = 2"), 8192);
  auto tx = must(second.begin(TxMode::read));
  EXPECT_EQ(seqs_of(must(tx->audit().for_patient("p5", 10, 0))), std::vector<std::int64_t>{1});
  EXPECT_EQ(seqs_of(must(tx->audit().for_patient("p0", 20, 0))),
            (std::vector<std::int64_t>{12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_FALSE(must(tx->audit().verify()).first_bad_seq);
}

// Rows written before migration 0002 of the audit file, one per entry,
// keep their hashes and are found by patient afterwards.
TEST_F(AccessStore, RowsOfTheFirstAuditFormatSurviveTheMigration) {
  auto old_path = path_ + ".old-audit.db";
  std::vector<AuditEntry> entries{audit_entry("p1", "episode/1", at("2026-03-28T08:00:00Z")),
                                  audit_entry("p2", "episode/2", at("2026-03-28T08:01:00Z")),
                                  audit_entry("p1", "episode/1", at("2026-03-28T08:02:00Z"))};
  entries[1].resource = "with\ttab\tand\\";
  {
    sqlite::Connection raw(old_path);
    migrate(raw, Schema::audit, 1);
    std::string previous;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto& e = entries[i];
      auto seq = static_cast<std::int64_t>(i + 1);
      previous = audit_hash(previous, seq, e);
      raw.prepare(
             "INSERT INTO audit_log (seq, at, user_id, role, organisation_id, basis, patient_id, "
             "resource, action, outcome, emergency, request_id, hash) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(1, seq)
          .bind(2, static_cast<std::int64_t>(e.at.time_since_epoch().count()))
          .bind(3, e.user_id)
          .bind(4, e.role)
          .bind(5, e.organisation_id)
          .bind(6, e.basis)
          .bind(7, e.patient_id)
          .bind(8, e.resource)
          .bind(9, e.action)
          .bind(10, e.outcome)
          .bind(11, 0)
          .bind(12, e.request_id)
          .bind(13, previous)
          .run();
    }
  }
  SqliteDatabase migrated(old_path, 1, Schema::audit);
  {
    auto tx = must(migrated.begin(TxMode::write));
    must(tx->audit().append({audit_entry("p1", "episode/1", at("2026-03-28T09:00:00Z"))}));
    must(tx->commit());
  }
  auto tx = must(migrated.begin(TxMode::read));
  auto v = must(tx->audit().verify());
  EXPECT_EQ(v.rows, 4);
  EXPECT_FALSE(v.first_bad_seq) << v.problem;
  EXPECT_EQ(seqs_of(must(tx->audit().for_patient("p1", 10, 0))),
            (std::vector<std::int64_t>{4, 3, 1}));
  auto p2 = must(tx->audit().for_patient("p2", 10, 0));
  ASSERT_EQ(p2.size(), 1u);
  EXPECT_EQ(p2[0].entry.resource, entries[1].resource);
  tx.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(old_path + suffix);
}

// --- the audit writer (group commit) ---------------------------------------------------

TEST_F(AccessStore, ConcurrentAuditRecordsAllLandInOneUnbrokenChain) {
  service::AuditWriter writer(*audit_db_);
  constexpr int kThreads = 8;
  constexpr int kCalls = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto who = "patient-" + std::to_string(i);
      for (int j = 0; j < kCalls; ++j) {
        auto request = std::to_string(i) + "-" + std::to_string(j);
        auto r = writer.record(
            {audit_entry(who, "episode/a", at("2026-03-28T08:00:00Z"), request + "-a"),
             audit_entry(who, "episode/b", at("2026-03-28T08:00:00Z"), request + "-b")});
        if (!r) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);

  auto v = verify();
  EXPECT_EQ(v.rows, kThreads * kCalls * 2);
  EXPECT_EQ(v.head_seq, kThreads * kCalls * 2);  // with rows == head_seq: 1..800 without gaps
  EXPECT_FALSE(v.first_bad_seq) << v.problem;

  // Each caller's rows are there, in the order of its calls.
  auto tx = audit_begin(TxMode::read);
  for (int i = 0; i < kThreads; ++i) {
    auto rows = must(tx->audit().for_patient("patient-" + std::to_string(i), 1000, 0));
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(kCalls * 2)) << "thread " << i;
    std::reverse(rows.begin(), rows.end());
    for (int j = 0; j < kCalls; ++j) {
      auto request = std::to_string(i) + "-" + std::to_string(j);
      EXPECT_EQ(rows[2 * j].entry.request_id, request + "-a");
      EXPECT_EQ(rows[2 * j + 1].entry.request_id, request + "-b");
      EXPECT_EQ(rows[2 * j + 1].seq, rows[2 * j].seq + 1) << "one call's rows are adjacent";
    }
  }
}

TEST_F(AccessStore, ARefusedAuditWriteIsAnErrorAndTheWriterRecovers) {
  service::AuditWriter writer(*audit_db_);
  must(writer.record({audit_entry("p1", "episode/1", at("2026-03-28T08:00:00Z"))}));
  tamper(
      "CREATE TRIGGER refuse BEFORE INSERT ON audit_log "
      "BEGIN SELECT RAISE(ABORT, 'refused'); END;");
  auto refused = writer.record({audit_entry("p2", "episode/2", at("2026-03-28T08:01:00Z")),
                                audit_entry("p2", "episode/2", at("2026-03-28T08:02:00Z"))});
  EXPECT_FALSE(refused.ok()) << "the caller would return data without its audit row";
  EXPECT_EQ(verify().rows, 1);

  tamper("DROP TRIGGER refuse");
  must(writer.record({audit_entry("p3", "episode/3", at("2026-03-28T08:03:00Z"))}));
  auto v = verify();
  EXPECT_EQ(v.rows, 2);
  EXPECT_EQ(v.head_seq, 2);
  EXPECT_FALSE(v.first_bad_seq) << v.problem;
  auto tx = audit_begin(TxMode::read);
  EXPECT_TRUE(must(tx->audit().for_patient("p2", 10, 0)).empty());
}

}  // namespace
}  // namespace samflyt::store
