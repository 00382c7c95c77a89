/* report_api.h — the HTTP side of the report module: its route table, gathered by
 * app/routes.c.  The domain header report/report.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_REPORT_REPORT_API_H
#define OW_REPORT_REPORT_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_report_routes[];
extern const size_t ow_report_routes_n;

#endif
