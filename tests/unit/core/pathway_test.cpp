// Unit tests for core/pathway: the real STHF template parses into the
// lanes, steps and checklists of the flowchart, and broken templates are
// refused with a message that names the file, the line and the problem.
#include "core/pathway.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace samflyt::core {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const std::string kSthfPath = SAMFLYT_SOURCE_DIR "/pathways/sthf-child-one-to-one.yaml";

// The 1-based number of the `nth` line of `text` containing `needle`; 0 if none.
int line_containing(std::string_view text, std::string_view needle, int nth = 1) {
  int line = 1;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    if (text.substr(begin, end - begin).find(needle) != std::string_view::npos && --nth == 0)
      return line;
    begin = end + 1;
    ++line;
  }
  return 0;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

// --- the real template -------------------------------------------------

class SthfTemplate : public ::testing::Test {
 protected:
  void SetUp() override {
    text_ = read_file(kSthfPath);
    ASSERT_FALSE(text_.empty()) << "cannot read " << kSthfPath;
    auto parsed = parse_pathway(text_, "sthf-child-one-to-one.yaml");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    template_ = std::move(parsed).value();
  }

  // Planning meeting 1: the meeting due 14 calendar days after the start.
  const Step* planning_meeting_1() const {
    for (const auto& s : template_.steps)
      if (s.kind == StepKind::meeting && s.deadline && s.deadline->days == 14 &&
          s.deadline->unit == DayUnit::calendar_days &&
          s.deadline->anchor == DeadlineRule::Anchor::start)
        return &s;
    return nullptr;
  }

  std::string text_;
  PathwayTemplate template_;
};

TEST_F(SthfTemplate, HasTheFamilyMunicipalityAndHospitalLanes) {
  std::vector<std::string> lanes;
  for (const auto& l : template_.lanes) lanes.push_back(l.id);
  EXPECT_EQ(lanes, (std::vector<std::string>{"family", "municipality", "hospital"}));
  EXPECT_EQ(template_.id, "sthf-child-one-to-one");
}

TEST_F(SthfTemplate, PlanningMeetingOneIsHeldByTheMunicipality) {
  const Step* meeting = planning_meeting_1();
  ASSERT_NE(meeting, nullptr) << "no meeting due 14 calendar days after the start";
  EXPECT_EQ(meeting->lane, "municipality");
  EXPECT_EQ(meeting->title.nb, "Planleggingsmøte 1");
  // Its line points at the step in the file, for error messages and editors.
  EXPECT_EQ(meeting->line, line_containing(text_, "- id: " + meeting->id));
}

TEST_F(SthfTemplate, PlanningMeetingOneListsAllTenRecommendedParticipants) {
  const Step* meeting = planning_meeting_1();
  ASSERT_NE(meeting, nullptr);
  auto participants = std::find_if(meeting->checklists.begin(), meeting->checklists.end(),
                                   [](const Checklist& c) { return c.id == "participants"; });
  ASSERT_NE(participants, meeting->checklists.end());
  std::vector<std::string> items;
  for (const auto& item : participants->items) items.push_back(item.nb);
  for (const char* expected :
       {"Foresatte", "Lege sykehuset", "Sykepleier sykehuset", "Saksbehandler kommunen",
        "Barnekoordinator", "Fysio- og Ergoterapeut", "Hjemmesykepleietjeneste", "Kreftkontakt",
        "Helsesykepleier", "Fastlege"}) {
    EXPECT_NE(std::find(items.begin(), items.end(), expected), items.end())
        << "missing participant: " << expected;
  }
}

TEST_F(SthfTemplate, EveryStepHasNorwegianAndEnglishTitles) {
  ASSERT_FALSE(template_.steps.empty());
  for (const auto& s : template_.steps) {
    EXPECT_FALSE(s.title.nb.empty()) << s.id;
    EXPECT_FALSE(s.title.en.empty()) << s.id;
  }
}

TEST_F(SthfTemplate, VersionIsSixteenHexDigits) {
  ASSERT_EQ(template_.version.size(), 16u);
  EXPECT_TRUE(std::all_of(template_.version.begin(), template_.version.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  })) << template_.version;
}

TEST_F(SthfTemplate, VersionIsTheSameForTheSameTextAndChangesWithOneCharacter) {
  auto again = parse_pathway(std::string(text_), "copy.yaml");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, template_.version);

  std::string edited = text_;
  auto at = edited.find("Planleggingsmøte 1\"");
  ASSERT_NE(at, std::string::npos);
  edited[at] = 'p';  // "planleggingsmøte 1"
  auto changed = parse_pathway(edited, "sthf-child-one-to-one.yaml");
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_NE(changed->version, template_.version);
}

