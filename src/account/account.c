/* account.c — people and their roles (账号), organisations (机构), personal data.
 *
 * Citizens (个人) register with their resident ID number, enterprises (法人)
 * with their unified social credit code; staff accounts are made by an
 * administrator with a role and an organisation.  ID and mobile numbers are
 * personal information (个人信息保护法): they are stored encrypted, found by
 * a keyed blind index, and shown masked except to the roles whose work needs
 * them (the window clerk checking an applicant, the administrator), and every
 * unmasked view is written to the audit trail. */
#include "account/account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "core/workdays.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "store/account_store.h"

static const struct {
    const char *role, *name;
    bool staff;
} roles[] = {
    {"citizen", "个人用户", false},      {"enterprise", "法人用户", false},
    {"agent", "村（社区）代办员", true}, {"clerk", "综合受理窗口", true},
    {"approver", "部门审批人员", true},  {"supervisor", "电子监察人员", true},
    {"discloser", "政务公开人员", true}, {"admin", "系统管理员", true},
};

bool ow_role_valid(const char *role) {
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (!strcmp(roles[i].role, role)) return true;
    return false;
}

bool ow_role_is_staff(const char *role) {
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (!strcmp(roles[i].role, role)) return roles[i].staff;
    return false;
}

const char *ow_role_name(const char *role, const char *org_kind) {
    if (!strcmp(role, "clerk") && org_kind && !strcmp(org_kind, "township"))
        return "便民服务中心窗口";
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (!strcmp(roles[i].role, role)) return roles[i].name;
    return role;
}

bool ow_actor_is(const ow_actor *a, const char *role) {
    return !strcmp(a->role, role);
}

static bool is_admin(const ow_ctx *cx) {
    return cx->actor.system || ow_actor_is(&cx->actor, "admin");
}

static int forbid(ow_ctx *cx, const char *msg) {
    return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "%s", msg);
}

static int today_yyyymmdd(ow_ctx *cx) {
    int64_t s = ow_clock_now_ms(cx->clock) / 1000 + 8 * 3600;
    int32_t d = (int32_t)(s / 86400);
    int y, m, dd;
    ow_date_ymd(d, &y, &m, &dd);
    return y * 10000 + m * 100 + dd;
}

/* ======================= organisations ======================= */

static const char *org_kinds[] = {"center", "window", "department", "township", "agent_point"};

static bool org_kind_valid(const char *k) {
    for (size_t i = 0; i < sizeof org_kinds / sizeof org_kinds[0]; i++)
        if (!strcmp(org_kinds[i], k)) return true;
    return false;
}

/* Which parent kind each kind may hang under ("" = top level only). */
static const char *parent_kind_for(const char *kind) {
    if (!strcmp(kind, "window")) return "center";
    if (!strcmp(kind, "agent_point")) return "township";
    return "";
}

int ow_org_kind(ow_ctx *cx, int64_t id, char kind[16]) {
    bool found;
    int rc = ow_account_store_org_kind(cx->db, id, kind, &found, &cx->err);
    if (!rc && !found) return ow_err_set(&cx->err, OW_ENOTFOUND, "org_id", "机构不存在");
    return rc;
}

int ow_org_first_of_kind(ow_ctx *cx, const char *kind, int64_t *id) {
    return ow_account_store_org_first_of_kind(cx->db, kind, id, &cx->err);
}

int ow_org_name(ow_ctx *cx, int64_t id, const char **name) {
    bool found;
    int rc = ow_account_store_org_name(cx->db, id, cx->arena, name, &found, &cx->err);
    if (!rc && !found) return ow_err_set(&cx->err, OW_ENOTFOUND, "org_id", "机构不存在");
    return rc;
}

int ow_org_within(ow_ctx *cx, int64_t id, int64_t ancestor, bool *out) {
    return ow_account_store_org_within(cx->db, id, ancestor, out, &cx->err);
}

