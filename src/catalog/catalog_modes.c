/* catalog_modes.c — what an item allows of the case modes of issue 22 (docs/service-rules.md
 * "Joint review", "Approval on commitment", "Acceptance with materials owed"), as the item's
 * field case_modes:
 *
 *   {"joint":      [{"step": 3, "org_ids": [12, 15]}],        并联审批: step 3 (1-based, a
 *                                                             department step) is reviewed
 *                                                             by every listed department
 *   "commitment": {"materials": ["…"], "check_days": 20},     告知承诺制: the commitment
 *                                                             stands in for these materials;
 *                                                             核查 within check_days
 *   "tolerance":  {"materials": ["…"], "decision_waits": true}} 容缺受理: these minor
 *                                                             materials may be owed at
 *                                                             intake; the decision waits for
 *                                                             them or not
 *
 * Kept in one JSON column (items.case_modes) and copied into the published guide with the
 * rest of the item, so a case follows the modes of the version it was filed under.  Parsed
 * here, validated against the item's own materials and steps, with each problem naming
 * its field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"
#include "core/json.h"
#include "store/catalog_store.h"

#define MODES_TEXT_MAX 8000
#define CHECK_DAYS_MAX 180 /* the longest 核查 period a district sets; provinces use 30–60 */

int ow_cat_modes_from_json(ow_ctx *cx, const json_t *o, ow_item *it) {
    it->case_modes = NULL;
    json_t *m = json_object_get(o, "case_modes");
    if (!m || json_is_null(m)) return OW_OK;
    if (!json_is_object(m))
        return ow_err_set(&cx->err, OW_EINVAL, "case_modes",
                          "办理模式应为对象 {\"joint\",\"commitment\",\"tolerance\"}");
    char *t = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
    if (!t) return ow_err_set(&cx->err, OW_ENOMEM, "case_modes", "内存不足");
    size_t n = strlen(t);
    if (n > MODES_TEXT_MAX) {
        free(t);
        return ow_err_set(&cx->err, OW_EINVAL, "case_modes", "办理模式设置过长");
    }
    it->case_modes = ow_strdup(cx->arena, t);
    free(t);
    return OW_OK;
}

static bool item_has_material(const ow_item *it, const char *name) {
    for (int i = 0; i < it->nmaterials; i++)
        if (it->materials[i].name && !strcmp(it->materials[i].name, name)) return true;
    return false;
}

static bool dept_step(const ow_item_step *s) {
    return s->role && strcmp(s->role, "clerk") && strcmp(s->role, "agent");
}

/* A list of material names of the item: non-empty, no repeats. */
static void check_names(ow_ctx *cx, ow_catalog_issues *is, const ow_item *it, const json_t *a,
                        const char *field, const char *what) {
    char p[80];
    if (!json_is_array(a) || !json_array_size(a)) {
        ow_cat_issue(cx, is, field, "%s应为申请材料名称的列表，至少一项", what);
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        snprintf(p, sizeof p, "%s[%zu]", field, i);
        const char *s = json_string_value(v);
        if (!s || !*s) {
            ow_cat_issue(cx, is, p, "%s第 %zu 项应为材料名称", what, i + 1);
            continue;
        }
        if (!item_has_material(it, s))
            ow_cat_issue(cx, is, p, "%s第 %zu 项“%s”不是本事项的申请材料", what, i + 1, s);
        for (size_t k = 0; k < i; k++)
            if (json_string_value(json_array_get(a, k)) &&
                !strcmp(s, json_string_value(json_array_get(a, k))))
                ow_cat_issue(cx, is, p, "%s中“%s”重复", what, s);
    }
}

