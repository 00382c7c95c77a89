/* main.c — the `onewindow` command: parses the subcommand and its flags,
 * builds the app, runs it (docs/architecture.md "What runs"). */
#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "account/account.h"
#include "app/routes.h"
#include "assessment/assessment.h"
#include "assessment/assessment_api.h"
#include "bundle/bundle.h"
#include "bundle/bundle_api.h"
#include "audit/audit.h"
#include "backup/backup.h"
#include "calendar/calendar.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "complaint/complaint.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "disclosure/disclosure.h"
#include "exchange/exchange.h"
#include "exchange/exchange_api.h"
#include "files/files.h"
#include "notices/notices_api.h"
#include "hall/hall.h"
#include "hall/hall_api.h"
#include "identity/identity.h"
#include "identity/identity_api.h"
#include "notify/notify.h"
#include "notify/notify_api.h"
#include "wallet/wallet.h"
#include "wallet/wallet_api.h"
#include "http/events.h"
#include "http/server.h"
#include "rating/rating.h"
#include "supervision/supervision.h"
#include "system/system.h"
#include "store/copy.h"

static void usage(FILE *f) {
    fprintf(
        f,
        "onewindow %s — 互联网+政务服务一体化平台\n"
        "\n"
        "usage: onewindow [--config FILE] [--data-dir DIR] COMMAND [options]\n"
        "\n"
        "commands:\n"
        "  init [--demo]        create the data directory, run migrations;\n"
        "                       --demo loads the demo district and its accounts\n"
        "  migrate              apply pending schema migrations\n"
        "  serve [--listen ADDR:PORT] [--port-file FILE]\n"
        "                       run the HTTP server (JSON API and web UI)\n"
        "  audit verify         re-walk the audit hash chain, name the first broken row and\n"
        "                       the rows cut from the tail after the last anchor\n"
        "  audit anchor         append the chain's head to audit-anchor.log now\n"
        "  exchange key [--rotate]\n"
        "                       this instance's exchange key (public key to give the city)\n"
        "  exchange peer add INSTANCE URL PUBLIC-KEY [--name N] [--role city|district]\n"
        "                       register a peer's key (docs/exchange.md)\n"
        "  exchange peers | exchange retry [ID]\n"
        "                       the registered peers; queue messages given up again\n"
        "  db copy-to TARGET    copy this SQLite installation into PostgreSQL TARGET\n"
        "  db check             the database's integrity checks (SQLite: integrity and foreign\n"
        "                       keys; PostgreSQL: page checksums)\n"
        "  backup DIR [--key-out FILE]\n"
        "                       back up the database and the files into DIR, with a\n"
        "                       manifest of checksums, while the server runs; the secret\n"
        "                       key is not in DIR: --key-out copies it elsewhere\n"
        "  restore DIR --key FILE [--pgdata PGDIR]\n"
        "                       restore a backup into a new data directory (and, for\n"
        "                       PostgreSQL, a new cluster directory PGDIR)\n"
        "  calendar due DATE N  the date N working days after DATE (legal calendar)\n"
        "  seed --cases N       add N synthetic cases for benchmarks (fast bulk insert)\n"
        "  docs freeze          render and store the documents issued before documents\n"
        "                       were frozen (notices, certificates): run once after the\n"
        "                       upgrade that brings migration issued_docs\n"
        "  files check [--fix] [--min-age-s N]\n"
        "                       compare the file store with the database: files without\n"
        "                       a row (removed by --fix when older than N s, default 600)\n"
        "                       and rows without a file\n"
        "  items import FILE [--dry-run] [--publish]\n"
        "                       import a catalog CSV or XLSX (the export format): every\n"
        "                       row is checked and every error listed by row and column;\n"
        "                       nothing is written unless all rows pass (--dry-run:\n"
        "                       never);\n"
        "                       --publish publishes every imported item\n"
        "  items export [--format csv|xlsx] [--status S] [--out FILE]\n"
        "                       export the items (status draft, published, suspended or\n"
        "                       all, the default) to FILE or standard output\n"
        "  help                 this text\n"
        "  --version            print the version\n"
        "\n"
        "Every setting can also come from onewindow.conf (key = value) or an OW_*\n"
        "environment variable (OW_DATA_DIR, OW_LISTEN, …); see README.md.\n",
        OW_VERSION);
}

static int fail(const ow_err *e) {
    fprintf(stderr, "onewindow: %s%s%s\n", e->message, e->field[0] ? "  [" : "",
            e->field[0] ? e->field : "");
    if (e->field[0]) fputs("]\n", stderr);
    return 1;
}

static int mkdir_p(const char *dir, mode_t mode, ow_err *e) {
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, mode) && errno != EEXIST)
            return ow_err_set(e, OW_EIO, "data_dir", "无法创建目录 %s：%s", tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, mode) && errno != EEXIST)
        return ow_err_set(e, OW_EIO, "data_dir", "无法创建目录 %s：%s", tmp, strerror(errno));
    return OW_OK;
}

static int migrate_db(ow_app *app, ow_err *e) {
    ow_db *db;
    int rc = ow_db_open(app->db_path, OW_DB_WRITE, &db, e);
    if (rc) return rc;
    int applied = 0;
    rc = ow_db_migrate(db, &applied, e);
    if (!rc) {
        int v;
        ow_db_schema_version(db, &v, e);
        printf("schema version %d (%d migration%s applied)\n", v, applied, applied == 1 ? "" : "s");
    }
    ow_db_close(db);
    return rc;
}

typedef struct init_arg {
    ow_app *app;
    bool demo;
} init_arg;

