/* test_audit.c — src/audit/audit.c: the hash chain verifies, and every way of
 * tampering with the stored rows is caught and the row named:
 *   (a) the append-only trigger dropped and one row's detail edited;
 *   (b) a middle row deleted — verify names the row after the gap;
 *   (c) two rows' contents swapped (a reorder);
 *   (d) one byte of the raw database file changed with a plain file write;
 * plus: the triggers refuse UPDATE and DELETE, another key does not verify,
 * and a cut-off tail is visible only against a recorded head — and, with the anchor file
 * beside the database, `audit verify` fails and names the rows cut from the tail; an
 * edited anchor line, a row rewritten under its anchor and a replayed older anchor are
 * caught too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/log.h"
#include "store/db.h"
#include "testdb.h"

#define ROWS 10

typedef struct fixture {
    char dir[64];
    ow_app app;
    ow_db *db;
    ow_arena *arena;
} fixture;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

/* Append n rows whose details carry findable markers "marker-0001-abcdef" … */
static int append_rows(fixture *f, int from, int n) {
    ow_ctx cx;
    ow_ctx_init_system(&cx, &f->app, f->db, f->arena);
    snprintf(cx.ip, sizeof cx.ip, "203.0.113.9");
    for (int i = from; i < from + n; i++) {
        char marker[32], id[16];
        snprintf(marker, sizeof marker, "marker-%04d-abcdef", i);
        snprintf(id, sizeof id, "%d", i);
        json_t *d = json_pack("{s:s,s:i}", "note", marker, "n", i);
        int rc = ow_audit_append(&cx, "test.event", "thing", id, d);
        json_decref(d);
        if (rc) return rc;
    }
    return OW_OK;
}

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-test-audit.XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    ow_config cfg;
    ow_config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", f->dir);
    if (ow_test_database(&cfg)) return -1;
    ow_app_init(&f->app, &cfg);
    ow_err e = {0};
    if (ow_app_load_keys(&f->app, true, &e)) return -1;
    if (ow_db_open(f->app.db_path, OW_DB_WRITE, &f->db, &e)) return -1;
    int applied;
    if (ow_db_migrate(f->db, &applied, &e)) return -1;
    f->arena = ow_arena_new(4096);
    if (append_rows(f, 1, ROWS)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    if (f->db) ow_db_close(f->db);
    ow_app_close(&f->app);
    ow_arena_free(f->arena);
    nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static void exec(fixture *f, const char *sql) {
    ow_err e = {0};
    if (ow_db_exec(f->db, sql, &e) != 0) fail_msg("%s: %s", sql, e.message);
}

/* What an attacker with the database's owner rights does first: lift the append-only
 * guard (SQLite: drop the trigger; PostgreSQL: disable it). */
static void lift_guard(fixture *f, const char *what) {
    if (ow_db_backend(f->db) == OW_DB_POSTGRES)
        exec(f, "ALTER TABLE audit DISABLE TRIGGER audit_no_change");
    else if (!strcmp(what, "update"))
        exec(f, "DROP TRIGGER audit_no_update");
    else
        exec(f, "DROP TRIGGER audit_no_delete");
}

static ow_audit_report verify(fixture *f) {
    ow_audit_report r;
    ow_err e = {0};
    assert_int_equal(ow_audit_verify(f->db, &f->app.keys, &r, &e), OW_OK);
    return r;
}

static void chain_verifies_and_reports_its_head(void **state) {
    fixture *f = *state;
    ow_audit_report r = verify(f);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.rows, ROWS);
    assert_int_equal(r.head_seq, ROWS);
    assert_int_equal((int)strlen(r.head_hash), 64);
    /* rows are linked: each prev_hash is the hash before it, the first the genesis */
    ow_stmt *st;
    assert_int_equal(((st = ow_db_prepare(f->db,
                                          "SELECT count(*) FROM audit a JOIN audit b ON"
                                          " b.seq = a.seq + 1 WHERE b.prev_hash = a.hash",
                                          NULL))
                          ? 0
                          : 1),
                     0);
    assert_int_equal(ow_step(st), OW_ROW);
    assert_int_equal(ow_col_int(st, 0), ROWS - 1);
    ow_stmt_free(st);
    /* appending more keeps it intact */
    assert_int_equal(append_rows(f, ROWS + 1, 3), OW_OK);
    r = verify(f);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.rows, ROWS + 3);
}

