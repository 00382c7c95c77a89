/* db.c — see db.h.
 *
 * One ow_db is one connection, to SQLite or to PostgreSQL; one ow_stmt wraps an SQLite
 * statement or, for PostgreSQL, the SQL rewritten to `$N` placeholders, its bound
 * parameters and the result of its last execution.  PostgreSQL runs a statement when it
 * is first stepped (PQexecParams, text format, one round trip) and ow_step then walks the
 * rows it returned.
 *
 * The statement cache is keyed by the SQL text's address (statements are
 * `static const char *` next to their function, docs/style.md "SQL") and confirmed by
 * comparing the text, so a dynamically built query that happens to reuse an
 * address can never run the wrong statement. */
#include "store/db.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/workdays.h"

#define STMT_SLOTS 512
#define BUSY_TIMEOUT_MS 5000
#define TX_RETRIES 20
#define MAX_PARAMS 64

/* PostgreSQL type oids for parameters (pg_type.h is not part of libpq-dev's API). */
#define OID_INT8 20
#define OID_FLOAT8 701

typedef struct pg_param {
    const char *v; /* NULL for SQL NULL */
    char *owned;   /* a copy, freed on rebinding */
    unsigned oid;  /* 0: let the server infer it from the context */
    char num[32];
} pg_param;

struct ow_stmt {
    ow_db *db;
    const char *key; /* the caller's SQL pointer (cache key) */
    bool cached;
    sqlite3_stmt *lite;
    /* PostgreSQL */
    char *orig; /* the caller's SQL, to confirm a cache hit */
    char *sql;  /* rewritten with $N placeholders */
    int nparams;
    pg_param params[MAX_PARAMS];
    char *probe; /* see pg_rewrite; NULL when the statement tests no parameter */
    bool probed;
    unsigned ptypes[MAX_PARAMS];
    bool used[MAX_PARAMS + 1]; /* which $N the SQL mentions: a caller may bind a number
                                * its statement skips, and the server wants a type for it */
    PGresult *res;
    int row, nrows;
    bool executed;
    unsigned char *blob; /* ow_col_blob's decoded bytea, freed on the next row */
    size_t blob_len;
};

typedef struct slot {
    const char *key;
    ow_stmt *stmt;
} slot;

struct ow_db {
    ow_db_kind kind;
    ow_db_mode mode;
    sqlite3 *h;
    PGconn *pg;
    bool has_migrations_table; /* once seen it stays: tables are never dropped */
    /* PostgreSQL: what the last statement did or how it failed */
    int64_t changes;
    char sqlstate[6];
    char errmsg[256];
    bool last_constraint;
    /* a SAVEPOINT outside BEGIN opened the transaction (as SQLite does): the RELEASE
     * that closes the last one commits it */
    bool sp_implicit;
    int sp_depth;
    /* Failover (docs/decisions/0006-high-availability.md): in_tx says a transaction was
     * open on this session as far as the last answered statement knew; a connection lost
     * inside one is never silently replaced (the rest of the transaction would run on
     * another session, in autocommit: half a write).  reconnect asks for a new session at
     * the next statement outside a transaction (a read-only answer from a demoted
     * primary); next_try_ms spaces out reconnection attempts while no server answers. */
    bool in_tx, reconnect, commit_unknown;
    int64_t next_try_ms;
    bool no_deadline; /* migrations: a long CREATE INDEX is not a lost server */
    slot slots[STMT_SLOTS];
};

bool ow_db_target_is_postgres(const char *t) {
    if (!t) return false;
    if (!strncmp(t, "postgres://", 11) || !strncmp(t, "postgresql://", 13)) return true;
    /* A conninfo is key=value pairs; a file path has no '=' before its first '/'. */
    const char *eq = strchr(t, '=');
    const char *slash = strchr(t, '/');
    return eq && (!slash || eq < slash) &&
           (strstr(t, "dbname=") || strstr(t, "host=") || strstr(t, "service="));
}

ow_db_kind ow_db_backend(const ow_db *db) {
    return db->kind;
}

/* ---- errors ---- */

static void pg_note_error(ow_db *db, const PGresult *res) {
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "");
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(db->pg);
    snprintf(db->errmsg, sizeof db->errmsg, "%s", msg && *msg ? msg : PQerrorMessage(db->pg));
    db->last_constraint = !strncmp(db->sqlstate, "23", 2);
}

