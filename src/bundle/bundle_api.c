/* bundle_api.c — HTTP handlers of one-thing bundles (docs/api.md "One-thing bundles"):
 * parse, call bundle.h, answer.  Writes run on the writer, each in one transaction with
 * the child cases they file or move, and nothing else does: an application is checked and
 * its children prepared on the request thread first, and every answer after a write is
 * rendered on the request thread from a read connection (it reads each child case), so
 * the single writer is not held up by reads (bench/RESULTS-bundle.md). */
#include <stdint.h>
#include <string.h>

#include "bundle/bundle.h"
#include "bundle/bundle_api.h"
#include "core/json.h"
#include "rating/rating.h"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

static int64_t param_id(ow_req *rq, const char *msg) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "%s", msg);
    return id;
}

static int reply_bundle(ow_req *rq, int64_t id, int status) {
    json_t *out;
    int rc = ow_bundle_get_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, status, out);
}

static int reply_app(ow_req *rq, int64_t id, int status) {
    json_t *out;
    int rc = ow_bundle_app_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, status, out);
}

static int api_list(ow_req *rq) {
    const char *all = ow_req_query(rq, "all");
    json_t *out;
    int rc = ow_bundle_list_json(CX(rq), all && !strcmp(all, "1"), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_get(ow_req *rq) {
    int64_t id = param_id(rq, "一件事不存在");
    if (id < 0) return OW_ENOTFOUND;
    return reply_bundle(rq, id, 200);
}

static int api_create(ow_req *rq) {
    int64_t id;
    int rc = ow_bundle_put(CX(rq), 0, ow_req_json(rq), &id);
    if (rc) return rc;
    return reply_bundle(rq, id, 201);
}

static int api_update(ow_req *rq) {
    int64_t id = param_id(rq, "一件事不存在"), out;
    if (id < 0) return OW_ENOTFOUND;
    int rc = ow_bundle_put(CX(rq), id, ow_req_json(rq), &out);
    if (rc) return rc;
    return reply_bundle(rq, id, 200);
}

/* After a write: the application as it now is, from a read connection. */
typedef struct after {
    ow_bundle_prep *prep;
    int64_t id;
    int status;
} after;

static int reply_after_write(ow_req *rq) {
    after *s = ow_req_data(rq);
    return reply_app(rq, s->id, s->status);
}

static void then_reply(ow_req *rq, int64_t id, int status) {
    after *s = ow_req_data(rq);
    if (!s) {
        s = ow_alloc(CX(rq)->arena, sizeof *s);
        ow_req_set_data(rq, s);
    }
    s->id = id;
    s->status = status;
    ow_req_then(rq, reply_after_write, OW_INLINE);
}

static int apply_commit(ow_req *rq) {
    after *s = ow_req_data(rq);
    bool created;
    int64_t app;
    int rc = ow_bundle_apply_commit(CX(rq), s->prep, &app, &created);
    if (rc) return rc;
    then_reply(rq, app, created ? 201 : 200);
    return OW_OK;
}

static int api_apply(ow_req *rq) {
    int64_t id = param_id(rq, "一件事不存在");
    if (id < 0) return OW_ENOTFOUND;
    after *s = ow_alloc(CX(rq)->arena, sizeof *s);
    int rc = ow_bundle_apply_prepare(CX(rq), id, ow_req_json(rq), &s->prep);
    if (rc) return rc;
    ow_req_set_data(rq, s);
    ow_req_then(rq, apply_commit, OW_ON_WRITER);
    return OW_OK;
}

static int api_apps(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int page, per_page;
    if (ow_req_paging(rq, &page, &per_page)) return cx->err.code;
    json_t *items;
    int64_t total;
    int rc = ow_bundle_app_list_json(cx, ow_req_query(rq, "state"), page, per_page, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, page, per_page);
}

static int api_app(ow_req *rq) {
    int64_t id = param_id(rq, "一件事申请不存在");
    if (id < 0) return OW_ENOTFOUND;
    return reply_app(rq, id, 200);
}

static int api_accept(ow_req *rq) {
    int64_t id = param_id(rq, "一件事申请不存在");
    if (id < 0) return OW_ENOTFOUND;
    int n;
    int rc = ow_bundle_accept(CX(rq), id, &n);
    if (rc) return rc;
    then_reply(rq, id, 200);
    return OW_OK;
}

static int api_deliver(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = param_id(rq, "一件事申请不存在");
    if (id < 0) return OW_ENOTFOUND;
    json_t *b = ow_req_json(rq);
    const char *delivery, *tracking = NULL;
    if (ow_json_str(b, "delivery", true, 16, &delivery, &cx->err) ||
        ow_json_str(b, "tracking_no", false, 40, &tracking, &cx->err))
        return OW_EINVAL;
    int rc = ow_bundle_deliver(cx, id, delivery, tracking);
    if (rc) return rc;
    then_reply(rq, id, 200);
    return OW_OK;
}

static int api_rate(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = param_id(rq, "一件事申请不存在");
    if (id < 0) return OW_ENOTFOUND;
    json_t *b = ow_req_json(rq);
    int64_t level;
    const char *comment = NULL;
    if (ow_json_int(b, "level", true, 1, 5, &level, &cx->err) ||
        ow_json_str(b, "comment", false, OW_RATING_COMMENT_MAX_CHARS, &comment, &cx->err))
        return OW_EINVAL;
    const char **tags = NULL;
    int ntags = 0;
    json_t *t = json_object_get(b, "tags");
    if (t && !json_is_null(t)) {
        if (!json_is_array(t) || json_array_size(t) > OW_RATING_TAGS_MAX)
            return ow_err_set(&cx->err, OW_EINVAL, "tags", "评价标签应为文本列表（最多 %d 个）",
                              OW_RATING_TAGS_MAX);
        tags = ow_alloc(cx->arena, (json_array_size(t) + 1) * sizeof *tags);
        size_t i;
        json_t *v;
        json_array_foreach(t, i, v) {
            if (!json_is_string(v))
                return ow_err_set(&cx->err, OW_EINVAL, "tags", "评价标签应为文本列表");
            tags[ntags++] = json_string_value(v);
        }
    }
    int rc = ow_bundle_rate(cx, id, (int)level, comment, tags, ntags);
    if (rc) return rc;
    then_reply(rq, id, 200);
    return OW_OK;
}

static int api_lights(ow_req *rq) {
    json_t *out;
    int rc = ow_bundle_lights_json(CX(rq), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

const ow_route ow_bundle_routes[] = {
    {"GET", "/api/v1/bundles", api_list, OW_INLINE, OW_R_PUBLIC},
    {"POST", "/api/v1/bundles", api_create, OW_ON_WRITER, 0},
    {"GET", "/api/v1/bundles/{id}", api_get, OW_INLINE, OW_R_PUBLIC},
    {"PUT", "/api/v1/bundles/{id}", api_update, OW_ON_WRITER, 0},
    {"POST", "/api/v1/bundles/{id}/applications", api_apply, OW_INLINE, 0},
    {"GET", "/api/v1/bundle-applications", api_apps, OW_INLINE, 0},
    {"GET", "/api/v1/bundle-applications/{id}", api_app, OW_INLINE, 0},
    {"POST", "/api/v1/bundle-applications/{id}/accept", api_accept, OW_ON_WRITER, OW_R_NO_BODY},
    {"POST", "/api/v1/bundle-applications/{id}/deliver", api_deliver, OW_ON_WRITER, 0},
    {"POST", "/api/v1/bundle-applications/{id}/rating", api_rate, OW_ON_WRITER, 0},
    {"GET", "/api/v1/supervision/bundle-lights", api_lights, OW_INLINE, 0},
};
const size_t ow_bundle_routes_n = sizeof ow_bundle_routes / sizeof ow_bundle_routes[0];
