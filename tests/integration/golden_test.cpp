// Golden API tests: each tests/integration/golden/*.golden file is a
// readable script of requests and the answers they must get, run against
// a fresh server with the demo community loaded.
//
// A file is a sequence of blocks separated by lines of "===":
//
//   # a comment
//   POST /api/v1/patients              <- method and path
//   Content-Type: application/json     <- request headers (optional)
//                                      <- blank line, then the body (optional)
//   {"national_id": "${nid:1}", ...}
//   --- 201                            <- the expected status
//   ETag: "1"                          <- expected response headers (optional)
//   {"id": "$patient", "name": "..."}  <- expected JSON (optional)
//
// or the single word `restart` (stop the server and start it again on the
// same database), or `as USERNAME` (later requests carry a bearer token of
// that demo user; `as nobody` sends none, which is how a file starts).
//
// In requests, ${var} is a captured value, ${org:NAME} the id of a demo
// organisation and ${nid:N} a synthetic national id. In expected JSON,
// objects match when every expected key matches (extra keys are allowed),
// arrays must have the same length unless the last expected element is
// "...", "<any>" matches any value, "<absent>" requires the key to be
// missing, and "$var" captures the value the first time and must equal it
// after that.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "server.hpp"

namespace samflyt::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Block {
  int line = 0;
  bool restart = false;
  std::string as_user;  // for an `as` block
  std::string method, path, body;
  std::map<std::string, std::string> headers;
  int status = 0;
  std::map<std::string, std::string> expected_headers;
  std::string expected_json;
};

std::vector<Block> parse_file(const fs::path& file) {
  std::ifstream in(file);
  std::vector<Block> blocks;
  std::vector<std::pair<int, std::string>> lines;
  std::string line;
  int number = 0;
  auto flush = [&] {
    // Drop comments and surrounding blank lines.
    std::vector<std::pair<int, std::string>> l;
    for (auto& p : lines)
      if (p.second.rfind("#", 0) != 0) l.push_back(p);
    while (!l.empty() && l.front().second.empty()) l.erase(l.begin());
    while (!l.empty() && l.back().second.empty()) l.pop_back();
    lines.clear();
    if (l.empty()) return;
    Block b;
    b.line = l.front().first;
    if (l.front().second == "restart") {
      b.restart = true;
      blocks.push_back(b);
      return;
    }
    if (l.front().second.rfind("as ", 0) == 0) {
      b.as_user = l.front().second.substr(3);
      blocks.push_back(b);
      return;
    }
    const std::string& first = l.front().second;
    b.method = first.substr(0, first.find(' '));
    b.path = first.substr(b.method.size() + 1);
    std::size_t i = 1;
    for (; i < l.size() && !l[i].second.empty() && l[i].second.rfind("---", 0) != 0; ++i) {
      auto colon = l[i].second.find(':');
      b.headers[l[i].second.substr(0, colon)] = l[i].second.substr(colon + 2);
    }
    for (; i < l.size() && l[i].second.rfind("---", 0) != 0; ++i) b.body += l[i].second + "\n";
    if (i == l.size())
      throw std::runtime_error(file.string() + ":" + std::to_string(b.line) + ": no --- line");
    b.status = std::stoi(l[i].second.substr(3));
    for (++i; i < l.size() && l[i].second.find(':') != std::string::npos && l[i].second[0] != '{' &&
              l[i].second[0] != '[';
         ++i) {
      auto colon = l[i].second.find(':');
      std::string name = l[i].second.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      b.expected_headers[name] = l[i].second.substr(colon + 2);
    }
    for (; i < l.size(); ++i) b.expected_json += l[i].second + "\n";
    blocks.push_back(b);
  };
  while (std::getline(in, line)) {
    ++number;
    if (line == "===")
      flush();
    else
      lines.emplace_back(number, line);
  }
  flush();
  return blocks;
}

class Runner {
 public:
  explicit Runner(Server& server) : server_(server) {}

