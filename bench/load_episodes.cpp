// bench_load_episodes: fills a new SQLite database with N synthetic
// episodes of the STHF pathway (sthf-child-one-to-one) for the HTTP
// benchmark in bench/run.sh, and prints how long the load took.
//
//   bench_load_episodes --db FILE --episodes 100000 [--pathways pathways] [--seed S]
//
// What it does:
//   1. opens FILE (which must not exist yet) with the product's SQLite store,
//      which applies the migrations;
//   2. loads the STHF template and the demo health community (hospital trust
//      and units, the 17 Telemark municipalities, staff, three children) with
//      the product's use cases;
//   3. inserts N patients and N episodes with all their tasks through the
//      store's repositories, 2000 episodes per write transaction. Each episode
//      started at a random time in the last 120 days and has been brought to
//      a realistic stage with core::change_task (see `Stage` below), so that
//      deadlines are met by most and missed by some, as in real life;
//   4. writes FILE.episode_ids (the N episode ids, one per line) and
//      FILE.org_ids (the municipality and hospital unit ids, one per line)
//      for the load generator's scripts.
//
// Everything is invented: names from two small lists, national ids are
// synthetic test numbers (month + 80) with valid check digits, unique per
// patient. The data's shape is reproducible with --seed; the ids are random.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "auth/secrets.hpp"
#include "bench_support.hpp"
#include "service/use_cases.hpp"
#include "store/sqlite_store.hpp"
#include "store/system_env.hpp"

namespace fs = std::filesystem;
using namespace samflyt;
using bench::need;
using bench::seconds_since;
using std::chrono::seconds;

namespace {

constexpr const char* kPathwayFile = "sthf-child-one-to-one.yaml";
constexpr int kEpisodesPerTransaction = 2000;
constexpr int kSpreadDays = 120;

// Roughly the municipalities' populations (thousands), so that Skien and
// Porsgrunn get the most children, Fyresdal and Nissedal the fewest.
struct Weighted {
  const char* municipality;
  double weight;
};
constexpr std::array<Weighted, 17> kMunicipalityWeights{{
    {"Skien", 55.0},
    {"Porsgrunn", 37.0},
    {"Bamble", 14.0},
    {"Notodden", 13.0},
    {"Midt-Telemark", 11.0},
    {"Kragerø", 10.0},
    {"Nome", 6.5},
    {"Tinn", 5.6},
    {"Drangedal", 4.0},
    {"Vinje", 3.7},
    {"Seljord", 3.0},
    {"Kviteseid", 2.4},
    {"Siljan", 2.3},
    {"Tokke", 2.2},
    {"Hjartdal", 1.6},
    {"Nissedal", 1.5},
    {"Fyresdal", 1.3},
}};

constexpr std::array<const char*, 24> kFirstNames{
    "Emma",  "Nora",  "Sofie", "Olivia",  "Ella",  "Ingrid",  "Sara",     "Leah",
    "Maja",  "Frida", "Hedda", "Tiril",   "Jakob", "Emil",    "Noah",     "Oliver",
    "Filip", "Lukas", "Isak",  "William", "Aksel", "Theodor", "Johannes", "Magnus"};
constexpr std::array<const char*, 24> kLastNames{
    "Bakken",   "Haugen",  "Lunde",   "Moen",    "Nygård", "Solberg", "Tveit",  "Aasen",
    "Bergland", "Dahl",    "Eide",    "Fjeld",   "Grønli", "Hovde",   "Kvamme", "Lien",
    "Myhre",    "Nesheim", "Ramberg", "Sandvik", "Strand", "Tufte",   "Vik",    "Østby"};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes lines to `path` through a temporary file, so that a reader never
// sees half a file.
void write_lines(const fs::path& path, const std::vector<std::string>& lines) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    for (const auto& l : lines) out << l << '\n';
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

// Each step's expected time after the start, in days, for a child at median
// pace: the steps before a start-anchored deadline are spread evenly so that
// the deadline step is reached at 60 % of its allowance; after the last one,
// a step takes 2.5 days. For the STHF template that is: PLO sent after half a
// day, planning meeting 1 after 8.4 days, home and follow-up after ~46 days.
std::vector<double> expected_days(const core::PathwayTemplate& t) {
  std::vector<double> days(t.steps.size(), 0.0);
  std::size_t from = 0;  // first step not yet placed
  double at = 0.0;       // time of the last placed step
  for (std::size_t k = 0; k < t.steps.size(); ++k) {
    const auto& rule = t.steps[k].deadline;
    if (!rule || rule->anchor != core::DeadlineRule::Anchor::start) continue;
    double cap = std::max(at + 0.1, 0.6 * std::max(rule->days, 1));
    for (std::size_t j = from; j <= k; ++j)
      days[j] =
          at + (cap - at) * static_cast<double>(j - from + 1) / static_cast<double>(k - from + 1);
    from = k + 1;
    at = cap;
  }
  for (std::size_t j = from; j < t.steps.size(); ++j)
    days[j] = at + 2.5 * static_cast<double>(j - from + 1);
  return days;
}

struct Stats {
  long tasks = 0;
  long overdue_tasks = 0;
  long episodes_with_overdue = 0;
  long completed_episodes = 0;
  std::map<std::string, long> overdue_by_org;
  std::map<std::string, long> by_state;
};

class Generator {
 public:
  Generator(service::Context& ctx, const core::PathwayTemplate& pathway, std::uint64_t seed,
            core::Instant now)
      : ctx_(ctx), pathway_(pathway), rng_(seed), now_(now), expected_(expected_days(pathway)) {}

