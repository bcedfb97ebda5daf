// Unit tests for core/calendar: Oslo days across DST changes, Easter,
// Norwegian public holidays, working days and RFC 3339 text.
#include "core/calendar.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace samflyt::core {
namespace {

using namespace std::chrono_literals;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date ymd(int y, unsigned m, unsigned d) {
  return Date{year{y}, month{m}, day{d}};
}

Instant utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return std::chrono::sys_days{ymd(y, m, d)} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
         std::chrono::seconds{ss};
}

// --- Oslo calendar days ---

TEST(OsloDate, WinterMidnightIsTwentyThreeUtc) {
  EXPECT_EQ(oslo_date(utc(2026, 1, 14, 22, 59, 59)), ymd(2026, 1, 14));
  EXPECT_EQ(oslo_date(utc(2026, 1, 14, 23, 0, 0)), ymd(2026, 1, 15));
  EXPECT_EQ(oslo_date(utc(2025, 12, 31, 22, 59, 59)), ymd(2025, 12, 31));
  EXPECT_EQ(oslo_date(utc(2025, 12, 31, 23, 0, 0)), ymd(2026, 1, 1));
}

TEST(OsloDate, SummerMidnightIsTwentyTwoUtc) {
  EXPECT_EQ(oslo_date(utc(2026, 6, 30, 21, 59, 59)), ymd(2026, 6, 30));
  EXPECT_EQ(oslo_date(utc(2026, 6, 30, 22, 0, 0)), ymd(2026, 7, 1));
}

TEST(OsloDate, AroundSpringForward) {
  // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST at 01:00 UTC.
  EXPECT_EQ(oslo_date(utc(2026, 3, 28, 22, 59, 59)), ymd(2026, 3, 28));
  EXPECT_EQ(oslo_date(utc(2026, 3, 28, 23, 0, 0)), ymd(2026, 3, 29));  // still CET
  EXPECT_EQ(oslo_date(utc(2026, 3, 29, 0, 59, 59)), ymd(2026, 3, 29));
  EXPECT_EQ(oslo_date(utc(2026, 3, 29, 1, 0, 0)), ymd(2026, 3, 29));
  EXPECT_EQ(oslo_date(utc(2026, 3, 29, 21, 59, 59)), ymd(2026, 3, 29));  // now CEST
  EXPECT_EQ(oslo_date(utc(2026, 3, 29, 22, 0, 0)), ymd(2026, 3, 30));
}

TEST(OsloDate, AroundFallBack) {
  // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET at 01:00 UTC.
  EXPECT_EQ(oslo_date(utc(2026, 10, 24, 21, 59, 59)), ymd(2026, 10, 24));
  EXPECT_EQ(oslo_date(utc(2026, 10, 24, 22, 0, 0)), ymd(2026, 10, 25));  // still CEST
  EXPECT_EQ(oslo_date(utc(2026, 10, 25, 0, 59, 59)), ymd(2026, 10, 25));
  EXPECT_EQ(oslo_date(utc(2026, 10, 25, 1, 0, 0)), ymd(2026, 10, 25));
  EXPECT_EQ(oslo_date(utc(2026, 10, 25, 22, 59, 59)), ymd(2026, 10, 25));  // now CET
  EXPECT_EQ(oslo_date(utc(2026, 10, 25, 23, 0, 0)), ymd(2026, 10, 26));
}

TEST(OsloDay, StartAndEndInWinterAndSummer) {
  EXPECT_EQ(oslo_start_of_day(ymd(2026, 1, 15)), utc(2026, 1, 14, 23, 0, 0));
  EXPECT_EQ(oslo_end_of_day(ymd(2026, 1, 15)), utc(2026, 1, 15, 22, 59, 59));
  EXPECT_EQ(oslo_start_of_day(ymd(2026, 7, 1)), utc(2026, 6, 30, 22, 0, 0));
  EXPECT_EQ(oslo_end_of_day(ymd(2026, 7, 1)), utc(2026, 7, 1, 21, 59, 59));
  EXPECT_EQ(oslo_start_of_day(ymd(2027, 1, 1)), utc(2026, 12, 31, 23, 0, 0));
  EXPECT_EQ(oslo_end_of_day(ymd(2026, 12, 31)), utc(2026, 12, 31, 22, 59, 59));
}

