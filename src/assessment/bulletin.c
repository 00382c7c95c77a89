/* bulletin.c — the bulletins the center sends to the units (docs/assessment.md
 * "Bulletins"):
 *   monthly     作风建设点评简报: the month's district figures, the published rankings of
 *               the month with the units praised (the best praise_top of each kind) and
 *               those to improve (the last improve_bottom, each with the indicator it lost
 *               most on), the 红旗窗口 of the month and the work plan's overdue tasks; sent
 *               to every department, township centre and window
 *   assessment  考核结果通报 of a published sheet: the ranking; sent to its units
 *   progress    工作要点推进情况通报 of a plan as of a day: every task's state, the overdue
 *               ones named; sent to the units that lead or share a task
 * Composing reads the data; issuing freezes what was composed (JSON) with a document
 * number, and the page, the PDF and the XLSX all render that, so an issued bulletin reads
 * the same forever.  Recipients open it in their workbench; the center sees who read it.
 *
 * The 红旗窗口 rule (set by the center, assess_bulletin_rule): a window with at least
 * min_ratings ratings and at most max_complaints complaints in the month scores
 *   w_satisfaction × satisfaction rate + w_speed × min(1, target_minutes / average service
 *   minutes) − complaint_penalty × complaints
 * and the highest score wins (more ratings, then list order, break a tie).  The speed term
 * uses the length of the window's services (service_sessions); waiting times need queue
 * tickets, which the platform does not have yet. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "assessment/assessment.h"
#include "assessment/assessment_int.h"
#include "core/json.h"
#include "core/workdays.h"
#include "docs/docs.h"
#include "store/assessment_metrics_store.h"
#include "store/assessment_store.h"

/* ---- the rule ---- */

static json_t *rule_json(const ow_assess_bulletin_rule *r) {
    return json_pack("{s:i,s:i,s:i,s:i,s:f,s:f,s:i,s:f,s:o,s:s}", "praise_top", r->praise_top,
                     "improve_bottom", r->improve_bottom, "min_ratings", r->min_ratings,
                     "max_complaints", r->max_complaints, "w_satisfaction", r->w_satisfaction,
                     "w_speed", r->w_speed, "target_minutes", r->target_minutes,
                     "complaint_penalty", r->complaint_penalty, "updated_at",
                     ow_assess_time_json(r->updated_at), "updated_by", r->updated_by);
}

int ow_bulletin_rule_json(ow_ctx *cx, json_t **out) {
    if (!ow_assess_reads_all(cx)) return ow_assess_forbidden(cx, "查看简报规则");
    ow_assess_bulletin_rule r;
    int rc = ow_assess_store_rule_get(cx->db, cx->arena, &r, &cx->err);
    if (rc) return rc;
    *out = rule_json(&r);
    return OW_OK;
}

static int int_field(ow_ctx *cx, const json_t *in, const char *k, int lo, int hi, int *v) {
    int64_t x;
    int rc = ow_json_int(in, k, false, lo, hi, &x, &cx->err);
    if (!rc && json_object_get(in, k)) *v = (int)x;
    return rc;
}

static int num_field(ow_ctx *cx, const json_t *in, const char *k, double lo, double hi, double *v) {
    json_t *j = json_object_get(in, k);
    if (!j || json_is_null(j)) return OW_OK;
    if (!json_is_number(j) || json_number_value(j) < lo || json_number_value(j) > hi)
        return ow_err_set(&cx->err, OW_EINVAL, k, "%s 应为 %g 到 %g 之间的数", ow_json_label(k), lo,
                          hi);
    *v = json_number_value(j);
    return OW_OK;
}

int ow_bulletin_rule_put(ow_ctx *cx, const json_t *in) {
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "设置简报规则");
    ow_assess_bulletin_rule r;
    int rc = ow_assess_store_rule_get(cx->db, cx->arena, &r, &cx->err);
    if (rc || (rc = int_field(cx, in, "praise_top", 0, 10, &r.praise_top)) ||
        (rc = int_field(cx, in, "improve_bottom", 0, 10, &r.improve_bottom)) ||
        (rc = int_field(cx, in, "min_ratings", 0, 10000, &r.min_ratings)) ||
        (rc = int_field(cx, in, "max_complaints", 0, 100, &r.max_complaints)) ||
        (rc = int_field(cx, in, "target_minutes", 1, 480, &r.target_minutes)) ||
        (rc = num_field(cx, in, "w_satisfaction", 0, 100, &r.w_satisfaction)) ||
        (rc = num_field(cx, in, "w_speed", 0, 100, &r.w_speed)) ||
        (rc = num_field(cx, in, "complaint_penalty", 0, 100, &r.complaint_penalty)))
        return rc;
    if (r.w_satisfaction + r.w_speed <= 0)
        return ow_err_set(&cx->err, OW_EINVAL, "w_satisfaction",
                          "满意度和服务效率的分值不能都为 0");
    r.updated_at = ow_clock_now_ms(cx->clock);
    r.updated_by = cx->actor.name;
    if ((rc = ow_assess_store_rule_put(cx->db, &r, &cx->err))) return rc;
    return ow_assess_audit(cx, "bulletin.rule_update", "assess_bulletin_rule", 1, rule_json(&r));
}

