// Scenarios that golden files cannot express well: loops over the whole
// pathway, time, crashes, large bodies, concurrency and the command line.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "server.hpp"

namespace samflyt::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const char* kUnit = "Barne- og ungdomsklinikken, barneavdelingen";

std::string iso_days_ago(int days) {
  auto t = std::chrono::system_clock::now() - std::chrono::hours(24 * days);
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&tt));
  return buf;
}

// Registers a patient and starts the STHF pathway; returns the episode.
json start_episode(Server& server, int nid, const std::string& municipality,
                   int started_days_ago = 0) {
  auto patient =
      server.post_json("/api/v1/patients", {{"national_id", synthetic_national_id(nid)},
                                            {"name", "Testbarn Scenario"},
                                            {"municipality_id", server.org_id(municipality)}});
  EXPECT_EQ(patient.status, 201) << patient.body;
  json body{{"patient_id", patient.json()["id"]},
            {"pathway_id", "sthf-child-one-to-one"},
            {"hospital_unit_id", server.org_id(kUnit)},
            {"municipality_id", server.org_id(municipality)}};
  if (started_days_ago > 0) body["started_at"] = iso_days_ago(started_days_ago);
  auto episode = server.post_json("/api/v1/episodes", body);
  EXPECT_EQ(episode.status, 201) << episode.body;
  return episode.json();
}

HttpResponse patch_task(Server& server, const json& task, const json& change) {
  return server.request("PATCH", "/api/v1/tasks/" + task["id"].get<std::string>(), change.dump(),
                        {{"Content-Type", "application/json"},
                         {"If-Match", "\"" + std::to_string(task["version"].get<int>()) + "\""}});
}

TEST(Scenario, CompletingEveryTaskInOrderFinishesTheEpisode) {
  Server server;
  server.as("kari.sorbo");
  json episode = start_episode(server, 101, "Skien kommune");
  std::string path = "/api/v1/episodes/" + episode["id"].get<std::string>();
  std::size_t total = episode["tasks"].size();
  ASSERT_EQ(total, 28u);

  for (std::size_t done = 0; done < total; ++done) {
    json current = server.get(path).json();
    EXPECT_EQ(current["status"], "active");
    // Every ready task is waiting for nothing, every blocked one for something.
    const json* next = nullptr;
    for (const auto& t : current["tasks"]) {
      EXPECT_EQ(t["ready"].get<bool>(), t["waiting_for"].empty()) << t["step_id"];
      if (!next && t["state"] == "open" && t["ready"] == true) next = &t;
    }
    ASSERT_NE(next, nullptr) << "no ready task after " << done << " done";
    auto r = patch_task(server, *next, {{"state", "done"}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  json finished = server.get(path).json();
  EXPECT_EQ(finished["status"], "completed");
  EXPECT_EQ(finished["overdue_count"], 0);
  for (const auto& [lane, ids] : finished["next"].items()) EXPECT_TRUE(ids.empty()) << lane;

  // Reopening one task makes the episode active again.
  json last = finished["tasks"].back();
  ASSERT_EQ(patch_task(server, last, {{"state", "open"}}).status, 200);
  EXPECT_EQ(server.get(path).json()["status"], "active");
}

TEST(Scenario, OverdueTasksAppearInTheWorklistUntilHandled) {
  Server server;
  server.as("kari.sorbo");
  json fresh = start_episode(server, 102, "Tinn kommune");
  json late = start_episode(server, 103, "Tinn kommune", 20);
  std::string tinn = server.org_id("Tinn kommune");
  server.add_user("tinn.saksbehandler", "saksbehandler", "Tinn kommune");
  server.as("tinn.saksbehandler");

  // Started 20 days ago: calling the meeting (7 days) and meeting 1 (14
  // days) are overdue; the fresh episode has nothing overdue.
  json overdue =
      server.get("/api/v1/tasks?organisation_id=" + tinn + "&overdue=true").json()["items"];
  std::vector<std::string> steps;
  for (const auto& t : overdue) {
    EXPECT_EQ(t["episode_id"], late["id"]);
    EXPECT_EQ(t["overdue"], true);
    steps.push_back(t["step_id"]);
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"call-planning-meeting", "planning-meeting-1"}));

  json episodes =
      server.get("/api/v1/episodes?overdue=true&municipality_id=" + tinn).json()["items"];
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0]["id"], late["id"]);
  EXPECT_EQ(
      server.get("/api/v1/episodes/" + fresh["id"].get<std::string>()).json()["overdue_count"], 0);

  // The hospital's PLO notice (due the day after start) is overdue in the unit's list.
  server.as("kari.sorbo");
  json unit_overdue =
      server.get("/api/v1/tasks?organisation_id=" + server.org_id(kUnit) + "&overdue=true")
          .json()["items"];
  bool plo = false;
  for (const auto& t : unit_overdue)
    plo = plo || (t["episode_id"] == late["id"] && t["step_id"] == "send-plo");
  EXPECT_TRUE(plo);

  // Handling both removes them from the overdue worklist.
  for (const auto& t : overdue)
    ASSERT_EQ(
        patch_task(server, t, {{"state", "not_applicable"}, {"reason", "Avklart på telefon."}})
            .status,
        200);
  server.as("tinn.saksbehandler");
  EXPECT_TRUE(server.get("/api/v1/tasks?organisation_id=" + tinn + "&overdue=true")
                  .json()["items"]
                  .empty());
}

