#include "service/use_cases.hpp"

namespace samflyt::service {

Result<TemplatePtr> load_template(Context& ctx, std::string_view text,
                                  const std::string& file_name) {
  SAMFLYT_TRY(core::PathwayTemplate parsed, core::parse_pathway(text, file_name));
  auto ptr = std::make_shared<const core::PathwayTemplate>(std::move(parsed));
  StoredTemplate stored{ptr->id, ptr->version, std::string(text), file_name, ctx.clock.now()};
  SAMFLYT_CHECK(in_transaction(
      ctx.db, TxMode::write, [&](Transaction& tx) { return tx.templates().put_current(stored); }));
  ctx.templates.remember(ptr);
  return ptr;
}

}  // namespace samflyt::service
