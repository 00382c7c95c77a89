/* calendar_store.c — see calendar_store.h. */
#include "store/calendar_store.h"

#include <stdio.h>

#include "store/db.h"

int ow_calendar_store_each_day(ow_db *db,
                               int (*fn)(void *arg, const char *date, const char *kind,
                                         const char *name),
                               void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT date, kind, name FROM calendar ORDER BY date", e);
    if (!st) return OW_EDB;
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_db_text(st, 0), ow_db_text(st, 1), ow_db_text(st, 2)))) break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "calendar days", e);
    return out;
}

int ow_calendar_store_each_loaded_year(ow_db *db, int (*fn)(void *arg, int year), void *arg,
                                       ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT year FROM calendar_years ORDER BY year", e);
    if (!st) return OW_EDB;
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int(st, 0)))) break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "calendar years", e);
    return out;
}

static void bind_user(ow_stmt *st, int i, int64_t by_user) {
    if (by_user)
        ow_bind_int64(st, i, by_user);
    else
        ow_bind_null(st, i);
}

/* Step a statement that returns no rows, then make it ready for its next use. */
static int done(ow_db *db, ow_stmt *st, const char *what, ow_err *e) {
    int rc = ow_step(st);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, what, e);
}

int ow_calendar_store_put_day(ow_db *db, const char *date, const char *kind, const char *name,
                              int64_t at_ms, int64_t by_user, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO calendar(date, kind, name, updated_at, updated_by) VALUES(?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, name = excluded.name,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, date);
    ow_bind_text(st, 2, kind);
    ow_bind_text(st, 3, name ? name : "");
    ow_bind_int64(st, 4, at_ms);
    bind_user(st, 5, by_user);
    return done(db, st, "calendar day", e);
}

int ow_calendar_store_clear_year(ow_db *db, int year, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "DELETE FROM calendar WHERE date >= ?1 AND date <= ?2", e);
    if (!st) return OW_EDB;
    char lo[16], hi[16];
    snprintf(lo, sizeof lo, "%04d-01-01", year);
    snprintf(hi, sizeof hi, "%04d-12-31", year);
    ow_bind_text(st, 1, lo);
    ow_bind_text(st, 2, hi);
    return done(db, st, "calendar year's days", e);
}

int ow_calendar_store_mark_loaded(ow_db *db, int year, int days, int64_t at_ms, int64_t by_user,
                                  ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO calendar_years(year, days, loaded_at, loaded_by) VALUES(?1, ?2, ?3, ?4)"
        " ON CONFLICT(year) DO UPDATE SET days = excluded.days, loaded_at = excluded.loaded_at,"
        " loaded_by = excluded.loaded_by",
        e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, year);
    ow_bind_int(st, 2, days);
    ow_bind_int64(st, 3, at_ms);
    bind_user(st, 4, by_user);
    return done(db, st, "calendar year", e);
}

int ow_calendar_store_signature(ow_db *db, char *out, size_t out_size, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT (SELECT count(*) FROM calendar), (SELECT coalesce(max(updated_at), 0) FROM"
        " calendar), (SELECT coalesce(sum(updated_at), 0) FROM calendar),"
        " (SELECT count(*) FROM calendar_years), (SELECT coalesce(sum(loaded_at), 0) FROM"
        " calendar_years)",
        e);
    if (!st) return OW_EDB;
    int rc = ow_step(st);
    if (rc == OW_ROW)
        snprintf(out, out_size, "%s/%s/%s/%s/%s", ow_db_text(st, 0), ow_db_text(st, 1),
                 ow_db_text(st, 2), ow_db_text(st, 3), ow_db_text(st, 4));
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "calendar signature", e);
}
