-- The audit log moves to its own database file (migrations/audit/), so that
-- the many small commits of read audits never touch the main file: in WAL
-- mode every commit to a file makes every other connection drop its page
-- cache of that file. Rows written before are moved over; the migration
-- runs with the audit file attached as `audit`.
INSERT INTO audit.audit_log
  SELECT * FROM main.audit_log WHERE NOT EXISTS (SELECT 1 FROM audit.audit_log);
DROP TABLE main.audit_log;
