// Unit tests for auth/oidc without a provider: which URLs may be fetched
// (https, or http only to loopback), and the settings checks at start-up.
// The flow itself is tested end to end in tests/integration/oidc_test.cpp.
#include <gtest/gtest.h>

#include <stdexcept>

#include "auth/oidc.hpp"

namespace samflyt::auth {
namespace {

TEST(OidcUrl, HttpsIsAllowedAndPlainHttpOnlyToLoopback) {
  EXPECT_TRUE(oidc_url_allowed("https://helseid-sts.nhn.no"));
  EXPECT_TRUE(oidc_url_allowed("https://helseid-sts.nhn.no/connect/token"));
  EXPECT_TRUE(oidc_url_allowed("HTTPS://HelseID-STS.nhn.no/"));
  EXPECT_TRUE(oidc_url_allowed("http://127.0.0.1:8081"));
  EXPECT_TRUE(oidc_url_allowed("http://[::1]:8081/jwks"));
  EXPECT_TRUE(oidc_url_allowed("http://localhost:8081/"));
  EXPECT_TRUE(oidc_url_allowed("http://LOCALHOST/"));

  EXPECT_FALSE(oidc_url_allowed("http://helseid-sts.nhn.no"));
  EXPECT_FALSE(oidc_url_allowed("http://127.0.0.2/"));
  EXPECT_FALSE(oidc_url_allowed("http://localhost.evil.example/"));
  EXPECT_FALSE(oidc_url_allowed("http://127.0.0.1.evil.example/"));
  EXPECT_FALSE(oidc_url_allowed("ftp://127.0.0.1/"));
  EXPECT_FALSE(oidc_url_allowed("file:///etc/passwd"));
  EXPECT_FALSE(oidc_url_allowed("https://user:secret@helseid-sts.nhn.no/"));
  EXPECT_FALSE(oidc_url_allowed("helseid-sts.nhn.no"));
  EXPECT_FALSE(oidc_url_allowed(""));
}

OidcSettings good() {
  return {"https://helseid-sts.nhn.no", "samflyt", "secret",
          "https://samflyt.example/auth/oidc/callback", "openid profile"};
}

TEST(OidcClient, UsableSettingsAreAccepted) {
  EXPECT_NO_THROW(OidcClient{good()});
  auto s = good();
  s.client_secret.clear();  // a public client
  EXPECT_NO_THROW(OidcClient{s});
}

TEST(OidcClient, UnusableSettingsAreRefusedAtStart) {
  auto s = good();
  s.issuer = "http://helseid-sts.nhn.no";
  EXPECT_THROW(OidcClient{s}, std::invalid_argument);
  s = good();
  s.issuer = "https://helseid-sts.nhn.no/?tenant=x";
  EXPECT_THROW(OidcClient{s}, std::invalid_argument);
  s = good();
  s.client_id.clear();
  EXPECT_THROW(OidcClient{s}, std::invalid_argument);
  s = good();
  s.redirect_uri = "/auth/oidc/callback";
  EXPECT_THROW(OidcClient{s}, std::invalid_argument);
  s = good();
  s.redirect_uri = "http://samflyt.example/auth/oidc/callback";
  EXPECT_THROW(OidcClient{s}, std::invalid_argument);
  s = good();
  s.scopes = "profile openidx";
  EXPECT_THROW(OidcClient{s}, std::invalid_argument);
}

TEST(OidcClient, AnUnreachableProviderIsUnavailableNotAnException) {
  // Port 9 (discard) on loopback: nothing listens there in the test environment.
  OidcClient client({"http://127.0.0.1:9", "samflyt", "secret",
                     "http://127.0.0.1:8080/auth/oidc/callback", "openid"});
  auto url = client.authorization_url("state", "nonce", "verifier-verifier-verifier-verifier-1234");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().code, ErrorCode::unavailable);
  auto subject = client.redeem("code", "verifier", "nonce", service::Instant{});
  ASSERT_FALSE(subject);
  EXPECT_EQ(subject.error().code, ErrorCode::unavailable);
}

}  // namespace
}  // namespace samflyt::auth
