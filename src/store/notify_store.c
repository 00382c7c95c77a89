/* notify_store.c — see notify_store.h.  SQL that SQLite and PostgreSQL both run. */
#include "store/notify_store.h"

#include <string.h>

#include "store/rows.h"

int ow_notify_store_message_insert(ow_db *db, const ow_message_row *m, const char *dedup_key,
                                   bool *inserted, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO messages (user_id, event, title, body, case_id, link,"
                             " dedup_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                             " ON CONFLICT (dedup_key) DO NOTHING",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, m->user_id);
    ow_bind_text(st, 2, m->event);
    ow_bind_text(st, 3, m->title);
    ow_bind_text(st, 4, m->body);
    ow_rows_bind_opt_id(st, 5, m->case_id);
    ow_bind_text(st, 6, m->link ? m->link : "");
    ow_bind_text(st, 7, dedup_key);
    ow_bind_int64(st, 8, m->created_at);
    int rc = ow_rows_done(db, st, "message", e);
    if (rc) return rc;
    *inserted = ow_db_changes(db) == 1;
    return OW_OK;
}

int ow_notify_store_messages(ow_db *db, int64_t user_id, bool unread_only, int limit,
                             int64_t offset, ow_arena *a, ow_message_cb cb, void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT m.id, m.event, m.title, m.body, m.case_id, m.link,"
                   " m.created_at, m.read_at, o.id, o.delivered_at, o.failed_at,"
                   " o.last_error, o.next_at,"
                   " (SELECT r.status FROM sms_reports r"
                   " WHERE r.outbox_id = o.id ORDER BY r.id DESC LIMIT 1),"
                   " (SELECT r.detail FROM sms_reports r"
                   " WHERE r.outbox_id = o.id ORDER BY r.id DESC LIMIT 1)"
                   " FROM messages m LEFT JOIN exchange_outbox o ON o.id = m.sms_outbox_id"
                   " WHERE m.user_id = ?1 AND (?2 = 0 OR m.read_at IS NULL)"
                   " ORDER BY m.id DESC LIMIT ?3 OFFSET ?4",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user_id);
    ow_bind_int(st, 2, unread_only ? 1 : 0);
    ow_bind_int(st, 3, limit);
    ow_bind_int64(st, 4, offset);
    int rc, crc = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_message_row m = {.id = ow_col_int64(st, 0),
                            .user_id = user_id,
                            .event = ow_rows_dupe(a, st, 1),
                            .title = ow_rows_dupe(a, st, 2),
                            .body = ow_rows_dupe(a, st, 3),
                            .case_id = ow_col_null(st, 4) ? 0 : ow_col_int64(st, 4),
                            .link = ow_rows_dupe(a, st, 5),
                            .created_at = ow_col_int64(st, 6),
                            .read_at = ow_col_null(st, 7) ? 0 : ow_col_int64(st, 7),
                            .sms_id = ow_col_null(st, 8) ? 0 : ow_col_int64(st, 8),
                            .sms_delivered_at = ow_col_null(st, 9) ? 0 : ow_col_int64(st, 9),
                            .sms_failed_at = ow_col_null(st, 10) ? 0 : ow_col_int64(st, 10),
                            .sms_error = ow_rows_dupe(a, st, 11),
                            .sms_not_before = ow_col_null(st, 12) ? 0 : ow_col_int64(st, 12),
                            .sms_report = ow_rows_dupe(a, st, 13),
                            .sms_report_detail = ow_rows_dupe(a, st, 14)};
        if ((crc = cb(arg, &m))) break;
    }
    ow_reset(st);
    if (crc) return crc;
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "messages", e);
    return OW_OK;
}

int ow_notify_store_count(ow_db *db, int64_t user_id, bool unread_only, int64_t *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT count(*) FROM messages WHERE user_id = ?1"
                             " AND (?2 = 0 OR read_at IS NULL)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user_id);
    ow_bind_int(st, 2, unread_only ? 1 : 0);
    int rc = ow_step(st);
    *n = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    if (rc != OW_ROW) return ow_db_fail(db, "message count", e);
    return OW_OK;
}

