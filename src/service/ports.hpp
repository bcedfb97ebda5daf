// The ports the use cases need: the clock, id generation and the store.
// Adapters live in src/store (SQLite now; PostgreSQL later implements the
// same interfaces and passes the same contract tests).
//
// Thread-safety: Clock and IdGenerator are safe to share between threads.
// A Database hands out Transactions; one Transaction is used by one thread
// at a time and must not outlive its Database.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/access.hpp"
#include "core/calendar.hpp"
#include "core/community.hpp"
#include "core/consent.hpp"
#include "core/discharge_ledger.hpp"
#include "core/episode.hpp"
#include "core/result.hpp"

namespace samflyt::service {

using core::Instant;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() = 0;
};

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new random, non-sequential public id.
  virtual std::string new_id() = 0;
};

// Repositories. Every call may fail with ErrorCode::unavailable (the
// database is busy or gone) or ErrorCode::internal. Inserts of an existing
// unique key fail with ErrorCode::conflict. Updates of versioned rows
// compare and set: they fail with ErrorCode::conflict when the stored
// version is not `expected_version`, and store the row's new version.

class OrganisationRepository {
 public:
  virtual ~OrganisationRepository() = default;
  virtual Result<void> insert(const core::Organisation& o) = 0;
  virtual Result<std::optional<core::Organisation>> get(const std::string& id) = 0;
  virtual Result<std::vector<core::Organisation>> list() = 0;  // by name
};

class StaffRepository {
 public:
  virtual ~StaffRepository() = default;
  virtual Result<void> insert(const core::Staff& s) = 0;
  virtual Result<std::optional<core::Staff>> get(const std::string& id) = 0;
  virtual Result<std::vector<core::Staff>> list_for_organisation(const std::string& org_id) = 0;
};

class PatientRepository {
 public:
  virtual ~PatientRepository() = default;
  virtual Result<void> insert(const core::Patient& p) = 0;  // conflict on a known national id
  virtual Result<std::optional<core::Patient>> get(const std::string& id) = 0;
  virtual Result<std::optional<core::Patient>> find_by_national_id(const std::string& nid) = 0;
  // Patients whose name contains `text` (ASCII letters in any case), by
  // name; at most `limit`.
  virtual Result<std::vector<core::Patient>> search_by_name(const std::string& text, int limit) = 0;
};

// A template's text as loaded, keyed by (id, version). `current` marks the
// version new episodes start on.
struct StoredTemplate {
  std::string id;
  std::string version;
  std::string source;  // the YAML text
  std::string file_name;
  Instant loaded_at{};
};

class TemplateRepository {
 public:
  virtual ~TemplateRepository() = default;
  // Stores the version if it is new and makes it the current one.
  virtual Result<void> put_current(const StoredTemplate& t) = 0;
  virtual Result<std::optional<StoredTemplate>> get(const std::string& id,
                                                    const std::string& version) = 0;
  virtual Result<std::optional<StoredTemplate>> current(const std::string& id) = 0;
  virtual Result<std::vector<StoredTemplate>> list_current() = 0;  // by id
};

struct EpisodeFilter {
  std::string municipality_id;
  std::string hospital_unit_id;
  std::string patient_id;
  std::optional<core::EpisodeStatus> status;
  bool overdue = false;  // only episodes with a task overdue at `now`
  Instant now{};         // set by the use case from the clock
  int limit = 100;
  int offset = 0;
  // Access scope (set by the use case, never from input): when `scoped`,
  // only episodes run by one of the organisations, or with one of the ids,
  // or of one of the patients; never episodes of the excluded patients.
  bool scoped = false;
  std::vector<std::string> scope_organisations;
  std::vector<std::string> scope_episode_ids;
  std::vector<std::string> scope_patient_ids;
  std::vector<std::string> excluded_patient_ids;
};

class EpisodeRepository {
 public:
  virtual ~EpisodeRepository() = default;
  virtual Result<void> insert(const core::Episode& e) = 0;
  virtual Result<std::optional<core::Episode>> get(const std::string& id) = 0;
  // Saves status, events and the tentative discharge date; e.version must
  // already be the new version.
  virtual Result<void> update(const core::Episode& e, std::int64_t expected_version) = 0;
  virtual Result<std::vector<core::Episode>> list(const EpisodeFilter& f) = 0;  // newest first
};

