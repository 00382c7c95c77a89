/* assessment_api.c — HTTP handlers of the assessment (docs/api.md "考核"): schemes, live
 * scores and published sheets with their drill-down, manual points and their evidence,
 * objections. */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "assessment/assessment.h"
#include "assessment/assessment_api.h"
#include "core/json.h"
#include "files/files_api.h"
#include "report/report.h"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

static int bad_id(ow_req *rq, const char *what) {
    return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "%s不存在", what);
}

/* An optional positive integer query argument (?year=2026); *out = 0 when absent. */
static int query_int(ow_req *rq, const char *name, int64_t *out) {
    return ow_req_query_id(rq, name, out);
}

static int api_metrics(ow_req *rq) {
    return ow_reply_json(rq, 200, ow_assess_metrics_json());
}

static int api_schemes(ow_req *rq) {
    int64_t year;
    if (query_int(rq, "year", &year)) return CX(rq)->err.code;
    json_t *items;
    int rc = ow_assess_scheme_list_json(CX(rq), (int)year, &items);
    if (rc) return rc;
    return ow_reply_json(rq, 200, json_pack("{s:o}", "items", items));
}

static int reply_scheme(ow_req *rq, int status, int64_t id) {
    json_t *out;
    int rc = ow_assess_scheme_get_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, status, out);
}

static int api_scheme_create(ow_req *rq) {
    int64_t id;
    int rc = ow_assess_scheme_create(CX(rq), ow_req_json(rq), &id);
    if (rc) return rc;
    return reply_scheme(rq, 201, id);
}

static int api_scheme_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq, "考核方案");
    return reply_scheme(rq, 200, id);
}

static int api_scheme_update(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq, "考核方案");
    int rc = ow_assess_scheme_update(CX(rq), id, ow_req_json(rq));
    if (rc) return rc;
    return reply_scheme(rq, 200, id);
}

static int api_scheme_act(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq, "考核方案");
    const char *action;
    if (ow_json_str(ow_req_json(rq), "action", true, 16, &action, &cx->err)) return cx->err.code;
    int rc = ow_assess_scheme_transition(cx, id, action);
    if (rc) return rc;
    return reply_scheme(rq, 200, id);
}

/* The live sheet of ?period=&cutoff= for a scheme. */
static int live_sheet(ow_req *rq, ow_assess_sheet **s) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq, "考核方案");
    return ow_assess_compute(CX(rq), id, ow_req_query(rq, "period"), ow_req_query(rq, "cutoff"), s);
}

static int api_scores(ow_req *rq) {
    ow_assess_sheet *s;
    int rc = live_sheet(rq, &s);
    if (rc) return rc;
    return ow_reply_json(rq, 200, ow_assess_sheet_json(CX(rq), s));
}

