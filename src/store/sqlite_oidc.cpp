// Pending OpenID Connect logins (migration 0004).
#include "store/sqlite_common.hpp"
#include "store/sqlite_repositories.hpp"

namespace samflyt::store {

using service::PendingOidcLogin;

Result<void> SqliteOidcLogins::insert(const PendingOidcLogin& p) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO oidc_logins (state_digest, nonce, code_verifier, return_to, created_at) "
          "VALUES (?, ?, ?, ?, ?)")
        .bind(1, p.state_digest)
        .bind(2, p.nonce)
        .bind(3, p.code_verifier)
        .bind(4, p.return_to)
        .bind(5, seconds(p.created_at))
        .run();
    return {};
  });
}

Result<std::optional<PendingOidcLogin>> SqliteOidcLogins::take(const std::string& state_digest) {
  return guarded([&]() -> Result<std::optional<PendingOidcLogin>> {
    auto s = c_.prepare(
        "DELETE FROM oidc_logins WHERE state_digest = ? "
        "RETURNING state_digest, nonce, code_verifier, return_to, created_at");
    s.bind(1, state_digest);
    auto row = first_row(s, [](const sqlite::Statement& r) {
      return PendingOidcLogin{r.text(0), r.text(1), r.text(2), r.text(3), instant(r.integer(4))};
    });
    s.run();  // to its end (there is at most one row: the key is unique)
    return row;
  });
}

Result<void> SqliteOidcLogins::purge_before(Instant t) {
  return guarded([&]() -> Result<void> {
    c_.prepare("DELETE FROM oidc_logins WHERE created_at < ?").bind(1, seconds(t)).run();
    return {};
  });
}

}  // namespace samflyt::store
