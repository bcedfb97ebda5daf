// Fuzz target: msg::read() on AppRec 1.0 and 1.1 documents.
// read() is the one decoder entry point (it dispatches on the root and
// content namespaces), so the read_* targets share check_read(); they
// differ in their seeds (corpus/read_apprec: AppRecs), which is where the
// fuzzer spends its time.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  samflyt::msg::fuzz::check_read(samflyt::msg::fuzz::as_view(data, size));
  return 0;
}
