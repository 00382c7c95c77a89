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
#include "store/supervision_store.h"
#include "supervision/supervision.h"

#define NOTE_MIN_CHARS 5
#define NOTE_MAX_CHARS 1000

static json_t *text_json(const char *s) {
    return s ? json_string(s) : json_null();
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
    int rc = ow_supervision_store_notice_event_add(
        cx->db, id, ow_clock_now_ms(cx->clock), cx->actor.name, action, note, due, late, &cx->err);
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    json_t *d = json_pack("{s:o}", "reply_due", ow_json_date(due));
    rc = ow_audit_append(cx, ow_sprintf(cx->arena, "notice.%s", action), "supervision_notice", ids,
                         d);
    json_decref(d);
    return rc;
}

int ow_notice_issue(ow_ctx *cx, int64_t case_id, const char *content, int reply_days, int64_t *id) {
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
    ow_notice_row r = {.case_id = case_id,
                       .case_no = cb.case_no,
                       .item_name = cb.item_name,
                       .org_id = cb.dept_id,
                       .content = content,
                       .issued_by = cx->actor.name,
                       .issued_at = ow_clock_now_ms(cx->clock),
                       .reply_due = due};
    if ((rc = ow_supervision_store_notice_insert(cx->db, &r, id, &cx->err)) ||
        (rc = add_event(cx, *id, "issue", content, due, false)))
        return rc;
    ow_notice_issued n = {.notice_id = *id,
                          .case_id = case_id,
                          .org_id = cb.dept_id,
                          .case_no = cb.case_no,
                          .item_name = cb.item_name,
                          .content = content,
                          .reply_due = due};
    for (int i = 0; i < cx->app->notice_followers.n && !rc; i++) {
        const ow_notice_follower *f = cx->app->notice_followers.v[i];
        if (f->issued) rc = f->issued(cx, &n);
    }
    return rc;
}

void ow_notice_follow(ow_app *app, const ow_notice_follower *f) {
    ow_followers_add(&app->notice_followers, f);
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
    return ow_supervision_store_notice_state(cx->db, id, &r->org, r->state, &r->due, &cx->err);
}

int ow_notice_transition(ow_ctx *cx, int64_t id, const ow_notice_in *in) {
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
    if (!strcmp(t->action, "reply")) {
        late = ow_date_today_shanghai(now) > r.due;
        rc = ow_supervision_store_notice_reply(cx->db, id, in->note, cx->actor.name, now, late,
                                               &cx->err);
    } else if (!strcmp(t->action, "follow_up")) {
        if ((rc = reply_due(cx, in->reply_days, &due))) return rc;
        rc = ow_supervision_store_notice_follow_up(cx->db, id, due, &cx->err);
    } else {
        rc = ow_supervision_store_notice_close(cx->db, id, cx->actor.name, now, in->note, &cx->err);
    }
    if (rc) return rc;
    return add_event(cx, id, t->action, in->note, due, late);
}

int ow_notice_reply(ow_ctx *cx, int64_t id, const char *reply) {
    ow_notice_in in = {.action = "reply", .note = reply};
    return ow_notice_transition(cx, id, &in);
}

/* ---- reading ---- */

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

