/* rating.c — 好差评 and 整改 (see rating.h for what a rating is).
 *
 * A rating is written once and never edited: the only later change is `void`,
 * set when a supervisor upholds a department's appeal that the bad rating was
 * mistaken or malicious (it then leaves the statistics but stays on record).
 *
 * A bad rating (不满意, 非常不满意) opens one rectification for the office
 * responsible: the case's deciding department, or — for a window service without
 * a case — the window, township center or agent point itself.  Its path:
 *
 *   open --visit--> visited --verify(fixed|explained)--> closed
 *                          --verify(ledger, days)----> ledger --close--> closed
 *                          --verify(appeal)----------> appealed --review(revoked)--> closed
 *                                                               --review(upheld)---> visited
 *   closed --publish--> closed (published; shown on the public page)
 *
 * The table `moves` below is the whole rule set.  The applicant sees the state,
 * the verification outcome and the notes on their rating. */
#include "rating/rating.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "audit/audit.h"
#include "cases/cases_supervision.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/workdays.h"
#include "core/crypto.h"
#include "store/rating_store.h"
#include "supervision/supervision.h"

static const char *level_names[] = {NULL, "非常不满意", "不满意", "基本满意", "满意", "非常满意"};

const char *ow_rating_level_name(int level) {
    return level >= 1 && level <= 5 ? level_names[level] : NULL;
}

static const char *good_tags[] = {"办事效率高",   "服务态度好", "一次办成",
                                  "指南清晰准确", "业务熟练",   "环境便利"};
static const char *bad_tags[] = {"办事效率低", "服务态度差", "多次跑腿",  "指南不清晰",
                                 "业务不熟练", "系统不好用", "超时未办结"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

json_t *ow_rating_tags_json(void) {
    json_t *g = json_array(), *b = json_array();
    for (size_t i = 0; i < NELEM(good_tags); i++)
        json_array_append_new(g, json_string(good_tags[i]));
    for (size_t i = 0; i < NELEM(bad_tags); i++)
        json_array_append_new(b, json_string(bad_tags[i]));
    return json_pack("{s:o,s:o}", "good", g, "bad", b);
}

static bool tag_known(const char *t) {
    for (size_t i = 0; i < NELEM(good_tags); i++)
        if (!strcmp(t, good_tags[i])) return true;
    for (size_t i = 0; i < NELEM(bad_tags); i++)
        if (!strcmp(t, bad_tags[i])) return true;
    return false;
}

static const char *channel_name(const char *c) {
    if (!strcmp(c, "portal")) return "网上评价";
    if (!strcmp(c, "notice")) return "告知书扫码评价";
    if (!strcmp(c, "kiosk")) return "窗口评价器";
    return c;
}

static json_t *str_or_null(const char *s) {
    return s ? json_string(s) : json_null();
}

static json_t *time_json(bool has, int64_t ms) {
    if (!has) return json_null();
    char t[32];
    ow_time_format_iso(ms, t);
    return json_string(t);
}

static json_t *date_json(bool has, int32_t day) {
    if (!has) return json_null();
    char d[11];
    ow_date_format(day, d);
    return json_string(d);
}

static int validate(ow_ctx *cx, const ow_rating_in *in) {
    if (in->level < 1 || in->level > 5)
        return ow_err_set(&cx->err, OW_EINVAL, "level",
                          "评价等级应为 1（非常不满意）到 5（非常满意）");
    if (in->comment && ow_utf8_len(in->comment) > OW_RATING_COMMENT_MAX_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, "comment", "评价意见过长（最多 %d 个字）",
                          OW_RATING_COMMENT_MAX_CHARS);
    if (in->ntags > OW_RATING_TAGS_MAX)
        return ow_err_set(&cx->err, OW_EINVAL, "tags", "评价标签最多选择 %d 个",
                          OW_RATING_TAGS_MAX);
    for (int i = 0; i < in->ntags; i++)
        if (!tag_known(in->tags[i]))
            return ow_err_set(&cx->err, OW_EINVAL, "tags", "评价标签“%s”不在可选范围内",
                              in->tags[i]);
    return OW_OK;
}

/* ---------------- writing a rating ---------------- */

typedef struct new_rating {
    const char *channel;
    int64_t case_id, service_id, org_id, dept_id, staff_id, user_id;
    const char *case_no, *topic;
    int64_t at; /* instant of the rating */
} new_rating;

int ow_rectify_due(ow_ctx *cx, int32_t opened, int32_t *due) {
    return ow_sup_add_workdays(cx, opened, cx->app->cfg.rectify_days, "due_date", due);
}

void ow_rating_follow(ow_app *app, const ow_rating_follower *f) {
    ow_followers_add(&app->rating_followers, f);
}

static int announce_rectified(ow_ctx *cx, int64_t id, int64_t rating_id, const char *action,
                              const char *state, int64_t at) {
    ow_rectify_record r = {
        .rectification_id = id, .rating_id = rating_id, .action = action, .state = state, .at = at};
    int rc = OW_OK;
    for (int i = 0; i < cx->app->rating_followers.n && !rc; i++) {
        const ow_rating_follower *f = cx->app->rating_followers.v[i];
        if (f->rectified) rc = f->rectified(cx, &r);
    }
    return rc;
}

static int open_rectification(ow_ctx *cx, int64_t rating_id, int64_t org_id, int64_t at) {
    int32_t opened = ow_date_today_shanghai(at), due;
    int rc = ow_rectify_due(cx, opened, &due);
    if (rc) return rc;
    int64_t id;
    if ((rc = ow_rating_store_rect_insert(cx->db, rating_id, org_id, at, opened, due, &id,
                                          &cx->err)))
        return rc;
    char ids[24], dd[11];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    ow_date_format(due, dd);
    json_t *detail = json_pack("{s:I,s:I,s:s}", "rating_id", (json_int_t)rating_id, "org_id",
                               (json_int_t)org_id, "due_date", dd);
    rc = ow_audit_append(cx, "rectification.open", "rectification", ids, detail);
    json_decref(detail);
    if (!rc) rc = announce_rectified(cx, id, rating_id, "open", "open", at);
    return rc;
}

static int insert_rating(ow_ctx *cx, const new_rating *n, const ow_rating_in *in, int64_t *id) {
    json_t *tags = json_array();
    for (int i = 0; i < in->ntags; i++)
        json_array_append_new(tags, json_string(in->tags[i]));
    char *tags_s = json_dumps(tags, JSON_COMPACT);
    json_decref(tags);
    ow_rating_new r = {.channel = n->channel,
                       .case_id = n->case_id,
                       .service_id = n->service_id,
                       .org_id = n->org_id,
                       .dept_id = n->dept_id,
                       .staff_id = n->staff_id,
                       .user_id = n->user_id,
                       .case_no = n->case_no,
                       .topic = n->topic,
                       .comment = in->comment,
                       .tags = tags_s,
                       .level = in->level,
                       .at_ms = n->at,
                       .rated_date = ow_date_today_shanghai(n->at)};
    int rc = ow_rating_store_insert(cx->db, &r, id, &cx->err);
    free(tags_s);
    if (rc == OW_ECONFLICT) /* one per service / per case */
        return ow_err_setk(&cx->err, OW_ECONFLICT, "already_rated", "level", "%s",
                           n->service_id ? "本次服务已经评价过了"
                                         : "该办件已经评价过了（一事一评）");
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, *id);
    json_t *detail = json_pack("{s:s,s:i,s:s}", "channel", n->channel, "level", in->level,
                               "case_no", n->case_no ? n->case_no : "");
    if (n->service_id) json_object_set_new(detail, "service_id", json_integer(n->service_id));
    rc = ow_audit_append(cx, "rating.create", "rating", ids, detail);
    json_decref(detail);
    if (rc) return rc;
    ow_rating_record rr = {.rating_id = *id,
                           .channel = n->channel,
                           .level = in->level,
                           .case_no = n->case_no ? n->case_no : "",
                           .at = n->at};
    for (int i = 0; i < cx->app->rating_followers.n && !rc; i++) {
        const ow_rating_follower *f = cx->app->rating_followers.v[i];
        if (f->rated) rc = f->rated(cx, &rr);
    }
    if (!rc && ow_rating_is_bad(in->level)) rc = open_rectification(cx, *id, n->dept_id, n->at);
    return rc;
}

