/* watch.c — the watcher thread (app.h): what another node changed and this process keeps
 * in memory is reloaded within a second.
 *
 * With one node nothing changes behind the process's back, and the check costs one small
 * query a second.  With several nodes on one PostgreSQL (docs/operations.md) an
 * administrator's calendar edit on node A reaches node B here; the catalog's search index
 * needs no watcher, it reads the catalog's generation on every search. */
#include "app/app.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "calendar/calendar.h"
#include "core/log.h"
#include "store/db.h"

struct ow_watcher {
    ow_app *app;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
};

static void check_once(ow_app *app, ow_db **db) {
    ow_err e = {0};
    if (!*db && ow_db_open(app->db_path, OW_DB_READ, db, &e)) {
        *db = NULL; /* the database is away (a failover): try again next time */
        return;
    }
    bool changed = false;
    if (ow_calendar_refresh(app, *db, &changed, &e)) {
        ow_log_warn("watch: calendar not refreshed", "\"field\":\"%s\"", e.field);
        ow_db_close(*db); /* a fresh connection next time */
        *db = NULL;
        return;
    }
    if (changed) ow_log_info("calendar reloaded", "\"why\":\"changed in the database\"");
}

static void *watch_main(void *arg) {
    struct ow_watcher *w = arg;
    ow_db *db = NULL;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        pthread_mutex_unlock(&w->mu);
        check_once(w->app, &db);
        pthread_mutex_lock(&w->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        while (!w->stop && pthread_cond_timedwait(&w->cv, &w->mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&w->mu);
    ow_db_close(db);
    return NULL;
}

int ow_app_watch_start(ow_app *app, ow_err *e) {
    struct ow_watcher *w = calloc(1, sizeof *w);
    if (!w) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    w->app = app;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, watch_main, w)) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w);
        return ow_err_set(e, OW_EINTERNAL, "", "无法启动变更监视线程");
    }
    app->watcher = w;
    return OW_OK;
}

void ow_app_watch_stop(ow_app *app) {
    struct ow_watcher *w = app->watcher;
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
    app->watcher = NULL;
}
