/* scheme.c — assessment schemes (考核方案): one per year and kind of unit, drafted and
 * issued by the center.  A draft's indicators are replaced whole on every edit; an issued
 * scheme's are locked, because adjustments and published sheets refer to them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "assessment/assessment.h"
#include "assessment/assessment_int.h"
#include "audit/audit.h"
#include "core/json.h"
#include "store/assessment_store.h"

bool ow_assess_is_center(const ow_ctx *cx) {
    return cx->actor.system || ow_actor_is(&cx->actor, "supervisor") ||
           ow_actor_is(&cx->actor, "admin");
}

bool ow_assess_reads_all(const ow_ctx *cx) {
    return ow_assess_is_center(cx);
}

int ow_assess_forbidden(ow_ctx *cx, const char *what) {
    return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有政务服务中心的监察人员和管理员可以%s",
                      what);
}

int ow_assess_audit(ow_ctx *cx, const char *action, const char *type, int64_t id, json_t *detail) {
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    int rc = ow_audit_append(cx, action, type, ids, detail);
    json_decref(detail);
    return rc;
}

static bool two_decimals(double v) {
    return fabs(v * 100 - round(v * 100)) < 1e-6;
}

/* Parse and check the indicators of a scheme for a kind of unit into rows (params as
 * normalised JSON text in the arena). */
static int parse_indicators(ow_ctx *cx, const json_t *arr, const char *kind,
                            ow_assess_indicator_row *rows, int *n) {
    if (!json_is_array(arr))
        return ow_err_set(&cx->err, OW_EINVAL, "indicators", "考核指标应为列表");
    if (json_array_size(arr) > OW_ASSESS_MAX_INDICATORS)
        return ow_err_set(&cx->err, OW_EINVAL, "indicators", "考核指标最多 %d 项",
                          OW_ASSESS_MAX_INDICATORS);
    *n = 0;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *it = json_array_get(arr, i);
        char f[48];
        snprintf(f, sizeof f, "indicators[%zu]", i);
        if (!json_is_object(it)) return ow_err_set(&cx->err, OW_EINVAL, f, "考核指标应为对象");
        const char *name, *metric, *rule, *desc = NULL;
        bool bonus = false;
        int rc;
        if ((rc = ow_json_str(it, "name", true, OW_ASSESS_NAME_MAX_CHARS, &name, &cx->err)) ||
            (rc = ow_json_str(it, "metric", true, 32, &metric, &cx->err)) ||
            (rc = ow_json_str(it, "rule", true, 16, &rule, &cx->err)) ||
            (rc = ow_json_str(it, "description", false, 200, &desc, &cx->err)) ||
            (rc = ow_json_bool(it, "bonus", false, &bonus, &cx->err))) {
            char inner[24];
            snprintf(inner, sizeof inner, "%.23s", cx->err.field);
            snprintf(cx->err.field, sizeof cx->err.field, "%.30s.%s", f, inner);
            return rc;
        }
        json_t *w = json_object_get(it, "weight");
        if (!json_is_number(w) || json_number_value(w) <= 0 || json_number_value(w) > 100 ||
            !two_decimals(json_number_value(w))) {
            snprintf(f + strlen(f), sizeof f - strlen(f), ".weight");
            return ow_err_set(&cx->err, OW_EINVAL, f, "分值应为 0 到 100 之间的数（最多两位小数）");
        }
        bool manual = !strcmp(metric, "manual");
        const ow_assess_metric *m = manual ? NULL : ow_assess_metric_find(metric);
        char mf[64];
        snprintf(mf, sizeof mf, "%s.metric", f);
        if (!manual && !m) return ow_err_set(&cx->err, OW_EINVAL, mf, "未知的计算指标“%s”", metric);
        if (m && !(!strcmp(kind, "department") ? m->department : m->township))
            return ow_err_set(&cx->err, OW_EINVAL, mf, "“%s”不适用于乡镇（街道）便民服务中心",
                              m->name);
        char rf[64];
        snprintf(rf, sizeof rf, "%s.rule", f);
        if (manual != !strcmp(rule, "manual"))
            return ow_err_set(&cx->err, OW_EINVAL, rf,
                              manual ? "人工加减分指标的计分规则应为 manual"
                                     : "计算指标不能使用人工加减分规则");
        ow_assess_rule r;
        if ((rc = ow_assess_rule_parse(rule, json_object_get(it, "params"), m && m->rate, &r,
                                       &cx->err, f)))
            return rc;
        if (bonus && (r.kind != OW_ASSESS_RULE_MANUAL || r.start_full))
            return ow_err_set(&cx->err, OW_EINVAL, rf,
                              "加分项应为人工加减分指标，且从 0 分起计（start_full 为 false）");
        json_t *pj = ow_assess_rule_json(&r);
        char *pt = ow_json_dump(pj);
        json_decref(pj);
        rows[*n] = (ow_assess_indicator_row){.name = name,
                                             .metric = metric,
                                             .rule = rule,
                                             .params = ow_strdup(cx->arena, pt),
                                             .description = desc ? desc : "",
                                             .weight = json_number_value(w),
                                             .bonus = bonus};
        free(pt);
        (*n)++;
    }
    return OW_OK;
}