static json_t *notice_row_json(ow_ctx *cx, const ow_notice_row *r, int32_t today) {
    int32_t due = r->reply_due;
    const char *state = r->state;
    bool open = !strcmp(state, "open");
    json_t *j = json_pack(
        "{s:I,s:I,s:s,s:s,s:{s:I,s:s},s:s,s:s,s:o,s:o,s:s,s:s,s:b,s:b}", "id", (json_int_t)r->id,
        "case_id", (json_int_t)r->case_id, "case_no", r->case_no, "item_name", r->item_name, "org",
        "id", (json_int_t)r->org_id, "name", r->org_name, "content", r->content, "issued_by",
        r->issued_by, "issued_at", ow_sup_time_json(r->issued_at, r->issued_at_null), "reply_due",
        ow_json_date(due), "state", state, "state_name", ow_notice_state_name(state), "overdue",
        open && today > due, "replied_late", r->replied_late);
    json_object_set_new(j, "reply", text_json(r->reply));
    json_object_set_new(j, "replied_by", text_json(r->replied_by));
    json_object_set_new(j, "replied_at", ow_sup_time_json(r->replied_at, r->replied_at_null));
    json_object_set_new(j, "follow_ups", json_integer(r->rounds - 1));
    json_object_set_new(j, "closed_by", text_json(r->closed_by));
    json_object_set_new(j, "closed_at", ow_sup_time_json(r->closed_at, r->closed_at_null));
    json_object_set_new(j, "closing_note", text_json(r->closing_note));
    json_object_set_new(j, "days_left", days_left_json(cx, open, due, today));
    return j;
}

typedef struct notice_walk {
    ow_ctx *cx;
    int32_t today;
    json_t *items; /* the list; or NULL, and the one notice goes to one */
    json_t *one;
} notice_walk;

static int notice_one(void *arg, const ow_notice_row *r) {
    notice_walk *w = arg;
    json_t *j = notice_row_json(w->cx, r, w->today);
    if (w->items)
        json_array_append_new(w->items, j);
    else
        w->one = j;
    return OW_OK;
}

int ow_notice_list_json(ow_ctx *cx, const ow_notice_query *q, json_t **items, int64_t *total) {
    /* state: open | overdue | replied | closed | active (open or replied) | NULL (all) */
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
    ow_notice_filter f = {
        .org_id = scope, .case_id = q->case_id, .state = q->state, .today = ow_sup_today(cx)};
    if ((rc = ow_supervision_store_notice_count(cx->db, &f, total, &cx->err))) return rc;
    notice_walk w = {.cx = cx, .today = f.today, .items = json_array()};
    rc = ow_supervision_store_notice_page(
        cx->db, &f, q->per_page, (int64_t)(q->page - 1) * q->per_page, notice_one, &w, &cx->err);
    if (rc) {
        json_decref(w.items);
        return rc;
    }
    *items = w.items;
    return OW_OK;
}

typedef struct event_walk {
    json_t *evs;
} event_walk;

static int event_one(void *arg, const ow_notice_event_row *r) {
    static const char *const ACTION_NAMES[][2] = {
        {"issue", "发出督办"}, {"reply", "部门回复"}, {"follow_up", "追督"}, {"close", "办结"}};
    event_walk *w = arg;
    const char *action = r->action, *name = action;
    for (size_t i = 0; i < sizeof ACTION_NAMES / sizeof ACTION_NAMES[0]; i++)
        if (!strcmp(ACTION_NAMES[i][0], action)) name = ACTION_NAMES[i][1];
    json_array_append_new(w->evs,
                          json_pack("{s:i,s:o,s:s,s:s,s:s,s:s,s:o,s:b}", "seq", r->seq, "at",
                                    ow_sup_time_json(r->at, r->at_null), "actor", r->actor,
                                    "action", action, "action_name", name, "note", r->note,
                                    "reply_due", ow_json_date(r->reply_due), "late", r->late));
    return OW_OK;
}

int ow_notice_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    notice_row r;
    int rc = load_row(cx, id, &r);
    if (rc) return rc;
    bool ok;
    if ((rc = ow_sup_in_scope(cx, r.org, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "督办不存在");
    notice_walk w = {.cx = cx, .today = ow_sup_today(cx)};
    if ((rc = ow_supervision_store_notice_get(cx->db, id, notice_one, &w, &cx->err))) return rc;
    event_walk ev = {.evs = json_array()};
    if ((rc = ow_supervision_store_notice_each_event(cx->db, id, event_one, &ev, &cx->err))) {
        json_decref(w.one);
        json_decref(ev.evs);
        return rc;
    }
    json_object_set_new(w.one, "events", ev.evs);
    *out = w.one;
    return OW_OK;
}
