/* exchange_store.h — the exchange's tables behind typed functions (decision 0003; the
 * schema is db/migrations/0024_exchange.sql): peers and their keys, the outbox, the ids of
 * applied messages, the message log and what the city keeps of its districts.  The rules
 * — what is checked, when a row is retried — stay in src/exchange/. */
#ifndef OW_STORE_EXCHANGE_STORE_H
#define OW_STORE_EXCHANGE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* ---- peers ---- */

typedef struct ow_ex_peer {
    int64_t id;
    const char *instance, *name, *role, *url, *key_id, *public_key; /* public_key: 64 hex */
    int64_t added_at, valid_to;                                     /* valid_to 0: current */
} ow_ex_peer;

/* Add a key row for a peer (or update the row with that key id: name, role, url); the
 * peer's other current keys end at valid_to_others (0: they stay current). */
int ow_ex_store_peer_put(ow_db *db, const ow_ex_peer *p, int64_t valid_to_others, ow_err *e);
/* The peer's key with key_id, valid at `at`; *found false otherwise.  Strings in a. */
int ow_ex_store_peer_key(ow_db *db, ow_arena *a, const char *instance, const char *key_id,
                         int64_t at, ow_ex_peer *out, bool *found, ow_err *e);
/* The peer's newest current key row (its URL and key); *found false for no such peer. */
int ow_ex_store_peer_current(ow_db *db, ow_arena *a, const char *instance, ow_ex_peer *out,
                             bool *found, ow_err *e);
typedef int (*ow_ex_peer_fn)(void *arg, const ow_ex_peer *p);
/* Every key row, by instance then id. */
int ow_ex_store_peers_each(ow_db *db, ow_ex_peer_fn fn, void *arg, ow_err *e);

/* ---- the outbox ---- */

typedef struct ow_ex_out {
    int64_t id;
    const char *destination, *type, *payload, *payload_hash, *last_error;
    int64_t created_at, attempts, next_at;
} ow_ex_out;

int ow_ex_store_out_put(ow_db *db, const char *destination, const char *type, const char *payload,
                        const char *payload_hash, int64_t now, int64_t *id, ow_err *e);
/* The same with the row held until next_at (an SMS in quiet hours or over its rate). */
int ow_ex_store_out_put_at(ow_db *db, const char *destination, const char *type,
                           const char *payload, const char *payload_hash, int64_t now,
                           int64_t next_at, int64_t *id, ow_err *e);
/* The instants the destination's rows went or are to go (delivered_at, else next_at) that
 * are at or after since, ascending, at most max of them (the last ones); rows given up
 * do not count. */
int ow_ex_store_out_times(ow_db *db, const char *destination, int64_t since, int64_t *out, int max,
                          int *n, ow_err *e);
/* A delivery report about the SMS row outbox_id (an "sms:" destination); *found false
 * when there is no such SMS. */
int ow_ex_store_sms_report(ow_db *db, int64_t outbox_id, const char *message_id, const char *status,
                           const char *detail, int64_t now, bool *found, ow_err *e);
typedef struct ow_ex_sms {
    int64_t id, created_at, next_at, attempts, delivered_at; /* delivered_at 0: not yet */
    const char *destination, *payload, *receipt, *last_error, *report_status,
        *report_detail; /* "" none */
    int64_t reports, failed_at;
} ow_ex_sms;
/* The SMS rows (destination "sms:…", or exactly `destination` when not NULL), newest
 * first, at most limit. */
int ow_ex_store_sms_each(ow_db *db, ow_arena *a, const char *destination, int limit,
                         int (*fn)(void *arg, const ow_ex_sms *s), void *arg, ow_err *e);
/* Destinations with undelivered rows not given up (into a, at most max). */
int ow_ex_store_out_destinations(ow_db *db, ow_arena *a, const char **out, int max, int *n,
                                 ow_err *e);
/* The destination's first `limit` undelivered rows not given up, in id order (strings
 * in a). */
int ow_ex_store_out_head(ow_db *db, ow_arena *a, const char *destination, int limit, ow_ex_out *out,
                         int *n, ow_err *e);
int ow_ex_store_out_delivered(ow_db *db, int64_t id, int64_t at, const char *receipt, ow_err *e);
/* One more failed attempt: when next_at is 0 the row is given up (failed_at = at). */
int ow_ex_store_out_failed(ow_db *db, int64_t id, int64_t at, const char *error, int64_t next_at,
                           ow_err *e);
/* An administrator retries the rows given up (all of them when id is 0). */
int ow_ex_store_out_retry(ow_db *db, int64_t id, int64_t now, int64_t *changed, ow_err *e);

typedef struct ow_ex_out_stats {
    int64_t depth, oldest_at, failing, given_up, delivered, max_attempts;
} ow_ex_out_stats;
int ow_ex_store_out_stats(ow_db *db, ow_ex_out_stats *out, ow_err *e);

/* ---- applied ids ---- */

typedef struct ow_ex_seen {
    const char *type, *payload_hash;
    int64_t sent_at, received_at;
} ow_ex_seen;
int ow_ex_store_inbox_get(ow_db *db, ow_arena *a, const char *sender, const char *message_id,
                          ow_ex_seen *out, bool *found, ow_err *e);
int ow_ex_store_inbox_put(ow_db *db, const char *sender, const char *message_id, const char *type,
                          int64_t sent_at, const char *payload_hash, int64_t now, ow_err *e);
