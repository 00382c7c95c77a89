/* audit.c — the hash-chained audit trail (see audit.h for the design).
 *
 * The hash input is a canonical encoding of the row: every field written as
 * its byte length, a colon and its bytes, so no two different rows encode
 * alike ("ab"+"c" vs "a"+"bc").  Rows are numbered without gaps from 1 and
 * `verify` names the first row that does not fit: an edited row, the row after
 * a deleted one, a row moved out of its place.
 *
 * What a chain alone cannot show is a cut-off tail: delete the last k rows and
 * the rest is still a valid chain (and the next append continues it).  Only a
 * copy of the head kept outside the database can: anchor.c keeps it in a file beside
 * the database (and the exchange sends it to the city), and a verify that ends before
 * the anchored head names the rows removed. */
#include "audit/audit.h"
#include "audit/audit_int.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/buf.h"
#include "core/json.h"
#include "store/audit_store.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

typedef ow_audit_row row;

static void put_field(crypto_generichash_state *st, const char *s) {
    char len[24];
    size_t n = s ? strlen(s) : 0;
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_generichash_update(st, (const unsigned char *)len, (size_t)k);
    if (n) crypto_generichash_update(st, (const unsigned char *)s, n);
}

static void put_int(crypto_generichash_state *st, int64_t v) {
    char s[24];
    snprintf(s, sizeof s, "%" PRId64, v);
    put_field(st, s);
}

static void row_hash(const ow_crypto_keys *k, const row *r, char out_hex[65]) {
    crypto_generichash_state st;
    unsigned char h[32];
    crypto_generichash_init(&st, k->audit, sizeof k->audit, sizeof h);
    put_int(&st, r->seq);
    put_int(&st, r->at);
    put_int(&st, r->actor_id);
    put_field(&st, r->actor);
    put_field(&st, r->actor_role);
    put_field(&st, r->ip);
    put_field(&st, r->request_id);
    put_field(&st, r->action);
    put_field(&st, r->object_type);
    put_field(&st, r->object_id);
    put_field(&st, r->detail);
    put_field(&st, r->prev_hash);
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out_hex, 65, h, sizeof h);
}

int ow_audit_append(ow_ctx *cx, const char *action, const char *object_type, const char *object_id,
                    const json_t *detail) {
    if (!cx->app || !cx->app->keys_loaded)
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "审计密钥未载入");
    row r = {0};
    char prev[65];
    int rc = ow_audit_store_head(cx->db, &r.seq, prev, &cx->err);
    if (rc) return rc;
    if (!r.seq++) snprintf(prev, sizeof prev, "%s", GENESIS_HASH);
    char *dj = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    r.at = ow_clock_now_ms(cx->clock);
    r.actor_id = cx->actor.user_id;
    r.actor =
        cx->actor.username[0] ? cx->actor.username : (cx->actor.system ? "system" : "anonymous");
    r.actor_role = cx->actor.role;
    r.ip = cx->ip;
    r.request_id = cx->request_id;
    r.action = action;
    r.object_type = object_type;
    r.object_id = object_id ? object_id : "";
    r.detail = dj ? dj : "{}";
    r.prev_hash = prev;
    char hash[65];
    row_hash(&cx->app->keys, &r, hash);
    r.hash = hash;
    rc = ow_audit_store_insert(cx->db, &r, &cx->err);
    free(dj);
    return rc;
}

int ow_audit_head(ow_db *db, int64_t *seq, char hash[65], ow_err *e) {
    int rc = ow_audit_store_head(db, seq, hash, e);
    if (!rc && !*seq) snprintf(hash, 65, "%s", GENESIS_HASH);
    return rc;
}

typedef struct verify_walk {
    const ow_crypto_keys *keys;
    ow_audit_report *out;
    char prev[65];
    int64_t expect;
    int64_t anchor_seq; /* 0: none */
    const char *anchor_hash;
} verify_walk;

/* One row of the chain in order: stops (1) at the first that does not fit. */
static int verify_row(void *arg, const row *r) {
    verify_walk *w = arg;
    ow_audit_report *out = w->out;
    out->rows++;
    if (r->seq != w->expect) {
        out->bad_seq = r->seq;
        snprintf(out->why, sizeof out->why, "第 %" PRId64 " 条之前缺少第 %" PRId64 " 条（被删除）",
                 r->seq, w->expect);
        return 1;
    }
    if (strcmp(r->prev_hash, w->prev)) {
        out->bad_seq = r->seq;
        snprintf(out->why, sizeof out->why,
                 "第 %" PRId64 " 条与前一条的链接不符（顺序被改动或前一条被替换）", r->seq);
        return 1;
    }
    char h[65];
    row_hash(w->keys, r, h);
    if (strcmp(h, r->hash)) {
        out->bad_seq = r->seq;
        snprintf(out->why, sizeof out->why, "第 %" PRId64 " 条的内容与其哈希不符（被修改）",
                 r->seq);
        return 1;
    }
    if (r->seq == w->anchor_seq && strcmp(r->hash, w->anchor_hash)) {
        out->bad_seq = r->seq;
        snprintf(out->why, sizeof out->why,
                 "第 %" PRId64 " 条的哈希与锚点记录的不符（该条及之后的链被重写）", r->seq);
        return 1;
    }
    snprintf(w->prev, sizeof w->prev, "%s", r->hash);
    out->head_seq = r->seq;
    snprintf(out->head_hash, sizeof out->head_hash, "%s", r->hash);
    w->expect++;
    return OW_OK;
}

int ow_audit_verify(ow_db *db, const ow_crypto_keys *keys, ow_audit_report *out, ow_err *e) {
    return ow_audit_verify_until(db, keys, 0, NULL, out, e);
}

int ow_audit_verify_until(ow_db *db, const ow_crypto_keys *keys, int64_t anchor_seq,
                          const char *anchor_hash, ow_audit_report *out, ow_err *e) {
    memset(out, 0, sizeof *out);
    verify_walk w = {.keys = keys,
                     .out = out,
                     .prev = GENESIS_HASH,
                     .expect = 1,
                     .anchor_seq = anchor_seq,
                     .anchor_hash = anchor_hash};
    int rc = ow_audit_store_each(db, verify_row, &w, e);
    return rc == 1 ? OW_OK : rc; /* a break is reported in out, not as an error */
}