/* The demo loaders of every module, in dependency order. */
static int demo_seed(ow_ctx *cx) {
    const char *dir = cx->app->cfg.demo_dir;
    int rc = ow_account_demo_seed(cx, dir);
    if (!rc) rc = ow_catalog_demo_seed(cx, dir);
    if (!rc) rc = ow_cases_demo_seed(cx);
    if (!rc) rc = ow_bundle_demo_seed(cx); /* the catalog's one-thing bundles (一件事) */
    if (!rc) rc = ow_rating_demo_seed(cx);
    if (!rc) rc = ow_complaint_demo_seed(cx);
    if (!rc) rc = ow_disclosure_demo_seed(cx);
    if (!rc) rc = ow_wallet_demo_seed(cx);
    if (!rc) rc = ow_assessment_demo_seed(cx);
    if (!rc) rc = ow_hall_demo_seed(cx);
    return rc;
}

static int init_tx(ow_db *db, void *arg, ow_err *e) {
    init_arg *ia = arg;
    ow_arena *a = ow_arena_new(4096);
    ow_ctx cx;
    ow_ctx_init_system(&cx, ia->app, db, a);
    int rc = ow_system_init_instance(&cx);
    if (!rc && ia->demo) {
        /* cases need the legal calendar for their deadlines */
        rc = ow_calendar_load(ia->app, db, &cx.err);
        if (!rc) rc = demo_seed(&cx);
    }
    if (rc) *e = cx.err;
    ow_arena_free(a);
    return rc;
}

static int cmd_init(ow_app *app, int argc, char **argv) {
    ow_err e = {0};
    int demo = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--demo"))
            demo = 1;
        else {
            fprintf(stderr, "onewindow init: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    char files[600];
    snprintf(files, sizeof files, "%s/files", app->cfg.data_dir);
    if (mkdir_p(app->cfg.data_dir, 0750, &e) || mkdir_p(files, 0750, &e)) return fail(&e);
    if (ow_app_load_keys(app, true, &e)) return fail(&e);
    ow_ex_keyring ring;
    if (ow_ex_keys_load(app->cfg.data_dir, true, ow_clock_now_ms(&app->clock), &ring, &e))
        return fail(&e);
    sodium_memzero(&ring, sizeof ring);
    if (migrate_db(app, &e)) return fail(&e);
    ow_db *db;
    if (ow_db_open(app->db_path, OW_DB_WRITE, &db, &e)) return fail(&e);
    init_arg ia = {app, demo != 0};
    int rc = ow_db_tx(db, init_tx, &ia, &e);
    ow_db_close(db);
    ow_calendar_unload(app);
    if (rc) return fail(&e);
    printf("data directory %s ready\n", app->cfg.data_dir);
    return 0;
}

static int cmd_migrate(ow_app *app, int argc, char **argv) {
    (void)argv;
    if (argc) {
        fprintf(stderr, "onewindow migrate: takes no options\n");
        return 2;
    }
    ow_err e = {0};
    return migrate_db(app, &e) ? fail(&e) : 0;
}

/* onewindow audit verify: the chain, then against the last anchor in the data
 * directory (audit.h); onewindow audit anchor: append the head to it now. */
static int cmd_audit(ow_app *app, int argc, char **argv) {
    bool anchor = argc == 1 && !strcmp(argv[0], "anchor");
    if (argc != 1 || (strcmp(argv[0], "verify") && !anchor)) {
        fprintf(stderr, "usage: onewindow audit verify | onewindow audit anchor\n");
        return 2;
    }
    ow_err e = {0};
    if (ow_app_load_keys(app, false, &e)) return fail(&e);
    char path[700];
    snprintf(path, sizeof path, "%s/%s", app->cfg.data_dir, OW_AUDIT_ANCHOR_FILE);
    ow_db *db;
    if (ow_db_open(app->db_path, OW_DB_READ, &db, &e)) return fail(&e);
    if (anchor) {
        ow_audit_anchor a;
        bool written;
        int rc = ow_audit_anchor_write(db, &app->keys, path, ow_clock_now_ms(&app->clock), &a,
                                       &written, &e);
        ow_db_close(db);
        if (rc) return fail(&e);
        printf("audit anchor %s: head %lld %s\n", written ? "written" : "already current",
               (long long)a.seq, a.hash);
        return 0;
    }
    ow_audit_report r;
    int rc = ow_audit_verify_anchored(db, &app->keys, path, &r, &e);
    ow_db_close(db);
    if (rc) return fail(&e);
    if (r.missing_from) {
        printf("audit chain CUT: rows %lld-%lld missing from the tail: %s (%lld rows checked, "
               "anchor %lld)\n",
               (long long)r.missing_from, (long long)r.missing_to, r.why, (long long)r.rows,
               (long long)r.anchor_seq);
        return 1;
    }
    if (r.bad_seq) {
        printf("audit chain BROKEN at row %lld: %s (%lld rows checked)\n", (long long)r.bad_seq,
               r.why, (long long)r.rows);
        return 1;
    }
    printf("audit chain intact: %lld rows; head %lld %s; ", (long long)r.rows,
           (long long)r.head_seq, r.head_seq ? r.head_hash : "-");
    if (r.anchor_seq)
        printf("reaches the last anchor (row %lld)\n", (long long)r.anchor_seq);
    else
        printf("no anchor yet (%s)\n", path);
    return 0;
}

static void copy_progress(void *arg, const char *table, int64_t rows) {
    (void)arg;
    printf("  %-32s %lld\n", table, (long long)rows);
}

/* onewindow db copy-to TARGET: this (SQLite) installation's rows into the PostgreSQL
 * database TARGET (store/copy.h); the files stay in data_dir. */
static int cmd_db_copy(ow_app *app, const char *target) {
    ow_err e = {0};
    if (ow_db_target_is_postgres(app->db_path)) {
        ow_err_set(&e, OW_EINVAL, "database",
                   "本安装已在 PostgreSQL 上；copy-to 的来源应为 SQLite");
        return fail(&e);
    }
    if (!ow_db_target_is_postgres(target)) {
        ow_err_set(&e, OW_EINVAL, "database",
                   "目标应为 PostgreSQL 连接串（postgres://… 或 host=… dbname=…）");
        return fail(&e);
    }
    ow_db *from, *to;
    if (ow_db_open(app->db_path, OW_DB_READ, &from, &e)) return fail(&e);
    if (ow_db_open(target, OW_DB_WRITE, &to, &e)) {
        ow_db_close(from);
        return fail(&e);
    }
    printf("copying %s into PostgreSQL:\n", app->db_path);
    int64_t rows = 0;
    int rc = ow_store_copy(from, to, copy_progress, NULL, &rows, &e);
    ow_db_close(from);
    ow_db_close(to);
    if (rc) return fail(&e);
    printf("copied %lld rows; files stay in %s (share it with the PostgreSQL nodes);\n"
           "run `onewindow audit verify` with database set to the target\n",
           (long long)rows, app->cfg.data_dir);
    return 0;
}

/* onewindow db check: PRAGMA integrity_check and foreign_key_check (after a disk fault,
 * a restore, or a crash of the machine).  Exit 0 when both find nothing, 1 otherwise.
 * onewindow db copy-to TARGET: see cmd_db_copy. */
static int cmd_db(ow_app *app, int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[0], "copy-to")) return cmd_db_copy(app, argv[1]);
    if (argc != 1 || strcmp(argv[0], "check")) {
        fprintf(stderr, "usage: onewindow db check | onewindow db copy-to POSTGRES-URL\n");
        return 2;
    }
    ow_err e = {0};
    ow_db *db;
    if (ow_db_open(app->db_path, OW_DB_READ, &db, &e)) return fail(&e);
    char first[512];
    int64_t problems = 0;
    int rc = ow_db_check(db, &problems, first, sizeof first, &e);
    ow_db_close(db);
    if (rc) return fail(&e);
    if (problems) {
        printf("db check: %lld problem(s); first: %s\n", (long long)problems, first);
        return 1;
    }
    printf("db check: ok (integrity_check, foreign_key_check)\n");
    return 0;
}

