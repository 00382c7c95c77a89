/* workplan_store.c — see workplan_store.h. */
#include "store/workplan_store.h"

#include <string.h>

#include "store/db.h"

static const char *dup(ow_arena *a, ow_stmt *st, int i) {
    const char *s = ow_col_text(st, i);
    return s ? ow_strdup(a, s) : NULL;
}
static const char *dupe(ow_arena *a, ow_stmt *st, int i) {
    return ow_strdup(a, ow_db_text(st, i));
}

static int done(ow_db *db, ow_stmt *st, const char *what, ow_err *e) {
    int rc = ow_step(st);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, what, e);
}

static int returning(ow_db *db, ow_stmt *st, int64_t *id, const char *what, ow_err *e) {
    int rc = ow_step(st);
    if (rc == OW_ROW) *id = ow_col_int64(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, what, e);
}

static int walked(ow_db *db, ow_stmt *st, int rc, int out, const char *what, ow_err *e) {
    ow_reset(st);
    ow_clear_bindings(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, what, e);
    return out;
}

/* ---- plans ---- */

int ow_plan_store_insert(ow_db *db, const ow_plan_row *r, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO work_plans(year, title, notes, state, created_at,"
                             " updated_at) VALUES(?1, ?2, ?3, 'draft', ?4, ?4) RETURNING id",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, r->year);
    ow_bind_text(st, 2, r->title);
    ow_bind_text(st, 3, r->notes ? r->notes : "");
    ow_bind_int64(st, 4, r->created_at);
    return returning(db, st, id, "plan insert", e);
}

int ow_plan_store_update(ow_db *db, int64_t id, const char *title, const char *notes, int64_t now,
                         ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE work_plans SET title = coalesce(?2, title),"
                             " notes = coalesce(?3, notes), updated_at = ?4 WHERE id = ?1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, title);
    ow_bind_text(st, 3, notes);
    ow_bind_int64(st, 4, now);
    return done(db, st, "plan update", e);
}

int ow_plan_store_issue(ow_db *db, int64_t id, const char *by, int64_t now, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "UPDATE work_plans SET state = 'issued', issued_at = ?2, issued_by = ?3,"
                   " updated_at = ?2 WHERE id = ?1",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, now);
    ow_bind_text(st, 3, by);
    return done(db, st, "plan issue", e);
}

#define PLAN_COLS                                                                                  \
    "SELECT p.id, p.year, p.title, p.notes, p.state, p.issued_by, coalesce(p.issued_at, 0),"       \
    " p.created_at, p.updated_at,"                                                                 \
    " (SELECT count(*) FROM work_tasks t WHERE t.plan_id = p.id),"                                 \
    " (SELECT count(*) FROM work_tasks t WHERE t.plan_id = p.id AND t.state = 'done'),"            \
    " (SELECT count(*) FROM work_tasks t WHERE t.plan_id = p.id AND t.state <> 'done'"             \
    "  AND t.deadline < ?1)"                                                                       \
    " FROM work_plans p"

static void plan_row(ow_stmt *st, ow_arena *a, ow_plan_row *r) {
    r->id = ow_col_int64(st, 0);
    r->year = ow_col_int(st, 1);
    r->title = dupe(a, st, 2);
    r->notes = dupe(a, st, 3);
    r->state = dupe(a, st, 4);
    r->issued_by = dup(a, st, 5);
    r->issued_at = ow_col_int64(st, 6);
    r->created_at = ow_col_int64(st, 7);
    r->updated_at = ow_col_int64(st, 8);
    r->tasks = ow_col_int(st, 9);
    r->done = ow_col_int(st, 10);
    r->overdue = ow_col_int(st, 11);
}

int ow_plan_store_get(ow_db *db, int64_t id, const char *today, ow_arena *a, ow_plan_row *out,
                      ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, PLAN_COLS " WHERE p.id = ?2", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, today);
    ow_bind_int64(st, 2, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) plan_row(st, a, out);
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "id", "工作要点不存在");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "plan", e);
}

int ow_plan_store_each(ow_db *db, int year, const char *today, ow_arena *a,
                       int (*fn)(void *arg, const ow_plan_row *r), void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, PLAN_COLS " WHERE ?2 = 0 OR p.year = ?2 ORDER BY p.year DESC, p.id DESC", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, today);
    ow_bind_int(st, 2, year);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_plan_row r;
        plan_row(st, a, &r);
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "plans", e);
}

/* ---- tasks ---- */

