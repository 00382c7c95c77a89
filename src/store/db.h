/* db.h — database connections, cached statements, transactions, migrations, for two
 * backends: SQLite (the default, one file in data_dir) and PostgreSQL (a `postgres://` URL
 * or libpq conninfo in the `database` setting; docs/decisions/0004-postgresql.md).
 *
 * Store files (src/store/) speak only this interface, never sqlite3.h or libpq-fe.h, so
 * every query runs on both backends.  SQL is written in the dialect both understand
 * (docs/style.md "SQL"): `?` or `?N` placeholders (rewritten to `$N` for PostgreSQL),
 * `ON CONFLICT … DO …`, `RETURNING`, integer 0/1 for flags.
 *
 * The embedded setup (docs/architecture.md "Threads"): one write connection owned by the
 * writer thread, one read connection per request thread (query_only), WAL with
 * synchronous=FULL so a committed write survives a power cut.  Each connection is used by
 * one thread at a time, so SQLite connections are opened NOMUTEX. */
#ifndef OW_STORE_DB_H
#define OW_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

typedef struct ow_db ow_db;
typedef struct ow_stmt ow_stmt;

typedef enum { OW_DB_READ, OW_DB_WRITE } ow_db_mode;
typedef enum { OW_DB_SQLITE, OW_DB_POSTGRES } ow_db_kind;

/* What ow_step answers besides an error (any other value). */
enum { OW_ROW = 100, OW_DONE = 101 };

/* True when target names a PostgreSQL database (a postgres:// or postgresql:// URL, or a
 * libpq conninfo such as "host=… dbname=…") rather than an SQLite file. */
bool ow_db_target_is_postgres(const char *target);

/* Open target: an SQLite file path, or a PostgreSQL URL/conninfo. */
int ow_db_open(const char *target, ow_db_mode mode, ow_db **out, ow_err *e);
void ow_db_close(ow_db *db);
ow_db_kind ow_db_backend(const ow_db *db);

/* A prepared statement for sql, cached per connection and reset/cleared for reuse.
 * sql should be a string constant (docs/style.md "SQL"); returns NULL and sets e on error. */
ow_stmt *ow_db_stmt(ow_db *db, const char *sql, ow_err *e);
/* An uncached statement for SQL built at run time; free it with ow_stmt_free. */
ow_stmt *ow_db_prepare(ow_db *db, const char *sql, ow_err *e);
void ow_stmt_free(ow_stmt *st);

/* Parameters are numbered from 1.  Text is copied unless bound with ow_bind_text_ref,
 * which keeps the pointer (it must stay valid until the statement is reset).  A NULL
 * text binds SQL NULL. */
void ow_bind_int(ow_stmt *st, int i, int v);
void ow_bind_int64(ow_stmt *st, int i, int64_t v);
void ow_bind_double(ow_stmt *st, int i, double v);
void ow_bind_text(ow_stmt *st, int i, const char *s);
void ow_bind_text_ref(ow_stmt *st, int i, const char *s);
void ow_bind_textn(ow_stmt *st, int i, const char *s, size_t n);
/* Binds s and takes it over: it is freed (free()) when no longer needed, also when the
 * bind fails. */
void ow_bind_text_owned(ow_stmt *st, int i, char *s);
void ow_bind_null(ow_stmt *st, int i);
int ow_bind_count(ow_stmt *st);

/* OW_ROW while rows come, OW_DONE at the end, anything else is an error (ow_db_fail
 * turns it into an ow_err). */
int ow_step(ow_stmt *st);
/* ow_step for a statement whose failure the caller handles and then carries on in the
 * same transaction (an INSERT that may hit a unique index, say).  SQLite undoes just the
 * failed statement; PostgreSQL would abort the whole transaction, so there the statement
 * runs inside a savepoint of its own. */
int ow_step_guarded(ow_stmt *st);
/* Back to the start, keeping the bindings; ow_clear_bindings drops them. */
void ow_reset(ow_stmt *st);
void ow_clear_bindings(ow_stmt *st);

/* Columns of the current row, numbered from 0.  ow_col_text is NULL for NULL; the text
 * and blob pointers stay valid until the next ow_step or ow_reset. */
int64_t ow_col_int64(ow_stmt *st, int i);
int ow_col_int(ow_stmt *st, int i);
double ow_col_double(ow_stmt *st, int i);
const char *ow_col_text(ow_stmt *st, int i);
const void *ow_col_blob(ow_stmt *st, int i);
size_t ow_col_bytes(ow_stmt *st, int i);
bool ow_col_null(ow_stmt *st, int i);
/* True when the column holds an integer (a count or an id rather than text). */
bool ow_col_is_int(ow_stmt *st, int i);
int ow_col_count(ow_stmt *st);
const char *ow_col_name(ow_stmt *st, int i);

/* A text column, "" for NULL, so callers can format it without a NULL check. */
static inline const char *ow_db_text(ow_stmt *st, int i) {
    const char *s = ow_col_text(st, i);
    return s ? s : "";
}

