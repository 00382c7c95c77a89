/* docs_store.c — see docs_store.h. */
#include "store/docs_store.h"

#include "store/db.h"

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
