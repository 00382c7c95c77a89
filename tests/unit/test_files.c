/* test_files.c — src/files: content sniffing (a renamed executable is not a PDF), the
 * OFD check, the content-addressed store (temporary file → fsync → rename) and
 * `files check` finding orphans and rows without files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "files/files.h"
#include "store/db.h"
#include "testdb.h"

static const char *sniff(const char *bytes, size_t n, const char **what) {
    return ow_files_sniff((const unsigned char *)bytes, n, what);
}

static void sniff_accepts_the_four_formats_by_content(void **state) {
    (void)state;
    const char *what;
    assert_string_equal(sniff("%PDF-1.7\n", 9, &what), "application/pdf");
    assert_string_equal(sniff("\xff\xd8\xff\xe0\0\x10JF", 8, &what), "image/jpeg");
    assert_string_equal(sniff("\x89PNG\r\n\x1a\n", 8, &what), "image/png");
    assert_string_equal(sniff("PK\x03\x04\x14\0\0\0", 8, &what), "application/zip");
}

static void sniff_rejects_a_renamed_executable(void **state) {
    (void)state;
    const char *what;
    assert_null(sniff("\x7f"
                      "ELF\x02\x01\x01\0",
                      8, &what));
    assert_non_null(strstr(what, "ELF"));
    assert_null(sniff("MZ\x90\0\x03\0\0\0", 8, &what));
    assert_non_null(strstr(what, "PE"));
    assert_null(sniff("#!/bin/sh", 9, &what));
    assert_non_null(strstr(what, "脚本"));
    assert_null(sniff("hello wo", 8, &what));
    assert_null(sniff("%PD", 3, &what)); /* too short to be a PDF */
}

/* A minimal ZIP: one stored entry named name, with its central directory. */
static int write_zip(const char *path, const char *name) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    unsigned short nlen = (unsigned short)strlen(name);
    unsigned char local[30] = {'P', 'K', 3, 4, 20};
    local[26] = (unsigned char)nlen;
    fwrite(local, 1, 30, f);
    fwrite(name, 1, nlen, f);
    unsigned char central[46] = {'P', 'K', 1, 2, 20, 0, 20};
    central[28] = (unsigned char)nlen;
    fwrite(central, 1, 46, f);
    fwrite(name, 1, nlen, f);
    unsigned char end[22] = {'P', 'K', 5, 6};
    fwrite(end, 1, 22, f);
    return fclose(f);
}

static void ofd_is_a_zip_with_ofd_xml(void **state) {
    (void)state;
    char p[] = "/tmp/ow-ofd-XXXXXX";
    int fd = mkstemp(p);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(write_zip(p, "OFD.xml"), 0);
    fd = open(p, O_RDONLY);
    assert_true(ow_files_is_ofd(fd));
    close(fd);
    assert_int_equal(write_zip(p, "word/document.xml"), 0);
    fd = open(p, O_RDONLY);
    assert_false(ow_files_is_ofd(fd));
    close(fd);
    unlink(p);
}

static void zip_type_tells_office_documents_from_archives(void **state) {
    (void)state;
    char p[] = "/tmp/ow-zip-XXXXXX";
    int fd = mkstemp(p);
    assert_true(fd >= 0);
    close(fd);
    static const char *const cases[][2] = {
        {"word/document.xml",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"OFD.xml", "application/ofd"},
        {"readme.txt", "application/zip"},
        {"docs/word/document.xml", "application/zip"}, /* only at the root */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(write_zip(p, cases[i][0]), 0);
        fd = open(p, O_RDONLY);
        assert_string_equal(ow_files_zip_type(fd), cases[i][1]);
        close(fd);
    }
    unlink(p);
}

