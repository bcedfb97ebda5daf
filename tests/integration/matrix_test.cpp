// The authorization matrix: every route of the server, for every kind of
// user (each role, in the episode's own organisations and in others, with
// and without a basis, family of the patient and of another patient, and
// nobody), against two demo episodes. No one without the right may get a
// 2xx, everyone with it must get past access control, and the denied
// requests change nothing.
//
// The route list below must equal `samflyt routes`: a new route without a
// row here fails this test.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <sstream>

#include "../support/percent_encode.hpp"
#include "server.hpp"

namespace samflyt::testing {
namespace {

using nlohmann::json;

// Who may use a route.
enum class Need {
  nobody_needed,  // public
  login,          // any account
  clinical,       // a staff account with a clinical role
  admin,
  leader,
  read_basis,        // may read the episode (staff basis or family)
  staff_read,        // may read the episode, staff only
  write_basis,       // may change the episode
  consent_basis,     // may change the episode, or is the patient or a guardian with access
  start_basis,       // may start an episode for the patient in the same unit and municipality
  privacy,           // an administrator, or family with access to the patient
  session,           // a browser session (bearer tokens are refused)
  unit_clinical,     // a clinical role in the episodes' hospital unit (its worklists)
  message_exchange,  // a system account with the role meldingsutveksling (another Samflyt)
};

struct User {
  std::string username;  // "" = no credentials
  std::string token;
  std::string id;
};

struct Episode {
  std::string id;
  std::string patient_id;
  std::string family_task_id;
  std::int64_t family_task_version = 1;
  std::set<std::string> readers;  // usernames with a basis (staff and family)
  std::set<std::string> writers;
  std::set<std::string> starters;  // a role in its unit or municipality: may start another
  std::set<std::string> family;
};

struct Row {
  std::string method;
  std::string pattern;
  Need need;
  // Builds the request for an episode: path and body.
  std::function<std::pair<std::string, json>(const Episode&)> request;
  // A web page: the body is sent as an HTML form, and a refused GET
  // without credentials is a redirect to the login page.
  bool page = false;
};

const std::vector<std::string> kUsers{
    "",                // nobody
    "kari.sorbo",      // sykepleier, the children's department (the episodes' unit)
    "anders.holtan",   // saksbehandler, Skien (Ida's municipality)
    "silje.nyhus",     // saksbehandler, Porsgrunn (Jonas's municipality)
    "jorunn.lia",      // saksbehandler, Bamble: other municipality
    "lise.bergsland",  // hjemmesykehus: another hospital unit
    "stian.gravdal",   // saksbehandler, Kragerø: in Ida's care team only
    "vidar.strand",    // leder at the children's department
    "admin",           // admin
    "forelder.ida",    // guardian of Ida
    "forelder.jonas",  // guardian of Jonas
    "samflyt.peer",    // system account, meldingsutveksling (made in SetUp)
};

const std::set<std::string> kClinical{"kari.sorbo", "anders.holtan",  "silje.nyhus",
                                      "jorunn.lia", "lise.bergsland", "stian.gravdal"};

bool allowed(Need need, const std::string& user, const Episode& e) {
  if (user.empty()) return need == Need::nobody_needed;
  switch (need) {
    case Need::nobody_needed:
    case Need::login:
      return true;
    case Need::clinical:
      return kClinical.count(user) > 0;
    case Need::admin:
      return user == "admin";
    case Need::leader:
      return user == "vidar.strand";
    case Need::unit_clinical:
      return user == "kari.sorbo";
    case Need::read_basis:
      return e.readers.count(user) > 0;
    case Need::staff_read:
      return e.readers.count(user) > 0 && !e.family.count(user);
    case Need::write_basis:
      return e.writers.count(user) > 0;
    case Need::consent_basis:
      return e.writers.count(user) > 0 || (e.family.count(user) > 0 && e.readers.count(user) > 0);
    case Need::start_basis:
      return e.starters.count(user) > 0;
    case Need::privacy:
      return user == "admin" || e.family.count(user) > 0;
    case Need::session:
      return false;  // the matrix uses bearer tokens
    case Need::message_exchange:
      return user == "samflyt.peer";
  }
  return false;
}

std::pair<std::string, json> get(std::string path) {
  return {std::move(path), nullptr};
}

std::vector<Row> rows(const std::string& unit_id, const std::string& jorunn_id) {
  const std::string missing = "00000000-0000-4000-8000-000000000000";
  return {
      {"GET", "/api/v1/health", Need::nobody_needed,
       [](const Episode&) { return get("/api/v1/health"); }},
      {"GET", "/api/v1/organisations", Need::login,
       [](const Episode&) { return get("/api/v1/organisations"); }},
      {"GET", "/api/v1/organisations/{id}/staff", Need::login,
       [=](const Episode&) { return get("/api/v1/organisations/" + unit_id + "/staff"); }},
      {"POST", "/api/v1/patients", Need::clinical,
       [](const Episode&) {
         static int n = 900;
         return std::pair<std::string, json>{"/api/v1/patients",
                                             {{"national_id", synthetic_national_id(n++)},
                                              {"name", "Matrise Testbarn"},
                                              {"municipality_id", ""}}};
       }},
      {"GET", "/api/v1/patients/{id}", Need::read_basis,
       [](const Episode& e) { return get("/api/v1/patients/" + e.patient_id); }},
      {"GET", "/api/v1/pathways", Need::login,
       [](const Episode&) { return get("/api/v1/pathways"); }},
      {"GET", "/api/v1/pathways/{id}", Need::login,
       [](const Episode&) { return get("/api/v1/pathways/sthf-child-one-to-one"); }},
      // Starting a second episode of the same pathway is a conflict for
      // those allowed; the others must be refused before that.
      {"POST", "/api/v1/episodes", Need::start_basis,
       [=](const Episode& e) {
         return std::pair<std::string, json>{"/api/v1/episodes",
                                             {{"patient_id", e.patient_id},
                                              {"pathway_id", "sthf-child-one-to-one"},
                                              {"hospital_unit_id", unit_id},
                                              {"municipality_id", "<municipality>"}}};
       }},
      {"GET", "/api/v1/episodes", Need::login,
       [](const Episode&) { return get("/api/v1/episodes"); }},
      {"GET", "/api/v1/episodes/{id}", Need::read_basis,
       [](const Episode& e) { return get("/api/v1/episodes/" + e.id); }},
      {"POST", "/api/v1/episodes/{id}/events", Need::write_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{"/api/v1/episodes/" + e.id + "/events",
                                             {{"event", "no-such-event"}}};
       }},
      {"GET", "/api/v1/tasks", Need::staff_read,
       [](const Episode& e) { return get("/api/v1/tasks?episode_id=" + e.id); }},
      {"GET", "/api/v1/tasks/{id}", Need::read_basis,
       [](const Episode& e) { return get("/api/v1/tasks/" + e.family_task_id); }},
      {"PATCH", "/api/v1/tasks/{id}", Need::write_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{"/api/v1/tasks/" + e.family_task_id,
                                             {{"note", "Matrisetest"}}};
       }},
      {"GET", "/api/v1/episodes/{id}/care-team", Need::read_basis,
       [](const Episode& e) { return get("/api/v1/episodes/" + e.id + "/care-team"); }},
      {"POST", "/api/v1/episodes/{id}/care-team", Need::write_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{"/api/v1/episodes/" + e.id + "/care-team",
                                             {{"name", "Ekstern fastlege"}, {"role", "fastlege"}}};
       }},
      {"DELETE", "/api/v1/episodes/{id}/care-team/{member_id}", Need::write_basis,
       [=](const Episode& e) { return get("/api/v1/episodes/" + e.id + "/care-team/" + missing); }},
      {"GET", "/api/v1/episodes/{id}/ledger", Need::staff_read,
       [](const Episode& e) { return get("/api/v1/episodes/" + e.id + "/ledger"); }},
      // A stay cannot begin in the future: refused (400) for those allowed.
      {"POST", "/api/v1/episodes/{id}/stay-events", Need::write_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{
             "/api/v1/episodes/" + e.id + "/stay-events",
             {{"kind", "admitted"}, {"at", "2099-01-01T00:00:00Z"}}};
       }},
      {"GET", "/api/v1/episodes/{id}/messages", Need::staff_read,
       [](const Episode& e) { return get("/api/v1/episodes/" + e.id + "/messages"); }},
      // A message cannot be about the future: refused (400) for those allowed.
      {"POST", "/api/v1/episodes/{id}/messages", Need::write_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{
             "/api/v1/episodes/" + e.id + "/messages",
             {{"kind", "dialog"}, {"text", "Matrisetest"}, {"at", "2099-01-01T00:00:00Z"}}};
       }},
      // Another Samflyt posting a message (a JSON body: 415 for the one allowed).
      {"POST", "/api/v1/messages/inbox", Need::message_exchange,
       [](const Episode&) {
         return std::pair<std::string, json>{"/api/v1/messages/inbox", json::object()};
       }},
      {"GET", "/api/v1/messages/alerts", Need::unit_clinical,
       [=](const Episode&) { return get("/api/v1/messages/alerts?organisation_id=" + unit_id); }},
      {"GET", "/api/v1/ledger/monthly", Need::leader,
       [](const Episode&) { return get("/api/v1/ledger/monthly?year=2026"); }},
      // Self-authorisation is open to every clinical role; it is tried last
      // (see below) because it gives access.
      {"POST", "/api/v1/episodes/{id}/self-authorisations", Need::clinical,
       [](const Episode& e) {
         return std::pair<std::string, json>{
             "/api/v1/episodes/" + e.id + "/self-authorisations",
             {{"reason", "Matrisetest av akuttilgang"}, {"hours", 1}}};
       }},
      {"GET", "/api/v1/self-authorisations", Need::leader,
       [](const Episode&) { return get("/api/v1/self-authorisations"); }},
      {"POST", "/api/v1/self-authorisations/{id}/review", Need::leader,
       [=](const Episode&) {
         return std::pair<std::string, json>{"/api/v1/self-authorisations/" + missing + "/review",
                                             json::object()};
       }},
      {"GET", "/api/v1/patients/{id}/blocks", Need::privacy,
       [](const Episode& e) { return get("/api/v1/patients/" + e.patient_id + "/blocks"); }},
      {"POST", "/api/v1/patients/{id}/blocks", Need::privacy,
       [=](const Episode& e) {
         return std::pair<std::string, json>{"/api/v1/patients/" + e.patient_id + "/blocks",
                                             {{"user_id", jorunn_id}, {"reason", "Matrisetest"}}};
       }},
      {"DELETE", "/api/v1/patients/{id}/blocks/{block_id}", Need::privacy,
       [=](const Episode& e) {
         return get("/api/v1/patients/" + e.patient_id + "/blocks/" + missing);
       }},
      {"GET", "/api/v1/patients/{id}/access-log", Need::privacy,
       [](const Episode& e) { return get("/api/v1/patients/" + e.patient_id + "/access-log"); }},
      {"GET", "/api/v1/episodes/{id}/consents", Need::read_basis,
       [](const Episode& e) { return get("/api/v1/episodes/" + e.id + "/consents"); }},
      {"POST", "/api/v1/episodes/{id}/consents", Need::consent_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{"/api/v1/episodes/" + e.id + "/consents",
                                             {{"given_by", "guardian"},
                                              {"given_by_name", "Mor"},
                                              {"purpose", "share_with_role"},
                                              {"targets", {"fastlege"}}}};
       }},
      {"POST", "/api/v1/episodes/{id}/consents/{consent_id}/withdraw", Need::consent_basis,
       [=](const Episode& e) {
         return std::pair<std::string, json>{
             "/api/v1/episodes/" + e.id + "/consents/" + missing + "/withdraw", json::object()};
       }},
      {"POST", "/api/v1/session", Need::nobody_needed,
       [](const Episode&) {
         return std::pair<std::string, json>{
             "/api/v1/session", {{"username", "matrise.ukjent"}, {"password", "feil"}}};
       }},
      {"GET", "/api/v1/session", Need::login,
       [](const Episode&) { return get("/api/v1/session"); }},
      {"DELETE", "/api/v1/session", Need::session,
       [](const Episode&) { return get("/api/v1/session"); }},
      {"GET", "/api/v1/admin/login-throttles", Need::admin,
       [](const Episode&) { return get("/api/v1/admin/login-throttles"); }},
      // OpenID Connect login: public by nature (404 when not configured).
      {"GET", "/auth/oidc/login", Need::nobody_needed,
       [](const Episode&) { return get("/auth/oidc/login"); }},
      {"GET", "/auth/oidc/callback", Need::nobody_needed,
       [](const Episode&) { return get("/auth/oidc/callback?code=x&state=y"); }},
      // The web application's pages (src/web), with bearer tokens here.
      {"GET", "/static/{file}", Need::nobody_needed,
       [](const Episode&) { return get("/static/app.css"); }, true},
      {"GET", "/login", Need::nobody_needed, [](const Episode&) { return get("/login"); }, true},
      {"POST", "/login", Need::nobody_needed,
       [](const Episode&) {
         return std::pair<std::string, json>{
             "/login", {{"username", "matrise.ukjent"}, {"password", "feil"}}};
       },
       true},
      {"POST", "/logout", Need::session,
       [](const Episode&) {
         return std::pair<std::string, json>{"/logout", json::object()};
       },
       true},
      {"POST", "/language", Need::login,
       [](const Episode&) {
         return std::pair<std::string, json>{"/language", {{"language", "xx"}}};
       },
       true},
      {"GET", "/", Need::login, [](const Episode&) { return get("/"); }, true},
      {"GET", "/patients/search", Need::login,
       [](const Episode&) { return get("/patients/search"); }, true},
      {"GET", "/patients/check-national-id", Need::login,
       [](const Episode&) { return get("/patients/check-national-id?national_id=123"); }, true},
      {"GET", "/episodes/new", Need::clinical, [](const Episode&) { return get("/episodes/new"); },
       true},
      {"POST", "/episodes", Need::clinical,
       [](const Episode&) {
         return std::pair<std::string, json>{"/episodes", {{"national_id", "123"}}};
       },
       true},
      {"GET", "/episodes/{id}", Need::read_basis,
       [](const Episode& e) { return get("/episodes/" + e.id); }, true},
      {"GET", "/tasks/{id}", Need::read_basis,
       [](const Episode& e) { return get("/tasks/" + e.family_task_id); }, true},
      {"POST", "/tasks/{id}", Need::write_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{
             "/tasks/" + e.family_task_id,
             {{"action", "note"}, {"note", "Matrisetest"}, {"version", "1"}, {"episode_id", e.id}}};
       },
       true},
      {"POST", "/tasks/{id}/checklist", Need::write_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{"/tasks/" + e.family_task_id + "/checklist",
                                             {{"checklist_id", "participants"},
                                              {"item_0", "on"},
                                              {"version", "1"},
                                              {"episode_id", e.id}}};
       },
       true},
      {"GET", "/patients/{id}/access-log", Need::privacy,
       [](const Episode& e) { return get("/patients/" + e.patient_id + "/access-log"); }, true},
      {"GET", "/episodes/{id}/care-team", Need::read_basis,
       [](const Episode& e) { return get("/episodes/" + e.id + "/care-team"); }, true},
      {"GET", "/episodes/{id}/ledger", Need::staff_read,
       [](const Episode& e) { return get("/episodes/" + e.id + "/ledger"); }, true},
      // A stay cannot begin in the future: refused (400) for those allowed.
      {"POST", "/episodes/{id}/stay-events", Need::write_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{"/episodes/" + e.id + "/stay-events",
                                             {{"kind", "admitted"}, {"at", "2099-01-01T00:00"}}};
       },
       true},
      {"GET", "/episodes/{id}/messages", Need::staff_read,
       [](const Episode& e) { return get("/episodes/" + e.id + "/messages"); }, true},
      // A message cannot be about the future: refused (400) for those allowed.
      {"POST", "/episodes/{id}/messages", Need::write_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{
             "/episodes/" + e.id + "/messages",
             {{"kind", "dialog"}, {"text", "Matrisetest"}, {"at", "2099-01-01T00:00"}}};
       },
       true},
      {"POST", "/episodes/{id}/care-team", Need::write_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{"/episodes/" + e.id + "/care-team",
                                             {{"name", "Ekstern fastlege"}, {"role", "fastlege"}}};
       },
       true},
      {"GET", "/episodes/{id}/consents", Need::read_basis,
       [](const Episode& e) { return get("/episodes/" + e.id + "/consents"); }, true},
      // Without the name of who consented: refused (400) for those allowed.
      {"POST", "/episodes/{id}/consents", Need::consent_basis,
       [](const Episode& e) {
         return std::pair<std::string, json>{
             "/episodes/" + e.id + "/consents",
             {{"given_by", "guardian"}, {"purpose", "send_documentation"}}};
       },
       true},
      {"POST", "/episodes/{id}/consents/{consent_id}/withdraw", Need::consent_basis,
       [=](const Episode& e) {
         return std::pair<std::string, json>{
             "/episodes/" + e.id + "/consents/" + missing + "/withdraw", {{"version", "1"}}};
       },
       true},
      {"POST", "/episodes/{id}/care-team/{member_id}/remove", Need::write_basis,
       [=](const Episode& e) {
         return std::pair<std::string, json>{
             "/episodes/" + e.id + "/care-team/" + missing + "/remove", json::object()};
       },
       true},
  };
}

