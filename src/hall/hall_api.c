/* hall_api.c — HTTP handlers of the hall (docs/api.md "The hall").  Parse, call hall.h,
 * render; and after every change that the hall's display or the people waiting should
 * see, publish it on the hall's live channel (http/events.h) once the change has
 * committed: writes run on the writer, then a step on the request thread publishes the
 * call (the display speaks it) and the board's new state, and answers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/workdays.h"
#include "hall/hall.h"
#include "hall/hall_api.h"
#include "http/events.h"
#include "report/report.h"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

static int reply(ow_req *rq, int status, int rc, json_t *out) {
    if (rc) return rc;
    return ow_reply_json(rq, status, out);
}

static int64_t param_id(ow_req *rq, const char *msg) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "%s", msg);
    return id;
}

/* ---------------- after a change: the live channel ---------------- */

typedef struct after {
    char site[32];
    int64_t ticket_id; /* the ticket the change was about */
    bool call;         /* announce its latest call or recall */
    int status;
    enum { ANSWER_TICKET, ANSWER_COUNTER, ANSWER_VISIT } answer;
    const char *token; /* the ticket's link code, when the holder needs it */
} after;

static void publish_json(ow_events *hub, const char *channel, const char *name, json_t *v,
                         bool latest) {
    char *s = ow_json_dump(v);
    if (s) ow_events_publish(hub, channel, name, s, latest);
    free(s);
    json_decref(v);
}

static void publish(ow_ctx *cx, after *a) {
    ow_events *hub = cx->app->events;
    if (!hub) return;
    ow_err keep = cx->err;
    char code[32], channel[48];
    snprintf(code, sizeof code, "%s", a->site);
    int64_t step = 0;
    if (a->call && !ow_hall_last_call(cx, a->ticket_id, &step) && step) {
        json_t *c;
        if (!ow_hall_call_json(cx, step, &c, code)) {
            ow_hall_channel(code, channel);
            char *s = ow_json_dump(c);
            if (s) ow_events_publish_id(hub, channel, "call", s, (uint64_t)step);
            free(s);
            json_decref(c);
        }
    }
    if (code[0]) {
        ow_hall_channel(code, channel);
        json_t *b;
        if (ow_events_subscribers(hub, channel) > 0 && !ow_hall_board_json(cx, code, &b))
            publish_json(hub, channel, "board", b, true);
    }
    cx->err = keep; /* the change committed: a failed announcement does not undo it */
}

static int answer_after(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    after *a = ow_req_data(rq);
    publish(cx, a);
    json_t *out = NULL;
    int rc;
    switch (a->answer) {
    case ANSWER_TICKET:
        rc = ow_hall_ticket_json(cx, a->ticket_id, a->token, &out);
        if (!rc && a->token) json_object_set_new(out, "token", json_string(a->token));
        break;
    case ANSWER_COUNTER:
        rc = ow_hall_counter_json(cx, &out);
        break;
    default:
        rc = ow_hall_visit_json(cx, a->ticket_id, &out);
        break;
    }
    return reply(rq, a->status, rc, out);
}

static after *after_new(ow_req *rq, int status, int answer) {
    after *a = ow_alloc(CX(rq)->arena, sizeof *a);
    memset(a, 0, sizeof *a);
    a->status = status;
    a->answer = answer;
    ow_req_set_data(rq, a);
    ow_req_then(rq, answer_after, OW_INLINE);
    return a;
}

/* ---------------- halls ---------------- */

static int api_sites(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_hall_sites_json(CX(rq), &out);
    return reply(rq, 200, rc, out);
}

static int api_site(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_hall_site_json(CX(rq), ow_req_param(rq, "code"), &out);
    return reply(rq, 200, rc, out);
}

static int api_board(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_hall_board_json(CX(rq), ow_req_param(rq, "code"), &out);
    return reply(rq, 200, rc, out);
}

static int api_events(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    const char *code = ow_req_param(rq, "code");
    json_t *board = NULL;
    int rc = ow_hall_board_json(cx, code, &board);
    if (rc) return rc;
    if (!cx->app->events) {
        json_decref(board);
        return ow_err_setk(&cx->err, OW_EBUSY, "unavailable", "", "实时推送暂不可用");
    }
    char channel[48];
    ow_hall_channel(code, channel);
    char *first = ow_json_dump(board);
    json_decref(board);
    rc = ow_reply_events(rq, cx->app->events, channel, "board", first);
    free(first);
    return rc;
}

