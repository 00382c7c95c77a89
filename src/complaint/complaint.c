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
#include "store/db.h"
#include "supervision/supervision.h"

static json_t *col_str_or_null(ow_stmt *st, int i) {
    return ow_col_null(st, i) ? json_null() : json_string(ow_db_text(st, i));
}

static json_t *col_date_json(ow_stmt *st, int i) {
    if (ow_col_null(st, i)) return json_null();
    char d[11];
    ow_date_format((int32_t)ow_col_int64(st, i), d);
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
    static const char *sql =
        "INSERT INTO complaint_events (complaint_id, seq, at, actor, action, note)"
        " VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM complaint_events WHERE complaint_id = "
        "?1),"
        " ?2, ?3, ?4, ?5)";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, ow_clock_now_ms(cx->clock));
    ow_bind_text(st, 3, cx->actor.user_id || cx->actor.system ? cx->actor.name : "投诉人");
    ow_bind_text_ref(st, 4, action);
    ow_bind_text(st, 5, note ? note : "");
    int rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "complaint event", &cx->err);
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    char *a = ow_sprintf(cx->arena, "complaint.%s", action);
    return ow_audit_append(cx, a, "complaint", ids, NULL);
}

static bool one_of(const char *s, const char *a, const char *b, const char *c, const char *d) {
    return s && (!strcmp(s, a) || !strcmp(s, b) || (c && !strcmp(s, c)) || (d && !strcmp(s, d)));
}

static int org_kind_ok(ow_ctx *cx, int64_t org, const char *subject) {
    static const char *sql = "SELECT kind FROM orgs WHERE id = ? AND active = 1";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org);
    int rc = ow_step(st);
    char kind[16] = "";
    if (rc == OW_ROW) snprintf(kind, sizeof kind, "%s", ow_db_text(st, 0));
    ow_reset(st);
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
    static const char *seq_sql = "SELECT count(*) FROM complaints WHERE filed_date = ?";
    static const char *ins_sql =
        "INSERT INTO complaints (ref_no, kind, subject, case_id, case_no, about_org_id,"
        " assigned_org_id, title, content, anonymous, user_id, contact_name, mobile_enc,"
        " mobile_idx, mobile_masked, query_hash, state, filed_at, filed_date, due_date, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19, ?20, ?18)";
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
    ow_stmt *st = ow_db_stmt(cx->db, seq_sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, today);
    if (ow_step(st) != OW_ROW) {
        ow_reset(st);
        return ow_db_fail(cx->db, "complaint seq", &cx->err);
    }
    int seq = ow_col_int(st, 0) + 1;
    ow_reset(st);
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
    st = ow_db_stmt(cx->db, ins_sql, &cx->err);
    if (!st) {
        free(enc);
        return OW_EDB;
    }
    ow_bind_text(st, 1, ref);
    ow_bind_text(st, 2, in->kind);
    ow_bind_text(st, 3, in->subject);
    if (cb.id)
        ow_bind_int64(st, 4, cb.id);
    else
        ow_bind_null(st, 4);
    ow_bind_text(st, 5, cb.case_no);
    if (about)
        ow_bind_int64(st, 6, about);
    else
        ow_bind_null(st, 6);
    if (assigned)
        ow_bind_int64(st, 7, assigned);
    else
        ow_bind_null(st, 7);
    ow_bind_text(st, 8, in->title);
    ow_bind_text(st, 9, in->content);
    ow_bind_int(st, 10, in->anonymous);
    if (cx->actor.user_id)
        ow_bind_int64(st, 11, cx->actor.user_id);
    else
        ow_bind_null(st, 11);
    ow_bind_text(st, 12, in->anonymous ? "" : in->contact_name ? in->contact_name : cx->actor.name);
    if (enc) {
        ow_bind_text(st, 13, enc);
        ow_bind_text(st, 14, idx);
    } else {
        ow_bind_null(st, 13);
        ow_bind_null(st, 14);
    }
    free(enc);
    ow_bind_text(st, 15, masked);
    ow_bind_text(st, 16, qhash);
    ow_bind_text_ref(st, 17, assigned ? "assigned" : "submitted");
    ow_bind_int64(st, 18, now);
    ow_bind_int(st, 19, today);
    ow_bind_int(st, 20, due);
    rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "complaint insert", &cx->err);
    *id = ow_db_last_id(cx->db);
    return event(cx, *id, "file", assigned ? "已自动分派至责任单位" : "");
}

