// The message model: plain C++ values for what Samflyt writes and reads in
// MsgHead 1.2 envelopes (PLO 1.5/1.6, Dialogmelding 1.0/1.1) and in AppRec
// 1.0/1.1 receipts. Only the fields the discharge pathway needs are
// modelled; codecs (codec.hpp) turn these values into XML and back.
//
// Times: instants are UTC (core::Instant); an event may be known only to
// the day (a tentative discharge date), so PointInTime holds either an
// Oslo calendar date or an instant. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/calendar.hpp"
#include "msg/codes.hpp"

namespace samflyt::msg {

// A coded value (CV/CS): V, DN and, for CV, the code system number (S).
struct Code {
  std::string value;          // V
  std::string display_name;   // DN
  int code_system = 0;        // S as the last OID arc; 0 for CS fields
  std::string original_text;  // OT
};

// A health professional (helsepersonell): HPR number and/or HER-id.
struct HealthcareProfessional {
  std::string given_name;
  std::string family_name;
  std::string category;                 // kodeverk 9060 (LE Lege, SP Sykepleier ...)
  std::optional<Code> role_to_patient;  // kodeverk 9034
  std::string hpr_number;
  std::optional<std::int64_t> her_id;
  std::string phone;  // digits, written as a tel: URL
};

// A unit addressed below an organisation: a service (tjeneste) or a ward,
// with its own HER-id (HIS 1153 tjenestebasert adressering).
struct Unit {
  std::string name;
  std::optional<std::int64_t> her_id;
};

// A MsgHead Sender or Receiver organisation: the legal entity with its
// HER-id (and organisation number), the addressed service, and optionally
// the person.
struct Organisation {
  std::string name;
  std::optional<std::int64_t> her_id;
  std::string org_number;  // ENH, 9 digits
  std::optional<Unit> unit;
  std::optional<HealthcareProfessional> professional;

