/* identity_api.h — the routes of sign-in through the identity platform (docs/api.md,
 * "Sign-in through the identity platform"). */
#ifndef OW_IDENTITY_IDENTITY_API_H
#define OW_IDENTITY_IDENTITY_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_identity_routes[];
extern const size_t ow_identity_routes_n;

#endif