class Matrix : public ::testing::Test {
 protected:
  void SetUp() override {
    server.as("kari.sorbo");  // organisations are for those logged in
    server.add_user("samflyt.peer", "meldingsutveksling", "Sykehuset Grenland HF (demo)", "system");
    skien = server.org_id("Skien kommune");
    porsgrunn = server.org_id("Porsgrunn kommune");
    unit = server.org_id("Barne- og ungdomsklinikken, barneavdelingen");
    server.as("");  // from here on each request carries its own credentials
    for (const auto& name : kUsers) {
      User u{name, "", ""};
      if (!name.empty()) {
        u.token = server.token_of(name);
        u.id = call(u, "GET", "/api/v1/session").json()["user"]["id"];
      }
      users[name] = u;
    }
    json all = call(users["kari.sorbo"], "GET", "/api/v1/episodes").json()["items"];
    for (const auto& e : all) {
      json full =
          call(users["kari.sorbo"], "GET", "/api/v1/episodes/" + e["id"].get<std::string>()).json();
      Episode ep;
      ep.id = full["id"];
      ep.patient_id = full["patient_id"];
      for (const auto& t : full["tasks"])
        if (t["lane"] == "family") {
          ep.family_task_id = t["id"];
          ep.family_task_version = t["version"];
          break;
        }
      if (full["municipality_id"] == skien) ida = ep;
      if (full["municipality_id"] == porsgrunn) jonas = ep;
    }
    ASSERT_FALSE(ida.id.empty());
    ASSERT_FALSE(jonas.id.empty());
    // Stian (Kragerø) joins Ida's care team: a basis from another municipality.
    auto added = call(users["kari.sorbo"], "POST", "/api/v1/episodes/" + ida.id + "/care-team",
                      json{{"user_id", users["stian.gravdal"].id}, {"role", "saksbehandler"}});
    ASSERT_EQ(added.status, 201) << added.body;

    ida.readers = {"kari.sorbo", "anders.holtan", "stian.gravdal", "forelder.ida"};
    ida.writers = {"kari.sorbo", "anders.holtan", "stian.gravdal"};
    ida.starters = {"kari.sorbo", "anders.holtan"};
    ida.family = {"forelder.ida"};
    jonas.readers = {"kari.sorbo", "silje.nyhus", "forelder.jonas"};
    jonas.writers = {"kari.sorbo", "silje.nyhus"};
    jonas.starters = {"kari.sorbo", "silje.nyhus"};
    jonas.family = {"forelder.jonas"};
  }

