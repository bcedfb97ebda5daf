// Unit tests for core/identifiers: national ids (fødselsnummer, D-, H- and
// synthetic numbers), organisation numbers and HER-ids.
#include "core/identifiers.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace samflyt::core {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr IdentityPolicy kStrict{};
constexpr IdentityPolicy kAllowTest{true};

year_month_day ymd(int y, unsigned m, unsigned d) {
  return {year{y}, month{m}, day{d}};
}

// Nine digits DDMMYYIII from their parts (offsets already applied).
std::string nine(int dd, int mm, int yy, int individual) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d%02d%02d%03d", dd, mm, yy, individual);
  return buffer;
}

// A complete national id from invented parts: the first individual number
// from `individual` upwards (within the same hundred-block rules the caller
// chose) for which check digits exist.
std::string make_id(int dd, int mm, int yy, int individual) {
  for (int iii = individual; iii < individual + 40; ++iii) {
    if (auto id = complete_national_id(nine(dd, mm, yy, iii))) return *id;
  }
  ADD_FAILURE() << "no completable individual number near " << individual;
  return {};
}

bool contains_digit(const std::string& s) {
  for (char c : s)
    if (c >= '0' && c <= '9') return true;
  return false;
}

// Asserts a national id is refused with a message in both languages that
// contains no digit (and so no part of the number).
void expect_refused(const std::string& text, IdentityPolicy policy, const std::string& en_fragment,
                    const std::string& nb_fragment) {
  const auto r = parse_national_id(text, policy);
  ASSERT_FALSE(r.ok()) << "accepted: " << text;
  EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(r.error().field, "national_id");
  EXPECT_NE(r.error().message.find(en_fragment), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message_nb.find(nb_fragment), std::string::npos) << r.error().message_nb;
  EXPECT_FALSE(contains_digit(r.error().message)) << r.error().message;
  EXPECT_FALSE(contains_digit(r.error().message_nb)) << r.error().message_nb;
}

struct ValidId {
  std::string digits;
  PersonIdKind kind;
  year_month_day birth;
};

// Valid national ids of every kind: hand-verified literals and numbers
// generated from invented dates and individual numbers.
std::vector<ValidId> valid_ids() {
  return {
      // Hand-verified literals.
      {"15038512363", PersonIdKind::fodselsnummer, ymd(1985, 3, 15)},
      {"29020051386", PersonIdKind::fodselsnummer, ymd(2000, 2, 29)},
      {"01015090126", PersonIdKind::fodselsnummer, ymd(1950, 1, 1)},
      {"31129949980", PersonIdKind::fodselsnummer, ymd(1999, 12, 31)},
      {"01075460070", PersonIdKind::fodselsnummer, ymd(1854, 7, 1)},
      {"17053970087", PersonIdKind::fodselsnummer, ymd(2039, 5, 17)},
      {"55129945604", PersonIdKind::d_number, ymd(1999, 12, 15)},
      {"01827512393", PersonIdKind::synthetic, ymd(1975, 2, 1)},
      {"65827512375", PersonIdKind::synthetic, ymd(1975, 2, 25)},
      // Fødselsnumre across the century rules.
      {make_id(7, 11, 63, 0), PersonIdKind::fodselsnummer, ymd(1963, 11, 7)},
      {make_id(28, 2, 99, 460), PersonIdKind::fodselsnummer, ymd(1999, 2, 28)},
      {make_id(29, 2, 96, 230), PersonIdKind::fodselsnummer, ymd(1996, 2, 29)},
      {make_id(12, 6, 70, 560), PersonIdKind::fodselsnummer, ymd(1870, 6, 12)},
      {make_id(30, 4, 12, 520), PersonIdKind::fodselsnummer, ymd(2012, 4, 30)},
      {make_id(29, 2, 24, 960), PersonIdKind::fodselsnummer, ymd(2024, 2, 29)},
      {make_id(1, 1, 0, 800), PersonIdKind::fodselsnummer, ymd(2000, 1, 1)},
      {make_id(9, 9, 45, 910), PersonIdKind::fodselsnummer, ymd(1945, 9, 9)},
      // D-numbers (day + 40).
      {make_id(41, 1, 80, 100), PersonIdKind::d_number, ymd(1980, 1, 1)},
      {make_id(71, 12, 21, 700), PersonIdKind::d_number, ymd(2021, 12, 31)},
      {make_id(69, 2, 4, 650), PersonIdKind::d_number, ymd(2004, 2, 29)},
      // H-numbers (month + 40).
      {make_id(15, 41, 90, 300), PersonIdKind::h_number, ymd(1990, 1, 15)},
      {make_id(31, 52, 5, 600), PersonIdKind::h_number, ymd(2005, 12, 31)},
      // Synthetic test numbers (month + 80), also with the D-number day.
      {make_id(10, 81, 88, 200), PersonIdKind::synthetic, ymd(1988, 1, 10)},
      {make_id(30, 92, 15, 900), PersonIdKind::synthetic, ymd(2015, 12, 30)},
      {make_id(44, 85, 67, 400), PersonIdKind::synthetic, ymd(1967, 5, 4)},
  };
}

