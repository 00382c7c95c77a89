/* receive.c — the receiver (docs/exchange.md "What the receiver checks, in order").
 *
 * A POST carries a batch; each message is taken on its own, in order, inside the
 * writer's transaction: parsed, its sender's registered key found, its signature
 * checked, its timestamp, its id against those applied, its type against this
 * instance's role; then applied inside a savepoint together with the row that records
 * its id as applied, so the two commit together or not at all — a message is applied
 * exactly once however often its sender retries.  Every message, refused or not, gets a
 * row in the message log, and the log rows of refusals commit even though nothing else
 * does: the handler answers the refusals in the body with a 2xx-or-4xx status and
 * returns OW_OK, so the writer keeps the batch's log.
 *
 * A retry is the same id and payload hash with a later `at` (the sender signs each
 * attempt anew): it is answered with a fresh receipt marked duplicate and not applied.
 * The same id with another payload, or with an `at` not later than one already taken
 * (the same bytes again), is a replay and refused. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "exchange/exchange_int.h"
#include "store/exchange_store.h"

typedef struct take {
    ow_ctx *cx;
    ow_exchange *x;
    int status; /* the batch's HTTP status: 200, or the first refusal's */
} take;

static json_t *refuse(take *t, const json_t *m, const ow_ex_envelope *env, int status,
                      const char *code, const char *field, const char *message) {
    const char *id = env && env->id ? env->id : json_string_value(json_object_get(m, "id"));
    const char *sender =
        env && env->sender ? env->sender : json_string_value(json_object_get(m, "sender"));
    const char *type = env && env->type ? env->type : json_string_value(json_object_get(m, "type"));
    char reason[400];
    snprintf(reason, sizeof reason, "%s: %s", code, message);
    /* a refusal's log row must not fail the batch; its own failure is the log's */
    ow_err keep = t->cx->err;
    ex_log(t->cx, "in", sender && strlen(sender) <= 64 ? sender : "?",
           id && strlen(id) <= 80 ? id : "", type && strlen(type) <= 64 ? type : "", "refused",
           reason, env ? env->payload_hash : "", NULL, 1);
    t->cx->err = keep;
    if (t->status == 200) t->status = status;
    return json_pack("{s:s?,s:{s:s,s:s,s:s}}", "id", id, "error", "code", code, "field", field,
                     "message", message);
}

static bool hex_key(const char *hex, unsigned char pk[32]) {
    size_t n = 0;
    return !sodium_hex2bin(pk, 32, hex, strlen(hex), NULL, &n, NULL) && n == 32;
}

static json_t *receipt(take *t, const ow_ex_envelope *env, const char *status) {
    ow_ex_receipt r = {.message_id = env->id,
                       .sender = ex_instance(t->cx->app),
                       .receiver = env->sender,
                       .at = ow_clock_now_ms(t->cx->clock),
                       .status = status,
                       .payload_hash = env->payload_hash};
    return json_pack("{s:s,s:o}", "id", env->id, "receipt",
                     ow_ex_receipt_sign(&r, ex_signing_key(t->x)));
}

/* Apply a checked message: the city takes the districts' types; a district takes none
 * from the city yet (the license lookups of docs/exchange.md are the next). */
static int apply(ow_ctx *cx, const ow_ex_envelope *env, bool *known) {
    *known = false;
    if (ex_is_city(cx->app)) return ex_city_apply(cx, env->sender, env->type, env->payload, known);
    return OW_OK;
}

