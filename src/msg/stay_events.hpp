// What a discharge message says about the hospital stay, as events of the
// discharge-ready ledger (core/discharge_ledger.hpp), so that sending or
// receiving the PLO and dialog messages keeps the ledger without anyone
// typing the events in:
//
//   Helseopplysninger, varsel (9140 V=1)  -> admission_notice at GenDate
//   Helseopplysninger with an innlagt
//     event (9121 V=1) in OpplysningOpphold -> admitted at the event's time, first
//   LOG_INNLAGT                           -> admitted at the event's time
//   LOG_UTSKRIVNINGSKLAR                  -> admitted at its innlagt event's time,
//                                            declared_ready at GenDate (or the
//                                            ready event's earlier time), ready
//                                            from the event's later day if any;
//                                            ready_notice at GenDate
//   Dialogmelding 7322 V=7, can receive   -> municipality_can_receive at GenDate, with the day
//   Dialogmelding 7322 V=7, cannot        -> municipality_cannot_receive at GenDate
//   LOG_AVMELDING                         -> withdrawn at the event's time
//   LOG_UTSKREVET                         -> discharged at the event's time
//
// A time known only to the day counts from the start of that Oslo day.
// An `admitted` event repeats what the stay's first message said; whoever
// records the events skips it when the stay has begun.
// Cancellations (Forsendelsesstatus C) and other messages give no events:
// correlating a cancellation with what it cancels is the inbox's work.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "core/discharge_ledger.hpp"
#include "msg/model.hpp"

namespace samflyt::msg {

std::vector<core::StayEvent> stay_events_of(const Message& m);

// The Oslo day the message says the patient is (expected to be)
// discharge-ready: the 9121 V=3 event of Helseopplysninger or of
// LOG_UTSKRIVNINGSKLAR (the tentative discharge date, tentativ ut-dato).
std::optional<core::Date> expected_ready_day(const Message& m);

}  // namespace samflyt::msg
