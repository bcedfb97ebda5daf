// Unit tests for core/episode: planning an episode's tasks, deadlines in
// Oslo calendar and working days, the task state rules, overdue tasks and
// "what is next" per lane.
#include "core/episode.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/text.hpp"

namespace samflyt::core {
namespace {

using namespace std::chrono_literals;

Instant at(std::string_view rfc3339) {
  auto t = parse_instant(rfc3339);
  if (!t) throw std::invalid_argument("bad instant in test: " + std::string(rfc3339));
  return *t;
}

// Three lanes; "apply" waits for "assess", "go-home" for "apply" and
// "family-needs", "follow-up" for "go-home".
constexpr std::string_view kTemplate = R"(id: small
title: {nb: Lite forløp, en: Small pathway}
lanes:
  - id: family
    title: {nb: Familien, en: The family}
  - id: municipality
    title: {nb: Kommunen, en: The municipality}
  - id: hospital
    title: {nb: Sykehuset, en: The hospital}
phases:
  - id: plan
    title: {nb: Planlegge, en: Plan}
  - id: home
    title: {nb: Hjemme, en: At home}
events:
  - id: discharge_ready
    title: {nb: Utskrivningsklar, en: Ready for discharge}
steps:
  - id: family-needs
    lane: family
    phase: plan
    kind: task
    role: foresatt
    title: {nb: Familiens behov, en: The family's needs}
  - id: establish-team
    lane: hospital
    phase: plan
    kind: task
    role: sykepleier
    title: {nb: Etablere team, en: Establish the team}
  - id: assess
    lane: hospital
    phase: plan
    kind: task
    role: sykepleier
    title: {nb: Kartlegge behov, en: Assess needs}
    deadline: {days: 14, unit: calendar_days, after: start}
  - id: send-plo
    lane: hospital
    phase: plan
    kind: message
    message: admission_notice
    role: sykepleier
    title: {nb: Sende PLO, en: Send PLO}
    deadline: {days: 1, after: start}
  - id: apply
    lane: municipality
    phase: plan
    kind: form
    role: saksbehandler
    title: {nb: Søke tjenester, en: Apply for services}
    depends_on: [assess]
    deadline: {days: 2, unit: working_days, after: start}
  - id: go-home
    lane: hospital
    phase: home
    kind: task
    role: sykepleier
    title: {nb: Hjemreise, en: Going home}
    depends_on: [apply, family-needs]
    deadline: {days: 0, after: event:discharge_ready}
  - id: follow-up
    lane: municipality
    phase: home
    kind: task
    role: koordinator
    title: {nb: Oppfølging, en: Follow-up}
    depends_on: [go-home]
    deadline: {days: 7, after: step:go-home}
)";

// Task indexes, in template order.
constexpr std::size_t kFamilyNeeds = 0, kEstablishTeam = 1, kAssess = 2, kSendPlo = 3, kApply = 4,
                      kGoHome = 5, kFollowUp = 6;

PathwayTemplate small_template() {
  auto t = parse_pathway(kTemplate, "small.yaml");
  if (!t) throw std::runtime_error(t.error().message);
  return std::move(t).value();
}

Episode episode_started(Instant started) {
  Episode e;
  e.id = "episode-1";
  e.patient_id = "patient-1";
  e.pathway_id = "small";
  e.hospital_unit_id = "unit-paediatrics";
  e.municipality_id = "municipality-skien";
  e.started_at = started;
  return e;
}

// Ids "task-1", "task-2", ... in the order they are asked for.
struct CountingIds {
  int n = 0;
  std::string operator()() { return "task-" + std::to_string(++n); }
};

class EpisodeTest : public ::testing::Test {
 protected:
  void plan(Instant started) {
    episode_ = episode_started(started);
    CountingIds ids;
    tasks_ = plan_tasks(template_, episode_, started, std::ref(ids));
  }

  Result<std::vector<std::size_t>> set_state(std::size_t index, TaskState to, Instant now,
                                             std::string reason = {}) {
    TaskChange change;
    change.state = to;
    if (!reason.empty()) change.reason = std::move(reason);
    return change_task(template_, episode_, tasks_, index, change, now);
  }

  // Marks a task done, failing the test if refused.
  void complete(std::size_t index, Instant now) {
    auto r = set_state(index, TaskState::done, now);
    ASSERT_TRUE(r.ok()) << tasks_[index].step_id << ": " << r.error().message;
  }

