#include "server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace samflyt::testing {

namespace fs = std::filesystem;

namespace {

// A free loopback port below the kernel's ephemeral range (32768 and up
// on Linux): a server that is stopped and started again on its port
// (keep_port) must not find it taken in between by some test's outgoing
// connection, which the kernel gives an ephemeral port.
int free_port() {
  static std::mt19937 pick(std::random_device{}());
  std::uniform_int_distribution<int> range(20000, 32000);
  for (int attempt = 0; attempt < 200; ++attempt) {
    int port = range(pick);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    bool ok = bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(s);
    if (ok) return port;
  }
  throw std::runtime_error("found no free loopback port in 20000-32000");
}

pid_t spawn(const std::vector<std::string>& args, const std::string& log_file, int* out_fd) {
  int pipefd[2] = {-1, -1};
  if (out_fd && pipe(pipefd) != 0) throw std::runtime_error("pipe");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    if (chdir(SAMFLYT_SOURCE_DIR) != 0) _exit(126);
    int fd = out_fd ? pipefd[1] : ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    std::string binary = SAMFLYT_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  if (out_fd) {
    close(pipefd[1]);
    *out_fd = pipefd[0];
  }
  return pid;
}

HttpResponse parse_response(const std::string& raw) {
  HttpResponse r;
  auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) throw std::runtime_error("malformed HTTP response");
  std::string head = raw.substr(0, head_end);
  r.body = raw.substr(head_end + 4);
  std::size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  r.status = std::stoi(status_line.substr(status_line.find(' ') + 1, 3));
  std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    std::size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(pos, end - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      if (name == "set-cookie") r.cookies.push_back(value);
      r.headers[name] = value;
    }
    pos = end + 2;
  }
  if (auto it = r.headers.find("content-length"); it != r.headers.end())
    r.body.resize(std::min<std::size_t>(r.body.size(), std::stoul(it->second)));
  return r;
}

}  // namespace

nlohmann::json HttpResponse::json() const {
  return nlohmann::json::parse(body, nullptr, false).is_discarded() ? nlohmann::json()
                                                                    : nlohmann::json::parse(body);
}

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

int run_samflyt(const std::vector<std::string>& args, std::string* output) {
  int fd = -1;
  pid_t pid = spawn(args, "", &fd);
  std::string out;
  std::array<char, 4096> buf{};
  ssize_t n;
  while ((n = read(fd, buf.data(), buf.size())) > 0)
    out.append(buf.data(), static_cast<std::size_t>(n));
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  if (output) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string synthetic_national_id(int n) {
  // Day 1..28, month 81..92 (synthetic), year 10..19, individual number
  // 500.. (born 2010-2019); count on until both check digits exist.
  for (int k = n * 7;; ++k) {
    int day = 1 + k % 28, month = 81 + (k / 28) % 12, year = 10 + (k / 336) % 10,
        ind = 500 + (k / 3360) % 499;
    char digits[16];
    std::snprintf(digits, sizeof digits, "%02d%02d%02d%03d", day, month, year, ind);
    int w1[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2}, w2[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    int s1 = 0;
    for (int i = 0; i < 9; ++i) s1 += (digits[i] - '0') * w1[i];
    int k1 = (11 - s1 % 11) % 11;
    if (k1 == 10) continue;
    std::string full = std::string(digits) + static_cast<char>('0' + k1);
    int s2 = 0;
    for (int i = 0; i < 10; ++i) s2 += (full[static_cast<std::size_t>(i)] - '0') * w2[i];
    int k2 = (11 - s2 % 11) % 11;
    if (k2 == 10) continue;
    return full + static_cast<char>('0' + k2);
  }
}

Server::Server() {
  std::string tmpl = (fs::temp_directory_path() / "samflyt-it-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp");
  dir_ = tmpl;
  db_ = dir_ + "/samflyt.db";
  std::string out;
  if (run_samflyt({"demo", "--db", db_}, &out) != 0)
    throw std::runtime_error("demo failed: " + out);
  start();
}

Server::~Server() {
  if (pid_ > 0) stop();
  if (!std::getenv("SAMFLYT_KEEP_TEST_DB")) fs::remove_all(dir_);
}

void Server::start() {
  if (!keep_port_ || port_ == 0) port_ = free_port();
  std::vector<std::string> args;
  if (!config_file_.empty()) args = {"--config", config_file_};
  args.insert(args.end(), {"serve", "--db", db_, "--listen", "127.0.0.1:" + std::to_string(port_),
                           "--threads", "2", "--pathways", pathways_, "--allow-test-identities"});
  pid_ = spawn(args, dir_ + "/server.log", nullptr);
  for (int attempt = 0; attempt < 200; ++attempt) {
    try {
      if (get("/api/v1/health").status == 200) return;
    } catch (const std::exception&) {
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("samflyt serve exited at start; see " + dir_ + "/server.log");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("samflyt serve did not answer within 10 s");
}

void Server::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void Server::crash() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string Server::token_of(const std::string& username) {
  auto it = tokens_.find(username);
  if (it != tokens_.end()) return it->second;
  std::string out;
  if (run_samflyt({"token", "create", "--db", db_, "--username", username}, &out) != 0)
    throw std::runtime_error("token create " + username + ": " + out);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  auto newline = out.rfind('\n');  // the token is the last line
  std::string token = newline == std::string::npos ? out : out.substr(newline + 1);
  tokens_[username] = token;
  return token;
}

void Server::add_user(const std::string& username, const std::string& role,
                      const std::string& organisation_name, const std::string& kind) {
  std::string out;
  if (run_samflyt({"user", "add", "--db", db_, "--username", username, "--name", "Test " + role,
                   "--kind", kind},
                  &out) != 0 ||
      run_samflyt({"user", "grant", "--db", db_, "--username", username, "--role", role,
                   "--organisation", org_id(organisation_name)},
                  &out) != 0)
    throw std::runtime_error("add_user " + username + ": " + out);
}

void Server::as(const std::string& username) {
  bearer_ = username.empty() ? std::string() : token_of(username);
}

HttpResponse Server::request(const std::string& method, const std::string& path,
                             const std::string& body,
                             const std::map<std::string, std::string>& headers) {
  if (bearer_.empty() || headers.count("Authorization"))
    return http_request(port_, method, path, body, headers);
  auto with_token = headers;
  with_token["Authorization"] = "Bearer " + bearer_;
  return http_request(port_, method, path, body, with_token);
}

HttpResponse http_request(int port, const std::string& method, const std::string& path,
                          const std::string& body,
                          const std::map<std::string, std::string>& headers) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(s);
    throw std::runtime_error("connect failed");
  }
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  std::size_t sent = 0;
  while (sent < req.size()) {
    ssize_t n = send(s, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) before reading everything
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  std::array<char, 16384> buf{};
  ssize_t n;
  while ((n = recv(s, buf.data(), buf.size(), 0)) > 0)
    raw.append(buf.data(), static_cast<std::size_t>(n));
  close(s);
  return parse_response(raw);
}

std::string Server::org_id(const std::string& name) {
  nlohmann::json orgs = get("/api/v1/organisations").json();
  for (const auto& o : orgs["items"])
    if (o["name"] == name) return o["id"];
  throw std::runtime_error("no demo organisation named " + name);
}

}  // namespace samflyt::testing
