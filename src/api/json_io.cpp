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
    return invalid(
        "Malformed JSON at byte " + std::to_string(e.byte) + ": the body is not valid JSON.",
        "Ugyldig JSON ved byte " + std::to_string(e.byte) + ": innholdet er ikke gyldig JSON.");
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
