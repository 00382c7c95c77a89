/* hall_live.c — the calls of every node on every node's streams (hall.h, "Every node
 * announces the calls made on the others").
 *
 * A node publishes what its own requests did at once (hall_api.c).  Several nodes on one
 * database (PostgreSQL) each have their own event hub, so a display connected to one
 * would miss a call made through another.  This thread closes the gap with what the
 * database already holds: every POLL_MS it reads, for each hall followed on this node,
 * the calls and recalls of the last WINDOW_MS (hall_ticket_events, through its
 * (action, at) index) and publishes those the hall's channel has not had — the step's id
 * is the event's id on every node, so the hub drops what was already sent, and a row
 * that committed late is still inside the window when it becomes visible.  Every
 * BOARD_MS it recomputes each followed hall's board and publishes it when it changed.
 * With one node it finds nothing new and costs a few indexed reads a second while
 * somebody follows a hall, none otherwise. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "hall/hall_int.h"
#include "http/events.h"
#include "store/hall_store.h"

#define POLL_MS 250
#define WINDOW_MS 5000
#define BOARD_MS 1000
#define HALLS_MS 30000 /* how often the list of halls is read again */
#define HALLS_MAX 64

typedef struct followed {
    int64_t id;
    char code[32];
    char *board; /* the last board published by this thread, without its "now" */
} followed;

struct ow_hall_live {
    ow_app *app;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    ow_db *db;
    followed halls[HALLS_MAX];
    int nhalls;
    int64_t halls_at, board_at; /* monotonic ms */
};

typedef struct halls_acc {
    ow_hall_live *l;
    int n;
} halls_acc;

static int add_hall(void *arg, const ow_hall_org *site) {
    halls_acc *a = arg;
    if (a->n >= HALLS_MAX) return 0;
    followed *f = &a->l->halls[a->n++];
    if (f->id != site->id) {
        free(f->board);
        f->board = NULL;
    }
    f->id = site->id;
    snprintf(f->code, sizeof f->code, "%s", site->code);
    return 0;
}

typedef struct calls_acc {
    ow_ctx *cx;
    const char *channel;
} calls_acc;

static int announce(void *arg, int64_t step) {
    calls_acc *a = arg;
    ow_events *hub = a->cx->app->events;
    if (ow_events_seen(hub, a->channel, (uint64_t)step)) return 0;
    json_t *c;
    char code[32];
    ow_err keep = a->cx->err;
    if (ow_hall_call_json(a->cx, step, &c, code)) {
        a->cx->err = keep; /* a step that cannot be told (its window gone): skip it */
        return 0;
    }
    char *s = ow_json_dump(c);
    json_decref(c);
    if (s) ow_events_publish_id(hub, a->channel, "call", s, (uint64_t)step);
    free(s);
    return 0;
}

static void refresh_board(ow_ctx *cx, followed *f, const char *channel) {
    json_t *b;
    ow_err keep = cx->err;
    if (ow_hall_board_json(cx, f->code, &b)) {
        cx->err = keep;
        return;
    }
    json_t *now = json_incref(json_object_get(b, "now"));
    json_object_del(b, "now");
    char *text = ow_json_dump(b);
    if (text && (!f->board || strcmp(text, f->board))) {
        free(f->board);
        f->board = text;
        text = NULL;
        if (now) json_object_set(b, "now", now);
        char *s = ow_json_dump(b);
        if (s) ow_events_publish(cx->app->events, channel, "board", s, true);
        free(s);
    }
    free(text);
    json_decref(now);
    json_decref(b);
}

static void poll_once(ow_hall_live *l) {
    ow_events *hub = l->app->events;
    if (ow_events_subscribers(hub, NULL) == 0) return;
    int64_t mono = ow_clock_mono_us() / 1000;
    ow_arena *a = ow_arena_new(1 << 14);
    ow_ctx cx;
    ow_ctx_init_system(&cx, l->app, l->db, a);
    snprintf(cx.request_id, sizeof cx.request_id, "hall-live");
    if (!l->nhalls || mono - l->halls_at >= HALLS_MS) {
        halls_acc acc = {l, 0};
        if (ow_hall_store_each_hall(l->db, add_hall, &acc, &cx.err))
            ow_log_warn("hall live: halls", "\"message\":\"%s\"", cx.err.message);
        else
            l->nhalls = acc.n;
        l->halls_at = mono;
    }
    bool boards = mono - l->board_at >= BOARD_MS;
    if (boards) l->board_at = mono;
    int64_t since = ow_clock_now_ms(&l->app->clock) - WINDOW_MS;
    for (int i = 0; i < l->nhalls; i++) {
        followed *f = &l->halls[i];
        char channel[48];
        ow_hall_channel(f->code, channel);
        if (ow_events_subscribers(hub, channel) == 0) {
            free(f->board); /* a new follower gets the board as it is anyway */
            f->board = NULL;
            continue;
        }
        calls_acc ca = {&cx, channel};
        if (ow_hall_store_each_call_step_since(l->db, f->id, since, announce, &ca, &cx.err)) {
            ow_log_warn("hall live: calls", "\"hall\":\"%s\",\"message\":\"%s\"", f->code,
                        cx.err.message);
            memset(&cx.err, 0, sizeof cx.err);
        }
        if (boards) refresh_board(&cx, f, channel);
    }
    ow_arena_free(a);
}

static void *live_main(void *arg) {
    ow_hall_live *l = arg;
    pthread_mutex_lock(&l->mu);
    while (!l->stop) {
        pthread_mutex_unlock(&l->mu);
        poll_once(l);
        pthread_mutex_lock(&l->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += POLL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!l->stop && pthread_cond_timedwait(&l->cv, &l->mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

int ow_hall_live_start(ow_app *app, ow_hall_live **out, ow_err *e) {
    ow_hall_live *l = calloc(1, sizeof *l);
    if (!l) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    l->app = app;
    int rc = ow_db_open(app->db_path, OW_DB_READ, &l->db, e);
    if (rc) {
        free(l);
        return rc;
    }
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    if (pthread_create(&l->thread, NULL, live_main, l)) {
        pthread_mutex_destroy(&l->mu);
        pthread_cond_destroy(&l->cv);
        ow_db_close(l->db);
        free(l);
        return ow_err_set(e, OW_EINTERNAL, "", "无法启动大厅实时推送");
    }
    *out = l;
    return OW_OK;
}

void ow_hall_live_stop(ow_hall_live *l) {
    if (!l) return;
    pthread_mutex_lock(&l->mu);
    l->stop = true;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->thread, NULL);
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
    for (int i = 0; i < HALLS_MAX; i++)
        free(l->halls[i].board);
    ow_db_close(l->db);
    free(l);
}
