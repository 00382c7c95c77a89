/* workplan.c — the year's work plan (工作要点) and its responsibility breakdown (责任分解
 * 方案): the center drafts the plan's tasks, each with a lead unit (牵头单位), responsible
 * units (责任单位) and a deadline, and issues it; the units report progress; the lead
 * reports a task complete and the center accepts it (销号) or returns it.  A task not done
 * by its deadline is overdue — it lights up red in every list, counts in the progress
 * bulletin, and in the assessment's tasks_on_time indicator.  Reports are never changed. */
#include <stdio.h>
#include <string.h>

#include "assessment/assessment.h"
#include "assessment/assessment_int.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/workdays.h"
#include "store/assessment_store.h"
#include "store/workplan_store.h"

#define TASK_UNITS_MAX 64
#define DUE_SOON_DAYS 7 /* calendar days: a task due within a week turns yellow */

static void today_s(const ow_ctx *cx, char out[11]) {
    ow_date_format(ow_assess_today(cx), out);
}

static json_t *plan_json(const ow_plan_row *r) {
    return json_pack("{s:I,s:i,s:s,s:s,s:s,s:o,s:o,s:i,s:i,s:i}", "id", (json_int_t)r->id, "year",
                     r->year, "title", r->title, "notes", r->notes, "state", r->state, "issued_at",
                     ow_assess_time_json(r->issued_at), "issued_by",
                     r->issued_by ? json_string(r->issued_by) : json_null(), "tasks", r->tasks,
                     "done", r->done, "overdue", r->overdue);
}

int ow_plan_create(ow_ctx *cx, const json_t *in, int64_t *id) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "制定工作要点");
    int64_t year;
    const char *title, *notes = NULL;
    int rc;
    if ((rc = ow_json_int(in, "year", true, 2000, 2999, &year, &cx->err)) ||
        (rc = ow_json_str(in, "title", true, 60, &title, &cx->err)) ||
        (rc = ow_json_str(in, "notes", false, OW_ASSESS_TEXT_MAX_CHARS, &notes, &cx->err)))
        return rc;
    int this_year;
    ow_assess_today_ymd(cx, &this_year, NULL);
    if (year < this_year - 1 || year > this_year + 1)
        return ow_err_set(&cx->err, OW_EINVAL, "year", "工作要点的年度应为去年、今年或明年");
    ow_plan_row r = {.year = (int)year,
                     .title = title,
                     .notes = notes,
                     .created_at = ow_clock_now_ms(cx->clock)};
    if ((rc = ow_plan_store_insert(cx->db, &r, id, &cx->err))) return rc;
    return ow_assess_audit(cx, "workplan.create", "work_plan", *id,
                           json_pack("{s:I,s:s}", "year", (json_int_t)year, "title", title));
}

