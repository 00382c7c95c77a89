-- case_facts: a narrow projection of the cases table for statistics and supervision
-- (issue 8).  The cases table carries materials, encrypted numbers and text (about
-- 1.5 KB a case), so reading a month of a million cases from it costs a second; this
-- table holds only the ids and dates the figures need (≈50 bytes a case) and answers
-- the same month in tens of milliseconds.
--
-- Triggers keep it equal to the cases table in the same transaction as every insert and
-- update there, so the cases module needs no code for it and it can never lag.  Channel
-- is coded 0 online, 1 window, 2 township, 3 agent; dates are day numbers, the end date
-- the Shanghai day of concluded_at.
CREATE TABLE case_facts (
    case_id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL,
    dept_id INTEGER NOT NULL,
    intake_org_id INTEGER NOT NULL,
    intake_scope_id INTEGER NOT NULL,
    channel INTEGER NOT NULL,
    state TEXT NOT NULL,
    received_date INTEGER NOT NULL,
    accepted_date INTEGER,
    clock_start INTEGER,
    decided_date INTEGER,
    concluded_date INTEGER,
    due_committed INTEGER
);
-- No date indexes: a period's cases are those received, accepted or ended in it, and a
-- scan of this narrow table (≈0.1 s for a million cases) beats a multi-index OR, whose
-- random reads cost seconds for a year.

INSERT INTO case_facts
SELECT id, item_id, dept_id, intake_org_id, intake_scope_id,
       CASE channel WHEN 'online' THEN 0 WHEN 'window' THEN 1 WHEN 'township' THEN 2 ELSE 3 END,
       state, received_date, accepted_date, clock_start, decided_date,
       CASE WHEN concluded_at IS NULL THEN NULL ELSE (concluded_at / 1000 + 28800) / 86400 END,
       due_committed
FROM cases;

CREATE TRIGGER case_facts_insert AFTER INSERT ON cases
BEGIN
    INSERT OR REPLACE INTO case_facts VALUES (
        NEW.id, NEW.item_id, NEW.dept_id, NEW.intake_org_id, NEW.intake_scope_id,
        CASE NEW.channel WHEN 'online' THEN 0 WHEN 'window' THEN 1 WHEN 'township' THEN 2 ELSE 3 END,
        NEW.state, NEW.received_date, NEW.accepted_date, NEW.clock_start, NEW.decided_date,
        CASE WHEN NEW.concluded_at IS NULL THEN NULL ELSE (NEW.concluded_at / 1000 + 28800) / 86400 END,
        NEW.due_committed);
END;

CREATE TRIGGER case_facts_update AFTER UPDATE ON cases
BEGIN
    INSERT OR REPLACE INTO case_facts VALUES (
        NEW.id, NEW.item_id, NEW.dept_id, NEW.intake_org_id, NEW.intake_scope_id,
        CASE NEW.channel WHEN 'online' THEN 0 WHEN 'window' THEN 1 WHEN 'township' THEN 2 ELSE 3 END,
        NEW.state, NEW.received_date, NEW.accepted_date, NEW.clock_start, NEW.decided_date,
        CASE WHEN NEW.concluded_at IS NULL THEN NULL ELSE (NEW.concluded_at / 1000 + 28800) / 86400 END,
        NEW.due_committed);
END;

CREATE TRIGGER case_facts_delete AFTER DELETE ON cases
BEGIN
    DELETE FROM case_facts WHERE case_id = OLD.id;
END;
