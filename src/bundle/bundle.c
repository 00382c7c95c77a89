/* bundle.c — composing bundles and reading their guides (see bundle.h).  The
 * application, its children and the follower are in bundle_app.c.
 *
 * Why a bundle's form is fields per item rather than one form: items come and go from a
 * bundle, and each keeps the questions its department needs; the union, each key once,
 * is what the applicant fills in, and each child case carries its own item's answers in
 * its title (申请事由), the free text the cases module keeps for it. */
#include "bundle/bundle.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "bundle/bundle_int.h"
#include "catalog/catalog_cases.h"
#include "core/buf.h"
#include "core/json.h"
#include "store/bundle_store.h"
#include "wallet/wallet.h"

/* ======================= pure rules ======================= */

bool ow_bundle_terminates(const char *on_denial, bool denied, bool sibling_waits) {
    /* a child that waits for one that ended without its result can never get its
     * material, whatever the rule; under stop a denial ends every undecided sibling */
    if (sibling_waits) return true;
    return denied && !strcmp(on_denial, "stop");
}

static bool undecided(const char *s) {
    return !strcmp(s, "submitted") || !strcmp(s, "supplement") || !strcmp(s, "review") ||
           !strcmp(s, "suspended");
}

const char *ow_bundle_state_of(const char *const *states, int n, bool stopped) {
    bool waiting = false, pending = false, delivered = false;
    for (int i = 0; i < n; i++) {
        if (undecided(states[i])) waiting = true;
        if (!strcmp(states[i], "approved")) pending = true;
        if (!strcmp(states[i], "concluded")) delivered = true;
    }
    if (stopped) return "terminated";
    if (waiting) return "open";
    if (pending) return "ready";
    return delivered ? "concluded" : "terminated";
}

const char *ow_bundle_state_name(const char *s) {
    return !strcmp(s, "open")         ? "办理中"
           : !strcmp(s, "ready")      ? "待领取"
           : !strcmp(s, "concluded")  ? "已办结"
           : !strcmp(s, "terminated") ? "已终止"
                                      : "";
}

const char *ow_bundle_rule_name(const char *on_denial) {
    return !strcmp(on_denial, "stop") ? "一项不予许可，整件终止" : "一项不予许可，其余继续办理";
}

int ow_bundle_err_under(ow_ctx *cx, const char *at, int rc) {
    const char *f = ow_strdup(cx->arena, cx->err.field);
    snprintf(cx->err.field, sizeof cx->err.field, "%s%s%s", at, *f ? "." : "", f);
    return rc;
}

/* ======================= the guide ======================= */

/* The result a published item issues as an e-license type ("" when none). */
static int result_license_type(ow_ctx *cx, int64_t item_id, char type[64], const char **result) {
    json_t *g;
    int rc = ow_catalog_guide_shared(cx, item_id, 0, &g);
    if (rc) return rc;
    const char *r = json_string_value(json_object_get(g, "result_name"));
    *result = ow_strdup(cx->arena, r ? r : "");
    json_decref(g);
    return ow_wallet_license_type(*result, type, 64);
}

int ow_bundle_load(ow_ctx *cx, int64_t id, ow_bundle_def *d) {
    memset(d, 0, sizeof *d);
    bool found;
    int rc = ow_bundle_store_get(cx->db, cx->arena, id, &d->row, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "一件事不存在");
    ow_bundle_item_row *rows;
    if ((rc = ow_bundle_store_items(cx->db, cx->arena, id, &rows, &d->n, &cx->err))) return rc;
    d->items = ow_alloc(cx->arena, (size_t)(d->n ? d->n : 1) * sizeof *d->items);
    for (int i = 0; i < d->n; i++) {
        d->items[i].row = rows[i];
        if ((rc = ow_catalog_case_item(cx, rows[i].item_id, 0, &d->items[i].it))) return rc;
        d->items[i].fields = json_loads(rows[i].fields, 0, NULL);
        if (!json_is_array(d->items[i].fields)) {
            json_decref(d->items[i].fields);
            d->items[i].fields = json_array();
        }
    }
    return OW_OK;
}

