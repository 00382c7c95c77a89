/* copy.c — see copy.h.
 *
 * The tables come from the target's catalog, parents before children (foreign keys stay
 * checked); the target's own triggers are switched off table by table while its rows
 * arrive (ALTER TABLE … DISABLE TRIGGER USER, which the tables' owner may do): the rows
 * are copied as they are — derived tables such as case_facts and the rollups included —
 * rather than recomputed, and the append-only guards would refuse nothing anyway.
 * Columns the target generates (cases.queue, due_sort) are left to it; identity
 * sequences are moved past the highest id copied. */
#include "store/copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

#define MAX_TABLES 256
#define MAX_COLS 64

typedef struct table {
    char name[64];
    char deps[8][64]; /* tables it references */
    int ndeps;
    bool done;
} table;

static int fail_copy(ow_db *db, const char *what, ow_err *e) {
    return ow_db_fail(db, what, e);
}

static int load_tables(ow_db *to, table *t, int *n, ow_err *e) {
    ow_stmt *st = ow_db_prepare(to,
                                "SELECT table_name FROM information_schema.tables"
                                " WHERE table_schema = current_schema() AND table_type ="
                                " 'BASE TABLE' AND table_name <> 'schema_migrations'"
                                " ORDER BY table_name",
                                e);
    if (!st) return OW_EDB;
    *n = 0;
    int rc;
    while ((rc = ow_step(st)) == OW_ROW && *n < MAX_TABLES)
        snprintf(t[(*n)++].name, sizeof t[0].name, "%s", ow_col_text(st, 0));
    ow_stmt_free(st);
    if (rc != OW_DONE && rc != OW_ROW) return fail_copy(to, "copy: tables", e);
    st = ow_db_prepare(to,
                       "SELECT c.relname, p.relname FROM pg_constraint k"
                       " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid ="
                       " k.confrelid JOIN pg_namespace s ON s.oid = c.relnamespace"
                       " WHERE k.contype = 'f' AND s.nspname = current_schema()"
                       " AND c.relname <> p.relname",
                       e);
    if (!st) return OW_EDB;
    while ((rc = ow_step(st)) == OW_ROW) {
        for (int i = 0; i < *n; i++)
            if (!strcmp(t[i].name, ow_col_text(st, 0)) && t[i].ndeps < 8)
                snprintf(t[i].deps[t[i].ndeps++], sizeof t[0].deps[0], "%s", ow_col_text(st, 1));
    }
    ow_stmt_free(st);
    return rc == OW_DONE ? OW_OK : fail_copy(to, "copy: foreign keys", e);
}

/* The next table whose referenced tables are all copied. */
static table *next_table(table *t, int n) {
    for (int i = 0; i < n; i++) {
        if (t[i].done) continue;
        bool ready = true;
        for (int d = 0; d < t[i].ndeps && ready; d++)
            for (int j = 0; j < n; j++)
                if (!strcmp(t[j].name, t[i].deps[d]) && !t[j].done) ready = false;
        if (ready) return &t[i];
    }
    return NULL;
}

/* The columns of name the target lets us write, comma-separated, and how many. */
static int insertable_columns(ow_db *to, const char *name, char *cols, size_t size, int *n,
                              ow_err *e) {
    ow_stmt *st = ow_db_prepare(to,
                                "SELECT column_name FROM information_schema.columns"
                                " WHERE table_schema = current_schema() AND table_name = ?"
                                " AND is_generated = 'NEVER' ORDER BY ordinal_position",
                                e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, name);
    cols[0] = '\0';
    *n = 0;
    int rc;
    while ((rc = ow_step(st)) == OW_ROW && *n < MAX_COLS) {
        size_t len = strlen(cols);
        snprintf(cols + len, size - len, "%s\"%s\"", *n ? ", " : "", ow_col_text(st, 0));
        (*n)++;
    }
    ow_stmt_free(st);
    return rc == OW_DONE ? OW_OK : fail_copy(to, "copy: columns", e);
}

static int exec_fmt(ow_db *db, ow_err *e, const char *fmt, const char *name) {
    char sql[256]; /* name is a table name of at most 63 bytes (load_tables) */
    snprintf(sql, sizeof sql, fmt, name);
    return ow_db_exec(db, sql, e);
}

