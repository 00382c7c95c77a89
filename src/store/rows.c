/* rows.c — see rows.h. */
#include "store/rows.h"

#include "core/workdays.h"

const char *ow_rows_dup(ow_arena *a, ow_stmt *st, int i) {
    const char *s = ow_col_text(st, i);
    return s ? ow_strdup(a, s) : NULL;
}

const char *ow_rows_dupe(ow_arena *a, ow_stmt *st, int i) {
    return ow_strdup(a, ow_db_text(st, i));
}

void ow_rows_bind_opt_text(ow_stmt *st, int i, const char *s) {
    if (s)
        ow_bind_text(st, i, s);
    else
        ow_bind_null(st, i);
}

void ow_rows_bind_opt_id(ow_stmt *st, int i, int64_t id) {
    if (id > 0)
        ow_bind_int64(st, i, id);
    else
        ow_bind_null(st, i);
}

int32_t ow_rows_daynum(ow_stmt *st, int i) {
    return ow_col_null(st, i) ? OW_DATE_NONE : (int32_t)ow_col_int64(st, i);
}

void ow_rows_bind_daynum(ow_stmt *st, int i, int32_t d) {
    if (d == OW_DATE_NONE)
        ow_bind_null(st, i);
    else
        ow_bind_int64(st, i, d);
}

int ow_rows_snapshot(ow_db *db, int (*fn)(void *arg), void *arg, ow_err *e) {
    if (ow_db_in_tx(db)) return fn(arg);
    int rc = ow_db_read_begin(db, e);
    if (rc) return rc;
    return ow_db_read_end(db, fn(arg), e);
}

int32_t ow_rows_day(ow_stmt *st, int i) {
    int32_t d;
    if (ow_col_null(st, i) || ow_date_parse(ow_db_text(st, i), &d)) return OW_DATE_NONE;
    return d;
}

void ow_rows_bind_day(ow_stmt *st, int i, int32_t d) {
    if (d == OW_DATE_NONE) {
        ow_bind_null(st, i);
        return;
    }
    char s[11];
    ow_date_format(d, s);
    ow_bind_text(st, i, s);
}

/* The failure is read before the reset, while the connection still holds it. */
static int finish(ow_db *db, ow_stmt *st, int rc, const char *what, ow_err *e) {
    int out = rc == OW_DONE ? OW_OK : ow_db_fail(db, what, e);
    ow_reset(st);
    ow_clear_bindings(st);
    return out;
}

int ow_rows_done(ow_db *db, ow_stmt *st, const char *what, ow_err *e) {
    return finish(db, st, ow_step(st), what, e);
}

int ow_rows_insert(ow_db *db, ow_stmt *st, int64_t *id, const char *what, ow_err *e) {
    int rc = finish(db, st, ow_step(st), what, e);
    if (!rc) *id = ow_db_last_id(db);
    return rc;
}

int ow_rows_insert_guarded(ow_db *db, ow_stmt *st, int64_t *id, const char *what, ow_err *e) {
    int rc = finish(db, st, ow_step_guarded(st), what, e);
    if (!rc) *id = ow_db_last_id(db);
    return rc;
}

int ow_rows_each(ow_db *db, ow_stmt *st, int (*each)(ow_stmt *st, void *ctx), void *ctx,
                 const char *what, ow_err *e) {
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = each(st, ctx))) break;
    if (out) {
        ow_reset(st);
        ow_clear_bindings(st);
        return out;
    }
    return finish(db, st, rc, what, e);
}

int ow_rows_int64(ow_db *db, ow_stmt *st, int64_t *out, const char *what, ow_err *e) {
    int rc = ow_step(st);
    *out = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    return finish(db, st, rc == OW_ROW ? OW_DONE : rc, what, e);
}

int ow_rows_one_done(ow_db *db, ow_stmt *st, int rc, const char *what, ow_err *e) {
    return finish(db, st, rc == OW_ROW ? OW_DONE : rc, what, e);
}
