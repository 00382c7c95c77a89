/* hall_queue.c — queue tickets (取号) and calling them at the windows (叫号): taking a
 * ticket at the ticket machine, on a phone or by checking an appointment in; the window's
 * state (open, paused with a reason, closed); call next, recall, no-show, serve, done,
 * transfer, queue again; the case filed from a ticket; the display's board and the
 * sentence it speaks; and what the end of a day leaves behind.
 *
 * The states and moves are in hall.h.  Numbers are per group and day from a counter
 * row moved on in the ticket's own transaction, so they are unique and gapless however
 * many machines take at once (the writer runs one job at a time; on PostgreSQL the
 * writer's lock does the same).  Every leg of a visit at a window is a hall_calls row —
 * its wait, its service and the window service that rates it — so the figures count
 * each window's and each clerk's share of a visit that was transferred. */
#include "hall/hall_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "cases/cases.h"
#include "cases/cases_supervision.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/workdays.h"
#include "rating/rating.h"

#define BOARD_RECENT 8

static const char *const PAUSE_REASONS[] = {"break", "meeting", "system", "business", "other"};

/* ---------------- small pieces ---------------- */

void ow_hall_ticket_token(const ow_ctx *cx, int64_t id, char out[OW_HALL_TOKEN_CHARS + 1]) {
    char ids[24], hex[65];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    ow_blind_index(&cx->app->keys, "hall_ticket", ids, hex);
    memcpy(out, hex, OW_HALL_TOKEN_CHARS);
    out[OW_HALL_TOKEN_CHARS] = '\0';
}

void ow_hall_channel(const char *code, char out[48]) {
    snprintf(out, 48, "hall/%s", code);
}

static int event(ow_ctx *cx, const ow_hall_ticket *t, int64_t at, const char *action,
                 int64_t window, const char *note) {
    return ow_hall_store_ticket_event(cx->db, t->id, at, action, window, cx->actor.user_id,
                                      cx->actor.user_id ? cx->actor.name : "", note, &cx->err);
}

static int audit_ticket(ow_ctx *cx, const char *action, const ow_hall_ticket *t, json_t *more) {
    json_t *d = more ? more : json_object();
    json_object_set_new(d, "number", json_string(t->number));
    json_object_set_new(d, "day", json_string(t->day));
    return hall_audit(cx, action, "hall_ticket", t->id, d);
}

/* Write the ticket back; the store keeps each group's line count from the stored row. */
static int save(ow_ctx *cx, const ow_hall_ticket *t) {
    ow_hall_ticket was;
    int rc = ow_hall_store_ticket(cx->db, t->id, &was, &cx->err);
    if (rc) return rc;
    return ow_hall_store_ticket_save(cx->db, t, &was, &cx->err);
}

/* The window's name as the display says it: "综合受理一号窗口", "赫山街道便民服务中心窗口". */
static void window_spoken(const char *name, char *out, size_t n) {
    size_t len = strlen(name);
    static const char suffix[] = "窗口";
    bool ends = len >= sizeof suffix - 1 && !strcmp(name + len - (sizeof suffix - 1), suffix);
    snprintf(out, n, "%s%s", name, ends ? "" : suffix);
}

static bool staff_at(ow_ctx *cx, int64_t site_id) {
    if (hall_sees_all(&cx->actor)) return true;
    if (strcmp(cx->actor.kind, "staff") || cx->actor.user_id <= 0) return false;
    ow_hall_org mine;
    ow_err keep = cx->err;
    bool ok = !hall_site_of_org(cx, cx->actor.org_id, &mine) && mine.id == site_id;
    cx->err = keep;
    return ok;
}

/* ---------------- taking a ticket ---------------- */

static int check_kiosk(ow_ctx *cx, const ow_hall_org *site, const char *key) {
    char want[65], got[65];
    int64_t at;
    int rc = ow_hall_store_kiosk_key(cx->db, site->id, want, &at, &cx->err);
    if (rc) return rc;
    if (!key || !*key || !want[0])
        return ow_err_setk(&cx->err, OW_EFORBIDDEN, "kiosk_key", "kiosk_key",
                           "取号机尚未激活，请联系大厅管理员");
    ow_token_hash(key, got);
    if (!ow_ct_equal(got, want))
        return ow_err_setk(&cx->err, OW_EFORBIDDEN, "kiosk_key", "kiosk_key",
                           "取号机密钥无效，请联系大厅管理员重新激活");
    return OW_OK;
}

static int find_appointment(ow_ctx *cx, const ow_hall_take_in *in, const ow_hall_org *site,
                            const hall_clock *now, ow_hall_appt *a) {
    int rc;
    if (in->appointment_id) {
        rc = ow_hall_store_appt(cx->db, in->appointment_id, a, &cx->err);
        if (rc == OW_ENOTFOUND || (!rc && a->user_id != cx->actor.user_id))
            return ow_err_set(&cx->err, OW_ENOTFOUND, "appointment_id", "预约不存在");
        if (rc) return rc;
        if (a->site_id != site->id)
            return ow_err_setk(&cx->err, OW_ECONFLICT, "wrong_hall", "appointment_id",
                               "该预约不在本大厅，请到预约的大厅签到");
        if (strcmp(a->day, now->day))
            return ow_err_setk(&cx->err, OW_ECONFLICT, "not_today", "appointment_id",
                               "该预约是 %s 的，今天不能签到", a->day);
        return OW_OK;
    }
    if (in->appt_code && *in->appt_code) {
        rc = ow_hall_store_appt_by_code(cx->db, site->id, now->day, in->appt_code, a, &cx->err);
        if (rc == OW_ENOTFOUND)
            return ow_err_set(&cx->err, OW_ENOTFOUND, "appt_code",
                              "没有找到今天在本大厅的这个预约码，请核对后重新输入");
        return rc;
    }
    /* the holder's ID number (a citizen) or USCC (an enterprise), as an ID card reader
     * or the keypad gives it */
    char norm[19], idx[65];
    ow_err probe = {0};
    int ymd = 0, y, m, d;
    ow_date_ymd(now->today, &y, &m, &d);
    ymd = y * 10000 + m * 100 + d;
    if (!ow_id_number_check(in->id_number, norm, ymd, &probe))
        ow_blind_index(&cx->app->keys, "id_number", norm, idx);
    else if (!ow_uscc_check(in->id_number, norm, &probe))
        ow_blind_index(&cx->app->keys, "uscc", norm, idx);
    else
        return ow_err_set(&cx->err, OW_EINVAL, "id_number",
                          "证件号码不正确，请核对身份证号码或统一社会信用代码");
    bool found;
    if ((rc = ow_hall_store_appt_of_holder(cx->db, site->id, now->day, idx, a, &found, &cx->err)))
        return rc;
    if (!found)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id_number",
                          "没有找到您今天在本大厅的预约，可直接取号办理");
    return OW_OK;
}

