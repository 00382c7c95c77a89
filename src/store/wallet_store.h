/* wallet_store.h — the `licenses` table of the wallet module (电子证照, wallet/) behind
 * typed functions (docs/decisions/0003-store-layer.md).  wallet/wallet.c keeps validity,
 * permissions, the document register and JSON.  Dates are YYYY-MM-DD text as the table
 * stores them; text that comes back is copied into the caller's arena. */
#ifndef OW_STORE_WALLET_STORE_H
#define OW_STORE_WALLET_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* The sequence number of the next license issued in year (one more than so far). */
int ow_wallet_store_next_seq(ow_db *db, int year, int64_t *seq, ow_err *e);

typedef struct ow_license_new {
    const char *type, *number, *holder_kind, *holder_idx;
    const char *holder_enc; /* the holder's number, encrypted */
    const char *holder_masked, *holder_name;
    int64_t dept_id;
    const char *issuer;
    int64_t case_id;
    const char *case_no;
    int64_t item_id;
    const char *issued_date, *valid_until; /* valid_until NULL: long-term */
    const char *data;                      /* JSON text */
    int64_t created_at;
} ow_license_new;

/* Insert a license (its doc_code empty until ow_wallet_store_set_code). */
int ow_wallet_store_insert(ow_db *db, const ow_license_new *l, int64_t *id, ow_err *e);
int ow_wallet_store_set_code(ow_db *db, int64_t id, const char *doc_code, ow_err *e);

/* A license as stored; "" for a text not set, revoked_at 0 when not revoked. */
typedef struct ow_license_row {
    int64_t id;
    const char *type, *number, *holder_kind, *holder_idx, *holder_masked, *holder_name;
    int64_t dept_id;
    const char *issuer, *case_no;
    int64_t item_id;
    const char *issued_date, *valid_until, *data, *doc_code, *status, *revoke_reason;
    int64_t revoked_at;
} ow_license_row;

int ow_wallet_store_get(ow_db *db, ow_arena *a, int64_t id, ow_license_row *out, bool *found,
                        ow_err *e);
/* The holder's licenses (of type, or any when NULL), newest first, at most 200. */
int ow_wallet_store_each_of_holder(ow_db *db, ow_arena *a, const char *holder_idx, const char *type,
                                   int (*fn)(void *arg, const ow_license_row *r), void *arg,
                                   ow_err *e);
/* The cases license id was issued by or attached to, at most max. */
int ow_wallet_store_case_ids(ow_db *db, int64_t id, int64_t *cases, int max, int *n, ow_err *e);
/* The license issued by case_id (the newest, when several), for the city's index. */
int ow_wallet_store_of_case(ow_db *db, ow_arena *a, int64_t case_id, ow_license_row *out,
                            bool *found, ow_err *e);
int ow_wallet_store_revoke(ow_db *db, int64_t id, int64_t at_ms, const char *reason, ow_err *e);

#endif
