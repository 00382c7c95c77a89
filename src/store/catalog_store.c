/* catalog_store.c — see catalog_store.h. */
#include "store/catalog_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "store/db.h"
#include "store/rows.h"

int ow_catalog_store_public_version(ow_db *db, int64_t item_id, int *version, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT version FROM item_public WHERE item_id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, item_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) *version = ow_col_int(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "id", "事项不存在或未发布");
    if (rc != OW_ROW) return ow_db_fail(db, "guide version", e);
    return OW_OK;
}

int ow_catalog_store_item_id_by_code(ow_db *db, const char *code, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT id FROM items WHERE code = ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, code);
    *id = ow_step(st) == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    ow_clear_bindings(st);
    return OW_OK;
}

int ow_catalog_store_each_item_id(ow_db *db, const char *status, int (*fn)(void *arg, int64_t id),
                                  void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "SELECT id FROM items WHERE ?1 IS NULL OR status = ?1 ORDER BY code", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, status); /* NULL binds NULL */
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0)))) break;
    ow_reset(st);
    ow_clear_bindings(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "export", e);
    return out;
}

int ow_catalog_store_generation(ow_db *db, int64_t *gen, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT gen FROM catalog_generation WHERE id = 1", e);
    if (!st) return OW_EDB;
    int rc = ow_step(st);
    if (rc == OW_ROW) *gen = ow_col_int64(st, 0);
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "catalog generation", e);
}

static int snapshot_in_tx(ow_db *db, int (*start)(void *arg, int64_t gen, int64_t count),
                          int (*row)(void *arg, const ow_catalog_public_row *r), void *arg,
                          ow_err *e) {
    int64_t gen = 0, count = 0; /* set on OW_OK; zero only quiets -O3's maybe-uninitialized */
    int rc = ow_catalog_store_generation(db, &gen, e);
    if (rc) return rc;
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*) FROM item_public", e);
    if (!st) return OW_EDB;
    rc = ow_step(st);
    if (rc == OW_ROW) count = ow_col_int64(st, 0);
    ow_reset(st);
    if (rc != OW_ROW) return ow_db_fail(db, "catalog index", e);
    if ((rc = start(arg, gen, count))) return rc;
    st = ow_db_stmt(db,
                    "SELECT p.item_id, p.code, p.name, p.keywords, p.dept_id, p.dept_sort, p.theme,"
                    " p.type, p.target, p.modes, p.levels, s.summary"
                    " FROM item_public p LEFT JOIN item_summaries s ON s.item_id = p.item_id"
                    " ORDER BY p.dept_sort, p.code, p.item_id",
                    e);
    if (!st) return OW_EDB;
    int out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_catalog_public_row r = {
            .id = ow_col_int64(st, 0),
            .code = ow_db_text(st, 1),
            .name = ow_db_text(st, 2),
            .keywords = ow_db_text(st, 3),
            .dept_id = ow_col_int64(st, 4),
            .dept_sort = ow_col_int64(st, 5),
            .theme = ow_db_text(st, 6),
            .type = ow_db_text(st, 7),
            .target = ow_db_text(st, 8),
            .modes = ow_col_int(st, 9),
            .levels = ow_col_int(st, 10),
        };
        if (!ow_col_null(st, 11)) {
            r.summary_len = ow_col_bytes(st, 11);
            r.summary = ow_col_text(st, 11);
        }
        if ((out = row(arg, &r))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "catalog index", e);
    return out;
}

int ow_catalog_store_public_snapshot(ow_db *db, int (*start)(void *arg, int64_t gen, int64_t count),
                                     int (*row)(void *arg, const ow_catalog_public_row *r),
                                     void *arg, ow_err *e) {
    int rc = ow_db_read_begin(db, e);
    if (rc) return rc;
    rc = snapshot_in_tx(db, start, row, arg, e);
    /* a read transaction: ending it cannot lose anything; the reading's result stands */
    ow_err end = {0};
    ow_db_read_end(db, OW_OK, &end);
    return rc;
}

int ow_catalog_store_item_state(ow_db *db, int64_t id, char status[16], int *version, bool *pending,
                                bool *found, ow_err *e) {
    static const char *sql = "SELECT status, version, pending FROM items WHERE id = ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (*found) {
        const char *s = ow_col_text(st, 0);
        snprintf(status, 16, "%s", s ? s : "");
        *version = ow_col_int(st, 1);
        *pending = ow_col_int(st, 2) != 0;
    }
    return ow_rows_one_done(db, st, rc, "item state", e);
}

int ow_catalog_store_guide(ow_db *db, int64_t item_id, int version,
                           int (*fn)(void *arg, const char *text, size_t len), void *arg,
                           bool *found, ow_err *e) {
    static const char *published_sql = "SELECT v.guide FROM item_public p JOIN item_versions v "
                                       "ON v.item_id = p.item_id AND v.version = p.version "
                                       "WHERE p.item_id = ?";
    static const char *version_sql =
        "SELECT guide FROM item_versions WHERE item_id = ? AND version = ?";
    ow_stmt *st = ow_db_stmt(db, version ? version_sql : published_sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, item_id);
    if (version) ow_bind_int(st, 2, version);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    int out = OW_OK;
    if (*found) out = fn(arg, (const char *)ow_col_blob(st, 0), (size_t)ow_col_bytes(st, 0));
    int done = ow_rows_one_done(db, st, rc, "guide", e);
    return done ? done : out;
}

