// Unit tests for core/discharge_ledger: every rule R1–R8 of
// docs/discharge-ready-ledger.md, a readmission that stops the clock, a
// notice sent late, DST changes and a stay across New Year.
#include "core/discharge_ledger.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace samflyt::core {
namespace {

using namespace std::chrono_literals;
using K = StayEventKind;

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

Instant utc(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return std::chrono::sys_days{ymd(y, m, d)} + std::chrono::hours{hh} + std::chrono::minutes{mm};
}

// Oslo wall-clock time on a day without a DST change.
Instant oslo(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return oslo_start_of_day(ymd(y, m, d)) + std::chrono::hours{hh} + std::chrono::minutes{mm};
}

StayEvent ev(K kind, Instant at) {
  return StayEvent{kind, at, std::nullopt};
}

StayEvent can_receive(Instant at, Date on) {
  return StayEvent{K::municipality_can_receive, at, on};
}

// Admitted on 4 March 2024 at 08:00, the varsel the same afternoon.
std::vector<StayEvent> admitted_march_2024() {
  return {ev(K::admitted, oslo(2024, 3, 4, 8)), ev(K::admission_notice, oslo(2024, 3, 4, 15))};
}

std::vector<Date> days_of(const Ledger& l) {
  std::vector<Date> out;
  for (const auto& p : l.periods)
    for (const auto& d : p.days) out.push_back(d.day);
  return out;
}

bool has_finding(const Ledger& l, const std::string& rule) {
  for (const auto& f : l.findings)
    if (f.rule == rule) return !f.en.empty() && !f.nb.empty();
  return false;
}

const Instant kLater = utc(2030, 1, 1, 12);  // long after every stay below

TEST(DischargeLedger, PaysFromTheDeclaredDayUntilTheDayTheMunicipalityCanReceive) {
  auto events = admitted_march_2024();
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 10, 11)));
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 10, 13)));
  events.push_back(ev(K::municipality_cannot_receive, oslo(2024, 3, 10, 14)));
  events.push_back(can_receive(oslo(2024, 3, 12, 9), ymd(2024, 3, 14)));
  events.push_back(ev(K::discharged, oslo(2024, 3, 14, 10)));
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->admission_notice, NoticeStatus::on_time);
  EXPECT_TRUE(l->payable);
  EXPECT_EQ(days_of(*l), (std::vector<Date>{ymd(2024, 3, 10), ymd(2024, 3, 11), ymd(2024, 3, 12),
                                            ymd(2024, 3, 13)}));
  EXPECT_EQ(l->payable_days, 4);
  EXPECT_EQ(l->amount_nok, 4 * 5745);
  ASSERT_EQ(l->periods.size(), 1u);
  EXPECT_EQ(l->periods[0].end, PeriodEnd::discharged);
  EXPECT_EQ(l->periods[0].municipality_ready_on, ymd(2024, 3, 14));
  EXPECT_TRUE(l->findings.empty());
}

TEST(DischargeLedger, NothingIsPayableWhenTheMunicipalityCanReceiveTheSameDay) {
  auto events = admitted_march_2024();
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 10, 11)));
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 10, 12)));
  events.push_back(can_receive(oslo(2024, 3, 10, 13), ymd(2024, 3, 10)));
  events.push_back(ev(K::discharged, oslo(2024, 3, 11, 10)));
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->payable_days, 0);
  EXPECT_EQ(l->amount_nok, 0);
}

TEST(DischargeLedger, NoAnswerCountsAsCannotReceive) {
  auto events = admitted_march_2024();
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 10, 11)));
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 10, 12)));
  events.push_back(ev(K::discharged, oslo(2024, 3, 13, 10)));
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->payable_days, 3);
  EXPECT_EQ(l->periods[0].municipality_ready_on, std::nullopt);
}

TEST(DischargeLedger, TheAnswerInForceOnEachDayDecidesIt) {
  // Can receive on the 12th (said on the 11th), then cannot after all (said on the 13th).
  auto events = admitted_march_2024();
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 10, 11)));
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 10, 12)));
  events.push_back(can_receive(oslo(2024, 3, 11, 9), ymd(2024, 3, 12)));
  events.push_back(ev(K::municipality_cannot_receive, oslo(2024, 3, 13, 9)));
  events.push_back(ev(K::discharged, oslo(2024, 3, 15, 10)));
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(days_of(*l), (std::vector<Date>{ymd(2024, 3, 10), ymd(2024, 3, 11), ymd(2024, 3, 13),
                                            ymd(2024, 3, 14)}));
}

