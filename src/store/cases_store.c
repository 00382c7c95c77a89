/* cases_store.c — see cases_store.h. */
#include "store/cases_store.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/workdays.h"
#include "store/db.h"
#include "store/rows.h"

#define CASE_COLS                                                                                  \
    "id, case_no, item_id, item_version, item_code, item_name, item_type, dept_id,"                \
    " applicant_kind, applicant_user_id, applicant_name, id_number_enc, id_masked,"                \
    " mobile_masked, address, channel, intake_org_id, intake_scope_id, filed_by, title,"           \
    " materials, supplement_names, state, submitted_at, received_date, accepted_date,"             \
    " clock_start, deemed_accepted, decided_date, concluded_at, committed_days,"                   \
    " statutory_days, due_committed, due_statutory, due_date, result, delivery_method,"            \
    " tracking_no, updated_at, applicant_idx, extended_days, step_seq, step_name, route,"          \
    " id_override"

/* The first eleven columns, which the whole row (CASE_COLS) and a queue's (Q_COLS) share:
 * id … applicant_name. */
static void row_head(ow_arena *a, ow_stmt *st, ow_case_row *c) {
    memset(c, 0, sizeof *c);
    c->id = ow_col_int64(st, 0);
    snprintf(c->case_no, sizeof c->case_no, "%s", ow_db_text(st, 1));
    c->item_id = ow_col_int64(st, 2);
    c->item_version = ow_col_int(st, 3);
    c->item_code = ow_rows_dupe(a, st, 4);
    c->item_name = ow_rows_dupe(a, st, 5);
    c->item_type = ow_rows_dupe(a, st, 6);
    c->dept_id = ow_col_int64(st, 7);
    snprintf(c->applicant_kind, sizeof c->applicant_kind, "%s", ow_db_text(st, 8));
    c->applicant_user_id = ow_col_int64(st, 9);
    c->applicant_name = ow_rows_dupe(a, st, 10);
}

static void row_from(ow_arena *a, ow_stmt *st, ow_case_row *c) {
    row_head(a, st, c);
    c->id_enc = ow_rows_dupe(a, st, 11);
    c->id_masked = ow_rows_dupe(a, st, 12);
    c->mobile_masked = ow_rows_dupe(a, st, 13);
    c->address = ow_rows_dupe(a, st, 14);
    snprintf(c->channel, sizeof c->channel, "%s", ow_db_text(st, 15));
    c->intake_org_id = ow_col_int64(st, 16);
    c->intake_scope_id = ow_col_int64(st, 17);
    c->filed_by = ow_col_int64(st, 18);
    c->title = ow_rows_dupe(a, st, 19);
    c->materials = ow_rows_dupe(a, st, 20);
    c->supplement_names = ow_col_null(st, 21) ? NULL : ow_rows_dupe(a, st, 21);
    snprintf(c->state, sizeof c->state, "%s", ow_db_text(st, 22));
    c->submitted_at = ow_col_int64(st, 23);
    c->received_date = ow_rows_daynum(st, 24);
    c->accepted_date = ow_rows_daynum(st, 25);
    c->clock_start = ow_rows_daynum(st, 26);
    c->deemed_accepted = ow_col_int(st, 27) != 0;
    c->decided_date = ow_rows_daynum(st, 28);
    c->concluded_at = ow_col_int64(st, 29);
    c->committed_days = ow_col_int(st, 30);
    c->statutory_days = ow_col_int(st, 31);
    c->due_committed = ow_rows_daynum(st, 32);
    c->due_statutory = ow_rows_daynum(st, 33);
    c->due_date = ow_rows_daynum(st, 34);
    c->result = ow_rows_dupe(a, st, 35);
    c->delivery_method = ow_rows_dupe(a, st, 36);
    c->tracking_no = ow_rows_dupe(a, st, 37);
    c->updated_at = ow_col_int64(st, 38);
    c->applicant_idx = ow_rows_dupe(a, st, 39);
    c->extended_days = ow_col_int(st, 40);
    c->step_seq = ow_col_int(st, 41);
    c->step_name = ow_rows_dupe(a, st, 42);
    c->route = ow_col_null(st, 43) ? NULL : ow_rows_dupe(a, st, 43);
    c->id_override = ow_col_null(st, 44) ? NULL : ow_rows_dupe(a, st, 44);
}