int ow_plan_update(ow_ctx *cx, int64_t id, const json_t *in) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "修改工作要点");
    const char *title = NULL, *notes = NULL;
    int rc;
    if ((rc = ow_json_str(in, "title", false, 60, &title, &cx->err)) ||
        (rc = ow_json_str(in, "notes", false, OW_ASSESS_TEXT_MAX_CHARS, &notes, &cx->err)))
        return rc;
    char today[11];
    today_s(cx, today);
    ow_plan_row p;
    if ((rc = ow_plan_store_get(cx->db, id, today, cx->arena, &p, &cx->err)) ||
        (rc = ow_plan_store_update(cx->db, id, title, notes, ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    return ow_assess_audit(cx, "workplan.update", "work_plan", id, NULL);
}

int ow_plan_transition(ow_ctx *cx, int64_t id, const char *action) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "印发工作要点");
    if (strcmp(action, "issue"))
        return ow_err_set(&cx->err, OW_EINVAL, "action", "操作应为 issue（印发）");
    char today[11];
    today_s(cx, today);
    ow_plan_row p;
    int rc = ow_plan_store_get(cx->db, id, today, cx->arena, &p, &cx->err);
    if (rc) return rc;
    if (strcmp(p.state, "draft"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "plan_issued", "", "工作要点已印发");
    if (!p.tasks)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "tasks", "请先分解工作任务");
    if ((rc =
             ow_plan_store_issue(cx->db, id, cx->actor.name, ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    return ow_assess_audit(cx, "workplan.issue", "work_plan", id,
                           json_pack("{s:i,s:i}", "year", p.year, "tasks", p.tasks));
}

/* ---- tasks ---- */

static const char *light_of(const ow_task_row *t, int32_t today) {
    if (!strcmp(t->state, "done")) return "done";
    int32_t d;
    if (ow_date_parse(t->deadline, &d)) return "green";
    if (d < today) return "red";
    return d - today <= DUE_SOON_DAYS ? "yellow" : "green";
}

static int unit_json(void *arg, int64_t org_id, const char *name) {
    json_array_append_new(arg, json_pack("{s:I,s:s}", "id", (json_int_t)org_id, "name", name));
    return OW_OK;
}

static json_t *task_json(ow_ctx *cx, const ow_task_row *t) {
    return json_pack(
        "{s:I,s:I,s:s,s:i,s:i,s:s,s:s,s:{s:I,s:s},s:s,s:s,s:i,s:o,s:o,s:o,s:s,s:b}", "id",
        (json_int_t)t->id, "plan_id", (json_int_t)t->plan_id, "plan_title", t->plan_title, "year",
        t->year, "seq", t->seq, "title", t->title, "content", t->content, "lead", "id",
        (json_int_t)t->lead_org_id, "name", t->lead_name, "deadline", t->deadline, "state",
        t->state, "progress", t->progress, "last_report_date",
        t->last_report_date ? json_string(t->last_report_date) : json_null(), "completed_date",
        t->completed_date ? json_string(t->completed_date) : json_null(), "done_date",
        t->done_date ? json_string(t->done_date) : json_null(), "light",
        light_of(t, ow_assess_today(cx)), "overdue",
        !strcmp(light_of(t, ow_assess_today(cx)), "red"));
}

/* Lead and responsible units: departments or township centres (or the center itself). */
static int check_unit(ow_ctx *cx, int64_t org, const char *field) {
    const char *kind, *name;
    int rc = ow_assess_store_org(cx->db, org, cx->arena, &kind, &name, &cx->err);
    if (rc == OW_ENOTFOUND) return ow_err_set(&cx->err, OW_EINVAL, field, "单位不存在");
    if (rc) return rc;
    if (strcmp(kind, "department") && strcmp(kind, "township") && strcmp(kind, "center"))
        return ow_err_set(&cx->err, OW_EINVAL, field,
                          "牵头和责任单位应为区直部门、乡镇（街道）或政务服务中心");
    return OW_OK;
}

static int parse_units(ow_ctx *cx, const json_t *in, int64_t lead, int64_t *orgs, int *n) {
    json_t *a = json_object_get(in, "org_ids");
    *n = 0;
    if (!a || json_is_null(a)) return OW_OK;
    if (!json_is_array(a) || json_array_size(a) > TASK_UNITS_MAX)
        return ow_err_set(&cx->err, OW_EINVAL, "org_ids", "责任单位应为单位列表（最多 %d 个）",
                          TASK_UNITS_MAX);
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *v = json_array_get(a, i);
        char f[32];
        snprintf(f, sizeof f, "org_ids[%zu]", i);
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return ow_err_set(&cx->err, OW_EINVAL, f, "责任单位应为单位编号");
        int64_t o = json_integer_value(v);
        int rc = check_unit(cx, o, f);
        if (rc) return rc;
        if (o != lead) orgs[(*n)++] = o;
    }
    return OW_OK;
}

static int check_deadline(ow_ctx *cx, const char *deadline, int year) {
    int32_t d;
    if (ow_date_parse(deadline, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "deadline", "完成时限应为 YYYY-MM-DD 格式的日期");
    int y, m, dd;
    ow_date_ymd(d, &y, &m, &dd);
    if (y < year || y > year + 1)
        return ow_err_set(&cx->err, OW_EINVAL, "deadline", "完成时限应在 %d 年内（或次年）", year);
    return OW_OK;
}

int ow_task_add(ow_ctx *cx, int64_t plan_id, const json_t *in, int64_t *id) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "分解工作任务");
    const char *title, *content = NULL, *deadline;
    int64_t lead;
    int rc;
    if ((rc = ow_json_str(in, "title", true, 100, &title, &cx->err)) ||
        (rc = ow_json_str(in, "content", false, OW_ASSESS_TEXT_MAX_CHARS, &content, &cx->err)) ||
        (rc = ow_json_int(in, "lead_org_id", true, 1, INT64_MAX, &lead, &cx->err)) ||
        (rc = ow_json_str(in, "deadline", true, 10, &deadline, &cx->err)))
        return rc;
    char today[11];
    today_s(cx, today);
    ow_plan_row p;
    if ((rc = ow_plan_store_get(cx->db, plan_id, today, cx->arena, &p, &cx->err))) return rc;
    int64_t orgs[TASK_UNITS_MAX];
    int n;
    if ((rc = check_unit(cx, lead, "lead_org_id")) || (rc = check_deadline(cx, deadline, p.year)) ||
        (rc = parse_units(cx, in, lead, orgs, &n)))
        return rc;
    ow_task_row t = {.plan_id = plan_id,
                     .title = title,
                     .content = content,
                     .lead_org_id = lead,
                     .deadline = deadline,
                     .created_at = ow_clock_now_ms(cx->clock)};
    if ((rc = ow_task_store_insert(cx->db, &t, id, &cx->err)) ||
        (rc = ow_task_store_set_units(cx->db, *id, orgs, n, &cx->err)))
        return rc;
    return ow_assess_audit(cx, "workplan.task_add", "work_task", *id,
                           json_pack("{s:I,s:I,s:s,s:i}", "plan_id", (json_int_t)plan_id,
                                     "lead_org_id", (json_int_t)lead, "deadline", deadline, "units",
                                     n));
}

int ow_task_update(ow_ctx *cx, int64_t id, const json_t *in) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "调整工作任务");
    const char *title = NULL, *content = NULL, *deadline = NULL;
    int64_t lead = 0;
    int rc;
    if ((rc = ow_json_str(in, "title", false, 100, &title, &cx->err)) ||
        (rc = ow_json_str(in, "content", false, OW_ASSESS_TEXT_MAX_CHARS, &content, &cx->err)) ||
        (rc = ow_json_int(in, "lead_org_id", false, 1, INT64_MAX, &lead, &cx->err)) ||
        (rc = ow_json_str(in, "deadline", false, 10, &deadline, &cx->err)))
        return rc;
    ow_task_row t;
    if ((rc = ow_task_store_get(cx->db, id, cx->arena, &t, &cx->err))) return rc;
    if (!strcmp(t.state, "done"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "task_done", "", "任务已销号，不能再调整");
    if (lead && (rc = check_unit(cx, lead, "lead_org_id"))) return rc;
    if (deadline && (rc = check_deadline(cx, deadline, t.year))) return rc;
    int64_t orgs[TASK_UNITS_MAX];
    int n;
    json_t *units = json_object_get(in, "org_ids");
    if ((rc = parse_units(cx, in, lead ? lead : t.lead_org_id, orgs, &n)) ||
        (rc = ow_task_store_update(cx->db, id, title, content, lead, deadline,
                                   ow_clock_now_ms(cx->clock), &cx->err)) ||
        (units && (rc = ow_task_store_set_units(cx->db, id, orgs, n, &cx->err))))
        return rc;
    return ow_assess_audit(cx, "workplan.task_update", "work_task", id,
                           json_pack("{s:o,s:I}", "deadline",
                                     deadline ? json_string(deadline) : json_null(), "lead_org_id",
                                     (json_int_t)lead));
}

