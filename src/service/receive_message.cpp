// The inbox: received messages, each read, judged, stored once and answered
// once (HIS 80415; README §4), a batch per transaction.
#include <future>
#include <set>
#include <stdexcept>

#include "core/roles.hpp"
#include "service/access_control.hpp"
#include "service/message_effects.hpp"
#include "service/message_rows.hpp"
#include "service/messages.hpp"

namespace samflyt::service {

namespace {

using detail::describe_apprec;
using detail::describe_content;
using detail::describe_envelope;
using detail::to_message_errors;

// The HER-ids of the organisations in the database: the receivers that
// are ours (README §4.3, §4.5) unless configured (MessagingSettings).
Result<std::vector<std::int64_t>> own_her_ids(Transaction& tx) {
  SAMFLYT_TRY(auto orgs, tx.organisations().list());
  std::set<std::int64_t> ids;
  for (const auto& o : orgs)
    if (o.her_id) ids.insert(*o.her_id);
  return std::vector<std::int64_t>(ids.begin(), ids.end());
}

Error apprec_not_written(const std::string& why) {
  return make_error(ErrorCode::internal, "The AppRec could not be written: " + why,
                    "Applikasjonskvitteringen kunne ikke skrives: " + why);
}

// A queued AppRec answering `incoming`.
Result<StoredMessage> queue_apprec(Context& ctx, Transaction& tx, const msg::AppRec& apprec,
                                   const StoredMessage& incoming, Instant now) {
  StoredMessage row;
  row.id = ctx.ids.new_id();
  row.direction = MessageDirection::outgoing;
  describe_apprec(apprec, row);
  row.conversation_id = incoming.conversation_id;
  row.episode_id = incoming.episode_id;
  row.answers_id = incoming.id;
  try {
    row.xml = msg::write(apprec);
  } catch (const std::invalid_argument& e) {
    return apprec_not_written(e.what());
  }
  row.source_name = row.msg_id + ".xml";
  row.status = MessageStatus::queued;
  row.created_at = row.status_at = row.last_seen_at = now;
  SAMFLYT_CHECK(tx.messages().insert(row));
  return row;
}

// An incoming AppRec settles the outgoing message it answers, once.
Result<void> apply_receipt(Transaction& tx, const msg::Received& received, StoredMessage& row,
                           std::optional<StoredMessage>& settled, Instant now) {
  const auto& apprec = *received.read.apprec;
  if (!received.read.ok()) {
    row.status = MessageStatus::rejected;
    row.errors = to_message_errors(received.read.errors);
    row.note = "The AppRec could not be read; no message was settled by it.";
    return {};
  }
  row.status = MessageStatus::receipt_unmatched;
  SAMFLYT_TRY(auto original,
              tx.messages().find(MessageDirection::outgoing, apprec.original_msg_id));
  if (!original || original->msg_type == msg::msg_type::apprec) {
    row.note = "The AppRec answers no message we sent.";
    return {};
  }
  row.episode_id = original->episode_id;
  row.conversation_id = original->conversation_id;
  // The (MsgId, receiver HER-id) pair: the receipt must come from the
  // receiver, as the organisation or as the addressed service.
  if (original->receiver_her_id && apprec.sender.her_id != original->receiver_her_id &&
      detail::routing_her_id(apprec.sender) != original->receiver_her_id) {
    row.note = "The AppRec comes from HER-id " +
               (detail::routing_her_id(apprec.sender)
                    ? std::to_string(*detail::routing_her_id(apprec.sender))
                    : std::string("(none)")) +
               ", not from the receiver " + std::to_string(*original->receiver_her_id) + ".";
    return {};
  }
  if (original->status == MessageStatus::apprec_ok || original->status == MessageStatus::rejected) {
    row.note =
        "The message already had its AppRec; AppRecs are final, so this one changes "
        "nothing.";
    return {};
  }
  if (original->status == MessageStatus::queued) {
    row.note = "The AppRec answers a message that has not been sent yet.";
    return {};
  }
  // sent, or no_receipt: a late AppRec is accepted (README §4.2).
  const bool ok = apprec.status && *apprec.status == static_cast<int>(msg::AppRecStatus::ok);
  auto expected = original->version;
  original->status = ok ? MessageStatus::apprec_ok : MessageStatus::rejected;
  original->errors = to_message_errors(apprec.errors);
  original->note = ok              ? std::string()
                   : apprec.status ? "Rejected by the receiver (AppRec status " +
                                         std::to_string(*apprec.status) + ")."
                                   : std::string("Rejected by the receiver.");
  original->status_at = now;
  original->version = expected + 1;
  SAMFLYT_CHECK(tx.messages().update(*original, expected));
  row.status = MessageStatus::receipt_applied;
  settled = std::move(original);
  return {};
}

// Whether a stored message names the patient with this national id ("":
// names none).
bool about_patient(const StoredMessage& m, const std::string& national_id) {
  auto read = msg::read(m.xml);
  const bool names = read.envelope && read.envelope->patient;
  return (names ? read.envelope->patient->national_id : std::string()) == national_id;
}

// A cancellation (Forsendelsesstatus C) cancels its original when that is
// here; an original whose cancellation came first is cancelled at once;
// both only when the two are about the same patient (`national_id`, the
// one `row` names).
Result<void> correlate_cancellation(Transaction& tx, StoredMessage& row,
                                    const std::string& national_id, Instant now) {
  if (row.status != MessageStatus::accepted) return {};
  if (row.shipment_status == "C" && !row.parent_msg_id.empty()) {
    SAMFLYT_TRY(auto original, tx.messages().find(MessageDirection::incoming, row.parent_msg_id));
    if (original && !about_patient(*original, national_id)) {
      row.note = "Cancels message " + row.parent_msg_id +
                 ", which is about another patient; it was not cancelled.";
    } else if (original && original->status == MessageStatus::accepted) {
      auto expected = original->version;
      original->status = MessageStatus::cancelled;
      original->note = "Cancelled by message " + row.msg_id + ".";
      original->status_at = now;
      original->version = expected + 1;
      SAMFLYT_CHECK(tx.messages().update(*original, expected));
    } else if (!original) {
      row.note = "Cancels message " + row.parent_msg_id +
                 ", which has not arrived; it will be marked cancelled when it does.";
    }
  }
  SAMFLYT_TRY(auto later, tx.messages().children(MessageDirection::incoming, row.msg_id));
  for (const auto& c : later)
    if (c.shipment_status == "C" && c.status == MessageStatus::accepted &&
        about_patient(c, national_id)) {
      row.status = MessageStatus::cancelled;
      row.note = "Cancelled by message " + c.msg_id + ", which arrived first.";
      break;
    }
  return {};
}

}  // namespace

Caller message_exchange_caller() {
  return Caller{
      core::Principal{"message-exchange", "", "message-exchange", core::AccountKind::system, {}},
      ""};
}

namespace {

// Stores one read message in the batch's transaction: a duplicate is
// counted, an AppRec settles what it answers, anything else is stored with
// its AppRecs queued and, when accepted, updates its episode.
Result<ReceiveOutcome> store_received(Context& ctx, Transaction& tx, AuditTrail& trail,
                                      const Caller& system, const TransportedMessage& incoming,
                                      const msg::Received& received, Instant now) {
  const auto& read = received.read;
  ReceiveOutcome out;
  out.source_name = incoming.name;

  StoredMessage row;
  row.id = ctx.ids.new_id();
  row.direction = MessageDirection::incoming;
  if (read.envelope) describe_envelope(*read.envelope, row);
  if (read.message) describe_content(read.message->content, row);
  if (read.apprec) describe_apprec(*read.apprec, row);
  row.standard = read.standard;
  row.standard_version = read.version;
  row.xml = incoming.bytes;
  row.source_name = incoming.name;
  row.created_at = row.status_at = row.last_seen_at = now;

  // The patient, when known here: for the audit row and to find the
  // episode.
  std::string patient_id;
  if (read.envelope && read.envelope->patient) {
    SAMFLYT_TRY(auto p, tx.patients().find_by_national_id(read.envelope->patient->national_id));
    if (p) patient_id = p->id;
  }

  // A duplicate (the same MsgId again): counted, never imported or
  // answered again (README §4.3).
  SAMFLYT_TRY(auto first, tx.messages().find(MessageDirection::incoming, row.msg_id));
  if (first) {
    auto expected = first->version;
    first->times_seen += 1;
    first->last_seen_at = now;
    first->version = expected + 1;
    SAMFLYT_CHECK(tx.messages().update(*first, expected));
    trail.add_event(system, now, patient_id, "message/" + first->id, "receive-duplicate",
                    "allowed");
    out.message = std::move(*first);
    out.duplicate = true;
    return out;
  }

  if (read.apprec) {
    SAMFLYT_CHECK(apply_receipt(tx, received, row, out.settled, now));
    SAMFLYT_CHECK(tx.messages().insert(row));
    // The receipt changed a message about the episode's patient.
    if (!row.episode_id.empty()) {
      SAMFLYT_TRY(auto episode, tx.episodes().get(row.episode_id));
      if (episode) patient_id = episode->patient_id;
    }
    trail.add_event(system, now, patient_id, "message/" + row.id, "receive", "allowed");
    out.message = std::move(row);
    return out;
  }

  const auto& decision = received.decision;
  row.errors = to_message_errors(decision.errors);
  row.status =
      decision.status == msg::AppRecStatus::ok ? MessageStatus::accepted : MessageStatus::rejected;
  const bool answered = decision.answer || !decision.copy_answers.empty();
  if (!answered) {
    if (row.status == MessageStatus::accepted) row.status = MessageStatus::not_answered;
    row.note = decision.no_answer_reason;
  }
  SAMFLYT_CHECK(correlate_cancellation(
      tx, row, read.envelope && read.envelope->patient ? read.envelope->patient->national_id : "",
      now));
  // Every message that could be read is filed under the episode it is
  // about, so that e.g. a rejected answer shows in the episode's log; only
  // an accepted one changes the episode.
  if (read.message) {
    SAMFLYT_TRY(row.episode_id,
                detail::episode_of_received(tx, row, read.message->envelope, patient_id));
    if (!row.episode_id.empty() && patient_id.empty()) {
      // A message that names no patient is about its episode's patient.
      SAMFLYT_TRY(auto episode, tx.episodes().get(row.episode_id));
      if (episode) patient_id = episode->patient_id;
    }
    if (!row.episode_id.empty() && row.status == MessageStatus::accepted) {
      SAMFLYT_TRY(auto note,
                  detail::apply_message_to_episode(ctx, tx, row.episode_id, *read.message,
                                                   system.principal.user_id, now));
      if (!note.empty()) row.note = note;
    }
  }
  SAMFLYT_CHECK(tx.messages().insert(row));
  trail.add_event(system, now, patient_id, "message/" + row.id, "receive", "allowed");

  // Exactly one AppRec per recognised receiver, for the first copy.
  try {
    if (decision.answer) {
      SAMFLYT_TRY(auto a, queue_apprec(ctx, tx, msg::make_apprec(received, now, ctx.ids.new_id()),
                                       row, now));
      out.apprecs.push_back(std::move(a));
    }
    for (auto index : decision.copy_answers) {
      SAMFLYT_TRY(
          auto a,
          queue_apprec(ctx, tx, msg::make_copy_apprec(received, index, now, ctx.ids.new_id()), row,
                       now));
      out.apprecs.push_back(std::move(a));
    }
  } catch (const std::invalid_argument& e) {
    return apprec_not_written(e.what());
  }
  out.message = std::move(row);
  return out;
}

// Reads and judges every message of the batch, on up to two threads and
// outside the write transaction (msg::receive is pure), then stores them
// all in one transaction, audited as `system`: one commit of the audit log
// and one of the database for the batch.
Result<std::vector<ReceiveOutcome>> receive_as(Context& ctx, const Caller& system,
                                               const std::vector<TransportedMessage>& batch) {
  auto own = ctx.messaging.own_her_ids;
  if (own.empty()) {
    SAMFLYT_TRY(own, in_transaction(ctx.db, TxMode::read, own_her_ids));
  }
  const msg::ReceiveOptions options{ctx.messaging.allow_test_identities, std::move(own),
                                    ctx.messaging.reject_unknown_service};
  std::vector<msg::Received> read(batch.size());
  auto read_range = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i)
      read[i] = msg::receive(batch[i].bytes, ctx.messaging.validator, options);
  };
  if (batch.size() < 8) {
    read_range(0, batch.size());
  } else {
    const std::size_t half = batch.size() / 2;
    auto other = std::async(std::launch::async, read_range, half, batch.size());
    read_range(0, half);
    other.get();
  }

