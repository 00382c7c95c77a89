/* cases.c — a case (办件) is one application for one published item version by one
 * applicant, identified by resident ID number or USCC (一号申请).  It is filed online
 * by the applicant (网上办), or on their behalf at an intake window, a township center
 * or a village agent point (代办, 就近办); the comprehensive window accepts it (前台
 * 综合受理), the item's department decides (后台分类审批), the window hands out the
 * result (综合窗口出件).
 *
 * States and the one transition function:
 *
 *   submitted ──accept──▶ review ──approve──▶ approved ──deliver──▶ concluded
 *       │  ▲                │  ▲      └─deny──▶ denied
 *       │  └─resubmit─ supplement     suspend/resume (suspended: clock stopped)
 *       ├─supplement──▶ supplement (补正: clock stopped until the applicant resubmits)
 *       ├─refuse──▶ refused (不予受理)
 *       └─withdraw (from any state before the decision) ──▶ withdrawn
 *   transfer (submitted or review) keeps the state and changes the deciding department.
 *   forward (review → review): the step is done, the next department step takes over.
 *   approve / deny straight from submitted: an item with no department step (即办件,
 *   受理 → 办结) is decided at the window by the clerk who accepts it.
 *
 * Steps (办理流程): a case follows the steps of the item version it was filed under,
 * e.g. 受理 (window clerk) → 审查 (department A's approver) → 决定 (department B's
 * approver) → 出件 (window clerk).  The table still says which actions are legal in
 * which state; the steps say who acts (R_STEP: the role and organisation of the step
 * the case is at) and whose queue the case is in (dept_id follows the acting
 * department from step to step), and a few rows are legal only at a certain point of
 * the procedure (the decision only at the last department step, forward only before
 * it, the window decision only for an item without department steps).  Steps done by
 * a clerk or agent are done by the intake center the case was filed with (综合窗口:
 * any window of the center acts for the item's window).
 *
 * Why this shape: the law fixes what each step needs (Administrative Licensing Law
 * Art. 32, 42, 44, 45 in docs/service-rules.md), so the rules are one table (RULES below)
 * of (state, action) → (next state, who may, what must be given) that a reader can
 * check against the law at a glance; the few side effects that differ per action
 * (starting the clock, pausing it, recording the decision) follow in one switch.
 *
 * Deadlines are working days from the legal calendar (core/workdays.h).  A case
 * stores its due dates so queues can sort by them; they are recomputed on every
 * transition and whenever an administrator edits the calendar.  Before acceptance
 * the 5-working-day intake period of Art. 32 runs (paused during 补正); a licensing
 * case accepted after it counts as accepted from the day of receipt.  After
 * acceptance the committed (承诺) and statutory (法定) limits run from the day after
 * the clock starts, minus suspended days; after approval the 10-day delivery period
 * of Art. 44.  A year missing from the calendar leaves the due date unknown and says
 * so on the case, never a weekdays-only guess. */
#include "cases/cases.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "audit/audit.h"
#include "calendar/calendar.h"
#include "cases/cases_int.h"
#include "catalog/catalog_cases.h"
#include "core/buf.h"
#include "core/workdays.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/json.h"
#include "store/case_modes_store.h"

/* ======================= names ======================= */

static const char *const STATE_NAMES[][2] = {
    {"submitted", "待受理"},   {"supplement", "待补正"}, {"review", "审查中"},
    {"suspended", "中止计时"}, {"approved", "待出件"},   {"denied", "不予许可"},
    {"refused", "不予受理"},   {"concluded", "已办结"},  {"withdrawn", "已撤回"},
};

static const char *const ACTION_NAMES[][2] = {
    {"submit", "提交申请"},
    {"accept", "受理"},
    {"supplement", "一次性告知补正"},
    {"resubmit", "补正材料"},
    {"refuse", "不予受理"},
    {"approve", "准予许可"},
    {"deny", "不予许可"},
    {"suspend", "中止计时"},
    {"resume", "恢复计时"},
    {"extend", "延长期限"},
    {"transfer", "转办"},
    {"deliver", "出件"},
    {"withdraw", "撤回申请"},
    {"forward", "审查通过，转下一环节"},
    {"deadline", "办理期限调整"}, /* the calendar changed under it (ow_cases_recompute_open) */
    /* the case modes of issue 22 (cases_modes.c) */
    {"concur", "会签同意"},              /* one department of a joint step agreed */
    {"commit", "签署告知承诺书"},        /* the applicant confirmed the commitment */
    {"check", "告知承诺核查"},           /* the department recorded the check */
    {"revoke", "撤销决定"},              /* a false commitment revoked the decision */
    {"owed_received", "容缺材料已补齐"}, /* an owed material came in */
    {"owed_reminder", "容缺材料补交提醒"},
};

static const char *const CHANNEL_NAMES[][2] = {
    {"online", "网上申请"},
    {"window", "窗口受理"},
    {"township", "便民服务中心"},
    {"agent", "代办点代办"},
};

static const char *const DELIVERY_NAMES[][2] = {
    {"window", "窗口领取"},
    {"post", "邮寄送达"},
    {"electronic", "电子送达"},
};

static const char *lookup(const char *const (*t)[2], size_t n, const char *code) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t[i][0], code)) return t[i][1];
    return NULL;
}
#define LOOKUP(t, code) lookup(t, sizeof t / sizeof t[0], code)

const char *ow_case_state_name(const char *s) {
    const char *n = s ? LOOKUP(STATE_NAMES, s) : NULL;
    return n ? n : "";
}
const char *ow_case_action_name(const char *a) {
    const char *n = a ? LOOKUP(ACTION_NAMES, a) : NULL;
    return n ? n : "";
}
const char *ow_case_channel_name(const char *c) {
    const char *n = c ? LOOKUP(CHANNEL_NAMES, c) : NULL;
    return n ? n : "";
}

/* ======================= the transition table ======================= */

enum {
    R_APPLICANT = 1u << 0, /* the applicant's own account */
    R_INTAKE = 1u << 1,    /* a clerk of the center or township the case was filed with */
    R_STEP = 1u << 2,      /* who the step the case is at names: its role in its org */
    R_FILER = 1u << 3,     /* the clerk or agent who filed it for the applicant */
    R_DEPT = 1u << 4,      /* an approver of the department that decided it */
};

/* Where in the procedure a row applies (the steps of the case's item version). */
enum {
    W_ANY = 0,
    W_MORE,         /* another department step follows the current one */
    W_DECIDE,       /* the current step is the last department step: the decision */
    W_AT_WINDOW,    /* the item has no department step: decided at the window (即办) */
    W_JOINT,        /* the current step is reviewed by several departments (并联审批): any one's
                       denial decides the case */
    W_CHECK_FAILED, /* the commitment's check (核查) found it false (告知承诺制) */
    W_SINGLE,       /* the current step is one department's, not a joint one */
};

enum {
    N_REASON = 1u << 0, /* reason: the law requires one (不予受理, 不予许可, 中止, 转办, 撤回) */
    N_DEFECTS = 1u << 1,  /* every missing or faulty material with its problem */
    N_DEPT = 1u << 2,     /* the department to transfer to */
    N_DELIVERY = 1u << 3, /* how the result is handed over (post: tracking number) */
};

typedef struct rule {
    const char *from, *action, *to;
    unsigned who, needs, when;
} rule;

/* clang-format off */
/* the applicant, or the office that filed or takes the case in on their written request */
#define R_FOR_APPLICANT (R_APPLICANT | R_FILER | R_INTAKE)

static const rule RULES[] = {
    /* from          action        to            who               needs              when */
    {"submitted",  "accept",     "review",     R_INTAKE,         0,                 W_ANY},
    {"submitted",  "approve",    "approved",   R_INTAKE,         0,                 W_AT_WINDOW},
    {"submitted",  "deny",       "denied",     R_INTAKE,         N_REASON,          W_AT_WINDOW},
    {"submitted",  "supplement", "supplement", R_INTAKE,         N_DEFECTS,         W_ANY},
    {"submitted",  "refuse",     "refused",    R_INTAKE,         N_REASON,          W_ANY},
    {"submitted",  "transfer",   "submitted",  R_INTAKE,         N_DEPT | N_REASON, W_ANY},
    {"submitted",  "withdraw",   "withdrawn",  R_FOR_APPLICANT,  N_REASON,          W_ANY},
    {"supplement", "resubmit",   "submitted",  R_FOR_APPLICANT,  0,                 W_ANY},
    {"supplement", "withdraw",   "withdrawn",  R_FOR_APPLICANT,  N_REASON,          W_ANY},
    {"review",     "forward",    "review",     R_STEP,           0,                 W_MORE},
    {"review",     "approve",    "approved",   R_STEP,           0,                 W_DECIDE},
    {"review",     "deny",       "denied",     R_STEP,           N_REASON,          W_DECIDE},
    {"review",     "deny",       "denied",     R_STEP,           N_REASON,          W_JOINT},
    {"review",     "suspend",    "suspended",  R_STEP,           N_REASON,          W_ANY},
    {"review",     "extend",     "review",     R_STEP,           N_REASON,          W_ANY},
    {"review",     "transfer",   "review",     R_STEP,           N_DEPT | N_REASON, W_SINGLE},
    {"review",     "withdraw",   "withdrawn",  R_FOR_APPLICANT,  N_REASON,          W_ANY},
    {"suspended",  "resume",     "review",     R_STEP,           0,                 W_ANY},
    {"suspended",  "withdraw",   "withdrawn",  R_FOR_APPLICANT,  N_REASON,          W_ANY},
    {"approved",   "deliver",    "concluded",  R_INTAKE,         N_DELIVERY,        W_ANY},
    /* a false commitment: the case ends with its decision revoked (result "revoked") */
    {"approved",   "revoke",     "concluded",  R_DEPT,           N_REASON,          W_CHECK_FAILED},
    {"concluded",  "revoke",     "concluded",  R_DEPT,           N_REASON,          W_CHECK_FAILED},
};
/* clang-format on */
#define NRULES (sizeof RULES / sizeof RULES[0])

/* ======================= the steps ======================= */

static const char *org_name(ow_ctx *cx, int64_t id);

