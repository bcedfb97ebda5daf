#include "service/audit_writer.hpp"

#include "service/context.hpp"

namespace samflyt::service {

Result<void> AuditWriter::record(const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return {};
  std::unique_lock lock(mutex_);
  if (!open_) open_ = std::make_shared<Batch>();
  auto mine = open_;
  mine->entries.insert(mine->entries.end(), entries.begin(), entries.end());
  while (!mine->result) {
    if (writing_) {
      written_.wait(lock);
      continue;
    }
    writing_ = true;
    auto batch = std::move(open_);  // holds our rows and everyone's queued since
    lock.unlock();
    Result<void> result = in_transaction(
        db_, TxMode::write, [&](Transaction& tx) { return tx.audit().append(batch->entries); });
    lock.lock();
    batch->result = std::move(result);
    writing_ = false;
    written_.notify_all();
  }
  return *mine->result;
}

}  // namespace samflyt::service
