#include "core/calendar.hpp"
#include "core/text.hpp"
#include "service/registration.hpp"

namespace samflyt::service {

namespace {
Result<void> require_text(const std::string& value, const char* field, const char* en,
                          const char* nb) {
  if (value.find_first_not_of(" \t\r\n") == std::string::npos)
    return make_error(ErrorCode::invalid_input, en, nb, field);
  return {};
}
}  // namespace

Result<core::PersonId> check_national_id(const Context& ctx, const std::string& national_id) {
  SAMFLYT_TRY(core::PersonId pid,
              core::parse_national_id(national_id, ctx.identity).or_field("national_id"));
  if (pid.birth_date > core::oslo_date(ctx.clock.now()))
    return make_error(ErrorCode::invalid_input,
                      "The national identity number gives a birth date in the future.",
                      "Fødselsnummeret gir en fødselsdato fram i tid.", "national_id");
  return pid;
}

namespace detail {

Result<core::Patient> new_patient(Context& ctx, const NewPatient& input) {
  SAMFLYT_TRY(core::PersonId pid, check_national_id(ctx, input.national_id));
  SAMFLYT_CHECK(require_text(input.name, "name", "The patient's name is missing.",
                             "Pasientens navn mangler."));
  SAMFLYT_CHECK(core::check_text(input.name, 200, false, "name"));
  if (input.birth_date) {
    SAMFLYT_TRY(core::Date given, core::parse_date(*input.birth_date).or_field("birth_date"));
    if (given != pid.birth_date)
      return make_error(ErrorCode::invalid_input,
                        "The birth date does not match the national identity number.",
                        "Fødselsdatoen stemmer ikke med fødselsnummeret.", "birth_date");
  }
  core::Patient p;
  p.id = ctx.ids.new_id();
  p.national_id = pid.digits;
  p.name = input.name;
  p.municipality_id = input.municipality_id;
  p.birth_date = pid.birth_date;
  p.created_at = ctx.clock.now();
  return p;
}

Result<void> register_patient(Transaction& tx, AuditTrail& trail, const Caller& caller,
                              const core::Patient& p) {
  SAMFLYT_TRY(auto municipality, tx.organisations().get(p.municipality_id));
  if (!municipality || municipality->kind != core::OrgKind::municipality)
    return make_error(ErrorCode::invalid_input, "municipality_id is not a known municipality.",
                      "municipality_id er ikke en kjent kommune.", "municipality_id");
  SAMFLYT_TRY(auto existing, tx.patients().find_by_national_id(p.national_id));
  if (existing) {
    // Telling that someone is a patient here is itself patient data.
    trail.add_event(caller, p.created_at, existing->id, "patient/" + existing->id, "create",
                    "denied");
    return make_error(ErrorCode::conflict,
                      "A patient with this national identity number already exists.",
                      "Det finnes allerede en pasient med dette fødselsnummeret.", "national_id");
  }
  SAMFLYT_CHECK(tx.patients().insert(p));
  trail.add_event(caller, p.created_at, p.id, "patient/" + p.id, "create", "allowed");
  return {};
}

}  // namespace detail

// Any staff member with a clinical role may register a patient (the
// hospital admits patients from everywhere); reading them afterwards
// follows the access rule.
Result<core::Patient> create_patient(Context& ctx, const Caller& caller, const NewPatient& input) {
  SAMFLYT_CHECK(require_clinical_role(caller));
  SAMFLYT_TRY(auto p, detail::new_patient(ctx, input));
  return audited(ctx, caller, TxMode::write,
                 [&](Transaction& tx, AuditTrail& trail) -> Result<core::Patient> {
                   SAMFLYT_CHECK(detail::register_patient(tx, trail, caller, p));
                   return p;
                 });
}

}  // namespace samflyt::service