/* ---------------- window services and the kiosk ---------------- */

static bool serves_at_window(const ow_actor *a) {
    return !strcmp(a->role, "clerk") || !strcmp(a->role, "agent");
}

static int end_open_services(ow_ctx *cx, int64_t window_id, int64_t now) {
    return ow_rating_store_services_end(cx->db, window_id, now, &cx->err);
}

static int service_insert(ow_ctx *cx, int64_t window_id, int64_t clerk_id, const char *clerk_name,
                          int64_t case_id, const char *case_no, const char *topic, int64_t at,
                          int64_t *id) {
    return ow_rating_store_service_insert(cx->db, window_id, clerk_id, clerk_name, case_id, case_no,
                                          topic, at, id, &cx->err);
}

int ow_service_start(ow_ctx *cx, int64_t case_id, const char *topic, int64_t *id) {
    if (!serves_at_window(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有窗口工作人员和代办员可以开始窗口服务");
    if (topic && ow_utf8_len(topic) > 100)
        return ow_err_set(&cx->err, OW_EINVAL, "topic", "服务内容过长（最多 100 个字）");
    ow_case_brief cb = {0};
    if (case_id) {
        int rc = ow_cases_brief(cx, case_id, &cb);
        if (rc) return rc;
    }
    const char *what = topic && *topic ? topic : case_id ? cb.item_name : "咨询";
    int64_t now = ow_clock_now_ms(cx->clock);
    int rc = end_open_services(cx, cx->actor.org_id, now);
    if (!rc)
        rc = service_insert(cx, cx->actor.org_id, cx->actor.user_id, cx->actor.name, case_id,
                            cb.case_no, what, now, id);
    if (rc) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, *id);
    json_t *d =
        json_pack("{s:I,s:s}", "window_id", (json_int_t)cx->actor.org_id, "case_no", cb.case_no);
    rc = ow_audit_append(cx, "service.start", "service", ids, d);
    json_decref(d);
    return rc;
}

int ow_service_end(ow_ctx *cx, int64_t id) {
    if (!serves_at_window(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有窗口工作人员和代办员可以结束窗口服务");
    int64_t window;
    char state[16];
    bool found;
    int rc = ow_rating_store_service_state(cx->db, id, &window, state, &found, &cx->err);
    if (!found || window != cx->actor.org_id)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "service_id", "窗口服务不存在");
    if (rc) return rc;
    if (strcmp(state, "open"))
        return ow_err_set(&cx->err, OW_ECONFLICT, "service_id", "该窗口服务已经结束");
    if ((rc = ow_rating_store_service_end(cx->db, id, ow_clock_now_ms(cx->clock), &cx->err)))
        return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    return ow_audit_append(cx, "service.end", "service", ids, NULL);
}

/* The window's open service, if it is still young enough to be rated. */
static int open_service(ow_ctx *cx, int64_t window_id, json_t **out, int64_t *id) {
    int64_t now = ow_clock_now_ms(cx->clock);
    ow_service_row r;
    bool found;
    *id = 0;
    if (out) *out = json_null();
    int rc = ow_rating_store_open_service(cx->db, window_id,
                                          now - (int64_t)cx->app->cfg.kiosk_service_max_min * 60000,
                                          cx->arena, &r, &found, &cx->err);
    if (rc || !found) return rc;
    *id = r.id;
    if (out)
        *out = json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)r.id, "clerk_name",
                         r.clerk_name, "topic", r.topic, "case_no", r.case_no, "started_at",
                         time_json(true, r.started_at));
    return OW_OK;
}

