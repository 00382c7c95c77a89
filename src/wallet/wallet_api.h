/* wallet_api.h — the HTTP side of the wallet module: its route table, gathered by
 * app/routes.c.  The domain header wallet/wallet.h knows nothing of HTTP
 * (docs/architecture.md, "Modules"). */
#ifndef OW_WALLET_WALLET_API_H
#define OW_WALLET_WALLET_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_wallet_routes[];
extern const size_t ow_wallet_routes_n;

#endif
