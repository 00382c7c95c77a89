/* protocol.c — the envelope, its canonical form and signatures, and receipts (see
 * exchange.h and docs/exchange.md, "The envelope", "The canonical form", "The receipt").
 *
 * The signature is not over the JSON text as sent but over a few lines built from the
 * fields and the payload's hash, so whitespace, key order and escaping on the wire do
 * not matter and nothing depends on two JSON printers agreeing — except the payload's,
 * which is why the payload may hold integers only (jansson prints those one way) and is
 * hashed from jansson's compact, key-sorted form on both sides.  Ed25519 and SHA-256 are
 * libsodium's (crypto_sign_detached, crypto_hash_sha256); SHA-256 rather than BLAKE2b
 * because the city's other systems and a browser's WebCrypto have it. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "exchange/exchange.h"

void ow_ex_key_id(const unsigned char pk[32], char out[OW_EX_KEY_ID_CHARS + 1]) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, pk, 32);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    memcpy(out, hex, OW_EX_KEY_ID_CHARS);
    out[OW_EX_KEY_ID_CHARS] = '\0';
}

static bool has_real(const json_t *v) {
    if (json_is_real(v)) return true;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) if (has_real(x)) return true;
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) if (has_real(x)) return true;
    }
    return false;
}

int ow_ex_payload_canon(const json_t *payload, char **canon, char hash[65], ow_err *e) {
    *canon = NULL;
    if (!json_is_object(payload))
        return ow_err_setk(e, OW_EINVAL, "bad_envelope", "payload", "payload 应为 JSON 对象");
    if (has_real(payload))
        return ow_err_setk(e, OW_EINVAL, "payload_number", "payload",
                           "payload 中只允许整数（金额以分、比率以千分之一计）");
    char *s = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    if (!s) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(hash, 65, h, sizeof h);
    *canon = s;
    return OW_OK;
}

/* "ow-exchange-1\n{id}\n{sender}\n{receiver}\n{at}\n{type}\n{key_id}\n{payload_hash}\n" */
static char *env_canon(const ow_ex_envelope *env) {
    char at[24];
    snprintf(at, sizeof at, "%" PRId64, env->at);
    const char *parts[] = {"ow-exchange-1", env->id,     env->sender,      env->receiver, at,
                           env->type,       env->key_id, env->payload_hash};
    size_t n = 0;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        n += strlen(parts[i]) + 1;
    char *s = malloc(n + 1), *p = s;
    if (!s) abort();
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        size_t k = strlen(parts[i]);
        memcpy(p, parts[i], k);
        p[k] = '\n';
        p += k + 1;
    }
    *p = '\0';
    return s;
}

static char *receipt_canon(const ow_ex_receipt *r) {
    char at[24];
    snprintf(at, sizeof at, "%" PRId64, r->at);
    char *s = NULL;
    if (asprintf(&s, "ow-receipt-1\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n", r->message_id, r->sender,
                 r->receiver, at, r->status, r->payload_hash, r->key_id) < 0)
        abort();
    return s;
}

static void sign_b64(const char *msg, const ow_ex_key *key, char out[100]) {
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), key->sk);
    sodium_bin2base64(out, 100, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
}

static bool verify_b64(const char *msg, const char *sig_b64, const unsigned char pk[32]) {
    unsigned char sig[crypto_sign_BYTES];
    size_t n = 0;
    if (!sig_b64 ||
        sodium_base642bin(sig, sizeof sig, sig_b64, strlen(sig_b64), NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) ||
        n != sizeof sig)
        return false;
    return crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), pk) == 0;
}

int ow_ex_sign(ow_ex_envelope *env, const ow_ex_key *key, json_t **out, ow_err *e) {
    char *canon;
    int rc = ow_ex_payload_canon(env->payload, &canon, env->payload_hash, e);
    if (rc) return rc;
    free(canon);
    env->key_id = key->key_id;
    char *msg = env_canon(env);
    char sig[100];
    sign_b64(msg, key, sig);
    free(msg);
    *out = json_pack("{s:i,s:s,s:s,s:s,s:I,s:s,s:s,s:O,s:s}", "v", OW_EX_VERSION, "id", env->id,
                     "sender", env->sender, "receiver", env->receiver, "at", (json_int_t)env->at,
                     "type", env->type, "key_id", env->key_id, "payload", env->payload, "sig", sig);
    if (!*out) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    return OW_OK;
}

/* A non-empty string field of at most max bytes without control characters (they would
 * forge lines of the canonical form). */
static int str_field(const json_t *o, const char *name, size_t max, const char **out, ow_err *e) {
    const char *s = json_string_value(json_object_get(o, name));
    if (!s || !*s || strlen(s) > max)
        return ow_err_setk(e, OW_EINVAL, "bad_envelope", name, "%s 缺失或不是合适长度的字符串",
                           name);
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20)
            return ow_err_setk(e, OW_EINVAL, "bad_envelope", name, "%s 含控制字符", name);
    *out = s;
    return OW_OK;
}

