/* notices.c — supervision notices (督办): a supervisor tells the department that
 * handles a case to explain or speed it up, with a reply deadline in working days.
 *
 *   open ──reply (the department)──▶ replied ──close (supervisor)──▶ closed
 *    ▲                                  │
 *    └──────follow_up (supervisor, 追督: a new deadline)──┘
 *   open ──close (supervisor: the case concluded meanwhile, or issued in error)──▶ closed
 *
 * The notice row holds the current round (state, reply deadline, latest reply);
 * supervision_notice_events holds every step, so a follow-up never overwrites the
 * earlier reply.  The department answers for itself: supervisors issue, follow up
 * and close, but never reply in the department's name. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "audit/audit.h"
#include "cases/cases_supervision.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/workdays.h"
#include "store/db.h"
#include "supervision/supervision.h"

#define NOTE_MIN_CHARS 5
#define NOTE_MAX_CHARS 1000

static json_t *col_text_json(ow_stmt *st, int i) {
    return ow_col_null(st, i) ? json_null() : json_string(ow_db_text(st, i));
}

const char *ow_notice_state_name(const char *state) {
    return !strcmp(state, "open")      ? "待回复"
           : !strcmp(state, "replied") ? "已回复"
           : !strcmp(state, "closed")  ? "已办结"
                                       : state;
}

static int note_check(ow_ctx *cx, const char *field, const char *what, const char *s) {
    if (!s || ow_utf8_len(s) < NOTE_MIN_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, field, "请填写%s（至少 %d 个字）", what,
                          NOTE_MIN_CHARS);
    if (ow_utf8_len(s) > NOTE_MAX_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, field, "%s过长（最多 %d 个字）", what,
                          NOTE_MAX_CHARS);
    return OW_OK;
}

/* The reply deadline reply_days working days from today (0: the configured default). */
static int reply_due(ow_ctx *cx, int reply_days, int32_t *due) {
    if (!reply_days) reply_days = cx->app->cfg.notice_reply_days;
    if (reply_days < 1 || reply_days > 30)
        return ow_err_set(&cx->err, OW_EINVAL, "reply_days", "回复期限应为 1 到 30 个工作日");
    return ow_sup_add_workdays(cx, ow_sup_today(cx), reply_days, "reply_days", due);
}

static int add_event(ow_ctx *cx, int64_t id, const char *action, const char *note, int32_t due,
                     bool late) {
    static const char *sql =
        "INSERT INTO supervision_notice_events (notice_id, seq, at, actor, action, note,"
        " reply_due, late) VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM"
        " supervision_notice_events WHERE notice_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, ow_clock_now_ms(cx->clock));
    ow_bind_text(st, 3, cx->actor.name);
    ow_bind_text_ref(st, 4, action);
    ow_bind_text(st, 5, note ? note : "");
    if (due == OW_DATE_NONE)
        ow_bind_null(st, 6);
    else
        ow_bind_int(st, 6, due);
    ow_bind_int(st, 7, late);
    int rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "notice event", &cx->err);
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    json_t *d = json_pack("{s:o}", "reply_due", ow_json_date(due));
    rc = ow_audit_append(cx, ow_sprintf(cx->arena, "notice.%s", action), "supervision_notice", ids,
                         d);
    json_decref(d);
    return rc;
}

int ow_notice_issue(ow_ctx *cx, int64_t case_id, const char *content, int reply_days, int64_t *id) {
    static const char *sql =
        "INSERT INTO supervision_notices (case_id, case_no, item_name, org_id, content, issued_by,"
        " issued_at, reply_due, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')";
    if (!ow_sup_sees_all(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有电子监察人员可以发出督办");
    int rc = note_check(cx, "content", "督办内容", content);
    if (rc) return rc;
    int32_t due;
    if ((rc = reply_due(cx, reply_days, &due))) return rc;
    ow_case_brief cb;
    if ((rc = ow_cases_brief(cx, case_id, &cb))) return rc;
    if (ow_case_state_final(cb.state))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "case_closed", "case_id",
                           "该办件已经办结，无需督办");
    if (cb.dept_id <= 0)
        return ow_err_set(&cx->err, OW_EINVAL, "case_id", "该办件没有承办部门，无法督办");
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_text(st, 2, cb.case_no);
    ow_bind_text(st, 3, cb.item_name);
    ow_bind_int64(st, 4, cb.dept_id);
    ow_bind_text(st, 5, content);
    ow_bind_text(st, 6, cx->actor.name);
    ow_bind_int64(st, 7, ow_clock_now_ms(cx->clock));
    ow_bind_int(st, 8, due);
    rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "notice insert", &cx->err);
    *id = ow_db_last_id(cx->db);
    return add_event(cx, *id, "issue", content, due, false);
}

