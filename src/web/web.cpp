#include "web/web.hpp"

#include "web/internal.hpp"

namespace samflyt::web {

void add_web_routes(http::Router& router, service::Context& ctx, WebOptions options) {
  // Routes keep a reference: one Web for the server's lifetime.
  static std::vector<std::unique_ptr<Web>> webs;
  webs.push_back(std::make_unique<Web>(Web{ctx, options}));
  Web& web = *webs.back();
  add_static_routes(router);
  add_login_routes(router, web);
  add_start_routes(router, web);
  add_new_episode_routes(router, web);  // before /episodes/{id}
  add_episode_routes(router, web);
  add_care_team_routes(router, web);
  add_consent_routes(router, web);
  add_ledger_routes(router, web);
  add_message_routes(router, web);
}

bool is_page_path(std::string_view path) {
  return !path.starts_with("/api/") && path != "/api" && !path.starts_with("/auth/");
}

http::Response render_failure(http::Failure failure, const http::Request& request) {
  (void)request;
  switch (failure) {
    case http::Failure::not_found:
      return bare_error_page(404, "nb");
    case http::Failure::method_not_allowed:
      return bare_error_page(405, "nb");
    case http::Failure::payload_too_large:
      return bare_error_page(413, "nb");
    case http::Failure::unavailable:
      return bare_error_page(503, "nb");
    case http::Failure::internal:
      break;
  }
  return bare_error_page(500, "nb");
}

}  // namespace samflyt::web
