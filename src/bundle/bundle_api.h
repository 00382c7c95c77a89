/* bundle_api.h — the HTTP side of one-thing bundles: its route table, appended by
 * src/main.c to the others (the module sits above cases, catalog, wallet and rating; app/
 * does not include it). */
#ifndef OW_BUNDLE_BUNDLE_API_H
#define OW_BUNDLE_BUNDLE_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_bundle_routes[];
extern const size_t ow_bundle_routes_n;

#endif
