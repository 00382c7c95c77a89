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
#include "store/db.h"
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

static json_t *col_str_or_null(ow_stmt *st, int i) {
    return ow_col_null(st, i) ? json_null() : json_string(ow_db_text(st, i));
}

static json_t *col_date_json(ow_stmt *st, int i) {
    if (ow_col_null(st, i)) return json_null();
    char d[11];
    ow_date_format((int32_t)ow_col_int64(st, i), d);
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

static int open_rectification(ow_ctx *cx, int64_t rating_id, int64_t org_id, int64_t at) {
    static const char *sql =
        "INSERT INTO rectifications (rating_id, org_id, state, opened_at, opened_date, due_date,"
        " updated_at) VALUES (?, ?, 'open', ?, ?, ?, ?)";
    int32_t opened = ow_date_today_shanghai(at), due;
    int rc = ow_rectify_due(cx, opened, &due);
    if (rc) return rc;
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, rating_id);
    ow_bind_int64(st, 2, org_id);
    ow_bind_int64(st, 3, at);
    ow_bind_int(st, 4, opened);
    ow_bind_int(st, 5, due);
    ow_bind_int64(st, 6, at);
    rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "rectification insert", &cx->err);
    int64_t id = ow_db_last_id(cx->db);
    char ids[24], dd[11];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    ow_date_format(due, dd);
    json_t *detail = json_pack("{s:I,s:I,s:s}", "rating_id", (json_int_t)rating_id, "org_id",
                               (json_int_t)org_id, "due_date", dd);
    rc = ow_audit_append(cx, "rectification.open", "rectification", ids, detail);
    json_decref(detail);
    return rc;
}

static int insert_rating(ow_ctx *cx, const new_rating *n, const ow_rating_in *in, int64_t *id) {
    static const char *sql =
        "INSERT INTO ratings (channel, case_id, case_no, service_id, topic, org_id, dept_id,"
        " staff_id, user_id, level, comment, tags, created_at, rated_date)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
    json_t *tags = json_array();
    for (int i = 0; i < in->ntags; i++)
        json_array_append_new(tags, json_string(in->tags[i]));
    char *tags_s = json_dumps(tags, JSON_COMPACT);
    json_decref(tags);
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) {
        free(tags_s);
        return OW_EDB;
    }
#define BIND_ID(i, v) ((v) ? ow_bind_int64(st, i, v) : ow_bind_null(st, i))
    ow_bind_text_ref(st, 1, n->channel);
    BIND_ID(2, n->case_id);
    ow_bind_text(st, 3, n->case_no ? n->case_no : "");
    BIND_ID(4, n->service_id);
    ow_bind_text(st, 5, n->topic ? n->topic : "");
    BIND_ID(6, n->org_id);
    ow_bind_int64(st, 7, n->dept_id);
    BIND_ID(8, n->staff_id);
    BIND_ID(9, n->user_id);
    ow_bind_int(st, 10, in->level);
    ow_bind_text(st, 11, in->comment ? in->comment : "");
    ow_bind_text(st, 12, tags_s);
    ow_bind_int64(st, 13, n->at);
    ow_bind_int(st, 14, ow_date_today_shanghai(n->at));
#undef BIND_ID
    free(tags_s);
    int rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE && ow_db_last_was_constraint(cx->db)) /* one per service / per case */
        return ow_err_setk(&cx->err, OW_ECONFLICT, "already_rated", "level", "%s",
                           n->service_id ? "本次服务已经评价过了"
                                         : "该办件已经评价过了（一事一评）");
    if (rc != OW_DONE) return ow_db_fail(cx->db, "rating insert", &cx->err);
    *id = ow_db_last_id(cx->db);
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, *id);
    json_t *detail = json_pack("{s:s,s:i,s:s}", "channel", n->channel, "level", in->level,
                               "case_no", n->case_no ? n->case_no : "");
    if (n->service_id) json_object_set_new(detail, "service_id", json_integer(n->service_id));
    rc = ow_audit_append(cx, "rating.create", "rating", ids, detail);
    json_decref(detail);
    if (rc) return rc;
    if (ow_rating_is_bad(in->level)) rc = open_rectification(cx, *id, n->dept_id, n->at);
    return rc;
}

/* ---------------- window services and the kiosk ---------------- */

static bool serves_at_window(const ow_actor *a) {
    return !strcmp(a->role, "clerk") || !strcmp(a->role, "agent");
}

