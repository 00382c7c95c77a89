/* supervision_store.h — the supervision family's SQL behind typed functions (decision
 * 0003): the offices it reads from `orgs` (id, parent, kind, code, name only), 督办
 * notices and their events, the counts and lists of what waits for an office
 * (rectifications, complaints, notices) and the daily digests.  The rules — who may
 * issue, reply or close, which state follows which, the lights, the JSON — stay in
 * src/supervision/.
 *
 * Dates are day numbers as the tables store them (core/workdays.h, OW_DATE_NONE for
 * NULL), instants UTC milliseconds.  Text in rows is copied into the caller's arena
 * unless a comment says it is borrowed for the callback. */
#ifndef OW_STORE_SUPERVISION_STORE_H
#define OW_STORE_SUPERVISION_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* ---- offices (scope.c) ---- */

/* *ok: org_id is the office scope or one of its children. */
int ow_supervision_store_org_in_scope(ow_db *db, int64_t org_id, int64_t scope, bool *ok,
                                      ow_err *e);
/* The active office with code; OW_ENOTFOUND (field window_code) when there is none. */
int ow_supervision_store_org_by_code(ow_db *db, const char *code, int64_t *id, char kind[16],
                                     char name[128], ow_err *e);
/* The office's name and kind into the arena; *found false when there is no such office
 * or it could not be read (callers show what they can).  OW_EDB only when the statement
 * cannot be prepared. */
int ow_supervision_store_org(ow_db *db, int64_t id, ow_arena *a, const char **name,
                             const char **kind, bool *found, ow_err *e);

/* ---- 督办 notices (notices.c) ---- */

typedef struct ow_notice_row {
    int64_t id, case_id, org_id;
    const char *case_no, *item_name, *org_name, *content, *issued_by, *state;
    const char *reply, *replied_by, *closed_by, *closing_note; /* NULL for NULL */
    int64_t issued_at, replied_at, closed_at;                  /* UTC ms */
    bool issued_at_null, replied_at_null, closed_at_null;
    int32_t reply_due;
    bool replied_late;
    int rounds;
} ow_notice_row;

/* A new open notice from r's case_id, case_no, item_name, org_id, content, issued_by,
 * issued_at and reply_due. */
int ow_supervision_store_notice_insert(ow_db *db, const ow_notice_row *r, int64_t *id, ow_err *e);
/* The notice's office, state and reply deadline; OW_ENOTFOUND (field id) when none. */
int ow_supervision_store_notice_state(ow_db *db, int64_t id, int64_t *org_id, char state[16],
                                      int32_t *reply_due, ow_err *e);
int ow_supervision_store_notice_reply(ow_db *db, int64_t id, const char *reply, const char *by,
                                      int64_t at, bool late, ow_err *e);
/* Back to open with a new deadline, one more round. */
int ow_supervision_store_notice_follow_up(ow_db *db, int64_t id, int32_t reply_due, ow_err *e);
int ow_supervision_store_notice_close(ow_db *db, int64_t id, const char *by, int64_t at,
                                      const char *note, ow_err *e);
/* The next step in the notice's history (reply_due OW_DATE_NONE: none). */
int ow_supervision_store_notice_event_add(ow_db *db, int64_t notice_id, int64_t at,
                                          const char *actor, const char *action, const char *note,
                                          int32_t reply_due, bool late, ow_err *e);

/* The list's filter: org_id and case_id 0 for any; state open | overdue (open past its
 * deadline on today) | replied | closed | active (not closed) | NULL (all). */
typedef struct ow_notice_filter {
    int64_t org_id, case_id;
    const char *state;
    int32_t today;
} ow_notice_filter;
int ow_supervision_store_notice_count(ow_db *db, const ow_notice_filter *f, int64_t *total,
                                      ow_err *e);
/* One page: open rounds by reply deadline, then replied ones, then closed ones newest
 * first.  The rows' text is borrowed for the callback. */
