/* cases_materials.c — the small view of a case that the files and wallet modules
 * (issue 7) work with: who the applicant is and whether the actor may attach
 * materials now.  Kept apart from cases.c so the workflow file stays the workflow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cases/cases.h"
#include "cases/cases_int.h"
#include "core/json.h"
#include "store/cases_store.h"

static bool role_is(const ow_ctx *cx, const char *role) {
    return !strcmp(cx->actor.role, role);
}

int ow_cases_attach_view(ow_ctx *cx, int64_t id, ow_case_attach_view *out) {
    memset(out, 0, sizeof *out);
    if (!ow_actor_signed_in(&cx->actor)) return ow_err_set(&cx->err, OW_EUNAUTH, "", "请先登录");
    ow_case_row c;
    int rc = ow_case_load(cx, id, &c);
    if (rc) return rc;
    bool ok;
    if ((rc = ow_case_may_view(cx, &c, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    out->id = c.id;
    snprintf(out->case_no, sizeof out->case_no, "%s", c.case_no);
    snprintf(out->state, sizeof out->state, "%s", c.state);
    out->item_id = c.item_id;
    out->item_version = c.item_version;
    out->item_name = c.item_name;
    out->applicant_kind = ow_strdup(cx->arena, c.applicant_kind);
    out->applicant_idx = c.applicant_idx;
    out->applicant_name = c.applicant_name;
    out->id_masked = c.id_masked;
    out->dept_id = c.dept_id;
    out->submitted_at = c.submitted_at;
    /* Materials come in before acceptance or during 补正; after that the file is closed. */
    bool open = !strcmp(c.state, "submitted") || !strcmp(c.state, "supplement");
    bool who = cx->actor.system;
    const ow_actor *a = &cx->actor;
    if ((role_is(cx, "citizen") || role_is(cx, "enterprise")) && a->user_id == c.applicant_user_id)
        who = true;
    if ((role_is(cx, "clerk") || role_is(cx, "agent")) && a->user_id == c.filed_by) who = true;
    if (role_is(cx, "clerk")) {
        int64_t scope;
        if ((rc = ow_case_scope_of(cx, a->org_id, &scope))) return rc;
        if (scope && scope == c.intake_scope_id) who = true;
    }
    out->attacher = who;
    out->may_attach = open && who;
    if (who && !open && ow_case_state_open(c.state)) {
        /* 容缺受理: what is still owed may come in after acceptance */
        bool owes;
        if ((rc = ow_case_modes_owes(cx, c.id, &owes))) return rc;
        out->may_attach = owes;
    }
    return OW_OK;
}

int ow_cases_attach_check(ow_ctx *cx, const ow_case_attach_view *b) {
    if (!b->attacher)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "material",
                          "只有申请人、代办人员或受理窗口可以为办件提交材料");
    if (!b->may_attach)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "materials_closed", "material",
                           "办件当前状态不能再提交材料（只有待受理或待补正的办件可以提交）");
    return OW_OK;
}

int ow_cases_material_received(ow_ctx *cx, int64_t id, const char *material) {
    ow_case_row c;
    int rc = ow_case_load(cx, id, &c);
    if (rc) return rc;
    json_t *arr = json_loads(c.materials ? c.materials : "[]", 0, NULL);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return ow_err_set(&cx->err, OW_EINTERNAL, "materials", "办件的材料清单已损坏");
    }
    bool changed = false;
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        const char *n = json_string_value(json_object_get(e, "name"));
        if (n && !strcmp(n, material) && !json_is_true(json_object_get(e, "provided"))) {
            json_object_set_new(e, "provided", json_true());
            changed = true;
        }
    }
    char *t = changed ? ow_json_dump(arr) : NULL;
    json_decref(arr);
    if (changed) {
        rc = ow_cases_store_set_materials(cx->db, id, t, &cx->err);
        free(t);
        if (rc) return rc;
    }
    /* an owed material (容缺) handed in clears it */
    return ow_case_modes_material_in(cx, id, material);
}

int ow_cases_may_view_id(ow_ctx *cx, int64_t id, bool *ok) {
    *ok = false;
    ow_case_row c;
    int rc = ow_case_load(cx, id, &c);
    if (rc == OW_ENOTFOUND) {
        ow_err_clear(&cx->err);
        return OW_OK;
    }
    if (rc) return rc;
    return ow_case_may_view(cx, &c, ok);
}
