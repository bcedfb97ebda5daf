// What every fuzz target checks besides "does not crash": the invariants of
// codec.hpp and receive.hpp that are cheap to check on any input.
//
// A broken invariant prints what broke and aborts, so libFuzzer (and the
// replay test) reports the input as a crash. An exception that escapes
// LLVMFuzzerTestOneInput ends in std::terminate, which is a crash too:
// read() and receive() promise never to throw.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "msg/codec.hpp"
#include "msg/codes.hpp"

namespace samflyt::msg::fuzz {

[[noreturn]] inline void fail(const char* file, int line, const char* what,
                              const std::string& detail) {
  std::fprintf(stderr, "\n%s:%d: fuzz invariant broken: %s\n%s\n", file, line, what,
               detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(condition, detail)                                                     \
  do {                                                                                    \
    if (!(condition)) ::samflyt::msg::fuzz::fail(__FILE__, __LINE__, #condition, detail); \
  } while (false)

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Every error is a kodeverk 8221 code with its official text.
inline void check_errors(const std::vector<AppRecError>& errors) {
  for (const auto& e : errors) {
    const auto code = parse_apprec_error_code(e.code);
    FUZZ_CHECK(code.has_value(), "unknown AppRec error code " + e.code);
    FUZZ_CHECK(e.text == official_text(*code), e.code + ": " + e.text);
  }
}

// Content Samflyt reads but does not write (codec.hpp).
inline bool read_only(const Content& c) {
  return std::holds_alternative<AdmissionReport>(c) || std::holds_alternative<OtherPlo>(c);
}

// The rules write() holds Samflyt's own messages to but read(), liberal in
// what it accepts, does not require of others: profile rules (HIS 1077,
// HIS 1152, HIS 1153) and elements the schemas leave optional. Official
// examples break several of them. A refusal for any other reason means
// read() accepted what it should have rejected, or lost something on the
// way: a new reason here must be judged, not just added.
inline constexpr std::string_view kWriterOnlyRules[] = {
    "a health professional needs an HPR number or HER-id",
    "an addressed unit needs its HER-id",
    "ConversationRef holds MsgIds (UUIDs)",
    "the receiver needs its HER-id",
    "a copy receiver needs its HER-id",
    "Helseopplysninger needs at least one OpplysningOpphold event",
    "Helseopplysninger's TypeInnhold is 1 or 2 (kodeverk 9140)",
    "Helsefaglig dialog needs Tema",
    "Helsefaglig dialog needs the responsible professional's name and phone",
    "a Notat needs TemaKodet",
    "TypeForesp needs its code system",
    "a reply (DIALOG_SVAR) carries a copy of the question (HIS 1152)",
    "the patient needs a name and a national id",
    "the contact unit needs its HER-id or a local id",
};

inline bool writer_only_rule(std::string_view what) {
  constexpr std::string_view prefix = "msg::write: ";
  if (what.substr(0, prefix.size()) == prefix) what.remove_prefix(prefix.size());
  for (auto rule : kWriterOnlyRules)
    if (what == rule) return true;
  return false;
}

// Writing what was read. A message read without errors is written again,
// or refused for one of kWriterOnlyRules. What is written reads back
// without errors as the same standard, content type, MsgInfo/Type and
// MsgId, and writing that gives the same bytes (write∘read is a fixed
// point after one round). An AppRec read without errors can always be
// written (write() asks nothing of it that read() does not check).
inline void check_round_trip(const ReadResult& r, const ReadOptions& options) {
  if (!r.ok()) return;
  if (r.message && !read_only(r.message->content)) {
    std::string first;
    try {
      first = write(*r.message);
    } catch (const std::invalid_argument& e) {
      if (writer_only_rule(e.what())) return;
      fail(__FILE__, __LINE__, "write() refuses a message read() accepted", e.what());
    }
    const auto again = read(first, options);
    FUZZ_CHECK(again.ok(), first + "\nfirst error: " + again.errors.front().code + " " +
                               again.errors.front().detail);
    FUZZ_CHECK(again.standard == r.standard, first);
    FUZZ_CHECK(again.message && again.message->content.index() == r.message->content.index(),
               first);
    FUZZ_CHECK(again.message->envelope.type == r.message->envelope.type, first);
    FUZZ_CHECK(again.message->envelope.msg_id == r.message->envelope.msg_id, first);
    const auto second = write(*again.message);
    FUZZ_CHECK(second == first, "first:\n" + first + "\nsecond:\n" + second);
  }
  if (r.apprec) {
    std::string first;
    try {
      first = write(*r.apprec);
    } catch (const std::invalid_argument& e) {
      fail(__FILE__, __LINE__, "write() refuses an AppRec read() accepted", e.what());
    }
    const auto again = read(first, options);
    FUZZ_CHECK(again.ok() && again.apprec, first);
    FUZZ_CHECK(again.version == r.version, first);
    FUZZ_CHECK(again.apprec->status == r.apprec->status, first);
    FUZZ_CHECK(again.apprec->errors.size() == r.apprec->errors.size(), first);
    const auto second = write(*again.apprec);
    FUZZ_CHECK(second == first, "first:\n" + first + "\nsecond:\n" + second);
  }
}

// read() on any bytes: never throws, says what it recognised consistently,
// names only known error codes, and what it accepts survives a round trip.
// With test identities allowed it accepts at least what it accepts without.
inline void check_read(std::string_view bytes) {
  const ReadOptions strict{};
  const ReadOptions test_ids{true};
  const auto r = read(bytes, test_ids);
  check_errors(r.errors);
  if (r.ok()) {
    FUZZ_CHECK(!r.standard.empty() && !r.version.empty(), "accepted without a standard");
    if (r.standard == "AppRec") {
      FUZZ_CHECK(r.apprec && !r.message && !r.envelope, "an AppRec read as something else");
    } else {
      FUZZ_CHECK(r.message && r.envelope && !r.apprec, "a MsgHead accepted without its message");
    }
  }
  if (r.message) {
    FUZZ_CHECK(r.envelope.has_value(), "a message without its envelope");
    const auto* dialog = std::get_if<Dialog>(&r.message->content);
    FUZZ_CHECK((dialog != nullptr) == (r.standard == "Dialogmelding"), r.standard);
    if (dialog) FUZZ_CHECK(dialog->v11 == (r.version == "1.1"), r.version);
  }
  check_round_trip(r, test_ids);

  const auto s = read(bytes, strict);
  check_errors(s.errors);
  FUZZ_CHECK(s.standard == r.standard && s.version == r.version, s.standard + " " + s.version);
  if (s.ok()) FUZZ_CHECK(r.ok(), "accepted with strict identities only");
  check_round_trip(s, strict);
}

}  // namespace samflyt::msg::fuzz
