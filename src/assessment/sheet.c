/* sheet.c — score sheets: computing a scheme's scores for a period as of a cut-off,
 * ranking, publishing (freezing) them with the figures and the records behind them, and
 * reading them back.
 *
 * Computing reads each indicator's figures for every unit at once
 * (assessment_metrics_store.h: one grouped query per metric), then scores them by the
 * rules (rules.c).  Publishing runs on the writer and computes there, in the transaction
 * that stores the result, so the scores, the figures and the records are one consistent
 * picture of the data; nothing stored is touched again.  A published sheet carries the
 * scheme as it was scored, so it reads the same whatever happens to the scheme's rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "assessment/assessment.h"
#include "assessment/assessment_int.h"
#include "core/json.h"
#include "core/workdays.h"
#include "store/assessment_metrics_store.h"
#include "store/assessment_store.h"

#define RECORDS_MAX_PER_FIGURE 2000 /* a published drill-down keeps at most this many */

static double round2(double v) {
    return round(v * 100.0) / 100.0;
}

/* ---- computing ---- */

typedef struct units_arg {
    ow_ctx *cx;
    ow_assess_sheet *s;
} units_arg;

static int add_unit(void *arg, int64_t id, const char *code, const char *name) {
    (void)code;
    units_arg *u = arg;
    if (u->s->nunits >= OW_ASSESS_MAX_UNITS) return OW_OK;
    ow_assess_unit *x = &u->s->units[u->s->nunits++];
    memset(x, 0, sizeof *x);
    x->org_id = id;
    x->name = ow_strdup(u->cx->arena, name);
    return OW_OK;
}

static ow_assess_unit *unit_of(ow_assess_sheet *s, int64_t org) {
    for (int i = 0; i < s->nunits; i++)
        if (s->units[i].org_id == org) return &s->units[i];
    return NULL;
}

typedef struct fig_arg {
    ow_assess_sheet *s;
    int k; /* indicator index */
} fig_arg;

static void take_figure(void *arg, int64_t org, int64_t num, int64_t den) {
    fig_arg *f = arg;
    ow_assess_unit *u = unit_of(f->s, org);
    if (!u) return;
    u->fig[f->k].num += num;
    u->fig[f->k].den += den;
}

static int take_adjustment(void *arg, const ow_assess_adjustment_row *r) {
    fig_arg *f = arg;
    ow_assess_unit *u = unit_of(f->s, r->org_id);
    if (!u) return OW_OK;
    u->fig[f->k].num++;
    u->fig[f->k].value += r->points;
    return OW_OK;
}

void ow_assess_rank(ow_assess_sheet *s) {
    /* insertion sort by total, then by list order (the unit's place in the org list) */
    for (int i = 1; i < s->nunits; i++) {
        ow_assess_unit t = s->units[i];
        int j = i - 1;
        while (j >= 0 && round2(s->units[j].total) < round2(t.total)) {
            s->units[j + 1] = s->units[j];
            j--;
        }
        s->units[j + 1] = t;
    }
    for (int i = 0; i < s->nunits; i++)
        s->units[i].rank = i && round2(s->units[i].total) == round2(s->units[i - 1].total)
                               ? s->units[i - 1].rank
                               : i + 1;
}

static void score_units(ow_ctx *cx, ow_assess_sheet *s) {
    const ow_assess_scheme *sc = s->scheme;
    for (int i = 0; i < s->nunits; i++) {
        ow_assess_unit *u = &s->units[i];
        u->base = u->bonus = 0;
        for (int k = 0; k < sc->n; k++) {
            const ow_assess_indicator *d = &sc->ind[k];
            ow_assess_figure *f = &u->fig[k];
            const ow_assess_metric *m = ow_assess_metric_find(d->metric);
            if (!m) { /* manual: value is the sum of the points */
                f->has_data = true;
                f->den = f->num;
            } else if (m->rate) {
                f->has_data = f->den > 0;
                f->value = f->den > 0 ? (double)f->num / (double)f->den : 0;
            } else {
                f->has_data = true;
                f->value = (double)f->num;
            }
            char note[160];
            u->score[k] =
                ow_assess_score(&d->rule, d->weight, f, s->period.months, note, sizeof note);
            u->note[k] = ow_strdup(cx->arena, note);
            if (d->bonus)
                u->bonus += u->score[k];
            else
                u->base += u->score[k];
        }
        u->base = round2(u->base);
        u->bonus = round2(u->bonus);
        u->total = round2(u->base + u->bonus);
    }
    ow_assess_rank(s);
}

/* May the actor compute or read sheets of this scheme?  The center any; a unit's staff
 * an issued scheme of their kind. */
static int scheme_access(ow_ctx *cx, const ow_assess_scheme *sc) {
    if (ow_assess_reads_all(cx)) return OW_OK;
    const char *kind;
    int rc = ow_assess_actor_unit(cx, &kind);
    if (rc) return rc;
    if (strcmp(sc->state, "issued") || strcmp(kind, sc->unit_kind))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "考核方案不存在");
    return OW_OK;
}