/* onewindow files check: the store against the blobs table (files.h).  Exit 0 when
 * consistent (after --fix), 1 when something is still wrong. */
static int cmd_files(ow_app *app, int argc, char **argv) {
    bool fix = false;
    int min_age_s = 600;
    if (argc < 1 || strcmp(argv[0], "check")) goto usage;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--fix")) {
            fix = true;
        } else if (!strcmp(argv[i], "--min-age-s") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0 || v > 86400 * 365) goto usage;
            min_age_s = (int)v;
        } else {
            goto usage;
        }
    }
    ow_err e = {0};
    ow_db *db;
    if (ow_db_open(app->db_path, OW_DB_READ, &db, &e)) return fail(&e);
    ow_arena *a = ow_arena_new(1024);
    ow_ctx cx;
    ow_ctx_init_system(&cx, app, db, a);
    ow_files_report r;
    int rc = ow_files_check(&cx, fix, min_age_s, &r);
    if (rc) e = cx.err;
    ow_arena_free(a);
    ow_db_close(db);
    if (rc) return fail(&e);
    int64_t left = r.orphans + r.temps - r.removed;
    printf("files check: %lld rows, %lld stored files; %lld without a row, %lld temporary, "
           "%lld rows without their file; %lld removed\n",
           (long long)r.blobs, (long long)r.files, (long long)r.orphans, (long long)r.temps,
           (long long)r.missing, (long long)r.removed);
    if (r.missing || left) {
        printf("files check: NOT clean%s\n",
               left && !fix ? " (run with --fix to remove files without a row)" : "");
        return 1;
    }
    printf("files check: clean\n");
    return 0;
usage:
    fprintf(stderr, "usage: onewindow files check [--fix] [--min-age-s N]\n");
    return 2;
}

/* onewindow backup DIR [--key-out FILE] (backup/backup.h). */
static int cmd_backup(ow_app *app, int argc, char **argv) {
    const char *dir = NULL, *key_out = NULL;
    bool bad = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--key-out") && i + 1 < argc)
            key_out = argv[++i];
        else if (!dir && argv[i][0] != '-')
            dir = argv[i];
        else
            bad = true;
    }
    if (bad || !dir) {
        fprintf(stderr, "usage: onewindow backup DIR [--key-out FILE]\n");
        return 2;
    }
    ow_err e = {0};
    ow_backup_report r;
    if (ow_backup_create(app, dir, key_out, &r, &e)) return fail(&e);
    printf("backup of %s (schema %d) in %s: %lld stored files, %lld entries, %lld bytes; "
           "began %s, ended %s\n",
           r.backend, r.schema_version, dir, (long long)r.files, (long long)r.entries,
           (long long)r.bytes, r.started, r.finished);
    printf("the secret key is not in the backup: %s\n",
           key_out ? "keep the copy written with --key-out apart from it"
                   : "keep data_dir/secret.key apart from it (or use --key-out)");
    return 0;
}

