/* calendar.c — the platform's legal calendar: loading, administrators' edits,
 * due-date answers (see calendar.h).
 *
 * The shipped CSV files are the State Council's notices; an administrator's edit
 * is stored in the `calendar` table and replayed over the files at every start,
 * so an edit survives restarts and a newer file shipped with an upgrade does not
 * silently undo it.  An edit changes the in-memory calendar inside the same
 * writer transaction that records it, then every open deadline is recomputed
 * with the new calendar; if any step fails the day is put back as it was.
 *
 * The modules whose deadlines are counted in working days follow the calendar
 * (ow_calendar_follow, wired in app/app.c): the calendar announces a change to them
 * instead of calling up into each one, so dependencies point one way. */
#include "calendar/calendar.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "audit/audit.h"
#include "store/calendar_store.h"

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

int ow_calendar_is_workday(ow_ctx *cx, int32_t d, const char *field, bool *work,
                           bool *provisional) {
    ow_calendar *cal = cx->app ? cx->app->calendar : NULL;
    if (!cal) return ow_err_set(&cx->err, OW_EINTERNAL, field, "法定节假日日历尚未载入");
    int rc = ow_cal_is_workday(cal, d, work, &cx->err);
    if (rc) return ow_calendar_explain(&cx->err, rc, field);
    if (provisional) *provisional = ow_cal_date_provisional(cal, d);
    return OW_OK;
}

/* One stored day replayed over the files at start-up. */
static int replay_day(void *arg, const char *date, const char *kind, const char *name) {
    ow_calendar *cal = ((void **)arg)[0];
    ow_err *e = ((void **)arg)[1];
    int32_t d;
    int k = kind_parse(kind);
    if (ow_date_parse(date, &d) || k < 0)
        return ow_err_set(e, OW_EINTERNAL, "calendar", "日历修改记录 %s 无效", date);
    return ow_cal_set_day(cal, d, k, name, e);
}

static int replay_loaded(void *arg, int year) {
    return ow_cal_mark_year_loaded(arg, year);
}

/* cal from calendar_dir with the stored edits and loaded years over it; the signature of
 * what was read goes to app->calendar_sig. */
static int load_into(ow_app *app, ow_db *db, ow_calendar *cal, ow_err *e) {
    char sig[sizeof app->calendar_sig];
    int rc = ow_calendar_store_signature(db, sig, sizeof sig, e);
    if (rc) return rc;
    if ((rc = ow_cal_load_dir(cal, app->cfg.calendar_dir, e))) return rc;
    void *args[2] = {cal, e};
    if ((rc = ow_calendar_store_each_day(db, replay_day, args, e))) return rc;
    /* years whose notice an administrator loaded (0019): their days are the ones above */
    if ((rc = ow_calendar_store_each_loaded_year(db, replay_loaded, cal, e))) {
        if (rc == OW_ENOMEM) ow_err_set(e, rc, "calendar", "内存不足，无法载入日历");
        return rc;
    }
    snprintf(app->calendar_sig, sizeof app->calendar_sig, "%s", sig);
    return OW_OK;
}

int ow_calendar_refresh(ow_app *app, ow_db *db, bool *changed, ow_err *e) {
    *changed = false;
    if (!app->calendar) return OW_OK;
    char sig[sizeof app->calendar_sig];
    int rc = ow_calendar_store_signature(db, sig, sizeof sig, e);
    if (rc) return rc;
    /* many request threads ask at once: one compares or reloads at a time, the query
     * above runs outside the lock */
    pthread_mutex_lock(&app->calendar_mu);
    if (strcmp(sig, app->calendar_sig)) {
        ow_calendar *fresh = ow_cal_new();
        if (!fresh)
            rc = ow_err_set(e, OW_ENOMEM, "calendar", "内存不足，无法载入日历");
        else if ((rc = load_into(app, db, fresh, e)))
            ow_cal_free(fresh);
        else {
            ow_cal_replace(app->calendar, fresh);
            *changed = true;
        }
    }
    pthread_mutex_unlock(&app->calendar_mu);
    return rc;
}

int ow_calendar_load(ow_app *app, ow_db *db, ow_err *e) {
    if (!app->calendar && !(app->calendar = ow_cal_new()))
        return ow_err_set(e, OW_ENOMEM, "calendar", "内存不足，无法载入日历");
    int rc = load_into(app, db, app->calendar, e);
    if (rc) return rc;
    /* what follows the calendar catches up with it (the statistics' handling days, 0015) */
    for (int i = 0; i < app->calendar_followers.n; i++) {
        const ow_calendar_follower *f = app->calendar_followers.v[i];
        if (f->loaded && (rc = f->loaded(app, db, e))) return rc;
    }
    return OW_OK;
}

