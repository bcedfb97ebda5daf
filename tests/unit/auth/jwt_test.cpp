// Unit tests for auth/jwt: JWKS parsing, RS256/ES256 token verification with
// keys generated here, a catalogue of tampered and invalid tokens, base64url
// and PKCE.
#include "auth/jwt.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace samflyt {
// Readable failure output for ErrorCode.
void PrintTo(ErrorCode code, std::ostream* os) {
  static constexpr const char* kNames[] = {
      "invalid_input", "not_found",         "conflict",    "precondition_required",
      "forbidden",     "payload_too_large", "unavailable", "internal"};
  *os << kNames[static_cast<int>(code)];
}
}  // namespace samflyt

namespace samflyt::auth {
namespace {

using nlohmann::json;

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

constexpr std::int64_t kNow = 1'700'000'000;
const std::string kIssuer = "https://helseid-sts.test.nhn.no";
const std::string kAudience = "samflyt-client";
const std::string kNonce = "n-0S6_WzA2Mj";
const std::string kSubject = "subject-7f3a9c";

// ---- Key generation, JWK export and signing (test-side only) ----

PkeyPtr generate_rsa(std::size_t bits) {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits));
  if (!key) throw std::runtime_error("RSA key generation failed");
  return key;
}

PkeyPtr generate_ec_p256() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) throw std::runtime_error("EC key generation failed");
  return key;
}

std::string text_of(const unsigned char* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A BIGNUM parameter as big-endian bytes, left-padded to `width` if given.
std::string bn_param(const EVP_PKEY* key, const char* name, int width = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) throw std::runtime_error("no such parameter");
  BnPtr bn(raw);
  const int size = width > 0 ? width : BN_num_bytes(bn.get());
  std::vector<unsigned char> out(static_cast<std::size_t>(size));
  if (BN_bn2binpad(bn.get(), out.data(), size) != size) throw std::runtime_error("BN_bn2binpad");
  return text_of(out.data(), out.size());
}

json rsa_jwk(const EVP_PKEY* key, const std::string& kid) {
  return {{"kty", "RSA"},
          {"kid", kid},
          {"use", "sig"},
          {"alg", "RS256"},
          {"n", base64url_encode(bn_param(key, OSSL_PKEY_PARAM_RSA_N))},
          {"e", base64url_encode(bn_param(key, OSSL_PKEY_PARAM_RSA_E))}};
}

json ec_jwk(const EVP_PKEY* key, const std::string& kid) {
  return {{"kty", "EC"},
          {"kid", kid},
          {"use", "sig"},
          {"crv", "P-256"},
          {"x", base64url_encode(bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, 32))},
          {"y", base64url_encode(bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
}

// SHA-256 signature as OpenSSL makes it (PKCS#1 v1.5 for RSA, DER for EC).
std::string sign_native(EVP_PKEY* key, std::string_view input) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size()) != 1) {
    throw std::runtime_error("signing failed");
  }
  std::vector<unsigned char> out(length);
  if (EVP_DigestSign(ctx.get(), out.data(), &length, data, input.size()) != 1) {
    throw std::runtime_error("signing failed");
  }
  return text_of(out.data(), length);
}

// DER ECDSA signature to the JWS form R||S.
std::string der_to_raw(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) throw std::runtime_error("bad DER signature");
  std::vector<unsigned char> out(64);
  BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out.data(), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out.data() + 32, 32);
  return text_of(out.data(), out.size());
}

std::string sign_jws(EVP_PKEY* key, std::string_view input) {
  std::string signature = sign_native(key, input);
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_EC ? der_to_raw(signature) : signature;
}

std::string hmac_sha256(std::string_view secret, std::string_view input) {
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                 reinterpret_cast<const unsigned char*>(input.data()), input.size(), out,
                 sizeof out, &length)) {
    throw std::runtime_error("HMAC failed");
  }
  return text_of(out, length);
}