/* ---- the 红旗窗口 ---- */

typedef struct win {
    int64_t id;
    const char *name;
    int64_t ratings, satisfied, services, complaints;
    double minutes, satisfaction, score;
    bool eligible;
    int order;
} win;

typedef struct wins {
    ow_ctx *cx;
    const ow_assess_bulletin_rule *rule;
    win *w;
    int n;
} wins;

static int take_window(void *arg, const ow_assess_window *w) {
    wins *ws = arg;
    if (ws->n >= OW_ASSESS_MAX_UNITS) return OW_OK;
    const ow_assess_bulletin_rule *r = ws->rule;
    win *x = &ws->w[ws->n];
    x->id = w->id;
    x->name = ow_strdup(ws->cx->arena, w->name);
    x->ratings = w->ratings;
    x->satisfied = w->satisfied;
    x->services = w->services;
    x->complaints = w->complaints;
    x->order = ws->n++;
    x->satisfaction = w->ratings ? (double)w->satisfied / (double)w->ratings : 0;
    x->minutes = w->services ? (double)w->service_ms / (double)w->services / 60000.0 : 0;
    double speed =
        w->services ? (x->minutes <= r->target_minutes ? 1 : r->target_minutes / x->minutes) : 0;
    x->score = round((r->w_satisfaction * x->satisfaction + r->w_speed * speed -
                      r->complaint_penalty * (double)w->complaints) *
                     100) /
               100;
    x->eligible = w->ratings >= r->min_ratings && w->complaints <= r->max_complaints;
    return OW_OK;
}

static int win_cmp(const void *a, const void *b) {
    const win *x = a, *y = b;
    if (x->eligible != y->eligible) return x->eligible ? -1 : 1;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->ratings != y->ratings) return x->ratings > y->ratings ? -1 : 1;
    return x->order - y->order;
}

static int parse_month(ow_ctx *cx, const char *month, int32_t *from, int32_t *to) {
    ow_assess_period p;
    if (!month || strlen(month) != 7)
        return ow_err_set(&cx->err, OW_EINVAL, "month", "月份应为 YYYY-MM 格式");
    int rc = ow_assess_period_parse(month, NULL, ow_assess_today(cx), &p, &cx->err);
    if (rc) {
        snprintf(cx->err.field, sizeof cx->err.field, "month");
        return rc;
    }
    *from = p.from;
    *to = p.end;
    return OW_OK;
}

static int red_flag(ow_ctx *cx, const char *month, const ow_assess_bulletin_rule *rule,
                    json_t **out) {
    int32_t from = 0, to = 0;
    int rc = parse_month(cx, month, &from, &to);
    if (rc) return rc;
    ow_assess_span span;
    ow_assess_span_init(&span, from, to);
    wins ws = {cx, rule, ow_alloc(cx->arena, OW_ASSESS_MAX_UNITS * sizeof(win)), 0};
    if ((rc = ow_assess_store_windows(cx->db, &span, take_window, &ws, &cx->err))) return rc;
    qsort(ws.w, (size_t)ws.n, sizeof *ws.w, win_cmp);
    json_t *a = json_array();
    for (int i = 0; i < ws.n; i++) {
        win *x = &ws.w[i];
        json_array_append_new(
            a,
            json_pack("{s:I,s:s,s:I,s:f,s:I,s:f,s:I,s:f,s:b}", "org_id", (json_int_t)x->id, "name",
                      x->name, "ratings", (json_int_t)x->ratings, "satisfaction",
                      round(x->satisfaction * 10000) / 10000, "services", (json_int_t)x->services,
                      "average_minutes", round(x->minutes * 10) / 10, "complaints",
                      (json_int_t)x->complaints, "score", x->score, "eligible", x->eligible));
    }
    json_t *winner = ws.n && ws.w[0].eligible ? json_incref(json_array_get(a, 0)) : json_null();
    *out = json_pack("{s:s,s:o,s:o,s:o}", "month", month, "winner", winner, "windows", a, "rule",
                     rule_json(rule));
    return OW_OK;
}

int ow_bulletin_red_flag_json(ow_ctx *cx, const char *month, json_t **out) {
    if (!ow_assess_reads_all(cx)) return ow_assess_forbidden(cx, "评选红旗窗口");
    ow_assess_bulletin_rule rule;
    int rc = ow_assess_store_rule_get(cx->db, cx->arena, &rule, &cx->err);
    if (rc) return rc;
    return red_flag(cx, month, &rule, out);
}

/* ---- composing ---- */

typedef struct compose {
    ow_ctx *cx;
    const char *kind, *period, *title, *prefix;
    int year;
    int64_t ref_id;
    json_t *paragraphs, *tables;
    int64_t recipients[512];
    int nrecipients;
} compose;

static void para(compose *c, const char *s) {
    json_array_append_new(c->paragraphs, json_string(s));
}

static void recipient(compose *c, int64_t org) {
    for (int i = 0; i < c->nrecipients; i++)
        if (c->recipients[i] == org) return;
    if (c->nrecipients < 512) c->recipients[c->nrecipients++] = org;
}

static int add_recipient(void *arg, int64_t id, const char *code, const char *name) {
    (void)code;
    (void)name;
    recipient(arg, id);
    return OW_OK;
}

