/* cases_supervision_store.c — see cases_supervision_store.h. */
#include "store/cases_supervision_store.h"

#include <stdio.h>
#include <string.h>

#include "core/workdays.h"
#include "store/db.h"
#include "store/rows.h"

/* concluded_at is an instant; the Shanghai business date is what statistics count. */
#define CONCLUDED_DAY "((concluded_at / 1000 + 28800) / 86400)"

#define BRIEF_COLS                                                                                 \
    "SELECT id, case_no, state, channel, item_name, dept_id, intake_org_id, intake_scope_id,"      \
    " coalesce(applicant_user_id, 0), coalesce(concluded_at, 0) FROM cases"

int ow_cases_store_brief(ow_db *db, int64_t id, const char *case_no, ow_case_brief *out,
                         bool *found, ow_err *e) {
    *found = false;
    ow_stmt *st =
        ow_db_stmt(db, case_no ? BRIEF_COLS " WHERE case_no = ?" : BRIEF_COLS " WHERE id = ?", e);
    if (!st) return OW_EDB;
    if (case_no)
        ow_bind_text(st, 1, case_no);
    else
        ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *found = true;
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
    }
    int ret = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "case brief", e);
    ow_reset(st);
    return ret;
}

#define ROW_COLS                                                                                   \
    "SELECT id, item_id, dept_id, intake_org_id, intake_scope_id, case_no, item_name, state,"      \
    " channel, received_date, accepted_date, clock_start,"                                         \
    " CASE WHEN concluded_at IS NULL THEN NULL ELSE " CONCLUDED_DAY " END,"                        \
    " due_date, due_committed, committed_days, decided_date FROM cases"

static int walk(ow_db *db, ow_stmt *st, ow_case_view_fn fn, void *arg, ow_err *e) {
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
            .received_date = ow_rows_daynum(st, 9),
            .accepted_date = ow_rows_daynum(st, 10),
            .clock_start = ow_rows_daynum(st, 11),
            .concluded_date = ow_rows_daynum(st, 12),
            .due_date = ow_rows_daynum(st, 13),
            .due_committed = ow_rows_daynum(st, 14),
            .committed_days = ow_col_int(st, 15),
            .decided_date = ow_rows_daynum(st, 16),
        };
        r.paused = !strcmp(r.state, "supplement") || !strcmp(r.state, "suspended");
        out = fn(arg, &r);
        if (out) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "case walk", e);
    ow_reset(st);
    return out;
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

int ow_cases_store_each_open(ow_db *db, int64_t scope, ow_case_view_fn fn, void *arg, ow_err *e) {
    static const char *all_sql =
        ROW_COLS " WHERE state IN ('submitted', 'supplement', 'review', 'suspended', 'approved')"
                 " ORDER BY id";
    static const char *sql =
        ROW_COLS " WHERE id IN (" SCOPED_IDS("'intake', 'review', 'delivery'") ") ORDER BY id";
    ow_stmt *st = ow_db_stmt(db, scope ? sql : all_sql, e);
    if (!st) return OW_EDB;
    if (scope) ow_bind_int64(st, 1, scope);
    return walk(db, st, fn, arg, e);
}

int ow_cases_store_count_state(ow_db *db, int64_t scope, const char *state, int64_t *n, ow_err *e) {
    static const char *sql = "SELECT count(*) FROM cases INDEXED BY cases_state WHERE state = ?2"
                             " AND ?1 = 0";
    static const char *scoped_sql =
        "SELECT count(*) FROM cases WHERE state = ?2 AND id IN (" SCOPED_IDS(
            "CASE WHEN ?2 IN ('submitted', 'supplement') THEN 'intake' WHEN ?2 IN ('review',"
            " 'suspended') THEN 'review' WHEN ?2 = 'approved' THEN 'delivery' ELSE 'closed' "
            "END") ")";
    ow_stmt *st = ow_db_stmt(db, scope ? scoped_sql : sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, scope);
    ow_bind_text(st, 2, state);
    int rc = ow_step(st);
    *n = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "count by state", e);
}

int ow_cases_store_each_open_deadline(ow_db *db, int64_t scope, ow_case_deadline_fn fn, void *arg,
                                      ow_err *e) {
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
    ow_stmt *st = ow_db_stmt(db, scope ? scoped_sql : sql, e);
    if (!st) return OW_EDB;
    if (scope) ow_bind_int64(st, 1, scope);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        out = fn(arg, ow_rows_daynum(st, 0), ow_rows_daynum(st, 1));
        if (out) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "open deadlines", e);
    ow_reset(st);
    return out;
}
/* From case_facts (db/migrations/0007_case_facts.sql): integers only, no case number
 * or item name, so a month of a million cases is read in tens of milliseconds.  Unset
 * dates come back as OW_DATE_NONE from SQL (coalesce), so each row costs one
 * column read (ow_col_int) per field rather than two: on a year of a million cases those
 * calls were a third of the request (perf). */
/* Walk a statement over case_facts whose columns are case_id, item_id, dept_id,
 * intake_org_id, intake_scope_id, channel, state, received_date, then accepted_date,
 * clock_start, decided_date, concluded_date, due_committed with NULL as OW_DATE_NONE. */
