// Configuration: defaults, then a TOML file (--config), then environment
// (SAMFLYT_DB, SAMFLYT_LISTEN, SAMFLYT_OIDC_CLIENT_SECRET), then
// command-line flags; the later wins.
//
//   db = "var/samflyt.db"            # SQLite file
//   listen = "127.0.0.1:8080"        # HOST:PORT
//   threads = 4                      # HTTP worker threads
//   pathways = "pathways"            # folder of pathway templates (*.yaml)
//   allow_test_identities = false    # H-numbers and synthetic national ids
//   secure_cookies = false           # mark session cookies Secure (TLS in front)
//   session_idle_minutes = 30        # a session ends after this long unused
//   session_absolute_hours = 12      # and this long after login, however used
//   log_level = "info"               # trace, debug, info, warn, error
//   message_own_her_ids = [8100001, 8100042]
//                                    # the receivers that are ours: messages to
//                                    # others are kept but not answered; default:
//                                    # every organisation in the database with a HER-id
//   message_schemas = "/etc/samflyt/standards/schemas"
//                                    # the official message schemas (all-v16.xsd,
//                                    # all-v15.xsd, apprec-v1.x.xsd): incoming messages
//                                    # are validated strictly; empty: structural and
//                                    # semantic checks only (docs/adr/0006)
//
// The discharge-ready ledger (docs/discharge-ready-ledger.md): the rates
// for 2014–2024 are built in; later years (or corrections) are set here.
//
//   admission_notice_hours = 24      # R1: the varsel's limit after admission
//   [day_rates]                      # døgnpris in whole NOK per year (R8); a TOML
//                                    # table, so after every other setting
//   2025 = 1234                      # (look up the year's official rate)
//
// Login with OpenID Connect (HelseID; authorization code flow with PKCE),
// on when oidc_issuer is set; then oidc_client_id and oidc_redirect_uri are
// required. URLs must be https:// (http:// only to 127.0.0.1, ::1 or
// localhost). Accounts are linked with `samflyt user add --oidc-subject
// "<issuer> <sub>"`.
//
//   oidc_issuer = "https://helseid-sts.nhn.no"   # exactly the provider's "issuer"
//   oidc_client_id = "..."
//   oidc_client_secret = "..."       # client_secret_basic; prefer the environment
//                                    # variable SAMFLYT_OIDC_CLIENT_SECRET, which
//                                    # wins; empty: a public client (PKCE only)
//   oidc_redirect_uri = "https://samflyt.example/auth/oidc/callback"
//   oidc_scopes = "openid profile"   # space-separated; must contain openid
//
// Messages (docs/adr/0008, docs/adr/0009). serve runs a message round every
// message_poll_seconds when it has somewhere to send: the file-drop
// folders, or HTTP peers. Messages from other Samflyt instances arrive at
// POST /api/v1/messages/inbox whatever is set here.
//
//   message_inbox = "/var/lib/samflyt/inbox"    # file drop: both folders, or neither
//   message_outbox = "/var/lib/samflyt/outbox"
//   message_poll_seconds = 5
//   [[message_peers]]                # HTTP: instead of the file drop's outbox;
//                                    # one table per peer, after the other settings
//   her_ids = [8200001, 8200017]     # the routing HER-ids it receives for
//   url = "https://samflyt.kommune.example/api/v1/messages/inbox"
//   token_file = "/etc/samflyt/peer-kommune.token"
//                                    # the bearer token the peer gave us (samflyt
//                                    # token create there), alone in the file
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace samflyt::cli {

// Another Samflyt (or a message service) that receives messages over HTTP.
struct MessagePeerConfig {
  std::vector<std::int64_t> her_ids;
  std::string url;
  std::string token_file;
};

struct Config {
  std::string db = "var/samflyt.db";
  std::string listen = "127.0.0.1:8080";
  int threads = 4;
  std::string pathways = "pathways";
  bool allow_test_identities = false;
  bool secure_cookies = false;
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  std::string log_level = "info";
  int admission_notice_hours = 24;
  std::map<int, std::int64_t> day_rates;  // added to (or replacing) the built-in ones
  std::string message_schemas;            // empty: no strict schema validation of messages
  std::string message_inbox;              // file-drop folders; both set: serve polls them
  std::string message_outbox;
  // The HER-ids messages are received for (this deployment's
  // organisations and services); empty: every organisation in the
  // database that has one.
  std::vector<std::int64_t> message_own_her_ids;
  int apprec_alert_minutes = 60;                 // the watchdog's alert when no AppRec came
  int message_poll_seconds = 5;                  // serve: the pause between message rounds
  std::vector<MessagePeerConfig> message_peers;  // HTTP transport; none: the file drop
  std::string oidc_issuer;                       // empty: no OpenID Connect login
  std::string oidc_client_id;
  std::string oidc_client_secret;
  std::string oidc_redirect_uri;
  std::string oidc_scopes = "openid profile";
};

// Reads a TOML file over `config`. Throws std::runtime_error naming the
// file, line and problem.
void read_config_file(const std::string& path, Config& config);
// Applies SAMFLYT_DB, SAMFLYT_LISTEN and SAMFLYT_OIDC_CLIENT_SECRET when set.
void read_environment(Config& config);

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
// "HOST:PORT" or "[IPv6]:PORT". Throws std::runtime_error when malformed.
ListenAddress parse_listen(const std::string& text);
bool is_loopback(const std::string& host);

}  // namespace samflyt::cli
