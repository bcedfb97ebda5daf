-- The worklist straight from the index in its display order (earliest
-- deadline first, tasks without a deadline last, then by id), so that a
-- page of 100 is read without sorting every unfinished task of a large
-- organisation. Queries must use exactly this expression.
DROP INDEX tasks_worklist;
CREATE INDEX tasks_worklist
  ON tasks (organisation_id, coalesce(due_at, 9223372036854775807), id)
  WHERE state IN ('open', 'in_progress');