static int end_open_services(ow_ctx *cx, int64_t window_id, int64_t now) {
    static const char *sql = "UPDATE service_sessions SET state = 'ended', ended_at = ? WHERE "
                             "window_id = ? AND state = 'open'";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, now);
    ow_bind_int64(st, 2, window_id);
    int rc = ow_step(st);
    ow_reset(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(cx->db, "service end", &cx->err);
}

static int service_insert(ow_ctx *cx, int64_t window_id, int64_t clerk_id, const char *clerk_name,
                          int64_t case_id, const char *case_no, const char *topic, int64_t at,
                          int64_t *id) {
    static const char *sql =
        "INSERT INTO service_sessions (window_id, clerk_id, clerk_name, case_id, case_no, topic,"
        " state, started_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, window_id);
    if (clerk_id)
        ow_bind_int64(st, 2, clerk_id);
    else
        ow_bind_null(st, 2);
    ow_bind_text(st, 3, clerk_name);
    if (case_id)
        ow_bind_int64(st, 4, case_id);
    else
        ow_bind_null(st, 4);
    ow_bind_text(st, 5, case_no);
    ow_bind_text(st, 6, topic);
    ow_bind_int64(st, 7, at);
    int rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "service insert", &cx->err);
    *id = ow_db_last_id(cx->db);
    return OW_OK;
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
    static const char *get_sql = "SELECT window_id, state FROM service_sessions WHERE id = ?";
    static const char *upd_sql =
        "UPDATE service_sessions SET state = 'ended', ended_at = ? WHERE id = ? AND state = 'open'";
    if (!serves_at_window(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有窗口工作人员和代办员可以结束窗口服务");
    ow_stmt *st = ow_db_stmt(cx->db, get_sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    int64_t window = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    bool open = rc == OW_ROW && !strcmp(ow_db_text(st, 1), "open");
    ow_reset(st);
    if (rc == OW_DONE || window != cx->actor.org_id)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "service_id", "窗口服务不存在");
    if (rc != OW_ROW) return ow_db_fail(cx->db, "service get", &cx->err);
    if (!open) return ow_err_set(&cx->err, OW_ECONFLICT, "service_id", "该窗口服务已经结束");
    st = ow_db_stmt(cx->db, upd_sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, ow_clock_now_ms(cx->clock));
    ow_bind_int64(st, 2, id);
    rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "service end", &cx->err);
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    return ow_audit_append(cx, "service.end", "service", ids, NULL);
}

/* The window's open service, if it is still young enough to be rated. */
static int open_service(ow_ctx *cx, int64_t window_id, json_t **out, int64_t *id) {
    static const char *sql =
        "SELECT id, clerk_name, topic, case_no, started_at FROM service_sessions"
        " WHERE window_id = ? AND state = 'open' AND started_at >= ? ORDER BY id DESC LIMIT 1";
    int64_t now = ow_clock_now_ms(cx->clock);
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, window_id);
    ow_bind_int64(st, 2, now - (int64_t)cx->app->cfg.kiosk_service_max_min * 60000);
    int rc = ow_step(st);
    *id = 0;
    if (out) *out = json_null();
    if (rc == OW_ROW) {
        *id = ow_col_int64(st, 0);
        if (out)
            *out = json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)*id, "clerk_name",
                             ow_db_text(st, 1), "topic", ow_db_text(st, 2), "case_no",
                             ow_db_text(st, 3), "started_at", ow_db_time_json(st, 4));
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(cx->db, "open service", &cx->err);
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
    static const char *get_sql =
        "SELECT clerk_id, case_id, case_no, topic FROM service_sessions WHERE id = ?";
    static const char *mark_sql =
        "UPDATE service_sessions SET state = 'rated', ended_at = ? WHERE id = ?";
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
    ow_stmt *st = ow_db_stmt(cx->db, get_sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, service_id);
    if (ow_step(st) != OW_ROW) {
        ow_reset(st);
        return ow_db_fail(cx->db, "service get", &cx->err);
    }
    new_rating n = {.channel = "kiosk",
                    .service_id = service_id,
                    .org_id = wid,
                    .staff_id = ow_col_int64(st, 0),
                    .case_id = ow_col_int64(st, 1),
                    .case_no = ow_strdup(cx->arena, ow_db_text(st, 2)),
                    .topic = ow_strdup(cx->arena, ow_db_text(st, 3)),
                    .user_id = cx->actor.user_id,
                    .at = ow_clock_now_ms(cx->clock)};
    ow_reset(st);
    n.dept_id = wid;
    if (n.case_id) {
        ow_case_brief cb;
        if ((rc = ow_cases_brief(cx, n.case_id, &cb))) return rc;
        n.dept_id = cb.dept_id;
    }
    if ((rc = insert_rating(cx, &n, in, rating_id))) return rc;
    st = ow_db_stmt(cx->db, mark_sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, n.at);
    ow_bind_int64(st, 2, service_id);
    rc = ow_step(st);
    ow_reset(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(cx->db, "service rated", &cx->err);
}