int ow_assess_compute(ow_ctx *cx, int64_t scheme_id, const char *period, const char *cutoff,
                      ow_assess_sheet **out) {
    ow_assess_sheet *s = ow_alloc(cx->arena, sizeof *s);
    s->scheme = ow_alloc(cx->arena, sizeof *s->scheme);
    int rc = ow_assess_scheme_load(cx, scheme_id, s->scheme);
    if (rc || (rc = scheme_access(cx, s->scheme))) return rc;
    if ((rc = ow_assess_period_parse(period, cutoff, ow_assess_today(cx), &s->period, &cx->err)))
        return rc;
    if (s->period.year != s->scheme->year)
        return ow_err_set(&cx->err, OW_EINVAL, "period", "考核期应在方案年度（%d 年）内",
                          s->scheme->year);
    s->units = ow_alloc(cx->arena, OW_ASSESS_MAX_UNITS * sizeof *s->units);
    units_arg ua = {cx, s};
    if ((rc = ow_assess_store_units(cx->db, s->scheme->unit_kind, cx->arena, add_unit, &ua,
                                    &cx->err)))
        return rc;
    ow_assess_span span;
    ow_assess_span_init(&span, s->period.from, s->period.end);
    for (int k = 0; k < s->scheme->n; k++) {
        const ow_assess_indicator *d = &s->scheme->ind[k];
        fig_arg fa = {s, k};
        if (!strcmp(d->metric, "manual")) {
            ow_assess_adjustment_filter f = {.scheme_id = s->scheme->id,
                                             .indicator_id = d->id,
                                             .from = span.from_s,
                                             .to = span.end_s,
                                             .active_only = true};
            rc = ow_assess_store_adjustments(cx->db, &f, cx->arena, take_adjustment, &fa, &cx->err);
        } else {
            rc = ow_assess_store_figures(cx->db, d->metric, s->scheme->unit_kind, &span,
                                         take_figure, &fa, &cx->err);
        }
        if (rc) return rc;
    }
    score_units(cx, s);
    *out = s;
    return OW_OK;
}

/* ---- records behind a figure ---- */

static const char *rating_level_name(int64_t level) {
    static const char *const names[] = {"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"};
    return level >= 1 && level <= 5 ? names[level] : "";
}

static const char *column_name(const char *code) {
    return !strcmp(code, "budget")             ? "财政预决算"
           : !strcmp(code, "major_projects")   ? "重大建设项目"
           : !strcmp(code, "public_resources") ? "公共资源配置"
           : !strcmp(code, "public_welfare")   ? "社会公益事业"
                                               : code;
}

static const char *depth_name(const char *d) {
    return !strcmp(d, "full") ? "全程网办" : !strcmp(d, "apply") ? "网上申请" : "不能网办";
}

static const char *state_name(const char *type, const char *st) {
    if (!strcmp(type, "rectification"))
        return !strcmp(st, "closed")     ? "已办结"
               : !strcmp(st, "ledger")   ? "列入整改台账"
               : !strcmp(st, "appealed") ? "申诉中"
               : !strcmp(st, "visited")  ? "已回访"
                                         : "待回访";
    if (!strcmp(type, "task"))
        return !strcmp(st, "done") ? "已销号" : !strcmp(st, "completed") ? "待销号" : "推进中";
    return st;
}

/* What a person reads about a record (the detail column of the drill-down). */
static const char *record_detail(ow_ctx *cx, const char *metric, const ow_assess_rec *r,
                                 int32_t end) {
    char due[11] = "", date[11] = "", endd[11];
    if (r->due != OW_DATE_NONE) ow_date_format(r->due, due);
    if (r->date != OW_DATE_NONE) ow_date_format(r->date, date);
    ow_date_format(end, endd);
    const char *t = r->ref_type;
    if (!strcmp(t, "case"))
        return r->date != OW_DATE_NONE
                   ? ow_sprintf(cx->arena, "承诺期限 %s，%s 作出决定（逾期 %d 天）", due, date,
                                r->date - r->due)
                   : ow_sprintf(cx->arena, "承诺期限 %s，截至 %s 尚未办结（超期 %d 天）", due, endd,
                                end - r->due);
    if (!strcmp(t, "rating"))
        return ow_sprintf(cx->arena, "%s %s%s%s", date, rating_level_name(r->n),
                          *r->note ? "：" : "", r->note);
    if (!strcmp(t, "rectification"))
        return ow_sprintf(cx->arena, "整改期限 %s，%s", due, state_name(t, r->note));
    if (!strcmp(t, "complaint") || !strcmp(t, "info_request"))
        return r->date != OW_DATE_NONE
                   ? ow_sprintf(cx->arena, "答复期限 %s，%s 答复（逾期）", due, date)
                   : ow_sprintf(cx->arena, "答复期限 %s，截至 %s 尚未答复", due, endd);
    if (!strcmp(t, "item")) {
        if (!strcmp(metric, "one_visit_rate"))
            return ow_sprintf(cx->arena, "到办事现场 %lld 次", (long long)r->n);
        if (!strcmp(metric, "guide_complete")) {
            static const char *const f[] = {"设定依据", "受理条件", "办理地点", "办理时间",
                                            "咨询电话", "投诉电话", "办理结果", "法律救济",
                                            "申请材料", "办理流程"};
            char buf[256] = "缺少：";
            size_t off = strlen(buf);
            for (int i = 0, first = 1; i < 10; i++)
                if (r->n & (1 << i)) {
                    off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s", first ? "" : "、",
                                            f[i]);
                    first = 0;
                }
            return ow_strdup(cx->arena, buf);
        }
        return ow_sprintf(cx->arena, "网办深度：%s", depth_name(r->note));
    }
    if (!strcmp(t, "publication")) return ow_sprintf(cx->arena, "%s 公开", date);
    if (!strcmp(t, "column"))
        return ow_sprintf(cx->arena, "“%s”栏目截至 %s 全年未发布信息", column_name(r->ref_no),
                          endd);
    if (!strcmp(t, "inspection"))
        return r->date != OW_DATE_NONE
                   ? ow_sprintf(cx->arena, "整改期限 %s，%s 整改（逾期）", due, date)
                   : ow_sprintf(cx->arena, "整改期限 %s，截至 %s 尚未整改", due, endd);
    if (!strcmp(t, "notice"))
        return r->date != OW_DATE_NONE
                   ? ow_sprintf(cx->arena, "回复期限 %s，%s 回复（逾期）", due, date)
                   : ow_sprintf(cx->arena, "回复期限 %s，截至 %s 尚未回复", due, endd);
    if (!strcmp(t, "task"))
        return r->date != OW_DATE_NONE
                   ? ow_sprintf(cx->arena, "完成时限 %s，%s 完成（逾期）", due, date)
                   : ow_sprintf(cx->arena, "完成时限 %s，进度 %lld%%，%s", due, (long long)r->n,
                                state_name(t, r->note));
    return "";
}