struct TaskFilter {
  std::string organisation_id;
  std::string episode_id;
  std::string lane;
  std::string assignee_id;
  std::string assignee_role;  // tasks assigned to this role (with organisation_id)
  std::optional<core::TaskState> state;
  bool unfinished_only = false;  // open or in progress
  bool overdue = false;          // only tasks overdue at `now`
  Instant now{};                 // set by the use case from the clock
  int limit = 100;
  int offset = 0;
  std::vector<std::string> excluded_patient_ids;  // access: patients who blocked the caller
};

// A task in a worklist, with the template version its episode follows.
struct TaskRow {
  core::Task task;
  std::string pathway_id;
  std::string pathway_version;
  std::string patient_id;
};

class TaskRepository {
 public:
  virtual ~TaskRepository() = default;
  virtual Result<void> insert(const core::Task& t) = 0;
  virtual Result<std::optional<core::Task>> get(const std::string& id) = 0;
  virtual Result<std::vector<core::Task>> list_for_episode(const std::string& episode_id) = 0;
  // Saves a user's change; t.version must already be the new version.
  virtual Result<void> update(const core::Task& t, std::int64_t expected_version) = 0;
  // Saves derived fields (deadline, readiness) without touching the version.
  virtual Result<void> update_derived(const core::Task& t) = 0;
  // Worklist order: earliest deadline first, tasks without one last, then
  // by id. Each row carries its episode's template version.
  virtual Result<std::vector<TaskRow>> list(const TaskFilter& f) = 0;
  // The organisation's tasks overdue at `now` (open or in progress, past
  // their deadline), counted per lane.
  virtual Result<std::vector<std::pair<std::string, int>>> count_overdue_by_lane(
      const std::string& organisation_id, Instant now) = 0;
};

// --- accounts -----------------------------------------------------------

struct User {
  std::string id;
  std::string username;
  std::string display_name;
  core::AccountKind kind = core::AccountKind::staff;
  std::string staff_id;
  std::string hpr_number;
  std::string password_hash;  // argon2id encoded; empty: no local password
  std::string oidc_subject;   // issuer + ' ' + sub; empty: none
  std::string language = "nb";
  bool disabled = false;
  Instant created_at{};
  std::int64_t version = 1;
};

struct Session {
  std::string id_digest;  // BLAKE2b of the cookie's secret
  std::string user_id;
  std::string csrf_token;
  Instant created_at{};
  Instant last_seen_at{};
  Instant expires_at{};
};

struct ApiToken {
  std::string id;
  std::string user_id;
  std::string name;
  std::string digest;  // BLAKE2b of the secret
  Instant created_at{};
  std::optional<Instant> expires_at;
  std::optional<Instant> revoked_at;
};

struct ThrottledAccount {
  std::string username;
  int failures = 0;
  Instant last_failure{};
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  virtual Result<void> insert(const User& u) = 0;  // conflict on a taken username
  virtual Result<std::optional<User>> get(const std::string& id) = 0;
  virtual Result<std::optional<User>> find_by_username(const std::string& username) = 0;
  virtual Result<std::optional<User>> find_by_oidc_subject(const std::string& subject) = 0;
  // u.version must already be the new version.
  virtual Result<void> update(const User& u, std::int64_t expected_version) = 0;
  virtual Result<std::vector<User>> list() = 0;  // by username

  // Roles, each with its organisation's path (the organisation first, then
  // its ancestors).
  virtual Result<void> grant(const std::string& user_id, const std::string& role,
                             const std::string& organisation_id, Instant at) = 0;
  virtual Result<std::vector<core::RoleGrant>> grants(const std::string& user_id) = 0;

  virtual Result<void> link_family(const std::string& patient_id, const std::string& user_id,
                                   core::FamilyRelation relation) = 0;
  virtual Result<std::vector<std::string>> patients_of_family_member(
      const std::string& user_id) = 0;

  virtual Result<void> insert_session(const Session& s) = 0;
  virtual Result<std::optional<Session>> find_session(const std::string& id_digest) = 0;
  virtual Result<void> touch_session(const std::string& id_digest, Instant at) = 0;
  virtual Result<void> delete_session(const std::string& id_digest) = 0;
  virtual Result<void> delete_sessions_of(const std::string& user_id) = 0;

