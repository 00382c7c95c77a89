-- An office's own figures on a million cases: a department head's, a window's, a
-- township's statistics, dashboard and workbench home (issue 8: a month under 200 ms
-- p99, a year under 1 s).
--
-- 0015 left them on a walk of case_facts filtered by the office: ~100 ms of CPU for any
-- period plus the callbacks, so on the 1M bench database a department's month took
-- 150-270 ms alone, a year 330-540 ms, its dashboard 1.4 s and every clerk's workbench
-- home (a fortnight's trend) about a second.  0015's per-dimension rollup cannot be
-- filtered by office: a department's cases by window is a (department, window) pair it
-- does not keep.
--
-- So one more rollup, per office: a case counts under each distinct office it belongs
-- to — its department, the window (or township centre, or agent point) that took it in
-- and the centre or township above that — exactly the offices the scoped walk matched
-- (dept_id, intake_org_id or intake_scope_id equal to the viewer's organisation).  Each
-- row keeps the case's whole key (item, department, window, township, channel), so any
-- of the statistics' dimensions is a GROUP BY over one office's contiguous range of days,
-- and the handling days of concluded cases (-1 for every other event), so the row is
-- also the office's histogram for the mean and the 90th percentile.
--
-- Cost: at most three upserts per event (0015 writes five per event plus the histogram),
-- on today's pages; rows are about 1.5 cases each, as 0015 measured for this shape, which
-- is why it is kept per office only: a department reads its own rows, never the
-- district's.  The backfill below reads case_facts three times (about a minute on the
-- 1M bench database).
CREATE TABLE case_rollup_org (
    org INTEGER NOT NULL,
    day INTEGER NOT NULL,
    item INTEGER NOT NULL,
    dept INTEGER NOT NULL,
    win INTEGER NOT NULL,
    town INTEGER NOT NULL,
    channel INTEGER NOT NULL,
    days INTEGER NOT NULL, -- handling working days of the concluded cases counted here; -1 none
    received INTEGER NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    concluded INTEGER NOT NULL DEFAULT 0,
    on_time INTEGER NOT NULL DEFAULT 0,
    late INTEGER NOT NULL DEFAULT 0,
    refused INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org, day, item, dept, win, town, channel, days)
) WITHOUT ROWID;

-- Backfill: one statement per event kind and office role; UNION in the orgs of a case
-- (below) keeps an office that is two of them (a township centre that is its own
-- township) from counting a case twice, as the walk's OR did.
CREATE TEMP VIEW case_rollup_org_of(case_id, org) AS
    SELECT case_id, dept_id FROM case_facts
    UNION SELECT case_id, intake_org_id FROM case_facts
    UNION SELECT case_id, intake_scope_id FROM case_facts;

INSERT INTO case_rollup_org (org, day, item, dept, win, town, channel, days, received)
SELECT o.org, f.received_date, f.item_id, f.dept_id, f.intake_org_id, f.intake_scope_id,
       f.channel, -1, count(*)
FROM case_rollup_org_of o JOIN case_facts f USING (case_id)
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO case_rollup_org (org, day, item, dept, win, town, channel, days, accepted)
SELECT o.org, f.accepted_date, f.item_id, f.dept_id, f.intake_org_id, f.intake_scope_id,
       f.channel, -1, count(*)
FROM case_rollup_org_of o JOIN case_facts f USING (case_id)
WHERE f.accepted_date IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT DO UPDATE SET accepted = accepted + excluded.accepted;

INSERT INTO case_rollup_org (org, day, item, dept, win, town, channel, days,
                             concluded, on_time, late, refused)
SELECT o.org, f.concluded_date, f.item_id, f.dept_id, f.intake_org_id, f.intake_scope_id,
       f.channel, coalesce(f.handling_days, -1),
       sum(f.state != 'refused'),
       sum(f.state != 'refused' AND NOT (f.due_committed IS NOT NULL AND
           coalesce(f.decided_date, f.concluded_date) > f.due_committed)),
       sum(f.state != 'refused' AND f.due_committed IS NOT NULL AND
           coalesce(f.decided_date, f.concluded_date) > f.due_committed),
       sum(f.state = 'refused')
