// Receiving a message and deciding its AppRec. See receive.hpp.
#include "msg/receive.hpp"

#include <algorithm>
#include <stdexcept>

#include "msg/reader.hpp"
#include "msg/xml.hpp"

namespace samflyt::msg {

namespace {

AppRecDecision decide(const ReadResult& r, const ReceiveOptions& options) {
  AppRecDecision d;
  d.version = r.version == "1.5" || (r.standard == "Dialogmelding" && r.version == "1.0")
                  ? AppRecVersion::v10
                  : AppRecVersion::v11;
  d.errors = r.errors;
  d.status = r.errors.empty() ? AppRecStatus::ok : AppRecStatus::rejected;
  if (r.standard == "AppRec") {
    d.no_answer_reason = "an AppRec is never answered with an AppRec";
    return d;
  }
  if (!r.envelope) {
    d.no_answer_reason = "the message cannot be read far enough to address an AppRec";
    return d;
  }
  if (!r.envelope->sender.her_id) {
    d.no_answer_reason = "the sender has no HER-id to send an AppRec to";
    return d;
  }
  if (options.own_her_ids.empty()) {
    d.answer = true;  // the addressee is not checked: answer for the Receiver
    return d;
  }
  const auto ours = [&](const std::optional<std::int64_t>& her) {
    return her && std::find(options.own_her_ids.begin(), options.own_her_ids.end(), *her) !=
                      options.own_her_ids.end();
  };
  const auto addressed_to_us = [&](const Organisation& o) {
    return ours(o.her_id) || (o.unit && ours(o.unit->her_id));
  };
  const auto& copies = r.envelope->copy_receivers;
  for (std::size_t i = 0; i < copies.size(); ++i)
    if (addressed_to_us(copies[i])) d.copy_answers.push_back(i);
  const auto& to = r.envelope->receiver;
  d.answer = addressed_to_us(to);
  if (!d.answer && d.copy_answers.empty()) {
    d.no_answer_reason = "the message is addressed to another organisation";
    return d;
  }
  if (d.answer && options.reject_unknown_service && to.unit && to.unit->her_id &&
      !ours(to.unit->her_id)) {
    d.errors.push_back(make_error(
        AppRecErrorCode::E21,
        "Tjenesten med HER-id " + std::to_string(*to.unit->her_id) + " finnes ikke hos mottaker"));
    d.status = AppRecStatus::rejected;
  }
  return d;
}

}  // namespace

Received receive(std::string_view bytes, const Validator* validator,
                 const ReceiveOptions& options) {
  Received out;
  auto doc = xml::parse_untrusted(bytes);
  if (!doc) {
    out.read.errors.push_back(make_error(AppRecErrorCode::T01, doc.error().message_nb));
    out.decision = decide(out.read, options);
    return out;
  }
  out.read = detail::read_document(doc->get(), ReadOptions{options.allow_test_identities});
  // Schema validation says nothing more about a format that is not
  // supported (T10) or a document of an unknown kind.
  const bool unsupported = !out.read.errors.empty() && out.read.errors.front().code == "T10";
  if (validator != nullptr && !out.read.standard.empty() && !unsupported) {
    const auto schema_errors = validator->validate(doc->get(), 1);
    if (!schema_errors.empty()) {
      // A schema error outranks what the reader found (and replaces the
      // reader's own T02); the head that could be read still addresses the
      // AppRec.
      auto detail = schema_errors.front();
      if (detail.size() > 300) detail.resize(300);
      auto& errors = out.read.errors;
      if (!errors.empty() && errors.front().code == "T02") errors.erase(errors.begin());
      errors.insert(errors.begin(), make_error(AppRecErrorCode::T02, detail));
      out.read.message.reset();
    }
  }
  out.decision = decide(out.read, options);
  return out;
}

namespace {

// The AppRec from `us` (the original Receiver or a copy receiver).
AppRec apprec_from(const Received& received, const Organisation& us, const char* role_11,
                   core::Instant now, std::string id) {
  const Envelope& env = *received.read.envelope;
  const bool v11 = received.decision.version == AppRecVersion::v11;
  const auto party = [](const Organisation& o) {
    AppRecParty p;
    p.name = o.name;
    p.her_id = o.her_id;
    p.dept = o.unit;
    if (o.professional) {
      p.person_name = o.professional->given_name + " " + o.professional->family_name;
      p.person_her_id = o.professional->her_id;
    }
    return p;
  };
  AppRec a;
  a.version = received.decision.version;
  a.gen_date = now;
  a.id = std::move(id);
  a.sender = party(us);
  // AppRec 1.1 roles (kodeverk 8112 and AVS); in 1.0 the role is optional
  // and its codes (REQ/SPR) depend on the business relation, so it is left out.
  if (v11) a.sender.role = role_11;
  a.receiver = party(env.sender);
  if (v11) a.receiver.role = "AVS";
  a.status = static_cast<int>(received.decision.status);
  a.errors = received.decision.errors;
  a.original_type = env.type;
  a.original_gen_date = env.gen_date;
  a.original_msg_id = env.msg_id;
  return a;
}

}  // namespace

AppRec make_apprec(const Received& received, core::Instant now, std::string id) {
  if (!received.decision.answer || !received.read.envelope)
    throw std::invalid_argument("make_apprec: no AppRec is to be sent for the Receiver");
  return apprec_from(received, received.read.envelope->receiver, "PRIM", now, std::move(id));
}

AppRec make_copy_apprec(const Received& received, std::size_t copy_index, core::Instant now,
                        std::string id) {
  const auto& copies = received.decision.copy_answers;
  if (!received.read.envelope ||
      std::find(copies.begin(), copies.end(), copy_index) == copies.end())
    throw std::invalid_argument("make_copy_apprec: no AppRec is to be sent for this copy receiver");
  return apprec_from(received, received.read.envelope->copy_receivers.at(copy_index), "COP", now,
                     std::move(id));
}

}  // namespace samflyt::msg