int ow_cases_store_get(ow_db *db, ow_arena *a, int64_t id, const char *case_no, ow_case_row *c,
                       bool *found, ow_err *e) {
    *found = false;
    ow_stmt *st = ow_db_stmt(db,
                             case_no ? "SELECT " CASE_COLS " FROM cases WHERE case_no = ?"
                                     : "SELECT " CASE_COLS " FROM cases WHERE id = ?",
                             e);
    if (!st) return OW_EDB;
    if (case_no)
        ow_bind_text(st, 1, case_no);
    else
        ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        row_from(a, st, c);
        *found = true;
    }
    int out = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "case load", e);
    ow_reset(st);
    return out;
}

static void bind_opt_nonempty(ow_stmt *st, int i, const char *s) {
    ow_rows_bind_opt_text(st, i, s && *s ? s : NULL);
}

int ow_cases_store_update(ow_db *db, const ow_case_row *c, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "UPDATE cases SET dept_id = ?, materials = ?, supplement_names = ?, state = ?,"
        " accepted_date = ?, clock_start = ?, deemed_accepted = ?, decided_date = ?,"
        " concluded_at = ?, due_committed = ?, due_statutory = ?, due_date = ?, result = ?,"
        " delivery_method = ?, tracking_no = ?, updated_at = ?, extended_days = ?,"
        " step_seq = ?, step_name = ?, route = ? WHERE id = ?",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, c->dept_id);
    ow_bind_text_ref(st, 2, c->materials);
    ow_rows_bind_opt_text(st, 3, c->supplement_names);
    ow_bind_text_ref(st, 4, c->state);
    ow_rows_bind_daynum(st, 5, c->accepted_date);
    ow_rows_bind_daynum(st, 6, c->clock_start);
    ow_bind_int(st, 7, c->deemed_accepted);
    ow_rows_bind_daynum(st, 8, c->decided_date);
    ow_rows_bind_opt_id(st, 9, c->concluded_at);
    ow_rows_bind_daynum(st, 10, c->due_committed);
    ow_rows_bind_daynum(st, 11, c->due_statutory);
    ow_rows_bind_daynum(st, 12, c->due_date);
    ow_bind_text_ref(st, 13, c->result);
    bind_opt_nonempty(st, 14, c->delivery_method);
    bind_opt_nonempty(st, 15, c->tracking_no);
    ow_bind_int64(st, 16, c->updated_at);
    ow_bind_int(st, 17, c->extended_days);
    ow_bind_int(st, 18, c->step_seq);
    ow_bind_text_ref(st, 19, c->step_name ? c->step_name : "");
    ow_rows_bind_opt_text(st, 20, c->route);
    ow_bind_int64(st, 21, c->id);
    return ow_rows_done(db, st, "case update", e);
}

