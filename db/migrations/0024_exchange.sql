-- The exchange with the city platform (issue 19, docs/exchange.md): the peers and their
-- keys, the outbox (a generic queue of typed messages to a destination), the ids of the
-- messages applied (so each is applied once), the message log, and what the city keeps
-- of its districts.  Every statement is in src/store/exchange_store.c.  Instants are UTC
-- milliseconds; the PostgreSQL twin is db/migrations-pg/0024_exchange.sql.

-- The instances this one talks to, one row per key (a rotation adds a row; the old key
-- keeps verifying until valid_to).
CREATE TABLE exchange_peers (
    id INTEGER PRIMARY KEY,
    instance TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('city', 'district')),
    url TEXT NOT NULL,
    key_id TEXT NOT NULL,
    public_key TEXT NOT NULL,            -- 64 hex digits (Ed25519)
    added_at INTEGER NOT NULL,
    valid_to INTEGER,                    -- NULL: current
    UNIQUE (instance, key_id)
);

-- The outbox: written in the transaction of the change that causes the message.
CREATE TABLE exchange_outbox (
    id INTEGER PRIMARY KEY,
    destination TEXT NOT NULL,           -- a peer's instance (or another deliverer's prefix:)
    type TEXT NOT NULL,
    payload TEXT NOT NULL,               -- canonical JSON
    payload_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    last_attempt_at INTEGER,
    delivered_at INTEGER,
    failed_at INTEGER,                   -- refused for good; an administrator retries
    receipt TEXT                         -- the receiver's signed receipt
);
CREATE INDEX exchange_outbox_pending ON exchange_outbox (destination, id)
    WHERE delivered_at IS NULL;

-- The messages applied here, by sender and id: what makes a retry a duplicate.
CREATE TABLE exchange_inbox (
    sender TEXT NOT NULL,
    message_id TEXT NOT NULL,
    type TEXT NOT NULL,
    sent_at INTEGER NOT NULL,            -- the `at` of the newest attempt taken
    payload_hash TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (sender, message_id)
);

-- Every message sent or received and every refusal (the workbench's message log).
CREATE TABLE exchange_log (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    peer TEXT NOT NULL,
    message_id TEXT NOT NULL,
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    status TEXT NOT NULL,                -- applied, duplicate, refused, delivered, retry, failed
    reason TEXT NOT NULL DEFAULT '',
    payload_hash TEXT NOT NULL,
    payload TEXT,                        -- NULL once older than exchange_log_retention_days
    attempts INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX exchange_log_at ON exchange_log (at);
CREATE INDEX exchange_log_message ON exchange_log (message_id);

-- The city's copy of each district's cases: the national 办件 data items, last state.
CREATE TABLE exchange_city_cases (
    district TEXT NOT NULL,
    case_no TEXT NOT NULL,
    item_code TEXT NOT NULL,
    item_name TEXT NOT NULL,
    applicant_type TEXT NOT NULL,
    applicant_masked TEXT NOT NULL,
    state TEXT NOT NULL,
    result TEXT NOT NULL DEFAULT '',
    accepted_date TEXT NOT NULL DEFAULT '',
    due_date TEXT NOT NULL DEFAULT '',
    decided_date TEXT NOT NULL DEFAULT '',
    concluded_at INTEGER,
    overdue INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (district, case_no)
);

-- The city's copy of each district's 好差评 ratings and the state of their rectification.
CREATE TABLE exchange_city_ratings (
    district TEXT NOT NULL,
    rating_id INTEGER NOT NULL,
    channel TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    case_no TEXT NOT NULL DEFAULT '',
    rated_at INTEGER NOT NULL,
    rect_state TEXT NOT NULL DEFAULT '',  -- '' when no rectification was opened
    PRIMARY KEY (district, rating_id)
);

-- Each district's monthly statistics as it sent them (stats.monthly), one row a month.
CREATE TABLE exchange_city_monthly (
    district TEXT NOT NULL,
    month TEXT NOT NULL,                 -- 'YYYY-MM'
    received INTEGER NOT NULL,            -- the month's total row, for the city's sums
    accepted INTEGER NOT NULL,
    concluded INTEGER NOT NULL,
    payload TEXT NOT NULL,               -- the tables as sent
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (district, month)
);

-- Each district's 政府信息公开 annual report figures (disclosure.annual), one row a year.
CREATE TABLE exchange_city_annual (
    district TEXT NOT NULL,
    year INTEGER NOT NULL,
    published_total INTEGER NOT NULL,     -- publications of the year, for the city's sums
    payload TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (district, year)
);

-- Each district's audit trail's head as last reported (hourly).
CREATE TABLE exchange_city_heads (
    district TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    at INTEGER NOT NULL
);
