-- One audit row per request instead of one per patient touched, and a
-- per-patient index written in runs instead of row by row (ADR 0004).
--
-- A worklist page touches up to 100 patients. Writing a row and an index
-- entry for each, at random places in a (patient_id, seq) index, made the
-- log the bottleneck of every list. Now:
--
-- - audit_log has one row per request (and action and outcome): who, when,
--   what and the outcome once, and in `entries` one line per patient
--   touched: role, organisation, basis, patient, resource, emergency,
--   tab-separated, with '\' escaping '\', tab and newline, and "\=" for a
--   field equal to the line above's (store/sqlite_audit.cpp). The hash
--   chain is unchanged: a row's hash covers the previous hash and, for
--   each line, the canonical text an entry always had, so every row
--   written before this migration keeps its hash and still verifies.
-- - audit_postings is the index by patient, written in runs: when the
--   entries of the rows after the last run reach a set number, one run
--   lists for each patient in them the rows (seqs, space-separated) that
--   touched them (written a slice per commit). Its key starts with the run, so a run is appended at the
--   end of the index instead of scattered through it. A patient's log is
--   the rows after the last run (scanned) and one lookup per run.
ALTER TABLE audit_log RENAME TO audit_log_v1;

CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  user_id     TEXT NOT NULL,
  action      TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  request_id  TEXT NOT NULL,
  entries     TEXT NOT NULL,
  hash        TEXT NOT NULL
);

INSERT INTO audit_log (seq, at, user_id, action, outcome, request_id, entries, hash)
SELECT seq, at, user_id, action, outcome, request_id,
       replace(replace(replace(role, '\', '\\'), char(9), '\t'), char(10), '\n') || char(9) ||
       replace(replace(replace(organisation_id, '\', '\\'), char(9), '\t'), char(10), '\n') || char(9) ||
       replace(replace(replace(basis, '\', '\\'), char(9), '\t'), char(10), '\n') || char(9) ||
       replace(replace(replace(patient_id, '\', '\\'), char(9), '\t'), char(10), '\n') || char(9) ||
       replace(replace(replace(resource, '\', '\\'), char(9), '\t'), char(10), '\n') || char(9) ||
       emergency,
       hash
FROM audit_log_v1 ORDER BY seq;

-- A run covers the rows after the previous run's last_seq up to its own.
-- (The rows after the last run are counted in memory by the appending
-- process, which writes the next run when they are enough.)
CREATE TABLE audit_runs (
  run       INTEGER PRIMARY KEY,
  last_seq  INTEGER NOT NULL
);

-- A run's postings are written a slice per commit and the run is listed
-- in audit_runs when all are there; readers use only listed runs. (So no
-- foreign key: postings come before their run's row.)
CREATE TABLE audit_postings (
  run         INTEGER NOT NULL,
  patient_id  TEXT NOT NULL,
  seqs        TEXT NOT NULL,  -- ascending, space-separated
  PRIMARY KEY (run, patient_id)
) WITHOUT ROWID;

-- The rows written before this migration form the first run.
INSERT INTO audit_runs (run, last_seq) SELECT 1, max(seq) FROM audit_log_v1 HAVING count(*) > 0;
INSERT INTO audit_postings (run, patient_id, seqs)
SELECT 1, patient_id, group_concat(seq, ' ')
FROM (SELECT patient_id, seq FROM audit_log_v1 WHERE patient_id <> '' ORDER BY patient_id, seq)
GROUP BY patient_id;

DROP TABLE audit_log_v1;  -- its triggers and index go with it

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_postings_no_update BEFORE UPDATE ON audit_postings
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_postings_no_delete BEFORE DELETE ON audit_postings
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
