/* system.h — the instance itself: health, meta, first-time set-up. */
#ifndef OW_SYSTEM_SYSTEM_H
#define OW_SYSTEM_SYSTEM_H

#include <jansson.h>
#include <stddef.h>

#include "core/ctx.h"

/* Record the instance row on first init; check the region on later runs. */
int ow_system_init_instance(ow_ctx *cx);
/* Fails when the database's region differs from the configured one. */
int ow_system_check_instance(ow_ctx *cx);

/* A module that adds its figures to GET /api/v1/health's "details" under `name` (the
 * exchange's outbox): registered at start-up, so system/ includes none of them. */
typedef struct ow_health_reporter {
    const char *name;
    json_t *(*details)(ow_ctx *cx); /* a new object, or NULL when it cannot tell */
} ow_health_reporter;
void ow_system_health_follow(ow_app *app, const ow_health_reporter *r);

#endif