TEST(OsloDay, ShortAndLongDaysAtDstChanges) {
  // The spring-forward day has 23 hours, the fall-back day 25.
  EXPECT_EQ(oslo_start_of_day(ymd(2026, 3, 29)), utc(2026, 3, 28, 23, 0, 0));
  EXPECT_EQ(oslo_end_of_day(ymd(2026, 3, 29)), utc(2026, 3, 29, 21, 59, 59));
  EXPECT_EQ(oslo_end_of_day(ymd(2026, 3, 29)) - oslo_start_of_day(ymd(2026, 3, 29)), 23h - 1s);
  EXPECT_EQ(oslo_start_of_day(ymd(2026, 10, 25)), utc(2026, 10, 24, 22, 0, 0));
  EXPECT_EQ(oslo_end_of_day(ymd(2026, 10, 25)), utc(2026, 10, 25, 22, 59, 59));
  EXPECT_EQ(oslo_end_of_day(ymd(2026, 10, 25)) - oslo_start_of_day(ymd(2026, 10, 25)), 25h - 1s);
}

TEST(OsloDay, StartAndEndAgreeWithOsloDateAllYear) {
  for (Date d = ymd(2025, 12, 25); d <= ymd(2027, 1, 5); d = add_days(d, 1)) {
    SCOPED_TRACE(format_date(d));
    const Instant start = oslo_start_of_day(d);
    const Instant end = oslo_end_of_day(d);
    EXPECT_EQ(oslo_date(start), d);
    EXPECT_EQ(oslo_date(start - 1s), add_days(d, -1));
    EXPECT_EQ(oslo_date(end), d);
    EXPECT_EQ(oslo_date(end + 1s), add_days(d, 1));
    EXPECT_EQ(end + 1s, oslo_start_of_day(add_days(d, 1)));
    const auto length = end + 1s - start;
    EXPECT_TRUE(length == 24h || length == 23h || length == 25h);
  }
}

// --- Days ---

TEST(Days, AddDaysAcrossMonthsAndYears) {
  EXPECT_EQ(add_days(ymd(2026, 1, 31), 1), ymd(2026, 2, 1));
  EXPECT_EQ(add_days(ymd(2026, 2, 28), 1), ymd(2026, 3, 1));
  EXPECT_EQ(add_days(ymd(2024, 2, 28), 1), ymd(2024, 2, 29));
  EXPECT_EQ(add_days(ymd(2026, 12, 31), 1), ymd(2027, 1, 1));
  EXPECT_EQ(add_days(ymd(2027, 1, 1), -1), ymd(2026, 12, 31));
  EXPECT_EQ(add_days(ymd(2026, 3, 1), -1), ymd(2026, 2, 28));
  EXPECT_EQ(add_days(ymd(2026, 1, 1), 365), ymd(2027, 1, 1));
  EXPECT_EQ(add_days(ymd(2024, 1, 1), 366), ymd(2025, 1, 1));
  EXPECT_EQ(add_days(ymd(2026, 5, 17), 0), ymd(2026, 5, 17));
}

TEST(Days, Weekends) {
  EXPECT_FALSE(is_weekend(ymd(2026, 3, 27)));  // Friday
  EXPECT_TRUE(is_weekend(ymd(2026, 3, 28)));   // Saturday
  EXPECT_TRUE(is_weekend(ymd(2026, 3, 29)));   // Sunday
  EXPECT_FALSE(is_weekend(ymd(2026, 3, 30)));  // Monday
}

// --- Easter and holidays ---

