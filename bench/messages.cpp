// bench_messages: how many PLO messages Samflyt produces, and how many it
// receives (parsed, validated against the official schemas, stored
// durably, the episode updated and the AppRec queued) and answers, per
// second. Run by bench/messages.sh; the figures are in docs/benchmarks.md.
//
//   bench_messages --source DB --schemas DIR --work DIR [--episodes N]
//                  [--runs R] [--batch B]
//
// DB is a database made by bench_load_episodes (the demo community, whose
// organisations have HER-ids, and its episodes; DB.episode_ids lists them).
// Each run copies it to DIR/run.db, so that every run starts from the same
// state, and then:
//   1. builds, for each of the first N episodes, the six messages of one
//      hospital stay, about the episode's patient, between its hospital
//      unit (under its trust) and its municipality: varsel om innlagt
//      pasient and oppdaterte opplysninger (Helseopplysninger), melding om
//      utskrivningsklar pasient, the municipality's answer (Dialogmelding
//      1.1, 7322 V=7), utskrivningsrapport and melding om utskrevet pasient;
//      times msg::write ("produced") and the schema validation of each
//      message ("validated");
//   2. puts them in the inbox folder of a file-drop transport, one file
//      each, the stays interleaved as real traffic would be;
//   3. receives them as `serve` does, with service::receive_waiting: read
//      from the folder, msg::receive (schemas on), stored with the audit
//      rows, each episode's ledger and events updated, one AppRec queued
//      per message, batches committed (synchronous=FULL) and only then
//      moved to processed/ ("received");
//   4. sends the AppRecs with service::dispatch_outbox: each written to the
//      outbox folder (write, fsync, rename, fsync the folder) and marked
//      sent ("answered").
// Every message must be accepted and answered, or the run fails. --batch
// sets the messages per transaction (MessagingSettings::receive_batch and
// send_batch; 1 commits each on its own). Prints a line per run and the
// process's peak RSS.
#include "service/messages.hpp"

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/secrets.hpp"
#include "bench_support.hpp"
#include "msg/codec.hpp"
#include "msg/validator.hpp"
#include "service/audit_writer.hpp"
#include "service/use_cases.hpp"
#include "store/file_drop_transport.hpp"
#include "store/sqlite_store.hpp"
#include "store/system_env.hpp"

namespace fs = std::filesystem;
using namespace samflyt;
using bench::need;
using bench::seconds_since;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// One instance of the product on a database file, as `samflyt msg poll`
// builds it.
struct Site {
  explicit Site(const fs::path& db_path, const msg::Validator& validator, int batch)
      : db(db_path.string()),
        audit_db(store::audit_path_for(db_path.string()), 2, store::Schema::audit),
        audit(audit_db),
        ctx{db, clock, ids, templates, core::IdentityPolicy{true}, secrets, audit} {
    ctx.messaging.validator = &validator;
    ctx.messaging.allow_test_identities = true;
    ctx.messaging.receive_batch = ctx.messaging.send_batch = batch;
  }
  store::SqliteDatabase db;
  store::SqliteDatabase audit_db;
  store::SystemClock clock;
  store::RandomIds ids;
  auth::SodiumSecrets secrets;
  service::AuditWriter audit;
  service::TemplateCatalog templates;
  service::Context ctx;
};

msg::HealthcareProfessional professional(const char* given, const char* family, const char* cat,
                                         const char* hpr) {
  msg::HealthcareProfessional p;
  p.given_name = given;
  p.family_name = family;
  p.category = cat;
  p.hpr_number = hpr;
  p.phone = "35000000";
  return p;
}

msg::Event event(int code, const char* description, msg::PointInTime time, bool estimated = false) {
  return msg::Event{code, description, time, estimated};
}

msg::Note note(int code_system, const char* value, const char* heading, std::string text) {
  return msg::Note{msg::Code{value, heading, code_system, {}}, std::move(text)};
}

// The six messages of one stay of the episode's patient.
class StayMessages {
 public:
  StayMessages(service::Transaction& tx, const std::string& episode_id, store::RandomIds& ids,
               core::Instant now)
      : ids_(ids), now_(now) {
    auto episode = need(tx.episodes().get(episode_id), "read episode");
    if (!episode) throw std::runtime_error("no episode " + episode_id);
    auto patient = need(tx.patients().get(episode->patient_id), "read patient");
    auto unit = need(tx.organisations().get(episode->hospital_unit_id), "read unit");
    auto municipality = need(tx.organisations().get(episode->municipality_id), "read municipality");
    if (!patient || !unit || !municipality || !unit->her_id || !municipality->her_id)
      throw std::runtime_error("episode " + episode_id + " lacks a patient or a HER-id");
    auto trust = need(tx.organisations().get(unit->parent_id), "read trust");
    if (!trust || !trust->her_id) throw std::runtime_error("the hospital unit has no trust");

    hospital_ = msg::Organisation{trust->name, trust->her_id, trust->org_number,
                                  msg::Unit{unit->name, unit->her_id}, std::nullopt};
    municipality_ = msg::Organisation{municipality->name, municipality->her_id,
                                      municipality->org_number, std::nullopt, std::nullopt};
    auto space = patient->name.rfind(' ');
    patient_.given_name = patient->name.substr(0, space);
    patient_.family_name = space == std::string::npos ? "" : patient->name.substr(space + 1);
    patient_.national_id = patient->national_id;
    patient_.sex = (patient->national_id[8] - '0') % 2 == 1 ? "1" : "2";
    plo_.contact_unit_name = unit->name;
    plo_.contact_unit_her_id = unit->her_id;
    plo_.contact_person = plo_.responsible = professional("Kari", "Sykepleiersen", "SP", "9900101");
  }

