/* rating_api.c — HTTP handlers for window services, the evaluator kiosk, ratings
 * and rectifications (docs/api.md "好差评").  Parse, call rating.h, render. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/workdays.h"
#include "core/json.h"
#include "rating/rating.h"
#include "rating/rating_api.h"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

/* {level, comment?, tags?} from a body. */
static int parse_rating(ow_req *rq, ow_rating_in *in) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    int64_t level;
    if (ow_json_int(b, "level", true, 1, 5, &level, &cx->err) ||
        ow_json_str(b, "comment", false, OW_RATING_COMMENT_MAX_CHARS, &in->comment, &cx->err))
        return OW_EINVAL;
    in->level = (int)level;
    json_t *tags = json_object_get(b, "tags");
    if (tags && !json_is_null(tags)) {
        if (!json_is_array(tags))
            return ow_err_set(&cx->err, OW_EINVAL, "tags", "评价标签应为文本列表");
        size_t n = json_array_size(tags);
        if (n > OW_RATING_TAGS_MAX)
            return ow_err_set(&cx->err, OW_EINVAL, "tags", "评价标签最多选择 %d 个",
                              OW_RATING_TAGS_MAX);
        in->tags = ow_alloc(cx->arena, (n + 1) * sizeof *in->tags);
        for (size_t i = 0; i < n; i++) {
            json_t *t = json_array_get(tags, i);
            if (!json_is_string(t))
                return ow_err_set(&cx->err, OW_EINVAL, "tags", "评价标签应为文本列表");
            in->tags[i] = json_string_value(t);
        }
        in->ntags = (int)n;
    }
    return OW_OK;
}

static int reply_rating(ow_req *rq, int64_t id, int status) {
    json_t *out = NULL;
    int rc = ow_rating_get_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, status, out);
}

/* ---------------- services and kiosk ---------------- */

static int api_service_start(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    int64_t case_id = 0, id;
    const char *topic;
    if (ow_json_int(b, "case_id", false, 1, INT64_MAX, &case_id, &cx->err) ||
        ow_json_str(b, "topic", false, 100, &topic, &cx->err))
        return OW_EINVAL;
    int rc = ow_service_start(cx, case_id, topic, &id);
    if (rc) return rc;
    json_t *out = NULL;
    if ((rc = ow_service_current_json(cx, &out))) return rc;
    return ow_reply_json(rq, 201, out);
}

