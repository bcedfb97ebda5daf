#include "core/message_kind.hpp"

#include <array>
#include <utility>

namespace samflyt::core {

namespace {

constexpr std::array<std::pair<MessageKind, std::string_view>, 9> kNames{{
    {MessageKind::admission_notice, "admission_notice"},
    {MessageKind::health_update, "health_update"},
    {MessageKind::admitted, "admitted"},
    {MessageKind::discharge_ready, "discharge_ready"},
    {MessageKind::discharge_ready_cancelled, "discharge_ready_cancelled"},
    {MessageKind::discharged, "discharged"},
    {MessageKind::discharge_report, "discharge_report"},
    {MessageKind::reception_answer, "reception_answer"},
    {MessageKind::dialog, "dialog"},
}};

}  // namespace

std::string_view to_string(MessageKind k) {
  for (const auto& [kind, name] : kNames)
    if (kind == k) return name;
  return "dialog";
}

std::optional<MessageKind> parse_message_kind(std::string_view s) {
  for (const auto& [kind, name] : kNames)
    if (name == s) return kind;
  return std::nullopt;
}

MessageSide sender_side(MessageKind k) {
  switch (k) {
    case MessageKind::reception_answer:
      return MessageSide::municipality;
    case MessageKind::dialog:
      return MessageSide::either;
    default:
      return MessageSide::hospital;
  }
}

bool carries_documentation(MessageKind k) {
  switch (k) {
    case MessageKind::admission_notice:
    case MessageKind::health_update:
    case MessageKind::discharge_report:
    case MessageKind::dialog:
      return true;
    default:
      return false;
  }
}

}  // namespace samflyt::core
