// Writes the fuzz targets' seeds into a corpus folder (tests/fuzz/corpus):
// `cmake --build --preset release --target fuzz_seeds`.
//
//   - written-*: what our own writer produces (msg::write of the unit
//     tests' invented messages, a few variants, and the AppRecs receive()
//     answers them with). The official examples are never copied into the
//     repository; the fuzzers may read them at run time instead.
//   - hostile-*: hand-made attacks and broken documents (XXE, billion
//     laughs, DOCTYPE, truncation, wrong encodings, huge attributes ...).
//   - regress-*: the bugs fuzzing found, rebuilt from our own messages
//     (the fuzzer's own inputs grew from the official examples, which may
//     not be copied here).
// Minimized inputs the fuzzer finds from our own seeds (found-*) are added
// by hand and never touched here; the other files are overwritten.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "msg_test_support.hpp"

namespace fs = std::filesystem;
using namespace samflyt::msg;
using namespace samflyt::msg::testing;

namespace {

using namespace std::string_view_literals;

using Seeds = std::vector<std::pair<std::string, std::string>>;  // file name, bytes

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// The same message as PLO 1.5 (the reader reads 1.5 and 1.6 alike).
std::string as_plo15(const std::string& xml) {
  return replace_all(xml, std::string("/") + std::string(ns::plo_16_suffix),
                     std::string("/") + std::string(ns::plo_15_suffix));
}

// The same document in ISO-8859-1 (the reader takes the declared encoding).
std::string as_latin1(const std::string& utf8) {
  std::string out = replace_all(utf8, "encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
  std::string latin1;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c == 0xC3 && i + 1 < out.size()) {
      latin1 += static_cast<char>(static_cast<unsigned char>(out[++i]) + 0x40);
    } else {
      latin1 += out[i];
    }
  }
  return latin1;
}

Seeds plo_seeds() {
  Seeds s;
  s.emplace_back("written-innlagt.xml", write(admitted_message()));
  s.emplace_back("written-helseopplysninger-varsel.xml", write(health_information_message(1)));
  s.emplace_back("written-helseopplysninger-oppdatert.xml", write(health_information_message(2)));
  s.emplace_back("written-utskrivningsklar.xml", write(discharge_ready_message()));
  s.emplace_back("written-avmelding.xml", write(cancelled_message()));
  s.emplace_back("written-utskrevet.xml", write(discharged_message()));
  s.emplace_back("written-utskrivningsrapport.xml", write(discharge_report_message()));
  s.emplace_back("written-utskrivningsklar-plo15.xml", as_plo15(write(discharge_ready_message())));
  s.emplace_back("written-utskrevet-latin1.xml", as_latin1(write(discharged_message())));
  auto with_extras = discharge_ready_message();
  with_extras.attachments.push_back(
      Attachment{"application/pdf", "Epikrise 2026-03-27", "JVBERi0xLjQKJcfsj6IK"});
  auto copy = with_extras.envelope.receiver;
  copy.name = "Fjellbygd legekontor";
  copy.her_id = 8200099;
  copy.unit.reset();
  with_extras.envelope.copy_receivers.push_back(copy);
  with_extras.envelope.msg_id = "7a9d2f60-1b3c-4e5d-8f6a-7b8c9d0e1f99";
  s.emplace_back("written-utskrivningsklar-vedlegg-kopi.xml", write(with_extras));
  return s;
}

Seeds dialog_seeds() {
  Seeds s;
  s.emplace_back("written-mottak-ja.xml", write(reception_answer_message(true)));
  s.emplace_back("written-mottak-nei.xml", write(reception_answer_message(false)));
  s.emplace_back("written-foresporsel.xml", write(request_message()));
  s.emplace_back("written-svar.xml", write(answer_message()));
  s.emplace_back("written-avvik.xml", write(deviation_message()));
  s.emplace_back("written-svar-latin1.xml", as_latin1(write(answer_message())));
  // Dialogmelding 1.1 text with XHTML paragraphs (HISD 1155).
  s.emplace_back("written-mottak-xhtml.xml",
                 replace_all(write(reception_answer_message(true)), "Korttidsplass ved",
                             "<p xmlns=\"http://www.w3.org/1999/xhtml\">Korttidsplass</p><br "
                             "xmlns=\"http://www.w3.org/1999/xhtml\"/>ved"));
  return s;
}

