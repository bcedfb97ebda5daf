// The inbox and the outbox on real database files: a MsgId imported once
// and answered once, AppRecs final, a cancellation that comes before its
// original, rejected messages kept with their reasons, a refused message
// never queued, and two instances (a hospital and a municipality)
// exchanging the discharge messages through crossed file-drop folders,
// also across a crash (SIGKILL) between import and acknowledgement.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "../msg/msg_test_support.hpp"
#include "exchange_test_support.hpp"
#include "store/file_drop_transport.hpp"

namespace samflyt::service::testing {
namespace {

using msg::testing::discharge_ready_message;
using msg::testing::health_information_message;
using msg::testing::reception_answer_message;

// A cancellation (Forsendelsesstatus C) of a PLO message, with its own MsgId.
msg::Message cancellation_of(const msg::Message& original) {
  msg::Message c = original;
  c.envelope.msg_id = "3f2d8c1e-5a6b-4c7d-8e9f-a0b1c2d3e4f5";
  c.envelope.conversation =
      msg::ConversationRef{original.envelope.msg_id, original.envelope.msg_id};
  std::get<msg::DischargeReady>(c.content).plo.status = msg::ShipmentStatus::cancellation;
  return c;
}

// The AppRec files written to a folder, read back.
std::vector<msg::AppRec> apprecs_in(const fs::path& folder) {
  std::vector<msg::AppRec> out;
  for (const auto& f : fs::directory_iterator(folder)) {
    if (f.path().extension() != ".xml") continue;
    auto read = msg::read(msg::testing::read_bytes(f.path()));
    if (read.apprec) out.push_back(*read.apprec);
  }
  return out;
}

class InboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site = std::make_unique<Site>(dir.path / "municipality.db", Side::municipality);
  }
  void TearDown() override { site.reset(); }

  TempDir dir;
  std::unique_ptr<Site> site;
};

TEST_F(InboxTest, ADuplicateMsgIdIsImportedOnceAndAnsweredOnce) {
  site->seed();
  const std::string bytes = msg::write(discharge_ready_message());
  auto first = must(receive_message(site->ctx, bytes, "a.xml"));
  EXPECT_FALSE(first.duplicate);
  EXPECT_EQ(first.message.status, MessageStatus::accepted);
  ASSERT_EQ(first.apprecs.size(), 1u);

  site->clock.t += std::chrono::minutes(5);
  auto second = must(receive_message(site->ctx, bytes, "copy-of-a.xml"));
  EXPECT_TRUE(second.duplicate);
  EXPECT_TRUE(second.apprecs.empty());
  EXPECT_EQ(second.message.id, first.message.id);
  EXPECT_EQ(second.message.times_seen, 2);

  EXPECT_EQ(site->with_status(MessageDirection::incoming, MessageStatus::accepted).size(), 1u);
  auto queued = site->with_status(MessageDirection::outgoing, MessageStatus::queued);
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].msg_type, "APPREC");
  EXPECT_EQ(queued[0].answers_id, first.message.id);
  EXPECT_EQ(queued[0].parent_msg_id, discharge_ready_message().envelope.msg_id);
  auto apprec = msg::read(queued[0].xml);
  ASSERT_TRUE(apprec.apprec);
  EXPECT_EQ(apprec.apprec->status.value_or(0), 1);
}

