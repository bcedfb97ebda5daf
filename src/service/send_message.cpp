// A PLO or dialog message made from the episode's data and queued in the
// outbox (issue 5 §5): who sends it, to whom, about whom, signed by whom,
// checked against consent, and what it does to the episode.
#include <algorithm>

#include "core/identifiers.hpp"
#include "msg/codes.hpp"
#include "service/message_effects.hpp"
#include "service/messages.hpp"

namespace samflyt::service {

namespace {

using core::MessageKind;

Error refused(const std::string& en, const std::string& nb, const std::string& field = "") {
  return make_error(ErrorCode::invalid_input, "Nothing was sent: " + en,
                    "Ingenting ble sendt: " + nb, field);
}

// One side of the transition as MsgHead addresses it: the legal entity
// (the hospital trust, the municipality) and, below it, the unit.
struct Party {
  std::string id;  // the episode's organisation (hospital unit or municipality)
  core::Organisation legal;
  std::optional<core::Organisation> unit;

  std::string name() const { return unit ? unit->name : legal.name; }
  bool has_her_id() const { return legal.her_id && (!unit || unit->her_id); }
  msg::Organisation address() const {
    msg::Organisation o{legal.name, legal.her_id, legal.org_number, std::nullopt, std::nullopt};
    if (unit) o.unit = msg::Unit{unit->name, unit->her_id};
    return o;
  }
};

Result<Party> party_of(Transaction& tx, const std::string& org_id) {
  Party p;
  p.id = org_id;
  SAMFLYT_TRY(auto org, tx.organisations().get(org_id));
  if (!org)
    return make_error(ErrorCode::internal, "The episode's organisation is missing.",
                      "Forløpets organisasjon mangler.");
  // The legal entity is the topmost organisation above a unit.
  core::Organisation top = *org;
  for (int depth = 0; depth < 16 && !top.parent_id.empty(); ++depth) {
    SAMFLYT_TRY(auto parent, tx.organisations().get(top.parent_id));
    if (!parent) break;
    top = *parent;
  }
  if (top.id != org->id) p.unit = *org;
  p.legal = std::move(top);
  return p;
}

// Whether the caller holds a role in the organisation or below it.
bool works_in(const Caller& caller, const std::string& org_id) {
  for (const auto& g : caller.principal.grants)
    if (std::find(g.organisation_path.begin(), g.organisation_path.end(), org_id) !=
        g.organisation_path.end())
      return true;
  return false;
}

std::pair<std::string, std::string> split_name(const std::string& full) {
  auto space = full.rfind(' ');
  if (space == std::string::npos) return {"", full};
  return {full.substr(0, space), full.substr(space + 1)};
}

msg::Patient patient_of(const core::Patient& p, core::IdentityPolicy policy) {
  msg::Patient out;
  std::tie(out.given_name, out.family_name) = split_name(p.name);
  out.national_id = p.national_id;
  if (auto id = core::parse_national_id(p.national_id, policy)) {
    out.id_type = id->kind == core::PersonIdKind::d_number   ? msg::PersonIdType::dnr
                  : id->kind == core::PersonIdKind::h_number ? msg::PersonIdType::hnr
                                                             : msg::PersonIdType::fnr;
  }
  out.birth_date = p.birth_date;
  // The ninth digit tells the sex (kodeverk 3101: 1 male, 2 female).
  if (p.national_id.size() == 11) out.sex = (p.national_id[8] - '0') % 2 == 1 ? "1" : "2";
  return out;
}

// The health professional who sends the message, when the account has an
// HPR number (kodeverk 9060 category from the role).
Result<std::optional<msg::HealthcareProfessional>> sender_professional(Transaction& tx,
                                                                       const Caller& caller) {
  SAMFLYT_TRY(auto user, tx.accounts().get(caller.principal.user_id));
  if (!user || user->hpr_number.empty() || caller.principal.staff_id.empty())
    return std::optional<msg::HealthcareProfessional>();
  SAMFLYT_TRY(auto staff, tx.staff().get(caller.principal.staff_id));
  if (!staff) return std::optional<msg::HealthcareProfessional>();
  msg::HealthcareProfessional p;
  std::tie(p.given_name, p.family_name) = split_name(staff->name);
  p.category = staff->role == "lege" ? "LE" : staff->role == "sykepleier" ? "SP" : "";
  p.hpr_number = user->hpr_number;
  for (char c : staff->phone)
    if (c >= '0' && c <= '9') p.phone += c;
  return std::optional<msg::HealthcareProfessional>(p);
}

// The latest message of a type in the episode's outbox or inbox.
std::optional<StoredMessage> latest(const std::vector<StoredMessage>& messages,
                                    MessageDirection direction, std::string_view type) {
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    if (it->direction == direction && it->msg_type == type &&
        it->status != MessageStatus::rejected && it->status != MessageStatus::cancelled)
      return *it;
  return std::nullopt;
}

msg::ConversationRef continuing(const StoredMessage& m) {
  return msg::ConversationRef{m.msg_id, m.conversation_id.empty() ? m.msg_id : m.conversation_id};
}

// When the patient was admitted: the open stay's admission, else `fallback`.
Instant admission_time(const std::vector<StoredStayEvent>& events, Instant fallback) {
  if (events.empty()) return fallback;
  int last = events.back().stay;
  std::optional<Instant> admitted;
  for (const auto& e : events)
    if (e.stay == last) {
      if (e.event.kind == core::StayEventKind::discharged) return fallback;
      if (e.event.kind == core::StayEventKind::admitted) admitted = e.event.at;
    }
  return admitted.value_or(fallback);
}

msg::Event event(int code, const std::string& description, msg::PointInTime time,
                 bool estimated = false) {
  return msg::Event{code, description, time, estimated};
}

// The text's heading in the PLO message.
msg::Note note(int code_system, const char* value, const char* heading, const std::string& text) {
  return msg::Note{msg::Code{value, heading, code_system, {}}, text};
}

// Marks the step's task done (its message is in the outbox), with the
// deadlines and readiness that follow, and the episode's status.
Result<void> complete_task(Transaction& tx, const core::PathwayTemplate& pathway,
                           const std::string& episode_id, const std::string& task_id,
                           const std::string& note, Instant now) {
  SAMFLYT_TRY(auto episode, tx.episodes().get(episode_id));
  SAMFLYT_TRY(auto tasks, tx.tasks().list_for_episode(episode_id));
  auto it =
      std::find_if(tasks.begin(), tasks.end(), [&](const auto& t) { return t.id == task_id; });
  if (!episode || it == tasks.end())
    return make_error(ErrorCode::internal, "The task is gone.", "Oppgaven er borte.");
  const auto index = static_cast<std::size_t>(it - tasks.begin());
  core::TaskChange done = core::TaskChange::to(core::TaskState::done);
  done.note = note;
  const std::int64_t expected = tasks[index].version;
  SAMFLYT_TRY(auto derived, core::change_task(pathway, *episode, tasks, index, done, now));
  SAMFLYT_CHECK(tx.tasks().update(tasks[index], expected));
  for (std::size_t i : derived) SAMFLYT_CHECK(tx.tasks().update_derived(tasks[i]));
  if (auto status = core::status_for(tasks); status != episode->status) {
    const std::int64_t was = episode->version;
    episode->status = status;
    episode->version += 1;
    episode->updated_at = now;
    SAMFLYT_CHECK(tx.episodes().update(*episode, was));
  }
  return {};
}

bool needs_text(MessageKind k) {
  return k == MessageKind::admission_notice || k == MessageKind::health_update ||
         k == MessageKind::discharge_report || k == MessageKind::dialog;
}

Result<void> check_input(const OutgoingMessage& input, Instant at, Instant now) {
  if (at > now + std::chrono::minutes(5))
    return refused("the time cannot be in the future.", "tidspunktet kan ikke være fram i tid.",
                   "at");
  if (needs_text(input.kind) && input.text.empty())
    return refused("write what the message is to say.", "skriv hva meldingen skal si.", "text");
  if (input.text.size() > 20'000)
    return refused("the text is longer than 20 000 characters.",
                   "teksten er lengre enn 20 000 tegn.", "text");
  if (input.kind == MessageKind::reception_answer && input.can_receive && !input.date)
    return refused("give the day the municipality can receive the patient.",
                   "oppgi dagen kommunen kan ta imot pasienten.", "date");
  return {};
}

}  // namespace

Result<StoredMessage> send_message(Context& ctx, const Caller& caller,
                                   const std::string& episode_id, const OutgoingMessage& input) {
  SAMFLYT_CHECK(require_clinical_role(caller));
  const Instant now = ctx.clock.now();
  const Instant at = input.at.value_or(now);
  return audited(
      ctx, caller, TxMode::write, [&](Transaction& tx, AuditTrail& trail) -> Result<StoredMessage> {
        SAMFLYT_CHECK(require_episode_access(tx, caller, episode_id, core::Action::write, now,
                                             trail, "episode/" + episode_id + "/messages", "send"));
        SAMFLYT_CHECK(check_input(input, at, now));
        SAMFLYT_TRY(auto episode, tx.episodes().get(episode_id));
        if (!episode)
          return make_error(ErrorCode::not_found, "There is no such episode.",
                            "Forløpet finnes ikke.");
        SAMFLYT_TRY(auto patient, tx.patients().get(episode->patient_id));
        if (!patient)
          return make_error(ErrorCode::internal, "The episode's patient is missing.",
                            "Forløpets pasient mangler.");
        SAMFLYT_TRY(Party hospital, party_of(tx, episode->hospital_unit_id));
        SAMFLYT_TRY(Party municipality, party_of(tx, episode->municipality_id));

        // The pathway step this message carries out, if any.
        std::vector<core::Task> tasks;
        std::size_t task_index = 0;
        TemplatePtr pathway;
        if (!input.task_id.empty()) {
          SAMFLYT_TRY(tasks, tx.tasks().list_for_episode(episode_id));
          while (task_index < tasks.size() && tasks[task_index].id != input.task_id) ++task_index;
          if (task_index == tasks.size())
            return refused("the task is not one of the episode's.",
                           "oppgaven hører ikke til forløpet.", "task_id");
          SAMFLYT_TRY(pathway,
                      ctx.templates.get(tx, episode->pathway_id, episode->pathway_version));
          const core::Step* step = pathway->find_step(tasks[task_index].step_id);
          if (!step || step->message != input.kind)
            return refused("the task's step does not send this message.",
                           "steget til oppgaven sender ikke denne meldingen.", "task_id");
        }

        // Which side sends: fixed for most messages; a dialog goes from the
        // task's side, else from the caller's.
        bool from_hospital = core::sender_side(input.kind) == core::MessageSide::hospital;
        if (core::sender_side(input.kind) == core::MessageSide::either)
          from_hospital = !tasks.empty()
                              ? tasks[task_index].organisation_id != episode->municipality_id
                              : works_in(caller, hospital.legal.id);
        const Party& sender = from_hospital ? hospital : municipality;
        const Party& receiver = from_hospital ? municipality : hospital;
        if (!works_in(caller, from_hospital ? hospital.legal.id : municipality.id))
          return make_error(ErrorCode::forbidden,
                            from_hospital ? "Only the hospital's staff send this message."
                                          : "Only the municipality's staff send this message.",
                            from_hospital ? "Bare sykehusets ansatte sender denne meldingen."
                                          : "Bare kommunens ansatte sender denne meldingen.");
        for (const Party* p : {&sender, &receiver})
          if (!p->has_her_id())
            return refused(p->name() +
                               " has no HER-id, so it cannot take part in electronic messages. "
                               "An administrator registers it.",
                           p->name() +
                               " har ingen HER-id og kan derfor ikke sende eller motta "
                               "elektroniske meldinger. En administrator registrerer den.");

        // Documentation goes only where the patient or a guardian consented.
        msg::Envelope env;
        if (core::carries_documentation(input.kind)) {
          auto consent = require_consent(tx, episode_id, core::ConsentPurpose::send_documentation,
                                         receiver.id, now);
          if (!consent && receiver.unit)
            consent = require_consent(tx, episode_id, core::ConsentPurpose::send_documentation,
                                      receiver.legal.id, now);
          if (!consent) {
            if (consent.error().code != ErrorCode::forbidden) return std::move(consent).error();
            return make_error(
                ErrorCode::forbidden,
                "Nothing was sent: there is no consent in force to send documentation to " +
                    receiver.name() + ". Record the patient's or a guardian's consent first.",
                "Ingenting ble sendt: det finnes ikke noe gyldig samtykke til å sende "
                "dokumentasjon til " +
                    receiver.name() + ". Registrer pasientens eller foresattes samtykke først.",
                "consent");
          }
          env.consent = msg::Consent::yes;
        }

        SAMFLYT_TRY(auto professional, sender_professional(tx, caller));
        const bool needs_professional = input.kind == MessageKind::discharge_ready ||
                                        input.kind == MessageKind::discharge_ready_cancelled ||
                                        input.kind == MessageKind::reception_answer ||
                                        input.kind == MessageKind::dialog;
        if (needs_professional && (!professional || professional->phone.empty()))
          return refused(
              "this message names the health professional responsible for it, and your account "
              "has no HPR number or your staff record no phone number.",
              "denne meldingen oppgir helsepersonellet som er ansvarlig for den, og kontoen din "
              "har ikke HPR-nummer eller ansattposten din ikke telefonnummer.");

        SAMFLYT_TRY(auto messages, tx.messages().of_episode(episode_id));
        SAMFLYT_TRY(auto stays, tx.stays().events_of_episode(episode_id));
        // Before the stay is recorded, the time a varsel gives is the
        // admission's; otherwise the pathway's start stands in for it.
        const bool at_is_admission =
            input.kind == MessageKind::admission_notice || input.kind == MessageKind::health_update;
        const Instant admitted_at = admission_time(
            stays, at_is_admission ? input.at.value_or(episode->started_at) : episode->started_at);
        const auto tentative = input.date ? input.date : episode->tentative_discharge_date;

        env.msg_id = ctx.ids.new_id();
        env.gen_date = now;
        env.sender = sender.address();
        env.receiver = receiver.address();
        env.patient = patient_of(*patient, ctx.identity);

        msg::PloCommon plo;
        plo.contact_unit_name = sender.name();
        plo.contact_unit_her_id = sender.unit ? sender.unit->her_id : sender.legal.her_id;
        plo.contact_person = professional;
        plo.responsible = professional;

        msg::Content content;
        switch (input.kind) {
          case MessageKind::admission_notice:
          case MessageKind::health_update: {
            env.type = msg::msg_type::helseopplysninger;
            msg::HealthInformation h;
            h.plo = plo;
            h.kind = input.kind == MessageKind::admission_notice
                         ? msg::health_information_kind::admission_notice
                         : msg::health_information_kind::updated;
            h.stay.push_back(event(msg::event_code::admitted, "Innlagt", admitted_at));
            if (tentative)
              h.stay.push_back(
                  event(msg::event_code::discharge_ready, "Tentativ ut-dato", *tentative, true));
            h.notes.push_back(
                note(msg::code_system::admission_headings, "1", "Pasientens status", input.text));
            if (input.kind == MessageKind::health_update)
              if (auto first = latest(messages, MessageDirection::outgoing, env.type))
                env.conversation = continuing(*first);
            content = std::move(h);
            break;
          }
          case MessageKind::admitted:
            env.type = msg::msg_type::innlagt;
            content = msg::AdmittedPatient{plo, event(msg::event_code::admitted, "Innlagt", at)};
            break;
          case MessageKind::discharge_ready: {
            env.type = msg::msg_type::utskrivningsklar;
            // Ready now, or from a later day given in advance (Anslag).
            msg::PointInTime ready = at;
            bool later = input.date && *input.date > core::oslo_date(now);
            if (later) ready = *input.date;
            content = msg::DischargeReady{
                plo, event(msg::event_code::admitted, "Innlagt", admitted_at),
                event(msg::event_code::discharge_ready, "Utskrivningsklar", ready, later)};
            break;
          }
          case MessageKind::discharge_ready_cancelled: {
            env.type = msg::msg_type::avmelding;
            if (auto ready =
                    latest(messages, MessageDirection::outgoing, msg::msg_type::utskrivningsklar))
              env.conversation = continuing(*ready);
            content = msg::DischargeReadyCancelled{
                plo, event(msg::event_code::discharge_ready_cancelled,
                           input.text.empty() ? "Ikke lenger utskrivningsklar" : input.text, at)};
            break;
          }
          case MessageKind::discharged: {
            env.type = msg::msg_type::utskrevet;
            std::string place = input.discharged_to.empty() ? "1" : input.discharged_to;
            auto place_name = msg::display_name(msg::code_system::place, place);
            if (place_name.empty())
              return refused("unknown place of discharge '" + place + "' (kodeverk 8408).",
                             "ukjent utskrevet til '" + place + "' (kodeverk 8408).",
                             "discharged_to");
            content = msg::Discharged{
                plo, event(msg::event_code::discharged, "Utskrevet", at),
                msg::Code{place, std::string(place_name), msg::code_system::place, {}}, input.text};
            break;
          }
          case MessageKind::discharge_report: {
            env.type = msg::msg_type::utskrivningsrapport;
            msg::DischargeReport r;
            r.plo = plo;
            r.stay.push_back(event(0, "Innlagt dato", admitted_at));
            r.stay.push_back(event(0, "Utskrevet dato", at));
            r.notes.push_back(note(msg::code_system::medical_headings, "PROB",
                                   "Aktuell problemstilling", input.text));
            content = std::move(r);
            break;
          }
          case MessageKind::reception_answer:
          case MessageKind::dialog: {
            env.type = msg::msg_type::dialog_helsefaglig;
            msg::Dialog d;
            d.v11 = true;
            d.text = input.text;
            d.professional = professional;
            if (input.kind == MessageKind::reception_answer) {
              auto notice =
                  latest(messages, MessageDirection::incoming, msg::msg_type::utskrivningsklar);
              if (!notice)
                return refused("the hospital has sent no discharge-ready notice to answer.",
                               "sykehuset har ikke sendt noen melding om utskrivningsklar pasient "
                               "å svare på.");
              env.conversation = continuing(*notice);
              d.topic = msg::Code{"7",
                                  "Tilbakemelding på mottak av utskrivningsklar pasient",
                                  msg::code_system::dialog_topic,
                                  {}};
              d.topic_text = "Mottak av utskrivningsklar pasient";
              d.reception = msg::ReceptionAnswer{input.can_receive,
                                                 input.can_receive ? input.date : std::nullopt};
            } else {
              d.topic =
                  msg::Code{"6", "Henvendelse om pasient", msg::code_system::dialog_topic, {}};
              d.topic_text = "Henvendelse om pasient";
            }
            content = std::move(d);
            break;
          }
        }

        msg::Message m{std::move(env), std::move(content), {}};
        SAMFLYT_TRY(auto row, detail::queue_outgoing(ctx, tx, *episode, m, now));
        SAMFLYT_TRY(auto effects, detail::apply_message_to_episode(ctx, tx, episode_id, m,
                                                                   caller.principal.user_id, now));
        if (!effects.empty()) {
          auto expected = row.version;
          row.note = effects;
          row.version = expected + 1;
          SAMFLYT_CHECK(tx.messages().update(row, expected));
        }

        // The step is done once its message is in the outbox.
        if (!tasks.empty() && !core::is_finished(tasks[task_index].state))
          SAMFLYT_CHECK(complete_task(tx, *pathway, episode_id, input.task_id,
                                      "Sendt: " + m.envelope.type + " " + row.msg_id, now));
        return row;
      });
}

}  // namespace samflyt::service