int ow_cases_store_insert(ow_db *db, const ow_case_row *c, const ow_case_sealed *sl, int64_t *id,
                          ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO cases(case_no, item_id, item_version, item_code, item_name, item_type,"
        " dept_id, applicant_kind, applicant_idx, applicant_user_id, applicant_name,"
        " id_number_enc, id_masked, mobile_enc, mobile_masked, address, channel, intake_org_id,"
        " intake_scope_id, filed_by, idem_key, title, materials, state, submitted_at,"
        " received_date, committed_days, statutory_days, due_date, updated_at)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        e);
    if (!st) return OW_EDB;
    int i = 1;
    ow_bind_text_ref(st, i++, c->case_no);
    ow_bind_int64(st, i++, c->item_id);
    ow_bind_int(st, i++, c->item_version);
    ow_bind_text_ref(st, i++, c->item_code);
    ow_bind_text_ref(st, i++, c->item_name);
    ow_bind_text_ref(st, i++, c->item_type);
    ow_bind_int64(st, i++, c->dept_id);
    ow_bind_text_ref(st, i++, c->applicant_kind);
    ow_bind_text_ref(st, i++, c->applicant_idx);
    ow_rows_bind_opt_id(st, i++, c->applicant_user_id);
    ow_bind_text_ref(st, i++, c->applicant_name);
    ow_bind_text_ref(st, i++, sl->id_enc);
    ow_bind_text_ref(st, i++, c->id_masked);
    ow_rows_bind_opt_text(st, i++, sl->mobile_enc);
    ow_bind_text_ref(st, i++, sl->mobile_masked);
    ow_bind_text_ref(st, i++, c->address);
    ow_bind_text_ref(st, i++, c->channel);
    ow_bind_int64(st, i++, c->intake_org_id);
    ow_bind_int64(st, i++, c->intake_scope_id);
    ow_rows_bind_opt_id(st, i++, c->filed_by);
    ow_rows_bind_opt_text(st, i++, sl->idem_key);
    ow_bind_text_ref(st, i++, c->title);
    ow_bind_text_ref(st, i++, c->materials);
    ow_bind_text_ref(st, i++, c->state);
    ow_bind_int64(st, i++, c->submitted_at);
    ow_bind_int64(st, i++, c->received_date);
    ow_bind_int(st, i++, c->committed_days);
    ow_bind_int(st, i++, c->statutory_days);
    ow_rows_bind_daynum(st, i++, c->due_date);
    ow_bind_int64(st, i++, c->updated_at);
    return ow_rows_insert(db, st, id, "case insert", e);
}

int ow_cases_store_next_no(ow_db *db, const char *day, int64_t *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO case_seq(day, n) VALUES(?, 1)"
                             " ON CONFLICT(day) DO UPDATE SET n = case_seq.n + 1 RETURNING n",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, day);
    int rc = ow_step(st);
    *n = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    if (rc == OW_ROW) rc = ow_step(st);
    int out = rc == OW_DONE && *n ? OW_OK : ow_db_fail(db, "case number", e);
    ow_reset(st);
    return out;
}

int ow_cases_store_find_idem(ow_db *db, int64_t filer, const char *key, int64_t *id, int64_t *item,
                             ow_err *e) {
    *id = 0;
    ow_stmt *st =
        ow_db_stmt(db, "SELECT id, item_id FROM cases WHERE filed_by = ? AND idem_key = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, filer);
    ow_bind_text(st, 2, key);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *id = ow_col_int64(st, 0);
        *item = ow_col_int64(st, 1);
    }
    int out = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "idempotency", e);
    ow_reset(st);
    return out;
}

int ow_cases_store_set_id_override(ow_db *db, int64_t id, const char *override, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE cases SET id_override = ? WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, override);
    ow_bind_int64(st, 2, id);
    return ow_rows_done(db, st, "case override", e);
}

int ow_cases_store_open_batch(ow_db *db, ow_arena *a, int64_t after, ow_case_row *rows, int max,
                              int *n, ow_err *e) {
    *n = 0;
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT " CASE_COLS " FROM cases WHERE state IN"
                             " ('submitted', 'supplement', 'review', 'suspended', 'approved')"
                             " AND id > ? ORDER BY id LIMIT 500",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, after);
    int rc = OW_DONE;
    while (*n < max && (rc = ow_step(st)) == OW_ROW)
        row_from(a, st, &rows[(*n)++]);
    int out = *n == max || rc == OW_DONE ? OW_OK : ow_db_fail(db, "recompute", e);
    ow_reset(st);
    return out;
}

int ow_cases_store_set_due(ow_db *db, int64_t id, int32_t due_committed, int32_t due_statutory,
                           int32_t due_date, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE cases SET due_committed = ?, due_statutory = ?,"
                             " due_date = ? WHERE id = ?",
                             e);
    if (!st) return OW_EDB;
    ow_rows_bind_daynum(st, 1, due_committed);
    ow_rows_bind_daynum(st, 2, due_statutory);
    ow_rows_bind_daynum(st, 3, due_date);
    ow_bind_int64(st, 4, id);
    return ow_rows_done(db, st, "recompute", e);
}

/* ======================= pauses ======================= */

