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

/* Answer with a frozen PDF (docs.h "frozen documents") through the file-descriptor
 * response (sendfile): ETag the content's SHA-256 — a request whose If-None-Match holds
 * it gets 304 —, Cache-Control private, no-cache (the URL may name a correction later),
 * Content-Disposition inline or, with ?download, attachment under filename. */
int ow_docs_reply_frozen(ow_req *rq, const char *sha, const char *filename);

#endif
