// Fuzz target: msg::receive(), the inbox's door (what faces the network),
// with the official schemas when the standards folder is there (as a
// deployment runs it) and once more without a Validator, addressed to the
// test health community's HER-ids. Invariants: no exception escapes; the
// decision is consistent (OK exactly when there are no errors, only known
// 8221 codes); and whenever an AppRec is to be sent, make_apprec() and
// make_copy_apprec() build it, msg::write() writes it and msg::read()
// reads it back as a conformant AppRec with the same status and errors:
// the answer Samflyt sends is always a valid AppRec.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "fuzz_support.hpp"
#include "msg/receive.hpp"
#include "msg/validator.hpp"

namespace {

using namespace samflyt::msg;

// Compiled once per process (a few hundred milliseconds); null without the
// standards folder.
const Validator* validator() {
  static const std::unique_ptr<Validator> v = [] {
    const std::filesystem::path dir = std::filesystem::path(SAMFLYT_STANDARDS_DIR) / "schemas";
    return std::filesystem::exists(dir / "all-v16.xsd") ? std::make_unique<Validator>(dir)
                                                        : nullptr;
  }();
  return v.get();
}

void check_apprec(const Received& received, const AppRec& a) {
  std::string xml;
  try {
    xml = write(a);
  } catch (const std::invalid_argument& e) {
    fuzz::fail(__FILE__, __LINE__, "the AppRec to send cannot be written", e.what());
  }
  const auto back = read(xml);
  FUZZ_CHECK(back.ok() && back.apprec, xml);
  FUZZ_CHECK(back.apprec->status == static_cast<int>(received.decision.status), xml);
  FUZZ_CHECK(back.apprec->errors.size() == received.decision.errors.size(), xml);
  FUZZ_CHECK(back.apprec->original_msg_id == received.read.envelope->msg_id, xml);
  if (const auto* v = validator()) {
    const auto schema_errors = v->validate(std::string_view(xml));
    FUZZ_CHECK(schema_errors.empty(), xml + "\n" + schema_errors.front());
  }
}

void check(const Received& r) {
  fuzz::check_errors(r.read.errors);
  fuzz::check_errors(r.decision.errors);
  const auto& d = r.decision;
  FUZZ_CHECK((d.status == AppRecStatus::ok) == d.errors.empty(), "status and errors disagree");
  FUZZ_CHECK(d.status == AppRecStatus::ok || d.status == AppRecStatus::rejected, "status");
  if (!r.read.ok()) FUZZ_CHECK(d.status == AppRecStatus::rejected, "errors but accepted");
  if (!d.answer && d.copy_answers.empty())
    FUZZ_CHECK(!d.no_answer_reason.empty(), "no AppRec and no reason");
  const auto now = samflyt::core::Instant{} + std::chrono::hours{24 * 365 * 56};
  if (d.answer) check_apprec(r, make_apprec(r, now, "0f0e0d0c-0b0a-4908-8706-050403020100"));
  for (const auto i : d.copy_answers)
    check_apprec(r, make_copy_apprec(r, i, now, "1f0e0d0c-0b0a-4908-8706-050403020100"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = fuzz::as_view(data, size);
  check(receive(bytes, validator()));
  ReceiveOptions ours;
  ours.allow_test_identities = true;
  ours.own_her_ids = {8200001, 8200017, 8100001, 8100042};
  ours.reject_unknown_service = true;
  check(receive(bytes, nullptr, ours));
  return 0;
}
