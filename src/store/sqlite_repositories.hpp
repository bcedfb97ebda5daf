// The SQLite repositories of accounts, access facts, the audit log and
// pending OpenID Connect logins (internal to src/store; the older
// repositories live in sqlite_store.cpp).
// Each works on the connection of the transaction that owns it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "service/ports.hpp"
#include "store/sqlite.hpp"

namespace samflyt::store {

// Users, their bearer tokens and their grants as last read, valid while
// the database's grant_changes version (bumped by triggers on roles and
// organisations, migration 0006, and on users and tokens, migration 0010)
// is the one they were read at. Filled and used only by read transactions,
// whose snapshot holds only committed changes. Kept by the database
// object; thread-safe.
struct AccountCache {
  std::mutex mutex;
  std::int64_t version = -1;
  std::map<std::string, std::vector<core::RoleGrant>> grants_by_user;
  std::map<std::string, service::User> users_by_id;
  std::map<std::string, service::ApiToken> tokens_by_digest;
};

class SqliteAccounts final : public service::AccountRepository {
 public:
  // `cache` is used when `read_only` (the transaction's mode).
  SqliteAccounts(sqlite::Connection& c, AccountCache& cache, bool read_only)
      : c_(c), cache_(cache), read_only_(read_only) {}
  Result<void> insert(const service::User& u) override;
  Result<std::optional<service::User>> get(const std::string& id) override;
  Result<std::optional<service::User>> find_by_username(const std::string& username) override;
  Result<std::optional<service::User>> find_by_oidc_subject(const std::string& subject) override;
  Result<void> update(const service::User& u, std::int64_t expected_version) override;
  Result<std::vector<service::User>> list() override;
  Result<void> grant(const std::string& user_id, const std::string& role,
                     const std::string& organisation_id, core::Instant at) override;
  Result<std::vector<core::RoleGrant>> grants(const std::string& user_id) override;
  Result<void> link_family(const std::string& patient_id, const std::string& user_id,
                           core::FamilyRelation relation) override;
  Result<std::vector<std::string>> patients_of_family_member(const std::string& user_id) override;
  Result<void> insert_session(const service::Session& s) override;
  Result<std::optional<service::Session>> find_session(const std::string& id_digest) override;
  Result<void> touch_session(const std::string& id_digest, core::Instant at) override;
  Result<void> delete_session(const std::string& id_digest) override;
  Result<void> delete_sessions_of(const std::string& user_id) override;
  Result<void> insert_token(const service::ApiToken& t) override;
  Result<std::optional<service::ApiToken>> find_token(const std::string& digest) override;
  Result<std::vector<service::ApiToken>> tokens_of(const std::string& user_id) override;
  Result<void> revoke_token(const std::string& id, core::Instant at) override;
  Result<void> record_login_attempt(const std::string& username, core::Instant at,
                                    bool succeeded) override;
  Result<int> failed_logins_since(const std::string& username, core::Instant since) override;
  Result<std::vector<service::ThrottledAccount>> throttled_accounts(core::Instant since,
                                                                    int min_failures) override;
  Result<void> purge(core::Instant now, core::Instant idle_before,
                     core::Instant attempts_before) override;

 private:
  // The cache's version in this transaction's snapshot, read once per
  // transaction; the cache is emptied when it moved on. Nothing in a
  // write transaction.
  std::optional<std::int64_t> cache_version();
  template <typename Map, typename Load>
  auto cached(Map AccountCache::*map, const std::string& key, Load load)
      -> Result<std::optional<typename Map::mapped_type>>;

  sqlite::Connection& c_;
  AccountCache& cache_;
  bool read_only_;
  std::optional<std::int64_t> version_;  // cache_version() of this transaction
};

class SqliteAccess final : public service::AccessRepository {
 public:
  explicit SqliteAccess(sqlite::Connection& c) : c_(c) {}
  Result<std::optional<core::EpisodeAccessFacts>> facts(const std::string& episode_id,
                                                        const core::Principal& who) override;
  Result<core::EpisodeAccessFacts> patient_facts(const core::Patient& p) override;
  Result<void> add_member(const service::CareTeamMember& m) override;
  Result<void> remove_member(const std::string& episode_id, const std::string& id) override;
  Result<std::vector<service::CareTeamMember>> members(const std::string& episode_id) override;
  Result<std::vector<std::string>> episodes_of_member(const std::string& user_id,
                                                      core::Instant now) override;
  Result<void> insert_self_authorisation(const core::SelfAuthorisation& s) override;
  Result<std::vector<core::SelfAuthorisation>> self_authorisations(bool pending_only) override;
  Result<bool> review_self_authorisation(const std::string& id, const std::string& reviewer,
                                         core::Instant at) override;
  Result<void> insert_block(const std::string& patient_id, const core::Block& b,
                            const std::string& created_by) override;
  Result<std::vector<core::Block>> blocks(const std::string& patient_id) override;
  Result<bool> lift_block(const std::string& patient_id, const std::string& id,
                          core::Instant at) override;
  Result<std::vector<std::string>> patients_blocking(
      const std::string& user_id, const std::vector<std::string>& organisation_ids) override;
  Result<void> insert_consent(const core::Consent& c) override;
  Result<void> update_consent(const core::Consent& c, std::int64_t expected_version) override;
  Result<std::vector<core::Consent>> consents(const std::string& episode_id) override;

