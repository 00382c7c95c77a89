/* oidc.c — see oidc.h.  What cjose does not do and this file does: pick the key by kid,
 * refuse algorithms we do not take (none, HS*: a shared-secret MAC keyed with the public
 * key is the classic confusion attack), and check the claims, which OpenID Connect Core
 * §3.1.3.7 lists and no JOSE library knows. */
#include "identity/oidc.h"

#include <cjose/cjose.h>
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

#define HTTP_MAX_BYTES (1024 * 1024)
#define DISCOVERY_TTL_US (3600LL * 1000000)
/* A token naming a key we do not hold makes us fetch the JWKS again (the provider rotated
 * its keys), at most once a second.  Tokens reach us only from the provider's token
 * endpoint, over our own request, so nobody else can feed us made-up kids; the limit is
 * there for a provider that signs with a key it does not publish. */
#define JWKS_REFETCH_US (1LL * 1000000)

struct ow_oidc {
    char issuer[256], client_id[128], client_secret[256];
    int skew_s;
    pthread_mutex_t mu;
    /* discovery */
    int64_t discovered_us;
    char authorization[512], token[512], jwks_uri[512], end_session[512];
    /* the JWKS as fetched (an object with "keys") */
    json_t *jwks;
    int64_t jwks_fetched_us;
};

/* ---------------- HTTP (libcurl) ---------------- */

typedef struct body {
    char *p;
    size_t n;
    bool too_big;
} body;

static size_t on_data(char *p, size_t size, size_t nmemb, void *arg) {
    body *b = arg;
    size_t n = size * nmemb;
    if (b->n + n > HTTP_MAX_BYTES) {
        b->too_big = true;
        return 0;
    }
    char *q = realloc(b->p, b->n + n + 1);
    if (!q) return 0;
    memcpy(q + b->n, p, n);
    b->n += n;
    q[b->n] = '\0';
    b->p = q;
    return n;
}

/* GET url (form NULL) or POST form with basic auth; the answer's status and JSON body. */
static int http_json(const ow_oidc *o, const char *url, const char *form, long *status,
                     json_t **out, ow_err *e) {
    *out = NULL;
    CURL *c = curl_easy_init();
    if (!c) return ow_err_set(e, OW_ENOMEM, "", "无法创建 HTTP 客户端");
    body b = {0};
    struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    if (form) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
        /* client_secret_basic: RFC 6749 §2.3.1 wants both form-urlencoded first */
        char *id = curl_easy_escape(c, o->client_id, 0),
             *sec = curl_easy_escape(c, o->client_secret, 0);
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, id ? id : "");
        curl_easy_setopt(c, CURLOPT_PASSWORD, sec ? sec : "");
        curl_free(id);
        curl_free(sec);
    }
    CURLcode cc = curl_easy_perform(c);
    *status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    int rc = OW_OK;
    if (cc != CURLE_OK) {
        rc = ow_err_setk(e, OW_EINTERNAL, "provider_unreachable", "",
                         "统一身份认证平台暂时无法访问（%s），请稍后再试", curl_easy_strerror(cc));
        e->http_status = 502;
    } else if (!b.p || !(*out = json_loads(b.p, 0, NULL)) || !json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        rc = ow_err_setk(e, OW_EINTERNAL, "provider_answer", "",
                         "统一身份认证平台的应答无法识别（HTTP %ld）", *status);
        e->http_status = 502;
    }
    free(b.p);
    return rc;
}