/* onewindow restore DIR --key FILE [--pgdata PGDIR] (backup/backup.h). */
static int cmd_restore(ow_app *app, int argc, char **argv) {
    const char *dir = NULL, *key = NULL, *pgdata = NULL;
    bool bad = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--key") && i + 1 < argc)
            key = argv[++i];
        else if (!strcmp(argv[i], "--pgdata") && i + 1 < argc)
            pgdata = argv[++i];
        else if (!dir && argv[i][0] != '-')
            dir = argv[i];
        else
            bad = true;
    }
    if (bad || !dir || !key) {
        fprintf(stderr, "usage: onewindow restore DIR --key FILE [--pgdata PGDIR]\n");
        return 2;
    }
    ow_err e = {0};
    ow_backup_report r;
    if (ow_backup_restore(app, dir, key, pgdata, &r, &e)) return fail(&e);
    printf("restored the %s backup of %s (schema %d) into %s: %lld entries checked, %lld stored "
           "files\n",
           r.backend, r.finished, r.schema_version, app->cfg.data_dir, (long long)r.entries,
           (long long)r.files);
    if (!strcmp(r.backend, "sqlite")) {
        printf("db check and files check passed (%lld files without a row left out); run "
               "`onewindow audit verify`\n",
               (long long)r.orphans_removed);
    } else {
        printf("next: start PostgreSQL 15 on %s (owned by its user, mode 0700), point `database` "
               "at it, then run `onewindow files check --fix --min-age-s 0` and `onewindow audit "
               "verify` (docs/operations.md)\n",
               pgdata);
    }
    return 0;
}

static int check_ready(ow_app *app, ow_err *e) {
    struct stat st;
    if (!ow_db_target_is_postgres(app->db_path) && stat(app->db_path, &st) != 0)
        return ow_err_set(e, OW_ENOTFOUND, "data_dir", "数据库 %s 不存在，请先运行 onewindow init",
                          app->db_path);
    ow_db *db;
    int rc = ow_db_open(app->db_path, OW_DB_READ, &db, e);
    if (rc) return rc;
    int v;
    rc = ow_db_schema_version(db, &v, e);
    if (!rc && v != ow_db_latest_migration())
        rc = ow_err_set(e, OW_ECONFLICT, "schema_version",
                        "数据库结构版本 %d 与程序（%d）不一致，请先运行 onewindow migrate", v,
                        ow_db_latest_migration());
    if (!rc) {
        ow_arena *a = ow_arena_new(1024);
        ow_ctx cx;
        ow_ctx_init_system(&cx, app, db, a);
        rc = ow_system_check_instance(&cx);
        if (rc) *e = cx.err;
        ow_arena_free(a);
    }
    ow_db_close(db);
    return rc;
}

/* The legal calendar: data/calendar/YYYY.csv with the administrators' edits on top.
 * Writable: loading brings the statistics' working-day ordinals up to date with it
 * (ow_cases_sync_workdays), which writes only when the calendar changed. */
static int load_calendar(ow_app *app, ow_err *e) {
    ow_db *db;
    int rc = ow_db_open(app->db_path, OW_DB_WRITE, &db, e);
    if (rc) return rc;
    rc = ow_calendar_load(app, db, e);
    ow_db_close(db);
    return rc;
}

/* The public search index (catalog_index.c), built before the first request so that
 * nobody waits for it; a failure here only means the first search builds it. */
static void warm_catalog_index(ow_app *app) {
    ow_err e = {0};
    ow_db *db;
    if (ow_db_open(app->db_path, OW_DB_READ, &db, &e)) return;
    ow_arena *a = ow_arena_new(1 << 16);
    ow_ctx cx;
    ow_ctx_init_system(&cx, app, db, a);
    if (ow_catalog_index_warm(&cx))
        ow_log_warn("catalog index not built", "\"field\":\"%s\"", cx.err.field);
    ow_arena_free(a);
    ow_db_close(db);
}

/* ---- items import / export: the catalog's CSV and XLSX from the command line ---- */

typedef struct items_import {
    ow_app *app;
    const char *file;
    char *csv;
    size_t len;
    bool publish, dry_run;
    ow_catalog_issues issues;
    int created, updated;
} items_import;

/* One attempt inside the caller's transaction, as the actor "cli" (the audit trail names
 * the command line, not an account). */
static int items_import_tx(ow_db *db, void *arg, ow_err *e) {
    items_import *im = arg;
    ow_catalog_issues_free(&im->issues); /* ow_db_tx may run this again after BUSY */
    im->issues = (ow_catalog_issues){0};
    ow_arena *a = ow_arena_new(1 << 20);
    ow_ctx cx;
    ow_ctx_init_system(&cx, im->app, db, a);
    snprintf(cx.actor.username, sizeof cx.actor.username, "cli");
    snprintf(cx.actor.name, sizeof cx.actor.name, "命令行");
    /* a workbook is a zip package: PK\3\4; anything else is read as CSV */
    bool xlsx = im->len >= 4 && !memcmp(im->csv, "PK\x03\x04", 4);
    int rc = xlsx ? ow_catalog_import_xlsx(&cx, im->csv, im->len, im->publish, &im->issues,
                                           &im->created, &im->updated)
                  : ow_catalog_import_csv(&cx, im->csv, im->len, im->publish, &im->issues,
                                          &im->created, &im->updated);
    if (!rc) {
        const char *base = strrchr(im->file, '/');
        json_t *d = json_pack("{s:s,s:i,s:i,s:b,s:b}", "file", base ? base + 1 : im->file,
                              "created", im->created, "updated", im->updated, "published",
                              im->publish, "dry_run", im->dry_run);
        rc = ow_audit_append(&cx, "catalog.import", "catalog", NULL, d);
        json_decref(d);
    }
    if (rc) *e = cx.err;
    ow_arena_free(a);
    return rc;
}

