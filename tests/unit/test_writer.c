/* test_writer.c — the single writer with group commit (src/store/writer.c),
 * in-process against a temporary database:
 *   - a failing job rolls back alone; the others of its batch commit;
 *   - a job's done callback runs only after its batch's COMMIT returned
 *     (checked from a separate read connection inside the callback);
 *   - batches grow under load and hold one job under no load;
 *   - batch_max bounds a batch, and stop finishes every queued job.
 * To put several jobs into one batch deterministically, a first "gate" job
 * blocks the writer thread on a condition until the others are queued. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/writer.h"

typedef struct fixture {
    char dir[64];
    char path[128];
    ow_writer *w;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done_count;
    bool gate_started, gate_open;
} fixture;

typedef struct tjob {
    ow_job job;
    ow_err err;
    fixture *f;
    int id;
    bool fail;
    bool check_visible; /* look for the row from another connection in done */
    bool done;
    int done_rc;
    int visible; /* rows with this id seen by the reader in done, -1 = not checked */
} tjob;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static int start(void **state, int batch_max) {
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-test-writer.XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->path, sizeof f->path, "%s/w.db", f->dir);
    ow_err e = {0};
    ow_db *db;
    if (ow_db_open(f->path, OW_DB_WRITE, &db, &e)) return -1;
    int rc = ow_db_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, tag TEXT)", &e);
    ow_db_close(db);
    if (rc) return -1;
    if (ow_writer_start(f->path, batch_max, &f->w, &e)) return -1;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    *state = f;
    return 0;
}

static int setup(void **state) {
    return start(state, 512);
}
static int setup_max3(void **state) {
    return start(state, 3);
}

static int teardown(void **state) {
    fixture *f = *state;
    if (f->w) ow_writer_stop(f->w);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static int count_rows(const char *path, const char *where) {
    ow_db *r;
    ow_err e = {0};
    if (ow_db_open(path, OW_DB_READ, &r, &e)) return -1;
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM t WHERE %s", where);
    ow_stmt *st;
    int n = -1;
    if (((st = ow_db_prepare(r, sql, NULL)) ? 0 : 1) == 0) {
        if (ow_step(st) == OW_ROW) n = ow_col_int(st, 0);
        ow_stmt_free(st);
    }
    ow_db_close(r);
    return n;
}

static int insert_id(ow_db *db, int id, ow_err *e) {
    static const char *sql = "INSERT INTO t(id, tag) VALUES(?, 'job')";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, id);
    if (ow_step(st) != OW_DONE) return ow_db_fail(db, "insert", e);
    return OW_OK;
}

static int job_fn(ow_db *db, void *arg, ow_err *e) {
    tjob *j = arg;
    int rc = insert_id(db, j->id, e);
    if (rc) return rc;
    /* the row is written before the failure, so only a rollback removes it */
    if (j->fail) return ow_err_set(e, OW_EINVAL, "id", "任务 %d 被拒绝", j->id);
    return OW_OK;
}

