/* report.c — statistics (see report.h for the table shape).
 *
 * Case figures are counted by event: a case counts as received in the period when
 * its receipt date falls in it, as accepted when its acceptance date does, as
 * concluded (办结: approved and delivered, or denied) or refused (不予受理) when it
 * ended in the period.  A concluded case is late when its decision came after the
 * committed due date (承诺时限), which the cases module computes with the paused days
 * skipped.  Handling time is the working days from the day the clock started (or
 * acceptance) to the decision, counted with the legal calendar through a table of
 * working-day ordinals, so a year of cases costs one pass and no per-case calendar
 * walk.  The 90th percentile is the nearest-rank one (the smallest value with at
 * least 90 % of the cases at or below it).
 *
 * Where the figures come from (issue 8: a month under 200 ms p99, a year under 1 s, on a
 * million cases).  They add up rollups that triggers keep in the transaction of every
 * case change: district-wide requests (scope 0: supervisors, the dashboard) event counts
 * per dimension and day (db/migrations/0015_case_rollup.sql, which also says why this
 * shape beat a finer one and a date-ordered table) and a histogram of handling days per
 * dimension and conclusion day; an office's own figures (a department head's, a
 * window's, a township's) the office's rows of 0016_case_rollup_org.sql, which carry
 * their cases' whole key and handling days.  Each concluded case stores its handling
 * days, computed from working-day ordinals that follow every calendar edit
 * (ow_cases_sync_workdays); each group keeps the histogram's (days, cases) pairs, from
 * which the mean and the nearest-rank percentile are the same numbers as counted per
 * case (a year district-wide is ~800 thousand cases but ~100 thousand pairs).
 *
 * Satisfaction rate (满意率) = ratings 基本满意 or better / all ratings; ratings revoked
 * on appeal are left out.  Ratings and complaints are grouped in SQL. */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cases/cases_supervision.h"
#include "core/workdays.h"
#include "core/json.h"
#include "store/report_store.h"
#include "supervision/supervision.h"

static int month_of(int32_t d) {
    int y, m, dd;
    ow_date_ymd(d, &y, &m, &dd);
    return y * 100 + m;
}

static const char *channels[] = {"online", "window", "township", "agent"};
static const char *channel_names[] = {"网上申请", "窗口受理", "便民服务中心", "代办点代办"};

static json_t *columns(const char *const (*cols)[2], size_t n) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "key", cols[i][0], "title", cols[i][1]));
    return a;
}

static json_t *rate(int64_t part, int64_t whole) {
    if (!whole) return json_null();
    return json_real((double)(part * 1000 / whole + ((part * 1000 % whole) * 2 >= whole)) / 10.0);
}

static json_t *one_decimal(double v) {
    return json_real((double)(int64_t)(v * 10 + 0.5) / 10.0);
}

static const char *org_name(ow_ctx *cx, int64_t id) {
    const char *n = ow_sup_org_name(cx, id);
    return *n ? n : "（未知）";
}

/* ======================= cases ======================= */

enum { EV_RECEIVED, EV_ACCEPTED, EV_CONCLUDED, EV_REFUSED };

typedef struct grp {
    int64_t key;
    const char *name;
    int64_t received, accepted, concluded, on_time, late, refused;
    /* handling days of its concluded cases: n cases took days working days */
    struct days_n {
        int days;
        int64_t n;
    } * days;
    int npairs, cappairs;
    int64_t ndays, sumdays; /* cases in it, and their days added up */
} grp;

#define SLOTS 8192 /* groups are items, offices or months: a few hundred at most */

typedef struct case_walk {
    ow_ctx *cx;
    const ow_stats_query *q;
    int by; /* 0 item, 1 department, 2 window, 3 township, 4 channel, 5 month */
    int64_t scope;
    int slot[SLOTS]; /* group index + 1 */
    grp *g;
    int ng, capg;
} case_walk;

static const char *bys[] = {"item", "department", "window", "township", "channel", "month"};

