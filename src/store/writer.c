/* writer.c — see writer.h for the design. */
#include "store/writer.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "core/log.h"

struct ow_writer {
    ow_db *db;
    int batch_max;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ow_job *head, *tail;
    bool stopping;
    ow_writer_stats stats;
};

static ow_job *take_batch(ow_writer *w, int max, int *n) {
    ow_job *first = w->head, *last = NULL, *j = first;
    *n = 0;
    while (j && *n < max) {
        last = j;
        j = j->next;
        (*n)++;
    }
    w->head = j;
    if (!j) w->tail = NULL;
    if (last) last->next = NULL;
    return first;
}

/* BEGIN, again while the database is lost (a failover): nothing of the batch has run
 * yet, so trying again cannot write anything twice.  The jobs wait up to about
 * BEGIN_WAIT_MS for a primary, then answer 503 with Retry-After. */
#define BEGIN_WAIT_MS 3000

static int begin_batch(ow_writer *w, ow_err *e) {
    int rc = ow_db_begin(w->db, e);
    for (int waited = 0; rc && ow_db_lost(w->db) && waited < BEGIN_WAIT_MS; waited += 250) {
        struct timespec ts = {0, 250 * 1000 * 1000};
        nanosleep(&ts, NULL);
        ow_db_rollback(w->db);
        *e = (ow_err){0};
        rc = ow_db_begin(w->db, e);
    }
    return rc;
}

static void run_batch(ow_writer *w, ow_job *batch, int n, uint64_t batch_no) {
    ow_err berr = {0};
    int brc = begin_batch(w, &berr);
    int ok_jobs = 0;
    for (ow_job *j = batch; j; j = j->next) {
        j->batch_no = batch_no;
        if (brc) {
            j->rc = brc;
            continue;
        }
        ow_err tmp = {0};
        ow_err *e = j->err ? j->err : &tmp;
        j->rc = ow_db_savepoint(w->db, e);
        if (!j->rc) j->rc = j->fn(w->db, j->arg, e);
        if (j->rc) {
            ow_db_rollback_to(w->db);
        } else if ((j->rc = ow_db_release(w->db, e))) {
            ow_db_rollback_to(w->db);
        } else {
            ok_jobs++;
        }
    }
    if (!brc) {
        brc = ow_db_commit(w->db, &berr);
        if (brc) {
            ow_db_rollback(w->db);
            ow_log_error("group commit failed", "\"jobs\":%d", n);
            for (ow_job *j = batch; j; j = j->next)
                if (!j->rc) {
                    j->rc = brc;
                    if (j->err) *j->err = berr;
                }
        }
    } else {
        for (ow_job *j = batch; j; j = j->next)
            if (j->err) *j->err = berr;
    }
    pthread_mutex_lock(&w->mu);
    w->stats.batches++;
    w->stats.jobs += (uint64_t)n;
    if ((uint64_t)n > w->stats.max_batch) w->stats.max_batch = (uint64_t)n;
    for (ow_job *j = batch; j; j = j->next)
        if (j->rc) w->stats.failed_jobs++;
    pthread_mutex_unlock(&w->mu);
    (void)ok_jobs;
    /* Acknowledge only now that the commit has returned. */
    for (ow_job *j = batch, *next; j; j = next) {
        next = j->next;
        j->next = NULL;
        if (j->done) j->done(j->arg, j->rc);
    }
}

static void *writer_main(void *arg) {
    ow_writer *w = arg;
    uint64_t batch_no = 0;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->head && w->stopping) break;
        int n;
        ow_job *batch = take_batch(w, w->batch_max, &n);
        pthread_mutex_unlock(&w->mu);
        run_batch(w, batch, n, ++batch_no);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int ow_writer_start(const char *db_path, int batch_max, ow_writer **out, ow_err *e) {
    ow_writer *w = calloc(1, sizeof *w);
    if (!w) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    int rc = ow_db_open(db_path, OW_DB_WRITE, &w->db, e);
    if (rc) {
        free(w);
        return rc;
    }
    w->batch_max = batch_max > 0 ? batch_max : 512;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w)) {
        ow_db_close(w->db);
        free(w);
        return ow_err_set(e, OW_EINTERNAL, "", "无法启动写入线程");
    }
    *out = w;
    return OW_OK;
}

void ow_writer_submit(ow_writer *w, ow_job *job) {
    job->next = NULL;
    job->rc = 0;
    pthread_mutex_lock(&w->mu);
    if (w->tail)
        w->tail->next = job;
    else
        w->head = job;
    w->tail = job;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

typedef struct waiter {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
    void *user_arg;
    ow_job_fn user_fn;
} waiter;

static int waiter_fn(ow_db *db, void *arg, ow_err *e) {
    waiter *wt = arg;
    return wt->user_fn(db, wt->user_arg, e);
}

static void waiter_done(void *arg, int rc) {
    (void)rc;
    waiter *wt = arg;
    pthread_mutex_lock(&wt->mu);
    wt->done = true;
    pthread_cond_signal(&wt->cv);
    pthread_mutex_unlock(&wt->mu);
}

int ow_writer_run(ow_writer *w, ow_job_fn fn, void *arg, ow_err *e) {
    waiter wt = {.done = false, .user_arg = arg, .user_fn = fn};
    pthread_mutex_init(&wt.mu, NULL);
    pthread_cond_init(&wt.cv, NULL);
    ow_job job = {.fn = waiter_fn, .arg = &wt, .done = waiter_done, .err = e};
    ow_writer_submit(w, &job);
    pthread_mutex_lock(&wt.mu);
    while (!wt.done)
        pthread_cond_wait(&wt.cv, &wt.mu);
    pthread_mutex_unlock(&wt.mu);
    pthread_mutex_destroy(&wt.mu);
    pthread_cond_destroy(&wt.cv);
    return job.rc;
}

void ow_writer_stop(ow_writer *w) {
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    ow_db_close(w->db);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}

ow_writer_stats ow_writer_get_stats(ow_writer *w) {
    pthread_mutex_lock(&w->mu);
    ow_writer_stats s = w->stats;
    pthread_mutex_unlock(&w->mu);
    return s;
}