void ow_bundle_def_free(ow_bundle_def *d) {
    for (int i = 0; i < d->n; i++)
        json_decref(d->items[i].fields);
    d->n = 0;
}

json_t *ow_bundle_form_json(const ow_bundle_def *d) {
    json_t *form = json_array();
    for (int i = 0; i < d->n; i++) {
        size_t k;
        json_t *f;
        json_array_foreach(d->items[i].fields, k, f) {
            const char *key = json_string_value(json_object_get(f, "key"));
            bool req = json_is_true(json_object_get(f, "required"));
            json_t *have = NULL;
            size_t j;
            json_t *g;
            json_array_foreach(form, j, g) {
                if (!strcmp(json_string_value(json_object_get(g, "key")), key)) have = g;
            }
            if (have) { /* asked once: required if any item requires it */
                if (req) json_object_set_new(have, "required", json_true());
                json_array_append_new(json_object_get(have, "items"), json_integer(i + 1));
                continue;
            }
            json_array_append_new(form, json_pack("{s:s,s:O,s:b,s:[i]}", "key", key, "label",
                                                  json_object_get(f, "label"), "required", req,
                                                  "items", i + 1));
        }
    }
    return form;
}

json_t *ow_bundle_materials_json(const ow_bundle_def *d) {
    json_t *out = json_array();
    for (int i = 0; i < d->n; i++) {
        const ow_case_item *it = &d->items[i].it;
        const ow_bundle_item_row *r = &d->items[i].row;
        for (int m = 0; m < it->nmaterials; m++) {
            const ow_case_material *cm = &it->materials[m];
            bool fed = r->waits_for && !strcmp(r->via_material, cm->name);
            json_t *have = NULL;
            size_t j;
            json_t *g;
            json_array_foreach(out, j, g) {
                if (!strcmp(json_string_value(json_object_get(g, "name")), cm->name)) have = g;
            }
            if (!have) {
                have = json_pack("{s:s,s:b,s:s,s:[],s:n}", "name", cm->name, "required", false,
                                 "license_type", cm->license_type ? cm->license_type : "", "items",
                                 "fed_by");
                json_array_append_new(out, have);
            }
            json_array_append_new(json_object_get(have, "items"), json_integer(i + 1));
            if (fed) {
                /* what one item issues feeds the other: the applicant hands nothing in */
                const ow_case_item *from = &d->items[r->waits_for - 1].it;
                json_object_set_new(
                    have, "fed_by",
                    json_pack("{s:i,s:s}", "seq", r->waits_for, "item", from->name));
            } else if (cm->required) {
                json_object_set_new(have, "required", json_true());
            }
        }
    }
    /* a material fed to one item but asked by another as well is still the applicant's */
    size_t j;
    json_t *g;
    json_array_foreach(out, j, g) {
        if (json_is_true(json_object_get(g, "required")))
            json_object_set_new(g, "fed_by", json_null());
    }
    return out;
}

