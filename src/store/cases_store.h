/* cases_store.h — the SQL of the cases module (cases/) behind typed functions
 * (docs/decisions/0003-store-layer.md): the `cases` rows, their history, pauses and the
 * queues and figures read from them.  cases/ keeps the workflow rules, permissions,
 * deadlines and JSON and decides the transactions; these functions run the statements
 * inside them.
 *
 * Dates are day numbers as the tables store them (core/workdays.h), instants UTC
 * milliseconds.  Text that comes back is copied into the caller's arena. */
#ifndef OW_STORE_CASES_STORE_H
#define OW_STORE_CASES_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"
#include "core/workdays.h"

/* A case as the workflow reads and writes it (cases/cases_int.h): texts are in the
 * caller's arena ("" when not set unless said), dates OW_DATE_NONE when not set. */
typedef struct ow_case_row {
    int64_t id;
    char case_no[32];
    int64_t item_id;
    int item_version;
    const char *item_code, *item_name, *item_type;
    int64_t dept_id;
    char applicant_kind[12];
    int64_t applicant_user_id;
    const char *applicant_idx, *applicant_name, *id_enc, *id_masked, *mobile_masked, *address;
    char channel[12];
    int64_t intake_org_id, intake_scope_id, filed_by;
    const char *title, *materials, *supplement_names;
    char state[16];
    int64_t submitted_at;
    int32_t received_date, accepted_date, clock_start, decided_date;
    bool deemed_accepted;
    int64_t concluded_at;
    int committed_days, statutory_days;
    int extended_days; /* Art. 42 extension added to the statutory limit */
    int32_t due_committed, due_statutory, due_date; /* OW_DATE_NONE when not set */
    const char *result, *delivery_method, *tracking_no;
    int64_t updated_at;
    int step_seq;            /* 1-based step of the item's procedure the case is at */
    const char *step_name;   /* "" for rows written before steps were followed */
    const char *route;       /* JSON steps with their acting orgs after a transfer, or NULL */
    const char *id_override; /* JSON {reason, by, by_name, at}: a pilot USCC accepted, or NULL */
} ow_case_row;

/* One case by id, or by case_no when it is not NULL; *found false when there is none. */
int ow_cases_store_get(ow_db *db, ow_arena *a, int64_t id, const char *case_no, ow_case_row *c,
                       bool *found, ow_err *e);
/* Write back every field a transition may change (dept_id, materials, supplement_names,
 * state, the dates and due dates, result, delivery, updated_at, extended_days, the step
 * and the route; "" delivery_method and tracking_no are stored as NULL). */
int ow_cases_store_update(ow_db *db, const ow_case_row *c, ow_err *e);

/* What a new case row holds besides the row: the applicant's numbers sealed
 * (mobile_enc NULL without a mobile number) and the filer's idempotency key (or NULL). */
typedef struct ow_case_sealed {
    const char *id_enc, *mobile_enc, *mobile_masked, *idem_key;
} ow_case_sealed;

int ow_cases_store_insert(ow_db *db, const ow_case_row *c, const ow_case_sealed *sl, int64_t *id,
                          ow_err *e);
/* The case number's sequence of a day (YYYYMMDD): 1 for the first case, counted in the
 * same statement. */
int ow_cases_store_next_no(ow_db *db, const char *day, int64_t *n, ow_err *e);
/* The case filer already filed with this idempotency key (*id 0: none) and its item. */
int ow_cases_store_find_idem(ow_db *db, int64_t filer, const char *key, int64_t *id, int64_t *item,
                             ow_err *e);
/* Record the pilot USCC the clerk accepted (JSON text). */
int ow_cases_store_set_id_override(ow_db *db, int64_t id, const char *override, ow_err *e);
/* Up to max open cases with an id above after, by id (whole rows into rows). */
int ow_cases_store_open_batch(ow_db *db, ow_arena *a, int64_t after, ow_case_row *rows, int max,
                              int *n, ow_err *e);
/* Store recomputed due dates. */
int ow_cases_store_set_due(ow_db *db, int64_t id, int32_t due_committed, int32_t due_statutory,
                           int32_t due_date, ow_err *e);

