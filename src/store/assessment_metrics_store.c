/* assessment_metrics_store.c — see assessment_metrics_store.h.
 *
 * Every statement names its parameters by a spec string, one letter a parameter in order
 * (?1, ?2 …), so that a statement uses exactly the parameters it binds: PostgreSQL
 * cannot type a parameter that the text never uses.
 *   f e   first and last day as day numbers      F E   the same as YYYY-MM-DD
 *   m M   [from_ms, end_ms)                       Y     1 January of the year, as text
 *   o     the unit (0 = every unit) */
#include "store/assessment_metrics_store.h"

#include <string.h>

#include "core/workdays.h"
#include "store/db.h"

void ow_assess_span_init(ow_assess_span *s, int32_t from, int32_t end) {
    memset(s, 0, sizeof *s);
    s->from = from;
    s->end = end;
    ow_date_format(from, s->from_s);
    ow_date_format(end, s->end_s);
    int y, m, d;
    ow_date_ymd(from, &y, &m, &d);
    ow_date_format(ow_date_from_ymd(y, 1, 1), s->year_start_s);
    /* Shanghai midnight is 16:00 UTC of the day before */
    s->from_ms = ((int64_t)from * 86400 - 8 * 3600) * 1000;
    s->end_ms = ((int64_t)(end + 1) * 86400 - 8 * 3600) * 1000;
}

static void bind_spec(ow_stmt *st, const char *spec, const ow_assess_span *s, int64_t org) {
    for (int i = 0; spec[i]; i++) {
        int k = i + 1;
        switch (spec[i]) {
        case 'f':
            ow_bind_int(st, k, s->from);
            break;
        case 'e':
            ow_bind_int(st, k, s->end);
            break;
        case 'F':
            ow_bind_text(st, k, s->from_s);
            break;
        case 'E':
            ow_bind_text(st, k, s->end_s);
            break;
        case 'm':
            ow_bind_int64(st, k, s->from_ms);
            break;
        case 'M':
            ow_bind_int64(st, k, s->end_ms);
            break;
        case 'Y':
            ow_bind_text(st, k, s->year_start_s);
            break;
        case 'o':
            ow_bind_int64(st, k, org);
            break;
        default:
            break;
        }
    }
}

/* The unit of a row served at an office: a township centre for itself and its agent
 * points (o is the office's row of orgs). */
#define TOWN_OF(o) "CASE WHEN " o ".kind = 'agent_point' THEN " o ".parent_id ELSE " o ".id END"

/* ---- figures ---- */

typedef struct fig_sql {
    const char *metric, *kind; /* kind NULL: both kinds */
    const char *spec, *sql;
} fig_sql;