static int report_json(void *arg, const ow_task_report_row *r) {
    json_array_append_new(
        arg, json_pack("{s:I,s:s,s:I,s:s,s:o,s:s,s:s,s:s,s:o}", "id", (json_int_t)r->id, "kind",
                       r->kind, "org_id", (json_int_t)r->org_id, "org_name", r->org_name, "percent",
                       r->percent >= 0 ? json_integer(r->percent) : json_null(), "text", r->text,
                       "date", r->report_date, "by", r->by_name, "at", ow_assess_time_json(r->at)));
    return OW_OK;
}

/* Who may see a task: the center; the staff of its lead or responsible units once the
 * plan is issued. */
static int task_access(ow_ctx *cx, const ow_task_row *t) {
    if (ow_assess_reads_all(cx)) return OW_OK;
    bool in = false;
    int rc;
    if (!strcmp(t->plan_state, "issued") &&
        (rc = ow_task_store_involves(cx->db, t->id, cx->actor.org_id, &in, &cx->err)))
        return rc;
    if (!in) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "工作任务不存在");
    return OW_OK;
}

int ow_task_json(ow_ctx *cx, int64_t id, json_t **out) {
    ow_task_row t;
    int rc = ow_task_store_get(cx->db, id, cx->arena, &t, &cx->err);
    if (rc || (rc = task_access(cx, &t))) return rc;
    json_t *o = task_json(cx, &t), *units = json_array(), *reports = json_array();
    if ((rc = ow_task_store_units(cx->db, id, cx->arena, unit_json, units, &cx->err)) ||
        (rc = ow_task_store_reports(cx->db, id, cx->arena, report_json, reports, &cx->err))) {
        json_decref(o);
        json_decref(units);
        json_decref(reports);
        return rc;
    }
    bool lead = cx->actor.org_id == t.lead_org_id && !ow_assess_reads_all(cx);
    json_object_set_new(o, "units", units);
    json_object_set_new(o, "reports", reports);
    json_object_set_new(o, "may_report",
                        json_boolean(!ow_assess_reads_all(cx) && !strcmp(t.plan_state, "issued") &&
                                     strcmp(t.state, "done")));
    json_object_set_new(o, "may_complete", json_boolean(lead && !strcmp(t.state, "open")));
    json_object_set_new(o, "may_accept",
                        json_boolean(ow_assess_is_center(cx) && !strcmp(t.state, "completed")));
    *out = o;
    return OW_OK;
}

