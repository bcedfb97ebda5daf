// Time and the Europe/Oslo calendar. See calendar.hpp.
//
// Dates are std::chrono::year_month_day; Oslo's UTC offset comes from
// Howard Hinnant's date/tz (which has its own calendar types, so values cross
// between the two libraries only as day counts since 1970-01-01).
#include "core/calendar.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

namespace samflyt::core {

namespace {

namespace chr = std::chrono;

// Loaded once (thread-safe static initialisation); load_time_zone() does it
// at start-up, so that a missing zone stops the server there.
const date::time_zone* oslo_zone() {
  static const date::time_zone* const zone = date::locate_zone("Europe/Oslo");
  return zone;
}

}  // namespace

void load_time_zone() {
  try {
    (void)oslo_zone();
  } catch (const std::exception& e) {
    throw std::runtime_error(
        std::string("the time zone Europe/Oslo is missing (install tzdata): ") + e.what());
  }
}

namespace {

chr::sys_days to_sys_days(Date d) {
  return chr::sys_days{d};
}

// Oslo wall-clock midnight of d, as date/tz's local time.
date::local_seconds local_midnight(Date d) {
  return date::local_seconds{chr::duration_cast<chr::seconds>(to_sys_days(d).time_since_epoch())};
}

// --- Holidays ---

struct HolidayRule {
  // Either a fixed day of the year (month != 0) or an offset from Easter.
  unsigned month;
  unsigned day;
  int days_after_easter;
  std::string_view name_nb;
  std::string_view name_en;
};

constexpr HolidayRule kHolidayRules[] = {
    {1, 1, 0, "Første nyttårsdag", "New Year's Day"},
    {0, 0, -3, "Skjærtorsdag", "Maundy Thursday"},
    {0, 0, -2, "Langfredag", "Good Friday"},
    {0, 0, 0, "Første påskedag", "Easter Sunday"},
    {0, 0, 1, "Andre påskedag", "Easter Monday"},
    {5, 1, 0, "Arbeidernes dag", "Labour Day"},
    {5, 17, 0, "Grunnlovsdag", "Constitution Day"},
    {0, 0, 39, "Kristi himmelfartsdag", "Ascension Day"},
    {0, 0, 49, "Første pinsedag", "Whit Sunday"},
    {0, 0, 50, "Andre pinsedag", "Whit Monday"},
    {12, 25, 0, "Første juledag", "Christmas Day"},
    {12, 26, 0, "Andre juledag", "Boxing Day"},
};

Date holiday_date(const HolidayRule& rule, int year, Date easter) {
  if (rule.month != 0) return Date{chr::year{year}, chr::month{rule.month}, chr::day{rule.day}};
  return add_days(easter, rule.days_after_easter);
}

// --- Parsing helpers ---

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads `count` digits at `pos` into `out`; false unless all are digits.
bool read_number(std::string_view s, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(s[i])) return false;
    value = value * 10 + (s[i] - '0');
  }
  out = value;
  return true;
}

bool char_at_is(std::string_view s, std::size_t pos, char c) {
  return pos < s.size() && s[pos] == c;
}

// Strict "YYYY-MM-DD" at the start of s (s may continue). Sets `out` only
// when the text has the right shape; `out.ok()` then tells if it is real.
bool read_date(std::string_view s, Date& out) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (!read_number(s, 0, 4, y) || !char_at_is(s, 4, '-') || !read_number(s, 5, 2, m) ||
      !char_at_is(s, 7, '-') || !read_number(s, 8, 2, d))
    return false;
  out =
      Date{chr::year{y}, chr::month{static_cast<unsigned>(m)}, chr::day{static_cast<unsigned>(d)}};
  return true;
}

Error invalid(std::string en, std::string nb) {
  return make_error(ErrorCode::invalid_input, std::move(en), std::move(nb));
}

Error date_format_error() {
  return invalid("The date must have the form YYYY-MM-DD.", "Datoen må ha formen ÅÅÅÅ-MM-DD.");
}

Error date_not_real_error() {
  return invalid("The date does not exist in the calendar.", "Datoen finnes ikke i kalenderen.");
}

Error instant_format_error() {
  return invalid(
      "The time must be an RFC 3339 timestamp with a time zone, e.g. 2026-03-29T01:00:00Z or "
      "2026-03-29T03:00:00+02:00.",
      "Tidspunktet må være et RFC 3339-tidsstempel med tidssone, f.eks. 2026-03-29T01:00:00Z "
      "eller 2026-03-29T03:00:00+02:00.");
}