  HttpResponse call(const User& u, const std::string& method, const std::string& path,
                    const json& body = nullptr, bool form = false) {
    std::map<std::string, std::string> headers;
    if (!u.token.empty()) headers["Authorization"] = "Bearer " + u.token;
    std::string text;
    if (form && body.is_object()) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      for (const auto& [k, v] : body.items())
        text += (text.empty() ? "" : "&") + percent_encode(k) + "=" +
                percent_encode(v.is_string() ? v.get<std::string>() : v.dump());
    } else if (!body.is_null()) {
      headers["Content-Type"] = "application/json";
      text = body.dump();
    }
    if (method == "PATCH" || path.find("/withdraw") != std::string::npos)
      headers["If-Match"] = "\"1\"";
    return server.request(method, path, text, headers);
  }

  // What the denied requests must not change, as those allowed see it.
  json state() {
    json s;
    for (const Episode* e : {&ida, &jonas}) {
      s.push_back(call(users["kari.sorbo"], "GET", "/api/v1/episodes/" + e->id).json());
      s.push_back(
          call(users["kari.sorbo"], "GET", "/api/v1/episodes/" + e->id + "/care-team").json());
      s.push_back(
          call(users["kari.sorbo"], "GET", "/api/v1/episodes/" + e->id + "/consents").json());
      s.push_back(call(users["kari.sorbo"], "GET", "/api/v1/episodes/" + e->id + "/ledger").json());
      s.push_back(
          call(users["admin"], "GET", "/api/v1/patients/" + e->patient_id + "/blocks").json());
    }
    s.push_back(call(users["vidar.strand"], "GET", "/api/v1/self-authorisations").json());
    return s;
  }

  Server server;
  std::map<std::string, User> users;
  Episode ida, jonas;
  std::string skien, porsgrunn, unit;
};

