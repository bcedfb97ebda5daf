// The health community (helsefellesskap): organisations, their staff, and
// patients.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/calendar.hpp"

namespace samflyt::core {

enum class OrgKind {
  hospital_trust,       // helseforetak (HF)
  hospital_unit,        // avdeling / seksjon in a hospital
  municipality,         // kommune
  municipal_service,    // e.g. hjemmesykepleie, tildelingskontor
  intermunicipal_team,  // interkommunalt kartleggingsteam
};
std::string_view to_string(OrgKind k);
std::optional<OrgKind> parse_org_kind(std::string_view s);

struct Organisation {
  std::string id;
  std::string name;
  OrgKind kind = OrgKind::municipality;
  std::string org_number;  // 9 digits, validated; may be empty for units
  std::optional<std::int64_t> her_id;
  std::string parent_id;  // empty for top-level organisations
};

// Health personnel and other staff (ansatte).
struct Staff {
  std::string id;
  std::string name;
  std::string organisation_id;
  std::string role;  // core/roles.hpp
  std::string email;
  std::string phone;
};

struct Patient {
  std::string id;
  std::string national_id;  // validated fødselsnummer, D-number, or test identity
  std::string name;
  std::string municipality_id;
  std::optional<Date> birth_date;
  std::int64_t version = 1;
  Instant created_at{};
};

}  // namespace samflyt::core
