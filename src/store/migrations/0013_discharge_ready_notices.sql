-- The discharge-ready notices we sent (LOG_UTSKRIVNINGSKLAR), by episode:
-- the watchdog's start-page alerts look for the episodes that have one
-- (service::organisation_message_alerts) instead of reading every episode's
-- messages.
CREATE INDEX messages_discharge_ready_sent ON messages (episode_id)
  WHERE msg_type = 'LOG_UTSKRIVNINGSKLAR' AND direction = 'outgoing';
