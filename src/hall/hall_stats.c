/* hall_stats.c — the hall's figures (issue 18, "Figures"): waiting and service times,
 * tickets, no-shows, abandonment and the appointments' show-up rate by category, window,
 * clerk, hour of the day or day; per clerk also their ratings and the time their window
 * was paused (窗口作风监管).
 *
 * Made in C from the rows of the period (tickets, the calls of each visit, pauses,
 * appointments, the clerks' ratings), as the case statistics are: no date arithmetic in
 * SQL, so the statements run on both databases, and the 90th percentile is exact
 * (nearest rank).  A hall's day is a few hundred tickets; a year of the district centre
 * is about 60,000 rows read once.
 *
 * Definitions: a ticket's wait runs from taking it to its first call; a call's wait (per
 * window and clerk) from joining that window's queue to the call; a service from
 * 开始办理 to 办结 (or to the transfer); abandoned = cancelled by the holder or still
 * waiting when the day ended; the show-up rate = checked in / (checked in + no-shows). */
#include "hall/hall_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/clock.h"
#include "core/workdays.h"

#define ROWS_MAX 512

typedef struct samples {
    int64_t *v;
    int n, cap;
} samples;

typedef struct stat_row {
    char key[48], name[192];
    int tickets, served, no_show, abandoned, transferred, calls;
    int appts, shown, appt_noshow;
    samples wait;
    int64_t wait_max;
    int nservice;
    int64_t service_sum;
    int pauses;
    int64_t paused_ms;
    int ratings, rating_sum, bad;
} stat_row;

typedef struct stats {
    ow_ctx *cx;
    const char *by;
    int64_t now;
    stat_row *rows;
    int n;
    stat_row total;
} stats;

static void add_sample(ow_arena *a, samples *s, int64_t v) {
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 16;
        int64_t *nv = ow_alloc(a, (size_t)cap * sizeof *nv);
        if (s->n) memcpy(nv, s->v, (size_t)s->n * sizeof *nv);
        s->v = nv;
        s->cap = cap;
    }
    s->v[s->n++] = v;
}

