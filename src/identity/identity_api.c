/* identity_api.c — sign-in through the identity platform: the way to the provider, its
 * way back, signing out of both, and administrators binding staff accounts to provider
 * identities (docs/api.md; decision 0007 says why each check is there).
 *
 * A sign-in takes three requests of the browser and these hops:
 *   GET /api/v1/oidc/login     pool: discovery (cached) · writer: the state, nonce and PKCE
 *                              verifier recorded · 302 to the provider, state in a cookie
 *   (the provider's own pages: the person signs in there)
 *   GET /api/v1/oidc/callback  inline: the state of the URL must be the cookie's · writer:
 *                              the state taken, once · pool: the code exchanged, the ID
 *                              token checked · writer: the account found, created or
 *                              refused, the session opened · 302 to where the person was
 * and when the provider ends a session there, it tells us (OIDC Back-Channel Logout 1.0):
 *   POST /api/v1/oidc/backchannel-logout  inline: the form body streamed in · pool: the
 *                              logout token checked · writer: its jti taken once, the
 *                              sessions of that identity / provider session ended · 200 */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account/account.h"
#include "app/app.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/json.h"
#include "identity/identity.h"
#include "identity/identity_api.h"
#include "identity/oidc.h"
#include "store/identity_store.h"

#define STATE_COOKIE "ow_oidc_state"
#define LOGIN_TTL_MS (10 * 60 * 1000)      /* a sign-in must come back within 10 minutes */
#define LOGIN_KEEP_MS (24 * 3600 * 1000LL) /* spent and abandoned states kept a day */
#define CALLBACK_PATH "/api/v1/oidc/callback"

static ow_oidc *g_oidc; /* NULL: off (oidc_issuer is "") */

int ow_identity_start(const ow_config *cfg, ow_err *e) {
    if (!cfg->oidc_issuer[0]) return OW_OK;
    if (!cfg->oidc_client_id[0])
        return ow_err_set(e, OW_EINVAL, "oidc_client_id",
                          "设置了 oidc_issuer 时必须设置 oidc_client_id");
    g_oidc = ow_oidc_new(cfg);
    return g_oidc ? OW_OK : ow_err_set(e, OW_ENOMEM, "", "内存不足");
}

void ow_identity_stop(void) {
    ow_oidc_free(g_oidc);
    g_oidc = NULL;
}

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

static int disabled(ow_req *rq) {
    return ow_err_setk(&CX(rq)->err, OW_ENOTFOUND, "oidc_disabled", "",
                       "本平台未启用统一身份认证登录");
}

/* Where we are reached: public_url when set, else the request's Host (docs/operations.md
 * says to set public_url behind TLS).  NULL when Host is missing or odd. */
static const char *our_origin(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    const char *pub = cx->app->cfg.public_url;
    if (pub[0]) {
        size_t n = strlen(pub);
        while (n && pub[n - 1] == '/')
            n--;
        char *o = ow_alloc(cx->arena, n + 1);
        memcpy(o, pub, n);
        o[n] = '\0';
        return o;
    }
    const char *host = ow_req_header(rq, "Host");
    if (!host || !*host || strlen(host) > 255 ||
        strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
            strlen(host))
        return NULL;
    size_t n = strlen(host) + 8;
    char *o = ow_alloc(cx->arena, n);
    snprintf(o, n, "http://%s", host);
    return o;
}

static const char *redirect_uri(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    if (cx->app->cfg.oidc_redirect_uri[0]) return cx->app->cfg.oidc_redirect_uri;
    const char *o = our_origin(rq);
    if (!o) return NULL;
    size_t n = strlen(o) + sizeof CALLBACK_PATH;
    char *u = ow_alloc(cx->arena, n);
    snprintf(u, n, "%s%s", o, CALLBACK_PATH);
    return u;
}

/* A path of ours to come back to: "/…", not "//…" (another host) nor with a backslash or
 * a control character (browsers read "/\evil" as "//evil"). */
static bool local_path(const char *p) {
    if (!p || p[0] != '/' || p[1] == '/' || strlen(p) > 500) return false;
    for (const unsigned char *c = (const unsigned char *)p; *c; c++)
        if (*c < 0x20 || *c == 0x7f || *c == '\\') return false;
    return true;
}

