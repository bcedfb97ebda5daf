// OpenID Connect login with the authorization code flow and PKCE (RFC 6749,
// RFC 7636, OpenID Connect Core 1.0), for HelseID and other providers: the
// service port IdentityProvider, over libcurl.
//
// Contract:
// - The provider's metadata (<issuer>/.well-known/openid-configuration) is
//   fetched on first use and kept; its "issuer" must equal the configured
//   issuer exactly, and it must name an authorization, a token and a JWKS
//   endpoint. A failed fetch is not kept: the next login tries again.
// - The signing keys (JWKS) are fetched on first use and kept; when an ID
//   token names a key id the set does not have, the set is fetched again,
//   at most once a minute (key rotation).
// - Outgoing requests: TLS verified, no redirects followed, connect timeout
//   5 s, total 10 s, responses over 1 MiB refused. Every URL (the issuer's
//   and each endpoint in the metadata) must be https://, or http:// to a
//   loopback host (127.0.0.1, ::1, localhost) for tests and development.
// - The code is redeemed at the token endpoint with client_secret_basic
//   (or, without a client secret, as a public client with its client_id in
//   the form). The ID token is validated with verify_jwt (RS256/ES256,
//   issuer, audience = client_id, times at the caller's `now`, nonce); the
//   subject returned is issuer + ' ' + sub.
// - Errors are Results with English and Norwegian messages that never
//   contain tokens or secrets: ErrorCode::unavailable when the provider
//   cannot be reached or answers nonsense, ErrorCode::forbidden when it
//   refuses the code or its ID token is not acceptable. No clock is read:
//   `now` comes from the caller.
//
// Thread-safety: an OidcClient may be used by many threads at once; the
// cached metadata and keys are guarded, and network calls are made without
// holding the lock that readers take.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "auth/jwt.hpp"
#include "service/ports.hpp"

namespace samflyt::auth {

struct OidcSettings {
  std::string issuer;  // e.g. https://helseid-sts.nhn.no
  std::string client_id;
  std::string client_secret;  // empty: a public client (PKCE only)
  std::string redirect_uri;   // e.g. https://samflyt.example/auth/oidc/callback
  std::string scopes = "openid profile";
};

// Whether Samflyt may fetch from `url`: https://, or http:// to a loopback
// host (127.0.0.1, ::1, localhost).
bool oidc_url_allowed(std::string_view url);

class OidcClient final : public service::IdentityProvider {
 public:
  // Checks the settings (issuer an allowed URL, client_id and redirect_uri
  // given, scopes containing "openid") and throws std::invalid_argument
  // naming the setting when they are not usable. Fetches nothing yet.
  explicit OidcClient(OidcSettings settings);
  ~OidcClient() override;
  OidcClient(const OidcClient&) = delete;
  OidcClient& operator=(const OidcClient&) = delete;

  Result<std::string> authorization_url(const std::string& state, const std::string& nonce,
                                        const std::string& code_verifier) override;
  Result<std::string> redeem(const std::string& code, const std::string& code_verifier,
                             const std::string& nonce, service::Instant now) override;

  const OidcSettings& settings() const { return settings_; }

 private:
  struct Metadata {
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string jwks_uri;
  };
  struct KeySet {
    JwkSet keys;
    std::set<std::string> kids;  // the key ids the set publishes
  };

  Result<std::shared_ptr<const Metadata>> metadata();
  // The keys; fetched when there are none, or again when `kid` is not
  // among them and the last fetch is at least a minute before `now`.
  Result<std::shared_ptr<const KeySet>> keys(const std::string& kid, std::int64_t now);

  const OidcSettings settings_;
  std::mutex state_mutex_;  // guards the two cached pointers and last_keys_fetch_
  std::mutex fetch_mutex_;  // one fetch at a time
  std::shared_ptr<const Metadata> metadata_;
  std::shared_ptr<const KeySet> keys_;
  std::optional<std::int64_t> last_keys_fetch_;
};

}  // namespace samflyt::auth