static int check_parent(ow_ctx *cx, const char *kind, int64_t parent_id) {
    const char *want = parent_kind_for(kind);
    if (!*want) {
        if (parent_id)
            return ow_err_set(&cx->err, OW_EINVAL, "parent_id",
                              "该类机构应为顶级机构，不能设置上级");
        return OW_OK;
    }
    if (!parent_id)
        return ow_err_set(&cx->err, OW_EINVAL, "parent_id", "%s",
                          !strcmp(want, "center") ? "窗口必须隶属于政务服务中心"
                                                  : "代办点必须隶属于乡镇（街道）便民服务中心");
    char pk[16];
    int rc = ow_org_kind(cx, parent_id, pk);
    if (rc) {
        snprintf(cx->err.field, sizeof cx->err.field, "parent_id");
        snprintf(cx->err.message, sizeof cx->err.message, "上级机构不存在");
        return rc == OW_ENOTFOUND ? OW_EINVAL : rc;
    }
    if (strcmp(pk, want))
        return ow_err_set(&cx->err, OW_EINVAL, "parent_id", "%s",
                          !strcmp(want, "center") ? "窗口的上级应为政务服务中心"
                                                  : "代办点的上级应为乡镇（街道）便民服务中心");
    return OW_OK;
}

static int check_org_text(ow_ctx *cx, const char *field, const char *v, size_t max, bool required) {
    if (!v || !*v) {
        if (required) return ow_err_set(&cx->err, OW_EINVAL, field, "请填写%s", field);
        return OW_OK;
    }
    if (!ow_utf8_valid_text(v) || ow_utf8_len(v) > max)
        return ow_err_set(&cx->err, OW_EINVAL, field, "%s 过长或含有不允许的字符（最多 %zu 个字）",
                          field, max);
    return OW_OK;
}

int ow_org_create(ow_ctx *cx, const ow_org_in *in, int64_t *id) {
    if (!is_admin(cx)) return forbid(cx, "只有系统管理员可以管理机构");
    if (!in->kind || !org_kind_valid(in->kind))
        return ow_err_set(&cx->err, OW_EINVAL, "kind",
                          "机构类型应为 center、window、department、township 或 agent_point");
    int rc;
    if ((rc = check_org_text(cx, "code", in->code, 32, true)) ||
        (rc = check_org_text(cx, "name", in->name, 60, true)) ||
        (rc = check_org_text(cx, "address", in->address, 100, false)) ||
        (rc = check_org_text(cx, "phone", in->phone, 30, false)) ||
        (rc = check_parent(cx, in->kind, in->parent_id)))
        return rc;
    rc = ow_account_store_org_insert(cx->db, in->parent_id, in->kind, in->code, in->name,
                                     in->address, in->phone, in->sort, ow_clock_now_ms(cx->clock),
                                     id, &cx->err);
    if (rc) {
        if (rc == OW_ECONFLICT)
            ow_err_set(&cx->err, OW_ECONFLICT, "code", "机构编码“%s”已存在", in->code);
        return rc;
    }
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)*id);
    json_t *d = json_pack("{s:s,s:s,s:s}", "code", in->code, "name", in->name, "kind", in->kind);
    rc = ow_audit_append(cx, "org.create", "org", ids, d);
    json_decref(d);
    return rc;
}