static int copy_table(ow_db *from, ow_db *to, const char *name, int64_t *rows, ow_err *e) {
    char cols[4096];
    int ncols;
    int rc = insertable_columns(to, name, cols, sizeof cols, &ncols, e);
    if (rc) return rc;
    *rows = 0;
    if (!ncols) return OW_OK;
    if ((rc = exec_fmt(to, e, "ALTER TABLE \"%s\" DISABLE TRIGGER USER", name))) return rc;
    if ((rc = exec_fmt(to, e, "DELETE FROM \"%s\"", name))) return rc; /* the baseline's rows */
    char *sel = malloc(strlen(cols) + 128), *ins = malloc(strlen(cols) + 64 + (size_t)ncols * 3);
    if (!sel || !ins) {
        free(sel);
        free(ins);
        return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    }
    /* rowid order is insertion order: a row's parent in the same table comes first */
    sprintf(sel, "SELECT %s FROM \"%s\" ORDER BY rowid", cols, name);
    int w = sprintf(ins, "INSERT INTO \"%s\" (%s) VALUES (", name, cols);
    for (int i = 0; i < ncols; i++)
        w += sprintf(ins + w, "%s?", i ? ", " : "");
    sprintf(ins + w, ")");
    ow_stmt *src = ow_db_prepare(from, sel, e);
    /* a WITHOUT ROWID table has no rowid: its primary key's order then */
    if (!src) {
        ow_err_clear(e);
        sprintf(sel, "SELECT %s FROM \"%s\"", cols, name);
        src = ow_db_prepare(from, sel, e);
    }
    ow_stmt *dst = src ? ow_db_prepare(to, ins, e) : NULL;
    free(sel);
    free(ins);
    if (!src || !dst) {
        ow_stmt_free(src);
        return OW_EDB;
    }
    int s;
    while ((s = ow_step(src)) == OW_ROW) {
        ow_reset(dst);
        for (int i = 0; i < ncols; i++) {
            if (ow_col_null(src, i))
                ow_bind_null(dst, i + 1);
            else if (ow_col_is_int(src, i))
                ow_bind_int64(dst, i + 1, ow_col_int64(src, i));
            else
                ow_bind_textn(dst, i + 1, ow_col_text(src, i), ow_col_bytes(src, i));
        }
        if (ow_step(dst) != OW_DONE) {
            rc = fail_copy(to, name, e);
            break;
        }
        (*rows)++;
    }
    if (!rc && s != OW_DONE) rc = fail_copy(from, name, e);
    ow_stmt_free(src);
    ow_stmt_free(dst);
    if (!rc) rc = exec_fmt(to, e, "ALTER TABLE \"%s\" ENABLE TRIGGER USER", name);
    return rc;
}

/* Every identity column's sequence past the highest id copied. */
static int move_sequences(ow_db *to, ow_err *e) {
    ow_stmt *st = ow_db_prepare(to,
                                "SELECT table_name, column_name FROM information_schema.columns"
                                " WHERE table_schema = current_schema() AND is_identity = 'YES'",
                                e);
    if (!st) return OW_EDB;
    char list[MAX_TABLES][2][64];
    int n = 0, rc;
    while ((rc = ow_step(st)) == OW_ROW && n < MAX_TABLES) {
        snprintf(list[n][0], 64, "%s", ow_col_text(st, 0));
        snprintf(list[n][1], 64, "%s", ow_col_text(st, 1));
        n++;
    }
    ow_stmt_free(st);
    if (rc != OW_DONE && rc != OW_ROW) return fail_copy(to, "copy: identities", e);
    for (int i = 0; i < n; i++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT setval(pg_get_serial_sequence('\"%.63s\"', '%.63s'),"
                 " coalesce(max(\"%.63s\"), 0) + 1, false) FROM \"%.63s\"",
                 list[i][0], list[i][1], list[i][1], list[i][0]);
        if ((rc = ow_db_exec(to, sql, e))) return rc;
    }
    return OW_OK;
}

static int target_is_empty(ow_db *to, ow_err *e) {
    ow_stmt *st = ow_db_prepare(to,
                                "SELECT (SELECT count(*) FROM instance) + (SELECT count(*)"
                                " FROM users) + (SELECT count(*) FROM audit)",
                                e);
    if (!st) return OW_EDB;
    int rc = ow_step(st);
    int64_t n = rc == OW_ROW ? ow_col_int64(st, 0) : -1;
    ow_stmt_free(st);
    if (rc != OW_ROW) return fail_copy(to, "copy: target", e);
    if (n)
        return ow_err_set(e, OW_ECONFLICT, "database",
                          "目标数据库已有 onewindow 数据，只能复制到空数据库");
    return OW_OK;
}

int ow_store_copy(ow_db *from, ow_db *to, ow_copy_progress_fn progress, void *arg,
                  int64_t *total_rows, ow_err *e) {
    *total_rows = 0;
    if (ow_db_backend(from) != OW_DB_SQLITE || ow_db_backend(to) != OW_DB_POSTGRES)
        return ow_err_set(e, OW_EINVAL, "database", "只能把 SQLite 数据库复制到 PostgreSQL");
    int vf, vt, applied, rc;
    if ((rc = ow_db_schema_version(from, &vf, e))) return rc;
    if (vf != ow_db_latest_migration())
        return ow_err_set(e, OW_ECONFLICT, "schema_version",
                          "源数据库结构版本 %d 与程序（%d）不一致，请先运行 onewindow migrate", vf,
                          ow_db_latest_migration());
    if ((rc = ow_db_migrate(to, &applied, e))) return rc;
    if ((rc = ow_db_schema_version(to, &vt, e))) return rc;
    if ((rc = target_is_empty(to, e))) return rc;
    table *t = calloc(MAX_TABLES, sizeof *t);
    if (!t) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    int n;
    if ((rc = load_tables(to, t, &n, e))) goto out;
    if ((rc = ow_db_begin(to, e))) goto out;
    table *x;
    while (!rc && (x = next_table(t, n))) {
        int64_t rows;
        rc = copy_table(from, to, x->name, &rows, e);
        x->done = true;
        if (!rc) {
            *total_rows += rows;
            if (progress) progress(arg, x->name, rows);
        }
    }
    for (int i = 0; !rc && i < n; i++)
        if (!t[i].done)
            rc = ow_err_set(e, OW_EINTERNAL, "database", "表 %s 的外键依赖成环，无法排序",
                            t[i].name);
    if (!rc) rc = move_sequences(to, e);
    if (!rc) rc = ow_db_commit(to, e);
    if (rc) ow_db_rollback(to);
out:
    free(t);
    return rc;
}
