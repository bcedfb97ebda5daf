// Pathway templates (pasientforløp): the steps a transition consists of,
// in lanes (one per actor) and phases (left to right), with dependencies,
// deadline rules and checklists. Templates are data (pathways/*.yaml) and
// are versioned by the hash of their text: an episode keeps the version it
// started with.
//
// Template file format (YAML; unknown keys are refused, so typos surface):
//
//   id: sthf-child-one-to-one              # [a-z0-9_-]+
//   title: {nb: ..., en: ...}
//   description: {nb: ..., en: ...}        # optional
//   source: free text                       # optional: where the flow comes from
//   lanes:  [{id: family, title: {nb, en}}, ...]
//   phases: [{id: plan, title: {nb, en}}, ...]           # in time order
//   events: [{id: discharge_ready, title: {nb, en}}, ...] # optional; anchors
//   steps:
//     - id: plan-discharge
//       lane: hospital                      # the lane that owns the step
//       also_lanes: [municipality]          # optional: lanes taking part
//       phase: plan
//       kind: task                          # task | meeting | message | form
//       message: admission_notice           # kind message only, and required there:
//                                           # what it sends (core/message_kind.hpp)
//       role: sykepleier                    # responsible role (core/roles.hpp)
//       title: {nb: ..., en: ...}
//       description: {nb: ..., en: ...}     # optional
//       depends_on: [other-step, ...]       # optional
//       deadline:                           # optional
//         days: 14                          # 0..365
//         unit: calendar_days               # or working_days (default calendar)
//         after: start                      # or event:<event-id> or step:<step-id>
//       checklists:                         # optional
//         - id: participants
//           title: {nb: Anbefalte deltakere, en: Recommended participants}
//           items: [{nb: Foresatte, en: Guardians}, ...]
//
// A deadline "N days after X" means: by the end of the Oslo calendar day
// that is N calendar (or working) days after the Oslo day on which X
// happened.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message_kind.hpp"
#include "core/result.hpp"

namespace samflyt::core {

struct Text {
  std::string nb;
  std::string en;
};

struct Lane {
  std::string id;
  Text title;
};

struct Phase {
  std::string id;
  Text title;
};

struct EventDef {
  std::string id;
  Text title;
};

enum class StepKind { task, meeting, message, form };
std::string_view to_string(StepKind k);

enum class DayUnit { calendar_days, working_days };
std::string_view to_string(DayUnit u);

struct DeadlineRule {
  enum class Anchor { start, event, step };
  int days = 0;
  DayUnit unit = DayUnit::calendar_days;
  Anchor anchor = Anchor::start;
  std::string anchor_id;  // event or step id; empty for start
};

struct Checklist {
  std::string id;
  Text title;
  std::vector<Text> items;
};

struct Step {
  std::string id;
  std::string lane;
  std::vector<std::string> also_lanes;
  std::string phase;
  StepKind kind = StepKind::task;
  std::optional<MessageKind> message;  // what a step of kind message sends
  std::string role;
  Text title;
  Text description;
  std::vector<std::string> depends_on;
  std::optional<DeadlineRule> deadline;
  std::vector<Checklist> checklists;
  int line = 0;  // line in the template file, for error messages
};

struct PathwayTemplate {
  std::string id;
  std::string version;  // content hash of the file text (16 hex digits)
  Text title;
  Text description;
  std::string source;
  std::vector<Lane> lanes;
  std::vector<Phase> phases;
  std::vector<EventDef> events;
  std::vector<Step> steps;  // in file order

  const Step* find_step(std::string_view step_id) const;
  const Lane* find_lane(std::string_view lane_id) const;
  const Phase* find_phase(std::string_view phase_id) const;
  const EventDef* find_event(std::string_view event_id) const;
};

// Parses and validates template text. `file_name` is only used in error
// messages, which name the file, the line and the problem, e.g.
// "sthf.yaml:42: step 'x' depends on unknown step 'y'". Refused: YAML syntax
// errors, unknown or missing keys, duplicate ids, unknown lanes, phases,
// roles, events or steps, dependency cycles, bad deadlines.
Result<PathwayTemplate> parse_pathway(std::string_view text, std::string_view file_name);

// The content hash used as a template version: 64-bit FNV-1a of the text,
// as 16 lowercase hex digits. Stable across platforms and releases.
std::string content_version(std::string_view text);

}  // namespace samflyt::core
