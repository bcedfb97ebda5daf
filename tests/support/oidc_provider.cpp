// test_oidc_provider: a small OpenID Connect provider for the integration
// tests, on a loopback port. Not for anything but tests.
//
//   test_oidc_provider [--port N] [--subject SUB] [--client-id ID]
//                      [--client-secret SECRET] [--redirect-uri URI] [--mode MODE]
//
// It listens on 127.0.0.1 (port 0: a free one) and prints the port as the
// first line on stdout; its issuer is http://127.0.0.1:<port>. It makes an
// RSA-2048 key at start and serves:
//   GET  /.well-known/openid-configuration   discovery
//   GET  /jwks                               the public key (kid "test-key-1")
//   GET  /authorize   approves `--subject` at once after checking client_id,
//                     redirect_uri, response_type=code, scope (openid), state,
//                     nonce and code_challenge_method=S256; 302 to
//                     redirect_uri?code=...&state=...
//   POST /token       checks client_secret_basic, that the code is known and
//                     unused, redirect_uri and the PKCE code_verifier; answers
//                     {id_token, access_token, token_type}
// `--mode` makes it misbehave: wrong-issuer, wrong-audience, expired,
// wrong-nonce, bad-signature, alg-none, unknown-kid, hs256 (the ID token),
// discovery-issuer (its metadata names another issuer), access-denied
// (/authorize answers error=access_denied). Default: normal.
//
// HTTP/1.1 with Connection: close, one request at a time, plain POSIX
// sockets; problems with requests are written to stderr.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "percent_encode.hpp"

namespace {

using samflyt::testing::percent_encode;

using nlohmann::json;

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

const std::set<std::string> kModes{"normal",           "wrong-issuer", "wrong-audience",
                                   "expired",          "wrong-nonce",  "bad-signature",
                                   "alg-none",         "unknown-kid",  "hs256",
                                   "discovery-issuer", "access-denied"};

struct Options {
  int port = 0;
  std::string subject = "test-subject";
  std::string client_id = "samflyt-test";
  std::string client_secret = "test-client-secret";
  std::string redirect_uri = "http://localhost/auth/oidc/callback";
  std::string mode = "normal";
};

// --- encodings -------------------------------------------------------------

std::string base64url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (bytes.size() - i == 1) {
    unsigned v = at(i) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (bytes.size() - i == 2) {
    unsigned v = (at(i) << 16) | (at(i + 1) << 8);
    for (int s = 18; s >= 6; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() &&
               std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    auto amp = text.find('&');
    auto pair = text.substr(0, amp);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos)
      out[percent_decode(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return out;
}

std::string random_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return base64url(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &n, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return std::string(reinterpret_cast<const char*>(md.data()), n);
}

// --- keys and signing ---------------------------------------------------------

PkeyPtr generate_rsa() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048)));
  if (!key) throw std::runtime_error("RSA key generation failed");
  return key;
}

std::string bn_bytes(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) throw std::runtime_error("no RSA parameter");
  BnPtr bn(raw);
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

json public_jwk(const EVP_PKEY* key, const std::string& kid) {
  return {{"kty", "RSA"},
          {"use", "sig"},
          {"alg", "RS256"},
          {"kid", kid},
          {"n", base64url(bn_bytes(key, OSSL_PKEY_PARAM_RSA_N))},
          {"e", base64url(bn_bytes(key, OSSL_PKEY_PARAM_RSA_E))}};
}

std::string rs256(EVP_PKEY* key, std::string_view input) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    throw std::runtime_error("RS256 signing failed");
  std::string sig(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
    throw std::runtime_error("RS256 signing failed");
  sig.resize(size);
  return sig;
}

std::string hs256(std::string_view secret, std::string_view input) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  std::size_t n = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                 reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac.data(),
                 mac.size(), &n))
    throw std::runtime_error("HS256 failed");
  return std::string(reinterpret_cast<const char*>(mac.data()), n);
}

// --- the provider -------------------------------------------------------------

struct Grant {
  std::string challenge;
  std::string nonce;
  std::string redirect_uri;
  bool used = false;
};

struct HttpRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
};

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string location;
};

HttpReply json_reply(int status, const json& body) {
  return HttpReply{status, "application/json", body.dump(), ""};
}

HttpReply refuse(int status, const std::string& error, const std::string& why) {
  std::cerr << "test_oidc_provider: " << status << " " << error << ": " << why << "\n";
  return json_reply(status, {{"error", error}, {"error_description", why}});
}

class Provider {
 public:
  Provider(Options options, int port)
      : o_(std::move(options)),
        issuer_("http://127.0.0.1:" + std::to_string(port)),
        key_(generate_rsa()),
        other_key_(generate_rsa()) {}

