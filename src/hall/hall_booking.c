/* hall_booking.c — appointments (预约): the bookable half hours, booking, moving and
 * cancelling up to the cut-off, the daily limit per person, no-shows and the block they
 * bring, and what a change of the legal calendar does to booked days.
 *
 * Every rule reads its number from the settings (README.md "Configuration"): how many
 * working days ahead (booking_workdays), the cut-off (booking_cutoff_min), the limit
 * per person and day (booking_daily_limit), the check-in window (checkin_early_min,
 * checkin_late_min) and the no-show rule (noshow_limit no-shows within
 * noshow_window_days block online booking for noshow_block_days).  Capacity is per
 * window group and half hour (hall_groups.slot_capacity); a place is held by an
 * appointment booked, checked in or missed — a cancelled one gives it back.  Writes run
 * on the writer, one at a time, so counting and inserting in one transaction cannot
 * overbook a half hour. */
#include "hall/hall_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "catalog/catalog_cases.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/json.h"
#include "core/workdays.h"

#define WALK_DAYS_MAX 62 /* calendar days looked at to find booking_workdays working days */

/* ---------------- items and their groups ---------------- */

static bool has_level(json_t *levels, const char *level) {
    size_t i;
    json_t *v;
    json_array_foreach(levels, i, v) {
        if (json_is_string(v) && !strcmp(json_string_value(v), level)) return true;
    }
    return false;
}

int hall_item_group(ow_ctx *cx, const ow_hall_org *site, int64_t item_id, bool booking,
                    ow_hall_group *group, char *item_name, size_t name_size) {
    json_t *guide = NULL;
    int rc = ow_catalog_guide_shared(cx, item_id, 0, &guide);
    if (rc == OW_ENOTFOUND)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "item_id", "事项不存在或未发布");
    if (rc) return rc;
    snprintf(item_name, name_size, "%s", json_string_value(json_object_get(guide, "name")));
    bool township = !strcmp(site->kind, "township");
    json_t *levels = json_object_get(guide, "levels");
    int64_t window = json_integer_value(json_object_get(json_object_get(guide, "window"), "id"));
    int64_t dept = json_integer_value(json_object_get(json_object_get(guide, "department"), "id"));
    int visits = (int)json_integer_value(json_object_get(guide, "visits"));
    bool flagged = json_is_true(json_object_get(guide, "appointment"));
    bool here = has_level(levels, township ? "township" : "district");
    json_decref(guide);
    if (!here)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "item_not_here", "item_id",
                           township
                               ? "该事项未下放到乡镇（街道）便民服务中心，请到区政务服务中心办理"
                               : "该事项不在区政务服务中心办理，请到乡镇（街道）便民服务中心办理");
    if (booking && visits == 0 && !flagged)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "item_online_only", "item_id",
                           "该事项可全程网上办理，无需到大厅，请直接在网上申请");
    int64_t gid = 0;
    if (window) rc = ow_hall_store_group_of_window(cx->db, site->id, window, &gid, &cx->err);
    if (!rc && !gid && dept)
        rc = ow_hall_store_group_of_dept(cx->db, site->id, dept, &gid, &cx->err);
    if (!rc && !gid) rc = ow_hall_store_default_group(cx->db, site->id, &gid, &cx->err);
    if (rc) return rc;
    if (!gid)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "no_group", "item_id",
                           "本大厅没有受理该事项的窗口，请咨询大厅工作人员");
    return ow_hall_store_group(cx->db, gid, group, &cx->err);
}

/* ---------------- days and slots ---------------- */

typedef struct book_day {
    int32_t d;
    char day[11];
    bool provisional;
} book_day;

/* The working days that can be booked from today; stops quietly at a year the calendar
 * does not know (nothing beyond it can be booked). */
static int bookable_days(ow_ctx *cx, const hall_clock *now, book_day *out, int max, int *n) {
    *n = 0;
    for (int32_t d = now->today; d < now->today + WALK_DAYS_MAX && *n < max; d++) {
        bool work, prov;
        int rc = hall_workday(cx, d, "day", &work, &prov);
        if (rc == OW_EINVAL && !strcmp(cx->err.kind, "calendar_year_missing")) {
            memset(&cx->err, 0, sizeof cx->err);
            break;
        }
        if (rc) return rc;
        if (!work) continue;
        out[*n].d = d;
        out[*n].provisional = prov;
        ow_date_format(d, out[*n].day);
        (*n)++;
    }
    return OW_OK;
}