int ow_ex_parse(const json_t *o, ow_ex_envelope *env, ow_err *e) {
    memset(env, 0, sizeof *env);
    if (!json_is_object(o))
        return ow_err_setk(e, OW_EINVAL, "bad_envelope", "messages", "消息应为 JSON 对象");
    json_t *v = json_object_get(o, "v");
    if (!json_is_integer(v) || json_integer_value(v) != OW_EX_VERSION)
        return ow_err_setk(e, OW_EINVAL, "bad_envelope", "v", "不支持的协议版本");
    int rc;
    if ((rc = str_field(o, "id", 64, &env->id, e)) ||
        (rc = str_field(o, "sender", OW_EX_INSTANCE_MAX_BYTES, &env->sender, e)) ||
        (rc = str_field(o, "receiver", OW_EX_INSTANCE_MAX_BYTES, &env->receiver, e)) ||
        (rc = str_field(o, "type", OW_EX_TYPE_MAX_BYTES, &env->type, e)) ||
        (rc = str_field(o, "key_id", OW_EX_KEY_ID_CHARS, &env->key_id, e)) ||
        (rc = str_field(o, "sig", 100, &env->sig, e)))
        return rc;
    json_t *at = json_object_get(o, "at");
    if (!json_is_integer(at) || json_integer_value(at) <= 0)
        return ow_err_setk(e, OW_EINVAL, "bad_envelope", "at", "at 应为 UTC 毫秒整数");
    env->at = json_integer_value(at);
    env->payload = json_object_get(o, "payload");
    char *canon;
    rc = ow_ex_payload_canon(env->payload, &canon, env->payload_hash, e);
    free(canon);
    return rc;
}

bool ow_ex_verify(const ow_ex_envelope *env, const unsigned char pk[32]) {
    char *msg = env_canon(env);
    bool ok = verify_b64(msg, env->sig, pk);
    free(msg);
    return ok;
}

json_t *ow_ex_receipt_sign(const ow_ex_receipt *r, const ow_ex_key *key) {
    ow_ex_receipt s = *r;
    s.key_id = key->key_id;
    char *msg = receipt_canon(&s);
    char sig[100];
    sign_b64(msg, key, sig);
    free(msg);
    return json_pack("{s:i,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "v", OW_EX_VERSION, "message_id",
                     s.message_id, "sender", s.sender, "receiver", s.receiver, "at",
                     (json_int_t)s.at, "status", s.status, "payload_hash", s.payload_hash, "key_id",
                     s.key_id, "sig", sig);
}

int ow_ex_receipt_parse(const json_t *o, ow_ex_receipt *r, ow_err *e) {
    memset(r, 0, sizeof *r);
    if (!json_is_object(o))
        return ow_err_setk(e, OW_EINVAL, "bad_receipt", "receipt", "回执应为 JSON 对象");
    int rc;
    if ((rc = str_field(o, "message_id", 64, &r->message_id, e)) ||
        (rc = str_field(o, "sender", OW_EX_INSTANCE_MAX_BYTES, &r->sender, e)) ||
        (rc = str_field(o, "receiver", OW_EX_INSTANCE_MAX_BYTES, &r->receiver, e)) ||
        (rc = str_field(o, "status", 16, &r->status, e)) ||
        (rc = str_field(o, "payload_hash", 64, &r->payload_hash, e)) ||
        (rc = str_field(o, "key_id", OW_EX_KEY_ID_CHARS, &r->key_id, e)) ||
        (rc = str_field(o, "sig", 100, &r->sig, e)))
        return rc;
    json_t *at = json_object_get(o, "at");
    if (!json_is_integer(at))
        return ow_err_setk(e, OW_EINVAL, "bad_receipt", "at", "回执的 at 应为整数");
    r->at = json_integer_value(at);
    return OW_OK;
}

bool ow_ex_receipt_verify(const ow_ex_receipt *r, const unsigned char pk[32]) {
    char *msg = receipt_canon(r);
    bool ok = verify_b64(msg, r->sig, pk);
    free(msg);
    return ok;
}

/* ---- the e-license hub's fields ---- */

int ow_ex_holder_hmac(const char *key_hex, const char *number, char out[65], ow_err *e) {
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
    size_t len = 0;
    if (!key_hex || strlen(key_hex) != 2 * sizeof key ||
        sodium_hex2bin(key, sizeof key, key_hex, strlen(key_hex), NULL, &len, NULL) != 0 ||
        len != sizeof key)
        return ow_err_set(e, OW_EINVAL, "exchange_holder_key",
                          "exchange_holder_key 应为 64 位十六进制数（全市共用）");
    /* an ID number's check digit X is written either way; the HMAC must not care */
    size_t n = strlen(number);
    char *up = malloc(n + 1);
    if (!up) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    for (size_t i = 0; i <= n; i++)
        up[i] = number[i] >= 'a' && number[i] <= 'z' ? (char)(number[i] - 32) : number[i];
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, (const unsigned char *)up, n, key);
    sodium_memzero(key, sizeof key);
    free(up);
    sodium_bin2hex(out, 65, mac, sizeof mac);
    return OW_OK;
}

void ow_ex_license_hash(const ow_ex_license_fields *l, char out[65]) {
    const char *v[] = {"ow-license-1",   l->number, l->type,        l->holder_kind,
                       l->holder_masked, l->issuer, l->issued_date, l->valid_until,
                       l->doc_code,      l->data};
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        const char *s = v[i] ? v[i] : "";
        crypto_hash_sha256_update(&st, (const unsigned char *)s, strlen(s));
        crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, 65, h, sizeof h);
}
