/* server.h — starting and stopping the HTTP server (libmicrohttpd). */
#ifndef OW_HTTP_SERVER_H
#define OW_HTTP_SERVER_H

#include <stddef.h>

#include "http/http.h"

typedef struct ow_server ow_server;

typedef struct ow_server_opts {
    const char *host;
    int port;    /* 0 = pick a free port (tests) */
    int threads; /* request threads, >= 2 */
    int64_t max_body_bytes;
    int idle_timeout_s;
    int request_timeout_s;
    const char *web_root; /* NULL = no static files */
    const ow_route *routes;
    size_t nroutes;
    ow_auth_hook auth;           /* may be NULL */
    const char *trusted_proxies; /* comma-separated peer addresses allowed to set X-Forwarded-For */
    ow_app *app;
} ow_server_opts;

int ow_server_start(const ow_server_opts *o, ow_server **out, ow_err *e);
int ow_server_port(const ow_server *s);
/* Stop accepting, let in-flight requests finish (up to grace_ms), then stop. */
void ow_server_stop(ow_server *s, int grace_ms);

#endif