  virtual Result<void> insert_token(const ApiToken& t) = 0;
  virtual Result<std::optional<ApiToken>> find_token(const std::string& digest) = 0;
  virtual Result<std::vector<ApiToken>> tokens_of(const std::string& user_id) = 0;
  virtual Result<void> revoke_token(const std::string& id, Instant at) = 0;

  virtual Result<void> record_login_attempt(const std::string& username, Instant at,
                                            bool succeeded) = 0;
  virtual Result<int> failed_logins_since(const std::string& username, Instant since) = 0;
  virtual Result<std::vector<ThrottledAccount>> throttled_accounts(Instant since,
                                                                   int min_failures) = 0;
  // Deletes sessions past their absolute end or unused since `idle_before`,
  // and login attempts older than `attempts_before`.
  virtual Result<void> purge(Instant now, Instant idle_before, Instant attempts_before) = 0;
};

// --- what access decisions and sharing depend on ---------------------------

struct CareTeamMember {
  std::string id;
  std::string episode_id;
  std::string user_id;  // empty: a member without an account
  std::string name;
  std::string role;
  std::string organisation_id;
  std::string phone;
  std::string email;
  std::string added_by;
  Instant added_at{};
};

class AccessRepository {
 public:
  virtual ~AccessRepository() = default;
  // Everything core::decide_episode_access needs about the episode to
  // decide for `who`: for staff, the care team, blocks and `who`'s
  // self-authorisations; for family, also the family links and the
  // patient's birth date (the age rules). Nothing when there is no episode.
  virtual Result<std::optional<core::EpisodeAccessFacts>> facts(const std::string& episode_id,
                                                                const core::Principal& who) = 0;
  // The patient's own facts (family, blocks, municipality, birth date), as
  // if for an episode run by their municipality.
  virtual Result<core::EpisodeAccessFacts> patient_facts(const core::Patient& p) = 0;

  virtual Result<void> add_member(const CareTeamMember& m) = 0;  // conflict: already a member
  virtual Result<void> remove_member(const std::string& episode_id, const std::string& id) = 0;
  virtual Result<std::vector<CareTeamMember>> members(const std::string& episode_id) = 0;
  // Episodes where the user is in the care team or holds a self-authorisation
  // in force at `now`.
  virtual Result<std::vector<std::string>> episodes_of_member(const std::string& user_id,
                                                              Instant now) = 0;

  virtual Result<void> insert_self_authorisation(const core::SelfAuthorisation& s) = 0;
  // All pending self-authorisations, or (pending_only false) the newest 1000 of all, newest first.
  virtual Result<std::vector<core::SelfAuthorisation>> self_authorisations(bool pending_only) = 0;
  virtual Result<bool> review_self_authorisation(const std::string& id, const std::string& reviewer,
                                                 Instant at) = 0;

  virtual Result<void> insert_block(const std::string& patient_id, const core::Block& b,
                                    const std::string& created_by) = 0;
  virtual Result<std::vector<core::Block>> blocks(const std::string& patient_id) = 0;
  virtual Result<bool> lift_block(const std::string& patient_id, const std::string& id,
                                  Instant at) = 0;
  // Patients whose blocks cover someone with these user and organisation ids.
  virtual Result<std::vector<std::string>> patients_blocking(
      const std::string& user_id, const std::vector<std::string>& organisation_ids) = 0;

  virtual Result<void> insert_consent(const core::Consent& c) = 0;
  // c.version must already be the new version.
  virtual Result<void> update_consent(const core::Consent& c, std::int64_t expected_version) = 0;
  virtual Result<std::vector<core::Consent>> consents(const std::string& episode_id) = 0;
};

// --- the audit log -------------------------------------------------------

// One row of the audit log: who did what to whose data, on what basis.
struct AuditEntry {
  Instant at{};
  std::string user_id;
  std::string role;
  std::string organisation_id;
  std::string basis;       // core::Basis, or e.g. "login" for security events
  std::string patient_id;  // empty for events about no patient
  std::string resource;    // e.g. "episode/<id>"
  std::string action;      // read, create, update, search, login, ...
  std::string outcome;     // allowed, denied, failed
  bool emergency = false;
  std::string request_id;
};

