/* supervision.c — 电子监察: deadline lights, alerts, 督办 notices, digests and the
 * sweep (see supervision.h).
 *
 * Lights are computed when read, from each open case's current deadline (the
 * cases module's due_date, which already skips paused days) and the legal
 * calendar: nothing is stored that a calendar edit could leave stale.  Open cases
 * are few compared with all cases (thousands, not millions), so a walk over them
 * per dashboard read stays in the low milliseconds.
 *
 * The sweep runs on the writer from a ticker thread once a minute: it raises
 * overdue complaints and writes each department's digest once a day.  Doing it on
 * dashboard reads instead would turn reads into writes and leave escalation to
 * chance (nobody looks at the dashboard on a holiday). */
#include "supervision/supervision.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "audit/audit.h"
#include "cases/cases_supervision.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/workdays.h"
#include "core/log.h"
#include "disclosure/disclosure.h"
#include "store/supervision_store.h"

/* ---------------- lights ---------------- */

const char *ow_light_name(ow_light l) {
    return l == OW_LIGHT_RED ? "red" : l == OW_LIGHT_YELLOW ? "yellow" : "green";
}

/* Working-day ordinals around today, so a walk over tens of thousands of open cases
 * counts working days by subtraction: ord[i] = working days in (lo, lo + i].  Built
 * only over loaded years; a date outside falls back to the calendar, which reports a
 * missing year properly. */
typedef struct wd_table {
    int32_t lo;
    int n;
    int *ord;
} wd_table;

static void wd_build(ow_ctx *cx, int32_t lo, int32_t hi, wd_table *t) {
    t->lo = lo;
    t->n = 0;
    t->ord = NULL;
    if (!cx->app || !cx->app->calendar || hi < lo) return;
    int *ord = ow_alloc(cx->arena, (size_t)(hi - lo + 1) * sizeof *ord);
    ow_err e = {0};
    int n = 1;
    for (int32_t d = lo + 1; d <= hi; d++, n++) {
        bool work;
        if (ow_cal_is_workday(cx->app->calendar, d, &work, &e)) break;
        ord[n] = ord[n - 1] + work;
    }
    bool first_ok;
    if (ow_cal_is_workday(cx->app->calendar, lo, &first_ok, &e)) return; /* lo's year missing */
    t->ord = ord;
    t->n = n;
}

static int wd_count(ow_ctx *cx, const wd_table *t, int32_t a, int32_t b, int *n) {
    if (t && t->ord && a >= t->lo && b >= t->lo && a < t->lo + t->n && b < t->lo + t->n) {
        *n = b > a ? t->ord[b - t->lo] - t->ord[a - t->lo] : 0;
        return OW_OK;
    }
    return ow_sup_count_workdays(cx, a, b, n);
}

static int light_eval(ow_ctx *cx, const wd_table *t, const ow_light_rule *rule, int32_t start,
                      int32_t due, int32_t today, ow_light *light, int *left) {
    *light = OW_LIGHT_GREEN;
    *left = 0;
    if (due == OW_DATE_NONE) return OW_OK; /* the clock stands (补正, suspension) */
    int rc, n;
    if (today > due) {
        if ((rc = wd_count(cx, t, due, today, &n))) return rc;
        *light = OW_LIGHT_RED;
        *left = -(n ? n : 1); /* overdue on a holiday still counts as overdue */
        return OW_OK;
    }
    if ((rc = wd_count(cx, t, today, due, &n))) return rc;
    *left = n;
    if (n <= rule->warn_days) {
        *light = OW_LIGHT_YELLOW;
        return OW_OK;
    }
    if (start != OW_DATE_NONE && start < today) {
        int total, used;
        if ((rc = wd_count(cx, t, start, due, &total)) ||
            (rc = wd_count(cx, t, start, today, &used)))
            return rc;
        if (total > 0 && (int64_t)used * 100 >= (int64_t)rule->warn_percent * total)
            *light = OW_LIGHT_YELLOW;
    }
    return OW_OK;
}

int ow_light_of(ow_ctx *cx, const ow_light_rule *rule, int32_t start, int32_t due, int32_t today,
                ow_light *light, int *left) {
    return light_eval(cx, NULL, rule, start, due, today, light, left);
}

