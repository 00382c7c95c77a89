/* report_api.c — GET /api/v1/stats/… (docs/api.md "统计").  Every table answers
 * JSON by default, CSV with format=csv and XLSX with format=xlsx; the XLSX is
 * rendered on the heavy-work pool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/workdays.h"
#include "report/report.h"
#include "report/report_api.h"
#include "supervision/supervision.h"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

/* from/to default to the twelve months up to today. */
static int parse_query(ow_req *rq, ow_stats_query *q) {
    ow_ctx *cx = CX(rq);
    const char *f = ow_req_query(rq, "from"), *t = ow_req_query(rq, "to");
    q->to = ow_sup_today(cx);
    q->from = q->to - 364;
    if (t && *t && ow_date_parse(t, &q->to))
        return ow_err_set(&cx->err, OW_EINVAL, "to", "结束日期格式应为 YYYY-MM-DD");
    if (f && *f && ow_date_parse(f, &q->from))
        return ow_err_set(&cx->err, OW_EINVAL, "from", "开始日期格式应为 YYYY-MM-DD");
    q->by = ow_req_query(rq, "by");
    return OW_OK;
}

typedef struct xlsx_job {
    char *table_text;
    char filename[160];
} xlsx_job;

static int render_xlsx(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    xlsx_job *j = ow_req_data(rq);
    json_t *table = json_loads(j->table_text, 0, NULL);
    if (!table) return ow_err_set(&cx->err, OW_EINTERNAL, "", "统计表格解析失败");
    char *data;
    size_t len;
    int rc = ow_table_xlsx(table, cx->app->cfg.data_dir, &data, &len, &cx->err);
    json_decref(table);
    if (rc) return rc;
    return ow_reply_bytes(rq, 200,
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          j->filename, data, len);
}

typedef int (*table_fn)(ow_ctx *cx, const ow_stats_query *q, json_t **out);

static int reply_table(ow_req *rq, const char *what, table_fn fn) {
    ow_ctx *cx = CX(rq);
    ow_stats_query q = {0};
    int rc = parse_query(rq, &q);
    if (rc) return rc;
    const char *format = ow_req_query(rq, "format");
    if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx"))
        return ow_err_set(&cx->err, OW_EINVAL, "format", "导出格式应为 json、csv 或 xlsx");
    json_t *table;
    if ((rc = fn(cx, &q, &table))) return rc;
    if (!format || !strcmp(format, "json")) return ow_reply_json(rq, 200, table);
    char from[11], to[11], name[160];
    ow_date_format(q.from, from);
    ow_date_format(q.to, to);
    snprintf(name, sizeof name, "stats-%s-by-%s-%s_%s.%s", what,
             json_string_value(json_object_get(table, "by")), from, to, format);
    if (!strcmp(format, "csv")) {
        char *data;
        size_t len;
        rc = ow_table_csv(table, &data, &len, &cx->err);
        json_decref(table);
        if (rc) return rc;
        return ow_reply_bytes(rq, 200, "text/csv; charset=utf-8", name, data, len);
    }
    xlsx_job *j = ow_alloc(cx->arena, sizeof *j);
    char *text = json_dumps(table, JSON_COMPACT);
    json_decref(table);
    j->table_text = ow_strdup(cx->arena, text);
    free(text);
    snprintf(j->filename, sizeof j->filename, "%s", name);
    ow_req_set_data(rq, j);
    ow_req_then(rq, render_xlsx, OW_ON_POOL);
    return OW_OK;
}

static int api_cases(ow_req *rq) {
    return reply_table(rq, "cases", ow_stats_cases_json);
}
static int api_ratings(ow_req *rq) {
    return reply_table(rq, "ratings", ow_stats_ratings_json);
}
static int api_complaints(ow_req *rq) {
    return reply_table(rq, "complaints", ow_stats_complaints_json);
}

static int api_workbench(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_stats_workbench_json(CX(rq), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_dashboard(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    if (!ow_sup_sees_all(&cx->actor) && strcmp(cx->actor.kind, "staff"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有工作人员可以查看监察大屏");
    json_t *out = NULL;
    int rc = ow_stats_dashboard_json(cx, &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

/* The published figures: every office's ratings, for everyone (好差评结果公开). */
static int api_public_ratings(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_stats_query q = {0};
    int rc = parse_query(rq, &q);
    if (rc) return rc;
    if (q.by && strcmp(q.by, "department") && strcmp(q.by, "month"))
        return ow_err_set(&cx->err, OW_EINVAL, "by", "公开统计只按部门或月份");
    /* Published figures are the same for everyone: read them as the system would. */
    ow_actor who = cx->actor;
    memset(&cx->actor, 0, sizeof cx->actor);
    cx->actor.system = true;
    json_t *table;
    rc = ow_stats_ratings_json(cx, &q, &table);
    cx->actor = who;
    if (rc) return rc;
    return ow_reply_json(rq, 200, table);
}

/* Literal routes only: the router matches in table order. */
const ow_route ow_report_routes[] = {
    {"GET", "/api/v1/stats/cases", api_cases, OW_INLINE, 0},
    {"GET", "/api/v1/stats/ratings", api_ratings, OW_INLINE, 0},
    {"GET", "/api/v1/stats/complaints", api_complaints, OW_INLINE, 0},
    {"GET", "/api/v1/stats/workbench", api_workbench, OW_INLINE, 0},
    {"GET", "/api/v1/stats/dashboard", api_dashboard, OW_INLINE, 0},
    {"GET", "/api/v1/public/ratings", api_public_ratings, OW_INLINE, OW_R_PUBLIC},
};
const size_t ow_report_routes_n = sizeof ow_report_routes / sizeof ow_report_routes[0];
