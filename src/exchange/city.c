/* city.c — what the city (instance_role = city) does with its districts' messages and
 * the city-wide figures (docs/exchange.md "What the city does").
 *
 * Each district's cases are kept as the last state its messages described, keyed by the
 * district and the case number; a later message overwrites the fields it carries and
 * leaves the others, so a concluded message that arrives does not lose the acceptance
 * date.  The figures are counted from those rows per district; the city's total is
 * their sum, by construction and by the test that compares it with the districts'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/workdays.h"
#include "exchange/exchange_int.h"
#include "store/exchange_store.h"

static const char *str(const json_t *p, const char *k) {
    const char *s = json_string_value(json_object_get(p, k));
    return s ? s : "";
}

/* A 'YYYY-MM-DD' date or "" */
static bool date_ok(const char *s) {
    if (!*s) return true;
    int32_t d;
    return ow_date_parse(s, &d) == OW_OK;
}

static int apply_case(ow_ctx *cx, const char *district, const json_t *p) {
    ow_ex_city_case c = {.district = district,
                         .case_no = str(p, "case_no"),
                         .item_code = str(p, "item_code"),
                         .item_name = str(p, "item_name"),
                         .applicant_type = str(p, "applicant_type"),
                         .applicant_masked = str(p, "applicant_masked"),
                         .state = str(p, "state"),
                         .result = str(p, "result"),
                         .accepted_date = str(p, "accepted_date"),
                         .due_date = str(p, "due_date"),
                         .decided_date = str(p, "decided_date"),
                         .concluded_at = json_integer_value(json_object_get(p, "concluded_at")),
                         .overdue = json_integer_value(json_object_get(p, "overdue")) != 0,
                         .updated_at = ow_clock_now_ms(cx->clock)};
    const char *need[] = {"case_no", "item_code", "state", "applicant_type"};
    for (size_t i = 0; i < sizeof need / sizeof *need; i++)
        if (!*str(p, need[i]))
            return ow_err_set(&cx->err, OW_EINVAL, need[i], "办件数据缺少 %s", need[i]);
    if (!date_ok(c.accepted_date) || !date_ok(c.due_date) || !date_ok(c.decided_date))
        return ow_err_set(&cx->err, OW_EINVAL, "accepted_date", "办件数据的日期应为 YYYY-MM-DD");
    return ow_ex_store_city_case_put(cx->db, &c, &cx->err);
}

static int apply_head(ow_ctx *cx, const char *district, const json_t *p) {
    json_t *seq = json_object_get(p, "seq"), *at = json_object_get(p, "at");
    const char *hash = str(p, "hash");
    if (!json_is_integer(seq) || !json_is_integer(at) || strlen(hash) != 64)
        return ow_err_set(&cx->err, OW_EINVAL, "seq", "审计链头应有 seq、hash 与 at");
    return ow_ex_store_city_head_put(cx->db, district, json_integer_value(seq), hash,
                                     json_integer_value(at), &cx->err);
}

static int apply_rating(ow_ctx *cx, const char *district, const json_t *p) {
    json_t *id = json_object_get(p, "rating_id"), *level = json_object_get(p, "level"),
           *at = json_object_get(p, "at");
    if (!json_is_integer(id) || !json_is_integer(level) || !json_is_integer(at))
        return ow_err_set(&cx->err, OW_EINVAL, "rating_id", "评价数据应有 rating_id、level 与 at");
    int lv = (int)json_integer_value(level);
    if (lv < 1 || lv > 5) return ow_err_set(&cx->err, OW_EINVAL, "level", "评价等级应为 1–5");
    return ow_ex_store_city_rating_put(cx->db, district, json_integer_value(id), str(p, "channel"),
                                       lv, str(p, "case_no"), json_integer_value(at), &cx->err);
}

