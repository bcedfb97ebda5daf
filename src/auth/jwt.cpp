#include "auth/jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <functional>
#include <set>
#include <unordered_map>
#include <vector>

namespace samflyt::auth {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxTokenBytes = std::size_t{16} * 1024;
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;
constexpr std::size_t kP256CoordinateBytes = 32;

enum class KeyType { rsa, ec_p256 };

// OpenSSL handles with their release functions.
template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

struct PublicKey {
  KeyType type = KeyType::rsa;
  std::shared_ptr<EVP_PKEY> pkey;
};

// Leaves no OpenSSL errors behind on this thread for unrelated callers.
struct ErrorQueueGuard {
  ~ErrorQueueGuard() { ERR_clear_error(); }
};

Error malformed(std::string en, std::string nb) {
  return make_error(ErrorCode::invalid_input, std::move(en), std::move(nb));
}
Error refused(std::string en, std::string nb) {
  return make_error(ErrorCode::forbidden, std::move(en), std::move(nb));
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Parses a JSON object, refusing duplicate member names at any depth (the
// JOSE specs allow refusing them, and it keeps parsers from disagreeing).
std::optional<json> parse_object(std::string_view text) {
  std::vector<std::set<std::string, std::less<>>> names;  // member names per open object
  bool duplicate = false;
  json::parser_callback_t watch = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        names.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!names.empty()) names.pop_back();
        break;
      case json::parse_event_t::key:
        if (!names.empty() && parsed.is_string()) {
          if (!names.back().insert(parsed.get_ref<const std::string&>()).second) duplicate = true;
        }
        break;
      default:
        break;
    }
    return true;
  };
  json value = json::parse(text.begin(), text.end(), watch, /*allow_exceptions=*/false);
  if (duplicate || !value.is_object()) return std::nullopt;
  return value;
}

BnPtr bignum_from(std::string_view big_endian) {
  return BnPtr(BN_bin2bn(bytes_of(big_endian), static_cast<int>(big_endian.size()), nullptr));
}

// Runs OpenSSL's public-key sanity checks (point on curve, odd modulus, ...).
bool public_key_checks_pass(EVP_PKEY* pkey) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  return ctx && EVP_PKEY_public_check(ctx.get()) == 1;
}

std::shared_ptr<EVP_PKEY> pkey_from_params(const char* type, const OSSL_PARAM* params) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) !=
          1) {
    EVP_PKEY_free(raw);
    return nullptr;
  }
  return std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free);
}

// A member that must be a base64url string when present.
std::optional<std::string> decoded_member(const json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return std::nullopt;
  return base64url_decode(it->get_ref<const std::string&>());
}

Error bad_key() {
  return malformed("The key set contains a malformed key",
                   "Nøkkelsettet inneholder en ugyldig nøkkel");
}

Result<PublicKey> rsa_key(const json& jwk) {
  auto n = decoded_member(jwk, "n");
  auto e = decoded_member(jwk, "e");
  if (!n || !e || n->empty() || e->empty() || n->size() > 2 * kMaxRsaBits / 8 || e->size() > 8) {
    return bad_key();
  }
  BnPtr n_bn = bignum_from(*n);
  BnPtr e_bn = bignum_from(*e);
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (!n_bn || !e_bn || !builder) return bad_key();
  const int bits = BN_num_bits(n_bn.get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return malformed("The key set contains an RSA key that is too weak or too large",
                     "Nøkkelsettet inneholder en RSA-nøkkel som er for svak eller for stor");
  }
  if (OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n_bn.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e_bn.get()) != 1) {
    return bad_key();
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
  if (!params) return bad_key();
  auto pkey = pkey_from_params("RSA", params.get());
  if (!pkey || !public_key_checks_pass(pkey.get())) return bad_key();
  return PublicKey{KeyType::rsa, std::move(pkey)};
}

Result<PublicKey> ec_p256_key(const json& jwk) {
  auto x = decoded_member(jwk, "x");
  auto y = decoded_member(jwk, "y");
  if (!x || !y || x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes) {
    return bad_key();
  }
  std::string point = "\x04" + *x + *y;  // uncompressed SEC1 point
  char group[] = "prime256v1";
  const std::array<OSSL_PARAM, 3> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  auto pkey = pkey_from_params("EC", params.data());
  if (!pkey || !public_key_checks_pass(pkey.get())) return bad_key();
  return PublicKey{KeyType::ec_p256, std::move(pkey)};
}