int ow_task_store_insert(ow_db *db, const ow_task_row *r, int64_t *id, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "INSERT INTO work_tasks(plan_id, seq, title, content, lead_org_id,"
                   " deadline, state, progress, created_at, updated_at)"
                   " VALUES(?1, (SELECT coalesce(max(seq), 0) + 1 FROM work_tasks"
                   " WHERE plan_id = ?1), ?2, ?3, ?4, ?5, 'open', 0, ?6, ?6) RETURNING id",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, r->plan_id);
    ow_bind_text(st, 2, r->title);
    ow_bind_text(st, 3, r->content ? r->content : "");
    ow_bind_int64(st, 4, r->lead_org_id);
    ow_bind_text(st, 5, r->deadline);
    ow_bind_int64(st, 6, r->created_at);
    return returning(db, st, id, "task insert", e);
}

int ow_task_store_update(ow_db *db, int64_t id, const char *title, const char *content,
                         int64_t lead_org_id, const char *deadline, int64_t now, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE work_tasks SET title = coalesce(?2, title),"
                             " content = coalesce(?3, content),"
                             " lead_org_id = CASE WHEN ?4 = 0 THEN lead_org_id ELSE ?4 END,"
                             " deadline = coalesce(?5, deadline), updated_at = ?6 WHERE id = ?1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, title);
    ow_bind_text(st, 3, content);
    ow_bind_int64(st, 4, lead_org_id);
    ow_bind_text(st, 5, deadline);
    ow_bind_int64(st, 6, now);
    return done(db, st, "task update", e);
}

int ow_task_store_progress(ow_db *db, int64_t id, int progress, const char *state,
                           const char *report_date, const char *completed_date,
                           const char *done_date, int64_t now, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE work_tasks SET progress = CASE WHEN ?2 < 0 THEN progress"
                             " ELSE ?2 END, state = coalesce(?3, state),"
                             " last_report_date = coalesce(?4, last_report_date),"
                             " completed_date = CASE WHEN ?3 = 'open' THEN NULL"
                             " ELSE coalesce(?5, completed_date) END,"
                             " done_date = coalesce(?6, done_date), updated_at = ?7 WHERE id = ?1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int(st, 2, progress);
    ow_bind_text(st, 3, state);
    ow_bind_text(st, 4, report_date);
    ow_bind_text(st, 5, completed_date);
    ow_bind_text(st, 6, done_date);
    ow_bind_int64(st, 7, now);
    return done(db, st, "task progress", e);
}

#define TASK_COLS                                                                                  \
    "SELECT t.id, t.plan_id, t.seq, t.title, t.content, t.deadline, t.state, t.lead_org_id,"       \
    " o.name, t.progress, t.last_report_date, t.completed_date, t.done_date, t.created_at,"        \
    " t.updated_at, p.year, p.title, p.state"                                                      \
    " FROM work_tasks t JOIN work_plans p ON p.id = t.plan_id JOIN orgs o ON o.id = t.lead_org_id"

static void task_row(ow_stmt *st, ow_arena *a, ow_task_row *r) {
    r->id = ow_col_int64(st, 0);
    r->plan_id = ow_col_int64(st, 1);
    r->seq = ow_col_int(st, 2);
    r->title = dupe(a, st, 3);
    r->content = dupe(a, st, 4);
    r->deadline = dupe(a, st, 5);
    r->state = dupe(a, st, 6);
    r->lead_org_id = ow_col_int64(st, 7);
    r->lead_name = dupe(a, st, 8);
    r->progress = ow_col_int(st, 9);
    r->last_report_date = dup(a, st, 10);
    r->completed_date = dup(a, st, 11);
    r->done_date = dup(a, st, 12);
    r->created_at = ow_col_int64(st, 13);
    r->updated_at = ow_col_int64(st, 14);
    r->year = ow_col_int(st, 15);
    r->plan_title = dupe(a, st, 16);
    r->plan_state = dupe(a, st, 17);
}

int ow_task_store_get(ow_db *db, int64_t id, ow_arena *a, ow_task_row *out, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, TASK_COLS " WHERE t.id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) task_row(st, a, out);
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "id", "工作任务不存在");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "task", e);
}

int ow_task_store_set_units(ow_db *db, int64_t id, const int64_t *orgs, int n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "DELETE FROM work_task_units WHERE task_id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = done(db, st, "task units clear", e);
    for (int i = 0; i < n && !rc; i++) {
        if (!(st = ow_db_stmt(db,
                              "INSERT INTO work_task_units(task_id, org_id) VALUES(?1, ?2)"
                              " ON CONFLICT(task_id, org_id) DO NOTHING",
                              e)))
            return OW_EDB;
        ow_bind_int64(st, 1, id);
        ow_bind_int64(st, 2, orgs[i]);
        rc = done(db, st, "task unit", e);
    }
    return rc;
}

