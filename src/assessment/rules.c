/* rules.c — how an indicator's figure becomes points (docs/assessment.md, "Rules").
 *
 * Five rules, each a few lines of arithmetic a supervisor can redo by hand, which the
 * unit tests do (tests/unit/test_assessment.c):
 *   rate    weight × clamp((v − zero_at) / (full_at − zero_at), 0, 1)
 *   tiers   weight × pct of the first tier whose min the rate reaches (tiers descending),
 *           0 below the last
 *   deduct  max(0, weight − per × count)
 *   target  weight × min(1, count / (target × months)) with per_month, else / target
 *   manual  clamp((start_full ? weight : 0) + Σ points, 0, weight)
 * A rate or tiers figure with no denominator (no case concluded, no rating …) gets the full
 * weight unless empty_full is false ("no data, no points" for schemes that want it).
 * Scores are rounded to 2 decimals, so the sum of a sheet's rounded scores is its total.
 * Pure: no database, no context. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assessment/assessment.h"

static const char *const RULE_NAMES[] = {"rate", "tiers", "deduct", "target", "manual"};

static double round2(double v) {
    return round(v * 100.0) / 100.0;
}

static double clamp(double v, double lo, double hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

/* e->field = a.b (or a), cut to fit: field paths are short, but the compiler cannot know. */
static void set_field(ow_err *e, const char *a, const char *b) {
    size_t n = 0, cap = sizeof e->field - 1;
    for (const char *p = a; *p && n < cap; p++)
        e->field[n++] = *p;
    if (b) {
        if (n < cap) e->field[n++] = '.';
        for (const char *p = b; *p && n < cap; p++)
            e->field[n++] = *p;
    }
    e->field[n] = '\0';
}

static int num_param(const json_t *params, const char *key, bool required, double lo, double hi,
                     double def, double *out, ow_err *e, const char *field) {
    json_t *v = json_object_get(params, key);
    if (!v || json_is_null(v)) {
        if (required) {
            ow_err_setk(e, OW_EINVAL, "missing_field", "", "请填写规则参数 %s", key);
            set_field(e, field, key);
            return OW_EINVAL;
        }
        *out = def;
        return OW_OK;
    }
    if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi) {
        ow_err_set(e, OW_EINVAL, "", "参数 %s 应为 %g 到 %g 之间的数", key, lo, hi);
        set_field(e, field, key);
        return OW_EINVAL;
    }
    *out = json_number_value(v);
    return OW_OK;
}

static int bool_param(const json_t *params, const char *key, bool def, bool *out, ow_err *e,
                      const char *field) {
    json_t *v = json_object_get(params, key);
    if (!v || json_is_null(v)) {
        *out = def;
        return OW_OK;
    }
    if (!json_is_boolean(v)) {
        ow_err_set(e, OW_EINVAL, "", "参数 %s 应为 true 或 false", key);
        set_field(e, field, key);
        return OW_EINVAL;
    }
    *out = json_is_true(v);
    return OW_OK;
}

static int bad(ow_err *e, const char *field, const char *key, const char *msg) {
    ow_err_set(e, OW_EINVAL, "", "%s", msg);
    if (key)
        set_field(e, field, key);
    else
        set_field(e, field, NULL);
    return OW_EINVAL;
}

int ow_assess_rule_parse(const char *rule, const json_t *params, bool rate_metric,
                         ow_assess_rule *out, ow_err *e, const char *field) {
    memset(out, 0, sizeof *out);
    char pfield[64];
    snprintf(pfield, sizeof pfield, "%.50s.params", field);
    if (params && !json_is_object(params)) return bad(e, pfield, NULL, "规则参数应为对象");
    json_t *empty = NULL;
    if (!params) params = empty = json_object();
    int rc = OW_OK;
    size_t k;
    for (k = 0; k < sizeof RULE_NAMES / sizeof *RULE_NAMES; k++)
        if (!strcmp(rule, RULE_NAMES[k])) break;
    if (k == sizeof RULE_NAMES / sizeof *RULE_NAMES) {
        char rf[64];
        snprintf(rf, sizeof rf, "%.50s.rule", field);
        rc = bad(e, rf, NULL, "计分规则应为 rate、tiers、deduct、target 或 manual");
        goto out;
    }
    out->kind = (ow_assess_rule_kind)k;
    if ((out->kind == OW_ASSESS_RULE_RATE || out->kind == OW_ASSESS_RULE_TIERS) && !rate_metric) {
        char rf[64];
        snprintf(rf, sizeof rf, "%.50s.rule", field);
        rc = bad(e, rf, NULL, "计数类指标请用 deduct（每项扣分）或 target（目标数）规则");
        goto out;
    }
    if ((out->kind == OW_ASSESS_RULE_DEDUCT || out->kind == OW_ASSESS_RULE_TARGET) && rate_metric) {
        char rf[64];
        snprintf(rf, sizeof rf, "%.50s.rule", field);
        rc = bad(e, rf, NULL, "比率类指标请用 rate（线性）或 tiers（分档）规则");
        goto out;
    }
    switch (out->kind) {
    case OW_ASSESS_RULE_RATE:
        if ((rc = num_param(params, "full_at", false, 0, 1, 1, &out->full_at, e, pfield)) ||
            (rc = num_param(params, "zero_at", false, 0, 1, 0, &out->zero_at, e, pfield)) ||
            (rc = bool_param(params, "empty_full", true, &out->empty_full, e, pfield)))
            goto out;
        if (out->zero_at >= out->full_at) {
            rc = bad(e, pfield, "zero_at", "零分线应低于满分线");
            goto out;
        }
        break;
    case OW_ASSESS_RULE_TIERS: {
        if ((rc = bool_param(params, "empty_full", true, &out->empty_full, e, pfield))) goto out;
        json_t *tiers = json_object_get(params, "tiers");
        if (!json_is_array(tiers) || !json_array_size(tiers) ||
            json_array_size(tiers) > OW_ASSESS_MAX_TIERS) {
            rc = bad(e, pfield, "tiers", "请设置 1 到 8 个分档（达到的比率与得分比例）");
            goto out;
        }
        for (size_t i = 0; i < json_array_size(tiers); i++) {
            json_t *t = json_array_get(tiers, i);
            char tf[96];
            snprintf(tf, sizeof tf, "%.60s.tiers[%zu]", pfield, i);
            if (!json_is_object(t)) {
                rc = bad(e, tf, NULL, "分档应为 {min, pct}");
                goto out;
            }
            if ((rc = num_param(t, "min", true, 0, 1, 0, &out->tier_min[i], e, tf)) ||
                (rc = num_param(t, "pct", true, 0, 100, 0, &out->tier_pct[i], e, tf)))
                goto out;
            if (i && (out->tier_min[i] >= out->tier_min[i - 1] ||
                      out->tier_pct[i] > out->tier_pct[i - 1])) {
                rc = bad(e, tf, "min", "分档应按比率从高到低排列，得分比例不升");
                goto out;
            }
            out->ntiers++;
        }
        break;
    }
    case OW_ASSESS_RULE_DEDUCT:
        rc = num_param(params, "per", true, 0.01, 100, 0, &out->per, e, pfield);
        break;
    case OW_ASSESS_RULE_TARGET:
        if ((rc = num_param(params, "target", true, 1, 100000, 0, &out->target, e, pfield)) ||
            (rc = bool_param(params, "per_month", true, &out->per_month, e, pfield)))
            goto out;
        break;
    case OW_ASSESS_RULE_MANUAL:
        rc = bool_param(params, "start_full", true, &out->start_full, e, pfield);
        break;
    }
out:
    json_decref(empty);
    return rc;
}