int ow_org_update(ow_ctx *cx, int64_t id, const char *name, int64_t parent_id, int active,
                  const char *address, const char *phone) {
    if (!is_admin(cx)) return forbid(cx, "只有系统管理员可以管理机构");
    ow_org_state old;
    bool found;
    int rc = ow_account_store_org_state(cx->db, id, &old, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "机构不存在");
    const char *kind = old.kind, *old_name = old.name;
    int64_t old_parent = old.parent_id;
    int old_active = old.active;

    const char *new_name = name ? name : old_name;
    int64_t new_parent = parent_id >= 0 ? parent_id : old_parent;
    int new_active = active >= 0 ? active : old_active;
    if ((rc = check_org_text(cx, "name", new_name, 60, true)) ||
        (rc = check_org_text(cx, "address", address, 100, false)) ||
        (rc = check_org_text(cx, "phone", phone, 30, false)))
        return rc;
    if (new_parent != old_parent) {
        if (new_parent == id)
            return ow_err_set(&cx->err, OW_EINVAL, "parent_id", "机构不能隶属于自己");
        if ((rc = check_parent(cx, kind, new_parent))) return rc;
        bool cycle = false;
        if (new_parent && (rc = ow_org_within(cx, new_parent, id, &cycle))) return rc;
        if (cycle)
            return ow_err_set(&cx->err, OW_EINVAL, "parent_id", "不能移动到自己的下级机构之下");
    }
    if (old_active && !new_active) {
        /* Deactivating an office with people or live children would strand them. */
        const char *msgs[] = {"该机构仍有在岗人员，请先调整人员所属机构",
                              "该机构仍有启用的下级机构，请先停用或移走下级机构"};
        for (int i = 0; i < 2; i++) {
            int n = 0;
            rc = i ? ow_account_store_org_active_children(cx->db, id, &n, &cx->err)
                   : ow_account_store_org_active_staff(cx->db, id, &n, &cx->err);
            if (rc) return rc;
            if (n) return ow_err_set(&cx->err, OW_ECONFLICT, "active", "%s", msgs[i]);
        }
    }
    if ((rc = ow_account_store_org_update(cx->db, id, new_name, new_parent, new_active, address,
                                          phone, ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *d = json_pack("{s:s,s:s,s:I,s:I,s:b,s:b}", "old_name", old_name, "name", new_name,
                          "old_parent_id", (json_int_t)old_parent, "parent_id",
                          (json_int_t)new_parent, "old_active", old_active, "active", new_active);
    rc = ow_audit_append(cx, "org.update", "org", ids, d);
    json_decref(d);
    return rc;
}

static json_t *org_row_json(const ow_org_row *r) {
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:i}", "id", (json_int_t)r->id, "kind",
                          r->kind, "code", r->code, "name", r->name, "address", r->address, "phone",
                          r->phone, "active", r->active, "children", r->children);
    json_object_set_new(o, "parent_id", r->parent_id ? json_integer(r->parent_id) : json_null());
    return o;
}

int ow_org_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    ow_org_row r;
    bool found;
    int rc = ow_account_store_org_get(cx->db, id, cx->arena, &r, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "机构不存在");
    *out = org_row_json(&r);
    return OW_OK;
}

static int append_org(void *arg, const ow_org_row *r) {
    json_array_append_new(arg, org_row_json(r));
    return OW_OK;
}

/* Organisations are public knowledge (the portal lists township centers and agent
 * points so people know where to go), so listing needs no role. */
int ow_org_list_json(ow_ctx *cx, const char *kind, int64_t parent_id, bool include_inactive,
                     json_t **out) {
    if (kind && !org_kind_valid(kind))
        return ow_err_set(&cx->err, OW_EINVAL, "kind", "机构类型不正确");
    if (include_inactive && !is_admin(cx)) include_inactive = false;
    json_t *arr = json_array();
    int rc = ow_account_store_org_each(cx->db, kind, parent_id, include_inactive, append_org, arr,
                                       &cx->err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return OW_OK;
}

/* ======================= people ======================= */

static int check_name(ow_ctx *cx, const char *field, const char *v, size_t min, size_t max) {
    if (!v || !*v)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", field, "请填写姓名或名称");
    size_t n = ow_utf8_len(v);
    if (!ow_utf8_valid_text(v) || strchr(v, '\n') || n < min || n > max)
        return ow_err_set(&cx->err, OW_EINVAL, field, "名称应为 %zu 到 %zu 个字", min, max);
    return OW_OK;
}

int ow_account_register_check(ow_ctx *cx, const ow_register_in *in, char norm_id[19],
                              char norm_mobile[12]) {
    norm_id[0] = '\0';
    if (!in->kind || (strcmp(in->kind, "citizen") && strcmp(in->kind, "enterprise")))
        return ow_err_set(&cx->err, OW_EINVAL, "kind",
                          "注册类型应为 citizen（个人）或 enterprise（法人）");
    int rc;
    if (!strcmp(in->kind, "citizen")) {
        if (!in->id_number || !*in->id_number)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "id_number",
                               "请填写身份证号码");
        if ((rc = ow_id_number_check(in->id_number, norm_id, today_yyyymmdd(cx), &cx->err)))
            return rc;
        if ((rc = check_name(cx, "name", in->name, 2, 30))) return rc;
    } else {
        if (!in->uscc || !*in->uscc)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "uscc",
                               "请填写统一社会信用代码");
        if ((rc = ow_uscc_check(in->uscc, norm_id, &cx->err))) return rc;
        if ((rc = check_name(cx, "name", in->name, 2, 60))) return rc;
        if ((rc = check_name(cx, "legal_representative", in->legal_representative, 2, 30)))
            return rc;
    }
    if (!in->mobile || !*in->mobile)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "mobile", "请填写手机号码");
    if ((rc = ow_mobile_check(in->mobile, norm_mobile, &cx->err))) return rc;
    if (!in->password)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "password", "请设置密码");
    return ow_pw_policy_check(in->password, &cx->err);
}