// --- R1: the varsel within 24 hours ---

TEST(DischargeLedger, ALateAdmissionNoticeMeansTheMunicipalityPaysNothing) {
  std::vector<StayEvent> events{ev(K::admitted, oslo(2024, 3, 4, 8)),
                                ev(K::admission_notice, oslo(2024, 3, 5, 9)),  // 25 hours
                                ev(K::declared_ready, oslo(2024, 3, 10, 11)),
                                ev(K::ready_notice, oslo(2024, 3, 10, 12)),
                                ev(K::discharged, oslo(2024, 3, 14, 10))};
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->admission_notice, NoticeStatus::late);
  EXPECT_FALSE(l->payable);
  EXPECT_EQ(l->payable_days, 0);
  EXPECT_EQ(l->amount_nok, 0);
  ASSERT_EQ(l->periods.size(), 1u);  // the period is still shown
  EXPECT_TRUE(has_finding(*l, "R1"));
}

TEST(DischargeLedger, TheNoticeLimitIsExactlyTwentyFourHours) {
  std::vector<StayEvent> events{
      ev(K::admitted, oslo(2024, 3, 4, 8)), ev(K::admission_notice, oslo(2024, 3, 5, 8)),
      ev(K::declared_ready, oslo(2024, 3, 10, 11)), ev(K::ready_notice, oslo(2024, 3, 10, 12)),
      ev(K::discharged, oslo(2024, 3, 12, 10))};
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->admission_notice, NoticeStatus::on_time);
  EXPECT_EQ(l->payable_days, 2);

  LedgerRules stricter;
  stricter.admission_notice_hours = 12;
  auto strict = compute_ledger(events, stricter, kLater);
  ASSERT_TRUE(strict);
  EXPECT_EQ(strict->admission_notice, NoticeStatus::late);
  EXPECT_EQ(strict->payable_days, 0);
}

TEST(DischargeLedger, TheNoticeLimitCountsFromWhenTheNeedBecameKnown) {
  std::vector<StayEvent> events{
      ev(K::admitted, oslo(2024, 3, 1, 8)),         ev(K::needs_identified, oslo(2024, 3, 3, 10)),
      ev(K::admission_notice, oslo(2024, 3, 4, 6)),  // 68 h, 20 h after
      ev(K::declared_ready, oslo(2024, 3, 10, 11)), ev(K::ready_notice, oslo(2024, 3, 10, 12)),
      ev(K::discharged, oslo(2024, 3, 12, 10))};
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->admission_notice, NoticeStatus::on_time);
  EXPECT_EQ(l->payable_days, 2);
}

TEST(DischargeLedger, AMissingNoticeIsPendingUntilItsDeadline) {
  std::vector<StayEvent> events{ev(K::admitted, oslo(2024, 3, 4, 8)),
                                ev(K::declared_ready, oslo(2024, 3, 4, 20)),
                                ev(K::ready_notice, oslo(2024, 3, 4, 21))};
  auto pending = compute_ledger(events, {}, oslo(2024, 3, 4, 22));
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->admission_notice, NoticeStatus::pending);
  EXPECT_EQ(pending->payable_days, 0);
  EXPECT_TRUE(has_finding(*pending, "R1"));

  auto missing = compute_ledger(events, {}, oslo(2024, 3, 6, 12));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->admission_notice, NoticeStatus::missing);
  EXPECT_EQ(missing->payable_days, 0);
}

TEST(DischargeLedger, ADeclarationInAdvanceCountsFromTheDayThePatientIsReady) {
  // Notified on the 8th that the patient is ready from the 10th; the
  // municipality answers the same day that it cannot receive yet.
  auto events = admitted_march_2024();
  events.push_back(StayEvent{K::declared_ready, oslo(2024, 3, 8, 11), ymd(2024, 3, 10)});
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 8, 11)));
  events.push_back(ev(K::municipality_cannot_receive, oslo(2024, 3, 8, 14)));
  events.push_back(ev(K::discharged, oslo(2024, 3, 12, 10)));
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->periods[0].ready_from, ymd(2024, 3, 10));
  EXPECT_EQ(days_of(*l), (std::vector<Date>{ymd(2024, 3, 10), ymd(2024, 3, 11)}));
  EXPECT_TRUE(l->findings.empty());
  // A date on any other event is refused.
  events.push_back(StayEvent{K::withdrawn, oslo(2024, 3, 11, 9), ymd(2024, 3, 11)});
  EXPECT_FALSE(compute_ledger(events, {}, kLater));
}

