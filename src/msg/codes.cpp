// Code systems and names of the message standards. See codes.hpp.
#include "msg/codes.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace samflyt::msg {

namespace {

constexpr std::string_view oid_prefix = "2.16.578.1.12.4.1.1.";

struct ErrorText {
  AppRecErrorCode code;
  std::string_view v;
  std::string_view dn;
};

// HIS 80415:2012 §6.3 (kodeverk 8221), texts as published.
constexpr std::array<ErrorText, 19> error_texts{{
    {AppRecErrorCode::T01, "T01", "Ikke XML / ikke 'well formed' / uleselig"},
    {AppRecErrorCode::T02, "T02", "XML validerer ikke"},
    {AppRecErrorCode::T10, "T10", "Støtter ikke meldingsformatet"},
    {AppRecErrorCode::T99, "T99", "Annen feil på format"},
    {AppRecErrorCode::S01, "S01", "Feil på signatur"},
    {AppRecErrorCode::S02, "S02", "Ugyldig sertifikat"},
    {AppRecErrorCode::S03, "S03", "Tilbaketrukket sertifikat"},
    {AppRecErrorCode::S99, "S99", "Annen feil på signatur eller sertifikat"},
    {AppRecErrorCode::E10, "E10", "Ugyldig meldingsidentifikator"},
    {AppRecErrorCode::E20, "E20", "Lege finnes ikke"},
    {AppRecErrorCode::E21, "E21", "Mottaker finnes ikke"},
    {AppRecErrorCode::E30, "E30", "Pasientens fødselsnummer mangler"},
    {AppRecErrorCode::E31, "E31", "Pasientens fødselsnummer er feil"},
    {AppRecErrorCode::E32, "E32", "Pasientens navn mangler"},
    {AppRecErrorCode::E35, "E35", "Pasienten finnes ikke i mottakersystemet"},
    {AppRecErrorCode::E36, "E36", "Pasientopplysninger er utilstrekkelige"},
    {AppRecErrorCode::E53, "E53",
     "Pasientens fødselsnummer eller D-nummer finnes ikke registrert i Folkeregisteret"},
    {AppRecErrorCode::E54, "E54", "Pasientens fødselsnummer er ikke registrert i mottagersystemet"},
    {AppRecErrorCode::X99, "X99", "Annen feil"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 17> type_names{{
    {msg_type::innlagt, "Melding om innlagt pasient"},
    {msg_type::utskrivningsklar, "Melding om utskrivningsklar pasient"},
    {msg_type::avmelding, "Avmelding av utskrivningsklar pasient"},
    {msg_type::utskrevet, "Melding om utskrevet pasient"},
    {msg_type::dod, "Orientering om dødsfall"},
    {msg_type::innleggelsesrapport, "Innleggelsesrapport"},
    {msg_type::helseopplysninger, "Helseopplysninger"},
    {msg_type::utskrivningsrapport, "Utskrivningsrapport"},
    {msg_type::helseopplysninger_lege, "Helseopplysninger til lege"},
    {msg_type::medisinske_opplysninger, "Medisinske opplysninger"},
    {msg_type::orientering_tjenestetilbud, "Orientering om tjenestetilbud"},
    {msg_type::dialog_foresporsel, "Forespørsel"},
    {msg_type::dialog_svar, "Svar på forespørsel"},
    {msg_type::dialog_notat, "Notat"},
    {msg_type::dialog_avvik, "Tilbakemelding om feil i mottatt melding"},
    {msg_type::dialog_helsefaglig, "Helsefaglig dialog"},
    {msg_type::apprec, "Applikasjonskvittering"},
}};

struct CodeName {
  int code_system;
  std::string_view value;
  std::string_view dn;
};

// The DNs of the values Samflyt writes, as the code systems publish them.
constexpr std::array<CodeName, 50> code_names{{
    {code_system::professional_category, "LE", "Lege"},
    {code_system::professional_category, "SP", "Sykepleier"},
    {code_system::professional_category, "HP", "Hjelpepleier"},
    {code_system::professional_category, "HF", "Helsefagarbeider"},
    {code_system::professional_category, "FT", "Fysioterapeut"},
    {code_system::professional_category, "ET", "Ergoterapeut"},
    {code_system::sex, "0", "Ikke kjent"},
    {code_system::sex, "1", "Mann"},
    {code_system::sex, "2", "Kvinne"},
    {code_system::sex, "9", "Ikke spesifisert"},
    {code_system::person_id_type, "FNR", "Fødselsnummer"},
    {code_system::person_id_type, "DNR", "D-nummer"},
    {code_system::person_id_type, "HNR", "H-nummer"},
    {code_system::person_id_type, "FHN", "Felles hjelpenummer"},
    {code_system::person_id_type, "HPR", "HPR-nummer"},
    {code_system::person_id_type, "HER", "HER-id"},
    {code_system::organisation_id_type, "HER", "HER-id"},
    {code_system::organisation_id_type, "ENH", "Organisasjonsnummeret i Enhetsregisteret"},
    {code_system::organisation_id_type, "LAV", "Lokal identifikator for avdelinger"},
    {code_system::shipment_status, "N", "Ny"},
    {code_system::shipment_status, "M", "Endring"},
    {code_system::shipment_status, "A", "Tillegg"},
    {code_system::shipment_status, "C", "Kansellering"},
    {code_system::shipment_status, "H", "Historikk"},
    {code_system::logistics_event, "1", "Pasient innlagt"},
    {code_system::logistics_event, "2", "Pasient utskrevet"},
    {code_system::logistics_event, "3", "Pasient utskrivningsklar"},
    {code_system::logistics_event, "4", "Avmelding av utskrivningsklar pasient"},
    {code_system::logistics_event, "13", "Pasienten er død"},
    {code_system::consent, "1", "Ja, innhentet"},
    {code_system::consent, "2", "Ikke påkrevet"},
    {code_system::consent, "3", "Svar på forespørsel"},
    {code_system::consent, "4", "Nei"},
    {code_system::apprec_status, "1", "OK"},
    {code_system::apprec_status, "2", "Avvist"},
    {code_system::apprec_status, "3", "OK, feil i delmelding"},
    {code_system::receiver_role, "PRIM", "Primærmottaker"},
    {code_system::receiver_role, "COP", "Kopimottaker"},
    {code_system::receiver_role, "AVS", "Avsender"},
    {code_system::health_info_content, "1", "Varsel om innlagt pasient"},
    {code_system::health_info_content, "2", "Oppdaterte opplysninger"},
    {code_system::discharge_report_content, "11", "Utskrivningsrapport"},
    {code_system::document_type, "XML", "XML-instans"},
    {code_system::document_type, "A", "Vedlegg"},
    {code_system::place, "1", "Bosted/arbeidssted"},
    {code_system::place, "3", "Annen HF-institusjon"},
    {code_system::place, "11", "Sykehjem/aldershjem/helsehus"},
    {code_system::place, "21", "KAD"},
    {code_system::place, "88", "Annet"},
    {code_system::place, "98", "Ukjent"},
}};

}  // namespace

std::string_view display_name(int code_system, std::string_view value) {
  if (code_system == code_system::message_function) return msg_type_name(value);
  for (const auto& c : code_names)
    if (c.code_system == code_system && c.value == value) return c.dn;
  return {};
}

bool accepted_attachment_type(std::string_view mime_type) {
  return mime_type == "application/pdf" || mime_type == "image/jpeg" || mime_type == "image/png";
}

std::string plo16_namespace(std::string_view name) {
  std::string s(ns::plo_prefix);
  s += name;
  s += '/';
  s += ns::plo_16_suffix;
  return s;
}

std::string oid(int code_system) {
  return std::string(oid_prefix) + std::to_string(code_system);
}

std::optional<int> code_system_of(std::string_view oid_text) {
  if (oid_text.substr(0, oid_prefix.size()) != oid_prefix) return std::nullopt;
  const auto rest = oid_text.substr(oid_prefix.size());
  int n = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
  if (ec != std::errc{} || end != rest.data() + rest.size()) return std::nullopt;
  return n;
}

std::string_view msg_type_name(std::string_view code) {
  for (const auto& [c, name] : type_names)
    if (c == code) return name;
  return {};
}

std::string_view to_code(AppRecErrorCode code) {
  for (const auto& e : error_texts)
    if (e.code == code) return e.v;
  return "X99";
}

std::string_view official_text(AppRecErrorCode code) {
  for (const auto& e : error_texts)
    if (e.code == code) return e.dn;
  return "Annen feil";
}

std::optional<AppRecErrorCode> parse_apprec_error_code(std::string_view code) {
  for (const auto& e : error_texts)
    if (e.v == code) return e.code;
  return std::nullopt;
}

}  // namespace samflyt::msg