struct AuditRow {
  std::int64_t seq = 0;
  AuditEntry entry;
  std::string hash;
};

// The result of walking the whole chain.
struct AuditVerification {
  std::int64_t rows = 0;
  std::int64_t head_seq = 0;  // the last row; record it elsewhere to detect truncation
  std::string head_hash;
  std::optional<std::int64_t> first_bad_seq;  // the first row that breaks the chain
  std::string problem;                        // what is wrong there
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  virtual Result<AuditVerification> verify() = 0;
  // Appends to the chain inside this transaction.
  virtual Result<void> append(const std::vector<AuditEntry>& entries) = 0;
  virtual Result<std::vector<AuditRow>> for_patient(const std::string& patient_id, int limit,
                                                    int offset) = 0;  // newest first
};

// Appends audit rows of reads, and returns only when they are durable.
// Concurrent callers may share one commit (group commit). Thread-safe.
class AuditSink {
 public:
  virtual ~AuditSink() = default;
  virtual Result<void> record(const std::vector<AuditEntry>& entries) = 0;
};

// Secrets and passwords (libsodium in src/auth). Thread-safe.
class Secrets {
 public:
  virtual ~Secrets() = default;
  virtual std::string new_secret() = 0;                     // 256 random bits, base64url
  virtual std::string digest(std::string_view secret) = 0;  // BLAKE2b-256, hex
  virtual Result<std::string> hash_password(std::string_view password) = 0;  // argon2id
  virtual bool verify_password(const std::string& hash, std::string_view password) = 0;
};

// --- OpenID Connect login ---------------------------------------------------

// A login started at the identity provider and not yet finished: what the
// callback needs to finish it. Only the state's digest is stored (the
// state itself travels through the browser).
struct PendingOidcLogin {
  std::string state_digest;  // BLAKE2b of the state
  std::string nonce;
  std::string code_verifier;  // PKCE (RFC 7636)
  std::string return_to;      // a same-site path
  Instant created_at{};
};

class OidcLoginRepository {
 public:
  virtual ~OidcLoginRepository() = default;
  virtual Result<void> insert(const PendingOidcLogin& p) = 0;  // conflict on a known digest
  // Deletes and returns the pending login (single use); nothing when unknown.
  virtual Result<std::optional<PendingOidcLogin>> take(const std::string& state_digest) = 0;
  virtual Result<void> purge_before(Instant t) = 0;  // deletes those created before `t`
};

// An OpenID Connect provider (e.g. HelseID) for the authorization code flow
// with PKCE. Implemented in src/auth; the network calls it makes may block
// for up to its timeouts. Thread-safe.
class IdentityProvider {
 public:
  virtual ~IdentityProvider() = default;
  // The provider's authorization URL to send the browser to, asking for a
  // code with this state, nonce and the S256 challenge of `code_verifier`.
  // ErrorCode::unavailable when the provider's metadata cannot be fetched.
  virtual Result<std::string> authorization_url(const std::string& state, const std::string& nonce,
                                                const std::string& code_verifier) = 0;
  // Exchanges the code for tokens and validates the ID token (signature,
  // issuer, audience, times at `now`, nonce). Returns the subject as
  // issuer + ' ' + sub. ErrorCode::unavailable when the provider cannot be
  // reached, forbidden when it refuses the code or its token is not
  // acceptable.
  virtual Result<std::string> redeem(const std::string& code, const std::string& code_verifier,
                                     const std::string& nonce, Instant now) = 0;
};

// --- checklists ---------------------------------------------------------------

// A ticked item of a step's checklist in one task (migration 0007).
struct ChecklistTick {
  std::string task_id;
  std::string checklist_id;
  int item = 0;  // position in the checklist
  std::string ticked_by;
  Instant ticked_at{};
};

class ChecklistRepository {
 public:
  virtual ~ChecklistRepository() = default;
  // The ticks of every task of the episode, by task, checklist and item.
  virtual Result<std::vector<ChecklistTick>> ticks_of_episode(const std::string& episode_id) = 0;
  // Makes exactly `items` the ticked items of the task's checklist; items
  // already ticked keep who ticked them and when.
  virtual Result<void> set_ticks(const std::string& task_id, const std::string& checklist_id,
                                 const std::vector<int>& items, const std::string& user_id,
                                 Instant at) = 0;
};