int ow_ex_store_inbox_touch(ow_db *db, const char *sender, const char *message_id, int64_t sent_at,
                            ow_err *e);

/* ---- the message log ---- */

typedef struct ow_ex_log {
    int64_t id;
    const char *direction, *peer, *message_id, *type, *status, *reason, *payload_hash, *payload;
    int64_t at, attempts;
} ow_ex_log;
int ow_ex_store_log_put(ow_db *db, const ow_ex_log *l, ow_err *e);
typedef struct ow_ex_log_filter {
    const char *direction, *peer, *type, *status, *message_id; /* NULL or "": any */
} ow_ex_log_filter;
typedef int (*ow_ex_log_fn)(void *arg, const ow_ex_log *l);
int ow_ex_store_log_count(ow_db *db, const ow_ex_log_filter *f, int64_t *total, ow_err *e);
/* One page, newest first. */
int ow_ex_store_log_page(ow_db *db, const ow_ex_log_filter *f, int limit, int64_t offset,
                         ow_ex_log_fn fn, void *arg, ow_err *e);
/* Drop the payloads of rows older than before (retention); the rows stay. */
int ow_ex_store_log_prune(ow_db *db, int64_t before, int64_t *changed, ow_err *e);

/* ---- the city ---- */

typedef struct ow_ex_city_case {
    const char *district, *case_no, *item_code, *item_name, *applicant_type, *applicant_masked,
        *state, *result, *accepted_date, *due_date, *decided_date;
    int64_t concluded_at, updated_at;
    bool overdue;
} ow_ex_city_case;
/* Insert or update the district's case (later messages overwrite earlier fields). */
int ow_ex_store_city_case_put(ow_db *db, const ow_ex_city_case *c, ow_err *e);
/* A district's rating (a repeat keeps the first), and its rectification's state. */
int ow_ex_store_city_rating_put(ow_db *db, const char *district, int64_t rating_id,
                                const char *channel, int level, const char *case_no,
                                int64_t rated_at, ow_err *e);
/* *found false when the city has no such rating of the district. */
int ow_ex_store_city_rect_put(ow_db *db, const char *district, int64_t rating_id, const char *state,
                              bool *found, ow_err *e);
/* Whether a message of `type` whose canonical payload holds `fragment` is in the outbox
 * (the month of a stats.monthly already queued). */
int ow_ex_store_out_has(ow_db *db, const char *type, const char *fragment, bool *has, ow_err *e);
/* A district's monthly statistics (a later copy of the same month replaces it). */
int ow_ex_store_city_monthly_put(ow_db *db, const char *district, const char *month,
                                 int64_t received, int64_t accepted, int64_t concluded,
                                 const char *payload, int64_t now, ow_err *e);
typedef int (*ow_ex_monthly_fn)(void *arg, const char *district, int64_t received, int64_t accepted,
                                int64_t concluded);
/* Every district's row of `month`, by district. */
int ow_ex_store_city_monthly_each(ow_db *db, const char *month, ow_ex_monthly_fn fn, void *arg,
                                  ow_err *e);
/* A district's annual report figures (a later copy of the same year replaces them). */
int ow_ex_store_city_annual_put(ow_db *db, const char *district, int64_t year,
                                int64_t published_total, const char *payload, int64_t now,
                                ow_err *e);
typedef int (*ow_ex_annual_fn)(void *arg, const char *district, int64_t published_total);
int ow_ex_store_city_annual_each(ow_db *db, int64_t year, ow_ex_annual_fn fn, void *arg, ow_err *e);
int ow_ex_store_city_head_put(ow_db *db, const char *district, int64_t seq, const char *hash,
                              int64_t at, ow_err *e);

typedef struct ow_ex_city_row {
    const char *district;
    int64_t cases, accepted, decided, concluded, approved, overdue, open, red, yellow;
    int64_t ratings, bad_ratings, level_sum, rect_open; /* rect_open: not closed yet */
    int64_t head_seq, head_at; /* the last audit head reported, 0 when none */
} ow_ex_city_row;
typedef int (*ow_ex_city_fn)(void *arg, const ow_ex_city_row *r);
/* Per district: open cases past their due date (today as 'YYYY-MM-DD') are red, due
 * today yellow. */
int ow_ex_store_city_stats(ow_db *db, const char *today, ow_ex_city_fn fn, void *arg, ow_err *e);

/* The city's e-license index (0027_license_hub.sql). */
typedef struct ow_ex_city_license {
    const char *district, *number, *type, *issuer, *holder_kind, *holder_masked, *holder_hmac;
    const char *issued_date, *valid_until, *cert_hash, *status;
    int64_t revoked_at, updated_at;
} ow_ex_city_license;
/* Register (or re-register) a license; status valid. */
int ow_ex_store_city_license_put(ow_db *db, const ow_ex_city_license *l, ow_err *e);
/* Mark it revoked; *found false when the city never had it. */
int ow_ex_store_city_license_revoke(ow_db *db, const char *district, const char *number, int64_t at,
                                    bool *found, ow_err *e);
typedef int (*ow_ex_license_fn)(void *arg, const ow_ex_city_license *l);
/* The index, of one district ("" for all) and one holder HMAC ("" for any), by district
 * and number, at most 500 rows. */
int ow_ex_store_city_license_each(ow_db *db, const char *district, const char *holder_hmac,
                                  ow_ex_license_fn fn, void *arg, ow_err *e);

#endif
