/* files_store.c — see files_store.h. */
#include "store/files_store.h"

#include <string.h>

#include "store/db.h"

static void bind_opt_id(ow_stmt *st, int i, int64_t id) {
    if (id)
        ow_bind_int64(st, i, id);
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

/* The end of a walk: fn's answer, or the database's failure. */
static int walked(ow_db *db, ow_stmt *st, int rc, int out, const char *what, ow_err *e) {
    ow_reset(st);
    ow_clear_bindings(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, what, e);
    return out;
}

int ow_files_store_blob_insert(ow_db *db, const char *sha256, int64_t size,
                               const char *content_type, int64_t at, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO blobs(sha256, size, content_type, created_at)"
                             " VALUES(?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, sha256);
    ow_bind_int64(st, 2, size);
    ow_bind_text(st, 3, content_type);
    ow_bind_int64(st, 4, at);
    return done(db, st, "blob insert", e);
}

int ow_files_store_blob_known(ow_db *db, const char *sha256, bool *known, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT 1 FROM blobs WHERE sha256 = ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, sha256);
    int rc = ow_step(st);
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "blob lookup", e);
    *known = rc == OW_ROW;
    return OW_OK;
}

int ow_files_store_each_blob(ow_db *db, int (*fn)(void *arg, const char *sha256, int64_t size),
                             void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT sha256, size FROM blobs", e);
    if (!st) return OW_EDB;
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_db_text(st, 0), ow_col_int64(st, 1)))) break;
    return walked(db, st, rc, out, "blobs", e);
}

int ow_files_store_material_insert(ow_db *db, const ow_material_row *r, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO case_materials(case_id, material, source, sha256, filename, content_type,"
        " size, license_id, from_material_id, holder_idx, uploaded_by, created_at)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, r->case_id);
    ow_bind_text(st, 2, r->material);
    ow_bind_text(st, 3, r->source);
    ow_bind_text(st, 4, r->sha256); /* NULL binds NULL */
    ow_bind_text(st, 5, r->filename ? r->filename : "");
    ow_bind_text(st, 6, r->content_type ? r->content_type : "");
    ow_bind_int64(st, 7, r->size);
    bind_opt_id(st, 8, r->license_id);
    bind_opt_id(st, 9, r->from_material_id);
    ow_bind_text(st, 10, r->holder_idx);
    bind_opt_id(st, 11, r->uploaded_by);
    ow_bind_int64(st, 12, r->created_at);
    int rc = done(db, st, "material insert", e);
    if (!rc) *id = ow_db_last_id(db);
    return rc;
}

int ow_files_store_case_materials(ow_db *db, int64_t case_id,
                                  int (*fn)(void *arg, const ow_material_row *r), void *arg,
                                  ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT m.id, m.material, m.source, coalesce(m.sha256, ''), m.filename, m.content_type,"
        " m.size, coalesce(m.license_id, 0), coalesce(m.from_material_id, 0), m.created_at,"
        " coalesce(l.type, ''), coalesce(l.number, ''), coalesce(l.issuer, '')"
        " FROM case_materials m LEFT JOIN licenses l ON l.id = m.license_id"
        " WHERE m.case_id = ? ORDER BY m.id",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_material_row r = {
            .id = ow_col_int64(st, 0),
            .case_id = case_id,
            .material = ow_db_text(st, 1),
            .source = ow_db_text(st, 2),
            .sha256 = ow_db_text(st, 3),
            .filename = ow_db_text(st, 4),
            .content_type = ow_db_text(st, 5),
            .size = ow_col_int64(st, 6),
            .license_id = ow_col_int64(st, 7),
            .from_material_id = ow_col_int64(st, 8),
            .created_at = ow_col_int64(st, 9),
            .license_type = ow_db_text(st, 10),
            .license_number = ow_db_text(st, 11),
            .license_issuer = ow_db_text(st, 12),
        };
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "case materials", e);
}

int ow_files_store_case_bytes(ow_db *db, int64_t case_id, int64_t *bytes, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT coalesce(sum(size), 0) FROM case_materials WHERE case_id = ? AND source = 'upload'",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) *bytes = ow_col_int64(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "case bytes", e);
}

int ow_files_store_case_accepted(ow_db *db, int64_t case_id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE case_materials SET accepted = 1 WHERE case_id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    return done(db, st, "materials accepted", e);
}

int ow_files_store_reusable(ow_db *db, const char *holder_idx, const char *material,
                            int (*fn)(void *arg, const ow_material_row *r), void *arg, ow_err *e) {
    /* one entry per (material, content): the newest acceptance of it */
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT m.id, m.material, m.sha256, m.filename, m.content_type, m.size, m.created_at"
        " FROM case_materials m WHERE m.id IN (SELECT max(id) FROM case_materials"
        " WHERE holder_idx = ?1 AND accepted = 1 AND source <> 'license'"
        " AND (?2 IS NULL OR material = ?2) GROUP BY material, sha256)"
        " ORDER BY m.created_at DESC, m.id DESC LIMIT 200",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, holder_idx);
    ow_bind_text(st, 2, material); /* NULL binds NULL */
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_material_row r = {
            .id = ow_col_int64(st, 0),
            .material = ow_db_text(st, 1),
            .sha256 = ow_db_text(st, 2),
            .filename = ow_db_text(st, 3),
            .content_type = ow_db_text(st, 4),
            .size = ow_col_int64(st, 5),
            .created_at = ow_col_int64(st, 6),
        };
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "reusable materials", e);
}

int ow_files_store_reusable_get(ow_db *db, int64_t id, const char *holder_idx, ow_arena *a,
                                ow_material_row *out, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT material, sha256, filename, content_type, size FROM case_materials"
                   " WHERE id = ? AND holder_idx = ? AND accepted = 1 AND source <> 'license'",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, holder_idx);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        memset(out, 0, sizeof *out);
        out->id = id;
        out->material = ow_strdup(a, ow_db_text(st, 0));
        out->sha256 = ow_strdup(a, ow_db_text(st, 1));
        out->filename = ow_strdup(a, ow_db_text(st, 2));
        out->content_type = ow_strdup(a, ow_db_text(st, 3));
        out->size = ow_col_int64(st, 4);
    }
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE)
        return ow_err_set(e, OW_ENOTFOUND, "wallet_material_id", "卡包中没有这份材料");
    if (rc != OW_ROW) return ow_db_fail(db, "reusable material", e);
    return OW_OK;
}