static ow_light_rule rule_of(const ow_ctx *cx) {
    return (ow_light_rule){cx->app->cfg.light_warn_days, cx->app->cfg.light_warn_percent};
}

/* A small id → counts table (at most a few hundred offices). */
typedef struct tally {
    int64_t id;
    int n[3];
} tally;

typedef struct tallies {
    tally *v;
    int len, cap;
} tallies;

static void tally_add(ow_arena *a, tallies *t, int64_t id, ow_light l) {
    if (!id) return;
    for (int i = 0; i < t->len; i++)
        if (t->v[i].id == id) {
            t->v[i].n[l]++;
            return;
        }
    if (t->len == t->cap) {
        int cap = t->cap ? t->cap * 2 : 32;
        tally *g = ow_alloc(a, (size_t)cap * sizeof *g);
        if (t->len) memcpy(g, t->v, (size_t)t->len * sizeof *g);
        t->v = g;
        t->cap = cap;
    }
    t->v[t->len] = (tally){.id = id};
    t->v[t->len++].n[l] = 1;
}

typedef struct light_walk {
    ow_ctx *cx;
    wd_table wd;
    ow_light_rule rule;
    int32_t today;
    int64_t scope;
    int totals[3];
    tallies dept, intake, scope_org;
    json_t *cases; /* red and yellow, up to max_cases */
    int max_cases;
    struct digest_buckets *digest; /* when making digests: the cases per office */
} light_walk;

/* What a daily digest lists about one office's open cases. */
#define DIGEST_LIST_MAX 50
/* Collected before sorting, so the 50 shown are the most urgent (or newest), not the
 * first 50 in id order. */
#define DIGEST_COLLECT_MAX 2000

typedef struct digest_bucket {
    int64_t id; /* the office (0: the whole center) */
    int n[3], fresh;
    json_t *fresh_cases, *due_soon, *overdue;
} digest_bucket;

typedef struct digest_buckets {
    digest_bucket *v;
    int len, cap;
    int32_t new_from; /* cases received on or after this day are "new" */
    bool per_dept;    /* the sweep: one bucket per department; else one for the scope */
} digest_buckets;

static digest_bucket *bucket_of(ow_arena *a, digest_buckets *b, int64_t id) {
    for (int i = 0; i < b->len; i++)
        if (b->v[i].id == id) return &b->v[i];
    if (b->len == b->cap) {
        int cap = b->cap ? b->cap * 2 : 32;
        digest_bucket *g = ow_alloc(a, (size_t)cap * sizeof *g);
        if (b->len) memcpy(g, b->v, (size_t)b->len * sizeof *g);
        b->v = g;
        b->cap = cap;
    }
    b->v[b->len] = (digest_bucket){
        .id = id, .fresh_cases = json_array(), .due_soon = json_array(), .overdue = json_array()};
    return &b->v[b->len++];
}

static void buckets_free(digest_buckets *b) {
    for (int i = 0; i < b->len; i++) {
        json_decref(b->v[i].fresh_cases);
        json_decref(b->v[i].due_soon);
        json_decref(b->v[i].overdue);
    }
    b->len = 0;
}

static void append_capped(json_t *list, json_t *item) {
    if (json_array_size(list) < DIGEST_COLLECT_MAX) json_array_append(list, item);
}

static bool case_in_scope(int64_t scope, const ow_case_view *r) {
    return !scope || r->dept_id == scope || r->intake_org_id == scope ||
           r->intake_scope_id == scope;
}