TEST(Scenario, ABodyOverOneMebibyteIsRefusedWith413) {
  Server server;
  server.as("kari.sorbo");
  std::string big = "{\"name\": \"" + std::string(1536 * 1024, 'x') + "\"}";
  auto r = server.request("POST", "/api/v1/patients", big, {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.header("content-type"), "application/problem+json; charset=utf-8");
  EXPECT_EQ(r.json()["type"], "urn:samflyt:problem:payload-too-large");
  EXPECT_FALSE(r.json()["detail_nb"].get<std::string>().empty());
  EXPECT_EQ(server.get("/api/v1/health").status, 200);
}

TEST(Scenario, CommittedDataSurvivesACrash) {
  Server server;
  server.as("kari.sorbo");
  json episode = start_episode(server, 104, "Bamble kommune");
  json task = episode["tasks"][1];
  ASSERT_EQ(patch_task(server, task, {{"state", "done"}}).status, 200);
  server.crash();
  server.start();
  auto after = server.get("/api/v1/episodes/" + episode["id"].get<std::string>());
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.json()["tasks"][1]["state"], "done");
  EXPECT_EQ(after.json()["tasks"][1]["version"], 2);
}

TEST(Scenario, TwoConcurrentEditsOfOneVersionGiveOneSuccessAndOneConflict) {
  Server server;
  server.as("kari.sorbo");
  json episode = start_episode(server, 105, "Kragerø kommune");
  json task = episode["tasks"][0];
  int statuses[2] = {0, 0};
  std::thread a([&] { statuses[0] = patch_task(server, task, {{"note", "A"}}).status; });
  std::thread b([&] { statuses[1] = patch_task(server, task, {{"note", "B"}}).status; });
  a.join();
  b.join();
  std::sort(std::begin(statuses), std::end(statuses));
  EXPECT_EQ(statuses[0], 200);
  EXPECT_EQ(statuses[1], 409);
  EXPECT_EQ(server.get("/api/v1/tasks/" + task["id"].get<std::string>()).json()["version"], 2);
}

TEST(Scenario, AnEditedTemplateIsANewVersionAndRunningEpisodesKeepTheirs) {
  Server server;
  server.as("kari.sorbo");
  fs::path dir = fs::path(server.dir()) / "pathways";
  fs::create_directories(dir);
  fs::copy_file(fs::path(SAMFLYT_SOURCE_DIR) / "pathways/sthf-child-one-to-one.yaml",
                dir / "sthf-child-one-to-one.yaml");
  server.set_pathways(dir.string());
  server.restart();
  json before = start_episode(server, 106, "Seljord kommune");
  std::string old_version = before["pathway_version"];
  EXPECT_EQ(server.get("/api/v1/pathways/sthf-child-one-to-one").json()["version"], old_version);

  // Edit the first step's English title and start again.
  std::string text;
  {
    std::ifstream in(dir / "sthf-child-one-to-one.yaml");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string from = "en: \"The child's and guardians' needs\"";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "en: \"What the child and family need\"");
  std::ofstream(dir / "sthf-child-one-to-one.yaml") << text;
  server.restart();

  std::string new_version = server.get("/api/v1/pathways/sthf-child-one-to-one").json()["version"];
  EXPECT_NE(new_version, old_version);
  json old_episode = server.get("/api/v1/episodes/" + before["id"].get<std::string>()).json();
  EXPECT_EQ(old_episode["pathway_version"], old_version);
  EXPECT_EQ(old_episode["tasks"][0]["title"]["en"], "The child's and guardians' needs");
  json after = start_episode(server, 107, "Seljord kommune");
  EXPECT_EQ(after["pathway_version"], new_version);
  EXPECT_EQ(after["tasks"][0]["title"]["en"], "What the child and family need");
}

