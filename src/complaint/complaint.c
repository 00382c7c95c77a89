/* complaint.c — 投诉与建议 (see complaint.h for the path a complaint takes).
 *
 * Escalation runs from the server's ticker (supervision.c, every minute on the
 * writer) rather than on a dashboard read: reads run on read-only connections
 * and should stay reads, and an overdue complaint must be raised even when
 * nobody happens to open the dashboard that day. */
#include "complaint/complaint.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "audit/audit.h"
#include "cases/cases_supervision.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/workdays.h"
#include "core/crypto.h"
#include "store/complaint_store.h"
#include "supervision/supervision.h"

static json_t *str_or_null(const char *s) {
    return s ? json_string(s) : json_null();
}

static json_t *time_json(bool has, int64_t ms) {
    if (!has) return json_null();
    char t[32];
    ow_time_format_iso(ms, t);
    return json_string(t);
}

static json_t *date_json(bool has, int32_t day) {
    if (!has) return json_null();
    char d[11];
    ow_date_format(day, d);
    return json_string(d);
}

static const char *state_name(const char *s) {
    if (!strcmp(s, "submitted")) return "待分派";
    if (!strcmp(s, "assigned")) return "办理中";
    if (!strcmp(s, "answered")) return "已答复";
    if (!strcmp(s, "closed")) return "已评价办结";
    return s;
}

static const char *subject_name(const char *s) {
    if (!strcmp(s, "case")) return "办件";
    if (!strcmp(s, "window")) return "窗口";
    if (!strcmp(s, "department")) return "部门";
    return "综合";
}

static int event(ow_ctx *cx, int64_t id, const char *action, const char *note) {
    int rc = ow_complaint_store_event(
        cx->db, id, ow_clock_now_ms(cx->clock),
        cx->actor.user_id || cx->actor.system ? cx->actor.name : "投诉人", action, note, &cx->err);
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    char *a = ow_sprintf(cx->arena, "complaint.%s", action);
    return ow_audit_append(cx, a, "complaint", ids, NULL);
}

static bool one_of(const char *s, const char *a, const char *b, const char *c, const char *d) {
    return s && (!strcmp(s, a) || !strcmp(s, b) || (c && !strcmp(s, c)) || (d && !strcmp(s, d)));
}

static int org_kind_ok(ow_ctx *cx, int64_t org, const char *subject) {
    char kind[16];
    int rc = ow_complaint_store_active_org_kind(cx->db, org, kind, &cx->err);
    if (rc) return rc;
    bool ok = !strcmp(subject, "department")
                  ? !strcmp(kind, "department")
                  : one_of(kind, "window", "township", "agent_point", NULL);
    if (!ok)
        return ow_err_set(&cx->err, OW_EINVAL, "about_org_id", "%s",
                          !strcmp(subject, "department") ? "请选择被投诉的部门"
                                                         : "请选择被投诉的窗口或便民服务点");
    return OW_OK;
}

