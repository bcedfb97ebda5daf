#include "core/consent.hpp"

#include <algorithm>

#include "core/roles.hpp"
#include "core/text.hpp"

namespace samflyt::core {

std::string_view to_string(ConsentPurpose p) {
  return p == ConsentPurpose::send_documentation ? "send_documentation" : "share_with_role";
}

std::optional<ConsentPurpose> parse_consent_purpose(std::string_view s) {
  if (s == "send_documentation") return ConsentPurpose::send_documentation;
  if (s == "share_with_role") return ConsentPurpose::share_with_role;
  return std::nullopt;
}

std::string_view to_string(ConsentGiver g) {
  return g == ConsentGiver::patient ? "patient" : "guardian";
}

std::optional<ConsentGiver> parse_consent_giver(std::string_view s) {
  if (s == "patient") return ConsentGiver::patient;
  if (s == "guardian") return ConsentGiver::guardian;
  return std::nullopt;
}

bool Consent::in_force(Instant now) const {
  if (now < valid_from) return false;
  if (valid_to && now >= *valid_to) return false;
  if (withdrawn_at && now >= *withdrawn_at) return false;
  return true;
}

Result<void> check_consent(const Consent& c) {
  SAMFLYT_CHECK(check_text(c.given_by_name, 200, false, "given_by_name"));
  if (c.given_by_name.empty())
    return make_error(ErrorCode::invalid_input, "Say who gave the consent.",
                      "Oppgi hvem som ga samtykket.", "given_by_name");
  if (c.targets.empty())
    return make_error(ErrorCode::invalid_input, "A consent needs at least one target.",
                      "Et samtykke må gjelde minst én mottaker.", "targets");
  if (c.purpose == ConsentPurpose::share_with_role)
    for (const auto& role : c.targets)
      if (!find_role(role))
        return make_error(ErrorCode::invalid_input, "Unknown role in targets: " + role + ".",
                          "Ukjent rolle i targets: " + role + ".", "targets");
  if (c.valid_to && *c.valid_to <= c.valid_from)
    return make_error(ErrorCode::invalid_input, "valid_to must be after valid_from.",
                      "valid_to må være etter valid_from.", "valid_to");
  return {};
}

const Consent* consent_allowing(const std::vector<Consent>& consents, ConsentPurpose purpose,
                                std::string_view target, Instant now) {
  for (const auto& c : consents)
    if (c.purpose == purpose && c.in_force(now) &&
        std::find(c.targets.begin(), c.targets.end(), target) != c.targets.end())
      return &c;
  return nullptr;
}

}  // namespace samflyt::core