Error instant_out_of_range_error() {
  return invalid("The timestamp contains a date or time of day that does not exist.",
                 "Tidsstempelet inneholder en dato eller et klokkeslett som ikke finnes.");
}

}  // namespace

// --- Oslo days ---

Date oslo_date(Instant t) {
  const date::zoned_seconds local{oslo_zone(), t};
  const auto local_day = date::floor<date::days>(local.get_local_time());
  return Date{chr::sys_days{local_day.time_since_epoch()}};
}

Instant oslo_start_of_day(Date d) {
  // Oslo changes its offset at 01:00 UTC, never at local midnight, but if
  // midnight ever fell in a gap, choose::earliest yields the instant the gap
  // ends, and in an overlap it picks the first of the two midnights.
  const date::zoned_seconds start{oslo_zone(), local_midnight(d), date::choose::earliest};
  return start.get_sys_time();
}

Instant oslo_end_of_day(Date d) {
  return oslo_start_of_day(add_days(d, 1)) - chr::seconds{1};
}

// --- Days and working days ---

Date add_days(Date d, int days) {
  return Date{to_sys_days(d) + chr::days{days}};
}

Date add_working_days(Date d, int n) {
  assert(n >= 0);
  Date current = d;
  while (n == 0 && !is_working_day(current)) current = add_days(current, 1);
  for (int remaining = n; remaining > 0;) {
    current = add_days(current, 1);
    if (is_working_day(current)) --remaining;
  }
  return current;
}

bool is_weekend(Date d) {
  const chr::weekday wd{to_sys_days(d)};
  return wd == chr::Saturday || wd == chr::Sunday;
}

bool is_public_holiday(Date d) {
  const int year = static_cast<int>(d.year());
  const Date easter = easter_sunday(year);
  return std::any_of(
      std::begin(kHolidayRules), std::end(kHolidayRules),
      [&](const HolidayRule& rule) { return holiday_date(rule, year, easter) == d; });
}

bool is_working_day(Date d) {
  return !is_weekend(d) && !is_public_holiday(d);
}

Date easter_sunday(int year) {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = year % 19;   // position in the Metonic cycle
  const int b = year / 100;  // century
  const int c = year % 100;  // year within the century
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;  // epact-related
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;  // days to the Sunday
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Date{chr::year{year}, chr::month{static_cast<unsigned>(month)},
              chr::day{static_cast<unsigned>(day)}};
}

std::vector<Holiday> public_holidays(int year) {
  const Date easter = easter_sunday(year);
  std::vector<Holiday> holidays;
  holidays.reserve(std::size(kHolidayRules));
  for (const HolidayRule& rule : kHolidayRules)
    holidays.push_back(Holiday{holiday_date(rule, year, easter), rule.name_nb, rule.name_en});
  // Ascension Day can come before 1 May and coincide with 1 or 17 May;
  // a stable sort keeps coinciding holidays in the table's order.
  std::stable_sort(holidays.begin(), holidays.end(),
                   [](const Holiday& x, const Holiday& y) { return x.date < y.date; });
  return holidays;
}

// --- Text ---

namespace {

// Writes `value` as `width` digits (zero-padded) at `out`. Hot: every
// time in every JSON answer and audit row goes through here.
char* put_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// "YYYY-MM-DD" at `out` for years 0..9999; the end.
char* put_date(char* out, Date d) {
  out = put_digits(out, static_cast<unsigned>(static_cast<int>(d.year())), 4);
  *out++ = '-';
  out = put_digits(out, static_cast<unsigned>(d.month()), 2);
  *out++ = '-';
  return put_digits(out, static_cast<unsigned>(d.day()), 2);
}

bool four_digit_year(Date d) {
  return d.year() >= chr::year{0} && d.year() <= chr::year{9999};
}

}  // namespace

std::string format_date(Date d) {
  if (!four_digit_year(d)) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buffer;
  }
  std::string out(10, '\0');
  put_date(out.data(), d);
  return out;
}

Result<Date> parse_date(std::string_view text) {
  Date ymd{};
  if (text.size() != 10 || !read_date(text, ymd)) return date_format_error();
  if (!ymd.ok()) return date_not_real_error();
  return ymd;
}