TEST_F(InboxTest, ARejectedMessageIsKeptWithItsReasonsAndANegativeAppRec) {
  site->seed();
  // A MsgId that is not a UUID (E10): msg::write refuses to make one, so
  // the bytes are changed after writing.
  const auto m = discharge_ready_message();
  std::string bytes = msg::write(m);
  for (auto at = bytes.find(m.envelope.msg_id); at != std::string::npos;
       at = bytes.find(m.envelope.msg_id))
    bytes.replace(at, m.envelope.msg_id.size(), "melding-nr-17");
  auto r = must(receive_message(site->ctx, bytes, "bad.xml"));
  EXPECT_EQ(r.message.status, MessageStatus::rejected);
  ASSERT_FALSE(r.message.errors.empty());
  EXPECT_EQ(r.message.errors[0].code, "E10");
  auto kept = site->stored(MessageDirection::incoming, "melding-nr-17");
  EXPECT_EQ(kept.xml, bytes);
  EXPECT_EQ(kept.status, MessageStatus::rejected);
  // Filed under the patient's episode, so that staff see it there, but
  // it changed nothing in the episode.
  EXPECT_EQ(kept.episode_id, site->episode_id);
  auto log = must(episode_messages(site->ctx, site->nurse(), site->episode_id));
  ASSERT_EQ(log.messages.size(), 2u);  // the message and our negative AppRec
  auto tx = must(site->db.begin(TxMode::read));
  EXPECT_FALSE(must(tx->episodes().get(site->episode_id))->tentative_discharge_date);
  ASSERT_EQ(r.apprecs.size(), 1u);
  auto apprec = msg::read(r.apprecs[0].xml);
  ASSERT_TRUE(apprec.apprec);
  EXPECT_EQ(apprec.apprec->status.value_or(0), 2);
  ASSERT_FALSE(apprec.apprec->errors.empty());
  EXPECT_EQ(apprec.apprec->errors[0].code, "E10");
}

TEST_F(InboxTest, BytesThatAreNotXmlAreStoredAsRejected) {
  site->seed();
  auto r = must(receive_message(site->ctx, "this is not a message", "junk.xml"));
  EXPECT_EQ(r.message.status, MessageStatus::rejected);
  ASSERT_FALSE(r.message.errors.empty());
  EXPECT_EQ(r.message.errors[0].code, "T01");
  EXPECT_TRUE(r.apprecs.empty());  // no sender to answer (README §4.5)
  auto tx = must(site->db.begin(TxMode::read));
  auto kept = must(tx->messages().get(r.message.id));
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->xml, "this is not a message");
  EXPECT_FALSE(kept->note.empty());
}

TEST_F(InboxTest, ACancellationBeforeItsOriginalCancelsTheOriginalWhenItComes) {
  site->seed();
  auto cancellation = must(
      receive_message(site->ctx, msg::write(cancellation_of(discharge_ready_message())), "c.xml"));
  EXPECT_EQ(cancellation.message.status, MessageStatus::accepted);
  EXPECT_NE(cancellation.message.note.find("has not arrived"), std::string::npos);
  EXPECT_EQ(cancellation.apprecs.size(), 1u);

  auto original = must(receive_message(site->ctx, msg::write(discharge_ready_message()), "o.xml"));
  EXPECT_EQ(original.message.status, MessageStatus::cancelled);
  EXPECT_EQ(original.apprecs.size(), 1u);  // received fine: a positive AppRec all the same
  EXPECT_EQ(
      site->stored(MessageDirection::incoming, discharge_ready_message().envelope.msg_id).status,
      MessageStatus::cancelled);
}

TEST_F(InboxTest, AReferenceToAnotherPatientsConversationDoesNotFileTheMessageThere) {
  site->seed();
  auto first = must(receive_message(site->ctx, msg::write(discharge_ready_message()), "o.xml"));
  ASSERT_EQ(first.message.episode_id, site->episode_id);

  // Another child (unknown here) in the same conversation: never the
  // first child's episode, whose record and message log it must not touch.
  auto other = health_information_message(msg::health_information_kind::admission_notice);
  other.envelope.msg_id = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  other.envelope.patient->national_id = "02827510079";
  other.envelope.conversation = msg::ConversationRef{first.message.msg_id, first.message.msg_id};
  auto r = must(receive_message(site->ctx, msg::write(other), "x.xml"));
  EXPECT_EQ(r.message.episode_id, "");
  auto log = must(episode_messages(site->ctx, site->nurse(), site->episode_id));
  for (const auto& m : log.messages) EXPECT_NE(m.msg_id, other.envelope.msg_id);
}