TEST_F(Matrix, RouteListEqualsTheServersRoutes) {
  std::string out;
  ASSERT_EQ(run_samflyt({"routes"}, &out), 0) << out;
  std::set<std::string> served;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) served.insert(line);
  std::set<std::string> covered;
  for (const auto& r : rows("", "")) covered.insert(r.method + " " + r.pattern);
  EXPECT_EQ(served, covered) << "every route needs a row in tests/integration/matrix_test.cpp";
}

TEST_F(Matrix, NoUnauthorisedRequestSucceedsAndDeniedOnesChangeNothing) {
  // The block row blocks someone outside the matrix's users, so that the
  // blocks it leaves behind do not change the rows after it.
  std::string blocked =
      server
          .request("GET", "/api/v1/session", "",
                   {{"Authorization", "Bearer " + server.token_of("mona.bakken")}})
          .json()["user"]["id"];
  auto all_rows = rows(unit, blocked);
  // Self-authorisation gives access, so it runs after everything else.
  std::stable_partition(all_rows.begin(), all_rows.end(), [](const Row& r) {
    return r.pattern != "/api/v1/episodes/{id}/self-authorisations";
  });
  int checked = 0, allowed_count = 0;
  for (const Episode* e : {&ida, &jonas}) {
    std::string episode_name = e == &ida ? "Ida's" : "Jonas's";
    for (const auto& row : all_rows) {
      auto send = [&](const std::string& name) {
        auto [path, body] = row.request(*e);
        if (body.is_object() && body.contains("municipality_id")) {
          std::string m = body["municipality_id"];
          if (m == "<municipality>") body["municipality_id"] = e == &ida ? skien : porsgrunn;
          if (m.empty()) body["municipality_id"] = skien;
        }
        ++checked;
        return call(users[name], row.method, path, body, row.page);
      };
      auto what = [&](const std::string& name) {
        return row.method + " " + row.pattern + " as '" + name + "' on " + episode_name +
               " episode";
      };
      // Everyone refused first: nothing may change, as those allowed see it.
      json before = state();
      for (const auto& name : kUsers) {
        if (allowed(row.need, name, *e)) continue;
        auto r = send(name);
        EXPECT_FALSE(r.status >= 200 && r.status < 300) << what(name) << " got " << r.status;
        bool expected = r.status == (name.empty() ? 401 : 403) ||
                        (row.need == Need::session && r.status == 400) ||
                        (row.page && name.empty() && row.method == "GET" && r.status == 303);
        EXPECT_TRUE(expected) << what(name) << " got " << r.status << ": " << r.body;
      }
      EXPECT_EQ(state(), before) << row.method << " " << row.pattern
                                 << ": a refused request changed something";
      for (const auto& name : kUsers) {
        if (!allowed(row.need, name, *e)) continue;
        ++allowed_count;
        auto r = send(name);
        if ((row.pattern == "/api/v1/session" || row.pattern == "/login") && row.method == "POST") {
          // Everyone may try to log in; a wrong password is 401 (429 once throttled).
          EXPECT_TRUE(r.status == 401 || r.status == 429) << what(name) << " got " << r.status;
          continue;
        }
        EXPECT_NE(r.status, 401) << what(name) << ": " << r.body;
        EXPECT_NE(r.status, 403) << what(name) << ": " << r.body;
        EXPECT_LT(r.status, 500) << what(name) << ": " << r.body;
        if (row.pattern == "/api/v1/episodes" && row.method == "GET" && !name.empty()) {
          json list = r.json();
          bool listed = false;
          for (const auto& item : list["items"]) listed = listed || item["id"] == e->id;
          EXPECT_EQ(listed, e->readers.count(name) > 0) << what(name) << ": the list";
        }
      }
    }
  }
  EXPECT_GT(checked, 500);
  EXPECT_GT(allowed_count, 100);
}

}  // namespace
}  // namespace samflyt::testing
