/* cases_supervision.c — read-only case views for supervision and statistics (see
 * cases_supervision.h).  Kept apart from cases.c so the supervision issue can add
 * what it reads without touching the workflow code; the SQL is in
 * store/cases_supervision_store.c. */
#include "cases/cases_supervision.h"

#include <stdlib.h>
#include <string.h>

#include "core/workdays.h"
#include "store/db.h" /* the savepoint around the working-day rewrite */

bool ow_case_state_final(const char *state) {
    return !strcmp(state, "concluded") || !strcmp(state, "denied") || !strcmp(state, "refused") ||
           !strcmp(state, "withdrawn");
}

static int brief(ow_ctx *cx, int64_t id, const char *case_no, ow_case_brief *out) {
    bool found;
    int rc = ow_cases_store_brief(cx->db, id, case_no, out, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "case_id", "办件不存在");
    return OW_OK;
}

int ow_cases_brief(ow_ctx *cx, int64_t id, ow_case_brief *out) {
    return brief(cx, id, NULL, out);
}

int ow_cases_brief_by_no(ow_ctx *cx, const char *case_no, ow_case_brief *out) {
    return brief(cx, 0, case_no, out);
}

int ow_cases_each_open(ow_ctx *cx, ow_case_view_fn fn, void *arg) {
    return ow_cases_store_each_open(cx->db, 0, fn, arg, &cx->err);
}

int ow_cases_each_open_in(ow_ctx *cx, int64_t scope, ow_case_view_fn fn, void *arg) {
    return ow_cases_store_each_open(cx->db, scope, fn, arg, &cx->err);
}

int ow_cases_each_touching(ow_ctx *cx, int32_t from, int32_t to, ow_case_view_fn fn, void *arg) {
    return ow_cases_store_each_touching(cx->db, from, to, fn, arg, &cx->err);
}

int ow_cases_count_state(ow_ctx *cx, int64_t scope, const char *state, int64_t *n) {
    return ow_cases_store_count_state(cx->db, scope, state, n, &cx->err);
}

int ow_cases_each_open_deadline(ow_ctx *cx, int64_t scope, ow_case_deadline_fn fn, void *arg) {
    return ow_cases_store_each_open_deadline(cx->db, scope, fn, arg, &cx->err);
}

int ow_cases_rollup_days_each(ow_ctx *cx, int dim, int32_t from, int32_t to, ow_case_days_fn fn,
                              void *arg) {
    return ow_cases_store_rollup_days_each(cx->db, dim, from, to, fn, arg, &cx->err);
}

/* Ordinals over the last run of consecutive loaded years and the provisional years after
 * them: a span reaching into a year before a gap has no ordinal at one end and stays
 * NULL, as report.c's per-case count would refuse it. */
int ow_cases_sync_workdays(ow_calendar *cal, ow_db *db, int64_t *recomputed, ow_err *e) {
    if (recomputed) *recomputed = 0;
    if (!cal) return OW_OK;
    int years[OW_CAL_MAX_YEAR - OW_CAL_MIN_YEAR + 1];
    int ny = ow_cal_loaded_years(cal, years, (int)(sizeof years / sizeof *years));
    if (ny <= 0) return OW_OK;
    int first = ny - 1;
    while (first > 0 && years[first - 1] == years[first] - 1)
        first--;
    /* and on into the years after the last loaded one that the law's provisional calendar
     * answers for (core/workdays.h), so cases concluded there are counted too: three
     * years, well past any period that runs from a year whose notice is still out */
    int last = years[ny - 1];
    for (int k = 1; k <= 3 && ow_cal_year_provisional(cal, years[ny - 1] + k); k++)
        last = years[ny - 1] + k;
    int32_t lo = ow_date_from_ymd(years[first], 1, 1), hi = ow_date_from_ymd(last, 12, 31);
    size_t n = (size_t)(hi - lo) + 1;
    int *ord = malloc(n * sizeof *ord);
    if (!ord) return ow_err_set(e, OW_ENOMEM, "calendar", "内存不足");
    ord[0] = 0;
    for (size_t i = 1; i < n; i++) {
        bool work;
        int rc = ow_cal_is_workday(cal, lo + (int32_t)i, &work, e);
        if (rc) {
            free(ord);
            return rc;
        }
        ord[i] = ord[i - 1] + work;
    }
    /* unchanged (every start-up but the first after a calendar change): nothing to do */
    bool same;
    int rc = ow_cases_store_workdays_same(db, lo, ord, n, &same, e);
    if (rc || same) {
        free(ord);
        return rc;
    }
    if ((rc = ow_db_savepoint(db, e))) {
        free(ord);
        return rc;
    }
    int64_t changed = 0;
    rc = ow_cases_store_workdays_put(db, lo, ord, n, &changed, e);
    free(ord);
    if (rc) {
        ow_db_rollback_to(db);
        return rc;
    }
    if (recomputed) *recomputed = changed;
    return ow_db_release(db, e);
}

int ow_cases_rollup_each(ow_ctx *cx, int dim, int32_t from, int32_t to, ow_case_rollup_fn fn,
                         void *arg) {
    return ow_cases_store_rollup_each(cx->db, dim, from, to, fn, arg, &cx->err);
}

int ow_cases_org_rollup_each(ow_ctx *cx, int64_t org, int32_t from, int32_t to,
                             ow_case_org_rollup_fn fn, void *arg) {
    return ow_cases_store_org_rollup_each(cx->db, org, from, to, fn, arg, &cx->err);
}

const char *ow_cases_item_name(ow_ctx *cx, int64_t item_id) {
    return ow_cases_store_item_name(cx->db, cx->arena, item_id, &cx->err);
}