static int64_t slot_start_ms(const char *day, int slot) {
    int32_t d;
    if (ow_date_parse(day, &d)) return 0;
    return hall_instant(d, slot);
}

static bool before_cutoff(ow_ctx *cx, const char *day, int slot, int64_t now) {
    return now < slot_start_ms(day, slot) - (int64_t)cx->app->cfg.booking_cutoff_min * 60000;
}

typedef struct slot_counts {
    char days[32][11];
    int day_counts[32][48];
    int ndays;
} slot_counts;

static int take_count(void *arg, const char *day, int slot, int n) {
    slot_counts *c = arg;
    for (int i = 0; i < c->ndays; i++)
        if (!strcmp(c->days[i], day) && slot >= 0 && slot / OW_HALL_SLOT_MIN < 48)
            c->day_counts[i][slot / OW_HALL_SLOT_MIN] = n;
    return 0;
}

int ow_hall_slots_json(ow_ctx *cx, const char *code, int64_t item_id, int64_t group_id,
                       json_t **out) {
    ow_hall_org site;
    ow_hall_group g;
    char item_name[256] = "";
    int rc = hall_site(cx, code, "site", &site);
    if (rc) return rc;
    if (item_id) {
        rc = hall_item_group(cx, &site, item_id, true, &g, item_name, sizeof item_name);
    } else if (group_id) {
        rc = ow_hall_store_group(cx->db, group_id, &g, &cx->err);
        if (!rc && (g.site_id != site.id || !g.active))
            rc = ow_err_set(&cx->err, OW_ENOTFOUND, "group_id", "本大厅没有这个业务类别");
    } else {
        rc = ow_err_set(&cx->err, OW_EINVAL, "item_id", "请选择要办理的事项");
    }
    if (rc) return rc;
    hall_clock now;
    hall_now(cx, &now);
    ow_hall_hours h;
    book_day days[30];
    int nd;
    if ((rc = hall_hours(cx, &h)) ||
        (rc = bookable_days(cx, &now, days, cx->app->cfg.booking_workdays, &nd)))
        return rc;
    slot_counts *c = ow_alloc(cx->arena, sizeof *c);
    memset(c, 0, sizeof *c);
    c->ndays = nd;
    for (int i = 0; i < nd; i++)
        memcpy(c->days[i], days[i].day, 11);
    if (nd && (rc = ow_hall_store_each_slot_count(cx->db, g.id, days[0].day, days[nd - 1].day,
                                                  take_count, c, &cx->err)))
        return rc;
    json_t *jdays = json_array();
    for (int i = 0; i < nd; i++) {
        json_t *slots = json_array();
        int left_day = 0;
        for (int s = 0; s < 24 * 60; s += OW_HALL_SLOT_MIN) {
            if (!hall_slot_valid(&h, s)) continue;
            int taken = c->day_counts[i][s / OW_HALL_SLOT_MIN];
            int left = g.slot_capacity - taken;
            if (left < 0) left = 0;
            bool open = before_cutoff(cx, days[i].day, s, now.ms);
            char a[6], b[6];
            hall_hhmm(s, a);
            hall_hhmm(s + OW_HALL_SLOT_MIN, b);
            json_array_append_new(slots, json_pack("{s:i,s:s,s:s,s:i,s:i,s:b}", "slot", s, "start",
                                                   a, "end", b, "capacity", g.slot_capacity, "left",
                                                   left, "open", open && left > 0));
            if (open) left_day += left;
        }
        json_array_append_new(jdays,
                              json_pack("{s:s,s:s,s:b,s:i,s:o}", "date", days[i].day, "weekday",
                                        hall_weekday_name(days[i].d), "provisional",
                                        days[i].provisional, "left", left_day, "slots", slots));
    }
    *out = json_pack(
        "{s:{s:s,s:s,s:s},s:{s:I,s:s,s:s,s:b},s:o,s:o,s:{s:i,s:i,s:i}}", "site", "code", site.code,
        "name", site.name, "address", site.address, "group", "id", (json_int_t)g.id, "letter",
        g.letter, "name", g.name, "bookable", g.slot_capacity > 0, "item",
        item_id ? json_pack("{s:I,s:s}", "id", (json_int_t)item_id, "name", item_name)
                : json_null(),
        "days", jdays, "rules", "cutoff_min", cx->app->cfg.booking_cutoff_min, "daily_limit",
        cx->app->cfg.booking_daily_limit, "checkin_early_min", cx->app->cfg.checkin_early_min);
    return OW_OK;
}

