/* cases_supervision_store.h — the SQL behind cases/cases_supervision.h (the read-only
 * views of cases that supervision, ratings, complaints and statistics read), behind typed
 * functions (docs/decisions/0003-store-layer.md): `cases`, the narrow `case_facts`, the
 * rollups (migrations 0015, 0016) and the working-day ordinals.  The types are the ones
 * cases/cases_supervision.h documents; texts in a row live for its callback. */
#ifndef OW_STORE_CASES_SUPERVISION_STORE_H
#define OW_STORE_CASES_SUPERVISION_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* What a rating, complaint or notice needs to know about a case. */
typedef struct ow_case_brief {
    int64_t id;
    char case_no[40];
    char state[16];
    char channel[12];
    char item_name[256];
    int64_t dept_id, intake_org_id, intake_scope_id, applicant_user_id; /* 0 = none */
    int64_t concluded_at;                                               /* 0 = not yet */
} ow_case_brief;

/* *found false when there is no such case (by id, or by case_no when it is not NULL). */
int ow_cases_store_brief(ow_db *db, int64_t id, const char *case_no, ow_case_brief *out,
                         bool *found, ow_err *e);

/* One case as the supervision lights and statistics read it.  Dates are day numbers,
 * OW_DATE_NONE (-1) when not set. */
typedef struct ow_case_view {
    int64_t id, item_id, dept_id, intake_org_id, intake_scope_id;
    const char *case_no, *item_name, *state, *channel;
    int32_t received_date, accepted_date, clock_start, decided_date, concluded_date;
    int32_t due_date, due_committed;
    int committed_days;
    bool paused; /* waiting for supplements or suspended: the clock stands */
} ow_case_view;

typedef int (*ow_case_view_fn)(void *arg, const ow_case_view *r);

/* Every open case (scope 0) or one office's, in id order. */
int ow_cases_store_each_open(ow_db *db, int64_t scope, ow_case_view_fn fn, void *arg, ow_err *e);
/* Every case with something in [from, to], from case_facts. */
int ow_cases_store_each_touching(ow_db *db, int32_t from, int32_t to, ow_case_view_fn fn, void *arg,
                                 ow_err *e);
int ow_cases_store_count_state(ow_db *db, int64_t scope, const char *state, int64_t *n, ow_err *e);
typedef int (*ow_case_deadline_fn)(void *arg, int32_t start, int32_t due);
int ow_cases_store_each_open_deadline(ow_db *db, int64_t scope, ow_case_deadline_fn fn, void *arg,
                                      ow_err *e);

enum { OW_ROLLUP_ITEM, OW_ROLLUP_DEPT, OW_ROLLUP_WINDOW, OW_ROLLUP_TOWNSHIP, OW_ROLLUP_CHANNEL };
enum { OW_RU_RECEIVED, OW_RU_ACCEPTED, OW_RU_CONCLUDED, OW_RU_ON_TIME, OW_RU_LATE, OW_RU_REFUSED };
typedef struct ow_case_rollup {
    int64_t key;
    int32_t day;
    int64_t n[6]; /* by OW_RU_… */
} ow_case_rollup;
typedef int (*ow_case_rollup_fn)(void *arg, const ow_case_rollup *r);
int ow_cases_store_rollup_each(ow_db *db, int dim, int32_t from, int32_t to, ow_case_rollup_fn fn,
                               void *arg, ow_err *e);
typedef struct ow_case_days {
    int64_t key;
    int32_t day;
    int days;
    int64_t n;
} ow_case_days;
typedef int (*ow_case_days_fn)(void *arg, const ow_case_days *r);
int ow_cases_store_rollup_days_each(ow_db *db, int dim, int32_t from, int32_t to,
                                    ow_case_days_fn fn, void *arg, ow_err *e);
typedef struct ow_case_org_rollup {
    int64_t key[5];
    int32_t day;
    int days;
    int64_t n[6]; /* by OW_RU_… */
} ow_case_org_rollup;
typedef int (*ow_case_org_rollup_fn)(void *arg, const ow_case_org_rollup *r);
int ow_cases_store_org_rollup_each(ow_db *db, int64_t org, int32_t from, int32_t to,
                                   ow_case_org_rollup_fn fn, void *arg, ow_err *e);

/* Whether workday_ord holds exactly ord[0..n) for the days lo, lo + 1, …. */
int ow_cases_store_workdays_same(ow_db *db, int32_t lo, const int *ord, size_t n, bool *same,
                                 ow_err *e);
/* Replace workday_ord by ord[0..n) from day lo and recompute the stored handling days that
 * changed (*recomputed: how many).  Run it inside the caller's savepoint. */
int ow_cases_store_workdays_put(ow_db *db, int32_t lo, const int *ord, size_t n,
                                int64_t *recomputed, ow_err *e);

/* The name of an item as its latest case recorded it ("" when none or on error). */
const char *ow_cases_store_item_name(ow_db *db, ow_arena *a, int64_t item_id, ow_err *e);

#endif
