// What the benchmark programs share: failing loudly on an error, and
// timing.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/result.hpp"

namespace samflyt::bench {

// The value, or an exception saying what failed: a benchmark stops at the
// first error.
template <typename T>
T need(Result<T> r, const std::string& what) {
  if (!r) throw std::runtime_error(what + ": " + r.error().message);
  return std::move(r).value();
}

inline void need(const Result<void>& r, const std::string& what) {
  if (!r) throw std::runtime_error(what + ": " + r.error().message);
}

inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace samflyt::bench