bool ow_db_last_was_constraint(ow_db *db) {
    if (db->kind == OW_DB_POSTGRES) return db->last_constraint;
    return (sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_CONSTRAINT;
}

static void log_detail(const char *what, const char *kind, int code, const char *msg) {
    char esc[256];
    size_t j = 0;
    for (const char *p = msg ? msg : ""; *p && j < sizeof esc - 2; p++)
        if (*p != '"' && *p != '\\' && *p != '\n') esc[j++] = *p;
    esc[j] = '\0';
    ow_log_error("db error", "\"what\":\"%s\",\"%s\":%d,\"detail\":\"%s\"", what, kind, code, esc);
}

static int fail_storage(const char *what, int code, ow_err *e) {
    /* A full or failing disk: the transaction did not commit.  503 with Retry-After
     * (never 500, never a success) while it lasts; reads go on from what committed. */
    ow_log_error("db storage unavailable", "\"what\":\"%s\",\"code\":%d", what, code);
    ow_err_setk(e, OW_EBUSY, "storage_unavailable", "",
                "服务器存储暂时不可用（磁盘空间不足或读写故障），本次操作未保存，请稍后重试");
    if (e) e->retry_after_s = 60;
    return OW_EBUSY;
}

static int fail_busy(const char *what, int code, ow_err *e) {
    ow_log_warn("db busy", "\"what\":\"%s\",\"code\":%d", what, code);
    return ow_err_setk(e, OW_EBUSY, "busy", "", "系统繁忙，请稍后重试");
}

static int fail_conflict(const char *what, int code, ow_err *e) {
    ow_log_info("db constraint", "\"what\":\"%s\",\"code\":%d", what, code);
    return ow_err_setk(e, OW_ECONFLICT, "conflict", "", "数据与已有记录冲突");
}

static int pg_fail(ow_db *db, const char *what, ow_err *e) {
    const char *s = db->sqlstate;
    int code = (int)strtol(s, NULL, 36);
    if (PQstatus(db->pg) != CONNECTION_OK || !strncmp(s, "08", 2) || !strncmp(s, "57P", 3)) {
        /* The server went away or is shutting down (a failover): nothing of this
         * transaction committed; the client may retry once a primary answers. */
        ow_log_error("db connection lost", "\"what\":\"%s\",\"sqlstate\":\"%s\"", what, s);
        ow_err_setk(e, OW_EBUSY, "database_unavailable", "",
                    "数据库暂时不可用，本次操作未保存，请稍后重试");
        if (e) e->retry_after_s = 5;
        return OW_EBUSY;
    }
    if (!strcmp(s, "40001") || !strcmp(s, "40P01") || !strcmp(s, "55P03"))
        return fail_busy(what, code, e);
    if (!strncmp(s, "53", 2) || !strncmp(s, "58", 2)) return fail_storage(what, code, e);
    if (!strcmp(s, "25006")) { /* read-only transaction: a standby, or a demoted primary */
        if (db->mode == OW_DB_WRITE) db->reconnect = true; /* look for the new primary */
        ow_err_setk(e, OW_EBUSY, "database_unavailable", "",
                    "数据库暂时不可用，本次操作未保存，请稍后重试");
        if (e) e->retry_after_s = 5;
        return OW_EBUSY;
    }
    if (!strncmp(s, "23", 2)) return fail_conflict(what, code, e);
    char esc[256];
    size_t j = 0;
    for (const char *p = db->errmsg; *p && j < sizeof esc - 2; p++)
        if (*p != '"' && *p != '\\' && *p != '\n') esc[j++] = *p;
    esc[j] = '\0';
    ow_log_error("db error", "\"what\":\"%s\",\"sqlstate\":\"%s\",\"detail\":\"%s\"", what, s, esc);
    return ow_err_setk(e, OW_EDB, "internal_error", "", "数据库操作失败");
}

int ow_db_fail(ow_db *db, const char *what, ow_err *e) {
    if (db->kind == OW_DB_POSTGRES) return pg_fail(db, what, e);
    int rc = sqlite3_extended_errcode(db->h);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return fail_busy(what, rc, e);
    if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR) return fail_storage(what, rc, e);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) return fail_conflict(what, rc, e);
    log_detail(what, "sqlite", rc, sqlite3_errmsg(db->h));
    return ow_err_setk(e, OW_EDB, "internal_error", "", "数据库操作失败");
}

/* ---- PostgreSQL execution ---- */

/* ---- waiting for an answer ----
 *
 * Every statement is sent with libpq's asynchronous calls and its answer awaited for at
 * most the query deadline (ow_db_set_query_timeout; the setting database_query_timeout_s).
 * A server that stops answering without closing the connection — a frozen machine, a
 * primary cut off behind something that still acknowledges its packets — would otherwise
 * hold the thread, and the writer with it, forever: keepalives and tcp_user_timeout (open_pg)
 * only see a peer whose kernel is silent.  At the deadline the session is shut down, which
 * is what a lost server looks like: the transaction fails (a COMMIT's outcome becomes
 * unknown), the answer is 503, and the next statement outside a transaction reconnects to
 * whichever host is the primary now.  libpq has no per-statement client timeout of its
 * own (statement_timeout is the server's, and a frozen server does not run it). */

static atomic_int query_timeout_ms;

void ow_db_set_query_timeout(int ms) {
    atomic_store(&query_timeout_ms, ms > 0 ? ms : 0);
}

/* Wait until the socket is readable or the deadline (mono µs, 0: none) passes. */
static bool pg_await_input(ow_db *db, int64_t deadline) {
    for (;;) {
        int wait = -1;
        if (deadline) {
            int64_t left = deadline - ow_clock_mono_us();
            if (left <= 0) return false;
            wait = (int)((left + 999) / 1000);
        }
        struct pollfd p = {.fd = PQsocket(db->pg), .events = POLLIN};
        int n = poll(&p, 1, wait);
        if (n > 0) return true;
        if (n < 0 && errno != EINTR) return true; /* let libpq find out what is wrong */
    }
}

/* The answer to what was just sent (sent: the PQsend* call's answer), as PQexec gives it:
 * the first error, else the last result; NULL when nothing could be sent. */
static PGresult *pg_wait(ow_db *db, int sent) {
    if (!sent) return NULL;
    int limit = db->no_deadline ? 0 : atomic_load(&query_timeout_ms);
    int64_t deadline = limit ? ow_clock_mono_us() + (int64_t)limit * 1000 : 0;
    PGresult *keep = NULL;
    for (;;) {
        while (PQisBusy(db->pg)) {
            if (!pg_await_input(db, deadline)) {
                ow_log_error("db no answer in time: session dropped",
                             "\"timeout_ms\":%d,\"host\":\"%s\",\"port\":\"%s\"", limit,
                             PQhost(db->pg), PQport(db->pg));
                shutdown(PQsocket(db->pg), SHUT_RDWR); /* libpq reads EOF: the session is gone */
                deadline = 0;
            }
            if (!PQconsumeInput(db->pg)) break;
        }
        PGresult *r = PQgetResult(db->pg);
        if (!r) return keep;
        ExecStatusType k = keep ? PQresultStatus(keep) : PGRES_COMMAND_OK;
        if (k == PGRES_FATAL_ERROR || k == PGRES_NONFATAL_ERROR) {
            PQclear(r);
        } else {
            PQclear(keep);
            keep = r;
        }
    }
}

/* Run sql with no parameters and no rows wanted; 0 or -1 (error noted). */
static int pg_ensure(ow_db *db);

static void pg_note_tx(ow_db *db) {
    db->in_tx = PQtransactionStatus(db->pg) != PQTRANS_IDLE;
}

static int pg_exec(ow_db *db, const char *sql) {
    if (pg_ensure(db)) return -1;
    PGresult *r = pg_wait(db, PQsendQuery(db->pg, sql));
    ExecStatusType s = PQresultStatus(r);
    int rc = (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) ? 0 : -1;
    if (rc)
        pg_note_error(db, r);
    else
        pg_note_tx(db);
    PQclear(r);
    return rc;
}

int ow_db_exec(ow_db *db, const char *sql, ow_err *e) {
    if (db->kind == OW_DB_POSTGRES) return pg_exec(db, sql) ? ow_db_fail(db, "exec", e) : OW_OK;
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return ow_db_fail(db, "exec", e);
    }
    return OW_OK;
}