TEST_F(InboxTest, ACancellationAboutAnotherPatientCancelsNothing) {
  site->seed();
  must(receive_message(site->ctx, msg::write(discharge_ready_message()), "o.xml"));
  auto c = cancellation_of(discharge_ready_message());
  c.envelope.patient->national_id = "02827510079";
  auto r = must(receive_message(site->ctx, msg::write(c), "c.xml"));
  EXPECT_NE(r.message.note.find("another patient"), std::string::npos) << r.message.note;
  EXPECT_EQ(
      site->stored(MessageDirection::incoming, discharge_ready_message().envelope.msg_id).status,
      MessageStatus::accepted);
}

TEST_F(InboxTest, ACancellationAfterItsOriginalCancelsIt) {
  site->seed();
  must(receive_message(site->ctx, msg::write(discharge_ready_message()), "o.xml"));
  must(receive_message(site->ctx, msg::write(cancellation_of(discharge_ready_message())), "c.xml"));
  auto original =
      site->stored(MessageDirection::incoming, discharge_ready_message().envelope.msg_id);
  EXPECT_EQ(original.status, MessageStatus::cancelled);
  EXPECT_EQ(original.version, 2);
}

TEST_F(InboxTest, AMessageForAnotherOrganisationIsKeptButNotAnswered) {
  site->seed();
  auto m = discharge_ready_message();
  m.envelope.receiver.her_id = 8300001;
  m.envelope.receiver.unit->her_id = 8300017;
  auto r = must(receive_message(site->ctx, msg::write(m), "other.xml"));
  EXPECT_EQ(r.message.status, MessageStatus::not_answered);
  EXPECT_TRUE(r.apprecs.empty());
  EXPECT_FALSE(r.message.note.empty());
}

// A deployment says which HER-ids are its own: a message to another
// organisation in its database (the hospital, known here for addressing)
// is kept but not answered on that organisation's behalf.
TEST_F(InboxTest, ConfiguredOwnHerIdsLeaveOtherOrganisationsInTheDatabaseUnanswered) {
  site->seed(/*both_her_ids=*/true);
  site->ctx.messaging.own_her_ids = {8200001, 8200017};  // the municipality and its office
  auto to_hospital = must(
      receive_message(site->ctx, msg::write(reception_answer_message(true)), "to-hospital.xml"));
  EXPECT_EQ(to_hospital.message.status, MessageStatus::not_answered);
  EXPECT_TRUE(to_hospital.apprecs.empty());
  auto to_us = must(receive_message(site->ctx, msg::write(discharge_ready_message()), "to-us.xml"));
  EXPECT_EQ(to_us.message.status, MessageStatus::accepted);
  EXPECT_EQ(to_us.apprecs.size(), 1u);

  site->ctx.messaging.own_her_ids.clear();  // default: every HER-id in the database
  auto m = reception_answer_message(true);
  m.envelope.msg_id = "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  auto answered = must(receive_message(site->ctx, msg::write(m), "to-hospital-again.xml"));
  EXPECT_EQ(answered.message.status, MessageStatus::accepted);
  EXPECT_EQ(answered.apprecs.size(), 1u);
}