typedef struct cmp_row {
    int64_t id, assigned, user_id;
    char state[16];
    int32_t due;
    char qhash[65];
} cmp_row;

static int load(ow_ctx *cx, int64_t id, cmp_row *r) {
    static const char *sql = "SELECT id, coalesce(assigned_org_id, 0), coalesce(user_id, 0), state,"
                             " due_date, query_hash FROM complaints WHERE id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        r->id = ow_col_int64(st, 0);
        r->assigned = ow_col_int64(st, 1);
        r->user_id = ow_col_int64(st, 2);
        snprintf(r->state, sizeof r->state, "%s", ow_db_text(st, 3));
        r->due = (int32_t)ow_col_int64(st, 4);
        snprintf(r->qhash, sizeof r->qhash, "%s", ow_db_text(st, 5));
    }
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "投诉建议不存在");
    if (rc != OW_ROW) return ow_db_fail(cx->db, "complaint load", &cx->err);
    return OW_OK;
}

/* Staff: the assigned office's people, or supervisors.  Unassigned: supervisors only. */
static int staff_may_handle(ow_ctx *cx, const cmp_row *r) {
    if (ow_sup_sees_all(&cx->actor)) return OW_OK;
    bool ok = false;
    int rc = OW_OK;
    if (r->assigned && !strcmp(cx->actor.kind, "staff")) rc = ow_sup_in_scope(cx, r->assigned, &ok);
    if (rc) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "投诉建议不存在");
    return OW_OK;
}

int ow_complaint_assign(ow_ctx *cx, int64_t id, int64_t org_id, const char *note) {
    static const char *sql = "UPDATE complaints SET assigned_org_id = ?, state = 'assigned',"
                             " updated_at = ? WHERE id = ?";
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
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int64(st, 2, ow_clock_now_ms(cx->clock));
    ow_bind_int64(st, 3, id);
    rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "complaint assign", &cx->err);
    return event(
        cx, id, "assign",
        ow_sprintf(cx->arena, "分派至%s%s%s", name, note && *note ? "：" : "", note ? note : ""));
}

int ow_complaint_answer(ow_ctx *cx, int64_t id, const char *answer) {
    static const char *sql =
        "UPDATE complaints SET state = 'answered', answer = ?, answered_at = ?, answered_by = ?,"
        " answered_date = ?, answered_late = CASE WHEN ? = 1 OR escalation > 0 THEN 1 ELSE 0 END, "
        "updated_at = ? WHERE id = ?";
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
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, answer);
    ow_bind_int64(st, 2, now);
    ow_bind_text(st, 3, cx->actor.name);
    ow_bind_int(st, 4, today);
    ow_bind_int(st, 5, today > r.due);
    ow_bind_int64(st, 6, now);
    ow_bind_int64(st, 7, id);
    rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "complaint answer", &cx->err);
    /* answered_late also holds within a deadline extended by escalation: the original
     * one was missed */
    return event(cx, id, "answer", today > r.due ? "逾期答复" : "");
}

int ow_complaint_rate(ow_ctx *cx, int64_t id, const char *query_code, int satisfaction,
                      const char *feedback) {
    static const char *sql = "UPDATE complaints SET state = 'closed', satisfaction = ?,"
                             " feedback = ?, updated_at = ? WHERE id = ?";
    cmp_row r;
    int rc = load(cx, id, &r);
    if (rc) return rc;
    bool ok;
    if (query_code) {
        char h[65];
        ow_token_hash(query_code, h);
        ok = ow_ct_equal(h, r.qhash);
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
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, satisfaction);
    ow_bind_text(st, 2, feedback ? feedback : "");
    ow_bind_int64(st, 3, ow_clock_now_ms(cx->clock));
    ow_bind_int64(st, 4, id);
    rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "complaint rate", &cx->err);
    return event(cx, id, "rate", ow_sprintf(cx->arena, "满意程度 %d", satisfaction));
}

