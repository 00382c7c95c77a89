-- Cases on a million rows (issue 6 and 8 benchmarks): what a submit writes, what a
-- queue counts, how statistics find a period.

-- Every index on cases costs each submit a B-tree insert.  cases_submitted was read by
-- no query.  cases_item (item_id, submitted_at) served only the item name lookup of the
-- statistics, which wants the newest case of the item: the rowid that every index ends
-- with answers that directly, where submitted_at made SQLite walk the item's cases.
DROP INDEX cases_submitted;
DROP INDEX cases_item;
CREATE INDEX cases_item ON cases(item_id);

-- How many cases each department and each center or township has in each queue
-- (0009: intake, review, delivery, closed), for the unfiltered queue pages.  Counting
-- them from cases_dept read every case of the queue (the index is on the generated
-- queue column, which SQLite 3.40 cannot read from the index alone): thousands of row
-- reads per page view of a busy department, most of the review queue's time.  The
-- triggers keep the counts in the transaction that changes a case, so they cannot drift.
CREATE TABLE case_queue_counts (
    kind TEXT NOT NULL CHECK (kind IN ('dept', 'scope')), -- cases.dept_id or intake_scope_id
    org_id INTEGER NOT NULL,
    queue TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, org_id, queue)
) WITHOUT ROWID;

INSERT INTO case_queue_counts
SELECT 'dept', dept_id, queue, count(*) FROM cases GROUP BY dept_id, queue;
INSERT INTO case_queue_counts
SELECT 'scope', intake_scope_id, queue, count(*) FROM cases GROUP BY intake_scope_id, queue;

CREATE TRIGGER case_queue_counts_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_queue_counts VALUES ('dept', NEW.dept_id, NEW.queue, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO case_queue_counts VALUES ('scope', NEW.intake_scope_id, NEW.queue, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_queue_counts_update AFTER UPDATE OF state, dept_id, intake_scope_id ON cases
WHEN OLD.queue IS NOT NEW.queue OR OLD.dept_id IS NOT NEW.dept_id
     OR OLD.intake_scope_id IS NOT NEW.intake_scope_id
BEGIN
    UPDATE case_queue_counts SET n = n - 1
        WHERE kind = 'dept' AND org_id = OLD.dept_id AND queue = OLD.queue;
    UPDATE case_queue_counts SET n = n - 1
        WHERE kind = 'scope' AND org_id = OLD.intake_scope_id AND queue = OLD.queue;
    INSERT INTO case_queue_counts VALUES ('dept', NEW.dept_id, NEW.queue, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO case_queue_counts VALUES ('scope', NEW.intake_scope_id, NEW.queue, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER case_queue_counts_delete AFTER DELETE ON cases
BEGIN
    UPDATE case_queue_counts SET n = n - 1
        WHERE kind = 'dept' AND org_id = OLD.dept_id AND queue = OLD.queue;
    UPDATE case_queue_counts SET n = n - 1
        WHERE kind = 'scope' AND org_id = OLD.intake_scope_id AND queue = OLD.queue;
END;