/* The case's procedure: its item version's steps with the organisation each acts in
 * (org 0 = the item's department), or the route a transfer saved.  Department steps
 * are those of an approver, supervisor or admin; the clerk and agent steps before them
 * are the intake, those after them the delivery (出件). */
typedef struct route {
    ow_case_step *s;
    int n;
    int review_first, review_last; /* department steps, 0-based; -1 when none (即办) */
    const ow_case_joint **joint;   /* per step: its departments when reviewed jointly, or NULL */
    bool check_failed;             /* the commitment's check found it false */
} route;

/* The joint group of 0-based step k, or NULL. */
static const ow_case_joint *joint_at(const route *rt, int k) {
    return rt->joint && k >= 0 && k < rt->n ? rt->joint[k] : NULL;
}

static int cur_step(const ow_case_row *c, const route *rt);

/* The item's joint steps and the commitment's state onto the route.  A case already at a
 * joint step without its departments' reviews (one the bulk demo seeder wrote straight
 * into the table) is reviewed as an ordinary step, by the department whose queue it is
 * in, rather than by nobody. */
static int route_modes(ow_ctx *cx, const ow_case_row *c, const ow_case_item *it, route *rt) {
    rt->joint = ow_alloc(cx->arena, sizeof *rt->joint * (size_t)(rt->n + 1));
    for (int i = 0; i < rt->n; i++)
        rt->joint[i] = ow_case_item_joint(it, i + 1);
    if (!c->id) return OW_OK;
    int rc;
    if (!strcmp(c->state, "review") || !strcmp(c->state, "suspended")) {
        int k = cur_step(c, rt);
        bool any = false;
        if (rt->joint[k] && (rc = ow_case_joint_any_at(cx, c->id, k + 1, &any))) return rc;
        if (!any) rt->joint[k] = NULL;
    }
    /* only a decided case can have its decision revoked: no look-up for the others */
    if (strcmp(c->state, "approved") && strcmp(c->state, "concluded")) return OW_OK;
    return ow_case_commitment_failed(cx, c->id, &rt->check_failed);
}

static bool dept_role(const char *role) {
    return strcmp(role, "clerk") && strcmp(role, "agent");
}

static void route_index(route *rt) {
    rt->review_first = rt->review_last = -1;
    for (int i = 0; i < rt->n; i++)
        if (dept_role(rt->s[i].role)) {
            if (rt->review_first < 0) rt->review_first = i;
            rt->review_last = i;
        }
}

/* The decision: the last department step, or for an item without one the last step. */
static int decide_at(const route *rt) {
    return rt->review_last >= 0 ? rt->review_last : rt->n - 1;
}

/* The delivery step after the decision, -1 if the guide names none. */
static int deliver_at(const route *rt) {
    return rt->review_last >= 0 && rt->review_last + 1 < rt->n ? rt->review_last + 1 : -1;
}

static int load_route(ow_ctx *cx, const ow_case_row *c, route *rt) {
    memset(rt, 0, sizeof *rt);
    json_t *saved = c->route && *c->route ? json_loads(c->route, 0, NULL) : NULL;
    if (saved && json_array_size(saved)) {
        rt->n = (int)json_array_size(saved);
        rt->s = ow_alloc(cx->arena, sizeof *rt->s * (size_t)rt->n);
        for (int i = 0; i < rt->n; i++) {
            json_t *e = json_array_get(saved, (size_t)i);
            const char *name = json_string_value(json_object_get(e, "name"));
            const char *role = json_string_value(json_object_get(e, "role"));
            const char *org = json_string_value(json_object_get(e, "org_name"));
            rt->s[i] = (ow_case_step){.name = ow_strdup(cx->arena, name ? name : ""),
                                      .role = ow_strdup(cx->arena, role ? role : "clerk"),
                                      .org_id = json_integer_value(json_object_get(e, "org_id")),
                                      .org_name = ow_strdup(cx->arena, org ? org : ""),
                                      .days = (int)json_integer_value(json_object_get(e, "days"))};
        }
        json_decref(saved);
        route_index(rt);
        ow_case_item it;
        int rc = ow_catalog_case_item(cx, c->item_id, c->item_version, &it);
        return rc ? rc : route_modes(cx, c, &it, rt);
    }
    json_decref(saved);
    ow_case_item it;
    int rc = ow_catalog_case_item(cx, c->item_id, c->item_version, &it);
    if (rc) return rc;
    if (it.nsteps == 0) {
        /* a guide published before steps were required: intake, then the department */
        static ow_case_step plain[2] = {{"受理", "clerk", 0, "", 0},
                                        {"审查决定", "approver", 0, "", 0}};
        it.steps = plain;
        it.nsteps = 2;
    }
    rt->n = it.nsteps;
    rt->s = ow_alloc(cx->arena, sizeof *rt->s * (size_t)rt->n);
    for (int i = 0; i < rt->n; i++) {
        rt->s[i] = it.steps[i];
        if (!rt->s[i].org_id && dept_role(rt->s[i].role)) {
            /* the item's department (a transfer saves the route it changed) */
            rt->s[i].org_id = it.dept_id;
            rt->s[i].org_name = it.dept_name;
        }
    }
    route_index(rt);
    if ((rc = route_modes(cx, c, &it, rt))) return rc;
    for (int i = 0; i < rt->n; i++)
        if (rt->joint[i] && rt->joint[i]->norgs) {
            /* a joint step sits in its first department's queue; the others see it in
             * their joint-review queue (ow_cases_joint_queue_json) */
            rt->s[i].org_id = rt->joint[i]->org_ids[0];
            rt->s[i].org_name = org_name(cx, rt->s[i].org_id);
        }
    return OW_OK;
}

/* Keep the route on the case (after a transfer changed who acts at some steps). */
static void save_route(ow_ctx *cx, ow_case_row *c, const route *rt) {
    json_t *a = json_array();
    for (int i = 0; i < rt->n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:I,s:s,s:i}", "name", rt->s[i].name, "role",
                                           rt->s[i].role, "org_id", (json_int_t)rt->s[i].org_id,
                                           "org_name", rt->s[i].org_name, "days", rt->s[i].days));
    char *t = ow_json_dump(a);
    json_decref(a);
    c->route = ow_strdup(cx->arena, t);
    free(t);
}

/* The 0-based step c is at.  Rows written before steps were followed (or by the bulk
 * seeders) carry step 1 whatever their state: the state places them. */
static int cur_step(const ow_case_row *c, const route *rt) {
    const char *s = c->state;
    int k = c->step_seq - 1, hi = decide_at(rt);
    int lo = rt->review_first >= 0 ? rt->review_first : hi;
    if (!strcmp(s, "submitted") || !strcmp(s, "supplement")) return 0;
    if (!strcmp(s, "review") || !strcmp(s, "suspended")) return k < lo ? lo : k > hi ? hi : k;
    if (!strcmp(s, "approved")) return deliver_at(rt) >= 0 ? deliver_at(rt) : hi;
    return k < 0 ? 0 : k >= rt->n ? rt->n - 1 : k;
}

/* Move c to step k; a department step puts the case in that department's queue. */
static void go_to_step(ow_case_row *c, const route *rt, int k) {
    c->step_seq = k + 1;
    c->step_name = rt->s[k].name;
    if (dept_role(rt->s[k].role) && rt->s[k].org_id) c->dept_id = rt->s[k].org_id;
}

static bool rule_applies(const rule *r, const ow_case_row *c, const route *rt) {
    switch (r->when) {
    case W_MORE:
        return rt->review_first >= 0 && cur_step(c, rt) < rt->review_last;
    case W_DECIDE:
        return cur_step(c, rt) == decide_at(rt);
    case W_AT_WINDOW:
        return rt->review_first < 0;
    case W_JOINT:
        return joint_at(rt, cur_step(c, rt)) != NULL && cur_step(c, rt) != decide_at(rt);
    case W_CHECK_FAILED:
        return rt->check_failed;
    case W_SINGLE:
        return joint_at(rt, cur_step(c, rt)) == NULL;
    default:
        return true;
    }
}

static const rule *find_rule(const ow_case_row *c, const char *action, const route *rt) {
    for (size_t i = 0; i < NRULES; i++)
        if (!strcmp(RULES[i].from, c->state) && !strcmp(RULES[i].action, action) &&
            (!rt || rule_applies(&RULES[i], c, rt)))
            return &RULES[i];
    return NULL;
}

static const char *role_label(const char *role) {
    static const char *const names[][2] = {{"clerk", "窗口工作人员"},
                                           {"agent", "代办员"},
                                           {"approver", "审批人员"},
                                           {"supervisor", "监督人员"},
                                           {"admin", "管理员"}};
    const char *n = LOOKUP(names, role);
    return n ? n : role;
}

bool ow_case_state_open(const char *s) {
    return !strcmp(s, "submitted") || !strcmp(s, "supplement") || !strcmp(s, "review") ||
           !strcmp(s, "suspended") || !strcmp(s, "approved");
}

/* ======================= small helpers ======================= */

int32_t ow_case_today(const ow_ctx *cx) {
    return ow_date_today_shanghai(ow_clock_now_ms(cx->clock));
}

static bool is_system(const ow_ctx *cx) {
    return cx->actor.system;
}
static bool actor_is(const ow_ctx *cx, const char *role) {
    return !strcmp(cx->actor.role, role);
}

static int forbid(ow_ctx *cx, const char *msg) {
    return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "%s", msg);
}

/* The center or township a staff member's office belongs to: a window's center, a
 * township center itself, an agent point's township.  0 for other offices. */
int ow_case_scope_of(ow_ctx *cx, int64_t org_id, int64_t *scope) {
    *scope = 0;
    if (!org_id) return OW_OK;
    json_t *o;
    int rc = ow_org_get_json(cx, org_id, &o);
    if (rc) return rc;
    const char *kind = json_string_value(json_object_get(o, "kind"));
    json_int_t parent = json_integer_value(json_object_get(o, "parent_id"));
    if (!strcmp(kind, "center") || !strcmp(kind, "township"))
        *scope = org_id;
    else if (!strcmp(kind, "window") || !strcmp(kind, "agent_point"))
        *scope = parent;
    json_decref(o);
    return OW_OK;
}