static int reply_unit(ow_req *rq, const ow_assess_sheet *s, int64_t org) {
    json_t *out;
    int rc = ow_assess_unit_json(CX(rq), s, org, &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

/* ?org_id (a unit's staff: their own by default) */
static int unit_arg(ow_req *rq, int64_t *org) {
    if (ow_req_query_id(rq, "org_id", org)) return CX(rq)->err.code;
    if (!*org) *org = CX(rq)->actor.org_id;
    return OW_OK;
}

static int api_scores_unit(ow_req *rq) {
    int64_t org = ow_req_param_id(rq, "org_id");
    if (org < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "org_id", "单位不存在");
    ow_assess_sheet *s;
    int rc = ow_assess_check_unit_access(CX(rq), org);
    if (rc || (rc = live_sheet(rq, &s))) return rc;
    return reply_unit(rq, s, org);
}

static int reply_records(ow_req *rq, const ow_assess_sheet *s) {
    ow_ctx *cx = CX(rq);
    int64_t org, ind;
    int page, per_page;
    if (unit_arg(rq, &org) || ow_req_query_id(rq, "indicator_id", &ind) ||
        ow_req_paging(rq, &page, &per_page))
        return cx->err.code;
    if (!ind)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "indicator_id", "请选择考核指标");
    json_t *items;
    int64_t total;
    int rc = ow_assess_records_json(cx, s, org, ind, page, per_page, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, page, per_page);
}

static int api_records(ow_req *rq) {
    int64_t org;
    if (unit_arg(rq, &org)) return CX(rq)->err.code;
    int rc = ow_assess_check_unit_access(CX(rq), org);
    ow_assess_sheet *s;
    if (rc || (rc = live_sheet(rq, &s))) return rc;
    return reply_records(rq, s);
}

static int api_publish(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    int64_t scheme_id;
    const char *period, *cutoff = NULL, *note = NULL;
    if (ow_json_int(b, "scheme_id", true, 1, INT64_MAX, &scheme_id, &cx->err) ||
        ow_json_str(b, "period", true, 10, &period, &cx->err) ||
        ow_json_str(b, "cutoff", false, 10, &cutoff, &cx->err) ||
        ow_json_str(b, "note", false, 500, &note, &cx->err))
        return cx->err.code;
    if (!ow_assess_is_center(cx))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有政务服务中心的监察人员和管理员可以发布考核结果");
    ow_assess_sheet *s;
    int64_t id;
    int rc = ow_assess_compute(cx, scheme_id, period, cutoff, &s);
    if (rc == OW_ENOTFOUND && !strcmp(cx->err.field, "id"))
        snprintf(cx->err.field, sizeof cx->err.field, "scheme_id");
    if (rc || (rc = ow_assess_publish(cx, s, note, &id))) return rc;
    return ow_reply_json(rq, 201, ow_assess_sheet_json(cx, s));
}

static int api_sheets(ow_req *rq) {
    int64_t year, scheme;
    if (query_int(rq, "year", &year) || query_int(rq, "scheme_id", &scheme))
        return CX(rq)->err.code;
    const char *all = ow_req_query(rq, "all_versions");
    json_t *items;
    int rc = ow_assess_sheet_list_json(CX(rq), (int)year, scheme, all && !strcmp(all, "1"), &items);
    if (rc) return rc;
    return ow_reply_json(rq, 200, json_pack("{s:o}", "items", items));
}

static int load_sheet(ow_req *rq, ow_assess_sheet **s) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq, "考核结果");
    return ow_assess_sheet_load(CX(rq), id, s);
}

static int api_sheet(ow_req *rq) {
    ow_assess_sheet *s;
    int rc = load_sheet(rq, &s);
    if (rc) return rc;
    return ow_reply_json(rq, 200, ow_assess_sheet_json(CX(rq), s));
}

static int api_sheet_unit(ow_req *rq) {
    int64_t org = ow_req_param_id(rq, "org_id");
    if (org < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "org_id", "单位不存在");
    ow_assess_sheet *s;
    int rc = load_sheet(rq, &s);
    if (rc) return rc;
    return reply_unit(rq, s, org);
}

static int api_sheet_records(ow_req *rq) {
    ow_assess_sheet *s;
    int rc = load_sheet(rq, &s);
    if (rc) return rc;
    return reply_records(rq, s);
}

static int api_sheet_xlsx(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_assess_sheet *s;
    int rc = load_sheet(rq, &s);
    if (rc) return rc;
    if (!ow_assess_reads_all(cx))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "考核结果明细表由政务服务中心导出");
    json_t *t = ow_assess_sheet_table(s);
    json_object_set_new(
        t, "title",
        json_string(ow_sprintf(cx->arena, "%s（%s）", s->scheme->name, s->period.code)));
    char tmp[600], *out;
    size_t len;
    snprintf(tmp, sizeof tmp, "%s", cx->app->cfg.data_dir);
    rc = ow_table_xlsx(t, tmp, &out, &len, &cx->err);
    json_decref(t);
    if (rc) return rc;
    char name[96];
    snprintf(name, sizeof name, "assessment-%s-v%d.xlsx", s->period.code, s->version);
    return ow_reply_bytes(rq, 200,
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name,
                          out, len);
}

static int api_trend(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t scheme, org;
    if (query_int(rq, "scheme_id", &scheme) || query_int(rq, "org_id", &org)) return cx->err.code;
    if (!scheme)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "scheme_id", "请选择考核方案");
    const char *kind = ow_req_query(rq, "period_kind");
    json_t *out;
    int rc = ow_assess_trend_json(cx, scheme, kind ? kind : "month", org, &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

/* ---- manual points ---- */

static int reply_adjustment(ow_req *rq, int status, int64_t id) {
    json_t *out;
    int rc = ow_assess_adjustment_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, status, out);
}

static int api_adjustments(ow_req *rq) {
    int64_t scheme, org;
    if (query_int(rq, "scheme_id", &scheme) || query_int(rq, "org_id", &org))
        return CX(rq)->err.code;
    json_t *items;
    int rc = ow_assess_adjustment_list_json(CX(rq), scheme, org, &items);
    if (rc) return rc;
    return ow_reply_json(rq, 200, json_pack("{s:o}", "items", items));
}