int ow_cases_store_pauses(ow_db *db, ow_arena *a, int64_t id, ow_cal_pause **out, size_t *n,
                          ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT start_date, end_date FROM case_pauses WHERE case_id = ? ORDER BY seq", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    size_t cap = 4, k = 0;
    ow_cal_pause *p = ow_alloc(a, cap * sizeof *p);
    int rc;
    while ((rc = ow_step(st)) == OW_ROW) {
        if (k == cap) {
            ow_cal_pause *q = ow_alloc(a, 2 * cap * sizeof *q);
            memcpy(q, p, k * sizeof *p);
            p = q;
            cap *= 2;
        }
        p[k].start = (int32_t)ow_col_int64(st, 0);
        p[k].end = ow_rows_daynum(st, 1);
        k++;
    }
    int ret = rc == OW_DONE ? OW_OK : ow_db_fail(db, "case pauses", e);
    ow_reset(st);
    if (ret) return ret;
    *out = p;
    *n = k;
    return OW_OK;
}

int ow_cases_store_pause_open(ow_db *db, int64_t id, const char *kind, int32_t day, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO case_pauses(case_id, seq, kind, start_date) VALUES(?1,"
        " (SELECT coalesce(max(seq), 0) + 1 FROM case_pauses WHERE case_id = ?1), ?2, ?3)",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text_ref(st, 2, kind);
    ow_bind_int64(st, 3, day);
    return ow_rows_done(db, st, "pause open", e);
}

int ow_cases_store_pause_close(ow_db *db, int64_t id, int32_t day, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE case_pauses SET end_date = CASE WHEN start_date > ?2 THEN "
                             "start_date ELSE ?2 END WHERE case_id "
                             "= ?1 AND end_date IS NULL",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, day);
    return ow_rows_done(db, st, "pause close", e);
}

int ow_cases_store_set_materials(ow_db *db, int64_t id, const char *materials, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE cases SET materials = ? WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, materials);
    ow_bind_int64(st, 2, id);
    return ow_rows_done(db, st, "case materials", e);
}

/* ======================= history ======================= */

int ow_cases_store_add_event(ow_db *db, const ow_case_event_new *ev, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO case_events(case_id, seq, at, actor_id, actor_name, actor_role, actor_org,"
        " action, from_state, to_state, comment, detail) VALUES(?1,"
        " (SELECT coalesce(max(seq), 0) + 1 FROM case_events WHERE case_id = ?1),"
        " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, ev->case_id);
    ow_bind_int64(st, 2, ev->at);
    ow_rows_bind_opt_id(st, 3, ev->actor_id);
    ow_bind_text(st, 4, ev->actor_name);
    ow_bind_text(st, 5, ev->actor_role);
    ow_bind_text(st, 6, ev->actor_org);
    ow_bind_text_ref(st, 7, ev->action);
    ow_bind_text(st, 8, ev->from_state);
    ow_bind_text(st, 9, ev->to_state);
    ow_bind_text(st, 10, ev->comment);
    ow_bind_text(st, 11, ev->detail);
    return ow_rows_done(db, st, "case event", e);
}

int ow_cases_store_acted(ow_db *db, int64_t case_id, int64_t user_id, bool *acted, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "SELECT 1 FROM case_events WHERE case_id = ? AND actor_id = ? LIMIT 1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_int64(st, 2, user_id);
    int rc = ow_step(st);
    *acted = rc == OW_ROW;
    int out = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "case actors", e);
    ow_reset(st);
    return out;
}

int ow_cases_store_each_event(ow_db *db, int64_t id,
                              int (*fn)(void *arg, const ow_case_event_row *r), void *arg,
                              ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT seq, at, actor_name, actor_role, actor_org, action,"
                             " from_state, to_state, comment, detail FROM case_events"
                             " WHERE case_id = ? ORDER BY seq",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_case_event_row r = {.seq = ow_col_int(st, 0),
                               .at = ow_col_int64(st, 1),
                               .actor_name = ow_db_text(st, 2),
                               .actor_role = ow_db_text(st, 3),
                               .actor_org = ow_db_text(st, 4),
                               .action = ow_db_text(st, 5),
                               .from_state = ow_db_text(st, 6),
                               .to_state = ow_db_text(st, 7),
                               .comment = ow_db_text(st, 8),
                               .detail = ow_db_text(st, 9)};
        if ((out = fn(arg, &r))) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "case timeline", e);
    ow_reset(st);
    return out;
}

