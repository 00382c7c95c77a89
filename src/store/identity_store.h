/* identity_store.h — the tables of sign-in through the identity platform (issue 20,
 * docs/decisions/0007-oidc.md) behind typed functions: `oidc_logins`, `identity_links`,
 * `oidc_sessions`.  src/identity/ keeps the rules and makes no statement call.
 * Instants are UTC milliseconds; strings in the structs are copies in the arena given. */
#ifndef OW_STORE_IDENTITY_STORE_H
#define OW_STORE_IDENTITY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* ---- sign-ins under way ---- */
typedef struct ow_oidc_login_row {
    const char *nonce, *verifier, *redirect_uri, *return_to;
    int64_t created_at;
} ow_oidc_login_row;

int ow_identity_store_login_insert(ow_db *db, const char *state_hash, const char *nonce,
                                   const char *verifier, const char *redirect_uri,
                                   const char *return_to, int64_t now_ms, ow_err *e);
/* Take the sign-in of that state once: found false when there is none, used true when an
 * earlier callback already took it (nothing is changed then). */
int ow_identity_store_login_take(ow_db *db, const char *state_hash, int64_t now_ms, ow_arena *a,
                                 ow_oidc_login_row *out, bool *found, bool *used, ow_err *e);
/* Forget sign-ins begun before `before` that nobody finished (and those finished, whose
 * state is spent): the table holds minutes of them, not years. */
int ow_identity_store_login_purge(ow_db *db, int64_t before_ms, ow_err *e);

/* ---- provider identities bound to accounts ---- */
typedef struct ow_identity_link_row {
    int64_t id, user_id, created_by, created_at, last_sign_in_at;
    const char *issuer, *subject, *level;
    const char *username, *name; /* the account's (ow_identity_store_staff_links only) */
} ow_identity_link_row;

/* found false when (issuer, subject) signs into no account yet. */
int ow_identity_store_link_find(ow_db *db, const char *issuer, const char *subject, ow_arena *a,
                                ow_identity_link_row *out, bool *found, ow_err *e);
/* OW_ECONFLICT when (issuer, subject) is bound already. */
int ow_identity_store_link_insert(ow_db *db, const char *issuer, const char *subject,
                                  int64_t user_id, int64_t created_by, int64_t now_ms, int64_t *id,
                                  ow_err *e);
int ow_identity_store_link_signed_in(ow_db *db, int64_t id, const char *level, int64_t now_ms,
                                     ow_err *e);
/* Every identity bound to an account, oldest first; the callback's row is borrowed. */
typedef int (*ow_identity_link_cb)(void *arg, const ow_identity_link_row *row);
int ow_identity_store_links_of(ow_db *db, int64_t user_id, ow_arena *a, ow_identity_link_cb cb,
                               void *arg, ow_err *e);
/* Every identity bound to a staff account, with the account's username and name, by
 * username then id (the administrators' list). */
int ow_identity_store_staff_links(ow_db *db, ow_arena *a, ow_identity_link_cb cb, void *arg,
                                  ow_err *e);
/* found false when the link is not the account's. Sessions opened through it keep their row. */
int ow_identity_store_link_delete(ow_db *db, int64_t user_id, int64_t id, bool *found, ow_err *e);

/* ---- sessions opened through the provider ---- */
/* sid: the provider's session id from the ID token ("" when it sent none). */
int ow_identity_store_session_insert(ow_db *db, int64_t session_id, int64_t link_id,
                                     const char *id_token, const char *level, const char *sid,
                                     ow_err *e);
/* The live sessions opened through issuer's identity sub (unless "") and under its session
 * sid (unless ""): at most max of them into ids/users; *n how many. */
int ow_identity_store_logout_sessions(ow_db *db, const char *issuer, const char *sub,
                                      const char *sid, int64_t *ids, int64_t *users, int max,
                                      int *n, ow_err *e);
/* Take a logout token's jti once: *fresh false when it was taken before.  Forgets those
 * received before purge_before_ms. */
int ow_identity_store_logout_jti(ow_db *db, const char *jti, const char *issuer, int64_t now_ms,
                                 int64_t purge_before_ms, bool *fresh, ow_err *e);
/* The provider identity and level a session came with; found false for a password's. */
int ow_identity_store_session_identity(ow_db *db, int64_t session_id, ow_arena *a,
                                       const char **issuer, const char **subject,
                                       const char **level, bool *found, ow_err *e);
/* The ID token a session came with; NULL when the session was opened with a password. */
int ow_identity_store_session_token(ow_db *db, int64_t session_id, ow_arena *a,
                                    const char **id_token, ow_err *e);

#endif
