/* supervision.c — 电子监察: deadline lights, alerts, 督办 notices, digests and the
 * sweep (see supervision.h).
 *
 * Lights are computed when read, from each open case's current deadline (the
 * cases module's due_date, which already skips paused days) and the legal
 * calendar: nothing is stored that a calendar edit could leave stale.  Open cases
 * are few compared with all cases (thousands, not millions), so a walk over them
 * per dashboard read stays in the low milliseconds.
 *
 * The sweep runs on the writer from a ticker thread once a minute: it raises
 * overdue complaints and writes each department's digest once a day.  Doing it on
 * dashboard reads instead would turn reads into writes and leave escalation to
 * chance (nobody looks at the dashboard on a holiday). */
#include "supervision/supervision.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "audit/audit.h"
#include "cases/cases_supervision.h"
#include "complaint/complaint.h"
#include "core/buf.h"
#include "core/calendar.h"
#include "core/log.h"
#include "store/db.h"

static json_t *date_json(int32_t d) {
    if (d == OW_DATE_NONE) return json_null();
    char s[11];
    ow_date_format(d, s);
    return json_string(s);
}

static json_t *col_time_json(sqlite3_stmt *st, int i) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return json_null();
    char t[32];
    ow_time_format_iso(sqlite3_column_int64(st, i), t);
    return json_string(t);
}

/* ---------------- lights ---------------- */

const char *ow_light_name(ow_light l) {
    return l == OW_LIGHT_RED ? "red" : l == OW_LIGHT_YELLOW ? "yellow" : "green";
}

/* Working-day ordinals around today, so a walk over tens of thousands of open cases
 * counts working days by subtraction: ord[i] = working days in (lo, lo + i].  Built
 * only over loaded years; a date outside falls back to the calendar, which reports a
 * missing year properly. */
typedef struct wd_table {
    int32_t lo;
    int n;
    int *ord;
} wd_table;

static void wd_build(ow_ctx *cx, int32_t lo, int32_t hi, wd_table *t) {
    t->lo = lo;
    t->n = 0;
    t->ord = NULL;
    if (!cx->app || !cx->app->calendar || hi < lo) return;
    int *ord = ow_alloc(cx->arena, (size_t)(hi - lo + 1) * sizeof *ord);
    ow_err e = {0};
    int n = 1;
    for (int32_t d = lo + 1; d <= hi; d++, n++) {
        bool work;
        if (ow_cal_is_workday(cx->app->calendar, d, &work, &e)) break;
        ord[n] = ord[n - 1] + work;
    }
    bool first_ok;
    if (ow_cal_is_workday(cx->app->calendar, lo, &first_ok, &e)) return; /* lo's year missing */
    t->ord = ord;
    t->n = n;
}

static int wd_count(ow_ctx *cx, const wd_table *t, int32_t a, int32_t b, int *n) {
    if (t && t->ord && a >= t->lo && b >= t->lo && a < t->lo + t->n && b < t->lo + t->n) {
        *n = b > a ? t->ord[b - t->lo] - t->ord[a - t->lo] : 0;
        return OW_OK;
    }
    return ow_sup_count_workdays(cx, a, b, n);
}

static int light_eval(ow_ctx *cx, const wd_table *t, const ow_light_rule *rule, int32_t start,
                      int32_t due, int32_t today, ow_light *light, int *left) {
    *light = OW_LIGHT_GREEN;
    *left = 0;
    if (due == OW_DATE_NONE) return OW_OK; /* the clock stands (补正, suspension) */
    int rc, n;
    if (today > due) {
        if ((rc = wd_count(cx, t, due, today, &n))) return rc;
        *light = OW_LIGHT_RED;
        *left = -(n ? n : 1); /* overdue on a holiday still counts as overdue */
        return OW_OK;
    }
    if ((rc = wd_count(cx, t, today, due, &n))) return rc;
    *left = n;
    if (n <= rule->warn_days) {
        *light = OW_LIGHT_YELLOW;
        return OW_OK;
    }
    if (start != OW_DATE_NONE && start < today) {
        int total, used;
        if ((rc = wd_count(cx, t, start, due, &total)) ||
            (rc = wd_count(cx, t, start, today, &used)))
            return rc;
        if (total > 0 && (int64_t)used * 100 >= (int64_t)rule->warn_percent * total)
            *light = OW_LIGHT_YELLOW;
    }
    return OW_OK;
}

