/* disclosure_store.h — the SQL of the disclosure module's annual report (政府信息公开工作
 * 年度报告, disclosure/annual_report.c) behind typed functions (docs/decisions/
 * 0003-store-layer.md): the counts of requests, reviews, publications and fees a year's
 * report is built from, and the free texts the office enters (disclosure_reports).
 * The publications and the requests themselves are in publication_store.h and
 * request_store.h.  Dates are YYYY-MM-DD text as the tables store them; an org_id 0 is
 * the whole district (every unit's rows). */
#ifndef OW_STORE_DISCLOSURE_STORE_H
#define OW_STORE_DISCLOSURE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* The four counts of table 三 (see annual_report.c for why they balance). */
typedef enum {
    OW_DIS_REQ_NEW,         /* received in [from, to] */
    OW_DIS_REQ_CARRIED_IN,  /* received before from, not concluded before it */
    OW_DIS_REQ_CONCLUDED,   /* concluded in [from, to], by outcome */
    OW_DIS_REQ_CARRIED_OUT, /* received by to, not concluded by then */
} ow_dis_req_count;

/* Requests of org (0: all) counted by applicant type (and, for OW_DIS_REQ_CONCLUDED, by
 * outcome; NULL otherwise); fn gets each group.  OW_EDB when the query fails. */
int ow_dis_store_request_counts(ow_db *db, ow_dis_req_count which, int64_t org, const char *from,
                                const char *to,
                                void (*fn)(void *arg, const char *applicant_type,
                                           const char *outcome, int64_t n),
                                void *arg, ow_err *e);
/* Reconsiderations and lawsuits filed in [from, to] against requests of org, counted by
 * kind and by their result as it stood on `to` ('pending' when not decided by then). */
int ow_dis_store_review_counts(ow_db *db, int64_t org, const char *from, const char *to,
                               void (*fn)(void *arg, const char *kind, const char *result,
                                          int64_t n),
                               void *arg, ow_err *e);

/* Published publications of org counted for section 二. */
typedef enum {
    OW_DIS_PUB_ISSUED,    /* of column, issued in [from, to] */
    OW_DIS_PUB_REPEALED,  /* of column, repealed in [from, to] */
    OW_DIS_PUB_VALID,     /* of column, issued by to and in force on to */
    OW_DIS_PUB_PUBLISHED, /* any column, published in [from, to] (column ignored) */
    OW_DIS_PUB_KEY_AREA,  /* the key areas' columns, published in [from, to] */
} ow_dis_pub_count;

int ow_dis_store_publication_count(ow_db *db, ow_dis_pub_count which, int64_t org, const char *from,
                                   const char *to, const char *column, int64_t *n, ow_err *e);
/* The information-processing fees (信息处理费) of org's requests paid in [from, to], yuan. */
int ow_dis_store_fees_paid(ow_db *db, int64_t org, const char *from, const char *to, int64_t *yuan,
                           ow_err *e);

/* The free texts of a report; all NULL and fees 0 when it has no row yet. */
typedef struct ow_dis_report_texts {
    const char *overview, *problems, *other;
    double admin_fees_wan; /* 行政事业性收费, 万元 */
} ow_dis_report_texts;

int ow_dis_store_report_texts(ow_db *db, ow_arena *a, int64_t org_id, int year,
                              ow_dis_report_texts *out, ow_err *e);
/* Write them: a NULL text, or admin_fees_wan < 0, leaves the stored value as it is; a row
 * is made when there is none.  by_user 0: the system. */
int ow_dis_store_report_texts_put(ow_db *db, int64_t org_id, int year,
                                  const ow_dis_report_texts *in, int64_t at_ms, int64_t by_user,
                                  ow_err *e);

/* ---------------- timelines of requests and publications ---------------- */

typedef enum { OW_DIS_EVENTS_PUBLICATION, OW_DIS_EVENTS_REQUEST } ow_dis_events_of;

/* One line of the timeline of a publication or a request.  actor_id 0: the system. */
int ow_dis_store_event(ow_db *db, ow_dis_events_of of, int64_t id, int64_t at_ms, int64_t actor_id,
                       const char *actor_name, const char *action, const char *from, const char *to,
                       const char *note, ow_err *e);
/* The timeline in order (strings borrowed for the call). */
int ow_dis_store_events(ow_db *db, ow_dis_events_of of, int64_t id,
                        void (*fn)(void *arg, int64_t at_ms, const char *actor, const char *action,
                                   const char *from, const char *to, const char *note),
                        void *arg, ow_err *e);

/* ---------------- stored files of requests and publications ---------------- */

/* A file in the store of src/files named by a request's paper or a publication's
 * attachment (arena strings). */
typedef struct ow_dis_file {
    int64_t id, size;
    const char *sha256, *filename, *content_type;
    const char *label; /* a request paper's label; "" for an attachment */
} ow_dis_file;

typedef enum { OW_DIS_FILE_ATTACHMENT, OW_DIS_FILE_PAPER } ow_dis_file_of;

/* The file id of parent (a publication or a request); *found false when there is none. */
int ow_dis_store_file(ow_db *db, ow_dis_file_of of, int64_t id, int64_t parent, ow_arena *a,
                      ow_dis_file *out, bool *found, ow_err *e);
/* The files of parent in upload order (strings borrowed for the call). */
int ow_dis_store_files(ow_db *db, ow_dis_file_of of, int64_t parent,
                       void (*fn)(void *arg, const ow_dis_file *f), void *arg, ow_err *e);

/* ---------------- the demo district's data (disclosure_demo.c) ---------------- */

/* The unit of code: its id and name; *found false when there is none. */
int ow_dis_store_org_by_code(ow_db *db, const char *code, ow_arena *a, int64_t *id,
                             const char **name, bool *found, ow_err *e);
/* The demo citizen's user id, 0 when there is none. */
int ow_dis_store_demo_citizen(ow_db *db, int64_t *id, ow_err *e);

#endif