static const char *record_title(ow_ctx *cx, const ow_assess_rec *r) {
    if (!strcmp(r->ref_type, "column")) return column_name(r->ref_no);
    if (!strcmp(r->ref_type, "inspection")) {
        const char *k = r->ref_no;
        return ow_sprintf(cx->arena, "%s：%s",
                          !strcmp(k, "special")     ? "专项督查"
                          : !strcmp(k, "topic")     ? "点题督查"
                          : !strcmp(k, "follow_up") ? "回头看"
                                                    : "季度督查",
                          r->title);
    }
    return r->title;
}

typedef struct rec_arg {
    ow_ctx *cx;
    const char *metric;
    int32_t end;
    /* live page */
    json_t *items;
    int64_t total, skip, take;
    /* publish */
    int64_t sheet_id, indicator_id;
    ow_assess_sheet *s;
    int *seq; /* per unit index */
} rec_arg;

static json_t *record_json(ow_ctx *cx, const char *metric, const ow_assess_rec *r, int32_t end) {
    return json_pack("{s:s,s:o,s:s,s:s,s:o,s:o,s:s}", "ref_type", r->ref_type, "ref_id",
                     r->ref_id ? json_integer(r->ref_id) : json_null(), "ref_no",
                     !strcmp(r->ref_type, "inspection") ? "" : r->ref_no, "title",
                     record_title(cx, r), "date", ow_assess_date_json(r->date), "due",
                     ow_assess_date_json(r->due), "detail", record_detail(cx, metric, r, end));
}

static int page_record(void *arg, const ow_assess_rec *r) {
    rec_arg *a = arg;
    a->total++;
    if (a->total > a->skip && (int64_t)json_array_size(a->items) < a->take)
        json_array_append_new(a->items, record_json(a->cx, a->metric, r, a->end));
    return OW_OK;
}

static int keep_record(void *arg, const ow_assess_rec *r) {
    rec_arg *a = arg;
    int ui = -1;
    for (int i = 0; i < a->s->nunits; i++)
        if (a->s->units[i].org_id == r->org_id) ui = i;
    if (ui < 0 || a->seq[ui] >= RECORDS_MAX_PER_FIGURE) return OW_OK;
    char date[11] = "", due[11] = "";
    if (r->date != OW_DATE_NONE) ow_date_format(r->date, date);
    if (r->due != OW_DATE_NONE) ow_date_format(r->due, due);
    ow_assess_record_row row = {.org_id = r->org_id,
                                .indicator_id = a->indicator_id,
                                .seq = ++a->seq[ui],
                                .ref_type = r->ref_type,
                                .ref_id = r->ref_id,
                                .ref_no = !strcmp(r->ref_type, "inspection") ? "" : r->ref_no,
                                .title = record_title(a->cx, r),
                                .event_date = date,
                                .due_date = due,
                                .detail = record_detail(a->cx, a->metric, r, a->end)};
    return ow_assess_store_record_insert(a->cx->db, a->sheet_id, &row, &a->cx->err);
}

/* Manual points as records: the adjustments that made the figure. */
typedef struct adj_rec_arg {
    rec_arg *ra;
    ow_assess_rec_fn fn;
} adj_rec_arg;

static int adjustment_record(void *arg, const ow_assess_adjustment_row *j) {
    adj_rec_arg *a = arg;
    int32_t d = OW_DATE_NONE;
    ow_date_parse(j->fact_date, &d);
    ow_assess_rec r = {.org_id = j->org_id,
                       .ref_type = "adjustment",
                       .ref_id = j->id,
                       .ref_no = "",
                       .title = j->reason,
                       .date = d,
                       .due = OW_DATE_NONE,
                       .n = 0,
                       .note = ""};
    /* the detail of an adjustment is its points and who entered them */
    rec_arg *ra = a->ra;
    if (a->fn == page_record) {
        ra->total++;
        if (ra->total > ra->skip && (int64_t)json_array_size(ra->items) < ra->take)
            json_array_append_new(
                ra->items,
                json_pack("{s:s,s:I,s:s,s:s,s:o,s:n,s:s}", "ref_type", "adjustment", "ref_id",
                          (json_int_t)j->id, "ref_no", "", "title", j->reason, "date",
                          ow_assess_date_json(d), "due", "detail",
                          ow_sprintf(ra->cx->arena, "%+.2f 分（%s 录入，佐证材料 %d 份）",
                                     j->points, j->entered_by, j->files)));
        return OW_OK;
    }
    int ui = -1;
    for (int i = 0; i < ra->s->nunits; i++)
        if (ra->s->units[i].org_id == j->org_id) ui = i;
    if (ui < 0) return OW_OK;
    ow_assess_record_row row = {.org_id = j->org_id,
                                .indicator_id = ra->indicator_id,
                                .seq = ++ra->seq[ui],
                                .ref_type = "adjustment",
                                .ref_id = j->id,
                                .ref_no = "",
                                .title = j->reason,
                                .event_date = j->fact_date,
                                .due_date = "",
                                .detail =
                                    ow_sprintf(ra->cx->arena, "%+.2f 分（%s 录入，佐证材料 %d 份）",
                                               j->points, j->entered_by, j->files)};
    (void)r;
    return ow_assess_store_record_insert(ra->cx->db, ra->sheet_id, &row, &ra->cx->err);
}

