-- A counter that every change to roles or to the organisation tree bumps,
-- so that the store can keep each user's grants (with their organisation
-- paths, a recursive query) in memory and know when they are stale, also
-- when another process (the command line) made the change.
CREATE TABLE grant_changes (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  version  INTEGER NOT NULL
);
INSERT INTO grant_changes (id, version) VALUES (1, 0);

CREATE TRIGGER user_roles_inserted AFTER INSERT ON user_roles
  BEGIN UPDATE grant_changes SET version = version + 1; END;
CREATE TRIGGER user_roles_updated AFTER UPDATE ON user_roles
  BEGIN UPDATE grant_changes SET version = version + 1; END;
CREATE TRIGGER user_roles_deleted AFTER DELETE ON user_roles
  BEGIN UPDATE grant_changes SET version = version + 1; END;
CREATE TRIGGER organisations_inserted AFTER INSERT ON organisations
  BEGIN UPDATE grant_changes SET version = version + 1; END;
CREATE TRIGGER organisations_updated AFTER UPDATE ON organisations
  BEGIN UPDATE grant_changes SET version = version + 1; END;
CREATE TRIGGER organisations_deleted AFTER DELETE ON organisations
  BEGIN UPDATE grant_changes SET version = version + 1; END;