/* `?` and `?N` to `$N` outside quotes and comments; *n gets the highest number.  A bare
 * `?` takes one more than the highest number so far, as in SQLite.  SQLite's planner hints
 * (`INDEXED BY name`, `NOT INDEXED`) are dropped.
 *
 * PostgreSQL must know each parameter's type when it plans a statement, and a NULL
 * parameter has none; `?1 IS NULL OR col = ?1` then fails ("could not determine data
 * type").  So the rewrite also makes *probe: the same statement with each such `$N IS
 * [NOT] NULL` test of a parameter that is used elsewhere replaced by `NULL IS NULL`, from
 * which the server deduces the types (pg_probe); *probe is NULL when there is no test. */
typedef struct rewrite_use {
    int k;
    size_t at, len; /* where "$k" sits in the output */
    bool null_test;
} rewrite_use;

static bool null_test_follows(const char *p) {
    while (*p == ' ' || *p == '\n' || *p == '\t')
        p++;
    if (strncasecmp(p, "IS", 2) || (p[2] != ' ' && p[2] != '\n')) return false;
    p += 3;
    while (*p == ' ' || *p == '\n')
        p++;
    if (!strncasecmp(p, "NOT", 3) && (p[3] == ' ' || p[3] == '\n')) {
        p += 4;
        while (*p == ' ' || *p == '\n')
            p++;
    }
    return !strncasecmp(p, "NULL", 4) &&
           !(p[4] == '_' || (p[4] >= 'a' && p[4] <= 'z') || (p[4] >= 'A' && p[4] <= 'Z') ||
             (p[4] >= '0' && p[4] <= '9'));
}

static char *pg_rewrite(const char *sql, int *n, char **probe, bool used[MAX_PARAMS + 1]) {
    size_t len = strlen(sql);
    *probe = NULL;
    char *out = malloc(len * 4 + 1);
    rewrite_use *uses = calloc(len / 1 + 1, sizeof *uses);
    if (!out || !uses) {
        free(out);
        free(uses);
        return NULL;
    }
    size_t nuses = 0;
    char *o = out;
    int high = 0;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            *o++ = *p++;
            while (*p) {
                if (*p == q && p[1] == q) {
                    *o++ = *p++;
                    *o++ = *p++;
                } else if (*p == q) {
                    *o++ = *p++;
                    break;
                } else {
                    *o++ = *p++;
                }
            }
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                *o++ = *p++;
        } else if (p > sql && p[-1] == ' ' && !strncmp(p, "NOT INDEXED", 11)) {
            p += 11; /* SQLite's planner hints mean nothing to PostgreSQL's planner */
        } else if (p > sql && p[-1] == ' ' && !strncmp(p, "INDEXED BY ", 11)) {
            p += 11;
            while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
                p++;
        } else if (*p == '?') {
            p++;
            int k;
            if (*p >= '0' && *p <= '9') {
                k = 0;
                while (*p >= '0' && *p <= '9')
                    k = k * 10 + (*p++ - '0');
            } else {
                k = high + 1;
            }
            if (k > high) high = k;
            if (k <= MAX_PARAMS) used[k] = true;
            int w = sprintf(o, "$%d", k);
            uses[nuses++] = (rewrite_use){k, (size_t)(o - out), (size_t)w, null_test_follows(p)};
            o += w;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    *n = high;
    bool any = false;
    for (size_t i = 0; i < nuses && !any; i++)
        any = uses[i].null_test;
    if (any) {
        /* a test is replaced when the parameter also appears outside tests; a parameter
         * that is only tested is text */
        bool elsewhere[MAX_PARAMS + 1] = {false};
        for (size_t i = 0; i < nuses; i++)
            if (!uses[i].null_test && uses[i].k <= MAX_PARAMS) elsewhere[uses[i].k] = true;
        char *pr = malloc(strlen(out) + nuses * 8 + 1);
        if (pr) {
            char *w = pr;
            size_t from = 0;
            for (size_t i = 0; i < nuses; i++) {
                if (!uses[i].null_test || uses[i].k > MAX_PARAMS) continue;
                memcpy(w, out + from, uses[i].at - from);
                w += uses[i].at - from;
                if (elsewhere[uses[i].k])
                    w += sprintf(w, "NULL");
                else
                    w += sprintf(w, "$%d::text", uses[i].k);
                from = uses[i].at + uses[i].len;
            }
            strcpy(w, out + from);
            *probe = pr;
        }
    }
    free(uses);
    return out;
}

/* The parameter types the server deduces for st->probe (see pg_rewrite), once per
 * statement and connection. */
static int pg_probe(ow_stmt *st) {
    ow_db *db = st->db;
    Oid hint[MAX_PARAMS];
    for (int i = 0; i < st->nparams; i++)
        hint[i] = st->used[i + 1] ? 0 : 25;
    PGresult *r = pg_wait(db, PQsendPrepare(db->pg, "", st->probe, st->nparams, hint));
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        pg_note_error(db, r);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    r = pg_wait(db, PQsendDescribePrepared(db->pg, ""));
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        pg_note_error(db, r);
        PQclear(r);
        return -1;
    }
    for (int i = 0; i < st->nparams && i < PQnparams(r); i++)
        st->ptypes[i] = PQparamtype(r, i);
    PQclear(r);
    st->probed = true;
    return 0;
}

static void pg_clear_result(ow_stmt *st) {
    if (st->res) PQclear(st->res);
    st->res = NULL;
    st->executed = false;
    st->row = -1;
    st->nrows = 0;
    free(st->blob);
    st->blob = NULL;
}

static int pg_execute_once(ow_stmt *st);

/* A read-only session found dead at its first statement outside a transaction (it went
 * while idle, in a failover) tries once more on a new one: reading again cannot write
 * anything, and the request need not answer 503 when a primary is already there.  The
 * writer's sessions never do this: a statement of theirs may have committed. */
static int pg_execute(ow_stmt *st) {
    ow_db *db = st->db;
    bool was_in_tx = db->in_tx;
    int rc = pg_execute_once(st);
    if (rc && db->mode == OW_DB_READ && !was_in_tx && PQstatus(db->pg) == CONNECTION_BAD) {
        db->in_tx = false;
        rc = pg_execute_once(st);
    }
    return rc;
}

