/* routes.c — one list of module route tables; adding a module adds a line here. */
#include "app/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "store/db.h"

#include "account/account_api.h"
#include "audit/audit_api.h"
#include "calendar/calendar.h"
#include "calendar/calendar_api.h"
#include "cases/cases_api.h"
#include "catalog/catalog_api.h"
#include "complaint/complaint_api.h"
#include "rating/rating_api.h"
#include "report/report_api.h"
#include "supervision/supervision_api.h"
#include "disclosure/disclosure_api.h"
#include "docs/docs_api.h"
#include "files/files_api.h"
#include "notices/notices_api.h"
#include "wallet/wallet_api.h"
#include "system/system_api.h"

static const struct {
    const ow_route *routes;
    const size_t *n;
} tables[] = {
    {ow_system_routes, &ow_system_routes_n},
    {ow_account_routes, &ow_account_routes_n},
    {ow_audit_routes, &ow_audit_routes_n},
    {ow_catalog_routes, &ow_catalog_routes_n},
    {ow_calendar_routes, &ow_calendar_routes_n},
    {ow_cases_routes, &ow_cases_routes_n},
    {ow_rating_routes, &ow_rating_routes_n},
    {ow_complaint_routes, &ow_complaint_routes_n},
    {ow_supervision_routes, &ow_supervision_routes_n},
    {ow_report_routes, &ow_report_routes_n},
    {ow_docs_routes, &ow_docs_routes_n},
    {ow_disclosure_routes, &ow_disclosure_routes_n},
    {ow_files_routes, &ow_files_routes_n},
    {ow_wallet_routes, &ow_wallet_routes_n},
    {ow_notices_routes, &ow_notices_routes_n},
};

ow_route *ow_app_routes(size_t *n) {
    size_t total = 0;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        total += *tables[i].n;
    ow_route *all = calloc(total ? total : 1, sizeof *all);
    if (!all) abort();
    size_t k = 0;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        memcpy(all + k, tables[i].routes, *tables[i].n * sizeof *all);
        k += *tables[i].n;
    }
    *n = total;
    return all;
}

/* Several nodes on one PostgreSQL (decisions/0004-postgresql.md): before a request this
 * node's legal calendar catches up with an edit another node made, so that no deadline
 * is counted on yesterday's calendar — one small query; on SQLite this process is the
 * only one that edits, and nothing is asked. */
static int auth_hook(ow_req *rq, const ow_route *route) {
    ow_ctx *cx = ow_req_ctx(rq);
    if (cx->app && cx->app->calendar && cx->db && ow_db_backend(cx->db) == OW_DB_POSTGRES) {
        bool changed;
        ow_err e = {0};
        if (ow_calendar_refresh(cx->app, cx->db, &changed, &e))
            ow_log_warn("calendar not refreshed", "\"field\":\"%s\"", e.field);
    }
    return ow_account_auth_hook(rq, route);
}

ow_auth_hook ow_app_auth_hook(void) {
    return auth_hook;
}