ow_oidc *ow_oidc_new(const ow_config *cfg) {
    if (!cfg->oidc_issuer[0]) return NULL;
    ow_oidc *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    snprintf(o->issuer, sizeof o->issuer, "%s", cfg->oidc_issuer);
    snprintf(o->client_id, sizeof o->client_id, "%s", cfg->oidc_client_id);
    snprintf(o->client_secret, sizeof o->client_secret, "%s", cfg->oidc_client_secret);
    o->skew_s = cfg->oidc_clock_skew_s;
    pthread_mutex_init(&o->mu, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return o;
}

void ow_oidc_free(ow_oidc *o) {
    if (!o) return;
    json_decref(o->jwks);
    pthread_mutex_destroy(&o->mu);
    free(o);
    curl_global_cleanup();
}

const char *ow_oidc_issuer(const ow_oidc *o) {
    return o->issuer;
}

/* ---------------- discovery ---------------- */

static int copy_url(json_t *m, const char *key, bool required, char *dst, size_t size, ow_err *e) {
    const char *v = json_string_value(json_object_get(m, key));
    if (!v && !required) {
        dst[0] = '\0';
        return OW_OK;
    }
    if (!v || strlen(v) >= size || (strncmp(v, "https://", 8) && strncmp(v, "http://", 7))) {
        ow_err_setk(e, OW_EINTERNAL, "provider_answer", "", "统一身份认证平台的配置缺少或有误：%s",
                    key);
        e->http_status = 502;
        return OW_EINTERNAL;
    }
    snprintf(dst, size, "%s", v);
    return OW_OK;
}

int ow_oidc_discover(ow_oidc *o, ow_arena *a, ow_oidc_endpoints *out, ow_err *e) {
    int64_t now = ow_clock_mono_us();
    pthread_mutex_lock(&o->mu);
    bool fresh = o->discovered_us && now - o->discovered_us < DISCOVERY_TTL_US;
    pthread_mutex_unlock(&o->mu);
    if (!fresh) {
        char url[512];
        size_t n = strlen(o->issuer);
        snprintf(url, sizeof url, "%s%s.well-known/openid-configuration", o->issuer,
                 n && o->issuer[n - 1] == '/' ? "" : "/");
        long status;
        json_t *m;
        int rc = http_json(o, url, NULL, &status, &m, e);
        if (rc) return rc;
        char authz[512], token[512], jwks[512], end[512];
        const char *iss = json_string_value(json_object_get(m, "issuer"));
        /* Discovery §4.3: the issuer the document names must be the one we asked. */
        if (!iss || strcmp(iss, o->issuer)) {
            json_decref(m);
            ow_err_setk(e, OW_EINTERNAL, "provider_answer", "",
                        "统一身份认证平台声明的 issuer 与配置不一致");
            e->http_status = 502;
            return OW_EINTERNAL;
        }
        rc = copy_url(m, "authorization_endpoint", true, authz, sizeof authz, e);
        if (!rc) rc = copy_url(m, "token_endpoint", true, token, sizeof token, e);
        if (!rc) rc = copy_url(m, "jwks_uri", true, jwks, sizeof jwks, e);
        if (!rc) rc = copy_url(m, "end_session_endpoint", false, end, sizeof end, e);
        json_decref(m);
        if (rc) return rc;
        pthread_mutex_lock(&o->mu);
        memcpy(o->authorization, authz, sizeof authz);
        memcpy(o->token, token, sizeof token);
        memcpy(o->jwks_uri, jwks, sizeof jwks);
        memcpy(o->end_session, end, sizeof end);
        o->discovered_us = now;
        pthread_mutex_unlock(&o->mu);
    }
    pthread_mutex_lock(&o->mu);
    out->authorization = ow_strdup(a, o->authorization);
    out->token = ow_strdup(a, o->token);
    out->jwks = ow_strdup(a, o->jwks_uri);
    out->end_session = ow_strdup(a, o->end_session);
    pthread_mutex_unlock(&o->mu);
    return OW_OK;
}

/* ---------------- PKCE and URLs ---------------- */

void ow_oidc_pkce_challenge(const char *verifier, char out[44]) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
    sodium_bin2base64(out, 44, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

const char *ow_oidc_urlencode(ow_arena *a, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *o = ow_alloc(a, n * 3 + 1), *p = o;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
            strchr("-._~", *c)) {
            *p++ = (char)*c;
        } else {
            *p++ = '%';
            *p++ = hex[*c >> 4];
            *p++ = hex[*c & 15];
        }
    }
    *p = '\0';
    return o;
}

/* ---------------- the code exchange ---------------- */

