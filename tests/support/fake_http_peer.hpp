// A tiny HTTP/1.1 server on loopback for the transport tests: it records
// every request and answers each with the status set by answer() (200 at
// first), then closes the connection. Header-only; one thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace samflyt::testing {

class FakeHttpPeer {
 public:
  struct Seen {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;  // names lowercased
    std::string body;
  };

  // Listens on 127.0.0.1:`port` (0: a free one).
  explicit FakeHttpPeer(int port = 0) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 16) != 0) {
      close(fd_);
      throw std::runtime_error("the fake peer cannot listen on port " + std::to_string(port));
    }
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeHttpPeer() {
    stopping_ = true;
    thread_.join();
    close(fd_);
  }
  FakeHttpPeer(const FakeHttpPeer&) = delete;
  FakeHttpPeer& operator=(const FakeHttpPeer&) = delete;

  int port() const { return port_; }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/api/v1/messages/inbox";
  }
  // Every later request gets this status and body.
  void answer(int status, std::string body = "{}") {
    std::lock_guard lock(mutex_);
    status_ = status;
    body_ = std::move(body);
  }
  std::vector<Seen> requests() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  void serve() {
    while (!stopping_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      handle(c);
      close(c);
    }
  }

  void handle(int c) {
    std::string raw;
    char buf[65536];
    std::size_t head_end = std::string::npos, length = 0;
    while (true) {
      if (head_end == std::string::npos) {
        head_end = raw.find("\r\n\r\n");
        if (head_end != std::string::npos) {
          auto at = lowercase(raw.substr(0, head_end)).find("\r\ncontent-length:");
          if (at != std::string::npos) length = std::stoul(raw.substr(at + 17));
        }
      }
      if (head_end != std::string::npos && raw.size() >= head_end + 4 + length) break;
      ssize_t n = recv(c, buf, sizeof buf, 0);
      if (n <= 0) return;
      raw.append(buf, static_cast<std::size_t>(n));
    }
    Seen s;
    const std::string head = raw.substr(0, head_end);
    std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    s.method = request_line.substr(0, request_line.find(' '));
    s.path =
        request_line.substr(s.method.size() + 1, request_line.rfind(' ') - s.method.size() - 1);
    for (std::size_t pos = line_end + 2; line_end != std::string::npos && pos < head.size();) {
      std::size_t end = head.find("\r\n", pos);
      if (end == std::string::npos) end = head.size();
      std::string line = head.substr(pos, end - pos);
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        auto value = line.find_first_not_of(' ', colon + 1);
        s.headers[lowercase(line.substr(0, colon))] =
            value == std::string::npos ? std::string() : line.substr(value);
      }
      pos = end + 2;
    }
    s.body = raw.substr(head_end + 4, length);
    std::string reply;
    {
      std::lock_guard lock(mutex_);
      seen_.push_back(std::move(s));
      reply = "HTTP/1.1 " + std::to_string(status_) + " Status\r\nContent-Type: " +
              "application/json\r\nContent-Length: " + std::to_string(body_.size()) +
              "\r\nConnection: close\r\n\r\n" + body_;
    }
    send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
  }

  static std::string lowercase(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mutex_;
  int status_ = 200;
  std::string body_ = "{}";
  std::vector<Seen> seen_;
};

// A loopback port nobody listens on (a peer that is down).
inline int closed_port() {
  FakeHttpPeer gone;
  return gone.port();
}

}  // namespace samflyt::testing
