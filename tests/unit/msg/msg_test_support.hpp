// Shared helpers for the message codec tests: the standards folder, and
// realistic invented messages of every type Samflyt writes (no real
// people; the national id is a synthetic test number, month + 80).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "msg/codec.hpp"
#include "msg/receive.hpp"
#include "msg/validator.hpp"

namespace samflyt::msg::testing {

namespace fs = std::filesystem;

// The official standards folder (CMake cache SAMFLYT_STANDARDS_DIR,
// default ../shared/standards beside the repository).
inline fs::path standards_dir() {
  return fs::path(SAMFLYT_STANDARDS_DIR);
}

inline std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compiled once for the whole test binary (compiling takes a while).
inline const Validator& validator() {
  static const Validator v(standards_dir() / "schemas");
  return v;
}

inline core::Date ymd(int y, unsigned m, unsigned d) {
  return core::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// A UTC instant.
inline core::Instant at(int y, unsigned m, unsigned d, int hour, int minute = 0, int second = 0) {
  return core::Instant{std::chrono::sys_days{ymd(y, m, d)}} + std::chrono::hours{hour} +
         std::chrono::minutes{minute} + std::chrono::seconds{second};
}

// A synthetic test national id (Skatteetaten/Tenor, month + 80), born 1975-02-01.
inline constexpr const char* kPatientId = "01827512393";

inline Envelope hospital_to_municipality(std::string_view type, std::string msg_id) {
  Envelope e;
  e.type = std::string(type);
  e.msg_id = std::move(msg_id);
  e.gen_date = at(2026, 3, 27, 9, 15);  // 10:15 in Oslo
  e.sender.name = "Telemark Testsykehus HF";
  e.sender.her_id = 8100001;
  e.sender.org_number = "123456785";
  e.sender.unit = Unit{"Medisinsk avdeling, sengepost 3", 8100042};
  e.receiver.name = "Fjellbygd kommune";
  e.receiver.her_id = 8200001;
  e.receiver.unit = Unit{"Tildelingskontoret", 8200017};
  Patient p;
  p.given_name = "Testine";
  p.family_name = "Fjellstad";
  p.national_id = kPatientId;
  p.id_type = PersonIdType::fnr;
  p.birth_date = ymd(1975, 2, 1);
  p.sex = "2";
  e.patient = p;
  e.consent = Consent::yes;
  return e;
}

inline HealthcareProfessional ward_nurse() {
  HealthcareProfessional p;
  p.given_name = "Sigrid";
  p.family_name = "Testpleier";
  p.category = "SP";
  p.role_to_patient = Code{"11", "Utskrivende sykepleier", code_system::role_to_patient, {}};
  p.hpr_number = "9900123";
  p.phone = "35000000";
  return p;
}

inline HealthcareProfessional ward_doctor() {
  HealthcareProfessional p;
  p.given_name = "Ola";
  p.family_name = "Testlege";
  p.category = "LE";
  p.role_to_patient = Code{"1", "Pasientansvarlig lege", code_system::role_to_patient, {}};
  p.hpr_number = "9900456";
  p.phone = "35000001";
  return p;
}

inline PloCommon plo_common(ShipmentStatus status = ShipmentStatus::new_message) {
  PloCommon c;
  c.status = status;
  c.contact_unit_name = "Medisinsk sengepost 3";
  c.contact_unit_her_id = 8100042;
  c.contact_unit_phone = "35000010";
  c.contact_person = ward_nurse();
  c.responsible = ward_doctor();
  return c;
}

inline Event admitted_event() {
  return Event{event_code::admitted, "Innlagt fra legevakt", at(2026, 3, 23, 21, 40), false};
}

inline Message admitted_message() {
  return Message{
      hospital_to_municipality(msg_type::innlagt, "0b6f0a52-3c8e-4d7e-9a51-6d0f6e1c2a01"),
      AdmittedPatient{plo_common(), admitted_event()},
      {}};
}

inline Message health_information_message(int kind) {
  HealthInformation h;
  h.plo = plo_common();
  h.kind = kind;
  h.stay.push_back(Event{event_code::discharge_ready, {}, ymd(2026, 3, 30), true});
  h.notes.push_back(Note{Code{"1", "Pasientens status", code_system::admission_headings, {}},
                         "Innlagt med pneumoni. Stabil, trenger hjelp til stell og mobilisering."});
  h.notes.push_back(Note{Code{"2", "Antatt forløp", code_system::admission_headings, {}},
                         "Forventer behov for korttidsopphold før hjemreise."});
  auto env = hospital_to_municipality(
      msg_type::helseopplysninger,
      kind == 1 ? "5e0c3d1a-8f2b-4c6d-9e7f-0a1b2c3d4e02" : "5e0c3d1a-8f2b-4c6d-9e7f-0a1b2c3d4e03");
  if (kind == 2) {
    env.conversation = ConversationRef{"5e0c3d1a-8f2b-4c6d-9e7f-0a1b2c3d4e02",
                                       "5e0c3d1a-8f2b-4c6d-9e7f-0a1b2c3d4e02"};
    h.plo.status = ShipmentStatus::change;
  }
  return Message{env, h, {}};
}

inline Message discharge_ready_message() {
  return Message{
      hospital_to_municipality(msg_type::utskrivningsklar, "7a9d2f60-1b3c-4e5d-8f6a-7b8c9d0e1f04"),
      DischargeReady{plo_common(), admitted_event(),
                     Event{event_code::discharge_ready, {}, ymd(2026, 3, 30), true}},
      {}};
}

inline Message cancelled_message() {
  auto env = hospital_to_municipality(msg_type::avmelding, "8b0e3a71-2c4d-4f6e-9a7b-8c9d0e1f2a05");
  env.conversation = ConversationRef{"7a9d2f60-1b3c-4e5d-8f6a-7b8c9d0e1f04",
                                     "7a9d2f60-1b3c-4e5d-8f6a-7b8c9d0e1f04"};
  return Message{
      env,
      DischargeReadyCancelled{plo_common(), Event{event_code::discharge_ready_cancelled,
                                                  "Ny infeksjon", at(2026, 3, 29, 8, 0), false}},
      {}};
}

inline Message discharged_message() {
  return Message{
      hospital_to_municipality(msg_type::utskrevet, "9c1f4b82-3d5e-4a7f-8b9c-9d0e1f2a3b06"),
      Discharged{plo_common(), Event{event_code::discharged, {}, at(2026, 4, 1, 10, 30), false},
                 Code{"11", "Sykehjem/aldershjem/helsehus", code_system::place, {}},
                 "Korttidsplass ved Fjellbygd helsehus"},
      {}};
}

inline Message discharge_report_message() {
  DischargeReport r;
  r.plo = plo_common();
  r.stay.push_back(Event{0, "Innlagt dato", at(2026, 3, 23, 21, 40), false});
  r.stay.push_back(Event{0, "Utskrevet dato", at(2026, 4, 1, 10, 30), false});
  r.notes.push_back(Note{Code{"PROB", "Aktuell problemstilling", code_system::medical_headings, {}},
                         "Pneumoni, behandlet med antibiotika intravenøst i fem døgn."});
  r.notes.push_back(
      Note{Code{"OP", "Planer for videre oppfølging", code_system::medical_headings, {}},
           "Kontroll hos fastlege om to uker. Fortsett peroral behandling til 2026-04-05."});
  return Message{hospital_to_municipality(msg_type::utskrivningsrapport,
                                          "ad2a5c93-4e6f-4b80-9cad-0e1f2a3b4c07"),
                 r,
                 {}};
}

// The municipality's answer to a discharge-ready notice (Dialogmelding 1.1,
// TemaKodet 7322 V=7).
inline Message reception_answer_message(bool can_receive) {
  Envelope env = hospital_to_municipality(msg_type::dialog_helsefaglig,
                                          can_receive ? "be3b6da4-5f70-4c91-8dbe-1f2a3b4c5d08"
                                                      : "be3b6da4-5f70-4c91-8dbe-1f2a3b4c5d09");
  std::swap(env.sender, env.receiver);
  env.conversation = ConversationRef{"7a9d2f60-1b3c-4e5d-8f6a-7b8c9d0e1f04",
                                     "7a9d2f60-1b3c-4e5d-8f6a-7b8c9d0e1f04"};
  env.consent.reset();
  Dialog d;
  d.v11 = true;
  d.topic = Code{
      "7", "Tilbakemelding på mottak av utskrivningsklar pasient", code_system::dialog_topic, {}};
  d.topic_text = "Mottak av utskrivningsklar pasient";
  d.text = "Korttidsplass ved Fjellbygd helsehus.";
  d.reception = can_receive ? ReceptionAnswer{true, ymd(2026, 3, 31)} : ReceptionAnswer{false, {}};
  HealthcareProfessional p;
  p.given_name = "Kari";
  p.family_name = "Testsaksbehandler";
  p.category = "SP";
  p.hpr_number = "9900789";
  p.phone = "35500000";
  d.professional = p;
  return Message{env, d, {}};
}

inline Dialog plo_request() {
  Dialog d;
  d.v11 = false;
  d.request =
      Request{Code{"8", "Status/plan for utskrivning", code_system::request_from_municipality, {}},
              "Når regner dere med at pasienten er utskrivningsklar?"};
  HealthcareProfessional p = ward_nurse();
  p.role_to_patient = Code{"9", "Primærkontakt", code_system::role_to_patient, {}};
  d.professional = p;
  return d;
}

inline Message request_message() {
  Envelope env = hospital_to_municipality(msg_type::dialog_foresporsel,
                                          "cf4c7eb5-6071-4da2-9ecf-2a3b4c5d6e10");
  std::swap(env.sender, env.receiver);
  env.consent.reset();
  return Message{env, plo_request(), {}};
}

inline Message answer_message() {
  Envelope env =
      hospital_to_municipality(msg_type::dialog_svar, "d05d8fc6-7182-4eb3-8fd0-3b4c5d6e7f11");
  env.conversation = ConversationRef{"cf4c7eb5-6071-4da2-9ecf-2a3b4c5d6e10",
                                     "cf4c7eb5-6071-4da2-9ecf-2a3b4c5d6e10"};
  env.consent.reset();
  Dialog d;
  d.v11 = false;
  d.topic = Code{"5", "Svar på forespørsel", code_system::answer_to_request, {}};
  d.text = "Pasienten forventes utskrivningsklar 30.03.2026.";
  d.question = plo_request().request;
  d.professional = ward_doctor();
  return Message{env, d, {}};
}

inline Message deviation_message() {
  Envelope env =
      hospital_to_municipality(msg_type::dialog_avvik, "e16e90d7-8293-4fc4-a0e1-4c5d6e7f8012");
  env.conversation = ConversationRef{"cf4c7eb5-6071-4da2-9ecf-2a3b4c5d6e10",
                                     "cf4c7eb5-6071-4da2-9ecf-2a3b4c5d6e10"};
  env.consent.reset();
  Dialog d;
  d.v11 = false;
  d.topic = Code{"1", "Feil adressat", code_system::receipt_deviation, {}};
  d.text = "Pasienten er ikke innlagt ved vår avdeling.";
  d.professional = ward_doctor();
  return Message{env, d, {}};
}

}  // namespace samflyt::msg::testing
