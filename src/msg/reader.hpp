// Internal to src/msg: reading an already parsed document, so that
// receive() parses once for both the schema validator and the reader.
// See codec.hpp for the contract of read().
#pragma once

#include <libxml/tree.h>

#include "msg/codec.hpp"

namespace samflyt::msg::detail {

ReadResult read_document(const xmlDoc* doc, const ReadOptions& options);

// Why a message must carry ConversationRef (in Norwegian, for AppRec OT),
// or "" when it need not: replies (DIALOG_SVAR, DIALOG_AVVIK, Helsefaglig
// dialog 7322 V=7), changes (Forsendelsesstatus M) and cancellations (C).
// Used by read() to reject and by write() to refuse.
std::string conversation_ref_reason(const Envelope& env, const Content& content);

}  // namespace samflyt::msg::detail