static json_t *summary_json(ow_ctx *cx, const ow_bundle_def *d, bool full) {
    json_t *items = json_array();
    json_t *depts = json_array();
    for (int i = 0; i < d->n; i++) {
        const ow_bundle_item *bi = &d->items[i];
        json_t *o = json_pack("{s:i,s:I,s:s,s:s,s:{s:I,s:s},s:i}", "seq", bi->row.seq, "item_id",
                              (json_int_t)bi->it.item_id, "name", bi->it.name, "code", bi->it.code,
                              "department", "id", (json_int_t)bi->it.dept_id, "name",
                              bi->it.dept_name ? bi->it.dept_name : "", "committed_days",
                              bi->it.committed_days);
        if (bi->row.waits_for) {
            json_object_set_new(o, "waits_for", json_integer(bi->row.waits_for));
            json_object_set_new(o, "waits_for_item",
                                json_string(d->items[bi->row.waits_for - 1].it.name));
            json_object_set_new(o, "via_material", json_string(bi->row.via_material));
        } else {
            json_object_set_new(o, "waits_for", json_null());
        }
        if (full) {
            char type[64];
            const char *result = "";
            if (!result_license_type(cx, bi->it.item_id, type, &result)) {
                json_object_set_new(o, "result_name", json_string(result));
                json_object_set_new(o, "license_type", json_string(type));
            }
            ow_err_clear(&cx->err);
            json_object_set_new(o, "online", json_boolean(bi->it.mode_online));
            json_object_set(o, "fields", bi->fields);
        }
        json_array_append_new(items, o);
        bool seen = false;
        size_t k;
        json_t *x;
        json_array_foreach(depts, k, x) {
            if (!strcmp(json_string_value(x), bi->it.dept_name ? bi->it.dept_name : ""))
                seen = true;
        }
        if (!seen)
            json_array_append_new(depts, json_string(bi->it.dept_name ? bi->it.dept_name : ""));
    }
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:i,s:s,s:s,s:b,s:o,s:o}", "id", (json_int_t)d->row.id,
                          "name", d->row.name, "life_event", d->row.life_event, "target",
                          d->row.target, "committed_days", d->row.committed_days, "on_denial",
                          d->row.on_denial, "on_denial_name", ow_bundle_rule_name(d->row.on_denial),
                          "active", d->row.active, "items", items, "departments", depts);
    if (full) {
        json_object_set_new(o, "form", ow_bundle_form_json(d));
        json_object_set_new(o, "materials", ow_bundle_materials_json(d));
    }
    return o;
}

int ow_bundle_list_json(ow_ctx *cx, bool all, json_t **out) {
    *out = NULL;
    if (all && strcmp(cx->actor.role, "admin") && !cx->actor.system)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "all", "只有管理员可以查看停用的一件事");
    ow_bundle_row *rows;
    int n, rc = ow_bundle_store_list(cx->db, cx->arena, all, &rows, &n, &cx->err);
    if (rc) return rc;
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        ow_bundle_def d;
        if ((rc = ow_bundle_load(cx, rows[i].id, &d))) {
            /* an item withdrawn from the catalog takes its bundles off the list */
            if (rc != OW_ENOTFOUND) {
                json_decref(items);
                return rc;
            }
            ow_err_clear(&cx->err);
            continue;
        }
        json_array_append_new(items, summary_json(cx, &d, false));
        ow_bundle_def_free(&d);
    }
    *out = json_pack("{s:o}", "items", items);
    return OW_OK;
}

int ow_bundle_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    *out = NULL;
    ow_bundle_def d;
    int rc = ow_bundle_load(cx, id, &d);
    if (rc) return rc;
    if (!d.row.active && strcmp(cx->actor.role, "admin")) {
        ow_bundle_def_free(&d);
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "一件事不存在");
    }
    *out = summary_json(cx, &d, true);
    ow_bundle_def_free(&d);
    return OW_OK;
}

/* ======================= composing ======================= */

static bool key_ok(const char *k) {
    size_t n = strlen(k);
    if (!n || n > 32 || !islower((unsigned char)k[0])) return false;
    for (size_t i = 0; i < n; i++)
        if (!islower((unsigned char)k[i]) && !isdigit((unsigned char)k[i]) && k[i] != '_')
            return false;
    return true;
}

static int check_fields(ow_ctx *cx, int i, const json_t *fields) {
    const char *at = ow_sprintf(cx->arena, "items[%d].fields", i);
    if (!fields) return OW_OK;
    if (!json_is_array(fields) || json_array_size(fields) > OW_BUNDLE_FIELDS_MAX)
        return ow_err_set(&cx->err, OW_EINVAL, at, "申请表字段应为列表（最多 %d 项）",
                          OW_BUNDLE_FIELDS_MAX);
    size_t k;
    json_t *f;
    json_array_foreach(fields, k, f) {
        const char *fat = ow_sprintf(cx->arena, "%s[%zu]", at, k);
        const char *key, *label;
        bool req = false;
        if (!json_is_object(f)) return ow_err_set(&cx->err, OW_EINVAL, fat, "申请表字段格式不正确");
        int rc;
        if ((rc = ow_json_str(f, "key", true, 32, &key, &cx->err)) ||
            (rc = ow_json_str(f, "label", true, 20, &label, &cx->err)) ||
            (rc = ow_json_bool(f, "required", false, &req, &cx->err))) {
            return ow_bundle_err_under(cx, fat, rc);
        }
        if (!key_ok(key))
            return ow_err_set(&cx->err, OW_EINVAL, ow_sprintf(cx->arena, "%s.key", fat),
                              "字段键“%s”应为小写字母开头的字母、数字或下划线（最多 32 个）", key);
        for (size_t j = 0; j < k; j++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(fields, j), "key")), key))
                return ow_err_set(&cx->err, OW_EINVAL, ow_sprintf(cx->arena, "%s.key", fat),
                                  "字段“%s”重复", key);
    }
    return OW_OK;
}