static bool kiosk_kind(const char *kind) {
    return !strcmp(kind, "window") || !strcmp(kind, "township") || !strcmp(kind, "agent_point");
}

int ow_kiosk_json(ow_ctx *cx, const char *code, json_t **out) {
    int64_t wid, sid;
    char kind[16], name[128];
    int rc = ow_sup_org_by_code(cx, code, &wid, kind, name);
    if (rc) return rc;
    if (!kiosk_kind(kind))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "window_code", "“%s”不是窗口或便民服务点", code);
    json_t *svc;
    if ((rc = open_service(cx, wid, &svc, &sid))) return rc;
    json_t *levels = json_array();
    for (int l = 5; l >= 1; l--)
        json_array_append_new(levels, json_pack("{s:i,s:s}", "level", l, "name", level_names[l]));
    *out = json_pack("{s:{s:s,s:s},s:o,s:o,s:o}", "window", "code", code, "name", name, "service",
                     svc, "levels", levels, "tags", ow_rating_tags_json());
    return OW_OK;
}

int ow_rating_kiosk(ow_ctx *cx, const char *code, int64_t service_id, const ow_rating_in *in,
                    int64_t *rating_id) {
    int rc = validate(cx, in);
    if (rc) return rc;
    int64_t wid, open_id;
    char kind[16], name[128];
    if ((rc = ow_sup_org_by_code(cx, code, &wid, kind, name))) return rc;
    if (!kiosk_kind(kind))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "window_code", "“%s”不是窗口或便民服务点", code);
    if ((rc = open_service(cx, wid, NULL, &open_id))) return rc;
    if (!open_id || open_id != service_id)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "service_closed", "service_id",
                           "本次服务已结束或已评价，请等待工作人员开始下一次服务");
    new_rating n = {.channel = "kiosk",
                    .service_id = service_id,
                    .org_id = wid,
                    .user_id = cx->actor.user_id,
                    .at = ow_clock_now_ms(cx->clock)};
    if ((rc = ow_rating_store_service_for_rating(cx->db, service_id, cx->arena, &n.staff_id,
                                                 &n.case_id, &n.case_no, &n.topic, &cx->err)))
        return rc;
    n.dept_id = wid;
    if (n.case_id) {
        ow_case_brief cb;
        if ((rc = ow_cases_brief(cx, n.case_id, &cb))) return rc;
        n.dept_id = cb.dept_id;
    }
    if ((rc = insert_rating(cx, &n, in, rating_id))) return rc;
    return ow_rating_store_service_rated(cx->db, service_id, n.at, &cx->err);
}

static int append_recent(void *arg, int64_t id, const char *topic, const char *case_no,
                         const char *state, int64_t started_at, int level) {
    json_t *r = json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)id, "topic", topic, "case_no",
                          case_no, "state", state, "started_at", time_json(true, started_at));
    if (level) {
        json_object_set_new(r, "level", json_integer(level));
        json_object_set_new(r, "level_name", json_string(ow_rating_level_name(level)));
    }
    json_array_append_new(arg, r);
    return OW_OK;
}

int ow_service_current_json(ow_ctx *cx, json_t **out) {
    if (!serves_at_window(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有窗口工作人员和代办员有窗口服务");
    int64_t sid;
    json_t *svc;
    int rc = open_service(cx, cx->actor.org_id, &svc, &sid);
    if (rc) return rc;
    json_t *recent = json_array();
    if ((rc = ow_rating_store_each_recent_service(cx->db, cx->actor.org_id, append_recent, recent,
                                                  &cx->err))) {
        json_decref(svc);
        json_decref(recent);
        return rc;
    }
    /* The kiosk URL needs the window's code. */
    const char *code, *name;
    bool found;
    if ((rc = ow_rating_store_org_code_name(cx->db, cx->actor.org_id, cx->arena, &code, &name,
                                            &found, &cx->err))) {
        json_decref(svc);
        json_decref(recent);
        return rc;
    }
    json_t *win = found ? json_pack("{s:I,s:s,s:s}", "id", (json_int_t)cx->actor.org_id, "code",
                                    code, "name", name)
                        : json_null();
    *out = json_pack("{s:o,s:o,s:o}", "window", win, "service", svc, "recent", recent);
    return OW_OK;
}

/* ---------------- rating a case ---------------- */

void ow_rating_case_token(const ow_ctx *cx, int64_t case_id, char out[OW_RATING_TOKEN_CHARS + 1]) {
    char ids[24], hex[65];
    snprintf(ids, sizeof ids, "%" PRId64, case_id);
    ow_blind_index(&cx->app->keys, "rating_link", ids, hex);
    memcpy(out, hex, OW_RATING_TOKEN_CHARS);
    out[OW_RATING_TOKEN_CHARS] = '\0';
}

/* May the caller rate or read the rating of this case?  The applicant signed in, or
 * anyone with the notice's code. */
static int case_access(ow_ctx *cx, int64_t case_id, const char *token, ow_case_brief *cb) {
    int rc = ow_cases_brief(cx, case_id, cb);
    if (rc == OW_ENOTFOUND && token) /* do not tell a code-guesser which ids exist */
        return ow_err_set(&cx->err, OW_ENOTFOUND, "token", "评价链接无效，请核对告知书上的二维码");
    if (rc) return rc;
    if (token) {
        char want[OW_RATING_TOKEN_CHARS + 1];
        ow_rating_case_token(cx, case_id, want);
        if (!ow_ct_equal(token, want))
            return ow_err_set(&cx->err, OW_ENOTFOUND, "token",
                              "评价链接无效，请核对告知书上的二维码");
        return OW_OK;
    }
    if (!ow_actor_signed_in(&cx->actor))
        return ow_err_setk(&cx->err, OW_EUNAUTH, "unauthenticated", "", "请先登录");
    if (cb->applicant_user_id != cx->actor.user_id)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "case_id", "办件不存在");
    return OW_OK;
}

int ow_rating_case(ow_ctx *cx, int64_t case_id, const char *token, const ow_rating_in *in,
                   int64_t *rating_id) {
    ow_case_brief cb;
    int rc = validate(cx, in);
    if (!rc) rc = case_access(cx, case_id, token, &cb);
    if (rc) return rc;
    if (!ow_case_state_final(cb.state) || !strcmp(cb.state, "withdrawn"))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "not_concluded", "case_id",
                           "办件办结后才能评价");
    new_rating n = {.channel = token ? "notice" : "portal",
                    .case_id = case_id,
                    .case_no = cb.case_no,
                    .topic = cb.item_name,
                    .org_id = cb.intake_org_id,
                    .dept_id = cb.dept_id,
                    .user_id = cx->actor.user_id,
                    .at = ow_clock_now_ms(cx->clock)};
    return insert_rating(cx, &n, in, rating_id);
}

