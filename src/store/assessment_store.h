/* assessment_store.h — the assessment module's own tables behind typed functions
 * (decision 0003; migration 0021): schemes and their indicators, published score sheets
 * with the figures and records behind them, manual adjustments and their evidence files,
 * objections (申诉), the monthly bulletin's rule and the bulletins with their recipients.
 * The figures computed from other modules' tables are in assessment_metrics_store.h.
 *
 * Rows that carry text are copied into the caller's arena.  Dates are YYYY-MM-DD text,
 * instants UTC milliseconds. */
#ifndef OW_STORE_ASSESSMENT_STORE_H
#define OW_STORE_ASSESSMENT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* ---- schemes and indicators ---- */
typedef struct ow_assess_scheme_row {
    int64_t id;
    int year;
    const char *unit_kind, *name, *notes, *state, *issued_by;
    int64_t issued_at, created_at, updated_at;
} ow_assess_scheme_row;

typedef struct ow_assess_indicator_row {
    int64_t id;
    int seq;
    const char *name, *metric, *rule, *params, *description;
    double weight;
    bool bonus;
} ow_assess_indicator_row;

/* OW_ECONFLICT (field year) when the year already has a scheme for that kind. */
int ow_assess_store_scheme_insert(ow_db *db, const ow_assess_scheme_row *r, int64_t *id, ow_err *e);
int ow_assess_store_scheme_update(ow_db *db, int64_t id, const char *name, const char *notes,
                                  int64_t now, ow_err *e);
int ow_assess_store_scheme_issue(ow_db *db, int64_t id, const char *by, int64_t now, ow_err *e);
/* OW_ENOTFOUND when there is none. */
int ow_assess_store_scheme_get(ow_db *db, int64_t id, ow_arena *a, ow_assess_scheme_row *out,
                               ow_err *e);
/* Every scheme (of year, 0 = all), newest year first. */
int ow_assess_store_scheme_each(ow_db *db, int year, ow_arena *a,
                                int (*fn)(void *arg, const ow_assess_scheme_row *r), void *arg,
                                ow_err *e);
/* Replace a scheme's indicators by rows (ids are given back in rows[i].id). */
int ow_assess_store_indicators_replace(ow_db *db, int64_t scheme_id, ow_assess_indicator_row *rows,
                                       int n, ow_err *e);
/* A scheme's indicators in order, at most max; *n how many. */
int ow_assess_store_indicators(ow_db *db, int64_t scheme_id, ow_arena *a,
                               ow_assess_indicator_row *rows, int max, int *n, ow_err *e);

/* ---- published sheets ---- */
typedef struct ow_assess_sheet_row {
    int64_t id, scheme_id;
    const char *period, *period_kind, *from_date, *to_date, *cutoff;
    int version;
    bool is_current;
    const char *scheme; /* JSON */
    const char *note, *published_by;
    int64_t published_at;
    /* from the scheme, for lists */
    int year;
    const char *unit_kind, *scheme_name;
} ow_assess_sheet_row;

/* The next version of (scheme, period): 1 for the first. */
int ow_assess_store_sheet_next_version(ow_db *db, int64_t scheme_id, const char *period,
                                       int *version, ow_err *e);
/* Insert a sheet as the current version of its period (earlier versions stop being
 * current). */
int ow_assess_store_sheet_insert(ow_db *db, const ow_assess_sheet_row *r, int64_t *id, ow_err *e);
int ow_assess_store_sheet_get(ow_db *db, int64_t id, ow_arena *a, ow_assess_sheet_row *out,
                              ow_err *e);
/* Published sheets, newest first: of a scheme (0 = any), of a year (0 = any), only the
 * current versions when current_only. */
int ow_assess_store_sheet_each(ow_db *db, int64_t scheme_id, int year, bool current_only,
                               ow_arena *a, int (*fn)(void *arg, const ow_assess_sheet_row *r),
                               void *arg, ow_err *e);

typedef struct ow_assess_score_row {
    int64_t org_id;
    const char *org_name;
    double base, bonus, total;
    int rank;
} ow_assess_score_row;
int ow_assess_store_score_insert(ow_db *db, int64_t sheet_id, const ow_assess_score_row *r,
                                 ow_err *e);