  std::vector<std::string> write_all(double& write_seconds) {
    const core::Instant admitted = now_ - std::chrono::hours(72);
    const core::Instant ready = now_ - std::chrono::hours(24);
    const core::Instant discharged = now_ - std::chrono::hours(2);
    const core::Date tentative = core::oslo_date(ready);
    std::vector<msg::Message> stay;

    msg::HealthInformation varsel;
    varsel.plo = plo_;
    varsel.kind = msg::health_information_kind::admission_notice;
    varsel.stay = {event(msg::event_code::admitted, "Innlagt", admitted),
                   event(msg::event_code::discharge_ready, "Tentativ ut-dato", tentative, true)};
    varsel.notes = {note(msg::code_system::admission_headings, "1", "Pasientens status",
                         "Innlagt med pustebesvær. Trenger oksygen om natten og tett "
                         "oppfølging av ernæring. Foreldrene er hos barnet.")};
    stay.push_back(message(msg::msg_type::helseopplysninger, hospital_, municipality_, varsel));

    auto updated = varsel;
    updated.kind = msg::health_information_kind::updated;
    updated.notes = {note(msg::code_system::admission_headings, "1", "Pasientens status",
                          "Bedring. Planlagt opplæring av foreldrene i sondeernæring.")};
    stay.push_back(message(msg::msg_type::helseopplysninger, hospital_, municipality_, updated));
    stay.back().envelope.conversation = continuing(stay[0]);

    stay.push_back(message(
        msg::msg_type::utskrivningsklar, hospital_, municipality_,
        msg::DischargeReady{plo_, event(msg::event_code::admitted, "Innlagt", admitted),
                            event(msg::event_code::discharge_ready, "Utskrivningsklar", ready)}));

    msg::Dialog answer;
    answer.topic = msg::Code{"7",
                             "Tilbakemelding på mottak av utskrivningsklar pasient",
                             msg::code_system::dialog_topic,
                             {}};
    answer.topic_text = "Mottak av utskrivningsklar pasient";
    answer.professional = professional("Siri", "Saksbehandlersen", "SP", "9900102");
    answer.reception = msg::ReceptionAnswer{true, tentative};
    stay.push_back(message(msg::msg_type::dialog_helsefaglig, municipality_, hospital_, answer));
    stay.back().envelope.conversation = continuing(stay[2]);

    msg::DischargeReport report;
    report.plo = plo_;
    report.stay = {event(0, "Innlagt dato", admitted), event(0, "Utskrevet dato", discharged)};
    report.notes = {note(msg::code_system::medical_headings, "PROB", "Aktuell problemstilling",
                         "Pneumoni, behandlet med antibiotika. Hjem med oksygen og sonde.")};
    stay.push_back(message(msg::msg_type::utskrivningsrapport, hospital_, municipality_, report));
    stay.back().envelope.consent = msg::Consent::yes;

    stay.push_back(
        message(msg::msg_type::utskrevet, hospital_, municipality_,
                msg::Discharged{plo_, event(msg::event_code::discharged, "Utskrevet", discharged),
                                msg::Code{"1", "Hjem", msg::code_system::place, {}}, ""}));

    std::vector<std::string> bytes;
    auto started = Clock::now();
    for (const auto& m : stay) bytes.push_back(msg::write(m));
    write_seconds += seconds_since(started);
    return bytes;
  }

 private:
  msg::Message message(std::string_view type, const msg::Organisation& from,
                       const msg::Organisation& to, msg::Content content) {
    msg::Envelope env;
    env.type = std::string(type);
    env.msg_id = ids_.new_id();
    env.gen_date = now_;
    env.sender = from;
    env.receiver = to;
    env.patient = patient_;
    return msg::Message{std::move(env), std::move(content), {}};
  }
  static msg::ConversationRef continuing(const msg::Message& m) {
    return msg::ConversationRef{m.envelope.msg_id, m.envelope.msg_id};
  }

  store::RandomIds& ids_;
  core::Instant now_;
  msg::Organisation hospital_;
  msg::Organisation municipality_;
  msg::Patient patient_;
  msg::PloCommon plo_;
};

struct RunFigures {
  std::size_t messages = 0;
  double produced = 0;   // msgs/s, msg::write
  double validated = 0;  // msgs/s, schema validation of produced messages
  double received = 0;   // msgs/s, receive_waiting
  double answered = 0;   // AppRecs/s, dispatch_outbox
  double round = 0;      // msgs/s, received and answered
};

