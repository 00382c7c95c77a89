/* account_api.c — HTTP handlers for sign-in, registration, me, organisations
 * and staff accounts (docs/architecture.md "API conventions").
 *
 * Anything that hashes a password runs in three steps: cheap checks inline,
 * argon2id on the pool, the write on the writer, so request threads never
 * spend 20 ms of CPU and the writer never waits on a hash. */
#include <stdio.h>
#include <string.h>

#include "account/account.h"
#include "account/account_api.h"
#include "app/app.h"
#include "core/crypto.h"
#include "core/json.h"

#define COOKIE_NAME "ow_session"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

/* A failure that must still commit (the failed-login counter): the job succeeds
 * and the reply carries the error. */
static int reply_committed_error(ow_req *rq, int code, int status) {
    ow_ctx *cx = CX(rq);
    cx->err.code = code;
    cx->err.http_status = status;
    if (cx->err.retry_after_s > 0) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", cx->err.retry_after_s);
        ow_reply_header(rq, "Retry-After", ra);
    }
    ow_reply_json(rq, status, ow_json_error(&cx->err));
    return OW_OK;
}

static void set_cookie(ow_req *rq, const char *token, int max_age_s) {
    char c[256];
    ow_session_cookie(CX(rq), token, max_age_s, c);
    ow_reply_header(rq, "Set-Cookie", c);
}

static int reply_me(ow_req *rq, int status, const char *token) {
    ow_ctx *cx = CX(rq);
    json_t *user;
    int rc = ow_account_user_json(cx, cx->actor.user_id, &user);
    if (rc) return rc;
    char csrf[44];
    ow_session_csrf(cx, token, csrf);
    return ow_reply_json(rq, status, json_pack("{s:o,s:s}", "user", user, "csrf_token", csrf));
}

/* ---------------- sign-in ---------------- */

typedef struct sign_in {
    ow_login_target t;
    char *password;
    bool ok;
} sign_in;

static int too_many(ow_req *rq, int wait_s) {
    ow_ctx *cx = CX(rq);
    int minutes = (wait_s + 59) / 60;
    ow_err_setk(&cx->err, OW_ELIMIT, "too_many_attempts", "password",
                "登录失败次数过多，请 %d 分钟后再试", minutes);
    cx->err.retry_after_s = wait_s;
    cx->err.http_status = 429;
    return OW_ELIMIT;
}

static int sign_in_commit(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    sign_in *s = ow_req_data(rq);
    /* Look again, now that failures are serialised: a parallel burst of guesses all
     * passed the inline check before any of them was counted.  Whether this guess
     * was right stays unknown to the client. */
    int wait = 0;
    if (s->t.user_id) {
        int rc = ow_account_lock_wait_s(cx, s->t.user_id, &wait);
        if (rc) return rc;
    }
    if (!wait) wait = ow_throttle_wait_s(cx, cx->app->throttle, ow_clock_now_ms(cx->clock));
    if (wait > 0) return too_many(rq, wait);
    /* With local_citizen_passwords off, citizens and enterprises sign in only through the
     * identity platform (issue 20).  Told only after the right password, so the answer
     * says nothing about which numbers have accounts. */
    if (s->ok && !cx->app->cfg.local_citizen_passwords && strcmp(s->t.kind, "staff")) {
        ow_err_setk(&cx->err, OW_EFORBIDDEN, "local_password_disabled", "username",
                    "本平台已改为通过省统一身份认证平台登录，请点击“统一身份认证登录”");
        return reply_committed_error(rq, OW_EFORBIDDEN, 403);
    }
    if (s->ok && s->t.active) {
        char token[44];
        int rc = ow_session_open(cx, s->t.user_id, ow_req_header(rq, "User-Agent"), token);
        if (rc) return rc;
        set_cookie(rq, token, cx->app->cfg.session_ttl_min * 60);
        return reply_me(rq, 200, token);
    }
    if (s->ok && !s->t.active) {
        ow_err_setk(&cx->err, OW_EFORBIDDEN, "account_disabled", "username",
                    "该账号已停用，请联系系统管理员");
        return reply_committed_error(rq, OW_EFORBIDDEN, 403);
    }
    ow_throttle_fail(cx, cx->app->throttle, ow_clock_now_ms(cx->clock));
    int64_t locked_until = 0;
    if (s->t.user_id) {
        int rc = ow_account_login_failed(cx, s->t.user_id, &locked_until);
        if (rc) return rc;
    }
    ow_err_setk(&cx->err, OW_EUNAUTH, "bad_credentials", "password", "用户名或密码不正确");
    return reply_committed_error(rq, OW_EUNAUTH, 401);
}

