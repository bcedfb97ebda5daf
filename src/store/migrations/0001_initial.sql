-- The first schema: the health community, patients, pathway templates,
-- episodes and their tasks. Times are UTC seconds since 1970 (INTEGER);
-- dates are 'YYYY-MM-DD' text. Every mutable row has a version that
-- updates compare and set.

CREATE TABLE organisations (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('hospital_trust', 'hospital_unit', 'municipality',
                                             'municipal_service', 'intermunicipal_team')),
  org_number  TEXT,
  her_id      INTEGER CHECK (her_id > 0),
  parent_id   TEXT REFERENCES organisations (id),
  version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX organisations_by_name ON organisations (name);

CREATE TABLE staff (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  organisation_id  TEXT NOT NULL REFERENCES organisations (id),
  role             TEXT NOT NULL,
  email            TEXT NOT NULL DEFAULT '',
  phone            TEXT NOT NULL DEFAULT '',
  version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX staff_by_organisation ON staff (organisation_id, name);

CREATE TABLE patients (
  id               TEXT PRIMARY KEY,
  national_id      TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  municipality_id  TEXT NOT NULL REFERENCES organisations (id),
  birth_date       TEXT,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL
);

-- Every version of every template ever loaded; one current per id.
CREATE TABLE pathway_templates (
  id          TEXT NOT NULL,
  version     TEXT NOT NULL,
  source      TEXT NOT NULL,
  file_name   TEXT NOT NULL,
  loaded_at   INTEGER NOT NULL,
  is_current  INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
  PRIMARY KEY (id, version)
);
CREATE UNIQUE INDEX pathway_templates_current ON pathway_templates (id) WHERE is_current = 1;

CREATE TABLE episodes (
  id                TEXT PRIMARY KEY,
  patient_id        TEXT NOT NULL REFERENCES patients (id),
  pathway_id        TEXT NOT NULL,
  pathway_version   TEXT NOT NULL,
  hospital_unit_id  TEXT NOT NULL REFERENCES organisations (id),
  municipality_id   TEXT NOT NULL REFERENCES organisations (id),
  started_at        INTEGER NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('active', 'completed')),
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  FOREIGN KEY (pathway_id, pathway_version) REFERENCES pathway_templates (id, version)
);
CREATE INDEX episodes_by_municipality ON episodes (municipality_id, started_at);
CREATE INDEX episodes_by_unit ON episodes (hospital_unit_id, started_at);
CREATE INDEX episodes_by_patient ON episodes (patient_id);
CREATE INDEX episodes_by_start ON episodes (started_at);

-- Things that happened in an episode that deadlines can count from.
CREATE TABLE episode_events (
  episode_id  TEXT NOT NULL REFERENCES episodes (id),
  seq         INTEGER NOT NULL,
  event_id    TEXT NOT NULL,
  at          INTEGER NOT NULL,
  PRIMARY KEY (episode_id, seq)
) WITHOUT ROWID;

CREATE TABLE tasks (
  id               TEXT PRIMARY KEY,
  episode_id       TEXT NOT NULL REFERENCES episodes (id),
  seq              INTEGER NOT NULL,      -- the step's position in the template
  step_id          TEXT NOT NULL,
  lane             TEXT NOT NULL,
  phase            TEXT NOT NULL,
  organisation_id  TEXT REFERENCES organisations (id),  -- NULL: the family's task
  state            TEXT NOT NULL CHECK (state IN ('open', 'in_progress', 'done', 'not_applicable')),
  ready            INTEGER NOT NULL CHECK (ready IN (0, 1)),
  due_at           INTEGER,
  finished_at      INTEGER,
  assignee_id      TEXT REFERENCES staff (id),
  reason           TEXT NOT NULL DEFAULT '',
  note             TEXT NOT NULL DEFAULT '',
  version          INTEGER NOT NULL DEFAULT 1,
  updated_at       INTEGER NOT NULL,
  UNIQUE (episode_id, seq),
  CHECK (state <> 'not_applicable' OR reason <> '')
);
-- The worklist: an organisation's unfinished tasks, earliest deadline first.
CREATE INDEX tasks_worklist ON tasks (organisation_id, due_at) WHERE state IN ('open', 'in_progress');
CREATE INDEX tasks_by_assignee ON tasks (assignee_id, due_at) WHERE assignee_id IS NOT NULL;
-- Episodes with an overdue task.
CREATE INDEX tasks_unfinished_due ON tasks (episode_id, due_at) WHERE state IN ('open', 'in_progress');
