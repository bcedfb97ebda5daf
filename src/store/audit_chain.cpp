#include "store/audit_chain.hpp"

#include <sodium.h>

#include <array>
#include <charconv>

namespace samflyt::store {

namespace {

void number(std::string& out, std::int64_t n) {
  std::array<char, 24> digits{};
  auto end = std::to_chars(digits.data(), digits.data() + digits.size(), n).ptr;
  out.append(digits.data(), end);
}

void field(std::string& out, std::string_view v) {
  number(out, static_cast<std::int64_t>(v.size()));
  out += ':';
  out += v;
  out += ';';
}

void number_field(std::string& out, std::int64_t n) {
  std::array<char, 24> digits{};
  auto end = std::to_chars(digits.data(), digits.data() + digits.size(), n).ptr;
  field(out, std::string_view(digits.data(), static_cast<std::size_t>(end - digits.data())));
}

std::array<unsigned char, 32> from_hex(const std::string& hex) {
  std::array<unsigned char, 32> bytes{};
  if (hex.size() == 64)
    sodium_hex2bin(bytes.data(), bytes.size(), hex.data(), hex.size(), nullptr, nullptr, nullptr);
  return bytes;
}

void append_canonical(std::string& text, std::int64_t seq, const service::AuditEntry& e) {
  number_field(text, seq);
  number_field(text, e.at.time_since_epoch().count());
  field(text, e.user_id);
  field(text, e.role);
  field(text, e.organisation_id);
  field(text, e.basis);
  field(text, e.patient_id);
  field(text, e.resource);
  field(text, e.action);
  field(text, e.outcome);
  field(text, e.emergency ? "1" : "0");
  field(text, e.request_id);
}

}  // namespace

std::string audit_hash(const std::string& previous, std::int64_t seq,
                       std::span<const service::AuditEntry> entries) {
  std::string text;
  text.reserve(256 * entries.size());
  for (const auto& e : entries) append_canonical(text, seq, e);

  auto prev = from_hex(previous);
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  crypto_generichash_update(&state, prev.data(), prev.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(text.data()),
                            text.size());
  std::array<unsigned char, 32> out{};
  crypto_generichash_final(&state, out.data(), out.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
  return std::string(hex.data(), 64);
}

}  // namespace samflyt::store
