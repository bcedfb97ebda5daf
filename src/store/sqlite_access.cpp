#include <sstream>

#include "store/sqlite_common.hpp"
#include "store/sqlite_repositories.hpp"

namespace samflyt::store {

using core::Instant;
using sqlite::Statement;

namespace {

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += '\n';
    out += i;
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

core::SelfAuthorisation read_self_authorisation(const Statement& s) {
  core::SelfAuthorisation a;
  a.id = s.text(0);
  a.user_id = s.text(1);
  a.episode_id = s.text(2);
  a.reason = s.text(3);
  a.emergency = s.integer(4) != 0;
  a.starts_at = instant(s.integer(5));
  a.ends_at = instant(s.integer(6));
  a.reviewed_by = s.text(7);
  a.reviewed_at = instant(s.optional_integer(8));
  a.organisations = split_lines(s.text(9));
  return a;
}

constexpr const char* kSelfAuthColumns =
    "SELECT id, user_id, episode_id, reason, emergency, starts_at, ends_at, reviewed_by, "
    "reviewed_at, organisation_ids FROM self_authorisations";

core::Block read_block(const Statement& s) {
  return core::Block{s.text(0), s.text(1), s.text(2), s.text(3), instant(s.integer(4))};
}

core::Consent read_consent(const Statement& s) {
  core::Consent c;
  c.id = s.text(0);
  c.episode_id = s.text(1);
  c.given_by = core::parse_consent_giver(s.text(2)).value_or(core::ConsentGiver::guardian);
  c.given_by_name = s.text(3);
  c.purpose =
      core::parse_consent_purpose(s.text(4)).value_or(core::ConsentPurpose::send_documentation);
  c.targets = split_lines(s.text(5));
  c.valid_from = instant(s.integer(6));
  c.valid_to = instant(s.optional_integer(7));
  c.withdrawn_at = instant(s.optional_integer(8));
  c.recorded_by = s.text(9);
  c.recorded_at = instant(s.integer(10));
  c.version = s.integer(11);
  return c;
}

service::CareTeamMember read_member(const Statement& s) {
  return service::CareTeamMember{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4),
                                 s.text(5), s.text(6), s.text(7), s.text(8), instant(s.integer(9))};
}

}  // namespace

void SqliteAccess::load_patient_rows(core::EpisodeAccessFacts& f) {
  auto family = c_.prepare("SELECT user_id, relation FROM family_links WHERE patient_id = ?");
  family.bind(1, f.patient_id);
  f.family = all_rows(family, [](const Statement& r) {
    return core::FamilyLink{
        r.text(0), core::parse_family_relation(r.text(1)).value_or(core::FamilyRelation::guardian)};
  });
  f.blocks = blocks_of(f.patient_id);
}

std::vector<core::Block> SqliteAccess::blocks_of(const std::string& patient_id) {
  auto blocks = c_.prepare(
      "SELECT id, user_id, organisation_id, reason, created_at FROM blocks "
      "WHERE patient_id = ? AND lifted_at IS NULL");
  blocks.bind(1, patient_id);
  return all_rows(blocks, read_block);
}

Result<core::EpisodeAccessFacts> SqliteAccess::patient_facts(const core::Patient& p) {
  return guarded([&]() -> Result<core::EpisodeAccessFacts> {
    core::EpisodeAccessFacts f;
    f.patient_id = p.id;
    f.municipality_id = p.municipality_id;
    f.patient_birth_date = p.birth_date;
    load_patient_rows(f);
    return f;
  });
}