static int read_file(const char *path, char **out, size_t *len, ow_err *e) {
    FILE *f = fopen(path, "rb");
    if (!f) return ow_err_set(e, OW_ENOTFOUND, "file", "无法打开 %s：%s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0, k;
    char *buf = malloc(cap + 1);
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *b = cap > (size_t)64 << 20 ? NULL : realloc(buf, cap * 2 + 1);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (!buf) return ow_err_set(e, OW_EINVAL, "file", "%s 太大（最多 64 MB）", path);
    if (bad) {
        free(buf);
        return ow_err_set(e, OW_EIO, "file", "读取 %s 失败", path);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return OW_OK;
}

static int cmd_items_import(ow_app *app, int argc, char **argv) {
    items_import im = {.app = app};
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--dry-run"))
            im.dry_run = true;
        else if (!strcmp(argv[i], "--publish"))
            im.publish = true;
        else if (argv[i][0] != '-' && !im.file)
            im.file = argv[i];
        else {
            fprintf(stderr,
                    "usage: onewindow items import FILE.csv|FILE.xlsx [--dry-run] [--publish]\n");
            return 2;
        }
    }
    if (!im.file) {
        fprintf(stderr,
                "usage: onewindow items import FILE.csv|FILE.xlsx [--dry-run] [--publish]\n");
        return 2;
    }
    ow_err e = {0};
    if (check_ready(app, &e) || ow_app_load_keys(app, false, &e)) return fail(&e);
    if (read_file(im.file, &im.csv, &im.len, &e)) return fail(&e);
    if (im.len >= 4 && !memcmp(im.csv, "\xD0\xCF\x11\xE0", 4)) { /* Excel 97-2003 */
        free(im.csv);
        ow_err_set(&e, OW_EINVAL, "file",
                   "%s 是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入",
                   im.file);
        return fail(&e);
    }
    ow_db *db;
    if (ow_db_open(app->db_path, OW_DB_WRITE, &db, &e)) {
        free(im.csv);
        return fail(&e);
    }
    int rc;
    if (im.dry_run) { /* the whole import, then a rollback: every check a real run makes */
        rc = ow_db_begin(db, &e);
        if (!rc) rc = items_import_tx(db, &im, &e);
        ow_db_rollback(db);
    } else {
        rc = ow_db_tx(db, items_import_tx, &im, &e);
    }
    ow_db_close(db);
    free(im.csv);
    for (int i = 0; i < im.issues.n; i++) {
        const ow_catalog_issue *x = &im.issues.v[i];
        if (x->row)
            fprintf(stderr, "第 %d 行，列“%s”（%s）：%s\n", x->row, x->column, x->field,
                    x->message);
        else
            fprintf(stderr, "%s：%s\n", x->field, x->message);
    }
    if (im.issues.dropped) fprintf(stderr, "……另有 %d 处错误未列出\n", im.issues.dropped);
    ow_catalog_issues_free(&im.issues);
    if (rc) return fail(&e);
    printf("%s%d 个事项：新建 %d，更新 %d%s\n", im.dry_run ? "检查通过（未写入）：" : "已导入 ",
           im.created + im.updated, im.created, im.updated,
           im.publish ? (im.dry_run ? "，将发布" : "，已发布") : "");
    return 0;
}

/* Write data to path through a temporary file and a rename, so an interrupted export
 * never leaves half a file where a whole one was. */
static int write_file(const char *path, const char *data, size_t len, ow_err *e) {
    if (!path) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout))
            return ow_err_set(e, OW_EIO, "out", "写入标准输出失败");
        return OW_OK;
    }
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) return ow_err_set(e, OW_EIO, "out", "无法写入 %s：%s", path, strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t k = write(fd, data + done, len - done);
        if (k <= 0) break;
        done += (size_t)k;
    }
    bool ok = done == len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path)) {
        int err = errno;
        unlink(tmp);
        return ow_err_set(e, OW_EIO, "out", "写入 %s 失败：%s", path, strerror(err));
    }
    return OW_OK;
}

static int cmd_items_export(ow_app *app, int argc, char **argv) {
    const char *format = "csv", *status = "all", *out = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[++i];
        else if (!strcmp(argv[i], "--status") && i + 1 < argc)
            status = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else
            goto usage;
    }
    if (strcmp(format, "csv") && strcmp(format, "xlsx")) goto usage;
    ow_err e = {0};
    if (check_ready(app, &e)) return fail(&e);
    ow_db *db;
    if (ow_db_open(app->db_path, OW_DB_READ, &db, &e)) return fail(&e);
    ow_arena *a = ow_arena_new(1 << 20);
    ow_ctx cx;
    ow_ctx_init_system(&cx, app, db, a);
    char *data = NULL, *xlsx = NULL;
    size_t len = 0;
    int rc = !strcmp(format, "csv") ? ow_catalog_export_csv(&cx, status, &data, &len)
                                    : ow_catalog_export_xlsx(&cx, status, &xlsx, &len);
    if (rc)
        e = cx.err;
    else
        rc = write_file(out, xlsx ? xlsx : data, len, &e);
    free(xlsx);
    ow_arena_free(a);
    ow_db_close(db);
    if (rc) return fail(&e);
    if (out) fprintf(stderr, "已导出到 %s（%zu 字节）\n", out, len);
    return 0;
usage:
    fprintf(stderr, "usage: onewindow items export [--format csv|xlsx] [--status "
                    "draft|published|suspended|all] [--out FILE]\n");
    return 2;
}

static int cmd_items(ow_app *app, int argc, char **argv) {
    if (argc >= 1 && !strcmp(argv[0], "import")) return cmd_items_import(app, argc - 1, argv + 1);
    if (argc >= 1 && !strcmp(argv[0], "export")) return cmd_items_export(app, argc - 1, argv + 1);
    fprintf(stderr,
            "usage: onewindow items import FILE.csv|FILE.xlsx [--dry-run] [--publish]\n"
            "       onewindow items export [--format csv|xlsx] [--status S] [--out FILE]\n");
    return 2;
}

