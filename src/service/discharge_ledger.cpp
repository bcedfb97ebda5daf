// The discharge-ready ledger of an episode's hospital stays: recording
// their events, the ledger per stay, and the monthly totals for invoicing.
// The rules themselves are core's (core/discharge_ledger.hpp).
#include <map>
#include <set>

#include "service/message_effects.hpp"
#include "service/use_cases.hpp"

namespace samflyt::service {

namespace {

Error no_such_episode() {
  return make_error(ErrorCode::not_found, "There is no such episode.", "Forløpet finnes ikke.");
}

Result<std::vector<StayLedger>> ledgers_of(const std::vector<StoredStayEvent>& events,
                                           const core::LedgerRules& rules, Instant now) {
  std::map<int, std::vector<StoredStayEvent>> by_stay;
  for (const auto& e : events) by_stay[e.stay].push_back(e);
  std::vector<StayLedger> out;
  for (auto& [stay, list] : by_stay) {
    std::vector<core::StayEvent> core_events;
    for (const auto& e : list) core_events.push_back(e.event);
    SAMFLYT_TRY(auto ledger, core::compute_ledger(std::move(core_events), rules, now));
    out.push_back(StayLedger{stay, std::move(list), std::move(ledger)});
  }
  return out;
}

}  // namespace

namespace detail {

Result<std::vector<StayLedger>> add_stay_event(Context& ctx, Transaction& tx,
                                               const std::string& episode_id,
                                               std::vector<StoredStayEvent>& events,
                                               const core::StayEvent& event,
                                               const std::string& recorded_by, Instant now) {
  int last = events.empty() ? 0 : events.back().stay;
  bool last_discharged = false;
  for (const auto& e : events)
    if (e.stay == last && e.event.kind == core::StayEventKind::discharged) last_discharged = true;
  int stay = last;
  if (event.kind == core::StayEventKind::admitted) {
    if (last != 0 && !last_discharged)
      return make_error(
          ErrorCode::conflict, "The patient's last stay has not ended: record the discharge first.",
          "Pasientens siste opphold er ikke avsluttet: registrer utskrivningen først.", "kind");
    stay = last + 1;
  } else if (last == 0) {
    return make_error(
        ErrorCode::invalid_input, "The episode has no hospital stay: record the admission first.",
        "Forløpet har ikke noe sykehusopphold: registrer innleggelsen først.", "kind");
  }
  StoredStayEvent e{ctx.ids.new_id(), episode_id, stay, event, recorded_by, now};
  events.push_back(e);
  // The stay must still make a ledger (e.g. nothing after its discharge).
  auto stays = ledgers_of(events, ctx.ledger_rules, now);
  if (!stays) {
    events.pop_back();
    return std::move(stays).error();
  }
  SAMFLYT_CHECK(tx.stays().insert(e));
  return stays;
}

}  // namespace detail

Result<EpisodeLedger> get_episode_ledger(Context& ctx, const Caller& caller,
                                         const std::string& episode_id) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::read, [&](Transaction& tx, AuditTrail& trail) -> Result<EpisodeLedger> {
        SAMFLYT_TRY(auto access,
                    require_episode_access(tx, caller, episode_id, core::Action::read, now, trail,
                                           "episode/" + episode_id + "/ledger", "read"));
        // The ledger is between the hospital and the municipality; the
        // family's view of the pathway does not include it.
        if (access.second.family_view != core::FamilyView::none)
          return make_error(ErrorCode::forbidden, "The ledger is for staff.",
                            "Oversikten over overliggedøgn er for ansatte.");
        SAMFLYT_TRY(auto episode, tx.episodes().get(episode_id));
        if (!episode) return no_such_episode();
        SAMFLYT_TRY(auto events, tx.stays().events_of_episode(episode_id));
        SAMFLYT_TRY(auto stays, ledgers_of(events, ctx.ledger_rules, now));
        return EpisodeLedger{episode_id, episode->municipality_id, std::move(stays)};
      });
}