static const char *org_name(ow_ctx *cx, int64_t id) {
    if (!id) return "";
    json_t *o;
    if (ow_org_get_json(cx, id, &o)) {
        ow_err_clear(&cx->err);
        return "";
    }
    const char *n = ow_strdup(cx->arena, json_string_value(json_object_get(o, "name")));
    json_decref(o);
    return n;
}

/* ======================= the case row ======================= */

static int load(ow_ctx *cx, int64_t id, const char *no, ow_case_row *c) {
    bool found;
    int rc = ow_cases_store_get(cx->db, cx->arena, id, no, c, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    return OW_OK;
}

int ow_case_load(ow_ctx *cx, int64_t id, ow_case_row *c) {
    return load(cx, id, NULL, c);
}

int ow_case_load_by_no(ow_ctx *cx, const char *no, ow_case_row *c) {
    return load(cx, 0, no, c);
}

/* Write back every field a transition may change. */
static int store_case(ow_ctx *cx, const ow_case_row *c) {
    return ow_cases_store_update(cx->db, c, &cx->err);
}

/* ======================= pauses and deadlines ======================= */

int ow_case_pauses(ow_ctx *cx, int64_t id, ow_cal_pause **out, size_t *n) {
    return ow_cases_store_pauses(cx->db, cx->arena, id, out, n, &cx->err);
}

static int pause_open(ow_ctx *cx, int64_t id, const char *kind, int32_t day) {
    return ow_cases_store_pause_open(cx->db, id, kind, day, &cx->err);
}

/* The pause ends with the day the applicant resubmits (or the procedure resumes): that
 * day is not counted, the clock runs again from the next one. */
static int pause_close(ow_ctx *cx, int64_t id, int32_t day) {
    return ow_cases_store_pause_close(cx->db, id, day, &cx->err);
}

static int cal_soft(ow_ctx *cx, int rc, ow_err *e, const char **note) {
    if (rc == OW_OK) return OW_OK;
    if (rc == OW_ENOTFOUND) {
        if (note && !*note) *note = ow_strdup(cx->arena, e->message);
        return OW_OK;
    }
    cx->err = *e;
    return rc;
}

int ow_case_compute_due(ow_ctx *cx, ow_case_row *c, const ow_cal_pause *p, size_t np,
                        const char **note) {
    ow_calendar *cal = cx->app ? cx->app->calendar : NULL;
    if (!cal) return ow_err_set(&cx->err, OW_EINTERNAL, "calendar", "法定节假日日历未载入");
    ow_err e = {0};
    int rc;
    const char *s = c->state;
    if (!strcmp(s, "submitted") || !strcmp(s, "supplement")) {
        c->due_committed = c->due_statutory = OW_DATE_NONE;
        int32_t due = OW_DATE_NONE;
        rc = ow_cal_due_with_pauses(cal, c->received_date, OW_CASE_INTAKE_DAYS, p, np, &due, &e);
        if ((rc = cal_soft(cx, rc, &e, note))) return rc;
        c->due_date = due;
        return OW_OK;
    }
    if (!strcmp(s, "review") || !strcmp(s, "suspended") || !strcmp(s, "approved")) {
        int32_t dc = OW_DATE_NONE, ds = OW_DATE_NONE;
        rc = ow_cal_due_with_pauses(cal, c->clock_start, c->committed_days, p, np, &dc, &e);
        if ((rc = cal_soft(cx, rc, &e, note))) return rc;
        ow_err_clear(&e);
        rc = ow_cal_due_with_pauses(cal, c->clock_start, c->statutory_days + c->extended_days, p,
                                    np, &ds, &e);
        if ((rc = cal_soft(cx, rc, &e, note))) return rc;
        c->due_committed = dc;
        c->due_statutory = ds;
        if (strcmp(s, "approved")) {
            c->due_date = dc;
            return OW_OK;
        }
        int32_t dd = OW_DATE_NONE;
        ow_err_clear(&e);
        rc = ow_cal_add_workdays(cal, c->decided_date, OW_CASE_DELIVERY_DAYS, &dd, &e);
        if ((rc = cal_soft(cx, rc, &e, note))) return rc;
        c->due_date = dd;
        return OW_OK;
    }
    c->due_date = OW_DATE_NONE; /* closed: the limits it had are kept for the record */
    return OW_OK;
}

static int recompute(ow_ctx *cx, ow_case_row *c) {
    ow_cal_pause *p;
    size_t np;
    int rc = ow_case_pauses(cx, c->id, &p, &np);
    if (rc) return rc;
    return ow_case_compute_due(cx, c, p, np, NULL);
}

/* The intake period's last day (Art. 32), pauses included; OW_DATE_NONE if unknown. */
static int intake_due(ow_ctx *cx, const ow_case_row *c, int32_t *due) {
    ow_cal_pause *p;
    size_t np;
    int rc = ow_case_pauses(cx, c->id, &p, &np);
    if (rc) return rc;
    ow_err e = {0};
    *due = OW_DATE_NONE;
    rc = ow_cal_due_with_pauses(cx->app->calendar, c->received_date, OW_CASE_INTAKE_DAYS, p, np,
                                due, &e);
    return cal_soft(cx, rc, &e, NULL);
}

static int add_event(ow_ctx *cx, const ow_case_row *c, const char *action, const char *from,
                     const char *comment, json_t *detail);

/* The timeline row of a due date moved by a calendar change: the applicant and the
 * window see the old and the new date.  Written as the system, not as the administrator
 * who changed the calendar (who did not act on the case). */
static int deadline_event(ow_ctx *cx, const ow_case_row *c, int32_t old_committed,
                          int32_t old_due) {
    json_t *detail =
        json_pack("{s:o,s:o,s:o,s:o,s:b}", "old_due_committed", ow_json_date(old_committed),
                  "due_committed", ow_json_date(c->due_committed), "old_due", ow_json_date(old_due),
                  "due", ow_json_date(c->due_date), "provisional",
                  ow_cal_date_provisional(cx->app->calendar, c->due_committed) ||
                      ow_cal_date_provisional(cx->app->calendar, c->due_date));
    ow_actor who = cx->actor;
    memset(&cx->actor, 0, sizeof cx->actor);
    cx->actor.system = true;
    int rc = add_event(cx, c, "deadline", c->state, "法定节假日安排变更，办理期限重新计算", detail);
    cx->actor = who;
    json_decref(detail);
    return rc;
}

int ow_cases_recompute_open(ow_ctx *cx, int *n) {
    *n = 0;
    int64_t after = 0;
    for (;;) {
        /* Batches, so a district's open cases never sit in memory at once. */
        ow_case_row *rows = ow_alloc(cx->arena, 500 * sizeof *rows);
        int k, rc;
        if ((rc = ow_cases_store_open_batch(cx->db, cx->arena, after, rows, 500, &k, &cx->err)))
            return rc;
        for (int i = 0; i < k; i++) {
            ow_case_row *c = &rows[i];
            int32_t a = c->due_committed, b = c->due_statutory, d = c->due_date;
            if ((rc = recompute(cx, c))) return rc;
            if (a == c->due_committed && b == c->due_statutory && d == c->due_date) continue;
            if ((rc = ow_cases_store_set_due(cx->db, c->id, c->due_committed, c->due_statutory,
                                             c->due_date, &cx->err)))
                return rc;
            if ((a != c->due_committed || d != c->due_date) && (rc = deadline_event(cx, c, a, d)))
                return rc;
            (*n)++;
        }
        if (k < 500) return OW_OK;
        after = rows[k - 1].id;
    }
}

/* ======================= history ======================= */

static int add_event(ow_ctx *cx, const ow_case_row *c, const char *action, const char *from,
                     const char *comment, json_t *detail) {
    char *dj = detail ? ow_json_dump(detail) : NULL;
    ow_case_event_new ev = {
        .case_id = c->id,
        .at = ow_clock_now_ms(cx->clock),
        .actor_id = cx->actor.user_id,
        .actor_name = cx->actor.name[0] ? cx->actor.name : "系统",
        .actor_role = cx->actor.system && !cx->actor.role[0] ? "system" : cx->actor.role,
        .actor_org = org_name(cx, cx->actor.org_id),
        .action = action,
        .from_state = from,
        .to_state = c->state,
        .comment = comment ? comment : "",
        .detail = dj ? dj : "{}",
    };
    int rc = ow_cases_store_add_event(cx->db, &ev, &cx->err);
    free(dj);
    return rc;
}

/* History row and audit row of one change, after the case row is written. */
static int record(ow_ctx *cx, const ow_case_row *c, const char *action, const char *from,
                  const char *comment, json_t *detail) {
    int rc = add_event(cx, c, action, from, comment, detail);
    if (rc) return rc;
    char ids[24], act[32];
    snprintf(ids, sizeof ids, "%lld", (long long)c->id);
    snprintf(act, sizeof act, "case.%s", action);
    json_t *a = detail ? json_deep_copy(detail) : json_object();
    json_object_set_new(a, "case_no", json_string(c->case_no));
    json_object_set_new(a, "from", json_string(from));
    json_object_set_new(a, "to", json_string(c->state));
    rc = ow_audit_append(cx, act, "case", ids, a);
    json_decref(a);
    return rc;
}

int ow_case_record_event(ow_ctx *cx, const ow_case_row *c, const char *action, const char *from,
                         const char *comment, json_t *detail) {
    return record(cx, c, action, from, comment, detail);
}

int ow_case_store(ow_ctx *cx, const ow_case_row *c) {
    return store_case(cx, c);
}

/* ======================= who may ======================= */

/* Which of the R_* relations the actor has to this case.  rt (the case's steps) is
 * needed for R_STEP in review; NULL answers without it. */
static int relations(ow_ctx *cx, const ow_case_row *c, const route *rt, unsigned *out) {
    *out = 0;
    const ow_actor *a = &cx->actor;
    if (!a->user_id) return OW_OK;
    if ((actor_is(cx, "citizen") || actor_is(cx, "enterprise")) &&
        a->user_id == c->applicant_user_id)
        *out |= R_APPLICANT;
    if (a->user_id == c->filed_by && (actor_is(cx, "clerk") || actor_is(cx, "agent")))
        *out |= R_FILER;
    if (actor_is(cx, "clerk")) {
        int64_t scope;
        int rc = ow_case_scope_of(cx, a->org_id, &scope);
        if (rc) return rc;
        if (scope && scope == c->intake_scope_id) *out |= R_INTAKE;
    }
    if (rt && (!strcmp(c->state, "review") || !strcmp(c->state, "suspended"))) {
        int k = cur_step(c, rt);
        const ow_case_step *st = &rt->s[k];
        if (!dept_role(st->role)) {
            if (*out & R_INTAKE) *out |= R_STEP; /* the window decides (即办) */
        } else if (joint_at(rt, k)) {
            /* 并联审批: each department of the group whose opinion is still open */
            bool open = false;
            if (actor_is(cx, st->role)) {
                int rc = ow_case_joint_open_at(cx, c->id, k + 1, a->org_id, &open);
                if (rc) return rc;
            }
            if (open) *out |= R_STEP;
        } else if (actor_is(cx, st->role) && a->org_id == c->dept_id) {
            *out |= R_STEP; /* dept_id is the acting department of the step */
        }
    }
    if (actor_is(cx, "approver") && a->org_id == c->dept_id &&
        (!strcmp(c->state, "approved") || !strcmp(c->state, "concluded")))
        *out |= R_DEPT;
    return OW_OK;
}

static int may_view(ow_ctx *cx, const ow_case_row *c, bool *ok) {
    *ok = true;
    if (is_system(cx) || actor_is(cx, "supervisor") || actor_is(cx, "admin")) return OW_OK;
    unsigned r;
    int rc = relations(cx, c, NULL, &r);
    if (rc) return rc;
    if (r) return OW_OK;
    /* the department whose queue the case is in */
    if (actor_is(cx, "approver") && cx->actor.org_id == c->dept_id) return OW_OK;
    /* a department of a joint step (并联审批) */
    if (actor_is(cx, "approver")) {
        bool joint;
        rc = ow_case_joint_member(cx, c->id, cx->actor.org_id, &joint);
        if (rc) return rc;
        if (joint) return OW_OK;
    }
    /* staff who acted on it at an earlier step keep sight of what they did */
    if (!actor_is(cx, "citizen") && !actor_is(cx, "enterprise")) {
        bool acted;
        rc = ow_cases_store_acted(cx->db, c->id, cx->actor.user_id, &acted, &cx->err);
        if (rc) return rc;
        if (acted) return OW_OK;
    }
    /* an agent sees every filing of their point, not only their own */
    if (actor_is(cx, "agent") && cx->actor.org_id == c->intake_org_id) return OW_OK;
    *ok = false;
    return OW_OK;
}

/* ======================= submitting ======================= */

static int next_case_no(ow_ctx *cx, int32_t today, char out[32]) {
    int y, m, d;
    ow_date_ymd(today, &y, &m, &d);
    char day[9];
    snprintf(day, sizeof day, "%04d%02d%02d", y, m, d);
    int64_t n;
    int rc = ow_cases_store_next_no(cx->db, day, &n, &cx->err);
    if (rc) return rc;
    snprintf(out, 32, "%s-%s-%05lld", cx->app->cfg.region_code, day, (long long)n);
    return OW_OK;
}

static int find_idem(ow_ctx *cx, int64_t filer, const char *key, int64_t *id, int64_t *item) {
    return ow_cases_store_find_idem(cx->db, filer, key, id, item, &cx->err);
}

static int today_yyyymmdd(ow_ctx *cx) {
    int y, m, d;
    ow_date_ymd(ow_case_today(cx), &y, &m, &d);
    return y * 10000 + m * 100 + d;
}

static int check_text(ow_ctx *cx, const char *field, const char *label, const char *v, size_t max) {
    if (v && (!ow_utf8_valid_text(v) || ow_utf8_len(v) > max))
        return ow_err_set(&cx->err, OW_EINVAL, field, "%s过长或含有不允许的字符（最多 %zu 个字）",
                          label, max);
    return OW_OK;
}

/* Who the applicant is: from the account online, from the form at a desk. */
typedef struct applicant {
    const char *kind; /* person, enterprise */
    char number[19];  /* normalised ID number or USCC */
    const char *name;
    char mobile[12];
    int64_t user_id;
    const char *override_reason; /* a pilot USCC accepted by the clerk (docs/service-rules.md) */
} applicant;

static int applicant_from_account(ow_ctx *cx, const ow_case_apply_in *in, applicant *ap) {
    json_t *u = NULL, *pii = NULL;
    int rc = ow_account_user_json(cx, cx->actor.user_id, &u);
    /* the read only: its audit row is written with the case (ow_cases_submit_commit) */
    if (!rc) rc = ow_account_user_pii_read(cx, cx->actor.user_id, &pii);
    if (rc) {
        json_decref(u);
        return rc;
    }
    bool person = actor_is(cx, "citizen");
    ap->kind = person ? "person" : "enterprise";
    const char *num = person ? json_string_value(json_object_get(pii, "id_number"))
                             : json_string_value(json_object_get(u, "uscc"));
    snprintf(ap->number, sizeof ap->number, "%s", num ? num : "");
    ap->name = ow_strdup(cx->arena, json_string_value(json_object_get(u, "name")));
    const char *mob = json_string_value(json_object_get(pii, "mobile"));
    snprintf(ap->mobile, sizeof ap->mobile, "%s", mob ? mob : "");
    ap->user_id = cx->actor.user_id;
    json_decref(u);
    json_decref(pii);
    (void)in;
    if (!ap->number[0]) return ow_err_set(&cx->err, OW_EINTERNAL, "", "账号缺少证件号码");
    return OW_OK;
}

static int applicant_from_form(ow_ctx *cx, const ow_case_apply_in *in, applicant *ap) {
    int rc;
    bool has_id = in->id_number && *in->id_number, has_uscc = in->uscc && *in->uscc;
    if (has_id == has_uscc)
        return ow_err_setk(
            &cx->err, OW_EINVAL, "missing_field", "id_number",
            "请填写申请人的身份证号码（个人）或统一社会信用代码（法人），二者填其一");
    if (has_id) {
        ap->kind = "person";
        if ((rc = ow_id_number_check(in->id_number, ap->number, today_yyyymmdd(cx), &cx->err)))
            return rc;
    } else {
        ap->kind = "enterprise";
        rc = ow_uscc_check(in->uscc, ap->number, &cx->err);
        bool pilot = rc == OW_EINVAL && !strcmp(cx->err.kind, OW_IDS_KIND_CHECK_DIGIT);
        bool asked = in->uscc_override_reason && *in->uscc_override_reason;
        if (rc && !(pilot && asked)) return rc; /* the check_digit kind lets a clerk ask */
        if (asked && !rc)
            return ow_err_set(&cx->err, OW_EINVAL, "uscc_override_reason",
                              "该统一社会信用代码校验通过，无需特殊受理");
        if (asked) {
            /* Only the check characters failed: every other part is well formed.  A
             * pilot-period code is accepted by a window clerk who has seen the licence,
             * never silently and never by an agent point. */
            if (!actor_is(cx, "clerk"))
                return forbid(
                    cx,
                    "只有窗口或便民服务中心的受理人员可以特殊受理试点期间赋码的统一社会信用代码");
            ow_err_clear(&cx->err);
            if ((rc = check_text(cx, "uscc_override_reason", "特殊受理的理由",
                                 in->uscc_override_reason, 200)))
                return rc;
            ap->override_reason = in->uscc_override_reason;
        }
    }
    if (!in->name || !*in->name)
        return ow_err_setk(&cx->err, OW_EINVAL, "name", "name", "请填写申请人姓名或单位名称");
    if ((rc = check_text(cx, "name", "申请人姓名或名称", in->name, 60))) return rc;
    ap->name = in->name;
    if (!in->mobile || !*in->mobile)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "mobile", "请填写申请人手机号码");
    if ((rc = ow_mobile_check(in->mobile, ap->mobile, &cx->err))) return rc;
    ow_login_target t;
    if ((rc = ow_account_find_login(cx, ap->number, &t))) return rc;
    ap->user_id = t.user_id;
    return OW_OK;
}

