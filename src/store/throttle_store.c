/* throttle_store.c — see throttle_store.h. */
#include "store/throttle_store.h"

#include <string.h>

#include "store/db.h"

int ow_throttle_store_get(ow_db *db, const char *kind, const char *ip, ow_throttle_row *r,
                          ow_err *e) {
    memset(r, 0, sizeof *r);
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT failures, window_start, locked_until FROM address_throttle"
                             " WHERE kind = ? AND ip = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text_ref(st, 1, kind);
    ow_bind_text_ref(st, 2, ip);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        r->failures = ow_col_int(st, 0);
        r->window_start = ow_col_int64(st, 1);
        r->locked_until = ow_col_int64(st, 2);
    }
    ow_reset(st);
    return rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "throttle read", e);
}

int ow_throttle_store_put(ow_db *db, const char *kind, const char *ip, const ow_throttle_row *r,
                          int64_t stale_before, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "INSERT INTO address_throttle (kind, ip, failures, window_start, locked_until)"
                   " VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, ip) DO UPDATE SET"
                   " failures = excluded.failures, window_start = excluded.window_start,"
                   " locked_until = excluded.locked_until",
                   e);
    if (!st) return OW_EDB;
    ow_bind_text_ref(st, 1, kind);
    ow_bind_text_ref(st, 2, ip);
    ow_bind_int(st, 3, r->failures);
    ow_bind_int64(st, 4, r->window_start);
    ow_bind_int64(st, 5, r->locked_until);
    int rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(db, "throttle write", e);
    st = ow_db_stmt(db,
                    "DELETE FROM address_throttle WHERE kind = ? AND window_start < ?"
                    " AND locked_until < ?",
                    e);
    if (!st) return OW_EDB;
    ow_bind_text_ref(st, 1, kind);
    ow_bind_int64(st, 2, stale_before);
    ow_bind_int64(st, 3, stale_before);
    rc = ow_step(st);
    ow_reset(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, "throttle prune", e);
}
