-- The store keeps users and their bearer tokens in memory too (next to
-- their grants, migration 0006): every change to them bumps the same
-- counter, so that a disabled user or a revoked token is never served
-- from memory, also when another process (the command line) changed it.
CREATE TRIGGER users_inserted AFTER INSERT ON users
  BEGIN UPDATE grant_changes SET version = version + 1; END;
CREATE TRIGGER users_updated AFTER UPDATE ON users
  BEGIN UPDATE grant_changes SET version = version + 1; END;
CREATE TRIGGER users_deleted AFTER DELETE ON users
  BEGIN UPDATE grant_changes SET version = version + 1; END;
CREATE TRIGGER api_tokens_inserted AFTER INSERT ON api_tokens
  BEGIN UPDATE grant_changes SET version = version + 1; END;
CREATE TRIGGER api_tokens_updated AFTER UPDATE ON api_tokens
  BEGIN UPDATE grant_changes SET version = version + 1; END;
CREATE TRIGGER api_tokens_deleted AFTER DELETE ON api_tokens
  BEGIN UPDATE grant_changes SET version = version + 1; END;
