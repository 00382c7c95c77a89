/* supervision_store.c — see supervision_store.h. */
#include "store/supervision_store.h"

#include <stdio.h>
#include <string.h>

#include "core/workdays.h"
#include "store/db.h"

/* Step a statement that returns no rows, then make it ready for its next use. */
static int done(ow_db *db, ow_stmt *st, const char *what, ow_err *e) {
    int rc = ow_step(st);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, what, e);
}

/* The end of a walk: fn's answer, or the database's failure. */
static int walked(ow_db *db, ow_stmt *st, int rc, int out, const char *what, ow_err *e) {
    ow_reset(st);
    ow_clear_bindings(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, what, e);
    return out;
}

/* A count(*) statement's one row. */
static int count_row(ow_db *db, ow_stmt *st, int *n, const char *what, ow_err *e) {
    int rc = ow_step(st);
    *n = rc == OW_ROW ? ow_col_int(st, 0) : 0;
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, what, e);
}

/* ---- offices ---- */

int ow_supervision_store_org_in_scope(ow_db *db, int64_t org_id, int64_t scope, bool *ok,
                                      ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT count(*) FROM orgs WHERE id = ?1 AND (id = ?2 OR parent_id = ?2)", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int64(st, 2, scope);
    int n, rc = count_row(db, st, &n, "org scope", e);
    *ok = !rc && n > 0;
    return rc;
}

int ow_supervision_store_org_by_code(ow_db *db, const char *code, int64_t *id, char kind[16],
                                     char name[128], ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "SELECT id, kind, name FROM orgs WHERE code = ? AND active = 1", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, code);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *id = ow_col_int64(st, 0);
        snprintf(kind, 16, "%s", ow_db_text(st, 1));
        snprintf(name, 128, "%s", ow_db_text(st, 2));
    }
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE)
        return ow_err_set(e, OW_ENOTFOUND, "window_code", "窗口编码“%s”不存在或已停用", code);
    if (rc != OW_ROW) return ow_db_fail(db, "org by code", e);
    return OW_OK;
}

int ow_supervision_store_org(ow_db *db, int64_t id, ow_arena *a, const char **name,
                             const char **kind, bool *found, ow_err *e) {
    *name = *kind = "";
    *found = false;
    ow_stmt *st = ow_db_stmt(db, "SELECT name, kind FROM orgs WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    if (ow_step(st) == OW_ROW) {
        *found = true;
        *name = ow_strdup(a, ow_db_text(st, 0));
        *kind = ow_strdup(a, ow_db_text(st, 1));
    }
    ow_reset(st);
    ow_clear_bindings(st);
    return OW_OK;
}

/* ---- notices ---- */

static void bind_day(ow_stmt *st, int i, int32_t day) {
    if (day == OW_DATE_NONE)
        ow_bind_null(st, i);
    else
        ow_bind_int(st, i, day);
}

int ow_supervision_store_notice_insert(ow_db *db, const ow_notice_row *r, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO supervision_notices (case_id, case_no, item_name, org_id, content, issued_by,"
        " issued_at, reply_due, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, r->case_id);
    ow_bind_text(st, 2, r->case_no);
    ow_bind_text(st, 3, r->item_name);
    ow_bind_int64(st, 4, r->org_id);
    ow_bind_text(st, 5, r->content);
    ow_bind_text(st, 6, r->issued_by);
    ow_bind_int64(st, 7, r->issued_at);
    ow_bind_int(st, 8, r->reply_due);
    int rc = done(db, st, "notice insert", e);
    if (!rc) *id = ow_db_last_id(db);
    return rc;
}

int ow_supervision_store_notice_state(ow_db *db, int64_t id, int64_t *org_id, char state[16],
                                      int32_t *reply_due, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "SELECT org_id, state, reply_due FROM supervision_notices WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *org_id = ow_col_int64(st, 0);
        snprintf(state, 16, "%s", ow_db_text(st, 1));
        *reply_due = (int32_t)ow_col_int64(st, 2);
    }
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "id", "督办不存在");
    if (rc != OW_ROW) return ow_db_fail(db, "notice get", e);
    return OW_OK;
}