static int api_slots(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t item = 0, group = 0;
    if (ow_req_query_id(rq, "item_id", &item) || ow_req_query_id(rq, "group_id", &group))
        return cx->err.code;
    json_t *out = NULL;
    int rc = ow_hall_slots_json(cx, ow_req_param(rq, "code"), item, group, &out);
    return reply(rq, 200, rc, out);
}

/* ---------------- settings ---------------- */

static int api_settings(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_hall_settings_json(CX(rq), ow_req_param(rq, "code"), &out);
    return reply(rq, 200, rc, out);
}

static int id_list(ow_ctx *cx, const json_t *b, const char *key, int max, const int64_t **out,
                   int *n) {
    json_t *a = json_object_get(b, key);
    *out = NULL;
    *n = 0;
    if (!a || json_is_null(a)) return OW_OK;
    if (!json_is_array(a)) return ow_err_set(&cx->err, OW_EINVAL, key, "应为编号列表");
    size_t k = json_array_size(a);
    if ((int)k > max) return ow_err_set(&cx->err, OW_EINVAL, key, "最多选择 %d 个", max);
    int64_t *v = ow_alloc(cx->arena, (k + 1) * sizeof *v);
    for (size_t i = 0; i < k; i++) {
        json_t *e = json_array_get(a, i);
        if (!json_is_integer(e) || json_integer_value(e) < 1)
            return ow_err_set(&cx->err, OW_EINVAL, key, "第 %zu 项不是有效的编号", i + 1);
        v[i] = json_integer_value(e);
    }
    *out = v;
    *n = (int)k;
    return OW_OK;
}

static int parse_group(ow_req *rq, ow_hall_group_in *in) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    int64_t cap = 0, svc = 10, sort = 0;
    bool def = false, active = true;
    if (ow_json_str(b, "letter", true, 1, &in->letter, &cx->err) ||
        ow_json_str(b, "name", true, 20, &in->name, &cx->err) ||
        ow_json_str(b, "note", false, OW_HALL_NOTE_MAX_CHARS, &in->note, &cx->err) ||
        ow_json_int(b, "slot_capacity", false, 0, 100, &cap, &cx->err) ||
        ow_json_int(b, "service_min", false, 1, 240, &svc, &cx->err) ||
        ow_json_int(b, "sort", false, 0, 1000, &sort, &cx->err) ||
        ow_json_bool(b, "is_default", false, &def, &cx->err) ||
        ow_json_bool(b, "active", false, &active, &cx->err) ||
        id_list(cx, b, "windows", OW_HALL_GROUP_WINDOWS_MAX, &in->windows, &in->nwindows) ||
        id_list(cx, b, "departments", OW_HALL_GROUP_DEPTS_MAX, &in->depts, &in->ndepts))
        return OW_EINVAL;
    if (!json_object_get(b, "active")) active = true;
    in->slot_capacity = (int)cap;
    in->service_min = (int)svc;
    in->sort = (int)sort;
    in->is_default = def;
    in->active = active;
    return OW_OK;
}

static int settings_after(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_hall_settings_json(CX(rq), ow_req_param(rq, "code"), &out);
    return reply(rq, *(int *)ow_req_data(rq), rc, out);
}

static int save_group(ow_req *rq, int64_t id) {
    ow_ctx *cx = CX(rq);
    ow_hall_group_in in = {0};
    int rc = parse_group(rq, &in);
    int64_t out_id;
    if (!rc) rc = ow_hall_group_save(cx, ow_req_param(rq, "code"), id, &in, &out_id);
    if (rc) return rc;
    int *status = ow_alloc(cx->arena, sizeof *status);
    *status = id ? 200 : 201;
    ow_req_set_data(rq, status);
    ow_req_then(rq, settings_after, OW_INLINE);
    return OW_OK;
}

static int api_group_create(ow_req *rq) {
    return save_group(rq, 0);
}