/* Sealed on the request thread (ow_cases_submit_prepare), so the writer only inserts. */
typedef struct sealed {
    const char *id_enc, *mob_enc; /* mob_enc NULL without a mobile number */
    char mob_masked[12];
} sealed;

static int seal_applicant(ow_ctx *cx, const applicant *ap, sealed *out) {
    const ow_crypto_keys *k = &cx->app->keys;
    char *id_enc = NULL, *mob_enc = NULL;
    if (ow_pii_encrypt(k, ap->number, "cases.id_number", &id_enc) ||
        (ap->mobile[0] && ow_pii_encrypt(k, ap->mobile, "cases.mobile", &mob_enc))) {
        free(id_enc);
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "个人信息加密失败");
    }
    out->id_enc = ow_strdup(cx->arena, id_enc);
    out->mob_enc = mob_enc ? ow_strdup(cx->arena, mob_enc) : NULL;
    free(id_enc);
    free(mob_enc);
    out->mob_masked[0] = '\0';
    if (ap->mobile[0]) ow_mask_mobile(ap->mobile, out->mob_masked);
    return OW_OK;
}

static int insert_case(ow_ctx *cx, ow_case_row *c, const sealed *sl, const char *idem_key) {
    ow_case_sealed s = {.id_enc = sl->id_enc,
                        .mobile_enc = sl->mob_enc,
                        .mobile_masked = sl->mob_masked,
                        .idem_key = idem_key};
    return ow_cases_store_insert(cx->db, c, &s, &c->id, &cx->err);
}

/* A pilot USCC accepted by the clerk: on the case row and as its own audit row, so an
 * inspector finds every such code (case.uscc_override) without reading each case. */
static int record_id_override(ow_ctx *cx, const ow_case_row *c, const applicant *ap) {
    char at[32];
    ow_time_format_iso(ow_clock_now_ms(cx->clock), at);
    json_t *o = json_pack("{s:s,s:I,s:s,s:s}", "reason", ap->override_reason, "by",
                          (json_int_t)cx->actor.user_id, "by_name", cx->actor.name, "at", at);
    char *t = ow_json_dump(o);
    json_decref(o);
    int rc = ow_cases_store_set_id_override(cx->db, c->id, t, &cx->err);
    free(t);
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)c->id);
    json_t *d = json_pack("{s:s,s:s,s:s}", "case_no", c->case_no, "uscc", ap->number, "reason",
                          ap->override_reason);
    rc = ow_audit_append(cx, "case.uscc_override", "case", ids, d);
    json_decref(d);
    return rc;
}