int ow_oidc_exchange(ow_oidc *o, const char *code, const char *verifier, const char *redirect_uri,
                     ow_arena *a, const char **id_token, ow_err *e) {
    ow_oidc_endpoints ep;
    int rc = ow_oidc_discover(o, a, &ep, e);
    if (rc) return rc;
    size_t cap = strlen(code) * 3 + strlen(verifier) * 3 + strlen(redirect_uri) * 3 + 128;
    char *form = ow_alloc(a, cap);
    snprintf(form, cap, "grant_type=authorization_code&code=%s&redirect_uri=%s&code_verifier=%s",
             ow_oidc_urlencode(a, code), ow_oidc_urlencode(a, redirect_uri),
             ow_oidc_urlencode(a, verifier));
    long status;
    json_t *r;
    if ((rc = http_json(o, ep.token, form, &status, &r, e))) return rc;
    const char *tok = json_string_value(json_object_get(r, "id_token"));
    if (status != 200 || !tok) {
        const char *err = json_string_value(json_object_get(r, "error"));
        ow_err_setk(e, OW_EUNAUTH, "token_exchange_failed", "code",
                    "统一身份认证平台拒绝了本次登录（%s），请重新登录", err ? err : "no id_token");
        json_decref(r);
        return OW_EUNAUTH;
    }
    *id_token = ow_strdup(a, tok);
    json_decref(r);
    return OW_OK;
}

/* ---------------- keys ---------------- */

static int fetch_jwks(ow_oidc *o, ow_err *e) {
    ow_arena *a = ow_arena_new(4096);
    if (!a) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    ow_oidc_endpoints ep;
    int rc = ow_oidc_discover(o, a, &ep, e);
    long status = 0;
    json_t *k = NULL;
    if (!rc) rc = http_json(o, ep.jwks, NULL, &status, &k, e);
    ow_arena_free(a);
    if (rc) return rc;
    if (status != 200 || !json_is_array(json_object_get(k, "keys"))) {
        json_decref(k);
        ow_err_setk(e, OW_EINTERNAL, "provider_answer", "", "统一身份认证平台的公钥集无法识别");
        e->http_status = 502;
        return OW_EINTERNAL;
    }
    pthread_mutex_lock(&o->mu);
    json_decref(o->jwks);
    o->jwks = k;
    o->jwks_fetched_us = ow_clock_mono_us();
    pthread_mutex_unlock(&o->mu);
    return OW_OK;
}

/* The signing key named kid (any signing key of the right type when the token names
 * none and the set holds exactly one), imported, or NULL. */
static cjose_jwk_t *find_key(ow_oidc *o, const char *kid, const char *kty) {
    cjose_jwk_t *jwk = NULL;
    pthread_mutex_lock(&o->mu);
    json_t *keys = json_object_get(o->jwks, "keys"), *k, *pick = NULL;
    size_t i;
    int candidates = 0;
    json_array_foreach(keys, i, k) {
        const char *use = json_string_value(json_object_get(k, "use"));
        const char *kk = json_string_value(json_object_get(k, "kty"));
        const char *id = json_string_value(json_object_get(k, "kid"));
        if ((use && strcmp(use, "sig")) || !kk || strcmp(kk, kty)) continue;
        if (kid ? (id && !strcmp(id, kid)) : true) {
            pick = k;
            candidates++;
        }
    }
    if (pick && (kid || candidates == 1)) {
        char *s = json_dumps(pick, JSON_COMPACT);
        cjose_err ce;
        if (s) jwk = cjose_jwk_import(s, strlen(s), &ce);
        free(s);
    }
    pthread_mutex_unlock(&o->mu);
    return jwk;
}

/* A refusal of a token: an ID token is 401 (the sign-in fails), a logout token 400 (the
 * provider's request was bad: Back-Channel Logout 1.0 §2.8). */
static int bad_token(ow_err *e, bool logout, const char *what, const char *msg) {
    char kind[48];
    snprintf(kind, sizeof kind, "%s_%s", logout ? "logout_token" : "id_token", what);
    if (logout) return ow_err_setk(e, OW_EINVAL, kind, "logout_token", "注销令牌无效：%s", msg);
    return ow_err_setk(e, OW_EUNAUTH, kind, "id_token", "身份令牌无效：%s，请重新登录", msg);
}

