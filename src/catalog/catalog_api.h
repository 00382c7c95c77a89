/* catalog_api.h — the HTTP side of the catalog module: its route table, gathered by
 * app/routes.c.  The domain header catalog/catalog.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_CATALOG_CATALOG_API_H
#define OW_CATALOG_CATALOG_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_catalog_routes[];
extern const size_t ow_catalog_routes_n;

#endif
