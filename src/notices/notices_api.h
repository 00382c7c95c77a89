/* notices_api.h — a case's official notices as PDF (notices/case_notices.c): the route
 * table gathered by app/routes.c.  The notices module stands above the modules it draws
 * on — the case (cases/), its rating code (rating/) and the document service (docs/) —
 * so that none of them depends back on it (docs/architecture.md "Modules"). */
#ifndef OW_NOTICES_NOTICES_API_H
#define OW_NOTICES_NOTICES_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_notices_routes[];
extern const size_t ow_notices_routes_n;

#endif
