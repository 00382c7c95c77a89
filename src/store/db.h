/* db.h — SQLite connections, cached statements, transactions, migrations.
 *
 * The embedded setup (docs/architecture.md "Threads"): one write connection owned by the
 * writer thread, one read connection per request thread (query_only), WAL
 * with synchronous=FULL so a committed write survives a power cut.  Each
 * connection is used by one thread at a time, so it is opened NOMUTEX. */
#ifndef OW_STORE_DB_H
#define OW_STORE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

typedef struct ow_db ow_db;

typedef enum { OW_DB_READ, OW_DB_WRITE } ow_db_mode;

int ow_db_open(const char *path, ow_db_mode mode, ow_db **out, ow_err *e);
void ow_db_close(ow_db *db);
sqlite3 *ow_db_handle(ow_db *db);

/* A prepared statement for sql, cached per connection and reset/cleared for reuse.
 * sql should be a string constant (docs/style.md "SQL"); returns NULL and sets e on error. */
sqlite3_stmt *ow_db_stmt(ow_db *db, const char *sql, ow_err *e);
/* A text column, "" for NULL, so callers can format it without a NULL check. */
static inline const char *ow_db_text(sqlite3_stmt *st, int i) {
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}
/* Run statements that return no rows (schema, pragmas). */
int ow_db_exec(ow_db *db, const char *sql, ow_err *e);
/* Turn the connection's last error into OW_EDB/OW_ECONFLICT/OW_EBUSY, log it, set e. */
int ow_db_fail(ow_db *db, const char *what, ow_err *e);

/* Run fn inside BEGIN IMMEDIATE … COMMIT, retrying the whole transaction when
 * SQLite answers BUSY (another process holds the write lock).  For the CLI and
 * tests; the server's writes go through the writer thread instead. */
typedef int (*ow_db_tx_fn)(ow_db *db, void *arg, ow_err *e);
int ow_db_tx(ow_db *db, ow_db_tx_fn fn, void *arg, ow_err *e);

/* Savepoints, used by the writer to isolate jobs within one transaction. */
int ow_db_begin(ow_db *db, ow_err *e);
int ow_db_commit(ow_db *db, ow_err *e);
void ow_db_rollback(ow_db *db);
int ow_db_savepoint(ow_db *db, ow_err *e);
int ow_db_release(ow_db *db, ow_err *e);
void ow_db_rollback_to(ow_db *db);

/* A millisecond timestamp column as ISO 8601 text (core/clock.h), or null for NULL. */
struct json_t;
struct json_t *ow_db_time_json(sqlite3_stmt *st, int i);

/* PRAGMA integrity_check and foreign_key_check: *problems counts what they report (0
 * when the database is sound), first names the first one.  OW_EDB if they cannot run. */
int ow_db_check(ow_db *db, int64_t *problems, char *first, size_t first_size, ow_err *e);

/* Migrations embedded from db/migrations/NNNN_name.sql. */
int ow_db_migrate(ow_db *db, int *applied, ow_err *e);
int ow_db_schema_version(ow_db *db, int *version, ow_err *e);
int ow_db_latest_migration(void);

#endif
