#include "store/sqlite_common.hpp"
#include "store/sqlite_repositories.hpp"

namespace samflyt::store {

using core::Instant;
using service::ApiToken;
using service::Session;
using service::User;
using sqlite::Statement;

namespace {

constexpr const char* kUserColumns =
    "SELECT id, username, display_name, kind, staff_id, hpr_number, password_hash, "
    "oidc_subject, language, disabled, created_at, version FROM users";

User read_user(const Statement& s) {
  User u;
  u.id = s.text(0);
  u.username = s.text(1);
  u.display_name = s.text(2);
  u.kind = core::parse_account_kind(s.text(3)).value_or(core::AccountKind::staff);
  u.staff_id = s.text(4);
  u.hpr_number = s.text(5);
  u.password_hash = s.text(6);
  u.oidc_subject = s.text(7);
  u.language = s.text(8);
  u.disabled = s.integer(9) != 0;
  u.created_at = instant(s.integer(10));
  u.version = s.integer(11);
  return u;
}

Session read_session(const Statement& s) {
  return Session{s.text(0),
                 s.text(1),
                 s.text(2),
                 instant(s.integer(3)),
                 instant(s.integer(4)),
                 instant(s.integer(5))};
}

ApiToken read_token(const Statement& s) {
  return ApiToken{s.text(0),
                  s.text(1),
                  s.text(2),
                  s.text(3),
                  instant(s.integer(4)),
                  instant(s.optional_integer(5)),
                  instant(s.optional_integer(6))};
}

}  // namespace

Result<void> SqliteAccounts::insert(const User& u) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO users (id, username, display_name, kind, staff_id, hpr_number, "
          "password_hash, oidc_subject, language, disabled, created_at, version) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, u.id)
        .bind(2, u.username)
        .bind(3, u.display_name)
        .bind(4, core::to_string(u.kind))
        .bind_text_or_null(5, u.staff_id)
        .bind(6, u.hpr_number)
        .bind(7, u.password_hash)
        .bind_text_or_null(8, u.oidc_subject)
        .bind(9, u.language)
        .bind(10, u.disabled ? 1 : 0)
        .bind(11, seconds(u.created_at))
        .bind(12, u.version)
        .run();
    return {};
  });
}

std::optional<std::int64_t> SqliteAccounts::cache_version() {
  if (!read_only_) return std::nullopt;
  if (!version_) {
    auto changes = c_.prepare("SELECT version FROM grant_changes");
    changes.step();
    version_ = changes.integer(0);
    std::lock_guard lock(cache_.mutex);
    if (cache_.version != *version_) {
      cache_.grants_by_user.clear();
      cache_.users_by_id.clear();
      cache_.tokens_by_digest.clear();
      cache_.version = *version_;
    }
  }
  return version_;
}

// The cached value of `key` in `map`, or `load()`'s (kept when found).
template <typename Map, typename Load>
auto SqliteAccounts::cached(Map AccountCache::*map, const std::string& key, Load load)
    -> Result<std::optional<typename Map::mapped_type>> {
  using Value = typename Map::mapped_type;
  return guarded([&]() -> Result<std::optional<Value>> {
    auto version = cache_version();
    if (version) {
      std::lock_guard lock(cache_.mutex);
      auto& m = cache_.*map;
      if (auto it = m.find(key); it != m.end()) return std::optional<Value>(it->second);
    }
    std::optional<Value> value = load();
    if (version && value) {
      std::lock_guard lock(cache_.mutex);
      if (cache_.version == *version) (cache_.*map)[key] = *value;
    }
    return value;
  });
}

Result<std::optional<User>> SqliteAccounts::get(const std::string& id) {
  return cached(&AccountCache::users_by_id, id, [&] {
    auto s = c_.prepare(std::string(kUserColumns) + " WHERE id = ?");
    s.bind(1, id);
    return first_row(s, read_user);
  });
}

Result<std::optional<User>> SqliteAccounts::find_by_username(const std::string& username) {
  return guarded([&]() -> Result<std::optional<User>> {
    auto s = c_.prepare(std::string(kUserColumns) + " WHERE username = ?");
    s.bind(1, username);
    return first_row(s, read_user);
  });
}

Result<std::optional<User>> SqliteAccounts::find_by_oidc_subject(const std::string& subject) {
  return guarded([&]() -> Result<std::optional<User>> {
    auto s = c_.prepare(std::string(kUserColumns) + " WHERE oidc_subject = ?");
    s.bind(1, subject);
    return first_row(s, read_user);
  });
}

