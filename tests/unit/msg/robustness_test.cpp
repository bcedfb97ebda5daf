// read() and receive() answer every input with a decision and never throw:
// truncated and corrupted copies of real messages. And one Validator is
// used from several threads at once, as validator.hpp allows.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "msg_test_support.hpp"

namespace samflyt::msg::testing {
namespace {

std::vector<std::string> samples() {
  return {
      write(discharge_ready_message()), write(reception_answer_message(true)),
      read_bytes(standards_dir() /
                 "examples/plo-1.6/innleggelsesrapport_1_6_mottak/Innleggelsesrapport_v1-6_Ny.xml"),
      read_bytes(standards_dir() / "examples/apprec/1.1/all-data.xml")};
}

// Every outcome is either readable with no errors or rejected with a code
// of kodeverk 8221 and its official text.
void expect_decided(const Received& r) {
  if (r.read.ok()) {
    EXPECT_EQ(r.decision.status, AppRecStatus::ok);
    return;
  }
  EXPECT_EQ(r.decision.status, AppRecStatus::rejected);
  for (const auto& e : r.decision.errors) {
    const auto code = parse_apprec_error_code(e.code);
    ASSERT_TRUE(code.has_value()) << e.code;
    EXPECT_EQ(e.text, official_text(*code));
  }
}

TEST(Robustness, TruncatedMessagesAreDecidedWithoutThrowing) {
  for (const auto& xml : samples()) {
    ASSERT_FALSE(xml.empty());
    for (std::size_t cut = 0; cut < xml.size(); cut += 61) {
      const auto r =
          receive(std::string_view(xml).substr(0, cut), &validator(), ReceiveOptions{true, {}});
      EXPECT_FALSE(r.read.ok()) << "a message cut at " << cut << " must not be accepted";
      expect_decided(r);
    }
  }
}

TEST(Robustness, CorruptedBytesAreDecidedWithoutThrowing) {
  const char replacements[] = {'<', '>', '&', '"', '\0', '\xff', 'x', '/'};
  for (const auto& xml : samples()) {
    for (std::size_t at_pos = 0; at_pos < xml.size(); at_pos += 37) {
      std::string copy = xml;
      copy[at_pos] = replacements[at_pos % sizeof replacements];
      expect_decided(receive(copy, &validator(), ReceiveOptions{true, {}}));
      expect_decided(receive(copy, nullptr, ReceiveOptions{true, {}}));
    }
  }
}

TEST(Robustness, OneValidatorServesManyThreads) {
  const Validator& v = validator();
  const std::string good = write(discharge_ready_message());
  std::string bad = good;
  bad.replace(bad.find("<MsgId>"), 7, "<Ukjent/><MsgId>");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (!v.validate(std::string_view(good)).empty()) ++wrong;
        if (v.validate(std::string_view(bad)).empty()) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace samflyt::msg::testing
