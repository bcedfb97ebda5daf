// The message exchange in the real binary: `serve` with message_inbox and
// message_outbox set imports what is dropped in the inbox on its own
// thread, answers it with one AppRec in the outbox, answers a second copy
// of the same MsgId with nothing, and stops cleanly; `samflyt msg poll`
// runs one round and says what it did.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "server.hpp"

namespace samflyt::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kExamples =
    fs::path(SAMFLYT_STANDARDS_DIR) / "examples" / "plo-1.6" / "pasientlogistikk_1_6_mottak";
// Sent by HER-id 90998 to HER-id 5078, MsgId b088a160-…; and its cancellation.
const fs::path kAdmitted = kExamples / "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml";
const fs::path kCancelled = kExamples / "Pasientlogistikk_Innlagt_pasient_v1-6_Kansellering.xml";

std::vector<fs::path> xml_files(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& f : fs::directory_iterator(dir))
    if (f.path().extension() == ".xml") out.push_back(f.path());
  return out;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Waits up to 15 s for `done`.
template <typename F>
bool eventually(F done) {
  for (int i = 0; i < 300; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

TEST(MessageExchange, ServeImportsDroppedMessagesAndAnswersEachMsgIdOnce) {
  Server server;
  const fs::path in = fs::path(server.dir()) / "in";
  const fs::path out = fs::path(server.dir()) / "out";
  // We are HER-id 5078, the examples' receiver.
  std::string output;
  ASSERT_EQ(run_samflyt({"org", "add", "--db", server.db_path(), "--name", "Testkommunen", "--kind",
                         "municipality", "--her-id", "5078"},
                        &output),
            0)
      << output;
  {
    std::ofstream cfg(server.dir() + "/messages.toml");
    cfg << "message_inbox = \"" << in.string() << "\"\n"
        << "message_outbox = \"" << out.string() << "\"\n"
        << "message_poll_seconds = 1\n";
  }
  server.set_config_file(server.dir() + "/messages.toml");
  server.restart();

  fs::copy_file(kAdmitted, in / "admitted.xml");
  ASSERT_TRUE(eventually([&] { return fs::exists(in / "processed" / "admitted.xml"); }))
      << "see " << server.dir() << "/server.log";
  ASSERT_TRUE(eventually([&] { return xml_files(out).size() == 1; }));
  const std::string apprec = slurp(xml_files(out)[0]);
  EXPECT_NE(apprec.find("b088a160-0698-11e8-b566-0800200c9a66"),
            std::string::npos);                          // OriginalMsgId
  EXPECT_NE(apprec.find("V=\"1\""), std::string::npos);  // OK

  // The same MsgId again: recorded, not answered again.
  fs::copy_file(kAdmitted, in / "admitted-again.xml");
  ASSERT_TRUE(eventually([&] { return fs::exists(in / "processed" / "admitted-again.xml"); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // a further round
  EXPECT_EQ(xml_files(out).size(), 1u);

  server.stop();
  EXPECT_NE(slurp(fs::path(server.dir()) / "server.log").find("received again"), std::string::npos);

  // One round from the command line: the cancellation, correlated.
  fs::copy_file(kCancelled, in / "cancelled.xml");
  ASSERT_EQ(run_samflyt({"msg", "poll", "--db", server.db_path(), "--inbox", in.string(),
                         "--outbox", out.string(), "--allow-test-identities"},
                        &output),
            0)
      << output;
  EXPECT_NE(output.find("received cancelled.xml"), std::string::npos) << output;
  EXPECT_NE(output.find("1 received, 1 sent"), std::string::npos) << output;
  EXPECT_EQ(xml_files(out).size(), 2u);
}

TEST(MessageExchange, PollWithoutFoldersFailsWithOneLine) {
  Server server;
  server.stop();
  std::string output;
  EXPECT_NE(run_samflyt({"msg", "poll", "--db", server.db_path()}, &output), 0);
  EXPECT_NE(output.find("--inbox"), std::string::npos) << output;
}

}  // namespace
}  // namespace samflyt::testing
