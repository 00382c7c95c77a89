/* account_store.h — the tables of people, organisations and sessions behind typed
 * functions: `orgs`, `users` and `sessions`.  account/account.c, account_demo.c,
 * account_wallet.c and session.c keep the rules, permissions, audit rows and JSON and call
 * these (docs/decisions/0003-store-layer.md).
 *
 * Instants are UTC milliseconds; an organisation or parent 0 is none (NULL in the table).
 * Personal numbers arrive here already encrypted, with their blind index and masked form:
 * this layer never sees a key.  Rows that carry text are copied into the caller's arena or
 * live for the duration of a callback.  "found" reports whether the row exists; a missing
 * row is no error here, the domain code names it. */
#ifndef OW_STORE_ACCOUNT_STORE_H
#define OW_STORE_ACCOUNT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* ---------------- organisations ---------------- */

typedef struct ow_org_row {
    int64_t id, parent_id; /* parent 0: top level */
    const char *kind, *code, *name, *address, *phone;
    int active, children; /* children: how many organisations hang under it */
} ow_org_row;

int ow_account_store_org_kind(ow_db *db, int64_t id, char kind[16], bool *found, ow_err *e);
/* The first active organisation of kind in list order; 0 when none. */
int ow_account_store_org_first_of_kind(ow_db *db, const char *kind, int64_t *id, ow_err *e);
int ow_account_store_org_name(ow_db *db, int64_t id, ow_arena *a, const char **name, bool *found,
                              ow_err *e);
/* 0 when no organisation has that code. */
int ow_account_store_org_id_by_code(ow_db *db, const char *code, int64_t *id, ow_err *e);
/* Whether ancestor is id or one of its parents (up to 16 levels). */
int ow_account_store_org_within(ow_db *db, int64_t id, int64_t ancestor, bool *out, ow_err *e);
/* Insert an organisation; OW_ECONFLICT when its code is taken. */
int ow_account_store_org_insert(ow_db *db, int64_t parent_id, const char *kind, const char *code,
                                const char *name, const char *address, const char *phone, int sort,
                                int64_t now_ms, int64_t *id, ow_err *e);

/* What an update starts from. */
typedef struct ow_org_state {
    char kind[16], name[200];
    int64_t parent_id;
    int active;
} ow_org_state;

int ow_account_store_org_state(ow_db *db, int64_t id, ow_org_state *out, bool *found, ow_err *e);
/* Active accounts of the organisation, and its active children. */
int ow_account_store_org_active_staff(ow_db *db, int64_t id, int *n, ow_err *e);
int ow_account_store_org_active_children(ow_db *db, int64_t id, int *n, ow_err *e);
/* address and phone NULL keep what is stored. */
int ow_account_store_org_update(ow_db *db, int64_t id, const char *name, int64_t parent_id,
                                int active, const char *address, const char *phone, int64_t now_ms,
                                ow_err *e);
int ow_account_store_org_get(ow_db *db, int64_t id, ow_arena *a, ow_org_row *out, bool *found,
                             ow_err *e);
/* Organisations of kind (NULL: any) under parent_id (0: any), inactive ones too when asked,
 * ordered by kind, sort and code; stops at and returns fn's first non-zero answer. */
int ow_account_store_org_each(ow_db *db, const char *kind, int64_t parent_id, bool include_inactive,
                              int (*fn)(void *arg, const ow_org_row *r), void *arg, ow_err *e);

/* ---------------- accounts ---------------- */

/* A new account.  The personal numbers are NULL when the account has none. */
typedef struct ow_user_new {
    const char *username, *kind, *role;
    int64_t org_id;
    const char *name;
    const char *id_number_enc, *id_number_idx, *id_masked;
    const char *uscc, *legal_representative;
    const char *mobile_enc, *mobile_idx, *mobile_masked;
    const char *password_hash;
    int64_t now_ms;
} ow_user_new;

/* OW_ECONFLICT when the username, ID number, USCC or mobile is taken; the statement runs
 * guarded, so the caller may answer it and carry on. */
int ow_account_store_user_insert(ow_db *db, const ow_user_new *u, int64_t *id, ow_err *e);
/* Whether a citizen or enterprise account signs in with the mobile of this blind index. */
int ow_account_store_mobile_taken(ow_db *db, const char *mobile_idx, bool *taken, ow_err *e);
int ow_account_store_user_rename(ow_db *db, int64_t id, const char *username, ow_err *e);

typedef struct ow_user_row {
    int64_t id, org_id; /* org 0: none */
    const char *username, *name, *kind, *role;
    const char *org_name, *org_kind;              /* NULL without an organisation */
    const char *id_masked, *uscc, *mobile_masked; /* NULL when the account has none */
    const char *legal_representative;             /* "" when none */
    int active;
    int64_t created_at, locked_until;
} ow_user_row;

