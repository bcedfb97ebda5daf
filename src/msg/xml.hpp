// libxml2 behind RAII wrappers, for the codecs in this folder only.
//
// parse_untrusted() is the one door for bytes from outside: network access
// off (XML_PARSE_NONET), no entity substitution (no XML_PARSE_NOENT), no
// DTD loading or validation (no XML_PARSE_DTDLOAD/DTDVALID), and any
// document with a DOCTYPE is refused as soon as the parser meets it, before
// an internal subset's entity declarations are read: so XXE, external
// entities and "billion laughs" never get a chance. Encodings come from
// the XML declaration (UTF-8 and ISO-8859-1 are both read); text handed
// out is UTF-8.
//
// XmlWriter writes UTF-8 XML through libxml2's xmlTextWriter, which
// escapes text and attribute values.
//
// Thread-safety: libxml2 is initialised once (init_libxml(), called by
// every entry point); after that, distinct Document, XmlWriter and parser
// calls may be used from different threads at the same time. One object
// is not to be shared between threads without a lock.
#pragma once

#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace samflyt::msg::xml {

// Initialises libxml2 once per process; idempotent and thread-safe.
void init_libxml();

struct DocumentDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using Document = std::unique_ptr<xmlDoc, DocumentDeleter>;

// Parses bytes from outside (see the header comment). Errors are
// ErrorCode::invalid_input with the parser's reason (no document content).
Result<Document> parse_untrusted(std::string_view bytes);

// --- Reading helpers (all tolerate nullptr and answer "nothing") ---

std::string_view local_name(const xmlNode* node);
std::string_view namespace_of(const xmlNode* node);  // "" when none
// The first child element with this local name, whatever its namespace
// (the schemas fix namespaces; the strict Validator checks them).
const xmlNode* child(const xmlNode* node, std::string_view name);
std::vector<const xmlNode*> children(const xmlNode* node, std::string_view name);
// Follows a path of local names: child(child(node, "A"), "B") ...
const xmlNode* path(const xmlNode* node, std::initializer_list<std::string_view> names);
// The element's text content (UTF-8), surrounding whitespace trimmed.
std::string text(const xmlNode* node);
// Text of an element that may hold XHTML (Dialogmelding TekstNotatInnhold,
// HISD 1155): the text content with a line break after each paragraph,
// list item, table row, heading and <br>, so that paragraphs stay apart.
std::string text_with_breaks(const xmlNode* node);
// An attribute without namespace (V, DN, S, OT ...); "" when absent.
std::string attribute(const xmlNode* node, const char* name);

// --- Writing ---

class XmlWriter {
 public:
  XmlWriter();  // starts the document: <?xml version="1.0" encoding="UTF-8"?>
  ~XmlWriter();
  XmlWriter(const XmlWriter&) = delete;
  XmlWriter& operator=(const XmlWriter&) = delete;

  void start(std::string_view name);  // a qualified name, e.g. "p1:Pasientlogistikk"
  void attribute(std::string_view name, std::string_view value);
  void text(std::string_view value);
  void end();
  // <name>value</name>
  void element(std::string_view name, std::string_view value);
  // Ends every open element and the document; returns the UTF-8 text.
  std::string finish();

 private:
  xmlBuffer* buffer_;
  xmlTextWriter* writer_;
};

}  // namespace samflyt::msg::xml
