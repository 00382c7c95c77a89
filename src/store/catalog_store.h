/* catalog_store.h — the catalog's SQL behind typed functions (decision 0003), for the
 * parts moved so far: the published guides' versions (catalog_guides.c), the import and
 * export's look-ups (catalog_import.c), the public catalog the in-memory search index
 * is built from (catalog_index.c), and from catalog.c the validation's look-ups, an
 * item's state, publishing, its stored guides and versions, and the coverage statistics.  The
 * rules, the index and the JSON stay in src/catalog/. */
#ifndef OW_STORE_CATALOG_STORE_H
#define OW_STORE_CATALOG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* The item's published version; OW_ENOTFOUND (field id) when it is not public. */
int ow_catalog_store_public_version(ow_db *db, int64_t item_id, int *version, ow_err *e);
/* The item with code, *id 0 when there is none (or it could not be read: the import
 * then treats the row as new, and inserting it reports the failure).  OW_EDB only when
 * the statement cannot be prepared. */
int ow_catalog_store_item_id_by_code(ow_db *db, const char *code, int64_t *id, ow_err *e);
/* Every item (status NULL) or those of status, ordered by code. */
int ow_catalog_store_each_item_id(ow_db *db, const char *status, int (*fn)(void *arg, int64_t id),
                                  void *arg, ow_err *e);

/* The catalog's generation, moved by every change to what is public. */
int ow_catalog_store_generation(ow_db *db, int64_t *gen, ow_err *e);

/* One public item as the search index keeps it; text borrowed for the callback. */
typedef struct ow_catalog_public_row {
    int64_t id, dept_id, dept_sort;
    const char *code, *name, *keywords, *theme, *type, *target;
    int modes, levels;
    const char *summary; /* NULL when the item has none */
    size_t summary_len;
} ow_catalog_public_row;

/* In one read transaction (so they are one snapshot): the generation and the number of
 * public items (start), then every public item by department order and code (row).
 * Stops at and returns the callbacks' first non-zero answer.  Must not be called inside
 * a transaction. */
int ow_catalog_store_public_snapshot(ow_db *db, int (*start)(void *arg, int64_t gen, int64_t count),
                                     int (*row)(void *arg, const ow_catalog_public_row *r),
                                     void *arg, ow_err *e);

/* The org of id, or (id 0) of code: its id, kind, code and name in a; *found false when
 * there is none. */
int ow_catalog_store_org(ow_db *db, ow_arena *a, int64_t id, const char *code, int64_t *id_out,
                         const char **kind, const char **code_out, const char **name_out,
                         bool *found, ow_err *e);
/* Whether an item other than id has code. */
int ow_catalog_store_code_taken(ow_db *db, const char *code, int64_t id, bool *taken, ow_err *e);

/* An item's status (at most 15 bytes kept), head version and whether it has unpublished
 * changes; *found false when there is no such item. */
int ow_catalog_store_item_state(ow_db *db, int64_t id, char status[16], int *version, bool *pending,
                                bool *found, ow_err *e);

/* The guide (JSON text as written at publishing) of the item's version, or of its
 * published version when version is 0, handed to fn borrowed for the call; *found false
 * when there is none.  Answers fn's answer. */
int ow_catalog_store_guide(ow_db *db, int64_t item_id, int version,
                           int (*fn)(void *arg, const char *text, size_t len), void *arg,
                           bool *found, ow_err *e);

/* The item's published versions, newest first: who published each (name, '系统' for the
 * system; borrowed) and when (UTC ms). */
int ow_catalog_store_versions(ow_db *db, int64_t item_id,
                              void (*fn)(void *arg, int version, int64_t published_at,
                                         const char *by),
                              void *arg, ow_err *e);

/* Per department (in department order) the counts of its public items: c[] is total,
 * hosted, online, full_online, immediate, one_visit, zero_visit, nearby; strings borrowed. */
int ow_catalog_store_coverage(ow_db *db,
                              void (*fn)(void *arg, int64_t dept_id, const char *code,
                                         const char *name, const int64_t c[8]),
                              void *arg, ow_err *e);

/* ---------- publishing (catalog.c; the caller holds the transaction) ---------- */

/* Take the item out of the public catalog: its grams, summary and public row. */
int ow_catalog_store_unlist(ow_db *db, int64_t item_id, ow_err *e);

/* What the public row of an item holds (modes and levels as bit sets, catalog.h). */
typedef struct ow_catalog_listing {
    int64_t item_id, dept_id;
    int version, modes, levels, hosted, visits;
    const char *code, *name, *keywords, *theme, *type, *target, *online_depth; /* NULL: "" */
} ow_catalog_listing;

/* Insert the public row and its summary (JSON text, malloc'd; freed here in every case). */
int ow_catalog_store_list_public(ow_db *db, const ow_catalog_listing *l, char *summary, ow_err *e);
/* One search gram (len bytes of gram) of a listed item with its rank; a gram the item
 * already has is left as it is. */
int ow_catalog_store_gram_insert(ow_db *db, const char *gram, size_t len, int rank, int name_len,
                                 int64_t item_id, const char *code, ow_err *e);
/* A published version's guide (JSON text, malloc'd; freed here in every case); by 0 is
 * the system. */
int ow_catalog_store_version_insert(ow_db *db, int64_t item_id, int version, int64_t now_ms,
                                    int64_t by, char *guide, ow_err *e);
/* Set the item's status and version, clear its pending edits, keep reason (NULL: ""). */
int ow_catalog_store_set_state(ow_db *db, int64_t id, const char *status, int version,
                               const char *reason, int64_t now_ms, ow_err *e);
/* Suspend the item with reason, its pending edits kept. */
int ow_catalog_store_suspend(ow_db *db, int64_t id, const char *reason, int64_t now_ms, ow_err *e);

/* An item's case modes (issue 22; catalog/catalog_modes.c): compact JSON text, or NULL
 * for none — set, and read into the arena. */
int ow_catalog_store_set_case_modes(ow_db *db, int64_t id, const char *modes, ow_err *e);
int ow_catalog_store_case_modes(ow_db *db, ow_arena *a, int64_t id, const char **modes, ow_err *e);

#endif