// A batch is one transaction: what one message stores, the next one of
// the same batch sees (its duplicate, its cancellation).
TEST_F(InboxTest, ABatchSeesItsOwnMessagesDuplicatesAndCancellations) {
  site->seed();
  const std::string original = msg::write(discharge_ready_message());
  std::vector<TransportedMessage> batch{
      {"1-cancel.xml", msg::write(cancellation_of(discharge_ready_message()))},
      {"2-original.xml", original},
      {"3-copy.xml", original},
      {"4-junk.xml", "this is not a message"},
      {"5-varsel.xml", msg::write(health_information_message(1))},
      {"6-varsel-again.xml", msg::write(health_information_message(1))},
      {"7-answer.xml", msg::write(reception_answer_message(true))},
      {"8-copy-again.xml", original},
      {"9-another-junk.xml", "<still not a message"}};
  auto out = must(receive_messages(site->ctx, batch));
  ASSERT_EQ(out.size(), batch.size());
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].source_name, batch[i].name);
  EXPECT_EQ(out[0].message.status, MessageStatus::accepted);
  EXPECT_EQ(out[1].message.status, MessageStatus::cancelled);
  EXPECT_TRUE(out[2].duplicate);
  EXPECT_EQ(out[2].message.id, out[1].message.id);
  EXPECT_EQ(out[3].message.status, MessageStatus::rejected);
  EXPECT_TRUE(out[5].duplicate);
  EXPECT_TRUE(out[7].duplicate);
  EXPECT_EQ(out[7].message.times_seen, 3);
  EXPECT_EQ(out[6].message.status, MessageStatus::not_answered);  // to the hospital, not us
  // One AppRec per message imported and addressed to us: the cancellation,
  // the original and the varsel (not the copies, nor bytes without a sender).
  std::size_t apprecs = 0;
  for (const auto& o : out) apprecs += o.apprecs.size();
  EXPECT_EQ(apprecs, 3u);
  EXPECT_EQ(site->with_status(MessageDirection::outgoing, MessageStatus::queued).size(), 3u);
}

TEST_F(InboxTest, ARoundTakesABacklogInBatchesAndAcknowledgesEveryFile) {
  site->seed();
  site->ctx.messaging.receive_batch = 2;
  TempDir out;
  store::FileDropTransport transport(dir.path / "in", out.path / "out");
  const std::vector<std::string> bytes{msg::write(discharge_ready_message()),
                                       msg::write(health_information_message(1)),
                                       msg::write(reception_answer_message(true)), "junk"};
  for (std::size_t i = 0; i < bytes.size(); ++i)
    std::ofstream(dir.path / "in" / ("m" + std::to_string(i) + ".xml")) << bytes[i];
  auto r = must(exchange_messages(site->ctx, transport));
  EXPECT_EQ(r.received.size(), bytes.size());
  EXPECT_TRUE(r.set_aside.empty());
  std::size_t left = 0, processed = 0;
  for (const auto& f : fs::directory_iterator(dir.path / "in")) left += f.is_regular_file();
  for (const auto& f : fs::directory_iterator(dir.path / "in" / "processed"))
    processed += f.is_regular_file();
  EXPECT_EQ(left, 0u);
  EXPECT_EQ(processed, bytes.size());
  // The AppRecs of the two messages to us (the answer is the hospital's;
  // "junk" has no sender to answer).
  EXPECT_EQ(r.dispatched.sent.size(), 2u);
  EXPECT_TRUE(must(exchange_messages(site->ctx, transport)).received.empty());
}

// The hospital's side: an AppRec settles what it answers, once.
class ReceiptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site = std::make_unique<Site>(dir.path / "hospital.db", Side::hospital);
    site->seed();
  }

  // Queues and "sends" (marks sent) the discharge-ready notice.
  StoredMessage sent_notice() {
    auto m = discharge_ready_message();
    auto q = must(queue_message(site->ctx, site->nurse(), site->episode_id, m));
    TempDir out;
    store::FileDropTransport transport(out.path / "in", out.path / "out");
    auto report = must(dispatch_outbox(site->ctx, transport));
    EXPECT_EQ(report.sent.size(), 1u);
    return site->stored(MessageDirection::outgoing, q.msg_id);
  }

  // The municipality's AppRec for the notice, as it would write it.
  std::string apprec_for(const StoredMessage& notice, bool ok, const std::string& id) {
    auto received = msg::receive(notice.xml, nullptr, {true, {8200001, 8200017}, false});
    if (!ok) {
      received.decision.status = msg::AppRecStatus::rejected;
      received.decision.errors = {msg::make_error(msg::AppRecErrorCode::E21, "Ukjent tjeneste")};
    }
    return msg::write(msg::make_apprec(received, site->clock.t, id));
  }

  TempDir dir;
  std::unique_ptr<Site> site;
};

