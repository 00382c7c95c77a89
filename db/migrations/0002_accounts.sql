-- Organisations, people, sessions, sign-in throttling and the audit chain
-- (issue 4, docs/architecture.md "Security").

-- The organisation tree: the district center with its windows, the departments
-- (back offices), the township/street service centers and the village and
-- community agent points under them.
CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES orgs(id),
    kind TEXT NOT NULL CHECK (kind IN ('center', 'window', 'department', 'township', 'agent_point')),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    sort INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id, sort);
CREATE INDEX orgs_kind ON orgs(kind, active);

-- Citizens, enterprises and staff.  Resident ID and mobile numbers are
-- encrypted (…_enc, XChaCha20-Poly1305) and found through a keyed BLAKE2b
-- blind index (…_idx); the database file alone reveals neither.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL CHECK (kind IN ('staff', 'citizen', 'enterprise')),
    role TEXT NOT NULL CHECK (role IN ('citizen', 'enterprise', 'agent', 'clerk', 'approver',
                                       'supervisor', 'discloser', 'admin')),
    org_id INTEGER REFERENCES orgs(id),
    name TEXT NOT NULL,
    id_number_enc TEXT,
    id_number_idx TEXT UNIQUE,
    id_masked TEXT,               -- 430903********123X, what the API shows
    uscc TEXT UNIQUE,             -- an enterprise's code is public information
    legal_representative TEXT,
    mobile_enc TEXT,
    mobile_idx TEXT,
    mobile_masked TEXT,           -- 138****5678
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    password_changed_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((kind = 'staff') = (org_id IS NOT NULL)),
    CHECK (kind <> 'citizen' OR id_number_idx IS NOT NULL),
    CHECK (kind <> 'enterprise' OR uscc IS NOT NULL)
);
CREATE INDEX users_org ON users(org_id, role);
CREATE INDEX users_mobile ON users(mobile_idx);

-- Sessions: only the hash of the cookie's token is stored, and the hash of
-- the CSRF token that goes with it.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    csrf_hash TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    ended_at INTEGER,
    end_reason TEXT
);
CREATE INDEX sessions_user ON sessions(user_id, ended_at);

-- The audit trail: append-only and hash-chained.  Each row's hash covers its
-- own fields and the previous row's hash, so an edited, deleted or reordered
-- row breaks the chain at that row (`onewindow audit verify`).
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id INTEGER,
    actor TEXT NOT NULL,
    actor_role TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_actor ON audit(actor_id, seq);
CREATE INDEX audit_object ON audit(object_type, object_id, seq);
CREATE INDEX audit_at ON audit(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
