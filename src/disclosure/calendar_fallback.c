/* calendar_fallback.c — the legal calendar for this module until the cases issue's
 * start-up loading (app->calendar) reaches main.  Delete this file and make
 * ow_dis_calendar return cx->app->calendar once it does.
 *
 * Loaded once from cfg.calendar_dir into app->calendar (which the app owns), under a
 * lock so that two request threads do not both load it.  A missing or broken
 * calendar directory is an error the caller reports, never a weekday-only guess. */
#include <pthread.h>

#include "app/app.h"
#include "core/log.h"
#include "disclosure/disclosure.h"

static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;

ow_calendar *ow_dis_calendar(ow_ctx *cx) {
    ow_app *app = cx->app;
    pthread_mutex_lock(&load_mu);
    if (!app->calendar) {
        ow_calendar *cal = ow_cal_new();
        ow_err e = {0};
        if (cal && ow_cal_load_dir(cal, app->cfg.calendar_dir, &e) == OW_OK) {
            app->calendar = cal;
        } else {
            ow_cal_free(cal);
            ow_log_error("calendar not loaded", "\"dir\":\"%s\"", app->cfg.calendar_dir);
        }
    }
    ow_calendar *cal = app->calendar;
    pthread_mutex_unlock(&load_mu);
    if (!cal)
        ow_err_set(&cx->err, OW_EINTERNAL, "calendar", "法定工作日历未能加载（目录 %s）",
                   app->cfg.calendar_dir);
    return cal;
}