static void job_done(void *arg, int rc) {
    tjob *j = arg;
    fixture *f = j->f;
    j->visible = -1;
    if (j->check_visible) {
        char where[32];
        snprintf(where, sizeof where, "id = %d", j->id);
        j->visible = count_rows(f->path, where);
    }
    pthread_mutex_lock(&f->mu);
    j->done = true;
    j->done_rc = rc;
    f->done_count++;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

static void submit(fixture *f, tjob *j, int id, bool fail) {
    j->f = f;
    j->id = id;
    j->fail = fail;
    j->job = (ow_job){.fn = job_fn, .arg = j, .done = job_done, .err = &j->err};
    ow_writer_submit(f->w, &j->job);
}

static void wait_done(fixture *f, int n) {
    pthread_mutex_lock(&f->mu);
    while (f->done_count < n)
        pthread_cond_wait(&f->cv, &f->mu);
    pthread_mutex_unlock(&f->mu);
}

/* The gate: runs first, tells the test it is running, waits to be opened. */
static int gate_fn(ow_db *db, void *arg, ow_err *e) {
    tjob *j = arg;
    fixture *f = j->f;
    pthread_mutex_lock(&f->mu);
    f->gate_started = true;
    pthread_cond_broadcast(&f->cv);
    while (!f->gate_open)
        pthread_cond_wait(&f->cv, &f->mu);
    pthread_mutex_unlock(&f->mu);
    return insert_id(db, j->id, e);
}

static void close_gate(fixture *f, tjob *gate, int id) {
    gate->f = f;
    gate->id = id;
    f->gate_open = false;
    f->gate_started = false;
    gate->job = (ow_job){.fn = gate_fn, .arg = gate, .done = job_done, .err = &gate->err};
    ow_writer_submit(f->w, &gate->job);
    pthread_mutex_lock(&f->mu);
    while (!f->gate_started)
        pthread_cond_wait(&f->cv, &f->mu);
    pthread_mutex_unlock(&f->mu);
}

static void open_gate(fixture *f) {
    pthread_mutex_lock(&f->mu);
    f->gate_open = true;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

static void failing_job_rolls_back_alone(void **state) {
    fixture *f = *state;
    tjob gate = {0}, jobs[6] = {0};
    close_gate(f, &gate, 100);
    for (int i = 0; i < 6; i++)
        submit(f, &jobs[i], i + 1, i == 2 || i == 5);
    open_gate(f);
    wait_done(f, 7);

    uint64_t batch = jobs[0].job.batch_no;
    assert_int_not_equal(batch, gate.job.batch_no);
    for (int i = 0; i < 6; i++) {
        assert_true(jobs[i].done);
        assert_int_equal(jobs[i].job.batch_no, batch); /* all in one transaction */
    }
    /* the failures kept their own error; the others succeeded */
    assert_int_equal(jobs[2].done_rc, OW_EINVAL);
    assert_int_equal(jobs[2].job.rc, OW_EINVAL);
    assert_string_equal(jobs[2].err.field, "id");
    assert_string_equal(jobs[2].err.message, "任务 3 被拒绝");
    assert_int_equal(jobs[5].done_rc, OW_EINVAL);
    for (int i = 0; i < 6; i++)
        if (i != 2 && i != 5) assert_int_equal(jobs[i].done_rc, OW_OK);
    /* rows of the good jobs and of the gate are there; the failures' are not */
    assert_int_equal(count_rows(f->path, "id IN (1, 2, 4, 5, 100)"), 5);
    assert_int_equal(count_rows(f->path, "id IN (3, 6)"), 0);
    ow_writer_stats s = ow_writer_get_stats(f->w);
    assert_int_equal(s.batches, 2);
    assert_int_equal(s.jobs, 7);
    assert_int_equal(s.failed_jobs, 2);
    assert_int_equal(s.max_batch, 6);
}

static void job_failing_on_constraint_rolls_back_alone(void **state) {
    fixture *f = *state;
    tjob gate = {0}, jobs[3] = {0};
    close_gate(f, &gate, 200);
    submit(f, &jobs[0], 201, false);
    submit(f, &jobs[1], 201, false); /* duplicate primary key: SQLite refuses */
    submit(f, &jobs[2], 202, false);
    open_gate(f);
    wait_done(f, 4);
    assert_int_equal(jobs[0].job.batch_no, jobs[1].job.batch_no);
    assert_int_equal(jobs[1].job.batch_no, jobs[2].job.batch_no);
    assert_int_equal(jobs[0].done_rc, OW_OK);
    assert_int_equal(jobs[1].done_rc, OW_ECONFLICT);
    assert_int_equal(jobs[2].done_rc, OW_OK);
    assert_int_equal(count_rows(f->path, "id IN (200, 201, 202)"), 3);
}

static void done_runs_only_after_commit(void **state) {
    fixture *f = *state;
    tjob gate = {0}, jobs[8] = {0};
    /* a batch of several, where the first job's done runs while the others' are pending */
    close_gate(f, &gate, 300);
    gate.check_visible = true;
    for (int i = 0; i < 8; i++) {
        jobs[i].check_visible = true;
        submit(f, &jobs[i], 301 + i, i == 4);
    }
    open_gate(f);
    wait_done(f, 9);
    assert_int_equal(gate.visible, 1);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(jobs[i].job.batch_no, jobs[0].job.batch_no);
        assert_int_equal(jobs[i].visible, i == 4 ? 0 : 1);
    }
    /* and one job alone (a batch of one) */
    tjob solo = {.check_visible = true};
    submit(f, &solo, 400, false);
    wait_done(f, 10);
    assert_int_equal(solo.done_rc, OW_OK);
    assert_int_equal(solo.visible, 1);
}

typedef struct loader {
    fixture *f;
    int first_id, n;
    tjob *jobs;
} loader;

static void *load_main(void *arg) {
    loader *l = arg;
    for (int i = 0; i < l->n; i++)
        submit(l->f, &l->jobs[i], l->first_id + i, false);
    return NULL;
}

static void batches_grow_under_load(void **state) {
    fixture *f = *state;
    enum { THREADS = 8, PER = 200 };
    tjob *jobs = calloc(THREADS * PER, sizeof *jobs);
    loader ls[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        ls[i] = (loader){f, 1000 + i * PER, PER, jobs + i * PER};
        pthread_create(&t[i], NULL, load_main, &ls[i]);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    wait_done(f, THREADS * PER);
    for (int i = 0; i < THREADS * PER; i++)
        assert_int_equal(jobs[i].done_rc, OW_OK);
    ow_writer_stats s = ow_writer_get_stats(f->w);
    assert_int_equal(s.jobs, THREADS * PER);
    assert_int_equal(s.failed_jobs, 0);
    assert_true(s.max_batch > 1);
    assert_true(s.batches < s.jobs);
    print_message("      %d jobs in %llu batches, largest %llu\n", THREADS * PER,
                  (unsigned long long)s.batches, (unsigned long long)s.max_batch);
    assert_int_equal(count_rows(f->path, "id >= 1000"), THREADS * PER);
    free(jobs);
}

typedef struct run_arg {
    int id;
} run_arg;

static int run_fn(ow_db *db, void *arg, ow_err *e) {
    return insert_id(db, ((run_arg *)arg)->id, e);
}

typedef struct sync_loader {
    fixture *f;
    int first_id, n, failures;
} sync_loader;

static void *sync_load_main(void *arg) {
    sync_loader *l = arg;
    for (int i = 0; i < l->n; i++) {
        run_arg a = {l->first_id + i};
        ow_err e = {0};
        if (ow_writer_run(l->f->w, run_fn, &a, &e) != OW_OK) l->failures++;
    }
    return NULL;
}

/* The server's shape: each client waits for its answer before the next write,
 * so at most THREADS jobs are queued; they still share commits. */
static void batches_grow_with_waiting_clients(void **state) {
    fixture *f = *state;
    enum { THREADS = 8, PER = 200 };
    sync_loader ls[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        ls[i] = (sync_loader){f, 20000 + i * PER, PER, 0};
        pthread_create(&t[i], NULL, sync_load_main, &ls[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(ls[i].failures, 0);
    }
    ow_writer_stats s = ow_writer_get_stats(f->w);
    assert_int_equal(s.jobs, THREADS * PER);
    assert_true(s.max_batch > 1);
    assert_true(s.max_batch <= THREADS);
    assert_true(s.batches < s.jobs);
    print_message("      %d waiting jobs in %llu batches, largest %llu\n", THREADS * PER,
                  (unsigned long long)s.batches, (unsigned long long)s.max_batch);
    assert_int_equal(count_rows(f->path, "id >= 20000"), THREADS * PER);
}

static void batches_stay_single_without_load(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    for (int i = 0; i < 20; i++) {
        run_arg a = {5000 + i};
        assert_int_equal(ow_writer_run(f->w, run_fn, &a, &e), OW_OK);
        /* synchronous: committed by the time ow_writer_run returns */
        char where[32];
        snprintf(where, sizeof where, "id = %d", a.id);
        assert_int_equal(count_rows(f->path, where), 1);
    }
    ow_writer_stats s = ow_writer_get_stats(f->w);
    assert_int_equal(s.batches, 20);
    assert_int_equal(s.jobs, 20);
    assert_int_equal(s.max_batch, 1);
    /* ow_writer_run hands back the job's own error */
    run_arg dup = {5000};
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_writer_run(f->w, run_fn, &dup, &e), OW_ECONFLICT);
    assert_string_equal(e.kind, "conflict");
}

static void batch_max_bounds_a_batch(void **state) {
    fixture *f = *state; /* writer started with batch_max = 3 */
    tjob gate = {0}, jobs[10] = {0};
    close_gate(f, &gate, 600);
    for (int i = 0; i < 10; i++)
        submit(f, &jobs[i], 601 + i, false);
    open_gate(f);
    wait_done(f, 11);
    /* FIFO in batches of 3, 3, 3, 1 after the gate's own */
    uint64_t b0 = gate.job.batch_no;
    for (int i = 0; i < 10; i++)
        assert_int_equal(jobs[i].job.batch_no, b0 + 1 + (uint64_t)i / 3);
    ow_writer_stats s = ow_writer_get_stats(f->w);
    assert_int_equal(s.max_batch, 3);
    assert_int_equal(s.batches, 5);
    assert_int_equal(count_rows(f->path, "id BETWEEN 601 AND 610"), 10);
}

static void stop_finishes_queued_jobs(void **state) {
    fixture *f = *state;
    enum { N = 50 };
    tjob jobs[N] = {0};
    for (int i = 0; i < N; i++)
        submit(f, &jobs[i], 700 + i, false);
    ow_writer_stop(f->w);
    f->w = NULL;
    assert_int_equal(f->done_count, N);
    for (int i = 0; i < N; i++) {
        assert_true(jobs[i].done);
        assert_int_equal(jobs[i].done_rc, OW_OK);
    }
    assert_int_equal(count_rows(f->path, "id BETWEEN 700 AND 749"), N);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(failing_job_rolls_back_alone),
        T(job_failing_on_constraint_rolls_back_alone),
        T(done_runs_only_after_commit),
        T(batches_grow_under_load),
        T(batches_grow_with_waiting_clients),
        T(batches_stay_single_without_load),
        cmocka_unit_test_setup_teardown(batch_max_bounds_a_batch, setup_max3, teardown),
        T(stop_finishes_queued_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
