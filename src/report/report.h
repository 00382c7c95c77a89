/* report.h — statistics (issue 8): cases received, accepted, concluded, on time,
 * late and refused by item, department, window, township, channel or month, with
 * average and 90th-percentile handling time in working days; rating distribution and
 * satisfaction rate; complaints; the workbench counters and the dashboard series.
 * Every table renders as JSON, CSV or XLSX (libxlsxwriter).
 *
 * A table is {"title", "columns":[{key,title}], "rows":[{…}], "total":{…}} so one
 * exporter serves every statistic and the page shows the same figures as the file. */
#ifndef OW_REPORT_REPORT_H
#define OW_REPORT_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

typedef struct ow_stats_query {
    int32_t from, to; /* Shanghai dates, both included */
    const char *by;   /* cases: item, department, window, township, channel, month;
                         ratings: department, window, channel, month;
                         complaints: department, kind, month */
} ow_stats_query;

int ow_stats_cases_json(ow_ctx *cx, const ow_stats_query *q, json_t **out);
int ow_stats_ratings_json(ow_ctx *cx, const ow_stats_query *q, json_t **out);
int ow_stats_complaints_json(ow_ctx *cx, const ow_stats_query *q, json_t **out);
/* {today_accepted, pending_approval, due_soon, overdue, trend:[{date, accepted, concluded}]}
 * for the signed-in staff member's organisation (everything for supervisors). */
int ow_stats_workbench_json(ow_ctx *cx, json_t **out);
/* The supervision dashboard's series for the 12 months up to today. */
int ow_stats_dashboard_json(ow_ctx *cx, json_t **out);

/* Render a table as CSV (UTF-8 with BOM, so Excel reads the Chinese) or XLSX.
 * *out is malloc'ed. */
int ow_table_csv(const json_t *table, char **out, size_t *len, ow_err *e);
int ow_table_xlsx(const json_t *table, const char *tmp_dir, char **out, size_t *len, ow_err *e);

/* A plain sheet for lists that are read back in (the catalog export): a bold header row
 * frozen at the top, then one row per record — no caption, so the first row is the
 * header an importer looks for.  cells is row-major (nrows × ncols, NULL or "" = empty);
 * numeric[c] (optional) writes column c's integer cells as numbers; every other cell is
 * a string, never a formula; cells with line breaks wrap.  *out is malloc'ed. */
typedef struct ow_sheet {
    const char *name;
    const char *const *header;
    const bool *numeric;
    const double *widths; /* column widths in characters (optional) */
    int ncols;
    const char *const *cells;
    int nrows;
} ow_sheet;
int ow_sheet_xlsx(const ow_sheet *sheet, const char *tmp_dir, char **out, size_t *len, ow_err *e);

#endif