/* The guide's materials with what was handed in: [{name, required, provided}]. */
static int materials_json(ow_ctx *cx, const ow_case_item *it, const char **names, int n,
                          json_t *prev, json_t **out) {
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        if (!names[i] || ow_case_item_material(it, names[i]) < 0) {
            json_decref(arr);
            return ow_err_set(&cx->err, OW_EINVAL, "materials", "材料“%s”不在该事项的办事指南中",
                              names[i] ? names[i] : "");
        }
    }
    for (int m = 0; m < it->nmaterials; m++) {
        bool provided = false;
        for (int i = 0; i < n; i++)
            if (!strcmp(names[i], it->materials[m].name)) provided = true;
        if (prev) {
            size_t j;
            json_t *e;
            json_array_foreach(prev, j, e) {
                const char *pn = json_string_value(json_object_get(e, "name"));
                if (pn && !strcmp(pn, it->materials[m].name) &&
                    json_is_true(json_object_get(e, "provided")))
                    provided = true;
            }
        }
        json_array_append_new(arr,
                              json_pack("{s:s,s:b,s:b}", "name", it->materials[m].name, "required",
                                        it->materials[m].required, "provided", provided));
    }
    *out = arr;
    return OW_OK;
}

/* Everything a submission needs that can be read and checked away from the writer: the
 * item version, the applicant (at a desk), the office, the materials. */
struct ow_case_submit_prep {
    ow_case_apply_in in;
    bool online;
    ow_case_item it;
    ow_case_row c;
    applicant ap;
    sealed sl;
    char idx[65], masked[19];
};

static int check_idem(ow_ctx *cx, const ow_case_apply_in *in, int64_t *id) {
    int64_t prev_item = 0;
    int rc = find_idem(cx, cx->actor.user_id, in->idem_key, id, &prev_item);
    if (rc) return rc;
    if (*id && prev_item != in->item_id)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "idempotency_conflict", "idempotency_key",
                           "该幂等键已用于另一事项的申请");
    return OW_OK;
}

int ow_cases_submit_prepare(ow_ctx *cx, const ow_case_apply_in *in, ow_case_submit_prep **out) {
    *out = NULL;
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    bool online = actor_is(cx, "citizen") || actor_is(cx, "enterprise");
    bool desk = actor_is(cx, "clerk") || actor_is(cx, "agent");
    if (!online && !desk)
        return forbid(cx, "只有申请人本人或窗口、便民服务中心、代办点工作人员可以提交申请");
    int rc;
    if (in->idem_key && (!*in->idem_key || strlen(in->idem_key) > OW_CASE_IDEM_KEY_MAX_CHARS ||
                         !ow_utf8_valid_text(in->idem_key)))
        return ow_err_set(&cx->err, OW_EINVAL, "idempotency_key", "幂等键应为 1 到 %d 个字符",
                          OW_CASE_IDEM_KEY_MAX_CHARS);
    if (in->item_id <= 0)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "item_id", "请选择申请的事项");
    if (in->nmaterials > OW_CASE_MATERIALS_MAX)
        return ow_err_set(&cx->err, OW_EINVAL, "materials", "材料过多（最多 %d 项）",
                          OW_CASE_MATERIALS_MAX);
    if ((rc = check_text(cx, "address", "地址", in->address, 100)) ||
        (rc = check_text(cx, "title", "申请事由", in->title, 200)))
        return rc;
    ow_case_submit_prep *p = ow_alloc(cx->arena, sizeof *p);
    p->in = *in;
    p->online = online;
    ow_case_item *it = &p->it;
    ow_case_row *c = &p->c;
    if ((rc = ow_catalog_case_item(cx, in->item_id, 0, it))) return rc;
    bool person = online ? actor_is(cx, "citizen") : !(in->uscc && *in->uscc);
    if (!online && (rc = applicant_from_form(cx, in, &p->ap))) return rc;
    if (!strcmp(it->target, person ? "enterprise" : "person"))
        return ow_err_set(&cx->err, OW_EINVAL, person ? "id_number" : "uscc",
                          "事项“%s”只受理%s申请", it->name, person ? "法人" : "个人");
    if (online && in->mobile && *in->mobile &&
        (rc = ow_mobile_check(in->mobile, p->ap.mobile, &cx->err)))
        return rc;

    /* where it is filed, and who accepts it */
    if (online) {
        if (!it->mode_online)
            return ow_err_set(&cx->err, OW_EINVAL, "item_id",
                              "事项“%s”不支持网上申请，请到窗口办理", it->name);
        snprintf(c->channel, sizeof c->channel, "online");
        int64_t center;
        if ((rc = ow_org_first_of_kind(cx, "center", &center))) return rc;
        if (!center) return ow_err_set(&cx->err, OW_EINTERNAL, "", "尚未设置政务服务中心");
        c->intake_org_id = it->window_id ? it->window_id : center;
        c->intake_scope_id = center;
    } else {
        char kind[16];
        if ((rc = ow_org_kind(cx, cx->actor.org_id, kind))) return rc;
        if ((rc = ow_case_scope_of(cx, cx->actor.org_id, &c->intake_scope_id))) return rc;
        if (!c->intake_scope_id) return forbid(cx, "您所在的机构不受理申请");
        c->intake_org_id = cx->actor.org_id;
        const char *channel = !strcmp(kind, "window")     ? "window"
                              : !strcmp(kind, "township") ? "township"
                                                          : "agent";
        snprintf(c->channel, sizeof c->channel, "%s", channel);
        if (!strcmp(channel, "township") && !it->level_township)
            return ow_err_set(&cx->err, OW_EINVAL, "item_id",
                              "事项“%s”未下放到乡镇（街道）便民服务中心办理", it->name);
        if (!strcmp(channel, "agent") && !it->level_agent_point)
            return ow_err_set(&cx->err, OW_EINVAL, "item_id",
                              "事项“%s”不在村（社区）代办点代办范围内", it->name);
    }
    c->filed_by = cx->actor.user_id;

    json_t *mats;
    if ((rc = materials_json(cx, it, in->materials, in->nmaterials, NULL, &mats))) return rc;
    if (in->commitment) {
        /* 告知承诺制: the commitment stands in for the materials the item names for it */
        if (!it->ncommit) {
            json_decref(mats);
            return ow_err_set(&cx->err, OW_EINVAL, "commitment", "事项“%s”不实行告知承诺制",
                              it->name);
        }
        size_t i;
        json_t *m;
        json_array_foreach(mats, i, m) {
            const char *n = json_string_value(json_object_get(m, "name"));
            if (n && ow_case_names_has(it->commit_materials, it->ncommit, n))
                json_object_set_new(m, "commitment", json_true());
        }
    }
    char *mtext = ow_json_dump(mats);
    json_decref(mats);
    c->materials = ow_strdup(cx->arena, mtext);
    free(mtext);
    c->item_id = it->item_id;
    c->item_version = it->version;
    c->item_code = it->code;
    c->item_name = it->name;
    c->item_type = it->type;
    c->dept_id = it->dept_id;
    c->address = in->address ? in->address : "";
    c->title = in->title ? in->title : "";
    c->committed_days = it->committed_days;
    c->statutory_days = it->statutory_days;

    /* Everything else that needs no write, here on the request thread, so the single
     * writer only numbers and inserts (group commit then serves more requests). */
    applicant *ap = &p->ap;
    if (online) {
        /* the account's own numbers; a mobile given on the form wins */
        char mobile[12];
        snprintf(mobile, sizeof mobile, "%s", ap->mobile);
        if ((rc = applicant_from_account(cx, in, ap))) return rc;
        if (mobile[0]) snprintf(ap->mobile, sizeof ap->mobile, "%s", mobile);
    }
    bool is_person = !strcmp(ap->kind, "person");
    snprintf(c->applicant_kind, sizeof c->applicant_kind, "%s", ap->kind);
    ow_blind_index(&cx->app->keys, is_person ? "id_number" : "uscc", ap->number, p->idx);
    c->applicant_idx = p->idx;
    c->applicant_user_id = ap->user_id;
    c->applicant_name = ap->name;
    if (is_person)
        ow_mask_id_number(ap->number, p->masked);
    else
        snprintf(p->masked, sizeof p->masked, "%s", ap->number); /* a USCC is public */
    c->id_masked = p->masked;
    if ((rc = seal_applicant(cx, ap, &p->sl))) return rc;
    snprintf(c->state, sizeof c->state, "submitted");
    c->submitted_at = c->updated_at = ow_clock_now_ms(cx->clock);
    c->received_date = ow_date_today_shanghai(c->submitted_at);
    c->accepted_date = c->clock_start = c->decided_date = OW_DATE_NONE;
    c->due_committed = c->due_statutory = c->due_date = OW_DATE_NONE;
    if ((rc = ow_case_compute_due(cx, c, NULL, 0, NULL))) return rc;
    *out = p;
    return OW_OK;
}

int ow_cases_submit_commit(ow_ctx *cx, ow_case_submit_prep *p, int64_t *id, bool *created) {
    *created = false;
    *id = 0;
    int rc;
    if (p->in.idem_key) {
        if ((rc = check_idem(cx, &p->in, id))) return rc;
        if (*id) return OW_OK; /* the double click: answer the case already filed */
    }
    ow_case_row *c = &p->c;
    /* the applicant's numbers were decrypted in prepare: audited with the case */
    if (p->online && (rc = ow_account_user_pii_audit(cx, cx->actor.user_id))) return rc;
    /* numbered by the day it was received, which prepare fixed */
    if ((rc = next_case_no(cx, c->received_date, c->case_no))) return rc;
    if ((rc = insert_case(cx, c, &p->sl, p->in.idem_key))) return rc;
    if (p->ap.override_reason && (rc = record_id_override(cx, c, &p->ap))) return rc;

    json_t *d = json_pack("{s:I,s:i,s:s,s:s,s:s}", "item_id", (json_int_t)c->item_id, "version",
                          c->item_version, "channel", c->channel, "applicant_kind",
                          c->applicant_kind, "applicant", c->id_masked);
    if (p->in.commitment) {
        /* the materials the commitment replaces, fixed with the case (告知承诺制) */
        json_t *names = json_array();
        for (int i = 0; i < p->it.ncommit; i++)
            json_array_append_new(names, json_string(p->it.commit_materials[i]));
        char *t = ow_json_dump(names);
        json_object_set_new(d, "commitment", names);
        rc = ow_case_modes_store_commitment_insert(cx->db, c->id, t, p->it.check_days, &cx->err);
        free(t);
        if (rc) {
            json_decref(d);
            return rc;
        }
    }
    rc = record(cx, c, "submit", "", NULL, d);
    json_decref(d);
    if (rc) return rc;
    *id = c->id;
    *created = true;
    return OW_OK;
}