static json_t *table(const char *caption, json_t *columns, json_t *rows) {
    return json_pack("{s:s,s:o,s:o}", "caption", caption, "columns", columns, "rows", rows);
}

/* "A、B、C" of the first n names of a JSON array of strings. */
static const char *names(ow_ctx *cx, json_t *a) {
    char buf[2048] = "";
    size_t off = 0;
    for (size_t i = 0; i < json_array_size(a) && off < sizeof buf - 200; i++)
        off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s", i ? "、" : "",
                                json_string_value(json_array_get(a, i)));
    return ow_strdup(cx->arena, buf);
}

/* The indicator a unit lost most points on. */
static const char *weakest(const ow_assess_sheet *s, const ow_assess_unit *u) {
    int best = -1;
    double lost = 0.005;
    for (int k = 0; k < s->scheme->n; k++) {
        if (s->scheme->ind[k].bonus) continue;
        double l = s->scheme->ind[k].weight - u->score[k];
        if (l > lost) {
            lost = l;
            best = k;
        }
    }
    return best < 0 ? "—" : s->scheme->ind[best].name;
}

/* Praise and improve lists and a ranking table of one sheet. */
static void sheet_section(compose *c, const ow_assess_sheet *s, const ow_assess_bulletin_rule *r,
                          json_t *praise, json_t *improve) {
    ow_ctx *cx = c->cx;
    json_t *rows = json_array();
    for (int i = 0; i < s->nunits; i++) {
        const ow_assess_unit *u = &s->units[i];
        const char *mark = "";
        if (u->rank <= r->praise_top) {
            mark = "表扬";
            json_array_append_new(praise, json_string(u->name));
        } else if (i >= s->nunits - r->improve_bottom) {
            mark = "需改进";
            json_array_append_new(
                improve, json_string(ow_sprintf(cx->arena, "%s（%s）", u->name, weakest(s, u))));
        }
        json_array_append_new(rows, json_pack("[i,s,s,s,s]", u->rank, u->name,
                                              ow_sprintf(cx->arena, "%.2f", u->total),
                                              weakest(s, u), mark));
    }
    json_array_append_new(
        c->tables,
        table(ow_sprintf(cx->arena, "%s%s考核排名", ow_assess_kind_name(s->scheme->unit_kind),
                         ow_assess_period_name(cx, s->period.code)),
              json_pack("[s,s,s,s,s]", "排名", "单位", "得分", "失分最多的指标", "点评"), rows));
}

typedef struct month_sheets {
    ow_ctx *cx;
    const char *month;
    int64_t ids[8];
    int n;
} month_sheets;

static int take_month_sheet(void *arg, const ow_assess_sheet_row *r) {
    month_sheets *m = arg;
    if (!strcmp(r->period, m->month) && m->n < 8) m->ids[m->n++] = r->id;
    return OW_OK;
}

typedef struct sum_arg {
    int64_t num, den;
} sum_arg;

static void sum_figure(void *arg, int64_t org, int64_t num, int64_t den) {
    (void)org;
    sum_arg *s = arg;
    s->num += num;
    s->den += den;
}

static int district_figure(ow_ctx *cx, const char *metric, const ow_assess_span *span, sum_arg *s) {
    memset(s, 0, sizeof *s);
    return ow_assess_store_figures(cx->db, metric, "department", span, sum_figure, s, &cx->err);
}

static const char *pct(ow_ctx *cx, const sum_arg *s) {
    return s->den ? ow_sprintf(cx->arena, "%.2f%%", 100.0 * (double)s->num / (double)s->den) : "—";
}