static void state_cookie(ow_req *rq, const char *state, int max_age_s) {
    char c[200];
    snprintf(c, sizeof c,
             STATE_COOKIE "=%s; Path=/api/v1/oidc/; HttpOnly; SameSite=Lax; Max-Age=%d%s", state,
             max_age_s, CX(rq)->app->cfg.cookie_secure ? "; Secure" : "");
    ow_reply_header(rq, "Set-Cookie", c);
}

/* ---------------- GET /api/v1/oidc/config ---------------- */

static int api_config(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    return ow_reply_json(rq, 200,
                         json_pack("{s:b,s:b}", "enabled", g_oidc != NULL,
                                   "local_citizen_passwords",
                                   cx->app->cfg.local_citizen_passwords));
}

/* ---------------- GET /api/v1/oidc/login ---------------- */

typedef struct login {
    char state[44], nonce[44], verifier[44];
    const char *redirect_uri, *return_to, *location;
} login;

static int login_commit(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    login *l = ow_req_data(rq);
    char sh[65];
    ow_token_hash(l->state, sh);
    int64_t now = ow_clock_now_ms(cx->clock);
    int rc = ow_identity_store_login_purge(cx->db, now - LOGIN_KEEP_MS, &cx->err);
    if (!rc)
        rc = ow_identity_store_login_insert(cx->db, sh, l->nonce, l->verifier, l->redirect_uri,
                                            l->return_to, now, &cx->err);
    if (rc) return rc;
    state_cookie(rq, l->state, LOGIN_TTL_MS / 1000);
    ow_reply_header(rq, "Location", l->location);
    ow_reply_header(rq, "Cache-Control", "no-store");
    return ow_reply_empty(rq, 302);
}

static int login_discover(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    login *l = ow_req_data(rq);
    ow_oidc_endpoints ep;
    int rc = ow_oidc_discover(g_oidc, cx->arena, &ep, &cx->err);
    if (rc) return rc;
    char challenge[44];
    ow_oidc_pkce_challenge(l->verifier, challenge);
    const ow_config *cfg = &cx->app->cfg;
    ow_arena *a = cx->arena;
    const char *parts[] = {ep.authorization,
                           strchr(ep.authorization, '?') ? "&" : "?",
                           "response_type=code&client_id=",
                           ow_oidc_urlencode(a, cfg->oidc_client_id),
                           "&redirect_uri=",
                           ow_oidc_urlencode(a, l->redirect_uri),
                           "&scope=",
                           ow_oidc_urlencode(a, cfg->oidc_scopes),
                           "&state=",
                           l->state,
                           "&nonce=",
                           l->nonce,
                           "&code_challenge=",
                           challenge,
                           "&code_challenge_method=S256"};
    size_t n = 1;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        n += strlen(parts[i]);
    char *u = ow_alloc(a, n), *p = u;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        size_t k = strlen(parts[i]);
        memcpy(p, parts[i], k);
        p += k;
    }
    *p = '\0';
    l->location = u;
    ow_req_then(rq, login_commit, OW_ON_WRITER);
    return OW_OK;
}

static int api_login(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    if (!g_oidc) return disabled(rq);
    login *l = ow_alloc(cx->arena, sizeof *l);
    const char *back = ow_req_query(rq, "return_to");
    if (back && !local_path(back))
        return ow_err_set(&cx->err, OW_EINVAL, "return_to", "登录后返回的地址应为本站的路径");
    l->return_to = back ? back : "/";
    if (!(l->redirect_uri = redirect_uri(rq)))
        return ow_err_set(&cx->err, OW_EINVAL, "Host", "无法确定本站地址，请设置 public_url");
    ow_random_token(l->state);
    ow_random_token(l->nonce);
    ow_random_token(l->verifier); /* 43 characters of base64url: RFC 7636 §4.1 */
    ow_req_set_data(rq, l);
    ow_req_then(rq, login_discover, OW_ON_POOL);
    return OW_OK;
}

/* ---------------- GET /api/v1/oidc/callback ---------------- */

typedef struct callback {
    const char *state, *code;
    ow_oidc_login_row row;
    const char *id_token, *sub, *level, *name, *mobile, *id_number, *uscc, *sid;
} callback;

static const char *claim_str(ow_arena *a, json_t *c, const char *name) {
    if (!name || !*name) return NULL;
    json_t *v = json_object_get(c, name);
    if (json_is_string(v)) return ow_strdup(a, json_string_value(v));
    if (json_is_integer(v)) {
        char b[32];
        snprintf(b, sizeof b, "%lld", (long long)json_integer_value(v));
        return ow_strdup(a, b);
    }
    return NULL;
}