static int indicator_index(const ow_assess_scheme *sc, int64_t indicator_id) {
    for (int k = 0; k < sc->n; k++)
        if (sc->ind[k].id == indicator_id) return k;
    return -1;
}

/* ---- publishing ---- */

int ow_assess_publish(ow_ctx *cx, ow_assess_sheet *s, const char *note, int64_t *id) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "发布考核结果");
    if (strcmp(s->scheme->state, "issued"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "scheme_draft", "scheme_id",
                           "考核方案尚未印发，不能发布考核结果");
    int version;
    int rc = ow_assess_store_sheet_next_version(cx->db, s->scheme->id, s->period.code, &version,
                                                &cx->err);
    if (rc) return rc;
    if (version > 1 && (!note || !*note))
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "note",
                           "该考核期已发布过，重新发布请写明更正原因");
    json_t *sj = ow_assess_scheme_json(s->scheme);
    char *st = ow_json_dump(sj);
    json_decref(sj);
    char from[11], to[11], cut[11];
    ow_date_format(s->period.from, from);
    ow_date_format(s->period.to, to);
    ow_date_format(s->period.cut, cut);
    int64_t now = ow_clock_now_ms(cx->clock);
    ow_assess_sheet_row row = {.scheme_id = s->scheme->id,
                               .period = s->period.code,
                               .period_kind = s->period.kind,
                               .from_date = from,
                               .to_date = to,
                               .cutoff = cut,
                               .version = version,
                               .scheme = st,
                               .note = note,
                               .published_at = now,
                               .published_by = cx->actor.name};
    rc = ow_assess_store_sheet_insert(cx->db, &row, id, &cx->err);
    free(st);
    if (rc) return rc;
    for (int i = 0; i < s->nunits && !rc; i++) {
        ow_assess_unit *u = &s->units[i];
        ow_assess_score_row sr = {.org_id = u->org_id,
                                  .org_name = u->name,
                                  .base = u->base,
                                  .bonus = u->bonus,
                                  .total = u->total,
                                  .rank = u->rank};
        rc = ow_assess_store_score_insert(cx->db, *id, &sr, &cx->err);
        for (int k = 0; k < s->scheme->n && !rc; k++) {
            ow_assess_item_row ir = {.org_id = u->org_id,
                                     .indicator_id = s->scheme->ind[k].id,
                                     .has_data = u->fig[k].has_data,
                                     .value = u->fig[k].value,
                                     .num = u->fig[k].num,
                                     .den = u->fig[k].den,
                                     .score = u->score[k],
                                     .note = u->note[k]};
            rc = ow_assess_store_item_insert(cx->db, *id, &ir, &cx->err);
        }
    }
    if (rc) return rc;
    /* the records behind every figure, as they stand in this transaction */
    ow_assess_span span;
    ow_assess_span_init(&span, s->period.from, s->period.end);
    int64_t nrec = 0;
    for (int k = 0; k < s->scheme->n && !rc; k++) {
        const ow_assess_indicator *d = &s->scheme->ind[k];
        rec_arg ra = {.cx = cx,
                      .metric = d->metric,
                      .end = s->period.end,
                      .sheet_id = *id,
                      .indicator_id = d->id,
                      .s = s,
                      .seq = ow_alloc(cx->arena, (size_t)(s->nunits + 1) * sizeof(int))};
        if (!strcmp(d->metric, "manual")) {
            adj_rec_arg aa = {&ra, keep_record};
            ow_assess_adjustment_filter f = {.scheme_id = s->scheme->id,
                                             .indicator_id = d->id,
                                             .from = span.from_s,
                                             .to = span.end_s,
                                             .active_only = true};
            rc = ow_assess_store_adjustments(cx->db, &f, cx->arena, adjustment_record, &aa,
                                             &cx->err);
        } else {
            rc = ow_assess_store_records(cx->db, d->metric, s->scheme->unit_kind, 0, &span,
                                         keep_record, &ra, &cx->err);
        }
        for (int i = 0; i < s->nunits; i++)
            nrec += ra.seq[i];
    }
    if (rc) return rc;
    s->id = *id;
    s->version = version;
    s->is_current = true;
    s->published_at = now;
    s->published_by = cx->actor.name;
    s->note = note ? note : "";
    return ow_assess_audit(cx, "assessment.publish", "assess_sheet", *id,
                           json_pack("{s:I,s:s,s:s,s:i,s:i,s:I}", "scheme_id",
                                     (json_int_t)s->scheme->id, "period", s->period.code, "cutoff",
                                     cut, "version", version, "units", s->nunits, "records",
                                     (json_int_t)nrec));
}

/* ---- reading a published sheet back ---- */

