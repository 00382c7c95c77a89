/* wallet.c — e-licenses (电子证照) issued from approved cases, and the wallet that
 * offers them, with earlier accepted materials, to the next application (免提交).
 *
 * A license's holder is the case's applicant, found again by the same keyed blind
 * index of the ID number or USCC (一号申请): a citizen who filed online and one for
 * whom a clerk filed at the window hold the same wallet.  Validity: a license stays
 * "valid" until revoked; "expired" is computed from valid_until at read time, so no
 * sweep has to run for it.  The verification code lives in the document register
 * (docs.h) with the same validity, so /verify/{code} needs no second lookup. */
#include "wallet/wallet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "audit/audit.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "catalog/catalog_cases.h"
#include "core/buf.h"
#include "core/workdays.h"
#include "core/crypto.h"
#include "core/json.h"
#include "docs/docs.h"
#include "files/files.h"
#include "store/wallet_store.h"

/* ======================= types and validity ======================= */

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !memcmp(s + n - k, suffix, k);
}

int ow_wallet_license_type(const char *result_name, char *type, size_t type_size) {
    type[0] = '\0';
    if (!result_name) return OW_OK;
    const char *s = result_name;
    if (!strncmp(s, "《", strlen("《"))) s += strlen("《");
    size_t n = strlen(s);
    /* cut at a parenthesis, a slash or the closing 》: "社会保障卡（可邮寄）" */
    const char *stops[] = {"》", "（", "(", "／", "/"};
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        const char *p = strstr(s, stops[i]);
        if (p && (size_t)(p - s) < n) n = (size_t)(p - s);
    }
    if (!n || n >= type_size) return OW_OK;
    char t[128];
    if (n >= sizeof t) return OW_OK;
    memcpy(t, s, n);
    t[n] = '\0';
    /* a certificate, licence or register book — not a payment or a completed step */
    static const char *const ENDINGS[] = {"证", "证书", "执照", "户口簿", "社会保障卡"};
    for (size_t i = 0; i < sizeof ENDINGS / sizeof ENDINGS[0]; i++)
        if (ends_with(t, ENDINGS[i])) {
            snprintf(type, type_size, "%s", t);
            return OW_OK;
        }
    return OW_OK;
}

/* Years a license of this type is valid (0 = long-term, 长期).  The statutory terms:
 * 食品经营许可证 5 years (食品经营许可和备案管理办法 Art. 29), 道路运输经营许可证 4
 * (道路运输条例 implementing rules: 4 to 8), 居住证 1 (居住证暂行条例: signed yearly). */
static int validity_years(const char *type) {
    static const struct {
        const char *type;
        int years;
    } T[] = {{"食品经营许可证", 5}, {"道路运输经营许可证", 4}, {"居住证", 1}};
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++)
        if (!strcmp(T[i].type, type)) return T[i].years;
    return 0;
}

/* 张伟 → 张*, 欧阳娜娜 → 欧***: only the first character stays. */
static const char *mask_name(ow_ctx *cx, const char *name, const char *kind) {
    if (!strcmp(kind, "enterprise")) return name; /* an enterprise name is public */
    ow_buf b;
    ow_buf_init(&b, cx->arena, 32);
    const unsigned char *p = (const unsigned char *)name;
    size_t first = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
    if (strlen(name) < first) return "*";
    ow_buf_append(&b, name, first);
    for (size_t i = 1; i < ow_utf8_len(name); i++)
        ow_buf_putc(&b, '*');
    return b.data;
}

static void today_iso(ow_ctx *cx, char out[11]) {
    ow_date_format(ow_date_today_shanghai(ow_clock_now_ms(cx->clock)), out);
}

static const char *org_name(ow_ctx *cx, int64_t id) {
    json_t *o;
    if (ow_org_get_json(cx, id, &o)) {
        ow_err_clear(&cx->err);
        return "";
    }
    const char *n = ow_strdup(cx->arena, json_string_value(json_object_get(o, "name")));
    json_decref(o);
    return n ? n : "";
}

