/* docs_store.c — see docs_store.h. */
#include "store/docs_store.h"

#include <stdio.h>

#include "store/db.h"
#include "store/rows.h"

int ow_docs_store_report_settings(ow_db *db, ow_arena *a, int64_t org_id, int year,
                                  ow_report_settings *out, ow_err *e) {
    *out = (ow_report_settings){.opening = "", .report_date = ""};
    for (int i = 0; i < OW_REPORT_OVERVIEW_PARTS; i++)
        out->overview[i] = "";
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT opening, coalesce(report_date, ''), overview_active, overview_requests,"
        " overview_management, overview_platform, overview_oversight FROM disclosure_reports"
        " WHERE org_id = ?1 AND year = ?2",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int(st, 2, year);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        out->opening = ow_strdup(a, ow_db_text(st, 0));
        out->report_date = ow_strdup(a, ow_db_text(st, 1));
        for (int i = 0; i < OW_REPORT_OVERVIEW_PARTS; i++)
            out->overview[i] = ow_strdup(a, ow_db_text(st, 2 + i));
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "report settings", e);
    return OW_OK;
}

int ow_docs_store_report_settings_put(ow_db *db, int64_t org_id, int year,
                                      const ow_report_settings *in, int64_t at_ms, int64_t by_user,
                                      ow_err *e) {
    /* ?4: 1 = set the date to ?3 (NULL when ""), 0 = leave it */
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO disclosure_reports(org_id, year, opening, report_date, overview_active,"
        " overview_requests, overview_management, overview_platform, overview_oversight,"
        " updated_at, updated_by) VALUES(?1, ?2, coalesce(?5, ''), nullif(?3, ''),"
        " coalesce(?6, ''), coalesce(?7, ''), coalesce(?8, ''), coalesce(?9, ''),"
        " coalesce(?10, ''), ?11, ?12) ON CONFLICT(org_id, year) DO UPDATE SET"
        " opening = coalesce(?5, disclosure_reports.opening),"
        " report_date = CASE WHEN ?4 = 1 THEN nullif(?3, '') ELSE disclosure_reports.report_date "
        "END,"
        " overview_active = coalesce(?6, disclosure_reports.overview_active),"
        " overview_requests = coalesce(?7, disclosure_reports.overview_requests),"
        " overview_management = coalesce(?8, disclosure_reports.overview_management),"
        " overview_platform = coalesce(?9, disclosure_reports.overview_platform),"
        " overview_oversight = coalesce(?10, disclosure_reports.overview_oversight),"
        " updated_at = ?11, updated_by = ?12",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int(st, 2, year);
    if (in->report_date) ow_bind_text(st, 3, in->report_date);
    ow_bind_int(st, 4, in->report_date != NULL);
    if (in->opening) ow_bind_text(st, 5, in->opening);
    for (int i = 0; i < OW_REPORT_OVERVIEW_PARTS; i++)
        if (in->overview[i]) ow_bind_text(st, 6 + i, in->overview[i]);
    ow_bind_int64(st, 11, at_ms);
    if (by_user) ow_bind_int64(st, 12, by_user);
    int rc = ow_step(st);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, "report settings save", e);
}

int ow_docs_store_insert(ow_db *db, const ow_doc_row *d, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO documents(code, kind, title, issuer, number, recipient, issued_date,"
        " object_type, object_id, sha256, created_at, valid_until, replaces, correction_reason)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        e);
    if (!st) return OW_EDB;
    const char *v[] = {d->code,      d->kind,        d->title,       d->issuer,    d->number,
                       d->recipient, d->issued_date, d->object_type, d->object_id, d->sha256};
    for (int i = 0; i < 10; i++)
        ow_bind_text(st, i + 1, v[i]);
    ow_bind_int64(st, 11, d->created_at);
    ow_rows_bind_opt_text(st, 12, d->valid_until);
    ow_bind_text(st, 13, d->replaces ? d->replaces : "");
    ow_bind_text(st, 14, d->correction_reason ? d->correction_reason : "");
    return ow_rows_done(db, st, "document insert", e);
}

int ow_docs_store_revoke(ow_db *db, const char *code, const char *reason, bool *found, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "UPDATE documents SET revoked = 1, revoke_reason = ? WHERE code = ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, reason);
    ow_bind_text(st, 2, code);
    int rc = ow_rows_done(db, st, "document revoke", e);
    *found = !rc && ow_db_changes(db) > 0;
    return rc;
}

int ow_docs_store_find(ow_db *db, const char *kind, const char *object_type, const char *object_id,
                       char *code, size_t code_size, ow_err *e) {
    code[0] = '\0';
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT code FROM documents WHERE object_type = ? AND object_id = ?"
                             " AND kind = ? AND replaced_by = '' ORDER BY created_at DESC LIMIT 1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, object_type);
    ow_bind_text(st, 2, object_id);
    ow_bind_text(st, 3, kind);
    int rc = ow_step(st);
    if (rc == OW_ROW) snprintf(code, code_size, "%s", ow_db_text(st, 0));
    int out = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "document find", e);
    ow_reset(st);
    return out;
}

