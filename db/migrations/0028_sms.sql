-- SMS (issue 20 point 4): who switched SMS off, and the delivery reports the gateway sends
-- back.  The SMS themselves are rows of exchange_outbox with destination "sms:<mobile>"
-- (src/exchange/sms.c); statements in src/store/notify_store.c and exchange_store.c.
-- Instants are UTC milliseconds.

-- An applicant who switched SMS off in the message center (no row: SMS on).
CREATE TABLE sms_opt_out (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    at INTEGER NOT NULL
);

-- A delivery report (状态报告) from the gateway about one SMS, by the id it was sent under
-- ("sms-<instance>-<outbox id>"); every report is kept, the newest is the state.
CREATE TABLE sms_reports (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    outbox_id INTEGER NOT NULL REFERENCES exchange_outbox(id),
    status TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    received_at INTEGER NOT NULL
);
CREATE INDEX sms_reports_outbox ON sms_reports(outbox_id, id);