/* ---- the one transition function ---- */

typedef enum { BY_DEPARTMENT, BY_SUPERVISOR } who;

typedef struct notice_row {
    int64_t org;
    char state[16];
    int32_t due;
} notice_row;

static const struct transition {
    const char *action, *from1, *from2, *to;
    who by;
    const char *note_field, *note_what;
} TRANSITIONS[] = {
    {"reply", "open", NULL, "replied", BY_DEPARTMENT, "reply", "回复内容"},
    {"follow_up", "replied", NULL, "open", BY_SUPERVISOR, "note", "追督意见"},
    {"close", "open", "replied", "closed", BY_SUPERVISOR, "note", "办结意见"},
};

static int load_row(ow_ctx *cx, int64_t id, notice_row *r) {
    static const char *sql =
        "SELECT org_id, state, reply_due FROM supervision_notices WHERE id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        r->org = ow_col_int64(st, 0);
        snprintf(r->state, sizeof r->state, "%s", ow_db_text(st, 1));
        r->due = (int32_t)ow_col_int64(st, 2);
    }
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "督办不存在");
    if (rc != OW_ROW) return ow_db_fail(cx->db, "notice get", &cx->err);
    return OW_OK;
}

int ow_notice_transition(ow_ctx *cx, int64_t id, const ow_notice_in *in) {
    static const char *reply_sql =
        "UPDATE supervision_notices SET state = 'replied', reply = ?1, replied_by = ?2,"
        " replied_at = ?3, replied_late = ?4 WHERE id = ?5";
    static const char *follow_sql =
        "UPDATE supervision_notices SET state = 'open', reply_due = ?1, rounds = rounds + 1"
        " WHERE id = ?2";
    static const char *close_sql =
        "UPDATE supervision_notices SET state = 'closed', closed_by = ?1, closed_at = ?2,"
        " closing_note = ?3 WHERE id = ?4";
    notice_row r;
    int rc = load_row(cx, id, &r);
    if (rc) return rc;
    bool ok;
    if ((rc = ow_sup_in_scope(cx, r.org, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "督办不存在");
    const struct transition *t = NULL;
    for (size_t i = 0; i < sizeof TRANSITIONS / sizeof TRANSITIONS[0]; i++)
        if (in->action && !strcmp(TRANSITIONS[i].action, in->action)) t = &TRANSITIONS[i];
    if (!t)
        return ow_err_set(&cx->err, OW_EINVAL, "action", "没有这种操作（reply、follow_up、close）");
    bool supervisor = ow_sup_sees_all(&cx->actor);
    if (t->by == BY_DEPARTMENT && supervisor && !cx->actor.system)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "督办应由承办部门回复");
    if (t->by == BY_SUPERVISOR && !supervisor)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有电子监察人员可以追督或办结督办");
    if (strcmp(r.state, t->from1) && (!t->from2 || strcmp(r.state, t->from2)))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action",
                           "该督办%s，不能%s", ow_notice_state_name(r.state),
                           !strcmp(t->action, "reply")       ? "再回复"
                           : !strcmp(t->action, "follow_up") ? "追督（请等待部门回复）"
                                                             : "办结");
    if ((rc = note_check(cx, t->note_field, t->note_what, in->note))) return rc;
    int64_t now = ow_clock_now_ms(cx->clock);
    int32_t due = OW_DATE_NONE;
    bool late = false;
    ow_stmt *st;
    if (!strcmp(t->action, "reply")) {
        late = ow_date_today_shanghai(now) > r.due;
        if (!(st = ow_db_stmt(cx->db, reply_sql, &cx->err))) return OW_EDB;
        ow_bind_text(st, 1, in->note);
        ow_bind_text(st, 2, cx->actor.name);
        ow_bind_int64(st, 3, now);
        ow_bind_int(st, 4, late);
        ow_bind_int64(st, 5, id);
    } else if (!strcmp(t->action, "follow_up")) {
        if ((rc = reply_due(cx, in->reply_days, &due))) return rc;
        if (!(st = ow_db_stmt(cx->db, follow_sql, &cx->err))) return OW_EDB;
        ow_bind_int(st, 1, due);
        ow_bind_int64(st, 2, id);
    } else {
        if (!(st = ow_db_stmt(cx->db, close_sql, &cx->err))) return OW_EDB;
        ow_bind_text(st, 1, cx->actor.name);
        ow_bind_int64(st, 2, now);
        ow_bind_text(st, 3, in->note);
        ow_bind_int64(st, 4, id);
    }
    rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "notice update", &cx->err);
    return add_event(cx, id, t->action, in->note, due, late);
}

