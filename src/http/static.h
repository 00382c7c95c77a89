/* static.h — serving the built web UI from web/dist. */
#ifndef OW_HTTP_STATIC_H
#define OW_HTTP_STATIC_H

#include <microhttpd.h>
#include <stdint.h>

/* Serve path under root: the file itself (with its precompressed .gz when the
 * client accepts gzip), 304 on a matching If-None-Match, and the SPA's
 * index.html for extension-less paths that are not files.  Sets *status to 0
 * when nothing matched (the caller answers 404). */
enum MHD_Result ow_static_serve(struct MHD_Connection *conn, const char *root, const char *path,
                                const char *request_id, int *status, uint64_t *bytes);
const char *ow_static_mime(const char *path);
/* Content-Security-Policy, Referrer-Policy and X-Frame-Options for an HTML answer. */
void ow_html_security_headers(struct MHD_Response *r);

#endif
