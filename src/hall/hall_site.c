/* hall_site.c — the halls themselves: opening hours, what the hall's files share
 * (hall_int.h), the public view of a hall, its window groups and the key of its ticket
 * machines, and the hall's set-up at start (ow_hall_setup). */
#include "hall/hall_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/workdays.h"
#include "supervision/supervision.h"

/* ---------------- the clock ---------------- */

void hall_now(const ow_ctx *cx, hall_clock *c) {
    c->ms = ow_clock_now_ms(cx->clock);
    c->today = ow_date_today_shanghai(c->ms);
    ow_date_format(c->today, c->day);
    int64_t s = c->ms / 1000 + 8 * 3600;
    c->minute = (int)((s % 86400) / 60);
}

int64_t hall_instant(int32_t d, int minute) {
    return ((int64_t)d * 86400 + (int64_t)minute * 60 - 8 * 3600) * 1000;
}

void hall_hhmm(int minute, char out[6]) {
    unsigned m = (unsigned)minute % (24 * 60 + 1); /* 24:00 is the end of a day */
    out[0] = (char)('0' + m / 600);
    out[1] = (char)('0' + m / 60 % 10);
    out[2] = ':';
    out[3] = (char)('0' + m % 60 / 10);
    out[4] = (char)('0' + m % 10);
    out[5] = '\0';
}

int hall_minutes(int64_t a, int64_t b) {
    if (!a || !b || b < a) return 0;
    return (int)((b - a + 30000) / 60000);
}

json_t *hall_time_json(int64_t ms) {
    if (!ms) return json_null();
    char t[32];
    ow_time_format_iso(ms, t);
    return json_string(t);
}

const char *hall_weekday_name(int32_t d) {
    static const char *names[] = {"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"};
    int w = ow_date_weekday(d);
    return w >= 1 && w <= 7 ? names[w] : "";
}

/* ---------------- opening hours ---------------- */

static int parse_hhmm(const char *p, int *minute) {
    if (p[0] < '0' || p[0] > '2' || p[1] < '0' || p[1] > '9' || p[2] != ':' || p[3] < '0' ||
        p[3] > '5' || p[4] < '0' || p[4] > '9')
        return -1;
    int h = (p[0] - '0') * 10 + (p[1] - '0'), m = (p[3] - '0') * 10 + (p[4] - '0');
    if (h > 24 || (h == 24 && m)) return -1;
    *minute = h * 60 + m;
    return 0;
}

int ow_hall_hours_parse(const char *s, ow_hall_hours *out, ow_err *e) {
    memset(out, 0, sizeof *out);
    const char *p = s ? s : "";
    while (*p) {
        while (*p == ' ')
            p++;
        int a, b;
        if (out->n == OW_HALL_SESSIONS_MAX)
            return ow_err_set(e, OW_EINVAL, "hall_hours", "营业时间最多分 %d 段",
                              OW_HALL_SESSIONS_MAX);
        if (strlen(p) < 11 || parse_hhmm(p, &a) || p[5] != '-' || parse_hhmm(p + 6, &b))
            return ow_err_set(e, OW_EINVAL, "hall_hours",
                              "营业时间应写成 08:30-12:00,14:30-17:30 这样的时段，而不是“%s”", s);
        if (a % OW_HALL_SLOT_MIN || b % OW_HALL_SLOT_MIN)
            return ow_err_set(e, OW_EINVAL, "hall_hours", "营业时间应从整点或半点开始和结束");
        if (b <= a || (out->n && a < out->end[out->n - 1]))
            return ow_err_set(e, OW_EINVAL, "hall_hours",
                              "营业时间的各时段应按先后顺序排列，且不能为空或重叠");
        out->start[out->n] = a;
        out->end[out->n] = b;
        out->n++;
        p += 11;
        while (*p == ' ')
            p++;
        if (*p == ',') {
            p++;
            while (*p == ' ')
                p++;
            if (!*p)
                return ow_err_set(e, OW_EINVAL, "hall_hours", "营业时间的逗号后应还有一个时段");
        } else if (*p)
            return ow_err_set(e, OW_EINVAL, "hall_hours", "营业时间的各时段之间用逗号分隔");
    }
    if (!out->n) return ow_err_set(e, OW_EINVAL, "hall_hours", "营业时间不能为空");
    return OW_OK;
}

