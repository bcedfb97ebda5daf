// receive(): the AppRec decision for each rule of HIS 80415 §4.8 that
// Samflyt checks, and the AppRec it builds (mirrored addressing).
#include <gtest/gtest.h>

#include "msg_test_support.hpp"

namespace samflyt::msg::testing {
namespace {

const ReceiveOptions kTest{true, {}};

Received receive_message(const Message& m, const ReceiveOptions& options = kTest) {
  return receive(write(m), &validator(), options);
}

// Writes a valid message, then edits its text: for faults write() refuses.
std::string edited(const Message& m, const std::string& from, const std::string& to) {
  std::string xml = write(m);
  const auto at_pos = xml.find(from);
  EXPECT_NE(at_pos, std::string::npos) << from;
  if (at_pos != std::string::npos) xml.replace(at_pos, from.size(), to);
  return xml;
}

std::vector<std::string> codes(const Received& r) {
  std::vector<std::string> out;
  for (const auto& e : r.decision.errors) out.push_back(e.code);
  return out;
}

TEST(Receive, AMsgIdThatIsNotAUuidIsE10AndTheAppRecEchoesIt) {
  const Message m = admitted_message();
  const auto r = receive(edited(m, m.envelope.msg_id, "MSG-2026-0001"), &validator(), kTest);
  EXPECT_EQ(codes(r), std::vector<std::string>{"E10"});
  EXPECT_EQ(r.decision.errors[0].text, "Ugyldig meldingsidentifikator");
  EXPECT_TRUE(r.decision.answer);
  EXPECT_EQ(r.decision.status, AppRecStatus::rejected);
  EXPECT_TRUE(r.read.message.has_value());  // kept, with its reason, but not accepted
  const AppRec a = make_apprec(r, at(2026, 3, 27, 9, 20), "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9");
  EXPECT_EQ(a.original_msg_id, "MSG-2026-0001");
  EXPECT_EQ(a.status, 2);
  const std::string xml = write(a);
  EXPECT_TRUE(validator().validate(std::string_view(xml)).empty()) << xml;
  EXPECT_NE(xml.find("<Error V=\"E10\" DN=\"Ugyldig meldingsidentifikator\""), std::string::npos)
      << xml;
}

TEST(Receive, APatientWithoutIdentificationIsE36) {
  Message m = admitted_message();
  m.envelope.patient->birth_date.reset();
  m.envelope.patient->sex.clear();
  // A national id that fails its check digits identifies no one.
  auto r = receive(edited(m, kPatientId, "01827512394"), &validator(), kTest);
  EXPECT_EQ(codes(r), std::vector<std::string>{"E36"});
  EXPECT_EQ(r.decision.errors[0].text, "Pasientopplysninger er utilstrekkelige");

  // Name, birth date and sex identify the patient without a valid id.
  m = admitted_message();
  r = receive(edited(m, kPatientId, "01827512394"), &validator(), kTest);
  EXPECT_TRUE(r.decision.errors.empty());
}

TEST(Receive, SyntheticTestIdentitiesIdentifyOnlyWhenTheDeploymentAllowsThem) {
  Message m = admitted_message();
  m.envelope.patient->birth_date.reset();
  m.envelope.patient->sex.clear();
  EXPECT_TRUE(receive_message(m, ReceiveOptions{true, {}}).decision.errors.empty());
  EXPECT_EQ(codes(receive_message(m, ReceiveOptions{false, {}})), std::vector<std::string>{"E36"});
}

TEST(Receive, AMissingReceiverHerIdIsE21) {
  const Message m = admitted_message();
  std::string xml = write(m);
  for (const char* her : {"<Id>8200001</Id>", "<Id>8200017</Id>"}) {
    const auto pos = xml.find(her);
    ASSERT_NE(pos, std::string::npos);
    xml.replace(pos, std::string(her).size(), "<Id>TILDELING</Id>");
  }
  const auto r = receive(xml, &validator(), kTest);
  EXPECT_EQ(codes(r), std::vector<std::string>{"E21"});
  EXPECT_TRUE(r.decision.answer);  // the sender is known: it gets the rejection
  EXPECT_TRUE(validator()
                  .validate(std::string_view(write(make_apprec(
                      r, at(2026, 3, 27, 9, 20), "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"))))
                  .empty());
}

TEST(Receive, WithoutTheSendersHerIdNoAppRecIsSent) {
  const Message m = admitted_message();
  const auto r = receive(edited(m, "<Id>8100001</Id>", "<Id>SYKEHUS</Id>"), &validator(), kTest);
  EXPECT_FALSE(r.decision.answer);
  EXPECT_EQ(r.decision.status, AppRecStatus::rejected);
  EXPECT_EQ(r.decision.no_answer_reason, "the sender has no HER-id to send an AppRec to");
  EXPECT_THROW((void)make_apprec(r, at(2026, 3, 27, 9, 20), "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"),
               std::invalid_argument);
}

// The message as written, with its ConversationRef cut out (write() refuses
// to leave it out of a reply, change or cancellation).
std::string without_conversation_ref(const Message& m) {
  std::string xml = write(m);
  const auto from = xml.find("<ConversationRef>");
  const auto to = xml.find("</ConversationRef>");
  EXPECT_NE(from, std::string::npos);
  xml.erase(from, to + std::string("</ConversationRef>").size() - from);
  return xml;
}

TEST(Receive, RepliesChangesAndCancellationsNeedAConversationRef) {
  const auto r = receive(
      without_conversation_ref(health_information_message(health_information_kind::updated)),
      &validator(), kTest);
  EXPECT_EQ(codes(r), std::vector<std::string>{"X99"});
  EXPECT_EQ(r.decision.errors[0].detail,
            "ConversationRef mangler; den er påkrevd for endring (Forsendelsesstatus M)");

  Message cancel = discharge_ready_message();
  std::get<DischargeReady>(cancel.content).plo.status = ShipmentStatus::cancellation;
  cancel.envelope.conversation = ConversationRef{"7a9d2f60-1b3c-4e5d-8f6a-7b8c9d0e1f00",
                                                 "7a9d2f60-1b3c-4e5d-8f6a-7b8c9d0e1f00"};
  EXPECT_TRUE(codes(receive_message(cancel)).empty());
  EXPECT_EQ(codes(receive(without_conversation_ref(cancel), &validator(), kTest)),
            std::vector<std::string>{"X99"});

  for (const Message& reply :
       {answer_message(), deviation_message(), reception_answer_message(true)}) {
    SCOPED_TRACE(reply.envelope.type);
    EXPECT_TRUE(codes(receive_message(reply)).empty());
    EXPECT_EQ(codes(receive(without_conversation_ref(reply), &validator(), kTest)),
              std::vector<std::string>{"X99"});
  }
  // A first message needs none.
  EXPECT_TRUE(codes(receive_message(request_message())).empty());
}

TEST(Receive, ATypeThatContradictsTheContentIsX99) {
  const Message m = discharge_ready_message();
  const auto r =
      receive(edited(m, "V=\"LOG_UTSKRIVNINGSKLAR\"", "V=\"LOG_UTSKREVET\""), &validator(), kTest);
  EXPECT_EQ(codes(r), std::vector<std::string>{"X99"});
  EXPECT_FALSE(r.read.message.has_value());
}

TEST(Receive, SchemaErrorsAreT02OnlyWithAValidator) {
  const Message m = admitted_message();
  // An element the schema does not allow, in a place the reader ignores.
  const std::string xml = edited(m, "<MsgId>", "<Unknown>x</Unknown><MsgId>");
  const auto strict = receive(xml, &validator(), kTest);
  EXPECT_EQ(codes(strict), std::vector<std::string>{"T02"});
  EXPECT_NE(strict.decision.errors[0].detail.find("Unknown"), std::string::npos);
  EXPECT_TRUE(strict.decision.answer);
  EXPECT_FALSE(strict.read.message.has_value());
  const auto lenient = receive(xml, nullptr, kTest);
  EXPECT_TRUE(codes(lenient).empty());
  EXPECT_TRUE(lenient.read.message.has_value());
}

TEST(Receive, MissingRequiredElementsAreT02WithoutAValidatorToo) {
  const Message m = admitted_message();
  const auto r = receive(edited(m, "<MsgId>" + m.envelope.msg_id + "</MsgId>", ""), nullptr, kTest);
  EXPECT_EQ(codes(r), std::vector<std::string>{"T02"});
}

TEST(Receive, UnsupportedDocumentsAreT10) {
  const auto r =
      receive("<?xml version=\"1.0\"?><Epikrise xmlns=\"http://example.org/x\"/>", nullptr, kTest);
  EXPECT_EQ(codes(r), std::vector<std::string>{"T10"});
  // A MsgHead with content of a namespace Samflyt does not read.
  const Message m = admitted_message();
  const auto other = receive(edited(m, plo16_namespace("Pasientlogistikk"),
                                    "http://www.kith.no/xmlstds/epikrise/2012-02-15"),
                             nullptr, kTest);
  EXPECT_EQ(codes(other), std::vector<std::string>{"T10"});
  EXPECT_TRUE(other.decision.answer);
}

TEST(Receive, ARejectedMessageWithAReadableHeadIsAnswered) {
  const Message m = discharge_ready_message();
  const auto r = receive(edited(m, "<MIGversion>v1.2 2006-05-24</MIGversion>",
                                "<MIGversion>v1.1 2006-05-24</MIGversion>"),
                         &validator(), kTest);
  EXPECT_EQ(codes(r), std::vector<std::string>{"T10"});
  EXPECT_TRUE(r.decision.answer) << r.decision.no_answer_reason;
  const AppRec a = make_apprec(r, at(2026, 3, 27, 9, 20), "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9");
  EXPECT_EQ(a.original_msg_id, m.envelope.msg_id);
  EXPECT_EQ(a.errors[0].text, "Støtter ikke meldingsformatet");
  EXPECT_TRUE(validator().validate(std::string_view(write(a))).empty());

  // Without a MsgId there is no OriginalMsgId to answer to.
  const auto no_id =
      receive(edited(m, "<MsgId>" + m.envelope.msg_id + "</MsgId>", ""), nullptr, kTest);
  EXPECT_EQ(codes(no_id), std::vector<std::string>{"T02"});
  EXPECT_FALSE(no_id.decision.answer);
}

TEST(Receive, AnAttachmentSamflytCannotShowIsRejected) {
  Message m = reception_answer_message(true);
  m.attachments.push_back(Attachment{"image/png", "Skjema", "iVBORw0KGgo="});
  const std::string xml =
      edited(m, "<MimeType>image/png</MimeType>", "<MimeType>application/msword</MimeType>");
  const auto r = receive(xml, &validator(), kTest);
  EXPECT_EQ(codes(r), std::vector<std::string>{"T10"});
  EXPECT_EQ(r.decision.errors[0].detail,
            "Vedlegg av typen 'application/msword' støttes ikke (PDF, JPEG og PNG støttes)");
  EXPECT_TRUE(r.decision.answer);
}

TEST(Receive, MessagesForAnotherOrganisationAreNotAnswered) {
  const Message m = admitted_message();
  EXPECT_TRUE(receive_message(m, ReceiveOptions{true, {8200001}}).decision.answer);
  EXPECT_TRUE(receive_message(m, ReceiveOptions{true, {8200017}}).decision.answer);
  const auto elsewhere = receive_message(m, ReceiveOptions{true, {8300001}});
  EXPECT_FALSE(elsewhere.decision.answer);
  EXPECT_EQ(elsewhere.decision.no_answer_reason,
            "the message is addressed to another organisation");
}

TEST(Receive, AServiceWeDoNotHaveIsE21OnlyWhenConfigured) {
  const Message m = admitted_message();  // to 8200001, service 8200017
  ReceiveOptions options{true, {8200001, 8200099}, false};
  auto r = receive_message(m, options);
  EXPECT_TRUE(r.decision.answer);
  EXPECT_EQ(r.decision.status, AppRecStatus::ok);
  options.reject_unknown_service = true;
  r = receive_message(m, options);
  EXPECT_TRUE(r.decision.answer);
  EXPECT_EQ(codes(r), std::vector<std::string>{"E21"});
  EXPECT_EQ(r.decision.errors[0].detail, "Tjenesten med HER-id 8200017 finnes ikke hos mottaker");
  options.own_her_ids.push_back(8200017);
  EXPECT_EQ(receive_message(m, options).decision.status, AppRecStatus::ok);
}

TEST(Receive, EachCopyReceiverOfOursGetsItsOwnAppRec) {
  Message m = discharge_report_message();
  Organisation gp;
  gp.name = "Fjellbygd legesenter";
  gp.her_id = 8300001;
  Organisation home_care;
  home_care.name = "Fjellbygd kommune";
  home_care.her_id = 8200001;
  home_care.unit = Unit{"Hjemmesykepleien", 8200023};
  m.envelope.copy_receivers = {gp, home_care};
  const std::string xml = write(m);
  EXPECT_TRUE(validator().validate(std::string_view(xml)).empty()) << xml;

  auto r = receive(xml, &validator(), ReceiveOptions{true, {8200001, 8200017, 8200023}});
  ASSERT_EQ(r.read.envelope->copy_receivers.size(), 2u);
  EXPECT_TRUE(r.decision.answer);
  EXPECT_EQ(r.decision.copy_answers, std::vector<std::size_t>{1});
  const AppRec copy =
      make_copy_apprec(r, 1, at(2026, 4, 1, 9, 0), "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d");
  EXPECT_EQ(copy.sender.role, "COP");
  EXPECT_EQ(copy.sender.dept->her_id, 8200023);
  EXPECT_EQ(copy.receiver.her_id, 8100001);
  EXPECT_TRUE(validator().validate(std::string_view(write(copy))).empty());
  EXPECT_THROW(
      (void)make_copy_apprec(r, 0, at(2026, 4, 1, 9, 0), "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6e"),
      std::invalid_argument);  // the GP is not ours

  // At the GP's office only the copy is ours: no AppRec for the Receiver.
  r = receive(xml, &validator(), ReceiveOptions{true, {8300001}});
  EXPECT_FALSE(r.decision.answer);
  EXPECT_EQ(r.decision.copy_answers, std::vector<std::size_t>{0});
  EXPECT_THROW((void)make_apprec(r, at(2026, 4, 1, 9, 0), "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6f"),
               std::invalid_argument);
}

TEST(Receive, ThePositiveAppRecMirrorsTheAddressing) {
  const Message m = discharge_ready_message();
  const auto r = receive_message(m);
  const AppRec a = make_apprec(r, at(2026, 3, 27, 9, 20), "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9");
  EXPECT_EQ(a.version, AppRecVersion::v11);
  EXPECT_EQ(a.status, 1);
  EXPECT_TRUE(a.errors.empty());
  EXPECT_EQ(a.sender.role, "PRIM");
  EXPECT_EQ(a.sender.her_id, 8200001);
  EXPECT_EQ(a.sender.dept->her_id, 8200017);
  EXPECT_EQ(a.receiver.role, "AVS");
  EXPECT_EQ(a.receiver.her_id, 8100001);
  EXPECT_EQ(a.receiver.dept->name, "Medisinsk avdeling, sengepost 3");
  EXPECT_EQ(a.original_type, "LOG_UTSKRIVNINGSKLAR");
  EXPECT_EQ(a.original_msg_id, m.envelope.msg_id);
  EXPECT_EQ(a.original_gen_date, m.envelope.gen_date);
  const auto back = read(write(a));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.apprec->original_msg_id, m.envelope.msg_id);
  EXPECT_EQ(back.apprec->original_gen_date, m.envelope.gen_date);
}

namespace {

// A positive AppRec as Samflyt writes it, for the edits below.
std::string positive_apprec_xml() {
  const auto r = receive_message(discharge_ready_message());
  return write(make_apprec(r, at(2026, 3, 27, 9, 20), "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"));
}

std::string replaced(std::string xml, const std::string& from, const std::string& to) {
  const auto at_pos = xml.find(from);
  EXPECT_NE(at_pos, std::string::npos) << from;
  if (at_pos != std::string::npos) xml.replace(at_pos, from.size(), to);
  return xml;
}

}  // namespace

// Found by fuzzing (tests/fuzz/corpus/read_apprec/regress-apprec-*): the
// reader accepted AppRecs that write() (and the schemas) refuse, so an
// unusable receipt counted as conformant.
TEST(ReceiveAppRec, WithoutTheOriginalsIdItIsT02) {
  const auto xml =
      replaced(positive_apprec_xml(), "<Id>7a9d2f60-1b3c-4e5d-8f6a-7b8c9d0e1f04</Id>", "<Id/>");
  const auto r = read(xml);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors.front().code, "T02");
  EXPECT_EQ(r.errors.front().detail, "OriginalMsgId mangler MsgType eller Id");
  EXPECT_EQ(receive(xml, nullptr).read.errors.front().code, "T02");
}

TEST(ReceiveAppRec, APositiveStatusWithErrorsIsX99) {
  const auto xml = replaced(positive_apprec_xml(), "<OriginalMsgId>",
                            "<Error V=\"E21\" DN=\"Mottaker finnes ikke\" "
                            "S=\"2.16.578.1.12.4.1.1.8221\"/><OriginalMsgId>");
  const auto r = read(xml);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors.front().code, "X99");
  EXPECT_EQ(r.errors.front().detail, "Positiv kvittering med Error");
  ASSERT_TRUE(r.apprec.has_value());  // kept, to show what came
  EXPECT_EQ(r.apprec->status, 1);
}

TEST(Receive, ValidatorLoadingFailsClearly) {
  EXPECT_THROW(Validator("/nonexistent/schemas"), std::runtime_error);
  const auto dir = fs::temp_directory_path() / "samflyt-empty-schemas";
  fs::create_directories(dir);
  try {
    Validator v(dir);
    ADD_FAILURE() << "an empty directory must not load";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("all-v16.xsd"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace samflyt::msg::testing
