/* adjust.c — manual points (人工加减分): the center adds or deducts points on a manual
 * indicator of an issued scheme for a unit, with the day the fact happened (it counts in
 * every period holding that day), a reason and evidence files; a mistaken entry is
 * voided with a reason, never deleted.  Every step is audited.  Evidence files of
 * objections are kept the same way (objection.c). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assessment/assessment.h"
#include "assessment/assessment_int.h"
#include "core/json.h"
#include "core/workdays.h"
#include "files/files.h"
#include "store/assessment_store.h"

#define EVIDENCE_MAX_FILES 10

int ow_assess_adjustment_add(ow_ctx *cx, const json_t *in, int64_t *id) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "录入加减分");
    int64_t ind_id, org_id;
    const char *date, *reason;
    int rc;
    if ((rc = ow_json_int(in, "indicator_id", true, 1, INT64_MAX, &ind_id, &cx->err)) ||
        (rc = ow_json_int(in, "org_id", true, 1, INT64_MAX, &org_id, &cx->err)) ||
        (rc = ow_json_str(in, "date", true, 10, &date, &cx->err)) ||
        (rc = ow_json_str(in, "reason", true, 500, &reason, &cx->err)))
        return rc;
    json_t *p = json_object_get(in, "points");
    if (!p) return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "points", "请填写加减分值");
    double points = json_is_number(p) ? json_number_value(p) : 0;
    if (!json_is_number(p) || points == 0 || fabs(points) > OW_ASSESS_POINTS_MAX ||
        fabs(points * 100 - round(points * 100)) > 1e-6)
        return ow_err_set(&cx->err, OW_EINVAL, "points",
                          "加减分值应为非零的数（加分为正，扣分为负，最多两位小数）");
    if (ow_utf8_len(reason) < 4)
        return ow_err_set(&cx->err, OW_EINVAL, "reason", "请写明加减分的事由（至少 4 个字）");
    int32_t d;
    if (ow_date_parse(date, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "date", "日期应为 YYYY-MM-DD 格式");
    if (d > ow_assess_today(cx))
        return ow_err_set(&cx->err, OW_EINVAL, "date", "加减分事实的日期不能晚于今天");
    /* the indicator: a manual one of an issued scheme, and the unit of its kind */
    ow_assess_adjustment_filter none = {0};
    (void)none;
    int64_t scheme_id = 0;
    ow_assess_scheme *sc = ow_alloc(cx->arena, sizeof *sc);
    json_t *sid = json_object_get(in, "scheme_id");
    if (json_is_integer(sid)) scheme_id = json_integer_value(sid);
    if (!scheme_id)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "scheme_id", "请选择考核方案");
    if ((rc = ow_assess_scheme_load(cx, scheme_id, sc))) {
        if (rc == OW_ENOTFOUND) snprintf(cx->err.field, sizeof cx->err.field, "scheme_id");
        return rc;
    }
    const ow_assess_indicator *ind = NULL;
    for (int k = 0; k < sc->n; k++)
        if (sc->ind[k].id == ind_id) ind = &sc->ind[k];
    if (!ind) return ow_err_set(&cx->err, OW_EINVAL, "indicator_id", "该方案没有这项指标");
    if (strcmp(ind->metric, "manual"))
        return ow_err_set(&cx->err, OW_EINVAL, "indicator_id",
                          "“%s”由系统按数据计算，只有人工加减分指标可以录入分值", ind->name);
    if (strcmp(sc->state, "issued"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "scheme_draft", "scheme_id",
                           "考核方案尚未印发，不能录入加减分");
    int y, m, dd;
    ow_date_ymd(d, &y, &m, &dd);
    if (y != sc->year)
        return ow_err_set(&cx->err, OW_EINVAL, "date", "日期应在方案年度（%d 年）内", sc->year);
    const char *kind, *name;
    if ((rc = ow_assess_store_org(cx->db, org_id, cx->arena, &kind, &name, &cx->err))) return rc;
    if (strcmp(kind, sc->unit_kind))
        return ow_err_set(&cx->err, OW_EINVAL, "org_id", "“%s”不是本方案的考核对象", name);
    int64_t now = ow_clock_now_ms(cx->clock);
    ow_assess_adjustment_row r = {.scheme_id = scheme_id,
                                  .indicator_id = ind_id,
                                  .org_id = org_id,
                                  .fact_date = date,
                                  .points = points,
                                  .reason = reason,
                                  .entered_by = cx->actor.name,
                                  .entered_by_id = cx->actor.user_id,
                                  .created_at = now};
    if ((rc = ow_assess_store_adjustment_insert(cx->db, &r, id, &cx->err))) return rc;
    return ow_assess_audit(cx, "assessment.adjustment_add", "assess_adjustment", *id,
                           json_pack("{s:I,s:I,s:I,s:s,s:f,s:s}", "scheme_id",
                                     (json_int_t)scheme_id, "indicator_id", (json_int_t)ind_id,
                                     "org_id", (json_int_t)org_id, "date", date, "points", points,
                                     "reason", reason));
}

