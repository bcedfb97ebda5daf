// The discharge-ready ledger (utskrivningsklare pasienter): from the events
// of one hospital stay, the days the municipality must pay for and what
// they cost, by the rules of FOR-2011-11-18-1115 as docs/discharge-ready-
// ledger.md reads them (with worked examples). Every rule is in this file's
// .cpp, in compute_ledger(), marked R1 … R8 as in the document.
//
// Days (døgn) are Europe/Oslo calendar days, so a day across a DST change
// is one day like any other; each day costs the day rate (døgnpris) of its
// own year, so a stay across New Year has two rates.
//
// Pure functions of their arguments; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/result.hpp"

namespace samflyt::core {

enum class StayEventKind {
  admitted,                     // innlagt
  needs_identified,             // the need for municipal services after discharge became known
  admission_notice,             // varsel om innlagt pasient (PLO Helseopplysninger, 9140 V=1)
  declared_ready,               // a doctor declared the patient discharge-ready (utskrivningsklar),
                                // from `date` when declared in advance
  ready_notice,                 // melding om utskrivningsklar pasient to the municipality
  municipality_can_receive,     // the municipality's answer: can receive on `date`
  municipality_cannot_receive,  // the municipality's answer: cannot receive (yet)
  withdrawn,                    // avmelding av utskrivningsklar pasient
  readmitted,                   // formal readmission: no longer discharge-ready
  discharged,                   // utskrevet
};

std::string_view to_string(StayEventKind k);
std::optional<StayEventKind> parse_stay_event_kind(std::string_view s);

struct StayEvent {
  StayEventKind kind = StayEventKind::admitted;
  Instant at;                // when it happened (or the message was sent)
  std::optional<Date> date;  // municipality_can_receive: the day it can receive the patient
};

// Day rates (døgnpris) in whole NOK per calendar year.
struct DayRates {
  std::map<int, std::int64_t> nok_by_year;

  // 2014–2024 as ../shared DOMAIN.md lists them; later years are configured.
  static DayRates standard();
  std::optional<std::int64_t> rate(int year) const;
};

struct LedgerRules {
  int admission_notice_hours = 24;  // R1: the varsel's deadline after admission (or need)
  DayRates rates = DayRates::standard();
};

// Why a discharge-ready period ended.
enum class PeriodEnd {
  open,       // still running at `now`
  withdrawn,  // avmelding
  readmitted,
  discharged,
};
std::string_view to_string(PeriodEnd e);

struct PayableDay {
  Date day;
  std::optional<std::int64_t> rate_nok;  // none: no rate configured for the year
};

// A finding explains a rule's effect (or a gap) to the people who check
// the invoice, in both languages. Never patient data.
struct LedgerFinding {
  std::string rule;  // "R1" … "R8"
  std::string en;
  std::string nb;
};

// One stretch from a declaration of discharge-readiness to its end.
struct ReadyPeriod {
  Instant declared_at;
  Date ready_from;                     // the declared day, or the later day declared
  std::optional<Instant> notified_at;  // the ready notice to the municipality
  std::optional<Instant> ended_at;
  PeriodEnd end = PeriodEnd::open;
  // The day the municipality said it can receive the patient, by the
  // answer in force at the period's end (none: cannot, or no answer).
  std::optional<Date> municipality_ready_on;
  std::vector<PayableDay> days;  // the days the municipality pays for
};

enum class NoticeStatus {
  on_time,
  late,
  missing,  // not sent, and its deadline has passed
  pending,  // not sent yet, but still within its deadline
};
std::string_view to_string(NoticeStatus s);

struct Ledger {
  Instant admitted_at;
  std::optional<Instant> discharged_at;
  NoticeStatus admission_notice = NoticeStatus::missing;
  bool payable = false;  // R1: the conditions for any payment hold
  std::vector<ReadyPeriod> periods;
  int payable_days = 0;
  std::int64_t amount_nok = 0;  // over the days with a configured rate
  std::vector<int> years_without_rate;
  std::vector<LedgerFinding> findings;
};

// Computes the ledger of one stay at `now` (a period still open counts its
// days up to and including today). Events may come in any order; they are
// taken in time order. invalid_input when there is no admission, more than
// one, an event before the admission or after the discharge, a
// municipality_can_receive without a date, or a date on any event but
// that and declared_ready.
Result<Ledger> compute_ledger(std::vector<StayEvent> events, const LedgerRules& rules, Instant now);

// Payable days and amounts per municipality and calendar month, for the
// monthly invoice (a period across a month's end counts in both months).
struct MonthlyTotal {
  std::string municipality_id;
  int year = 0;
  unsigned month = 0;
  int days = 0;
  std::int64_t amount_nok = 0;
  int days_without_rate = 0;
};
struct LedgerOfMunicipality {
  std::string municipality_id;
  const Ledger* ledger = nullptr;
};
// Sorted by municipality, year, month.
std::vector<MonthlyTotal> monthly_totals(const std::vector<LedgerOfMunicipality>& ledgers);

}  // namespace samflyt::core