int ow_supervision_store_notice_reply(ow_db *db, int64_t id, const char *reply, const char *by,
                                      int64_t at, bool late, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "UPDATE supervision_notices SET state = 'replied', reply = ?1, replied_by = ?2,"
                   " replied_at = ?3, replied_late = ?4 WHERE id = ?5",
                   e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, reply);
    ow_bind_text(st, 2, by);
    ow_bind_int64(st, 3, at);
    ow_bind_int(st, 4, late);
    ow_bind_int64(st, 5, id);
    return done(db, st, "notice update", e);
}

int ow_supervision_store_notice_follow_up(ow_db *db, int64_t id, int32_t reply_due, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "UPDATE supervision_notices SET state = 'open', reply_due = ?1, rounds = rounds + 1"
        " WHERE id = ?2",
        e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, reply_due);
    ow_bind_int64(st, 2, id);
    return done(db, st, "notice update", e);
}

int ow_supervision_store_notice_close(ow_db *db, int64_t id, const char *by, int64_t at,
                                      const char *note, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "UPDATE supervision_notices SET state = 'closed', closed_by = ?1, closed_at = ?2,"
        " closing_note = ?3 WHERE id = ?4",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, by);
    ow_bind_int64(st, 2, at);
    ow_bind_text(st, 3, note);
    ow_bind_int64(st, 4, id);
    return done(db, st, "notice update", e);
}

int ow_supervision_store_notice_event_add(ow_db *db, int64_t notice_id, int64_t at,
                                          const char *actor, const char *action, const char *note,
                                          int32_t reply_due, bool late, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "INSERT INTO supervision_notice_events (notice_id, seq, at, actor, action, note,"
                   " reply_due, late) VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM"
                   " supervision_notice_events WHERE notice_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, notice_id);
    ow_bind_int64(st, 2, at);
    ow_bind_text(st, 3, actor);
    ow_bind_text(st, 4, action);
    ow_bind_text(st, 5, note ? note : "");
    bind_day(st, 6, reply_due);
    ow_bind_int(st, 7, late);
    return done(db, st, "notice event", e);
}

#define NOTICE_COLS                                                                                \
    "n.id, n.case_id, n.case_no, n.item_name, n.org_id, coalesce(o.name, ''), n.content,"          \
    " n.issued_by, n.issued_at, n.reply_due, n.state, n.reply, n.replied_by, n.replied_at,"        \
    " n.replied_late, n.rounds, n.closed_by, n.closed_at, n.closing_note"

#define NOTICE_WHERE                                                                               \
    " WHERE (?1 = 0 OR n.org_id = ?1) AND (?2 = 0 OR n.case_id = ?2) AND (?3 IS NULL"              \
    " OR n.state = ?3 OR (?3 = 'overdue' AND n.state = 'open' AND n.reply_due < ?4)"               \
    " OR (?3 = 'active' AND n.state <> 'closed'))"

static void notice_of(ow_stmt *st, ow_notice_row *r) {
    *r = (ow_notice_row){
        .id = ow_col_int64(st, 0),
        .case_id = ow_col_int64(st, 1),
        .case_no = ow_db_text(st, 2),
        .item_name = ow_db_text(st, 3),
        .org_id = ow_col_int64(st, 4),
        .org_name = ow_db_text(st, 5),
        .content = ow_db_text(st, 6),
        .issued_by = ow_db_text(st, 7),
        .issued_at = ow_col_int64(st, 8),
        .issued_at_null = ow_col_null(st, 8),
        .reply_due = (int32_t)ow_col_int64(st, 9),
        .state = ow_db_text(st, 10),
        .reply = ow_col_text(st, 11),
        .replied_by = ow_col_text(st, 12),
        .replied_at = ow_col_int64(st, 13),
        .replied_at_null = ow_col_null(st, 13),
        .replied_late = ow_col_int(st, 14) != 0,
        .rounds = ow_col_int(st, 15),
        .closed_by = ow_col_text(st, 16),
        .closed_at = ow_col_int64(st, 17),
        .closed_at_null = ow_col_null(st, 17),
        .closing_note = ow_col_text(st, 18),
    };
}