// --- hospital stays (the discharge-ready ledger) -------------------------------

// An event of one of an episode's hospital stays (migration 0009).
struct StoredStayEvent {
  std::string id;
  std::string episode_id;
  int stay = 0;  // 1, 2, … within the episode
  core::StayEvent event;
  std::string recorded_by;  // user id
  Instant recorded_at{};
};

class StayRepository {
 public:
  virtual ~StayRepository() = default;
  // The events of every stay of the episode, by stay and time.
  virtual Result<std::vector<StoredStayEvent>> events_of_episode(const std::string& episode_id) = 0;
  virtual Result<void> insert(const StoredStayEvent& e) = 0;
  // The events of every stay with a declaration of discharge-readiness,
  // with the municipality of its episode (the one that pays), by
  // episode, stay and time; only the municipality's when one is given.
  virtual Result<std::vector<std::pair<std::string, StoredStayEvent>>> events_of_declared_stays(
      const std::string& municipality_id) = 0;
};

// --- messages (the outbox and the inbox, migration 0011) ----------------------

enum class MessageDirection { outgoing, incoming };
std::string_view to_string(MessageDirection d);

// Outgoing: queued -> sent -> apprec_ok | rejected (final), or no_receipt
// past the 96-hour limit (a late AppRec still settles it). Incoming:
// accepted, rejected, not_answered, cancelled; an incoming AppRec is
// receipt_applied or receipt_unmatched. See migration 0011.
enum class MessageStatus {
  queued,
  sent,
  apprec_ok,
  rejected,
  no_receipt,
  accepted,
  not_answered,
  cancelled,
  receipt_applied,
  receipt_unmatched,
};
std::string_view to_string(MessageStatus s);
std::optional<MessageStatus> parse_message_status(std::string_view s);

// An AppRec error (kodeverk 8221): code, official text, local detail (OT).
struct MessageError {
  std::string code;
  std::string text;
  std::string detail;
};

struct StoredMessage {
  std::string id;  // ours, random
  MessageDirection direction = MessageDirection::outgoing;
  std::string msg_id;    // MsgId (or AppRec Id); empty when unreadable
  std::string msg_type;  // MsgInfo/Type, "APPREC"
  std::string standard;  // PLO, Dialogmelding, AppRec
  std::string standard_version;
  std::string shipment_status;  // Forsendelsesstatus N, M, C ...; empty when none
  std::string topic;            // Dialogmelding TemaKodet "S:V", e.g. "7322:7"
  std::string parent_msg_id;    // RefToParent; for an AppRec its OriginalMsgId
  std::string conversation_id;  // RefToConversation, else msg_id
  std::optional<std::int64_t> sender_her_id;
  std::optional<std::int64_t> receiver_her_id;
  std::string episode_id;  // empty when not known
  std::string answers_id;  // our AppRec: the incoming message it answers
  std::optional<Instant> gen_date;
  std::string xml;
  std::string source_name;
  MessageStatus status = MessageStatus::queued;
  std::vector<MessageError> errors;
  std::string note;  // English: why the status is what it is
  Instant created_at{};
  Instant status_at{};
  std::optional<Instant> sent_at;
  int times_seen = 1;
  Instant last_seen_at{};
  std::int64_t version = 1;
};

