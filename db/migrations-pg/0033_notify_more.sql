-- More of issue 20: the SMS texts administrators edit, which SMS went with which message
-- (so the message center shows its delivery state), and back-channel logout.
-- Statements in src/store/notify_store.c and identity_store.c.  Instants are UTC milliseconds.
-- This is the PostgreSQL twin of db/migrations/0033_notify_more.sql.

-- An administrator's version of an event's SMS text (the default is in src/notify/notify.c
-- beside the in-app template).  Variables are written {name}, checked when saved.
CREATE TABLE notify_sms_templates (
    event TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);

-- The exchange outbox row of the SMS sent with a message (none: no SMS went with it).
ALTER TABLE messages ADD COLUMN sms_outbox_id BIGINT;

-- Back-channel logout (OIDC Back-Channel Logout 1.0; src/identity): the provider's session
-- id (sid) a session was opened under, to end it when the provider says that session
-- ended, and the logout tokens taken (by jti), so that a replayed token does nothing.
-- A token older than ten minutes is refused anyway, so rows older than that are purged.
ALTER TABLE oidc_sessions ADD COLUMN sid TEXT NOT NULL DEFAULT '';
CREATE INDEX oidc_sessions_sid ON oidc_sessions(sid);
CREATE TABLE oidc_logout_tokens (
    jti TEXT PRIMARY KEY,
    issuer TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX oidc_logout_tokens_received ON oidc_logout_tokens(received_at);
