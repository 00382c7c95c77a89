/* system_api.h — the HTTP side of the system module: its route table, gathered by
 * app/routes.c.  The domain header system/system.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_SYSTEM_SYSTEM_API_H
#define OW_SYSTEM_SYSTEM_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_system_routes[];
extern const size_t ow_system_routes_n;

#endif
