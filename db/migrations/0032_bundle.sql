-- One-thing bundles (一件事一次办, issue 22 points 1 and 5): a bundle of items from several
-- departments that one application files at once (src/bundle/; statements in
-- src/store/bundle_store.c).  Instants are UTC milliseconds, dates day numbers
-- (src/core/workdays.h).

-- A bundle as an administrator composed it.  on_denial says what a child's denial does:
-- continue (the others go on) or stop (the undecided ones are terminated).
CREATE TABLE bundles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    life_event TEXT NOT NULL,
    target TEXT NOT NULL CHECK (target IN ('person', 'enterprise')),
    committed_days INTEGER NOT NULL CHECK (committed_days >= 0),
    on_denial TEXT NOT NULL CHECK (on_denial IN ('continue', 'stop')),
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Its items in order.  waits_for: the seq of the item whose issued license is this one's
-- material via_material (NULL: runs in parallel).  fields: the application fields this
-- item asks, a JSON array of {key, label, required}; the bundle's form is their union.
CREATE TABLE bundle_items (
    bundle_id INTEGER NOT NULL REFERENCES bundles(id),
    seq INTEGER NOT NULL,
    item_id INTEGER NOT NULL REFERENCES items(id),
    waits_for INTEGER,
    via_material TEXT,
    fields TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (bundle_id, seq)
);

-- Bundle numbers per day (YJS-yyyymmdd-NNNN), as case_seq numbers cases.
CREATE TABLE bundle_seq (
    day TEXT PRIMARY KEY,
    n INTEGER NOT NULL
);

-- One application for a bundle.  state: open (办理中), ready (待领取), concluded (已办结),
-- terminated (已终止).  form: the combined form's answers (JSON object).
CREATE TABLE bundle_apps (
    id INTEGER PRIMARY KEY,
    app_no TEXT NOT NULL UNIQUE,
    bundle_id INTEGER NOT NULL REFERENCES bundles(id),
    bundle_name TEXT NOT NULL,
    on_denial TEXT NOT NULL,
    applicant_user_id INTEGER REFERENCES users(id),
    filed_by INTEGER NOT NULL REFERENCES users(id),
    applicant_name TEXT NOT NULL,
    id_masked TEXT NOT NULL,
    channel TEXT NOT NULL,
    form TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'ready', 'concluded', 'terminated')),
    stop_reason TEXT NOT NULL DEFAULT '',
    received_date INTEGER NOT NULL,
    due_date INTEGER,
    submitted_at INTEGER NOT NULL,
    delivered_at INTEGER,
    delivery TEXT,
    rating_level INTEGER,
    rated_at INTEGER,
    concluded_at INTEGER,
    updated_at INTEGER NOT NULL,
    idem_key TEXT,
    UNIQUE (filed_by, idem_key)
);
CREATE INDEX bundle_apps_user ON bundle_apps(applicant_user_id, id);
CREATE INDEX bundle_apps_state ON bundle_apps(state, id);

-- The child case filed for each of the bundle's items.  license_id: the license the
-- item it waits for issued, attached to this case as via_material.
CREATE TABLE bundle_children (
    app_id INTEGER NOT NULL REFERENCES bundle_apps(id),
    seq INTEGER NOT NULL,
    case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
    item_id INTEGER NOT NULL,
    waits_for INTEGER,
    via_material TEXT,
    license_id INTEGER,
    PRIMARY KEY (app_id, seq)
);
