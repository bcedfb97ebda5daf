// Accounts, sessions, bearer tokens, login throttling, and the CLI's
// administration of users and organisations.
#include <cctype>

#include "core/identifiers.hpp"
#include "core/roles.hpp"
#include "core/text.hpp"
#include "service/use_cases.hpp"

namespace samflyt::service {

namespace {

using namespace std::chrono_literals;

Error unauthenticated() {
  return make_error(ErrorCode::unauthenticated,
                    "You are not logged in, or your session has expired. Log in again.",
                    "Du er ikke logget inn, eller økten er utløpt. Logg inn på nytt.");
}

Error unknown_user() {
  return make_error(ErrorCode::not_found, "There is no user with that username.",
                    "Det finnes ingen bruker med det brukernavnet.", "username");
}

// The CLI acts as this user in the audit log.
Caller cli_caller() {
  return Caller{core::Principal{"cli", "", "cli", core::AccountKind::system, {}}, ""};
}

Result<core::Principal> principal_of(Transaction& tx, const User& u) {
  SAMFLYT_TRY(auto grants, tx.accounts().grants(u.id));
  return core::Principal{u.id, u.staff_id, u.display_name, u.kind, std::move(grants)};
}

Result<void> check_password_rules(const std::string& password) {
  if (core::count_characters(password) < 10)
    return make_error(ErrorCode::invalid_input, "The password must have at least 10 characters.",
                      "Passordet må ha minst 10 tegn.", "password");
  if (password.size() > 1024)
    return make_error(ErrorCode::invalid_input, "The password is too long.",
                      "Passordet er for langt.", "password");
  return {};
}

Result<User> require_user(Transaction& tx, const std::string& username) {
  SAMFLYT_TRY(auto u, tx.accounts().find_by_username(username));
  if (!u) return unknown_user();
  return std::move(*u);
}

// Runs an administrative change as the CLI, with one audit row.
template <typename F>
Result<void> administer(Context& ctx, const std::string& resource, const std::string& action, F&& f,
                        const std::string& patient_id = "") {
  Caller cli = cli_caller();
  Instant now = ctx.clock.now();
  return audited(ctx, cli, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<void> {
    trail.add_event(cli, now, patient_id, resource, action, "allowed");
    return f(tx, now);
  });
}

// A new session for `user`, ending the browser's previous one.
Result<LoginResult> open_session(Context& ctx, Transaction& tx, const User& user,
                                 const std::string& previous_secret, Instant now) {
  LoginResult out;
  if (!previous_secret.empty())
    SAMFLYT_CHECK(tx.accounts().delete_session(ctx.secrets.digest(previous_secret)));
  out.session_secret = ctx.secrets.new_secret();
  out.csrf_token = ctx.secrets.new_secret();
  Session s{ctx.secrets.digest(out.session_secret), user.id, out.csrf_token, now, now,
            now + ctx.auth.session_absolute};
  SAMFLYT_CHECK(tx.accounts().insert_session(s));
  SAMFLYT_TRY(out.principal, principal_of(tx, user));
  out.user = user;
  return out;
}

}  // namespace

Result<LoginResult> login_with_subject(Context& ctx, const std::string& oidc_subject,
                                       const std::string& previous_secret,
                                       const std::string& request_id) {
  Instant now = ctx.clock.now();
  Caller anonymous{core::Principal{"", "", "", core::AccountKind::staff, {}}, request_id};
  LoginResult out;
  bool ok = false;
  auto result = audited(
      ctx, anonymous, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<void> {
        SAMFLYT_TRY(auto user, tx.accounts().find_by_oidc_subject(oidc_subject));
        ok = user && !user->disabled;
        Caller who = anonymous;
        if (user) who.principal.user_id = user->id;
        trail.add_event(who, now, "", "oidc/" + oidc_subject, "login", ok ? "allowed" : "denied");
        if (!ok) return {};
        SAMFLYT_TRY(out, open_session(ctx, tx, *user, previous_secret, now));
        return {};
      });
  if (!result) return std::move(result).error();
  if (!ok)
    return make_error(ErrorCode::forbidden,
                      "Your identity was confirmed, but it is not linked to an enabled Samflyt "
                      "account. Ask an administrator.",
                      "Identiteten din er bekreftet, men den er ikke knyttet til en aktiv "
                      "Samflyt-konto. Spør en administrator.");
  return out;
}

Result<Authenticated> authenticate_session(Context& ctx, const std::string& secret,
                                           const std::string& request_id) {
  if (secret.empty()) return unauthenticated();
  std::string digest = ctx.secrets.digest(secret);
  Instant now = ctx.clock.now();
  bool touch = false;
  auto found = in_transaction(ctx.db, TxMode::read, [&](Transaction& tx) -> Result<Authenticated> {
    SAMFLYT_TRY(auto session, tx.accounts().find_session(digest));
    if (!session || now >= session->expires_at ||
        now >= session->last_seen_at + ctx.auth.session_idle)
      return unauthenticated();
    SAMFLYT_TRY(auto user, tx.accounts().get(session->user_id));
    if (!user || user->disabled) return unauthenticated();
    SAMFLYT_TRY(auto principal, principal_of(tx, *user));
    touch = now >= session->last_seen_at + 60s;
    return Authenticated{Caller{std::move(principal), request_id}, session->csrf_token, true};
  });
  if (found && touch)
    (void)in_transaction(ctx.db, TxMode::write, [&](Transaction& tx) {
      return tx.accounts().touch_session(digest, now);
    });  // best effort: a missed touch only shortens the idle window
  return found;
}

Result<Authenticated> authenticate_token(Context& ctx, const std::string& token,
                                         const std::string& request_id) {
  if (token.empty()) return unauthenticated();
  std::string digest = ctx.secrets.digest(token);
  Instant now = ctx.clock.now();
  return in_transaction(ctx.db, TxMode::read, [&](Transaction& tx) -> Result<Authenticated> {
    SAMFLYT_TRY(auto t, tx.accounts().find_token(digest));
    if (!t || t->revoked_at || (t->expires_at && now >= *t->expires_at)) return unauthenticated();
    SAMFLYT_TRY(auto user, tx.accounts().get(t->user_id));
    if (!user || user->disabled) return unauthenticated();
    SAMFLYT_TRY(auto principal, principal_of(tx, *user));
    return Authenticated{Caller{std::move(principal), request_id}, "", false};
  });
}

Result<LoginResult> login(Context& ctx, const std::string& username, const std::string& password,
                          const std::string& previous_secret, const std::string& request_id) {
  Instant now = ctx.clock.now();
  Caller anonymous{core::Principal{"", "", "", core::AccountKind::staff, {}}, request_id};
  std::string resource = "user/" + username;
  if (username.empty() || username.size() > 200 || password.size() > 1024)
    return make_error(ErrorCode::invalid_input, "Give a username and a password.",
                      "Oppgi brukernavn og passord.", "username");

  // Throttling first, so that a throttled account learns nothing about its password.
  SAMFLYT_TRY(int failures, in_transaction(ctx.db, TxMode::read, [&](Transaction& tx) {
                return tx.accounts().failed_logins_since(username, now - ctx.auth.throttle_window);
              }));
  if (failures >= ctx.auth.throttle_failures) {
    AuditTrail trail;
    trail.add_event(anonymous, now, "", resource, "login", "throttled");
    SAMFLYT_CHECK(ctx.audit.record(trail.entries));
    return make_error(ErrorCode::too_many_requests,
                      "Too many failed logins for this account. Wait 15 minutes, or ask an "
                      "administrator.",
                      "For mange mislykkede innlogginger for denne kontoen. Vent 15 minutter, "
                      "eller spør en administrator.");
  }

  SAMFLYT_TRY(auto user, in_transaction(ctx.db, TxMode::read, [&](Transaction& tx) {
                return tx.accounts().find_by_username(username);
              }));
  // Verify even for an unknown user, so that timing does not tell which usernames exist.
  static const std::string kNoUserHash = ctx.secrets.hash_password("no such user").value();
  bool ok = ctx.secrets.verify_password(
      user && !user->password_hash.empty() ? user->password_hash : kNoUserHash, password);
  ok = ok && user && !user->password_hash.empty() && !user->disabled;

  LoginResult out;
  auto result = audited(
      ctx, anonymous, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<void> {
        Caller who = anonymous;
        if (user) who.principal.user_id = user->id;
        SAMFLYT_CHECK(tx.accounts().record_login_attempt(username, now, ok));
        // Housekeeping at each login: ended sessions, and attempts no
        // throttling window needs any more.
        SAMFLYT_CHECK(
            tx.accounts().purge(now, now - ctx.auth.session_idle, now - std::chrono::hours(24)));
        trail.add_event(who, now, "", resource, "login", ok ? "allowed" : "denied");
        if (!ok) return {};
        SAMFLYT_TRY(out, open_session(ctx, tx, *user, previous_secret, now));
        return {};
      });
  if (!result) return std::move(result).error();
  if (!ok)
    return make_error(ErrorCode::unauthenticated, "Wrong username or password.",
                      "Feil brukernavn eller passord.");
  return out;
}

Result<void> logout(Context& ctx, const std::string& session_secret, const Caller& caller) {
  Instant now = ctx.clock.now();
  return audited(ctx, caller, TxMode::write,
                 [&](Transaction& tx, AuditTrail& trail) -> Result<void> {
                   trail.add_event(caller, now, "", "session", "logout", "allowed");
                   return tx.accounts().delete_session(ctx.secrets.digest(session_secret));
                 });
}

Result<std::vector<ThrottledAccount>> list_throttled_accounts(Context& ctx, const Caller& caller) {
  SAMFLYT_CHECK(require_role(caller, "admin"));
  Instant now = ctx.clock.now();
  return in_transaction(ctx.db, TxMode::read, [&](Transaction& tx) {
    return tx.accounts().throttled_accounts(now - ctx.auth.throttle_window,
                                            ctx.auth.throttle_failures);
  });
}

Result<User> create_user(Context& ctx, const NewUser& input) {
  // ASCII only, so that the store's case-insensitive comparison (A-Z)
  // holds: "BJØRN" and "bjørn" can never be two accounts.
  bool ascii = !input.username.empty() && input.username.size() <= 100;
  for (unsigned char c : input.username)
    ascii = ascii && (std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@') && c < 0x80;
  if (!ascii)
    return make_error(ErrorCode::invalid_input,
                      "The username must be 1 to 100 of the characters a-z, 0-9, '.', '_', '-' "
                      "and '@' (write ø as o, æ as ae and å as a).",
                      "Brukernavnet må være 1 til 100 av tegnene a-z, 0-9, '.', '_', '-' og '@' "
                      "(skriv ø som o, æ som ae og å som a).",
                      "username");
  SAMFLYT_CHECK(core::check_text(input.display_name, 200, false, "display_name"));
  if (input.display_name.empty())
    return make_error(ErrorCode::invalid_input, "The user needs a name.",
                      "Brukeren trenger et navn.", "display_name");
  User u;
  u.id = ctx.ids.new_id();
  u.username = input.username;
  for (auto& c : u.username) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  u.display_name = input.display_name;
  u.kind = input.kind;
  u.staff_id = input.staff_id;
  u.hpr_number = input.hpr_number;
  u.oidc_subject = input.oidc_subject;
  if (!input.password.empty()) {
    SAMFLYT_CHECK(check_password_rules(input.password));
    SAMFLYT_TRY(u.password_hash, ctx.secrets.hash_password(input.password));
  }
  u.created_at = ctx.clock.now();
  SAMFLYT_CHECK(administer(
      ctx, "user/" + u.username, "create", [&](Transaction& tx, Instant) -> Result<void> {
        if (!u.staff_id.empty()) {
          SAMFLYT_TRY(auto staff, tx.staff().get(u.staff_id));
          if (!staff)
            return make_error(ErrorCode::invalid_input, "staff_id is not a known person.",
                              "staff_id er ikke en kjent person.", "staff_id");
        }
        auto inserted = tx.accounts().insert(u);
        if (!inserted && inserted.error().code == ErrorCode::conflict)
          return make_error(ErrorCode::conflict, "The username is taken.",
                            "Brukernavnet er opptatt.", "username");
        return inserted;
      }));
  return u;
}

Result<void> set_user_disabled(Context& ctx, const std::string& username, bool disabled) {
  return administer(ctx, "user/" + username, disabled ? "disable" : "enable",
                    [&](Transaction& tx, Instant) -> Result<void> {
                      SAMFLYT_TRY(auto u, require_user(tx, username));
                      auto expected = u.version++;
                      u.disabled = disabled;
                      SAMFLYT_CHECK(tx.accounts().update(u, expected));
                      if (disabled) SAMFLYT_CHECK(tx.accounts().delete_sessions_of(u.id));
                      return {};
                    });
}

Result<void> reset_password(Context& ctx, const std::string& username,
                            const std::string& password) {
  SAMFLYT_CHECK(check_password_rules(password));
  SAMFLYT_TRY(auto hash, ctx.secrets.hash_password(password));
  return administer(ctx, "user/" + username, "reset-password",
                    [&](Transaction& tx, Instant) -> Result<void> {
                      SAMFLYT_TRY(auto u, require_user(tx, username));
                      auto expected = u.version++;
                      u.password_hash = hash;
                      SAMFLYT_CHECK(tx.accounts().update(u, expected));
                      return tx.accounts().delete_sessions_of(u.id);  // log out everywhere
                    });
}

Result<void> grant_role(Context& ctx, const std::string& username, const std::string& role,
                        const std::string& organisation_id) {
  if (!core::find_role(role))
    return make_error(ErrorCode::invalid_input, "Unknown role: " + role + ".",
                      "Ukjent rolle: " + role + ".", "role");
  return administer(
      ctx, "user/" + username, "grant " + role, [&](Transaction& tx, Instant now) -> Result<void> {
        SAMFLYT_TRY(auto u, require_user(tx, username));
        // Message exchange is a system account's only role,
        // and never a person's (docs/adr/0009).
        const bool exchange = role == core::kMessageExchangeRole;
        if (exchange && u.kind != core::AccountKind::system)
          return make_error(ErrorCode::invalid_input,
                            "The role " + role + " is for system accounts only.",
                            "Rollen " + role + " gjelder bare systemkontoer.", "role");
        if (!exchange && u.kind != core::AccountKind::staff)
          return make_error(ErrorCode::invalid_input,
                            "Roles in organisations are for staff accounts.",
                            "Roller i organisasjoner gjelder ansattkontoer.", "role");
        SAMFLYT_TRY(auto org, tx.organisations().get(organisation_id));
        if (!org)
          return make_error(ErrorCode::invalid_input, "Unknown organisation.",
                            "Ukjent organisasjon.", "organisation_id");
        return tx.accounts().grant(u.id, role, organisation_id, now);
      });
}

Result<void> link_family_member(Context& ctx, const std::string& username,
                                const std::string& patient_id, core::FamilyRelation relation) {
  return administer(
      ctx, "user/" + username, "link-family",
      [&](Transaction& tx, Instant) -> Result<void> {
        SAMFLYT_TRY(auto u, require_user(tx, username));
        if (u.kind != core::AccountKind::family)
          return make_error(ErrorCode::invalid_input,
                            "Only family accounts are linked to a patient.",
                            "Bare familiekontoer knyttes til en pasient.", "username");
        SAMFLYT_TRY(auto p, tx.patients().get(patient_id));
        if (!p)
          return make_error(ErrorCode::invalid_input, "Unknown patient.", "Ukjent pasient.",
                            "patient_id");
        return tx.accounts().link_family(patient_id, u.id, relation);
      },
      patient_id);  // in the patient's access log: who may now see their pathway
}

Result<std::string> create_token(Context& ctx, const std::string& username, const std::string& name,
                                 std::chrono::days valid_for) {
  if (valid_for < std::chrono::days(1) || valid_for > std::chrono::days(5 * 366))
    return make_error(ErrorCode::invalid_input, "A token is valid for 1 day to 5 years.",
                      "Et token gjelder fra 1 dag til 5 år.", "days");
  std::string secret = ctx.secrets.new_secret();
  SAMFLYT_CHECK(administer(
      ctx, "user/" + username, "create-token", [&](Transaction& tx, Instant now) -> Result<void> {
        SAMFLYT_TRY(auto u, require_user(tx, username));
        if (u.disabled)
          return make_error(ErrorCode::invalid_input, "The user is disabled.",
                            "Brukeren er deaktivert.", "username");
        return tx.accounts().insert_token(
            ApiToken{ctx.ids.new_id(), u.id, name.empty() ? "cli" : name,
                     ctx.secrets.digest(secret), now, now + valid_for, std::nullopt});
      }));
  return secret;
}

Result<std::vector<ApiToken>> list_tokens(Context& ctx, const std::string& username) {
  return in_transaction(ctx.db, TxMode::read,
                        [&](Transaction& tx) -> Result<std::vector<ApiToken>> {
                          SAMFLYT_TRY(auto u, require_user(tx, username));
                          return tx.accounts().tokens_of(u.id);
                        });
}

Result<void> revoke_token(Context& ctx, const std::string& token_id) {
  return administer(ctx, "token/" + token_id, "revoke", [&](Transaction& tx, Instant now) {
    return tx.accounts().revoke_token(token_id, now);
  });
}

Result<AuditVerification> verify_audit_log(Context& ctx) {
  return ctx.audit.verify();
}

Result<core::Organisation> create_organisation(Context& ctx, core::Organisation org) {
  SAMFLYT_CHECK(core::check_text(org.name, 200, false, "name"));
  if (org.name.empty())
    return make_error(ErrorCode::invalid_input, "The organisation needs a name.",
                      "Organisasjonen trenger et navn.", "name");
  if (!org.org_number.empty()) {
    SAMFLYT_TRY(org.org_number, core::parse_org_number(org.org_number).or_field("org_number"));
  }
  if (org.her_id) {
    SAMFLYT_TRY(org.her_id, core::check_her_id(*org.her_id).or_field("her_id"));
  }
  org.id = ctx.ids.new_id();
  SAMFLYT_CHECK(administer(
      ctx, "organisation/" + org.id, "create", [&](Transaction& tx, Instant) -> Result<void> {
        if (!org.parent_id.empty()) {
          SAMFLYT_TRY(auto parent, tx.organisations().get(org.parent_id));
          if (!parent)
            return make_error(ErrorCode::invalid_input, "The parent organisation does not exist.",
                              "Overordnet organisasjon finnes ikke.", "parent_id");
        }
        return tx.organisations().insert(org);
      }));
  return org;
}

}  // namespace samflyt::service