static void bind_filter(ow_stmt *st, const ow_notice_filter *f) {
    ow_bind_int64(st, 1, f->org_id);
    ow_bind_int64(st, 2, f->case_id);
    if (f->state)
        ow_bind_text(st, 3, f->state);
    else
        ow_bind_null(st, 3);
    ow_bind_int(st, 4, f->today);
}

int ow_supervision_store_notice_count(ow_db *db, const ow_notice_filter *f, int64_t *total,
                                      ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*) FROM supervision_notices n" NOTICE_WHERE, e);
    if (!st) return OW_EDB;
    bind_filter(st, f);
    int rc = ow_step(st);
    if (rc == OW_ROW) *total = ow_col_int64(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "notice count", e);
}

int ow_supervision_store_notice_page(ow_db *db, const ow_notice_filter *f, int limit,
                                     int64_t offset, int (*fn)(void *arg, const ow_notice_row *r),
                                     void *arg, ow_err *e) {
    /* open rounds first by reply deadline (the most urgent on top), then replied ones
     * waiting for the supervisor, then closed ones, newest first */
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT " NOTICE_COLS
        " FROM supervision_notices n LEFT JOIN orgs o ON o.id = n.org_id" NOTICE_WHERE
        " ORDER BY CASE n.state WHEN 'open' THEN 0 WHEN 'replied' THEN 1 ELSE 2 END,"
        " CASE WHEN n.state = 'closed' THEN -n.id ELSE n.reply_due END, n.id LIMIT ?5 OFFSET ?6",
        e);
    if (!st) return OW_EDB;
    bind_filter(st, f);
    ow_bind_int(st, 5, limit);
    ow_bind_int64(st, 6, offset);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_notice_row r;
        notice_of(st, &r);
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "notice list", e);
}

int ow_supervision_store_notice_get(ow_db *db, int64_t id,
                                    int (*fn)(void *arg, const ow_notice_row *r), void *arg,
                                    ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT " NOTICE_COLS " FROM supervision_notices n LEFT JOIN orgs o"
                             " ON o.id = n.org_id WHERE n.id = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    if (ow_step(st) != OW_ROW) {
        ow_reset(st);
        ow_clear_bindings(st);
        return ow_db_fail(db, "notice get", e);
    }
    ow_notice_row r;
    notice_of(st, &r);
    int out = fn(arg, &r);
    ow_reset(st);
    ow_clear_bindings(st);
    return out;
}

int ow_supervision_store_notice_each_event(ow_db *db, int64_t id,
                                           int (*fn)(void *arg, const ow_notice_event_row *r),
                                           void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT seq, at, actor, action, note, reply_due, late FROM supervision_notice_events"
        " WHERE notice_id = ? ORDER BY seq",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_notice_event_row r = {
            .seq = ow_col_int(st, 0),
            .at = ow_col_int64(st, 1),
            .at_null = ow_col_null(st, 1),
            .actor = ow_db_text(st, 2),
            .action = ow_db_text(st, 3),
            .note = ow_db_text(st, 4),
            .reply_due = ow_col_null(st, 5) ? OW_DATE_NONE : (int32_t)ow_col_int64(st, 5),
            .late = ow_col_int(st, 6) != 0,
        };
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "notice events", e);
}

/* ---- what waits for an office ---- */

#define IN_SCOPE(c) "(?1 = 0 OR " c " = ?1 OR " c " IN (SELECT id FROM orgs WHERE parent_id = ?1))"