static int light_one(void *arg, const ow_case_view *r) {
    light_walk *w = arg;
    if (!case_in_scope(w->scope, r)) return OW_OK;
    ow_light l;
    int left;
    int32_t start = r->clock_start != OW_DATE_NONE ? r->clock_start : r->received_date;
    int32_t due = r->paused ? OW_DATE_NONE : r->due_date;
    int rc = light_eval(w->cx, &w->wd, &w->rule, start, due, w->today, &l, &left);
    if (rc) return rc;
    w->totals[l]++;
    tally_add(w->cx->arena, &w->dept, r->dept_id, l);
    tally_add(w->cx->arena, &w->intake, r->intake_org_id, l);
    tally_add(w->cx->arena, &w->scope_org, r->intake_scope_id, l);
    bool listed = l != OW_LIGHT_GREEN && w->cases && (int)json_array_size(w->cases) < w->max_cases;
    bool fresh =
        w->digest && r->received_date != OW_DATE_NONE && r->received_date >= w->digest->new_from;
    digest_bucket *b = NULL;
    if (w->digest) { /* one office's digest (scope) or one per department (the sweep) */
        b = bucket_of(w->cx->arena, w->digest, w->digest->per_dept ? r->dept_id : w->scope);
        b->n[l]++;
        b->fresh += fresh;
    }
    /* the JSON only for cases some list shows: most open cases are green and old */
    if (!listed && !(w->digest && (fresh || l != OW_LIGHT_GREEN))) return OW_OK;
    json_t *c =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:i,s:s,s:I}", "id", (json_int_t)r->id, "case_no",
                  r->case_no, "item_name", r->item_name, "state", r->state, "channel", r->channel,
                  "received_date", ow_json_date(r->received_date), "due_date", ow_json_date(due),
                  "days_left", left, "light", ow_light_name(l), "dept_id", (json_int_t)r->dept_id);
    if (listed) json_array_append(w->cases, c);
    if (b) {
        if (fresh) append_capped(b->fresh_cases, c);
        if (l == OW_LIGHT_YELLOW) append_capped(b->due_soon, c);
        if (l == OW_LIGHT_RED) append_capped(b->overdue, c);
    }
    json_decref(c);
    return OW_OK;
}

/* The tallies as [{id, name, kind, green, yellow, red}], only offices of `kind`. */
static json_t *tallies_json(ow_ctx *cx, const tallies *t, const char *kind) {
    json_t *out = json_array();
    for (int i = 0; i < t->len; i++) {
        const char *name, *k;
        bool found;
        if (ow_supervision_store_org(cx->db, t->v[i].id, cx->arena, &name, &k, &found, &cx->err))
            break;
        if (found && (!kind || !strcmp(k, kind)))
            json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:i,s:i,s:i}", "id",
                                                 (json_int_t)t->v[i].id, "name", name, "kind", k,
                                                 "green", t->v[i].n[0], "yellow", t->v[i].n[1],
                                                 "red", t->v[i].n[2]));
    }
    return out;
}

static int walk_lights(ow_ctx *cx, int64_t scope, int max_cases, light_walk *w) {
    memset(w, 0, sizeof *w);
    w->cx = cx;
    w->rule = rule_of(cx);
    w->today = ow_sup_today(cx);
    w->scope = scope;
    w->max_cases = max_cases;
    w->cases = json_array();
    wd_build(cx, w->today - 400, w->today + 400, &w->wd);
    int rc = ow_cases_each_open_in(cx, scope, light_one, w);
    if (rc) {
        json_decref(w->cases);
        w->cases = NULL;
    }
    return rc;
}

int ow_supervision_lights_json(ow_ctx *cx, json_t **out) {
    int64_t scope;
    int rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    light_walk w;
    if ((rc = walk_lights(cx, scope, 200, &w))) return rc;
    *out = json_pack("{s:{s:i,s:i,s:i},s:o,s:o,s:o,s:o,s:{s:i,s:i}}", "totals", "green",
                     w.totals[0], "yellow", w.totals[1], "red", w.totals[2], "by_department",
                     tallies_json(cx, &w.dept, "department"), "by_window",
                     tallies_json(cx, &w.intake, "window"), "by_township",
                     tallies_json(cx, &w.scope_org, "township"), "cases", w.cases, "rule",
                     "warn_days", w.rule.warn_days, "warn_percent", w.rule.warn_percent);
    return OW_OK;
}

/* The index hands the open cases over sorted by state, due date and clock start, so
 * neighbours mostly share both dates: the previous pair's light is reused. */
typedef struct deadline_walk {
    light_walk w;
    int32_t start, due;
    ow_light l;
    bool have;
} deadline_walk;

static int deadline_one(void *arg, int32_t start, int32_t due) {
    deadline_walk *d = arg;
    if (!d->have || start != d->start || due != d->due) {
        int left;
        int rc = light_eval(d->w.cx, &d->w.wd, &d->w.rule, start, due, d->w.today, &d->l, &left);
        if (rc) return rc;
        d->start = start;
        d->due = due;
        d->have = true;
    }
    d->w.totals[d->l]++;
    return OW_OK;
}