/* ======================= issuing ======================= */

static int next_number(ow_ctx *cx, int year, char out[32]) {
    int64_t n;
    int rc = ow_wallet_store_next_seq(cx->db, year, &n, &cx->err);
    if (rc) return rc;
    /* region code, year, sequence: 4309032026000017 */
    snprintf(out, 32, "%s%04d%06lld", cx->app->cfg.region_code, year, (long long)n);
    return OW_OK;
}

int ow_wallet_issue_for_case(ow_ctx *cx, const ow_license_issue_in *in, int64_t *id) {
    *id = 0;
    json_t *g;
    int rc = ow_catalog_version_json(cx, in->item_id, in->item_version, &g);
    if (rc) return rc;
    char type[96];
    ow_wallet_license_type(json_string_value(json_object_get(g, "result_name")), type, sizeof type);
    json_decref(g);
    if (!type[0]) return OW_OK; /* the result is not a certificate */

    char today[11], until[11] = "";
    today_iso(cx, today);
    int y = atoi(today), years = validity_years(type);
    if (years) {
        /* the day before the same date N years on: 2026-11-24 → 2031-11-23 */
        int32_t d;
        char later[11];
        snprintf(later, sizeof later, "%04d%s", y + years, today + 4);
        if (!strcmp(later + 5, "02-29")) snprintf(later + 5, 6, "02-28");
        if (ow_date_parse(later, &d))
            return ow_err_set(&cx->err, OW_EINTERNAL, "", "有效期计算失败");
        ow_date_format(d - 1, until);
    }
    char number[32];
    if ((rc = next_number(cx, y, number))) return rc;
    const char *issuer = org_name(cx, in->dept_id);
    const char *masked_name = mask_name(cx, in->holder_name, in->holder_kind);
    char *enc = NULL;
    if (ow_pii_encrypt(&cx->app->keys, in->holder_number, "licenses.holder", &enc))
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "个人信息加密失败");
    json_t *data =
        json_pack("{s:s,s:s,s:s,s:s,s:s}", "持证人", in->holder_name, "证件号码", in->holder_masked,
                  "事项", in->item_name, "办件编号", in->case_no, "发证机关", issuer);
    if (in->title && *in->title) json_object_set_new(data, "申请内容", json_string(in->title));
    char *dtext = ow_json_dump(data);
    json_decref(data);

    /* the row first (its id names the document), then the register entry */
    ow_license_new l = {.type = type,
                        .number = number,
                        .holder_kind = in->holder_kind,
                        .holder_idx = in->holder_idx,
                        .holder_enc = enc,
                        .holder_masked = in->holder_masked,
                        .holder_name = in->holder_name,
                        .dept_id = in->dept_id,
                        .issuer = issuer,
                        .case_id = in->case_id,
                        .case_no = in->case_no,
                        .item_id = in->item_id,
                        .issued_date = today,
                        .valid_until = until[0] ? until : NULL,
                        .data = dtext,
                        .created_at = ow_clock_now_ms(cx->clock)};
    rc = ow_wallet_store_insert(cx->db, &l, id, &cx->err);
    free(enc);
    free(dtext);
    if (rc) return rc;

    char ids[24], code[OW_DOCS_CODE_CHARS + 1];
    snprintf(ids, sizeof ids, "%lld", (long long)*id);
    ow_doc_record r = {.kind = "license",
                       .title = type,
                       .issuer = issuer,
                       .number = number,
                       .recipient_masked = masked_name,
                       .issued_date = today,
                       .object_type = "license",
                       .object_id = ids,
                       .valid_until = until[0] ? until : NULL};
    if ((rc = ow_docs_register(cx, &r, code))) return rc;
    if ((rc = ow_wallet_store_set_code(cx->db, *id, code, &cx->err))) return rc;
    json_t *a =
        json_pack("{s:s,s:s,s:s,s:s,s:s*}", "type", type, "number", number, "case_no", in->case_no,
                  "holder", in->holder_masked, "valid_until", until[0] ? until : NULL);
    rc = ow_audit_append(cx, "license.issue", "license", ids, a);
    json_decref(a);
    return rc;
}

