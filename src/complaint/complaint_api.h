/* complaint_api.h — the HTTP side of the complaint module: its route table, gathered by
 * app/routes.c.  The domain header complaint/complaint.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_COMPLAINT_COMPLAINT_API_H
#define OW_COMPLAINT_COMPLAINT_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_complaint_routes[];
extern const size_t ow_complaint_routes_n;

#endif
