#include <mutex>

#include "service/context.hpp"

namespace samflyt::service {

Result<TemplatePtr> TemplateCatalog::get(Transaction& tx, const std::string& id,
                                         const std::string& version) {
  {
    std::shared_lock lock(mutex_);
    if (auto it = parsed_.find({id, version}); it != parsed_.end()) return it->second;
  }
  SAMFLYT_TRY(auto stored, tx.templates().get(id, version));
  if (!stored)
    return make_error(ErrorCode::not_found,
                      "Pathway '" + id + "' version " + version + " is unknown.",
                      "Forløpet '" + id + "' versjon " + version + " er ukjent.");
  auto parsed = core::parse_pathway(stored->source, stored->file_name);
  if (!parsed)  // a release may only add roles and keys, never remove them
    return make_error(ErrorCode::internal,
                      "Stored pathway " + id + " version " + version +
                          " no longer parses: " + parsed.error().message,
                      "Lagret forløp " + id + " versjon " + version +
                          " kan ikke lenger leses: " + parsed.error().message_nb);
  auto ptr = std::make_shared<const core::PathwayTemplate>(std::move(parsed).value());
  remember(ptr);
  return ptr;
}

Result<TemplatePtr> TemplateCatalog::current(Transaction& tx, const std::string& id) {
  SAMFLYT_TRY(auto stored, tx.templates().current(id));
  if (!stored)
    return make_error(ErrorCode::not_found, "There is no pathway '" + id + "'.",
                      "Det finnes ikke noe forløp '" + id + "'.", "pathway_id");
  return get(tx, stored->id, stored->version);
}

void TemplateCatalog::remember(TemplatePtr t) {
  std::unique_lock lock(mutex_);
  parsed_[{t->id, t->version}] = std::move(t);
}

}  // namespace samflyt::service
