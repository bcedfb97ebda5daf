#include "store/http_transport.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <utility>

#include "net/curl.hpp"

namespace samflyt::store {

namespace {

constexpr long kConnectTimeoutMs = 5'000;
constexpr long kTotalTimeoutMs = 120'000;
constexpr long kLowSpeedBytesPerSecond = 1024;
constexpr long kLowSpeedSeconds = 30;
constexpr std::size_t kMaxAnswerBytes = 64 * 1024;  // the peer's JSON answer or problem

using net::ensure_curl;

// Keeps the start of the peer's answer, for the error text.
std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* answer = static_cast<std::string*>(user);
  const std::size_t bytes = size * count;
  answer->append(data,
                 std::min(bytes, kMaxAnswerBytes - std::min(kMaxAnswerBytes, answer->size())));
  return bytes;
}

// The peer's problem detail for a log line: printable ASCII, at most 300 characters.
std::string excerpt(const std::string& answer) {
  std::string out;
  for (unsigned char c : answer) {
    if (out.size() >= 300) break;
    out += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : ' ';
  }
  return out;
}

Error refused(ErrorCode code, const std::string& url, long status, const std::string& en,
              const std::string& nb, const std::string& answer) {
  const std::string said = answer.empty() ? std::string() : ": " + excerpt(answer);
  return make_error(code,
                    "The message peer " + url + " answered HTTP " + std::to_string(status) + " (" +
                        en + ")" + said,
                    "Meldingsmottakeren " + url + " svarte HTTP " + std::to_string(status) + " (" +
                        nb + ")" + said);
}

}  // namespace

bool message_peer_url_allowed(std::string_view url) {
  return net::outgoing_url_allowed(url);
}

HttpTransport::HttpTransport(std::vector<MessagePeer> peers, service::MessageTransport* otherwise)
    : peers_(std::move(peers)), otherwise_(otherwise) {
  ensure_curl();
  for (std::size_t i = 0; i < peers_.size(); ++i) {
    const auto& p = peers_[i];
    if (!message_peer_url_allowed(p.url))
      throw std::invalid_argument(
          "message_peers: url must be https:// (http:// only to 127.0.0.1, ::1 or localhost) "
          "without user information, not '" +
          p.url + "'");
    if (p.token.empty())
      throw std::invalid_argument("message_peers: the peer at " + p.url + " has no token");
    if (p.her_ids.empty())
      throw std::invalid_argument("message_peers: the peer at " + p.url + " lists no her_ids");
    for (auto her : p.her_ids)
      if (!peer_of_.emplace(her, i).second)
        throw std::invalid_argument("message_peers: HER-id " + std::to_string(her) +
                                    " is listed for more than one peer");
  }
}

Result<void> HttpTransport::send(std::string_view bytes, const std::string& name,
                                 std::optional<std::int64_t> receiver_her_id) {
  auto route = receiver_her_id ? peer_of_.find(*receiver_her_id) : peer_of_.end();
  if (route == peer_of_.end()) {
    if (otherwise_) return otherwise_->send(bytes, name, receiver_her_id);
    const std::string her =
        receiver_her_id ? "HER-id " + std::to_string(*receiver_her_id) : "(no HER-id)";
    return make_error(ErrorCode::not_found,
                      "No message peer receives for the receiver " + her + " of " + name +
                          ": add it to the her_ids of a [[message_peers]] entry.",
                      "Ingen meldingsmottaker tar imot for mottakeren " + her + " av " + name +
                          ": legg den til i her_ids under [[message_peers]].");
  }
  const MessagePeer& peer = peers_[route->second];
  auto unreachable = [&](const std::string& why) {
    return make_error(ErrorCode::unavailable,
                      "The message peer " + peer.url + " cannot be reached (" + why +
                          "); the message stays queued.",
                      "Meldingsmottakeren " + peer.url + " svarer ikke (" + why +
                          "); meldingen blir liggende i køen.");
  };

  net::Curl curl(curl_easy_init());
  if (!curl) return unreachable("libcurl could not start a request");
  net::Headers headers;
  for (const std::string& h :
       {std::string("Content-Type: application/xml"), std::string("Accept: application/json"),
        std::string("Expect:"), "Authorization: Bearer " + peer.token})
    if (!headers.add(h)) return unreachable("out of memory");
  std::string answer;
  char error_text[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  const bool set =
      curl_easy_setopt(c, CURLOPT_URL, peer.url.c_str()) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, kTotalTimeoutMs) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, kLowSpeedBytesPerSecond) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, kLowSpeedSeconds) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_POST, 1L) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(bytes.size())) ==
          CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, bytes.data()) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text) == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_USERAGENT, "samflyt") == CURLE_OK &&
      curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get()) == CURLE_OK;
  if (!set) return unreachable("libcurl refused an option");

  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return unreachable(error_text[0] ? error_text : curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return {};
  if (status >= 500 || status == 429)
    return unreachable("HTTP " + std::to_string(status) + (answer.empty() ? "" : ": ") +
                       excerpt(answer));
  if (status == 401 || status == 403)
    return refused(ErrorCode::forbidden, peer.url, status,
                   "our token was refused: check token_file, and that the peer's account has "
                   "the role meldingsutveksling",
                   "nøkkelen vår ble avvist: sjekk token_file, og at kontoen hos mottakeren har "
                   "rollen meldingsutveksling",
                   answer);
  if (status == 413)
    return refused(ErrorCode::payload_too_large, peer.url, status,
                   "the message is larger than the peer accepts",
                   "meldingen er større enn mottakeren tar imot", answer);
  return refused(ErrorCode::invalid_input, peer.url, status,
                 status >= 300 && status < 400 ? "a redirect: url must be the endpoint itself"
                                               : "the message was refused",
                 status >= 300 && status < 400 ? "en videresending: url må være selve endepunktet"
                                               : "meldingen ble avvist",
                 answer);
}

Result<std::vector<service::TransportedMessage>> HttpTransport::receive(std::size_t limit) {
  if (otherwise_) return otherwise_->receive(limit);
  return std::vector<service::TransportedMessage>{};
}

Result<void> HttpTransport::acknowledge(const std::vector<std::string>& names) {
  if (otherwise_) return otherwise_->acknowledge(names);
  return {};
}

Result<void> HttpTransport::set_aside(const std::string& name, const std::string& reason) {
  if (otherwise_) return otherwise_->set_aside(name, reason);
  return {};
}

}  // namespace samflyt::store