// --- R3: the municipality notified the same day ---

TEST(DischargeLedger, AReadyNoticeSentDaysLaterPaysOnlyFromItsDay) {
  auto events = admitted_march_2024();
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 10, 11)));
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 12, 9)));
  events.push_back(ev(K::discharged, oslo(2024, 3, 14, 10)));
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(days_of(*l), (std::vector<Date>{ymd(2024, 3, 12), ymd(2024, 3, 13)}));
  EXPECT_TRUE(has_finding(*l, "R3"));
}

TEST(DischargeLedger, WithoutAReadyNoticeNothingIsPayable) {
  auto events = admitted_march_2024();
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 10, 11)));
  events.push_back(ev(K::discharged, oslo(2024, 3, 14, 10)));
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->payable_days, 0);
  EXPECT_TRUE(has_finding(*l, "R3"));
}

TEST(DischargeLedger, NoticesAndAnswersOutsideAPeriodCountForNothing) {
  auto events = admitted_march_2024();
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 8, 9)));  // before any declaration
  events.push_back(can_receive(oslo(2024, 3, 8, 10), ymd(2024, 3, 8)));
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 10, 11)));
  events.push_back(ev(K::discharged, oslo(2024, 3, 12, 10)));
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->payable_days, 0);  // this period had no notice of its own
}

// --- R5, R6: avmelding and readmission stop the clock ---

TEST(DischargeLedger, AWithdrawalStopsTheClockAndANewDeclarationStartsIt) {
  auto events = admitted_march_2024();
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 10, 11)));
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 10, 12)));
  events.push_back(ev(K::withdrawn, oslo(2024, 3, 13, 9)));
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 16, 10)));
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 16, 11)));
  events.push_back(ev(K::discharged, oslo(2024, 3, 18, 12)));
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  ASSERT_EQ(l->periods.size(), 2u);
  EXPECT_EQ(l->periods[0].end, PeriodEnd::withdrawn);
  EXPECT_EQ(l->periods[1].end, PeriodEnd::discharged);
  EXPECT_EQ(days_of(*l), (std::vector<Date>{ymd(2024, 3, 10), ymd(2024, 3, 11), ymd(2024, 3, 12),
                                            ymd(2024, 3, 16), ymd(2024, 3, 17)}));
}

TEST(DischargeLedger, AReadmissionStopsTheClockFromItsDay) {
  auto events = admitted_march_2024();
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 10, 11)));
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 10, 12)));
  events.push_back(ev(K::municipality_cannot_receive, oslo(2024, 3, 10, 13)));
  events.push_back(ev(K::readmitted, oslo(2024, 3, 12, 3)));
  events.push_back(ev(K::discharged, oslo(2024, 3, 20, 12)));
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  ASSERT_EQ(l->periods.size(), 1u);
  EXPECT_EQ(l->periods[0].end, PeriodEnd::readmitted);
  EXPECT_EQ(days_of(*l), (std::vector<Date>{ymd(2024, 3, 10), ymd(2024, 3, 11)}));
}

TEST(DischargeLedger, ARepeatedDeclarationChangesNothing) {
  auto events = admitted_march_2024();
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 10, 11)));
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 10, 12)));
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 11, 11)));
  events.push_back(ev(K::discharged, oslo(2024, 3, 12, 12)));
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->periods.size(), 1u);
  EXPECT_EQ(l->payable_days, 2);
}

TEST(DischargeLedger, AnOpenPeriodCountsUpToAndIncludingToday) {
  auto events = admitted_march_2024();
  events.push_back(ev(K::declared_ready, oslo(2024, 3, 10, 11)));
  events.push_back(ev(K::ready_notice, oslo(2024, 3, 10, 12)));
  auto l = compute_ledger(events, {}, oslo(2024, 3, 12, 10));
  ASSERT_TRUE(l);
  EXPECT_EQ(l->periods[0].end, PeriodEnd::open);
  EXPECT_EQ(l->discharged_at, std::nullopt);
  EXPECT_EQ(l->payable_days, 3);
}

