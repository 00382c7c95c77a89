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
        " object_type, object_id, sha256, created_at, valid_until) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
        e);
    if (!st) return OW_EDB;
    const char *v[] = {d->code,      d->kind,        d->title,       d->issuer,    d->number,
                       d->recipient, d->issued_date, d->object_type, d->object_id, d->sha256};
    for (int i = 0; i < 10; i++)
        ow_bind_text(st, i + 1, v[i]);
    ow_bind_int64(st, 11, d->created_at);
    ow_rows_bind_opt_text(st, 12, d->valid_until);
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
                             " AND kind = ? ORDER BY created_at DESC LIMIT 1",
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
        " coalesce(valid_until, ''), coalesce(revoke_reason, '') FROM documents WHERE code = ?",
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
                            .revoke_reason = ow_rows_dupe(a, st, 8)};
    }
    int ret = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "verify", e);
    ow_reset(st);
    return ret;
}