int ow_cases_submit(ow_ctx *cx, const ow_case_apply_in *in, int64_t *id, bool *created) {
    *created = false;
    *id = 0;
    ow_case_submit_prep *p;
    int rc;
    /* an answered double click needs none of the checks */
    if (in->idem_key && ow_actor_signed_in(&cx->actor) && *in->idem_key &&
        strlen(in->idem_key) <= OW_CASE_IDEM_KEY_MAX_CHARS) {
        if ((rc = check_idem(cx, in, id))) return rc;
        if (*id) return OW_OK;
    }
    if ((rc = ow_cases_submit_prepare(cx, in, &p))) return rc;
    return ow_cases_submit_commit(cx, p, id, created);
}

/* ======================= transitions ======================= */

static int need_text(ow_ctx *cx, const char *field, const char *v, const char *what, size_t max) {
    if (!v || !*v)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", field, "请填写%s", what);
    return check_text(cx, field, what, v, max);
}

static int check_needs(ow_ctx *cx, const ow_case_row *c, const rule *r,
                       const ow_case_action_in *in) {
    int rc;
    if ((rc = check_text(cx, "comment", "意见", in->comment, 500))) return rc;
    if (r->needs & N_REASON) {
        const char *what = !strcmp(r->action, "refuse") ? "不予受理的理由"
                           : !strcmp(r->action, "deny") ? "不予许可的理由和依据"
                           : !strcmp(r->action, "suspend")
                               ? "中止计时的事由（听证、检验、专家评审等）"
                           : !strcmp(r->action, "transfer") ? "转办的理由"
                                                            : "撤回的原因";
        if ((rc = need_text(cx, "reason", in->reason, what, 500))) return rc;
    }
    if (r->needs & N_DEFECTS) {
        if (in->ndefects <= 0)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "materials",
                               "请一次性列出需要补正的全部材料及其问题");
        if (in->ndefects > OW_CASE_MATERIALS_MAX)
            return ow_err_set(&cx->err, OW_EINVAL, "materials", "补正材料过多");
        for (int i = 0; i < in->ndefects; i++) {
            if ((rc = need_text(cx, "materials", in->defects[i].name, "材料名称", 100))) return rc;
            if ((rc = need_text(cx, "materials", in->defects[i].problem, "每项材料需要补正的问题",
                                200)))
                return rc;
            for (int j = 0; j < i; j++)
                if (!strcmp(in->defects[i].name, in->defects[j].name))
                    return ow_err_set(&cx->err, OW_EINVAL, "materials", "材料“%s”重复列出",
                                      in->defects[i].name);
        }
    }
    if (r->needs & N_DEPT) {
        if (in->dept_id <= 0)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "dept_id", "请选择转办的部门");
        char kind[16];
        rc = ow_org_kind(cx, in->dept_id, kind);
        if (rc == OW_ENOTFOUND || (!rc && strcmp(kind, "department")))
            return ow_err_set(&cx->err, OW_EINVAL, "dept_id", "转办对象应为部门");
        if (rc) return rc;
        if (in->dept_id == c->dept_id)
            return ow_err_set(&cx->err, OW_EINVAL, "dept_id", "转办的部门与当前办理部门相同");
    }
    if (r->needs & N_DELIVERY) {
        if (!in->delivery || !*in->delivery)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "delivery",
                               "请选择出件方式（窗口领取、邮寄送达或电子送达）");
        if (!LOOKUP(DELIVERY_NAMES, in->delivery))
            return ow_err_set(
                &cx->err, OW_EINVAL, "delivery",
                "出件方式应为 window（窗口领取）、post（邮寄送达）或 electronic（电子送达）");
        if (!strcmp(in->delivery, "post")) {
            if ((rc = need_text(cx, "tracking_no", in->tracking_no, "邮件运单号", 40))) return rc;
        } else if (in->tracking_no && *in->tracking_no) {
            return ow_err_set(&cx->err, OW_EINVAL, "tracking_no", "只有邮寄送达需要填写运单号");
        }
    }
    return OW_OK;
}

/* 补正: names must come from the guide of the case's item version, and a second notice
 * may only repeat materials the first one named (一次性告知). */
static int check_supplement(ow_ctx *cx, const ow_case_row *c, const ow_case_action_in *in,
                            json_t **names_out) {
    ow_case_item it;
    int rc = ow_catalog_case_item(cx, c->item_id, c->item_version, &it);
    if (rc) return rc;
    for (int i = 0; i < in->ndefects; i++)
        if (ow_case_item_material(&it, in->defects[i].name) < 0)
            return ow_err_set(&cx->err, OW_EINVAL, "materials", "材料“%s”不在该事项的办事指南中",
                              in->defects[i].name);
    if (c->supplement_names) {
        json_t *first = json_loads(c->supplement_names, 0, NULL);
        for (int i = 0; i < in->ndefects; i++) {
            bool named = false;
            size_t j;
            json_t *v;
            json_array_foreach(first, j, v) {
                if (!strcmp(json_string_value(v), in->defects[i].name)) named = true;
            }
            if (!named) {
                json_decref(first);
                return ow_err_setk(
                    &cx->err, OW_ECONFLICT, "supplement_not_one_time", "materials",
                    "材料“%s”在第一次补正告知中没有列出：补正须一次性告知，不能再要求补充新的材料",
                    in->defects[i].name);
            }
        }
        json_decref(first);
        *names_out = NULL;
        return OW_OK;
    }
    json_t *names = json_array();
    for (int i = 0; i < in->ndefects; i++)
        json_array_append_new(names, json_string(in->defects[i].name));
    *names_out = names;
    return OW_OK;
}

/* The first required material not handed in, or NULL. */
static const char *missing_material(ow_ctx *cx, const ow_case_row *c) {
    json_t *arr = json_loads(c->materials, 0, NULL);
    const char *missing = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        /* owed (容缺) and replaced by the commitment (告知承诺) count as handed in */
        if (json_is_true(json_object_get(e, "required")) &&
            !json_is_true(json_object_get(e, "provided")) &&
            !json_is_true(json_object_get(e, "owed")) &&
            !json_is_true(json_object_get(e, "commitment"))) {
            missing = ow_strdup(cx->arena, json_string_value(json_object_get(e, "name")));
            break;
        }
    }
    json_decref(arr);
    return missing;
}

static int update_materials(ow_ctx *cx, ow_case_row *c, const char **names, int n) {
    ow_case_item it;
    int rc = ow_catalog_case_item(cx, c->item_id, c->item_version, &it);
    if (rc) return rc;
    json_t *prev = json_loads(c->materials, 0, NULL), *mats;
    rc = materials_json(cx, &it, names, n, prev, &mats);
    json_decref(prev);
    if (rc) return rc;
    char *t = ow_json_dump(mats);
    json_decref(mats);
    c->materials = ow_strdup(cx->arena, t);
    free(t);
    return OW_OK;
}

void ow_cases_follow(ow_app *app, const ow_case_follower *f) {
    ow_followers_add(&app->case_followers, f);
}

static int announce_accepted(ow_ctx *cx, const ow_case_row *c) {
    int rc = OW_OK;
    for (int i = 0; i < cx->app->case_followers.n && !rc; i++) {
        const ow_case_follower *f = cx->app->case_followers.v[i];
        if (f->accepted) rc = f->accepted(cx, c->id);
    }
    return rc;
}

/* The approved case to its followers (the e-license library decides whether the item's
 * result is a certificate at all), with the holder's number decrypted for the call. */
static int announce_approved(ow_ctx *cx, const ow_case_row *c) {
    char *number = NULL;
    if (ow_pii_decrypt(&cx->app->keys, c->id_enc, "cases.id_number", &number))
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "申请人证件号码解密失败");
    ow_case_approved a = {.case_id = c->id,
                          .case_no = c->case_no,
                          .item_id = c->item_id,
                          .item_version = c->item_version,
                          .item_name = c->item_name,
                          .holder_kind = c->applicant_kind,
                          .holder_number = number,
                          .holder_idx = c->applicant_idx,
                          .holder_masked = c->id_masked,
                          .holder_name = c->applicant_name,
                          .title = c->title,
                          .dept_id = c->dept_id};
    int rc = OW_OK;
    for (int i = 0; i < cx->app->case_followers.n && !rc; i++) {
        const ow_case_follower *f = cx->app->case_followers.v[i];
        if (f->approved) rc = f->approved(cx, &a);
    }
    sodium_memzero(number, strlen(number));
    free(number);
    return rc;
}

/* Every step to the followers that record the case's course (the city exchange). */
static int announce_recorded(ow_ctx *cx, const ow_case_row *c, const char *action,
                             bool accepted_now) {
    ow_case_record r = {.action = action,
                        .accepted_now = accepted_now,
                        .case_no = c->case_no,
                        .item_code = c->item_code,
                        .item_name = c->item_name,
                        .state = c->state,
                        .result = c->result ? c->result : "",
                        .applicant_type = c->applicant_kind,
                        .applicant_masked = c->id_masked ? c->id_masked : "",
                        .channel = c->channel,
                        .dept_id = c->dept_id,
                        .submitted_at = c->submitted_at,
                        .concluded_at = c->concluded_at};
    if (c->accepted_date != OW_DATE_NONE) ow_date_format(c->accepted_date, r.accepted_date);
    if (c->due_date != OW_DATE_NONE) ow_date_format(c->due_date, r.due_date);
    if (c->decided_date != OW_DATE_NONE) ow_date_format(c->decided_date, r.decided_date);
    if (c->due_date != OW_DATE_NONE) {
        int32_t end = c->concluded_at ? ow_date_today_shanghai(c->concluded_at) : ow_case_today(cx);
        r.overdue = end > c->due_date;
    }
    int rc = OW_OK;
    for (int i = 0; i < cx->app->case_followers.n && !rc; i++) {
        const ow_case_follower *f = cx->app->case_followers.v[i];
        if (f->recorded) rc = f->recorded(cx, &r);
    }
    return rc;
}