/* A rectification's step; its rating came before it (one destination, in order). */
static int apply_rectification(ow_ctx *cx, const char *district, const json_t *p) {
    json_t *id = json_object_get(p, "rating_id");
    const char *state = str(p, "state");
    if (!json_is_integer(id) || !*state)
        return ow_err_set(&cx->err, OW_EINVAL, "rating_id", "整改数据应有 rating_id 与 state");
    bool found;
    int rc = ow_ex_store_city_rect_put(cx->db, district, json_integer_value(id), state, &found,
                                       &cx->err);
    if (!rc && !found) rc = ow_err_set(&cx->err, OW_EINVAL, "rating_id", "整改所属的评价尚未收到");
    return rc;
}

/* The month's total row of the cases table: received, accepted, concluded. */
static int apply_monthly(ow_ctx *cx, const char *district, const json_t *p) {
    const char *month = str(p, "month");
    json_t *total = json_object_get(json_object_get(p, "cases"), "total");
    json_t *rcv = json_object_get(total, "received"), *acc = json_object_get(total, "accepted"),
           *con = json_object_get(total, "concluded");
    if (strlen(month) != 7 || !json_is_integer(rcv) || !json_is_integer(acc) ||
        !json_is_integer(con))
        return ow_err_set(&cx->err, OW_EINVAL, "month",
                          "月度统计应有 month 与 cases.total 的 received、accepted、concluded");
    char *text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
    int rc = ow_ex_store_city_monthly_put(cx->db, district, month, json_integer_value(rcv),
                                          json_integer_value(acc), json_integer_value(con), text,
                                          ow_clock_now_ms(cx->clock), &cx->err);
    free(text);
    return rc;
}

static int apply_annual(ow_ctx *cx, const char *district, const json_t *p) {
    json_t *year = json_object_get(p, "year"),
           *pub = json_object_get(json_object_get(p, "active"), "published_total");
    if (!json_is_integer(year) || !json_is_integer(pub))
        return ow_err_set(&cx->err, OW_EINVAL, "year",
                          "年度报告应有 year 与 active.published_total");
    char *text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
    int rc = ow_ex_store_city_annual_put(cx->db, district, json_integer_value(year),
                                         json_integer_value(pub), text, ow_clock_now_ms(cx->clock),
                                         &cx->err);
    free(text);
    return rc;
}

/* license.issued: a district registers a license it issued with the city's index; no ID
 * number in clear, the holder is its mask and an HMAC (docs/exchange.md "The e-license
 * hub"). */
static int apply_license(ow_ctx *cx, const char *district, const json_t *p) {
    const char *need[] = {"number", "type", "issuer", "holder_kind", "issued_date", "cert_hash"};
    for (size_t i = 0; i < sizeof need / sizeof *need; i++)
        if (!*str(p, need[i]))
            return ow_err_set(&cx->err, OW_EINVAL, need[i], "证照数据缺少 %s", need[i]);
    if (!date_ok(str(p, "issued_date")) || !date_ok(str(p, "valid_until")))
        return ow_err_set(&cx->err, OW_EINVAL, "issued_date", "证照的日期应为 YYYY-MM-DD");
    const char *hmac = str(p, "holder_hmac");
    if (strlen(str(p, "cert_hash")) != 64 || (*hmac && strlen(hmac) != 64))
        return ow_err_set(&cx->err, OW_EINVAL, "cert_hash",
                          "cert_hash 与 holder_hmac 应为 64 位十六进制数");
    ow_ex_city_license l = {.district = district,
                            .number = str(p, "number"),
                            .type = str(p, "type"),
                            .issuer = str(p, "issuer"),
                            .holder_kind = str(p, "holder_kind"),
                            .holder_masked = str(p, "holder_masked"),
                            .holder_hmac = hmac,
                            .issued_date = str(p, "issued_date"),
                            .valid_until = str(p, "valid_until"),
                            .cert_hash = str(p, "cert_hash"),
                            .updated_at = ow_clock_now_ms(cx->clock)};
    return ow_ex_store_city_license_put(cx->db, &l, &cx->err);
}

