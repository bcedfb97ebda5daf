#include "cli/config.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <cstdlib>
#include <set>
#include <sstream>
#include <stdexcept>

namespace samflyt::cli {

namespace {

// A non-empty list of HER-ids (positive whole numbers); empty when the
// value is not one.
std::vector<std::int64_t> her_id_list(const toml::node& value) {
  std::vector<std::int64_t> out;
  const auto* ids = value.as_array();
  if (!ids) return out;
  for (const auto& id : *ids) {
    auto n = id.value<int64_t>();
    if (!id.is_integer() || !n || *n < 1) return {};
    out.push_back(*n);
  }
  return out;
}

// One [[message_peers]] table: her_ids (positive whole numbers), url and
// token_file (texts), nothing else.
MessagePeerConfig read_peer(const std::string& path, const toml::table& t) {
  auto bad = [&](const std::string& what) {
    throw std::runtime_error(path + ": [[message_peers]] " + what);
  };
  MessagePeerConfig peer;
  for (const auto& [key, value] : t) {
    std::string k(key.str());
    if (k == "her_ids") {
      peer.her_ids = her_id_list(value);
      if (peer.her_ids.empty())
        bad("her_ids must be a list of HER-ids (positive whole numbers), e.g. [8200001]");
    } else if (k == "url" || k == "token_file") {
      if (!value.is_string()) bad("'" + k + "' must be a text");
      (k == "url" ? peer.url : peer.token_file) = *value.value<std::string>();
    } else {
      bad("has an unknown setting '" + k + "'");
    }
  }
  if (peer.her_ids.empty() || peer.url.empty() || peer.token_file.empty())
    bad("needs her_ids, url and token_file");
  return peer;
}

}  // namespace

void read_config_file(const std::string& path, Config& config) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << path << ":" << e.source().begin.line << ": " << e.description();
    throw std::runtime_error(msg.str());
  }
  for (const auto& [key, value] : t) {
    std::string k(key.str());
    auto bad = [&](const char* what) {
      throw std::runtime_error(path + ": '" + k + "' must be " + what);
    };
    if (k == "db") {
      if (!value.is_string()) bad("a text");
      config.db = *value.value<std::string>();
    } else if (k == "listen") {
      if (!value.is_string()) bad("a text such as \"127.0.0.1:8080\"");
      config.listen = *value.value<std::string>();
    } else if (k == "threads") {
      auto n = value.value<int64_t>();
      if (!n || *n < 1 || *n > 256) bad("a whole number from 1 to 256");
      config.threads = static_cast<int>(*n);
    } else if (k == "pathways") {
      if (!value.is_string()) bad("a text");
      config.pathways = *value.value<std::string>();
    } else if (k == "message_schemas") {
      if (!value.is_string()) bad("a text (a folder)");
      config.message_schemas = *value.value<std::string>();
    } else if (k == "message_inbox" || k == "message_outbox") {
      if (!value.is_string()) bad("a text (a folder)");
      (k == "message_inbox" ? config.message_inbox : config.message_outbox) =
          *value.value<std::string>();
    } else if (k == "message_peers") {
      const auto* peers = value.as_array();
      if (!peers || !peers->is_array_of_tables())
        bad("tables: [[message_peers]] with her_ids, url and token_file");
      for (const auto& entry : *peers)
        config.message_peers.push_back(read_peer(path, *entry.as_table()));
    } else if (k == "message_own_her_ids") {
      config.message_own_her_ids = her_id_list(value);
      if (config.message_own_her_ids.empty())
        bad("a list of HER-ids (positive whole numbers), e.g. [8100001, 8100042]");
    } else if (k == "apprec_alert_minutes") {
      auto n = value.value<int64_t>();
      if (!n || *n < 1 || *n > 96 * 60) bad("a whole number of minutes from 1 to 5760");
      config.apprec_alert_minutes = static_cast<int>(*n);
    } else if (k == "message_poll_seconds") {
      auto n = value.value<int64_t>();
      if (!n || *n < 1 || *n > 3600) bad("a whole number of seconds from 1 to 3600");
      config.message_poll_seconds = static_cast<int>(*n);
    } else if (k == "allow_test_identities") {
      if (!value.is_boolean()) bad("true or false");
      config.allow_test_identities = *value.value<bool>();
    } else if (k == "session_idle_minutes" || k == "session_absolute_hours") {
      auto n = value.value<int64_t>();
      if (!n || *n < 1 || *n > 24 * 60) bad("a whole number from 1 to 1440");
      (k == "session_idle_minutes" ? config.session_idle_minutes : config.session_absolute_hours) =
          static_cast<int>(*n);
    } else if (k == "secure_cookies") {
      if (!value.is_boolean()) bad("true or false");
      config.secure_cookies = *value.value<bool>();
    } else if (k == "admission_notice_hours") {
      auto n = value.value<int64_t>();
      if (!n || *n < 1 || *n > 24 * 14) bad("a whole number of hours from 1 to 336");
      config.admission_notice_hours = static_cast<int>(*n);
    } else if (k == "day_rates") {
      if (!value.is_table()) bad("a table of years and day rates, e.g. [day_rates] 2025 = 1234");
      for (const auto& [year_key, rate] : *value.as_table()) {
        std::string_view y = year_key.str();
        int year = 0;
        auto [end, ec] = std::from_chars(y.data(), y.data() + y.size(), year);
        auto n = rate.value<int64_t>();
        if (ec != std::errc() || end != y.data() + y.size() || year < 2000 || year > 2200)
          bad("a table whose keys are years from 2000 to 2200");
        if (!n || *n < 1 || *n > 1'000'000) bad("a table of whole NOK amounts from 1 to 1000000");
        config.day_rates[year] = *n;
      }
    } else if (k == "log_level") {
      auto level = value.value<std::string>();
      const std::set<std::string> levels{"trace", "debug", "info", "warn", "error"};
      if (!level || !levels.count(*level)) bad("one of trace, debug, info, warn, error");
      config.log_level = *level;
    } else if (k == "oidc_issuer" || k == "oidc_client_id" || k == "oidc_client_secret" ||
               k == "oidc_redirect_uri" || k == "oidc_scopes") {
      if (!value.is_string()) bad("a text");
      std::string text = *value.value<std::string>();
      if (k == "oidc_issuer") config.oidc_issuer = text;
      if (k == "oidc_client_id") config.oidc_client_id = text;
      if (k == "oidc_client_secret") config.oidc_client_secret = text;
      if (k == "oidc_redirect_uri") config.oidc_redirect_uri = text;
      if (k == "oidc_scopes") config.oidc_scopes = text;
    } else {
      throw std::runtime_error(path + ": unknown setting '" + k + "'");
    }
  }
}

