-- The day the hospital expects the patient to be discharge-ready (tentativ
-- ut-dato, YYYY-MM-DD): estimated by the doctor, sent to the municipality
-- in the PLO messages and kept up to date by the messages either side
-- receives.
ALTER TABLE episodes ADD COLUMN tentative_discharge_date TEXT;
