// Reading MsgHead, PLO, Dialogmelding and AppRec documents into the model,
// with the structural and semantic checks. See codec.hpp.
#include <charconv>
#include <cstdio>
#include <string>
#include <utility>

#include "core/identifiers.hpp"
#include "msg/codec.hpp"
#include "msg/reader.hpp"
#include "msg/xml.hpp"

namespace samflyt::msg {

namespace {

using xml::attribute;
using xml::child;
using xml::children;
using xml::path;
using xml::text;

// A failure that ends reading: the document cannot be interpreted further.
struct Stop {
  AppRecError error;
};

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t n = 0;
  if (s.empty()) return std::nullopt;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// A HER-id: a positive integer (core::parse_her_id); anything else is no HER-id.
std::optional<std::int64_t> her_id(std::string_view s) {
  auto parsed = core::parse_her_id(s);
  if (!parsed) return std::nullopt;
  return *parsed;
}

std::string strip_tel(std::string s) {
  if (s.rfind("tel:", 0) == 0) s.erase(0, 4);
  return s;
}

Code read_code(const xmlNode* node) {
  Code c;
  c.value = attribute(node, "V");
  c.display_name = attribute(node, "DN");
  c.code_system = code_system_of(attribute(node, "S")).value_or(0);
  c.original_text = attribute(node, "OT");
  return c;
}

HealthcareProfessional read_professional(const xmlNode* node) {
  HealthcareProfessional p;
  p.category = attribute(child(node, "TypeHealthcareProfessional"), "V");
  if (const auto* role = child(node, "RoleToPatient")) p.role_to_patient = read_code(role);
  p.family_name = text(child(node, "FamilyName"));
  p.given_name = text(child(node, "GivenName"));
  for (const auto* id : children(node, "Ident")) {
    const auto type = attribute(child(id, "TypeId"), "V");
    if (type == "HPR") p.hpr_number = text(child(id, "Id"));
    if (type == "HER") p.her_id = her_id(text(child(id, "Id")));
  }
  p.phone = strip_tel(attribute(path(node, {"TeleCom", "TeleAddress"}), "V"));
  return p;
}

std::optional<std::int64_t> her_of(const xmlNode* org) {
  for (const auto* id : children(org, "Ident"))
    if (attribute(child(id, "TypeId"), "V") == "HER") return her_id(text(child(id, "Id")));
  return std::nullopt;
}

Organisation read_organisation(const xmlNode* node) {
  Organisation o;
  o.name = text(child(node, "OrganisationName"));
  o.her_id = her_of(node);
  for (const auto* id : children(node, "Ident"))
    if (attribute(child(id, "TypeId"), "V") == "ENH") o.org_number = text(child(id, "Id"));
  if (const auto* unit = child(node, "Organisation"))
    o.unit = Unit{text(child(unit, "OrganisationName")), her_of(unit)};
  if (const auto* hcp = child(node, "HealthcareProfessional"))
    o.professional = read_professional(hcp);
  return o;
}

PersonIdType person_id_type(std::string_view code) {
  if (code == "FNR") return PersonIdType::fnr;
  if (code == "DNR") return PersonIdType::dnr;
  if (code == "HNR") return PersonIdType::hnr;
  if (code == "FHN") return PersonIdType::fhn;
  return PersonIdType::other;
}

// Prefers a FNR, then a DNR, FHN and HNR, when a patient has several Idents.
int id_rank(PersonIdType t) {
  switch (t) {
    case PersonIdType::fnr:
      return 0;
    case PersonIdType::dnr:
      return 1;
    case PersonIdType::fhn:
      return 2;
    case PersonIdType::hnr:
      return 3;
    case PersonIdType::other:
      break;
  }
  return 4;
}

Patient read_patient(const xmlNode* node) {
  Patient p;
  p.family_name = text(child(node, "FamilyName"));
  p.middle_name = text(child(node, "MiddleName"));
  p.given_name = text(child(node, "GivenName"));
  if (auto d = core::parse_date(text(child(node, "DateOfBirth")))) p.birth_date = *d;
  p.sex = attribute(child(node, "Sex"), "V");
  bool first = true;
  for (const auto* id : children(node, "Ident")) {
    const auto code = attribute(child(id, "TypeId"), "V");
    const auto type = person_id_type(code);
    if (first || id_rank(type) < id_rank(p.id_type)) {
      p.national_id = text(child(id, "Id"));
      p.id_type = type;
      p.id_type_code = code;
      first = false;
    }
  }
  return p;
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

// HIS 80415 §4.8 (E36): name with FNR, D-number or felles hjelpenummer, or
// name with birth date and sex.
bool patient_identified(const Patient& p, const ReadOptions& options) {
  if (p.family_name.empty() || p.given_name.empty()) return false;
  const auto& id = p.national_id;
  bool id_ok = false;
  if (p.id_type == PersonIdType::fnr || p.id_type == PersonIdType::dnr) {
    if (options.allow_test_identities) {
      id_ok =
          id.size() == 11 && all_digits(id) && core::complete_national_id(id.substr(0, 9)) == id;
    } else {
      auto parsed = core::parse_national_id(id, core::IdentityPolicy{false});
      id_ok = parsed.ok() && (parsed->kind == core::PersonIdKind::fodselsnummer ||
                              parsed->kind == core::PersonIdKind::d_number);
    }
  } else if (p.id_type == PersonIdType::fhn) {
    id_ok = id.size() == 11 && all_digits(id);  // no published check-digit rule (README §6.4)
  }
  const bool birth_and_sex = p.birth_date.has_value() && !p.sex.empty();
  return id_ok || birth_and_sex;
}

PointInTime read_point_in_time(const xmlNode* node, const char* what) {
  const auto v = attribute(node, "V");
  if (v.size() == 10) {
    if (auto d = core::parse_date(v)) return *d;
  } else if (auto t = core::parse_oslo_datetime(v)) {
    return *t;
  }
  throw Stop{
      make_error(AppRecErrorCode::T02, std::string(what) + " har ugyldig tidspunkt: '" + v + "'")};
}

Event read_event(const xmlNode* node) {
  Event e;
  e.code = static_cast<int>(to_int(attribute(child(node, "Hendelsekode"), "V")).value_or(0));
  e.description = text(child(node, "BeskrivelseAvHendelse"));
  const auto* time = child(node, "TidspunktForHendelse");
  if (time == nullptr)
    throw Stop{make_error(AppRecErrorCode::T02, "TidsfestetHendelse mangler TidspunktForHendelse")};
  e.time = read_point_in_time(time, "TidspunktForHendelse");
  const auto estimate = text(child(node, "Anslag"));
  e.estimated = estimate == "true" || estimate == "1";
  return e;
}

std::vector<Event> events(const xmlNode* node) {
  std::vector<Event> out;
  for (const auto* e : children(node, "TidsfestetHendelse")) out.push_back(read_event(e));
  return out;
}

// The event with a given 9121 code; in messages that name their events only
// in BeskrivelseAvHendelse (no Hendelsekode), the uncoded one at `fallback`.
Event pick(const std::vector<Event>& list, int code, std::size_t fallback, const char* what) {
  for (const auto& e : list)
    if (e.code == code) return e;
  if (fallback < list.size() && list[fallback].code == 0) {
    Event e = list[fallback];
    e.code = code;  // what it was taken for: the model's events carry their code
    return e;
  }
  throw Stop{make_error(AppRecErrorCode::T02, std::string(what) +
                                                  " mangler TidsfestetHendelse med Hendelsekode " +
                                                  std::to_string(code) + " (kodeverk 9121)")};
}

void collect_notes(const xmlNode* node, std::vector<Note>& out) {
  for (const xmlNode* c = node ? node->children : nullptr; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (xml::local_name(c) == "Journaltekst") {
      out.push_back(Note{read_code(child(c, "Overskriftskode")), text(child(c, "Notat"))});
    } else {
      collect_notes(c, out);
    }
  }
}

ShipmentStatus shipment_status(std::string_view v) {
  if (v == "M") return ShipmentStatus::change;
  if (v == "A") return ShipmentStatus::addition;
  if (v == "C") return ShipmentStatus::cancellation;
  if (v == "H") return ShipmentStatus::history;
  return ShipmentStatus::new_message;
}

PloCommon read_plo_common(const xmlNode* root) {
  PloCommon c;
  const auto* status = path(root, {"InformasjonOmForsendelsen", "Forsendelsesstatus"});
  if (status == nullptr)
    throw Stop{
        make_error(AppRecErrorCode::T02, "InformasjonOmForsendelsen/Forsendelsesstatus mangler")};
  c.status = shipment_status(attribute(status, "V"));
  if (const auto* unit = path(root, {"TilknyttetEnhet", "Kontaktenhet"})) {
    c.contact_unit_name = text(child(unit, "OrganisationName"));
    c.contact_unit_her_id = her_of(unit);
    for (const auto* id : children(unit, "Ident"))
      if (attribute(child(id, "TypeId"), "V") != "HER") {
        c.contact_unit_local_id = text(child(id, "Id"));
        break;
      }
    c.contact_unit_phone = strip_tel(attribute(path(unit, {"TeleCom", "TeleAddress"}), "V"));
  }
  if (const auto* p = path(root, {"KontaktpersonHelsepersonell", "Kontaktperson"}))
    c.contact_person = read_professional(p);
  if (const auto* p = path(root, {"AnsvarForRapport", "AnsvarligRapport"}))
    c.responsible = read_professional(p);
  return c;
}

Content read_logistics(const xmlNode* root, std::string_view type) {
  PloCommon common = read_plo_common(root);
  // MsgInfo/Type names the logistics message; the generic PASIENTLOGISTIKK
  // (8279) fits them all.
  const auto mismatch = [&](std::string_view expected) {
    if (type != expected && type != "PASIENTLOGISTIKK")
      throw Stop{make_error(AppRecErrorCode::X99, "MsgInfo/Type " + std::string(type) +
                                                      " samsvarer ikke med innholdet (" +
                                                      std::string(expected) + ")")};
  };
  if (const auto* m = child(root, "MeldingInnlagtPasient")) {
    mismatch(msg_type::innlagt);
    return AdmittedPatient{common,
                           pick(events(m), event_code::admitted, 0, "MeldingInnlagtPasient")};
  }
  if (const auto* m = child(root, "MeldingUtskrivningsklarPasient")) {
    mismatch(msg_type::utskrivningsklar);
    const auto list = events(m);
    return DischargeReady{
        common, pick(list, event_code::admitted, 0, "MeldingUtskrivningsklarPasient"),
        pick(list, event_code::discharge_ready, 1, "MeldingUtskrivningsklarPasient")};
  }
  if (const auto* m = child(root, "AvmeldingUtskrivningsklarPasient")) {
    mismatch(msg_type::avmelding);
    return DischargeReadyCancelled{common, pick(events(m), event_code::discharge_ready_cancelled, 0,
                                                "AvmeldingUtskrivningsklarPasient")};
  }
  if (const auto* m = child(root, "MeldingOmUtskrevetPasient")) {
    mismatch(msg_type::utskrevet);
    Discharged d{common, pick(events(m), event_code::discharged, 0, "MeldingOmUtskrevetPasient"),
                 read_code(path(m, {"UtskrevetTil", "UtTil"})),
                 text(path(m, {"UtskrevetTil", "Merknad"}))};
    return d;
  }
  if (child(root, "OrienteringOmDod") != nullptr) {
    mismatch(msg_type::dod);
    return OtherPlo{common, "OrienteringOmDod"};
  }
  throw Stop{make_error(AppRecErrorCode::T02, "Pasientlogistikk mangler meldingsinnhold")};
}

Request read_request(const xmlNode* node) {
  return Request{read_code(child(node, "TypeForesp")), text(child(node, "Sporsmal"))};
}

Dialog read_dialog(const xmlNode* root, bool v11) {
  Dialog d;
  d.v11 = v11;
  const xmlNode* holder = nullptr;
  if (const auto* f = child(root, "Foresporsel")) {
    d.request = read_request(f);
    holder = f;
  } else if (const auto* n = child(root, "Notat")) {
    holder = n;
    d.topic = read_code(child(n, "TemaKodet"));
    d.topic_text = text(child(n, "Tema"));
    d.text = xml::text_with_breaks(child(n, "TekstNotatInnhold"));
    if (const auto* q = child(n, "Foresporsel")) d.question = read_request(q);
    if (d.topic.code_system == code_system::dialog_topic && d.topic.value == "7")
      d.reception = parse_reception_answer(d.text);
  } else {
    throw Stop{make_error(AppRecErrorCode::T02, "Dialogmelding mangler Notat eller Foresporsel")};
  }
  // The professional responsible for the content: the first related person
  // who is not the "Kontakt hos mottaker" (9034 V=24) the sender names.
  for (const auto* roles : children(holder, "RollerRelatertNotat")) {
    const auto* hcp = child(roles, "HealthcareProfessional");
    if (hcp == nullptr) continue;
    HealthcareProfessional p = read_professional(hcp);
    if (const auto* role = child(roles, "RoleToPatient")) p.role_to_patient = read_code(role);
    const bool receivers_contact = p.role_to_patient && p.role_to_patient->value == "24";
    if (!d.professional || (!receivers_contact && d.professional->role_to_patient &&
                            d.professional->role_to_patient->value == "24"))
      d.professional = std::move(p);
  }
  return d;
}

// Which standard and version a content root's namespace belongs to.
struct ContentKind {
  std::string standard;
  std::string version;
  std::string plo_name;  // the PLO namespace's name part
};

// The root element of each PLO namespace (README §1.2, §8.3): mostly the
// namespace's own name, with three exceptions.
std::string_view plo_root_of(std::string_view plo_name) {
  static constexpr std::pair<std::string_view, std::string_view> roots[] = {
      {"Pasientlogistikk", "Pasientlogistikk"},
      {"HelseopplysningerVedSoknad", "HelseopplysningerVedSoknad"},
      {"Innleggelsesrapport", "Innleggelsesrapport"},
      {"TverrfagligEpikrise", "TverrfagligEpikrise"},
      {"OrienteringOmTjenestetilbud", "OrienteringOmTjenestetilbud"},
      {"MedisinskeOpplysninger", "OverforingMedisinskeOpplysninger"},            // 1.6
      {"OverforingMedisinskeOpplysninger", "OverforingMedisinskeOpplysninger"},  // 1.5
      {"HelseopplysningerTilLege", "Konsultasjon"},                              // 1.6
      {"Konsultasjon", "Konsultasjon"},                                          // 1.5
      {"MeldingFravar", "MeldingFravar"},                                        // 1.5 only
  };
  for (const auto& [name, root] : roots)
    if (name == plo_name) return root;
  return {};
}

std::optional<ContentKind> content_kind(std::string_view ns_uri) {
  if (ns_uri == ns::dialog_11) return ContentKind{"Dialogmelding", "1.1", {}};
  if (ns_uri == ns::dialog_10) return ContentKind{"Dialogmelding", "1.0", {}};
  if (ns_uri.substr(0, ns::plo_prefix.size()) != ns::plo_prefix) return std::nullopt;
  auto rest = ns_uri.substr(ns::plo_prefix.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto suffix = rest.substr(slash + 1);
  const std::string name(rest.substr(0, slash));
  if (suffix == ns::plo_16_suffix) return ContentKind{"PLO", "1.6", name};
  if (suffix == ns::plo_15_suffix) return ContentKind{"PLO", "1.5", name};
  return std::nullopt;
}

Content read_content(const xmlNode* root, const ContentKind& kind, std::string_view type) {
  const auto name = xml::local_name(root);
  if (kind.standard == "Dialogmelding") {
    if (name != "Dialogmelding")
      throw Stop{make_error(AppRecErrorCode::T02,
                            "Rotelementet " + std::string(name) + " hører ikke til Dialogmelding")};
    return read_dialog(root, kind.version == "1.1");
  }
  const auto expected_root = plo_root_of(kind.plo_name);
  if (expected_root.empty())
    throw Stop{make_error(AppRecErrorCode::T10,
                          "PLO-meldingen " + kind.plo_name + " " + kind.version + " støttes ikke")};
  if (name != expected_root)
    throw Stop{make_error(
        AppRecErrorCode::T02,
        "Rotelementet " + std::string(name) + " hører ikke til navnerommet for " + kind.plo_name)};
  if (name == "Pasientlogistikk") return read_logistics(root, type);
  if (name == "HelseopplysningerVedSoknad") {
    HealthInformation h;
    h.plo = read_plo_common(root);
    h.kind = static_cast<int>(
        to_int(attribute(path(root, {"TypeInnholdIMelding", "TypeInnhold"}), "V")).value_or(0));
    for (const auto* o : children(root, "OpplysningOpphold")) {
      if (const auto* e = child(o, "TidsfestetHendelse")) h.stay.push_back(read_event(e));
    }
    collect_notes(root, h.notes);
    return h;
  }
  if (name == "TverrfagligEpikrise") {
    DischargeReport r;
    r.plo = read_plo_common(root);
    for (const auto* o : children(root, "OpplysningOpphold")) {
      if (const auto* e = child(o, "TidsfestetHendelse")) r.stay.push_back(read_event(e));
    }
    collect_notes(root, r.notes);
    return r;
  }
  if (name == "Innleggelsesrapport") {
    AdmissionReport r;
    r.plo = read_plo_common(root);
    collect_notes(root, r.notes);
    return r;
  }
  return OtherPlo{read_plo_common(root), std::string(name)};
}

void read_msghead(const xmlNode* root, ReadResult& r, const ReadOptions& options) {
  const auto* info = child(root, "MsgInfo");
  if (info == nullptr) throw Stop{make_error(AppRecErrorCode::T02, "MsgInfo mangler")};
  // The head first, as far as it goes: a rejected message is still answered
  // when its type, MsgId, GenDate and sender can be read (the AppRec's
  // OriginalMsgId and Receiver need them).
  Envelope env;
  env.type = attribute(child(info, "Type"), "V");
  env.msg_id = text(child(info, "MsgId"));
  auto gen_date = core::parse_oslo_datetime(text(child(info, "GenDate")));
  if (gen_date) env.gen_date = *gen_date;
  if (const auto* conv = child(info, "ConversationRef"))
    env.conversation =
        ConversationRef{text(child(conv, "RefToParent")), text(child(conv, "RefToConversation"))};
  const auto* sender = path(info, {"Sender", "Organisation"});
  const auto* receiver = path(info, {"Receiver", "Organisation"});
  if (sender != nullptr) env.sender = read_organisation(sender);
  if (receiver != nullptr) env.receiver = read_organisation(receiver);
  for (const auto* other : children(info, "OtherReceiver"))
    if (attribute(child(other, "RoleReceiver"), "V") == "COP")
      if (const auto* org = child(other, "Organisation"))
        env.copy_receivers.push_back(read_organisation(org));
  if (const auto* patient = child(info, "Patient")) env.patient = read_patient(patient);
  if (!env.type.empty() && !env.msg_id.empty() && gen_date) r.envelope = env;

  const auto mig = text(child(info, "MIGversion"));
  if (mig.empty()) throw Stop{make_error(AppRecErrorCode::T02, "MIGversion mangler")};
  if (mig != msghead_mig_version)
    throw Stop{make_error(AppRecErrorCode::T10, "Hodemelding med MIGversion '" + mig +
                                                    "' støttes ikke (forventet v1.2 2006-05-24)")};
  if (env.type.empty()) throw Stop{make_error(AppRecErrorCode::T02, "MsgInfo/Type mangler")};
  if (!gen_date) throw Stop{make_error(AppRecErrorCode::T02, "GenDate mangler eller er ugyldig")};
  if (env.msg_id.empty()) throw Stop{make_error(AppRecErrorCode::T02, "MsgId mangler")};
  if (sender == nullptr || receiver == nullptr)
    throw Stop{make_error(AppRecErrorCode::T02, "Sender eller Receiver mangler")};

  // The business document: the first Document whose RefDoc is an XML instance.
  const xmlNode* content_root = nullptr;
  for (const auto* doc : children(root, "Document")) {
    const auto* ref = child(doc, "RefDoc");
    if (attribute(child(ref, "MsgType"), "V") != "XML") continue;
    if (const auto* consent = child(doc, "Consent")) {
      const auto v = to_int(attribute(consent, "V")).value_or(0);
      if (v >= 1 && v <= 4) env.consent = static_cast<Consent>(v);
    }
    for (const xmlNode* c = child(ref, "Content") ? child(ref, "Content")->children : nullptr;
         c != nullptr; c = c->next)
      if (c->type == XML_ELEMENT_NODE) {
        content_root = c;
        break;
      }
    break;
  }
  r.envelope = env;  // now with the consent

  // Semantic checks on the head (HIS 80415 §4.8, HIS 1153).
  if (!is_uuid(env.msg_id))
    r.errors.push_back(make_error(AppRecErrorCode::E10, "MsgId er ikke en UUID"));
  if (!env.sender.her_id)
    r.errors.push_back(make_error(AppRecErrorCode::X99, "Avsenders HER-id mangler"));
  if (!env.receiver.routing_her_id())
    r.errors.push_back(make_error(AppRecErrorCode::E21, "Mottakers HER-id mangler"));
  if (!env.patient || !patient_identified(*env.patient, options))
    r.errors.push_back(make_error(AppRecErrorCode::E36));

  if (content_root == nullptr)
    throw Stop{
        make_error(AppRecErrorCode::T02, "Meldingen har ikke noe XML-dokument i RefDoc/Content")};
  const auto kind = content_kind(xml::namespace_of(content_root));
  if (!kind)
    throw Stop{make_error(AppRecErrorCode::T10, "Innhold i navnerommet '" +
                                                    std::string(xml::namespace_of(content_root)) +
                                                    "' støttes ikke")};
  r.standard = kind->standard;
  r.version = kind->version;
  Message m{env, read_content(content_root, *kind, env.type), {}};
  for (const auto* doc : children(root, "Document")) {
    const auto* ref = child(doc, "RefDoc");
    if (attribute(child(ref, "MsgType"), "V") != "A") continue;
    Attachment a{text(child(ref, "MimeType")), text(child(ref, "Description")),
                 text(path(ref, {"Content", "Base64Container"}))};
    if (!accepted_attachment_type(a.mime_type))
      throw Stop{make_error(AppRecErrorCode::T10, "Vedlegg av typen '" + a.mime_type +
                                                      "' støttes ikke (PDF, JPEG og PNG støttes)")};
    if (a.base64.empty())
      throw Stop{make_error(AppRecErrorCode::T02, "Vedlegget mangler innhold (Base64Container)")};
    m.attachments.push_back(std::move(a));
  }
  const auto needs_ref = detail::conversation_ref_reason(env, m.content);
  if (!needs_ref.empty() && (!env.conversation || env.conversation->parent.empty() ||
                             env.conversation->conversation.empty()))
    r.errors.push_back(make_error(AppRecErrorCode::X99,
                                  "ConversationRef mangler; den er påkrevd for " + needs_ref));
  r.message = std::move(m);
}

// An AppRec Inst, Dept, HCPerson or HCProf's Id when its TypeId says HER.
std::optional<std::int64_t> apprec_her(const xmlNode* node) {
  if (attribute(child(node, "TypeId"), "V") != "HER") return std::nullopt;
  return her_id(text(child(node, "Id")));
}

AppRecParty read_apprec_party(const xmlNode* node) {
  AppRecParty p;
  p.role = attribute(child(node, "Role"), "V");
  const auto* hcp = child(node, "HCP");
  if (const auto* inst = child(hcp, "Inst")) {
    p.name = text(child(inst, "Name"));
    p.her_id = apprec_her(inst);
    if (const auto* dept = child(inst, "Dept"))
      p.dept = Unit{text(child(dept, "Name")), apprec_her(dept)};
    if (const auto* person = child(inst, "HCPerson")) {
      p.person_name = text(child(person, "Name"));
      p.person_her_id = apprec_her(person);
    }
  } else if (const auto* prof = child(hcp, "HCProf")) {
    p.person_name = text(child(prof, "Name"));
    p.person_her_id = apprec_her(prof);
  }
  return p;
}

void read_apprec(const xmlNode* root, bool v11, ReadResult& r) {
  AppRec a;
  a.version = v11 ? AppRecVersion::v11 : AppRecVersion::v10;
  a.mig_version = text(child(root, "MIGversion"));
  if (a.mig_version.empty()) throw Stop{make_error(AppRecErrorCode::T02, "MIGversion mangler")};
  const bool known =
      v11 ? a.mig_version == apprec_11_mig_version
          : a.mig_version == apprec_10_mig_version || a.mig_version == "1.0 2008-11-21";
  if (!known)
    throw Stop{make_error(AppRecErrorCode::T10, "Applikasjonskvittering med MIGversion '" +
                                                    a.mig_version + "' støttes ikke")};
  if (attribute(child(root, "MsgType"), "V") != msg_type::apprec)
    throw Stop{make_error(AppRecErrorCode::T02, "MsgType er ikke APPREC")};
  auto gen = core::parse_oslo_datetime(text(child(root, "GenDate")));
  if (!gen) throw Stop{make_error(AppRecErrorCode::T02, "GenDate mangler eller er ugyldig")};
  a.gen_date = *gen;
  a.id = text(child(root, "Id"));
  const auto* sender = child(root, "Sender");
  const auto* receiver = child(root, "Receiver");
  const auto* status = child(root, "Status");
  const auto* original = child(root, "OriginalMsgId");
  if (sender == nullptr || receiver == nullptr || status == nullptr || original == nullptr)
    throw Stop{
        make_error(AppRecErrorCode::T02, "Sender, Receiver, Status eller OriginalMsgId mangler")};
  a.sender = read_apprec_party(sender);
  a.receiver = read_apprec_party(receiver);
  if (auto s = to_int(attribute(status, "V"))) a.status = static_cast<int>(*s);
  for (const auto* e : children(root, "Error")) {
    const auto c = read_code(e);
    a.errors.push_back(AppRecError{c.value, c.display_name, c.original_text, c.code_system});
  }
  a.original_type = attribute(child(original, "MsgType"), "V");
  a.original_msg_id = text(child(original, "Id"));
  // Required by both schemas: without them the AppRec answers nothing.
  if (a.original_type.empty() || a.original_msg_id.empty())
    throw Stop{make_error(AppRecErrorCode::T02, "OriginalMsgId mangler MsgType eller Id")};
  if (auto t = core::parse_oslo_datetime(text(child(original, "IssueDate"))))
    a.original_gen_date = *t;
  if (!is_uuid(a.id)) r.errors.push_back(make_error(AppRecErrorCode::E10, "Id er ikke en UUID"));
  if (!a.status || *a.status < 1 || *a.status > 3)
    r.errors.push_back(
        make_error(AppRecErrorCode::X99,
                   "Ukjent kvitteringsstatus '" + attribute(status, "V") + "' (kodeverk 8258)"));
  else if (*a.status != 1 && a.errors.empty())
    r.errors.push_back(make_error(AppRecErrorCode::X99, "Negativ kvittering uten Error"));
  else if (*a.status == 1 && !a.errors.empty())
    r.errors.push_back(make_error(AppRecErrorCode::X99, "Positiv kvittering med Error"));
  r.apprec = std::move(a);
}

}  // namespace

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::optional<ReceptionAnswer> parse_reception_answer(std::string_view text) {
  constexpr std::string_view cannot = "Kommunen kan ikke ta imot pasienten";
  constexpr std::string_view can = "Kommunen kan ta imot pasienten fra ";
  if (text.substr(0, cannot.size()) == cannot) return ReceptionAnswer{false, std::nullopt};
  if (text.substr(0, can.size()) != can) return std::nullopt;
  const auto rest = text.substr(can.size());
  unsigned day = 0;
  unsigned month = 0;
  int year = 0;
  if (rest.size() < 10 || rest[2] != '.' || rest[5] != '.' ||
      std::sscanf(std::string(rest.substr(0, 10)).c_str(), "%2u.%2u.%4d", &day, &month, &year) != 3)
    return std::nullopt;
  const core::Date d{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!d.ok()) return std::nullopt;
  return ReceptionAnswer{true, d};
}

namespace detail {

// Replies, changes and cancellations must say what they answer or change
// (MsgHead ConversationRef; PLO 1.6 and Dialogmelding profiles).
std::string conversation_ref_reason(const Envelope& env, const Content& content) {
  if (env.type == msg_type::dialog_svar) return "svar på forespørsel";
  if (env.type == msg_type::dialog_avvik) return "tilbakemelding om feil i mottatt melding";
  if (const auto* d = std::get_if<Dialog>(&content)) {
    if (d->topic.code_system == code_system::dialog_topic && d->topic.value == "7")
      return "tilbakemelding på mottak av utskrivningsklar pasient";
    return {};
  }
  const PloCommon* plo = std::visit(
      [](const auto& c) -> const PloCommon* {
        if constexpr (requires { c.plo; }) return &c.plo;
        return nullptr;
      },
      content);
  if (plo && plo->status == ShipmentStatus::change) return "endring (Forsendelsesstatus M)";
  if (plo && plo->status == ShipmentStatus::cancellation)
    return "kansellering (Forsendelsesstatus C)";
  return {};
}

ReadResult read_document(const xmlDoc* doc, const ReadOptions& options) {
  ReadResult r;
  const xmlNode* root = xmlDocGetRootElement(const_cast<xmlDoc*>(doc));
  const auto root_ns = xml::namespace_of(root);
  const auto root_name = xml::local_name(root);
  try {
    if (root_name == "MsgHead" && root_ns == ns::msghead) {
      read_msghead(root, r, options);
    } else if (root_name == "AppRec" && (root_ns == ns::apprec_10 || root_ns == ns::apprec_11)) {
      r.standard = "AppRec";
      r.version = root_ns == ns::apprec_11 ? "1.1" : "1.0";
      read_apprec(root, root_ns == ns::apprec_11, r);
    } else {
      throw Stop{make_error(AppRecErrorCode::T10, "Dokumenttypen {" + std::string(root_ns) + "}" +
                                                      std::string(root_name) + " støttes ikke")};
    }
  } catch (const Stop& stop) {
    r.errors.insert(r.errors.begin(), stop.error);
    r.message.reset();
  }
  return r;
}

}  // namespace detail

ReadResult read(std::string_view bytes, const ReadOptions& options) {
  auto doc = xml::parse_untrusted(bytes);
  if (!doc) {
    ReadResult r;
    r.errors.push_back(make_error(AppRecErrorCode::T01, doc.error().message_nb));
    return r;
  }
  return detail::read_document(doc->get(), options);
}

}  // namespace samflyt::msg