void ow_calendar_follow(ow_app *app, const ow_calendar_follower *f) {
    ow_followers_add(&app->calendar_followers, f);
}

/* Tell every follower that the calendar changed, inside the change's transaction; each
 * one's count goes into detail under its key.  *cases: the count under
 * "recomputed_cases" (the edit's answer says how many cases moved). */
static int announce(ow_ctx *cx, json_t *detail, int *cases) {
    for (int i = 0; i < cx->app->calendar_followers.n; i++) {
        const ow_calendar_follower *f = cx->app->calendar_followers.v[i];
        int64_t n = 0;
        int rc = f->changed ? f->changed(cx, &n) : OW_OK;
        if (rc) return rc;
        json_object_set_new(detail, f->key, json_integer(n));
        if (cases && !strcmp(f->key, "recomputed_cases")) *cases = (int)n;
    }
    return OW_OK;
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
    /* What the period stepped over, for the person asking: the holidays (with the law's
     * make-up days of a provisional year), the adjusted working weekends it counted, and
     * how many plain weekend days. */
    json_t *skipped = json_array(), *worked = json_array();
    int weekend = 0;
    bool provisional = false;
    for (int32_t x = days > 0 ? d + 1 : d; x <= due; x++) {
        ow_cal_day info;
        if ((rc = ow_cal_day_info(cx->app->calendar, x, &info, &cx->err))) {
            json_decref(skipped);
            json_decref(worked);
            return ow_calendar_explain(&cx->err, rc, "from");
        }
        provisional |= info.provisional;
        char xs[11];
        ow_date_format(x, xs);
        if (info.kind == OW_DAY_HOLIDAY)
            json_array_append_new(skipped, json_pack("{s:s,s:s}", "date", xs, "name", info.name));
        else if (info.kind == OW_DAY_WORKDAY)
            json_array_append_new(worked, json_pack("{s:s,s:s}", "date", xs, "name", info.name));
        else if (!info.work)
            weekend++;
    }
    char ds[11], fs[11];
    ow_date_format(due, ds);
    ow_date_format(d, fs);
    *out = json_pack("{s:s,s:I,s:s,s:b,s:o,s:o,s:i}", "from", fs, "days", (json_int_t)days, "due",
                     ds, "provisional", provisional, "holidays", skipped, "adjusted_workdays",
                     worked, "weekend_days", weekend);
    if (provisional)
        json_object_set_new(*out, "note",
                            json_string("暂按法定节假日推算：该年度国务院放假安排尚未发布，"
                                        "发布后以实际安排为准"));
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
    bool prov = ow_cal_year_provisional(cx->app->calendar, year);
    json_t *o = json_pack("{s:i,s:b,s:b,s:o,s:o}", "year", year, "loaded", ok, "provisional", prov,
                          "days", a.days, "loaded_years", loaded);
    if (prov)
        json_object_set_new(o, "message",
                            json_sprintf("%d年的国务院放假安排尚未载入，暂按法定节假日推算"
                                         "（《全国年节及纪念日放假办法》规定的节日及周末补假，"
                                         "不含调休）；请管理员在放假通知发布后导入",
                                         year));
    else if (!ok)
        json_object_set_new(o, "message",
                            json_sprintf("%d年的法定节假日安排尚未载入，该年度的办理期限无法计算，"
                                         "请管理员导入 %d.csv",
                                         year, year));
    *out = o;
    return OW_OK;
}