typedef struct page_arg {
    ow_ctx *cx;
    json_t *a;
} page_arg;

static int page_task(void *arg, const ow_task_row *t) {
    page_arg *p = arg;
    json_t *o = task_json(p->cx, t), *units = json_array();
    json_array_append_new(p->a, o);
    json_object_set_new(o, "units", units);
    return OW_OK;
}

int ow_task_list_json(ow_ctx *cx, const ow_task_query *q, json_t **items, int64_t *total) {
    char today[11];
    today_s(cx, today);
    ow_task_filter f = {
        .plan_id = q->plan_id, .org_id = q->org_id, .state = q->state, .today = today};
    if (q->state && strcmp(q->state, "open") && strcmp(q->state, "completed") &&
        strcmp(q->state, "done") && strcmp(q->state, "overdue"))
        return ow_err_set(&cx->err, OW_EINVAL, "state",
                          "状态应为 open、completed、done 或 overdue");
    if (!ow_assess_reads_all(cx) || q->mine) {
        if (!cx->actor.org_id || !strcmp(cx->actor.kind, "citizen") ||
            !strcmp(cx->actor.kind, "enterprise"))
            return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有工作人员可以查看工作任务");
        if (!ow_assess_reads_all(cx)) f.issued_only = true;
        f.org_id = cx->actor.org_id;
    }
    int rc = ow_task_store_count(cx->db, &f, total, &cx->err);
    if (rc) return rc;
    page_arg p = {cx, json_array()};
    if ((rc = ow_task_store_page(cx->db, &f, q->per_page, (int64_t)(q->page - 1) * q->per_page,
                                 cx->arena, page_task, &p, &cx->err))) {
        json_decref(p.a);
        return rc;
    }
    /* each row's responsible units, after the page's statement is done */
    for (size_t i = 0; i < json_array_size(p.a); i++) {
        json_t *o = json_array_get(p.a, i);
        if ((rc = ow_task_store_units(cx->db, json_integer_value(json_object_get(o, "id")),
                                      cx->arena, unit_json, json_object_get(o, "units"),
                                      &cx->err))) {
            json_decref(p.a);
            return rc;
        }
    }
    *items = p.a;
    return OW_OK;
}