void read_environment(Config& config) {
  if (const char* db = std::getenv("SAMFLYT_DB"); db && *db) config.db = db;
  if (const char* listen = std::getenv("SAMFLYT_LISTEN"); listen && *listen) config.listen = listen;
  if (const char* secret = std::getenv("SAMFLYT_OIDC_CLIENT_SECRET"); secret && *secret)
    config.oidc_client_secret = secret;
}

ListenAddress parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw std::runtime_error("--listen must be HOST:PORT, e.g. 127.0.0.1:8080, not '" + text + "'");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::string port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || p != port_text.data() + port_text.size() || port == 0 || port > 65535)
    throw std::runtime_error("the port in --listen must be a number from 1 to 65535, not '" +
                             port_text + "'");
  return ListenAddress{host, static_cast<std::uint16_t>(port)};
}

bool is_loopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  // 127.0.0.0/8, written as four decimal numbers.
  if (host.rfind("127.", 0) != 0) return false;
  int parts = 0;
  std::size_t i = 0;
  while (i <= host.size()) {
    std::size_t j = host.find('.', i);
    if (j == std::string::npos) j = host.size();
    std::string part = host.substr(i, j - i);
    unsigned v = 256;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc{} || p != part.data() + part.size() || v > 255)
      return false;
    ++parts;
    i = j + 1;
  }
  return parts == 4;
}

}  // namespace samflyt::cli