static int compose_monthly(compose *c, const char *month) {
    ow_ctx *cx = c->cx;
    int32_t from = 0, to = 0;
    int rc = parse_month(cx, month, &from, &to);
    if (rc) return rc;
    int y, m, d;
    ow_date_ymd(from, &y, &m, &d);
    c->year = y;
    c->period = month;
    c->prefix = "赫政务简";
    c->title = ow_sprintf(cx->arena, "%d年%d月作风建设点评简报", y, m);
    ow_assess_bulletin_rule rule;
    if ((rc = ow_assess_store_rule_get(cx->db, cx->arena, &rule, &cx->err))) return rc;
    ow_assess_span span;
    ow_assess_span_init(&span, from, to);
    sum_arg on_time, ratings, complaints, overdue;
    if ((rc = district_figure(cx, "on_time_rate", &span, &on_time)) ||
        (rc = district_figure(cx, "rating_satisfaction", &span, &ratings)) ||
        (rc = district_figure(cx, "complaints_on_time", &span, &complaints)) ||
        (rc = district_figure(cx, "overdue_cases", &span, &overdue)))
        return rc;
    char end[11];
    ow_date_format(to, end);
    para(c, ow_sprintf(cx->arena,
                       "一、总体情况。%d年%d月，全区区直部门办结办件%lld件，按时办结率%s；截至%s，"
                       "超期未办结办件%lld件。收到好差评%lld条，满意率%s。应答复投诉建议%lld件，"
                       "按时答复率%s。",
                       y, m, (long long)on_time.den, pct(cx, &on_time), end, (long long)overdue.num,
                       (long long)ratings.den, pct(cx, &ratings), (long long)complaints.den,
                       pct(cx, &complaints)));
    /* the month's published rankings */
    month_sheets ms = {cx, month, {0}, 0};
    if ((rc = ow_assess_store_sheet_each(cx->db, 0, y, true, cx->arena, take_month_sheet, &ms,
                                         &cx->err)))
        return rc;
    json_t *praise = json_array(), *improve = json_array();
    for (int i = 0; i < ms.n; i++) {
        ow_assess_sheet *s;
        if ((rc = ow_assess_sheet_load(cx, ms.ids[i], &s))) {
            json_decref(praise);
            json_decref(improve);
            return rc;
        }
        sheet_section(c, s, &rule, praise, improve);
    }
    if (!ms.n)
        para(c, "二、考核排名。本月考核结果尚未发布，排名见后续考核结果通报。");
    else
        para(c, ow_sprintf(cx->arena, "二、表扬。本月考核排名靠前的单位：%s，予以通报表扬。",
                           json_array_size(praise) ? names(cx, praise) : "无"));
    /* the 红旗窗口 */
    json_t *rf;
    if ((rc = red_flag(cx, month, &rule, &rf))) {
        json_decref(praise);
        json_decref(improve);
        return rc;
    }
    json_t *winner = json_object_get(rf, "winner");
    if (json_is_object(winner)) {
        int64_t nc = json_integer_value(json_object_get(winner, "complaints"));
        para(c, ow_sprintf(cx->arena,
                           "三、红旗窗口。经综合评价（满意率、服务效率、投诉情况），%s被评为本月"
                           "“红旗窗口”：本月收到评价%lld条，满意率%.2f%%，办结窗口服务%lld次，"
                           "平均办理时长%.1f分钟，%s。",
                           json_string_value(json_object_get(winner, "name")),
                           (long long)json_integer_value(json_object_get(winner, "ratings")),
                           json_number_value(json_object_get(winner, "satisfaction")) * 100,
                           (long long)json_integer_value(json_object_get(winner, "services")),
                           json_number_value(json_object_get(winner, "average_minutes")),
                           nc ? ow_sprintf(cx->arena, "收到投诉%lld件", (long long)nc) : "无投诉"));
    } else
        para(c, "三、红旗窗口。本月没有窗口达到“红旗窗口”评选条件（评价数量、投诉情况）。");
    json_t *rrows = json_array(), *wl = json_object_get(rf, "windows");
    for (size_t i = 0; i < json_array_size(wl) && i < 10; i++) {
        json_t *w = json_array_get(wl, i);
        json_array_append_new(
            rrows,
            json_pack(
                "[s,I,s,s,I,s]", json_string_value(json_object_get(w, "name")),
                json_integer_value(json_object_get(w, "ratings")),
                ow_sprintf(cx->arena, "%.2f%%",
                           json_number_value(json_object_get(w, "satisfaction")) * 100),
                ow_sprintf(cx->arena, "%.1f",
                           json_number_value(json_object_get(w, "average_minutes"))),
                json_integer_value(json_object_get(w, "complaints")),
                ow_sprintf(cx->arena, "%.2f%s", json_number_value(json_object_get(w, "score")),
                           json_is_true(json_object_get(w, "eligible")) ? "" : "（不参评）")));
    }
    json_array_append_new(c->tables, table("红旗窗口评选",
                                           json_pack("[s,s,s,s,s,s]", "窗口", "评价数", "满意率",
                                                     "平均办理时长（分钟）", "投诉", "综合得分"),
                                           rrows));
    para(c, ow_sprintf(cx->arena, "四、需改进。%s",
                       json_array_size(improve)
                           ? ow_sprintf(cx->arena, "%s 本月考核排名靠后，请对照失分指标认真整改。",
                                        names(cx, improve))
                           : "本月无排名靠后需通报的单位。"));
    json_decref(praise);
    json_decref(improve);
    json_decref(rf);
    c->ref_id = 0;
    /* every department, township centre and window */
    static const char *const kinds[] = {"department", "township", "window"};
    for (size_t i = 0; i < 3; i++)
        if ((rc = ow_assess_store_units(cx->db, kinds[i], cx->arena, add_recipient, c, &cx->err)))
            return rc;
    para(c, "请各单位对照本简报查找差距，落实整改，持续改进政务服务作风。");
    return OW_OK;
}