int ow_supervision_store_office_counts(ow_db *db, int64_t scope, int32_t today,
                                       int counts[OW_SUP_OFFICE_COUNTS], ow_err *e) {
    static const char *const sqls[OW_SUP_OFFICE_COUNTS] = {
        [OW_SUP_RECT_OPEN] = "SELECT count(*) FROM rectifications WHERE state <> 'closed'"
                             " AND " IN_SCOPE("org_id") " AND ?2 = ?2",
        [OW_SUP_RECT_OVERDUE] =
            "SELECT count(*) FROM rectifications WHERE state <> 'closed' AND " IN_SCOPE(
                "org_id") " AND CASE WHEN state = 'ledger' THEN ledger_due ELSE due_date END < ?2",
        [OW_SUP_COMPLAINTS_OPEN] = "SELECT count(*) FROM complaints WHERE state IN ('submitted',"
                                   " 'assigned') AND " IN_SCOPE("assigned_org_id") " AND ?2 = ?2",
        [OW_SUP_COMPLAINTS_OVERDUE] =
            "SELECT count(*) FROM complaints WHERE state IN ('submitted',"
            " 'assigned') AND " IN_SCOPE("assigned_org_id") " AND due_date < ?2",
        [OW_SUP_COMPLAINTS_UNASSIGNED] =
            "SELECT count(*) FROM complaints WHERE state = 'submitted' AND ?1 = 0 AND ?2 = ?2",
        [OW_SUP_NOTICES_OPEN] = "SELECT count(*) FROM supervision_notices WHERE state = 'open'"
                                " AND " IN_SCOPE("org_id") " AND ?2 = ?2",
        [OW_SUP_NOTICES_OVERDUE] = "SELECT count(*) FROM supervision_notices WHERE state = 'open'"
                                   " AND " IN_SCOPE("org_id") " AND reply_due < ?2",
    };
    for (int i = 0; i < OW_SUP_OFFICE_COUNTS; i++) {
        ow_stmt *st = ow_db_stmt(db, sqls[i], e);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, scope);
        ow_bind_int(st, 2, today);
        int rc = count_row(db, st, &counts[i], "supervision count", e);
        if (rc) return rc;
    }
    return OW_OK;
}

int ow_supervision_store_complaints_due_soon(ow_db *db, int64_t scope, int32_t today, int32_t soon,
                                             int *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT count(*) FROM complaints WHERE state IN ('submitted', 'assigned') AND " IN_SCOPE(
            "assigned_org_id") " AND due_date >= ?2 AND due_date <= ?3",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, scope);
    ow_bind_int(st, 2, today);
    ow_bind_int(st, 3, soon);
    return count_row(db, st, n, "complaints due soon", e);
}

#define OFFICE_LIST_MAX_COLS 16

