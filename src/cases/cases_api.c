/* cases_api.c — HTTP handlers for cases (docs/architecture.md "API conventions"):
 * apply, act, read, queues, public tracking, applicant profile.  Handlers parse and
 * render; every rule is in cases.c.  Submits and transitions run on the writer, so the
 * case row, its history row and its audit row commit together (group commit under load). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "cases/cases.h"
#include "cases/cases_api.h"
#include "core/buf.h"
#include "core/json.h"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

/* An array of strings (material names) into the arena. */
static int str_array(ow_ctx *cx, const json_t *b, const char *key, const char ***out, int *n) {
    json_t *a = json_object_get(b, key);
    *out = NULL;
    *n = 0;
    if (!a || json_is_null(a)) return OW_OK;
    if (!json_is_array(a)) return ow_err_set(&cx->err, OW_EINVAL, key, "材料清单应为数组");
    size_t k = json_array_size(a);
    if (k > OW_CASE_MATERIALS_MAX)
        return ow_err_set(&cx->err, OW_EINVAL, key, "材料过多（最多 %d 项）",
                          OW_CASE_MATERIALS_MAX);
    const char **v = ow_alloc(cx->arena, (k + 1) * sizeof *v);
    for (size_t i = 0; i < k; i++) {
        json_t *e = json_array_get(a, i);
        const char *s = json_string_value(e);
        if (!s) {
            /* the supplement form's objects also carry the name */
            s = json_string_value(json_object_get(e, "name"));
        }
        if (!s || !*s || !ow_utf8_valid_text(s) || ow_utf8_len(s) > 100)
            return ow_err_set(&cx->err, OW_EINVAL, key, "第 %zu 项材料名称不正确", i + 1);
        v[i] = s;
    }
    *out = v;
    *n = (int)k;
    return OW_OK;
}

static int reply_case(ow_req *rq, int status, int64_t id) {
    ow_ctx *cx = CX(rq);
    ow_buf b;
    ow_buf_init(&b, cx->arena, 8192); /* a case with a few steps and events: 2–5 KB */
    int rc = ow_cases_get_text(cx, id, &b);
    if (rc) return rc;
    char *body = malloc(b.len + 1); /* MHD frees it with the response */
    if (!body) return ow_err_set(&cx->err, OW_ENOMEM, "", "内存不足");
    memcpy(body, b.data, b.len + 1);
    return ow_reply_body(rq, status, "application/json; charset=utf-8", body, b.len);
}

/* Three steps: read and check inline, write on the writer (nothing else there, so group
 * commit is not held up), render the answer inline from a read connection, which sees
 * the committed row. */
typedef struct submit_state {
    ow_case_submit_prep *prep;
    int64_t id;
    bool created;
} submit_state;

static int reply_after_write(ow_req *rq) {
    submit_state *s = ow_req_data(rq);
    return reply_case(rq, s->created ? 201 : 200, s->id);
}

static int submit_commit(ow_req *rq) {
    submit_state *s = ow_req_data(rq);
    int rc = ow_cases_submit_commit(CX(rq), s->prep, &s->id, &s->created);
    if (rc) return rc;
    ow_req_then(rq, reply_after_write, OW_INLINE);
    return OW_OK;
}

static int api_submit(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    ow_case_apply_in in = {0};
    const char *body_key = NULL;
    if (ow_json_int(b, "item_id", true, 1, INT64_MAX, &in.item_id, &cx->err) ||
        ow_json_str(b, "id_number", false, 32, &in.id_number, &cx->err) ||
        ow_json_str(b, "uscc", false, 32, &in.uscc, &cx->err) ||
        ow_json_str(b, "name", false, 60, &in.name, &cx->err) ||
        ow_json_str(b, "mobile", false, 20, &in.mobile, &cx->err) ||
        ow_json_str(b, "address", false, 100, &in.address, &cx->err) ||
        ow_json_str(b, "title", false, 200, &in.title, &cx->err) ||
        ow_json_str(b, "idempotency_key", false, OW_CASE_IDEM_KEY_MAX_CHARS, &body_key, &cx->err) ||
        ow_json_str(b, "uscc_override_reason", false, 200, &in.uscc_override_reason, &cx->err) ||
        ow_json_bool(b, "commitment", false, &in.commitment, &cx->err) ||
        str_array(cx, b, "materials", &in.materials, &in.nmaterials))
        return OW_EINVAL;
    const char *hdr = ow_req_header(rq, "Idempotency-Key");
    in.idem_key = hdr && *hdr ? ow_strdup(cx->arena, hdr) : body_key;
    submit_state *s = ow_alloc(cx->arena, sizeof *s);
    int rc = ow_cases_submit_prepare(cx, &in, &s->prep);
    if (rc) return rc;
    ow_req_set_data(rq, s);
    ow_req_then(rq, submit_commit, OW_ON_WRITER);
    return OW_OK;
}