static cjose_jwk_t *key_for(ow_oidc *o, const char *kid, const char *kty, bool logout, ow_err *e) {
    pthread_mutex_lock(&o->mu);
    bool have = o->jwks != NULL;
    int64_t age = ow_clock_mono_us() - o->jwks_fetched_us;
    pthread_mutex_unlock(&o->mu);
    if (!have && fetch_jwks(o, e)) return NULL;
    cjose_jwk_t *k = find_key(o, kid, kty);
    if (!k && have && age > JWKS_REFETCH_US) {
        if (fetch_jwks(o, e)) return NULL;
        k = find_key(o, kid, kty);
    }
    if (!k && !e->code) bad_token(e, logout, "key", "签名密钥不在统一身份认证平台的公钥集中");
    return k;
}

/* ---------------- the ID token ---------------- */

static int bad(ow_err *e, const char *kind, const char *msg) {
    return bad_token(e, false, kind + strlen("id_token_"), msg);
}

static const char *kty_of(const char *alg) {
    static const char *rsa[] = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"};
    static const char *ec[] = {"ES256", "ES384", "ES512"};
    for (size_t i = 0; i < sizeof rsa / sizeof *rsa; i++)
        if (!strcmp(alg, rsa[i])) return "RSA";
    for (size_t i = 0; i < sizeof ec / sizeof *ec; i++)
        if (!strcmp(alg, ec[i])) return "EC";
    return NULL;
}

/* aud names us: our client id, or among several with azp ours (Core §3.1.3.7 4, 5). */
static bool for_us(const ow_oidc *o, json_t *c) {
    json_t *aud = json_object_get(c, "aud");
    bool ours = false;
    if (json_is_string(aud)) {
        ours = !strcmp(json_string_value(aud), o->client_id);
    } else if (json_is_array(aud)) {
        size_t i;
        json_t *v;
        json_array_foreach(aud, i, v) {
            if (json_is_string(v) && !strcmp(json_string_value(v), o->client_id)) ours = true;
        }
        /* Core §3.1.3.7 (4, 5): with other audiences too, azp must name us. */
        const char *azp = json_string_value(json_object_get(c, "azp"));
        if (ours && json_array_size(aud) > 1 && (!azp || strcmp(azp, o->client_id))) ours = false;
    }
    return ours;
}

static int check_claims(const ow_oidc *o, json_t *c, const char *nonce, int64_t now_ms, ow_err *e) {
    const char *iss = json_string_value(json_object_get(c, "iss"));
    if (!iss || strcmp(iss, o->issuer)) return bad(e, "id_token_issuer", "签发方不符");
    if (!for_us(o, c)) return bad(e, "id_token_audience", "不是签发给本平台的");
    json_t *exp = json_object_get(c, "exp"), *iat = json_object_get(c, "iat");
    int64_t now_s = now_ms / 1000;
    if (!json_is_integer(exp) || json_integer_value(exp) + o->skew_s < now_s)
        return bad(e, "id_token_expired", "已过期");
    if (!json_is_integer(iat) || json_integer_value(iat) > now_s + o->skew_s)
        return bad(e, "id_token_iat", "签发时间不对");
    const char *n = json_string_value(json_object_get(c, "nonce"));
    if (!n || !nonce || strlen(n) != strlen(nonce) || sodium_memcmp(n, nonce, strlen(nonce)) != 0)
        return bad(e, "id_token_nonce", "与本次登录不对应");
    const char *sub = json_string_value(json_object_get(c, "sub"));
    if (!sub || !*sub || strlen(sub) > 255) return bad(e, "id_token_subject", "缺少用户标识");
    return OW_OK;
}

/* The token's signature checked against the provider's JWKS (RS, PS, ES only), and its
 * payload as a JSON object; errors as bad_token. */
