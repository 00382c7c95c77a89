/* system_store.c — see system_store.h. */
#include "store/system_store.h"

#include <stdio.h>

#include "store/db.h"

int ow_system_store_create_instance(ow_db *db, int64_t at_ms, const char *region_code,
                                    const char *version, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO instance(id, created_at, region_code, created_by_version)"
                             " VALUES(1, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, at_ms);
    ow_bind_text(st, 2, region_code);
    ow_bind_text(st, 3, version);
    int rc = ow_step(st);
    ow_reset(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, "instance insert", e);
}

int ow_system_store_region(ow_db *db, char region_code[16], bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT region_code FROM instance WHERE id = 1", e);
    if (!st) return OW_EDB;
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    region_code[0] = '\0';
    if (*found) snprintf(region_code, 16, "%s", ow_db_text(st, 0));
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "instance select", e);
    return OW_OK;
}