// The AppRecs receive() answers the written messages with, in both versions,
// positive and negative.
Seeds apprec_seeds() {
  Seeds s;
  const auto now = at(2026, 3, 27, 9, 20);
  int n = 0;
  for (auto message : {discharge_ready_message(), reception_answer_message(true)}) {
    for (bool broken : {false, true}) {
      if (broken) message.envelope.patient->national_id = "01827512394";  // E36
      const auto received = receive(write(message), nullptr, ReceiveOptions{true, {}});
      auto a =
          make_apprec(received, now, "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4" + std::to_string(n));
      for (auto version : {AppRecVersion::v11, AppRecVersion::v10}) {
        a.version = version;
        s.emplace_back("written-apprec-" + std::to_string(n++) + ".xml", write(a));
      }
    }
  }
  return s;
}

// Hand-made attacks and broken documents, for every XML target.
Seeds hostile_seeds() {
  const std::string message = write(discharge_ready_message());
  const std::string body = message.substr(message.find("<MsgHead"));
  Seeds s;
  s.emplace_back("hostile-xxe-file.xml",
                 "<?xml version=\"1.0\"?>\n<!DOCTYPE MsgHead [<!ENTITY x SYSTEM "
                 "\"file:///etc/passwd\">]>\n<MsgHead "
                 "xmlns=\"http://www.kith.no/xmlstds/msghead/2006-05-24\">&x;</MsgHead>\n");
  s.emplace_back(
      "hostile-xxe-http.xml",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE a SYSTEM \"http://127.0.0.1:1/x.dtd\">\n<a/>\n");
  s.emplace_back("hostile-parameter-entity.xml",
                 "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY % p SYSTEM "
                 "\"http://127.0.0.1:1/p\"> %p;]>\n<a/>\n");
  std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i)
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"" +
              replace_all("&X;&X;&X;&X;&X;&X;&X;&X;&X;&X;", "X",
                          i == 1 ? "lol" : "lol" + std::to_string(i - 1)) +
              "\">\n";
  laughs += "]>\n<lolz>&lol9;</lolz>\n";
  s.emplace_back("hostile-billion-laughs.xml", laughs);
  s.emplace_back("hostile-doctype-inside.xml",
                 replace_all(message, "<MsgHead", "<!DOCTYPE MsgHead>\n<MsgHead"));
  s.emplace_back("hostile-undeclared-entity.xml",
                 replace_all(message, "Telemark Testsykehus", "&unknown; Testsykehus"));
  s.emplace_back("hostile-truncated.xml", message.substr(0, message.size() / 2));
  s.emplace_back("hostile-empty.xml", "");
  s.emplace_back("hostile-no-root.xml", "<?xml version=\"1.0\"?>\n<!-- nothing -->\n");
  s.emplace_back(
      "hostile-utf16-declared-utf8.xml",
      "\xff\xfe<\0?\0x\0m\0l\0 \0v\0e\0r\0s\0i\0o\0n\0=\0\"\0001\0.\0000\0\"\0?\0>\0<\0a\0/\0>\0"sv);
  s.emplace_back("hostile-latin1-bytes-as-utf8.xml",
                 replace_all(message, "Fjellbygd", "Fjellbygd \xe6\xf8\xe5"));
  s.emplace_back("hostile-unknown-encoding.xml",
                 replace_all(message, "encoding=\"UTF-8\"", "encoding=\"EBCDIC-XYZ\""));
  s.emplace_back("hostile-utf7.xml",
                 replace_all(message, "encoding=\"UTF-8\"", "encoding=\"UTF-7\""));
  s.emplace_back("hostile-huge-attribute.xml", replace_all(message, "V=\"LOG_UTSKRIVNINGSKLAR\"",
                                                           "V=\"" + std::string(8000, 'A') + "\""));
  std::string many_attributes = "<a";
  for (int i = 0; i < 500; ++i) many_attributes += " a" + std::to_string(i) + "=\"x\"";
  s.emplace_back("hostile-many-attributes.xml", many_attributes + "/>");
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "<Document>";
  s.emplace_back("hostile-deep-nesting.xml", "<MsgHead>" + deep + "</MsgHead>");
  s.emplace_back("hostile-nul-byte.xml", replace_all(message, "Fjellbygd", "Fj\0ll"sv));
  s.emplace_back("hostile-no-declaration.xml", body);
  s.emplace_back("hostile-xinclude.xml",
                 replace_all(message, "<MsgInfo>",
                             "<MsgInfo><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" "
                             "href=\"file:///etc/passwd\" parse=\"text\"/>"));
  s.emplace_back("hostile-processing-instruction.xml",
                 replace_all(message, "<MsgInfo>", "<MsgInfo><?xml-stylesheet href=\"x\"?>"));
  s.emplace_back("hostile-cdata.xml",
                 replace_all(message, "Telemark Testsykehus HF", "<![CDATA[Telemark <&> HF]]>"));
  s.emplace_back("hostile-character-references.xml",
                 replace_all(message, "Telemark", "&#84;&#x65;&#1;lemark&#xD;&#x10FFFF;"));
  s.emplace_back("hostile-wrong-namespace.xml",
                 replace_all(message, "msghead/2006-05-24", "msghead/2099-01-01"));
  s.emplace_back("hostile-two-roots.xml", message + body);
  return s;
}

