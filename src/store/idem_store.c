/* idem_store.c — see idem_store.h. */
#include "store/idem_store.h"

#include <string.h>

#include "store/db.h"
#include "store/rows.h"

int ow_idem_store_find(ow_db *db, int64_t principal, const char *key, ow_arena *a, ow_idem_row *out,
                       bool *found, ow_err *e) {
    memset(out, 0, sizeof *out);
    *found = false;
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT fingerprint, status, headers, body FROM idempotency_keys"
                             " WHERE principal = ? AND idem_key = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, principal);
    ow_bind_text_ref(st, 2, key);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *found = true;
        out->fingerprint = ow_rows_dupe(a, st, 0);
        out->status = ow_col_int(st, 1);
        out->headers = ow_rows_dupe(a, st, 2);
        out->body = ow_rows_dupe(a, st, 3);
    }
    return ow_rows_one_done(db, st, rc, "idempotency key read", e);
}

int ow_idem_store_put(ow_db *db, int64_t principal, const char *key, const ow_idem_row *r,
                      int64_t now_ms, int64_t stale_before_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO idempotency_keys (principal, idem_key, fingerprint,"
                             " status, headers, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, principal);
    ow_bind_text_ref(st, 2, key);
    ow_bind_text_ref(st, 3, r->fingerprint);
    ow_bind_int(st, 4, r->status);
    ow_bind_text_ref(st, 5, r->headers ? r->headers : "{}");
    ow_bind_text_ref(st, 6, r->body ? r->body : "");
    ow_bind_int64(st, 7, now_ms);
    int rc = ow_rows_done(db, st, "idempotency key write", e);
    if (rc) return rc;
    st = ow_db_stmt(db, "DELETE FROM idempotency_keys WHERE created_at < ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, stale_before_ms);
    return ow_rows_done(db, st, "idempotency key prune", e);
}

int ow_idem_store_fill(ow_db *db, int64_t principal, const char *key, const ow_idem_row *r,
                       ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE idempotency_keys SET status = ?, headers = ?, body = ?"
                             " WHERE principal = ? AND idem_key = ? AND fingerprint = ?"
                             " AND status = 0",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, r->status);
    ow_bind_text_ref(st, 2, r->headers);
    ow_bind_text_ref(st, 3, r->body);
    ow_bind_int64(st, 4, principal);
    ow_bind_text_ref(st, 5, key);
    ow_bind_text_ref(st, 6, r->fingerprint);
    return ow_rows_done(db, st, "idempotency key answer", e);
}
