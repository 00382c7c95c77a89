/* catalog_cases.c — an item version's guide reduced to what a case needs
 * (see catalog_cases.h).  Only catalog.h is used: the guide JSON is parsed here,
 * nothing reads the catalog's tables. */
#include "catalog/catalog_cases.h"

#include <jansson.h>
#include <string.h>

#include "catalog/catalog.h"

static const char *jstr(ow_ctx *cx, const json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    return ow_strdup(cx->arena, s ? s : "");
}

static bool has_code(const json_t *arr, const char *code) {
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        if (s && !strcmp(s, code)) return true;
    }
    return false;
}

static const char **names_of(ow_ctx *cx, const json_t *a, int *n) {
    *n = (int)json_array_size(a);
    const char **v = ow_alloc(cx->arena, sizeof *v * (size_t)(*n + 1));
    for (int i = 0; i < *n; i++) {
        const char *s = json_string_value(json_array_get(a, (size_t)i));
        v[i] = ow_strdup(cx->arena, s ? s : "");
    }
    return v;
}

/* The case modes of the guide (catalog_modes.c says what they mean). */
static void modes_of(ow_ctx *cx, const json_t *m, ow_case_item *out) {
    json_t *j = json_object_get(m, "joint"), *c = json_object_get(m, "commitment"),
           *t = json_object_get(m, "tolerance");
    out->njoint = (int)json_array_size(j);
    out->joint = ow_alloc(cx->arena, sizeof *out->joint * (size_t)(out->njoint + 1));
    for (int i = 0; i < out->njoint; i++) {
        json_t *g = json_array_get(j, (size_t)i), *orgs = json_object_get(g, "org_ids");
        out->joint[i].step = (int)json_integer_value(json_object_get(g, "step"));
        out->joint[i].norgs = (int)json_array_size(orgs);
        out->joint[i].org_ids =
            ow_alloc(cx->arena, sizeof(int64_t) * (size_t)(out->joint[i].norgs + 1));
        for (int k = 0; k < out->joint[i].norgs; k++)
            out->joint[i].org_ids[k] = json_integer_value(json_array_get(orgs, (size_t)k));
    }
    out->commit_materials = names_of(cx, json_object_get(c, "materials"), &out->ncommit);
    out->check_days = (int)json_integer_value(json_object_get(c, "check_days"));
    out->owe_materials = names_of(cx, json_object_get(t, "materials"), &out->nowe);
    out->decision_waits = json_is_true(json_object_get(t, "decision_waits"));
}

const ow_case_joint *ow_case_item_joint(const ow_case_item *it, int step) {
    for (int i = 0; i < it->njoint; i++)
        if (it->joint[i].step == step) return &it->joint[i];
    return NULL;
}

bool ow_case_names_has(const char *const *names, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], name)) return true;
    return false;
}

int ow_catalog_case_item(ow_ctx *cx, int64_t item_id, int version, ow_case_item *out) {
    json_t *g = NULL;
    int rc = ow_catalog_guide_shared(cx, item_id, version, &g);
    if (rc) {
        if (rc == OW_ENOTFOUND)
            ow_err_set(&cx->err, OW_ENOTFOUND, "item_id",
                       version ? "事项的第 %d 版办事指南不存在" : "事项不存在、未发布或已暂停办理",
                       version);
        return rc;
    }
    memset(out, 0, sizeof *out);
    out->item_id = item_id;
    out->version = (int)json_integer_value(json_object_get(g, "version"));
    if (!out->version) out->version = version;
    out->code = jstr(cx, g, "code");
    out->name = jstr(cx, g, "name");
    out->type = jstr(cx, g, "type");
    out->target = jstr(cx, g, "target");
    json_t *dept = json_object_get(g, "department");
    out->dept_id = json_integer_value(json_object_get(dept, "id"));
    out->dept_name = jstr(cx, dept, "name");
    out->window_id = json_integer_value(json_object_get(json_object_get(g, "window"), "id"));
    out->statutory_days = (int)json_integer_value(json_object_get(g, "statutory_days"));
    out->committed_days = (int)json_integer_value(json_object_get(g, "committed_days"));
    json_t *modes = json_object_get(g, "modes"), *levels = json_object_get(g, "levels");
    out->mode_online = has_code(modes, "online");
    out->mode_nearby = has_code(modes, "nearby");
    out->level_district = has_code(levels, "district");
    out->level_township = has_code(levels, "township");
    out->level_agent_point = has_code(levels, "agent_point");
    out->delivery = json_is_true(json_object_get(g, "delivery"));
    json_t *ms = json_object_get(g, "materials");
    out->nmaterials = (int)json_array_size(ms);
    out->materials = ow_alloc(cx->arena, sizeof *out->materials * (size_t)(out->nmaterials + 1));
    for (int i = 0; i < out->nmaterials; i++) {
        json_t *m = json_array_get(ms, (size_t)i);
        out->materials[i].name = jstr(cx, m, "name");
        const char *req = json_string_value(json_object_get(m, "required"));
        out->materials[i].required = !req || !strcmp(req, "yes");
        out->materials[i].license_type = jstr(cx, m, "license_type");
    }
    json_t *ss = json_object_get(g, "steps");
    out->nsteps = (int)json_array_size(ss);
    out->steps = ow_alloc(cx->arena, sizeof *out->steps * (size_t)(out->nsteps + 1));
    for (int i = 0; i < out->nsteps; i++) {
        json_t *s = json_array_get(ss, (size_t)i), *org = json_object_get(s, "org");
        out->steps[i].name = jstr(cx, s, "name");
        out->steps[i].role = jstr(cx, s, "role");
        out->steps[i].org_id = json_integer_value(json_object_get(org, "id"));
        out->steps[i].org_name = jstr(cx, org, "name");
        out->steps[i].days = (int)json_integer_value(json_object_get(s, "days"));
    }
    modes_of(cx, json_object_get(g, "case_modes"), out);
    json_decref(g);
    if (!out->dept_id)
        return ow_err_set(&cx->err, OW_EINTERNAL, "item_id", "事项“%s”的办事指南没有实施部门",
                          out->name);
    return OW_OK;
}

int ow_case_item_material(const ow_case_item *it, const char *name) {
    for (int i = 0; i < it->nmaterials; i++)
        if (!strcmp(it->materials[i].name, name)) return i;
    return -1;
}