  // The HER-id that routes the message: the unit's when it has one.
  std::optional<std::int64_t> routing_her_id() const {
    return unit && unit->her_id ? unit->her_id : her_id;
  }
};

// Kodeverk 8116 types of a person's identifier.
enum class PersonIdType { fnr, dnr, hnr, fhn, other };

struct Patient {
  std::string given_name;
  std::string middle_name;
  std::string family_name;
  std::string national_id;  // the Ident/Id, 11 digits
  PersonIdType id_type = PersonIdType::fnr;
  std::string id_type_code;  // the TypeId V as received ("FNR", "DNR" ...)
  std::optional<core::Date> birth_date;
  std::string sex;  // kodeverk 3101: 1 Mann, 2 Kvinne, 9 Ikke spesifisert
};

// MsgHead ConversationRef: RefToParent is the MsgId answered, changed or
// cancelled; RefToConversation the MsgId of the thread's first message.
struct ConversationRef {
  std::string parent;
  std::string conversation;
};

// PLO 1.6 Document/Consent, kodeverk 9064.
enum class Consent { yes = 1, not_required = 2, answer_to_request = 3, no = 4 };

struct Envelope {
  std::string type;  // MsgInfo/Type V (kodeverk 8279)
  std::string msg_id;
  core::Instant gen_date{};
  std::optional<ConversationRef> conversation;
  Organisation sender;
  Organisation receiver;
  // OtherReceiver with RoleReceiver COP (kopimottaker): each recognised
  // one gets its own AppRec (HIS 80415, HITS 1168 §4.3).
  std::vector<Organisation> copy_receivers;
  std::optional<Patient> patient;
  std::optional<Consent> consent;
};

using PointInTime = std::variant<core::Date, core::Instant>;

// TidsfestetHendelse: an event with its kodeverk 9121 code (1 innlagt,
// 2 utskrevet, 3 utskrivningsklar, 4 avmelding, 13 død) and whether the
// time is an estimate (Anslag).
struct Event {
  int code = 0;  // 0: no Hendelsekode, the description says what it is
  std::string description;
  PointInTime time{core::Date{}};
  bool estimated = false;
};

namespace event_code {
inline constexpr int admitted = 1;
inline constexpr int discharged = 2;
inline constexpr int discharge_ready = 3;
inline constexpr int discharge_ready_cancelled = 4;
inline constexpr int died = 13;
}  // namespace event_code

// Forsendelsesstatus, kodeverk 7309.
enum class ShipmentStatus { new_message, change, addition, cancellation, history };
std::string_view to_code(ShipmentStatus s);  // "N", "M", "A", "C", "H"

// A headed text (Journaltekst): heading from 9145, 9142 or 9141.
struct Note {
  Code heading;
  std::string text;
};

// What every PLO instance carries besides its own content.
struct PloCommon {
  ShipmentStatus status = ShipmentStatus::new_message;
  // TilknyttetEnhet/Kontaktenhet (e.g. the ward). The schema requires an
  // identifier when there is a unit: its HER-id or a local id (9051 LAV).
  std::string contact_unit_name;
  std::optional<std::int64_t> contact_unit_her_id;
  std::string contact_unit_local_id;
  std::string contact_unit_phone;
  std::optional<HealthcareProfessional> contact_person;  // KontaktpersonHelsepersonell
  std::optional<HealthcareProfessional> responsible;     // AnsvarForRapport
};

// LOG_INNLAGT: Melding om innlagt pasient.
struct AdmittedPatient {
  PloCommon plo;
  Event admitted;  // 9121 V=1
};

// LOG_UTSKRIVNINGSKLAR: Melding om utskrivningsklar pasient.
struct DischargeReady {
  PloCommon plo;
  Event admitted;  // 9121 V=1
  Event ready;     // 9121 V=3, the (tentative) date the patient is ready
};

// LOG_AVMELDING: Avmelding av utskrivningsklar pasient.
struct DischargeReadyCancelled {
  PloCommon plo;
  Event cancelled;  // 9121 V=4
};

// LOG_UTSKREVET: Melding om utskrevet pasient.
struct Discharged {
  PloCommon plo;
  Event discharged;    // 9121 V=2
  Code discharged_to;  // UtskrevetTil/UtTil, kodeverk 8408
  std::string remark;  // UtskrevetTil/Merknad
};

// LOG_DOD and other PLO instances Samflyt recognises but does not model.
struct OtherPlo {
  PloCommon plo;
  std::string root;  // the root element's local name
};

// HELSEOPPL_SOKNAD: Helseopplysninger. kind 9140: 1 Varsel om innlagt
// pasient, 2 Oppdaterte opplysninger.
struct HealthInformation {
  PloCommon plo;
  int kind = 1;
  std::vector<Event> stay;  // OpplysningOpphold (>= 1): e.g. expected discharge-ready date
  std::vector<Note> notes;  // 9145 Pasientens status, Antatt forløp
};
namespace health_information_kind {
inline constexpr int admission_notice = 1;
inline constexpr int updated = 2;
}  // namespace health_information_kind

// UTSKRIVNINGSRAPPORT (TverrfagligEpikrise, 9139 V=11).
struct DischargeReport {
  PloCommon plo;
  std::vector<Event> stay;  // admitted, discharged
  std::vector<Note> notes;  // 9142 PROB, FO, OP ...; 9141 nursing headings
};

// INNLEGGELSESRAPPORT (read only): the municipality's report.
struct AdmissionReport {
  PloCommon plo;
  std::vector<Note> notes;
};

// A Dialogmelding Foresporsel (request), or its copy in a reply.
struct Request {
  Code type;  // TypeForesp: 9152 / 9153 / 9154
  std::string question;
};

// The municipality's answer to Melding om utskrivningsklar pasient
// (Helsefaglig dialog TemaKodet 7322 V=7): whether, and from which date,
// it can receive the patient.
struct ReceptionAnswer {
  bool can_receive = false;
  std::optional<core::Date> from_date;  // set when can_receive
};

// A Dialogmelding (1.0 or 1.1) with one Notat or one Foresporsel.
struct Dialog {
  bool v11 = true;                  // Dialogmelding 1.1 (else 1.0)
  std::optional<Request> request;   // DIALOG_FORESPORSEL
  Code topic;                       // Notat/TemaKodet (7322, 9069, 8117)
  std::string topic_text;           // Notat/Tema
  std::string text;                 // Notat/TekstNotatInnhold (plain text)
  std::optional<Request> question;  // Notat/Foresporsel: the copied question in a reply
  std::optional<HealthcareProfessional> professional;  // RollerRelatertNotat
  // TemaKodet 7322 V=7, when the text says. read() keeps the answer's
  // sentence in `text`; write() puts it first unless `text` starts with it.
  std::optional<ReceptionAnswer> reception;
};

using Content = std::variant<AdmittedPatient, DischargeReady, DischargeReadyCancelled, Discharged,
                             HealthInformation, DischargeReport, AdmissionReport, OtherPlo, Dialog>;

// An attachment (vedlegg, HIS 1036): a further MsgHead Document with
// RefDoc/MsgType "A" and base64 content. Samflyt accepts the formats it can
// show, PDF, JPEG and PNG (the formats HIS 1077 allows); others are
// rejected (HITS 1168: an attachment the system cannot process is a
// negative AppRec).
struct Attachment {
  std::string mime_type;    // application/pdf, image/jpeg or image/png
  std::string description;  // RefDoc/Description, e.g. "EKG 2026-03-27"
  std::string base64;       // Content/Base64Container, as sent (whitespace kept)
};

// A business message: envelope, its one XML document, and attachments.
struct Message {
  Envelope envelope;
  Content content;
  std::vector<Attachment> attachments;
};

// --- AppRec ---

enum class AppRecVersion { v10, v11 };
enum class AppRecStatus { ok = 1, rejected = 2, ok_error_in_part = 3 };

struct AppRecError {
  std::string code;    // V, e.g. "E10" (kodeverk 8221 unless code_system says otherwise)
  std::string text;    // DN, the official text
  std::string detail;  // OT, local detail that must be shown
  int code_system = code_system::apprec_error;
};
AppRecError make_error(AppRecErrorCode code, std::string detail = {});

// AppRec HCP/Inst: an institution with its department and person.
struct AppRecParty {
  std::string role;  // 1.1: PRIM/COP (sender), AVS (receiver)
  std::string name;
  std::optional<std::int64_t> her_id;
  std::optional<Unit> dept;
  std::string person_name;
  std::optional<std::int64_t> person_her_id;
};

struct AppRec {
  AppRecVersion version = AppRecVersion::v11;
  std::string mig_version;  // as received; written from the version
  core::Instant gen_date{};
  std::string id;
  AppRecParty sender;         // the receiver of the original message
  AppRecParty receiver;       // the sender of the original message
  std::optional<int> status;  // 8258 code as received (unknown codes are kept)
  std::vector<AppRecError> errors;
  std::string original_type;
  core::Instant original_gen_date{};
  std::string original_msg_id;
};

}  // namespace samflyt::msg
