#include "store/system_env.hpp"

#include <sodium.h>

#include <stdexcept>

namespace samflyt::store {

service::Instant SystemClock::now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

RandomIds::RandomIds() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string RandomIds::new_id() {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[b[i] >> 4];
    out += hex[b[i] & 0x0f];
  }
  return out;
}

}  // namespace samflyt::store