/* The scheme as the sheet stored it. */
static int scheme_from_json(ow_ctx *cx, const char *text, ow_assess_scheme *sc) {
    json_t *j = json_loads(text, 0, NULL);
    if (!j) return ow_err_set(&cx->err, OW_EINTERNAL, "", "考核结果中的方案无法读取");
    memset(sc, 0, sizeof *sc);
    sc->id = json_integer_value(json_object_get(j, "id"));
    sc->year = (int)json_integer_value(json_object_get(j, "year"));
    sc->unit_kind = ow_strdup(cx->arena, json_string_value(json_object_get(j, "unit_kind")));
    sc->name = ow_strdup(cx->arena, json_string_value(json_object_get(j, "name")));
    sc->notes = ow_strdup(cx->arena, json_string_value(json_object_get(j, "notes")));
    sc->state = "issued";
    json_t *ind = json_object_get(j, "indicators");
    int rc = OW_OK;
    for (size_t i = 0; i < json_array_size(ind) && i < OW_ASSESS_MAX_INDICATORS; i++) {
        json_t *it = json_array_get(ind, i);
        ow_assess_indicator *d = &sc->ind[sc->n++];
        d->id = json_integer_value(json_object_get(it, "id"));
        d->seq = (int)json_integer_value(json_object_get(it, "seq"));
        d->name = ow_strdup(cx->arena, json_string_value(json_object_get(it, "name")));
        d->metric = ow_strdup(cx->arena, json_string_value(json_object_get(it, "metric")));
        d->rule_name = ow_strdup(cx->arena, json_string_value(json_object_get(it, "rule")));
        d->description =
            ow_strdup(cx->arena, json_string_value(json_object_get(it, "description")));
        d->weight = json_number_value(json_object_get(it, "weight"));
        d->bonus = json_is_true(json_object_get(it, "bonus"));
        const ow_assess_metric *m = ow_assess_metric_find(d->metric);
        if ((rc = ow_assess_rule_parse(d->rule_name, json_object_get(it, "params"), m && m->rate,
                                       &d->rule, &cx->err, "indicator")))
            break;
    }
    json_decref(j);
    return rc;
}

static int load_score(void *arg, const ow_assess_score_row *r) {
    ow_assess_sheet *s = arg;
    if (s->nunits >= OW_ASSESS_MAX_UNITS) return OW_OK;
    ow_assess_unit *u = &s->units[s->nunits++];
    memset(u, 0, sizeof *u);
    u->org_id = r->org_id;
    u->name = r->org_name;
    u->base = r->base;
    u->bonus = r->bonus;
    u->total = r->total;
    u->rank = r->rank;
    return OW_OK;
}

static int load_item(void *arg, const ow_assess_item_row *r) {
    ow_assess_sheet *s = arg;
    ow_assess_unit *u = unit_of(s, r->org_id);
    int k = indicator_index(s->scheme, r->indicator_id);
    if (!u || k < 0) return OW_OK;
    u->fig[k] = (ow_assess_figure){
        .has_data = r->has_data, .value = r->value, .num = r->num, .den = r->den};
    u->score[k] = r->score;
    u->note[k] = r->note;
    return OW_OK;
}

int ow_assess_sheet_load(ow_ctx *cx, int64_t id, ow_assess_sheet **out) {
    ow_assess_sheet_row row;
    int rc = ow_assess_store_sheet_get(cx->db, id, cx->arena, &row, &cx->err);
    if (rc) return rc;
    ow_assess_sheet *s = ow_alloc(cx->arena, sizeof *s);
    s->scheme = ow_alloc(cx->arena, sizeof *s->scheme);
    if ((rc = scheme_from_json(cx, row.scheme, s->scheme))) return rc;
    if (!ow_assess_reads_all(cx)) {
        const char *kind;
        if ((rc = ow_assess_actor_unit(cx, &kind))) return rc;
        if (strcmp(kind, s->scheme->unit_kind))
            return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "考核结果不存在");
    }
    s->id = row.id;
    s->version = row.version;
    s->is_current = row.is_current;
    s->published_at = row.published_at;
    s->published_by = row.published_by;
    s->note = row.note;
    /* the period as published: its code and cut-off (parsed against the cut-off itself) */
    int32_t cut;
    ow_date_parse(row.cutoff, &cut);
    if ((rc = ow_assess_period_parse(row.period, row.cutoff, cut, &s->period, &cx->err))) return rc;
    s->units = ow_alloc(cx->arena, OW_ASSESS_MAX_UNITS * sizeof *s->units);
    if ((rc = ow_assess_store_scores(cx->db, id, 0, cx->arena, load_score, s, &cx->err)) ||
        (rc = ow_assess_store_items(cx->db, id, 0, cx->arena, load_item, s, &cx->err)))
        return rc;
    *out = s;
    return OW_OK;
}

/* ---- JSON ---- */

static json_t *period_json(ow_ctx *cx, const ow_assess_period *p) {
    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:i}", "code", p->code, "kind", p->kind, "name",
                     ow_assess_period_name(cx, p->code), "from", ow_assess_date_json(p->from), "to",
                     ow_assess_date_json(p->to), "cutoff", ow_assess_date_json(p->cut), "end",
                     ow_assess_date_json(p->end), "months", p->months);
}

static json_t *figure_value(const ow_assess_indicator *d, const ow_assess_figure *f) {
    const ow_assess_metric *m = ow_assess_metric_find(d->metric);
    if (m && m->rate && !f->has_data) return json_null();
    return json_real(m && m->rate ? round(f->value * 10000) / 10000 : f->value);
}

static json_t *indicators_json(const ow_assess_scheme *sc) {
    json_t *a = json_array();
    for (int k = 0; k < sc->n; k++) {
        const ow_assess_indicator *d = &sc->ind[k];
        const ow_assess_metric *m = ow_assess_metric_find(d->metric);
        json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s,s:s,s:f,s:b,s:s,s:o}", "id",
                                           (json_int_t)d->id, "name", d->name, "metric", d->metric,
                                           "type", m ? (m->rate ? "rate" : "count") : "manual",
                                           "rule", d->rule_name, "weight", d->weight, "bonus",
                                           d->bonus, "records", m ? m->records : "加减分记录",
                                           "params", ow_assess_rule_json(&d->rule)));
    }
    return a;
}