int ow_supervision_light_counts(ow_ctx *cx, int64_t scope, int counts[3]) {
    /* the same evaluation as light_one, over each open case's two dates only */
    deadline_walk d;
    memset(&d, 0, sizeof d);
    d.w.cx = cx;
    d.w.rule = rule_of(cx);
    d.w.today = ow_sup_today(cx);
    wd_build(cx, d.w.today - 400, d.w.today + 400, &d.w.wd);
    int rc = ow_cases_each_open_deadline(cx, scope, deadline_one, &d);
    if (rc) return rc;
    memcpy(counts, d.w.totals, sizeof d.w.totals);
    return OW_OK;
}

/* ---------------- alerts and digests ---------------- */

/* Counts of what waits for an office (scope 0: everything). */
static int office_counts(ow_ctx *cx, int64_t scope, json_t *into) {
    static const char *const keys[OW_SUP_OFFICE_COUNTS] = {
        [OW_SUP_RECT_OPEN] = "rectifications_open",
        [OW_SUP_RECT_OVERDUE] = "rectifications_overdue",
        [OW_SUP_COMPLAINTS_OPEN] = "complaints_open",
        [OW_SUP_COMPLAINTS_OVERDUE] = "complaints_overdue",
        [OW_SUP_COMPLAINTS_UNASSIGNED] = "complaints_unassigned",
        [OW_SUP_NOTICES_OPEN] = "notices_open",
        [OW_SUP_NOTICES_OVERDUE] = "notices_overdue"};
    int counts[OW_SUP_OFFICE_COUNTS];
    int rc = ow_supervision_store_office_counts(cx->db, scope, ow_sup_today(cx), counts, &cx->err);
    if (rc) return rc;
    for (int i = 0; i < OW_SUP_OFFICE_COUNTS; i++)
        json_object_set_new(into, keys[i], json_integer(counts[i]));
    return OW_OK;
}

/* A list row as a JSON object named by its columns: a column named *_date holds a day
 * number and becomes YYYY-MM-DD (or null), integers stay integers, the rest text. */
static int row_json(void *arg, const ow_sup_cell *cells, int n) {
    json_t *o = json_object();
    for (int i = 0; i < n; i++) {
        const ow_sup_cell *c = &cells[i];
        size_t len = strlen(c->name);
        json_t *v;
        if (c->kind == OW_SUP_CELL_NULL)
            v = json_null();
        else if (len > 5 && !strcmp(c->name + len - 5, "_date"))
            v = ow_json_date((int32_t)c->i);
        else if (c->kind == OW_SUP_CELL_INT)
            v = json_integer(c->i);
        else
            v = json_string(c->s);
        json_object_set_new(o, c->name, v);
    }
    json_array_append_new(arg, o);
    return OW_OK;
}

/* What waits for an office besides its cases, most urgent first: open 督办 notices,
 * rectifications not closed, complaints not answered.  soon is the last day counted as
 * "due soon" for complaints (complaints_due_soon). */
static int office_lists(ow_ctx *cx, int64_t scope, int32_t soon, int max, json_t *into) {
    static const ow_sup_list lists[] = {OW_SUP_LIST_NOTICES, OW_SUP_LIST_NOTICES_REPLIED,
                                        OW_SUP_LIST_RECTIFICATIONS, OW_SUP_LIST_COMPLAINTS};
    const char *keys[] = {"notices", "notices_replied", "rectifications", "complaints"};
    int32_t today = ow_sup_today(cx);
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        json_t *list = json_array();
        int rc = ow_supervision_store_office_list(cx->db, lists[i], scope, today, soon, max,
                                                  row_json, list, &cx->err);
        if (rc) {
            json_decref(list);
            return rc;
        }
        json_object_set_new(into, keys[i], list);
    }
    return OW_OK;
}

/* Complaints not answered whose deadline is within the warning threshold. */
static int complaints_due_soon(ow_ctx *cx, int64_t scope, int32_t soon, int *n) {
    return ow_supervision_store_complaints_due_soon(cx->db, scope, ow_sup_today(cx), soon, n,
                                                    &cx->err);
}