  HttpReply handle(const HttpRequest& r) {
    if (r.method == "GET" && r.path == "/.well-known/openid-configuration") return discovery();
    if (r.method == "GET" && r.path == "/jwks")
      return json_reply(200, {{"keys", json::array({public_jwk(key_.get(), kKid)})}});
    if (r.method == "GET" && r.path == "/authorize") return authorize(r.query);
    if (r.method == "POST" && r.path == "/token") return token(r);
    return refuse(404, "not_found", r.method + " " + r.path);
  }

 private:
  static constexpr const char* kKid = "test-key-1";

  HttpReply discovery() const {
    return json_reply(200,
                      {{"issuer", o_.mode == "discovery-issuer" ? issuer_ + "/elsewhere" : issuer_},
                       {"authorization_endpoint", issuer_ + "/authorize"},
                       {"token_endpoint", issuer_ + "/token"},
                       {"jwks_uri", issuer_ + "/jwks"},
                       {"response_types_supported", {"code"}},
                       {"subject_types_supported", {"public"}},
                       {"id_token_signing_alg_values_supported", {"RS256"}},
                       {"code_challenge_methods_supported", {"S256"}},
                       {"token_endpoint_auth_methods_supported", {"client_secret_basic"}}});
  }

  HttpReply authorize(const std::map<std::string, std::string>& q) {
    auto get = [&](const char* name) {
      auto it = q.find(name);
      return it == q.end() ? std::string() : it->second;
    };
    if (get("client_id") != o_.client_id) return refuse(400, "unauthorized_client", "client_id");
    if (get("redirect_uri") != o_.redirect_uri)
      return refuse(400, "invalid_request", "redirect_uri");
    if (get("response_type") != "code") return refuse(400, "unsupported_response_type", "code");
    if (get("code_challenge_method") != "S256" || get("code_challenge").size() != 43)
      return refuse(400, "invalid_request", "PKCE S256 required");
    if (get("state").empty() || get("nonce").empty())
      return refuse(400, "invalid_request", "state and nonce required");
    if (get("scope").find("openid") == std::string::npos)
      return refuse(400, "invalid_scope", "openid required");
    HttpReply reply{302, "text/plain", "", ""};
    if (o_.mode == "access-denied") {
      reply.location =
          o_.redirect_uri + "?error=access_denied&state=" + percent_encode(get("state"));
      return reply;
    }
    std::string code = random_token();
    grants_[code] = Grant{get("code_challenge"), get("nonce"), get("redirect_uri"), false};
    reply.location = o_.redirect_uri + "?code=" + percent_encode(code) +
                     "&state=" + percent_encode(get("state"));
    return reply;
  }

  bool client_authenticated(const HttpRequest& r) const {
    auto it = r.headers.find("authorization");
    if (it == r.headers.end() || it->second.rfind("Basic ", 0) != 0) return false;
    auto decoded = base64_decode(it->second.substr(6));
    if (!decoded) return false;
    auto colon = decoded->find(':');
    if (colon == std::string::npos) return false;
    return percent_decode(decoded->substr(0, colon)) == o_.client_id &&
           percent_decode(decoded->substr(colon + 1)) == o_.client_secret;
  }

  HttpReply token(const HttpRequest& r) {
    if (!client_authenticated(r)) return refuse(401, "invalid_client", "client_secret_basic");
    auto form = parse_form(r.body);
    if (form["grant_type"] != "authorization_code")
      return refuse(400, "unsupported_grant_type", form["grant_type"]);
    auto it = grants_.find(form["code"]);
    if (it == grants_.end()) return refuse(400, "invalid_grant", "unknown code");
    Grant& grant = it->second;
    if (grant.used) return refuse(400, "invalid_grant", "code used before");
    grant.used = true;
    if (form["redirect_uri"] != grant.redirect_uri)
      return refuse(400, "invalid_grant", "redirect_uri differs");
    if (base64url(sha256(form["code_verifier"])) != grant.challenge)
      return refuse(400, "invalid_grant", "code_verifier does not match the challenge");
    return json_reply(200, {{"id_token", id_token(grant)},
                            {"access_token", random_token()},
                            {"token_type", "Bearer"},
                            {"expires_in", 300}});
  }

