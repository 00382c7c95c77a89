/* publication_store.h — the SQL of publications (主动公开, disclosure/publication.c)
 * behind typed functions (docs/decisions/0003-store-layer.md): the publications, their
 * events, the 索引号 sequence, attachments (disclosure_store.h reads their files), the
 * lists with search and the Atom feed.  Dates are YYYY-MM-DD text; instants UTC ms; a
 * user id 0 is the system (NULL in the table).  Strings come back in the caller's arena
 * unless a callback's comment says they are borrowed. */
#ifndef OW_STORE_PUBLICATION_STORE_H
#define OW_STORE_PUBLICATION_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* What a draft is made of; for an update a NULL member keeps the stored value. */
typedef struct ow_pub_fields {
    const char *column, *title, *doc_number, *issued_date, *validity, *repealed_date, *body;
} ow_pub_fields;

/* A new draft of org; every member but repealed_date must be given. */
int ow_pub_store_insert(ow_db *db, int64_t org_id, const ow_pub_fields *f, int64_t created_by,
                        int64_t now_ms, int64_t *id, ow_err *e);
int ow_pub_store_update(ow_db *db, int64_t id, const ow_pub_fields *f, int64_t now_ms, ow_err *e);

/* What a transition starts from. */
typedef struct ow_pub_state {
    int64_t id, org_id, created_by;
    const char *state, *validity, *org_code, *issued_date;
} ow_pub_state;

/* *found false when there is no such publication. */
int ow_pub_store_state(ow_db *db, int64_t id, ow_arena *a, ow_pub_state *out, bool *found,
                       ow_err *e);

/* Who sent the publication to review last (its latest submit), 0 if nobody. */
int ow_pub_store_submitter(ow_db *db, int64_t id, int64_t *user_id, ow_err *e);

/* The next number of org's 索引号 sequence in year, from 1. */
int ow_pub_store_next_index(ow_db *db, int64_t org_id, int year, int *n, ow_err *e);

/* The state changes of publication.c's transitions. */
int ow_pub_store_submit(ow_db *db, int64_t id, int64_t now_ms, ow_err *e);
/* Published on date; index_no is kept when the publication already has one. */
int ow_pub_store_approve(ow_db *db, int64_t id, const char *index_no, const char *note,
                         int64_t reviewer, const char *date, int64_t now_ms, ow_err *e);
int ow_pub_store_reject(ow_db *db, int64_t id, const char *note, int64_t now_ms, ow_err *e);
int ow_pub_store_withdraw(ow_db *db, int64_t id, const char *reason, int64_t now_ms, ow_err *e);
int ow_pub_store_repeal(ow_db *db, int64_t id, const char *date, int64_t now_ms, ow_err *e);

/* A publication already published on published_date at at_ms (the demo district's data,
 * disclosure_demo.c, which skips the review); repealed_date NULL when not repealed. */
int ow_pub_store_insert_published(ow_db *db, int64_t org_id, const char *column,
                                  const char *index_no, const char *title, const char *doc_number,
                                  const char *issued_date, const char *validity,
                                  const char *repealed_date, const char *body,
                                  const char *published_date, int64_t at_ms, ow_err *e);
/* Set org's 索引号 sequence in year to last (after numbers given out by the caller). */
int ow_pub_store_index_set(ow_db *db, int64_t org_id, int year, int last, ow_err *e);

/* ---------------- attachments ---------------- */

/* How many attachments the publication has, and whether one is called filename. */
int ow_pub_store_attachment_count(ow_db *db, int64_t pub_id, const char *filename, int *n,
                                  bool *same_name, ow_err *e);
int ow_pub_store_attachment_insert(ow_db *db, int64_t pub_id, const char *sha256,
                                   const char *filename, const char *content_type, int64_t size,
                                   int64_t by_user, int64_t now_ms, int64_t *id, ow_err *e);
/* Remove the row (the content stays in the file store); *filename is what it was called,
 * NULL when the publication has no such attachment. */
int ow_pub_store_attachment_delete(ow_db *db, int64_t att_id, int64_t pub_id, ow_arena *a,
                                   const char **filename, ow_err *e);

/* ---------------- reading ---------------- */

typedef struct ow_pub_row {
    int64_t id, org_id;
    const char *org_name, *column, *title, *doc_number, *issued_date, *validity, *state,
        *review_note, *withdraw_reason;
    const char *index_no, *repealed_date, *published_date; /* NULL: none */
    const char *body;                                      /* ow_pub_store_get only */
} ow_pub_row;

/* *found false when there is no such publication. */
int ow_pub_store_get(ow_db *db, int64_t id, ow_arena *a, ow_pub_row *out, bool *found, ow_err *e);

typedef struct ow_pub_query {
    const char *column;    /* NULL: any */
    int64_t org_id;        /* 0: any */
    const char *state;     /* NULL: published only; "all" or a state: within scope */
    int64_t scope;         /* with state: the unit whose rows are seen, 0 all */
    const char *from, *to; /* published between, NULL: open */
    const char *q;         /* NULL: no search; else a substring of title, number or body */
} ow_pub_query;

/* How many publications match, and the page of them (newest first by publication, else
 * issue date) handed to fn with strings borrowed for the call.  The search: FTS5's
 * trigram index on SQLite for three characters or more, LIKE for fewer; pg_trgm's ILIKE
 * on PostgreSQL (db/migrations-pg). */
int ow_pub_store_list(ow_db *db, ow_arena *a, const ow_pub_query *q, int limit, int64_t offset,
                      int64_t *total, void (*fn)(void *arg, const ow_pub_row *r), void *arg,
                      ow_err *e);

/* The latest `limit` published publications of a column, newest first (strings borrowed;
 * summary is the body's first 200 characters). */
int ow_pub_store_feed(ow_db *db, const char *column, int limit,
                      void (*fn)(void *arg, int64_t id, const char *title, const char *index_no,
                                 const char *doc_number, const char *org_name, int64_t published_at,
                                 const char *summary),
                      void *arg, ow_err *e);

#endif
