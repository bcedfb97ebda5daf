#include "http/router.hpp"

namespace samflyt::http {

namespace {
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  if (!path.empty() && path[0] == '/') i = 1;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string_view> Request::header(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers)
    if (name == lowercase_name) return std::string_view(value);
  return std::nullopt;
}

std::string_view Request::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

void Router::add(std::string method, std::string pattern, Handler handler,
                 std::size_t max_body_bytes) {
  Entry e{{std::move(method), pattern}, {}, std::move(handler), max_body_bytes};
  for (auto seg : split_path(pattern)) e.segments.emplace_back(seg);
  entries_.push_back(std::move(e));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  auto segments = split_path(path);
  for (const auto& e : entries_) {
    if (e.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const std::string& pat = e.segments[i];
      if (pat.size() > 2 && pat.front() == '{' && pat.back() == '}') {
        auto decoded = percent_decode(segments[i], false);
        ok = decoded && !decoded->empty();
        if (ok) params[pat.substr(1, pat.size() - 2)] = std::move(*decoded);
      } else {
        ok = pat == segments[i];
      }
    }
    if (!ok) continue;
    if (e.route.method != method) {
      result.allowed.push_back(e.route.method);
      continue;
    }
    result.handler = &e.handler;
    result.max_body_bytes = e.max_body_bytes;
    result.params = std::move(params);
    return result;
  }
  return result;
}

std::vector<Route> Router::routes() const {
  std::vector<Route> out;
  for (const auto& e : entries_) out.push_back(e.route);
  return out;
}

std::optional<std::string> percent_decode(std::string_view s, bool form) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && form) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i < query.size()) {
    std::size_t amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(i, amp - i);
    std::size_t eq = pair.find('=');
    std::string_view k = pair.substr(0, eq);
    std::string_view v = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (!k.empty()) {
      auto dk = percent_decode(k, true);
      auto dv = percent_decode(v, true);
      out[dk ? *dk : std::string(k)] = dv ? *dv : std::string(v);
    }
    i = amp + 1;
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace samflyt::http
