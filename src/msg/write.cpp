// Writing the message model as XML. See codec.hpp.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <variant>

#include "msg/codec.hpp"
#include "msg/reader.hpp"
#include "msg/xml.hpp"

namespace samflyt::msg {

namespace {

using xml::XmlWriter;

void require(bool condition, const char* what) {
  if (!condition) throw std::invalid_argument(std::string("msg::write: ") + what);
}

std::string oslo_time(core::Instant t) {
  return core::format_oslo_datetime(t);
}

std::string point_in_time(const PointInTime& t) {
  if (const auto* d = std::get_if<core::Date>(&t)) return core::format_date(*d);
  return oslo_time(std::get<core::Instant>(t));
}

// A CV (with S) or CS (code_system 0) element.
void code(XmlWriter& w, std::string_view name, const Code& c) {
  w.start(name);
  w.attribute("V", c.value);
  if (!c.display_name.empty()) w.attribute("DN", c.display_name);
  if (c.code_system != 0) w.attribute("S", oid(c.code_system));
  if (!c.original_text.empty()) w.attribute("OT", c.original_text);
  w.end();
}

// A CS field (no S attribute: 8279, 8258, 7309, 9060, 3101, 8112, 8114),
// with the DN codes.hpp knows for it.
void cs(XmlWriter& w, std::string_view name, int code_system, std::string_view v) {
  code(w, name, Code{std::string(v), std::string(display_name(code_system, v)), 0, {}});
}

// A CV field: V, DN and S.
void cv(XmlWriter& w, std::string_view name, int code_system, std::string_view v) {
  code(w, name, Code{std::string(v), std::string(display_name(code_system, v)), code_system, {}});
}

// An Ident; Dialogmelding puts the wrapper in its own namespace and its
// children in felleskomponent1, so the two prefixes may differ.
void ident(XmlWriter& w, std::string_view wrapper_prefix, std::string_view prefix,
           std::string_view id, std::string_view type, int code_system) {
  const std::string p(prefix);
  w.start(std::string(wrapper_prefix) + "Ident");
  w.element(p + "Id", id);
  cv(w, p + "TypeId", code_system, type);
  w.end();
}

void ident(XmlWriter& w, std::string_view prefix, std::string_view id, std::string_view type,
           int code_system) {
  ident(w, prefix, prefix, id, type, code_system);
}

// A HealthcareProfessional: MsgHead (prefix "") and felleskomponent1
// ("fk1:") share the element order. The HPR number and HER-id are its
// Idents; the schema requires at least one.
void professional(XmlWriter& w, std::string_view element, std::string_view prefix,
                  const HealthcareProfessional& p, std::string_view ident_prefix) {
  require(!p.hpr_number.empty() || p.her_id, "a health professional needs an HPR number or HER-id");
  const std::string px(prefix);
  w.start(element);
  if (!p.category.empty())
    cs(w, px + "TypeHealthcareProfessional", code_system::professional_category, p.category);
  if (p.role_to_patient) code(w, px + "RoleToPatient", *p.role_to_patient);
  if (!p.family_name.empty()) w.element(px + "FamilyName", p.family_name);
  if (!p.given_name.empty()) w.element(px + "GivenName", p.given_name);
  if (!p.hpr_number.empty())
    ident(w, px, ident_prefix, p.hpr_number, "HPR", code_system::person_id_type);
  if (p.her_id)
    ident(w, px, ident_prefix, std::to_string(*p.her_id), "HER", code_system::person_id_type);
  if (!p.phone.empty()) {
    w.start(px + "TeleCom");
    w.start(std::string(ident_prefix) + "TeleAddress");
    w.attribute("V", "tel:" + p.phone);
    w.end();
    w.end();
  }
  w.end();
}

void her_ident(XmlWriter& w, std::string_view prefix, std::int64_t her) {
  ident(w, prefix, std::to_string(her), "HER", code_system::organisation_id_type);
}

void organisation(XmlWriter& w, const Organisation& o, const char* role) {
  require(o.her_id.has_value(), role);
  require(!o.name.empty(), "an organisation needs a name");
  w.start("Organisation");
  w.element("OrganisationName", o.name);
  her_ident(w, "", *o.her_id);
  if (!o.org_number.empty()) ident(w, "", o.org_number, "ENH", code_system::organisation_id_type);
  if (o.unit) {
    w.start("Organisation");
    w.element("OrganisationName", o.unit->name);
    require(o.unit->her_id.has_value(), "an addressed unit needs its HER-id");
    her_ident(w, "", *o.unit->her_id);
    w.end();
  }
  if (o.professional) professional(w, "HealthcareProfessional", "", *o.professional, "");
  w.end();
}

std::string_view id_type_code(PersonIdType t) {
  switch (t) {
    case PersonIdType::fnr:
      return "FNR";
    case PersonIdType::dnr:
      return "DNR";
    case PersonIdType::hnr:
      return "HNR";
    case PersonIdType::fhn:
      return "FHN";
    case PersonIdType::other:
      break;
  }
  return "XXX";
}

void patient(XmlWriter& w, const Patient& p) {
  require(!p.family_name.empty() && !p.given_name.empty() && !p.national_id.empty(),
          "the patient needs a name and a national id");
  w.start("Patient");
  w.element("FamilyName", p.family_name);
  if (!p.middle_name.empty()) w.element("MiddleName", p.middle_name);
  w.element("GivenName", p.given_name);
  if (p.birth_date) w.element("DateOfBirth", core::format_date(*p.birth_date));
  if (!p.sex.empty()) cs(w, "Sex", code_system::sex, p.sex);
  ident(w, "", p.national_id, id_type_code(p.id_type), code_system::person_id_type);
  w.end();
}

void event(XmlWriter& w, const Event& e, int expected_code = 0) {
  if (expected_code != 0) require(e.code == expected_code, "an event has the wrong Hendelsekode");
  w.start("TidsfestetHendelse");
  if (e.code != 0) cv(w, "Hendelsekode", code_system::logistics_event, std::to_string(e.code));
  if (!e.description.empty()) w.element("BeskrivelseAvHendelse", e.description);
  w.start("TidspunktForHendelse");
  w.attribute("V", point_in_time(e.time));
  w.end();
  w.element("Anslag", e.estimated ? "true" : "false");
  w.end();
}

// The elements every PLO root starts with, up to SendtDokument.
void plo_common(XmlWriter& w, const PloCommon& c) {
  w.start("InformasjonOmForsendelsen");
  cs(w, "Forsendelsesstatus", code_system::shipment_status, to_code(c.status));
  w.end();
  if (!c.contact_unit_name.empty()) {
    w.start("TilknyttetEnhet");
    w.start("Kontaktenhet");
    w.element("fk1:OrganisationName", c.contact_unit_name);
    require(c.contact_unit_her_id || !c.contact_unit_local_id.empty(),
            "the contact unit needs its HER-id or a local id");
    if (c.contact_unit_her_id) her_ident(w, "fk1:", *c.contact_unit_her_id);
    if (!c.contact_unit_local_id.empty())
      ident(w, "fk1:", c.contact_unit_local_id, "LAV", code_system::organisation_id_type);
    if (!c.contact_unit_phone.empty()) {
      w.start("fk1:TeleCom");
      w.start("fk1:TeleAddress");
      w.attribute("V", "tel:" + c.contact_unit_phone);
      w.end();
      w.end();
    }
    w.end();
    w.end();
  }
  if (c.contact_person) {
    w.start("KontaktpersonHelsepersonell");
    professional(w, "Kontaktperson", "fk1:", *c.contact_person, "fk1:");
    w.end();
  }
  if (c.responsible) {
    w.start("AnsvarForRapport");
    professional(w, "AnsvarligRapport", "fk1:", *c.responsible, "fk1:");
    w.end();
  }
}

void start_plo_root(XmlWriter& w, std::string_view qualified, std::string_view prefix,
                    std::string_view ns_name) {
  w.start(qualified);
  w.attribute("xmlns:" + std::string(prefix), plo16_namespace(ns_name));
  w.attribute("xmlns", plo16_namespace(plo_ns::po_komponent));
  w.attribute("xmlns:fk1", ns::felleskomponent1);
}

// GenereltJournalnotat (EPJ-journalnotat, namespace epj2) with one
// Journaltekst per note. The component attributes are fixed by the EPJ
// schema; komponentID identifies this component instance.
void journal_notes(XmlWriter& w, const std::vector<Note>& notes, std::string_view component_id) {
  if (notes.empty()) return;
  w.start("MedisinskfagligeOpplysninger");
  w.start("epj2:GenereltJournalnotat");
  w.attribute("xmlns:epj2", ns::epj2);
  w.attribute("xmlns:m1", ns::epj_meta);
  w.attribute("m1:informasjonskategori", epj::journal_note_category);
  w.attribute("komponentID", component_id);
  w.attribute("m1:komponenttype", epj::journal_note_component_type);
  w.attribute("m1:basiskomponenttype", epj::journal_note_base_type);
  for (const auto& n : notes) {
    w.start("epj2:Journaltekst");
    code(w, "epj2:Overskriftskode", n.heading);
    w.element("epj2:Notat", n.text);
    w.end();
  }
  w.end();
  w.end();
}

struct ContentWriter {
  XmlWriter& w;
  const Envelope& env;