static bool valid_kind(const char *k) {
    return !strcmp(k, "department") || !strcmp(k, "township");
}

int ow_assess_scheme_create(ow_ctx *cx, const json_t *in, int64_t *id) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "制定考核方案");
    int64_t year;
    const char *kind, *name, *notes = NULL;
    int rc;
    if ((rc = ow_json_int(in, "year", true, 2000, 2999, &year, &cx->err)) ||
        (rc = ow_json_str(in, "unit_kind", true, 16, &kind, &cx->err)) ||
        (rc = ow_json_str(in, "name", true, 60, &name, &cx->err)) ||
        (rc = ow_json_str(in, "notes", false, OW_ASSESS_TEXT_MAX_CHARS, &notes, &cx->err)))
        return rc;
    if (!valid_kind(kind))
        return ow_err_set(&cx->err, OW_EINVAL, "unit_kind",
                          "考核对象应为 department（区直部门）或 township（乡镇街道）");
    int this_year;
    ow_assess_today_ymd(cx, &this_year, NULL);
    if (year < this_year - 1 || year > this_year + 1)
        return ow_err_set(&cx->err, OW_EINVAL, "year", "考核方案的年度应为去年、今年或明年");
    ow_assess_indicator_row *rows = ow_alloc(cx->arena, OW_ASSESS_MAX_INDICATORS * sizeof *rows);
    int n = 0;
    json_t *ind = json_object_get(in, "indicators");
    if (ind && (rc = parse_indicators(cx, ind, kind, rows, &n))) return rc;
    int64_t now = ow_clock_now_ms(cx->clock);
    ow_assess_scheme_row r = {
        .year = (int)year, .unit_kind = kind, .name = name, .notes = notes, .created_at = now};
    if ((rc = ow_assess_store_scheme_insert(cx->db, &r, id, &cx->err)) ||
        (rc = ow_assess_store_indicators_replace(cx->db, *id, rows, n, &cx->err)))
        return rc;
    return ow_assess_audit(
        cx, "assessment.scheme_create", "assess_scheme", *id,
        json_pack("{s:I,s:s,s:i}", "year", (json_int_t)year, "unit_kind", kind, "indicators", n));
}

