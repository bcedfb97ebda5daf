// Sessions, CSRF, login throttling, accounts and tokens, the family's view,
// blocks with emergency access, consent, and the audit log (completeness,
// fail-closed, tamper detection), against the real server and database.
// The database is inspected and changed with the sqlite3 command-line
// tool, as an operator (or an attacker with file access) would.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "server.hpp"

namespace samflyt::testing {
namespace {

using nlohmann::json;

// Runs SQL with the sqlite3 tool on a database file; returns its output.
std::string sql_on(const std::string& file, const std::string& statement) {
  std::string cmd = "sqlite3 -batch '" + file + "' \"" + statement + "\" 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run sqlite3");
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), p)) out += buf.data();
  pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string sql(const Server& server, const std::string& statement) {
  return sql_on(server.db_path(), statement);
}

// The audit log is in its own file beside the database ("x.db" -> "x-audit.db").
std::string audit_sql(const Server& server, const std::string& statement) {
  std::string db = server.db_path();
  return sql_on(db.substr(0, db.size() - 3) + "-audit.db", statement);
}

// The first audit entry a request left: its row's action and outcome, and
// the first line of the row's entries (stored tab-separated, see
// store/migrations/audit/0002_one_row_per_request.sql).
struct AuditedEntry {
  std::string action, outcome, role, organisation_id, basis, patient_id, resource, emergency;
};

AuditedEntry first_audit_entry(const Server& server, const std::string& request_id) {
  std::string text = audit_sql(server,
                               "SELECT action || char(9) || outcome || char(9) || entries FROM "
                               "audit_log WHERE request_id = '" +
                                   request_id + "' ORDER BY seq LIMIT 1");
  std::vector<std::string> f;
  std::stringstream line(text.substr(0, text.find('\n')));
  for (std::string field; std::getline(line, field, '\t');) f.push_back(field);
  f.resize(8);
  return {f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]};
}

// What someone with the file would do first to change the log.
const char* kDropGuards = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; ";

// A browser: keeps the session cookie and the CSRF token.
struct Browser {
  explicit Browser(Server& s, std::string c = {}) : server(s), cookie(std::move(c)) {}
  Server& server;
  std::string cookie;  // "samflyt_session=..."
  std::string csrf;

  HttpResponse login(const std::string& username, const std::string& password = "demo-passord") {
    std::map<std::string, std::string> h{{"Content-Type", "application/json"}};
    if (!cookie.empty()) h["Cookie"] = cookie;
    auto r = server.request("POST", "/api/v1/session",
                            json{{"username", username}, {"password", password}}.dump(), h);
    if (r.status == 201) {
      auto set = r.header("set-cookie");
      cookie = set.substr(0, set.find(';'));
      csrf = r.json()["csrf_token"];
    }
    return r;
  }
  HttpResponse send(const std::string& method, const std::string& path, const json& body = nullptr,
                    std::map<std::string, std::string> h = {}) {
    if (!cookie.empty()) h["Cookie"] = cookie;
    if (!body.is_null()) h["Content-Type"] = "application/json";
    return server.request(method, path, body.is_null() ? "" : body.dump(), h);
  }
};

class Security : public ::testing::Test {
 protected:
  void SetUp() override {
    server.as("kari.sorbo");
    skien = server.org_id("Skien kommune");
    json list = server.get("/api/v1/episodes?municipality_id=" + skien).json();
    ida_episode = list["items"][0]["id"];
    ida_patient = list["items"][0]["patient_id"];
    server.as("");
  }
  std::string user_id(const std::string& username) {
    return sql(server, "SELECT id FROM users WHERE username = '" + username + "'");
  }
  Server server;
  std::string skien, ida_episode, ida_patient;
};

