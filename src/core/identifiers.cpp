// Norwegian identifiers: national id / D-number / H-number / synthetic
// numbers, organisation numbers and HER-ids. See identifiers.hpp.
//
// The national id is patient data: no error message built here ever contains
// any part of the number (nor any digit at all, so that a reader of a log
// cannot mistake a message for a fragment of one).
#include "core/identifiers.hpp"

#include <array>
#include <charconv>
#include <cstddef>
#include <system_error>
#include <utility>

namespace samflyt::core {

namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

int digit_at(std::string_view s, std::size_t i) {
  return s[i] - '0';
}

// The two-digit number starting at position i.
int two_digits_at(std::string_view s, std::size_t i) {
  return digit_at(s, i) * 10 + digit_at(s, i + 1);
}

// Mod-11 check digit over the leading weights.size() digits of `digits`:
// 11 - (weighted sum mod 11), where 11 becomes 0. Returns -1 when the result
// would be 10, i.e. when no check digit exists.
template <std::size_t N>
int mod11_check_digit(std::string_view digits, const std::array<int, N>& weights) {
  int sum = 0;
  for (std::size_t i = 0; i < N; ++i) sum += digit_at(digits, i) * weights[i];
  const int check = 11 - sum % 11;
  if (check == 11) return 0;
  if (check == 10) return -1;
  return check;
}

constexpr std::array<int, 9> kNationalIdWeights1{3, 7, 6, 1, 8, 9, 4, 5, 2};
constexpr std::array<int, 10> kNationalIdWeights2{5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
constexpr std::array<int, 8> kOrgNumberWeights{3, 2, 7, 6, 5, 4, 3, 2};

constexpr char kNationalIdField[] = "national_id";
constexpr char kOrgNumberField[] = "org_number";
constexpr char kHerIdField[] = "her_id";

Error invalid(std::string en, std::string nb, std::string field) {
  return make_error(ErrorCode::invalid_input, std::move(en), std::move(nb), std::move(field));
}

// --- National id errors (digit-free by design, see the file comment) ---

Error national_id_format_error() {
  return invalid("The national identity number must consist of exactly eleven digits.",
                 "Fødselsnummeret må bestå av nøyaktig elleve sifre.", kNationalIdField);
}

Error national_id_check_digit_error() {
  return invalid("The national identity number is not valid: the check digits do not match.",
                 "Fødselsnummeret er ikke gyldig: kontrollsifrene stemmer ikke.", kNationalIdField);
}

Error national_id_date_error() {
  return invalid(
      "The national identity number is not valid: it does not contain a real date of birth.",
      "Fødselsnummeret er ikke gyldig: det inneholder ikke en gyldig fødselsdato.",
      kNationalIdField);
}

Error national_id_century_error() {
  return invalid(
      "The national identity number is not valid: the individual number does not fit the year "
      "of birth.",
      "Fødselsnummeret er ikke gyldig: individnummeret passer ikke med fødselsåret.",
      kNationalIdField);
}

Error test_identity_not_allowed_error() {
  return invalid(
      "Test identities (H-numbers and synthetic numbers) are not allowed here; use a real "
      "national identity number or D-number.",
      "Testidentiteter (H-nummer og syntetiske nummer) er ikke tillatt her; bruk et ekte "
      "fødselsnummer eller D-nummer.",
      kNationalIdField);
}

// The full year from the two-digit year and the individual number (digits
// 7-9), or 0 when the combination is not allocated.
int full_year(int yy, int individual) {
  if (individual <= 499) return 1900 + yy;
  if (individual <= 749 && yy >= 54) return 1800 + yy;
  if (yy <= 39) return 2000 + yy;  // individual 500-999
  if (individual >= 900) return 1900 + yy;
  return 0;
}

}  // namespace

std::string_view to_string(PersonIdKind kind) {
  switch (kind) {
    case PersonIdKind::fodselsnummer:
      return "fodselsnummer";
    case PersonIdKind::d_number:
      return "d_number";
    case PersonIdKind::h_number:
      return "h_number";
    case PersonIdKind::synthetic:
      return "synthetic";
  }
  return "unknown";
}

Result<PersonId> parse_national_id(std::string_view text, IdentityPolicy policy) {
  const std::string_view digits = trim(text);
  if (digits.size() != 11 || !all_digits(digits)) return national_id_format_error();

  const int k1 = mod11_check_digit(digits, kNationalIdWeights1);
  const int k2 = mod11_check_digit(digits, kNationalIdWeights2);
  if (k1 < 0 || k2 < 0 || k1 != digit_at(digits, 9) || k2 != digit_at(digits, 10))
    return national_id_check_digit_error();

  // Decode the kind from the offsets on day and month.
  int dd = two_digits_at(digits, 0);
  int mm = two_digits_at(digits, 2);
  const bool d_offset = dd > 40;  // D-number: first digit + 4
  if (d_offset) dd -= 40;

  PersonIdKind kind = d_offset ? PersonIdKind::d_number : PersonIdKind::fodselsnummer;
  if (mm > 80) {
    // Synthetic (Tenor) numbers exist both as fødselsnummer and D-number.
    mm -= 80;
    kind = PersonIdKind::synthetic;
  } else if (mm > 40) {
    // H-numbers are never combined with the D-number day offset.
    if (d_offset) return national_id_date_error();
    mm -= 40;
    kind = PersonIdKind::h_number;
  }

  const int yy = two_digits_at(digits, 4);
  const int individual = digit_at(digits, 6) * 100 + two_digits_at(digits, 7);
  const int yyyy = full_year(yy, individual);
  if (yyyy == 0) return national_id_century_error();

  // The range checks keep the unsigned conversions below well defined.
  if (dd < 1 || dd > 31 || mm < 1 || mm > 12) return national_id_date_error();
  const year_month_day birth{year{yyyy}, month{static_cast<unsigned>(mm)},
                             day{static_cast<unsigned>(dd)}};
  if (!birth.ok()) return national_id_date_error();

  const bool test_identity = kind == PersonIdKind::h_number || kind == PersonIdKind::synthetic;
  if (test_identity && !policy.allow_test_identities) return test_identity_not_allowed_error();

  return PersonId{std::string(digits), kind, birth};
}

std::optional<std::string> complete_national_id(std::string_view nine_digits) {
  if (nine_digits.size() != 9 || !all_digits(nine_digits)) return std::nullopt;
  std::string result(nine_digits);
  const int k1 = mod11_check_digit(result, kNationalIdWeights1);
  if (k1 < 0) return std::nullopt;
  result.push_back(static_cast<char>('0' + k1));
  const int k2 = mod11_check_digit(result, kNationalIdWeights2);
  if (k2 < 0) return std::nullopt;
  result.push_back(static_cast<char>('0' + k2));
  return result;
}

Result<std::string> parse_org_number(std::string_view text) {
  const std::string_view digits = trim(text);
  if (digits.size() != 9 || !all_digits(digits))
    return invalid("The organisation number must consist of exactly nine digits.",
                   "Organisasjonsnummeret må bestå av nøyaktig ni sifre.", kOrgNumberField);
  const int check = mod11_check_digit(digits, kOrgNumberWeights);
  if (check < 0 || check != digit_at(digits, 8))
    return invalid("The organisation number is not valid: the check digit does not match.",
                   "Organisasjonsnummeret er ikke gyldig: kontrollsifferet stemmer ikke.",
                   kOrgNumberField);
  return std::string(digits);
}

std::optional<std::string> complete_org_number(std::string_view eight_digits) {
  if (eight_digits.size() != 8 || !all_digits(eight_digits)) return std::nullopt;
  const int check = mod11_check_digit(eight_digits, kOrgNumberWeights);
  if (check < 0) return std::nullopt;
  std::string result(eight_digits);
  result.push_back(static_cast<char>('0' + check));
  return result;
}

Result<std::int64_t> parse_her_id(std::string_view text) {
  const std::string_view digits = trim(text);
  if (digits.empty() || !all_digits(digits))
    return invalid("The HER-id must be a positive whole number (digits only).",
                   "HER-id må være et positivt heltall (bare sifre).", kHerIdField);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range)
    return invalid("The HER-id is too large.", "HER-id er for stor.", kHerIdField);
  if (ec != std::errc{} || end != digits.data() + digits.size())
    return invalid("The HER-id must be a positive whole number (digits only).",
                   "HER-id må være et positivt heltall (bare sifre).", kHerIdField);
  return check_her_id(value);
}

Result<std::int64_t> check_her_id(std::int64_t value) {
  if (value <= 0)
    return invalid("The HER-id must be a positive whole number.",
                   "HER-id må være et positivt heltall.", kHerIdField);
  return value;
}

}  // namespace samflyt::core
