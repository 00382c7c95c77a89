/* wallet_api.h — the HTTP side of the wallet module: its route table, gathered by
 * app/routes.c.  The domain header wallet/wallet.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_WALLET_WALLET_API_H
#define OW_WALLET_WALLET_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_wallet_routes[];
extern const size_t ow_wallet_routes_n;

/* onewindow docs freeze: every license certificate registered but not frozen (issued
 * before documents were frozen) rendered as the license stands and frozen with its audit
 * row, one transaction each (as ow_notices_freeze_registered, notices_api.h). */
int ow_wallet_freeze_certificates(ow_ctx *cx, const char *base, int *frozen, int *failed);

#endif
