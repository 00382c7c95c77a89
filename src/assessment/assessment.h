/* assessment.h — 考核 (issue 21): the center's assessment of the district's departments and
 * township centres, the year's work plan with its responsibility breakdown (责任分解), and
 * the bulletins sent to the units (docs/assessment.md).
 *
 * A scheme (考核方案) belongs to a year and a kind of unit and weighs its indicators to
 * 100 points (bonus indicators on top).  An indicator is a computed metric — the on-time
 * rate, overdue cases, 好差评, complaints, the items' online depth, guide completeness,
 * publications, information requests, inspection findings, 督办, work-plan tasks
 * (src/store/assessment_metrics_store.h says exactly what each counts) — scored by a rule
 * (rules.c), or a manual one: points the supervisors add or deduct with a reason and an
 * evidence file.
 *
 * A sheet is a scheme's scores for a period (a month, a quarter, the year) as of a
 * cut-off day.  Computed on request it reads today's data; published, it is frozen: the
 * scores, the figures behind them and the records behind the figures are stored, and
 * nothing that happens to a case afterwards moves them.  A correction is a new version of
 * the period; the earlier one stays readable.  Each unit sees its own sheet with the
 * records behind each figure and may object (申诉) once per period within
 * OW_ASSESS_OBJECTION_WORKDAYS working days of publication; the center answers.
 *
 *   scheme:    draft --issue--> issued (indicators locked; adjustments and sheets allowed)
 *   objection: open --uphold | reject--> upheld | rejected
 *   task:      open --complete (lead)--> completed --accept (center)--> done
 *                                                  --return (center)--> open
 *
 * Who: supervisors and administrators of the center set schemes, enter points, publish,
 * answer objections, keep the work plan and issue bulletins; every staff member of a
 * department or township centre sees that unit's sheets, files its objection, reports
 * progress on its tasks and reads the bulletins sent to it (windows' staff read theirs). */
#ifndef OW_ASSESSMENT_ASSESSMENT_H
#define OW_ASSESSMENT_ASSESSMENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

#define OW_ASSESS_MAX_INDICATORS 30
#define OW_ASSESS_MAX_TIERS 8
#define OW_ASSESS_MAX_UNITS 256
#define OW_ASSESS_OBJECTION_WORKDAYS 5
#define OW_ASSESS_NAME_MAX_CHARS 40
#define OW_ASSESS_TEXT_MAX_CHARS 1000
#define OW_ASSESS_POINTS_MAX 100

/* ---- scoring rules (rules.c: pure, no database) ---- */
typedef enum {
    OW_ASSESS_RULE_RATE,   /* linear: zero points at zero_at, full at full_at */
    OW_ASSESS_RULE_TIERS,  /* the share of the weight of the first tier the rate reaches */
    OW_ASSESS_RULE_DEDUCT, /* the weight less per points each, not below 0 */
    OW_ASSESS_RULE_TARGET, /* the weight times count / target (per month), at most 1 */
    OW_ASSESS_RULE_MANUAL, /* full or nothing to start with, plus the points entered */
} ow_assess_rule_kind;

typedef struct ow_assess_rule {
    ow_assess_rule_kind kind;
    double full_at, zero_at; /* rate */
    int ntiers;              /* tiers: min rate and share of the weight (%), descending */
    double tier_min[OW_ASSESS_MAX_TIERS], tier_pct[OW_ASSESS_MAX_TIERS];
    double per;      /* deduct */
    double target;   /* target */
    bool per_month;  /* target: per month begun by the cut-off */
    bool start_full; /* manual */
    bool empty_full; /* rate, tiers: a unit with nothing to count gets the full weight */
} ow_assess_rule;

/* One unit's figure for an indicator. */
typedef struct ow_assess_figure {
    bool has_data; /* a rate with a denominator; counts and manual points always have */
    double value;  /* a rate 0–1, a count, or the sum of manual points */
    int64_t num, den;
} ow_assess_figure;

/* Check a rule's parameters (JSON object) for an indicator whose metric is a rate (or
 * not); field names the indicator in errors ("indicators[2].params.full_at"). */
