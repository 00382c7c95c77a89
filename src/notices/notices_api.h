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

/* onewindow docs freeze (docs/operations.md "Issued documents"): every case notice
 * registered but not frozen — issued before the upgrade that froze documents — is
 * rendered from its case as it stands, under its registered number and code, with base
 * in its URLs, and frozen with its audit row, each in a transaction of its own on cx's
 * writable connection (cx a system context).  *failed counts those that could not be
 * (logged); they stay unfrozen and are frozen on their next download. */
int ow_notices_freeze_registered(ow_ctx *cx, const char *base, int *frozen, int *failed);

#endif
