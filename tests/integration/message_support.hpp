// What the tests of two real servers exchanging messages share: queueing
// a message in a stopped server's database as one of its users (as
// messages made from pathway steps will be), finding Ida's demo episode,
// and following a message's status over the API.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "../unit/msg/msg_test_support.hpp"
#include "server.hpp"
#include "service/audit_writer.hpp"
#include "service/messages.hpp"
#include "store/sqlite_store.hpp"
#include "store/system_env.hpp"

namespace samflyt::testing {

using nlohmann::json;

// Context needs Secrets; queue_message never calls them.
class UnusedSecrets final : public service::Secrets {
 public:
  std::string new_secret() override { throw std::logic_error("not used"); }
  std::string digest(std::string_view) override { throw std::logic_error("not used"); }
  Result<std::string> hash_password(std::string_view) override {
    throw std::logic_error("not used");
  }
  bool verify_password(const std::string&, std::string_view) override {
    throw std::logic_error("not used");
  }
};

// Queues a message in a stopped server's database as one of its users.
inline std::string queue_as(const std::string& db_path, const std::string& username,
                            const std::string& episode_id, const msg::Message& message) {
  store::SqliteDatabase db(db_path);
  store::SqliteDatabase audit_db(store::audit_path_for(db_path), 2, store::Schema::audit);
  service::AuditWriter audit(audit_db);
  store::SystemClock clock;
  store::RandomIds ids;
  service::TemplateCatalog templates;
  UnusedSecrets secrets;
  service::Context ctx{db, clock, ids, templates, core::IdentityPolicy{true}, secrets, audit};
  ctx.messaging.allow_test_identities = true;
  core::Principal who;
  {
    auto tx = db.begin(service::TxMode::read);
    if (!tx) throw std::runtime_error(tx.error().message);
    auto user = (*tx)->accounts().find_by_username(username);
    if (!user || !*user) throw std::runtime_error("no user " + username);
    auto grants = (*tx)->accounts().grants((*user)->id);
    if (!grants) throw std::runtime_error(grants.error().message);
    who = core::Principal{(*user)->id, (*user)->staff_id, (*user)->display_name, (*user)->kind,
                          *grants};
  }
  auto queued =
      service::queue_message(ctx, service::Caller{who, "two-instances-test"}, episode_id, message);
  if (!queued) throw std::runtime_error("queue_message: " + queued.error().message);
  return queued->msg_id;
}

// Ida's episode (the demo's Skien child) as `username` sees it on
// `server`, and her patient record.
inline std::pair<json, json> idas_episode(Server& server, const std::string& username) {
  server.as(username);
  auto list = server.get("/api/v1/episodes");
  if (list.status != 200) throw std::runtime_error(list.body);
  std::string seen;
  const json items = list.json()["items"];
  for (const auto& e : items) {
    auto patient = server.get("/api/v1/patients/" + e["patient_id"].get<std::string>());
    if (patient.status != 200) throw std::runtime_error(patient.body);
    if (patient.json()["name"] == "Ida Fjellheim") return {e, patient.json()};
    seen += patient.body;
  }
  throw std::runtime_error("no episode of Ida for " + username + ": " + seen);
}

// The fixtures, made about this patient.
inline void about(msg::Message& m, const json& patient) {
  m.envelope.msg_id.clear();
  m.envelope.gen_date = {};
  auto& p = *m.envelope.patient;
  p.national_id = patient["national_id"].get<std::string>();
  p.given_name = "Ida";
  p.family_name = "Fjellheim";
  p.birth_date.reset();
}

inline std::string status_of(Server& server, const std::string& episode_id,
                             const std::string& msg_id) {
  auto r = server.get("/api/v1/episodes/" + episode_id + "/messages");
  if (r.status != 200) return "HTTP " + std::to_string(r.status);
  const json messages = r.json()["messages"];
  for (const auto& m : messages)
    if (m["msg_id"] == msg_id && m["direction"] == "outgoing") return m["status"];
  return "(none)";
}

template <typename F>
inline bool eventually(F done) {
  for (int i = 0; i < 400; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

}  // namespace samflyt::testing
