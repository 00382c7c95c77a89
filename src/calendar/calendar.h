/* calendar.h — the legal calendar inside the running platform (issue 6,
 * docs/architecture.md "The legal calendar").
 *
 * core/workdays.h does the arithmetic; this module owns the process's calendar
 * (app->calendar): loaded at start-up from data/calendar/YYYY.csv (config key
 * calendar_dir) with the administrators' edits from the `calendar` table replayed
 * on top, edited through the API (audited, and every open deadline recomputed,
 * docs/service-rules.md "Calendar changes"), and asked for due dates. */
#ifndef OW_CALENDAR_CALENDAR_H
#define OW_CALENDAR_CALENDAR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/workdays.h"
#include "core/ctx.h"

/* Load calendar_dir and replay the `calendar` table from db into app->calendar
 * (created if NULL).  A missing or broken file is an error for the operator. */
int ow_calendar_load(ow_app *app, ow_db *db, ow_err *e);
/* Another node's edit (PostgreSQL, several nodes): when the stored calendar changed since
 * this process last loaded it, rebuild app->calendar from calendar_dir and the tables and
 * put it in place in one step; *changed says whether it did.  On PostgreSQL every request
 * asks first (app/routes.c), and the app's watcher once a second (app/app.h). */
int ow_calendar_refresh(ow_app *app, ow_db *db, bool *changed, ow_err *e);
/* Free app->calendar. */
void ow_calendar_unload(ow_app *app);

/* The due date n working days after from: {"from","days","due","provisional",
 * "holidays":[{date,name}],"adjusted_workdays":[{date,name}],"weekend_days"}, with a
 * "note" when a year on the way is provisional (core/workdays.h).  A year neither
 * loaded nor provisional is an error naming the year (field "from"), never a
 * weekdays-only guess. */
int ow_calendar_due_json(ow_ctx *cx, const char *from, int64_t days, json_t **out);
/* {"year","loaded","days":[{date,kind,name}...]} for one year's overrides. */
int ow_calendar_year_json(ow_ctx *cx, int year, json_t **out);
/* Admin: make date a holiday, an adjusted working weekend ("workday") or an ordinary
 * day ("normal"); stored, audited, applied, open deadlines recomputed (*recomputed). */
int ow_calendar_set_day(ow_ctx *cx, const char *date, const char *kind, const char *name,
                        int *recomputed);

/* Admin: load a year's State Council notice, CSV text in the format of data/calendar
 * (header date,kind,name; every row in that year).  The year's days are replaced, it
 * counts as loaded from now on (no longer provisional), every open deadline is
 * recomputed (a case whose due date moves gets a timeline row), audited.  A bad row is
 * an error on field "csv" naming its line, and nothing changes. */
int ow_calendar_load_year(ow_ctx *cx, int year, const char *csv, size_t len, json_t **out);
/* *out (may be NULL): {year, days, was_loaded, was_provisional} and each follower's count
 * under its key ("recomputed_cases", "recomputed_info_requests", …), as audited. */

/* ---- who follows the calendar ----
 *
 * A module whose deadlines are counted in working days follows the calendar: app/app.c
 * registers it at start-up, and the calendar announces every change to it (in the
 * change's writer transaction) instead of calling up into the module, so that the
 * dependencies point one way (docs/architecture.md "Modules").  changed recomputes what
 * the change moved and counts it (*n, reported under key in the audit row and the
 * answers); loaded, if set, runs once after ow_calendar_load at start-up. */
typedef struct ow_calendar_follower {
    const char *key;
    int (*changed)(ow_ctx *cx, int64_t *n);
    int (*loaded)(ow_app *app, ow_db *db, ow_err *e);
} ow_calendar_follower;
/* Register f (static storage) with app; registering the same one again does nothing. */
void ow_calendar_follow(ow_app *app, const ow_calendar_follower *f);

/* Is day d a working day on the platform's calendar (weekdays, minus holidays, plus
 * adjusted working weekends)?  *provisional (may be NULL): d's year is computed from the
 * law, its notice not loaded yet.  A year neither loaded nor provisional is an error on
 * field (calendar_year_missing), never a weekdays-only guess. */
int ow_calendar_is_workday(ow_ctx *cx, int32_t d, const char *field, bool *work, bool *provisional);

/* A calendar error as the user sees it: a missing year becomes OW_EINVAL with kind
 * "calendar_year_missing" on field, naming the year.  Returns the (new) code. */
int ow_calendar_explain(ow_err *e, int rc, const char *field);

#endif
