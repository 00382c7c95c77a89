/* hall_api.h — the HTTP side of the hall: its route table.  src/main.c adds it to the
 * server's routes (docs/architecture.md "Modules" says why the hall is composed there and
 * not in app/routes.c); the domain header hall/hall.h knows nothing of HTTP. */
#ifndef OW_HALL_HALL_API_H
#define OW_HALL_HALL_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_hall_routes[];
extern const size_t ow_hall_routes_n;

#endif
