// The one place for the message standards' names: XML namespaces, MIG
// versions, code systems (kodeverk) and the codes Samflyt writes and reads.
// Everything here is a compile-time constant or a pure lookup; thread-safe.
//
// Sources: /work/shared/standards (README §1-5 and the specs): MsgHead 1.2
// (HIS 80601), PLO 1.5/1.6 (HIS 80704 and profiles HIS 1143-1149),
// Dialogmelding 1.0/1.1 (HIS 80603, HIS 1077, HIS 1152), AppRec 1.0/1.1
// (HIS 80415, HITS 1168).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace samflyt::msg {

namespace ns {
inline constexpr std::string_view msghead = "http://www.kith.no/xmlstds/msghead/2006-05-24";
inline constexpr std::string_view felleskomponent1 = "http://www.kith.no/xmlstds/felleskomponent1";
inline constexpr std::string_view xsi = "http://www.w3.org/2001/XMLSchema-instance";
inline constexpr std::string_view base64container = "http://www.kith.no/xmlstds/base64container";
// EPJ components inside PLO (journal notes) and their metadata attributes.
inline constexpr std::string_view epj2 = "http://www.kith.no/xmlstds/epj/epj2/2008-02-20";
inline constexpr std::string_view epj_meta = "http://www.kith.no/xmlstds/epj/meta/2008-02-20";
inline constexpr std::string_view dialog_10 = "http://www.kith.no/xmlstds/dialog/2006-10-11";
inline constexpr std::string_view dialog_11 = "http://www.kith.no/xmlstds/dialog/2013-01-23";
inline constexpr std::string_view apprec_10 = "http://www.kith.no/xmlstds/apprec/2004-11-21";
inline constexpr std::string_view apprec_11 = "http://www.kith.no/xmlstds/apprec/2012-02-15";
// PLO namespaces are "http://www.kith.no/xmlstds/po/<Name>/<suffix>".
inline constexpr std::string_view plo_prefix = "http://www.kith.no/xmlstds/po/";
inline constexpr std::string_view plo_16_suffix = "2012-04-01";
inline constexpr std::string_view plo_15_suffix = "2009-06-30";
}  // namespace ns

// The PLO schemas' namespace names (the part between the prefix and the
// version suffix). The 1.6 Helseopplysninger namespace keeps the 1.5 name
// (README §1.4); Helseopplysninger til lege and Medisinske opplysninger
// changed theirs between 1.5 and 1.6.
namespace plo_ns {
inline constexpr std::string_view po_komponent = "poKomponent";
inline constexpr std::string_view pasientlogistikk = "Pasientlogistikk";
inline constexpr std::string_view helseopplysninger = "HelseopplysningerVedSoknad";
inline constexpr std::string_view innleggelsesrapport = "Innleggelsesrapport";
inline constexpr std::string_view tverrfaglig_epikrise = "TverrfagligEpikrise";
}  // namespace plo_ns

// "http://www.kith.no/xmlstds/po/<name>/2012-04-01".
std::string plo16_namespace(std::string_view name);

// The EPJ component GenereltJournalnotat (EPJ dokument, ID 11009) that
// carries headed notes in PLO, with its fixed metadata attributes.
namespace epj {
inline constexpr std::string_view journal_note_category = "Andre notater";
inline constexpr std::string_view journal_note_component_type = "2.16.578.1.12.4.1.6.13.11009.0";
inline constexpr std::string_view journal_note_base_type = "EPJ dokument";
}  // namespace epj

inline constexpr std::string_view msghead_mig_version = "v1.2 2006-05-24";
inline constexpr std::string_view apprec_10_mig_version = "1.0 2004-11-21";
inline constexpr std::string_view apprec_11_mig_version = "v1.1 2012-02-15";