static int pg_execute_once(ow_stmt *st) {
    ow_db *db = st->db;
    if (pg_ensure(db)) return -1;
    if (st->probe && !st->probed && pg_probe(st)) return -1;
    const char *vals[MAX_PARAMS];
    unsigned oids[MAX_PARAMS];
    for (int i = 0; i < st->nparams; i++) {
        vals[i] = st->params[i].v;
        oids[i] = !st->used[i + 1]              ? 25 /* text */
                  : st->probed && st->ptypes[i] ? st->ptypes[i]
                                                : st->params[i].oid;
    }
    st->res = pg_wait(db, PQsendQueryParams(db->pg, st->sql, st->nparams, (const Oid *)oids, vals,
                                            NULL, NULL, 0));
    ExecStatusType s = PQresultStatus(st->res);
    st->executed = true;
    st->row = -1;
    if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
        st->nrows = PQntuples(st->res);
        const char *t = PQcmdTuples(st->res);
        db->changes = t && *t ? strtoll(t, NULL, 10) : 0;
        pg_note_tx(db);
        return 0;
    }
    pg_note_error(db, st->res);
    PQclear(st->res);
    st->res = NULL;
    return -1;
}

/* ---- statements ---- */

static ow_stmt *stmt_new(ow_db *db, const char *sql, bool cached, ow_err *e) {
    ow_stmt *st = calloc(1, sizeof *st);
    if (!st) {
        ow_err_set(e, OW_ENOMEM, "", "内存不足");
        return NULL;
    }
    st->db = db;
    st->key = sql;
    st->cached = cached;
    st->row = -1;
    if (db->kind == OW_DB_SQLITE) {
        unsigned flags = cached ? SQLITE_PREPARE_PERSISTENT : 0;
        if (sqlite3_prepare_v3(db->h, sql, -1, flags, &st->lite, NULL) != SQLITE_OK) {
            ow_db_fail(db, "prepare", e);
            free(st);
            return NULL;
        }
        return st;
    }
    st->sql = pg_rewrite(sql, &st->nparams, &st->probe, st->used);
    st->orig = strdup(sql);
    if (!st->sql || !st->orig || st->nparams > MAX_PARAMS) {
        free(st->sql);
        free(st->orig);
        free(st->probe);
        free(st);
        ow_err_set(e, OW_EDB, "", "SQL 参数过多");
        return NULL;
    }
    return st;
}

void ow_stmt_free(ow_stmt *st) {
    if (!st) return;
    if (st->lite) sqlite3_finalize(st->lite);
    pg_clear_result(st);
    for (int i = 0; i < MAX_PARAMS; i++)
        free(st->params[i].owned);
    free(st->sql);
    free(st->orig);
    free(st->probe);
    free(st);
}

ow_stmt *ow_db_prepare(ow_db *db, const char *sql, ow_err *e) {
    return stmt_new(db, sql, false, e);
}

ow_stmt *ow_db_stmt(ow_db *db, const char *sql, ow_err *e) {
    size_t h = ((uintptr_t)sql >> 3) * 0x9E3779B97F4A7C15ull;
    size_t i = (h >> 20) % STMT_SLOTS;
    for (int probe = 0; probe < 8; probe++, i = (i + 1) % STMT_SLOTS) {
        slot *s = &db->slots[i];
        if (s->key == sql && s->stmt) {
            bool same = !strcmp(s->stmt->lite ? sqlite3_sql(s->stmt->lite) : s->stmt->orig, sql);
            if (same) {
                ow_reset(s->stmt);
                ow_clear_bindings(s->stmt);
                return s->stmt;
            }
            ow_stmt_free(s->stmt);
            s->stmt = NULL;
            s->key = NULL;
        }
        if (!s->key) break;
    }
    ow_stmt *st = stmt_new(db, sql, true, e);
    if (!st) return NULL;
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
    ow_stmt_free(s->stmt);
    s->key = sql;
    s->stmt = st;
    return st;
}

static pg_param *param(ow_stmt *st, int i) {
    if (i < 1 || i > st->nparams) return NULL;
    pg_param *p = &st->params[i - 1];
    free(p->owned);
    p->owned = NULL;
    p->v = NULL;
    p->oid = 0;
    return p;
}

void ow_bind_int64(ow_stmt *st, int i, int64_t v) {
    if (st->lite) {
        sqlite3_bind_int64(st->lite, i, v);
        return;
    }
    pg_param *p = param(st, i);
    if (!p) return;
    snprintf(p->num, sizeof p->num, "%lld", (long long)v);
    p->v = p->num;
    p->oid = OID_INT8;
}

void ow_bind_int(ow_stmt *st, int i, int v) {
    ow_bind_int64(st, i, v);
}

void ow_bind_double(ow_stmt *st, int i, double v) {
    if (st->lite) {
        sqlite3_bind_double(st->lite, i, v);
        return;
    }
    pg_param *p = param(st, i);
    if (!p) return;
    snprintf(p->num, sizeof p->num, "%.17g", v);
    p->v = p->num;
    p->oid = OID_FLOAT8;
}

void ow_bind_null(ow_stmt *st, int i) {
    if (st->lite) {
        sqlite3_bind_null(st->lite, i);
        return;
    }
    param(st, i);
}

void ow_bind_textn(ow_stmt *st, int i, const char *s, size_t n) {
    if (!s) {
        ow_bind_null(st, i);
        return;
    }
    if (st->lite) {
        sqlite3_bind_text(st->lite, i, s, (int)n, SQLITE_TRANSIENT);
        return;
    }
    pg_param *p = param(st, i);
    if (!p) return;
    p->owned = malloc(n + 1);
    if (!p->owned) return; /* binds NULL; the statement then fails its constraint */
    memcpy(p->owned, s, n);
    p->owned[n] = '\0';
    p->v = p->owned;
}

void ow_bind_text(ow_stmt *st, int i, const char *s) {
    ow_bind_textn(st, i, s, s ? strlen(s) : 0);
}

void ow_bind_text_owned(ow_stmt *st, int i, char *s) {
    if (!s) {
        ow_bind_null(st, i);
        return;
    }
    if (st->lite) {
        sqlite3_bind_text(st->lite, i, s, -1, free);
        return;
    }
    pg_param *p = param(st, i);
    if (!p) {
        free(s);
        return;
    }
    p->owned = s;
    p->v = s;
}

void ow_bind_text_ref(ow_stmt *st, int i, const char *s) {
    if (!s) {
        ow_bind_null(st, i);
        return;
    }
    if (st->lite) {
        sqlite3_bind_text(st->lite, i, s, -1, SQLITE_STATIC);
        return;
    }
    pg_param *p = param(st, i);
    if (p) p->v = s;
}

int ow_bind_count(ow_stmt *st) {
    return st->lite ? sqlite3_bind_parameter_count(st->lite) : st->nparams;
}

