/* db.c — see db.h.
 *
 * The statement cache is keyed by the SQL text's address (statements are
 * `static const char *` next to their function, docs/style.md "SQL") and confirmed by
 * comparing the text, so a dynamically built query that happens to reuse an
 * address can never run the wrong statement. */
#include "store/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/clock.h"
#include "core/log.h"

#define STMT_SLOTS 512
#define BUSY_TIMEOUT_MS 5000
#define TX_RETRIES 20

typedef struct slot {
    const char *key;
    sqlite3_stmt *stmt;
} slot;

struct ow_db {
    sqlite3 *h;
    ow_db_mode mode;
    bool has_migrations_table; /* once seen it stays: tables are never dropped */
    slot slots[STMT_SLOTS];
};

sqlite3 *ow_db_handle(ow_db *db) {
    return db->h;
}

int ow_db_fail(ow_db *db, const char *what, ow_err *e) {
    int rc = sqlite3_extended_errcode(db->h);
    const char *msg = sqlite3_errmsg(db->h);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
        ow_log_warn("db busy", "\"what\":\"%s\",\"sqlite\":%d", what, rc);
        return ow_err_setk(e, OW_EBUSY, "busy", "", "系统繁忙，请稍后重试");
    }
    if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR) {
        /* A full or failing disk: the transaction did not commit.  503 with Retry-After
         * (never 500, never a success) while it lasts; reads go on from what committed. */
        ow_log_error("db storage unavailable", "\"what\":\"%s\",\"sqlite\":%d", what, rc);
        ow_err_setk(e, OW_EBUSY, "storage_unavailable", "",
                    "服务器存储暂时不可用（磁盘空间不足或读写故障），本次操作未保存，请稍后重试");
        e->retry_after_s = 60;
        return OW_EBUSY;
    }
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        ow_log_info("db constraint", "\"what\":\"%s\",\"sqlite\":%d", what, rc);
        return ow_err_setk(e, OW_ECONFLICT, "conflict", "", "数据与已有记录冲突");
    }
    char esc[256];
    size_t j = 0;
    for (const char *p = msg; *p && j < sizeof esc - 2; p++)
        if (*p != '"' && *p != '\\') esc[j++] = *p;
    esc[j] = '\0';
    ow_log_error("db error", "\"what\":\"%s\",\"sqlite\":%d,\"detail\":\"%s\"", what, rc, esc);
    return ow_err_setk(e, OW_EDB, "internal_error", "", "数据库操作失败");
}

int ow_db_exec(ow_db *db, const char *sql, ow_err *e) {
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return ow_db_fail(db, "exec", e);
    }
    return OW_OK;
}

/* SQLite keeps allocation statistics by default, and every sqlite3_malloc and free then
 * takes one process-wide mutex: under load the writer and the request threads queued on
 * it (perf on the cases benchmark: 8 % of the writer's time in sqlite3Malloc's lock).
 * Nothing here reads those statistics.  sqlite3_config only works before SQLite is
 * initialised, hence once, before the first connection; if something initialised it
 * earlier the call fails harmlessly and the statistics stay on. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void) {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
}

int ow_db_open(const char *path, ow_db_mode mode, ow_db **out, ow_err *e) {
    *out = NULL;
    pthread_once(&sqlite_once, sqlite_setup);
    ow_db *db = calloc(1, sizeof *db);
    if (!db) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    db->mode = mode;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (mode == OW_DB_WRITE) flags |= SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
        int rc = ow_err_set(e, OW_EDB, "data_dir", "无法打开数据库 %s：%s", path,
                            db->h ? sqlite3_errmsg(db->h) : "内存不足");
        sqlite3_close(db->h);
        free(db);
        return rc;
    }
    sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db->h, 1);
    int rc = ow_db_exec(db,
                        "PRAGMA foreign_keys=ON;"
                        "PRAGMA synchronous=FULL;"
                        "PRAGMA temp_store=MEMORY;"
                        "PRAGMA cache_size=-16000;",
                        e);
    if (!rc && mode == OW_DB_WRITE) rc = ow_db_exec(db, "PRAGMA journal_mode=WAL;", e);
    /* Readers map the file instead of copying each page into their own cache: the
     * statistics pass over case_facts otherwise spends its time in pread and memcpy
     * (the 16 MB cache is smaller than the table). */
    if (!rc && mode == OW_DB_READ)
        rc = ow_db_exec(db, "PRAGMA query_only=1; PRAGMA mmap_size=1073741824;", e);
    if (rc) {
        ow_db_close(db);
        return rc;
    }
    *out = db;
    return OW_OK;
}