static int compose_assessment(compose *c, int64_t sheet_id) {
    ow_ctx *cx = c->cx;
    ow_assess_sheet *s;
    int rc = ow_assess_sheet_load(cx, sheet_id, &s);
    if (rc) {
        if (rc == OW_ENOTFOUND) snprintf(cx->err.field, sizeof cx->err.field, "sheet_id");
        return rc;
    }
    if (!s->is_current)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "superseded", "sheet_id",
                           "该考核结果已有更正版本，请通报最新版本");
    ow_assess_bulletin_rule rule;
    if ((rc = ow_assess_store_rule_get(cx->db, cx->arena, &rule, &cx->err))) return rc;
    c->year = s->period.year;
    c->period = s->period.code;
    c->ref_id = s->id;
    c->prefix = "赫政务考";
    const char *pname = ow_assess_period_name(cx, s->period.code);
    c->title = ow_sprintf(cx->arena, "关于%s%s考核结果的通报", pname,
                          ow_assess_kind_name(s->scheme->unit_kind));
    double sum = 0;
    for (int i = 0; i < s->nunits; i++)
        sum += s->units[i].total;
    char cut[11];
    ow_date_format(s->period.cut, cut);
    para(c, ow_sprintf(cx->arena,
                       "根据《%s》，政务服务中心对%d个%s%s的工作进行了考核（数据截至%s）。"
                       "平均得分%.2f分，最高%.2f分，最低%.2f分。现将结果通报如下。",
                       s->scheme->name, s->nunits, ow_assess_kind_name(s->scheme->unit_kind), pname,
                       cut, s->nunits ? sum / s->nunits : 0.0, s->nunits ? s->units[0].total : 0.0,
                       s->nunits ? s->units[s->nunits - 1].total : 0.0));
    json_t *praise = json_array(), *improve = json_array();
    sheet_section(c, s, &rule, praise, improve);
    if (json_array_size(praise))
        para(c, ow_sprintf(cx->arena, "排名靠前的单位：%s，予以表扬。", names(cx, praise)));
    if (json_array_size(improve))
        para(c, ow_sprintf(cx->arena, "排名靠后的单位：%s，请对照失分指标制定整改措施。",
                           names(cx, improve)));
    para(c, ow_sprintf(cx->arena,
                       "各单位可在政务服务工作台“本单位考核”中查看各项指标的得分及明细，"
                       "对结果有异议的，请于发布之日起%d个工作日内提出申诉。",
                       OW_ASSESS_OBJECTION_WORKDAYS));
    json_decref(praise);
    json_decref(improve);
    for (int i = 0; i < s->nunits; i++)
        recipient(c, s->units[i].org_id);
    return OW_OK;
}

static int compose_progress(compose *c, int64_t plan_id, const char *date) {
    ow_ctx *cx = c->cx;
    json_t *plan;
    int rc = ow_plan_json(cx, plan_id, &plan);
    if (rc) {
        if (rc == OW_ENOTFOUND) snprintf(cx->err.field, sizeof cx->err.field, "plan_id");
        return rc;
    }
    if (strcmp(json_string_value(json_object_get(plan, "state")), "issued")) {
        json_decref(plan);
        return ow_err_setk(&cx->err, OW_ECONFLICT, "plan_draft", "plan_id", "工作要点尚未印发");
    }
    char today[11];
    ow_date_format(ow_assess_today(cx), today);
    int32_t asof;
    if (date && (ow_date_parse(date, &asof) || strcmp(date, today) > 0)) {
        json_decref(plan);
        return ow_err_set(&cx->err, OW_EINVAL, "date", "通报日期应为不晚于今天的 YYYY-MM-DD 日期");
    }
    const char *d = date ? date : today;
    c->year = (int)json_integer_value(json_object_get(plan, "year"));
    c->period = ow_strdup(cx->arena, d);
    c->ref_id = plan_id;
    c->prefix = "赫政务督";
    c->title = ow_sprintf(cx->arena, "关于%s推进情况的通报",
                          json_string_value(json_object_get(plan, "title")));
    json_t *tasks = json_object_get(plan, "task_list"), *rows = json_array(), *late = json_array();
    int done = 0, completed = 0, n = (int)json_array_size(tasks);
    for (int i = 0; i < n; i++) {
        json_t *t = json_array_get(tasks, i);
        const char *st = json_string_value(json_object_get(t, "state"));
        const char *dl = json_string_value(json_object_get(t, "deadline"));
        bool overdue = strcmp(st, "done") && strcmp(dl, d) < 0;
        if (!strcmp(st, "done")) done++;
        if (!strcmp(st, "completed")) completed++;
        const char *lead = json_string_value(json_object_get(json_object_get(t, "lead"), "name"));
        if (overdue)
            json_array_append_new(
                late,
                json_string(ow_sprintf(cx->arena, "%s（%s，%s 到期）",
                                       json_string_value(json_object_get(t, "title")), lead, dl)));
        json_array_append_new(
            rows,
            json_pack("[I,s,s,s,s,s]", json_integer_value(json_object_get(t, "seq")),
                      json_string_value(json_object_get(t, "title")), lead, dl,
                      ow_sprintf(cx->arena, "%lld%%",
                                 (long long)json_integer_value(json_object_get(t, "progress"))),
                      !strcmp(st, "done")        ? "已销号"
                      : !strcmp(st, "completed") ? "已报完成"
                      : overdue                  ? "逾期未完成"
                                                 : "推进中"));
        recipient(c, json_integer_value(json_object_get(json_object_get(t, "lead"), "id")));
        json_t *us = json_object_get(t, "units");
        for (size_t k = 0; k < json_array_size(us); k++)
            recipient(c, json_integer_value(json_object_get(json_array_get(us, k), "id")));
    }
    para(c, ow_sprintf(cx->arena,
                       "截至%s，《%s》分解的%d项工作任务中，已完成销号%d项，已报完成待销号%d项，"
                       "逾期未完成%d项。",
                       d, json_string_value(json_object_get(plan, "title")), n, done, completed,
                       (int)json_array_size(late)));
    if (json_array_size(late))
        para(c, ow_sprintf(cx->arena,
                           "逾期未完成的任务：%s。请牵头单位说明原因，限期完成，"
                           "逾期完成情况将计入年度考核。",
                           names(cx, late)));
    else
        para(c, "各项任务均在完成时限内推进，请各牵头单位和责任单位继续按时报送进展。");
    json_array_append_new(c->tables, table("工作任务推进情况",
                                           json_pack("[s,s,s,s,s,s]", "序号", "工作任务",
                                                     "牵头单位", "完成时限", "进度", "状态"),
                                           rows));
    json_decref(late);
    json_decref(plan);
    return OW_OK;
}

