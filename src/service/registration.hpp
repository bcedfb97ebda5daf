// Registering a patient, shared by create_patient and
// start_episode_for_person (one place for what a new patient must be).
#pragma once

#include "service/access_control.hpp"
#include "service/use_cases.hpp"

namespace samflyt::service::detail {

// The patient `input` describes, checked (national id with its check
// digits and a birth date not in the future, name, birth date agreeing);
// everything but the municipality, which needs the database.
Result<core::Patient> new_patient(Context& ctx, const NewPatient& input);

// Inserts `p` after checking that its municipality is one, with its audit
// row; conflict when the national id is registered already.
Result<void> register_patient(Transaction& tx, AuditTrail& trail, const Caller& caller,
                              const core::Patient& p);

}  // namespace samflyt::service::detail
