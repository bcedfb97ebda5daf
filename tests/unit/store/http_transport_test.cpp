// The HTTP message transport against a fake peer on loopback: what it
// posts, how it routes by HER-id, and what each kind of answer (or none)
// becomes. The whole exchange between two real servers is in
// tests/integration/http_exchange_test.cpp.
#include "store/http_transport.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "../../support/fake_http_peer.hpp"
#include "store/file_drop_transport.hpp"
#include "store/system_env.hpp"

namespace samflyt::store {
namespace {

using samflyt::testing::closed_port;
using samflyt::testing::FakeHttpPeer;

const std::string kXml =
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<MsgHead>\xe6\xf8\xe5</MsgHead>\n";

TEST(HttpTransport, PostsTheBytesUnchangedWithTheTokenToThePeerOfTheReceiver) {
  FakeHttpPeer municipality, other;
  HttpTransport t(
      {{{8200001, 8200017}, municipality.url(), "token-m"}, {{8300017}, other.url(), "token-o"}});
  ASSERT_TRUE(t.send(kXml, "a.xml", 8200017));
  ASSERT_TRUE(t.send(kXml, "b.xml", 8300017));
  auto seen = municipality.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].path, "/api/v1/messages/inbox");
  EXPECT_EQ(seen[0].headers["authorization"], "Bearer token-m");
  EXPECT_EQ(seen[0].headers["content-type"], "application/xml");
  EXPECT_EQ(seen[0].body, kXml);
  ASSERT_EQ(other.requests().size(), 1u);
  EXPECT_EQ(other.requests()[0].headers["authorization"], "Bearer token-o");
}

TEST(HttpTransport, AReceiverNoPeerServesIsAClearErrorAndNothingIsPosted) {
  FakeHttpPeer peer;
  HttpTransport t({{{8200001}, peer.url(), "token"}});
  auto r = t.send(kXml, "a.xml", 8999999);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  EXPECT_NE(r.error().message.find("8999999"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("message_peers"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message_nb.find("8999999"), std::string::npos);
  auto none = t.send(kXml, "b.xml", std::nullopt);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::not_found);
  EXPECT_TRUE(peer.requests().empty());
}

TEST(HttpTransport, ABatchStopsForAReceiverThatDidNotTakeOneAndGoesOnForTheOthers) {
  FakeHttpPeer up;
  const std::string down = "http://127.0.0.1:" + std::to_string(closed_port()) + "/inbox";
  HttpTransport t({{{8200001}, up.url(), "token"}, {{8300001}, down, "token"}});
  auto results = t.send_all({{kXml, "1.xml", 8300001},
                             {kXml, "2.xml", 8200001},
                             {kXml, "3.xml", 8300001},
                             {kXml, "4.xml", 8200001}});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_FALSE(results[0]);
  EXPECT_TRUE(results[1]);
  ASSERT_FALSE(results[2]);  // not tried after 1.xml, with the same reason
  EXPECT_EQ(results[2].error().message, results[0].error().message);
  EXPECT_TRUE(results[3]);
  EXPECT_EQ(up.requests().size(), 2u);
}

TEST(FileDropTransport, ABatchAppearsWholeWithNoTemporaryFileLeft) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("samflyt-drop-" + RandomIds().new_id());
  {
    FileDropTransport drop(dir / "in", dir / "out");
    auto results = drop.send_all({{kXml, "a.xml", 1}, {"<b/>", "b.xml", 2}, {kXml, "a.xml", 1}});
    for (const auto& r : results) EXPECT_TRUE(r);
    std::vector<std::string> names;
    for (const auto& f : fs::directory_iterator(dir / "out"))
      names.push_back(f.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"a.xml", "b.xml"}));
    std::ifstream in(dir / "out" / "a.xml", std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), kXml);

    auto refused = drop.send_all({{kXml, "c.xml", 1}, {kXml, "../escape.xml", 1}});
    EXPECT_FALSE(refused[0]);  // nothing of a batch with a bad name is handed over
    EXPECT_FALSE(refused[1]);
    EXPECT_FALSE(fs::exists(dir / "out" / "c.xml"));
    EXPECT_FALSE(fs::exists(dir / "escape.xml"));
  }
  fs::remove_all(dir);
}

TEST(FileDropTransport, TheInboxComesInBatchesAndWhatWasNotAcknowledgedComesAgainFirst) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("samflyt-drop-" + RandomIds().new_id());
  {
    FileDropTransport drop(dir / "in", dir / "out");
    for (const char* name : {"1.xml", "2.xml", "3.xml", "4.xml", "5.xml"})
      std::ofstream(dir / "in" / name) << name;
    auto names = [](const std::vector<service::TransportedMessage>& batch) {
      std::vector<std::string> out;
      for (const auto& m : batch) out.push_back(m.name);
      return out;
    };
    auto first = drop.receive(2);
    ASSERT_TRUE(first);
    EXPECT_EQ(names(*first), (std::vector<std::string>{"1.xml", "2.xml"}));
    ASSERT_TRUE(drop.acknowledge({"1.xml", "2.xml"}));
    std::ofstream(dir / "in" / "0.xml") << "late";  // comes after the listing
    auto second = drop.receive(2);
    ASSERT_TRUE(second);
    EXPECT_EQ(names(*second), (std::vector<std::string>{"3.xml", "4.xml"}));
    // Not acknowledged (e.g. the database was busy): listed again, in order.
    auto again = drop.receive(10);
    ASSERT_TRUE(again);
    EXPECT_EQ(names(*again), (std::vector<std::string>{"0.xml", "3.xml", "4.xml", "5.xml"}));
    EXPECT_EQ((*again)[1].bytes, "3.xml");
  }
  fs::remove_all(dir);
}