/* ---------------- rules of a day and a half hour ---------------- */

/* day and slot are a half hour that can be booked now (working day, within the next
 * booking_workdays working days, within the opening hours, before the cut-off). */
static int check_when(ow_ctx *cx, const hall_clock *now, const char *day, int slot,
                      int32_t *d_out) {
    int32_t d;
    if (!day || ow_date_parse(day, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "day", "预约日期格式应为 YYYY-MM-DD");
    ow_hall_hours h;
    int rc = hall_hours(cx, &h);
    if (rc) return rc;
    if (!hall_slot_valid(&h, slot))
        return ow_err_set(&cx->err, OW_EINVAL, "slot", "请选择办公时间内的半小时时段");
    if (d < now->today)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "day_past", "day", "不能预约已经过去的日期");
    bool work;
    if ((rc = hall_workday(cx, d, "day", &work, NULL))) return rc;
    if (!work)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "not_workday", "day",
                           "%s 是法定节假日或休息日，大厅不办公，请选择工作日", day);
    book_day days[30];
    int nd;
    if ((rc = bookable_days(cx, now, days, cx->app->cfg.booking_workdays, &nd))) return rc;
    bool within = false;
    for (int i = 0; i < nd; i++)
        if (days[i].d == d) within = true;
    if (!within)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "day_out_of_range", "day",
                           "只能预约今天起 %d 个工作日内的时段", cx->app->cfg.booking_workdays);
    if (!before_cutoff(cx, day, slot, now->ms))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "too_late", "slot",
                           "该时段已截止预约（须在时段开始前 %d 分钟预约）",
                           cx->app->cfg.booking_cutoff_min);
    *d_out = d;
    return OW_OK;
}

static int check_place(ow_ctx *cx, const ow_hall_group *g, int64_t user, const char *day, int slot,
                       int64_t except) {
    int n;
    int rc = ow_hall_store_user_day_count(cx->db, user, day, except, &n, &cx->err);
    if (rc) return rc;
    if (n >= cx->app->cfg.booking_daily_limit)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "daily_limit", "day",
                           "每人每天最多预约 %d 次，%s 已约满", cx->app->cfg.booking_daily_limit,
                           day);
    if (g->slot_capacity <= 0)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "not_bookable", "item_id",
                           "“%s”暂不开放预约，可直接到大厅取号办理", g->name);
    if ((rc = ow_hall_store_slot_count(cx->db, g->id, day, slot, except, &n, &cx->err))) return rc;
    if (n >= g->slot_capacity)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "slot_full", "slot",
                           "该时段已约满，请选择其他时段");
    return OW_OK;
}

static int check_block(ow_ctx *cx, const hall_clock *now, int64_t user) {
    ow_hall_block b;
    bool found;
    int rc = ow_hall_store_block_active(cx->db, user, now->day, &b, &found, &cx->err);
    if (rc) return rc;
    if (found)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "booking_blocked", "",
                           "您近 %d 天内有 %d 次预约未到，%s 前暂停网上预约；"
                           "如有特殊情况请联系大厅工作人员",
                           cx->app->cfg.noshow_window_days, b.no_shows, b.until_day);
    return OW_OK;
}

/* ---------------- booking ---------------- */

static void new_code(char out[8]) {
    char tok[44];
    ow_random_token(tok);
    for (int i = 0; i < 6; i++)
        out[i] = (char)('0' + (unsigned char)tok[i] % 10);
    out[6] = '\0';
}