json_t *ow_assess_sheet_json(ow_ctx *cx, const ow_assess_sheet *s) {
    bool all = ow_assess_reads_all(cx);
    json_t *units = json_array();
    double sum = 0;
    for (int i = 0; i < s->nunits; i++) {
        const ow_assess_unit *u = &s->units[i];
        sum += u->total;
        json_t *o =
            json_pack("{s:I,s:s,s:i,s:f,s:f,s:f}", "org_id", (json_int_t)u->org_id, "name", u->name,
                      "rank", u->rank, "total", u->total, "base", u->base, "bonus", u->bonus);
        if (all || u->org_id == cx->actor.org_id) {
            json_t *sc = json_array(), *vals = json_array();
            for (int k = 0; k < s->scheme->n; k++) {
                json_array_append_new(sc, json_real(u->score[k]));
                json_array_append_new(vals, figure_value(&s->scheme->ind[k], &u->fig[k]));
            }
            json_object_set_new(o, "scores", sc);
            json_object_set_new(o, "values", vals);
        }
        json_array_append_new(units, o);
    }
    return json_pack(
        "{s:o,s:{s:I,s:s,s:i,s:s,s:s},s:o,s:i,s:b,s:o,s:s,s:s,s:o,s:o,s:f,s:b}", "id",
        s->id ? json_integer(s->id) : json_null(), "scheme", "id", (json_int_t)s->scheme->id,
        "name", s->scheme->name, "year", s->scheme->year, "unit_kind", s->scheme->unit_kind,
        "unit_kind_name", ow_assess_kind_name(s->scheme->unit_kind), "period",
        period_json(cx, &s->period), "version", s->version, "is_current", s->is_current,
        "published_at", ow_assess_time_json(s->published_at), "published_by",
        s->published_by ? s->published_by : "", "note", s->note ? s->note : "", "indicators",
        indicators_json(s->scheme), "units", units, "average",
        s->nunits ? round2(sum / s->nunits) : 0.0, "published", s->id != 0);
}

int ow_assess_check_unit_access(ow_ctx *cx, int64_t org_id) {
    if (ow_assess_reads_all(cx)) return OW_OK;
    int rc = ow_assess_actor_unit(cx, NULL);
    if (rc) return rc;
    if (cx->actor.org_id != org_id)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "org_id", "只能查看本单位的考核情况");
    return OW_OK;
}

int ow_assess_unit_json(ow_ctx *cx, const ow_assess_sheet *s, int64_t org_id, json_t **out) {
    int rc = ow_assess_check_unit_access(cx, org_id);
    if (rc) return rc;
    const ow_assess_unit *u = NULL;
    for (int i = 0; i < s->nunits; i++)
        if (s->units[i].org_id == org_id) u = &s->units[i];
    if (!u) return ow_err_set(&cx->err, OW_ENOTFOUND, "org_id", "该单位不在本期考核范围内");
    json_t *ind = json_array();
    for (int k = 0; k < s->scheme->n; k++) {
        const ow_assess_indicator *d = &s->scheme->ind[k];
        const ow_assess_metric *m = ow_assess_metric_find(d->metric);
        json_t *o = json_pack(
            "{s:I,s:s,s:s,s:s,s:s,s:f,s:b,s:b,s:o,s:I,s:I,s:f,s:f,s:s,s:s}", "id",
            (json_int_t)d->id, "name", d->name, "metric", d->metric, "metric_name",
            m ? m->name : "人工加减分", "type", m ? (m->rate ? "rate" : "count") : "manual",
            "weight", d->weight, "bonus", d->bonus, "has_data", u->fig[k].has_data, "value",
            figure_value(d, &u->fig[k]), "num", (json_int_t)u->fig[k].num, "den",
            (json_int_t)u->fig[k].den, "score", u->score[k], "lost",
            d->bonus ? 0.0 : round2(d->weight - u->score[k]), "note", u->note[k] ? u->note[k] : "",
            "records", m ? m->records : "加减分记录");
        if (s->id) {
            int64_t n = 0;
            if ((rc = ow_assess_store_record_count(cx->db, s->id, org_id, d->id, &n, &cx->err))) {
                json_decref(o);
                json_decref(ind);
                return rc;
            }
            json_object_set_new(o, "record_count", json_integer(n));
        }
        json_array_append_new(ind, o);
    }
    json_t *objection = json_null();
    bool may_object = false;
    json_t *deadline = json_null();
    if (s->id) {
        int64_t oid = 0;
        if ((rc = ow_assess_store_objection_find(cx->db, s->scheme->id, s->period.code, org_id,
                                                 &oid, &cx->err))) {
            json_decref(ind);
            return rc;
        }
        if (oid && (rc = ow_assess_objection_json(cx, oid, &objection))) {
            json_decref(ind);
            return rc;
        }
        int32_t due;
        if (!ow_assess_objection_due(cx, s->published_at, &due)) {
            deadline = ow_assess_date_json(due);
            may_object = !oid && s->is_current && cx->actor.org_id == org_id &&
                         !ow_assess_reads_all(cx) && ow_assess_today(cx) <= due;
        } else {
            ow_err_clear(&cx->err);
        }
    }
    *out = json_pack("{s:o,s:{s:I,s:s,s:i,s:s},s:o,s:i,s:b,s:I,s:s,s:i,s:i,s:f,s:f,s:f,s:o,s:o,"
                     "s:b,s:o}",
                     "sheet_id", s->id ? json_integer(s->id) : json_null(), "scheme", "id",
                     (json_int_t)s->scheme->id, "name", s->scheme->name, "year", s->scheme->year,
                     "unit_kind", s->scheme->unit_kind, "period", period_json(cx, &s->period),
                     "version", s->version, "is_current", s->is_current, "org_id",
                     (json_int_t)u->org_id, "name", u->name, "rank", u->rank, "of", s->nunits,
                     "total", u->total, "base", u->base, "bonus", u->bonus, "indicators", ind,
                     "objection", objection, "may_object", may_object, "objection_due", deadline);
    return OW_OK;
}

