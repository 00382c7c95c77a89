/* request_store.h — the SQL of government information disclosure requests (依申请公开,
 * disclosure/request.c) behind typed functions (docs/decisions/0003-store-layer.md): the
 * request row and the columns each step of its workflow writes, its pauses, timeline,
 * notices, reviews (复议, 诉讼) and the sealed personal data.  The stored papers are read
 * through disclosure_store.h.  Dates are day numbers (core/workdays.h; OW_DATE_NONE for
 * none), stored as YYYY-MM-DD text; instants UTC ms; a user id 0 is the system (NULL in
 * the table).  Strings come back in the caller's arena unless a callback's comment says
 * they are borrowed.  The transactions are the domain's. */
#ifndef OW_STORE_REQUEST_STORE_H
#define OW_STORE_REQUEST_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* A request as its workflow reads it, with its agency's name and phone. */
typedef struct ow_req_row {
    int64_t id, org_id, user_id; /* user 0: filed on paper, no account */
    const char *number, *state, *channel, *applicant_type, *delivery, *applicant_name, *content,
        *org_name, *org_phone;
    const char *id_idx, *uscc, *outcome; /* NULL: none */
    int32_t received, clock_start, due, supplement_asked, supplement_due, supplement_received,
        fee_due, concluded;
    bool extended;
    int64_t fee_yuan;
} ow_req_row;

/* *found false when there is no such request. */
int ow_req_store_get(ow_db *db, int64_t id, ow_arena *a, ow_req_row *out, bool *found, ow_err *e);

/* The open requests (processing, supplement, consulting, fee) by id, with their due date;
 * fn's non-zero answer stops the walk. */
int ow_req_store_open(ow_db *db, int (*fn)(void *arg, int64_t id, int32_t due), void *arg,
                      ow_err *e);

/* A new request (filing).  received OW_DATE_NONE: an online request not yet confirmed
 * (state submitted); otherwise processing, its time limit counting from received.
 * user_id 0: no account; the sealed and masked identity fields NULL when not given. */
typedef struct ow_req_new {
    const char *number, *channel, *applicant_type, *applicant_name;
    int64_t org_id, user_id;
    const char *id_number_enc, *id_number_idx, *id_masked, *uscc;
    const char *contact_name, *mobile_enc, *mobile_idx, *mobile_masked, *address, *email;
    const char *content, *purpose, *delivery;
    bool post_signed;
    int32_t received;
} ow_req_new;

int ow_req_store_insert(ow_db *db, const ow_req_new *n, int64_t now_ms, int64_t *id, ow_err *e);
/* How many request numbers start with prefix (the day's sequence so far). */
int ow_req_store_count_numbered(ow_db *db, const char *prefix, int *n, ow_err *e);
/* How many requests there are at all (the demo data loads into a database without any). */
int ow_req_store_count_all(ow_db *db, int64_t *n, ow_err *e);

/* A request as lists show it; strings borrowed for the call. */
typedef struct ow_req_item {
    int64_t id, org_id, user_id, submitted_at;
    const char *number, *org_name, *channel, *applicant_type, *applicant_name, *content, *state;
    const char *outcome; /* NULL: none */
    int32_t received, due, concluded;
    bool extended;
} ow_req_item;

/* Requests of org (0: any) and of user (0: any) in state (NULL: any; "open": not
 * concluded), whose number, applicant or content contains q_escaped (a LIKE text with
 * its wildcards escaped by ow_like_escape; NULL: any), open ones first by due date, then
 * newest first; fn's non-zero answer stops the walk and is returned. */
int ow_req_store_list(ow_db *db, int64_t org_id, int64_t user_id, const char *state,
                      const char *q_escaped, int (*fn)(void *arg, const ow_req_item *it), void *arg,
                      ow_err *e);
/* The requests being processed with a due date, of org (0: any), earliest due first;
 * fn's non-zero answer stops the walk and is returned. */
int ow_req_store_running(ow_db *db, int64_t org_id, int (*fn)(void *arg, const ow_req_item *it),
                         void *arg, ow_err *e);

/* Everything a request's page shows besides its lists (arena strings; NULL: none). */
typedef struct ow_req_detail {
    ow_req_item item;
    const char *id_masked, *uscc, *contact_name, *mobile_masked, *address, *email, *purpose,
        *delivery;
    int32_t supplement_asked, supplement_due, supplement_received;
    const char *supplement_items, *supplement_text;
    const char *extension_approver, *extension_reason; /* approver NULL: not extended */
    int32_t extension_date;
    const char *fee_method; /* NULL: no fee notice */
    int64_t fee_units, fee_yuan;
    int32_t fee_notice_date, fee_due, fee_paid;
    const char *outcome_reason, *outcome_detail; /* detail: JSON text */
    int32_t clock_start;
} ow_req_detail;

int ow_req_store_detail(ow_db *db, int64_t id, ow_arena *a, ow_req_detail *out, bool *found,
                        ow_err *e);