static int check_checkin(ow_ctx *cx, const ow_hall_appt *a, const hall_clock *now,
                         const char *field) {
    if (!strcmp(a->state, "checked_in")) {
        ow_hall_ticket t;
        ow_err keep = cx->err;
        bool have = a->ticket_id && !ow_hall_store_ticket(cx->db, a->ticket_id, &t, &cx->err);
        cx->err = keep;
        return ow_err_setk(&cx->err, OW_ECONFLICT, "already_checked_in", field,
                           "该预约已经签到%s%s", have ? "，您的号码是 " : "", have ? t.number : "");
    }
    if (!strcmp(a->state, "cancelled"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "appointment_cancelled", field,
                           "该预约已取消，可直接取号办理");
    if (strcmp(a->state, "booked"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "checkin_late", field,
                           "已过预约签到时间，请直接取号按普通号排队");
    int32_t d;
    ow_date_parse(a->day, &d);
    int64_t start = hall_instant(d, a->slot);
    const ow_config *c = &cx->app->cfg;
    if (now->ms < start - (int64_t)c->checkin_early_min * 60000) {
        char t[6];
        hall_hhmm(a->slot - c->checkin_early_min, t);
        return ow_err_setk(&cx->err, OW_ECONFLICT, "checkin_early", field,
                           "您预约的时段还没到，请于 %s 后签到", t);
    }
    if (now->ms > start + (int64_t)(OW_HALL_SLOT_MIN + c->checkin_late_min) * 60000)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "checkin_late", field,
                           "已过预约签到时间，请直接取号按普通号排队");
    return OW_OK;
}

int ow_hall_take(ow_ctx *cx, const ow_hall_take_in *in, int64_t *ticket_id) {
    ow_hall_org site;
    int rc = hall_site(cx, in->site, "site", &site);
    if (rc) return rc;
    const char *via = in->via ? in->via : "";
    if (!strcmp(via, "kiosk")) {
        rc = check_kiosk(cx, &site, in->kiosk_key);
    } else if (!strcmp(via, "phone")) {
        if (!hall_is_person(&cx->actor))
            rc = ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                            cx->actor.user_id > 0 ? "请用办事群众的账号在手机上取号"
                                                  : "请先登录后再在手机上取号");
    } else if (!strcmp(via, "staff")) {
        if (!hall_is_clerk(&cx->actor) || !staff_at(cx, site.id))
            rc = ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有本大厅的窗口工作人员可以代为取号");
    } else {
        rc = ow_err_set(&cx->err, OW_EINVAL, "via", "取号方式应为 kiosk、phone 或 staff");
    }
    if (rc) return rc;
    hall_clock now;
    hall_now(cx, &now);
    hall_open open;
    if ((rc = hall_open_now(cx, &now, &open))) return rc;

    ow_hall_ticket t = {.site_id = site.id, .taken_at = now.ms};
    memcpy(t.day, now.day, sizeof t.day);
    ow_hall_appt appt;
    bool checkin = in->appointment_id || (in->appt_code && *in->appt_code) ||
                   (in->id_number && *in->id_number);
    if (checkin) {
        if (!strcmp(via, "phone") && !in->appointment_id)
            return ow_err_set(&cx->err, OW_EINVAL, "appointment_id", "请选择要签到的预约");
        if (strcmp(via, "phone") && in->appointment_id)
            return ow_err_set(&cx->err, OW_EINVAL, "appt_code", "请输入预约码或证件号码");
        const char *field = in->appointment_id                ? "appointment_id"
                            : in->appt_code && *in->appt_code ? "appt_code"
                                                              : "id_number";
        if (!open.workday)
            return ow_err_setk(&cx->err, OW_ECONFLICT, "hall_closed", "", "%s", open.why);
        if ((rc = find_appointment(cx, in, &site, &now, &appt)) ||
            (rc = check_checkin(cx, &appt, &now, field)))
            return rc;
        t.group_id = appt.group_id;
        t.appointment_id = appt.id;
        t.user_id = appt.user_id;
        t.priority = 1;
        snprintf(t.source, sizeof t.source, "appointment");
        snprintf(t.item_name, sizeof t.item_name, "%s", appt.item_name);
    } else {
        if (!open.issuing)
            return ow_err_setk(&cx->err, OW_ECONFLICT, "hall_closed", "", "%s", open.why);
        if (!in->group_id)
            return ow_err_set(&cx->err, OW_EINVAL, "group_id", "请选择要办理的业务类别");
        t.group_id = in->group_id;
        snprintf(t.source, sizeof t.source, "%s", via);
        if (!strcmp(via, "phone")) t.user_id = cx->actor.user_id;
    }
    ow_hall_group g;
    rc = ow_hall_store_group(cx->db, t.group_id, &g, &cx->err);
    if (rc == OW_ENOTFOUND || (!rc && (g.site_id != site.id || !g.active)))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "group_id", "本大厅没有这个业务类别");
    if (rc) return rc;
    if (t.user_id && !strcmp(via, "phone")) {
        int64_t open_id;
        if ((rc = ow_hall_store_user_open_ticket(cx->db, t.user_id, site.id, now.day, &open_id,
                                                 &cx->err)))
            return rc;
        if (open_id) {
            ow_hall_ticket o;
            if ((rc = ow_hall_store_ticket(cx->db, open_id, &o, &cx->err))) return rc;
            return ow_err_setk(&cx->err, OW_ECONFLICT, "already_queued", "",
                               "您已在本大厅排队（%s 号），办完或取消后再取新号", o.number);
        }
    }
    if (in->green) {
        t.green = true;
        t.priority = 2;
    }
    if ((rc = ow_hall_store_next_seq(cx->db, g.id, now.day, &t.seq, &cx->err))) return rc;
    snprintf(t.number, sizeof t.number, "%s%03d", g.letter, t.seq);
    if ((rc = ow_hall_store_ticket_insert(cx->db, &t, ticket_id, &cx->err))) return rc;
    t.id = *ticket_id;
    if ((rc = event(cx, &t, now.ms, checkin ? "check_in" : "take", 0, t.green ? "绿色通道" : "")))
        return rc;
    if (checkin && (rc = ow_hall_store_appt_checked_in(cx->db, appt.id, t.id, now.ms, &cx->err)))
        return rc;
    return audit_ticket(cx, checkin ? "hall.ticket.check_in" : "hall.ticket.take", &t,
                        json_pack("{s:s,s:s,s:s,s:b,s:I}", "site", site.code, "group", g.letter,
                                  "source", t.source, "green", t.green, "appointment_id",
                                  (json_int_t)t.appointment_id));
}

/* ---------------- a ticket as its holder sees it ---------------- */

static json_t *ticket_holder_json(ow_ctx *cx, const ow_hall_ticket *t) {
    ow_hall_org site = {0}, win = {0};
    ow_hall_group g = {0};
    ow_err keep = cx->err;
    ow_hall_store_org(cx->db, t->site_id, &site, &cx->err);
    ow_hall_store_group(cx->db, t->group_id, &g, &cx->err);
    if (t->window_id) ow_hall_store_org(cx->db, t->window_id, &win, &cx->err);
    cx->err = keep;
    json_t *o = json_pack(
        "{s:I,s:s,s:{s:s,s:s},s:{s:I,s:s,s:s},s:s,s:s,s:s,s:i,s:b,s:s,s:s,s:o,s:o,s:i}", "id",
        (json_int_t)t->id, "number", t->number, "site", "code", site.code, "name", site.name,
        "group", "id", (json_int_t)t->group_id, "letter", g.letter, "name", g.name, "day", t->day,
        "state", t->state, "state_name", hall_ticket_state_name(t->state), "priority", t->priority,
        "green", t->green, "source", t->source, "item_name", t->item_name, "taken_at",
        hall_time_json(t->taken_at), "called_at", hall_time_json(t->called_at), "calls", t->calls);
    if (!strcmp(t->state, "waiting")) {
        int ahead = 0, est = 0, open_windows = 0;
        keep = cx->err;
        if (!ow_hall_store_ahead(cx->db, t, &ahead, &cx->err) &&
            !ow_hall_store_open_windows_of(cx->db, t->group_id, &open_windows, &cx->err))
            hall_estimate(cx, &g, t->day, ahead, open_windows, &est);
        cx->err = keep;
        json_object_set_new(o, "ahead", json_integer(ahead));
        json_object_set_new(o, "wait_min", json_integer(est));
    }
    if (t->window_id && (!strcmp(t->state, "called") || !strcmp(t->state, "serving"))) {
        char spoken[256], msg[320];
        window_spoken(win.name, spoken, sizeof spoken);
        snprintf(msg, sizeof msg, "请到%s办理", spoken);
        json_object_set_new(o, "window",
                            json_pack("{s:I,s:s,s:s}", "id", (json_int_t)win.id, "code", win.code,
                                      "name", win.name));
        json_object_set_new(o, "message", json_string(msg));
    }
    return o;
}

static int load_ticket_for(ow_ctx *cx, int64_t id, const char *token, ow_hall_ticket *t) {
    int rc = ow_hall_store_ticket(cx->db, id, t, &cx->err);
    if (rc) return rc;
    if (token && *token) {
        char want[OW_HALL_TOKEN_CHARS + 1];
        ow_hall_ticket_token(cx, id, want);
        if (!ow_ct_equal(token, want))
            return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "号票不存在");
        return OW_OK;
    }
    if (cx->actor.user_id > 0 && t->user_id == cx->actor.user_id) return OW_OK;
    if (staff_at(cx, t->site_id)) return OW_OK;
    if (!ow_actor_signed_in(&cx->actor))
        return ow_err_setk(&cx->err, OW_EUNAUTH, "unauthenticated", "", "请先登录");
    return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "号票不存在");
}

