// Strict validation of received documents against the official schemas.
//
// A deployment points Samflyt at a directory holding the official schema
// set (the layout of the standards' `schemas/` folder: all-v16.xsd,
// all-v15.xsd, apprec-v1.0.xsd, apprec-v1.1.xsd and what they import).
// The project does not ship the schemas. Without a directory no Validator
// exists and receive() runs only the structural and semantic checks.
//
// Construction loads and compiles the four schemas once (a few hundred
// milliseconds) and throws std::runtime_error, naming the file, when one
// is missing or does not compile: a configuration failure at start-up.
// Schema imports are read from local files only (network access is off).
//
// Thread-safety: after construction a Validator is immutable; validate()
// may be called from any number of threads at once (each call uses its
// own libxml2 validation context over the shared compiled schemas).
#pragma once

#include <libxml/tree.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace samflyt::msg {

class Validator {
 public:
  explicit Validator(const std::filesystem::path& schema_dir);
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  // Validates a parsed document against the schema for its kind: an AppRec
  // against its version's schema, a MsgHead with PLO 1.5 content against
  // all-v15.xsd, any other MsgHead against all-v16.xsd. Returns the
  // schema errors (at most `max_errors`, each "line N: message"); empty
  // when the document is valid.
  std::vector<std::string> validate(const xmlDoc* doc, std::size_t max_errors = 5) const;

  // Parses (with the safe settings of the readers) and validates bytes.
  // A document that cannot be parsed gives one error saying why.
  std::vector<std::string> validate(std::string_view bytes, std::size_t max_errors = 5) const;

 private:
  struct Schemas;
  std::unique_ptr<Schemas> schemas_;
};

}  // namespace samflyt::msg