std::string public_key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) throw std::runtime_error("PEM failed");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::string public_key_der(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  if (length <= 0) throw std::runtime_error("DER failed");
  std::string out = text_of(der, static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

struct TestKeys {
  PkeyPtr rsa = generate_rsa(2048);
  PkeyPtr ec = generate_ec_p256();
  PkeyPtr other_rsa = generate_rsa(2048);  // not in the set, for forgeries
  PkeyPtr other_ec = generate_ec_p256();   // not in the set, for forgeries
};

const TestKeys& test_keys() {
  static const TestKeys keys;  // key generation is slow; do it once
  return keys;
}

std::string provider_jwks() {
  const TestKeys& keys = test_keys();
  return json{{"keys", {rsa_jwk(keys.rsa.get(), "rsa-1"), ec_jwk(keys.ec.get(), "ec-1")}}}.dump();
}

// ---- Token building ----

std::string join(std::string_view header, std::string_view payload) {
  return base64url_encode(header) + "." + base64url_encode(payload);
}

std::string assemble(std::string_view header, std::string_view payload,
                     std::string_view signature) {
  return join(header, payload) + "." + base64url_encode(signature);
}

// Signs exact header and payload text with `key`.
std::string sign_texts(const std::string& header, const std::string& payload, EVP_PKEY* key) {
  const std::string input = join(header, payload);
  return input + "." + base64url_encode(sign_jws(key, input));
}

std::string sign_token(const json& header, const json& claims, EVP_PKEY* key) {
  return sign_texts(header.dump(), claims.dump(), key);
}

json header_for(const std::string& alg, const std::string& kid) {
  return {{"alg", alg}, {"kid", kid}, {"typ", "JWT"}};
}

json valid_claims() {
  return {{"iss", kIssuer},   {"sub", kSubject},  {"aud", kAudience}, {"exp", kNow + 300},
          {"nbf", kNow - 10}, {"iat", kNow - 10}, {"nonce", kNonce},  {"auth_time", kNow - 20}};
}

std::string rs256(const json& claims) {
  return sign_token(header_for("RS256", "rsa-1"), claims, test_keys().rsa.get());
}
std::string es256(const json& claims) {
  return sign_token(header_for("ES256", "ec-1"), claims, test_keys().ec.get());
}

TokenExpectations expectations() {
  TokenExpectations e;
  e.issuer = kIssuer;
  e.audience = kAudience;
  e.nonce = kNonce;
  e.now = kNow;
  e.leeway_seconds = 60;
  return e;
}

std::vector<std::string> split(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
    parts.push_back(token.substr(start, dot - start));
  }
  parts.push_back(token.substr(start));
  return parts;
}

// Decodes segment `index`, applies `change` to its bytes and re-encodes it.
template <typename Change>
std::string edit_segment(const std::string& token, std::size_t index, Change change) {
  std::vector<std::string> parts = split(token);
  std::string bytes = base64url_decode(parts.at(index)).value();
  change(bytes);
  parts.at(index) = base64url_encode(bytes);
  return parts[0] + "." + parts[1] + "." + parts[2];
}

JwkSet provider_set() {
  return JwkSet::parse(provider_jwks()).value();
}

// Verifies against the provider's set; nullopt when accepted, else the error
// code. Also checks that rejections explain themselves without echoing the
// token.
std::optional<ErrorCode> rejection(const std::string& token,
                                   const TokenExpectations& expect = expectations()) {
  auto result = verify_jwt(token, provider_set(), expect);
  if (result) return std::nullopt;
  const Error& error = result.error();
  for (const std::string* message : {&error.message, &error.message_nb}) {
    EXPECT_FALSE(message->empty());
    for (const std::string& secret : {kSubject, kIssuer, kNonce, kAudience}) {
      EXPECT_EQ(message->find(secret), std::string::npos) << *message;
    }
  }
  return error.code;
}

constexpr auto kForbidden = ErrorCode::forbidden;
constexpr auto kInvalid = ErrorCode::invalid_input;

// ---- Valid tokens ----

TEST(JwtVerify, AcceptsValidRs256Token) {
  auto result = verify_jwt(rs256(valid_claims()), provider_set(), expectations());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->subject, kSubject);
  EXPECT_EQ(result->key_id, "rsa-1");
  EXPECT_EQ(result->algorithm, "RS256");
  EXPECT_EQ(result->claims.at("auth_time"), kNow - 20);
}