static int sign_in_check(ow_req *rq) {
    sign_in *s = ow_req_data(rq);
    const char *hash = s->t.user_id ? s->t.hash : CX(rq)->app->dummy_pw_hash;
    s->ok = ow_pw_verify(hash, s->password) == OW_OK && s->t.user_id;
    ow_req_then(rq, sign_in_commit, OW_ON_WRITER);
    return OW_OK;
}

static int api_sign_in(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    const char *username, *password;
    if (ow_json_str(b, "username", true, 64, &username, &cx->err) ||
        ow_json_str(b, "password", true, 128, &password, &cx->err))
        return OW_EINVAL;
    int64_t now = ow_clock_now_ms(cx->clock);
    int wait = ow_throttle_wait_s(cx, cx->app->throttle, now);
    if (wait > 0) return too_many(rq, wait);
    sign_in *s = ow_alloc(cx->arena, sizeof *s);
    int rc = ow_account_find_login(cx, username, &s->t);
    if (rc) return rc;
    if (s->t.user_id && s->t.locked_until > now)
        return too_many(rq, (int)((s->t.locked_until - now + 999) / 1000));
    s->password = ow_strdup(cx->arena, password);
    ow_req_set_data(rq, s);
    ow_req_then(rq, sign_in_check, OW_ON_POOL);
    return OW_OK;
}

static int api_me(ow_req *rq) {
    return reply_me(rq, 200, ow_req_cookie(rq, COOKIE_NAME));
}

static int api_sign_out(ow_req *rq) {
    int rc = ow_session_end(CX(rq), "sign_out");
    if (rc) return rc;
    set_cookie(rq, "", 0);
    return ow_reply_empty(rq, 204);
}

static int api_sign_out_all(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int rc = ow_session_end_all(cx, cx->actor.user_id, "sign_out_everywhere", 0);
    if (rc) return rc;
    set_cookie(rq, "", 0);
    return ow_reply_empty(rq, 204);
}

/* ---------------- registration ---------------- */

typedef struct reg {
    ow_register_in in;
    char id[19], mobile[12], hash[128];
} reg;

/* What every registration that passed the checks is told, whether it created an account
 * or the number already had one: the answer must not tell anyone whether an ID number
 * (or a USCC) is registered.  The owner of a new account signs in with the password just
 * chosen; the owner of an old one is sent to sign-in or to the hall. */
#define REGISTER_ACCEPTED                                                                                                                        \
    "注册申请已提交，请用证件号码和刚设置的密码登录。如该号码此前已注册过账号，本次不会新建账号，" \
    "请用原密码登录；忘记密码请携带身份证件（营业执照）到政务服务中心窗口重置"

static int register_commit(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    reg *r = ow_req_data(rq);
    int64_t uid;
    int rc = ow_account_register_insert(cx, &r->in, r->id, r->mobile, r->hash, &uid);
    if (rc == OW_ECONFLICT && !strcmp(cx->err.kind, "already_registered")) {
        ow_err_clear(&cx->err);
        rc = OW_OK;
    }
    if (rc) return rc;
    return ow_reply_json(rq, 202,
                         json_pack("{s:b,s:s}", "accepted", 1, "message", REGISTER_ACCEPTED));
}

static int register_hash(ow_req *rq) {
    reg *r = ow_req_data(rq);
    if (ow_pw_hash(r->in.password, r->hash))
        return ow_err_set(&CX(rq)->err, OW_ENOMEM, "", "密码处理失败");
    ow_req_then(rq, register_commit, OW_ON_WRITER);
    return OW_OK;
}

/* An address registers at most register_max accounts per register_window_min (cx->ip
 * names the client behind a trusted proxy).  Only requests that pass the checks count:
 * they are the ones that cost a password hash and may make an account. */
static int register_throttled(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_throttle *t = cx->app->register_throttle;
    int wait = t ? ow_throttle_take(cx, t, ow_clock_now_ms(cx->clock)) : 0;
    if (wait <= 0) return OW_OK;
    ow_err_setk(&cx->err, OW_ELIMIT, "too_many_attempts", "",
                "本网络注册账号过于频繁，请 %d 分钟后再试，或到政务服务中心窗口办理",
                (wait + 59) / 60);
    cx->err.retry_after_s = wait;
    cx->err.http_status = 429;
    return OW_ELIMIT;
}