static int api_adjustment_add(ow_req *rq) {
    int64_t id;
    int rc = ow_assess_adjustment_add(CX(rq), ow_req_json(rq), &id);
    if (rc) return rc;
    return reply_adjustment(rq, 201, id);
}

static int api_adjustment_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq, "加减分记录");
    return reply_adjustment(rq, 200, id);
}

static int api_adjustment_act(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq, "加减分记录");
    const char *action, *reason = NULL;
    if (ow_json_str(ow_req_json(rq), "action", true, 16, &action, &cx->err) ||
        ow_json_str(ow_req_json(rq), "reason", false, 500, &reason, &cx->err))
        return cx->err.code;
    if (strcmp(action, "void"))
        return ow_err_set(&cx->err, OW_EINVAL, "action", "操作应为 void（撤销）");
    int rc = ow_assess_adjustment_void(cx, id, reason);
    if (rc) return rc;
    return reply_adjustment(rq, 200, id);
}

/* Evidence: POST …/evidence?filename=… with the file as the body. */
typedef struct evidence_up {
    const char *owner_type;
    int64_t owner_id;
} evidence_up;

static int evidence_row(ow_req *rq, const ow_files_upload *up) {
    const evidence_up *e = up->data;
    int64_t fid;
    int rc = ow_assess_evidence_add(CX(rq), e->owner_type, e->owner_id, up->sha256, up->filename,
                                    up->content_type, up->size, &fid);
    if (rc) return rc;
    if (!strcmp(e->owner_type, "adjustment")) return reply_adjustment(rq, 201, e->owner_id);
    json_t *out;
    if ((rc = ow_assess_objection_json(CX(rq), e->owner_id, &out))) return rc;
    return ow_reply_json(rq, 201, out);
}

static int evidence_upload(ow_req *rq, const char *owner_type) {
    ow_ctx *cx = CX(rq);
    evidence_up *e = ow_alloc(cx->arena, sizeof *e);
    e->owner_type = owner_type;
    if ((e->owner_id = ow_req_param_id(rq, "id")) < 0) return bad_id(rq, "记录");
    const char *filename;
    int rc = ow_files_query_filename(rq, &filename);
    if (rc || (rc = ow_assess_evidence_check(cx, owner_type, e->owner_id))) return rc;
    ow_files_receive_in in = {.filename = filename,
                              .limit = cx->app->cfg.upload_max_bytes,
                              .limit_what = "单个文件大小限制",
                              .accept = OW_FILES_ACCEPT_DOCUMENTS,
                              .row = evidence_row,
                              .data = e};
    return ow_files_receive(rq, &in);
}

static int evidence_download(ow_req *rq, const char *owner_type) {
    int64_t id = ow_req_param_id(rq, "id"), fid = ow_req_param_id(rq, "fid");
    if (id < 0) return bad_id(rq, "记录");
    if (fid < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "file_id", "佐证材料不存在");
    ow_assess_file f;
    int rc = ow_assess_evidence_get(CX(rq), owner_type, id, fid, &f);
    if (rc) return rc;
    return ow_files_send_blob(rq, f.sha256, f.content_type, f.filename);
}

static int api_adjustment_evidence(ow_req *rq) {
    return evidence_upload(rq, "adjustment");
}
static int api_adjustment_evidence_get(ow_req *rq) {
    return evidence_download(rq, "adjustment");
}
static int api_objection_evidence(ow_req *rq) {
    return evidence_upload(rq, "objection");
}
static int api_objection_evidence_get(ow_req *rq) {
    return evidence_download(rq, "objection");
}

/* ---- objections ---- */

static int reply_objection(ow_req *rq, int status, int64_t id) {
    json_t *out;
    int rc = ow_assess_objection_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, status, out);
}

static int api_objections(ow_req *rq) {
    int64_t sheet;
    if (query_int(rq, "sheet_id", &sheet)) return CX(rq)->err.code;
    const char *state = ow_req_query(rq, "state");
    json_t *items;
    int rc = ow_assess_objection_list_json(CX(rq), state && *state ? state : NULL, sheet, &items);
    if (rc) return rc;
    return ow_reply_json(rq, 200, json_pack("{s:o}", "items", items));
}