static void triggers_refuse_update_and_delete(void **state) {
    fixture *f = *state;
    ow_db *h = f->db;
    assert_int_not_equal(ow_db_exec(h, "UPDATE audit SET detail = '{}' WHERE seq = 3", NULL), 0);
    assert_int_not_equal(ow_db_exec(h, "DELETE FROM audit WHERE seq = 3", NULL), 0);
    assert_int_equal(verify(f).bad_seq, 0);
}

static void edited_row_is_named(void **state) {
    fixture *f = *state;
    lift_guard(f, "update");
    exec(f,
         "UPDATE audit SET detail = replace(detail, 'marker-0005', 'marker-0555') WHERE seq = 5");
    ow_audit_report r = verify(f);
    assert_int_equal(r.bad_seq, 5);
    assert_non_null(strstr(r.why, "修改"));
    /* an edit of any other field too: the actor of row 7, on a fresh copy of the chain */
    exec(f,
         "UPDATE audit SET detail = replace(detail, 'marker-0555', 'marker-0005') WHERE seq = 5");
    assert_int_equal(verify(f).bad_seq, 0);
    exec(f, "UPDATE audit SET actor = 'somebody-else' WHERE seq = 7");
    assert_int_equal(verify(f).bad_seq, 7);
}

static void deleted_middle_row_names_the_next(void **state) {
    fixture *f = *state;
    lift_guard(f, "delete");
    exec(f, "DELETE FROM audit WHERE seq = 4");
    ow_audit_report r = verify(f);
    assert_int_equal(r.bad_seq, 5);
    assert_non_null(strstr(r.why, "删除"));
}

static void renumbering_after_a_delete_is_still_caught(void **state) {
    fixture *f = *state;
    /* close the gap by shifting the later rows down: their hashes cover seq */
    lift_guard(f, "delete");
    lift_guard(f, "update");
    exec(f, "DELETE FROM audit WHERE seq = 4");
    for (int s = 5; s <= ROWS; s++) {
        char sql[96];
        snprintf(sql, sizeof sql, "UPDATE audit SET seq = %d WHERE seq = %d", s - 1, s);
        exec(f, sql);
    }
    assert_int_equal(verify(f).bad_seq, 4);
}

static void swapped_rows_are_detected(void **state) {
    fixture *f = *state;
    lift_guard(f, "update");
    /* every column but seq changes places between rows 4 and 7 */
    const char *cols = "at, actor_id, actor, actor_role, ip, request_id, action, object_type,"
                       " object_id, detail, prev_hash, hash";
    char sql[1024];
    snprintf(sql, sizeof sql,
             "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (4, 7);"
             "UPDATE audit SET (%s) = (SELECT %s FROM t WHERE t.seq = 7) WHERE seq = 4;"
             "UPDATE audit SET (%s) = (SELECT %s FROM t WHERE t.seq = 4) WHERE seq = 7;",
             cols, cols, cols, cols);
    exec(f, sql);
    ow_audit_report r = verify(f);
    assert_int_equal(r.bad_seq, 4);
    assert_true(r.rows <= 4);
}

static void swapped_details_are_detected(void **state) {
    fixture *f = *state;
    /* only the payloads trade places: links intact, hashes not */
    lift_guard(f, "update");
    exec(f, "CREATE TEMP TABLE t AS SELECT seq, detail FROM audit WHERE seq IN (2, 3);"
            "UPDATE audit SET detail = (SELECT detail FROM t WHERE seq = 3) WHERE seq = 2;"
            "UPDATE audit SET detail = (SELECT detail FROM t WHERE seq = 2) WHERE seq = 3;");
    assert_int_equal(verify(f).bad_seq, 2);
}

/* Returns the offset of needle in the file, -1 if absent. */
static long find_in_file(const char *path, const char *needle) {
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    long at = -1;
    size_t k = strlen(needle);
    for (long i = 0; i + (long)k <= n; i++)
        if (!memcmp(buf + i, needle, k)) {
            at = i;
            break;
        }
    free(buf);
    return at;
}

