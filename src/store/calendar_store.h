/* calendar_store.h — the legal calendar's tables behind typed functions: `calendar`, the
 * administrators' edits and the days of loaded notices (replayed over data/calendar at
 * start-up), and `calendar_years`, the years whose notice an administrator loaded.
 *
 * The first module whose SQL moved out of its domain code into the store layer (the
 * store issue; docs/architecture.md "Modules"): calendar/calendar.c holds the rules and
 * calls these, and neither knows the other's insides.  Dates are YYYY-MM-DD text, kinds
 * holiday / workday / normal, instants UTC milliseconds, a user 0 for the system. */
#ifndef OW_STORE_CALENDAR_STORE_H
#define OW_STORE_CALENDAR_STORE_H

#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

/* Every stored day in date order; stops at and returns fn's first non-zero answer. */
int ow_calendar_store_each_day(ow_db *db,
                               int (*fn)(void *arg, const char *date, const char *kind,
                                         const char *name),
                               void *arg, ow_err *e);
/* Every year whose notice was loaded, ascending. */
int ow_calendar_store_each_loaded_year(ow_db *db, int (*fn)(void *arg, int year), void *arg,
                                       ow_err *e);
/* Store one day (replacing what the date had). */
int ow_calendar_store_put_day(ow_db *db, const char *date, const char *kind, const char *name,
                              int64_t at_ms, int64_t by_user, ow_err *e);
/* Forget every stored day of year (before a notice's days replace them). */
int ow_calendar_store_clear_year(ow_db *db, int year, ow_err *e);
/* What the stored calendar looks like, in a line that changes whenever a day or a loaded
 * year is written or removed (row counts and times): another node's edit shows up here. */
int ow_calendar_store_signature(ow_db *db, char *out, size_t out_size, ow_err *e);
/* Record that year's notice was loaded, with how many days it listed. */
int ow_calendar_store_mark_loaded(ow_db *db, int year, int days, int64_t at_ms, int64_t by_user,
                                  ow_err *e);

#endif
