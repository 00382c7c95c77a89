/* audit_store.c — see audit_store.h. */
#include "store/audit_store.h"

#include <stdio.h>

#include "store/db.h"

#define ROW_COLS                                                                                   \
    "seq, at, coalesce(actor_id, 0), actor, actor_role, ip, request_id, action, object_type,"      \
    " object_id, detail, prev_hash, hash"
#define FILTER                                                                                     \
    " WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR object_type = ?2)"                       \
    " AND (?3 IS NULL OR object_id = ?3) AND (?4 IS NULL OR action LIKE ?4 || '%')"                \
    " AND (?5 = 0 OR at >= ?5) AND (?6 = 0 OR at < ?6)"

static ow_audit_row row_of(ow_stmt *st) {
    return (ow_audit_row){
        .seq = ow_col_int64(st, 0),
        .at = ow_col_int64(st, 1),
        .actor_id = ow_col_int64(st, 2),
        .actor = ow_db_text(st, 3),
        .actor_role = ow_db_text(st, 4),
        .ip = ow_db_text(st, 5),
        .request_id = ow_db_text(st, 6),
        .action = ow_db_text(st, 7),
        .object_type = ow_db_text(st, 8),
        .object_id = ow_db_text(st, 9),
        .detail = ow_db_text(st, 10),
        .prev_hash = ow_db_text(st, 11),
        .hash = ow_db_text(st, 12),
    };
}

/* Step through the rows of st, calling fn for each. */
static int each(ow_db *db, ow_stmt *st, ow_audit_row_fn fn, void *arg, const char *what,
                ow_err *e) {
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_audit_row r = row_of(st);
        if ((out = fn(arg, &r))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, what, e);
    return out;
}

static void bind_opt_text(ow_stmt *st, int i, const char *v) {
    if (v && *v)
        ow_bind_text(st, i, v);
    else
        ow_bind_null(st, i);
}

static void bind_filter(ow_stmt *st, const ow_audit_filter *f) {
    bind_opt_text(st, 1, f->actor);
    bind_opt_text(st, 2, f->object_type);
    bind_opt_text(st, 3, f->object_id);
    bind_opt_text(st, 4, f->action_prefix);
    ow_bind_int64(st, 5, f->from_ms);
    ow_bind_int64(st, 6, f->to_ms);
}

int ow_audit_store_head(ow_db *db, int64_t *seq, char hash[65], ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", e);
    if (!st) return OW_EDB;
    int rc = ow_step(st);
    *seq = 0;
    hash[0] = '\0';
    if (rc == OW_ROW) {
        *seq = ow_col_int64(st, 0);
        snprintf(hash, 65, "%s", ow_db_text(st, 1));
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "audit head", e);
    return OW_OK;
}

int ow_audit_store_insert(ow_db *db, const ow_audit_row *r, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO audit(seq, at, actor_id, actor, actor_role, ip, request_id, action,"
        " object_type, object_id, detail, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, r->seq);
    ow_bind_int64(st, 2, r->at);
    if (r->actor_id)
        ow_bind_int64(st, 3, r->actor_id);
    else
        ow_bind_null(st, 3);
    const char *texts[] = {r->actor,       r->actor_role, r->ip,     r->request_id, r->action,
                           r->object_type, r->object_id,  r->detail, r->prev_hash,  r->hash};
    for (int i = 0; i < 10; i++)
        ow_bind_text_ref(st, 4 + i, texts[i]);
    int rc = ow_step(st);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, "audit insert", e);
}

int ow_audit_store_each(ow_db *db, ow_audit_row_fn fn, void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT " ROW_COLS " FROM audit ORDER BY seq", e);
    return st ? each(db, st, fn, arg, "audit walk", e) : OW_EDB;
}

int ow_audit_store_count(ow_db *db, const ow_audit_filter *f, int64_t *total, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*) FROM audit" FILTER, e);
    if (!st) return OW_EDB;
    bind_filter(st, f);
    int rc = ow_step(st);
    *total = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "audit count", e);
}

int ow_audit_store_page(ow_db *db, const ow_audit_filter *f, int limit, int64_t offset,
                        ow_audit_row_fn fn, void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT " ROW_COLS " FROM audit" FILTER " ORDER BY seq DESC LIMIT ?7 OFFSET ?8", e);
    if (!st) return OW_EDB;
    bind_filter(st, f);
    ow_bind_int(st, 7, limit);
    ow_bind_int64(st, 8, offset);
    return each(db, st, fn, arg, "audit list", e);
}
