// The receipt watchdog's rules (service/message_watchdog.hpp), on plain
// rows: when an alert appears, and what makes it go away.
#include "service/message_watchdog.hpp"

#include <gtest/gtest.h>

namespace samflyt::service {
namespace {

using namespace std::chrono_literals;

Instant at(const char* text) {
  return *core::parse_instant(text);
}

StoredMessage sent(std::string id, std::string type, const char* gen_date) {
  StoredMessage m;
  m.id = id;
  m.msg_id = "msg-" + id;
  m.conversation_id = m.msg_id;
  m.direction = MessageDirection::outgoing;
  m.msg_type = std::move(type);
  m.gen_date = at(gen_date);
  m.created_at = *m.gen_date;
  m.sent_at = *m.gen_date + 1min;
  m.status = MessageStatus::sent;
  m.status_at = *m.sent_at;
  return m;
}

std::vector<MessageAlertKind> kinds(const std::vector<MessageAlert>& alerts) {
  std::vector<MessageAlertKind> out;
  for (const auto& a : alerts) out.push_back(a.kind);
  return out;
}

const WatchdogRules kDefault{};

TEST(MessageWatchdog, NoAlertBeforeTheAppRecTimeAndOneAfter) {
  auto m = sent("1", "HELSEOPPL_SOKNAD", "2026-03-27T09:00:00Z");
  EXPECT_TRUE(message_alerts({m}, at("2026-03-27T09:59:59Z"), kDefault).empty());
  auto alerts = message_alerts({m}, at("2026-03-27T10:01:00Z"), kDefault);
  ASSERT_EQ(kinds(alerts), std::vector{MessageAlertKind::apprec_overdue});
  EXPECT_TRUE(alerts[0].since == at("2026-03-27T10:01:00Z"));  // sent at 09:01, plus one hour
  EXPECT_FALSE(alerts[0].text_nb.empty());
}

TEST(MessageWatchdog, TheAppRecTimeIsConfigurable) {
  auto m = sent("1", "HELSEOPPL_SOKNAD", "2026-03-27T09:00:00Z");
  WatchdogRules quick{15min, 96h};
  EXPECT_EQ(kinds(message_alerts({m}, at("2026-03-27T09:20:00Z"), quick)),
            std::vector{MessageAlertKind::apprec_overdue});
  EXPECT_TRUE(message_alerts({m}, at("2026-03-27T09:20:00Z"), kDefault).empty());
}

TEST(MessageWatchdog, NinetySixHoursAfterGenDateIsNoReceipt) {
  auto m = sent("1", "HELSEOPPL_SOKNAD", "2026-03-27T09:00:00Z");
  EXPECT_FALSE(past_receipt_limit(m, at("2026-03-31T08:59:59Z"), kDefault));
  EXPECT_TRUE(past_receipt_limit(m, at("2026-03-31T09:00:00Z"), kDefault));
  EXPECT_EQ(kinds(message_alerts({m}, at("2026-03-31T09:00:00Z"), kDefault)),
            std::vector{MessageAlertKind::no_receipt});
  m.status = MessageStatus::no_receipt;
  EXPECT_FALSE(past_receipt_limit(m, at("2026-04-30T09:00:00Z"), kDefault));  // marked once
  EXPECT_EQ(kinds(message_alerts({m}, at("2026-04-30T09:00:00Z"), kDefault)),
            std::vector{MessageAlertKind::no_receipt});
}

TEST(MessageWatchdog, AnAppRecEndsTheWaitAndANegativeOneIsAnAlert) {
  auto m = sent("1", "HELSEOPPL_SOKNAD", "2026-03-27T09:00:00Z");
  m.status = MessageStatus::apprec_ok;
  EXPECT_TRUE(message_alerts({m}, at("2026-04-27T09:00:00Z"), kDefault).empty());
  m.status = MessageStatus::rejected;
  EXPECT_EQ(kinds(message_alerts({m}, at("2026-04-27T09:00:00Z"), kDefault)),
            std::vector{MessageAlertKind::rejected});
}

TEST(MessageWatchdog, OurOwnAppRecsAndIncomingMessagesAreNotWatched) {
  auto apprec = sent("1", "APPREC", "2026-03-27T09:00:00Z");
  auto incoming = sent("2", "HELSEOPPL_SOKNAD", "2026-03-27T09:00:00Z");
  incoming.direction = MessageDirection::incoming;
  incoming.status = MessageStatus::accepted;
  EXPECT_TRUE(message_alerts({apprec, incoming}, at("2026-04-27T09:00:00Z"), kDefault).empty());
}

TEST(MessageWatchdog, ADischargeReadyNoticeWaitsForTheMunicipalitysAnswer) {
  auto notice = sent("1", "LOG_UTSKRIVNINGSKLAR", "2026-03-27T09:00:00Z");
  notice.status = MessageStatus::apprec_ok;
  const auto now = at("2026-03-27T12:00:00Z");
  EXPECT_EQ(kinds(message_alerts({notice}, now, kDefault)),
            std::vector{MessageAlertKind::awaiting_reception_answer});

  // Another dialog in the conversation is not the answer.
  StoredMessage other;
  other.id = "2";
  other.direction = MessageDirection::incoming;
  other.msg_type = "DIALOG_HELSEFAGLIG";
  other.topic = "7322:1";
  other.conversation_id = notice.conversation_id;
  other.status = MessageStatus::accepted;
  EXPECT_EQ(kinds(message_alerts({notice, other}, now, kDefault)),
            std::vector{MessageAlertKind::awaiting_reception_answer});

  // The answer (7322 V=7) in another conversation does not count either.
  StoredMessage answer = other;
  answer.id = "3";
  answer.topic = "7322:7";
  answer.conversation_id = "another";
  EXPECT_EQ(message_alerts({notice, answer}, now, kDefault).size(), 1u);

  // In the notice's conversation it does.
  answer.conversation_id = notice.conversation_id;
  EXPECT_TRUE(message_alerts({notice, answer}, now, kDefault).empty());

  // A rejected answer is not an answer.
  answer.status = MessageStatus::rejected;
  EXPECT_EQ(message_alerts({notice, answer}, now, kDefault).size(), 1u);
}

TEST(MessageWatchdog, AWithdrawnNoticeWaitsForNoAnswer) {
  auto notice = sent("1", "LOG_UTSKRIVNINGSKLAR", "2026-03-27T09:00:00Z");
  notice.status = MessageStatus::apprec_ok;
  auto withdrawal = sent("2", "LOG_AVMELDING", "2026-03-27T10:00:00Z");
  withdrawal.status = MessageStatus::apprec_ok;
  withdrawal.conversation_id = notice.conversation_id;
  withdrawal.parent_msg_id = notice.msg_id;
  EXPECT_TRUE(message_alerts({notice, withdrawal}, at("2026-03-27T12:00:00Z"), kDefault).empty());
}

TEST(MessageWatchdog, AlertsAreOldestFirst) {
  auto later = sent("1", "HELSEOPPL_SOKNAD", "2026-03-27T11:00:00Z");
  auto earlier = sent("2", "LOG_INNLAGT", "2026-03-27T09:00:00Z");
  auto alerts = message_alerts({later, earlier}, at("2026-03-27T13:00:00Z"), kDefault);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].message_id, "2");
  EXPECT_EQ(alerts[1].message_id, "1");
}

}  // namespace
}  // namespace samflyt::service
