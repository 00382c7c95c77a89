/* app.c — see app.h. */
#include "app/app.h"

#include "account/account.h"
#include "calendar/calendar.h"
#include "cases/cases.h"
#include "cases/cases_supervision.h"
#include "catalog/catalog.h"
#include "catalog/catalog_cases.h"
#include "complaint/complaint.h"
#include "disclosure/disclosure.h"
#include "files/files.h"
#include "rating/rating.h"
#include "supervision/supervision.h"
#include "wallet/wallet.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static _Thread_local ow_db *tl_reader;
static _Thread_local const ow_app *tl_reader_app;

/* ---- the calendar's followers (calendar/calendar.h): every module with working-day
 * deadlines, in the order their recomputations ran when the calendar called them
 * itself; the statistics' handling days last, after the cases they count ---- */

#define FOLLOWER_CHANGED(fn_name, recompute)                                                       \
    static int fn_name(ow_ctx *cx, int64_t *n) {                                                   \
        int k = 0;                                                                                 \
        int rc = recompute(cx, &k);                                                                \
        *n = k;                                                                                    \
        return rc;                                                                                 \
    }
FOLLOWER_CHANGED(cases_changed, ow_cases_recompute_open)
FOLLOWER_CHANGED(requests_changed, ow_dis_recompute_open)
FOLLOWER_CHANGED(rectifications_changed, ow_rectify_recompute_open)
FOLLOWER_CHANGED(complaints_changed, ow_complaint_recompute_open)

static int handling_changed(ow_ctx *cx, int64_t *n) {
    return ow_cases_sync_workdays(cx->app->calendar, cx->db, n, &cx->err);
}

static int handling_loaded(ow_app *app, ow_db *db, ow_err *e) {
    return ow_cases_sync_workdays(app->calendar, db, NULL, e);
}

static const ow_calendar_follower FOLLOWERS[] = {
    {"recomputed_cases", cases_changed, NULL},
    {"recomputed_info_requests", requests_changed, NULL},
    {"recomputed_rectifications", rectifications_changed, NULL},
    {"recomputed_complaints", complaints_changed, NULL},
    {"recomputed_handling_times", handling_changed, handling_loaded},
};

/* ---- the cases' followers (cases/cases.h): accepted materials become reusable in the
 * applicant's wallet (files), an approval issues the e-license (wallet) ---- */

static int wallet_approved(ow_ctx *cx, const ow_case_approved *c) {
    ow_license_issue_in in = {.case_id = c->case_id,
                              .case_no = c->case_no,
                              .item_id = c->item_id,
                              .item_version = c->item_version,
                              .item_name = c->item_name,
                              .holder_kind = c->holder_kind,
                              .holder_number = c->holder_number,
                              .holder_idx = c->holder_idx,
                              .holder_masked = c->holder_masked,
                              .holder_name = c->holder_name,
                              .title = c->title,
                              .dept_id = c->dept_id};
    int64_t id;
    return ow_wallet_issue_for_case(cx, &in, &id);
}

/* A decision revoked (a false commitment, issue 22): the e-license it issued goes too,
 * through the wallet's own revocation (its register, /verify, the city's index). */
static int wallet_revoked(ow_ctx *cx, int64_t case_id, const char *reason) {
    return ow_wallet_revoke_for_case(cx, case_id, reason);
}

static const ow_case_follower CASE_FOLLOWERS[] = {
    {.accepted = ow_files_case_accepted},
    {.approved = wallet_approved, .revoked = wallet_revoked},
};

/* ---- the supervision sweep's followers: complaints past their answer deadline ---- */

static const ow_sweep_follower SWEEP_FOLLOWERS[] = {
    {"complaints_escalated", ow_complaint_escalate_overdue},
    {"owed_materials_reminded", ow_cases_owed_remind}, /* 容缺: due within a working day */
};