TEST_F(ReceiptTest, AnAppRecSettlesTheMessageOnceAndIsFinal) {
  auto notice = sent_notice();
  EXPECT_EQ(notice.status, MessageStatus::sent);
  auto ok = must(receive_message(
      site->ctx, apprec_for(notice, true, "11111111-2222-4333-8444-555555555555"), "r1.xml"));
  EXPECT_EQ(ok.message.status, MessageStatus::receipt_applied);
  ASSERT_TRUE(ok.settled);
  EXPECT_EQ(site->stored(MessageDirection::outgoing, notice.msg_id).status,
            MessageStatus::apprec_ok);

  // A second AppRec (another Id, now negative) changes nothing.
  auto late = must(receive_message(
      site->ctx, apprec_for(notice, false, "11111111-2222-4333-8444-666666666666"), "r2.xml"));
  EXPECT_EQ(late.message.status, MessageStatus::receipt_unmatched);
  EXPECT_FALSE(late.settled);
  EXPECT_NE(late.message.note.find("final"), std::string::npos);
  auto after = site->stored(MessageDirection::outgoing, notice.msg_id);
  EXPECT_EQ(after.status, MessageStatus::apprec_ok);
  EXPECT_TRUE(after.errors.empty());
  EXPECT_TRUE(ok.apprecs.empty() && late.apprecs.empty());  // an AppRec is never answered
}

// The start page's alerts of the organisation: the notice waits for its
// AppRec and for the municipality's answer; the AppRec ends the first.
TEST_F(ReceiptTest, TheOrganisationsAlertsFollowItsEpisodesMessages) {
  auto kinds = [&] {
    std::set<MessageAlertKind> out;
    for (const auto& a :
         must(organisation_message_alerts(site->ctx, site->nurse(), site->unit.id))) {
      EXPECT_EQ(a.episode_id, site->episode_id);
      EXPECT_EQ(a.patient_name, "Testine Fjellstad");  // whom it is about
      out.insert(a.kind);
    }
    return out;
  };
  EXPECT_TRUE(kinds().empty());  // no messages yet
  auto notice = sent_notice();
  site->clock.t += std::chrono::minutes(61);
  EXPECT_EQ(kinds(), (std::set<MessageAlertKind>{MessageAlertKind::apprec_overdue,
                                                 MessageAlertKind::awaiting_reception_answer}));
  must(receive_message(site->ctx, apprec_for(notice, true, "11111111-2222-4333-8444-bbbbbbbbbbbb"),
                       "r.xml"));
  EXPECT_EQ(kinds(), (std::set<MessageAlertKind>{MessageAlertKind::awaiting_reception_answer}));
  // Another organisation's staff have no alerts of this episode.
  auto other = site->nurse();
  other.principal.grants = {
      core::RoleGrant{"sykepleier", site->municipality.id, {site->municipality.id}}};
  auto refused = organisation_message_alerts(site->ctx, other, site->unit.id);
  EXPECT_FALSE(refused);
}

TEST_F(ReceiptTest, QueueingSendingAndTheReceiptAreAuditedForThePatient) {
  auto notice = sent_notice();
  auto r = must(receive_message(
      site->ctx, apprec_for(notice, true, "11111111-2222-4333-8444-aaaaaaaaaaaa"), "r.xml"));
  auto rows = must(site->audit.for_patient(site->patient_id, 50, 0));
  std::set<std::string> seen;
  for (const auto& row : rows) seen.insert(row.entry.action + " " + row.entry.resource);
  EXPECT_TRUE(seen.count("send episode/" + site->episode_id + "/messages")) << seen.size();
  EXPECT_TRUE(seen.count("send message/" + notice.id));
  EXPECT_TRUE(seen.count("receive message/" + r.message.id));
}