FROM case_rollup_org_of o JOIN case_facts f USING (case_id)
WHERE f.concluded_date IS NOT NULL AND f.state IN ('concluded', 'denied', 'refused')
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT DO UPDATE SET concluded = concluded + excluded.concluded,
    on_time = on_time + excluded.on_time, late = late + excluded.late,
    refused = refused + excluded.refused;

DROP VIEW case_rollup_org_of;

-- The triggers follow 0015's: OLD's contribution out, NEW's in, per event that changed.
-- A case's offices, each once: UNION ALL with the repeats left out rather than UNION,
-- whose de-duplication builds a temporary index on every submit.

-- ---- received ----
CREATE TRIGGER case_rollup_org_received_insert AFTER INSERT ON case_facts
BEGIN
    INSERT INTO case_rollup_org (org, day, item, dept, win, town, channel, days, received)
    SELECT o.org, NEW.received_date, NEW.item_id, NEW.dept_id, NEW.intake_org_id,
           NEW.intake_scope_id, NEW.channel, -1, 1
    FROM (SELECT NEW.dept_id AS org
          UNION ALL SELECT NEW.intake_org_id WHERE NEW.intake_org_id <> NEW.dept_id
          UNION ALL SELECT NEW.intake_scope_id
                    WHERE NEW.intake_scope_id NOT IN (NEW.dept_id, NEW.intake_org_id)) o WHERE true
    ON CONFLICT DO UPDATE SET received = received + 1;
END;

CREATE TRIGGER case_rollup_org_received_delete AFTER DELETE ON case_facts
BEGIN
    UPDATE case_rollup_org SET received = received - 1
    WHERE org IN (OLD.dept_id, OLD.intake_org_id, OLD.intake_scope_id)
      AND day = OLD.received_date AND item = OLD.item_id AND dept = OLD.dept_id
      AND win = OLD.intake_org_id AND town = OLD.intake_scope_id AND channel = OLD.channel
      AND days = -1;
END;

CREATE TRIGGER case_rollup_org_received_update AFTER UPDATE ON case_facts
WHEN OLD.received_date IS NOT NEW.received_date OR OLD.item_id IS NOT NEW.item_id
     OR OLD.dept_id IS NOT NEW.dept_id OR OLD.intake_org_id IS NOT NEW.intake_org_id
     OR OLD.intake_scope_id IS NOT NEW.intake_scope_id OR OLD.channel IS NOT NEW.channel
BEGIN
    UPDATE case_rollup_org SET received = received - 1
    WHERE org IN (OLD.dept_id, OLD.intake_org_id, OLD.intake_scope_id)
      AND day = OLD.received_date AND item = OLD.item_id AND dept = OLD.dept_id
      AND win = OLD.intake_org_id AND town = OLD.intake_scope_id AND channel = OLD.channel
      AND days = -1;
    INSERT INTO case_rollup_org (org, day, item, dept, win, town, channel, days, received)
    SELECT o.org, NEW.received_date, NEW.item_id, NEW.dept_id, NEW.intake_org_id,
           NEW.intake_scope_id, NEW.channel, -1, 1
    FROM (SELECT NEW.dept_id AS org
          UNION ALL SELECT NEW.intake_org_id WHERE NEW.intake_org_id <> NEW.dept_id
          UNION ALL SELECT NEW.intake_scope_id
                    WHERE NEW.intake_scope_id NOT IN (NEW.dept_id, NEW.intake_org_id)) o WHERE true
    ON CONFLICT DO UPDATE SET received = received + 1;
END;

-- ---- accepted ----
CREATE TRIGGER case_rollup_org_accepted_insert AFTER INSERT ON case_facts
WHEN NEW.accepted_date IS NOT NULL
BEGIN
    INSERT INTO case_rollup_org (org, day, item, dept, win, town, channel, days, accepted)
    SELECT o.org, NEW.accepted_date, NEW.item_id, NEW.dept_id, NEW.intake_org_id,
           NEW.intake_scope_id, NEW.channel, -1, 1
    FROM (SELECT NEW.dept_id AS org
          UNION ALL SELECT NEW.intake_org_id WHERE NEW.intake_org_id <> NEW.dept_id
          UNION ALL SELECT NEW.intake_scope_id
                    WHERE NEW.intake_scope_id NOT IN (NEW.dept_id, NEW.intake_org_id)) o WHERE true
    ON CONFLICT DO UPDATE SET accepted = accepted + 1;