  void operator()(const AdmittedPatient& m) const {
    start_plo_root(w, "p1:Pasientlogistikk", "p1", plo_ns::pasientlogistikk);
    plo_common(w, m.plo);
    w.start("p1:MeldingInnlagtPasient");
    event(w, m.admitted, event_code::admitted);
    w.end();
    w.end();
  }
  void operator()(const DischargeReady& m) const {
    // HIS 1149: the name of the responsible health professional is mandatory.
    require(m.plo.responsible.has_value(),
            "LOG_UTSKRIVNINGSKLAR needs the responsible professional");
    start_plo_root(w, "p1:Pasientlogistikk", "p1", plo_ns::pasientlogistikk);
    plo_common(w, m.plo);
    w.start("p1:MeldingUtskrivningsklarPasient");
    event(w, m.admitted, event_code::admitted);
    event(w, m.ready, event_code::discharge_ready);
    w.end();
    w.end();
  }
  void operator()(const DischargeReadyCancelled& m) const {
    require(m.plo.responsible.has_value(), "LOG_AVMELDING needs the responsible professional");
    start_plo_root(w, "p1:Pasientlogistikk", "p1", plo_ns::pasientlogistikk);
    plo_common(w, m.plo);
    w.start("p1:AvmeldingUtskrivningsklarPasient");
    event(w, m.cancelled, event_code::discharge_ready_cancelled);
    w.end();
    w.end();
  }
  void operator()(const Discharged& m) const {
    require(!m.discharged_to.value.empty(), "UtskrevetTil needs a place (kodeverk 8408)");
    start_plo_root(w, "p1:Pasientlogistikk", "p1", plo_ns::pasientlogistikk);
    plo_common(w, m.plo);
    w.start("p1:MeldingOmUtskrevetPasient");
    w.start("UtskrevetTil");
    Code to = m.discharged_to;
    to.code_system = code_system::place;
    code(w, "UtTil", to);
    if (!m.remark.empty()) w.element("Merknad", m.remark);
    w.end();
    event(w, m.discharged, event_code::discharged);
    w.end();
    w.end();
  }
  void operator()(const HealthInformation& m) const {
    require(!m.stay.empty(), "Helseopplysninger needs at least one OpplysningOpphold event");
    require(m.kind == health_information_kind::admission_notice ||
                m.kind == health_information_kind::updated,
            "Helseopplysninger's TypeInnhold is 1 or 2 (kodeverk 9140)");
    start_plo_root(w, "p5:HelseopplysningerVedSoknad", "p5", plo_ns::helseopplysninger);
    plo_common(w, m.plo);
    w.start("TypeInnholdIMelding");
    cv(w, "TypeInnhold", code_system::health_info_content, std::to_string(m.kind));
    w.end();
    for (const auto& e : m.stay) {
      w.start("OpplysningOpphold");
      event(w, e);
      w.end();
    }
    journal_notes(w, m.notes, env.msg_id);
    w.end();
  }
  void operator()(const DischargeReport& m) const {
    start_plo_root(w, "p8:TverrfagligEpikrise", "p8", plo_ns::tverrfaglig_epikrise);
    plo_common(w, m.plo);
    w.start("TypeInnholdIMelding");
    cv(w, "TypeInnhold", code_system::discharge_report_content, "11");
    w.end();
    for (const auto& e : m.stay) {
      w.start("OpplysningOpphold");
      event(w, e);
      w.end();
    }
    journal_notes(w, m.notes, env.msg_id);
    w.end();
  }
  void operator()(const AdmissionReport&) const {
    throw std::invalid_argument(
        "msg::write: Samflyt reads Innleggelsesrapport but does not write it");
  }
  void operator()(const OtherPlo&) const {
    throw std::invalid_argument("msg::write: this PLO message is read only");
  }
  void operator()(const Dialog& d) const {
    w.start("Dialogmelding");
    w.attribute("xmlns", d.v11 ? ns::dialog_11 : ns::dialog_10);
    w.attribute("xmlns:fk1", ns::felleskomponent1);
    const auto roles = [&] {
      if (!d.professional) return;
      w.start("RollerRelatertNotat");
      if (d.professional->role_to_patient)
        code(w, "RoleToPatient", *d.professional->role_to_patient);
      HealthcareProfessional p = *d.professional;
      p.role_to_patient.reset();
      professional(w, "HealthcareProfessional", "", p, "fk1:");
      w.end();
    };
    const auto request = [&](const Request& r) {
      w.start("Foresporsel");
      code(w, "TypeForesp", r.type);
      if (!r.question.empty()) w.element("Sporsmal", r.question);
    };
    if (d.request) {
      require(d.request->type.code_system != 0, "TypeForesp needs its code system");
      request(*d.request);
      roles();
      w.end();
    } else {
      require(!d.topic.value.empty() && d.topic.code_system != 0, "a Notat needs TemaKodet");
      if (d.v11) {
        // HIS 1077 (Helsefaglig dialog): Tema, and the name and phone of the
        // professional responsible for the content, are always present.
        require(!d.topic_text.empty(), "Helsefaglig dialog needs Tema");
        require(d.professional && !d.professional->family_name.empty() &&
                    !d.professional->phone.empty(),
                "Helsefaglig dialog needs the responsible professional's name and phone");
      }
      w.start("Notat");
      code(w, "TemaKodet", d.topic);
      if (!d.topic_text.empty()) w.element("Tema", d.topic_text);
      // The answer's sentence comes first, unless the text already starts
      // with it (a Dialog that was read keeps the whole text: see read()).
      std::string text = d.text;
      const auto said = parse_reception_answer(d.text);
      if (d.reception && !(said && said->can_receive == d.reception->can_receive &&
                           said->from_date == d.reception->from_date)) {
        text = reception_answer_text(*d.reception) + (d.text.empty() ? "" : "\n" + d.text);
      }
      w.element("TekstNotatInnhold", text);
      if (d.question) {
        request(*d.question);
        w.end();
      }
      roles();
      w.end();
    }
    w.end();
  }
};

}  // namespace

std::string_view to_code(ShipmentStatus s) {
  switch (s) {
    case ShipmentStatus::new_message:
      return "N";
    case ShipmentStatus::change:
      return "M";
    case ShipmentStatus::addition:
      return "A";
    case ShipmentStatus::cancellation:
      return "C";
    case ShipmentStatus::history:
      return "H";
  }
  return "N";
}

AppRecError make_error(AppRecErrorCode code, std::string detail) {
  return AppRecError{std::string(to_code(code)), std::string(official_text(code)),
                     std::move(detail), code_system::apprec_error};
}

std::string reception_answer_text(const ReceptionAnswer& answer) {
  if (!answer.can_receive || !answer.from_date) return "Kommunen kan ikke ta imot pasienten nå.";
  const auto& d = *answer.from_date;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "Kommunen kan ta imot pasienten fra %02u.%02u.%04d.",
                static_cast<unsigned>(d.day()), static_cast<unsigned>(d.month()),
                static_cast<int>(d.year()));
  return buffer;
}

