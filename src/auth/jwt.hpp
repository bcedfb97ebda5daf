// OpenID Connect token validation (ID and access tokens as compact JWS,
// RFC 7515/7517/7519), for HelseID and other OpenID providers.
//
// Contract:
// - Only RS256 (RSA PKCS#1 v1.5, SHA-256, modulus 2048-8192 bits) and ES256
//   (ECDSA P-256, SHA-256, 64-byte R||S signature) are accepted. "none", HMAC,
//   PSS and everything else is refused, and an algorithm only ever verifies
//   with a key of its own type. Keys come only from the JwkSet given by the
//   caller; keys or key URLs embedded in a token header are ignored.
// - The signature is checked before any claim is read. Then: "iss" and "aud"
//   (and "azp" for several audiences), "exp", "nbf", "iat", "sub" and, when
//   expected, "nonce". The caller supplies the clock (`now`).
// - Errors: ErrorCode::invalid_input for malformed input (bad encoding, not
//   JSON, wrong JSON types, over 16 KiB), ErrorCode::forbidden for a
//   well-formed token that is not acceptable (algorithm, key, signature,
//   claims), ErrorCode::internal for empty expectations (a configuration
//   bug). Messages are in English and Norwegian bokmål and never contain
//   token contents. Nothing here throws, except std::bad_alloc from the
//   string-returning helpers.
//
// Thread-safety: all functions are pure. A JwkSet is immutable after parse;
// copies share its keys, and one set may be used by many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.hpp"

namespace samflyt::auth {

struct TokenExpectations;
struct VerifiedToken;

// A JSON Web Key Set as published at the provider's jwks_uri.
class JwkSet {  // immutable after parse, safe to share between threads
 public:
  // Usable keys: kty "RSA" (n, e; 2048-8192 bits) and kty "EC" with crv
  // "P-256" (x, y), each with a "kid". Keys with another kty or crv, with
  // "use" other than "sig", with an "alg" that is not RS256/ES256 for their
  // type, or without "kid" are skipped. A malformed or weak key of a
  // supported type, or a set with no usable key, is an invalid_input error.
  static Result<JwkSet> parse(std::string_view json);

  std::size_t size() const;  // number of usable keys

 private:
  struct Keys;  // defined in jwt.cpp: the EVP_PKEYs, keyed by kid
  friend Result<VerifiedToken> verify_jwt(std::string_view compact, const JwkSet& keys,
                                          const TokenExpectations& expect);
  explicit JwkSet(std::shared_ptr<const Keys> keys) : keys_(std::move(keys)) {}
  std::shared_ptr<const Keys> keys_;
};

struct TokenExpectations {
  std::string issuer;  // must equal "iss" exactly
  // Must equal "aud" (a string) or be an element of "aud" (an array); when
  // "aud" has more than one entry, "azp" must equal it too.
  std::string audience;
  std::optional<std::string> nonce;  // when set, "nonce" must equal it
  std::int64_t now = 0;              // unix seconds, given by the caller
  std::int64_t leeway_seconds = 60;  // clock skew allowed on exp/nbf/iat
};

struct VerifiedToken {
  std::string subject;    // "sub", required, non-empty
  std::string key_id;     // "kid" of the key that verified the signature
  std::string algorithm;  // "RS256" or "ES256"
  nlohmann::json claims;  // the whole payload
};

// Verifies a compact JWS (header.payload.signature) and its claims.
Result<VerifiedToken> verify_jwt(std::string_view compact, const JwkSet& keys,
                                 const TokenExpectations& expect);

// Base64url without padding (RFC 4648 section 5).
std::string base64url_encode(std::string_view bytes);
// Strict: no padding, no whitespace, only [A-Za-z0-9_-], and unused trailing
// bits must be zero. std::nullopt for anything else.
std::optional<std::string> base64url_decode(std::string_view text);

// PKCE S256 code challenge (RFC 7636): base64url(SHA-256(verifier)).
std::string pkce_challenge_s256(std::string_view verifier);

}  // namespace samflyt::auth