static json_t *take_one(take *t, const json_t *m) {
    ow_ctx *cx = t->cx;
    ow_err e = {0};
    ow_ex_envelope env;
    if (ow_ex_parse(m, &env, &e))
        return refuse(t, m, NULL, 400, e.kind[0] ? e.kind : "bad_envelope", e.field, e.message);
    if (strcmp(env.receiver, ex_instance(cx->app)))
        return refuse(t, m, &env, 400, "bad_envelope", "receiver", "接收方不是本实例");
    ow_ex_peer peer;
    bool found = false;
    if (ow_ex_store_peer_key(cx->db, cx->arena, env.sender, env.key_id, env.at, &peer, &found,
                             &cx->err))
        return refuse(t, m, &env, 500, "internal", "", "数据库错误");
    if (!found) {
        bool any = false;
        if (ow_ex_store_peer_current(cx->db, cx->arena, env.sender, &peer, &any, &cx->err))
            return refuse(t, m, &env, 500, "internal", "", "数据库错误");
        return any ? refuse(t, m, &env, 403, "unknown_key", "key_id",
                            "发送方的该密钥未登记或已过期")
                   : refuse(t, m, &env, 403, "unknown_sender", "sender", "发送方未登记");
    }
    unsigned char pk[32];
    if (!hex_key(peer.public_key, pk) || !ow_ex_verify(&env, pk))
        return refuse(t, m, &env, 403, "bad_signature", "sig", "签名无效");
    int64_t now = ow_clock_now_ms(cx->clock), skew = env.at - now;
    if (skew < 0) skew = -skew;
    if (skew > (int64_t)cx->app->cfg.exchange_max_skew_s * 1000)
        return refuse(t, m, &env, 409, "stale_timestamp", "at", "消息时间与本机时间相差过大");
    ow_ex_seen seen;
    if (ow_ex_store_inbox_get(cx->db, cx->arena, env.sender, env.id, &seen, &found, &cx->err))
        return refuse(t, m, &env, 500, "internal", "", "数据库错误");
    if (found) {
        if (strcmp(seen.payload_hash, env.payload_hash) || env.at <= seen.sent_at)
            return refuse(t, m, &env, 409, "replayed_id", "id", "该消息编号已收到过（重放）");
        if (ow_ex_store_inbox_touch(cx->db, env.sender, env.id, env.at, &cx->err) ||
            ex_log(cx, "in", env.sender, env.id, env.type, "duplicate", "", env.payload_hash, NULL,
                   1))
            return refuse(t, m, &env, 500, "internal", "", "数据库错误");
        return receipt(t, &env, "duplicate");
    }
    if (ow_db_savepoint(cx->db, &cx->err))
        return refuse(t, m, &env, 500, "internal", "", "数据库错误");
    bool known = false;
    int rc = apply(cx, &env, &known);
    if (!rc && !known) {
        ow_db_rollback_to(cx->db); /* which releases it too */
        return refuse(t, m, &env, 422, "unknown_type", "type", "本实例不接收该类型的消息");
    }
    if (!rc)
        rc = ow_ex_store_inbox_put(cx->db, env.sender, env.id, env.type, env.at, env.payload_hash,
                                   now, &cx->err);
    if (rc) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", cx->err.message);
        char field[64];
        snprintf(field, sizeof field, "%s", cx->err.field);
        ow_db_rollback_to(cx->db); /* which releases it too */
        return refuse(t, m, &env, 422, "apply_failed", field, msg);
    }
    if (ow_db_release(cx->db, &cx->err))
        return refuse(t, m, &env, 500, "internal", "", "数据库错误");
    char *canon = json_dumps(env.payload, JSON_COMPACT | JSON_SORT_KEYS);
    rc = ex_log(cx, "in", env.sender, env.id, env.type, "applied", "", env.payload_hash, canon, 1);
    free(canon);
    if (rc) return refuse(t, m, &env, 500, "internal", "", "数据库错误");
    return receipt(t, &env, "applied");
}

int ow_exchange_receive(ow_ctx *cx, const json_t *body, json_t **results, int *status) {
    *results = NULL;
    *status = 200;
    if (!cx->app->exchange) return ow_err_set(&cx->err, OW_EINTERNAL, "", "本实例的交换服务未启动");
    json_t *msgs = json_object_get(body, "messages");
    if (!json_is_array(msgs) || json_array_size(msgs) == 0)
        return ow_err_setk(&cx->err, OW_EINVAL, "bad_envelope", "messages",
                           "messages 应为非空数组");
    if (json_array_size(msgs) > OW_EX_BATCH_MAX)
        return ow_err_setk(&cx->err, OW_EINVAL, "bad_envelope", "messages", "一次最多 %d 条消息",
                           OW_EX_BATCH_MAX);
    take t = {.cx = cx, .x = cx->app->exchange, .status = 200};
    json_t *out = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(msgs, i, m) json_array_append_new(out, take_one(&t, m));
    *results = out;
    *status = t.status;
    return OW_OK;
}
