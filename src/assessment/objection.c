/* objection.c — 申诉: a unit that disagrees with its published sheet objects once per
 * period, within OW_ASSESS_OBJECTION_WORKDAYS working days of publication, against the
 * current version, naming an indicator or the whole sheet; the center upholds or rejects
 * it with an answer.  Upholding does not change the frozen sheet: the center enters the
 * correction (points, or the data) and publishes the period again, a new version with
 * the reason. */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "assessment/assessment.h"
#include "assessment/assessment_int.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/workdays.h"
#include "store/assessment_store.h"

int ow_assess_objection_due(ow_ctx *cx, int64_t published_at, int32_t *due) {
    int32_t day = ow_date_today_shanghai(published_at);
    if (!cx->app || !cx->app->calendar)
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "法定工作日历未加载");
    return ow_cal_add_workdays(cx->app->calendar, day, OW_ASSESS_OBJECTION_WORKDAYS, due, &cx->err);
}

int ow_assess_objection_file(ow_ctx *cx, const json_t *in, int64_t *id) {
    int64_t sheet_id, ind = 0;
    const char *reason;
    int rc;
    if ((rc = ow_json_int(in, "sheet_id", true, 1, INT64_MAX, &sheet_id, &cx->err)) ||
        (rc = ow_json_int(in, "indicator_id", false, 1, INT64_MAX, &ind, &cx->err)) ||
        (rc = ow_json_str(in, "reason", true, OW_ASSESS_TEXT_MAX_CHARS, &reason, &cx->err)))
        return rc;
    if (ow_assess_reads_all(cx))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "申诉由被考核单位提出");
    if ((rc = ow_assess_actor_unit(cx, NULL))) return rc;
    if (ow_utf8_len(reason) < 10)
        return ow_err_set(&cx->err, OW_EINVAL, "reason", "请写明申诉的理由和依据（至少 10 个字）");
    ow_assess_sheet *s;
    if ((rc = ow_assess_sheet_load(cx, sheet_id, &s))) {
        if (rc == OW_ENOTFOUND) snprintf(cx->err.field, sizeof cx->err.field, "sheet_id");
        return rc;
    }
    bool in_sheet = false;
    for (int i = 0; i < s->nunits; i++)
        in_sheet = in_sheet || s->units[i].org_id == cx->actor.org_id;
    if (!in_sheet)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "sheet_id", "本单位不在该期考核范围内");
    if (!s->is_current)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "superseded", "sheet_id",
                           "该考核结果已有更正版本，请对最新版本提出申诉");
    if (ind) {
        bool found = false;
        for (int k = 0; k < s->scheme->n; k++)
            found = found || s->scheme->ind[k].id == ind;
        if (!found) return ow_err_set(&cx->err, OW_EINVAL, "indicator_id", "该期考核没有这项指标");
    }
    int32_t due;
    if ((rc = ow_assess_objection_due(cx, s->published_at, &due))) return rc;
    if (ow_assess_today(cx) > due) {
        char d[11];
        ow_date_format(due, d);
        return ow_err_setk(&cx->err, OW_ECONFLICT, "objection_too_late", "sheet_id",
                           "申诉期限已过（考核结果发布后 %d 个工作日内，即 %s 前）",
                           OW_ASSESS_OBJECTION_WORKDAYS, d);
    }
    ow_assess_objection_row r = {.sheet_id = sheet_id,
                                 .scheme_id = s->scheme->id,
                                 .period = s->period.code,
                                 .org_id = cx->actor.org_id,
                                 .indicator_id = ind,
                                 .reason = reason,
                                 .filed_by = cx->actor.name,
                                 .filed_by_id = cx->actor.user_id,
                                 .filed_at = ow_clock_now_ms(cx->clock)};
    if ((rc = ow_assess_store_objection_insert(cx->db, &r, id, &cx->err))) return rc;
    return ow_assess_audit(cx, "assessment.objection_file", "assess_objection", *id,
                           json_pack("{s:I,s:s,s:I}", "sheet_id", (json_int_t)sheet_id, "period",
                                     s->period.code, "indicator_id", (json_int_t)ind));
}