static stat_row *row_of(stats *st, const char *key, const char *name) {
    for (int i = 0; i < st->n; i++)
        if (!strcmp(st->rows[i].key, key)) return &st->rows[i];
    if (st->n == ROWS_MAX) return NULL;
    stat_row *r = &st->rows[st->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%s", key);
    snprintf(r->name, sizeof r->name, "%s", name);
    return r;
}

static int hour_of(int64_t ms) {
    return (int)(((ms / 1000 + 8 * 3600) % 86400) / 3600);
}

/* The row a ticket, an appointment or a call counts in for this dimension (NULL: none). */
static stat_row *ticket_row(stats *st, int64_t group, const char *day, int64_t at) {
    char key[48], name[192];
    if (!strcmp(st->by, "category")) {
        ow_hall_group g;
        ow_err keep = st->cx->err;
        if (ow_hall_store_group(st->cx->db, group, &g, &st->cx->err)) {
            st->cx->err = keep;
            return NULL;
        }
        snprintf(key, sizeof key, "g%lld", (long long)group);
        snprintf(name, sizeof name, "%s %s", g.letter, g.name);
        return row_of(st, key, name);
    }
    if (!strcmp(st->by, "day")) return row_of(st, day, day);
    if (!strcmp(st->by, "hour") && at) {
        int h = hour_of(at);
        snprintf(key, sizeof key, "h%02d", h);
        snprintf(name, sizeof name, "%02d:00–%02d:00", h, (h + 1) % 24);
        return row_of(st, key, name);
    }
    return NULL;
}

static stat_row *window_row(stats *st, int64_t window) {
    char key[48];
    snprintf(key, sizeof key, "w%lld", (long long)window);
    for (int i = 0; i < st->n; i++)
        if (!strcmp(st->rows[i].key, key)) return &st->rows[i];
    ow_hall_org w = {0};
    ow_err keep = st->cx->err;
    ow_hall_store_org(st->cx->db, window, &w, &st->cx->err);
    st->cx->err = keep;
    return row_of(st, key, w.name);
}

static stat_row *clerk_row(stats *st, int64_t clerk, const char *name) {
    char key[48];
    snprintf(key, sizeof key, "c%lld", (long long)clerk);
    return row_of(st, key, name);
}

static int on_ticket(void *arg, const ow_hall_ticket *t) {
    stats *st = arg;
    stat_row *rows[2] = {ticket_row(st, t->group_id, t->day, t->taken_at), &st->total};
    for (int i = 0; i < 2; i++) {
        stat_row *r = rows[i];
        if (!r) continue;
        r->tickets++;
        if (!strcmp(t->state, "done")) r->served++;
        if (!strcmp(t->state, "no_show")) r->no_show++;
        if (!strcmp(t->state, "cancelled") || !strcmp(t->state, "expired")) r->abandoned++;
        if (t->transfers) r->transferred++;
        if (t->first_called_at) {
            int64_t w = t->first_called_at - t->taken_at;
            add_sample(st->cx->arena, &r->wait, w);
            if (w > r->wait_max) r->wait_max = w;
        }
    }
    return 0;
}

static int on_call(void *arg, const ow_hall_call *c, int level) {
    stats *st = arg;
    bool per_leg = !strcmp(st->by, "window") || !strcmp(st->by, "clerk");
    stat_row *r = !strcmp(st->by, "window")  ? window_row(st, c->window_id)
                  : !strcmp(st->by, "clerk") ? clerk_row(st, c->clerk_id, c->clerk_name)
                                             : ticket_row(st, c->group_id, c->day, c->called_at);
    stat_row *rows[2] = {r, &st->total};
    for (int i = 0; i < 2; i++) {
        stat_row *x = rows[i];
        if (!x) continue;
        if (per_leg) {
            x->calls++;
            if (!strcmp(c->outcome, "done")) x->served++;
            if (!strcmp(c->outcome, "no_show")) x->no_show++;
            if (!strcmp(c->outcome, "transferred")) x->transferred++;
            int64_t w = c->called_at - c->queued_at;
            add_sample(st->cx->arena, &x->wait, w);
            if (w > x->wait_max) x->wait_max = w;
            if (level && !strcmp(st->by, "window")) {
                x->ratings++;
                x->rating_sum += level;
                if (level <= 2) x->bad++;
            }
        }
        if (c->served_at && c->ended_at && strcmp(c->outcome, "open")) {
            x->nservice++;
            x->service_sum += c->ended_at - c->served_at;
        }
    }
    return 0;
}

static int on_pause(void *arg, const ow_hall_pause *p) {
    stats *st = arg;
    stat_row *r = !strcmp(st->by, "window")  ? window_row(st, p->window_id)
                  : !strcmp(st->by, "clerk") ? clerk_row(st, p->clerk_id, p->clerk_name)
                                             : NULL;
    int64_t end = p->ended_at ? p->ended_at : st->now;
    stat_row *rows[2] = {r, &st->total};
    for (int i = 0; i < 2; i++)
        if (rows[i]) {
            rows[i]->pauses++;
            rows[i]->paused_ms += end > p->started_at ? end - p->started_at : 0;
        }
    return 0;
}

static int on_appt(void *arg, const ow_hall_appt *a) {
    stats *st = arg;
    if (!strcmp(a->state, "cancelled")) return 0;
    int32_t d;
    int64_t at = ow_date_parse(a->day, &d) ? 0 : hall_instant(d, a->slot);
    stat_row *rows[2] = {ticket_row(st, a->group_id, a->day, at), &st->total};
    for (int i = 0; i < 2; i++)
        if (rows[i]) {
            rows[i]->appts++;
            if (!strcmp(a->state, "checked_in")) rows[i]->shown++;
            if (!strcmp(a->state, "no_show")) rows[i]->appt_noshow++;
        }
    return 0;
}

static int on_rating(void *arg, int64_t clerk, const char *name, int n, int sum, int bad) {
    stats *st = arg;
    stat_row *rows[2] = {clerk_row(st, clerk, name), &st->total};
    for (int i = 0; i < 2; i++)
        if (rows[i]) {
            rows[i]->ratings += n;
            rows[i]->rating_sum += sum;
            rows[i]->bad += bad;
        }
    return 0;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static json_t *minutes_or_null(int n, int64_t sum_ms) {
    if (!n) return json_null();
    double m = (double)sum_ms / n / 60000.0;
    return json_real((double)(int64_t)(m * 10 + 0.5) / 10);
}

static json_t *rate_or_null(int part, int whole) {
    if (!whole) return json_null();
    double r = 100.0 * part / whole;
    return json_real((double)(int64_t)(r * 10 + 0.5) / 10);
}

static json_t *p90(samples *s) {
    if (!s->n) return json_null();
    qsort(s->v, (size_t)s->n, sizeof *s->v, cmp_i64);
    int rank = (s->n * 9 + 9) / 10; /* nearest rank: ceil(0.9 n) */
    double m = (double)s->v[rank - 1] / 60000.0;
    return json_real((double)(int64_t)(m * 10 + 0.5) / 10);
}

static json_t *row_json(stat_row *r, const char *by) {
    int64_t wsum = 0;
    for (int i = 0; i < r->wait.n; i++)
        wsum += r->wait.v[i];
    json_t *o = json_pack("{s:s,s:s}", "key", r->key, "name", r->name);
    json_object_set_new(o, "avg_wait_min", minutes_or_null(r->wait.n, wsum));
    json_object_set_new(o, "p90_wait_min", p90(&r->wait));
    json_object_set_new(o, "avg_service_min", minutes_or_null(r->nservice, r->service_sum));
    if (!strcmp(by, "window") || !strcmp(by, "clerk")) {
        json_object_set_new(o, "calls", json_integer(r->calls));
        json_object_set_new(o, "served", json_integer(r->served));
        json_object_set_new(o, "no_show", json_integer(r->no_show));
        json_object_set_new(o, "transferred", json_integer(r->transferred));
        json_object_set_new(o, "pauses", json_integer(r->pauses));
        json_object_set_new(o, "paused_min", json_integer((r->paused_ms + 30000) / 60000));
        json_object_set_new(o, "ratings", json_integer(r->ratings));
        json_object_set_new(
            o, "avg_rating",
            r->ratings ? json_real((double)(int64_t)(10.0 * r->rating_sum / r->ratings + 0.5) / 10)
                       : json_null());
        json_object_set_new(o, "bad", json_integer(r->bad));
        json_object_set_new(o, "satisfaction_rate", rate_or_null(r->ratings - r->bad, r->ratings));
        return o;
    }
    json_object_set_new(o, "tickets", json_integer(r->tickets));
    json_object_set_new(o, "served", json_integer(r->served));
    json_object_set_new(o, "no_show", json_integer(r->no_show));
    json_object_set_new(o, "abandoned", json_integer(r->abandoned));
    json_object_set_new(o, "abandon_rate", rate_or_null(r->abandoned, r->tickets));
    json_object_set_new(o, "max_wait_min",
                        r->wait.n ? json_real((double)(int64_t)(r->wait_max / 6000.0 + 0.5) / 10)
                                  : json_null());
    json_object_set_new(o, "appointments", json_integer(r->appts));
    json_object_set_new(o, "shown", json_integer(r->shown));
    json_object_set_new(o, "appt_no_show", json_integer(r->appt_noshow));
    json_object_set_new(o, "show_up_rate", rate_or_null(r->shown, r->shown + r->appt_noshow));
    return o;
}

static json_t *columns(const char *by) {
    static const char *const tickets[][2] = {
        {"name", "统计项"},
        {"tickets", "取号数"},
        {"served", "办结数"},
        {"no_show", "过号"},
        {"abandoned", "弃号"},
        {"abandon_rate", "弃号率(%)"},
        {"avg_wait_min", "平均等候(分)"},
        {"p90_wait_min", "90%等候(分)"},
        {"max_wait_min", "最长等候(分)"},
        {"avg_service_min", "平均办理(分)"},
        {"appointments", "预约数"},
        {"shown", "预约到场"},
        {"appt_no_show", "预约爽约"},
        {"show_up_rate", "预约到场率(%)"},
    };
    static const char *const legs[][2] = {
        {"name", "统计项"},
        {"calls", "叫号数"},
        {"served", "办结数"},
        {"no_show", "过号"},
        {"transferred", "转办"},
        {"avg_wait_min", "平均等候(分)"},
        {"p90_wait_min", "90%等候(分)"},
        {"avg_service_min", "平均办理(分)"},
        {"pauses", "暂停次数"},
        {"paused_min", "暂停时长(分)"},
        {"ratings", "评价数"},
        {"avg_rating", "平均评价"},
        {"bad", "差评"},
        {"satisfaction_rate", "满意率(%)"},
    };
    bool leg = !strcmp(by, "window") || !strcmp(by, "clerk");
    json_t *a = json_array();
    size_t n = leg ? sizeof legs / sizeof *legs : sizeof tickets / sizeof *tickets;
    for (size_t i = 0; i < n; i++) {
        const char *const *c = leg ? legs[i] : tickets[i];
        if (!strcmp(by, "hour") && (!strcmp(c[0], "appointments") || !strcmp(c[0], "shown") ||
                                    !strcmp(c[0], "appt_no_show") || !strcmp(c[0], "show_up_rate")))
            continue; /* appointments are counted by category and day only */
        json_array_append_new(a, json_pack("{s:s,s:s}", "key", c[0], "title", c[1]));
    }
    return a;
}

static int cmp_row(const void *a, const void *b) {
    return strcmp(((const stat_row *)a)->key, ((const stat_row *)b)->key);
}

int ow_hall_stats_json(ow_ctx *cx, const ow_hall_stats_query *q, json_t **out) {
    const char *by = q->by && *q->by ? q->by : "category";
    if (strcmp(by, "category") && strcmp(by, "window") && strcmp(by, "clerk") &&
        strcmp(by, "hour") && strcmp(by, "day"))
        return ow_err_set(&cx->err, OW_EINVAL, "by",
                          "统计维度应为 category（业务类别）、window（窗口）、clerk（工作人员）、"
                          "hour（时段）或 day（日期）");
    if (q->from == OW_DATE_NONE || q->to == OW_DATE_NONE || q->from > q->to)
        return ow_err_set(&cx->err, OW_EINVAL, "from", "开始日期应不晚于结束日期");
    if (q->to - q->from > 366) return ow_err_set(&cx->err, OW_EINVAL, "from", "统计期间最长一年");
    int64_t site_id = 0;
    char site_name[192] = "各办事大厅";
    if (!hall_sees_all(&cx->actor) || (q->site && *q->site)) {
        ow_hall_org site;
        int rc = hall_staff_site(cx, q->site, &site);
        if (rc) return rc;
        site_id = site.id;
        snprintf(site_name, sizeof site_name, "%s", site.name);
    }
    if (!strcmp(cx->actor.kind, "staff") && !hall_sees_all(&cx->actor) &&
        strcmp(cx->actor.role, "clerk"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有窗口工作人员、监察人员和管理员可以查看");
    char from[11], to[11];
    ow_date_format(q->from, from);
    ow_date_format(q->to, to);
    stats st = {.cx = cx, .by = by, .now = ow_clock_now_ms(cx->clock)};
    st.rows = ow_alloc(cx->arena, ROWS_MAX * sizeof *st.rows);
    snprintf(st.total.key, sizeof st.total.key, "total");
    snprintf(st.total.name, sizeof st.total.name, "合计");
    bool leg = !strcmp(by, "window") || !strcmp(by, "clerk");
    int rc = OW_OK;
    if (!leg)
        rc = ow_hall_store_each_ticket_in(cx->db, site_id, from, to, on_ticket, &st, &cx->err);
    if (!rc) rc = ow_hall_store_each_call_in(cx->db, site_id, from, to, on_call, &st, &cx->err);
    if (!rc && leg)
        rc = ow_hall_store_each_pause_in(cx->db, site_id, from, to, on_pause, &st, &cx->err);
    if (!rc && !leg && strcmp(by, "hour"))
        rc = ow_hall_store_each_appt_in(cx->db, site_id, from, to, on_appt, &st, &cx->err);
    if (!rc && !strcmp(by, "clerk"))
        rc = ow_hall_store_each_clerk_rating(cx->db, site_id, q->from, q->to, on_rating, &st,
                                             &cx->err);
    if (rc) return rc;
    qsort(st.rows, (size_t)st.n, sizeof *st.rows, cmp_row);
    json_t *rows = json_array();
    for (int i = 0; i < st.n; i++)
        json_array_append_new(rows, row_json(&st.rows[i], by));
    static const char *const titles[][2] = {
        {"category", "排队叫号统计（按业务类别）"}, {"window", "排队叫号统计（按窗口）"},
        {"clerk", "窗口作风统计（按工作人员）"},    {"hour", "排队叫号统计（按时段）"},
        {"day", "排队叫号统计（按日期）"},
    };
    const char *title = titles[0][1];
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
        if (!strcmp(by, titles[i][0])) title = titles[i][1];
    char full[400];
    snprintf(full, sizeof full, "%s · %s", site_name, title);
    *out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "title", full, "by", by, "from", from,
                     "to", to, "site", site_name, "columns", columns(by), "rows", rows, "total",
                     row_json(&st.total, by));
    return OW_OK;
}