static int group_of(case_walk *w, int64_t key, const char *name) {
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ULL;
    for (unsigned i = (unsigned)(h >> 51) % SLOTS;; i = (i + 1) % SLOTS) {
        if (!w->slot[i]) {
            if (w->ng == w->capg) {
                int cap = w->capg ? w->capg * 2 : 64;
                grp *n = ow_alloc(w->cx->arena, (size_t)cap * sizeof *n);
                if (w->ng) memcpy(n, w->g, (size_t)w->ng * sizeof *n);
                w->g = n;
                w->capg = cap;
            }
            w->g[w->ng] = (grp){.key = key, .name = name ? ow_strdup(w->cx->arena, name) : NULL};
            w->slot[i] = ++w->ng;
            return w->ng - 1;
        }
        if (w->g[w->slot[i] - 1].key == key) return w->slot[i] - 1;
    }
}

/* The counts come from the rollups (district-wide 0015_case_rollup.sql, an office's
 * 0016_case_rollup_org.sql) and the handling times from their histograms. */
static int rollup_group(case_walk *w, int64_t key, int32_t day) {
    if (w->by == 4) {
        int c = key >= 0 && key < 4 ? (int)key : 0;
        return group_of(w, c, channel_names[c]);
    }
    return group_of(w, w->by == 5 ? month_of(day) : key, NULL);
}

static int rollup_one(void *arg, const ow_case_rollup *r) {
    case_walk *w = arg;
    int g = rollup_group(w, r->key, r->day); /* may grow w->g: before indexing it */
    grp *x = &w->g[g];
    x->received += r->n[OW_RU_RECEIVED];
    x->accepted += r->n[OW_RU_ACCEPTED];
    x->concluded += r->n[OW_RU_CONCLUDED];
    x->on_time += r->n[OW_RU_ON_TIME];
    x->late += r->n[OW_RU_LATE];
    x->refused += r->n[OW_RU_REFUSED];
    return OW_OK;
}

static void days_add(ow_ctx *cx, grp *g, int days, int64_t n) {
    if (g->npairs && g->days[g->npairs - 1].days == days) {
        g->days[g->npairs - 1].n += n;
    } else {
        if (g->npairs == g->cappairs) {
            int cap = g->cappairs ? g->cappairs * 2 : 16;
            struct days_n *d = ow_alloc(cx->arena, (size_t)cap * sizeof *d);
            if (g->npairs) memcpy(d, g->days, (size_t)g->npairs * sizeof *d);
            g->days = d;
            g->cappairs = cap;
        }
        g->days[g->npairs++] = (struct days_n){days, n};
    }
    g->ndays += n;
    g->sumdays += (int64_t)days * n;
}

/* A row of the histogram: n concluded cases of the group took days working days. */
static int days_one(void *arg, const ow_case_days *r) {
    case_walk *w = arg;
    int gi = rollup_group(w, r->key, r->day); /* may grow w->g: before indexing it */
    if (r->n <= 0 || r->days < 0) return OW_OK;
    days_add(w->cx, &w->g[gi], r->days, r->n);
    return OW_OK;
}

/* The rollup dimension of each `by` (month: any dimension summed by month; channel has
 * the fewest rows a day). */
static const int by_dim[] = {OW_ROLLUP_ITEM,     OW_ROLLUP_DEPT,    OW_ROLLUP_WINDOW,
                             OW_ROLLUP_TOWNSHIP, OW_ROLLUP_CHANNEL, OW_ROLLUP_CHANNEL};

/* An office's row: its key in the walk's dimension, its counts, and its concluded
 * cases' handling days (0016_case_rollup_org.sql). */
static int org_into(case_walk *w, const ow_case_org_rollup *r) {
    int dim = by_dim[w->by];
    ow_case_rollup c = {.key = r->key[dim], .day = r->day};
    memcpy(c.n, r->n, sizeof c.n);
    int rc = rollup_one(w, &c);
    if (!rc && r->days >= 0 && r->n[OW_RU_CONCLUDED] > 0)
        rc = days_one(
            w, &(ow_case_days){
                   .key = r->key[dim], .day = r->day, .days = r->days, .n = r->n[OW_RU_CONCLUDED]});
    return rc;
}

static int org_one(void *arg, const ow_case_org_rollup *r) {
    return org_into(arg, r);
}

static int walk_rollup(case_walk *w) {
    if (w->scope)
        return ow_cases_org_rollup_each(w->cx, w->scope, w->q->from, w->q->to, org_one, w);
    int rc = ow_cases_rollup_each(w->cx, by_dim[w->by], w->q->from, w->q->to, rollup_one, w);
    if (!rc)
        rc = ow_cases_rollup_days_each(w->cx, by_dim[w->by], w->q->from, w->q->to, days_one, w);
    return rc;
}

