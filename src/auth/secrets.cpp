#include "auth/secrets.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace samflyt::auth {

namespace {
constexpr unsigned long long kPasswordPasses = 2;                       // argon2id t
constexpr std::size_t kPasswordMemory = std::size_t{19} * 1024 * 1024;  // argon2id m
}  // namespace

SodiumSecrets::SodiumSecrets() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string SodiumSecrets::new_secret() {
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 64> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(text.data());
}

std::string SodiumSecrets::digest(std::string_view secret) {
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
  return std::string(hex.data(), 64);
}

Result<std::string> SodiumSecrets::hash_password(std::string_view password) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), kPasswordPasses,
                            kPasswordMemory, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return make_error(ErrorCode::unavailable, "Out of memory while hashing the password.",
                      "Tomt for minne under hashing av passordet.");
  return std::string(out.data());
}

bool SodiumSecrets::verify_password(const std::string& hash, std::string_view password) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace samflyt::auth
