/* system.h — the instance itself: health, meta, first-time set-up. */
#ifndef OW_SYSTEM_SYSTEM_H
#define OW_SYSTEM_SYSTEM_H

#include <stddef.h>

#include "core/ctx.h"

/* Record the instance row on first init; check the region on later runs. */
int ow_system_init_instance(ow_ctx *cx);
/* Fails when the database's region differs from the configured one. */
int ow_system_check_instance(ow_ctx *cx);

#endif
