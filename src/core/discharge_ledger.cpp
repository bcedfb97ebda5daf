// The rules of the discharge-ready ledger, R1 … R8, as
// docs/discharge-ready-ledger.md states them. Change a rule here and
// there together.
#include "core/discharge_ledger.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <tuple>
#include <utility>

namespace samflyt::core {

namespace {

using std::chrono::sys_days;

constexpr std::array<std::pair<StayEventKind, std::string_view>, 10> kEventNames{{
    {StayEventKind::admitted, "admitted"},
    {StayEventKind::needs_identified, "needs_identified"},
    {StayEventKind::admission_notice, "admission_notice"},
    {StayEventKind::declared_ready, "declared_ready"},
    {StayEventKind::ready_notice, "ready_notice"},
    {StayEventKind::municipality_can_receive, "municipality_can_receive"},
    {StayEventKind::municipality_cannot_receive, "municipality_cannot_receive"},
    {StayEventKind::withdrawn, "withdrawn"},
    {StayEventKind::readmitted, "readmitted"},
    {StayEventKind::discharged, "discharged"},
}};

Error invalid(std::string en, std::string nb) {
  return make_error(ErrorCode::invalid_input, std::move(en), std::move(nb), "events");
}

int days_between(Date from, Date to) {
  return static_cast<int>((sys_days(to) - sys_days(from)).count());
}

bool ends_period(StayEventKind k) {
  return k == StayEventKind::withdrawn || k == StayEventKind::readmitted ||
         k == StayEventKind::discharged;
}

PeriodEnd end_of(StayEventKind k) {
  switch (k) {
    case StayEventKind::withdrawn:
      return PeriodEnd::withdrawn;
    case StayEventKind::readmitted:
      return PeriodEnd::readmitted;
    default:
      return PeriodEnd::discharged;
  }
}

// A period's events while it is being built: the declaration, the notice
// and the municipality's answers, in time order.
struct OpenPeriod {
  ReadyPeriod period;
  std::vector<const StayEvent*> answers;
};

// R4: the municipality's answer in force on day `d` is the latest answer
// given on or before that day; the day is the municipality's to pay unless
// that answer says it can receive the patient on `d` or earlier.
std::optional<Date> ready_by_answer(const std::vector<const StayEvent*>& answers, Date d) {
  const StayEvent* in_force = nullptr;
  for (const auto* a : answers)
    if (oslo_date(a->at) <= d) in_force = a;
  if (in_force && in_force->kind == StayEventKind::municipality_can_receive && *in_force->date <= d)
    return in_force->date;
  return std::nullopt;
}

// R3–R7: the payable days of one period; `last_day` is the last day the
// patient was discharge-ready in hospital (the day before the period's
// end, or today while it runs).
void count_days(OpenPeriod& open, Date last_day, const LedgerRules& rules,
                std::vector<LedgerFinding>& findings) {
  auto& p = open.period;
  Date declared = p.ready_from;
  if (!p.notified_at) {
    findings.push_back(
        {"R3",
         "The municipality was not notified that the patient is discharge-ready (declared " +
             format_date(declared) + "): no day of this period is payable.",
         "Kommunen fikk ikke melding om utskrivningsklar pasient (erklært " +
             format_date(declared) + "): ingen døgn i denne perioden er betalbare."});
    return;
  }
  Date notified = oslo_date(*p.notified_at);
  Date first = std::max(declared, notified);
  if (notified > declared) {
    int late = days_between(declared, notified);
    findings.push_back({"R3",
                        "The municipality was notified " + std::to_string(late) +
                            " day(s) after the declaration: payable from " + format_date(first) +
                            ".",
                        "Kommunen ble varslet " + std::to_string(late) +
                            " døgn etter erklæringen: betalbart fra " + format_date(first) + "."});
  }
  for (Date d = first; d <= last_day; d = add_days(d, 1)) {
    if (ready_by_answer(open.answers, d)) continue;
    p.days.push_back({d, rules.rates.rate(static_cast<int>(d.year()))});
  }
}

}  // namespace

std::string_view to_string(StayEventKind k) {
  for (const auto& [kind, name] : kEventNames)
    if (kind == k) return name;
  return "admitted";
}

std::optional<StayEventKind> parse_stay_event_kind(std::string_view s) {
  for (const auto& [kind, name] : kEventNames)
    if (name == s) return kind;
  return std::nullopt;
}

std::string_view to_string(PeriodEnd e) {
  switch (e) {
    case PeriodEnd::open:
      return "open";
    case PeriodEnd::withdrawn:
      return "withdrawn";
    case PeriodEnd::readmitted:
      return "readmitted";
    case PeriodEnd::discharged:
      return "discharged";
  }
  return "open";
}

std::string_view to_string(NoticeStatus s) {
  switch (s) {
    case NoticeStatus::on_time:
      return "on_time";
    case NoticeStatus::late:
      return "late";
    case NoticeStatus::missing:
      return "missing";
    case NoticeStatus::pending:
      return "pending";
  }
  return "missing";
}

DayRates DayRates::standard() {
  // Døgnpris, NOK (R8). Later years come from the configuration.
  return DayRates{{{2014, 4255},
                   {2015, 4387},
                   {2016, 4505},
                   {2017, 4622},
                   {2018, 4747},
                   {2019, 4885},
                   {2020, 5036},
                   {2021, 5167},
                   {2022, 5306},
                   {2023, 5508},
                   {2024, 5745}}};
}

std::optional<std::int64_t> DayRates::rate(int year) const {
  auto it = nok_by_year.find(year);
  if (it == nok_by_year.end()) return std::nullopt;
  return it->second;
}

Result<Ledger> compute_ledger(std::vector<StayEvent> events, const LedgerRules& rules,
                              Instant now) {
  // In time order; at the same instant the admission first and the discharge last.
  auto rank = [](const StayEvent& e) {
    return e.kind == StayEventKind::admitted ? 0 : e.kind == StayEventKind::discharged ? 2 : 1;
  };
  std::stable_sort(events.begin(), events.end(), [&](const StayEvent& a, const StayEvent& b) {
    return std::tuple(a.at, rank(a)) < std::tuple(b.at, rank(b));
  });
  auto admissions = std::count_if(events.begin(), events.end(), [](const StayEvent& e) {
    return e.kind == StayEventKind::admitted;
  });
  if (admissions != 1)
    return invalid(
        "A stay has exactly one admission (found " + std::to_string(admissions) + ").",
        "Et opphold har nøyaktig én innleggelse (fant " + std::to_string(admissions) + ").");
  if (events.front().kind != StayEventKind::admitted)
    return invalid("No event of a stay can come before its admission.",
                   "Ingen hendelse i et opphold kan komme før innleggelsen.");
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (e.kind == StayEventKind::discharged && i + 1 != events.size())
      return invalid("No event of a stay can come after its discharge.",
                     "Ingen hendelse i et opphold kan komme etter utskrivningen.");
    if (e.kind == StayEventKind::municipality_can_receive && !e.date)
      return invalid("The municipality's answer that it can receive the patient needs a date.",
                     "Kommunens svar om at den kan ta imot pasienten trenger en dato.");
    if (e.date && e.kind != StayEventKind::municipality_can_receive &&
        e.kind != StayEventKind::declared_ready)
      return invalid(
          "Only a declaration of discharge-readiness and the municipality's answer "
          "that it can receive the patient have a date.",
          "Bare erklæringen om utskrivningsklar pasient og kommunens svar om at den "
          "kan ta imot pasienten har en dato.");
  }