int ow_complaint_file(ow_ctx *cx, const ow_complaint_in *in, int64_t *id, char ref_no[48],
                      char query_code[44]) {
    if (!one_of(in->kind, "complaint", "suggestion", NULL, NULL))
        return ow_err_set(&cx->err, OW_EINVAL, "kind",
                          "类型应为投诉（complaint）或建议（suggestion）");
    if (!one_of(in->subject, "case", "window", "department", "general"))
        return ow_err_set(&cx->err, OW_EINVAL, "subject", "投诉对象应为办件、窗口、部门或综合");
    if (!in->title || !*in->title)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "title", "请填写标题");
    if (ow_utf8_len(in->title) > OW_COMPLAINT_TITLE_MAX_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, "title", "标题过长（最多 %d 个字）",
                          OW_COMPLAINT_TITLE_MAX_CHARS);
    if (!in->content || ow_utf8_len(in->content) < 5)
        return ow_err_set(&cx->err, OW_EINVAL, "content", "请把情况写清楚（至少 5 个字）");
    if (ow_utf8_len(in->content) > OW_COMPLAINT_CONTENT_MAX_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, "content", "内容过长（最多 %d 个字）",
                          OW_COMPLAINT_CONTENT_MAX_CHARS);
    if (in->contact_name && ow_utf8_len(in->contact_name) > 30)
        return ow_err_set(&cx->err, OW_EINVAL, "contact_name", "联系人过长（最多 30 个字）");
    char mobile[12] = "";
    if (in->mobile && *in->mobile && ow_mobile_check(in->mobile, mobile, &cx->err))
        return OW_EINVAL;
    ow_case_brief cb = {0};
    int64_t assigned = 0, about = 0;
    int rc;
    if (!strcmp(in->subject, "case")) {
        if (!in->case_no || !*in->case_no)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "case_no", "请填写办件编号");
        rc = ow_cases_brief_by_no(cx, in->case_no, &cb);
        if (rc == OW_ENOTFOUND)
            return ow_err_set(&cx->err, OW_EINVAL, "case_no", "办件编号“%s”不存在，请核对受理回执",
                              in->case_no);
        if (rc) return rc;
        assigned = cb.dept_id;
    } else if (strcmp(in->subject, "general")) {
        if (in->about_org_id <= 0)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "about_org_id", "%s",
                               !strcmp(in->subject, "department") ? "请选择被投诉的部门"
                                                                  : "请选择被投诉的窗口");
        if ((rc = org_kind_ok(cx, in->about_org_id, in->subject))) return rc;
        about = assigned = in->about_org_id;
    }
    int64_t now = ow_clock_now_ms(cx->clock);
    int32_t today = ow_date_today_shanghai(now), due;
    if ((rc = ow_sup_add_workdays(cx, today, cx->app->cfg.complaint_answer_days, "due_date", &due)))
        return rc;
    int seq;
    if ((rc = ow_complaint_store_count_filed(cx->db, today, &seq, &cx->err))) return rc;
    seq++;
    int y, m, d;
    ow_date_ymd(today, &y, &m, &d);
    char *ref = ref_no;
    snprintf(ref, 48, "TS%s-%04d%02d%02d-%04d", cx->app->cfg.region_code, y, m, d, seq);
    char *enc = NULL, idx[65] = "", masked[12] = "";
    if (*mobile) {
        if ((rc = ow_pii_encrypt(&cx->app->keys, mobile, "complaints.mobile", &enc)))
            return ow_err_set(&cx->err, rc, "mobile", "手机号码加密失败");
        ow_blind_index(&cx->app->keys, "mobile", mobile, idx);
        ow_mask_mobile(mobile, masked);
    }
    char qhash[65];
    ow_random_token(query_code);
    ow_token_hash(query_code, qhash);
    ow_complaint_new c = {
        .ref_no = ref,
        .kind = in->kind,
        .subject = in->subject,
        .case_id = cb.id,
        .case_no = cb.case_no,
        .about_org_id = about,
        .assigned_org_id = assigned,
        .user_id = cx->actor.user_id,
        .title = in->title,
        .content = in->content,
        .anonymous = in->anonymous,
        .contact_name = in->anonymous      ? ""
                        : in->contact_name ? in->contact_name
                                           : cx->actor.name,
        .mobile_enc = enc,
        .mobile_idx = idx,
        .mobile_masked = masked,
        .query_hash = qhash,
        .state = assigned ? "assigned" : "submitted",
        .filed_at = now,
        .filed_date = today,
        .due_date = due,
    };
    rc = ow_complaint_store_insert(cx->db, &c, id, &cx->err);
    free(enc);
    if (rc) return rc;
    return event(cx, *id, "file", assigned ? "已自动分派至责任单位" : "");
}

typedef ow_complaint_state cmp_row;

static int load(ow_ctx *cx, int64_t id, cmp_row *r) {
    bool found;
    int rc = ow_complaint_store_state(cx->db, id, r, &found, &cx->err);
    if (!rc && !found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "投诉建议不存在");
    return rc;
}

/* Staff: the assigned office's people, or supervisors.  Unassigned: supervisors only. */
static int staff_may_handle(ow_ctx *cx, const cmp_row *r) {
    if (ow_sup_sees_all(&cx->actor)) return OW_OK;
    bool ok = false;
    int rc = OW_OK;
    if (r->assigned_org_id && !strcmp(cx->actor.kind, "staff"))
        rc = ow_sup_in_scope(cx, r->assigned_org_id, &ok);
    if (rc) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "投诉建议不存在");
    return OW_OK;
}

