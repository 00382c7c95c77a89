/* cases_supervision.c — read-only case views for supervision and statistics (see
 * cases_supervision.h).  Kept apart from cases.c so the supervision issue can add
 * what it reads without touching the workflow code. */
#include "cases/cases_supervision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/workdays.h"
#include "store/db.h"

/* concluded_at is an instant; the Shanghai business date is what statistics count. */
#define CONCLUDED_DAY "((concluded_at / 1000 + 28800) / 86400)"

static int32_t col_date(ow_stmt *st, int i) {
    return ow_col_null(st, i) ? OW_DATE_NONE : (int32_t)ow_col_int64(st, i);
}

bool ow_case_state_final(const char *state) {
    return !strcmp(state, "concluded") || !strcmp(state, "denied") || !strcmp(state, "refused") ||
           !strcmp(state, "withdrawn");
}

static int brief_row(ow_ctx *cx, ow_stmt *st, ow_case_brief *out) {
    int rc = ow_step(st);
    if (rc == OW_DONE) {
        ow_reset(st);
        return ow_err_set(&cx->err, OW_ENOTFOUND, "case_id", "办件不存在");
    }
    if (rc != OW_ROW) {
        ow_reset(st);
        return ow_db_fail(cx->db, "case brief", &cx->err);
    }
    memset(out, 0, sizeof *out);
    out->id = ow_col_int64(st, 0);
    snprintf(out->case_no, sizeof out->case_no, "%s", ow_db_text(st, 1));
    snprintf(out->state, sizeof out->state, "%s", ow_db_text(st, 2));
    snprintf(out->channel, sizeof out->channel, "%s", ow_db_text(st, 3));
    snprintf(out->item_name, sizeof out->item_name, "%s", ow_db_text(st, 4));
    out->dept_id = ow_col_int64(st, 5);
    out->intake_org_id = ow_col_int64(st, 6);
    out->intake_scope_id = ow_col_int64(st, 7);
    out->applicant_user_id = ow_col_int64(st, 8);
    out->concluded_at = ow_col_int64(st, 9);
    ow_reset(st);
    return OW_OK;
}

#define BRIEF_COLS                                                                                 \
    "SELECT id, case_no, state, channel, item_name, dept_id, intake_org_id, intake_scope_id,"      \
    " coalesce(applicant_user_id, 0), coalesce(concluded_at, 0) FROM cases"

int ow_cases_brief(ow_ctx *cx, int64_t id, ow_case_brief *out) {
    static const char *sql = BRIEF_COLS " WHERE id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    return brief_row(cx, st, out);
}

int ow_cases_brief_by_no(ow_ctx *cx, const char *case_no, ow_case_brief *out) {
    static const char *sql = BRIEF_COLS " WHERE case_no = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, case_no);
    return brief_row(cx, st, out);
}

#define ROW_COLS                                                                                   \
    "SELECT id, item_id, dept_id, intake_org_id, intake_scope_id, case_no, item_name, state,"      \
    " channel, received_date, accepted_date, clock_start,"                                         \
    " CASE WHEN concluded_at IS NULL THEN NULL ELSE " CONCLUDED_DAY " END,"                        \
    " due_date, due_committed, committed_days, decided_date FROM cases"

static int walk(ow_ctx *cx, ow_stmt *st, ow_case_view_fn fn, void *arg) {
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_case_view r = {
            .id = ow_col_int64(st, 0),
            .item_id = ow_col_int64(st, 1),
            .dept_id = ow_col_int64(st, 2),
            .intake_org_id = ow_col_int64(st, 3),
            .intake_scope_id = ow_col_int64(st, 4),
            .case_no = ow_db_text(st, 5),
            .item_name = ow_db_text(st, 6),
            .state = ow_db_text(st, 7),
            .channel = ow_db_text(st, 8),
            .received_date = col_date(st, 9),
            .accepted_date = col_date(st, 10),
            .clock_start = col_date(st, 11),
            .concluded_date = col_date(st, 12),
            .due_date = col_date(st, 13),
            .due_committed = col_date(st, 14),
            .committed_days = ow_col_int(st, 15),
            .decided_date = col_date(st, 16),
        };
        r.paused = !strcmp(r.state, "supplement") || !strcmp(r.state, "suspended");
        out = fn(arg, &r);
        if (out) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(cx->db, "case walk", &cx->err);
    ow_reset(st);
    return out;
}

