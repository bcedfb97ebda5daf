#include "core/access.hpp"

#include <algorithm>
#include <chrono>

#include "core/roles.hpp"

namespace samflyt::core {

std::string_view to_string(AccountKind k) {
  switch (k) {
    case AccountKind::staff:
      return "staff";
    case AccountKind::family:
      return "family";
    case AccountKind::system:
      return "system";
  }
  return "staff";
}

std::optional<AccountKind> parse_account_kind(std::string_view s) {
  for (auto k : {AccountKind::staff, AccountKind::family, AccountKind::system})
    if (to_string(k) == s) return k;
  return std::nullopt;
}

std::string_view to_string(Basis b) {
  switch (b) {
    case Basis::none:
      return "none";
    case Basis::care_team:
      return "care_team";
    case Basis::hospital_unit:
      return "hospital_unit";
    case Basis::municipality:
      return "municipality";
    case Basis::self_authorisation:
      return "self_authorisation";
    case Basis::guardian:
      return "guardian";
    case Basis::patient:
      return "patient";
  }
  return "none";
}

std::string_view to_string(FamilyRelation r) {
  return r == FamilyRelation::guardian ? "guardian" : "self";
}

std::optional<FamilyRelation> parse_family_relation(std::string_view s) {
  if (s == "guardian") return FamilyRelation::guardian;
  if (s == "self") return FamilyRelation::self;
  return std::nullopt;
}

std::string_view to_string(Action a) {
  switch (a) {
    case Action::read:
      return "read";
    case Action::write:
      return "write";
    case Action::consent:
      return "consent";
  }
  return "write";
}

bool is_clinical_role(std::string_view role) {
  return find_role(role) != nullptr && role != "admin" && role != "leder" && role != "foresatt" &&
         role != "pasient" && role != kMessageExchangeRole;
}

bool Principal::has_role(std::string_view role) const {
  return std::any_of(grants.begin(), grants.end(),
                     [&](const RoleGrant& g) { return g.role == role; });
}

int age_on(Date birth_date, Instant now) {
  Date today = oslo_date(now);
  int age = static_cast<int>(today.year()) - static_cast<int>(birth_date.year());
  auto md_today = std::chrono::month_day{today.month(), today.day()};
  auto md_birth = std::chrono::month_day{birth_date.month(), birth_date.day()};
  if (md_today < md_birth) --age;
  return age;
}

std::vector<std::string> basis_organisations(const Principal& who) {
  std::vector<std::string> out;
  for (const auto& g : who.grants) {
    if (!is_clinical_role(g.role)) continue;
    for (const auto& org : g.organisation_path)
      if (std::find(out.begin(), out.end(), org) == out.end()) out.push_back(org);
  }
  return out;
}

std::vector<std::string> grant_organisations(const Principal& who) {
  std::vector<std::string> out;
  for (const auto& g : who.grants)
    for (const auto& org : g.organisation_path)
      if (std::find(out.begin(), out.end(), org) == out.end()) out.push_back(org);
  return out;
}

bool block_covers(const Block& block, const Principal& who) {
  if (!block.user_id.empty()) return block.user_id == who.user_id;
  return std::any_of(who.grants.begin(), who.grants.end(), [&](const RoleGrant& g) {
    return std::find(g.organisation_path.begin(), g.organisation_path.end(),
                     block.organisation_id) != g.organisation_path.end();
  });
}

const RoleGrant* clinical_grant_within(const Principal& who, const std::string& organisation_id) {
  for (const auto& g : who.grants)
    if (is_clinical_role(g.role) &&
        std::find(g.organisation_path.begin(), g.organisation_path.end(), organisation_id) !=
            g.organisation_path.end())
      return &g;
  return nullptr;
}

namespace {

AccessDecision refuse(std::string en, std::string nb) {
  AccessDecision d;
  d.refusal = make_error(ErrorCode::forbidden, std::move(en), std::move(nb));
  return d;
}

AccessDecision allow(Basis basis, std::string role = {}, std::string organisation_id = {}) {
  AccessDecision d;
  d.allowed = true;
  d.basis = basis;
  d.role = std::move(role);
  d.organisation_id = std::move(organisation_id);
  return d;
}

const RoleGrant* first_clinical_grant(const Principal& who) {
  for (const auto& g : who.grants)
    if (is_clinical_role(g.role)) return &g;
  return nullptr;
}

AccessDecision decide_family(const Principal& who, const EpisodeAccessFacts& facts, Action action,
                             Instant now) {
  auto link = std::find_if(facts.family.begin(), facts.family.end(),
                           [&](const FamilyLink& l) { return l.user_id == who.user_id; });
  if (link == facts.family.end())
    return refuse("You are not registered as family of this patient.",
                  "Du er ikke registrert som pårørende til denne pasienten.");
  if (action != Action::read && action != Action::consent)
    return refuse("Family members can read the pathway but not change it here.",
                  "Familien kan lese forløpet, men ikke endre det her.");
  if (!facts.patient_birth_date)
    return refuse("The patient's age is unknown, so family access cannot be decided.",
                  "Pasientens alder er ukjent, så familiens tilgang kan ikke avgjøres.");
  int age = age_on(*facts.patient_birth_date, now);
  if (link->relation == FamilyRelation::self) {
    if (age < 16)
      return refuse("Until 16, your guardians follow the pathway on your behalf.",
                    "Før du fyller 16 år, følger foresatte forløpet på dine vegne.");
    auto d = allow(Basis::patient, "pasient");
    d.family_view = FamilyView::full;
    return d;
  }
  if (age >= 16)
    return refuse("From 16 the young person follows their own pathway; guardian access has ended.",
                  "Fra 16 år følger ungdommen sitt eget forløp; foresattes tilgang er avsluttet.");
  auto d = allow(Basis::guardian, "foresatt");
  d.family_view = age < 12 ? FamilyView::full : FamilyView::restricted;
  return d;
}

}  // namespace

AccessDecision decide_episode_access(const Principal& who, const EpisodeAccessFacts& facts,
                                     Action action, Instant now) {
  if (who.kind == AccountKind::system)
    return refuse("System accounts have no access to patient data.",
                  "Systemkontoer har ikke tilgang til pasientdata.");

  const Block* block = nullptr;
  for (const auto& b : facts.blocks)
    if (block_covers(b, who)) block = &b;

  const SelfAuthorisation* self_auth = nullptr;
  for (const auto& s : facts.self_authorisations)
    if (s.user_id == who.user_id && s.episode_id == facts.episode_id && s.starts_at <= now &&
        now < s.ends_at && (!block || s.emergency) && (!self_auth || s.emergency))
      self_auth = &s;

  if (block) {
    if (!self_auth || !self_auth->emergency)
      return refuse("The patient has blocked your access to this record (sperring).",
                    "Pasienten har sperret din tilgang til disse opplysningene (sperring).");
    const RoleGrant* g = first_clinical_grant(who);
    auto d = allow(Basis::self_authorisation, g ? g->role : "", g ? g->organisation_id : "");
    d.emergency = true;
    return d;
  }

  if (who.kind == AccountKind::family) return decide_family(who, facts, action, now);

  if (std::find(facts.care_team_user_ids.begin(), facts.care_team_user_ids.end(), who.user_id) !=
      facts.care_team_user_ids.end()) {
    const RoleGrant* g = first_clinical_grant(who);
    return allow(Basis::care_team, g ? g->role : "", g ? g->organisation_id : "");
  }
  if (const RoleGrant* g = clinical_grant_within(who, facts.hospital_unit_id))
    return allow(Basis::hospital_unit, g->role, g->organisation_id);
  if (const RoleGrant* g = clinical_grant_within(who, facts.municipality_id))
    return allow(Basis::municipality, g->role, g->organisation_id);
  if (self_auth) {
    const RoleGrant* g = first_clinical_grant(who);
    return allow(Basis::self_authorisation, g ? g->role : "", g ? g->organisation_id : "");
  }
  return refuse(
      "You have no basis for this patient's record: you are not in the care team and have no "
      "role in the responsible unit or the patient's municipality.",
      "Du har ikke tjenstlig behov for denne pasientens opplysninger: du er ikke i "
      "behandlingsteamet og har ingen rolle i ansvarlig enhet eller pasientens kommune.");
}

AccessDecision decide_worklist_access(const Principal& who, const Organisation& org) {
  if (who.kind == AccountKind::staff)
    if (const RoleGrant* g = clinical_grant_within(who, org.id))
      return allow(org.kind == OrgKind::hospital_unit ? Basis::hospital_unit : Basis::municipality,
                   g->role, g->organisation_id);
  return refuse("You have no role in this organisation, so you cannot see its worklist.",
                "Du har ingen rolle i denne organisasjonen og kan ikke se arbeidslisten.");
}

bool family_sees_task(FamilyView view, std::string_view lane, StepKind kind) {
  switch (view) {
    case FamilyView::none:
      return false;
    case FamilyView::full:
      return true;
    case FamilyView::restricted:
      return lane == "family" || kind == StepKind::meeting;
  }
  return false;
}

Task as_family_sees(Task task) {
  task.note.clear();
  task.reason.clear();
  task.assignee_id.clear();
  task.assignee_role.clear();
  return task;
}

}  // namespace samflyt::core