/* license.revoked: after its license.issued (one destination, in order). */
static int apply_revoked(ow_ctx *cx, const char *district, const json_t *p) {
    json_t *at = json_object_get(p, "at");
    if (!*str(p, "number") || !json_is_integer(at))
        return ow_err_set(&cx->err, OW_EINVAL, "number", "注销数据应有 number 与 at");
    bool found;
    int rc = ow_ex_store_city_license_revoke(cx->db, district, str(p, "number"),
                                             json_integer_value(at), &found, &cx->err);
    if (!rc && !found) rc = ow_err_set(&cx->err, OW_EINVAL, "number", "该证照尚未登记到市级证照库");
    return rc;
}

static int one_license(void *arg, const ow_ex_city_license *l) {
    json_array_append_new(
        arg, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:b}", "district", l->district,
                       "number", l->number, "type", l->type, "issuer", l->issuer, "holder_kind",
                       l->holder_kind, "holder_masked", l->holder_masked, "issued_date",
                       l->issued_date, "valid_until", l->valid_until, "cert_hash", l->cert_hash,
                       "status", l->status, "revoked_at", (json_int_t)l->revoked_at,
                       "holder_matchable", *l->holder_hmac != 0));
    return 0;
}

int ex_city_licenses(ow_ctx *cx, const char *district, json_t **out) {
    json_t *a = json_array();
    int rc = ow_ex_store_city_license_each(cx->db, district, "", one_license, a, &cx->err);
    if (rc) {
        json_decref(a);
        return rc;
    }
    *out = json_pack("{s:o}", "licenses", a);
    return OW_OK;
}

int ex_city_apply(ow_ctx *cx, const char *district, const char *type, const json_t *payload,
                  bool *known) {
    *known = true;
    if (!strcmp(type, "case.accepted") || !strcmp(type, "case.decided") ||
        !strcmp(type, "case.concluded"))
        return apply_case(cx, district, payload);
    if (!strcmp(type, "audit.head")) return apply_head(cx, district, payload);
    if (!strcmp(type, "rating")) return apply_rating(cx, district, payload);
    if (!strcmp(type, "stats.monthly")) return apply_monthly(cx, district, payload);
    if (!strcmp(type, "disclosure.annual")) return apply_annual(cx, district, payload);
    if (!strcmp(type, "rectification")) return apply_rectification(cx, district, payload);
    if (!strcmp(type, "license.issued")) return apply_license(cx, district, payload);
    if (!strcmp(type, "license.revoked")) return apply_revoked(cx, district, payload);
    *known = false;
    return OW_OK;
}

typedef struct sums {
    json_t *rows;
    ow_ex_city_row total;
} sums;

static int one_district(void *arg, const ow_ex_city_row *r) {
    sums *s = arg;
    /* the district's light: red when an open case is overdue, yellow when one is due
     * today, green otherwise */
    const char *light = r->red ? "red" : r->yellow ? "yellow" : "green";
    json_array_append_new(
        s->rows,
        json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:I,s:I}", "district", r->district,
                  "cases", (json_int_t)r->cases, "accepted", (json_int_t)r->accepted, "decided",
                  (json_int_t)r->decided, "concluded", (json_int_t)r->concluded, "approved",
                  (json_int_t)r->approved, "overdue", (json_int_t)r->overdue, "open",
                  (json_int_t)r->open, "red", (json_int_t)r->red, "yellow", (json_int_t)r->yellow,
                  "light", light, "audit_head_seq", (json_int_t)r->head_seq, "audit_head_at",
                  (json_int_t)r->head_at));
    int64_t *t[] = {&s->total.cases,     &s->total.accepted, &s->total.decided,
                    &s->total.concluded, &s->total.approved, &s->total.overdue,
                    &s->total.open,      &s->total.red,      &s->total.yellow};
    const int64_t v[] = {r->cases,   r->accepted, r->decided, r->concluded, r->approved,
                         r->overdue, r->open,     r->red,     r->yellow};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        *t[i] += v[i];
    json_t *row = json_array_get(s->rows, json_array_size(s->rows) - 1);
    json_object_set_new(row, "ratings", json_integer(r->ratings));
    json_object_set_new(row, "bad_ratings", json_integer(r->bad_ratings));
    /* the average level in thousandths (integers only, like every figure exchanged) */
    json_object_set_new(row, "rating_avg_milli",
                        json_integer(r->ratings ? r->level_sum * 1000 / r->ratings : 0));
    json_object_set_new(row, "rectifications_open", json_integer(r->rect_open));
    s->total.ratings += r->ratings;
    s->total.bad_ratings += r->bad_ratings;
    s->total.rect_open += r->rect_open;
    return 0;
}

