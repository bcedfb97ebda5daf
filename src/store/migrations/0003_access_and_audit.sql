-- Accounts, roles, sessions and tokens; the care team, self-authorisations,
-- blocks (sperring) and consents that access and sharing depend on; and the
-- hash-chained audit log. Secrets (session ids, tokens) are stored only as
-- BLAKE2b digests; passwords only as argon2id hashes.

CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name   TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('staff', 'family', 'system')),
  staff_id       TEXT UNIQUE REFERENCES staff (id),  -- a staff account's person
  hpr_number     TEXT NOT NULL DEFAULT '',           -- Helsepersonellregisteret
  password_hash  TEXT NOT NULL DEFAULT '',           -- argon2id; '' = no local password
  oidc_subject   TEXT UNIQUE,                        -- issuer + ' ' + sub for OpenID Connect
  language       TEXT NOT NULL DEFAULT 'nb' CHECK (language IN ('nb', 'en')),
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at     INTEGER NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE user_roles (
  user_id          TEXT NOT NULL REFERENCES users (id),
  role             TEXT NOT NULL,
  organisation_id  TEXT NOT NULL REFERENCES organisations (id),
  granted_at       INTEGER NOT NULL,
  PRIMARY KEY (user_id, role, organisation_id)
) WITHOUT ROWID;

-- Family members' accounts linked to a patient (foresatt, or the patient).
CREATE TABLE family_links (
  patient_id  TEXT NOT NULL REFERENCES patients (id),
  user_id     TEXT NOT NULL REFERENCES users (id),
  relation    TEXT NOT NULL CHECK (relation IN ('guardian', 'self')),
  PRIMARY KEY (patient_id, user_id)
) WITHOUT ROWID;
CREATE INDEX family_links_by_user ON family_links (user_id);

CREATE TABLE sessions (
  id_digest     TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users (id),
  csrf_token    TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL  -- the absolute timeout
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users (id),
  name          TEXT NOT NULL,
  digest        TEXT NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER,
  revoked_at    INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE login_attempts (
  username   TEXT NOT NULL COLLATE NOCASE,
  at         INTEGER NOT NULL,
  succeeded  INTEGER NOT NULL CHECK (succeeded IN (0, 1))
);
CREATE INDEX login_attempts_by_username ON login_attempts (username, at);
CREATE INDEX login_attempts_by_time ON login_attempts (at);

-- The care team (ansvarsgruppe, behandlingsteam, ressursteam) of an
-- episode. Members with an account (user_id) get the care-team basis;
-- others (e.g. an external GP) are listed with their contact details.
CREATE TABLE care_team_members (
  id               TEXT PRIMARY KEY,
  episode_id       TEXT NOT NULL REFERENCES episodes (id),
  user_id          TEXT REFERENCES users (id),
  name             TEXT NOT NULL,
  role             TEXT NOT NULL,
  organisation_id  TEXT REFERENCES organisations (id),
  phone            TEXT NOT NULL DEFAULT '',
  email            TEXT NOT NULL DEFAULT '',
  added_by         TEXT NOT NULL,
  added_at         INTEGER NOT NULL,
  UNIQUE (episode_id, user_id)
);
CREATE INDEX care_team_by_user ON care_team_members (user_id) WHERE user_id IS NOT NULL;

-- Akuttilgang: access a person gave themself, with a reason; reviewed by a
-- leader afterwards.
CREATE TABLE self_authorisations (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id),
  episode_id   TEXT NOT NULL REFERENCES episodes (id),
  reason       TEXT NOT NULL CHECK (reason <> ''),
  emergency    INTEGER NOT NULL CHECK (emergency IN (0, 1)),
  starts_at    INTEGER NOT NULL,
  ends_at      INTEGER NOT NULL,
  reviewed_by  TEXT REFERENCES users (id),
  reviewed_at  INTEGER,
  CHECK (ends_at > starts_at)
);
CREATE INDEX self_authorisations_by_episode ON self_authorisations (episode_id, user_id, ends_at);
CREATE INDEX self_authorisations_by_user ON self_authorisations (user_id, ends_at);
CREATE INDEX self_authorisations_pending ON self_authorisations (starts_at) WHERE reviewed_at IS NULL;

-- Sperring: a patient's block against a person or an organisation.
CREATE TABLE blocks (
  id               TEXT PRIMARY KEY,
  patient_id       TEXT NOT NULL REFERENCES patients (id),
  user_id          TEXT REFERENCES users (id),
  organisation_id  TEXT REFERENCES organisations (id),
  reason           TEXT NOT NULL DEFAULT '',
  created_by       TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  lifted_at        INTEGER,
  CHECK ((user_id IS NULL) <> (organisation_id IS NULL))
);
CREATE INDEX blocks_by_patient ON blocks (patient_id) WHERE lifted_at IS NULL;
CREATE INDEX blocks_by_user ON blocks (user_id) WHERE lifted_at IS NULL;
CREATE INDEX blocks_by_organisation ON blocks (organisation_id) WHERE lifted_at IS NULL;

CREATE TABLE consents (
  id             TEXT PRIMARY KEY,
  episode_id     TEXT NOT NULL REFERENCES episodes (id),
  given_by       TEXT NOT NULL CHECK (given_by IN ('patient', 'guardian')),
  given_by_name  TEXT NOT NULL,
  purpose        TEXT NOT NULL CHECK (purpose IN ('send_documentation', 'share_with_role')),
  targets        TEXT NOT NULL,  -- ids separated by line feeds
  valid_from     INTEGER NOT NULL,
  valid_to       INTEGER,
  withdrawn_at   INTEGER,
  recorded_by    TEXT NOT NULL,
  recorded_at    INTEGER NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX consents_by_episode ON consents (episode_id);

-- The audit log: one row per read or write of patient data, and per
-- security event. hash = BLAKE2b-256(previous row's hash || this row's
-- canonical text); see store/audit_chain.cpp. Rows are never updated.
CREATE TABLE audit_log (
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
CREATE INDEX audit_log_by_patient ON audit_log (patient_id, seq) WHERE patient_id <> '';
