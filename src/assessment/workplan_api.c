/* workplan_api.c — HTTP handlers of the work plans (docs/api.md "工作要点"). */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "assessment/assessment.h"
#include "assessment/assessment_api.h"
#include "core/json.h"
#include "report/report.h"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

static int no_plan(ow_req *rq) {
    return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "工作要点不存在");
}

static int no_task(ow_req *rq) {
    return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "工作任务不存在");
}

static int reply_plan(ow_req *rq, int status, int64_t id) {
    json_t *out;
    int rc = ow_plan_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, status, out);
}

static int reply_task(ow_req *rq, int status, int64_t id) {
    json_t *out;
    int rc = ow_task_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, status, out);
}

static int api_plans(ow_req *rq) {
    int64_t year;
    if (ow_req_query_id(rq, "year", &year)) return CX(rq)->err.code;
    json_t *items;
    int rc = ow_plan_list_json(CX(rq), (int)year, &items);
    if (rc) return rc;
    return ow_reply_json(rq, 200, json_pack("{s:o}", "items", items));
}

static int api_plan_create(ow_req *rq) {
    int64_t id;
    int rc = ow_plan_create(CX(rq), ow_req_json(rq), &id);
    if (rc) return rc;
    return reply_plan(rq, 201, id);
}

static int api_plan_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_plan(rq);
    return reply_plan(rq, 200, id);
}

static int api_plan_update(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_plan(rq);
    int rc = ow_plan_update(CX(rq), id, ow_req_json(rq));
    if (rc) return rc;
    return reply_plan(rq, 200, id);
}

static int api_plan_act(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_plan(rq);
    const char *action;
    if (ow_json_str(ow_req_json(rq), "action", true, 16, &action, &cx->err)) return cx->err.code;
    int rc = ow_plan_transition(cx, id, action);
    if (rc) return rc;
    return reply_plan(rq, 200, id);
}

static int api_task_add(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id"), tid;
    if (id < 0) return no_plan(rq);
    int rc = ow_task_add(CX(rq), id, ow_req_json(rq), &tid);
    if (rc) return rc;
    return reply_task(rq, 201, tid);
}

static int api_plan_xlsx(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_plan(rq);
    json_t *t;
    int rc = ow_plan_table(cx, id, &t);
    if (rc) return rc;
    char tmp[600], *out;
    size_t len;
    snprintf(tmp, sizeof tmp, "%s", cx->app->cfg.data_dir);
    rc = ow_table_xlsx(t, tmp, &out, &len, &cx->err);
    json_decref(t);
    if (rc) return rc;
    char name[64];
    snprintf(name, sizeof name, "work-plan-%lld.xlsx", (long long)id);
    return ow_reply_bytes(rq, 200,
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name,
                          out, len);
}

static int api_tasks(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_task_query q = {0};
    if (ow_req_paging(rq, &q.page, &q.per_page) || ow_req_query_id(rq, "plan_id", &q.plan_id) ||
        ow_req_query_id(rq, "org_id", &q.org_id))
        return cx->err.code;
    const char *state = ow_req_query(rq, "state"), *mine = ow_req_query(rq, "mine");
    q.state = state && *state ? state : NULL;
    q.mine = mine && !strcmp(mine, "1");
    json_t *items;
    int64_t total;
    int rc = ow_task_list_json(cx, &q, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, q.page, q.per_page);
}

static int api_task_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_task(rq);
    return reply_task(rq, 200, id);
}

static int api_task_update(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_task(rq);
    int rc = ow_task_update(CX(rq), id, ow_req_json(rq));
    if (rc) return rc;
    return reply_task(rq, 200, id);
}

static int api_task_report(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_task(rq);
    int rc = ow_task_report(CX(rq), id, ow_req_json(rq));
    if (rc) return rc;
    return reply_task(rq, 201, id);
}

static int api_task_act(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_task(rq);
    const char *action, *note = NULL;
    if (ow_json_str(ow_req_json(rq), "action", true, 16, &action, &cx->err) ||
        ow_json_str(ow_req_json(rq), "note", false, 500, &note, &cx->err))
        return cx->err.code;
    int rc = ow_task_transition(cx, id, action, note);
    if (rc) return rc;
    return reply_task(rq, 200, id);
}

const ow_route ow_workplan_routes[] = {
    {"GET", "/api/v1/work-plans", api_plans, OW_INLINE, 0},
    {"POST", "/api/v1/work-plans", api_plan_create, OW_ON_WRITER, 0},
    {"GET", "/api/v1/work-plans/{id}", api_plan_get, OW_INLINE, 0},
    {"PUT", "/api/v1/work-plans/{id}", api_plan_update, OW_ON_WRITER, 0},
    {"POST", "/api/v1/work-plans/{id}/transitions", api_plan_act, OW_ON_WRITER, 0},
    {"POST", "/api/v1/work-plans/{id}/tasks", api_task_add, OW_ON_WRITER, 0},
    {"GET", "/api/v1/work-plans/{id}/xlsx", api_plan_xlsx, OW_ON_POOL, 0},
    {"GET", "/api/v1/work-tasks", api_tasks, OW_INLINE, 0},
    {"GET", "/api/v1/work-tasks/{id}", api_task_get, OW_INLINE, 0},
    {"PUT", "/api/v1/work-tasks/{id}", api_task_update, OW_ON_WRITER, 0},
    {"POST", "/api/v1/work-tasks/{id}/reports", api_task_report, OW_ON_WRITER, 0},
    {"POST", "/api/v1/work-tasks/{id}/transitions", api_task_act, OW_ON_WRITER, 0},
};
const size_t ow_workplan_routes_n = sizeof ow_workplan_routes / sizeof ow_workplan_routes[0];
