/* cases_modes.c — the three case modes of issue 22 (docs/service-rules.md "Joint review",
 * "Approval on commitment", "Acceptance with materials owed"), beside the workflow of
 * cases.c, whose table (RULES) still says which action is legal when:
 *
 *   并联审批  a step the item marks as joint (catalog_modes.c) is reviewed by each of its
 *            departments at once: one review row per department (case_reviews); forward
 *            or approve records that department's agreement (会签同意) and the case moves
 *            on only with the last one; a denial by any decides the case and closes the
 *            others' reviews with the reason.  The case sits in the queue of a department
 *            still to give its opinion; every department of the group finds it in its
 *            joint-review queue.
 *   告知承诺制 the applicant files on commitment in place of the materials the item names,
 *            confirms the 承诺书 (notices/: case notice "commitment"), the case is decided
 *            without those materials, and the department records a check (核查) within the
 *            item's working days.  A failed check revokes the decision (the table's
 *            "revoke" row, W_CHECK_FAILED), the e-license it issued (the followers' revoked)
 *            and leaves a credit record against the applicant.
 *   容缺受理  the window accepts with minor materials the item allows still owed, due within
 *            some working days; the decision waits for them when the item says so; the
 *            applicant is reminded (the notify follower), and what is past due lights red.
 *
 * Everything here runs in the transaction of the action that calls it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "audit/audit.h"
#include "cases/cases.h"
#include "cases/cases_int.h"
#include "catalog/catalog_cases.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/workdays.h"
#include "store/case_modes_store.h"

#define LIT(lit) OW_JSON_PUT_LIT(b, lit)

static bool role_is(const ow_ctx *cx, const char *role) {
    return !strcmp(cx->actor.role, role);
}

static const char *org_label(ow_ctx *cx, int64_t id) {
    json_t *o;
    if (!id || ow_org_get_json(cx, id, &o)) {
        ow_err_clear(&cx->err);
        return "";
    }
    const char *n = ow_strdup(cx->arena, json_string_value(json_object_get(o, "name")));
    json_decref(o);
    return n ? n : "";
}

/* ======================= 并联审批 ======================= */

typedef struct review_find {
    int step;    /* 0: any */
    int64_t org; /* 0: any */
    bool any, open;
    int64_t first_open; /* an org with its review open at step */
} review_find;

static int find_review(void *arg, const ow_case_review_row *r) {
    review_find *f = arg;
    if ((f->step && r->step_seq != f->step)) return 0;
    if (!r->decision && !f->first_open) f->first_open = r->org_id;
    if (f->org && r->org_id != f->org) return 0;
    f->any = true;
    if (!r->decision) f->open = true;
    return 0;
}

static int reviews(ow_ctx *cx, int64_t case_id, review_find *f) {
    return ow_case_modes_store_review_each(cx->db, cx->arena, case_id, find_review, f, &cx->err);
}

int ow_case_joint_open_at(ow_ctx *cx, int64_t case_id, int step_seq, int64_t org, bool *open) {
    review_find f = {.step = step_seq, .org = org};
    int rc = org ? reviews(cx, case_id, &f) : OW_OK;
    *open = f.open;
    return rc;
}

int ow_case_joint_any_at(ow_ctx *cx, int64_t case_id, int step_seq, bool *any) {
    review_find f = {.step = step_seq};
    int rc = reviews(cx, case_id, &f);
    *any = f.any;
    return rc;
}

int ow_case_joint_member(ow_ctx *cx, int64_t case_id, int64_t org, bool *member) {
    review_find f = {.org = org};
    int rc = org ? reviews(cx, case_id, &f) : OW_OK;
    *member = f.any;
    return rc;
}

int ow_case_joint_open(ow_ctx *cx, const ow_case_row *c, int step_seq, const ow_case_joint *g,
                       json_t *detail) {
    int64_t now = ow_clock_now_ms(cx->clock);
    json_t *names = json_array();
    int rc = OW_OK;
    for (int i = 0; i < g->norgs && !rc; i++) {
        rc = ow_case_modes_store_review_open(cx->db, c->id, step_seq, g->org_ids[i], now, &cx->err);
        json_array_append_new(names, json_string(org_label(cx, g->org_ids[i])));
    }
    json_object_set_new(detail, "joint", names);
    return rc;
}

int ow_case_joint_close(ow_ctx *cx, const ow_case_row *c, int step_seq, const char *why) {
    return ow_case_modes_store_review_close_open(cx->db, c->id, step_seq, why,
                                                 ow_clock_now_ms(cx->clock), &cx->err);
}