void ow_db_close(ow_db *db) {
    if (!db) return;
    for (int i = 0; i < STMT_SLOTS; i++)
        if (db->slots[i].stmt) sqlite3_finalize(db->slots[i].stmt);
    sqlite3_close(db->h);
    free(db);
}

sqlite3_stmt *ow_db_stmt(ow_db *db, const char *sql, ow_err *e) {
    size_t h = ((uintptr_t)sql >> 3) * 0x9E3779B97F4A7C15ull;
    size_t i = (h >> 20) % STMT_SLOTS;
    for (int probe = 0; probe < 8; probe++, i = (i + 1) % STMT_SLOTS) {
        slot *s = &db->slots[i];
        if (s->key == sql && s->stmt) {
            if (strcmp(sqlite3_sql(s->stmt), sql) == 0) {
                sqlite3_reset(s->stmt);
                sqlite3_clear_bindings(s->stmt);
                return s->stmt;
            }
            sqlite3_finalize(s->stmt);
            s->stmt = NULL;
            s->key = NULL;
        }
        if (!s->key) break;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        ow_db_fail(db, "prepare", e);
        return NULL;
    }
    /* Insert, evicting whatever sits at the home slot when the probe run is full. */
    i = (h >> 20) % STMT_SLOTS;
    for (int probe = 0; probe < 8; probe++) {
        slot *s = &db->slots[(i + (size_t)probe) % STMT_SLOTS];
        if (!s->key) {
            s->key = sql;
            s->stmt = st;
            return st;
        }
    }
    slot *s = &db->slots[i];
    sqlite3_finalize(s->stmt);
    s->key = sql;
    s->stmt = st;
    return st;
}

