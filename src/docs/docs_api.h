/* docs_api.h — the HTTP side of the docs module: its route table, gathered by
 * app/routes.c.  The domain header docs/docs.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_DOCS_DOCS_API_H
#define OW_DOCS_DOCS_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_docs_routes[];
extern const size_t ow_docs_routes_n;

/* cfg.public_url when set, otherwise http:// and the request's Host header. */
const char *ow_docs_public_base(ow_req *rq);

#endif
