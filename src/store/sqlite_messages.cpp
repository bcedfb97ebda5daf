// The message store: the outbox and the inbox (migration 0011).
#include "store/sqlite_common.hpp"
#include "store/sqlite_repositories.hpp"

namespace samflyt::store {

using service::MessageDirection;
using service::MessageError;
using service::MessageStatus;
using service::StoredMessage;

namespace {

constexpr const char* kColumns =
    "SELECT id, direction, msg_id, msg_type, standard, standard_version, shipment_status, topic, "
    "parent_msg_id, conversation_id, sender_her_id, receiver_her_id, episode_id, answers_id, "
    "gen_date, xml, source_name, status, errors, note, created_at, status_at, sent_at, "
    "times_seen, last_seen_at, version FROM messages";

// Errors as lines of code TAB text TAB detail; tabs and line breaks inside
// a field become spaces (they carry no meaning in 8221 texts).
std::string clean(const std::string& field) {
  std::string out = field;
  for (char& c : out)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return out;
}

std::string encode_errors(const std::vector<MessageError>& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += '\n';
    out += clean(e.code) + '\t' + clean(e.text) + '\t' + clean(e.detail);
  }
  return out;
}

std::vector<MessageError> decode_errors(const std::string& text) {
  std::vector<MessageError> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    MessageError e;
    auto tab1 = line.find('\t');
    auto tab2 = tab1 == std::string::npos ? std::string::npos : line.find('\t', tab1 + 1);
    e.code = line.substr(0, tab1);
    if (tab1 != std::string::npos) e.text = line.substr(tab1 + 1, tab2 - tab1 - 1);
    if (tab2 != std::string::npos) e.detail = line.substr(tab2 + 1);
    out.push_back(std::move(e));
    start = end + 1;
  }
  return out;
}

StoredMessage read_message(const sqlite::Statement& r) {
  StoredMessage m;
  m.id = r.text(0);
  m.direction = r.text(1) == "incoming" ? MessageDirection::incoming : MessageDirection::outgoing;
  m.msg_id = r.text(2);
  m.msg_type = r.text(3);
  m.standard = r.text(4);
  m.standard_version = r.text(5);
  m.shipment_status = r.text(6);
  m.topic = r.text(7);
  m.parent_msg_id = r.text(8);
  m.conversation_id = r.text(9);
  m.sender_her_id = r.optional_integer(10);
  m.receiver_her_id = r.optional_integer(11);
  m.episode_id = r.text(12);
  m.answers_id = r.text(13);
  m.gen_date = instant(r.optional_integer(14));
  m.xml = r.blob(15);
  m.source_name = r.text(16);
  // The table's CHECK admits only the statuses the service knows.
  m.status = service::parse_message_status(r.text(17)).value_or(MessageStatus::queued);
  m.errors = decode_errors(r.text(18));
  m.note = r.text(19);
  m.created_at = instant(r.integer(20));
  m.status_at = instant(r.integer(21));
  m.sent_at = instant(r.optional_integer(22));
  m.times_seen = static_cast<int>(r.integer(23));
  m.last_seen_at = instant(r.integer(24));
  m.version = r.integer(25);
  return m;
}

}  // namespace

