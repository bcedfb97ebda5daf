#include "net/curl.hpp"

#include <cctype>
#include <mutex>
#include <stdexcept>

namespace samflyt::net {

void ensure_curl() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("libcurl could not be initialised");
  });
}

bool Headers::add(const std::string& header) {
  curl_slist* grown = curl_slist_append(list_.get(), header.c_str());
  if (!grown) return false;
  (void)list_.release();  // now owned by `grown`
  list_.reset(grown);
  return true;
}

bool outgoing_url_allowed(std::string_view url) {
  ensure_curl();
  struct UrlDeleter {
    void operator()(CURLU* u) const { curl_url_cleanup(u); }
  };
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK)
    return false;
  auto part = [&](CURLUPart which) {
    char* raw = nullptr;
    if (curl_url_get(u.get(), which, &raw, 0) != CURLUE_OK || !raw) return std::string();
    std::string text = raw;
    curl_free(raw);
    for (auto& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return text;
  };
  if (!part(CURLUPART_USER).empty() || !part(CURLUPART_PASSWORD).empty()) return false;
  const std::string scheme = part(CURLUPART_SCHEME);
  const std::string host = part(CURLUPART_HOST);
  if (host.empty()) return false;
  if (scheme == "https") return true;
  return scheme == "http" &&
         (host == "127.0.0.1" || host == "[::1]" || host == "::1" || host == "localhost");
}

}  // namespace samflyt::net
