/* workplan_store.h — the year's work plans (工作要点), their tasks with the lead and the
 * responsible units (责任分解) and the progress reports, behind typed functions (decision
 * 0003; migration 0021).  Rows with text are copied into the caller's arena; dates are
 * YYYY-MM-DD text, instants UTC milliseconds. */
#ifndef OW_STORE_WORKPLAN_STORE_H
#define OW_STORE_WORKPLAN_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

typedef struct ow_plan_row {
    int64_t id;
    int year;
    const char *title, *notes, *state, *issued_by;
    int64_t issued_at, created_at, updated_at;
    int tasks, done, overdue; /* counted as of the today given to the list */
} ow_plan_row;

int ow_plan_store_insert(ow_db *db, const ow_plan_row *r, int64_t *id, ow_err *e);
int ow_plan_store_update(ow_db *db, int64_t id, const char *title, const char *notes, int64_t now,
                         ow_err *e);
int ow_plan_store_issue(ow_db *db, int64_t id, const char *by, int64_t now, ow_err *e);
/* today: YYYY-MM-DD, for the overdue count. */
int ow_plan_store_get(ow_db *db, int64_t id, const char *today, ow_arena *a, ow_plan_row *out,
                      ow_err *e);
int ow_plan_store_each(ow_db *db, int year, const char *today, ow_arena *a,
                       int (*fn)(void *arg, const ow_plan_row *r), void *arg, ow_err *e);

typedef struct ow_task_row {
    int64_t id, plan_id;
    int seq;
    const char *title, *content, *deadline, *state;
    int64_t lead_org_id;
    const char *lead_name;
    int progress;
    const char *last_report_date, *completed_date, *done_date;
    int64_t created_at, updated_at;
    /* from the plan */
    int year;
    const char *plan_title, *plan_state;
} ow_task_row;

int ow_task_store_insert(ow_db *db, const ow_task_row *r, int64_t *id, ow_err *e);
int ow_task_store_update(ow_db *db, int64_t id, const char *title, const char *content,
                         int64_t lead_org_id, const char *deadline, int64_t now, ow_err *e);
/* A report's effect on the task: progress and state (NULL keeps), the dates it sets. */
int ow_task_store_progress(ow_db *db, int64_t id, int progress, const char *state,
                           const char *report_date, const char *completed_date,
                           const char *done_date, int64_t now, ow_err *e);
int ow_task_store_get(ow_db *db, int64_t id, ow_arena *a, ow_task_row *out, ow_err *e);
/* Replace a task's responsible units. */
int ow_task_store_set_units(ow_db *db, int64_t id, const int64_t *orgs, int n, ow_err *e);
int ow_task_store_units(ow_db *db, int64_t id, ow_arena *a,
                        int (*fn)(void *arg, int64_t org_id, const char *name), void *arg,
                        ow_err *e);
/* Is org the task's lead or one of its responsible units? */
int ow_task_store_involves(ow_db *db, int64_t id, int64_t org_id, bool *out, ow_err *e);

typedef struct ow_task_filter {
    int64_t plan_id, org_id; /* org: lead or responsible */
    const char *state;       /* open, completed, done, or "overdue" (not done, past today) */
    const char *today;
    bool issued_only;
} ow_task_filter;
int ow_task_store_count(ow_db *db, const ow_task_filter *f, int64_t *n, ow_err *e);
int ow_task_store_page(ow_db *db, const ow_task_filter *f, int limit, int64_t offset, ow_arena *a,
                       int (*fn)(void *arg, const ow_task_row *r), void *arg, ow_err *e);

typedef struct ow_task_report_row {
    int64_t id, task_id, org_id;
    const char *kind, *text, *report_date, *by_name, *org_name;
    int percent; /* -1: none */
    int64_t by_id, at;
} ow_task_report_row;
int ow_task_store_report_insert(ow_db *db, const ow_task_report_row *r, int64_t *id, ow_err *e);
int ow_task_store_reports(ow_db *db, int64_t task_id, ow_arena *a,
                          int (*fn)(void *arg, const ow_task_report_row *r), void *arg, ow_err *e);

#endif
