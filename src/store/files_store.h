/* files_store.h — the files module's tables behind typed functions (decision 0003):
 * `blobs` (one row per stored file, content-addressed by SHA-256) and `case_materials`
 * (a case's materials: uploads, electronic licences, reuses from the applicant's
 * wallet).  Where the files live, who may attach what, and the JSON stay in
 * src/files/.  Instants are UTC milliseconds; ids 0 stand for NULL. */
#ifndef OW_STORE_FILES_STORE_H
#define OW_STORE_FILES_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

/* Record a stored file; a file already recorded is left as it is. */
int ow_files_store_blob_insert(ow_db *db, const char *sha256, int64_t size,
                               const char *content_type, int64_t at, ow_err *e);
/* *known: a row exists for sha256. */
int ow_files_store_blob_known(ow_db *db, const char *sha256, bool *known, ow_err *e);
/* Every recorded file (text borrowed for the callback). */
int ow_files_store_each_blob(ow_db *db, int (*fn)(void *arg, const char *sha256, int64_t size),
                             void *arg, ow_err *e);

/* One row of case_materials; text NULL or "" as noted, borrowed in callbacks. */
typedef struct ow_material_row {
    int64_t id, case_id;
    const char *material, *source;
    const char *sha256; /* NULL for a licence on insert; "" for none when read */
    const char *filename, *content_type;
    int64_t size;
    int64_t license_id, from_material_id; /* 0: none */
    const char *holder_idx;
    int64_t uploaded_by; /* 0: the system */
    int64_t created_at;
    /* read with the case's list: the licence, "" when none */
    const char *license_type, *license_number, *license_issuer;
} ow_material_row;

int ow_files_store_material_insert(ow_db *db, const ow_material_row *r, int64_t *id, ow_err *e);
/* The case's materials in order, with their licences. */
int ow_files_store_case_materials(ow_db *db, int64_t case_id,
                                  int (*fn)(void *arg, const ow_material_row *r), void *arg,
                                  ow_err *e);
/* Bytes uploaded to the case. */
int ow_files_store_case_bytes(ow_db *db, int64_t case_id, int64_t *bytes, ow_err *e);
/* Mark the case's materials accepted (reusable from the wallet). */
int ow_files_store_case_accepted(ow_db *db, int64_t case_id, ow_err *e);
/* A holder's reusable materials: accepted, not licences, the newest of each (material,
 * content), newest first, at most 200; material NULL for every name. */
int ow_files_store_reusable(ow_db *db, const char *holder_idx, const char *material,
                            int (*fn)(void *arg, const ow_material_row *r), void *arg, ow_err *e);
/* One reusable material of the holder into the arena (material, sha256, filename,
 * content_type, size); OW_ENOTFOUND (field wallet_material_id) when there is none. */
int ow_files_store_reusable_get(ow_db *db, int64_t id, const char *holder_idx, ow_arena *a,
                                ow_material_row *out, ow_err *e);

#endif
