// The catalogue of roles (roller) a person can hold, and that a pathway
// step can name as responsible. Ids are the Norwegian role names used in
// the health services; titles are bokmål and English.
#pragma once

#include <array>
#include <string_view>

namespace samflyt::core {

struct RoleDef {
  std::string_view id;
  std::string_view nb;
  std::string_view en;
};

inline constexpr std::array<RoleDef, 21> kRoles{{
    {"sykepleier", "Sykepleier", "Nurse"},
    {"lege", "Lege", "Doctor"},
    {"saksbehandler", "Saksbehandler", "Case worker"},
    {"barnekoordinator", "Barnekoordinator", "Child coordinator"},
    {"koordinator", "Koordinator", "Coordinator"},
    {"hjemmesykehus", "Hjemmesykehus", "Hospital at home"},
    {"kartleggingsteam", "Kartleggingsteam", "Assessment team"},
    {"leder", "Leder", "Manager"},
    {"admin", "Administrator", "Administrator"},
    {"fastlege", "Fastlege", "Regular GP"},
    {"helsesykepleier", "Helsesykepleier", "Public health nurse"},
    {"fysioterapeut", "Fysioterapeut", "Physiotherapist"},
    {"ergoterapeut", "Ergoterapeut", "Occupational therapist"},
    {"hjemmesykepleie", "Hjemmesykepleie", "Home nursing"},
    {"kreftkontakt", "Kreftkontakt", "Cancer contact"},
    {"barnepalliasjonsteam", "Barnepalliasjonsteam", "Children's palliative team"},
    {"tildelingskontor", "Tildelingskontor", "Allocation office"},
    {"foresatt", "Foresatt", "Guardian"},
    {"pasient", "Pasient", "Patient"},
    {"behandlingsteam", "Behandlingsteam", "Treatment team"},
    // Held only by system accounts: another Samflyt (or a message service)
    // that posts PLO messages and AppRecs to us (docs/adr/0009).
    {"meldingsutveksling", "Meldingsutveksling", "Message exchange"},
}};

// The role of the system accounts that may post messages to us.
inline constexpr std::string_view kMessageExchangeRole = "meldingsutveksling";

inline const RoleDef* find_role(std::string_view id) {
  for (const auto& r : kRoles)
    if (r.id == id) return &r;
  return nullptr;
}

// A role that staff hold (not a family member's).
inline bool is_staff_role(std::string_view id) {
  return find_role(id) != nullptr && id != "foresatt" && id != "pasient" &&
         id != kMessageExchangeRole;
}

}  // namespace samflyt::core