static int api_transition(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    json_t *b = ow_req_json(rq);
    ow_case_action_in in = {0};
    if (ow_json_str(b, "action", true, 16, &in.action, &cx->err) ||
        ow_json_str(b, "comment", false, 500, &in.comment, &cx->err) ||
        ow_json_str(b, "reason", false, 500, &in.reason, &cx->err) ||
        ow_json_int(b, "dept_id", false, 1, INT64_MAX, &in.dept_id, &cx->err) ||
        ow_json_str(b, "delivery", false, 16, &in.delivery, &cx->err) ||
        ow_json_str(b, "tracking_no", false, 40, &in.tracking_no, &cx->err))
        return OW_EINVAL;
    int64_t owed_days = 0;
    if (ow_json_int(b, "owed_days", false, 1, OW_CASE_OWED_DAYS_MAX, &owed_days, &cx->err) ||
        str_array(cx, b, "owed", &in.owed, &in.nowed))
        return OW_EINVAL;
    in.owed_days = (int)owed_days;
    json_t *m = json_object_get(b, "materials");
    if (!strcmp(in.action, "supplement") && json_is_array(m)) {
        /* [{name, problem}] — every material and what is wrong with it */
        size_t k = json_array_size(m);
        if (k > OW_CASE_MATERIALS_MAX)
            return ow_err_set(&cx->err, OW_EINVAL, "materials", "补正材料过多");
        ow_case_defect *d = ow_alloc(cx->arena, (k + 1) * sizeof *d);
        for (size_t i = 0; i < k; i++) {
            json_t *e = json_array_get(m, i);
            if (!json_is_object(e))
                return ow_err_set(&cx->err, OW_EINVAL, "materials",
                                  "补正材料应为 {\"name\",\"problem\"} 对象的数组");
            if (ow_json_str(e, "name", true, 100, &d[i].name, &cx->err) ||
                ow_json_str(e, "problem", true, 200, &d[i].problem, &cx->err)) {
                snprintf(cx->err.field, sizeof cx->err.field, "materials");
                return OW_EINVAL;
            }
        }
        in.defects = d;
        in.ndefects = (int)k;
    } else if (str_array(cx, b, "materials", &in.materials, &in.nmaterials)) {
        return OW_EINVAL;
    }
    int rc = ow_cases_transition(cx, id, &in);
    if (rc) return rc;
    submit_state *s = ow_alloc(cx->arena, sizeof *s);
    s->id = id;
    ow_req_set_data(rq, s);
    ow_req_then(rq, reply_after_write, OW_INLINE);
    return OW_OK;
}

/* ---- the case modes (issue 22): commitment, its check, owed materials, queues ---- */

static int reply_written(ow_req *rq, int64_t id) {
    submit_state *s = ow_alloc(CX(rq)->arena, sizeof *s);
    s->id = id;
    ow_req_set_data(rq, s);
    ow_req_then(rq, reply_after_write, OW_INLINE);
    return OW_OK;
}

static int api_commitment_confirm(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    int rc = ow_cases_commitment_confirm(cx, id);
    return rc ? rc : reply_written(rq, id);
}

static int api_commitment_check(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    json_t *b = ow_req_json(rq);
    const char *result = NULL, *notes = NULL;
    if (ow_json_str(b, "result", false, 8, &result, &cx->err) ||
        ow_json_str(b, "notes", false, 2000, &notes, &cx->err))
        return OW_EINVAL;
    int rc = ow_cases_commitment_check(cx, id, result, notes);
    return rc ? rc : reply_written(rq, id);
}

static int api_owed_receive(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    const char *material = NULL;
    if (ow_json_str(ow_req_json(rq), "material", false, 100, &material, &cx->err)) return OW_EINVAL;
    int rc = ow_cases_owed_receive(cx, id, material);
    return rc ? rc : reply_written(rq, id);
}

static int api_joint_queue(ow_req *rq) {
    json_t *a;
    int rc = ow_cases_joint_queue_json(CX(rq), &a);
    return rc ? rc : ow_reply_json(rq, 200, json_pack("{s:o}", "items", a));
}

static int api_mode_alerts(ow_req *rq) {
    json_t *a;
    int rc = ow_cases_mode_alerts_json(CX(rq), &a);
    return rc ? rc : ow_reply_json(rq, 200, json_pack("{s:o}", "items", a));
}

