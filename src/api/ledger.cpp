#include "api/json_io.hpp"
#include "api/representations.hpp"
#include "api/routes.hpp"
#include "service/use_cases.hpp"

namespace samflyt::api {

namespace {

void write_stay(JsonWriter& w, const service::StayLedger& s) {
  const auto& l = s.ledger;
  w.begin_object()
      .field("admission_notice", std::string(core::to_string(l.admission_notice)))
      .field("admitted_at", core::format_instant(l.admitted_at))
      .field("amount_nok", l.amount_nok);
  write_optional_instant(w, "discharged_at", l.discharged_at);
  w.key("events").begin_array();
  for (const auto& e : s.events) {
    w.begin_object().field("at", core::format_instant(e.event.at));
    w.key("date");
    if (e.event.date)
      w.value(core::format_date(*e.event.date));
    else
      w.null();
    w.field("id", e.id)
        .field("kind", std::string(core::to_string(e.event.kind)))
        .field("recorded_at", core::format_instant(e.recorded_at))
        .field("recorded_by", e.recorded_by)
        .end_object();
  }
  w.end_array().key("findings").begin_array();
  for (const auto& f : l.findings)
    w.begin_object().field("en", f.en).field("nb", f.nb).field("rule", f.rule).end_object();
  w.end_array().field("payable", l.payable).field("payable_days", l.payable_days);
  w.key("periods").begin_array();
  for (const auto& p : l.periods) {
    w.begin_object().key("days").begin_array();
    for (const auto& d : p.days) {
      w.begin_object().field("date", core::format_date(d.day)).key("rate_nok");
      if (d.rate_nok)
        w.value(*d.rate_nok);
      else
        w.null();
      w.end_object();
    }
    w.end_array().field("declared_at", core::format_instant(p.declared_at));
    w.field("end", std::string(core::to_string(p.end)));
    write_optional_instant(w, "ended_at", p.ended_at);
    w.key("municipality_ready_on");
    if (p.municipality_ready_on)
      w.value(core::format_date(*p.municipality_ready_on));
    else
      w.null();
    write_optional_instant(w, "notified_at", p.notified_at);
    w.field("ready_from", core::format_date(p.ready_from));
    w.end_object();
  }
  w.end_array().field("stay", s.stay).key("years_without_rate").begin_array();
  for (int y : l.years_without_rate) w.value(y);
  w.end_array().end_object();
}

void write_ledger(JsonWriter& w, const service::EpisodeLedger& l) {
  w.begin_object()
      .field("episode_id", l.episode_id)
      .field("municipality_id", l.municipality_id)
      .key("stays")
      .begin_array();
  for (const auto& s : l.stays) write_stay(w, s);
  w.end_array().end_object();
}

Result<service::NewStayEvent> parse_stay_event(const http::Request& req) {
  SAMFLYT_TRY(json body, read_object(req, {"kind", "at", "date"}));
  service::NewStayEvent e;
  SAMFLYT_TRY(auto kind, required_string(body, "kind"));
  auto parsed = core::parse_stay_event_kind(kind);
  if (!parsed)
    return make_error(ErrorCode::invalid_input,
                      "kind must be one of admitted, needs_identified, admission_notice, "
                      "declared_ready, ready_notice, municipality_can_receive, "
                      "municipality_cannot_receive, withdrawn, readmitted, discharged.",
                      "kind må være en av admitted, needs_identified, admission_notice, "
                      "declared_ready, ready_notice, municipality_can_receive, "
                      "municipality_cannot_receive, withdrawn, readmitted, discharged.",
                      "kind");
  e.kind = *parsed;
  SAMFLYT_TRY(e.at, optional_instant(body, "at"));
  SAMFLYT_TRY(e.date, optional_date(body, "date"));
  return e;
}

// The monthly totals as CSV for invoicing (RFC 4180, one line per
// municipality and month; amounts in whole NOK).
http::Response monthly_csv(const std::vector<core::MonthlyTotal>& totals) {
  std::string csv = "municipality_id,year,month,days,amount_nok,days_without_rate\r\n";
  for (const auto& t : totals)
    csv += t.municipality_id + "," + std::to_string(t.year) + "," + std::to_string(t.month) + "," +
           std::to_string(t.days) + "," + std::to_string(t.amount_nok) + "," +
           std::to_string(t.days_without_rate) + "\r\n";
  http::Response r;
  r.body = std::move(csv);
  r.header("Content-Type", "text/csv; charset=utf-8");
  r.header("Content-Disposition", "attachment; filename=\"utskrivningsklare-maaned.csv\"");
  return r;
}

}  // namespace

// The discharge-ready ledger (utskrivningsklare pasienter): docs/discharge-ready-ledger.md.
void add_ledger_routes(http::Router& router, service::Context& ctx) {
  router.add("GET", "/api/v1/episodes/{id}/ledger",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               return reply(req,
                            service::get_episode_ledger(ctx, caller, std::string(req.param("id"))),
                            [](const service::EpisodeLedger& l) {
                              return respond(200, [&](JsonWriter& w) { write_ledger(w, l); });
                            });
             }));
  router.add("POST", "/api/v1/episodes/{id}/stay-events",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto input = parse_stay_event(req);
               if (!input) return problem(input.error(), req);
               return reply(
                   req,
                   service::record_stay_event(ctx, caller, std::string(req.param("id")), *input),
                   [](const service::EpisodeLedger& l) {
                     return respond(201, [&](JsonWriter& w) { write_ledger(w, l); });
                   });
             }));
  router.add("GET", "/api/v1/ledger/monthly",
             authenticated(ctx, [&ctx](const http::Request& req, const service::Caller& caller) {
               auto year = query_int(req, "year", 0, 2000, 2200);
               if (!year) return problem(year.error(), req);
               if (*year == 0)
                 return problem(make_error(ErrorCode::invalid_input, "Give a year, e.g. year=2026.",
                                           "Oppgi et år, for eksempel year=2026.", "year"),
                                req);
               auto format = query_string(req, "format");
               if (!format.empty() && format != "json" && format != "csv")
                 return problem(make_error(ErrorCode::invalid_input, "format must be json or csv.",
                                           "format må være json eller csv.", "format"),
                                req);
               return reply(req,
                            service::ledger_monthly_totals(ctx, caller, *year,
                                                           query_string(req, "municipality_id")),
                            [&](const std::vector<core::MonthlyTotal>& totals) {
                              if (format == "csv") return monthly_csv(totals);
                              return respond_items(
                                  totals, [](JsonWriter& w, const core::MonthlyTotal& t) {
                                    w.begin_object()
                                        .field("amount_nok", t.amount_nok)
                                        .field("days", t.days)
                                        .field("days_without_rate", t.days_without_rate)
                                        .field("month", static_cast<int>(t.month))
                                        .field("municipality_id", t.municipality_id)
                                        .field("year", t.year)
                                        .end_object();
                                  });
                            });
             }));
}

}  // namespace samflyt::api