static int by_days_left(const void *a, const void *b) {
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t dx = json_integer_value(json_object_get(x, "days_left")),
               dy = json_integer_value(json_object_get(y, "days_left"));
    if (dx != dy) return dx < dy ? -1 : 1;
    json_int_t ix = json_integer_value(json_object_get(x, "id")),
               iy = json_integer_value(json_object_get(y, "id"));
    return ix < iy ? -1 : ix > iy;
}

static int by_newest(const void *a, const void *b) {
    json_int_t ix = json_integer_value(json_object_get(*(json_t *const *)a, "id")),
               iy = json_integer_value(json_object_get(*(json_t *const *)b, "id"));
    return ix > iy ? -1 : ix < iy;
}

/* A new array of the first max of list in cmp's order (list is left as it is). */
static json_t *sorted_first(ow_ctx *cx, json_t *list, size_t max,
                            int (*cmp)(const void *, const void *)) {
    size_t n = json_array_size(list);
    json_t **v = ow_alloc(cx->arena, (n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_array_get(list, i);
    qsort(v, n, sizeof *v, cmp);
    json_t *out = json_array();
    for (size_t i = 0; i < n && i < max; i++)
        json_array_append(out, v[i]);
    return out;
}

/* The first max of list, ordered by days left (the most overdue first); takes list. */
static json_t *most_urgent(ow_ctx *cx, json_t *list, size_t max) {
    json_t *out = sorted_first(cx, list, max, by_days_left);
    json_decref(list);
    return out;
}

/* The last day a complaint counts as "due soon": warn_days working days from today. */
static int soon_day(ow_ctx *cx, int32_t *soon) {
    return ow_sup_add_workdays(cx, ow_sup_today(cx), rule_of(cx).warn_days, "date", soon);
}

#define ALERT_LIST_MAX 10

int ow_supervision_alerts_json(ow_ctx *cx, json_t **out) {
    int64_t scope;
    int rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    int32_t soon;
    if ((rc = soon_day(cx, &soon))) return rc;
    light_walk w;
    /* every red and yellow case up to a generous cap, then the most urgent first */
    if ((rc = walk_lights(cx, scope, 2000, &w))) return rc;
    json_t *o = json_pack("{s:i,s:i,s:i,s:o}", "green", w.totals[0], "yellow", w.totals[1], "red",
                          w.totals[2], "cases", most_urgent(cx, w.cases, 20));
    int n = 0;
    if ((rc = office_counts(cx, scope, o)) || (rc = complaints_due_soon(cx, scope, soon, &n)) ||
        (rc = office_lists(cx, scope, soon, ALERT_LIST_MAX, o))) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "complaints_due_soon", json_integer(n));
    json_object_set_new(
        o, "notices_replied",
        json_integer((json_int_t)json_array_size(json_object_get(o, "notices_replied"))));
    /* 依申请公开: the disclosure office sees its own agency's requests, supervisors all;
     * the lights are the disclosure module's (ow_dis_request_due_json) */
    json_t *info = json_null();
    bool discloser = !strcmp(cx->actor.role, "discloser");
    if (discloser || ow_sup_sees_all(&cx->actor)) {
        int counts[2];
        json_t *items;
        if ((rc = ow_dis_request_due_json(cx, discloser ? cx->actor.org_id : 0, ALERT_LIST_MAX,
                                          counts, &items))) {
            json_decref(o);
            return rc;
        }
        info = json_pack("{s:i,s:i,s:o}", "yellow", counts[0], "red", counts[1], "items", items);
    }
    json_object_set_new(o, "info_requests", info);
    *out = o;
    return OW_OK;
}

/* The last working day before today: cases received since then are "new" in the
 * morning's digest (Monday's digest names Friday's and the weekend's). */
static int32_t previous_workday(ow_ctx *cx, int32_t today) {
    for (int32_t d = today - 1; d > today - 30; d--) {
        bool work;
        ow_err e = {0};
        if (!cx->app || !cx->app->calendar || ow_cal_is_workday(cx->app->calendar, d, &work, &e))
            return today - 1;
        if (work) return d;
    }
    return today - 1;
}

/* One office's digest body from its bucket of cases. */
static int digest_body(ow_ctx *cx, const digest_bucket *b, int32_t day, int32_t new_from,
                       int32_t soon, json_t **out) {
    /* the newest new cases, the most overdue and the closest to their deadline first */
    json_t *body =
        json_pack("{s:o,s:o,s:{s:I,s:s},s:i,s:i,s:i,s:i,s:o,s:o,s:o}", "date", ow_json_date(day),
                  "new_from", ow_json_date(new_from), "org", "id", (json_int_t)b->id, "name",
                  b->id ? ow_sup_org_name(cx, b->id) : cx->app->cfg.center_name, "green", b->n[0],
                  "yellow", b->n[1], "red", b->n[2], "new", b->fresh, "new_cases",
                  sorted_first(cx, b->fresh_cases, DIGEST_LIST_MAX, by_newest), "due_soon",
                  sorted_first(cx, b->due_soon, DIGEST_LIST_MAX, by_days_left), "overdue",
                  sorted_first(cx, b->overdue, DIGEST_LIST_MAX, by_days_left));
    int n = 0;
    int rc = office_counts(cx, b->id, body);
    if (!rc) rc = complaints_due_soon(cx, b->id, soon, &n);
    if (!rc) rc = office_lists(cx, b->id, soon, DIGEST_LIST_MAX, body);
    if (rc) {
        json_decref(body);
        return rc;
    }
    json_object_set_new(body, "complaints_due_soon", json_integer(n));
    *out = body;
    return OW_OK;
}

static int walk_digest(ow_ctx *cx, int64_t scope, bool per_dept, digest_buckets *b, light_walk *w) {
    memset(b, 0, sizeof *b);
    b->per_dept = per_dept;
    b->new_from = previous_workday(cx, ow_sup_today(cx));
    memset(w, 0, sizeof *w);
    w->cx = cx;
    w->rule = rule_of(cx);
    w->today = ow_sup_today(cx);
    w->scope = scope;
    w->digest = b;
    wd_build(cx, w->today - 400, w->today + 400, &w->wd);
    int rc = ow_cases_each_open_in(cx, scope, light_one, w);
    if (rc) buckets_free(b);
    return rc;
}

static int write_digest(ow_ctx *cx, int64_t org, int32_t day, json_t *body) {
    char *s = json_dumps(body, JSON_COMPACT);
    int rc = ow_supervision_store_digest_insert(cx->db, org, day, ow_clock_now_ms(cx->clock), s,
                                                &cx->err);
    free(s);
    return rc;
}

/* Today's digest for every department with open cases, once a day, from one walk
 * over the open cases (the sweep runs on the writer: one walk, not one per office). */
static int write_digests(ow_ctx *cx, int *n) {
    *n = 0;
    int32_t today = ow_sup_today(cx);
    int done;
    int rc = ow_supervision_store_digests_on(cx->db, today, &done, &cx->err);
    if (rc) return rc;
    if (done) return OW_OK;
    int32_t soon;
    rc = soon_day(cx, &soon);
    if (rc) return rc;
    digest_buckets b;
    light_walk w;
    if ((rc = walk_digest(cx, 0, true, &b, &w))) return rc;
    json_decref(w.cases);
    for (int i = 0; i < b.len && !rc; i++) {
        if (!b.v[i].id) continue; /* a case without a department: nobody to send it to */
        json_t *body;
        rc = digest_body(cx, &b.v[i], today, b.new_from, soon, &body);
        if (rc) break;
        rc = write_digest(cx, b.v[i].id, today, body);
        json_decref(body);
        if (!rc) (*n)++;
    }
    buckets_free(&b);
    return rc;
}

int ow_supervision_digest_json(ow_ctx *cx, int64_t org_id, int32_t day, json_t **out) {
    int64_t scope;
    int rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    if (scope) {
        if (org_id && org_id != scope)
            return ow_err_set(&cx->err, OW_EFORBIDDEN, "org_id", "只能查看本单位的每日摘要");
    } else {
        scope = org_id; /* supervisors: a chosen department, or the whole center */
    }
    int32_t today = ow_sup_today(cx);
    bool now = day == OW_DATE_NONE; /* no date: today as it stands now */
    if (now) day = today;
    if (day > today) return ow_err_set(&cx->err, OW_EINVAL, "date", "不能查看未来日期的每日摘要");
    if (scope && !now) {
        int64_t made_at;
        bool made_at_null, found;
        const char *text;
        if ((rc = ow_supervision_store_digest_get(cx->db, scope, day, cx->arena, &made_at,
                                                  &made_at_null, &text, &found, &cx->err)))
            return rc;
        if (found) {
            json_t *body = json_loads(text, 0, NULL);
            if (!body) body = json_object();
            json_object_set_new(body, "made_at", ow_sup_time_json(made_at, made_at_null));
            json_object_set_new(body, "live", json_false());
            json_object_set_new(body, "date", ow_json_date(day));
            *out = body;
            return OW_OK;
        }
    }
    if (day != today)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "date",
                          "该日没有每日摘要（摘要每天早晨为有在办办件的部门生成）");
    /* today as it stands, or today before the morning sweep got to it: made now */
    int32_t soon;
    if ((rc = soon_day(cx, &soon))) return rc;
    digest_buckets b;
    light_walk w;
    if ((rc = walk_digest(cx, scope, false, &b, &w))) return rc;
    json_decref(w.cases);
    digest_bucket *mine = bucket_of(cx->arena, &b, scope); /* an office without open cases */
    rc = digest_body(cx, mine, today, b.new_from, soon, out);
    buckets_free(&b);
    if (rc) return rc;
    json_object_set_new(*out, "made_at", json_null());
    json_object_set_new(*out, "live", json_true());
    return OW_OK;
}

