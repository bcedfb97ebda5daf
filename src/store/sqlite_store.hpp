// The SQLite adapter of the service ports: one database file in WAL mode,
// durable commits (synchronous=FULL), foreign keys on, a busy timeout.
//
// Threading: a pool of connections; each Transaction borrows one for its
// lifetime, so request threads never share a connection. Write
// transactions start with BEGIN IMMEDIATE (one writer at a time, no
// deadlock on upgrade); read transactions see a consistent snapshot.
#pragma once

#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "service/ports.hpp"

namespace samflyt::store {

namespace sqlite {
class Connection;
}
struct AuditOpenRun;
struct AccountCache;

// Samflyt keeps two database files: the main one, and the audit log's
// (migrations/audit/), whose many small commits must not touch the main
// file (in WAL mode a commit makes every other connection drop its cache
// of that file).
enum class Schema { main, audit };

// The audit log's file beside a main database file:
// "var/samflyt.db" -> "var/samflyt-audit.db".
std::string audit_path_for(const std::string& db_path);

class SqliteDatabase final : public service::Database {
 public:
  // Opens the file (creating it and its folder if needed) and applies any
  // pending migrations of `schema`; a main database first creates or
  // upgrades its audit file too. Throws std::runtime_error when it cannot.
  explicit SqliteDatabase(std::string path, int max_connections = 8, Schema schema = Schema::main);
  ~SqliteDatabase() override;

  Result<std::unique_ptr<service::Transaction>> begin(service::TxMode mode) override;

  // The schema version after migration (the highest migration applied).
  int schema_version();

  // Returns a borrowed connection to the pool (used by transactions).
  void give_back(std::unique_ptr<sqlite::Connection> c);
  // What the audit log's appender keeps between transactions.
  AuditOpenRun& audit_open_run() { return *audit_open_run_; }
  // Users, tokens and grants as last read (see sqlite_repositories.hpp).
  AccountCache& account_cache() { return *account_cache_; }

 private:
  std::unique_ptr<sqlite::Connection> borrow();

  std::string path_;
  int max_connections_;
  int open_connections_ = 0;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<sqlite::Connection>> idle_;
  std::unique_ptr<AuditOpenRun> audit_open_run_;
  std::unique_ptr<AccountCache> account_cache_;
};

// Applies the numbered migrations of `schema` (src/store/migrations, or
// migrations/audit) up to number `up_to` that the database has not seen,
// each in its own transaction; returns the ones applied. Throws on failure.
std::vector<std::string> migrate(sqlite::Connection& c, Schema schema = Schema::main,
                                 int up_to = std::numeric_limits<int>::max());

}  // namespace samflyt::store
