// /api/v1/episodes/{id}/messages and /api/v1/messages/alerts: the message
// exchange as staff see it (docs/adr/0008), and sending a message made
// from the episode's data.
#include "service/messages.hpp"

#include "api/json_io.hpp"
#include "api/representations.hpp"
#include "api/routes.hpp"

namespace samflyt::api {

namespace {

void write_optional_her(JsonWriter& w, std::string_view key, const std::optional<std::int64_t>& h) {
  w.key(key);
  if (h)
    w.value(std::to_string(*h));
  else
    w.null();
}

void write_alert(JsonWriter& w, const service::MessageAlert& a) {
  w.begin_object()
      .field("episode_id", a.episode_id)
      .field("kind", std::string(service::to_string(a.kind)))
      .field("message_id", a.message_id)
      .field("msg_id", a.msg_id)
      .field("msg_type", a.msg_type);
  if (!a.patient_name.empty()) w.field("patient_name", a.patient_name);
  w.field("since", core::format_instant(a.since))
      .key("text")
      .begin_object()
      .field("en", a.text)
      .field("nb", a.text_nb)
      .end_object()
      .end_object();
}

// A message without its XML (patient data beyond what the list needs).
void write_message(JsonWriter& w, const service::StoredMessage& m) {
  w.begin_object()
      .field("conversation_id", m.conversation_id)
      .field("created_at", core::format_instant(m.created_at))
      .field("direction", std::string(service::to_string(m.direction)))
      .field("episode_id", m.episode_id)
      .key("errors")
      .begin_array();
  for (const auto& e : m.errors)
    w.begin_object()
        .field("code", e.code)
        .field("detail", e.detail)
        .field("text", e.text)
        .end_object();
  w.end_array();
  write_optional_instant(w, "gen_date", m.gen_date);
  w.field("id", m.id)
      .field("msg_id", m.msg_id)
      .field("msg_type", m.msg_type)
      .field("note", m.note)
      .field("parent_msg_id", m.parent_msg_id);
  write_optional_her(w, "receiver_her_id", m.receiver_her_id);
  write_optional_her(w, "sender_her_id", m.sender_her_id);
  write_optional_instant(w, "sent_at", m.sent_at);
  w.field("shipment_status", m.shipment_status)
      .field("standard", m.standard)
      .field("standard_version", m.standard_version)
      .field("status", std::string(service::to_string(m.status)))
      .field("status_at", core::format_instant(m.status_at))
      .field("times_seen", m.times_seen)
      .field("topic", m.topic)
      .field("version", m.version)
      .end_object();
}

Result<service::OutgoingMessage> parse_outgoing(const http::Request& req) {
  SAMFLYT_TRY(json body, read_object(req, {"kind", "task_id", "text", "date", "at", "can_receive",
                                           "discharged_to"}));
  service::OutgoingMessage m;
  SAMFLYT_TRY(auto kind, required_string(body, "kind"));
  auto parsed = core::parse_message_kind(kind);
  if (!parsed)
    return make_error(ErrorCode::invalid_input,
                      "kind must be one of admission_notice, health_update, admitted, "
                      "discharge_ready, discharge_ready_cancelled, discharged, discharge_report, "
                      "reception_answer, dialog.",
                      "kind må være en av admission_notice, health_update, admitted, "
                      "discharge_ready, discharge_ready_cancelled, discharged, discharge_report, "
                      "reception_answer, dialog.",
                      "kind");
  m.kind = *parsed;
  SAMFLYT_TRY(auto task_id, optional_string(body, "task_id"));
  m.task_id = task_id.value_or("");
  SAMFLYT_TRY(auto text, optional_string(body, "text"));
  m.text = text.value_or("");
  SAMFLYT_TRY(m.date, optional_date(body, "date"));
  SAMFLYT_TRY(m.at, optional_instant(body, "at"));
  SAMFLYT_TRY(auto can_receive, optional_bool(body, "can_receive"));
  m.can_receive = can_receive.value_or(true);
  SAMFLYT_TRY(auto place, optional_string(body, "discharged_to"));
  m.discharged_to = place.value_or("");
  return m;
}

}  // namespace

void add_message_routes(http::Router& router, service::Context& ctx) {
  router.add("GET", "/api/v1/episodes/{id}/messages",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(req,
                            service::episode_messages(ctx, caller, std::string(req.param("id"))),
                            [&](const service::EpisodeMessages& m) {
                              return respond(200, [&](JsonWriter& w) {
                                w.begin_object().key("alerts").begin_array();
                                for (const auto& a : m.alerts) write_alert(w, a);
                                w.end_array().key("messages").begin_array();
                                for (const auto& msg : m.messages) write_message(w, msg);
                                w.end_array().end_object();
                              });
                            });
             }));

  router.add("POST", "/api/v1/episodes/{id}/messages",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto input = parse_outgoing(req);
               if (!input) return problem(input.error(), req);
               return reply(
                   req, service::send_message(ctx, caller, std::string(req.param("id")), *input),
                   [](const service::StoredMessage& m) {
                     return respond(201, [&](JsonWriter& w) { write_message(w, m); });
                   });
             }));

  router.add("GET", "/api/v1/messages/alerts",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto organisation_id = query_string(req, "organisation_id");
               if (organisation_id.empty())
                 return problem(make_error(ErrorCode::invalid_input, "organisation_id is required.",
                                           "organisation_id må oppgis.", "organisation_id"),
                                req);
               return reply(req, service::organisation_message_alerts(ctx, caller, organisation_id),
                            [&](const std::vector<service::MessageAlert>& alerts) {
                              return respond_items(alerts, write_alert);
                            });
             }));
}

}  // namespace samflyt::api
