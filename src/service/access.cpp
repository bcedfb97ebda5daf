// Self-authorisation (akuttilgang), blocks (sperring), consent (samtykke)
// and the patient's access log.
#include <algorithm>

#include "core/calendar.hpp"
#include "core/text.hpp"
#include "service/use_cases.hpp"

namespace samflyt::service {

namespace {

using namespace std::chrono_literals;

// Administrators (on the patient's request), or the patient or a guardian
// with access, manage the patient's blocks and see their access log.
Result<core::AccessDecision> require_privacy_access(Transaction& tx, const Caller& caller,
                                                    const std::string& patient_id, Instant now,
                                                    AuditTrail& trail, const std::string& resource,
                                                    const std::string& action) {
  SAMFLYT_TRY(auto p, tx.patients().get(patient_id));
  if (!p)
    return make_error(ErrorCode::not_found, "There is no such patient.", "Pasienten finnes ikke.");
  if (caller.principal.kind == core::AccountKind::staff && caller.principal.has_role("admin")) {
    // An administrator of an organisation that runs one of the patient's
    // episodes (or is above one that does), or of the patient's municipality.
    EpisodeFilter filter;
    filter.patient_id = patient_id;
    filter.limit = 1000;
    SAMFLYT_TRY(auto episodes, tx.episodes().list(filter));
    std::vector<std::string> orgs{p->municipality_id};
    for (const auto& e : episodes) {
      orgs.push_back(e.hospital_unit_id);
      orgs.push_back(e.municipality_id);
    }
    std::vector<std::string> within;  // those organisations and their ancestors
    for (std::string org : orgs)
      for (int depth = 0; depth < 16 && !org.empty(); ++depth) {
        within.push_back(org);
        SAMFLYT_TRY(auto o, tx.organisations().get(org));
        org = o ? o->parent_id : std::string();
      }
    core::AccessDecision d;
    d.role = "admin";
    for (const auto& g : caller.principal.grants)
      if (g.role == "admin" &&
          std::find(within.begin(), within.end(), g.organisation_id) != within.end()) {
        d.allowed = true;
        d.organisation_id = g.organisation_id;
      }
    // A block against this administrator in person covers the blocks and
    // the access log too: another administrator must act, so that no one
    // lifts a block against themselves. (A block against a whole
    // organisation does not stop its administrators, or it could never be
    // lifted.)
    bool blocked = false;
    if (d.allowed) {
      SAMFLYT_TRY(auto blocks, tx.access().blocks(patient_id));
      blocked = std::any_of(blocks.begin(), blocks.end(), [&](const core::Block& b) {
        return b.user_id == caller.principal.user_id;
      });
    }
    if (blocked) d.allowed = false;
    trail.add(caller, d, now, patient_id, resource, action);
    if (blocked)
      return make_error(ErrorCode::forbidden,
                        "The patient has blocked your access (sperring). Another administrator "
                        "must do this.",
                        "Pasienten har sperret for din tilgang. En annen administrator må gjøre "
                        "dette.");
    if (!d.allowed)
      return make_error(ErrorCode::forbidden,
                        "You administer no organisation that has this patient.",
                        "Du administrerer ingen organisasjon som har denne pasienten.");
    return d;
  }
  if (caller.principal.kind == core::AccountKind::family) {
    SAMFLYT_TRY(auto d, require_patient_access(tx, caller, *p, core::Action::read, now, trail,
                                               resource, action));
    if (d.family_view != core::FamilyView::full)
      return make_error(
          ErrorCode::forbidden,
          "From 12, blocks and the access log are for the young person and staff.",
          "Fra 12 år er sperringer og tilgangsloggen for ungdommen og helsepersonell.");
    return d;
  }
  trail.add_event(caller, now, patient_id, resource, action, "denied");
  return make_error(ErrorCode::forbidden,
                    "Only the patient, a guardian or an administrator can do this.",
                    "Bare pasienten, en foresatt eller en administrator kan gjøre dette.");
}

}  // namespace

Result<core::SelfAuthorisation> self_authorise(Context& ctx, const Caller& caller,
                                               const std::string& episode_id,
                                               const NewSelfAuthorisation& input) {
  SAMFLYT_CHECK(require_clinical_role(caller));
  SAMFLYT_CHECK(core::check_text(input.reason, 500, true, "reason"));
  if (core::count_characters(input.reason) < 10)
    return make_error(ErrorCode::invalid_input, "Say why you need access (at least 10 characters).",
                      "Skriv hvorfor du trenger tilgang (minst 10 tegn).", "reason");
  if (input.duration < 5min || input.duration > ctx.auth.self_authorisation_max)
    return make_error(
        ErrorCode::invalid_input,
        "The access can last from 5 minutes to " +
            std::to_string(ctx.auth.self_authorisation_max.count() / 3600) + " hours.",
        "Tilgangen kan vare fra 5 minutter til " +
            std::to_string(ctx.auth.self_authorisation_max.count() / 3600) + " timer.",
        "hours");
  Instant now = ctx.clock.now();
  return audited(ctx, caller, TxMode::write,
                 [&](Transaction& tx, AuditTrail& trail) -> Result<core::SelfAuthorisation> {
                   SAMFLYT_TRY(auto facts, tx.access().facts(episode_id, caller.principal));
                   if (!facts)
                     return make_error(ErrorCode::not_found, "There is no such episode.",
                                       "Forløpet finnes ikke.");
                   core::SelfAuthorisation a;
                   a.id = ctx.ids.new_id();
                   a.user_id = caller.principal.user_id;
                   a.episode_id = episode_id;
                   a.reason = input.reason;
                   a.emergency = input.emergency;
                   a.starts_at = now;
                   a.ends_at = now + input.duration;
                   a.organisations = core::grant_organisations(caller.principal);
                   // Decided as if it were in force; stored only when that allows.
                   facts->self_authorisations.push_back(a);
                   auto d = core::decide_episode_access(caller.principal, *facts,
                                                        core::Action::read, now);
                   trail.add(caller, d, now, facts->patient_id,
                             "episode/" + episode_id + "/self-authorisation",
                             input.emergency ? "self-authorise-emergency" : "self-authorise");
                   if (!d.allowed) return *d.refusal;  // e.g. a block only an emergency passes
                   SAMFLYT_CHECK(tx.access().insert_self_authorisation(a));
                   return a;
                 });
}

Result<std::vector<core::SelfAuthorisation>> list_self_authorisations(Context& ctx,
                                                                      const Caller& caller,
                                                                      bool pending_only) {
  SAMFLYT_CHECK(require_role(caller, "leder"));
  AuditTrail trail;
  trail.add_event(caller, ctx.clock.now(), "", "self-authorisations", "list", "allowed");
  SAMFLYT_CHECK(ctx.audit.record(trail.entries));
  std::vector<std::string> led;
  for (const auto& g : caller.principal.grants)
    if (g.role == "leder") led.push_back(g.organisation_id);
  return in_transaction(
      ctx.db, TxMode::read, [&](Transaction& tx) -> Result<std::vector<core::SelfAuthorisation>> {
        SAMFLYT_TRY(auto all, tx.access().self_authorisations(pending_only));
        std::vector<core::SelfAuthorisation> out;
        std::map<std::string, bool> in_scope;  // by user id
        for (auto& a : all) {
          // Reviewed where the person worked when they authorised themselves.
          if (!a.organisations.empty()) {
            if (std::find_first_of(a.organisations.begin(), a.organisations.end(), led.begin(),
                                   led.end()) != a.organisations.end())
              out.push_back(std::move(a));
            continue;
          }
          auto [it, first] = in_scope.try_emplace(a.user_id, false);
          if (first) {
            SAMFLYT_TRY(auto grants, tx.accounts().grants(a.user_id));
            for (const auto& g : grants)
              for (const auto& org : led)
                if (std::find(g.organisation_path.begin(), g.organisation_path.end(), org) !=
                    g.organisation_path.end())
                  it->second = true;
          }
          if (it->second) out.push_back(std::move(a));
        }
        return out;
      });
}

Result<void> review_self_authorisation(Context& ctx, const Caller& caller, const std::string& id) {
  SAMFLYT_TRY(auto visible, list_self_authorisations(ctx, caller, true));
  auto it = std::find_if(visible.begin(), visible.end(),
                         [&](const core::SelfAuthorisation& a) { return a.id == id; });
  if (it == visible.end())
    return make_error(ErrorCode::not_found, "No pending self-authorisation with that id for you.",
                      "Ingen ubehandlet egentilgang med den id-en for deg.");
  if (it->user_id == caller.principal.user_id)
    return make_error(ErrorCode::forbidden,
                      "Another leader must review your own self-authorisation.",
                      "En annen leder må gå gjennom din egen egentilgang.");
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<void> {
        trail.add_event(caller, now, "", "self-authorisation/" + id, "review", "allowed");
        SAMFLYT_TRY(bool reviewed,
                    tx.access().review_self_authorisation(id, caller.principal.user_id, now));
        if (!reviewed)
          return make_error(ErrorCode::conflict, "It was reviewed by someone else.",
                            "Den er allerede gjennomgått av noen andre.");
        return {};
      });
}

