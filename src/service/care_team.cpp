// The care team (ansvarsgruppe, behandlingsteam, ressursteam) of an
// episode. Membership with an account gives the care-team access basis.
#include "core/roles.hpp"
#include "core/text.hpp"
#include "service/use_cases.hpp"

namespace samflyt::service {

namespace {
// Care-team membership is a lasting basis: it cannot be given (or taken)
// on the strength of a time-limited self-authorisation, which would make
// akuttilgang permanent without review.
Result<void> not_on_self_authorisation(const core::AccessDecision& d) {
  if (d.basis != core::Basis::self_authorisation) return {};
  return make_error(ErrorCode::forbidden,
                    "A self-authorisation does not allow changing the care team.",
                    "Egentilgang gir ikke rett til å endre behandlingsteamet.");
}
}  // namespace

Result<std::vector<CareTeamMember>> list_care_team(Context& ctx, const Caller& caller,
                                                   const std::string& episode_id) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::read,
      [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<CareTeamMember>> {
        SAMFLYT_CHECK(require_episode_access(tx, caller, episode_id, core::Action::read, now, trail,
                                             "episode/" + episode_id + "/care-team", "read"));
        return tx.access().members(episode_id);
      });
}

Result<CareTeamMember> add_care_team_member(Context& ctx, const Caller& caller,
                                            const std::string& episode_id,
                                            const NewCareTeamMember& input) {
  if (!core::find_role(input.role) || input.role == core::kMessageExchangeRole)
    return make_error(ErrorCode::invalid_input, "Unknown role: " + input.role + ".",
                      "Ukjent rolle: " + input.role + ".", "role");
  SAMFLYT_CHECK(core::check_text(input.name, 200, false, "name"));
  SAMFLYT_CHECK(core::check_text(input.phone, 40, false, "phone"));
  SAMFLYT_CHECK(core::check_text(input.email, 200, false, "email"));
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::write,
      [&](Transaction& tx, AuditTrail& trail) -> Result<CareTeamMember> {
        SAMFLYT_TRY(auto access,
                    require_episode_access(tx, caller, episode_id, core::Action::write, now, trail,
                                           "episode/" + episode_id + "/care-team", "add"));
        SAMFLYT_CHECK(not_on_self_authorisation(access.second));
        CareTeamMember m{ctx.ids.new_id(),
                         episode_id,
                         input.user_id,
                         input.name,
                         input.role,
                         input.organisation_id,
                         input.phone,
                         input.email,
                         caller.principal.user_id,
                         now};
        if (!m.user_id.empty()) {
          SAMFLYT_TRY(auto user, tx.accounts().get(m.user_id));
          if (!user || user->kind != core::AccountKind::staff)
            return make_error(ErrorCode::invalid_input, "user_id is not a known staff account.",
                              "user_id er ikke en kjent ansattkonto.", "user_id");
          if (m.name.empty()) m.name = user->display_name;
        }
        if (m.name.empty())
          return make_error(ErrorCode::invalid_input, "The member needs a name.",
                            "Medlemmet trenger et navn.", "name");
        if (!m.organisation_id.empty()) {
          SAMFLYT_TRY(auto org, tx.organisations().get(m.organisation_id));
          if (!org)
            return make_error(ErrorCode::invalid_input, "organisation_id is not known.",
                              "organisation_id er ukjent.", "organisation_id");
        }
        auto added = tx.access().add_member(m);
        if (!added && added.error().code == ErrorCode::conflict)
          return make_error(ErrorCode::conflict, "The person is already in the care team.",
                            "Personen er allerede med i teamet.", "user_id");
        SAMFLYT_CHECK(std::move(added));
        return m;
      });
}

Result<void> remove_care_team_member(Context& ctx, const Caller& caller,
                                     const std::string& episode_id, const std::string& member_id) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<void> {
        SAMFLYT_TRY(
            auto access,
            require_episode_access(tx, caller, episode_id, core::Action::write, now, trail,
                                   "episode/" + episode_id + "/care-team/" + member_id, "remove"));
        SAMFLYT_CHECK(not_on_self_authorisation(access.second));
        return tx.access().remove_member(episode_id, member_id);
      });
}

}  // namespace samflyt::service
