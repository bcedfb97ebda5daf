-- A task can be assigned to a role (e.g. barnekoordinator) in the
-- organisation that owns it instead of to a person; NULL when it is not.
ALTER TABLE tasks ADD COLUMN assignee_role TEXT;