  std::string id_token(const Grant& grant) {
    const std::string& m = o_.mode;
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    json claims{{"iss", m == "wrong-issuer" ? issuer_ + "/other" : issuer_},
                {"sub", o_.subject},
                {"aud", m == "wrong-audience" ? "another-client" : o_.client_id},
                {"iat", m == "expired" ? now - 7200 : now},
                {"exp", m == "expired" ? now - 3600 : now + 300},
                {"auth_time", now},
                {"nonce", m == "wrong-nonce" ? "not-" + grant.nonce : grant.nonce}};
    std::string alg = m == "alg-none" ? "none" : m == "hs256" ? "HS256" : "RS256";
    std::string kid = m == "unknown-kid" ? "unpublished-key" : kKid;
    json header{{"alg", alg}, {"typ", "JWT"}, {"kid", kid}};
    std::string input = base64url(header.dump()) + "." + base64url(claims.dump());
    std::string signature;
    if (m == "alg-none") {
      signature = "";
    } else if (m == "hs256") {
      signature = hs256(o_.client_secret, input);
    } else {
      signature = rs256(m == "unknown-kid" ? other_key_.get() : key_.get(), input);
      if (m == "bad-signature") signature[signature.size() / 2] ^= 0x01;
    }
    return input + "." + base64url(signature);
  }

  Options o_;
  std::string issuer_;
  PkeyPtr key_;
  PkeyPtr other_key_;  // signs, but is not published (unknown-kid)
  std::map<std::string, Grant> grants_;
};

// --- HTTP over a socket -------------------------------------------------------

std::optional<HttpRequest> read_request(int fd) {
  std::string raw;
  std::array<char, 8192> buf{};
  std::size_t head_end = std::string::npos;
  while ((head_end = raw.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = recv(fd, buf.data(), buf.size(), 0);
    if (n <= 0 || raw.size() > 65536) return std::nullopt;
    raw.append(buf.data(), static_cast<std::size_t>(n));
  }
  HttpRequest r;
  std::string head = raw.substr(0, head_end);
  std::size_t line_end = head.find("\r\n");
  std::string line = head.substr(0, line_end);
  auto sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) return std::nullopt;
  r.method = line.substr(0, sp1);
  std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = parse_form(std::string_view(target).substr(q + 1));
  std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    std::size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    std::string h = head.substr(pos, end - pos);
    auto colon = h.find(':');
    if (colon != std::string::npos) {
      std::string name = h.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = h.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.headers[name] = value;
    }
    pos = end + 2;
  }
  r.body = raw.substr(head_end + 4);
  std::size_t length = 0;
  if (auto it = r.headers.find("content-length"); it != r.headers.end())
    length = std::stoul(it->second);
  if (length > 65536) return std::nullopt;
  while (r.body.size() < length) {
    ssize_t n = recv(fd, buf.data(), buf.size(), 0);
    if (n <= 0) return std::nullopt;
    r.body.append(buf.data(), static_cast<std::size_t>(n));
  }
  r.body.resize(length);
  return r;
}

void write_reply(int fd, const HttpReply& reply) {
  std::string out =
      "HTTP/1.1 " + std::to_string(reply.status) + " " +
      (reply.status == 200   ? "OK"
       : reply.status == 302 ? "Found"
                             : "Error") +
      "\r\nConnection: close\r\nCache-Control: no-store\r\nContent-Type: " + reply.content_type +
      "\r\nContent-Length: " + std::to_string(reply.body.size()) + "\r\n";
  if (!reply.location.empty()) out += "Location: " + reply.location + "\r\n";
  out += "\r\n" + reply.body;
  std::size_t sent = 0;
  while (sent < out.size()) {
    ssize_t n = send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
    std::string value = argv[++i];
    if (flag == "--port")
      o.port = std::stoi(value);
    else if (flag == "--subject")
      o.subject = value;
    else if (flag == "--client-id")
      o.client_id = value;
    else if (flag == "--client-secret")
      o.client_secret = value;
    else if (flag == "--redirect-uri")
      o.redirect_uri = value;
    else if (flag == "--mode")
      o.mode = value;
    else
      throw std::invalid_argument("unknown flag " + flag);
  }
  if (!kModes.count(o.mode)) throw std::invalid_argument("unknown mode " + o.mode);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Options options = parse_options(argc, argv);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(options.port));
    if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(listener, 16) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(options.port));
    socklen_t len = sizeof addr;
    getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
    int port = ntohs(addr.sin_port);
    Provider provider(options, port);
    std::cout << port << std::endl;  // the first line: the port (flushed)

    for (;;) {
      int fd = accept(listener, nullptr, nullptr);
      if (fd < 0) continue;
      timeval timeout{5, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      if (auto request = read_request(fd)) write_reply(fd, provider.handle(*request));
      close(fd);
    }
  } catch (const std::exception& e) {
    std::cerr << "test_oidc_provider: " << e.what() << "\n";
    return 1;
  }
}
