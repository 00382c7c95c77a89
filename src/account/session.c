/* session.c — signing in, sessions, CSRF and throttling (docs/architecture.md "Security").
 *
 * A session is 32 random bytes in an HttpOnly cookie; the database keeps only
 * their BLAKE2b hash, so a stolen database copy opens no session.  The CSRF
 * token is derived from the session token with a keyed hash: the server can
 * recompute it on every request (and hand it out again after a page reload
 * through GET /me) without storing it.
 *
 * Repeated failures slow an attacker twice over: per account (stored, so a
 * restart does not reset it) five failures lock the account for a minute,
 * doubling with each further failure up to 30 minutes; per client address (in
 * memory) twenty failures in fifteen minutes impose the same back-off, so one
 * address cannot sweep many accounts.  A successful sign-in does not wipe the
 * address's count (it would let anybody with one account of their own reset it
 * between guesses at others'); the count ages out with its fifteen-minute
 * window instead.  docs/decisions/0002-sessions-and-csrf.md has the numbers. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "account/account_api.h" /* the auth hook is defined here */
#include "app/app.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "store/account_store.h"
#include "store/db.h"
#include "store/throttle_store.h"
#include "store/writer.h"

#define ACCOUNT_FREE_FAILURES 5
#define IP_FREE_FAILURES 20
#define IP_WINDOW_MS (15 * 60 * 1000LL)
#define LOCK_BASE_MS (60 * 1000LL)
#define ACCOUNT_LOCK_MAX_MS (30 * 60 * 1000LL)
#define IP_LOCK_MAX_MS (60 * 60 * 1000LL)
#define LAST_SEEN_GRANULARITY_MS (60 * 1000LL)

static int64_t backoff_ms(int failures, int free_failures, int64_t max_ms) {
    if (failures < free_failures) return 0;
    int shift = failures - free_failures;
    if (shift > 20) return max_ms;
    int64_t ms = LOCK_BASE_MS << shift;
    return ms > max_ms ? max_ms : ms;
}

/* ---------------- throttle by address ---------------- */

#define THROTTLE_SLOTS 4096

typedef struct tslot {
    char ip[48];
    int failures;
    int64_t window_start, locked_until;
} tslot;

struct ow_throttle {
    pthread_mutex_t mu;
    int max_failures; /* window mode: failures allowed per window; 0 = sign-in backoff */
    int64_t window_ms;
    const char *shared; /* the kind in address_throttle when nodes share the counters */
    tslot slots[THROTTLE_SLOTS];
};

ow_throttle *ow_throttle_new(void) {
    ow_throttle *t = calloc(1, sizeof *t);
    if (!t) abort();
    pthread_mutex_init(&t->mu, NULL);
    t->window_ms = IP_WINDOW_MS;
    return t;
}

ow_throttle *ow_throttle_new_window(int max_failures, int64_t window_ms) {
    ow_throttle *t = ow_throttle_new();
    t->max_failures = max_failures;
    t->window_ms = window_ms;
    return t;
}

