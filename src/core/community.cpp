#include "core/community.hpp"

namespace samflyt::core {

namespace {
constexpr OrgKind kKinds[] = {OrgKind::hospital_trust, OrgKind::hospital_unit,
                              OrgKind::municipality, OrgKind::municipal_service,
                              OrgKind::intermunicipal_team};
}

std::string_view to_string(OrgKind k) {
  switch (k) {
    case OrgKind::hospital_trust:
      return "hospital_trust";
    case OrgKind::hospital_unit:
      return "hospital_unit";
    case OrgKind::municipality:
      return "municipality";
    case OrgKind::municipal_service:
      return "municipal_service";
    case OrgKind::intermunicipal_team:
      return "intermunicipal_team";
  }
  return "municipality";
}

std::optional<OrgKind> parse_org_kind(std::string_view s) {
  for (auto k : kKinds)
    if (to_string(k) == s) return k;
  return std::nullopt;
}

}  // namespace samflyt::core
