/* calendar.c — the platform's legal calendar: loading, administrators' edits,
 * due-date answers (see calendar.h).
 *
 * The shipped CSV files are the State Council's notices; an administrator's edit
 * is stored in the `calendar` table and replayed over the files at every start,
 * so an edit survives restarts and a newer file shipped with an upgrade does not
 * silently undo it.  An edit changes the in-memory calendar inside the same
 * writer transaction that records it, then every open deadline is recomputed
 * with the new calendar; if any step fails the day is put back as it was. */
#include "calendar/calendar.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "audit/audit.h"
#include "cases/cases.h"
#include "cases/cases_supervision.h"
#include "complaint/complaint.h"
#include "disclosure/disclosure.h"
#include "rating/rating.h"
#include "store/db.h"

static const char *kind_code(int k) {
    return k == OW_DAY_HOLIDAY ? "holiday" : k == OW_DAY_WORKDAY ? "workday" : "normal";
}

static int kind_parse(const char *s) {
    if (!s) return -1;
    if (!strcmp(s, "holiday")) return OW_DAY_HOLIDAY;
    if (!strcmp(s, "workday")) return OW_DAY_WORKDAY;
    if (!strcmp(s, "normal")) return OW_DAY_NORMAL;
    return -1;
}

int ow_calendar_explain(ow_err *e, int rc, const char *field) {
    if (rc != OW_ENOTFOUND || strcmp(e->field, "date")) return rc;
    char msg[200];
    snprintf(msg, sizeof msg, "%.150s", e->message);
    return ow_err_setk(e, OW_EINVAL, "calendar_year_missing", field, "%s（请管理员导入该年度日历）",
                       msg);
}

