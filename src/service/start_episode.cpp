#include "service/registration.hpp"

namespace samflyt::service {

namespace {
Result<void> require_org(Transaction& tx, const std::string& id, core::OrgKind kind,
                         const char* field, const char* en, const char* nb) {
  SAMFLYT_TRY(auto org, tx.organisations().get(id));
  if (!org || org->kind != kind) return make_error(ErrorCode::invalid_input, en, nb, field);
  return {};
}

// Starts the episode inside `tx`: the caller needs a basis for the episode
// it will be, and the patient no running episode of the pathway.
Result<EpisodeView> start_in(Context& ctx, const Caller& caller, Transaction& tx, AuditTrail& trail,
                             const core::Patient& patient, const NewEpisode& input, Instant now) {
  if (patient.birth_date && input.started_at &&
      *input.started_at < core::oslo_start_of_day(*patient.birth_date))
    return make_error(ErrorCode::invalid_input, "started_at is before the patient was born.",
                      "started_at er før pasienten ble født.", "started_at");
  SAMFLYT_CHECK(require_org(tx, input.hospital_unit_id, core::OrgKind::hospital_unit,
                            "hospital_unit_id", "hospital_unit_id is not a known hospital unit.",
                            "hospital_unit_id er ikke en kjent sykehusavdeling."));
  SAMFLYT_CHECK(require_org(tx, input.municipality_id, core::OrgKind::municipality,
                            "municipality_id", "municipality_id is not a known municipality.",
                            "municipality_id er ikke en kjent kommune."));
  // The one who starts an episode needs a basis for the episode it will be.
  SAMFLYT_TRY(auto facts, tx.access().patient_facts(patient));
  facts.hospital_unit_id = input.hospital_unit_id;
  facts.municipality_id = input.municipality_id;
  auto decision = core::decide_episode_access(caller.principal, facts, core::Action::write, now);
  trail.add(caller, decision, now, patient.id, "episode", "create");
  if (!decision.allowed) return *decision.refusal;
  // A municipality's staff start episodes only for their own patients:
  // naming one's own municipality must not create a basis for anyone.
  if (decision.basis == core::Basis::municipality &&
      input.municipality_id != patient.municipality_id)
    return make_error(
        ErrorCode::forbidden, "You can start a pathway only for patients of your own municipality.",
        "Du kan bare starte forløp for pasienter i din egen kommune.", "municipality_id");
  if (decision.basis != core::Basis::hospital_unit && decision.basis != core::Basis::municipality)
    return make_error(ErrorCode::forbidden,
                      "Starting a pathway needs a role in its hospital unit or municipality.",
                      "Å starte et forløp krever en rolle i sykehusenheten eller kommunen.");
  auto current = ctx.templates.current(tx, input.pathway_id);
  if (!current && current.error().code == ErrorCode::not_found)
    return make_error(ErrorCode::invalid_input, "pathway_id is not a known pathway.",
                      "pathway_id er ikke et kjent forløp.", "pathway_id");
  if (!current) return std::move(current).error();
  TemplatePtr pathway = *current;
  // One running episode per patient and pathway: a second start is
  // almost always a double submission.
  EpisodeFilter running;
  running.patient_id = patient.id;
  running.status = core::EpisodeStatus::active;
  SAMFLYT_TRY(auto episodes, tx.episodes().list(running));
  for (const auto& other : episodes)
    if (other.pathway_id == pathway->id)
      return make_error(
          ErrorCode::conflict, "The patient already has a running episode of this pathway.",
          "Pasienten har allerede et pågående forløp etter denne malen.", "patient_id");

  core::Episode e;
  e.id = ctx.ids.new_id();
  e.patient_id = patient.id;
  e.pathway_id = pathway->id;
  e.pathway_version = pathway->version;
  e.hospital_unit_id = input.hospital_unit_id;
  e.municipality_id = input.municipality_id;
  e.started_at = input.started_at.value_or(now);
  e.created_at = now;
  e.updated_at = now;
  auto tasks = core::plan_tasks(*pathway, e, now, [&] { return ctx.ids.new_id(); });
  SAMFLYT_CHECK(tx.episodes().insert(e));
  for (const auto& t : tasks) SAMFLYT_CHECK(tx.tasks().insert(t));
  return EpisodeView{std::move(e), std::move(tasks), pathway};
}

Result<void> check_started_at(const NewEpisode& input, Instant now) {
  if (input.started_at && *input.started_at > now + std::chrono::minutes(5))
    return make_error(ErrorCode::invalid_input, "started_at cannot be in the future.",
                      "started_at kan ikke være fram i tid.", "started_at");
  return {};
}
}  // namespace

Result<EpisodeView> start_episode(Context& ctx, const Caller& caller, const NewEpisode& input) {
  Instant now = ctx.clock.now();
  SAMFLYT_CHECK(check_started_at(input, now));
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<EpisodeView> {
        SAMFLYT_TRY(auto patient, tx.patients().get(input.patient_id));
        if (!patient)
          return make_error(ErrorCode::invalid_input, "patient_id is not a known patient.",
                            "patient_id er ikke en kjent pasient.", "patient_id");
        return start_in(ctx, caller, tx, trail, *patient, input, now);
      });
}

Result<EpisodeView> start_episode_for_person(Context& ctx, const Caller& caller,
                                             const NewPatient& person, NewEpisode input) {
  SAMFLYT_CHECK(require_clinical_role(caller));
  Instant now = ctx.clock.now();
  SAMFLYT_CHECK(check_started_at(input, now));
  // Checked in full even for a known patient, so that the answer does not
  // tell whether they were.
  SAMFLYT_TRY(auto fresh, detail::new_patient(ctx, person));
  return audited(ctx, caller, TxMode::write,
                 [&](Transaction& tx, AuditTrail& trail) -> Result<EpisodeView> {
                   // A patient registered here and then refused is rolled back with the rest.
                   SAMFLYT_TRY(auto patient, tx.patients().find_by_national_id(fresh.national_id));
                   if (!patient) {
                     SAMFLYT_CHECK(detail::register_patient(tx, trail, caller, fresh));
                     patient = fresh;
                   }
                   return start_in(ctx, caller, tx, trail, *patient, input, now);
                 });
}

}  // namespace samflyt::service