int ow_hall_book(ow_ctx *cx, const ow_hall_book_in *in, int64_t *id) {
    if (!hall_is_person(&cx->actor))
        return ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                          cx->actor.user_id > 0 ? "工作人员账号不能网上预约" : "请先登录后再预约");
    hall_clock now;
    hall_now(cx, &now);
    ow_hall_org site;
    ow_hall_group g;
    ow_hall_appt a = {0};
    int32_t d;
    int rc = hall_site(cx, in->site, "site", &site);
    if (!rc) rc = check_block(cx, &now, cx->actor.user_id);
    if (!rc)
        rc = hall_item_group(cx, &site, in->item_id, true, &g, a.item_name, sizeof a.item_name);
    if (!rc) rc = check_when(cx, &now, in->day, in->slot, &d);
    if (!rc) rc = check_place(cx, &g, cx->actor.user_id, in->day, in->slot, 0);
    if (!rc) rc = ow_account_holder_idx(cx, cx->actor.user_id, a.holder_idx);
    if (rc) return rc;
    for (int tries = 0;; tries++) {
        bool taken;
        new_code(a.code);
        if ((rc = ow_hall_store_code_taken(cx->db, site.id, in->day, a.code, &taken, &cx->err)))
            return rc;
        if (!taken) break;
        if (tries == 20) return ow_err_set(&cx->err, OW_EINTERNAL, "", "预约码生成失败，请重试");
    }
    a.site_id = site.id;
    a.group_id = g.id;
    a.item_id = in->item_id;
    a.user_id = cx->actor.user_id;
    snprintf(a.name, sizeof a.name, "%s", cx->actor.name);
    snprintf(a.day, sizeof a.day, "%s", in->day);
    a.slot = in->slot;
    a.created_at = now.ms;
    if ((rc = ow_hall_store_appt_insert(cx->db, &a, id, &cx->err))) return rc;
    char t[6];
    hall_hhmm(in->slot, t);
    return hall_audit(cx, "hall.appointment.book", "hall_appointment", *id,
                      json_pack("{s:s,s:s,s:s,s:s,s:I}", "site", site.code, "group", g.letter,
                                "day", in->day, "time", t, "item_id", (json_int_t)in->item_id));
}

/* ---------------- one appointment ---------------- */

static bool staff_of(ow_ctx *cx, int64_t site_id) {
    if (hall_sees_all(&cx->actor)) return true;
    if (strcmp(cx->actor.kind, "staff") || cx->actor.user_id <= 0) return false;
    ow_hall_org mine;
    ow_err keep = cx->err;
    bool ok = !hall_site_of_org(cx, cx->actor.org_id, &mine) && mine.id == site_id;
    cx->err = keep;
    return ok;
}

static int load_visible(ow_ctx *cx, int64_t id, ow_hall_appt *a, bool *owner) {
    int rc = ow_hall_store_appt(cx->db, id, a, &cx->err);
    if (rc) return rc;
    *owner = cx->actor.user_id > 0 && a->user_id == cx->actor.user_id;
    if (!*owner && !staff_of(cx, a->site_id))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "预约不存在");
    return OW_OK;
}

