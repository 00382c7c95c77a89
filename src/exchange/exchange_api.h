/* exchange_api.h — the HTTP side of the exchange: its route table, which src/main.c adds
 * to the server's (the module is composed there, exchange.h says why). */
#ifndef OW_EXCHANGE_EXCHANGE_API_H
#define OW_EXCHANGE_EXCHANGE_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_exchange_routes[];
extern const size_t ow_exchange_routes_n;

#endif