// --- broken templates --------------------------------------------------

// A small valid template head; steps are appended after "steps:".
constexpr std::string_view kHead = R"(id: tiny
title: {nb: Liten mal, en: Tiny template}
lanes:
  - id: family
    title: {nb: Familien, en: The family}
  - id: hospital
    title: {nb: Sykehuset, en: The hospital}
phases:
  - id: plan
    title: {nb: Planlegge, en: Plan}
events:
  - id: discharge_ready
    title: {nb: Utskrivningsklar, en: Ready for discharge}
steps:
)";

struct StepText {
  std::string id = "";
  std::string lane = "hospital";
  std::string phase = "plan";
  std::string role = "sykepleier";
  std::string kind = "task";
  std::string title = "";  // the whole flow map; a valid one when empty
  std::string extra = "";  // further lines, each indented by four spaces
};

std::string step_yaml(const StepText& s) {
  std::string title = s.title.empty() ? "{nb: Steg " + s.id + ", en: Step " + s.id + "}" : s.title;
  return "  - id: " + s.id + "\n    lane: " + s.lane + "\n    phase: " + s.phase +
         "\n    kind: " + s.kind + "\n    role: " + s.role + "\n    title: " + title + "\n" +
         s.extra;
}

std::string template_with(std::initializer_list<StepText> steps) {
  std::string text(kHead);
  for (const auto& s : steps) text += step_yaml(s);
  return text;
}

// Expects `text` to be refused as invalid input with a message that starts
// with "broken.yaml:<line>:" and contains every one of `parts`, in English,
// with a different Norwegian message located the same way.
void expect_refused(const std::string& text, int line,
                    std::initializer_list<std::string_view> parts) {
  SCOPED_TRACE(text);
  ASSERT_GT(line, 0) << "the test could not find the expected line";
  auto parsed = parse_pathway(text, "broken.yaml");
  ASSERT_FALSE(parsed.ok()) << "accepted a broken template";
  const Error& e = parsed.error();
  EXPECT_EQ(e.code, ErrorCode::invalid_input);
  std::string location = "broken.yaml:" + std::to_string(line) + ":";
  EXPECT_TRUE(starts_with(e.message, location)) << "expected " << location << " in: " << e.message;
  for (auto part : parts)
    EXPECT_TRUE(contains(e.message, part)) << "expected '" << part << "' in: " << e.message;
  EXPECT_FALSE(e.message_nb.empty());
  EXPECT_NE(e.message_nb, e.message);
  EXPECT_TRUE(starts_with(e.message_nb, location)) << e.message_nb;
}