static json_t *appt_json(ow_ctx *cx, const ow_hall_appt *a, bool owner, bool staff) {
    hall_clock now;
    hall_now(cx, &now);
    int64_t start = slot_start_ms(a->day, a->slot);
    char t[6], e[6];
    hall_hhmm(a->slot, t);
    hall_hhmm(a->slot + OW_HALL_SLOT_MIN, e);
    int32_t d = OW_DATE_NONE;
    ow_date_parse(a->day, &d);
    bool open = !strcmp(a->state, "booked") && before_cutoff(cx, a->day, a->slot, now.ms);
    ow_hall_org site;
    ow_hall_group g;
    ow_err keep = cx->err;
    bool have_site = !ow_hall_store_org(cx->db, a->site_id, &site, &cx->err);
    bool have_group = !ow_hall_store_group(cx->db, a->group_id, &g, &cx->err);
    cx->err = keep;
    const ow_config *c = &cx->app->cfg;
    json_t *o = json_pack(
        "{s:I,s:s,s:{s:s,s:s,s:s},s:{s:I,s:s,s:s},s:{s:I,s:s},s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:i,"
        "s:b,s:b,s:o,s:o,s:o}",
        "id", (json_int_t)a->id, "code", a->code, "site", "code", have_site ? site.code : "",
        "name", have_site ? site.name : "", "address", have_site ? site.address : "", "group", "id",
        (json_int_t)a->group_id, "letter", have_group ? g.letter : "", "name",
        have_group ? g.name : "", "item", "id", (json_int_t)a->item_id, "name", a->item_name, "day",
        a->day, "weekday", hall_weekday_name(d), "slot", a->slot, "start", t, "end", e, "state",
        a->state, "state_name", hall_appt_state_name(a->state), "moves", a->moves, "can_cancel",
        owner ? open : (staff && !strcmp(a->state, "booked")), "can_move", owner && open,
        "checkin_from", hall_time_json(start - (int64_t)c->checkin_early_min * 60000),
        "checkin_until",
        hall_time_json(start + (int64_t)(OW_HALL_SLOT_MIN + c->checkin_late_min) * 60000),
        "booked_at", hall_time_json(a->created_at));
    if (a->cancel_reason[0]) json_object_set_new(o, "cancel_reason", json_string(a->cancel_reason));
    if (a->ticket_id) json_object_set_new(o, "ticket_id", json_integer(a->ticket_id));
    if (staff || owner) json_object_set_new(o, "name", json_string(a->name));
    return o;
}

int ow_hall_appointment_json(ow_ctx *cx, int64_t id, json_t **out) {
    ow_hall_appt a;
    bool owner;
    int rc = load_visible(cx, id, &a, &owner);
    if (rc) return rc;
    *out = appt_json(cx, &a, owner, !owner);
    return OW_OK;
}

int ow_hall_appointment_act(ow_ctx *cx, int64_t id, const ow_hall_appt_act *in) {
    ow_hall_appt a;
    bool owner;
    int rc = load_visible(cx, id, &a, &owner);
    if (rc) return rc;
    hall_clock now;
    hall_now(cx, &now);
    bool cancel = in->action && !strcmp(in->action, "cancel");
    bool move = in->action && !strcmp(in->action, "move");
    if (!cancel && !move)
        return ow_err_set(&cx->err, OW_EINVAL, "action", "操作应为 cancel（取消）或 move（改约）");
    if (strcmp(a.state, "booked"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action",
                           "该预约%s，不能再%s", hall_appt_state_name(a.state),
                           cancel ? "取消" : "改约");
    if (move && !owner)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "action", "只有预约人本人可以改约");
    if (owner && !before_cutoff(cx, a.day, a.slot, now.ms))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "too_late", "action",
                           "已过%s截止时间（预约时段开始前 %d 分钟）", cancel ? "取消" : "改约",
                           cx->app->cfg.booking_cutoff_min);
    if (cancel) {
        if (!owner && (!in->reason || !*in->reason))
            return ow_err_set(&cx->err, OW_EINVAL, "reason", "工作人员取消预约须写明原因");
        if ((rc = ow_hall_store_appt_state(cx->db, id, "cancelled", in->reason, cx->actor.user_id,
                                           now.ms, &cx->err)))
            return rc;
        return hall_audit(cx, "hall.appointment.cancel", "hall_appointment", id,
                          json_pack("{s:s,s:s,s:b}", "day", a.day, "reason",
                                    in->reason ? in->reason : "", "by_holder", owner));
    }
    if (in->day && !strcmp(in->day, a.day) && in->slot == a.slot)
        return ow_err_set(&cx->err, OW_EINVAL, "slot", "新的时段与原预约相同");
    ow_hall_group g;
    int32_t d;
    if ((rc = ow_hall_store_group(cx->db, a.group_id, &g, &cx->err)) ||
        (rc = check_when(cx, &now, in->day, in->slot, &d)) ||
        (rc = check_place(cx, &g, a.user_id, in->day, in->slot, id)) ||
        (rc = ow_hall_store_appt_move(cx->db, id, in->day, in->slot, now.ms, &cx->err)))
        return rc;
    char from[6], to[6];
    hall_hhmm(a.slot, from);
    hall_hhmm(in->slot, to);
    return hall_audit(cx, "hall.appointment.move", "hall_appointment", id,
                      json_pack("{s:s,s:s,s:s,s:s}", "from_day", a.day, "from_time", from, "to_day",
                                in->day, "to_time", to));
}