  std::string substitute(const std::string& text) {
    static const std::regex var(R"(\$\{([a-z_]+)(?::([^}]*))?\})");
    std::string out;
    auto begin = std::sregex_iterator(text.begin(), text.end(), var);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const auto& m = *it;
      out += text.substr(last, static_cast<std::size_t>(m.position()) - last);
      std::string kind = m[1], arg = m[2];
      if (kind == "org")
        out += server_.org_id(arg);
      else if (kind == "nid")
        out += synthetic_national_id(std::stoi(arg));
      else if (vars_.count(kind))
        out += vars_[kind];
      else
        throw std::runtime_error("unknown variable ${" + kind + "}");
      last = static_cast<std::size_t>(m.position() + m.length());
    }
    return out + text.substr(last);
  }

  // Compares `actual` with `expected`; appends differences to `diffs`.
  void match(const json& expected, const json& actual, const std::string& where,
             std::vector<std::string>& diffs) {
    if (expected.is_string()) {
      std::string e = expected;
      if (e == "<any>") return;
      if (e.size() > 1 && e[0] == '$' && e[1] != '{') {
        std::string name = e.substr(1);
        std::string value = actual.is_string() ? actual.get<std::string>() : actual.dump();
        if (!vars_.count(name))
          vars_[name] = value;
        else if (vars_[name] != value)
          diffs.push_back(where + ": expected $" + name + " = " + vars_[name] + ", got " +
                          actual.dump());
        return;
      }
      json subst = substitute(e);
      if (subst != actual)
        diffs.push_back(where + ": expected " + subst.dump() + ", got " + actual.dump());
      return;
    }
    if (expected.is_object()) {
      if (!actual.is_object()) {
        diffs.push_back(where + ": expected an object, got " + actual.dump());
        return;
      }
      for (const auto& [k, v] : expected.items()) {
        if (v == "<absent>") {
          if (actual.contains(k))
            diffs.push_back(where + "." + k + ": expected absent, got " + actual[k].dump());
          continue;
        }
        if (!actual.contains(k)) {
          diffs.push_back(where + "." + k + ": missing");
          continue;
        }
        match(v, actual[k], where + "." + k, diffs);
      }
      return;
    }
    if (expected.is_array()) {
      if (!actual.is_array()) {
        diffs.push_back(where + ": expected an array, got " + actual.dump());
        return;
      }
      bool prefix = !expected.empty() && expected.back() == "...";
      std::size_t n = prefix ? expected.size() - 1 : expected.size();
      if (prefix ? actual.size() < n : actual.size() != n) {
        diffs.push_back(where + ": expected " + std::to_string(n) + (prefix ? "+" : "") +
                        " elements, got " + std::to_string(actual.size()));
        return;
      }
      for (std::size_t i = 0; i < n; ++i)
        match(expected[i], actual[i], where + "[" + std::to_string(i) + "]", diffs);
      return;
    }
    if (expected != actual)
      diffs.push_back(where + ": expected " + expected.dump() + ", got " + actual.dump());
  }

  void run(const Block& b, const std::string& file) {
    std::string at = file + ":" + std::to_string(b.line);
    if (b.restart) {
      server_.restart();
      return;
    }
    if (!b.as_user.empty()) {
      server_.as(b.as_user == "nobody" ? "" : b.as_user);
      return;
    }
    std::map<std::string, std::string> headers;
    for (const auto& [k, v] : b.headers) headers[k] = substitute(v);
    auto response = server_.request(b.method, substitute(b.path), substitute(b.body), headers);
    EXPECT_EQ(response.status, b.status) << at << " " << b.method << " " << b.path << "\n"
                                         << response.body;
    for (const auto& [name, value] : b.expected_headers)
      EXPECT_EQ(response.header(name), substitute(value)) << at << " header " << name;
    if (!b.expected_json.empty()) {
      json expected = json::parse(b.expected_json, nullptr, false);
      ASSERT_FALSE(expected.is_discarded()) << at << ": the expected JSON does not parse";
      json actual = json::parse(response.body, nullptr, false);
      ASSERT_FALSE(actual.is_discarded()) << at << ": the response is not JSON: " << response.body;
      std::vector<std::string> diffs;
      match(expected, actual, "$", diffs);
      for (const auto& d : diffs)
        ADD_FAILURE() << at << " " << b.method << " " << b.path << ": " << d;
    }
  }

 private:
  Server& server_;
  std::map<std::string, std::string> vars_;
};

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, Runs) {
  fs::path file = fs::path(SAMFLYT_SOURCE_DIR) / "tests/integration/golden" / GetParam();
  auto blocks = parse_file(file);
  ASSERT_FALSE(blocks.empty());
  Server server;
  Runner runner(server);
  for (const auto& b : blocks) {
    runner.run(b, GetParam());
    if (HasFatalFailure()) return;
  }
}

std::vector<std::string> golden_files() {
  std::vector<std::string> names;
  for (const auto& e :
       fs::directory_iterator(fs::path(SAMFLYT_SOURCE_DIR) / "tests/integration/golden"))
    if (e.path().extension() == ".golden") names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Api, Golden, ::testing::ValuesIn(golden_files()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param.substr(0, param.param.find('.'));
                           for (auto& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace samflyt::testing