/* ---------------- reading ---------------- */

static json_t *rating_row_json(const ow_rating_row *x, bool staff) {
    int level = x->level;
    json_t *tags = json_loads(x->tags, 0, NULL);
    json_t *r = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:o,s:b,s:o,s:{s:I,s:s}}", "id", (json_int_t)x->id,
        "channel", x->channel, "channel_name", channel_name(x->channel), "case_no", x->case_no,
        "topic", x->topic, "level", level, "level_name", ow_rating_level_name(level), "comment",
        x->comment, "tags", tags ? tags : json_array(), "void", x->is_void, "rated_at",
        time_json(true, x->created_at), "dept", "id", (json_int_t)x->dept_id, "name", x->dept_name);
    if (x->case_id) json_object_set_new(r, "case_id", json_integer(x->case_id));
    if (x->org_id)
        json_object_set_new(
            r, "org", json_pack("{s:I,s:s}", "id", (json_int_t)x->org_id, "name", x->org_name));
    if (staff && x->service_id) json_object_set_new(r, "service_id", json_integer(x->service_id));
    json_object_set_new(r, "rectification_id",
                        x->rectification_id ? json_integer(x->rectification_id) : json_null());
    return r;
}

static int rectify_json_by(ow_ctx *cx, int64_t id, bool for_applicant, json_t **out);

int ow_rating_case_json(ow_ctx *cx, int64_t case_id, const char *token, json_t **out) {
    ow_case_brief cb;
    int rc = case_access(cx, case_id, token, &cb);
    if (rc) return rc;
    json_t *rating = json_null(), *rect = json_null();
    int64_t rect_id = 0;
    ow_rating_row x;
    bool found;
    if ((rc = ow_rating_store_of_case(cx->db, case_id, cx->arena, &x, &found, &cx->err))) return rc;
    if (found) {
        rating = rating_row_json(&x, false);
        rect_id = x.rectification_id;
    }
    if (rect_id && (rc = rectify_json_by(cx, rect_id, true, &rect))) {
        json_decref(rating);
        return rc;
    }
    bool can = ow_case_state_final(cb.state) && strcmp(cb.state, "withdrawn");
    *out = json_pack("{s:I,s:s,s:s,s:s,s:b,s:o,s:o,s:o}", "case_id", (json_int_t)case_id, "case_no",
                     cb.case_no, "item_name", cb.item_name, "state", cb.state, "can_rate",
                     can && json_is_null(rating), "rating", rating, "rectification", rect, "tags",
                     ow_rating_tags_json());
    return OW_OK;
}

typedef struct rating_list {
    json_t *items;
    bool staff;
} rating_list;

static int append_rating(void *arg, const ow_rating_row *r) {
    rating_list *la = arg;
    json_array_append_new(la->items, rating_row_json(r, la->staff));
    return OW_OK;
}

int ow_rating_list_json(ow_ctx *cx, const ow_rating_query *q, json_t **items, int64_t *total) {
    int64_t mine = 0, scope = 0;
    bool staff = !strcmp(cx->actor.kind, "staff") || cx->actor.system;
    if (!staff) {
        if (!ow_actor_signed_in(&cx->actor))
            return ow_err_setk(&cx->err, OW_EUNAUTH, "unauthenticated", "", "请先登录");
        mine = cx->actor.user_id;
    } else {
        int rc = ow_sup_scope(cx, &scope);
        if (rc) return rc;
    }
    ow_rating_filter f = {.user_id = mine,
                          .scope = scope,
                          .channel = q->channel,
                          .level = q->level,
                          .bad_only = q->bad_only,
                          .org_id = q->org_id,
                          .from = q->from,
                          .to = q->to};
    int rc = ow_rating_store_count(cx->db, &f, total, &cx->err);
    if (rc) return rc;
    rating_list la = {json_array(), staff};
    if ((rc = ow_rating_store_each(cx->db, &f, q->per_page, (int64_t)(q->page - 1) * q->per_page,
                                   append_rating, &la, &cx->err))) {
        json_decref(la.items);
        return rc;
    }
    *items = la.items;
    return OW_OK;
}