  Ledger out;
  out.admitted_at = events.front().at;
  if (events.back().kind == StayEventKind::discharged) out.discharged_at = events.back().at;

  // R1: the varsel within 24 hours of the admission, or of the moment the
  // need for municipal services became known when that was later.
  Instant need_from = out.admitted_at;
  for (const auto& e : events)
    if (e.kind == StayEventKind::needs_identified) {
      need_from = std::max(need_from, e.at);
      break;
    }
  Instant deadline = need_from + std::chrono::hours(rules.admission_notice_hours);
  auto notice = std::find_if(events.begin(), events.end(), [](const StayEvent& e) {
    return e.kind == StayEventKind::admission_notice;
  });
  if (notice != events.end())
    out.admission_notice = notice->at <= deadline ? NoticeStatus::on_time : NoticeStatus::late;
  else
    out.admission_notice = now > deadline ? NoticeStatus::missing : NoticeStatus::pending;
  out.payable = out.admission_notice == NoticeStatus::on_time;

  // R2–R7: the periods from each declaration to its end.
  std::vector<OpenPeriod> periods;
  bool open = false;
  for (const auto& e : events) {
    if (e.kind == StayEventKind::declared_ready && !open) {  // R2 (a repeated one changes nothing)
      Date ready_from = std::max(oslo_date(e.at), e.date.value_or(oslo_date(e.at)));
      periods.push_back({ReadyPeriod{e.at, ready_from, {}, {}, PeriodEnd::open, {}, {}}, {}});
      open = true;
    } else if (!open) {
      continue;  // notices and answers outside a period count for nothing
    } else if (e.kind == StayEventKind::ready_notice) {  // R3
      if (!periods.back().period.notified_at) periods.back().period.notified_at = e.at;
    } else if (e.kind == StayEventKind::municipality_can_receive ||
               e.kind == StayEventKind::municipality_cannot_receive) {  // R4
      periods.back().answers.push_back(&e);
    } else if (ends_period(e.kind)) {  // R5, R6, R7
      periods.back().period.ended_at = e.at;
      periods.back().period.end = end_of(e.kind);
      open = false;
    }
  }