TEST(Easter, KnownDates) {
  EXPECT_EQ(easter_sunday(2024), ymd(2024, 3, 31));
  EXPECT_EQ(easter_sunday(2025), ymd(2025, 4, 20));
  EXPECT_EQ(easter_sunday(2026), ymd(2026, 4, 5));
  EXPECT_EQ(easter_sunday(2027), ymd(2027, 3, 28));
  EXPECT_EQ(easter_sunday(2038), ymd(2038, 4, 25));
  EXPECT_EQ(easter_sunday(2000), ymd(2000, 4, 23));
  EXPECT_EQ(easter_sunday(2008), ymd(2008, 3, 23));
  EXPECT_EQ(easter_sunday(2011), ymd(2011, 4, 24));
  EXPECT_EQ(easter_sunday(2019), ymd(2019, 4, 21));
  EXPECT_EQ(easter_sunday(1818), ymd(1818, 3, 22));  // earliest possible
  EXPECT_EQ(easter_sunday(1943), ymd(1943, 4, 25));  // latest possible
  EXPECT_EQ(easter_sunday(2285), ymd(2285, 3, 22));
}

TEST(Easter, AlwaysASundayBetween22MarchAnd25April) {
  for (int y = 1583; y <= 4099; ++y) {
    const Date easter = easter_sunday(y);
    ASSERT_TRUE(easter.ok()) << y;
    EXPECT_EQ(std::chrono::weekday{std::chrono::sys_days{easter}}, std::chrono::Sunday) << y;
    EXPECT_GE(easter, ymd(y, 3, 22)) << y;
    EXPECT_LE(easter, ymd(y, 4, 25)) << y;
  }
}

TEST(Holidays, FullListFor2026) {
  struct Expected {
    Date date;
    std::string nb;
    std::string en;
  };
  const std::vector<Expected> expected = {
      {ymd(2026, 1, 1), "Første nyttårsdag", "New Year's Day"},
      {ymd(2026, 4, 2), "Skjærtorsdag", "Maundy Thursday"},
      {ymd(2026, 4, 3), "Langfredag", "Good Friday"},
      {ymd(2026, 4, 5), "Første påskedag", "Easter Sunday"},
      {ymd(2026, 4, 6), "Andre påskedag", "Easter Monday"},
      {ymd(2026, 5, 1), "Arbeidernes dag", "Labour Day"},
      {ymd(2026, 5, 14), "Kristi himmelfartsdag", "Ascension Day"},
      {ymd(2026, 5, 17), "Grunnlovsdag", "Constitution Day"},
      {ymd(2026, 5, 24), "Første pinsedag", "Whit Sunday"},
      {ymd(2026, 5, 25), "Andre pinsedag", "Whit Monday"},
      {ymd(2026, 12, 25), "Første juledag", "Christmas Day"},
      {ymd(2026, 12, 26), "Andre juledag", "Boxing Day"},
  };
  const std::vector<Holiday> holidays = public_holidays(2026);
  ASSERT_EQ(holidays.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].nb);
    EXPECT_EQ(holidays[i].date, expected[i].date);
    EXPECT_EQ(holidays[i].name_nb, expected[i].nb);
    EXPECT_EQ(holidays[i].name_en, expected[i].en);
    EXPECT_TRUE(is_public_holiday(expected[i].date));
  }
}

TEST(Holidays, ExactlyTheListedDaysIn2026) {
  const std::vector<Holiday> holidays = public_holidays(2026);
  int count = 0;
  for (Date d = ymd(2026, 1, 1); d <= ymd(2026, 12, 31); d = add_days(d, 1)) {
    bool listed = false;
    for (const Holiday& h : holidays) listed = listed || h.date == d;
    EXPECT_EQ(is_public_holiday(d), listed) << format_date(d);
    if (is_public_holiday(d)) ++count;
  }
  EXPECT_EQ(count, 12);
}

TEST(Holidays, OrdinaryDaysAreNotHolidays) {
  EXPECT_FALSE(is_public_holiday(ymd(2026, 12, 24)));  // Christmas Eve
  EXPECT_FALSE(is_public_holiday(ymd(2026, 12, 31)));  // New Year's Eve
  EXPECT_FALSE(is_public_holiday(ymd(2026, 4, 4)));    // Easter Saturday
  EXPECT_FALSE(is_public_holiday(ymd(2026, 5, 23)));   // Whit Saturday
  EXPECT_FALSE(is_public_holiday(ymd(2026, 4, 1)));
}