void ow_supervision_follow(ow_app *app, const ow_sweep_follower *f) {
    ow_followers_add(&app->sweep_followers, f);
}

int ow_supervision_sweep(ow_ctx *cx, ow_sweep_report *r) {
    memset(r, 0, sizeof *r);
    int rc = OW_OK;
    for (int i = 0; i < cx->app->sweep_followers.n && !rc; i++) {
        const ow_sweep_follower *f = cx->app->sweep_followers.v[i];
        int n = 0;
        rc = f->sweep(cx, &n);
        if (!strcmp(f->key, "complaints_escalated")) r->complaints_escalated += n;
    }
    if (!rc) rc = write_digests(cx, &r->digests_written);
    return rc;
}

/* ---------------- the ticker ---------------- */

struct ow_sup_ticker {
    ow_app *app;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    int period_s;
};

static int sweep_job(ow_db *db, void *arg, ow_err *e) {
    ow_app *app = arg;
    ow_arena *a = ow_arena_new(1 << 14);
    ow_ctx cx;
    ow_ctx_init_system(&cx, app, db, a);
    snprintf(cx.request_id, sizeof cx.request_id, "ticker");
    ow_sweep_report r;
    int rc = ow_supervision_sweep(&cx, &r);
    if (rc)
        *e = cx.err;
    else if (r.complaints_escalated || r.digests_written)
        ow_log_info("supervision sweep", "\"escalated\":%d,\"digests\":%d", r.complaints_escalated,
                    r.digests_written);
    ow_arena_free(a);
    return rc;
}