int ow_complaint_escalate_overdue(ow_ctx *cx, int *n) {
    static const char *find_sql =
        "SELECT id, due_date FROM complaints WHERE state IN ('submitted', 'assigned')"
        " AND due_date < ? ORDER BY id";
    static const char *upd_sql = "UPDATE complaints SET escalation = escalation + 1,"
                                 " escalated_at = ?, due_date = ?, updated_at = ? WHERE id = ?";
    *n = 0;
    int64_t now = ow_clock_now_ms(cx->clock);
    int32_t today = ow_date_today_shanghai(now), due;
    int rc = ow_sup_add_workdays(cx, today, cx->app->cfg.complaint_escalate_days, "due_date", &due);
    if (rc) return rc;
    ow_stmt *st = ow_db_stmt(cx->db, find_sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, today);
    int64_t *ids = NULL;
    size_t cnt = 0, cap = 0;
    while ((rc = ow_step(st)) == OW_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            int64_t *g = ow_alloc(cx->arena, cap * sizeof *g);
            if (cnt) memcpy(g, ids, cnt * sizeof *g);
            ids = g;
        }
        ids[cnt++] = ow_col_int64(st, 0);
    }
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "complaint overdue", &cx->err);
    char dd[11];
    ow_date_format(due, dd);
    for (size_t i = 0; i < cnt; i++) {
        st = ow_db_stmt(cx->db, upd_sql, &cx->err);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, now);
        ow_bind_int(st, 2, due);
        ow_bind_int64(st, 3, now);
        ow_bind_int64(st, 4, ids[i]);
        rc = ow_step(st);
        ow_reset(st);
        if (rc != OW_DONE) return ow_db_fail(cx->db, "complaint escalate", &cx->err);
        rc = event(cx, ids[i], "escalate",
                   ow_sprintf(cx->arena, "逾期未答复，已提级督办，新的答复期限 %s", dd));
        if (rc) return rc;
        (*n)++;
    }
    return OW_OK;
}

int ow_complaint_recompute_open(ow_ctx *cx, int *n) {
    static const char *find_sql = "SELECT id, filed_date, escalated_at, due_date FROM complaints"
                                  " WHERE state IN ('submitted', 'assigned')";
    static const char *upd_sql = "UPDATE complaints SET due_date = ? WHERE id = ?";
    *n = 0;
    ow_stmt *st = ow_db_stmt(cx->db, find_sql, &cx->err);
    if (!st) return OW_EDB;
    typedef struct {
        int64_t id;
        int32_t from, due;
        bool escalated;
    } open_cmp;
    open_cmp *v = NULL;
    int cnt = 0, cap = 0, rc;
    while ((rc = ow_step(st)) == OW_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            open_cmp *g = ow_alloc(cx->arena, (size_t)cap * sizeof *g);
            if (cnt) memcpy(g, v, (size_t)cnt * sizeof *g);
            v = g;
        }
        bool esc = !ow_col_null(st, 2);
        v[cnt++] = (open_cmp){
            .id = ow_col_int64(st, 0),
            .from =
                esc ? ow_date_today_shanghai(ow_col_int64(st, 2)) : (int32_t)ow_col_int64(st, 1),
            .due = (int32_t)ow_col_int64(st, 3),
            .escalated = esc,
        };
    }
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "complaint recompute", &cx->err);
    for (int i = 0; i < cnt; i++) {
        int32_t due;
        int days = v[i].escalated ? cx->app->cfg.complaint_escalate_days
                                  : cx->app->cfg.complaint_answer_days;
        if ((rc = ow_sup_add_workdays(cx, v[i].from, days, "due_date", &due))) return rc;
        if (due == v[i].due) continue;
        st = ow_db_stmt(cx->db, upd_sql, &cx->err);
        if (!st) return OW_EDB;
        ow_bind_int(st, 1, due);
        ow_bind_int64(st, 2, v[i].id);
        rc = ow_step(st);
        ow_reset(st);
        if (rc != OW_DONE) return ow_db_fail(cx->db, "complaint recompute", &cx->err);
        (*n)++;
    }
    return OW_OK;
}