const char* algorithm_of(KeyType type) {
  return type == KeyType::rsa ? "RS256" : "ES256";
}

// nullopt: skip the key (unsupported or not for signatures).
Result<std::optional<PublicKey>> parse_jwk(const json& jwk) {
  if (!jwk.is_object()) return bad_key();
  auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) return bad_key();
  for (const char* name : {"kid", "use", "alg", "crv"}) {
    auto it = jwk.find(name);
    if (it != jwk.end() && !it->is_string()) return bad_key();
  }
  if (!jwk.contains("kid")) return std::optional<PublicKey>{};
  if (jwk.value("use", "sig") != "sig") return std::optional<PublicKey>{};

  KeyType type;
  if (*kty == "RSA") {
    type = KeyType::rsa;
  } else if (*kty == "EC" && jwk.value("crv", "") == "P-256") {
    type = KeyType::ec_p256;
  } else {
    return std::optional<PublicKey>{};
  }
  if (jwk.value("alg", algorithm_of(type)) != algorithm_of(type)) {
    return std::optional<PublicKey>{};
  }
  SAMFLYT_TRY(PublicKey key, type == KeyType::rsa ? rsa_key(jwk) : ec_p256_key(jwk));
  return std::optional<PublicKey>{std::move(key)};
}

// ES256 signatures are R||S (32 bytes each); EVP wants DER.
std::optional<std::string> ecdsa_der_from_raw(std::string_view raw) {
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BnPtr r = bignum_from(raw.substr(0, kP256CoordinateBytes));
  BnPtr s = bignum_from(raw.substr(kP256CoordinateBytes));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  (void)r.release();  // now owned by sig
  (void)s.release();
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

bool signature_verifies(const PublicKey& key, std::string_view signing_input,
                        std::string_view signature) {
  std::string der;
  if (key.type == KeyType::ec_p256) {
    auto converted = ecdsa_der_from_raw(signature);
    if (!converted) return false;
    der = std::move(*converted);
    signature = der;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  return ctx &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.pkey.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(signing_input),
                          signing_input.size()) == 1;
}

// Pulls a NumericDate into [-2^62, 2^62] so that adding a leeway cannot
// overflow. Fractions are dropped. nullopt: not a number.
std::optional<std::int64_t> numeric_date(const json& value) {
  constexpr std::int64_t kLimit = std::int64_t{1} << 62;
  if (value.is_number_unsigned()) {
    return static_cast<std::int64_t>(std::min<std::uint64_t>(value.get<std::uint64_t>(), kLimit));
  }
  if (value.is_number_integer()) {
    return std::clamp<std::int64_t>(value.get<std::int64_t>(), -kLimit, kLimit);
  }
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::isnan(d)) return std::nullopt;
    if (d >= static_cast<double>(kLimit)) return kLimit;
    if (d <= -static_cast<double>(kLimit)) return -kLimit;
    return static_cast<std::int64_t>(std::floor(d));
  }
  return std::nullopt;
}

Error bad_claim_type() {
  return malformed("A claim in the token has the wrong type", "Et krav i tokenet har feil type");
}

// An optional NumericDate claim: nullopt if absent, an error if not a number.
Result<std::optional<std::int64_t>> date_claim(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::optional<std::int64_t>{};
  auto date = numeric_date(*it);
  if (!date) return bad_claim_type();
  return std::optional<std::int64_t>{*date};
}

