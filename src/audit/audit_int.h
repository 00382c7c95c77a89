/* audit_int.h — shared by audit.c and anchor.c only. */
#ifndef OW_AUDIT_AUDIT_INT_H
#define OW_AUDIT_AUDIT_INT_H

#include "audit/audit.h"

/* ow_audit_verify, and when anchor_seq > 0, the row anchor_seq must have anchor_hash
 * (bad_seq names it otherwise). */
int ow_audit_verify_until(ow_db *db, const ow_crypto_keys *keys, int64_t anchor_seq,
                          const char *anchor_hash, ow_audit_report *out, ow_err *e);

#endif
