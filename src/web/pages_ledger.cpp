// The discharge-ready ledger of an episode (utskrivningsklare pasienter,
// overliggedøgn): each hospital stay's events, periods, payable days,
// amount and the findings of the rules (docs/discharge-ready-ledger.md);
// staff who may change the episode record the next event.
#include "web/internal.hpp"

namespace samflyt::web {

namespace {

constexpr core::StayEventKind kKinds[] = {
    core::StayEventKind::admitted,
    core::StayEventKind::needs_identified,
    core::StayEventKind::admission_notice,
    core::StayEventKind::declared_ready,
    core::StayEventKind::ready_notice,
    core::StayEventKind::municipality_can_receive,
    core::StayEventKind::municipality_cannot_receive,
    core::StayEventKind::withdrawn,
    core::StayEventKind::readmitted,
    core::StayEventKind::discharged,
};

std::string event_name(const Page& p, core::StayEventKind k) {
  return p.t("stay_event_" + std::string(core::to_string(k)));
}

std::string money(std::int64_t nok) {
  std::string digits = std::to_string(nok);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u00a0";  // 22 980
    out += digits[i];
  }
  return out + "\u00a0kr";
}

std::string day_text(const core::Date& d) {
  return format_day(core::oslo_start_of_day(d));
}

Data stay_data(const Page& p, const service::StayLedger& s) {
  const auto& l = s.ledger;
  Data d;
  d.set("stay", std::to_string(s.stay));
  d.set("admitted", format_time(l.admitted_at));
  d.set("discharged", l.discharged_at ? format_time(*l.discharged_at) : p.t("not_yet"));
  d.set("notice", p.t("notice_" + std::string(core::to_string(l.admission_notice))));
  d.set("notice_ok", l.admission_notice == core::NoticeStatus::on_time);
  d.set("payable_days", std::to_string(l.payable_days));
  d.set("amount", money(l.amount_nok));
  Data periods{Data::type::list};
  for (const auto& period : l.periods) {
    Data pd;
    std::string declared = format_time(period.declared_at);
    if (period.ready_from > core::oslo_date(period.declared_at))
      declared += " (" + p.t("ready_from") + " " + day_text(period.ready_from) + ")";
    pd.set("declared", declared);
    pd.set("notified", period.notified_at ? format_time(*period.notified_at) : p.t("not_sent"));
    pd.set("ready_on", period.municipality_ready_on ? day_text(*period.municipality_ready_on)
                                                    : p.t("not_known"));
    pd.set("end", p.t("period_end_" + std::string(core::to_string(period.end))) +
                      (period.ended_at ? " " + format_time(*period.ended_at) : ""));
    pd.set("days", std::to_string(period.days.size()));
    periods.push_back(pd);
  }
  d.set("periods", periods);
  d.set("has_periods", !l.periods.empty());
  Data findings{Data::type::list};
  for (const auto& f : l.findings) {
    Data fd;
    fd.set("rule", f.rule);
    fd.set("text", p.lang == "en" ? f.en : f.nb);
    findings.push_back(fd);
  }
  d.set("findings", findings);
  d.set("has_findings", !l.findings.empty());
  Data events{Data::type::list};
  for (const auto& e : s.events) {
    Data ed;
    ed.set("at", format_time(e.event.at));
    ed.set("name", event_name(p, e.event.kind));
    set_opt(ed, "date", e.event.date ? day_text(*e.event.date) : "");
    events.push_back(ed);
  }
  d.set("events", events);
  return d;
}

http::Response ledger_page(Web& web, Page& p, const std::string& id, const std::string& flash,
                           const std::string& error, int status) {
  auto& ctx = web.ctx;
  auto view = service::get_episode(ctx, p.caller, id);
  if (!view) return error_page(p, view.error());
  auto ledger = service::get_episode_ledger(ctx, p.caller, id);
  if (!ledger) return error_page(p, ledger.error());
  Data d = episode_subpage_data(web, p, *view, flash, error);
  Data stays{Data::type::list};
  for (const auto& s : ledger->stays) stays.push_back(stay_data(p, s));
  d.set("stays", stays);
  d.set("has_stays", !ledger->stays.empty());
  Data kinds{Data::type::list};
  for (auto k : kKinds) {
    Data kd;
    kd.set("id", std::string(core::to_string(k)));
    kd.set("name", event_name(p, k));
    kinds.push_back(kd);
  }
  d.set("kinds", kinds);
  d.set("now_local", core::format_oslo_local(ctx.clock.now()));
  return render_page(p, "ledger", p.t("ledger"), d, status);
}

}  // namespace

void add_ledger_routes(http::Router& router, Web& web) {
  router.add("GET", "/episodes/{id}/ledger", page(web, [&web](Page& p) {
               bool done = p.request.query.count("done") > 0;
               return ledger_page(web, p, std::string(p.request.param("id")),
                                  done ? p.t("saved") : "", "", 200);
             }));

  router.add("POST", "/episodes/{id}/stay-events", page(web, [&web](Page& p) {
               std::string id(p.request.param("id"));
               auto refuse = [&](const Error& e) {
                 if (e.code != ErrorCode::invalid_input && e.code != ErrorCode::conflict)
                   return error_page(p, e);
                 return ledger_page(web, p, id, "", message_of(e, p.lang),
                                    e.code == ErrorCode::conflict ? 409 : 400);
               };
               service::NewStayEvent input;
               auto kind = core::parse_stay_event_kind(p.field("kind"));
               if (!kind)
                 return refuse(make_error(ErrorCode::invalid_input, "Choose an event.",
                                          "Velg en hendelse.", "kind"));
               input.kind = *kind;
               if (auto at = p.field("at"); !at.empty()) {
                 auto parsed = core::parse_oslo_local(at);
                 if (!parsed) return refuse(parsed.error());
                 input.at = *parsed;
               }
               // A day belongs only to the municipality's answer that it can
               // receive and to a declaration in advance; elsewhere the
               // field is left over from the form and ignored.
               if (auto date = p.field("date");
                   !date.empty() && (input.kind == core::StayEventKind::municipality_can_receive ||
                                     input.kind == core::StayEventKind::declared_ready)) {
                 auto parsed = core::parse_date(date);
                 if (!parsed) return refuse(parsed.error());
                 input.date = *parsed;
               }
               auto r = service::record_stay_event(web.ctx, p.caller, id, input);
               if (!r) return refuse(r.error());
               return redirect("/episodes/" + id + "/ledger?done=1");
             }));
}

}  // namespace samflyt::web