/* ---------------- lists ---------------- */

typedef struct appt_list {
    ow_ctx *cx;
    json_t *items;
    bool staff;
} appt_list;

static int add_appt(void *arg, const ow_hall_appt *a) {
    appt_list *l = arg;
    json_array_append_new(l->items, appt_json(l->cx, a, !l->staff, l->staff));
    return 0;
}

int ow_hall_appointments_json(ow_ctx *cx, const ow_hall_appt_query *q, json_t **items,
                              int64_t *total) {
    ow_hall_appt_filter f = {.state = q->state && *q->state ? q->state : NULL};
    bool staff = !hall_is_person(&cx->actor);
    if (!staff) {
        f.user_id = cx->actor.user_id;
    } else {
        ow_hall_org site;
        int rc = hall_staff_site(cx, q->site, &site);
        if (rc) return rc;
        hall_clock now;
        hall_now(cx, &now);
        int32_t d;
        if (q->day && *q->day && ow_date_parse(q->day, &d))
            return ow_err_set(&cx->err, OW_EINVAL, "day", "日期格式应为 YYYY-MM-DD");
        f.site_id = site.id;
        f.day_from = f.day_to = q->day && *q->day ? q->day : ow_strdup(cx->arena, now.day);
    }
    int rc = ow_hall_store_appt_count(cx->db, &f, total, &cx->err);
    if (rc) return rc;
    appt_list l = {cx, json_array(), staff};
    rc = ow_hall_store_appt_page(cx->db, &f, !staff, q->per_page,
                                 (int64_t)(q->page - 1) * q->per_page, add_appt, &l, &cx->err);
    if (rc) {
        json_decref(l.items);
        return rc;
    }
    *items = l.items;
    return OW_OK;
}

int ow_hall_booking_status_json(ow_ctx *cx, json_t **out) {
    if (!hall_is_person(&cx->actor))
        return ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                          "请先登录");
    hall_clock now;
    hall_now(cx, &now);
    const ow_config *c = &cx->app->cfg;
    ow_hall_block b;
    bool found;
    int rc = ow_hall_store_block_active(cx->db, cx->actor.user_id, now.day, &b, &found, &cx->err);
    if (rc) return rc;
    char from[11];
    ow_date_format(now.today - c->noshow_window_days + 1, from);
    int no_shows;
    if ((rc = ow_hall_store_noshow_count(cx->db, cx->actor.user_id, from, now.day, 0, &no_shows,
                                         &cx->err)))
        return rc;
    *out = json_pack(
        "{s:o,s:i,s:{s:i,s:i,s:i,s:i,s:i,s:i}}", "blocked",
        found ? json_pack("{s:s,s:i}", "until", b.until_day, "no_shows", b.no_shows) : json_null(),
        "no_shows_recent", no_shows, "rules", "daily_limit", c->booking_daily_limit, "cutoff_min",
        c->booking_cutoff_min, "workdays", c->booking_workdays, "noshow_limit", c->noshow_limit,
        "noshow_window_days", c->noshow_window_days, "noshow_block_days", c->noshow_block_days);
    return OW_OK;
}

/* ---------------- blocks ---------------- */

static int add_block(void *arg, const ow_hall_block *b) {
    json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:i,s:o,s:b}", "id", (json_int_t)b->id, "user_id",
                          (json_int_t)b->user_id, "name", b->user_name, "from", b->from_day,
                          "until", b->until_day, "no_shows", b->no_shows, "created_at",
                          hall_time_json(b->created_at), "lifted", b->lifted_at != 0);
    if (b->lifted_at) {
        json_object_set_new(o, "lifted_at", hall_time_json(b->lifted_at));
        json_object_set_new(o, "lift_reason", json_string(b->lift_reason));
    }
    json_array_append_new(arg, o);
    return 0;
}

