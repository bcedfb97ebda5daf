// Outgoing HTTP(S) with libcurl, shared by its two users: OpenID Connect
// login (auth/oidc.cpp) and the HTTP message transport
// (store/http_transport.cpp). The handles as owning pointers, the one-time
// global set-up, and the one rule for where Samflyt may send requests.
// Thread-safe: ensure_curl() once per process; handles are per request.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

namespace samflyt::net {

// curl_global_init, once per process; throws std::runtime_error when it
// fails. Call before any other libcurl use.
void ensure_curl();

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Curl = std::unique_ptr<CURL, CurlDeleter>;

// Request headers; add() is false when libcurl could not take one.
class Headers {
 public:
  bool add(const std::string& header);
  curl_slist* get() const { return list_.get(); }

 private:
  std::unique_ptr<curl_slist, SlistDeleter> list_;
};

// Where requests may go: https://, or http:// only to this machine
// (127.0.0.1, ::1, localhost), with a host and without user or password
// in the URL. Scheme and host in any case.
bool outgoing_url_allowed(std::string_view url);

}  // namespace samflyt::net