int ow_account_store_user_get(ow_db *db, int64_t id, ow_arena *a, ow_user_row *out, bool *found,
                              ow_err *e);
/* The encrypted ID and mobile numbers (NULL when none), copied into the arena. */
int ow_account_store_user_pii(ow_db *db, int64_t id, ow_arena *a, const char **id_number_enc,
                              const char **mobile_enc, bool *found, ow_err *e);
/* Accounts matching role and kind (NULL: any), organisation (0: any) and q (NULL: any; a
 * part of the name or username, or the USCC): how many, and one page of them by id. */
int ow_account_store_user_count(ow_db *db, const char *role, const char *kind, int64_t org_id,
                                const char *q, int64_t *total, ow_err *e);
int ow_account_store_user_each(ow_db *db, const char *role, const char *kind, int64_t org_id,
                               const char *q, int limit, int64_t offset,
                               int (*fn)(void *arg, const ow_user_row *r), void *arg, ow_err *e);

typedef struct ow_user_state {
    char kind[16], role[16], name[128];
    int64_t org_id;
    int active;
} ow_user_state;

int ow_account_store_user_state(ow_db *db, int64_t id, ow_user_state *out, bool *found, ow_err *e);
/* clear_lock: also forget failed sign-ins and a lockout. */
int ow_account_store_user_update(ow_db *db, int64_t id, int active, const char *role,
                                 int64_t org_id, const char *name, bool clear_lock, int64_t now_ms,
                                 ow_err *e);
int ow_account_store_user_exists(ow_db *db, int64_t id, bool *found, ow_err *e);
/* reset: an administrator's reset, which also clears a lockout. */
int ow_account_store_password_set(ow_db *db, int64_t id, const char *hash, bool reset,
                                  int64_t now_ms, ow_err *e);
/* The hash of an active account; found false when it is missing or disabled. */
int ow_account_store_password_hash(ow_db *db, int64_t id, char out[128], bool *found, ow_err *e);
/* The holder of a wallet: the account's kind, the blind index of its ID number and its
 * USCC ("" when none), copied into the arena; kind NULL when there is no such account. */
int ow_account_store_holder(ow_db *db, int64_t id, ow_arena *a, const char **kind,
                            const char **id_number_idx, const char **uscc, ow_err *e);

/* ---------------- signing in and sessions ---------------- */

typedef enum {
    OW_LOGIN_USERNAME,
    OW_LOGIN_ID_NUMBER_IDX,
    OW_LOGIN_USCC,
    OW_LOGIN_MOBILE_IDX /* citizens and enterprises only, the oldest account */
} ow_login_by;

typedef struct ow_login_row {
    int64_t user_id; /* 0: no such account */
    char hash[128];
    bool active;
    int64_t locked_until;
    int failed;
    char kind[16]; /* staff, citizen, enterprise */
} ow_login_row;

int ow_account_store_login_find(ow_db *db, ow_login_by by, const char *key, ow_login_row *out,
                                ow_err *e);
/* Count one more failed sign-in; answers the count. */
int ow_account_store_login_failed(ow_db *db, int64_t user_id, int *failures, ow_err *e);
int ow_account_store_lock(ow_db *db, int64_t user_id, int64_t until_ms, ow_err *e);
/* 0 when not locked or no such account. */
int ow_account_store_locked_until(ow_db *db, int64_t user_id, int64_t *until_ms, ow_err *e);
int ow_account_store_failures_reset(ow_db *db, int64_t user_id, ow_err *e);

typedef struct ow_session_new {
    const char *token_hash, *csrf_hash;
    int64_t user_id, now_ms, expires_ms;
    const char *ip, *user_agent;
} ow_session_new;

int ow_account_store_session_insert(ow_db *db, const ow_session_new *s, int64_t *id, ow_err *e);
/* Fill the actor's user id, username, name, kind, role and organisation. */
int ow_account_store_actor(ow_db *db, int64_t user_id, ow_actor *a, ow_err *e);
/* End the session if it is live. */
int ow_account_store_session_end(ow_db *db, int64_t session_id, const char *reason, int64_t now_ms,
                                 ow_err *e);
/* End every live session of the account but keep_session; ended: how many. */
int ow_account_store_session_end_all(ow_db *db, int64_t user_id, const char *reason,
                                     int64_t keep_session, int64_t now_ms, int64_t *ended,
                                     ow_err *e);
int ow_account_store_session_touch(ow_db *db, int64_t session_id, int64_t now_ms, ow_err *e);

typedef struct ow_session_row {
    int64_t id, user_id, expires_at, last_seen_at, org_id;
    char username[64], name[64], kind[16], role[16]; /* as ow_actor holds them */
    bool active;                                     /* the account's */
} ow_session_row;

/* The live (not ended) session of a token hash; found false when none. */
int ow_account_store_session_find(ow_db *db, const char *token_hash, ow_session_row *out,
                                  bool *found, ow_err *e);

#endif
