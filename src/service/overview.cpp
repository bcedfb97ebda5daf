#include "service/overview.hpp"

#include <algorithm>
#include <map>

#include "core/text.hpp"

namespace samflyt::service {

namespace {

// Names of the patients of episodes the caller was just given (and whose
// reading was audited by the use case that gave them).
Result<std::map<std::string, core::Patient>> patients_of(Transaction& tx,
                                                         const std::vector<std::string>& ids) {
  std::map<std::string, core::Patient> out;
  for (const auto& id : ids) {
    if (out.count(id)) continue;
    SAMFLYT_TRY(auto p, tx.patients().get(id));
    if (p) out.emplace(id, std::move(*p));
  }
  return out;
}

}  // namespace

Result<std::vector<EpisodeSummary>> summarise_episodes(Context& ctx, const Caller& caller,
                                                       EpisodeFilter filter) {
  SAMFLYT_TRY(auto episodes, list_episodes(ctx, caller, filter));
  Instant now = ctx.clock.now();
  bool family = caller.principal.kind == core::AccountKind::family;
  return in_transaction(ctx.db, TxMode::read,
                        [&](Transaction& tx) -> Result<std::vector<EpisodeSummary>> {
                          std::vector<std::string> patient_ids;
                          for (const auto& e : episodes) patient_ids.push_back(e.patient_id);
                          SAMFLYT_TRY(auto patients, patients_of(tx, patient_ids));
                          std::vector<EpisodeSummary> out;
                          out.reserve(episodes.size());
                          for (auto& e : episodes) {
                            EpisodeSummary s;
                            if (auto it = patients.find(e.patient_id); it != patients.end()) {
                              s.patient_name = it->second.name;
                              s.birth_date = it->second.birth_date;
                            }
                            if (!family) {
                              SAMFLYT_TRY(auto tasks, tx.tasks().list_for_episode(e.id));
                              for (const auto& t : tasks) {
                                if (core::is_finished(t.state)) continue;
                                if (s.current_phase.empty()) s.current_phase = t.phase;
                                ++s.open_tasks;
                                if (core::is_overdue(t, now)) ++s.overdue_tasks;
                              }
                            }
                            s.episode = std::move(e);
                            out.push_back(std::move(s));
                          }
                          return out;
                        });
}

Result<std::vector<WorkItem>> worklist(Context& ctx, const Caller& caller, TaskFilter filter) {
  SAMFLYT_TRY(auto tasks, list_tasks(ctx, caller, filter));
  return in_transaction(ctx.db, TxMode::read,
                        [&](Transaction& tx) -> Result<std::vector<WorkItem>> {
                          std::map<std::string, std::string> name_of_episode;
                          std::vector<WorkItem> out;
                          out.reserve(tasks.size());
                          for (auto& v : tasks) {
                            auto [it, first] = name_of_episode.try_emplace(v.task.episode_id);
                            if (first) {
                              SAMFLYT_TRY(auto e, tx.episodes().get(v.task.episode_id));
                              if (e) {
                                SAMFLYT_TRY(auto p, tx.patients().get(e->patient_id));
                                if (p) it->second = p->name;
                              }
                            }
                            out.push_back(WorkItem{std::move(v), it->second});
                          }
                          return out;
                        });
}

Result<std::optional<core::Patient>> find_patient(Context& ctx, const Caller& caller,
                                                  const std::string& national_id) {
  SAMFLYT_CHECK(require_clinical_role(caller));
  SAMFLYT_TRY(core::PersonId pid,
              core::parse_national_id(national_id, ctx.identity).or_field("national_id"));
  Instant now = ctx.clock.now();
  return audited(ctx, caller, TxMode::read,
                 [&](Transaction& tx, AuditTrail& trail) -> Result<std::optional<core::Patient>> {
                   SAMFLYT_TRY(auto p, tx.patients().find_by_national_id(pid.digits));
                   if (!p) {
                     trail.add_event(caller, now, "", "patient-search", "search", "allowed");
                     return std::optional<core::Patient>();
                   }
                   auto access = require_patient_access(tx, caller, *p, core::Action::read, now,
                                                        trail, "patient/" + p->id, "search");
                   // No basis: the same answer as for no patient (the row says
                   // denied), so that a search does not tell who is a patient here.
                   if (!access && access.error().code == ErrorCode::forbidden)
                     return std::optional<core::Patient>();
                   if (!access) return std::move(access).error();
                   return std::optional<core::Patient>(std::move(*p));
                 });
}

Result<std::vector<core::Patient>> search_patients_by_name(Context& ctx, const Caller& caller,
                                                           const std::string& text) {
  SAMFLYT_CHECK(require_clinical_role(caller));
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
  while (!trimmed.empty() && trimmed.front() == ' ') trimmed.erase(trimmed.begin());
  if (trimmed.size() < 2)
    return make_error(ErrorCode::invalid_input, "Write at least two letters of the name.",
                      "Skriv minst to bokstaver av navnet.", "q");
  SAMFLYT_CHECK(core::check_text(trimmed, 100, false, "q"));
  Instant now = ctx.clock.now();
  return audited(ctx, caller, TxMode::read,
                 [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<core::Patient>> {
                   trail.add_event(caller, now, "", "patient-search", "search", "allowed");
                   SAMFLYT_TRY(auto found, tx.patients().search_by_name(trimmed, 200));
                   std::vector<core::Patient> out;
                   for (auto& p : found) {
                     auto d = require_patient_access(tx, caller, p, core::Action::read, now, trail,
                                                     "patient/" + p.id, "search");
                     if (!d) {
                       if (d.error().code == ErrorCode::forbidden) continue;
                       return std::move(d).error();
                     }
                     out.push_back(std::move(p));
                     if (out.size() == 20) break;
                   }
                   return out;
                 });
}

Result<std::vector<OverdueCount>> overdue_counts(Context& ctx, const Caller& caller) {
  Instant now = ctx.clock.now();
  const auto& who = caller.principal;
  return audited(ctx, caller, TxMode::read,
                 [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<OverdueCount>> {
                   std::vector<OverdueCount> out;
                   std::vector<std::string> seen;
                   for (const auto& g : who.grants) {
                     if (!core::is_clinical_role(g.role)) continue;
                     if (std::find(seen.begin(), seen.end(), g.organisation_id) != seen.end())
                       continue;
                     seen.push_back(g.organisation_id);
                     SAMFLYT_TRY(auto org, tx.organisations().get(g.organisation_id));
                     if (!org) continue;
                     auto d = core::decide_worklist_access(who, *org);
                     if (!d.allowed) continue;
                     trail.add(caller, d, now, "", "worklist/" + org->id + "/overdue-count",
                               "count");
                     SAMFLYT_TRY(auto counts, tx.tasks().count_overdue_by_lane(org->id, now));
                     for (auto& [lane, n] : counts) out.push_back({org->id, lane, n});
                   }
                   return out;
                 });
}

Result<std::vector<StaffAccount>> list_staff_accounts(Context& ctx, const Caller& caller) {
  if (caller.principal.kind != core::AccountKind::staff)
    return make_error(ErrorCode::forbidden, "The staff list is for staff.",
                      "Ansattlisten er for ansatte.");
  return in_transaction(
      ctx.db, TxMode::read, [&](Transaction& tx) -> Result<std::vector<StaffAccount>> {
        SAMFLYT_TRY(auto users, tx.accounts().list());
        std::vector<StaffAccount> out;
        for (const auto& u : users) {
          if (u.kind != core::AccountKind::staff || u.disabled || u.staff_id.empty()) continue;
          SAMFLYT_TRY(auto staff, tx.staff().get(u.staff_id));
          if (!staff) continue;
          out.push_back({u.id, u.display_name, staff->role, staff->organisation_id});
        }
        std::sort(out.begin(), out.end(),
                  [](const StaffAccount& a, const StaffAccount& b) { return a.name < b.name; });
        return out;
      });
}

Result<std::string> user_language(Context& ctx, const Caller& caller) {
  return in_transaction(ctx.db, TxMode::read, [&](Transaction& tx) -> Result<std::string> {
    SAMFLYT_TRY(auto u, tx.accounts().get(caller.principal.user_id));
    return u ? u->language : std::string("nb");
  });
}

Result<void> set_user_language(Context& ctx, const Caller& caller, const std::string& language) {
  if (language != "nb" && language != "en")
    return make_error(ErrorCode::invalid_input, "The language must be nb or en.",
                      "Språket må være nb eller en.", "language");
  return in_transaction(ctx.db, TxMode::write, [&](Transaction& tx) -> Result<void> {
    SAMFLYT_TRY(auto u, tx.accounts().get(caller.principal.user_id));
    if (!u)
      return make_error(ErrorCode::not_found, "There is no such user.", "Brukeren finnes ikke.");
    if (u->language == language) return {};
    std::int64_t expected = u->version;
    u->language = language;
    u->version = expected + 1;
    return tx.accounts().update(*u, expected);
  });
}

}  // namespace samflyt::service