int ow_calendar_load(ow_app *app, ow_db *db, ow_err *e) {
    static const char *sql = "SELECT date, kind, name FROM calendar ORDER BY date";
    if (!app->calendar && !(app->calendar = ow_cal_new()))
        return ow_err_set(e, OW_ENOMEM, "calendar", "内存不足，无法载入日历");
    int rc = ow_cal_load_dir(app->calendar, app->cfg.calendar_dir, e);
    if (rc) return rc;
    sqlite3_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *ds = (const char *)sqlite3_column_text(st, 0);
        int32_t d;
        int k = kind_parse((const char *)sqlite3_column_text(st, 1));
        if (ow_date_parse(ds, &d) || k < 0) {
            sqlite3_reset(st);
            return ow_err_set(e, OW_EINTERNAL, "calendar", "日历修改记录 %s 无效", ds);
        }
        if (ow_cal_set_day(app->calendar, d, k, (const char *)sqlite3_column_text(st, 2), e)) {
            sqlite3_reset(st);
            return e->code;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return ow_db_fail(db, "calendar edits", e);
    /* the statistics' stored handling days follow the calendar (0015) */
    return ow_cases_sync_workdays(app->calendar, db, NULL, e);
}

void ow_calendar_unload(ow_app *app) {
    ow_cal_free(app->calendar);
    app->calendar = NULL;
}

static int need_calendar(ow_ctx *cx) {
    if (!cx->app || !cx->app->calendar)
        return ow_err_set(&cx->err, OW_EINTERNAL, "calendar", "法定节假日日历未载入");
    return OW_OK;
}

int ow_calendar_due_json(ow_ctx *cx, const char *from, int64_t days, json_t **out) {
    int rc = need_calendar(cx);
    if (rc) return rc;
    if (!from || !*from)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "from", "请填写起算日期");
    int32_t d, due;
    if (ow_date_parse(from, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "from", "起算日期格式应为 YYYY-MM-DD");
    if (days < 0 || days > 365)
        return ow_err_set(&cx->err, OW_EINVAL, "days", "工作日天数应在 0 到 365 之间");
    rc = ow_cal_add_workdays(cx->app->calendar, d, (int)days, &due, &cx->err);
    if (rc) return ow_calendar_explain(&cx->err, rc, "from");
    char ds[11], fs[11];
    ow_date_format(due, ds);
    ow_date_format(d, fs);
    *out = json_pack("{s:s,s:I,s:s}", "from", fs, "days", (json_int_t)days, "due", ds);
    return OW_OK;
}

typedef struct year_acc {
    json_t *days;
} year_acc;

static int add_day(void *arg, int32_t d, int kind, const char *name) {
    year_acc *a = arg;
    char ds[11];
    ow_date_format(d, ds);
    json_array_append_new(a->days, json_pack("{s:s,s:s,s:s}", "date", ds, "kind", kind_code(kind),
                                             "name", name ? name : ""));
    return OW_OK;
}

int ow_calendar_year_json(ow_ctx *cx, int year, json_t **out) {
    int rc = need_calendar(cx);
    if (rc) return rc;
    if (year < OW_CAL_MIN_YEAR || year > OW_CAL_MAX_YEAR)
        return ow_err_set(&cx->err, OW_EINVAL, "year", "年份应在 %d 到 %d 之间", OW_CAL_MIN_YEAR,
                          OW_CAL_MAX_YEAR);
    year_acc a = {json_array()};
    rc = ow_cal_each_override(cx->app->calendar, year, add_day, &a);
    if (rc) {
        json_decref(a.days);
        return ow_err_set(&cx->err, rc, "", "读取日历失败");
    }
    int years[64];
    int ny = ow_cal_loaded_years(cx->app->calendar, years, 64);
    json_t *loaded = json_array();
    for (int i = 0; i < ny && i < 64; i++)
        json_array_append_new(loaded, json_integer(years[i]));
    bool ok = ow_cal_year_loaded(cx->app->calendar, year);
    json_t *o = json_pack("{s:i,s:b,s:o,s:o}", "year", year, "loaded", ok, "days", a.days,
                          "loaded_years", loaded);
    if (!ok)
        json_object_set_new(o, "message",
                            json_sprintf("%d年的法定节假日安排尚未载入，该年度的办理期限无法计算，"
                                         "请管理员导入 %d.csv",
                                         year, year));
    *out = o;
    return OW_OK;
}

int ow_calendar_set_day(ow_ctx *cx, const char *date, const char *kind, const char *name,
                        int *recomputed) {
    static const char *sql =
        "INSERT INTO calendar(date, kind, name, updated_at, updated_by) VALUES(?,?,?,?,?)"
        " ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, name = excluded.name,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by";
    int rc = need_calendar(cx);
    if (rc) return rc;
    if (!cx->actor.system && strcmp(cx->actor.role, "admin"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有系统管理员可以修改节假日日历");
    int32_t d;
    if (!date || ow_date_parse(date, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "date", "日期格式应为 YYYY-MM-DD");
    int k = kind_parse(kind);
    if (k < 0)
        return ow_err_set(&cx->err, OW_EINVAL, "kind",
                          "日期类型应为 holiday（放假）、workday（调休上班）或 normal（恢复正常）");
    if (!name) name = "";
    if (k != OW_DAY_NORMAL && !*name)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "name",
                           "请填写节日名称，例如“春节”或“春节调休上班”");
    ow_calendar *cal = cx->app->calendar;
    char old_name[OW_CAL_NAME_MAX_BYTES + 1];
    int old_kind = ow_cal_day_kind(cal, d, old_name, sizeof old_name);
    if ((rc = ow_cal_set_day(cal, d, k, k == OW_DAY_NORMAL ? "" : name, &cx->err))) return rc;

    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) {
        rc = OW_EDB;
        goto undo;
    }
    char ds[11];
    ow_date_format(d, ds);
    sqlite3_bind_text(st, 1, ds, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, kind_code(k), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, k == OW_DAY_NORMAL ? "" : name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, ow_clock_now_ms(cx->clock));
    if (cx->actor.user_id)
        sqlite3_bind_int64(st, 5, cx->actor.user_id);
    else
        sqlite3_bind_null(st, 5);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = ow_db_fail(cx->db, "calendar edit", &cx->err);
        goto undo;
    }
    int n = 0, nreq = 0, nrect = 0, ncmp = 0;
    if ((rc = ow_cases_recompute_open(cx, &n))) goto undo;
    /* service-rules.md: information requests, rectifications and complaints have
     * calendar deadlines too */
    if ((rc = ow_dis_recompute_open(cx, &nreq))) goto undo;
    if ((rc = ow_rectify_recompute_open(cx, &nrect))) goto undo;
    if ((rc = ow_complaint_recompute_open(cx, &ncmp))) goto undo;
    int64_t ndone = 0;
    if ((rc = ow_cases_sync_workdays(cal, cx->db, &ndone, &cx->err))) goto undo;
    json_t *detail = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:I}", "date", ds, "old_kind", kind_code(old_kind),
        "old_name", old_name, "kind", kind_code(k), "name", name, "recomputed_cases", n,
        "recomputed_info_requests", nreq, "recomputed_rectifications", nrect,
        "recomputed_complaints", ncmp, "recomputed_handling_times", (json_int_t)ndone);
    rc = ow_audit_append(cx, "calendar.set_day", "calendar", ds, detail);
    json_decref(detail);
    if (rc) goto undo;
    if (recomputed) *recomputed = n;
    return OW_OK;
undo:
    /* The transaction rolls back; the calendar in memory must not keep the edit either. */
    {
        ow_err ignore = {0};
        ow_cal_set_day(cal, d, old_kind, old_name, &ignore);
    }
    return rc;
}