typedef struct versions_walk {
    void (*fn)(void *arg, int version, int64_t published_at, const char *by);
    void *arg;
} versions_walk;

static int version_row(ow_stmt *st, void *ctx) {
    versions_walk *w = ctx;
    w->fn(w->arg, ow_col_int(st, 0), ow_col_int64(st, 1), ow_col_text(st, 2));
    return 0;
}

int ow_catalog_store_versions(ow_db *db, int64_t item_id,
                              void (*fn)(void *arg, int version, int64_t published_at,
                                         const char *by),
                              void *arg, ow_err *e) {
    static const char *sql =
        "SELECT v.version, v.published_at, coalesce(u.name, '系统') FROM item_versions v "
        "LEFT JOIN users u ON u.id = v.published_by WHERE v.item_id = ? ORDER BY v.version DESC";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, item_id);
    versions_walk w = {fn, arg};
    return ow_rows_each(db, st, version_row, &w, "versions", e);
}

typedef struct coverage_walk {
    void (*fn)(void *arg, int64_t dept_id, const char *code, const char *name, const int64_t c[8]);
    void *arg;
} coverage_walk;

static int coverage_row(ow_stmt *st, void *ctx) {
    coverage_walk *w = ctx;
    int64_t c[8];
    for (int i = 0; i < 8; i++)
        c[i] = ow_col_int64(st, 3 + i);
    w->fn(w->arg, ow_col_int64(st, 0), ow_col_text(st, 1), ow_col_text(st, 2), c);
    return 0;
}

int ow_catalog_store_coverage(ow_db *db,
                              void (*fn)(void *arg, int64_t dept_id, const char *code,
                                         const char *name, const int64_t c[8]),
                              void *arg, ow_err *e) {
    static const char *sql =
        "SELECT p.dept_id, d.code, d.name, count(*), sum(p.hosted),"
        " sum(p.online_depth <> 'none'), sum(p.online_depth = 'full'), sum((p.modes & 1) <> 0),"
        " sum(p.visits <= 1), sum(p.visits = 0), sum((p.modes & 4) <> 0)"
        " FROM item_public p JOIN orgs d ON d.id = p.dept_id"
        " GROUP BY p.dept_id, d.code, d.name ORDER BY min(p.dept_sort)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    coverage_walk w = {fn, arg};
    return ow_rows_each(db, st, coverage_row, &w, "coverage", e);
}

/* Text the caller keeps alive until the step, "" for NULL. */
static void bind_text(ow_stmt *st, int i, const char *s) {
    ow_bind_text_ref(st, i, s ? s : "");
}

int ow_catalog_store_unlist(ow_db *db, int64_t item_id, ow_err *e) {
    static const char *grams = "DELETE FROM item_grams WHERE item_id = ?";
    static const char *sums = "DELETE FROM item_summaries WHERE item_id = ?";
    static const char *pub = "DELETE FROM item_public WHERE item_id = ?";
    const char *sqls[] = {grams, sums, pub};
    for (int i = 0; i < 3; i++) {
        ow_stmt *st = ow_db_stmt(db, sqls[i], e);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, item_id);
        int rc = ow_rows_done(db, st, "item unlist", e);
        if (rc) return rc;
    }
    return OW_OK;
}

int ow_catalog_store_list_public(ow_db *db, const ow_catalog_listing *l, char *summary, ow_err *e) {
    static const char *sql =
        "INSERT INTO item_public(item_id, version, code, name, keywords, dept_id, dept_sort, "
        "theme, type, target, modes, levels, hosted, online_depth, visits) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, (SELECT sort * 1000 + id FROM orgs WHERE id = ?6), ?7, "
        "?8, ?9, ?10, ?11, ?12, ?13, ?14)";
    static const char *sum_sql = "INSERT INTO item_summaries(item_id, summary) VALUES(?, ?)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) {
        free(summary);
        return OW_EDB;
    }
    ow_bind_int64(st, 1, l->item_id);
    ow_bind_int(st, 2, l->version);
    bind_text(st, 3, l->code);
    bind_text(st, 4, l->name);
    bind_text(st, 5, l->keywords);
    ow_bind_int64(st, 6, l->dept_id);
    bind_text(st, 7, l->theme);
    bind_text(st, 8, l->type);
    bind_text(st, 9, l->target);
    ow_bind_int(st, 10, l->modes);
    ow_bind_int(st, 11, l->levels);
    ow_bind_int(st, 12, l->hosted);
    bind_text(st, 13, l->online_depth);
    ow_bind_int(st, 14, l->visits);
    int rc = ow_rows_done(db, st, "item public", e);
    if (rc) {
        free(summary);
        return rc;
    }
    st = ow_db_stmt(db, sum_sql, e);
    if (!st) {
        free(summary);
        return OW_EDB;
    }
    ow_bind_int64(st, 1, l->item_id);
    ow_bind_text_owned(st, 2, summary);
    return ow_rows_done(db, st, "item summary", e);
}

