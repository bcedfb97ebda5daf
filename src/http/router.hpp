// HTTP types of our own and the router. Handlers see only these types, so
// RESTinio stays inside src/http/server.cpp.
//
// Route patterns are literal segments and {name} parameters:
// "/api/v1/episodes/{id}". Matching is exact (no trailing slash), and
// percent-encoded path segments are decoded before they reach a handler.
// The router is built at start-up and read-only afterwards: thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace samflyt::http {

struct Request {
  std::string method;                                        // "GET", "POST", ...
  std::string path;                                          // without the query
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::map<std::string, std::string> query;                  // decoded
  std::map<std::string, std::string> params;                 // from the route pattern
  std::string body;
  std::string request_id;

  std::optional<std::string_view> header(std::string_view lowercase_name) const;
  std::string_view param(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the server holds the response back and calls this with a
  // function to call once, from any thread: with true to send the
  // response, with false to send an `unavailable` failure instead (e.g.
  // the audit rows of the data it carries could not be written). The
  // handler's thread serves other requests meanwhile.
  std::function<void(std::function<void(bool)>)> hold_until;

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

using Handler = std::function<Response(const Request&)>;

// Failures the server detects before a handler runs; the application
// renders them (as problem+json) through an ErrorRenderer.
enum class Failure { not_found, method_not_allowed, payload_too_large, unavailable, internal };
using ErrorRenderer = std::function<Response(Failure, const Request&)>;

struct Route {
  std::string method;
  std::string pattern;
};

class Router {
 public:
  // `max_body_bytes` other than 0 replaces the server's limit on request
  // bodies for this route (at most the server's hard limit, 64 MiB).
  void add(std::string method, std::string pattern, Handler handler,
           std::size_t max_body_bytes = 0);

  struct Match {
    const Handler* handler = nullptr;  // null: no route
    std::vector<std::string> allowed;  // when no route: the methods the path has
    std::map<std::string, std::string> params;
    std::size_t max_body_bytes = 0;  // 0: the server's limit
  };
  Match match(std::string_view method, std::string_view path) const;

  std::vector<Route> routes() const;  // in the order added

 private:
  struct Entry {
    Route route;
    std::vector<std::string> segments;
    Handler handler;
    std::size_t max_body_bytes = 0;
  };
  std::vector<Entry> entries_;
};

// Percent-decoding ('+' as space when `form` is true); std::nullopt when
// the text has a bad escape.
std::optional<std::string> percent_decode(std::string_view s, bool form);
// Parses "a=1&b=2"; later duplicates win. Bad escapes are kept verbatim.
std::map<std::string, std::string> parse_query(std::string_view query);
// Text for HTML, in element content or a quoted attribute: & < > " ' escaped.
std::string html_escape(std::string_view s);

}  // namespace samflyt::http