TEST(BrokenTemplate, TheSmallTemplateUsedBelowIsValid) {
  auto parsed = parse_pathway(
      template_with({{.id = "a"}, {.id = "b", .extra = "    depends_on: [a]\n"}}), "tiny.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->steps.size(), 2u);
  EXPECT_EQ(parsed->steps[1].depends_on, std::vector<std::string>{"a"});
}

TEST(BrokenTemplate, MessageStepSaysWhatItSends) {
  auto parsed = parse_pathway(
      template_with({{.id = "a", .kind = "message", .extra = "    message: discharge_ready\n"}}),
      "tiny.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->steps[0].message, MessageKind::discharge_ready);
}

TEST(BrokenTemplate, MessageStepWithoutItsMessage) {
  auto text = template_with({{.id = "a"}, {.id = "b", .kind = "message"}});
  expect_refused(text, line_containing(text, "- id: b"), {"kind message", "'message'"});
}

TEST(BrokenTemplate, MessageOnATaskStep) {
  auto text = template_with({{.id = "a", .extra = "    message: dialog\n"}});
  expect_refused(text, line_containing(text, "- id: a"), {"only a step of kind message"});
}

TEST(BrokenTemplate, UnknownMessage) {
  auto text = template_with({{.id = "a", .kind = "message", .extra = "    message: telegram\n"}});
  expect_refused(text, line_containing(text, "message: telegram"),
                 {"unknown message", "'telegram'"});
}

TEST(BrokenTemplate, UnknownLane) {
  auto text = template_with({{.id = "a"}, {.id = "b", .lane = "garden"}});
  expect_refused(text, line_containing(text, "- id: b"), {"'b'", "unknown lane", "'garden'"});
}

TEST(BrokenTemplate, UnknownPhase) {
  auto text = template_with({{.id = "a", .phase = "later"}});
  expect_refused(text, line_containing(text, "- id: a"), {"'a'", "unknown phase", "'later'"});
}

TEST(BrokenTemplate, UnknownRole) {
  auto text = template_with({{.id = "a"}, {.id = "b", .role = "astronaut"}});
  expect_refused(text, line_containing(text, "- id: b"), {"'b'", "unknown role", "'astronaut'"});
}

TEST(BrokenTemplate, DependsOnUnknownStep) {
  auto text = template_with({{.id = "a"}, {.id = "b", .extra = "    depends_on: [a, ghost]\n"}});
  expect_refused(text, line_containing(text, "- id: b"),
                 {"'b'", "depends on unknown step", "'ghost'"});
}

TEST(BrokenTemplate, TwoStepCycle) {
  auto text = template_with({{.id = "a", .extra = "    depends_on: [b]\n"},
                             {.id = "b", .extra = "    depends_on: [a]\n"}});
  expect_refused(text, line_containing(text, "- id: a"), {"dependency cycle", "a -> b -> a"});
}

TEST(BrokenTemplate, ThreeStepCycle) {
  auto text = template_with({{.id = "start"},
                             {.id = "x", .extra = "    depends_on: [start, z]\n"},
                             {.id = "y", .extra = "    depends_on: [x]\n"},
                             {.id = "z", .extra = "    depends_on: [y]\n"}});
  expect_refused(text, line_containing(text, "- id: x"), {"dependency cycle", "x -> z -> y -> x"});
}

TEST(BrokenTemplate, SelfDependency) {
  auto text = template_with({{.id = "a"}, {.id = "b", .extra = "    depends_on: [b]\n"}});
  expect_refused(text, line_containing(text, "- id: b"), {"'b'", "depends on itself"});
}

TEST(BrokenTemplate, DuplicateStepId) {
  auto text = template_with({{.id = "a"}, {.id = "b"}, {.id = "a"}});
  expect_refused(text, line_containing(text, "- id: a", 2), {"duplicate step id", "'a'"});
}

TEST(BrokenTemplate, DuplicateLaneId) {
  std::string text(kHead);
  text.insert(text.find("phases:"), "  - id: family\n    title: {nb: Familie 2, en: Family 2}\n");
  text += step_yaml({.id = "a"});
  expect_refused(text, line_containing(text, "- id: family", 2), {"duplicate lane id", "'family'"});
}

// A step with the given deadline block (lines indented by six spaces).
std::string template_with_deadline(const std::string& deadline_lines) {
  return template_with({{.id = "a"}, {.id = "b", .extra = "    deadline:\n" + deadline_lines}});
}

TEST(BrokenTemplate, DeadlineDaysNegative) {
  auto text = template_with_deadline("      days: -1\n      after: start\n");
  expect_refused(text, line_containing(text, "days: -1"), {"deadline days", "0 to 365"});
}

TEST(BrokenTemplate, DeadlineDaysOverAYear) {
  auto text = template_with_deadline("      days: 400\n      after: start\n");
  expect_refused(text, line_containing(text, "days: 400"), {"deadline days", "0 to 365"});
}

TEST(BrokenTemplate, DeadlineDaysNotANumber) {
  auto text = template_with_deadline("      days: \"x\"\n      after: start\n");
  expect_refused(text, line_containing(text, "days: \"x\""), {"deadline days", "whole number"});
}

TEST(BrokenTemplate, DeadlineUnitWeeks) {
  auto text = template_with_deadline("      days: 2\n      unit: weeks\n      after: start\n");
  expect_refused(text, line_containing(text, "unit: weeks"), {"deadline unit", "'weeks'"});
}

TEST(BrokenTemplate, DeadlineAfterTomorrow) {
  auto text = template_with_deadline("      days: 2\n      after: tomorrow\n");
  expect_refused(text, line_containing(text, "after: tomorrow"),
                 {"deadline 'after'", "'tomorrow'"});
}

TEST(BrokenTemplate, DeadlineAfterUnknownEvent) {
  auto text = template_with_deadline("      days: 2\n      after: event:unknown\n");
  expect_refused(text, line_containing(text, "- id: b"), {"'b'", "unknown event", "'unknown'"});
}

TEST(BrokenTemplate, DeadlineAfterUnknownStep) {
  auto text = template_with_deadline("      days: 2\n      after: step:unknown\n");
  expect_refused(text, line_containing(text, "- id: b"), {"'b'", "unknown step", "'unknown'"});
}

TEST(BrokenTemplate, DeadlineAfterItself) {
  auto text = template_with_deadline("      days: 2\n      after: step:b\n");
  expect_refused(text, line_containing(text, "- id: b"), {"'b'", "deadline after itself"});
}

TEST(BrokenTemplate, DeadlineAfterAStepThatWaitsForThisOne) {
  // a's deadline counts from b being done, but b waits for a: never set.
  auto text = template_with({{.id = "a", .extra = "    deadline: {days: 3, after: step:b}\n"},
                             {.id = "b", .extra = "    depends_on: [a]\n"}});
  expect_refused(text, line_containing(text, "- id: a"),
                 {"dependency cycle", "deadline after", "a -> b -> a"});
}

TEST(BrokenTemplate, AKeyGivenTwiceInAStep) {
  // YAML keeps both; only the first would be read and the second never checked.
  auto text = template_with_deadline("      days: 3\n      after: start\n");
  text += "    deadline: {days: 400, after: start}\n";
  expect_refused(text, line_containing(text, "deadline: {days: 400"),
                 {"key 'deadline' given twice", "step"});
}

TEST(BrokenTemplate, ASecondYamlDocument) {
  auto text = template_with({{.id = "a"}}) + "---\nid: other\n";
  expect_refused(text, line_containing(text, "id: other"), {"one YAML document"});
}

TEST(BrokenTemplate, AnAlsoLaneGivenTwice) {
  auto text = template_with({{.id = "a", .extra = "    also_lanes: [family, family]\n"}});
  expect_refused(text, line_containing(text, "- id: a"), {"repeated also_lane 'family'"});
}

TEST(BrokenTemplate, DeadlinesAfterAKnownEventOrStepAreAccepted) {
  auto parsed = parse_pathway(
      template_with(
          {{.id = "a", .extra = "    deadline: {days: 0, after: event:discharge_ready}\n"},
           {.id = "b", .extra = "    deadline: {days: 365, unit: working_days, after: step:a}\n"}}),
      "tiny.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_TRUE(parsed->steps[0].deadline && parsed->steps[1].deadline);
  EXPECT_EQ(parsed->steps[0].deadline->anchor, DeadlineRule::Anchor::event);
  EXPECT_EQ(parsed->steps[0].deadline->anchor_id, "discharge_ready");
  EXPECT_EQ(parsed->steps[0].deadline->unit, DayUnit::calendar_days);  // the default
  EXPECT_EQ(parsed->steps[1].deadline->anchor, DeadlineRule::Anchor::step);
  EXPECT_EQ(parsed->steps[1].deadline->anchor_id, "a");
  EXPECT_EQ(parsed->steps[1].deadline->unit, DayUnit::working_days);
  EXPECT_EQ(parsed->steps[1].deadline->days, 365);
}

TEST(BrokenTemplate, MisspeltKey) {
  auto text = template_with({{.id = "a"}, {.id = "b", .extra = "    depend_on: [a]\n"}});
  expect_refused(text, line_containing(text, "depend_on"), {"unknown key", "'depend_on'"});
}

TEST(BrokenTemplate, MissingEnglishTitle) {
  auto text = template_with({{.id = "a"}, {.id = "b", .title = "{nb: Bare norsk}"}});
  expect_refused(text, line_containing(text, "Bare norsk"), {"missing 'en'", "title"});
}

TEST(BrokenTemplate, YamlSyntaxError) {
  auto text = template_with({{.id = "a"}, {.id = "b", .title = "{nb: Steg b, en: Step b"}});
  auto parsed = parse_pathway(text, "broken.yaml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
  EXPECT_TRUE(starts_with(parsed.error().message, "broken.yaml:")) << parsed.error().message;
  EXPECT_TRUE(contains(parsed.error().message, "YAML syntax error")) << parsed.error().message;
  EXPECT_NE(parsed.error().message_nb, parsed.error().message);

  // A line that is not indented like its neighbours.
  std::string misaligned = template_with({{.id = "a", .extra = "   depends_on: []\n"}});
  expect_refused(misaligned, line_containing(misaligned, "depends_on"), {"YAML syntax error"});
}

TEST(BrokenTemplate, EmptySteps) {
  std::string text = std::string(kHead.substr(0, kHead.size() - 1)) + " []\n";
  auto parsed = parse_pathway(text, "broken.yaml");
  ASSERT_FALSE(parsed.ok()) << "accepted a template without steps";
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_input);
  EXPECT_TRUE(starts_with(parsed.error().message, "broken.yaml:")) << parsed.error().message;
  EXPECT_TRUE(contains(parsed.error().message, "at least one")) << parsed.error().message;
  EXPECT_NE(parsed.error().message_nb, parsed.error().message);
}

TEST(BrokenTemplate, EmptyStepsPointsAtTheStepsLine) {
  std::string text = std::string(kHead.substr(0, kHead.size() - 1)) + " []\n";
  expect_refused(text, line_containing(text, "steps: []"), {"at least one", "step"});
}

}  // namespace
}  // namespace samflyt::core