static int jws_claims(ow_oidc *o, const char *token, bool logout, json_t **out, ow_err *e) {
    *out = NULL;
    cjose_err ce;
    cjose_jws_t *jws = cjose_jws_import(token, strlen(token), &ce);
    if (!jws) return bad_token(e, logout, "malformed", "格式不对");
    cjose_header_t *h = cjose_jws_get_protected(jws);
    const char *alg = h ? cjose_header_get(h, CJOSE_HDR_ALG, &ce) : NULL;
    const char *kid = h ? cjose_header_get(h, CJOSE_HDR_KID, &ce) : NULL;
    const char *kty = alg ? kty_of(alg) : NULL;
    int rc = OW_OK;
    if (!kty) rc = bad_token(e, logout, "alg", "签名算法不被接受");
    cjose_jwk_t *k = rc ? NULL : key_for(o, kid, kty, logout, e);
    if (!rc && !k) rc = e->code ? e->code : OW_EUNAUTH;
    if (!rc && !cjose_jws_verify(jws, k, &ce)) rc = bad_token(e, logout, "signature", "签名不正确");
    uint8_t *pt = NULL;
    size_t n = 0;
    if (!rc && !cjose_jws_get_plaintext(jws, &pt, &n, &ce))
        rc = bad_token(e, logout, "malformed", "格式不对");
    json_t *c = rc ? NULL : json_loadb((const char *)pt, n, 0, NULL);
    if (!rc && !json_is_object(c)) rc = bad_token(e, logout, "malformed", "格式不对");
    if (k) cjose_jwk_release(k);
    cjose_jws_release(jws);
    if (rc) {
        json_decref(c);
        return rc;
    }
    *out = c;
    return OW_OK;
}

int ow_oidc_verify(ow_oidc *o, const char *id_token, const char *nonce, int64_t now_ms,
                   json_t **claims, ow_err *e) {
    json_t *c;
    int rc = jws_claims(o, id_token, false, &c, e);
    if (!rc && (rc = check_claims(o, c, nonce, now_ms, e))) json_decref(c);
    *claims = rc ? NULL : c;
    return rc;
}

/* ---------------- the logout token (Back-Channel Logout 1.0 §2.4, §2.6) ---------------- */

#define BACKCHANNEL_EVENT "http://schemas.openid.net/event/backchannel-logout"

static int check_logout_claims(const ow_oidc *o, json_t *c, int64_t now_ms, ow_err *e) {
    const char *iss = json_string_value(json_object_get(c, "iss"));
    if (!iss || strcmp(iss, o->issuer)) return bad_token(e, true, "issuer", "签发方不符");
    if (!for_us(o, c)) return bad_token(e, true, "audience", "不是签发给本平台的");
    int64_t now_s = now_ms / 1000;
    json_t *iat = json_object_get(c, "iat"), *exp = json_object_get(c, "exp");
    /* issued now, give or take the skew: an old token is refused rather than remembered
     * for ever (its jti is kept for OW_OIDC_LOGOUT_MAX_AGE_S) */
    if (!json_is_integer(iat) || json_integer_value(iat) > now_s + o->skew_s ||
        json_integer_value(iat) < now_s - OW_OIDC_LOGOUT_MAX_AGE_S - o->skew_s)
        return bad_token(e, true, "iat", "签发时间不对");
    if (exp && (!json_is_integer(exp) || json_integer_value(exp) + o->skew_s < now_s))
        return bad_token(e, true, "expired", "已过期");
    const char *jti = json_string_value(json_object_get(c, "jti"));
    if (!jti || !*jti || strlen(jti) > 255) return bad_token(e, true, "jti", "缺少令牌编号（jti）");
    json_t *events = json_object_get(c, "events");
    if (!json_is_object(events) || !json_is_object(json_object_get(events, BACKCHANNEL_EVENT)))
        return bad_token(e, true, "events", "不是注销事件");
    if (json_object_get(c, "nonce")) return bad_token(e, true, "nonce", "不应带 nonce");
    const char *sub = json_string_value(json_object_get(c, "sub"));
    const char *sid = json_string_value(json_object_get(c, "sid"));
    if ((!sub || !*sub) && (!sid || !*sid))
        return bad_token(e, true, "subject", "既无 sub 也无 sid");
    if ((sub && strlen(sub) > 255) || (sid && strlen(sid) > 255))
        return bad_token(e, true, "subject", "sub 或 sid 过长");
    return OW_OK;
}

int ow_oidc_verify_logout(ow_oidc *o, const char *logout_token, int64_t now_ms, json_t **claims,
                          ow_err *e) {
    json_t *c;
    int rc = jws_claims(o, logout_token, true, &c, e);
    if (!rc && (rc = check_logout_claims(o, c, now_ms, e))) json_decref(c);
    *claims = rc ? NULL : c;
    return rc;
}
