/* scope.c — who oversees what, and working-day deadlines, for the supervision family
 * of modules (ratings, complaints, statistics, supervision itself).
 *
 * The organisation tree is at most two levels deep (center → windows, township →
 * agent points), so "an office and what lies under it" is the office and its
 * children.  Reading the orgs table here is read-only and limited to id, parent,
 * kind, code and name. */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "core/clock.h"
#include "core/workdays.h"
#include "store/supervision_store.h"
#include "supervision/supervision.h"

int32_t ow_sup_today(const ow_ctx *cx) {
    return ow_date_today_shanghai(ow_clock_now_ms(cx->clock));
}

static int no_calendar(ow_ctx *cx, const char *field) {
    return ow_err_setk(&cx->err, OW_EINTERNAL, "calendar_missing", field,
                       "法定工作日历未加载，无法计算期限，请联系系统管理员");
}

/* A year missing from the calendar is something an operator must fix; the message
 * names the field the deadline was for. */
static int explain(ow_ctx *cx, int rc, const char *field) {
    if (rc == OW_ENOTFOUND) {
        /* keep the calendar's message, which names the year */
        cx->err.code = OW_EINVAL;
        snprintf(cx->err.kind, sizeof cx->err.kind, "calendar_year_missing");
        snprintf(cx->err.field, sizeof cx->err.field, "%s", field);
        return OW_EINVAL;
    }
    return rc;
}

int ow_sup_add_workdays(ow_ctx *cx, int32_t from, int n, const char *field, int32_t *due) {
    if (!cx->app || !cx->app->calendar) return no_calendar(cx, field);
    int rc = ow_cal_add_workdays(cx->app->calendar, from, n, due, &cx->err);
    return rc ? explain(cx, rc, field) : OW_OK;
}

int ow_sup_count_workdays(ow_ctx *cx, int32_t from, int32_t to, int *n) {
    if (!cx->app || !cx->app->calendar) return no_calendar(cx, "date");
    int rc = ow_cal_count_workdays(cx->app->calendar, from, to, n, &cx->err);
    return rc ? explain(cx, rc, "date") : OW_OK;
}

bool ow_sup_sees_all(const ow_actor *a) {
    return a->system || !strcmp(a->role, "supervisor") || !strcmp(a->role, "admin");
}

int ow_sup_scope(ow_ctx *cx, int64_t *org_id) {
    *org_id = 0;
    if (ow_sup_sees_all(&cx->actor)) return OW_OK;
    if (!strcmp(cx->actor.kind, "staff") && cx->actor.org_id > 0) {
        *org_id = cx->actor.org_id;
        return OW_OK;
    }
    if (!ow_actor_signed_in(&cx->actor))
        return ow_err_setk(&cx->err, OW_EUNAUTH, "unauthenticated", "", "请先登录");
    return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有工作人员可以查看");
}

int ow_sup_in_scope(ow_ctx *cx, int64_t org_id, bool *ok) {
    int64_t scope;
    int rc = ow_sup_scope(cx, &scope);
    if (rc) return rc;
    if (!scope) {
        *ok = true;
        return OW_OK;
    }
    return ow_supervision_store_org_in_scope(cx->db, org_id, scope, ok, &cx->err);
}

int ow_sup_org_by_code(ow_ctx *cx, const char *code, int64_t *id, char kind[16], char name[128]) {
    return ow_supervision_store_org_by_code(cx->db, code, id, kind, name, &cx->err);
}

const char *ow_sup_org_name(ow_ctx *cx, int64_t id) {
    const char *name, *kind;
    bool found;
    if (ow_supervision_store_org(cx->db, id, cx->arena, &name, &kind, &found, &cx->err)) return "";
    return name;
}

json_t *ow_sup_time_json(int64_t ms, bool null) {
    if (null) return json_null();
    char t[32];
    ow_time_format_iso(ms, t);
    return json_string(t);
}
