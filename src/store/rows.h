/* rows.h — what every store file repeats around a statement: a text column copied into
 * the caller's arena, optional values bound as NULL, a statement stepped to its end, an
 * INSERT answering the id it made.  Grown from the store files that moved (docs/decisions/
 * 0003-store-layer.md, point 4); they speak only store/db.h. */
#ifndef OW_STORE_ROWS_H
#define OW_STORE_ROWS_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* A text column copied into the arena, NULL for NULL. */
const char *ow_rows_dup(ow_arena *a, ow_stmt *st, int i);
/* The same, "" for NULL. */
const char *ow_rows_dupe(ow_arena *a, ow_stmt *st, int i);
/* Bind s, or NULL when s is NULL. */
void ow_rows_bind_opt_text(ow_stmt *st, int i, const char *s);
/* Bind id, or NULL when id is 0 or less (no organisation, the system). */
void ow_rows_bind_opt_id(ow_stmt *st, int i, int64_t id);
/* An integer day-number column (core/workdays.h), OW_DATE_NONE for NULL. */
int32_t ow_rows_daynum(ow_stmt *st, int i);
/* Bind a day number as an integer, or NULL when it is OW_DATE_NONE. */
void ow_rows_bind_daynum(ow_stmt *st, int i, int32_t d);
/* Run fn in one read transaction (one snapshot, the read lock taken once), or as it is
 * when the connection is already inside a transaction.  Ending a read transaction cannot
 * lose anything, so it commits whatever fn answers; the answer is fn's. */
int ow_rows_snapshot(ow_db *db, int (*fn)(void *arg), void *arg, ow_err *e);
/* A YYYY-MM-DD text column as a day number (core/workdays.h), OW_DATE_NONE for NULL or
 * text that is not a date. */
int32_t ow_rows_day(ow_stmt *st, int i);
/* Bind day d as YYYY-MM-DD text, or NULL when it is OW_DATE_NONE. */
void ow_rows_bind_day(ow_stmt *st, int i, int32_t d);
/* Hand each row of st to each(st, ctx) until it answers non-zero, then make st ready for
 * its next use; answers each's non-zero answer, or the failure of the walk. */
int ow_rows_each(ow_db *db, ow_stmt *st, int (*each)(ow_stmt *st, void *ctx), void *ctx,
                 const char *what, ow_err *e);
/* Step a statement that answers one row (a count, a sum) and read its first column. */
int ow_rows_int64(ow_db *db, ow_stmt *st, int64_t *out, const char *what, ow_err *e);
/* After stepping a statement for at most one row (rc the step's answer) and reading it:
 * make st ready for its next use; OW_OK for a row or none, else the failure. */
int ow_rows_one_done(ow_db *db, ow_stmt *st, int rc, const char *what, ow_err *e);
/* Step a statement that returns no rows, then make it ready for its next use. */
int ow_rows_done(ow_db *db, ow_stmt *st, const char *what, ow_err *e);
/* Step an INSERT and answer the id it generated (ow_db_last_id). */
int ow_rows_insert(ow_db *db, ow_stmt *st, int64_t *id, const char *what, ow_err *e);
/* The same for an INSERT whose conflict the caller answers and then carries on in the
 * same transaction (ow_step_guarded). */
int ow_rows_insert_guarded(ow_db *db, ow_stmt *st, int64_t *id, const char *what, ow_err *e);

#endif