int ow_service_current_json(ow_ctx *cx, json_t **out) {
    static const char *recent_sql =
        "SELECT s.id, s.topic, s.case_no, s.state, s.started_at, r.level FROM service_sessions s"
        " LEFT JOIN ratings r ON r.service_id = s.id WHERE s.window_id = ?"
        " ORDER BY s.id DESC LIMIT 10";
    if (!serves_at_window(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有窗口工作人员和代办员有窗口服务");
    int64_t sid;
    json_t *svc;
    int rc = open_service(cx, cx->actor.org_id, &svc, &sid);
    if (rc) return rc;
    ow_stmt *st = ow_db_stmt(cx->db, recent_sql, &cx->err);
    if (!st) {
        json_decref(svc);
        return OW_EDB;
    }
    ow_bind_int64(st, 1, cx->actor.org_id);
    json_t *recent = json_array();
    while ((rc = ow_step(st)) == OW_ROW) {
        json_t *r = json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)ow_col_int64(st, 0),
                              "topic", ow_db_text(st, 1), "case_no", ow_db_text(st, 2), "state",
                              ow_db_text(st, 3), "started_at", ow_db_time_json(st, 4));
        if (!ow_col_null(st, 5)) {
            int l = ow_col_int(st, 5);
            json_object_set_new(r, "level", json_integer(l));
            json_object_set_new(r, "level_name", json_string(ow_rating_level_name(l)));
        }
        json_array_append_new(recent, r);
    }
    ow_reset(st);
    if (rc != OW_DONE) {
        json_decref(svc);
        json_decref(recent);
        return ow_db_fail(cx->db, "recent services", &cx->err);
    }
    /* The kiosk URL needs the window's code. */
    static const char *code_sql = "SELECT code, name FROM orgs WHERE id = ?";
    st = ow_db_stmt(cx->db, code_sql, &cx->err);
    if (!st) {
        json_decref(svc);
        json_decref(recent);
        return OW_EDB;
    }
    ow_bind_int64(st, 1, cx->actor.org_id);
    json_t *win = ow_step(st) == OW_ROW
                      ? json_pack("{s:I,s:s,s:s}", "id", (json_int_t)cx->actor.org_id, "code",
                                  ow_db_text(st, 0), "name", ow_db_text(st, 1))
                      : json_null();
    ow_reset(st);
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

#define RATING_COLS                                                                                \
    "SELECT r.id, r.channel, r.case_id, r.case_no, r.service_id, r.topic, r.org_id,"               \
    " coalesce(o.name, ''), r.dept_id, coalesce(d.name, ''), r.staff_id, r.user_id, r.level,"      \
    " r.comment, r.tags, r.void, r.created_at, x.id FROM ratings r"                                \
    " LEFT JOIN orgs o ON o.id = r.org_id LEFT JOIN orgs d ON d.id = r.dept_id"                    \
    " LEFT JOIN rectifications x ON x.rating_id = r.id"

static json_t *rating_row_json(ow_stmt *st, bool staff) {
    int level = ow_col_int(st, 12);
    json_t *tags = json_loads(ow_db_text(st, 14), 0, NULL);
    json_t *r =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:o,s:b,s:o,s:{s:I,s:s}}", "id",
                  (json_int_t)ow_col_int64(st, 0), "channel", ow_db_text(st, 1), "channel_name",
                  channel_name(ow_db_text(st, 1)), "case_no", ow_db_text(st, 3), "topic",
                  ow_db_text(st, 5), "level", level, "level_name", ow_rating_level_name(level),
                  "comment", ow_db_text(st, 13), "tags", tags ? tags : json_array(), "void",
                  ow_col_int(st, 15), "rated_at", ow_db_time_json(st, 16), "dept", "id",
                  (json_int_t)ow_col_int64(st, 8), "name", ow_db_text(st, 9));
    if (!ow_col_null(st, 2)) json_object_set_new(r, "case_id", json_integer(ow_col_int64(st, 2)));
    if (!ow_col_null(st, 6))
        json_object_set_new(r, "org",
                            json_pack("{s:I,s:s}", "id", (json_int_t)ow_col_int64(st, 6), "name",
                                      ow_db_text(st, 7)));
    if (staff && !ow_col_null(st, 4))
        json_object_set_new(r, "service_id", json_integer(ow_col_int64(st, 4)));
    json_object_set_new(r, "rectification_id",
                        ow_col_null(st, 17) ? json_null() : json_integer(ow_col_int64(st, 17)));
    return r;
}

