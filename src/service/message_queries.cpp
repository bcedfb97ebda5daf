// What staff see of the message exchange: an episode's messages with their
// alerts, and an organisation's alert worklist.
#include <algorithm>
#include <map>
#include <set>

#include "service/access_control.hpp"
#include "service/messages.hpp"

namespace samflyt::service {

namespace {

WatchdogRules rules_of(const Context& ctx) {
  return WatchdogRules{ctx.messaging.apprec_alert, ctx.messaging.receipt_limit};
}

// The episode's messages and the rest of their conversations (the
// municipality's answers, receipts), oldest first, each once.
Result<std::vector<StoredMessage>> messages_of_episode(Transaction& tx,
                                                       const std::string& episode_id) {
  SAMFLYT_TRY(auto own, tx.messages().of_episode(episode_id));
  std::set<std::string> conversations;
  for (const auto& m : own) conversations.insert(m.conversation_id);
  if (conversations.empty()) return own;
  SAMFLYT_TRY(auto related, tx.messages().in_conversations(std::vector<std::string>(
                                conversations.begin(), conversations.end())));
  // A conversation's message filed under no episode is shown only when it
  // is a receipt (no patient data); one about another patient never is.
  auto belongs = [&](const StoredMessage& m) {
    return m.episode_id == episode_id || (m.episode_id.empty() && m.standard == "AppRec");
  };
  std::set<std::string> seen;
  std::vector<StoredMessage> out;
  for (auto* list : {&own, &related})
    for (auto& m : *list)
      if (belongs(m) && seen.insert(m.id).second) out.push_back(std::move(m));
  std::stable_sort(out.begin(), out.end(), [](const StoredMessage& a, const StoredMessage& b) {
    return a.created_at < b.created_at;
  });
  return out;
}

}  // namespace

Result<EpisodeMessages> episode_messages(Context& ctx, const Caller& caller,
                                         const std::string& episode_id) {
  const Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::read,
      [&](Transaction& tx, AuditTrail& trail) -> Result<EpisodeMessages> {
        // The message log is the professionals' (the family sees the
        // pathway, not the traffic between systems).
        if (caller.principal.kind != core::AccountKind::staff) {
          trail.add_event(caller, now, "", "episode/" + episode_id + "/messages", "read", "denied");
          return make_error(ErrorCode::forbidden, "The message log is for staff.",
                            "Meldingsloggen er for ansatte.");
        }
        SAMFLYT_CHECK(require_episode_access(tx, caller, episode_id, core::Action::read, now, trail,
                                             "episode/" + episode_id + "/messages", "read"));
        EpisodeMessages out;
        SAMFLYT_TRY(out.messages, messages_of_episode(tx, episode_id));
        out.alerts = message_alerts(out.messages, now, rules_of(ctx));
        return out;
      });
}

Result<std::vector<MessageAlert>> organisation_message_alerts(Context& ctx, const Caller& caller,
                                                              const std::string& organisation_id) {
  const Instant now = ctx.clock.now();
  const auto& who = caller.principal;
  return audited(
      ctx, caller, TxMode::read,
      [&](Transaction& tx, AuditTrail& trail) -> Result<std::vector<MessageAlert>> {
        const std::string resource = "messages/alerts/" + organisation_id;
        if (who.kind != core::AccountKind::staff) {
          trail.add_event(caller, now, "", resource, "list", "denied");
          return make_error(ErrorCode::forbidden, "Message alerts are for staff.",
                            "Meldingsvarsler er for ansatte.");
        }
        SAMFLYT_TRY(auto org, tx.organisations().get(organisation_id));
        if (!org)
          return make_error(ErrorCode::not_found, "There is no such organisation.",
                            "Organisasjonen finnes ikke.", "organisation_id");
        auto decision = core::decide_worklist_access(who, *org);
        if (!decision.allowed) {
          trail.add(caller, decision, now, "", resource, "list");
          return *decision.refusal;
        }
        SAMFLYT_TRY(auto blocked,
                    tx.access().patients_blocking(who.user_id, core::grant_organisations(who)));
        // The episodes the organisation runs, as municipality or hospital
        // unit, that have a message the watchdog may alert on.
        SAMFLYT_TRY(auto watched, tx.messages().episodes_to_watch(organisation_id));
        const std::set<std::string> excluded(blocked.begin(), blocked.end());
        std::map<std::string, core::Episode> episodes;
        for (const auto& id : watched) {
          SAMFLYT_TRY(auto e, tx.episodes().get(id));
          if (e && !excluded.count(e->patient_id)) episodes.emplace(id, std::move(*e));
        }
        std::vector<MessageAlert> out;
        for (const auto& [id, episode] : episodes) {
          SAMFLYT_TRY(auto messages, messages_of_episode(tx, id));
          auto alerts = message_alerts(messages, now, rules_of(ctx));
          if (alerts.empty()) continue;
          trail.add(caller, decision, now, episode.patient_id, "episode/" + id + "/messages",
                    "list");
          SAMFLYT_TRY(auto patient, tx.patients().get(episode.patient_id));
          for (auto& a : alerts) {
            if (patient) a.patient_name = patient->name;
            out.push_back(std::move(a));
          }
        }
        std::stable_sort(out.begin(), out.end(), [](const MessageAlert& a, const MessageAlert& b) {
          return a.since < b.since;
        });
        return out;
      });
}

}  // namespace samflyt::service
