-- The events of an episode's hospital stays that the discharge-ready
-- ledger counts (core/discharge_ledger.hpp). Append-only: an event is
-- never changed, so the rows carry no version. A stay is numbered within
-- its episode; it begins with its 'admitted' event.
CREATE TABLE stay_events (
  id           TEXT PRIMARY KEY,
  episode_id   TEXT NOT NULL REFERENCES episodes (id),
  stay         INTEGER NOT NULL CHECK (stay >= 1),
  kind         TEXT NOT NULL CHECK (kind IN ('admitted', 'needs_identified', 'admission_notice',
                 'declared_ready', 'ready_notice', 'municipality_can_receive',
                 'municipality_cannot_receive', 'withdrawn', 'readmitted', 'discharged')),
  at           INTEGER NOT NULL,
  -- municipality_can_receive: the day it can receive (needed);
  -- declared_ready: the later day the patient is ready from (YYYY-MM-DD)
  day          TEXT,
  recorded_by  TEXT NOT NULL,
  recorded_at  INTEGER NOT NULL,
  CHECK (kind = 'declared_ready' OR (kind = 'municipality_can_receive') = (day IS NOT NULL))
);
CREATE INDEX stay_events_by_episode ON stay_events (episode_id, stay, at);
-- The stays the monthly totals look at: those with a declaration.
CREATE INDEX stay_events_declared ON stay_events (episode_id) WHERE kind = 'declared_ready';
