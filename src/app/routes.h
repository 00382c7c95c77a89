/* routes.h — the whole route table, gathered from every module's table. */
#ifndef OW_APP_ROUTES_H
#define OW_APP_ROUTES_H

#include <stddef.h>

#include "http/http.h"

/* A malloc'ed concatenation of every module's routes (free() it). */
ow_route *ow_app_routes(size_t *n);
/* The authentication hook of the account module (NULL before it exists). */
ow_auth_hook ow_app_auth_hook(void);

#endif