Result<std::vector<core::Block>> list_blocks(Context& ctx, const Caller& caller,
                                             const std::string& patient_id) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::read,
      [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<core::Block>> {
        SAMFLYT_CHECK(require_privacy_access(tx, caller, patient_id, now, trail,
                                             "patient/" + patient_id + "/blocks", "read"));
        return tx.access().blocks(patient_id);
      });
}

Result<core::Block> add_block(Context& ctx, const Caller& caller, const std::string& patient_id,
                              core::Block input) {
  if (input.user_id.empty() == input.organisation_id.empty())
    return make_error(ErrorCode::invalid_input,
                      "A block is against one person (user_id) or one organisation "
                      "(organisation_id).",
                      "En sperring gjelder én person (user_id) eller én organisasjon "
                      "(organisation_id).",
                      "user_id");
  SAMFLYT_CHECK(core::check_text(input.reason, 500, true, "reason"));
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<core::Block> {
        SAMFLYT_CHECK(require_privacy_access(tx, caller, patient_id, now, trail,
                                             "patient/" + patient_id + "/blocks", "create"));
        if (!input.user_id.empty()) {
          SAMFLYT_TRY(auto u, tx.accounts().get(input.user_id));
          if (!u)
            return make_error(ErrorCode::invalid_input, "user_id is not a known user.",
                              "user_id er ikke en kjent bruker.", "user_id");
        } else {
          SAMFLYT_TRY(auto o, tx.organisations().get(input.organisation_id));
          if (!o)
            return make_error(ErrorCode::invalid_input,
                              "organisation_id is not a known organisation.",
                              "organisation_id er ikke en kjent organisasjon.", "organisation_id");
        }
        input.id = ctx.ids.new_id();
        input.created_at = now;
        SAMFLYT_CHECK(tx.access().insert_block(patient_id, input, caller.principal.user_id));
        return input;
      });
}