int ow_task_report(ow_ctx *cx, int64_t id, const json_t *in) {
    const char *kind, *text;
    int64_t percent = -1;
    int rc;
    if ((rc = ow_json_str(in, "kind", true, 16, &kind, &cx->err)) ||
        (rc = ow_json_str(in, "text", true, OW_ASSESS_TEXT_MAX_CHARS, &text, &cx->err)) ||
        (rc = ow_json_int(in, "percent", false, 0, 100, &percent, &cx->err)))
        return rc;
    if (strcmp(kind, "progress") && strcmp(kind, "complete"))
        return ow_err_set(&cx->err, OW_EINVAL, "kind",
                          "报送类型应为 progress（进展）或 complete（完成）");
    if (ow_utf8_len(text) < 5)
        return ow_err_set(&cx->err, OW_EINVAL, "text", "请写明推进情况（至少 5 个字）");
    if (ow_assess_reads_all(cx))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "进展由牵头和责任单位报送");
    ow_task_row t;
    if ((rc = ow_task_store_get(cx->db, id, cx->arena, &t, &cx->err)) || (rc = task_access(cx, &t)))
        return rc;
    if (!strcmp(t.state, "done"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "task_done", "", "任务已销号");
    bool complete = !strcmp(kind, "complete");
    if (complete && cx->actor.org_id != t.lead_org_id)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "kind", "任务完成由牵头单位报送");
    if (complete && strcmp(t.state, "open"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "task_completed", "kind",
                           "已报送完成，等待政务服务中心销号");
    if (!complete && percent < 0)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "percent",
                           "请填写完成进度（0–100）");
    char today[11];
    today_s(cx, today);
    int64_t now = ow_clock_now_ms(cx->clock), rid;
    ow_task_report_row r = {.task_id = id,
                            .org_id = cx->actor.org_id,
                            .kind = kind,
                            .percent = complete ? 100 : (int)percent,
                            .text = text,
                            .report_date = today,
                            .by_name = cx->actor.name,
                            .by_id = cx->actor.user_id,
                            .at = now};
    /* the task's progress follows the lead's reports; a responsible unit's are its part */
    bool lead = cx->actor.org_id == t.lead_org_id;
    if ((rc = ow_task_store_report_insert(cx->db, &r, &rid, &cx->err)) ||
        (rc = ow_task_store_progress(cx->db, id, lead ? r.percent : -1,
                                     complete ? "completed" : NULL, today, complete ? today : NULL,
                                     NULL, now, &cx->err)))
        return rc;
    return ow_assess_audit(cx, complete ? "workplan.task_complete" : "workplan.task_progress",
                           "work_task", id, json_pack("{s:i}", "percent", r.percent));
}

int ow_task_transition(ow_ctx *cx, int64_t id, const char *action, const char *note) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "销号或退回工作任务");
    bool accept = !strcmp(action, "accept");
    if (!accept && strcmp(action, "return"))
        return ow_err_set(&cx->err, OW_EINVAL, "action",
                          "操作应为 accept（销号）或 return（退回）");
    if (!note || ow_utf8_len(note) < 2)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "note", "请填写意见");
    ow_task_row t;
    int rc = ow_task_store_get(cx->db, id, cx->arena, &t, &cx->err);
    if (rc) return rc;
    if (strcmp(t.state, "completed"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "task_not_completed", "",
                           "牵头单位报送完成后才能销号或退回");
    char today[11];
    today_s(cx, today);
    int64_t now = ow_clock_now_ms(cx->clock), rid;
    ow_task_report_row r = {.task_id = id,
                            .org_id = cx->actor.org_id ? cx->actor.org_id : t.lead_org_id,
                            .kind = accept ? "accept" : "return",
                            .percent = -1,
                            .text = note,
                            .report_date = today,
                            .by_name = cx->actor.name,
                            .by_id = cx->actor.user_id,
                            .at = now};
    /* done on the day the lead reported it complete: that is when the work was done */
    if ((rc = ow_task_store_report_insert(cx->db, &r, &rid, &cx->err)) ||
        (rc = ow_task_store_progress(cx->db, id, accept ? 100 : -1, accept ? "done" : "open", NULL,
                                     NULL, accept ? t.completed_date : NULL, now, &cx->err)))
        return rc;
    return ow_assess_audit(cx, accept ? "workplan.task_accept" : "workplan.task_return",
                           "work_task", id, json_pack("{s:s}", "note", note));
}