static int insert_user(ow_ctx *cx, const char *username, const char *kind, const char *role,
                       int64_t org_id, const char *name, const char *id_number, const char *uscc,
                       const char *legal_rep, const char *mobile, const char *pw_hash,
                       int64_t *user_id) {
    const ow_crypto_keys *k = &cx->app->keys;
    char *id_enc = NULL, *mob_enc = NULL;
    char id_idx[65], mob_idx[65];
    int rc = OW_OK;
    if (id_number) {
        rc = ow_pii_encrypt(k, id_number, "users.id_number", &id_enc);
        ow_blind_index(k, "id_number", id_number, id_idx);
    }
    if (!rc && mobile) {
        rc = ow_pii_encrypt(k, mobile, "users.mobile", &mob_enc);
        ow_blind_index(k, "mobile", mobile, mob_idx);
    }
    if (rc) {
        free(id_enc);
        return ow_err_set(&cx->err, rc, "", "个人信息加密失败");
    }
    char id_masked[19], mob_masked[12];
    if (id_enc) ow_mask_id_number(id_number, id_masked);
    if (mob_enc) ow_mask_mobile(mobile, mob_masked);
    ow_user_new u = {.username = username,
                     .kind = kind,
                     .role = role,
                     .org_id = org_id,
                     .name = name,
                     .id_number_enc = id_enc,
                     .id_number_idx = id_enc ? id_idx : NULL,
                     .id_masked = id_enc ? id_masked : NULL,
                     .uscc = uscc,
                     .legal_representative = legal_rep,
                     .mobile_enc = mob_enc,
                     .mobile_idx = mob_enc ? mob_idx : NULL,
                     .mobile_masked = mob_enc ? mob_masked : NULL,
                     .password_hash = pw_hash,
                     .now_ms = ow_clock_now_ms(cx->clock)};
    /* a taken number is answered, not failed (account_api.c): the insert runs guarded */
    rc = ow_account_store_user_insert(cx->db, &u, user_id, &cx->err);
    free(id_enc);
    free(mob_enc);
    if (rc == OW_ECONFLICT) {
        const char *msg = uscc        ? "该统一社会信用代码已注册"
                          : id_number ? "该身份证号码已注册，请直接登录"
                                      : "该用户名已被使用";
        const char *field = uscc ? "uscc" : id_number ? "id_number" : "username";
        ow_err_setk(&cx->err, OW_ECONFLICT, "already_registered", field, "%s", msg);
    }
    return rc;
}

/* A mobile number signs in to one citizen or enterprise account (session.c), so it
 * belongs to one: found by its blind index, as sign-in finds it (the unique index of
 * migration 0018 stands behind this check). */
static int mobile_free(ow_ctx *cx, const char *norm_mobile) {
    char idx[65];
    ow_blind_index(&cx->app->keys, "mobile", norm_mobile, idx);
    bool taken;
    int rc = ow_account_store_mobile_taken(cx->db, idx, &taken, &cx->err);
    if (rc) return rc;
    if (taken)
        return ow_err_setk(
            &cx->err, OW_ECONFLICT, "mobile_taken", "mobile",
            "该手机号码已用于其他账号，请换一个手机号码；如是本人账号，请直接用手机号码登录");
    return OW_OK;
}

