// A streaming JSON writer for responses: appends straight into one string,
// with no document tree in between. Response bodies are on the hot path
// (an episode is ~30 tasks); building an nlohmann::json tree and dumping it
// cost more than the database work (docs/benchmarks.md). Requests are still
// parsed with nlohmann::json.
//
// Strings are escaped per RFC 8259; invalid UTF-8 becomes U+FFFD. Keys are
// written as given (they are literals of ours). Commas are placed
// automatically. Not thread-safe; one writer per response.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace samflyt::api {

class JsonWriter {
 public:
  explicit JsonWriter(std::size_t reserve = 1024) { out_.reserve(reserve); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  JsonWriter& value(std::int64_t n);
  JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
  JsonWriter& null();
  // An empty text is written as null (optional ids and texts).
  JsonWriter& text_or_null(std::string_view s) { return s.empty() ? null() : value(s); }
  JsonWriter& value(const std::vector<std::string>& list);

  template <typename T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  std::string take() { return std::move(out_); }

 private:
  void separate();  // a comma unless this is the first item of a container
  std::string out_;
};

}  // namespace samflyt::api