/* ---------------- reading ---------------- */

#define CMP_COLS                                                                                   \
    "SELECT c.id, c.ref_no, c.kind, c.subject, c.case_no, c.about_org_id, coalesce(a.name, ''),"   \
    " c.assigned_org_id, coalesce(g.name, ''), c.title, c.content, c.anonymous, c.user_id,"        \
    " c.contact_name, c.mobile_masked, c.state, c.filed_at, c.due_date, c.escalation,"             \
    " c.escalated_at, c.answer, c.answered_at, c.answered_by, c.answered_late,"                    \
    " c.satisfaction, c.feedback FROM complaints c"                                                \
    " LEFT JOIN orgs a ON a.id = c.about_org_id LEFT JOIN orgs g ON g.id = c.assigned_org_id"

static json_t *row_json(ow_ctx *cx, ow_stmt *st, bool staff) {
    const char *state = ow_db_text(st, 15);
    bool anonymous = ow_col_int(st, 11);
    bool open = !strcmp(state, "submitted") || !strcmp(state, "assigned");
    int32_t due = (int32_t)ow_col_int64(st, 17);
    json_t *r = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:o,s:o,s:b,s:i,s:o,s:o,s:o,s:b,s:o,s:o}",
        "id", (json_int_t)ow_col_int64(st, 0), "ref_no", ow_db_text(st, 1), "kind",
        ow_db_text(st, 2), "subject", ow_db_text(st, 3), "subject_name",
        subject_name(ow_db_text(st, 3)), "case_no", ow_db_text(st, 4), "title", ow_db_text(st, 9),
        "content", ow_db_text(st, 10), "anonymous", anonymous, "state", state, "state_name",
        state_name(state), "filed_at", ow_db_time_json(st, 16), "due_date", col_date_json(st, 17),
        "overdue", open && ow_sup_today(cx) > due, "escalation", ow_col_int(st, 18), "escalated_at",
        ow_db_time_json(st, 19), "answer", col_str_or_null(st, 20), "answered_at",
        ow_db_time_json(st, 21), "answered_late", ow_col_int(st, 23), "satisfaction",
        ow_col_null(st, 24) ? json_null() : json_integer(ow_col_int(st, 24)), "feedback",
        col_str_or_null(st, 25));
    if (!ow_col_null(st, 5))
        json_object_set_new(r, "about_org",
                            json_pack("{s:I,s:s}", "id", (json_int_t)ow_col_int64(st, 5), "name",
                                      ow_db_text(st, 6)));
    json_object_set_new(r, "assigned_org",
                        ow_col_null(st, 7)
                            ? json_null()
                            : json_pack("{s:I,s:s}", "id", (json_int_t)ow_col_int64(st, 7), "name",
                                        ow_db_text(st, 8)));
    if (staff) {
        json_object_set_new(r, "answered_by", col_str_or_null(st, 22));
        /* Anonymous: staff learn nothing about who filed it. */
        json_object_set_new(r, "contact_name",
                            json_string(anonymous ? "（匿名）" : ow_db_text(st, 13)));
        json_object_set_new(r, "mobile", json_string(anonymous ? "" : ow_db_text(st, 14)));
    } else {
        json_object_set_new(r, "contact_name", json_string(ow_db_text(st, 13)));
        json_object_set_new(r, "mobile", json_string(ow_db_text(st, 14)));
    }
    return r;
}

