#include "auth/oidc.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <utility>
#include <vector>

#include "net/curl.hpp"

namespace samflyt::auth {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxResponseBytes = std::size_t{1024} * 1024;
constexpr long kConnectTimeoutMs = 5'000;
constexpr long kTotalTimeoutMs = 10'000;
constexpr std::int64_t kKeyRefetchSeconds = 60;

// --- errors -------------------------------------------------------------

Error unreachable() {
  return make_error(ErrorCode::unavailable,
                    "The identity provider cannot be reached. Try again in a while.",
                    "Identitetsleverandøren svarer ikke. Prøv igjen om litt.");
}

Error nonsense(const std::string& what_en, const std::string& what_nb) {
  return make_error(ErrorCode::unavailable,
                    "The identity provider gave an unusable answer (" + what_en + ").",
                    "Identitetsleverandøren ga et ubrukelig svar (" + what_nb + ").");
}

// --- libcurl ------------------------------------------------------------

using net::ensure_curl;

struct Body {
  std::string text;
  bool too_large = false;
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const std::size_t bytes = size * count;
  if (body->text.size() + bytes > kMaxResponseBytes) {
    body->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  body->text.append(data, bytes);
  return bytes;
}

struct Reply {
  long status = 0;
  std::string body;
};

// GET `url`, or POST `form` (application/x-www-form-urlencoded) when given.
Result<Reply> fetch(const std::string& url, const std::string* form,
                    const std::string& authorization = {}) {
  if (!oidc_url_allowed(url))
    return make_error(ErrorCode::unavailable, "The identity provider's address must use https.",
                      "Adressen til identitetsleverandøren må bruke https.");
  net::Curl curl(curl_easy_init());
  if (!curl) return unreachable();
  net::Headers headers;
  if (!headers.add("Accept: application/json")) return unreachable();
  if (!authorization.empty() && !headers.add("Authorization: " + authorization))
    return unreachable();

  Body body;
  CURL* c = curl.get();
  bool set = curl_easy_setopt(c, CURLOPT_URL, url.c_str()) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, kTotalTimeoutMs) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                              static_cast<curl_off_t>(kMaxResponseBytes)) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_WRITEDATA, &body) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_USERAGENT, "samflyt") == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get()) == CURLE_OK;
  if (set && form)
    set = curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(form->size())) ==
              CURLE_OK &&
          curl_easy_setopt(c, CURLOPT_POSTFIELDS, form->c_str()) == CURLE_OK;
  if (!set) return unreachable();

  CURLcode rc = curl_easy_perform(c);
  if (body.too_large || rc == CURLE_FILESIZE_EXCEEDED)
    return nonsense("larger than 1 MiB", "større enn 1 MiB");
  if (rc != CURLE_OK) return unreachable();
  Reply reply;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  reply.body = std::move(body.text);
  return reply;
}

// RFC 3986 percent-encoding of everything but the unreserved characters;
// also right for application/x-www-form-urlencoded values.
std::string encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 0x0f];
    }
  }
  return out;
}

// Standard base64 with padding (for HTTP Basic authentication).
std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(std::max(n, 0)));
  return out;
}

