-- The organisations (and those above them) the person worked in when they
-- authorised themselves, one id per line: the leaders of these review it,
-- also after the person's roles have changed or ended. NULL for those
-- recorded before; their reviewers follow the person's current roles.
ALTER TABLE self_authorisations ADD COLUMN organisation_ids TEXT;
