-- Notifications (issue 20): in-app messages to applicants and staff, and the text of each
-- event's message as administrators edit it.  The rules are in src/notify/, every
-- statement in src/store/notify_store.c.  Instants are UTC milliseconds.

-- An administrator's version of an event's template; an event without a row uses the
-- default in src/notify/notify.c.  Variables are written {name}; which names an event
-- knows is checked when the template is saved.
CREATE TABLE notify_templates (
    event TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    updated_at INTEGER NOT NULL
);

-- One message in a person's message center (消息中心).  dedup_key makes an event tell a
-- person once: the same case step announced twice writes no second row.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    event TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    case_id INTEGER,
    link TEXT NOT NULL DEFAULT '',
    dedup_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX messages_user ON messages(user_id, id);
CREATE INDEX messages_unread ON messages(user_id, read_at);