int ow_hall_ticket_json(ow_ctx *cx, int64_t id, const char *token, json_t **out) {
    ow_hall_ticket t;
    int rc = load_ticket_for(cx, id, token, &t);
    if (rc) return rc;
    *out = ticket_holder_json(cx, &t);
    return OW_OK;
}

int ow_hall_ticket_cancel(ow_ctx *cx, int64_t id, const char *token) {
    ow_hall_ticket t;
    int rc = load_ticket_for(cx, id, token, &t);
    if (rc) return rc;
    if (strcmp(t.state, "waiting"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "id", "该号%s，不能取消",
                           hall_ticket_state_name(t.state));
    hall_clock now;
    hall_now(cx, &now);
    snprintf(t.state, sizeof t.state, "cancelled");
    t.ended_at = now.ms;
    if ((rc = save(cx, &t)) || (rc = event(cx, &t, now.ms, "cancel", 0, ""))) return rc;
    return audit_ticket(cx, "hall.ticket.cancel", &t, NULL);
}

typedef struct holder_list {
    ow_ctx *cx;
    json_t *items;
} holder_list;

static int add_holder_ticket(void *arg, const ow_hall_ticket *t) {
    holder_list *l = arg;
    json_t *o = ticket_holder_json(l->cx, t);
    char tok[OW_HALL_TOKEN_CHARS + 1];
    ow_hall_ticket_token(l->cx, t->id, tok);
    json_object_set_new(o, "token", json_string(tok));
    json_array_append_new(l->items, o);
    return 0;
}

int ow_hall_my_tickets_json(ow_ctx *cx, json_t **out) {
    if (!hall_is_person(&cx->actor))
        return ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                          "请先登录");
    hall_clock now;
    hall_now(cx, &now);
    holder_list l = {cx, json_array()};
    int rc = ow_hall_store_each_user_ticket(cx->db, cx->actor.user_id, now.day, add_holder_ticket,
                                            &l, &cx->err);
    if (rc) {
        json_decref(l.items);
        return rc;
    }
    *out = l.items;
    return OW_OK;
}

/* ---------------- the window's state ---------------- */

static int window_state(ow_ctx *cx, const ow_hall_org *window, const ow_hall_org *site,
                        ow_hall_window *w) {
    bool found;
    int rc = ow_hall_store_window(cx->db, window->id, w, &found, &cx->err);
    if (rc) return rc;
    if (!found) {
        memset(w, 0, sizeof *w);
        w->window_id = window->id;
        w->site_id = site->id;
        snprintf(w->state, sizeof w->state, "closed");
    }
    return OW_OK;
}

static int window_serves_any(ow_ctx *cx, const ow_hall_org *window) {
    int64_t ids[HALL_GROUPS_MAX];
    int n;
    int rc = ow_hall_store_window_groups(cx->db, window->id, ids, HALL_GROUPS_MAX, &n, &cx->err);
    if (rc) return rc;
    if (!n)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "no_groups", "",
                           "本窗口尚未设置叫号业务类别，请联系大厅管理员");
    return OW_OK;
}

static int set_window(ow_ctx *cx, ow_hall_window *w, const char *state, int64_t pause_id,
                      int64_t at) {
    snprintf(w->state, sizeof w->state, "%s", state);
    w->clerk_id = cx->actor.user_id;
    snprintf(w->clerk_name, sizeof w->clerk_name, "%s", cx->actor.name);
    w->pause_id = pause_id;
    w->since = at;
    return ow_hall_store_window_put(cx->db, w, &cx->err);
}

static int in_hand(ow_ctx *cx, ow_hall_ticket *t, bool *has) {
    int64_t id;
    int rc = ow_hall_store_clerk_ticket(cx->db, cx->actor.user_id, &id, &cx->err);
    *has = false;
    if (rc || !id) return rc;
    *has = true;
    return ow_hall_store_ticket(cx->db, id, t, &cx->err);
}

int ow_hall_window_set(ow_ctx *cx, const char *action, const char *reason, const char *note) {
    ow_hall_org window, site;
    ow_hall_window w;
    int rc = hall_actor_window(cx, &window, &site);
    if (!rc) rc = window_serves_any(cx, &window);
    if (!rc) rc = window_state(cx, &window, &site, &w);
    if (rc) return rc;
    hall_clock now;
    hall_now(cx, &now);
    const char *a = action ? action : "";
    ow_hall_ticket t;
    bool has;
    if (!strcmp(a, "open")) {
        if (!strcmp(w.state, "paused"))
            return ow_err_setk(&cx->err, OW_ECONFLICT, "window_paused", "action",
                               "窗口暂停服务中，请点“恢复服务”");
        if (!strcmp(w.state, "open") && w.clerk_id == cx->actor.user_id) return OW_OK;
        if ((rc = set_window(cx, &w, "open", 0, now.ms))) return rc;
        return hall_audit(cx, "hall.window.open", "org", window.id, NULL);
    }
    if (!strcmp(a, "pause")) {
        if (strcmp(w.state, "open"))
            return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action", "%s",
                               !strcmp(w.state, "paused") ? "窗口已经在暂停服务"
                                                          : "窗口尚未开始服务");
        bool known = false;
        for (size_t i = 0; i < sizeof PAUSE_REASONS / sizeof *PAUSE_REASONS; i++)
            if (reason && !strcmp(reason, PAUSE_REASONS[i])) known = true;
        if (!known)
            return ow_err_set(&cx->err, OW_EINVAL, "reason",
                              "请选择暂停原因：临时休息、参加会议、系统故障、业务会商或其他原因");
        if (!strcmp(reason, "other") && (!note || !*note))
            return ow_err_set(&cx->err, OW_EINVAL, "note", "选择“其他原因”时请写明暂停原因");
        if ((rc = in_hand(cx, &t, &has))) return rc;
        if (has)
            return ow_err_setk(&cx->err, OW_ECONFLICT, "ticket_in_hand", "action",
                               "请先处理完手上的 %s 号再暂停服务", t.number);
        ow_hall_pause p = {.site_id = site.id,
                           .window_id = window.id,
                           .clerk_id = cx->actor.user_id,
                           .started_at = now.ms};
        memcpy(p.day, now.day, sizeof p.day);
        snprintf(p.reason, sizeof p.reason, "%s", reason);
        snprintf(p.note, sizeof p.note, "%s", note ? note : "");
        snprintf(p.clerk_name, sizeof p.clerk_name, "%s", cx->actor.name);
        int64_t pid;
        if ((rc = ow_hall_store_pause_insert(cx->db, &p, &pid, &cx->err)) ||
            (rc = set_window(cx, &w, "paused", pid, now.ms)))
            return rc;
        return hall_audit(cx, "hall.window.pause", "org", window.id,
                          json_pack("{s:s,s:s,s:I}", "reason", reason, "note", p.note, "pause_id",
                                    (json_int_t)pid));
    }
    if (!strcmp(a, "resume")) {
        if (strcmp(w.state, "paused"))
            return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action",
                               "窗口没有在暂停服务");
        int64_t pid = w.pause_id;
        if ((pid && (rc = ow_hall_store_pause_end(cx->db, pid, now.ms, &cx->err))) ||
            (rc = set_window(cx, &w, "open", 0, now.ms)))
            return rc;
        return hall_audit(cx, "hall.window.resume", "org", window.id,
                          json_pack("{s:I}", "pause_id", (json_int_t)pid));
    }
    if (!strcmp(a, "close")) {
        if (!strcmp(w.state, "closed")) return OW_OK;
        if ((rc = in_hand(cx, &t, &has))) return rc;
        if (has)
            return ow_err_setk(&cx->err, OW_ECONFLICT, "ticket_in_hand", "action",
                               "请先处理完手上的 %s 号再结束服务", t.number);
        if (w.pause_id && (rc = ow_hall_store_pause_end(cx->db, w.pause_id, now.ms, &cx->err)))
            return rc;
        if ((rc = set_window(cx, &w, "closed", 0, now.ms))) return rc;
        return hall_audit(cx, "hall.window.close", "org", window.id, NULL);
    }
    return ow_err_set(&cx->err, OW_EINVAL, "action",
                      "操作应为 open（开始服务）、pause（暂停服务）、resume（恢复服务）或 close"
                      "（结束服务）");
}

