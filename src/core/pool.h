/* pool.h — a small pool of threads for work that costs milliseconds of CPU
 * or slow I/O (argon2id checks, PDF and XLSX rendering), so request threads
 * never stall behind it (docs/architecture.md "Threads").  Tasks are caller-owned. */
#ifndef OW_CORE_POOL_H
#define OW_CORE_POOL_H

typedef struct ow_pool ow_pool;

typedef struct ow_task {
    void (*run)(void *arg); /* does the work and, when the caller needs it, hands back */
    void *arg;
    struct ow_task *next;
} ow_task;

ow_pool *ow_pool_new(int threads);
void ow_pool_submit(ow_pool *p, ow_task *t);
/* Run every queued task, then join the threads. */
void ow_pool_free(ow_pool *p);

#endif
