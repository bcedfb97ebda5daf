// The use cases: what users and integrations can do. Each write use case
// runs in one transaction (all or nothing) and lives in its own file; the
// read-only queries are in queries.cpp.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/access_control.hpp"
#include "service/context.hpp"

namespace samflyt::service {

// --- accounts, sessions and tokens (accounts.cpp) --------------------------

// A request's authenticated caller; `csrf_token` is set for sessions (the
// browser must echo it on state-changing requests), empty for bearer tokens.
struct Authenticated {
  Caller caller;
  std::string csrf_token;
  bool via_session = false;
};

// The caller behind a session cookie's secret or a bearer token; an
// unknown, expired or revoked secret, or a disabled account, is
// ErrorCode::unauthenticated. A session's idle and absolute timeouts are
// ctx.auth's; its last use is recorded at most once a minute.
Result<Authenticated> authenticate_session(Context& ctx, const std::string& secret,
                                           const std::string& request_id);
Result<Authenticated> authenticate_token(Context& ctx, const std::string& token,
                                         const std::string& request_id);

struct LoginResult {
  std::string session_secret;  // for the cookie; stored only as a digest
  std::string csrf_token;
  User user;
  core::Principal principal;
};

// Checks the password and opens a new session (a new id every time: a
// session id a browser had before login is never reused). After
// ctx.auth.throttle_failures failed attempts for an account in
// throttle_window, further attempts are refused with
// ErrorCode::too_many_requests until the window has passed (even with the
// right password). Every attempt is audited. `previous_secret`, when
// given, is the session the browser had; it is ended.
Result<LoginResult> login(Context& ctx, const std::string& username, const std::string& password,
                          const std::string& previous_secret, const std::string& request_id);
// Opens a session for the account linked to an OpenID Connect identity
// (issuer + ' ' + sub) whose ID token the caller has validated; forbidden
// when no enabled account is linked. Audited like a password login.
Result<LoginResult> login_with_subject(Context& ctx, const std::string& oidc_subject,
                                       const std::string& previous_secret,
                                       const std::string& request_id);
Result<void> logout(Context& ctx, const std::string& session_secret, const Caller& caller);

Result<std::vector<ThrottledAccount>> list_throttled_accounts(Context& ctx, const Caller& caller);

// Administration (the CLI; trusted, audited as the user "cli").
struct NewUser {
  std::string username;
  std::string display_name;
  core::AccountKind kind = core::AccountKind::staff;
  std::string password;  // empty: no local password (token or OpenID Connect only)
  std::string staff_id;
  std::string hpr_number;
  std::string oidc_subject;  // issuer + ' ' + sub: log in with OpenID Connect (HelseID)
};
Result<User> create_user(Context& ctx, const NewUser& input);
Result<void> set_user_disabled(Context& ctx, const std::string& username, bool disabled);
Result<void> reset_password(Context& ctx, const std::string& username, const std::string& password);
Result<void> grant_role(Context& ctx, const std::string& username, const std::string& role,
                        const std::string& organisation_id);
Result<void> link_family_member(Context& ctx, const std::string& username,
                                const std::string& patient_id, core::FamilyRelation relation);
// Returns the token's secret; only its digest is stored. It expires after
// `valid_for` (a year unless told otherwise).
Result<std::string> create_token(Context& ctx, const std::string& username, const std::string& name,
                                 std::chrono::days valid_for = std::chrono::days(365));
Result<std::vector<ApiToken>> list_tokens(Context& ctx, const std::string& username);
Result<void> revoke_token(Context& ctx, const std::string& token_id);
Result<core::Organisation> create_organisation(Context& ctx, core::Organisation org);
// Walks the audit log's hash chain (see store/audit_chain.hpp).
Result<AuditVerification> verify_audit_log(Context& ctx);

// --- pathway templates -------------------------------------------------

// A template file's name (for error messages) and text.
struct TemplateFile {
  std::string name;
  std::string text;
};

// Parses and validates every file, then makes each the current version of
// its id (a new version when the text changed) in one transaction: a
// broken file, or two files with one pathway id, stores nothing. Running
// episodes keep the version they started with.
Result<std::vector<TemplatePtr>> load_templates(Context& ctx,
                                                const std::vector<TemplateFile>& files);
Result<std::vector<TemplatePtr>> list_pathways(Context& ctx);
Result<TemplatePtr> get_pathway(Context& ctx, const std::string& id);

// --- organisations -----------------------------------------------------

Result<std::vector<core::Organisation>> list_organisations(Context& ctx);
Result<std::vector<core::Staff>> list_staff(Context& ctx, const std::string& organisation_id);

// --- patients ----------------------------------------------------------

struct NewPatient {
  std::string national_id;
  std::string name;
  std::string municipality_id;
  std::optional<std::string> birth_date;  // YYYY-MM-DD; must agree with the national id
};
Result<core::Patient> create_patient(Context& ctx, const Caller& caller, const NewPatient& input);
// A national id (or D-, H- or test number the configuration allows) with
// valid check digits and a birth date not in the future; invalid_input
// naming the field national_id otherwise.
Result<core::PersonId> check_national_id(const Context& ctx, const std::string& national_id);
Result<core::Patient> get_patient(Context& ctx, const Caller& caller, const std::string& id);

// --- episodes ----------------------------------------------------------

struct NewEpisode {
  std::string patient_id;
  std::string pathway_id;
  std::string hospital_unit_id;
  std::string municipality_id;
  std::optional<Instant> started_at;  // defaults to now; not in the future
};

// An episode with everything needed to show it.
struct EpisodeView {
  core::Episode episode;
  std::vector<core::Task> tasks;
  TemplatePtr pathway;
  core::FamilyView family_view = core::FamilyView::none;  // set when a family member reads it
};

Result<EpisodeView> start_episode(Context& ctx, const Caller& caller, const NewEpisode& input);
// Starts an episode for the person with this national id, registering them
// first (in the same transaction) when they are not a patient here yet;
// input.patient_id is ignored. Whether they were known changes nothing in
// the answer, only whether the caller may start this episode does; a
// refusal leaves nothing behind.
Result<EpisodeView> start_episode_for_person(Context& ctx, const Caller& caller,
                                             const NewPatient& person, NewEpisode input);
Result<EpisodeView> get_episode(Context& ctx, const Caller& caller, const std::string& id);
// Only the episodes the caller has a basis for.
Result<std::vector<core::Episode>> list_episodes(Context& ctx, const Caller& caller,
                                                 EpisodeFilter filter);
// Records an event (e.g. discharge_ready) and refreshes the deadlines that
// count from it. `at` defaults to now.
Result<EpisodeView> record_event(Context& ctx, const Caller& caller, const std::string& episode_id,
                                 const std::string& event_id, std::optional<Instant> at);

// --- tasks -------------------------------------------------------------

struct TaskView {
  core::Task task;
  TemplatePtr pathway;  // for the step's title
};

// Applies a user's change if `expected_version` is the task's version.
Result<TaskView> update_task(Context& ctx, const Caller& caller, const std::string& task_id,
                             std::int64_t expected_version, const core::TaskChange& change);
Result<TaskView> get_task(Context& ctx, const Caller& caller, const std::string& task_id);
Result<std::vector<TaskView>> list_tasks(Context& ctx, const Caller& caller, TaskFilter filter);

// --- the discharge-ready ledger (discharge_ledger.cpp) -----------------------

// One hospital stay: its events and its ledger by ctx.ledger_rules.
struct StayLedger {
  int stay = 0;
  std::vector<StoredStayEvent> events;
  core::Ledger ledger;
};

struct EpisodeLedger {
  std::string episode_id;
  std::string municipality_id;  // the one that pays (oppholdskommune)
  std::vector<StayLedger> stays;
};

struct NewStayEvent {
  core::StayEventKind kind = core::StayEventKind::admitted;
  std::optional<Instant> at;       // default: now
  std::optional<core::Date> date;  // municipality_can_receive
};

// The ledger of every stay of the episode; the episode's read access.
Result<EpisodeLedger> get_episode_ledger(Context& ctx, const Caller& caller,
                                         const std::string& episode_id);
// Records an event: `admitted` begins a new stay (the last one must be
// discharged); any other event belongs to the last stay. Refused
// (invalid_input) when the stay's events would no longer make a ledger,
// e.g. an event after the discharge. Clinical staff with write access.
Result<EpisodeLedger> record_stay_event(Context& ctx, const Caller& caller,
                                        const std::string& episode_id, const NewStayEvent& input);
// The payable days and amounts per municipality and month of `year`
// (only `municipality_id`'s when given), for invoicing. Leaders only; no
// patient data in the answer.
Result<std::vector<core::MonthlyTotal>> ledger_monthly_totals(Context& ctx, const Caller& caller,
                                                              int year,
                                                              const std::string& municipality_id);

// --- the care team (care_team.cpp) -----------------------------------------

struct NewCareTeamMember {
  std::string user_id;  // optional: a member with an account gets the care-team basis
  std::string name;     // defaults to the account's name
  std::string role;     // core/roles.hpp
  std::string organisation_id;
  std::string phone;
  std::string email;
};
Result<std::vector<CareTeamMember>> list_care_team(Context& ctx, const Caller& caller,
                                                   const std::string& episode_id);
Result<CareTeamMember> add_care_team_member(Context& ctx, const Caller& caller,
                                            const std::string& episode_id,
                                            const NewCareTeamMember& input);
Result<void> remove_care_team_member(Context& ctx, const Caller& caller,
                                     const std::string& episode_id, const std::string& member_id);

// --- self-authorisation, blocks, consent and the access log (access.cpp) ----

struct NewSelfAuthorisation {
  std::string reason;
  bool emergency = false;
  std::chrono::seconds duration{4 * 60 * 60};
};
// Akuttilgang: a staff member with a clinical role gives themself access to
// one episode for a while, with a reason; it lands in the review list.
Result<core::SelfAuthorisation> self_authorise(Context& ctx, const Caller& caller,
                                               const std::string& episode_id,
                                               const NewSelfAuthorisation& input);
// The review list for leaders: self-authorisations by people in the
// leader's organisations (or below), pending review first.
Result<std::vector<core::SelfAuthorisation>> list_self_authorisations(Context& ctx,
                                                                      const Caller& caller,
                                                                      bool pending_only);
Result<void> review_self_authorisation(Context& ctx, const Caller& caller, const std::string& id);

// Blocks (sperring) are recorded and lifted by an administrator (on the
// patient's request) or by the patient or a guardian with access.
Result<std::vector<core::Block>> list_blocks(Context& ctx, const Caller& caller,
                                             const std::string& patient_id);
Result<core::Block> add_block(Context& ctx, const Caller& caller, const std::string& patient_id,
                              core::Block input);
Result<void> lift_block(Context& ctx, const Caller& caller, const std::string& patient_id,
                        const std::string& block_id);

Result<std::vector<core::Consent>> list_consents(Context& ctx, const Caller& caller,
                                                 const std::string& episode_id);
// Staff with a basis to change the episode record consent on the family's
// behalf; the patient (from 16) or a guardian (until then) records and
// withdraws their own (given_by and the name are then theirs).
Result<core::Consent> record_consent(Context& ctx, const Caller& caller,
                                     const std::string& episode_id, core::Consent input);
Result<core::Consent> withdraw_consent(Context& ctx, const Caller& caller,
                                       const std::string& episode_id, const std::string& consent_id,
                                       std::int64_t expected_version);
// The one question later features ask before sharing: the consent that
// allows it now, or forbidden with a reason.
Result<core::Consent> require_consent(Transaction& tx, const std::string& episode_id,
                                      core::ConsentPurpose purpose, const std::string& target,
                                      Instant now);

// "Who has looked at my data": for the patient, a guardian with access, or
// an administrator. Family members see organisation, role, time and
// action, not who.
struct AccessLogRow {
  Instant at{};
  std::string organisation_id;
  std::string role;
  std::string action;
  std::string basis;
  std::string outcome;
  bool emergency = false;
  std::string user_id;  // only for administrators
};
Result<std::vector<AccessLogRow>> patient_access_log(Context& ctx, const Caller& caller,
                                                     const std::string& patient_id, int limit,
                                                     int offset);

// --- OpenID Connect login (oidc_login.cpp) ----------------------------------

// How long a login started at the identity provider may take to finish.
inline constexpr std::chrono::seconds kOidcLoginLifetime{10 * 60};

// The path a login returns to: `return_to` when it is a same-site path
// (starts with "/" but not "//", has no backslash, no control character
// and at most 2000 bytes), otherwise "/".
std::string safe_return_to(std::string_view return_to);

struct OidcLoginStart {
  std::string authorization_url;  // where to send the browser
  std::string state;              // bind it to the browser (a cookie) too
};

// Starts a login at the identity provider (ctx.identity_provider): a new
// random state, nonce and PKCE verifier, kept as a pending login for
// kOidcLoginLifetime with the state stored only as its digest; expired
// pending logins are purged. not_found when OpenID Connect is not
// configured; unavailable when the provider cannot be reached.
Result<OidcLoginStart> begin_oidc_login(Context& ctx, const std::string& return_to);

// What the provider sent back to the callback (query parameters).
struct OidcCallback {
  std::string state;
  std::string code;
  std::string error;  // the provider's error code (e.g. access_denied), if any
};

struct OidcLoginFinish {
  LoginResult login;
  std::string return_to;  // a same-site path (safe_return_to)
};

// Finishes a login: takes the pending login of the state (so each is used
// once, and only within kOidcLoginLifetime), redeems the code with its PKCE
// verifier and checks the ID token's nonce, then opens a session for the
// account linked to the identity (login_with_subject). An unknown, used or
// expired state, an error from the provider, or a refused token is
// forbidden (and audited); unavailable when the provider cannot be reached.
// `previous_secret`, when given, is the session the browser had; it is ended.
Result<OidcLoginFinish> finish_oidc_login(Context& ctx, const OidcCallback& callback,
                                          const std::string& previous_secret,
                                          const std::string& request_id);

// --- demo --------------------------------------------------------------

// The password of every demo account (README.md lists them).
inline constexpr const char* kDemoPassword = "demo-passord";

// Loads the invented demo health community (a hospital trust and the 17
// Telemark municipalities, staff, and three children on the STHF pathway)
// unless the database already has organisations. Needs the STHF template
// loaded. Returns false when the database was not empty.
Result<bool> load_demo(Context& ctx);

}  // namespace samflyt::service