TEST(JwtVerify, AcceptsValidEs256Token) {
  auto result = verify_jwt(es256(valid_claims()), provider_set(), expectations());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->subject, kSubject);
  EXPECT_EQ(result->key_id, "ec-1");
  EXPECT_EQ(result->algorithm, "ES256");
  EXPECT_EQ(result->claims, valid_claims());
}

TEST(JwtVerify, AcceptsAudienceArrayWithMatchingAzp) {
  json claims = valid_claims();
  claims["aud"] = json::array({"other-api", kAudience});
  claims["azp"] = kAudience;
  EXPECT_EQ(rejection(rs256(claims)), std::nullopt);
}

TEST(JwtVerify, AcceptsSingleElementAudienceArrayWithoutAzp) {
  json claims = valid_claims();
  claims["aud"] = json::array({kAudience});
  EXPECT_EQ(rejection(rs256(claims)), std::nullopt);
}

TEST(JwtVerify, AcceptsTimesJustWithinLeeway) {
  json claims = valid_claims();
  claims["exp"] = kNow - 59;
  claims["nbf"] = kNow + 60;
  claims["iat"] = kNow + 60;
  EXPECT_EQ(rejection(es256(claims)), std::nullopt);
}

TEST(JwtVerify, AcceptsFractionalNumericDates) {
  json claims = valid_claims();
  claims["exp"] = static_cast<double>(kNow) + 300.5;
  claims["iat"] = static_cast<double>(kNow) - 0.25;
  EXPECT_EQ(rejection(rs256(claims)), std::nullopt);
}

TEST(JwtVerify, AcceptsMissingNonceWhenNoneExpected) {
  json claims = valid_claims();
  claims.erase("nonce");
  TokenExpectations expect = expectations();
  expect.nonce.reset();
  EXPECT_EQ(rejection(rs256(claims), expect), std::nullopt);
}

