/* app.h — the process: long-lived state created at start-up and owned here
 * (docs/style.md "Memory and state": no global mutable state except what ow_app owns). */
#ifndef OW_APP_APP_H
#define OW_APP_APP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/followers.h"
#include "core/ctx.h"
#include "core/pool.h"
#include "store/db.h"
#include "store/writer.h"

#define OW_VERSION "0.1.0"
#define OW_APP_MAX_READERS 128

struct ow_app {
    ow_config cfg;
    ow_clock clock;
    char db_path[600]; /* the database: an SQLite file, or a PostgreSQL URL/conninfo */
    ow_writer *writer; /* NULL outside `serve` */
    ow_pool *pool;     /* NULL outside `serve` */
    pthread_mutex_t readers_mu;
    ow_db *readers[OW_APP_MAX_READERS];
    int nreaders;
    ow_crypto_keys keys; /* derived from var/secret.key at start-up */
    bool keys_loaded;
    struct ow_calendar *calendar;          /* the legal calendar, loaded at start-up */
    char calendar_sig[160];                /* the stored calendar it was loaded from */
    pthread_mutex_t calendar_mu;           /* guards calendar_sig and a reload */
    struct ow_watcher *watcher;            /* notices other nodes' changes (serve only) */
    struct ow_throttle *throttle;          /* sign-in failures per client address */
    struct ow_throttle *track_throttle;    /* failed public case-progress lookups per address */
    struct ow_throttle *register_throttle; /* registrations per address (NULL: no limit) */
    struct ow_sup_ticker *sup_ticker;      /* supervision sweep thread (serve only) */
    struct ow_guide_cache *guides;         /* parsed published guides (catalog_cases.h) */
    struct ow_events *events;              /* live event streams (http/events.h; serve only) */
    atomic_int uploads_inflight;           /* uploads streaming now (cap: cfg.upload_concurrency) */
    pthread_mutex_t catalog_mu;            /* guards catalog_index and its reference counts */
    pthread_mutex_t catalog_build_mu;      /* one rebuild of the search index at a time */
    struct ow_cat_index *catalog_index;    /* the public search index (catalog_index.c) */
    struct ow_exchange *exchange;          /* the city exchange's keys and sender (src/exchange,
                                            * composed by main.c; NULL when not started) */
    char dummy_pw_hash[128]; /* checked when no account matches, so timing tells nothing */
    /* who follows whom (core/followers.h): the modules whose deadlines follow the calendar
     * (calendar/calendar.h), that act on a case's decisions (cases/cases.h), whose
     * escalations the supervision sweep runs (supervision/supervision.h), that hear of a
     * supervision notice issued (supervision/supervision.h: notifications, issue 20), that
     * hear of an information request answered (disclosure/disclosure.h) */
    ow_followers calendar_followers, case_followers, sweep_followers, notice_followers,
        dis_followers;
    /* modules above system/ that add to the health answer's details (system/system.h), and
     * that follow the ratings and rectifications (rating/rating.h), that hear of a license
     * revoked (wallet/wallet.h: the city's license index, src/exchange) */
    ow_followers health_followers, rating_followers, wallet_followers;
};

/* Prepare paths and the clock from cfg; opens nothing. */
void ow_app_init(ow_app *app, const ow_config *cfg);
/* Load (or, when create is true, create) var/secret.key and derive the subkeys. */
int ow_app_load_keys(ow_app *app, bool create, ow_err *e);
/* Release every reader connection, the pool and the writer. */
void ow_app_close(ow_app *app);
/* The watcher: once a second it looks for what other nodes changed that this process
 * keeps in memory (today the legal calendar; the catalog's search index checks its
 * generation on every search) and reloads it.  Serve only. */
int ow_app_watch_start(ow_app *app, ow_err *e);
void ow_app_watch_stop(ow_app *app);
/* This thread's read-only connection, opened on first use. */
ow_db *ow_app_read_db(ow_app *app, ow_err *e);
/* A context for the CLI, the seeder and tests: the given connection, system actor. */
void ow_ctx_init_system(ow_ctx *cx, ow_app *app, ow_db *db, ow_arena *arena);

#endif
