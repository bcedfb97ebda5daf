-- Ticked items of a step's checklists (e.g. the participants and topics of
-- a planning meeting), per task. A row is a ticked item; unticking deletes
-- it. Items are addressed by the checklist's id and the item's position in
-- the template version the episode follows (which never changes).
CREATE TABLE checklist_ticks (
  task_id       TEXT NOT NULL REFERENCES tasks (id),
  checklist_id  TEXT NOT NULL,
  item          INTEGER NOT NULL CHECK (item >= 0),
  ticked_by     TEXT NOT NULL,  -- user id
  ticked_at     INTEGER NOT NULL,
  PRIMARY KEY (task_id, checklist_id, item)
) WITHOUT ROWID;
