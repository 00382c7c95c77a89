/* account_api.h — the HTTP side of the account module: its route table, gathered by
 * app/routes.c.  The domain header account/account.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_ACCOUNT_ACCOUNT_API_H
#define OW_ACCOUNT_ACCOUNT_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_account_routes[];
extern const size_t ow_account_routes_n;

/* The auth hook for the server (http.h). */
int ow_account_auth_hook(ow_req *rq, const ow_route *route);

#endif
