/* pool.c — see pool.h. A mutex-and-condition queue: tasks are few and long,
 * so a lock-free queue would buy nothing. */
#include "core/pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct ow_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ow_task *head, *tail;
    bool stopping;
    int n;
    pthread_t threads[];
};

static void *pool_main(void *arg) {
    ow_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->head && !p->stopping)
            pthread_cond_wait(&p->cv, &p->mu);
        ow_task *t = p->head;
        if (!t) break;
        p->head = t->next;
        if (!p->head) p->tail = NULL;
        pthread_mutex_unlock(&p->mu);
        t->next = NULL;
        t->run(t->arg);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

ow_pool *ow_pool_new(int threads) {
    if (threads < 1) threads = 1;
    ow_pool *p = calloc(1, sizeof *p + (size_t)threads * sizeof(pthread_t));
    if (!p) abort();
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    for (int i = 0; i < threads; i++)
        if (pthread_create(&p->threads[i], NULL, pool_main, p) == 0) p->n++;
    if (!p->n) abort();
    return p;
}

void ow_pool_submit(ow_pool *p, ow_task *t) {
    t->next = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->next = t;
    else
        p->head = t;
    p->tail = t;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void ow_pool_free(ow_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n; i++)
        pthread_join(p->threads[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}
