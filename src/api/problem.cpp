#include "api/problem.hpp"

#include <nlohmann/json.hpp>

namespace samflyt::api {

namespace {

// Each ErrorCode's HTTP status and stable problem type, side by side.
struct ProblemType {
  int status;
  const char* slug;
  const char* title;
  const char* title_nb;
};

ProblemType type_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_input:
      return {400, "invalid-input", "Invalid input", "Ugyldige data"};
    case ErrorCode::not_found:
      return {404, "not-found", "Not found", "Finnes ikke"};
    case ErrorCode::conflict:
      return {409, "conflict", "Conflict", "Konflikt"};
    case ErrorCode::precondition_required:
      return {428, "precondition-required", "Version required", "Versjon kreves"};
    case ErrorCode::unauthenticated:
      return {401, "unauthenticated", "Log in first", "Logg inn først"};
    case ErrorCode::forbidden:
      return {403, "forbidden", "Forbidden", "Ingen tilgang"};
    case ErrorCode::too_many_requests:
      return {429, "too-many-requests", "Too many attempts", "For mange forsøk"};
    case ErrorCode::payload_too_large:
      return {413, "payload-too-large", "Request too large", "Forespørselen er for stor"};
    case ErrorCode::unavailable:
      return {503, "unavailable", "Temporarily unavailable", "Midlertidig utilgjengelig"};
    case ErrorCode::internal:
      break;
  }
  return {500, "internal", "Internal error", "Intern feil"};
}

}  // namespace

int http_status(ErrorCode code) {
  return type_of(code).status;
}

http::Response problem(const Error& error, const http::Request& request, int status) {
  ProblemType type = type_of(error.code);
  if (status == 405)
    type = {405, "method-not-allowed", "Method not allowed", "Metoden er ikke tillatt"};
  if (status == 0) status = type.status;
  // Internal errors may carry technical details meant for the log only.
  bool hide = error.code == ErrorCode::internal;
  nlohmann::json body{
      {"type", std::string("urn:samflyt:problem:") + type.slug},
      {"title", type.title},
      {"title_nb", type.title_nb},
      {"status", status},
      {"detail", hide ? "Something went wrong on the server. The error is logged." : error.message},
      {"detail_nb", hide ? "Noe gikk galt på tjeneren. Feilen er logget." : error.message_nb},
      {"instance", request.path},
      {"request_id", request.request_id},
  };
  if (!error.field.empty()) body["field"] = error.field;
  http::Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.header("Content-Type", "application/problem+json; charset=utf-8");
  r.header("Content-Language", "en, nb");
  r.header("Cache-Control", "no-store");
  if (status == 503) r.header("Retry-After", "1");
  return r;
}

http::Response render_failure(http::Failure failure, const http::Request& request) {
  switch (failure) {
    case http::Failure::not_found:
      return problem(
          make_error(ErrorCode::not_found,
                     "There is no such address: " + request.method + " " + request.path + ".",
                     "Adressen finnes ikke: " + request.method + " " + request.path + "."),
          request);
    case http::Failure::method_not_allowed:
      return problem(make_error(ErrorCode::invalid_input,
                                "The method " + request.method + " is not allowed here.",
                                "Metoden " + request.method + " er ikke tillatt her."),
                     request, 405);
    case http::Failure::payload_too_large:
      return problem(
          make_error(ErrorCode::payload_too_large, "The request body is larger than 1 MiB.",
                     "Forespørselen er større enn 1 MiB."),
          request);
    case http::Failure::unavailable:
      return problem(make_error(ErrorCode::unavailable,
                                "The request could not be completed and recorded. Try again.",
                                "Forespørselen kunne ikke fullføres og registreres. Prøv igjen."),
                     request);
    case http::Failure::internal:
      break;
  }
  return problem(make_error(ErrorCode::internal, "unhandled exception", "ukjent unntak"), request);
}

}  // namespace samflyt::api