TEST(Holidays, SortedWhenAscensionMeetsMayDays) {
  // 2008: Ascension Day falls on 1 May. 2285: Easter on 22 March puts
  // Ascension Day on 30 April, before 1 May.
  for (const int y : {2008, 2285, 2027, 2038}) {
    const std::vector<Holiday> holidays = public_holidays(y);
    ASSERT_EQ(holidays.size(), 12u) << y;
    for (std::size_t i = 1; i < holidays.size(); ++i)
      EXPECT_LE(holidays[i - 1].date, holidays[i].date) << y;
  }
  const std::vector<Holiday> y2008 = public_holidays(2008);
  EXPECT_EQ(y2008[5].date, ymd(2008, 5, 1));
  EXPECT_EQ(y2008[6].date, ymd(2008, 5, 1));
  EXPECT_EQ(y2008[6].name_nb, "Kristi himmelfartsdag");
  const std::vector<Holiday> y2285 = public_holidays(2285);
  EXPECT_EQ(y2285[5].date, ymd(2285, 4, 30));
  EXPECT_EQ(y2285[5].name_nb, "Kristi himmelfartsdag");
  EXPECT_EQ(y2285[6].name_nb, "Arbeidernes dag");
}

// --- Working days ---

TEST(WorkingDays, Basics) {
  EXPECT_TRUE(is_working_day(ymd(2026, 4, 1)));
  EXPECT_FALSE(is_working_day(ymd(2026, 4, 2)));   // Maundy Thursday
  EXPECT_FALSE(is_working_day(ymd(2026, 4, 4)));   // Saturday
  EXPECT_TRUE(is_working_day(ymd(2026, 12, 24)));  // Christmas Eve, a Thursday
}

TEST(WorkingDays, ZeroGivesTheSameDayOrTheNextWorkingDay) {
  EXPECT_EQ(add_working_days(ymd(2026, 4, 1), 0), ymd(2026, 4, 1));
  EXPECT_EQ(add_working_days(ymd(2026, 4, 4), 0), ymd(2026, 4, 7));      // Easter Saturday
  EXPECT_EQ(add_working_days(ymd(2026, 12, 25), 0), ymd(2026, 12, 28));  // Christmas Day
}

TEST(WorkingDays, AcrossWeekends) {
  EXPECT_EQ(add_working_days(ymd(2026, 1, 8), 1), ymd(2026, 1, 9));    // Thu -> Fri
  EXPECT_EQ(add_working_days(ymd(2026, 1, 9), 1), ymd(2026, 1, 12));   // Fri -> Mon
  EXPECT_EQ(add_working_days(ymd(2026, 1, 9), 5), ymd(2026, 1, 16));   // Fri -> Fri
  EXPECT_EQ(add_working_days(ymd(2026, 1, 10), 1), ymd(2026, 1, 12));  // Sat -> Mon
  EXPECT_EQ(add_working_days(ymd(2026, 1, 11), 1), ymd(2026, 1, 12));  // Sun -> Mon
  EXPECT_EQ(add_working_days(ymd(2026, 1, 12), 10), ymd(2026, 1, 26));
}

TEST(WorkingDays, AcrossEaster2026) {
  // Maundy Thursday 2 April to Easter Monday 6 April are all days off.
  EXPECT_EQ(add_working_days(ymd(2026, 4, 1), 1), ymd(2026, 4, 7));  // Wed -> Tue
  EXPECT_EQ(add_working_days(ymd(2026, 3, 31), 2), ymd(2026, 4, 7));
  EXPECT_EQ(add_working_days(ymd(2026, 3, 27), 5), ymd(2026, 4, 8));
  EXPECT_EQ(add_working_days(ymd(2026, 4, 2), 1), ymd(2026, 4, 7));  // from a holiday
}

TEST(WorkingDays, AcrossMayHolidays) {
  // 2028: 17 May is a Wednesday.
  EXPECT_EQ(add_working_days(ymd(2028, 5, 16), 1), ymd(2028, 5, 18));
  // 2026: Ascension Day Thursday 14 May; 17 May is a Sunday; Whit Monday 25 May.
  EXPECT_EQ(add_working_days(ymd(2026, 5, 13), 1), ymd(2026, 5, 15));
  EXPECT_EQ(add_working_days(ymd(2026, 5, 15), 1), ymd(2026, 5, 18));
  EXPECT_EQ(add_working_days(ymd(2026, 5, 22), 1), ymd(2026, 5, 26));
  // 2026: 1 May is a Friday.
  EXPECT_EQ(add_working_days(ymd(2026, 4, 30), 1), ymd(2026, 5, 4));
}

