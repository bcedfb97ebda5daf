// Helpers shared by the store's contract tests.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "core/calendar.hpp"
#include "core/result.hpp"

namespace samflyt::store::testing {

inline core::Instant at(std::string_view rfc3339) {
  auto t = core::parse_instant(rfc3339);
  if (!t) throw std::invalid_argument("bad instant in test: " + std::string(rfc3339));
  return *t;
}

// Unwraps a result; a failure throws, which fails the test with the message.
template <typename T>
T must(Result<T> r) {
  if (!r) throw std::runtime_error("unexpected error: " + r.error().message);
  return std::move(r).value();
}
inline void must(const Result<void>& r) {
  if (!r) throw std::runtime_error("unexpected error: " + r.error().message);
}

}  // namespace samflyt::store::testing
