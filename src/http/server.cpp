#include "http/server.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <restinio/all.hpp>

namespace samflyt::http {

namespace {

// Parsers may read this much before they give up on a request; bodies
// between the route's limit (max_body_bytes unless the route has its own)
// and this limit are answered with a 413 problem, larger ones make
// RESTinio close the connection.
constexpr std::uint64_t kHardBodyLimit = 64ULL * 1024 * 1024;

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

bool sane_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

Request to_request(const restinio::request_handle_t& req) {
  Request r;
  r.method = req->header().method().c_str();
  r.path = std::string(req->header().path());
  r.query = parse_query(req->header().query());
  req->header().for_each_field([&](const restinio::http_header_field_t& f) {
    std::string name(f.name());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    r.headers.emplace_back(std::move(name), std::string(f.value()));
  });
  r.body = req->body();
  return r;
}

Response dispatch(const ServerOptions& options, const Router& router,
                  const ErrorRenderer& render_error, Request& request) {
  auto supplied = request.header("x-request-id");
  request.request_id =
      supplied && sane_request_id(*supplied) ? std::string(*supplied) : options.new_request_id();
  try {
    auto match = router.match(request.method, request.path);
    const std::size_t limit = match.max_body_bytes ? match.max_body_bytes : options.max_body_bytes;
    if (request.body.size() > limit) return render_error(Failure::payload_too_large, request);
    if (!match.handler) {
      if (match.allowed.empty()) return render_error(Failure::not_found, request);
      Response r = render_error(Failure::method_not_allowed, request);
      std::string allow;
      for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
      return r.header("Allow", allow);
    }
    request.params = std::move(match.params);
    return (*match.handler)(request);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", request.request_id, request.method, request.path,
                  e.what());
    return render_error(Failure::internal, request);
  }
}

}  // namespace

void serve(const ServerOptions& options, const Router& router, const ErrorRenderer& render_error) {
  using traits_t = restinio::default_traits_t;

  // Held responses (Response::hold_until) still to be sent: serve() waits
  // for them before it stops the server, and a release that comes later
  // (past the wait's limit) sends nothing.
  struct Held {
    std::mutex mutex;
    std::condition_variable none_left;
    int count = 0;
    bool closed = false;
  };
  auto held_state = std::make_shared<Held>();

  // Sends a response; safe on any thread (RESTinio posts the write to the
  // connection's strand).
  auto send = [](const restinio::request_handle_t& req, const Request& request, Response response,
                 std::chrono::steady_clock::time_point started) {
    auto out = req->create_response(restinio::http_status_line_t{
        restinio::http_status_code_t{static_cast<std::uint16_t>(response.status)},
        reason_phrase(response.status)});
    out.append_header("X-Request-Id", request.request_id);
    out.append_header("X-Content-Type-Options", "nosniff");
    out.append_header("Referrer-Policy", "no-referrer");
    for (const auto& [name, value] : response.headers) out.append_header(name, value);
    out.set_body(std::move(response.body));
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    spdlog::debug("{} {} {} {} {}us", request.request_id, request.method, request.path,
                  response.status, micros.count());
    return out.done();
  };

  auto handler = [&](restinio::request_handle_t req) {
    auto started = std::chrono::steady_clock::now();
    auto request = std::make_shared<Request>(to_request(req));
    Response response = dispatch(options, router, render_error, *request);
    if (!response.hold_until) return send(req, *request, std::move(response), started);
    auto hold = std::move(response.hold_until);
    auto held = std::make_shared<Response>(std::move(response));
    {
      std::lock_guard lock(held_state->mutex);
      ++held_state->count;
    }
    hold([req, request, held, started, send, render_error, state = held_state](bool ok) {
      std::lock_guard lock(state->mutex);
      if (!state->closed) {
        try {
          send(req, *request, ok ? std::move(*held) : render_error(Failure::unavailable, *request),
               started);
        } catch (const std::exception& e) {
          spdlog::error("request {}: the held response could not be sent: {}", request->request_id,
                        e.what());
        }
      }
      if (--state->count == 0) state->none_left.notify_all();
    });
    return restinio::request_accepted();
  };

  // Block the stop signals in every thread (the pool inherits the mask) and
  // wait for them here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto server = restinio::run_async<traits_t>(
      restinio::own_io_context(),
      restinio::server_settings_t<traits_t>{}
          .address(options.host)
          .port(options.port)
          .request_handler(std::move(handler))
          .incoming_http_msg_limits(
              restinio::incoming_http_msg_limits_t{}.max_body_size(kHardBodyLimit))
          .read_next_http_message_timelimit(std::chrono::seconds(60))
          .handle_request_timeout(std::chrono::seconds(30))
          .write_http_response_timelimit(std::chrono::seconds(30)),
      options.threads);
  spdlog::info("listening on http://{}:{} with {} threads", options.host, options.port,
               options.threads);

  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("signal {} received; finishing requests in flight", received);
  {
    std::unique_lock lock(held_state->mutex);
    held_state->none_left.wait_for(lock, std::chrono::seconds(5),
                                   [&] { return held_state->count == 0; });
    held_state->closed = true;
  }
  server->stop();
  server->wait();
}

}  // namespace samflyt::http
