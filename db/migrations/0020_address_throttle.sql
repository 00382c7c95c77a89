-- Per-address throttles (sign-in failures, case-progress lookups, registrations) shared by
-- every node of an installation on PostgreSQL (docs/decisions/0004-postgresql.md).  A
-- single SQLite node keeps these counters in memory (account/session.c) and leaves the
-- table empty; it exists on both backends so that their schemas stay the same.
CREATE TABLE address_throttle (
    kind TEXT NOT NULL,                    -- sign_in, track, register
    ip TEXT NOT NULL,                      -- the client's address (cx->ip)
    failures INTEGER NOT NULL,             -- counted in the current window
    window_start INTEGER NOT NULL,         -- UTC ms
    locked_until INTEGER NOT NULL,         -- UTC ms; 0 = free
    PRIMARY KEY (kind, ip)
);
CREATE INDEX address_throttle_stale ON address_throttle(kind, window_start);
