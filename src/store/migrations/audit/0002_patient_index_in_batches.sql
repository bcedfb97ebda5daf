-- The per-patient index of the audit log is kept in sorted batches by the
-- audit writer after the rows are durable (AuditRepository::index_pending),
-- instead of one random insert per row inside the commit that requests
-- wait for. Rows after `indexed_through` are not in it yet; readers look
-- them up in audit_log directly (a short tail).
DROP INDEX IF EXISTS audit_log_by_patient;
CREATE TABLE audit_by_patient (
  patient_id  TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  PRIMARY KEY (patient_id, seq)
) WITHOUT ROWID;
CREATE TABLE audit_index_state (
  id                INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_through   INTEGER NOT NULL
);
INSERT INTO audit_by_patient SELECT patient_id, seq FROM audit_log WHERE patient_id <> '';
INSERT INTO audit_index_state VALUES (1, (SELECT coalesce(max(seq), 0) FROM audit_log));