TEST(HttpTransport, APeerThatIsDownIsUnavailable) {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/inbox";
  HttpTransport t({{{8200001}, url, "token"}});
  auto r = t.send(kXml, "a.xml", 8200001);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::unavailable);
  EXPECT_NE(r.error().message.find(url), std::string::npos) << r.error().message;
}

TEST(HttpTransport, EachAnswerOfThePeerBecomesItsError) {
  FakeHttpPeer peer;
  HttpTransport t({{{8200001}, peer.url(), "token"}});
  const std::vector<std::pair<int, ErrorCode>> cases{
      {500, ErrorCode::unavailable},   {503, ErrorCode::unavailable},
      {429, ErrorCode::unavailable},   {401, ErrorCode::forbidden},
      {403, ErrorCode::forbidden},     {413, ErrorCode::payload_too_large},
      {400, ErrorCode::invalid_input}, {415, ErrorCode::invalid_input},
      {404, ErrorCode::invalid_input}, {301, ErrorCode::invalid_input},
  };
  for (const auto& [status, code] : cases) {
    peer.answer(status, "{\"detail\":\"why " + std::to_string(status) + "\"}");
    auto r = t.send(kXml, "a.xml", 8200001);
    ASSERT_FALSE(r) << status;
    EXPECT_EQ(r.error().code, code) << status << ": " << r.error().message;
    EXPECT_NE(r.error().message.find(std::to_string(status)), std::string::npos)
        << r.error().message;
  }
  peer.answer(401);
  auto refused = t.send(kXml, "a.xml", 8200001);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("token"), std::string::npos) << refused.error().message;
  peer.answer(200);
  EXPECT_TRUE(t.send(kXml, "a.xml", 8200001));
  EXPECT_EQ(peer.requests().size(), cases.size() + 2);
}

TEST(HttpTransport, UnsafePeersAreRefusedAtStart) {
  auto make = [](std::vector<MessagePeer> peers) { HttpTransport t(std::move(peers)); };
  EXPECT_NO_THROW(make({{{1}, "https://samflyt.kommune.example/api/v1/messages/inbox", "t"}}));
  EXPECT_NO_THROW(make({{{1}, "http://localhost:8080/api/v1/messages/inbox", "t"}}));
  EXPECT_THROW(make({{{1}, "http://samflyt.kommune.example/inbox", "t"}}), std::invalid_argument);
  EXPECT_THROW(make({{{1}, "https://user:pw@samflyt.kommune.example/inbox", "t"}}),
               std::invalid_argument);
  EXPECT_THROW(make({{{1}, "ftp://127.0.0.1/inbox", "t"}}), std::invalid_argument);
  EXPECT_THROW(make({{{1}, "https://samflyt.kommune.example/inbox", ""}}), std::invalid_argument);
  EXPECT_THROW(make({{{}, "https://samflyt.kommune.example/inbox", "t"}}), std::invalid_argument);
  EXPECT_THROW(make({{{1, 2}, "https://a.example/inbox", "t"}, {{2}, "https://b.example/", "t"}}),
               std::invalid_argument);
}

TEST(HttpTransport, WithAFileDropTheOtherReceiversGoThroughIt) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("samflyt-http-" + RandomIds().new_id());
  {
    FakeHttpPeer peer;
    FileDropTransport drop(dir / "in", dir / "out");
    HttpTransport t({{{8200001}, peer.url(), "token"}}, &drop);
    ASSERT_TRUE(t.send(kXml, "to-peer.xml", 8200001));
    ASSERT_TRUE(t.send(kXml, "to-drop.xml", 8300001));
    EXPECT_EQ(peer.requests().size(), 1u);
    EXPECT_FALSE(fs::exists(dir / "out" / "to-peer.xml"));
    EXPECT_TRUE(fs::exists(dir / "out" / "to-drop.xml"));
    std::ofstream(dir / "in" / "incoming.xml") << kXml;
    auto waiting = t.receive(10);
    ASSERT_TRUE(waiting);
    ASSERT_EQ(waiting->size(), 1u);
    EXPECT_EQ((*waiting)[0].bytes, kXml);
    ASSERT_TRUE(t.acknowledge({"incoming.xml"}));
    EXPECT_TRUE(fs::exists(dir / "in" / "processed" / "incoming.xml"));
  }
  fs::remove_all(dir);
}

TEST(HttpTransport, AloneItReceivesNothing) {
  FakeHttpPeer peer;
  HttpTransport t({{{8200001}, peer.url(), "token"}});
  auto waiting = t.receive(10);
  ASSERT_TRUE(waiting);
  EXPECT_TRUE(waiting->empty());
}

}  // namespace
}  // namespace samflyt::store
