// The messages a pathway sends (meldinger): which PLO or dialog message a
// step or a person sends, which side of the transition sends it, and
// whether it carries documentation (helseopplysninger), which may only be
// sent to an organisation the patient or a guardian has consented to
// (core/consent.hpp). The logistics notices (innlagt, utskrivningsklar,
// avmelding, utskrevet) and the municipality's answer about receiving a
// discharge-ready patient are required by the discharge-ready rules
// (forskrift om kommunal betaling for utskrivningsklare pasienter) and
// need no consent.
//
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace samflyt::core {

enum class MessageKind {
  admission_notice,           // Helseopplysninger, varsel om innlagt pasient (9140 V=1)
  health_update,              // Helseopplysninger, oppdaterte opplysninger (9140 V=2)
  admitted,                   // Melding om innlagt pasient (LOG_INNLAGT)
  discharge_ready,            // Melding om utskrivningsklar pasient (LOG_UTSKRIVNINGSKLAR)
  discharge_ready_cancelled,  // Avmelding av utskrivningsklar pasient (LOG_AVMELDING)
  discharged,                 // Melding om utskrevet pasient (LOG_UTSKREVET)
  discharge_report,           // Utskrivningsrapport
  reception_answer,           // the municipality's answer (Dialogmelding, 7322 V=7)
  dialog,                     // Helsefaglig dialog: a note to the other side
};

std::string_view to_string(MessageKind k);
std::optional<MessageKind> parse_message_kind(std::string_view s);

// Who sends a kind of message: the hospital, the municipality, or either.
enum class MessageSide { hospital, municipality, either };
MessageSide sender_side(MessageKind k);

// Whether the message carries health information about the patient, so
// that sending it needs consent for the receiving organisation.
bool carries_documentation(MessageKind k);

}  // namespace samflyt::core
