// Every message type Samflyt writes validates against the official
// schemas (all-v16.xsd; the AppRec schemas for receipts), reads back to
// the same fields, and is accepted by receive() with a positive AppRec.
#include <gtest/gtest.h>

#include "msg_test_support.hpp"

namespace samflyt::msg::testing {
namespace {

struct Case {
  const char* name;
  Message (*make)();
};

Message varsel() {
  return health_information_message(health_information_kind::admission_notice);
}
Message oppdatert() {
  return health_information_message(health_information_kind::updated);
}
Message can_receive() {
  return reception_answer_message(true);
}
Message cannot_receive() {
  return reception_answer_message(false);
}

const Case kCases[] = {
    {"innlagt", admitted_message},
    {"helseopplysninger_varsel", varsel},
    {"helseopplysninger_oppdatert", oppdatert},
    {"utskrivningsklar", discharge_ready_message},
    {"avmelding", cancelled_message},
    {"utskrevet", discharged_message},
    {"utskrivningsrapport", discharge_report_message},
    {"helsefaglig_dialog_kan_ta_imot", can_receive},
    {"helsefaglig_dialog_kan_ikke_ta_imot", cannot_receive},
    {"dialog_foresporsel", request_message},
    {"dialog_svar", answer_message},
    {"dialog_avvik", deviation_message},
};

class Written : public ::testing::TestWithParam<Case> {};

TEST_P(Written, ValidatesAgainstTheOfficialSchemas) {
  const std::string xml = write(GetParam().make());
  const auto errors = validator().validate(std::string_view(xml));
  EXPECT_TRUE(errors.empty()) << errors.front() << "\n" << xml;
}

TEST_P(Written, IsReceivedWithAPositiveAppRecThatAlsoValidates) {
  const Message original = GetParam().make();
  const std::string xml = write(original);
  const auto received = receive(xml, &validator(), ReceiveOptions{true, {}});
  ASSERT_TRUE(received.read.ok()) << received.read.errors.front().code << " "
                                  << received.read.errors.front().detail;
  EXPECT_TRUE(received.decision.answer) << received.decision.no_answer_reason;
  EXPECT_EQ(received.decision.status, AppRecStatus::ok);
  ASSERT_TRUE(received.read.message.has_value());
  EXPECT_EQ(received.read.message->envelope.type, original.envelope.type);
  EXPECT_EQ(received.read.message->content.index(), original.content.index());

  const AppRec apprec =
      make_apprec(received, at(2026, 3, 27, 9, 16), "f27fa1e8-93a4-4a05-b1f2-5d6e7f809113");
  const std::string apprec_xml = write(apprec);
  const auto errors = validator().validate(std::string_view(apprec_xml));
  EXPECT_TRUE(errors.empty()) << errors.front() << "\n" << apprec_xml;
  const bool dialog_10 =
      received.read.standard == "Dialogmelding" && received.read.version == "1.0";
  EXPECT_EQ(apprec.version, dialog_10 ? AppRecVersion::v10 : AppRecVersion::v11);
}

INSTANTIATE_TEST_SUITE_P(EveryType, Written, ::testing::ValuesIn(kCases),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(Written, TheEnvelopeReadsBackFieldByField) {
  const Message m = discharge_ready_message();
  const auto r = read(write(m), ReadOptions{true});
  ASSERT_TRUE(r.ok()) << r.errors.front().detail;
  EXPECT_EQ(r.standard, "PLO");
  EXPECT_EQ(r.version, "1.6");
  const Envelope& e = r.message->envelope;
  EXPECT_EQ(e.type, "LOG_UTSKRIVNINGSKLAR");
  EXPECT_EQ(e.msg_id, m.envelope.msg_id);
  EXPECT_EQ(e.gen_date, m.envelope.gen_date);
  EXPECT_EQ(e.sender.name, "Telemark Testsykehus HF");
  EXPECT_EQ(e.sender.her_id, 8100001);
  EXPECT_EQ(e.sender.org_number, "123456785");
  ASSERT_TRUE(e.sender.unit.has_value());
  EXPECT_EQ(e.sender.unit->her_id, 8100042);
  EXPECT_EQ(e.receiver.routing_her_id(), 8200017);
  ASSERT_TRUE(e.patient.has_value());
  EXPECT_EQ(e.patient->national_id, kPatientId);
  EXPECT_EQ(e.patient->family_name, "Fjellstad");
  EXPECT_EQ(e.patient->birth_date, ymd(1975, 2, 1));
  EXPECT_EQ(e.consent, Consent::yes);

  const auto& ready = std::get<DischargeReady>(r.message->content);
  EXPECT_EQ(ready.admitted.time, PointInTime{at(2026, 3, 23, 21, 40)});
  EXPECT_FALSE(ready.admitted.estimated);
  EXPECT_EQ(ready.ready.time, PointInTime{ymd(2026, 3, 30)});
  EXPECT_TRUE(ready.ready.estimated);
  ASSERT_TRUE(ready.plo.responsible.has_value());
  EXPECT_EQ(ready.plo.responsible->family_name, "Testlege");
  EXPECT_EQ(ready.plo.responsible->hpr_number, "9900456");
  EXPECT_EQ(ready.plo.contact_unit_phone, "35000010");
}

TEST(Written, TimesAreOsloWallClockWithTheirOffset) {
  Message m = admitted_message();
  m.envelope.gen_date = at(2026, 3, 29, 0, 30);  // the first hour of summer time
  const std::string xml = write(m);
  EXPECT_NE(xml.find("<GenDate>2026-03-29T01:30:00+01:00</GenDate>"), std::string::npos) << xml;
  m.envelope.gen_date = at(2026, 3, 29, 1, 30);
  EXPECT_NE(write(m).find("<GenDate>2026-03-29T03:30:00+02:00</GenDate>"), std::string::npos);
}

// Found by fuzzing (tests/fuzz/corpus/read_dialogmelding/written-mottak-ja.xml):
// writing a reception answer that was read put its sentence in twice.
TEST(Written, AReceptionAnswerReadAndWrittenAgainSaysItOnce) {
  const std::string first = write(reception_answer_message(true));
  const auto r = read(first, ReadOptions{true});
  ASSERT_TRUE(r.ok());
  const std::string second = write(*r.message);
  EXPECT_EQ(second, first);
  const std::string sentence = "Kommunen kan ta imot pasienten fra 31.03.2026.";
  const auto at_first = second.find(sentence);
  ASSERT_NE(at_first, std::string::npos);
  EXPECT_EQ(second.find(sentence, at_first + 1), std::string::npos) << second;
}

TEST(Written, TheReceptionAnswerCarriesItsDateAndReadsBack) {
  const auto r = read(write(reception_answer_message(true)), ReadOptions{true});
  ASSERT_TRUE(r.ok());
  const auto& d = std::get<Dialog>(r.message->content);
  EXPECT_EQ(d.topic.value, "7");
  EXPECT_EQ(d.topic.code_system, 7322);
  ASSERT_TRUE(d.reception.has_value());
  EXPECT_TRUE(d.reception->can_receive);
  EXPECT_EQ(d.reception->from_date, ymd(2026, 3, 31));
  EXPECT_NE(d.text.find("Kommunen kan ta imot pasienten fra 31.03.2026."), std::string::npos);

  const auto no = read(write(reception_answer_message(false)), ReadOptions{true});
  ASSERT_TRUE(no.ok());
  ASSERT_TRUE(std::get<Dialog>(no.message->content).reception.has_value());
  EXPECT_FALSE(std::get<Dialog>(no.message->content).reception->can_receive);
}

TEST(Written, DischargedKeepsWhereThePatientWent) {
  const auto r = read(write(discharged_message()), ReadOptions{true});
  ASSERT_TRUE(r.ok());
  const auto& d = std::get<Discharged>(r.message->content);
  EXPECT_EQ(d.discharged_to.value, "11");
  EXPECT_EQ(d.discharged_to.code_system, 8408);
  EXPECT_EQ(d.remark, "Korttidsplass ved Fjellbygd helsehus");
  EXPECT_EQ(d.discharged.code, event_code::discharged);
}

// Found by fuzzing (tests/fuzz/corpus/read_plo/regress-uncoded-events.xml):
// events named only by their place (no Hendelsekode) were read with code 0,
// so the message read could not be written again.
TEST(Written, UncodedEventsAreReadAsTheEventsTheyStandFor) {
  std::string xml = write(discharge_ready_message());
  for (auto at_pos = xml.find("<Hendelsekode"); at_pos != std::string::npos;
       at_pos = xml.find("<Hendelsekode"))
    xml.erase(at_pos, xml.find("/>", at_pos) + 2 - at_pos);
  const auto r = read(xml, ReadOptions{true});
  ASSERT_TRUE(r.ok());
  const auto& d = std::get<DischargeReady>(r.message->content);
  EXPECT_EQ(d.admitted.code, event_code::admitted);
  EXPECT_EQ(d.ready.code, event_code::discharge_ready);
  EXPECT_EQ(d.ready.time, PointInTime{ymd(2026, 3, 30)});
  EXPECT_EQ(write(*r.message), write(discharge_ready_message()));
}

// A one-page PDF would do; these are the first bytes of one, base64.
constexpr const char* kPdfBase64 =
    "JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDwvVHlwZS9DYXRhbG9nPj4KZW5kb2JqCg==";

TEST(Written, AttachmentsAreFurtherDocumentsThatValidate) {
  Message m = reception_answer_message(true);
  m.attachments.push_back(Attachment{"application/pdf", "Vedtak om korttidsopphold", kPdfBase64});
  m.attachments.push_back(Attachment{"image/png", "Skjema", "iVBORw0KGgo="});
  const std::string xml = write(m);
  const auto errors = validator().validate(std::string_view(xml));
  EXPECT_TRUE(errors.empty()) << errors.front() << "\n" << xml;
  const auto r = read(xml, ReadOptions{true});
  ASSERT_TRUE(r.ok()) << r.errors.front().detail;
  ASSERT_EQ(r.message->attachments.size(), 2u);
  EXPECT_EQ(r.message->attachments[0].mime_type, "application/pdf");
  EXPECT_EQ(r.message->attachments[0].description, "Vedtak om korttidsopphold");
  EXPECT_EQ(r.message->attachments[0].base64, kPdfBase64);
  EXPECT_EQ(r.message->attachments[1].mime_type, "image/png");

  m.attachments.push_back(Attachment{"text/html", "Side", "PGh0bWw+"});
  EXPECT_THROW((void)write(m), std::invalid_argument);
}

TEST(Written, XhtmlNoteTextKeepsItsParagraphsApart) {
  Message m = reception_answer_message(false);
  std::get<Dialog>(m.content).reception.reset();
  std::get<Dialog>(m.content).text = "PLACEHOLDER";
  std::string xml = write(m);
  xml.replace(xml.find("PLACEHOLDER"), 11,
              "<p xmlns=\"http://www.w3.org/1999/xhtml\">Ingen ledig plass i dag.</p>"
              "<p xmlns=\"http://www.w3.org/1999/xhtml\">Vi ringer <b>i morgen</b>.</p>");
  EXPECT_TRUE(validator().validate(std::string_view(xml)).empty());
  const auto r = read(xml, ReadOptions{true});
  ASSERT_TRUE(r.ok()) << r.errors.front().detail;
  EXPECT_EQ(std::get<Dialog>(r.message->content).text,
            "Ingen ledig plass i dag.\nVi ringer i morgen.");
}

TEST(Written, TextIsEscaped) {
  Message m = discharge_report_message();
  std::get<DischargeReport>(m.content).notes[0].text = "Blodtrykk <140/90 & \"stabilt\"";
  const std::string xml = write(m);
  EXPECT_TRUE(validator().validate(std::string_view(xml)).empty());
  const auto r = read(xml, ReadOptions{true});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<DischargeReport>(r.message->content).notes[0].text,
            "Blodtrykk <140/90 & \"stabilt\"");
}

TEST(Written, RefusesAModelThatCannotBeAValidMessage) {
  Message m = admitted_message();
  m.envelope.msg_id = "not-a-uuid";
  EXPECT_THROW((void)write(m), std::invalid_argument);
  m = admitted_message();
  m.envelope.sender.her_id.reset();
  EXPECT_THROW((void)write(m), std::invalid_argument);
  m = admitted_message();
  std::get<AdmittedPatient>(m.content).admitted.code = event_code::discharged;
  EXPECT_THROW((void)write(m), std::invalid_argument);
  // A change, cancellation or reply must say what it refers to.
  for (Message reply : {answer_message(), reception_answer_message(false), deviation_message(),
                        health_information_message(health_information_kind::updated)}) {
    EXPECT_NO_THROW((void)write(reply));
    reply.envelope.conversation.reset();
    EXPECT_THROW((void)write(reply), std::invalid_argument) << reply.envelope.type;
  }
  // A reply carries the question; a discharge-ready notice names who is responsible.
  m = answer_message();
  std::get<Dialog>(m.content).question.reset();
  EXPECT_THROW((void)write(m), std::invalid_argument);
  m = discharge_ready_message();
  std::get<DischargeReady>(m.content).plo.responsible.reset();
  EXPECT_THROW((void)write(m), std::invalid_argument);
}

TEST(Written, NegativeAppRecsValidateInBothVersions) {
  for (auto version : {AppRecVersion::v10, AppRecVersion::v11}) {
    AppRec a;
    a.version = version;
    a.gen_date = at(2026, 3, 27, 9, 16);
    a.id = "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3";
    a.sender = AppRecParty{version == AppRecVersion::v11 ? "PRIM" : "SPR",
                           "Fjellbygd kommune",
                           8200001,
                           Unit{"Tildelingskontoret", 8200017},
                           {},
                           {}};
    a.receiver = AppRecParty{version == AppRecVersion::v11 ? "AVS" : "",
                             "Telemark Testsykehus HF",
                             8100001,
                             Unit{"Medisinsk avdeling, sengepost 3", 8100042},
                             {},
                             {}};
    a.status = 2;
    a.errors.push_back(make_error(AppRecErrorCode::E10, "MsgId er ikke en UUID"));
    a.original_type = "LOG_INNLAGT";
    a.original_gen_date = at(2026, 3, 27, 9, 15);
    a.original_msg_id = "12345";
    const std::string xml = write(a);
    const auto errors = validator().validate(std::string_view(xml));
    EXPECT_TRUE(errors.empty()) << errors.front() << "\n" << xml;
    const auto back = read(xml);
    ASSERT_TRUE(back.ok()) << back.errors.front().detail;
    ASSERT_TRUE(back.apprec.has_value());
    EXPECT_EQ(back.apprec->status, 2);
    ASSERT_EQ(back.apprec->errors.size(), 1u);
    EXPECT_EQ(back.apprec->errors[0].code, "E10");
    EXPECT_EQ(back.apprec->errors[0].text, "Ugyldig meldingsidentifikator");
    EXPECT_EQ(back.apprec->original_msg_id, "12345");
  }
}

}  // namespace
}  // namespace samflyt::msg::testing