int ow_assess_objection_answer(ow_ctx *cx, int64_t id, const char *action, const char *answer) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "答复申诉");
    const char *state = !strcmp(action, "uphold")   ? "upheld"
                        : !strcmp(action, "reject") ? "rejected"
                                                    : NULL;
    if (!state)
        return ow_err_set(&cx->err, OW_EINVAL, "action",
                          "操作应为 uphold（支持）或 reject（驳回）");
    if (!answer || ow_utf8_len(answer) < 5)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "answer",
                           "请填写答复意见（至少 5 个字）");
    ow_assess_objection_row r;
    int rc = ow_assess_store_objection_get(cx->db, id, cx->arena, &r, &cx->err);
    if (rc || (rc = ow_assess_store_objection_answer(cx->db, id, state, answer, cx->actor.name,
                                                     ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    return ow_assess_audit(cx, "assessment.objection_answer", "assess_objection", id,
                           json_pack("{s:s,s:I}", "state", state, "org_id", (json_int_t)r.org_id));
}

static json_t *objection_json(ow_ctx *cx, const ow_assess_objection_row *r) {
    return json_pack("{s:I,s:I,s:I,s:s,s:s,s:i,s:I,s:s,s:o,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "id",
                     (json_int_t)r->id, "sheet_id", (json_int_t)r->sheet_id, "scheme_id",
                     (json_int_t)r->scheme_id, "scheme_name", r->scheme_name, "period", r->period,
                     "year", r->year, "org_id", (json_int_t)r->org_id, "org_name", r->org_name,
                     "indicator_id", r->indicator_id ? json_integer(r->indicator_id) : json_null(),
                     "indicator_name", r->indicator_name, "reason", r->reason, "state", r->state,
                     "filed_by", r->filed_by, "filed_at", ow_assess_time_json(r->filed_at),
                     "answer", r->answer ? json_string(r->answer) : json_null(), "answered_by",
                     r->answered_by ? json_string(r->answered_by) : json_null(), "answered_at",
                     ow_assess_time_json(r->answered_at));
    (void)cx;
}

int ow_assess_objection_json(ow_ctx *cx, int64_t id, json_t **out) {
    ow_assess_objection_row r;
    int rc = ow_assess_store_objection_get(cx->db, id, cx->arena, &r, &cx->err);
    if (rc) return rc;
    if ((rc = ow_assess_check_unit_access(cx, r.org_id))) {
        if (rc == OW_EFORBIDDEN) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "申诉不存在");
        return rc;
    }
    json_t *o = objection_json(cx, &r), *files;
    if ((rc = ow_assess_files_json(cx, "objection", id, &files))) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "period_name", json_string(ow_assess_period_name(cx, r.period)));
    json_object_set_new(o, "evidence", files);
    *out = o;
    return OW_OK;
}

typedef struct list_arg {
    ow_ctx *cx;
    json_t *a;
} list_arg;

static int list_one(void *arg, const ow_assess_objection_row *r) {
    list_arg *l = arg;
    json_t *o = objection_json(l->cx, r);
    json_object_set_new(o, "period_name", json_string(ow_assess_period_name(l->cx, r->period)));
    json_array_append_new(l->a, o);
    return OW_OK;
}

int ow_assess_objection_list_json(ow_ctx *cx, const char *state, int64_t sheet_id, json_t **out) {
    int64_t org = 0;
    int rc;
    if (!ow_assess_reads_all(cx)) {
        if ((rc = ow_assess_actor_unit(cx, NULL))) return rc;
        org = cx->actor.org_id;
    }
    if (state && strcmp(state, "open") && strcmp(state, "upheld") && strcmp(state, "rejected"))
        return ow_err_set(&cx->err, OW_EINVAL, "state", "状态应为 open、upheld 或 rejected");
    list_arg l = {cx, json_array()};
    if ((rc = ow_assess_store_objections(cx->db, org, state, sheet_id, cx->arena, list_one, &l,
                                         &cx->err))) {
        json_decref(l.a);
        return rc;
    }
    *out = l.a;
    return OW_OK;
}
