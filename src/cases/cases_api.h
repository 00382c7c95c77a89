/* cases_api.h — the HTTP side of the cases module: its route table, gathered by
 * app/routes.c.  The domain header cases/cases.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_CASES_CASES_API_H
#define OW_CASES_CASES_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_cases_routes[];
extern const size_t ow_cases_routes_n;

#endif