int ow_complaint_assign(ow_ctx *cx, int64_t id, int64_t org_id, const char *note) {
    if (!ow_sup_sees_all(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有电子监察人员可以分派投诉建议");
    cmp_row r;
    int rc = load(cx, id, &r);
    if (rc) return rc;
    if (strcmp(r.state, "submitted") && strcmp(r.state, "assigned"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action",
                           "该投诉建议已答复，不能再分派");
    if (org_id <= 0)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "assigned_org_id",
                           "请选择承办单位");
    const char *name = ow_sup_org_name(cx, org_id);
    if (!*name) return ow_err_set(&cx->err, OW_EINVAL, "assigned_org_id", "承办单位不存在");
    if ((rc = ow_complaint_store_assign(cx->db, id, org_id, ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    return event(
        cx, id, "assign",
        ow_sprintf(cx->arena, "分派至%s%s%s", name, note && *note ? "：" : "", note ? note : ""));
}

int ow_complaint_answer(ow_ctx *cx, int64_t id, const char *answer) {
    cmp_row r;
    int rc = load(cx, id, &r);
    if (!rc) rc = staff_may_handle(cx, &r);
    if (rc) return rc;
    if (strcmp(r.state, "assigned"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action", "%s",
                           !strcmp(r.state, "submitted") ? "该投诉建议尚未分派承办单位"
                                                         : "该投诉建议已经答复");
    if (!answer || ow_utf8_len(answer) < 5)
        return ow_err_set(&cx->err, OW_EINVAL, "answer", "请填写答复内容（至少 5 个字）");
    if (ow_utf8_len(answer) > OW_COMPLAINT_ANSWER_MAX_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, "answer", "答复内容过长（最多 %d 个字）",
                          OW_COMPLAINT_ANSWER_MAX_CHARS);
    int64_t now = ow_clock_now_ms(cx->clock);
    int32_t today = ow_date_today_shanghai(now);
    if ((rc = ow_complaint_store_answer(cx->db, id, answer, cx->actor.name, now, today,
                                        today > r.due_date, &cx->err)))
        return rc;
    /* answered_late also holds within a deadline extended by escalation: the original
     * one was missed */
    return event(cx, id, "answer", today > r.due_date ? "逾期答复" : "");
}

int ow_complaint_rate(ow_ctx *cx, int64_t id, const char *query_code, int satisfaction,
                      const char *feedback) {
    cmp_row r;
    int rc = load(cx, id, &r);
    if (rc) return rc;
    bool ok;
    if (query_code) {
        char h[65];
        ow_token_hash(query_code, h);
        ok = ow_ct_equal(h, r.query_hash);
    } else {
        ok = cx->actor.user_id && cx->actor.user_id == r.user_id;
    }
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "投诉建议不存在");
    if (strcmp(r.state, "answered"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "satisfaction", "%s",
                           !strcmp(r.state, "closed") ? "已经评价过了" : "答复后才能评价");
    if (satisfaction < 1 || satisfaction > 5)
        return ow_err_set(&cx->err, OW_EINVAL, "satisfaction", "满意程度应为 1 到 5");
    if (feedback && ow_utf8_len(feedback) > 500)
        return ow_err_set(&cx->err, OW_EINVAL, "feedback", "评价意见过长（最多 500 个字）");
    if ((rc = ow_complaint_store_rate(cx->db, id, satisfaction, feedback,
                                      ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    return event(cx, id, "rate", ow_sprintf(cx->arena, "满意程度 %d", satisfaction));
}

/* Ids gathered in the arena before anything is written. */
typedef struct id_list {
    ow_arena *arena;
    int64_t *ids;
    size_t cnt, cap;
} id_list;

static int gather_id(void *arg, int64_t id) {
    id_list *l = arg;
    if (l->cnt == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        int64_t *g = ow_alloc(l->arena, l->cap * sizeof *g);
        if (l->cnt) memcpy(g, l->ids, l->cnt * sizeof *g);
        l->ids = g;
    }
    l->ids[l->cnt++] = id;
    return OW_OK;
}

int ow_complaint_escalate_overdue(ow_ctx *cx, int *n) {
    *n = 0;
    int64_t now = ow_clock_now_ms(cx->clock);
    int32_t today = ow_date_today_shanghai(now), due;
    int rc = ow_sup_add_workdays(cx, today, cx->app->cfg.complaint_escalate_days, "due_date", &due);
    if (rc) return rc;
    id_list l = {.arena = cx->arena};
    if ((rc = ow_complaint_store_each_overdue(cx->db, today, gather_id, &l, &cx->err))) return rc;
    char dd[11];
    ow_date_format(due, dd);
    for (size_t i = 0; i < l.cnt; i++) {
        if ((rc = ow_complaint_store_escalate(cx->db, l.ids[i], due, now, &cx->err))) return rc;
        rc = event(cx, l.ids[i], "escalate",
                   ow_sprintf(cx->arena, "逾期未答复，已提级督办，新的答复期限 %s", dd));
        if (rc) return rc;
        (*n)++;
    }
    return OW_OK;
}

typedef struct open_cmp {
    int64_t id;
    int32_t from, due;
    bool escalated;
} open_cmp;

typedef struct open_list {
    ow_arena *arena;
    open_cmp *v;
    int cnt, cap;
} open_list;

static int gather_open(void *arg, int64_t id, int32_t filed_date, bool escalated,
                       int64_t escalated_at, int32_t due) {
    open_list *l = arg;
    if (l->cnt == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        open_cmp *g = ow_alloc(l->arena, (size_t)l->cap * sizeof *g);
        if (l->cnt) memcpy(g, l->v, (size_t)l->cnt * sizeof *g);
        l->v = g;
    }
    l->v[l->cnt++] = (open_cmp){
        .id = id,
        .from = escalated ? ow_date_today_shanghai(escalated_at) : filed_date,
        .due = due,
        .escalated = escalated,
    };
    return OW_OK;
}

int ow_complaint_recompute_open(ow_ctx *cx, int *n) {
    *n = 0;
    open_list l = {.arena = cx->arena};
    int rc = ow_complaint_store_each_open(cx->db, gather_open, &l, &cx->err);
    if (rc) return rc;
    for (int i = 0; i < l.cnt; i++) {
        int32_t due;
        int days = l.v[i].escalated ? cx->app->cfg.complaint_escalate_days
                                    : cx->app->cfg.complaint_answer_days;
        if ((rc = ow_sup_add_workdays(cx, l.v[i].from, days, "due_date", &due))) return rc;
        if (due == l.v[i].due) continue;
        if ((rc = ow_complaint_store_set_due(cx->db, l.v[i].id, due, &cx->err))) return rc;
        (*n)++;
    }
    return OW_OK;
}

/* ---------------- reading ---------------- */

static json_t *row_json(ow_ctx *cx, const ow_complaint_row *c, bool staff) {
    const char *state = c->state;
    bool anonymous = c->anonymous;
    bool open = !strcmp(state, "submitted") || !strcmp(state, "assigned");
    int32_t due = c->due_date;
    json_t *r = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:o,s:o,s:b,s:i,s:o,s:o,s:o,s:b,s:o,s:o}",
        "id", (json_int_t)c->id, "ref_no", c->ref_no, "kind", c->kind, "subject", c->subject,
        "subject_name", subject_name(c->subject), "case_no", c->case_no, "title", c->title,
        "content", c->content, "anonymous", anonymous, "state", state, "state_name",
        state_name(state), "filed_at", time_json(true, c->filed_at), "due_date",
        date_json(c->has_due_date, due), "overdue", open && ow_sup_today(cx) > due, "escalation",
        c->escalation, "escalated_at", time_json(c->escalated, c->escalated_at), "answer",
        str_or_null(c->answer), "answered_at", time_json(c->answered, c->answered_at),
        "answered_late", c->answered_late, "satisfaction",
        c->satisfaction ? json_integer(c->satisfaction) : json_null(), "feedback",
        str_or_null(c->feedback));
    if (c->about_org_id)
        json_object_set_new(
            r, "about_org",
            json_pack("{s:I,s:s}", "id", (json_int_t)c->about_org_id, "name", c->about_org_name));
    json_object_set_new(r, "assigned_org",
                        !c->assigned_org_id
                            ? json_null()
                            : json_pack("{s:I,s:s}", "id", (json_int_t)c->assigned_org_id, "name",
                                        c->assigned_org_name));
    if (staff) {
        json_object_set_new(r, "answered_by", str_or_null(c->answered_by));
        /* Anonymous: staff learn nothing about who filed it. */
        json_object_set_new(r, "contact_name",
                            json_string(anonymous ? "（匿名）" : c->contact_name));
        json_object_set_new(r, "mobile", json_string(anonymous ? "" : c->mobile_masked));
    } else {
        json_object_set_new(r, "contact_name", json_string(c->contact_name));
        json_object_set_new(r, "mobile", json_string(c->mobile_masked));
    }
    return r;
}

static int append_event(void *arg, int64_t at_ms, const char *actor, const char *action,
                        const char *note) {
    json_array_append_new(arg, json_pack("{s:o,s:s,s:s,s:s}", "at", time_json(true, at_ms), "actor",
                                         actor, "action", action, "note", note));
    return OW_OK;
}

static int events_json(ow_ctx *cx, int64_t id, json_t *r) {
    json_t *ev = json_array();
    int rc = ow_complaint_store_each_event(cx->db, id, append_event, ev, &cx->err);
    if (rc) {
        json_decref(ev);
        return rc;
    }
    json_object_set_new(r, "events", ev);
    return OW_OK;
}

static int get_by(ow_ctx *cx, int64_t id, bool staff, json_t **out) {
    ow_complaint_row c;
    bool found;
    int rc = ow_complaint_store_get(cx->db, id, cx->arena, &c, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "投诉建议不存在");
    json_t *r = row_json(cx, &c, staff);
    if ((rc = events_json(cx, id, r))) {
        json_decref(r);
        return rc;
    }
    *out = r;
    return OW_OK;
}

int ow_complaint_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    cmp_row r;
    int rc = load(cx, id, &r);
    if (rc) return rc;
    bool staff = !strcmp(cx->actor.kind, "staff") || cx->actor.system;
    if (staff)
        rc = staff_may_handle(cx, &r);
    else if (!cx->actor.user_id || cx->actor.user_id != r.user_id)
        rc = ow_err_set(&cx->err, OW_ENOTFOUND, "id", "投诉建议不存在");
    if (rc) return rc;
    return get_by(cx, id, staff, out);
}

int ow_complaint_id_by_ref(ow_ctx *cx, const char *ref_no, int64_t *id) {
    int rc = ow_complaint_store_id_by_ref(cx->db, ref_no, id, &cx->err);
    if (!rc && !*id) return ow_err_set(&cx->err, OW_ENOTFOUND, "ref_no", "编号或查询码不正确");
    return rc;
}

int ow_complaint_lookup_json(ow_ctx *cx, const char *ref_no, const char *query_code, json_t **out) {
    int64_t id;
    cmp_row r;
    int rc = ow_complaint_id_by_ref(cx, ref_no, &id);
    if (!rc) rc = load(cx, id, &r);
    if (rc == OW_ENOTFOUND)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "ref_no", "编号或查询码不正确");
    if (rc) return rc;
    char h[65];
    ow_token_hash(query_code ? query_code : "", h);
    if (!ow_ct_equal(h, r.query_hash))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "ref_no", "编号或查询码不正确");
    return get_by(cx, id, false, out);
}

typedef struct list_arg {
    ow_ctx *cx;
    json_t *items;
    bool staff;
} list_arg;

static int append_row(void *arg, const ow_complaint_row *r) {
    list_arg *la = arg;
    json_array_append_new(la->items, row_json(la->cx, r, la->staff));
    return OW_OK;
}

int ow_complaint_list_json(ow_ctx *cx, const ow_complaint_query *q, json_t **items,
                           int64_t *total) {
    int64_t mine = 0, scope = 0;
    bool staff = !strcmp(cx->actor.kind, "staff") || cx->actor.system;
    int rc;
    if (!staff || q->mine) {
        if (!cx->actor.user_id)
            return ow_err_setk(&cx->err, OW_EUNAUTH, "unauthenticated", "", "请先登录");
        mine = cx->actor.user_id;
    } else if ((rc = ow_sup_scope(cx, &scope))) {
        return rc;
    } else if (scope == 0 && !ow_sup_sees_all(&cx->actor)) {
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "没有查看投诉建议的权限");
    }
    ow_complaint_filter f = {.user_id = mine,
                             .scope = scope,
                             .state = q->state,
                             .overdue = q->overdue,
                             .escalated = q->escalated,
                             .today = ow_sup_today(cx)};
    if ((rc = ow_complaint_store_count(cx->db, &f, total, &cx->err))) return rc;
    list_arg la = {cx, json_array(), staff && !mine};
    rc = ow_complaint_store_each(cx->db, &f, q->per_page, (int64_t)(q->page - 1) * q->per_page,
                                 append_row, &la, &cx->err);
    if (rc) {
        json_decref(la.items);
        return rc;
    }
    *items = la.items;
    return OW_OK;
}

/* ---------------- demo ---------------- */

int ow_complaint_demo_seed(ow_ctx *cx) {
    static const struct {
        const char *kind, *subject, *org_code, *title, *content, *answer;
        int age_days, satisfaction;
    } demo[] = {
        {"complaint", "window", "W09", "不动产登记窗口排队时间过长",
         "上午九点取号，十一点半才办理，希望增加窗口或者推行预约。",
         "已增设一个不动产登记窗口并开通网上预约，高峰期排队时间已缩短。", 200, 4},
        {"suggestion", "general", NULL, "建议大厅增设母婴室",
         "带小孩来办事很不方便，建议增设母婴室。", "大厅二楼已设置母婴室，感谢您的建议。", 150, 5},
        {"complaint", "department", "D19", "营业执照变更材料要求不一致",
         "窗口和电话咨询说的材料不一样，跑了两次。",
         "已统一办事指南并对工作人员进行培训，给您带来的不便深表歉意。", 90, 3},
        {"suggestion", "window", "W11", "社保窗口希望延长午间服务",
         "中午上班族没时间，建议午间不休息。", NULL, 30, 0},
        {"complaint", "department", "D10", "施工许可审批进度慢",
         "提交材料已超过十个工作日仍无消息。", NULL, 20, 0},
        {"complaint", "general", NULL, "网站办事指南打不开", "手机上打开办事指南一直转圈。", NULL,
         2, 0},
    };
    const ow_clock *real = cx->clock;
    int64_t now = ow_clock_now_ms(real);
    int rc = OW_OK;
    for (size_t i = 0; i < sizeof demo / sizeof demo[0] && !rc; i++) {
        ow_clock at = {.fixed_ms = now - (int64_t)demo[i].age_days * 86400000};
        cx->clock = &at;
        ow_complaint_in in = {.kind = demo[i].kind,
                              .subject = demo[i].subject,
                              .title = demo[i].title,
                              .content = demo[i].content,
                              .anonymous = i % 2 == 1,
                              .contact_name = "张先生",
                              .mobile = "13907370000"};
        if (demo[i].org_code) {
            char kind[16], name[128];
            rc = ow_sup_org_by_code(cx, demo[i].org_code, &in.about_org_id, kind, name);
        }
        int64_t id;
        char code[44], ref[48];
        if (!rc) rc = ow_complaint_file(cx, &in, &id, ref, code);
        if (!rc && !strcmp(demo[i].subject, "general") && demo[i].answer) {
            int64_t org;
            char kind[16], name[128];
            rc = ow_sup_org_by_code(cx, "C00", &org, kind, name);
            if (!rc) rc = ow_complaint_assign(cx, id, org, "由中心办公室办理");
        }
        if (!rc && demo[i].answer) {
            at.fixed_ms += 3 * 86400000LL;
            rc = ow_complaint_answer(cx, id, demo[i].answer);
            if (!rc && demo[i].satisfaction) {
                at.fixed_ms += 86400000LL;
                rc = ow_complaint_rate(cx, id, code, demo[i].satisfaction, "");
            }
        }
    }
    cx->clock = real;
    /* the overdue ones are raised as the ticker would have done */
    int n;
    if (!rc) rc = ow_complaint_escalate_overdue(cx, &n);
    return rc;
}