static int cmp_days(const void *a, const void *b) {
    int x = ((const struct days_n *)a)->days, y = ((const struct days_n *)b)->days;
    return (x > y) - (x < y);
}

/* Nearest-rank 90th percentile of the group's cases.  Handling times are small numbers
 * of days, so a count per value beats sorting the pairs; qsort only for outlandish
 * values. */
static int p90(grp *g) {
    int64_t k = (9 * g->ndays + 9) / 10; /* ceil(0.9 n): the k-th smallest */
    int max = 0;
    for (int i = 0; i < g->npairs; i++)
        if (g->days[i].days > max) max = g->days[i].days;
    int64_t seen = 0;
    if (max < 4096) {
        int64_t counts[4096];
        memset(counts, 0, (size_t)(max + 1) * sizeof counts[0]);
        for (int i = 0; i < g->npairs; i++)
            counts[g->days[i].days] += g->days[i].n;
        for (int d = 0; d <= max; d++) {
            seen += counts[d];
            if (seen >= k) return d;
        }
    }
    qsort(g->days, (size_t)g->npairs, sizeof *g->days, cmp_days); /* figures are read once */
    for (int i = 0; i < g->npairs; i++) {
        seen += g->days[i].n;
        if (seen >= k) return g->days[i].days;
    }
    return max;
}

static json_t *grp_json(grp *g, const char *key, const char *name) {
    return json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o,s:o}", "key", key, "name", name,
                     "received", (json_int_t)g->received, "accepted", (json_int_t)g->accepted,
                     "concluded", (json_int_t)g->concluded, "on_time", (json_int_t)g->on_time,
                     "late", (json_int_t)g->late, "refused", (json_int_t)g->refused, "on_time_rate",
                     rate(g->on_time, g->concluded), "avg_days",
                     g->ndays ? one_decimal((double)g->sumdays / (double)g->ndays) : json_null(),
                     "p90_days", g->ndays ? json_integer(p90(g)) : json_null());
}

static int cmp_grp_month(const void *a, const void *b) {
    const grp *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static int cmp_grp_volume(const void *a, const void *b) {
    const grp *x = a, *y = b;
    if (x->received != y->received)
        return (y->received > x->received) - (y->received < x->received);
    return (x->key > y->key) - (x->key < y->key);
}

static int check_query(ow_ctx *cx, const ow_stats_query *q, const char *const *allowed, int n,
                       int *by) {
    if (q->from == OW_DATE_NONE || q->to == OW_DATE_NONE)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field",
                           q->from == OW_DATE_NONE ? "from" : "to", "请选择统计的起止日期");
    if (q->to < q->from) return ow_err_set(&cx->err, OW_EINVAL, "to", "结束日期不能早于开始日期");
    if (q->to - q->from > 3 * 366) return ow_err_set(&cx->err, OW_EINVAL, "to", "统计区间最长三年");
    const char *b = q->by ? q->by : allowed[0];
    for (int i = 0; i < n; i++)
        if (!strcmp(b, allowed[i])) {
            *by = i;
            return OW_OK;
        }
    return ow_err_set(&cx->err, OW_EINVAL, "by", "统计维度“%s”不支持", b);
}

static json_t *table(const char *title, const ow_stats_query *q, const char *by, json_t *cols,
                     json_t *rows, json_t *total) {
    return json_pack("{s:s,s:o,s:o,s:s,s:o,s:o,s:o}", "title", title, "from", ow_json_date(q->from),
                     "to", ow_json_date(q->to), "by", by, "columns", cols, "rows", rows, "total",
                     total);
}

static const char *const case_cols[][2] = {
    {"name", "统计项"},
    {"received", "收件"},
    {"accepted", "受理"},
    {"concluded", "办结"},
    {"on_time", "按时办结"},
    {"late", "超时办结"},
    {"refused", "不予受理"},
    {"on_time_rate", "按时办结率(%)"},
    {"avg_days", "平均用时(工作日)"},
    {"p90_days", "90%办结用时(工作日)"},
};

/* A walk ready for walk_rollup, or NULL with the error in cx. */
static case_walk *walk_new(ow_ctx *cx, const ow_stats_query *q) {
    case_walk *w = ow_alloc(cx->arena, sizeof *w);
    w->cx = cx;
    w->q = q;
    if (check_query(cx, q, bys, 6, &w->by) || ow_sup_scope(cx, &w->scope)) return NULL;
    return w;
}

