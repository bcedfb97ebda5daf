// Reading request bodies and query strings (responses: representations.hpp).
// Every reader returns a Result whose error names the field and says what
// is wrong, in English and Norwegian.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/result.hpp"
#include "http/router.hpp"

namespace samflyt::api {

using nlohmann::json;

// The body as a JSON object. Refuses a wrong Content-Type, malformed JSON
// (saying where), a non-object, and fields outside `allowed`.
Result<json> read_object(const http::Request& request, std::initializer_list<const char*> allowed);

Result<std::string> required_string(const json& body, const char* field);
Result<std::optional<std::string>> optional_string(const json& body, const char* field);
Result<std::optional<core::Instant>> optional_instant(const json& body, const char* field);
Result<std::optional<core::Date>> optional_date(const json& body, const char* field);  // YYYY-MM-DD
Result<std::optional<bool>> optional_bool(const json& body, const char* field);
Result<std::optional<int>> optional_int(const json& body, const char* field, int min, int max);
// A non-empty array of texts.
Result<std::vector<std::string>> required_string_list(const json& body, const char* field);

// The row version a change is based on, from If-Match ("3", W/"3" or 3).
// Absent: precondition_required (428); malformed: invalid_input.
Result<std::int64_t> expected_version(const http::Request& request);

// Query parameters.
std::string query_string(const http::Request& request, const char* name);
Result<bool> query_flag(const http::Request& request, const char* name);  // "true"/"false"
Result<int> query_int(const http::Request& request, const char* name, int fallback, int min,
                      int max);

}  // namespace samflyt::api
