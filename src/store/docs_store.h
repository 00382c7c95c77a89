/* docs_store.h — the SQL of the documents issue 26 added, behind typed functions
 * (docs/decisions/0003-store-layer.md): what the disclosure office sets on an annual
 * report besides its old free texts — the opening statement, the date the report bears
 * and the five sub-sections of 一、总体情况 (columns of disclosure_reports, migration
 * 0021).  The old columns (overview, problems, other, admin_fees_wan) are read and
 * written through store/disclosure_store.h.  Strings come back in the caller's arena; "" for a text
 * never entered. */
#ifndef OW_STORE_DOCS_STORE_H
#define OW_STORE_DOCS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/err.h"

#define OW_REPORT_OVERVIEW_PARTS 5

/* The office's settings of one report (org_id 0 = the district's). */
typedef struct ow_report_settings {
    const char *opening;     /* the opening statement; "" = the template's default */
    const char *report_date; /* YYYY-MM-DD; "" = not set */
    /* 一、总体情况: (一)主动公开 (二)依申请公开 (三)政府信息管理 (四)平台建设 (五)监督保障 */
    const char *overview[OW_REPORT_OVERVIEW_PARTS];
} ow_report_settings;

/* Read them; all "" when the report has no row yet. */
int ow_docs_store_report_settings(ow_db *db, ow_arena *a, int64_t org_id, int year,
                                  ow_report_settings *out, ow_err *e);
/* Write them: a NULL member leaves the stored value as it is; report_date "" clears the
 * date.  Creates the report's row when there is none (its other texts empty). */
int ow_docs_store_report_settings_put(ow_db *db, int64_t org_id, int year,
                                      const ow_report_settings *in, int64_t at_ms, int64_t by_user,
                                      ow_err *e);

/* ======================= the document register (docs/docs.h) ======================= */

/* A document as the register stores it; "" for a text not given. */
typedef struct ow_doc_row {
    const char *code, *kind, *title, *issuer, *number, *recipient, *issued_date;
    const char *object_type, *object_id, *sha256;
    const char *valid_until; /* YYYY-MM-DD, or NULL (insert) / "" (read) when it does not expire */
    int64_t created_at;
    bool revoked;
    const char *revoke_reason; /* read only */
    /* the frozen PDF (read only: ow_docs_store_freeze sets it): its blob, "" until frozen */
    const char *pdf_sha256;
    int64_t pdf_size;
    const char *replaces;          /* the code this one corrects, or "" */
    const char *replaced_by;       /* read only: the code of its correction, or "" */
    const char *correction_reason; /* why it corrects the one it replaces, or "" */
} ow_doc_row;

int ow_docs_store_insert(ow_db *db, const ow_doc_row *d, ow_err *e);
/* Mark the document revoked; *found false when no document has that code. */
int ow_docs_store_revoke(ow_db *db, const char *code, const char *reason, bool *found, ow_err *e);
/* The newest code registered for (object_type, object_id, kind) that no correction
 * replaced, into code (code_size bytes), or "". */
int ow_docs_store_find(ow_db *db, const char *kind, const char *object_type, const char *object_id,
                       char *code, size_t code_size, ow_err *e);
/* The next number of prefix in year (1 for the first), counted in the same statement. */
int ow_docs_store_next_number(ow_db *db, const char *prefix, int year, int *n, ow_err *e);
/* The document with that code (kind, title, issuer, number, recipient, issued_date,
 * valid_until, revoked, revoke_reason are read). */
int ow_docs_store_get(ow_db *db, ow_arena *a, const char *code, ow_doc_row *out, bool *found,
                      ow_err *e);
/* Record the frozen PDF of a document; *done false when it was frozen already (the
 * first bytes stay) or no document has that code. */
int ow_docs_store_freeze(ow_db *db, const char *code, const char *sha256, int64_t size,
                         int64_t at_ms, bool *done, ow_err *e);
/* Mark code replaced by the correction `by`; *done false when it was replaced already. */
int ow_docs_store_set_replaced(ow_db *db, const char *code, const char *by, bool *done, ow_err *e);
/* Every registered, unrevoked document of object_type not frozen yet, oldest first
 * (code, kind, object_id are read); fn's error stops the walk. */
int ow_docs_store_each_unfrozen(ow_db *db, ow_arena *a, const char *object_type,
                                int (*fn)(void *arg, const ow_doc_row *d), void *arg, ow_err *e);

#endif
