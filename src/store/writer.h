/* writer.h — the single writer thread with group commit (docs/architecture.md "Threads").
 *
 * All writes of the server pass through here.  Jobs queue up while the
 * previous batch commits; the writer then runs every queued job inside one
 * BEGIN IMMEDIATE … COMMIT, each job in its own SAVEPOINT so a failing job
 * rolls back alone, and calls each job's `done` only after COMMIT returned:
 * nothing is acknowledged before it is durable.  Under no load a batch holds
 * one job; under load batches grow and one fsync serves many requests. */
#ifndef OW_STORE_WRITER_H
#define OW_STORE_WRITER_H

#include <stdint.h>

#include "core/err.h"
#include "store/db.h"

typedef struct ow_writer ow_writer;

typedef int (*ow_job_fn)(ow_db *db, void *arg, ow_err *e);
typedef void (*ow_job_done_fn)(void *arg, int rc);

/* Caller-owned; must stay alive until done is called. */
typedef struct ow_job {
    ow_job_fn fn;
    void *arg;
    ow_job_done_fn done; /* called on the writer thread after the batch's commit */
    ow_err *err;         /* where the job's error goes (may be NULL) */
    int rc;              /* result: the job's own, or the commit's failure */
    uint64_t batch_no;   /* which batch it ran in (tests, stats) */
    struct ow_job *next;
} ow_job;

typedef struct ow_writer_stats {
    uint64_t batches, jobs, failed_jobs, max_batch;
} ow_writer_stats;

int ow_writer_start(const char *db_path, int batch_max, ow_writer **out, ow_err *e);
void ow_writer_submit(ow_writer *w, ow_job *job);
/* Submit and wait: for the CLI and tests. */
int ow_writer_run(ow_writer *w, ow_job_fn fn, void *arg, ow_err *e);
/* Finish every queued job, then stop the thread and close the connection. */
void ow_writer_stop(ow_writer *w);
ow_writer_stats ow_writer_get_stats(ow_writer *w);

#endif