int ow_assess_rule_parse(const char *rule, const json_t *params, bool rate_metric,
                         ow_assess_rule *out, ow_err *e, const char *field);
/* rate, tiers, deduct, target, manual */
const char *ow_assess_rule_name(ow_assess_rule_kind k);
/* The parameters as stored and shown (every key, defaults filled in). */
json_t *ow_assess_rule_json(const ow_assess_rule *r);
/* The score of a figure, rounded to 2 decimals, and why (note, Chinese). months: months
 * of the period begun by the cut-off (target per month). */
double ow_assess_score(const ow_assess_rule *r, double weight, const ow_assess_figure *f,
                       int months, char *note, size_t note_size);

/* ---- computed metrics (metrics.c) ---- */
typedef struct ow_assess_metric {
    const char *code, *name;
    const char *records; /* what the drill-down lists, e.g. 逾期办结的办件 */
    bool rate;           /* a rate (num of den) rather than a count */
    bool higher_better;
    bool department, township; /* the kinds of unit it applies to */
} ow_assess_metric;
/* NULL for an unknown code; "manual" is not a metric. */
const ow_assess_metric *ow_assess_metric_find(const char *code);
/* [{code, name, records, rate, kinds}] and the rules, for the scheme editor. */
json_t *ow_assess_metrics_json(void);

/* ---- periods ---- */
typedef struct ow_assess_period {
    char code[12];    /* 2026, 2026-Q3, 2026-10 */
    const char *kind; /* year, quarter, month */
    int year;
    int32_t from, to; /* the period's first and last day */
    int32_t cut, end; /* the cut-off, and min(to, cut): the last day counted */
    int months;       /* months of the period begun by the end */
} ow_assess_period;
/* Parse a period code and a cut-off (NULL: the period's end, or today when earlier).
 * The cut-off may not lie before the period nor after today.  OW_EINVAL names
 * "period" or "cutoff". */
int ow_assess_period_parse(const char *code, const char *cutoff, int32_t today, ow_assess_period *p,
                           ow_err *e);

/* ---- schemes (scheme.c) ---- */
typedef struct ow_assess_indicator {
    int64_t id;
    int seq;
    const char *name, *metric, *rule_name, *description;
    double weight;
    bool bonus;
    ow_assess_rule rule;
} ow_assess_indicator;

typedef struct ow_assess_scheme {
    int64_t id;
    int year;
    const char *unit_kind, *name, *notes, *state, *issued_by;
    int64_t issued_at, created_at, updated_at;
    int n;
    ow_assess_indicator ind[OW_ASSESS_MAX_INDICATORS];
} ow_assess_scheme;

/* May set schemes, points, publish, answer objections, keep the work plan, issue
 * bulletins: the center's supervisors and administrators (and the system). */
bool ow_assess_is_center(const ow_ctx *cx);
/* May read everything (the same people). */
bool ow_assess_reads_all(const ow_ctx *cx);

/* Create a draft: {year, unit_kind, name, notes?, indicators?: [...]}. */
int ow_assess_scheme_create(ow_ctx *cx, const json_t *in, int64_t *id);
/* Edit a draft: name, notes, indicators (replaced whole).  An issued scheme: name and
 * notes only (409 scheme_issued for indicators). */
int ow_assess_scheme_update(ow_ctx *cx, int64_t id, const json_t *in);
/* issue: the weights of the non-bonus indicators must add up to 100. */
int ow_assess_scheme_transition(ow_ctx *cx, int64_t id, const char *action);
int ow_assess_scheme_load(ow_ctx *cx, int64_t id, ow_assess_scheme *s);
json_t *ow_assess_scheme_json(const ow_assess_scheme *s);
int ow_assess_scheme_get_json(ow_ctx *cx, int64_t id, json_t **out);
int ow_assess_scheme_list_json(ow_ctx *cx, int year, json_t **out);

/* ---- sheets (sheet.c) ---- */
typedef struct ow_assess_unit {
    int64_t org_id;
    const char *name;
    ow_assess_figure fig[OW_ASSESS_MAX_INDICATORS];
    double score[OW_ASSESS_MAX_INDICATORS];
    const char *note[OW_ASSESS_MAX_INDICATORS];
    double base, bonus, total;
    int rank;
} ow_assess_unit;