static int api_group_update(ow_req *rq) {
    int64_t id = param_id(rq, "业务类别不存在");
    if (id < 0) return OW_ENOTFOUND;
    return save_group(rq, id);
}

static int api_kiosk_key(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    char key[OW_HALL_KIOSK_KEY_CHARS + 1];
    const char *code = ow_req_param(rq, "code");
    int rc = ow_hall_kiosk_key_new(cx, code, key);
    if (rc) return rc;
    char url[160];
    snprintf(url, sizeof url, "/hall/%s/kiosk#key=%s", code, key);
    return ow_reply_json(rq, 201, json_pack("{s:s,s:s}", "key", key, "kiosk_url", url));
}

/* ---------------- appointments ---------------- */

static int appt_after(ow_req *rq) {
    json_t *out = NULL;
    int64_t *a = ow_req_data(rq);
    int rc = ow_hall_appointment_json(CX(rq), a[0], &out);
    return reply(rq, (int)a[1], rc, out);
}

static void then_appt(ow_req *rq, int64_t id, int status) {
    int64_t *a = ow_alloc(CX(rq)->arena, 2 * sizeof *a);
    a[0] = id;
    a[1] = status;
    ow_req_set_data(rq, a);
    ow_req_then(rq, appt_after, OW_INLINE);
}

static int api_book(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    ow_hall_book_in in = {0};
    int64_t slot;
    if (ow_json_str(b, "site", true, 16, &in.site, &cx->err) ||
        ow_json_int(b, "item_id", true, 1, INT64_MAX, &in.item_id, &cx->err) ||
        ow_json_str(b, "day", true, 10, &in.day, &cx->err) ||
        ow_json_int(b, "slot", true, 0, 24 * 60 - 1, &slot, &cx->err))
        return OW_EINVAL;
    in.slot = (int)slot;
    int64_t id;
    int rc = ow_hall_book(cx, &in, &id);
    if (rc) return rc;
    then_appt(rq, id, 201);
    return OW_OK;
}

static int api_appointments(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_hall_appt_query q = {.site = ow_req_query(rq, "site"),
                            .day = ow_req_query(rq, "day"),
                            .state = ow_req_query(rq, "state")};
    if (ow_req_paging(rq, &q.page, &q.per_page)) return cx->err.code;
    if (q.state && *q.state && strcmp(q.state, "booked") && strcmp(q.state, "checked_in") &&
        strcmp(q.state, "cancelled") && strcmp(q.state, "no_show"))
        return ow_err_set(&cx->err, OW_EINVAL, "state",
                          "状态应为 booked、checked_in、cancelled 或 no_show");
    json_t *items;
    int64_t total;
    int rc = ow_hall_appointments_json(cx, &q, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, q.page, q.per_page);
}

static int api_appointment(ow_req *rq) {
    int64_t id = param_id(rq, "预约不存在");
    if (id < 0) return OW_ENOTFOUND;
    json_t *out = NULL;
    int rc = ow_hall_appointment_json(CX(rq), id, &out);
    return reply(rq, 200, rc, out);
}

static int api_appointment_act(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = param_id(rq, "预约不存在");
    if (id < 0) return OW_ENOTFOUND;
    json_t *b = ow_req_json(rq);
    ow_hall_appt_act in = {0};
    int64_t slot = -1;
    if (ow_json_str(b, "action", true, 16, &in.action, &cx->err) ||
        ow_json_str(b, "day", false, 10, &in.day, &cx->err) ||
        ow_json_int(b, "slot", false, 0, 24 * 60 - 1, &slot, &cx->err) ||
        ow_json_str(b, "reason", false, OW_HALL_NOTE_MAX_CHARS, &in.reason, &cx->err))
        return OW_EINVAL;
    if (!strcmp(in.action, "move") && !in.day)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "day", "请选择新的预约日期");
    if (!strcmp(in.action, "move") && slot < 0)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "slot", "请选择新的预约时段");
    in.slot = (int)slot;
    int rc = ow_hall_appointment_act(cx, id, &in);
    if (rc) return rc;
    then_appt(rq, id, 200);
    return OW_OK;
}

static int api_booking_status(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_hall_booking_status_json(CX(rq), &out);
    return reply(rq, 200, rc, out);
}

