// Configuration: defaults, then a TOML file (--config), then environment
// (SAMFLYT_DB, SAMFLYT_LISTEN), then command-line flags; the later wins.
//
//   db = "var/samflyt.db"            # SQLite file
//   listen = "127.0.0.1:8080"        # HOST:PORT
//   threads = 4                      # HTTP worker threads
//   pathways = "pathways"            # folder of pathway templates (*.yaml)
//   allow_test_identities = false    # H-numbers and synthetic national ids
//   secure_cookies = false           # mark session cookies Secure (TLS in front)
//   log_level = "info"               # trace, debug, info, warn, error
#pragma once

#include <cstdint>
#include <string>

namespace samflyt::cli {

struct Config {
  std::string db = "var/samflyt.db";
  std::string listen = "127.0.0.1:8080";
  int threads = 4;
  std::string pathways = "pathways";
  bool allow_test_identities = false;
  bool secure_cookies = false;
  std::string log_level = "info";
};

// Reads a TOML file over `config`. Throws std::runtime_error naming the
// file, line and problem.
void read_config_file(const std::string& path, Config& config);
// Applies SAMFLYT_DB and SAMFLYT_LISTEN when set.
void read_environment(Config& config);

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
// "HOST:PORT" or "[IPv6]:PORT". Throws std::runtime_error when malformed.
ListenAddress parse_listen(const std::string& text);
bool is_loopback(const std::string& host);

}  // namespace samflyt::cli