static int api_register(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    if (!cx->app->cfg.local_citizen_passwords)
        return ow_err_setk(&cx->err, OW_EFORBIDDEN, "local_password_disabled", "",
                           "本平台已改为通过省统一身份认证平台登录，首次登录即自动开通账号");
    reg *r = ow_alloc(cx->arena, sizeof *r);
    if (ow_json_str(b, "kind", true, 16, &r->in.kind, &cx->err) ||
        ow_json_str(b, "id_number", false, 32, &r->in.id_number, &cx->err) ||
        ow_json_str(b, "uscc", false, 32, &r->in.uscc, &cx->err) ||
        ow_json_str(b, "name", true, 60, &r->in.name, &cx->err) ||
        ow_json_str(b, "legal_representative", false, 30, &r->in.legal_representative, &cx->err) ||
        ow_json_str(b, "mobile", true, 20, &r->in.mobile, &cx->err) ||
        ow_json_str(b, "password", true, 64, &r->in.password, &cx->err))
        return OW_EINVAL;
    int rc = ow_account_register_check(cx, &r->in, r->id, r->mobile);
    if (rc || (rc = register_throttled(rq))) return rc;
    ow_req_set_data(rq, r);
    ow_req_then(rq, register_hash, OW_ON_POOL);
    return OW_OK;
}

/* ---------------- password change ---------------- */

typedef struct pwchange {
    const char *current, *next;
    char old_hash[128], new_hash[128];
} pwchange;

static int password_commit(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    pwchange *p = ow_req_data(rq);
    int rc = ow_account_set_password(cx, cx->actor.user_id, p->new_hash);
    if (!rc)
        rc = ow_session_end_all(cx, cx->actor.user_id, "password_changed", cx->actor.session_id);
    if (rc) return rc;
    return ow_reply_empty(rq, 204);
}

static int password_hash(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    pwchange *p = ow_req_data(rq);
    if (ow_pw_verify(p->old_hash, p->current))
        return ow_err_setk(&cx->err, OW_EINVAL, "bad_credentials", "current_password",
                           "当前密码不正确");
    if (ow_pw_hash(p->next, p->new_hash))
        return ow_err_set(&cx->err, OW_ENOMEM, "", "密码处理失败");
    ow_req_then(rq, password_commit, OW_ON_WRITER);
    return OW_OK;
}

static int api_password(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    pwchange *p = ow_alloc(cx->arena, sizeof *p);
    if (ow_json_str(b, "current_password", true, 128, &p->current, &cx->err) ||
        ow_json_str(b, "new_password", true, 64, &p->next, &cx->err))
        return OW_EINVAL;
    int rc = ow_pw_policy_check(p->next, &cx->err);
    if (rc) {
        snprintf(cx->err.field, sizeof cx->err.field, "new_password");
        return rc;
    }
    if (!strcmp(p->current, p->next))
        return ow_err_set(&cx->err, OW_EINVAL, "new_password", "新密码不能与当前密码相同");
    if ((rc = ow_account_password_hash(cx, cx->actor.user_id, p->old_hash))) return rc;
    ow_req_set_data(rq, p);
    ow_req_then(rq, password_hash, OW_ON_POOL);
    return OW_OK;
}

/* ---------------- organisations ---------------- */

static int api_orgs_list(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t parent;
    if (ow_req_query_id(rq, "parent_id", &parent)) return OW_EINVAL;
    const char *inc = ow_req_query(rq, "include_inactive");
    json_t *items;
    int rc =
        ow_org_list_json(cx, ow_req_query(rq, "kind"), parent, inc && !strcmp(inc, "true"), &items);
    if (rc) return rc;
    size_t n = json_array_size(items);
    return ow_reply_list(rq, items, (int64_t)n, 1, (int)n);
}

static int api_org_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "机构不存在");
    json_t *o;
    int rc = ow_org_get_json(CX(rq), id, &o);
    return rc ? rc : ow_reply_json(rq, 200, o);
}