static void edited_bytes_in_the_raw_file_are_detected(void **state) {
    fixture *f = *state;
    /* put every page into the main file, close, then edit it like a text editor would */
    exec(f, "PRAGMA wal_checkpoint(TRUNCATE)");
    ow_db_close(f->db);
    f->db = NULL;
    long at = find_in_file(f->app.db_path, "marker-0006-abcdef");
    assert_true(at > 0);
    int fd = open(f->app.db_path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, "X", 1, at + 12), 1); /* abcdef -> Xbcdef */
    close(fd);
    ow_err e = {0};
    assert_int_equal(ow_db_open(f->app.db_path, OW_DB_WRITE, &f->db, &e), OW_OK);
    ow_audit_report r;
    int rc = ow_audit_verify(f->db, &f->app.keys, &r, &e);
    /* SQLite keeps no page checksums, so it reads the edited text back and the
     * chain is what notices; a read error would do too, but not "intact". */
    if (rc == OW_OK) {
        assert_int_equal(r.bad_seq, 6);
    } else {
        assert_int_not_equal(rc, OW_OK);
    }
}

static void another_key_does_not_verify(void **state) {
    fixture *f = *state;
    ow_crypto_keys other = f->app.keys;
    other.audit[0] ^= 0x01;
    ow_audit_report r;
    ow_err e = {0};
    assert_int_equal(ow_audit_verify(f->db, &other, &r, &e), OW_OK);
    assert_int_equal(r.bad_seq, 1);
}

static void cut_off_tail_shows_only_against_a_recorded_head(void **state) {
    fixture *f = *state;
    ow_audit_report before = verify(f);
    lift_guard(f, "delete");
    exec(f, "DELETE FROM audit WHERE seq > 8");
    ow_audit_report after = verify(f);
    /* the chain alone is still valid (the limit audit.c documents) ... */
    assert_int_equal(after.bad_seq, 0);
    /* ... but it no longer reaches the head recorded before */
    assert_true(after.head_seq < before.head_seq);
    assert_string_not_equal(after.head_hash, before.head_hash);
}

static void anchor_path(fixture *f, char *out, size_t n) {
    snprintf(out, n, "%s/%s", f->dir, OW_AUDIT_ANCHOR_FILE);
}

static ow_audit_report verify_anchored(fixture *f) {
    char path[128];
    anchor_path(f, path, sizeof path);
    ow_audit_report r;
    ow_err e = {0};
    assert_int_equal(ow_audit_verify_anchored(f->db, &f->app.keys, path, &r, &e), OW_OK);
    return r;
}

static void anchor(fixture *f, int64_t at, bool expect_written) {
    char path[128];
    anchor_path(f, path, sizeof path);
    ow_audit_anchor a;
    bool written;
    ow_err e = {0};
    assert_int_equal(ow_audit_anchor_write(f->db, &f->app.keys, path, at, &a, &written, &e), OW_OK);
    assert_int_equal(written, expect_written);
}

/* The finding (12,238 rows cut to 12,237 verified "intact") against the anchor. */
static void tail_cut_after_an_anchor_fails_and_names_the_rows(void **state) {
    fixture *f = *state;
    ow_audit_report r = verify_anchored(f); /* no anchor yet: intact, nothing to compare */
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.anchor_seq, 0);
    anchor(f, 1000, true);
    anchor(f, 2000, false); /* the same head is not anchored twice */
    r = verify_anchored(f);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.anchor_seq, ROWS);
    assert_int_equal(r.anchor_at, 1000);
    /* rows appended after the anchor are fine */
    assert_int_equal(append_rows(f, ROWS + 1, 2), OW_OK);
    anchor(f, 3000, true);
    r = verify_anchored(f);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.anchor_seq, ROWS + 2);
    /* drop the guard and cut the newest three rows */
    lift_guard(f, "delete");
    exec(f, "DELETE FROM audit WHERE seq > 9");
    ow_audit_report plain = verify(f);
    assert_int_equal(plain.bad_seq, 0); /* the chain alone still looks intact */
    r = verify_anchored(f);
    assert_int_equal(r.missing_from, 10);
    assert_int_equal(r.missing_to, ROWS + 2);
    assert_int_equal(r.bad_seq, 10);
    assert_non_null(strstr(r.why, "第 10–12 条已从末尾删除"));
    /* and cut one row only */
    exec(f, "DELETE FROM audit WHERE seq = 9");
    r = verify_anchored(f);
    assert_int_equal(r.missing_from, 9);
    assert_int_equal(r.missing_to, ROWS + 2);
}