int ow_assess_scheme_update(ow_ctx *cx, int64_t id, const json_t *in) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "修改考核方案");
    ow_assess_scheme_row s;
    int rc = ow_assess_store_scheme_get(cx->db, id, cx->arena, &s, &cx->err);
    if (rc) return rc;
    const char *name = NULL, *notes = NULL;
    if ((rc = ow_json_str(in, "name", false, 60, &name, &cx->err)) ||
        (rc = ow_json_str(in, "notes", false, OW_ASSESS_TEXT_MAX_CHARS, &notes, &cx->err)))
        return rc;
    json_t *ind = json_object_get(in, "indicators");
    int n = -1;
    if (ind) {
        if (strcmp(s.state, "draft"))
            return ow_err_setk(&cx->err, OW_ECONFLICT, "scheme_issued", "indicators",
                               "考核方案已印发，指标不能再修改；如需调整请在下一年度方案中修改");
        ow_assess_indicator_row *rows =
            ow_alloc(cx->arena, OW_ASSESS_MAX_INDICATORS * sizeof *rows);
        if ((rc = parse_indicators(cx, ind, s.unit_kind, rows, &n)) ||
            (rc = ow_assess_store_indicators_replace(cx->db, id, rows, n, &cx->err)))
            return rc;
    }
    if ((rc = ow_assess_store_scheme_update(cx->db, id, name, notes, ow_clock_now_ms(cx->clock),
                                            &cx->err)))
        return rc;
    return ow_assess_audit(cx, "assessment.scheme_update", "assess_scheme", id,
                           json_pack("{s:b,s:i}", "name", name != NULL, "indicators", n));
}

int ow_assess_scheme_transition(ow_ctx *cx, int64_t id, const char *action) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "印发考核方案");
    if (strcmp(action, "issue"))
        return ow_err_set(&cx->err, OW_EINVAL, "action", "操作应为 issue（印发）");
    ow_assess_scheme *s = ow_alloc(cx->arena, sizeof *s);
    int rc = ow_assess_scheme_load(cx, id, s);
    if (rc) return rc;
    if (strcmp(s->state, "draft"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "scheme_issued", "", "考核方案已印发");
    if (!s->n)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "indicators", "请先设置考核指标");
    double sum = 0;
    for (int i = 0; i < s->n; i++)
        if (!s->ind[i].bonus) sum += s->ind[i].weight;
    if (fabs(sum - 100) > 0.005)
        return ow_err_setk(&cx->err, OW_EINVAL, "weights", "indicators",
                           "考核指标分值合计应为 100 分（加分项除外），现为 %.2f 分", sum);
    if ((rc = ow_assess_store_scheme_issue(cx->db, id, cx->actor.name, ow_clock_now_ms(cx->clock),
                                           &cx->err)))
        return rc;
    return ow_assess_audit(cx, "assessment.scheme_issue", "assess_scheme", id,
                           json_pack("{s:i,s:s}", "year", s->year, "unit_kind", s->unit_kind));
}

int ow_assess_scheme_load(ow_ctx *cx, int64_t id, ow_assess_scheme *s) {
    ow_assess_scheme_row r;
    int rc = ow_assess_store_scheme_get(cx->db, id, cx->arena, &r, &cx->err);
    if (rc) return rc;
    memset(s, 0, sizeof *s);
    s->id = r.id;
    s->year = r.year;
    s->unit_kind = r.unit_kind;
    s->name = r.name;
    s->notes = r.notes;
    s->state = r.state;
    s->issued_by = r.issued_by;
    s->issued_at = r.issued_at;
    s->created_at = r.created_at;
    s->updated_at = r.updated_at;
    ow_assess_indicator_row rows[OW_ASSESS_MAX_INDICATORS];
    if ((rc = ow_assess_store_indicators(cx->db, id, cx->arena, rows, OW_ASSESS_MAX_INDICATORS,
                                         &s->n, &cx->err)))
        return rc;
    for (int i = 0; i < s->n; i++) {
        ow_assess_indicator *d = &s->ind[i];
        d->id = rows[i].id;
        d->seq = rows[i].seq;
        d->name = rows[i].name;
        d->metric = rows[i].metric;
        d->rule_name = rows[i].rule;
        d->description = rows[i].description;
        d->weight = rows[i].weight;
        d->bonus = rows[i].bonus;
        json_t *p = json_loads(rows[i].params, 0, NULL);
        const ow_assess_metric *m = ow_assess_metric_find(d->metric);
        rc = ow_assess_rule_parse(d->rule_name, p, m && m->rate, &d->rule, &cx->err, "indicator");
        json_decref(p);
        if (rc) return rc; /* stored by this code, so only a hand-edited row lands here */
    }
    return OW_OK;
}

