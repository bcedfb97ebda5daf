// The audit log's SQLite adapter (schema: migrations/audit/0002): one row
// per request, its entries as lines of tab-separated fields, and the index
// by patient written in runs.
#include <algorithm>
#include <array>
#include <span>

#include "store/audit_chain.hpp"
#include "store/sqlite_common.hpp"
#include "store/sqlite_repositories.hpp"

namespace samflyt::store {

using service::AuditEntry;
using sqlite::Statement;

namespace {

// When the entries written since the last run reach this, they become a
// run of the index. Bigger runs mean fewer runs to look up per patient and
// more rows to scan after the last one.
constexpr std::int64_t kRunEntries = 8192;
// A sealed run is written this many postings per append (about 1 ms on the
// benchmark machine), so that no single commit carries a whole run.
constexpr std::size_t kPostingsPerAppend = 1024;

// --- the entries text: a line per entry; role, organisation, basis,
// patient, resource, emergency, tab-separated; '\' escapes '\', tab and
// newline; "\=" stands for the field of the line above. ------------------

constexpr int kEntryFields = 6;

void escape_into(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

std::array<std::string_view, kEntryFields> fields_of(const AuditEntry& e) {
  return {e.role, e.organisation_id, e.basis, e.patient_id, e.resource, e.emergency ? "1" : "0"};
}

std::string encode_entries(std::span<const AuditEntry> entries) {
  std::string out;
  out.reserve(entries.size() * 64);
  const AuditEntry* above = nullptr;
  for (const auto& e : entries) {
    if (above) out += '\n';
    auto fields = fields_of(e);
    for (int i = 0; i < kEntryFields; ++i) {
      if (i > 0) out += '\t';
      if (above && fields[i] == fields_of(*above)[i]) {
        out += "\\=";
      } else {
        escape_into(out, fields[i]);
      }
    }
    above = &e;
  }
  return out;
}

// The entries of a row whose shared fields are in `common`.
std::vector<AuditEntry> decode_entries(std::string_view text, const AuditEntry& common) {
  std::vector<AuditEntry> out;
  std::array<std::string, kEntryFields> fields;
  std::size_t i = 0;
  while (i <= text.size()) {
    for (int f = 0; f < kEntryFields; ++f) {
      std::string value;
      bool ditto = false;
      while (i < text.size() && text[i] != '\t' && text[i] != '\n') {
        if (text[i] == '\\' && i + 1 < text.size()) {
          char next = text[i + 1];
          if (next == '=') {
            ditto = true;
          } else {
            value += next == 't' ? '\t' : next == 'n' ? '\n' : next;
          }
          i += 2;
        } else {
          value += text[i++];
        }
      }
      if (!ditto) fields[f] = std::move(value);
      if (i < text.size() && text[i] == '\t') ++i;
    }
    AuditEntry e = common;
    e.role = fields[0];
    e.organisation_id = fields[1];
    e.basis = fields[2];
    e.patient_id = fields[3];
    e.resource = fields[4];
    e.emergency = fields[5] == "1";
    out.push_back(std::move(e));
    if (i >= text.size()) break;
    ++i;  // the newline
  }
  return out;
}

// Entries that share a row: one request's, with one action and outcome.
bool same_row(const AuditEntry& a, const AuditEntry& b) {
  return a.at == b.at && a.user_id == b.user_id && a.request_id == b.request_id &&
         a.action == b.action && a.outcome == b.outcome;
}

constexpr const char* kRowColumns =
    "SELECT seq, at, user_id, action, outcome, request_id, entries, hash FROM audit_log";

struct StoredRow {
  std::int64_t seq = 0;
  std::vector<AuditEntry> entries;
  std::string hash;
};

StoredRow read_row(const Statement& s) {
  AuditEntry common;
  common.at = instant(s.integer(1));
  common.user_id = s.text(2);
  common.action = s.text(3);
  common.outcome = s.text(4);
  common.request_id = s.text(5);
  return StoredRow{s.integer(0), decode_entries(s.text(6), common), s.text(7)};
}

// The rows after the last closed run (not yet in audit_postings) start
// after this seq.
std::int64_t indexed_through(sqlite::Connection& c) {
  auto s = c.prepare("SELECT coalesce(max(last_seq), 0) FROM audit_runs");
  s.step();
  return s.integer(0);
}

// Notes a row's patients in the open run.
void note(AuditOpenRun& open, std::int64_t seq, std::span<const AuditEntry> entries) {
  for (const auto& e : entries) {
    ++open.entries;
    if (e.patient_id.empty()) continue;
    auto& seqs = open.postings[e.patient_id];
    if (seqs.empty() || seqs.back() != seq) seqs.push_back(seq);
  }
}

// Reads the open run back from the rows after the last complete run (at
// start, or when another transaction or process appended since, or one
// rolled back). A sealed run not completely written is read back into the
// open run; the postings it wrote stay, unread (readers use only runs in
// audit_runs).
void read_open_run(sqlite::Connection& c, AuditOpenRun& open, std::int64_t head_seq,
                   const std::string& head_hash) {
  open.postings.clear();
  open.entries = 0;
  open.sealed_run = 0;
  open.sealed.clear();
  open.sealed_written = 0;
  auto rows = c.prepare(std::string(kRowColumns) + " WHERE seq > ? ORDER BY seq");
  rows.bind(1, indexed_through(c));
  while (rows.step()) {
    auto row = read_row(rows);
    note(open, row.seq, row.entries);
  }
  open.through_seq = head_seq;
  open.through_hash = head_hash;
}

// The open run becomes the sealed run, its postings in key order (so that
// they are appended at the end of the index), under a run number no
// postings have yet.
void seal(sqlite::Connection& c, AuditOpenRun& open) {
  auto next = c.prepare(
      "SELECT max((SELECT coalesce(max(run), 0) FROM audit_runs), "
      "(SELECT coalesce(max(run), 0) FROM audit_postings)) + 1");
  next.step();
  open.sealed_run = next.integer(0);
  open.sealed_last_seq = open.through_seq;
  open.sealed.assign(std::make_move_iterator(open.postings.begin()),
                     std::make_move_iterator(open.postings.end()));
  std::sort(open.sealed.begin(), open.sealed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  open.sealed_written = 0;
  open.postings.clear();
  open.entries = 0;
}

// Writes the next `count` postings of the sealed run; the run counts (is
// listed in audit_runs) once all are written.
void write_sealed(sqlite::Connection& c, AuditOpenRun& open, std::size_t count) {
  std::string text;
  auto end = std::min(open.sealed.size(), open.sealed_written + count);
  for (; open.sealed_written < end; ++open.sealed_written) {
    const auto& [patient, seqs] = open.sealed[open.sealed_written];
    text.clear();
    for (auto seq : seqs) {
      if (!text.empty()) text += ' ';
      text += std::to_string(seq);
    }
    c.prepare("INSERT INTO audit_postings (run, patient_id, seqs) VALUES (?, ?, ?)")
        .bind(1, open.sealed_run)
        .bind(2, patient)
        .bind(3, text)
        .run();
  }
  if (open.sealed_written < open.sealed.size()) return;
  c.prepare("INSERT INTO audit_runs (run, last_seq) VALUES (?, ?)")
      .bind(1, open.sealed_run)
      .bind(2, open.sealed_last_seq)
      .run();
  open.sealed_run = 0;
  open.sealed.clear();
  open.sealed_written = 0;
}

}  // namespace

Result<void> SqliteAudit::append(const std::vector<AuditEntry>& entries) {
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
    std::lock_guard lock(open_run_.mutex);
    if (!open_run_.known || open_run_.through_seq != seq || open_run_.through_hash != hash)
      read_open_run(c_, open_run_, seq, hash);
    open_run_.known = false;  // until this append has gone through
    std::span<const AuditEntry> all(entries);
    for (std::size_t begin = 0; begin < all.size();) {
      std::size_t end = begin + 1;
      while (end < all.size() && same_row(all[begin], all[end])) ++end;
      auto row = all.subspan(begin, end - begin);
      const auto& first = row.front();
      ++seq;
      hash = audit_hash(hash, seq, row);
      c_.prepare(
            "INSERT INTO audit_log (seq, at, user_id, action, outcome, request_id, entries, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(1, seq)
          .bind(2, seconds(first.at))
          .bind(3, first.user_id)
          .bind(4, first.action)
          .bind(5, first.outcome)
          .bind(6, first.request_id)
          .bind(7, encode_entries(row))
          .bind(8, hash)
          .run();
      note(open_run_, seq, row);
      begin = end;
    }
    open_run_.through_seq = seq;
    open_run_.through_hash = hash;
    if (open_run_.sealed_run != 0) {
      // The open run filled up before the sealed one was written: finish it.
      bool behind = open_run_.entries >= kRunEntries;
      write_sealed(c_, open_run_, behind ? open_run_.sealed.size() : kPostingsPerAppend);
    }
    if (open_run_.sealed_run == 0 && open_run_.entries >= kRunEntries) seal(c_, open_run_);
    // Should the transaction roll back, the next append finds the head
    // moved back and reads the open run again.
    open_run_.known = true;
    return {};
  });
}

Result<service::AuditVerification> SqliteAudit::verify() {
  return guarded([&]() -> Result<service::AuditVerification> {
    service::AuditVerification v;
    auto s = c_.prepare(std::string(kRowColumns) + " ORDER BY seq");
    std::string previous;
    while (s.step()) {
      auto row = read_row(s);
      ++v.rows;
      if (!v.first_bad_seq) {
        if (row.seq != v.head_seq + 1) {
          v.first_bad_seq = row.seq;
          v.problem = "row " + std::to_string(v.head_seq + 1) + " is missing";
        } else if (audit_hash(previous, row.seq, row.entries) != row.hash) {
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
    std::vector<service::AuditRow> out;
    if (patient_id.empty() || limit <= 0) return out;
    auto wanted = static_cast<std::size_t>(limit) + static_cast<std::size_t>(std::max(offset, 0));
    // Newest first: the rows after the last run, then the runs backwards.
    auto take = [&](const StoredRow& row) {
      for (const auto& e : row.entries)
        if (e.patient_id == patient_id && out.size() < wanted)
          out.push_back(service::AuditRow{row.seq, e, row.hash});
    };
    auto through = indexed_through(c_);
    {
      auto recent = c_.prepare(std::string(kRowColumns) + " WHERE seq > ? ORDER BY seq DESC");
      recent.bind(1, through);
      while (out.size() < wanted && recent.step()) take(read_row(recent));
    }
    auto runs = c_.prepare("SELECT run FROM audit_runs ORDER BY run DESC");
    while (out.size() < wanted && runs.step()) {
      auto posting = c_.prepare("SELECT seqs FROM audit_postings WHERE run = ? AND patient_id = ?");
      posting.bind(1, runs.integer(0)).bind(2, patient_id);
      if (!posting.step()) continue;
      auto seqs = posting.text(0);
      // Ascending in the posting; newest first here.
      std::vector<std::int64_t> numbers;
      for (std::size_t i = 0; i < seqs.size();) {
        auto space = seqs.find(' ', i);
        if (space == std::string::npos) space = seqs.size();
        numbers.push_back(std::stoll(seqs.substr(i, space - i)));
        i = space + 1;
      }
      for (auto it = numbers.rbegin(); it != numbers.rend() && out.size() < wanted; ++it) {
        auto row = c_.prepare(std::string(kRowColumns) + " WHERE seq = ?");
        row.bind(1, *it);
        if (row.step()) take(read_row(row));
      }
    }
    auto skipped = std::min<std::size_t>(static_cast<std::size_t>(std::max(offset, 0)), out.size());
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(skipped));
    return out;
  });
}

}  // namespace samflyt::store
