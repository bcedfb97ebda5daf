// Internal to the use cases: what a PLO or dialog message, sent or
// received, does to the episode it is about (issue 5's pathway
// integration). The message is the record; the episode follows it:
//
// - the hospital stay's events (msg::stay_events_of) go into the
//   discharge-ready ledger, by the same rules as events staff record
//   (an `admitted` the stay already has is skipped);
// - admitted, declared discharge-ready and discharged become the
//   pathway's events of those names, when the template has them, so that
//   deadlines counting from them start;
// - the expected discharge-ready day becomes the episode's tentative
//   discharge date.
//
// What cannot be applied (e.g. a discharge-ready notice for a stay that
// is over) is left out and described in the returned note; the message
// itself stands. Only store failures are errors.
#pragma once

#include <string>
#include <vector>

#include "msg/model.hpp"
#include "service/context.hpp"
#include "service/use_cases.hpp"

namespace samflyt::service::detail {

// Appends one event to the episode's stays (`events` are its current
// events, and get the new one): `admitted` begins a new stay after the
// last one's discharge; any other event belongs to the last stay. Refused
// when the stay's events would no longer make a ledger. Returns every
// stay's ledger. (discharge_ledger.cpp)
Result<std::vector<StayLedger>> add_stay_event(Context& ctx, Transaction& tx,
                                               const std::string& episode_id,
                                               std::vector<StoredStayEvent>& events,
                                               const core::StayEvent& event,
                                               const std::string& recorded_by, Instant now);

// Records a pathway event (between the episode's start and now) and
// refreshes the deadlines that count from it; saves the episode.
// (record_event.cpp)
Result<void> add_episode_event(Transaction& tx, const core::PathwayTemplate& pathway,
                               core::Episode& episode, const std::string& event_id, Instant when,
                               Instant now);

// Writes the message, checks it as a receiver would, and queues it in the
// outbox for the episode (queue_message.cpp); invalid_input naming the
// first problem.
Result<StoredMessage> queue_outgoing(Context& ctx, Transaction& tx, const core::Episode& episode,
                                     const msg::Message& m, Instant now);

// Applies the message to the episode as above; returns the note (English,
// empty when everything was applied).
Result<std::string> apply_message_to_episode(Context& ctx, Transaction& tx,
                                             const std::string& episode_id, const msg::Message& m,
                                             const std::string& recorded_by, Instant now);

// The episode a received message is about: the episode of the
// conversation it continues (when the message names no patient, or that
// episode's patient), else the patient's episode run by the
// organisations the message goes between (by HER-id; both of them
// preferred to one, a running episode to a completed one); empty when none.
Result<std::string> episode_of_received(Transaction& tx, const StoredMessage& row,
                                        const msg::Envelope& envelope,
                                        const std::string& patient_id);

}  // namespace samflyt::service::detail
