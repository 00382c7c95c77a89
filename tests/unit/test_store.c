/* test_store.c — src/store/db.c: embedded migrations from an empty database and
 * their idempotence, ow_db_tx rolling back on error and retrying on BUSY, the
 * per-connection statement cache (keyed by address, confirmed by text), and the
 * read-only connections the request threads use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "store/db.h"

typedef struct fixture {
    char dir[64];
    char path[128];
    ow_db *db;
} fixture;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-test-store.XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->path, sizeof f->path, "%s/onewindow.db", f->dir);
    ow_err e = {0};
    if (ow_db_open(f->path, OW_DB_WRITE, &f->db, &e)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    ow_db_close(f->db);
    nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* One integer from a query, or -1. */
static int64_t query_int(ow_db *db, const char *sql) {
    ow_stmt *st;
    if (((st = ow_db_prepare(db, sql, NULL)) ? 0 : 1) != 0) return -1;
    int64_t v = ow_step(st) == OW_ROW ? ow_col_int64(st, 0) : -1;
    ow_stmt_free(st);
    return v;
}

/* The whole schema as text, to prove a re-run changed nothing. */
static char *schema_text(ow_db *db) {
    ow_stmt *st;
    assert_int_equal(((st = ow_db_prepare(db,
                                          "SELECT group_concat(type || ':' || name || ':' ||"
                                          " coalesce(sql,''), char(10)) FROM"
                                          " (SELECT * FROM sqlite_master ORDER BY type, name)",
                                          NULL))
                          ? 0
                          : 1),
                     0);
    assert_int_equal(ow_step(st), OW_ROW);
    char *s = strdup(ow_col_text(st, 0));
    ow_stmt_free(st);
    return s;
}

/* ---------- migrations ---------- */

static void migrate_from_empty_applies_all_then_nothing(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    int v = -1;
    assert_int_equal(ow_db_schema_version(f->db, &v, &e), OW_OK);
    assert_int_equal(v, 0);
    assert_true(ow_db_latest_migration() >= 1);

    int applied = -1;
    assert_int_equal(ow_db_migrate(f->db, &applied, &e), OW_OK);
    assert_true(applied >= 1);
    assert_int_equal(ow_db_schema_version(f->db, &v, &e), OW_OK);
    assert_int_equal(v, ow_db_latest_migration());
    /* one row per migration file, the highest being the latest */
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM schema_migrations"), applied);
    assert_int_equal(query_int(f->db, "SELECT max(version) FROM schema_migrations"),
                     ow_db_latest_migration());
    /* the first migration's table is there */
    assert_int_equal(
        query_int(f->db,
                  "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='instance'"),
        1);

    char *before = schema_text(f->db);
    int64_t applied_at = query_int(f->db, "SELECT sum(applied_at) FROM schema_migrations");
    applied = -1;
    assert_int_equal(ow_db_migrate(f->db, &applied, &e), OW_OK);
    assert_int_equal(applied, 0);
    char *after = schema_text(f->db);
    assert_string_equal(before, after);
    assert_int_equal(query_int(f->db, "SELECT sum(applied_at) FROM schema_migrations"), applied_at);
    free(before);
    free(after);
}

static void migrate_refuses_newer_database(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    int applied;
    assert_int_equal(ow_db_migrate(f->db, &applied, &e), OW_OK);
    char sql[160];
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migrations(version, name, applied_at) VALUES(%d, 'future', 0)",
             ow_db_latest_migration() + 1);
    assert_int_equal(ow_db_exec(f->db, sql, &e), OW_OK);
    assert_int_equal(ow_db_migrate(f->db, &applied, &e), OW_ECONFLICT);
    assert_string_equal(e.field, "schema_version");
    assert_int_equal(applied, 0);
}

/* ---------- transactions ---------- */

typedef struct tx_arg {
    int calls;
    int fail_with;  /* returned after the insert on every call */
    int busy_first; /* return OW_EBUSY on the first n calls */
    int64_t value;
} tx_arg;

static int insert_row(ow_db *db, void *arg, ow_err *e) {
    tx_arg *a = arg;
    a->calls++;
    static const char *sql = "INSERT INTO t(x) VALUES(?)";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, a->value);
    if (ow_step(st) != OW_DONE) return ow_db_fail(db, "insert", e);
    if (a->calls <= a->busy_first) return ow_err_setk(e, OW_EBUSY, "busy", "", "忙");
    if (a->fail_with) return ow_err_set(e, a->fail_with, "x", "不行");
    return OW_OK;
}

