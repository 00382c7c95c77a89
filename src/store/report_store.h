/* report_store.h — the statistics' grouping queries over ratings and complaints (decision
 * 0003).  The case figures come from the cases module's rollups; what is added up,
 * named and shown stays in report/report.c.  Dates are day numbers as the tables store
 * them; scope is an office (its own rows and its children's), 0 for everything. */
#ifndef OW_STORE_REPORT_STORE_H
#define OW_STORE_REPORT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

/* The dimensions of the ratings table, in the order of report.c's rating_bys. */
typedef enum {
    OW_REPORT_RATINGS_BY_DEPARTMENT,
    OW_REPORT_RATINGS_BY_WINDOW,
    OW_REPORT_RATINGS_BY_CHANNEL,
    OW_REPORT_RATINGS_BY_MONTH
} ow_report_ratings_by;

typedef struct ow_report_rating_group {
    const char *key;   /* the office id, channel or YYYY-MM as text; borrowed */
    int64_t level[6];  /* level[1] … level[5]: ratings of that level */
    int64_t rectified; /* bad ratings whose rectification is closed */
} ow_report_rating_group;

/* Ratings not revoked, rated in [from, to], grouped by `by` (offices most rated first,
 * channels and months in order). */
int ow_report_store_rating_groups(ow_db *db, ow_report_ratings_by by, int32_t from, int32_t to,
                                  int64_t scope,
                                  int (*fn)(void *arg, const ow_report_rating_group *g), void *arg,
                                  ow_err *e);

/* The dimensions of the complaints table, in the order of report.c's complaint_bys. */
typedef enum {
    OW_REPORT_COMPLAINTS_BY_DEPARTMENT, /* key "0": not assigned yet */
    OW_REPORT_COMPLAINTS_BY_KIND,
    OW_REPORT_COMPLAINTS_BY_MONTH
} ow_report_complaints_by;

enum {
    OW_REPORT_C_TOTAL,
    OW_REPORT_C_ANSWERED,
    OW_REPORT_C_ANSWERED_ON_TIME,
    OW_REPORT_C_ANSWERED_LATE,
    OW_REPORT_C_OPEN,
    OW_REPORT_C_ESCALATED,
    OW_REPORT_C_COUNTS
};

typedef struct ow_report_complaint_group {
    const char *key; /* borrowed */
    int64_t v[OW_REPORT_C_COUNTS];
    double satisfaction; /* the mean; has_satisfaction false when none was given */
    bool has_satisfaction;
} ow_report_complaint_group;

/* Complaints filed in [from, to], grouped by `by`, in key order. */
int ow_report_store_complaint_groups(ow_db *db, ow_report_complaints_by by, int32_t from,
                                     int32_t to, int64_t scope,
                                     int (*fn)(void *arg, const ow_report_complaint_group *g),
                                     void *arg, ow_err *e);
/* The mean satisfaction of the same complaints; *has false when none was given or it
 * could not be read.  OW_EDB only when the statement cannot be prepared. */
int ow_report_store_complaint_satisfaction(ow_db *db, int32_t from, int32_t to, int64_t scope,
                                           double *avg, bool *has, ow_err *e);

#endif