/* ---------------- calling ---------------- */

static int do_call(ow_ctx *cx, ow_hall_ticket *t, const ow_hall_org *window,
                   const hall_clock *now) {
    ow_hall_call c = {.ticket_id = t->id,
                      .site_id = t->site_id,
                      .group_id = t->group_id,
                      .window_id = window->id,
                      .clerk_id = cx->actor.user_id,
                      .queued_at = t->queued_at,
                      .called_at = now->ms};
    memcpy(c.day, t->day, sizeof c.day);
    snprintf(c.clerk_name, sizeof c.clerk_name, "%s", cx->actor.name);
    int64_t call_id;
    int rc = ow_hall_store_call_insert(cx->db, &c, &call_id, &cx->err);
    if (rc) return rc;
    snprintf(t->state, sizeof t->state, "called");
    t->window_id = window->id;
    t->clerk_id = cx->actor.user_id;
    t->target_window_id = 0;
    t->calls = 1;
    t->called_at = now->ms;
    if (!t->first_called_at) t->first_called_at = now->ms;
    t->call_id = call_id;
    if ((rc = save(cx, t)) || (rc = event(cx, t, now->ms, "call", window->id, ""))) return rc;
    return audit_ticket(cx, "hall.ticket.call", t,
                        json_pack("{s:s,s:i}", "window", window->code, "wait_min",
                                  hall_minutes(t->queued_at, now->ms)));
}

int ow_hall_call_next(ow_ctx *cx, int64_t *ticket_id) {
    ow_hall_org window, site;
    ow_hall_window w;
    int rc = hall_actor_window(cx, &window, &site);
    if (!rc) rc = window_serves_any(cx, &window);
    if (!rc) rc = window_state(cx, &window, &site, &w);
    if (rc) return rc;
    if (!strcmp(w.state, "paused"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "window_paused", "",
                           "窗口暂停服务中，请先恢复服务再叫号");
    hall_clock now;
    hall_now(cx, &now);
    ow_hall_ticket t;
    bool has;
    if ((rc = in_hand(cx, &t, &has))) return rc;
    if (has)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "ticket_in_hand", "",
                           "请先处理手上的 %s 号（办结、过号或转办）再叫下一号", t.number);
    int64_t id;
    if ((rc = ow_hall_store_next_waiting(cx->db, now.day, window.id, &id, &cx->err))) return rc;
    if (!id) return ow_err_setk(&cx->err, OW_ECONFLICT, "queue_empty", "", "当前没有等候的群众");
    if (strcmp(w.state, "open") || w.clerk_id != cx->actor.user_id) {
        /* calling at a closed window (or one a colleague opened) opens it for this clerk */
        if ((rc = set_window(cx, &w, "open", 0, now.ms)) ||
            (rc = hall_audit(cx, "hall.window.open", "org", window.id, NULL)))
            return rc;
    }
    if ((rc = ow_hall_store_ticket(cx->db, id, &t, &cx->err)) ||
        (rc = do_call(cx, &t, &window, &now)))
        return rc;
    *ticket_id = id;
    return OW_OK;
}

static int load_call(ow_ctx *cx, const ow_hall_ticket *t, ow_hall_call *c) {
    if (!t->call_id) return ow_err_set(&cx->err, OW_EINTERNAL, "", "叫号记录缺失");
    return ow_hall_store_call(cx->db, t->call_id, c, &cx->err);
}

static int end_call(ow_ctx *cx, const ow_hall_ticket *t, const char *outcome, int64_t at) {
    ow_hall_call c;
    int rc = load_call(cx, t, &c);
    if (rc) return rc;
    snprintf(c.outcome, sizeof c.outcome, "%s", outcome);
    c.ended_at = at;
    return ow_hall_store_call_save(cx->db, &c, &cx->err);
}

typedef struct window_find {
    int64_t id;
    ow_hall_org found;
    bool ok;
} window_find;

static int find_window(void *arg, const ow_hall_org *w) {
    window_find *f = arg;
    if (w->id == f->id) {
        f->found = *w;
        f->ok = true;
    }
    return 0;
}

static int do_transfer(ow_ctx *cx, ow_hall_ticket *t, const ow_hall_org *window,
                       const ow_hall_org *site, const ow_hall_ticket_act_in *in,
                       const hall_clock *now) {
    if (!!in->window_id == !!in->group_id)
        return ow_err_set(&cx->err, OW_EINVAL, "window_id", "请选择转往的窗口或业务类别（二选一）");
    char to[128];
    int rc;
    if (in->window_id) {
        window_find f = {.id = in->window_id};
        if ((rc = ow_hall_store_each_site_window(cx->db, site, find_window, &f, &cx->err)))
            return rc;
        if (!f.ok) return ow_err_set(&cx->err, OW_EINVAL, "window_id", "本大厅没有这个窗口");
        if (f.found.id == window->id)
            return ow_err_set(&cx->err, OW_EINVAL, "window_id", "不能转给本窗口");
        t->target_window_id = f.found.id;
        snprintf(to, sizeof to, "%s", f.found.code);
    } else {
        ow_hall_group g;
        rc = ow_hall_store_group(cx->db, in->group_id, &g, &cx->err);
        if (rc == OW_ENOTFOUND || (!rc && (g.site_id != site->id || !g.active)))
            return ow_err_set(&cx->err, OW_EINVAL, "group_id", "本大厅没有这个业务类别");
        if (rc) return rc;
        t->group_id = g.id;
        t->target_window_id = 0;
        snprintf(to, sizeof to, "%s", g.letter);
    }
    if ((rc = end_call(cx, t, "transferred", now->ms))) return rc;
    snprintf(t->state, sizeof t->state, "waiting");
    t->priority = 3;
    t->queued_at = now->ms;
    t->transfers++;
    t->clerk_id = 0;
    t->call_id = 0;
    if ((rc = save(cx, t)) || (rc = event(cx, t, now->ms, "transfer", window->id, in->note)))
        return rc;
    return audit_ticket(cx, "hall.ticket.transfer", t,
                        json_pack("{s:s,s:s,s:s}", "from", window->code, "to", to, "note",
                                  in->note ? in->note : ""));
}

static int do_serve(ow_ctx *cx, ow_hall_ticket *t, const ow_hall_org *window,
                    const hall_clock *now) {
    ow_hall_group g;
    int rc = ow_hall_store_group(cx->db, t->group_id, &g, &cx->err);
    if (rc) return rc;
    /* the evaluator at this window rates the service from now on (一次一评) */
    char topic[320];
    if (t->item_name[0] && ow_utf8_len(t->item_name) <= 80)
        snprintf(topic, sizeof topic, "%s %s", t->number, t->item_name);
    else
        snprintf(topic, sizeof topic, "%s %s", t->number, g.name);
    int64_t service;
    if ((rc = ow_service_start(cx, 0, topic, &service))) return rc;
    ow_hall_call c;
    if ((rc = load_call(cx, t, &c))) return rc;
    c.served_at = now->ms;
    c.service_id = service;
    if ((rc = ow_hall_store_call_save(cx->db, &c, &cx->err))) return rc;
    snprintf(t->state, sizeof t->state, "serving");
    t->served_at = now->ms;
    t->service_id = service;
    if ((rc = save(cx, t)) || (rc = event(cx, t, now->ms, "serve", window->id, ""))) return rc;
    return audit_ticket(
        cx, "hall.ticket.serve", t,
        json_pack("{s:s,s:I}", "window", window->code, "service_id", (json_int_t)service));
}