int ow_case_joint_vote(ow_ctx *cx, ow_case_row *c, int step_seq, const char *step_name,
                       const ow_case_action_in *in, bool *last) {
    *last = true;
    int64_t now = ow_clock_now_ms(cx->clock);
    int64_t org = cx->actor.org_id;
    review_find f = {.step = step_seq};
    int rc = reviews(cx, c->id, &f);
    if (rc) return rc;
    if (cx->actor.system) org = f.first_open; /* the system acts for the next department */
    bool deny = !strcmp(in->action, "deny");
    const char *opinion = deny ? in->reason : in->comment && *in->comment ? in->comment : "同意";
    bool done;
    if ((rc = ow_case_modes_store_review_decide(
             cx->db, c->id, step_seq, org, deny ? "denied" : "approved", opinion, cx->actor.user_id,
             cx->actor.name, now, &done, &cx->err)))
        return rc;
    if (!done)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "joint_opinion_given", "action",
                           "本部门已对“%s”环节提出意见", step_name);
    const char *org_name = org_label(cx, org);
    if (deny) {
        /* any department's denial decides: the others' reviews close with the reason */
        const char *why = ow_sprintf(cx->arena, "%s不予同意，办件已作出不予许可决定", org_name);
        if ((rc = ow_case_joint_close(cx, c, step_seq, why))) return rc;
        c->dept_id = org; /* the denying department signs the decision */
        return OW_OK;
    }
    int64_t open;
    if ((rc = ow_case_modes_store_review_open_count(cx->db, c->id, step_seq, &open, &cx->err)))
        return rc;
    if (open == 0) return OW_OK; /* the last agreement: the case moves on */
    *last = false;
    /* the case waits in the queue of a department still to give its opinion */
    review_find g = {.step = step_seq};
    if ((rc = reviews(cx, c->id, &g))) return rc;
    if (g.first_open) c->dept_id = g.first_open;
    c->updated_at = now;
    if ((rc = ow_case_store(cx, c))) return rc;
    json_t *d = json_pack("{s:{s:i,s:s},s:s,s:s,s:I}", "step", "seq", step_seq, "name", step_name,
                          "org", org_name, "opinion", opinion, "waiting", (json_int_t)open);
    rc = ow_case_record_event(cx, c, "concur", c->state, in->comment, d);
    json_decref(d);
    return rc;
}

/* ======================= 告知承诺制 ======================= */

static int commitment(ow_ctx *cx, int64_t case_id, ow_case_commitment_row *r, bool *found) {
    return ow_case_modes_store_commitment_get(cx->db, cx->arena, case_id, r, found, &cx->err);
}

int ow_case_commitment_failed(ow_ctx *cx, int64_t case_id, bool *failed) {
    ow_case_commitment_row r;
    bool found;
    int rc = commitment(cx, case_id, &r, &found);
    *failed = !rc && found && !strcmp(r.check_result, "fail") && !r.revoked_at;
    return rc;
}

int ow_case_modes_decided(ow_ctx *cx, const ow_case_row *c, int32_t today) {
    ow_case_commitment_row r;
    bool found;
    int rc = commitment(cx, c->id, &r, &found);
    if (rc || !found) return rc;
    int32_t due = OW_DATE_NONE;
    ow_err e = {0};
    if (ow_cal_add_workdays(cx->app->calendar, today, r.check_days, &due, &e))
        due = OW_DATE_NONE; /* a year not loaded: the check shows without a due date */
    return ow_case_modes_store_commitment_set_due(cx->db, c->id, due, &cx->err);
}

int ow_case_modes_revoked(ow_ctx *cx, const ow_case_row *c, const char *reason, json_t *detail) {
    int64_t now = ow_clock_now_ms(cx->clock);
    int rc = ow_case_modes_store_commitment_revoke(cx->db, c->id, now, &cx->err);
    if (rc) return rc;
    ow_credit_record r = {.subject_kind = c->applicant_kind,
                          .subject_idx = c->applicant_idx,
                          .subject_masked = c->id_masked ? c->id_masked : "",
                          .subject_name = c->applicant_name ? c->applicant_name : "",
                          .case_id = c->id,
                          .case_no = c->case_no,
                          .kind = "false_commitment",
                          .note = ow_sprintf(cx->arena, "办件%s（%s）告知承诺不实：%s", c->case_no,
                                             c->item_name, reason),
                          .dept_id = c->dept_id,
                          .created_by = cx->actor.user_id,
                          .created_at = now};
    int64_t id;
    if ((rc = ow_case_modes_store_credit_insert(cx->db, &r, &id, &cx->err))) return rc;
    json_object_set_new(detail, "credit_record_id", json_integer(id));
    return OW_OK;
}

