/* supervision_api.h — the HTTP side of the supervision module: its route table, gathered by
 * app/routes.c.  The domain header supervision/supervision.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_SUPERVISION_SUPERVISION_API_H
#define OW_SUPERVISION_SUPERVISION_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_supervision_routes[];
extern const size_t ow_supervision_routes_n;

#endif