int hall_hours(ow_ctx *cx, ow_hall_hours *h) {
    return ow_hall_hours_parse(cx->app->cfg.hall_hours, h, &cx->err);
}

int hall_session_at(const ow_hall_hours *h, int minute) {
    for (int i = 0; i < h->n; i++)
        if (minute >= h->start[i] && minute < h->end[i]) return i;
    return -1;
}

bool hall_slot_valid(const ow_hall_hours *h, int slot) {
    if (slot % OW_HALL_SLOT_MIN) return false;
    for (int i = 0; i < h->n; i++)
        if (slot >= h->start[i] && slot + OW_HALL_SLOT_MIN <= h->end[i]) return true;
    return false;
}

int hall_workday(ow_ctx *cx, int32_t d, const char *field, bool *work, bool *provisional) {
    return ow_calendar_is_workday(cx, d, field, work, provisional);
}

int hall_open_now(ow_ctx *cx, const hall_clock *now, hall_open *out) {
    memset(out, 0, sizeof *out);
    out->session = -1;
    ow_hall_hours h;
    int rc = hall_hours(cx, &h);
    if (!rc) rc = hall_workday(cx, now->today, "date", &out->workday, NULL);
    if (rc) return rc;
    if (!out->workday) {
        snprintf(out->why, sizeof out->why, "今天不是工作日，大厅不办公");
        return OW_OK;
    }
    int stop = cx->app->cfg.ticket_stop_min;
    out->session = hall_session_at(&h, now->minute);
    char t[6];
    if (out->session >= 0) {
        int last = h.end[out->session] - stop;
        if (now->minute < last) {
            out->issuing = true;
            return OW_OK;
        }
    }
    /* closed now: say when tickets are issued next today, or that the day is over */
    for (int i = 0; i < h.n; i++)
        if (h.start[i] > now->minute) {
            hall_hhmm(h.start[i], t);
            snprintf(out->why, sizeof out->why, "现在不是办公时间，%s 开始取号", t);
            return OW_OK;
        }
    snprintf(out->why, sizeof out->why, "今日取号已结束，请于下一个工作日再来");
    return OW_OK;
}

/* ---------------- who and where ---------------- */

bool hall_is_person(const ow_actor *a) {
    return a->user_id > 0 && (!strcmp(a->kind, "citizen") || !strcmp(a->kind, "enterprise"));
}

bool hall_sees_all(const ow_actor *a) {
    return ow_sup_sees_all(a);
}

bool hall_is_clerk(const ow_actor *a) {
    return a->user_id > 0 && !strcmp(a->role, "clerk");
}

static bool is_hall_kind(const char *kind) {
    return !strcmp(kind, "center") || !strcmp(kind, "township");
}

int hall_site(ow_ctx *cx, const char *code, const char *field, ow_hall_org *site) {
    if (!code || !*code) return ow_err_set(&cx->err, OW_EINVAL, field, "请指定办事大厅");
    int rc = ow_hall_store_org_by_code(cx->db, code, site, &cx->err);
    if (rc == OW_ENOTFOUND || (!rc && (!site->active || !is_hall_kind(site->kind))))
        return ow_err_set(&cx->err, OW_ENOTFOUND, field, "办事大厅“%s”不存在", code);
    return rc;
}

int hall_site_of_org(ow_ctx *cx, int64_t org_id, ow_hall_org *site) {
    ow_hall_org o;
    int rc = ow_hall_store_org(cx->db, org_id, &o, &cx->err);
    if (rc) return rc;
    if (is_hall_kind(o.kind)) {
        *site = o;
        return OW_OK;
    }
    if (!strcmp(o.kind, "window") && o.parent_id)
        return ow_hall_store_org(cx->db, o.parent_id, site, &cx->err);
    return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "所在机构不是办事大厅的窗口");
}