/* ======================= queues ======================= */

/* ?1 scope, ?2..?4 states, ?5 item, ?6 channel, ?7 applicant name (or the case number
 * prefix, ?13: the same with LIKE's % and _ escaped, so they are not wildcards),
 * ?8/?9 due date bounds, ?10 limit, ?11 offset.  One statement per queue, each with its
 * scope column and its states spelled out, so the planner answers it from that queue's
 * index (cases_dept, cases_intake, …) even on a million cases; the optional filters only
 * narrow what the index found. */
#define Q_FILTERS                                                                                  \
    " AND (?5 IS NULL OR item_id = ?5) AND (?6 IS NULL OR channel = ?6)"                           \
    " AND (?7 IS NULL OR case_no LIKE ?13 || '%' ESCAPE '\\' OR applicant_name = ?7)"              \
    " AND (?8 IS NULL OR due_date >= ?8) AND (?9 IS NULL OR due_date <= ?9)"
/* the queue column names the queue's states; a state filter narrows within it */
#define Q_STATES " AND queue = ?12 AND (?2 IS NULL OR state IN (?2, ?3, ?4))"
#define Q_ANY_STATE " AND (?2 IS NULL OR state IN (?2, ?3, ?4))"
#define Q_BY_DUE " ORDER BY due_sort, id"
#define Q_BY_NEW " ORDER BY id DESC"
#define Q_PAGE " LIMIT ?10 OFFSET ?11"
#define Q_COLS                                                                                     \
    "id, case_no, item_id, item_version, item_code, item_name, item_type, dept_id,"                \
    " applicant_kind, applicant_user_id, applicant_name, id_masked, channel, intake_org_id,"       \
    " state, submitted_at, received_date, decided_date, committed_days, statutory_days,"           \
    " due_committed, due_statutory, due_date, result, clock_start, extended_days, step_name"

typedef struct queue_sql {
    const char *count, *list;
} queue_sql;

/* The page is chosen from the index alone (id and due_date are in it), then only its rows
 * are read: sorting a department's thousands of open cases by whole rows is what would
 * cost, not finding them. */
#define QUEUE(where, order)                                                                        \
    {                                                                                              \
        "SELECT count(*) FROM cases WHERE " where Q_FILTERS,                                       \
            "SELECT " Q_COLS                                                                       \
            " FROM cases WHERE id IN (SELECT id FROM cases WHERE " where Q_FILTERS order Q_PAGE    \
            ")" order                                                                              \
    }

/* by ow_case_queue_kind */
static const queue_sql QUEUES[] = {
    QUEUE("intake_scope_id = ?1" Q_STATES, Q_BY_DUE),
    QUEUE("intake_org_id = ?1" Q_ANY_STATE, Q_BY_DUE),
    QUEUE("dept_id = ?1" Q_STATES, Q_BY_DUE),
    QUEUE("applicant_user_id = ?1" Q_ANY_STATE, Q_BY_NEW),
    QUEUE("?1 = ?1" Q_ANY_STATE, Q_BY_NEW),
};

static void bind_filter(ow_stmt *st, ow_arena *a, const ow_case_queue_filter *f) {
    ow_bind_int64(st, 1, f->owner);
    if (f->state)
        for (int i = 2; i <= 4; i++)
            ow_bind_text_ref(st, i, f->state);
    if (f->kind == OW_CASE_Q_SCOPE || f->kind == OW_CASE_Q_DEPT) ow_bind_text_ref(st, 12, f->queue);
    if (f->item_id > 0) ow_bind_int64(st, 5, f->item_id);
    if (f->channel) ow_bind_text_ref(st, 6, f->channel);
    if (f->q) {
        ow_bind_text_ref(st, 7, f->q);
        ow_bind_text_ref(st, 13, ow_like_escape(a, f->q));
    }
    if (f->due_from != OW_DATE_NONE) ow_bind_int64(st, 8, f->due_from);
    if (f->due_to != OW_DATE_NONE) ow_bind_int64(st, 9, f->due_to);
}

