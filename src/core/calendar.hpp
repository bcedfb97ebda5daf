// Time and the Europe/Oslo calendar.
//
// Instants are UTC seconds (std::chrono::sys_seconds). Calendar rules
// (deadlines, bed-days) count Oslo calendar days; Oslo's offset (CET/CEST)
// comes from the system tz database via Howard Hinnant's date/tz.
// Working days are Monday to Friday except Norwegian public holidays:
// 1 January, Maundy Thursday, Good Friday, Easter Sunday and Monday,
// 1 May, 17 May, Ascension Day (Easter + 39), Whit Sunday and Monday
// (Easter + 49/50), 25 and 26 December.
//
// Pure functions; thread-safe (the tz database is loaded once, lazily).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace samflyt::core {

using Instant = std::chrono::sys_seconds;
using Date = std::chrono::year_month_day;

// Loads Europe/Oslo from the system tz database (it is otherwise loaded on
// first use). Call once at start-up; throws std::runtime_error when the
// zone is missing (install tzdata).
void load_time_zone();

// The Oslo calendar day an instant falls on.
Date oslo_date(Instant t);
// The first instant of an Oslo calendar day (00:00 local).
Instant oslo_start_of_day(Date d);
// The last second of an Oslo calendar day (23:59:59 local).
Instant oslo_end_of_day(Date d);

Date add_days(Date d, int days);
// The n-th working day after d (d itself not counted); n >= 0. n == 0
// gives d when it is a working day, else the next one, so that a working-day
// deadline never falls on a weekend or a public holiday.
Date add_working_days(Date d, int n);
bool is_weekend(Date d);
bool is_public_holiday(Date d);
bool is_working_day(Date d);
Date easter_sunday(int year);

struct Holiday {
  Date date;
  std::string_view name_nb;
  std::string_view name_en;
};
std::vector<Holiday> public_holidays(int year);  // in date order

// "YYYY-MM-DD".
std::string format_date(Date d);
Result<Date> parse_date(std::string_view text);
// RFC 3339 in UTC with a "Z", whole seconds: "2026-03-29T01:00:00Z".
std::string format_instant(Instant t);
// Accepts RFC 3339 with "Z" or a numeric offset, optional fractional
// seconds (truncated).
Result<Instant> parse_instant(std::string_view text);

// Oslo wall-clock date-times, as Norwegian health messages (MsgHead, PLO)
// carry them in xs:dateTime. Written with Oslo's offset at that instant,
// e.g. "2026-03-29T03:00:00+02:00", so that the text is both the local
// time people read and an unambiguous instant.
std::string format_oslo_datetime(Instant t);
// Reads an xs:dateTime: with "Z" or an offset it is that instant; without
// one (as in most messages in the field) it is Oslo wall-clock time. In the
// autumn's repeated hour the earlier instant is chosen; a time in the
// spring's missing hour gives the instant the gap ends.
Result<Instant> parse_oslo_datetime(std::string_view text);
// The same without seconds, "YYYY-MM-DDTHH:MM", as an HTML datetime-local
// field has it: "2026-03-29T03:30".
Result<Instant> parse_oslo_local(std::string_view text);
std::string format_oslo_local(Instant t);

}  // namespace samflyt::core