/* ---------------- the columns the workflow writes ---------------- */

/* The state and due date a transition leaves. */
int ow_req_store_set_state(ow_db *db, int64_t id, const char *state, int32_t due, int64_t now_ms,
                           ow_err *e);

int ow_req_store_set_due(ow_db *db, int64_t id, int32_t due, ow_err *e);
/* Received on day: the time limit counts from it. */
int ow_req_store_set_received(ow_db *db, int64_t id, int32_t day, ow_err *e);
int ow_req_store_ask_supplement(ow_db *db, int64_t id, int32_t asked, const char *items,
                                int32_t due, ow_err *e);
/* The supplement came on day: the time limit counts again from it. */
int ow_req_store_supplement_received(ow_db *db, int64_t id, int32_t day, const char *text,
                                     ow_err *e);
int ow_req_store_conclude(ow_db *db, int64_t id, const char *outcome, const char *reason,
                          const char *detail, int32_t day, ow_err *e);
int ow_req_store_extend(ow_db *db, int64_t id, const char *approver, const char *reason,
                        int32_t day, ow_err *e);
int ow_req_store_fee_notice(ow_db *db, int64_t id, const char *method, int64_t units, int64_t yuan,
                            int32_t day, int32_t due, ow_err *e);
int ow_req_store_fee_paid(ow_db *db, int64_t id, int32_t day, ow_err *e);

/* How many requests of the same applicant (id_idx or uscc, NULL: not that one) org had
 * received in the natural month of `received`, up to and including request id. */
int ow_req_store_month_rank(ow_db *db, int64_t org_id, const char *id_idx, const char *uscc,
                            int32_t received, int64_t id, int *rank, ow_err *e);

/* ---------------- pauses (time not counted) ---------------- */

/* The request's pauses by start date (end OW_DATE_NONE while open); strings borrowed. */
int ow_req_store_pauses(ow_db *db, int64_t id,
                        int (*fn)(void *arg, const char *kind, int32_t start, int32_t end,
                                  const char *party),
                        void *arg, ow_err *e);
int ow_req_store_pause_add(ow_db *db, int64_t id, const char *kind, int32_t start,
                           const char *party, const char *note, ow_err *e);
/* Close the open pauses whose kind is a word of `kinds` (space separated) on day. */
int ow_req_store_pauses_end(ow_db *db, int64_t id, const char *kinds, int32_t day, ow_err *e);

typedef struct ow_req_notice {
    int64_t id;
    const char *kind, *title, *number, *verify_code;
    const char *payload;         /* the JSON the PDF is drawn from */
    const char *delivery_method; /* NULL: not delivered */
    int32_t issued, delivered;
} ow_req_notice;

/* A notice issued on day (payload, delivery unset). */
int ow_req_store_notice_add(ow_db *db, int64_t id, const ow_req_notice *n, int64_t now_ms,
                            int64_t *notice_id, ow_err *e);
/* Record a notice's delivery; *found false when the request has no such notice. */
int ow_req_store_notice_delivered(ow_db *db, int64_t id, int64_t notice_id, int32_t day,
                                  const char *method, bool *found, ow_err *e);
/* The notices in order, without their payload; strings borrowed. */
int ow_req_store_notices(ow_db *db, int64_t id, void (*fn)(void *arg, const ow_req_notice *n),
                         void *arg, ow_err *e);
/* One notice with its payload; *found false when the request has no such notice. */
int ow_req_store_notice(ow_db *db, int64_t id, int64_t notice_id, ow_arena *a, ow_req_notice *out,
                        bool *found, ow_err *e);

/* ---------------- reconsideration and litigation ---------------- */

typedef struct ow_req_review {
    int64_t id;
    const char *kind, *filed_date, *body, *result, *decided_date, *note; /* dates YYYY-MM-DD */
} ow_req_review;

int ow_req_store_review_add(ow_db *db, int64_t id, const ow_req_review *v, int64_t now_ms,
                            int64_t *review_id, ow_err *e);
/* NULL members keep what is stored; *found false when the request has no such review. */
int ow_req_store_review_update(ow_db *db, int64_t id, const ow_req_review *v, int64_t now_ms,
                               bool *found, ow_err *e);
/* The reviews in order; strings borrowed. */
int ow_req_store_reviews(ow_db *db, int64_t id, void (*fn)(void *arg, const ow_req_review *v),
                         void *arg, ow_err *e);

/* A paper of the request (a scanned letter, an envelope) whose content is in the file
 * store. */
int ow_req_store_paper_add(ow_db *db, int64_t id, const char *label, const char *sha256,
                           const char *filename, const char *content_type, int64_t size,
                           int64_t by_user, int64_t now_ms, int64_t *paper_id, ow_err *e);

/* The sealed identity number (NULL: none) and mobile, as stored (core/crypto.h). */
int ow_req_store_pii(ow_db *db, int64_t id, ow_arena *a, const char **id_number_enc,
                     const char **mobile_enc, ow_err *e);

#endif
