// Messages made from the episode (send_message) and what sent and received
// messages do to the episode: the consent check that stops documentation,
// the side that may send, the step that is done once its message is
// queued, and the ledger, pathway events and tentative discharge date
// that follow the messages on both sides.
#include "../msg/msg_test_support.hpp"
#include "exchange_test_support.hpp"
#include "msg/stay_events.hpp"
#include "service/use_cases.hpp"

namespace samflyt::service::testing {
namespace {

using core::MessageKind;

OutgoingMessage outgoing(MessageKind kind) {
  OutgoingMessage m;
  m.kind = kind;
  return m;
}

class SendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hospital = std::make_unique<Site>(dir.path / "hospital.db", Side::hospital);
    hospital->seed(true);
  }

  // A nurse where the site runs the episode, with an account, an HPR
  // number and a phone, as the messages that name the responsible
  // professional need.
  static Caller signed_nurse(Site& site) {
    const std::string org = site.side == Side::hospital ? site.unit.id : site.municipality.id;
    core::Staff staff{site.ids.new_id(), "Sigrid Testpleier",      org,
                      "sykepleier",      "sigrid@example.invalid", "35 00 00 00"};
    User user;
    user.id = site.ids.new_id();
    user.username = "sigrid";
    user.display_name = staff.name;
    user.staff_id = staff.id;
    user.hpr_number = "9900123";
    user.created_at = site.clock.t;
    auto tx = must(site.db.begin(TxMode::write));
    must(tx->staff().insert(staff));
    must(tx->accounts().insert(user));
    must(tx->commit());
    return Caller{core::Principal{user.id,
                                  staff.id,
                                  staff.name,
                                  core::AccountKind::staff,
                                  {core::RoleGrant{"sykepleier", org, {org}}}},
                  "test-request"};
  }

  void consent_to_municipality(Site& site) {
    core::Consent c;
    c.id = site.ids.new_id();
    c.episode_id = site.episode_id;
    c.given_by = core::ConsentGiver::guardian;
    c.given_by_name = "Forelder Testesen";
    c.purpose = core::ConsentPurpose::send_documentation;
    c.targets = {site.municipality.id};
    c.valid_from = site.clock.t - std::chrono::hours(1);
    c.recorded_by = "test";
    c.recorded_at = site.clock.t;
    auto tx = must(site.db.begin(TxMode::write));
    must(tx->access().insert_consent(c));
    must(tx->commit());
  }

  std::vector<StoredMessage> outbox(Site& site) {
    auto tx = must(site.db.begin(TxMode::read));
    return must(tx->messages().of_episode(site.episode_id));
  }

  std::vector<core::Task> tasks(Site& site) {
    auto tx = must(site.db.begin(TxMode::read));
    return must(tx->tasks().list_for_episode(site.episode_id));
  }

  core::Episode episode(Site& site) {
    auto tx = must(site.db.begin(TxMode::read));
    return *must(tx->episodes().get(site.episode_id));
  }

  std::vector<core::StayEventKind> stay_kinds(Site& site) {
    auto tx = must(site.db.begin(TxMode::read));
    std::vector<core::StayEventKind> out;
    for (const auto& e : must(tx->stays().events_of_episode(site.episode_id)))
      out.push_back(e.event.kind);
    return out;
  }

  TempDir dir;
  std::unique_ptr<Site> hospital;
};

TEST_F(SendTest, DocumentationWithoutConsentIsRefusedAndNothingIsSent) {
  OutgoingMessage varsel = outgoing(MessageKind::admission_notice);
  varsel.text = "Innlagt med respirasjonssvikt; trenger oksygen og sondeernæring.";
  auto r = send_message(hospital->ctx, hospital->nurse(), hospital->episode_id, varsel);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::forbidden);
  EXPECT_NE(r.error().message.find("Fjellbygd kommune"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message_nb.find("samtykke"), std::string::npos);
  EXPECT_EQ(r.error().field, "consent");
  EXPECT_TRUE(outbox(*hospital).empty());
  EXPECT_TRUE(stay_kinds(*hospital).empty());
}

TEST_F(SendTest, TheVarselStepQueuesAValidMessageAndIsDone) {
  consent_to_municipality(*hospital);
  auto send_plo = tasks(*hospital)[0];
  ASSERT_EQ(send_plo.step_id, "send-plo");
  OutgoingMessage varsel = outgoing(MessageKind::admission_notice);
  varsel.task_id = send_plo.id;
  varsel.text = "Innlagt med respirasjonssvikt; trenger oksygen og sondeernæring.";
  varsel.date = msg::testing::ymd(2026, 4, 10);
  auto sent = must(send_message(hospital->ctx, hospital->nurse(), hospital->episode_id, varsel));
  EXPECT_EQ(sent.status, MessageStatus::queued);
  EXPECT_EQ(sent.msg_type, "HELSEOPPL_SOKNAD");
  EXPECT_EQ(sent.receiver_her_id, 8200001);
  EXPECT_EQ(sent.sender_her_id, 8100042);

  // What the municipality will read: valid against the official schemas,
  // about the patient, with the tentative date and the consent.
  auto read =
      msg::receive(sent.xml, &msg::testing::validator(), msg::ReceiveOptions{true, {}, false});
  ASSERT_TRUE(read.read.ok()) << read.read.errors.front().text << " "
                              << read.read.errors.front().detail;
  ASSERT_TRUE(read.read.message);
  const auto& m = *read.read.message;
  EXPECT_EQ(m.envelope.patient->national_id, kPatientNationalId);
  EXPECT_EQ(m.envelope.consent, msg::Consent::yes);
  EXPECT_EQ(msg::expected_ready_day(m), msg::testing::ymd(2026, 4, 10));

  // The step is done, the stay has begun with the varsel in time, and the
  // episode knows its tentative discharge date.
  EXPECT_EQ(tasks(*hospital)[0].state, core::TaskState::done);
  EXPECT_EQ(stay_kinds(*hospital),
            (std::vector<core::StayEventKind>{core::StayEventKind::admitted,
                                              core::StayEventKind::admission_notice}));
  EXPECT_EQ(episode(*hospital).tentative_discharge_date, msg::testing::ymd(2026, 4, 10));
}

