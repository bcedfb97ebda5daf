// samflyt: the server binary and its subcommands. This is where the layers
// are wired together: the SQLite store and the system clock and ids behind
// the service ports, the API's routes on the HTTP server.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "api/routes.hpp"
#include "cli/config.hpp"
#include "http/server.hpp"
#include "service/use_cases.hpp"
#include "store/sqlite_store.hpp"
#include "store/system_env.hpp"

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
        ctx{db, clock, ids, templates, core::IdentityPolicy{config.allow_test_identities}} {}
  store::SqliteDatabase db;
  store::SystemClock clock;
  store::RandomIds ids;
  service::TemplateCatalog templates;
  service::Context ctx;

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

void run_serve(const cli::Config& config) {
  auto address = cli::parse_listen(config.listen);
  if (!cli::is_loopback(address.host))
    throw UserError("refusing to listen on " + address.host +
                    ": until access control exists, samflyt serves only on loopback addresses "
                    "(127.0.0.1, ::1, localhost)");
  App app(config);
  app.load_templates(config.pathways);
  http::Router router;
  api::add_routes(router, app.ctx);
  http::ServerOptions options;
  options.host = address.host == "localhost" ? "127.0.0.1" : address.host;
  options.port = address.port;
  options.threads = static_cast<std::size_t>(config.threads);
  options.new_request_id = [&app] { return app.ids.new_id(); };
  spdlog::info("database {} (schema version {})", config.db, app.db.schema_version());
  http::serve(options, router, api::render_failure);
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

  std::vector<std::string> check_files;
  auto* check = cli.add_subcommand("check", "Validate pathway template files");
  check->add_option("files", check_files, "template files (YAML)")
      ->required()
      ->check(CLI::ExistingFile);

  // Settings from the file and the environment first; flags then override.
  cli.parse_complete_callback([&] {
    try {
      cli::Config from_flags = config;
      config = cli::Config{};
      if (!config_file.empty()) cli::read_config_file(config_file, config);
      cli::read_environment(config);
      for (auto* sub : {serve, migrate, demo}) {
        if (sub->count("--db")) config.db = from_flags.db;
        if (sub->get_option_no_throw("--pathways") && sub->count("--pathways"))
          config.pathways = from_flags.pathways;
      }
      if (serve->count("--listen")) config.listen = from_flags.listen;
      if (serve->count("--threads")) config.threads = from_flags.threads;
      if (serve->count("--allow-test-identities")) config.allow_test_identities = true;
    } catch (const std::exception& e) {
      throw CLI::ValidationError(e.what());
    }
  });

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  spdlog::set_level(spdlog::level::from_str(config.log_level));

  try {
    core::load_time_zone();  // deadlines need it: fail here, not on the first request
    if (*serve) run_serve(config);
    if (*migrate) run_migrate(config);
    if (*demo) run_demo(config);
    if (*check) return run_check(check_files);
  } catch (const std::exception& e) {
    std::cerr << "samflyt: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
