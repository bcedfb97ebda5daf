-- The audit log, in its own database file next to the main one (see
-- store/sqlite_store.hpp): one row per read or write of patient data, and
-- per security event. hash = BLAKE2b-256(previous row's hash || this row's
-- canonical text); see store/audit_chain.cpp. Rows are never updated or
-- deleted (the triggers refuse it; someone with the file can still drop
-- them, which `samflyt audit verify` then detects).
CREATE TABLE IF NOT EXISTS audit_log (
  seq              INTEGER PRIMARY KEY,
  at               INTEGER NOT NULL,
  user_id          TEXT NOT NULL,
  role             TEXT NOT NULL,
  organisation_id  TEXT NOT NULL,
  basis            TEXT NOT NULL,
  patient_id       TEXT NOT NULL,  -- '' for events about no patient
  resource         TEXT NOT NULL,
  action           TEXT NOT NULL,
  outcome          TEXT NOT NULL,
  emergency        INTEGER NOT NULL CHECK (emergency IN (0, 1)),
  request_id       TEXT NOT NULL,
  hash             TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_by_patient ON audit_log (patient_id, seq) WHERE patient_id <> '';
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
