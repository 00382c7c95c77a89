/* assessment_demo.c — the demo district's work plan (`onewindow init --demo`): the year's
 * 工作要点, issued, with tasks led by departments and township centres, some done, some in
 * progress and one overdue, so that the units' task lists, the overdue lights and the
 * progress bulletin have something to show.  Schemes are not seeded: setting them up is
 * the center's work (and the browser test's). */
#include <stdio.h>
#include <string.h>

#include "assessment/assessment.h"
#include "assessment/assessment_int.h"
#include "core/workdays.h"
#include "store/workplan_store.h"

typedef struct demo_task {
    const char *title, *lead, *units; /* org codes, units comma-separated */
    int month, day;                   /* deadline in the current year */
    int progress;
    const char *state; /* open, completed, done */
} demo_task;

static const demo_task TASKS[] = {
    {"推进高频事项“一件事一次办”，全年新增集成套餐10个", "D08", "D05,D19", 6, 30, 100, "done"},
    {"政务服务事项网上可办率达到90%以上", "D01", "D05,D08,D19", 9, 30, 100, "done"},
    {"乡镇（街道）便民服务中心标准化建设全覆盖", "T01", "T02,T03", 10, 31, 60, "open"},
    {"完善好差评差评整改闭环，整改率100%", "D19", "D05", 12, 20, 70, "open"},
    {"编制并公开2026年度政务服务事项实施清单", "D35", "", 12, 31, 40, "open"},
};

static int org_by_code(ow_ctx *cx, const char *code, int64_t *id);

int ow_assessment_demo_seed(ow_ctx *cx) {
    int year;
    ow_assess_today_ymd(cx, &year, NULL);
    char today[11];
    ow_date_format(ow_assess_today(cx), today);
    int64_t plan;
    ow_plan_row p = {.year = year,
                     .title = "政务服务工作要点",
                     .notes = "年度工作要点及责任分解方案（演示数据）",
                     .created_at = ow_clock_now_ms(cx->clock)};
    int rc = ow_plan_store_insert(cx->db, &p, &plan, &cx->err);
    for (size_t i = 0; i < sizeof TASKS / sizeof *TASKS && !rc; i++) {
        const demo_task *t = &TASKS[i];
        char deadline[11];
        ow_date_format(ow_date_from_ymd(year, t->month, t->day), deadline);
        ow_task_row r = {
            .plan_id = plan, .title = t->title, .deadline = deadline, .created_at = p.created_at};
        if ((rc = org_by_code(cx, t->lead, &r.lead_org_id))) break;
        int64_t id;
        if ((rc = ow_task_store_insert(cx->db, &r, &id, &cx->err))) break;
        int64_t orgs[8];
        int n = 0;
        char codes[64];
        snprintf(codes, sizeof codes, "%s", t->units);
        for (char *s = strtok(codes, ","); s && n < 8 && !rc; s = strtok(NULL, ","))
            rc = org_by_code(cx, s, &orgs[n++]);
        if (rc || (rc = ow_task_store_set_units(cx->db, id, orgs, n, &cx->err))) break;
        /* done tasks were completed a week before their deadline */
        char done[11] = "";
        if (!strcmp(t->state, "done"))
            ow_date_format(ow_date_from_ymd(year, t->month, t->day) - 7, done);
        rc = ow_task_store_progress(cx->db, id, t->progress, t->state, *done ? done : today,
                                    *done ? done : NULL, *done ? done : NULL, p.created_at,
                                    &cx->err);
    }
    if (!rc) rc = ow_plan_store_issue(cx->db, plan, "系统", p.created_at, &cx->err);
    if (!rc) printf("demo work plan: %zu tasks\n", sizeof TASKS / sizeof *TASKS);
    return rc;
}

#include "store/assessment_store.h"

typedef struct find_arg {
    const char *code;
    int64_t id;
} find_arg;

static int find_code(void *arg, int64_t id, const char *code, const char *name) {
    (void)name;
    find_arg *f = arg;
    if (!strcmp(code, f->code)) f->id = id;
    return OW_OK;
}

static int org_by_code(ow_ctx *cx, const char *code, int64_t *id) {
    find_arg f = {code, 0};
    int rc = ow_assess_store_units(cx->db, code[0] == 'T' ? "township" : "department", cx->arena,
                                   find_code, &f, &cx->err);
    if (rc) return rc;
    if (!f.id) return ow_err_set(&cx->err, OW_ENOTFOUND, "org", "演示单位 %s 不存在", code);
    *id = f.id;
    return OW_OK;
}