END;

CREATE TRIGGER case_rollup_org_accepted_delete AFTER DELETE ON case_facts
WHEN OLD.accepted_date IS NOT NULL
BEGIN
    UPDATE case_rollup_org SET accepted = accepted - 1
    WHERE org IN (OLD.dept_id, OLD.intake_org_id, OLD.intake_scope_id)
      AND day = OLD.accepted_date AND item = OLD.item_id AND dept = OLD.dept_id
      AND win = OLD.intake_org_id AND town = OLD.intake_scope_id AND channel = OLD.channel
      AND days = -1;
END;

CREATE TRIGGER case_rollup_org_accepted_update AFTER UPDATE ON case_facts
WHEN OLD.accepted_date IS NOT NEW.accepted_date OR ((OLD.accepted_date IS NOT NULL) AND (
     OLD.item_id IS NOT NEW.item_id OR OLD.dept_id IS NOT NEW.dept_id
     OR OLD.intake_org_id IS NOT NEW.intake_org_id
     OR OLD.intake_scope_id IS NOT NEW.intake_scope_id OR OLD.channel IS NOT NEW.channel))
BEGIN
    UPDATE case_rollup_org SET accepted = accepted - 1
    WHERE OLD.accepted_date IS NOT NULL
      AND org IN (OLD.dept_id, OLD.intake_org_id, OLD.intake_scope_id)
      AND day = OLD.accepted_date AND item = OLD.item_id AND dept = OLD.dept_id
      AND win = OLD.intake_org_id AND town = OLD.intake_scope_id AND channel = OLD.channel
      AND days = -1;
    INSERT INTO case_rollup_org (org, day, item, dept, win, town, channel, days, accepted)
    SELECT o.org, NEW.accepted_date, NEW.item_id, NEW.dept_id, NEW.intake_org_id,
           NEW.intake_scope_id, NEW.channel, -1, 1
    FROM (SELECT NEW.dept_id AS org
          UNION ALL SELECT NEW.intake_org_id WHERE NEW.intake_org_id <> NEW.dept_id
          UNION ALL SELECT NEW.intake_scope_id
                    WHERE NEW.intake_scope_id NOT IN (NEW.dept_id, NEW.intake_org_id)) o WHERE NEW.accepted_date IS NOT NULL
    ON CONFLICT DO UPDATE SET accepted = accepted + 1;
END;

-- ---- ended (concluded on time or late, denied, refused), with the handling days ----
CREATE TRIGGER case_rollup_org_ended_insert AFTER INSERT ON case_facts
WHEN NEW.concluded_date IS NOT NULL AND NEW.state IN ('concluded', 'denied', 'refused')
BEGIN
    INSERT INTO case_rollup_org (org, day, item, dept, win, town, channel, days,
                                 concluded, on_time, late, refused)
    SELECT o.org, NEW.concluded_date, NEW.item_id, NEW.dept_id, NEW.intake_org_id,
           NEW.intake_scope_id, NEW.channel, coalesce(NEW.handling_days, -1),
           NEW.state != 'refused',
           NEW.state != 'refused' AND NOT (NEW.due_committed IS NOT NULL AND
               coalesce(NEW.decided_date, NEW.concluded_date) > NEW.due_committed),
           NEW.state != 'refused' AND NEW.due_committed IS NOT NULL AND
               coalesce(NEW.decided_date, NEW.concluded_date) > NEW.due_committed,
           NEW.state = 'refused'
    FROM (SELECT NEW.dept_id AS org
          UNION ALL SELECT NEW.intake_org_id WHERE NEW.intake_org_id <> NEW.dept_id
          UNION ALL SELECT NEW.intake_scope_id
                    WHERE NEW.intake_scope_id NOT IN (NEW.dept_id, NEW.intake_org_id)) o WHERE true
    ON CONFLICT DO UPDATE SET concluded = concluded + excluded.concluded,
        on_time = on_time + excluded.on_time, late = late + excluded.late,
        refused = refused + excluded.refused;
END;

