/* audit_store.h — the audit trail's table behind typed functions (decision 0003): the
 * chain's head, appending a row, walking every row in order (verify) and a filtered page
 * newest first (the 审计日志 screen).  The chain's rules — what is hashed, how a break
 * is named — stay in audit/audit.c. */
#ifndef OW_STORE_AUDIT_STORE_H
#define OW_STORE_AUDIT_STORE_H

#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

/* One row; the strings are borrowed (valid during the callback, or the caller's). */
typedef struct ow_audit_row {
    int64_t seq, at, actor_id; /* at: UTC ms; actor_id 0 = no account (the system) */
    const char *actor, *actor_role, *ip, *request_id, *action, *object_type, *object_id, *detail,
        *prev_hash, *hash;
} ow_audit_row;

typedef int (*ow_audit_row_fn)(void *arg, const ow_audit_row *r);

/* The last row's sequence number and hash; *seq = 0 when the trail is empty. */
int ow_audit_store_head(ow_db *db, int64_t *seq, char hash[65], ow_err *e);
int ow_audit_store_insert(ow_db *db, const ow_audit_row *r, ow_err *e);
/* Every row in sequence order; stops at and returns fn's first non-zero answer. */
int ow_audit_store_each(ow_db *db, ow_audit_row_fn fn, void *arg, ow_err *e);

/* Filters of the list; NULL or "" (and 0 for the times) means any. */
typedef struct ow_audit_filter {
    const char *actor, *object_type, *object_id, *action_prefix;
    int64_t from_ms, to_ms; /* at >= from, at < to */
} ow_audit_filter;
int ow_audit_store_count(ow_db *db, const ow_audit_filter *f, int64_t *total, ow_err *e);
/* One page of the filtered rows, newest first. */
int ow_audit_store_page(ow_db *db, const ow_audit_filter *f, int limit, int64_t offset,
                        ow_audit_row_fn fn, void *arg, ow_err *e);

#endif
