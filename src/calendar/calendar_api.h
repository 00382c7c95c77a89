/* calendar_api.h — the HTTP side of the calendar module: its route table, gathered by
 * app/routes.c.  The domain header calendar/calendar.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_CALENDAR_CALENDAR_API_H
#define OW_CALENDAR_CALENDAR_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_calendar_routes[];
extern const size_t ow_calendar_routes_n;

#endif
