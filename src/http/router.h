/* router.h — matching a method and path against the route table. */
#ifndef OW_HTTP_ROUTER_H
#define OW_HTTP_ROUTER_H

#include <stddef.h>

#include "http/http.h"

#define OW_ROUTE_MAX_PARAMS 6
#define OW_ROUTE_MAX_SEGMENTS 12

typedef struct ow_router ow_router;

typedef struct ow_route_match {
    const ow_route *route;
    int nparams;
    const char *names[OW_ROUTE_MAX_PARAMS];
    size_t name_lens[OW_ROUTE_MAX_PARAMS];
    /* values point into the caller's path copy */
    char *values[OW_ROUTE_MAX_PARAMS];
} ow_route_match;

/* Compiles the patterns; fails on a malformed pattern or a duplicate route. */
int ow_router_new(const ow_route *routes, size_t n, ow_router **out, ow_err *e);
void ow_router_free(ow_router *r);

enum { OW_ROUTE_FOUND = 0, OW_ROUTE_NO_PATH = 1, OW_ROUTE_NO_METHOD = 2 };
/* path_copy is modified (split at '/').  On OW_ROUTE_NO_METHOD, allow is filled with
 * the methods that would match, comma-separated (for the Allow header). */
int ow_router_match(const ow_router *r, const char *method, char *path_copy, ow_route_match *m,
                    char *allow, size_t allow_cap);

#endif