TEST_F(Security, LoginSetsAStrictHttpOnlyCookieAndANewSessionIdEveryTime) {
  Browser b(server);
  EXPECT_EQ(b.send("GET", "/api/v1/session").status, 401);
  // A session id planted before login (fixation) is not adopted.
  b.cookie = "samflyt_session=planted-by-an-attacker";
  EXPECT_EQ(b.send("GET", "/api/v1/session").status, 401);
  auto r = b.login("kari.sorbo");
  ASSERT_EQ(r.status, 201) << r.body;
  auto set = r.header("set-cookie");
  EXPECT_NE(set.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(set.find("planted-by-an-attacker"), std::string::npos);
  EXPECT_EQ(r.json()["user"]["username"], "kari.sorbo");
  std::string first = b.cookie;
  EXPECT_EQ(b.send("GET", "/api/v1/session").status, 200);

  // Logging in again from the same browser ends the old session.
  ASSERT_EQ(b.login("kari.sorbo").status, 201);
  EXPECT_NE(b.cookie, first);
  Browser old(server, first);
  EXPECT_EQ(old.send("GET", "/api/v1/session").status, 401);
  // The database holds digests, never the cookie's secret.
  std::string secret = b.cookie.substr(b.cookie.find('=') + 1);
  EXPECT_EQ(sql(server, "SELECT count(*) FROM sessions WHERE id_digest = '" + secret + "'"), "0");
}

TEST_F(Security, StateChangingCookieRequestsNeedTheCsrfToken) {
  Browser b(server);
  ASSERT_EQ(b.login("kari.sorbo").status, 201);
  json episode = b.send("GET", "/api/v1/episodes/" + ida_episode).json();
  json task = episode["tasks"][0];
  std::string path = "/api/v1/tasks/" + task["id"].get<std::string>();
  std::string version = "\"" + std::to_string(task["version"].get<int>()) + "\"";
  json change{{"note", "Endret av en annen side"}};
  // After a page reload the browser gets its CSRF token again.
  EXPECT_EQ(b.send("GET", "/api/v1/session").json()["csrf_token"], b.csrf);

  auto no_token = b.send("PATCH", path, change, {{"If-Match", version}});
  EXPECT_EQ(no_token.status, 403);
  EXPECT_NE(no_token.body.find("CSRF"), std::string::npos);
  auto wrong = b.send("PATCH", path, change, {{"If-Match", version}, {"X-CSRF-Token", "gjett"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(b.send("GET", path).json()["version"], task["version"]);  // unchanged

  auto right = b.send("PATCH", path, change, {{"If-Match", version}, {"X-CSRF-Token", b.csrf}});
  EXPECT_EQ(right.status, 200) << right.body;

  // Logging out needs the token too, and ends the session.
  EXPECT_EQ(b.send("DELETE", "/api/v1/session").status, 403);
  auto out = b.send("DELETE", "/api/v1/session", nullptr, {{"X-CSRF-Token", b.csrf}});
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(b.send("GET", "/api/v1/session").status, 401);

  // Bearer tokens are not sent by browsers on their own, so they need no CSRF token.
  server.as("kari.sorbo");
  std::string now_version = "\"" + std::to_string(right.json()["version"].get<int>()) + "\"";
  auto bearer = server.request("PATCH", path, json{{"note", "Fra integrasjon"}}.dump(),
                               {{"Content-Type", "application/json"}, {"If-Match", now_version}});
  EXPECT_EQ(bearer.status, 200) << bearer.body;
}

TEST_F(Security, ALoginPostedFromAnotherSitesPageIsRefused) {
  // Login CSRF: another site's page logs the browser into an account of
  // its choosing. The browser says where the form was (Sec-Fetch-Site).
  for (const char* site : {"cross-site", "same-site"}) {
    auto api = server.request("POST", "/api/v1/session",
                              json{{"username", "kari.sorbo"}, {"password", "demo-passord"}}.dump(),
                              {{"Content-Type", "application/json"}, {"Sec-Fetch-Site", site}});
    EXPECT_EQ(api.status, 403) << site;
    EXPECT_TRUE(api.cookies.empty());
    auto form = server.request(
        "POST", "/login", "username=kari.sorbo&password=demo-passord",
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Sec-Fetch-Site", site}});
    EXPECT_EQ(form.status, 403) << site;
    EXPECT_TRUE(form.cookies.empty());
  }
  auto own = server.request(
      "POST", "/login", "username=kari.sorbo&password=demo-passord",
      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Sec-Fetch-Site", "same-origin"}});
  EXPECT_EQ(own.status, 303);
  EXPECT_FALSE(own.cookies.empty());
}

TEST_F(Security, TenFailedLoginsThrottleTheAccountVisiblyToAdmins) {
  Browser b(server);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(b.login("anders.holtan", "feil-passord").status, 401);
  // Even the right password is refused now, with a clear message.
  auto r = b.login("anders.holtan");
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.json()["detail_nb"].get<std::string>().find("15 minutter"), std::string::npos);
  // Other accounts are not affected.
  EXPECT_EQ(Browser(server).login("kari.sorbo").status, 201);
  // Administrators see the account; others may not look.
  server.as("admin");
  json throttled = server.get("/api/v1/admin/login-throttles").json();
  ASSERT_EQ(throttled["items"].size(), 1u);
  EXPECT_EQ(throttled["items"][0]["username"], "anders.holtan");
  EXPECT_GE(throttled["items"][0]["failures"], 10);
  server.as("kari.sorbo");
  EXPECT_EQ(server.get("/api/v1/admin/login-throttles").status, 403);
  // A wrong username is answered like a wrong password.
  auto unknown = Browser(server).login("ingen.slik", "feil-passord");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.json()["detail"], b.login("kari.sorbo", "feil-passord").json()["detail"]);
}

TEST_F(Security, DisabledAccountsAndTheirTokensAndSessionsStopWorking) {
  Browser b(server);
  ASSERT_EQ(b.login("anders.holtan").status, 201);
  server.as("anders.holtan");
  EXPECT_EQ(server.get("/api/v1/episodes/" + ida_episode).status, 200);
  std::string out;
  ASSERT_EQ(run_samflyt(
                {"user", "disable", "--db", server.db_path(), "--username", "anders.holtan"}, &out),
            0)
      << out;
  EXPECT_EQ(server.get("/api/v1/episodes/" + ida_episode).status, 401);
  EXPECT_EQ(b.send("GET", "/api/v1/session").status, 401);
  EXPECT_EQ(Browser(server).login("anders.holtan").status, 401);
  // Usernames are ASCII, so that case never makes two accounts of one name.
  EXPECT_EQ(run_samflyt(
                {"user", "add", "--db", server.db_path(), "--username", "bjørn", "--name", "Bjørn"},
                &out),
            1);
  EXPECT_NE(out.find("write ø as o"), std::string::npos) << out;
  EXPECT_NE(run_samflyt({"user", "add", "--db", server.db_path(), "--username", "KARI.SORBO",
                         "--name", "Kari igjen"},
                        &out),
            0);
  // Passwords are stored as argon2id hashes with at least 19 MiB and 2 passes.
  std::string hash = sql(server, "SELECT password_hash FROM users WHERE username = 'kari.sorbo'");
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << hash;
}

TEST_F(Security, TokensExpireAndAreRevokedAtOnce) {
  std::string out;
  ASSERT_EQ(run_samflyt({"token", "create", "--db", server.db_path(), "--username", "kari.sorbo",
                         "--name", "integrasjon", "--days", "30"},
                        &out),
            0);
  std::string token = out.substr(0, out.find('\n'));
  auto with = [&](const std::string& t) {
    return server.request("GET", "/api/v1/session", "", {{"Authorization", "Bearer " + t}});
  };
  EXPECT_EQ(with(token).status, 200);
  ASSERT_EQ(
      run_samflyt({"token", "list", "--db", server.db_path(), "--username", "kari.sorbo"}, &out),
      0);
  EXPECT_NE(out.find("integrasjon"), std::string::npos) << out;
  EXPECT_NE(out.find("expires"), std::string::npos) << out;
  EXPECT_EQ(out.find(token), std::string::npos) << "a token list must not show secrets";
  std::string id = sql(server, "SELECT id FROM api_tokens WHERE name = 'integrasjon'");
  ASSERT_EQ(run_samflyt({"token", "revoke", "--db", server.db_path(), "--id", id}, &out), 0) << out;
  EXPECT_EQ(with(token).status, 401);
  // An expired token is refused like a revoked one.
  ASSERT_EQ(run_samflyt({"token", "create", "--db", server.db_path(), "--username", "kari.sorbo",
                         "--name", "gammel"},
                        &out),
            0);
  std::string old = out.substr(0, out.find('\n'));
  sql(server, "UPDATE api_tokens SET expires_at = 1000 WHERE name = 'gammel'");
  EXPECT_EQ(with(old).status, 401);
}

TEST_F(Security, ASelfAuthorisationGivesReadingButNotTheCareTeam) {
  server.as("jorunn.lia");
  EXPECT_EQ(server.get("/api/v1/episodes/" + ida_episode).status, 403);
  ASSERT_EQ(server
                .post_json("/api/v1/episodes/" + ida_episode + "/self-authorisations",
                           {{"reason", "Pasienten er innlagt akutt i Bamble"}, {"hours", 2}})
                .status,
            201);
  EXPECT_EQ(server.get("/api/v1/episodes/" + ida_episode).status, 200);
  auto join = server.post_json("/api/v1/episodes/" + ida_episode + "/care-team",
                               {{"user_id", user_id("jorunn.lia")}, {"role", "saksbehandler"}});
  EXPECT_EQ(join.status, 403) << join.body;
}

TEST_F(Security, FamilyMembersSeeOnlyTheirChildAndNoStaffNotes) {
  // A note by staff on one of Ida's tasks.
  server.as("kari.sorbo");
  json episode = server.get("/api/v1/episodes/" + ida_episode).json();
  json task = episode["tasks"][0];
  ASSERT_EQ(server
                .request("PATCH", "/api/v1/tasks/" + task["id"].get<std::string>(),
                         json{{"note", "Intern vurdering"}}.dump(),
                         {{"Content-Type", "application/json"},
                          {"If-Match", "\"" + std::to_string(task["version"].get<int>()) + "\""}})
                .status,
            200);

  server.as("forelder.ida");
  json seen = server.get("/api/v1/episodes/" + ida_episode).json();
  EXPECT_EQ(seen["tasks"].size(), episode["tasks"].size());  // under 12: the whole plan
  for (const auto& t : seen["tasks"]) {
    EXPECT_TRUE(t["note"].is_null() || t["note"] == "") << t.dump();
    EXPECT_TRUE(t["assignee_id"].is_null()) << t.dump();
  }
  json listed = server.get("/api/v1/episodes").json();
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["id"], ida_episode);
  // Not the other children's, and no writes.
  EXPECT_EQ(server
                .request("PATCH", "/api/v1/tasks/" + task["id"].get<std::string>(),
                         json{{"note", "Fra forelder"}}.dump(),
                         {{"Content-Type", "application/json"}, {"If-Match", "\"2\""}})
                .status,
            403);
  server.as("forelder.jonas");
  EXPECT_EQ(server.get("/api/v1/episodes/" + ida_episode).status, 403);
}

// A synthetic national id (month + 80) for a birth date in 2000-2039.
std::string synthetic_id(int day, int month, int year) {
  for (int individual = 500; individual < 750; ++individual) {
    char d[48];
    std::snprintf(d, sizeof d, "%02d%02d%02d%03d", day, month + 80, year % 100, individual);
    const int w1[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2}, w2[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    int s1 = 0, s2 = 0;
    for (int i = 0; i < 9; ++i) s1 += (d[i] - '0') * w1[i];
    int k1 = (11 - s1 % 11) % 11;
    if (k1 == 10) continue;
    std::string ten = std::string(d) + static_cast<char>('0' + k1);
    for (int i = 0; i < 10; ++i) s2 += (ten[static_cast<std::size_t>(i)] - '0') * w2[i];
    int k2 = (11 - s2 % 11) % 11;
    if (k2 == 10) continue;
    return ten + static_cast<char>('0' + k2);
  }
  throw std::runtime_error("no synthetic id");
}

TEST_F(Security, GuardiansOfA13YearOldSeeTheRestrictedViewAndOfA16YearOldNothing) {
  server.as("kari.sorbo");
  std::string unit = server.org_id("Barne- og ungdomsklinikken, barneavdelingen");
  std::map<std::string, std::string> episode_of;
  // 13 and 16 on 2026-11-23 (and on any later day for years to come: the
  // expectations below hold while they are 12-15 and 16+).
  for (const auto& [who, nid] :
       {std::pair<std::string, std::string>{"teen", synthetic_id(15, 6, 2013)},
        {"young.adult", synthetic_id(15, 1, 2008)}}) {
    json p = server
                 .post_json("/api/v1/patients", {{"national_id", nid},
                                                 {"name", "Ungdom Testesen"},
                                                 {"municipality_id", skien}})
                 .json();
    ASSERT_TRUE(p.contains("id")) << p.dump();
    json e = server
                 .post_json("/api/v1/episodes", {{"patient_id", p["id"]},
                                                 {"pathway_id", "sthf-child-one-to-one"},
                                                 {"hospital_unit_id", unit},
                                                 {"municipality_id", skien}})
                 .json();
    ASSERT_TRUE(e.contains("id")) << e.dump();
    episode_of[who] = e["id"];
    std::string out;
    ASSERT_EQ(run_samflyt({"user", "add", "--db", server.db_path(), "--username", "forelder." + who,
                           "--name", "Forelder", "--kind", "family"},
                          &out),
              0)
        << out;
    ASSERT_EQ(run_samflyt({"user", "link-family", "--db", server.db_path(), "--username",
                           "forelder." + who, "--patient", p["id"]},
                          &out),
              0)
        << out;
  }
  server.as("forelder.teen");
  json teen = server.get("/api/v1/episodes/" + episode_of["teen"]).json();
  ASSERT_TRUE(teen.contains("tasks")) << teen.dump();
  EXPECT_GT(teen["tasks"].size(), 0u);
  EXPECT_LT(teen["tasks"].size(), 28u);
  server.as("kari.sorbo");
  std::map<std::string, std::string> kind_of;
  json pathway = server.get("/api/v1/pathways/sthf-child-one-to-one").json();
  for (const auto& step : pathway["steps"]) kind_of[step["id"]] = step["kind"];
  for (const auto& t : teen["tasks"])
    EXPECT_TRUE(t["lane"] == "family" || kind_of[t["step_id"]] == "meeting") << t.dump();
  server.as("forelder.teen");
  EXPECT_EQ(server.get("/api/v1/episodes/" + episode_of["teen"]).json()["tasks"], teen["tasks"]);
  server.as("forelder.young.adult");
  auto adult = server.get("/api/v1/episodes/" + episode_of["young.adult"]);
  EXPECT_EQ(adult.status, 403);
  EXPECT_NE(adult.json()["detail_nb"].get<std::string>().find("16"), std::string::npos);
}

TEST_F(Security, ABlockOverridesTheBasisAndOnlyAnEmergencyPassesItFlagged) {
  server.as("admin");
  auto block = server.post_json(
      "/api/v1/patients/" + ida_patient + "/blocks",
      {{"user_id", user_id("anders.holtan")}, {"reason", "Pasienten ønsker ikke at naboen leser"}});
  ASSERT_EQ(block.status, 201) << block.body;

  server.as("anders.holtan");
  auto refused = server.get("/api/v1/episodes/" + ida_episode);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.json()["detail_nb"].get<std::string>().find("sperret"), std::string::npos);
  json list = server.get("/api/v1/episodes").json();
  for (const auto& e : list["items"]) EXPECT_NE(e["id"], ida_episode);
  // A colleague in the same municipality is not covered by a block on one person.
  server.as("ragnhild.tufte");
  EXPECT_EQ(server.get("/api/v1/episodes/" + ida_episode).status, 200);

  server.as("anders.holtan");
  // An ordinary self-authorisation does not pass a block, so it is refused.
  auto ordinary = server.post_json("/api/v1/episodes/" + ida_episode + "/self-authorisations",
                                   {{"reason", "Trenger å se planen"}, {"hours", 1}});
  EXPECT_EQ(ordinary.status, 403) << ordinary.body;
  EXPECT_EQ(server.get("/api/v1/episodes/" + ida_episode).status, 403);
  auto emergency = server.post_json(
      "/api/v1/episodes/" + ida_episode + "/self-authorisations",
      {{"reason", "Akutt: barnet er innlagt og bevisstløst"}, {"emergency", true}, {"hours", 1}});
  ASSERT_EQ(emergency.status, 201) << emergency.body;
  auto r = server.get("/api/v1/episodes/" + ida_episode);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(first_audit_entry(server, r.header("x-request-id")).emergency, "1");

  // The leader of Skien reviews it; the leader of the children's department does not see it.
  server.as("vidar.strand");
  EXPECT_TRUE(server.get("/api/v1/self-authorisations?pending=true").json()["items"].empty());
  server.as("bjorn.lunde");
  json pending = server.get("/api/v1/self-authorisations?pending=true").json()["items"];
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["emergency"], true);
  for (const auto& a : pending)
    EXPECT_EQ(server
                  .request("POST",
                           "/api/v1/self-authorisations/" + a["id"].get<std::string>() + "/review")
                  .status,
              204);
  EXPECT_TRUE(server.get("/api/v1/self-authorisations?pending=true").json()["items"].empty());

  // Lifting the block ends its effect.
  server.as("admin");
  std::string block_id = block.json()["id"];
  EXPECT_EQ(
      server.request("DELETE", "/api/v1/patients/" + ida_patient + "/blocks/" + block_id).status,
      204);
  EXPECT_EQ(
      server.request("DELETE", "/api/v1/patients/" + ida_patient + "/blocks/" + block_id).status,
      404);
}

TEST_F(Security, ASelfAuthorisationIsReviewedWhereThePersonWorkedThen) {
  server.as("kari.sorbo");
  json list =
      server.get("/api/v1/episodes?municipality_id=" + server.org_id("Porsgrunn kommune")).json();
  ASSERT_FALSE(list["items"].empty());
  std::string jonas_episode = list["items"][0]["id"];
  server.as("anders.holtan");
  auto a = server.post_json("/api/v1/episodes/" + jonas_episode + "/self-authorisations",
                            {{"reason", "Legevakten ringte om barnet i natt"}, {"hours", 1}});
  ASSERT_EQ(a.status, 201) << a.body;
  // His roles in Skien end; Skien's leader still has it to review.
  sql(server, "DELETE FROM user_roles WHERE user_id = '" + user_id("anders.holtan") + "'");
  server.as("bjorn.lunde");
  json pending = server.get("/api/v1/self-authorisations?pending=true").json()["items"];
  int found = 0;
  for (const auto& p : pending) found += p["id"] == a.json()["id"] ? 1 : 0;
  EXPECT_EQ(found, 1) << pending.dump();
  // The children's department's leader never had him.
  server.as("vidar.strand");
  EXPECT_TRUE(server.get("/api/v1/self-authorisations?pending=true").json()["items"].empty());
}

TEST_F(Security, AnAdministratorTheBlockCoversCannotSeeOrLiftTheBlocks) {
  server.as("admin");
  std::string blocks = "/api/v1/patients/" + ida_patient + "/blocks";
  auto block = server.post_json(
      blocks, {{"user_id", user_id("admin")}, {"reason", "Pasienten ønsker ikke at admin leser"}});
  ASSERT_EQ(block.status, 201) << block.body;
  std::string block_id = block.json()["id"];

  auto listed = server.get(blocks);
  EXPECT_EQ(listed.status, 403);
  EXPECT_NE(listed.json()["detail_nb"].get<std::string>().find("sperret"), std::string::npos);
  EXPECT_EQ(first_audit_entry(server, listed.header("x-request-id")).outcome, "denied");
  EXPECT_EQ(server.get("/api/v1/patients/" + ida_patient + "/access-log").status, 403);
  EXPECT_EQ(server.request("DELETE", blocks + "/" + block_id).status, 403);

  // The patient's guardian still sees the block, and it still stands.
  server.as("forelder.ida");
  json seen = server.get(blocks).json();
  ASSERT_EQ(seen["items"].size(), 1u);
  EXPECT_EQ(seen["items"][0]["id"], block_id);
}

TEST_F(Security, ASearchByNationalIdDoesNotTellWhoIsAPatientHere) {
  server.as("kari.sorbo");
  std::string ida_nid = server.get("/api/v1/patients/" + ida_patient).json()["national_id"];
  // A case worker in Bamble has no basis for Ida: her number is answered
  // as a number nobody has, and the search is audited as denied.
  server.as("jorunn.lia");
  auto known = server.get("/patients/search?q=" + ida_nid);
  auto unknown = server.get("/patients/search?q=" + synthetic_national_id(977));
  EXPECT_EQ(known.status, 200);
  EXPECT_EQ(unknown.status, 200);
  EXPECT_EQ(known.body.find("Ida"), std::string::npos);
  auto row = first_audit_entry(server, known.header("x-request-id"));
  EXPECT_EQ(row.patient_id + " " + row.outcome, ida_patient + " denied");
}

TEST_F(Security, StartingAPathwayByNationalIdAnswersAlikeForKnownAndNewChildren) {
  server.as("kari.sorbo");
  std::string ida_nid = server.get("/api/v1/patients/" + ida_patient).json()["national_id"];
  std::string unit = server.org_id("Barne- og ungdomsklinikken, barneavdelingen");
  std::string fresh_nid = synthetic_national_id(978);
  auto start = [&](const std::string& nid, const std::string& name) {
    return server.request("POST", "/episodes",
                          "national_id=" + nid + "&name=" + name +
                              "&pathway_id=sthf-child-one-to-one&hospital_unit_id=" + unit +
                              "&municipality_id=" + skien,
                          {{"Content-Type", "application/x-www-form-urlencoded"}});
  };
  auto patients_with = [&](const std::string& nid) {
    return sql(server, "SELECT count(*) FROM patients WHERE national_id = '" + nid + "'");
  };
  // A case worker in Bamble may start no pathway run by Skien and the
  // children's department: the same refusal for Ida and for a new child,
  // and the new child is not left registered.
  server.as("jorunn.lia");
  auto known = start(ida_nid, "Hvem+Som+Helst");
  auto fresh = start(fresh_nid, "Hvem+Som+Helst");
  EXPECT_EQ(known.status, 403);
  EXPECT_EQ(fresh.status, 403);
  EXPECT_EQ(patients_with(fresh_nid), "0");
  // A name is asked for, known or not.
  server.as("kari.sorbo");
  EXPECT_EQ(start(ida_nid, "").status, 400);
  EXPECT_EQ(start(fresh_nid, "").status, 400);
  // The nurse registers the new child and starts the pathway in one step.
  auto started = start(fresh_nid, "Testbarn+Nyland");
  EXPECT_EQ(started.status, 303) << started.body;
  EXPECT_EQ(patients_with(fresh_nid), "1");
}

TEST_F(Security, ConsentIsRecordedListedAndWithdrawnWithItsVersion) {
  server.as("kari.sorbo");
  std::string path = "/api/v1/episodes/" + ida_episode + "/consents";
  auto bad = server.post_json(path, {{"given_by", "guardian"},
                                     {"given_by_name", "Mor"},
                                     {"purpose", "send_documentation"},
                                     {"targets", {"no-such-organisation"}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["field"], "targets");
  auto c = server.post_json(path, {{"given_by", "guardian"},
                                   {"given_by_name", "Mor"},
                                   {"purpose", "send_documentation"},
                                   {"targets", {skien}}});
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(c.json()["withdrawn_at"], nullptr);
  std::string withdraw = path + "/" + c.json()["id"].get<std::string>() + "/withdraw";
  EXPECT_EQ(server.request("POST", withdraw).status, 428);
  auto w = server.request("POST", withdraw, "", {{"If-Match", "\"1\""}});
  EXPECT_EQ(w.status, 200) << w.body;
  EXPECT_FALSE(w.json()["withdrawn_at"].is_null());
  EXPECT_EQ(server.request("POST", withdraw, "", {{"If-Match", "\"2\""}}).status, 409);
  // Listed with the demo's consent (Ida's guardian, at the consent step).
  json listed = server.get(path).json();
  ASSERT_EQ(listed["items"].size(), 2u);
  int found = 0;
  for (const auto& item : listed["items"])
    if (item["id"] == c.json()["id"]) {
      EXPECT_EQ(item["version"], 2);
      ++found;
    }
  EXPECT_EQ(found, 1);
}

TEST_F(Security, AGuardianGivesAndWithdrawsConsentInTheirOwnName) {
  server.as("forelder.ida");
  std::string me = server.get("/api/v1/session").json()["user"]["display_name"];
  std::string path = "/api/v1/episodes/" + ida_episode + "/consents";
  auto c = server.post_json(path, {{"given_by", "patient"},
                                   {"given_by_name", "Noen andre"},
                                   {"purpose", "send_documentation"},
                                   {"targets", {skien}}});
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(c.json()["given_by"], "guardian");
  EXPECT_EQ(c.json()["given_by_name"], me);
  auto w = server.request("POST", path + "/" + c.json()["id"].get<std::string>() + "/withdraw", "",
                          {{"If-Match", "\"1\""}});
  EXPECT_EQ(w.status, 200) << w.body;
  // Never backdated: a consent one gives oneself holds from today.
  auto backdated = server.post_json(path, {{"given_by", "guardian"},
                                           {"given_by_name", "Forelder"},
                                           {"purpose", "send_documentation"},
                                           {"targets", {skien}},
                                           {"valid_from", "2020-01-01T00:00:00Z"}});
  EXPECT_EQ(backdated.status, 400);
  EXPECT_EQ(backdated.json()["field"], "valid_from");
  // Changing the pathway itself stays with staff.
  json task = server.get("/api/v1/episodes/" + ida_episode).json()["tasks"][0];
  auto patch =
      server.request("PATCH", "/api/v1/tasks/" + task["id"].get<std::string>(),
                     json{{"note", "Fra forelder"}}.dump(),
                     {{"Content-Type", "application/json"},
                      {"If-Match", "\"" + std::to_string(task["version"].get<int>()) + "\""}});
  EXPECT_EQ(patch.status, 403);
  auto event = server.post_json("/api/v1/episodes/" + ida_episode + "/events",
                                {{"event", "discharge_ready"}});
  EXPECT_EQ(event.status, 403);
}

TEST_F(Security, EveryPatientDataRequestLeavesItsAuditRowAndFamiliesSeeWhoLooked) {
  server.as("kari.sorbo");
  json episode = server.get("/api/v1/episodes/" + ida_episode).json();
  std::string task = episode["tasks"][0]["id"];
  std::vector<std::pair<std::string, std::string>> reads{
      {"GET", "/api/v1/episodes/" + ida_episode},
      {"GET", "/api/v1/patients/" + ida_patient},
      {"GET", "/api/v1/episodes?municipality_id=" + skien},
      {"GET", "/api/v1/tasks/" + task},
      {"GET", "/api/v1/tasks?episode_id=" + ida_episode},
      {"GET", "/api/v1/episodes/" + ida_episode + "/care-team"},
      {"GET", "/api/v1/episodes/" + ida_episode + "/consents"},
  };
  for (const auto& [method, path] : reads) {
    auto r = server.request(method, path);
    ASSERT_EQ(r.status, 200) << path;
    auto e = first_audit_entry(server, r.header("x-request-id"));
    EXPECT_EQ(
        e.patient_id + " " + e.action + " " + e.outcome,
        ida_patient + " " + (path.find('?') != std::string::npos ? "list" : "read") + " allowed")
        << path;
  }
  // A refused read is audited as denied.
  server.as("jorunn.lia");
  auto denied = server.get("/api/v1/episodes/" + ida_episode);
  EXPECT_EQ(first_audit_entry(server, denied.header("x-request-id")).outcome, "denied");
  // Writes too, in the same transaction.
  server.as("kari.sorbo");
  auto w = server.request(
      "PATCH", "/api/v1/tasks/" + task, json{{"note", "Sjekket"}}.dump(),
      {{"Content-Type", "application/json"},
       {"If-Match", "\"" + std::to_string(episode["tasks"][0]["version"].get<int>()) + "\""}});
  ASSERT_EQ(w.status, 200);
  auto written = first_audit_entry(server, w.header("x-request-id"));
  EXPECT_EQ(written.action + " " + written.basis, "update hospital_unit");

  // The guardian sees organisation, role and time, not who.
  server.as("forelder.ida");
  json log = server.get("/api/v1/patients/" + ida_patient + "/access-log").json();
  ASSERT_GE(log["items"].size(), reads.size());
  std::set<std::string> roles;
  for (const auto& row : log["items"]) {
    EXPECT_FALSE(row.contains("user_id")) << row.dump();
    roles.insert(row["role"].get<std::string>());
  }
  EXPECT_TRUE(roles.count("sykepleier"));
  server.as("admin");
  json admin_log = server.get("/api/v1/patients/" + ida_patient + "/access-log").json();
  EXPECT_TRUE(admin_log["items"][0].contains("user_id"));
  // An administrator of another municipality may not look.
  server.add_user("bamble.admin", "admin", "Bamble kommune");
  server.as("bamble.admin");
  EXPECT_EQ(server.get("/api/v1/patients/" + ida_patient + "/access-log").status, 403);
  EXPECT_EQ(server.get("/api/v1/patients/" + ida_patient + "/blocks").status, 403);
}

TEST_F(Security, WhenTheAuditRowCannotBeWrittenNoPatientDataIsReturned) {
  server.as("kari.sorbo");
  json episode = server.get("/api/v1/episodes/" + ida_episode).json();
  json task = episode["tasks"][0];
  audit_sql(server,
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, "
            "'injected failure'); END;");
  auto read = server.get("/api/v1/episodes/" + ida_episode);
  EXPECT_GE(read.status, 500);
  EXPECT_EQ(read.body.find("tasks"), std::string::npos) << read.body;
  EXPECT_EQ(read.body.find(ida_patient), std::string::npos) << read.body;
  auto list = server.get("/api/v1/episodes");
  EXPECT_GE(list.status, 500);
  EXPECT_EQ(list.body.find(ida_episode), std::string::npos);
  auto write = server.request(
      "PATCH", "/api/v1/tasks/" + task["id"].get<std::string>(), json{{"note", "Tapt?"}}.dump(),
      {{"Content-Type", "application/json"},
       {"If-Match", "\"" + std::to_string(task["version"].get<int>()) + "\""}});
  EXPECT_GE(write.status, 500);
  audit_sql(server, "DROP TRIGGER refuse_audit;");
  json after = server.get("/api/v1/tasks/" + task["id"].get<std::string>()).json();
  EXPECT_EQ(after["version"], task["version"]);  // the write left nothing behind
}

TEST_F(Security, AuditVerifyDetectsEditedDeletedAndReorderedRows) {
  server.as("kari.sorbo");
  for (int i = 0; i < 5; ++i) server.get("/api/v1/episodes/" + ida_episode);
  std::string out;
  ASSERT_EQ(run_samflyt({"audit", "verify", "--db", server.db_path()}, &out), 0) << out;
  EXPECT_NE(out.find("rows; head"), std::string::npos) << out;

  audit_sql(server, std::string(kDropGuards) +
                        "UPDATE audit_log SET user_id = 'someone-else' WHERE seq = 3;");
  EXPECT_EQ(run_samflyt({"audit", "verify", "--db", server.db_path()}, &out), 1);
  EXPECT_NE(out.find("broken at row 3"), std::string::npos) << out;
}

TEST_F(Security, AuditVerifyDetectsADeletedRow) {
  server.as("kari.sorbo");
  for (int i = 0; i < 5; ++i) server.get("/api/v1/episodes/" + ida_episode);
  audit_sql(server, std::string(kDropGuards) + "DELETE FROM audit_log WHERE seq = 4;");
  std::string out;
  EXPECT_EQ(run_samflyt({"audit", "verify", "--db", server.db_path()}, &out), 1);
  EXPECT_NE(out.find("row 4 is missing"), std::string::npos) << out;
}

TEST_F(Security, AuditVerifyDetectsSwappedRows) {
  server.as("kari.sorbo");
  for (int i = 0; i < 5; ++i) server.get("/api/v1/episodes/" + ida_episode);
  // Swap rows 2 and 3 whole (hashes included): the chain no longer links.
  audit_sql(server, std::string(kDropGuards) +
                        "UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 "
                        "WHERE seq = 3; "
                        "UPDATE audit_log SET seq = 3 WHERE seq = -2;");
  std::string out;
  EXPECT_EQ(run_samflyt({"audit", "verify", "--db", server.db_path()}, &out), 1);
  EXPECT_NE(out.find("broken at row 2"), std::string::npos) << out;
}

}  // namespace
}  // namespace samflyt::testing