Result<void> check_times(const json& claims, const TokenExpectations& expect) {
  constexpr std::int64_t kLimit = std::int64_t{1} << 62;
  const std::int64_t now = std::clamp<std::int64_t>(expect.now, -kLimit, kLimit);
  const std::int64_t leeway = std::clamp<std::int64_t>(expect.leeway_seconds, 0, 1 << 30);
  SAMFLYT_TRY(auto exp, date_claim(claims, "exp"));
  SAMFLYT_TRY(auto nbf, date_claim(claims, "nbf"));
  SAMFLYT_TRY(auto iat, date_claim(claims, "iat"));
  if (!exp) return refused("The token has no expiry time", "Tokenet mangler utløpstidspunkt");
  if (now >= *exp + leeway) return refused("The token has expired", "Tokenet er utløpt");
  if (nbf && now < *nbf - leeway) {
    return refused("The token is not valid yet", "Tokenet er ikke gyldig ennå");
  }
  if (iat && *iat > now + leeway) {
    return refused("The token is issued in the future", "Tokenet er utstedt fram i tid");
  }
  return {};
}

Result<void> check_audience(const json& claims, const std::string& audience) {
  auto aud = claims.find("aud");
  if (aud == claims.end()) {
    return refused("The token has no audience", "Tokenet mangler mottaker (aud)");
  }
  const Error wrong_audience =
      refused("The token is meant for another audience", "Tokenet er ment for en annen mottaker");
  if (aud->is_string()) {
    if (*aud != audience) return wrong_audience;
    return {};
  }
  if (!aud->is_array()) return bad_claim_type();
  bool found = false;
  for (const json& entry : *aud) {
    if (!entry.is_string()) return bad_claim_type();
    if (entry == audience) found = true;
  }
  if (!found) return wrong_audience;
  if (aud->size() > 1) {
    auto azp = claims.find("azp");
    if (azp != claims.end() && !azp->is_string()) return bad_claim_type();
    if (azp == claims.end() || *azp != audience) {
      return refused("The token's authorised party does not match",
                     "Tokenets autoriserte part (azp) stemmer ikke");
    }
  }
  return {};
}

Result<void> check_claims(const json& claims, const TokenExpectations& expect) {
  for (const char* name : {"iss", "sub", "nonce", "azp"}) {
    auto it = claims.find(name);
    if (it != claims.end() && !it->is_string()) return bad_claim_type();
  }
  if (claims.value("iss", "") != expect.issuer) {
    return refused("The token is from another issuer", "Tokenet er fra en annen utsteder");
  }
  SAMFLYT_CHECK(check_audience(claims, expect.audience));
  SAMFLYT_CHECK(check_times(claims, expect));
  if (claims.value("sub", "").empty()) {
    return refused("The token has no subject", "Tokenet mangler subjekt (sub)");
  }
  if (expect.nonce) {
    auto nonce = claims.find("nonce");
    if (nonce == claims.end() || *nonce != *expect.nonce) {
      return refused("The token's nonce does not match", "Tokenets nonce stemmer ikke");
    }
  }
  return {};
}

using KeyIndex = std::unordered_map<std::string, std::vector<PublicKey>>;  // by kid

Result<VerifiedToken> verify_unguarded(std::string_view compact, const KeyIndex& keys,
                                       const TokenExpectations& expect);

}  // namespace

struct JwkSet::Keys {
  KeyIndex by_kid;
  std::size_t count = 0;
};

Result<JwkSet> JwkSet::parse(std::string_view text) {
  try {
    ErrorQueueGuard guard;
    json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    auto list = doc.is_object() ? doc.find("keys") : doc.end();
    if (list == doc.end() || !list->is_array()) {
      return malformed("The key set is not a JSON Web Key Set",
                       "Nøkkelsettet er ikke et JSON Web Key Set");
    }
    auto keys = std::make_shared<Keys>();
    for (const json& jwk : *list) {
      SAMFLYT_TRY(auto key, parse_jwk(jwk));
      if (!key) continue;
      keys->by_kid[jwk["kid"].get<std::string>()].push_back(std::move(*key));
      ++keys->count;
    }
    if (keys->count == 0) {
      return malformed("The key set has no usable signing key",
                       "Nøkkelsettet har ingen brukbar signeringsnøkkel");
    }
    return JwkSet(std::move(keys));
  } catch (const std::exception&) {
    return make_error(ErrorCode::internal, "The key set could not be read",
                      "Nøkkelsettet kunne ikke leses");
  }
}

std::size_t JwkSet::size() const {
  return keys_->count;
}

