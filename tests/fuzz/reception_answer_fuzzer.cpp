// Fuzz target: msg::parse_reception_answer(), which reads the
// municipality's answer out of a Dialogmelding's free text (TemaKodet 7322
// V=7). Invariants: no exception escapes; an answer it finds is a real
// date, and the sentence Samflyt writes for it (reception_answer_text)
// reads back as the same answer.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace samflyt::msg;
  const auto answer = parse_reception_answer(fuzz::as_view(data, size));
  if (!answer) return 0;
  FUZZ_CHECK(answer->can_receive == answer->from_date.has_value(), "a date without a yes");
  if (answer->from_date) FUZZ_CHECK(answer->from_date->ok(), "an impossible date");
  const auto text = reception_answer_text(*answer);
  const auto again = parse_reception_answer(text);
  FUZZ_CHECK(
      again && again->can_receive == answer->can_receive && again->from_date == answer->from_date,
      text);
  return 0;
}
