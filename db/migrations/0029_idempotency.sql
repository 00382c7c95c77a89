-- Idempotency keys (issue 17 point 2; docs/api.md "Retrying a write"): a client that sent a
-- write and got no answer, or a 503 after the database's primary went away, sends it again
-- with the same Idempotency-Key header.  The first attempt's answer is written here in the
-- same transaction as the write itself, so the retry either finds it (the write committed:
-- the same answer again, nothing done twice) or does not (nothing committed: it runs now).
-- Statements in src/store/idem_store.c.  Instants are UTC milliseconds.

CREATE TABLE idempotency_keys (
    principal INTEGER NOT NULL,           -- the signed-in user's id; 0 for an anonymous client
    idem_key TEXT NOT NULL,               -- as the client sent it
    fingerprint TEXT NOT NULL,            -- SHA-256 of method, path, query and body (hex)
    status INTEGER NOT NULL,              -- the answer's status; 0: done, answer not kept
    headers TEXT NOT NULL DEFAULT '{}',   -- the answer's own headers (Location…), JSON
    body TEXT NOT NULL DEFAULT '',        -- the answer's JSON body
    created_at INTEGER NOT NULL,
    PRIMARY KEY (principal, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
