#include "store/audit_chain.hpp"
#include "store/sqlite_common.hpp"
#include "store/sqlite_repositories.hpp"

namespace samflyt::store {

using sqlite::Statement;

namespace {

service::AuditEntry read_entry(const Statement& s, int first) {
  service::AuditEntry e;
  e.at = instant(s.integer(first));
  e.user_id = s.text(first + 1);
  e.role = s.text(first + 2);
  e.organisation_id = s.text(first + 3);
  e.basis = s.text(first + 4);
  e.patient_id = s.text(first + 5);
  e.resource = s.text(first + 6);
  e.action = s.text(first + 7);
  e.outcome = s.text(first + 8);
  e.emergency = s.integer(first + 9) != 0;
  e.request_id = s.text(first + 10);
  return e;
}

constexpr const char* kAuditColumns =
    "SELECT seq, at, user_id, role, organisation_id, basis, patient_id, resource, action, "
    "outcome, emergency, request_id, hash FROM audit_log";

service::AuditRow read_row(const Statement& s) {
  return service::AuditRow{s.integer(0), read_entry(s, 1), s.text(12)};
}

}  // namespace

Result<void> SqliteAudit::append(const std::vector<service::AuditEntry>& entries) {
  return guarded([&]() -> Result<void> {
    if (entries.empty()) return {};
    // The caller's write transaction holds SQLite's write lock, so the head
    // cannot move under us.
    auto head = c_.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    std::int64_t seq = 0;
    std::string hash;
    if (head.step()) {
      seq = head.integer(0);
      hash = head.text(1);
    }
    for (const auto& e : entries) {
      ++seq;
      hash = audit_hash(hash, seq, e);
      c_.prepare(
            "INSERT INTO audit_log (seq, at, user_id, role, organisation_id, basis, patient_id, "
            "resource, action, outcome, emergency, request_id, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(1, seq)
          .bind(2, seconds(e.at))
          .bind(3, e.user_id)
          .bind(4, e.role)
          .bind(5, e.organisation_id)
          .bind(6, e.basis)
          .bind(7, e.patient_id)
          .bind(8, e.resource)
          .bind(9, e.action)
          .bind(10, e.outcome)
          .bind(11, e.emergency ? 1 : 0)
          .bind(12, e.request_id)
          .bind(13, hash)
          .run();
    }
    return {};
  });
}

Result<service::AuditVerification> SqliteAudit::verify() {
  return guarded([&]() -> Result<service::AuditVerification> {
    service::AuditVerification v;
    auto s = c_.prepare(std::string(kAuditColumns) + " ORDER BY seq");
    std::string previous;
    while (s.step()) {
      auto row = read_row(s);
      ++v.rows;
      if (!v.first_bad_seq) {
        if (row.seq != v.head_seq + 1) {
          v.first_bad_seq = row.seq;
          v.problem = "row " + std::to_string(v.head_seq + 1) + " is missing";
        } else if (audit_hash(previous, row.seq, row.entry) != row.hash) {
          v.first_bad_seq = row.seq;
          v.problem = "row " + std::to_string(row.seq) +
                      " does not match its hash (edited, or an earlier row was changed)";
        }
      }
      previous = row.hash;
      v.head_seq = row.seq;
      v.head_hash = row.hash;
    }
    return v;
  });
}

Result<std::vector<service::AuditRow>> SqliteAudit::for_patient(const std::string& patient_id,
                                                                int limit, int offset) {
  return guarded([&]() -> Result<std::vector<service::AuditRow>> {
    auto s = c_.prepare(std::string(kAuditColumns) +
                        " WHERE patient_id = ? AND patient_id <> '' ORDER BY seq DESC "
                        "LIMIT ? OFFSET ?");
    s.bind(1, patient_id).bind(2, limit).bind(3, offset);
    return all_rows(s, read_row);
  });
}

}  // namespace samflyt::store