void ow_throttle_free(ow_throttle *t) {
    if (!t) return;
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* Fixed table, hashed by address: a flood of addresses can only evict each
 * other's counters, never grow memory. */
static tslot *slot_for(ow_throttle *t, const char *ip) {
    unsigned char h[8];
    crypto_generichash(h, sizeof h, (const unsigned char *)ip, strlen(ip), NULL, 0);
    uint64_t v;
    memcpy(&v, h, sizeof v);
    tslot *s = &t->slots[v % THROTTLE_SLOTS];
    if (strcmp(s->ip, ip)) {
        memset(s, 0, sizeof *s);
        snprintf(s->ip, sizeof s->ip, "%s", ip);
    }
    return s;
}

static void count_locked(ow_throttle *t, tslot *s, int64_t now_ms) {
    if (now_ms - s->window_start > t->window_ms && s->locked_until <= now_ms) {
        s->window_start = now_ms;
        s->failures = 0;
    }
    s->failures++;
    if (t->max_failures) {
        /* window mode: the address waits for the end of the window it used up */
        if (s->failures >= t->max_failures) s->locked_until = s->window_start + t->window_ms;
    } else {
        int64_t b = backoff_ms(s->failures, IP_FREE_FAILURES, IP_LOCK_MAX_MS);
        if (b) s->locked_until = now_ms + b;
    }
}

void ow_throttle_share(ow_throttle *t, const char *kind) {
    t->shared = kind;
}

static int wait_of(const tslot *s, int64_t now_ms) {
    int64_t wait = s->locked_until > now_ms ? s->locked_until - now_ms : 0;
    return (int)((wait + 999) / 1000);
}

/* ---- shared by the nodes: the row in address_throttle, counted on the writer, whose
 * transactions take turns across nodes (store/db.h), so no two nodes count at once ---- */

typedef struct shared_op {
    ow_throttle *t;
    const char *ip;
    int64_t now;
    bool take; /* count only when the address may try; else count regardless */
    int wait;
} shared_op;

static int shared_count(ow_db *db, void *arg, ow_err *e) {
    shared_op *op = arg;
    ow_throttle_row r;
    int rc = ow_throttle_store_get(db, op->t->shared, op->ip, &r, e);
    if (rc) return rc;
    tslot s = {
        .failures = r.failures, .window_start = r.window_start, .locked_until = r.locked_until};
    op->wait = wait_of(&s, op->now);
    if (op->take && op->wait) return OW_OK;
    count_locked(op->t, &s, op->now);
    r = (ow_throttle_row){s.failures, s.window_start, s.locked_until};
    int64_t keep = op->t->window_ms > IP_LOCK_MAX_MS ? op->t->window_ms : IP_LOCK_MAX_MS;
    return ow_throttle_store_put(db, op->t->shared, op->ip, &r, op->now - 2 * keep, e);
}

/* On the writer already (a handler's commit step): count in its transaction; on a request
 * thread: as a job of the writer, waiting for its commit. */
static int shared_run(ow_ctx *cx, shared_op *op) {
    if (ow_db_in_tx(cx->db)) return shared_count(cx->db, op, &cx->err);
    return ow_writer_run(cx->app->writer, shared_count, op, &cx->err);
}

int ow_throttle_wait_s(ow_ctx *cx, ow_throttle *t, int64_t now_ms) {
    if (t->shared) {
        ow_throttle_row r;
        ow_err e = {0};
        if (ow_throttle_store_get(cx->db, t->shared, cx->ip, &r, &e)) return 0;
        tslot s = {.locked_until = r.locked_until};
        return wait_of(&s, now_ms);
    }
    pthread_mutex_lock(&t->mu);
    int wait = wait_of(slot_for(t, cx->ip), now_ms);
    pthread_mutex_unlock(&t->mu);
    return wait;
}

void ow_throttle_fail(ow_ctx *cx, ow_throttle *t, int64_t now_ms) {
    if (t->shared) {
        shared_op op = {t, cx->ip, now_ms, false, 0};
        ow_err keep = cx->err; /* a failed count must not replace the answer's error */
        if (shared_run(cx, &op)) ow_log_warn("throttle not counted", "\"kind\":\"%s\"", t->shared);
        cx->err = keep;
        return;
    }
    pthread_mutex_lock(&t->mu);
    count_locked(t, slot_for(t, cx->ip), now_ms);
    pthread_mutex_unlock(&t->mu);
}

int ow_throttle_take(ow_ctx *cx, ow_throttle *t, int64_t now_ms) {
    if (t->shared) {
        shared_op op = {t, cx->ip, now_ms, true, 0};
        ow_err keep = cx->err;
        if (shared_run(cx, &op)) ow_log_warn("throttle not counted", "\"kind\":\"%s\"", t->shared);
        cx->err = keep;
        return op.wait;
    }
    pthread_mutex_lock(&t->mu);
    tslot *s = slot_for(t, cx->ip);
    int wait = wait_of(s, now_ms);
    if (!wait) count_locked(t, s, now_ms);
    pthread_mutex_unlock(&t->mu);
    return wait;
}

/* ---------------- finding the account ---------------- */

int ow_account_find_login(ow_ctx *cx, const char *login, ow_login_target *t) {
    memset(t, 0, sizeof *t);
    ow_login_by by = OW_LOGIN_USERNAME;
    char norm[19], idx[65], mob[12];
    const char *key = login;
    ow_err ignore = {0};
    size_t n = strlen(login);
    if (n == 18 && ow_id_number_check(login, norm, 99991231, &ignore) == OW_OK) {
        ow_blind_index(&cx->app->keys, "id_number", norm, idx);
        by = OW_LOGIN_ID_NUMBER_IDX;
        key = idx;
    } else if (n == 18 && ow_uscc_check(login, norm, &ignore) == OW_OK) {
        by = OW_LOGIN_USCC;
        key = norm;
    } else if (n >= 11 && n <= 16 && ow_mobile_check(login, mob, &ignore) == OW_OK) {
        ow_blind_index(&cx->app->keys, "mobile", mob, idx);
        by = OW_LOGIN_MOBILE_IDX;
        key = idx;
    }
    ow_login_row r;
    int rc = ow_account_store_login_find(cx->db, by, key, &r, &cx->err);
    if (rc) return rc;
    t->user_id = r.user_id;
    snprintf(t->hash, sizeof t->hash, "%s", r.hash);
    t->active = r.active;
    t->locked_until = r.locked_until;
    t->failed = r.failed;
    snprintf(t->kind, sizeof t->kind, "%s", r.kind);
    return OW_OK;
}

int ow_account_login_failed(ow_ctx *cx, int64_t user_id, int64_t *locked_until) {
    *locked_until = 0;
    int failures = 0;
    int rc = ow_account_store_login_failed(cx->db, user_id, &failures, &cx->err);
    if (rc) return rc;
    int64_t b = backoff_ms(failures, ACCOUNT_FREE_FAILURES, ACCOUNT_LOCK_MAX_MS);
    if (b) {
        *locked_until = ow_clock_now_ms(cx->clock) + b;
        if ((rc = ow_account_store_lock(cx->db, user_id, *locked_until, &cx->err))) return rc;
    }
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)user_id);
    json_t *d = json_pack("{s:i,s:b}", "failures", failures, "locked", b > 0);
    rc = ow_audit_append(cx, "account.sign_in_failed", "user", ids, d);
    json_decref(d);
    return rc;
}