static int api_service_end(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "窗口服务不存在");
    int rc = ow_service_end(CX(rq), id);
    if (rc) return rc;
    json_t *out = NULL;
    if ((rc = ow_service_current_json(CX(rq), &out))) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_service_current(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_service_current_json(CX(rq), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_kiosk(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_kiosk_json(CX(rq), ow_req_param(rq, "code"), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_kiosk_rate(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_rating_in in = {0};
    int64_t sid, id;
    if (ow_json_int(ow_req_json(rq), "service_id", true, 1, INT64_MAX, &sid, &cx->err))
        return OW_EINVAL;
    int rc = parse_rating(rq, &in);
    if (!rc) rc = ow_rating_kiosk(cx, ow_req_param(rq, "code"), sid, &in, &id);
    if (rc) return rc;
    /* The kiosk is anonymous: it learns only that the rating was taken. */
    return ow_reply_json(rq, 201,
                         json_pack("{s:I,s:i,s:s}", "id", (json_int_t)id, "level", in.level,
                                   "level_name", ow_rating_level_name(in.level)));
}

/* ---------------- ratings ---------------- */

static int api_rate_case(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    ow_rating_in in = {0};
    int64_t case_id, id;
    const char *token;
    if (ow_json_int(b, "case_id", true, 1, INT64_MAX, &case_id, &cx->err) ||
        ow_json_str(b, "token", false, 64, &token, &cx->err))
        return OW_EINVAL;
    int rc = parse_rating(rq, &in);
    if (!rc) rc = ow_rating_case(cx, case_id, token, &in, &id);
    if (rc) return rc;
    if (token) {
        json_t *out;
        if ((rc = ow_rating_case_json(cx, case_id, token, &out))) return rc;
        return ow_reply_json(rq, 201, out);
    }
    return reply_rating(rq, id, 201);
}

static int api_case_rating(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "case_id", "办件不存在");
    json_t *out = NULL;
    int rc = ow_rating_case_json(CX(rq), id, ow_req_query(rq, "token"), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int query_date(ow_req *rq, const char *name, int32_t *out) {
    const char *s = ow_req_query(rq, name);
    *out = OW_DATE_NONE;
    if (!s || !*s) return OW_OK;
    if (ow_date_parse(s, out))
        return ow_err_set(&CX(rq)->err, OW_EINVAL, name, "日期格式应为 YYYY-MM-DD");
    return OW_OK;
}

static int api_ratings(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_rating_query q = {0};
    if (ow_req_paging(rq, &q.page, &q.per_page) || query_date(rq, "from", &q.from) ||
        query_date(rq, "to", &q.to))
        return cx->err.code;
    q.channel = ow_req_query(rq, "channel");
    const char *lv = ow_req_query(rq, "level"), *bad = ow_req_query(rq, "bad"),
               *org = ow_req_query(rq, "org_id");
    if (lv) {
        if (strlen(lv) != 1 || lv[0] < '1' || lv[0] > '5')
            return ow_err_set(&cx->err, OW_EINVAL, "level", "评价等级应为 1 到 5");
        q.level = lv[0] - '0';
    }
    q.bad_only = bad && !strcmp(bad, "1");
    if (org) {
        q.org_id = strtoll(org, NULL, 10);
        if (q.org_id <= 0) return ow_err_set(&cx->err, OW_EINVAL, "org_id", "机构编号不正确");
    }
    json_t *items;
    int64_t total;
    int rc = ow_rating_list_json(cx, &q, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, q.page, q.per_page);
}

static int api_rating(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "评价不存在");
    return reply_rating(rq, id, 200);
}

static int api_tags(ow_req *rq) {
    return ow_reply_json(rq, 200, ow_rating_tags_json());
}

/* ---------------- rectifications ---------------- */

static int api_rectifications(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    ow_rectify_query q = {0};
    if (ow_req_paging(rq, &q.page, &q.per_page)) return cx->err.code;
    q.state = ow_req_query(rq, "state");
    const char *od = ow_req_query(rq, "overdue");
    q.overdue = od && !strcmp(od, "1");
    json_t *items;
    int64_t total;
    int rc = ow_rectify_list_json(cx, &q, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, q.page, q.per_page);
}

static int api_rectification(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "整改任务不存在");
    json_t *out = NULL;
    int rc = ow_rectify_get_json(CX(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_rectification_act(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "整改任务不存在");
    json_t *b = ow_req_json(rq);
    ow_rectify_in in = {0};
    int64_t days = 0;
    if (ow_json_str(b, "action", true, 16, &in.action, &cx->err) ||
        ow_json_str(b, "note", false, OW_RATING_NOTE_MAX_CHARS, &in.note, &cx->err) ||
        ow_json_str(b, "outcome", false, 16, &in.outcome, &cx->err) ||
        ow_json_str(b, "result", false, 16, &in.result, &cx->err) ||
        ow_json_int(b, "ledger_days", false, 1, 180, &days, &cx->err))
        return OW_EINVAL;
    in.ledger_days = (int)days;
    int rc = ow_rectify_transition(cx, id, &in);
    if (rc) return rc;
    json_t *out = NULL;
    if ((rc = ow_rectify_get_json(cx, id, &out))) return rc;
    return ow_reply_json(rq, 200, out);
}

static int api_public_rectifications(ow_req *rq) {
    int page, per_page;
    if (ow_req_paging(rq, &page, &per_page)) return CX(rq)->err.code;
    json_t *items;
    int64_t total;
    int rc = ow_rectify_public_json(CX(rq), page, per_page, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, page, per_page);
}

const ow_route ow_rating_routes[] = {
    {"POST", "/api/v1/services", api_service_start, OW_ON_WRITER, 0},
    {"GET", "/api/v1/services/current", api_service_current, OW_INLINE, 0},
    {"POST", "/api/v1/services/{id}/end", api_service_end, OW_ON_WRITER, OW_R_NO_BODY},
    {"GET", "/api/v1/kiosk/{code}", api_kiosk, OW_INLINE, OW_R_PUBLIC},
    /* The kiosk is an anonymous tablet; a forged request could do no more than it. */
    {"POST", "/api/v1/kiosk/{code}/ratings", api_kiosk_rate, OW_ON_WRITER,
     OW_R_PUBLIC | OW_R_NO_CSRF},
    {"GET", "/api/v1/rating-tags", api_tags, OW_INLINE, OW_R_PUBLIC},
    {"POST", "/api/v1/ratings", api_rate_case, OW_ON_WRITER, OW_R_PUBLIC},
    {"GET", "/api/v1/ratings", api_ratings, OW_INLINE, 0},
    {"GET", "/api/v1/ratings/{id}", api_rating, OW_INLINE, 0},
    {"GET", "/api/v1/cases/{id}/rating", api_case_rating, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/rectifications", api_rectifications, OW_INLINE, 0},
    {"GET", "/api/v1/rectifications/{id}", api_rectification, OW_INLINE, 0},
    {"POST", "/api/v1/rectifications/{id}/transitions", api_rectification_act, OW_ON_WRITER, 0},
    {"GET", "/api/v1/public/rectifications", api_public_rectifications, OW_INLINE, OW_R_PUBLIC},
};
const size_t ow_rating_routes_n = sizeof ow_rating_routes / sizeof ow_rating_routes[0];