Result<void> SqliteAccounts::update(const User& u, std::int64_t expected_version) {
  return guarded([&]() -> Result<void> {
    auto s = c_.prepare(
        "UPDATE users SET display_name = ?, hpr_number = ?, password_hash = ?, oidc_subject = ?, "
        "language = ?, disabled = ?, version = ? WHERE id = ? AND version = ?");
    s.bind(1, u.display_name)
        .bind(2, u.hpr_number)
        .bind(3, u.password_hash)
        .bind_text_or_null(4, u.oidc_subject)
        .bind(5, u.language)
        .bind(6, u.disabled ? 1 : 0)
        .bind(7, u.version)
        .bind(8, u.id)
        .bind(9, expected_version)
        .run();
    if (s.changes() == 0) return stale();
    return {};
  });
}

Result<std::vector<User>> SqliteAccounts::list() {
  return guarded([&]() -> Result<std::vector<User>> {
    auto s = c_.prepare(std::string(kUserColumns) + " ORDER BY username");
    return all_rows(s, read_user);
  });
}

Result<void> SqliteAccounts::grant(const std::string& user_id, const std::string& role,
                                   const std::string& organisation_id, Instant at) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO user_roles (user_id, role, organisation_id, granted_at) VALUES (?, ?, ?, ?) "
          "ON CONFLICT DO NOTHING")
        .bind(1, user_id)
        .bind(2, role)
        .bind(3, organisation_id)
        .bind(4, seconds(at))
        .run();
    return {};
  });
}

Result<std::vector<core::RoleGrant>> SqliteAccounts::grants(const std::string& user_id) {
  auto found = cached(&AccountCache::grants_by_user, user_id, [&] {
    // Each grant's organisation and its ancestors, nearest first.
    auto s = c_.prepare(
        "WITH RECURSIVE path (role, organisation_id, org, depth) AS ("
        "  SELECT role, organisation_id, organisation_id, 0 FROM user_roles WHERE user_id = ?"
        "  UNION ALL"
        "  SELECT p.role, p.organisation_id, o.parent_id, p.depth + 1"
        "  FROM path p JOIN organisations o ON o.id = p.org"
        "  WHERE o.parent_id IS NOT NULL AND p.depth < 16)"
        "SELECT role, organisation_id, org FROM path ORDER BY role, organisation_id, depth");
    s.bind(1, user_id);
    std::vector<core::RoleGrant> out;
    while (s.step()) {
      auto role = s.text(0);
      auto org = s.text(1);
      if (out.empty() || out.back().role != role || out.back().organisation_id != org)
        out.push_back({role, org, {}});
      out.back().organisation_path.push_back(s.text(2));
    }
    return std::optional<std::vector<core::RoleGrant>>(std::move(out));
  });
  if (!found) return std::move(found).error();
  return std::move(**found);
}

Result<void> SqliteAccounts::link_family(const std::string& patient_id, const std::string& user_id,
                                         core::FamilyRelation relation) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO family_links (patient_id, user_id, relation) VALUES (?, ?, ?) "
          "ON CONFLICT (patient_id, user_id) DO UPDATE SET relation = excluded.relation")
        .bind(1, patient_id)
        .bind(2, user_id)
        .bind(3, core::to_string(relation))
        .run();
    return {};
  });
}

Result<std::vector<std::string>> SqliteAccounts::patients_of_family_member(
    const std::string& user_id) {
  return guarded([&]() -> Result<std::vector<std::string>> {
    auto s =
        c_.prepare("SELECT patient_id FROM family_links WHERE user_id = ? ORDER BY patient_id");
    s.bind(1, user_id);
    return all_rows(s, [](const Statement& r) { return r.text(0); });
  });
}

Result<void> SqliteAccounts::insert_session(const Session& x) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO sessions (id_digest, user_id, csrf_token, created_at, last_seen_at, "
          "expires_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, x.id_digest)
        .bind(2, x.user_id)
        .bind(3, x.csrf_token)
        .bind(4, seconds(x.created_at))
        .bind(5, seconds(x.last_seen_at))
        .bind(6, seconds(x.expires_at))
        .run();
    return {};
  });
}

Result<std::optional<Session>> SqliteAccounts::find_session(const std::string& id_digest) {
  return guarded([&]() -> Result<std::optional<Session>> {
    auto s = c_.prepare(
        "SELECT id_digest, user_id, csrf_token, created_at, last_seen_at, expires_at "
        "FROM sessions WHERE id_digest = ?");
    s.bind(1, id_digest);
    return first_row(s, read_session);
  });
}

