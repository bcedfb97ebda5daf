// Percent-encoding (RFC 3986 unreserved characters kept) for the tests'
// URLs and form bodies; shared by the OIDC test provider and the tests.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace samflyt::testing {

inline std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace samflyt::testing