int hall_actor_window(ow_ctx *cx, ow_hall_org *window, ow_hall_org *site) {
    if (!hall_is_clerk(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有窗口工作人员可以叫号");
    int rc = ow_hall_store_org(cx->db, cx->actor.org_id, window, &cx->err);
    if (rc) return rc;
    if (strcmp(window->kind, "window") && strcmp(window->kind, "township"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "所在机构不是办事大厅的窗口");
    return hall_site_of_org(cx, window->id, site);
}

int hall_staff_site(ow_ctx *cx, const char *code, ow_hall_org *site) {
    if (hall_sees_all(&cx->actor)) {
        if (code && *code) return hall_site(cx, code, "site", site);
        int rc = ow_hall_store_org_by_code(cx->db, "C00", site, &cx->err);
        if (rc != OW_ENOTFOUND) return rc;
        return ow_err_set(&cx->err, OW_EINVAL, "site", "请指定办事大厅");
    }
    if (strcmp(cx->actor.kind, "staff") || cx->actor.user_id <= 0)
        return ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                          "只有办事大厅的工作人员可以查看");
    int rc = hall_site_of_org(cx, cx->actor.org_id, site);
    if (rc) return rc;
    if (code && *code && strcmp(code, site->code))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "site", "只能查看本大厅的情况");
    return OW_OK;
}

int hall_audit(ow_ctx *cx, const char *action, const char *object_type, int64_t id,
               json_t *detail) {
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    int rc = ow_audit_append(cx, action, object_type, ids, detail);
    json_decref(detail);
    return rc;
}

const char *hall_ticket_state_name(const char *s) {
    static const char *const names[][2] = {
        {"waiting", "等候中"},   {"called", "已叫号"},    {"serving", "办理中"}, {"done", "已办结"},
        {"no_show", "过号未到"}, {"cancelled", "已取消"}, {"expired", "已失效"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i][0])) return names[i][1];
    return s;
}

const char *hall_appt_state_name(const char *s) {
    static const char *const names[][2] = {
        {"booked", "已预约"},
        {"checked_in", "已签到"},
        {"cancelled", "已取消"},
        {"no_show", "爽约"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i][0])) return names[i][1];
    return s;
}

const char *hall_pause_reason_name(const char *s) {
    static const char *const names[][2] = {
        {"break", "临时休息"},    {"meeting", "参加会议"}, {"system", "系统故障"},
        {"business", "业务会商"}, {"other", "其他原因"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i][0])) return names[i][1];
    return NULL;
}

/* ---------------- groups now ---------------- */

typedef struct groups_acc {
    hall_group_now *v;
    int n, max;
} groups_acc;

static int add_group(void *arg, const ow_hall_group *g) {
    groups_acc *a = arg;
    if (a->n < a->max) a->v[a->n++] = (hall_group_now){.g = *g};
    return 0;
}

static hall_group_now *find_group(groups_acc *a, int64_t id) {
    for (int i = 0; i < a->n; i++)
        if (a->v[i].g.id == id) return &a->v[i];
    return NULL;
}

static int add_waiting(void *arg, int64_t group, int n) {
    hall_group_now *g = find_group(arg, group);
    if (g) g->waiting = n;
    return 0;
}

static int add_open(void *arg, int64_t group, int n) {
    hall_group_now *g = find_group(arg, group);
    if (g) g->windows_open = n;
    return 0;
}

static int add_window(void *arg, int64_t group, int64_t org, const char *code, const char *name) {
    (void)org, (void)code, (void)name;
    hall_group_now *g = find_group(arg, group);
    if (g) g->windows++;
    return 0;
}

int hall_groups_now(ow_ctx *cx, int64_t site, const char *day, hall_group_now *out, int max, int *n,
                    const int64_t *oldest_of, int noldest) {
    groups_acc a = {out, 0, max};
    int rc = ow_hall_store_each_group(cx->db, site, true, add_group, &a, &cx->err);
    if (!rc) rc = ow_hall_store_each_waiting(cx->db, site, day, add_waiting, &a, &cx->err);
    for (int i = 0; !rc && i < a.n; i++) {
        bool want = !oldest_of;
        for (int j = 0; !want && j < noldest; j++)
            want = oldest_of[j] == out[i].g.id;
        if (want && out[i].waiting > 0)
            rc = ow_hall_store_oldest_waiting(cx->db, out[i].g.id, day, &out[i].oldest, &cx->err);
    }
    if (!rc) rc = ow_hall_store_each_open_windows(cx->db, site, add_open, &a, &cx->err);
    if (!rc) rc = ow_hall_store_each_group_window(cx->db, site, add_window, &a, &cx->err);
    *n = a.n;
    return rc;
}

