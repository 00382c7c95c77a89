-- Electronic supervision (电子监察), ratings (好差评), rectifications (整改),
-- complaints and suggestions (投诉与建议), supervision notices (督办) and the
-- daily digests (issue 8, docs/service-rules.md "Ratings").
--
-- Dates are Shanghai business dates as day numbers since 1970-01-01
-- (core/workdays.h); instants are UTC milliseconds.  Cases are referenced by id
-- and their number is copied in, so these tables read on their own.

-- A window service (一次一评 on site): the clerk starts it at their window (or
-- township center / agent point), the evaluator kiosk at that window shows the
-- rating buttons while it is open, the applicant taps once.  A service may or
-- may not belong to a case (a consultation is a service too).
CREATE TABLE service_sessions (
    id INTEGER PRIMARY KEY,
    window_id INTEGER NOT NULL REFERENCES orgs(id),
    clerk_id INTEGER REFERENCES users(id),  -- NULL: history imported from the old evaluators
    clerk_name TEXT NOT NULL,
    case_id INTEGER,
    case_no TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '',          -- what was done: item name or 咨询
    state TEXT NOT NULL CHECK (state IN ('open', 'rated', 'ended')),
    started_at INTEGER NOT NULL,
    ended_at INTEGER
);
CREATE INDEX service_sessions_window ON service_sessions(window_id, state, started_at);

-- One rating per service (on site) or per case (online: 一事一评).
CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('portal', 'notice', 'kiosk')),
    case_id INTEGER,
    case_no TEXT NOT NULL DEFAULT '',
    service_id INTEGER UNIQUE REFERENCES service_sessions(id),
    topic TEXT NOT NULL DEFAULT '',          -- item name or what the service was
    org_id INTEGER REFERENCES orgs(id),      -- where the applicant was served (window, township, agent point)
    dept_id INTEGER NOT NULL REFERENCES orgs(id), -- responsible for a rectification
    staff_id INTEGER REFERENCES users(id),   -- the clerk who served (on site)
    user_id INTEGER REFERENCES users(id),    -- who rated, when signed in
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',         -- JSON array of chosen tags
    void INTEGER NOT NULL DEFAULT 0 CHECK (void IN (0, 1)), -- revoked on appeal (mistaken/malicious)
    created_at INTEGER NOT NULL,
    rated_date INTEGER NOT NULL,
    CHECK (case_id IS NOT NULL OR service_id IS NOT NULL)
);
-- 一事一评: one online rating per case (portal and notice link are the same "online").
CREATE UNIQUE INDEX ratings_case_online ON ratings(case_id) WHERE channel <> 'kiosk';
CREATE INDEX ratings_date ON ratings(rated_date, level);
CREATE INDEX ratings_dept ON ratings(dept_id, rated_date);
CREATE INDEX ratings_user ON ratings(user_id, id);

-- A bad rating's rectification (差评整改): return visit (回访), verification
-- outcome, closure.  States: open → visited → closed | ledger → closed |
-- appealed → closed (revoked) or back to visited (upheld).
CREATE TABLE rectifications (
    id INTEGER PRIMARY KEY,
    rating_id INTEGER NOT NULL UNIQUE REFERENCES ratings(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    state TEXT NOT NULL CHECK (state IN ('open', 'visited', 'ledger', 'appealed', 'closed')),
    opened_at INTEGER NOT NULL,
    opened_date INTEGER NOT NULL,
    due_date INTEGER NOT NULL,               -- working days from the calendar
    visit_at INTEGER,
    visit_by TEXT,
    visit_note TEXT,
    outcome TEXT CHECK (outcome IN ('fixed', 'ledger', 'explained', 'appeal')),
    outcome_note TEXT,
    ledger_due INTEGER,                      -- complex problems: the ledger's own deadline
    appeal_result TEXT CHECK (appeal_result IN ('upheld', 'revoked')),
    appeal_note TEXT,
    closed_at INTEGER,
    closed_late INTEGER NOT NULL DEFAULT 0 CHECK (closed_late IN (0, 1)),
    closing_note TEXT,
    published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    updated_at INTEGER NOT NULL
);
CREATE INDEX rectifications_org ON rectifications(org_id, state, due_date);
CREATE INDEX rectifications_state ON rectifications(state, due_date);

-- Complaints and suggestions.  The complainant's mobile number is personal data:
-- encrypted, blind-indexed, shown masked.  An anonymous complainant follows the
-- answer with the reference number and a query code (only its hash is stored).
CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    ref_no TEXT NOT NULL UNIQUE,             -- TS430903-20261124-0001
    kind TEXT NOT NULL CHECK (kind IN ('complaint', 'suggestion')),
    subject TEXT NOT NULL CHECK (subject IN ('case', 'window', 'department', 'general')),
    case_id INTEGER,
    case_no TEXT NOT NULL DEFAULT '',
    about_org_id INTEGER REFERENCES orgs(id),
    assigned_org_id INTEGER REFERENCES orgs(id),
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    user_id INTEGER REFERENCES users(id),
    contact_name TEXT NOT NULL DEFAULT '',
    mobile_enc TEXT,
    mobile_idx TEXT,
    mobile_masked TEXT NOT NULL DEFAULT '',
    query_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('submitted', 'assigned', 'answered', 'closed')),
    filed_at INTEGER NOT NULL,
    filed_date INTEGER NOT NULL,
    due_date INTEGER NOT NULL,
    escalation INTEGER NOT NULL DEFAULT 0,   -- times it went overdue and was raised
    escalated_at INTEGER,
    answer TEXT,
    answered_at INTEGER,
    answered_by TEXT,
    answered_date INTEGER,
    answered_late INTEGER NOT NULL DEFAULT 0 CHECK (answered_late IN (0, 1)),
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    feedback TEXT,
    updated_at INTEGER NOT NULL
);
CREATE INDEX complaints_assigned ON complaints(assigned_org_id, state, due_date);
CREATE INDEX complaints_state ON complaints(state, due_date);
CREATE INDEX complaints_user ON complaints(user_id, id);
CREATE INDEX complaints_filed ON complaints(filed_date);

CREATE TABLE complaint_events (
    complaint_id INTEGER NOT NULL REFERENCES complaints(id),
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (complaint_id, seq)
) WITHOUT ROWID;

-- Supervision notices (督办) on a case, with a reply deadline.
CREATE TABLE supervision_notices (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL,
    case_no TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),  -- the department that must reply
    content TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    reply_due INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'replied')),
    reply TEXT,
    replied_by TEXT,
    replied_at INTEGER,
    replied_late INTEGER NOT NULL DEFAULT 0 CHECK (replied_late IN (0, 1))
);
CREATE INDEX supervision_notices_org ON supervision_notices(org_id, state);
CREATE INDEX supervision_notices_case ON supervision_notices(case_id);

-- The daily digest for each department head: made once a day by the sweep.
CREATE TABLE supervision_digests (
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    day INTEGER NOT NULL,
    made_at INTEGER NOT NULL,
    body TEXT NOT NULL,                       -- JSON: counts and the cases that need attention
    PRIMARY KEY (org_id, day)
) WITHOUT ROWID;