typedef struct ow_assess_sheet {
    int64_t id; /* 0: computed now, not published */
    int version;
    bool is_current;
    const char *published_by, *note;
    int64_t published_at;
    ow_assess_scheme *scheme;
    ow_assess_period period;
    int nunits;
    ow_assess_unit *units; /* by rank */
} ow_assess_sheet;

/* Compute a scheme's sheet for a period as of a cut-off from today's data (issued
 * schemes only; drafts too for the center, to try a scheme out). */
int ow_assess_compute(ow_ctx *cx, int64_t scheme_id, const char *period, const char *cutoff,
                      ow_assess_sheet **out);
/* Rank the units (competition ranking on the total, 2 decimals) — after computing. */
void ow_assess_rank(ow_assess_sheet *s);
/* Store a computed sheet as the period's current version, with the records behind each
 * figure (writer; audited assessment.publish).  note: why (required from version 2). */
int ow_assess_publish(ow_ctx *cx, ow_assess_sheet *s, const char *note, int64_t *id);
/* A published sheet as it was stored. */
int ow_assess_sheet_load(ow_ctx *cx, int64_t id, ow_assess_sheet **out);
/* The ranking (every unit's total and rank; the indicator scores when the actor reads
 * all).  A unit's staff get the ranking with only their own unit's details. */
json_t *ow_assess_sheet_json(ow_ctx *cx, const ow_assess_sheet *s);
/* One unit's sheet: each indicator's weight, figure, score and note, the rank, and its
 * objection.  OW_EFORBIDDEN for another unit's staff, OW_ENOTFOUND for a unit not in it. */
int ow_assess_unit_json(ow_ctx *cx, const ow_assess_sheet *s, int64_t org_id, json_t **out);
/* The records behind one unit's figure of an indicator: from the published sheet when
 * s->id, else computed now.  {items, total, page, per_page}. */
int ow_assess_records_json(ow_ctx *cx, const ow_assess_sheet *s, int64_t org_id,
                           int64_t indicator_id, int page, int per_page, json_t **items,
                           int64_t *total);
/* Published sheets (current versions unless all_versions) of a year / scheme. */
int ow_assess_sheet_list_json(ow_ctx *cx, int year, int64_t scheme_id, bool all_versions,
                              json_t **out);
/* A unit's published totals and ranks over a scheme's periods of one kind, in order; for
 * the center without org_id every unit's. */
int ow_assess_trend_json(ow_ctx *cx, int64_t scheme_id, const char *period_kind, int64_t org_id,
                         json_t **out);
/* May the actor read this unit's sheet? */
int ow_assess_check_unit_access(ow_ctx *cx, int64_t org_id);
/* The sheet as an XLSX table (report.h's shape: title, columns, rows). */
json_t *ow_assess_sheet_table(const ow_assess_sheet *s);

/* ---- manual points (adjust.c) ---- */
/* {scheme_id?, indicator_id, org_id, date, points, reason}: a manual indicator of an
 * issued scheme, a unit of its kind, a date in its year. */
int ow_assess_adjustment_add(ow_ctx *cx, const json_t *in, int64_t *id);
int ow_assess_adjustment_void(ow_ctx *cx, int64_t id, const char *reason);
int ow_assess_adjustment_json(ow_ctx *cx, int64_t id, json_t **out);
int ow_assess_adjustment_list_json(ow_ctx *cx, int64_t scheme_id, int64_t org_id, json_t **out);
/* Evidence (佐证材料) of an adjustment (the center) or of an objection (its unit, while
 * open): check before the upload, record after it (writer), read one back. */
int ow_assess_evidence_check(ow_ctx *cx, const char *owner_type, int64_t owner_id);
int ow_assess_evidence_add(ow_ctx *cx, const char *owner_type, int64_t owner_id, const char *sha256,
                           const char *filename, const char *content_type, int64_t size,
                           int64_t *id);