// --- Oslo days: DST and New Year (R7, R8) ---

TEST(DischargeLedger, TheShortDayOfTheSpringDstChangeIsOneDay) {
  // Summer time began 31 March 2024 at 02:00; declared 30 March 22:30 (CET).
  std::vector<StayEvent> events{ev(K::admitted, utc(2024, 3, 20, 9)),
                                ev(K::admission_notice, utc(2024, 3, 20, 12)),
                                ev(K::declared_ready, utc(2024, 3, 30, 21, 30)),
                                ev(K::ready_notice, utc(2024, 3, 30, 21, 45)),
                                ev(K::discharged, utc(2024, 4, 2, 6))};  // 08:00 CEST
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(days_of(*l), (std::vector<Date>{ymd(2024, 3, 30), ymd(2024, 3, 31), ymd(2024, 4, 1)}));
}

TEST(DischargeLedger, TheLongDayOfTheAutumnDstChangeIsOneDay) {
  // Summer time ended 27 October 2024 at 03:00. 22:30Z on the 26th is
  // already 00:30 on the 27th in Oslo.
  std::vector<StayEvent> events{
      ev(K::admitted, utc(2024, 10, 20, 9)), ev(K::admission_notice, utc(2024, 10, 20, 12)),
      ev(K::declared_ready, utc(2024, 10, 26, 22, 30)),
      ev(K::ready_notice, utc(2024, 10, 26, 22, 40)), ev(K::discharged, utc(2024, 10, 29, 9))};
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(days_of(*l), (std::vector<Date>{ymd(2024, 10, 27), ymd(2024, 10, 28)}));
}

TEST(DischargeLedger, AStayAcrossNewYearPaysEachDayAtItsYearsRate) {
  std::vector<StayEvent> events{
      ev(K::admitted, oslo(2023, 12, 20, 9)), ev(K::admission_notice, oslo(2023, 12, 20, 12)),
      ev(K::declared_ready, oslo(2023, 12, 30, 10)), ev(K::ready_notice, oslo(2023, 12, 30, 11)),
      ev(K::discharged, oslo(2024, 1, 2, 12))};
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->payable_days, 3);
  EXPECT_EQ(l->amount_nok, 5508 + 5508 + 5745);
  ASSERT_EQ(l->periods[0].days.size(), 3u);
  EXPECT_EQ(l->periods[0].days[1].rate_nok, 5508);
  EXPECT_EQ(l->periods[0].days[2].rate_nok, 5745);

  auto months = monthly_totals({{"kommune-a", &*l}});
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ(months[0].year, 2023);
  EXPECT_EQ(months[0].month, 12u);
  EXPECT_EQ(months[0].days, 2);
  EXPECT_EQ(months[0].amount_nok, 2 * 5508);
  EXPECT_EQ(months[1].year, 2024);
  EXPECT_EQ(months[1].month, 1u);
  EXPECT_EQ(months[1].amount_nok, 5745);
}

TEST(DischargeLedger, DaysOfAYearWithoutARateAreCountedWithoutAnAmount) {
  std::vector<StayEvent> events{
      ev(K::admitted, oslo(2026, 2, 2, 9)), ev(K::admission_notice, oslo(2026, 2, 2, 12)),
      ev(K::declared_ready, oslo(2026, 2, 9, 10)), ev(K::ready_notice, oslo(2026, 2, 9, 11)),
      ev(K::discharged, oslo(2026, 2, 11, 12))};
  auto l = compute_ledger(events, {}, kLater);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->payable_days, 2);
  EXPECT_EQ(l->amount_nok, 0);
  EXPECT_EQ(l->years_without_rate, std::vector<int>{2026});
  EXPECT_TRUE(has_finding(*l, "R8"));

  LedgerRules configured;
  configured.rates.nok_by_year[2026] = 6000;  // an invented rate for the test
  auto priced = compute_ledger(events, configured, kLater);
  ASSERT_TRUE(priced);
  EXPECT_EQ(priced->amount_nok, 12000);
  EXPECT_TRUE(priced->years_without_rate.empty());
}