static int walk_json(case_walk *w, json_t **out);

int ow_stats_cases_json(ow_ctx *cx, const ow_stats_query *q, json_t **out) {
    case_walk *w = walk_new(cx, q);
    if (!w) return cx->err.code;
    int rc = walk_rollup(w);
    if (rc) return rc;
    return walk_json(w, out);
}

/* The table of a finished walk. */
static int walk_json(case_walk *w, json_t **out) {
    ow_ctx *cx = w->cx;
    const ow_stats_query *q = w->q;
    qsort(w->g, (size_t)w->ng, sizeof *w->g, w->by == 5 ? cmp_grp_month : cmp_grp_volume);
    json_t *rows = json_array();
    grp total = {0};
    int allpairs = 0;
    for (int i = 0; i < w->ng; i++)
        allpairs += w->g[i].npairs;
    total.days = ow_alloc(cx->arena, (size_t)(allpairs ? allpairs : 1) * sizeof *total.days);
    total.cappairs = allpairs;
    for (int i = 0; i < w->ng; i++) {
        grp *g = &w->g[i];
        char key[32];
        const char *name = g->name;
        if (w->by == 5) {
            snprintf(key, sizeof key, "%04d-%02d", (int)(g->key / 100), (int)(g->key % 100));
            name = key;
        } else if (w->by == 4) {
            snprintf(key, sizeof key, "%s", channels[g->key]);
        } else {
            snprintf(key, sizeof key, "%lld", (long long)g->key);
            if (!name) name = w->by == 0 ? ow_cases_item_name(cx, g->key) : org_name(cx, g->key);
        }
        total.received += g->received;
        total.accepted += g->accepted;
        total.concluded += g->concluded;
        total.on_time += g->on_time;
        total.late += g->late;
        total.refused += g->refused;
        if (g->npairs)
            memcpy(total.days + total.npairs, g->days, (size_t)g->npairs * sizeof *g->days);
        total.npairs += g->npairs;
        total.ndays += g->ndays;
        total.sumdays += g->sumdays;
        json_array_append_new(rows, grp_json(g, key, name));
    }
    json_t *tot = grp_json(&total, "total", "合计");
    *out = table("办件统计", q, bys[w->by],
                 columns(case_cols, sizeof case_cols / sizeof case_cols[0]), rows, tot);
    return OW_OK;
}

/* ======================= ratings ======================= */

static const char *const rating_bys[] = {"department", "window", "channel", "month"};

static const char *const rating_cols[][2] = {
    {"name", "统计项"},   {"total", "评价总数"},
    {"l5", "非常满意"},   {"l4", "满意"},
    {"l3", "基本满意"},   {"l2", "不满意"},
    {"l1", "非常不满意"}, {"satisfaction_rate", "满意率(%)"},
    {"bad", "差评数"},    {"rectified", "差评已整改"},
};

static const char *rating_channel_name(const char *c) {
    if (!strcmp(c, "portal")) return "网上评价";
    if (!strcmp(c, "notice")) return "告知书扫码评价";
    if (!strcmp(c, "kiosk")) return "窗口评价器";
    return c;
}

typedef struct rrow {
    char key[32];
    int64_t l[6], rect;
} rrow;

typedef struct rrows {
    ow_arena *arena;
    rrow *v;
    int n, cap;
} rrows;

static int rating_group_one(void *arg, const ow_report_rating_group *g) {
    rrows *b = arg;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        rrow *v = ow_alloc(b->arena, (size_t)b->cap * sizeof *v);
        if (b->n) memcpy(v, b->v, (size_t)b->n * sizeof *v);
        b->v = v;
    }
    rrow *r = &b->v[b->n++];
    snprintf(r->key, sizeof r->key, "%s", g->key);
    memcpy(r->l, g->level, sizeof r->l);
    r->rect = g->rectified;
    return OW_OK;
}

