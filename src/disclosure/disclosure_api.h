/* disclosure_api.h — the HTTP side of the disclosure module: its route table, gathered by
 * app/routes.c.  The domain header disclosure/disclosure.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_DISCLOSURE_DISCLOSURE_API_H
#define OW_DISCLOSURE_DISCLOSURE_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_disclosure_routes[];
extern const size_t ow_disclosure_routes_n;

#endif