TEST(JwtVerify, AcceptsTokenJustUnderSizeLimit) {
  json claims = valid_claims();
  claims["padding"] = std::string(11'500, 'x');
  const std::string token = rs256(claims);
  ASSERT_LE(token.size(), 16u * 1024u);
  EXPECT_EQ(rejection(token), std::nullopt);
}

// ---- Signature tampering and forgery ----

TEST(JwtVerify, RejectsFlippedSignatureByteRs256) {
  const std::string token =
      edit_segment(rs256(valid_claims()), 2, [](std::string& b) { b[b.size() / 2] ^= 0x01; });
  EXPECT_EQ(rejection(token), kForbidden);
}

TEST(JwtVerify, RejectsFlippedSignatureByteEs256) {
  const std::string token =
      edit_segment(es256(valid_claims()), 2, [](std::string& b) { b[10] ^= 0x01; });
  EXPECT_EQ(rejection(token), kForbidden);
}

TEST(JwtVerify, RejectsFlippedPayloadByte) {
  const std::string token = edit_segment(rs256(valid_claims()), 1, [](std::string& b) {
    b[b.find(kSubject)] ^= 0x01;  // still valid JSON, another subject
  });
  EXPECT_EQ(rejection(token), kForbidden);
}

TEST(JwtVerify, RejectsFlippedHeaderByte) {
  const std::string token = edit_segment(es256(valid_claims()), 0, [](std::string& b) {
    b[b.find("JWT")] ^= 0x01;  // "typ" changes; the JSON stays valid
  });
  EXPECT_EQ(rejection(token), kForbidden);
}

TEST(JwtVerify, RejectsTokenSignedWithAnotherRsaKeyUnderKnownKid) {
  const std::string token =
      sign_token(header_for("RS256", "rsa-1"), valid_claims(), test_keys().other_rsa.get());
  EXPECT_EQ(rejection(token), kForbidden);
}

TEST(JwtVerify, RejectsTokenSignedWithAnotherEcKeyUnderKnownKid) {
  const std::string token =
      sign_token(header_for("ES256", "ec-1"), valid_claims(), test_keys().other_ec.get());
  EXPECT_EQ(rejection(token), kForbidden);
}

TEST(JwtVerify, RejectsSignatureMovedToOtherPayload) {
  const std::vector<std::string> original = split(rs256(valid_claims()));
  json claims = valid_claims();
  claims["sub"] = "someone-else";
  const std::vector<std::string> forged = split(rs256(claims));
  EXPECT_EQ(rejection(forged[0] + "." + forged[1] + "." + original[2]), kForbidden);
}

// ---- Algorithm confusion ----

TEST(JwtVerify, RejectsAlgNoneWithEmptySignature) {
  const std::string token = assemble(R"({"alg":"none","kid":"rsa-1"})", valid_claims().dump(), "");
  EXPECT_EQ(rejection(token), kForbidden);
}

TEST(JwtVerify, RejectsAlgNoneWithoutSignatureSegment) {
  const std::string token = join(R"({"alg":"none","kid":"rsa-1"})", valid_claims().dump());
  EXPECT_EQ(rejection(token), kInvalid);
}

TEST(JwtVerify, RejectsAlgNoneCarryingAValidRs256Signature) {
  const std::vector<std::string> valid = split(rs256(valid_claims()));
  const std::string token =
      base64url_encode(R"({"alg":"none","kid":"rsa-1"})") + "." + valid[1] + "." + valid[2];
  EXPECT_EQ(rejection(token), kForbidden);
}

TEST(JwtVerify, RejectsHs256KeyedWithRsaPublicKeyPem) {
  const std::string header = header_for("HS256", "rsa-1").dump();
  const std::string payload = valid_claims().dump();
  const std::string secret = public_key_pem(test_keys().rsa.get());
  const std::string token = assemble(header, payload, hmac_sha256(secret, join(header, payload)));
  EXPECT_EQ(rejection(token), kForbidden);
}

TEST(JwtVerify, RejectsHs256KeyedWithRsaPublicKeyDer) {
  const std::string header = header_for("HS256", "rsa-1").dump();
  const std::string payload = valid_claims().dump();
  const std::string secret = public_key_der(test_keys().rsa.get());
  const std::string token = assemble(header, payload, hmac_sha256(secret, join(header, payload)));
  EXPECT_EQ(rejection(token), kForbidden);
}

TEST(JwtVerify, RejectsOtherAlgorithmsEvenWithValidRsaSignature) {
  for (const char* alg :
       {"HS256", "HS384", "HS512", "PS256", "RS384", "RS512", "ES384", "rs256", "RS256 ", ""}) {
    SCOPED_TRACE(alg);
    EXPECT_EQ(
        rejection(sign_token(header_for(alg, "rsa-1"), valid_claims(), test_keys().rsa.get())),
        kForbidden);
  }
}

TEST(JwtVerify, RejectsOtherAlgorithmsEvenWithValidEcSignature) {
  for (const char* alg : {"HS256", "ES384", "ES512", "ES256K", "EdDSA", "none"}) {
    SCOPED_TRACE(alg);
    EXPECT_EQ(rejection(sign_token(header_for(alg, "ec-1"), valid_claims(), test_keys().ec.get())),
              kForbidden);
  }
}

TEST(JwtVerify, RejectsMissingOrNonStringAlg) {
  EXPECT_EQ(rejection(sign_token({{"kid", "rsa-1"}}, valid_claims(), test_keys().rsa.get())),
            kInvalid);
  EXPECT_EQ(rejection(sign_token({{"alg", json::array({"RS256"})}, {"kid", "rsa-1"}},
                                 valid_claims(), test_keys().rsa.get())),
            kInvalid);
}

TEST(JwtVerify, RejectsEs256HeaderOnRsaKid) {
  // Signed with the EC key, so only the kid/alg pairing is wrong.
  EXPECT_EQ(
      rejection(sign_token(header_for("ES256", "rsa-1"), valid_claims(), test_keys().ec.get())),
      kForbidden);
  // Refused for the pairing, before the signature's form is looked at.
  EXPECT_EQ(
      rejection(sign_token(header_for("ES256", "rsa-1"), valid_claims(), test_keys().rsa.get())),
      kForbidden);
}

TEST(JwtVerify, RejectsRs256HeaderOnEcKid) {
  const std::string token =
      sign_token(header_for("RS256", "ec-1"), valid_claims(), test_keys().rsa.get());
  EXPECT_EQ(rejection(token), kForbidden);
}

TEST(JwtVerify, RejectsEs256SignatureOfWrongLength) {
  const std::string header = header_for("ES256", "ec-1").dump();
  const std::string payload = valid_claims().dump();
  const std::string input = join(header, payload);
  const std::string raw = sign_jws(test_keys().ec.get(), input);
  ASSERT_EQ(raw.size(), 64u);
  EXPECT_EQ(rejection(input + "." + base64url_encode(raw.substr(0, 63))), kInvalid);
  EXPECT_EQ(rejection(input + "." + base64url_encode(raw + '\0')), kInvalid);
  EXPECT_EQ(rejection(input + "." + base64url_encode(std::string(1, '\0') + raw)), kInvalid);
  // The DER form OpenSSL produces is not the JWS form.
  EXPECT_EQ(rejection(input + "." + base64url_encode(sign_native(test_keys().ec.get(), input))),
            kInvalid);
  EXPECT_EQ(rejection(input + "." + base64url_encode(raw)), std::nullopt);  // control
}

TEST(JwtVerify, RejectsCritHeader) {
  json header = header_for("RS256", "rsa-1");
  header["crit"] = json::array({"exp"});
  EXPECT_EQ(rejection(sign_token(header, valid_claims(), test_keys().rsa.get())), kForbidden);
}

// ---- Key identification ----

TEST(JwtVerify, RejectsUnknownKid) {
  EXPECT_EQ(
      rejection(sign_token(header_for("RS256", "rsa-2"), valid_claims(), test_keys().rsa.get())),
      kForbidden);
}

TEST(JwtVerify, RejectsMissingKid) {
  EXPECT_EQ(rejection(sign_token({{"alg", "RS256"}, {"typ", "JWT"}}, valid_claims(),
                                 test_keys().rsa.get())),
            kForbidden);
}

TEST(JwtVerify, IgnoresKeyEmbeddedInHeader) {
  // An attacker's own key in "jwk" must not be used.
  json header = header_for("RS256", "attacker");
  header["jwk"] = rsa_jwk(test_keys().other_rsa.get(), "attacker");
  EXPECT_EQ(rejection(sign_token(header, valid_claims(), test_keys().other_rsa.get())), kForbidden);
}

// ---- Claims ----

TEST(JwtVerify, RejectsWrongIssuer) {
  for (const std::string& issuer :
       {kIssuer + "/", std::string("https://evil.example"), std::string()}) {
    json claims = valid_claims();
    claims["iss"] = issuer;
    EXPECT_EQ(rejection(rs256(claims)), kForbidden) << issuer;
  }
  json claims = valid_claims();
  claims.erase("iss");
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsWrongAudience) {
  json claims = valid_claims();
  claims["aud"] = "another-client";
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
  claims["aud"] = json::array({"another-client", "a-third"});
  claims["azp"] = kAudience;
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
  claims.erase("aud");
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsAudienceArrayWithoutAzp) {
  json claims = valid_claims();
  claims["aud"] = json::array({kAudience, "other-api"});
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsAudienceArrayWithOtherAzp) {
  json claims = valid_claims();
  claims["aud"] = json::array({kAudience, "other-api"});
  claims["azp"] = "other-api";
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsEmptyAudienceArray) {
  json claims = valid_claims();
  claims["aud"] = json::array();
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsExpiredToken) {
  json claims = valid_claims();
  claims["exp"] = kNow - 3600;
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsTokenExpiredJustBeyondLeeway) {
  json claims = valid_claims();
  claims["exp"] = kNow - 60;  // now == exp + leeway
  EXPECT_EQ(rejection(es256(claims)), kForbidden);
  TokenExpectations strict = expectations();
  strict.leeway_seconds = 0;
  claims["exp"] = kNow;
  EXPECT_EQ(rejection(es256(claims), strict), kForbidden);
}

TEST(JwtVerify, RejectsNotBeforeInFuture) {
  json claims = valid_claims();
  claims["nbf"] = kNow + 61;
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsIssuedAtFarInFuture) {
  json claims = valid_claims();
  claims["iat"] = kNow + 3600;
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsWrongNonce) {
  json claims = valid_claims();
  claims["nonce"] = "replayed-nonce";
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsMissingNonceWhenExpected) {
  json claims = valid_claims();
  claims.erase("nonce");
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsMissingOrEmptySub) {
  json claims = valid_claims();
  claims.erase("sub");
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
  claims["sub"] = "";
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsMissingExp) {
  json claims = valid_claims();
  claims.erase("exp");
  EXPECT_EQ(rejection(rs256(claims)), kForbidden);
}

TEST(JwtVerify, RejectsExpAsString) {
  json claims = valid_claims();
  claims["exp"] = std::to_string(kNow + 300);
  EXPECT_EQ(rejection(rs256(claims)), kInvalid);
}

TEST(JwtVerify, RejectsNonNumericTimesAndNonStringClaims) {
  for (const char* name : {"nbf", "iat"}) {
    json claims = valid_claims();
    claims[name] = true;
    EXPECT_EQ(rejection(rs256(claims)), kInvalid) << name;
  }
  for (const char* name : {"iss", "sub", "nonce", "azp"}) {
    json claims = valid_claims();
    claims[name] = 42;
    EXPECT_EQ(rejection(rs256(claims)), kInvalid) << name;
  }
  json claims = valid_claims();
  claims["aud"] = json::array({kAudience, 7});
  EXPECT_EQ(rejection(rs256(claims)), kInvalid);
}

TEST(JwtVerify, RejectsEmptyExpectationsAsMisconfiguration) {
  TokenExpectations expect = expectations();
  expect.audience.clear();
  EXPECT_EQ(rejection(rs256(valid_claims()), expect), ErrorCode::internal);
  expect = expectations();
  expect.issuer.clear();
  EXPECT_EQ(rejection(rs256(valid_claims()), expect), ErrorCode::internal);
}

// ---- Structure and encoding ----

TEST(JwtVerify, RejectsTwoParts) {
  const std::vector<std::string> parts = split(rs256(valid_claims()));
  EXPECT_EQ(rejection(parts[0] + "." + parts[1]), kInvalid);
}

TEST(JwtVerify, RejectsFourParts) {
  EXPECT_EQ(rejection(rs256(valid_claims()) + "."), kInvalid);
  EXPECT_EQ(rejection(rs256(valid_claims()) + ".AAAA"), kInvalid);
}

TEST(JwtVerify, RejectsEmptyToken) {
  EXPECT_EQ(rejection(""), kInvalid);
  EXPECT_EQ(rejection(".."), kInvalid);
}

TEST(JwtVerify, RejectsNonBase64urlCharacters) {
  const std::string token = rs256(valid_claims());
  const std::size_t in_payload = token.find('.') + 5;
  for (char bad : {'+', '/', '=', ' ', '\n', '%'}) {
    std::string tampered = token;
    tampered[in_payload] = bad;
    EXPECT_EQ(rejection(tampered), kInvalid) << static_cast<int>(bad);
  }
  EXPECT_EQ(rejection(token + "=="), kInvalid);  // padding on the signature
}

TEST(JwtVerify, RejectsHeaderThatIsNotJson) {
  EXPECT_EQ(
      rejection(sign_texts("alg=RS256;kid=rsa-1", valid_claims().dump(), test_keys().rsa.get())),
      kInvalid);
  EXPECT_EQ(
      rejection(sign_texts(R"(["RS256","rsa-1"])", valid_claims().dump(), test_keys().rsa.get())),
      kInvalid);
}

TEST(JwtVerify, RejectsPayloadJsonArray) {
  const std::string header = header_for("RS256", "rsa-1").dump();
  EXPECT_EQ(rejection(sign_texts(header, R"(["sub","exp"])", test_keys().rsa.get())), kInvalid);
  EXPECT_EQ(rejection(sign_texts(header, "not json", test_keys().rsa.get())), kInvalid);
}

TEST(JwtVerify, RejectsDuplicateMemberNames) {
  EXPECT_EQ(rejection(sign_texts(R"({"alg":"RS256","kid":"rsa-1","alg":"RS256"})",
                                 valid_claims().dump(), test_keys().rsa.get())),
            kInvalid);
  std::string payload = valid_claims().dump();
  payload.insert(1, R"("sub":"someone-else",)");
  EXPECT_EQ(
      rejection(sign_texts(header_for("RS256", "rsa-1").dump(), payload, test_keys().rsa.get())),
      kInvalid);
}

TEST(JwtVerify, RejectsTokenOver16KiB) {
  json claims = valid_claims();
  claims["padding"] = std::string(13'000, 'x');
  const std::string token = rs256(claims);
  ASSERT_GT(token.size(), 16u * 1024u);
  EXPECT_EQ(rejection(token), kInvalid);
}

// ---- Key sets ----

TEST(JwkSetParse, AcceptsRsaAndEcKeys) {
  auto set = JwkSet::parse(provider_jwks());
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->size(), 2u);
}

TEST(JwkSetParse, SkipsUnusableKeys) {
  const TestKeys& keys = test_keys();
  json no_kid = rsa_jwk(keys.other_rsa.get(), "x");
  no_kid.erase("kid");
  json encryption = rsa_jwk(keys.other_rsa.get(), "enc-1");
  encryption["use"] = "enc";
  json rs512 = rsa_jwk(keys.rsa.get(), "rs512-1");
  rs512["alg"] = "RS512";
  json p384 = ec_jwk(keys.ec.get(), "p384-1");
  p384["crv"] = "P-384";
  json okp = {{"kty", "OKP"}, {"kid", "ed-1"}, {"crv", "Ed25519"}, {"x", "AAAA"}};
  json oct = {{"kty", "oct"}, {"kid", "hmac-1"}, {"k", "c2VjcmV0"}};
  const json jwks = {
      {"keys", {no_kid, encryption, rs512, p384, okp, oct, ec_jwk(keys.ec.get(), "ec-1")}}};
  auto set = JwkSet::parse(jwks.dump());
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->size(), 1u);
  // The skipped RS512-only key never verifies RS256.
  auto result =
      verify_jwt(sign_token(header_for("RS256", "rs512-1"), valid_claims(), keys.rsa.get()), *set,
                 expectations());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, kForbidden);
  EXPECT_TRUE(verify_jwt(es256(valid_claims()), *set, expectations()).ok());
}

