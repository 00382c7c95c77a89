/* cases_supervision.h — the read-only views of cases that supervision, ratings,
 * complaints and statistics need (issue 8).  They live with the cases module
 * because only it may read its tables; they check no roles: the caller decides
 * who may see what and applies its own scope. */
#ifndef OW_CASES_CASES_SUPERVISION_H
#define OW_CASES_CASES_SUPERVISION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/workdays.h"
#include "core/ctx.h"
#include "store/cases_supervision_store.h"

/* OW_ENOTFOUND (field "case_id") when there is no such case. */
int ow_cases_brief(ow_ctx *cx, int64_t id, ow_case_brief *out);
int ow_cases_brief_by_no(ow_ctx *cx, const char *case_no, ow_case_brief *out);
/* True when the case has ended one way or another (concluded, denied, refused,
 * withdrawn): the states that set concluded_at. */
bool ow_case_state_final(const char *state);

/* Every case still open (submitted, supplement, review, suspended, approved), in id
 * order; fn's
 * non-zero result stops the walk and is returned. */
int ow_cases_each_open(ow_ctx *cx, ow_case_view_fn fn, void *arg);
/* The same for one office (scope: an organisation id; 0 = the district): the open cases
 * whose department, intake window or intake centre/township it is, in id order. */
int ow_cases_each_open_in(ow_ctx *cx, int64_t scope, ow_case_view_fn fn, void *arg);
/* Every case with something in [from, to]: received, accepted, concluded or refused
 * on a day in the range.  From the narrow case_facts projection: case_no and
 * item_name are "" and due_date is not set (ow_cases_item_name gives the name). */
int ow_cases_each_touching(ow_ctx *cx, int32_t from, int32_t to, ow_case_view_fn fn, void *arg);
/* How many cases are in state, district-wide (scope 0, from the index cases_state) or
 * of one office (from its queue indexes, as ow_cases_each_open_in). */
int ow_cases_count_state(ow_ctx *cx, int64_t scope, const char *state, int64_t *n);

/* Every open case's clock start (or receipt) and current phase deadline (OW_DATE_NONE
 * while paused: 补正, suspension): district-wide (scope 0) from the index cases_state
 * alone, or one office's (as ow_cases_each_open_in), in an order that keeps cases with
 * the same two dates together. */
int ow_cases_each_open_deadline(ow_ctx *cx, int64_t scope, ow_case_deadline_fn fn, void *arg);

/* District-wide case events per day (db/migrations/0015_case_rollup.sql), kept by
 * triggers in the transaction of every case change.  dim: OW_ROLLUP_ITEM … CHANNEL;
 * key the item, department, window or township id, or the channel code 0 online,
 * 1 window, 2 township, 3 agent.  Rows whose counts are all zero are skipped. */
int ow_cases_rollup_each(ow_ctx *cx, int dim, int32_t from, int32_t to, ow_case_rollup_fn fn,
                         void *arg);
/* The handling-time histogram of the same dimensions: n concluded or denied cases of
 * key, concluded on day, took `days` working days (case_facts.handling_days). */
int ow_cases_rollup_days_each(ow_ctx *cx, int dim, int32_t from, int32_t to, ow_case_days_fn fn,
                              void *arg);

/* One office's case events per day (db/migrations/0016_case_rollup_org.sql): the cases
 * whose department, intake window or intake centre or township the office is.  Each row
 * carries its cases' whole key (key[OW_ROLLUP_ITEM … CHANNEL]), so one pass answers every
 * dimension, and the working days the concluded cases among them took (days; -1 for
 * rows of other events and for conclusions without a handling time).  Rows whose counts
 * are all zero are skipped; a (key, day) may come in several rows: callers add them up. */
int ow_cases_org_rollup_each(ow_ctx *cx, int64_t org, int32_t from, int32_t to,
                             ow_case_org_rollup_fn fn, void *arg);

/* Rewrite workday_ord from the loaded calendar and recompute the stored handling days
 * that changed (*recomputed: how many; may be NULL).  Call after loading the calendar
 * and after each edit of it, on a writable connection; a no-op when nothing changed. */
int ow_cases_sync_workdays(ow_calendar *cal, ow_db *db, int64_t *recomputed, ow_err *e);

/* The name of an item as its latest case recorded it ("" when none). */
const char *ow_cases_item_name(ow_ctx *cx, int64_t item_id);

#endif