int hall_estimate(ow_ctx *cx, const ow_hall_group *g, const char *day, int ahead, int windows_open,
                  int *minutes) {
    int n;
    int64_t mean;
    int rc = ow_hall_store_service_mean(cx->db, g->id, day, &n, &mean, &cx->err);
    if (rc) return rc;
    double per = n >= 3 ? (double)mean / 60000.0 : (double)g->service_min;
    if (per < 1) per = 1;
    int windows = windows_open > 0 ? windows_open : 1;
    double m = (double)ahead * per / windows;
    *minutes = (int)(m + 0.999);
    return OW_OK;
}

/* ---------------- the public view ---------------- */

static json_t *hours_json(const ow_hall_hours *h) {
    json_t *a = json_array();
    for (int i = 0; i < h->n; i++) {
        char s[6], e[6];
        hall_hhmm(h->start[i], s);
        hall_hhmm(h->end[i], e);
        json_array_append_new(a, json_pack("{s:s,s:s}", "start", s, "end", e));
    }
    return a;
}

static json_t *group_brief(const ow_hall_group *g) {
    return json_pack("{s:I,s:s,s:s,s:s,s:b}", "id", (json_int_t)g->id, "letter", g->letter, "name",
                     g->name, "note", g->note, "bookable", g->slot_capacity > 0);
}

static json_t *site_brief(const ow_hall_org *s) {
    return json_pack("{s:s,s:s,s:s,s:s}", "code", s->code, "name", s->name, "kind", s->kind,
                     "address", s->address);
}

typedef struct sites_acc {
    ow_ctx *cx;
    json_t *out;
    const hall_clock *now;
} sites_acc;

static int add_group_json(void *arg, const ow_hall_group *g) {
    json_array_append_new(arg, group_brief(g));
    return 0;
}

static int add_site(void *arg, const ow_hall_org *s) {
    sites_acc *a = arg;
    json_t *o = site_brief(s), *groups = json_array();
    int rc = ow_hall_store_each_group(a->cx->db, s->id, true, add_group_json, groups, &a->cx->err);
    if (rc) {
        json_decref(o);
        json_decref(groups);
        return rc;
    }
    json_object_set_new(o, "groups", groups);
    json_array_append_new(a->out, o);
    return 0;
}

int ow_hall_sites_json(ow_ctx *cx, json_t **out) {
    hall_clock now;
    hall_now(cx, &now);
    ow_hall_hours h;
    hall_open open;
    int rc = hall_hours(cx, &h);
    if (!rc) rc = hall_open_now(cx, &now, &open);
    if (rc) return rc;
    sites_acc a = {cx, json_array(), &now};
    if ((rc = ow_hall_store_each_hall(cx->db, add_site, &a, &cx->err))) {
        json_decref(a.out);
        return rc;
    }
    *out = json_pack("{s:o,s:o,s:s,s:b,s:s}", "halls", a.out, "hours", hours_json(&h), "today",
                     now.day, "issuing", open.issuing, "closed_reason", open.why);
    return OW_OK;
}