TEST(JwkSetParse, RejectsRsa1024Key) {
  PkeyPtr weak = generate_rsa(1024);
  auto alone = JwkSet::parse(json{{"keys", {rsa_jwk(weak.get(), "weak")}}}.dump());
  ASSERT_FALSE(alone.ok());
  EXPECT_EQ(alone.error().code, kInvalid);
  auto mixed = JwkSet::parse(
      json{{"keys", {rsa_jwk(test_keys().rsa.get(), "rsa-1"), rsa_jwk(weak.get(), "weak")}}}
          .dump());
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.error().code, kInvalid);
}

TEST(JwkSetParse, RejectsSetWithNoUsableKeys) {
  for (const char* text : {
           R"({"keys":[]})",
           R"({"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0"}]})",
           R"({"keys":[{"kty":"OKP","kid":"e","crv":"Ed25519","x":"AAAA"}]})",
       }) {
    auto set = JwkSet::parse(text);
    ASSERT_FALSE(set.ok()) << text;
    EXPECT_EQ(set.error().code, kInvalid);
  }
}

TEST(JwkSetParse, RejectsMalformedSets) {
  json bad_n = rsa_jwk(test_keys().rsa.get(), "rsa-1");
  bad_n["n"] = "AQAB+";
  json off_curve = ec_jwk(test_keys().ec.get(), "ec-1");
  std::string y = base64url_decode(off_curve["y"].get<std::string>()).value();
  y[31] ^= 0x01;
  off_curve["y"] = base64url_encode(y);
  json short_x = ec_jwk(test_keys().ec.get(), "ec-1");
  short_x["x"] = base64url_encode(std::string(31, '\x01'));
  for (const std::string& text : {
           std::string("not json"),
           std::string("[]"),
           std::string(R"({"keys":{}})"),
           std::string(R"({"keys":["RSA"]})"),
           json{{"keys", {bad_n}}}.dump(),
           json{{"keys", {off_curve}}}.dump(),
           json{{"keys", {short_x}}}.dump(),
       }) {
    auto set = JwkSet::parse(text);
    ASSERT_FALSE(set.ok()) << text;
    EXPECT_EQ(set.error().code, kInvalid) << text;
  }
}

