/* inspection_store.h — the inspections of the units' disclosure work (督查) and the unit
 * statistics an inspector starts from, behind typed functions (decision 0003): the SQL of
 * disclosure/inspection.c.  Since migration 0021 a unit may be inspected several times a
 * quarter, by kind: quarterly (季度督查), special (专项), topic (点题) and follow-up
 * (回头看, naming the inspection it follows).  Dates are YYYY-MM-DD text. */
#ifndef OW_STORE_INSPECTION_STORE_H
#define OW_STORE_INSPECTION_STORE_H

#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* Active departments and township centres, by kind and list order. */
int ow_inspection_store_units(ow_db *db, ow_arena *a,
                              int (*fn)(void *arg, int64_t id, const char *name, const char *kind),
                              void *arg, ow_err *e);
/* Published publications between two dates, counted by unit, month (1–12) and column. */
int ow_inspection_store_publications(ow_db *db, const char *from, const char *to,
                                     int (*fn)(void *arg, int64_t org_id, int month,
                                               const char *column, int n),
                                     void *arg, ow_err *e);

typedef struct ow_inspection_row {
    int64_t id, org_id, follows_id; /* follows_id 0: none */
    const char *org_name, *kind, *title, *inspected_date, *rating, *findings, *rectify_by,
        *rectified_date, *rectification_note, *result, *inspector;
    int year, quarter;
    int64_t created_at, updated_at;
} ow_inspection_row;

int ow_inspection_store_insert(ow_db *db, const ow_inspection_row *r, int64_t *id, ow_err *e);
/* OW_ENOTFOUND when there is none. */
int ow_inspection_store_get(ow_db *db, int64_t id, ow_arena *a, ow_inspection_row *out, ow_err *e);
/* Record a rectification; OW_ENOTFOUND when there is no such inspection. */
int ow_inspection_store_rectify(ow_db *db, int64_t id, const char *date, const char *note,
                                int64_t now, ow_err *e);
/* The inspections of a year (quarter 0 = all), of a kind (NULL = any), of a unit (0 =
 * any), by quarter and the units' list order. */
int ow_inspection_store_each(ow_db *db, int year, int quarter, const char *kind, int64_t org_id,
                             ow_arena *a, int (*fn)(void *arg, const ow_inspection_row *r),
                             void *arg, ow_err *e);

#endif