int ow_cases_each_open(ow_ctx *cx, ow_case_view_fn fn, void *arg) {
    static const char *sql =
        ROW_COLS " WHERE state IN ('submitted', 'supplement', 'review', 'suspended', 'approved')"
                 " ORDER BY id";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    return walk(cx, st, fn, arg);
}

/* An office's open cases through the three queue indexes (0009): its department's, its
 * intake window's and its centre's or township's open queues, rather than every open
 * case of the district read and filtered (≈170 k rows of 1.5 KB on the 1M bench
 * database: a second per workbench home).  UNION: an office can be two of them. */
#define SCOPED_IDS(queues)                                                                         \
    "SELECT id FROM cases INDEXED BY cases_dept WHERE dept_id = ?1 AND queue IN (" queues ")"      \
    " UNION SELECT id FROM cases INDEXED BY cases_intake_org"                                      \
    " WHERE intake_org_id = ?1 AND queue IN (" queues ")"                                          \
    " UNION SELECT id FROM cases INDEXED BY cases_intake"                                          \
    " WHERE intake_scope_id = ?1 AND queue IN (" queues ")"

int ow_cases_each_open_in(ow_ctx *cx, int64_t scope, ow_case_view_fn fn, void *arg) {
    static const char *sql =
        ROW_COLS " WHERE id IN (" SCOPED_IDS("'intake', 'review', 'delivery'") ") ORDER BY id";
    if (!scope) return ow_cases_each_open(cx, fn, arg);
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, scope);
    return walk(cx, st, fn, arg);
}

/* From case_facts (db/migrations/0007_case_facts.sql): integers only, no case number
 * or item name, so a month of a million cases is read in tens of milliseconds.  Unset
 * dates come back as OW_DATE_NONE from SQL (coalesce), so each row costs one
 * column read (ow_col_int) per field rather than two: on a year of a million cases those
 * calls were a third of the request (perf). */
/* Walk a statement over case_facts whose columns are case_id, item_id, dept_id,
 * intake_org_id, intake_scope_id, channel, state, received_date, then accepted_date,
 * clock_start, decided_date, concluded_date, due_committed with NULL as OW_DATE_NONE. */
static int facts_walk(ow_ctx *cx, ow_stmt *st, ow_case_view_fn fn, void *arg) {
    static const char *channels[] = {"online", "window", "township", "agent"};
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        int ch = ow_col_int(st, 5);
        ow_case_view r = {
            .id = ow_col_int64(st, 0),
            .item_id = ow_col_int64(st, 1),
            .dept_id = ow_col_int64(st, 2),
            .intake_org_id = ow_col_int64(st, 3),
            .intake_scope_id = ow_col_int64(st, 4),
            .channel = channels[ch >= 0 && ch < 4 ? ch : 0],
            .state = ow_db_text(st, 6),
            .case_no = "",
            .item_name = "",
            .received_date = ow_col_int(st, 7),
            .accepted_date = ow_col_int(st, 8),
            .clock_start = ow_col_int(st, 9),
            .decided_date = ow_col_int(st, 10),
            .concluded_date = ow_col_int(st, 11),
            .due_date = OW_DATE_NONE,
            .due_committed = ow_col_int(st, 12),
        };
        r.paused = !strcmp(r.state, "supplement") || !strcmp(r.state, "suspended");
        out = fn(arg, &r);
        if (out) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(cx->db, "case facts walk", &cx->err);
    ow_reset(st);
    return out;
}

int ow_cases_each_touching(ow_ctx *cx, int32_t from, int32_t to, ow_case_view_fn fn, void *arg) {
    static const char *sql =
        "SELECT case_id, item_id, dept_id, intake_org_id, intake_scope_id, channel, state,"
        " received_date, coalesce(accepted_date, ?3), coalesce(clock_start, ?3),"
        " coalesce(decided_date, ?3), coalesce(concluded_date, ?3), coalesce(due_committed, ?3)"
        " FROM case_facts NOT INDEXED WHERE received_date BETWEEN ?1 AND ?2"
        " OR accepted_date BETWEEN ?1 AND ?2 OR concluded_date BETWEEN ?1 AND ?2";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, from);
    ow_bind_int(st, 2, to);
    ow_bind_int(st, 3, OW_DATE_NONE);
    return facts_walk(cx, st, fn, arg);
}

