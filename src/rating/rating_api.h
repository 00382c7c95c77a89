/* rating_api.h — the HTTP side of the rating module: its route table, gathered by
 * app/routes.c.  The domain header rating/rating.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_RATING_RATING_API_H
#define OW_RATING_RATING_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_rating_routes[];
extern const size_t ow_rating_routes_n;

#endif
