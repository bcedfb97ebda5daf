// Who may read or change a patient's episode (tjenstlig behov): the one
// function every request about patient data goes through, and the rules
// that shape what a family member sees.
//
// A person with a staff account reads or changes an episode on one of these
// bases (tilgangsgrunnlag), tried in this order:
//   1. care_team      - a member of the episode's care team (ansvarsgruppe,
//                       behandlingsteam, ressursteam);
//   2. hospital_unit  - a clinical role in the responsible hospital unit or
//                       an organisation below it;
//   3. municipality   - a clinical role in the patient's municipality or an
//                       organisation below it (e.g. its home nursing);
//   4. self_authorisation - a time-limited self-authorisation (akuttilgang)
//                       the person gave themself with a stated reason; it
//                       lands in the leaders' review list.
// Clinical roles are every role of core/roles.hpp except admin and leder
// (they manage accounts and review access, not patients) and the family's
// own roles. A patient's block (sperring) against a person, or against an
// organisation the person's basis comes from, overrides every basis; only
// a self-authorisation marked as an emergency passes it, and such access is
// flagged in the audit log.
//
// Family members (foresatte, the patient) read only episodes of a patient
// they are linked to, by the Norwegian age rules (Helsenorge practice):
//   - a guardian of a child under 12 sees the family view;
//   - a guardian of a child aged 12 to 15 sees the restricted view (the
//     family's own tasks and the meetings, no staff notes);
//   - from 16 the young person acts for themself: guardian access ends and
//     the patient sees the family view of their own episode;
//   - when the age is unknown, a guardian is refused.
// Family members change nothing in an episode but consent (Action::consent),
// which the patient or a guardian gives and withdraws in their own name.
//
// Pure functions over values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/community.hpp"
#include "core/episode.hpp"
#include "core/pathway.hpp"
#include "core/result.hpp"

namespace samflyt::core {

enum class AccountKind { staff, family, system };
std::string_view to_string(AccountKind k);
std::optional<AccountKind> parse_account_kind(std::string_view s);

// A role held in an organisation. `organisation_path` is the organisation
// and its ancestors, nearest first (filled in by the store).
struct RoleGrant {
  std::string role;
  std::string organisation_id;
  std::vector<std::string> organisation_path;
};

// The person (or integration) behind a request.
struct Principal {
  std::string user_id;
  std::string staff_id;  // the staff record of a staff account; may be empty
  std::string display_name;
  AccountKind kind = AccountKind::staff;
  std::vector<RoleGrant> grants;

  bool has_role(std::string_view role) const;
};

// Roles that give a basis for patient data (all but admin, leder,
// meldingsutveksling and the family's roles).
bool is_clinical_role(std::string_view role);

enum class Basis {
  none,
  care_team,
  hospital_unit,
  municipality,
  self_authorisation,
  guardian,
  patient,
};
std::string_view to_string(Basis b);

enum class FamilyRelation { guardian, self };  // foresatt, pasient
std::string_view to_string(FamilyRelation r);
std::optional<FamilyRelation> parse_family_relation(std::string_view s);

struct FamilyLink {
  std::string user_id;
  FamilyRelation relation = FamilyRelation::guardian;
};

// Sperring: the patient's block against one person (user_id) or one
// organisation and everything below it (organisation_id); exactly one is set.
struct Block {
  std::string id;
  std::string user_id;
  std::string organisation_id;
  std::string reason;
  Instant created_at{};
};

// Akuttilgang: access a person gave themself to one episode, with a reason.
struct SelfAuthorisation {
  std::string id;
  std::string user_id;
  std::string episode_id;
  std::string reason;
  bool emergency = false;  // passes a block (nødrett), and is flagged
  Instant starts_at{};
  Instant ends_at{};
  std::string reviewed_by;  // the leader who reviewed it; empty while pending
  std::optional<Instant> reviewed_at;
  // Where the person worked when they authorised themselves (their grants'
  // organisations and those above): whose leaders review it. Empty for
  // those recorded before this was kept.
  std::vector<std::string> organisations;
};

// What the decision needs to know about one episode. Lists hold only rows
// that concern the patient or this episode; the store fetches them.
struct EpisodeAccessFacts {
  std::string episode_id;
  std::string patient_id;
  std::string hospital_unit_id;
  std::string municipality_id;
  std::optional<Date> patient_birth_date;
  std::vector<std::string> care_team_user_ids;
  std::vector<FamilyLink> family;
  std::vector<Block> blocks;
  std::vector<SelfAuthorisation> self_authorisations;  // the principal's, for this episode
};

// consent: giving or withdrawing consent, which staff may with a basis to
// write, and the patient (from 16) or a guardian (until then) too.
enum class Action { read, write, consent };
std::string_view to_string(Action a);

// How much of an episode a family member sees.
enum class FamilyView { none, full, restricted };

struct AccessDecision {
  bool allowed = false;
  Basis basis = Basis::none;
  std::string role;             // the role the basis rests on, if any
  std::string organisation_id;  // that role's organisation, if any
  bool emergency = false;       // a block was passed by an emergency self-authorisation
  FamilyView family_view = FamilyView::none;
  std::optional<Error> refusal;  // why not, when not allowed (no patient data)
};

// The one access rule. `now` decides the patient's age and which
// self-authorisations are in force.
AccessDecision decide_episode_access(const Principal& who, const EpisodeAccessFacts& facts,
                                     Action action, Instant now);

// An organisation's worklist (its unfinished tasks): allowed with a
// clinical role in that organisation or below it; the basis is
// hospital_unit for a hospital unit, municipality otherwise, since the
// tasks are those of episodes the organisation runs. The caller must still
// leave out the rows of patients whose blocks cover the principal
// (block_covers).
AccessDecision decide_worklist_access(const Principal& who, const Organisation& org);

// Age in whole years on the Oslo calendar day of `now`.
int age_on(Date birth_date, Instant now);

// Whether a family member with `view` sees a task of a step of `kind` in
// `lane`, and the task as they see it (staff notes, reasons and assignees
// removed).
bool family_sees_task(FamilyView view, std::string_view lane, StepKind kind);
Task as_family_sees(Task task);

// The organisations whose episodes (as responsible unit or municipality)
// the principal's clinical roles give a basis for: every organisation on
// the path of each clinical grant.
std::vector<std::string> basis_organisations(const Principal& who);

// The principal's first clinical grant in `organisation_id` or in an
// organisation below it (whose work is that organisation's), or null.
const RoleGrant* clinical_grant_within(const Principal& who, const std::string& organisation_id);

// Every organisation on the path of any of the principal's grants (of any
// role): a block on one of them covers the principal.
std::vector<std::string> grant_organisations(const Principal& who);

// Whether a block covers this principal (by person, or by the organisation
// of any of their grants or one above it).
bool block_covers(const Block& block, const Principal& who);

}  // namespace samflyt::core