int ow_account_register_insert(ow_ctx *cx, const ow_register_in *in, const char *norm_id,
                               const char *norm_mobile, const char *pw_hash, int64_t *user_id) {
    bool citizen = !strcmp(in->kind, "citizen");
    int rc = mobile_free(cx, norm_mobile);
    if (rc) return rc;
    /* The sign-in name of a citizen is their ID number and of an enterprise its
     * code; the username column still needs a unique handle that reveals neither. */
    char username[40], idx[65];
    ow_blind_index(&cx->app->keys, "username", norm_id, idx);
    snprintf(username, sizeof username, "%c-%.24s", citizen ? 'p' : 'e', idx);
    rc = insert_user(cx, username, in->kind, in->kind, 0, in->name, citizen ? norm_id : NULL,
                     citizen ? NULL : norm_id, citizen ? NULL : in->legal_representative,
                     norm_mobile, pw_hash, user_id);
    if (rc) return rc;
    char ids[24], masked[19];
    snprintf(ids, sizeof ids, "%lld", (long long)*user_id);
    if (citizen) ow_mask_id_number(norm_id, masked);
    json_t *d = json_pack("{s:s,s:s}", "kind", in->kind, citizen ? "id_number" : "uscc",
                          citizen ? masked : norm_id);
    /* The new account acts on its own registration, whoever's cookie came along. */
    ow_actor saved = cx->actor;
    memset(&cx->actor, 0, sizeof cx->actor);
    cx->actor.user_id = *user_id;
    snprintf(cx->actor.username, sizeof cx->actor.username, "%s", username);
    snprintf(cx->actor.role, sizeof cx->actor.role, "%s", in->kind);
    rc = ow_audit_append(cx, "account.register", "user", ids, d);
    cx->actor = saved;
    json_decref(d);
    return rc;
}

/* No local password: "!" is no argon2id string, so ow_pw_verify refuses every password
 * against it (an account made by the identity platform signs in only through it). */
#define NO_LOCAL_PASSWORD "!"

int ow_account_holder_find_or_create(ow_ctx *cx, const char *kind, const char *number,
                                     const char *name, const char *mobile, int64_t *user_id,
                                     bool *created) {
    *user_id = 0;
    *created = false;
    bool citizen = !strcmp(kind, "citizen");
    char norm[19];
    int rc = citizen ? ow_id_number_check(number, norm, 99991231, &cx->err)
                     : ow_uscc_check(number, norm, &cx->err);
    if (rc) return rc;
    ow_login_target t;
    if ((rc = ow_account_find_login(cx, norm, &t))) return rc;
    if (t.user_id) {
        if (strcmp(t.kind, kind))
            return ow_err_setk(&cx->err, OW_ECONFLICT, "identity_kind", "",
                               "该证件号码已登记为其他类型的账号，请到政务服务中心窗口核实");
        *user_id = t.user_id;
        return OW_OK;
    }
    char mob[12] = "";
    ow_err ignore = {0};
    if (mobile && *mobile && ow_mobile_check(mobile, mob, &ignore) == OW_OK) {
        char idx[65];
        bool taken = false;
        ow_blind_index(&cx->app->keys, "mobile", mob, idx);
        if ((rc = ow_account_store_mobile_taken(cx->db, idx, &taken, &cx->err))) return rc;
        if (taken) mob[0] = '\0';
    }
    char nm[64];
    snprintf(nm, sizeof nm, "%s", name && *name ? name : (citizen ? "实名用户" : "实名企业"));
    char username[40], idx[65];
    ow_blind_index(&cx->app->keys, "username", norm, idx);
    snprintf(username, sizeof username, "%c-%.24s", citizen ? 'p' : 'e', idx);
    rc = insert_user(cx, username, kind, kind, 0, nm, citizen ? norm : NULL, citizen ? NULL : norm,
                     NULL, mob[0] ? mob : NULL, NO_LOCAL_PASSWORD, user_id);
    if (rc) return rc;
    *created = true;
    char ids[24], masked[19];
    snprintf(ids, sizeof ids, "%lld", (long long)*user_id);
    if (citizen) ow_mask_id_number(norm, masked);
    json_t *d = json_pack("{s:s,s:s,s:s}", "kind", kind, citizen ? "id_number" : "uscc",
                          citizen ? masked : norm, "via", "identity_platform");
    rc = ow_audit_append(cx, "account.register_verified", "user", ids, d);
    json_decref(d);
    return rc;
}

int ow_account_state(ow_ctx *cx, int64_t user_id, bool *found, bool *active, char kind[16]) {
    ow_user_state st;
    int rc = ow_account_store_user_state(cx->db, user_id, &st, found, &cx->err);
    *active = *found && st.active == 1;
    snprintf(kind, 16, "%s", *found ? st.kind : "");
    return rc;
}

typedef struct staff_walk {
    int (*fn)(void *arg, int64_t user_id);
    void *arg;
} staff_walk;