/* The units of a sheet by rank (org_id > 0: that unit only). */
int ow_assess_store_scores(ow_db *db, int64_t sheet_id, int64_t org_id, ow_arena *a,
                           int (*fn)(void *arg, const ow_assess_score_row *r), void *arg,
                           ow_err *e);

typedef struct ow_assess_item_row {
    int64_t org_id, indicator_id;
    bool has_data;
    double value, score;
    int64_t num, den;
    const char *note;
} ow_assess_item_row;
int ow_assess_store_item_insert(ow_db *db, int64_t sheet_id, const ow_assess_item_row *r,
                                ow_err *e);
/* A sheet's figures (org_id > 0: one unit's), by unit and indicator. */
int ow_assess_store_items(ow_db *db, int64_t sheet_id, int64_t org_id, ow_arena *a,
                          int (*fn)(void *arg, const ow_assess_item_row *r), void *arg, ow_err *e);

typedef struct ow_assess_record_row {
    int64_t org_id, indicator_id;
    int seq;
    const char *ref_type;
    int64_t ref_id;
    const char *ref_no, *title, *event_date, *due_date, *detail;
} ow_assess_record_row;
int ow_assess_store_record_insert(ow_db *db, int64_t sheet_id, const ow_assess_record_row *r,
                                  ow_err *e);
int ow_assess_store_record_count(ow_db *db, int64_t sheet_id, int64_t org_id, int64_t indicator_id,
                                 int64_t *n, ow_err *e);
int ow_assess_store_records_page(ow_db *db, int64_t sheet_id, int64_t org_id, int64_t indicator_id,
                                 int limit, int64_t offset,
                                 int (*fn)(void *arg, const ow_assess_record_row *r), void *arg,
                                 ow_err *e);

/* ---- manual adjustments ---- */
typedef struct ow_assess_adjustment_row {
    int64_t id, scheme_id, indicator_id, org_id;
    const char *fact_date;
    double points;
    const char *reason, *state, *void_reason, *entered_by;
    int64_t entered_by_id, created_at, updated_at;
    /* joined for lists */
    const char *org_name, *indicator_name;
    int files;
} ow_assess_adjustment_row;
int ow_assess_store_adjustment_insert(ow_db *db, const ow_assess_adjustment_row *r, int64_t *id,
                                      ow_err *e);
int ow_assess_store_adjustment_get(ow_db *db, int64_t id, ow_arena *a,
                                   ow_assess_adjustment_row *out, ow_err *e);
int ow_assess_store_adjustment_void(ow_db *db, int64_t id, const char *reason, int64_t now,
                                    ow_err *e);
/* Adjustments of a scheme, filtered (0 / NULL = any): unit, indicator, the days
 * [from, to], only active ones.  In date order. */
typedef struct ow_assess_adjustment_filter {
    int64_t scheme_id, org_id, indicator_id;
    const char *from, *to;
    bool active_only;
} ow_assess_adjustment_filter;
int ow_assess_store_adjustments(ow_db *db, const ow_assess_adjustment_filter *f, ow_arena *a,
                                int (*fn)(void *arg, const ow_assess_adjustment_row *r), void *arg,
                                ow_err *e);

/* ---- evidence files ---- */
typedef struct ow_assess_file_row {
    int64_t id;
    const char *owner_type;
    int64_t owner_id;
    const char *sha256, *filename, *content_type;
    int64_t size, uploaded_by, created_at;
} ow_assess_file_row;
int ow_assess_store_file_insert(ow_db *db, const ow_assess_file_row *r, int64_t *id, ow_err *e);
int ow_assess_store_files(ow_db *db, const char *owner_type, int64_t owner_id, ow_arena *a,
                          int (*fn)(void *arg, const ow_assess_file_row *r), void *arg, ow_err *e);
/* OW_ENOTFOUND unless file id belongs to the owner. */
int ow_assess_store_file_get(ow_db *db, const char *owner_type, int64_t owner_id, int64_t id,
                             ow_arena *a, ow_assess_file_row *out, ow_err *e);

/* ---- objections ---- */
typedef struct ow_assess_objection_row {
    int64_t id, sheet_id, scheme_id, org_id, indicator_id; /* indicator 0 = the whole sheet */
    const char *period, *reason, *state, *filed_by, *answer, *answered_by;
    int64_t filed_by_id, filed_at, answered_at;
    /* joined */
    const char *org_name, *indicator_name, *scheme_name;
    int year;
} ow_assess_objection_row;
/* OW_ECONFLICT (kind objection_exists) when the unit already objected to that period. */
int ow_assess_store_objection_insert(ow_db *db, const ow_assess_objection_row *r, int64_t *id,
                                     ow_err *e);
