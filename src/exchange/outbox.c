/* outbox.c — queueing a message in the transaction of its cause, and the outbox's
 * figures (exchange.h, "the outbox"; docs/exchange.md "The outbox (generic)").  The
 * sender that empties it is sender.c. */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "exchange/exchange_int.h"
#include "store/exchange_store.h"

int ow_exchange_outbox_put(ow_ctx *cx, const char *destination, const char *type,
                           const json_t *payload) {
    return ow_exchange_outbox_put_at(cx, destination, type, payload, ow_clock_now_ms(cx->clock),
                                     NULL);
}

int ow_exchange_outbox_times(ow_ctx *cx, const char *destination, int64_t since, int64_t *out,
                             int max, int *n) {
    return ow_ex_store_out_times(cx->db, destination, since, out, max, n, &cx->err);
}

int ow_exchange_outbox_put_at(ow_ctx *cx, const char *destination, const char *type,
                              const json_t *payload, int64_t not_before, int64_t *id_out) {
    if (!destination || !*destination || strlen(destination) > OW_EX_INSTANCE_MAX_BYTES)
        return ow_err_set(&cx->err, OW_EINVAL, "destination", "消息的接收方无效");
    if (!type || !*type || strlen(type) > OW_EX_TYPE_MAX_BYTES)
        return ow_err_set(&cx->err, OW_EINVAL, "type", "消息类型无效");
    char *canon, hash[65];
    int rc = ow_ex_payload_canon(payload, &canon, hash, &cx->err);
    if (rc) return rc;
    int64_t id;
    int64_t now = ow_clock_now_ms(cx->clock);
    rc = ow_ex_store_out_put_at(cx->db, destination, type, canon, hash, now,
                                not_before > now ? not_before : now, &id, &cx->err);
    free(canon);
    if (!rc && id_out) *id_out = id;
    return rc;
}

int ow_exchange_outbox_stats(ow_ctx *cx, ow_exchange_stats *out) {
    ow_ex_out_stats s;
    int rc = ow_ex_store_out_stats(cx->db, &s, &cx->err);
    if (rc) return rc;
    int64_t now = ow_clock_now_ms(cx->clock);
    *out = (ow_exchange_stats){.depth = s.depth,
                               .oldest_ms = s.oldest_at ? now - s.oldest_at : 0,
                               .failing = s.failing,
                               .given_up = s.given_up,
                               .delivered = s.delivered,
                               .max_attempts = s.max_attempts};
    if (out->oldest_ms < 0) out->oldest_ms = 0;
    return OW_OK;
}

json_t *ow_exchange_health(ow_ctx *cx) {
    ow_exchange_stats s;
    if (ow_exchange_outbox_stats(cx, &s)) return NULL;
    return json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "instance", ex_instance(cx->app), "role",
                     ex_is_city(cx->app) ? "city" : "district", "queue_depth", (json_int_t)s.depth,
                     "oldest_undelivered_ms", (json_int_t)s.oldest_ms, "failing",
                     (json_int_t)s.failing, "given_up", (json_int_t)s.given_up, "delivered",
                     (json_int_t)s.delivered);
}

int ex_log(ow_ctx *cx, const char *direction, const char *peer, const char *message_id,
           const char *type, const char *status, const char *reason, const char *payload_hash,
           const char *payload, int64_t attempts) {
    ow_ex_log l = {.direction = direction,
                   .peer = peer ? peer : "",
                   .message_id = message_id ? message_id : "",
                   .type = type ? type : "",
                   .at = ow_clock_now_ms(cx->clock),
                   .status = status,
                   .reason = reason,
                   .payload_hash = payload_hash ? payload_hash : "",
                   .payload = payload,
                   .attempts = attempts};
    return ow_ex_store_log_put(cx->db, &l, &cx->err);
}
