// libxml2 behind RAII wrappers. See xml.hpp.
#include "msg/xml.hpp"

#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace samflyt::msg::xml {

namespace {

const xmlChar* as_xml(const char* s) {
  return reinterpret_cast<const xmlChar*>(s);
}

struct ParserContextDeleter {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};

// Set by refuse_doctype during one parse_untrusted call on this thread.
thread_local bool doctype_refused = false;

// Called when the parser meets "<!DOCTYPE": stops it there, before the
// internal subset (and its entity declarations) is read. user_data is the
// parser context (libxml2's default for SAX callbacks).
void refuse_doctype(void* user_data, const xmlChar* /*name*/, const xmlChar* /*external_id*/,
                    const xmlChar* /*system_id*/) {
  doctype_refused = true;
  xmlStopParser(static_cast<xmlParserCtxt*>(user_data));
}

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

Error parse_error(std::string en, std::string nb) {
  return make_error(ErrorCode::invalid_input, std::move(en), std::move(nb));
}

}  // namespace

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    // Nothing may make libxml2 fetch over the network, whatever a caller's
    // options say; local files stay loadable for the schema set's imports
    // (documents from outside never get that far: see parse_untrusted).
    xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
  });
}

Result<Document> parse_untrusted(std::string_view bytes) {
  init_libxml();
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
    return parse_error("The document is too large.", "Dokumentet er for stort.");
  std::unique_ptr<xmlParserCtxt, ParserContextDeleter> ctxt(xmlNewParserCtxt());
  if (!ctxt) throw std::bad_alloc();
  ctxt->sax->internalSubset = refuse_doctype;
  ctxt->sax->externalSubset = nullptr;
  doctype_refused = false;
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  Document doc(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr,
                                 nullptr, options));
  if (doctype_refused)
    return parse_error(
        "The document has a DOCTYPE (document type declaration), which messages may not have.",
        "Dokumentet har en DOCTYPE (dokumenttypedeklarasjon), som meldinger ikke kan ha.");
  if (!doc || !ctxt->wellFormed) {
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    std::string reason = e && e->message ? std::string(trim(e->message)) : "unreadable";
    if (e) reason += " (line " + std::to_string(e->line) + ")";
    return parse_error("The document is not well-formed XML: " + reason,
                       "Dokumentet er ikke velformet XML: " + reason);
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr)
    return parse_error("The document has a DOCTYPE, which messages may not have.",
                       "Dokumentet har en DOCTYPE, som meldinger ikke kan ha.");
  if (xmlDocGetRootElement(doc.get()) == nullptr)
    return parse_error("The document has no root element.", "Dokumentet har ikke noe rotelement.");
  return doc;
}

std::string_view local_name(const xmlNode* node) {
  if (node == nullptr || node->name == nullptr) return {};
  return reinterpret_cast<const char*>(node->name);
}

std::string_view namespace_of(const xmlNode* node) {
  if (node == nullptr || node->ns == nullptr || node->ns->href == nullptr) return {};
  return reinterpret_cast<const char*>(node->ns->href);
}

const xmlNode* child(const xmlNode* node, std::string_view name) {
  if (node == nullptr) return nullptr;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next)
    if (c->type == XML_ELEMENT_NODE && local_name(c) == name) return c;
  return nullptr;
}

std::vector<const xmlNode*> children(const xmlNode* node, std::string_view name) {
  std::vector<const xmlNode*> out;
  if (node == nullptr) return out;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next)
    if (c->type == XML_ELEMENT_NODE && local_name(c) == name) out.push_back(c);
  return out;
}

const xmlNode* path(const xmlNode* node, std::initializer_list<std::string_view> names) {
  for (auto name : names) node = child(node, name);
  return node;
}

std::string text(const xmlNode* node) {
  if (node == nullptr) return {};
  xmlChar* content = xmlNodeGetContent(node);
  if (content == nullptr) return {};
  std::string s(trim(reinterpret_cast<const char*>(content)));
  xmlFree(content);
  return s;
}

namespace {

bool is_block(std::string_view name) {
  for (std::string_view b : {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    if (name == b) return true;
  return false;
}

void append_text(const xmlNode* node, std::string& out) {
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content != nullptr) out += reinterpret_cast<const char*>(c->content);
    } else if (c->type == XML_ELEMENT_NODE) {
      append_text(c, out);
      if (is_block(local_name(c)) && !out.empty() && out.back() != '\n') out += '\n';
    }
  }
}

}  // namespace

std::string text_with_breaks(const xmlNode* node) {
  if (node == nullptr) return {};
  std::string out;
  append_text(node, out);
  return std::string(trim(out));
}

std::string attribute(const xmlNode* node, const char* name) {
  if (node == nullptr) return {};
  xmlChar* value = xmlGetNoNsProp(node, as_xml(name));
  if (value == nullptr) return {};
  std::string s(trim(reinterpret_cast<const char*>(value)));
  xmlFree(value);
  return s;
}

// --- XmlWriter ---

namespace {
void check(int rc) {
  if (rc < 0) throw std::runtime_error("libxml2 could not write XML");
}
std::string z(std::string_view s) {
  return std::string(s);
}
}  // namespace

XmlWriter::XmlWriter() {
  init_libxml();
  buffer_ = xmlBufferCreate();
  if (buffer_ == nullptr) throw std::bad_alloc();
  writer_ = xmlNewTextWriterMemory(buffer_, 0);
  if (writer_ == nullptr) {
    xmlBufferFree(buffer_);
    throw std::bad_alloc();
  }
  check(xmlTextWriterSetIndent(writer_, 1));
  check(xmlTextWriterSetIndentString(writer_, as_xml("  ")));
  check(xmlTextWriterStartDocument(writer_, "1.0", "UTF-8", nullptr));
}

XmlWriter::~XmlWriter() {
  xmlFreeTextWriter(writer_);
  xmlBufferFree(buffer_);
}

void XmlWriter::start(std::string_view name) {
  check(xmlTextWriterStartElement(writer_, as_xml(z(name).c_str())));
}

void XmlWriter::attribute(std::string_view name, std::string_view value) {
  check(xmlTextWriterWriteAttribute(writer_, as_xml(z(name).c_str()), as_xml(z(value).c_str())));
}

void XmlWriter::text(std::string_view value) {
  check(xmlTextWriterWriteString(writer_, as_xml(z(value).c_str())));
}

void XmlWriter::end() {
  check(xmlTextWriterEndElement(writer_));
}

void XmlWriter::element(std::string_view name, std::string_view value) {
  start(name);
  text(value);
  end();
}

std::string XmlWriter::finish() {
  check(xmlTextWriterEndDocument(writer_));
  check(xmlTextWriterFlush(writer_));
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_)),
                     static_cast<std::size_t>(xmlBufferLength(buffer_)));
}

}  // namespace samflyt::msg::xml
