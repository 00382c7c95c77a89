-- Statistics on a million cases (issue 8: a month under 200 ms p99, a year under 1 s).
--
-- Every statistics request used to scan all of case_facts (0007): ~150 ms of CPU for a
-- month and ~340 ms for a year, whatever the period, because a period's cases are those
-- received, accepted or ended in it and no single date index finds them (and date
-- indexes on case_facts read at random: seeded and transferred case ids are not in date
-- order).  Measured on the 1M-case bench database:
--   * one rollup row per (dept, item, window, township, channel, day) — 742 k rows for
--     a year, only 1.5 cases a row since 261 items × 234 windows spread every day thin —
--     still took 270 ms for a year by department;
--   * one row per (dimension, key, day) — what a district-wide table groups by — is a
--     contiguous range of days × keys: a year by department is 365 × 35 rows, by item
--     365 × 261, read in a few milliseconds.
--   * a table clustered by event date (WITHOUT ROWID, keyed by day and case) was not
--     built: a case sits under up to three days, so a month is still ~250 k rows and a
--     year three million — a scan by another name.
-- So the district-wide figures (the supervisors' pages, the dashboard, the workbench)
-- add up this table, the handling-time histogram case_rollup_days and, for the lights,
-- the widened cases_state index (all below); a department head's or a township's own
-- figures (scope ≠ 0) keep the case_facts scan, which filters a million rows for that
-- organisation (a rollup per organisation would cost every submit three more upserts
-- per dimension).
--
-- Cost on the writer, measured with 200 k inserts into case_facts: the five received
-- upserts add ~4.5 µs a submit; conclusions add five count and five histogram upserts.
-- An upgrade of the 1M database runs this file in ~35 s, and the first start computes
-- every concluded case's handling days (~10 s).
--
-- dim: 0 item_id, 1 dept_id, 2 intake_org_id (window), 3 intake_scope_id (township),
-- 4 channel (0 online, 1 window, 2 township, 3 agent).  Events, as report.c counts them:
-- received on received_date; accepted on accepted_date; on concluded_date a refused case
-- counts as refused, a concluded or denied one as concluded and either late (decided —
-- or, without a decision date, concluded — after due_committed) or on time; a withdrawn
-- case counts for nothing on that day.
--
-- The triggers on case_facts (which itself follows cases in the same transaction) take
-- OLD's contribution out and put NEW's in, one statement of five upserts per event that
-- changed, so the table can never lag and a submit costs five small upserts on pages
-- that stay in the cache (today's rows).  Rows that fall to zero are left in place:
-- readers skip keys whose counts are all zero.

-- Handling time (average and nearest-rank 90th percentile, in working days) is not
-- additive and depends on the calendar administrators edit.  Each concluded or denied
-- case stores it in case_facts.handling_days: the working days from the clock's start
-- (or acceptance) to the decision (or conclusion), by subtracting two rows of
-- workday_ord, where ord = the working days in (the table's first day, day].  The server
-- rewrites workday_ord from the loaded calendar at start-up and after every calendar
-- edit and, when a day's ordinal changed, recomputes handling_days of the cases whose
-- span it moved (ow_cases_sync_workdays), so the stored values always follow the
-- calendar.  A day outside the loaded years has no row: NULL, left out of the times.
CREATE TABLE workday_ord (
    day INTEGER PRIMARY KEY,
    ord INTEGER NOT NULL
);

ALTER TABLE case_facts ADD COLUMN handling_days INTEGER;

-- 0007 kept case_facts with INSERT OR REPLACE on every update of a case.  REPLACE
-- deletes the old row without firing delete triggers (recursive_triggers is off), so
-- the rollup triggers below would count an updated case twice: a plain UPDATE fires
-- them with OLD and NEW.
DROP TRIGGER case_facts_insert;
CREATE TRIGGER case_facts_insert AFTER INSERT ON cases
BEGIN
    INSERT OR REPLACE INTO case_facts VALUES (
        NEW.id, NEW.item_id, NEW.dept_id, NEW.intake_org_id, NEW.intake_scope_id,
        CASE NEW.channel WHEN 'online' THEN 0 WHEN 'window' THEN 1 WHEN 'township' THEN 2 ELSE 3 END,
        NEW.state, NEW.received_date, NEW.accepted_date, NEW.clock_start, NEW.decided_date,
        CASE WHEN NEW.concluded_at IS NULL THEN NULL ELSE (NEW.concluded_at / 1000 + 28800) / 86400 END,
        NEW.due_committed,
        CASE WHEN NEW.state IN ('concluded', 'denied') AND NEW.concluded_at IS NOT NULL
             AND coalesce(NEW.clock_start, NEW.accepted_date) IS NOT NULL
             AND coalesce(NEW.decided_date, (NEW.concluded_at / 1000 + 28800) / 86400)
                 >= coalesce(NEW.clock_start, NEW.accepted_date)
        THEN (SELECT ord FROM workday_ord
              WHERE day = coalesce(NEW.decided_date, (NEW.concluded_at / 1000 + 28800) / 86400))
             - (SELECT ord FROM workday_ord WHERE day = coalesce(NEW.clock_start, NEW.accepted_date))
        END);
END;

DROP TRIGGER case_facts_update;
CREATE TRIGGER case_facts_update AFTER UPDATE ON cases
BEGIN
    UPDATE case_facts SET item_id = NEW.item_id, dept_id = NEW.dept_id,
        intake_org_id = NEW.intake_org_id, intake_scope_id = NEW.intake_scope_id,
        channel = CASE NEW.channel WHEN 'online' THEN 0 WHEN 'window' THEN 1
                  WHEN 'township' THEN 2 ELSE 3 END,
        state = NEW.state, received_date = NEW.received_date,
        accepted_date = NEW.accepted_date, clock_start = NEW.clock_start,
        decided_date = NEW.decided_date,
        concluded_date = CASE WHEN NEW.concluded_at IS NULL THEN NULL
                         ELSE (NEW.concluded_at / 1000 + 28800) / 86400 END,
        due_committed = NEW.due_committed,
        handling_days = CASE WHEN NEW.state IN ('concluded', 'denied') AND NEW.concluded_at IS NOT NULL
             AND coalesce(NEW.clock_start, NEW.accepted_date) IS NOT NULL
             AND coalesce(NEW.decided_date, (NEW.concluded_at / 1000 + 28800) / 86400)
                 >= coalesce(NEW.clock_start, NEW.accepted_date)
        THEN (SELECT ord FROM workday_ord
              WHERE day = coalesce(NEW.decided_date, (NEW.concluded_at / 1000 + 28800) / 86400))
             - (SELECT ord FROM workday_ord WHERE day = coalesce(NEW.clock_start, NEW.accepted_date))
        END
    WHERE case_id = NEW.id;
END;

CREATE TABLE case_rollup (
    dim INTEGER NOT NULL,
    key INTEGER NOT NULL,
    day INTEGER NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    concluded INTEGER NOT NULL DEFAULT 0,
    on_time INTEGER NOT NULL DEFAULT 0,
    late INTEGER NOT NULL DEFAULT 0,
    refused INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, day, key)
) WITHOUT ROWID;

-- The five dimensions of a case, as a join: (VALUES …) d × the case row.
CREATE VIEW case_rollup_dims(dim) AS VALUES (0), (1), (2), (3), (4);

-- Backfill: an upgraded database already holds its cases.
INSERT INTO case_rollup (dim, key, day, received)
SELECT d.dim, CASE d.dim WHEN 0 THEN f.item_id WHEN 1 THEN f.dept_id WHEN 2 THEN f.intake_org_id
                         WHEN 3 THEN f.intake_scope_id ELSE f.channel END AS k,
       f.received_date, count(*)
FROM case_facts f, case_rollup_dims d GROUP BY d.dim, k, f.received_date;

INSERT INTO case_rollup (dim, key, day, accepted)
SELECT d.dim, CASE d.dim WHEN 0 THEN f.item_id WHEN 1 THEN f.dept_id WHEN 2 THEN f.intake_org_id
                         WHEN 3 THEN f.intake_scope_id ELSE f.channel END AS k,
       f.accepted_date, count(*)
FROM case_facts f, case_rollup_dims d WHERE f.accepted_date IS NOT NULL
GROUP BY d.dim, k, f.accepted_date
ON CONFLICT DO UPDATE SET accepted = accepted + excluded.accepted;

INSERT INTO case_rollup (dim, key, day, concluded, on_time, late, refused)
SELECT d.dim, CASE d.dim WHEN 0 THEN f.item_id WHEN 1 THEN f.dept_id WHEN 2 THEN f.intake_org_id
                         WHEN 3 THEN f.intake_scope_id ELSE f.channel END AS k,
       f.concluded_date,
       sum(f.state IN ('concluded', 'denied')),
       sum(f.state IN ('concluded', 'denied') AND NOT (f.due_committed IS NOT NULL
           AND coalesce(f.decided_date, f.concluded_date) > f.due_committed)),
       sum(f.state IN ('concluded', 'denied') AND f.due_committed IS NOT NULL
           AND coalesce(f.decided_date, f.concluded_date) > f.due_committed),
       sum(f.state = 'refused')
FROM case_facts f, case_rollup_dims d
WHERE f.concluded_date IS NOT NULL AND f.state IN ('concluded', 'denied', 'refused')
GROUP BY d.dim, k, f.concluded_date
ON CONFLICT DO UPDATE SET concluded = concluded + excluded.concluded,
    on_time = on_time + excluded.on_time, late = late + excluded.late,
    refused = refused + excluded.refused;

-- ---- received ----
CREATE TRIGGER case_rollup_received_insert AFTER INSERT ON case_facts
BEGIN
    INSERT INTO case_rollup (dim, key, day, received)
    SELECT dim, CASE dim WHEN 0 THEN NEW.item_id WHEN 1 THEN NEW.dept_id
                WHEN 2 THEN NEW.intake_org_id WHEN 3 THEN NEW.intake_scope_id
                ELSE NEW.channel END, NEW.received_date, 1
    FROM case_rollup_dims WHERE true
    ON CONFLICT DO UPDATE SET received = received + 1;
END;

CREATE TRIGGER case_rollup_received_delete AFTER DELETE ON case_facts
BEGIN
    UPDATE case_rollup SET received = received - 1
    WHERE day = OLD.received_date AND (dim, key) IN (VALUES (0, OLD.item_id), (1, OLD.dept_id),
          (2, OLD.intake_org_id), (3, OLD.intake_scope_id), (4, OLD.channel));
END;

CREATE TRIGGER case_rollup_received_update AFTER UPDATE ON case_facts
WHEN OLD.received_date IS NOT NEW.received_date OR OLD.item_id IS NOT NEW.item_id
     OR OLD.dept_id IS NOT NEW.dept_id OR OLD.intake_org_id IS NOT NEW.intake_org_id
     OR OLD.intake_scope_id IS NOT NEW.intake_scope_id OR OLD.channel IS NOT NEW.channel
BEGIN
    UPDATE case_rollup SET received = received - 1
    WHERE day = OLD.received_date AND (dim, key) IN (VALUES (0, OLD.item_id), (1, OLD.dept_id),
          (2, OLD.intake_org_id), (3, OLD.intake_scope_id), (4, OLD.channel));
    INSERT INTO case_rollup (dim, key, day, received)
    SELECT dim, CASE dim WHEN 0 THEN NEW.item_id WHEN 1 THEN NEW.dept_id
                WHEN 2 THEN NEW.intake_org_id WHEN 3 THEN NEW.intake_scope_id
                ELSE NEW.channel END, NEW.received_date, 1
    FROM case_rollup_dims WHERE true
    ON CONFLICT DO UPDATE SET received = received + 1;
END;

-- ---- accepted ----
CREATE TRIGGER case_rollup_accepted_insert AFTER INSERT ON case_facts
WHEN NEW.accepted_date IS NOT NULL
BEGIN
    INSERT INTO case_rollup (dim, key, day, accepted)
    SELECT dim, CASE dim WHEN 0 THEN NEW.item_id WHEN 1 THEN NEW.dept_id
                WHEN 2 THEN NEW.intake_org_id WHEN 3 THEN NEW.intake_scope_id
                ELSE NEW.channel END, NEW.accepted_date, 1
    FROM case_rollup_dims WHERE true
    ON CONFLICT DO UPDATE SET accepted = accepted + 1;
END;

CREATE TRIGGER case_rollup_accepted_delete AFTER DELETE ON case_facts
WHEN OLD.accepted_date IS NOT NULL
BEGIN
    UPDATE case_rollup SET accepted = accepted - 1
    WHERE day = OLD.accepted_date AND (dim, key) IN (VALUES (0, OLD.item_id), (1, OLD.dept_id),
          (2, OLD.intake_org_id), (3, OLD.intake_scope_id), (4, OLD.channel));
END;

CREATE TRIGGER case_rollup_accepted_update AFTER UPDATE ON case_facts
WHEN OLD.accepted_date IS NOT NEW.accepted_date OR ((OLD.accepted_date IS NOT NULL) AND (
     OLD.item_id IS NOT NEW.item_id OR OLD.dept_id IS NOT NEW.dept_id
     OR OLD.intake_org_id IS NOT NEW.intake_org_id
     OR OLD.intake_scope_id IS NOT NEW.intake_scope_id OR OLD.channel IS NOT NEW.channel))
BEGIN
    UPDATE case_rollup SET accepted = accepted - 1
    WHERE OLD.accepted_date IS NOT NULL AND day = OLD.accepted_date
      AND (dim, key) IN (VALUES (0, OLD.item_id), (1, OLD.dept_id),
          (2, OLD.intake_org_id), (3, OLD.intake_scope_id), (4, OLD.channel));
    INSERT INTO case_rollup (dim, key, day, accepted)
    SELECT dim, CASE dim WHEN 0 THEN NEW.item_id WHEN 1 THEN NEW.dept_id
                WHEN 2 THEN NEW.intake_org_id WHEN 3 THEN NEW.intake_scope_id
                ELSE NEW.channel END, NEW.accepted_date, 1
    FROM case_rollup_dims WHERE NEW.accepted_date IS NOT NULL
    ON CONFLICT DO UPDATE SET accepted = accepted + 1;
END;

-- ---- ended: concluded (on time or late) or refused ----
-- A case contributes on its concluded_date only in the states concluded, denied and
-- refused; the late test is report.c's: decided (or concluded) after due_committed.
CREATE TRIGGER case_rollup_ended_insert AFTER INSERT ON case_facts
WHEN NEW.concluded_date IS NOT NULL AND NEW.state IN ('concluded', 'denied', 'refused')
BEGIN
    INSERT INTO case_rollup (dim, key, day, concluded, on_time, late, refused)
    SELECT dim, CASE dim WHEN 0 THEN NEW.item_id WHEN 1 THEN NEW.dept_id
                WHEN 2 THEN NEW.intake_org_id WHEN 3 THEN NEW.intake_scope_id
                ELSE NEW.channel END, NEW.concluded_date,
           NEW.state != 'refused',
           NEW.state != 'refused' AND NOT (NEW.due_committed IS NOT NULL AND
               coalesce(NEW.decided_date, NEW.concluded_date) > NEW.due_committed),
           NEW.state != 'refused' AND NEW.due_committed IS NOT NULL AND
               coalesce(NEW.decided_date, NEW.concluded_date) > NEW.due_committed,
           NEW.state = 'refused'
    FROM case_rollup_dims WHERE true
    ON CONFLICT DO UPDATE SET concluded = concluded + excluded.concluded,
        on_time = on_time + excluded.on_time, late = late + excluded.late,
        refused = refused + excluded.refused;
END;

CREATE TRIGGER case_rollup_ended_delete AFTER DELETE ON case_facts
WHEN OLD.concluded_date IS NOT NULL AND OLD.state IN ('concluded', 'denied', 'refused')
BEGIN
    UPDATE case_rollup SET
        concluded = concluded - (OLD.state != 'refused'),
        on_time = on_time - (OLD.state != 'refused' AND NOT (OLD.due_committed IS NOT NULL AND
            coalesce(OLD.decided_date, OLD.concluded_date) > OLD.due_committed)),
        late = late - (OLD.state != 'refused' AND OLD.due_committed IS NOT NULL AND
            coalesce(OLD.decided_date, OLD.concluded_date) > OLD.due_committed),
        refused = refused - (OLD.state = 'refused')
    WHERE day = OLD.concluded_date AND (dim, key) IN (VALUES (0, OLD.item_id), (1, OLD.dept_id),
          (2, OLD.intake_org_id), (3, OLD.intake_scope_id), (4, OLD.channel));
END;

-- Fires on a conclusion, a refusal, a decision or due date changed after the end, a
-- reopened case, a transfer of an ended case; not on the transitions of open cases.
CREATE TRIGGER case_rollup_ended_update AFTER UPDATE ON case_facts
WHEN (OLD.concluded_date IS NOT NULL OR NEW.concluded_date IS NOT NULL) AND (
     OLD.concluded_date IS NOT NEW.concluded_date OR OLD.state IS NOT NEW.state
     OR OLD.decided_date IS NOT NEW.decided_date OR OLD.due_committed IS NOT NEW.due_committed
     OR OLD.item_id IS NOT NEW.item_id OR OLD.dept_id IS NOT NEW.dept_id
     OR OLD.intake_org_id IS NOT NEW.intake_org_id
     OR OLD.intake_scope_id IS NOT NEW.intake_scope_id OR OLD.channel IS NOT NEW.channel)
BEGIN
    UPDATE case_rollup SET
        concluded = concluded - (OLD.state != 'refused'),
        on_time = on_time - (OLD.state != 'refused' AND NOT (OLD.due_committed IS NOT NULL AND
            coalesce(OLD.decided_date, OLD.concluded_date) > OLD.due_committed)),
        late = late - (OLD.state != 'refused' AND OLD.due_committed IS NOT NULL AND
            coalesce(OLD.decided_date, OLD.concluded_date) > OLD.due_committed),
        refused = refused - (OLD.state = 'refused')
    WHERE OLD.concluded_date IS NOT NULL AND OLD.state IN ('concluded', 'denied', 'refused')
      AND day = OLD.concluded_date AND (dim, key) IN (VALUES (0, OLD.item_id), (1, OLD.dept_id),
          (2, OLD.intake_org_id), (3, OLD.intake_scope_id), (4, OLD.channel));
    INSERT INTO case_rollup (dim, key, day, concluded, on_time, late, refused)
    SELECT dim, CASE dim WHEN 0 THEN NEW.item_id WHEN 1 THEN NEW.dept_id
                WHEN 2 THEN NEW.intake_org_id WHEN 3 THEN NEW.intake_scope_id
                ELSE NEW.channel END, NEW.concluded_date,
           NEW.state != 'refused',
           NEW.state != 'refused' AND NOT (NEW.due_committed IS NOT NULL AND
               coalesce(NEW.decided_date, NEW.concluded_date) > NEW.due_committed),
           NEW.state != 'refused' AND NEW.due_committed IS NOT NULL AND
               coalesce(NEW.decided_date, NEW.concluded_date) > NEW.due_committed,
           NEW.state = 'refused'
    FROM case_rollup_dims
    WHERE NEW.concluded_date IS NOT NULL AND NEW.state IN ('concluded', 'denied', 'refused')
    ON CONFLICT DO UPDATE SET concluded = concluded + excluded.concluded,
        on_time = on_time + excluded.on_time, late = late + excluded.late,
        refused = refused + excluded.refused;
END;

-- ---- handling times: a histogram per dimension, key, conclusion day and working days ----
-- Durations are small integers, so a (dim, day, key, days) → n row keeps the exact
-- distribution: the mean and the nearest-rank 90th percentile come out exactly as from
-- the cases themselves.  A year by department is ~100 k rows.
CREATE TABLE case_rollup_days (
    dim INTEGER NOT NULL,
    day INTEGER NOT NULL,
    key INTEGER NOT NULL,
    days INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (dim, day, key, days)
) WITHOUT ROWID;

CREATE TRIGGER case_rollup_days_insert AFTER INSERT ON case_facts
WHEN NEW.handling_days IS NOT NULL
BEGIN
    INSERT INTO case_rollup_days (dim, day, key, days, n)
    SELECT dim, NEW.concluded_date, CASE dim WHEN 0 THEN NEW.item_id WHEN 1 THEN NEW.dept_id
                WHEN 2 THEN NEW.intake_org_id WHEN 3 THEN NEW.intake_scope_id
                ELSE NEW.channel END, NEW.handling_days, 1
    FROM case_rollup_dims WHERE true
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_rollup_days_delete AFTER DELETE ON case_facts
WHEN OLD.handling_days IS NOT NULL
BEGIN
    UPDATE case_rollup_days SET n = n - 1
    WHERE day = OLD.concluded_date AND days = OLD.handling_days
      AND (dim, key) IN (VALUES (0, OLD.item_id), (1, OLD.dept_id),
          (2, OLD.intake_org_id), (3, OLD.intake_scope_id), (4, OLD.channel));
END;

CREATE TRIGGER case_rollup_days_update AFTER UPDATE ON case_facts
WHEN (OLD.handling_days IS NOT NULL OR NEW.handling_days IS NOT NULL) AND (
     OLD.handling_days IS NOT NEW.handling_days OR OLD.concluded_date IS NOT NEW.concluded_date
     OR OLD.item_id IS NOT NEW.item_id OR OLD.dept_id IS NOT NEW.dept_id
     OR OLD.intake_org_id IS NOT NEW.intake_org_id
     OR OLD.intake_scope_id IS NOT NEW.intake_scope_id OR OLD.channel IS NOT NEW.channel)
BEGIN
    UPDATE case_rollup_days SET n = n - 1
    WHERE OLD.handling_days IS NOT NULL AND day = OLD.concluded_date
      AND days = OLD.handling_days
      AND (dim, key) IN (VALUES (0, OLD.item_id), (1, OLD.dept_id),
          (2, OLD.intake_org_id), (3, OLD.intake_scope_id), (4, OLD.channel));
    INSERT INTO case_rollup_days (dim, day, key, days, n)
    SELECT dim, NEW.concluded_date, CASE dim WHEN 0 THEN NEW.item_id WHEN 1 THEN NEW.dept_id
                WHEN 2 THEN NEW.intake_org_id WHEN 3 THEN NEW.intake_scope_id
                ELSE NEW.channel END, NEW.handling_days, 1
    FROM case_rollup_dims WHERE NEW.handling_days IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- No backfill here: workday_ord is empty until the server has loaded the calendar; its
-- first ow_cases_sync_workdays computes handling_days for every concluded case, and
-- these triggers fill the histogram.

-- ---- the lights: every open case's phase deadline from the index alone ----
-- The dashboard's and the workbench's green / yellow / red counts need, per open case,
-- only its state (paused or not), phase due date and clock start; reading them from the
-- cases rows (≈170 k open cases of 1.5 KB, in random order) was a quarter of the
-- dashboard's time.  The same index with the two dates appended answers it alone; a
-- submit still writes one entry to it.
DROP INDEX cases_state;
CREATE INDEX cases_state ON cases(state, due_date, clock_start, received_date);