Result<void> SqliteAccounts::touch_session(const std::string& id_digest, Instant at) {
  return guarded([&]() -> Result<void> {
    c_.prepare("UPDATE sessions SET last_seen_at = ? WHERE id_digest = ?")
        .bind(1, seconds(at))
        .bind(2, id_digest)
        .run();
    return {};
  });
}

Result<void> SqliteAccounts::delete_session(const std::string& id_digest) {
  return guarded([&]() -> Result<void> {
    c_.prepare("DELETE FROM sessions WHERE id_digest = ?").bind(1, id_digest).run();
    return {};
  });
}

Result<void> SqliteAccounts::delete_sessions_of(const std::string& user_id) {
  return guarded([&]() -> Result<void> {
    c_.prepare("DELETE FROM sessions WHERE user_id = ?").bind(1, user_id).run();
    return {};
  });
}

Result<void> SqliteAccounts::insert_token(const ApiToken& t) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO api_tokens (id, user_id, name, digest, created_at, expires_at, revoked_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, t.id)
        .bind(2, t.user_id)
        .bind(3, t.name)
        .bind(4, t.digest)
        .bind(5, seconds(t.created_at))
        .bind(6, seconds(t.expires_at))
        .bind(7, seconds(t.revoked_at))
        .run();
    return {};
  });
}

constexpr const char* kTokenColumns =
    "SELECT id, user_id, name, digest, created_at, expires_at, revoked_at FROM api_tokens";

Result<std::optional<ApiToken>> SqliteAccounts::find_token(const std::string& digest) {
  return cached(&AccountCache::tokens_by_digest, digest, [&] {
    auto s = c_.prepare(std::string(kTokenColumns) + " WHERE digest = ?");
    s.bind(1, digest);
    return first_row(s, read_token);
  });
}

Result<std::vector<ApiToken>> SqliteAccounts::tokens_of(const std::string& user_id) {
  return guarded([&]() -> Result<std::vector<ApiToken>> {
    auto s = c_.prepare(std::string(kTokenColumns) + " WHERE user_id = ? ORDER BY created_at, id");
    s.bind(1, user_id);
    return all_rows(s, read_token);
  });
}

Result<void> SqliteAccounts::revoke_token(const std::string& id, Instant at) {
  return guarded([&]() -> Result<void> {
    c_.prepare("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bind(1, seconds(at))
        .bind(2, id)
        .run();
    return {};
  });
}

Result<void> SqliteAccounts::record_login_attempt(const std::string& username, Instant at,
                                                  bool succeeded) {
  return guarded([&]() -> Result<void> {
    c_.prepare("INSERT INTO login_attempts (username, at, succeeded) VALUES (?, ?, ?)")
        .bind(1, username)
        .bind(2, seconds(at))
        .bind(3, succeeded ? 1 : 0)
        .run();
    return {};
  });
}

Result<int> SqliteAccounts::failed_logins_since(const std::string& username, Instant since) {
  return guarded([&]() -> Result<int> {
    // Failures since the later of `since` and the last success.
    auto s = c_.prepare(
        "SELECT count(*) FROM login_attempts WHERE username = ? AND succeeded = 0 AND at >= "
        "max(?, coalesce((SELECT max(at) FROM login_attempts WHERE username = ? AND succeeded = "
        "1), 0))");
    s.bind(1, username).bind(2, seconds(since)).bind(3, username);
    s.step();
    return static_cast<int>(s.integer(0));
  });
}

Result<std::vector<service::ThrottledAccount>> SqliteAccounts::throttled_accounts(
    Instant since, int min_failures) {
  return guarded([&]() -> Result<std::vector<service::ThrottledAccount>> {
    auto s = c_.prepare(
        "SELECT username, count(*), max(at) FROM login_attempts a WHERE succeeded = 0 AND at >= ? "
        "AND at >= coalesce((SELECT max(at) FROM login_attempts b WHERE b.username = a.username "
        "AND b.succeeded = 1), 0) GROUP BY username HAVING count(*) >= ? ORDER BY max(at) DESC");
    s.bind(1, seconds(since)).bind(2, min_failures);
    return all_rows(s, [](const Statement& r) {
      return service::ThrottledAccount{r.text(0), static_cast<int>(r.integer(1)),
                                       instant(r.integer(2))};
    });
  });
}

Result<void> SqliteAccounts::purge(Instant now, Instant idle_before, Instant attempts_before) {
  return guarded([&]() -> Result<void> {
    c_.prepare("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?")
        .bind(1, seconds(now))
        .bind(2, seconds(idle_before))
        .run();
    c_.prepare("DELETE FROM login_attempts WHERE at < ?").bind(1, seconds(attempts_before)).run();
    return {};
  });
}

}  // namespace samflyt::store
