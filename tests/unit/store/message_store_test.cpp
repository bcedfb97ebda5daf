// Contract tests of the message store (MessageRepository, migration 0011):
// a MsgId once per direction, compare-and-set updates, the bytes and the
// AppRec errors kept exactly, and the lookups the inbox and the watchdog use.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "store/sqlite_store.hpp"
#include "store/system_env.hpp"
#include "store_test_support.hpp"

namespace samflyt::store {
namespace {

using service::MessageDirection;
using service::MessageStatus;
using service::StoredMessage;
using service::TxMode;
using testing::at;
using testing::must;

class MessageStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / ("samflyt-msgstore-" + ids_.new_id() + ".db"))
                .string();
    db_ = std::make_unique<SqliteDatabase>(path_);
  }
  void TearDown() override {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
    std::filesystem::remove(audit_path_for(path_));
  }

  StoredMessage message(MessageDirection d, std::string msg_id, std::string conversation = {}) {
    StoredMessage m;
    m.id = ids_.new_id();
    m.direction = d;
    m.msg_id = msg_id;
    m.msg_type = "LOG_UTSKRIVNINGSKLAR";
    m.standard = "PLO";
    m.standard_version = "1.6";
    m.shipment_status = "N";
    m.conversation_id = conversation.empty() ? msg_id : conversation;
    m.sender_her_id = 8100042;
    m.receiver_her_id = 8200017;
    m.gen_date = at("2026-03-27T09:15:00Z");
    m.xml = "<MsgHead/>";
    m.source_name = msg_id + ".xml";
    m.status = d == MessageDirection::outgoing ? MessageStatus::queued : MessageStatus::accepted;
    m.created_at = m.status_at = m.last_seen_at = at("2026-03-27T09:16:00Z");
    return m;
  }

  void insert(const StoredMessage& m) {
    auto tx = must(db_->begin(TxMode::write));
    must(tx->messages().insert(m));
    must(tx->commit());
  }

  RandomIds ids_;
  std::string path_;
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(MessageStoreTest, AMsgIdIsStoredOncePerDirection) {
  insert(message(MessageDirection::incoming, "m-1"));
  auto tx = must(db_->begin(TxMode::write));
  auto again = tx->messages().insert(message(MessageDirection::incoming, "m-1"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  // Our own copy of a message we sent may share the id with nothing else.
  EXPECT_TRUE(tx->messages().insert(message(MessageDirection::outgoing, "m-1")));
  // Unreadable messages have no MsgId: any number of them.
  EXPECT_TRUE(tx->messages().insert(message(MessageDirection::incoming, "")));
  EXPECT_TRUE(tx->messages().insert(message(MessageDirection::incoming, "")));
}

TEST_F(MessageStoreTest, BytesAndErrorsComeBackExactly) {
  auto m = message(MessageDirection::incoming, "m-1");
  static constexpr char kLatin1[] =
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>S\xf8rb\xf8</a>\0tail";
  m.xml = std::string(kLatin1, sizeof kLatin1 - 1);
  m.status = MessageStatus::rejected;
  m.errors = {{"E36", "Pasientopplysninger er utilstrekkelige", "fødselsnummer\tmangler"},
              {"T02", "Ikke validert mot schema", ""}};
  m.note = "why";
  insert(m);
  auto tx = must(db_->begin(TxMode::read));
  auto back = must(tx->messages().get(m.id));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->xml, m.xml);
  ASSERT_EQ(back->errors.size(), 2u);
  EXPECT_EQ(back->errors[0].code, "E36");
  EXPECT_EQ(back->errors[0].text, "Pasientopplysninger er utilstrekkelige");
  EXPECT_EQ(back->errors[0].detail, "fødselsnummer mangler");  // a tab carries no meaning
  EXPECT_EQ(back->errors[1].detail, "");
  EXPECT_EQ(back->status, MessageStatus::rejected);
  EXPECT_EQ(back->sender_her_id.value_or(0), 8100042);
  EXPECT_TRUE(back->gen_date == m.gen_date);
  EXPECT_FALSE(back->sent_at);
}

TEST_F(MessageStoreTest, UpdatesCompareAndSet) {
  auto m = message(MessageDirection::outgoing, "m-1");
  insert(m);
  auto tx = must(db_->begin(TxMode::write));
  auto sent = m;
  sent.status = MessageStatus::sent;
  sent.sent_at = at("2026-03-27T09:17:00Z");
  sent.version = 2;
  must(tx->messages().update(sent, 1));
  auto stale = m;
  stale.status = MessageStatus::apprec_ok;
  stale.version = 2;
  auto r = tx->messages().update(stale, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  auto back = must(tx->messages().find(MessageDirection::outgoing, "m-1"));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, MessageStatus::sent);
  EXPECT_EQ(back->version, 2);
  EXPECT_TRUE(back->sent_at == sent.sent_at);
}

TEST_F(MessageStoreTest, ChildrenStatusesAndConversations) {
  auto notice = message(MessageDirection::outgoing, "notice");
  auto answer = message(MessageDirection::incoming, "answer", "notice");
  answer.parent_msg_id = "notice";
  auto unrelated = message(MessageDirection::incoming, "other");
  insert(notice);
  insert(answer);
  insert(unrelated);
  auto tx = must(db_->begin(TxMode::read));
  auto children = must(tx->messages().children(MessageDirection::incoming, "notice"));
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(children[0].msg_id, "answer");
  EXPECT_TRUE(must(tx->messages().children(MessageDirection::outgoing, "notice")).empty());
  auto queued =
      must(tx->messages().with_status(MessageDirection::outgoing, MessageStatus::queued, 10));
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].msg_id, "notice");
  auto conversation = must(tx->messages().in_conversations({"notice"}));
  ASSERT_EQ(conversation.size(), 2u);
  EXPECT_TRUE(must(tx->messages().in_conversations({"nothing"})).empty());
}