int ow_notify_store_mark_read(ow_db *db, int64_t user_id, int64_t id, int64_t now_ms, bool *found,
                              ow_err *e) {
    *found = true;
    ow_stmt *st;
    if (id > 0) {
        st = ow_db_stmt(db, "SELECT read_at FROM messages WHERE id = ?1 AND user_id = ?2", e);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, id);
        ow_bind_int64(st, 2, user_id);
        int rc = ow_step(st);
        ow_reset(st);
        if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "message", e);
        if (rc == OW_DONE) {
            *found = false;
            return OW_OK;
        }
    }
    st = ow_db_stmt(db,
                    "UPDATE messages SET read_at = ?1 WHERE user_id = ?2 AND read_at IS NULL"
                    " AND (?3 = 0 OR id = ?3)",
                    e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, now_ms);
    ow_bind_int64(st, 2, user_id);
    ow_bind_int64(st, 3, id);
    return ow_rows_done(db, st, "message read", e);
}

int ow_notify_store_template(ow_db *db, const char *event, ow_arena *a, const char **title,
                             const char **body, int64_t *updated_at, bool *found, ow_err *e) {
    *found = false;
    ow_stmt *st =
        ow_db_stmt(db, "SELECT title, body, updated_at FROM notify_templates WHERE event = ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, event);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *found = true;
        *title = ow_rows_dupe(a, st, 0);
        *body = ow_rows_dupe(a, st, 1);
        *updated_at = ow_col_int64(st, 2);
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "notify template", e);
    return OW_OK;
}

int ow_notify_store_template_put(ow_db *db, const char *event, const char *title, const char *body,
                                 int64_t by, int64_t now_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO notify_templates (event, title, body, updated_by,"
                             " updated_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (event) DO"
                             " UPDATE SET title = excluded.title, body = excluded.body,"
                             " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, event);
    ow_bind_text(st, 2, title);
    ow_bind_text(st, 3, body);
    ow_rows_bind_opt_id(st, 4, by);
    ow_bind_int64(st, 5, now_ms);
    return ow_rows_done(db, st, "notify template", e);
}

int ow_notify_store_template_delete(ow_db *db, const char *event, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "DELETE FROM notify_templates WHERE event = ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, event);
    return ow_rows_done(db, st, "notify template delete", e);
}

int ow_notify_store_sms_off(ow_db *db, int64_t user_id, bool *off, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT COUNT(*) FROM sms_opt_out WHERE user_id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user_id);
    int64_t n = 0;
    int rc = ow_rows_int64(db, st, &n, "sms opt-out", e);
    *off = n > 0;
    return rc;
}

int ow_notify_store_sms_set(ow_db *db, int64_t user_id, bool off, int64_t now_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             off ? "INSERT INTO sms_opt_out (user_id, at) VALUES (?1, ?2)"
                                   " ON CONFLICT (user_id) DO NOTHING"
                                 : "DELETE FROM sms_opt_out WHERE user_id = ?1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user_id);
    if (off) ow_bind_int64(st, 2, now_ms);
    return ow_rows_done(db, st, "sms opt-out", e);
}

int ow_notify_store_message_sms(ow_db *db, const char *dedup_key, int64_t outbox_id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE messages SET sms_outbox_id = ?2 WHERE dedup_key = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, dedup_key);
    ow_bind_int64(st, 2, outbox_id);
    return ow_rows_done(db, st, "message sms", e);
}

int ow_notify_store_sms_template(ow_db *db, const char *event, ow_arena *a, const char **text,
                                 bool *found, ow_err *e) {
    *found = false;
    ow_stmt *st = ow_db_stmt(db, "SELECT text FROM notify_sms_templates WHERE event = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, event);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *found = true;
        *text = ow_rows_dupe(a, st, 0);
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "notify sms template", e);
    return OW_OK;
}

int ow_notify_store_sms_template_put(ow_db *db, const char *event, const char *text, int64_t by,
                                     int64_t now_ms, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "INSERT INTO notify_sms_templates (event, text, updated_by, updated_at)"
                   " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (event) DO UPDATE SET"
                   " text = excluded.text, updated_by = excluded.updated_by,"
                   " updated_at = excluded.updated_at",
                   e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, event);
    ow_bind_text(st, 2, text);
    ow_rows_bind_opt_id(st, 3, by);
    ow_bind_int64(st, 4, now_ms);
    return ow_rows_done(db, st, "notify sms template", e);
}

int ow_notify_store_sms_template_delete(ow_db *db, const char *event, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "DELETE FROM notify_sms_templates WHERE event = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, event);
    return ow_rows_done(db, st, "notify sms template delete", e);
}
