// Every official example message (the standards' examples/ folder, walked)
// is read to the right standard, version, message type and addressing,
// validates against the official schemas, and gets a positive AppRec;
// the deliberately invalid examples are rejected with the right AppRec
// error code. Spot checks per message type read the content fields.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "msg_test_support.hpp"

namespace samflyt::msg::testing {
namespace {

struct Expected {
  std::string type;
  std::string msg_id;
  std::int64_t sender_her;
  std::int64_t receiver_her;  // the routing HER-id: the addressed unit's when it has one
  std::string patient_id;
};

// Read from the files with an independent tool (Python's ElementTree) and
// checked by hand; the MsgHead examples.
const std::map<std::string, Expected>& msghead_examples() {
  static const std::map<std::string, Expected> table{
      {"dialogmelding/ks-no-tests/1.1/helsefaglig-dialog/samsvar-test-message.xml",
       {"DIALOG_HELSEFAGLIG", "615aba81-6a88-41d1-a9f5-90b28cfc8b73", 112374, 8143060,
        "15720255178"}},
      {"dialogmelding/ks-no-tests/1.0/foresporsel-og-svar/dialog-foresporsel-samsvar-test.xml",
       {"DIALOG_FORESPORSEL", "6ddb98ed-9e34-4efa-9163-62e4ea0cbf43", 112374, 8143060,
        "15720255178"}},
      {"dialogmelding/ks-no-tests/1.0/foresporsel-og-svar/dialog-notat-webmed-test.xml",
       {"DIALOG_NOTAT", "a748bb20-4e0f-4922-9b06-ec2c101eb9c1", 8142952, 8143060, "15720255178"}},
      {"dialogmelding/ks-no-tests/1.0/foresporsel-og-svar/dialog-svar-webmed-test-2.xml",
       {"DIALOG_SVAR", "edfa9473-097e-478e-bbea-89eb59d78fd9", 8142952, 8143060, "21905297101"}},
      {"dialogmelding/ks-no-tests/1.0/foresporsel-og-svar/dialog-svar-webmed-test.xml",
       {"DIALOG_SVAR", "a748bb20-4e0f-4922-9b06-ec2c101eb9c1", 8142952, 8143060, "15720255178"}},
      {"dialogmelding/Dialogmelding-v1-0/Dialogmelding_avvik_v1-0.xml",
       {"DIALOG_AVVIK", "79a353f0-0118-11e8-8f1a-0800200c9a66", 91096, 90998, "13116900216"}},
      {"dialogmelding/Dialogmelding-v1-0/Dialogmelding_foresporsel_PLO_v1-0.xml",
       {"DIALOG_FORESPORSEL", "f0f88210-0111-11e8-8f1a-0800200c9a66", 99387, 91096, "13116900216"}},
      {"dialogmelding/Dialogmelding-v1-0/Dialogmelding_svar_foresporsel_PLO_v1-0.xml",
       {"DIALOG_SVAR", "42001f60-0117-11e8-8f1a-0800200c9a66", 91096, 5078, "13116900216"}},
      {"dialogmelding/Dialogmelding-v1-1/Helsefaglig dialog.xml",
       {"DIALOG_HELSEFAGLIG", "de1a95c0-4d0c-11e7-9598-0800200c9a66", 56704, 90998, "13116900216"}},
      {"dialogmelding/Dialogmelding-v1-1/Helsefaglig dialog_angi profesjon hos mottaker.xml",
       {"DIALOG_HELSEFAGLIG", "d93cebe5-ac91-4022-8969-4f93300d8171", 56704, 90998, "13116900216"}},
      {"dialogmelding/Dialogmelding-v1-1/Status_paa_henvisning-InnkaltEtterViderehenvisning.xml",
       {"DIALOG_STATUS_HENVISNING", "797700e0-2d17-11e8-b566-0800200c9a66", 59, 8605,
        "13116900216"}},
      {"plo-1.5/Medisinske_opplysninger-v1_5/Medisinske_opplysninger_v1-5_Kansellering.xml",
       {"MEDISINSKE_OPPLYSNINGER", "fc6aeec0-068a-11e8-b566-0800200c9a66", 91096, 5078,
        "15076500565"}},
      {"plo-1.5/Medisinske_opplysninger-v1_5/Medisinske_opplysninger_v1-5_Ny.xml",
       {"MEDISINSKE_OPPLYSNINGER", "e397dea0-0688-11e8-b566-0800200c9a66", 91096, 5078,
        "13116900216"}},
      {"plo-1.5/Helseopplysninger_ved_soknad-v1_5/"
       "Helseopplysninger_ved_soknad_Oppdatert_v1-5_Endring1.xml",
       {"HELSEOPPL_SOKNAD", "1e0e4670-0745-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.5/Helseopplysninger_ved_soknad-v1_5/"
       "Helseopplysninger_ved_soknad_Oppdatert_v1-5_Endring2.xml",
       {"HELSEOPPL_SOKNAD", "4ee318b0-0764-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.5/Helseopplysninger_ved_soknad-v1_5/Helseopplysninger_ved_soknad_Varsel_v1-5_Ny.xml",
       {"HELSEOPPL_SOKNAD", "ac28db00-fd27-11e7-8f1a-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.5/Innleggelsesrapport-v1_5/Innleggelsesrapport_v1-5_Endring.xml",
       {"INNLEGGELSESRAPPORT", "467edb30-0671-11e8-b566-0800200c9a66", 99387, 91090,
        "13116900216"}},
      {"plo-1.5/Innleggelsesrapport-v1_5/Innleggelsesrapport_v1-5_Kansellering.xml",
       {"INNLEGGELSESRAPPORT", "1587a650-0672-11e8-b566-0800200c9a66", 99387, 91090,
        "13116900216"}},
      {"plo-1.5/Innleggelsesrapport-v1_5/Innleggelsesrapport_v1-5_Ny.xml",
       {"INNLEGGELSESRAPPORT", "72dc9650-0666-11e8-b566-0800200c9a66", 99387, 91090,
        "13116900216"}},
      {"plo-1.5/Utskrivningsrapport-v1_5/Utskrivningsrapport_v1-5_Endring.xml",
       {"UTSKRIVNINGSRAPPORT", "c61ea010-0828-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.5/Utskrivningsrapport-v1_5/Utskrivningsrapport_v1-5_Kansellering.xml",
       {"UTSKRIVNINGSRAPPORT", "77ed1e70-0829-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.5/Utskrivningsrapport-v1_5/Utskrivningsrapport_v1-5_Ny.xml",
       {"UTSKRIVNINGSRAPPORT", "440ce550-0828-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.5/Orientering_om_tjenestetilbud-v1_5/"
       "Orientering_om_tjenestetilbud_v1-5_Kansellering.xml",
       {"ORIENTERING_TJENESTETILBUD", "2ff24790-068e-11e8-b566-0800200c9a66", 99387, 91096,
        "15076500565"}},
      {"plo-1.5/Orientering_om_tjenestetilbud-v1_5/Orientering_om_tjenestetilbud_v1-5_Ny.xml",
       {"ORIENTERING_TJENESTETILBUD", "6502ae30-068d-11e8-b566-0800200c9a66", 99387, 91096,
        "15076500565"}},
      {"plo-1.5/Helseopplysninger_til_lege-v1_5/Helseopplysninger_til_lege_v1-5_Kansellering.xml",
       {"HELSEOPPLYSNINGER_LEGE", "d878adc0-05bf-11e8-8f1a-0800200c9a66", 99387, 91096,
        "15076500565"}},
      {"plo-1.5/Helseopplysninger_til_lege-v1_5/Helseopplysninger_til_lege_v1-5_Ny.xml",
       {"HELSEOPPLYSNINGER_LEGE", "665db6f0-05b4-11e8-8f1a-0800200c9a66", 99387, 91096,
        "15076500565"}},
      {"plo-1.5/Pasientlogistikk_dodsfall-v1_5/"
       "Pasientlogistikk_Avmelding_av_utskrivningsklar_pasient_v1-5_Ny.xml",
       {"LOG_AVMELDING", "81033e00-0733-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.5/Pasientlogistikk_dodsfall-v1_5/"
       "Pasientlogistikk_Innlagt_pasient_v1-5_Kansellering.xml",
       {"LOG_INNLAGT", "43b5c250-0730-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.5/Pasientlogistikk_dodsfall-v1_5/Pasientlogistikk_Innlagt_pasient_v1-5_Ny.xml",
       {"LOG_INNLAGT", "6fb05530-072d-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.5/Pasientlogistikk_dodsfall-v1_5/"
       "Pasientlogistikk_Melding_om_utskrevet_pasient_v1-5_Ny.xml",
       {"LOG_UTSKREVET", "d7c02db0-0734-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.5/Pasientlogistikk_dodsfall-v1_5/"
       "Pasientlogistikk_Orientering_om_dodsfall_v1-5_Kansellering.xml",
       {"LOG_DOD", "90e124f0-0737-11e8-b566-0800200c9a66", 99387, 91096, "15076500565"}},
      {"plo-1.5/Pasientlogistikk_dodsfall-v1_5/"
       "Pasientlogistikk_Orientering_om_dodsfall_v1-5_Ny.xml",
       {"LOG_DOD", "d68d5d90-0735-11e8-b566-0800200c9a66", 99387, 91096, "15076500565"}},
      {"plo-1.5/Pasientlogistikk_dodsfall-v1_5/"
       "Pasientlogistikk_Utskrivningsklar_pasient_v1-5_Ny.xml",
       {"LOG_UTSKRIVNINGSKLAR", "a97e8340-0732-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.6/helseopplysninger_til_lege_1_6_mottak/"
       "Helseopplysninger_til_lege_v1-6_Kansellering.xml",
       {"HELSEOPPLYSNINGER_LEGE", "f7aba920-05b2-11e8-8f1a-0800200c9a66", 99387, 91096,
        "13116900216"}},
      {"plo-1.6/helseopplysninger_til_lege_1_6_mottak/Helseopplysninger_til_lege_v1-6_Ny.xml",
       {"HELSEOPPLYSNINGER_LEGE", "298ba670-05a9-11e8-8f1a-0800200c9a66", 99387, 91096,
        "13116900216"}},
      {"plo-1.6/innleggelsesrapport_1_6_mottak/Innleggelsesrapport_v1-6_Endring.xml",
       {"INNLEGGELSESRAPPORT", "c5718400-0663-11e8-b566-0800200c9a66", 99387, 91090,
        "13116900216"}},
      {"plo-1.6/innleggelsesrapport_1_6_mottak/Innleggelsesrapport_v1-6_Kansellering.xml",
       {"INNLEGGELSESRAPPORT", "be6d23c0-0664-11e8-b566-0800200c9a66", 99387, 91090,
        "13116900216"}},
      {"plo-1.6/innleggelsesrapport_1_6_mottak/Innleggelsesrapport_v1-6_Ny.xml",
       {"INNLEGGELSESRAPPORT", "13a5da20-05c6-11e8-8f1a-0800200c9a66", 99387, 91090,
        "13116900216"}},
      {"plo-1.6/helseopplysninger_1_6_mottak/"
       "Helseopplysninger_Oppdaterte_opplysninger_v1-6_Endring1.xml",
       {"HELSEOPPL_SOKNAD", "29554920-fd22-11e7-8f1a-0800200c9a66", 59, 5078, "12057900499"}},
      {"plo-1.6/helseopplysninger_1_6_mottak/"
       "Helseopplysninger_Oppdaterte_opplysninger_v1-6_Endring2.xml",
       {"HELSEOPPL_SOKNAD", "d33c8150-fd23-11e7-8f1a-0800200c9a66", 59, 5078, "12057900499"}},
      {"plo-1.6/helseopplysninger_1_6_mottak/"
       "Helseopplysninger_Varsel_om_innlagt_pasient_v1-6_Ny.xml",
       {"HELSEOPPL_SOKNAD", "37fc6c80-fd20-11e7-8f1a-0800200c9a66", 59, 5078, "12057900499"}},
      {"plo-1.6/medisinske_opplysninger_1_6_mottak/Medisinske_opplysninger_v1-6_Kansellering.xml",
       {"MEDISINSKE_OPPLYSNINGER", "ee588390-0687-11e8-b566-0800200c9a66", 91096, 5078,
        "13116900216"}},
      {"plo-1.6/medisinske_opplysninger_1_6_mottak/Medisinske_opplysninger_v1-6_Ny.xml",
       {"MEDISINSKE_OPPLYSNINGER", "85e9f800-067a-11e8-b566-0800200c9a66", 91096, 5078,
        "13116900216"}},
      {"plo-1.6/orientering_om_tjenestetilbud_1_6_mottak/"
       "Orientering_om_tjenestetilbud_v1-6_Kansellering.xml",
       {"ORIENTERING_TJENESTETILBUD", "d1f2f9b0-068c-11e8-b566-0800200c9a66", 99387, 91096,
        "15076500565"}},
      {"plo-1.6/orientering_om_tjenestetilbud_1_6_mottak/Orientering_om_tjenestetilbud_v1-6_Ny.xml",
       {"ORIENTERING_TJENESTETILBUD", "c9454120-068b-11e8-b566-0800200c9a66", 99387, 91096,
        "15076500565"}},
      {"plo-1.6/utskrivningsrapport_1.6_mottak/Utskrivningsrapport_v1-6_Endring.xml",
       {"UTSKRIVNINGSRAPPORT", "3b9ceb50-0822-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.6/utskrivningsrapport_1.6_mottak/Utskrivningsrapport_v1-6_Kansellering.xml",
       {"UTSKRIVNINGSRAPPORT", "2b6b4cd0-0823-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.6/utskrivningsrapport_1.6_mottak/Utskrivningsrapport_v1-6_Ny.xml",
       {"UTSKRIVNINGSRAPPORT", "52c04610-0818-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.6/pasientlogistikk_1_6_mottak/"
       "Pasientlogistikk_Avmelding_av_utskrivningsklar_pasient_v1-6_Ny.xml",
       {"LOG_AVMELDING", "ad3f4e50-068e-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.6/pasientlogistikk_1_6_mottak/Pasientlogistikk_Innlagt_pasient_v1-6_Kansellering.xml",
       {"LOG_INNLAGT", "fcb43980-069a-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.6/pasientlogistikk_1_6_mottak/Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml",
       {"LOG_INNLAGT", "b088a160-0698-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.6/pasientlogistikk_1_6_mottak/"
       "Pasientlogistikk_Melding_om_utskrevet_pasient_v1-6_Ny.xml",
       {"LOG_UTSKREVET", "b5edd090-0697-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
      {"plo-1.6/pasientlogistikk_1_6_mottak/"
       "Pasientlogistikk_Orientering_om_dodsfall_v1-6_Kansellering.xml",
       {"LOG_DOD", "9581e430-069d-11e8-b566-0800200c9a66", 99387, 91096, "15076500565"}},
      {"plo-1.6/pasientlogistikk_1_6_mottak/Pasientlogistikk_Orientering_om_dodsfall_v1-6_Ny.xml",
       {"LOG_DOD", "a5919840-069b-11e8-b566-0800200c9a66", 99387, 91096, "15076500565"}},
      {"plo-1.6/pasientlogistikk_1_6_mottak/Pasientlogistikk_Utskrivningsklar_pasient_v1-6_Ny.xml",
       {"LOG_UTSKRIVNINGSKLAR", "79c55ed0-0692-11e8-b566-0800200c9a66", 59, 5078, "15076500565"}},
  };
  return table;
}

// Documents that are invalid on purpose (README: examples/) and the
// AppRec error each must get; AppRecs with a status code outside 8258.
const std::map<std::string, std::string>& rejected_examples() {
  static const std::map<std::string, std::string> table{
      {"apprec/missing-migversion.xml", "T02"},  // an empty AppRec: required elements missing
      {"apprec/unknown-migversion.xml", "T10"},  // MIGversion "123": a format we do not support
      {"dialogmelding/ks-no-tests/invalid-version.xml", "T10"},  // MsgHead MIGversion v1.1
      {"apprec/1.0/unknown-status.xml", "X99"},  // valid XML, but Status is not 1, 2 or 3
      {"apprec/1.1/unknown-status.xml", "X99"},
  };
  return table;
}

fs::path examples_dir() {
  return standards_dir() / "examples";
}

std::vector<std::string> all_examples() {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(examples_dir()))
    if (entry.is_regular_file() && entry.path().extension() == ".xml")
      files.push_back(fs::relative(entry.path(), examples_dir()).generic_string());
  std::sort(files.begin(), files.end());
  return files;
}

Received receive_example(const std::string& relative, const Validator* v = &validator()) {
  // The KS/NHN test patients have synthetic numbers (README §6.3).
  return receive(read_bytes(examples_dir() / relative), v, ReceiveOptions{true, {}});
}

std::string first_error(const ReadResult& r) {
  return r.errors.empty() ? "" : r.errors.front().code + " " + r.errors.front().detail;
}

TEST(OfficialExamples, EveryFileIsClassifiedAndThereAreAsManyAsExpected) {
  ASSERT_TRUE(fs::is_directory(examples_dir())) << "set SAMFLYT_STANDARDS_DIR: " << examples_dir();
  const auto files = all_examples();
  int apprecs = 0;
  for (const auto& f : files) {
    const bool known =
        msghead_examples().count(f) || rejected_examples().count(f) || f.rfind("apprec/", 0) == 0;
    EXPECT_TRUE(known) << "a new example file: " << f;
    if (f.rfind("apprec/1.", 0) == 0) ++apprecs;
  }
  EXPECT_EQ(files.size(), msghead_examples().size() + 9 + 3);
  EXPECT_EQ(apprecs, 9);
}

TEST(OfficialExamples, MsgHeadMessagesReadToTheirTypeAndAddressingAndValidate) {
  for (const auto& [file, want] : msghead_examples()) {
    SCOPED_TRACE(file);
    const auto got = receive_example(file);
    EXPECT_TRUE(got.read.ok()) << first_error(got.read);
    ASSERT_TRUE(got.read.envelope.has_value());
    const auto& e = *got.read.envelope;
    EXPECT_EQ(e.type, want.type);
    EXPECT_EQ(e.msg_id, want.msg_id);
    EXPECT_EQ(e.sender.her_id, want.sender_her);
    EXPECT_EQ(e.receiver.routing_her_id(), want.receiver_her);
    ASSERT_TRUE(e.patient.has_value());
    EXPECT_EQ(e.patient->national_id, want.patient_id);
    const bool plo = file.rfind("plo-", 0) == 0;
    EXPECT_EQ(got.read.standard, plo ? "PLO" : "Dialogmelding");
    const bool old = file.find("1-5") != std::string::npos ||
                     file.find("v1-0") != std::string::npos ||
                     file.find("/1.0/") != std::string::npos;
    EXPECT_EQ(got.read.version, plo ? (old ? "1.5" : "1.6") : (old ? "1.0" : "1.1"));
    EXPECT_TRUE(got.decision.answer) << got.decision.no_answer_reason;
    EXPECT_EQ(got.decision.status, AppRecStatus::ok);
    EXPECT_EQ(got.decision.version, old ? AppRecVersion::v10 : AppRecVersion::v11);
  }
}

TEST(OfficialExamples, AppRecsReadWithTheirStatusAndAreNeverAnswered) {
  for (const char* file :
       {"apprec/1.0/all-data.xml", "apprec/1.0/example-avvist.xml",
        "apprec/1.0/example-ok-feil-i-delmelding.xml", "apprec/1.0/example-ok.xml",
        "apprec/1.1/all-data.xml", "apprec/1.1/example-avvist.xml", "apprec/1.1/example-ok.xml"}) {
    SCOPED_TRACE(file);
    const auto got = receive_example(file);
    EXPECT_TRUE(got.read.ok()) << first_error(got.read);
    EXPECT_EQ(got.read.standard, "AppRec");
    ASSERT_TRUE(got.read.apprec.has_value());
    EXPECT_TRUE(is_uuid(got.read.apprec->original_msg_id));
    EXPECT_FALSE(got.decision.answer);
  }
  const auto avvist = receive_example("apprec/1.0/example-avvist.xml");
  ASSERT_TRUE(avvist.read.apprec.has_value());
  EXPECT_EQ(avvist.read.version, "1.0");
  EXPECT_EQ(avvist.read.apprec->status, 2);
  ASSERT_EQ(avvist.read.apprec->errors.size(), 1u);
  EXPECT_EQ(avvist.read.apprec->errors[0].code, "E21");
  EXPECT_EQ(avvist.read.apprec->errors[0].text, "Mottaker finnes ikke");
  EXPECT_EQ(avvist.read.apprec->errors[0].detail, "Legen har sluttet");
  EXPECT_EQ(avvist.read.apprec->original_type, "EPIKRISE");
  EXPECT_EQ(avvist.read.apprec->original_msg_id, "a6967e6a-8c0a-4be4-a647-c921d3086423");

  const auto all = receive_example("apprec/1.1/all-data.xml");
  ASSERT_TRUE(all.read.apprec.has_value());
  EXPECT_EQ(all.read.version, "1.1");
  EXPECT_EQ(all.read.apprec->status, 1);
  EXPECT_EQ(all.read.apprec->sender.her_id, 8142987);
  ASSERT_TRUE(all.read.apprec->sender.dept.has_value());
  EXPECT_EQ(all.read.apprec->sender.dept->her_id, 8143060);
  EXPECT_EQ(all.read.apprec->sender.person_name, "Test Testperson");
  EXPECT_EQ(all.read.apprec->receiver.her_id, 998877);
  EXPECT_EQ(all.read.apprec->original_type, "DIALOG_HELSEFAGLIG");
}

TEST(OfficialExamples, DeliberatelyInvalidDocumentsGetTheRightErrorCode) {
  for (const auto& [file, code] : rejected_examples()) {
    SCOPED_TRACE(file);
    // The same code with strict schema validation and without it.
    for (const Validator* v : {&validator(), static_cast<const Validator*>(nullptr)}) {
      const auto got = receive_example(file, v);
      ASSERT_FALSE(got.read.ok());
      EXPECT_EQ(got.read.errors.front().code, code) << first_error(got.read);
      EXPECT_EQ(got.decision.status, AppRecStatus::rejected);
      EXPECT_FALSE(
          got.decision.answer);  // AppRecs are never answered; the bad MsgHead has no sender
    }
  }
}

const fs::path kLogistics16 = "plo-1.6/pasientlogistikk_1_6_mottak";

Message read_ok(const fs::path& relative) {
  const auto got = read(read_bytes(examples_dir() / relative), ReadOptions{true});
  EXPECT_TRUE(got.ok()) << relative << ": " << first_error(got);
  if (!got.message) throw std::runtime_error("no message: " + relative.string());
  return *got.message;
}

TEST(OfficialExamples, DischargeReadyHasTheAdmissionAndTheTentativeDate) {
  const auto m = read_ok(kLogistics16 / "Pasientlogistikk_Utskrivningsklar_pasient_v1-6_Ny.xml");
  const auto& c = std::get<DischargeReady>(m.content);
  // 2018-01-29T10:00:00 without an offset is Oslo time (CET, UTC+1).
  EXPECT_EQ(c.admitted.time, PointInTime{at(2018, 1, 29, 9, 0)});
  EXPECT_FALSE(c.admitted.estimated);
  EXPECT_EQ(c.ready.code, event_code::discharge_ready);
  EXPECT_EQ(c.ready.time, PointInTime{ymd(2018, 1, 31)});
  EXPECT_TRUE(c.ready.estimated);
  ASSERT_TRUE(c.plo.responsible.has_value());
  EXPECT_EQ(c.plo.responsible->family_name, "Omsorg");
  EXPECT_EQ(c.plo.responsible->hpr_number, "9876543");
  EXPECT_EQ(c.plo.contact_unit_name, "Ortopedisk avdeling Øya");
  EXPECT_EQ(c.plo.contact_unit_phone, "73555555");
  EXPECT_EQ(m.envelope.gen_date, at(2018, 1, 31, 9, 20, 11));
  EXPECT_EQ(m.envelope.sender.unit->name, "Ortopedisk kirurgi");
  EXPECT_EQ(m.envelope.patient->family_name, "Gundersen");
}

TEST(OfficialExamples, AdmittedCancelledAndDischargedReadTheirEvents) {
  const auto admitted = read_ok(kLogistics16 / "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml");
  EXPECT_EQ(std::get<AdmittedPatient>(admitted.content).admitted.time,
            PointInTime{at(2018, 1, 29, 9, 0)});

  const auto cancelled_admission =
      read_ok(kLogistics16 / "Pasientlogistikk_Innlagt_pasient_v1-6_Kansellering.xml");
  EXPECT_EQ(std::get<AdmittedPatient>(cancelled_admission.content).plo.status,
            ShipmentStatus::cancellation);
  ASSERT_TRUE(cancelled_admission.envelope.conversation.has_value());
  EXPECT_TRUE(is_uuid(cancelled_admission.envelope.conversation->parent));

  const auto avmelding =
      read_ok(kLogistics16 / "Pasientlogistikk_Avmelding_av_utskrivningsklar_pasient_v1-6_Ny.xml");
  const auto& a = std::get<DischargeReadyCancelled>(avmelding.content);
  EXPECT_EQ(a.cancelled.code, event_code::discharge_ready_cancelled);  // of three events
  EXPECT_EQ(a.cancelled.time, PointInTime{ymd(2018, 1, 31)});

  const auto discharged =
      read_ok(kLogistics16 / "Pasientlogistikk_Melding_om_utskrevet_pasient_v1-6_Ny.xml");
  const auto& d = std::get<Discharged>(discharged.content);
  EXPECT_EQ(d.discharged_to.value, "1");
  EXPECT_EQ(d.discharged_to.display_name, "Bosted/arbeidssted");
  EXPECT_EQ(d.discharged.time, PointInTime{ymd(2018, 2, 1)});

  const auto died = read_ok(kLogistics16 / "Pasientlogistikk_Orientering_om_dodsfall_v1-6_Ny.xml");
  EXPECT_EQ(std::get<OtherPlo>(died.content).root, "OrienteringOmDod");
}

TEST(OfficialExamples, HealthInformationNoticeAndUpdates) {
  const auto notice = read_ok(
      "plo-1.6/helseopplysninger_1_6_mottak/"
      "Helseopplysninger_Varsel_om_innlagt_pasient_v1-6_Ny.xml");
  const auto& h = std::get<HealthInformation>(notice.content);
  EXPECT_EQ(h.kind, health_information_kind::admission_notice);
  ASSERT_EQ(h.stay.size(), 1u);
  EXPECT_EQ(h.stay[0].code, event_code::discharge_ready);
  EXPECT_EQ(h.stay[0].time, PointInTime{ymd(2018, 1, 15)});
  ASSERT_GE(h.notes.size(), 2u);
  EXPECT_EQ(h.notes[0].heading.value, "1");
  EXPECT_EQ(h.notes[0].heading.code_system, 9145);
  EXPECT_EQ(h.notes[0].text.rfind("Innlagt etter fall i trapp.", 0), 0u);
  ASSERT_TRUE(h.plo.contact_person.has_value());
  EXPECT_EQ(h.plo.contact_person->hpr_number, "9144889");
  EXPECT_EQ(h.plo.contact_person->role_to_patient->value, "19");

  const auto update = read_ok(
      "plo-1.6/helseopplysninger_1_6_mottak/"
      "Helseopplysninger_Oppdaterte_opplysninger_v1-6_Endring1.xml");
  EXPECT_EQ(std::get<HealthInformation>(update.content).kind, health_information_kind::updated);
  EXPECT_EQ(std::get<HealthInformation>(update.content).plo.status, ShipmentStatus::change);
}

TEST(OfficialExamples, ReportsKeepTheirHeadedNotes) {
  const auto admission =
      read_ok("plo-1.6/innleggelsesrapport_1_6_mottak/Innleggelsesrapport_v1-6_Ny.xml");
  const auto& notes = std::get<AdmissionReport>(admission.content).notes;
  EXPECT_EQ(notes.size(), 6u);
  const auto has = [&](const std::vector<Note>& list, const char* code, int system) {
    return std::any_of(list.begin(), list.end(), [&](const Note& n) {
      return n.heading.value == code && n.heading.code_system == system && !n.text.empty();
    });
  };
  EXPECT_TRUE(has(notes, "AAI", 9142));  // Årsak til innleggelse
  EXPECT_TRUE(has(notes, "8", 9141));    // Sykepleiesammenfatning

  const auto discharge =
      read_ok("plo-1.6/utskrivningsrapport_1.6_mottak/Utskrivningsrapport_v1-6_Ny.xml");
  const auto& r = std::get<DischargeReport>(discharge.content);
  EXPECT_EQ(r.stay.size(), 3u);
  EXPECT_EQ(r.stay[2].description, "Utskrevet dato");
  EXPECT_TRUE(has(r.notes, "PROB", 9142));
  EXPECT_TRUE(has(r.notes, "OP", 9142));

  const auto old = read_ok(
      "plo-1.5/Pasientlogistikk_dodsfall-v1_5/"
      "Pasientlogistikk_Utskrivningsklar_pasient_v1-5_Ny.xml");
  EXPECT_TRUE(std::holds_alternative<DischargeReady>(old.content));
}

TEST(OfficialExamples, DialogmeldingenesFields) {
  const auto dialog = read_ok("dialogmelding/Dialogmelding-v1-1/Helsefaglig dialog.xml");
  const auto& d = std::get<Dialog>(dialog.content);
  EXPECT_TRUE(d.v11);
  EXPECT_EQ(d.topic.value, "6");
  EXPECT_EQ(d.topic.code_system, 7322);
  EXPECT_EQ(d.topic_text, "EKG tatt i dag");
  EXPECT_EQ(d.text.rfind("Pasienten er henvist til kardiologisk poliklinikk", 0), 0u);
  ASSERT_TRUE(d.professional.has_value());
  EXPECT_EQ(d.professional->hpr_number, "258521");
  EXPECT_EQ(d.professional->phone, "12345678");
  EXPECT_FALSE(d.reception.has_value());
  ASSERT_EQ(dialog.attachments.size(), 1u);
  EXPECT_EQ(dialog.attachments[0].mime_type, "application/pdf");
  EXPECT_EQ(dialog.attachments[0].description, "EKG-2017-06-12");
  EXPECT_EQ(dialog.attachments[0].base64.rfind("JVBERi0xLjQ", 0), 0u);  // "%PDF-1.4"

  const auto answer =
      read_ok("dialogmelding/Dialogmelding-v1-0/Dialogmelding_svar_foresporsel_PLO_v1-0.xml");
  const auto& s = std::get<Dialog>(answer.content);
  EXPECT_FALSE(s.v11);
  EXPECT_EQ(s.topic.value, "5");
  EXPECT_EQ(s.topic.code_system, 9069);
  ASSERT_TRUE(s.question.has_value());
  EXPECT_EQ(s.question->type.value, "99");
  EXPECT_EQ(s.question->type.code_system, 9152);
  EXPECT_EQ(answer.envelope.conversation->parent, "f0f88210-0111-11e8-8f1a-0800200c9a66");

  const auto request =
      read_ok("dialogmelding/Dialogmelding-v1-0/Dialogmelding_foresporsel_PLO_v1-0.xml");
  const auto& q = std::get<Dialog>(request.content);
  ASSERT_TRUE(q.request.has_value());
  EXPECT_EQ(q.request->question.rfind("Pas går snart tom for cetirizin", 0), 0u);

  const auto deviation = read_ok("dialogmelding/Dialogmelding-v1-0/Dialogmelding_avvik_v1-0.xml");
  EXPECT_EQ(std::get<Dialog>(deviation.content).topic.code_system, 8117);
  EXPECT_EQ(std::get<Dialog>(deviation.content).text, "Pasienten er ukjent for oss");
}

TEST(OfficialExamples, TheResponsibleProfessionalIsNotTheReceiversContact) {
  const fs::path file =
      examples_dir() /
      "dialogmelding/Dialogmelding-v1-1/Helsefaglig dialog_angi profesjon hos mottaker.xml";
  std::string xml = read_bytes(file);
  auto got = read(xml, ReadOptions{true});
  ASSERT_TRUE(got.ok()) << first_error(got);
  EXPECT_EQ(std::get<Dialog>(got.message->content).professional->family_name, "Lin");

  // The same with "Kontakt hos mottaker" (9034 V=24) listed first.
  const auto first = xml.find("<RollerRelatertNotat>");
  const auto second = xml.find("<RollerRelatertNotat>", first + 1);
  const auto second_end = xml.find("</RollerRelatertNotat>", second) + 22;
  ASSERT_NE(second, std::string::npos);
  const std::string contact = xml.substr(second, second_end - second);
  xml.erase(second, second_end - second);
  xml.insert(first, contact);
  got = read(xml, ReadOptions{true});
  ASSERT_TRUE(got.ok()) << first_error(got);
  const auto& professional = *std::get<Dialog>(got.message->content).professional;
  EXPECT_EQ(professional.family_name, "Lin");
  EXPECT_EQ(professional.role_to_patient->value, "6");
}

TEST(OfficialExamples, PloRootsMustBelongToTheirNamespace) {
  const std::string xml =
      read_bytes(examples_dir() / kLogistics16 / "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml");
  // The root element of Helseopplysninger in the Pasientlogistikk namespace.
  std::string wrong_root = xml;
  for (const char* tag : {"<p1:Pasientlogistikk ", "</p1:Pasientlogistikk>"}) {
    const auto pos = wrong_root.find(tag);
    ASSERT_NE(pos, std::string::npos) << tag;
    wrong_root.replace(pos, std::string(tag).size(),
                       std::string(tag).replace(std::string(tag).find("Pasientlogistikk"), 16,
                                                "HelseopplysningerVedSoknad"));
  }
  auto got = read(wrong_root, ReadOptions{true});
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.errors.front().code, "T02") << first_error(got);

  // A PLO namespace Samflyt does not know (e.g. a PLO 2.0 draft name).
  std::string unknown = xml;
  const std::string ns16 = "xmlns:p1=\"http://www.kith.no/xmlstds/po/Pasientlogistikk/2012-04-01\"";
  ASSERT_NE(unknown.find(ns16), std::string::npos);
  unknown.replace(unknown.find(ns16), ns16.size(),
                  "xmlns:p1=\"http://www.kith.no/xmlstds/po/Tilbakemelding/2012-04-01\"");
  got = read(unknown, ReadOptions{true});
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.errors.front().code, "T10") << first_error(got);
}

}  // namespace
}  // namespace samflyt::msg::testing