/* Seconds the account must still wait, read afresh.  Sign-in checks the lock
 * inline before the password (cheap refusal), but requests sent in parallel all
 * pass that check before any failure is recorded; this second look on the writer,
 * where failures are serialised, keeps a burst from outrunning the lockout. */
int ow_account_lock_wait_s(ow_ctx *cx, int64_t user_id, int *wait_s) {
    *wait_s = 0;
    int64_t until;
    int rc = ow_account_store_locked_until(cx->db, user_id, &until, &cx->err);
    if (rc) return rc;
    int64_t now = ow_clock_now_ms(cx->clock);
    if (until > now) *wait_s = (int)((until - now + 999) / 1000);
    return OW_OK;
}

/* ---------------- sessions ---------------- */

void ow_session_csrf(const ow_ctx *cx, const char *token, char out[44]) {
    unsigned char mac[32];
    crypto_generichash(mac, sizeof mac, (const unsigned char *)token, strlen(token),
                       cx->app->keys.session, sizeof cx->app->keys.session);
    sodium_bin2base64(out, 44, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void ow_session_cookie(const ow_ctx *cx, const char *token, int max_age_s, char out[256]) {
    snprintf(out, 256, "ow_session=%.43s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", token,
             max_age_s, cx->app->cfg.cookie_secure ? "; Secure" : "");
}

int ow_session_open(ow_ctx *cx, int64_t user_id, const char *user_agent, char token_out[44]) {
    char th[65], csrf[44], ch[65];
    ow_random_token(token_out);
    ow_token_hash(token_out, th);
    ow_session_csrf(cx, token_out, csrf);
    ow_token_hash(csrf, ch);
    int64_t now = ow_clock_now_ms(cx->clock);
    char ua[200];
    snprintf(ua, sizeof ua, "%s", user_agent ? user_agent : "");
    ow_session_new sn = {.token_hash = th,
                         .csrf_hash = ch,
                         .user_id = user_id,
                         .now_ms = now,
                         .expires_ms = now + (int64_t)cx->app->cfg.session_ttl_min * 60000,
                         .ip = cx->ip,
                         .user_agent = ua};
    int64_t sid;
    int rc = ow_account_store_session_insert(cx->db, &sn, &sid, &cx->err);
    if (rc || (rc = ow_account_store_failures_reset(cx->db, user_id, &cx->err))) return rc;
    /* From here on the request acts as the account that signed in, whatever
     * session cookie it came with (the audit row names the right person). */
    ow_actor a = {0};
    if ((rc = ow_account_store_actor(cx->db, user_id, &a, &cx->err))) return rc;
    a.session_id = sid;
    cx->actor = a;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)user_id);
    json_t *d = json_pack("{s:I}", "session_id", (json_int_t)sid);
    rc = ow_audit_append(cx, "account.sign_in", "user", ids, d);
    json_decref(d);
    return rc;
}

int ow_session_end(ow_ctx *cx, const char *reason) {
    if (!cx->actor.session_id) return ow_err_set(&cx->err, OW_EUNAUTH, "", "尚未登录");
    int rc = ow_account_store_session_end(cx->db, cx->actor.session_id, reason,
                                          ow_clock_now_ms(cx->clock), &cx->err);
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)cx->actor.user_id);
    json_t *d =
        json_pack("{s:I,s:s}", "session_id", (json_int_t)cx->actor.session_id, "reason", reason);
    rc = ow_audit_append(cx, "account.sign_out", "user", ids, d);
    json_decref(d);
    return rc;
}

