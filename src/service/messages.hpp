// The message exchange's use cases (docs/adr/0008-message-store-and-
// transport.md): the inbox (receive_message), the outbox (queue_message,
// dispatch_outbox), the 96-hour receipt limit, one polling round over a
// transport, and what the API shows of an episode's messages and alerts.
//
// Receiving follows HIS 80415 (README §4): a MsgId is imported once;
// exactly one AppRec is queued per recognised receiver of the first copy
// (msg::receive decides); a rejected message is stored with its reasons;
// an incoming AppRec settles the outgoing message it answers (by
// OriginalMsgId) once, since AppRecs are final; a cancellation (C) is
// linked to its original also when it comes first.
//
// The inbox and the rounds run as the system account "message-exchange"
// and audit each message that carries a patient. Thread-safe as the
// Context is: every call is its own transactions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/message_kind.hpp"
#include "msg/model.hpp"
#include "service/context.hpp"
#include "service/message_watchdog.hpp"
#include "service/ports.hpp"

namespace samflyt::service {

// The display name of a MsgInfo/Type code (kodeverk 8279), e.g. "Melding
// om utskrivningsklar pasient"; the code itself when unknown.
std::string message_type_name(std::string_view msg_type);

// The audit log's name for the message exchange.
Caller message_exchange_caller();

struct ReceiveOutcome {
  std::string source_name;  // the transport's name for what was received
  StoredMessage message;    // the row stored (or, for a duplicate, the first copy's)
  bool duplicate = false;
  // The AppRecs queued in answer (none for a duplicate or an AppRec).
  std::vector<StoredMessage> apprecs;
  // An incoming AppRec: the outgoing message it settled.
  std::optional<StoredMessage> settled;
};

// Reads, judges and stores one received message. Errors are only the
// store's (unavailable, internal): any bytes are stored, with a reason
// when they are rejected.
Result<ReceiveOutcome> receive_message(Context& ctx, std::string_view bytes,
                                       const std::string& source_name);

// Receives a batch in one write transaction: each message read and judged
// as receive_message does, on up to two threads, then all stored with one
// commit of the audit log and one of the database (the group commit that
// makes a backlog quick to take in). Outcomes in the batch's order. Any
// store error rolls back the whole batch; exchange_messages then takes
// the batch one message at a time, so that only the message that fails is
// set aside.
Result<std::vector<ReceiveOutcome>> receive_messages(Context& ctx,
                                                     const std::vector<TransportedMessage>& batch);

// Who may post messages to us (the HTTP transport's endpoint,
// docs/adr/0009-http-message-transport.md): a system account with the
// role meldingsutveksling; forbidden for everyone else.
Result<void> require_message_exchange_account(const Caller& caller);

// A message another system posted to us: refused (forbidden, nothing
// stored) unless require_message_exchange_account allows the caller; then
// as receive_message, audited as that account. Returns once the message
// and its AppRecs are committed.
Result<ReceiveOutcome> receive_posted_message(Context& ctx, const Caller& caller,
                                              std::string_view bytes);

// Queues a message about the episode, by staff with write access to it
// (audited). Sets MsgId and GenDate when they are empty. The message is
// written with msg::write and must pass the checks msg::receive makes of
// a received one, and be about the episode's patient; otherwise
// invalid_input naming the first problem, and nothing is stored.
Result<StoredMessage> queue_message(Context& ctx, const Caller& caller,
                                    const std::string& episode_id, const msg::Message& message);

// A message made from the episode's data (issue 5 §5): the sender and
// receiver are the episode's hospital unit (under its trust) and
// municipality, by their HER-ids; the patient is the episode's; the
// caller signs it with their HPR number when the message names the
// responsible professional. Fields not used by a kind are ignored.
struct OutgoingMessage {
  core::MessageKind kind = core::MessageKind::dialog;
  // The pathway task (a step of kind message sending this kind) that the
  // message carries out; it is marked done.
  std::string task_id;
  // The patient's status (Helseopplysninger), the report's text, the
  // dialog's text, or a remark (avmelding, utskrevet, the answer).
  std::string text;
  // The tentative discharge date (Helseopplysninger; the episode's when
  // absent), the later day a discharge-ready patient is ready from, or the
  // day the municipality can receive the patient (reception_answer).
  std::optional<core::Date> date;
  // When it happened (admitted, ready, withdrawn, discharged; now when
  // absent); for Helseopplysninger before the stay is recorded, the
  // admission (the episode's start when absent).
  std::optional<Instant> at;
  bool can_receive = true;    // reception_answer
  std::string discharged_to;  // kodeverk 8408; "1" (home) when empty
};

// Makes, checks and queues the message by staff with write access who
// work on the sending side. Documentation (core::carries_documentation)
// needs consent in force for the receiving organisation: without it,
// forbidden naming the organisation, and nothing is sent. Sending records
// the message's events in the episode (message_effects.hpp) and completes
// the task, in the same transaction.
Result<StoredMessage> send_message(Context& ctx, const Caller& caller,
                                   const std::string& episode_id, const OutgoingMessage& input);

struct DispatchFailure {
  StoredMessage message;  // still queued
  Error error;            // the transport's reason
};

struct DispatchReport {
  std::vector<StoredMessage> sent;
  std::vector<DispatchFailure> failures;  // one per receiver the transport did not take
};

// Hands the queued messages to the transport, oldest first, and marks each
// sent after the transport took it. A crash between the two sends it
// again with the same MsgId, which the receiver imports once. When the
// transport does not take a message, it and every later message to the
// same receiver stay queued until the next round (so that each receiver
// gets its messages in order); the other receivers' messages still go.
Result<DispatchReport> dispatch_outbox(Context& ctx, MessageTransport& transport);

// Marks no_receipt the sent messages past the 96-hour limit; returns them.
Result<std::vector<StoredMessage>> mark_missing_receipts(Context& ctx);

struct ExchangeReport {
  std::vector<ReceiveOutcome> received;
  std::vector<std::pair<std::string, std::string>> set_aside;  // name, reason
  std::vector<StoredMessage> expired;                          // now no_receipt
  DispatchReport dispatched;
};

// Receives everything the transport has waiting, in batches of
// MessagingSettings::receive_batch messages (receive_messages), and
// acknowledges each batch only after it is committed. Fills `received`
// (without the bytes, which are stored) and `set_aside`.
Result<void> receive_waiting(Context& ctx, MessageTransport& transport, ExchangeReport& report);

// One round: receive_waiting, mark missing receipts, dispatch the outbox.
Result<ExchangeReport> exchange_messages(Context& ctx, MessageTransport& transport);

struct EpisodeMessages {
  std::vector<StoredMessage> messages;  // the episode's and their conversations', oldest first
  std::vector<MessageAlert> alerts;
};

// The episode's messages with status and alerts (read access; audited).
Result<EpisodeMessages> episode_messages(Context& ctx, const Caller& caller,
                                         const std::string& episode_id);

// The alerts of the episodes an organisation runs (as hospital unit or
// municipality, or below it), for its staff; one audit row per patient.
Result<std::vector<MessageAlert>> organisation_message_alerts(Context& ctx, const Caller& caller,
                                                              const std::string& organisation_id);

}  // namespace samflyt::service