static int finish(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    callback *c = ow_req_data(rq);
    const char *iss = ow_oidc_issuer(g_oidc);
    int64_t now = ow_clock_now_ms(cx->clock);
    ow_identity_link_row link;
    bool found, created = false;
    int rc = ow_identity_store_link_find(cx->db, iss, c->sub, cx->arena, &link, &found, &cx->err);
    if (rc) return rc;
    int64_t uid = link.user_id, link_id = link.id;
    if (!found) {
        /* Not seen before: a citizen by the ID number the provider vouches for, an
         * enterprise by its USCC; a staff member only through an administrator's binding. */
        const char *kind = c->id_number ? "citizen" : c->uscc ? "enterprise" : NULL;
        if (!kind)
            return ow_err_setk(
                &cx->err, OW_EFORBIDDEN, "identity_not_bound", "",
                "该统一身份认证账号尚未绑定本平台账号；工作人员请联系系统管理员绑定");
        rc = ow_account_holder_find_or_create(cx, kind, c->id_number ? c->id_number : c->uscc,
                                              c->name, c->mobile, &uid, &created);
        if (rc) return rc;
        if ((rc = ow_identity_store_link_insert(cx->db, iss, c->sub, uid, 0, now, &link_id,
                                                &cx->err)))
            return rc;
    }
    bool exists, active;
    char kind[16];
    if ((rc = ow_account_state(cx, uid, &exists, &active, kind))) return rc;
    if (!exists || !active)
        return ow_err_setk(&cx->err, OW_EFORBIDDEN, "account_disabled", "",
                           "该账号已停用，请联系系统管理员");
    const char *level = c->level ? c->level : "";
    char token[44];
    if ((rc = ow_identity_store_link_signed_in(cx->db, link_id, level, now, &cx->err)) ||
        (rc = ow_session_open(cx, uid, ow_req_header(rq, "User-Agent"), token)) ||
        (rc = ow_identity_store_session_insert(cx->db, cx->actor.session_id, link_id, c->id_token,
                                               level, c->sid, &cx->err)))
        return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)uid);
    json_t *d =
        json_pack("{s:s,s:s,s:s,s:b,s:I}", "issuer", iss, "subject", c->sub, "level", level,
                  "account_created", created, "session_id", (json_int_t)cx->actor.session_id);
    rc = ow_audit_append(cx, "identity.sign_in", "user", ids, d);
    json_decref(d);
    if (rc) return rc;
    char cookie[256];
    ow_session_cookie(cx, token, cx->app->cfg.session_ttl_min * 60, cookie);
    ow_reply_header(rq, "Set-Cookie", cookie);
    state_cookie(rq, "", 0);
    ow_reply_header(rq, "Location", c->row.return_to);
    ow_reply_header(rq, "Cache-Control", "no-store");
    return ow_reply_empty(rq, 302);
}

static int exchange(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    callback *c = ow_req_data(rq);
    int rc = ow_oidc_exchange(g_oidc, c->code, c->row.verifier, c->row.redirect_uri, cx->arena,
                              &c->id_token, &cx->err);
    json_t *claims;
    if (rc || (rc = ow_oidc_verify(g_oidc, c->id_token, c->row.nonce, ow_clock_now_ms(cx->clock),
                                   &claims, &cx->err)))
        return rc;
    const ow_config *cfg = &cx->app->cfg;
    c->sub = claim_str(cx->arena, claims, "sub");
    c->level = claim_str(cx->arena, claims, cfg->oidc_claim_level);
    c->name = claim_str(cx->arena, claims, "name");
    c->mobile = claim_str(cx->arena, claims, "phone_number");
    c->sid = claim_str(cx->arena, claims, "sid");
    c->id_number = claim_str(cx->arena, claims, cfg->oidc_claim_id_number);
    c->uscc = claim_str(cx->arena, claims, cfg->oidc_claim_uscc);
    json_decref(claims);
    ow_req_then(rq, finish, OW_ON_WRITER);
    return OW_OK;
}