/* The id the last INSERT on this connection generated, and the rows the last INSERT,
 * UPDATE or DELETE changed. */
int64_t ow_db_last_id(ow_db *db);
int64_t ow_db_changes(ow_db *db);
/* True inside BEGIN … COMMIT. */
bool ow_db_in_tx(ow_db *db);
/* True when the last failure was a constraint violation (unique, foreign key, check). */
bool ow_db_last_was_constraint(ow_db *db);

/* Failover (docs/decisions/0006-high-availability.md).  PostgreSQL: a lost session is
 * replaced by a new one at the next statement outside a transaction (the conninfo's
 * hosts are tried in turn; with target_session_attrs=read-write the primary is found);
 * inside one, every statement fails until ow_db_rollback, so a transaction never goes on
 * in another session.  Such failures answer OW_EBUSY `database_unavailable` with
 * Retry-After (503).
 * ow_db_lost: the last failure was the loss of the server, or a read-only answer from a
 * standby — nothing of the transaction committed, unless ow_db_commit_unknown: the
 * session went while COMMIT was on its way, and whether it committed is not known.
 * Always false on SQLite. */
bool ow_db_lost(ow_db *db);
bool ow_db_commit_unknown(ow_db *db);
/* Can this connection reach its database, and does that take writes (*writable: false
 * on a standby)?  Reconnects when the session was lost (for /api/v1/health). */
int ow_db_ping(ow_db *db, bool *writable, ow_err *e);

/* How long a statement waits for another connection's lock before answering BUSY. */
void ow_db_set_busy_timeout(ow_db *db, int ms);

/* Run statements that return no rows (schema, pragmas). */
int ow_db_exec(ow_db *db, const char *sql, ow_err *e);
/* Turn the connection's last error into OW_EDB/OW_ECONFLICT/OW_EBUSY, log it, set e. */
int ow_db_fail(ow_db *db, const char *what, ow_err *e);

/* Run fn inside BEGIN IMMEDIATE … COMMIT, retrying the whole transaction when the
 * database answers BUSY (another process holds the write lock).  For the CLI and tests;
 * the server's writes go through the writer thread instead. */
typedef int (*ow_db_tx_fn)(ow_db *db, void *arg, ow_err *e);
int ow_db_tx(ow_db *db, ow_db_tx_fn fn, void *arg, ow_err *e);

/* Write transactions.  On PostgreSQL BEGIN also takes the cluster-wide writer lock (a
 * transaction-scoped advisory lock), so that writers on several nodes take turns exactly
 * as SQLite's one writer does (docs/decisions/0004-postgresql.md). */
int ow_db_begin(ow_db *db, ow_err *e);
int ow_db_commit(ow_db *db, ow_err *e);
void ow_db_rollback(ow_db *db);
/* A read transaction: the statements between see one snapshot (SQLite: one WAL read
 * lock; PostgreSQL: REPEATABLE READ, READ ONLY).  ow_db_read_end commits it and returns
 * rc, or the commit's failure when rc is OW_OK. */
int ow_db_read_begin(ow_db *db, ow_err *e);
int ow_db_read_end(ow_db *db, int rc, ow_err *e);
/* Savepoints, used by the writer to isolate jobs within one transaction. */
int ow_db_savepoint(ow_db *db, ow_err *e);
int ow_db_release(ow_db *db, ow_err *e);
void ow_db_rollback_to(ow_db *db);

/* A millisecond timestamp column as ISO 8601 text (core/clock.h), or null for NULL. */
struct json_t;
struct json_t *ow_db_time_json(ow_stmt *st, int i);

/* Consistency checks (SQLite: integrity_check and foreign_key_check; PostgreSQL: the
 * checksum failures the server counted): *problems counts what they report (0 when the
 * database is sound), first names the first one.  OW_EDB if they cannot run. */
int ow_db_check(ow_db *db, int64_t *problems, char *first, size_t first_size, ow_err *e);

/* SQLite: copy the whole database, as one committed state, into a new file at path
 * with the online backup API, while the server goes on writing (onewindow backup).
 * OW_EINVAL on PostgreSQL, whose backups are pg_basebackup's (docs/operations.md). */
int ow_db_snapshot_to(ow_db *db, const char *path, ow_err *e);

/* Migrations embedded from db/migrations/NNNN_name.sql (SQLite) and
 * db/migrations-pg/NNNN_name.sql (PostgreSQL), the same versions in both. */
int ow_db_migrate(ow_db *db, int *applied, ow_err *e);
/* PostgreSQL: the longest wait for a statement's answer before the session is taken for
 * lost (docs/operations.md, database_query_timeout_s); 0: no limit.  Process-wide;
 * migrations are exempt. */
void ow_db_set_query_timeout(int ms);
int ow_db_schema_version(ow_db *db, int *version, ow_err *e);
int ow_db_latest_migration(void);

#endif
