/* account.h — people, organisations, roles, sessions and sign-in (issue 4).
 *
 * Authorization lives in these functions, not in the HTTP layer: each checks
 * cx->actor's role and organisation scope before it reads or writes. */
#ifndef OW_ACCOUNT_ACCOUNT_H
#define OW_ACCOUNT_ACCOUNT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

/* ---- roles ---- */
bool ow_role_valid(const char *role);
bool ow_role_is_staff(const char *role);
const char *ow_role_name(const char *role, const char *org_kind); /* Chinese */
bool ow_actor_is(const ow_actor *a, const char *role);

/* ---- organisations ---- */
typedef struct ow_org_in {
    const char *code, *name, *kind, *address, *phone;
    int64_t parent_id; /* 0 = top level */
    int sort;
} ow_org_in;

int ow_org_create(ow_ctx *cx, const ow_org_in *in, int64_t *id);
/* Rename, move (parent_id, -1 = unchanged, 0 = top level), (de)activate (-1 = unchanged). */
int ow_org_update(ow_ctx *cx, int64_t id, const char *name, int64_t parent_id, int active,
                  const char *address, const char *phone);
int ow_org_get_json(ow_ctx *cx, int64_t id, json_t **out);
int ow_org_list_json(ow_ctx *cx, const char *kind, int64_t parent_id, bool include_inactive,
                     json_t **out);
int ow_org_kind(ow_ctx *cx, int64_t id, char kind[16]);
/* The first active organisation of that kind in list order (ow_org_list_json), 0 if none:
 * for the hot paths that need one id, not the whole list as JSON. */
int ow_org_first_of_kind(ow_ctx *cx, const char *kind, int64_t *id);
/* An organisation's name into the arena ("" and OW_ENOTFOUND when there is none): for
 * lists that show names, without building the organisation's JSON. */
int ow_org_name(ow_ctx *cx, int64_t id, const char **name);
/* True when org `id` is `ancestor` or lies under it. */
int ow_org_within(ow_ctx *cx, int64_t id, int64_t ancestor, bool *out);

/* ---- people ---- */
typedef struct ow_register_in {
    const char *kind; /* citizen | enterprise */
    const char *id_number, *uscc, *name, *legal_representative, *mobile, *password;
} ow_register_in;

/* Validate a registration (cheap checks; no hashing). Normalises numbers into norm_*. */
int ow_account_register_check(ow_ctx *cx, const ow_register_in *in, char norm_id[19],
                              char norm_mobile[12]);
/* Insert a checked registration with its password hash already computed. */
int ow_account_register_insert(ow_ctx *cx, const ow_register_in *in, const char *norm_id,
                               const char *norm_mobile, const char *pw_hash, int64_t *user_id);

typedef struct ow_staff_in {
    const char *username, *name, *role, *mobile, *password;
    int64_t org_id;
} ow_staff_in;
int ow_account_staff_check(ow_ctx *cx, const ow_staff_in *in, char norm_mobile[12]);
int ow_account_staff_insert(ow_ctx *cx, const ow_staff_in *in, const char *norm_mobile,
                            const char *pw_hash, int64_t *user_id);

/* The user as the API shows it: numbers masked. */
int ow_account_user_json(ow_ctx *cx, int64_t user_id, json_t **out);
/* Unmasked ID and mobile numbers for roles that need them; audited. */
int ow_account_user_pii(ow_ctx *cx, int64_t user_id, json_t **out);
/* The same in two halves, for callers that read on a request thread and write on the
 * writer (a submit): the read with its permission check, and its audit row, which the
 * caller must append in the transaction that uses the numbers. */
int ow_account_user_pii_read(ow_ctx *cx, int64_t user_id, json_t **out);
int ow_account_user_pii_audit(ow_ctx *cx, int64_t user_id);
/* The account's mobile number in clear for the system's own use (an SMS to its owner,
 * src/notify/): no permission check, no audit row — the number leaves only to its owner
 * through the SMS gateway.  out "" when the account has none. */
int ow_account_mobile(ow_ctx *cx, int64_t user_id, char out[12]);
/* The blind index an applicant is known by (一号申请): a citizen's ID number index, an
 * enterprise's USCC index — the same as cases and licenses store.  out = "" for staff.
 * Reads no personal data, so it is not audited (account_wallet.c, issue 7). */
int ow_account_holder_idx(ow_ctx *cx, int64_t user_id, char out[65]);
int ow_account_list_json(ow_ctx *cx, const char *role, const char *kind, int64_t org_id,
                         const char *q, int page, int per_page, json_t **items, int64_t *total);
/* Admin: enable/disable (disabling ends every session), change role and organisation. */
int ow_account_update(ow_ctx *cx, int64_t user_id, int active, const char *role, int64_t org_id,
                      const char *name);

/* ---- accounts of the identity platform (src/identity, issue 20) ---- */
/* The citizen with that ID number (kind "citizen") or the enterprise with that USCC
 * ("enterprise"), both as the provider asserted them; when there is none, a new account
 * made from the claims, with no local password (it signs in only through the provider).
 * OW_EINVAL when the number fails its check.  mobile may be NULL or one another account
 * already uses (then the new account has none).  Audited account.register_verified. */