  void set_organisations(std::vector<std::string> municipalities, std::vector<double> weights,
                         std::vector<std::string> units, std::vector<double> unit_weights) {
    municipalities_ = std::move(municipalities);
    pick_municipality_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    units_ = std::move(units);
    pick_unit_ = std::discrete_distribution<std::size_t>(unit_weights.begin(), unit_weights.end());
  }

  // Inserts one patient and one episode with its tasks; returns the
  // episode's id.
  std::string add(service::Transaction& tx, Stats& stats) {
    auto patient = new_patient();

    core::Episode e;
    e.id = ctx_.ids.new_id();
    e.patient_id = patient.id;
    e.pathway_id = pathway_.id;
    e.pathway_version = pathway_.version;
    e.hospital_unit_id = units_[pick_unit_(rng_)];
    e.municipality_id = patient.municipality_id;
    e.started_at = now_ - seconds(static_cast<long>(uniform_(rng_) * kSpreadDays * 86400.0));
    e.created_at = e.started_at;
    e.updated_at = e.started_at;
    patient.created_at = e.started_at;
    need(tx.patients().insert(patient), "insert patient");

    auto tasks = core::plan_tasks(pathway_, e, e.started_at, [&] { return ctx_.ids.new_id(); });
    advance(e, tasks);
    e.status = core::status_for(tasks);
    need(tx.episodes().insert(e), "insert episode");
    bool overdue = false;
    for (const auto& task : tasks) {
      need(tx.tasks().insert(task), "insert task");
      ++stats.tasks;
      ++stats.by_state[std::string(core::to_string(task.state))];
      if (core::is_overdue(task, now_)) {
        overdue = true;
        ++stats.overdue_tasks;
        ++stats.overdue_by_org[task.organisation_id];
      }
    }
    if (overdue) ++stats.episodes_with_overdue;
    if (e.status == core::EpisodeStatus::completed) ++stats.completed_episodes;
    return e.id;
  }

 private:
  core::Patient new_patient() {
    core::Patient p;
    p.id = ctx_.ids.new_id();
    p.name = std::string(kFirstNames[rng_() % kFirstNames.size()]) + " " +
             kLastNames[rng_() % kLastNames.size()];
    p.municipality_id = municipalities_[pick_municipality_(rng_)];
    // A child aged 0 to 17: born in 20xx, so the individual number is 500-999.
    for (int attempt = 0; attempt < 1000; ++attempt) {
      auto born = std::chrono::floor<std::chrono::days>(now_) -
                  std::chrono::days(30 + static_cast<long>(uniform_(rng_) * 17.9 * 365.25));
      std::chrono::year_month_day ymd{born};
      char nine[16];
      std::snprintf(nine, sizeof nine, "%02u%02u%02d%03d", static_cast<unsigned>(ymd.day()),
                    static_cast<unsigned>(ymd.month()) + 80U, static_cast<int>(ymd.year()) % 100,
                    500 + static_cast<int>(rng_() % 500));
      auto full = core::complete_national_id(nine);
      if (!full || national_ids_.count(*full)) continue;
      auto parsed = need(core::parse_national_id(*full, ctx_.identity), "synthetic national id");
      national_ids_.insert(*full);
      p.national_id = parsed.digits;
      p.birth_date = parsed.birth_date;
      return p;
    }
    throw std::runtime_error("cannot find a free synthetic national id");
  }

