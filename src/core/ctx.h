/* ctx.h — the request context every domain function receives
 * (docs/architecture.md "Request context").  The CLI and the unit tests build one by
 * hand; the HTTP adapter builds one per request. */
#ifndef OW_CORE_CTX_H
#define OW_CORE_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"

typedef struct ow_db ow_db;
typedef struct ow_app ow_app;

/* Who is acting.  user_id 0 = anonymous. */
typedef struct ow_actor {
    int64_t user_id;
    int64_t session_id;
    int64_t org_id;
    char kind[16]; /* staff, citizen, enterprise */
    char role[16]; /* citizen, enterprise, agent, clerk, approver, supervisor, discloser, admin */
    char username[64];
    char name[64];
    char csrf_hash[65]; /* hash of the session's CSRF token, for the middleware */
    bool system;        /* the CLI or the seeder acting as the system itself */
} ow_actor;

typedef struct ow_ctx {
    ow_arena *arena;
    ow_db *db; /* this thread's connection: read-only, or the writer's */
    ow_actor actor;
    const ow_clock *clock;
    ow_err err;
    char request_id[24];
    char ip[48]; /* client address, for throttling and the audit trail */
    ow_app *app;
} ow_ctx;

static inline bool ow_actor_signed_in(const ow_actor *a) {
    return a->user_id > 0 || a->system;
}

#endif
