-- Assessment (考核), work plans with their responsibility breakdown (责任分解), inspections
-- of every kind and the bulletins (issue 21; src/assessment/, docs/assessment.md).
--
-- Dates are YYYY-MM-DD text, instants UTC milliseconds, flags integer 0/1, as in the
-- disclosure tables.  No triggers: every rule is in C, so db/migrations-pg/0023 is the
-- same tables in PostgreSQL's dialect.

-- ---- assessment schemes: one per year and kind of unit, indicators with weights ----
CREATE TABLE assess_schemes (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    unit_kind TEXT NOT NULL CHECK (unit_kind IN ('department', 'township')),
    name TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('draft', 'issued')),  -- issued: indicators locked
    issued_at INTEGER,
    issued_by TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (year, unit_kind)
);

-- An indicator: a computed metric (on-time rate, overdue cases …) or 'manual' (points
-- entered by the supervisors), scored by a rule with its parameters (JSON, checked by
-- src/assessment/rules.c).  bonus: outside the 100 points (加分项).
CREATE TABLE assess_indicators (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES assess_schemes(id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    metric TEXT NOT NULL,
    rule TEXT NOT NULL CHECK (rule IN ('rate', 'tiers', 'deduct', 'target', 'manual')),
    weight REAL NOT NULL CHECK (weight > 0),
    bonus INTEGER NOT NULL DEFAULT 0 CHECK (bonus IN (0, 1)),
    params TEXT NOT NULL DEFAULT '{}',
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (scheme_id, seq)
);

-- ---- published score sheets: frozen, never changed (a correction is a new version) ----
CREATE TABLE assess_sheets (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES assess_schemes(id),
    period TEXT NOT NULL,                -- 2026, 2026-Q3 or 2026-10
    period_kind TEXT NOT NULL CHECK (period_kind IN ('year', 'quarter', 'month')),
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    cutoff TEXT NOT NULL,                -- the data as of the end of this day
    version INTEGER NOT NULL,
    is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),
    scheme TEXT NOT NULL,                -- the scheme and its indicators as scored (JSON)
    note TEXT NOT NULL DEFAULT '',       -- why a new version was published
    published_at INTEGER NOT NULL,
    published_by TEXT NOT NULL,
    UNIQUE (scheme_id, period, version)
);
CREATE INDEX assess_sheets_scheme ON assess_sheets(scheme_id, is_current, period);

-- One row per assessed unit of a sheet.
CREATE TABLE assess_scores (
    sheet_id INTEGER NOT NULL REFERENCES assess_sheets(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    org_name TEXT NOT NULL,
    base REAL NOT NULL,                  -- the indicators out of 100
    bonus REAL NOT NULL,                 -- bonus indicators
    total REAL NOT NULL,
    rank INTEGER NOT NULL,
    PRIMARY KEY (sheet_id, org_id)
);
CREATE INDEX assess_scores_org ON assess_scores(org_id, sheet_id);

-- The figures behind each score: the value, its numerator and denominator.
CREATE TABLE assess_score_items (
    sheet_id INTEGER NOT NULL REFERENCES assess_sheets(id),
    org_id INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL,
    has_data INTEGER NOT NULL CHECK (has_data IN (0, 1)),
    value REAL NOT NULL,                 -- a rate (0–1), a count, or the manual points
    num INTEGER NOT NULL,
    den INTEGER NOT NULL,
    score REAL NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sheet_id, org_id, indicator_id)
);

-- The records behind the figures as they stood when published (the drill-down): the late
-- cases, the bad ratings, the requests answered late …
CREATE TABLE assess_records (
    sheet_id INTEGER NOT NULL REFERENCES assess_sheets(id),
    org_id INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    ref_type TEXT NOT NULL,              -- case, rating, rectification, complaint, …
    ref_id INTEGER,
    ref_no TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    event_date TEXT NOT NULL DEFAULT '',
    due_date TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sheet_id, org_id, indicator_id, seq)
);

-- ---- manual points: added or deducted with reason and evidence, audited ----
CREATE TABLE assess_adjustments (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES assess_schemes(id),
    indicator_id INTEGER NOT NULL REFERENCES assess_indicators(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    fact_date TEXT NOT NULL,             -- counts in every period holding this day
    points REAL NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'void')),
    void_reason TEXT,
    entered_by TEXT NOT NULL,
    entered_by_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX assess_adjustments_scheme ON assess_adjustments(scheme_id, fact_date);
CREATE INDEX assess_adjustments_org ON assess_adjustments(org_id, scheme_id);

-- Evidence files of an adjustment or of an objection (blobs of the file store).
CREATE TABLE assess_files (
    id INTEGER PRIMARY KEY,
    owner_type TEXT NOT NULL CHECK (owner_type IN ('adjustment', 'objection')),
    owner_id INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_by INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX assess_files_owner ON assess_files(owner_type, owner_id);

-- ---- objections (申诉): once per unit and period, answered by the center ----
CREATE TABLE assess_objections (
    id INTEGER PRIMARY KEY,
    sheet_id INTEGER NOT NULL REFERENCES assess_sheets(id),
    scheme_id INTEGER NOT NULL REFERENCES assess_schemes(id),
    period TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    indicator_id INTEGER,                -- the indicator objected to, or none (the whole sheet)
    reason TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'upheld', 'rejected')),
    filed_by TEXT NOT NULL,
    filed_by_id INTEGER,
    filed_at INTEGER NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at INTEGER,
    UNIQUE (scheme_id, period, org_id)
);
CREATE INDEX assess_objections_state ON assess_objections(state, filed_at);

