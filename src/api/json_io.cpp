#include "api/json_io.hpp"

#include <charconv>

namespace samflyt::api {

namespace {
Error invalid(std::string en, std::string nb, std::string field = {}) {
  return make_error(ErrorCode::invalid_input, std::move(en), std::move(nb), std::move(field));
}
}  // namespace

Result<json> read_object(const http::Request& request, std::initializer_list<const char*> allowed) {
  auto type = request.header("content-type");
  if (!type || type->substr(0, 16) != "application/json")
    return invalid("The body must be JSON (Content-Type: application/json).",
                   "Innholdet må være JSON (Content-Type: application/json).");
  json body;
  try {
    body = json::parse(request.body);
  } catch (const json::parse_error& e) {
    // The parser's reason (e.g. "syntax error while parsing object key -
    // unexpected '}'; expected string literal"), without its position
    // prefix and without the text it last read, which is the caller's input.
    std::string reason = e.what();
    if (auto at = reason.find(": "); at != std::string::npos) reason.erase(0, at + 2);
    if (auto read = reason.find("; last read"); read != std::string::npos) reason.erase(read);
    return invalid("Malformed JSON at byte " + std::to_string(e.byte) + ": " + reason + ".",
                   "Ugyldig JSON ved byte " + std::to_string(e.byte) +
                       ": innholdet er ikke gyldig JSON (" + reason + ").");
  } catch (const json::exception&) {  // e.g. a number too large for a double
    return invalid("The body is JSON that cannot be read (a number out of range?).",
                   "Innholdet er JSON som ikke kan leses (et tall utenfor gyldig område?).");
  }
  if (!body.is_object())
    return invalid("The body must be a JSON object.", "Innholdet må være et JSON-objekt.");
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) return invalid("Unknown field '" + key + "'.", "Ukjent felt '" + key + "'.", key);
  }
  return body;
}

Result<std::string> required_string(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null())
    return invalid(std::string("The field '") + field + "' is required.",
                   std::string("Feltet '") + field + "' må fylles ut.", field);
  if (!it->is_string())
    return invalid(std::string("The field '") + field + "' must be a text.",
                   std::string("Feltet '") + field + "' må være en tekst.", field);
  return it->get<std::string>();
}

Result<std::optional<std::string>> optional_string(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string())
    return invalid(std::string("The field '") + field + "' must be a text.",
                   std::string("Feltet '") + field + "' må være en tekst.", field);
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::optional<core::Instant>> optional_instant(const json& body, const char* field) {
  SAMFLYT_TRY(auto text, optional_string(body, field));
  if (!text) return std::optional<core::Instant>();
  SAMFLYT_TRY(core::Instant t, core::parse_instant(*text).or_field(field));
  return std::optional<core::Instant>(t);
}

Result<std::optional<core::Date>> optional_date(const json& body, const char* field) {
  SAMFLYT_TRY(auto text, optional_string(body, field));
  if (!text) return std::optional<core::Date>();
  SAMFLYT_TRY(core::Date d, core::parse_date(*text).or_field(field));
  return std::optional<core::Date>(d);
}

Result<std::optional<bool>> optional_bool(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean())
    return invalid(std::string("The field '") + field + "' must be true or false.",
                   std::string("Feltet '") + field + "' må være true eller false.", field);
  return std::optional<bool>(it->get<bool>());
}

Result<std::optional<int>> optional_int(const json& body, const char* field, int min, int max) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<int>();
  if (!it->is_number_integer() || it->get<std::int64_t>() < min || it->get<std::int64_t>() > max)
    return invalid(std::string("The field '") + field + "' must be a whole number from " +
                       std::to_string(min) + " to " + std::to_string(max) + ".",
                   std::string("Feltet '") + field + "' må være et heltall fra " +
                       std::to_string(min) + " til " + std::to_string(max) + ".",
                   field);
  return std::optional<int>(static_cast<int>(it->get<std::int64_t>()));
}

Result<std::vector<std::string>> required_string_list(const json& body, const char* field) {
  auto it = body.find(field);
  bool ok = it != body.end() && it->is_array() && !it->empty() && it->size() <= 100;
  if (ok)
    for (const auto& v : *it) ok = ok && v.is_string() && !v.get<std::string>().empty();
  if (!ok)
    return invalid(std::string("The field '") + field + "' must be a list of 1 to 100 texts.",
                   std::string("Feltet '") + field + "' må være en liste med 1 til 100 tekster.",
                   field);
  return it->get<std::vector<std::string>>();
}

// If-Match: "3", W/"3" or 3. Absent: 428; anything else: 400.
Result<std::int64_t> expected_version(const http::Request& req) {
  auto header = req.header("if-match");
  if (!header)
    return make_error(ErrorCode::precondition_required,
                      "Send the version your change is based on in If-Match (from its ETag) so "
                      "that no change is overwritten.",
                      "Send versjonen endringen bygger på i If-Match (fra ETag) slik at ingen "
                      "endring blir overskrevet.",
                      "If-Match");
  std::string_view v = *header;
  if (v.substr(0, 2) == "W/") v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc{} || p != v.data() + v.size() || n < 1)
    return make_error(ErrorCode::invalid_input, "If-Match must be a version such as \"3\".",
                      "If-Match må være en versjon, for eksempel \"3\".", "If-Match");
  return n;
}

std::string query_string(const http::Request& request, const char* name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? std::string() : it->second;
}

Result<bool> query_flag(const http::Request& request, const char* name) {
  std::string v = query_string(request, name);
  if (v.empty() || v == "false") return false;
  if (v == "true") return true;
  return invalid(std::string("The parameter '") + name + "' must be true or false.",
                 std::string("Parameteren '") + name + "' må være true eller false.", name);
}

Result<int> query_int(const http::Request& request, const char* name, int fallback, int min,
                      int max) {
  std::string v = query_string(request, name);
  if (v.empty()) return fallback;
  int n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc{} || p != v.data() + v.size() || n < min || n > max)
    return invalid(std::string("The parameter '") + name + "' must be a whole number from " +
                       std::to_string(min) + " to " + std::to_string(max) + ".",
                   std::string("Parameteren '") + name + "' må være et helt tall fra " +
                       std::to_string(min) + " til " + std::to_string(max) + ".",
                   name);
  return n;
}

}  // namespace samflyt::api
