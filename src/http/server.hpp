// The HTTP server: RESTinio on a thread pool. Handlers run on the pool's
// threads and may block briefly (SQLite calls); every request is handled
// synchronously by one thread.
//
// Before a handler runs, the server assigns a request id (the client's
// X-Request-Id if it is sane, otherwise a new one), refuses bodies over
// the limit (413; the route's own limit when it has one) and unknown
// routes (404/405), and turns any exception a handler lets through into a
// 500 without internals. Every response gets X-Request-Id and basic
// security headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "http/router.hpp"

namespace samflyt::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::size_t threads = 4;
  std::size_t max_body_bytes = std::size_t{1024} * 1024;
  std::function<std::string()> new_request_id;  // required
};

// Serves until SIGINT or SIGTERM, then finishes the requests in flight
// and returns. Throws std::runtime_error when it cannot listen.
void serve(const ServerOptions& options, const Router& router, const ErrorRenderer& render_error);

}  // namespace samflyt::http