TEST(JwkSetParse, CopyOutlivesOriginalAndVerifies) {
  std::optional<JwkSet> copy;
  {
    const JwkSet original = provider_set();
    copy.emplace(original);
  }
  EXPECT_EQ(copy->size(), 2u);
  EXPECT_TRUE(verify_jwt(rs256(valid_claims()), *copy, expectations()).ok());
  EXPECT_TRUE(verify_jwt(es256(valid_claims()), *copy, expectations()).ok());
}

TEST(JwkSetParse, VerifiesWithEitherKeyDuringRotationUnderOneKid) {
  const TestKeys& keys = test_keys();
  const json jwks = {
      {"keys", {rsa_jwk(keys.other_rsa.get(), "rsa-1"), rsa_jwk(keys.rsa.get(), "rsa-1")}}};
  auto set = JwkSet::parse(jwks.dump());
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(verify_jwt(rs256(valid_claims()), *set, expectations()).ok());
}

// ---- base64url and PKCE ----

TEST(Base64url, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64url, DecodesRfc4648Vectors) {
  EXPECT_EQ(base64url_decode(""), "");
  EXPECT_EQ(base64url_decode("Zg"), "f");
  EXPECT_EQ(base64url_decode("Zm8"), "fo");
  EXPECT_EQ(base64url_decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(base64url_decode("-_8"), "\xfb\xff");
}

TEST(Base64url, RejectsPaddingAndForeignCharacters) {
  for (const char* text : {"Zg==", "Zm8=", "Zm+v", "Zm/v", "Zm9 v", "Zm9v\n", "Z", "Zm9vY"}) {
    EXPECT_EQ(base64url_decode(text), std::nullopt) << text;
  }
  EXPECT_EQ(base64url_decode(std::string_view("Zm\0v", 4)), std::nullopt);
}

TEST(Base64url, RejectsNonZeroTrailingBits) {
  EXPECT_EQ(base64url_decode("Zh"), std::nullopt);   // "Zg" is canonical
  EXPECT_EQ(base64url_decode("Zm9"), std::nullopt);  // "Zm8" is canonical
}

TEST(Base64url, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t length = 0; length <= all.size(); length += 37) {
    const std::string bytes = all.substr(0, length);
    EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
  }
}

TEST(Pkce, MatchesRfc7636AppendixB) {
  // The RFC's 32 random octets, their base64url verifier and its challenge.
  const unsigned char octets[] = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                                  125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                                  191, 240, 91,  88,  5,   88,  83,  132, 141, 121};
  const std::string verifier = base64url_encode(text_of(octets, sizeof octets));
  EXPECT_EQ(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  EXPECT_EQ(pkce_challenge_s256(verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

}  // namespace
}  // namespace samflyt::auth