int ow_step(ow_stmt *st) {
    if (st->lite) {
        int rc = sqlite3_step(st->lite);
        return rc == SQLITE_ROW ? OW_ROW : rc == SQLITE_DONE ? OW_DONE : rc;
    }
    if (!st->executed && pg_execute(st)) return 1;
    free(st->blob);
    st->blob = NULL;
    if (st->row + 1 < st->nrows) {
        st->row++;
        return OW_ROW;
    }
    st->row = st->nrows;
    return OW_DONE;
}

int ow_step_guarded(ow_stmt *st) {
    if (st->lite || PQtransactionStatus(st->db->pg) != PQTRANS_INTRANS) return ow_step(st);
    ow_db *db = st->db;
    if (pg_exec(db, "SAVEPOINT guarded")) return 1;
    int rc = ow_step(st);
    if (rc == OW_ROW || rc == OW_DONE) {
        if (pg_exec(db, "RELEASE SAVEPOINT guarded")) return 1;
        return rc;
    }
    /* keep the statement's error for ow_db_fail, not the rollback's */
    char state[6], msg[256];
    bool constraint = db->last_constraint;
    memcpy(state, db->sqlstate, sizeof state);
    memcpy(msg, db->errmsg, sizeof msg);
    pg_exec(db, "ROLLBACK TO SAVEPOINT guarded; RELEASE SAVEPOINT guarded");
    memcpy(db->sqlstate, state, sizeof state);
    memcpy(db->errmsg, msg, sizeof msg);
    db->last_constraint = constraint;
    return rc;
}

void ow_reset(ow_stmt *st) {
    if (st->lite)
        sqlite3_reset(st->lite);
    else
        pg_clear_result(st);
}

void ow_clear_bindings(ow_stmt *st) {
    if (st->lite) {
        sqlite3_clear_bindings(st->lite);
        return;
    }
    for (int i = 1; i <= st->nparams; i++)
        param(st, i);
}

static const char *pg_value(ow_stmt *st, int i) {
    if (!st->res || st->row < 0 || st->row >= st->nrows || i < 0 || i >= PQnfields(st->res))
        return NULL;
    if (PQgetisnull(st->res, st->row, i)) return NULL;
    return PQgetvalue(st->res, st->row, i);
}

int64_t ow_col_int64(ow_stmt *st, int i) {
    if (st->lite) return sqlite3_column_int64(st->lite, i);
    const char *v = pg_value(st, i);
    if (!v) return 0;
    /* A boolean expression (a = b, EXISTS …) reads as 1 or 0, as SQLite gives it. */
    if (v[0] == 't' && !v[1]) return 1;
    if (v[0] == 'f' && !v[1]) return 0;
    return strtoll(v, NULL, 10);
}

int ow_col_int(ow_stmt *st, int i) {
    return (int)ow_col_int64(st, i);
}

double ow_col_double(ow_stmt *st, int i) {
    if (st->lite) return sqlite3_column_double(st->lite, i);
    const char *v = pg_value(st, i);
    return v ? strtod(v, NULL) : 0.0;
}

const char *ow_col_text(ow_stmt *st, int i) {
    if (st->lite) return (const char *)sqlite3_column_text(st->lite, i);
    return pg_value(st, i);
}

bool ow_col_null(ow_stmt *st, int i) {
    if (st->lite) return sqlite3_column_type(st->lite, i) == SQLITE_NULL;
    return pg_value(st, i) == NULL;
}

const void *ow_col_blob(ow_stmt *st, int i) {
    if (st->lite) return sqlite3_column_blob(st->lite, i);
    const char *v = pg_value(st, i);
    if (!v) return NULL;
    if (PQftype(st->res, i) != 17 /* bytea */) return v;
    free(st->blob);
    st->blob = PQunescapeBytea((const unsigned char *)v, &st->blob_len);
    return st->blob;
}

size_t ow_col_bytes(ow_stmt *st, int i) {
    if (st->lite) return (size_t)sqlite3_column_bytes(st->lite, i);
    if (!pg_value(st, i)) return 0;
    if (PQftype(st->res, i) == 17) {
        ow_col_blob(st, i);
        return st->blob_len;
    }
    return (size_t)PQgetlength(st->res, st->row, i);
}

bool ow_col_is_int(ow_stmt *st, int i) {
    if (st->lite) return sqlite3_column_type(st->lite, i) == SQLITE_INTEGER;
    if (!pg_value(st, i)) return false;
    Oid t = PQftype(st->res, i);
    return t == 20 || t == 21 || t == 23 || t == 16;
}

int ow_col_count(ow_stmt *st) {
    if (st->lite) return sqlite3_column_count(st->lite);
    return st->res ? PQnfields(st->res) : 0;
}

const char *ow_col_name(ow_stmt *st, int i) {
    if (st->lite) return sqlite3_column_name(st->lite, i);
    return st->res ? PQfname(st->res, i) : NULL;
}

int64_t ow_db_last_id(ow_db *db) {
    if (db->kind == OW_DB_SQLITE) return sqlite3_last_insert_rowid(db->h);
    /* lastval(): the last value any sequence gave in this session, i.e. the id the last
     * INSERT generated (no trigger inserts elsewhere on this backend). */
    PGresult *r = pg_wait(db, PQsendQuery(db->pg, "SELECT lastval()"));
    int64_t id = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r)
                     ? strtoll(PQgetvalue(r, 0, 0), NULL, 10)
                     : 0;
    PQclear(r);
    return id;
}

int64_t ow_db_changes(ow_db *db) {
    return db->kind == OW_DB_SQLITE ? sqlite3_changes64(db->h) : db->changes;
}

bool ow_db_lost(ow_db *db) {
    if (db->kind != OW_DB_POSTGRES) return false;
    const char *s = db->sqlstate;
    return PQstatus(db->pg) != CONNECTION_OK || db->reconnect || !strncmp(s, "08", 2) ||
           !strncmp(s, "57P", 3) || !strcmp(s, "25006");
}

bool ow_db_commit_unknown(ow_db *db) {
    return db->kind == OW_DB_POSTGRES && db->commit_unknown;
}

int ow_db_ping(ow_db *db, bool *writable, ow_err *e) {
    *writable = true;
    if (db->kind == OW_DB_SQLITE) return OW_OK;
    static const char *sql = "SELECT pg_is_in_recovery()";
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    int rc = ow_step(st);
    if (rc != OW_ROW) {
        ow_reset(st);
        return ow_db_fail(db, "ping", e);
    }
    const char *v = ow_col_text(st, 0);
    *writable = !(v && v[0] == 't');
    ow_reset(st);
    return OW_OK;
}