/* Who may confirm the 承诺书: the applicant, or the office that filed for them or takes
 * the case in (on the applicant's signed paper). */
static int may_act_for_applicant(ow_ctx *cx, const ow_case_row *c, bool *ok) {
    const ow_actor *a = &cx->actor;
    *ok = a->system;
    if ((role_is(cx, "citizen") || role_is(cx, "enterprise")) && a->user_id == c->applicant_user_id)
        *ok = true;
    if ((role_is(cx, "clerk") || role_is(cx, "agent")) && a->user_id == c->filed_by) *ok = true;
    if (role_is(cx, "clerk")) {
        int64_t scope;
        int rc = ow_case_scope_of(cx, a->org_id, &scope);
        if (rc) return rc;
        if (scope && scope == c->intake_scope_id) *ok = true;
    }
    return OW_OK;
}

static int load_visible(ow_ctx *cx, int64_t id, ow_case_row *c) {
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    int rc = ow_case_load(cx, id, c);
    if (rc) return rc;
    bool ok;
    if ((rc = ow_case_may_view(cx, c, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    return OW_OK;
}

int ow_cases_commitment_confirm(ow_ctx *cx, int64_t id) {
    ow_case_row c;
    int rc = load_visible(cx, id, &c);
    if (rc) return rc;
    bool ok;
    if ((rc = may_act_for_applicant(cx, &c, &ok))) return rc;
    if (!ok)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有申请人或为其代办的窗口人员可以确认承诺书");
    ow_case_commitment_row r;
    bool found;
    if ((rc = commitment(cx, id, &r, &found))) return rc;
    if (!found)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "no_commitment", "id",
                           "该办件不是以告知承诺方式申请的");
    if (r.confirmed_at)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "already_confirmed", "id", "承诺书已确认");
    if (strcmp(c.state, "submitted") && strcmp(c.state, "supplement"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "id",
                           "办件当前状态为“%s”，不能再确认承诺书", ow_case_state_name(c.state));
    int64_t now = ow_clock_now_ms(cx->clock);
    if ((rc = ow_case_modes_store_commitment_confirm(cx->db, id, now, cx->actor.user_id,
                                                     cx->actor.name, &cx->err)))
        return rc;
    json_t *mats = json_loads(r.materials, 0, NULL);
    json_t *d =
        json_pack("{s:o,s:i,s:s,s:s}", "materials", mats ? mats : json_array(), "check_days",
                  r.check_days, "by", cx->actor.name, "by_role", cx->actor.role);
    c.updated_at = now;
    rc = ow_case_store(cx, &c);
    if (!rc) rc = ow_case_record_event(cx, &c, "commit", c.state, NULL, d);
    json_decref(d);
    return rc;
}

int ow_cases_commitment_check(ow_ctx *cx, int64_t id, const char *result, const char *notes) {
    ow_case_row c;
    int rc = load_visible(cx, id, &c);
    if (rc) return rc;
    if (!cx->actor.system && !role_is(cx, "admin") &&
        !(role_is(cx, "approver") && cx->actor.org_id == c.dept_id))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有作出决定的部门的审批人员可以记录核查结果");
    if (!result || (strcmp(result, "pass") && strcmp(result, "fail")))
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "result",
                           "核查结果应为 pass（承诺属实）或 fail（承诺不实）");
    if (!notes || !*notes)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "notes",
                           "请填写核查情况（核查方式、发现的问题）");
    if (!ow_utf8_valid_text(notes) || ow_utf8_len(notes) > 500)
        return ow_err_set(&cx->err, OW_EINVAL, "notes", "核查情况过长（最多 500 个字）");
    ow_case_commitment_row r;
    bool found;
    if ((rc = commitment(cx, id, &r, &found))) return rc;
    if (!found)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "no_commitment", "id",
                           "该办件不是以告知承诺方式办理的");
    if (strcmp(c.state, "approved") && strcmp(c.state, "concluded"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "not_decided", "id",
                           "办件尚未作出准予决定，不需要核查");
    if (r.checked_at)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "already_checked", "id", "核查结果已记录");
    int64_t now = ow_clock_now_ms(cx->clock);
    if ((rc = ow_case_modes_store_commitment_check(cx->db, id, result, notes, cx->actor.user_id,
                                                   cx->actor.name, now, &cx->err)))
        return rc;
    bool fail = !strcmp(result, "fail");
    json_t *d = json_pack("{s:s,s:s}", "result", result, "notes", notes);
    if (r.check_due != OW_DATE_NONE) {
        char due[11];
        ow_date_format(r.check_due, due);
        json_object_set_new(d, "due", json_string(due));
        json_object_set_new(d, "late", json_boolean(ow_case_today(cx) > r.check_due));
    }
    rc = ow_case_record_event(cx, &c, "check", c.state, NULL, d);
    json_decref(d);
    if (rc || !fail) return rc;
    /* 承诺不实: the decision is revoked through the workflow's own table */
    ow_case_action_in in = {.action = "revoke",
                            .reason =
                                ow_sprintf(cx->arena, "经核查，申请人告知承诺不实：%s", notes)};
    return ow_cases_transition(cx, id, &in);
}