static int compose_any(ow_ctx *cx, const json_t *in, compose *c) {
    memset(c, 0, sizeof *c);
    c->cx = cx;
    if (!ow_assess_is_center(cx)) return ow_assess_forbidden(cx, "编发简报");
    const char *kind, *month = NULL, *date = NULL;
    int64_t sheet = 0, plan = 0;
    int rc;
    if ((rc = ow_json_str(in, "kind", true, 16, &kind, &cx->err)) ||
        (rc = ow_json_str(in, "month", false, 7, &month, &cx->err)) ||
        (rc = ow_json_str(in, "date", false, 10, &date, &cx->err)) ||
        (rc = ow_json_int(in, "sheet_id", false, 1, INT64_MAX, &sheet, &cx->err)) ||
        (rc = ow_json_int(in, "plan_id", false, 1, INT64_MAX, &plan, &cx->err)))
        return rc;
    c->kind = kind;
    c->paragraphs = json_array();
    c->tables = json_array();
    if (!strcmp(kind, "monthly")) {
        if (!month) return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "month", "请选择月份");
        return compose_monthly(c, month);
    }
    if (!strcmp(kind, "assessment")) {
        if (!sheet)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "sheet_id", "请选择考核结果");
        return compose_assessment(c, sheet);
    }
    if (!strcmp(kind, "progress")) {
        if (!plan)
            return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "plan_id", "请选择工作要点");
        return compose_progress(c, plan, date);
    }
    return ow_err_set(
        &cx->err, OW_EINVAL, "kind",
        "简报类型应为 monthly（作风建设点评）、assessment（考核通报）或 progress（推进通报）");
}

static json_t *content_of(compose *c) {
    json_t *o = json_pack("{s:s,s:s,s:s,s:O,s:O,s:i}", "kind", c->kind, "period", c->period,
                          "title", c->title, "paragraphs", c->paragraphs, "tables", c->tables,
                          "recipients", c->nrecipients);
    return o;
}

int ow_bulletin_compose(ow_ctx *cx, const json_t *in, json_t **content) {
    compose *c = ow_alloc(cx->arena, sizeof *c);
    int rc = compose_any(cx, in, c);
    if (!rc) *content = content_of(c);
    json_decref(c->paragraphs);
    json_decref(c->tables);
    return rc;
}

int ow_bulletin_issue(ow_ctx *cx, const json_t *in, int64_t *id) {
    compose *c = ow_alloc(cx->arena, sizeof *c);
    int rc = compose_any(cx, in, c);
    if (rc) goto out;
    if (!c->nrecipients) {
        rc = ow_err_setk(&cx->err, OW_ECONFLICT, "no_recipients", "", "没有可以发送的单位");
        goto out;
    }
    char number[64];
    if ((rc = ow_docs_next_number(cx, c->prefix, c->year, number, sizeof number))) goto out;
    json_t *content = content_of(c);
    char *text = ow_json_dump(content);
    json_decref(content);
    ow_assess_bulletin_row r = {.kind = c->kind,
                                .period = c->period,
                                .ref_id = c->ref_id,
                                .number = number,
                                .title = c->title,
                                .content = text,
                                .issued_at = ow_clock_now_ms(cx->clock),
                                .issued_by = cx->actor.name};
    rc = ow_assess_store_bulletin_insert(cx->db, &r, id, &cx->err);
    free(text);
    for (int i = 0; i < c->nrecipients && !rc; i++)
        rc = ow_assess_store_bulletin_recipient(cx->db, *id, c->recipients[i], &cx->err);
    if (!rc)
        rc = ow_assess_audit(cx, "bulletin.issue", "assess_bulletin", *id,
                             json_pack("{s:s,s:s,s:s,s:i}", "kind", c->kind, "period", c->period,
                                       "number", number, "recipients", c->nrecipients));
out:
    json_decref(c->paragraphs);
    json_decref(c->tables);
    return rc;
}

/* ---- reading ---- */

/* The org whose bulletins the actor reads: the center 0 (all); a department's, township
 * centre's or window's staff their office. */
static int reader_org(ow_ctx *cx, int64_t *org) {
    *org = 0;
    if (ow_assess_reads_all(cx)) return OW_OK;
    if (!cx->actor.org_id || strcmp(cx->actor.kind, "staff"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "简报发送给各单位的工作人员");
    const char *kind, *name;
    int rc = ow_assess_store_org(cx->db, cx->actor.org_id, cx->arena, &kind, &name, &cx->err);
    if (rc) return rc;
    if (strcmp(kind, "department") && strcmp(kind, "township") && strcmp(kind, "window"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "简报发送给区直部门、乡镇（街道）和窗口");
    *org = cx->actor.org_id;
    return OW_OK;
}

static json_t *bulletin_head(const ow_assess_bulletin_row *r, bool center) {
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:s}", "id", (json_int_t)r->id, "kind", r->kind,
                          "period", r->period, "number", r->number, "title", r->title, "issued_at",
                          ow_assess_time_json(r->issued_at), "issued_by", r->issued_by);
    if (center) {
        json_object_set_new(o, "recipients", json_integer(r->recipients));
        json_object_set_new(o, "read", json_integer(r->read));
    } else {
        json_object_set_new(o, "read_at", ow_assess_time_json(r->read_at));
    }
    return o;
}