static int staff_walk_one(void *arg, const ow_user_row *r) {
    staff_walk *w = arg;
    return r->active == 1 ? w->fn(w->arg, r->id) : OW_OK;
}

int ow_account_staff_each(ow_ctx *cx, int64_t org_id, int (*fn)(void *arg, int64_t user_id),
                          void *arg) {
    if (org_id <= 0) return OW_OK;
    staff_walk w = {fn, arg};
    /* an office has tens of staff, not thousands: one page holds them */
    return ow_account_store_user_each(cx->db, NULL, "staff", org_id, NULL, 1000, 0, staff_walk_one,
                                      &w, &cx->err);
}

int ow_account_staff_check(ow_ctx *cx, const ow_staff_in *in, char norm_mobile[12]) {
    if (!is_admin(cx)) return forbid(cx, "只有系统管理员可以创建工作人员账号");
    int rc;
    if (!in->username || !*in->username)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "username", "请填写用户名");
    size_t n = strlen(in->username);
    if (n < 3 || n > 32 || strspn(in->username, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != n)
        return ow_err_set(&cx->err, OW_EINVAL, "username",
                          "用户名应为 3 到 32 位小写字母、数字、点、横线或下划线");
    if ((rc = check_name(cx, "name", in->name, 2, 30))) return rc;
    if (!in->role || !ow_role_valid(in->role) || !ow_role_is_staff(in->role))
        return ow_err_set(&cx->err, OW_EINVAL, "role",
                          "角色应为 agent、clerk、approver、supervisor、discloser 或 admin");
    if (in->org_id <= 0)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "org_id", "请选择所属机构");
    char kind[16];
    if ((rc = ow_org_kind(cx, in->org_id, kind))) return rc == OW_ENOTFOUND ? OW_EINVAL : rc;
    /* Each role works from a fitting kind of office. */
    const char *want = NULL;
    if (!strcmp(in->role, "agent") && strcmp(kind, "agent_point"))
        want = "代办员应属于村（社区）代办点";
    if (!strcmp(in->role, "clerk") && strcmp(kind, "window") && strcmp(kind, "township"))
        want = "窗口人员应属于窗口或乡镇（街道）便民服务中心";
    if (!strcmp(in->role, "approver") && strcmp(kind, "department")) want = "审批人员应属于部门";
    if (want) return ow_err_set(&cx->err, OW_EINVAL, "org_id", "%s", want);
    norm_mobile[0] = '\0';
    if (in->mobile && *in->mobile && (rc = ow_mobile_check(in->mobile, norm_mobile, &cx->err)))
        return rc;
    if (!in->password)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "password", "请设置初始密码");
    return ow_pw_policy_check(in->password, &cx->err);
}

int ow_account_staff_insert(ow_ctx *cx, const ow_staff_in *in, const char *norm_mobile,
                            const char *pw_hash, int64_t *user_id) {
    int rc = insert_user(cx, in->username, "staff", in->role, in->org_id, in->name, NULL, NULL,
                         NULL, norm_mobile && *norm_mobile ? norm_mobile : NULL, pw_hash, user_id);
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)*user_id);
    json_t *d = json_pack("{s:s,s:s,s:I}", "username", in->username, "role", in->role, "org_id",
                          (json_int_t)in->org_id);
    rc = ow_audit_append(cx, "account.create_staff", "user", ids, d);
    json_decref(d);
    return rc;
}

static json_t *user_row_json(const ow_user_row *r) {
    char created[32];
    ow_time_format_iso(r->created_at, created);
    json_t *u =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:s}", "id", (json_int_t)r->id, "username",
                  r->username, "name", r->name, "kind", r->kind, "role", r->role, "role_name",
                  ow_role_name(r->role, r->org_kind), "active", r->active, "created_at", created);
    if (r->org_id)
        json_object_set_new(u, "org",
                            json_pack("{s:I,s:s,s:s}", "id", (json_int_t)r->org_id, "name",
                                      r->org_name, "kind", r->org_kind ? r->org_kind : ""));
    else
        json_object_set_new(u, "org", json_null());
    if (r->id_masked) json_object_set_new(u, "id_number", json_string(r->id_masked));
    if (r->uscc) {
        json_object_set_new(u, "uscc", json_string(r->uscc));
        json_object_set_new(u, "legal_representative", json_string(r->legal_representative));
    }
    if (r->mobile_masked) json_object_set_new(u, "mobile", json_string(r->mobile_masked));
    return u;
}

