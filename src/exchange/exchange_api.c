/* exchange_api.c — the exchange's routes (docs/api.md, "Exchange with the city"):
 *   POST /api/v1/exchange/messages   a peer's signed batch (no session: the signature is
 *                                    the authentication), on the writer
 *   GET  /api/v1/exchange/status     the outbox's figures, this instance and its peers
 *   GET  /api/v1/exchange/log        the message log, newest first, with filters
 *   GET  /api/v1/exchange/city       the city-wide figures per district (a city only)
 *   GET  /api/v1/exchange/city/licenses  the city's e-license index (a city only)
 *   POST /api/v1/exchange/retry      queue the messages given up again (administrators)
 *   POST /api/v1/sms/reports         the SMS gateway's delivery reports (shared secret)
 *   GET  /api/v1/sms                 the SMS and their state (supervisors, administrators) */
#include <sodium.h>
#include <stdio.h>
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

/* One report: {"id": "sms-<instance>-<n>", "status": "delivered"|"failed"|…, "detail"}.
 * The id is the one the SMS went under; an id that is not one of ours is refused. */
static int sms_report_one(ow_ctx *cx, const json_t *r, int64_t *outbox_id) {
    const char *id, *status, *detail = "";
    if (ow_json_str(r, "id", true, 95, &id, &cx->err) ||
        ow_json_str(r, "status", true, 64, &status, &cx->err) ||
        ow_json_str(r, "detail", false, 400, &detail, &cx->err))
        return OW_EINVAL;
    char prefix[80];
    snprintf(prefix, sizeof prefix, "sms-%s-", ex_instance(cx->app));
    size_t k = strlen(prefix);
    char *end = NULL;
    long long n = strncmp(id, prefix, k) ? 0 : strtoll(id + k, &end, 10);
    if (n <= 0 || !end || *end)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "没有编号为 %s 的短信", id);
    bool found;
    int rc = ow_ex_store_sms_report(cx->db, n, id, status, detail ? detail : "",
                                    ow_clock_now_ms(cx->clock), &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "没有编号为 %s 的短信", id);
    *outbox_id = n;
    return OW_OK;
}

/* The gateway authenticates with the shared secret sms_report_secret in X-Sms-Secret
 * (compared in constant time); without the setting the route takes nothing.  The body is
 * one report or {"reports": […]}. */
static int api_sms_reports(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    const char *want = cx->app->cfg.sms_report_secret, *got = ow_req_header(rq, "X-Sms-Secret");
    if (!*want || !got || strlen(got) != strlen(want) || sodium_memcmp(got, want, strlen(want)))
        return ow_err_set(&cx->err, OW_EUNAUTH, "X-Sms-Secret", "状态报告的共享密钥不对");
    json_t *body = ow_req_json(rq);
    if (!json_is_object(body)) return ow_err_set(&cx->err, OW_EINVAL, "", "请求体应为 JSON 对象");
    json_t *list = json_object_get(body, "reports");
    json_t *one = json_array();
    if (!list) {
        json_array_append(one, body);
        list = one;
    }
    if (!json_is_array(list) || !json_array_size(list)) {
        json_decref(one);
        return ow_err_set(&cx->err, OW_EINVAL, "reports", "reports 应为非空数组");
    }
    size_t i;
    json_t *r;
    int64_t n = 0, last = 0;
    json_array_foreach(list, i, r) {
        int rc = sms_report_one(cx, r, &last);
        if (rc) {
            json_decref(one);
            return rc;
        }
        n++;
    }
    json_decref(one);
    return ow_reply_json(rq, 200, json_pack("{s:I}", "recorded", (json_int_t)n));
}

static int sms_row(void *arg, const ow_ex_sms *s) {
    ow_ctx *cx = ((void **)arg)[0];
    json_t *items = ((void **)arg)[1];
    char id[96];
    ex_sms_message_id(cx->app, s->id, id, sizeof id);
    json_t *p = json_loads(s->payload, 0, NULL);
    const char *text = json_string_value(json_object_get(p, "text"));
    json_t *rec = *s->receipt ? json_loads(s->receipt, 0, NULL) : NULL;
    json_array_append_new(
        items,
        json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:o,s:o,s:s,s:b,s:I,s:o}", "outbox_id",
                  (json_int_t)s->id, "id", id, "to", s->destination + strlen(EX_SMS_PREFIX), "text",
                  text ? text : "", "created_at", (json_int_t)s->created_at, "not_before",
                  (json_int_t)s->next_at, "attempts", (json_int_t)s->attempts, "delivered_at",
                  s->delivered_at ? json_integer(s->delivered_at) : json_null(), "answer",
                  rec ? rec : json_null(), "last_error", s->last_error ? s->last_error : "",
                  "given_up", s->failed_at != 0, "reports", (json_int_t)s->reports, "report_status",
                  *s->report_status ? json_string(s->report_status) : json_null()));
    /* the state the message center shows (notify.c sms_state) and the report's text */
    const char *state = *s->report_status
                            ? (ow_exchange_sms_delivered(s->report_status) ? "delivered" : "failed")
                        : s->failed_at    ? "failed"
                        : s->delivered_at ? "sent"
                                          : "queued";
    json_t *last = json_array_get(items, json_array_size(items) - 1);
    json_object_set_new(last, "state", json_string(state));
    json_object_set_new(last, "report_detail",
                        *s->report_detail ? json_string(s->report_detail) : json_null());
    json_decref(p);
    return 0;
}

static int api_sms(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    if (!may_watch(&cx->actor)) return forbid(cx);
    const char *to = ow_req_query(rq, "to");
    json_t *items = json_array();
    void *arg[2] = {cx, items};
    int rc = ow_ex_store_sms_each(
        cx->db, cx->arena, to && *to ? ow_sprintf(cx->arena, "%s%s", EX_SMS_PREFIX, to) : NULL, 500,
        sms_row, arg, &cx->err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    size_t n = json_array_size(items);
    return ow_reply_list(rq, items, (int64_t)n, 1, (int)(n ? n : 1));
}

const ow_route ow_exchange_routes[] = {
    {"POST", "/api/v1/sms/reports", api_sms_reports, OW_ON_WRITER, OW_R_PUBLIC | OW_R_NO_CSRF},
    {"GET", "/api/v1/sms", api_sms, OW_INLINE, 0},
    {"POST", "/api/v1/exchange/messages", api_messages, OW_ON_WRITER, OW_R_PUBLIC | OW_R_NO_CSRF},
    {"GET", "/api/v1/exchange/status", api_status, OW_INLINE, 0},
    {"GET", "/api/v1/exchange/log", api_log, OW_INLINE, 0},
    {"GET", "/api/v1/exchange/city", api_city, OW_INLINE, 0},
    {"GET", "/api/v1/exchange/city/licenses", api_city_licenses, OW_INLINE, 0},
    {"POST", "/api/v1/exchange/retry", api_retry, OW_ON_WRITER, 0},
};
const size_t ow_exchange_routes_n = sizeof ow_exchange_routes / sizeof ow_exchange_routes[0];