TEST_F(MessageStoreTest, MessagesOfTheSameSecondComeInTheOrderTheyWereStored) {
  // The outbox is sent in this order, so that a receiver gets a varsel
  // before its update (times are whole seconds; the ids are random).
  std::vector<std::string> stored;
  for (int i = 0; i < 20; ++i) {
    auto m = message(MessageDirection::outgoing, "m" + std::to_string(i), "conversation");
    m.episode_id.clear();
    insert(m);
    stored.push_back(m.msg_id);
  }
  auto tx = must(db_->begin(TxMode::read));
  std::vector<std::string> queued, conversation;
  for (const auto& m :
       must(tx->messages().with_status(MessageDirection::outgoing, MessageStatus::queued, 100)))
    queued.push_back(m.msg_id);
  for (const auto& m : must(tx->messages().in_conversations({"conversation"})))
    conversation.push_back(m.msg_id);
  EXPECT_EQ(queued, stored);
  EXPECT_EQ(conversation, stored);
}

TEST_F(MessageStoreTest, MessagesAwaitingTheirReceiptPastACutOff) {
  auto old_sent = message(MessageDirection::outgoing, "old");
  old_sent.status = MessageStatus::sent;
  old_sent.gen_date = at("2026-03-20T09:00:00Z");
  auto new_sent = message(MessageDirection::outgoing, "new");
  new_sent.status = MessageStatus::sent;
  new_sent.gen_date = at("2026-03-27T09:00:00Z");
  auto old_apprec = old_sent;  // our own AppRecs get no receipt
  old_apprec.id = "apprec-row";
  old_apprec.msg_id = "apprec";
  old_apprec.msg_type = "APPREC";
  auto old_settled = old_sent;
  old_settled.id = "settled-row";
  old_settled.msg_id = "settled";
  old_settled.status = MessageStatus::apprec_ok;
  for (const auto& m : {old_sent, new_sent, old_apprec, old_settled}) insert(m);
  auto tx = must(db_->begin(TxMode::read));
  auto due = must(tx->messages().awaiting_receipt_since(at("2026-03-23T09:00:00Z")));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].msg_id, "old");
}

}  // namespace
}  // namespace samflyt::store
