// What every use case is given: the ports, the template catalogue and the
// identity policy. Built once by cli/ and shared by all request threads.
#pragma once

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <utility>

#include "core/identifiers.hpp"
#include "core/pathway.hpp"
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

struct Context {
  Database& db;
  Clock& clock;
  IdGenerator& ids;
  TemplateCatalog& templates;
  core::IdentityPolicy identity;
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