int ow_light_of(ow_ctx *cx, const ow_light_rule *rule, int32_t start, int32_t due, int32_t today,
                ow_light *light, int *left) {
    return light_eval(cx, NULL, rule, start, due, today, light, left);
}

static ow_light_rule rule_of(const ow_ctx *cx) {
    return (ow_light_rule){cx->app->cfg.light_warn_days, cx->app->cfg.light_warn_percent};
}

/* A small id → counts table (at most a few hundred offices). */
typedef struct tally {
    int64_t id;
    int n[3];
} tally;

typedef struct tallies {
    tally *v;
    int len, cap;
} tallies;

static void tally_add(ow_arena *a, tallies *t, int64_t id, ow_light l) {
    if (!id) return;
    for (int i = 0; i < t->len; i++)
        if (t->v[i].id == id) {
            t->v[i].n[l]++;
            return;
        }
    if (t->len == t->cap) {
        int cap = t->cap ? t->cap * 2 : 32;
        tally *g = ow_alloc(a, (size_t)cap * sizeof *g);
        if (t->len) memcpy(g, t->v, (size_t)t->len * sizeof *g);
        t->v = g;
        t->cap = cap;
    }
    t->v[t->len] = (tally){.id = id};
    t->v[t->len++].n[l] = 1;
}

typedef struct light_walk {
    ow_ctx *cx;
    wd_table wd;
    ow_light_rule rule;
    int32_t today;
    int64_t scope;
    int totals[3];
    tallies dept, intake, scope_org;
    json_t *cases; /* red and yellow, up to max_cases */
    int max_cases;
} light_walk;

static bool case_in_scope(int64_t scope, const ow_case_view *r) {
    return !scope || r->dept_id == scope || r->intake_org_id == scope ||
           r->intake_scope_id == scope;
}

static int light_one(void *arg, const ow_case_view *r) {
    light_walk *w = arg;
    if (!case_in_scope(w->scope, r)) return OW_OK;
    ow_light l;
    int left;
    int32_t start = r->clock_start != OW_DATE_NONE ? r->clock_start : r->received_date;
    int32_t due = r->paused ? OW_DATE_NONE : r->due_date;
    int rc = light_eval(w->cx, &w->wd, &w->rule, start, due, w->today, &l, &left);
    if (rc) return rc;
    w->totals[l]++;
    tally_add(w->cx->arena, &w->dept, r->dept_id, l);
    tally_add(w->cx->arena, &w->intake, r->intake_org_id, l);
    tally_add(w->cx->arena, &w->scope_org, r->intake_scope_id, l);
    if (l != OW_LIGHT_GREEN && w->cases && (int)json_array_size(w->cases) < w->max_cases)
        json_array_append_new(
            w->cases,
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:i,s:s,s:I}", "id", (json_int_t)r->id, "case_no",
                      r->case_no, "item_name", r->item_name, "state", r->state, "channel",
                      r->channel, "due_date", date_json(r->due_date), "days_left", left, "light",
                      ow_light_name(l), "dept_id", (json_int_t)r->dept_id));
    return OW_OK;
}

/* The tallies as [{id, name, kind, green, yellow, red}], only offices of `kind`. */
static json_t *tallies_json(ow_ctx *cx, const tallies *t, const char *kind) {
    static const char *sql = "SELECT name, kind FROM orgs WHERE id = ?";
    json_t *out = json_array();
    for (int i = 0; i < t->len; i++) {
        sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
        if (!st) break;
        sqlite3_bind_int64(st, 1, t->v[i].id);
        if (sqlite3_step(st) == SQLITE_ROW && (!kind || !strcmp(ow_db_text(st, 1), kind)))
            json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:i,s:i,s:i}", "id",
                                                 (json_int_t)t->v[i].id, "name", ow_db_text(st, 0), "kind",
                                                 ow_db_text(st, 1), "green", t->v[i].n[0], "yellow",
                                                 t->v[i].n[1], "red", t->v[i].n[2]));
        sqlite3_reset(st);
    }
    return out;
}

