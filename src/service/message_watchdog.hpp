// The receipt watchdog: what needs a person's attention among sent
// messages. Pure: given the messages and `now`, no I/O, no clock.
//
// Rules (HIS 80415 §4.2 and §4.10; HIS 1077 for the discharge-ready
// notice), for outgoing messages other than our own AppRecs:
//   - apprec_overdue: no AppRec `apprec_alert` after it was sent (or
//     queued, while it waits), and the 96-hour limit not yet reached;
//   - no_receipt: no AppRec 96 hours after GenDate (status no_receipt, or
//     still sent past the limit before the next round marks it);
//   - rejected: a negative AppRec came (its errors are on the message);
//   - awaiting_reception_answer: a Melding om utskrivningsklar pasient
//     (LOG_UTSKRIVNINGSKLAR) not rejected, with no answer from the
//     municipality (a received Dialogmelding with TemaKodet 7322 V=7) in
//     its conversation, and not withdrawn by a LOG_AVMELDING we sent.
// Alerts are ordered by `since`, oldest first. Thread-safe (pure).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "service/ports.hpp"

namespace samflyt::service {

enum class MessageAlertKind { apprec_overdue, no_receipt, rejected, awaiting_reception_answer };
std::string_view to_string(MessageAlertKind k);

struct MessageAlert {
  MessageAlertKind kind = MessageAlertKind::apprec_overdue;
  std::string message_id;  // the stored outgoing message
  std::string msg_id;
  std::string msg_type;
  std::string episode_id;
  Instant since{};  // when the condition began
  std::string text;
  std::string text_nb;
  // Whom it is about, for lists across episodes (organisation_message_alerts
  // sets it; the watchdog and the episode's own list leave it empty).
  std::string patient_name;
};

struct WatchdogRules {
  std::chrono::minutes apprec_alert{60};
  std::chrono::hours receipt_limit{96};
};

// True for a sent message (not an AppRec) with no AppRec at `now`, 96 hours
// (receipt_limit) after its GenDate: it is to be marked no_receipt.
bool past_receipt_limit(const StoredMessage& m, Instant now, const WatchdogRules& rules);

// `messages` holds the outgoing messages to judge and whatever else is
// known of their conversations (the answers are looked for there).
std::vector<MessageAlert> message_alerts(const std::vector<StoredMessage>& messages, Instant now,
                                         const WatchdogRules& rules);

}  // namespace samflyt::service