TEST_F(ReceiptTest, ANegativeAppRecRejectsWithItsErrors) {
  auto notice = sent_notice();
  must(receive_message(site->ctx, apprec_for(notice, false, "11111111-2222-4333-8444-777777777777"),
                       "r.xml"));
  auto after = site->stored(MessageDirection::outgoing, notice.msg_id);
  EXPECT_EQ(after.status, MessageStatus::rejected);
  ASSERT_EQ(after.errors.size(), 1u);
  EXPECT_EQ(after.errors[0].code, "E21");
  EXPECT_EQ(after.errors[0].detail, "Ukjent tjeneste");
}

TEST_F(ReceiptTest, AnAppRecForAnUnknownMessageIsStoredAndChangesNothing) {
  auto notice = sent_notice();
  auto rec = msg::receive(notice.xml, nullptr, {true, {8200001, 8200017}, false});
  auto apprec = msg::make_apprec(rec, site->clock.t, "11111111-2222-4333-8444-888888888888");
  apprec.original_msg_id = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
  auto r = must(receive_message(site->ctx, msg::write(apprec), "r.xml"));
  EXPECT_EQ(r.message.status, MessageStatus::receipt_unmatched);
  EXPECT_EQ(site->stored(MessageDirection::outgoing, notice.msg_id).status, MessageStatus::sent);
}

TEST_F(ReceiptTest, NoAppRecWithin96HoursIsNoReceiptAndALateOneStillSettles) {
  auto notice = sent_notice();
  site->clock.t = *notice.gen_date + std::chrono::hours(95);
  EXPECT_TRUE(must(mark_missing_receipts(site->ctx)).empty());
  site->clock.t = *notice.gen_date + std::chrono::hours(96);
  auto expired = must(mark_missing_receipts(site->ctx));
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(site->stored(MessageDirection::outgoing, notice.msg_id).status,
            MessageStatus::no_receipt);
  must(receive_message(site->ctx, apprec_for(notice, true, "11111111-2222-4333-8444-999999999999"),
                       "late.xml"));
  EXPECT_EQ(site->stored(MessageDirection::outgoing, notice.msg_id).status,
            MessageStatus::apprec_ok);
}

TEST_F(ReceiptTest, AMessageAboutAnotherPatientIsRefusedAndNothingIsQueued) {
  auto m = discharge_ready_message();
  m.envelope.patient->national_id = "01827512300";
  m.envelope.msg_id.clear();
  auto r = queue_message(site->ctx, site->nurse(), site->episode_id, m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  EXPECT_FALSE(r.error().message_nb.empty());
  EXPECT_TRUE(site->with_status(MessageDirection::outgoing, MessageStatus::queued).empty());
}

TEST_F(ReceiptTest, AMessageThatFailsTheChecksIsRefusedAndNothingIsQueued) {
  // The patient is not identified as HIS 80415 requires: an H-number
  // without birth date and sex. A receiver rejects that (E36).
  auto unidentified = discharge_ready_message();
  unidentified.envelope.patient->id_type = msg::PersonIdType::hnr;
  unidentified.envelope.patient->birth_date.reset();
  unidentified.envelope.patient->sex.clear();
  auto r = queue_message(site->ctx, site->nurse(), site->episode_id, unidentified);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  EXPECT_NE(r.error().message.find("E36"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message_nb.find("kan ikke sendes"), std::string::npos);

  // A model msg::write cannot write at all.
  auto bad_id = discharge_ready_message();
  bad_id.envelope.msg_id = "not-a-uuid";
  auto w = queue_message(site->ctx, site->nurse(), site->episode_id, bad_id);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, ErrorCode::invalid_input);
  EXPECT_TRUE(site->with_status(MessageDirection::outgoing, MessageStatus::queued).empty());
}

TEST_F(ReceiptTest, StaffWithoutAccessToTheEpisodeCannotQueue) {
  Caller stranger{core::Principal{"stranger",
                                  "",
                                  "Annen",
                                  core::AccountKind::staff,
                                  {core::RoleGrant{"sykepleier", "elsewhere", {"elsewhere"}}}},
                  ""};
  auto r = queue_message(site->ctx, stranger, site->episode_id, discharge_ready_message());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::forbidden);
  EXPECT_TRUE(site->with_status(MessageDirection::outgoing, MessageStatus::queued).empty());
}

