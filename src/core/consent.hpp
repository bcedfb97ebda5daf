// Consent (samtykke) recorded for an episode, and the one question later
// features ask: "is this allowed now?".
//
// A consent is given by the patient or a guardian, to one purpose, for
// named targets: organisations that may receive documentation
// (send_documentation), or roles the information may be shared with
// (share_with_role). It is in force from `valid_from` until `valid_to`
// (open-ended when absent) unless withdrawn; a withdrawal takes effect at
// its time and is never undone (record a new consent instead).
//
// Pure functions over values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/result.hpp"

namespace samflyt::core {

enum class ConsentPurpose { send_documentation, share_with_role };
std::string_view to_string(ConsentPurpose p);
std::optional<ConsentPurpose> parse_consent_purpose(std::string_view s);

enum class ConsentGiver { patient, guardian };
std::string_view to_string(ConsentGiver g);
std::optional<ConsentGiver> parse_consent_giver(std::string_view s);

struct Consent {
  std::string id;
  std::string episode_id;
  ConsentGiver given_by = ConsentGiver::guardian;
  std::string given_by_name;  // who consented, as they said it
  ConsentPurpose purpose = ConsentPurpose::send_documentation;
  std::vector<std::string> targets;  // organisation ids or role ids
  Instant valid_from{};
  std::optional<Instant> valid_to;
  std::optional<Instant> withdrawn_at;
  std::string recorded_by;  // user id
  Instant recorded_at{};
  std::int64_t version = 1;

  bool in_force(Instant now) const;
};

// Checks a new consent: a name, at least one target, valid_to after
// valid_from, targets of the purpose's kind (role ids must be known roles).
Result<void> check_consent(const Consent& c);

// The consent that allows `purpose` for `target` at `now`, if any.
const Consent* consent_allowing(const std::vector<Consent>& consents, ConsentPurpose purpose,
                                std::string_view target, Instant now);

}  // namespace samflyt::core