Result<void> lift_block(Context& ctx, const Caller& caller, const std::string& patient_id,
                        const std::string& block_id) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<void> {
        SAMFLYT_CHECK(require_privacy_access(tx, caller, patient_id, now, trail,
                                             "patient/" + patient_id + "/blocks/" + block_id,
                                             "lift"));
        SAMFLYT_TRY(bool lifted, tx.access().lift_block(patient_id, block_id, now));
        if (!lifted)
          return make_error(ErrorCode::not_found, "There is no such block in force.",
                            "Det finnes ingen slik sperring.");
        return {};
      });
}

Result<std::vector<core::Consent>> list_consents(Context& ctx, const Caller& caller,
                                                 const std::string& episode_id) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::read,
      [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<core::Consent>> {
        SAMFLYT_CHECK(require_episode_access(tx, caller, episode_id, core::Action::read, now, trail,
                                             "episode/" + episode_id + "/consents", "read"));
        return tx.access().consents(episode_id);
      });
}

Result<core::Consent> record_consent(Context& ctx, const Caller& caller,
                                     const std::string& episode_id, core::Consent input) {
  Instant now = ctx.clock.now();
  input.id = ctx.ids.new_id();
  input.episode_id = episode_id;
  input.recorded_by = caller.principal.user_id;
  input.recorded_at = now;
  input.withdrawn_at.reset();
  input.version = 1;
  if (input.valid_from == Instant{}) input.valid_from = now;
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<core::Consent> {
        // Who may record comes first: a refused caller learns nothing of
        // the input.
        SAMFLYT_TRY(auto access,
                    require_episode_access(tx, caller, episode_id, core::Action::consent, now,
                                           trail, "episode/" + episode_id + "/consents", "create"));
        // The patient or a guardian gives consent in their own name.
        if (access.second.basis == core::Basis::patient ||
            access.second.basis == core::Basis::guardian) {
          input.given_by = access.second.basis == core::Basis::patient
                               ? core::ConsentGiver::patient
                               : core::ConsentGiver::guardian;
          input.given_by_name = caller.principal.display_name;
          // ... from the day they give it, never backdated.
          if (input.valid_from < core::oslo_start_of_day(core::oslo_date(now)))
            return make_error(
                ErrorCode::invalid_input,
                "A consent you give yourself holds from today, not an earlier day.",
                "Et samtykke du gir selv, gjelder fra i dag, ikke fra en tidligere dag.",
                "valid_from");
        }
        SAMFLYT_CHECK(core::check_consent(input));
        if (input.purpose == core::ConsentPurpose::send_documentation)
          for (const auto& org : input.targets) {
            SAMFLYT_TRY(auto o, tx.organisations().get(org));
            if (!o)
              return make_error(ErrorCode::invalid_input,
                                "Unknown organisation in targets: " + org + ".",
                                "Ukjent organisasjon i targets: " + org + ".", "targets");
          }
        SAMFLYT_CHECK(tx.access().insert_consent(input));
        return input;
      });
}

