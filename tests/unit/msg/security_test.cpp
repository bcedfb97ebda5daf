// Documents from outside cannot make the parser fetch, expand or declare
// anything: a DOCTYPE (and with it XXE, external entities and "billion
// laughs") is refused with T01 before any entity is read; encodings are
// read from the XML declaration.
#include <gtest/gtest.h>

#include "msg_test_support.hpp"

namespace samflyt::msg::testing {
namespace {

// A real message with `prolog` inserted after the XML declaration and
// `in_text` inside the patient's family name.
std::string message_with(const std::string& prolog, const std::string& in_text) {
  std::string xml = write(admitted_message());
  const auto decl_end = xml.find("?>") + 2;
  xml.insert(decl_end, "\n" + prolog);
  const auto name = xml.find("<FamilyName>Fjellstad</FamilyName>");
  xml.replace(name, std::string("<FamilyName>Fjellstad</FamilyName>").size(),
              "<FamilyName>Fjellstad" + in_text + "</FamilyName>");
  return xml;
}

// The parser stops at "<!DOCTYPE", before any declaration in it is read.
constexpr const char* kStoppedAtDoctype = "Dokumentet har en DOCTYPE (dokumenttypedeklarasjon)";

void expect_refused(const std::string& bytes, const char* detail = nullptr) {
  const auto r = read(bytes, ReadOptions{true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors.front().code, "T01");
  EXPECT_EQ(r.errors.front().text, "Ikke XML / ikke 'well formed' / uleselig");
  if (detail != nullptr) {
    EXPECT_EQ(r.errors.front().detail.rfind(detail, 0), 0u) << r.errors.front().detail;
  }
  EXPECT_FALSE(r.envelope.has_value());
  EXPECT_FALSE(r.message.has_value());
  const auto received = receive(bytes, &validator(), ReceiveOptions{true, {}});
  EXPECT_EQ(received.read.errors.front().code, "T01");
  EXPECT_FALSE(received.decision.answer);
}

TEST(UntrustedXml, TheUnchangedMessageIsAccepted) {
  // The control for the tests below: only the inserted parts make them fail.
  const auto r = read(message_with("", ""), ReadOptions{true});
  ASSERT_TRUE(r.ok()) << r.errors.front().detail;
  EXPECT_EQ(r.envelope->patient->family_name, "Fjellstad");
}

TEST(UntrustedXml, ExternalEntityFileDisclosureIsRefused) {
  expect_refused(
      message_with("<!DOCTYPE MsgHead [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>", "&xxe;"),
      kStoppedAtDoctype);
}

TEST(UntrustedXml, ExternalEntityOverTheNetworkIsRefused) {
  expect_refused(
      message_with("<!DOCTYPE MsgHead [<!ENTITY remote SYSTEM \"http://127.0.0.1:9/x.xml\">]>",
                   "&remote;"),
      kStoppedAtDoctype);
}

TEST(UntrustedXml, ParameterEntitiesAndExternalDtdsAreRefused) {
  expect_refused(
      message_with(
          "<!DOCTYPE MsgHead [<!ENTITY % dtd SYSTEM \"http://127.0.0.1:9/evil.dtd\"> %dtd;]>", ""),
      kStoppedAtDoctype);
  expect_refused(message_with("<!DOCTYPE MsgHead SYSTEM \"file:///etc/passwd\">", ""),
                 kStoppedAtDoctype);
}

TEST(UntrustedXml, BillionLaughsIsRefusedAtOnce) {
  std::string dtd = "<!DOCTYPE MsgHead [<!ENTITY lol0 \"lol\">";
  for (int i = 1; i <= 10; ++i) {
    std::string refs;
    for (int k = 0; k < 10; ++k) refs += "&lol" + std::to_string(i - 1) + ";";
    dtd += "<!ENTITY lol" + std::to_string(i) + " \"" + refs + "\">";
  }
  dtd += "]>";
  expect_refused(message_with(dtd, "&lol10;"), kStoppedAtDoctype);
}

TEST(UntrustedXml, AnUndeclaredEntityIsNotWellFormed) {
  expect_refused(message_with("", "&nothere;"), "Dokumentet er ikke velformet XML");
}

TEST(UntrustedXml, NotXmlAtAllIsT01) {
  expect_refused("%PDF-1.4 this is not XML");
  expect_refused("");
  expect_refused("<MsgHead><MsgInfo></MsgHead>");
}

TEST(UntrustedXml, Iso88591IsReadAsWellAsUtf8) {
  std::string xml = write(admitted_message());
  // Re-encode as ISO-8859-1: "ø" (U+00F8) and "å" (U+00E5) become one byte.
  xml.replace(xml.find("UTF-8"), 5, "ISO-8859-1");
  std::string latin1;
  for (std::size_t i = 0; i < xml.size(); ++i) {
    const auto c = static_cast<unsigned char>(xml[i]);
    if (c == 0xC3 && i + 1 < xml.size()) {
      latin1.push_back(static_cast<char>(0x40 + static_cast<unsigned char>(xml[++i])));
    } else {
      ASSERT_LT(c, 0x80) << "only Latin-1 letters in the test message";
      latin1.push_back(static_cast<char>(c));
    }
  }
  ASSERT_NE(latin1.find('\xF8'), std::string::npos);  // "ø" in "Fødselsnummer"
  const auto r = read(latin1, ReadOptions{true});
  ASSERT_TRUE(r.ok()) << r.errors.front().detail;
  EXPECT_EQ(r.envelope->patient->id_type_code, "FNR");
  EXPECT_EQ(
      std::get<AdmittedPatient>(r.message->content).plo.responsible->role_to_patient->display_name,
      "Pasientansvarlig lege");
  const auto& unit = r.envelope->sender.unit->name;
  EXPECT_EQ(unit, "Medisinsk avdeling, sengepost 3");
  EXPECT_TRUE(validator().validate(std::string_view(latin1)).empty());
}

}  // namespace
}  // namespace samflyt::msg::testing
