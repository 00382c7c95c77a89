/* calendar_api.c — HTTP handlers for the legal calendar: the due-date calculator
 * (public: anyone may ask when a period ends), a year's holidays and adjusted
 * working days with whether the year is loaded, and administrators' edits. */
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "calendar/calendar_api.h"
#include "core/json.h"

static int api_due(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    const char *days = ow_req_query(rq, "days");
    if (!days || !*days)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "days", "请填写工作日天数");
    char *end;
    long n = strtol(days, &end, 10);
    if (*end || n < 0 || n > 365)
        return ow_err_set(&cx->err, OW_EINVAL, "days", "工作日天数应为 0 到 365 之间的整数");
    json_t *o;
    int rc = ow_calendar_due_json(cx, ow_req_query(rq, "from"), n, &o);
    return rc ? rc : ow_reply_json(rq, 200, o);
}

static int api_year(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    const char *ys = ow_req_query(rq, "year");
    int year;
    if (!ys || !*ys) {
        int32_t today = ow_date_today_shanghai(ow_clock_now_ms(cx->clock));
        int m, d;
        ow_date_ymd(today, &year, &m, &d);
    } else {
        char *end;
        long y = strtol(ys, &end, 10);
        if (*end || y < OW_CAL_MIN_YEAR || y > OW_CAL_MAX_YEAR)
            return ow_err_set(&cx->err, OW_EINVAL, "year", "年份应为四位数字");
        year = (int)y;
    }
    json_t *o;
    int rc = ow_calendar_year_json(cx, year, &o);
    return rc ? rc : ow_reply_json(rq, 200, o);
}

static int api_set_day(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    json_t *b = ow_req_json(rq);
    const char *kind, *name;
    if (ow_json_str(b, "kind", true, 16, &kind, &cx->err) ||
        ow_json_str(b, "name", false, 20, &name, &cx->err))
        return OW_EINVAL;
    int n = 0;
    const char *date = ow_req_param(rq, "date");
    int rc = ow_calendar_set_day(cx, date, kind, name, &n);
    if (rc) return rc;
    return ow_reply_json(rq, 200,
                         json_pack("{s:s,s:s,s:s,s:i}", "date", date, "kind", kind, "name",
                                   name ? name : "", "recomputed_cases", n));
}

static int api_load_year(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    const char *ys = ow_req_param(rq, "year");
    char *end;
    long y = ys ? strtol(ys, &end, 10) : 0;
    if (!ys || !*ys || *end || y < OW_CAL_MIN_YEAR || y > OW_CAL_MAX_YEAR)
        return ow_err_set(&cx->err, OW_EINVAL, "year", "年份应为四位数字");
    json_t *b = ow_req_json(rq);
    const char *csv;
    if (ow_json_str(b, "csv", true, 64 * 1024, &csv, &cx->err)) return OW_EINVAL;
    json_t *r;
    int rc = ow_calendar_load_year(cx, (int)y, csv, strlen(csv), &r);
    if (rc) return rc;
    json_object_set_new(r, "loaded", json_true());
    return ow_reply_json(rq, 200, r);
}

const ow_route ow_calendar_routes[] = {
    {"GET", "/api/v1/calendar/due", api_due, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/calendar", api_year, OW_INLINE, OW_R_PUBLIC},
    {"PUT", "/api/v1/calendar/days/{date}", api_set_day, OW_ON_WRITER, 0},
    {"PUT", "/api/v1/calendar/years/{year}", api_load_year, OW_ON_WRITER, 0},
};
const size_t ow_calendar_routes_n = sizeof ow_calendar_routes / sizeof ow_calendar_routes[0];