std::string format_instant(Instant t) {
  const auto day = chr::floor<chr::days>(t);
  const chr::hh_mm_ss time{t - day};
  const Date date{day};
  const auto h = static_cast<unsigned>(time.hours().count());
  const auto m = static_cast<unsigned>(time.minutes().count());
  const auto sec = static_cast<unsigned>(time.seconds().count());
  if (!four_digit_year(date)) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%sT%02u:%02u:%02uZ", format_date(date).c_str(), h, m,
                  sec);
    return buffer;
  }
  std::string out(20, '\0');  // YYYY-MM-DDTHH:MM:SSZ
  char* p = put_date(out.data(), date);
  *p++ = 'T';
  p = put_digits(p, h, 2);
  *p++ = ':';
  p = put_digits(p, m, 2);
  *p++ = ':';
  p = put_digits(p, sec, 2);
  *p = 'Z';
  return out;
}

Result<Instant> parse_instant(std::string_view text) {
  // date-time = YYYY-MM-DD ("T" / "t") HH:MM:SS [.fraction] ("Z" / "z" / ("+" / "-") HH:MM)
  Date ymd{};
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!read_date(text, ymd) || !(char_at_is(text, 10, 'T') || char_at_is(text, 10, 't')) ||
      !read_number(text, 11, 2, hour) || !char_at_is(text, 13, ':') ||
      !read_number(text, 14, 2, minute) || !char_at_is(text, 16, ':') ||
      !read_number(text, 17, 2, second))
    return instant_format_error();

  std::size_t pos = 19;
  if (char_at_is(text, pos, '.')) {
    // Fractional seconds: at least one digit, then truncated away.
    ++pos;
    const std::size_t first = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    if (pos == first) return instant_format_error();
  }

  int offset_minutes = 0;
  if (char_at_is(text, pos, 'Z') || char_at_is(text, pos, 'z')) {
    ++pos;
  } else if (char_at_is(text, pos, '+') || char_at_is(text, pos, '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    int offset_hours = 0;
    int offset_mins = 0;
    if (!read_number(text, pos + 1, 2, offset_hours) || !char_at_is(text, pos + 3, ':') ||
        !read_number(text, pos + 4, 2, offset_mins))
      return instant_format_error();
    if (offset_hours > 23 || offset_mins > 59) return instant_out_of_range_error();
    offset_minutes = sign * (offset_hours * 60 + offset_mins);
    pos += 6;
  } else {
    return instant_format_error();
  }
  if (pos != text.size()) return instant_format_error();

  // RFC 3339 allows a leap second (:60); sys_seconds cannot represent one,
  // so it is refused like any other impossible time of day.
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return instant_out_of_range_error();

  const Instant local_wall_clock =
      chr::sys_days{ymd} + chr::hours{hour} + chr::minutes{minute} + chr::seconds{second};
  return local_wall_clock - chr::minutes{offset_minutes};
}

// --- Oslo wall-clock date-times ---

std::string format_oslo_datetime(Instant t) {
  const date::zoned_seconds local{oslo_zone(), t};
  const auto wall = local.get_local_time().time_since_epoch();
  const auto day = chr::floor<chr::days>(wall);
  const chr::hh_mm_ss time{wall - day};
  const auto offset = chr::duration_cast<chr::minutes>(local.get_info().offset).count();
  const long abs_offset = offset < 0 ? -offset : offset;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02d%c%02ld:%02ld",
                format_date(Date{chr::sys_days{day}}).c_str(),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), offset < 0 ? '-' : '+', abs_offset / 60,
                abs_offset % 60);
  return buffer;
}

Result<Instant> parse_oslo_datetime(std::string_view text) {
  // Date, "T", time and optional fraction take at least 19 characters; an
  // offset or "Z" after them makes it an instant already.
  const auto has_zone = [&] {
    if (text.size() <= 19) return false;
    const char last = text.back();
    if (last == 'Z' || last == 'z') return true;
    return text.size() >= 25 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-') &&
           text[text.size() - 3] == ':';
  };
  if (has_zone()) return parse_instant(text);
  auto as_utc = parse_instant(std::string(text) + "Z");
  if (!as_utc) return as_utc;
  const date::local_seconds wall{as_utc->time_since_epoch()};
  const date::zoned_seconds zoned{oslo_zone(), wall, date::choose::earliest};
  return zoned.get_sys_time();
}

Result<Instant> parse_oslo_local(std::string_view text) {
  if (text.size() != 16 || text[10] != 'T' || text[13] != ':')
    return invalid("Give the time as YYYY-MM-DDTHH:MM (Norwegian time).",
                   "Oppgi tidspunktet som ÅÅÅÅ-MM-DDTTT:MM (norsk tid).");
  return parse_oslo_datetime(std::string(text) + ":00");
}

std::string format_oslo_local(Instant t) {
  return format_oslo_datetime(t).substr(0, 16);  // without seconds and offset
}

}  // namespace samflyt::core
