// What every use case is given: the ports, the template catalogue and the
// identity policy. Built once by cli/ and shared by all request threads.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/discharge_ledger.hpp"
#include "core/identifiers.hpp"
#include "core/pathway.hpp"
#include "msg/receive.hpp"
#include "service/ports.hpp"

namespace samflyt::service {

using TemplatePtr = std::shared_ptr<const core::PathwayTemplate>;

// Parsed templates by (id, version), read from the store on first use.
// Thread-safe.
class TemplateCatalog {
 public:
  Result<TemplatePtr> get(Transaction& tx, const std::string& id, const std::string& version);
  Result<TemplatePtr> current(Transaction& tx, const std::string& id);
  void remember(TemplatePtr t);

 private:
  std::shared_mutex mutex_;
  std::map<std::pair<std::string, std::string>, TemplatePtr> parsed_;
};

// Sessions, login throttling and self-authorisation limits.
struct AuthSettings {
  std::chrono::seconds session_idle{30 * 60};
  std::chrono::seconds session_absolute{12 * 60 * 60};
  int throttle_failures = 10;  // failed logins of one account in the window
  std::chrono::seconds throttle_window{15 * 60};
  std::chrono::seconds self_authorisation_max{8 * 60 * 60};
  bool secure_cookies = false;  // mark cookies Secure (served over TLS or behind a TLS proxy)
};

// Receiving and sending messages (docs/adr/0008).
struct MessagingSettings {
  // Strict schema validation of received messages; null: structural and
  // semantic checks only (docs/adr/0006).
  const msg::Validator* validator = nullptr;
  // H-numbers and synthetic national ids (msg::ReceiveOptions).
  bool allow_test_identities = false;
  // The receivers that are ours (msg::ReceiveOptions::own_her_ids); empty:
  // the HER-ids of every organisation in the database.
  std::vector<std::int64_t> own_her_ids;
  bool reject_unknown_service = false;
  // The watchdog: an alert when no AppRec came this long after sending
  // (configuration apprec_alert_minutes); a missing AppRec counts as
  // negative 96 hours after GenDate (HIS 80415, README §4.2).
  std::chrono::minutes apprec_alert{60};
  std::chrono::hours receipt_limit{96};
  // Messages per write transaction when a round receives or sends a
  // backlog (group commit; 1 commits each message on its own).
  int receive_batch = 200;
  int send_batch = 200;
};

class AuditWriter;

struct Context {
  Database& db;
  Clock& clock;
  IdGenerator& ids;
  TemplateCatalog& templates;
  core::IdentityPolicy identity;
  Secrets& secrets;
  AuditWriter& audit;
  AuthSettings auth{};
  // The discharge-ready ledger's 24-hour limit and day rates (configured).
  core::LedgerRules ledger_rules{};
  // OpenID Connect login (HelseID); null when it is not configured.
  IdentityProvider* identity_provider = nullptr;
  MessagingSettings messaging{};
};

// Who is asking, for one request.
struct Caller {
  core::Principal principal;
  std::string request_id;
  // When set, the audit rows of reads are left here, and the transport must
  // write them (AuditWriter::record_async) before it sends the answer; it
  // then serves other requests while they are committed together.
  std::vector<AuditEntry>* deferred_audit = nullptr;
};

// Runs `f(tx)` in one transaction and commits when it succeeds; on any
// error the transaction rolls back and the error is returned.
template <typename F>
auto in_transaction(Database& db, TxMode mode, F&& f) -> decltype(f(std::declval<Transaction&>())) {
  auto tx = db.begin(mode);
  if (!tx) return std::move(tx).error();
  auto result = f(**tx);
  if (!result) return result;
  if (auto committed = (*tx)->commit(); !committed) return std::move(committed).error();
  return result;
}

}  // namespace samflyt::service
