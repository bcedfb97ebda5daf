// Norwegian identifiers, validated with their check digits.
//
// - National identity number (fødselsnummer, 11 digits DDMMYYIIIKK) and
//   D-number (first digit + 4). Two mod-11 check digits; the date part must
//   be a real calendar date; the century follows from the individual number.
// - H-number (hjelpenummer, month + 40) and synthetic test numbers
//   (Skatteetaten/Tenor, month + 80): accepted only when the policy allows
//   test identities.
// - Organisation number (organisasjonsnummer, 9 digits, mod-11 weights
//   3 2 7 6 5 4 3 2).
// - HER-id (the national address register's id): a positive integer.
//
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace samflyt::core {

enum class PersonIdKind { fodselsnummer, d_number, h_number, synthetic };

std::string_view to_string(PersonIdKind kind);  // "fodselsnummer", "d_number", ...

struct PersonId {
  std::string digits;  // the 11 digits
  PersonIdKind kind = PersonIdKind::fodselsnummer;
  std::chrono::year_month_day birth_date;
};

struct IdentityPolicy {
  bool allow_test_identities = false;  // H-numbers and synthetic numbers
};

// Validates a national id. Surrounding whitespace is ignored; anything but
// 11 digits is refused. Errors are ErrorCode::invalid_input, in English and
// Norwegian, and never echo the number.
Result<PersonId> parse_national_id(std::string_view text, IdentityPolicy policy);

// Appends the two check digits to 9 digits (DDMMYYIII). std::nullopt when a
// check digit would be 10, i.e. no valid number exists with that prefix.
std::optional<std::string> complete_national_id(std::string_view nine_digits);

// Validates a 9-digit organisation number.
Result<std::string> parse_org_number(std::string_view text);

// Appends the check digit to 8 digits; std::nullopt when none exists.
std::optional<std::string> complete_org_number(std::string_view eight_digits);

// Validates a HER-id given as text: a positive integer that fits in int64.
Result<std::int64_t> parse_her_id(std::string_view text);

// Validates a HER-id given as a number.
Result<std::int64_t> check_her_id(std::int64_t value);

}  // namespace samflyt::core
