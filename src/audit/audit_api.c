/* audit_api.c — GET /api/v1/audit: the trail for supervisors, with filters
 * by actor, object, action and time range, newest first. */
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/audit_api.h"
#include "core/workdays.h"
#include "core/json.h"
#include "store/audit_store.h"

static bool may_read_audit(const ow_actor *a) {
    return a->system || !strcmp(a->role, "supervisor") || !strcmp(a->role, "admin");
}

/* A Shanghai date YYYY-MM-DD to UTC ms at that day's midnight (+ days). */
static int date_bound(ow_req *rq, const char *name, int add_days, int64_t *out) {
    const char *s = ow_req_query(rq, name);
    *out = 0;
    if (!s || !*s) return OW_OK;
    int32_t d;
    if (ow_date_parse(s, &d))
        return ow_err_set(&ow_req_ctx(rq)->err, OW_EINVAL, name, "日期格式应为 YYYY-MM-DD");
    *out = ((int64_t)(d + add_days) * 86400 - 8 * 3600) * 1000;
    return OW_OK;
}

static int list_row(void *arg, const ow_audit_row *r) {
    char at[32];
    ow_time_format_iso(r->at, at);
    json_t *detail = json_loads(r->detail, 0, NULL);
    json_t *it =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s}", "seq", (json_int_t)r->seq, "at",
                  at, "actor", r->actor, "actor_role", r->actor_role, "ip", r->ip, "request_id",
                  r->request_id, "action", r->action, "object_type", r->object_type, "object_id",
                  r->object_id, "detail", detail ? detail : json_object(), "hash", r->hash);
    if (r->actor_id) json_object_set_new(it, "actor_id", json_integer(r->actor_id));
    json_array_append_new(arg, it);
    return OW_OK;
}

static int api_audit_list(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    if (!may_read_audit(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有电子监察人员和系统管理员可以查看审计日志");
    int page, per_page;
    ow_audit_filter f = {.actor = ow_req_query(rq, "actor"),
                         .object_type = ow_req_query(rq, "object_type"),
                         .object_id = ow_req_query(rq, "object_id"),
                         .action_prefix = ow_req_query(rq, "action")};
    if (ow_req_paging(rq, &page, &per_page) || date_bound(rq, "from", 0, &f.from_ms) ||
        date_bound(rq, "to", 1, &f.to_ms))
        return cx->err.code;
    int64_t total;
    int rc = ow_audit_store_count(cx->db, &f, &total, &cx->err);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = ow_audit_store_page(cx->db, &f, per_page, (int64_t)(page - 1) * per_page, list_row,
                                  items, &cx->err))) {
        json_decref(items);
        return rc;
    }
    return ow_reply_list(rq, items, total, page, per_page);
}

const ow_route ow_audit_routes[] = {
    {"GET", "/api/v1/audit", api_audit_list, OW_INLINE, 0},
};
const size_t ow_audit_routes_n = sizeof ow_audit_routes / sizeof ow_audit_routes[0];