static int cmd_calendar(ow_app *app, int argc, char **argv) {
    if (argc != 3 || strcmp(argv[0], "due")) {
        fprintf(stderr, "usage: onewindow calendar due YYYY-MM-DD N\n");
        return 2;
    }
    ow_err e = {0};
    char *end;
    long n = strtol(argv[2], &end, 10);
    if (*end || !*argv[2]) {
        ow_err_set(&e, OW_EINVAL, "days", "工作日天数应为整数");
        return fail(&e);
    }
    /* Without a database (a fresh checkout) the shipped files alone answer. */
    struct stat st;
    int rc = ow_db_target_is_postgres(app->db_path) || stat(app->db_path, &st) == 0
                 ? load_calendar(app, &e)
                 : ((app->calendar = ow_cal_new())
                        ? ow_cal_load_dir(app->calendar, app->cfg.calendar_dir, &e)
                        : ow_err_set(&e, OW_ENOMEM, "", "内存不足"));
    if (rc) {
        ow_calendar_unload(app);
        return fail(&e);
    }
    ow_arena *a = ow_arena_new(1024);
    ow_ctx cx;
    ow_ctx_init_system(&cx, app, NULL, a);
    json_t *o;
    rc = ow_calendar_due_json(&cx, argv[1], n, &o);
    if (!rc) {
        printf("%s\n", json_string_value(json_object_get(o, "due")));
        json_decref(o);
    } else {
        e = cx.err;
    }
    ow_arena_free(a);
    ow_calendar_unload(app);
    return rc ? fail(&e) : 0;
}

typedef struct seed_arg {
    ow_app *app;
    int64_t n;
} seed_arg;

static int seed_tx(ow_db *db, void *arg, ow_err *e) {
    seed_arg *sa = arg;
    ow_arena *a = ow_arena_new(1 << 16);
    ow_ctx cx;
    ow_ctx_init_system(&cx, sa->app, db, a);
    int rc = ow_cases_bench_seed(&cx, sa->n);
    if (rc) *e = cx.err;
    ow_arena_free(a);
    return rc;
}

/* onewindow docs freeze: the documents registered before issued documents were frozen
 * (migration issued_docs) rendered as they stand and frozen (docs/operations.md "Issued
 * documents").  Exit 0 when every one was frozen, 1 when some could not be. */
static int cmd_docs(ow_app *app, int argc, char **argv) {
    if (argc != 1 || strcmp(argv[0], "freeze")) {
        fprintf(stderr, "usage: onewindow docs freeze\n");
        return 2;
    }
    ow_err e = {0};
    /* the audit key (the issue's audit rows), the calendar (the cases' deadlines) */
    if (check_ready(app, &e) || ow_app_load_keys(app, false, &e) || load_calendar(app, &e))
        return fail(&e);
    ow_db *db;
    if (ow_db_open(app->db_path, OW_DB_WRITE, &db, &e)) return fail(&e);
    ow_arena *a = ow_arena_new(1 << 16);
    ow_ctx cx;
    ow_ctx_init_system(&cx, app, db, a);
    /* the URLs printed: public_url, as a server without a request's Host would */
    const char *base =
        *app->cfg.public_url ? app->cfg.public_url : ow_sprintf(a, "http://%s", app->cfg.listen);
    int nf = 0, nfail = 0, cf = 0, cfail = 0;
    int rc = ow_notices_freeze_registered(&cx, base, &nf, &nfail);
    if (!rc) rc = ow_wallet_freeze_certificates(&cx, base, &cf, &cfail);
    if (rc) e = cx.err;
    ow_arena_free(a);
    ow_db_close(db);
    if (rc) return fail(&e);
    printf("docs freeze: %d notices and %d certificates frozen, %d could not be (see the log)\n",
           nf, cf, nfail + cfail);
    return nfail + cfail ? 1 : 0;
}

static int cmd_seed(ow_app *app, int argc, char **argv) {
    if (argc != 2 || strcmp(argv[0], "--cases")) {
        fprintf(stderr, "usage: onewindow seed --cases N\n");
        return 2;
    }
    ow_err e = {0};
    char *end;
    long long n = strtoll(argv[1], &end, 10);
    if (*end || n < 1 || n > 100000000) {
        ow_err_set(&e, OW_EINVAL, "cases", "办件数量应为 1 到 100000000 之间的整数");
        return fail(&e);
    }
    if (check_ready(app, &e) || ow_app_load_keys(app, false, &e) || load_calendar(app, &e))
        return fail(&e);
    ow_db *db;
    if (ow_db_open(app->db_path, OW_DB_WRITE, &db, &e)) return fail(&e);
    /* chunks of 50,000 cases: each commits, so the WAL is checkpointed as it goes */
    int64_t t0 = ow_clock_mono_us();
    int rc = OW_OK;
    for (long long done = 0; done < n && !rc;) {
        long long k = n - done < 50000 ? n - done : 50000;
        seed_arg sa = {app, k};
        rc = ow_db_tx(db, seed_tx, &sa, &e);
        done += k;
        if (!rc && n > 50000) {
            printf("  %lld cases\n", done);
            fflush(stdout);
        }
    }
    ow_db_close(db);
    ow_calendar_unload(app);
    if (rc) return fail(&e);
    printf("seeded %lld cases in %.1f s\n", n, (double)(ow_clock_mono_us() - t0) / 1e6);
    return 0;
}

/* app/routes.c's tables and those of the modules above app/: the assessment depends on
 * the modules it measures, the hall on the cases it files, and nothing depends on either,
 * so they are composed here rather than in
 * app/, which every module includes (docs/architecture.md, "Dependencies between
 * modules"). */