/* Who may see whose account: everybody themself, admins everybody. */
static bool may_view_user(const ow_ctx *cx, int64_t user_id) {
    return is_admin(cx) || cx->actor.user_id == user_id;
}

int ow_account_user_json(ow_ctx *cx, int64_t user_id, json_t **out) {
    if (!may_view_user(cx, user_id)) return forbid(cx, "无权查看该账号");
    ow_user_row r;
    bool found;
    int rc = ow_account_store_user_get(cx->db, user_id, cx->arena, &r, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "账号不存在");
    *out = user_row_json(&r);
    return OW_OK;
}

int ow_account_user_pii_read(ow_ctx *cx, int64_t user_id, json_t **out) {
    bool needs = is_admin(cx) || ow_actor_is(&cx->actor, "clerk") || cx->actor.user_id == user_id;
    if (!needs) return forbid(cx, "无权查看完整的身份证号码和手机号码");
    const char *id_enc, *mob_enc;
    bool found;
    int rc =
        ow_account_store_user_pii(cx->db, user_id, cx->arena, &id_enc, &mob_enc, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "账号不存在");
    char *id = NULL, *mob = NULL;
    int r1 = !id_enc ? OW_OK : ow_pii_decrypt(&cx->app->keys, id_enc, "users.id_number", &id);
    int r2 = !mob_enc ? OW_OK : ow_pii_decrypt(&cx->app->keys, mob_enc, "users.mobile", &mob);
    if (r1 || r2) {
        free(id);
        free(mob);
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "个人信息解密失败");
    }
    json_t *o = json_object();
    json_object_set_new(o, "id_number", id ? json_string(id) : json_null());
    json_object_set_new(o, "mobile", mob ? json_string(mob) : json_null());
    free(id);
    free(mob);
    *out = o;
    return OW_OK;
}

int ow_account_user_pii_audit(ow_ctx *cx, int64_t user_id) {
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)user_id);
    json_t *d = json_pack("{s:s}", "fields", "id_number,mobile");
    int rc = ow_audit_append(cx, "account.pii_view", "user", ids, d);
    json_decref(d);
    return rc;
}

int ow_account_mobile(ow_ctx *cx, int64_t user_id, char out[12]) {
    out[0] = '\0';
    const char *id_enc, *mob_enc;
    bool found;
    int rc =
        ow_account_store_user_pii(cx->db, user_id, cx->arena, &id_enc, &mob_enc, &found, &cx->err);
    if (rc || !found || !mob_enc) return rc;
    char *mob = NULL;
    if (ow_pii_decrypt(&cx->app->keys, mob_enc, "users.mobile", &mob))
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "个人信息解密失败");
    snprintf(out, 12, "%s", mob);
    free(mob);
    return OW_OK;
}