/* ======================= reading ======================= */

static json_t *license_row(ow_ctx *cx, const ow_license_row *r) {
    char today[11];
    today_iso(cx, today);
    const char *until = r->valid_until;
    const char *status = !strcmp(r->status, "revoked")          ? "revoked"
                         : (*until && strcmp(until, today) < 0) ? "expired"
                                                                : "valid";
    static const char *const NAMES[][2] = {
        {"valid", "有效"}, {"revoked", "已注销"}, {"expired", "已过期"}};
    const char *sname = "";
    for (size_t i = 0; i < 3; i++)
        if (!strcmp(NAMES[i][0], status)) sname = NAMES[i][1];
    json_t *data = json_loads(r->data, 0, NULL);
    json_t *o =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:I,s:s,s:o,s:o,s:s,s:s,s:s,s:s}", "id",
                  (json_int_t)r->id, "type", r->type, "number", r->number, "holder_kind",
                  r->holder_kind, "holder_masked", r->holder_masked, "holder_name", r->holder_name,
                  "dept_id", (json_int_t)r->dept_id, "issuer", r->issuer, "case_no", r->case_no,
                  "item_id", (json_int_t)r->item_id, "issued_date", r->issued_date, "valid_until",
                  *until ? json_string(until) : json_null(), "data", data ? data : json_object(),
                  "verify_code", r->doc_code, "status", status, "status_name", sname, "verify_path",
                  ow_sprintf(cx->arena, "/verify/%s", r->doc_code));
    if (!strcmp(status, "revoked"))
        json_object_set_new(o, "revoke_reason", json_string(r->revoke_reason));
    return o;
}

/* The actor's own blind index (citizen: ID number, enterprise: USCC), or NULL. */
static int actor_holder(ow_ctx *cx, const char **idx) {
    *idx = NULL;
    if (strcmp(cx->actor.role, "citizen") && strcmp(cx->actor.role, "enterprise")) return OW_OK;
    char out[65];
    int rc = ow_account_holder_idx(cx, cx->actor.user_id, out);
    if (!rc && out[0]) *idx = ow_strdup(cx->arena, out);
    return rc;
}

static int load_license(ow_ctx *cx, int64_t id, json_t **out, const char **holder_idx) {
    *out = NULL;
    *holder_idx = "";
    ow_license_row r;
    bool found;
    int rc = ow_wallet_store_get(cx->db, cx->arena, id, &r, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "电子证照不存在");
    *out = license_row(cx, &r);
    *holder_idx = r.holder_idx;
    return OW_OK;
}

/* Whether the actor may look at a case that license `id` was issued by or stands in for:
 * the clerk who takes the application in, the approver who reviews it. */
static int seen_in_a_case(ow_ctx *cx, int64_t id, bool *ok) {
    int64_t cases[50];
    int n;
    int rc = ow_wallet_store_case_ids(cx->db, id, cases, 50, &n, &cx->err);
    if (rc) return rc;
    *ok = false;
    for (int i = 0; i < n && !*ok; i++)
        if ((rc = ow_cases_may_view_id(cx, cases[i], ok))) return rc;
    return OW_OK;
}

int ow_wallet_license_json(ow_ctx *cx, int64_t id, json_t **out) {
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    const char *hidx, *mine;
    int rc = load_license(cx, id, out, &hidx);
    if (rc) return rc;
    if ((rc = actor_holder(cx, &mine))) goto fail;
    const char *role = cx->actor.role;
    bool ok = cx->actor.system || (mine && !strcmp(mine, hidx)) || !strcmp(role, "admin") ||
              !strcmp(role, "supervisor") ||
              (!strcmp(role, "approver") &&
               cx->actor.org_id == json_integer_value(json_object_get(*out, "dept_id")));
    /* staff beyond those: only through a case of theirs, not any license by its number */
    if (!ok && !mine && (rc = seen_in_a_case(cx, id, &ok))) goto fail;
    if (ok) return OW_OK;
    rc = ow_err_set(&cx->err, OW_ENOTFOUND, "id", "电子证照不存在");
fail:
    json_decref(*out);
    *out = NULL;
    return rc;
}

