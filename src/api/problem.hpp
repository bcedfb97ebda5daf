// Errors at the HTTP boundary: application/problem+json (RFC 9457) with a
// stable `type`, English and Norwegian titles and details, the offending
// `field` when there is one, and the request id. Never internals or
// patient data.
#pragma once

#include "core/result.hpp"
#include "http/router.hpp"

namespace samflyt::api {

// The one place an ErrorCode becomes an HTTP status.
int http_status(ErrorCode code);

// `status` overrides the status of the error's code (e.g. 405).
http::Response problem(const Error& error, const http::Request& request, int status = 0);

// Renders the failures the server detects before a handler runs.
http::Response render_failure(http::Failure failure, const http::Request& request);

}  // namespace samflyt::api