std::string write(const Message& message) {
  const Envelope& env = message.envelope;
  require(is_uuid(env.msg_id), "MsgId must be a UUID");
  require(!env.type.empty(), "the message needs its MsgInfo/Type");
  require(env.patient.has_value(), "PLO and Dialogmelding messages need the patient");
  require(
      env.conversation.has_value() || detail::conversation_ref_reason(env, message.content).empty(),
      "a reply, change or cancellation needs its ConversationRef");
  if (env.type == msg_type::dialog_svar) {
    const auto* d = std::get_if<Dialog>(&message.content);
    require(d != nullptr && d->question.has_value(),
            "a reply (DIALOG_SVAR) carries a copy of the question (HIS 1152)");
  }
  XmlWriter w;
  w.start("MsgHead");
  w.attribute("xmlns", ns::msghead);
  w.attribute("xmlns:fk1", ns::felleskomponent1);
  w.start("MsgInfo");
  cs(w, "Type", code_system::message_function, env.type);
  w.element("MIGversion", msghead_mig_version);
  w.element("GenDate", oslo_time(env.gen_date));
  w.element("MsgId", env.msg_id);
  if (env.conversation) {
    require(is_uuid(env.conversation->parent) && is_uuid(env.conversation->conversation),
            "ConversationRef holds MsgIds (UUIDs)");
    w.start("ConversationRef");
    w.element("RefToParent", env.conversation->parent);
    w.element("RefToConversation", env.conversation->conversation);
    w.end();
  }
  w.start("Sender");
  organisation(w, env.sender, "the sender needs its HER-id");
  w.end();
  w.start("Receiver");
  organisation(w, env.receiver, "the receiver needs its HER-id");
  w.end();
  for (const auto& copy : env.copy_receivers) {
    w.start("OtherReceiver");
    cs(w, "RoleReceiver", code_system::receiver_role, "COP");
    organisation(w, copy, "a copy receiver needs its HER-id");
    w.end();
  }
  patient(w, *env.patient);
  w.end();  // MsgInfo
  w.start("Document");
  if (env.consent)
    cv(w, "Consent", code_system::consent, std::to_string(static_cast<int>(*env.consent)));
  w.start("RefDoc");
  w.start("IssueDate");
  w.attribute("V", oslo_time(env.gen_date));
  w.end();
  cs(w, "MsgType", code_system::document_type, "XML");
  w.start("Content");
  std::visit(ContentWriter{w, env}, message.content);
  w.end();  // Content
  w.end();  // RefDoc
  w.end();  // Document
  for (const auto& a : message.attachments) {
    require(accepted_attachment_type(a.mime_type), "attachments are PDF, JPEG or PNG");
    require(!a.base64.empty(), "an attachment needs its content");
    w.start("Document");
    w.start("RefDoc");
    w.start("IssueDate");
    w.attribute("V", oslo_time(env.gen_date));
    w.end();
    cs(w, "MsgType", code_system::document_type, "A");
    w.element("MimeType", a.mime_type);
    if (!a.description.empty()) w.element("Description", a.description);
    w.start("Content");
    w.start("Base64Container");
    w.attribute("xmlns", ns::base64container);
    w.text(a.base64);
    w.end();
    w.end();  // Content
    w.end();  // RefDoc
    w.end();  // Document
  }
  w.end();  // MsgHead
  return w.finish();
}

