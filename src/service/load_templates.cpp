#include <map>

#include "service/use_cases.hpp"

namespace samflyt::service {

Result<std::vector<TemplatePtr>> load_templates(Context& ctx,
                                                const std::vector<TemplateFile>& files) {
  std::vector<TemplatePtr> parsed;
  std::map<std::string, std::string> file_of;  // pathway id -> file
  for (const auto& f : files) {
    SAMFLYT_TRY(core::PathwayTemplate t, core::parse_pathway(f.text, f.name));
    auto [it, fresh] = file_of.emplace(t.id, f.name);
    if (!fresh)
      return make_error(
          ErrorCode::invalid_input,
          "pathway '" + t.id + "' is defined in both " + it->second + " and " + f.name,
          "forløpet '" + t.id + "' er definert både i " + it->second + " og i " + f.name);
    parsed.push_back(std::make_shared<const core::PathwayTemplate>(std::move(t)));
  }
  Instant now = ctx.clock.now();
  SAMFLYT_CHECK(in_transaction(ctx.db, TxMode::write, [&](Transaction& tx) -> Result<void> {
    for (std::size_t i = 0; i < files.size(); ++i)
      SAMFLYT_CHECK(tx.templates().put_current(
          StoredTemplate{parsed[i]->id, parsed[i]->version, files[i].text, files[i].name, now}));
    return {};
  }));
  for (const auto& t : parsed) ctx.templates.remember(t);
  return parsed;
}

}  // namespace samflyt::service