typedef struct licenses_acc {
    ow_ctx *cx;
    bool current_only;
    json_t *arr;
} licenses_acc;

static int add_license(void *arg, const ow_license_row *r) {
    licenses_acc *acc = arg;
    json_t *o = license_row(acc->cx, r);
    if (acc->current_only && strcmp(json_string_value(json_object_get(o, "status")), "valid"))
        json_decref(o);
    else
        json_array_append_new(acc->arr, o);
    return OW_OK;
}

static int licenses_of(ow_ctx *cx, const char *idx, const char *type, bool current_only,
                       json_t **out) {
    licenses_acc acc = {.cx = cx, .current_only = current_only, .arr = json_array()};
    int rc =
        ow_wallet_store_each_of_holder(cx->db, cx->arena, idx, type, add_license, &acc, &cx->err);
    if (rc) {
        json_decref(acc.arr);
        return rc;
    }
    *out = acc.arr;
    return OW_OK;
}

static int need_holder(ow_ctx *cx, const char **idx) {
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    int rc = actor_holder(cx, idx);
    if (rc) return rc;
    if (!*idx)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "电子资料卡包只属于个人或企业申请人账号");
    return OW_OK;
}

int ow_wallet_holder_idx(ow_ctx *cx, const char **idx) {
    return need_holder(cx, idx);
}

int ow_wallet_mine_json(ow_ctx *cx, json_t **out) {
    const char *idx;
    int rc = need_holder(cx, &idx);
    if (rc) return rc;
    json_t *lic, *mats;
    if ((rc = licenses_of(cx, idx, NULL, false, &lic))) return rc;
    if ((rc = ow_files_reusable_json(cx, idx, NULL, &mats))) {
        json_decref(lic);
        return rc;
    }
    *out = json_pack("{s:o,s:o}", "licenses", lic, "materials", mats);
    return OW_OK;
}

int ow_wallet_offers_json(ow_ctx *cx, int64_t item_id, json_t **out) {
    const char *idx;
    int rc = need_holder(cx, &idx);
    if (rc) return rc;
    ow_case_item it;
    if ((rc = ow_catalog_case_item(cx, item_id, 0, &it))) return rc;
    json_t *arr = json_array();
    for (int i = 0; i < it.nmaterials; i++) {
        const ow_case_material *m = &it.materials[i];
        json_t *lic = NULL, *mats = NULL;
        if (!*m->license_type)
            lic = json_array();
        else if ((rc = licenses_of(cx, idx, m->license_type, true, &lic)))
            break;
        if ((rc = ow_files_reusable_json(cx, idx, m->name, &mats))) {
            json_decref(lic);
            break;
        }
        if (!json_array_size(lic) && !json_array_size(mats)) {
            json_decref(lic);
            json_decref(mats);
            continue;
        }
        json_array_append_new(arr, json_pack("{s:s,s:b,s:s,s:o,s:o}", "material", m->name,
                                             "required", m->required, "license_type",
                                             m->license_type, "licenses", lic, "materials", mats));
    }
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return OW_OK;
}