// Two instances, their outbox and inbox folders crossed.
class ExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hospital = std::make_unique<Site>(dir.path / "hospital.db", Side::hospital);
    municipality = std::make_unique<Site>(dir.path / "municipality.db", Side::municipality);
    hospital->seed();
    municipality->seed();
  }
  fs::path to_municipality() const { return dir.path / "to-municipality"; }
  fs::path to_hospital() const { return dir.path / "to-hospital"; }
  store::FileDropTransport hospital_transport() const {
    return store::FileDropTransport(to_hospital(), to_municipality());
  }
  store::FileDropTransport municipality_transport() const {
    return store::FileDropTransport(to_municipality(), to_hospital());
  }

  TempDir dir;
  std::unique_ptr<Site> hospital;
  std::unique_ptr<Site> municipality;
};

TEST_F(ExchangeTest, VarselDischargeReadyAndTheAnswerEndWithAppRecsOnBothSides) {
  auto varsel = health_information_message(msg::health_information_kind::admission_notice);
  varsel.envelope.msg_id.clear();
  auto notice_msg = discharge_ready_message();
  notice_msg.envelope.msg_id.clear();
  auto v = must(queue_message(hospital->ctx, hospital->nurse(), hospital->episode_id, varsel));
  auto n = must(queue_message(hospital->ctx, hospital->nurse(), hospital->episode_id, notice_msg));
  auto ht = hospital_transport();
  auto mt = municipality_transport();

  auto h1 = must(exchange_messages(hospital->ctx, ht));
  EXPECT_EQ(h1.dispatched.sent.size(), 2u);
  EXPECT_TRUE(fs::exists(to_municipality() / (n.msg_id + ".xml")));

  // While nobody has answered, the notice waits for the municipality.
  auto waiting = must(episode_messages(hospital->ctx, hospital->nurse(), hospital->episode_id));
  bool awaiting = false;
  for (const auto& a : waiting.alerts)
    awaiting = awaiting || a.kind == MessageAlertKind::awaiting_reception_answer;
  EXPECT_TRUE(awaiting);

  auto m1 = must(exchange_messages(municipality->ctx, mt));
  ASSERT_EQ(m1.received.size(), 2u);
  for (const auto& r : m1.received) {
    EXPECT_EQ(r.message.status, MessageStatus::accepted) << r.message.msg_type;
    EXPECT_EQ(r.apprecs.size(), 1u);
  }
  EXPECT_EQ(m1.dispatched.sent.size(), 2u);  // the two AppRecs
  EXPECT_TRUE(fs::exists(to_municipality() / "processed" / (n.msg_id + ".xml")));

  // The municipality answers in the notice's conversation (7322 V=7).
  auto answer = reception_answer_message(true);
  answer.envelope.msg_id.clear();
  answer.envelope.conversation = msg::ConversationRef{n.msg_id, n.msg_id};
  auto a = must(
      queue_message(municipality->ctx, municipality->nurse(), municipality->episode_id, answer));
  EXPECT_EQ(a.topic, "7322:7");
  must(exchange_messages(municipality->ctx, mt));

  auto h2 = must(exchange_messages(hospital->ctx, ht));
  EXPECT_EQ(h2.received.size(), 3u);         // two AppRecs and the answer
  EXPECT_EQ(h2.dispatched.sent.size(), 1u);  // the AppRec for the answer
  must(exchange_messages(municipality->ctx, mt));

  EXPECT_EQ(hospital->stored(MessageDirection::outgoing, v.msg_id).status,
            MessageStatus::apprec_ok);
  EXPECT_EQ(hospital->stored(MessageDirection::outgoing, n.msg_id).status,
            MessageStatus::apprec_ok);
  EXPECT_EQ(municipality->stored(MessageDirection::outgoing, a.msg_id).status,
            MessageStatus::apprec_ok);
  auto answered = hospital->stored(MessageDirection::incoming, a.msg_id);
  EXPECT_EQ(answered.status, MessageStatus::accepted);
  EXPECT_EQ(answered.conversation_id, n.msg_id);

  auto view = must(episode_messages(hospital->ctx, hospital->nurse(), hospital->episode_id));
  EXPECT_TRUE(view.alerts.empty());
  EXPECT_GE(view.messages.size(), 5u);  // two sent, their AppRecs, the answer, our AppRec
}