/* clang-format off */
static const fig_sql FIGS[] = {
    /* the statistics' per-day rollup (migration 0015: dim 1 department, 3 township centre)
     * counts exactly this rule by the day a case ended: a year of a million cases is 365
     * rows a unit instead of a scan of case_facts (bench/RESULTS-assessment.md) */
    {"on_time_rate", "department", "fe",
     "SELECT r.key, sum(r.on_time), sum(r.on_time + r.late) FROM case_rollup r"
     " WHERE r.dim = 1 AND r.day BETWEEN ?1 AND ?2 GROUP BY r.key"},
    {"on_time_rate", "township", "fe",
     "SELECT r.key, sum(r.on_time), sum(r.on_time + r.late) FROM case_rollup r"
     " WHERE r.dim = 3 AND r.day BETWEEN ?1 AND ?2 GROUP BY r.key"},
    {"overdue_cases", "department", "e",
     "SELECT f.dept_id, count(*), count(*) FROM case_facts f"
     " WHERE f.received_date <= ?1 AND f.due_committed IS NOT NULL AND f.due_committed < ?1"
     " AND (f.concluded_date IS NULL OR f.concluded_date > ?1)"
     " AND (f.decided_date IS NULL OR f.decided_date > ?1) GROUP BY f.dept_id"},
    {"overdue_cases", "township", "e",
     "SELECT f.intake_scope_id, count(*), count(*) FROM case_facts f"
     " WHERE f.received_date <= ?1 AND f.due_committed IS NOT NULL AND f.due_committed < ?1"
     " AND (f.concluded_date IS NULL OR f.concluded_date > ?1)"
     " AND (f.decided_date IS NULL OR f.decided_date > ?1) GROUP BY f.intake_scope_id"},
    {"rating_satisfaction", "department", "fe",
     "SELECT r.dept_id, sum(CASE WHEN r.level >= 3 THEN 1 ELSE 0 END), count(*) FROM ratings r"
     " WHERE r.void = 0 AND r.rated_date BETWEEN ?1 AND ?2 GROUP BY r.dept_id"},
    {"rating_satisfaction", "township", "fe",
     "SELECT " TOWN_OF("o") ", sum(CASE WHEN r.level >= 3 THEN 1 ELSE 0 END), count(*)"
     " FROM ratings r JOIN orgs o ON o.id = r.org_id"
     " WHERE r.void = 0 AND r.rated_date BETWEEN ?1 AND ?2 GROUP BY 1"},
    {"bad_rectified", "department", "feM",
     "SELECT r.dept_id, sum(CASE WHEN x.state = 'closed' AND x.closed_late = 0"
     " AND x.closed_at < ?3 THEN 1 ELSE 0 END), count(*)"
     " FROM rectifications x JOIN ratings r ON r.id = x.rating_id"
     " WHERE x.due_date BETWEEN ?1 AND ?2 AND coalesce(x.appeal_result, '') <> 'revoked'"
     " GROUP BY r.dept_id"},
    {"bad_rectified", "township", "feM",
     "SELECT " TOWN_OF("o") ", sum(CASE WHEN x.state = 'closed' AND x.closed_late = 0"
     " AND x.closed_at < ?3 THEN 1 ELSE 0 END), count(*)"
     " FROM rectifications x JOIN ratings r ON r.id = x.rating_id JOIN orgs o ON o.id = r.org_id"
     " WHERE x.due_date BETWEEN ?1 AND ?2 AND coalesce(x.appeal_result, '') <> 'revoked'"
     " GROUP BY 1"},
    {"complaints_on_time", NULL, "feM",
     "SELECT " TOWN_OF("o") ", sum(CASE WHEN c.answered_date BETWEEN ?1 AND ?2"
     " AND c.answered_late = 0 THEN 1 ELSE 0 END), count(*)"
     " FROM complaints c JOIN orgs o ON o.id = c.assigned_org_id"
     " WHERE c.answered_date BETWEEN ?1 AND ?2"
     " OR (c.filed_date <= ?2 AND (c.answered_date IS NULL OR c.answered_date > ?2)"
     "     AND (c.due_date < ?2 OR EXISTS (SELECT 1 FROM complaint_events v"
     "          WHERE v.complaint_id = c.id AND v.action = 'escalate' AND v.at < ?3)))"
     " GROUP BY 1"},
    {"online_rate", "department", "",
     "SELECT i.dept_id, sum(CASE WHEN i.online_depth <> 'none' THEN 1 ELSE 0 END), count(*)"
     " FROM items i WHERE i.status = 'published' GROUP BY i.dept_id"},
    {"full_online_rate", "department", "",
     "SELECT i.dept_id, sum(CASE WHEN i.online_depth = 'full' THEN 1 ELSE 0 END), count(*)"
     " FROM items i WHERE i.status = 'published' GROUP BY i.dept_id"},
    {"one_visit_rate", "department", "",
     "SELECT i.dept_id, sum(CASE WHEN i.visits <= 1 THEN 1 ELSE 0 END), count(*)"
     " FROM items i WHERE i.status = 'published' GROUP BY i.dept_id"},
    {"guide_complete", "department", "",
     "SELECT i.dept_id, sum(CASE WHEN i.basis <> '' AND i.conditions <> '' AND i.place <> ''"
     " AND i.hours <> '' AND i.consult_phone <> '' AND i.complaint_phone <> ''"
     " AND i.result_name <> '' AND i.remedies <> ''"
     " AND EXISTS (SELECT 1 FROM item_materials m WHERE m.item_id = i.id)"
     " AND EXISTS (SELECT 1 FROM item_steps s WHERE s.item_id = i.id) THEN 1 ELSE 0 END),"
     " count(*) FROM items i WHERE i.status = 'published' GROUP BY i.dept_id"},
    {"publications", NULL, "FE",
     "SELECT p.org_id, count(*), count(*) FROM publications p"
     " WHERE p.state IN ('published', 'withdrawn') AND p.published_date BETWEEN ?1 AND ?2"
     " GROUP BY p.org_id"},
    {"key_area_empty", "department", "YE",
     "SELECT o.id, 4 - count(DISTINCT p.column_code), 4 FROM orgs o LEFT JOIN publications p"
     " ON p.org_id = o.id AND p.state IN ('published', 'withdrawn')"
     " AND p.column_code IN ('budget', 'major_projects', 'public_resources', 'public_welfare')"
     " AND p.published_date BETWEEN ?1 AND ?2"
     " WHERE o.kind = 'department' GROUP BY o.id"},
    {"info_requests_on_time", NULL, "FE",
     "SELECT q.org_id, sum(CASE WHEN q.concluded_date BETWEEN ?1 AND ?2"
     " AND q.state IN ('replied', 'closed')"
     " AND (q.due_date IS NULL OR q.concluded_date <= q.due_date) THEN 1 ELSE 0 END), count(*)"
     " FROM info_requests q"
     " WHERE (q.concluded_date BETWEEN ?1 AND ?2 AND q.state IN ('replied', 'closed'))"
     " OR (q.received_date <= ?2 AND (q.concluded_date IS NULL OR q.concluded_date > ?2)"
     "     AND q.due_date < ?2 AND q.state <> 'withdrawn')"
     " GROUP BY q.org_id"},
    {"inspection_rectified", NULL, "FE",
     "SELECT d.org_id, sum(CASE WHEN d.rectified_date IS NOT NULL"
     " AND d.rectified_date <= d.rectify_by AND d.rectified_date <= ?2 THEN 1 ELSE 0 END),"
     " count(*) FROM disclosure_inspections d WHERE d.rectify_by BETWEEN ?1 AND ?2"
     " GROUP BY d.org_id"},
    {"notices_on_time", NULL, "mMe",
     "SELECT n.org_id, sum(r.ok), count(*) FROM ("
     " SELECT v.notice_id, CASE WHEN v.late = 0 THEN 1 ELSE 0 END AS ok"
     " FROM supervision_notice_events v WHERE v.action = 'reply' AND v.at >= ?1 AND v.at < ?2"
     " UNION ALL SELECT v.notice_id, 0 FROM supervision_notice_events v"
     " WHERE v.action IN ('issue', 'follow_up') AND v.reply_due < ?3 AND v.at < ?2"
     " AND NOT EXISTS (SELECT 1 FROM supervision_notice_events w WHERE w.notice_id = v.notice_id"
     "     AND w.seq > v.seq AND w.action IN ('reply', 'close') AND w.at < ?2)"
     ") r JOIN supervision_notices n ON n.id = r.notice_id GROUP BY n.org_id"},
    {"tasks_on_time", NULL, "FE",
     "SELECT u.org_id, sum(CASE WHEN t.state = 'done' AND t.done_date <= t.deadline"
     " AND t.done_date <= ?2 THEN 1 ELSE 0 END), count(*)"
     " FROM (SELECT id AS task_id, lead_org_id AS org_id FROM work_tasks"
     "       UNION SELECT task_id, org_id FROM work_task_units) u"
     " JOIN work_tasks t ON t.id = u.task_id JOIN work_plans p ON p.id = t.plan_id"
     " WHERE p.state = 'issued' AND t.deadline BETWEEN ?1 AND ?2 GROUP BY u.org_id"},
};
/* clang-format on */