int ow_plan_json(ow_ctx *cx, int64_t id, json_t **out) {
    char today[11];
    today_s(cx, today);
    ow_plan_row p;
    int rc = ow_plan_store_get(cx->db, id, today, cx->arena, &p, &cx->err);
    if (rc) return rc;
    if (!ow_assess_reads_all(cx) && strcmp(p.state, "issued"))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "工作要点不存在");
    ow_task_query q = {.plan_id = id, .page = 1, .per_page = 500};
    json_t *tasks;
    int64_t total;
    if (!ow_assess_reads_all(cx)) q.mine = true;
    if ((rc = ow_task_list_json(cx, &q, &tasks, &total))) return rc;
    json_t *o = plan_json(&p);
    json_object_set_new(o, "task_list", tasks);
    *out = o;
    return OW_OK;
}

static int list_plan(void *arg, const ow_plan_row *r) {
    page_arg *p = arg;
    if (!ow_assess_reads_all(p->cx) && strcmp(r->state, "issued")) return OW_OK;
    json_array_append_new(p->a, plan_json(r));
    return OW_OK;
}

int ow_plan_list_json(ow_ctx *cx, int year, json_t **out) {
    if (!ow_assess_reads_all(cx) && (!cx->actor.org_id || strcmp(cx->actor.kind, "staff")))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有工作人员可以查看工作要点");
    char today[11];
    today_s(cx, today);
    page_arg p = {cx, json_array()};
    int rc = ow_plan_store_each(cx->db, year, today, cx->arena, list_plan, &p, &cx->err);
    if (rc) {
        json_decref(p.a);
        return rc;
    }
    *out = p.a;
    return OW_OK;
}

static const char *task_state_name(const char *s, bool overdue) {
    if (!strcmp(s, "done")) return "已销号";
    if (!strcmp(s, "completed")) return "已报完成，待销号";
    return overdue ? "逾期未完成" : "推进中";
}

int ow_plan_table(ow_ctx *cx, int64_t id, json_t **out) {
    if (!ow_assess_reads_all(cx)) return ow_assess_forbidden(cx, "导出工作要点");
    json_t *plan;
    int rc = ow_plan_json(cx, id, &plan);
    if (rc) return rc;
    json_t *rows = json_array(), *tasks = json_object_get(plan, "task_list");
    for (size_t i = 0; i < json_array_size(tasks); i++) {
        json_t *t = json_array_get(tasks, i);
        char units[1024] = "";
        json_t *us = json_object_get(t, "units");
        size_t off = 0;
        for (size_t k = 0; k < json_array_size(us) && off < sizeof units - 160; k++)
            off +=
                (size_t)snprintf(units + off, sizeof units - off, "%s%s", k ? "、" : "",
                                 json_string_value(json_object_get(json_array_get(us, k), "name")));
        bool overdue = json_is_true(json_object_get(t, "overdue"));
        json_array_append_new(
            rows,
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:s}", "seq",
                      json_integer_value(json_object_get(t, "seq")), "title",
                      json_string_value(json_object_get(t, "title")), "lead",
                      json_string_value(json_object_get(json_object_get(t, "lead"), "name")),
                      "units", units, "deadline", json_string_value(json_object_get(t, "deadline")),
                      "progress", json_integer_value(json_object_get(t, "progress")), "state",
                      task_state_name(json_string_value(json_object_get(t, "state")), overdue)));
    }
    *out = json_pack(
        "{s:s,s:[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}],"
        "s:o}",
        "title", json_string_value(json_object_get(plan, "title")), "columns", "key", "seq",
        "title", "序号", "key", "title", "title", "工作任务", "key", "lead", "title", "牵头单位",
        "key", "units", "title", "责任单位", "key", "deadline", "title", "完成时限", "key",
        "progress", "title", "进度（%）", "key", "state", "title", "状态", "rows", rows);
    json_decref(plan);
    return OW_OK;
}