std::optional<json> parse_json_object(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::string string_member(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The "kid" in a compact JWS's header, or "" (verify_jwt judges the rest).
std::string key_id_of(std::string_view compact) {
  auto dot = compact.find('.');
  if (dot == std::string_view::npos) return {};
  auto header = base64url_decode(compact.substr(0, dot));
  if (!header) return {};
  auto parsed = parse_json_object(*header);
  return parsed ? string_member(*parsed, "kid") : std::string();
}

bool has_word(const std::string& words, std::string_view word) {
  std::size_t i = 0;
  while (i < words.size()) {
    std::size_t end = words.find(' ', i);
    if (end == std::string::npos) end = words.size();
    if (std::string_view(words).substr(i, end - i) == word) return true;
    i = end + 1;
  }
  return false;
}

}  // namespace

bool oidc_url_allowed(std::string_view url) {
  return net::outgoing_url_allowed(url);
}

OidcClient::OidcClient(OidcSettings settings) : settings_(std::move(settings)) {
  ensure_curl();
  const auto& s = settings_;
  if (s.issuer.empty() || !oidc_url_allowed(s.issuer) ||
      s.issuer.find_first_of("?#") != std::string::npos)
    throw std::invalid_argument(
        "oidc_issuer must be an https:// URL without query or fragment (http:// only to "
        "127.0.0.1, ::1 or localhost), not '" +
        s.issuer + "'");
  if (s.client_id.empty()) throw std::invalid_argument("oidc_client_id is required");
  if (s.redirect_uri.empty() || !oidc_url_allowed(s.redirect_uri) ||
      s.redirect_uri.find('#') != std::string::npos)
    throw std::invalid_argument(
        "oidc_redirect_uri must be Samflyt's https:// callback URL (.../auth/oidc/callback; "
        "http:// only to 127.0.0.1, ::1 or localhost), not '" +
        s.redirect_uri + "'");
  if (!has_word(s.scopes, "openid"))
    throw std::invalid_argument("oidc_scopes must contain \"openid\"");
}

OidcClient::~OidcClient() = default;

Result<std::shared_ptr<const OidcClient::Metadata>> OidcClient::metadata() {
  {
    std::lock_guard lock(state_mutex_);
    if (metadata_) return metadata_;
  }
  std::lock_guard fetching(fetch_mutex_);
  {
    std::lock_guard lock(state_mutex_);
    if (metadata_) return metadata_;  // another thread fetched it meanwhile
  }
  std::string base = settings_.issuer;
  if (!base.empty() && base.back() == '/') base.pop_back();
  SAMFLYT_TRY(auto reply, fetch(base + "/.well-known/openid-configuration", nullptr));
  if (reply.status != 200) return unreachable();
  auto doc = parse_json_object(reply.body);
  if (!doc) return nonsense("metadata that is not a JSON object", "metadata som ikke er JSON");
  if (string_member(*doc, "issuer") != settings_.issuer)
    return nonsense("its metadata names another issuer", "metadataene oppgir en annen utsteder");
  auto m = std::make_shared<Metadata>();
  m->authorization_endpoint = string_member(*doc, "authorization_endpoint");
  m->token_endpoint = string_member(*doc, "token_endpoint");
  m->jwks_uri = string_member(*doc, "jwks_uri");
  for (const auto* endpoint : {&m->authorization_endpoint, &m->token_endpoint, &m->jwks_uri})
    if (!oidc_url_allowed(*endpoint) || endpoint->find('#') != std::string::npos)
      return nonsense("a missing or insecure endpoint", "et manglende eller usikkert endepunkt");
  if (auto methods = doc->find("code_challenge_methods_supported");
      methods != doc->end() && (!methods->is_array() || std::find(methods->begin(), methods->end(),
                                                                  "S256") == methods->end()))
    return nonsense("no PKCE with S256", "ingen PKCE med S256");
  std::lock_guard lock(state_mutex_);
  metadata_ = std::move(m);
  return metadata_;
}

Result<std::shared_ptr<const OidcClient::KeySet>> OidcClient::keys(const std::string& kid,
                                                                   std::int64_t now) {
  auto usable = [&]() -> std::shared_ptr<const KeySet> {
    std::lock_guard lock(state_mutex_);
    if (keys_ && (kid.empty() || keys_->kids.count(kid) ||
                  (last_keys_fetch_ && now < *last_keys_fetch_ + kKeyRefetchSeconds)))
      return keys_;
    return nullptr;
  };
  if (auto k = usable()) return k;
  SAMFLYT_TRY(auto meta, metadata());
  std::lock_guard fetching(fetch_mutex_);
  if (auto k = usable()) return k;  // another thread fetched them meanwhile
  {
    std::lock_guard lock(state_mutex_);
    last_keys_fetch_ = now;  // a failed fetch counts too: no hammering
  }
  SAMFLYT_TRY(auto reply, fetch(meta->jwks_uri, nullptr));
  if (reply.status != 200) return unreachable();
  auto parsed = JwkSet::parse(reply.body);
  if (!parsed) return nonsense("unreadable signing keys", "uleselige signeringsnøkler");
  auto set = std::make_shared<KeySet>(KeySet{std::move(parsed).value(), {}});
  if (auto doc = parse_json_object(reply.body);
      doc && doc->contains("keys") && (*doc)["keys"].is_array())
    for (const auto& key : (*doc)["keys"])
      if (key.is_object()) set->kids.insert(string_member(key, "kid"));
  std::lock_guard lock(state_mutex_);
  keys_ = std::move(set);
  return keys_;
}

Result<std::string> OidcClient::authorization_url(const std::string& state,
                                                  const std::string& nonce,
                                                  const std::string& code_verifier) {
  SAMFLYT_TRY(auto meta, metadata());
  const std::string& endpoint = meta->authorization_endpoint;
  return endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") +
         "response_type=code&client_id=" + encode(settings_.client_id) +
         "&redirect_uri=" + encode(settings_.redirect_uri) + "&scope=" + encode(settings_.scopes) +
         "&state=" + encode(state) + "&nonce=" + encode(nonce) +
         "&code_challenge=" + encode(pkce_challenge_s256(code_verifier)) +
         "&code_challenge_method=S256";
}

Result<std::string> OidcClient::redeem(const std::string& code, const std::string& code_verifier,
                                       const std::string& nonce, service::Instant now) {
  SAMFLYT_TRY(auto meta, metadata());
  std::string form = "grant_type=authorization_code&code=" + encode(code) +
                     "&redirect_uri=" + encode(settings_.redirect_uri) +
                     "&code_verifier=" + encode(code_verifier);
  std::string authorization;
  if (settings_.client_secret.empty())
    form += "&client_id=" + encode(settings_.client_id);  // a public client
  else  // client_secret_basic: both parts form-encoded first (RFC 6749, 2.3.1)
    authorization =
        "Basic " + base64(encode(settings_.client_id) + ":" + encode(settings_.client_secret));
  SAMFLYT_TRY(auto reply, fetch(meta->token_endpoint, &form, authorization));

  if (reply.status != 200) {
    auto doc = parse_json_object(reply.body);
    std::string error = doc ? string_member(*doc, "error") : std::string();
    if (reply.status == 401 || error == "invalid_client")
      return make_error(ErrorCode::unavailable,
                        "The identity provider did not accept Samflyt's client credentials. "
                        "Tell the administrator.",
                        "Identitetsleverandøren godtok ikke Samflyts klientlegitimasjon. Si fra "
                        "til administratoren.");
    if (reply.status >= 400 && reply.status < 500)
      return make_error(ErrorCode::forbidden,
                        "The identity provider did not accept the login code (it may have "
                        "expired or been used). Log in again.",
                        "Identitetsleverandøren godtok ikke innloggingskoden (den kan være "
                        "utløpt eller brukt). Logg inn på nytt.");
    return unreachable();
  }
  auto doc = parse_json_object(reply.body);
  if (!doc) return nonsense("a token response that is not JSON", "et tokensvar som ikke er JSON");
  const std::string id_token = string_member(*doc, "id_token");
  if (id_token.empty()) return nonsense("no ID token", "ingen ID-token");

  const std::int64_t unix_now = now.time_since_epoch().count();
  SAMFLYT_TRY(auto key_set, keys(key_id_of(id_token), unix_now));
  TokenExpectations expect;
  expect.issuer = settings_.issuer;
  expect.audience = settings_.client_id;
  expect.nonce = nonce;
  expect.now = unix_now;
  auto verified = verify_jwt(id_token, key_set->keys, expect);
  if (!verified) {
    const Error& e = verified.error();
    if (e.code == ErrorCode::internal) return e;
    return make_error(ErrorCode::forbidden,
                      "The identity provider's ID token was refused: " + e.message + ".",
                      "ID-tokenet fra identitetsleverandøren ble avvist: " + e.message_nb + ".");
  }
  return settings_.issuer + " " + verified->subject;
}

}  // namespace samflyt::auth