bool is_test_identity(PersonIdKind kind) {
  return kind == PersonIdKind::h_number || kind == PersonIdKind::synthetic;
}

// --- National id: valid numbers ---

TEST(NationalId, ValidNumbersDecodeKindAndBirthDate) {
  for (const ValidId& v : valid_ids()) {
    SCOPED_TRACE(v.digits);
    const auto r = parse_national_id(v.digits, kAllowTest);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->digits, v.digits);
    EXPECT_EQ(r->kind, v.kind);
    EXPECT_EQ(r->birth_date, v.birth);
  }
}

TEST(NationalId, RealIdentitiesAcceptedWithoutPolicy) {
  for (const ValidId& v : valid_ids()) {
    if (is_test_identity(v.kind)) continue;
    SCOPED_TRACE(v.digits);
    const auto r = parse_national_id(v.digits, kStrict);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->kind, v.kind);
  }
}

TEST(NationalId, TestIdentitiesRefusedWithoutPolicy) {
  int test_identities = 0;
  for (const ValidId& v : valid_ids()) {
    if (!is_test_identity(v.kind)) continue;
    ++test_identities;
    SCOPED_TRACE(v.digits);
    expect_refused(v.digits, kStrict, "Test identities", "Testidentiteter");
  }
  EXPECT_GE(test_identities, 7);
}

TEST(NationalId, EverySingleDigitCorruptionIsRejected) {
  for (const ValidId& v : valid_ids()) {
    for (std::size_t pos = 0; pos < v.digits.size(); ++pos) {
      for (char c = '0'; c <= '9'; ++c) {
        if (c == v.digits[pos]) continue;
        std::string corrupted = v.digits;
        corrupted[pos] = c;
        EXPECT_FALSE(parse_national_id(corrupted, kAllowTest).ok())
            << v.digits << " with position " << pos << " set to " << c;
      }
    }
  }
}

TEST(NationalId, CorruptedCheckDigitGivesCheckDigitError) {
  std::string id = "15038512363";
  id[10] = '4';
  expect_refused(id, kAllowTest, "check digits", "kontrollsifrene");
  id = "15038512363";
  id[3] = '4';  // a changed date digit is caught by the checksum first
  expect_refused(id, kAllowTest, "check digits", "kontrollsifrene");
}

TEST(NationalId, KindNames) {
  EXPECT_EQ(to_string(PersonIdKind::fodselsnummer), "fodselsnummer");
  EXPECT_EQ(to_string(PersonIdKind::d_number), "d_number");
  EXPECT_EQ(to_string(PersonIdKind::h_number), "h_number");
  EXPECT_EQ(to_string(PersonIdKind::synthetic), "synthetic");
}

TEST(NationalId, SurroundingWhitespaceIgnored) {
  const auto r = parse_national_id(" \t15038512363\n ", kStrict);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->digits, "15038512363");
}

// --- National id: century rules ---

// A valid number with exactly this individual number and year: the day of
// month is varied until check digits exist.
std::string make_id_with_individual(int mm, int yy, int individual) {
  for (int dd = 1; dd <= 28; ++dd) {
    if (auto id = complete_national_id(nine(dd, mm, yy, individual))) return *id;
  }
  ADD_FAILURE() << "no completable day for individual number " << individual;
  return {};
}