static int api_blocks(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int page, per_page;
    if (ow_req_paging(rq, &page, &per_page)) return cx->err.code;
    const char *active = ow_req_query(rq, "active");
    json_t *items;
    int64_t total;
    int rc =
        ow_hall_blocks_json(cx, !active || strcmp(active, "0"), page, per_page, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, page, per_page);
}

static int api_block_lift(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = param_id(rq, "预约限制记录不存在");
    if (id < 0) return OW_ENOTFOUND;
    const char *reason;
    if (ow_json_str(ow_req_json(rq), "reason", true, OW_HALL_NOTE_MAX_CHARS, &reason, &cx->err))
        return OW_EINVAL;
    int rc = ow_hall_block_lift(cx, id, reason);
    if (rc) return rc;
    return ow_reply_json(rq, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "lifted", 1));
}

/* ---------------- tickets ---------------- */

static int api_take(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    ow_hall_take_in in = {.site = ow_req_param(rq, "code")};
    bool green = false;
    if (ow_json_str(b, "via", true, 8, &in.via, &cx->err) ||
        ow_json_int(b, "group_id", false, 1, INT64_MAX, &in.group_id, &cx->err) ||
        ow_json_bool(b, "green", false, &green, &cx->err) ||
        ow_json_str(b, "appt_code", false, 6, &in.appt_code, &cx->err) ||
        ow_json_str(b, "id_number", false, 18, &in.id_number, &cx->err) ||
        ow_json_int(b, "appointment_id", false, 1, INT64_MAX, &in.appointment_id, &cx->err))
        return OW_EINVAL;
    in.green = green;
    const char *key = ow_req_header(rq, "X-Kiosk-Key");
    in.kiosk_key = key ? ow_strdup(cx->arena, key) : NULL;
    int64_t id;
    int rc = ow_hall_take(cx, &in, &id);
    if (rc) return rc;
    after *a = after_new(rq, 201, ANSWER_TICKET);
    snprintf(a->site, sizeof a->site, "%s", in.site);
    a->ticket_id = id;
    char *tok = ow_alloc(cx->arena, OW_HALL_TOKEN_CHARS + 1);
    ow_hall_ticket_token(cx, id, tok);
    a->token = tok;
    return OW_OK;
}

static int api_ticket(ow_req *rq) {
    int64_t id = param_id(rq, "号票不存在");
    if (id < 0) return OW_ENOTFOUND;
    json_t *out = NULL;
    int rc = ow_hall_ticket_json(CX(rq), id, ow_req_query(rq, "token"), &out);
    return reply(rq, 200, rc, out);
}

static int api_ticket_cancel(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = param_id(rq, "号票不存在");
    if (id < 0) return OW_ENOTFOUND;
    const char *token = NULL;
    if (ow_json_str(ow_req_json(rq), "token", false, 64, &token, &cx->err)) return OW_EINVAL;
    int rc = ow_hall_ticket_cancel(cx, id, token);
    if (rc) return rc;
    after *a = after_new(rq, 200, ANSWER_TICKET);
    a->ticket_id = id;
    a->token = token ? ow_strdup(cx->arena, token) : NULL;
    return ow_hall_ticket_site(cx, id, a->site);
}

static int api_my_tickets(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_hall_my_tickets_json(CX(rq), &out);
    return reply(rq, 200, rc, out);
}

static int api_visit(ow_req *rq) {
    int64_t id = param_id(rq, "号票不存在");
    if (id < 0) return OW_ENOTFOUND;
    json_t *out = NULL;
    int rc = ow_hall_visit_json(CX(rq), id, &out);
    return reply(rq, 200, rc, out);
}

/* ---------------- the window ---------------- */

static int api_counter(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_hall_counter_json(CX(rq), &out);
    return reply(rq, 200, rc, out);
}

static int api_counter_act(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    const char *action, *reason = NULL, *note = NULL;
    if (ow_json_str(b, "action", true, 16, &action, &cx->err) ||
        ow_json_str(b, "reason", false, 16, &reason, &cx->err) ||
        ow_json_str(b, "note", false, OW_HALL_NOTE_MAX_CHARS, &note, &cx->err))
        return OW_EINVAL;
    int rc = ow_hall_window_set(cx, action, reason, note);
    if (rc) return rc;
    after *a = after_new(rq, 200, ANSWER_COUNTER);
    return ow_hall_actor_site(cx, a->site);
}