Result<std::optional<core::EpisodeAccessFacts>> SqliteAccess::facts(const std::string& episode_id,
                                                                    const core::Principal& who) {
  return guarded([&]() -> Result<std::optional<core::EpisodeAccessFacts>> {
    // One statement for what nearly every request needs; blocks and
    // self-authorisations, which are rare, are read only when they exist.
    // What only a family member's decision needs (?3) is not looked up
    // for staff: each lookup is an index probe of its own.
    bool family = who.kind == core::AccountKind::family;
    auto e = c_.prepare(
        "SELECT e.patient_id, e.hospital_unit_id, e.municipality_id, "
        " CASE WHEN ?3 THEN (SELECT birth_date FROM patients WHERE id = e.patient_id) END, "
        " (SELECT group_concat(user_id, char(10)) FROM care_team_members "
        "   WHERE episode_id = e.id AND user_id IS NOT NULL), "
        " CASE WHEN ?3 THEN (SELECT group_concat(relation || ' ' || user_id, char(10)) "
        "   FROM family_links WHERE patient_id = e.patient_id) END, "
        " EXISTS (SELECT 1 FROM blocks WHERE patient_id = e.patient_id AND lifted_at IS NULL), "
        " CASE WHEN ?3 THEN 0 ELSE EXISTS (SELECT 1 FROM self_authorisations "
        "   WHERE episode_id = e.id AND user_id = ?1) END "
        "FROM episodes e WHERE e.id = ?2");
    e.bind(1, who.user_id).bind(2, episode_id).bind(3, family ? 1 : 0);
    if (!e.step()) return std::optional<core::EpisodeAccessFacts>();
    core::EpisodeAccessFacts f;
    f.episode_id = episode_id;
    f.patient_id = e.text(0);
    f.hospital_unit_id = e.text(1);
    f.municipality_id = e.text(2);
    if (auto birth = e.text(3); !birth.empty())
      if (auto d = core::parse_date(birth)) f.patient_birth_date = *d;
    f.care_team_user_ids = split_lines(e.text(4));
    for (const auto& link : split_lines(e.text(5))) {
      auto space = link.find(' ');
      f.family.push_back(core::FamilyLink{link.substr(space + 1),
                                          core::parse_family_relation(link.substr(0, space))
                                              .value_or(core::FamilyRelation::guardian)});
    }
    bool blocked = e.integer(6) != 0;
    bool self_authorised = e.integer(7) != 0;
    if (blocked) f.blocks = blocks_of(f.patient_id);
    if (self_authorised) {
      auto self = c_.prepare(std::string(kSelfAuthColumns) +
                             " WHERE episode_id = ? AND user_id = ? ORDER BY starts_at");
      self.bind(1, episode_id).bind(2, who.user_id);
      f.self_authorisations = all_rows(self, read_self_authorisation);
    }
    return std::optional<core::EpisodeAccessFacts>(std::move(f));
  });
}

Result<void> SqliteAccess::add_member(const service::CareTeamMember& m) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO care_team_members (id, episode_id, user_id, name, role, organisation_id, "
          "phone, email, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, m.id)
        .bind(2, m.episode_id)
        .bind_text_or_null(3, m.user_id)
        .bind(4, m.name)
        .bind(5, m.role)
        .bind_text_or_null(6, m.organisation_id)
        .bind(7, m.phone)
        .bind(8, m.email)
        .bind(9, m.added_by)
        .bind(10, seconds(m.added_at))
        .run();
    return {};
  });
}

Result<void> SqliteAccess::remove_member(const std::string& episode_id, const std::string& id) {
  return guarded([&]() -> Result<void> {
    auto s = c_.prepare("DELETE FROM care_team_members WHERE episode_id = ? AND id = ?");
    s.bind(1, episode_id).bind(2, id).run();
    if (s.changes() == 0)
      return make_error(ErrorCode::not_found, "No such member of the care team.",
                        "Fant ikke dette medlemmet av teamet.");
    return {};
  });
}

Result<std::vector<service::CareTeamMember>> SqliteAccess::members(const std::string& episode_id) {
  return guarded([&]() -> Result<std::vector<service::CareTeamMember>> {
    auto s = c_.prepare(
        "SELECT id, episode_id, user_id, name, role, organisation_id, phone, email, added_by, "
        "added_at FROM care_team_members WHERE episode_id = ? ORDER BY role, name, id");
    s.bind(1, episode_id);
    return all_rows(s, read_member);
  });
}

Result<std::vector<std::string>> SqliteAccess::episodes_of_member(const std::string& user_id,
                                                                  Instant now) {
  return guarded([&]() -> Result<std::vector<std::string>> {
    auto s = c_.prepare(
        "SELECT episode_id FROM care_team_members WHERE user_id = ? "
        "UNION SELECT episode_id FROM self_authorisations WHERE user_id = ? AND starts_at <= ? "
        "AND ends_at > ?");
    s.bind(1, user_id).bind(2, user_id).bind(3, seconds(now)).bind(4, seconds(now));
    return all_rows(s, [](const Statement& r) { return r.text(0); });
  });
}

Result<void> SqliteAccess::insert_self_authorisation(const core::SelfAuthorisation& a) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO self_authorisations (id, user_id, episode_id, reason, emergency, "
          "starts_at, ends_at, organisation_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, a.id)
        .bind(2, a.user_id)
        .bind(3, a.episode_id)
        .bind(4, a.reason)
        .bind(5, a.emergency ? 1 : 0)
        .bind(6, seconds(a.starts_at))
        .bind(7, seconds(a.ends_at))
        .bind_text_or_null(8, join_lines(a.organisations))
        .run();
    return {};
  });
}

Result<std::vector<core::SelfAuthorisation>> SqliteAccess::self_authorisations(bool pending_only) {
  return guarded([&]() -> Result<std::vector<core::SelfAuthorisation>> {
    // Every pending one (each must stay reviewable); of the reviewed, the
    // newest 1000.
    auto s = c_.prepare(std::string(kSelfAuthColumns) +
                        (pending_only ? " WHERE reviewed_at IS NULL ORDER BY starts_at DESC, id"
                                      : " ORDER BY starts_at DESC, id LIMIT 1000"));
    return all_rows(s, read_self_authorisation);
  });
}