namespace {

void apprec_party(XmlWriter& w, std::string_view element, const AppRecParty& p) {
  // A rejected message may lack a HER-id or name (E21): the AppRec still
  // mirrors what it had (HITS 1168 §11: return all addressing information).
  w.start(element);
  if (!p.role.empty()) cs(w, "Role", code_system::receiver_role, p.role);
  w.start("HCP");
  w.start("Inst");
  if (!p.name.empty()) w.element("Name", p.name);
  if (p.her_id) {
    w.element("Id", std::to_string(*p.her_id));
    cs(w, "TypeId", code_system::organisation_id_type, "HER");
  }
  if (p.dept) {
    w.start("Dept");
    if (!p.dept->name.empty()) w.element("Name", p.dept->name);
    if (p.dept->her_id) {
      w.element("Id", std::to_string(*p.dept->her_id));
      cs(w, "TypeId", code_system::organisation_id_type, "HER");
    }
    w.end();
  }
  if (!p.person_name.empty()) {
    w.start("HCPerson");
    w.element("Name", p.person_name);
    if (p.person_her_id) {
      w.element("Id", std::to_string(*p.person_her_id));
      cs(w, "TypeId", code_system::organisation_id_type, "HER");
    }
    w.end();
  }
  w.end();
  w.end();
  w.end();
}

}  // namespace