int ow_stats_ratings_json(ow_ctx *cx, const ow_stats_query *q, json_t **out) {
    int by = 0;
    int64_t scope;
    int rc = check_query(cx, q, rating_bys, 4, &by);
    if (!rc) rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    rrows b = {.arena = cx->arena};
    if ((rc = ow_report_store_rating_groups(cx->db, (ow_report_ratings_by)by, q->from, q->to, scope,
                                            rating_group_one, &b, &cx->err)))
        return rc;
    json_t *rows = json_array();
    int64_t t[6] = {0}, trect = 0;
    rrow *buf = b.v;
    int n = b.n;
    /* names are looked up after the grouping statement is done with */
    for (int i = 0; i < n; i++) {
        rrow *r = &buf[i];
        int64_t total = r->l[1] + r->l[2] + r->l[3] + r->l[4] + r->l[5];
        const char *name = by == 2   ? rating_channel_name(r->key)
                           : by == 3 ? r->key
                                     : org_name(cx, strtoll(r->key, NULL, 10));
        for (int l = 1; l <= 5; l++)
            t[l] += r->l[l];
        trect += r->rect;
        json_array_append_new(
            rows, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:I,s:I}", "key", r->key, "name",
                            name, "total", (json_int_t)total, "l5", (json_int_t)r->l[5], "l4",
                            (json_int_t)r->l[4], "l3", (json_int_t)r->l[3], "l2",
                            (json_int_t)r->l[2], "l1", (json_int_t)r->l[1], "satisfaction_rate",
                            rate(r->l[3] + r->l[4] + r->l[5], total), "bad",
                            (json_int_t)(r->l[1] + r->l[2]), "rectified", (json_int_t)r->rect));
    }
    int64_t total = t[1] + t[2] + t[3] + t[4] + t[5];
    json_t *tot = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:I,s:I}", "key", "total", "name",
                            "合计", "total", (json_int_t)total, "l5", (json_int_t)t[5], "l4",
                            (json_int_t)t[4], "l3", (json_int_t)t[3], "l2", (json_int_t)t[2], "l1",
                            (json_int_t)t[1], "satisfaction_rate", rate(t[3] + t[4] + t[5], total),
                            "bad", (json_int_t)(t[1] + t[2]), "rectified", (json_int_t)trect);
    *out = table("好差评统计", q, rating_bys[by],
                 columns(rating_cols, sizeof rating_cols / sizeof rating_cols[0]), rows, tot);
    return OW_OK;
}

/* ======================= complaints ======================= */

static const char *const complaint_bys[] = {"department", "kind", "month"};

static const char *const complaint_cols[][2] = {
    {"name", "统计项"},
    {"total", "收到"},
    {"answered", "已答复"},
    {"answered_on_time", "按时答复"},
    {"answered_late", "逾期答复"},
    {"open", "办理中"},
    {"escalated", "提级督办"},
    {"avg_satisfaction", "答复满意度(1-5)"},
};

typedef struct crow {
    char key[32];
    int64_t v[6];
    double sat;
    int64_t nsat;
} crow;

typedef struct crows {
    ow_arena *arena;
    crow *v;
    int n, cap;
} crows;

static int complaint_group_one(void *arg, const ow_report_complaint_group *g) {
    crows *b = arg;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        crow *v = ow_alloc(b->arena, (size_t)b->cap * sizeof *v);
        if (b->n) memcpy(v, b->v, (size_t)b->n * sizeof *v);
        b->v = v;
    }
    crow *r = &b->v[b->n++];
    snprintf(r->key, sizeof r->key, "%s", g->key);
    for (int i = 0; i < 6; i++)
        r->v[i] = g->v[i];
    r->sat = g->satisfaction;
    r->nsat = g->has_satisfaction;
    return OW_OK;
}