int ow_hall_ticket_act(ow_ctx *cx, int64_t id, const ow_hall_ticket_act_in *in) {
    ow_hall_org window, site;
    int rc = hall_actor_window(cx, &window, &site);
    if (rc) return rc;
    ow_hall_ticket t;
    rc = ow_hall_store_ticket(cx->db, id, &t, &cx->err);
    if (rc == OW_ENOTFOUND || (!rc && t.site_id != site.id))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "本大厅没有这个号");
    if (rc) return rc;
    hall_clock now;
    hall_now(cx, &now);
    const char *a = in->action ? in->action : "";
    bool mine = t.clerk_id == cx->actor.user_id && t.window_id == window.id;
    static const struct {
        const char *action, *from1, *from2;
        bool mine;
    } RULES[] = {
        {"recall", "called", NULL, true},        {"no_show", "called", NULL, true},
        {"serve", "called", NULL, true},         {"done", "serving", NULL, true},
        {"transfer", "called", "serving", true}, {"requeue", "no_show", NULL, false},
    };
    int r = -1;
    for (int i = 0; i < (int)(sizeof RULES / sizeof *RULES); i++)
        if (!strcmp(a, RULES[i].action)) r = i;
    if (r < 0)
        return ow_err_set(&cx->err, OW_EINVAL, "action",
                          "操作应为 recall、no_show、serve、done、transfer 或 requeue");
    if (strcmp(t.state, RULES[r].from1) && (!RULES[r].from2 || strcmp(t.state, RULES[r].from2)))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action",
                           "%s 号%s，不能进行该操作", t.number, hall_ticket_state_name(t.state));
    if (RULES[r].mine && !mine)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "not_yours", "id", "%s 号不在您的窗口办理",
                           t.number);
    if (in->note && ow_utf8_len(in->note) > OW_HALL_NOTE_MAX_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, "note", "备注最多 %d 个字", OW_HALL_NOTE_MAX_CHARS);
    ow_hall_call c;
    switch (r) {
    case 0: /* recall: the display calls it again */
        if ((rc = load_call(cx, &t, &c))) return rc;
        c.recalls++;
        t.calls++;
        t.called_at = now.ms;
        if ((rc = ow_hall_store_call_save(cx->db, &c, &cx->err)) || (rc = save(cx, &t)) ||
            (rc = event(cx, &t, now.ms, "recall", window.id, "")))
            return rc;
        return audit_ticket(cx, "hall.ticket.recall", &t, json_pack("{s:i}", "calls", t.calls));
    case 1: /* no_show (过号) */
        snprintf(t.state, sizeof t.state, "no_show");
        t.ended_at = now.ms;
        t.clerk_id = 0;
        if ((rc = end_call(cx, &t, "no_show", now.ms)) || (rc = save(cx, &t)) ||
            (rc = event(cx, &t, now.ms, "no_show", window.id, in->note)))
            return rc;
        return audit_ticket(cx, "hall.ticket.no_show", &t, json_pack("{s:i}", "calls", t.calls));
    case 2:
        return do_serve(cx, &t, &window, &now);
    case 3: /* done: the window service stays open for the evaluator until the next one */
        snprintf(t.state, sizeof t.state, "done");
        t.ended_at = now.ms;
        if ((rc = end_call(cx, &t, "done", now.ms)) || (rc = save(cx, &t)) ||
            (rc = event(cx, &t, now.ms, "done", window.id, in->note)))
            return rc;
        return audit_ticket(cx, "hall.ticket.done", &t,
                            json_pack("{s:i}", "service_min", hall_minutes(t.served_at, now.ms)));
    case 4:
        return do_transfer(cx, &t, &window, &site, in, &now);
    default: /* requeue: a no-show who came back joins the queue at the end */
        if (strcmp(t.day, now.day))
            return ow_err_setk(&cx->err, OW_ECONFLICT, "not_today", "id", "只能重新排队当天的号");
        snprintf(t.state, sizeof t.state, "waiting");
        t.priority = 0;
        t.queued_at = now.ms;
        t.ended_at = 0;
        t.target_window_id = 0;
        t.call_id = 0;
        if ((rc = save(cx, &t)) || (rc = event(cx, &t, now.ms, "requeue", window.id, in->note)))
            return rc;
        return audit_ticket(cx, "hall.ticket.requeue", &t, NULL);
    }
}

int ow_hall_ticket_link_case(ow_ctx *cx, int64_t id, int64_t case_id, const char *case_no) {
    ow_hall_org window, site;
    int rc = hall_actor_window(cx, &window, &site);
    if (rc) return rc;
    ow_hall_ticket t;
    rc = ow_hall_store_ticket(cx->db, id, &t, &cx->err);
    if (rc == OW_ENOTFOUND || (!rc && t.site_id != site.id))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "本大厅没有这个号");
    if (rc) return rc;
    if (strcmp(t.state, "serving") && strcmp(t.state, "done"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "id",
                           "%s 号%s，只有办理中或已办结的号可以关联办件", t.number,
                           hall_ticket_state_name(t.state));
    if (t.case_id)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "already_linked", "case_id",
                           "%s 号已关联办件 %s", t.number, t.case_no);
    ow_case_brief cb;
    if (case_id)
        rc = ow_cases_brief(cx, case_id, &cb);
    else if (case_no && *case_no)
        rc = ow_cases_brief_by_no(cx, case_no, &cb);
    else
        return ow_err_set(&cx->err, OW_EINVAL, "case_id", "请指定要关联的办件");
    bool visible = false;
    if (!rc) rc = ow_cases_may_view_id(cx, cb.id, &visible);
    if (rc == OW_ENOTFOUND || (!rc && !visible))
        return ow_err_set(&cx->err, OW_ENOTFOUND, case_id ? "case_id" : "case_no", "办件不存在");
    if (rc) return rc;
    hall_clock now;
    hall_now(cx, &now);
    t.case_id = cb.id;
    snprintf(t.case_no, sizeof t.case_no, "%s", cb.case_no);
    if ((rc = save(cx, &t)) || (rc = event(cx, &t, now.ms, "case", window.id, cb.case_no)))
        return rc;
    return audit_ticket(
        cx, "hall.ticket.case", &t,
        json_pack("{s:I,s:s}", "case_id", (json_int_t)cb.id, "case_no", cb.case_no));
}

/* ---------------- the visit for staff ---------------- */

typedef struct visit_acc {
    ow_ctx *cx;
    json_t *events;
} visit_acc;

static const char *event_name(const char *a) {
    static const char *const names[][2] = {
        {"take", "取号"},       {"check_in", "预约签到"}, {"call", "叫号"},
        {"recall", "重呼"},     {"no_show", "过号"},      {"serve", "开始办理"},
        {"done", "办结"},       {"transfer", "转办"},     {"requeue", "重新排队"},
        {"cancel", "取消排队"}, {"case", "关联办件"},     {"expire", "当日未办失效"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(a, names[i][0])) return names[i][1];
    return a;
}

static int add_event(void *arg, int64_t at, const char *action, const char *window_name,
                     const char *actor_name, const char *note) {
    visit_acc *v = arg;
    json_array_append_new(v->events,
                          json_pack("{s:o,s:s,s:s,s:s,s:s,s:s}", "at", hall_time_json(at), "action",
                                    action, "action_name", event_name(action), "window",
                                    window_name, "actor", actor_name, "note", note));
    return 0;
}

static json_t *ticket_staff_json(ow_ctx *cx, const ow_hall_ticket *t) {
    json_t *o = ticket_holder_json(cx, t);
    ow_err keep = cx->err;
    if (t->appointment_id) {
        ow_hall_appt a;
        if (!ow_hall_store_appt(cx->db, t->appointment_id, &a, &cx->err)) {
            char s[6];
            hall_hhmm(a.slot, s);
            json_object_set_new(o, "appointment",
                                json_pack("{s:I,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)a.id,
                                          "code", a.code, "name", a.name, "start", s, "item_name",
                                          a.item_name, "item_id", (json_int_t)a.item_id));
        }
    }
    int level = 0;
    if (t->service_id) ow_hall_store_service_rating(cx->db, t->service_id, &level, &cx->err);
    cx->err = keep;
    json_object_set_new(
        o, "case",
        t->case_id ? json_pack("{s:I,s:s}", "id", (json_int_t)t->case_id, "case_no", t->case_no)
                   : json_null());
    json_object_set_new(o, "service_id", t->service_id ? json_integer(t->service_id) : json_null());
    json_object_set_new(
        o, "rating",
        level ? json_pack("{s:i,s:s}", "level", level, "name", ow_rating_level_name(level))
              : json_null());
    json_object_set_new(o, "served_at", hall_time_json(t->served_at));
    json_object_set_new(o, "ended_at", hall_time_json(t->ended_at));
    json_object_set_new(o, "first_called_at", hall_time_json(t->first_called_at));
    json_object_set_new(
        o, "waited_min",
        json_integer(hall_minutes(t->taken_at, t->first_called_at ? t->first_called_at : 0)));
    json_object_set_new(o, "service_min", json_integer(hall_minutes(t->served_at, t->ended_at)));
    json_object_set_new(o, "transfers", json_integer(t->transfers));
    return o;
}

int ow_hall_visit_json(ow_ctx *cx, int64_t id, json_t **out) {
    ow_hall_ticket t;
    int rc = ow_hall_store_ticket(cx->db, id, &t, &cx->err);
    if (rc) return rc;
    if (!staff_at(cx, t.site_id)) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "号票不存在");
    visit_acc v = {cx, json_array()};
    if ((rc = ow_hall_store_each_ticket_event(cx->db, id, add_event, &v, &cx->err))) {
        json_decref(v.events);
        return rc;
    }
    *out = ticket_staff_json(cx, &t);
    json_object_set_new(*out, "timeline", v.events);
    return OW_OK;
}