int ow_notice_reply(ow_ctx *cx, int64_t id, const char *reply) {
    ow_notice_in in = {.action = "reply", .note = reply};
    return ow_notice_transition(cx, id, &in);
}

/* ---- reading ---- */

#define NOTICE_COLS                                                                                \
    "n.id, n.case_id, n.case_no, n.item_name, n.org_id, coalesce(o.name, ''), n.content,"          \
    " n.issued_by, n.issued_at, n.reply_due, n.state, n.reply, n.replied_by, n.replied_at,"        \
    " n.replied_late, n.rounds, n.closed_by, n.closed_at, n.closing_note"

/* Working days left to an open round's deadline (negative: days overdue), for the
 * lists; null for rounds not waiting for a reply. */
static json_t *days_left_json(ow_ctx *cx, bool open, int32_t due, int32_t today) {
    int n = 0;
    if (!open) return json_null();
    if (today > due) {
        if (ow_sup_count_workdays(cx, due, today, &n)) return json_null();
        return json_integer(-(n ? n : 1)); /* overdue on a holiday still counts */
    }
    if (ow_sup_count_workdays(cx, today, due, &n)) return json_null();
    return json_integer(n);
}

static json_t *notice_row_json(ow_ctx *cx, ow_stmt *st, int32_t today) {
    int32_t due = (int32_t)ow_col_int64(st, 9);
    const char *state = ow_db_text(st, 10);
    bool open = !strcmp(state, "open");
    json_t *j = json_pack(
        "{s:I,s:I,s:s,s:s,s:{s:I,s:s},s:s,s:s,s:o,s:o,s:s,s:s,s:b,s:b}", "id",
        (json_int_t)ow_col_int64(st, 0), "case_id", (json_int_t)ow_col_int64(st, 1), "case_no",
        ow_db_text(st, 2), "item_name", ow_db_text(st, 3), "org", "id",
        (json_int_t)ow_col_int64(st, 4), "name", ow_db_text(st, 5), "content", ow_db_text(st, 6),
        "issued_by", ow_db_text(st, 7), "issued_at", ow_db_time_json(st, 8), "reply_due",
        ow_json_date(due), "state", state, "state_name", ow_notice_state_name(state), "overdue",
        open && today > due, "replied_late", ow_col_int(st, 14) != 0);
    json_object_set_new(j, "reply", col_text_json(st, 11));
    json_object_set_new(j, "replied_by", col_text_json(st, 12));
    json_object_set_new(j, "replied_at", ow_db_time_json(st, 13));
    json_object_set_new(j, "follow_ups", json_integer(ow_col_int(st, 15) - 1));
    json_object_set_new(j, "closed_by", col_text_json(st, 16));
    json_object_set_new(j, "closed_at", ow_db_time_json(st, 17));
    json_object_set_new(j, "closing_note", col_text_json(st, 18));
    json_object_set_new(j, "days_left", days_left_json(cx, open, due, today));
    return j;
}

