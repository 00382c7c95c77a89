/* system_store.h — the instance row (which district a database belongs to) behind typed
 * functions (decision 0003). */
#ifndef OW_STORE_SYSTEM_STORE_H
#define OW_STORE_SYSTEM_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

/* Write the instance row once (a second call keeps the first). */
int ow_system_store_create_instance(ow_db *db, int64_t at_ms, const char *region_code,
                                    const char *version, ow_err *e);
/* The region code the database was created for; *found false before `init`. */
int ow_system_store_region(ow_db *db, char region_code[16], bool *found, ow_err *e);

#endif
