/* assessment_metrics_store.h — the figures the assessment (考核, issue 21) computes from
 * the other modules' tables, behind typed functions (decision 0003): cases, ratings and
 * their rectifications, complaints, the catalog's items, publications, information
 * requests, inspections, supervision notices (督办) and work-plan tasks.
 *
 * Each metric is two statements: its figures for every unit at once (one grouped query,
 * so a year of a million cases is one scan, not fifty), and the records behind them for
 * the drill-down (the late cases, the bad ratings …), for one unit or all.  What counts
 * is written here, in SQL, and listed in docs/assessment.md ("Computed indicators"):
 *
 *   on_time_rate        cases concluded in the span (concluded or denied), on time unless
 *                       decided (or concluded) after the committed due date — the rule of
 *                       the statistics (report.c)
 *   overdue_cases       cases open at the end of the span and past their committed due date
 *   rating_satisfaction ratings (not voided) rated in the span, 基本满意 or better
 *   bad_rectified       rectifications of bad ratings due in the span, closed in time
 *   complaints_on_time  complaints answered in the span in time, against those answered in
 *                       the span plus those still unanswered past their deadline at its end
 *   online_rate, full_online_rate, one_visit_rate, guide_complete
 *                       the department's published items: online at all, fully online,
 *                       at most one visit, guide complete (the catalog as it stands)
 *   publications        publications published in the span
 *   key_area_empty      key-area columns without a publication from 1 January to the end
 *   info_requests_on_time  information requests concluded in the span in time, against
 *                       those plus the ones open and past due at its end
 *   inspection_rectified   inspection findings due in the span, rectified by the deadline
 *   notices_on_time     督办 replies given in the span in time, against those plus the rounds
 *                       unanswered past their reply date at its end
 *   tasks_on_time       work-plan tasks (issued plans) due in the span that the unit leads
 *                       or shares, done by the deadline
 *
 * A unit is a department or a township centre: a township's ratings, rectifications and
 * complaints include those of its agent points (代办点); its cases are those it took in. */
#ifndef OW_STORE_ASSESSMENT_METRICS_STORE_H
#define OW_STORE_ASSESSMENT_METRICS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

/* The days a figure covers: from and end included (end is the cut-off when it comes
 * before the period's last day). */
typedef struct ow_assess_span {
    int32_t from, end;          /* day numbers (core/workdays.h) */
    char from_s[11], end_s[11]; /* the same as YYYY-MM-DD */
    char year_start_s[11];      /* 1 January of from's year */
    int64_t from_ms, end_ms;    /* [Shanghai midnight of from, of end + 1) */
} ow_assess_span;

/* Fill a span from two day numbers. */
void ow_assess_span_init(ow_assess_span *s, int32_t from, int32_t end);

/* One unit's figure: num of den (a rate), or num alone (a count; den = num). */
typedef void (*ow_assess_fig_fn)(void *arg, int64_t org_id, int64_t num, int64_t den);

/* The figures of a computed metric for every unit of kind ("department" or "township").
 * OW_EINVAL for a metric this file does not know. */
int ow_assess_store_figures(ow_db *db, const char *metric, const char *kind,
                            const ow_assess_span *s, ow_assess_fig_fn fn, void *arg, ow_err *e);

/* A record behind a figure; strings valid during the callback. */
typedef struct ow_assess_rec {
    int64_t org_id;
    const char *ref_type; /* case, rating, rectification, complaint, item, publication,
                             column, info_request, inspection, notice, task */
    int64_t ref_id;       /* 0 when none (a column) */
    const char *ref_no;   /* case number, item code, index number … */
    const char *title;
    int32_t date;     /* the event's day (concluded, rated, answered …) or OW_DATE_NONE */
    int32_t due;      /* the deadline it is measured against, or OW_DATE_NONE */
    int64_t n;        /* per metric: a rating's level, a bit set of missing guide fields */
    const char *note; /* per metric: a state, an online depth, a comment */
} ow_assess_rec;
typedef int (*ow_assess_rec_fn)(void *arg, const ow_assess_rec *r);

/* The records behind a metric's figure for one unit (org_id > 0) or all (0), in date
 * order: what held the figure down (late, overdue, bad, missing), or for publications
 * what was counted.  Stops at and returns fn's first non-zero answer. */
int ow_assess_store_records(ow_db *db, const char *metric, const char *kind, int64_t org_id,
                            const ow_assess_span *s, ow_assess_rec_fn fn, void *arg, ow_err *e);

/* Guide fields whose absence makes an item's guide incomplete (ow_assess_rec.n bits). */
enum {
    OW_ASSESS_GUIDE_BASIS = 1 << 0,
    OW_ASSESS_GUIDE_CONDITIONS = 1 << 1,
    OW_ASSESS_GUIDE_PLACE = 1 << 2,
    OW_ASSESS_GUIDE_HOURS = 1 << 3,
    OW_ASSESS_GUIDE_CONSULT = 1 << 4,
    OW_ASSESS_GUIDE_COMPLAINT = 1 << 5,
    OW_ASSESS_GUIDE_RESULT = 1 << 6,
    OW_ASSESS_GUIDE_REMEDIES = 1 << 7,
    OW_ASSESS_GUIDE_MATERIALS = 1 << 8,
    OW_ASSESS_GUIDE_STEPS = 1 << 9,
};

/* ---- the windows of the hall, for the 红旗窗口 of a month ---- */
typedef struct ow_assess_window {
    int64_t id;
    const char *code, *name;
    int64_t ratings, satisfied;   /* ratings at the window in the span, 基本满意 or better */
    int64_t services, service_ms; /* ended window services started in the span, their time */
    int64_t complaints;           /* complaints about the window filed in the span */
} ow_assess_window;
/* Every active window with its figures, in list order. */
int ow_assess_store_windows(ow_db *db, const ow_assess_span *s,
                            int (*fn)(void *arg, const ow_assess_window *w), void *arg, ow_err *e);

#endif
