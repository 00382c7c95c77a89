/* notify_api.c — HTTP handlers of the message center (everyone signed in) and of the
 * message templates (administrators). */
#include <string.h>

#include "core/json.h"
#include "notify/notify.h"
#include "notify/notify_api.h"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

static int api_messages(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int page, per_page;
    if (ow_req_paging(rq, &page, &per_page)) return OW_EINVAL;
    const char *u = ow_req_query(rq, "unread");
    json_t *items;
    int64_t total, unread;
    int rc = ow_notify_messages_json(cx, u && !strcmp(u, "true"), page, per_page, &items, &total);
    if (rc) return rc;
    if ((rc = ow_notify_unread(cx, &unread))) {
        json_decref(items);
        return rc;
    }
    return ow_reply_json(rq, 200,
                         json_pack("{s:o,s:I,s:i,s:i,s:I}", "items", items, "total",
                                   (json_int_t)total, "page", page, "per_page", per_page, "unread",
                                   (json_int_t)unread));
}

static int api_unread(ow_req *rq) {
    int64_t n;
    int rc = ow_notify_unread(CX(rq), &n);
    return rc ? rc : ow_reply_json(rq, 200, json_pack("{s:I}", "unread", (json_int_t)n));
}

static int api_read(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "消息不存在");
    int rc = ow_notify_mark_read(CX(rq), id);
    return rc ? rc : ow_reply_empty(rq, 204);
}

static int api_read_all(ow_req *rq) {
    int rc = ow_notify_mark_read(CX(rq), 0);
    return rc ? rc : ow_reply_empty(rq, 204);
}

static int api_templates(ow_req *rq) {
    json_t *items;
    int rc = ow_notify_templates_json(CX(rq), &items);
    if (rc) return rc;
    size_t n = json_array_size(items);
    return ow_reply_list(rq, items, (int64_t)n, 1, (int)n);
}

static int api_template_put(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    const char *title, *body, *event = ow_req_param(rq, "event");
    json_t *b = ow_req_json(rq);
    if (ow_json_str(b, "title", true, 400, &title, &cx->err) ||
        ow_json_str(b, "body", true, 4000, &body, &cx->err))
        return OW_EINVAL;
    int rc = ow_notify_template_put(cx, event, title, body);
    if (rc) return rc;
    json_t *all;
    if ((rc = ow_notify_templates_json(cx, &all))) return rc;
    size_t i;
    json_t *t;
    json_array_foreach(all, i, t) {
        if (!strcmp(json_string_value(json_object_get(t, "event")), event)) {
            json_t *one = json_incref(t);
            json_decref(all);
            return ow_reply_json(rq, 200, one);
        }
    }
    json_decref(all);
    return ow_reply_empty(rq, 204);
}

static int api_template_reset(ow_req *rq) {
    int rc = ow_notify_template_reset(CX(rq), ow_req_param(rq, "event"));
    return rc ? rc : ow_reply_empty(rq, 204);
}

static int api_sms_template_put(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    const char *text, *event = ow_req_param(rq, "event");
    json_t *b = ow_req_json(rq);
    if (ow_json_str(b, "text", true, 2000, &text, &cx->err)) return OW_EINVAL;
    char *warning;
    int rc = ow_notify_sms_template_put(cx, event, text, &warning);
    if (rc) return rc;
    json_t *all;
    if ((rc = ow_notify_templates_json(cx, &all))) return rc;
    size_t i;
    json_t *t, *one = NULL;
    json_array_foreach(all, i, t) {
        if (!strcmp(json_string_value(json_object_get(t, "event")), event)) one = json_incref(t);
    }
    json_decref(all);
    if (!one) return ow_reply_empty(rq, 204);
    json_object_set_new(one, "warning", warning ? json_string(warning) : json_null());
    return ow_reply_json(rq, 200, one);
}

static int api_sms_template_reset(ow_req *rq) {
    int rc = ow_notify_sms_template_reset(CX(rq), ow_req_param(rq, "event"));
    return rc ? rc : ow_reply_empty(rq, 204);
}

static int settings_reply(ow_req *rq) {
    bool on, has;
    int rc = ow_notify_sms_setting(CX(rq), &on, &has);
    return rc ? rc : ow_reply_json(rq, 200, json_pack("{s:b,s:b}", "sms", on, "has_mobile", has));
}

static int api_settings_put(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq), *sms = json_object_get(b, "sms");
    if (!json_is_boolean(sms))
        return ow_err_set(&cx->err, OW_EINVAL, "sms", "sms 应为 true 或 false");
    int rc = ow_notify_sms_set(cx, json_is_true(sms));
    return rc ? rc : settings_reply(rq);
}

const ow_route ow_notify_routes[] = {
    {"GET", "/api/v1/messages/settings", settings_reply, OW_INLINE, 0},
    {"PUT", "/api/v1/messages/settings", api_settings_put, OW_ON_WRITER, 0},
    {"GET", "/api/v1/messages", api_messages, OW_INLINE, 0},
    {"GET", "/api/v1/messages/unread", api_unread, OW_INLINE, 0},
    {"POST", "/api/v1/messages/{id}/read", api_read, OW_ON_WRITER, OW_R_NO_BODY},
    {"POST", "/api/v1/messages/read-all", api_read_all, OW_ON_WRITER, OW_R_NO_BODY},
    {"GET", "/api/v1/notify/templates", api_templates, OW_INLINE, 0},
    {"PUT", "/api/v1/notify/templates/{event}", api_template_put, OW_ON_WRITER, 0},
    {"DELETE", "/api/v1/notify/templates/{event}", api_template_reset, OW_ON_WRITER, OW_R_NO_BODY},
    {"PUT", "/api/v1/notify/templates/{event}/sms", api_sms_template_put, OW_ON_WRITER, 0},
    {"DELETE", "/api/v1/notify/templates/{event}/sms", api_sms_template_reset, OW_ON_WRITER,
     OW_R_NO_BODY},
};
const size_t ow_notify_routes_n = sizeof ow_notify_routes / sizeof ow_notify_routes[0];
