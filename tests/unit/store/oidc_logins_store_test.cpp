// Contract tests of the pending OpenID Connect logins (migration 0004) on a
// fresh database file: a pending login is taken once, unknown states find
// nothing, a rolled-back take leaves it in place, and purging removes only
// the old ones.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "store/sqlite_store.hpp"
#include "store/system_env.hpp"
#include "store_test_support.hpp"

namespace samflyt::store {
namespace {

using service::PendingOidcLogin;
using service::Transaction;
using service::TxMode;

using testing::at;
using testing::must;

core::Instant at_seconds(std::int64_t s) {
  return core::Instant(std::chrono::seconds(s));
}

class OidcLoginStore : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("samflyt-oidc-store-test-" + ids_.new_id() + ".db"))
                .string();
    db_ = std::make_unique<SqliteDatabase>(path_);
  }
  void TearDown() override {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::unique_ptr<Transaction> begin() { return must(db_->begin(TxMode::write)); }

  void insert(const PendingOidcLogin& p) {
    auto tx = begin();
    must(tx->oidc_logins().insert(p));
    must(tx->commit());
  }
  std::optional<PendingOidcLogin> take(const std::string& digest) {
    auto tx = begin();
    auto taken = must(tx->oidc_logins().take(digest));
    must(tx->commit());
    return taken;
  }

  RandomIds ids_;
  std::string path_;
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(OidcLoginStore, APendingLoginIsTakenOnlyOnce) {
  insert({"digest-1", "nonce-1", "verifier-1", "/episodes", at_seconds(1'800'000'000)});
  auto taken = take("digest-1");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->state_digest, "digest-1");
  EXPECT_EQ(taken->nonce, "nonce-1");
  EXPECT_EQ(taken->code_verifier, "verifier-1");
  EXPECT_EQ(taken->return_to, "/episodes");
  EXPECT_EQ(taken->created_at, at_seconds(1'800'000'000));
  EXPECT_FALSE(take("digest-1"));
  EXPECT_FALSE(take("no-such-digest"));
}

TEST_F(OidcLoginStore, ATakeThatIsRolledBackLeavesTheLoginPending) {
  insert({"digest-1", "nonce-1", "verifier-1", "/", at_seconds(1'800'000'000)});
  {
    auto tx = begin();
    EXPECT_TRUE(must(tx->oidc_logins().take("digest-1")));
  }  // no commit: rolled back
  EXPECT_TRUE(take("digest-1"));
}

TEST_F(OidcLoginStore, AKnownStateDigestIsAConflict) {
  insert({"digest-1", "nonce-1", "verifier-1", "/", at_seconds(1'800'000'000)});
  auto tx = begin();
  auto again = tx->oidc_logins().insert({"digest-1", "n", "v", "/", at_seconds(1'800'000'001)});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
}

TEST_F(OidcLoginStore, PurgingRemovesOnlyLoginsStartedBeforeTheTime) {
  insert({"old", "n", "v", "/", at_seconds(1'800'000'000)});
  insert({"edge", "n", "v", "/", at_seconds(1'800'000'600)});
  insert({"new", "n", "v", "/", at_seconds(1'800'000'601)});
  {
    auto tx = begin();
    must(tx->oidc_logins().purge_before(at_seconds(1'800'000'600)));
    must(tx->commit());
  }
  EXPECT_FALSE(take("old"));
  EXPECT_TRUE(take("edge"));
  EXPECT_TRUE(take("new"));
}

}  // namespace
}  // namespace samflyt::store
