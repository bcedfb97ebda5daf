// The episode's messages (PLO and dialog messages with their AppRecs):
// the watchdog's alerts, every message sent and received with its status,
// and, for staff who may change the episode, a form that sends a message
// made from the episode's data (service::send_message). A message step's
// task links here with its kind and task filled in.
#include "core/message_kind.hpp"
#include "service/messages.hpp"
#include "web/internal.hpp"

namespace samflyt::web {

namespace {

constexpr core::MessageKind kKinds[] = {
    core::MessageKind::admission_notice,
    core::MessageKind::health_update,
    core::MessageKind::admitted,
    core::MessageKind::discharge_ready,
    core::MessageKind::discharge_ready_cancelled,
    core::MessageKind::discharged,
    core::MessageKind::discharge_report,
    core::MessageKind::reception_answer,
    core::MessageKind::dialog,
};

Data message_data(const Page& p, const service::StoredMessage& m) {
  Data d;
  d.set("made", format_time(m.created_at));
  d.set("direction", p.t("direction_" + std::string(service::to_string(m.direction))));
  d.set("incoming", m.direction == service::MessageDirection::incoming);
  d.set("type", service::message_type_name(m.msg_type));
  d.set("status", p.t("message_status_" + std::string(service::to_string(m.status))));
  d.set("bad", m.status == service::MessageStatus::rejected ||
                   m.status == service::MessageStatus::no_receipt);
  std::string errors;
  for (const auto& e : m.errors)
    errors += (errors.empty() ? "" : "; ") + e.code + " " + e.text +
              (e.detail.empty() ? "" : " (" + e.detail + ")");
  set_opt(d, "errors", errors);
  set_opt(d, "note", m.note);
  d.set("msg_id", m.msg_id);
  return d;
}

// `consent_missing`: the error is the missing consent, and the page links
// to where it is recorded.
http::Response messages_page(Web& web, Page& p, const std::string& id, const std::string& flash,
                             const std::string& error, int status, bool consent_missing = false) {
  auto& ctx = web.ctx;
  auto view = service::get_episode(ctx, p.caller, id);
  if (!view) return error_page(p, view.error());
  auto messages = service::episode_messages(ctx, p.caller, id);
  if (!messages) return error_page(p, messages.error());
  Data d = episode_subpage_data(web, p, *view, flash, error);
  d.set("consent_missing", consent_missing);

  Data alerts{Data::type::list};
  for (const auto& a : messages->alerts) {
    Data ad;
    ad.set("text", p.lang == "en" ? a.text : a.text_nb);
    ad.set("since", format_time(a.since));
    alerts.push_back(ad);
  }
  d.set("alerts", alerts);
  d.set("has_alerts", !messages->alerts.empty());
  Data rows{Data::type::list};
  // Newest first: what happened last is what people look for.
  for (auto it = messages->messages.rbegin(); it != messages->messages.rend(); ++it)
    rows.push_back(message_data(p, *it));
  d.set("rows", rows);
  d.set("has_messages", !messages->messages.empty());

  // The form, with the kind and task a message step's link gives.
  std::string chosen = p.request.query.count("kind") ? p.request.query.at("kind") : "";
  if (auto f = p.field("kind"); !f.empty()) chosen = f;
  Data kinds{Data::type::list};
  for (auto k : kKinds) {
    Data kd;
    kd.set("id", std::string(core::to_string(k)));
    kd.set("name", p.t("message_kind_" + std::string(core::to_string(k))));
    kd.set("selected", chosen == core::to_string(k));
    kinds.push_back(kd);
  }
  d.set("kinds", kinds);
  std::string task_id = p.request.query.count("task") ? p.request.query.at("task") : "";
  if (auto f = p.field("task_id"); !f.empty()) task_id = f;
  for (const auto& t : view->tasks)
    if (t.id == task_id) {
      const auto* step = view->pathway->find_step(t.step_id);
      d.set("task_id", t.id);
      d.set("task_title", step ? (p.lang == "en" ? step->title.en : step->title.nb) : t.step_id);
    }
  set_opt(d, "text", p.field("text"));
  d.set("now_local", core::format_oslo_local(ctx.clock.now()));
  return render_page(p, "messages", p.t("messages"), d, status);
}

}  // namespace

void add_message_routes(http::Router& router, Web& web) {
  router.add("GET", "/episodes/{id}/messages", page(web, [&web](Page& p) {
               bool done = p.request.query.count("done") > 0;
               return messages_page(web, p, std::string(p.request.param("id")),
                                    done ? p.t("message_queued") : "", "", 200);
             }));

  router.add("POST", "/episodes/{id}/messages", page(web, [&web](Page& p) {
               std::string id(p.request.param("id"));
               auto refuse = [&](const Error& e) {
                 if (e.code != ErrorCode::invalid_input && e.code != ErrorCode::conflict &&
                     e.code != ErrorCode::forbidden)
                   return error_page(p, e);
                 int status = e.code == ErrorCode::conflict    ? 409
                              : e.code == ErrorCode::forbidden ? 403
                                                               : 400;
                 return messages_page(web, p, id, "", message_of(e, p.lang), status,
                                      e.field == "consent");
               };
               service::OutgoingMessage input;
               auto kind = core::parse_message_kind(p.field("kind"));
               if (!kind)
                 return refuse(make_error(ErrorCode::invalid_input, "Choose a message.",
                                          "Velg en melding.", "kind"));
               input.kind = *kind;
               input.task_id = p.field("task_id");
               input.text = p.field("text");
               if (auto at = p.field("at"); !at.empty()) {
                 auto parsed = core::parse_oslo_local(at);
                 if (!parsed) return refuse(parsed.error());
                 input.at = *parsed;
               }
               if (auto date = p.field("date"); !date.empty()) {
                 auto parsed = core::parse_date(date);
                 if (!parsed) return refuse(parsed.error());
                 input.date = *parsed;
               }
               input.can_receive = p.field("can_receive") != "no";
               auto r = service::send_message(web.ctx, p.caller, id, input);
               if (!r) return refuse(r.error());
               return redirect("/episodes/" + id + "/messages?done=1");
             }));
}

}  // namespace samflyt::web