int ow_rating_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    ow_rating_row x;
    bool found;
    int rc = ow_rating_store_get(cx->db, id, cx->arena, &x, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "评价不存在");
    int64_t user = x.user_id, dept = x.dept_id, org = x.org_id;
    int64_t rect_id = x.rectification_id;
    bool staff = !strcmp(cx->actor.kind, "staff") || cx->actor.system;
    json_t *r = rating_row_json(&x, staff);
    bool ok = false;
    if (staff) {
        rc = ow_sup_in_scope(cx, dept, &ok);
        if (!rc && !ok && org) rc = ow_sup_in_scope(cx, org, &ok);
    } else {
        ok = ow_actor_signed_in(&cx->actor) && user == cx->actor.user_id;
        rc = OW_OK;
    }
    if (!rc && !ok) rc = ow_err_set(&cx->err, OW_ENOTFOUND, "id", "评价不存在");
    json_t *rect = json_null();
    if (!rc && rect_id) rc = rectify_json_by(cx, rect_id, !staff, &rect);
    if (rc) {
        json_decref(r);
        return rc;
    }
    json_object_set_new(r, "rectification", rect);
    *out = r;
    return OW_OK;
}

/* ---------------- rectifications ---------------- */

static const char *rect_state_name(const char *s) {
    if (!strcmp(s, "open")) return "待回访";
    if (!strcmp(s, "visited")) return "待核实";
    if (!strcmp(s, "ledger")) return "列入整改台账";
    if (!strcmp(s, "appealed")) return "申诉复核中";
    if (!strcmp(s, "closed")) return "已办结";
    return s;
}

static const char *outcome_name(const char *o) {
    if (!strcmp(o, "fixed")) return "诉求合理，已立即整改";
    if (!strcmp(o, "ledger")) return "情况复杂，列入整改台账限期整改";
    if (!strcmp(o, "explained")) return "诉求缺乏法定依据，已解释说明";
    if (!strcmp(o, "appeal")) return "误评或恶意差评，已申诉复核";
    return o;
}

static json_t *rect_row_json(ow_ctx *cx, const ow_rect_row *x, bool for_applicant) {
    const char *state = x->state;
    int32_t due = x->due_date;
    int32_t ledger_due = x->ledger_due;
    int32_t today = ow_sup_today(cx);
    int32_t eff_due = !strcmp(state, "ledger") && ledger_due != OW_DATE_NONE ? ledger_due : due;
    bool overdue = strcmp(state, "closed") && today > eff_due;
    json_t *outcome = str_or_null(x->outcome);
    json_t *r = json_pack(
        "{s:I,s:I,s:{s:I,s:s},s:s,s:s,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:b}",
        "id", (json_int_t)x->id, "rating_id", (json_int_t)x->rating_id, "org", "id",
        (json_int_t)x->org_id, "name", x->org_name, "state", state, "state_name",
        rect_state_name(state), "opened_date", date_json(x->has_opened_date, x->opened_date),
        "due_date", date_json(x->has_due_date, x->due_date), "overdue", overdue, "visit_at",
        time_json(x->visited, x->visit_at), "visit_note", str_or_null(x->visit_note), "outcome",
        outcome, "outcome_name",
        json_is_string(outcome) ? json_string(outcome_name(json_string_value(outcome)))
                                : json_null(),
        "outcome_note", str_or_null(x->outcome_note), "ledger_due",
        date_json(x->ledger_due != OW_DATE_NONE, x->ledger_due), "appeal_result",
        str_or_null(x->appeal_result), "closed_at", time_json(x->closed, x->closed_at),
        "closed_late", x->closed_late, "closing_note", str_or_null(x->closing_note), "published",
        x->published);
    if (!for_applicant) {
        json_object_set_new(r, "visit_by", str_or_null(x->visit_by));
        json_object_set_new(r, "appeal_note", str_or_null(x->appeal_note));
    }
    int level = x->level;
    json_t *tags = json_loads(x->tags, 0, NULL);
    json_object_set_new(r, "rating",
                        json_pack("{s:i,s:s,s:s,s:o,s:s,s:s,s:s,s:o,s:b}", "level", level,
                                  "level_name", ow_rating_level_name(level), "comment", x->comment,
                                  "tags", tags ? tags : json_array(), "topic", x->topic, "case_no",
                                  x->case_no, "channel", x->channel, "rated_at",
                                  time_json(true, x->rated_at), "void", x->is_void));
    return r;
}

static int rectify_json_by(ow_ctx *cx, int64_t id, bool for_applicant, json_t **out) {
    ow_rect_row x;
    bool found;
    int rc = ow_rating_store_rect_get(cx->db, id, cx->arena, &x, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "整改任务不存在");
    *out = rect_row_json(cx, &x, for_applicant);
    return OW_OK;
}