  // Stage: a child moves along the pathway at its own pace (log-normal
  // around the expected days, with some noise per step); every step whose
  // time has come is done, in template order (a dependency order), at that
  // time. 12 % of children are stuck at a random step (their pathway stalls
  // or nobody ticks the task off): they make most of the overdue tasks, as
  // late but moving children are overdue only until they catch up. The next
  // step is in progress 40 % of the time; 3 % of steps without a deadline
  // turn out not to apply.
  void advance(core::Episode& e, std::vector<core::Task>& tasks) {
    const std::size_t n = tasks.size();
    const double pace = std::exp(pace_(rng_));
    const std::size_t stuck_at = uniform_(rng_) < 0.12 ? rng_() % (n + 1) : n + 1;
    core::Instant previous = e.started_at;
    for (std::size_t k = 0; k < n; ++k) {
      if (k >= stuck_at) break;
      double days = expected_[k] * pace * std::exp(jitter_(rng_));
      core::Instant when = std::max(e.started_at + seconds(static_cast<long>(days * 86400.0)),
                                    previous + seconds(600));
      if (when > now_) {
        if (uniform_(rng_) < 0.4 && tasks[k].ready) {
          core::Instant started =
              previous + seconds(static_cast<long>(uniform_(rng_) *
                                                   static_cast<double>((now_ - previous).count())));
          change(e, tasks, k, core::TaskChange::to(core::TaskState::in_progress), started);
        }
        break;
      }
      const core::Step* step = pathway_.find_step(tasks[k].step_id);
      if (step && !step->deadline && uniform_(rng_) < 0.03) {
        auto not_applicable = core::TaskChange::to(core::TaskState::not_applicable);
        not_applicable.reason = "Ikke aktuelt (syntetiske testdata)";
        change(e, tasks, k, not_applicable, when);
      } else
        change(e, tasks, k, core::TaskChange::to(core::TaskState::done), when);
      previous = when;
    }
  }

  void change(core::Episode& e, std::vector<core::Task>& tasks, std::size_t k,
              const core::TaskChange& c, core::Instant when) {
    need(core::change_task(pathway_, e, tasks, k, c, when), "change task " + tasks[k].step_id);
    e.updated_at = std::max(e.updated_at, when);
  }