static int api_credit(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int page, per_page;
    if (ow_req_paging(rq, &page, &per_page)) return OW_EINVAL;
    json_t *items;
    int64_t total;
    int rc = ow_cases_credit_json(cx, ow_req_query(rq, "id_number"), ow_req_query(rq, "uscc"), page,
                                  per_page, &items, &total);
    return rc ? rc
              : ow_reply_json(rq, 200,
                              json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total",
                                        (json_int_t)total, "page", page, "per_page", per_page));
}

static int api_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "办件不存在");
    return reply_case(rq, 200, id);
}

static int api_list(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_case_query q = {0};
    if (ow_req_paging(rq, &q.page, &q.per_page)) return OW_EINVAL;
    q.queue = ow_req_query(rq, "queue");
    q.state = ow_req_query(rq, "state");
    q.deadline = ow_req_query(rq, "deadline");
    q.channel = ow_req_query(rq, "channel");
    q.q = ow_req_query(rq, "q");
    const char *item = ow_req_query(rq, "item_id");
    if (item && *item) {
        char *end;
        long long v = strtoll(item, &end, 10);
        if (*end || v <= 0) return ow_err_set(&cx->err, OW_EINVAL, "item_id", "事项编号应为正整数");
        q.item_id = v;
    }
    if (q.q && strlen(q.q) > 60) return ow_err_set(&cx->err, OW_EINVAL, "q", "查询内容过长");
    ow_buf items;
    ow_buf_init(&items, cx->arena, 16384); /* a page of 20 is about 14 KB */
    int64_t total;
    int rc = ow_cases_list_text(cx, &q, &items, &total);
    if (rc) return rc;
    return ow_reply_list_text(rq, items.data, items.len, total, q.page, q.per_page);
}

/* The lookup answers "not found" alike for a wrong number and a wrong tail; an address
 * that keeps getting it wrong is made to wait (cx->ip names the client behind a
 * trusted proxy), so a case's last 6 characters cannot be found by trying them all. */
static int api_track(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    struct ow_throttle *t = cx->app->track_throttle;
    int64_t now = ow_clock_now_ms(cx->clock);
    int wait = t ? ow_throttle_wait_s(cx, t, now) : 0;
    if (wait > 0) {
        ow_err_setk(&cx->err, OW_ELIMIT, "too_many_attempts", "id_tail",
                    "查询失败次数过多，请 %d 分钟后再试", (wait + 59) / 60);
        cx->err.retry_after_s = wait;
        cx->err.http_status = 429;
        return OW_ELIMIT;
    }
    json_t *o;
    int rc = ow_cases_track_json(cx, ow_req_query(rq, "case_no"), ow_req_query(rq, "id_tail"), &o);
    if (rc == OW_ENOTFOUND && t) ow_throttle_fail(cx, t, now);
    return rc ? rc : ow_reply_json(rq, 200, o);
}

static int api_profile(ow_req *rq) {
    json_t *o;
    int rc =
        ow_cases_profile_json(CX(rq), ow_req_query(rq, "id_number"), ow_req_query(rq, "uscc"), &o);
    return rc ? rc : ow_reply_json(rq, 200, o);
}

const ow_route ow_cases_routes[] = {
    {"GET", "/api/v1/cases/track", api_track, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/cases", api_list, OW_INLINE, 0},
    {"POST", "/api/v1/cases", api_submit, OW_INLINE, 0},
    {"GET", "/api/v1/cases/joint-reviews", api_joint_queue, OW_INLINE, OW_R_NO_BODY},
    {"GET", "/api/v1/cases/mode-alerts", api_mode_alerts, OW_INLINE, OW_R_NO_BODY},
    {"GET", "/api/v1/credit-records", api_credit, OW_ON_WRITER, OW_R_NO_BODY}, /* audited */
    {"GET", "/api/v1/cases/{id}", api_get, OW_INLINE, 0},
    {"POST", "/api/v1/cases/{id}/commitment/confirm", api_commitment_confirm, OW_ON_WRITER,
     OW_R_NO_BODY},
    {"POST", "/api/v1/cases/{id}/commitment/check", api_commitment_check, OW_ON_WRITER, 0},
    {"POST", "/api/v1/cases/{id}/owed/receive", api_owed_receive, OW_ON_WRITER, 0},
    {"POST", "/api/v1/cases/{id}/transitions", api_transition, OW_ON_WRITER, 0},
    {"GET", "/api/v1/applicants/profile", api_profile, OW_ON_WRITER, OW_R_NO_BODY},
};
const size_t ow_cases_routes_n = sizeof ow_cases_routes / sizeof ow_cases_routes[0];