static const fig_sql *find_sql(const fig_sql *list, size_t n, const char *metric,
                               const char *kind) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i].metric, metric) && (!list[i].kind || !strcmp(list[i].kind, kind)))
            return &list[i];
    return NULL;
}

int ow_assess_store_figures(ow_db *db, const char *metric, const char *kind,
                            const ow_assess_span *s, ow_assess_fig_fn fn, void *arg, ow_err *e) {
    const fig_sql *q = find_sql(FIGS, sizeof FIGS / sizeof *FIGS, metric, kind);
    if (!q) return ow_err_set(e, OW_EINVAL, "metric", "指标“%s”不适用于此类单位", metric);
    ow_stmt *st = ow_db_stmt(db, q->sql, e);
    if (!st) return OW_EDB;
    bind_spec(st, q->spec, s, 0);
    int rc;
    while ((rc = ow_step(st)) == OW_ROW)
        if (!ow_col_null(st, 0))
            fn(arg, ow_col_int64(st, 0), ow_col_int64(st, 1), ow_col_int64(st, 2));
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, metric, e);
}

/* ---- records ----
 * Every statement answers the same columns: org, ref_id, ref_no, title, date, due, n, note.
 * Dates come as day numbers (d) or text (t): the letters after the spec say which. */

typedef struct rec_sql {
    const char *metric, *kind;
    const char *spec, *ref_type;
    char date_type; /* 'd' day numbers, 't' YYYY-MM-DD text, 'n' none */
    const char *sql;
} rec_sql;

