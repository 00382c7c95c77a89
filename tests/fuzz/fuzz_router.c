/* fuzz_router.c — matching a request's method and path against the platform's real
 * route table (app/routes.c): the first line of the input is the method, the rest the
 * path.  A match names a route whose method is the one asked for (GET for HEAD), with
 * at most OW_ROUTE_MAX_PARAMS parameters pointing into the path; a miss fills Allow only
 * for a path that exists. */
#include <assert.h>

#include "app/routes.h"
#include "http/router.h"
#include "fuzz.h"

static ow_router *router;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!router) {
        size_t n;
        ow_route *routes = ow_app_routes(&n);
        ow_err e = {0};
        if (ow_router_new(routes, n, &router, &e) != OW_OK) abort();
    }
    char *s = fuzz_str(data, size);
    char *nl = strchr(s, '\n');
    const char *method = "GET";
    char *path = s;
    if (nl) {
        *nl = '\0';
        method = s;
        path = nl + 1;
    }
    ow_route_match m;
    char allow[128];
    allow[0] = '\0';
    int rc = ow_router_match(router, method, path, &m, allow, sizeof allow);
    if (rc == OW_ROUTE_FOUND) {
        /* HEAD is answered by the GET route (router.c) */
        assert(m.route && (!strcmp(m.route->method, method) ||
                           (!strcmp(method, "HEAD") && !strcmp(m.route->method, "GET"))));
        assert(m.nparams >= 0 && m.nparams <= OW_ROUTE_MAX_PARAMS);
    } else if (rc == OW_ROUTE_NO_METHOD) {
        assert(allow[0]);
    }
    free(s);
    return 0;
}
