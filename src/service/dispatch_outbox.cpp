// Sending: the outbox handed to a transport, the 96-hour receipt limit,
// and one round of the message exchange.
#include <algorithm>
#include <map>
#include <set>

#include "service/access_control.hpp"
#include "service/messages.hpp"

namespace samflyt::service {

namespace {

WatchdogRules rules_of(const Context& ctx) {
  return WatchdogRules{ctx.messaging.apprec_alert, ctx.messaging.receipt_limit};
}

// The patient a stored message is about, when it belongs to an episode.
Result<std::string> patient_of(Transaction& tx, const StoredMessage& m) {
  if (m.episode_id.empty()) return std::string();
  SAMFLYT_TRY(auto episode, tx.episodes().get(m.episode_id));
  return episode ? episode->patient_id : std::string();
}

// Marks the messages the transport took as sent, in one transaction.
Result<std::vector<StoredMessage>> mark_sent(Context& ctx,
                                             const std::vector<const StoredMessage*>& handed_over) {
  if (handed_over.empty()) return std::vector<StoredMessage>();
  const Caller system = message_exchange_caller();
  const Instant now = ctx.clock.now();
  return audited(ctx, system, TxMode::write,
                 [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<StoredMessage>> {
                   std::vector<StoredMessage> sent;
                   for (const auto* m : handed_over) {
                     SAMFLYT_TRY(auto current, tx.messages().get(m->id));
                     if (!current || current->status != MessageStatus::queued)
                       continue;  // sent by another round
                     auto expected = current->version;
                     current->status = MessageStatus::sent;
                     current->sent_at = current->status_at = now;
                     current->version = expected + 1;
                     SAMFLYT_CHECK(tx.messages().update(*current, expected));
                     SAMFLYT_TRY(auto patient_id, patient_of(tx, *current));
                     trail.add_event(system, now, patient_id, "message/" + current->id, "send",
                                     "allowed");
                     sent.push_back(std::move(*current));
                   }
                   return sent;
                 });
}

}  // namespace

std::vector<Result<void>> MessageTransport::send_all(const std::vector<Parcel>& parcels) {
  std::vector<Result<void>> results;
  std::map<std::optional<std::int64_t>, Error> refused;  // by receiver
  for (const auto& p : parcels) {
    if (auto earlier = refused.find(p.receiver_her_id); earlier != refused.end()) {
      results.emplace_back(earlier->second);
      continue;
    }
    auto handed = send(p.bytes, p.name, p.receiver_her_id);
    if (!handed) refused.emplace(p.receiver_her_id, handed.error());
    results.push_back(std::move(handed));
  }
  return results;
}

Result<DispatchReport> dispatch_outbox(Context& ctx, MessageTransport& transport) {
  DispatchReport report;
  const int batch = std::max(1, ctx.messaging.send_batch);
  std::set<std::optional<std::int64_t>> held_back;  // receivers whose messages wait this round
  while (true) {
    SAMFLYT_TRY(auto queued, in_transaction(ctx.db, TxMode::read, [&](Transaction& tx) {
                  return tx.messages().with_status(MessageDirection::outgoing,
                                                   MessageStatus::queued, batch);
                }));
    std::vector<const StoredMessage*> to_send;
    std::vector<Parcel> parcels;
    for (const auto& m : queued)
      if (!held_back.count(m.receiver_her_id)) {
        to_send.push_back(&m);
        parcels.push_back({m.xml, m.msg_id + ".xml", m.receiver_her_id});
      }
    auto results = transport.send_all(parcels);
    std::vector<const StoredMessage*> handed_over;
    for (std::size_t i = 0; i < to_send.size(); ++i) {
      if (results[i]) {
        handed_over.push_back(to_send[i]);
      } else if (held_back.insert(to_send[i]->receiver_her_id).second) {
        report.failures.push_back({*to_send[i], std::move(results[i]).error()});
      }
    }
    SAMFLYT_TRY(auto sent, mark_sent(ctx, handed_over));
    for (auto& m : sent) report.sent.push_back(std::move(m));
    // A full batch of which something went: there may be more. (A full
    // batch of held-back messages waits for the next round.)
    if (static_cast<int>(queued.size()) < batch || handed_over.empty()) break;
  }
  return report;
}

Result<std::vector<StoredMessage>> mark_missing_receipts(Context& ctx) {
  const Instant now = ctx.clock.now();
  const auto rules = rules_of(ctx);
  const Caller system = message_exchange_caller();
  return audited(
      ctx, system, TxMode::write,
      [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<StoredMessage>> {
        SAMFLYT_TRY(auto due, tx.messages().awaiting_receipt_since(now - rules.receipt_limit));
        std::vector<StoredMessage> expired;
        for (auto& m : due) {
          if (!past_receipt_limit(m, now, rules)) continue;  // the one statement of the rule
          auto expected = m.version;
          m.status = MessageStatus::no_receipt;
          m.note = "No AppRec within " + std::to_string(rules.receipt_limit.count()) +
                   " hours of GenDate.";
          m.status_at = now;
          m.version = expected + 1;
          SAMFLYT_CHECK(tx.messages().update(m, expected));
          SAMFLYT_TRY(auto patient_id, patient_of(tx, m));
          trail.add_event(system, now, patient_id, "message/" + m.id, "no-receipt", "allowed");
          expired.push_back(std::move(m));
        }
        return expired;
      });
}

namespace {

// What a round reports of a message: everything but the bytes, which are
// stored, so that a large backlog does not stay in memory.
ReceiveOutcome without_bytes(ReceiveOutcome o) {
  o.message.xml.clear();
  o.message.xml.shrink_to_fit();
  for (auto& a : o.apprecs) {
    a.xml.clear();
    a.xml.shrink_to_fit();
  }
  return o;
}

// One message at a time, after its batch failed: each is acknowledged or
// set aside on its own.
Result<void> receive_one_by_one(Context& ctx, MessageTransport& transport,
                                const std::vector<TransportedMessage>& batch,
                                ExchangeReport& report) {
  for (const auto& file : batch) {
    auto received = receive_message(ctx, file.bytes, file.name);
    if (!received) {
      // The database is busy or gone: leave the file for the next round.
      if (received.error().code == ErrorCode::unavailable) return std::move(received).error();
      SAMFLYT_CHECK(transport.set_aside(file.name, received.error().message));
      report.set_aside.emplace_back(file.name, received.error().message);
      continue;
    }
    // Only now, with the message committed, does the file leave the inbox.
    SAMFLYT_CHECK(transport.acknowledge({file.name}));
    report.received.push_back(without_bytes(std::move(*received)));
  }
  return {};
}

}  // namespace

Result<void> receive_waiting(Context& ctx, MessageTransport& transport, ExchangeReport& report) {
  const auto size = static_cast<std::size_t>(std::max(1, ctx.messaging.receive_batch));
  while (true) {
    SAMFLYT_TRY(auto batch, transport.receive(size));
    if (batch.empty()) return {};
    auto received = receive_messages(ctx, batch);
    if (!received) {
      if (received.error().code == ErrorCode::unavailable) return std::move(received).error();
      SAMFLYT_CHECK(receive_one_by_one(ctx, transport, batch, report));
    } else {
      // Only now, with the batch committed, do its files leave the inbox.
      std::vector<std::string> names;
      for (const auto& m : batch) names.push_back(m.name);
      SAMFLYT_CHECK(transport.acknowledge(names));
      for (auto& o : *received) report.received.push_back(without_bytes(std::move(o)));
    }
    if (batch.size() < size) return {};
  }
}

Result<ExchangeReport> exchange_messages(Context& ctx, MessageTransport& transport) {
  ExchangeReport report;
  SAMFLYT_CHECK(receive_waiting(ctx, transport, report));
  SAMFLYT_TRY(report.expired, mark_missing_receipts(ctx));
  SAMFLYT_TRY(report.dispatched, dispatch_outbox(ctx, transport));
  return report;
}

}  // namespace samflyt::service
