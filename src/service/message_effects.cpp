// What a message does to its episode (message_effects.hpp).
#include "service/message_effects.hpp"

#include <algorithm>
#include <set>

#include "msg/stay_events.hpp"

namespace samflyt::service::detail {

namespace {

bool stay_open(const std::vector<StoredStayEvent>& events) {
  if (events.empty()) return false;
  int last = events.back().stay;
  return std::none_of(events.begin(), events.end(), [&](const StoredStayEvent& e) {
    return e.stay == last && e.event.kind == core::StayEventKind::discharged;
  });
}

// Only the rules' refusals are notes; the store's failures are errors.
bool is_refusal(const Error& e) {
  return e.code == ErrorCode::invalid_input || e.code == ErrorCode::conflict;
}

// The pathway event a stay event starts, if any.
const char* pathway_event_of(core::StayEventKind k) {
  switch (k) {
    case core::StayEventKind::admitted:
      return "admitted";
    case core::StayEventKind::declared_ready:
      return "discharge_ready";
    case core::StayEventKind::discharged:
      return "discharged";
    default:
      return nullptr;
  }
}

void append(std::string& note, const std::string& more) {
  if (!note.empty()) note += " ";
  note += more;
}

// The HER-ids of an organisation and those above it.
Result<std::set<std::int64_t>> her_ids_up(Transaction& tx, std::string org_id) {
  std::set<std::int64_t> out;
  for (int depth = 0; depth < 16 && !org_id.empty(); ++depth) {
    SAMFLYT_TRY(auto org, tx.organisations().get(org_id));
    if (!org) break;
    if (org->her_id) out.insert(*org->her_id);
    org_id = org->parent_id;
  }
  return out;
}

bool meets(const std::set<std::int64_t>& ids, const std::set<std::int64_t>& message_ids) {
  return std::any_of(ids.begin(), ids.end(), [&](auto id) { return message_ids.count(id) > 0; });
}

}  // namespace

Result<std::string> apply_message_to_episode(Context& ctx, Transaction& tx,
                                             const std::string& episode_id, const msg::Message& m,
                                             const std::string& recorded_by, Instant now) {
  SAMFLYT_TRY(auto episode, tx.episodes().get(episode_id));
  if (!episode) return std::string();
  SAMFLYT_TRY(TemplatePtr pathway,
              ctx.templates.get(tx, episode->pathway_id, episode->pathway_version));
  std::string note;

  SAMFLYT_TRY(auto events, tx.stays().events_of_episode(episode_id));
  for (const auto& e : msg::stay_events_of(m)) {
    if (e.kind == core::StayEventKind::admitted && stay_open(events)) continue;
    auto added = add_stay_event(ctx, tx, episode_id, events, e, recorded_by, now);
    if (!added) {
      if (!is_refusal(added.error())) return std::move(added).error();
      append(note, "Not in the discharge-ready ledger (" + std::string(core::to_string(e.kind)) +
                       "): " + added.error().message);
      continue;
    }
    const char* event_id = pathway_event_of(e.kind);
    if (!event_id || !pathway->find_event(event_id)) continue;
    if (auto last = episode->event_time(event_id); last && *last == e.at) continue;
    if (e.at < episode->started_at || e.at > now + std::chrono::minutes(5)) continue;
    SAMFLYT_CHECK(add_episode_event(tx, *pathway, *episode, event_id, e.at, now));
  }

  if (auto day = msg::expected_ready_day(m); day && day != episode->tentative_discharge_date) {
    std::int64_t expected = episode->version;
    episode->tentative_discharge_date = day;
    episode->version += 1;
    episode->updated_at = now;
    SAMFLYT_CHECK(tx.episodes().update(*episode, expected));
  }
  return note;
}

Result<std::string> episode_of_received(Transaction& tx, const StoredMessage& row,
                                        const msg::Envelope& envelope,
                                        const std::string& patient_id) {
  std::set<std::int64_t> message_ids;  // the HER-ids the message goes between
  for (const auto* o : {&envelope.sender, &envelope.receiver}) {
    if (o->her_id) message_ids.insert(*o->her_id);
    if (o->unit && o->unit->her_id) message_ids.insert(*o->unit->her_id);
  }
  // A message that continues a conversation (an answer, a change, an
  // avmelding) belongs where the conversation does, but only when it is
  // about that episode's patient (or, naming none, goes between that
  // episode's organisations): a reference to another patient's
  // conversation must never file it there.
  const bool names_patient = envelope.patient.has_value();
  for (const auto& ref : {row.parent_msg_id, row.conversation_id}) {
    if (ref.empty() || ref == row.msg_id) continue;
    for (auto d : {MessageDirection::outgoing, MessageDirection::incoming}) {
      SAMFLYT_TRY(auto earlier, tx.messages().find(d, ref));
      if (!earlier || earlier->episode_id.empty()) continue;
      SAMFLYT_TRY(auto episode, tx.episodes().get(earlier->episode_id));
      if (!episode) continue;
      if (names_patient && episode->patient_id == patient_id) return earlier->episode_id;
      if (names_patient) continue;
      SAMFLYT_TRY(auto hospital, her_ids_up(tx, episode->hospital_unit_id));
      SAMFLYT_TRY(auto municipality, her_ids_up(tx, episode->municipality_id));
      if (meets(hospital, message_ids) || meets(municipality, message_ids))
        return earlier->episode_id;
    }
  }
  if (patient_id.empty()) return std::string();
  EpisodeFilter filter;
  filter.patient_id = patient_id;
  SAMFLYT_TRY(auto episodes, tx.episodes().list(filter));  // newest first
  // The best match: between both of the episode's organisations rather
  // than one, running rather than completed, newer rather than older.
  std::string found;
  int best = 0;
  for (const auto& e : episodes) {
    SAMFLYT_TRY(auto hospital, her_ids_up(tx, e.hospital_unit_id));
    SAMFLYT_TRY(auto municipality, her_ids_up(tx, e.municipality_id));
    int score = 2 * (meets(hospital, message_ids) + meets(municipality, message_ids));
    if (score == 0) continue;
    score += e.status == core::EpisodeStatus::active ? 1 : 0;
    if (score > best) {
      best = score;
      found = e.id;
    }
  }
  return found;
}

}  // namespace samflyt::service::detail