/* ======================= 容缺受理 ======================= */

int ow_case_modes_check_action(ow_ctx *cx, const ow_case_row *c, const ow_case_action_in *in) {
    const char *a = in->action;
    bool accepting = !strcmp(a, "accept") || (!strcmp(c->state, "submitted") &&
                                              (!strcmp(a, "approve") || !strcmp(a, "deny")));
    if ((in->nowed || in->owed_days) && strcmp(a, "accept"))
        return ow_err_set(&cx->err, OW_EINVAL, "owed", "只有受理时可以容缺（暂缺次要材料）");
    int rc;
    if (accepting) {
        ow_case_commitment_row r;
        bool found;
        if ((rc = commitment(cx, c->id, &r, &found))) return rc;
        if (found && !r.confirmed_at)
            return ow_err_setk(&cx->err, OW_ECONFLICT, "commitment_unconfirmed", "commitment",
                               "申请人尚未确认告知承诺书，请先由申请人确认");
    }
    if (!strcmp(a, "approve")) {
        int64_t owed;
        if ((rc = ow_case_modes_store_owed_open_count(cx->db, c->id, &owed, &cx->err))) return rc;
        if (owed) {
            ow_case_item it;
            if ((rc = ow_catalog_case_item(cx, c->item_id, c->item_version, &it))) return rc;
            if (it.decision_waits)
                return ow_err_setk(&cx->err, OW_ECONFLICT, "materials_owed", "action",
                                   "尚有 %lld 项容缺材料未补齐：该事项须补齐容缺材料后才能作出决定",
                                   (long long)owed);
        }
    }
    return OW_OK;
}

int ow_case_modes_owe(ow_ctx *cx, ow_case_row *c, const ow_case_action_in *in, int32_t today,
                      json_t *detail) {
    ow_case_item it;
    int rc = ow_catalog_case_item(cx, c->item_id, c->item_version, &it);
    if (rc) return rc;
    if (!it.nowe)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "tolerance_not_allowed", "owed",
                           "事项“%s”未设置可容缺的材料，不能容缺受理", it.name);
    if (in->owed_days < 1 || in->owed_days > OW_CASE_OWED_DAYS_MAX)
        return ow_err_setk(&cx->err, OW_EINVAL, in->owed_days ? "invalid" : "missing_field",
                           "owed_days", "请填写容缺材料的补交期限（1 至 %d 个工作日）",
                           OW_CASE_OWED_DAYS_MAX);
    int32_t due;
    ow_err e = {0};
    if (ow_cal_add_workdays(cx->app->calendar, today, in->owed_days, &due, &e))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "calendar_missing", "owed_days",
                           "补交期限所在年份的法定节假日尚未公布，请缩短期限");
    json_t *arr = json_loads(c->materials ? c->materials : "[]", 0, NULL);
    json_t *owed = json_array();
    for (int i = 0; i < in->nowed && !rc; i++) {
        const char *name = in->owed[i];
        if (!ow_case_names_has(it.owe_materials, it.nowe, name)) {
            rc = ow_err_set(&cx->err, OW_EINVAL, "owed", "材料“%s”不是该事项可容缺的材料", name);
            break;
        }
        for (int k = 0; k < i; k++)
            if (!strcmp(in->owed[k], name))
                rc = ow_err_set(&cx->err, OW_EINVAL, "owed", "容缺材料“%s”重复列出", name);
        size_t j;
        json_t *m;
        json_array_foreach(arr, j, m) {
            const char *n = json_string_value(json_object_get(m, "name"));
            if (rc || !n || strcmp(n, name)) continue;
            if (json_is_true(json_object_get(m, "provided")))
                rc = ow_err_set(&cx->err, OW_EINVAL, "owed", "材料“%s”已提交，不需要容缺", name);
            else
                json_object_set_new(m, "owed", json_true());
        }
        if (!rc)
            rc = ow_case_modes_store_owed_insert(cx->db, c->id, name, due,
                                                 ow_clock_now_ms(cx->clock), &cx->err);
        char ds[11];
        ow_date_format(due, ds);
        json_array_append_new(owed, json_pack("{s:s,s:s}", "name", name, "due", ds));
    }
    if (!rc) {
        char *t = ow_json_dump(arr);
        c->materials = ow_strdup(cx->arena, t);
        free(t);
        rc = ow_cases_store_set_materials(cx->db, c->id, c->materials, &cx->err);
        json_object_set_new(detail, "owed", owed);
        json_object_set_new(detail, "owed_days", json_integer(in->owed_days));
        json_object_set_new(detail, "decision_waits", json_boolean(it.decision_waits));
    } else {
        json_decref(owed);
    }
    json_decref(arr);
    return rc;
}