int ow_session_end_id(ow_ctx *cx, int64_t session_id, int64_t user_id, const char *reason) {
    int rc = ow_account_store_session_end(cx->db, session_id, reason, ow_clock_now_ms(cx->clock),
                                          &cx->err);
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)user_id);
    json_t *d = json_pack("{s:I,s:s}", "session_id", (json_int_t)session_id, "reason", reason);
    rc = ow_audit_append(cx, "account.sign_out", "user", ids, d);
    json_decref(d);
    return rc;
}

int ow_session_end_all(ow_ctx *cx, int64_t user_id, const char *reason, int64_t keep_session) {
    int64_t ended = 0;
    int rc = ow_account_store_session_end_all(cx->db, user_id, reason, keep_session,
                                              ow_clock_now_ms(cx->clock), &ended, &cx->err);
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)user_id);
    json_t *d = json_pack("{s:i,s:s}", "sessions", (int)ended, "reason", reason);
    rc = ow_audit_append(cx, "account.sessions_ended", "user", ids, d);
    json_decref(d);
    return rc;
}

/* ---------------- the auth hook ---------------- */

typedef struct touch_job {
    ow_job job;
    int64_t session_id, now;
} touch_job;

static int touch_run(ow_db *db, void *arg, ow_err *e) {
    touch_job *t = arg;
    return ow_account_store_session_touch(db, t->session_id, t->now, e);
}

static void touch_done(void *arg, int rc) {
    (void)rc; /* losing one activity mark costs at most a minute of idle time */
    free(arg);
}

static bool is_safe_method(const char *m) {
    return !strcmp(m, "GET") || !strcmp(m, "HEAD");
}

int ow_session_resolve(ow_ctx *cx, const char *token, bool *expired) {
    *expired = false;
    if (!token || strlen(token) != OW_TOKEN_CHARS) return OW_OK;
    char th[65];
    ow_token_hash(token, th);
    ow_session_row r;
    bool found;
    int rc = ow_account_store_session_find(cx->db, th, &r, &found, &cx->err);
    if (rc || !found) return rc;
    int64_t now = ow_clock_now_ms(cx->clock);
    int64_t expires = r.expires_at, seen = r.last_seen_at;
    int64_t idle_ms = (int64_t)cx->app->cfg.session_idle_min * 60000;
    if (now >= expires || now - seen >= idle_ms || !r.active) {
        *expired = true;
        return OW_OK;
    }
    ow_actor *a = &cx->actor;
    memset(a, 0, sizeof *a);
    a->session_id = r.id;
    a->user_id = r.user_id;
    snprintf(a->username, sizeof a->username, "%s", r.username);
    snprintf(a->name, sizeof a->name, "%s", r.name);
    snprintf(a->kind, sizeof a->kind, "%s", r.kind);
    snprintf(a->role, sizeof a->role, "%s", r.role);
    a->org_id = r.org_id;
    if (now - seen >= LAST_SEEN_GRANULARITY_MS && cx->app->writer) {
        touch_job *t = calloc(1, sizeof *t);
        if (t) {
            t->session_id = a->session_id;
            t->now = now;
            t->job = (ow_job){.fn = touch_run, .arg = t, .done = touch_done};
            ow_writer_submit(cx->app->writer, &t->job);
        }
    }
    return OW_OK;
}

bool ow_session_csrf_ok(const ow_ctx *cx, const char *token, const char *got) {
    if (!token || !got) return false;
    char want[44];
    ow_session_csrf(cx, token, want);
    return ow_ct_equal(got, want);
}

int ow_account_auth_hook(ow_req *rq, const ow_route *route) {
    ow_ctx *cx = ow_req_ctx(rq);
    const char *token = ow_req_cookie(rq, "ow_session");
    bool expired = false;
    int rc = ow_session_resolve(cx, token, &expired);
    if (rc) return rc;
    bool signed_in = cx->actor.user_id > 0;
    if (!signed_in && !(route->flags & OW_R_PUBLIC))
        return ow_err_setk(&cx->err, OW_EUNAUTH, expired ? "session_expired" : "unauthenticated",
                           "", "%s", expired ? "登录已过期，请重新登录" : "请先登录");
    /* Only a request riding on the session cookie can be forged cross-site. */
    if (signed_in && !is_safe_method(ow_req_method(rq)) && !(route->flags & OW_R_NO_CSRF) &&
        !ow_session_csrf_ok(cx, token, ow_req_header(rq, "X-CSRF-Token")))
        return ow_err_setk(&cx->err, OW_EFORBIDDEN, "csrf_failed", "",
                           "页面已过期，请刷新后重试（CSRF 校验失败）");
    return OW_OK;
}
