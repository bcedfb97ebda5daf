// Two real servers, a hospital and a municipality, each with its own
// database and its message folders crossed with the other's, exchange the
// discharge messages on their own: the varsel (Helseopplysninger), the
// discharge-ready notice, the municipality's answer (Dialogmelding 7322
// V=7) and an AppRec for each. Staff queue the messages through the
// service (queue_message) while their server is stopped, as messages made
// from pathway steps will be; everything else is the servers' own rounds.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../unit/msg/msg_test_support.hpp"
#include "server.hpp"
#include "service/audit_writer.hpp"
#include "service/messages.hpp"
#include "store/sqlite_store.hpp"
#include "store/system_env.hpp"

namespace samflyt::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Context needs Secrets; queue_message never calls them.
class UnusedSecrets final : public service::Secrets {
 public:
  std::string new_secret() override { throw std::logic_error("not used"); }
  std::string digest(std::string_view) override { throw std::logic_error("not used"); }
  Result<std::string> hash_password(std::string_view) override {
    throw std::logic_error("not used");
  }
  bool verify_password(const std::string&, std::string_view) override {
    throw std::logic_error("not used");
  }
};

// Queues a message in a stopped server's database as one of its users.
std::string queue_as(const std::string& db_path, const std::string& username,
                     const std::string& episode_id, const msg::Message& message) {
  store::SqliteDatabase db(db_path);
  store::SqliteDatabase audit_db(store::audit_path_for(db_path), 2, store::Schema::audit);
  service::AuditWriter audit(audit_db);
  store::SystemClock clock;
  store::RandomIds ids;
  service::TemplateCatalog templates;
  UnusedSecrets secrets;
  service::Context ctx{db, clock, ids, templates, core::IdentityPolicy{true}, secrets, audit};
  ctx.messaging.allow_test_identities = true;
  core::Principal who;
  {
    auto tx = db.begin(service::TxMode::read);
    if (!tx) throw std::runtime_error(tx.error().message);
    auto user = (*tx)->accounts().find_by_username(username);
    if (!user || !*user) throw std::runtime_error("no user " + username);
    auto grants = (*tx)->accounts().grants((*user)->id);
    if (!grants) throw std::runtime_error(grants.error().message);
    who = core::Principal{(*user)->id, (*user)->staff_id, (*user)->display_name, (*user)->kind,
                          *grants};
  }
  auto queued =
      service::queue_message(ctx, service::Caller{who, "two-instances-test"}, episode_id, message);
  if (!queued) throw std::runtime_error("queue_message: " + queued.error().message);
  return queued->msg_id;
}

// Ida's episode (the demo's Skien child) as `username` sees it on
// `server`, and her patient record.
std::pair<json, json> idas_episode(Server& server, const std::string& username) {
  server.as(username);
  auto list = server.get("/api/v1/episodes");
  if (list.status != 200) throw std::runtime_error(list.body);
  std::string seen;
  const json items = list.json()["items"];
  for (const auto& e : items) {
    auto patient = server.get("/api/v1/patients/" + e["patient_id"].get<std::string>());
    if (patient.status != 200) throw std::runtime_error(patient.body);
    if (patient.json()["name"] == "Ida Fjellheim") return {e, patient.json()};
    seen += patient.body;
  }
  throw std::runtime_error("no episode of Ida for " + username + ": " + seen);
}

// The fixtures, made about this patient.
void about(msg::Message& m, const json& patient) {
  m.envelope.msg_id.clear();
  m.envelope.gen_date = {};
  auto& p = *m.envelope.patient;
  p.national_id = patient["national_id"].get<std::string>();
  p.given_name = "Ida";
  p.family_name = "Fjellheim";
  p.birth_date.reset();
}

std::string status_of(Server& server, const std::string& episode_id, const std::string& msg_id) {
  auto r = server.get("/api/v1/episodes/" + episode_id + "/messages");
  if (r.status != 200) return "HTTP " + std::to_string(r.status);
  const json messages = r.json()["messages"];
  for (const auto& m : messages)
    if (m["msg_id"] == msg_id && m["direction"] == "outgoing") return m["status"];
  return "(none)";
}

template <typename F>
bool eventually(F done) {
  for (int i = 0; i < 400; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

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