static int events_json(ow_ctx *cx, int64_t id, json_t *r) {
    static const char *sql = "SELECT at, actor, action, note FROM complaint_events"
                             " WHERE complaint_id = ? ORDER BY seq";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    json_t *ev = json_array();
    int rc;
    while ((rc = ow_step(st)) == OW_ROW)
        json_array_append_new(ev, json_pack("{s:o,s:s,s:s,s:s}", "at", ow_db_time_json(st, 0),
                                            "actor", ow_db_text(st, 1), "action", ow_db_text(st, 2),
                                            "note", ow_db_text(st, 3)));
    ow_reset(st);
    if (rc != OW_DONE) {
        json_decref(ev);
        return ow_db_fail(cx->db, "complaint events", &cx->err);
    }
    json_object_set_new(r, "events", ev);
    return OW_OK;
}

static int get_by(ow_ctx *cx, int64_t id, bool staff, json_t **out) {
    static const char *sql = CMP_COLS " WHERE c.id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    json_t *r = rc == OW_ROW ? row_json(cx, st, staff) : NULL;
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "投诉建议不存在");
    if (rc != OW_ROW) return ow_db_fail(cx->db, "complaint get", &cx->err);
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
    static const char *sql = "SELECT id FROM complaints WHERE ref_no = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, ref_no);
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(&cx->err, OW_ENOTFOUND, "ref_no", "编号或查询码不正确");
    if (rc != OW_ROW) return ow_db_fail(cx->db, "complaint by ref", &cx->err);
    return OW_OK;
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
    if (!ow_ct_equal(h, r.qhash))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "ref_no", "编号或查询码不正确");
    return get_by(cx, id, false, out);
}

int ow_complaint_list_json(ow_ctx *cx, const ow_complaint_query *q, json_t **items,
                           int64_t *total) {
    static const char *where =
        " WHERE (?1 = 0 OR c.user_id = ?1)"
        " AND (?2 = 0 OR c.assigned_org_id = ?2"
        "      OR c.assigned_org_id IN (SELECT id FROM orgs WHERE parent_id = ?2))"
        " AND (?3 IS NULL OR c.state = ?3 OR (?3 = 'open' AND c.state IN ('submitted', "
        "'assigned')))"
        " AND (?4 = 0 OR (c.state IN ('submitted', 'assigned') AND c.due_date < ?5))"
        " AND (?6 = 0 OR c.escalation > 0)";
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
    const char *csql = ow_sprintf(cx->arena, "SELECT count(*) FROM complaints c%s", where);
    const char *lsql = ow_sprintf(cx->arena,
                                  "%s%s ORDER BY c.escalation DESC, c.state IN"
                                  " ('answered', 'closed'), c.due_date, c.id DESC"
                                  " LIMIT ?7 OFFSET ?8",
                                  CMP_COLS, where);
    for (int pass = 0; pass < 2; pass++) {
        ow_stmt *st = ow_db_stmt(cx->db, pass ? lsql : csql, &cx->err);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, mine);
        ow_bind_int64(st, 2, scope);
        if (q->state)
            ow_bind_text(st, 3, q->state);
        else
            ow_bind_null(st, 3);
        ow_bind_int(st, 4, q->overdue);
        ow_bind_int(st, 5, ow_sup_today(cx));
        ow_bind_int(st, 6, q->escalated);
        if (!pass) {
            if (ow_step(st) != OW_ROW) {
                ow_reset(st);
                return ow_db_fail(cx->db, "complaint count", &cx->err);
            }
            *total = ow_col_int64(st, 0);
            ow_reset(st);
            continue;
        }
        ow_bind_int(st, 7, q->per_page);
        ow_bind_int64(st, 8, (int64_t)(q->page - 1) * q->per_page);
        *items = json_array();
        while ((rc = ow_step(st)) == OW_ROW)
            json_array_append_new(*items, row_json(cx, st, staff && !mine));
        ow_reset(st);
        if (rc != OW_DONE) {
            json_decref(*items);
            return ow_db_fail(cx->db, "complaint list", &cx->err);
        }
    }
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