static int walk_lights(ow_ctx *cx, int64_t scope, int max_cases, light_walk *w) {
    memset(w, 0, sizeof *w);
    w->cx = cx;
    w->rule = rule_of(cx);
    w->today = ow_sup_today(cx);
    w->scope = scope;
    w->max_cases = max_cases;
    w->cases = json_array();
    wd_build(cx, w->today - 400, w->today + 400, &w->wd);
    int rc = ow_cases_each_open(cx, light_one, w);
    if (rc) {
        json_decref(w->cases);
        w->cases = NULL;
    }
    return rc;
}

int ow_supervision_lights_json(ow_ctx *cx, json_t **out) {
    int64_t scope;
    int rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    light_walk w;
    if ((rc = walk_lights(cx, scope, 200, &w))) return rc;
    *out = json_pack("{s:{s:i,s:i,s:i},s:o,s:o,s:o,s:o,s:{s:i,s:i}}", "totals", "green",
                     w.totals[0], "yellow", w.totals[1], "red", w.totals[2], "by_department",
                     tallies_json(cx, &w.dept, "department"), "by_window",
                     tallies_json(cx, &w.intake, "window"), "by_township",
                     tallies_json(cx, &w.scope_org, "township"), "cases", w.cases, "rule",
                     "warn_days", w.rule.warn_days, "warn_percent", w.rule.warn_percent);
    return OW_OK;
}

int ow_supervision_light_counts(ow_ctx *cx, int64_t scope, int counts[3]) {
    light_walk w;
    int rc = walk_lights(cx, scope, 0, &w);
    if (rc) return rc;
    json_decref(w.cases);
    memcpy(counts, w.totals, sizeof w.totals);
    return OW_OK;
}

/* ---------------- notices (督办) ---------------- */

