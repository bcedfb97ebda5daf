// Every text the web application shows, in Norwegian bokmål and English:
// the one place to change or translate a UI string.
#include <array>

#include "core/roles.hpp"
#include "web/internal.hpp"

namespace samflyt::web {

namespace {

struct UiString {
  std::string_view key;
  std::string_view nb;
  std::string_view en;
};

constexpr UiString kStrings[] = {
    // layout and navigation
    {"skip_to_content", "Hopp til hovedinnholdet", "Skip to main content"},
    {"nav_label", "Hovedmeny", "Main menu"},
    {"nav_start", "Oversikt", "Overview"},
    {"nav_search", "Finn pasient", "Find patient"},
    {"nav_new_episode", "Start forløp", "Start pathway"},
    {"logout", "Logg ut", "Log out"},
    {"footer",
     "Samflyt – felles forløp fra sykehus til hjem. Personopplysninger vises bare ved tjenstlig "
     "behov, og all innsyn logges.",
     "Samflyt – shared pathways from hospital to home. Personal data is shown only when your work "
     "needs it, and every access is logged."},
    {"breadcrumb", "Brødsmulesti", "Breadcrumb"},
    {"back_to_start", "Til oversikten", "Back to the overview"},
    // login
    {"login_title", "Logg inn", "Log in"},
    {"login_lead",
     "Logg inn med brukernavn og passord for å se forløpene du har tjenstlig behov for.",
     "Log in with your username and password to see the pathways your work needs."},
    {"username", "Brukernavn", "Username"},
    {"password", "Passord", "Password"},
    {"login_button", "Logg inn", "Log in"},
    {"login_oidc", "Logg inn med HelseID", "Log in with HelseID"},
    {"or", "eller", "or"},
    {"login_failed", "Feil brukernavn eller passord.", "Wrong username or password."},
    // start page
    {"start_title", "Oversikt", "Overview"},
    {"overdue_counts", "Forfalte oppgaver", "Overdue tasks"},
    {"overdue_in", "forfalte –", "overdue –"},
    {"no_worklist_roles", "Du har ingen rolle med arbeidsliste.",
     "You have no role with a worklist."},
    {"my_tasks", "Mine oppgaver", "My tasks"},
    {"no_my_tasks", "Du har ingen oppgaver tildelt deg.", "No tasks are assigned to you."},
    {"tasks_of", "Oppgaver for", "Tasks of"},
    {"no_open_tasks", "Ingen åpne oppgaver.", "No open tasks."},
    {"episodes", "Forløp", "Pathways"},
    {"filter_episodes", "Filtrer forløp", "Filter pathways"},
    {"filter", "Filtrer", "Filter"},
    {"all", "Alle", "All"},
    {"only_overdue", "Bare forløp med forfalte oppgaver", "Only pathways with overdue tasks"},
    {"no_episodes", "Ingen forløp å vise.", "No pathways to show."},
    {"patient", "Pasient", "Patient"},
    {"age", "Alder", "Age"},
    {"years", "år", "years"},
    {"municipality", "Kommune", "Municipality"},
    {"hospital_unit", "Sykehusavdeling", "Hospital unit"},
    {"phase", "Fase", "Phase"},
    {"open_tasks", "Åpne", "Open"},
    {"overdue", "Forfalt", "Overdue"},
    {"started", "Startet", "Started"},
    {"due", "Frist", "Due"},
    // episode page
    {"version", "versjon", "version"},
    {"responsible_unit", "Ansvarlig enhet", "Responsible unit"},
    {"discharge_date", "Utskrivningsklar", "Discharge-ready"},
    {"not_known", "Ikke kjent ennå", "Not known yet"},
    {"consent", "Samtykke", "Consent"},
    {"consent_none", "Ingen samtykke registrert", "No consent recorded"},
    {"consent_given", "Samtykke registrert", "Consent recorded"},
    {"consent_lead",
     "Hva pasienten eller foresatte har samtykket til. Helseopplysninger sendes bare til "
     "virksomheter det er gyldig samtykke til.",
     "What the patient or a guardian has consented to. Health information is sent only to "
     "organisations with a consent in force."},
    {"consents_recorded", "Registrerte samtykker", "Recorded consents"},
    {"consent_given_by", "Samtykke gitt av", "Consent given by"},
    {"consent_given_by_name", "Navn på den som samtykket", "Name of the person who consented"},
    {"consent_by_patient", "Pasienten", "The patient"},
    {"consent_by_guardian", "Foresatt", "Guardian"},
    {"consent_purpose", "Samtykke til", "Consent to"},
    {"consent_send_documentation", "Sende helseopplysninger til virksomheter",
     "Send health information to organisations"},
    {"consent_share_with_role", "Dele opplysninger med roller", "Share information with roles"},
    {"consent_targets", "Gjelder", "Covers"},
    {"consent_valid", "Gyldig", "Valid"},
    {"consent_valid_from", "Gyldig fra", "Valid from"},
    {"consent_valid_to", "Gyldig til og med", "Valid until and including"},
    {"consent_valid_to_hint", "Tomt: til samtykket trekkes tilbake.",
     "Empty: until the consent is withdrawn."},
    {"consent_until_withdrawn", "til det trekkes tilbake", "until withdrawn"},
    {"consent_organisations", "Virksomheter", "Organisations"},
    {"consent_organisations_hint", "For samtykke til å sende helseopplysninger.",
     "For consent to send health information."},
    {"consent_roles", "Roller", "Roles"},
    {"consent_roles_hint", "For samtykke til å dele opplysninger.",
     "For consent to share information."},
    {"consent_record", "Registrer samtykke", "Record consent"},
    {"consent_in_own_name", "Du gir samtykket i eget navn, og kan trekke det tilbake når du vil.",
     "You give the consent in your own name, and can withdraw it whenever you like."},
    {"consent_withdraw", "Trekk tilbake", "Withdraw"},
    {"consent_in_force", "Gjelder", "In force"},
    {"consent_not_yet", "Gjelder ikke ennå", "Not yet in force"},
    {"consent_expired", "Utløpt", "Expired"},
    {"consent_withdrawn", "Trukket tilbake", "Withdrawn"},
    {"consent_was_recorded", "Samtykket er registrert.", "The consent is recorded."},
    {"consent_was_withdrawn", "Samtykket er trukket tilbake.", "The consent is withdrawn."},
    {"status", "Status", "Status"},
    {"status_active", "Pågår", "Active"},
    {"status_completed", "Fullført", "Completed"},
    {"care_team", "Behandlingsteam og ansvarsgruppe", "Care team"},
    {"who_has_looked", "Hvem har sett på dette", "Who has looked at this"},
    {"chart", "Forløpskart", "Pathway chart"},
    {"chart_desc",
     "Forløpet som svømmebaner: én bane per aktør, faser fra venstre mot høyre. Hver boks er en "
     "oppgave med status og frist; piler viser hva som må være gjort først.",
     "The pathway as swimlanes: one lane per actor, phases from left to right. Each box is a task "
     "with its state and deadline; arrows show what must be done first."},
    {"legend", "Forklaring", "Legend"},
    {"tasks", "Oppgaver", "Tasks"},
    {"state_done", "Utført", "Done"},
    {"state_in_progress", "Pågår", "In progress"},
    {"state_ready", "Klar", "Ready"},
    {"state_blocked", "Venter", "Waiting"},
    {"state_overdue", "Forfalt", "Overdue"},
    {"state_not_applicable", "Ikke aktuelt", "Not applicable"},
    {"state_open", "Åpen", "Open"},
    {"responsible", "Ansvarlig", "Responsible"},
    {"assigned_to", "Tildelt", "Assigned to"},
    {"waiting_for", "Venter på", "Waiting for"},
    {"reason", "Begrunnelse", "Reason"},
    {"note", "Notat", "Note"},
    {"action_start", "Start", "Start"},
    {"action_done", "Merk som utført", "Mark as done"},
    {"action_reopen", "Gjenåpne", "Reopen"},
    {"action_not_applicable", "Merk som ikke aktuelt", "Mark as not applicable"},
    {"action_assign", "Tildel", "Assign"},
    {"action_note", "Lagre notat", "Save note"},
    {"checklist", "Sjekkliste", "Checklist"},
    {"of", "av", "of"},
    {"ticked", "avkrysset", "ticked"},
    {"save_ticks", "Lagre avkrysninger", "Save ticks"},
    {"more_actions", "Flere handlinger", "More actions"},
    {"reason_required", "Begrunnelse (påkrevd)", "Reason (required)"},
    {"assign_to", "Tildel til", "Assign to"},
    {"assign_to_role", "Eller en rolle", "Or a role"},
    {"no_role", "Ingen rolle", "No role"},
    {"action_assign_role", "Tildel rollen", "Assign the role"},
    {"unassigned", "Ingen", "Nobody"},
    {"saved", "Endringen er lagret.", "The change is saved."},
    {"conflict_title", "Oppgaven er endret av noen andre", "Someone else changed this task"},
    {"conflict_text",
     "Noen endret oppgaven mens du så på den, så endringen din ble ikke lagret. Under ser du "
     "oppgaven slik den er nå. Prøv igjen om endringen fortsatt trengs.",
     "Someone changed the task while you were looking at it, so your change was not saved. Below "
     "is the task as it is now. Try again if the change is still needed."},
    {"family_view_note",
     "Du ser familiens visning av forløpet: oppgavene som gjelder dere, uten personalets notater.",
     "You see the family's view of the pathway: the tasks that concern you, without the staff's "
     "notes."},
    {"unknown_action", "Ukjent handling.", "Unknown action."},
    {"bad_version", "Skjemaet mangler oppgavens versjon. Last inn siden på nytt.",
     "The form lacks the task's version. Reload the page."},
    // start a pathway
    {"new_episode_title", "Start et forløp", "Start a pathway"},
    {"new_episode_lead",
     "Registrer barnet (eller finn det om det allerede er registrert) og start forløpet. Oppgavene "
     "opprettes med en gang.",
     "Register the child (or find them if already registered) and start the pathway. The tasks are "
     "created at once."},
    {"national_id", "Fødselsnummer (11 siffer)", "National identity number (11 digits)"},
    {"national_id_hint", "Fødselsnummer eller D-nummer. Kontrollsifrene sjekkes mens du skriver.",
     "National identity number or D-number. The check digits are checked as you type."},
    {"national_id_ok", "Gyldig nummer.", "Valid number."},
    {"national_id_known", "Gyldig nummer. Pasienten er registrert fra før.",
     "Valid number. The patient is already registered."},
    {"patient_name", "Barnets navn", "The child's name"},
    {"patient_name_hint",
     "Som i folkeregisteret. Er barnet registrert fra før, beholdes navnet som står der.",
     "As in the population register. A child registered already keeps the name on record."},
    {"pathway", "Forløp", "Pathway"},
    {"choose", "Velg …", "Choose …"},
    {"start_pathway", "Start forløpet", "Start the pathway"},
    {"choose_unit", "Velg sykehusavdeling.", "Choose a hospital unit."},
    {"choose_municipality", "Velg kommune.", "Choose a municipality."},
    // care team
    {"care_team_lead",
     "Medlemmer av behandlingsteamet og ansvarsgruppen. Medlemmer med brukerkonto får tilgang til "
     "forløpet.",
     "Members of the care team and the responsibility group. Members with an account get access to "
     "the pathway."},
    {"members", "Medlemmer", "Members"},
    {"member_account", "Person med brukerkonto", "Person with an account"},
    {"member_account_hint",
     "Velg en ansatt for å gi vedkommende tilgang til forløpet; ellers skriv navnet under.",
     "Choose a staff member to give them access to the pathway; otherwise write the name below."},
    {"no_account", "Uten brukerkonto (skriv navn)", "Without an account (write the name)"},
    {"no_members", "Ingen medlemmer ennå.", "No members yet."},
    {"name", "Navn", "Name"},
    {"role", "Rolle", "Role"},
    {"organisation", "Organisasjon", "Organisation"},
    {"phone", "Telefon", "Phone"},
    {"email", "E-post", "Email"},
    {"actions", "Handlinger", "Actions"},
    {"remove", "Fjern", "Remove"},
    {"add_member", "Legg til medlem", "Add a member"},
    {"add", "Legg til", "Add"},
    {"none", "Ingen", "None"},
    {"member_added", "Medlemmet er lagt til.", "The member was added."},
    {"member_removed", "Medlemmet er fjernet.", "The member was removed."},
    // the discharge-ready ledger (utskrivningsklare pasienter)
    {"ledger", "Utskrivningsklar og overliggedøgn", "Discharge-ready days"},
    {"ledger_lead",
     "Sykehusoppholdene i forløpet og døgnene kommunen skal betale for mens pasienten er "
     "utskrivningsklar, etter reglene i forskrift om kommunal betaling for utskrivningsklare "
     "pasienter.",
     "The pathway's hospital stays and the days the municipality pays for while the patient is "
     "ready for discharge, by the regulation on municipal payment for discharge-ready patients."},
    {"no_stays", "Ingen sykehusopphold er registrert.", "No hospital stay is recorded."},
    {"stay", "Opphold", "Stay"},
    {"admitted", "Innlagt", "Admitted"},
    {"discharged", "Utskrevet", "Discharged"},
    {"not_yet", "Ikke ennå", "Not yet"},
    {"not_sent", "Ikke sendt", "Not sent"},
    {"admission_notice", "Varsel om innlagt pasient", "Notice of the admitted patient"},
    {"notice_on_time", "Sendt innen fristen", "Sent in time"},
    {"notice_late", "Sendt for sent", "Sent too late"},
    {"notice_missing", "Ikke sendt", "Not sent"},
    {"notice_pending", "Ikke sendt ennå (fristen løper)", "Not sent yet (the deadline runs)"},
    {"payable_days", "Betalbare døgn", "Payable days"},
    {"amount", "Beløp", "Amount"},
    {"ready_periods", "Perioder som utskrivningsklar", "Periods ready for discharge"},
    {"declared_ready", "Erklært utskrivningsklar", "Declared ready"},
    {"municipality_notified", "Kommunen varslet", "Municipality notified"},
    {"municipality_ready_on", "Kommunen kan ta imot fra", "Municipality can receive from"},
    {"event_date", "Dato", "Date"},
    {"ready_from", "klar fra", "ready from"},
    {"event_date_hint",
     "Når kommunen kan ta imot pasienten (påkrevd for det svaret), eller når pasienten er "
     "utskrivningsklar fra, hvis det er en senere dag.",
     "When the municipality can receive the patient (required for that answer), or the later day "
     "the patient is ready for discharge from."},
    {"period_end", "Slutt", "End"},
    {"period_end_open", "Pågår", "Running"},
    {"period_end_withdrawn", "Avmeldt", "Withdrawn"},
    {"period_end_readmitted", "Reinnlagt", "Readmitted"},
    {"period_end_discharged", "Utskrevet", "Discharged"},
    {"findings", "Merknader", "Findings"},
    {"stay_events", "Hendelser", "Events"},
    {"record_stay_event", "Registrer hendelse", "Record an event"},
    {"stay_event", "Hendelse", "Event"},
    {"record", "Registrer", "Record"},
    {"back_to_episode", "Tilbake til forløpet", "Back to the pathway"},
    {"stay_event_admitted", "Innlagt", "Admitted"},
    {"stay_event_needs_identified", "Behov for kommunale tjenester avdekket",
     "Need for municipal services identified"},
    {"stay_event_admission_notice", "Varsel om innlagt pasient sendt",
     "Notice of the admitted patient sent"},
    {"stay_event_declared_ready", "Erklært utskrivningsklar", "Declared ready for discharge"},
    {"stay_event_ready_notice", "Melding om utskrivningsklar pasient sendt",
     "Discharge-ready notice sent"},
    {"stay_event_municipality_can_receive", "Kommunen kan ta imot", "The municipality can receive"},
    {"stay_event_municipality_cannot_receive", "Kommunen kan ikke ta imot ennå",
     "The municipality cannot receive yet"},
    {"stay_event_withdrawn", "Avmeldt (ikke lenger utskrivningsklar)",
     "Withdrawn (no longer ready)"},
    {"stay_event_readmitted", "Formelt reinnlagt", "Formally readmitted"},
    {"stay_event_discharged", "Utskrevet", "Discharged"},
    // messages (PLO and dialog messages with their receipts)
    {"messages", "Meldinger", "Messages"},
    {"messages_lead",
     "PLO- og dialogmeldinger mellom sykehuset og kommunen om dette forløpet, med "
     "applikasjonskvitteringene. Meldinger som sendes og mottas oppdaterer forløpet og "
     "oversikten over utskrivningsklare døgn.",
     "PLO and dialog messages between the hospital and the municipality about this pathway, "
     "with their application receipts. Messages sent and received update the pathway and the "
     "discharge-ready days."},
    {"no_messages", "Ingen meldinger ennå.", "No messages yet."},
    {"alerts", "Varsler", "Alerts"},
    {"message_alerts", "Meldinger som trenger oppfølging", "Messages that need attention"},
    {"message_sent_at", "Laget", "Made"},
    {"direction", "Retning", "Direction"},
    {"direction_outgoing", "Sendt", "Sent"},
    {"direction_incoming", "Mottatt", "Received"},
    {"message_type", "Melding", "Message"},
    {"message_status", "Status", "Status"},
    {"message_status_queued", "I kø for sending", "Queued"},
    {"message_status_sent", "Sendt, venter på kvittering", "Sent, awaiting receipt"},
    {"message_status_apprec_ok", "Kvittert OK", "Receipt OK"},
    {"message_status_rejected", "Avvist", "Rejected"},
    {"message_status_no_receipt", "Ingen kvittering (96 timer)", "No receipt (96 hours)"},
    {"message_status_accepted", "Mottatt og kvittert", "Received and receipted"},
    {"message_status_not_answered", "Mottatt, ikke til oss", "Received, not addressed to us"},
    {"message_status_cancelled", "Annullert", "Cancelled"},
    {"message_status_receipt_applied", "Kvittering", "Receipt"},
    {"message_status_receipt_unmatched", "Kvittering uten melding", "Receipt without a message"},
    {"send_message", "Send melding", "Send a message"},
    {"message_kind", "Melding", "Message"},
    {"message_kind_admission_notice", "Helseopplysninger – varsel om innlagt pasient",
     "Health information – notice of an admitted patient"},
    {"message_kind_health_update", "Helseopplysninger – oppdaterte opplysninger",
     "Health information – updated information"},
    {"message_kind_admitted", "Melding om innlagt pasient", "Notice of admission"},
    {"message_kind_discharge_ready", "Melding om utskrivningsklar pasient",
     "Notice of a discharge-ready patient"},
    {"message_kind_discharge_ready_cancelled", "Avmelding av utskrivningsklar pasient",
     "Withdrawal of discharge-readiness"},
    {"message_kind_discharged", "Melding om utskrevet pasient", "Notice of discharge"},
    {"message_kind_discharge_report", "Utskrivningsrapport", "Discharge report"},
    {"message_kind_reception_answer", "Svar om mottak av utskrivningsklar pasient",
     "Answer about receiving the discharge-ready patient"},
    {"message_kind_dialog", "Helsefaglig dialog", "Clinical dialogue"},
    {"message_text", "Tekst", "Text"},
    {"message_text_hint",
     "Pasientens status og antatt forløp, rapportens tekst, eller det du vil si. Sendes bare til "
     "virksomheter det er samtykke til når meldingen inneholder helseopplysninger.",
     "The patient's status and expected course, the report's text, or what you want to say. "
     "Health information is sent only to organisations there is consent for."},
    {"message_date", "Dato", "Date"},
    {"message_date_hint",
     "Tentativ ut-dato (helseopplysninger), dagen pasienten er utskrivningsklar fra når det "
     "meldes på forhånd, eller dagen kommunen kan ta imot pasienten (svar).",
     "Tentative discharge date (health information), the day the patient is ready from when it "
     "is announced in advance, or the day the municipality can receive the patient (answer)."},
    {"can_receive", "Kommunen kan ta imot pasienten", "The municipality can receive the patient"},
    {"yes", "Ja", "Yes"},
    {"no", "Nei", "No"},
    {"message_queued", "Meldingen er lagt i kø for sending.", "The message is queued for sending."},
    {"for_task", "For oppgaven", "For the task"},
    {"tentative", "tentativ", "tentative"},
    // access log
    {"access_log_lead", "Alle oppslag i pasientens opplysninger, nyeste først.",
     "Every access to the patient's data, newest first."},
    {"no_access_rows", "Ingen oppslag er logget.", "No access is logged."},
    {"when", "Tidspunkt", "When"},
    {"what", "Hva", "What"},
    {"basis", "Grunnlag", "Basis"},
    {"outcome", "Utfall", "Outcome"},
    {"user", "Bruker", "User"},
    {"emergency", "Nødrett", "Emergency"},
    // search
    {"search_title", "Finn pasient", "Find a patient"},
    {"search_lead",
     "Søk med fødselsnummer eller navn. Du ser bare pasienter du har tjenstlig behov for, og "
     "søket logges.",
     "Search by national identity number or name. You see only patients your work gives you "
     "access to, and the search is logged."},
    {"search_label", "Fødselsnummer eller navn", "National identity number or name"},
    {"search", "Søk", "Search"},
    {"results", "Resultat", "Result"},
    {"born", "født", "born"},
    {"no_patient_found", "Fant ingen pasient du har tilgang til.",
     "Found no patient you have access to."},
    // errors
    {"error_400_title", "Noe i skjemaet må rettes", "Something in the form needs correcting"},
    {"error_400_text", "Forespørselen kunne ikke behandles.", "The request could not be handled."},
    {"error_401_title", "Logg inn først", "Log in first"},
    {"error_401_text", "Du må være logget inn for å se denne siden.",
     "You must be logged in to see this page."},
    {"error_403_title", "Ingen tilgang", "No access"},
    {"error_403_text",
     "Du har ikke tjenstlig behov for denne siden, eller skjemaet var utløpt. Forsøket er logget.",
     "Your work does not give you access to this page, or the form had expired. The attempt is "
     "logged."},
    {"error_404_title", "Siden finnes ikke", "Page not found"},
    {"error_404_text", "Vi fant ikke det du lette etter.",
     "We could not find what you were looking for."},
    {"error_405_title", "Ikke tillatt", "Not allowed"},
    {"error_405_text", "Denne handlingen er ikke tillatt her.", "This action is not allowed here."},
    {"error_409_title", "Konflikt", "Conflict"},
    {"error_409_text", "Noen andre har endret dette i mellomtiden.",
     "Someone else changed this in the meantime."},
    {"error_413_title", "For stor forespørsel", "Request too large"},
    {"error_413_text", "Det du sendte er for stort.", "What you sent is too large."},
    {"error_429_title", "For mange forsøk", "Too many attempts"},
    {"error_429_text", "Vent litt og prøv igjen.", "Wait a while and try again."},
    {"error_500_title", "Noe gikk galt", "Something went wrong"},
    {"error_500_text", "Feilen er logget. Prøv igjen om litt.",
     "The error is logged. Try again in a while."},
    {"error_503_title", "Midlertidig utilgjengelig", "Temporarily unavailable"},
    {"error_503_text", "Forespørselen kunne ikke fullføres og registreres. Prøv igjen.",
     "The request could not be completed and recorded. Try again."},
};

const std::map<std::string, std::string, std::less<>>& table(std::string_view lang) {
  static const auto build = [](bool en) {
    std::map<std::string, std::string, std::less<>> m;
    for (const auto& s : kStrings) m.emplace(std::string(s.key), std::string(en ? s.en : s.nb));
    return m;
  };
  static const auto nb = build(false);
  static const auto en = build(true);
  return lang == "en" ? en : nb;
}

}  // namespace

const std::string& text(std::string_view lang, std::string_view key) {
  const auto& t = table(lang);
  auto it = t.find(key);
  if (it != t.end()) return it->second;
  static const std::string missing = "??";
  return missing;
}

bool has_text(std::string_view key) {
  return table("nb").count(key) > 0;
}

const Data& strings_data(std::string_view lang) {
  static const auto build = [](std::string_view l) {
    Data d;
    for (const auto& [k, v] : table(l)) d.set(k, v);
    return d;
  };
  static const Data nb = build("nb");
  static const Data en = build("en");
  return lang == "en" ? en : nb;
}

std::string role_name(std::string_view lang, std::string_view role) {
  if (const auto* r = core::find_role(role)) return std::string(lang == "en" ? r->en : r->nb);
  return std::string(role);
}

std::string state_name(std::string_view lang, std::string_view state) {
  return text(lang, "state_" + std::string(state));
}

std::string message_of(const Error& e, std::string_view lang) {
  return lang == "en" || e.message_nb.empty() ? e.message : e.message_nb;
}

}  // namespace samflyt::web