Result<void> SqliteMessages::insert(const StoredMessage& m) {
  return guarded([&]() -> Result<void> {
    c_.prepare(
          "INSERT INTO messages (id, direction, msg_id, msg_type, standard, standard_version, "
          "shipment_status, topic, parent_msg_id, conversation_id, sender_her_id, "
          "receiver_her_id, episode_id, answers_id, gen_date, xml, source_name, status, errors, "
          "note, created_at, status_at, sent_at, times_seen, last_seen_at, version) VALUES (?, ?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, m.id)
        .bind(2, service::to_string(m.direction))
        .bind(3, m.msg_id)
        .bind(4, m.msg_type)
        .bind(5, m.standard)
        .bind(6, m.standard_version)
        .bind(7, m.shipment_status)
        .bind(8, m.topic)
        .bind(9, m.parent_msg_id)
        .bind(10, m.conversation_id)
        .bind(11, m.sender_her_id)
        .bind(12, m.receiver_her_id)
        .bind_text_or_null(13, m.episode_id)
        .bind_text_or_null(14, m.answers_id)
        .bind(15, seconds(m.gen_date))
        .bind_blob(16, m.xml)
        .bind(17, m.source_name)
        .bind(18, service::to_string(m.status))
        .bind(19, encode_errors(m.errors))
        .bind(20, m.note)
        .bind(21, seconds(m.created_at))
        .bind(22, seconds(m.status_at))
        .bind(23, seconds(m.sent_at))
        .bind(24, static_cast<std::int64_t>(m.times_seen))
        .bind(25, seconds(m.last_seen_at))
        .bind(26, m.version)
        .run();
    return {};
  });
}

Result<std::optional<StoredMessage>> SqliteMessages::get(const std::string& id) {
  return guarded([&]() -> Result<std::optional<StoredMessage>> {
    auto s = c_.prepare(std::string(kColumns) + " WHERE id = ?");
    s.bind(1, id);
    return first_row(s, read_message);
  });
}

Result<std::optional<StoredMessage>> SqliteMessages::find(MessageDirection d,
                                                          const std::string& msg_id) {
  return guarded([&]() -> Result<std::optional<StoredMessage>> {
    if (msg_id.empty()) return std::optional<StoredMessage>{};
    // "msg_id <> ''" lets SQLite use the partial unique index messages_once;
    // without it the lookup scans every message of the direction.
    auto s =
        c_.prepare(std::string(kColumns) + " WHERE direction = ? AND msg_id = ? AND msg_id <> ''");
    s.bind(1, service::to_string(d)).bind(2, msg_id);
    return first_row(s, read_message);
  });
}

Result<void> SqliteMessages::update(const StoredMessage& m, std::int64_t expected_version) {
  return guarded([&]() -> Result<void> {
    auto s = c_.prepare(
        "UPDATE messages SET status = ?, status_at = ?, errors = ?, note = ?, sent_at = ?, "
        "times_seen = ?, last_seen_at = ?, version = ? WHERE id = ? AND version = ?");
    s.bind(1, service::to_string(m.status))
        .bind(2, seconds(m.status_at))
        .bind(3, encode_errors(m.errors))
        .bind(4, m.note)
        .bind(5, seconds(m.sent_at))
        .bind(6, static_cast<std::int64_t>(m.times_seen))
        .bind(7, seconds(m.last_seen_at))
        .bind(8, m.version)
        .bind(9, m.id)
        .bind(10, expected_version)
        .run();
    if (s.changes() == 0) return stale();
    return {};
  });
}

Result<std::vector<StoredMessage>> SqliteMessages::children(MessageDirection d,
                                                            const std::string& msg_id) {
  return guarded([&]() -> Result<std::vector<StoredMessage>> {
    auto s = c_.prepare(std::string(kColumns) +
                        " WHERE parent_msg_id = ? AND parent_msg_id <> '' AND +direction = ? "
                        "ORDER BY created_at, rowid");
    s.bind(1, msg_id).bind(2, service::to_string(d));
    return all_rows(s, read_message);
  });
}

Result<std::vector<StoredMessage>> SqliteMessages::with_status(MessageDirection d,
                                                               MessageStatus status, int limit) {
  return guarded([&]() -> Result<std::vector<StoredMessage>> {
    auto s = c_.prepare(std::string(kColumns) +
                        " WHERE direction = ? AND status = ? ORDER BY created_at, rowid LIMIT ?");
    s.bind(1, service::to_string(d)).bind(2, service::to_string(status)).bind(3, limit);
    return all_rows(s, read_message);
  });
}

Result<std::vector<StoredMessage>> SqliteMessages::awaiting_receipt_since(Instant cutoff) {
  return guarded([&]() -> Result<std::vector<StoredMessage>> {
    auto s = c_.prepare(std::string(kColumns) +
                        " WHERE direction = 'outgoing' AND status = 'sent' AND msg_type <> "
                        "'APPREC' AND gen_date <= ? ORDER BY gen_date, id");
    s.bind(1, seconds(cutoff));
    return all_rows(s, read_message);
  });
}

Result<std::vector<std::string>> SqliteMessages::episodes_to_watch(
    const std::string& organisation_id) {
  return guarded([&]() -> Result<std::vector<std::string>> {
    // Two small index ranges, each driving the join (CROSS JOIN keeps the
    // order: from the episodes' side it would probe every episode of a
    // large municipality): the outgoing messages still waiting for or
    // refused by their AppRec (messages_by_status), and the discharge-ready
    // notices (messages_discharge_ready_sent).
    auto s = c_.prepare(
        "SELECT m.episode_id FROM messages m CROSS JOIN episodes e ON e.id = m.episode_id "
        "WHERE m.direction = 'outgoing' AND m.status IN ('queued', 'sent', 'no_receipt', "
        "'rejected') AND m.msg_type <> 'APPREC' AND e.status = 'active' "
        "AND (e.municipality_id = ?1 OR e.hospital_unit_id = ?1) "
        "UNION "
        "SELECT m.episode_id FROM messages m INDEXED BY messages_discharge_ready_sent "
        "CROSS JOIN episodes e ON e.id = m.episode_id "
        "WHERE m.msg_type = 'LOG_UTSKRIVNINGSKLAR' AND m.direction = 'outgoing' "
        "AND e.status = 'active' AND (e.municipality_id = ?1 OR e.hospital_unit_id = ?1)");
    s.bind(1, organisation_id);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
  });
}

Result<std::vector<StoredMessage>> SqliteMessages::of_episode(const std::string& episode_id) {
  return guarded([&]() -> Result<std::vector<StoredMessage>> {
    auto s = c_.prepare(std::string(kColumns) + " WHERE episode_id = ? ORDER BY created_at, rowid");
    s.bind(1, episode_id);
    return all_rows(s, read_message);
  });
}

Result<std::vector<StoredMessage>> SqliteMessages::in_conversations(
    const std::vector<std::string>& conversation_ids) {
  return guarded([&]() -> Result<std::vector<StoredMessage>> {
    auto s = c_.prepare(std::string(kColumns) +
                        " WHERE conversation_id IN (SELECT value FROM json_each(?)) ORDER BY "
                        "created_at, rowid");
    s.bind(1, json_array(conversation_ids));
    return all_rows(s, read_message);
  });
}

}  // namespace samflyt::store