Result<VerifiedToken> verify_jwt(std::string_view compact, const JwkSet& keys,
                                 const TokenExpectations& expect) {
  try {
    ErrorQueueGuard guard;
    return verify_unguarded(compact, keys.keys_->by_kid, expect);
  } catch (const std::exception&) {
    return make_error(ErrorCode::internal, "The token could not be checked",
                      "Tokenet kunne ikke kontrolleres");
  }
}

namespace {

Result<VerifiedToken> verify_unguarded(std::string_view compact, const KeyIndex& keys,
                                       const TokenExpectations& expect) {
  if (expect.issuer.empty() || expect.audience.empty()) {
    return make_error(ErrorCode::internal, "Token checking is not configured",
                      "Tokenkontroll er ikke konfigurert");
  }
  if (compact.size() > kMaxTokenBytes) {
    return malformed("The token is too large", "Tokenet er for stort");
  }
  const Error not_jws = malformed("The token is not a valid JWS", "Tokenet er ikke en gyldig JWS");
  if (std::count(compact.begin(), compact.end(), '.') != 2) return not_jws;
  const std::size_t dot1 = compact.find('.');
  const std::size_t dot2 = compact.find('.', dot1 + 1);
  const std::string_view signing_input = compact.substr(0, dot2);
  auto header_text = base64url_decode(compact.substr(0, dot1));
  auto payload_text = base64url_decode(compact.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = base64url_decode(compact.substr(dot2 + 1));
  if (!header_text || !payload_text || !signature) return not_jws;

  auto header = parse_object(*header_text);
  if (!header) return not_jws;
  for (const char* name : {"alg", "kid"}) {
    auto it = header->find(name);
    if (it != header->end() && !it->is_string()) return not_jws;
  }
  if (!header->contains("alg")) return not_jws;
  const std::string alg = (*header)["alg"].get<std::string>();
  if (alg != "RS256" && alg != "ES256") {
    return refused("The token's signature algorithm is not allowed",
                   "Tokenets signaturalgoritme er ikke tillatt");
  }
  if (header->contains("crit")) {
    return refused("The token requires unsupported extensions",
                   "Tokenet krever utvidelser som ikke støttes");
  }
  if (!header->contains("kid")) {
    return refused("The token does not name its signing key",
                   "Tokenet oppgir ikke signeringsnøkkelen");
  }
  const std::string kid = (*header)["kid"].get<std::string>();
  auto candidates = keys.find(kid);
  if (candidates == keys.end()) {
    return refused("The token is signed with an unknown key",
                   "Tokenet er signert med en ukjent nøkkel");
  }
  const KeyType type = alg == "RS256" ? KeyType::rsa : KeyType::ec_p256;
  const auto& with_kid = candidates->second;
  if (std::none_of(with_kid.begin(), with_kid.end(),
                   [&](const PublicKey& key) { return key.type == type; })) {
    return refused("The token's algorithm does not match its key",
                   "Tokenets algoritme passer ikke til nøkkelen");
  }
  if (type == KeyType::ec_p256 && signature->size() != 2 * kP256CoordinateBytes) {
    return not_jws;
  }
  // Several keys may share a kid (one per type, or during rotation).
  if (std::none_of(with_kid.begin(), with_kid.end(), [&](const PublicKey& key) {
        return key.type == type && signature_verifies(key, signing_input, *signature);
      })) {
    return refused("The token's signature is invalid", "Tokenets signatur er ugyldig");
  }

  auto claims = parse_object(*payload_text);
  if (!claims) return not_jws;
  SAMFLYT_CHECK(check_claims(*claims, expect));
  VerifiedToken token;
  token.subject = (*claims)["sub"].get<std::string>();
  token.key_id = kid;
  token.algorithm = alg;
  token.claims = std::move(*claims);
  return token;
}

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = sextet(c);
    if (value < 0) return std::nullopt;
    buffer = ((buffer << 6) | static_cast<std::uint32_t>(value)) & 0xFFFFFF;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // Leftover bits must be zero, so that each byte string has one encoding.
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string pkce_challenge_s256(std::string_view verifier) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(verifier.data(), verifier.size(), digest.data(), &length, EVP_sha256(), nullptr) !=
      1) {
    ERR_clear_error();
    return {};  // OpenSSL failure; an empty challenge is refused by any provider
  }
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

}  // namespace samflyt::auth