Result<core::Consent> withdraw_consent(Context& ctx, const Caller& caller,
                                       const std::string& episode_id, const std::string& consent_id,
                                       std::int64_t expected_version) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<core::Consent> {
        SAMFLYT_CHECK(require_episode_access(
            tx, caller, episode_id, core::Action::consent, now, trail,
            "episode/" + episode_id + "/consents/" + consent_id, "withdraw"));
        SAMFLYT_TRY(auto all, tx.access().consents(episode_id));
        auto it = std::find_if(all.begin(), all.end(),
                               [&](const core::Consent& c) { return c.id == consent_id; });
        if (it == all.end())
          return make_error(ErrorCode::not_found, "There is no such consent.",
                            "Samtykket finnes ikke.");
        if (it->withdrawn_at)
          return make_error(ErrorCode::conflict, "The consent is already withdrawn.",
                            "Samtykket er allerede trukket tilbake.");
        it->withdrawn_at = now;
        it->version += 1;
        SAMFLYT_CHECK(tx.access().update_consent(*it, expected_version));
        return *it;
      });
}

Result<core::Consent> require_consent(Transaction& tx, const std::string& episode_id,
                                      core::ConsentPurpose purpose, const std::string& target,
                                      Instant now) {
  SAMFLYT_TRY(auto all, tx.access().consents(episode_id));
  if (const auto* c = core::consent_allowing(all, purpose, target, now)) return *c;
  return make_error(ErrorCode::forbidden,
                    "There is no consent in force for this: record the patient's or guardian's "
                    "consent first.",
                    "Det finnes ikke noe gyldig samtykke til dette: registrer pasientens eller "
                    "foresattes samtykke først.");
}

Result<std::vector<AccessLogRow>> patient_access_log(Context& ctx, const Caller& caller,
                                                     const std::string& patient_id, int limit,
                                                     int offset) {
  Instant now = ctx.clock.now();
  return audited(ctx, caller, TxMode::read,
                 [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<AccessLogRow>> {
                   SAMFLYT_TRY(auto d, require_privacy_access(
                                           tx, caller, patient_id, now, trail,
                                           "patient/" + patient_id + "/access-log", "read"));
                   bool admin = d.role == "admin";
                   SAMFLYT_TRY(auto rows, ctx.audit.for_patient(patient_id, limit, offset));
                   std::vector<AccessLogRow> out;
                   for (auto& r : rows) {
                     AccessLogRow row{r.entry.at,        r.entry.organisation_id,
                                      r.entry.role,      r.entry.action,
                                      r.entry.basis,     r.entry.outcome,
                                      r.entry.emergency, admin ? r.entry.user_id : std::string()};
                     out.push_back(std::move(row));
                   }
                   return out;
                 });
}

}  // namespace samflyt::service