int ow_assess_store_objection_get(ow_db *db, int64_t id, ow_arena *a, ow_assess_objection_row *out,
                                  ow_err *e);
/* The unit's objection to (scheme, period), *id = 0 when none. */
int ow_assess_store_objection_find(ow_db *db, int64_t scheme_id, const char *period, int64_t org_id,
                                   int64_t *id, ow_err *e);
int ow_assess_store_objection_answer(ow_db *db, int64_t id, const char *state, const char *answer,
                                     const char *by, int64_t now, ow_err *e);
/* Newest first; org 0 = all, state NULL = any, sheet 0 = any. */
int ow_assess_store_objections(ow_db *db, int64_t org_id, const char *state, int64_t sheet_id,
                               ow_arena *a, int (*fn)(void *arg, const ow_assess_objection_row *r),
                               void *arg, ow_err *e);

/* ---- the monthly bulletin's rule ---- */
typedef struct ow_assess_bulletin_rule {
    int praise_top, improve_bottom, min_ratings, max_complaints, target_minutes;
    double w_satisfaction, w_speed, complaint_penalty;
    int64_t updated_at;
    const char *updated_by;
} ow_assess_bulletin_rule;
int ow_assess_store_rule_get(ow_db *db, ow_arena *a, ow_assess_bulletin_rule *out, ow_err *e);
int ow_assess_store_rule_put(ow_db *db, const ow_assess_bulletin_rule *r, ow_err *e);

/* ---- bulletins ---- */
typedef struct ow_assess_bulletin_row {
    int64_t id;
    const char *kind, *period;
    int64_t ref_id;
    const char *number, *title, *content, *issued_by;
    int64_t issued_at;
    /* for a recipient's list: when its unit read it (0 = not yet); for the center's: how
     * many recipients, how many read */
    int64_t read_at;
    int recipients, read;
} ow_assess_bulletin_row;
int ow_assess_store_bulletin_insert(ow_db *db, const ow_assess_bulletin_row *r, int64_t *id,
                                    ow_err *e);
int ow_assess_store_bulletin_recipient(ow_db *db, int64_t bulletin_id, int64_t org_id, ow_err *e);
/* org_id > 0: with that unit's read time, OW_ENOTFOUND unless it is a recipient. */
int ow_assess_store_bulletin_get(ow_db *db, int64_t id, int64_t org_id, ow_arena *a,
                                 ow_assess_bulletin_row *out, ow_err *e);
/* Newest first, of kind (NULL = any); org_id > 0: those sent to it. */
int ow_assess_store_bulletin_count(ow_db *db, const char *kind, int64_t org_id, int64_t *n,
                                   ow_err *e);
int ow_assess_store_bulletins(ow_db *db, const char *kind, int64_t org_id, int limit,
                              int64_t offset, ow_arena *a,
                              int (*fn)(void *arg, const ow_assess_bulletin_row *r), void *arg,
                              ow_err *e);
/* Mark read by the unit (the first reading counts); OW_ENOTFOUND unless a recipient. */
int ow_assess_store_bulletin_read(ow_db *db, int64_t id, int64_t org_id, const char *by,
                                  int64_t now, ow_err *e);
/* The recipients with their read time (0 = unread), in list order of the orgs. */
int ow_assess_store_bulletin_recipients(ow_db *db, int64_t id, ow_arena *a,
                                        int (*fn)(void *arg, int64_t org_id, const char *name,
                                                  int64_t read_at, const char *read_by),
                                        void *arg, ow_err *e);

/* ---- the units assessed: active organisations of a kind (department, township, window),
 * in list order ---- */
int ow_assess_store_units(ow_db *db, const char *kind, ow_arena *a,
                          int (*fn)(void *arg, int64_t id, const char *code, const char *name),
                          void *arg, ow_err *e);
/* An organisation's kind and name; OW_ENOTFOUND when there is none. */
int ow_assess_store_org(ow_db *db, int64_t id, ow_arena *a, const char **kind, const char **name,
                        ow_err *e);

#endif