static int take_state(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    callback *c = ow_req_data(rq);
    char sh[65];
    ow_token_hash(c->state, sh);
    int64_t now = ow_clock_now_ms(cx->clock);
    bool found, used;
    int rc =
        ow_identity_store_login_take(cx->db, sh, now, cx->arena, &c->row, &found, &used, &cx->err);
    if (rc) return rc;
    if (!found)
        return ow_err_setk(&cx->err, OW_EINVAL, "state_unknown", "state",
                           "登录请求无效或已过期，请重新登录");
    if (used)
        return ow_err_setk(&cx->err, OW_EINVAL, "state_replayed", "state",
                           "该登录请求已使用过，请重新登录");
    if (now - c->row.created_at > LOGIN_TTL_MS)
        return ow_err_setk(&cx->err, OW_EINVAL, "state_expired", "state",
                           "登录请求已超过 10 分钟，请重新登录");
    ow_req_then(rq, exchange, OW_ON_POOL);
    return OW_OK;
}

static int api_callback(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    if (!g_oidc) return disabled(rq);
    callback *c = ow_alloc(cx->arena, sizeof *c);
    c->state = ow_req_query(rq, "state");
    c->code = ow_req_query(rq, "code");
    const char *err = ow_req_query(rq, "error");
    if (err) {
        char e[64];
        snprintf(e, sizeof e, "%s", err);
        return ow_err_setk(&cx->err, OW_EUNAUTH, "provider_refused", "",
                           "统一身份认证平台未完成登录（%s），请重新登录", e);
    }
    if (!c->state || strlen(c->state) != OW_TOKEN_CHARS)
        return ow_err_setk(&cx->err, OW_EINVAL, "state_unknown", "state",
                           "登录请求无效或已过期，请重新登录");
    if (!c->code || !*c->code || strlen(c->code) > 2048)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "code", "缺少授权码");
    /* The state must come back to the browser that went out with it: otherwise someone
     * could hand a victim a callback URL of their own sign-in (login CSRF). */
    const char *mine = ow_req_cookie(rq, STATE_COOKIE);
    if (!mine || strlen(mine) != OW_TOKEN_CHARS ||
        sodium_memcmp(mine, c->state, OW_TOKEN_CHARS) != 0)
        return ow_err_setk(&cx->err, OW_EINVAL, "state_mismatch", "state",
                           "登录请求不是从本浏览器发起的，请重新登录");
    ow_req_set_data(rq, c);
    ow_req_then(rq, take_state, OW_ON_WRITER);
    return OW_OK;
}

/* ---------------- DELETE /api/v1/oidc/session ---------------- */

typedef struct logout {
    const char *end_session;
} logout;

static int logout_commit(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    logout *l = ow_req_data(rq);
    const char *id_token = NULL;
    int rc = ow_identity_store_session_token(cx->db, cx->actor.session_id, cx->arena, &id_token,
                                             &cx->err);
    if (rc || (rc = ow_session_end(cx, "sign_out"))) return rc;
    char cookie[256];
    ow_session_cookie(cx, "", 0, cookie);
    ow_reply_header(rq, "Set-Cookie", cookie);
    json_t *url = json_null();
    if (id_token && l->end_session && *l->end_session) {
        const char *o = cx->app->cfg.oidc_post_logout_uri;
        if (!*o) {
            const char *origin = our_origin(rq);
            size_t n = origin ? strlen(origin) + 2 : 0;
            char *u = n ? ow_alloc(cx->arena, n) : NULL;
            if (u) snprintf(u, n, "%s/", origin);
            o = u ? u : "";
        }
        /* RP-Initiated Logout 1.0 §2 */
        ow_arena *a = cx->arena;
        size_t n = strlen(l->end_session) + strlen(id_token) + strlen(o) * 3 +
                   strlen(cx->app->cfg.oidc_client_id) * 3 + 96;
        char *u = ow_alloc(a, n);
        snprintf(u, n, "%s%sid_token_hint=%s&client_id=%s%s%s", l->end_session,
                 strchr(l->end_session, '?') ? "&" : "?", id_token,
                 ow_oidc_urlencode(a, cx->app->cfg.oidc_client_id),
                 *o ? "&post_logout_redirect_uri=" : "", *o ? ow_oidc_urlencode(a, o) : "");
        url = json_string(u);
    }
    return ow_reply_json(rq, 200, json_pack("{s:o}", "logout_url", url));
}

static int logout_discover(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    logout *l = ow_req_data(rq);
    ow_oidc_endpoints ep;
    /* The provider being down must not keep anyone signed in here. */
    if (g_oidc && ow_oidc_discover(g_oidc, cx->arena, &ep, &cx->err) == OW_OK)
        l->end_session = ep.end_session;
    ow_err_clear(&cx->err);
    ow_req_then(rq, logout_commit, OW_ON_WRITER);
    return OW_OK;
}