TEST(WorkingDays, AcrossChristmasAndNewYear) {
  EXPECT_EQ(add_working_days(ymd(2026, 12, 23), 1), ymd(2026, 12, 24));
  EXPECT_EQ(add_working_days(ymd(2026, 12, 23), 2), ymd(2026, 12, 28));
  EXPECT_EQ(add_working_days(ymd(2026, 12, 31), 1), ymd(2027, 1, 4));  // 1 Jan is a Friday
  EXPECT_EQ(add_working_days(ymd(2026, 12, 24), 4), ymd(2026, 12, 31));
  EXPECT_EQ(add_working_days(ymd(2026, 12, 24), 5), ymd(2027, 1, 4));
}

TEST(WorkingDays, ResultIsTheNthWorkingDay) {
  for (Date d = ymd(2026, 1, 1); d <= ymd(2026, 12, 31); d = add_days(d, 1)) {
    for (int n = 1; n <= 7; ++n) {
      const Date result = add_working_days(d, n);
      ASSERT_TRUE(is_working_day(result)) << format_date(d) << " + " << n;
      int counted = 0;
      for (Date x = add_days(d, 1); x <= result; x = add_days(x, 1))
        if (is_working_day(x)) ++counted;
      EXPECT_EQ(counted, n) << format_date(d) << " + " << n;
    }
  }
}

// --- Text ---

TEST(DateText, FormatAndParse) {
  EXPECT_EQ(format_date(ymd(2026, 3, 29)), "2026-03-29");
  EXPECT_EQ(format_date(ymd(2026, 12, 1)), "2026-12-01");
  EXPECT_EQ(format_date(ymd(999, 1, 2)), "0999-01-02");
  const auto parsed = parse_date("2026-03-29");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, ymd(2026, 3, 29));
  ASSERT_TRUE(parse_date("2024-02-29").ok());
  EXPECT_EQ(*parse_date("2024-02-29"), ymd(2024, 2, 29));
  for (Date d = ymd(2023, 12, 1); d <= ymd(2025, 3, 1); d = add_days(d, 1))
    EXPECT_EQ(*parse_date(format_date(d)), d);
}