  PathwayTemplate template_ = small_template();
  Episode episode_;
  std::vector<Task> tasks_;
};

// A summary of what a user sees of each task, to compare before and after.
std::string describe(const std::vector<Task>& tasks) {
  std::string out;
  for (const auto& t : tasks)
    out += t.step_id + " " + std::string(to_string(t.state)) + " ready=" + std::to_string(t.ready) +
           " due=" + (t.due_at ? format_instant(*t.due_at) : "-") +
           " finished=" + (t.finished_at ? format_instant(*t.finished_at) : "-") +
           " v=" + std::to_string(t.version) + " reason=" + t.reason + " note=" + t.note +
           " assignee=" + t.assignee_id + "\n";
  return out;
}

// --- planning ------------------------------------------------------------

TEST_F(EpisodeTest, PlansOneOpenTaskPerStepInTemplateOrder) {
  plan(at("2026-03-27T10:00:00Z"));
  ASSERT_EQ(tasks_.size(), template_.steps.size());
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    SCOPED_TRACE(template_.steps[i].id);
    EXPECT_EQ(tasks_[i].id, "task-" + std::to_string(i + 1));
    EXPECT_EQ(tasks_[i].episode_id, "episode-1");
    EXPECT_EQ(tasks_[i].step_id, template_.steps[i].id);
    EXPECT_EQ(tasks_[i].seq, static_cast<int>(i));
    EXPECT_EQ(tasks_[i].lane, template_.steps[i].lane);
    EXPECT_EQ(tasks_[i].phase, template_.steps[i].phase);
    EXPECT_EQ(tasks_[i].state, TaskState::open);
    EXPECT_EQ(tasks_[i].version, 1);
    EXPECT_FALSE(tasks_[i].finished_at);
    EXPECT_EQ(tasks_[i].updated_at, at("2026-03-27T10:00:00Z"));
  }
}

TEST_F(EpisodeTest, TasksBelongToTheOrganisationOfTheirLane) {
  plan(at("2026-03-27T10:00:00Z"));
  EXPECT_EQ(tasks_[kAssess].organisation_id, "unit-paediatrics");   // hospital lane
  EXPECT_EQ(tasks_[kApply].organisation_id, "municipality-skien");  // municipality lane
  EXPECT_EQ(tasks_[kFamilyNeeds].organisation_id, "");              // the family's own
  EXPECT_EQ(lane_organisation(episode_, "hospital"), "unit-paediatrics");
  EXPECT_EQ(lane_organisation(episode_, "municipality"), "municipality-skien");
  EXPECT_EQ(lane_organisation(episode_, "family"), "");
}

TEST_F(EpisodeTest, OnlyTasksWithoutPendingDependenciesAreReady) {
  plan(at("2026-03-27T10:00:00Z"));
  EXPECT_TRUE(tasks_[kFamilyNeeds].ready);
  EXPECT_TRUE(tasks_[kEstablishTeam].ready);
  EXPECT_TRUE(tasks_[kAssess].ready);
  EXPECT_TRUE(tasks_[kSendPlo].ready);
  EXPECT_FALSE(tasks_[kApply].ready);
  EXPECT_FALSE(tasks_[kGoHome].ready);
  EXPECT_FALSE(tasks_[kFollowUp].ready);
  EXPECT_EQ(waiting_for(template_, tasks_[kGoHome], tasks_),
            (std::vector<std::string>{"apply", "family-needs"}));
}

// --- deadlines -------------------------------------------------------------

TEST_F(EpisodeTest, CalendarDayDeadlineEndsAtOsloMidnightInSummerTime) {
  // Friday 27 March 2026 (CET) + 14 days = Friday 10 April (CEST, UTC+2).
  plan(at("2026-03-27T10:00:00Z"));
  ASSERT_TRUE(tasks_[kAssess].due_at);
  EXPECT_EQ(*tasks_[kAssess].due_at, at("2026-04-10T21:59:59Z"));
  ASSERT_TRUE(tasks_[kSendPlo].due_at);
  EXPECT_EQ(*tasks_[kSendPlo].due_at, at("2026-03-28T22:59:59Z"));  // still winter time
  EXPECT_FALSE(tasks_[kFamilyNeeds].due_at);                        // no rule, no deadline
}

TEST_F(EpisodeTest, CalendarDaysCountFromTheOsloDayNotTheUtcDay) {
  // 23:30 UTC on 26 March is already 27 March in Oslo.
  plan(at("2026-03-26T23:30:00Z"));
  ASSERT_TRUE(tasks_[kAssess].due_at);
  EXPECT_EQ(*tasks_[kAssess].due_at, at("2026-04-10T21:59:59Z"));
}

TEST_F(EpisodeTest, WorkingDayDeadlineSkipsEaster) {
  // Wednesday 1 April 2026; Maundy Thursday, Good Friday, the weekend and
  // Easter Monday are not working days: + 2 working days = Wednesday 8 April.
  plan(at("2026-04-01T08:00:00Z"));
  ASSERT_TRUE(tasks_[kApply].due_at);
  EXPECT_EQ(*tasks_[kApply].due_at, at("2026-04-08T21:59:59Z"));
}

TEST_F(EpisodeTest, EventDeadlineAppearsWhenTheEventIsRecorded) {
  plan(at("2026-04-01T08:00:00Z"));
  EXPECT_FALSE(tasks_[kGoHome].due_at);

  // 23:30 UTC on 15 April is 01:30 on 16 April in Oslo; 0 days after.
  episode_.events.push_back({"discharge_ready", at("2026-04-15T23:30:00Z")});
  EXPECT_EQ(due_at(template_, template_.steps[kGoHome], episode_, tasks_),
            at("2026-04-16T21:59:59Z"));
  auto changed = refresh_tasks(template_, episode_, tasks_);
  EXPECT_EQ(changed, std::vector<std::size_t>{kGoHome});
  ASSERT_TRUE(tasks_[kGoHome].due_at);
  EXPECT_EQ(*tasks_[kGoHome].due_at, at("2026-04-16T21:59:59Z"));
}

TEST_F(EpisodeTest, EventDeadlineCountsFromTheLatestRecording) {
  plan(at("2026-04-01T08:00:00Z"));
  episode_.events.push_back({"discharge_ready", at("2026-04-20T10:00:00Z")});
  episode_.events.push_back({"discharge_ready", at("2026-04-15T10:00:00Z")});
  EXPECT_EQ(due_at(template_, template_.steps[kGoHome], episode_, tasks_),
            at("2026-04-20T21:59:59Z"));
}

TEST_F(EpisodeTest, StepDeadlineIsSetWhenTheAnchorIsDoneAndClearedWhenReopened) {
  plan(at("2026-04-01T08:00:00Z"));
  complete(kAssess, at("2026-04-02T09:00:00Z"));
  complete(kApply, at("2026-04-07T09:00:00Z"));
  complete(kFamilyNeeds, at("2026-04-07T09:00:00Z"));
  EXPECT_FALSE(tasks_[kFollowUp].due_at);

  // Going home on Monday 20 April: follow-up is due 7 days later.
  auto done = set_state(kGoHome, TaskState::done, at("2026-04-20T09:00:00Z"));
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(*done, std::vector<std::size_t>{kFollowUp});
  ASSERT_TRUE(tasks_[kFollowUp].due_at);
  EXPECT_EQ(*tasks_[kFollowUp].due_at, at("2026-04-27T21:59:59Z"));
  EXPECT_TRUE(tasks_[kFollowUp].ready);

  auto reopened = set_state(kGoHome, TaskState::open, at("2026-04-21T09:00:00Z"));
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ(*reopened, std::vector<std::size_t>{kFollowUp});
  EXPECT_FALSE(tasks_[kFollowUp].due_at);
  EXPECT_FALSE(tasks_[kFollowUp].ready);
}

TEST_F(EpisodeTest, ATaskCannotBeReopenedWhileATaskBuildingOnItIsStartedOrDone) {
  plan(at("2026-04-01T08:00:00Z"));
  complete(kAssess, at("2026-04-02T09:00:00Z"));
  ASSERT_TRUE(set_state(kApply, TaskState::in_progress, at("2026-04-03T09:00:00Z")).ok());
  auto refused = set_state(kAssess, TaskState::open, at("2026-04-04T09:00:00Z"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_NE(refused.error().message.find(template_.steps[kApply].title.en), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(tasks_[kAssess].state, TaskState::done);

  // Once the later task is back to open, the earlier one can be reopened.
  ASSERT_TRUE(set_state(kApply, TaskState::open, at("2026-04-04T10:00:00Z")).ok());
  EXPECT_TRUE(set_state(kAssess, TaskState::open, at("2026-04-04T11:00:00Z")).ok());
}

TEST_F(EpisodeTest, StepDeadlineDoesNotCountFromANotApplicableAnchor) {
  plan(at("2026-04-01T08:00:00Z"));
  auto r = set_state(kGoHome, TaskState::not_applicable, at("2026-04-20T09:00:00Z"), "Ble hjemme");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(tasks_[kFollowUp].ready);
  EXPECT_FALSE(tasks_[kFollowUp].due_at);
}

// --- changing tasks ---------------------------------------------------------

TEST_F(EpisodeTest, OpenToInProgressToDone) {
  plan(at("2026-03-27T10:00:00Z"));
  auto started = set_state(kAssess, TaskState::in_progress, at("2026-03-28T08:00:00Z"));
  ASSERT_TRUE(started.ok()) << started.error().message;
  EXPECT_EQ(tasks_[kAssess].state, TaskState::in_progress);
  EXPECT_EQ(tasks_[kAssess].version, 2);
  EXPECT_FALSE(tasks_[kAssess].finished_at);
  EXPECT_EQ(tasks_[kAssess].updated_at, at("2026-03-28T08:00:00Z"));

  auto done = set_state(kAssess, TaskState::done, at("2026-03-30T12:00:00Z"));
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(tasks_[kAssess].state, TaskState::done);
  EXPECT_EQ(tasks_[kAssess].version, 3);
  EXPECT_EQ(tasks_[kAssess].finished_at, at("2026-03-30T12:00:00Z"));
}

TEST_F(EpisodeTest, DoneTaskCanBeReopened) {
  plan(at("2026-03-27T10:00:00Z"));
  complete(kAssess, at("2026-03-30T12:00:00Z"));
  auto reopened = set_state(kAssess, TaskState::open, at("2026-03-31T12:00:00Z"));
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ(tasks_[kAssess].state, TaskState::open);
  EXPECT_FALSE(tasks_[kAssess].finished_at);
  EXPECT_EQ(tasks_[kAssess].version, 3);
}

TEST_F(EpisodeTest, NotApplicableNeedsAReason) {
  plan(at("2026-03-27T10:00:00Z"));
  std::string before = describe(tasks_);
  auto refused = set_state(kSendPlo, TaskState::not_applicable, at("2026-03-28T08:00:00Z"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(refused.error().field, "reason");
  EXPECT_EQ(describe(tasks_), before);

  auto accepted = set_state(kSendPlo, TaskState::not_applicable, at("2026-03-28T08:00:00Z"),
                            "Sendt fra et annet sykehus");
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_EQ(tasks_[kSendPlo].state, TaskState::not_applicable);
  EXPECT_EQ(tasks_[kSendPlo].reason, "Sendt fra et annet sykehus");
  EXPECT_EQ(tasks_[kSendPlo].finished_at, at("2026-03-28T08:00:00Z"));
  EXPECT_EQ(tasks_[kSendPlo].version, 2);
}

TEST_F(EpisodeTest, StartingOrCompletingATaskThatIsNotReadyIsRefused) {
  plan(at("2026-03-27T10:00:00Z"));
  std::string before = describe(tasks_);
  for (TaskState to : {TaskState::in_progress, TaskState::done}) {
    SCOPED_TRACE(to_string(to));
    auto refused = set_state(kApply, to, at("2026-03-28T08:00:00Z"));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::conflict);
    // Names the step it waits for, in each language.
    EXPECT_NE(refused.error().message.find("Assess needs"), std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message_nb.find("Kartlegge behov"), std::string::npos)
        << refused.error().message_nb;
    EXPECT_EQ(describe(tasks_), before);
  }
}

TEST_F(EpisodeTest, ATaskThatIsNotReadyCanBeMarkedNotApplicable) {
  plan(at("2026-03-27T10:00:00Z"));
  auto r = set_state(kApply, TaskState::not_applicable, at("2026-03-28T08:00:00Z"),
                     "Har allerede tjenester");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(tasks_[kApply].state, TaskState::not_applicable);
}

TEST_F(EpisodeTest, ANotApplicableTaskThatIsNotReadyCannotBeCompleted) {
  plan(at("2026-03-27T10:00:00Z"));
  ASSERT_TRUE(set_state(kApply, TaskState::not_applicable, at("2026-03-28T08:00:00Z"),
                        "Har allerede tjenester")
                  .ok());
  auto completed = set_state(kApply, TaskState::done, at("2026-03-28T09:00:00Z"));
  ASSERT_FALSE(completed.ok()) << "completed 'apply' while 'assess' is still open";
  EXPECT_EQ(completed.error().code, ErrorCode::conflict);
  EXPECT_EQ(tasks_[kApply].state, TaskState::not_applicable);
}

TEST_F(EpisodeTest, DependentsBecomeReadyWhenTheirDependencyIsDone) {
  plan(at("2026-03-27T10:00:00Z"));
  auto r = set_state(kAssess, TaskState::done, at("2026-03-30T12:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, std::vector<std::size_t>{kApply});  // only the one whose readiness changed
  EXPECT_TRUE(tasks_[kApply].ready);
  EXPECT_EQ(tasks_[kApply].version, 1);  // derived changes keep the version
  EXPECT_TRUE(set_state(kApply, TaskState::in_progress, at("2026-03-30T13:00:00Z")).ok());
}

TEST_F(EpisodeTest, DependentsBecomeReadyWhenTheirDependencyIsNotApplicable) {
  plan(at("2026-03-27T10:00:00Z"));
  auto r = set_state(kAssess, TaskState::not_applicable, at("2026-03-30T12:00:00Z"),
                     "Kartlagt ved forrige innleggelse");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, std::vector<std::size_t>{kApply});
  EXPECT_TRUE(tasks_[kApply].ready);
}

TEST_F(EpisodeTest, ReopeningADependencyMakesItsDependentsWaitAgain) {
  plan(at("2026-03-27T10:00:00Z"));
  complete(kAssess, at("2026-03-30T12:00:00Z"));
  auto r = set_state(kAssess, TaskState::in_progress, at("2026-03-31T12:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, std::vector<std::size_t>{kApply});
  EXPECT_FALSE(tasks_[kApply].ready);
}

TEST_F(EpisodeTest, ChangesWithoutADerivedEffectReturnNoOtherTasks) {
  plan(at("2026-03-27T10:00:00Z"));
  auto r = set_state(kSendPlo, TaskState::done, at("2026-03-27T11:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->empty());
}

TEST_F(EpisodeTest, AssigningAndNotingBumpTheVersionOnce) {
  plan(at("2026-03-27T10:00:00Z"));
  TaskChange change;
  change.assignee_id = "staff-kari";
  change.note = "Ringer familien i morgen";
  auto r = change_task(template_, episode_, tasks_, kAssess, change, at("2026-03-27T11:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(tasks_[kAssess].assignee_id, "staff-kari");
  EXPECT_EQ(tasks_[kAssess].note, "Ringer familien i morgen");
  EXPECT_EQ(tasks_[kAssess].state, TaskState::open);
  EXPECT_EQ(tasks_[kAssess].version, 2);

  TaskChange unassign;
  unassign.assignee_id = "";
  ASSERT_TRUE(
      change_task(template_, episode_, tasks_, kAssess, unassign, at("2026-03-27T12:00:00Z")).ok());
  EXPECT_EQ(tasks_[kAssess].assignee_id, "");
  EXPECT_EQ(tasks_[kAssess].note, "Ringer familien i morgen");  // left as it was
  EXPECT_EQ(tasks_[kAssess].version, 3);
}

TEST_F(EpisodeTest, ATaskIsAssignedToAPersonOrToARoleNotBoth) {
  plan(at("2026-03-27T10:00:00Z"));
  auto now = at("2026-03-27T11:00:00Z");
  TaskChange to_role;
  to_role.assignee_role = "barnekoordinator";
  ASSERT_TRUE(change_task(template_, episode_, tasks_, kAssess, to_role, now).ok());
  EXPECT_EQ(tasks_[kAssess].assignee_role, "barnekoordinator");

  TaskChange to_person;
  to_person.assignee_id = "staff-kari";
  ASSERT_TRUE(change_task(template_, episode_, tasks_, kAssess, to_person, now).ok());
  EXPECT_EQ(tasks_[kAssess].assignee_id, "staff-kari");
  EXPECT_EQ(tasks_[kAssess].assignee_role, "") << "a person replaces the role";

  ASSERT_TRUE(change_task(template_, episode_, tasks_, kAssess, to_role, now).ok());
  EXPECT_EQ(tasks_[kAssess].assignee_id, "") << "a role replaces the person";
  EXPECT_EQ(tasks_[kAssess].version, 4);

  for (const char* bad : {"foresatt", "pasient", "rektor"}) {
    TaskChange c;
    c.assignee_role = bad;
    auto r = change_task(template_, episode_, tasks_, kAssess, c, now);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "assignee_role");
  }
  TaskChange both;
  both.assignee_id = "staff-kari";
  both.assignee_role = "lege";
  auto r = change_task(template_, episode_, tasks_, kAssess, both, now);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "assignee_role");
  EXPECT_EQ(tasks_[kAssess].version, 4) << "a refused change changes nothing";

  TaskChange clear;
  clear.assignee_role = "";
  ASSERT_TRUE(change_task(template_, episode_, tasks_, kAssess, clear, now).ok());
  EXPECT_EQ(tasks_[kAssess].assignee_role, "");
}

// --- overdue, next per lane, episode status ---------------------------------

TEST(Overdue, OnlyUnfinishedTasksPastTheirDeadline) {
  Task task;
  task.due_at = at("2026-04-10T21:59:59Z");
  EXPECT_FALSE(is_overdue(task, at("2026-04-10T21:59:59Z")));  // exactly at the deadline
  EXPECT_TRUE(is_overdue(task, at("2026-04-10T22:00:00Z")));   // one second later
  task.state = TaskState::in_progress;
  EXPECT_TRUE(is_overdue(task, at("2026-04-11T08:00:00Z")));
  task.state = TaskState::done;
  EXPECT_FALSE(is_overdue(task, at("2026-04-11T08:00:00Z")));
  task.state = TaskState::not_applicable;
  EXPECT_FALSE(is_overdue(task, at("2026-04-11T08:00:00Z")));

  Task without_deadline;
  EXPECT_FALSE(is_overdue(without_deadline, at("2030-01-01T00:00:00Z")));
}

TEST_F(EpisodeTest, NextPerLaneListsReadyTasksEarliestDeadlineFirst) {
  plan(at("2026-03-27T10:00:00Z"));
  auto next = next_per_lane(template_, tasks_);
  ASSERT_EQ(next.size(), 3u);  // every lane, even one with nothing to do
  EXPECT_EQ(next["family"], std::vector<std::size_t>{kFamilyNeeds});
  // Send PLO (due in 1 day), assess (14 days), then the team (no deadline).
  EXPECT_EQ(next["hospital"], (std::vector<std::size_t>{kSendPlo, kAssess, kEstablishTeam}));
  EXPECT_TRUE(next["municipality"].empty());  // apply waits for assess

  complete(kSendPlo, at("2026-03-27T11:00:00Z"));
  complete(kAssess, at("2026-03-27T12:00:00Z"));
  next = next_per_lane(template_, tasks_);
  EXPECT_EQ(next["hospital"], std::vector<std::size_t>{kEstablishTeam});
  EXPECT_EQ(next["municipality"], std::vector<std::size_t>{kApply});
}

TEST_F(EpisodeTest, EpisodeIsCompletedWhenEveryTaskIsDoneOrNotApplicable) {
  plan(at("2026-03-27T10:00:00Z"));
  EXPECT_EQ(status_for(tasks_), EpisodeStatus::active);
  Instant now = at("2026-04-01T10:00:00Z");
  for (std::size_t i : {kFamilyNeeds, kEstablishTeam, kAssess, kApply, kGoHome}) complete(i, now);
  ASSERT_TRUE(set_state(kSendPlo, TaskState::not_applicable, now, "Ikke nødvendig").ok());
  EXPECT_EQ(status_for(tasks_), EpisodeStatus::active);  // follow-up is still open
  complete(kFollowUp, now);
  EXPECT_EQ(status_for(tasks_), EpisodeStatus::completed);
  EXPECT_EQ(status_for({}), EpisodeStatus::active);
}

}  // namespace
}  // namespace samflyt::core

namespace samflyt::core {
namespace {

TEST(FreeText, CountsCharactersNotBytesAndRefusesControlCharacters) {
  EXPECT_EQ(count_characters("Kragerø"), 7u);
  EXPECT_TRUE(check_text(std::string(200, 'x'), 200, false, "name").ok());
  EXPECT_TRUE(
      check_text(std::string(100, 'x') + std::string(50, 'x') + "æøå", 200, false, "name").ok());
  auto too_long = check_text(std::string(201, 'x'), 200, false, "name");
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().field, "name");
  EXPECT_FALSE(check_text(std::string("Ola\0Nordmann", 12), 200, false, "name").ok());
  EXPECT_FALSE(check_text("Ola\nNordmann", 200, false, "name").ok());
  EXPECT_TRUE(check_text("Linje 1\nLinje 2\tinnrykk", 200, true, "note").ok());
}

}  // namespace
}  // namespace samflyt::core