static int api_logout(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    if (!cx->actor.session_id) return ow_err_set(&cx->err, OW_EUNAUTH, "", "尚未登录");
    ow_req_set_data(rq, ow_alloc(cx->arena, sizeof(logout)));
    ow_req_then(rq, logout_discover, OW_ON_POOL);
    return OW_OK;
}

/* GET /api/v1/oidc/session: the provider identity the current session came through and
 * its assurance level (404 for a session opened with a password). */
static int api_session(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    const char *iss, *sub, *level;
    bool found;
    int rc = ow_identity_store_session_identity(cx->db, cx->actor.session_id, cx->arena, &iss, &sub,
                                                &level, &found, &cx->err);
    if (rc) return rc;
    if (!found)
        return ow_err_setk(&cx->err, OW_ENOTFOUND, "not_found", "", "本次登录未经过统一身份认证");
    return ow_reply_json(rq, 200,
                         json_pack("{s:s,s:s,s:s}", "issuer", iss, "subject", sub, "level", level));
}

/* ---------------- back-channel logout (OIDC Back-Channel Logout 1.0) ----------------
 *
 * The provider POSTs logout_token (application/x-www-form-urlencoded) when a session
 * ends there; the sessions opened here through that identity (sub) and/or provider
 * session (sid) end too.  The body is a form, which the JSON routes do not take, so the
 * route streams its (small) body into the arena; the token is verified on the pool (the
 * JWKS may need fetching), its jti taken once and the sessions ended on the writer. */

#define LOGOUT_BODY_MAX 16384
#define LOGOUT_SESSIONS_MAX 256

typedef struct bc_logout {
    char *body;
    size_t n;
    const char *token, *jti, *sub, *sid;
} bc_logout;

static int bc_chunk(ow_req *rq, const char *data, size_t n) {
    ow_ctx *cx = CX(rq);
    bc_logout *b = ow_req_data(rq);
    if (b->n + n > LOGOUT_BODY_MAX)
        return ow_err_set(&cx->err, OW_EINVAL, "logout_token", "注销请求过长");
    memcpy(b->body + b->n, data, n);
    b->n += n;
    b->body[b->n] = '\0';
    return OW_OK;
}

static int bc_finish(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    bc_logout *b = ow_req_data(rq);
    const char *iss = ow_oidc_issuer(g_oidc);
    int64_t now = ow_clock_now_ms(cx->clock);
    bool fresh;
    int rc = ow_identity_store_logout_jti(cx->db, b->jti, iss, now,
                                          now - 2 * (OW_OIDC_LOGOUT_MAX_AGE_S + 600) * 1000LL,
                                          &fresh, &cx->err);
    if (rc) return rc;
    if (!fresh)
        return ow_err_setk(&cx->err, OW_EINVAL, "logout_token_replayed", "logout_token",
                           "注销令牌无效：已使用过");
    int64_t *ids = ow_alloc(cx->arena, sizeof *ids * LOGOUT_SESSIONS_MAX);
    int64_t *users = ow_alloc(cx->arena, sizeof *users * LOGOUT_SESSIONS_MAX);
    int n = 0;
    if ((rc = ow_identity_store_logout_sessions(cx->db, iss, b->sub, b->sid, ids, users,
                                                LOGOUT_SESSIONS_MAX, &n, &cx->err)))
        return rc;
    for (int i = 0; i < n && !rc; i++)
        rc = ow_session_end_id(cx, ids[i], users[i], "backchannel_logout");
    if (rc) return rc;
    json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:i}", "issuer", iss, "subject", b->sub ? b->sub : "",
                          "sid", b->sid ? b->sid : "", "jti", b->jti, "sessions", n);
    rc = ow_audit_append(cx, "identity.backchannel_logout", "oidc", iss, d);
    json_decref(d);
    if (rc) return rc;
    return ow_reply_empty(rq, 200); /* Cache-Control: no-store, as every API answer */
}

/* The form's logout_token, percent-decoded (it is base64url and dots, but a form may
 * encode anything). */
