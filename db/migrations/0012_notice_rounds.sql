-- Supervision notices (督办) get their whole exchange (issue 8): the department
-- replies, the supervisor reads the reply and either closes the notice or follows
-- up (追督) with a new reply deadline, and the department replies again.  The
-- notice row keeps the current state and latest reply; supervision_notice_events
-- keeps every step, so a follow-up never overwrites what was said before.
--
-- SQLite cannot widen a CHECK constraint in place, so the table is rebuilt with
-- the new 'closed' state; nothing references it by foreign key.
CREATE TABLE supervision_notices_new (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL,
    case_no TEXT NOT NULL,
    item_name TEXT NOT NULL DEFAULT '',          -- copied in, so lists read on their own
    org_id INTEGER NOT NULL REFERENCES orgs(id),  -- the department that must reply
    content TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    reply_due INTEGER NOT NULL,                   -- of the current round
    state TEXT NOT NULL CHECK (state IN ('open', 'replied', 'closed')),
    reply TEXT,                                   -- latest reply
    replied_by TEXT,
    replied_at INTEGER,
    replied_late INTEGER NOT NULL DEFAULT 0 CHECK (replied_late IN (0, 1)),
    rounds INTEGER NOT NULL DEFAULT 1,            -- 1 + follow-ups (追督次数 = rounds - 1)
    closed_by TEXT,
    closed_at INTEGER,
    closing_note TEXT
);
INSERT INTO supervision_notices_new (id, case_id, case_no, org_id, content, issued_by, issued_at,
    reply_due, state, reply, replied_by, replied_at, replied_late)
SELECT id, case_id, case_no, org_id, content, issued_by, issued_at, reply_due, state, reply,
    replied_by, replied_at, replied_late FROM supervision_notices;
DROP TABLE supervision_notices;
ALTER TABLE supervision_notices_new RENAME TO supervision_notices;
CREATE INDEX supervision_notices_org ON supervision_notices(org_id, state, reply_due);
CREATE INDEX supervision_notices_case ON supervision_notices(case_id);

CREATE TABLE supervision_notice_events (
    notice_id INTEGER NOT NULL REFERENCES supervision_notices(id),
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('issue', 'reply', 'follow_up', 'close')),
    note TEXT NOT NULL DEFAULT '',
    reply_due INTEGER,                            -- issue, follow_up: the deadline set
    late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),  -- reply: after the deadline
    PRIMARY KEY (notice_id, seq)
) WITHOUT ROWID;
INSERT INTO supervision_notice_events (notice_id, seq, at, actor, action, note, reply_due)
SELECT id, 1, issued_at, issued_by, 'issue', content, reply_due FROM supervision_notices;
INSERT INTO supervision_notice_events (notice_id, seq, at, actor, action, note, late)
SELECT id, 2, replied_at, replied_by, 'reply', reply, replied_late FROM supervision_notices
WHERE state = 'replied';