int ow_stats_complaints_json(ow_ctx *cx, const ow_stats_query *q, json_t **out) {
    int by = 0;
    int64_t scope;
    int rc = check_query(cx, q, complaint_bys, 3, &by);
    if (!rc) rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    crows b = {.arena = cx->arena};
    if ((rc = ow_report_store_complaint_groups(cx->db, (ow_report_complaints_by)by, q->from, q->to,
                                               scope, complaint_group_one, &b, &cx->err)))
        return rc;
    crow *buf = b.v;
    int n = b.n;
    json_t *rows = json_array();
    int64_t t[6] = {0};
    for (int i = 0; i < n; i++) {
        crow *r = &buf[i];
        const char *name = by == 1   ? (!strcmp(r->key, "complaint") ? "投诉" : "建议")
                           : by == 2 ? r->key
                           : !strcmp(r->key, "0") ? "（待分派）"
                                                  : org_name(cx, strtoll(r->key, NULL, 10));
        for (int k = 0; k < 6; k++)
            t[k] += r->v[k];
        json_array_append_new(rows, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "key",
                                              r->key, "name", name, "total", (json_int_t)r->v[0],
                                              "answered", (json_int_t)r->v[1], "answered_on_time",
                                              (json_int_t)r->v[2], "answered_late",
                                              (json_int_t)r->v[3], "open", (json_int_t)r->v[4],
                                              "escalated", (json_int_t)r->v[5], "avg_satisfaction",
                                              r->nsat ? one_decimal(r->sat) : json_null()));
    }
    /* The overall mean satisfaction needs its own query: a mean of means would weigh
     * every group alike. */
    double avg;
    bool has;
    if ((rc = ow_report_store_complaint_satisfaction(cx->db, q->from, q->to, scope, &avg, &has,
                                                     &cx->err))) {
        json_decref(rows);
        return rc;
    }
    json_t *sat = has ? one_decimal(avg) : json_null();
    json_t *tot =
        json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "key", "total", "name", "合计", "total",
                  (json_int_t)t[0], "answered", (json_int_t)t[1], "answered_on_time",
                  (json_int_t)t[2], "answered_late", (json_int_t)t[3], "open", (json_int_t)t[4],
                  "escalated", (json_int_t)t[5], "avg_satisfaction", sat);
    *out =
        table("投诉建议统计", q, complaint_bys[by],
              columns(complaint_cols, sizeof complaint_cols / sizeof complaint_cols[0]), rows, tot);
    return OW_OK;
}

/* ======================= workbench and dashboard ======================= */

typedef struct wb_walk {
    int32_t today, first;
    int today_accepted;
    int accepted[14], concluded[14];
} wb_walk;

/* The fortnight from the rollup (its "concluded" is this trend's: the concluded and
 * denied cases, not the refused or withdrawn ones). */
static int wb_rollup_one(void *arg, const ow_case_rollup *r) {
    wb_walk *w = arg;
    if (r->day < w->first || r->day > w->today) return OW_OK;
    w->accepted[r->day - w->first] += (int)r->n[OW_RU_ACCEPTED];
    w->concluded[r->day - w->first] += (int)r->n[OW_RU_CONCLUDED];
    if (r->day == w->today) w->today_accepted += (int)r->n[OW_RU_ACCEPTED];
    return OW_OK;
}

static int wb_org_one(void *arg, const ow_case_org_rollup *r) {
    ow_case_rollup c = {.key = r->key[OW_ROLLUP_CHANNEL], .day = r->day};
    memcpy(c.n, r->n, sizeof c.n);
    return wb_rollup_one(arg, &c);
}

int ow_stats_workbench_json(ow_ctx *cx, json_t **out) {
    wb_walk w = {0};
    int64_t scope, pending = 0;
    int rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    w.today = ow_sup_today(cx);
    w.first = w.today - 13;
    int lights[3];
    rc = scope ? ow_cases_org_rollup_each(cx, scope, w.first, w.today, wb_org_one, &w)
               : ow_cases_rollup_each(cx, OW_ROLLUP_CHANNEL, w.first, w.today, wb_rollup_one, &w);
    if (!rc) rc = ow_cases_count_state(cx, scope, "review", &pending);
    if (rc || (rc = ow_supervision_light_counts(cx, scope, lights))) return rc;
    json_t *trend = json_array();
    for (int i = 0; i < 14; i++)
        json_array_append_new(trend,
                              json_pack("{s:o,s:i,s:i}", "date", ow_json_date(w.first + i),
                                        "accepted", w.accepted[i], "concluded", w.concluded[i]));
    *out = json_pack("{s:i,s:i,s:i,s:i,s:o}", "today_accepted", w.today_accepted,
                     "pending_approval", (int)pending, "due_soon", lights[OW_LIGHT_YELLOW],
                     "overdue", lights[OW_LIGHT_RED], "trend", trend);
    return OW_OK;
}

/* The first day of the month 11 months before today's month. */
static int32_t twelve_months_back(int32_t today) {
    int y, m, d;
    ow_date_ymd(today, &y, &m, &d);
    m -= 11;
    if (m < 1) m += 12, y--;
    return ow_date_from_ymd(y, m, 1);
}

/* Cases received per month and channel. */
typedef struct month_channel {
    int first_month; /* y * 12 + m - 1 */
    int n[12][4];
} month_channel;

/* The dashboard's three case figures. */
typedef struct dash_walk {
    case_walk *by_dept, *by_town;
    month_channel *acc;
} dash_walk;