int ow_rectify_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    int64_t org;
    bool found;
    int rc = ow_rating_store_rect_org(cx->db, id, &org, &found, &cx->err);
    if (rc) return rc;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "整改任务不存在");
    bool ok;
    if ((rc = ow_sup_in_scope(cx, org, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "整改任务不存在");
    return rectify_json_by(cx, id, false, out);
}

typedef struct rect_list {
    ow_ctx *cx;
    json_t *items;
} rect_list;

static int append_rect(void *arg, const ow_rect_row *r) {
    rect_list *la = arg;
    json_array_append_new(la->items, rect_row_json(la->cx, r, false));
    return OW_OK;
}

int ow_rectify_list_json(ow_ctx *cx, const ow_rectify_query *q, json_t **items, int64_t *total) {
    int64_t scope;
    int rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    ow_rect_filter f = {
        .scope = scope, .state = q->state, .overdue = q->overdue, .today = ow_sup_today(cx)};
    if ((rc = ow_rating_store_rect_count(cx->db, &f, total, &cx->err))) return rc;
    rect_list la = {cx, json_array()};
    if ((rc = ow_rating_store_rect_each(cx->db, &f, q->per_page,
                                        (int64_t)(q->page - 1) * q->per_page, append_rect, &la,
                                        &cx->err))) {
        json_decref(la.items);
        return rc;
    }
    *items = la.items;
    return OW_OK;
}

static int append_public(void *arg, int64_t id, const char *org_name, const char *topic, int level,
                         const char *oc, const char *outcome_note, bool closed, int64_t closed_at) {
    json_array_append_new(arg, json_pack("{s:I,s:s,s:s,s:i,s:s,s:s,s:s,s:o,s:o}", "id",
                                         (json_int_t)id, "org_name", org_name, "topic", topic,
                                         "level", level, "level_name", ow_rating_level_name(level),
                                         "outcome", oc, "outcome_name", outcome_name(oc),
                                         "outcome_note", str_or_null(outcome_note), "closed_at",
                                         time_json(closed, closed_at)));
    return OW_OK;
}

int ow_rectify_public_json(ow_ctx *cx, int page, int per_page, json_t **items, int64_t *total) {
    int rc = ow_rating_store_public_count(cx->db, total, &cx->err);
    if (rc) return rc;
    *items = json_array();
    if ((rc = ow_rating_store_public_each(cx->db, per_page, (int64_t)(page - 1) * per_page,
                                          append_public, *items, &cx->err))) {
        json_decref(*items);
        return rc;
    }
    return OW_OK;
}

/* Who may take a step: the responsible office (or a supervisor on its behalf), or
 * only the supervisors (appeal review, publication). */
enum { BY_OFFICE, BY_SUPERVISOR };

static const struct {
    const char *action, *from;
    int by;
} moves[] = {
    {"visit", "open", BY_OFFICE},          /* return visit: talk to the applicant */
    {"verify", "visited", BY_OFFICE},      /* outcome: fixed / ledger / explained / appeal */
    {"close", "ledger", BY_OFFICE},        /* the ledger item is done */
    {"review", "appealed", BY_SUPERVISOR}, /* re-examination of an appeal */
    {"publish", "closed", BY_SUPERVISOR},  /* shown on the public page */
};

typedef ow_rect_state rect_row;

static int rect_load(ow_ctx *cx, int64_t id, rect_row *r) {
    bool found;
    int rc = ow_rating_store_rect_state(cx->db, id, r, &found, &cx->err);
    if (!rc && !found) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "整改任务不存在");
    return rc;
}

