// The audit log, in a database of its own (the SQLite adapter keeps it in
// a file beside the main one). Writes the rows with group commit: one writer thread
// appends everything queued in one write transaction, so that the rows of
// all the requests that arrived during the previous commit share the next
// one (and its fsync); under load it waits up to a millisecond for more. A caller learns that its rows are durable, or that
// they could not be written, and must then return no patient data.
// Writes append their audit rows inside their own transaction instead
// (see audited() in access_control.hpp).
//
// Thread-safe. The destructor writes what is queued, then stops the thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "service/ports.hpp"

namespace samflyt::service {

class AuditWriter {
 public:
  explicit AuditWriter(Database& audit_db);
  ~AuditWriter();
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  // Queues the rows; `done` is called once, on the writer's thread, when
  // they are durable or could not be written. It must not block.
  void record_async(std::vector<AuditEntry> entries, std::function<void(const Result<void>&)> done);
  // Queues the rows and waits until they are durable.
  Result<void> record(const std::vector<AuditEntry>& entries);

  // Reading the log back.
  Result<std::vector<AuditRow>> for_patient(const std::string& patient_id, int limit, int offset);
  Result<AuditVerification> verify();

 private:
  struct Pending {
    std::vector<AuditEntry> entries;
    std::function<void(const Result<void>&)> done;
  };
  void run();

  // Group commit: under load the writer waits up to kCommitDelay, or until
  // as many requests are queued as shared the last commit (at most
  // kMaxBatch), before it commits.
  static constexpr std::chrono::microseconds kCommitDelay{1000};
  static constexpr std::size_t kMaxBatch = 64;

  Database& db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Pending> queue_;
  std::size_t full_batch_ = 0;  // requests in the last commit, at most kMaxBatch
  bool stopping_ = false;
  std::thread thread_;  // last: started when everything else is ready
};

}  // namespace samflyt::service
