// The Secrets port with libsodium: random 256-bit secrets (session ids,
// CSRF and bearer tokens) as base64url, BLAKE2b-256 digests (how secrets
// are stored), and argon2id password hashes (OWASP's minimum: 19 MiB of
// memory, 2 passes, one lane).
//
// Thread-safe. The constructor initialises libsodium and throws
// std::runtime_error when it cannot.
#pragma once

#include "service/ports.hpp"

namespace samflyt::auth {

class SodiumSecrets final : public service::Secrets {
 public:
  SodiumSecrets();
  std::string new_secret() override;
  std::string digest(std::string_view secret) override;
  Result<std::string> hash_password(std::string_view password) override;
  bool verify_password(const std::string& hash, std::string_view password) override;
};

}  // namespace samflyt::auth
