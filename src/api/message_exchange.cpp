// POST /api/v1/messages/inbox: the receiving end of the HTTP transport
// between Samflyt instances (docs/adr/0009-http-message-transport.md).
//
// The body is one message (PLO, Dialogmelding or AppRec) as its XML
// bytes, unchanged (ISO-8859-1 stays ISO-8859-1), with Content-Type
// application/xml or text/xml; at most 32 MiB. Only a system account
// with the role meldingsutveksling may post (a bearer token). The answer
// is 200 only once the message, and the AppRecs it is answered with, are
// committed, so the sender may mark it sent; the same MsgId again gets
// the same 200 (it is counted, not imported or answered again). A message
// that cannot be read or is refused is still stored, and answered with a
// negative AppRec where the rules call for one: the 200 says "received",
// the AppRec says what came of it. 503 when the database is not
// answering: the sender tries again later.
#include <cctype>

#include "api/representations.hpp"
#include "api/routes.hpp"
#include "service/messages.hpp"

namespace samflyt::api {

namespace {

// Messages with attachments (base64 in the XML) can be far over the
// server's 1 MiB default; see the ADR.
constexpr std::size_t kMaxMessageBytes = std::size_t{32} * 1024 * 1024;

// application/xml or text/xml, with any parameters (charset is the XML
// declaration's business).
bool is_xml(std::optional<std::string_view> content_type) {
  if (!content_type) return false;
  std::string type(content_type->substr(0, content_type->find(';')));
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.back()))) type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type == "application/xml" || type == "text/xml";
}

}  // namespace

void add_message_exchange_routes(http::Router& router, service::Context& ctx) {
  router.add(
      "POST", "/api/v1/messages/inbox",
      authenticated(
          ctx,
          [&ctx](const http::Request& req, const service::Caller& caller) {
            if (auto allowed = service::require_message_exchange_account(caller); !allowed)
              return problem(allowed.error(), req);
            if (!is_xml(req.header("content-type")))
              return problem(make_error(ErrorCode::invalid_input,
                                        "The body must be one message as XML (Content-Type "
                                        "application/xml).",
                                        "Innholdet må være én melding som XML (Content-Type "
                                        "application/xml)."),
                             req, 415);
            if (req.body.empty())
              return problem(
                  make_error(ErrorCode::invalid_input, "The body is empty.", "Innholdet er tomt."),
                  req);
            return reply(req, service::receive_posted_message(ctx, caller, req.body),
                         [](const service::ReceiveOutcome& o) {
                           return respond(200, [&](JsonWriter& w) {
                             w.begin_object()
                                 .field("duplicate", o.duplicate)
                                 .field("id", o.message.id)
                                 .field("msg_id", o.message.msg_id)
                                 .field("status", std::string(service::to_string(o.message.status)))
                                 .end_object();
                           });
                         });
          }),
      kMaxMessageBytes);
}

}  // namespace samflyt::api
