#include "msg/stay_events.hpp"

#include <algorithm>
#include <type_traits>

namespace samflyt::msg {

namespace {

core::Instant instant_of(const PointInTime& t) {
  if (const auto* day = std::get_if<core::Date>(&t)) return core::oslo_start_of_day(*day);
  return std::get<core::Instant>(t);
}

core::StayEvent event(core::StayEventKind kind, core::Instant at) {
  return core::StayEvent{kind, at, std::nullopt};
}

bool cancelled(const PloCommon& plo) {
  return plo.status == ShipmentStatus::cancellation;
}

}  // namespace

std::vector<core::StayEvent> stay_events_of(const Message& m) {
  using K = core::StayEventKind;
  const core::Instant sent = m.envelope.gen_date;
  return std::visit(
      [&](const auto& c) -> std::vector<core::StayEvent> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, HealthInformation>) {
          if (cancelled(c.plo)) return {};
          std::vector<core::StayEvent> out;
          for (const auto& e : c.stay)
            if (e.code == event_code::admitted)
              out.push_back(event(K::admitted, instant_of(e.time)));
          if (c.kind == health_information_kind::admission_notice)
            out.push_back(event(K::admission_notice, sent));
          return out;
        } else if constexpr (std::is_same_v<T, AdmittedPatient>) {
          if (cancelled(c.plo)) return {};
          return {event(K::admitted, instant_of(c.admitted.time))};
        } else if constexpr (std::is_same_v<T, DischargeReady>) {
          if (cancelled(c.plo)) return {};
          // Declared when the notice was made, or earlier when the ready
          // event says so; ready from a later day when it gives one (Anslag).
          core::Instant ready = instant_of(c.ready.time);
          core::StayEvent declared{K::declared_ready, std::min(ready, sent), std::nullopt};
          if (core::oslo_date(ready) > core::oslo_date(sent))
            declared.date = core::oslo_date(ready);
          return {event(K::admitted, instant_of(c.admitted.time)), declared,
                  event(K::ready_notice, sent)};
        } else if constexpr (std::is_same_v<T, DischargeReadyCancelled>) {
          if (cancelled(c.plo)) return {};
          return {event(K::withdrawn, instant_of(c.cancelled.time))};
        } else if constexpr (std::is_same_v<T, Discharged>) {
          if (cancelled(c.plo)) return {};
          return {event(K::discharged, instant_of(c.discharged.time))};
        } else if constexpr (std::is_same_v<T, Dialog>) {
          if (!c.reception) return {};
          if (c.reception->can_receive && c.reception->from_date)
            return {core::StayEvent{K::municipality_can_receive, sent, c.reception->from_date}};
          return {event(K::municipality_cannot_receive, sent)};
        } else {
          return {};
        }
      },
      m.content);
}

std::optional<core::Date> expected_ready_day(const Message& m) {
  if (const auto* h = std::get_if<HealthInformation>(&m.content)) {
    if (cancelled(h->plo)) return std::nullopt;
    for (const auto& e : h->stay)
      if (e.code == event_code::discharge_ready) return core::oslo_date(instant_of(e.time));
  } else if (const auto* r = std::get_if<DischargeReady>(&m.content)) {
    if (!cancelled(r->plo)) return core::oslo_date(instant_of(r->ready.time));
  }
  return std::nullopt;
}

}  // namespace samflyt::msg
