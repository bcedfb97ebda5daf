// The real clock and id generator (the door to the OS for time and
// randomness, so that tests can substitute deterministic ones).
#pragma once

#include "service/ports.hpp"

namespace samflyt::store {

class SystemClock final : public service::Clock {
 public:
  service::Instant now() override;
};

// Random version-4 UUIDs from libsodium's CSPRNG: public ids reveal
// neither order nor count.
class RandomIds final : public service::IdGenerator {
 public:
  RandomIds();  // initialises libsodium; throws if it cannot
  std::string new_id() override;
};

}  // namespace samflyt::store