int ow_assess_records_json(ow_ctx *cx, const ow_assess_sheet *s, int64_t org_id,
                           int64_t indicator_id, int page, int per_page, json_t **items,
                           int64_t *total) {
    int rc = ow_assess_check_unit_access(cx, org_id);
    if (rc) return rc;
    int k = indicator_index(s->scheme, indicator_id);
    if (k < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "indicator_id", "考核指标不存在");
    bool in = false;
    for (int i = 0; i < s->nunits; i++)
        in = in || s->units[i].org_id == org_id;
    if (!in) return ow_err_set(&cx->err, OW_ENOTFOUND, "org_id", "该单位不在本期考核范围内");
    const ow_assess_indicator *d = &s->scheme->ind[k];
    if (s->id) {
        json_t *a = json_array();
        if ((rc = ow_assess_store_record_count(cx->db, s->id, org_id, indicator_id, total,
                                               &cx->err)) ||
            (rc = ow_assess_store_records_page(cx->db, s->id, org_id, indicator_id, per_page,
                                               (int64_t)(page - 1) * per_page,
                                               ow_assess_record_json_row, a, &cx->err))) {
            json_decref(a);
            return rc;
        }
        *items = a;
        return OW_OK;
    }
    ow_assess_span span;
    ow_assess_span_init(&span, s->period.from, s->period.end);
    rec_arg ra = {.cx = cx,
                  .metric = d->metric,
                  .end = s->period.end,
                  .items = json_array(),
                  .skip = (int64_t)(page - 1) * per_page,
                  .take = per_page};
    if (!strcmp(d->metric, "manual")) {
        adj_rec_arg aa = {&ra, page_record};
        ow_assess_adjustment_filter f = {.scheme_id = s->scheme->id,
                                         .indicator_id = d->id,
                                         .org_id = org_id,
                                         .from = span.from_s,
                                         .to = span.end_s,
                                         .active_only = true};
        rc = ow_assess_store_adjustments(cx->db, &f, cx->arena, adjustment_record, &aa, &cx->err);
    } else {
        rc = ow_assess_store_records(cx->db, d->metric, s->scheme->unit_kind, org_id, &span,
                                     page_record, &ra, &cx->err);
    }
    if (rc) {
        json_decref(ra.items);
        return rc;
    }
    *items = ra.items;
    *total = ra.total;
    return OW_OK;
}

int ow_assess_record_json_row(void *arg, const ow_assess_record_row *r) {
    json_array_append_new(
        arg, json_pack("{s:s,s:o,s:s,s:s,s:o,s:o,s:s}", "ref_type", r->ref_type, "ref_id",
                       r->ref_id ? json_integer(r->ref_id) : json_null(), "ref_no", r->ref_no,
                       "title", r->title, "date",
                       *r->event_date ? json_string(r->event_date) : json_null(), "due",
                       *r->due_date ? json_string(r->due_date) : json_null(), "detail", r->detail));
    return OW_OK;
}

/* ---- lists, trend, export ---- */

typedef struct sheets_arg {
    ow_ctx *cx;
    json_t *a;
    const char *kind; /* the unit's kind, or NULL for the center */
    int64_t org_id;
} sheets_arg;

static int list_sheet(void *arg, const ow_assess_sheet_row *r) {
    sheets_arg *l = arg;
    if (l->kind && strcmp(l->kind, r->unit_kind)) return OW_OK;
    json_array_append_new(
        l->a, json_pack("{s:I,s:I,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:b,s:o,s:s,s:s}", "id",
                        (json_int_t)r->id, "scheme_id", (json_int_t)r->scheme_id, "scheme_name",
                        r->scheme_name, "year", r->year, "unit_kind", r->unit_kind, "period",
                        r->period, "period_name", ow_assess_period_name(l->cx, r->period),
                        "period_kind", r->period_kind, "from", r->from_date, "to", r->to_date,
                        "cutoff", r->cutoff, "version", r->version, "is_current", r->is_current,
                        "published_at", ow_assess_time_json(r->published_at), "published_by",
                        r->published_by, "note", r->note));
    return OW_OK;
}

typedef struct own_arg {
    json_t *o;
} own_arg;

static int own_score(void *arg, const ow_assess_score_row *r) {
    json_t *o = arg;
    json_object_set_new(o, "rank", json_integer(r->rank));
    json_object_set_new(o, "total", json_real(r->total));
    return OW_OK;
}

int ow_assess_sheet_list_json(ow_ctx *cx, int year, int64_t scheme_id, bool all_versions,
                              json_t **out) {
    sheets_arg l = {cx, json_array(), NULL, 0};
    int rc;
    if (!ow_assess_reads_all(cx)) {
        if ((rc = ow_assess_actor_unit(cx, &l.kind))) {
            json_decref(l.a);
            return rc;
        }
        l.org_id = cx->actor.org_id;
    }
    if ((rc = ow_assess_store_sheet_each(cx->db, scheme_id, year, !all_versions, cx->arena,
                                         list_sheet, &l, &cx->err))) {
        json_decref(l.a);
        return rc;
    }
    /* a unit's list shows its own rank and total on each sheet */
    for (size_t i = 0; l.org_id && i < json_array_size(l.a); i++) {
        json_t *o = json_array_get(l.a, i);
        if ((rc = ow_assess_store_scores(cx->db, json_integer_value(json_object_get(o, "id")),
                                         l.org_id, cx->arena, own_score, o, &cx->err))) {
            json_decref(l.a);
            return rc;
        }
    }
    *out = l.a;
    return OW_OK;
}