int ow_task_store_units(ow_db *db, int64_t id, ow_arena *a,
                        int (*fn)(void *arg, int64_t org_id, const char *name), void *arg,
                        ow_err *e) {
    (void)a;
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT u.org_id, o.name FROM work_task_units u JOIN orgs o"
                   " ON o.id = u.org_id WHERE u.task_id = ?1 ORDER BY o.kind, o.sort, o.id",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_db_text(st, 1)))) break;
    return walked(db, st, rc, out, "task units", e);
}

int ow_task_store_involves(ow_db *db, int64_t id, int64_t org_id, bool *out, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT count(*) FROM work_tasks t WHERE t.id = ?1 AND (t.lead_org_id = ?2"
                   " OR EXISTS (SELECT 1 FROM work_task_units u WHERE u.task_id = t.id"
                   " AND u.org_id = ?2))",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, org_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) *out = ow_col_int(st, 0) > 0;
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "task involves", e);
}

#define TASK_WHERE                                                                                 \
    " WHERE (?1 = 0 OR t.plan_id = ?1)"                                                            \
    " AND (?2 = 0 OR t.lead_org_id = ?2 OR EXISTS (SELECT 1 FROM work_task_units u"                \
    "      WHERE u.task_id = t.id AND u.org_id = ?2))"                                             \
    " AND (?3 = '' OR (?3 = 'overdue' AND t.state <> 'done' AND t.deadline < ?4)"                  \
    "      OR t.state = ?3)"                                                                       \
    " AND (?5 = 0 OR p.state = 'issued')"

static void bind_filter(ow_stmt *st, const ow_task_filter *f) {
    ow_bind_int64(st, 1, f->plan_id);
    ow_bind_int64(st, 2, f->org_id);
    ow_bind_text(st, 3, f->state ? f->state : "");
    ow_bind_text(st, 4, f->today ? f->today : "");
    ow_bind_int(st, 5, f->issued_only ? 1 : 0);
}

int ow_task_store_count(ow_db *db, const ow_task_filter *f, int64_t *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT count(*) FROM work_tasks t JOIN work_plans p ON p.id = t.plan_id" TASK_WHERE,
        e);
    if (!st) return OW_EDB;
    bind_filter(st, f);
    int rc = ow_step(st);
    if (rc == OW_ROW) *n = ow_col_int64(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "task count", e);
}

int ow_task_store_page(ow_db *db, const ow_task_filter *f, int limit, int64_t offset, ow_arena *a,
                       int (*fn)(void *arg, const ow_task_row *r), void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, TASK_COLS TASK_WHERE " ORDER BY p.year DESC, t.plan_id, t.seq LIMIT ?6 OFFSET ?7", e);
    if (!st) return OW_EDB;
    bind_filter(st, f);
    ow_bind_int(st, 6, limit);
    ow_bind_int64(st, 7, offset);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_task_row r;
        task_row(st, a, &r);
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "tasks", e);
}

int ow_task_store_report_insert(ow_db *db, const ow_task_report_row *r, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO work_task_reports(task_id, org_id, kind, percent, text,"
                             " report_date, by_name, by_id, at)"
                             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, r->task_id);
    ow_bind_int64(st, 2, r->org_id);
    ow_bind_text(st, 3, r->kind);
    if (r->percent >= 0)
        ow_bind_int(st, 4, r->percent);
    else
        ow_bind_null(st, 4);
    ow_bind_text(st, 5, r->text);
    ow_bind_text(st, 6, r->report_date);
    ow_bind_text(st, 7, r->by_name);
    if (r->by_id > 0)
        ow_bind_int64(st, 8, r->by_id);
    else
        ow_bind_null(st, 8);
    ow_bind_int64(st, 9, r->at);
    return returning(db, st, id, "task report", e);
}

int ow_task_store_reports(ow_db *db, int64_t task_id, ow_arena *a,
                          int (*fn)(void *arg, const ow_task_report_row *r), void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT r.id, r.task_id, r.org_id, r.kind, r.text, r.report_date,"
                   " r.by_name, o.name, coalesce(r.percent, -1), coalesce(r.by_id, 0), r.at"
                   " FROM work_task_reports r JOIN orgs o ON o.id = r.org_id"
                   " WHERE r.task_id = ?1 ORDER BY r.id",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, task_id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_task_report_row r = {.id = ow_col_int64(st, 0),
                                .task_id = ow_col_int64(st, 1),
                                .org_id = ow_col_int64(st, 2),
                                .kind = dupe(a, st, 3),
                                .text = dupe(a, st, 4),
                                .report_date = dupe(a, st, 5),
                                .by_name = dupe(a, st, 6),
                                .org_name = dupe(a, st, 7),
                                .percent = ow_col_int(st, 8),
                                .by_id = ow_col_int64(st, 9),
                                .at = ow_col_int64(st, 10)};
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "task reports", e);
}