static const char *form_value(ow_arena *a, const char *body, const char *name) {
    size_t k = strlen(name);
    for (const char *p = body; p && *p;) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len > k && !strncmp(p, name, k) && p[k] == '=') {
            char *out = ow_alloc(a, len - k), *o = out;
            for (const char *q = p + k + 1; q < p + len; q++) {
                if (*q == '+') {
                    *o++ = ' ';
                } else if (*q == '%' && q + 2 < p + len && isxdigit((unsigned char)q[1]) &&
                           isxdigit((unsigned char)q[2])) {
                    char hex[3] = {q[1], q[2], 0};
                    *o++ = (char)strtol(hex, NULL, 16);
                    q += 2;
                } else {
                    *o++ = *q;
                }
            }
            *o = '\0';
            return out;
        }
        p = amp ? amp + 1 : NULL;
    }
    return NULL;
}

static int bc_verify(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    bc_logout *b = ow_req_data(rq);
    b->token = form_value(cx->arena, b->body, "logout_token");
    if (!b->token || !*b->token)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "logout_token",
                           "缺少 logout_token");
    json_t *claims;
    int rc = ow_oidc_verify_logout(g_oidc, b->token, ow_clock_now_ms(cx->clock), &claims, &cx->err);
    if (rc) return rc;
    b->jti = claim_str(cx->arena, claims, "jti");
    b->sub = claim_str(cx->arena, claims, "sub");
    b->sid = claim_str(cx->arena, claims, "sid");
    json_decref(claims);
    ow_req_then(rq, bc_finish, OW_ON_WRITER);
    return OW_OK;
}

/* The body lives in the request's arena: nothing to release. */
static void bc_cleanup(ow_req *rq) {
    (void)rq;
}

static const ow_stream_ops BC_OPS = {
    .chunk = bc_chunk, .end = bc_verify, .end_where = OW_ON_POOL, .cleanup = bc_cleanup};

static int api_backchannel_logout(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    if (!g_oidc) return disabled(rq);
    const char *ct = ow_req_header(rq, "Content-Type");
    if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33)) {
        ow_err_setk(&cx->err, OW_EINVAL, "unsupported_media_type", "Content-Type", "%s",
                    "注销请求应为 application/x-www-form-urlencoded");
        cx->err.http_status = 415;
        return OW_EINVAL;
    }
    if (ow_req_content_length(rq) > LOGOUT_BODY_MAX)
        return ow_err_set(&cx->err, OW_EINVAL, "logout_token", "注销请求过长");
    bc_logout *b = ow_alloc(cx->arena, sizeof *b);
    memset(b, 0, sizeof *b);
    b->body = ow_alloc(cx->arena, LOGOUT_BODY_MAX + 1);
    b->body[0] = '\0';
    ow_req_set_data(rq, b);
    ow_req_stream(rq, &BC_OPS);
    return OW_OK;
}

/* ---------------- administrators bind staff accounts ---------------- */

static int admin_staff(ow_req *rq, int64_t *uid) {
    ow_ctx *cx = CX(rq);
    if (!ow_actor_is(&cx->actor, "admin"))
        return ow_err_setk(&cx->err, OW_EFORBIDDEN, "forbidden", "",
                           "只有系统管理员可以绑定统一身份认证账号");
    *uid = ow_req_param_id(rq, "id");
    bool found = false, active;
    char kind[16] = "";
    int rc = *uid > 0 ? ow_account_state(cx, *uid, &found, &active, kind) : OW_OK;
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "账号不存在");
    if (strcmp(kind, "staff"))
        return ow_err_setk(&cx->err, OW_EINVAL, "not_staff", "id",
                           "群众和企业账号按证件号码自动匹配，无需手工绑定");
    return OW_OK;
}

static int link_json(void *arg, const ow_identity_link_row *r) {
    json_array_append_new(
        arg, json_pack("{s:I,s:s,s:s,s:s,s:I,s:o}", "id", (json_int_t)r->id, "issuer", r->issuer,
                       "subject", r->subject, "level", r->level, "created_at",
                       (json_int_t)r->created_at, "last_sign_in_at",
                       r->last_sign_in_at ? json_integer(r->last_sign_in_at) : json_null()));
    return OW_OK;
}

static int api_links(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t uid;
    int rc = admin_staff(rq, &uid);
    if (rc) return rc;
    json_t *items = json_array();
    if ((rc = ow_identity_store_links_of(cx->db, uid, cx->arena, link_json, items, &cx->err))) {
        json_decref(items);
        return rc;
    }
    size_t n = json_array_size(items);
    return ow_reply_list(rq, items, (int64_t)n, 1, (int)(n ? n : 1));
}