Result<EpisodeLedger> record_stay_event(Context& ctx, const Caller& caller,
                                        const std::string& episode_id, const NewStayEvent& input) {
  SAMFLYT_CHECK(require_clinical_role(caller));
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<EpisodeLedger> {
        SAMFLYT_CHECK(require_episode_access(tx, caller, episode_id, core::Action::write, now,
                                             trail, "episode/" + episode_id + "/stay-events",
                                             "create"));
        Instant at = input.at.value_or(now);
        if (at > now + std::chrono::minutes(5))
          return make_error(ErrorCode::invalid_input, "The event cannot be in the future.",
                            "Hendelsen kan ikke være fram i tid.", "at");
        if (input.date && input.kind != core::StayEventKind::municipality_can_receive &&
            input.kind != core::StayEventKind::declared_ready)
          return make_error(ErrorCode::invalid_input,
                            "Only a declaration of discharge-readiness and the municipality's "
                            "answer that it can receive the patient have a date.",
                            "Bare erklæringen om utskrivningsklar pasient og kommunens svar om at "
                            "den kan ta imot pasienten har en dato.",
                            "date");
        if (!input.date && input.kind == core::StayEventKind::municipality_can_receive)
          return make_error(ErrorCode::invalid_input,
                            "Give the date from which the municipality can receive the patient.",
                            "Oppgi datoen kommunen kan ta imot pasienten fra.", "date");
        SAMFLYT_TRY(auto episode, tx.episodes().get(episode_id));
        if (!episode) return no_such_episode();
        SAMFLYT_TRY(auto events, tx.stays().events_of_episode(episode_id));
        SAMFLYT_TRY(auto stays, detail::add_stay_event(ctx, tx, episode_id, events,
                                                       core::StayEvent{input.kind, at, input.date},
                                                       caller.principal.user_id, now));
        return EpisodeLedger{episode_id, episode->municipality_id, std::move(stays)};
      });
}

Result<std::vector<core::MonthlyTotal>> ledger_monthly_totals(Context& ctx, const Caller& caller,
                                                              int year,
                                                              const std::string& municipality_id) {
  SAMFLYT_CHECK(require_role(caller, "leder"));
  if (year < 2000 || year > 2200)
    return make_error(ErrorCode::invalid_input, "Give a year such as 2026.",
                      "Oppgi et år, for eksempel 2026.", "year");
  Instant now = ctx.clock.now();
  AuditTrail trail;  // sums only: one row, no patient
  trail.add_event(caller, now, "", "ledger/monthly/" + std::to_string(year), "read", "allowed");
  SAMFLYT_CHECK(ctx.audit.record(trail.entries));
  return in_transaction(
      ctx.db, TxMode::read, [&](Transaction& tx) -> Result<std::vector<core::MonthlyTotal>> {
        SAMFLYT_TRY(auto rows, tx.stays().events_of_declared_stays(municipality_id));
        // One ledger per (episode, stay); rows come grouped that way.
        std::vector<core::Ledger> ledgers;
        std::vector<std::string> payers;
        for (std::size_t i = 0; i < rows.size();) {
          std::size_t j = i;
          std::vector<core::StayEvent> events;
          while (j < rows.size() && rows[j].second.episode_id == rows[i].second.episode_id &&
                 rows[j].second.stay == rows[i].second.stay)
            events.push_back(rows[j++].second.event);
          SAMFLYT_TRY(auto ledger, core::compute_ledger(std::move(events), ctx.ledger_rules, now));
          ledgers.push_back(std::move(ledger));
          payers.push_back(rows[i].first);
          i = j;
        }
        std::vector<core::LedgerOfMunicipality> of;
        for (std::size_t k = 0; k < ledgers.size(); ++k) of.push_back({payers[k], &ledgers[k]});
        auto totals = core::monthly_totals(of);
        // A leader at the hospital sees every municipality's totals (the
        // hospital invoices them); a municipality's leader only their own.
        bool hospital = false;
        std::set<std::string> led;  // the led organisations and those above them
        for (const auto& g : caller.principal.grants) {
          if (g.role != "leder") continue;
          SAMFLYT_TRY(auto org, tx.organisations().get(g.organisation_id));
          hospital = hospital || (org && (org->kind == core::OrgKind::hospital_unit ||
                                          org->kind == core::OrgKind::hospital_trust));
          led.insert(g.organisation_path.begin(), g.organisation_path.end());
          led.insert(g.organisation_id);
        }
        if (!hospital && !municipality_id.empty() && !led.count(municipality_id))
          return make_error(ErrorCode::forbidden,
                            "You can see the totals of your own municipality only.",
                            "Du kan bare se summene for din egen kommune.", "municipality_id");
        std::erase_if(totals, [&](const core::MonthlyTotal& t) {
          return t.year != year || (!hospital && !led.count(t.municipality_id));
        });
        return totals;
      });
}

}  // namespace samflyt::service
