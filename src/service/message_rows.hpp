// Internal to the message use cases: the stored row's fields read from a
// message, an AppRec or a verdict. Thread-safe (pure).
#pragma once

#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "msg/codec.hpp"
#include "msg/codes.hpp"
#include "service/ports.hpp"

namespace samflyt::service::detail {

inline std::vector<MessageError> to_message_errors(const std::vector<msg::AppRecError>& errors) {
  std::vector<MessageError> out;
  for (const auto& e : errors) out.push_back({e.code, e.text, e.detail});
  return out;
}

// Type, MsgId, GenDate, addressing and conversation of a MsgHead message.
inline void describe_envelope(const msg::Envelope& e, StoredMessage& row) {
  row.msg_type = e.type;
  row.msg_id = e.msg_id;
  row.gen_date = e.gen_date;
  row.sender_her_id = e.sender.routing_her_id();
  row.receiver_her_id = e.receiver.routing_her_id();
  if (e.conversation) {
    row.parent_msg_id = e.conversation->parent;
    row.conversation_id = e.conversation->conversation.empty() ? e.conversation->parent
                                                               : e.conversation->conversation;
  }
  if (row.conversation_id.empty()) row.conversation_id = e.msg_id;
}

// Forsendelsesstatus of PLO content and TemaKodet of a Dialogmelding.
inline void describe_content(const msg::Content& content, StoredMessage& row) {
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, msg::Dialog>) {
          if (!c.topic.value.empty())
            row.topic = std::to_string(c.topic.code_system) + ":" + c.topic.value;
        } else {
          row.shipment_status = std::string(msg::to_code(c.plo.status));
        }
      },
      content);
}

inline std::optional<std::int64_t> routing_her_id(const msg::AppRecParty& p) {
  return p.dept && p.dept->her_id ? p.dept->her_id : p.her_id;
}

// An AppRec's own fields: its Id, GenDate, addressing and OriginalMsgId.
inline void describe_apprec(const msg::AppRec& a, StoredMessage& row) {
  row.msg_type = std::string(msg::msg_type::apprec);
  row.standard = "AppRec";
  row.standard_version = a.version == msg::AppRecVersion::v11 ? "1.1" : "1.0";
  row.msg_id = a.id;
  row.gen_date = a.gen_date;
  row.sender_her_id = routing_her_id(a.sender);
  row.receiver_her_id = routing_her_id(a.receiver);
  row.parent_msg_id = a.original_msg_id;
  row.conversation_id = a.original_msg_id;
}

}  // namespace samflyt::service::detail