static int api_org_create(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    ow_org_in in = {0};
    int64_t sort = 0;
    if (ow_json_str(b, "code", true, 32, &in.code, &cx->err) ||
        ow_json_str(b, "name", true, 60, &in.name, &cx->err) ||
        ow_json_str(b, "kind", true, 16, &in.kind, &cx->err) ||
        ow_json_str(b, "address", false, 100, &in.address, &cx->err) ||
        ow_json_str(b, "phone", false, 30, &in.phone, &cx->err) ||
        ow_json_int(b, "parent_id", false, 0, INT64_MAX, &in.parent_id, &cx->err) ||
        ow_json_int(b, "sort", false, 0, 100000, &sort, &cx->err))
        return OW_EINVAL;
    in.sort = (int)sort;
    int64_t id;
    int rc = ow_org_create(cx, &in, &id);
    if (rc) return rc;
    json_t *o;
    if ((rc = ow_org_get_json(cx, id, &o))) return rc;
    return ow_reply_json(rq, 201, o);
}

static int api_org_update(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "机构不存在");
    json_t *b = ow_req_json(rq);
    const char *name = NULL, *address = NULL, *phone = NULL;
    int64_t parent = -1;
    bool active = true;
    json_t *pj = json_object_get(b, "parent_id");
    if (ow_json_str(b, "name", false, 60, &name, &cx->err) ||
        ow_json_str(b, "address", false, 100, &address, &cx->err) ||
        ow_json_str(b, "phone", false, 30, &phone, &cx->err) ||
        ow_json_bool(b, "active", false, &active, &cx->err))
        return OW_EINVAL;
    if (pj && json_is_null(pj))
        parent = 0;
    else if (pj && ow_json_int(b, "parent_id", true, 1, INT64_MAX, &parent, &cx->err))
        return OW_EINVAL;
    int act = json_object_get(b, "active") ? (active ? 1 : 0) : -1;
    int rc = ow_org_update(cx, id, name, parent, act, address, phone);
    if (rc) return rc;
    json_t *o;
    if ((rc = ow_org_get_json(cx, id, &o))) return rc;
    return ow_reply_json(rq, 200, o);
}

/* ---------------- staff accounts ---------------- */

static int api_users_list(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int page, per_page;
    int64_t org;
    if (ow_req_paging(rq, &page, &per_page) || ow_req_query_id(rq, "org_id", &org))
        return OW_EINVAL;
    json_t *items;
    int64_t total;
    int rc = ow_account_list_json(cx, ow_req_query(rq, "role"), ow_req_query(rq, "kind"), org,
                                  ow_req_query(rq, "q"), page, per_page, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, page, per_page);
}

static int api_user_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "账号不存在");
    json_t *u;
    int rc = ow_account_user_json(CX(rq), id, &u);
    return rc ? rc : ow_reply_json(rq, 200, u);
}

static int api_user_pii(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "账号不存在");
    json_t *p;
    int rc = ow_account_user_pii(CX(rq), id, &p);
    return rc ? rc : ow_reply_json(rq, 200, p);
}

typedef struct staff {
    ow_staff_in in;
    char mobile[12], hash[128];
} staff;

static int staff_commit(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    staff *s = ow_req_data(rq);
    int64_t uid;
    int rc = ow_account_staff_insert(cx, &s->in, s->mobile, s->hash, &uid);
    if (rc) return rc;
    json_t *u;
    if ((rc = ow_account_user_json(cx, uid, &u))) return rc;
    return ow_reply_json(rq, 201, u);
}

static int staff_hash(ow_req *rq) {
    staff *s = ow_req_data(rq);
    if (ow_pw_hash(s->in.password, s->hash))
        return ow_err_set(&CX(rq)->err, OW_ENOMEM, "", "密码处理失败");
    ow_req_then(rq, staff_commit, OW_ON_WRITER);
    return OW_OK;
}

static int api_user_create(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    staff *s = ow_alloc(cx->arena, sizeof *s);
    if (ow_json_str(b, "username", true, 32, &s->in.username, &cx->err) ||
        ow_json_str(b, "name", true, 30, &s->in.name, &cx->err) ||
        ow_json_str(b, "role", true, 16, &s->in.role, &cx->err) ||
        ow_json_str(b, "mobile", false, 20, &s->in.mobile, &cx->err) ||
        ow_json_str(b, "password", true, 64, &s->in.password, &cx->err) ||
        ow_json_int(b, "org_id", true, 1, INT64_MAX, &s->in.org_id, &cx->err))
        return OW_EINVAL;
    int rc = ow_account_staff_check(cx, &s->in, s->mobile);
    if (rc) return rc;
    ow_req_set_data(rq, s);
    ow_req_then(rq, staff_hash, OW_ON_POOL);
    return OW_OK;
}