TEST_F(ExchangeTest, AFileTooLargeToReadIsSetAsideWithItsReason) {
  fs::create_directories(to_hospital());
  {
    std::ofstream(to_hospital() / "large.xml") << std::string(100, 'x');
    std::ofstream(to_hospital() / "small.xml") << "<x/>";
  }
  store::FileDropTransport transport(to_hospital(), to_municipality(), 64);
  auto r = must(exchange_messages(hospital->ctx, transport));
  ASSERT_EQ(r.received.size(), 1u);  // the small one, stored as rejected (T01 or T10)
  EXPECT_EQ(r.received[0].message.source_name, "small.xml");
  EXPECT_EQ(r.received[0].message.status, MessageStatus::rejected);
  EXPECT_TRUE(fs::exists(to_hospital() / "processed" / "small.xml"));
  EXPECT_TRUE(fs::exists(to_hospital() / "failed" / "large.xml"));
  std::ifstream reason(to_hospital() / "failed" / "large.xml.reason.txt");
  std::string text((std::istreambuf_iterator<char>(reason)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("limit"), std::string::npos);
  EXPECT_FALSE(fs::exists(to_hospital() / "large.xml"));
}

// A crash after the message is committed and before its file leaves the
// inbox: the file is read again, recognised by its MsgId, and answered once.
TEST(CrashTest, AKillBetweenImportAndMoveLosesNothingAndAnswersOnce) {
  TempDir dir;
  const fs::path db = dir.path / "municipality.db";
  const fs::path inbox = dir.path / "in";
  const fs::path outbox = dir.path / "out";
  {
    Site site(db, Side::municipality);
    site.seed();
  }
  fs::create_directories(inbox);
  const auto notice = discharge_ready_message();
  {
    std::ofstream(inbox / (notice.envelope.msg_id + ".xml"), std::ios::binary)
        << msg::write(notice);
  }
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child imports and commits, then dies before acknowledging.
    Site site(db, Side::municipality);
    store::FileDropTransport transport(inbox, outbox);
    auto waiting = transport.receive(10);
    if (!waiting || waiting->size() != 1) ::_exit(3);
    auto r = receive_message(site.ctx, (*waiting)[0].bytes, (*waiting)[0].name);
    if (!r || r->apprecs.size() != 1) ::_exit(4);
    ::kill(::getpid(), SIGKILL);
    ::_exit(5);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_TRUE(fs::exists(inbox / (notice.envelope.msg_id + ".xml")));  // still there

  Site site(db, Side::municipality);
  store::FileDropTransport transport(inbox, outbox);
  auto r = must(exchange_messages(site.ctx, transport));
  ASSERT_EQ(r.received.size(), 1u);
  EXPECT_TRUE(r.received[0].duplicate);
  EXPECT_TRUE(r.received[0].apprecs.empty());
  EXPECT_EQ(r.dispatched.sent.size(), 1u);  // the one AppRec the first import queued
  EXPECT_FALSE(fs::exists(inbox / (notice.envelope.msg_id + ".xml")));
  EXPECT_TRUE(fs::exists(inbox / "processed" / (notice.envelope.msg_id + ".xml")));
  auto apprecs = apprecs_in(outbox);
  ASSERT_EQ(apprecs.size(), 1u);
  EXPECT_EQ(apprecs[0].original_msg_id, notice.envelope.msg_id);
  EXPECT_EQ(site.stored(MessageDirection::incoming, notice.envelope.msg_id).status,
            MessageStatus::accepted);
}

}  // namespace
}  // namespace samflyt::service::testing