/* ---------------- the window's view ---------------- */

typedef struct day_acc {
    int64_t window;
    int64_t paused_ms, now;
} day_acc;

static int day_pause(void *arg, const ow_hall_pause *p) {
    day_acc *d = arg;
    if (p->window_id != d->window) return 0;
    d->paused_ms += (p->ended_at ? p->ended_at : d->now) - p->started_at;
    return 0;
}

typedef struct recent_acc {
    ow_ctx *cx;
    json_t *items;
    const hall_group_now *groups; /* the hall's groups, already read */
    int n;
} recent_acc;

/* A line of the window's recent calls: what the clerk's table shows, from the groups
 * already read (the full ticket would cost a dozen lookups a line, on every action). */
static int add_recent(void *arg, const ow_hall_ticket *t) {
    recent_acc *r = arg;
    ow_hall_group g = {0};
    for (int i = 0; i < r->n; i++)
        if (r->groups[i].g.id == t->group_id) g = r->groups[i].g;
    ow_err keep = r->cx->err;
    if (!g.id) ow_hall_store_group(r->cx->db, t->group_id, &g, &r->cx->err);
    int level = 0;
    if (t->service_id) ow_hall_store_service_rating(r->cx->db, t->service_id, &level, &r->cx->err);
    r->cx->err = keep;
    json_array_append_new(
        r->items,
        json_pack(
            "{s:I,s:s,s:{s:I,s:s,s:s},s:s,s:s,s:o,s:i,s:o,s:o}", "id", (json_int_t)t->id, "number",
            t->number, "group", "id", (json_int_t)t->group_id, "letter", g.letter, "name", g.name,
            "state", t->state, "state_name", hall_ticket_state_name(t->state), "called_at",
            hall_time_json(t->called_at), "service_min", hall_minutes(t->served_at, t->ended_at),
            "case",
            t->case_id ? json_pack("{s:I,s:s}", "id", (json_int_t)t->case_id, "case_no", t->case_no)
                       : json_null(),
            "rating",
            level ? json_pack("{s:i,s:s}", "level", level, "name", ow_rating_level_name(level))
                  : json_null()));
    return 0;
}

typedef struct other_windows {
    ow_ctx *cx;
    int64_t mine;
    json_t *items;
} other_windows;

static int add_other_window(void *arg, const ow_hall_org *w, const char *state) {
    other_windows *o = arg;
    if (w->id == o->mine) return 0;
    json_array_append_new(o->items, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)w->id, "code",
                                              w->code, "name", w->name, "state", state));
    return 0;
}

int ow_hall_counter_json(ow_ctx *cx, json_t **out) {
    ow_hall_org window, site;
    ow_hall_window w;
    int rc = hall_actor_window(cx, &window, &site);
    if (!rc) rc = window_state(cx, &window, &site, &w);
    if (rc) return rc;
    hall_clock now;
    hall_now(cx, &now);
    int64_t groups[HALL_GROUPS_MAX];
    int ng;
    if ((rc = ow_hall_store_window_groups(cx->db, window.id, groups, HALL_GROUPS_MAX, &ng,
                                          &cx->err)))
        return rc;
    hall_group_now gn[HALL_GROUPS_MAX];
    int n;
    if ((rc = hall_groups_now(cx, site.id, now.day, gn, HALL_GROUPS_MAX, &n, groups, ng)))
        return rc;
    json_t *queue = json_array(), *all_groups = json_array();
    int waiting = 0;
    for (int i = 0; i < n; i++) {
        json_array_append_new(all_groups,
                              json_pack("{s:I,s:s,s:s}", "id", (json_int_t)gn[i].g.id, "letter",
                                        gn[i].g.letter, "name", gn[i].g.name));
        bool serves = false;
        for (int j = 0; j < ng; j++)
            if (groups[j] == gn[i].g.id) serves = true;
        if (!serves) continue;
        waiting += gn[i].waiting;
        json_array_append_new(
            queue, json_pack("{s:I,s:s,s:s,s:i,s:i}", "id", (json_int_t)gn[i].g.id, "letter",
                             gn[i].g.letter, "name", gn[i].g.name, "waiting", gn[i].waiting,
                             "longest_min", gn[i].oldest ? hall_minutes(gn[i].oldest, now.ms) : 0));
    }
    ow_hall_ticket t;
    bool has;
    json_t *ticket = json_null(), *pause = json_null();
    if ((rc = in_hand(cx, &t, &has))) goto fail;
    if (has) {
        json_decref(ticket);
        ticket = ticket_staff_json(cx, &t);
        char tok[OW_HALL_TOKEN_CHARS + 1];
        ow_hall_ticket_token(cx, t.id, tok);
        json_object_set_new(ticket, "token", json_string(tok));
    }
    int64_t next = 0;
    if ((rc = ow_hall_store_next_waiting(cx->db, now.day, window.id, &next, &cx->err))) goto fail;
    json_t *next_json = json_null();
    if (next) {
        ow_hall_ticket nt;
        if ((rc = ow_hall_store_ticket(cx->db, next, &nt, &cx->err))) goto fail;
        next_json = json_pack("{s:I,s:s,s:i,s:b}", "id", (json_int_t)nt.id, "number", nt.number,
                              "priority", nt.priority, "green", nt.green);
    }
    if (!strcmp(w.state, "paused") && w.pause_id) {
        ow_hall_pause p;
        if ((rc = ow_hall_store_pause(cx->db, w.pause_id, &p, &cx->err))) {
            json_decref(next_json);
            goto fail;
        }
        json_decref(pause);
        pause =
            json_pack("{s:s,s:s,s:s,s:o,s:i}", "reason", p.reason, "reason_name",
                      hall_pause_reason_name(p.reason), "note", p.note, "since",
                      hall_time_json(p.started_at), "minutes", hall_minutes(p.started_at, now.ms));
    }
    day_acc d = {.window = window.id, .now = now.ms};
    recent_acc r = {cx, json_array(), gn, n};
    other_windows ow = {cx, window.id, json_array()};
    int64_t from = hall_instant(now.today, 0), to = hall_instant(now.today + 1, 0);
    ow_hall_window_day wd;
    if ((rc = ow_hall_store_window_day(cx->db, window.id, from, to, &wd, &cx->err)) ||
        (rc = ow_hall_store_each_pause_at(cx->db, window.id, from, to, day_pause, &d, &cx->err)) ||
        (rc = ow_hall_store_each_called_at(cx->db, window.id, now.day, 10, add_recent, &r,
                                           &cx->err)) ||
        (rc = ow_hall_store_each_site_window_state(cx->db, &site, add_other_window, &ow,
                                                   &cx->err))) {
        json_decref(next_json);
        json_decref(r.items);
        json_decref(ow.items);
        goto fail;
    }
    json_t *reasons = json_array();
    for (size_t i = 0; i < sizeof PAUSE_REASONS / sizeof *PAUSE_REASONS; i++)
        json_array_append_new(reasons, json_pack("{s:s,s:s}", "code", PAUSE_REASONS[i], "name",
                                                 hall_pause_reason_name(PAUSE_REASONS[i])));
    *out = json_pack(
        "{s:{s:I,s:s,s:s},s:{s:s,s:s},s:s,s:s,s:o,s:o,s:o,s:o,s:i,s:o,s:{s:i,s:i,s:i,s:i,s:i,s:i,"
        "s:i},s:o,s:o,s:o,s:o,s:b}",
        "window", "id", (json_int_t)window.id, "code", window.code, "name", window.name, "site",
        "code", site.code, "name", site.name, "state", w.state, "clerk_name", w.clerk_name, "since",
        hall_time_json(w.since), "pause", pause, "ticket", ticket, "queue", queue, "waiting",
        waiting, "next", next_json, "today", "called", wd.called, "served", wd.served, "no_show",
        wd.no_show, "transferred", wd.transferred, "avg_wait_min",
        wd.called ? (int)(wd.wait_ms / wd.called / 60000) : 0, "avg_service_min",
        wd.services ? (int)(wd.service_ms / wd.services / 60000) : 0, "paused_min",
        (int)(d.paused_ms / 60000), "recent", r.items, "windows", ow.items, "groups", all_groups,
        "pause_reasons", reasons, "serves", ng > 0);
    return OW_OK;
fail:
    json_decref(queue);
    json_decref(all_groups);
    json_decref(ticket);
    json_decref(pause);
    return rc;
}