static int api_call_next(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id;
    int rc = ow_hall_call_next(cx, &id);
    if (rc) return rc;
    after *a = after_new(rq, 200, ANSWER_COUNTER);
    a->ticket_id = id;
    a->call = true;
    return ow_hall_actor_site(cx, a->site);
}

static int api_ticket_act(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = param_id(rq, "号票不存在");
    if (id < 0) return OW_ENOTFOUND;
    json_t *b = ow_req_json(rq);
    ow_hall_ticket_act_in in = {0};
    if (ow_json_str(b, "action", true, 16, &in.action, &cx->err) ||
        ow_json_int(b, "window_id", false, 1, INT64_MAX, &in.window_id, &cx->err) ||
        ow_json_int(b, "group_id", false, 1, INT64_MAX, &in.group_id, &cx->err) ||
        ow_json_str(b, "note", false, OW_HALL_NOTE_MAX_CHARS, &in.note, &cx->err))
        return OW_EINVAL;
    int rc = ow_hall_ticket_act(cx, id, &in);
    if (rc) return rc;
    after *a = after_new(rq, 200, ANSWER_COUNTER);
    a->ticket_id = id;
    a->call = !strcmp(in.action, "recall");
    return ow_hall_actor_site(cx, a->site);
}

static int api_link_case(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = param_id(rq, "号票不存在");
    if (id < 0) return OW_ENOTFOUND;
    json_t *b = ow_req_json(rq);
    int64_t case_id = 0;
    const char *case_no = NULL;
    if (ow_json_int(b, "case_id", false, 1, INT64_MAX, &case_id, &cx->err) ||
        ow_json_str(b, "case_no", false, 40, &case_no, &cx->err))
        return OW_EINVAL;
    int rc = ow_hall_ticket_link_case(cx, id, case_id, case_no);
    if (rc) return rc;
    after *a = after_new(rq, 200, ANSWER_VISIT);
    a->ticket_id = id;
    return OW_OK;
}

static int api_overview(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_hall_overview_json(CX(rq), &out);
    return reply(rq, 200, rc, out);
}

/* ---------------- figures ---------------- */

typedef struct xlsx_job {
    char *table_text;
    char filename[160];
} xlsx_job;

static int render_xlsx(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    xlsx_job *j = ow_req_data(rq);
    json_t *table = json_loads(j->table_text, 0, NULL);
    if (!table) return ow_err_set(&cx->err, OW_EINTERNAL, "", "统计表格解析失败");
    char *data;
    size_t len;
    int rc = ow_table_xlsx(table, cx->app->cfg.data_dir, &data, &len, &cx->err);
    json_decref(table);
    if (rc) return rc;
    return ow_reply_bytes(rq, 200,
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          j->filename, data, len);
}

static int api_stats(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_hall_stats_query q = {.by = ow_req_query(rq, "by"), .site = ow_req_query(rq, "site")};
    const char *f = ow_req_query(rq, "from"), *t = ow_req_query(rq, "to");
    int32_t today = ow_date_today_shanghai(ow_clock_now_ms(cx->clock));
    q.to = today;
    q.from = today - 29;
    if (t && *t && ow_date_parse(t, &q.to))
        return ow_err_set(&cx->err, OW_EINVAL, "to", "结束日期格式应为 YYYY-MM-DD");
    if (f && *f && ow_date_parse(f, &q.from))
        return ow_err_set(&cx->err, OW_EINVAL, "from", "开始日期格式应为 YYYY-MM-DD");
    const char *format = ow_req_query(rq, "format");
    if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx"))
        return ow_err_set(&cx->err, OW_EINVAL, "format", "导出格式应为 json、csv 或 xlsx");
    json_t *table;
    int rc = ow_hall_stats_json(cx, &q, &table);
    if (rc) return rc;
    if (!format || !strcmp(format, "json")) return ow_reply_json(rq, 200, table);
    char from[11], to[11], name[160];
    ow_date_format(q.from, from);
    ow_date_format(q.to, to);
    snprintf(name, sizeof name, "stats-hall-by-%s-%s_%s.%s",
             json_string_value(json_object_get(table, "by")), from, to, format);
    if (!strcmp(format, "csv")) {
        char *data;
        size_t len;
        rc = ow_table_csv(table, &data, &len, &cx->err);
        json_decref(table);
        if (rc) return rc;
        return ow_reply_bytes(rq, 200, "text/csv; charset=utf-8", name, data, len);
    }
    xlsx_job *j = ow_alloc(cx->arena, sizeof *j);
    char *text = ow_json_dump(table);
    json_decref(table);
    j->table_text = ow_strdup(cx->arena, text);
    free(text);
    snprintf(j->filename, sizeof j->filename, "%s", name);
    ow_req_set_data(rq, j);
    ow_req_then(rq, render_xlsx, OW_ON_POOL);
    return OW_OK;
}

