/* assessment.c — what the module's files share: who the actor's unit is, today, and the
 * names a person reads (see assessment_int.h). */
#include <stdio.h>
#include <string.h>

#include "assessment/assessment.h"
#include "assessment/assessment_int.h"
#include "core/clock.h"
#include "core/workdays.h"
#include "store/assessment_store.h"

int ow_assess_actor_unit(ow_ctx *cx, const char **kind) {
    if (cx->actor.system || !cx->actor.org_id || strcmp(cx->actor.kind, "staff"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有区直部门和乡镇（街道）的工作人员可以查看本单位的考核");
    const char *k, *name;
    int rc = ow_assess_store_org(cx->db, cx->actor.org_id, cx->arena, &k, &name, &cx->err);
    if (rc) return rc;
    if (strcmp(k, "department") && strcmp(k, "township"))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有区直部门和乡镇（街道）的工作人员可以查看本单位的考核");
    if (kind) *kind = k;
    return OW_OK;
}

int32_t ow_assess_today(const ow_ctx *cx) {
    return ow_date_today_shanghai(ow_clock_now_ms(cx->clock));
}

void ow_assess_today_ymd(const ow_ctx *cx, int *year, int *month) {
    int y, m, d;
    ow_date_ymd(ow_assess_today(cx), &y, &m, &d);
    if (year) *year = y;
    if (month) *month = m;
}

json_t *ow_assess_time_json(int64_t ms) {
    if (!ms) return json_null();
    char t[32];
    ow_time_format_iso(ms, t);
    return json_string(t);
}

json_t *ow_assess_date_json(int32_t d) {
    if (d == OW_DATE_NONE) return json_null();
    char s[11];
    ow_date_format(d, s);
    return json_string(s);
}

const char *ow_assess_kind_name(const char *kind) {
    return !strcmp(kind, "department") ? "区直部门"
           : !strcmp(kind, "township") ? "乡镇（街道）便民服务中心"
                                       : "窗口";
}

const char *ow_assess_period_name(ow_ctx *cx, const char *code) {
    static const char *const cnq[] = {"", "一", "二", "三", "四"};
    int y = 0, n = 0;
    if (strlen(code) == 4 && sscanf(code, "%d", &y) == 1) return ow_sprintf(cx->arena, "%d年度", y);
    if (sscanf(code, "%d-Q%d", &y, &n) == 2 && n >= 1 && n <= 4)
        return ow_sprintf(cx->arena, "%d年第%s季度", y, cnq[n]);
    if (sscanf(code, "%d-%d", &y, &n) == 2) return ow_sprintf(cx->arena, "%d年%d月", y, n);
    return code;
}