/* ---------------- the display ---------------- */

typedef struct board_acc {
    ow_ctx *cx;
    int64_t windows[128];
    char numbers[128][8];
    int nwin;
    json_t *recent;
} board_acc;

/* A ticket at a window now: the number the display shows for that window. */
static int board_at_window(void *arg, const ow_hall_ticket *t) {
    board_acc *b = arg;
    for (int i = 0; i < b->nwin; i++)
        if (b->windows[i] == t->window_id) { /* two clerks at one township desk: the later */
            snprintf(b->numbers[i], sizeof b->numbers[i], "%s", t->number);
            return 0;
        }
    if (b->nwin < 128) {
        b->windows[b->nwin] = t->window_id;
        snprintf(b->numbers[b->nwin], sizeof b->numbers[b->nwin], "%s", t->number);
        b->nwin++;
    }
    return 0;
}

static int board_call(void *arg, const ow_hall_ticket *t) {
    board_acc *b = arg;
    ow_hall_org w = {0};
    ow_err keep = b->cx->err;
    ow_hall_store_org(b->cx->db, t->window_id, &w, &b->cx->err);
    b->cx->err = keep;
    json_array_append_new(b->recent,
                          json_pack("{s:I,s:s,s:s,s:o,s:s}", "ticket_id", (json_int_t)t->id,
                                    "number", t->number, "window", w.name, "at",
                                    hall_time_json(t->called_at), "state", t->state));
    return 0;
}

typedef struct board_windows {
    ow_ctx *cx;
    board_acc *calls;
    json_t *items;
} board_windows;

static int board_window(void *arg, const ow_hall_org *w) {
    board_windows *bw = arg;
    int64_t groups[HALL_GROUPS_MAX];
    int ng = 0;
    ow_err keep = bw->cx->err;
    ow_hall_store_window_groups(bw->cx->db, w->id, groups, HALL_GROUPS_MAX, &ng, &bw->cx->err);
    ow_hall_window st;
    bool found = false;
    if (ow_hall_store_window(bw->cx->db, w->id, &st, &found, &bw->cx->err)) found = false;
    bw->cx->err = keep;
    if (!ng) return 0; /* not a calling window (a back office, the delivery desk …) */
    const char *number = NULL;
    for (int i = 0; i < bw->calls->nwin; i++)
        if (bw->calls->windows[i] == w->id) number = bw->calls->numbers[i];
    if (number && !*number) number = NULL;
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)w->id, "code", w->code, "name",
                          w->name, "state", found ? st.state : "closed", "number",
                          number ? json_string(number) : json_null());
    if (found && !strcmp(st.state, "paused") && st.pause_id) {
        ow_hall_pause p;
        keep = bw->cx->err;
        if (!ow_hall_store_pause(bw->cx->db, st.pause_id, &p, &bw->cx->err))
            json_object_set_new(o, "pause_reason", json_string(hall_pause_reason_name(p.reason)));
        bw->cx->err = keep;
    }
    json_array_append_new(bw->items, o);
    return 0;
}

int ow_hall_board_json(ow_ctx *cx, const char *code, json_t **out) {
    ow_hall_org site;
    int rc = hall_site(cx, code, "code", &site);
    if (rc) return rc;
    hall_clock now;
    hall_now(cx, &now);
    hall_open open;
    if ((rc = hall_open_now(cx, &now, &open))) return rc;
    board_acc *b = ow_alloc(cx->arena, sizeof *b);
    memset(b, 0, sizeof *b);
    b->cx = cx;
    b->recent = json_array();
    board_windows bw = {cx, b, json_array()};
    hall_group_now gn[HALL_GROUPS_MAX];
    int n = 0;
    if ((rc = ow_hall_store_each_at_window(cx->db, site.id, now.day, board_at_window, b,
                                           &cx->err)) ||
        (rc = ow_hall_store_each_called(cx->db, site.id, now.day, BOARD_RECENT, board_call, b,
                                        &cx->err)) ||
        (rc = ow_hall_store_each_site_window(cx->db, &site, board_window, &bw, &cx->err)) ||
        (rc = hall_groups_now(cx, site.id, now.day, gn, HALL_GROUPS_MAX, &n, NULL, 0))) {
        json_decref(b->recent);
        json_decref(bw.items);
        return rc;
    }
    json_t *groups = json_array();
    int waiting = 0;
    int64_t oldest = 0;
    for (int i = 0; i < n; i++) {
        json_array_append_new(groups, json_pack("{s:I,s:s,s:s,s:i}", "id", (json_int_t)gn[i].g.id,
                                                "letter", gn[i].g.letter, "name", gn[i].g.name,
                                                "waiting", gn[i].waiting));
        waiting += gn[i].waiting;
        if (gn[i].oldest && (!oldest || gn[i].oldest < oldest)) oldest = gn[i].oldest;
    }
    *out = json_pack("{s:{s:s,s:s},s:s,s:s,s:o,s:b,s:s,s:o,s:o,s:o,s:i,s:i}", "site", "code",
                     site.code, "name", site.name, "day", now.day, "weekday",
                     hall_weekday_name(now.today), "now", hall_time_json(now.ms), "issuing",
                     open.issuing, "closed_reason", open.why, "windows", bw.items, "calls",
                     b->recent, "groups", groups, "waiting", waiting, "longest_wait_min",
                     oldest ? hall_minutes(oldest, now.ms) : 0);
    return OW_OK;
}

int ow_hall_last_call(ow_ctx *cx, int64_t ticket_id, int64_t *step_id) {
    return ow_hall_store_last_call_step(cx->db, ticket_id, step_id, &cx->err);
}

int ow_hall_call_json(ow_ctx *cx, int64_t step_id, json_t **out, char code[32]) {
    ow_hall_ticket_step ev;
    ow_hall_ticket t;
    ow_hall_org site, win;
    int rc = ow_hall_store_ticket_step(cx->db, step_id, &ev, &cx->err);
    if (!rc && strcmp(ev.action, "call") && strcmp(ev.action, "recall"))
        rc = ow_err_set(&cx->err, OW_ENOTFOUND, "id", "叫号记录不存在");
    if (!rc) rc = ow_hall_store_ticket(cx->db, ev.ticket_id, &t, &cx->err);
    if (!rc) rc = ow_hall_store_org(cx->db, t.site_id, &site, &cx->err);
    if (!rc) rc = ow_hall_store_org(cx->db, ev.window_id, &win, &cx->err);
    if (rc) return rc;
    char spoken[256], say[400];
    window_spoken(win.name, spoken, sizeof spoken);
    snprintf(say, sizeof say, "请%s号到%s办理", t.number, spoken);
    snprintf(code, 32, "%s", site.code);
    *out = json_pack("{s:I,s:I,s:s,s:{s:I,s:s,s:s},s:o,s:i,s:b,s:s}", "id", (json_int_t)ev.id,
                     "ticket_id", (json_int_t)t.id, "number", t.number, "window", "id",
                     (json_int_t)win.id, "code", win.code, "name", win.name, "at",
                     hall_time_json(ev.at), "calls", t.calls, "recall",
                     !strcmp(ev.action, "recall"), "utterance", say);
    return OW_OK;
}

