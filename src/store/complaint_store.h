/* complaint_store.h — 投诉与建议's tables behind typed functions: `complaints` and their
 * `complaint_events`.  complaint/complaint.c keeps the rules, permissions, deadlines, audit
 * rows and JSON and calls these (docs/decisions/0003-store-layer.md).
 *
 * Dates are day numbers as the table stores them (core/workdays.h), instants UTC
 * milliseconds, an organisation 0 none (NULL in the table).  The mobile number arrives
 * already encrypted, with its blind index and masked form.  Rows that carry text are
 * copied into the caller's arena or live for the duration of a callback. */
#ifndef OW_STORE_COMPLAINT_STORE_H
#define OW_STORE_COMPLAINT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* Append an event to a complaint's history (seq: one after its last). */
int ow_complaint_store_event(ow_db *db, int64_t id, int64_t at_ms, const char *actor,
                             const char *action, const char *note, ow_err *e);
/* The kind of an active organisation; "" when there is none. */
int ow_complaint_store_active_org_kind(ow_db *db, int64_t org_id, char kind[16], ow_err *e);
/* How many complaints were filed on day (numbering the next one). */
int ow_complaint_store_count_filed(ow_db *db, int32_t day, int *n, ow_err *e);

typedef struct ow_complaint_new {
    const char *ref_no, *kind, *subject;
    int64_t case_id; /* 0: none */
    const char *case_no;
    int64_t about_org_id, assigned_org_id, user_id; /* 0: none */
    const char *title, *content;
    bool anonymous;
    const char *contact_name;
    const char *mobile_enc, *mobile_idx; /* NULL: no mobile */
    const char *mobile_masked, *query_hash, *state;
    int64_t filed_at;
    int32_t filed_date, due_date;
} ow_complaint_new;

int ow_complaint_store_insert(ow_db *db, const ow_complaint_new *c, int64_t *id, ow_err *e);

/* What the rules look at. */
typedef struct ow_complaint_state {
    int64_t id, assigned_org_id, user_id; /* 0: none */
    char state[16];
    int32_t due_date;
    char query_hash[65];
} ow_complaint_state;

int ow_complaint_store_state(ow_db *db, int64_t id, ow_complaint_state *out, bool *found,
                             ow_err *e);
int ow_complaint_store_assign(ow_db *db, int64_t id, int64_t org_id, int64_t now_ms, ow_err *e);
/* late: answered after the due date (it is also late once escalated). */
int ow_complaint_store_answer(ow_db *db, int64_t id, const char *answer, const char *by,
                              int64_t now_ms, int32_t today, bool late, ow_err *e);
int ow_complaint_store_rate(ow_db *db, int64_t id, int satisfaction, const char *feedback,
                            int64_t now_ms, ow_err *e);
/* Open complaints due before today, by id. */
int ow_complaint_store_each_overdue(ow_db *db, int32_t today, int (*fn)(void *arg, int64_t id),
                                    void *arg, ow_err *e);
/* Raise one level, with a new due date. */
int ow_complaint_store_escalate(ow_db *db, int64_t id, int32_t due, int64_t now_ms, ow_err *e);
/* Every open complaint: filed on, escalated at (escalated false: never), due. */
int ow_complaint_store_each_open(ow_db *db,
                                 int (*fn)(void *arg, int64_t id, int32_t filed_date,
                                           bool escalated, int64_t escalated_at, int32_t due),
                                 void *arg, ow_err *e);
int ow_complaint_store_set_due(ow_db *db, int64_t id, int32_t due, ow_err *e);

typedef struct ow_complaint_row {
    int64_t id;
    const char *ref_no, *kind, *subject, *case_no;
    int64_t about_org_id, assigned_org_id, user_id; /* 0: none */
    const char *about_org_name, *assigned_org_name; /* "" when none */
    const char *title, *content;
    bool anonymous;
    const char *contact_name, *mobile_masked, *state;
    int64_t filed_at;
    int32_t due_date;
    bool has_due_date;
    int escalation;
    bool escalated, answered; /* escalated_at and answered_at are set */
    int64_t escalated_at, answered_at;
    const char *answer, *answered_by, *feedback; /* NULL when not (yet) given */
    int answered_late;
    int satisfaction; /* 0: not rated */
} ow_complaint_row;

int ow_complaint_store_get(ow_db *db, int64_t id, ow_arena *a, ow_complaint_row *out, bool *found,
                           ow_err *e);
/* A complaint's history in order. */
int ow_complaint_store_each_event(ow_db *db, int64_t id,
                                  int (*fn)(void *arg, int64_t at_ms, const char *actor,
                                            const char *action, const char *note),
                                  void *arg, ow_err *e);
/* 0 when no complaint has that number. */
int ow_complaint_store_id_by_ref(ow_db *db, const char *ref_no, int64_t *id, ow_err *e);

/* What a list shows: filed by user_id (0: anybody's), assigned to scope or its children
 * (0: anywhere), in state (NULL: any; "open": submitted or assigned), only the overdue
 * (past today) or only the escalated ones. */
typedef struct ow_complaint_filter {
    int64_t user_id, scope;
    const char *state;
    bool overdue, escalated;
    int32_t today;
} ow_complaint_filter;

int ow_complaint_store_count(ow_db *db, const ow_complaint_filter *f, int64_t *total, ow_err *e);
/* One page: escalated first, open before answered, by due date, newest first. */
int ow_complaint_store_each(ow_db *db, const ow_complaint_filter *f, int limit, int64_t offset,
                            int (*fn)(void *arg, const ow_complaint_row *r), void *arg, ow_err *e);

#endif
