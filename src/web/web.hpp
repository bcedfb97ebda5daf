// The web application: server-rendered HTML pages for people (nurses,
// case workers, families), progressively enhanced with htmx. Every page
// calls the same use cases as the JSON API, so access control and the
// audit log are the same; see docs/ARCHITECTURE.md ("The web layer").
#pragma once

#include "http/router.hpp"
#include "service/context.hpp"

namespace samflyt::web {

struct WebOptions {
  bool oidc_enabled = false;  // show the button to log in with OpenID Connect
};

// Adds every page route (everything outside /api/ and /auth/).
void add_web_routes(http::Router& router, service::Context& ctx, WebOptions options);

// Whether a failure on this path is answered with an HTML page (the
// pages) rather than problem+json (the API).
bool is_page_path(std::string_view path);

// 404, 405, 413, 503 and 500 as HTML pages in both languages, without
// data.
http::Response render_failure(http::Failure failure, const http::Request& request);

}  // namespace samflyt::web
