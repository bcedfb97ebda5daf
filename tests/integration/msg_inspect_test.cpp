// `samflyt msg inspect`: the real binary on official example messages
// (read from the standards folder, never copied into the repository).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server.hpp"

namespace samflyt::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kStandards = SAMFLYT_STANDARDS_DIR;
const fs::path kExamples = kStandards / "examples";

std::vector<json> json_lines(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

TEST(msg_inspect, DescribesEachFileAndTheAppRecItWouldGet) {
  const std::string ready =
      (kExamples /
       "plo-1.6/pasientlogistikk_1_6_mottak/Pasientlogistikk_Utskrivningsklar_pasient_v1-6_Ny.xml")
          .string();
  const std::string dialog =
      (kExamples / "dialogmelding/Dialogmelding-v1-0/Dialogmelding_avvik_v1-0.xml").string();
  const std::string bad_apprec = (kExamples / "apprec/unknown-migversion.xml").string();
  std::string out;
  ASSERT_EQ(run_samflyt({"msg", "inspect", "--schemas", (kStandards / "schemas").string(), ready,
                         dialog, bad_apprec},
                        &out),
            0)
      << out;
  const auto lines = json_lines(out);
  ASSERT_EQ(lines.size(), 3u) << out;

  EXPECT_EQ(lines[0]["file"], ready);
  EXPECT_EQ(lines[0]["standard"], "PLO");
  EXPECT_EQ(lines[0]["version"], "1.6");
  EXPECT_EQ(lines[0]["type"], "LOG_UTSKRIVNINGSKLAR");
  EXPECT_EQ(lines[0]["msg_id"], "79c55ed0-0692-11e8-b566-0800200c9a66");
  EXPECT_EQ(lines[0]["sender_her"], 90998);
  EXPECT_EQ(lines[0]["receiver_her"], 5078);
  EXPECT_EQ(lines[0]["patient_id"], "15076500565");
  EXPECT_EQ(lines[0]["apprec_status"], 1);
  EXPECT_EQ(lines[0]["apprec_errors"], json::array());
  EXPECT_EQ(lines[0]["apprec_answered"], true);

  EXPECT_EQ(lines[1]["standard"], "Dialogmelding");
  EXPECT_EQ(lines[1]["version"], "1.0");
  EXPECT_EQ(lines[1]["type"], "DIALOG_AVVIK");
  EXPECT_EQ(lines[1]["apprec_status"], 1);

  EXPECT_EQ(lines[2]["standard"], "AppRec");
  EXPECT_EQ(lines[2]["apprec_status"], 2);
  ASSERT_EQ(lines[2]["apprec_errors"].size(), 1u);
  EXPECT_EQ(lines[2]["apprec_errors"][0]["code"], "T10");
  EXPECT_EQ(lines[2]["apprec_errors"][0]["text"], "Støtter ikke meldingsformatet");
  EXPECT_EQ(lines[2]["apprec_answered"], false);
}

TEST(msg_inspect, ANegativeAppRecIsStillExitZero) {
  // A message whose MsgId is not a UUID: readable, rejected with E10.
  const fs::path file = fs::temp_directory_path() / "samflyt-inspect-e10.xml";
  {
    std::ifstream in(
        kExamples /
            "plo-1.6/pasientlogistikk_1_6_mottak/Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml",
        std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    std::string xml = s.str();
    xml.replace(xml.find("b088a160-0698-11e8-b566-0800200c9a66"), 36, "LOKAL-1");
    std::ofstream(file, std::ios::binary) << xml;
  }
  std::string out;
  ASSERT_EQ(run_samflyt({"msg", "inspect", file.string()}, &out), 0) << out;
  const auto lines = json_lines(out);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["msg_id"], "LOKAL-1");
  EXPECT_EQ(lines[0]["apprec_status"], 2);
  EXPECT_EQ(lines[0]["apprec_errors"][0]["code"], "E10");
  EXPECT_EQ(lines[0]["apprec_errors"][0]["text"], "Ugyldig meldingsidentifikator");
  EXPECT_EQ(lines[0]["apprec_answered"], true);
  fs::remove(file);
}

// With message_own_her_ids configured, a message to another organisation
// gets no AppRec from us, as in the inbox; a bad list stops the command.
TEST(msg_inspect, ConfiguredOwnHerIdsDecideWhetherWeAnswer) {
  const auto dir = fs::temp_directory_path();
  const auto message = (kExamples /
                        "plo-1.6/pasientlogistikk_1_6_mottak/"
                        "Pasientlogistikk_Avmelding_av_utskrivningsklar_pasient_v1-6_Ny.xml")
                           .string();
  const auto inspect = [&](const std::string& setting, std::string& out) {
    const auto config = (dir / ("samflyt-own-" + std::to_string(::getpid()) + ".toml")).string();
    std::ofstream(config) << "message_own_her_ids = " << setting << "\n";
    const int rc = run_samflyt(
        {"--config", config, "msg", "inspect", "--allow-test-identities", message}, &out);
    fs::remove(config);
    return rc;
  };
  std::string out;
  ASSERT_EQ(inspect("[5078]", out), 0) << out;  // the example's receiver
  EXPECT_EQ(json_lines(out).at(0)["apprec_answered"], true);
  ASSERT_EQ(inspect("[8100001]", out), 0) << out;
  EXPECT_EQ(json_lines(out).at(0)["apprec_answered"], false);
  EXPECT_NE(inspect("[\"Skien\"]", out), 0);
  EXPECT_NE(out.find("message_own_her_ids"), std::string::npos) << out;
}

TEST(msg_inspect, AMissingFileFailsWithOneLine) {
  std::string out;
  EXPECT_NE(run_samflyt({"msg", "inspect", "/nonexistent/message.xml"}, &out), 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_NE(out.find("/nonexistent/message.xml"), std::string::npos) << out;
  EXPECT_EQ(out.find('{'), std::string::npos) << out;
}

TEST(msg_inspect, AWrongSchemaFolderFailsWithOneLine) {
  std::string out;
  const auto file =
      (kExamples /
       "plo-1.6/pasientlogistikk_1_6_mottak/Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml")
          .string();
  EXPECT_EQ(run_samflyt({"msg", "inspect", "--schemas", kExamples.string(), file}, &out), 1);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_NE(out.find("all-v16.xsd"), std::string::npos) << out;
}

}  // namespace
}  // namespace samflyt::testing