TEST(DischargeLedger, StandardRatesAreThoseOfTheBrief) {
  auto rates = DayRates::standard();
  EXPECT_EQ(rates.rate(2014), 4255);
  EXPECT_EQ(rates.rate(2019), 4885);
  EXPECT_EQ(rates.rate(2024), 5745);
  EXPECT_EQ(rates.rate(2013), std::nullopt);
  EXPECT_EQ(rates.rate(2025), std::nullopt);
}

TEST(DischargeLedger, MonthlyTotalsAreKeptApartPerMunicipality) {
  std::vector<StayEvent> a{
      ev(K::admitted, oslo(2024, 3, 4, 8)), ev(K::admission_notice, oslo(2024, 3, 4, 9)),
      ev(K::declared_ready, oslo(2024, 3, 30, 10)), ev(K::ready_notice, oslo(2024, 3, 30, 11)),
      ev(K::discharged, oslo(2024, 4, 3, 12))};
  std::vector<StayEvent> b{
      ev(K::admitted, oslo(2024, 3, 4, 8)), ev(K::admission_notice, oslo(2024, 3, 4, 9)),
      ev(K::declared_ready, oslo(2024, 3, 5, 10)), ev(K::ready_notice, oslo(2024, 3, 5, 11)),
      ev(K::discharged, oslo(2024, 3, 7, 12))};
  auto la = compute_ledger(a, {}, kLater);
  auto lb = compute_ledger(b, {}, kLater);
  ASSERT_TRUE(la && lb);
  auto months = monthly_totals({{"skien", &*la}, {"porsgrunn", &*lb}, {"skien", &*lb}});
  ASSERT_EQ(months.size(), 3u);
  EXPECT_EQ(months[0].municipality_id, "porsgrunn");
  EXPECT_EQ(months[0].days, 2);
  EXPECT_EQ(months[1].municipality_id, "skien");
  EXPECT_EQ(months[1].month, 3u);
  EXPECT_EQ(months[1].days, 2 + 2);  // 30-31 March of a, 5-6 March of b
  EXPECT_EQ(months[2].month, 4u);
  EXPECT_EQ(months[2].days, 2);  // 1-2 April
  EXPECT_EQ(months[2].amount_nok, 2 * 5745);
}

// --- bad input ---

TEST(DischargeLedger, RefusesAStayWithoutExactlyOneAdmission) {
  EXPECT_FALSE(compute_ledger({}, {}, kLater));
  EXPECT_FALSE(compute_ledger({ev(K::declared_ready, oslo(2024, 3, 4, 8))}, {}, kLater));
  auto two = compute_ledger(
      {ev(K::admitted, oslo(2024, 3, 4, 8)), ev(K::admitted, oslo(2024, 3, 5, 8))}, {}, kLater);
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, ErrorCode::invalid_input);
  EXPECT_FALSE(two.error().message_nb.empty());
}

TEST(DischargeLedger, RefusesEventsBeforeAdmissionOrAfterDischarge) {
  EXPECT_FALSE(compute_ledger(
      {ev(K::admitted, oslo(2024, 3, 4, 8)), ev(K::admission_notice, oslo(2024, 3, 3, 8))}, {},
      kLater));
  EXPECT_FALSE(
      compute_ledger({ev(K::admitted, oslo(2024, 3, 4, 8)), ev(K::discharged, oslo(2024, 3, 6, 8)),
                      ev(K::declared_ready, oslo(2024, 3, 7, 8))},
                     {}, kLater));
}

TEST(DischargeLedger, RefusesACanReceiveAnswerWithoutADate) {
  auto r = compute_ledger(
      {ev(K::admitted, oslo(2024, 3, 4, 8)), ev(K::municipality_can_receive, oslo(2024, 3, 6, 8))},
      {}, kLater);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "events");
}

TEST(DischargeLedger, EventKindsHaveStableNames) {
  for (auto k : {K::admitted, K::needs_identified, K::admission_notice, K::declared_ready,
                 K::ready_notice, K::municipality_can_receive, K::municipality_cannot_receive,
                 K::withdrawn, K::readmitted, K::discharged})
    EXPECT_EQ(parse_stay_event_kind(to_string(k)), k);
  EXPECT_EQ(parse_stay_event_kind("utskrivningsklar"), std::nullopt);
}

}  // namespace
}  // namespace samflyt::core
