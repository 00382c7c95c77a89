/* audit.h — the append-only, hash-chained audit trail (docs/architecture.md "Security", issue 4).
 *
 * Every state change writes one row here in the same transaction as the
 * change itself (so on the writer connection).  Each row's hash is a keyed
 * BLAKE2b over its fields and the previous row's hash: editing, deleting or
 * reordering a row breaks the chain at that row, and without the secret key
 * nobody can forge a consistent new chain. */
#ifndef OW_AUDIT_AUDIT_H
#define OW_AUDIT_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/ctx.h"

/* Append a row for an action of cx->actor.  detail (borrowed, may be NULL) must not
 * hold personal data in clear: mask it or leave it out.  object_id may be NULL. */
int ow_audit_append(ow_ctx *cx, const char *action, const char *object_type, const char *object_id,
                    const json_t *detail);

typedef struct ow_audit_report {
    int64_t rows;       /* rows checked */
    int64_t bad_seq;    /* first row whose link or hash is wrong, 0 if none */
    char why[200];      /* what is wrong with it */
    int64_t head_seq;   /* the last row checked and its hash: record them elsewhere */
    char head_hash[65]; /* (a printout, another system) to detect a cut-off tail later */
} ow_audit_report;

/* Re-walk the whole chain.  OW_OK with bad_seq = 0 when intact. */
int ow_audit_verify(ow_db *db, const ow_crypto_keys *keys, ow_audit_report *out, ow_err *e);

#endif