typedef struct ow_assess_file {
    const char *sha256, *filename, *content_type;
} ow_assess_file;
int ow_assess_evidence_get(ow_ctx *cx, const char *owner_type, int64_t owner_id, int64_t file_id,
                           ow_assess_file *out);

/* ---- objections (objection.c) ---- */
/* {sheet_id, indicator_id?, reason}: the unit's staff, once per period, within the
 * deadline, on the period's current version. */
int ow_assess_objection_file(ow_ctx *cx, const json_t *in, int64_t *id);
/* uphold | reject with an answer: the center. */
int ow_assess_objection_answer(ow_ctx *cx, int64_t id, const char *action, const char *answer);
int ow_assess_objection_json(ow_ctx *cx, int64_t id, json_t **out);
/* The center: all (state filter); a unit's staff: their unit's. */
int ow_assess_objection_list_json(ow_ctx *cx, const char *state, int64_t sheet_id, json_t **out);

/* ---- work plans (workplan.c) ---- */
int ow_plan_create(ow_ctx *cx, const json_t *in, int64_t *id);
int ow_plan_update(ow_ctx *cx, int64_t id, const json_t *in);
int ow_plan_transition(ow_ctx *cx, int64_t id, const char *action);
int ow_plan_json(ow_ctx *cx, int64_t id, json_t **out);
int ow_plan_list_json(ow_ctx *cx, int year, json_t **out);
/* {title, content?, lead_org_id, org_ids?, deadline} */
int ow_task_add(ow_ctx *cx, int64_t plan_id, const json_t *in, int64_t *id);
int ow_task_update(ow_ctx *cx, int64_t id, const json_t *in);
int ow_task_json(ow_ctx *cx, int64_t id, json_t **out);
typedef struct ow_task_query {
    int64_t plan_id, org_id;
    const char *state; /* open, completed, done, overdue, NULL = any */
    bool mine;
    int page, per_page;
} ow_task_query;
int ow_task_list_json(ow_ctx *cx, const ow_task_query *q, json_t **items, int64_t *total);
/* A unit's report: {kind: progress|complete, percent?, text}. */
int ow_task_report(ow_ctx *cx, int64_t id, const json_t *in);
/* The center: accept | return, with a note. */
int ow_task_transition(ow_ctx *cx, int64_t id, const char *action, const char *note);
/* The plan's tasks as a table (XLSX). */
int ow_plan_table(ow_ctx *cx, int64_t id, json_t **out);

/* ---- bulletins (bulletin.c) ---- */
int ow_bulletin_rule_json(ow_ctx *cx, json_t **out);
int ow_bulletin_rule_put(ow_ctx *cx, const json_t *in);
/* The 红旗窗口 candidates of a month (YYYY-MM) by the rule, the winner first. */
int ow_bulletin_red_flag_json(ow_ctx *cx, const char *month, json_t **out);
/* What a bulletin would say, without issuing it: {kind: monthly, month} |
 * {kind: assessment, sheet_id} | {kind: progress, plan_id, date?}. */
int ow_bulletin_compose(ow_ctx *cx, const json_t *in, json_t **content);
/* Compose and issue it to its recipients (writer; audited bulletin.issue). */
int ow_bulletin_issue(ow_ctx *cx, const json_t *in, int64_t *id);
int ow_bulletin_json(ow_ctx *cx, int64_t id, json_t **out);
int ow_bulletin_list_json(ow_ctx *cx, const char *kind, int page, int per_page, json_t **items,
                          int64_t *total);
/* A recipient's staff mark it read (the first reading counts). */
int ow_bulletin_mark_read(ow_ctx *cx, int64_t id);
/* The issued bulletin as PDF (pool; *pdf malloc'ed) or as a table for XLSX. */
int ow_bulletin_pdf(ow_ctx *cx, int64_t id, unsigned char **pdf, size_t *len, char *name,
                    size_t name_size);
int ow_bulletin_table(ow_ctx *cx, int64_t id, json_t **table, char *name, size_t name_size);

/* ---- demo (assessment_demo.c): the year's work plan, issued, with its tasks ---- */
int ow_assessment_demo_seed(ow_ctx *cx);

#endif