typedef struct owed_list {
    ow_ctx *cx;
    ow_case_defect *v;
    int n, cap;
} owed_list;

static int owed_open(void *arg, const ow_case_owed_row *r) {
    owed_list *l = arg;
    if (r->received_at || l->n >= l->cap) return 0;
    char ds[11];
    ow_date_format(r->due, ds);
    l->v[l->n++] = (ow_case_defect){.name = r->material,
                                    .problem = ow_sprintf(l->cx->arena, "请于%s前补交", ds)};
    return 0;
}

int ow_case_modes_remind(ow_ctx *cx, const ow_case_row *c) {
    owed_list l = {.cx = cx, .cap = OW_CASE_MATERIALS_MAX};
    l.v = ow_alloc(cx->arena, sizeof *l.v * (size_t)l.cap);
    int rc = ow_case_modes_store_owed_each(cx->db, cx->arena, c->id, owed_open, &l, &cx->err);
    if (rc || !l.n) return rc;
    ow_case_action_in in = {.action = "owed_reminder", .defects = l.v, .ndefects = l.n};
    if ((rc = ow_case_announce_stepped(cx, c, &in, c->state))) return rc;
    return ow_case_modes_store_owed_reminded(cx->db, c->id, ow_clock_now_ms(cx->clock), &cx->err);
}

/* An owed material came in (uploaded, from the wallet, or on paper): off the list, and
 * onto the checklist as handed in. */
static int owed_in(ow_ctx *cx, ow_case_row *c, const char *material, bool *was_owed) {
    int64_t now = ow_clock_now_ms(cx->clock);
    int rc = ow_case_modes_store_owed_receive(cx->db, c->id, material, now, was_owed, &cx->err);
    if (rc || !*was_owed) return rc;
    json_t *d = json_pack("{s:s}", "material", material);
    rc = ow_case_record_event(cx, c, "owed_received", c->state, NULL, d);
    json_decref(d);
    return rc;
}

int ow_case_modes_material_in(ow_ctx *cx, int64_t id, const char *material) {
    ow_case_row c;
    int rc = ow_case_load(cx, id, &c);
    if (rc) return rc;
    bool was;
    return owed_in(cx, &c, material, &was);
}

int ow_case_modes_owes(ow_ctx *cx, int64_t id, bool *owes) {
    int64_t n = 0;
    int rc = ow_case_modes_store_owed_open_count(cx->db, id, &n, &cx->err);
    *owes = n > 0;
    return rc;
}

typedef struct owed_find {
    const char *name;
    bool open;
} owed_find;

static int owed_match(void *arg, const ow_case_owed_row *r) {
    owed_find *f = arg;
    if (!r->received_at && !strcmp(r->material, f->name)) f->open = true;
    return 0;
}

int ow_cases_owed_receive(ow_ctx *cx, int64_t id, const char *material) {
    ow_case_row c;
    int rc = load_visible(cx, id, &c);
    if (rc) return rc;
    bool ok = cx->actor.system;
    if (role_is(cx, "clerk")) {
        int64_t scope;
        if ((rc = ow_case_scope_of(cx, cx->actor.org_id, &scope))) return rc;
        ok = scope && scope == c.intake_scope_id;
    }
    if (!ok)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有受理该办件的窗口人员可以登记补交的纸质材料");
    if (!material || !*material)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "material", "请选择补交的材料");
    owed_find f = {.name = material};
    if ((rc = ow_case_modes_store_owed_each(cx->db, cx->arena, id, owed_match, &f, &cx->err)))
        return rc;
    if (!f.open)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "not_owed", "material",
                           "材料“%s”不是该办件尚欠的容缺材料", material);
    /* on the checklist as handed in, and off the owed list (ow_case_modes_material_in) */
    return ow_cases_material_received(cx, id, material);
}

