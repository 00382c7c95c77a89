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
#include <stdbool.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/ctx.h"

/* Append a row for an action of cx->actor.  detail (borrowed, may be NULL) must not
 * hold personal data in clear: mask it or leave it out.  object_id may be NULL. */
int ow_audit_append(ow_ctx *cx, const char *action, const char *object_type, const char *object_id,
                    const json_t *detail);

/* The trail's head: the last row's number and hash (*seq = 0 and 64 zeros when empty). */
int ow_audit_head(ow_db *db, int64_t *seq, char hash[65], ow_err *e);

typedef struct ow_audit_report {
    int64_t rows;       /* rows checked */
    int64_t bad_seq;    /* first row whose link or hash is wrong, 0 if none */
    char why[200];      /* what is wrong with it */
    int64_t head_seq;   /* the last row checked and its hash: record them elsewhere */
    char head_hash[65]; /* (a printout, another system) to detect a cut-off tail later */
    /* with an anchor (ow_audit_verify_anchored): the head it recorded, 0 without one, and
     * the rows it proves were cut from the tail (missing_from..missing_to, 0 when none) */
    int64_t anchor_seq, anchor_at;
    int64_t missing_from, missing_to;
} ow_audit_report;

/* Re-walk the whole chain.  OW_OK with bad_seq = 0 when intact. */
int ow_audit_verify(ow_db *db, const ow_crypto_keys *keys, ow_audit_report *out, ow_err *e);

/* ---- the anchor: the chain's head kept outside the database (docs/exchange.md) ----
 *
 * A chain cut at its tail is still a valid chain; only a copy of the head kept
 * elsewhere shows the cut.  The anchor file (OW_AUDIT_ANCHOR_FILE in the data
 * directory) is append-only: one JSON line per anchor, {"seq","hash","at","mac"}, the
 * mac a BLAKE2b MAC with the audit key over the other three, so nobody without the
 * secret key can add a head of their own. */
#define OW_AUDIT_ANCHOR_FILE "audit-anchor.log"

typedef struct ow_audit_anchor {
    int64_t seq, at; /* the head's sequence number (0: empty trail); when anchored, UTC ms */
    char hash[65];
} ow_audit_anchor;

/* Append the trail's current head (read through db) to the anchor file at path, with
 * the time now_ms, and fsync it; nothing is written when the last anchor already names
 * this head (*written false).  OW_EIO when the file cannot be written, OW_EINVAL (field
 * "audit_anchor") when its existing lines do not verify. */
int ow_audit_anchor_write(ow_db *db, const ow_crypto_keys *keys, const char *path, int64_t now_ms,
                          ow_audit_anchor *out, bool *written, ow_err *e);
/* The anchor with the highest sequence number in the file; *found false when the file
 * does not exist or is empty.  OW_EINVAL (field "audit_anchor") names the first line
 * that is not an anchor or whose MAC does not verify. */
int ow_audit_anchor_last(const char *path, const ow_crypto_keys *keys, ow_audit_anchor *out,
                         bool *found, ow_err *e);
/* ow_audit_verify, then the chain against the last anchor in anchor_path (NULL or a
 * missing file: no anchor): the anchored row must exist with the anchored hash.  Rows
 * cut from the tail are named in missing_from..missing_to and bad_seq = missing_from;
 * a row with another hash than anchored is bad_seq. */
int ow_audit_verify_anchored(ow_db *db, const ow_crypto_keys *keys, const char *anchor_path,
                             ow_audit_report *out, ow_err *e);

/* The server's anchor thread: an anchor when it starts, every interval_s and when it
 * stops, through its own read connection (so only committed rows are anchored). */
typedef struct ow_audit_anchorer ow_audit_anchorer;
int ow_audit_anchorer_start(ow_app *app, int interval_s, ow_audit_anchorer **out, ow_err *e);
void ow_audit_anchorer_stop(ow_audit_anchorer *t);

#endif
