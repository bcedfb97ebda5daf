// Result<T>: the value-or-error type every layer returns for expected
// failures (not found, invalid input, conflict, ...). Shaped like
// std::expected, which GCC 12 only offers in C++23 mode.
//
// Exceptions are reserved for programmer errors, start-up/configuration
// failures and third-party throws, which adapters catch at their boundary.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace samflyt {

// The closed set of expected failures. Mapped to an HTTP status in exactly
// one place: api/problem.cpp.
enum class ErrorCode {
  invalid_input,          // the request or file is malformed or breaks a rule
  not_found,              // the addressed thing does not exist
  conflict,               // stale version or a state that forbids the change
  precondition_required,  // an update came without the version it is based on
  unauthenticated,        // no valid session or token: log in
  forbidden,              // the caller may not do this
  too_many_requests,      // e.g. too many failed logins: wait
  payload_too_large,      // the request body is over the limit
  unavailable,            // the database or another dependency is not answering
  internal,               // a bug or an unexpected third-party failure
};

// An error says what went wrong in English and Norwegian bokmål. `field`
// names the offending input field (e.g. "national_id") when there is one.
// Messages must never contain patient data.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;     // English
  std::string message_nb;  // Norwegian bokmål
  std::string field;
};

inline Error make_error(ErrorCode code, std::string en, std::string nb, std::string field = {}) {
  return Error{code, std::move(en), std::move(nb), std::move(field)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT(implicit)
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

  // Names the input field an error is about, unless it already names one.
  Result or_field(std::string_view field) && {
    if (!ok() && std::get<1>(v_).field.empty()) std::get<1>(v_).field = field;
    return std::move(*this);
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(implicit)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace samflyt

// Propagation helpers, in the style of absl's ASSIGN_OR_RETURN:
//   SAMFLYT_TRY(auto patient, tx.patients().get(id));  // declares `patient`
//   SAMFLYT_CHECK(tx.commit());                       // returns the error, if any
#define SAMFLYT_CONCAT_INNER(a, b) a##b
#define SAMFLYT_CONCAT(a, b) SAMFLYT_CONCAT_INNER(a, b)
// NOLINTBEGIN(bugprone-macro-parentheses): `decl` and `tmp` are names.
#define SAMFLYT_TRY_IMPL(tmp, decl, expr)  \
  auto tmp = (expr);                       \
  if (!tmp) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
#define SAMFLYT_TRY(decl, expr) SAMFLYT_TRY_IMPL(SAMFLYT_CONCAT(try_result_, __LINE__), decl, expr)
#define SAMFLYT_CHECK_IMPL(tmp, expr)                           \
  do {                                                          \
    if (auto tmp = (expr); !tmp) return std::move(tmp).error(); \
  } while (0)
// One name per line, so that checks nested in a lambda do not shadow.
#define SAMFLYT_CHECK(expr) SAMFLYT_CHECK_IMPL(SAMFLYT_CONCAT(check_result_, __LINE__), expr)
// NOLINTEND(bugprone-macro-parentheses)
