-- The database's own identity: when it was created and for which region.
-- A backup restored on another district's server is noticed by comparing
-- region_code with the configuration at start-up.
CREATE TABLE instance (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    created_at INTEGER NOT NULL,          -- UTC ms
    region_code TEXT NOT NULL,
    created_by_version TEXT NOT NULL
);