int ow_hall_blocks_json(ow_ctx *cx, bool active, int page, int per_page, json_t **items,
                        int64_t *total) {
    if (!hall_sees_all(&cx->actor))
        return ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                          "只有监察人员和管理员可以查看预约限制");
    hall_clock now;
    hall_now(cx, &now);
    int rc = ow_hall_store_block_count(cx->db, now.day, active, total, &cx->err);
    if (rc) return rc;
    *items = json_array();
    rc = ow_hall_store_block_page(cx->db, now.day, active, per_page, (int64_t)(page - 1) * per_page,
                                  add_block, *items, &cx->err);
    if (rc) {
        json_decref(*items);
        *items = NULL;
    }
    return rc;
}

int ow_hall_block_lift(ow_ctx *cx, int64_t id, const char *reason) {
    if (!hall_sees_all(&cx->actor) || strcmp(cx->actor.role, "admin"))
        return ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                          "只有管理员可以解除预约限制");
    if (!reason || !*reason) return ow_err_set(&cx->err, OW_EINVAL, "reason", "请写明解除原因");
    ow_hall_block b;
    int rc = ow_hall_store_block_get(cx->db, id, &b, &cx->err);
    if (rc) return rc;
    if (b.lifted_at)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "already_lifted", "id", "该限制已经解除");
    hall_clock now;
    hall_now(cx, &now);
    if ((rc = ow_hall_store_block_lift(cx->db, id, cx->actor.user_id, reason, now.ms, &cx->err)))
        return rc;
    return hall_audit(cx, "hall.booking.unblock", "hall_block", id,
                      json_pack("{s:I,s:s}", "user_id", (json_int_t)b.user_id, "reason", reason));
}

/* ---------------- the sweep: no-shows and blocks ---------------- */

typedef struct id_list {
    ow_arena *arena;
    int64_t *ids, *users;
    int n, cap;
} id_list;

static int collect_appt(void *arg, const ow_hall_appt *a) {
    id_list *l = arg;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 64;
        int64_t *ids = ow_alloc(l->arena, (size_t)cap * sizeof *ids);
        int64_t *users = ow_alloc(l->arena, (size_t)cap * sizeof *users);
        if (l->n) {
            memcpy(ids, l->ids, (size_t)l->n * sizeof *ids);
            memcpy(users, l->users, (size_t)l->n * sizeof *users);
        }
        l->ids = ids;
        l->users = users;
        l->cap = cap;
    }
    l->ids[l->n] = a->id;
    l->users[l->n] = a->user_id;
    l->n++;
    return 0;
}

/* A person reached noshow_limit no-shows within the window since their last block:
 * online booking stops for noshow_block_days. */
static int maybe_block(ow_ctx *cx, const hall_clock *now, int64_t user, int *blocked) {
    const ow_config *c = &cx->app->cfg;
    ow_hall_block last;
    bool found;
    int rc = ow_hall_store_block_active(cx->db, user, now->day, &last, &found, &cx->err);
    if (rc || found) return rc;
    if ((rc = ow_hall_store_block_last(cx->db, user, &last, &found, &cx->err))) return rc;
    char from[11];
    ow_date_format(now->today - c->noshow_window_days + 1, from);
    int n;
    if ((rc = ow_hall_store_noshow_count(cx->db, user, from, now->day, found ? last.created_at : 0,
                                         &n, &cx->err)))
        return rc;
    if (n < c->noshow_limit) return OW_OK;
    ow_hall_block b = {.user_id = user, .no_shows = n, .created_at = now->ms};
    memcpy(b.from_day, now->day, 11);
    ow_date_format(now->today + c->noshow_block_days - 1, b.until_day);
    int64_t id;
    if ((rc = ow_hall_store_block_insert(cx->db, &b, &id, &cx->err))) return rc;
    (*blocked)++;
    return hall_audit(cx, "hall.booking.block", "hall_block", id,
                      json_pack("{s:I,s:i,s:s}", "user_id", (json_int_t)user, "no_shows", n,
                                "until", b.until_day));
}