int ow_calendar_set_day(ow_ctx *cx, const char *date, const char *kind, const char *name,
                        int *recomputed) {
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

    char ds[11];
    ow_date_format(d, ds);
    if ((rc = ow_calendar_store_put_day(cx->db, ds, kind_code(k), k == OW_DAY_NORMAL ? "" : name,
                                        ow_clock_now_ms(cx->clock), cx->actor.user_id, &cx->err)))
        goto undo;
    /* docs/service-rules.md "Calendar changes": cases, information requests,
     * rectifications and complaints have calendar deadlines (their followers) */
    int n = 0;
    json_t *detail = json_pack("{s:s,s:s,s:s,s:s,s:s}", "date", ds, "old_kind", kind_code(old_kind),
                               "old_name", old_name, "kind", kind_code(k), "name", name);
    if ((rc = announce(cx, detail, &n))) {
        json_decref(detail);
        goto undo;
    }
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

typedef struct notice_rows {
    ow_ctx *cx;
    int64_t now;
    int n;
} notice_rows;

static int store_notice_row(void *arg, int32_t d, int kind, const char *name) {
    notice_rows *r = arg;
    char ds[11];
    ow_date_format(d, ds);
    int rc = ow_calendar_store_put_day(r->cx->db, ds, kind_code(kind), name, r->now,
                                       r->cx->actor.user_id, &r->cx->err);
    if (!rc) r->n++;
    return rc;
}

static int count_holiday(void *arg, int32_t d, int kind, const char *name) {
    (void)d, (void)name;
    *(int *)arg += kind == OW_DAY_HOLIDAY;
    return OW_OK;
}

int ow_calendar_load_year(ow_ctx *cx, int year, const char *csv, size_t len, json_t **out) {
    int rc = need_calendar(cx);
    if (rc) return rc;
    if (!cx->actor.system && strcmp(cx->actor.role, "admin"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有系统管理员可以导入年度放假安排");
    if (year < OW_CAL_MIN_YEAR || year > OW_CAL_MAX_YEAR)
        return ow_err_set(&cx->err, OW_EINVAL, "year", "年份应在 %d 到 %d 之间", OW_CAL_MIN_YEAR,
                          OW_CAL_MAX_YEAR);
    ow_calendar *cal = cx->app->calendar;
    bool was_loaded = ow_cal_year_loaded(cal, year);
    bool was_provisional = ow_cal_year_provisional(cal, year);
    ow_cal_saved *saved = ow_cal_year_save(cal, year);
    if (!saved) return ow_err_set(&cx->err, OW_ENOMEM, "csv", "内存不足，无法导入日历");
    /* every row checked, the year replaced and marked loaded — or nothing changes */
    if ((rc = ow_cal_load_csv_text(cal, year, csv, len, &cx->err))) {
        if (!strcmp(cx->err.field, "calendar"))
            snprintf(cx->err.field, sizeof cx->err.field, "csv");
        ow_cal_year_restore(cal, saved);
        return rc;
    }
    /* a notice always gives the statutory holidays: a file without one is a mistake (a
     * header alone, the wrong file), not a year of working days */
    int holidays = 0;
    ow_cal_each_override(cal, year, count_holiday, &holidays);
    if (!holidays) {
        ow_cal_year_restore(cal, saved);
        return ow_err_set(&cx->err, OW_EINVAL, "csv",
                          "导入的内容中没有放假日（holiday），请检查是否选错了文件：每年的放假安排"
                          "至少包括元旦、春节等法定节假日");
    }
    /* the notice's days become the year's stored rows, replayed at every start */
    notice_rows rows = {cx, ow_clock_now_ms(cx->clock), 0};
    if ((rc = ow_calendar_store_clear_year(cx->db, year, &cx->err))) goto undo;
    if ((rc = ow_cal_each_override(cal, year, store_notice_row, &rows))) {
        if (rc == OW_ENOMEM) ow_err_set(&cx->err, rc, "csv", "内存不足，无法导入日历");
        goto undo;
    }
    if ((rc = ow_calendar_store_mark_loaded(cx->db, year, rows.n, rows.now, cx->actor.user_id,
                                            &cx->err)))
        goto undo;
    /* every open deadline follows the notice (docs/service-rules.md "Calendar changes") */
    json_t *detail = json_pack("{s:i,s:i,s:b,s:b}", "year", year, "days", rows.n, "was_loaded",
                               was_loaded, "was_provisional", was_provisional);
    if ((rc = announce(cx, detail, NULL))) {
        json_decref(detail);
        goto undo;
    }
    char ys[8];
    snprintf(ys, sizeof ys, "%d", year);
    rc = ow_audit_append(cx, "calendar.load_year", "calendar", ys, detail);
    if (rc) {
        json_decref(detail);
        goto undo;
    }
    ow_cal_year_restore(NULL, saved); /* keep the new year; just free the copy */
    if (out)
        *out = detail;
    else
        json_decref(detail);
    return OW_OK;
undo:
    /* the transaction rolls back; the calendar in memory goes back as it was too */
    ow_cal_year_restore(cal, saved);
    return rc;
}