json_t *ow_assess_rule_json(const ow_assess_rule *r) {
    switch (r->kind) {
    case OW_ASSESS_RULE_RATE:
        return json_pack("{s:f,s:f,s:b}", "full_at", r->full_at, "zero_at", r->zero_at,
                         "empty_full", r->empty_full);
    case OW_ASSESS_RULE_TIERS: {
        json_t *t = json_array();
        for (int i = 0; i < r->ntiers; i++)
            json_array_append_new(
                t, json_pack("{s:f,s:f}", "min", r->tier_min[i], "pct", r->tier_pct[i]));
        return json_pack("{s:o,s:b}", "tiers", t, "empty_full", r->empty_full);
    }
    case OW_ASSESS_RULE_DEDUCT:
        return json_pack("{s:f}", "per", r->per);
    case OW_ASSESS_RULE_TARGET:
        return json_pack("{s:f,s:b}", "target", r->target, "per_month", r->per_month);
    case OW_ASSESS_RULE_MANUAL:
        return json_pack("{s:b}", "start_full", r->start_full);
    }
    return json_object();
}

const char *ow_assess_rule_name(ow_assess_rule_kind k) {
    return RULE_NAMES[k];
}

double ow_assess_score(const ow_assess_rule *r, double weight, const ow_assess_figure *f,
                       int months, char *note, size_t note_size) {
    double s = 0;
    note[0] = '\0';
    switch (r->kind) {
    case OW_ASSESS_RULE_RATE:
    case OW_ASSESS_RULE_TIERS:
        if (!f->has_data) {
            s = r->empty_full ? weight : 0;
            snprintf(note, note_size, "%s",
                     r->empty_full ? "无可计数据，不扣分" : "无可计数据，不得分");
            break;
        }
        if (r->kind == OW_ASSESS_RULE_RATE) {
            s = weight * clamp((f->value - r->zero_at) / (r->full_at - r->zero_at), 0, 1);
            snprintf(note, note_size, "%lld/%lld = %.2f%%", (long long)f->num, (long long)f->den,
                     f->value * 100);
        } else {
            int i = 0;
            /* a rate exactly on a tier's line reaches it: compare in hundredths of a
             * percent so that 0.95 computed as 19/20 is not 0.9499999 */
            while (i < r->ntiers && round(f->value * 10000) < round(r->tier_min[i] * 10000))
                i++;
            double pct = i < r->ntiers ? r->tier_pct[i] : 0;
            s = weight * pct / 100;
            snprintf(note, note_size, "%lld/%lld = %.2f%%，%s%.0f%%", (long long)f->num,
                     (long long)f->den, f->value * 100,
                     i < r->ntiers ? "得分比例 " : "未达最低档，", pct);
        }
        break;
    case OW_ASSESS_RULE_DEDUCT:
        s = weight - r->per * f->value;
        if (s < 0) s = 0;
        snprintf(note, note_size, "%lld 项，每项扣 %g 分", (long long)f->num, r->per);
        break;
    case OW_ASSESS_RULE_TARGET: {
        double goal = r->target * (r->per_month ? (months > 0 ? months : 1) : 1);
        s = weight * clamp(f->value / goal, 0, 1);
        snprintf(note, note_size, "%lld / 目标 %g", (long long)f->num, goal);
        break;
    }
    case OW_ASSESS_RULE_MANUAL:
        s = clamp((r->start_full ? weight : 0) + f->value, 0, weight);
        snprintf(note, note_size, "%lld 条加减分记录，合计 %+.2f 分", (long long)f->num, f->value);
        break;
    }
    return round2(s);
}
