// Unit tests for msg/stay_events: what each discharge message adds to the
// discharge-ready ledger, and a whole stay's messages making a ledger.
#include "msg/stay_events.hpp"

#include <gtest/gtest.h>

#include "msg/codec.hpp"
#include "msg_test_support.hpp"

namespace samflyt::msg {
namespace {

using K = core::StayEventKind;
using testing::at;
using testing::ymd;

TEST(StayEvents, TheVarselIsTheAdmissionNoticeAtItsGenDate) {
  auto events = stay_events_of(testing::health_information_message(1));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, K::admission_notice);
  EXPECT_EQ(events[0].at, at(2026, 3, 27, 9, 15));
  // Updated information (9140 V=2) is no new varsel.
  EXPECT_TRUE(stay_events_of(testing::health_information_message(2)).empty());
  // A varsel that says when the patient was admitted begins the stay too.
  auto m = testing::health_information_message(1);
  std::get<HealthInformation>(m.content).stay.push_back(testing::admitted_event());
  auto with_admission = stay_events_of(m);
  ASSERT_EQ(with_admission.size(), 2u);
  EXPECT_EQ(with_admission[0].kind, K::admitted);
  EXPECT_EQ(with_admission[0].at, at(2026, 3, 23, 21, 40));
  EXPECT_EQ(with_admission[1].kind, K::admission_notice);
}

TEST(StayEvents, TheDischargeReadyNoticeDeclaresAndNotifies) {
  auto events = stay_events_of(testing::discharge_ready_message());
  ASSERT_EQ(events.size(), 3u);
  // It repeats the admission (for a receiver that missed LOG_INNLAGT).
  EXPECT_EQ(events[0].kind, K::admitted);
  EXPECT_EQ(events[0].at, at(2026, 3, 23, 21, 40));
  // Sent on 27 March with the expected ready date 30 March (Anslag):
  // declared when sent, ready from the 30th.
  EXPECT_EQ(events[1].kind, K::declared_ready);
  EXPECT_EQ(events[1].at, at(2026, 3, 27, 9, 15));
  EXPECT_EQ(events[1].date, ymd(2026, 3, 30));
  EXPECT_EQ(events[2].kind, K::ready_notice);
  EXPECT_EQ(events[2].at, at(2026, 3, 27, 9, 15));
  // Declared earlier than the notice: at the ready event's time, no later day.
  auto m = testing::discharge_ready_message();
  std::get<DischargeReady>(m.content).ready.time = at(2026, 3, 26, 14, 0);
  auto earlier = stay_events_of(m);
  EXPECT_EQ(earlier[1].at, at(2026, 3, 26, 14, 0));
  EXPECT_FALSE(earlier[1].date);
}

TEST(StayEvents, TheMunicipalitysAnswerCarriesItsDay) {
  auto can = stay_events_of(testing::reception_answer_message(true));
  ASSERT_EQ(can.size(), 1u);
  EXPECT_EQ(can[0].kind, K::municipality_can_receive);
  EXPECT_EQ(can[0].date, ymd(2026, 3, 31));
  auto cannot = stay_events_of(testing::reception_answer_message(false));
  ASSERT_EQ(cannot.size(), 1u);
  EXPECT_EQ(cannot[0].kind, K::municipality_cannot_receive);
  EXPECT_FALSE(cannot[0].date);
}

TEST(StayEvents, AdmissionWithdrawalAndDischargeAtTheirEventsTimes) {
  auto admitted = stay_events_of(testing::admitted_message());
  ASSERT_EQ(admitted.size(), 1u);
  EXPECT_EQ(admitted[0].kind, K::admitted);
  EXPECT_EQ(admitted[0].at, at(2026, 3, 23, 21, 40));
  auto withdrawn = stay_events_of(testing::cancelled_message());
  ASSERT_EQ(withdrawn.size(), 1u);
  EXPECT_EQ(withdrawn[0].kind, K::withdrawn);
  EXPECT_EQ(withdrawn[0].at, at(2026, 3, 29, 8, 0));
  auto discharged = stay_events_of(testing::discharged_message());
  ASSERT_EQ(discharged.size(), 1u);
  EXPECT_EQ(discharged[0].kind, K::discharged);
}

TEST(StayEvents, CancellationsAndOtherMessagesGiveNone) {
  auto m = testing::discharge_ready_message();
  std::get<DischargeReady>(m.content).plo.status = ShipmentStatus::cancellation;
  EXPECT_TRUE(stay_events_of(m).empty());
  EXPECT_TRUE(stay_events_of(testing::discharge_report_message()).empty());
  EXPECT_TRUE(stay_events_of(testing::request_message()).empty());
}

TEST(StayEvents, TheTentativeDischargeDateIsTheExpectedReadyDay) {
  EXPECT_EQ(expected_ready_day(testing::health_information_message(1)), ymd(2026, 3, 30));
  EXPECT_EQ(expected_ready_day(testing::discharge_ready_message()), ymd(2026, 3, 30));
  EXPECT_FALSE(expected_ready_day(testing::admitted_message()));
  EXPECT_FALSE(expected_ready_day(testing::reception_answer_message(true)));
  auto cancelled = testing::discharge_ready_message();
  std::get<DischargeReady>(cancelled.content).plo.status = ShipmentStatus::cancellation;
  EXPECT_FALSE(expected_ready_day(cancelled));
}

TEST(StayEvents, AStaysMessagesMakeItsLedger) {
  // Admitted 23 March 22:40, varsel 27 March 10:15 (far too late: R1), so
  // the same stay with the varsel in time is compared too.
  std::vector<core::StayEvent> events;
  for (const auto& m : {testing::admitted_message(), testing::health_information_message(1),
                        testing::discharge_ready_message(), testing::reception_answer_message(true),
                        testing::discharged_message()}) {
    // Each goes through XML and back, as between two systems.
    auto read_back = read(write(m), ReadOptions{true});
    ASSERT_TRUE(read_back.message) << "round trip";
    for (const auto& e : stay_events_of(*read_back.message))
      if (e.kind != K::admitted || events.empty()) events.push_back(e);  // the stay has begun
  }
  auto late = core::compute_ledger(events, {}, at(2026, 5, 1, 12));
  ASSERT_TRUE(late) << late.error().message;
  EXPECT_EQ(late->admission_notice, core::NoticeStatus::late);
  EXPECT_EQ(late->payable_days, 0);

  for (auto& e : events)
    if (e.kind == K::admission_notice) e.at = at(2026, 3, 24, 8, 0);
  core::LedgerRules rules;
  rules.rates.nok_by_year[2026] = 6000;  // an invented rate for the test
  auto in_time = core::compute_ledger(events, rules, at(2026, 5, 1, 12));
  ASSERT_TRUE(in_time);
  // Ready on 30 March (notified 27 March), the municipality can receive
  // on 31 March: one payable day, 30 March.
  EXPECT_EQ(in_time->payable_days, 1);
  EXPECT_EQ(in_time->amount_nok, 6000);
}

}  // namespace
}  // namespace samflyt::msg
