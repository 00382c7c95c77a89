/* complaint_api.c — HTTP handlers for complaints and suggestions (docs/api.md
 * "投诉与建议"). */
#include <stdint.h>
#include <string.h>

#include "complaint/complaint.h"
#include "complaint/complaint_api.h"
#include "core/json.h"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

static int api_file(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    ow_complaint_in in = {0};
    bool anonymous = false;
    if (ow_json_str(b, "kind", true, 16, &in.kind, &cx->err) ||
        ow_json_str(b, "subject", true, 16, &in.subject, &cx->err) ||
        ow_json_str(b, "case_no", false, 40, &in.case_no, &cx->err) ||
        ow_json_int(b, "about_org_id", false, 1, INT64_MAX, &in.about_org_id, &cx->err) ||
        ow_json_str(b, "title", true, OW_COMPLAINT_TITLE_MAX_CHARS, &in.title, &cx->err) ||
        ow_json_str(b, "content", true, OW_COMPLAINT_CONTENT_MAX_CHARS, &in.content, &cx->err) ||
        ow_json_bool(b, "anonymous", false, &anonymous, &cx->err) ||
        ow_json_str(b, "contact_name", false, 30, &in.contact_name, &cx->err) ||
        ow_json_str(b, "mobile", false, 20, &in.mobile, &cx->err))
        return OW_EINVAL;
    in.anonymous = anonymous;
    int64_t id;
    char code[44], ref[48];
    int rc = ow_complaint_file(cx, &in, &id, ref, code);
    if (rc) return rc;
    /* The filer's own view, as they will see it later with the reference and code. */
    json_t *out = NULL;
    if ((rc = ow_complaint_lookup_json(cx, ref, code, &out))) return rc;
    return ow_reply_json(rq, 201, json_pack("{s:o,s:s}", "complaint", out, "query_code", code));
}

static int api_list(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_complaint_query q = {0};
    if (ow_req_paging(rq, &q.page, &q.per_page)) return cx->err.code;
    q.state = ow_req_query(rq, "state");
    const char *o = ow_req_query(rq, "overdue"), *e = ow_req_query(rq, "escalated"),
               *m = ow_req_query(rq, "mine");
    q.overdue = o && !strcmp(o, "1");
    q.escalated = e && !strcmp(e, "1");
    q.mine = m && !strcmp(m, "1");
    json_t *items;
    int64_t total;
    int rc = ow_complaint_list_json(cx, &q, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, q.page, q.per_page);
}

static int api_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "投诉建议不存在");
    json_t *out = NULL;
    int rc = ow_complaint_get_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_lookup(ow_req *rq) {
    const char *ref = ow_req_query(rq, "ref_no"), *code = ow_req_query(rq, "query_code");
    if (!ref || !*ref)
        return ow_err_setk(&CX(rq)->err, OW_EINVAL, "missing_field", "ref_no", "请填写编号");
    if (!code || !*code)
        return ow_err_setk(&CX(rq)->err, OW_EINVAL, "missing_field", "query_code", "请填写查询码");
    json_t *out = NULL;
    int rc = ow_complaint_lookup_json(CX(rq), ref, code, &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_act(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "投诉建议不存在");
    json_t *b = ow_req_json(rq);
    const char *action, *note, *answer, *feedback, *code;
    int64_t org = 0, sat = 0;
    if (ow_json_str(b, "action", true, 16, &action, &cx->err) ||
        ow_json_str(b, "note", false, 200, &note, &cx->err) ||
        ow_json_str(b, "answer", false, OW_COMPLAINT_ANSWER_MAX_CHARS, &answer, &cx->err) ||
        ow_json_str(b, "feedback", false, 500, &feedback, &cx->err) ||
        ow_json_str(b, "query_code", false, 64, &code, &cx->err) ||
        ow_json_int(b, "assigned_org_id", false, 1, INT64_MAX, &org, &cx->err) ||
        ow_json_int(b, "satisfaction", false, 1, 5, &sat, &cx->err))
        return OW_EINVAL;
    int rc;
    if (!strcmp(action, "assign"))
        rc = ow_complaint_assign(cx, id, org, note);
    else if (!strcmp(action, "answer"))
        rc = ow_complaint_answer(cx, id, answer);
    else if (!strcmp(action, "rate")) {
        if (!sat)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "satisfaction",
                               "请选择满意程度");
        rc = ow_complaint_rate(cx, id, code, (int)sat, feedback);
    } else
        return ow_err_set(&cx->err, OW_EINVAL, "action", "操作应为 assign、answer 或 rate");
    if (rc) return rc;
    if (!cx->actor.user_id && !cx->actor.system) return ow_reply_empty(rq, 204);
    json_t *out = NULL;
    if ((rc = ow_complaint_get_json(cx, id, &out))) return rc;
    return ow_reply_json(rq, 200, out);
}

const ow_route ow_complaint_routes[] = {
    {"POST", "/api/v1/complaints", api_file, OW_ON_WRITER, OW_R_PUBLIC},
    {"GET", "/api/v1/complaints", api_list, OW_INLINE, 0},
    {"GET", "/api/v1/complaints/lookup", api_lookup, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/complaints/{id}", api_get, OW_INLINE, 0},
    {"POST", "/api/v1/complaints/{id}/transitions", api_act, OW_ON_WRITER, OW_R_PUBLIC},
};
const size_t ow_complaint_routes_n = sizeof ow_complaint_routes / sizeof ow_complaint_routes[0];