int ow_hall_site_json(ow_ctx *cx, const char *code, json_t **out) {
    ow_hall_org site;
    hall_clock now;
    hall_now(cx, &now);
    ow_hall_hours h;
    hall_open open;
    int rc = hall_site(cx, code, "code", &site);
    if (!rc) rc = hall_hours(cx, &h);
    if (!rc) rc = hall_open_now(cx, &now, &open);
    if (rc) return rc;
    hall_group_now g[HALL_GROUPS_MAX];
    int n;
    static const int64_t none[1] = {0}; /* the public view shows no longest wait */
    if ((rc = hall_groups_now(cx, site.id, now.day, g, HALL_GROUPS_MAX, &n, none, 0))) return rc;
    json_t *groups = json_array();
    int waiting = 0;
    for (int i = 0; i < n; i++) {
        int est;
        if ((rc = hall_estimate(cx, &g[i].g, now.day, g[i].waiting, g[i].windows_open, &est))) {
            json_decref(groups);
            return rc;
        }
        json_t *o = group_brief(&g[i].g);
        json_object_set_new(o, "waiting", json_integer(g[i].waiting));
        json_object_set_new(o, "windows", json_integer(g[i].windows));
        json_object_set_new(o, "windows_open", json_integer(g[i].windows_open));
        json_object_set_new(o, "wait_min", json_integer(est));
        json_array_append_new(groups, o);
        waiting += g[i].waiting;
    }
    *out = json_pack("{s:o,s:o,s:s,s:s,s:b,s:b,s:s,s:o,s:i}", "site", site_brief(&site), "hours",
                     hours_json(&h), "today", now.day, "weekday", hall_weekday_name(now.today),
                     "workday", open.workday, "issuing", open.issuing, "closed_reason", open.why,
                     "groups", groups, "waiting", waiting);
    return OW_OK;
}

/* ---------------- settings ---------------- */

static bool may_administer(const ow_actor *a) {
    return a->system || (a->user_id > 0 && !strcmp(a->role, "admin"));
}

typedef struct settings_acc {
    json_t *groups; /* by id order of discovery */
} settings_acc;

static json_t *group_by_id(json_t *groups, int64_t id) {
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) {
        if (json_integer_value(json_object_get(g, "id")) == id) return g;
    }
    return NULL;
}

static int settings_group(void *arg, const ow_hall_group *g) {
    json_t *o =
        json_pack("{s:I,s:s,s:s,s:s,s:i,s:i,s:b,s:b,s:i,s:[],s:[]}", "id", (json_int_t)g->id,
                  "letter", g->letter, "name", g->name, "note", g->note, "slot_capacity",
                  g->slot_capacity, "service_min", g->service_min, "is_default", g->is_default,
                  "active", g->active, "sort", g->sort, "windows", "departments");
    json_array_append_new(((settings_acc *)arg)->groups, o);
    return 0;
}

static int settings_pair(void *arg, int64_t group, int64_t org, const char *code, const char *name,
                         const char *key) {
    json_t *g = group_by_id(((settings_acc *)arg)->groups, group);
    if (g)
        json_array_append_new(
            json_object_get(g, key),
            json_pack("{s:I,s:s,s:s}", "id", (json_int_t)org, "code", code, "name", name));
    return 0;
}

static int settings_window(void *arg, int64_t group, int64_t org, const char *code,
                           const char *name) {
    return settings_pair(arg, group, org, code, name, "windows");
}

static int settings_dept(void *arg, int64_t group, int64_t org, const char *code,
                         const char *name) {
    return settings_pair(arg, group, org, code, name, "departments");
}

static int site_window_json(void *arg, const ow_hall_org *w) {
    json_array_append_new(
        arg, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)w->id, "code", w->code, "name", w->name));
    return 0;
}

int ow_hall_settings_json(ow_ctx *cx, const char *code, json_t **out) {
    if (!hall_sees_all(&cx->actor))
        return ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                          "只有管理员和监察人员可以查看大厅设置");
    ow_hall_org site;
    int rc = hall_site(cx, code, "code", &site);
    if (rc) return rc;
    settings_acc a = {json_array()};
    json_t *windows = json_array();
    char key_hash[65];
    int64_t key_at;
    rc = ow_hall_store_each_group(cx->db, site.id, false, settings_group, &a, &cx->err);
    if (!rc) rc = ow_hall_store_each_group_window(cx->db, site.id, settings_window, &a, &cx->err);
    if (!rc) rc = ow_hall_store_each_group_dept(cx->db, site.id, settings_dept, &a, &cx->err);
    if (!rc)
        rc = ow_hall_store_each_site_window(cx->db, &site, site_window_json, windows, &cx->err);
    if (!rc) rc = ow_hall_store_kiosk_key(cx->db, site.id, key_hash, &key_at, &cx->err);
    if (rc) {
        json_decref(a.groups);
        json_decref(windows);
        return rc;
    }
    ow_hall_hours h;
    if ((rc = hall_hours(cx, &h))) {
        json_decref(a.groups);
        json_decref(windows);
        return rc;
    }
    const ow_config *c = &cx->app->cfg;
    *out = json_pack("{s:o,s:o,s:o,s:o,s:{s:b,s:o},s:{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}}",
                     "site", site_brief(&site), "hours", hours_json(&h), "groups", a.groups,
                     "windows", windows, "kiosk_key", "issued", key_hash[0] != '\0', "issued_at",
                     hall_time_json(key_at), "rules", "booking_workdays", c->booking_workdays,
                     "booking_cutoff_min", c->booking_cutoff_min, "booking_daily_limit",
                     c->booking_daily_limit, "noshow_limit", c->noshow_limit, "noshow_window_days",
                     c->noshow_window_days, "noshow_block_days", c->noshow_block_days,
                     "checkin_early_min", c->checkin_early_min, "checkin_late_min",
                     c->checkin_late_min, "ticket_stop_min", c->ticket_stop_min);
    return OW_OK;
}