int ow_supervision_store_notice_page(ow_db *db, const ow_notice_filter *f, int limit,
                                     int64_t offset, int (*fn)(void *arg, const ow_notice_row *r),
                                     void *arg, ow_err *e);
/* One notice (text borrowed for the callback); OW_EDB when it cannot be read. */
int ow_supervision_store_notice_get(ow_db *db, int64_t id,
                                    int (*fn)(void *arg, const ow_notice_row *r), void *arg,
                                    ow_err *e);

typedef struct ow_notice_event_row {
    int seq;
    int64_t at; /* UTC ms */
    bool at_null;
    const char *actor, *action, *note; /* borrowed */
    int32_t reply_due;                 /* OW_DATE_NONE for NULL */
    bool late;
} ow_notice_event_row;
/* The notice's events in order. */
int ow_supervision_store_notice_each_event(ow_db *db, int64_t id,
                                           int (*fn)(void *arg, const ow_notice_event_row *r),
                                           void *arg, ow_err *e);

/* ---- what waits for an office (supervision.c); scope 0: everything ---- */

enum {
    OW_SUP_RECT_OPEN,
    OW_SUP_RECT_OVERDUE,
    OW_SUP_COMPLAINTS_OPEN,
    OW_SUP_COMPLAINTS_OVERDUE,
    OW_SUP_COMPLAINTS_UNASSIGNED,
    OW_SUP_NOTICES_OPEN,
    OW_SUP_NOTICES_OVERDUE,
    OW_SUP_OFFICE_COUNTS
};
/* counts[OW_SUP_…] as of today. */
int ow_supervision_store_office_counts(ow_db *db, int64_t scope, int32_t today,
                                       int counts[OW_SUP_OFFICE_COUNTS], ow_err *e);
/* Complaints not answered whose deadline lies in [today, soon]. */
int ow_supervision_store_complaints_due_soon(ow_db *db, int64_t scope, int32_t today, int32_t soon,
                                             int *n, ow_err *e);

/* The lists of ow_supervision_store_office_list, most urgent first. */
typedef enum {
    OW_SUP_LIST_NOTICES,         /* open 督办 notices */
    OW_SUP_LIST_NOTICES_REPLIED, /* replied, waiting for the supervisor */
    OW_SUP_LIST_RECTIFICATIONS,  /* rectifications not closed */
    OW_SUP_LIST_COMPLAINTS       /* complaints not answered */
} ow_sup_list;

/* One column of a list row, named as the API shows it; a name ending in _date holds a
 * day number. */
typedef struct ow_sup_cell {
    const char *name;
    enum { OW_SUP_CELL_NULL, OW_SUP_CELL_INT, OW_SUP_CELL_TEXT } kind;
    int64_t i;
    const char *s; /* borrowed */
} ow_sup_cell;
/* At most max rows of the list; soon is the last day a complaint counts as due soon. */
int ow_supervision_store_office_list(ow_db *db, ow_sup_list which, int64_t scope, int32_t today,
                                     int32_t soon, int max,
                                     int (*fn)(void *arg, const ow_sup_cell *cells, int n),
                                     void *arg, ow_err *e);

/* ---- daily digests ---- */

/* How many digests were written for day (0 also when they cannot be counted: the sweep
 * then tries to write them, and the insert skips what exists).  OW_EDB only when the
 * statement cannot be prepared. */
int ow_supervision_store_digests_on(ow_db *db, int32_t day, int *n, ow_err *e);
/* The office's digest for day, unless one exists. */
int ow_supervision_store_digest_insert(ow_db *db, int64_t org_id, int32_t day, int64_t made_at,
                                       const char *body, ow_err *e);
/* The office's digest for day into the arena; *found false when there is none. */
int ow_supervision_store_digest_get(ow_db *db, int64_t org_id, int32_t day, ow_arena *a,
                                    int64_t *made_at, bool *made_at_null, const char **body,
                                    bool *found, ow_err *e);

#endif
