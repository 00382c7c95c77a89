/* rating_store.h — 好差评's tables behind typed functions: `ratings`, the window
 * `service_sessions` the kiosk rates, and the `rectifications` a bad rating opens.
 * rating/rating.c keeps the rules, permissions, deadlines, audit rows and JSON and calls
 * these (docs/decisions/0003-store-layer.md).
 *
 * Dates are day numbers as the tables store them (core/workdays.h; OW_DATE_NONE for
 * NULL), instants UTC milliseconds, an id 0 none (NULL in the table).  Rows that carry
 * text are copied into the caller's arena or live for the duration of a callback. */
#ifndef OW_STORE_RATING_STORE_H
#define OW_STORE_RATING_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* ---------------- ratings ---------------- */

typedef struct ow_rating_new {
    const char *channel;
    int64_t case_id, service_id, org_id; /* 0: none */
    int64_t dept_id;
    int64_t staff_id, user_id; /* 0: none */
    const char *case_no, *topic, *comment;
    const char *tags; /* a JSON array */
    int level;
    int64_t at_ms;
    int32_t rated_date;
} ow_rating_new;

/* OW_ECONFLICT, with e untouched, when the service or case was rated already. */
int ow_rating_store_insert(ow_db *db, const ow_rating_new *r, int64_t *id, ow_err *e);
int ow_rating_store_void(ow_db *db, int64_t rating_id, ow_err *e);

typedef struct ow_rating_row {
    int64_t id, case_id, service_id, org_id, dept_id, staff_id, user_id; /* 0: none */
    const char *channel, *case_no, *topic, *org_name, *dept_name, *comment, *tags;
    int level, is_void;
    int64_t created_at;
    int64_t rectification_id; /* 0: none */
} ow_rating_row;

/* The rating of a case given online (not at the kiosk). */
int ow_rating_store_of_case(ow_db *db, int64_t case_id, ow_arena *a, ow_rating_row *out,
                            bool *found, ow_err *e);
int ow_rating_store_get(ow_db *db, int64_t id, ow_arena *a, ow_rating_row *out, bool *found,
                        ow_err *e);

/* Given by user_id (0: anybody), about scope or its children (0: anywhere), on channel
 * (NULL: any), of level (0: any) or only the bad ones, about org_id (0: any), rated between
 * from and to (OW_DATE_NONE: open). */
typedef struct ow_rating_filter {
    int64_t user_id, scope;
    const char *channel;
    int level;
    bool bad_only;
    int64_t org_id;
    int32_t from, to;
} ow_rating_filter;

int ow_rating_store_count(ow_db *db, const ow_rating_filter *f, int64_t *total, ow_err *e);
/* One page, newest first. */
int ow_rating_store_each(ow_db *db, const ow_rating_filter *f, int limit, int64_t offset,
                         int (*fn)(void *arg, const ow_rating_row *r), void *arg, ow_err *e);

/* ---------------- window services ---------------- */

/* End the window's open services. */
int ow_rating_store_services_end(ow_db *db, int64_t window_id, int64_t now_ms, ow_err *e);
int ow_rating_store_service_insert(ow_db *db, int64_t window_id, int64_t clerk_id,
                                   const char *clerk_name, int64_t case_id, const char *case_no,
                                   const char *topic, int64_t at_ms, int64_t *id, ow_err *e);
/* A service's window and state; found false when there is none or it cannot be read. */
int ow_rating_store_service_state(ow_db *db, int64_t id, int64_t *window_id, char state[16],
                                  bool *found, ow_err *e);
/* End the service if it is open. */
int ow_rating_store_service_end(ow_db *db, int64_t id, int64_t now_ms, ow_err *e);
/* Mark the service rated. */
int ow_rating_store_service_rated(ow_db *db, int64_t id, int64_t at_ms, ow_err *e);

typedef struct ow_service_row {
    int64_t id;
    const char *clerk_name, *topic, *case_no;
    int64_t started_at;
} ow_service_row;

/* The window's newest open service started at or after since_ms. */
int ow_rating_store_open_service(ow_db *db, int64_t window_id, int64_t since_ms, ow_arena *a,
                                 ow_service_row *out, bool *found, ow_err *e);
/* Who served, the case and topic of a service, for its rating (text in the arena). */
int ow_rating_store_service_for_rating(ow_db *db, int64_t id, ow_arena *a, int64_t *clerk_id,
                                       int64_t *case_id, const char **case_no, const char **topic,
                                       ow_err *e);
/* The window's ten newest services, with their rating's level (0: not rated). */
int ow_rating_store_each_recent_service(ow_db *db, int64_t window_id,
                                        int (*fn)(void *arg, int64_t id, const char *topic,
                                                  const char *case_no, const char *state,
                                                  int64_t started_at, int level),
                                        void *arg, ow_err *e);