int ow_notice_issue(ow_ctx *cx, int64_t case_id, const char *content, int reply_days, int64_t *id) {
    static const char *sql =
        "INSERT INTO supervision_notices (case_id, case_no, org_id, content, issued_by,"
        " issued_at, reply_due, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')";
    if (!ow_sup_sees_all(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有电子监察人员可以发出督办");
    if (!content || ow_utf8_len(content) < 5)
        return ow_err_set(&cx->err, OW_EINVAL, "content", "请填写督办内容（至少 5 个字）");
    if (ow_utf8_len(content) > 1000)
        return ow_err_set(&cx->err, OW_EINVAL, "content", "督办内容过长（最多 1000 个字）");
    if (!reply_days) reply_days = cx->app->cfg.notice_reply_days;
    if (reply_days < 1 || reply_days > 30)
        return ow_err_set(&cx->err, OW_EINVAL, "reply_days", "回复期限应为 1 到 30 个工作日");
    ow_case_brief cb;
    int rc = ow_cases_brief(cx, case_id, &cb);
    if (rc) return rc;
    if (ow_case_state_final(cb.state))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "case_closed", "case_id",
                           "该办件已经办结，无需督办");
    int64_t now = ow_clock_now_ms(cx->clock);
    int32_t due;
    if ((rc = ow_sup_add_workdays(cx, ow_date_today_shanghai(now), reply_days, "reply_days", &due)))
        return rc;
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_text(st, 2, cb.case_no, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, cb.dept_id);
    sqlite3_bind_text(st, 4, content, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, cx->actor.name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int(st, 7, due);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return ow_db_fail(cx->db, "notice insert", &cx->err);
    *id = sqlite3_last_insert_rowid(ow_db_handle(cx->db));
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, *id);
    json_t *d = json_pack("{s:s,s:o}", "case_no", cb.case_no, "reply_due", date_json(due));
    rc = ow_audit_append(cx, "notice.issue", "supervision_notice", ids, d);
    json_decref(d);
    return rc;
}

int ow_notice_reply(ow_ctx *cx, int64_t id, const char *reply) {
    static const char *get_sql =
        "SELECT org_id, state, reply_due FROM supervision_notices WHERE id = ?";
    static const char *upd_sql =
        "UPDATE supervision_notices SET state = 'replied', reply = ?, replied_by = ?,"
        " replied_at = ?, replied_late = ? WHERE id = ?";
    sqlite3_stmt *st = ow_db_stmt(cx->db, get_sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    int64_t org = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    bool open = rc == SQLITE_ROW && !strcmp(ow_db_text(st, 1), "open");
    int32_t due = rc == SQLITE_ROW ? (int32_t)sqlite3_column_int64(st, 2) : 0;
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "督办不存在");
    if (rc != SQLITE_ROW) return ow_db_fail(cx->db, "notice get", &cx->err);
    /* The department answers for itself; the supervisors who issued it only read. */
    if (ow_sup_sees_all(&cx->actor) && !cx->actor.system)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "督办应由承办部门回复");
    bool ok;
    if ((rc = ow_sup_in_scope(cx, org, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "督办不存在");
    if (!open)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "reply", "该督办已经回复");
    if (!reply || ow_utf8_len(reply) < 5)
        return ow_err_set(&cx->err, OW_EINVAL, "reply", "请填写回复内容（至少 5 个字）");
    if (ow_utf8_len(reply) > 1000)
        return ow_err_set(&cx->err, OW_EINVAL, "reply", "回复内容过长（最多 1000 个字）");
    int64_t now = ow_clock_now_ms(cx->clock);
    st = ow_db_stmt(cx->db, upd_sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_text(st, 1, reply, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, cx->actor.name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int(st, 4, ow_date_today_shanghai(now) > due);
    sqlite3_bind_int64(st, 5, id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return ow_db_fail(cx->db, "notice reply", &cx->err);
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    return ow_audit_append(cx, "notice.reply", "supervision_notice", ids, NULL);
}

int ow_notice_list_json(ow_ctx *cx, const char *state, int page, int per_page, json_t **items,
                        int64_t *total) {
    static const char *where = " WHERE (?1 = 0 OR n.org_id = ?1) AND (?2 IS NULL OR n.state = ?2)";
    int64_t scope;
    int rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    const char *csql = ow_sprintf(cx->arena, "SELECT count(*) FROM supervision_notices n%s", where);
    const char *lsql = ow_sprintf(
        cx->arena,
        "SELECT n.id, n.case_id, n.case_no, n.org_id, coalesce(o.name, ''), n.content,"
        " n.issued_by, n.issued_at, n.reply_due, n.state, n.reply, n.replied_by, n.replied_at,"
        " n.replied_late FROM supervision_notices n LEFT JOIN orgs o ON o.id = n.org_id%s"
        " ORDER BY n.state = 'replied', n.reply_due, n.id DESC LIMIT ?3 OFFSET ?4",
        where);
    int32_t today = ow_sup_today(cx);
    for (int pass = 0; pass < 2; pass++) {
        sqlite3_stmt *st = ow_db_stmt(cx->db, pass ? lsql : csql, &cx->err);
        if (!st) return OW_EDB;
        sqlite3_bind_int64(st, 1, scope);
        if (state)
            sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, 2);
        if (!pass) {
            if (sqlite3_step(st) != SQLITE_ROW) {
                sqlite3_reset(st);
                return ow_db_fail(cx->db, "notice count", &cx->err);
            }
            *total = sqlite3_column_int64(st, 0);
            sqlite3_reset(st);
            continue;
        }
        sqlite3_bind_int(st, 3, per_page);
        sqlite3_bind_int64(st, 4, (int64_t)(page - 1) * per_page);
        *items = json_array();
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int32_t due = (int32_t)sqlite3_column_int64(st, 8);
            bool open = !strcmp(ow_db_text(st, 9), "open");
            json_array_append_new(
                *items,
                json_pack("{s:I,s:I,s:s,s:{s:I,s:s},s:s,s:s,s:o,s:o,s:s,s:b,s:s,s:s,s:o,s:b}", "id",
                          (json_int_t)sqlite3_column_int64(st, 0), "case_id",
                          (json_int_t)sqlite3_column_int64(st, 1), "case_no", ow_db_text(st, 2), "org",
                          "id", (json_int_t)sqlite3_column_int64(st, 3), "name", ow_db_text(st, 4),
                          "content", ow_db_text(st, 5), "issued_by", ow_db_text(st, 6), "issued_at",
                          col_time_json(st, 7), "reply_due", date_json(due), "state", ow_db_text(st, 9),
                          "overdue", open && today > due, "reply", ow_db_text(st, 10), "replied_by",
                          ow_db_text(st, 11), "replied_at", col_time_json(st, 12), "replied_late",
                          sqlite3_column_int(st, 13)));
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            json_decref(*items);
            return ow_db_fail(cx->db, "notice list", &cx->err);
        }
    }
    return OW_OK;
}

/* ---------------- alerts and digests ---------------- */

static int count_sql(ow_ctx *cx, const char *sql, int64_t scope, int32_t today, int *n) {
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int64(st, 1, scope);
    sqlite3_bind_int(st, 2, today);
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? OW_OK : ow_db_fail(cx->db, "supervision count", &cx->err);
}

#define IN_SCOPE(c) "(?1 = 0 OR " c " = ?1 OR " c " IN (SELECT id FROM orgs WHERE parent_id = ?1))"

/* Counts of what waits for an office (scope 0: everything). */
static int office_counts(ow_ctx *cx, int64_t scope, json_t *into) {
    static const char *rect_open = "SELECT count(*) FROM rectifications WHERE state <> 'closed'"
                                   " AND " IN_SCOPE("org_id") " AND ?2 = ?2";
    static const char *rect_late =
        "SELECT count(*) FROM rectifications WHERE state <> 'closed' AND " IN_SCOPE(
            "org_id") " AND CASE WHEN state = 'ledger' THEN ledger_due ELSE due_date END < ?2";
    static const char *cmp_open = "SELECT count(*) FROM complaints WHERE state IN ('submitted',"
                                  " 'assigned') AND " IN_SCOPE("assigned_org_id") " AND ?2 = ?2";
    static const char *cmp_late =
        "SELECT count(*) FROM complaints WHERE state IN ('submitted',"
        " 'assigned') AND " IN_SCOPE("assigned_org_id") " AND due_date < ?2";
    static const char *cmp_unassigned =
        "SELECT count(*) FROM complaints WHERE state = 'submitted' AND ?1 = 0 AND ?2 = ?2";
    static const char *ntc_open = "SELECT count(*) FROM supervision_notices WHERE state = 'open'"
                                  " AND " IN_SCOPE("org_id") " AND ?2 = ?2";
    static const char *ntc_late = "SELECT count(*) FROM supervision_notices WHERE state = 'open'"
                                  " AND " IN_SCOPE("org_id") " AND reply_due < ?2";
    const char *sqls[] = {rect_open,      rect_late, cmp_open, cmp_late,
                          cmp_unassigned, ntc_open,  ntc_late};
    const char *keys[] = {"rectifications_open", "rectifications_overdue", "complaints_open",
                          "complaints_overdue",  "complaints_unassigned",  "notices_open",
                          "notices_overdue"};
    int32_t today = ow_sup_today(cx);
    for (size_t i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
        int n, rc = count_sql(cx, sqls[i], scope, today, &n);
        if (rc) return rc;
        json_object_set_new(into, keys[i], json_integer(n));
    }
    return OW_OK;
}

int ow_supervision_alerts_json(ow_ctx *cx, json_t **out) {
    int64_t scope;
    int rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    light_walk w;
    if ((rc = walk_lights(cx, scope, 20, &w))) return rc;
    json_t *o = json_pack("{s:i,s:i,s:i,s:o}", "green", w.totals[0], "yellow", w.totals[1], "red",
                          w.totals[2], "cases", w.cases);
    if ((rc = office_counts(cx, scope, o))) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return OW_OK;
}

static int write_digest(ow_ctx *cx, int64_t org, int32_t day, json_t *body) {
    static const char *sql =
        "INSERT OR IGNORE INTO supervision_digests (org_id, day, made_at, body)"
        " VALUES (?, ?, ?, ?)";
    char *s = json_dumps(body, JSON_COMPACT);
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) {
        free(s);
        return OW_EDB;
    }
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_int(st, 2, day);
    sqlite3_bind_int64(st, 3, ow_clock_now_ms(cx->clock));
    sqlite3_bind_text(st, 4, s, -1, SQLITE_TRANSIENT);
    free(s);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? OW_OK : ow_db_fail(cx->db, "digest insert", &cx->err);
}

/* Today's digest for every department with open cases, once a day. */
static int write_digests(ow_ctx *cx, int *n) {
    static const char *done_sql = "SELECT count(*) FROM supervision_digests WHERE day = ?";
    *n = 0;
    int32_t today = ow_sup_today(cx);
    sqlite3_stmt *st = ow_db_stmt(cx->db, done_sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int(st, 1, today);
    int done = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (done) return OW_OK;
    light_walk w;
    int rc = walk_lights(cx, 0, 0, &w);
    if (rc) return rc;
    json_decref(w.cases);
    for (int i = 0; i < w.dept.len && !rc; i++) {
        json_t *body =
            json_pack("{s:o,s:i,s:i,s:i}", "date", date_json(today), "green", w.dept.v[i].n[0],
                      "yellow", w.dept.v[i].n[1], "red", w.dept.v[i].n[2]);
        rc = office_counts(cx, w.dept.v[i].id, body);
        if (!rc) rc = write_digest(cx, w.dept.v[i].id, today, body);
        json_decref(body);
        if (!rc) (*n)++;
    }
    return rc;
}

int ow_supervision_digest_json(ow_ctx *cx, json_t **out) {
    static const char *sql = "SELECT day, made_at, body FROM supervision_digests WHERE org_id = ?"
                             " ORDER BY day DESC LIMIT 1";
    if (strcmp(cx->actor.kind, "staff") || cx->actor.org_id <= 0)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "每日摘要发给部门工作人员");
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int64(st, 1, cx->actor.org_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        json_t *body = json_loads(ow_db_text(st, 2), 0, NULL);
        *out = json_pack("{s:o,s:o,s:o}", "date", date_json((int32_t)sqlite3_column_int64(st, 0)),
                         "made_at", col_time_json(st, 1), "summary", body ? body : json_object());
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return ow_err_set(&cx->err, OW_ENOTFOUND, "", "本部门暂无每日摘要");
    if (rc != SQLITE_ROW) return ow_db_fail(cx->db, "digest get", &cx->err);
    return OW_OK;
}

int ow_supervision_sweep(ow_ctx *cx, ow_sweep_report *r) {
    memset(r, 0, sizeof *r);
    int rc = ow_complaint_escalate_overdue(cx, &r->complaints_escalated);
    if (!rc) rc = write_digests(cx, &r->digests_written);
    return rc;
}

/* ---------------- the ticker ---------------- */

struct ow_sup_ticker {
    ow_app *app;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    int period_s;
};

static int sweep_job(ow_db *db, void *arg, ow_err *e) {
    ow_app *app = arg;
    ow_arena *a = ow_arena_new(1 << 14);
    ow_ctx cx;
    ow_ctx_init_system(&cx, app, db, a);
    snprintf(cx.request_id, sizeof cx.request_id, "ticker");
    ow_sweep_report r;
    int rc = ow_supervision_sweep(&cx, &r);
    if (rc)
        *e = cx.err;
    else if (r.complaints_escalated || r.digests_written)
        ow_log_info("supervision sweep", "\"escalated\":%d,\"digests\":%d", r.complaints_escalated,
                    r.digests_written);
    ow_arena_free(a);
    return rc;
}

static void *ticker_main(void *arg) {
    struct ow_sup_ticker *t = arg;
    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        pthread_mutex_unlock(&t->mu);
        ow_err e = {0};
        if (ow_writer_run(t->app->writer, sweep_job, t->app, &e))
            ow_log_error("supervision sweep failed", "\"code\":%d,\"field\":\"%s\"", e.code,
                         e.field);
        pthread_mutex_lock(&t->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += t->period_s;
        while (!t->stop && pthread_cond_timedwait(&t->cv, &t->mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

int ow_supervision_ticker_start(ow_app *app, int period_s, ow_err *e) {
    struct ow_sup_ticker *t = calloc(1, sizeof *t);
    if (!t) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    t->app = app;
    t->period_s = period_s;
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    if (pthread_create(&t->thread, NULL, ticker_main, t)) {
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->cv);
        free(t);
        return ow_err_set(e, OW_EINTERNAL, "", "无法启动电子监察定时任务");
    }
    app->sup_ticker = t;
    return OW_OK;
}

void ow_supervision_ticker_stop(ow_app *app) {
    struct ow_sup_ticker *t = app->sup_ticker;
    if (!t) return;
    pthread_mutex_lock(&t->mu);
    t->stop = true;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    free(t);
    app->sup_ticker = NULL;
}
