/* assessment_int.h — what the assessment module's own sources share (docs/style.md
 * "Files and names"); nobody else includes it. */
#ifndef OW_ASSESSMENT_ASSESSMENT_INT_H
#define OW_ASSESSMENT_ASSESSMENT_INT_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "store/assessment_store.h"

/* 403 "只有政务服务中心的监察人员和管理员可以{what}". */
int ow_assess_forbidden(ow_ctx *cx, const char *what);
/* Append an audit row for object (type, id); takes detail over (may be NULL). */
int ow_assess_audit(ow_ctx *cx, const char *action, const char *type, int64_t id, json_t *detail);
/* The actor's unit when it is a department or a township centre (*kind set); 403
 * otherwise.  kind may be NULL. */
int ow_assess_actor_unit(ow_ctx *cx, const char **kind);
/* Today (Shanghai) as a day number, and its year and month. */
int32_t ow_assess_today(const ow_ctx *cx);
void ow_assess_today_ymd(const ow_ctx *cx, int *year, int *month);
/* An instant as ISO 8601 text, null for 0. */
json_t *ow_assess_time_json(int64_t ms);
/* A day number as YYYY-MM-DD, null for none. */
json_t *ow_assess_date_json(int32_t d);
/* The Chinese name of a unit kind. */
const char *ow_assess_kind_name(const char *kind);
/* The Chinese name of a period: 2026年第三季度, 2026年10月, 2026年度. */
const char *ow_assess_period_name(ow_ctx *cx, const char *code);

/* The last day to object to a sheet published at published_at (OW_ASSESS_OBJECTION_WORKDAYS
 * working days on the legal calendar). */
int ow_assess_objection_due(ow_ctx *cx, int64_t published_at, int32_t *due);
/* A stored drill-down record appended to a JSON array (arg). */
int ow_assess_record_json_row(void *arg, const ow_assess_record_row *r);
/* The evidence files of an adjustment or objection as JSON. */
int ow_assess_files_json(ow_ctx *cx, const char *owner_type, int64_t owner_id, json_t **out);

#endif