// The ledger prices the days of a year the configuration gives a rate
// for, and the leaders' monthly totals come as CSV for invoicing.
TEST(Scenario, ConfiguredDayRatesPriceTheLedgerAndTheMonthlyCsv) {
  Server server;
  {
    std::ofstream cfg(server.dir() + "/rates.toml");
    cfg << "[day_rates]\n2025 = 6100\n";
  }
  server.set_config_file(server.dir() + "/rates.toml");
  server.restart();
  server.as("kari.sorbo");
  json episode = start_episode(server, 131, "Porsgrunn kommune");
  std::string path = "/api/v1/episodes/" + episode["id"].get<std::string>() + "/stay-events";
  for (const auto& [kind, at] : std::vector<std::pair<std::string, std::string>>{
           {"admitted", "2025-05-02T08:00:00Z"},
           {"admission_notice", "2025-05-02T12:00:00Z"},
           {"declared_ready", "2025-05-30T09:00:00Z"},
           {"ready_notice", "2025-05-30T10:00:00Z"},
           {"discharged", "2025-06-02T09:00:00Z"}}) {
    auto r = server.post_json(path, {{"kind", kind}, {"at", at}});
    ASSERT_EQ(r.status, 201) << kind << ": " << r.body;
  }
  auto ledger = server.get("/api/v1/episodes/" + episode["id"].get<std::string>() + "/ledger");
  ASSERT_EQ(ledger.status, 200);
  json stay = ledger.json()["stays"][0];
  EXPECT_EQ(stay["payable_days"], 3);  // 30 and 31 May, 1 June
  EXPECT_EQ(stay["amount_nok"], 3 * 6100);
  EXPECT_TRUE(stay["years_without_rate"].empty());

  server.as("vidar.strand");
  auto csv = server.get("/api/v1/ledger/monthly?year=2025&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.headers["content-type"].find("text/csv"), std::string::npos);
  std::string porsgrunn = server.org_id("Porsgrunn kommune");
  EXPECT_EQ(csv.body, "municipality_id,year,month,days,amount_nok,days_without_rate\r\n" +
                          porsgrunn + ",2025,5,2,12200,0\r\n" + porsgrunn + ",2025,6,1,6100,0\r\n");
  // A municipality's leader sees their own municipality's totals only.
  server.as("bjorn.lunde");
  auto skien_only = server.get("/api/v1/ledger/monthly?year=2025");
  ASSERT_EQ(skien_only.status, 200) << skien_only.body;
  EXPECT_TRUE(skien_only.json()["items"].empty()) << skien_only.body;
  EXPECT_EQ(server.get("/api/v1/ledger/monthly?year=2025&municipality_id=" + porsgrunn).status,
            403);

  // A rate that is not a whole positive amount stops the server from starting.
  {
    std::ofstream cfg(server.dir() + "/rates.toml");
    cfg << "[day_rates]\n2025 = \"mye\"\n";
  }
  std::string out;
  EXPECT_EQ(run_samflyt({"--config", server.dir() + "/rates.toml", "migrate", "--db",
                         server.dir() + "/other.db"},
                        &out),
            2);
  EXPECT_NE(out.find("day_rates"), std::string::npos) << out;
}

TEST(CommandLine, ServeRefusesMalformedListenAddresses) {
  std::string out;
  EXPECT_EQ(run_samflyt({"serve", "--listen", "127.0.0.1:notaport"}, &out), 1);
  EXPECT_NE(out.find("port"), std::string::npos) << out;
}

TEST(CommandLine, AMistypedCommandIsNamed) {
  std::string out;
  EXPECT_EQ(run_samflyt({"migrat", "--db", "x.db"}, &out), 2);
  EXPECT_NE(out.find("unknown command 'migrat'"), std::string::npos) << out;
  EXPECT_EQ(run_samflyt({"user", "frobnicate"}, &out), 2);
  EXPECT_NE(out.find("unknown command 'frobnicate'"), std::string::npos) << out;
  EXPECT_EQ(run_samflyt({}, &out), 2);
  EXPECT_NE(out.find("subcommand is required"), std::string::npos) << out;
}

TEST(CommandLine, CheckReportsTheFileLineAndProblem) {
  std::string out;
  EXPECT_EQ(run_samflyt({"check", "pathways/sthf-child-one-to-one.yaml"}, &out), 0) << out;
  EXPECT_NE(out.find("28 steps"), std::string::npos) << out;

  fs::path broken = fs::temp_directory_path() / "samflyt-broken-template.yaml";
  std::ofstream(broken) << "id: broken\n"
                           "title: {nb: Brutt, en: Broken}\n"
                           "lanes: [{id: a, title: {nb: A, en: A}}]\n"
                           "phases: [{id: p, title: {nb: P, en: P}}]\n"
                           "steps:\n"
                           "  - id: one\n"
                           "    lane: nowhere\n"
                           "    phase: p\n"
                           "    kind: task\n"
                           "    role: lege\n"
                           "    title: {nb: En, en: One}\n";
  EXPECT_EQ(run_samflyt({"check", broken.string()}, &out), 1);
  EXPECT_NE(out.find(broken.string() + ":6: step 'one' has unknown lane 'nowhere'"),
            std::string::npos)
      << out;
  fs::remove(broken);
}

TEST(CommandLine, ServeRefusesToStartWithBrokenOrDuplicateTemplates) {
  fs::path dir = fs::temp_directory_path() / ("samflyt-templates-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path original = fs::path(SAMFLYT_SOURCE_DIR) / "pathways/sthf-child-one-to-one.yaml";
  fs::copy_file(original, dir / "a.yaml");
  fs::copy_file(original, dir / "b.yaml");
  std::string db = (dir / "s.db").string();
  std::string out;
  EXPECT_EQ(run_samflyt(
                {"serve", "--db", db, "--listen", "127.0.0.1:1", "--pathways", dir.string()}, &out),
            1);
  EXPECT_NE(out.find("pathway 'sthf-child-one-to-one' is defined in both"), std::string::npos)
      << out;

  fs::remove(dir / "b.yaml");
  std::ofstream(dir / "c.yaml") << "id: [unclosed\n";
  EXPECT_EQ(run_samflyt(
                {"serve", "--db", db, "--listen", "127.0.0.1:1", "--pathways", dir.string()}, &out),
            1);
  EXPECT_NE(out.find("c.yaml:"), std::string::npos) << out;
  EXPECT_NE(out.find("YAML syntax error"), std::string::npos) << out;
  fs::remove_all(dir);
}

TEST(CommandLine, EverySubcommandHasHelpAndMigrateAndDemoWork) {
  for (const char* sub : {"serve", "migrate", "demo", "check"}) {
    std::string out;
    EXPECT_EQ(run_samflyt({sub, "--help"}, &out), 0) << sub;
    EXPECT_NE(out.find("Usage"), std::string::npos) << sub;
  }
  fs::path dir = fs::temp_directory_path() / ("samflyt-cli-" + std::to_string(getpid()));
  std::string db = (dir / "new.db").string();
  std::string out;
  EXPECT_EQ(run_samflyt({"migrate", "--db", db}, &out), 0) << out;
  // The newest schema: the highest migration number (NNNN_name.sql).
  int migrations = 0;
  for (const auto& f :
       fs::directory_iterator(fs::path(SAMFLYT_SOURCE_DIR) / "src/store/migrations"))
    if (f.path().extension() == ".sql")
      migrations = std::max(migrations, std::stoi(f.path().filename().string().substr(0, 4)));
  EXPECT_NE(out.find("schema version " + std::to_string(migrations)), std::string::npos) << out;
  EXPECT_EQ(run_samflyt({"demo", "--db", db}, &out), 0) << out;
  EXPECT_NE(out.find("loaded the demo"), std::string::npos) << out;
  EXPECT_EQ(run_samflyt({"demo", "--db", db}, &out), 0) << out;
  EXPECT_NE(out.find("already has data"), std::string::npos) << out;
  EXPECT_NE(run_samflyt({"frobnicate"}, &out), 0);
  // A failure is one line with the reason, also for a broken configuration file.
  std::ofstream(dir / "broken.toml") << "listen = [\n";
  EXPECT_EQ(run_samflyt({"--config", (dir / "broken.toml").string(), "migrate"}, &out), 2);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  EXPECT_EQ(out.find('\n'), std::string::npos) << out;
  EXPECT_NE(out.find("broken.toml:1"), std::string::npos) << out;

  // SAMFLYT_DB stands in for --db; the flag wins over it.
  std::string env_db = (dir / "from-env.db").string();
  setenv("SAMFLYT_DB", env_db.c_str(), 1);
  EXPECT_EQ(run_samflyt({"migrate"}, &out), 0) << out;
  EXPECT_NE(out.find("database " + env_db), std::string::npos) << out;
  EXPECT_EQ(run_samflyt({"migrate", "--db", db}, &out), 0) << out;
  EXPECT_NE(out.find("database " + db), std::string::npos) << out;
  unsetenv("SAMFLYT_DB");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace samflyt::testing
