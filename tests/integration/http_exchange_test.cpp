// The HTTP transport between two real servers (docs/adr/0009): a hospital
// and a municipality, each with its own database and the demo community,
// exchange the whole discharge sequence of the PLO flow over
// POST /api/v1/messages/inbox, each message answered by one AppRec that
// settles it on the sender's side; and what the endpoint says to those
// who may not post, to a duplicate and to a large message.
//
// Both demo databases hold every demo organisation with its HER-id, so
// each server takes the other's HER-ids for its own too: the receiver
// check (msg::receive) passes whatever demo HER-id is addressed. The
// routing table decides where a message goes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "message_support.hpp"

namespace samflyt::testing {
namespace {

namespace fs = std::filesystem;

// The demo organisation's HER-id, as the API shows it.
std::int64_t her_id_of(Server& server, const std::string& name) {
  const json orgs = server.get("/api/v1/organisations").json()["items"];
  for (const auto& o : orgs)
    if (o["name"] == name) return std::stoll(o["her_id"].get<std::string>());
  throw std::runtime_error("no demo organisation named " + name);
}

struct Addresses {
  std::int64_t trust, unit, municipality, allocation_office;
};

// The fixture, from the demo hospital unit to the demo municipality's
// allocation office (or back when `answer`), about Ida.
msg::Message addressed(msg::Message m, const Addresses& a, const json& patient,
                       bool answer = false) {
  about(m, patient);
  auto& from = answer ? m.envelope.receiver : m.envelope.sender;
  auto& to = answer ? m.envelope.sender : m.envelope.receiver;
  from.name = "Sykehuset Grenland HF (demo)";
  from.her_id = a.trust;
  from.unit = msg::Unit{"Barne- og ungdomsklinikken, barneavdelingen", a.unit};
  to.name = "Skien kommune";
  to.her_id = a.municipality;
  to.unit = msg::Unit{"Skien kommune, tildelingskontoret", a.allocation_office};
  return m;
}

msg::Message in_conversation(msg::Message m, const std::string& parent) {
  m.envelope.conversation = msg::ConversationRef{parent, parent};
  return m;
}

// Our account on `peer` (a system account with the role
// meldingsutveksling in `organisation`), its token in a file, and the
// [[message_peers]] entry that uses it.
std::string peer_entry(Server& peer, const std::string& account, const std::string& organisation,
                       const std::vector<std::int64_t>& her_ids, const std::string& token_file) {
  peer.as("kari.sorbo");
  peer.add_user(account, "meldingsutveksling", organisation, "system");
  std::ofstream(token_file) << peer.token_of(account) << "\n";
  std::string ids;
  for (auto id : her_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
  return "[[message_peers]]\nher_ids = [" + ids +
         "]\nurl = \"http://127.0.0.1:" + std::to_string(peer.port()) +
         "/api/v1/messages/inbox\"\ntoken_file = \"" + token_file + "\"\n";
}

// The incoming messages of a stopped server: by status, each status's in
// the order they arrived.
std::vector<service::StoredMessage> received_by(const std::string& db_path) {
  store::SqliteDatabase db(db_path);
  auto tx = db.begin(service::TxMode::read);
  if (!tx) throw std::runtime_error(tx.error().message);
  std::vector<service::StoredMessage> all;
  for (auto status : {service::MessageStatus::accepted, service::MessageStatus::receipt_applied,
                      service::MessageStatus::rejected, service::MessageStatus::not_answered,
                      service::MessageStatus::receipt_unmatched}) {
    auto some = (*tx)->messages().with_status(service::MessageDirection::incoming, status, 1000);
    if (!some) throw std::runtime_error(some.error().message);
    all.insert(all.end(), some->begin(), some->end());
  }
  return all;
}

std::vector<std::string> ids_of(const std::vector<service::StoredMessage>& messages, bool apprecs) {
  std::vector<std::string> out;
  for (const auto& m : messages)
    if ((m.msg_type == "APPREC") == apprecs) out.push_back(m.msg_id);
  return out;
}

// Two stopped servers, a hospital and a municipality, each with its own
// demo database, that give each other an account and route each other's
// HER-ids to each other; and Ida's episode on each.
class HttpExchange : public ::testing::Test {
 protected:
  void SetUp() override {
    hospital.keep_port();
    municipality.keep_port();
    std::tie(h_episode, patient) = idas_episode(hospital, "kari.sorbo");
    std::tie(m_episode, m_patient) = idas_episode(municipality, "anders.holtan");
    h_id = h_episode["id"];
    m_id = m_episode["id"];
    hospital.as("kari.sorbo");
    a = Addresses{her_id_of(hospital, "Sykehuset Grenland HF (demo)"),
                  her_id_of(hospital, "Barne- og ungdomsklinikken, barneavdelingen"),
                  her_id_of(hospital, "Skien kommune"),
                  her_id_of(hospital, "Skien kommune, tildelingskontoret")};
    // Each gives the other an account, and routes the other's HER-ids to it.
    const std::string to_municipality =
        peer_entry(municipality, "sykehuset-grenland", "Skien kommune",
                   {a.municipality, a.allocation_office}, hospital.dir() + "/municipality.token");
    const std::string to_hospital =
        peer_entry(hospital, "skien-kommune", "Sykehuset Grenland HF (demo)", {a.trust, a.unit},
                   municipality.dir() + "/hospital.token");
    for (auto [server, peers] :
         {std::pair{&hospital, to_municipality}, {&municipality, to_hospital}}) {
      std::ofstream(server->dir() + "/http.toml") << "message_poll_seconds = 1\n" << peers;
      server->set_config_file(server->dir() + "/http.toml");
    }
    hospital.stop();
    municipality.stop();
  }

  Server hospital;
  Server municipality;
  json h_episode, patient, m_episode, m_patient;
  std::string h_id, m_id;
  Addresses a{};
};

TEST_F(HttpExchange, HospitalAndMunicipalityExchangeTheWholeDischargeSequenceWithAppRecs) {
  using namespace msg::testing;
  namespace kind = msg::health_information_kind;
  auto hospital_queues = [&](const msg::Message& m) {
    return queue_as(hospital.db_path(), "kari.sorbo", h_id, addressed(m, a, patient));
  };
  // The varsel (within 24 h of admission), updated information, and the
  // discharge-ready notice.
  std::vector<std::string> sent_by_hospital;
  const std::string varsel = hospital_queues(health_information_message(kind::admission_notice));
  const std::string updated =
      hospital_queues(in_conversation(health_information_message(kind::updated), varsel));
  const std::string notice = hospital_queues(discharge_ready_message());
  sent_by_hospital = {varsel, updated, notice};
  hospital.start();
  municipality.start();
  hospital.as("kari.sorbo");
  municipality.as("anders.holtan");
  auto all_settled = [&](Server& server, const std::string& episode,
                         const std::vector<std::string>& ids) {
    return eventually([&] {
      for (const auto& id : ids)
        if (status_of(server, episode, id) != "apprec_ok") return false;
      return true;
    });
  };
  auto statuses = [&](Server& server, const std::string& episode,
                      const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += id + " " + status_of(server, episode, id) + "; ";
    return out + "see " + hospital.dir() + "/server.log and " + municipality.dir() + "/server.log";
  };
  ASSERT_TRUE(all_settled(hospital, h_id, sent_by_hospital))
      << statuses(hospital, h_id, sent_by_hospital);

  // The municipality answers the notice: it can receive her (7322 V=7).
  municipality.stop();
  const std::string answer = queue_as(
      municipality.db_path(), "anders.holtan", m_id,
      in_conversation(addressed(reception_answer_message(true), a, m_patient, true), notice));
  municipality.start();
  ASSERT_TRUE(all_settled(municipality, m_id, {answer})) << statuses(municipality, m_id, {answer});

  // Then she is not ready after all (avmelding), ready again, the
  // discharge report, and discharged.
  hospital.stop();
  const std::string cancelled = hospital_queues(in_conversation(cancelled_message(), notice));
  const std::string notice_again = hospital_queues(discharge_ready_message());
  const std::string report = hospital_queues(discharge_report_message());
  const std::string discharged = hospital_queues(discharged_message());
  const std::vector<std::string> second_part{cancelled, notice_again, report, discharged};
  sent_by_hospital.insert(sent_by_hospital.end(), second_part.begin(), second_part.end());
  hospital.start();
  hospital.as("kari.sorbo");
  ASSERT_TRUE(all_settled(hospital, h_id, sent_by_hospital))
      << statuses(hospital, h_id, sent_by_hospital);
  EXPECT_EQ(status_of(municipality, m_id, answer), "apprec_ok");

  // What each received: every message once, in the order sent, and one
  // AppRec for each message the other sent.
  hospital.stop();
  municipality.stop();
  const auto at_municipality = received_by(municipality.db_path());
  const auto at_hospital = received_by(hospital.db_path());
  EXPECT_EQ(ids_of(at_municipality, false), sent_by_hospital);
  EXPECT_EQ(ids_of(at_hospital, false), std::vector<std::string>{answer});
  EXPECT_EQ(ids_of(at_municipality, true).size(), 1u);  // the AppRec of the answer
  EXPECT_EQ(ids_of(at_hospital, true).size(), sent_by_hospital.size());
  std::vector<std::string> received_types;
  for (const auto& m : at_municipality) {
    EXPECT_EQ(m.times_seen, 1) << m.msg_type << " " << m.msg_id;
    if (m.msg_type == "APPREC") {
      EXPECT_EQ(m.status, service::MessageStatus::receipt_applied) << m.note;
    } else {
      EXPECT_EQ(m.status, service::MessageStatus::accepted) << m.msg_id << " " << m.note;
      received_types.push_back(m.msg_type);
    }
  }
  EXPECT_EQ(received_types,
            (std::vector<std::string>{
                "HELSEOPPL_SOKNAD", "HELSEOPPL_SOKNAD", "LOG_UTSKRIVNINGSKLAR", "LOG_AVMELDING",
                "LOG_UTSKRIVNINGSKLAR", "UTSKRIVNINGSRAPPORT", "LOG_UTSKREVET"}));
  for (const auto& m : at_hospital)
    EXPECT_EQ(m.status, m.msg_type == "APPREC" ? service::MessageStatus::receipt_applied
                                               : service::MessageStatus::accepted)
        << m.msg_type << " " << m.msg_id << " " << m.note;
}

// The same exchange as staff make it: each message made by Samflyt from
// the episode (POST /api/v1/episodes/{id}/messages), and each received
// message updating the other side's episode: its tentative discharge
// date, its pathway events and its discharge-ready ledger, so that both
// sides count the same payable days.
TEST_F(HttpExchange, MessagesMadeFromTheEpisodeKeepBothSidesEpisodesInStep) {
  hospital.start();
  municipality.start();
  hospital.as("kari.sorbo");
  municipality.as("anders.holtan");

  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::string admitted = core::format_instant(now - std::chrono::hours(3));
  const std::string tomorrow = core::format_date(core::oslo_date(now + std::chrono::hours(24)));
  auto send = [](Server& server, const std::string& episode, const json& body) {
    auto r = server.post_json("/api/v1/episodes/" + episode + "/messages", body);
    if (r.status != 201) throw std::runtime_error(r.body);
    return r.json()["msg_id"].get<std::string>();
  };
  auto settled = [](Server& server, const std::string& episode, const std::string& msg_id) {
    return eventually([&] { return status_of(server, episode, msg_id) == "apprec_ok"; });
  };
  auto ledger_kinds = [](Server& server, const std::string& episode) {
    std::vector<std::string> kinds;
    json stays = server.get("/api/v1/episodes/" + episode + "/ledger").json()["stays"];
    if (!stays.empty())
      for (const auto& e : stays.back()["events"]) kinds.push_back(e["kind"]);
    return kinds;
  };
  auto episode_of = [](Server& server, const std::string& episode) {
    return server.get("/api/v1/episodes/" + episode).json();
  };

  // The varsel, three hours after the admission, with the tentative
  // discharge date (the guardian consented to documentation to Skien).
  const std::string varsel =
      send(hospital, h_id,
           {{"kind", "admission_notice"},
            {"text", "Innlagt med respirasjonssvikt. Trenger oksygen om natten."},
            {"at", admitted},
            {"date", tomorrow}});
  ASSERT_TRUE(settled(hospital, h_id, varsel)) << status_of(hospital, h_id, varsel);
  EXPECT_EQ(episode_of(municipality, m_id)["tentative_discharge_date"], tomorrow);
  EXPECT_EQ(ledger_kinds(municipality, m_id),
            (std::vector<std::string>{"admitted", "admission_notice"}));

  // Discharge-ready now; the municipality answers that it can receive her
  // tomorrow.
  const std::string notice = send(hospital, h_id, {{"kind", "discharge_ready"}});
  ASSERT_TRUE(settled(hospital, h_id, notice)) << status_of(hospital, h_id, notice);
  json m_view = episode_of(municipality, m_id);
  bool ready_event = false;
  for (const auto& e : m_view["events"]) ready_event |= e["event"] == "discharge_ready";
  EXPECT_TRUE(ready_event) << m_view["events"];
  const std::string answer = send(municipality, m_id,
                                  {{"kind", "reception_answer"},
                                   {"can_receive", true},
                                   {"date", tomorrow},
                                   {"text", "Avlastningsbolig fra i morgen."}});
  ASSERT_TRUE(settled(municipality, m_id, answer)) << status_of(municipality, m_id, answer);
  EXPECT_EQ(ledger_kinds(hospital, h_id).back(), "municipality_can_receive");

  // Discharged: both ledgers end the stay, with the same payable days.
  const std::string discharged = send(hospital, h_id, {{"kind", "discharged"}});
  ASSERT_TRUE(settled(hospital, h_id, discharged)) << status_of(hospital, h_id, discharged);
  EXPECT_EQ(ledger_kinds(municipality, m_id),
            (std::vector<std::string>{"admitted", "admission_notice", "declared_ready",
                                      "ready_notice", "municipality_can_receive", "discharged"}));
  json h_ledger = hospital.get("/api/v1/episodes/" + h_id + "/ledger").json()["stays"].back();
  json m_ledger = municipality.get("/api/v1/episodes/" + m_id + "/ledger").json()["stays"].back();
  EXPECT_EQ(h_ledger["admission_notice"], "on_time");
  EXPECT_EQ(m_ledger["admission_notice"], "on_time");
  EXPECT_EQ(h_ledger["payable_days"], m_ledger["payable_days"]);
  EXPECT_EQ(h_ledger["periods"].size(), 1u);
  EXPECT_EQ(m_ledger["periods"].size(), 1u);
}

// The endpoint itself, on one server.
class Inbox : public ::testing::Test {
 protected:
  void SetUp() override {
    server.as("kari.sorbo");
    server.add_user("peer", "meldingsutveksling", "Skien kommune", "system");
    token = server.token_of("peer");
    auto m = msg::testing::discharge_ready_message();  // to a demo organisation
    m.envelope.receiver.her_id = her_id_of(server, "Skien kommune");
    m.envelope.receiver.unit->her_id = her_id_of(server, "Skien kommune, tildelingskontoret");
    xml = msg::write(m);
    server.as("");
  }

  HttpResponse post(const std::string& body, const std::string& bearer,
                    const std::string& type = "application/xml") {
    std::map<std::string, std::string> headers{{"Content-Type", type}};
    if (!bearer.empty()) headers["Authorization"] = "Bearer " + bearer;
    return server.request("POST", "/api/v1/messages/inbox", body, headers);
  }

  Server server;
  std::string token;
  std::string xml;
};

TEST_F(Inbox, AMessageIsAcceptedOnceAndItsDuplicateGetsTheSameAnswer) {
  auto first = post(xml, token);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json()["status"], "accepted");
  EXPECT_EQ(first.json()["duplicate"], false);
  auto again = post(xml, token);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["duplicate"], true);
  EXPECT_EQ(again.json()["id"], first.json()["id"]);
}

TEST_F(Inbox, StaffFamilyAndStrangersMayNotPost) {
  EXPECT_EQ(post(xml, "").status, 401);
  EXPECT_EQ(post(xml, "not-a-token").status, 401);
  for (const char* user : {"kari.sorbo", "admin", "forelder.ida"}) {
    auto r = post(xml, server.token_of(user));
    EXPECT_EQ(r.status, 403) << user << ": " << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json; charset=utf-8");
  }
  // A staff account cannot be given the role, so no token of a person can post.
  std::string out;
  EXPECT_NE(run_samflyt({"user", "grant", "--db", server.db_path(), "--username", "kari.sorbo",
                         "--role", "meldingsutveksling", "--organisation",
                         [&] {
                           server.as("kari.sorbo");
                           return server.org_id("Skien kommune");
                         }()},
                        &out),
            0)
      << out;
  server.as("");
  EXPECT_EQ(post(xml, server.token_of("kari.sorbo")).status, 403);
  EXPECT_EQ(post(xml, token).status, 200);  // the one allowed, after all the refusals
}

TEST_F(Inbox, TheBodyMustBeXmlAndMayBeLargerThanOtherRequests) {
  EXPECT_EQ(post(xml, token, "application/json").status, 415);
  EXPECT_EQ(post("", token).status, 400);
  // A message with attachments can be several MiB: over the 1 MiB of other
  // routes, it is received (rejected by its AppRec here, since it is no
  // message), and over 32 MiB it is refused with 413.
  auto big = post("<x>" + std::string(3 * 1024 * 1024, 'a') + "</x>", token);
  EXPECT_EQ(big.status, 200) << big.body;
  auto huge = post(std::string(33 * 1024 * 1024, 'a'), token);
  EXPECT_EQ(huge.status, 413) << huge.body;
}

}  // namespace
}  // namespace samflyt::testing

