// Internal to src/msg: reading an already parsed document, so that
// receive() parses once for both the schema validator and the reader.
// See codec.hpp for the contract of read().
#pragma once

#include <libxml/tree.h>

#include "msg/codec.hpp"

namespace samflyt::msg::detail {

ReadResult read_document(const xmlDoc* doc, const ReadOptions& options);

}  // namespace samflyt::msg::detail