// Inputs of the bugs fuzzing found (each has a unit test in tests/unit/msg).
Seeds regression_seeds() {
  const auto received =
      receive(write(discharge_ready_message()), nullptr, ReceiveOptions{true, {}});
  const std::string apprec =
      write(make_apprec(received, at(2026, 3, 27, 9, 20), "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"));
  std::string uncoded = write(discharge_ready_message());
  for (auto at_pos = uncoded.find("<Hendelsekode"); at_pos != std::string::npos;
       at_pos = uncoded.find("<Hendelsekode"))
    uncoded.erase(at_pos, uncoded.find("/>", at_pos) + 2 - at_pos);
  return {
      // Events without Hendelsekode were read with code 0 (write() refused them).
      {"regress-uncoded-events.xml", uncoded},
      // Read without errors although write() refuses it: no OriginalMsgId/Id.
      {"regress-apprec-no-original-id.xml",
       replace_all(apprec, "<Id>7a9d2f60-1b3c-4e5d-8f6a-7b8c9d0e1f04</Id>", "<Id/>")},
      // ... and status 1 (OK) with an Error.
      {"regress-apprec-positive-with-error.xml",
       replace_all(apprec, "<OriginalMsgId>",
                   "<Error V=\"E21\" DN=\"Mottaker finnes ikke\" "
                   "S=\"2.16.578.1.12.4.1.1.8221\"/><OriginalMsgId>")},
  };
}

Seeds reception_answer_seeds() {
  return {
      {"written-ja.txt", reception_answer_text(ReceptionAnswer{true, ymd(2026, 3, 31)})},
      {"written-nei.txt", reception_answer_text(ReceptionAnswer{false, {}})},
      {"hostile-no-date.txt", "Kommunen kan ta imot pasienten fra "},
      {"hostile-bad-date.txt", "Kommunen kan ta imot pasienten fra 31.02.2026."},
      {"hostile-signs.txt", "Kommunen kan ta imot pasienten fra +1.-1.-999"},
  };
}

void put(const fs::path& dir, const Seeds& seeds) {
  fs::create_directories(dir);
  for (const auto& [name, bytes] : seeds) {
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + (dir / name).string());
  }
  std::printf("%zu seeds in %s\n", seeds.size(), dir.c_str());
}

Seeds operator+(Seeds a, const Seeds& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR (tests/fuzz/corpus)\n", argv[0]);
    return 2;
  }
  const fs::path root = argv[1];
  const auto plo = plo_seeds();
  const auto dialog = dialog_seeds();
  const auto apprec = apprec_seeds();
  const auto hostile = hostile_seeds();
  const auto regressions = regression_seeds();
  // The hostile documents mostly end at the parser: the door targets get
  // them, the decoders their own messages (kept small: a few hundred kB).
  put(root / "read_plo", plo + Seeds{regressions[0]});
  put(root / "read_dialogmelding", dialog);
  put(root / "read_apprec", apprec + Seeds{regressions[1], regressions[2]});
  put(root / "receive", Seeds{plo[0], plo[3], plo[9], dialog[0], dialog[2], apprec[0], apprec[3]} +
                            hostile + regressions);
  put(root / "xml", Seeds{plo.front(), dialog.front(), apprec.front()} + hostile);
  put(root / "reception_answer", reception_answer_seeds());
  return 0;
}
