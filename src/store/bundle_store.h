/* bundle_store.h — the tables of one-thing bundles (一件事, issue 22) behind typed
 * functions: `bundles` and their `bundle_items`, the applications `bundle_apps`, their
 * child cases `bundle_children` and the day's numbers `bundle_seq`.  src/bundle/ keeps the
 * rules, permissions, audit rows and JSON and calls these
 * (docs/decisions/0003-store-layer.md).
 *
 * Dates are day numbers (core/workdays.h; OW_DATE_NONE for NULL), instants UTC
 * milliseconds, an id 0 none (NULL in the table).  Text in rows is copied into the arena
 * given. */
#ifndef OW_STORE_BUNDLE_STORE_H
#define OW_STORE_BUNDLE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* ---------------- bundles ---------------- */

typedef struct ow_bundle_row {
    int64_t id;
    const char *name, *life_event, *target, *on_denial;
    int committed_days;
    bool active;
    int64_t created_at, updated_at;
} ow_bundle_row;

typedef struct ow_bundle_item_row {
    int seq; /* 1-based order */
    int64_t item_id;
    int waits_for;            /* 0: none */
    const char *via_material; /* "" when waits_for is 0 */
    const char *fields;       /* JSON array text */
} ow_bundle_item_row;

/* Insert (r->id 0; *id answers) or update (r->id) a bundle. */
int ow_bundle_store_put(ow_db *db, const ow_bundle_row *r, int64_t *id, ow_err *e);
/* Whether a bundle other than except_id is named name. */
int ow_bundle_store_name_taken(ow_db *db, const char *name, int64_t except_id, bool *taken,
                               ow_err *e);
/* Replace a bundle's items with items[0..n). */
int ow_bundle_store_put_items(ow_db *db, int64_t bundle_id, const ow_bundle_item_row *items, int n,
                              ow_err *e);
int ow_bundle_store_get(ow_db *db, ow_arena *a, int64_t id, ow_bundle_row *out, bool *found,
                        ow_err *e);
/* Bundles in id order; only the active ones unless all. */
int ow_bundle_store_list(ow_db *db, ow_arena *a, bool all, ow_bundle_row **out, int *n, ow_err *e);
int ow_bundle_store_items(ow_db *db, ow_arena *a, int64_t bundle_id, ow_bundle_item_row **out,
                          int *n, ow_err *e);

/* ---------------- applications ---------------- */

typedef struct ow_bundle_app_row {
    int64_t id, bundle_id, applicant_user_id, filed_by;
    char app_no[40];
    const char *bundle_name, *on_denial, *applicant_name, *id_masked, *channel, *form;
    char state[16];
    const char *stop_reason, *delivery;
    int32_t received_date, due_date;
    int64_t submitted_at, delivered_at, rated_at, concluded_at, updated_at;
    int rating_level; /* 0: not rated */
} ow_bundle_app_row;

/* The day's next number (day as YYYYMMDD). */
int ow_bundle_store_next_no(ow_db *db, const char *day, int64_t *n, ow_err *e);
int ow_bundle_store_app_insert(ow_db *db, const ow_bundle_app_row *r, const char *idem_key,
                               int64_t *id, ow_err *e);
/* The application filed earlier by filer under idem_key; *id 0 when none. */
int ow_bundle_store_app_idem(ow_db *db, int64_t filer, const char *idem_key, int64_t *id,
                             ow_err *e);
int ow_bundle_store_app_get(ow_db *db, ow_arena *a, int64_t id, ow_bundle_app_row *out, bool *found,
                            ow_err *e);
/* Who applied, known once the first child case is filed. */
int ow_bundle_store_app_set_applicant(ow_db *db, int64_t id, const char *name,
                                      const char *id_masked, ow_err *e);
/* State, stop reason, delivery, rating and conclusion as r holds them. */
int ow_bundle_store_app_update(ow_db *db, const ow_bundle_app_row *r, ow_err *e);

/* Applications newest first: of user_id (0: anyone), in state (NULL: any; "active": open
 * or ready), page from 1. */
typedef struct ow_bundle_app_filter {
    int64_t user_id;
    const char *state;
    int page, per_page;
} ow_bundle_app_filter;
int ow_bundle_store_app_list(ow_db *db, ow_arena *a, const ow_bundle_app_filter *f,
                             ow_bundle_app_row **out, int *n, int64_t *total, ow_err *e);

/* ---------------- child cases ---------------- */

typedef struct ow_bundle_child_row {
    int64_t app_id;
    int seq;
    int64_t case_id, item_id;
    int waits_for; /* 0: none */
    const char *via_material;
    int64_t license_id; /* 0: not fed yet */
} ow_bundle_child_row;

int ow_bundle_store_child_insert(ow_db *db, const ow_bundle_child_row *r, ow_err *e);
int ow_bundle_store_children(ow_db *db, ow_arena *a, int64_t app_id, ow_bundle_child_row **out,
                             int *n, ow_err *e);
/* The child row of case_id; *found false when the case belongs to no bundle. */
int ow_bundle_store_child_of_case(ow_db *db, ow_arena *a, int64_t case_id, ow_bundle_child_row *out,
                                  bool *found, ow_err *e);
int ow_bundle_store_child_fed(ow_db *db, int64_t app_id, int seq, int64_t license_id, ow_err *e);

#endif