int ow_cases_count_state(ow_ctx *cx, int64_t scope, const char *state, int64_t *n) {
    static const char *sql = "SELECT count(*) FROM cases INDEXED BY cases_state WHERE state = ?2"
                             " AND ?1 = 0";
    static const char *scoped_sql =
        "SELECT count(*) FROM cases WHERE state = ?2 AND id IN (" SCOPED_IDS(
            "CASE WHEN ?2 IN ('submitted', 'supplement') THEN 'intake' WHEN ?2 IN ('review',"
            " 'suspended') THEN 'review' WHEN ?2 = 'approved' THEN 'delivery' ELSE 'closed' "
            "END") ")";
    ow_stmt *st = ow_db_stmt(cx->db, scope ? scoped_sql : sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, scope);
    ow_bind_text(st, 2, state);
    int rc = ow_step(st);
    *n = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(cx->db, "count by state", &cx->err);
}

int ow_cases_each_open_deadline(ow_ctx *cx, int64_t scope, ow_case_deadline_fn fn, void *arg) {
    static const char *sql =
        "SELECT coalesce(clock_start, received_date),"
        " CASE WHEN state IN ('supplement', 'suspended') THEN NULL ELSE due_date END"
        " FROM cases INDEXED BY cases_state"
        " WHERE state IN ('submitted', 'supplement', 'review', 'suspended', 'approved')";
    /* an office's: its open cases' rows, in (due, start) order so neighbours share both */
    static const char *scoped_sql =
        "SELECT coalesce(clock_start, received_date) AS s,"
        " CASE WHEN state IN ('supplement', 'suspended') THEN NULL ELSE due_date END AS d"
        " FROM cases WHERE id IN (" SCOPED_IDS("'intake', 'review', 'delivery'") ")"
                                                                                 " ORDER BY d, s";
    ow_stmt *st = ow_db_stmt(cx->db, scope ? scoped_sql : sql, &cx->err);
    if (!st) return OW_EDB;
    if (scope) ow_bind_int64(st, 1, scope);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        out = fn(arg, col_date(st, 0), col_date(st, 1));
        if (out) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(cx->db, "open deadlines", &cx->err);
    ow_reset(st);
    return out;
}

int ow_cases_rollup_days_each(ow_ctx *cx, int dim, int32_t from, int32_t to, ow_case_days_fn fn,
                              void *arg) {
    static const char *sql = "SELECT key, day, days, n FROM case_rollup_days"
                             " WHERE dim = ?1 AND day BETWEEN ?2 AND ?3 AND n > 0";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, dim);
    ow_bind_int(st, 2, from);
    ow_bind_int(st, 3, to);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_case_days r = {.key = ow_col_int64(st, 0),
                          .day = ow_col_int(st, 1),
                          .days = ow_col_int(st, 2),
                          .n = ow_col_int64(st, 3)};
        out = fn(arg, &r);
        if (out) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(cx->db, "handling time walk", &cx->err);
    ow_reset(st);
    return out;
}

/* Ordinals over the last run of consecutive loaded years and the provisional years after
 * them: a span reaching into a year before a gap has no ordinal at one end and stays
 * NULL, as report.c's per-case count would refuse it. */
