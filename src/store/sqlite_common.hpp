// Helpers shared by the SQLite repositories (internal to src/store): the
// adapter boundary that turns SQLite failures into Result errors, row
// readers, and time conversion.
#pragma once

#include <chrono>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/result.hpp"
#include "store/sqlite.hpp"

namespace samflyt::store {

using core::Instant;

// --- the adapter boundary: SQLite failures become Result errors ---------

inline Error to_error(const sqlite::Failure& f) {
  int primary = f.code & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return make_error(ErrorCode::unavailable, "The database is busy. Try again.",
                      "Databasen er opptatt. Prøv igjen.");
  if (f.code == SQLITE_CONSTRAINT_UNIQUE || f.code == SQLITE_CONSTRAINT_PRIMARYKEY)
    return make_error(ErrorCode::conflict, "It already exists.", "Det finnes allerede.");
  if (f.code == SQLITE_CONSTRAINT_FOREIGNKEY)
    return make_error(ErrorCode::invalid_input, "It refers to something that does not exist.",
                      "Det viser til noe som ikke finnes.");
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN ||
      primary == SQLITE_READONLY)
    return make_error(ErrorCode::unavailable, "The database cannot be written to.",
                      "Databasen kan ikke skrives til.");
  return make_error(ErrorCode::internal, std::string("Database error: ") + f.what(),
                    std::string("Databasefeil: ") + f.what());
}

template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const sqlite::Failure& e) {
    return to_error(e);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::unavailable, "Out of memory.", "Tomt for minne.");
  }
}

// The first row of a query, read with `read`, or nothing.
template <typename Read>
auto first_row(sqlite::Statement& s, Read read) -> std::optional<decltype(read(s))> {
  if (!s.step()) return std::nullopt;
  return read(s);
}

// Every row of a query, read with `read`.
template <typename Read>
auto all_rows(sqlite::Statement& s, Read read) -> std::vector<decltype(read(s))> {
  std::vector<decltype(read(s))> out;
  while (s.step()) out.push_back(read(s));
  return out;
}

// A JSON array of texts, for binding a list to json_each(?).
inline std::string json_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (const auto& v : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) continue;  // ids have no control characters
      out += c;
    }
    out += '"';
  }
  return out + "]";
}

inline Error stale() {
  return make_error(ErrorCode::conflict, "It was changed by someone else. Reload and try again.",
                    "Det er endret av noen andre. Last inn på nytt og prøv igjen.");
}

inline std::int64_t seconds(Instant t) {
  return t.time_since_epoch().count();
}
inline Instant instant(std::int64_t s) {
  return Instant(std::chrono::seconds(s));
}
inline std::optional<std::int64_t> seconds(const std::optional<Instant>& t) {
  return t ? std::optional<std::int64_t>(seconds(*t)) : std::nullopt;
}
inline std::optional<Instant> instant(const std::optional<std::int64_t>& s) {
  return s ? std::optional<Instant>(instant(*s)) : std::nullopt;
}

}  // namespace samflyt::store
