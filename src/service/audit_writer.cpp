#include "service/audit_writer.hpp"

#include <algorithm>
#include <future>
#include <iterator>

#include "service/context.hpp"

namespace samflyt::service {

AuditWriter::AuditWriter(Database& db) : db_(db), thread_([this] { run(); }) {}

AuditWriter::~AuditWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void AuditWriter::record_async(std::vector<AuditEntry> entries,
                               std::function<void(const Result<void>&)> done) {
  if (entries.empty()) {
    done(Result<void>{});
    return;
  }
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(entries), std::move(done)});
    // The writer waits for the first request, or for a full batch.
    wake = queue_.size() == 1 || queue_.size() == full_batch_;
  }
  if (wake) wake_.notify_one();
}

Result<void> AuditWriter::record(const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return {};
  std::promise<Result<void>> written;
  auto future = written.get_future();
  record_async(entries, [&written](const Result<void>& r) { written.set_value(r); });
  return future.get();
}

Result<std::vector<AuditRow>> AuditWriter::for_patient(const std::string& patient_id, int limit,
                                                       int offset) {
  return in_transaction(db_, TxMode::read, [&](Transaction& tx) {
    return tx.audit().for_patient(patient_id, limit, offset);
  });
}

Result<AuditVerification> AuditWriter::verify() {
  return in_transaction(db_, TxMode::read, [](Transaction& tx) { return tx.audit().verify(); });
}

void AuditWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is written
    // Under load (the last commit was shared), wait a moment for more
    // requests to share this one: a commit's page writes and fsync cost
    // nearly the same for one request as for fifty. No longer than until
    // as many are queued as shared the last commit: with N clients at most
    // N can be waiting, and waiting for more would only add latency.
    if (full_batch_ > 1)
      wake_.wait_for(lock, kCommitDelay, [&] { return stopping_ || queue_.size() >= full_batch_; });
    std::vector<Pending> batch;
    batch.swap(queue_);
    full_batch_ = std::min(batch.size(), kMaxBatch);
    lock.unlock();
    Result<void> result;
    try {
      std::vector<AuditEntry> rows;
      for (auto& p : batch)
        rows.insert(rows.end(), std::make_move_iterator(p.entries.begin()),
                    std::make_move_iterator(p.entries.end()));
      result = in_transaction(db_, TxMode::write,
                              [&](Transaction& tx) { return tx.audit().append(rows); });
    } catch (const std::exception& e) {
      result = make_error(ErrorCode::internal, std::string("audit write failed: ") + e.what(),
                          std::string("revisjonsloggen kunne ikke skrives: ") + e.what());
    }
    for (auto& p : batch) {
      try {
        p.done(result);
      } catch (...) {
        // A caller's callback must not stop the writer; it has no one to tell.
      }
    }
    lock.lock();
  }
}

}  // namespace samflyt::service