TEST(NationalId, CenturyFromIndividualNumber) {
  struct Case {
    int yy;
    int individual;
    int expected_year;
  };
  // The edges of every range in the allocation table.
  const Case cases[] = {
      {0, 0, 1900},    {99, 0, 1999},   {0, 499, 1900},  {99, 499, 1999},  // 000-499
      {54, 500, 1854}, {99, 500, 1899}, {54, 749, 1854}, {99, 749, 1899},  // 500-749, 54-99
      {0, 500, 2000},  {39, 500, 2039}, {0, 999, 2000},  {39, 999, 2039},  // 500-999, 00-39
      {20, 750, 2020}, {39, 899, 2039},                                    //
      {40, 900, 1940}, {99, 900, 1999}, {40, 999, 1940}, {99, 999, 1999},  // 900-999, 40-99
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "yy=" << c.yy << " individual=" << c.individual);
    const std::string id = make_id_with_individual(6, c.yy, c.individual);
    ASSERT_FALSE(id.empty());
    const auto r = parse_national_id(id, kStrict);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->birth_date.year(), year{c.expected_year});
    EXPECT_EQ(r->birth_date.month(), month{6});
  }
}

TEST(NationalId, UnallocatedCenturyCombinationsRejected) {
  // Individual 500-749 with YY 40-53, and 750-899 with YY 40-99.
  const int combinations[][2] = {{40, 500}, {53, 500}, {40, 749}, {53, 749}, {45, 600},
                                 {40, 750}, {99, 750}, {40, 899}, {99, 899}, {60, 800}};
  for (const auto& [yy, individual] : combinations) {
    const std::string id = make_id_with_individual(6, yy, individual);
    SCOPED_TRACE(id);
    expect_refused(id, kAllowTest, "individual number", "individnummeret");
  }
}

TEST(NationalId, LeapYearsFollowTheCentury) {
  // 29 February 1900 does not exist; 29 February 2000 does.
  expect_refused(make_id(29, 2, 0, 100), kStrict, "date of birth", "fødselsdato");
  const auto r = parse_national_id(make_id(29, 2, 0, 600), kStrict);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->birth_date, ymd(2000, 2, 29));
}

// --- National id: impossible dates ---

TEST(NationalId, ImpossibleDatesRejected) {
  const std::string impossible[] = {
      make_id(31, 2, 85, 100),   // 31 February
      make_id(30, 2, 84, 100),   // 30 February
      make_id(29, 2, 25, 600),   // 29 February 2025
      make_id(29, 2, 97, 100),   // 29 February 1997
      make_id(31, 4, 85, 100),   // 31 April
      make_id(0, 5, 85, 100),    // day 0
      make_id(32, 5, 85, 100),   // day 32
      make_id(15, 0, 85, 100),   // month 0
      make_id(15, 13, 85, 100),  // month 13
      make_id(71, 2, 85, 100),   // D-number for 31 February
      make_id(72, 1, 85, 100),   // D-number day 32
      make_id(40, 1, 85, 100),   // D-number day 0
      make_id(15, 40, 85, 100),  // H-number month 0
      make_id(15, 53, 85, 100),  // H-number month 13
      make_id(15, 80, 85, 100),  // synthetic month 0
      make_id(15, 93, 85, 100),  // synthetic month 13
      make_id(15, 60, 85, 100),  // month 60: no such offset
      make_id(45, 45, 85, 100),  // H-number with a D-number day
      "45451234688",             // the same, hand-verified check digits
      make_id(85, 1, 85, 100),   // day 85
  };
  for (const std::string& id : impossible) {
    SCOPED_TRACE(id);
    expect_refused(id, kAllowTest, "date of birth", "fødselsdato");
  }
}

TEST(NationalId, ImpossibleDateReportedBeforePolicy) {
  expect_refused(make_id(31, 82, 85, 100), kStrict, "date of birth", "fødselsdato");
}

// --- National id: malformed text ---

TEST(NationalId, WrongLengthOrNonDigitsRejected) {
  const std::string malformed[] = {
      "",
      "   ",
      "1503851236",    // ten digits
      "150385123630",  // twelve digits
      "1503851236a",
      "15038512 363",
      "150385-12363",
      "150385 12363",
      "+5038512363",
      "-5038512363",
      "١٥٠٣٨٥١٢٣٦٣",  // Arabic-Indic digits
  };
  for (const std::string& text : malformed) {
    SCOPED_TRACE(text);
    expect_refused(text, kAllowTest, "exactly eleven digits", "nøyaktig elleve sifre");
  }
  std::string with_nul = "15038512363";
  with_nul.push_back('\0');
  expect_refused(with_nul, kAllowTest, "exactly eleven digits", "nøyaktig elleve sifre");
}

