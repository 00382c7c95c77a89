/* metrics.c — the computed indicators an assessment scheme can use, and the periods a
 * sheet covers.  What each metric counts is the SQL of
 * src/store/assessment_metrics_store.c; this table gives it a name, says what its
 * drill-down lists and which kinds of unit it applies to (the catalog's items are a
 * department's; a township centre has none of its own). */
#include <stdio.h>
#include <string.h>

#include "assessment/assessment.h"
#include "core/workdays.h"

/* clang-format off */
static const ow_assess_metric METRICS[] = {
    /* code                   name              records                          rate  higher dept  town */
    {"on_time_rate",          "按时办结率",      "逾期办结的办件",                 true,  true,  true,  true},
    {"overdue_cases",         "超期未办结办件",  "截止日超期未办结的办件",         false, false, true,  true},
    {"rating_satisfaction",   "好差评满意率",    "差评（不满意、非常不满意）",     true,  true,  true,  true},
    {"bad_rectified",         "差评按时整改率",  "未按时整改的差评",               true,  true,  true,  true},
    {"complaints_on_time",    "投诉按时答复率",  "逾期答复或超期未答复的投诉建议", true,  true,  true,  true},
    {"online_rate",           "网上可办率",      "不能网上办理的事项",             true,  true,  true,  false},
    {"full_online_rate",      "全程网办率",      "未实现全程网办的事项",           true,  true,  true,  false},
    {"one_visit_rate",        "一次办率",        "需跑动两次以上的事项",           true,  true,  true,  false},
    {"guide_complete",        "办事指南完整率",  "办事指南要素不全的事项",         true,  true,  true,  false},
    {"publications",          "主动公开信息数",  "本期主动公开的信息",             false, true,  true,  true},
    {"key_area_empty",        "重点领域空栏目",  "全年尚未发布信息的重点领域栏目", false, false, true,  false},
    {"info_requests_on_time", "依申请公开按时答复率", "逾期答复或超期未答复的申请", true, true,  true,  true},
    {"inspection_rectified",  "督查问题按时整改率", "未按期整改的督查问题",        true,  true,  true,  true},
    {"notices_on_time",       "督办按时回复率",  "逾期回复或超期未回复的督办",     true,  true,  true,  true},
    {"tasks_on_time",         "工作任务按期完成率", "未按期完成的工作要点任务",    true,  true,  true,  true},
};
/* clang-format on */

const ow_assess_metric *ow_assess_metric_find(const char *code) {
    for (size_t i = 0; i < sizeof METRICS / sizeof *METRICS; i++)
        if (!strcmp(METRICS[i].code, code)) return &METRICS[i];
    return NULL;
}

json_t *ow_assess_metrics_json(void) {
    json_t *m = json_array();
    for (size_t i = 0; i < sizeof METRICS / sizeof *METRICS; i++) {
        json_t *kinds = json_array();
        if (METRICS[i].department) json_array_append_new(kinds, json_string("department"));
        if (METRICS[i].township) json_array_append_new(kinds, json_string("township"));
        json_array_append_new(m,
                              json_pack("{s:s,s:s,s:s,s:s,s:b,s:o}", "code", METRICS[i].code,
                                        "name", METRICS[i].name, "records", METRICS[i].records,
                                        "type", METRICS[i].rate ? "rate" : "count", "higher_better",
                                        METRICS[i].higher_better, "kinds", kinds));
    }
    json_t *rules = json_pack(
        "[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}]", "code", "rate",
        "name", "线性计分", "for", "rate", "code", "tiers", "name", "分档计分", "for", "rate",
        "code", "deduct", "name", "每项扣分", "for", "count", "code", "target", "name", "目标计分",
        "for", "count", "code", "manual", "name", "人工加减分", "for", "manual");
    return json_pack("{s:o,s:o}", "metrics", m, "rules", rules);
}

int ow_assess_period_parse(const char *code, const char *cutoff, int32_t today, ow_assess_period *p,
                           ow_err *e) {
    memset(p, 0, sizeof *p);
    if (!code || !*code)
        return ow_err_setk(e, OW_EINVAL, "missing_field", "period", "请选择考核期");
    int y = 0, n = 0;
    char tail;
    size_t len = strlen(code);
    if (len == 4 && sscanf(code, "%4d%c", &y, &tail) == 1) {
        p->kind = "year";
        p->from = ow_date_from_ymd(y, 1, 1);
        p->to = ow_date_from_ymd(y, 12, 31);
    } else if (len == 7 && code[4] == '-' && code[5] == 'Q' &&
               sscanf(code, "%4d-Q%1d%c", &y, &n, &tail) == 2 && n >= 1 && n <= 4) {
        p->kind = "quarter";
        p->from = ow_date_from_ymd(y, (n - 1) * 3 + 1, 1);
        p->to = n == 4 ? ow_date_from_ymd(y, 12, 31) : ow_date_from_ymd(y, n * 3 + 1, 1) - 1;
    } else if (len == 7 && code[4] == '-' && code[5] >= '0' && code[5] <= '1' &&
               sscanf(code, "%4d-%2d%c", &y, &n, &tail) == 2 && n >= 1 && n <= 12) {
        p->kind = "month";
        p->from = ow_date_from_ymd(y, n, 1);
        p->to = n == 12 ? ow_date_from_ymd(y, 12, 31) : ow_date_from_ymd(y, n + 1, 1) - 1;
    } else {
        return ow_err_set(e, OW_EINVAL, "period",
                          "考核期应为年度（2026）、季度（2026-Q3）或月份（2026-10）");
    }
    if (y < 2000 || y > 2999) return ow_err_set(e, OW_EINVAL, "period", "考核年度应为四位年份");
    p->year = y;
    snprintf(p->code, sizeof p->code, "%s", code);
    if (p->from > today) return ow_err_set(e, OW_EINVAL, "period", "考核期尚未开始，不能计算");
    if (cutoff && *cutoff) {
        if (ow_date_parse(cutoff, &p->cut))
            return ow_err_set(e, OW_EINVAL, "cutoff", "截止日期应为 YYYY-MM-DD 格式的日期");
        if (p->cut < p->from || p->cut > p->to)
            return ow_err_set(e, OW_EINVAL, "cutoff", "截止日期应在考核期内");
        if (p->cut > today) return ow_err_set(e, OW_EINVAL, "cutoff", "截止日期不能晚于今天");
    } else {
        p->cut = p->to < today ? p->to : today;
    }
    p->end = p->cut < p->to ? p->cut : p->to;
    int ey, em, ed, fy, fm, fd;
    ow_date_ymd(p->end, &ey, &em, &ed);
    ow_date_ymd(p->from, &fy, &fm, &fd);
    p->months = (ey - fy) * 12 + em - fm + 1;
    return OW_OK;
}