/* The code and name of an organisation; found false when none (or unreadable). */
int ow_rating_store_org_code_name(ow_db *db, int64_t id, ow_arena *a, const char **code,
                                  const char **name, bool *found, ow_err *e);
/* Active windows and township centers by code, at most max. */
int ow_rating_store_kiosk_orgs(ow_db *db, int64_t *ids, int max, int *n, ow_err *e);

/* ---------------- rectifications ---------------- */

int ow_rating_store_rect_insert(ow_db *db, int64_t rating_id, int64_t org_id, int64_t at_ms,
                                int32_t opened, int32_t due, int64_t *id, ow_err *e);
/* The rectification a rating opened; an error when there is none. */
int ow_rating_store_rect_of_rating(ow_db *db, int64_t rating_id, int64_t *id, ow_err *e);

typedef struct ow_rect_row {
    int64_t id, rating_id, org_id;
    const char *org_name, *state;
    int32_t opened_date, due_date, ledger_due; /* OW_DATE_NONE: none */
    bool has_opened_date, has_due_date;
    bool visited, closed; /* visit_at, closed_at are set */
    int64_t visit_at, closed_at;
    const char *visit_by, *visit_note, *outcome, *outcome_note, *appeal_result, *appeal_note,
        *closing_note; /* NULL when not (yet) given */
    int closed_late, published;
    /* the rating */
    int level, is_void;
    const char *comment, *tags, *topic, *case_no, *channel;
    int64_t rated_at;
} ow_rect_row;

int ow_rating_store_rect_get(ow_db *db, int64_t id, ow_arena *a, ow_rect_row *out, bool *found,
                             ow_err *e);
int ow_rating_store_rect_org(ow_db *db, int64_t id, int64_t *org_id, bool *found, ow_err *e);

/* Of scope or its children (0: anywhere), in state (NULL: any; "active": not closed),
 * only those overdue on today. */
typedef struct ow_rect_filter {
    int64_t scope;
    const char *state;
    bool overdue;
    int32_t today;
} ow_rect_filter;

int ow_rating_store_rect_count(ow_db *db, const ow_rect_filter *f, int64_t *total, ow_err *e);
/* One page: open before closed, by due date. */
int ow_rating_store_rect_each(ow_db *db, const ow_rect_filter *f, int limit, int64_t offset,
                              int (*fn)(void *arg, const ow_rect_row *r), void *arg, ow_err *e);

/* The published ones, newest closed first. */
int ow_rating_store_public_count(ow_db *db, int64_t *total, ow_err *e);
int ow_rating_store_public_each(ow_db *db, int limit, int64_t offset,
                                int (*fn)(void *arg, int64_t id, const char *org_name,
                                          const char *topic, int level, const char *outcome,
                                          const char *outcome_note, bool closed, int64_t closed_at),
                                void *arg, ow_err *e);

/* What a step starts from. */
typedef struct ow_rect_state {
    int64_t id, org_id, rating_id;
    char state[16];
    int32_t due, ledger_due; /* ledger_due OW_DATE_NONE: none */
    int published;
} ow_rect_state;

int ow_rating_store_rect_state(ow_db *db, int64_t id, ow_rect_state *out, bool *found, ow_err *e);
/* The steps (rating/rating.c names them). */
int ow_rating_store_rect_visit(ow_db *db, int64_t id, const char *by, const char *note,
                               int64_t now_ms, ow_err *e);
/* to: closed, appealed or ledger; ledger_due 0 for none. */
int ow_rating_store_rect_verify(ow_db *db, int64_t id, const char *to, const char *outcome,
                                const char *note, int32_t ledger_due, bool late, int64_t now_ms,
                                ow_err *e);
int ow_rating_store_rect_close(ow_db *db, int64_t id, const char *note, bool late, int64_t now_ms,
                               ow_err *e);
/* to: closed (revoked) or visited (upheld). */
int ow_rating_store_rect_review(ow_db *db, int64_t id, const char *to, const char *result,
                                const char *note, bool late, int64_t now_ms, ow_err *e);
int ow_rating_store_rect_publish(ow_db *db, int64_t id, int64_t now_ms, ow_err *e);
/* Every rectification not closed: opened on, due. */
int ow_rating_store_each_open_rect(ow_db *db,
                                   int (*fn)(void *arg, int64_t id, int32_t opened, int32_t due),
                                   void *arg, ow_err *e);
int ow_rating_store_rect_set_due(ow_db *db, int64_t id, int32_t due, ow_err *e);

#endif
