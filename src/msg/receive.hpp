// Receiving a message: the one function the inbox and `samflyt msg
// inspect` both use to read bytes from outside and decide the AppRec
// (applikasjonskvittering) Samflyt answers with.
//
// How the decision is made (HIS 80415:2012 §4.8, HITS 1168; the table in
// docs/adr/0006-message-codecs.md):
//   - not XML, not well-formed, a DOCTYPE or entities        -> 2 Avvist, T01
//   - a document type, MIG version or content namespace we do not support -> T10
//   - with a Validator: not valid against the official schemas -> T02
//     (OT: the first schema error); without one, missing required
//     elements -> T02
//   - MsgId not a UUID -> E10; patient not identified -> E36; no HER-id
//     for the receiver -> E21; a reply, change or cancellation without
//     ConversationRef, or a type that does not match the content -> X99
//     with the reason in OT
//   - otherwise 1 OK.
// Whether an AppRec is sent at all: never for an AppRec; not when the
// sender's HER-id cannot be read (nowhere to send it: README §4.5), nor
// when ReceiveOptions::own_her_ids is set and the message is addressed to
// none of them (another organisation's message; a copy receiver that is
// ours still gets its own AppRec, HITS 1168 §4.3). Addressed to one of our
// organisations but to a service we do not have: E21 when
// reject_unknown_service is on (the standard's configuration switch).
// AppRec 1.1 answers PLO 1.6 and Dialogmelding 1.1; AppRec 1.0 answers PLO
// 1.5 and Dialogmelding 1.0 (HITS 1168 §8.3).
//
// Thread-safe: receive() has no shared state; the Validator may be shared.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "msg/codec.hpp"
#include "msg/validator.hpp"

namespace samflyt::msg {

struct ReceiveOptions {
  bool allow_test_identities = false;  // see ReadOptions
  // The HER-ids of this deployment's organisations and their services;
  // empty: the addressee is not checked.
  std::vector<std::int64_t> own_her_ids;
  // HIS 80415 "KAN": reject with E21 a message addressed to one of our
  // organisations but to a service (nested Organisation) that is not ours.
  // Off: such a message is accepted at the organisation.
  bool reject_unknown_service = false;
};

struct AppRecDecision {
  // Whether an AppRec is sent for the Receiver (make_apprec).
  bool answer = false;
  // The copy receivers (Envelope::copy_receivers indices) that are ours and
  // get their own AppRec (make_copy_apprec): only when own_her_ids is set.
  std::vector<std::size_t> copy_answers;
  std::string no_answer_reason;  // English, when no AppRec at all is sent
  AppRecVersion version = AppRecVersion::v11;
  AppRecStatus status = AppRecStatus::rejected;
  std::vector<AppRecError> errors;  // empty when status is ok
};

struct Received {
  ReadResult read;
  AppRecDecision decision;
};

// `validator` may be null: then only the structural and semantic checks run.
Received receive(std::string_view bytes, const Validator* validator,
                 const ReceiveOptions& options = {});

// The AppRec answering a received message (decision.answer must be true):
// Sender mirrors the original Receiver (Role PRIM in 1.1; no role in 1.0),
// Receiver mirrors the original Sender (Role AVS in 1.1), OriginalMsgId
// carries the original's type, GenDate and MsgId. `id` is the AppRec's own
// UUID, `now` its GenDate. Throws std::invalid_argument when the decision
// says no AppRec is to be sent.
AppRec make_apprec(const Received& received, core::Instant now, std::string id);

// The AppRec of a copy receiver (Envelope::copy_receivers[copy_index],
// Role COP in 1.1): one per recognised receiver in the organisation.
// Throws std::invalid_argument unless decision.copy_answers holds the index.
AppRec make_copy_apprec(const Received& received, std::size_t copy_index, core::Instant now,
                        std::string id);

}  // namespace samflyt::msg
