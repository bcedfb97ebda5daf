#include "core/pathway.hpp"

#include <cstdio>

namespace samflyt::core {

std::string_view to_string(StepKind k) {
  switch (k) {
    case StepKind::task:
      return "task";
    case StepKind::meeting:
      return "meeting";
    case StepKind::message:
      return "message";
    case StepKind::form:
      return "form";
  }
  return "task";
}

std::string_view to_string(DayUnit u) {
  return u == DayUnit::working_days ? "working_days" : "calendar_days";
}

namespace {
template <typename T>
const T* find_by_id(const std::vector<T>& items, std::string_view id) {
  for (const auto& item : items)
    if (item.id == id) return &item;
  return nullptr;
}
}  // namespace

const Step* PathwayTemplate::find_step(std::string_view step_id) const {
  return find_by_id(steps, step_id);
}
const Lane* PathwayTemplate::find_lane(std::string_view lane_id) const {
  return find_by_id(lanes, lane_id);
}
const Phase* PathwayTemplate::find_phase(std::string_view phase_id) const {
  return find_by_id(phases, phase_id);
}
const EventDef* PathwayTemplate::find_event(std::string_view event_id) const {
  return find_by_id(events, event_id);
}

std::string content_version(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace samflyt::core