typedef struct window_check {
    const int64_t *ids;
    int n;
    bool *seen;
} window_check;

static int mark_window(void *arg, const ow_hall_org *w) {
    window_check *c = arg;
    for (int i = 0; i < c->n; i++)
        if (c->ids[i] == w->id) c->seen[i] = true;
    return 0;
}

static int check_group_in(ow_ctx *cx, const ow_hall_org *site, const ow_hall_group_in *in) {
    if (!in->letter || strlen(in->letter) != 1 || in->letter[0] < 'A' || in->letter[0] > 'Z')
        return ow_err_set(&cx->err, OW_EINVAL, "letter", "号码字母应为一个大写英文字母（A–Z）");
    if (in->letter[0] == 'I' || in->letter[0] == 'O')
        return ow_err_set(&cx->err, OW_EINVAL, "letter",
                          "号码字母不用 I 和 O，免得与数字 1 和 0 混淆");
    if (!in->name || !*in->name || ow_utf8_len(in->name) > 20)
        return ow_err_set(&cx->err, OW_EINVAL, "name", "业务类别名称应为 1 到 20 个字");
    if (in->note && ow_utf8_len(in->note) > OW_HALL_NOTE_MAX_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, "note", "说明最多 %d 个字", OW_HALL_NOTE_MAX_CHARS);
    if (in->slot_capacity < 0 || in->slot_capacity > 100)
        return ow_err_set(&cx->err, OW_EINVAL, "slot_capacity",
                          "每半小时可预约人数应在 0 到 100 之间");
    if (in->service_min < 1 || in->service_min > 240)
        return ow_err_set(&cx->err, OW_EINVAL, "service_min",
                          "每件平均办理时长应在 1 到 240 分钟之间");
    if (in->nwindows < 1)
        return ow_err_set(&cx->err, OW_EINVAL, "windows", "请至少选择一个叫号窗口");
    if (in->nwindows > OW_HALL_GROUP_WINDOWS_MAX || in->ndepts > OW_HALL_GROUP_DEPTS_MAX)
        return ow_err_set(&cx->err, OW_EINVAL,
                          in->ndepts > OW_HALL_GROUP_DEPTS_MAX ? "departments" : "windows",
                          "所选过多");
    bool seen[OW_HALL_GROUP_WINDOWS_MAX] = {0};
    window_check c = {in->windows, in->nwindows, seen};
    int rc = ow_hall_store_each_site_window(cx->db, site, mark_window, &c, &cx->err);
    if (rc) return rc;
    for (int i = 0; i < in->nwindows; i++)
        if (!seen[i])
            return ow_err_set(&cx->err, OW_EINVAL, "windows", "第 %d 个窗口不属于本大厅", i + 1);
    for (int i = 0; i < in->ndepts; i++) {
        ow_hall_org d;
        rc = ow_hall_store_org(cx->db, in->depts[i], &d, &cx->err);
        if (rc == OW_ENOTFOUND || (!rc && strcmp(d.kind, "department")))
            return ow_err_set(&cx->err, OW_EINVAL, "departments", "第 %d 个部门不存在", i + 1);
        if (rc) return rc;
    }
    return OW_OK;
}