  service::Context& ctx_;
  const core::PathwayTemplate& pathway_;
  std::mt19937_64 rng_;
  core::Instant now_;
  std::vector<double> expected_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  std::normal_distribution<double> pace_{0.0, 0.5};
  std::normal_distribution<double> jitter_{0.0, 0.35};
  std::vector<std::string> municipalities_;
  std::discrete_distribution<std::size_t> pick_municipality_;
  std::vector<std::string> units_;
  std::discrete_distribution<std::size_t> pick_unit_;
  std::unordered_set<std::string> national_ids_;
};

int run(const std::string& db_path, int episodes, const std::string& pathways_dir,
        std::uint64_t seed) {
  if (fs::exists(db_path))
    throw std::runtime_error(db_path +
                             " exists; the loader fills only a new database (delete it first)");
  const fs::path template_file = fs::path(pathways_dir) / kPathwayFile;

  auto all_started = std::chrono::steady_clock::now();
  // Closed explicitly at the end: closing checkpoints the WAL into the
  // database file, which belongs to the load's cost.
  auto db_owner = std::make_unique<store::SqliteDatabase>(db_path);
  store::SqliteDatabase& db = *db_owner;
  store::SystemClock clock;
  store::RandomIds ids;
  service::TemplateCatalog templates;
  auth::SodiumSecrets secrets;
  store::SqliteDatabase audit_db(store::audit_path_for(db_path), 2, store::Schema::audit);
  service::AuditWriter audit(audit_db);
  service::Context ctx{db, clock, ids, templates, core::IdentityPolicy{true}, secrets, audit};

  auto pathway =
      need(service::load_templates(ctx, {{template_file.string(), read_file(template_file)}}),
           "load " + template_file.string())
          .front();
  if (!need(service::load_demo(ctx), "load the demo community"))
    throw std::runtime_error("the database already had organisations");

  // The demo community's municipalities and hospital units.
  std::vector<core::Organisation> orgs;
  {
    auto tx = need(db.begin(service::TxMode::read), "begin");
    orgs = need(tx->organisations().list(), "list organisations");
  }
  std::vector<std::string> municipality_ids, unit_ids, org_lines;
  std::vector<double> weights, unit_weights;
  for (const auto& w : kMunicipalityWeights) {
    auto it = std::find_if(orgs.begin(), orgs.end(), [&](const core::Organisation& o) {
      return o.kind == core::OrgKind::municipality &&
             o.name == std::string(w.municipality) + " kommune";
    });
    if (it == orgs.end())
      throw std::runtime_error(std::string("the demo has no municipality ") + w.municipality);
    municipality_ids.push_back(it->id);
    weights.push_back(w.weight);
  }
  for (const auto& o : orgs) {
    if (o.kind != core::OrgKind::hospital_unit) continue;
    unit_ids.push_back(o.id);
    // Most children are in the children's ward; some in the home hospital.
    unit_weights.push_back(o.name.find("Hjemmesykehus") != std::string::npos ? 1.0 : 4.0);
  }
  if (unit_ids.empty()) throw std::runtime_error("the demo has no hospital unit");
  org_lines = municipality_ids;
  org_lines.insert(org_lines.end(), unit_ids.begin(), unit_ids.end());

  const core::Instant now = clock.now();
  Generator gen(ctx, *pathway, seed, now);
  gen.set_organisations(municipality_ids, weights, unit_ids, unit_weights);

  std::cout << "loading " << episodes << " episodes of " << pathway->id << " ("
            << pathway->steps.size() << " steps) into " << db_path << "\n"
            << std::flush;
  Stats stats;
  std::vector<std::string> episode_ids;
  episode_ids.reserve(static_cast<std::size_t>(episodes));
  auto load_started = std::chrono::steady_clock::now();
  double commit_seconds = 0.0;
  for (int done = 0; done < episodes;) {
    auto tx = need(db.begin(service::TxMode::write), "begin");
    int batch_end = std::min(episodes, done + kEpisodesPerTransaction);
    for (; done < batch_end; ++done) episode_ids.push_back(gen.add(*tx, stats));
    auto commit_started = std::chrono::steady_clock::now();
    need(tx->commit(), "commit");
    commit_seconds += seconds_since(commit_started);
    if (done % 10000 == 0 || done == episodes) {
      double s = seconds_since(load_started);
      std::cout << "  " << done << " episodes, " << stats.tasks << " tasks, "
                << static_cast<long>(s) << " s (" << static_cast<long>(done / s) << " episodes/s)\n"
                << std::flush;
    }
  }
  const double load_seconds = seconds_since(load_started);
  auto wal_bytes = fs::exists(db_path + "-wal") ? fs::file_size(db_path + "-wal") : 0;
  auto close_started = std::chrono::steady_clock::now();
  db_owner.reset();
  const double close_seconds = seconds_since(close_started);

  write_lines(db_path + ".org_ids", org_lines);
  write_lines(db_path + ".episode_ids", episode_ids);

  const long rows = 2L * episodes + stats.tasks;  // patients, episodes, tasks
  const double total_load = load_seconds + close_seconds;
  std::printf(
      "\nload time            %.1f s: inserts %.1f s (of which %.1f s in %d commits), closing %.1f "
      "s\n",
      total_load, load_seconds, commit_seconds,
      (episodes + kEpisodesPerTransaction - 1) / kEpisodesPerTransaction, close_seconds);
  std::printf("                     (closing checkpoints the %.0f MB WAL into the database file)\n",
              static_cast<double>(wal_bytes) / 1e6);
  std::printf("rows                 %ld (%d patients, %d episodes, %ld tasks)\n", rows, episodes,
              episodes, stats.tasks);
  std::printf("throughput           %.0f rows/s, %.0f episodes/s (inserts and closing)\n",
              static_cast<double>(rows) / total_load, episodes / total_load);
  std::printf("total with set-up    %.1f s\n", seconds_since(all_started));
  std::printf("completed episodes   %ld (%.1f %%)\n", stats.completed_episodes,
              100.0 * static_cast<double>(stats.completed_episodes) / episodes);
  std::printf(
      "episodes overdue     %ld (%.1f %%), overdue tasks %ld\n", stats.episodes_with_overdue,
      100.0 * static_cast<double>(stats.episodes_with_overdue) / episodes, stats.overdue_tasks);
  std::printf("task states         ");
  for (const auto& [state, count] : stats.by_state) std::printf(" %s %ld", state.c_str(), count);
  std::printf("\noverdue tasks per organisation (worklist size):\n");
  for (const auto& o : orgs) {
    auto it = stats.overdue_by_org.find(o.id);
    if (it != stats.overdue_by_org.end()) std::printf("  %-50s %6ld\n", o.name.c_str(), it->second);
  }
  if (auto it = stats.overdue_by_org.find(""); it != stats.overdue_by_org.end())
    std::printf("  %-50s %6ld\n", "(the family's tasks)", it->second);
  std::printf("file size            %.0f MB\n", static_cast<double>(fs::file_size(db_path)) / 1e6);
  std::printf("wrote %s.episode_ids and %s.org_ids\n", db_path.c_str(), db_path.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Loads synthetic STHF episodes into a new SQLite database for the benchmarks"};
  std::string db;
  int episodes = 100000;
  std::string pathways = "pathways";
  std::uint64_t seed = 20240501;
  app.add_option("--db", db, "the SQLite database file to create")->required();
  app.add_option("--episodes", episodes, "how many episodes (and patients) to insert")
      ->check(CLI::Range(1, 10'000'000));
  app.add_option("--pathways", pathways, "the folder with " + std::string(kPathwayFile))
      ->check(CLI::ExistingDirectory);
  app.add_option("--seed", seed, "seed of the data's shape (stages, names, municipalities)");
  CLI11_PARSE(app, argc, argv);
  try {
    return run(db, episodes, pathways, seed);
  } catch (const std::exception& e) {
    std::cerr << "bench_load_episodes: " << e.what() << "\n";
    return 1;
  }
}