  if (!periods.empty() && !out.payable) {
    std::string hours = std::to_string(rules.admission_notice_hours);
    switch (out.admission_notice) {
      case NoticeStatus::late:
        out.findings.push_back({"R1",
                                "The notice of the admitted patient was sent after the " + hours +
                                    "-hour limit: the municipality pays nothing for this stay.",
                                "Varsel om innlagt pasient ble sendt etter fristen på " + hours +
                                    " timer: kommunen betaler ikke for dette oppholdet."});
        break;
      case NoticeStatus::missing:
        out.findings.push_back({"R1",
                                "No notice of the admitted patient was sent within " + hours +
                                    " hours: the municipality pays nothing for this stay.",
                                "Varsel om innlagt pasient ble ikke sendt innen " + hours +
                                    " timer: kommunen betaler ikke for dette oppholdet."});
        break;
      default:
        out.findings.push_back(
            {"R1",
             "The notice of the admitted patient has not been sent yet: no day is payable "
             "until it is (deadline " +
                 hours + " hours).",
             "Varsel om innlagt pasient er ikke sendt ennå: ingen døgn er betalbare før det er "
             "sendt (frist " +
                 hours + " timer)."});
    }
  }

  Date today = oslo_date(now);
  std::set<int> missing_years;
  for (auto& open_period : periods) {
    auto& p = open_period.period;
    if (out.payable) {
      // R5–R7: the day the period ended is not payable; an open one counts today.
      Date last = p.ended_at ? add_days(oslo_date(*p.ended_at), -1) : today;
      count_days(open_period, last, rules, out.findings);
    }
    if (!open_period.answers.empty() &&
        open_period.answers.back()->kind == StayEventKind::municipality_can_receive)
      p.municipality_ready_on = open_period.answers.back()->date;
    for (const auto& d : p.days) {
      ++out.payable_days;
      if (d.rate_nok)
        out.amount_nok += *d.rate_nok;
      else
        missing_years.insert(static_cast<int>(d.day.year()));
    }
    out.periods.push_back(std::move(p));
  }
  for (int y : missing_years) {  // R8
    out.years_without_rate.push_back(y);
    out.findings.push_back({"R8",
                            "No day rate is configured for " + std::to_string(y) +
                                ": its days are counted, their amount is not.",
                            "Ingen døgnpris er satt opp for " + std::to_string(y) +
                                ": døgnene telles, men beløpet mangler."});
  }
  return out;
}

std::vector<MonthlyTotal> monthly_totals(const std::vector<LedgerOfMunicipality>& ledgers) {
  std::map<std::tuple<std::string, int, unsigned>, MonthlyTotal> by_month;
  for (const auto& [municipality, ledger] : ledgers) {
    if (!ledger) continue;
    for (const auto& p : ledger->periods)
      for (const auto& d : p.days) {
        int y = static_cast<int>(d.day.year());
        unsigned m = static_cast<unsigned>(d.day.month());
        auto& t = by_month[{municipality, y, m}];
        t.municipality_id = municipality;
        t.year = y;
        t.month = m;
        ++t.days;
        if (d.rate_nok)
          t.amount_nok += *d.rate_nok;
        else
          ++t.days_without_rate;
      }
  }
  std::vector<MonthlyTotal> out;
  out.reserve(by_month.size());
  for (auto& [key, total] : by_month) out.push_back(std::move(total));
  return out;
}

}  // namespace samflyt::core