-- ---- the monthly bulletin's rules: who is praised, who must improve, the 红旗窗口 ----
CREATE TABLE assess_bulletin_rule (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    praise_top INTEGER NOT NULL,         -- the best N units of each kind are praised
    improve_bottom INTEGER NOT NULL,     -- the last N must improve
    min_ratings INTEGER NOT NULL,        -- a 红旗窗口 candidate has at least this many ratings
    max_complaints INTEGER NOT NULL,     -- and at most this many complaints in the month
    w_satisfaction REAL NOT NULL,        -- points for a 100 % satisfaction rate
    w_speed REAL NOT NULL,               -- points for services within target_minutes
    target_minutes INTEGER NOT NULL,
    complaint_penalty REAL NOT NULL,     -- points off per complaint
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
INSERT INTO assess_bulletin_rule VALUES (1, 3, 3, 5, 0, 70, 30, 15, 10, 0, '系统');

-- ---- bulletins: the monthly 点评, the assessment bulletin, the progress bulletin ----
CREATE TABLE assess_bulletins (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('monthly', 'assessment', 'progress')),
    period TEXT NOT NULL,                -- 2026-10, the sheet's period, or the plan's as-of date
    ref_id INTEGER,                      -- the sheet or the work plan
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,               -- JSON: everything the page, the PDF and the XLSX show
    issued_at INTEGER NOT NULL,
    issued_by TEXT NOT NULL
);
CREATE INDEX assess_bulletins_kind ON assess_bulletins(kind, issued_at);

CREATE TABLE assess_bulletin_recipients (
    bulletin_id INTEGER NOT NULL REFERENCES assess_bulletins(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    read_at INTEGER,
    read_by TEXT,
    PRIMARY KEY (bulletin_id, org_id)
);
CREATE INDEX assess_bulletin_recipients_org ON assess_bulletin_recipients(org_id, bulletin_id);

-- ---- work plans (工作要点) and their responsibility breakdown (责任分解) ----
CREATE TABLE work_plans (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('draft', 'issued')),
    issued_at INTEGER,
    issued_by TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX work_plans_year ON work_plans(year);

-- A task: the lead unit (牵头单位) answers for it; open → completed (the lead reported it
-- done) → done (the center accepted it, 销号), or back to open.
CREATE TABLE work_tasks (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES work_plans(id),
    seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    lead_org_id INTEGER NOT NULL REFERENCES orgs(id),
    deadline TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'completed', 'done')),
    progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    last_report_date TEXT,
    completed_date TEXT,                 -- the day the lead reported it done
    done_date TEXT,                      -- the completed_date the center accepted
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX work_tasks_plan ON work_tasks(plan_id, seq);
CREATE INDEX work_tasks_lead ON work_tasks(lead_org_id, state);

-- The responsible units (责任单位) beside the lead.
CREATE TABLE work_task_units (
    task_id INTEGER NOT NULL REFERENCES work_tasks(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (task_id, org_id)
);
CREATE INDEX work_task_units_org ON work_task_units(org_id, task_id);

-- Progress reports of the units and the center's answers, never changed.
CREATE TABLE work_task_reports (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES work_tasks(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL CHECK (kind IN ('progress', 'complete', 'accept', 'return')),
    percent INTEGER,
    text TEXT NOT NULL,
    report_date TEXT NOT NULL,
    by_name TEXT NOT NULL,
    by_id INTEGER,
    at INTEGER NOT NULL
);
CREATE INDEX work_task_reports_task ON work_task_reports(task_id, id);

-- ---- inspections of every kind ----
-- The quarterly inspection of 0006 allowed one record per unit and quarter.  Now a unit
-- may be inspected several times a quarter: quarterly (季度督查), special (专项督查), on a
-- topic (点题督查) and follow-ups (回头看) that name the inspection they follow and
-- record its result.  SQLite cannot drop a UNIQUE constraint, so the table is rebuilt;
-- nothing references it by foreign key.
CREATE TABLE disclosure_inspections_new (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL DEFAULT 'quarterly'
        CHECK (kind IN ('quarterly', 'special', 'topic', 'follow_up')),
    title TEXT NOT NULL DEFAULT '',      -- the subject of a special or topic inspection
    follows_id INTEGER,                  -- a follow-up: the inspection it follows
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    inspected_date TEXT,
    rating TEXT NOT NULL CHECK (rating IN ('good', 'fair', 'poor')),
    findings TEXT NOT NULL,
    rectify_by TEXT,                     -- deadline for rectification, NULL when none needed
    rectified_date TEXT,
    rectification_note TEXT NOT NULL DEFAULT '',
    result TEXT CHECK (result IN ('rectified', 'partly', 'not_rectified')), -- a follow-up's
    inspector TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((kind = 'follow_up') = (follows_id IS NOT NULL)),
    CHECK ((kind = 'follow_up') = (result IS NOT NULL))
);
INSERT INTO disclosure_inspections_new (id, org_id, kind, title, follows_id, year, quarter,
    inspected_date, rating, findings, rectify_by, rectified_date, rectification_note, result,
    inspector, created_at, updated_at)
SELECT id, org_id, 'quarterly', '', NULL, year, quarter, NULL, rating, findings, rectify_by,
    rectified_date, rectification_note, NULL, inspector, created_at, updated_at
FROM disclosure_inspections;
DROP TABLE disclosure_inspections;
ALTER TABLE disclosure_inspections_new RENAME TO disclosure_inspections;
CREATE INDEX disclosure_inspections_period ON disclosure_inspections(year, quarter);
CREATE INDEX disclosure_inspections_org ON disclosure_inspections(org_id, rectify_by);
CREATE INDEX disclosure_inspections_follows ON disclosure_inspections(follows_id);
