-- The unfinished tasks assigned to a role in an organisation, in deadline
-- order ("Mine oppgaver" on the start page asks for each of the user's
-- roles). Without it the worklist index gave every unfinished task of the
-- organisation to be checked: seconds for a large municipality.
CREATE INDEX tasks_by_assignee_role
  ON tasks (organisation_id, assignee_role, coalesce(due_at, 9223372036854775807), id)
  WHERE assignee_role IS NOT NULL AND state IN ('open', 'in_progress');
