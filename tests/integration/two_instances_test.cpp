// Two real servers, a hospital and a municipality, each with its own
// database and its message folders crossed with the other's, exchange the
// discharge messages on their own: the varsel (Helseopplysninger), the
// discharge-ready notice, the municipality's answer (Dialogmelding 7322
// V=7) and an AppRec for each. Staff queue the messages through the
// service (queue_message) while their server is stopped, as messages made
// from pathway steps will be; everything else is the servers' own rounds.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "message_support.hpp"

namespace samflyt::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(TwoInstances, HospitalAndMunicipalityExchangeTheDischargeMessagesWithAppRecs) {
  Server hospital;
  Server municipality;
  const fs::path to_municipality = fs::path(hospital.dir()) / "to-municipality";
  const fs::path to_hospital = fs::path(hospital.dir()) / "to-hospital";
  auto configure = [](Server& s, const fs::path& in, const fs::path& out) {
    std::ofstream cfg(s.dir() + "/messages.toml");
    cfg << "message_inbox = \"" << in.string() << "\"\n"
        << "message_outbox = \"" << out.string() << "\"\nmessage_poll_seconds = 1\n";
    s.set_config_file(s.dir() + "/messages.toml");
  };
  configure(hospital, to_hospital, to_municipality);
  configure(municipality, to_municipality, to_hospital);
  auto [h_episode, patient] = idas_episode(hospital, "kari.sorbo");
  auto [m_episode, m_patient] = idas_episode(municipality, "anders.holtan");
  const std::string h_id = h_episode["id"];
  const std::string m_id = m_episode["id"];

  // Each is the HER-id the fixtures address (msg_test_support.hpp).
  hospital.stop();
  municipality.stop();
  std::string out;
  ASSERT_EQ(
      run_samflyt({"org", "add", "--db", hospital.db_path(), "--name", "Telemark Testsykehus HF",
                   "--kind", "hospital_trust", "--her-id", "8100001"},
                  &out),
      0)
      << out;
  ASSERT_EQ(run_samflyt({"org", "add", "--db", municipality.db_path(), "--name",
                         "Fjellbygd kommune", "--kind", "municipality", "--her-id", "8200001"},
                        &out),
            0)
      << out;

  auto varsel =
      msg::testing::health_information_message(msg::health_information_kind::admission_notice);
  about(varsel, patient);
  auto notice = msg::testing::discharge_ready_message();
  about(notice, patient);
  const std::string varsel_id = queue_as(hospital.db_path(), "kari.sorbo", h_id, varsel);
  const std::string notice_id = queue_as(hospital.db_path(), "kari.sorbo", h_id, notice);
  hospital.start();
  municipality.start();
  hospital.as("kari.sorbo");

  ASSERT_TRUE(eventually([&] {
    return status_of(hospital, h_id, varsel_id) == "apprec_ok" &&
           status_of(hospital, h_id, notice_id) == "apprec_ok";
  })) << status_of(hospital, h_id, varsel_id)
      << " " << status_of(hospital, h_id, notice_id) << "; see " << hospital.dir()
      << "/server.log and " << municipality.dir() << "/server.log";
  auto waiting = hospital.get("/api/v1/episodes/" + h_id + "/messages").json();
  ASSERT_EQ(waiting["alerts"].size(), 1u) << waiting.dump();
  EXPECT_EQ(waiting["alerts"][0]["kind"], "awaiting_reception_answer");

  // The municipality answers: it can receive her.
  municipality.stop();
  auto answer = msg::testing::reception_answer_message(true);
  about(answer, m_patient);
  answer.envelope.conversation = msg::ConversationRef{notice_id, notice_id};
  const std::string answer_id = queue_as(municipality.db_path(), "anders.holtan", m_id, answer);
  municipality.start();
  municipality.as("anders.holtan");

  ASSERT_TRUE(eventually([&] { return status_of(municipality, m_id, answer_id) == "apprec_ok"; }))
      << status_of(municipality, m_id, answer_id);
  auto done = hospital.get("/api/v1/episodes/" + h_id + "/messages").json();
  EXPECT_TRUE(done["alerts"].empty()) << done.dump();
  bool answer_received = false;
  for (const auto& m : done["messages"])
    if (m["msg_id"] == answer_id)
      answer_received = m["direction"] == "incoming" && m["status"] == "accepted" &&
                        m["topic"] == "7322:7" && m["conversation_id"] == notice_id;
  EXPECT_TRUE(answer_received) << done.dump();
  // Every message was answered exactly once: three AppRecs each way in all
  // (two from the municipality, one from the hospital).
  std::size_t apprec_files = 0;
  for (const auto& dir : {to_hospital / "processed", to_municipality / "processed"})
    for (const auto& f : fs::directory_iterator(dir))
      if (f.path().extension() == ".xml" && msg::read(msg::testing::read_bytes(f.path())).apprec)
        ++apprec_files;
  EXPECT_EQ(apprec_files, 3u);
}

}  // namespace
}  // namespace samflyt::testing