TEST(DateText, ParseRejects) {
  for (const std::string text :
       {"", "2026-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
        "2026-01-32", "2026-1-01", "2026-01-1", "26-01-01", "20260101", "2026/01/01", " 2026-01-01",
        "2026-01-01 ", "2026-01-01T00:00:00Z", "+026-01-01", "2026-0a-01", "2026-01-01\n"}) {
    const auto r = parse_date(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
    EXPECT_FALSE(r.error().message.empty());
    EXPECT_FALSE(r.error().message_nb.empty());
    EXPECT_NE(r.error().message, r.error().message_nb);
  }
}

TEST(InstantText, Format) {
  EXPECT_EQ(format_instant(utc(2026, 3, 29, 1, 0, 0)), "2026-03-29T01:00:00Z");
  EXPECT_EQ(format_instant(utc(2026, 12, 31, 23, 59, 59)), "2026-12-31T23:59:59Z");
  EXPECT_EQ(format_instant(utc(1969, 12, 31, 23, 59, 59)), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_instant(utc(10000, 1, 1, 0, 0, 0)), "10000-01-01T00:00:00Z");
  EXPECT_EQ(format_instant(Instant{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_instant(Instant{} - 1s), "1969-12-31T23:59:59Z");
}

TEST(InstantText, ParseUtcAndOffsets) {
  EXPECT_EQ(*parse_instant("2026-03-29T01:00:00Z"), utc(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(*parse_instant("2026-03-29T03:00:00+02:00"), utc(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(*parse_instant("2026-03-29t01:00:00z"), utc(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(*parse_instant("2026-03-29T01:00:00-00:00"), utc(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(*parse_instant("2026-01-01T00:30:00+01:00"), utc(2025, 12, 31, 23, 30, 0));
  EXPECT_EQ(*parse_instant("2026-03-28T20:00:00-05:30"), utc(2026, 3, 29, 1, 30, 0));
  EXPECT_EQ(*parse_instant("2026-10-25T02:30:00+01:00"), utc(2026, 10, 25, 1, 30, 0));
  EXPECT_EQ(*parse_instant("2026-10-25T02:30:00+02:00"), utc(2026, 10, 25, 0, 30, 0));
  EXPECT_EQ(*parse_instant("2024-02-29T12:00:00Z"), utc(2024, 2, 29, 12, 0, 0));
  EXPECT_EQ(*parse_instant("2026-06-30T23:59:59+23:59"), utc(2026, 6, 30, 0, 0, 59));
}

TEST(InstantText, FractionalSecondsAreTruncated) {
  EXPECT_EQ(*parse_instant("2026-03-29T01:00:00.999999999Z"), utc(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(*parse_instant("2026-03-29T01:00:00.0Z"), utc(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(*parse_instant("2026-03-29T01:00:00.5+02:00"), utc(2026, 3, 28, 23, 0, 0));
  EXPECT_EQ(*parse_instant("1969-12-31T23:59:59.75Z"), Instant{} - 1s);
}

TEST(InstantText, RoundTrip) {
  const Instant samples[] = {utc(2026, 3, 29, 1, 0, 0),
                             utc(2026, 10, 25, 0, 59, 59),
                             utc(2000, 2, 29, 12, 34, 56),
                             utc(1969, 7, 20, 20, 17, 40),
                             Instant{},
                             utc(2099, 12, 31, 23, 59, 59)};
  for (const Instant t : samples) {
    const std::string text = format_instant(t);
    const auto parsed = parse_instant(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(*parsed, t) << text;
  }
}

TEST(InstantText, ParseRejects) {
  for (const std::string text : {
           "",
           "2026-03-29",
           "2026-03-29T01:00:00",   // no offset
           "2026-03-29T01:00Z",     // no seconds
           "2026-03-29 01:00:00Z",  // space separator
           "2026-03-29X01:00:00Z",
           "2026-3-29T01:00:00Z",
           "2026-03-29T1:00:00Z",
           "2026-03-29T01:00:00+0200",  // offset without colon
           "2026-03-29T01:00:00+02",
           "2026-03-29T01:00:00+2:00",
           "2026-03-29T01:00:00UTC",
           "2026-03-29T01:00:00ZZ",
           "2026-03-29T01:00:00Z ",
           " 2026-03-29T01:00:00Z",
           "2026-03-29T01:00:00.Z",  // fraction without digits
           "2026-03-29T01:00:00,5Z",
           "2026-03-29T24:00:00Z",  // hour 24
           "2026-03-29T01:60:00Z",
           "2026-03-29T01:00:60Z",  // leap second
           "2026-03-29T01:00:00+24:00",
           "2026-03-29T01:00:00+02:60",
           "2026-02-30T01:00:00Z",
           "2025-02-29T01:00:00Z",
           "2026-13-01T01:00:00Z",
           "2026-03-29T01:00:00+02:00:00",
           "1774746000",
       }) {
    const auto r = parse_instant(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input) << text;
    EXPECT_FALSE(r.error().message.empty());
    EXPECT_FALSE(r.error().message_nb.empty());
    EXPECT_NE(r.error().message, r.error().message_nb);
  }
}

// --- Oslo wall-clock date-times (message times) ---

TEST(OsloDateTime, WritesWallClockWithTheOffsetOfThatInstant) {
  EXPECT_EQ(format_oslo_datetime(utc(2026, 1, 14, 23, 5, 9)), "2026-01-15T00:05:09+01:00");
  EXPECT_EQ(format_oslo_datetime(utc(2026, 6, 30, 22, 0, 0)), "2026-07-01T00:00:00+02:00");
  // Spring forward: 01:59:59 CET is followed by 03:00:00 CEST.
  EXPECT_EQ(format_oslo_datetime(utc(2026, 3, 29, 0, 59, 59)), "2026-03-29T01:59:59+01:00");
  EXPECT_EQ(format_oslo_datetime(utc(2026, 3, 29, 1, 0, 0)), "2026-03-29T03:00:00+02:00");
}

TEST(OsloDateTime, ReadsTextWithoutAnOffsetAsOsloTime) {
  EXPECT_EQ(parse_oslo_datetime("2018-01-29T10:00:00").value(), utc(2018, 1, 29, 9, 0, 0));
  EXPECT_EQ(parse_oslo_datetime("2018-07-01T10:00:00").value(), utc(2018, 7, 1, 8, 0, 0));
  EXPECT_EQ(parse_oslo_datetime("2018-07-01T10:00:00.250").value(), utc(2018, 7, 1, 8, 0, 0));
  // In the repeated autumn hour, the earlier (summer-time) instant.
  EXPECT_EQ(parse_oslo_datetime("2026-10-25T02:30:00").value(), utc(2026, 10, 25, 0, 30, 0));
  // In the missing spring hour, the instant the gap ends.
  EXPECT_EQ(parse_oslo_datetime("2026-03-29T02:30:00").value(), utc(2026, 3, 29, 1, 0, 0));
}

TEST(OsloDateTime, ReadsOffsetsAndZAsWritten) {
  EXPECT_EQ(parse_oslo_datetime("2026-03-29T03:00:00+02:00").value(), utc(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(parse_oslo_datetime("2026-03-29T01:00:00Z").value(), utc(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(parse_oslo_datetime("2026-03-29T01:00:00-05:00").value(), utc(2026, 3, 29, 6, 0, 0));
  for (Instant t :
       {utc(2026, 3, 29, 1, 0, 0), utc(2026, 10, 25, 0, 30, 0), utc(2026, 10, 25, 1, 30, 0)})
    EXPECT_EQ(parse_oslo_datetime(format_oslo_datetime(t)).value(), t);
}

TEST(OsloDateTime, RefusesWhatIsNotADateTime) {
  for (const char* bad : {"", "2026-03-29", "2026-02-30T10:00:00", "2026-03-29T25:00:00",
                          "29.03.2026 10:00", "2026-03-29T10:00:00+2"})
    EXPECT_FALSE(parse_oslo_datetime(bad).ok()) << bad;
}

}  // namespace
}  // namespace samflyt::core

namespace samflyt::core {
namespace {

TEST(OsloLocal, ReadsWallClockTimeInWinterAndSummer) {
  EXPECT_EQ(
      parse_oslo_local("2026-01-14T08:30").value(),
      std::chrono::sys_days{ymd(2026, 1, 14)} + std::chrono::hours{7} + std::chrono::minutes{30});
  EXPECT_EQ(
      parse_oslo_local("2026-06-30T08:30").value(),
      std::chrono::sys_days{ymd(2026, 6, 30)} + std::chrono::hours{6} + std::chrono::minutes{30});
}

TEST(OsloLocal, TheRepeatedAutumnHourIsTheFirstAndTheSkippedSpringHourItsEnd) {
  // 25 October 2026: 02:30 happens twice; the first is 00:30 UTC.
  EXPECT_EQ(parse_oslo_local("2026-10-25T02:30").value(),
            std::chrono::sys_days{ymd(2026, 10, 25)} + std::chrono::minutes{30});
  // 29 March 2026: 02:30 does not exist; the clocks jump at 01:00 UTC.
  EXPECT_EQ(parse_oslo_local("2026-03-29T02:30").value(),
            std::chrono::sys_days{ymd(2026, 3, 29)} + std::chrono::hours{1});
}

TEST(OsloLocal, RoundTripsAndRefusesMalformedText) {
  for (const char* text : {"2026-01-14T08:30", "2026-06-30T23:59", "2026-10-25T03:00"})
    EXPECT_EQ(format_oslo_local(parse_oslo_local(text).value()), text);
  for (const char* bad : {"", "2026-01-14", "2026-01-14 08:30", "2026-02-30T08:30",
                          "2026-01-14T24:00", "2026-01-14T08:60", "2026-01-14T08:30:00"}) {
    auto r = parse_oslo_local(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_FALSE(r.error().message_nb.empty());
  }
}

}  // namespace
}  // namespace samflyt::core