static int announce_stepped(ow_ctx *cx, const ow_case_row *c, const ow_case_action_in *in,
                            const char *from);

/* A revoked decision to its followers (the e-license library revokes what it issued). */
static int announce_revoked(ow_ctx *cx, const ow_case_row *c, const char *reason) {
    int rc = OW_OK;
    for (int i = 0; i < cx->app->case_followers.n && !rc; i++) {
        const ow_case_follower *f = cx->app->case_followers.v[i];
        if (f->revoked) rc = f->revoked(cx, c->id, reason);
    }
    return rc;
}

int ow_case_announce_stepped(ow_ctx *cx, const ow_case_row *c, const ow_case_action_in *in,
                             const char *from) {
    return announce_stepped(cx, c, in, from);
}

/* Every step to those who tell the applicant about it (src/notify). */
static int announce_stepped(ow_ctx *cx, const ow_case_row *c, const ow_case_action_in *in,
                            const char *from) {
    ow_case_stepped s = {.case_id = c->id,
                         .applicant_user_id = c->applicant_user_id,
                         .case_no = c->case_no,
                         .item_name = c->item_name ? c->item_name : "",
                         .title = c->title ? c->title : "",
                         .action = in->action,
                         .from = from,
                         .to = c->state,
                         .result = c->result ? c->result : "",
                         .reason = in->reason ? in->reason : "",
                         .comment = in->comment ? in->comment : "",
                         .defects = in->defects,
                         .ndefects = in->ndefects};
    int rc = OW_OK;
    for (int i = 0; i < cx->app->case_followers.n && !rc; i++) {
        const ow_case_follower *f = cx->app->case_followers.v[i];
        if (f->stepped) rc = f->stepped(cx, &s);
    }
    return rc;
}

int ow_cases_transition(ow_ctx *cx, int64_t id, const ow_case_action_in *in) {
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    if (!in->action || !*in->action)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "action", "请选择操作");
    if (!LOOKUP(ACTION_NAMES, in->action) || !strcmp(in->action, "submit"))
        return ow_err_set(&cx->err, OW_EINVAL, "action", "未知的操作“%s”", in->action);
    ow_case_row c;
    int rc = ow_case_load(cx, id, &c);
    if (rc) return rc;
    bool visible;
    if ((rc = may_view(cx, &c, &visible))) return rc;
    if (!visible) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    route rt;
    if ((rc = load_route(cx, &c, &rt))) return rc;
    const int at = cur_step(&c, &rt);
    const rule *r = find_rule(&c, in->action, &rt);
    if (!r && !find_rule(&c, in->action, NULL))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action",
                           "办件当前状态为“%s”，不能进行“%s”操作", ow_case_state_name(c.state),
                           ow_case_action_name(in->action));
    if (!r && joint_at(&rt, at) && !strcmp(in->action, "transfer"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "joint_step", "action",
                           "“%s”为多个部门并联审批的环节，不能转办", rt.s[at].name);
    if (!r) /* legal in this state, not at this point of the item's procedure */
        return ow_err_setk(
            &cx->err, OW_ECONFLICT, "wrong_step", "action", "%s",
            !strcmp(in->action, "forward")
                ? ow_sprintf(cx->arena, "“%s”是该事项最后一个审查环节，请作出准予或不予的决定",
                             rt.s[at].name)
            : !strcmp(c.state, "review")
                ? ow_sprintf(cx->arena,
                             "当前环节为“%s”，之后还有“%s”环节，由其作出决定：请转下一环节",
                             rt.s[at].name, rt.s[at + 1].name)
                : ow_sprintf(cx->arena, "事项“%s”须经部门审查，不能在窗口当场办结，请先受理",
                             c.item_name));
    unsigned rel;
    if ((rc = relations(cx, &c, &rt, &rel))) return rc;
    if (!is_system(cx) && !(rel & r->who))
        return forbid(cx,
                      r->who == R_STEP
                          ? ow_sprintf(cx->arena, "当前环节“%s”由%s的%s办理，您不能进行此操作",
                                       rt.s[at].name,
                                       dept_role(rt.s[at].role) ? org_name(cx, c.dept_id)
                                                                : "受理该办件的窗口或便民服务中心",
                                       role_label(rt.s[at].role))
                      : r->who == R_INTAKE ? "只有受理该办件的窗口或便民服务中心人员可以进行此操作"
                                           : "您无权对该办件进行此操作");
    if ((rc = check_needs(cx, &c, r, in))) return rc;
    if ((rc = ow_case_modes_check_action(cx, &c, in))) return rc;
    const ow_case_joint *jt = !strcmp(c.state, "review") ? joint_at(&rt, at) : NULL;
    if (jt && (!strcmp(in->action, "forward") || !strcmp(in->action, "approve") ||
               !strcmp(in->action, "deny"))) {
        /* 并联审批: this department's opinion; the case moves on when every department of
         * the group agreed, and any one's denial decides it (cases_modes.c) */
        bool last;
        if ((rc = ow_case_joint_vote(cx, &c, at + 1, rt.s[at].name, in, &last))) return rc;
        if (!last) return OW_OK;
    }

    int32_t today = ow_case_today(cx);
    int64_t now = ow_clock_now_ms(cx->clock);
    char from[16];
    snprintf(from, sizeof from, "%s", c.state);
    json_t *detail = json_object();
    if (in->reason && *in->reason) json_object_set_new(detail, "reason", json_string(in->reason));
    bool licensing = !strcmp(c.item_type, "licensing");
    /* 即办: accepted and decided in one go at the window */
    bool at_window = !strcmp(from, "submitted") &&
                     (!strcmp(in->action, "approve") || !strcmp(in->action, "deny"));
    json_object_set_new(detail, "step",
                        json_pack("{s:i,s:s}", "seq", at + 1, "name", rt.s[at].name));
    int next = -1; /* the step the case moves to, if it moves */

    if (!strcmp(in->action, "accept") || at_window) {
        /* 容缺受理: the minor materials owed leave the checklist's missing ones
         * (cases_modes.c checked them against the item) */
        if (in->nowed && (rc = ow_case_modes_owe(cx, &c, in, today, detail))) goto out;
        const char *missing = missing_material(cx, &c);
        if (missing) {
            json_decref(detail);
            return ow_err_setk(&cx->err, OW_ECONFLICT, "materials_incomplete", "materials",
                               "必需材料“%s”尚未提交，请先一次性告知申请人补正", missing);
        }
        int32_t idue;
        if ((rc = intake_due(cx, &c, &idue))) goto out;
        c.accepted_date = today;
        /* Art. 32: not told within the intake period, it counts as accepted from receipt. */
        c.deemed_accepted = licensing && idue != OW_DATE_NONE && today > idue;
        c.clock_start = c.deemed_accepted ? c.received_date : today;
        json_object_set_new(detail, "deemed_accepted", json_boolean(c.deemed_accepted));
        if (at_window) {
            c.decided_date = today;
            c.result = !strcmp(in->action, "approve") ? "approved" : "denied";
            /* the window did the intake and the decision step (受理 … 办结) */
            int d = decide_at(&rt);
            json_object_set_new(detail, "step",
                                json_pack("{s:i,s:s}", "seq", d + 1, "name", rt.s[d].name));
            next = d;
        } else {
            next = rt.review_first >= 0 ? rt.review_first : decide_at(&rt);
        }
    } else if (!strcmp(in->action, "forward")) {
        next = at + 1;
    } else if (!strcmp(in->action, "supplement")) {
        int32_t idue;
        if ((rc = intake_due(cx, &c, &idue))) goto out;
        if (licensing && idue != OW_DATE_NONE && today > idue) {
            char ds[11];
            ow_date_format(idue, ds);
            rc = ow_err_setk(
                &cx->err, OW_ECONFLICT, "supplement_too_late", "action",
                "补正告知期限已于 %s "
                "届满：依《行政许可法》第三十二条，自收到申请材料之日起即为受理，请直接受理",
                ds);
            goto out;
        }
        json_t *names = NULL;
        if ((rc = check_supplement(cx, &c, in, &names))) goto out;
        if (names) {
            char *t = ow_json_dump(names);
            c.supplement_names = ow_strdup(cx->arena, t);
            free(t);
            json_decref(names);
        }
        json_t *ds = json_array();
        for (int i = 0; i < in->ndefects; i++)
            json_array_append_new(ds, json_pack("{s:s,s:s}", "name", in->defects[i].name, "problem",
                                                in->defects[i].problem));
        json_object_set_new(detail, "materials", ds);
        json_object_set_new(detail, "notice", json_integer(names ? 1 : 2));
        if ((rc = pause_open(cx, c.id, "supplement", today))) goto out;
    } else if (!strcmp(in->action, "resubmit")) {
        if (in->nmaterials && (rc = update_materials(cx, &c, in->materials, in->nmaterials)))
            goto out;
        if ((rc = pause_close(cx, c.id, today))) goto out;
    } else if (!strcmp(in->action, "extend")) {
        if (!licensing) {
            rc = ow_err_setk(&cx->err, OW_ECONFLICT, "not_licensing", "action",
                             "延长期限（《行政许可法》第四十二条）只适用于行政许可事项");
            goto out;
        }
        if (c.extended_days) {
            rc = ow_err_setk(&cx->err, OW_ECONFLICT, "already_extended", "action",
                             "该办件已延长过期限：法定期限只能延长一次");
            goto out;
        }
        c.extended_days = OW_CASE_EXTENSION_DAYS;
        json_object_set_new(detail, "days", json_integer(OW_CASE_EXTENSION_DAYS));
    } else if (!strcmp(in->action, "suspend")) {
        if ((rc = pause_open(cx, c.id, "suspend", today))) goto out;
    } else if (!strcmp(in->action, "resume")) {
        if ((rc = pause_close(cx, c.id, today))) goto out;
    } else if (!strcmp(in->action, "transfer")) {
        json_object_set_new(detail, "from_dept_id", json_integer(c.dept_id));
        json_object_set_new(detail, "to_dept_id", json_integer(in->dept_id));
        const char *to_name = org_name(cx, in->dept_id);
        json_object_set_new(detail, "to_dept", json_string(to_name));
        /* the new department takes over the steps still to come that were the old one's */
        for (int i = !strcmp(from, "submitted") ? 0 : at; i < rt.n; i++)
            if (dept_role(rt.s[i].role) && rt.s[i].org_id == c.dept_id) {
                rt.s[i].org_id = in->dept_id;
                rt.s[i].org_name = to_name;
            }
        save_route(cx, &c, &rt);
        c.dept_id = in->dept_id;
    } else if (!strcmp(in->action, "approve") || !strcmp(in->action, "deny")) {
        c.decided_date = today;
        c.result = !strcmp(in->action, "approve") ? "approved" : "denied";
        if (!strcmp(in->action, "approve") && deliver_at(&rt) >= 0) next = deliver_at(&rt);
    } else if (!strcmp(in->action, "revoke")) {
        /* a false commitment: the decision falls, the case ends revoked (cases_modes.c
         * records the credit note; the followers revoke the e-license) */
        c.result = "revoked";
        if ((rc = ow_case_modes_revoked(cx, &c, in->reason, detail))) goto out;
    } else if (!strcmp(in->action, "refuse")) {
        c.result = "refused";
    } else if (!strcmp(in->action, "withdraw")) {
        c.result = "withdrawn";
        /* a joint step's open reviews close with it (in review or suspended) */
        if (joint_at(&rt, at) && (rc = ow_case_joint_close(cx, &c, at + 1, "申请人已撤回申请")))
            goto out;
        if ((rc = pause_close(cx, c.id, today))) goto out;
    } else if (!strcmp(in->action, "deliver")) {
        c.delivery_method = in->delivery;
        c.tracking_no = in->tracking_no && *in->tracking_no ? in->tracking_no : "";
        json_object_set_new(detail, "delivery", json_string(in->delivery));
        if (c.tracking_no[0])
            json_object_set_new(detail, "tracking_no", json_string(c.tracking_no));
    }
    if (next >= 0) {
        if (next != at && !at_window)
            json_object_set_new(detail, "next_step",
                                json_pack("{s:i,s:s,s:s}", "seq", next + 1, "name", rt.s[next].name,
                                          "org", rt.s[next].org_name));
        go_to_step(&c, &rt, next);
        /* a joint step: every department of the group gets its review */
        const ow_case_joint *nj = joint_at(&rt, next);
        if (nj && next != at && !at_window &&
            (rc = ow_case_joint_open(cx, &c, next + 1, nj, detail)))
            goto out;
    } else if (!c.step_name || !*c.step_name) {
        c.step_seq = at + 1;
        c.step_name = rt.s[at].name;
    }
    snprintf(c.state, sizeof c.state, "%s", r->to);
    if (!ow_case_state_open(c.state) && !(c.concluded_at && !strcmp(in->action, "revoke")))
        c.concluded_at = now;
    c.updated_at = now;
    if ((rc = recompute(cx, &c))) goto out;
    if ((rc = store_case(cx, &c))) goto out;
    rc = record(cx, &c, in->action, from, in->comment, detail);
    /* Accepted materials become reusable in the applicant's wallet (免提交, issue 7). */
    if (!rc && (!strcmp(in->action, "accept") || at_window)) rc = announce_accepted(cx, &c);
    /* An approval issues the item's result as an e-license (电子证照, issue 7). */
    if (!rc && !strcmp(in->action, "approve")) rc = announce_approved(cx, &c);
    /* On commitment, the decision starts the check period (核查, cases_modes.c). */
    if (!rc && !strcmp(in->action, "approve")) rc = ow_case_modes_decided(cx, &c, today);
    /* A revoked decision revokes the e-license it issued. */
    if (!rc && !strcmp(in->action, "revoke")) rc = announce_revoked(cx, &c, in->reason);
    /* 容缺: the applicant is told what they still owe and by when. */
    if (!rc && in->nowed) rc = ow_case_modes_remind(cx, &c);
    /* The step to the city platform (issue 19) with the national 办件 data items. */
    if (!rc) rc = announce_recorded(cx, &c, in->action, !strcmp(in->action, "accept") || at_window);
    /* Every step to those who tell the applicant about it (notifications, issue 20). */
    if (!rc) rc = announce_stepped(cx, &c, in, from);
out:
    json_decref(detail);
    return rc;
}