int ow_account_user_pii(ow_ctx *cx, int64_t user_id, json_t **out) {
    int rc = ow_account_user_pii_read(cx, user_id, out);
    if (!rc && (rc = ow_account_user_pii_audit(cx, user_id))) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

static int append_user(void *arg, const ow_user_row *r) {
    json_array_append_new(arg, user_row_json(r));
    return OW_OK;
}

int ow_account_list_json(ow_ctx *cx, const char *role, const char *kind, int64_t org_id,
                         const char *q, int page, int per_page, json_t **items, int64_t *total) {
    if (!is_admin(cx)) return forbid(cx, "只有系统管理员可以查看账号列表");
    if (role && !ow_role_valid(role)) return ow_err_set(&cx->err, OW_EINVAL, "role", "角色不正确");
    if (kind && strcmp(kind, "staff") && strcmp(kind, "citizen") && strcmp(kind, "enterprise"))
        return ow_err_set(&cx->err, OW_EINVAL, "kind", "账号类型应为 staff、citizen 或 enterprise");
    if (q && !*q) q = NULL;
    int rc = ow_account_store_user_count(cx->db, role, kind, org_id, q, total, &cx->err);
    if (rc) return rc;
    json_t *arr = json_array();
    rc = ow_account_store_user_each(cx->db, role, kind, org_id, q, per_page,
                                    (int64_t)(page - 1) * per_page, append_user, arr, &cx->err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *items = arr;
    return OW_OK;
}

int ow_account_update(ow_ctx *cx, int64_t user_id, int active, const char *role, int64_t org_id,
                      const char *name) {
    if (!is_admin(cx)) return forbid(cx, "只有系统管理员可以修改账号");
    ow_user_state old;
    bool found;
    int rc = ow_account_store_user_state(cx->db, user_id, &old, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "账号不存在");
    const char *kind = old.kind, *old_role = old.role, *old_name = old.name;
    int64_t old_org = old.org_id;
    int old_active = old.active;
    if (cx->actor.user_id == user_id && active == 0)
        return ow_err_set(&cx->err, OW_ECONFLICT, "active", "不能停用自己的账号");
    const char *new_role = role ? role : old_role;
    int64_t new_org = org_id > 0 ? org_id : old_org;
    int new_active = active >= 0 ? active : old_active;
    if (strcmp(kind, "staff") && ((role && strcmp(role, old_role)) || org_id > 0))
        return ow_err_set(&cx->err, OW_EINVAL, "role", "个人和法人账号不能设置角色或机构");
    if (!strcmp(kind, "staff") && (role || org_id > 0)) {
        ow_staff_in probe = {.username = "probe",
                             .name = name ? name : old_name,
                             .role = new_role,
                             .org_id = new_org,
                             .password = "Probe#2026x"};
        char m[12];
        if ((rc = ow_account_staff_check(cx, &probe, m))) return rc;
    }
    if (name && (rc = check_name(cx, "name", name, 2, 60))) return rc;
    /* re-enabling clears a lockout */
    if ((rc = ow_account_store_user_update(cx->db, user_id, new_active, new_role, new_org,
                                           name ? name : old_name, !old_active && new_active,
                                           ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    /* A disabled account or a changed role must not keep acting through old sessions. */
    if ((old_active && !new_active) || strcmp(new_role, old_role) || new_org != old_org)
        if ((rc = ow_session_end_all(cx, user_id, !new_active ? "disabled" : "role_changed", 0)))
            return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)user_id);
    json_t *d = json_pack("{s:b,s:b,s:s,s:s,s:I,s:I}", "old_active", old_active, "active",
                          new_active, "old_role", old_role, "role", new_role, "old_org_id",
                          (json_int_t)old_org, "org_id", (json_int_t)new_org);
    rc = ow_audit_append(cx, "account.update", "user", ids, d);
    json_decref(d);
    return rc;
}

int ow_account_password_reset_check(ow_ctx *cx, int64_t user_id) {
    if (!is_admin(cx)) return forbid(cx, "只有系统管理员可以重置密码");
    if (cx->actor.user_id == user_id)
        return ow_err_set(&cx->err, OW_ECONFLICT, "id", "请在“修改密码”中修改自己的密码");
    bool found;
    int rc = ow_account_store_user_exists(cx->db, user_id, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "账号不存在");
    return OW_OK;
}

/* The new hash, and the audit row naming why: changed by its owner, or reset by an
 * administrator — which also clears a lockout. */
static int write_password(ow_ctx *cx, int64_t user_id, const char *pw_hash, bool reset) {
    int rc = ow_account_store_password_set(cx->db, user_id, pw_hash, reset,
                                           ow_clock_now_ms(cx->clock), &cx->err);
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)user_id);
    return ow_audit_append(cx, reset ? "account.password_reset" : "account.password_change", "user",
                           ids, NULL);
}

int ow_account_password_reset(ow_ctx *cx, int64_t user_id, const char *pw_hash) {
    int rc = ow_account_password_reset_check(cx, user_id); /* again, on the writer */
    if (rc || (rc = write_password(cx, user_id, pw_hash, true))) return rc;
    /* whoever knew the old password is signed out everywhere */
    return ow_session_end_all(cx, user_id, "password_reset", 0);
}

int ow_account_password_hash(ow_ctx *cx, int64_t user_id, char out[128]) {
    bool found;
    int rc = ow_account_store_password_hash(cx->db, user_id, out, &found, &cx->err);
    if (!rc && !found) return ow_err_set(&cx->err, OW_ENOTFOUND, "", "账号不存在或已停用");
    return rc;
}

int ow_account_set_password(ow_ctx *cx, int64_t user_id, const char *pw_hash) {
    return write_password(cx, user_id, pw_hash, false);
}