Result<bool> SqliteAccess::review_self_authorisation(const std::string& id,
                                                     const std::string& reviewer, Instant at) {
  return guarded([&]() -> Result<bool> {
    auto s = c_.prepare(
        "UPDATE self_authorisations SET reviewed_by = ?, reviewed_at = ? "
        "WHERE id = ? AND reviewed_at IS NULL");
    s.bind(1, reviewer).bind(2, seconds(at)).bind(3, id).run();
    return s.changes() > 0;
  });
}

Result<void> SqliteAccess::insert_block(const std::string& patient_id, const core::Block& b,
                                        const std::string& created_by) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO blocks (id, patient_id, user_id, organisation_id, reason, created_by, "
          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, b.id)
        .bind(2, patient_id)
        .bind_text_or_null(3, b.user_id)
        .bind_text_or_null(4, b.organisation_id)
        .bind(5, b.reason)
        .bind(6, created_by)
        .bind(7, seconds(b.created_at))
        .run();
    return {};
  });
}

Result<std::vector<core::Block>> SqliteAccess::blocks(const std::string& patient_id) {
  return guarded([&]() -> Result<std::vector<core::Block>> {
    auto s = c_.prepare(
        "SELECT id, user_id, organisation_id, reason, created_at FROM blocks "
        "WHERE patient_id = ? AND lifted_at IS NULL ORDER BY created_at, id");
    s.bind(1, patient_id);
    return all_rows(s, read_block);
  });
}

Result<bool> SqliteAccess::lift_block(const std::string& patient_id, const std::string& id,
                                      Instant at) {
  return guarded([&]() -> Result<bool> {
    auto s = c_.prepare(
        "UPDATE blocks SET lifted_at = ? WHERE patient_id = ? AND id = ? AND lifted_at IS NULL");
    s.bind(1, seconds(at)).bind(2, patient_id).bind(3, id).run();
    return s.changes() > 0;
  });
}

Result<std::vector<std::string>> SqliteAccess::patients_blocking(
    const std::string& user_id, const std::vector<std::string>& organisation_ids) {
  return guarded([&]() -> Result<std::vector<std::string>> {
    auto s = c_.prepare(
        "SELECT DISTINCT patient_id FROM blocks WHERE lifted_at IS NULL AND (user_id = ? OR "
        "organisation_id IN (SELECT value FROM json_each(?)))");
    s.bind(1, user_id).bind(2, json_array(organisation_ids));
    return all_rows(s, [](const Statement& r) { return r.text(0); });
  });
}

Result<void> SqliteAccess::insert_consent(const core::Consent& c) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO consents (id, episode_id, given_by, given_by_name, purpose, targets, "
          "valid_from, valid_to, withdrawn_at, recorded_by, recorded_at, version) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, c.id)
        .bind(2, c.episode_id)
        .bind(3, core::to_string(c.given_by))
        .bind(4, c.given_by_name)
        .bind(5, core::to_string(c.purpose))
        .bind(6, join_lines(c.targets))
        .bind(7, seconds(c.valid_from))
        .bind(8, seconds(c.valid_to))
        .bind(9, seconds(c.withdrawn_at))
        .bind(10, c.recorded_by)
        .bind(11, seconds(c.recorded_at))
        .bind(12, c.version)
        .run();
    return {};
  });
}

Result<void> SqliteAccess::update_consent(const core::Consent& c, std::int64_t expected_version) {
  return guarded([&]() -> Result<void> {
    auto s = c_.prepare(
        "UPDATE consents SET valid_to = ?, withdrawn_at = ?, version = ? "
        "WHERE id = ? AND version = ?");
    s.bind(1, seconds(c.valid_to))
        .bind(2, seconds(c.withdrawn_at))
        .bind(3, c.version)
        .bind(4, c.id)
        .bind(5, expected_version)
        .run();
    if (s.changes() == 0) return stale();
    return {};
  });
}

Result<std::vector<core::Consent>> SqliteAccess::consents(const std::string& episode_id) {
  return guarded([&]() -> Result<std::vector<core::Consent>> {
    auto s = c_.prepare(
        "SELECT id, episode_id, given_by, given_by_name, purpose, targets, valid_from, valid_to, "
        "withdrawn_at, recorded_by, recorded_at, version FROM consents WHERE episode_id = ? "
        "ORDER BY recorded_at, id");
    s.bind(1, episode_id);
    return all_rows(s, read_consent);
  });
}

}  // namespace samflyt::store