int ow_notice_list_json(ow_ctx *cx, const ow_notice_query *q, json_t **items, int64_t *total) {
    /* state: open | overdue | replied | closed | active (open or replied) | NULL (all) */
    static const char *where =
        " WHERE (?1 = 0 OR n.org_id = ?1) AND (?2 = 0 OR n.case_id = ?2) AND (?3 IS NULL"
        " OR n.state = ?3 OR (?3 = 'overdue' AND n.state = 'open' AND n.reply_due < ?4)"
        " OR (?3 = 'active' AND n.state <> 'closed'))";
    if (q->state && strcmp(q->state, "open") && strcmp(q->state, "overdue") &&
        strcmp(q->state, "replied") && strcmp(q->state, "closed") && strcmp(q->state, "active"))
        return ow_err_set(&cx->err, OW_EINVAL, "state",
                          "状态应为 open、overdue、replied、closed 或 active");
    int64_t scope;
    int rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    if (scope && q->org_id && q->org_id != scope)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "org_id", "只能查看本单位的督办");
    if (q->org_id) scope = q->org_id;
    const char *csql = ow_sprintf(cx->arena, "SELECT count(*) FROM supervision_notices n%s", where);
    /* open rounds first by reply deadline (the most urgent on top), then replied ones
     * waiting for the supervisor, then closed ones, newest first */
    const char *lsql = ow_sprintf(
        cx->arena,
        "SELECT " NOTICE_COLS " FROM supervision_notices n LEFT JOIN orgs o ON o.id = n.org_id%s"
        " ORDER BY CASE n.state WHEN 'open' THEN 0 WHEN 'replied' THEN 1 ELSE 2 END,"
        " CASE WHEN n.state = 'closed' THEN -n.id ELSE n.reply_due END, n.id LIMIT ?5 OFFSET ?6",
        where);
    int32_t today = ow_sup_today(cx);
    for (int pass = 0; pass < 2; pass++) {
        ow_stmt *st = ow_db_stmt(cx->db, pass ? lsql : csql, &cx->err);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, scope);
        ow_bind_int64(st, 2, q->case_id);
        if (q->state)
            ow_bind_text(st, 3, q->state);
        else
            ow_bind_null(st, 3);
        ow_bind_int(st, 4, today);
        if (!pass) {
            if (ow_step(st) != OW_ROW) {
                ow_reset(st);
                return ow_db_fail(cx->db, "notice count", &cx->err);
            }
            *total = ow_col_int64(st, 0);
            ow_reset(st);
            continue;
        }
        ow_bind_int(st, 5, q->per_page);
        ow_bind_int64(st, 6, (int64_t)(q->page - 1) * q->per_page);
        *items = json_array();
        while ((rc = ow_step(st)) == OW_ROW)
            json_array_append_new(*items, notice_row_json(cx, st, today));
        ow_reset(st);
        if (rc != OW_DONE) {
            json_decref(*items);
            return ow_db_fail(cx->db, "notice list", &cx->err);
        }
    }
    return OW_OK;
}

int ow_notice_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    static const char *sql = "SELECT " NOTICE_COLS " FROM supervision_notices n LEFT JOIN orgs o"
                             " ON o.id = n.org_id WHERE n.id = ?";
    static const char *ev_sql =
        "SELECT seq, at, actor, action, note, reply_due, late FROM supervision_notice_events"
        " WHERE notice_id = ? ORDER BY seq";
    static const char *const ACTION_NAMES[][2] = {
        {"issue", "发出督办"}, {"reply", "部门回复"}, {"follow_up", "追督"}, {"close", "办结"}};
    notice_row r;
    int rc = load_row(cx, id, &r);
    if (rc) return rc;
    bool ok;
    if ((rc = ow_sup_in_scope(cx, r.org, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "督办不存在");
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    if (ow_step(st) != OW_ROW) {
        ow_reset(st);
        return ow_db_fail(cx->db, "notice get", &cx->err);
    }
    json_t *j = notice_row_json(cx, st, ow_sup_today(cx));
    ow_reset(st);
    if (!(st = ow_db_stmt(cx->db, ev_sql, &cx->err))) {
        json_decref(j);
        return OW_EDB;
    }
    ow_bind_int64(st, 1, id);
    json_t *evs = json_array();
    while ((rc = ow_step(st)) == OW_ROW) {
        const char *action = ow_db_text(st, 3), *name = action;
        for (size_t i = 0; i < sizeof ACTION_NAMES / sizeof ACTION_NAMES[0]; i++)
            if (!strcmp(ACTION_NAMES[i][0], action)) name = ACTION_NAMES[i][1];
        json_array_append_new(
            evs,
            json_pack("{s:i,s:o,s:s,s:s,s:s,s:s,s:o,s:b}", "seq", ow_col_int(st, 0), "at",
                      ow_db_time_json(st, 1), "actor", ow_db_text(st, 2), "action", action,
                      "action_name", name, "note", ow_db_text(st, 4), "reply_due",
                      ow_col_null(st, 5) ? json_null() : ow_json_date((int32_t)ow_col_int64(st, 5)),
                      "late", ow_col_int(st, 6) != 0));
    }
    ow_reset(st);
    if (rc != OW_DONE) {
        json_decref(j);
        json_decref(evs);
        return ow_db_fail(cx->db, "notice events", &cx->err);
    }
    json_object_set_new(j, "events", evs);
    *out = j;
    return OW_OK;
}