static void tx_commits_on_success(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    assert_int_equal(ow_db_exec(f->db, "CREATE TABLE t(x INTEGER)", &e), OW_OK);
    tx_arg a = {.value = 11};
    assert_int_equal(ow_db_tx(f->db, insert_row, &a, &e), OW_OK);
    assert_int_equal(a.calls, 1);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM t WHERE x = 11"), 1);
    assert_true(!ow_db_in_tx(f->db)); /* no transaction left open */
}

static void tx_rolls_back_on_error(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    assert_int_equal(ow_db_exec(f->db, "CREATE TABLE t(x INTEGER)", &e), OW_OK);
    tx_arg a = {.value = 22, .fail_with = OW_EINVAL};
    assert_int_equal(ow_db_tx(f->db, insert_row, &a, &e), OW_EINVAL);
    assert_int_equal(a.calls, 1); /* not retried: only BUSY is */
    assert_string_equal(e.field, "x");
    assert_string_equal(e.message, "不行");
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM t"), 0);
    assert_true(!ow_db_in_tx(f->db));
    /* the connection is usable afterwards */
    tx_arg ok = {.value = 23};
    assert_int_equal(ow_db_tx(f->db, insert_row, &ok, &e), OW_OK);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM t"), 1);
}

static void tx_retries_busy_and_rolls_back_each_attempt(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    assert_int_equal(ow_db_exec(f->db, "CREATE TABLE t(x INTEGER)", &e), OW_OK);
    tx_arg a = {.value = 33, .busy_first = 2};
    assert_int_equal(ow_db_tx(f->db, insert_row, &a, &e), OW_OK);
    assert_int_equal(a.calls, 3);
    /* the two busy attempts left nothing behind */
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM t"), 1);
}

typedef struct holder {
    ow_db *db;
    int hold_ms;
} holder;

static void *release_later(void *arg) {
    holder *h = arg;
    struct timespec ts = {0, (long)h->hold_ms * 1000000L};
    nanosleep(&ts, NULL);
    ow_err e = {0};
    ow_db_commit(h->db, &e);
    return NULL;
}

static void tx_waits_out_another_writer(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    assert_int_equal(ow_db_exec(f->db, "CREATE TABLE t(x INTEGER)", &e), OW_OK);
    /* a second process-like connection holds the write lock for 150 ms */
    ow_db *other;
    assert_int_equal(ow_db_open(f->path, OW_DB_WRITE, &other, &e), OW_OK);
    assert_int_equal(ow_db_begin(other, &e), OW_OK);
    assert_int_equal(ow_db_exec(other, "INSERT INTO t(x) VALUES(1)", &e), OW_OK);
    /* make BEGIN IMMEDIATE answer BUSY at once so ow_db_tx's own retry loop is what waits */
    ow_db_set_busy_timeout(f->db, 1);
    ow_log_set_level(OW_LOG_ERROR); /* the retries log "db busy" warnings */
    holder h = {other, 150};
    pthread_t t;
    pthread_create(&t, NULL, release_later, &h);
    tx_arg a = {.value = 2};
    assert_int_equal(ow_db_tx(f->db, insert_row, &a, &e), OW_OK);
    pthread_join(t, NULL);
    ow_log_set_level(OW_LOG_INFO);
    assert_int_equal(a.calls, 1); /* the function ran once, after BEGIN finally succeeded */
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM t WHERE x IN (1, 2)"), 2);
    ow_db_close(other);
}

static void tx_gives_up_after_persistent_busy(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    assert_int_equal(ow_db_exec(f->db, "CREATE TABLE t(x INTEGER)", &e), OW_OK);
    tx_arg a = {.value = 4, .busy_first = 1000};
    assert_int_equal(ow_db_tx(f->db, insert_row, &a, &e), OW_EBUSY);
    assert_true(a.calls > 1 && a.calls < 100);
    assert_string_equal(e.kind, "busy");
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM t"), 0);
}

/* ---------- statement cache ---------- */

static int64_t step_int(ow_stmt *st) {
    assert_int_equal(ow_step(st), OW_ROW);
    return ow_col_int64(st, 0);
}

