// Login with OpenID Connect (HelseID): the authorization code flow with
// PKCE, with the pending logins kept server-side and used once.
#include "service/use_cases.hpp"

namespace samflyt::service {

namespace {

// Longer states and codes than these are not ours or the provider's.
constexpr std::size_t kMaxStateBytes = 256;
constexpr std::size_t kMaxCodeBytes = 4096;
constexpr std::size_t kMaxReturnToBytes = 2000;

Error not_configured() {
  return make_error(ErrorCode::not_found,
                    "Login with OpenID Connect (HelseID) is not configured on this server.",
                    "Innlogging med OpenID Connect (HelseID) er ikke satt opp på denne tjeneren.");
}

Error unknown_login() {
  return make_error(ErrorCode::forbidden,
                    "This login is unknown, has expired or has already been used. Start the "
                    "login again.",
                    "Denne innloggingen er ukjent, utløpt eller allerede brukt. Start "
                    "innloggingen på nytt.");
}

// A refused or failed callback leaves a row in the audit log too.
Result<void> audit_callback(Context& ctx, const std::string& request_id, Instant now,
                            const std::string& outcome) {
  Caller anonymous{core::Principal{"", "", "", core::AccountKind::staff, {}}, request_id};
  AuditTrail trail;
  trail.add_event(anonymous, now, "", "oidc/callback", "login", outcome);
  return ctx.audit.record(trail.entries);
}

// The provider's error code if it looks like one (RFC 6749: a short ASCII
// token), so that nothing else is echoed back.
std::string provider_error_code(const std::string& error) {
  bool plain = !error.empty() && error.size() <= 64 &&
               error.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
  return plain ? error : "unknown_error";
}

}  // namespace

std::string safe_return_to(std::string_view return_to) {
  if (return_to.empty() || return_to.size() > kMaxReturnToBytes || return_to.front() != '/' ||
      (return_to.size() > 1 && (return_to[1] == '/' || return_to[1] == '\\')))
    return "/";
  // Visible ASCII only: no backslash (browsers read it as "/"), no control
  // characters or spaces (browsers drop tabs and line breaks from URLs, so
  // "/\t/evil.example" would become "//evil.example").
  for (char c : return_to)
    if (c < '!' || c > '~' || c == '\\') return "/";
  return std::string(return_to);
}

Result<OidcLoginStart> begin_oidc_login(Context& ctx, const std::string& return_to) {
  if (!ctx.identity_provider) return not_configured();
  Instant now = ctx.clock.now();
  std::string state = ctx.secrets.new_secret();
  PendingOidcLogin pending{ctx.secrets.digest(state), ctx.secrets.new_secret(),
                           ctx.secrets.new_secret(), safe_return_to(return_to), now};
  // Ask the provider first: when it cannot be reached, nothing is stored.
  SAMFLYT_TRY(auto url, ctx.identity_provider->authorization_url(state, pending.nonce,
                                                                 pending.code_verifier));
  SAMFLYT_CHECK(in_transaction(ctx.db, TxMode::write, [&](Transaction& tx) -> Result<void> {
    SAMFLYT_CHECK(tx.oidc_logins().purge_before(now - kOidcLoginLifetime));
    return tx.oidc_logins().insert(pending);
  }));
  return OidcLoginStart{std::move(url), std::move(state)};
}

Result<OidcLoginFinish> finish_oidc_login(Context& ctx, const OidcCallback& callback,
                                          const std::string& previous_secret,
                                          const std::string& request_id) {
  if (!ctx.identity_provider) return not_configured();
  if (callback.state.empty() || callback.state.size() > kMaxStateBytes)
    return make_error(ErrorCode::invalid_input,
                      "The login came back without a valid state. Start the login again.",
                      "Innloggingen kom tilbake uten gyldig state. Start innloggingen på nytt.",
                      "state");
  Instant now = ctx.clock.now();
  std::string digest = ctx.secrets.digest(callback.state);

  // Taken (deleted) and committed before anything else: used once, even
  // when what follows fails.
  SAMFLYT_TRY(auto pending, in_transaction(ctx.db, TxMode::write, [&](Transaction& tx) {
                return tx.oidc_logins().take(digest);
              }));
  if (!pending || now >= pending->created_at + kOidcLoginLifetime) {
    SAMFLYT_CHECK(audit_callback(ctx, request_id, now, "denied"));
    return unknown_login();
  }
  if (!callback.error.empty()) {
    SAMFLYT_CHECK(audit_callback(ctx, request_id, now, "denied"));
    std::string code = provider_error_code(callback.error);
    return make_error(
        ErrorCode::forbidden,
        "The identity provider did not complete the login (" + code + "). Start the login again.",
        "Identitetsleverandøren fullførte ikke innloggingen (" + code +
            "). Start innloggingen på nytt.");
  }
  if (callback.code.empty() || callback.code.size() > kMaxCodeBytes) {
    SAMFLYT_CHECK(audit_callback(ctx, request_id, now, "denied"));
    return make_error(ErrorCode::invalid_input,
                      "The login came back without a valid code. Start the login again.",
                      "Innloggingen kom tilbake uten gyldig kode. Start innloggingen på nytt.",
                      "code");
  }

  auto subject =
      ctx.identity_provider->redeem(callback.code, pending->code_verifier, pending->nonce, now);
  if (!subject) {
    bool refused = subject.error().code == ErrorCode::forbidden;
    SAMFLYT_CHECK(audit_callback(ctx, request_id, now, refused ? "denied" : "failed"));
    return std::move(subject).error();
  }
  // Audits the login, allowed or denied.
  SAMFLYT_TRY(auto login, login_with_subject(ctx, *subject, previous_secret, request_id));
  return OidcLoginFinish{std::move(login), safe_return_to(pending->return_to)};
}

}  // namespace samflyt::service