int ow_hall_sweep(ow_ctx *cx, int *n) {
    *n = 0;
    hall_clock now;
    hall_now(cx, &now);
    int last_slot = now.minute - OW_HALL_SLOT_MIN - cx->app->cfg.checkin_late_min;
    id_list l = {.arena = cx->arena};
    int rc = ow_hall_store_each_missed(cx->db, now.day, last_slot, collect_appt, &l, &cx->err);
    for (int i = 0; !rc && i < l.n; i++) {
        rc = ow_hall_store_appt_state(cx->db, l.ids[i], "no_show", "", 0, now.ms, &cx->err);
        if (!rc)
            rc = hall_audit(cx, "hall.appointment.no_show", "hall_appointment", l.ids[i], NULL);
    }
    int blocked = 0;
    for (int i = 0; !rc && i < l.n; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            if (l.users[j] == l.users[i]) seen = true;
        if (!seen) rc = maybe_block(cx, &now, l.users[i], &blocked);
    }
    int queue = 0;
    if (!rc) rc = hall_queue_sweep(cx, &now, &queue);
    *n = l.n + blocked + queue;
    return rc;
}

/* ---------------- the calendar changed ---------------- */

int ow_hall_calendar_changed(ow_ctx *cx, int64_t *n) {
    *n = 0;
    hall_clock now;
    hall_now(cx, &now);
    id_list l = {.arena = cx->arena};
    int rc = ow_hall_store_each_booked_from(cx->db, now.day, collect_appt, &l, &cx->err);
    if (rc) return rc;
    for (int i = 0; i < l.n; i++) {
        ow_hall_appt a;
        if ((rc = ow_hall_store_appt(cx->db, l.ids[i], &a, &cx->err))) return rc;
        int32_t d;
        bool work = true;
        if (ow_date_parse(a.day, &d)) continue;
        rc = hall_workday(cx, d, "day", &work, NULL);
        if (rc == OW_EINVAL && !strcmp(cx->err.kind, "calendar_year_missing")) {
            memset(&cx->err, 0, sizeof cx->err);
            continue;
        }
        if (rc) return rc;
        if (work) continue;
        static const char *why = "因法定节假日调整，该日大厅不办公，预约已取消，请重新预约";
        if ((rc = ow_hall_store_appt_state(cx->db, a.id, "cancelled", why, 0, now.ms, &cx->err)) ||
            (rc = hall_audit(cx, "hall.appointment.cancel", "hall_appointment", a.id,
                             json_pack("{s:s,s:s}", "day", a.day, "reason", "calendar"))))
            return rc;
        (*n)++;
    }
    return OW_OK;
}

/* ---- the reminders the day before (followed by src/notify) ---- */

typedef struct booked_walk {
    ow_ctx *cx;
    int (*fn)(void *arg, const ow_hall_booked *b);
    void *arg;
    int64_t site_id;
    char site_name[256];
} booked_walk;

static int booked_one(void *arg, const ow_hall_appt *a) {
    booked_walk *w = arg;
    if (a->site_id != w->site_id) { /* rows come by id: a look-up per change of hall */
        ow_hall_org site;
        int rc = ow_hall_store_org(w->cx->db, a->site_id, &site, &w->cx->err);
        if (rc) return rc;
        w->site_id = a->site_id;
        snprintf(w->site_name, sizeof w->site_name, "%s", site.name);
    }
    ow_hall_booked b = {.id = a->id,
                        .user_id = a->user_id,
                        .code = a->code,
                        .day = a->day,
                        .item_name = a->item_name,
                        .site_name = w->site_name,
                        .slot = a->slot};
    return w->fn(w->arg, &b);
}

int ow_hall_each_booked_on(ow_ctx *cx, const char *day,
                           int (*fn)(void *arg, const ow_hall_booked *b), void *arg) {
    booked_walk w = {.cx = cx, .fn = fn, .arg = arg};
    return ow_hall_store_each_booked_on(cx->db, day, booked_one, &w, &cx->err);
}