#define CASE_COLS(org)                                                                             \
    "SELECT " org ", c.id, c.case_no, c.item_name, coalesce(f.decided_date, f.concluded_date),"    \
    " f.due_committed, 0, c.state"

/* clang-format off */
static const rec_sql RECS[] = {
    {"on_time_rate", "department", "feo", "case", 'd',
     CASE_COLS("f.dept_id") " FROM case_facts f JOIN cases c ON c.id = f.case_id"
     " WHERE f.concluded_date BETWEEN ?1 AND ?2 AND f.state IN ('concluded', 'denied')"
     " AND f.due_committed IS NOT NULL AND coalesce(f.decided_date, f.concluded_date) > f.due_committed"
     " AND (?3 = 0 OR f.dept_id = ?3) ORDER BY f.concluded_date, c.id"},
    {"on_time_rate", "township", "feo", "case", 'd',
     CASE_COLS("f.intake_scope_id") " FROM case_facts f JOIN cases c ON c.id = f.case_id"
     " WHERE f.concluded_date BETWEEN ?1 AND ?2 AND f.state IN ('concluded', 'denied')"
     " AND f.due_committed IS NOT NULL AND coalesce(f.decided_date, f.concluded_date) > f.due_committed"
     " AND (?3 = 0 OR f.intake_scope_id = ?3) ORDER BY f.concluded_date, c.id"},
    {"overdue_cases", "department", "eo", "case", 'd',
     "SELECT f.dept_id, c.id, c.case_no, c.item_name, NULL, f.due_committed, 0, c.state"
     " FROM case_facts f JOIN cases c ON c.id = f.case_id"
     " WHERE f.received_date <= ?1 AND f.due_committed IS NOT NULL AND f.due_committed < ?1"
     " AND (f.concluded_date IS NULL OR f.concluded_date > ?1)"
     " AND (f.decided_date IS NULL OR f.decided_date > ?1)"
     " AND (?2 = 0 OR f.dept_id = ?2) ORDER BY f.due_committed, c.id"},
    {"overdue_cases", "township", "eo", "case", 'd',
     "SELECT f.intake_scope_id, c.id, c.case_no, c.item_name, NULL, f.due_committed, 0, c.state"
     " FROM case_facts f JOIN cases c ON c.id = f.case_id"
     " WHERE f.received_date <= ?1 AND f.due_committed IS NOT NULL AND f.due_committed < ?1"
     " AND (f.concluded_date IS NULL OR f.concluded_date > ?1)"
     " AND (f.decided_date IS NULL OR f.decided_date > ?1)"
     " AND (?2 = 0 OR f.intake_scope_id = ?2) ORDER BY f.due_committed, c.id"},
    {"rating_satisfaction", "department", "feo", "rating", 'd',
     "SELECT r.dept_id, r.id, r.case_no, r.topic, r.rated_date, NULL, r.level, r.comment"
     " FROM ratings r WHERE r.void = 0 AND r.rated_date BETWEEN ?1 AND ?2 AND r.level <= 2"
     " AND (?3 = 0 OR r.dept_id = ?3) ORDER BY r.rated_date, r.id"},
    {"rating_satisfaction", "township", "feo", "rating", 'd',
     "SELECT " TOWN_OF("o") ", r.id, r.case_no, r.topic, r.rated_date, NULL, r.level, r.comment"
     " FROM ratings r JOIN orgs o ON o.id = r.org_id"
     " WHERE r.void = 0 AND r.rated_date BETWEEN ?1 AND ?2 AND r.level <= 2"
     " AND (?3 = 0 OR " TOWN_OF("o") " = ?3) ORDER BY r.rated_date, r.id"},
    {"bad_rectified", "department", "feMo", "rectification", 'd',
     "SELECT r.dept_id, x.id, r.case_no, r.topic, NULL, x.due_date, r.level, x.state"
     " FROM rectifications x JOIN ratings r ON r.id = x.rating_id"
     " WHERE x.due_date BETWEEN ?1 AND ?2 AND coalesce(x.appeal_result, '') <> 'revoked'"
     " AND NOT (x.state = 'closed' AND x.closed_late = 0 AND x.closed_at < ?3)"
     " AND (?4 = 0 OR r.dept_id = ?4) ORDER BY x.due_date, x.id"},
    {"bad_rectified", "township", "feMo", "rectification", 'd',
     "SELECT " TOWN_OF("o") ", x.id, r.case_no, r.topic, NULL, x.due_date, r.level, x.state"
     " FROM rectifications x JOIN ratings r ON r.id = x.rating_id JOIN orgs o ON o.id = r.org_id"
     " WHERE x.due_date BETWEEN ?1 AND ?2 AND coalesce(x.appeal_result, '') <> 'revoked'"
     " AND NOT (x.state = 'closed' AND x.closed_late = 0 AND x.closed_at < ?3)"
     " AND (?4 = 0 OR " TOWN_OF("o") " = ?4) ORDER BY x.due_date, x.id"},
    {"complaints_on_time", NULL, "feMo", "complaint", 'd',
     "SELECT " TOWN_OF("o") ", c.id, c.ref_no, c.title,"
     " CASE WHEN c.answered_date <= ?2 THEN c.answered_date ELSE NULL END, c.due_date,"
     " c.escalation, c.state"
     " FROM complaints c JOIN orgs o ON o.id = c.assigned_org_id"
     " WHERE ((c.answered_date BETWEEN ?1 AND ?2 AND c.answered_late = 1)"
     " OR (c.filed_date <= ?2 AND (c.answered_date IS NULL OR c.answered_date > ?2)"
     "     AND (c.due_date < ?2 OR EXISTS (SELECT 1 FROM complaint_events v"
     "          WHERE v.complaint_id = c.id AND v.action = 'escalate' AND v.at < ?3))))"
     " AND (?4 = 0 OR " TOWN_OF("o") " = ?4) ORDER BY c.filed_date, c.id"},
    {"online_rate", "department", "o", "item", 'n',
     "SELECT i.dept_id, i.id, i.code, i.name, NULL, NULL, i.visits, i.online_depth FROM items i"
     " WHERE i.status = 'published' AND i.online_depth = 'none' AND (?1 = 0 OR i.dept_id = ?1)"
     " ORDER BY i.code"},
    {"full_online_rate", "department", "o", "item", 'n',
     "SELECT i.dept_id, i.id, i.code, i.name, NULL, NULL, i.visits, i.online_depth FROM items i"
     " WHERE i.status = 'published' AND i.online_depth <> 'full' AND (?1 = 0 OR i.dept_id = ?1)"
     " ORDER BY i.code"},
    {"one_visit_rate", "department", "o", "item", 'n',
     "SELECT i.dept_id, i.id, i.code, i.name, NULL, NULL, i.visits, i.online_depth FROM items i"
     " WHERE i.status = 'published' AND i.visits > 1 AND (?1 = 0 OR i.dept_id = ?1)"
     " ORDER BY i.code"},
    {"guide_complete", "department", "o", "item", 'n',
     "SELECT * FROM (SELECT i.dept_id, i.id, i.code, i.name, NULL AS d1, NULL AS d2,"
     " CASE WHEN i.basis = '' THEN 1 ELSE 0 END + CASE WHEN i.conditions = '' THEN 2 ELSE 0 END"
     " + CASE WHEN i.place = '' THEN 4 ELSE 0 END + CASE WHEN i.hours = '' THEN 8 ELSE 0 END"
     " + CASE WHEN i.consult_phone = '' THEN 16 ELSE 0 END"
     " + CASE WHEN i.complaint_phone = '' THEN 32 ELSE 0 END"
     " + CASE WHEN i.result_name = '' THEN 64 ELSE 0 END"
     " + CASE WHEN i.remedies = '' THEN 128 ELSE 0 END"
     " + CASE WHEN EXISTS (SELECT 1 FROM item_materials m WHERE m.item_id = i.id) THEN 0 ELSE 256 END"
     " + CASE WHEN EXISTS (SELECT 1 FROM item_steps s WHERE s.item_id = i.id) THEN 0 ELSE 512 END"
     " AS missing, i.online_depth FROM items i"
     " WHERE i.status = 'published' AND (?1 = 0 OR i.dept_id = ?1)) g"
     " WHERE g.missing <> 0 ORDER BY g.code"},
    {"publications", NULL, "FEo", "publication", 't',
     "SELECT p.org_id, p.id, coalesce(p.index_no, ''), p.title, p.published_date, NULL, 0, p.column_code"
     " FROM publications p WHERE p.state IN ('published', 'withdrawn')"
     " AND p.published_date BETWEEN ?1 AND ?2 AND (?3 = 0 OR p.org_id = ?3)"
     " ORDER BY p.published_date, p.id"},
    {"key_area_empty", "department", "YEo", "column", 'n',
     "SELECT o.id, 0, k.code, k.code, NULL, NULL, 0, '' FROM orgs o CROSS JOIN ("
     " SELECT 'budget' AS code UNION ALL SELECT 'major_projects'"
     " UNION ALL SELECT 'public_resources' UNION ALL SELECT 'public_welfare') k"
     " WHERE o.kind = 'department' AND (?3 = 0 OR o.id = ?3)"
     " AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.org_id = o.id"
     "     AND p.column_code = k.code AND p.state IN ('published', 'withdrawn')"
     "     AND p.published_date BETWEEN ?1 AND ?2)"
     " ORDER BY o.id, k.code"},
    {"info_requests_on_time", NULL, "FEo", "info_request", 't',
     "SELECT q.org_id, q.id, q.number, substr(q.content, 1, 60),"
     " CASE WHEN q.concluded_date <= ?2 THEN q.concluded_date ELSE NULL END, q.due_date, 0, q.state"
     " FROM info_requests q"
     " WHERE ((q.concluded_date BETWEEN ?1 AND ?2 AND q.state IN ('replied', 'closed')"
     "        AND q.due_date IS NOT NULL AND q.concluded_date > q.due_date)"
     " OR (q.received_date <= ?2 AND (q.concluded_date IS NULL OR q.concluded_date > ?2)"
     "     AND q.due_date < ?2 AND q.state <> 'withdrawn'))"
     " AND (?3 = 0 OR q.org_id = ?3) ORDER BY q.received_date, q.id"},
    {"inspection_rectified", NULL, "FEo", "inspection", 't',
     "SELECT d.org_id, d.id, d.kind, d.findings,"
     " CASE WHEN d.rectified_date <= ?2 THEN d.rectified_date ELSE NULL END, d.rectify_by, 0, d.rating"
     " FROM disclosure_inspections d WHERE d.rectify_by BETWEEN ?1 AND ?2"
     " AND NOT (d.rectified_date IS NOT NULL AND d.rectified_date <= d.rectify_by"
     "          AND d.rectified_date <= ?2)"
     " AND (?3 = 0 OR d.org_id = ?3) ORDER BY d.rectify_by, d.id"},
    {"notices_on_time", NULL, "mMeo", "notice", 'd',
     "SELECT n.org_id, n.id, n.case_no, n.item_name, r.day, r.due, r.late, r.what FROM ("
     " SELECT v.notice_id, (v.at / 1000 + 28800) / 86400 AS day,"
     " (SELECT max(u.reply_due) FROM supervision_notice_events u WHERE u.notice_id = v.notice_id"
     "  AND u.seq < v.seq AND u.action IN ('issue', 'follow_up')) AS due, 1 AS late, 'late_reply' AS what"
     " FROM supervision_notice_events v WHERE v.action = 'reply' AND v.late = 1"
     " AND v.at >= ?1 AND v.at < ?2"
     " UNION ALL SELECT v.notice_id, NULL, v.reply_due, 0, 'unanswered' FROM supervision_notice_events v"
     " WHERE v.action IN ('issue', 'follow_up') AND v.reply_due < ?3 AND v.at < ?2"
     " AND NOT EXISTS (SELECT 1 FROM supervision_notice_events w WHERE w.notice_id = v.notice_id"
     "     AND w.seq > v.seq AND w.action IN ('reply', 'close') AND w.at < ?2)"
     ") r JOIN supervision_notices n ON n.id = r.notice_id WHERE (?4 = 0 OR n.org_id = ?4)"
     " ORDER BY r.due, n.id"},
    {"tasks_on_time", NULL, "FEo", "task", 't',
     "SELECT u.org_id, t.id, CAST(t.seq AS TEXT), t.title,"
     " CASE WHEN t.done_date <= ?2 THEN t.done_date ELSE NULL END, t.deadline, t.progress, t.state"
     " FROM (SELECT id AS task_id, lead_org_id AS org_id FROM work_tasks"
     "       UNION SELECT task_id, org_id FROM work_task_units) u"
     " JOIN work_tasks t ON t.id = u.task_id JOIN work_plans p ON p.id = t.plan_id"
     " WHERE p.state = 'issued' AND t.deadline BETWEEN ?1 AND ?2"
     " AND NOT (t.state = 'done' AND t.done_date <= t.deadline AND t.done_date <= ?2)"
     " AND (?3 = 0 OR u.org_id = ?3) ORDER BY t.deadline, t.id"},
};
/* clang-format on */

