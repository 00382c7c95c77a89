/* audit_api.h — the HTTP side of the audit module: its route table, gathered by
 * app/routes.c.  The domain header audit/audit.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_AUDIT_AUDIT_API_H
#define OW_AUDIT_AUDIT_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_audit_routes[];
extern const size_t ow_audit_routes_n;

#endif
