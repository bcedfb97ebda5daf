// Codecs: the message model (model.hpp) to XML and back.
//
// write() produces UTF-8 XML: a MsgHead 1.2 envelope around PLO 1.6 or
// Dialogmelding 1.0/1.1 content, or a stand-alone AppRec 1.0/1.1. Times
// are written as Oslo wall-clock time with its offset
// ("2026-03-29T03:00:00+02:00", core::format_oslo_datetime); dates as
// xs:date. The caller supplies MsgId (a UUID), GenDate and every coded
// value that varies; fixed codes (MIG versions, code systems, the PLO
// event codes of each message type) come from codes.hpp. write() throws
// std::invalid_argument for a model that cannot be written as a valid
// message (a programmer error: e.g. no HER-id for the sender).
//
// read() never throws for any input: it parses with the safe settings of
// xml.hpp, recognises the standard and version by namespace, reads the
// fields the model has, and runs the structural and semantic checks the
// standards require (README §4.8, HIS 80415, HITS 1168). Each failed check
// becomes an AppRec error (kodeverk 8221) in ReadResult::errors; what could
// be read (e.g. the envelope, to address the AppRec) is kept. receive()
// (receive.hpp) adds strict schema validation and the AppRec decision.
//
// Thread-safe: no shared state besides libxml2's one-time initialisation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "msg/model.hpp"

namespace samflyt::msg {

std::string write(const Message& message);
std::string write(const AppRec& apprec);

struct ReadResult {
  std::string standard;              // "PLO", "Dialogmelding", "AppRec"; "" when not recognised
  std::string version;               // "1.6", "1.5", "1.1", "1.0"; "" when not recognised
  std::optional<Envelope> envelope;  // a MsgHead's head, as far as it could be read
  // A MsgHead message whose content could be read; also when it is rejected
  // for a semantic reason (E10, E36, E21, a missing ConversationRef), so
  // that it can be kept with its reason. Empty when reading stopped (T01,
  // T02, T10, or X99 for a type that contradicts the content).
  std::optional<Message> message;
  std::optional<AppRec> apprec;     // an AppRec document
  std::vector<AppRecError> errors;  // empty: readable and conformant

  bool ok() const { return errors.empty(); }
};

struct ReadOptions {
  // Accept national ids that pass the mod-11 checks whatever their date
  // part (H-numbers, synthetic test numbers, the KS/NHN test patients).
  // Off in production: there a FNR or DNR must be a valid fødselsnummer or
  // D-number for the patient to count as identified (E36).
  bool allow_test_identities = false;
};

ReadResult read(std::string_view bytes, const ReadOptions& options = {});

// True for the 8-4-4-4-12 hexadecimal form of a UUID (RFC 4122), in
// either case, which MsgHead and AppRec require of MsgId and Id.
bool is_uuid(std::string_view text);

// The sentence the Dialogmelding text of a reception answer starts with
// (TemaKodet 7322 V=7), and its reading back: "Kommunen kan ta imot
// pasienten fra 30.03.2026." / "Kommunen kan ikke ta imot pasienten nå."
std::string reception_answer_text(const ReceptionAnswer& answer);
std::optional<ReceptionAnswer> parse_reception_answer(std::string_view text);

}  // namespace samflyt::msg
