/* copy.h — move an SQLite installation into PostgreSQL (`onewindow db copy-to TARGET`).
 *
 * Every row of every table the PostgreSQL schema has, with the same values (ids, times,
 * the audit chain's hashes), so that `onewindow audit verify` passes on the copy; the
 * files stay in data_dir, which the PostgreSQL nodes share (docs/operations.md).  The
 * target must be a database with no onewindow data yet; its schema is created or brought
 * up to date first.  One transaction: a failed copy leaves the target as it was. */
#ifndef OW_STORE_COPY_H
#define OW_STORE_COPY_H

#include <stdint.h>

#include "core/err.h"
#include "store/db.h"

/* Called after each table with its name and the rows copied. */
typedef void (*ow_copy_progress_fn)(void *arg, const char *table, int64_t rows);

int ow_store_copy(ow_db *from, ow_db *to, ow_copy_progress_fn progress, void *arg,
                  int64_t *total_rows, ow_err *e);

#endif