static int facts_walk(ow_db *db, ow_stmt *st, ow_case_view_fn fn, void *arg, ow_err *e) {
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
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "case facts walk", e);
    ow_reset(st);
    return out;
}

int ow_cases_store_each_touching(ow_db *db, int32_t from, int32_t to, ow_case_view_fn fn, void *arg,
                                 ow_err *e) {
    static const char *sql =
        "SELECT case_id, item_id, dept_id, intake_org_id, intake_scope_id, channel, state,"
        " received_date, coalesce(accepted_date, ?3), coalesce(clock_start, ?3),"
        " coalesce(decided_date, ?3), coalesce(concluded_date, ?3), coalesce(due_committed, ?3)"
        " FROM case_facts NOT INDEXED WHERE received_date BETWEEN ?1 AND ?2"
        " OR accepted_date BETWEEN ?1 AND ?2 OR concluded_date BETWEEN ?1 AND ?2";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, from);
    ow_bind_int(st, 2, to);
    ow_bind_int(st, 3, OW_DATE_NONE);
    return facts_walk(db, st, fn, arg, e);
}

int ow_cases_store_rollup_days_each(ow_db *db, int dim, int32_t from, int32_t to,
                                    ow_case_days_fn fn, void *arg, ow_err *e) {
    static const char *sql = "SELECT key, day, days, n FROM case_rollup_days"
                             " WHERE dim = ?1 AND day BETWEEN ?2 AND ?3 AND n > 0";
    ow_stmt *st = ow_db_stmt(db, sql, e);
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
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "handling time walk", e);
    ow_reset(st);
    return out;
}

int ow_cases_store_rollup_each(ow_db *db, int dim, int32_t from, int32_t to, ow_case_rollup_fn fn,
                               void *arg, ow_err *e) {
    static const char *sql =
        "SELECT key, day, received, accepted, concluded, on_time, late, refused FROM case_rollup"
        " WHERE dim = ?1 AND day BETWEEN ?2 AND ?3"
        " AND (received <> 0 OR accepted <> 0 OR concluded <> 0 OR on_time <> 0 OR late <> 0"
        " OR refused <> 0)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
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
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "case rollup walk", e);
    ow_reset(st);
    return out;
}

int ow_cases_store_org_rollup_each(ow_db *db, int64_t org, int32_t from, int32_t to,
                                   ow_case_org_rollup_fn fn, void *arg, ow_err *e) {
    static const char *sql =
        "SELECT item, dept, win, town, channel, day, days, received, accepted, concluded,"
        " on_time, late, refused FROM case_rollup_org WHERE org = ?1 AND day BETWEEN ?2 AND ?3"
        " AND (received <> 0 OR accepted <> 0 OR concluded <> 0 OR on_time <> 0 OR late <> 0"
        " OR refused <> 0)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
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
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "office rollup walk", e);
    ow_reset(st);
    return out;
}

int ow_cases_store_workdays_same(ow_db *db, int32_t lo, const int *ord, size_t n, bool *same,
                                 ow_err *e) {
    *same = false;
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*), min(day), max(day) FROM workday_ord", e);
    if (!st) return OW_EDB;
    int32_t hi = lo + (int32_t)n - 1;
    if (ow_step(st) == OW_ROW)
        *same =
            (size_t)ow_col_int64(st, 0) == n && ow_col_int(st, 1) == lo && ow_col_int(st, 2) == hi;
    ow_reset(st);
    if (!*same) return OW_OK;
    if (!(st = ow_db_stmt(db, "SELECT day, ord FROM workday_ord ORDER BY day", e))) return OW_EDB;
    for (size_t i = 0; *same && ow_step(st) == OW_ROW; i++)
        *same = i < n && ow_col_int(st, 0) == lo + (int32_t)i && ow_col_int(st, 1) == ord[i];
    ow_reset(st);
    return OW_OK;
}

int ow_cases_store_workdays_put(ow_db *db, int32_t lo, const int *ord, size_t n,
                                int64_t *recomputed, ow_err *e) {
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
    int rc = ow_db_exec(db, "DELETE FROM workday_ord", e);
    if (rc) return rc;
    ow_stmt *st = ow_db_stmt(db, "INSERT INTO workday_ord (day, ord) VALUES (?, ?)", e);
    if (!st) return OW_EDB;
    for (size_t i = 0; i < n; i++) {
        ow_bind_int(st, 1, lo + (int32_t)i);
        ow_bind_int(st, 2, ord[i]);
        if ((rc = ow_rows_done(db, st, "working-day ordinals", e))) return rc;
    }
    if (!(st = ow_db_stmt(db, update_sql, e))) return OW_EDB;
    if ((rc = ow_rows_done(db, st, "handling days", e))) return rc;
    *recomputed = ow_db_changes(db);
    return OW_OK;
}

const char *ow_cases_store_item_name(ow_db *db, ow_arena *a, int64_t item_id, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "SELECT item_name FROM cases WHERE item_id = ? ORDER BY id DESC LIMIT 1", e);
    if (!st) return "";
    ow_bind_int64(st, 1, item_id);
    const char *name = "";
    if (ow_step(st) == OW_ROW) name = ow_rows_dupe(a, st, 0);
    ow_reset(st);
    return name;
}