static void stmt_cache_returns_working_statement_repeatedly(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    static const char *sql = "SELECT ? * 2";
    ow_stmt *first = ow_db_stmt(f->db, sql, &e);
    assert_non_null(first);
    for (int i = 1; i <= 50; i++) {
        ow_stmt *st = ow_db_stmt(f->db, sql, &e);
        assert_ptr_equal(st, first); /* cached, not prepared again */
        /* bindings from the previous use are cleared */
        assert_int_equal(ow_bind_count(st), 1);
        assert_int_equal(step_int(st), 0);
        st = ow_db_stmt(f->db, sql, &e);
        ow_bind_int(st, 1, i);
        assert_int_equal(step_int(st), 2 * i);
        /* left mid-result on purpose: the next ow_db_stmt must reset it */
    }
    static const char *rows = "SELECT value FROM json_each('[1,2,3]')";
    ow_stmt *st = ow_db_stmt(f->db, rows, &e);
    assert_int_equal(step_int(st), 1); /* stop after the first row */
    st = ow_db_stmt(f->db, rows, &e);
    assert_int_equal(step_int(st), 1); /* starts over */
    assert_int_equal(step_int(st), 2);
}

static void stmt_cache_checks_text_at_same_address(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT 1");
    ow_stmt *st = ow_db_stmt(f->db, sql, &e);
    assert_int_equal(step_int(st), 1);
    snprintf(sql, sizeof sql, "SELECT 2"); /* same address, other text */
    st = ow_db_stmt(f->db, sql, &e);
    assert_non_null(st);
    assert_int_equal(step_int(st), 2);
    snprintf(sql, sizeof sql, "SELECT 1");
    st = ow_db_stmt(f->db, sql, &e);
    assert_int_equal(step_int(st), 1);
    /* a statement that does not compile: NULL and an error, not a stale statement */
    snprintf(sql, sizeof sql, "SELEKT 3");
    ow_log_set_level(OW_LOG_ERROR + 1); /* the prepare failure is logged as an error */
    st = ow_db_stmt(f->db, sql, &e);
    ow_log_set_level(OW_LOG_INFO);
    assert_null(st);
    assert_int_equal(e.code, OW_EDB);
}

static void stmt_cache_survives_more_statements_than_slots(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    enum { N = 1200 };
    char(*sqls)[32] = calloc(N, sizeof *sqls);
    for (int i = 0; i < N; i++)
        snprintf(sqls[i], sizeof sqls[i], "SELECT %d", i);
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < N; i++) {
            ow_stmt *st = ow_db_stmt(f->db, sqls[i], &e);
            assert_non_null(st);
            assert_int_equal(step_int(st), i);
        }
    free(sqls);
}

/* ---------- connections ---------- */

static void read_connection_refuses_writes(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    assert_int_equal(ow_db_exec(f->db, "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES(5)", &e),
                     OW_OK);
    ow_db *r;
    assert_int_equal(ow_db_open(f->path, OW_DB_READ, &r, &e), OW_OK);
    assert_int_equal(query_int(r, "SELECT x FROM t"), 5);
    ow_log_set_level(OW_LOG_ERROR + 1);
    assert_int_not_equal(ow_db_exec(r, "INSERT INTO t VALUES(6)", &e), OW_OK);
    ow_log_set_level(OW_LOG_INFO);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM t"), 1);
    /* WAL on the write connection, FULL sync and foreign keys on both */
    assert_int_equal(query_int(f->db, "PRAGMA synchronous"), 2);
    assert_int_equal(query_int(r, "PRAGMA foreign_keys"), 1);
    ow_db_close(r);
    ow_stmt *st;
    assert_non_null(st = ow_db_prepare(f->db, "PRAGMA journal_mode", NULL));
    assert_int_equal(ow_step(st), OW_ROW);
    assert_string_equal(ow_col_text(st, 0), "wal");
    ow_stmt_free(st);
}

static void read_open_of_missing_database_fails(void **state) {
    fixture *f = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/absent.db", f->dir);
    ow_db *r = (ow_db *)1;
    ow_err e = {0};
    assert_int_equal(ow_db_open(path, OW_DB_READ, &r, &e), OW_EDB);
    assert_null(r);
    assert_string_equal(e.field, "data_dir");
    assert_int_equal(access(path, F_OK), -1); /* and did not create it */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(migrate_from_empty_applies_all_then_nothing),
        T(migrate_refuses_newer_database),
        T(tx_commits_on_success),
        T(tx_rolls_back_on_error),
        T(tx_retries_busy_and_rolls_back_each_attempt),
        T(tx_waits_out_another_writer),
        T(tx_gives_up_after_persistent_busy),
        T(stmt_cache_returns_working_statement_repeatedly),
        T(stmt_cache_checks_text_at_same_address),
        T(stmt_cache_survives_more_statements_than_slots),
        T(read_connection_refuses_writes),
        T(read_open_of_missing_database_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
