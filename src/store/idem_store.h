/* idem_store.h — the answers kept for idempotency keys (migration 0029; docs/api.md
 * "Retrying a write").  http/server.c reads and writes them on the writer thread, inside
 * the transaction of the write they answer. */
#ifndef OW_STORE_IDEM_STORE_H
#define OW_STORE_IDEM_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

typedef struct ow_idem_row {
    const char *fingerprint; /* hex SHA-256 of the request it answered */
    int status;              /* 0: done, its answer not kept */
    const char *headers;     /* JSON object */
    const char *body;        /* JSON text, "" when none */
} ow_idem_row;

/* The kept answer of principal's key, strings in a; *found false when there is none. */
int ow_idem_store_find(ow_db *db, int64_t principal, const char *key, ow_arena *a, ow_idem_row *out,
                       bool *found, ow_err *e);
/* Keep r as the answer of principal's key, made at now_ms, and forget the answers made
 * before stale_before_ms. */
int ow_idem_store_put(ow_db *db, int64_t principal, const char *key, const ow_idem_row *r,
                      int64_t now_ms, int64_t stale_before_ms, ow_err *e);

/* Fill in the answer of a key kept as done-but-not-answered (status 0) once the request
 * that wrote it has its answer: a later retry gets that answer instead of a 409. */
int ow_idem_store_fill(ow_db *db, int64_t principal, const char *key, const ow_idem_row *r,
                       ow_err *e);

#endif
