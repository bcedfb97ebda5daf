// The HTTP message transport between Samflyt instances (docs/adr/0009-
// http-message-transport.md): send() POSTs a message to the peer that
// serves its receiver; the peer's POST /api/v1/messages/inbox answers 2xx
// only once the message is committed there, so 2xx means "handed over
// durably". Messages arrive through that endpoint of our own server, so
// receive() has nothing to return, unless another transport (the file
// drop) is given for the receivers no peer serves: then it sends those,
// and receive(), acknowledge() and set_aside() are its.
//
// Routing: each peer lists the routing HER-ids it serves (the receiving
// units', and the organisations' for messages addressed to no unit); a
// HER-id belongs to one peer. Requests: Content-Type application/xml, the
// bytes unchanged, `Authorization: Bearer <token>` (a token of the system
// account the peer made for us); TLS peer and host-name verification on,
// no redirects followed, connect timeout 5 s, and a request that moves
// less than 1 KiB/s for 30 s or lasts over 120 s is given up.
//
// send()'s errors, all with the peer's URL and never the message:
// - unavailable (try again next round): the peer cannot be reached, times
//   out, or answers 5xx or 429;
// - not_found: no peer serves the receiver's HER-id (or the message names
//   none), and there is no other transport;
// - forbidden: the peer refused our token (401, 403);
// - payload_too_large: the peer's limit (413);
// - invalid_input: any other answer (another 4xx, a redirect).
//
// Thread-compatible: one poller uses an instance at a time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/ports.hpp"

namespace samflyt::store {

struct MessagePeer {
  std::vector<std::int64_t> her_ids;  // the routing HER-ids it receives for
  std::string url;    // its endpoint, e.g. https://samflyt.example/api/v1/messages/inbox
  std::string token;  // the bearer token it gave us
};

class HttpTransport final : public service::MessageTransport {
 public:
  // Throws std::invalid_argument naming the problem when a peer's URL is
  // not https:// (http:// only to 127.0.0.1, ::1 or localhost) or carries
  // user information, its token is empty, it lists no HER-id, or a HER-id
  // is listed twice. `otherwise`, when given, must outlive this.
  explicit HttpTransport(std::vector<MessagePeer> peers,
                         service::MessageTransport* otherwise = nullptr);

  Result<void> send(std::string_view bytes, const std::string& name,
                    std::optional<std::int64_t> receiver_her_id) override;
  // Nothing (messages arrive through the endpoint), or `otherwise`'s.
  Result<std::vector<service::TransportedMessage>> receive(std::size_t limit) override;
  Result<void> acknowledge(const std::vector<std::string>& names) override;
  Result<void> set_aside(const std::string& name, const std::string& reason) override;

 private:
  std::vector<MessagePeer> peers_;
  service::MessageTransport* otherwise_;
  std::map<std::int64_t, std::size_t> peer_of_;  // HER-id -> index in peers_
};

// Whether a peer may be sent to at `url`: https://, or http:// to a
// loopback host (127.0.0.1, ::1, localhost); no user information.
bool message_peer_url_allowed(std::string_view url);

}  // namespace samflyt::store