static void *ticker_main(void *arg) {
    struct ow_sup_ticker *t = arg;
    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        pthread_mutex_unlock(&t->mu);
        ow_err e = {0};
        if (ow_writer_run(t->app->writer, sweep_job, t->app, &e))
            ow_log_error("supervision sweep failed", "\"code\":%d,\"field\":\"%s\"", e.code,
                         e.field);
        pthread_mutex_lock(&t->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += t->period_s;
        while (!t->stop && pthread_cond_timedwait(&t->cv, &t->mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

int ow_supervision_ticker_start(ow_app *app, int period_s, ow_err *e) {
    struct ow_sup_ticker *t = calloc(1, sizeof *t);
    if (!t) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    t->app = app;
    t->period_s = period_s;
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    if (pthread_create(&t->thread, NULL, ticker_main, t)) {
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->cv);
        free(t);
        return ow_err_set(e, OW_EINTERNAL, "", "无法启动电子监察定时任务");
    }
    app->sup_ticker = t;
    return OW_OK;
}

void ow_supervision_ticker_stop(ow_app *app) {
    struct ow_sup_ticker *t = app->sup_ticker;
    if (!t) return;
    pthread_mutex_lock(&t->mu);
    t->stop = true;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    free(t);
    app->sup_ticker = NULL;
}