static void check_joint(ow_ctx *cx, ow_catalog_issues *is, const ow_item *it, json_t *j) {
    if (!json_is_array(j)) {
        ow_cat_issue(cx, is, "case_modes.joint", "并联审批应为环节列表");
        return;
    }
    size_t i;
    json_t *g;
    char p[80];
    json_array_foreach(j, i, g) {
        snprintf(p, sizeof p, "case_modes.joint[%zu].step", i);
        json_int_t step = json_integer_value(json_object_get(g, "step"));
        if (!json_is_integer(json_object_get(g, "step")) || step < 1 || step > it->nsteps) {
            ow_cat_issue(cx, is, p, "第 %zu 组并联审批的环节序号应为 1 到 %d", i + 1, it->nsteps);
            continue;
        }
        if (!dept_step(&it->steps[step - 1]))
            ow_cat_issue(cx, is, p, "第 %zu 组并联审批的环节“%s”不是部门审查环节", i + 1,
                         it->steps[step - 1].name);
        for (size_t k = 0; k < i; k++)
            if (json_integer_value(json_object_get(json_array_get(j, k), "step")) == step)
                ow_cat_issue(cx, is, p, "环节 %lld 重复设置了并联审批", (long long)step);
        json_t *orgs = json_object_get(g, "org_ids"), *codes = json_object_get(g, "org_codes");
        if (!orgs && json_is_array(codes)) {
            /* departments named by code (the demo catalog, imports): stored by id */
            orgs = json_array();
            size_t k;
            json_t *cv;
            json_array_foreach(codes, k, cv) {
                int64_t oid = 0;
                const char *kind = NULL, *code = NULL, *name = NULL;
                bool found = false;
                if (json_is_string(cv) &&
                    ow_catalog_store_org(cx->db, cx->arena, 0, json_string_value(cv), &oid, &kind,
                                         &code, &name, &found, &cx->err)) {
                    json_decref(orgs);
                    return;
                }
                json_array_append_new(orgs, json_integer(found ? oid : 0));
            }
            json_object_set_new(g, "org_ids", orgs);
            json_object_del(g, "org_codes");
        }
        snprintf(p, sizeof p, "case_modes.joint[%zu].org_ids", i);
        if (!json_is_array(orgs) || json_array_size(orgs) < 2 || json_array_size(orgs) > 8) {
            ow_cat_issue(cx, is, p, "第 %zu 组并联审批应列出 2 至 8 个部门", i + 1);
            continue;
        }
        size_t k;
        json_t *o;
        json_array_foreach(orgs, k, o) {
            char q[96];
            snprintf(q, sizeof q, "case_modes.joint[%zu].org_ids[%zu]", i, k);
            int64_t id = json_integer_value(o), oid = 0;
            const char *kind = NULL, *code = NULL, *name = NULL;
            bool found = false;
            if (id > 0 && ow_catalog_store_org(cx->db, cx->arena, id, NULL, &oid, &kind, &code,
                                               &name, &found, &cx->err))
                return;
            if (!found || strcmp(kind, "department"))
                ow_cat_issue(cx, is, q, "第 %zu 组并联审批的第 %zu 个部门不存在", i + 1, k + 1);
            for (size_t x = 0; x < k; x++)
                if (json_integer_value(json_array_get(orgs, x)) == id)
                    ow_cat_issue(cx, is, q, "第 %zu 组并联审批的部门重复", i + 1);
        }
    }
}

void ow_cat_modes_validate(ow_ctx *cx, ow_item *it, ow_catalog_issues *is) {
    if (!it->case_modes) return;
    json_t *m = json_loads(it->case_modes, 0, NULL);
    if (!m) return;
    const char *k;
    json_t *v;
    json_object_foreach(m, k, v) {
        if (strcmp(k, "joint") && strcmp(k, "commitment") && strcmp(k, "tolerance"))
            ow_cat_issue(cx, is, ow_sprintf(cx->arena, "case_modes.%s", k),
                         "未知的办理模式“%s”（joint 并联审批、commitment 告知承诺、tolerance "
                         "容缺受理）",
                         k);
    }
    json_t *j = json_object_get(m, "joint");
    if (j && !json_is_null(j)) check_joint(cx, is, it, j);
    json_t *c = json_object_get(m, "commitment");
    if (c && !json_is_null(c)) {
        if (!json_is_object(c))
            ow_cat_issue(cx, is, "case_modes.commitment", "告知承诺应为对象");
        else {
            check_names(cx, is, it, json_object_get(c, "materials"),
                        "case_modes.commitment.materials", "告知承诺替代的材料");
            json_t *d = json_object_get(c, "check_days");
            if (!json_is_integer(d) || json_integer_value(d) < 1 ||
                json_integer_value(d) > CHECK_DAYS_MAX)
                ow_cat_issue(cx, is, "case_modes.commitment.check_days",
                             "告知承诺的核查期限应为 1 至 %d 个工作日", CHECK_DAYS_MAX);
        }
    }
    json_t *t = json_object_get(m, "tolerance");
    if (t && !json_is_null(t)) {
        if (!json_is_object(t))
            ow_cat_issue(cx, is, "case_modes.tolerance", "容缺受理应为对象");
        else {
            check_names(cx, is, it, json_object_get(t, "materials"),
                        "case_modes.tolerance.materials", "可容缺的材料");
            json_t *w = json_object_get(t, "decision_waits");
            if (w && !json_is_boolean(w))
                ow_cat_issue(cx, is, "case_modes.tolerance.decision_waits",
                             "容缺材料是否须在作出决定前补齐应为 true 或 false");
        }
    }
    /* as stored: org codes resolved to ids */
    char *text = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS);
    if (text) it->case_modes = ow_strdup(cx->arena, text);
    free(text);
    json_decref(m);
}

void ow_cat_modes_to_json(const ow_item *it, json_t *o) {
    json_t *m = it->case_modes && *it->case_modes ? json_loads(it->case_modes, 0, NULL) : NULL;
    json_object_set_new(o, "case_modes", m ? m : json_null());
}