bool ow_db_in_tx(ow_db *db) {
    if (db->kind == OW_DB_SQLITE) return !sqlite3_get_autocommit(db->h);
    if (PQstatus(db->pg) != CONNECTION_OK) return db->in_tx; /* lost: until the rollback */
    return PQtransactionStatus(db->pg) != PQTRANS_IDLE;
}

void ow_db_set_busy_timeout(ow_db *db, int ms) {
    if (db->kind == OW_DB_SQLITE) {
        sqlite3_busy_timeout(db->h, ms);
        return;
    }
    char sql[64];
    snprintf(sql, sizeof sql, "SET lock_timeout = %d", ms);
    pg_exec(db, sql);
}

/* ---- connections ---- */

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

/* libpq prints notices (e.g. "relation already exists, skipping") on stderr; they go
 * to the log at debug level instead. */
static void pg_notice(void *arg, const char *msg) {
    (void)arg;
    (void)msg;
}

/* The session's settings, again after every reconnection. */
static int pg_setup(ow_db *db) {
    PQsetNoticeProcessor(db->pg, pg_notice, NULL);
    /* A writer waits for another's lock as long as SQLite's busy timeout, then answers
     * BUSY (55P03) rather than hanging. */
    const char *setup = db->mode == OW_DB_READ
                            ? "SET default_transaction_read_only = on; SET TIME ZONE 'UTC'"
                            : "SET TIME ZONE 'UTC'; SET lock_timeout = '5s'";
    PGresult *r = pg_wait(db, PQsendQuery(db->pg, setup));
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc) pg_note_error(db, r);
    PQclear(r);
    db->in_tx = false;
    return rc;
}

/* A new session when the old one is gone (the server died, a failover) or answered
 * read-only to the writer, but never inside a transaction: that one has failed as a
 * whole and must be rolled back first (ow_db_rollback clears in_tx).  PQreset connects
 * with the same parameters: with several hosts and target_session_attrs=read-write it
 * finds whichever is the primary now.  0 when the connection is usable. */
static int pg_ensure(ow_db *db) {
    if (PQstatus(db->pg) == CONNECTION_OK && !db->reconnect) return 0;
    if (db->in_tx) {
        snprintf(db->sqlstate, sizeof db->sqlstate, "08006");
        snprintf(db->errmsg, sizeof db->errmsg, "connection lost inside a transaction");
        db->last_constraint = false;
        return -1;
    }
    int64_t now = ow_clock_now_ms(NULL);
    if (now < db->next_try_ms) {
        snprintf(db->sqlstate, sizeof db->sqlstate, "08001");
        snprintf(db->errmsg, sizeof db->errmsg, "no database server (retrying)");
        db->last_constraint = false;
        return -1;
    }
    PQreset(db->pg);
    if (PQstatus(db->pg) != CONNECTION_OK || pg_setup(db)) {
        /* every thread would otherwise wait out connect_timeout on each request */
        db->next_try_ms = now + 500;
        pg_note_error(db, NULL);
        snprintf(db->sqlstate, sizeof db->sqlstate, "08001");
        ow_log_warn("db reconnect failed", "\"mode\":\"%s\"",
                    db->mode == OW_DB_WRITE ? "write" : "read");
        return -1;
    }
    db->reconnect = false;
    db->next_try_ms = 0;
    ow_log_info("db reconnected", "\"mode\":\"%s\",\"host\":\"%s\",\"port\":\"%s\"",
                db->mode == OW_DB_WRITE ? "write" : "read", PQhost(db->pg), PQport(db->pg));
    return 0;
}

static int open_pg(ow_db *db, const char *target, ow_err *e) {
    /* Defaults that let a lost server be noticed in seconds rather than the kernel's
     * two hours (a primary cut off the network answers nothing at all): keepalives on an
     * idle session, tcp_user_timeout on unacknowledged data, connect_timeout per host.
     * They come before the target, whose own settings (expanded from dbname) win. */
    const char *const keys[] = {
        "connect_timeout",  "keepalives",       "keepalives_idle", "keepalives_interval",
        "keepalives_count", "tcp_user_timeout", "dbname",          NULL};
    const char *const vals[] = {"3", "1", "5", "2", "2", "8000", target, NULL};
    db->pg = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(db->pg) != CONNECTION_OK) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(db->pg));
        char *nl = strchr(msg, '\n');
        if (nl) *nl = '\0';
        ow_err_setk(e, OW_EBUSY, "database_unavailable", "database", "无法连接数据库：%s", msg);
        if (e) e->retry_after_s = 5;
        return OW_EBUSY;
    }
    if (pg_setup(db)) return ow_db_fail(db, "connect", e);
    return OW_OK;
}

/* ow_month(day): 'YYYY-MM' of a day number (days since 1970-01-01), for statistics by
 * month; db/migrations-pg defines the same function for PostgreSQL. */
static void sql_ow_month(sqlite3_context *c, int argc, sqlite3_value **v) {
    (void)argc;
    if (sqlite3_value_type(v[0]) == SQLITE_NULL) {
        sqlite3_result_null(c);
        return;
    }
    int y, m, d;
    ow_date_ymd((int32_t)sqlite3_value_int64(v[0]), &y, &m, &d);
    char out[16];
    snprintf(out, sizeof out, "%04d-%02d", y, m);
    sqlite3_result_text(c, out, -1, SQLITE_TRANSIENT);
}

static int open_sqlite(ow_db *db, const char *path, ow_err *e) {
    pthread_once(&sqlite_once, sqlite_setup);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (db->mode == OW_DB_WRITE) flags |= SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK)
        return ow_err_set(e, OW_EDB, "data_dir", "无法打开数据库 %s：%s", path,
                          db->h ? sqlite3_errmsg(db->h) : "内存不足");
    sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_create_function(db->h, "ow_month", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                            sql_ow_month, NULL, NULL);
    int rc = ow_db_exec(db,
                        "PRAGMA foreign_keys=ON;"
                        "PRAGMA synchronous=FULL;"
                        "PRAGMA temp_store=MEMORY;"
                        "PRAGMA cache_size=-16000;",
                        e);
    if (!rc && db->mode == OW_DB_WRITE) rc = ow_db_exec(db, "PRAGMA journal_mode=WAL;", e);
    /* Readers map the file instead of copying each page into their own cache: the
     * statistics pass over case_facts otherwise spends its time in pread and memcpy
     * (the 16 MB cache is smaller than the table). */
    if (!rc && db->mode == OW_DB_READ)
        rc = ow_db_exec(db, "PRAGMA query_only=1; PRAGMA mmap_size=1073741824;", e);
    return rc;
}

