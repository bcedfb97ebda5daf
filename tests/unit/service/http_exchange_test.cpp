// The message exchange over HTTP at the service level: the outbox handed
// to the HTTP transport with a fake peer (a peer that is down or answers
// 5xx keeps the message queued for the next round, and holds back only
// its own receiver's later messages), and who may post a message to us.
#include "../../support/fake_http_peer.hpp"
#include "../msg/msg_test_support.hpp"
#include "exchange_test_support.hpp"
#include "store/http_transport.hpp"

namespace samflyt::service::testing {
namespace {

using samflyt::testing::closed_port;
using samflyt::testing::FakeHttpPeer;

class HttpDispatch : public ::testing::Test {
 protected:
  void SetUp() override {
    site = std::make_unique<Site>(dir.path / "hospital.db", Side::hospital);
    site->seed();
  }

  std::string queue(msg::Message m) {
    return must(queue_message(site->ctx, site->nurse(), site->episode_id, m)).msg_id;
  }

  MessageStatus status_of(const std::string& msg_id) {
    return site->stored(MessageDirection::outgoing, msg_id).status;
  }

  TempDir dir;
  std::unique_ptr<Site> site;
};

TEST_F(HttpDispatch, APeerThatIsDownKeepsTheMessageQueuedAndItIsSentNextRound) {
  const std::string notice = queue(msg::testing::discharge_ready_message());
  const int port = closed_port();
  store::HttpTransport transport(
      {{{8200001, 8200017},
        "http://127.0.0.1:" + std::to_string(port) + "/api/v1/messages/inbox",
        "token"}});

  auto down = must(dispatch_outbox(site->ctx, transport));
  EXPECT_TRUE(down.sent.empty());
  ASSERT_EQ(down.failures.size(), 1u);
  EXPECT_EQ(down.failures[0].error.code, ErrorCode::unavailable);
  EXPECT_EQ(down.failures[0].message.msg_id, notice);
  EXPECT_EQ(status_of(notice), MessageStatus::queued);

  FakeHttpPeer peer(port);  // the peer is back, and busy at first
  peer.answer(503);
  auto busy = must(dispatch_outbox(site->ctx, transport));
  EXPECT_TRUE(busy.sent.empty());
  ASSERT_EQ(busy.failures.size(), 1u);
  EXPECT_EQ(status_of(notice), MessageStatus::queued);

  peer.answer(200);
  auto up = must(dispatch_outbox(site->ctx, transport));
  ASSERT_EQ(up.sent.size(), 1u);
  EXPECT_TRUE(up.failures.empty());
  EXPECT_EQ(status_of(notice), MessageStatus::sent);
  auto seen = peer.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].body, site->stored(MessageDirection::outgoing, notice).xml);
  EXPECT_TRUE(must(dispatch_outbox(site->ctx, transport)).sent.empty());  // sent once
}

TEST_F(HttpDispatch, OneReceiversTroubleHoldsBackOnlyItsOwnLaterMessages) {
  const std::string first = queue(msg::testing::discharge_ready_message());
  const std::string second = queue(msg::testing::discharged_message());
  auto elsewhere = msg::testing::discharge_report_message();
  elsewhere.envelope.receiver.her_id = 8300001;
  elsewhere.envelope.receiver.unit->her_id = 8300017;
  const std::string other = queue(elsewhere);

  FakeHttpPeer municipality, other_municipality;
  municipality.answer(401);  // our token there is wrong
  store::HttpTransport transport({{{8200017}, municipality.url(), "stale-token"},
                                  {{8300017}, other_municipality.url(), "token"}});
  auto r = must(dispatch_outbox(site->ctx, transport));
  ASSERT_EQ(r.sent.size(), 1u);
  EXPECT_EQ(r.sent[0].msg_id, other);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].message.msg_id, first);
  EXPECT_EQ(r.failures[0].error.code, ErrorCode::forbidden);
  EXPECT_EQ(municipality.requests().size(), 1u);  // the second was not tried after the first
  EXPECT_EQ(status_of(first), MessageStatus::queued);
  EXPECT_EQ(status_of(second), MessageStatus::queued);

  municipality.answer(200);  // the token is fixed: both go, in order
  auto next = must(dispatch_outbox(site->ctx, transport));
  ASSERT_EQ(next.sent.size(), 2u);
  EXPECT_EQ(next.sent[0].msg_id, first);
  EXPECT_EQ(next.sent[1].msg_id, second);
}

TEST_F(HttpDispatch, AReceiverWithoutAPeerStaysQueuedWithAClearReason) {
  const std::string notice = queue(msg::testing::discharge_ready_message());
  FakeHttpPeer peer;
  store::HttpTransport transport({{{8300017}, peer.url(), "token"}});
  auto r = must(dispatch_outbox(site->ctx, transport));
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].error.code, ErrorCode::not_found);
  EXPECT_NE(r.failures[0].error.message.find("8200017"), std::string::npos);
  EXPECT_EQ(status_of(notice), MessageStatus::queued);
  EXPECT_TRUE(peer.requests().empty());
}

// The municipality's side of the endpoint.
class PostedMessage : public ::testing::Test {
 protected:
  void SetUp() override {
    site = std::make_unique<Site>(dir.path / "municipality.db", Side::municipality);
    site->seed();
    xml = msg::write(msg::testing::discharge_ready_message());
  }

  Caller account(core::AccountKind kind, const std::string& role) const {
    return Caller{core::Principal{"peer-account",
                                  "",
                                  "Telemark Testsykehus (Samflyt)",
                                  kind,
                                  {core::RoleGrant{role, site->municipality.id, {}}}},
                  "request-1"};
  }

  TempDir dir;
  std::unique_ptr<Site> site;
  std::string xml;
};

TEST_F(PostedMessage, OnlyASystemAccountWithTheMessageExchangeRoleMayPost) {
  for (const auto& caller : {account(core::AccountKind::staff, "sykepleier"),
                             account(core::AccountKind::staff, "meldingsutveksling"),
                             account(core::AccountKind::family, "meldingsutveksling"),
                             account(core::AccountKind::system, "admin")}) {
    auto r = receive_posted_message(site->ctx, caller, xml);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::forbidden);
  }
  EXPECT_TRUE(site->with_status(MessageDirection::incoming, MessageStatus::accepted).empty());
  EXPECT_TRUE(site->with_status(MessageDirection::outgoing, MessageStatus::queued).empty());
}

TEST_F(PostedMessage, APostedMessageIsStoredAndAnsweredOnceLikeAReceivedFile) {
  const auto peer = account(core::AccountKind::system, "meldingsutveksling");
  auto first = must(receive_posted_message(site->ctx, peer, xml));
  EXPECT_FALSE(first.duplicate);
  EXPECT_EQ(first.message.status, MessageStatus::accepted);
  EXPECT_EQ(first.apprecs.size(), 1u);
  EXPECT_NE(first.message.source_name.find("Telemark Testsykehus (Samflyt)"), std::string::npos);
  auto again = must(receive_posted_message(site->ctx, peer, xml));
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.message.id, first.message.id);
  EXPECT_TRUE(again.apprecs.empty());
  EXPECT_EQ(site->with_status(MessageDirection::outgoing, MessageStatus::queued).size(), 1u);
}

}  // namespace
}  // namespace samflyt::service::testing