// Code systems by the last arc of 2.16.578.1.12.4.1.1.<n>.
namespace code_system {
inline constexpr int message_function = 8279;          // MsgInfo/Type (CS, no S)
inline constexpr int person_id_type = 8116;            // FNR, DNR, HNR, FHN, HPR, HER ...
inline constexpr int organisation_id_type = 9051;      // HER, ENH, RSH, LAV ...
inline constexpr int apprec_status = 8258;             // 1 OK, 2 Avvist, 3 OK feil i delmelding
inline constexpr int apprec_error = 8221;              // T01 ... X99
inline constexpr int shipment_status = 7309;           // Forsendelsesstatus (CS)
inline constexpr int logistics_event = 9121;           // Hendelseskode
inline constexpr int place = 8408;                     // UtskrevetTil/UtTil
inline constexpr int health_info_content = 9140;       // Helseopplysninger TypeInnhold
inline constexpr int discharge_report_content = 9139;  // Utskrivningsrapport TypeInnhold
inline constexpr int admission_headings = 9145;        // Pasientens status, Antatt forløp
inline constexpr int medical_headings = 9142;          // AAI, PROB, OP ...
inline constexpr int nursing_headings = 9141;          // Sykepleiesammenfatning ...
inline constexpr int role_to_patient = 9034;
inline constexpr int professional_category = 9060;  // LE, SP ... (CS)
inline constexpr int dialog_topic = 7322;           // Tema for helsefaglig dialog
inline constexpr int answer_to_request = 9069;      // Svar på forespørsel
inline constexpr int receipt_deviation = 8117;      // Avvik ved mottak
inline constexpr int request_from_hospital = 9154;
inline constexpr int request_from_municipality = 9152;
inline constexpr int request_from_gp = 9153;
inline constexpr int consent = 9064;  // PLO 1.6 Document/Consent
inline constexpr int sex = 3101;
inline constexpr int receiver_role = 8112;
inline constexpr int document_type =
    8114;  // RefDoc/MsgType: XML, A, REF (CS)  // PRIM, COP (AppRec 1.1 also AVS)
}  // namespace code_system

// The display name (DN) Samflyt writes for a value of a code system, e.g.
// (3101, "2") -> "Kvinne"; "" for a value Samflyt does not write (the DN is
// then left out; receivers key on V).
std::string_view display_name(int code_system, std::string_view value);

// Whether Samflyt accepts an attachment of this MIME type: PDF, JPEG, PNG.
bool accepted_attachment_type(std::string_view mime_type);

// "2.16.578.1.12.4.1.1.<n>".
std::string oid(int code_system);
// The <n> of an OID of that form; std::nullopt for any other text.
std::optional<int> code_system_of(std::string_view oid_text);

// MsgInfo/Type (kodeverk 8279) values Samflyt writes or recognises, with
// the display names (DN) the profiles give.
namespace msg_type {
inline constexpr std::string_view innlagt = "LOG_INNLAGT";
inline constexpr std::string_view utskrivningsklar = "LOG_UTSKRIVNINGSKLAR";
inline constexpr std::string_view avmelding = "LOG_AVMELDING";
inline constexpr std::string_view utskrevet = "LOG_UTSKREVET";
inline constexpr std::string_view dod = "LOG_DOD";
inline constexpr std::string_view innleggelsesrapport = "INNLEGGELSESRAPPORT";
inline constexpr std::string_view helseopplysninger = "HELSEOPPL_SOKNAD";
inline constexpr std::string_view utskrivningsrapport = "UTSKRIVNINGSRAPPORT";
inline constexpr std::string_view helseopplysninger_lege = "HELSEOPPLYSNINGER_LEGE";
inline constexpr std::string_view medisinske_opplysninger = "MEDISINSKE_OPPLYSNINGER";
inline constexpr std::string_view orientering_tjenestetilbud = "ORIENTERING_TJENESTETILBUD";
inline constexpr std::string_view dialog_foresporsel = "DIALOG_FORESPORSEL";
inline constexpr std::string_view dialog_svar = "DIALOG_SVAR";
inline constexpr std::string_view dialog_notat = "DIALOG_NOTAT";
inline constexpr std::string_view dialog_avvik = "DIALOG_AVVIK";
inline constexpr std::string_view dialog_helsefaglig = "DIALOG_HELSEFAGLIG";
inline constexpr std::string_view apprec = "APPREC";
}  // namespace msg_type

// The display name (DN) of a MsgInfo/Type code; empty when unknown here.
std::string_view msg_type_name(std::string_view code);

// AppRec error codes of kodeverk 8221 ("Feilmeldinger for
// applikasjonskvittering - generelle"), HIS 80415:2012 §6.3.
enum class AppRecErrorCode {
  T01,
  T02,
  T10,
  T99,
  S01,
  S02,
  S03,
  S99,
  E10,
  E20,
  E21,
  E30,
  E31,
  E32,
  E35,
  E36,
  E53,
  E54,
  X99
};
std::string_view to_code(AppRecErrorCode code);  // "E10"
// The official Norwegian text (DN), e.g. "Ugyldig meldingsidentifikator".
std::string_view official_text(AppRecErrorCode code);
std::optional<AppRecErrorCode> parse_apprec_error_code(std::string_view code);

}  // namespace samflyt::msg
