// Writes the audit rows of reads with group commit: the rows of concurrent
// callers are appended in one write transaction, and each caller returns
// only once the commit that holds its rows is durable. A caller whose rows
// could not be written gets the error, and must then return no patient
// data. Writes append their audit rows inside their own transaction
// instead (see audited() in access_control.hpp).
//
// Thread-safe. No thread of its own: the first caller to find no commit in
// progress writes everything queued so far (leader/follower).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "service/ports.hpp"

namespace samflyt::service {

class AuditWriter {
 public:
  explicit AuditWriter(Database& db) : db_(db) {}
  Result<void> record(const std::vector<AuditEntry>& entries);

 private:
  struct Batch {
    std::vector<AuditEntry> entries;
    std::optional<Result<void>> result;
  };
  Database& db_;
  std::mutex mutex_;
  std::condition_variable written_;
  std::shared_ptr<Batch> open_;  // collecting rows for the next commit
  bool writing_ = false;
};

}  // namespace samflyt::service
