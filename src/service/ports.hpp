// The ports the use cases need: the clock, id generation and the store.
// Adapters live in src/store (SQLite now; PostgreSQL later implements the
// same interfaces and passes the same contract tests).
//
// Thread-safety: Clock and IdGenerator are safe to share between threads.
// A Database hands out Transactions; one Transaction is used by one thread
// at a time and must not outlive its Database.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/community.hpp"
#include "core/episode.hpp"
#include "core/result.hpp"

namespace samflyt::service {

using core::Instant;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() = 0;
};

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new random, non-sequential public id.
  virtual std::string new_id() = 0;
};

// Repositories. Every call may fail with ErrorCode::unavailable (the
// database is busy or gone) or ErrorCode::internal. Inserts of an existing
// unique key fail with ErrorCode::conflict. Updates of versioned rows
// compare and set: they fail with ErrorCode::conflict when the stored
// version is not `expected_version`, and store the row's new version.

class OrganisationRepository {
 public:
  virtual ~OrganisationRepository() = default;
  virtual Result<void> insert(const core::Organisation& o) = 0;
  virtual Result<std::optional<core::Organisation>> get(const std::string& id) = 0;
  virtual Result<std::vector<core::Organisation>> list() = 0;  // by name
};

class StaffRepository {
 public:
  virtual ~StaffRepository() = default;
  virtual Result<void> insert(const core::Staff& s) = 0;
  virtual Result<std::optional<core::Staff>> get(const std::string& id) = 0;
  virtual Result<std::vector<core::Staff>> list_for_organisation(const std::string& org_id) = 0;
};

class PatientRepository {
 public:
  virtual ~PatientRepository() = default;
  virtual Result<void> insert(const core::Patient& p) = 0;  // conflict on a known national id
  virtual Result<std::optional<core::Patient>> get(const std::string& id) = 0;
  virtual Result<std::optional<core::Patient>> find_by_national_id(const std::string& nid) = 0;
};

// A template's text as loaded, keyed by (id, version). `current` marks the
// version new episodes start on.
struct StoredTemplate {
  std::string id;
  std::string version;
  std::string source;  // the YAML text
  std::string file_name;
  Instant loaded_at{};
};

class TemplateRepository {
 public:
  virtual ~TemplateRepository() = default;
  // Stores the version if it is new and makes it the current one.
  virtual Result<void> put_current(const StoredTemplate& t) = 0;
  virtual Result<std::optional<StoredTemplate>> get(const std::string& id,
                                                    const std::string& version) = 0;
  virtual Result<std::optional<StoredTemplate>> current(const std::string& id) = 0;
  virtual Result<std::vector<StoredTemplate>> list_current() = 0;  // by id
};

struct EpisodeFilter {
  std::string municipality_id;
  std::string hospital_unit_id;
  std::string patient_id;
  std::optional<core::EpisodeStatus> status;
  bool overdue = false;  // only episodes with a task overdue at `now`
  Instant now{};         // set by the use case from the clock
  int limit = 100;
  int offset = 0;
};

class EpisodeRepository {
 public:
  virtual ~EpisodeRepository() = default;
  virtual Result<void> insert(const core::Episode& e) = 0;
  virtual Result<std::optional<core::Episode>> get(const std::string& id) = 0;
  // Saves status and events; e.version must already be the new version.
  virtual Result<void> update(const core::Episode& e, std::int64_t expected_version) = 0;
  virtual Result<std::vector<core::Episode>> list(const EpisodeFilter& f) = 0;  // newest first
};

struct TaskFilter {
  std::string organisation_id;
  std::string episode_id;
  std::string lane;
  std::string assignee_id;
  std::optional<core::TaskState> state;
  bool unfinished_only = false;  // open or in progress
  bool overdue = false;          // only tasks overdue at `now`
  Instant now{};                 // set by the use case from the clock
  int limit = 100;
  int offset = 0;
};

// A task in a worklist, with the template version its episode follows.
struct TaskRow {
  core::Task task;
  std::string pathway_id;
  std::string pathway_version;
};

class TaskRepository {
 public:
  virtual ~TaskRepository() = default;
  virtual Result<void> insert(const core::Task& t) = 0;
  virtual Result<std::optional<core::Task>> get(const std::string& id) = 0;
  virtual Result<std::vector<core::Task>> list_for_episode(const std::string& episode_id) = 0;
  // Saves a user's change; t.version must already be the new version.
  virtual Result<void> update(const core::Task& t, std::int64_t expected_version) = 0;
  // Saves derived fields (deadline, readiness) without touching the version.
  virtual Result<void> update_derived(const core::Task& t) = 0;
  // Worklist order: earliest deadline first, tasks without one last, then
  // by id. Each row carries its episode's template version.
  virtual Result<std::vector<TaskRow>> list(const TaskFilter& f) = 0;
};

// One unit of work: every repository call inside it commits or rolls back
// together. Destroying an uncommitted transaction rolls it back.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual OrganisationRepository& organisations() = 0;
  virtual StaffRepository& staff() = 0;
  virtual PatientRepository& patients() = 0;
  virtual TemplateRepository& templates() = 0;
  virtual EpisodeRepository& episodes() = 0;
  virtual TaskRepository& tasks() = 0;
  virtual Result<void> commit() = 0;
};

enum class TxMode { read, write };

class Database {
 public:
  virtual ~Database() = default;
  virtual Result<std::unique_ptr<Transaction>> begin(TxMode mode) = 0;
};

}  // namespace samflyt::service