TEST_F(SendTest, AStepSendsOnlyItsOwnMessage) {
  OutgoingMessage admitted = outgoing(MessageKind::admitted);
  admitted.task_id = tasks(*hospital)[0].id;  // send-plo sends the varsel
  auto r = send_message(hospital->ctx, hospital->nurse(), hospital->episode_id, admitted);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "task_id");
  EXPECT_TRUE(outbox(*hospital).empty());
}

TEST_F(SendTest, TheDischargeReadyNoticeNeedsTheSignedProfessional) {
  OutgoingMessage ready = outgoing(MessageKind::discharge_ready);
  auto unsigned_ = send_message(hospital->ctx, hospital->nurse(), hospital->episode_id, ready);
  ASSERT_FALSE(unsigned_);
  EXPECT_NE(unsigned_.error().message.find("HPR"), std::string::npos);

  auto sent =
      must(send_message(hospital->ctx, signed_nurse(*hospital), hospital->episode_id, ready));
  EXPECT_EQ(sent.msg_type, "LOG_UTSKRIVNINGSKLAR");
  auto read =
      msg::receive(sent.xml, &msg::testing::validator(), msg::ReceiveOptions{true, {}, false});
  ASSERT_TRUE(read.read.ok()) << read.read.errors.front().detail;
  // No consent is needed for the logistics notices; the ledger has the
  // declaration and the notice, and the pathway its event.
  EXPECT_EQ(stay_kinds(*hospital),
            (std::vector<core::StayEventKind>{core::StayEventKind::admitted,
                                              core::StayEventKind::declared_ready,
                                              core::StayEventKind::ready_notice}));
  EXPECT_TRUE(episode(*hospital).event_time("discharge_ready"));
}

TEST_F(SendTest, OnlyTheMunicipalityAnswersAndOnlyANoticeItHasReceived) {
  OutgoingMessage answer = outgoing(MessageKind::reception_answer);
  answer.date = msg::testing::ymd(2026, 3, 31);
  auto r = send_message(hospital->ctx, hospital->nurse(), hospital->episode_id, answer);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::forbidden);

  TempDir other;
  Site municipality(other.path / "municipality.db", Side::municipality);
  municipality.seed(true);
  auto none =
      send_message(municipality.ctx, signed_nurse(municipality), municipality.episode_id, answer);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::invalid_input);
  EXPECT_NE(none.error().message.find("no discharge-ready notice"), std::string::npos);
}

TEST_F(SendTest, ReceivedMessagesUpdateTheMunicipalitysEpisode) {
  TempDir other;
  Site municipality(other.path / "municipality.db", Side::municipality);
  municipality.seed(true);

  // The hospital's varsel, then its discharge-ready notice (ready from
  // 30 March, estimated), as the msg fixtures write them.
  auto varsel = msg::testing::health_information_message(1);
  std::get<msg::HealthInformation>(varsel.content).stay.push_back(msg::testing::admitted_event());
  varsel.envelope.gen_date = municipality.clock.t;
  auto in = must(receive_message(municipality.ctx, msg::write(varsel), "varsel.xml"));
  EXPECT_EQ(in.message.status, MessageStatus::accepted);
  EXPECT_EQ(in.message.episode_id, municipality.episode_id);
  EXPECT_EQ(episode(municipality).tentative_discharge_date, msg::testing::ymd(2026, 3, 30));

  auto ready = msg::testing::discharge_ready_message();
  ready.envelope.gen_date = municipality.clock.t;
  auto notice = must(receive_message(municipality.ctx, msg::write(ready), "ready.xml"));
  EXPECT_EQ(notice.message.episode_id, municipality.episode_id);
  EXPECT_TRUE(notice.message.note.empty()) << notice.message.note;
  EXPECT_EQ(stay_kinds(municipality),
            (std::vector<core::StayEventKind>{
                core::StayEventKind::admitted, core::StayEventKind::admission_notice,
                core::StayEventKind::declared_ready, core::StayEventKind::ready_notice}));
  // The municipality's task counts from the discharge-ready event.
  auto receive_task = tasks(municipality)[1];
  ASSERT_EQ(receive_task.step_id, "receive-patient");
  EXPECT_TRUE(receive_task.due_at);

  // The municipality answers in the same conversation.
  OutgoingMessage answer = outgoing(MessageKind::reception_answer);
  answer.date = msg::testing::ymd(2026, 3, 31);
  Caller kari = signed_nurse(municipality);
  auto sent = must(send_message(municipality.ctx, kari, municipality.episode_id, answer));
  EXPECT_EQ(sent.topic, "7322:7");
  EXPECT_EQ(sent.parent_msg_id, ready.envelope.msg_id);
  auto read =
      msg::receive(sent.xml, &msg::testing::validator(), msg::ReceiveOptions{true, {}, false});
  ASSERT_TRUE(read.read.ok()) << read.read.errors.front().detail;
  ASSERT_TRUE(std::get<msg::Dialog>(read.read.message->content).reception);
  EXPECT_EQ(std::get<msg::Dialog>(read.read.message->content).reception->from_date,
            msg::testing::ymd(2026, 3, 31));
  EXPECT_EQ(stay_kinds(municipality).back(), core::StayEventKind::municipality_can_receive);
}

}  // namespace
}  // namespace samflyt::service::testing