static int mc_rollup_one(void *arg, const ow_case_rollup *r) {
    month_channel *acc = arg;
    int y, m, d;
    ow_date_ymd(r->day, &y, &m, &d);
    int i = y * 12 + m - 1 - acc->first_month;
    if (i >= 0 && i < 12 && r->key >= 0 && r->key < 4)
        acc->n[i][r->key] += (int)r->n[OW_RU_RECEIVED];
    return OW_OK;
}

/* An office's row feeds all three figures: one pass over its year. */
static int dash_org_one(void *arg, const ow_case_org_rollup *r) {
    dash_walk *dw = arg;
    int rc = org_into(dw->by_dept, r);
    if (!rc) rc = org_into(dw->by_town, r);
    if (rc) return rc;
    ow_case_rollup c = {.key = r->key[OW_ROLLUP_CHANNEL], .day = r->day};
    memcpy(c.n, r->n, sizeof c.n);
    return mc_rollup_one(dw->acc, &c);
}

/* The three case figures from the rollups (district-wide, or the office's). */
static int dash_rollup(ow_ctx *cx, int64_t scope, const ow_stats_query *q, dash_walk *dw) {
    if (scope) return ow_cases_org_rollup_each(cx, scope, q->from, q->to, dash_org_one, dw);
    int rc = walk_rollup(dw->by_dept);
    if (!rc) rc = walk_rollup(dw->by_town);
    if (!rc)
        rc = ow_cases_rollup_each(cx, OW_ROLLUP_CHANNEL, q->from, q->to, mc_rollup_one, dw->acc);
    return rc;
}

int ow_stats_dashboard_json(ow_ctx *cx, json_t **out) {
    int32_t today = ow_sup_today(cx);
    ow_stats_query q = {.from = twelve_months_back(today), .to = today};
    ow_stats_query qd = q, qt = q;
    qd.by = "department";
    qt.by = "township";
    json_t *by_dept = NULL, *by_town = NULL, *sat = NULL, *cmp = NULL;
    int lights[3];
    int64_t scope;
    month_channel *acc = ow_alloc(cx->arena, sizeof *acc);
    int rc = ow_sup_scope(cx, &scope);
    if (!rc) rc = ow_supervision_light_counts(cx, scope, lights);
    int y, m, d;
    ow_date_ymd(q.from, &y, &m, &d);
    acc->first_month = y * 12 + m - 1;
    dash_walk dw = {.acc = acc};
    if (!rc && (!(dw.by_dept = walk_new(cx, &qd)) || !(dw.by_town = walk_new(cx, &qt))))
        rc = cx->err.code;
    if (!rc) rc = dash_rollup(cx, scope, &q, &dw);
    if (!rc) rc = walk_json(dw.by_dept, &by_dept);
    if (!rc) rc = walk_json(dw.by_town, &by_town);
    q.by = "month";
    if (!rc) rc = ow_stats_ratings_json(cx, &q, &sat);
    if (!rc) rc = ow_stats_complaints_json(cx, &q, &cmp);
    if (rc) {
        json_decref(by_dept);
        json_decref(by_town);
        json_decref(sat);
        json_decref(cmp);
        return rc;
    }
    json_t *months = json_array(), *series = json_object(), *names = json_object();
    for (int i = 0; i < 12; i++) {
        json_array_append_new(months, json_string(ow_sprintf(cx->arena, "%04d-%02d", y, m)));
        if (++m > 12) m = 1, y++;
    }
    for (int c = 0; c < 4; c++) {
        json_t *arr = json_array();
        for (int i = 0; i < 12; i++)
            json_array_append_new(arr, json_integer(acc->n[i][c]));
        json_object_set_new(series, channels[c], arr);
        json_object_set_new(names, channels[c], json_string(channel_names[c]));
    }
    *out = json_pack("{s:o,s:o,s:{s:o,s:o,s:o},s:{s:i,s:i,s:i},s:o,s:o,s:o,s:o}", "from",
                     ow_json_date(q.from), "to", ow_json_date(q.to), "cases_by_month_channel",
                     "months", months, "series", series, "names", names, "lights", "green",
                     lights[0], "yellow", lights[1], "red", lights[2], "on_time_by_department",
                     by_dept, "township_workload", by_town, "satisfaction_by_month", sat,
                     "complaints_by_month", cmp);
    return OW_OK;
}