/* ---------------- 帮办代办 ---------------- */

static int assist_after(ow_req *rq) {
    int64_t *a = ow_req_data(rq);
    json_t *out = NULL;
    const char *token = (const char *)(intptr_t)a[2];
    int rc = ow_hall_assist_json(CX(rq), a[0], token, &out);
    return reply(rq, (int)a[1], rc, out);
}

static void then_assist(ow_req *rq, int64_t id, int status, const char *token) {
    int64_t *a = ow_alloc(CX(rq)->arena, 3 * sizeof *a);
    a[0] = id;
    a[1] = status;
    a[2] = (int64_t)(intptr_t)token;
    ow_req_set_data(rq, a);
    ow_req_then(rq, assist_after, OW_INLINE);
}

static int api_assist_create(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    ow_hall_assist_in in = {0};
    int64_t minutes;
    if (ow_json_str(b, "kind", true, 8, &in.kind, &cx->err) ||
        ow_json_str(b, "applicant_name", true, 50, &in.applicant_name, &cx->err) ||
        ow_json_str(b, "id_number", true, 18, &in.id_number, &cx->err) ||
        ow_json_str(b, "mobile", false, 20, &in.mobile, &cx->err) ||
        ow_json_int(b, "item_id", false, 1, INT64_MAX, &in.item_id, &cx->err) ||
        ow_json_str(b, "item_name", false, 100, &in.item_name, &cx->err) ||
        ow_json_int(b, "case_id", false, 1, INT64_MAX, &in.case_id, &cx->err) ||
        ow_json_str(b, "case_no", false, 40, &in.case_no, &cx->err) ||
        ow_json_int(b, "ticket_id", false, 1, INT64_MAX, &in.ticket_id, &cx->err) ||
        ow_json_int(b, "minutes", true, 1, OW_HALL_ASSIST_MINUTES_MAX, &minutes, &cx->err) ||
        ow_json_str(b, "note", false, OW_HALL_NOTE_MAX_CHARS, &in.note, &cx->err))
        return OW_EINVAL;
    in.minutes = (int)minutes;
    int64_t id;
    int rc = ow_hall_assist_create(cx, &in, &id);
    if (rc) return rc;
    then_assist(rq, id, 201, NULL);
    return OW_OK;
}

static int api_assists(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_hall_assist_query q = {.from = ow_req_query(rq, "from"),
                              .to = ow_req_query(rq, "to"),
                              .state = ow_req_query(rq, "state")};
    if (ow_req_paging(rq, &q.page, &q.per_page)) return cx->err.code;
    json_t *items;
    int64_t total;
    int rc = ow_hall_assists_json(cx, &q, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, q.page, q.per_page);
}

static int api_assist(ow_req *rq) {
    int64_t id = param_id(rq, "帮办代办记录不存在");
    if (id < 0) return OW_ENOTFOUND;
    json_t *out = NULL;
    int rc = ow_hall_assist_json(CX(rq), id, ow_req_query(rq, "token"), &out);
    return reply(rq, 200, rc, out);
}

