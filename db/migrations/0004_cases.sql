-- Cases (办件) and the legal calendar's administrator edits (issue 6,
-- docs/architecture.md "Modules" and "The legal calendar", docs/service-rules.md).

-- Administrators' edits of the working-day calendar, replayed over the shipped
-- data/calendar/YYYY.csv files at start-up.  kind 'normal' records that an
-- override from a file was removed (the day is an ordinary weekday/weekend again).
CREATE TABLE calendar (
    date TEXT PRIMARY KEY CHECK (length(date) = 10),      -- YYYY-MM-DD
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday', 'normal')),
    name TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id)
) WITHOUT ROWID;

-- Daily sequence for readable case numbers 430903-YYYYMMDD-00017.
CREATE TABLE case_seq (
    day TEXT PRIMARY KEY,                                  -- YYYYMMDD, Shanghai date
    n INTEGER NOT NULL
) WITHOUT ROWID;

-- One application.  The item is referenced with the version of its guide the
-- application was made under (the guide may change later; the case keeps its rules).
-- Dates are Shanghai business dates as day numbers since 1970-01-01 (calendar.h);
-- instants are UTC milliseconds.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    case_no TEXT NOT NULL UNIQUE,
    item_id INTEGER NOT NULL,
    item_version INTEGER NOT NULL,
    item_code TEXT NOT NULL,
    item_name TEXT NOT NULL,
    item_type TEXT NOT NULL,
    dept_id INTEGER NOT NULL REFERENCES orgs(id),         -- deciding department (may be transferred)
    -- the applicant (一号申请): identified by resident ID number or USCC
    applicant_kind TEXT NOT NULL CHECK (applicant_kind IN ('person', 'enterprise')),
    applicant_idx TEXT NOT NULL,                           -- keyed blind index of the number
    applicant_user_id INTEGER REFERENCES users(id),        -- their account, when they have one
    applicant_name TEXT NOT NULL,
    id_number_enc TEXT NOT NULL,                           -- ID number or USCC, encrypted
    id_masked TEXT NOT NULL,                               -- 430903********123X (USCC shown whole)
    mobile_enc TEXT,
    mobile_masked TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    -- where and by whom it was filed
    channel TEXT NOT NULL CHECK (channel IN ('online', 'window', 'township', 'agent')),
    intake_org_id INTEGER NOT NULL REFERENCES orgs(id),    -- window, township center or agent point
    intake_scope_id INTEGER NOT NULL REFERENCES orgs(id),  -- the center or township that accepts it
    filed_by INTEGER REFERENCES users(id),
    idem_key TEXT,                                         -- Idempotency-Key of the submit
    title TEXT NOT NULL DEFAULT '',                        -- what is applied for, in the applicant's words
    materials TEXT NOT NULL DEFAULT '[]',                  -- [{name, provided}] as filed
    supplement_names TEXT,                                 -- materials named in the first 补正 notice (JSON array)
    -- workflow
    state TEXT NOT NULL CHECK (state IN ('submitted', 'supplement', 'review', 'suspended',
                                         'approved', 'denied', 'refused', 'concluded', 'withdrawn')),
    submitted_at INTEGER NOT NULL,
    received_date INTEGER NOT NULL,                        -- 收件日
    accepted_date INTEGER,                                 -- 受理日
    clock_start INTEGER,                                   -- the time limit runs from the day after
    deemed_accepted INTEGER NOT NULL DEFAULT 0 CHECK (deemed_accepted IN (0, 1)), -- Art. 32
    decided_date INTEGER,
    concluded_at INTEGER,
    -- time limits, working days, from the item version
    committed_days INTEGER NOT NULL,
    statutory_days INTEGER NOT NULL,
    -- due dates, recomputed on every transition and calendar change (NULL: not running or paused)
    due_committed INTEGER,
    due_statutory INTEGER,
    due_date INTEGER,                                      -- the current phase's deadline, for queues
    result TEXT NOT NULL DEFAULT '',                       -- approved / denied / refused / withdrawn
    delivery_method TEXT,                                  -- window, post, electronic
    tracking_no TEXT,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX cases_idem ON cases(filed_by, idem_key) WHERE idem_key IS NOT NULL;
CREATE INDEX cases_intake ON cases(intake_scope_id, state, due_date);
CREATE INDEX cases_intake_org ON cases(intake_org_id, state, due_date);
CREATE INDEX cases_dept ON cases(dept_id, state, due_date);
CREATE INDEX cases_state ON cases(state, due_date);
CREATE INDEX cases_applicant ON cases(applicant_user_id, id);
CREATE INDEX cases_applicant_idx ON cases(applicant_idx, id);
CREATE INDEX cases_item ON cases(item_id, submitted_at);
CREATE INDEX cases_submitted ON cases(submitted_at);

-- The timeline: one row per transition, never changed.
CREATE TABLE case_events (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_org TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;

-- Clock pauses (补正, and suspended procedures under Art. 45): both days included,
-- end NULL while still paused.
CREATE TABLE case_pauses (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('supplement', 'suspend')),
    start_date INTEGER NOT NULL,
    end_date INTEGER,
    PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
