#include "service/access_control.hpp"

namespace samflyt::service {

void AuditTrail::add(const Caller& caller, const core::AccessDecision& d, Instant at,
                     std::string patient_id, std::string resource, std::string action) {
  AuditEntry e;
  e.at = at;
  e.user_id = caller.principal.user_id;
  e.role = d.role;
  e.organisation_id = d.organisation_id;
  e.basis = std::string(core::to_string(d.basis));
  e.patient_id = std::move(patient_id);
  e.resource = std::move(resource);
  e.action = std::move(action);
  e.outcome = d.allowed ? "allowed" : "denied";
  e.emergency = d.emergency;
  e.request_id = caller.request_id;
  entries.push_back(std::move(e));
}

void AuditTrail::add_event(const Caller& caller, Instant at, std::string patient_id,
                           std::string resource, std::string action, std::string outcome) {
  AuditEntry e;
  e.at = at;
  e.user_id = caller.principal.user_id;
  e.basis = "none";
  e.patient_id = std::move(patient_id);
  e.resource = std::move(resource);
  e.action = std::move(action);
  e.outcome = std::move(outcome);
  e.request_id = caller.request_id;
  entries.push_back(std::move(e));
}

Result<std::pair<core::EpisodeAccessFacts, core::AccessDecision>> require_episode_access(
    Transaction& tx, const Caller& caller, const std::string& episode_id, core::Action action,
    Instant now, AuditTrail& trail, const std::string& resource, const std::string& audit_action) {
  SAMFLYT_TRY(auto facts, tx.access().facts(episode_id, caller.principal));
  if (!facts)
    return make_error(ErrorCode::not_found, "There is no such episode.", "Forløpet finnes ikke.");
  auto decision = core::decide_episode_access(caller.principal, *facts, action, now);
  trail.add(caller, decision, now, facts->patient_id, resource, audit_action);
  if (!decision.allowed) return *decision.refusal;
  return std::make_pair(std::move(*facts), std::move(decision));
}

Result<core::AccessDecision> require_patient_access(Transaction& tx, const Caller& caller,
                                                    const core::Patient& patient,
                                                    core::Action action, Instant now,
                                                    AuditTrail& trail, const std::string& resource,
                                                    const std::string& audit_action) {
  EpisodeFilter filter;
  filter.patient_id = patient.id;
  filter.limit = 1000;
  SAMFLYT_TRY(auto episodes, tx.episodes().list(filter));
  std::optional<core::AccessDecision> decision;
  for (const auto& e : episodes) {
    SAMFLYT_TRY(auto facts, tx.access().facts(e.id, caller.principal));
    if (!facts) continue;
    decision = core::decide_episode_access(caller.principal, *facts, action, now);
    if (decision->allowed) break;
  }
  if (!decision || !decision->allowed) {
    SAMFLYT_TRY(auto facts, tx.access().patient_facts(patient));
    auto d = core::decide_episode_access(caller.principal, facts, action, now);
    if (d.allowed || !decision) decision = std::move(d);
  }
  trail.add(caller, *decision, now, patient.id, resource, audit_action);
  if (!decision->allowed) return *decision->refusal;
  return std::move(*decision);
}

Result<void> require_clinical_role(const Caller& caller) {
  const auto& who = caller.principal;
  if (who.kind == core::AccountKind::staff)
    for (const auto& g : who.grants)
      if (core::is_clinical_role(g.role)) return {};
  return make_error(ErrorCode::forbidden, "This needs a clinical role in an organisation.",
                    "Dette krever en klinisk rolle i en organisasjon.");
}

Result<void> require_role(const Caller& caller, std::string_view role) {
  if (caller.principal.kind == core::AccountKind::staff && caller.principal.has_role(role))
    return {};
  return make_error(ErrorCode::forbidden, "This needs the role " + std::string(role) + ".",
                    "Dette krever rollen " + std::string(role) + ".");
}

}  // namespace samflyt::service