static int api_objection_file(ow_req *rq) {
    int64_t id;
    int rc = ow_assess_objection_file(CX(rq), ow_req_json(rq), &id);
    if (rc) return rc;
    return reply_objection(rq, 201, id);
}

static int api_objection_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq, "申诉");
    return reply_objection(rq, 200, id);
}

static int api_objection_act(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq, "申诉");
    const char *action, *answer = NULL;
    if (ow_json_str(ow_req_json(rq), "action", true, 16, &action, &cx->err) ||
        ow_json_str(ow_req_json(rq), "answer", false, OW_ASSESS_TEXT_MAX_CHARS, &answer, &cx->err))
        return cx->err.code;
    int rc = ow_assess_objection_answer(cx, id, action, answer);
    if (rc) return rc;
    return reply_objection(rq, 200, id);
}

const ow_route ow_assessment_routes[] = {
    {"GET", "/api/v1/assessment/metrics", api_metrics, OW_INLINE, 0},
    {"GET", "/api/v1/assessment/schemes", api_schemes, OW_INLINE, 0},
    {"POST", "/api/v1/assessment/schemes", api_scheme_create, OW_ON_WRITER, 0},
    {"GET", "/api/v1/assessment/schemes/{id}", api_scheme_get, OW_INLINE, 0},
    {"PUT", "/api/v1/assessment/schemes/{id}", api_scheme_update, OW_ON_WRITER, 0},
    {"POST", "/api/v1/assessment/schemes/{id}/transitions", api_scheme_act, OW_ON_WRITER, 0},
    {"GET", "/api/v1/assessment/schemes/{id}/scores", api_scores, OW_INLINE, 0},
    {"GET", "/api/v1/assessment/schemes/{id}/scores/{org_id}", api_scores_unit, OW_INLINE, 0},
    {"GET", "/api/v1/assessment/schemes/{id}/records", api_records, OW_INLINE, 0},
    {"GET", "/api/v1/assessment/sheets", api_sheets, OW_INLINE, 0},
    {"POST", "/api/v1/assessment/sheets", api_publish, OW_ON_WRITER, 0},
    {"GET", "/api/v1/assessment/sheets/{id}", api_sheet, OW_INLINE, 0},
    {"GET", "/api/v1/assessment/sheets/{id}/units/{org_id}", api_sheet_unit, OW_INLINE, 0},
    {"GET", "/api/v1/assessment/sheets/{id}/records", api_sheet_records, OW_INLINE, 0},
    {"GET", "/api/v1/assessment/sheets/{id}/xlsx", api_sheet_xlsx, OW_ON_POOL, 0},
    {"GET", "/api/v1/assessment/trend", api_trend, OW_INLINE, 0},
    {"GET", "/api/v1/assessment/adjustments", api_adjustments, OW_INLINE, 0},
    {"POST", "/api/v1/assessment/adjustments", api_adjustment_add, OW_ON_WRITER, 0},
    {"GET", "/api/v1/assessment/adjustments/{id}", api_adjustment_get, OW_INLINE, 0},
    {"POST", "/api/v1/assessment/adjustments/{id}/transitions", api_adjustment_act, OW_ON_WRITER,
     0},
    {"POST", "/api/v1/assessment/adjustments/{id}/evidence", api_adjustment_evidence, OW_INLINE,
     OW_R_STREAM | OW_R_NO_BODY},
    {"GET", "/api/v1/assessment/adjustments/{id}/evidence/{fid}", api_adjustment_evidence_get,
     OW_INLINE, 0},
    {"GET", "/api/v1/assessment/objections", api_objections, OW_INLINE, 0},
    {"POST", "/api/v1/assessment/objections", api_objection_file, OW_ON_WRITER, 0},
    {"GET", "/api/v1/assessment/objections/{id}", api_objection_get, OW_INLINE, 0},
    {"POST", "/api/v1/assessment/objections/{id}/transitions", api_objection_act, OW_ON_WRITER, 0},
    {"POST", "/api/v1/assessment/objections/{id}/evidence", api_objection_evidence, OW_INLINE,
     OW_R_STREAM | OW_R_NO_BODY},
    {"GET", "/api/v1/assessment/objections/{id}/evidence/{fid}", api_objection_evidence_get,
     OW_INLINE, 0},
};
const size_t ow_assessment_routes_n = sizeof ow_assessment_routes / sizeof ow_assessment_routes[0];