/* ======================= for the views ======================= */

const char *ow_case_step_label(const ow_case_row *c) {
    if (c->step_name && *c->step_name) return c->step_name;
    const char *s = c->state;
    return !strcmp(s, "submitted") || !strcmp(s, "supplement") ? "受理"
           : !strcmp(s, "review") || !strcmp(s, "suspended")   ? "审查"
           : !strcmp(s, "approved")                            ? "出件"
                                                               : "";
}

/* The history row that finished step seq: one that moved the case on from it, or the
 * decision, delivery or refusal taken at it.  NULL if none. */
static const ow_case_event_ref *step_done_event(const ow_case_event_ref *ev, size_t nev, int seq) {
    for (size_t i = 0; i < nev; i++) {
        const char *a = ev[i].action;
        if (ev[i].step_seq != seq) continue;
        if (ev[i].next_step || !strcmp(a, "approve") || !strcmp(a, "deny") ||
            !strcmp(a, "deliver") || !strcmp(a, "refuse"))
            return &ev[i];
    }
    return NULL;
}

#define LIT(lit) OW_JSON_PUT_LIT(b, lit)

int ow_case_steps_text(ow_ctx *cx, const ow_case_row *c, const ow_case_event_ref *events,
                       size_t nev, ow_buf *b) {
    route rt;
    int rc = load_route(cx, c, &rt);
    if (rc) return rc;
    int cur = cur_step(c, &rt);
    bool open = ow_case_state_open(c->state), concluded = !strcmp(c->state, "concluded");
    ow_buf_putc(b, '[');
    for (int i = 0; i < rt.n; i++) {
        const ow_case_step *st = &rt.s[i];
        const ow_case_event_ref *ev = step_done_event(events, nev, i + 1);
        const char *status = ev || concluded || i < cur ? "done"
                             : open && i == cur         ? "current"
                             : open                     ? "todo"
                                                        : "skipped";
        bool dept = dept_role(st->role);
        int64_t org = dept && open && i == cur ? c->dept_id : st->org_id;
        const char *oname = dept && open && i == cur        ? org_name(cx, c->dept_id)
                            : st->org_name && *st->org_name ? st->org_name
                                                            : org_name(cx, c->intake_org_id);
        if (!dept && !st->org_id) org = c->intake_org_id;
        if (i) ow_buf_putc(b, ',');
        LIT("{\"seq\":");
        ow_json_put_int(b, i + 1);
        LIT(",\"name\":");
        ow_json_put_str(b, st->name);
        LIT(",\"role\":");
        ow_json_put_str(b, st->role);
        LIT(",\"role_name\":");
        ow_json_put_str(b, role_label(st->role));
        LIT(",\"org\":{\"id\":");
        ow_json_put_int(b, org);
        LIT(",\"name\":");
        ow_json_put_str(b, oname ? oname : "");
        LIT("},\"days\":");
        ow_json_put_int(b, st->days);
        LIT(",\"status\":");
        ow_json_put_str(b, status);
        LIT(",\"department_step\":");
        ow_json_put_bool(b, dept);
        if (ev) {
            char at[32];
            ow_time_format_iso(ev->at, at);
            LIT(",\"done_at\":");
            ow_json_put_str(b, at);
            LIT(",\"done_by\":{\"name\":");
            ow_json_put_str(b, ev->actor_name);
            LIT(",\"role\":");
            ow_json_put_str(b, ev->actor_role);
            LIT(",\"org\":");
            ow_json_put_str(b, ev->actor_org);
            LIT("},\"done_action\":");
            ow_json_put_str(b, ow_case_action_name(ev->action));
        }
        ow_buf_putc(b, '}');
    }
    ow_buf_putc(b, ']');
    return OW_OK;
}

int ow_case_may_view(ow_ctx *cx, const ow_case_row *c, bool *ok) {
    return may_view(cx, c, ok);
}

int ow_case_actions_text(ow_ctx *cx, const ow_case_row *c, ow_buf *b) {
    if (!ow_case_state_open(c->state)) {
        LIT("[]");
        return OW_OK;
    }
    route rt;
    unsigned rel;
    int rc = load_route(cx, c, &rt);
    if (!rc) rc = relations(cx, c, &rt, &rel);
    if (rc) return rc;
    ow_buf_putc(b, '[');
    bool first = true;
    for (size_t i = 0; i < NRULES; i++) {
        const rule *r = &RULES[i];
        if (strcmp(r->from, c->state) || !rule_applies(r, c, &rt) ||
            (!is_system(cx) && !(rel & r->who)))
            continue;
        if (!first) ow_buf_putc(b, ',');
        first = false;
        LIT("{\"action\":");
        ow_json_put_str(b, r->action);
        LIT(",\"name\":");
        ow_json_put_str(b, ow_case_action_name(r->action));
        LIT(",\"to\":");
        ow_json_put_str(b, r->to);
        LIT(",\"needs\":[");
        const char *sep = "";
        static const struct {
            unsigned flag;
            const char *field;
        } needs[] = {{N_REASON, "\"reason\""},
                     {N_DEFECTS, "\"materials\""},
                     {N_DEPT, "\"dept_id\""},
                     {N_DELIVERY, "\"delivery\""}};
        for (size_t k = 0; k < sizeof needs / sizeof *needs; k++)
            if (r->needs & needs[k].flag) {
                ow_buf_puts(b, sep);
                ow_buf_puts(b, needs[k].field);
                sep = ",";
            }
        LIT("]}");
    }
    ow_buf_putc(b, ']');
    return OW_OK;
}

#undef LIT

int ow_cases_audit_document(ow_ctx *cx, int64_t id, const char *action, const json_t *detail) {
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    return ow_audit_append(cx, action, "case", ids, detail);
}
