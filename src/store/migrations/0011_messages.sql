-- The message store (docs/adr/0008-message-store-and-transport.md): every
-- message Samflyt sends or receives, with the AppRec bookkeeping of HIS
-- 80415 (README §4). One row per message and direction.
--
-- Outgoing: queued -> sent -> apprec_ok | rejected, or no_receipt when no
-- AppRec came within 96 hours of GenDate (a late AppRec still settles it);
-- apprec_ok and rejected are final. Our own AppRecs are outgoing rows of
-- type APPREC (queued -> sent) that point at the incoming row they answer.
-- Incoming: accepted, rejected (with the reasons), not_answered (not ours,
-- or no sender to answer), cancelled (a later or earlier cancellation C
-- refers to it); an incoming AppRec is receipt_applied when it settled the
-- outgoing message it answers, receipt_unmatched when it did not (unknown
-- or already receipted: AppRecs are final).
CREATE TABLE messages (
  id               TEXT PRIMARY KEY,
  direction        TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
  msg_id           TEXT NOT NULL,  -- MsgHead MsgId or AppRec Id; '' when unreadable
  msg_type         TEXT NOT NULL,  -- MsgInfo/Type (8279), APPREC; '' when unreadable
  standard         TEXT NOT NULL,  -- PLO, Dialogmelding, AppRec; '' when unreadable
  standard_version TEXT NOT NULL,
  shipment_status  TEXT NOT NULL,  -- Forsendelsesstatus (7309) N, M, C ...; '' when none
  topic            TEXT NOT NULL,  -- Dialogmelding TemaKodet as 'S:V' (e.g. '7322:7'); ''
  parent_msg_id    TEXT NOT NULL,  -- RefToParent; for an AppRec its OriginalMsgId
  conversation_id  TEXT NOT NULL,  -- RefToConversation, else the message's own MsgId
  sender_her_id    INTEGER,
  receiver_her_id  INTEGER,
  episode_id       TEXT REFERENCES episodes (id),
  answers_id       TEXT REFERENCES messages (id),  -- our AppRec: the incoming row it answers
  gen_date         INTEGER,
  xml              BLOB NOT NULL,  -- the bytes as sent or received
  source_name      TEXT NOT NULL,  -- the transport's name for it (file name)
  status           TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'apprec_ok', 'rejected',
                     'no_receipt', 'accepted', 'not_answered', 'cancelled', 'receipt_applied',
                     'receipt_unmatched')),
  errors           TEXT NOT NULL,  -- AppRec errors: lines of code TAB text TAB detail
  note             TEXT NOT NULL,  -- why, in English, when the status needs a reason
  created_at       INTEGER NOT NULL,
  status_at        INTEGER NOT NULL,
  sent_at          INTEGER,
  times_seen       INTEGER NOT NULL DEFAULT 1,  -- incoming: copies received with this MsgId
  last_seen_at     INTEGER NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1
);
-- A MsgId is imported once (README §4.3): later copies only count.
CREATE UNIQUE INDEX messages_once ON messages (direction, msg_id) WHERE msg_id <> '';
CREATE INDEX messages_by_episode ON messages (episode_id, created_at) WHERE episode_id IS NOT NULL;
CREATE INDEX messages_by_conversation ON messages (conversation_id);
CREATE INDEX messages_by_parent ON messages (parent_msg_id) WHERE parent_msg_id <> '';
CREATE INDEX messages_by_status ON messages (direction, status, created_at);
