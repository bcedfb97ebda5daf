// Login with OpenID Connect against test_oidc_provider (tests/support), a
// small provider started on a loopback port: the whole authorization code
// flow with PKCE through the real server, every way the provider can
// misbehave, replayed and forged callbacks, unlinked and disabled
// accounts, and return_to paths that leave the site.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../support/percent_encode.hpp"
#include "server.hpp"

namespace samflyt::testing {
namespace {

const std::string kClientId = "samflyt-test";
const std::string kClientSecret = "test-client-secret";
const std::string kRedirectUri = "http://localhost/auth/oidc/callback";
const std::string kSubject = "helseid-sub-0001";

// test_oidc_provider in a child process, stopped when this is destroyed.
class Provider {
 public:
  explicit Provider(const std::string& mode = "normal", const std::string& subject = kSubject) {
    std::vector<std::string> args{SAMFLYT_OIDC_PROVIDER,
                                  "--mode",
                                  mode,
                                  "--subject",
                                  subject,
                                  "--client-id",
                                  kClientId,
                                  "--client-secret",
                                  kClientSecret,
                                  "--redirect-uri",
                                  kRedirectUri};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int fds[2] = {-1, -1};
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(fds[1]);
    std::string line;
    char c = 0;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(fds[0]);
    if (line.empty()) {
      stop();
      throw std::runtime_error("test_oidc_provider did not print its port");
    }
    port_ = std::stoi(line);
  }
  ~Provider() { stop(); }
  Provider(const Provider&) = delete;
  Provider& operator=(const Provider&) = delete;

  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int port() const { return port_; }
  std::string issuer() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// Serves with OpenID Connect login at `issuer` from now on.
void configure(Server& server, const std::string& issuer,
               const std::string& client_secret = kClientSecret) {
  std::string path = server.dir() + "/oidc.toml";
  std::ofstream(path) << "oidc_issuer = \"" << issuer << "\"\n"
                      << "oidc_client_id = \"" << kClientId << "\"\n"
                      << "oidc_client_secret = \"" << client_secret << "\"\n"
                      << "oidc_redirect_uri = \"" << kRedirectUri << "\"\n"
                      << "oidc_scopes = \"openid profile\"\n";
  server.set_config_file(path);
  server.restart();
}

// Creates an account linked to `subject` (issuer + ' ' + sub); returns its id.
std::string add_linked_user(Server& server, const std::string& username,
                            const std::string& subject) {
  std::string out;
  if (run_samflyt({"user", "add", "--db", server.db_path(), "--username", username, "--name",
                   "Helga Idun Testesen", "--oidc-subject", subject},
                  &out) != 0)
    throw std::runtime_error("user add: " + out);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  auto newline = out.rfind('\n');  // the id is the last line
  return newline == std::string::npos ? out : out.substr(newline + 1);
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

// The decoded query parameters of a URL.
std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> out;
  auto q = url.find('?');
  if (q == std::string::npos) return out;
  std::string rest = url.substr(q + 1);
  std::size_t i = 0;
  while (i <= rest.size()) {
    std::size_t end = rest.find('&', i);
    if (end == std::string::npos) end = rest.size();
    std::string pair = rest.substr(i, end - i);
    auto eq = pair.find('=');
    if (eq != std::string::npos)
      out[percent_decode(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
    i = end + 1;
  }
  return out;
}

// The path and query of an absolute URL.
std::string path_of(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

// The whole Set-Cookie value for the cookie `name`, or "".
std::string set_cookie(const HttpResponse& r, const std::string& name) {
  for (const auto& c : r.cookies)
    if (c.rfind(name + "=", 0) == 0) return c;
  return {};
}
// Just the value of that cookie.
std::string cookie_value(const HttpResponse& r, const std::string& name) {
  std::string c = set_cookie(r, name);
  if (c.empty()) return {};
  return c.substr(name.size() + 1, c.find(';') - name.size() - 1);
}

bool sets_session(const HttpResponse& r) {
  return !cookie_value(r, "samflyt_session").empty();
}

// A login as far as the provider's redirect back to Samflyt.
struct Login {
  HttpResponse start;        // Samflyt's redirect to the provider
  HttpResponse authorize;    // the provider's redirect back
  std::string state_cookie;  // what the browser keeps from `start`
  std::string callback;      // the path and query the provider sends the browser to
};

Login begin_login(Server& server, const Provider& provider, const std::string& return_to = "/") {
  Login l;
  l.start = server.get("/auth/oidc/login?return_to=" + percent_encode(return_to));
  EXPECT_EQ(l.start.status, 302) << l.start.body;
  l.state_cookie = cookie_value(l.start, "samflyt_oidc_state");
  l.authorize = http_request(provider.port(), "GET", path_of(l.start.header("location")));
  EXPECT_EQ(l.authorize.status, 302) << l.authorize.body;
  l.callback = path_of(l.authorize.header("location"));
  return l;
}

HttpResponse finish_login(Server& server, const Login& l) {
  return server.request("GET", l.callback, "",
                        {{"Cookie", "samflyt_oidc_state=" + l.state_cookie}});
}

HttpResponse session_of(Server& server, const std::string& session_cookie) {
  return server.request("GET", "/api/v1/session", "",
                        {{"Cookie", "samflyt_session=" + session_cookie}});
}

// A refusal: problem+json with the status, a detail (en and nb) and no session.
void expect_refused(const HttpResponse& r, int status, const std::string& detail_part) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json; charset=utf-8");
  EXPECT_NE(r.json()["detail"].get<std::string>().find(detail_part), std::string::npos) << r.body;
  EXPECT_FALSE(r.json()["detail_nb"].get<std::string>().empty());
  EXPECT_FALSE(sets_session(r)) << set_cookie(r, "samflyt_session");
  EXPECT_TRUE(r.header("location").empty());
}

TEST(Oidc, LoginWithTheProviderOpensASessionForTheLinkedAccount) {
  Provider provider;
  Server server;
  std::string user_id = add_linked_user(server, "helga.oidc", provider.issuer() + " " + kSubject);
  configure(server, provider.issuer());

  Login login = begin_login(server, provider, "/api/v1/session");
  // Samflyt sends the browser to the provider with PKCE S256, state and nonce.
  std::string to_provider = login.start.header("location");
  EXPECT_EQ(to_provider.rfind(provider.issuer() + "/authorize?", 0), 0u) << to_provider;
  auto q = query_of(to_provider);
  EXPECT_EQ(q["response_type"], "code");
  EXPECT_EQ(q["client_id"], kClientId);
  EXPECT_EQ(q["redirect_uri"], kRedirectUri);
  EXPECT_EQ(q["scope"], "openid profile");
  EXPECT_EQ(q["code_challenge_method"], "S256");
  EXPECT_EQ(q["code_challenge"].size(), 43u);
  EXPECT_GE(q["state"].size(), 43u);
  EXPECT_GE(q["nonce"].size(), 43u);
  EXPECT_NE(q["state"], q["nonce"]);
  // The state is bound to this browser by a cookie that comes back from the provider's redirect.
  EXPECT_EQ(login.state_cookie, q["state"]);
  std::string state_cookie = set_cookie(login.start, "samflyt_oidc_state");
  EXPECT_NE(state_cookie.find("HttpOnly"), std::string::npos) << state_cookie;
  EXPECT_NE(state_cookie.find("SameSite=Lax"), std::string::npos) << state_cookie;
  EXPECT_EQ(login.start.header("cache-control"), "no-store");

  // The provider approved and sends the browser back with the code and the same state.
  EXPECT_EQ(login.callback.rfind("/auth/oidc/callback?", 0), 0u) << login.callback;
  EXPECT_EQ(query_of(login.callback)["state"], q["state"]);

  HttpResponse done = finish_login(server, login);
  // A page that forwards to return_to (a redirect would leave the browser
  // without the SameSite=Strict cookie on a chain that began at the provider).
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(done.header("location").empty());
  EXPECT_NE(done.body.find("<meta http-equiv=\"refresh\" content=\"0;url=/api/v1/session\">"),
            std::string::npos)
      << done.body;
  EXPECT_NE(done.body.find("<a href=\"/api/v1/session\">"), std::string::npos) << done.body;
  std::string session = cookie_value(done, "samflyt_session");
  ASSERT_FALSE(session.empty());
  std::string attributes = set_cookie(done, "samflyt_session").substr(16 + session.size());
  EXPECT_EQ(attributes, "; Path=/; HttpOnly; SameSite=Strict");
  // The same cookie as a password login sets.
  auto password_login = server.post_json(
      "/api/v1/session", {{"username", "kari.sorbo"}, {"password", "demo-passord"}});
  ASSERT_EQ(password_login.status, 201) << password_login.body;
  std::string password_session = cookie_value(password_login, "samflyt_session");
  EXPECT_EQ(set_cookie(password_login, "samflyt_session").substr(16 + password_session.size()),
            attributes);
  // The state cookie is done with.
  EXPECT_NE(set_cookie(done, "samflyt_oidc_state").find("Max-Age=0"), std::string::npos);

  HttpResponse me = session_of(server, session);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["user"]["id"], user_id);
  EXPECT_EQ(me.json()["user"]["display_name"], "Helga Idun Testesen");
  EXPECT_FALSE(me.json()["csrf_token"].is_null());
}

struct Misbehaviour {
  std::string mode;
  std::string detail_part;  // what the refusal says
};

void PrintTo(const Misbehaviour& m, std::ostream* os) {
  *os << m.mode;
}

class ProviderMisbehaves : public ::testing::TestWithParam<Misbehaviour> {};

TEST_P(ProviderMisbehaves, AndTheLoginIsRefusedWithoutASession) {
  Provider provider(GetParam().mode);
  Server server;
  add_linked_user(server, "helga.oidc", provider.issuer() + " " + kSubject);
  configure(server, provider.issuer());

  Login login = begin_login(server, provider);
  HttpResponse done = finish_login(server, login);
  expect_refused(done, 403, GetParam().detail_part);
}

INSTANTIATE_TEST_SUITE_P(Oidc, ProviderMisbehaves,
                         ::testing::Values(Misbehaviour{"wrong-issuer", "another issuer"},
                                           Misbehaviour{"wrong-audience", "another audience"},
                                           Misbehaviour{"expired", "expired"},
                                           Misbehaviour{"wrong-nonce", "nonce does not match"},
                                           Misbehaviour{"bad-signature", "signature is invalid"},
                                           Misbehaviour{"alg-none", "algorithm is not allowed"},
                                           Misbehaviour{"unknown-kid", "unknown key"},
                                           Misbehaviour{"hs256", "algorithm is not allowed"},
                                           Misbehaviour{"access-denied", "(access_denied)"}),
                         [](const ::testing::TestParamInfo<Misbehaviour>& param) {
                           std::string name = param.param.mode;
                           for (auto& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

TEST(Oidc, MetadataNamingAnotherIssuerMakesLoginUnavailable) {
  Provider provider("discovery-issuer");
  Server server;
  configure(server, provider.issuer());
  auto r = server.get("/auth/oidc/login");
  expect_refused(r, 503, "another issuer");
  EXPECT_TRUE(set_cookie(r, "samflyt_oidc_state").empty());
}

TEST(Oidc, AProviderThatCannotBeReachedMakesLoginUnavailable) {
  std::string issuer;
  {
    Provider gone;
    issuer = gone.issuer();
  }  // stopped: nothing listens there any more
  Server server;
  configure(server, issuer);
  expect_refused(server.get("/auth/oidc/login"), 503, "cannot be reached");
}

TEST(Oidc, ACallbackUsedTwiceIsRefused) {
  Provider provider;
  Server server;
  add_linked_user(server, "helga.oidc", provider.issuer() + " " + kSubject);
  configure(server, provider.issuer());

  Login login = begin_login(server, provider);
  ASSERT_EQ(finish_login(server, login).status, 200);
  expect_refused(finish_login(server, login), 403, "already been used");
}

TEST(Oidc, AnUnknownStateIsRefused) {
  Provider provider;
  Server server;
  add_linked_user(server, "helga.oidc", provider.issuer() + " " + kSubject);
  configure(server, provider.issuer());

  Login login = begin_login(server, provider);
  std::string code = query_of(login.callback)["code"];
  ASSERT_FALSE(code.empty());
  std::string forged = "Zm9yZ2VkLXN0YXRlLXRoYXQtc2FtZmx5dC1uZXZlci1tYWRl";
  auto r = server.request("GET", "/auth/oidc/callback?code=" + code + "&state=" + forged, "",
                          {{"Cookie", "samflyt_oidc_state=" + forged}});
  expect_refused(r, 403, "unknown");
  // The real state still works: the refusal was about the state.
  EXPECT_EQ(finish_login(server, login).status, 200);
}

TEST(Oidc, ACallbackInABrowserThatDidNotStartTheLoginIsRefused) {
  Provider provider;
  Server server;
  add_linked_user(server, "helga.oidc", provider.issuer() + " " + kSubject);
  configure(server, provider.issuer());

  Login login = begin_login(server, provider);
  // Login CSRF: someone else's callback link opened in a browser without the state cookie.
  expect_refused(server.get(login.callback), 403, "not started in this browser");
  Login other = begin_login(server, provider);
  expect_refused(server.request("GET", login.callback, "",
                                {{"Cookie", "samflyt_oidc_state=" + other.state_cookie}}),
                 403, "not started in this browser");
  // The browser that started it can still finish it.
  EXPECT_EQ(finish_login(server, login).status, 200);
}

TEST(Oidc, AnIdentityWithoutALinkedAccountIsRefused) {
  Provider provider("normal", "nobody-we-know");
  Server server;
  add_linked_user(server, "helga.oidc", provider.issuer() + " " + kSubject);
  configure(server, provider.issuer());

  expect_refused(finish_login(server, begin_login(server, provider)), 403, "not linked");
}

TEST(Oidc, ADisabledAccountIsRefused) {
  Provider provider;
  Server server;
  add_linked_user(server, "helga.oidc", provider.issuer() + " " + kSubject);
  configure(server, provider.issuer());
  ASSERT_EQ(finish_login(server, begin_login(server, provider)).status, 200);

  ASSERT_EQ(run_samflyt({"user", "disable", "--db", server.db_path(), "--username", "helga.oidc"}),
            0);
  expect_refused(finish_login(server, begin_login(server, provider)), 403, "not linked");
}

// Where the page the callback answers with forwards to (the meta refresh's
// URL, as written in the HTML).
std::string forwards_to(const HttpResponse& r) {
  const std::string marker = "content=\"0;url=";
  auto at = r.body.find(marker);
  if (at == std::string::npos) return "<no forwarding>";
  at += marker.size();
  return r.body.substr(at, r.body.find('"', at) - at);
}

TEST(Oidc, AReturnToOnAnotherSiteIsNotFollowed) {
  Provider provider;
  Server server;
  add_linked_user(server, "helga.oidc", provider.issuer() + " " + kSubject);
  configure(server, provider.issuer());

  for (std::string target : {"//evil.example", "https://evil.example/", "/\\evil.example",
                             "/\t/evil.example", "evil.example"}) {
    HttpResponse done = finish_login(server, begin_login(server, provider, target));
    ASSERT_EQ(done.status, 200) << target << ": " << done.body;
    EXPECT_EQ(forwards_to(done), "/") << target;
  }
  // A path on this site is followed, query and all (escaped for HTML).
  HttpResponse done =
      finish_login(server, begin_login(server, provider, "/episodes?status=active&lane=family"));
  EXPECT_EQ(forwards_to(done), "/episodes?status=active&amp;lane=family");
}

TEST(Oidc, TheClientSecretFromTheEnvironmentWinsOverTheFile) {
  Provider provider;
  Server server;
  add_linked_user(server, "helga.oidc", provider.issuer() + " " + kSubject);
  setenv("SAMFLYT_OIDC_CLIENT_SECRET", kClientSecret.c_str(), 1);
  configure(server, provider.issuer(), "a-wrong-secret-in-the-file");
  unsetenv("SAMFLYT_OIDC_CLIENT_SECRET");
  EXPECT_EQ(finish_login(server, begin_login(server, provider)).status, 200);

  // Without the environment the file's (wrong) secret is used, and refused by the provider.
  server.restart();
  expect_refused(finish_login(server, begin_login(server, provider)), 503, "client credentials");
}

TEST(Oidc, WithoutConfigurationTheLoginRoutesAreNotFound) {
  Server server;
  expect_refused(server.get("/auth/oidc/login?return_to=/"), 404, "not configured");
  expect_refused(server.get("/auth/oidc/callback?code=abc&state=def"), 404, "not configured");
}

}  // namespace
}  // namespace samflyt::testing