class MessageRepository {
 public:
  virtual ~MessageRepository() = default;
  // conflict when a message of the direction already has the MsgId.
  virtual Result<void> insert(const StoredMessage& m) = 0;
  virtual Result<std::optional<StoredMessage>> get(const std::string& id) = 0;
  virtual Result<std::optional<StoredMessage>> find(MessageDirection d,
                                                    const std::string& msg_id) = 0;
  // Saves status, status_at, errors, note, sent_at, times_seen and
  // last_seen_at; m.version must already be the new version.
  virtual Result<void> update(const StoredMessage& m, std::int64_t expected_version) = 0;
  // Messages of the direction whose RefToParent (or OriginalMsgId) is `msg_id`.
  virtual Result<std::vector<StoredMessage>> children(MessageDirection d,
                                                      const std::string& msg_id) = 0;
  // Oldest first (in the order stored), at most `limit`.
  virtual Result<std::vector<StoredMessage>> with_status(MessageDirection d, MessageStatus s,
                                                         int limit) = 0;
  // Sent messages other than AppRecs whose GenDate is at or before
  // `gen_date_at_or_before`: those whose receipt time is up. Oldest first.
  virtual Result<std::vector<StoredMessage>> awaiting_receipt_since(
      Instant gen_date_at_or_before) = 0;
  // The episode's messages, oldest first.
  virtual Result<std::vector<StoredMessage>> of_episode(const std::string& episode_id) = 0;
  // The active episodes run by the organisation (as municipality or
  // hospital unit) with an outgoing message the watchdog may alert on: one
  // not settled by an AppRec (queued, sent, no_receipt, rejected) or a
  // discharge-ready notice. A superset: message_alerts decides.
  virtual Result<std::vector<std::string>> episodes_to_watch(
      const std::string& organisation_id) = 0;
  // Every message in these conversations, oldest first.
  virtual Result<std::vector<StoredMessage>> in_conversations(
      const std::vector<std::string>& conversation_ids) = 0;
};

// How messages travel (file drop, HTTP between Samflyt instances; NHN's
// EDI 2.0 REST API later). Names are the transport's, e.g. "<msgid>.xml".
// Used by one poller thread at a time.
struct TransportedMessage {
  std::string name;
  std::string bytes;
};

// A message to hand over: as MessageTransport::send's arguments.
struct Parcel {
  std::string_view bytes;
  std::string name;
  std::optional<std::int64_t> receiver_her_id;
};

class MessageTransport {
 public:
  virtual ~MessageTransport() = default;
  // Hands the bytes over durably under `name`, for the receiver with the
  // routing HER-id `receiver_her_id` (the receiving unit's, else its
  // organisation's; none when the message names none), which transports
  // that route by receiver need. Errors: unavailable when it cannot now
  // (try again later); any other code when it will not pass until a
  // person changes something (no route to the receiver, a refused token).
  virtual Result<void> send(std::string_view bytes, const std::string& name,
                            std::optional<std::int64_t> receiver_her_id) = 0;
  // Hands several over, in order; one result per parcel. Once a receiver
  // did not take one, its later parcels are not tried and get the same
  // error, so that each receiver gets its messages in order. By default
  // send() one by one; a transport may make a batch durable together.
  virtual std::vector<Result<void>> send_all(const std::vector<Parcel>& parcels);
  // What is waiting, oldest name first, at most `limit` messages; the
  // transport sets aside what it cannot read itself (and says so in its
  // log).
  virtual Result<std::vector<TransportedMessage>> receive(std::size_t limit) = 0;
  // The messages are stored: they need never be handed over again.
  virtual Result<void> acknowledge(const std::vector<std::string>& names) = 0;
  // The message could not be stored for a reason that will not pass: set
  // it aside with the reason, so that a person can look at it.
  virtual Result<void> set_aside(const std::string& name, const std::string& reason) = 0;
};

// One unit of work: every repository call inside it commits or rolls back
// together. Destroying an uncommitted transaction rolls it back.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual OrganisationRepository& organisations() = 0;
  virtual StaffRepository& staff() = 0;
  virtual PatientRepository& patients() = 0;
  virtual TemplateRepository& templates() = 0;
  virtual EpisodeRepository& episodes() = 0;
  virtual TaskRepository& tasks() = 0;
  virtual AccountRepository& accounts() = 0;
  virtual AccessRepository& access() = 0;
  virtual AuditRepository& audit() = 0;  // only in the audit log's own database
  virtual OidcLoginRepository& oidc_logins() = 0;
  virtual ChecklistRepository& checklists() = 0;
  virtual StayRepository& stays() = 0;
  virtual MessageRepository& messages() = 0;
  virtual Result<void> commit() = 0;
};

enum class TxMode { read, write };

class Database {
 public:
  virtual ~Database() = default;
  virtual Result<std::unique_ptr<Transaction>> begin(TxMode mode) = 0;
};

}  // namespace samflyt::service