static int rectify_json_by(ow_ctx *cx, int64_t id, bool for_applicant, json_t **out);

int ow_rating_case_json(ow_ctx *cx, int64_t case_id, const char *token, json_t **out) {
    static const char *sql = RATING_COLS " WHERE r.case_id = ? AND r.channel <> 'kiosk'";
    ow_case_brief cb;
    int rc = case_access(cx, case_id, token, &cb);
    if (rc) return rc;
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    json_t *rating = json_null(), *rect = json_null();
    int64_t rect_id = 0;
    rc = ow_step(st);
    if (rc == OW_ROW) {
        rating = rating_row_json(st, false);
        rect_id = ow_col_null(st, 17) ? 0 : ow_col_int64(st, 17);
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) {
        json_decref(rating);
        return ow_db_fail(cx->db, "case rating", &cx->err);
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

static void bind_date_or(ow_stmt *st, int i, int32_t d, int32_t dflt) {
    ow_bind_int(st, i, d == OW_DATE_NONE ? dflt : d);
}

int ow_rating_list_json(ow_ctx *cx, const ow_rating_query *q, json_t **items, int64_t *total) {
    static const char *where =
        " WHERE (?1 = 0 OR r.user_id = ?1)"
        " AND (?2 = 0 OR r.dept_id = ?2 OR r.org_id = ?2"
        "      OR r.dept_id IN (SELECT id FROM orgs WHERE parent_id = ?2)"
        "      OR r.org_id IN (SELECT id FROM orgs WHERE parent_id = ?2))"
        " AND (?3 IS NULL OR r.channel = ?3) AND (?4 = 0 OR r.level = ?4)"
        " AND (?5 = 0 OR r.level <= 2) AND (?6 = 0 OR r.dept_id = ?6 OR r.org_id = ?6)"
        " AND r.rated_date BETWEEN ?7 AND ?8";
    static const char *count_sql = "SELECT count(*) FROM ratings r";
    static const char *list_sql = RATING_COLS;
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
    char *csql = ow_sprintf(cx->arena, "%s%s", count_sql, where);
    char *lsql =
        ow_sprintf(cx->arena, "%s%s ORDER BY r.id DESC LIMIT ?9 OFFSET ?10", list_sql, where);
    for (int pass = 0; pass < 2; pass++) {
        /* Built from constants only: the statement cache keys on the text. */
        ow_stmt *st = ow_db_stmt(cx->db, pass ? lsql : csql, &cx->err);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, mine);
        ow_bind_int64(st, 2, scope);
        if (q->channel)
            ow_bind_text(st, 3, q->channel);
        else
            ow_bind_null(st, 3);
        ow_bind_int(st, 4, q->level);
        ow_bind_int(st, 5, q->bad_only);
        ow_bind_int64(st, 6, q->org_id);
        bind_date_or(st, 7, q->from, 0);
        bind_date_or(st, 8, q->to, INT32_MAX);
        if (!pass) {
            if (ow_step(st) != OW_ROW) {
                ow_reset(st);
                return ow_db_fail(cx->db, "rating count", &cx->err);
            }
            *total = ow_col_int64(st, 0);
            ow_reset(st);
            continue;
        }
        ow_bind_int(st, 9, q->per_page);
        ow_bind_int64(st, 10, (int64_t)(q->page - 1) * q->per_page);
        *items = json_array();
        int rc;
        while ((rc = ow_step(st)) == OW_ROW)
            json_array_append_new(*items, rating_row_json(st, staff));
        ow_reset(st);
        if (rc != OW_DONE) {
            json_decref(*items);
            return ow_db_fail(cx->db, "rating list", &cx->err);
        }
    }
    return OW_OK;
}

int ow_rating_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    static const char *sql = RATING_COLS " WHERE r.id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc != OW_ROW) {
        ow_reset(st);
        if (rc == OW_DONE) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "评价不存在");
        return ow_db_fail(cx->db, "rating get", &cx->err);
    }
    int64_t user = ow_col_int64(st, 11), dept = ow_col_int64(st, 8), org = ow_col_int64(st, 6);
    int64_t rect_id = ow_col_null(st, 17) ? 0 : ow_col_int64(st, 17);
    bool staff = !strcmp(cx->actor.kind, "staff") || cx->actor.system;
    json_t *r = rating_row_json(st, staff);
    ow_reset(st);
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