int ow_cases_store_queue_total(ow_db *db, ow_arena *a, const ow_case_queue_filter *f,
                               int64_t *total, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, QUEUES[f->kind].count, e);
    if (!st) return OW_EDB;
    bind_filter(st, a, f);
    int rc = ow_step(st);
    if (rc == OW_ROW) *total = ow_col_int64(st, 0);
    int out = rc == OW_ROW ? OW_OK : ow_db_fail(db, "case count", e);
    ow_reset(st);
    ow_clear_bindings(st);
    return out;
}

int ow_cases_store_queue_size(ow_db *db, const char *kind, int64_t org_id, const char *queue,
                              int64_t *total, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT coalesce((SELECT n FROM case_queue_counts"
                             " WHERE kind = ? AND org_id = ? AND queue = ?), 0)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text_ref(st, 1, kind);
    ow_bind_int64(st, 2, org_id);
    ow_bind_text_ref(st, 3, queue);
    int rc = ow_step(st);
    if (rc == OW_ROW) *total = ow_col_int64(st, 0);
    int out = rc == OW_ROW ? OW_OK : ow_db_fail(db, "queue count", e);
    ow_reset(st);
    return out;
}

static void list_row(ow_arena *a, ow_stmt *st, ow_case_row *c) {
    row_head(a, st, c);
    c->id_masked = ow_rows_dupe(a, st, 11);
    snprintf(c->channel, sizeof c->channel, "%s", ow_db_text(st, 12));
    c->intake_org_id = ow_col_int64(st, 13);
    snprintf(c->state, sizeof c->state, "%s", ow_db_text(st, 14));
    c->submitted_at = ow_col_int64(st, 15);
    c->received_date = ow_rows_daynum(st, 16);
    c->decided_date = ow_rows_daynum(st, 17);
    c->committed_days = ow_col_int(st, 18);
    c->statutory_days = ow_col_int(st, 19);
    c->due_committed = ow_rows_daynum(st, 20);
    c->due_statutory = ow_rows_daynum(st, 21);
    c->due_date = ow_rows_daynum(st, 22);
    c->result = ow_rows_dupe(a, st, 23);
    c->clock_start = ow_rows_daynum(st, 24);
    c->extended_days = ow_col_int(st, 25);
    c->step_name = ow_rows_dupe(a, st, 26);
    c->materials = "[]";
    c->delivery_method = c->tracking_no = "";
}

int ow_cases_store_queue_page(ow_db *db, ow_arena *a, const ow_case_queue_filter *f, int limit,
                              int64_t offset, int (*fn)(void *arg, const ow_case_row *c), void *arg,
                              ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, QUEUES[f->kind].list, e);
    if (!st) return OW_EDB;
    bind_filter(st, a, f);
    ow_bind_int(st, 10, limit);
    ow_bind_int64(st, 11, offset);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_case_row c;
        list_row(a, st, &c);
        if ((out = fn(arg, &c))) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "case list", e);
    ow_reset(st);
    ow_clear_bindings(st);
    return out;
}

int ow_cases_store_applicant_last(ow_db *db, ow_arena *a, const char *applicant_idx,
                                  ow_case_applicant_last *out, bool *found, ow_err *e) {
    *found = false;
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT applicant_name, mobile_enc, address, case_no, applicant_kind"
                             " FROM cases WHERE applicant_idx = ? ORDER BY id DESC LIMIT 1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, applicant_idx);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *found = true;
        *out = (ow_case_applicant_last){.name = ow_rows_dupe(a, st, 0),
                                        .mobile_enc = ow_rows_dup(a, st, 1),
                                        .address = ow_rows_dupe(a, st, 2),
                                        .case_no = ow_rows_dupe(a, st, 3)};
    }
    int ret = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "applicant profile", e);
    ow_reset(st);
    return ret;
}