/* ======================= the case's view ======================= */

typedef struct text_walk {
    ow_ctx *cx;
    ow_buf *b;
    bool first;
    int32_t today;
    bool overdue;
} text_walk;

static void put_day(ow_buf *b, int32_t d) {
    if (d == OW_DATE_NONE) {
        LIT("null");
        return;
    }
    char s[11];
    ow_date_format(d, s);
    ow_json_put_str(b, s);
}

static void put_instant(ow_buf *b, int64_t ms) {
    if (!ms) {
        LIT("null");
        return;
    }
    char s[32];
    ow_time_format_iso(ms, s);
    ow_json_put_str(b, s);
}

static int review_text(void *arg, const ow_case_review_row *r) {
    text_walk *w = arg;
    ow_buf *b = w->b;
    if (!w->first) ow_buf_putc(b, ',');
    w->first = false;
    LIT("{\"step\":");
    ow_json_put_int(b, r->step_seq);
    LIT(",\"org\":{\"id\":");
    ow_json_put_int(b, r->org_id);
    LIT(",\"name\":");
    ow_json_put_str(b, r->org_name);
    LIT("},\"status\":");
    ow_json_put_str(b, r->decision ? r->decision : "open");
    LIT(",\"opinion\":");
    ow_json_put_str(b, r->opinion);
    LIT(",\"by\":");
    ow_json_put_str(b, r->by_name);
    LIT(",\"at\":");
    put_instant(b, r->decided_at);
    ow_buf_putc(b, '}');
    return 0;
}

static int owed_text(void *arg, const ow_case_owed_row *r) {
    text_walk *w = arg;
    ow_buf *b = w->b;
    if (!w->first) ow_buf_putc(b, ',');
    w->first = false;
    bool overdue = !r->received_at && w->today > r->due;
    if (overdue) w->overdue = true;
    LIT("{\"name\":");
    ow_json_put_str(b, r->material);
    LIT(",\"due\":");
    put_day(b, r->due);
    LIT(",\"received_at\":");
    put_instant(b, r->received_at);
    LIT(",\"reminded_at\":");
    put_instant(b, r->reminded_at);
    LIT(",\"overdue\":");
    ow_json_put_bool(b, overdue);
    ow_buf_putc(b, '}');
    return 0;
}

int ow_case_modes_text(ow_ctx *cx, const ow_case_row *c, ow_buf *b) {
    text_walk w = {.cx = cx, .b = b, .first = true, .today = ow_case_today(cx)};
    LIT("{\"joint\":[");
    int rc = ow_case_modes_store_review_each(cx->db, cx->arena, c->id, review_text, &w, &cx->err);
    if (rc) return rc;
    LIT("],\"owed\":[");
    w.first = true;
    bool open = ow_case_state_open(c->state);
    if ((rc = ow_case_modes_store_owed_each(cx->db, cx->arena, c->id, owed_text, &w, &cx->err)))
        return rc;
    LIT("],\"commitment\":");
    ow_case_commitment_row r;
    bool found;
    if ((rc = commitment(cx, c->id, &r, &found))) return rc;
    bool check_overdue = false;
    if (!found) {
        LIT("null");
    } else {
        check_overdue =
            !r.checked_at && !r.revoked_at && r.check_due != OW_DATE_NONE && w.today > r.check_due;
        LIT("{\"materials\":");
        ow_buf_puts(b, r.materials);
        LIT(",\"check_days\":");
        ow_json_put_int(b, r.check_days);
        LIT(",\"confirmed_at\":");
        put_instant(b, r.confirmed_at);
        LIT(",\"confirmed_by\":");
        ow_json_put_str(b, r.confirmed_name);
        LIT(",\"check_due\":");
        put_day(b, r.check_due);
        LIT(",\"check\":");
        if (!r.checked_at) {
            LIT("null");
        } else {
            LIT("{\"result\":");
            ow_json_put_str(b, r.check_result);
            LIT(",\"notes\":");
            ow_json_put_str(b, r.check_notes);
            LIT(",\"by\":");
            ow_json_put_str(b, r.checked_name);
            LIT(",\"at\":");
            put_instant(b, r.checked_at);
            ow_buf_putc(b, '}');
        }
        LIT(",\"check_overdue\":");
        ow_json_put_bool(b, check_overdue);
        LIT(",\"revoked_at\":");
        put_instant(b, r.revoked_at);
        ow_buf_putc(b, '}');
    }
    /* what the item version allows the window to accept as owed (容缺受理) */
    ow_case_item it;
    if ((rc = ow_catalog_case_item(cx, c->item_id, c->item_version, &it))) return rc;
    LIT(",\"owe_allowed\":[");
    for (int i = 0; i < it.nowe; i++) {
        if (i) ow_buf_putc(b, ',');
        ow_json_put_str(b, it.owe_materials[i]);
    }
    LIT("],\"decision_waits\":");
    ow_json_put_bool(b, it.decision_waits);
    LIT(",\"commitment_allowed\":");
    ow_json_put_bool(b, it.ncommit > 0);
    /* red on supervision: an owed material past its due date on an open case, or a check
     * not recorded in its period */
    LIT(",\"alerts\":[");
    const char *sep = "";
    if (w.overdue && open) {
        LIT("\"owed_overdue\"");
        sep = ",";
    }
    if (check_overdue) {
        ow_buf_puts(b, sep);
        LIT("\"check_overdue\"");
    }
    LIT("]}");
    return OW_OK;
}

