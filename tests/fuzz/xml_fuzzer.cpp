// Fuzz target: the safe XML reader (msg/xml.hpp), the door every byte from
// outside goes through, and the reading helpers the decoders walk the tree
// with. Invariants: no exception escapes; an accepted document has a root
// element and no DOCTYPE (internal or external subset), and no entity
// declarations or references survive (nothing is ever expanded); every
// helper answers for every element and attribute; text is valid UTF-8.
#include <libxml/tree.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "msg/xml.hpp"

namespace {

using namespace samflyt::msg;

// Well-formed UTF-8 (lead byte, then as many continuation bytes as it says).
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t more = 0;
    if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
    } else if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c >= 0x80) {
      return false;
    }
    if (i + more >= s.size() && more > 0) return false;
    for (std::size_t k = 1; k <= more; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += more + 1;
  }
  return true;
}

void walk(const xmlNode* node, int depth) {
  for (const xmlNode* c = node; c != nullptr; c = c->next) {
    FUZZ_CHECK(
        c->type != XML_ENTITY_REF_NODE && c->type != XML_ENTITY_DECL && c->type != XML_DTD_NODE,
        "an entity or DTD node in an accepted document");
    if (c->type != XML_ELEMENT_NODE) continue;
    const auto name = xml::local_name(c);
    FUZZ_CHECK(!name.empty(), "an element without a name");
    (void)xml::namespace_of(c);
    const auto text = xml::text(c);
    FUZZ_CHECK(valid_utf8(text), text);
    FUZZ_CHECK(valid_utf8(xml::text_with_breaks(c)), "text_with_breaks");
    for (const xmlAttr* a = c->properties; a != nullptr; a = a->next) {
      if (a->ns != nullptr) continue;  // attribute() reads attributes without namespace
      const auto value = xml::attribute(c, reinterpret_cast<const char*>(a->name));
      FUZZ_CHECK(valid_utf8(value), value);
    }
    FUZZ_CHECK(xml::child(c, name) == nullptr || xml::children(c, name).size() >= 1, "child");
    FUZZ_CHECK(xml::path(c, {}) == c, "an empty path");
    // Deep enough for the messages; libxml2 itself limits depth to 256.
    if (depth < 300) walk(c->children, depth + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto doc = xml::parse_untrusted(fuzz::as_view(data, size));
  if (!doc) {
    FUZZ_CHECK(doc.error().code == samflyt::ErrorCode::invalid_input, doc.error().message);
    FUZZ_CHECK(!doc.error().message.empty() && !doc.error().message_nb.empty(), "no reason");
    return 0;
  }
  const xmlDoc* d = doc->get();
  FUZZ_CHECK(d->intSubset == nullptr && d->extSubset == nullptr, "a DOCTYPE was accepted");
  const xmlNode* root = xmlDocGetRootElement(const_cast<xmlDoc*>(d));
  FUZZ_CHECK(root != nullptr, "accepted without a root element");
  walk(root, 0);
  return 0;
}