void ow_app_init(ow_app *app, const ow_config *cfg) {
    memset(app, 0, sizeof *app);
    app->cfg = *cfg;
    app->clock.offset_ms = cfg->clock_offset_ms;
    if (cfg->database[0])
        snprintf(app->db_path, sizeof app->db_path, "%s", cfg->database);
    else
        snprintf(app->db_path, sizeof app->db_path, "%s/onewindow.db", cfg->data_dir);
    pthread_mutex_init(&app->readers_mu, NULL);
    pthread_mutex_init(&app->catalog_mu, NULL);
    pthread_mutex_init(&app->calendar_mu, NULL);
    pthread_mutex_init(&app->catalog_build_mu, NULL);
    app->guides = ow_guide_cache_new(); /* NULL (out of memory): guides parsed per use */
    for (size_t i = 0; i < sizeof FOLLOWERS / sizeof *FOLLOWERS; i++)
        ow_calendar_follow(app, &FOLLOWERS[i]);
    for (size_t i = 0; i < sizeof CASE_FOLLOWERS / sizeof *CASE_FOLLOWERS; i++)
        ow_cases_follow(app, &CASE_FOLLOWERS[i]);
    for (size_t i = 0; i < sizeof SWEEP_FOLLOWERS / sizeof *SWEEP_FOLLOWERS; i++)
        ow_supervision_follow(app, &SWEEP_FOLLOWERS[i]);
}

int ow_app_load_keys(ow_app *app, bool create, ow_err *e) {
    char path[600];
    snprintf(path, sizeof path, "%s/secret.key", app->cfg.data_dir);
    if (!create && access(path, F_OK) != 0)
        return ow_err_set(e, OW_ENOTFOUND, "secret_key",
                          "密钥文件 %s 不存在，请先运行 onewindow init", path);
    unsigned char master[OW_SECRET_KEY_BYTES];
    int rc = ow_secret_load_or_create(path, master, e);
    if (!rc) rc = ow_crypto_keys_derive(master, &app->keys);
    sodium_memzero(master, sizeof master);
    if (!rc) app->keys_loaded = true;
    return rc;
}

ow_db *ow_app_read_db(ow_app *app, ow_err *e) {
    if (tl_reader && tl_reader_app == app) return tl_reader;
    ow_db *db;
    if (ow_db_open(app->db_path, OW_DB_READ, &db, e)) return NULL;
    pthread_mutex_lock(&app->readers_mu);
    if (app->nreaders >= OW_APP_MAX_READERS) {
        pthread_mutex_unlock(&app->readers_mu);
        ow_db_close(db);
        ow_err_set(e, OW_EINTERNAL, "", "读取连接过多");
        return NULL;
    }
    app->readers[app->nreaders++] = db;
    pthread_mutex_unlock(&app->readers_mu);
    tl_reader = db;
    tl_reader_app = app;
    return db;
}

void ow_app_close(ow_app *app) {
    ow_supervision_ticker_stop(app); /* it submits to the writer: stop it first */
    ow_app_watch_stop(app);
    if (app->pool) ow_pool_free(app->pool);
    app->pool = NULL;
    if (app->writer) ow_writer_stop(app->writer);
    app->writer = NULL;
    pthread_mutex_lock(&app->readers_mu);
    for (int i = 0; i < app->nreaders; i++)
        ow_db_close(app->readers[i]);
    app->nreaders = 0;
    pthread_mutex_unlock(&app->readers_mu);
    /* Threads that cached a reader are gone by now; this thread's cache must not dangle. */
    tl_reader = NULL;
    tl_reader_app = NULL;
    pthread_mutex_destroy(&app->readers_mu);
    ow_crypto_keys_wipe(&app->keys);
    ow_throttle_free(app->throttle);
    app->throttle = NULL;
    ow_throttle_free(app->track_throttle);
    app->track_throttle = NULL;
    ow_throttle_free(app->register_throttle);
    app->register_throttle = NULL;
    ow_calendar_unload(app);
    ow_catalog_index_drop(app);
    pthread_mutex_destroy(&app->catalog_mu);
    pthread_mutex_destroy(&app->catalog_build_mu);
    ow_guide_cache_free(app->guides);
    app->guides = NULL;
}

void ow_ctx_init_system(ow_ctx *cx, ow_app *app, ow_db *db, ow_arena *arena) {
    memset(cx, 0, sizeof *cx);
    cx->app = app;
    cx->db = db;
    cx->arena = arena;
    cx->clock = &app->clock;
    cx->actor.system = true;
    snprintf(cx->actor.username, sizeof cx->actor.username, "system");
    snprintf(cx->actor.name, sizeof cx->actor.name, "系统");
    snprintf(cx->request_id, sizeof cx->request_id, "cli");
}