int ow_db_begin(ow_db *db, ow_err *e) {
    return ow_db_exec(db, "BEGIN IMMEDIATE", e);
}
int ow_db_commit(ow_db *db, ow_err *e) {
    return ow_db_exec(db, "COMMIT", e);
}
void ow_db_rollback(ow_db *db) {
    if (!sqlite3_get_autocommit(db->h)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}
/* Every job of a group commit opens and releases a savepoint: run them as cached
 * statements rather than parsing the SQL twice per job on the single writer thread. */
static int step_cached(ow_db *db, const char *sql, const char *what, ow_err *e) {
    sqlite3_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? OW_OK : ow_db_fail(db, what, e);
}

int ow_db_savepoint(ow_db *db, ow_err *e) {
    static const char *sql = "SAVEPOINT job";
    return step_cached(db, sql, "savepoint", e);
}
int ow_db_release(ow_db *db, ow_err *e) {
    static const char *sql = "RELEASE job";
    return step_cached(db, sql, "release", e);
}
void ow_db_rollback_to(ow_db *db) {
    sqlite3_exec(db->h, "ROLLBACK TO job; RELEASE job", NULL, NULL, NULL);
}

int ow_db_tx(ow_db *db, ow_db_tx_fn fn, void *arg, ow_err *e) {
    for (int attempt = 0;; attempt++) {
        int rc = ow_db_begin(db, e);
        if (!rc) {
            rc = fn(db, arg, e);
            if (!rc) rc = ow_db_commit(db, e);
            if (rc) ow_db_rollback(db);
        }
        if (rc != OW_EBUSY || attempt >= TX_RETRIES) return rc;
        struct timespec ts = {0, (long)(5 + attempt * 10) * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* ---- migrations ---- */

typedef struct ow_migration {
    int version;
    const char *name;
    const char *sql;
} ow_migration;

/* Generated by cmake/embed_migrations.cmake from db/migrations/. */
extern const ow_migration ow_migrations[];
extern const int ow_migrations_count;

int ow_db_latest_migration(void) {
    return ow_migrations_count ? ow_migrations[ow_migrations_count - 1].version : 0;
}

int ow_db_schema_version(ow_db *db, int *version, ow_err *e) {
    *version = 0;
    sqlite3_stmt *st;
    /* /api/v1/health asks on every call: after the first time, one statement (one
     * read transaction, half the WAL lock traffic) instead of two. */
    if (!db->has_migrations_table) {
        st = ow_db_stmt(
            db,
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'",
            e);
        if (!st) return OW_EDB;
        if (sqlite3_step(st) != SQLITE_ROW) return ow_db_fail(db, "schema check", e);
        int exists = sqlite3_column_int(st, 0);
        sqlite3_reset(st);
        if (!exists) return OW_OK;
        db->has_migrations_table = true;
    }
    st = ow_db_stmt(db, "SELECT coalesce(max(version),0) FROM schema_migrations", e);
    if (!st) return OW_EDB;
    if (sqlite3_step(st) != SQLITE_ROW) return ow_db_fail(db, "schema version", e);
    *version = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return OW_OK;
}

typedef struct mig_arg {
    const ow_migration *m;
} mig_arg;

static int apply_one(ow_db *db, void *arg, ow_err *e) {
    const ow_migration *m = ((mig_arg *)arg)->m;
    int rc = ow_db_exec(db, m->sql, e);
    if (rc) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(db->h));
        return ow_err_set(e, OW_EDB, "migration", "迁移 %04d_%s 失败：%s", m->version, m->name,
                          msg);
    }
    sqlite3_stmt *st =
        ow_db_stmt(db, "INSERT INTO schema_migrations(version, name, applied_at) VALUES(?,?,?)", e);
    if (!st) return OW_EDB;
    sqlite3_bind_int(st, 1, m->version);
    sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL) * 1000);
    if (sqlite3_step(st) != SQLITE_DONE) return ow_db_fail(db, "record migration", e);
    return OW_OK;
}

int ow_db_migrate(ow_db *db, int *applied, ow_err *e) {
    *applied = 0;
    int rc = ow_db_exec(db,
                        "CREATE TABLE IF NOT EXISTS schema_migrations("
                        " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                        " applied_at INTEGER NOT NULL)",
                        e);
    if (rc) return rc;
    int current;
    if ((rc = ow_db_schema_version(db, &current, e))) return rc;
    if (current > ow_db_latest_migration())
        return ow_err_set(e, OW_ECONFLICT, "schema_version",
                          "数据库结构版本 %d 比本程序（%d）新，请升级程序", current,
                          ow_db_latest_migration());
    for (int i = 0; i < ow_migrations_count; i++) {
        const ow_migration *m = &ow_migrations[i];
        if (m->version <= current) continue;
        mig_arg a = {m};
        if ((rc = ow_db_tx(db, apply_one, &a, e))) return rc;
        ow_log_info("migration applied", "\"version\":%d,\"name\":\"%s\"", m->version, m->name);
        (*applied)++;
    }
    return OW_OK;
}

json_t *ow_db_time_json(sqlite3_stmt *st, int i) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return json_null();
    char t[32];
    ow_time_format_iso(sqlite3_column_int64(st, i), t);
    return json_string(t);
}

int ow_db_check(ow_db *db, int64_t *problems, char *first, size_t first_size, ow_err *e) {
    *problems = 0;
    if (first_size) first[0] = '\0';
    static const char *const checks[] = {"PRAGMA integrity_check", "PRAGMA foreign_key_check"};
    for (size_t c = 0; c < sizeof checks / sizeof *checks; c++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db->h, checks[c], -1, &st, NULL) != SQLITE_OK)
            return ow_db_fail(db, checks[c], e);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *v = (const char *)sqlite3_column_text(st, 0);
            if (c == 0 && v && !strcmp(v, "ok")) continue;
            if (!*problems && first_size)
                snprintf(first, first_size, "%s: %s", checks[c] + 7, v ? v : "(row)");
            (*problems)++;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) return ow_db_fail(db, checks[c], e);
    }
    return OW_OK;
}
