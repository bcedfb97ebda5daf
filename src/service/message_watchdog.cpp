#include "service/message_watchdog.hpp"

#include <algorithm>

#include "msg/codes.hpp"

namespace samflyt::service {

namespace {

bool is_apprec(const StoredMessage& m) {
  return m.msg_type == msg::msg_type::apprec;
}

Instant sent_or_queued(const StoredMessage& m) {
  return m.sent_at.value_or(m.created_at);
}

// The municipality's answer to a discharge-ready notice: Helsefaglig
// dialog with TemaKodet 7322 V=7.
constexpr std::string_view kReceptionAnswerTopic = "7322:7";

MessageAlert alert(MessageAlertKind kind, const StoredMessage& m, Instant since, std::string text,
                   std::string text_nb) {
  return MessageAlert{
      kind, m.id, m.msg_id, m.msg_type, m.episode_id, since, std::move(text), std::move(text_nb),
      {}};
}

}  // namespace

std::string_view to_string(MessageAlertKind k) {
  switch (k) {
    case MessageAlertKind::apprec_overdue:
      return "apprec_overdue";
    case MessageAlertKind::no_receipt:
      return "no_receipt";
    case MessageAlertKind::rejected:
      return "rejected";
    case MessageAlertKind::awaiting_reception_answer:
      return "awaiting_reception_answer";
  }
  return "apprec_overdue";
}

bool past_receipt_limit(const StoredMessage& m, Instant now, const WatchdogRules& rules) {
  return m.direction == MessageDirection::outgoing && !is_apprec(m) &&
         m.status == MessageStatus::sent && m.gen_date && now >= *m.gen_date + rules.receipt_limit;
}

std::vector<MessageAlert> message_alerts(const std::vector<StoredMessage>& messages, Instant now,
                                         const WatchdogRules& rules) {
  std::vector<MessageAlert> out;
  for (const auto& m : messages) {
    if (m.direction != MessageDirection::outgoing || is_apprec(m)) continue;
    const bool waiting = m.status == MessageStatus::queued || m.status == MessageStatus::sent;
    if (m.status == MessageStatus::no_receipt || past_receipt_limit(m, now, rules)) {
      out.push_back(alert(MessageAlertKind::no_receipt, m,
                          m.gen_date ? *m.gen_date + rules.receipt_limit : m.status_at,
                          "No AppRec within 96 hours: treat the message as not received and "
                          "follow it up by phone.",
                          "Ingen applikasjonskvittering innen 96 timer: regn meldingen som ikke "
                          "mottatt og følg opp på telefon."));
    } else if (waiting && now >= sent_or_queued(m) + rules.apprec_alert) {
      out.push_back(alert(MessageAlertKind::apprec_overdue, m,
                          sent_or_queued(m) + rules.apprec_alert,
                          "No AppRec yet: the receiver has not confirmed the message.",
                          "Ingen applikasjonskvittering ennå: mottakeren har ikke bekreftet "
                          "meldingen."));
    } else if (m.status == MessageStatus::rejected) {
      out.push_back(alert(MessageAlertKind::rejected, m, m.status_at,
                          "The receiver rejected the message (negative AppRec): see the errors, "
                          "correct and send a new message.",
                          "Mottakeren avviste meldingen (negativ applikasjonskvittering): se "
                          "feilene, rett og send en ny melding."));
    }
    if (m.msg_type == msg::msg_type::utskrivningsklar && m.status != MessageStatus::rejected) {
      bool answered = false;
      bool withdrawn = false;
      for (const auto& other : messages) {
        if (other.conversation_id != m.conversation_id || other.id == m.id) continue;
        if (other.direction == MessageDirection::incoming && other.topic == kReceptionAnswerTopic &&
            (other.status == MessageStatus::accepted || other.status == MessageStatus::cancelled))
          answered = true;
        if (other.direction == MessageDirection::outgoing &&
            other.msg_type == msg::msg_type::avmelding && other.parent_msg_id == m.msg_id)
          withdrawn = true;
      }
      if (!answered && !withdrawn)
        out.push_back(alert(MessageAlertKind::awaiting_reception_answer, m, sent_or_queued(m),
                            "The municipality has not yet answered the discharge-ready notice.",
                            "Kommunen har ennå ikke svart på meldingen om utskrivningsklar "
                            "pasient."));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const MessageAlert& a, const MessageAlert& b) { return a.since < b.since; });
  return out;
}

}  // namespace samflyt::service