typedef struct month_sums {
    json_t *rows;
    int64_t received, accepted, concluded;
} month_sums;

static int one_month(void *arg, const char *district, int64_t received, int64_t accepted,
                     int64_t concluded) {
    month_sums *m = arg;
    json_array_append_new(m->rows, json_pack("{s:s,s:I,s:I,s:I}", "district", district, "received",
                                             (json_int_t)received, "accepted", (json_int_t)accepted,
                                             "concluded", (json_int_t)concluded));
    m->received += received;
    m->accepted += accepted;
    m->concluded += concluded;
    return 0;
}

static int one_annual(void *arg, const char *district, int64_t published_total) {
    json_array_append_new(arg, json_pack("{s:s,s:I}", "district", district, "published_total",
                                         (json_int_t)published_total));
    return 0;
}

int ex_city_stats(ow_ctx *cx, json_t **out) {
    char today[11];
    ow_date_format(ow_date_today_shanghai(ow_clock_now_ms(cx->clock)), today);
    sums s = {.rows = json_array()};
    int rc = ow_ex_store_city_stats(cx->db, today, one_district, &s, &cx->err);
    if (rc) {
        json_decref(s.rows);
        return rc;
    }
    const ow_ex_city_row *t = &s.total;
    *out = json_pack("{s:s,s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}}", "today", today,
                     "districts", s.rows, "total", "cases", (json_int_t)t->cases, "accepted",
                     (json_int_t)t->accepted, "decided", (json_int_t)t->decided, "concluded",
                     (json_int_t)t->concluded, "approved", (json_int_t)t->approved, "overdue",
                     (json_int_t)t->overdue, "open", (json_int_t)t->open, "red", (json_int_t)t->red,
                     "yellow", (json_int_t)t->yellow);
    json_t *tot = json_object_get(*out, "total");
    json_object_set_new(tot, "ratings", json_integer(t->ratings));
    json_object_set_new(tot, "bad_ratings", json_integer(t->bad_ratings));
    json_object_set_new(tot, "rectifications_open", json_integer(t->rect_open));
    /* last month's statistics as the districts sent them, and their sum */
    int y, mo, d;
    ow_date_ymd(ow_date_today_shanghai(ow_clock_now_ms(cx->clock)), &y, &mo, &d);
    char month[32];
    snprintf(month, sizeof month, "%04d-%02d", mo == 1 ? y - 1 : y, mo == 1 ? 12 : mo - 1);
    month_sums m = {.rows = json_array()};
    if ((rc = ow_ex_store_city_monthly_each(cx->db, month, one_month, &m, &cx->err))) {
        json_decref(m.rows);
        json_decref(*out);
        return rc;
    }
    json_object_set_new(*out, "last_month",
                        json_pack("{s:s,s:o,s:{s:I,s:I,s:I}}", "month", month, "districts", m.rows,
                                  "total", "received", (json_int_t)m.received, "accepted",
                                  (json_int_t)m.accepted, "concluded", (json_int_t)m.concluded));
    /* last year's 政府信息公开 annual reports as the districts sent them */
    json_t *annual = json_array();
    if ((rc = ow_ex_store_city_annual_each(cx->db, y - 1, one_annual, annual, &cx->err))) {
        json_decref(annual);
        json_decref(*out);
        return rc;
    }
    json_object_set_new(*out, "last_year",
                        json_pack("{s:i,s:o}", "year", y - 1, "disclosure_reports", annual));
    return OW_OK;
}