#define RECT_COLS                                                                                  \
    "SELECT x.id, x.rating_id, x.org_id, coalesce(o.name, ''), x.state, x.opened_date,"            \
    " x.due_date, x.visit_at, x.visit_by, x.visit_note, x.outcome, x.outcome_note,"                \
    " x.ledger_due, x.appeal_result, x.appeal_note, x.closed_at, x.closed_late,"                   \
    " x.closing_note, x.published, r.level, r.comment, r.tags, r.topic, r.case_no, r.channel,"     \
    " r.created_at, r.void FROM rectifications x JOIN ratings r ON r.id = x.rating_id"             \
    " LEFT JOIN orgs o ON o.id = x.org_id"

static json_t *rect_row_json(ow_ctx *cx, ow_stmt *st, bool for_applicant) {
    const char *state = ow_db_text(st, 4);
    int32_t due = (int32_t)ow_col_int64(st, 6);
    int32_t ledger_due = ow_col_null(st, 12) ? OW_DATE_NONE : (int32_t)ow_col_int64(st, 12);
    int32_t today = ow_sup_today(cx);
    int32_t eff_due = !strcmp(state, "ledger") && ledger_due != OW_DATE_NONE ? ledger_due : due;
    bool overdue = strcmp(state, "closed") && today > eff_due;
    json_t *outcome = col_str_or_null(st, 10);
    json_t *r = json_pack(
        "{s:I,s:I,s:{s:I,s:s},s:s,s:s,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:b}",
        "id", (json_int_t)ow_col_int64(st, 0), "rating_id", (json_int_t)ow_col_int64(st, 1), "org",
        "id", (json_int_t)ow_col_int64(st, 2), "name", ow_db_text(st, 3), "state", state,
        "state_name", rect_state_name(state), "opened_date", col_date_json(st, 5), "due_date",
        col_date_json(st, 6), "overdue", overdue, "visit_at", ow_db_time_json(st, 7), "visit_note",
        col_str_or_null(st, 9), "outcome", outcome, "outcome_name",
        json_is_string(outcome) ? json_string(outcome_name(json_string_value(outcome)))
                                : json_null(),
        "outcome_note", col_str_or_null(st, 11), "ledger_due", col_date_json(st, 12),
        "appeal_result", col_str_or_null(st, 13), "closed_at", ow_db_time_json(st, 15),
        "closed_late", ow_col_int(st, 16), "closing_note", col_str_or_null(st, 17), "published",
        ow_col_int(st, 18));
    if (!for_applicant) {
        json_object_set_new(r, "visit_by", col_str_or_null(st, 8));
        json_object_set_new(r, "appeal_note", col_str_or_null(st, 14));
    }
    int level = ow_col_int(st, 19);
    json_t *tags = json_loads(ow_db_text(st, 21), 0, NULL);
    json_object_set_new(r, "rating",
                        json_pack("{s:i,s:s,s:s,s:o,s:s,s:s,s:s,s:o,s:b}", "level", level,
                                  "level_name", ow_rating_level_name(level), "comment",
                                  ow_db_text(st, 20), "tags", tags ? tags : json_array(), "topic",
                                  ow_db_text(st, 22), "case_no", ow_db_text(st, 23), "channel",
                                  ow_db_text(st, 24), "rated_at", ow_db_time_json(st, 25), "void",
                                  ow_col_int(st, 26)));
    return r;
}

static int rectify_json_by(ow_ctx *cx, int64_t id, bool for_applicant, json_t **out) {
    static const char *sql = RECT_COLS " WHERE x.id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) *out = rect_row_json(cx, st, for_applicant);
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "整改任务不存在");
    if (rc != OW_ROW) return ow_db_fail(cx->db, "rectification get", &cx->err);
    return OW_OK;
}