int ow_supervision_store_office_list(ow_db *db, ow_sup_list which, int64_t scope, int32_t today,
                                     int32_t soon, int max,
                                     int (*fn)(void *arg, const ow_sup_cell *cells, int n),
                                     void *arg, ow_err *e) {
    /* ?3 is the last day counted as "due soon" for complaints */
    static const char *const sqls[] = {
        [OW_SUP_LIST_NOTICES] =
            "SELECT id, case_id, case_no, item_name, org_id, (SELECT name FROM orgs WHERE id ="
            " n.org_id) AS org_name, content, reply_due AS reply_due_date, state, reply_due < ?2"
            " AS overdue, rounds - 1 AS follow_ups FROM supervision_notices n WHERE state = 'open'"
            " AND " IN_SCOPE("org_id") " AND ?3 = ?3 ORDER BY reply_due, id LIMIT ?4",
        [OW_SUP_LIST_NOTICES_REPLIED] =
            "SELECT id, case_id, case_no, item_name, org_id, (SELECT name FROM orgs WHERE id ="
            " n.org_id) AS org_name, reply, replied_by, replied_late FROM supervision_notices n"
            " WHERE state = 'replied' AND " IN_SCOPE("org_id") " AND ?2 = ?2 AND ?3 = ?3"
                                                               " ORDER BY replied_at, id LIMIT ?4",
        [OW_SUP_LIST_RECTIFICATIONS] =
            "SELECT r.id, r.state, CASE r.state WHEN 'open' THEN '待回访' WHEN 'visited' THEN"
            " '待核实' WHEN 'ledger' THEN '整改台账' WHEN 'appealed' THEN '申诉复核中' ELSE r.state"
            " END AS state_name, (SELECT name FROM orgs WHERE id = r.org_id) AS org_name,"
            " CASE WHEN r.state = 'ledger' THEN r.ledger_due ELSE r.due_date END AS due_date,"
            " CASE WHEN r.state = 'ledger' THEN r.ledger_due ELSE r.due_date END < ?2 AS overdue,"
            " a.topic, a.case_no, a.level FROM rectifications r JOIN ratings a ON a.id ="
            " r.rating_id WHERE r.state <> 'closed' AND " IN_SCOPE("r.org_id") " AND ?3 = ?3"
                                                                               " ORDER BY 5, r.id"
                                                                               " LIMIT ?4",
        [OW_SUP_LIST_COMPLAINTS] =
            "SELECT id, ref_no, kind, title, state, CASE state WHEN 'submitted' THEN '待分派'"
            " ELSE '办理中' END AS state_name, (SELECT name FROM orgs WHERE id = assigned_org_id)"
            " AS org_name, due_date, due_date < ?2 AS overdue, due_date <= ?3 AS due_soon,"
            " escalation FROM complaints WHERE state IN ('submitted', 'assigned') AND " IN_SCOPE(
                "assigned_org_id") " ORDER BY due_date, id LIMIT ?4",
    };
    ow_stmt *st = ow_db_stmt(db, sqls[which], e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, scope);
    ow_bind_int(st, 2, today);
    ow_bind_int64(st, 3, soon);
    ow_bind_int(st, 4, max);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_sup_cell cells[OFFICE_LIST_MAX_COLS];
        int n = ow_col_count(st);
        if (n > OFFICE_LIST_MAX_COLS) n = OFFICE_LIST_MAX_COLS;
        for (int i = 0; i < n; i++) {
            cells[i] = (ow_sup_cell){.name = ow_col_name(st, i)};
            if (ow_col_null(st, i)) {
                cells[i].kind = OW_SUP_CELL_NULL;
            } else if (ow_col_is_int(st, i)) {
                cells[i].kind = OW_SUP_CELL_INT;
                cells[i].i = ow_col_int64(st, i);
            } else {
                cells[i].kind = OW_SUP_CELL_TEXT;
                cells[i].s = ow_db_text(st, i);
                cells[i].i = ow_col_int64(st, i);
            }
        }
        if ((out = fn(arg, cells, n))) break;
    }
    return walked(db, st, rc, out, "supervision list", e);
}

/* ---- daily digests ---- */

int ow_supervision_store_digests_on(ow_db *db, int32_t day, int *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*) FROM supervision_digests WHERE day = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, day);
    *n = ow_step(st) == OW_ROW ? ow_col_int(st, 0) : 0;
    ow_reset(st);
    ow_clear_bindings(st);
    return OW_OK;
}

int ow_supervision_store_digest_insert(ow_db *db, int64_t org_id, int32_t day, int64_t made_at,
                                       const char *body, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO supervision_digests (org_id, day, made_at, body)"
                             " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int(st, 2, day);
    ow_bind_int64(st, 3, made_at);
    ow_bind_text(st, 4, body);
    return done(db, st, "digest insert", e);
}

int ow_supervision_store_digest_get(ow_db *db, int64_t org_id, int32_t day, ow_arena *a,
                                    int64_t *made_at, bool *made_at_null, const char **body,
                                    bool *found, ow_err *e) {
    *found = false;
    ow_stmt *st = ow_db_stmt(
        db, "SELECT made_at, body FROM supervision_digests WHERE org_id = ? AND day = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int(st, 2, day);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *found = true;
        *made_at = ow_col_int64(st, 0);
        *made_at_null = ow_col_null(st, 0);
        *body = ow_strdup(a, ow_db_text(st, 1));
    }
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "digest get", e);
    return OW_OK;
}