RunFigures run_once(const fs::path& source, const fs::path& work, const msg::Validator& validator,
                    std::size_t episodes, int batch) {
  fs::remove_all(work);
  fs::create_directories(work);
  const fs::path db = work / "run.db";
  fs::copy_file(source, db);
  fs::copy_file(store::audit_path_for(source.string()), store::audit_path_for(db.string()));
  auto episode_ids = read_lines(source.string() + ".episode_ids");
  episode_ids.resize(std::min(episodes, episode_ids.size()));

  Site site(db, validator, batch);
  RunFigures f;

  // 1. Produce and validate.
  std::vector<std::vector<std::string>> stays;
  double write_seconds = 0;
  {
    auto tx = need(site.db.begin(service::TxMode::read), "begin");
    const auto now = site.clock.now();
    for (const auto& id : episode_ids)
      stays.push_back(StayMessages(*tx, id, site.ids, now).write_all(write_seconds));
  }
  std::vector<const std::string*> all;  // interleaved: message k of every stay, then k + 1
  for (std::size_t k = 0; k < 6; ++k)
    for (const auto& s : stays) all.push_back(&s[k]);
  f.messages = all.size();
  f.produced = static_cast<double>(f.messages) / write_seconds;
  auto started = Clock::now();
  for (const auto* m : all)
    if (auto errors = validator.validate(*m); !errors.empty())
      throw std::runtime_error("a produced message is not valid: " + errors.front());
  f.validated = static_cast<double>(f.messages) / seconds_since(started);

  // 2. The inbox.
  store::FileDropTransport transport(work / "inbox", work / "outbox");
  char name[32];
  for (std::size_t i = 0; i < all.size(); ++i) {
    std::snprintf(name, sizeof name, "m%07zu.xml", i);
    write_file(work / "inbox" / name, *all[i]);
  }
  ::sync();

  // 3. Receive.
  service::ExchangeReport report;
  started = Clock::now();
  need(service::receive_waiting(site.ctx, transport, report), "receive");
  const double receive_seconds = seconds_since(started);
  std::size_t accepted = 0, apprecs = 0;
  for (const auto& o : report.received) {
    if (o.message.status == service::MessageStatus::accepted && !o.message.episode_id.empty())
      ++accepted;
    else if (accepted < 3)
      std::cerr << "not accepted into an episode: " << o.message.msg_type << " "
                << service::to_string(o.message.status) << " " << o.message.note
                << (o.message.errors.empty() ? "" : " " + o.message.errors.front().text) << "\n";
    apprecs += o.apprecs.size();
  }
  if (accepted != f.messages || apprecs != f.messages || !report.set_aside.empty())
    throw std::runtime_error("received " + std::to_string(report.received.size()) + ", accepted " +
                             std::to_string(accepted) + ", AppRecs " + std::to_string(apprecs) +
                             " of " + std::to_string(f.messages) + " messages");
  f.received = static_cast<double>(f.messages) / receive_seconds;

  // 4. Answer.
  started = Clock::now();
  auto sent = need(service::dispatch_outbox(site.ctx, transport), "dispatch");
  const double answer_seconds = seconds_since(started);
  if (sent.sent.size() != f.messages || !sent.failures.empty())
    throw std::runtime_error("sent " + std::to_string(sent.sent.size()) + " AppRecs");
  f.answered = static_cast<double>(f.messages) / answer_seconds;
  f.round = static_cast<double>(f.messages) / (receive_seconds + answer_seconds);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Message throughput: produced, received and answered PLO messages per second"};
  std::string source, schemas, work;
  std::size_t episodes = 500;
  int runs = 3;
  int batch = service::MessagingSettings{}.receive_batch;
  app.add_option("--source", source, "a database made by bench_load_episodes")->required();
  app.add_option("--schemas", schemas, "the official schemas (../shared/standards/schemas)")
      ->required();
  app.add_option("--work", work, "a scratch folder (emptied)")->required();
  app.add_option("--episodes", episodes, "stays of six messages each")->capture_default_str();
  app.add_option("--runs", runs, "runs, each from a fresh copy of the database")
      ->capture_default_str();
  app.add_option("--batch", batch, "messages per transaction")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  try {
    msg::Validator validator{fs::path(schemas)};
    std::printf("%-5s %9s %14s %14s %14s %14s %14s\n", "run", "messages", "produced/s",
                "validated/s", "received/s", "answered/s", "round/s");
    for (int r = 1; r <= runs; ++r) {
      auto f = run_once(source, work, validator, episodes, batch);
      std::printf("%-5d %9zu %14.0f %14.0f %14.0f %14.0f %14.0f\n", r, f.messages, f.produced,
                  f.validated, f.received, f.answered, f.round);
      std::fflush(stdout);
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf(
        "batch %d messages per transaction; peak RSS %ld MB (with the bench's own copies of "
        "the messages)\n",
        batch, usage.ru_maxrss / 1024);
  } catch (const std::exception& e) {
    std::cerr << "bench_messages: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
