/* exchange_api.c — the exchange's routes (docs/api.md, "Exchange with the city"):
 *   POST /api/v1/exchange/messages   a peer's signed batch (no session: the signature is
 *                                    the authentication), on the writer
 *   GET  /api/v1/exchange/status     the outbox's figures, this instance and its peers
 *   GET  /api/v1/exchange/log        the message log, newest first, with filters
 *   GET  /api/v1/exchange/city       the city-wide figures per district (a city only)
 *   GET  /api/v1/exchange/city/licenses  the city's e-license index (a city only)
 *   POST /api/v1/exchange/retry      queue the messages given up again (administrators) */
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/json.h"
#include "exchange/exchange_api.h"
#include "exchange/exchange_int.h"
#include "store/exchange_store.h"

static bool may_watch(const ow_actor *a) {
    return !strcmp(a->role, "supervisor") || !strcmp(a->role, "admin");
}

static int forbid(ow_ctx *cx) {
    return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                      "只有电子监察人员和系统管理员可以查看数据交换记录");
}

static int api_messages(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    json_t *results;
    int status;
    int rc = ow_exchange_receive(cx, ow_req_json(rq), &results, &status);
    if (rc) return rc;
    return ow_reply_json(rq, status, json_pack("{s:o}", "results", results));
}

static int peer_row(void *arg, const ow_ex_peer *p) {
    json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "instance", p->instance,
                                         "name", p->name, "role", p->role, "url", p->url, "key_id",
                                         p->key_id, "current", p->valid_to == 0));
    return 0;
}

static int api_status(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    if (!may_watch(&cx->actor)) return forbid(cx);
    ow_exchange_stats s;
    int rc = ow_exchange_outbox_stats(cx, &s);
    if (rc) return rc;
    json_t *peers = json_array();
    if ((rc = ow_ex_store_peers_each(cx->db, peer_row, peers, &cx->err))) {
        json_decref(peers);
        return rc;
    }
    const ow_config *c = &cx->app->cfg;
    return ow_reply_json(
        rq, 200,
        json_pack("{s:s,s:s,s:s,s:{s:I,s:I,s:I,s:I,s:I,s:I},s:o,s:i}", "instance",
                  ex_instance(cx->app), "role", ex_is_city(cx->app) ? "city" : "district", "city",
                  c->exchange_city, "outbox", "queue_depth", (json_int_t)s.depth,
                  "oldest_undelivered_ms", (json_int_t)s.oldest_ms, "failing",
                  (json_int_t)s.failing, "given_up", (json_int_t)s.given_up, "delivered",
                  (json_int_t)s.delivered, "max_attempts", (json_int_t)s.max_attempts, "peers",
                  peers, "log_retention_days", c->exchange_log_retention_days));
}

static int log_row(void *arg, const ow_ex_log *l) {
    char at[32];
    ow_time_format_iso(l->at, at);
    json_t *it = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:b}", "id", (json_int_t)l->id,
                           "direction", l->direction, "peer", l->peer, "message_id", l->message_id,
                           "type", l->type, "at", at, "status", l->status, "reason", l->reason,
                           "payload_hash", l->payload_hash, "attempts", (json_int_t)l->attempts,
                           "payload_kept", l->payload != NULL);
    if (l->payload) {
        json_t *p = json_loads(l->payload, 0, NULL);
        if (p) json_object_set_new(it, "payload", p);
    }
    json_array_append_new(arg, it);
    return 0;
}

static int api_log(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    if (!may_watch(&cx->actor)) return forbid(cx);
    ow_ex_log_filter f = {.direction = ow_req_query(rq, "direction"),
                          .peer = ow_req_query(rq, "peer"),
                          .type = ow_req_query(rq, "type"),
                          .status = ow_req_query(rq, "status"),
                          .message_id = ow_req_query(rq, "message_id")};
    if (f.direction && *f.direction && strcmp(f.direction, "in") && strcmp(f.direction, "out"))
        return ow_err_set(&cx->err, OW_EINVAL, "direction", "direction 应为 in 或 out");
    int page, per_page;
    if (ow_req_paging(rq, &page, &per_page)) return cx->err.code;
    int64_t total;
    int rc = ow_ex_store_log_count(cx->db, &f, &total, &cx->err);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = ow_ex_store_log_page(cx->db, &f, per_page, (int64_t)(page - 1) * per_page, log_row,
                                   items, &cx->err))) {
        json_decref(items);
        return rc;
    }
    return ow_reply_list(rq, items, total, page, per_page);
}

static int api_city(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    if (!may_watch(&cx->actor)) return forbid(cx);
    if (!ex_is_city(cx->app))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "", "本实例不是市级平台（instance_role = city）");
    json_t *out;
    int rc = ex_city_stats(cx, &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_city_licenses(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    if (!may_watch(&cx->actor)) return forbid(cx);
    if (!ex_is_city(cx->app))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "", "本实例不是市级平台（instance_role = city）");
    const char *district = ow_req_query(rq, "district");
    if (district && strlen(district) >= OW_EX_INSTANCE_MAX_BYTES)
        return ow_err_set(&cx->err, OW_EINVAL, "district", "district 过长");
    json_t *out;
    int rc = ex_city_licenses(cx, district ? district : "", &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_retry(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    if (strcmp(cx->actor.role, "admin"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有系统管理员可以重新发送");
    json_t *body = ow_req_json(rq);
    json_t *id = body ? json_object_get(body, "id") : NULL;
    if (id && (!json_is_integer(id) || json_integer_value(id) <= 0))
        return ow_err_set(&cx->err, OW_EINVAL, "id", "id 应为正整数，或省略以重发全部");
    int64_t changed = 0;
    int rc = ow_ex_store_out_retry(cx->db, id ? json_integer_value(id) : 0,
                                   ow_clock_now_ms(cx->clock), &changed, &cx->err);
    if (rc) return rc;
    json_t *d = json_pack("{s:I}", "queued", (json_int_t)changed);
    rc = ow_audit_append(
        cx, "exchange.retry", "exchange_outbox",
        id ? ow_sprintf(cx->arena, "%lld", (long long)json_integer_value(id)) : NULL, d);
    json_decref(d);
    if (rc) return rc;
    return ow_reply_json(rq, 200, json_pack("{s:I}", "queued", (json_int_t)changed));
}

const ow_route ow_exchange_routes[] = {
    {"POST", "/api/v1/exchange/messages", api_messages, OW_ON_WRITER, OW_R_PUBLIC | OW_R_NO_CSRF},
    {"GET", "/api/v1/exchange/status", api_status, OW_INLINE, 0},
    {"GET", "/api/v1/exchange/log", api_log, OW_INLINE, 0},
    {"GET", "/api/v1/exchange/city", api_city, OW_INLINE, 0},
    {"GET", "/api/v1/exchange/city/licenses", api_city_licenses, OW_INLINE, 0},
    {"POST", "/api/v1/exchange/retry", api_retry, OW_ON_WRITER, 0},
};
const size_t ow_exchange_routes_n = sizeof ow_exchange_routes / sizeof ow_exchange_routes[0];