int ow_assess_adjustment_void(ow_ctx *cx, int64_t id, const char *reason) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "撤销加减分");
    if (!reason || ow_utf8_len(reason) < 4)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "reason",
                           "请写明撤销的原因（至少 4 个字）");
    ow_assess_adjustment_row r;
    int rc = ow_assess_store_adjustment_get(cx->db, id, cx->arena, &r, &cx->err);
    if (rc || (rc = ow_assess_store_adjustment_void(cx->db, id, reason, ow_clock_now_ms(cx->clock),
                                                    &cx->err)))
        return rc;
    return ow_assess_audit(cx, "assessment.adjustment_void", "assess_adjustment", id,
                           json_pack("{s:s}", "reason", reason));
}

static json_t *adjustment_json(const ow_assess_adjustment_row *r) {
    return json_pack("{s:I,s:I,s:I,s:s,s:I,s:s,s:s,s:f,s:s,s:s,s:o,s:s,s:o,s:i}", "id",
                     (json_int_t)r->id, "scheme_id", (json_int_t)r->scheme_id, "indicator_id",
                     (json_int_t)r->indicator_id, "indicator_name", r->indicator_name, "org_id",
                     (json_int_t)r->org_id, "org_name", r->org_name, "date", r->fact_date, "points",
                     r->points, "reason", r->reason, "state", r->state, "void_reason",
                     r->void_reason ? json_string(r->void_reason) : json_null(), "entered_by",
                     r->entered_by, "created_at", ow_assess_time_json(r->created_at), "files",
                     r->files);
}

int ow_assess_adjustment_json(ow_ctx *cx, int64_t id, json_t **out) {
    ow_assess_adjustment_row r;
    int rc = ow_assess_store_adjustment_get(cx->db, id, cx->arena, &r, &cx->err);
    if (rc) return rc;
    if (!ow_assess_reads_all(cx) && (rc = ow_assess_check_unit_access(cx, r.org_id))) {
        if (rc == OW_EFORBIDDEN)
            return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "加减分记录不存在");
        return rc;
    }
    json_t *o = adjustment_json(&r), *files;
    if ((rc = ow_assess_files_json(cx, "adjustment", id, &files))) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "evidence", files);
    *out = o;
    return OW_OK;
}

static int list_adjustment(void *arg, const ow_assess_adjustment_row *r) {
    json_array_append_new(arg, adjustment_json(r));
    return OW_OK;
}

int ow_assess_adjustment_list_json(ow_ctx *cx, int64_t scheme_id, int64_t org_id, json_t **out) {
    if (!ow_assess_reads_all(cx)) {
        int rc = ow_assess_actor_unit(cx, NULL);
        if (rc) return rc;
        org_id = cx->actor.org_id; /* a unit sees the points it got */
    }
    ow_assess_adjustment_filter f = {.scheme_id = scheme_id, .org_id = org_id};
    json_t *a = json_array();
    int rc = ow_assess_store_adjustments(cx->db, &f, cx->arena, list_adjustment, a, &cx->err);
    if (rc) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return OW_OK;
}

/* ---- evidence files ---- */

static int count_file(void *arg, const ow_assess_file_row *r) {
    (void)r;
    (*(int *)arg)++;
    return OW_OK;
}