int ow_hall_ticket_site(ow_ctx *cx, int64_t id, char code[32]) {
    ow_hall_ticket t;
    ow_hall_org site;
    int rc = ow_hall_store_ticket(cx->db, id, &t, &cx->err);
    if (!rc) rc = ow_hall_store_org(cx->db, t.site_id, &site, &cx->err);
    if (rc) return rc;
    snprintf(code, 32, "%s", site.code);
    return OW_OK;
}

int ow_hall_actor_site(ow_ctx *cx, char code[32]) {
    ow_hall_org window, site;
    int rc = hall_actor_window(cx, &window, &site);
    if (rc) return rc;
    snprintf(code, 32, "%s", site.code);
    return OW_OK;
}

/* ---------------- the supervisors' overview ---------------- */

typedef struct overview_acc {
    ow_ctx *cx;
    const hall_clock *now;
    json_t *items;
} overview_acc;

typedef struct today_acc {
    int taken, served, waits;
    int64_t wait_ms;
} today_acc;

static int today_ticket(void *arg, const ow_hall_ticket *t) {
    today_acc *a = arg;
    a->taken++;
    if (!strcmp(t->state, "done")) a->served++;
    if (t->first_called_at) {
        a->waits++;
        a->wait_ms += t->first_called_at - t->taken_at;
    }
    return 0;
}

typedef struct window_count {
    int open, paused;
} window_count;

static int count_window(void *arg, const ow_hall_window *w, const char *reason) {
    (void)reason;
    window_count *c = arg;
    if (!strcmp(w->state, "open")) c->open++;
    if (!strcmp(w->state, "paused")) c->paused++;
    return 0;
}

static int overview_site(void *arg, const ow_hall_org *s) {
    overview_acc *o = arg;
    ow_ctx *cx = o->cx;
    hall_group_now gn[HALL_GROUPS_MAX];
    int n;
    today_acc t = {0};
    window_count wc = {0};
    int rc = hall_groups_now(cx, s->id, o->now->day, gn, HALL_GROUPS_MAX, &n, NULL, 0);
    if (!rc)
        rc = ow_hall_store_each_ticket_in(cx->db, s->id, o->now->day, o->now->day, today_ticket, &t,
                                          &cx->err);
    if (!rc) rc = ow_hall_store_each_window_state(cx->db, s->id, count_window, &wc, &cx->err);
    if (rc) return rc;
    int waiting = 0;
    int64_t oldest = 0;
    for (int i = 0; i < n; i++) {
        waiting += gn[i].waiting;
        if (gn[i].oldest && (!oldest || gn[i].oldest < oldest)) oldest = gn[i].oldest;
    }
    json_array_append_new(
        o->items,
        json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "code", s->code, "name", s->name,
                  "kind", s->kind, "waiting", waiting, "longest_wait_min",
                  oldest ? hall_minutes(oldest, o->now->ms) : 0, "windows_open", wc.open,
                  "windows_paused", wc.paused, "tickets_today", t.taken, "served_today", t.served,
                  "avg_wait_min", t.waits ? (int)(t.wait_ms / t.waits / 60000) : 0));
    return 0;
}

int ow_hall_overview_json(ow_ctx *cx, json_t **out) {
    if (!hall_sees_all(&cx->actor))
        return ow_err_set(&cx->err, cx->actor.user_id > 0 ? OW_EFORBIDDEN : OW_EUNAUTH, "",
                          "只有监察人员和管理员可以查看各大厅实时情况");
    hall_clock now;
    hall_now(cx, &now);
    overview_acc o = {cx, &now, json_array()};
    int rc = ow_hall_store_each_hall(cx->db, overview_site, &o, &cx->err);
    if (rc) {
        json_decref(o.items);
        return rc;
    }
    *out =
        json_pack("{s:s,s:o,s:o}", "day", now.day, "now", hall_time_json(now.ms), "halls", o.items);
    return OW_OK;
}

/* ---------------- the end of a day ---------------- */

typedef struct stale_acc {
    ow_arena *arena;
    ow_hall_ticket *v;
    int n, cap;
} stale_acc;

static int collect_ticket(void *arg, const ow_hall_ticket *t) {
    stale_acc *a = arg;
    if (a->n == a->cap) {
        int cap = a->cap ? a->cap * 2 : 32;
        ow_hall_ticket *v = ow_alloc(a->arena, (size_t)cap * sizeof *v);
        if (a->n) memcpy(v, a->v, (size_t)a->n * sizeof *v);
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = *t;
    return 0;
}

typedef struct stale_windows {
    ow_arena *arena;
    ow_hall_window *v;
    int n, cap;
} stale_windows;

static int collect_window(void *arg, const ow_hall_window *w) {
    stale_windows *a = arg;
    if (a->n == a->cap) {
        int cap = a->cap ? a->cap * 2 : 16;
        ow_hall_window *v = ow_alloc(a->arena, (size_t)cap * sizeof *v);
        if (a->n) memcpy(v, a->v, (size_t)a->n * sizeof *v);
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = *w;
    return 0;
}

/* When a past day's hall closed: the end of its last session. */
static int64_t closing_of(ow_ctx *cx, const char *day) {
    ow_hall_hours h;
    int32_t d;
    ow_err keep = cx->err;
    int rc = hall_hours(cx, &h);
    cx->err = keep;
    if (rc || ow_date_parse(day, &d)) return 0;
    return hall_instant(d, h.end[h.n - 1]);
}

int hall_queue_sweep(ow_ctx *cx, const hall_clock *now, int *n) {
    *n = 0;
    stale_acc s = {.arena = cx->arena};
    int rc = ow_hall_store_each_stale_ticket(cx->db, now->day, collect_ticket, &s, &cx->err);
    for (int i = 0; !rc && i < s.n; i++) {
        ow_hall_ticket *t = &s.v[i];
        int64_t close = closing_of(cx, t->day);
        bool serving = !strcmp(t->state, "serving");
        if (t->call_id) {
            ow_hall_call c;
            if ((rc = load_call(cx, t, &c))) break;
            snprintf(c.outcome, sizeof c.outcome, "%s", serving ? "done" : "cancelled");
            c.ended_at = close > c.called_at ? close : c.called_at;
            if ((rc = ow_hall_store_call_save(cx->db, &c, &cx->err))) break;
        }
        snprintf(t->state, sizeof t->state, "%s", serving ? "done" : "expired");
        t->ended_at = close ? close : now->ms;
        t->clerk_id = 0;
        if ((rc = save(cx, t)) ||
            (rc = ow_hall_store_ticket_event(cx->db, t->id, now->ms, serving ? "done" : "expire", 0,
                                             0, "系统", "当日结束", &cx->err)))
            break;
        (*n)++;
    }
    stale_windows w = {.arena = cx->arena};
    if (!rc)
        rc = ow_hall_store_each_stale_window(cx->db, hall_instant(now->today, 0), collect_window,
                                             &w, &cx->err);
    for (int i = 0; !rc && i < w.n; i++) {
        ow_hall_window *x = &w.v[i];
        char day[11];
        ow_date_format(ow_date_today_shanghai(x->since), day);
        int64_t close = closing_of(cx, day);
        if (close < x->since) close = x->since;
        if (x->pause_id && (rc = ow_hall_store_pause_end(cx->db, x->pause_id, close, &cx->err)))
            break;
        snprintf(x->state, sizeof x->state, "closed");
        x->pause_id = 0;
        x->since = now->ms;
        if ((rc = ow_hall_store_window_put(cx->db, x, &cx->err))) break;
        (*n)++;
    }
    return rc;
}
