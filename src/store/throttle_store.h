/* throttle_store.h — the per-address throttles' table (migration 0020), for installations
 * whose nodes share one PostgreSQL database: account/session.c keeps the counters in
 * memory on a single node and here when several must agree. */
#ifndef OW_STORE_THROTTLE_STORE_H
#define OW_STORE_THROTTLE_STORE_H

#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

typedef struct ow_throttle_row {
    int failures;
    int64_t window_start, locked_until; /* UTC ms */
} ow_throttle_row;

/* The address's row of kind, or zeros when it has none. */
int ow_throttle_store_get(ow_db *db, const char *kind, const char *ip, ow_throttle_row *r,
                          ow_err *e);
/* Write the address's row, and forget the rows of kind that ended before stale_before. */
int ow_throttle_store_put(ow_db *db, const char *kind, const char *ip, const ow_throttle_row *r,
                          int64_t stale_before, ow_err *e);

#endif