  const Instant now = ctx.clock.now();
  return audited(ctx, system, TxMode::write,
                 [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<ReceiveOutcome>> {
                   std::vector<ReceiveOutcome> out;
                   out.reserve(batch.size());
                   for (std::size_t i = 0; i < batch.size(); ++i) {
                     SAMFLYT_TRY(auto one,
                                 store_received(ctx, tx, trail, system, batch[i], read[i], now));
                     out.push_back(std::move(one));
                   }
                   return out;
                 });
}

Result<ReceiveOutcome> receive_one_as(Context& ctx, const Caller& system,
                                      TransportedMessage message) {
  SAMFLYT_TRY(auto outcomes, receive_as(ctx, system, {std::move(message)}));
  return std::move(outcomes.front());
}

}  // namespace

Result<std::vector<ReceiveOutcome>> receive_messages(Context& ctx,
                                                     const std::vector<TransportedMessage>& batch) {
  if (batch.empty()) return std::vector<ReceiveOutcome>();
  return receive_as(ctx, message_exchange_caller(), batch);
}

Result<ReceiveOutcome> receive_message(Context& ctx, std::string_view bytes,
                                       const std::string& source_name) {
  return receive_one_as(ctx, message_exchange_caller(),
                        TransportedMessage{source_name, std::string(bytes)});
}

Result<void> require_message_exchange_account(const Caller& caller) {
  const auto& who = caller.principal;
  if (who.kind == core::AccountKind::system && who.has_role(core::kMessageExchangeRole)) return {};
  return make_error(ErrorCode::forbidden,
                    "Only a system account with the role meldingsutveksling may post messages.",
                    "Bare en systemkonto med rollen meldingsutveksling kan sende inn meldinger.");
}

Result<ReceiveOutcome> receive_posted_message(Context& ctx, const Caller& caller,
                                              std::string_view bytes) {
  SAMFLYT_CHECK(require_message_exchange_account(caller));
  return receive_one_as(ctx, caller,
                        TransportedMessage{"HTTP from " + caller.principal.display_name +
                                               " (request " + caller.request_id + ")",
                                           std::string(bytes)});
}

}  // namespace samflyt::service