TEST(NationalId, ErrorMessagesAreDistinct) {
  const std::string samples[] = {
      "1503851236",              // format
      "15038512364",             // check digits
      make_id(31, 2, 85, 100),   // date
      make_id(15, 6, 45, 600),   // century
      make_id(15, 41, 90, 300),  // test identity, strict policy
  };
  std::vector<std::string> en;
  std::vector<std::string> nb;
  for (const std::string& s : samples) {
    const auto r = parse_national_id(s, kStrict);
    ASSERT_FALSE(r.ok());
    for (const std::string& previous : en) EXPECT_NE(previous, r.error().message);
    for (const std::string& previous : nb) EXPECT_NE(previous, r.error().message_nb);
    EXPECT_FALSE(r.error().message.empty());
    EXPECT_FALSE(r.error().message_nb.empty());
    EXPECT_NE(r.error().message, r.error().message_nb);
    en.push_back(r.error().message);
    nb.push_back(r.error().message_nb);
  }
}

TEST(NationalId, ErrorMessagesNeverContainDigits) {
  // Every single-digit corruption of a valid number, and the malformed and
  // refused cases: no message may carry any digit.
  for (const ValidId& v : valid_ids()) {
    for (const IdentityPolicy policy : {kStrict, kAllowTest}) {
      for (std::size_t pos = 0; pos < v.digits.size(); ++pos) {
        std::string corrupted = v.digits;
        corrupted[pos] = corrupted[pos] == '9' ? '0' : static_cast<char>(corrupted[pos] + 1);
        for (const std::string& text : {corrupted, v.digits, v.digits + "1", v.digits.substr(1)}) {
          const auto r = parse_national_id(text, policy);
          if (r.ok()) continue;
          EXPECT_FALSE(contains_digit(r.error().message)) << r.error().message;
          EXPECT_FALSE(contains_digit(r.error().message_nb)) << r.error().message_nb;
        }
      }
    }
  }
}

// --- complete_national_id ---

TEST(NationalId, CompleteRejectsBadInput) {
  EXPECT_FALSE(complete_national_id("").has_value());
  EXPECT_FALSE(complete_national_id("15038512").has_value());
  EXPECT_FALSE(complete_national_id("1503851236").has_value());
  EXPECT_FALSE(complete_national_id("15038512x").has_value());
  EXPECT_EQ(complete_national_id("150385123"), "15038512363");
}

TEST(NationalId, NoValidNumberForUncompletablePrefix) {
  // "290200512" and "454512345" have no check digits; no two-digit suffix
  // may then make a valid number.
  for (const std::string prefix : {"290200512", "454512345", "311299498"}) {
    EXPECT_FALSE(complete_national_id(prefix).has_value()) << prefix;
    for (int suffix = 0; suffix < 100; ++suffix) {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%02d", suffix);
      EXPECT_FALSE(parse_national_id(prefix + buffer, kAllowTest).ok()) << prefix << buffer;
    }
  }
}

TEST(NationalId, CompletedNumbersAlwaysValidate) {
  // Completion and validation agree over a sweep of individual numbers.
  int completed = 0;
  for (int iii = 0; iii < 1000; ++iii) {
    const std::string prefix = nine(1, 3, 1, iii);
    const auto id = complete_national_id(prefix);
    if (!id) continue;
    ++completed;
    ASSERT_EQ(id->substr(0, 9), prefix);
    const auto r = parse_national_id(*id, kStrict);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->birth_date, ymd(iii >= 500 ? 2001 : 1901, 3, 1));
  }
  EXPECT_GT(completed, 700);
  EXPECT_LT(completed, 1000);
}

// --- Organisation numbers ---

std::vector<std::string> valid_org_numbers() {
  std::vector<std::string> numbers = {"974760673", "923609016", "983544622"};  // hand-verified
  for (const std::string prefix : {"91234567", "81000000", "99999999", "00000001", "87654321"}) {
    if (auto n = complete_org_number(prefix)) numbers.push_back(*n);
  }
  return numbers;
}