/* ======================= pauses ======================= */

/* A case's pauses in order, in the arena. */
int ow_cases_store_pauses(ow_db *db, ow_arena *a, int64_t id, ow_cal_pause **out, size_t *n,
                          ow_err *e);
/* Open a pause of kind from day. */
int ow_cases_store_pause_open(ow_db *db, int64_t id, const char *kind, int32_t day, ow_err *e);
/* End the open pause with day (not before its start). */
int ow_cases_store_pause_close(ow_db *db, int64_t id, int32_t day, ow_err *e);

/* Replace a case's material list (JSON text). */
int ow_cases_store_set_materials(ow_db *db, int64_t id, const char *materials, ow_err *e);

/* ======================= history ======================= */

/* A case_events row; texts live for the duration of the callback ("" for NULL). */
typedef struct ow_case_event_row {
    int seq;
    int64_t at;
    const char *actor_name, *actor_role, *actor_org, *action, *from_state, *to_state, *comment,
        *detail;
} ow_case_event_row;

/* A new history row (seq: one after the case's last). */
typedef struct ow_case_event_new {
    int64_t case_id, at, actor_id; /* actor_id 0: the system */
    const char *actor_name, *actor_role, *actor_org, *action, *from_state, *to_state, *comment,
        *detail;
} ow_case_event_new;

int ow_cases_store_add_event(ow_db *db, const ow_case_event_new *ev, ow_err *e);
/* Whether user_id took any action on the case. */
int ow_cases_store_acted(ow_db *db, int64_t case_id, int64_t user_id, bool *acted, ow_err *e);

/* A case's history, oldest first; fn answering non-zero stops with that answer. */
int ow_cases_store_each_event(ow_db *db, int64_t id,
                              int (*fn)(void *arg, const ow_case_event_row *r), void *arg,
                              ow_err *e);

/* ======================= queues ======================= */

/* Which cases a queue holds: an intake scope's or a department's (with the queue column's
 * value), an agent point's filings, an applicant's own, or all. */
typedef enum {
    OW_CASE_Q_SCOPE,
    OW_CASE_Q_POINT,
    OW_CASE_Q_DEPT,
    OW_CASE_Q_MINE,
    OW_CASE_Q_ALL
} ow_case_queue_kind;

typedef struct ow_case_queue_filter {
    ow_case_queue_kind kind;
    int64_t owner;            /* the scope, point, department or user (unused for all) */
    const char *queue;        /* the queue column's value, for a scope or department */
    const char *state;        /* NULL: any of the queue's */
    int64_t item_id;          /* 0: any */
    const char *channel;      /* NULL: any */
    const char *q;            /* the applicant's name or a case number's prefix; NULL: any */
    int32_t due_from, due_to; /* OW_DATE_NONE: open */
} ow_case_queue_filter;

/* How many cases the filter finds. */
int ow_cases_store_queue_total(ow_db *db, ow_arena *a, const ow_case_queue_filter *f,
                               int64_t *total, ow_err *e);
/* An unfiltered department's (kind "dept") or scope's ("scope") queue size, kept by
 * triggers (migration 0012). */
int ow_cases_store_queue_size(ow_db *db, const char *kind, int64_t org_id, const char *queue,
                              int64_t *total, ow_err *e);
/* One page of what the filter finds (by due date, or newest first for an applicant's and
 * all): the list columns of each row (no materials, delivery or contact). */
int ow_cases_store_queue_page(ow_db *db, ow_arena *a, const ow_case_queue_filter *f, int limit,
                              int64_t offset, int (*fn)(void *arg, const ow_case_row *c), void *arg,
                              ow_err *e);

/* What the last case with this applicant index said of them, for a desk filing. */
typedef struct ow_case_applicant_last {
    const char *name, *mobile_enc /* NULL: none */, *address, *case_no;
} ow_case_applicant_last;

int ow_cases_store_applicant_last(ow_db *db, ow_arena *a, const char *applicant_idx,
                                  ow_case_applicant_last *out, bool *found, ow_err *e);

#endif
