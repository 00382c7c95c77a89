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
 * copy of the head kept outside the database can; `verify` reports the head
 * (sequence number and hash) so an operator can record it, and a later verify
 * that ends before a recorded head proves rows were removed. */
#include "audit/audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "core/buf.h"
#include "core/json.h"
#include "store/db.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct row {
    int64_t seq, at, actor_id;
    const char *actor, *actor_role, *ip, *request_id, *action, *object_type, *object_id, *detail,
        *prev_hash;
} row;

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
    static const char *last_sql = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
    static const char *ins_sql =
        "INSERT INTO audit(seq, at, actor_id, actor, actor_role, ip, request_id, action,"
        " object_type, object_id, detail, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
    if (!cx->app || !cx->app->keys_loaded)
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "审计密钥未载入");
    sqlite3_stmt *st = ow_db_stmt(cx->db, last_sql, &cx->err);
    if (!st) return OW_EDB;
    row r = {0};
    char prev[65] = GENESIS_HASH;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r.seq = sqlite3_column_int64(st, 0) + 1;
        snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(st, 1));
    } else if (rc == SQLITE_DONE) {
        r.seq = 1;
    } else {
        return ow_db_fail(cx->db, "audit last", &cx->err);
    }
    sqlite3_reset(st);
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
    st = ow_db_stmt(cx->db, ins_sql, &cx->err);
    if (!st) {
        free(dj);
        return OW_EDB;
    }
    sqlite3_bind_int64(st, 1, r.seq);
    sqlite3_bind_int64(st, 2, r.at);
    if (r.actor_id)
        sqlite3_bind_int64(st, 3, r.actor_id);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, r.actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r.actor_role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r.ip, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r.request_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, r.action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r.object_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, r.object_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, r.detail, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, r.prev_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    free(dj);
    if (rc != SQLITE_DONE) return ow_db_fail(cx->db, "audit insert", &cx->err);
    return OW_OK;
}

int ow_audit_verify(ow_db *db, const ow_crypto_keys *keys, ow_audit_report *out, ow_err *e) {
    static const char *sql =
        "SELECT seq, at, coalesce(actor_id, 0), actor, actor_role, ip, request_id, action,"
        " object_type, object_id, detail, prev_hash, hash FROM audit ORDER BY seq";
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    char prev[65] = GENESIS_HASH;
    int64_t expect = 1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row r = {
            .seq = sqlite3_column_int64(st, 0),
            .at = sqlite3_column_int64(st, 1),
            .actor_id = sqlite3_column_int64(st, 2),
            .actor = ow_db_text(st, 3),
            .actor_role = ow_db_text(st, 4),
            .ip = ow_db_text(st, 5),
            .request_id = ow_db_text(st, 6),
            .action = ow_db_text(st, 7),
            .object_type = ow_db_text(st, 8),
            .object_id = ow_db_text(st, 9),
            .detail = ow_db_text(st, 10),
            .prev_hash = ow_db_text(st, 11),
        };
        const char *stored = ow_db_text(st, 12);
        out->rows++;
        if (r.seq != expect) {
            out->bad_seq = r.seq;
            snprintf(out->why, sizeof out->why,
                     "第 %" PRId64 " 条之前缺少第 %" PRId64 " 条（被删除）", r.seq, expect);
            break;
        }
        if (strcmp(r.prev_hash, prev)) {
            out->bad_seq = r.seq;
            snprintf(out->why, sizeof out->why,
                     "第 %" PRId64 " 条与前一条的链接不符（顺序被改动或前一条被替换）", r.seq);
            break;
        }
        char h[65];
        row_hash(keys, &r, h);
        if (strcmp(h, stored)) {
            out->bad_seq = r.seq;
            snprintf(out->why, sizeof out->why, "第 %" PRId64 " 条的内容与其哈希不符（被修改）",
                     r.seq);
            break;
        }
        snprintf(prev, sizeof prev, "%s", stored);
        out->head_seq = r.seq;
        snprintf(out->head_hash, sizeof out->head_hash, "%s", stored);
        expect++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return ow_db_fail(db, "audit verify", e);
    return OW_OK;
}
