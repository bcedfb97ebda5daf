// samflyt: the server binary and its subcommands. This is where the layers
// are wired together: the SQLite store and the system clock and ids behind
// the service ports, the API's routes on the HTTP server.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "api/json_writer.hpp"
#include "api/routes.hpp"
#include "auth/oidc.hpp"
#include "auth/secrets.hpp"
#include "cli/config.hpp"
#include "http/server.hpp"
#include "msg/receive.hpp"
#include "service/messages.hpp"
#include "service/use_cases.hpp"
#include "store/file_drop_transport.hpp"
#include "store/http_transport.hpp"
#include "store/sqlite_store.hpp"
#include "store/system_env.hpp"
#include "web/web.hpp"

namespace fs = std::filesystem;
using namespace samflyt;

namespace {

// A failure the user can act on: printed as one line, exit code 1.
struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> template_files(const std::string& dir) {
  if (!fs::is_directory(dir)) throw UserError("the pathway folder '" + dir + "' does not exist");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() &&
        (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml"))
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Everything a subcommand that touches the database needs.
struct App {
  explicit App(const cli::Config& config)
      : db(config.db, std::max(2, config.threads + 1)),
        audit_db(store::audit_path_for(config.db), 2, store::Schema::audit),
        audit(audit_db),
        ctx{db,      clock, ids, templates, core::IdentityPolicy{config.allow_test_identities},
            secrets, audit} {
    ctx.auth.secure_cookies = config.secure_cookies;
    ctx.auth.session_idle = std::chrono::minutes(config.session_idle_minutes);
    ctx.auth.session_absolute = std::chrono::hours(config.session_absolute_hours);
    ctx.ledger_rules.admission_notice_hours = config.admission_notice_hours;
    for (const auto& [year, nok] : config.day_rates) ctx.ledger_rules.rates.nok_by_year[year] = nok;
    if (!config.message_schemas.empty())
      validator = std::make_unique<msg::Validator>(config.message_schemas);
    ctx.messaging.validator = validator.get();
    ctx.messaging.allow_test_identities = config.allow_test_identities;
    ctx.messaging.own_her_ids = config.message_own_her_ids;
    ctx.messaging.apprec_alert = std::chrono::minutes(config.apprec_alert_minutes);
  }
  store::SqliteDatabase db;
  store::SqliteDatabase audit_db;  // the audit log's own file
  store::SystemClock clock;
  store::RandomIds ids;
  auth::SodiumSecrets secrets;
  service::AuditWriter audit;
  service::TemplateCatalog templates;
  std::unique_ptr<msg::Validator> validator;  // set in the constructor, before ctx is used
  service::Context ctx;

  // A use case's error as the one-line failure of a subcommand.
  template <typename T>
  T check(Result<T> r) {
    if (!r) throw UserError(r.error().message);
    return std::move(r).value();
  }
  void check(const Result<void>& r) {
    if (!r) throw UserError(r.error().message);
  }

  // Loads every template in the folder; see service::load_templates.
  void load_templates(const std::string& dir) {
    std::vector<service::TemplateFile> files;
    for (const auto& file : template_files(dir)) files.push_back({file.string(), read_file(file)});
    auto loaded = service::load_templates(ctx, files);
    if (!loaded) throw UserError(loaded.error().message);
    for (std::size_t i = 0; i < files.size(); ++i)
      spdlog::info("pathway {} version {} ({} steps) from {}", (*loaded)[i]->id,
                   (*loaded)[i]->version, (*loaded)[i]->steps.size(), files[i].name);
  }
};

// Failures before a handler runs: HTML pages for the web application,
// problem+json for the API.
http::Response render_failure(http::Failure failure, const http::Request& request) {
  return web::is_page_path(request.path) ? web::render_failure(failure, request)
                                         : api::render_failure(failure, request);
}

// Logs what one message round did (the log is where AppRecs sent and
// received are always recorded, HIS 80415 §4.10, besides the store).
void log_exchange(const service::ExchangeReport& r) {
  for (const auto& o : r.received) {
    const auto& m = o.message;
    if (o.duplicate)
      spdlog::info(
          "message {} {} received again as {} ({} copies): not imported or answered "
          "again",
          m.msg_type, m.msg_id, o.source_name, m.times_seen);
    else if (m.status == service::MessageStatus::rejected)
      spdlog::warn("message {} {} from {} rejected: {}", m.msg_type, m.msg_id, m.source_name,
                   m.errors.empty() ? m.note : m.errors.front().code + " " + m.errors.front().text);
    else if (o.settled && o.settled->status == service::MessageStatus::apprec_ok)
      spdlog::info("AppRec {} received: message {} {} is apprec_ok", m.msg_id, o.settled->msg_type,
                   o.settled->msg_id);
    else if (o.settled)
      spdlog::warn("AppRec {} received: message {} {} is {}", m.msg_id, o.settled->msg_type,
                   o.settled->msg_id, service::to_string(o.settled->status));
    else
      spdlog::info("message {} {} {}{}", m.msg_type, m.msg_id, service::to_string(m.status),
                   m.note.empty() ? "" : ": " + m.note);
    for (const auto& a : o.apprecs) spdlog::info("AppRec {} queued for {}", a.msg_id, m.msg_id);
  }
  for (const auto& [name, reason] : r.set_aside)
    spdlog::error("message file {} set aside: {}", name, reason);
  for (const auto& m : r.expired)
    spdlog::warn("message {} {}: no AppRec within 96 hours", m.msg_type, m.msg_id);
  for (const auto& m : r.dispatched.sent) spdlog::info("sent {} {}", m.msg_type, m.msg_id);
  for (const auto& f : r.dispatched.failures)
    spdlog::error("not sent (stays queued, with later messages to the same receiver): {} {}: {}",
                  f.message.msg_type, f.message.msg_id, f.error.message);
}

// The bearer token in a peer's token_file: its first line, trimmed.
std::string read_token_file(const std::string& path) {
  std::istringstream in(read_file(path));
  std::string token;
  std::getline(in, token);
  const auto first = token.find_first_not_of(" \t\r");
  const auto last = token.find_last_not_of(" \t\r");
  if (first == std::string::npos) throw UserError("the token file " + path + " is empty");
  return token.substr(first, last - first + 1);
}

// The transport the configuration asks for (docs/adr/0009): HTTP peers
// and/or the file drop; null when neither is set.
struct MessageTransports {
  std::unique_ptr<store::FileDropTransport> file_drop;
  std::unique_ptr<store::HttpTransport> http;  // with the file drop for the other receivers

  explicit MessageTransports(const cli::Config& config) {
    if (config.message_inbox.empty() != config.message_outbox.empty())
      throw UserError("set both message_inbox and message_outbox, or neither");
    if (!config.message_inbox.empty())
      file_drop =
          std::make_unique<store::FileDropTransport>(config.message_inbox, config.message_outbox);
    if (config.message_peers.empty()) return;
    std::vector<store::MessagePeer> peers;
    for (const auto& p : config.message_peers)
      peers.push_back({p.her_ids, p.url, read_token_file(p.token_file)});
    try {
      http = std::make_unique<store::HttpTransport>(std::move(peers), file_drop.get());
    } catch (const std::invalid_argument& e) {
      throw UserError(e.what());
    }
  }
  service::MessageTransport* get() const {
    return http ? static_cast<service::MessageTransport*>(http.get()) : file_drop.get();
  }
};

// `serve`'s message rounds: every message_poll_seconds on a thread of its
// own while the server runs, when there is a transport to send with. The
// destructor stops the thread after its current round.
class MessagePoller {
 public:
  MessagePoller(service::Context& ctx, const cli::Config& config) : ctx_(ctx), transports_(config) {
    if (!transports_.get()) return;
    interval_ = std::chrono::seconds(config.message_poll_seconds);
    if (transports_.file_drop)
      spdlog::info("messages: file drop with inbox {}, outbox {}", config.message_inbox,
                   config.message_outbox);
    for (const auto& p : config.message_peers) {
      std::string ids;
      for (auto id : p.her_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
      spdlog::info("messages: HTTP to {} for HER-ids {}", p.url, ids);
    }
    spdlog::info("messages: a round every {} s", config.message_poll_seconds);
    thread_ = std::thread([this] { run(); });
  }
  ~MessagePoller() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  MessagePoller(const MessagePoller&) = delete;
  MessagePoller& operator=(const MessagePoller&) = delete;

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        auto r = service::exchange_messages(ctx_, *transports_.get());
        if (r)
          log_exchange(*r);
        else
          spdlog::error("message round failed: {}", r.error().message);
      } catch (const std::exception& e) {
        spdlog::error("message round failed: {}", e.what());
      }
      lock.lock();
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  }

  service::Context& ctx_;
  MessageTransports transports_;
  std::chrono::seconds interval_{5};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// `samflyt msg poll`: one round, and what it did, one line per message.
int run_msg_poll(const cli::Config& config) {
  App app(config);
  MessageTransports transports(config);
  if (!transports.get())
    throw UserError(
        "msg poll needs --inbox and --outbox (or message_inbox and message_outbox, or "
        "[[message_peers]], in --config)");
  auto r = app.check(service::exchange_messages(app.ctx, *transports.get()));
  for (const auto& o : r.received) {
    const auto& m = o.message;
    std::cout << "received " << o.source_name << ": " << (m.msg_type.empty() ? "?" : m.msg_type)
              << " " << (m.msg_id.empty() ? "(no MsgId)" : m.msg_id) << " "
              << (o.duplicate ? "duplicate (copy " + std::to_string(m.times_seen) +
                                    "; not imported or answered again)"
                              : std::string(service::to_string(m.status)));
    for (const auto& e : m.errors) std::cout << " [" << e.code << " " << e.text << "]";
    if (o.settled)
      std::cout << "; " << o.settled->msg_type << " " << o.settled->msg_id << " is now "
                << service::to_string(o.settled->status);
    else if (!o.duplicate && !m.note.empty())
      std::cout << "; " << m.note;
    std::cout << "\n";
    for (const auto& a : o.apprecs) std::cout << "queued AppRec " << a.msg_id << "\n";
  }
  for (const auto& [name, reason] : r.set_aside)
    std::cout << "set aside " << name << ": " << reason << "\n";
  for (const auto& m : r.expired)
    std::cout << "no_receipt " << m.msg_type << " " << m.msg_id << "\n";
  for (const auto& m : r.dispatched.sent)
    std::cout << "sent " << m.msg_type << " " << m.msg_id << "\n";
  std::cout << r.received.size() << " received, " << r.dispatched.sent.size() << " sent\n";
  for (const auto& f : r.dispatched.failures)
    std::cerr << "samflyt: not sent (stays queued): " << f.message.msg_type << " "
              << f.message.msg_id << ": " << f.error.message << "\n";
  return r.dispatched.failures.empty() ? 0 : 1;
}

void run_serve(const cli::Config& config) {
  auto address = cli::parse_listen(config.listen);
  if (!cli::is_loopback(address.host) && !config.secure_cookies)
    spdlog::warn(
        "listening on {} without secure_cookies: serve Samflyt behind a reverse proxy that "
        "terminates TLS, and set secure_cookies = true (README, \"Running in production\")",
        address.host);
  App app(config);
  app.load_templates(config.pathways);
  // Login with OpenID Connect when configured; the settings are checked
  // here, the provider is first asked at the first login.
  std::unique_ptr<auth::OidcClient> oidc;
  if (!config.oidc_issuer.empty()) {
    oidc = std::make_unique<auth::OidcClient>(
        auth::OidcSettings{config.oidc_issuer, config.oidc_client_id, config.oidc_client_secret,
                           config.oidc_redirect_uri, config.oidc_scopes});
    app.ctx.identity_provider = oidc.get();
    spdlog::info("login with OpenID Connect: issuer {}, client {}", config.oidc_issuer,
                 config.oidc_client_id);
  } else if (!config.oidc_client_id.empty() || !config.oidc_redirect_uri.empty()) {
    spdlog::warn("oidc_issuer is not set: login with OpenID Connect is off");
  }
  http::Router router;
  api::add_routes(router, app.ctx);
  web::add_web_routes(router, app.ctx, web::WebOptions{app.ctx.identity_provider != nullptr});
  http::ServerOptions options;
  options.host = address.host == "localhost" ? "127.0.0.1" : address.host;
  options.port = address.port;
  options.threads = static_cast<std::size_t>(config.threads);
  options.new_request_id = [&app] { return app.ids.new_id(); };
  spdlog::info("database {} (schema version {})", config.db, app.db.schema_version());
  MessagePoller poller(app.ctx, config);
  http::serve(options, router, render_failure);
}

void run_migrate(const cli::Config& config) {
  App app(config);  // opening the database applies pending migrations
  std::cout << "database " << config.db << " is at schema version " << app.db.schema_version()
            << "\n";
}

void run_demo(const cli::Config& config) {
  App app(config);
  app.load_templates(config.pathways);
  auto loaded = service::load_demo(app.ctx);
  if (!loaded) throw UserError(loaded.error().message);
  std::cout << (*loaded ? "loaded the demo health community into "
                        : "the database already has data; left as it is: ")
            << config.db << "\n";
}

// Reads a password from the first line of standard input.
std::string password_from_stdin() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// `samflyt user ...`, `org add`, `token create`, `audit verify`: the
// administration that needs the database file, and so a person trusted
// with it. Each change is audited as the user "cli".
struct AdminArgs {
  std::string username;
  std::string display_name;
  std::string kind = "staff";
  std::string password;
  bool password_stdin = false;
  std::string staff_id;
  std::string hpr_number;
  std::string oidc_subject;
  std::string role;
  std::string organisation_id;
  std::string patient_id;
  std::string relation = "guardian";
  std::string token_name;
  int token_days = 365;
  std::string token_id;
  std::string org_name;
  std::string org_kind;
  std::string org_number;
  std::int64_t her_id = 0;
  std::string parent_id;
};

std::string admin_password(AdminArgs& a) {
  return a.password_stdin ? password_from_stdin() : a.password;
}

int run_check(const std::vector<std::string>& files) {
  int failures = 0;
  for (const auto& file : files) {
    auto t = core::parse_pathway(read_file(file), file);
    if (t) {
      std::cout << "ok " << file << ": " << t->id << " version " << t->version << ", "
                << t->lanes.size() << " lanes, " << t->phases.size() << " phases, "
                << t->steps.size() << " steps\n";
    } else {
      std::cerr << t.error().message << "\n";
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

// `samflyt msg inspect`: one JSON line per file, describing the message and
// the AppRec Samflyt would answer with, through msg::receive() exactly as
// the inbox will call it. Nothing is sent or stored.
int run_msg_inspect(const std::vector<std::string>& files, const std::string& schema_dir,
                    bool allow_test_identities, const std::vector<std::int64_t>& own_her_ids) {
  // Read every file first, so that a bad path fails before any output.
  std::vector<std::string> contents;
  contents.reserve(files.size());
  for (const auto& file : files) contents.push_back(read_file(file));
  std::unique_ptr<msg::Validator> validator;
  if (!schema_dir.empty()) validator = std::make_unique<msg::Validator>(schema_dir);
  const msg::ReceiveOptions options{allow_test_identities, own_her_ids};
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto received = msg::receive(contents[i], validator.get(), options);
    const auto& r = received.read;
    const auto& d = received.decision;
    api::JsonWriter out(512);
    out.begin_object();
    out.field("file", files[i]);
    out.key("standard").text_or_null(r.standard);
    out.key("version").text_or_null(r.version);
    const auto her = [&](std::string_view key, std::optional<std::int64_t> id) {
      out.key(key);
      if (id) {
        out.value(*id);
      } else {
        out.null();
      }
    };
    if (r.envelope) {
      out.key("type").text_or_null(r.envelope->type);
      out.key("msg_id").text_or_null(r.envelope->msg_id);
      her("sender_her", r.envelope->sender.routing_her_id());
      her("receiver_her", r.envelope->receiver.routing_her_id());
      out.key("patient_id");
      if (r.envelope->patient) {
        out.text_or_null(r.envelope->patient->national_id);
      } else {
        out.null();
      }
    } else if (r.apprec) {
      out.field("type", "APPREC");
      out.key("msg_id").text_or_null(r.apprec->id);
      her("sender_her", r.apprec->sender.dept && r.apprec->sender.dept->her_id
                            ? r.apprec->sender.dept->her_id
                            : r.apprec->sender.her_id);
      her("receiver_her", r.apprec->receiver.dept && r.apprec->receiver.dept->her_id
                              ? r.apprec->receiver.dept->her_id
                              : r.apprec->receiver.her_id);
      out.key("patient_id").null();
    } else {
      for (const char* key : {"type", "msg_id", "sender_her", "receiver_her", "patient_id"})
        out.key(key).null();
    }
    // The AppRec Samflyt would send; for an AppRec, or a message it cannot
    // answer, the verdict it would record (apprec_answered false).
    out.field("apprec_status", static_cast<int>(d.status));
    out.key("apprec_errors").begin_array();
    for (const auto& e : d.errors) {
      out.begin_object();
      out.field("code", e.code);
      out.field("text", e.text);
      if (!e.detail.empty()) out.field("detail", e.detail);
      out.end_object();
    }
    out.end_array();
    out.field("apprec_answered", d.answer);
    if (!d.answer) out.field("no_apprec_reason", d.no_answer_reason);
    out.end_object();
    std::cout << out.take() << "\n";
  }
  return 0;
}

// The first word where a subcommand was expected and none has that name
// ("samflyt migrat", "samflyt user frobnicate"); "" when there is none.
std::string unknown_subcommand(const CLI::App& cli, int argc, char** argv) {
  const CLI::App* app = &cli;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    auto subcommands = app->get_subcommands(nullptr);
    if (subcommands.empty() || word.empty() || word[0] == '-') return {};
    auto it = std::find_if(subcommands.begin(), subcommands.end(),
                           [&](const CLI::App* s) { return s->get_name() == word; });
    if (it == subcommands.end()) return word;
    app = *it;
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("samflyt");
  spdlog::set_default_logger(logger);

  CLI::App cli{"Samflyt: shared pathways from hospital to home"};
  cli.require_subcommand(1);
  cli::Config config;
  std::string config_file;
  cli.add_option("--config", config_file, "TOML configuration file")->check(CLI::ExistingFile);

  auto add_db = [&](CLI::App* sub) {
    sub->add_option("--db", config.db, "SQLite database file (env SAMFLYT_DB)");
  };
  auto add_pathways = [&](CLI::App* sub) {
    sub->add_option("--pathways", config.pathways, "folder of pathway templates (*.yaml)");
  };

  auto* serve = cli.add_subcommand("serve", "Serve the web application and the JSON API");
  add_db(serve);
  add_pathways(serve);
  serve->add_option("--listen", config.listen, "HOST:PORT to listen on (env SAMFLYT_LISTEN)");
  serve->add_option("--threads", config.threads, "HTTP worker threads")->check(CLI::Range(1, 256));
  serve->add_flag("--allow-test-identities", config.allow_test_identities,
                  "accept H-numbers and synthetic national ids (test and demo only)");

  auto* migrate =
      cli.add_subcommand("migrate", "Create the database or bring its schema up to date");
  add_db(migrate);

  auto* demo = cli.add_subcommand("demo", "Load the demo health community into an empty database");
  add_db(demo);
  add_pathways(demo);

  AdminArgs admin;
  std::vector<CLI::App*> db_commands{serve, migrate, demo};
  auto admin_command = [&](CLI::App* parent, const char* name, const char* help) {
    auto* sub = parent->add_subcommand(name, help);
    add_db(sub);
    db_commands.push_back(sub);
    return sub;
  };

  auto* user = cli.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);
  auto* user_add = admin_command(user, "add", "Create a user account");
  user_add->add_option("--username", admin.username, "login name")->required();
  user_add->add_option("--name", admin.display_name, "the person's name")->required();
  user_add->add_option("--kind", admin.kind, "staff, family or system")
      ->check(CLI::IsMember({"staff", "family", "system"}));
  user_add->add_option("--password", admin.password,
                       "password (visible to other local users; prefer --password-stdin)");
  user_add->add_flag("--password-stdin", admin.password_stdin,
                     "read the password from the first line of standard input");
  user_add->add_option("--staff-id", admin.staff_id, "the person's staff record");
  user_add->add_option("--hpr", admin.hpr_number, "HPR number (helsepersonellnummer)");
  user_add->add_option("--oidc-subject", admin.oidc_subject,
                       "OpenID Connect identity: the issuer, a space, and the subject (sub)");
  auto* user_disable = admin_command(user, "disable", "Disable an account and end its sessions");
  user_disable->add_option("--username", admin.username)->required();
  auto* user_enable = admin_command(user, "enable", "Enable a disabled account");
  user_enable->add_option("--username", admin.username)->required();
  auto* user_reset = admin_command(user, "reset-password", "Set a new password; ends sessions");
  user_reset->add_option("--username", admin.username)->required();
  user_reset->add_option("--password", admin.password, "new password");
  user_reset->add_flag("--password-stdin", admin.password_stdin,
                       "read the password from the first line of standard input");
  auto* user_grant = admin_command(user, "grant", "Give a user a role in an organisation");
  user_grant->add_option("--username", admin.username)->required();
  user_grant->add_option("--role", admin.role, "e.g. sykepleier, saksbehandler, leder, admin")
      ->required();
  user_grant->add_option("--organisation", admin.organisation_id, "organisation id")->required();
  auto* user_link = admin_command(user, "link-family", "Link a family account to a patient");
  user_link->add_option("--username", admin.username)->required();
  user_link->add_option("--patient", admin.patient_id, "patient id")->required();
  user_link->add_option("--relation", admin.relation, "guardian or self")
      ->check(CLI::IsMember({"guardian", "self"}));

  auto* org = cli.add_subcommand("org", "Manage organisations");
  org->require_subcommand(1);
  auto* org_add = admin_command(org, "add", "Add an organisation; prints its id");
  org_add->add_option("--name", admin.org_name)->required();
  org_add
      ->add_option("--kind", admin.org_kind,
                   "hospital_trust, hospital_unit, municipality, municipal_service or "
                   "intermunicipal_team")
      ->required()
      ->check(CLI::IsMember({"hospital_trust", "hospital_unit", "municipality", "municipal_service",
                             "intermunicipal_team"}));
  org_add->add_option("--org-number", admin.org_number, "organisation number (9 digits)");
  org_add->add_option("--her-id", admin.her_id, "HER-id");
  org_add->add_option("--parent", admin.parent_id, "parent organisation id");

  auto* token = cli.add_subcommand("token", "Manage bearer tokens for integrations and scripts");
  token->require_subcommand(1);
  auto* token_create =
      admin_command(token, "create", "Create a bearer token for a user; prints it on stdout");
  token_create->add_option("--username", admin.username)->required();
  token_create->add_option("--name", admin.token_name, "what the token is for");
  token_create->add_option("--days", admin.token_days, "days until it expires (default 365)")
      ->check(CLI::Range(1, 5 * 366));
  auto* token_list = admin_command(token, "list", "List a user's tokens (never their secrets)");
  token_list->add_option("--username", admin.username)->required();
  auto* token_revoke = admin_command(token, "revoke", "Revoke a token at once");
  token_revoke->add_option("--id", admin.token_id, "the token's id (from token list)")->required();

  auto* audit = cli.add_subcommand("audit", "Check the audit log");
  audit->require_subcommand(1);
  auto* audit_verify =
      admin_command(audit, "verify", "Verify the audit log's hash chain; exit 1 when broken");

  auto* routes = cli.add_subcommand("routes", "List the HTTP routes (method and pattern)");

  std::vector<std::string> check_files;
  auto* check = cli.add_subcommand("check", "Validate pathway template files");
  check->add_option("files", check_files, "template files (YAML)")
      ->required()
      ->check(CLI::ExistingFile);

  auto* message = cli.add_subcommand("msg", "Read PLO, Dialogmelding and AppRec messages");
  message->require_subcommand(1);
  std::vector<std::string> inspect_files;
  std::string inspect_schemas;
  bool inspect_test_identities = false;
  auto* inspect = message->add_subcommand(
      "inspect",
      "Describe message files and the AppRec Samflyt would answer with (one JSON line per "
      "file; nothing is sent)");
  inspect->add_option("files", inspect_files, "message files (XML)")
      ->required()
      ->check(CLI::ExistingFile);
  inspect
      ->add_option("--schemas", inspect_schemas,
                   "folder of the official schemas (all-v16.xsd ...) for strict validation "
                   "(default: message_schemas from --config)")
      ->check(CLI::ExistingDirectory);
  inspect->add_flag("--allow-test-identities", inspect_test_identities,
                    "count H-numbers and synthetic national ids as identifying the patient");

  std::string poll_inbox;
  std::string poll_outbox;
  auto* poll = message->add_subcommand(
      "poll",
      "One round of the message exchange: import every message in the file-drop inbox "
      "(AppRecs queued, receipts applied), then send every queued message (to the outbox "
      "folder, or over HTTP to the [[message_peers]] in --config)");
  add_db(poll);
  poll->add_option("--inbox", poll_inbox, "folder of received messages (*.xml)");
  poll->add_option("--outbox", poll_outbox, "folder to write messages to");
  db_commands.push_back(poll);
  poll->add_option("--schemas", config.message_schemas,
                   "folder of the official schemas for strict validation of received messages")
      ->check(CLI::ExistingDirectory);
  poll->add_flag("--allow-test-identities", config.allow_test_identities,
                 "count H-numbers and synthetic national ids as identifying the patient");

  // Settings from the file and the environment first; flags then override.
  cli.parse_complete_callback([&] {
    try {
      cli::Config from_flags = config;
      config = cli::Config{};
      if (!config_file.empty()) cli::read_config_file(config_file, config);
      cli::read_environment(config);
      for (auto* sub : db_commands) {
        if (sub->count("--db")) config.db = from_flags.db;
        if (sub->get_option_no_throw("--pathways") && sub->count("--pathways"))
          config.pathways = from_flags.pathways;
      }
      if (serve->count("--listen")) config.listen = from_flags.listen;
      if (serve->count("--threads")) config.threads = from_flags.threads;
      if (serve->count("--allow-test-identities")) config.allow_test_identities = true;
      if (poll->count("--allow-test-identities")) config.allow_test_identities = true;
      if (poll->count("--schemas")) config.message_schemas = from_flags.message_schemas;
    } catch (const std::exception& e) {
      throw CLI::ValidationError(e.what());
    }
  });

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return cli.exit(e);  // --help
    // One line, as for every other failure: the reason, and where to look.
    if (auto word = unknown_subcommand(cli, argc, argv); !word.empty())
      std::cerr << "samflyt: unknown command '" << word << "' (see --help)\n";
    else
      std::cerr << "samflyt: " << e.what() << " (see --help)\n";
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(config.log_level));

  try {
    core::load_time_zone();  // deadlines need it: fail here, not on the first request
    if (*serve) run_serve(config);
    if (*migrate) run_migrate(config);
    if (*demo) run_demo(config);
    if (*check) return run_check(check_files);
    if (*poll) {
      if (!poll_inbox.empty()) config.message_inbox = poll_inbox;
      if (!poll_outbox.empty()) config.message_outbox = poll_outbox;
      return run_msg_poll(config);
    }
    if (*inspect)
      return run_msg_inspect(
          inspect_files, inspect_schemas.empty() ? config.message_schemas : inspect_schemas,
          inspect_test_identities || config.allow_test_identities, config.message_own_her_ids);
    if (*routes) {
      // The routes need a context, not data: a throw-away database.
      auto dir = fs::temp_directory_path() / ("samflyt-routes-" + std::to_string(getpid()));
      config.db = (dir / "routes.db").string();
      {
        App app(config);
        http::Router router;
        api::add_routes(router, app.ctx);
        web::add_web_routes(router, app.ctx, {});
        for (const auto& r : router.routes()) std::cout << r.method << " " << r.pattern << "\n";
      }
      fs::remove_all(dir);
    }
    if (*user || *org || *token || *audit) {
      App app(config);
      if (*user_add) {
        auto u = app.check(service::create_user(
            app.ctx,
            {admin.username, admin.display_name,
             core::parse_account_kind(admin.kind).value_or(core::AccountKind::staff),
             admin_password(admin), admin.staff_id, admin.hpr_number, admin.oidc_subject}));
        std::cout << u.id << "\n";
      }
      if (*user_disable) app.check(service::set_user_disabled(app.ctx, admin.username, true));
      if (*user_enable) app.check(service::set_user_disabled(app.ctx, admin.username, false));
      if (*user_reset)
        app.check(service::reset_password(app.ctx, admin.username, admin_password(admin)));
      if (*user_grant)
        app.check(service::grant_role(app.ctx, admin.username, admin.role, admin.organisation_id));
      if (*user_link)
        app.check(service::link_family_member(
            app.ctx, admin.username, admin.patient_id,
            core::parse_family_relation(admin.relation).value_or(core::FamilyRelation::guardian)));
      if (*org_add) {
        core::Organisation o;
        o.name = admin.org_name;
        o.kind = core::parse_org_kind(admin.org_kind).value_or(core::OrgKind::municipality);
        o.org_number = admin.org_number;
        if (org_add->count("--her-id") > 0) o.her_id = admin.her_id;
        o.parent_id = admin.parent_id;
        std::cout << app.check(service::create_organisation(app.ctx, o)).id << "\n";
      }
      if (*token_create)
        std::cout << app.check(service::create_token(app.ctx, admin.username, admin.token_name,
                                                     std::chrono::days(admin.token_days)))
                  << "\n";
      if (*token_list)
        for (const auto& t : app.check(service::list_tokens(app.ctx, admin.username)))
          std::cout << t.id << "  " << t.name << "  created " << core::format_instant(t.created_at)
                    << (t.expires_at ? "  expires " + core::format_instant(*t.expires_at) : "")
                    << (t.revoked_at ? "  REVOKED " + core::format_instant(*t.revoked_at) : "")
                    << "\n";
      if (*token_revoke) app.check(service::revoke_token(app.ctx, admin.token_id));
      if (*audit_verify) {
        auto v = app.check(service::verify_audit_log(app.ctx));
        std::cout << v.rows << " rows; head " << v.head_seq << " " << v.head_hash << "\n";
        if (v.first_bad_seq) {
          std::cerr << "samflyt: the audit log is broken at row " << *v.first_bad_seq << ": "
                    << v.problem << "\n";
          return 1;
        }
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "samflyt: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