static ow_route *all_routes(size_t *n) {
    static const struct {
        const ow_route *routes;
        const size_t *n;
    } above[] = {
        {ow_assessment_routes, &ow_assessment_routes_n},
        {ow_workplan_routes, &ow_workplan_routes_n},
        {ow_bulletin_routes, &ow_bulletin_routes_n},
        {ow_hall_routes, &ow_hall_routes_n},
        {ow_bundle_routes, &ow_bundle_routes_n},
        {ow_exchange_routes, &ow_exchange_routes_n},
        {ow_identity_routes, &ow_identity_routes_n},
        {ow_notify_routes, &ow_notify_routes_n},
    };
    size_t base;
    ow_route *all = ow_app_routes(&base);
    size_t total = base;
    for (size_t i = 0; i < sizeof above / sizeof *above; i++)
        total += *above[i].n;
    ow_route *more = realloc(all, total * sizeof *all);
    if (!more) abort();
    size_t k = base;
    for (size_t i = 0; i < sizeof above / sizeof *above; i++) {
        memcpy(more + k, above[i].routes, *above[i].n * sizeof *more);
        k += *above[i].n;
    }
    *n = total;
    return more;
}

static int cmd_serve(ow_app *app, int argc, char **argv) {
    ow_err e = {0};
    const char *port_file = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--listen") && i + 1 < argc) {
            if (ow_config_set(&app->cfg, "listen", argv[++i], &e)) return fail(&e);
        } else if (!strcmp(argv[i], "--port-file") && i + 1 < argc) {
            port_file = argv[++i];
        } else {
            fprintf(stderr, "onewindow serve: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    char host[64];
    int port;
    if (ow_config_listen_addr(&app->cfg, host, &port, &e)) return fail(&e);
    ow_db_set_query_timeout(app->cfg.database_query_timeout_s * 1000);
    if (check_ready(app, &e) || ow_app_load_keys(app, false, &e) || load_calendar(app, &e))
        return fail(&e);
    if (ow_pw_hash("no account has this password", app->dummy_pw_hash)) {
        ow_err_set(&e, OW_ENOMEM, "", "内存不足");
        return fail(&e);
    }
    app->throttle = ow_throttle_new();
    app->track_throttle =
        ow_throttle_new_window(OW_CASE_TRACK_MAX_FAILURES, OW_CASE_TRACK_WINDOW_MS);
    if (app->cfg.register_max > 0)
        app->register_throttle = ow_throttle_new_window(
            app->cfg.register_max, (int64_t)app->cfg.register_window_min * 60 * 1000);
    /* Several nodes on one PostgreSQL count each address together (store/db.h) */
    if (ow_db_target_is_postgres(app->db_path)) {
        ow_throttle_share(app->throttle, "sign_in");
        ow_throttle_share(app->track_throttle, "track");
        if (app->register_throttle) ow_throttle_share(app->register_throttle, "register");
    }
    warm_catalog_index(app);

    /* Signals are taken by sigwait below; every thread started from here inherits the mask. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1) cores = 1;
    int threads = app->cfg.threads ? app->cfg.threads : (int)cores;
    if (threads < 2) threads = 2;
    int pool_threads = app->cfg.pool_threads ? app->cfg.pool_threads : (int)cores;

    ow_log_start_flusher();
    if (ow_writer_start(app->db_path, app->cfg.writer_batch_max, &app->writer, &e)) {
        ow_log_stop_flusher();
        return fail(&e);
    }
    app->pool = ow_pool_new(pool_threads);
    /* complaint escalation and the daily digests, once a minute on the writer; the
     * watcher reloads what other nodes changed (app/watch.c) */
    if (ow_supervision_ticker_start(app, 60, &e) || ow_app_watch_start(app, &e)) {
        ow_app_close(app);
        ow_log_stop_flusher();
        return fail(&e);
    }

    /* the audit trail's head into audit-anchor.log at start, hourly and at the end */
    ow_audit_anchorer *anchorer = NULL;
    if (ow_audit_anchorer_start(app, app->cfg.audit_anchor_interval_s, &anchorer, &e)) {
        ow_app_close(app);
        ow_log_stop_flusher();
        return fail(&e);
    }

    /* the exchange with the city: its keys and the outbox's sender (docs/exchange.md) */
    ow_exchange *exchange = NULL;
    if (ow_exchange_start(app, &exchange, &e)) {
        ow_audit_anchorer_stop(anchorer);
        ow_app_close(app);
        ow_log_stop_flusher();
        return fail(&e);
    }

    /* the hall's displays and phones follow it live (http/events.h): 15 s pings */
    app->events = ow_events_new(15);
    if (!app->events) {
        ow_err_set(&e, OW_ENOMEM, "", "内存不足");
        ow_exchange_stop(exchange);
        ow_audit_anchorer_stop(anchorer);
        ow_app_close(app);
        ow_log_stop_flusher();
        return fail(&e);
    }
    /* … and the calls made through other nodes on one database */
    ow_hall_live *live = NULL;
    if (ow_hall_live_start(app, &live, &e)) {
        ow_events_free(app->events);
        app->events = NULL;
        ow_exchange_stop(exchange);
        ow_audit_anchorer_stop(anchorer);
        ow_app_close(app);
        ow_log_stop_flusher();
        return fail(&e);
    }
    /* sign-in through the identity platform (issue 20), when oidc_issuer is set */
    if (ow_identity_start(&app->cfg, &e)) {
        ow_hall_live_stop(live);
        ow_events_free(app->events);
        app->events = NULL;
        ow_exchange_stop(exchange);
        ow_audit_anchorer_stop(anchorer);
        ow_app_close(app);
        ow_log_stop_flusher();
        return fail(&e);
    }
    size_t nroutes;
    ow_route *routes = all_routes(&nroutes);
    ow_server_opts o = {
        .host = host,
        .port = port,
        .threads = threads,
        .max_body_bytes = app->cfg.max_body_bytes,
        .idle_timeout_s = app->cfg.idle_timeout_s,
        .request_timeout_s = app->cfg.request_timeout_s,
        .web_root = app->cfg.web_root[0] ? app->cfg.web_root : NULL,
        .routes = routes,
        .nroutes = nroutes,
        .auth = ow_app_auth_hook(),
        .trusted_proxies = app->cfg.trusted_proxies,
        .app = app,
    };
    ow_server *srv;
    if (ow_server_start(&o, &srv, &e)) {
        free(routes);
        ow_identity_stop();
        ow_hall_live_stop(live);
        ow_events_free(app->events);
        app->events = NULL;
        ow_exchange_stop(exchange);
        ow_audit_anchorer_stop(anchorer);
        ow_app_close(app);
        ow_log_stop_flusher();
        return fail(&e);
    }
    int actual = ow_server_port(srv);
    ow_log_info("listening",
                "\"addr\":\"%s\",\"port\":%d,\"threads\":%d,\"pool\":%d,\"data_dir\":\"%s\"", host,
                actual, threads, pool_threads, app->cfg.data_dir);
    ow_log_flush();
    if (port_file) {
        char tmp[600];
        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        FILE *f = fopen(tmp, "w");
        if (f) {
            fprintf(f, "%d\n", actual);
            fclose(f);
            rename(tmp, port_file);
        }
    }
    printf("onewindow serving on http://%s:%d/\n", host, actual);
    fflush(stdout);

    int sig = 0;
    sigwait(&sigs, &sig);
    ow_log_info("shutting down", "\"signal\":%d", sig);
    ow_hall_live_stop(live);
    ow_events_close(app->events); /* the live streams end, so the server can stop */
    ow_server_stop(srv, 10000);
    ow_identity_stop();
    ow_events_free(app->events);
    app->events = NULL;
    ow_writer_stats ws = ow_writer_get_stats(app->writer);
    ow_exchange_stop(exchange);
    ow_audit_anchorer_stop(anchorer); /* the head after the last request */
    ow_app_close(app);
    free(routes);
    ow_log_info("stopped", "\"batches\":%llu,\"jobs\":%llu,\"max_batch\":%llu",
                (unsigned long long)ws.batches, (unsigned long long)ws.jobs,
                (unsigned long long)ws.max_batch);
    ow_log_stop_flusher();
    return 0;
}

int main(int argc, char **argv) {
    ow_config cfg;
    ow_config_defaults(&cfg);
    ow_err e = {0};
    int i = 1;
    const char *config_file = getenv("OW_CONFIG");
    const char *data_dir_flag = NULL;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config_file = argv[++i];
        else if (!strcmp(argv[i], "--data-dir") && i + 1 < argc)
            data_dir_flag = argv[++i];
        else
            break;
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[i++];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("onewindow %s\n", OW_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        usage(stdout);
        return 0;
    }
    if (ow_config_load_file(&cfg, config_file ? config_file : "onewindow.conf", config_file != NULL,
                            &e) ||
        ow_config_load_env(&cfg, &e))
        return fail(&e);
    /* sub-command flags may also carry --data-dir after the command */
    int sub_argc = 0;
    char **sub_argv = calloc((size_t)argc + 1, sizeof *sub_argv);
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--data-dir") && i + 1 < argc)
            data_dir_flag = argv[++i];
        else
            sub_argv[sub_argc++] = argv[i];
    }
    if (data_dir_flag && ow_config_set(&cfg, "data_dir", data_dir_flag, &e)) {
        free(sub_argv);
        return fail(&e);
    }
    int level = ow_log_level_parse(cfg.log_level);
    if (level < 0) {
        free(sub_argv);
        ow_err_set(&e, OW_EINVAL, "log_level", "日志级别应为 debug、info、warn 或 error");
        return fail(&e);
    }
    ow_log_set_level(level);

    if (ow_crypto_init()) {
        free(sub_argv);
        ow_err_set(&e, OW_EINTERNAL, "", "libsodium 初始化失败");
        return fail(&e);
    }
    static ow_app app;
    ow_app_init(&app, &cfg);
    /* one-thing bundles follow their child cases (issue 22), after app/'s wallet follower,
     * so an approval's license is issued before the bundle passes it on */
    ow_bundle_setup(&app);
    /* notifications follow the cases (issue 20): messages written in the step's transaction */
    if (ow_hall_setup(&app, &e) || ow_exchange_setup(&app, &e) || ow_notify_setup(&app, &e)) {
        free(sub_argv);
        return fail(&e);
    }
    int rc;
    if (!strcmp(cmd, "init"))
        rc = cmd_init(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "migrate"))
        rc = cmd_migrate(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "serve"))
        rc = cmd_serve(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "audit"))
        rc = cmd_audit(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "exchange"))
        rc = ow_exchange_cli(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "calendar"))
        rc = cmd_calendar(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "seed"))
        rc = cmd_seed(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "docs"))
        rc = cmd_docs(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "files"))
        rc = cmd_files(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "db"))
        rc = cmd_db(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "backup"))
        rc = cmd_backup(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "restore"))
        rc = cmd_restore(&app, sub_argc, sub_argv);
    else if (!strcmp(cmd, "items"))
        rc = cmd_items(&app, sub_argc, sub_argv);
    else {
        fprintf(stderr, "onewindow: unknown command %s\n\n", cmd);
        usage(stderr);
        rc = 2;
    }
    free(sub_argv);
    return rc;
}