TEST(OrgNumber, ValidNumbersAccepted) {
  const auto numbers = valid_org_numbers();
  EXPECT_GE(numbers.size(), 7u);
  for (const std::string& n : numbers) {
    const auto r = parse_org_number(n);
    ASSERT_TRUE(r.ok()) << n << ": " << r.error().message;
    EXPECT_EQ(*r, n);
  }
  const auto trimmed = parse_org_number("  974760673\t");
  ASSERT_TRUE(trimmed.ok());
  EXPECT_EQ(*trimmed, "974760673");
}

TEST(OrgNumber, EverySingleDigitCorruptionIsRejected) {
  for (const std::string& n : valid_org_numbers()) {
    for (std::size_t pos = 0; pos < n.size(); ++pos) {
      for (char c = '0'; c <= '9'; ++c) {
        if (c == n[pos]) continue;
        std::string corrupted = n;
        corrupted[pos] = c;
        const auto r = parse_org_number(corrupted);
        ASSERT_FALSE(r.ok()) << n << " with position " << pos << " set to " << c;
        EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
        EXPECT_EQ(r.error().field, "org_number");
        EXPECT_NE(r.error().message.find("check digit"), std::string::npos);
        EXPECT_NE(r.error().message_nb.find("kontrollsifferet"), std::string::npos);
      }
    }
  }
}

TEST(OrgNumber, MalformedRejected) {
  for (const std::string text :
       {"", "97476067", "9747606730", "974 760 673", "97476067a", "974-760-673", "+74760673"}) {
    const auto r = parse_org_number(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
    EXPECT_NE(r.error().message.find("exactly nine digits"), std::string::npos);
    EXPECT_NE(r.error().message_nb.find("nøyaktig ni sifre"), std::string::npos);
  }
}

TEST(OrgNumber, Complete) {
  EXPECT_EQ(complete_org_number("97476067"), "974760673");
  EXPECT_FALSE(complete_org_number("9747606").has_value());
  EXPECT_FALSE(complete_org_number("974760673").has_value());
  EXPECT_FALSE(complete_org_number("9747606x").has_value());
  // A prefix whose check digit would be 10 has no valid completion.
  int uncompletable = 0;
  for (int i = 0; i < 200; ++i) {
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "9%07d", i * 37);
    if (complete_org_number(prefix)) continue;
    ++uncompletable;
    for (char c = '0'; c <= '9'; ++c)
      EXPECT_FALSE(parse_org_number(std::string(prefix) + c).ok()) << prefix << c;
  }
  EXPECT_GT(uncompletable, 0);
}

// --- HER-id ---

TEST(HerId, ValidAccepted) {
  EXPECT_EQ(*parse_her_id("8093567"), 8093567);
  EXPECT_EQ(*parse_her_id("1"), 1);
  EXPECT_EQ(*parse_her_id(" 42\n"), 42);
  EXPECT_EQ(*parse_her_id("9223372036854775807"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(*check_her_id(8093567), 8093567);
  EXPECT_EQ(*check_her_id(std::numeric_limits<std::int64_t>::max()),
            std::numeric_limits<std::int64_t>::max());
}

TEST(HerId, InvalidRejected) {
  for (const std::string text :
       {"0", "000", "-1", "-8093567", "+42", "", "  ", "42a", "4 2", "0x10", "1e5", "3.0",
        "9223372036854775808", "99999999999999999999999"}) {
    const auto r = parse_her_id(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
    EXPECT_EQ(r.error().field, "her_id");
    EXPECT_FALSE(r.error().message.empty());
    EXPECT_FALSE(r.error().message_nb.empty());
  }
  EXPECT_FALSE(check_her_id(0).ok());
  EXPECT_FALSE(check_her_id(-1).ok());
  EXPECT_FALSE(check_her_id(std::numeric_limits<std::int64_t>::min()).ok());
}

TEST(HerId, OverflowHasItsOwnMessage) {
  const auto r = parse_her_id("9223372036854775808");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("too large"), std::string::npos);
  EXPECT_NE(r.error().message_nb.find("for stor"), std::string::npos);
}

}  // namespace
}  // namespace samflyt::core
