// Runs the real `samflyt serve` for integration tests: a temporary
// database (with the demo community loaded), a free loopback port, and a
// tiny HTTP/1.1 client. The server is stopped with SIGTERM (or killed with
// SIGKILL to simulate a crash) and can be started again on the same
// database.
#pragma once

#include <sys/types.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace samflyt::testing {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::vector<std::string> cookies;            // every Set-Cookie value, in order
  std::string body;

  nlohmann::json json() const;  // null when the body is not JSON
  std::string header(const std::string& lowercase_name) const;
};

class Server {
 public:
  // Creates a fresh temporary folder and database and loads the demo.
  Server();
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void start();
  void stop();   // SIGTERM and wait
  void crash();  // SIGKILL and wait
  void restart() {
    stop();
    start();
  }

  HttpResponse request(const std::string& method, const std::string& path,
                       const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {});
  HttpResponse get(const std::string& path) { return request("GET", path); }
  HttpResponse post_json(const std::string& path, const nlohmann::json& body) {
    return request("POST", path, body.dump(), {{"Content-Type", "application/json"}});
  }

  // Later requests carry a bearer token of this demo user (created once
  // with `samflyt token create`); "" sends none.
  void as(const std::string& username);
  std::string token_of(const std::string& username);
  // Creates an account (staff, or e.g. "system") with `role` in the named
  // demo organisation.
  void add_user(const std::string& username, const std::string& role,
                const std::string& organisation_name, const std::string& kind = "staff");
  // From now on restarts listen on the port of the current start, so that
  // another server can be configured with this one's address.
  void keep_port() { keep_port_ = true; }

  // Serve templates from this folder from the next start on.
  void set_pathways(const std::string& dir) { pathways_ = dir; }
  // Serve with this configuration file (--config) from the next start on;
  // "" for none.
  void set_config_file(const std::string& path) { config_file_ = path; }
  const std::string& dir() const { return dir_; }

  // The id of the demo organisation with this exact name.
  std::string org_id(const std::string& name);
  const std::string& db_path() const { return db_; }
  int port() const { return port_; }

 private:
  std::string dir_;
  std::string db_;
  std::string pathways_ = "pathways";
  std::string config_file_;
  int port_ = 0;
  bool keep_port_ = false;
  pid_t pid_ = -1;
  std::string bearer_;
  std::map<std::string, std::string> tokens_;
};

// One HTTP/1.1 request (Connection: close) to 127.0.0.1:`port`.
HttpResponse http_request(int port, const std::string& method, const std::string& path,
                          const std::string& body = "",
                          const std::map<std::string, std::string>& headers = {});

// Runs the samflyt binary with arguments; returns the exit status and
// fills `output` with stdout and stderr.
int run_samflyt(const std::vector<std::string>& args, std::string* output = nullptr);

// A synthetic test national id (month + 80) with valid check digits,
// distinct for each `n`.
std::string synthetic_national_id(int n);

}  // namespace samflyt::testing