std::string write(const AppRec& a) {
  require(is_uuid(a.id), "an AppRec's Id must be a UUID");
  // OriginalMsgId/Id echoes the original even when it is not a UUID (E10).
  require(!a.original_msg_id.empty() && !a.original_type.empty(),
          "an AppRec names the original message's MsgId and type");
  require(a.status.has_value(), "an AppRec needs its status");
  require((*a.status == 1) == a.errors.empty(),
          "a negative AppRec needs errors and a positive one has none");
  const bool v11 = a.version == AppRecVersion::v11;
  XmlWriter w;
  w.start("AppRec");
  w.attribute("xmlns", v11 ? ns::apprec_11 : ns::apprec_10);
  cs(w, "MsgType", code_system::message_function, msg_type::apprec);
  w.element("MIGversion", v11 ? apprec_11_mig_version : apprec_10_mig_version);
  w.element("GenDate", oslo_time(a.gen_date));
  w.element("Id", a.id);
  apprec_party(w, "Sender", a.sender);
  apprec_party(w, "Receiver", a.receiver);
  cs(w, "Status", code_system::apprec_status, std::to_string(*a.status));
  for (const auto& e : a.errors) {
    w.start("Error");
    w.attribute("V", e.code);
    w.attribute("DN", e.text);
    w.attribute("S", oid(e.code_system));
    if (!e.detail.empty()) w.attribute("OT", e.detail);
    w.end();
  }
  w.start("OriginalMsgId");
  cs(w, "MsgType", code_system::message_function, a.original_type);
  w.element("IssueDate", oslo_time(a.original_gen_date));
  w.element("Id", a.original_msg_id);
  w.end();
  w.end();
  return w.finish();
}

}  // namespace samflyt::msg