int ow_db_open(const char *target, ow_db_mode mode, ow_db **out, ow_err *e) {
    *out = NULL;
    ow_db *db = calloc(1, sizeof *db);
    if (!db) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    db->mode = mode;
    db->kind = ow_db_target_is_postgres(target) ? OW_DB_POSTGRES : OW_DB_SQLITE;
    int rc = db->kind == OW_DB_POSTGRES ? open_pg(db, target, e) : open_sqlite(db, target, e);
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
        if (db->slots[i].stmt) ow_stmt_free(db->slots[i].stmt);
    if (db->h) sqlite3_close(db->h);
    if (db->pg) PQfinish(db->pg);
    free(db);
}

/* ---- online backup (onewindow backup) ---- */

int ow_db_snapshot_to(ow_db *db, const char *path, ow_err *e) {
    if (db->kind != OW_DB_SQLITE)
        return ow_err_set(e, OW_EINVAL, "database", "在线备份接口只用于 SQLite");
    sqlite3 *to = NULL;
    int rc = sqlite3_open_v2(
        path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    /* SQLite's online backup API: one step of -1 copies every page inside one read
     * transaction of the source, so the copy is the database as one commit left it,
     * while the writer goes on (WAL lets a reader and the writer run side by side).  A
     * BUSY (the source is being recovered, say) is tried again a few times. */
    for (int attempt = 0; rc == SQLITE_OK && attempt < TX_RETRIES; attempt++) {
        sqlite3_backup *b = sqlite3_backup_init(to, "main", db->h, "main");
        if (!b) {
            rc = sqlite3_errcode(to);
            break;
        }
        int s = sqlite3_backup_step(b, -1);
        int f = sqlite3_backup_finish(b);
        rc = s == SQLITE_DONE ? f : s;
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) break;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        rc = SQLITE_OK;
    }
    /* one self-contained file: no -wal beside it to forget */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(to, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;", NULL, NULL,
                          NULL);
    if (rc != SQLITE_OK) {
        ow_err_set(e, OW_EIO, "backup", "数据库备份失败：%s", to ? sqlite3_errmsg(to) : "内存不足");
        sqlite3_close(to);
        return OW_EIO;
    }
    if (sqlite3_close(to) != SQLITE_OK)
        return ow_err_set(e, OW_EIO, "backup", "数据库备份无法关闭：%s", path);
    return OW_OK;
}

/* ---- transactions ---- */

/* Every job of a group commit opens and releases a savepoint: run them as cached
 * statements rather than parsing the SQL twice per job on the single writer thread. */
static int step_cached(ow_db *db, const char *sql, const char *what, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    int rc = ow_step(st);
    ow_reset(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, what, e);
}

int ow_db_begin(ow_db *db, ow_err *e) {
    if (db->kind == OW_DB_SQLITE) return ow_db_exec(db, "BEGIN IMMEDIATE", e);
    static const char *begin = "BEGIN";
    /* 0x6f770001 ("ow"), and the schema: installations in other schemas of the same
     * database do not wait for each other */
    static const char *lock =
        "SELECT pg_advisory_xact_lock(1870069761, hashtext(current_schema()))";
    int rc = step_cached(db, begin, "begin", e);
    if (!rc) {
        ow_stmt *st = ow_db_stmt(db, lock, e);
        if (!st) return OW_EDB;
        int s = ow_step(st);
        ow_reset(st);
        if (s != OW_ROW) rc = ow_db_fail(db, "writer lock", e);
    }
    if (rc) ow_db_rollback(db);
    return rc;
}

int ow_db_read_begin(ow_db *db, ow_err *e) {
    static const char *lite = "BEGIN";
    static const char *pg = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    return step_cached(db, db->kind == OW_DB_SQLITE ? lite : pg, "read begin", e);
}

int ow_db_read_end(ow_db *db, int rc, ow_err *e) {
    static const char *sql = "COMMIT";
    ow_err ce = {0};
    int crc = step_cached(db, sql, "read commit", &ce);
    if (crc) ow_db_rollback(db);
    if (crc && !rc && e) *e = ce;
    return rc ? rc : crc;
}

int ow_db_commit(ow_db *db, ow_err *e) {
    static const char *sql = "COMMIT";
    if (db->kind == OW_DB_SQLITE) return ow_db_exec(db, sql, e);
    db->commit_unknown = false;
    int rc = step_cached(db, sql, "commit", e);
    /* The session went while COMMIT was on its way: it may or may not have committed, so
     * nothing may run it again on its own (ow_db_tx, the writer). */
    if (rc && PQstatus(db->pg) != CONNECTION_OK) db->commit_unknown = true;
    /* COMMIT of a failed transaction answers ROLLBACK rather than an error. */
    if (!rc && PQtransactionStatus(db->pg) != PQTRANS_IDLE) rc = ow_db_fail(db, "commit", e);
    return rc;
}