static int staff_link_json(void *arg, const ow_identity_link_row *r) {
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:I,s:o,s:I,s:s,s:s}", "id", (json_int_t)r->id,
                          "issuer", r->issuer, "subject", r->subject, "level", r->level,
                          "created_at", (json_int_t)r->created_at, "last_sign_in_at",
                          r->last_sign_in_at ? json_integer(r->last_sign_in_at) : json_null(),
                          "user_id", (json_int_t)r->user_id, "username",
                          r->username ? r->username : "", "name", r->name ? r->name : "");
    json_array_append_new(arg, o);
    return OW_OK;
}

/* Every staff binding, for the workbench's screen (admin), and whether sign-in through
 * the provider is configured at all (without it nothing can be bound). */
static int api_all_links(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    if (!ow_actor_is(&cx->actor, "admin"))
        return ow_err_setk(&cx->err, OW_EFORBIDDEN, "forbidden", "",
                           "只有系统管理员可以查看统一身份认证绑定");
    json_t *items = json_array();
    int rc = ow_identity_store_staff_links(cx->db, cx->arena, staff_link_json, items, &cx->err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    return ow_reply_json(rq, 200,
                         json_pack("{s:o,s:I,s:o}", "items", items, "total",
                                   (json_int_t)json_array_size(items), "issuer",
                                   g_oidc ? json_string(ow_oidc_issuer(g_oidc)) : json_null()));
}

static int api_link_add(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t uid;
    int rc = admin_staff(rq, &uid);
    if (rc) return rc;
    if (!g_oidc) return disabled(rq);
    const char *sub;
    if (ow_json_str(ow_req_json(rq), "subject", true, 255, &sub, &cx->err)) return OW_EINVAL;
    const char *iss = ow_oidc_issuer(g_oidc);
    int64_t now = ow_clock_now_ms(cx->clock), id;
    rc =
        ow_identity_store_link_insert(cx->db, iss, sub, uid, cx->actor.user_id, now, &id, &cx->err);
    if (rc == OW_ECONFLICT)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "identity_taken", "subject",
                           "该统一身份认证账号已绑定其他账号");
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)uid);
    json_t *d =
        json_pack("{s:s,s:s,s:I}", "issuer", iss, "subject", sub, "link_id", (json_int_t)id);
    rc = ow_audit_append(cx, "identity.bind", "user", ids, d);
    json_decref(d);
    if (rc) return rc;
    return ow_reply_json(rq, 201,
                         json_pack("{s:I,s:s,s:s,s:s,s:I,s:n}", "id", (json_int_t)id, "issuer", iss,
                                   "subject", sub, "level", "", "created_at", (json_int_t)now,
                                   "last_sign_in_at"));
}

static int api_link_delete(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t uid;
    int rc = admin_staff(rq, &uid);
    if (rc) return rc;
    int64_t id = ow_req_param_id(rq, "link");
    bool found = false;
    if (id > 0 && (rc = ow_identity_store_link_delete(cx->db, uid, id, &found, &cx->err)))
        return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "link", "该绑定不存在");
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)uid);
    json_t *d = json_pack("{s:I}", "link_id", (json_int_t)id);
    rc = ow_audit_append(cx, "identity.unbind", "user", ids, d);
    json_decref(d);
    return rc ? rc : ow_reply_empty(rq, 204);
}

const ow_route ow_identity_routes[] = {
    {"GET", "/api/v1/oidc/config", api_config, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/oidc/login", api_login, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/oidc/callback", api_callback, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/oidc/session", api_session, OW_INLINE, 0},
    {"DELETE", "/api/v1/oidc/session", api_logout, OW_INLINE, OW_R_NO_BODY},
    {"POST", "/api/v1/oidc/backchannel-logout", api_backchannel_logout, OW_INLINE,
     OW_R_PUBLIC | OW_R_NO_CSRF | OW_R_STREAM | OW_R_NO_BODY},
    {"GET", "/api/v1/identities", api_all_links, OW_INLINE, 0},
    {"GET", "/api/v1/users/{id}/identities", api_links, OW_INLINE, 0},
    {"POST", "/api/v1/users/{id}/identities", api_link_add, OW_ON_WRITER, 0},
    {"DELETE", "/api/v1/users/{id}/identities/{link}", api_link_delete, OW_ON_WRITER, OW_R_NO_BODY},
};
const size_t ow_identity_routes_n = sizeof ow_identity_routes / sizeof ow_identity_routes[0];