/* Cut the tail and append new rows up to the anchored number: the anchored row exists
 * again, but not with the anchored hash. */
static void a_tail_rewritten_under_the_anchor_is_named(void **state) {
    fixture *f = *state;
    anchor(f, 1000, true);
    lift_guard(f, "delete");
    exec(f, "DELETE FROM audit WHERE seq > 7");
    assert_int_equal(append_rows(f, 100, 3), OW_OK);
    ow_audit_report r = verify_anchored(f);
    assert_int_equal(r.missing_from, 0);
    assert_int_equal(r.bad_seq, ROWS);
    assert_non_null(strstr(r.why, "锚点"));
}

static void an_edited_or_torn_anchor_line_is_reported(void **state) {
    fixture *f = *state;
    anchor(f, 1000, true);
    char path[128];
    anchor_path(f, path, sizeof path);
    /* lower the anchored head by hand: the MAC no longer fits */
    FILE *fp = fopen(path, "r+");
    assert_non_null(fp);
    char line[400];
    assert_non_null(fgets(line, sizeof line, fp));
    char *seq = strstr(line, "\"seq\":10");
    assert_non_null(seq);
    fseek(fp, seq - line + 6, SEEK_SET);
    fputs("9", fp); /* "seq":10 -> "seq":90 */
    fclose(fp);
    ow_audit_report r;
    ow_err e = {0};
    assert_int_equal(ow_audit_verify_anchored(f->db, &f->app.keys, path, &r, &e), OW_EINVAL);
    assert_string_equal(e.field, "audit_anchor");
    assert_non_null(strstr(e.message, "第 1 行"));
    /* a torn last line (no newline) is reported, not skipped */
    fp = fopen(path, "w");
    fputs("{\"seq\":1", fp);
    fclose(fp);
    assert_int_equal(ow_audit_verify_anchored(f->db, &f->app.keys, path, &r, &e), OW_EINVAL);
    assert_non_null(strstr(e.message, "不完整"));
}

/* Appending an older anchor line again (copied from earlier in the file) does not lower
 * the head verify compares with: the highest anchored number counts. */
static void a_replayed_older_anchor_does_not_lower_the_head(void **state) {
    fixture *f = *state;
    anchor(f, 1000, true);
    char path[128];
    anchor_path(f, path, sizeof path);
    FILE *fp = fopen(path, "r");
    char first[400];
    assert_non_null(fgets(first, sizeof first, fp));
    fclose(fp);
    assert_int_equal(append_rows(f, ROWS + 1, 5), OW_OK);
    anchor(f, 2000, true);
    fp = fopen(path, "a");
    fputs(first, fp);
    fclose(fp);
    lift_guard(f, "delete");
    exec(f, "DELETE FROM audit WHERE seq > 12");
    ow_audit_report r = verify_anchored(f);
    assert_int_equal(r.anchor_seq, ROWS + 5);
    assert_int_equal(r.missing_from, 13);
    assert_int_equal(r.missing_to, 15);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    ow_log_set_level(OW_LOG_ERROR);
    if (ow_crypto_init()) return 1;
    const struct CMUnitTest tests[] = {
        T(chain_verifies_and_reports_its_head),
        T(triggers_refuse_update_and_delete),
        T(edited_row_is_named),
        T(deleted_middle_row_names_the_next),
        T(renumbering_after_a_delete_is_still_caught),
        T(swapped_rows_are_detected),
        T(swapped_details_are_detected),
        T(another_key_does_not_verify),
        T(cut_off_tail_shows_only_against_a_recorded_head),
        T(tail_cut_after_an_anchor_fails_and_names_the_rows),
        T(a_tail_rewritten_under_the_anchor_is_named),
        T(an_edited_or_torn_anchor_line_is_reported),
        T(a_replayed_older_anchor_does_not_lower_the_head),
    };
    /* bytes edited in the database file itself: a file only SQLite has */
    const struct CMUnitTest sqlite_file[] = {
        T(edited_bytes_in_the_raw_file_are_detected),
    };
    int failed = cmocka_run_group_tests_name("audit chain", tests, NULL, NULL);
    if (!ow_test_on_postgres())
        failed += cmocka_run_group_tests_name("sqlite file", sqlite_file, NULL, NULL);
    return failed;
}
