/* supervision_api.c — HTTP handlers for lights, alerts, digests, 督办 notices and
 * the sweep (docs/api.md "电子监察"). */
#include <stdint.h>
#include <string.h>

#include "core/workdays.h"
#include "core/json.h"
#include "supervision/supervision.h"
#include "supervision/supervision_api.h"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

typedef int (*json_fn)(ow_ctx *cx, json_t **out);

static int reply_with(ow_req *rq, json_fn fn) {
    json_t *out = NULL;
    int rc = fn(CX(rq), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_lights(ow_req *rq) {
    return reply_with(rq, ow_supervision_lights_json);
}
static int api_alerts(ow_req *rq) {
    return reply_with(rq, ow_supervision_alerts_json);
}
static int api_digest(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t org_id;
    if (ow_req_query_id(rq, "org_id", &org_id)) return cx->err.code;
    const char *date = ow_req_query(rq, "date");
    int32_t day = OW_DATE_NONE;
    if (date && *date && ow_date_parse(date, &day))
        return ow_err_set(&cx->err, OW_EINVAL, "date", "日期格式应为 YYYY-MM-DD");
    json_t *out;
    int rc = ow_supervision_digest_json(cx, org_id, day, &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_sweep(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    if (!ow_sup_sees_all(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有电子监察人员可以立即执行监察检查");
    ow_sweep_report r;
    int rc = ow_supervision_sweep(cx, &r);
    if (rc) return rc;
    return ow_reply_json(rq, 200,
                         json_pack("{s:i,s:i}", "complaints_escalated", r.complaints_escalated,
                                   "digests_written", r.digests_written));
}

static int api_notices(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_notice_query q = {.state = ow_req_query(rq, "state")};
    if (q.state && !*q.state) q.state = NULL;
    if (ow_req_paging(rq, &q.page, &q.per_page) || ow_req_query_id(rq, "case_id", &q.case_id) ||
        ow_req_query_id(rq, "org_id", &q.org_id))
        return cx->err.code;
    json_t *items;
    int64_t total;
    int rc = ow_notice_list_json(cx, &q, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, q.page, q.per_page);
}

static int api_notice_get(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "督办不存在");
    json_t *out;
    int rc = ow_notice_get_json(cx, id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_notice_issue(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    int64_t case_id, days = 0, id;
    const char *content;
    if (ow_json_int(b, "case_id", true, 1, INT64_MAX, &case_id, &cx->err) ||
        ow_json_str(b, "content", true, 1000, &content, &cx->err) ||
        ow_json_int(b, "reply_days", false, 1, 30, &days, &cx->err))
        return OW_EINVAL;
    int rc = ow_notice_issue(cx, case_id, content, (int)days, &id);
    if (rc) return rc;
    json_t *out;
    if ((rc = ow_notice_get_json(cx, id, &out))) return rc;
    return ow_reply_json(rq, 201, out);
}

/* After a change: the notice as it now stands. */
static int reply_notice(ow_req *rq, int64_t id) {
    json_t *out;
    int rc = ow_notice_get_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_notice_reply(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "督办不存在");
    const char *reply;
    if (ow_json_str(ow_req_json(rq), "reply", true, 1000, &reply, &cx->err)) return OW_EINVAL;
    int rc = ow_notice_reply(cx, id, reply);
    if (rc) return rc;
    return reply_notice(rq, id);
}

static int api_notice_transition(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "督办不存在");
    json_t *b = ow_req_json(rq);
    ow_notice_in in = {0};
    int64_t days = 0;
    if (ow_json_str(b, "action", true, 32, &in.action, &cx->err) ||
        ow_json_str(b, "note", false, 1000, &in.note, &cx->err) ||
        ow_json_int(b, "reply_days", false, 1, 30, &days, &cx->err))
        return OW_EINVAL;
    in.reply_days = (int)days;
    int rc = ow_notice_transition(cx, id, &in);
    if (rc) return rc;
    return reply_notice(rq, id);
}

const ow_route ow_supervision_routes[] = {
    {"GET", "/api/v1/supervision/lights", api_lights, OW_INLINE, 0},
    {"GET", "/api/v1/supervision/alerts", api_alerts, OW_INLINE, 0},
    {"GET", "/api/v1/supervision/digest", api_digest, OW_INLINE, 0},
    {"POST", "/api/v1/supervision/sweep", api_sweep, OW_ON_WRITER, OW_R_NO_BODY},
    {"GET", "/api/v1/supervision/notices", api_notices, OW_INLINE, 0},
    {"POST", "/api/v1/supervision/notices", api_notice_issue, OW_ON_WRITER, 0},
    {"GET", "/api/v1/supervision/notices/{id}", api_notice_get, OW_INLINE, 0},
    {"POST", "/api/v1/supervision/notices/{id}/reply", api_notice_reply, OW_ON_WRITER, 0},
    {"POST", "/api/v1/supervision/notices/{id}/transitions", api_notice_transition, OW_ON_WRITER,
     0},
};
const size_t ow_supervision_routes_n =
    sizeof ow_supervision_routes / sizeof ow_supervision_routes[0];