typedef struct trend_arg {
    ow_ctx *cx;
    const char *kind;
    int64_t ids[64];
    const char *periods[64];
    int n;
} trend_arg;

static int trend_sheet(void *arg, const ow_assess_sheet_row *r) {
    trend_arg *t = arg;
    if (strcmp(r->period_kind, t->kind) || t->n >= 64) return OW_OK;
    t->ids[t->n] = r->id;
    t->periods[t->n] = r->period;
    t->n++;
    return OW_OK;
}

typedef struct trend_scores {
    json_t *series; /* object org_id -> {name, totals[], ranks[]} */
    int col;
} trend_scores;

static int trend_score(void *arg, const ow_assess_score_row *r) {
    trend_scores *t = arg;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)r->org_id);
    json_t *s = json_object_get(t->series, key);
    if (!s) {
        s = json_pack("{s:I,s:s,s:[],s:[]}", "org_id", (json_int_t)r->org_id, "name", r->org_name,
                      "totals", "ranks");
        json_object_set_new(t->series, key, s);
    }
    json_t *tot = json_object_get(s, "totals"), *rk = json_object_get(s, "ranks");
    while ((int)json_array_size(tot) < t->col)
        json_array_append_new(tot, json_null()), json_array_append_new(rk, json_null());
    json_array_append_new(tot, json_real(r->total));
    json_array_append_new(rk, json_integer(r->rank));
    return OW_OK;
}

int ow_assess_trend_json(ow_ctx *cx, int64_t scheme_id, const char *period_kind, int64_t org_id,
                         json_t **out) {
    if (strcmp(period_kind, "month") && strcmp(period_kind, "quarter") &&
        strcmp(period_kind, "year"))
        return ow_err_set(&cx->err, OW_EINVAL, "period_kind",
                          "考核期类型应为 month、quarter 或 year");
    ow_assess_scheme *sc = ow_alloc(cx->arena, sizeof *sc);
    int rc = ow_assess_scheme_load(cx, scheme_id, sc);
    if (rc || (rc = scheme_access(cx, sc))) return rc;
    if (!ow_assess_reads_all(cx)) org_id = cx->actor.org_id;
    trend_arg t = {.cx = cx, .kind = period_kind};
    if ((rc = ow_assess_store_sheet_each(cx->db, scheme_id, 0, true, cx->arena, trend_sheet, &t,
                                         &cx->err)))
        return rc;
    /* the store lists newest first: reverse into time order */
    json_t *periods = json_array();
    trend_scores ts = {json_object(), 0};
    for (int i = t.n - 1; i >= 0; i--) {
        json_array_append_new(periods, json_pack("{s:I,s:s,s:s}", "sheet_id", (json_int_t)t.ids[i],
                                                 "period", t.periods[i], "name",
                                                 ow_assess_period_name(cx, t.periods[i])));
        if ((rc = ow_assess_store_scores(cx->db, t.ids[i], org_id, cx->arena, trend_score, &ts,
                                         &cx->err))) {
            json_decref(periods);
            json_decref(ts.series);
            return rc;
        }
        ts.col++;
    }
    json_t *series = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(ts.series, key, v) {
        json_t *tot = json_object_get(v, "totals"), *rk = json_object_get(v, "ranks");
        while ((int)json_array_size(tot) < ts.col)
            json_array_append_new(tot, json_null()), json_array_append_new(rk, json_null());
        json_array_append(series, v);
    }
    json_decref(ts.series);
    *out = json_pack("{s:I,s:s,s:o,s:o}", "scheme_id", (json_int_t)scheme_id, "period_kind",
                     period_kind, "periods", periods, "series", series);
    return OW_OK;
}

json_t *ow_assess_sheet_table(const ow_assess_sheet *s) {
    json_t *cols = json_pack("[{s:s,s:s},{s:s,s:s}]", "key", "rank", "title", "排名", "key", "unit",
                             "title", "单位");
    for (int k = 0; k < s->scheme->n; k++) {
        char key[16], title[128];
        snprintf(key, sizeof key, "i%d", k);
        snprintf(title, sizeof title, "%s（%g分%s）", s->scheme->ind[k].name,
                 s->scheme->ind[k].weight, s->scheme->ind[k].bonus ? "，加分项" : "");
        json_array_append_new(cols, json_pack("{s:s,s:s}", "key", key, "title", title));
    }
    json_array_append_new(cols, json_pack("{s:s,s:s}", "key", "base", "title", "基础得分"));
    json_array_append_new(cols, json_pack("{s:s,s:s}", "key", "bonus", "title", "加分"));
    json_array_append_new(cols, json_pack("{s:s,s:s}", "key", "total", "title", "总分"));
    json_t *rows = json_array();
    for (int i = 0; i < s->nunits; i++) {
        const ow_assess_unit *u = &s->units[i];
        json_t *r = json_pack("{s:i,s:s,s:f,s:f,s:f}", "rank", u->rank, "unit", u->name, "base",
                              u->base, "bonus", u->bonus, "total", u->total);
        for (int k = 0; k < s->scheme->n; k++) {
            char key[16];
            snprintf(key, sizeof key, "i%d", k);
            json_object_set_new(r, key, json_real(u->score[k]));
        }
        json_array_append_new(rows, r);
    }
    return json_pack("{s:s,s:o,s:o}", "title", s->scheme->name, "columns", cols, "rows", rows);
}