CREATE TRIGGER case_rollup_org_ended_delete AFTER DELETE ON case_facts
WHEN OLD.concluded_date IS NOT NULL AND OLD.state IN ('concluded', 'denied', 'refused')
BEGIN
    UPDATE case_rollup_org SET
        concluded = concluded - (OLD.state != 'refused'),
        on_time = on_time - (OLD.state != 'refused' AND NOT (OLD.due_committed IS NOT NULL AND
            coalesce(OLD.decided_date, OLD.concluded_date) > OLD.due_committed)),
        late = late - (OLD.state != 'refused' AND OLD.due_committed IS NOT NULL AND
            coalesce(OLD.decided_date, OLD.concluded_date) > OLD.due_committed),
        refused = refused - (OLD.state = 'refused')
    WHERE org IN (OLD.dept_id, OLD.intake_org_id, OLD.intake_scope_id)
      AND day = OLD.concluded_date AND item = OLD.item_id AND dept = OLD.dept_id
      AND win = OLD.intake_org_id AND town = OLD.intake_scope_id AND channel = OLD.channel
      AND days = coalesce(OLD.handling_days, -1);
END;

-- 0015's ended condition, and a changed handling time (a calendar edit re-counting it).
CREATE TRIGGER case_rollup_org_ended_update AFTER UPDATE ON case_facts
WHEN (OLD.concluded_date IS NOT NULL OR NEW.concluded_date IS NOT NULL) AND (
     OLD.concluded_date IS NOT NEW.concluded_date OR OLD.state IS NOT NEW.state
     OR OLD.decided_date IS NOT NEW.decided_date OR OLD.due_committed IS NOT NEW.due_committed
     OR OLD.handling_days IS NOT NEW.handling_days
     OR OLD.item_id IS NOT NEW.item_id OR OLD.dept_id IS NOT NEW.dept_id
     OR OLD.intake_org_id IS NOT NEW.intake_org_id
     OR OLD.intake_scope_id IS NOT NEW.intake_scope_id OR OLD.channel IS NOT NEW.channel)
BEGIN
    UPDATE case_rollup_org SET
        concluded = concluded - (OLD.state != 'refused'),
        on_time = on_time - (OLD.state != 'refused' AND NOT (OLD.due_committed IS NOT NULL AND
            coalesce(OLD.decided_date, OLD.concluded_date) > OLD.due_committed)),
        late = late - (OLD.state != 'refused' AND OLD.due_committed IS NOT NULL AND
            coalesce(OLD.decided_date, OLD.concluded_date) > OLD.due_committed),
        refused = refused - (OLD.state = 'refused')
    WHERE OLD.concluded_date IS NOT NULL AND OLD.state IN ('concluded', 'denied', 'refused')
      AND org IN (OLD.dept_id, OLD.intake_org_id, OLD.intake_scope_id)
      AND day = OLD.concluded_date AND item = OLD.item_id AND dept = OLD.dept_id
      AND win = OLD.intake_org_id AND town = OLD.intake_scope_id AND channel = OLD.channel
      AND days = coalesce(OLD.handling_days, -1);
    INSERT INTO case_rollup_org (org, day, item, dept, win, town, channel, days,
                                 concluded, on_time, late, refused)
    SELECT o.org, NEW.concluded_date, NEW.item_id, NEW.dept_id, NEW.intake_org_id,
           NEW.intake_scope_id, NEW.channel, coalesce(NEW.handling_days, -1),
           NEW.state != 'refused',
           NEW.state != 'refused' AND NOT (NEW.due_committed IS NOT NULL AND
               coalesce(NEW.decided_date, NEW.concluded_date) > NEW.due_committed),
           NEW.state != 'refused' AND NEW.due_committed IS NOT NULL AND
               coalesce(NEW.decided_date, NEW.concluded_date) > NEW.due_committed,
           NEW.state = 'refused'
    FROM (SELECT NEW.dept_id AS org
          UNION ALL SELECT NEW.intake_org_id WHERE NEW.intake_org_id <> NEW.dept_id
          UNION ALL SELECT NEW.intake_scope_id
                    WHERE NEW.intake_scope_id NOT IN (NEW.dept_id, NEW.intake_org_id)) o
    WHERE NEW.concluded_date IS NOT NULL AND NEW.state IN ('concluded', 'denied', 'refused')
    ON CONFLICT DO UPDATE SET concluded = concluded + excluded.concluded,
        on_time = on_time + excluded.on_time, late = late + excluded.late,
        refused = refused + excluded.refused;
END;