int ow_rectify_get_json(ow_ctx *cx, int64_t id, json_t **out) {
    static const char *org_sql = "SELECT org_id FROM rectifications WHERE id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, org_sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    int64_t org = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "整改任务不存在");
    if (rc != OW_ROW) return ow_db_fail(cx->db, "rectification org", &cx->err);
    bool ok;
    if ((rc = ow_sup_in_scope(cx, org, &ok))) return rc;
    if (!ok) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "整改任务不存在");
    return rectify_json_by(cx, id, false, out);
}

int ow_rectify_list_json(ow_ctx *cx, const ow_rectify_query *q, json_t **items, int64_t *total) {
    static const char *where =
        " WHERE (?1 = 0 OR x.org_id = ?1 OR x.org_id IN (SELECT id FROM orgs WHERE parent_id = ?1))"
        " AND (?2 IS NULL OR x.state = ?2 OR (?2 = 'active' AND x.state <> 'closed'))"
        " AND (?3 = 0 OR (x.state <> 'closed' AND"
        "      CASE WHEN x.state = 'ledger' THEN x.ledger_due ELSE x.due_date END < ?4))";
    int64_t scope;
    int rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    const char *csql = ow_sprintf(cx->arena, "SELECT count(*) FROM rectifications x%s", where);
    const char *lsql = ow_sprintf(cx->arena,
                                  "%s%s ORDER BY x.state = 'closed', x.due_date, x.id"
                                  " LIMIT ?5 OFFSET ?6",
                                  RECT_COLS, where);
    int32_t today = ow_sup_today(cx);
    for (int pass = 0; pass < 2; pass++) {
        ow_stmt *st = ow_db_stmt(cx->db, pass ? lsql : csql, &cx->err);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, scope);
        if (q->state)
            ow_bind_text(st, 2, q->state);
        else
            ow_bind_null(st, 2);
        ow_bind_int(st, 3, q->overdue);
        ow_bind_int(st, 4, today);
        if (!pass) {
            if (ow_step(st) != OW_ROW) {
                ow_reset(st);
                return ow_db_fail(cx->db, "rectification count", &cx->err);
            }
            *total = ow_col_int64(st, 0);
            ow_reset(st);
            continue;
        }
        ow_bind_int(st, 5, q->per_page);
        ow_bind_int64(st, 6, (int64_t)(q->page - 1) * q->per_page);
        *items = json_array();
        while ((rc = ow_step(st)) == OW_ROW)
            json_array_append_new(*items, rect_row_json(cx, st, false));
        ow_reset(st);
        if (rc != OW_DONE) {
            json_decref(*items);
            return ow_db_fail(cx->db, "rectification list", &cx->err);
        }
    }
    return OW_OK;
}

int ow_rectify_public_json(ow_ctx *cx, int page, int per_page, json_t **items, int64_t *total) {
    static const char *count_sql = "SELECT count(*) FROM rectifications WHERE published = 1";
    static const char *list_sql =
        "SELECT x.id, coalesce(o.name, ''), r.topic, r.level, x.outcome, x.outcome_note,"
        " x.closing_note, x.closed_at FROM rectifications x JOIN ratings r ON r.id = x.rating_id"
        " LEFT JOIN orgs o ON o.id = x.org_id WHERE x.published = 1"
        " ORDER BY x.closed_at DESC LIMIT ? OFFSET ?";
    ow_stmt *st = ow_db_stmt(cx->db, count_sql, &cx->err);
    if (!st) return OW_EDB;
    if (ow_step(st) != OW_ROW) {
        ow_reset(st);
        return ow_db_fail(cx->db, "public count", &cx->err);
    }
    *total = ow_col_int64(st, 0);
    ow_reset(st);
    st = ow_db_stmt(cx->db, list_sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, per_page);
    ow_bind_int64(st, 2, (int64_t)(page - 1) * per_page);
    *items = json_array();
    int rc;
    while ((rc = ow_step(st)) == OW_ROW) {
        int level = ow_col_int(st, 3);
        const char *oc = ow_db_text(st, 4);
        json_array_append_new(
            *items,
            json_pack("{s:I,s:s,s:s,s:i,s:s,s:s,s:s,s:o,s:o}", "id",
                      (json_int_t)ow_col_int64(st, 0), "org_name", ow_db_text(st, 1), "topic",
                      ow_db_text(st, 2), "level", level, "level_name", ow_rating_level_name(level),
                      "outcome", oc, "outcome_name", outcome_name(oc), "outcome_note",
                      col_str_or_null(st, 5), "closed_at", ow_db_time_json(st, 7)));
    }
    ow_reset(st);
    if (rc != OW_DONE) {
        json_decref(*items);
        return ow_db_fail(cx->db, "public list", &cx->err);
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

typedef struct rect_row {
    int64_t id, org_id, rating_id;
    char state[16];
    int32_t due, ledger_due;
    int published;
} rect_row;

static int rect_load(ow_ctx *cx, int64_t id, rect_row *r) {
    static const char *sql = "SELECT id, org_id, rating_id, state, due_date, ledger_due, published"
                             " FROM rectifications WHERE id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        r->id = ow_col_int64(st, 0);
        r->org_id = ow_col_int64(st, 1);
        r->rating_id = ow_col_int64(st, 2);
        snprintf(r->state, sizeof r->state, "%s", ow_db_text(st, 3));
        r->due = (int32_t)ow_col_int64(st, 4);
        r->ledger_due = ow_col_null(st, 5) ? OW_DATE_NONE : (int32_t)ow_col_int64(st, 5);
        r->published = ow_col_int(st, 6);
    }
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "整改任务不存在");
    if (rc != OW_ROW) return ow_db_fail(cx->db, "rectification load", &cx->err);
    return OW_OK;
}

