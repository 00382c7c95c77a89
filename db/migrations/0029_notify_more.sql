-- More of the notifications (issue 20): the SMS texts administrators edit, and which SMS
-- went with which message (so the message center shows the SMS's delivery state).
-- Statements in src/store/notify_store.c.  Instants are UTC milliseconds.

-- An administrator's version of an event's SMS text (the default is in src/notify/notify.c
-- beside the in-app template).  Variables are written {name}, checked when saved.
CREATE TABLE notify_sms_templates (
    event TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    updated_at INTEGER NOT NULL
);

-- The exchange outbox row of the SMS sent with a message (none: no SMS went with it).
ALTER TABLE messages ADD COLUMN sms_outbox_id INTEGER;