int ow_assess_evidence_check(ow_ctx *cx, const char *owner_type, int64_t owner_id) {
    int rc;
    if (!strcmp(owner_type, "adjustment")) {
        if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "上传加减分的佐证材料");
        ow_assess_adjustment_row r;
        if ((rc = ow_assess_store_adjustment_get(cx->db, owner_id, cx->arena, &r, &cx->err)))
            return rc;
        if (strcmp(r.state, "active"))
            return ow_err_setk(&cx->err, OW_ECONFLICT, "already_void", "id", "该加减分记录已撤销");
    } else {
        ow_assess_objection_row r;
        if ((rc = ow_assess_store_objection_get(cx->db, owner_id, cx->arena, &r, &cx->err)))
            return rc;
        if (ow_assess_reads_all(cx) || cx->actor.org_id != r.org_id)
            return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有提出申诉的单位可以上传申诉材料");
        if (strcmp(r.state, "open"))
            return ow_err_setk(&cx->err, OW_ECONFLICT, "already_answered", "id",
                               "申诉已答复，不能再上传材料");
    }
    int n = 0;
    if ((rc = ow_assess_store_files(cx->db, owner_type, owner_id, cx->arena, count_file, &n,
                                    &cx->err)))
        return rc;
    if (n >= EVIDENCE_MAX_FILES)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "too_many_files", "file",
                           "每条记录最多 %d 份佐证材料", EVIDENCE_MAX_FILES);
    return OW_OK;
}

int ow_assess_evidence_add(ow_ctx *cx, const char *owner_type, int64_t owner_id, const char *sha256,
                           const char *filename, const char *content_type, int64_t size,
                           int64_t *id) {
    int rc = ow_assess_evidence_check(cx, owner_type, owner_id); /* again, on the writer */
    if (rc || (rc = ow_files_blob_record(cx, sha256, size, content_type))) return rc;
    ow_assess_file_row r = {.owner_type = owner_type,
                            .owner_id = owner_id,
                            .sha256 = sha256,
                            .filename = filename,
                            .content_type = content_type,
                            .size = size,
                            .uploaded_by = cx->actor.user_id,
                            .created_at = ow_clock_now_ms(cx->clock)};
    if ((rc = ow_assess_store_file_insert(cx->db, &r, id, &cx->err))) return rc;
    return ow_assess_audit(
        cx, "assessment.evidence_add",
        !strcmp(owner_type, "adjustment") ? "assess_adjustment" : "assess_objection", owner_id,
        json_pack("{s:s,s:I}", "filename", filename, "size", (json_int_t)size));
}

int ow_assess_evidence_get(ow_ctx *cx, const char *owner_type, int64_t owner_id, int64_t file_id,
                           ow_assess_file *out) {
    int rc;
    int64_t org;
    if (!strcmp(owner_type, "adjustment")) {
        ow_assess_adjustment_row r;
        rc = ow_assess_store_adjustment_get(cx->db, owner_id, cx->arena, &r, &cx->err);
        org = r.org_id;
    } else {
        ow_assess_objection_row r;
        rc = ow_assess_store_objection_get(cx->db, owner_id, cx->arena, &r, &cx->err);
        org = r.org_id;
    }
    if (rc) return rc;
    if ((rc = ow_assess_check_unit_access(cx, org))) {
        if (rc == OW_EFORBIDDEN) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "记录不存在");
        return rc;
    }
    ow_assess_file_row f;
    if ((rc = ow_assess_store_file_get(cx->db, owner_type, owner_id, file_id, cx->arena, &f,
                                       &cx->err)))
        return rc;
    out->sha256 = f.sha256;
    out->filename = f.filename;
    out->content_type = f.content_type;
    return OW_OK;
}

static int file_json(void *arg, const ow_assess_file_row *r) {
    json_array_append_new(arg, json_pack("{s:I,s:s,s:s,s:I,s:o}", "id", (json_int_t)r->id,
                                         "filename", r->filename, "content_type", r->content_type,
                                         "size", (json_int_t)r->size, "uploaded_at",
                                         ow_assess_time_json(r->created_at)));
    return OW_OK;
}

int ow_assess_files_json(ow_ctx *cx, const char *owner_type, int64_t owner_id, json_t **out) {
    json_t *a = json_array();
    int rc = ow_assess_store_files(cx->db, owner_type, owner_id, cx->arena, file_json, a, &cx->err);
    if (rc) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return OW_OK;
}
