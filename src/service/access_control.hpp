// How use cases apply the access rule (core/access.hpp) and write the audit
// log: every use case that touches patient data runs inside audited(),
// asks require_episode_access() (or the list helpers) before it reads or
// writes, and so leaves one audit row per patient it touched, allowed or
// denied.
//
// Writes append their rows in their own transaction; reads (and refused
// writes) hand them to the AuditWriter and return nothing until they are
// durable.
#pragma once

#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "service/audit_writer.hpp"
#include "service/context.hpp"

namespace samflyt::service {

// The audit rows of one request.
struct AuditTrail {
  std::vector<AuditEntry> entries;

  void add(const Caller& caller, const core::AccessDecision& d, Instant at, std::string patient_id,
           std::string resource, std::string action);
  // A row for an event that rests on no access decision (e.g. a login).
  void add_event(const Caller& caller, Instant at, std::string patient_id, std::string resource,
                 std::string action, std::string outcome);
};

// Loads what the rule needs about the episode, decides, and notes the
// audit row. not_found when there is no such episode; forbidden (with the
// rule's reason) when the caller has no basis.
Result<std::pair<core::EpisodeAccessFacts, core::AccessDecision>> require_episode_access(
    Transaction& tx, const Caller& caller, const std::string& episode_id, core::Action action,
    Instant now, AuditTrail& trail, const std::string& resource, const std::string& audit_action);

// Access to a patient: through any of their episodes, or, for staff, a
// clinical role in the patient's municipality (before an episode exists).
Result<core::AccessDecision> require_patient_access(Transaction& tx, const Caller& caller,
                                                    const core::Patient& patient,
                                                    core::Action action, Instant now,
                                                    AuditTrail& trail, const std::string& resource,
                                                    const std::string& audit_action);

// Refuses anyone without a staff account and a clinical role.
Result<void> require_clinical_role(const Caller& caller);
// Refuses anyone who does not hold `role` (e.g. admin, leder).
Result<void> require_role(const Caller& caller, std::string_view role);

// Runs `f(tx, trail)` in one transaction and writes its audit trail (the
// audit log is its own database, see AuditWriter):
// - a write that succeeds has its rows made durable before it commits, so
//   no change is ever without its row (if the commit then fails, rows
//   saying so follow);
// - reads, and writes that fail (their allowed rows marked "denied" when a
//   later rule refused, else "failed"), have
//   their rows left in caller.deferred_audit when the caller's transport
//   writes them before it sends the answer, else written through the
//   AuditWriter before returning.
// When the rows cannot be written, the result is that error, never the data.
template <typename F>
auto audited(Context& ctx, const Caller& caller, TxMode mode, F&& f)
    -> decltype(f(std::declval<Transaction&>(), std::declval<AuditTrail&>())) {
  using R = decltype(f(std::declval<Transaction&>(), std::declval<AuditTrail&>()));
  AuditTrail trail;
  auto run = [&]() -> R {
    auto tx = ctx.db.begin(mode);
    if (!tx) return std::move(tx).error();
    auto r = f(**tx, trail);
    if (!r) return r;
    std::vector<AuditEntry> written;  // durable before the change commits
    if (mode == TxMode::write) {
      if (auto recorded = ctx.audit.record(trail.entries); !recorded)
        return std::move(recorded).error();
      written.swap(trail.entries);
    }
    if (auto committed = (*tx)->commit(); !committed) {
      for (auto& e : written) trail.entries.push_back(e);  // marked failed below
      return std::move(committed).error();
    }
    return r;
  };
  auto result = run();
  if (result && mode == TxMode::write) return result;
  // What was allowed but not done: refused by a later rule, or failed.
  if (!result)
    for (auto& e : trail.entries)
      if (e.outcome == "allowed")
        e.outcome = result.error().code == ErrorCode::forbidden ? "denied" : "failed";
  if (caller.deferred_audit) {
    caller.deferred_audit->insert(caller.deferred_audit->end(),
                                  std::make_move_iterator(trail.entries.begin()),
                                  std::make_move_iterator(trail.entries.end()));
    return result;
  }
  if (auto recorded = ctx.audit.record(trail.entries); !recorded)
    return std::move(recorded).error();
  return result;
}

}  // namespace samflyt::service