int ow_hall_group_save(ow_ctx *cx, const char *code, int64_t id, const ow_hall_group_in *in,
                       int64_t *out_id) {
    if (!may_administer(&cx->actor))
        return ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                          "只有管理员可以设置大厅的业务类别");
    ow_hall_org site;
    int rc = hall_site(cx, code, "code", &site);
    if (!rc) rc = check_group_in(cx, &site, in);
    if (rc) return rc;
    ow_hall_group g = {.id = id,
                       .site_id = site.id,
                       .slot_capacity = in->slot_capacity,
                       .service_min = in->service_min,
                       .sort = in->sort,
                       .is_default = in->is_default,
                       .active = in->active};
    snprintf(g.letter, sizeof g.letter, "%s", in->letter);
    snprintf(g.name, sizeof g.name, "%s", in->name);
    snprintf(g.note, sizeof g.note, "%s", in->note ? in->note : "");
    if (id) {
        ow_hall_group old;
        rc = ow_hall_store_group(cx->db, id, &old, &cx->err);
        if (rc == OW_ENOTFOUND || (!rc && old.site_id != site.id))
            return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "本大厅没有这个业务类别");
        if (rc) return rc;
    }
    bool taken;
    if ((rc = ow_hall_store_letter_taken(cx->db, site.id, g.letter, id, &taken, &cx->err)))
        return rc;
    if (taken)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "letter_taken", "letter",
                           "本大厅已有字母为 %s 的业务类别", g.letter);
    int64_t now = ow_clock_now_ms(cx->clock);
    rc = id ? ow_hall_store_group_update(cx->db, &g, now, &cx->err)
            : ow_hall_store_group_insert(cx->db, &g, now, &g.id, &cx->err);
    if (!rc && g.is_default) rc = ow_hall_store_clear_default(cx->db, site.id, g.id, &cx->err);
    if (!rc)
        rc = ow_hall_store_set_group_windows(cx->db, g.id, in->windows, in->nwindows, &cx->err);
    if (!rc) rc = ow_hall_store_set_group_depts(cx->db, g.id, in->depts, in->ndepts, &cx->err);
    if (rc) return rc;
    *out_id = g.id;
    return hall_audit(cx, id ? "hall.group.update" : "hall.group.create", "hall_group", g.id,
                      json_pack("{s:s,s:s,s:s,s:i,s:b,s:i}", "site", site.code, "letter", g.letter,
                                "name", g.name, "slot_capacity", g.slot_capacity, "active",
                                g.active, "windows", in->nwindows));
}

int ow_hall_kiosk_key_new(ow_ctx *cx, const char *code, char key[OW_HALL_KIOSK_KEY_CHARS + 1]) {
    if (!may_administer(&cx->actor))
        return ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                          "只有管理员可以为取号机生成密钥");
    ow_hall_org site;
    int rc = hall_site(cx, code, "code", &site);
    if (rc) return rc;
    char token[44], hash[65];
    ow_random_token(token);
    ow_token_hash(token, hash);
    if ((rc = ow_hall_store_set_kiosk_key(cx->db, site.id, hash, ow_clock_now_ms(cx->clock),
                                          &cx->err)))
        return rc;
    memcpy(key, token, OW_HALL_KIOSK_KEY_CHARS);
    key[OW_HALL_KIOSK_KEY_CHARS] = '\0';
    return hall_audit(cx, "hall.kiosk_key", "hall", site.id, json_pack("{s:s}", "site", site.code));
}

/* ---------------- set-up ---------------- */

static const ow_calendar_follower CALENDAR_FOLLOWER = {"cancelled_appointments",
                                                       ow_hall_calendar_changed, NULL};
static const ow_sweep_follower SWEEP_FOLLOWER = {"hall", ow_hall_sweep};

int ow_hall_setup(ow_app *app, ow_err *e) {
    ow_hall_hours h;
    int rc = ow_hall_hours_parse(app->cfg.hall_hours, &h, e);
    if (rc) return rc;
    ow_calendar_follow(app, &CALENDAR_FOLLOWER);
    ow_supervision_follow(app, &SWEEP_FOLLOWER);
    return OW_OK;
}
