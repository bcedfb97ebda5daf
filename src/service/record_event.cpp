#include "service/message_effects.hpp"
#include "service/use_cases.hpp"

namespace samflyt::service {

namespace detail {

Result<void> add_episode_event(Transaction& tx, const core::PathwayTemplate& pathway,
                               core::Episode& episode, const std::string& event_id, Instant when,
                               Instant now) {
  if (!pathway.find_event(event_id))
    return make_error(ErrorCode::invalid_input, "The pathway has no event '" + event_id + "'.",
                      "Forløpet har ingen hendelse '" + event_id + "'.", "event");
  if (when > now + std::chrono::minutes(5) || when < episode.started_at)
    return make_error(ErrorCode::invalid_input,
                      "The event time must be between the episode's start and now.",
                      "Tidspunktet må være mellom forløpets start og nå.", "at");
  std::int64_t expected = episode.version;
  episode.events.push_back({event_id, when});
  episode.version += 1;
  episode.updated_at = now;
  SAMFLYT_CHECK(tx.episodes().update(episode, expected));
  SAMFLYT_TRY(auto tasks, tx.tasks().list_for_episode(episode.id));
  for (std::size_t i : core::refresh_tasks(pathway, episode, tasks))
    SAMFLYT_CHECK(tx.tasks().update_derived(tasks[i]));
  return {};
}

}  // namespace detail

Result<EpisodeView> record_event(Context& ctx, const Caller& caller, const std::string& episode_id,
                                 const std::string& event_id, std::optional<Instant> at) {
  Instant now = ctx.clock.now();
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<EpisodeView> {
        SAMFLYT_CHECK(require_episode_access(tx, caller, episode_id, core::Action::write, now,
                                             trail, "episode/" + episode_id + "/events", "create"));
        SAMFLYT_TRY(auto episode, tx.episodes().get(episode_id));
        if (!episode)
          return make_error(ErrorCode::not_found, "There is no such episode.",
                            "Forløpet finnes ikke.");
        SAMFLYT_TRY(TemplatePtr pathway,
                    ctx.templates.get(tx, episode->pathway_id, episode->pathway_version));
        SAMFLYT_CHECK(
            detail::add_episode_event(tx, *pathway, *episode, event_id, at.value_or(now), now));
        SAMFLYT_TRY(auto tasks, tx.tasks().list_for_episode(episode->id));
        return EpisodeView{std::move(*episode), std::move(tasks), pathway};
      });
}

}  // namespace samflyt::service