int ow_docs_store_next_number(ow_db *db, const char *prefix, int year, int *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO doc_number_seq(prefix, year, last) VALUES(?1, ?2, 1)"
        " ON CONFLICT(prefix, year) DO UPDATE SET last = doc_number_seq.last + 1 RETURNING last",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, prefix);
    ow_bind_int(st, 2, year);
    int rc = ow_step(st);
    if (rc == OW_ROW) *n = ow_col_int(st, 0);
    int out = rc == OW_ROW ? OW_OK : ow_db_fail(db, "doc number", e);
    ow_reset(st);
    return out;
}

int ow_docs_store_get(ow_db *db, ow_arena *a, const char *code, ow_doc_row *out, bool *found,
                      ow_err *e) {
    *found = false;
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT kind, title, issuer, number, recipient, issued_date, revoked,"
        " coalesce(valid_until, ''), coalesce(revoke_reason, ''), object_type, object_id,"
        " pdf_sha256, pdf_size, replaces, replaced_by, correction_reason, created_at"
        " FROM documents WHERE code = ?",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, code);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *found = true;
        *out = (ow_doc_row){.code = ow_strdup(a, code),
                            .kind = ow_rows_dupe(a, st, 0),
                            .title = ow_rows_dupe(a, st, 1),
                            .issuer = ow_rows_dupe(a, st, 2),
                            .number = ow_rows_dupe(a, st, 3),
                            .recipient = ow_rows_dupe(a, st, 4),
                            .issued_date = ow_rows_dupe(a, st, 5),
                            .revoked = ow_col_int(st, 6) != 0,
                            .valid_until = ow_rows_dupe(a, st, 7),
                            .revoke_reason = ow_rows_dupe(a, st, 8),
                            .object_type = ow_rows_dupe(a, st, 9),
                            .object_id = ow_rows_dupe(a, st, 10),
                            .pdf_sha256 = ow_rows_dupe(a, st, 11),
                            .pdf_size = ow_col_int64(st, 12),
                            .replaces = ow_rows_dupe(a, st, 13),
                            .replaced_by = ow_rows_dupe(a, st, 14),
                            .correction_reason = ow_rows_dupe(a, st, 15),
                            .created_at = ow_col_int64(st, 16)};
    }
    int ret = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "verify", e);
    ow_reset(st);
    return ret;
}

int ow_docs_store_freeze(ow_db *db, const char *code, const char *sha256, int64_t size,
                         int64_t at_ms, bool *done, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE documents SET pdf_sha256 = ?, pdf_size = ?, frozen_at = ?"
                             " WHERE code = ? AND pdf_sha256 = ''",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, sha256);
    ow_bind_int64(st, 2, size);
    ow_bind_int64(st, 3, at_ms);
    ow_bind_text(st, 4, code);
    int rc = ow_rows_done(db, st, "document freeze", e);
    *done = !rc && ow_db_changes(db) > 0;
    return rc;
}

int ow_docs_store_set_replaced(ow_db *db, const char *code, const char *by, bool *done, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "UPDATE documents SET replaced_by = ? WHERE code = ? AND replaced_by = ''", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, by);
    ow_bind_text(st, 2, code);
    int rc = ow_rows_done(db, st, "document replace", e);
    *done = !rc && ow_db_changes(db) > 0;
    return rc;
}

int ow_docs_store_each_unfrozen(ow_db *db, ow_arena *a, const char *object_type,
                                int (*fn)(void *arg, const ow_doc_row *d), void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT code, kind, object_id FROM documents WHERE object_type = ?"
                             " AND pdf_sha256 = '' AND revoked = 0 ORDER BY created_at, code",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, object_type);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_doc_row d = {.code = ow_rows_dupe(a, st, 0),
                        .kind = ow_rows_dupe(a, st, 1),
                        .object_type = object_type,
                        .object_id = ow_rows_dupe(a, st, 2)};
        if ((out = fn(arg, &d))) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "documents to freeze", e);
    ow_reset(st);
    return out;
}