int ow_cases_sync_workdays(ow_calendar *cal, ow_db *db, int64_t *recomputed, ow_err *e) {
    static const char *count_sql = "SELECT count(*), min(day), max(day) FROM workday_ord";
    static const char *all_sql = "SELECT day, ord FROM workday_ord ORDER BY day";
    static const char *insert_sql = "INSERT INTO workday_ord (day, ord) VALUES (?, ?)";
    /* the triggers' expression (0015), on case_facts' own columns */
#define HANDLING_DAYS                                                                              \
    "(SELECT ord FROM workday_ord WHERE day = coalesce(decided_date, concluded_date))"             \
    " - (SELECT ord FROM workday_ord WHERE day = coalesce(clock_start, accepted_date))"
    static const char *update_sql =
        "UPDATE case_facts SET handling_days = CASE WHEN coalesce(clock_start, accepted_date)"
        " IS NOT NULL AND coalesce(decided_date, concluded_date) >= coalesce(clock_start,"
        " accepted_date) THEN " HANDLING_DAYS " END"
        " WHERE concluded_date IS NOT NULL AND state IN ('concluded', 'denied')"
        " AND handling_days IS DISTINCT FROM CASE WHEN coalesce(clock_start, accepted_date) IS NOT "
        "NULL"
        " AND coalesce(decided_date, concluded_date) >= coalesce(clock_start, accepted_date)"
        " THEN " HANDLING_DAYS " END";
#undef HANDLING_DAYS
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
    bool same = false;
    ow_stmt *st = ow_db_stmt(db, count_sql, e);
    if (!st) goto db_fail;
    if (ow_step(st) == OW_ROW)
        same =
            (size_t)ow_col_int64(st, 0) == n && ow_col_int(st, 1) == lo && ow_col_int(st, 2) == hi;
    ow_reset(st);
    if (same) {
        if (!(st = ow_db_stmt(db, all_sql, e))) goto db_fail;
        for (size_t i = 0; same && ow_step(st) == OW_ROW; i++)
            same = i < n && ow_col_int(st, 0) == lo + (int32_t)i && ow_col_int(st, 1) == ord[i];
        ow_reset(st);
    }
    if (same) {
        free(ord);
        return OW_OK;
    }
    int rc = ow_db_savepoint(db, e);
    if (rc) {
        free(ord);
        return rc;
    }
    if ((rc = ow_db_exec(db, "DELETE FROM workday_ord", e))) goto undo;
    if (!(st = ow_db_stmt(db, insert_sql, e))) goto undo_db;
    for (size_t i = 0; i < n; i++) {
        ow_bind_int(st, 1, lo + (int32_t)i);
        ow_bind_int(st, 2, ord[i]);
        int s = ow_step(st);
        ow_reset(st);
        if (s != OW_DONE) {
            rc = ow_db_fail(db, "working-day ordinals", e);
            goto undo;
        }
    }
    if (!(st = ow_db_stmt(db, update_sql, e))) goto undo_db;
    if (ow_step(st) != OW_DONE) {
        ow_reset(st);
        rc = ow_db_fail(db, "handling days", e);
        goto undo;
    }
    ow_reset(st);
    if (recomputed) *recomputed = ow_db_changes(db);
    free(ord);
    return ow_db_release(db, e);
undo_db:
    rc = OW_EDB;
undo:
    ow_db_rollback_to(db);
    free(ord);
    return rc;
db_fail:
    free(ord);
    return OW_EDB;
}

int ow_cases_rollup_each(ow_ctx *cx, int dim, int32_t from, int32_t to, ow_case_rollup_fn fn,
                         void *arg) {
    static const char *sql =
        "SELECT key, day, received, accepted, concluded, on_time, late, refused FROM case_rollup"
        " WHERE dim = ?1 AND day BETWEEN ?2 AND ?3"
        " AND (received <> 0 OR accepted <> 0 OR concluded <> 0 OR on_time <> 0 OR late <> 0"
        " OR refused <> 0)";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, dim);
    ow_bind_int(st, 2, from);
    ow_bind_int(st, 3, to);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_case_rollup r = {.key = ow_col_int64(st, 0), .day = ow_col_int(st, 1)};
        for (int i = 0; i < 6; i++)
            r.n[i] = ow_col_int64(st, 2 + i);
        out = fn(arg, &r);
        if (out) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(cx->db, "case rollup walk", &cx->err);
    ow_reset(st);
    return out;
}

int ow_cases_org_rollup_each(ow_ctx *cx, int64_t org, int32_t from, int32_t to,
                             ow_case_org_rollup_fn fn, void *arg) {
    static const char *sql =
        "SELECT item, dept, win, town, channel, day, days, received, accepted, concluded,"
        " on_time, late, refused FROM case_rollup_org WHERE org = ?1 AND day BETWEEN ?2 AND ?3"
        " AND (received <> 0 OR accepted <> 0 OR concluded <> 0 OR on_time <> 0 OR late <> 0"
        " OR refused <> 0)";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org);
    ow_bind_int(st, 2, from);
    ow_bind_int(st, 3, to);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_case_org_rollup r = {.key = {ow_col_int64(st, 0), ow_col_int64(st, 1),
                                        ow_col_int64(st, 2), ow_col_int64(st, 3),
                                        ow_col_int64(st, 4)},
                                .day = ow_col_int(st, 5),
                                .days = ow_col_int(st, 6)};
        for (int i = 0; i < 6; i++)
            r.n[i] = ow_col_int64(st, 7 + i);
        out = fn(arg, &r);
        if (out) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(cx->db, "office rollup walk", &cx->err);
    ow_reset(st);
    return out;
}

const char *ow_cases_item_name(ow_ctx *cx, int64_t item_id) {
    static const char *sql =
        "SELECT item_name FROM cases WHERE item_id = ? ORDER BY id DESC LIMIT 1";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return "";
    ow_bind_int64(st, 1, item_id);
    const char *name = "";
    if (ow_step(st) == OW_ROW) name = ow_strdup(cx->arena, ow_db_text(st, 0));
    ow_reset(st);
    return name;
}
