// The outbox: a message about an episode, queued by staff.
#include <stdexcept>

#include "service/access_control.hpp"
#include "service/message_effects.hpp"
#include "service/message_rows.hpp"
#include "service/messages.hpp"

namespace samflyt::service {

namespace {

using detail::describe_content;
using detail::describe_envelope;

Error not_sendable(const std::string& en, const std::string& nb) {
  return make_error(ErrorCode::invalid_input, "The message cannot be sent: " + en,
                    "Meldingen kan ikke sendes: " + nb, "message");
}

}  // namespace

namespace detail {

Result<StoredMessage> queue_outgoing(Context& ctx, Transaction& tx, const core::Episode& episode,
                                     const msg::Message& m, Instant now) {
  SAMFLYT_TRY(auto patient, tx.patients().get(episode.patient_id));
  if (!patient || !m.envelope.patient || m.envelope.patient->national_id != patient->national_id)
    return not_sendable("it is not about the episode's patient.",
                        "den gjelder ikke forløpets pasient.");
  std::string xml;
  try {
    xml = msg::write(m);
  } catch (const std::invalid_argument& e) {
    return not_sendable(e.what(), e.what());
  }
  // The checks a receiver makes (ours, at least): a message we would
  // reject ourselves is not sent.
  const auto check =
      msg::receive(xml, ctx.messaging.validator,
                   msg::ReceiveOptions{ctx.messaging.allow_test_identities, {}, false});
  if (!check.read.ok()) {
    const auto& e = check.read.errors.front();
    std::string detail = e.code + " " + e.text + (e.detail.empty() ? "" : ": " + e.detail);
    return not_sendable(detail, detail);
  }
  StoredMessage row;
  row.id = ctx.ids.new_id();
  row.direction = MessageDirection::outgoing;
  row.standard = check.read.standard;
  row.standard_version = check.read.version;
  describe_envelope(m.envelope, row);
  describe_content(m.content, row);
  row.episode_id = episode.id;
  row.xml = std::move(xml);
  row.source_name = row.msg_id + ".xml";
  row.status = MessageStatus::queued;
  row.created_at = row.status_at = row.last_seen_at = now;
  if (auto inserted = tx.messages().insert(row); !inserted) {
    if (inserted.error().code == ErrorCode::conflict)
      return make_error(ErrorCode::conflict,
                        "A message with this MsgId was already sent. A corrected message needs a "
                        "new MsgId.",
                        "En melding med denne MsgId er allerede sendt. En rettet melding må ha ny "
                        "MsgId.",
                        "msg_id");
    return std::move(inserted).error();
  }
  return row;
}

}  // namespace detail

Result<StoredMessage> queue_message(Context& ctx, const Caller& caller,
                                    const std::string& episode_id, const msg::Message& message) {
  const Instant now = ctx.clock.now();
  msg::Message m = message;
  if (m.envelope.msg_id.empty()) m.envelope.msg_id = ctx.ids.new_id();
  if (m.envelope.gen_date == Instant{}) m.envelope.gen_date = now;
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<StoredMessage> {
        SAMFLYT_CHECK(require_episode_access(tx, caller, episode_id, core::Action::write, now,
                                             trail, "episode/" + episode_id + "/messages", "send"));
        SAMFLYT_TRY(auto episode, tx.episodes().get(episode_id));
        if (!episode)
          return make_error(ErrorCode::not_found, "There is no such episode.",
                            "Forløpet finnes ikke.");
        return detail::queue_outgoing(ctx, tx, *episode, m, now);
      });
}

}  // namespace samflyt::service
