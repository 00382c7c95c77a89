/* notify_api.h — the routes of the message center and the templates (docs/api.md,
 * "Notifications"). */
#ifndef OW_NOTIFY_NOTIFY_API_H
#define OW_NOTIFY_NOTIFY_API_H

#include <stddef.h>

#include "http/http.h"

extern const ow_route ow_notify_routes[];
extern const size_t ow_notify_routes_n;

#endif
