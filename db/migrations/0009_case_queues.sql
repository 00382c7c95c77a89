-- Work queues straight from an index (issue 6 benchmark: a department's review queue
-- on a million cases).  `queue` names the queue a case sits in (its states), `due_sort`
-- puts unknown or paused deadlines last; (scope, queue, due_sort) hands out a page in
-- deadline order without sorting the thousands of open cases a busy office can have,
-- and counts them without reading a table row.
ALTER TABLE cases ADD COLUMN queue TEXT GENERATED ALWAYS AS (CASE
    WHEN state IN ('submitted', 'supplement') THEN 'intake'
    WHEN state IN ('review', 'suspended') THEN 'review'
    WHEN state = 'approved' THEN 'delivery'
    ELSE 'closed' END) VIRTUAL;
ALTER TABLE cases ADD COLUMN due_sort INTEGER GENERATED ALWAYS AS
    (coalesce(due_date, 2147483647)) VIRTUAL;
DROP INDEX cases_intake;
DROP INDEX cases_intake_org;
DROP INDEX cases_dept;
CREATE INDEX cases_intake ON cases(intake_scope_id, queue, due_sort);
CREATE INDEX cases_intake_org ON cases(intake_org_id, queue, due_sort);
CREATE INDEX cases_dept ON cases(dept_id, queue, due_sort);

-- Art. 42: the head of the agency may extend the statutory limit by 10 working days once;
-- the applicant is told why.
ALTER TABLE cases ADD COLUMN extended_days INTEGER NOT NULL DEFAULT 0;