int ow_rectify_transition(ow_ctx *cx, int64_t id, const ow_rectify_in *in) {
    rect_row r;
    int rc = rect_load(cx, id, &r);
    if (rc) return rc;
    bool ok;
    if ((rc = ow_sup_in_scope(cx, r.org_id, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "整改任务不存在");
    if (!in->action) return ow_err_set(&cx->err, OW_EINVAL, "action", "请填写操作");
    size_t m = 0;
    for (; m < NELEM(moves); m++)
        if (!strcmp(moves[m].action, in->action)) break;
    if (m == NELEM(moves))
        return ow_err_set(&cx->err, OW_EINVAL, "action", "未知的整改操作“%s”", in->action);
    if (moves[m].by == BY_SUPERVISOR && !ow_sup_sees_all(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有电子监察人员可以进行此操作");
    if (strcmp(moves[m].from, r.state))
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action",
                           "整改任务当前为“%s”，不能进行此操作", rect_state_name(r.state));
    bool publish = !strcmp(in->action, "publish");
    if (publish && r.published)
        return ow_err_setk(&cx->err, OW_ECONFLICT, "invalid_transition", "action", "已经公开过了");
    if (!publish && (!in->note || !*in->note))
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "note", "请填写情况说明");
    if (in->note && ow_utf8_len(in->note) > OW_RATING_NOTE_MAX_CHARS)
        return ow_err_set(&cx->err, OW_EINVAL, "note", "情况说明过长（最多 %d 个字）",
                          OW_RATING_NOTE_MAX_CHARS);
    int32_t today = ow_sup_today(cx);
    int64_t now = ow_clock_now_ms(cx->clock);
    json_t *detail = json_object();
    const char *to = r.state;
    if (!strcmp(in->action, "visit")) {
        to = "visited";
        rc = ow_rating_store_rect_visit(cx->db, id, cx->actor.name, in->note, now, &cx->err);
    } else if (!strcmp(in->action, "verify")) {
        const char *oc = in->outcome ? in->outcome : "";
        int32_t ledger_due = 0;
        if (!strcmp(oc, "fixed") || !strcmp(oc, "explained"))
            to = "closed";
        else if (!strcmp(oc, "appeal"))
            to = "appealed";
        else if (!strcmp(oc, "ledger")) {
            to = "ledger";
            if (in->ledger_days < 1 || in->ledger_days > 180)
                rc = ow_err_set(&cx->err, OW_EINVAL, "ledger_days",
                                "整改期限应为 1 到 180 个工作日");
            else
                rc = ow_sup_add_workdays(cx, today, in->ledger_days, "ledger_days", &ledger_due);
        } else
            rc =
                ow_err_set(&cx->err, OW_EINVAL, "outcome",
                           "核实结论应为 fixed（已整改）、ledger（列入台账）、explained（解释说明）"
                           "或 appeal（申诉）");
        if (!rc)
            rc = ow_rating_store_rect_verify(cx->db, id, to, oc, in->note, ledger_due,
                                             !strcmp(to, "closed") && today > r.due, now, &cx->err);
        json_object_set_new(detail, "outcome", json_string(oc));
        if (ledger_due) json_object_set_new(detail, "ledger_due", ow_json_date(ledger_due));
    } else if (!strcmp(in->action, "close")) {
        to = "closed";
        int32_t due = r.ledger_due != OW_DATE_NONE ? r.ledger_due : r.due;
        rc = ow_rating_store_rect_close(cx->db, id, in->note, today > due, now, &cx->err);
    } else if (!strcmp(in->action, "review")) {
        const char *res = in->result ? in->result : "";
        if (!strcmp(res, "revoked"))
            to = "closed";
        else if (!strcmp(res, "upheld"))
            to = "visited";
        else
            rc =
                ow_err_set(&cx->err, OW_EINVAL, "result",
                           "复核结果应为 revoked（误评，撤销差评）或 upheld（差评成立，继续整改）");
        if (!rc)
            rc = ow_rating_store_rect_review(cx->db, id, to, res, in->note, today > r.due, now,
                                             &cx->err);
        if (!rc && !strcmp(res, "revoked"))
            rc = ow_rating_store_void(cx->db, r.rating_id, &cx->err);
        json_object_set_new(detail, "result", json_string(res));
    } else {
        rc = ow_rating_store_rect_publish(cx->db, id, now, &cx->err);
    }
    if (rc) {
        json_decref(detail);
        return rc;
    }
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    json_object_set_new(detail, "from", json_string(r.state));
    json_object_set_new(detail, "to", json_string(to));
    char *action = ow_sprintf(cx->arena, "rectification.%s", in->action);
    rc = ow_audit_append(cx, action, "rectification", ids, detail);
    json_decref(detail);
    if (!rc) rc = announce_rectified(cx, id, r.rating_id, in->action, to, now);
    return rc;
}

typedef struct open_rect {
    int64_t id;
    int32_t opened, due;
} open_rect;

typedef struct open_rects {
    ow_arena *arena;
    open_rect *v;
    int cnt, cap;
} open_rects;

static int gather_rect(void *arg, int64_t id, int32_t opened, int32_t due) {
    open_rects *l = arg;
    if (l->cnt == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        open_rect *g = ow_alloc(l->arena, (size_t)l->cap * sizeof *g);
        if (l->cnt) memcpy(g, l->v, (size_t)l->cnt * sizeof *g);
        l->v = g;
    }
    l->v[l->cnt++] = (open_rect){id, opened, due};
    return OW_OK;
}

int ow_rectify_recompute_open(ow_ctx *cx, int *n) {
    *n = 0;
    open_rects l = {.arena = cx->arena};
    int rc = ow_rating_store_each_open_rect(cx->db, gather_rect, &l, &cx->err);
    if (rc) return rc;
    for (int i = 0; i < l.cnt; i++) {
        int32_t due;
        if ((rc = ow_rectify_due(cx, l.v[i].opened, &due))) return rc;
        if (due == l.v[i].due) continue;
        if ((rc = ow_rating_store_rect_set_due(cx->db, l.v[i].id, due, &cx->err))) return rc;
        (*n)++;
    }
    return OW_OK;
}

/* ---------------- demo ---------------- */

/* A small deterministic generator, so every demo database tells the same story. */
static uint32_t demo_rand(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (uint32_t)(*s >> 11);
}

/* Mostly 非常满意, as real evaluators report; a few bad ones to rectify. */
static int demo_level(uint64_t *s) {
    uint32_t r = demo_rand(s) % 1000;
    return r < 780 ? 5 : r < 920 ? 4 : r < 970 ? 3 : r < 990 ? 2 : 1;
}

static const char *demo_clerks[] = {"刘敏", "王芳", "张磊", "李娟", "陈晨", "杨帆", "黄静", "周洁"};
static const char *demo_topics[] = {"营业执照办理", "社保参保登记", "不动产登记咨询", "婚姻登记",
                                    "公积金提取",   "医保报销",     "户籍证明",       "咨询"};
static const char *demo_bad_comments[] = {"排队时间太长", "材料要求前后说法不一致",
                                          "工作人员态度冷淡", "跑了两次才办成"};

/* Walk a demo rectification to a state that fits its age. */
static int demo_rectify(ow_ctx *cx, int64_t rating_id, int age_days, uint64_t *s) {
    int64_t id;
    int rc = ow_rating_store_rect_of_rating(cx->db, rating_id, &id, &cx->err);
    if (rc) return rc;
    if (age_days < 3) return OW_OK;
    ow_rectify_in v = {.action = "visit", .note = "已电话回访办事群众，了解具体情况"};
    rc = ow_rectify_transition(cx, id, &v);
    if (rc || age_days < 8) return rc;
    uint32_t r = demo_rand(s) % 10;
    ow_rectify_in f = {.action = "verify"};
    if (r < 6)
        f.outcome = "fixed", f.note = "情况属实，已对窗口人员批评教育并优化流程";
    else if (r < 8)
        f.outcome = "explained", f.note = "该诉求缺乏法定依据，已向群众解释说明";
    else
        f.outcome = "ledger", f.note = "涉及多部门协同，列入整改台账", f.ledger_days = 10;
    if ((rc = ow_rectify_transition(cx, id, &f))) return rc;
    if (!strcmp(f.outcome, "ledger") && age_days > 30) {
        ow_rectify_in c = {.action = "close", .note = "台账事项已整改完成"};
        if ((rc = ow_rectify_transition(cx, id, &c))) return rc;
    }
    if (strcmp(f.outcome, "ledger") && demo_rand(s) % 2) {
        ow_rectify_in p = {.action = "publish"};
        rc = ow_rectify_transition(cx, id, &p);
    }
    return rc;
}

/* One window service, rated at the kiosk, at an instant in the past. */
static int demo_kiosk_rating(ow_ctx *cx, int64_t org, int64_t at, uint64_t *s, int *bad) {
    int64_t sid, rid;
    const char *clerk = demo_clerks[demo_rand(s) % NELEM(demo_clerks)];
    const char *topic = demo_topics[demo_rand(s) % NELEM(demo_topics)];
    int rc = service_insert(cx, org, 0, clerk, 0, "", topic, at, &sid);
    if (rc) return rc;
    ow_rating_in in = {.level = demo_level(s)};
    const char *tag;
    if (ow_rating_is_bad(in.level)) {
        tag = bad_tags[demo_rand(s) % NELEM(bad_tags)];
        in.comment = demo_bad_comments[demo_rand(s) % NELEM(demo_bad_comments)];
    } else {
        tag = good_tags[demo_rand(s) % NELEM(good_tags)];
    }
    in.tags = &tag;
    in.ntags = 1;
    new_rating n = {.channel = "kiosk",
                    .service_id = sid,
                    .org_id = org,
                    .dept_id = org,
                    .topic = topic,
                    .at = at};
    if ((rc = insert_rating(cx, &n, &in, &rid))) return rc;
    if ((rc = ow_rating_store_service_rated(cx->db, sid, at, &cx->err))) return rc;
    *bad = ow_rating_is_bad(in.level) ? (int)rid : 0;
    return OW_OK;
}

typedef struct demo_cases {
    ow_arena *a;
    int64_t *id;
    int32_t *day;
    int n, cap;
} demo_cases;

static int demo_collect(void *arg, const ow_case_view *r) {
    demo_cases *d = arg;
    if (r->concluded_date == OW_DATE_NONE || !strcmp(r->state, "withdrawn")) return OW_OK;
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 256;
        int64_t *id = ow_alloc(d->a, (size_t)cap * sizeof *id);
        int32_t *day = ow_alloc(d->a, (size_t)cap * sizeof *day);
        if (d->n) {
            memcpy(id, d->id, (size_t)d->n * sizeof *id);
            memcpy(day, d->day, (size_t)d->n * sizeof *day);
        }
        d->id = id;
        d->day = day;
        d->cap = cap;
    }
    d->id[d->n] = r->id;
    d->day[d->n++] = r->concluded_date;
    return OW_OK;
}

/* About 60 % of the ended demo cases are rated online the day after they ended. */
static int demo_case_ratings(ow_ctx *cx, int32_t today, uint64_t *s, int *rated) {
    demo_cases d = {.a = cx->arena};
    int rc = ow_cases_each_touching(cx, today - 400, today, demo_collect, &d);
    const ow_clock *real = cx->clock;
    for (int i = 0; i < d.n && !rc; i++) {
        if (demo_rand(s) % 10 >= 6 || d.day[i] + 1 >= today) continue;
        ow_case_brief cb;
        if ((rc = ow_cases_brief(cx, d.id[i], &cb))) break;
        int64_t at = ((int64_t)(d.day[i] + 1) * 86400 - 28800 + 10 * 3600 +
                      (int64_t)(demo_rand(s) % (6 * 3600))) *
                     1000;
        ow_clock at_clock = {.fixed_ms = at};
        cx->clock = &at_clock;
        ow_rating_in in = {.level = demo_level(s)};
        const char *tag = ow_rating_is_bad(in.level) ? bad_tags[demo_rand(s) % NELEM(bad_tags)]
                                                     : good_tags[demo_rand(s) % NELEM(good_tags)];
        if (ow_rating_is_bad(in.level))
            in.comment = demo_bad_comments[demo_rand(s) % NELEM(demo_bad_comments)];
        in.tags = &tag;
        in.ntags = 1;
        new_rating n = {.channel = cb.applicant_user_id ? "portal" : "notice",
                        .case_id = cb.id,
                        .case_no = cb.case_no,
                        .topic = cb.item_name,
                        .org_id = cb.intake_org_id,
                        .dept_id = cb.dept_id,
                        .user_id = cb.applicant_user_id,
                        .at = at};
        int64_t rid;
        rc = insert_rating(cx, &n, &in, &rid);
        if (!rc && ow_rating_is_bad(in.level)) {
            int age = today - d.day[i];
            at_clock.fixed_ms = at + (int64_t)(age < 10 ? age : 10) * 86400000;
            rc = demo_rectify(cx, rid, age, s);
        }
        cx->clock = real;
        if (!rc) (*rated)++;
    }
    cx->clock = real;
    return rc;
}

int ow_rating_demo_seed(ow_ctx *cx) {
    int64_t orgs[64];
    int norgs = 0;
    int rc = ow_rating_store_kiosk_orgs(cx->db, orgs, 64, &norgs, &cx->err);
    if (rc) return rc;
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    int64_t now = ow_clock_now_ms(cx->clock);
    int32_t today = ow_date_today_shanghai(now);
    const ow_clock *real = cx->clock;
    int n = 0;
    /* The past year, working days only; each office about one rated service a day. */
    for (int32_t d = today - 364; d < today && !rc; d++) {
        bool work;
        if ((rc = ow_cal_is_workday(cx->app->calendar, d, &work, &cx->err))) break;
        if (!work) continue;
        for (int i = 0; i < norgs && !rc; i++) {
            int k = (int)(demo_rand(&seed) % 3);
            for (int j = 0; j < k && !rc; j++) {
                /* 9:00–17:00 Shanghai */
                int64_t at = ((int64_t)d * 86400 - 28800 + 9 * 3600 +
                              (int64_t)(demo_rand(&seed) % (8 * 3600))) *
                             1000;
                ow_clock at_clock = {.fixed_ms = at};
                cx->clock = &at_clock;
                int bad = 0;
                rc = demo_kiosk_rating(cx, orgs[i], at, &seed, &bad);
                if (!rc && bad) {
                    /* the office works on it over the following days */
                    int age = today - d;
                    at_clock.fixed_ms = at + (int64_t)(age < 10 ? age : 10) * 86400000;
                    rc = demo_rectify(cx, bad, age, &seed);
                }
                cx->clock = real;
                n++;
            }
        }
    }
    cx->clock = real;
    int rated = 0;
    if (!rc) rc = demo_case_ratings(cx, today, &seed, &rated);
    if (!rc) printf("demo ratings: %d window services and %d cases rated\n", n, rated);
    return rc;
}