static int32_t col_day(ow_stmt *st, int i, char type) {
    if (ow_col_null(st, i)) return OW_DATE_NONE;
    if (type == 'd') return (int32_t)ow_col_int64(st, i);
    int32_t d;
    return ow_date_parse(ow_db_text(st, i), &d) ? OW_DATE_NONE : d;
}

int ow_assess_store_records(ow_db *db, const char *metric, const char *kind, int64_t org_id,
                            const ow_assess_span *s, ow_assess_rec_fn fn, void *arg, ow_err *e) {
    const rec_sql *q = NULL;
    for (size_t i = 0; i < sizeof RECS / sizeof *RECS; i++)
        if (!strcmp(RECS[i].metric, metric) && (!RECS[i].kind || !strcmp(RECS[i].kind, kind))) {
            q = &RECS[i];
            break;
        }
    if (!q) return ow_err_set(e, OW_EINVAL, "metric", "指标“%s”不适用于此类单位", metric);
    /* a statement per connection, never stepped twice at once: fn may not query */
    ow_stmt *st = ow_db_stmt(db, q->sql, e);
    if (!st) return OW_EDB;
    bind_spec(st, q->spec, s, org_id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_assess_rec r = {.org_id = ow_col_int64(st, 0),
                           .ref_type = q->ref_type,
                           .ref_id = ow_col_int64(st, 1),
                           .ref_no = ow_db_text(st, 2),
                           .title = ow_db_text(st, 3),
                           .date =
                               q->date_type == 'n' ? OW_DATE_NONE : col_day(st, 4, q->date_type),
                           .due = q->date_type == 'n' ? OW_DATE_NONE : col_day(st, 5, q->date_type),
                           .n = ow_col_int64(st, 6),
                           .note = ow_db_text(st, 7)};
        if ((out = fn(arg, &r))) break;
    }
    ow_reset(st);
    ow_clear_bindings(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, metric, e);
    return out;
}