namespace samflyt::testing {
namespace {

TEST(HttpExchangeConfig, ServeRefusesUnusablePeersAtStartWithOneLine) {
  Server server;
  server.stop();
  const std::string token = server.dir() + "/peer.token";
  std::ofstream(token) << "secret\n";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"url = \"http://samflyt.kommune.example/api/v1/messages/inbox\"\nher_ids = [8200001]\n"
       "token_file = \"" +
           token + "\"\n",
       "https://"},
      {"url = \"https://samflyt.kommune.example/api/v1/messages/inbox\"\n"
       "token_file = \"" +
           token + "\"\n",
       "her_ids"},
      {"url = \"https://samflyt.kommune.example/api/v1/messages/inbox\"\nher_ids = [8200001]\n"
       "token_file = \"" +
           server.dir() + "/missing.token\"\n",
       "missing.token"},
  };
  for (const auto& [peer, reason] : cases) {
    std::ofstream(server.dir() + "/bad.toml") << "[[message_peers]]\n" << peer;
    std::string out;
    EXPECT_NE(run_samflyt({"--config", server.dir() + "/bad.toml", "serve", "--db",
                           server.db_path(), "--listen", "127.0.0.1:1"},
                          &out),
              0);
    EXPECT_NE(out.find(reason), std::string::npos) << out;
  }
}

}  // namespace
}  // namespace samflyt::testing