static int recipient_json(void *arg, int64_t org, const char *name, int64_t read_at,
                          const char *read_by) {
    json_array_append_new(arg,
                          json_pack("{s:I,s:s,s:o,s:s}", "org_id", (json_int_t)org, "name", name,
                                    "read_at", ow_assess_time_json(read_at), "read_by", read_by));
    return OW_OK;
}

int ow_bulletin_json(ow_ctx *cx, int64_t id, json_t **out) {
    int64_t org;
    int rc = reader_org(cx, &org);
    if (rc) return rc;
    ow_assess_bulletin_row r;
    if ((rc = ow_assess_store_bulletin_get(cx->db, id, org, cx->arena, &r, &cx->err))) return rc;
    json_t *o = bulletin_head(&r, !org);
    json_object_set_new(o, "content", json_loads(r.content, 0, NULL));
    if (!org) {
        json_t *rs = json_array();
        if ((rc = ow_assess_store_bulletin_recipients(cx->db, id, cx->arena, recipient_json, rs,
                                                      &cx->err))) {
            json_decref(rs);
            json_decref(o);
            return rc;
        }
        json_object_set_new(o, "recipient_list", rs);
    }
    *out = o;
    return OW_OK;
}

typedef struct blist {
    json_t *a;
    bool center;
} blist;

static int list_bulletin(void *arg, const ow_assess_bulletin_row *r) {
    blist *b = arg;
    json_array_append_new(b->a, bulletin_head(r, b->center));
    return OW_OK;
}

int ow_bulletin_list_json(ow_ctx *cx, const char *kind, int page, int per_page, json_t **items,
                          int64_t *total) {
    int64_t org;
    int rc = reader_org(cx, &org);
    if (rc) return rc;
    if (kind && strcmp(kind, "monthly") && strcmp(kind, "assessment") && strcmp(kind, "progress"))
        return ow_err_set(&cx->err, OW_EINVAL, "kind",
                          "简报类型应为 monthly、assessment 或 progress");
    blist b = {json_array(), !org};
    if ((rc = ow_assess_store_bulletin_count(cx->db, kind, org, total, &cx->err)) ||
        (rc = ow_assess_store_bulletins(cx->db, kind, org, per_page, (int64_t)(page - 1) * per_page,
                                        cx->arena, list_bulletin, &b, &cx->err))) {
        json_decref(b.a);
        return rc;
    }
    *items = b.a;
    return OW_OK;
}

