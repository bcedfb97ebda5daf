// The migrations, embedded at build time from src/store/migrations/*.sql
// (numbered NNNN_name.sql; applied in order, never edited once released).
#pragma once

#include <string_view>
#include <vector>

namespace samflyt::store {

struct Migration {
  int number;
  std::string_view name;
  std::string_view sql;
};

const std::vector<Migration>& migrations();        // the main database
const std::vector<Migration>& audit_migrations();  // the audit log's own file

}  // namespace samflyt::store
