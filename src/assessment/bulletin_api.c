/* bulletin_api.c — HTTP handlers of the bulletins and their rule (docs/api.md "简报"). */
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

static int no_bulletin(ow_req *rq) {
    return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "简报不存在");
}

static int reply_bulletin(ow_req *rq, int status, int64_t id) {
    json_t *out;
    int rc = ow_bulletin_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, status, out);
}

static int api_list(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int page, per_page;
    if (ow_req_paging(rq, &page, &per_page)) return cx->err.code;
    const char *kind = ow_req_query(rq, "kind");
    json_t *items;
    int64_t total;
    int rc = ow_bulletin_list_json(cx, kind && *kind ? kind : NULL, page, per_page, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, page, per_page);
}

static int api_issue(ow_req *rq) {
    int64_t id;
    int rc = ow_bulletin_issue(CX(rq), ow_req_json(rq), &id);
    if (rc) return rc;
    return reply_bulletin(rq, 201, id);
}

/* GET /bulletins/preview?kind=&month=&sheet_id=&plan_id=&date= : what issuing would send. */
static int api_preview(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *in = json_object();
    static const char *const text[] = {"kind", "month", "date"};
    static const char *const ids[] = {"sheet_id", "plan_id"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = ow_req_query(rq, text[i]);
        if (v && *v) json_object_set_new(in, text[i], json_string(v));
    }
    for (size_t i = 0; i < 2; i++) {
        int64_t v;
        if (ow_req_query_id(rq, ids[i], &v)) {
            json_decref(in);
            return cx->err.code;
        }
        if (v) json_object_set_new(in, ids[i], json_integer(v));
    }
    json_t *content;
    int rc = ow_bulletin_compose(cx, in, &content);
    json_decref(in);
    if (rc) return rc;
    return ow_reply_json(rq, 200, content);
}

static int api_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_bulletin(rq);
    return reply_bulletin(rq, 200, id);
}

static int api_read(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_bulletin(rq);
    int rc = ow_bulletin_mark_read(CX(rq), id);
    if (rc) return rc;
    return reply_bulletin(rq, 200, id);
}

static int api_pdf(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_bulletin(rq);
    unsigned char *pdf;
    size_t len;
    char name[64];
    int rc = ow_bulletin_pdf(CX(rq), id, &pdf, &len, name, sizeof name);
    if (rc) return rc;
    ow_reply_disposition(rq, "inline", name);
    return ow_reply_body(rq, 200, "application/pdf", (char *)pdf, len);
}

static int api_xlsx(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return no_bulletin(rq);
    json_t *t;
    char name[64], tmp[600], *out;
    size_t len;
    int rc = ow_bulletin_table(cx, id, &t, name, sizeof name);
    if (rc) return rc;
    snprintf(tmp, sizeof tmp, "%s", cx->app->cfg.data_dir);
    rc = ow_table_xlsx(t, tmp, &out, &len, &cx->err);
    json_decref(t);
    if (rc) return rc;
    return ow_reply_bytes(rq, 200,
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name,
                          out, len);
}

static int api_rule(ow_req *rq) {
    json_t *out;
    int rc = ow_bulletin_rule_json(CX(rq), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_rule_put(ow_req *rq) {
    int rc = ow_bulletin_rule_put(CX(rq), ow_req_json(rq));
    if (rc) return rc;
    return api_rule(rq);
}

static int api_red_flag(ow_req *rq) {
    json_t *out;
    int rc = ow_bulletin_red_flag_json(CX(rq), ow_req_query(rq, "month"), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

const ow_route ow_bulletin_routes[] = {
    {"GET", "/api/v1/bulletins", api_list, OW_INLINE, 0},
    {"POST", "/api/v1/bulletins", api_issue, OW_ON_WRITER, 0},
    {"GET", "/api/v1/bulletins/preview", api_preview, OW_INLINE, 0},
    {"GET", "/api/v1/bulletins/rule", api_rule, OW_INLINE, 0},
    {"PUT", "/api/v1/bulletins/rule", api_rule_put, OW_ON_WRITER, 0},
    {"GET", "/api/v1/bulletins/red-flag", api_red_flag, OW_INLINE, 0},
    {"GET", "/api/v1/bulletins/{id}", api_get, OW_INLINE, 0},
    {"POST", "/api/v1/bulletins/{id}/read", api_read, OW_ON_WRITER, OW_R_NO_BODY},
    {"GET", "/api/v1/bulletins/{id}/pdf", api_pdf, OW_ON_POOL, 0},
    {"GET", "/api/v1/bulletins/{id}/xlsx", api_xlsx, OW_ON_POOL, 0},
};
const size_t ow_bulletin_routes_n = sizeof ow_bulletin_routes / sizeof ow_bulletin_routes[0];