static int rect_exec(ow_ctx *cx, const char *sql, int64_t id, const char *s1, const char *s2,
                     const char *s3, int64_t i1, int64_t i2) {
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    if (s1)
        ow_bind_text(st, 2, s1);
    else
        ow_bind_null(st, 2);
    if (s2)
        ow_bind_text(st, 3, s2);
    else
        ow_bind_null(st, 3);
    if (s3)
        ow_bind_text(st, 4, s3);
    else
        ow_bind_null(st, 4);
    ow_bind_int64(st, 5, i1);
    ow_bind_int64(st, 6, i2);
    ow_bind_int64(st, 7, ow_clock_now_ms(cx->clock));
    int rc = ow_step(st);
    ow_reset(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(cx->db, "rectification update", &cx->err);
}

int ow_rectify_transition(ow_ctx *cx, int64_t id, const ow_rectify_in *in) {
    /* ?1 id, ?2..?4 texts, ?5 ?6 integers, ?7 now (rect_exec binds all seven; a
     * statement leaves out what it does not need) */
    static const char *visit_sql =
        "UPDATE rectifications SET state = 'visited', visit_at = ?7, visit_by = ?2,"
        " visit_note = ?3, updated_at = ?7 WHERE id = ?1";
    static const char *verify_sql =
        "UPDATE rectifications SET state = ?2, outcome = ?3, outcome_note = ?4,"
        " ledger_due = CASE WHEN ?5 > 0 THEN ?5 ELSE NULL END,"
        " closed_at = CASE WHEN ?2 = 'closed' THEN ?7 ELSE NULL END,"
        " closed_late = ?6, closing_note = CASE WHEN ?2 = 'closed' THEN ?4 ELSE NULL END,"
        " updated_at = ?7 WHERE id = ?1";
    static const char *close_sql =
        "UPDATE rectifications SET state = 'closed', closed_at = ?7, closing_note = ?2,"
        " closed_late = ?5, updated_at = ?7 WHERE id = ?1";
    static const char *review_sql =
        "UPDATE rectifications SET state = ?2, appeal_result = ?3, appeal_note = ?4,"
        " outcome = CASE WHEN ?2 = 'visited' THEN NULL ELSE outcome END,"
        " closed_at = CASE WHEN ?2 = 'closed' THEN ?7 ELSE NULL END,"
        " closing_note = CASE WHEN ?2 = 'closed' THEN ?4 ELSE NULL END,"
        " closed_late = ?5, updated_at = ?7 WHERE id = ?1";
    static const char *publish_sql =
        "UPDATE rectifications SET published = 1, updated_at = ?7 WHERE id = ?1";
    static const char *void_sql = "UPDATE ratings SET void = 1 WHERE id = ?";

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
    json_t *detail = json_object();
    const char *to = r.state;
    if (!strcmp(in->action, "visit")) {
        to = "visited";
        rc = rect_exec(cx, visit_sql, id, cx->actor.name, in->note, NULL, 0, 0);
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
            rc = rect_exec(cx, verify_sql, id, to, oc, in->note, ledger_due,
                           !strcmp(to, "closed") && today > r.due);
        json_object_set_new(detail, "outcome", json_string(oc));
        if (ledger_due) json_object_set_new(detail, "ledger_due", ow_json_date(ledger_due));
    } else if (!strcmp(in->action, "close")) {
        to = "closed";
        int32_t due = r.ledger_due != OW_DATE_NONE ? r.ledger_due : r.due;
        rc = rect_exec(cx, close_sql, id, in->note, NULL, NULL, today > due, 0);
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
        if (!rc) rc = rect_exec(cx, review_sql, id, to, res, in->note, today > r.due, 0);
        if (!rc && !strcmp(res, "revoked")) {
            ow_stmt *st = ow_db_stmt(cx->db, void_sql, &cx->err);
            if (!st)
                rc = OW_EDB;
            else {
                ow_bind_int64(st, 1, r.rating_id);
                int s = ow_step(st);
                ow_reset(st);
                if (s != OW_DONE) rc = ow_db_fail(cx->db, "rating void", &cx->err);
            }
        }
        json_object_set_new(detail, "result", json_string(res));
    } else {
        rc = rect_exec(cx, publish_sql, id, NULL, NULL, NULL, 0, 0);
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
    return rc;
}

int ow_rectify_recompute_open(ow_ctx *cx, int *n) {
    static const char *find_sql =
        "SELECT id, opened_date, due_date FROM rectifications WHERE state <> 'closed'";
    static const char *upd_sql = "UPDATE rectifications SET due_date = ? WHERE id = ?";
    *n = 0;
    ow_stmt *st = ow_db_stmt(cx->db, find_sql, &cx->err);
    if (!st) return OW_EDB;
    typedef struct {
        int64_t id;
        int32_t opened, due;
    } open_rect;
    open_rect *v = NULL;
    int cnt = 0, cap = 0, rc;
    while ((rc = ow_step(st)) == OW_ROW) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 64;
            open_rect *g = ow_alloc(cx->arena, (size_t)cap * sizeof *g);
            if (cnt) memcpy(g, v, (size_t)cnt * sizeof *g);
            v = g;
        }
        v[cnt++] = (open_rect){ow_col_int64(st, 0), (int32_t)ow_col_int64(st, 1),
                               (int32_t)ow_col_int64(st, 2)};
    }
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "rectification recompute", &cx->err);
    for (int i = 0; i < cnt; i++) {
        int32_t due;
        if ((rc = ow_rectify_due(cx, v[i].opened, &due))) return rc;
        if (due == v[i].due) continue;
        st = ow_db_stmt(cx->db, upd_sql, &cx->err);
        if (!st) return OW_EDB;
        ow_bind_int(st, 1, due);
        ow_bind_int64(st, 2, v[i].id);
        rc = ow_step(st);
        ow_reset(st);
        if (rc != OW_DONE) return ow_db_fail(cx->db, "rectification recompute", &cx->err);
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
    static const char *sql = "SELECT id FROM rectifications WHERE rating_id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, rating_id);
    int64_t id = ow_step(st) == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    if (!id) return ow_db_fail(cx->db, "demo rectification", &cx->err);
    if (age_days < 3) return OW_OK;
    ow_rectify_in v = {.action = "visit", .note = "已电话回访办事群众，了解具体情况"};
    int rc = ow_rectify_transition(cx, id, &v);
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
    static const char *mark =
        "UPDATE service_sessions SET state = 'rated', ended_at = ? WHERE id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, mark, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, at);
    ow_bind_int64(st, 2, sid);
    rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(cx->db, "demo service", &cx->err);
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
    static const char *orgs_sql =
        "SELECT id FROM orgs WHERE kind IN ('window', 'township') AND active = 1 ORDER BY code";
    ow_stmt *st = ow_db_stmt(cx->db, orgs_sql, &cx->err);
    if (!st) return OW_EDB;
    int64_t orgs[64];
    int norgs = 0;
    while (norgs < 64 && ow_step(st) == OW_ROW)
        orgs[norgs++] = ow_col_int64(st, 0);
    ow_reset(st);
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    int64_t now = ow_clock_now_ms(cx->clock);
    int32_t today = ow_date_today_shanghai(now);
    const ow_clock *real = cx->clock;
    int rc = OW_OK, n = 0;
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
