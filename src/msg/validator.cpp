// Strict schema validation. See validator.hpp.
#include "msg/validator.hpp"

#include <libxml/xmlschemas.h>

#include <stdexcept>

#include "msg/codes.hpp"
#include "msg/xml.hpp"

namespace samflyt::msg {

namespace {

struct SchemaDeleter {
  void operator()(xmlSchema* s) const { xmlSchemaFree(s); }
};
using Schema = std::unique_ptr<xmlSchema, SchemaDeleter>;

struct ParserDeleter {
  void operator()(xmlSchemaParserCtxt* c) const { xmlSchemaFreeParserCtxt(c); }
};
struct ValidDeleter {
  void operator()(xmlSchemaValidCtxt* c) const { xmlSchemaFreeValidCtxt(c); }
};

struct Collected {
  std::vector<std::string> errors;
  std::size_t max = 5;
};

// Structured error handler: keeps errors (not warnings) as "line N: text".
void collect(void* user_data, xmlError* error) {
  auto* out = static_cast<Collected*>(user_data);
  if (error == nullptr || error->level < XML_ERR_ERROR || out->errors.size() >= out->max) return;
  std::string message = error->message ? error->message : "schema error";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  out->errors.push_back("line " + std::to_string(error->line) + ": " + message);
}

Schema compile(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file))
    throw std::runtime_error("the schema " + file.string() + " is missing");
  std::unique_ptr<xmlSchemaParserCtxt, ParserDeleter> parser(
      xmlSchemaNewParserCtxt(file.string().c_str()));
  if (!parser) throw std::runtime_error("cannot read the schema " + file.string());
  Collected errors;
  xmlSchemaSetParserStructuredErrors(parser.get(), collect, &errors);
  Schema schema(xmlSchemaParse(parser.get()));
  if (!schema)
    throw std::runtime_error("the schema " + file.string() + " does not compile" +
                             (errors.errors.empty() ? "" : ": " + errors.errors.front()));
  return schema;
}

}  // namespace

struct Validator::Schemas {
  Schema v16;
  Schema v15;
  Schema apprec_10;
  Schema apprec_11;
};

Validator::Validator(const std::filesystem::path& dir) : schemas_(std::make_unique<Schemas>()) {
  xml::init_libxml();
  if (!std::filesystem::is_directory(dir))
    throw std::runtime_error("the schema directory " + dir.string() + " does not exist");
  schemas_->v16 = compile(dir / "all-v16.xsd");
  schemas_->v15 = compile(dir / "all-v15.xsd");
  schemas_->apprec_10 = compile(dir / "apprec-v1.0.xsd");
  schemas_->apprec_11 = compile(dir / "apprec-v1.1.xsd");
}

Validator::~Validator() = default;

std::vector<std::string> Validator::validate(const xmlDoc* doc, std::size_t max_errors) const {
  const xmlNode* root = xmlDocGetRootElement(const_cast<xmlDoc*>(doc));
  const auto root_ns = xml::namespace_of(root);
  xmlSchema* schema = schemas_->v16.get();
  if (root_ns == ns::apprec_11) {
    schema = schemas_->apprec_11.get();
  } else if (root_ns == ns::apprec_10) {
    schema = schemas_->apprec_10.get();
  } else {
    // PLO 1.5 content: the first RefDoc/Content element in a 2009-06-30 PLO namespace.
    for (const auto* document : xml::children(root, "Document")) {
      const auto* content = xml::path(document, {"RefDoc", "Content"});
      for (const xmlNode* c = content ? content->children : nullptr; c != nullptr; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        const auto uri = xml::namespace_of(c);
        if (uri.substr(0, ns::plo_prefix.size()) == ns::plo_prefix &&
            uri.size() > ns::plo_15_suffix.size() &&
            uri.substr(uri.size() - ns::plo_15_suffix.size()) == ns::plo_15_suffix)
          schema = schemas_->v15.get();
        break;
      }
    }
  }
  std::unique_ptr<xmlSchemaValidCtxt, ValidDeleter> ctxt(xmlSchemaNewValidCtxt(schema));
  if (!ctxt) throw std::bad_alloc();
  Collected errors;
  errors.max = max_errors;
  xmlSchemaSetValidStructuredErrors(ctxt.get(), collect, &errors);
  const int rc = xmlSchemaValidateDoc(ctxt.get(), const_cast<xmlDoc*>(doc));
  if (rc != 0 && errors.errors.empty())
    errors.errors.emplace_back(rc < 0 ? "the validator failed internally"
                                      : "the document is not valid");
  return errors.errors;
}

std::vector<std::string> Validator::validate(std::string_view bytes, std::size_t max_errors) const {
  auto doc = xml::parse_untrusted(bytes);
  if (!doc) return {doc.error().message};
  return validate(doc->get(), max_errors);
}

}  // namespace samflyt::msg