static int api_user_update(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "账号不存在");
    json_t *b = ow_req_json(rq);
    const char *role = NULL, *name = NULL;
    bool active = true;
    int64_t org = 0;
    if (ow_json_str(b, "role", false, 16, &role, &cx->err) ||
        ow_json_str(b, "name", false, 30, &name, &cx->err) ||
        ow_json_bool(b, "active", false, &active, &cx->err) ||
        ow_json_int(b, "org_id", false, 1, INT64_MAX, &org, &cx->err))
        return OW_EINVAL;
    int act = json_object_get(b, "active") ? (active ? 1 : 0) : -1;
    int rc = ow_account_update(cx, id, act, role, org, name);
    if (rc) return rc;
    json_t *u;
    if ((rc = ow_account_user_json(cx, id, &u))) return rc;
    return ow_reply_json(rq, 200, u);
}

/* POST /api/v1/users/{id}/password {"password"} (administrators): hashed on the pool like
 * every password, written on the writer. */
typedef struct pwreset {
    int64_t id;
    const char *password;
    char hash[128];
} pwreset;

static int reset_commit(ow_req *rq) {
    pwreset *p = ow_req_data(rq);
    int rc = ow_account_password_reset(CX(rq), p->id, p->hash);
    return rc ? rc : ow_reply_empty(rq, 204);
}

static int reset_hash(ow_req *rq) {
    pwreset *p = ow_req_data(rq);
    if (ow_pw_hash(p->password, p->hash))
        return ow_err_set(&CX(rq)->err, OW_ENOMEM, "", "密码处理失败");
    ow_req_then(rq, reset_commit, OW_ON_WRITER);
    return OW_OK;
}

static int api_user_password(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    pwreset *p = ow_alloc(cx->arena, sizeof *p);
    p->id = ow_req_param_id(rq, "id");
    if (p->id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "账号不存在");
    if (ow_json_str(ow_req_json(rq), "password", true, 64, &p->password, &cx->err))
        return OW_EINVAL;
    int rc = ow_account_password_reset_check(cx, p->id);
    if (rc || (rc = ow_pw_policy_check(p->password, &cx->err))) return rc;
    ow_req_set_data(rq, p);
    ow_req_then(rq, reset_hash, OW_ON_POOL);
    return OW_OK;
}

const ow_route ow_account_routes[] = {
    {"POST", "/api/v1/session", api_sign_in, OW_INLINE, OW_R_PUBLIC | OW_R_NO_CSRF},
    {"DELETE", "/api/v1/session", api_sign_out, OW_ON_WRITER, OW_R_NO_BODY},
    {"DELETE", "/api/v1/sessions", api_sign_out_all, OW_ON_WRITER, OW_R_NO_BODY},
    {"GET", "/api/v1/me", api_me, OW_INLINE, 0},
    {"POST", "/api/v1/me/password", api_password, OW_INLINE, 0},
    {"POST", "/api/v1/accounts", api_register, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/orgs", api_orgs_list, OW_INLINE, OW_R_PUBLIC},
    {"POST", "/api/v1/orgs", api_org_create, OW_ON_WRITER, 0},
    {"GET", "/api/v1/orgs/{id}", api_org_get, OW_INLINE, OW_R_PUBLIC},
    {"PUT", "/api/v1/orgs/{id}", api_org_update, OW_ON_WRITER, 0},
    {"GET", "/api/v1/users", api_users_list, OW_INLINE, 0},
    {"POST", "/api/v1/users", api_user_create, OW_INLINE, 0},
    {"GET", "/api/v1/users/{id}", api_user_get, OW_INLINE, 0},
    {"PUT", "/api/v1/users/{id}", api_user_update, OW_ON_WRITER, 0},
    {"GET", "/api/v1/users/{id}/pii", api_user_pii, OW_ON_WRITER, 0},
    {"POST", "/api/v1/users/{id}/password", api_user_password, OW_INLINE, 0},
};
const size_t ow_account_routes_n = sizeof ow_account_routes / sizeof ow_account_routes[0];
