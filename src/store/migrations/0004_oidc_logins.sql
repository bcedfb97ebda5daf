-- OpenID Connect logins started at the identity provider and not yet
-- finished (authorization code flow with PKCE). A row is taken (deleted)
-- by the callback, so each is used at most once, and rows older than ten
-- minutes are refused and purged. The state is stored only as its BLAKE2b
-- digest; the nonce and the PKCE verifier are sent to the provider anyway.
CREATE TABLE oidc_logins (
  state_digest   TEXT PRIMARY KEY,
  nonce          TEXT NOT NULL,
  code_verifier  TEXT NOT NULL,
  return_to      TEXT NOT NULL,
  created_at     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX oidc_logins_by_time ON oidc_logins (created_at);