int ow_catalog_store_gram_insert(ow_db *db, const char *gram, size_t len, int rank, int name_len,
                                 int64_t item_id, const char *code, ow_err *e) {
    static const char *sql =
        "INSERT INTO item_grams(gram, rank, name_len, dept_sort, code, item_id)"
        " VALUES(?, ?, ?, (SELECT dept_sort FROM item_public WHERE item_id = ?4), ?, ?4)"
        " ON CONFLICT DO NOTHING";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_textn(st, 1, gram, len);
    ow_bind_int(st, 2, rank);
    ow_bind_int(st, 3, name_len);
    ow_bind_int64(st, 4, item_id);
    bind_text(st, 5, code);
    return ow_rows_done(db, st, "item grams", e);
}

int ow_catalog_store_version_insert(ow_db *db, int64_t item_id, int version, int64_t now_ms,
                                    int64_t by, char *guide, ow_err *e) {
    static const char *ins =
        "INSERT INTO item_versions(item_id, version, published_at, published_by, guide) "
        "VALUES(?, ?, ?, ?, ?)";
    ow_stmt *st = ow_db_stmt(db, ins, e);
    if (!st) {
        free(guide);
        return OW_EDB;
    }
    ow_bind_int64(st, 1, item_id);
    ow_bind_int(st, 2, version);
    ow_bind_int64(st, 3, now_ms);
    ow_rows_bind_opt_id(st, 4, by);
    ow_bind_text_owned(st, 5, guide);
    return ow_rows_done(db, st, "item version", e);
}

int ow_catalog_store_set_state(ow_db *db, int64_t id, const char *status, int version,
                               const char *reason, int64_t now_ms, ow_err *e) {
    static const char *sql = "UPDATE items SET status = ?, version = ?, pending = ?, "
                             "suspend_reason = ?, updated_at = ? WHERE id = ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    bind_text(st, 1, status);
    ow_bind_int(st, 2, version);
    ow_bind_int(st, 3, 0);
    bind_text(st, 4, reason);
    ow_bind_int64(st, 5, now_ms);
    ow_bind_int64(st, 6, id);
    return ow_rows_done(db, st, "item state", e);
}

int ow_catalog_store_suspend(ow_db *db, int64_t id, const char *reason, int64_t now_ms, ow_err *e) {
    static const char *sql = "UPDATE items SET status = 'suspended', suspend_reason = ?, "
                             "updated_at = ? WHERE id = ?";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    bind_text(st, 1, reason);
    ow_bind_int64(st, 2, now_ms);
    ow_bind_int64(st, 3, id);
    return ow_rows_done(db, st, "item suspend", e);
}

int ow_catalog_store_org(ow_db *db, ow_arena *a, int64_t id, const char *code, int64_t *id_out,
                         const char **kind, const char **code_out, const char **name_out,
                         bool *found, ow_err *e) {
    static const char *by_id = "SELECT id, kind, code, name FROM orgs WHERE id = ?";
    static const char *by_code = "SELECT id, kind, code, name FROM orgs WHERE code = ?";
    ow_stmt *st = ow_db_stmt(db, id ? by_id : by_code, e);
    if (!st) return OW_EDB;
    if (id)
        ow_bind_int64(st, 1, id);
    else
        ow_bind_text_ref(st, 1, code);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (*found) {
        *id_out = ow_col_int64(st, 0);
        *kind = ow_rows_dupe(a, st, 1);
        *code_out = ow_rows_dupe(a, st, 2);
        *name_out = ow_rows_dupe(a, st, 3);
    }
    return ow_rows_one_done(db, st, rc, "org lookup", e);
}

int ow_catalog_store_code_taken(ow_db *db, const char *code, int64_t id, bool *taken, ow_err *e) {
    static const char *dup = "SELECT id FROM items WHERE code = ? AND id <> ?";
    ow_stmt *st = ow_db_stmt(db, dup, e);
    if (!st) return OW_EDB;
    ow_bind_text_ref(st, 1, code);
    ow_bind_int64(st, 2, id);
    int rc = ow_step(st);
    *taken = rc == OW_ROW;
    return ow_rows_one_done(db, st, rc, "code check", e);
}

int ow_catalog_store_set_case_modes(ow_db *db, int64_t id, const char *modes, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE items SET case_modes = ?2 WHERE id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_rows_bind_opt_text(st, 2, modes);
    return ow_rows_done(db, st, "item case modes", e);
}

int ow_catalog_store_case_modes(ow_db *db, ow_arena *a, int64_t id, const char **modes, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT case_modes FROM items WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *modes = rc == OW_ROW ? ow_rows_dup(a, st, 0) : NULL;
    return ow_rows_one_done(db, st, rc, "item case modes", e);
}
