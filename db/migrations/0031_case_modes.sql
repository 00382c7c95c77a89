-- Case modes (issue 22 points 2–4): joint review (并联审批), approval on commitment
-- (告知承诺制) and acceptance with minor materials owed (容缺受理).  What an item allows is
-- part of its guide (items.case_modes, JSON; src/catalog/catalog_modes.c); what a case did
-- is in the tables below (statements in src/store/case_modes_store.c).  Dates are day
-- numbers (core/workdays.h), instants UTC milliseconds.

-- {"joint":[{"step":n,"org_ids":[…]}], "commitment":{"materials":[…],"check_days":n},
--  "tolerance":{"materials":[…],"decision_waits":bool}} or NULL: none of them.
ALTER TABLE items ADD COLUMN case_modes TEXT;

-- One department's review of a joint step (并联审批): open (decision NULL) while it has
-- not given its opinion; approved, denied, or closed (another department's denial decided
-- the case first, with the reason in opinion).
CREATE TABLE case_reviews (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    step_seq INTEGER NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    decision TEXT,
    opinion TEXT NOT NULL DEFAULT '',
    by_user INTEGER,
    by_name TEXT NOT NULL DEFAULT '',
    opened_at INTEGER NOT NULL,
    decided_at INTEGER,
    PRIMARY KEY (case_id, step_seq, org_id)
);
-- each department's queue of joint reviews still waiting for its opinion
CREATE INDEX case_reviews_open ON case_reviews(org_id, case_id) WHERE decision IS NULL;

-- The applicant's commitment (告知承诺书) in place of named materials, its confirmation,
-- the check (核查) due by check_due and its outcome; revoked_at once a false commitment
-- revoked the decision.
CREATE TABLE case_commitments (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    materials TEXT NOT NULL,
    check_days INTEGER NOT NULL,
    confirmed_at INTEGER,
    confirmed_by INTEGER,
    confirmed_name TEXT NOT NULL DEFAULT '',
    check_due INTEGER,
    checked_at INTEGER,
    check_result TEXT,
    check_notes TEXT NOT NULL DEFAULT '',
    checked_by INTEGER,
    checked_name TEXT NOT NULL DEFAULT '',
    revoked_at INTEGER
);
-- the checks still to record, by due date (supervision's overdue checks)
CREATE INDEX case_commitments_due ON case_commitments(check_due) WHERE checked_at IS NULL;

-- A minor material accepted as owed (容缺) with the working day it is due; received_at
-- once it was handed in, reminded_at the last reminder sent.
CREATE TABLE case_owed (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    material TEXT NOT NULL,
    due INTEGER NOT NULL,
    owed_at INTEGER NOT NULL,
    received_at INTEGER,
    reminded_at INTEGER,
    PRIMARY KEY (case_id, material)
);
CREATE INDEX case_owed_due ON case_owed(due) WHERE received_at IS NULL;

-- Credit records (信用记录) against an applicant, by the blind index of their ID number or
-- USCC (the number itself only masked): a false commitment, for now.
CREATE TABLE credit_records (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_idx TEXT NOT NULL,
    subject_masked TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    case_no TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    dept_id INTEGER REFERENCES orgs(id),
    created_by INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX credit_records_subject ON credit_records(subject_idx, id);