/* ======================= queues and lists ======================= */

#define JOINT_QUEUE_MAX 200

int ow_cases_joint_queue_json(ow_ctx *cx, json_t **out) {
    *out = NULL;
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    if (!role_is(cx, "approver"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有部门审批人员有并联审批待办");
    int64_t ids[JOINT_QUEUE_MAX];
    int n;
    int rc = ow_case_modes_store_review_queue(cx->db, cx->actor.org_id, ids, JOINT_QUEUE_MAX, &n,
                                              &cx->err);
    if (rc) return rc;
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        json_t *c;
        if ((rc = ow_cases_get_json(cx, ids[i], &c))) {
            json_decref(a);
            return rc;
        }
        json_t *modes = json_object_get(c, "modes");
        json_array_append_new(
            a, json_pack("{s:I,s:O,s:O,s:O,s:O,s:O,s:O}", "id", (json_int_t)ids[i], "case_no",
                         json_object_get(c, "case_no"), "item", json_object_get(c, "item"),
                         "applicant", json_object_get(c, "applicant"), "step",
                         json_object_get(c, "step") ? json_object_get(c, "step") : json_null(),
                         "deadline", json_object_get(c, "deadline"), "joint",
                         json_object_get(modes, "joint")));
        json_decref(c);
    }
    *out = a;
    return OW_OK;
}

typedef struct alert_walk {
    ow_ctx *cx;
    json_t *a;
    int64_t scope_org; /* 0: district-wide */
} alert_walk;

static int alert_one(void *arg, const ow_case_mode_alert *al) {
    alert_walk *w = arg;
    ow_case_row c;
    int rc = ow_case_load(w->cx, al->case_id, &c);
    if (rc) return rc;
    if (w->scope_org && c.dept_id != w->scope_org && c.intake_org_id != w->scope_org &&
        c.intake_scope_id != w->scope_org)
        return 0;
    char due[11];
    ow_date_format(al->due, due);
    json_array_append_new(
        w->a, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "case_id", (json_int_t)c.id, "case_no",
                        c.case_no, "item_name", c.item_name, "kind", al->kind, "kind_name",
                        !strcmp(al->kind, "owed") ? "容缺材料逾期未补" : "告知承诺核查逾期", "due",
                        due, "dept_id", (json_int_t)c.dept_id, "light", "red"));
    return json_array_size(w->a) >= 500 ? 1 : 0;
}

int ow_cases_mode_alerts_json(ow_ctx *cx, json_t **out) {
    *out = NULL;
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    alert_walk w = {.cx = cx, .a = json_array()};
    if (!cx->actor.system && !role_is(cx, "supervisor") && !role_is(cx, "admin")) {
        if (!role_is(cx, "approver") && !role_is(cx, "clerk")) {
            json_decref(w.a);
            return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "您无权查看办理预警");
        }
        w.scope_org = cx->actor.org_id;
        if (role_is(cx, "clerk")) {
            int rc = ow_case_scope_of(cx, cx->actor.org_id, &w.scope_org);
            if (rc) {
                json_decref(w.a);
                return rc;
            }
        }
    }
    int rc = ow_case_modes_store_alerts(cx->db, ow_case_today(cx), alert_one, &w, &cx->err);
    if (rc < 0 || rc > 1) {
        json_decref(w.a);
        return rc;
    }
    *out = w.a;
    return OW_OK;
}