json_t *ow_assess_scheme_json(const ow_assess_scheme *s) {
    json_t *ind = json_array();
    double weight = 0, bonus = 0;
    for (int i = 0; i < s->n; i++) {
        const ow_assess_indicator *d = &s->ind[i];
        const ow_assess_metric *m = ow_assess_metric_find(d->metric);
        if (d->bonus)
            bonus += d->weight;
        else
            weight += d->weight;
        json_array_append_new(
            ind, json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:f,s:b,s:o,s:s}", "id", (json_int_t)d->id,
                           "seq", d->seq, "name", d->name, "metric", d->metric, "metric_name",
                           m ? m->name : "人工加减分", "type",
                           m ? (m->rate ? "rate" : "count") : "manual", "rule", d->rule_name,
                           "weight", d->weight, "bonus", d->bonus, "params",
                           ow_assess_rule_json(&d->rule), "description", d->description));
    }
    return json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:f,s:f}", "id", (json_int_t)s->id,
                     "year", s->year, "unit_kind", s->unit_kind, "name", s->name, "notes", s->notes,
                     "state", s->state, "issued_at",
                     s->issued_at ? ow_assess_time_json(s->issued_at) : json_null(), "issued_by",
                     s->issued_by ? json_string(s->issued_by) : json_null(), "indicators", ind,
                     "total_weight", weight, "bonus_weight", bonus);
}

/* Units see the issued schemes of their kind: they are assessed by them. */
static int scheme_visible(ow_ctx *cx, const ow_assess_scheme_row *r, bool *ok) {
    *ok = ow_assess_reads_all(cx);
    if (*ok || strcmp(r->state, "issued")) return OW_OK;
    const char *kind;
    int rc = ow_assess_actor_unit(cx, &kind);
    if (rc == OW_EFORBIDDEN) {
        ow_err_clear(&cx->err);
        return OW_OK;
    }
    if (rc) return rc;
    *ok = !strcmp(kind, r->unit_kind);
    return OW_OK;
}

int ow_assess_scheme_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    ow_assess_scheme *s = ow_alloc(cx->arena, sizeof *s);
    int rc = ow_assess_scheme_load(cx, id, s);
    if (rc) return rc;
    bool ok;
    ow_assess_scheme_row r = {.state = s->state, .unit_kind = s->unit_kind};
    if ((rc = scheme_visible(cx, &r, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "考核方案不存在");
    *out = ow_assess_scheme_json(s);
    return OW_OK;
}

typedef struct list_arg {
    ow_ctx *cx;
    json_t *a;
} list_arg;

static int list_one(void *arg, const ow_assess_scheme_row *r) {
    list_arg *l = arg;
    bool ok;
    int rc = scheme_visible(l->cx, r, &ok);
    if (rc || !ok) return rc;
    ow_assess_scheme *s = ow_alloc(l->cx->arena, sizeof *s);
    if ((rc = ow_assess_scheme_load(l->cx, r->id, s))) return rc;
    json_array_append_new(l->a, ow_assess_scheme_json(s));
    return OW_OK;
}

/* The rows first, then each scheme's indicators: one statement at a time. */
typedef struct scheme_ids {
    int64_t id[256];
    const char *state[256], *kind[256];
    int n;
} scheme_ids;

static int collect_scheme(void *arg, const ow_assess_scheme_row *r) {
    scheme_ids *v = arg;
    if (v->n >= 256) return OW_OK;
    v->id[v->n] = r->id;
    v->state[v->n] = r->state;
    v->kind[v->n] = r->unit_kind;
    v->n++;
    return OW_OK;
}

int ow_assess_scheme_list_json(ow_ctx *cx, int year, json_t **out) {
    scheme_ids *v = ow_alloc(cx->arena, sizeof *v);
    int rc = ow_assess_store_scheme_each(cx->db, year, cx->arena, collect_scheme, v, &cx->err);
    if (rc) return rc;
    list_arg l = {cx, json_array()};
    for (int i = 0; i < v->n && !rc; i++) {
        ow_assess_scheme_row r = {.id = v->id[i], .state = v->state[i], .unit_kind = v->kind[i]};
        rc = list_one(&l, &r);
    }
    if (rc) {
        json_decref(l.a);
        return rc;
    }
    *out = l.a;
    return OW_OK;
}
