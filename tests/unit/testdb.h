/* testdb.h — which database a unit test's fixture opens.
 *
 * CTest runs the module suites twice (CMakeLists.txt): as `test_x` on an SQLite file in
 * the fixture's directory, and as `test_x_postgres` with OW_TEST_BACKEND=postgres on the
 * throwaway cluster `make test-unit` starts (scripts/pg.sh; its conninfo in
 * OW_TEST_PG_URL).  There every fixture gets a schema of its own, as on SQLite it gets a
 * file of its own.  A postgres run without a cluster fails, it does not skip. */
#ifndef OW_TESTS_TESTDB_H
#define OW_TESTS_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "store/db.h"

static inline bool ow_test_on_postgres(void) {
    const char *b = getenv("OW_TEST_BACKEND");
    return b && !strcmp(b, "postgres");
}

/* Point cfg at this test's database: nothing to do for SQLite (the file in data_dir);
 * on PostgreSQL a fresh schema.  0, or -1 with a message on stderr. */
static inline int ow_test_database(ow_config *cfg) {
    if (!ow_test_on_postgres()) return 0;
    const char *url = getenv("OW_TEST_PG_URL");
    if (!url || !*url) {
        fprintf(stderr, "OW_TEST_BACKEND=postgres needs OW_TEST_PG_URL (run `make test-unit`)\n");
        return -1;
    }
    static int n;
    char schema[64];
    snprintf(schema, sizeof schema, "t_%ld_%d", (long)getpid(), ++n);
    ow_db *db;
    ow_err e = {0};
    if (ow_db_open(url, OW_DB_WRITE, &db, &e)) {
        fprintf(stderr, "test database: %s\n", e.message);
        return -1;
    }
    char sql[384];
    /* The extensions in public, where every schema's search path finds them.  CTest runs
     * the postgres suites in parallel, and two CREATE EXTENSION IF NOT EXISTS at once can
     * both find it missing and one fail on pg_extension's unique index: an advisory lock
     * for the transaction lets one suite at a time create them. */
    snprintf(sql, sizeof sql,
             "BEGIN; SELECT pg_advisory_xact_lock(1870069762);"
             " CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;"
             " CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public; CREATE SCHEMA %s; COMMIT",
             schema);
    int rc = ow_db_exec(db, sql, &e);
    ow_db_close(db);
    if (rc) {
        fprintf(stderr, "test schema %s: %s\n", schema, e.message);
        return -1;
    }
    snprintf(cfg->database, sizeof cfg->database, "%s options='-c search_path=%s,public'", url,
             schema);
    return 0;
}

#endif
