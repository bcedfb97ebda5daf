// Use cases the web application needs on top of use_cases.hpp: lists with
// the patients' names (for people, not integrations), finding a patient
// by national id, and the user's language. Patient data read here is
// audited like everywhere else: the lists through list_episodes and
// list_tasks (one row per episode listed), the lookup by national id with
// its own row.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "service/use_cases.hpp"

namespace samflyt::service {

// An episode in a list, with what a person needs to recognise it.
struct EpisodeSummary {
  core::Episode episode;
  std::string patient_name;
  std::optional<core::Date> birth_date;
  std::string current_phase;  // the phase of the first unfinished task ("" when done)
  int open_tasks = 0;         // unfinished
  int overdue_tasks = 0;
};

// list_episodes (the caller's basis decides, each row audited), then the
// patients' names and task counts of exactly those episodes. Family
// members get no task counts (their view shows only some tasks).
Result<std::vector<EpisodeSummary>> summarise_episodes(Context& ctx, const Caller& caller,
                                                       EpisodeFilter filter);

// A task in a worklist with its patient's name.
struct WorkItem {
  TaskView view;
  std::string patient_name;
};

// list_tasks (audited per episode), then the patients' names of exactly
// the tasks returned.
Result<std::vector<WorkItem>> worklist(Context& ctx, const Caller& caller, TaskFilter filter);

// The patient with this national id when the caller may read them
// (audited as a search, allowed or denied); nothing when there is none.
// A patient the caller has no basis for is answered as none (audited as
// denied), so that a search does not tell who is a patient here.
Result<std::optional<core::Patient>> find_patient(Context& ctx, const Caller& caller,
                                                  const std::string& national_id);

// Patients whose name contains `text` (at least 2 characters) that the
// caller may read, by name, at most 20; the search is audited (an event
// row, and a row per patient it touched, allowed or denied).
Result<std::vector<core::Patient>> search_patients_by_name(Context& ctx, const Caller& caller,
                                                           const std::string& text);

// Overdue tasks per organisation and lane, for each organisation where the
// caller has a clinical role (the worklist rule). Counts only: no patient
// is identified, so one audit event per organisation is written. (Tasks of
// patients who blocked the caller are counted too.)
struct OverdueCount {
  std::string organisation_id;
  std::string lane;
  int count = 0;
};
Result<std::vector<OverdueCount>> overdue_counts(Context& ctx, const Caller& caller);

// Staff with an account, for choosing a care-team member who gets the
// care-team access basis: for staff only; names, roles and organisations
// (no patient data).
struct StaffAccount {
  std::string user_id;
  std::string name;
  std::string role;
  std::string organisation_id;
};
Result<std::vector<StaffAccount>> list_staff_accounts(Context& ctx, const Caller& caller);

// The language the user reads the web application in: "nb" or "en".
Result<std::string> user_language(Context& ctx, const Caller& caller);
Result<void> set_user_language(Context& ctx, const Caller& caller, const std::string& language);

}  // namespace samflyt::service
