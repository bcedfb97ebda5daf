// Names of message directions and statuses as stored (migration 0011) and
// shown in the API.
#include <array>
#include <utility>

#include "msg/codes.hpp"
#include "service/messages.hpp"
#include "service/ports.hpp"

namespace samflyt::service {

namespace {
constexpr std::array<std::pair<MessageStatus, std::string_view>, 10> kStatuses{{
    {MessageStatus::queued, "queued"},
    {MessageStatus::sent, "sent"},
    {MessageStatus::apprec_ok, "apprec_ok"},
    {MessageStatus::rejected, "rejected"},
    {MessageStatus::no_receipt, "no_receipt"},
    {MessageStatus::accepted, "accepted"},
    {MessageStatus::not_answered, "not_answered"},
    {MessageStatus::cancelled, "cancelled"},
    {MessageStatus::receipt_applied, "receipt_applied"},
    {MessageStatus::receipt_unmatched, "receipt_unmatched"},
}};
}  // namespace

std::string_view to_string(MessageDirection d) {
  return d == MessageDirection::incoming ? "incoming" : "outgoing";
}

std::string_view to_string(MessageStatus s) {
  for (const auto& [status, name] : kStatuses)
    if (status == s) return name;
  return "queued";  // unreachable: every enumerator is listed
}

std::optional<MessageStatus> parse_message_status(std::string_view s) {
  for (const auto& [status, name] : kStatuses)
    if (name == s) return status;
  return std::nullopt;
}

std::string message_type_name(std::string_view msg_type) {
  auto name = msg::msg_type_name(msg_type);
  return std::string(name.empty() ? msg_type : name);
}

}  // namespace samflyt::service