int ow_wallet_attach(ow_ctx *cx, int64_t case_id, const char *material, int64_t license_id,
                     int64_t material_id, int64_t *id) {
    if ((license_id > 0) == (material_id > 0))
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "license_id",
                           "请选择卡包中的一张电子证照或一份材料（二者选其一）");
    if (!material || !*material)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "material", "请选择材料");
    ow_case_attach_view b;
    int rc = ow_cases_attach_view(cx, case_id, &b);
    if (rc) return rc;
    ow_case_item it;
    if ((rc = ow_catalog_case_item(cx, b.item_id, b.item_version, &it))) return rc;
    int k = ow_case_item_material(&it, material);
    if (k < 0)
        return ow_err_set(&cx->err, OW_EINVAL, "material", "材料“%s”不在该事项的办事指南中",
                          material);
    ow_material_in in = {.case_id = case_id, .material = material};
    if (license_id > 0) {
        json_t *l;
        const char *hidx;
        if ((rc = load_license(cx, license_id, &l, &hidx))) return rc;
        const char *type = ow_strdup(cx->arena, json_string_value(json_object_get(l, "type")));
        const char *status = ow_strdup(cx->arena, json_string_value(json_object_get(l, "status")));
        const char *sname =
            ow_strdup(cx->arena, json_string_value(json_object_get(l, "status_name")));
        json_decref(l);
        if (strcmp(hidx, b.applicant_idx))
            return ow_err_set(&cx->err, OW_ENOTFOUND, "license_id",
                              "申请人的卡包中没有这张电子证照");
        if (strcmp(status, "valid"))
            return ow_err_setk(&cx->err, OW_ECONFLICT, "license_not_current", "license_id",
                               "这张%s%s，不能作为申请材料", type, sname);
        if (strcmp(it.materials[k].license_type, type))
            return ow_err_set(&cx->err, OW_EINVAL, "license_id",
                              "材料“%s”不能用%s代替（办事指南要求的电子证照类型为“%s”）", material,
                              type,
                              *it.materials[k].license_type ? it.materials[k].license_type : "无");
        in.source = "license";
        in.license_id = license_id;
        in.filename = type;
    } else {
        ow_material_in m;
        if ((rc = ow_files_reusable_get(cx, material_id, b.applicant_idx, &m))) return rc;
        if (strcmp(m.material, material))
            return ow_err_set(&cx->err, OW_EINVAL, "wallet_material_id",
                              "卡包中的这份材料是“%s”，不是“%s”", m.material, material);
        in.source = "wallet";
        in.sha256 = m.sha256;
        in.filename = m.filename;
        in.content_type = m.content_type;
        in.size = m.size;
        in.from_material_id = material_id;
    }
    return ow_files_attach(cx, &in, id);
}

int ow_wallet_license_of_case(ow_ctx *cx, int64_t case_id, int64_t *id, char *type,
                              size_t type_size) {
    *id = 0;
    type[0] = '\0';
    ow_license_row l;
    bool found;
    int rc = ow_wallet_store_of_case(cx->db, cx->arena, case_id, &l, &found, &cx->err);
    if (rc || !found) return rc;
    *id = l.id;
    snprintf(type, type_size, "%s", l.type);
    return OW_OK;
}

/* ======================= revocation ======================= */

void ow_wallet_follow(ow_app *app, const ow_wallet_follower *f) {
    ow_followers_add(&app->wallet_followers, f);
}

int ow_wallet_revoke(ow_ctx *cx, int64_t id, const char *reason) {
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    json_t *l;
    const char *hidx;
    int rc = load_license(cx, id, &l, &hidx);
    if (rc) return rc;
    int64_t dept = json_integer_value(json_object_get(l, "dept_id"));
    bool revoked = !strcmp(json_string_value(json_object_get(l, "status")), "revoked");
    const char *code = ow_strdup(cx->arena, json_string_value(json_object_get(l, "verify_code")));
    const char *number = ow_strdup(cx->arena, json_string_value(json_object_get(l, "number")));
    json_decref(l);
    const char *role = cx->actor.role;
    if (!cx->actor.system && strcmp(role, "admin") &&
        !(!strcmp(role, "approver") && cx->actor.org_id == dept))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有发证部门的审批人员或管理员可以注销电子证照");
    if (!reason || !*reason)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "reason",
                           "请填写注销的理由和依据");
    if (!ow_utf8_valid_text(reason) || ow_utf8_len(reason) > OW_LICENSE_REVOKE_REASON_MAX_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, "reason", "注销理由过长（最多 %d 个字）",
                          OW_LICENSE_REVOKE_REASON_MAX_CHARS);
    if (revoked)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "already_revoked", "id", "该电子证照已注销");
    int64_t now = ow_clock_now_ms(cx->clock);
    if ((rc = ow_wallet_store_revoke(cx->db, id, now, reason, &cx->err))) return rc;
    if ((rc = ow_docs_revoke(cx, code, reason))) return rc;
    for (int i = 0; i < cx->app->wallet_followers.n && !rc; i++) {
        const ow_wallet_follower *f = cx->app->wallet_followers.v[i];
        if (f->revoked) rc = f->revoked(cx, number, now);
    }
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *a = json_pack("{s:s,s:s}", "number", number, "reason", reason);
    rc = ow_audit_append(cx, "license.revoke", "license", ids, a);
    json_decref(a);
    return rc;
}

