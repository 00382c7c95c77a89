/* system.h — the instance itself: health, meta, first-time set-up. */
#ifndef OW_SYSTEM_SYSTEM_H
#define OW_SYSTEM_SYSTEM_H

#include <stddef.h>

#include "core/ctx.h"
#include "http/http.h"

/* Record the instance row on first init; check the region on later runs. */
int ow_system_init_instance(ow_ctx *cx);
/* Fails when the database's region differs from the configured one. */
int ow_system_check_instance(ow_ctx *cx);

extern const ow_route ow_system_routes[];
extern const size_t ow_system_routes_n;

#endif
