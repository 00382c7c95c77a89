/* inspection_store.c — see inspection_store.h. */
#include "store/inspection_store.h"

#include <string.h>

#include "store/db.h"

static const char *dup(ow_arena *a, ow_stmt *st, int i) {
    const char *s = ow_col_text(st, i);
    return s ? ow_strdup(a, s) : NULL;
}
static const char *dupe(ow_arena *a, ow_stmt *st, int i) {
    return ow_strdup(a, ow_db_text(st, i));
}

static int walked(ow_db *db, ow_stmt *st, int rc, int out, const char *what, ow_err *e) {
    ow_reset(st);
    ow_clear_bindings(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, what, e);
    return out;
}

int ow_inspection_store_units(ow_db *db, ow_arena *a,
                              int (*fn)(void *arg, int64_t id, const char *name, const char *kind),
                              void *arg, ow_err *e) {
    (void)a;
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT id, name, kind FROM orgs WHERE kind IN ('department', 'township')"
                   " AND active = 1 ORDER BY kind, sort, id",
                   e);
    if (!st) return OW_EDB;
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_db_text(st, 1), ow_db_text(st, 2)))) break;
    return walked(db, st, rc, out, "units", e);
}

int ow_inspection_store_publications(ow_db *db, const char *from, const char *to,
                                     int (*fn)(void *arg, int64_t org_id, int month,
                                               const char *column, int n),
                                     void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT org_id, CAST(substr(published_date, 6, 2) AS INTEGER), column_code, count(*)"
        " FROM publications WHERE state = 'published' AND published_date BETWEEN ?1 AND ?2"
        " GROUP BY org_id, CAST(substr(published_date, 6, 2) AS INTEGER), column_code",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, from);
    ow_bind_text(st, 2, to);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_col_int(st, 1), ow_db_text(st, 2),
                      ow_col_int(st, 3))))
            break;
    return walked(db, st, rc, out, "unit stats", e);
}

int ow_inspection_store_insert(ow_db *db, const ow_inspection_row *r, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO disclosure_inspections(org_id, kind, title, follows_id, year, quarter,"
        " inspected_date, rating, findings, rectify_by, result, inspector, created_at, updated_at)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13) RETURNING id",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, r->org_id);
    ow_bind_text(st, 2, r->kind);
    ow_bind_text(st, 3, r->title ? r->title : "");
    if (r->follows_id)
        ow_bind_int64(st, 4, r->follows_id);
    else
        ow_bind_null(st, 4);
    ow_bind_int(st, 5, r->year);
    ow_bind_int(st, 6, r->quarter);
    ow_bind_text(st, 7, r->inspected_date);
    ow_bind_text(st, 8, r->rating);
    ow_bind_text(st, 9, r->findings);
    ow_bind_text(st, 10, r->rectify_by);
    ow_bind_text(st, 11, r->result);
    ow_bind_text(st, 12, r->inspector);
    ow_bind_int64(st, 13, r->created_at);
    int rc = ow_step(st);
    if (rc == OW_ROW) *id = ow_col_int64(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "inspection insert", e);
}

#define COLS                                                                                       \
    "SELECT i.id, i.org_id, coalesce(i.follows_id, 0), o.name, i.kind, i.title, i.inspected_date," \
    " i.rating, i.findings, i.rectify_by, i.rectified_date, i.rectification_note, i.result,"       \
    " i.inspector, i.year, i.quarter, i.created_at, i.updated_at"                                  \
    " FROM disclosure_inspections i JOIN orgs o ON o.id = i.org_id"

static void row(ow_stmt *st, ow_arena *a, ow_inspection_row *r) {
    r->id = ow_col_int64(st, 0);
    r->org_id = ow_col_int64(st, 1);
    r->follows_id = ow_col_int64(st, 2);
    r->org_name = dupe(a, st, 3);
    r->kind = dupe(a, st, 4);
    r->title = dupe(a, st, 5);
    r->inspected_date = dup(a, st, 6);
    r->rating = dupe(a, st, 7);
    r->findings = dupe(a, st, 8);
    r->rectify_by = dup(a, st, 9);
    r->rectified_date = dup(a, st, 10);
    r->rectification_note = dupe(a, st, 11);
    r->result = dup(a, st, 12);
    r->inspector = dupe(a, st, 13);
    r->year = ow_col_int(st, 14);
    r->quarter = ow_col_int(st, 15);
    r->created_at = ow_col_int64(st, 16);
    r->updated_at = ow_col_int64(st, 17);
}

int ow_inspection_store_get(ow_db *db, int64_t id, ow_arena *a, ow_inspection_row *out, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, COLS " WHERE i.id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) row(st, a, out);
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "id", "督查记录不存在");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "inspection", e);
}

int ow_inspection_store_rectify(ow_db *db, int64_t id, const char *date, const char *note,
                                int64_t now, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "UPDATE disclosure_inspections SET rectified_date = ?1,"
                   " rectification_note = coalesce(?2, ''), updated_at = ?3 WHERE id = ?4",
                   e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, date);
    ow_bind_text(st, 2, note);
    ow_bind_int64(st, 3, now);
    ow_bind_int64(st, 4, id);
    int rc = ow_step(st);
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc != OW_DONE) return ow_db_fail(db, "inspection rectify", e);
    if (ow_db_changes(db) != 1) return ow_err_set(e, OW_ENOTFOUND, "id", "督查记录不存在");
    return OW_OK;
}

int ow_inspection_store_each(ow_db *db, int year, int quarter, const char *kind, int64_t org_id,
                             ow_arena *a, int (*fn)(void *arg, const ow_inspection_row *r),
                             void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             COLS " WHERE i.year = ?1 AND (?2 = 0 OR i.quarter = ?2)"
                                  " AND (?3 = '' OR i.kind = ?3) AND (?4 = 0 OR i.org_id = ?4)"
                                  " ORDER BY i.quarter, o.kind, o.sort, o.id, i.id",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, year);
    ow_bind_int(st, 2, quarter);
    ow_bind_text(st, 3, kind ? kind : "");
    ow_bind_int64(st, 4, org_id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_inspection_row r;
        row(st, a, &r);
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "inspections", e);
}
