// A thin RAII wrapper over the SQLite C API: a connection with a cache of
// prepared statements, and statements with typed bind and column access.
//
// Errors throw sqlite::Failure (carrying the SQLite result code); the
// repositories in sqlite_store.cpp catch them at the adapter boundary and
// turn them into Result errors. Not thread-safe: one connection per thread
// at a time (the store's pool ensures it).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace samflyt::store::sqlite {

struct Failure : std::runtime_error {
  Failure(int result_code, const std::string& what) : std::runtime_error(what), code(result_code) {}
  int code;  // extended result code
};

// A borrowed cached statement. Resetting it when it goes out of scope ends
// its read: an unfinished statement would otherwise keep the connection's
// WAL snapshot alive past COMMIT into the next transaction.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement() {
    if (stmt_) sqlite3_reset(stmt_);
  }
  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  // Binding is 1-based, in the order of the ?s in the SQL.
  Statement& bind(int i, std::string_view v);
  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement& bind_null(int i);
  // Bytes kept exactly as given (e.g. a message in ISO-8859-1).
  Statement& bind_blob(int i, std::string_view v);
  Statement& bind(int i, const std::optional<std::int64_t>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }
  // Empty text binds NULL (for optional references).
  Statement& bind_text_or_null(int i, std::string_view v) {
    return v.empty() ? bind_null(i) : bind(i, v);
  }

  // Advances to the next row; false when done.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  int changes() const;

  std::string text(int col) const;  // NULL reads as ""
  std::string blob(int col) const;  // NULL reads as ""
  std::int64_t integer(int col) const;
  std::optional<std::int64_t> optional_integer(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  // Opens (creating if needed) the database file and applies the pragmas:
  // WAL, synchronous=FULL, foreign keys on, busy timeout.
  explicit Connection(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(const char* sql);  // one or more statements without parameters
  // A cached prepared statement (cached by its SQL text), reset and with
  // its bindings cleared.
  Statement prepare(const std::string& sql);

  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace samflyt::store::sqlite
