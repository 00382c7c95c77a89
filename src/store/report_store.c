/* report_store.c — see report_store.h. */
#include "store/report_store.h"

#include "store/db.h"

/* The end of a walk: fn's answer, or the database's failure. */
static int walked(ow_db *db, ow_stmt *st, int rc, int out, const char *what, ow_err *e) {
    ow_reset(st);
    ow_clear_bindings(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, what, e);
    return out;
}

int ow_report_store_rating_groups(ow_db *db, ow_report_ratings_by by, int32_t from, int32_t to,
                                  int64_t scope,
                                  int (*fn)(void *arg, const ow_report_rating_group *g), void *arg,
                                  ow_err *e) {
    /* ?1 from ?2 to ?3 scope; the key expression differs per dimension */
    static const char *const sqls[] = {
        [OW_REPORT_RATINGS_BY_DEPARTMENT] =
            "SELECT r.dept_id, sum(level=5), sum(level=4), sum(level=3), sum(level=2),"
            " sum(level=1), sum(x.state = 'closed') FROM ratings r LEFT JOIN rectifications x ON"
            " x.rating_id = r.id WHERE r.void = 0 AND r.rated_date BETWEEN ?1 AND ?2 AND (?3 = 0"
            " OR r.dept_id = ?3 OR r.org_id = ?3) GROUP BY 1 ORDER BY count(*) DESC, 1",
        [OW_REPORT_RATINGS_BY_WINDOW] =
            "SELECT r.org_id, sum(level=5), sum(level=4), sum(level=3), sum(level=2),"
            " sum(level=1), sum(x.state = 'closed') FROM ratings r LEFT JOIN rectifications x ON"
            " x.rating_id = r.id WHERE r.void = 0 AND r.org_id IS NOT NULL AND r.rated_date"
            " BETWEEN ?1 AND ?2 AND (?3 = 0 OR r.dept_id = ?3 OR r.org_id = ?3) GROUP BY 1"
            " ORDER BY count(*) DESC, 1",
        [OW_REPORT_RATINGS_BY_CHANNEL] =
            "SELECT r.channel, sum(level=5), sum(level=4), sum(level=3), sum(level=2),"
            " sum(level=1), sum(x.state = 'closed') FROM ratings r LEFT JOIN rectifications x ON"
            " x.rating_id = r.id WHERE r.void = 0 AND r.rated_date BETWEEN ?1 AND ?2 AND (?3 = 0"
            " OR r.dept_id = ?3 OR r.org_id = ?3) GROUP BY 1 ORDER BY 1",
        [OW_REPORT_RATINGS_BY_MONTH] =
            "SELECT ow_month(r.rated_date), sum(level=5),"
            " sum(level=4), sum(level=3), sum(level=2), sum(level=1), sum(x.state = 'closed')"
            " FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id"
            " WHERE r.void = 0 AND r.rated_date BETWEEN ?1 AND ?2 AND (?3 = 0 OR r.dept_id = ?3"
            " OR r.org_id = ?3) GROUP BY 1 ORDER BY 1",
    };
    ow_stmt *st = ow_db_stmt(db, sqls[by], e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, from);
    ow_bind_int(st, 2, to);
    ow_bind_int64(st, 3, scope);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_report_rating_group g = {.key = ow_db_text(st, 0), .rectified = ow_col_int64(st, 6)};
        for (int l = 5, c = 1; l >= 1; l--, c++)
            g.level[l] = ow_col_int64(st, c);
        if ((out = fn(arg, &g))) break;
    }
    return walked(db, st, rc, out, "rating stats", e);
}

#define COMPLAINT_SCOPE                                                                            \
    " filed_date BETWEEN ?1 AND ?2 AND (?3 = 0 OR assigned_org_id = ?3 OR assigned_org_id IN"      \
    " (SELECT id FROM orgs WHERE parent_id = ?3))"

int ow_report_store_complaint_groups(ow_db *db, ow_report_complaints_by by, int32_t from,
                                     int32_t to, int64_t scope,
                                     int (*fn)(void *arg, const ow_report_complaint_group *g),
                                     void *arg, ow_err *e) {
#define COMPLAINT_TAIL                                                                             \
    " count(*), sum(answered_at IS NOT NULL), sum(answered_at IS NOT NULL AND answered_late = 0)," \
    " sum(answered_late), sum(state IN ('submitted', 'assigned')), sum(escalation > 0),"           \
    " avg(satisfaction) FROM complaints WHERE" COMPLAINT_SCOPE " GROUP BY 1 ORDER BY 1"
    static const char *const sqls[] = {
        [OW_REPORT_COMPLAINTS_BY_DEPARTMENT] =
            "SELECT coalesce(assigned_org_id, 0)," COMPLAINT_TAIL,
        [OW_REPORT_COMPLAINTS_BY_KIND] = "SELECT kind," COMPLAINT_TAIL,
        [OW_REPORT_COMPLAINTS_BY_MONTH] = "SELECT ow_month(filed_date)," COMPLAINT_TAIL,
    };
#undef COMPLAINT_TAIL
    ow_stmt *st = ow_db_stmt(db, sqls[by], e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, from);
    ow_bind_int(st, 2, to);
    ow_bind_int64(st, 3, scope);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_report_complaint_group g = {.key = ow_db_text(st, 0),
                                       .satisfaction = ow_col_double(st, 7),
                                       .has_satisfaction = !ow_col_null(st, 7)};
        for (int i = 0; i < OW_REPORT_C_COUNTS; i++)
            g.v[i] = ow_col_int64(st, i + 1);
        if ((out = fn(arg, &g))) break;
    }
    return walked(db, st, rc, out, "complaint stats", e);
}

int ow_report_store_complaint_satisfaction(ow_db *db, int32_t from, int32_t to, int64_t scope,
                                           double *avg, bool *has, ow_err *e) {
    *avg = 0;
    *has = false;
    ow_stmt *st =
        ow_db_stmt(db, "SELECT avg(satisfaction) FROM complaints WHERE" COMPLAINT_SCOPE, e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, from);
    ow_bind_int(st, 2, to);
    ow_bind_int64(st, 3, scope);
    if (ow_step(st) == OW_ROW && !ow_col_null(st, 0)) {
        *avg = ow_col_double(st, 0);
        *has = true;
    }
    ow_reset(st);
    ow_clear_bindings(st);
    return OW_OK;
}