int ow_bundle_put(ow_ctx *cx, int64_t id, const json_t *in, int64_t *out_id) {
    *out_id = 0;
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    if (!cx->actor.system && strcmp(cx->actor.role, "admin"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有管理员可以编排一件事");
    const char *name, *event, *rule;
    int64_t days;
    bool active = true;
    int rc;
    if ((rc = ow_json_str(in, "name", true, OW_BUNDLE_NAME_MAX_CHARS, &name, &cx->err)) ||
        (rc = ow_json_str(in, "life_event", true, OW_BUNDLE_EVENT_MAX_CHARS, &event, &cx->err)) ||
        (rc = ow_json_int(in, "committed_days", true, 1, OW_BUNDLE_COMMITTED_MAX_WORKDAYS, &days,
                          &cx->err)) ||
        (rc = ow_json_str(in, "on_denial", true, 16, &rule, &cx->err)) ||
        (rc = ow_json_bool(in, "active", false, &active, &cx->err)))
        return rc;
    if (!json_object_get(in, "active")) active = true;
    if (strcmp(rule, "continue") && strcmp(rule, "stop"))
        return ow_err_set(&cx->err, OW_EINVAL, "on_denial",
                          "不予许可时的处理应为 continue（其余继续办理）或 stop（整件终止）");
    const json_t *items = json_object_get(in, "items");
    if (!json_is_array(items) || json_array_size(items) < 2 ||
        json_array_size(items) > OW_BUNDLE_ITEMS_MAX)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "items",
                           "一件事应包含 2 到 %d 个事项", OW_BUNDLE_ITEMS_MAX);
    int n = (int)json_array_size(items);
    ow_case_item *its = ow_alloc(cx->arena, (size_t)n * sizeof *its);
    ow_bundle_item_row *rows = ow_alloc(cx->arena, (size_t)n * sizeof *rows);
    bool person = true, enterprise = true;
    int ndepts = 0;
    for (int i = 0; i < n; i++) {
        const json_t *o = json_array_get(items, (size_t)i);
        const char *at = ow_sprintf(cx->arena, "items[%d]", i);
        if (!json_is_object(o)) return ow_err_set(&cx->err, OW_EINVAL, at, "事项格式不正确");
        int64_t item_id, waits = 0;
        const char *via = NULL;
        if ((rc = ow_json_int(o, "item_id", true, 1, INT64_MAX, &item_id, &cx->err)) ||
            (rc = ow_json_int(o, "waits_for", false, 1, n, &waits, &cx->err)) ||
            (rc = ow_json_str(o, "via_material", false, 100, &via, &cx->err))) {
            return ow_bundle_err_under(cx, at, rc);
        }
        rc = ow_catalog_case_item(cx, item_id, 0, &its[i]);
        if (rc == OW_ENOTFOUND)
            return ow_err_set(&cx->err, OW_EINVAL, ow_sprintf(cx->arena, "%s.item_id", at),
                              "事项不存在或未发布");
        if (rc) return rc;
        for (int j = 0; j < i; j++)
            if (its[j].item_id == item_id)
                return ow_err_set(&cx->err, OW_EINVAL, ow_sprintf(cx->arena, "%s.item_id", at),
                                  "事项“%s”重复", its[i].name);
        if (!strcmp(its[i].target, "person")) enterprise = false;
        if (!strcmp(its[i].target, "enterprise")) person = false;
        if (!person && !enterprise)
            return ow_err_set(&cx->err, OW_EINVAL, ow_sprintf(cx->arena, "%s.item_id", at),
                              "事项“%s”的服务对象与前面的事项不同（个人与法人不能编在同一件事中）",
                              its[i].name);
        bool new_dept = true;
        for (int j = 0; j < i; j++)
            if (its[j].dept_id == its[i].dept_id) new_dept = false;
        ndepts += new_dept;
        if ((rc = check_fields(cx, i, json_object_get(o, "fields")))) return rc;
        rows[i].seq = i + 1;
        rows[i].item_id = item_id;
        rows[i].waits_for = (int)waits;
        rows[i].via_material = via ? via : "";
        json_t *fields = json_object_get(o, "fields");
        char *ftext = ow_json_dump(fields ? fields : json_array());
        rows[i].fields = ow_strdup(cx->arena, ftext ? ftext : "[]");
        free(ftext);
        if (!waits) {
            if (via && *via)
                return ow_err_set(&cx->err, OW_EINVAL, ow_sprintf(cx->arena, "%s.waits_for", at),
                                  "请选择提供材料“%s”的前一事项", via);
            continue;
        }
        /* B waits for A: A's issued license is B's material via */
        if (waits > i)
            return ow_err_set(&cx->err, OW_EINVAL, ow_sprintf(cx->arena, "%s.waits_for", at),
                              "只能等待排在前面的事项（第 1 至 %d 项）", i);
        if (!via || !*via)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field",
                               ow_sprintf(cx->arena, "%s.via_material", at),
                               "请选择由前一事项办结结果提供的材料");
        int k = ow_case_item_material(&its[i], via);
        if (k < 0)
            return ow_err_set(&cx->err, OW_EINVAL, ow_sprintf(cx->arena, "%s.via_material", at),
                              "材料“%s”不在事项“%s”的办事指南中", via, its[i].name);
        char type[64];
        const char *result;
        if ((rc = result_license_type(cx, its[waits - 1].item_id, type, &result))) return rc;
        const char *want = its[i].materials[k].license_type;
        if (!type[0] || !want || strcmp(type, want))
            return ow_err_set(
                &cx->err, OW_EINVAL, ow_sprintf(cx->arena, "%s.via_material", at),
                "事项“%s”的办理结果“%s”不能作为材料“%s”（该材料可用的电子证照为“%s”）",
                its[waits - 1].name, result, via, want && *want ? want : "无");
    }
    if (ndepts < 2)
        return ow_err_set(&cx->err, OW_EINVAL, "items", "一件事应包含至少两个部门的事项");
    bool taken;
    if ((rc = ow_bundle_store_name_taken(cx->db, name, id, &taken, &cx->err))) return rc;
    if (taken)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "duplicate", "name", "已有名为“%s”的一件事",
                           name);
    ow_bundle_row r = {.id = id,
                       .name = name,
                       .life_event = event,
                       .target = person ? "person" : "enterprise",
                       .committed_days = (int)days,
                       .on_denial = rule,
                       .active = active,
                       .updated_at = ow_clock_now_ms(cx->clock)};
    if (id) {
        ow_bundle_row old;
        bool found;
        if ((rc = ow_bundle_store_get(cx->db, cx->arena, id, &old, &found, &cx->err))) return rc;
        if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "一件事不存在");
    }
    if ((rc = ow_bundle_store_put(cx->db, &r, out_id, &cx->err))) return rc;
    if ((rc = ow_bundle_store_put_items(cx->db, *out_id, rows, n, &cx->err))) return rc;
    json_t *d = json_pack("{s:s,s:i,s:s,s:i}", "name", name, "items", n, "on_denial", rule,
                          "committed_days", (int)days);
    rc = ow_audit_append(cx, id ? "bundle.update" : "bundle.create", "bundle",
                         ow_sprintf(cx->arena, "%lld", (long long)*out_id), d);
    json_decref(d);
    return rc;
}