typedef struct credit_walk {
    json_t *a;
} credit_walk;

static int credit_one(void *arg, const ow_credit_record *r) {
    credit_walk *w = arg;
    char at[32];
    ow_time_format_iso(r->created_at, at);
    json_array_append_new(
        w->a, json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)r->id,
                        "subject_kind", r->subject_kind, "subject", r->subject_masked,
                        "subject_name", r->subject_name, "case_id", (json_int_t)r->case_id,
                        "case_no", r->case_no, "kind", r->kind, "kind_name",
                        !strcmp(r->kind, "false_commitment") ? "告知承诺不实" : r->kind, "note",
                        r->note, "dept_id", (json_int_t)r->dept_id, "created_at", at));
    return 0;
}

int ow_cases_credit_json(ow_ctx *cx, const char *id_number, const char *uscc, int page,
                         int per_page, json_t **items, int64_t *total) {
    *items = NULL;
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    if (!cx->actor.system && !role_is(cx, "clerk") && !role_is(cx, "approver") &&
        !role_is(cx, "supervisor") && !role_is(cx, "admin"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "信用记录只向受理、审批和监督的工作人员开放");
    /* one applicant's: by the blind index of the normalised number, as the cases store it;
     * looking a person up is audited like the desk's profile look-up */
    const char *idx = NULL;
    char buf[65], norm[19], masked[19];
    bool has_id = id_number && *id_number, has_uscc = uscc && *uscc;
    int rc;
    if (has_id || has_uscc) {
        int32_t today = ow_case_today(cx);
        int y, mo, d;
        ow_date_ymd(today, &y, &mo, &d);
        rc = has_id ? ow_id_number_check(id_number, norm, y * 10000 + mo * 100 + d, &cx->err)
                    : ow_uscc_check(uscc, norm, &cx->err);
        if (rc) return rc;
        ow_blind_index(&cx->app->keys, has_id ? "id_number" : "uscc", norm, buf);
        idx = buf;
        if (has_id)
            ow_mask_id_number(norm, masked);
        else
            snprintf(masked, sizeof masked, "%s", norm);
        json_t *detail = json_pack("{s:s}", "what", "credit_records");
        rc = ow_audit_append(cx, "case.credit_view", "applicant", masked, detail);
        json_decref(detail);
        if (rc) return rc;
    }
    if (page < 1) page = 1;
    if (per_page < 1 || per_page > 100) per_page = 20;
    rc = ow_case_modes_store_credit_count(cx->db, idx, total, &cx->err);
    if (rc) return rc;
    credit_walk w = {json_array()};
    rc = ow_case_modes_store_credit_each(cx->db, cx->arena, idx, per_page,
                                         (int64_t)(page - 1) * per_page, credit_one, &w, &cx->err);
    if (rc) {
        json_decref(w.a);
        return rc;
    }
    *items = w.a;
    return OW_OK;
}

/* ======================= reminders ======================= */

#define REMIND_BATCH 200

int ow_cases_owed_remind(ow_ctx *cx, int *n) {
    *n = 0;
    int64_t now = ow_clock_now_ms(cx->clock);
    int32_t today = ow_date_today_shanghai(now), soon;
    ow_err e = {0};
    /* due by the next working day; a year not loaded: the ones due by tomorrow */
    if (ow_cal_add_workdays(cx->app->calendar, today, 1, &soon, &e)) soon = today + 1;
    /* once a day: not reminded since the start of today (Beijing time) */
    int64_t day_start = now - (now + 8 * 3600 * 1000LL) % (24 * 3600 * 1000LL);
    int64_t ids[REMIND_BATCH];
    int k;
    int rc = ow_case_modes_store_owed_to_remind(cx->db, soon, day_start, ids, REMIND_BATCH, &k,
                                                &cx->err);
    for (int i = 0; i < k && !rc; i++) {
        ow_case_row c;
        if ((rc = ow_case_load(cx, ids[i], &c))) break;
        if (!ow_case_state_open(c.state)) continue;
        if (!(rc = ow_case_modes_remind(cx, &c))) ++*n;
    }
    return rc;
}