 private:
  void load_patient_rows(core::EpisodeAccessFacts& f);                // family and blocks
  std::vector<core::Block> blocks_of(const std::string& patient_id);  // not lifted
  sqlite::Connection& c_;
};

// The audit log's index by patient as the appending process keeps it
// between transactions (see sqlite_audit.cpp): the rows after the last
// complete run, per patient, as the open run and, once full, as a sealed
// run written to the index a slice per append. Kept by the database object;
// checked against the file's head before use.
struct AuditOpenRun {
  using Postings = std::vector<std::pair<std::string, std::vector<std::int64_t>>>;
  std::mutex mutex;
  bool known = false;  // false: to be read back from the file
  std::int64_t through_seq = 0;
  std::string through_hash;
  std::int64_t entries = 0;
  std::unordered_map<std::string, std::vector<std::int64_t>> postings;
  // The sealed run: its number, last row, postings in key order, and how
  // many of them are written.
  std::int64_t sealed_run = 0;  // 0: none
  std::int64_t sealed_last_seq = 0;
  Postings sealed;
  std::size_t sealed_written = 0;
};

class SqliteAudit final : public service::AuditRepository {
 public:
  SqliteAudit(sqlite::Connection& c, AuditOpenRun& open_run) : c_(c), open_run_(open_run) {}
  Result<void> append(const std::vector<service::AuditEntry>& entries) override;
  Result<service::AuditVerification> verify() override;
  Result<std::vector<service::AuditRow>> for_patient(const std::string& patient_id, int limit,
                                                     int offset) override;

 private:
  sqlite::Connection& c_;
  AuditOpenRun& open_run_;
};

class SqliteOidcLogins final : public service::OidcLoginRepository {
 public:
  explicit SqliteOidcLogins(sqlite::Connection& c) : c_(c) {}
  Result<void> insert(const service::PendingOidcLogin& p) override;
  Result<std::optional<service::PendingOidcLogin>> take(const std::string& state_digest) override;
  Result<void> purge_before(core::Instant t) override;

 private:
  sqlite::Connection& c_;
};

class SqliteChecklists final : public service::ChecklistRepository {
 public:
  explicit SqliteChecklists(sqlite::Connection& c) : c_(c) {}
  Result<std::vector<service::ChecklistTick>> ticks_of_episode(
      const std::string& episode_id) override;
  Result<void> set_ticks(const std::string& task_id, const std::string& checklist_id,
                         const std::vector<int>& items, const std::string& user_id,
                         core::Instant at) override;

 private:
  sqlite::Connection& c_;
};

class SqliteStays final : public service::StayRepository {
 public:
  explicit SqliteStays(sqlite::Connection& c) : c_(c) {}
  Result<std::vector<service::StoredStayEvent>> events_of_episode(
      const std::string& episode_id) override;
  Result<void> insert(const service::StoredStayEvent& e) override;
  Result<std::vector<std::pair<std::string, service::StoredStayEvent>>> events_of_declared_stays(
      const std::string& municipality_id) override;

 private:
  sqlite::Connection& c_;
};

class SqliteMessages final : public service::MessageRepository {
 public:
  explicit SqliteMessages(sqlite::Connection& c) : c_(c) {}
  Result<void> insert(const service::StoredMessage& m) override;
  Result<std::optional<service::StoredMessage>> get(const std::string& id) override;
  Result<std::optional<service::StoredMessage>> find(service::MessageDirection d,
                                                     const std::string& msg_id) override;
  Result<void> update(const service::StoredMessage& m, std::int64_t expected_version) override;
  Result<std::vector<service::StoredMessage>> children(service::MessageDirection d,
                                                       const std::string& msg_id) override;
  Result<std::vector<service::StoredMessage>> with_status(service::MessageDirection d,
                                                          service::MessageStatus s,
                                                          int limit) override;
  Result<std::vector<service::StoredMessage>> awaiting_receipt_since(
      core::Instant gen_date_at_or_before) override;
  Result<std::vector<service::StoredMessage>> of_episode(const std::string& episode_id) override;
  Result<std::vector<std::string>> episodes_to_watch(const std::string& organisation_id) override;
  Result<std::vector<service::StoredMessage>> in_conversations(
      const std::vector<std::string>& conversation_ids) override;

 private:
  sqlite::Connection& c_;
};

}  // namespace samflyt::store