static int api_assist_act(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = param_id(rq, "帮办代办记录不存在");
    if (id < 0) return OW_ENOTFOUND;
    json_t *b = ow_req_json(rq);
    const char *action, *token = NULL, *note = NULL;
    if (ow_json_str(b, "action", true, 16, &action, &cx->err) ||
        ow_json_str(b, "token", false, 64, &token, &cx->err) ||
        ow_json_str(b, "note", false, OW_HALL_NOTE_MAX_CHARS, &note, &cx->err))
        return OW_EINVAL;
    int rc = ow_hall_assist_act(cx, id, action, token, note);
    if (rc) return rc;
    then_assist(rq, id, 200, token ? ow_strdup(cx->arena, token) : NULL);
    return OW_OK;
}

/* Literal paths before the ones with a parameter in the same place: the router takes the
 * first that matches. */
const ow_route ow_hall_routes[] = {
    {"GET", "/api/v1/hall/sites", api_sites, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/hall/sites/{code}", api_site, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/hall/sites/{code}/board", api_board, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/hall/sites/{code}/events", api_events, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/hall/sites/{code}/slots", api_slots, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/hall/sites/{code}/settings", api_settings, OW_INLINE, 0},
    {"POST", "/api/v1/hall/sites/{code}/groups", api_group_create, OW_ON_WRITER, 0},
    {"PUT", "/api/v1/hall/sites/{code}/groups/{id}", api_group_update, OW_ON_WRITER, 0},
    {"POST", "/api/v1/hall/sites/{code}/kiosk-key", api_kiosk_key, OW_ON_WRITER, OW_R_NO_BODY},
    /* The ticket machine is an anonymous device with its hall's key (X-Kiosk-Key); a phone
     * takes a ticket signed in (and then with its CSRF token). */
    {"POST", "/api/v1/hall/sites/{code}/tickets", api_take, OW_ON_WRITER, OW_R_PUBLIC},
    {"GET", "/api/v1/hall/tickets/mine", api_my_tickets, OW_INLINE, 0},
    {"GET", "/api/v1/hall/tickets/{id}", api_ticket, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/hall/tickets/{id}/visit", api_visit, OW_INLINE, 0},
    {"POST", "/api/v1/hall/tickets/{id}/cancel", api_ticket_cancel, OW_ON_WRITER, OW_R_PUBLIC},
    {"POST", "/api/v1/hall/tickets/{id}/transitions", api_ticket_act, OW_ON_WRITER, 0},
    {"POST", "/api/v1/hall/tickets/{id}/case", api_link_case, OW_ON_WRITER, 0},
    {"GET", "/api/v1/hall/counter", api_counter, OW_INLINE, 0},
    {"POST", "/api/v1/hall/counter/transitions", api_counter_act, OW_ON_WRITER, 0},
    {"POST", "/api/v1/hall/counter/call-next", api_call_next, OW_ON_WRITER, OW_R_NO_BODY},
    {"GET", "/api/v1/hall/overview", api_overview, OW_INLINE, 0},
    {"GET", "/api/v1/hall/booking-status", api_booking_status, OW_INLINE, 0},
    {"POST", "/api/v1/hall/appointments", api_book, OW_ON_WRITER, 0},
    {"GET", "/api/v1/hall/appointments", api_appointments, OW_INLINE, 0},
    {"GET", "/api/v1/hall/appointments/{id}", api_appointment, OW_INLINE, 0},
    {"POST", "/api/v1/hall/appointments/{id}/transitions", api_appointment_act, OW_ON_WRITER, 0},
    {"GET", "/api/v1/hall/blocks", api_blocks, OW_INLINE, 0},
    {"POST", "/api/v1/hall/blocks/{id}/lift", api_block_lift, OW_ON_WRITER, 0},
    {"POST", "/api/v1/hall/assists", api_assist_create, OW_ON_WRITER, 0},
    {"GET", "/api/v1/hall/assists", api_assists, OW_INLINE, 0},
    {"GET", "/api/v1/hall/assists/{id}", api_assist, OW_INLINE, OW_R_PUBLIC},
    {"POST", "/api/v1/hall/assists/{id}/transitions", api_assist_act, OW_ON_WRITER, OW_R_PUBLIC},
    {"GET", "/api/v1/stats/hall", api_stats, OW_INLINE, 0},
};
const size_t ow_hall_routes_n = sizeof ow_hall_routes / sizeof ow_hall_routes[0];