/* An OLE2 file of `size` bytes with a directory entry named `name` (UTF-16LE) at `at`. */
static int write_ole(const char *path, const char *name, size_t at, size_t size) {
    unsigned char *b = calloc(1, size);
    if (!b) return -1;
    memcpy(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    for (size_t i = 0; name[i]; i++)
        b[at + 2 * i] = (unsigned char)name[i];
    FILE *f = fopen(path, "wb");
    fwrite(b, 1, size, f);
    free(b);
    return fclose(f);
}

static void ole_type_reads_the_stream_names(void **state) {
    (void)state;
    char p[] = "/tmp/ow-ole-XXXXXX";
    int fd = mkstemp(p);
    assert_true(fd >= 0);
    close(fd);
    unsigned char head[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    assert_string_equal(ow_files_sniff_office(head, 8), OW_FILES_OLE2);
    assert_null(ow_files_sniff_office((const unsigned char *)"%PDF-1.7", 8));
    /* the directory far into the file, across the scanner's 64 KB chunks */
    assert_int_equal(write_ole(p, "WordDocument", 65536 + 512 + 128, 200000), 0);
    fd = open(p, O_RDONLY);
    assert_string_equal(ow_files_ole_type(fd), "application/msword");
    close(fd);
    assert_int_equal(write_ole(p, "Workbook", 1024, 4096), 0);
    fd = open(p, O_RDONLY);
    assert_string_equal(ow_files_ole_type(fd), "application/vnd.ms-excel");
    close(fd);
    /* an installer (MSI) is a compound file too: refused */
    assert_int_equal(write_ole(p, "\x05SummaryInformation", 1024, 4096), 0);
    fd = open(p, O_RDONLY);
    assert_null(ow_files_ole_type(fd));
    close(fd);
    /* a name that is not at the start of a directory entry does not count */
    assert_int_equal(write_ole(p, "WordDocument", 1024 + 40, 4096), 0);
    fd = open(p, O_RDONLY);
    assert_null(ow_files_ole_type(fd));
    close(fd);
    unlink(p);
}

typedef struct fx {
    char dir[64];
    ow_app app;
    ow_db *db;
    ow_arena *arena;
    ow_ctx cx;
} fx;

static int db_setup(void **state) {
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-files-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    ow_config cfg;
    ow_config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", f->dir);
    if (ow_test_database(&cfg)) return -1;
    ow_app_init(&f->app, &cfg);
    ow_err e = {0};
    assert_int_equal(ow_app_load_keys(&f->app, true, &e), OW_OK);
    assert_int_equal(ow_db_open(f->app.db_path, OW_DB_WRITE, &f->db, &e), OW_OK);
    int applied;
    assert_int_equal(ow_db_migrate(f->db, &applied, &e), OW_OK);
    f->arena = ow_arena_new(1 << 16);
    ow_ctx_init_system(&f->cx, &f->app, f->db, f->arena);
    *state = f;
    return 0;
}

static int db_teardown(void **state) {
    fx *f = *state;
    ow_db_close(f->db);
    ow_arena_free(f->arena);
    ow_app_close(&f->app);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static void store_writes_under_the_sha256_and_check_finds_orphans(void **state) {
    fx *f = *state;
    ow_err e = {0};
    ow_files_tmp *t;
    assert_int_equal(ow_files_tmp_open(f->dir, &t, &e), OW_OK);
    assert_int_equal(ow_files_tmp_write(t, "abc", 3, &e), OW_OK);
    char sha[65];
    assert_int_equal(ow_files_tmp_keep(t, sha, &e), OW_OK);
    ow_files_tmp_free(t);
    /* SHA-256("abc") */
    assert_string_equal(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    char path[700];
    ow_files_blob_path(f->dir, sha, path, sizeof path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 3);

    /* a discarded temporary file leaves nothing */
    assert_int_equal(ow_files_tmp_open(f->dir, &t, &e), OW_OK);
    assert_int_equal(ow_files_tmp_write(t, "partial", 7, &e), OW_OK);
    ow_files_tmp_free(t);

    /* no row yet: the file is an orphan (a crash between rename and commit) */
    ow_files_report r;
    assert_int_equal(ow_files_check(&f->cx, false, 0, &r), OW_OK);
    assert_int_equal(r.files, 1);
    assert_int_equal(r.orphans, 1);
    assert_int_equal(r.temps, 0);
    assert_int_equal(r.missing, 0);
    /* too young to remove with the default grace */
    assert_int_equal(ow_files_check(&f->cx, true, 600, &r), OW_OK);
    assert_int_equal(r.removed, 0);
    assert_int_equal(ow_files_check(&f->cx, true, 0, &r), OW_OK);
    assert_int_equal(r.removed, 1);
    assert_int_not_equal(stat(path, &st), 0);

    /* a row whose file is gone is reported, never "fixed" */
    assert_int_equal(
        ow_db_exec(f->db,
                   "INSERT INTO blobs(sha256, size, content_type, created_at) VALUES("
                   "'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',"
                   " 3, 'application/pdf', 0)",
                   &e),
        OW_OK);
    assert_int_equal(ow_files_check(&f->cx, true, 0, &r), OW_OK);
    assert_int_equal(r.blobs, 1);
    assert_int_equal(r.missing, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sniff_accepts_the_four_formats_by_content),
        cmocka_unit_test(sniff_rejects_a_renamed_executable),
        cmocka_unit_test(ofd_is_a_zip_with_ofd_xml),
        cmocka_unit_test(zip_type_tells_office_documents_from_archives),
        cmocka_unit_test(ole_type_reads_the_stream_names),
        cmocka_unit_test_setup_teardown(store_writes_under_the_sha256_and_check_finds_orphans,
                                        db_setup, db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