int ow_bulletin_mark_read(ow_ctx *cx, int64_t id) {
    int64_t org;
    int rc = reader_org(cx, &org);
    if (rc) return rc;
    if (!org) return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "签收由收文单位的工作人员完成");
    if ((rc = ow_assess_store_bulletin_read(cx->db, id, org, cx->actor.name,
                                            ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    return ow_assess_audit(cx, "bulletin.read", "assess_bulletin", id,
                           json_pack("{s:I}", "org_id", (json_int_t)org));
}

/* The issued bulletin's content, for the PDF and the XLSX. */
static int issued(ow_ctx *cx, int64_t id, ow_assess_bulletin_row *r, json_t **content) {
    int64_t org;
    int rc = reader_org(cx, &org);
    if (rc || (rc = ow_assess_store_bulletin_get(cx->db, id, org, cx->arena, r, &cx->err)))
        return rc;
    *content = json_loads(r->content, 0, NULL);
    if (!*content) return ow_err_set(&cx->err, OW_EINTERNAL, "", "简报内容无法读取");
    return OW_OK;
}

int ow_bulletin_pdf(ow_ctx *cx, int64_t id, unsigned char **pdf, size_t *len, char *name,
                    size_t name_size) {
    ow_assess_bulletin_row r;
    json_t *c;
    int rc = issued(cx, id, &r, &c);
    if (rc) return rc;
    json_t *ps = json_object_get(c, "paragraphs"), *ts = json_object_get(c, "tables");
    size_t np =
        json_array_size(ps) < OW_DOCS_MAX_PARAGRAPHS ? json_array_size(ps) : OW_DOCS_MAX_PARAGRAPHS;
    const char **paras = ow_alloc(cx->arena, (np + 1) * sizeof *paras);
    for (size_t i = 0; i < np; i++)
        paras[i] = ow_strdup(cx->arena, json_string_value(json_array_get(ps, i)));
    size_t nt = json_array_size(ts);
    ow_doc_table *tables = ow_alloc(cx->arena, (nt + 1) * sizeof *tables);
    const char **captions = ow_alloc(cx->arena, (nt + 1) * sizeof *captions);
    size_t kept = 0;
    for (size_t t = 0; t < nt; t++) {
        json_t *tj = json_array_get(ts, t), *cols = json_object_get(tj, "columns"),
               *rows = json_object_get(tj, "rows");
        int nc = (int)json_array_size(cols);
        int nr = (int)json_array_size(rows) + 1;
        if (nc < 1) continue;
        if (nr * nc > OW_DOCS_MAX_TABLE_CELLS) nr = OW_DOCS_MAX_TABLE_CELLS / nc;
        const char **cells = ow_alloc(cx->arena, (size_t)(nr * nc) * sizeof *cells);
        for (int k = 0; k < nc; k++)
            cells[k] = ow_strdup(cx->arena, json_string_value(json_array_get(cols, k)));
        for (int i = 1; i < nr; i++) {
            json_t *row = json_array_get(rows, (size_t)i - 1);
            for (int k = 0; k < nc; k++) {
                json_t *v = json_array_get(row, (size_t)k);
                cells[i * nc + k] =
                    json_is_string(v) ? ow_strdup(cx->arena, json_string_value(v))
                    : json_is_integer(v)
                        ? ow_sprintf(cx->arena, "%lld", (long long)json_integer_value(v))
                        : "";
            }
        }
        double *widths = ow_alloc(cx->arena, (size_t)nc * sizeof *widths);
        /* the column naming the unit, window or task takes the room */
        for (int k = 0; k < nc; k++)
            widths[k] = !strcmp(cells[k], "单位") || !strcmp(cells[k], "窗口") ||
                                !strcmp(cells[k], "工作任务") || !strcmp(cells[k], "失分最多的指标")
                            ? 3
                            : 1.2;
        tables[kept] = (ow_doc_table){
            .rows = nr, .cols = nc, .cells = cells, .col_widths = widths, .header_rows = 1};
        captions[kept++] = ow_strdup(cx->arena, json_string_value(json_object_get(tj, "caption")));
    }
    /* each table under its caption, as a heading of the second level */
    ow_doc_block *blocks = ow_alloc(cx->arena, (kept * 2 + 1) * sizeof *blocks);
    for (size_t k = 0; k < kept; k++) {
        blocks[2 * k] = (ow_doc_block){.kind = OW_DOC_HEADING2, .text = captions[k]};
        blocks[2 * k + 1] = (ow_doc_block){.kind = OW_DOC_TABLE, .table = &tables[k]};
    }
    char iso[11], date[32];
    ow_date_format(ow_date_today_shanghai(r.issued_at), iso);
    ow_docs_chinese_date(iso, date, sizeof date);
    ow_doc_notice n = {.title = r.title,
                       .issuer = cx->app->cfg.center_name,
                       .number = r.number,
                       .recipient = !strcmp(r.kind, "monthly")
                                        ? "各区直单位、乡镇（街道）便民服务中心、各窗口："
                                        : "各有关单位：",
                       .paragraphs = paras,
                       .nparagraphs = np,
                       .blocks = blocks,
                       .nblocks = kept * 2,
                       .sign_date = date};
    rc = ow_docs_render_notice(&n, pdf, len, &cx->err);
    json_decref(c);
    snprintf(name, name_size, "bulletin-%lld.pdf", (long long)id);
    return rc;
}

int ow_bulletin_table(ow_ctx *cx, int64_t id, json_t **table_out, char *name, size_t name_size) {
    ow_assess_bulletin_row r;
    json_t *c;
    int rc = issued(cx, id, &r, &c);
    if (rc) return rc;
    /* every table of the bulletin in one sheet, the table's caption in the first column */
    json_t *cols = json_pack("[{s:s,s:s}]", "key", "section", "title", "栏目"),
           *rows = json_array();
    int ncols = 0;
    json_t *ts = json_object_get(c, "tables");
    for (size_t t = 0; t < json_array_size(ts); t++) {
        json_t *tj = json_array_get(ts, t), *tc = json_object_get(tj, "columns");
        for (int k = ncols; k < (int)json_array_size(tc); k++) {
            char key[24];
            snprintf(key, sizeof key, "c%d", k);
            json_array_append_new(cols, json_pack("{s:s,s:s}", "key", key, "title", ""));
            ncols++;
        }
        json_t *head =
            json_pack("{s:s}", "section", json_string_value(json_object_get(tj, "caption")));
        for (size_t k = 0; k < json_array_size(tc); k++) {
            char key[24];
            snprintf(key, sizeof key, "c%zu", k);
            json_object_set(head, key, json_array_get(tc, k));
        }
        json_array_append_new(rows, head);
        json_t *trs = json_object_get(tj, "rows");
        for (size_t i = 0; i < json_array_size(trs); i++) {
            json_t *row = json_object(), *src = json_array_get(trs, i);
            json_object_set_new(row, "section", json_string(""));
            for (size_t k = 0; k < json_array_size(src); k++) {
                char key[24];
                snprintf(key, sizeof key, "c%zu", k);
                json_object_set(row, key, json_array_get(src, k));
            }
            json_array_append_new(rows, row);
        }
    }
    *table_out =
        json_pack("{s:s,s:o,s:o}", "title", ow_sprintf(cx->arena, "%s（%s）", r.title, r.number),
                  "columns", cols, "rows", rows);
    json_decref(c);
    snprintf(name, name_size, "bulletin-%lld.xlsx", (long long)id);
    return OW_OK;
}