void ow_db_rollback(ow_db *db) {
    if (db->kind == OW_DB_POSTGRES) {
        db->sp_implicit = false;
        if (PQstatus(db->pg) != CONNECTION_OK) {
            db->in_tx = false; /* the server ended it when the session went */
            return;
        }
        if (PQtransactionStatus(db->pg) != PQTRANS_IDLE) pg_exec(db, "ROLLBACK");
        db->in_tx = false;
        return;
    }
    if (!sqlite3_get_autocommit(db->h)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int ow_db_savepoint(ow_db *db, ow_err *e) {
    static const char *sql = "SAVEPOINT job";
    if (db->kind == OW_DB_POSTGRES) {
        if (!db->sp_implicit && PQtransactionStatus(db->pg) == PQTRANS_IDLE) {
            int rc = ow_db_begin(db, e);
            if (rc) return rc;
            db->sp_implicit = true;
            db->sp_depth = 0;
        }
        if (db->sp_implicit) db->sp_depth++;
    }
    return step_cached(db, sql, "savepoint", e);
}

/* After the outermost RELEASE of a savepoint that opened the transaction: commit it. */
static int implicit_end(ow_db *db, int rc, ow_err *e) {
    if (db->kind != OW_DB_POSTGRES || !db->sp_implicit || --db->sp_depth > 0) return rc;
    db->sp_implicit = false;
    if (rc) {
        ow_db_rollback(db);
        return rc;
    }
    return ow_db_commit(db, e);
}

int ow_db_release(ow_db *db, ow_err *e) {
    static const char *sql = "RELEASE job";
    return implicit_end(db, step_cached(db, sql, "release", e), e);
}
void ow_db_rollback_to(ow_db *db) {
    if (db->kind == OW_DB_POSTGRES) {
        pg_exec(db, "ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job");
        ow_err e = {0};
        implicit_end(db, OW_OK, &e);
        return;
    }
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
        if (rc != OW_EBUSY || attempt >= TX_RETRIES || ow_db_commit_unknown(db)) return rc;
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

/* Generated by cmake/embed_migrations.cmake from db/migrations/ and db/migrations-pg/. */
extern const ow_migration ow_migrations[];
extern const int ow_migrations_count;
extern const ow_migration ow_migrations_pg[];
extern const int ow_migrations_pg_count;

int ow_db_latest_migration(void) {
    return ow_migrations_count ? ow_migrations[ow_migrations_count - 1].version : 0;
}

int ow_db_schema_version(ow_db *db, int *version, ow_err *e) {
    *version = 0;
    ow_stmt *st;
    /* /api/v1/health asks on every call: after the first time, one statement (one
     * read transaction, half the WAL lock traffic) instead of two. */
    if (!db->has_migrations_table) {
        st = ow_db_stmt(
            db,
            db->kind == OW_DB_SQLITE
                ? "SELECT count(*) FROM sqlite_master WHERE type='table' AND "
                  "name='schema_migrations'"
                : "SELECT count(*) FROM information_schema.tables"
                  " WHERE table_schema = current_schema() AND table_name = 'schema_migrations'",
            e);
        if (!st) return OW_EDB;
        if (ow_step(st) != OW_ROW) return ow_db_fail(db, "schema check", e);
        int exists = ow_col_int(st, 0);
        ow_reset(st);
        if (!exists) return OW_OK;
        db->has_migrations_table = true;
    }
    st = ow_db_stmt(db, "SELECT coalesce(max(version),0) FROM schema_migrations", e);
    if (!st) return OW_EDB;
    if (ow_step(st) != OW_ROW) return ow_db_fail(db, "schema version", e);
    *version = ow_col_int(st, 0);
    ow_reset(st);
    return OW_OK;
}

typedef struct mig_arg {
    const ow_migration *m;
} mig_arg;

static int apply_one(ow_db *db, void *arg, ow_err *e) {
    const ow_migration *m = ((mig_arg *)arg)->m;
    int rc = ow_db_exec(db, m->sql, e);
    if (rc) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s",
                 db->kind == OW_DB_SQLITE ? sqlite3_errmsg(db->h) : db->errmsg);
        return ow_err_set(e, OW_EDB, "migration", "迁移 %04d_%s 失败：%s", m->version, m->name,
                          msg);
    }
    ow_stmt *st =
        ow_db_stmt(db, "INSERT INTO schema_migrations(version, name, applied_at) VALUES(?,?,?)", e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, m->version);
    ow_bind_text_ref(st, 2, m->name);
    ow_bind_int64(st, 3, (int64_t)time(NULL) * 1000);
    if (ow_step(st) != OW_DONE) return ow_db_fail(db, "record migration", e);
    ow_reset(st);
    return OW_OK;
}

static int migrate(ow_db *db, int *applied, ow_err *e);

int ow_db_migrate(ow_db *db, int *applied, ow_err *e) {
    db->no_deadline = true; /* building an index on ten million rows takes its time */
    int rc = migrate(db, applied, e);
    db->no_deadline = false;
    return rc;
}

static int migrate(ow_db *db, int *applied, ow_err *e) {
    *applied = 0;
    const ow_migration *list = db->kind == OW_DB_SQLITE ? ow_migrations : ow_migrations_pg;
    int count = db->kind == OW_DB_SQLITE ? ow_migrations_count : ow_migrations_pg_count;
    if (!count || list[count - 1].version != ow_db_latest_migration())
        return ow_err_set(e, OW_EDB, "migration", "PostgreSQL 迁移与 SQLite 迁移版本不一致");
    int rc = ow_db_exec(db,
                        "CREATE TABLE IF NOT EXISTS schema_migrations("
                        " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                        " applied_at BIGINT NOT NULL)",
                        e);
    if (rc) return rc;
    int current;
    if ((rc = ow_db_schema_version(db, &current, e))) return rc;
    if (current > ow_db_latest_migration())
        return ow_err_set(e, OW_ECONFLICT, "schema_version",
                          "数据库结构版本 %d 比本程序（%d）新，请升级程序", current,
                          ow_db_latest_migration());
    /* A PostgreSQL database begins with the baseline, which stands for every version up
     * to its own (db/migrations-pg/0019_baseline.sql). */
    if (current && current < list[0].version)
        return ow_err_set(e, OW_EDB, "schema_version",
                          "数据库结构版本 %d 早于 PostgreSQL 基线 %d，无法迁移", current,
                          list[0].version);
    for (int i = 0; i < count; i++) {
        const ow_migration *m = &list[i];
        if (m->version <= current) continue;
        mig_arg a = {m};
        if ((rc = ow_db_tx(db, apply_one, &a, e))) return rc;
        ow_log_info("migration applied", "\"version\":%d,\"name\":\"%s\"", m->version, m->name);
        (*applied)++;
    }
    return OW_OK;
}

json_t *ow_db_time_json(ow_stmt *st, int i) {
    if (ow_col_null(st, i)) return json_null();
    char t[32];
    ow_time_format_iso(ow_col_int64(st, i), t);
    return json_string(t);
}

int ow_db_check(ow_db *db, int64_t *problems, char *first, size_t first_size, ow_err *e) {
    *problems = 0;
    if (first_size) first[0] = '\0';
    if (db->kind == OW_DB_POSTGRES) {
        /* PostgreSQL checks constraints on every write; what can still go wrong is a page
         * whose checksum no longer matches (initdb --data-checksums). */
        ow_stmt *st = ow_db_stmt(db,
                                 "SELECT coalesce(checksum_failures, 0) FROM pg_stat_database"
                                 " WHERE datname = current_database()",
                                 e);
        if (!st) return OW_EDB;
        int rc = ow_step(st);
        if (rc == OW_ROW) *problems = ow_col_int64(st, 0);
        ow_reset(st);
        if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "checksums", e);
        if (*problems && first_size)
            snprintf(first, first_size, "checksum failures: %lld", (long long)*problems);
        return OW_OK;
    }
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