int ow_account_holder_find_or_create(ow_ctx *cx, const char *kind, const char *number,
                                     const char *name, const char *mobile, int64_t *user_id,
                                     bool *created);
/* Whether the account exists, is active, and its kind (staff, citizen, enterprise). */
int ow_account_state(ow_ctx *cx, int64_t user_id, bool *found, bool *active, char kind[16]);

/* The active staff accounts of an organisation (not of those under it), by id: whom a
 * notification to an office goes to (src/notify). */
int ow_account_staff_each(ow_ctx *cx, int64_t org_id, int (*fn)(void *arg, int64_t user_id),
                          void *arg);

/* ---- sign-in ---- */
typedef struct ow_login_target {
    int64_t user_id;
    char hash[128];
    bool active;
    int64_t locked_until;
    int failed;
    char kind[16]; /* staff, citizen, enterprise */
} ow_login_target;

/* Find the account a sign-in name refers to: a username, an ID number, a USCC or a
 * mobile number.  user_id 0 when none. */
int ow_account_find_login(ow_ctx *cx, const char *login, ow_login_target *t);
/* After the password check (on the writer): record the failure with back-off, or open a
 * session.  token_out receives the session token for the cookie. */
int ow_account_login_failed(ow_ctx *cx, int64_t user_id, int64_t *locked_until);
int ow_session_open(ow_ctx *cx, int64_t user_id, const char *user_agent, char token_out[44]);
int ow_session_end(ow_ctx *cx, const char *reason);
int ow_session_end_all(ow_ctx *cx, int64_t user_id, const char *reason, int64_t keep_session);
/* End one session of user_id (not the actor's: the provider's back-channel logout), if
 * live; audited account.sign_out with the reason. */
int ow_session_end_id(ow_ctx *cx, int64_t session_id, int64_t user_id, const char *reason);
/* The Set-Cookie value that carries a session token (max_age_s 0 and token "" clear it):
 * for the modules that open sessions too (src/identity). */
void ow_session_cookie(const ow_ctx *cx, const char *token, int max_age_s, char out[256]);
/* The CSRF token that goes with a session token (derived, never stored). */
void ow_session_csrf(const ow_ctx *cx, const char *token, char out[44]);
/* True when got is the CSRF token of session token (constant time; NULLs are false). */
bool ow_session_csrf_ok(const ow_ctx *cx, const char *token, const char *got);
/* Resolve a session cookie into cx->actor.  OW_OK with the actor filled when the
 * session is live; OW_OK with the actor untouched when there is none, and then
 * *expired tells an ended-by-time (absolute TTL, idle timeout) or disabled account
 * from an unknown token.  Marks activity through the writer when there is one. */
int ow_session_resolve(ow_ctx *cx, const char *token, bool *expired);
/* Seconds until the account's sign-in lock ends (0 = not locked), read afresh. */
int ow_account_lock_wait_s(ow_ctx *cx, int64_t user_id, int *wait_s);
int ow_account_set_password(ow_ctx *cx, int64_t user_id, const char *pw_hash);
/* An administrator sets another account's password (a staff member or applicant who
 * forgot theirs, identity checked in person): the check (admin, the account exists, not
 * one's own), then the write, which checks again, clears a lockout, ends every session of
 * the account and is audited account.password_reset. */
int ow_account_password_reset_check(ow_ctx *cx, int64_t user_id);
int ow_account_password_reset(ow_ctx *cx, int64_t user_id, const char *pw_hash);
int ow_account_password_hash(ow_ctx *cx, int64_t user_id, char out[128]);

/* ---- per-address throttling (sign-in failures, lookups, registrations) ----
 * In memory on a single node; shared through address_throttle (store/throttle_store.h)
 * once ow_throttle_share names its kind, as main.c does on PostgreSQL, so that every node
 * counts the same failures.  The address is cx->ip. */
typedef struct ow_throttle ow_throttle;
ow_throttle *ow_throttle_new(void); /* sign-in: backoff after 20 failures in 15 minutes */
/* At most max_failures failures per window_ms from one address, then a wait until the
 * window ends (the public case-progress lookup). */
ow_throttle *ow_throttle_new_window(int max_failures, int64_t window_ms);
void ow_throttle_free(ow_throttle *t);
void ow_throttle_share(ow_throttle *t, const char *kind);
/* Seconds the address must wait, 0 when it may try. */
int ow_throttle_wait_s(ow_ctx *cx, ow_throttle *t, int64_t now_ms);
void ow_throttle_fail(ow_ctx *cx, ow_throttle *t, int64_t now_ms);
/* Window mode: the wait when the address has used up its window, else counts this
 * attempt and answers 0 — in one step, so a parallel burst cannot all pass the check
 * before any of them is counted. */
int ow_throttle_take(ow_ctx *cx, ow_throttle *t, int64_t now_ms);

/* ---- demo ---- */
int ow_account_demo_seed(ow_ctx *cx, const char *demo_dir);

#endif
