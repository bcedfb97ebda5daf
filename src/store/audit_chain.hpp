// The audit log's hash chain (internal to src/store): every row's hash is
// BLAKE2b-256 over the previous row's hash (32 zero bytes before the first
// row) and, for each entry the row holds, in order, the entry's canonical
// text: each field, in a fixed order starting with the row's sequence
// number, as "<length>:<bytes>;". (A row of one entry hashes as rows did
// when each held one.) Editing,
// deleting or reordering rows breaks the chain from that row on; cutting
// rows off the end is detected only against a head recorded elsewhere
// (`samflyt audit verify` prints it).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "service/ports.hpp"

namespace samflyt::store {

// The hash (64 hex digits) of the row `seq` holding `entries` after
// `previous` (empty for the first row).
std::string audit_hash(const std::string& previous, std::int64_t seq,
                       std::span<const service::AuditEntry> entries);
inline std::string audit_hash(const std::string& previous, std::int64_t seq,
                              const service::AuditEntry& entry) {
  return audit_hash(previous, seq, std::span<const service::AuditEntry>(&entry, 1));
}

}  // namespace samflyt::store