int ow_assess_store_windows(ow_db *db, const ow_assess_span *s,
                            int (*fn)(void *arg, const ow_assess_window *w), void *arg, ow_err *e) {
    static const char *sql =
        "SELECT o.id, o.code, o.name,"
        " (SELECT count(*) FROM ratings r WHERE r.org_id = o.id AND r.void = 0"
        "  AND r.rated_date BETWEEN ?1 AND ?2),"
        " (SELECT count(*) FROM ratings r WHERE r.org_id = o.id AND r.void = 0 AND r.level >= 3"
        "  AND r.rated_date BETWEEN ?1 AND ?2),"
        " (SELECT count(*) FROM service_sessions v WHERE v.window_id = o.id"
        "  AND v.ended_at IS NOT NULL AND v.started_at >= ?3 AND v.started_at < ?4),"
        " (SELECT coalesce(sum(v.ended_at - v.started_at), 0) FROM service_sessions v"
        "  WHERE v.window_id = o.id AND v.ended_at IS NOT NULL"
        "  AND v.started_at >= ?3 AND v.started_at < ?4),"
        " (SELECT count(*) FROM complaints c WHERE c.about_org_id = o.id AND c.kind = 'complaint'"
        "  AND c.filed_date BETWEEN ?1 AND ?2)"
        " FROM orgs o WHERE o.kind = 'window' AND o.active = 1 ORDER BY o.sort, o.id";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    bind_spec(st, "femM", s, 0);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_assess_window w = {.id = ow_col_int64(st, 0),
                              .code = ow_db_text(st, 1),
                              .name = ow_db_text(st, 2),
                              .ratings = ow_col_int64(st, 3),
                              .satisfied = ow_col_int64(st, 4),
                              .services = ow_col_int64(st, 5),
                              .service_ms = ow_col_int64(st, 6),
                              .complaints = ow_col_int64(st, 7)};
        if ((out = fn(arg, &w))) break;
    }
    ow_reset(st);
    ow_clear_bindings(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "windows", e);
    return out;
}
