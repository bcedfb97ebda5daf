// Rules for free text that users type (names, notes, reasons).
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.hpp"

namespace samflyt::core {

// Characters (Unicode code points) in UTF-8 text: "Kragerø" is 7.
inline std::size_t count_characters(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// Accepts text of at most `max_characters` without control characters
// (line breaks and tabs allowed when `multiline`).
inline Result<void> check_text(std::string_view s, std::size_t max_characters, bool multiline,
                               const char* field) {
  if (count_characters(s) > max_characters)
    return make_error(
        ErrorCode::invalid_input,
        std::string(field) + " is longer than " + std::to_string(max_characters) + " characters.",
        std::string(field) + " er lengre enn " + std::to_string(max_characters) + " tegn.", field);
  for (unsigned char c : s) {
    bool allowed_break = multiline && (c == '\n' || c == '\r' || c == '\t');
    if ((c < 0x20 && !allowed_break) || c == 0x7F)
      return make_error(ErrorCode::invalid_input,
                        std::string(field) + " contains a control character.",
                        std::string(field) + " inneholder et kontrolltegn.", field);
  }
  return {};
}

}  // namespace samflyt::core