int ow_wallet_revoke_for_case(ow_ctx *cx, int64_t case_id, const char *reason) {
    ow_license_row l;
    bool found;
    int rc = ow_wallet_store_of_case(cx->db, cx->arena, case_id, &l, &found, &cx->err);
    if (rc || !found || !strcmp(l.status, "revoked")) return rc;
    /* the decision's revocation decides this one: the wallet's path, as the system, so the
     * register, /verify and the city's index all follow */
    ow_actor saved = cx->actor;
    cx->actor.system = true;
    rc = ow_wallet_revoke(cx, l.id, reason);
    cx->actor = saved;
    return rc;
}

/* ======================= demo ======================= */

int ow_wallet_demo_seed(ow_ctx *cx) {
    /* demo-citizen married last spring: file the registration as them, then carry it
     * through the real workflow as the system, so the license comes from the hook. */
    ow_login_target t;
    int rc = ow_account_find_login(cx, "demo-citizen", &t);
    if (rc) return rc;
    if (!t.user_id) return OW_OK; /* no demo accounts */
    ow_catalog_query q = {.q = "内地居民结婚登记", .page = 1, .per_page = 5};
    json_t *items;
    int64_t total;
    if ((rc = ow_catalog_search(cx, &q, &items, &total))) return rc;
    int64_t item_id = 0;
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e) {
        if (!strcmp(json_string_value(json_object_get(e, "name")), "内地居民结婚登记"))
            item_id = json_integer_value(json_object_get(e, "id"));
    }
    json_decref(items);
    if (!item_id) return OW_OK;
    ow_actor sys = cx->actor;
    cx->actor = (ow_actor){.user_id = t.user_id,
                           .kind = "citizen",
                           .role = "citizen",
                           .username = "demo-citizen",
                           .name = "演示市民"};
    ow_case_apply_in in = {.item_id = item_id, .title = "与李娜登记结婚"};
    ow_case_item it;
    rc = ow_catalog_case_item(cx, item_id, 0, &it);
    const char *names[OW_CASE_MATERIALS_MAX];
    int n = 0;
    for (int k = 0; !rc && k < it.nmaterials && n < OW_CASE_MATERIALS_MAX; k++)
        if (it.materials[k].required) names[n++] = it.materials[k].name;
    in.materials = names;
    in.nmaterials = n;
    int64_t case_id = 0;
    bool created;
    if (!rc) rc = ow_cases_submit(cx, &in, &case_id, &created);
    cx->actor = sys;
    if (rc) return rc;
    static const char *const STEPS[] = {"accept", "approve", "deliver"};
    for (size_t s = 0; s < 3 && !rc; s++) {
        ow_case_action_in a = {.action = STEPS[s]};
        if (!strcmp(STEPS[s], "deliver")) a.delivery = "window";
        rc = ow_cases_transition(cx, case_id, &a);
    }
    return rc;
}

int ow_wallet_certificate_issued(ow_ctx *cx, int64_t id, const char *code, const char *sha256,
                                 int64_t size) {
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    json_t *d = json_pack("{s:s,s:s,s:I}", "code", code, "pdf_sha256", sha256, "pdf_size",
                          (json_int_t)size);
    int rc = ow_audit_append(cx, "license.certificate_issue", "license", ids, d);
    json_decref(d);
    return rc;
}
