/* test_server.c — the HTTP adapter (src/http/server.c, static.c) in-process.
 *
 * Builds an ow_app on a temporary data directory (migrations applied, writer
 * and pool running), starts ow_server on port 0 with a route table of test
 * handlers — inline, OW_ON_WRITER, OW_ON_POOL, a chain across all three, a
 * slow one — and a tiny web root, then talks raw HTTP/1.1 over POSIX sockets
 * (no HTTP client library: what goes over the wire is exactly what is written
 * here).  Covers the error bodies of docs/architecture.md "Errors", static files with ETag/304
 * and .gz, the SPA fallback, path traversal, keep-alive, and a graceful stop
 * with a request in flight. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "core/json.h"
#include "core/log.h"
#include "http/server.h"

#define MAX_BODY 4096
#define SLOW_MS 300

/* ---------- a minimal HTTP/1.1 client ---------- */

typedef struct http_conn {
    int fd;
    char buf[1 << 17];
    size_t len;
} http_conn;

typedef struct http_resp {
    int status;
    char head[8192];
    char *body; /* malloc'ed, NUL-terminated */
    size_t body_len;
} http_resp;

/* src: the local address to connect from (another loopback address), or NULL. */
static http_conn *conn_open_from(int port, const char *src) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    if (src) {
        struct sockaddr_in l = {.sin_family = AF_INET};
        inet_pton(AF_INET, src, &l.sin_addr);
        assert_int_equal(bind(fd, (struct sockaddr *)&l, sizeof l), 0);
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return NULL;
    }
    struct timeval tv = {5, 0}; /* a hung server fails the test instead of hanging it */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    http_conn *c = calloc(1, sizeof *c);
    c->fd = fd;
    return c;
}

static http_conn *conn_open(int port) {
    return conn_open_from(port, NULL);
}

static void conn_close(http_conn *c) {
    if (!c) return;
    close(c->fd);
    free(c);
}

static void send_all(http_conn *c, const char *p, size_t n) {
    while (n) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return; /* the server may close early (413): reading tells the rest */
        p += w;
        n -= (size_t)w;
    }
}

static void send_request(http_conn *c, const char *method, const char *path, const char *headers,
                         const char *body, size_t body_len) {
    char head[16384];
    int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s", method, path,
                     headers ? headers : "");
    /* the JSON endpoints take only application/json (415 otherwise) */
    if (body && !(headers && strcasestr(headers, "Content-Type:")))
        n += snprintf(head + n, sizeof head - (size_t)n, "Content-Type: application/json\r\n");
    if (body) n += snprintf(head + n, sizeof head - (size_t)n, "Content-Length: %zu\r\n", body_len);
    n += snprintf(head + n, sizeof head - (size_t)n, "\r\n");
    send_all(c, head, (size_t)n);
    if (body && body_len) send_all(c, body, body_len);
}

/* More bytes into the buffer; 0 on EOF or timeout. */
static int fill(http_conn *c) {
    if (c->len == sizeof c->buf) return 0;
    ssize_t r;
    do
        r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
    while (r < 0 && errno == EINTR);
    if (r <= 0) return 0;
    c->len += (size_t)r;
    return 1;
}

static const char *find_header(const char *head, const char *name, char *out, size_t cap) {
    size_t n = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
        const char *line = p + 2;
        if (!strncasecmp(line, name, n) && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            const char *end = strstr(v, "\r\n");
            size_t len = end ? (size_t)(end - v) : strlen(v);
            if (len >= cap) len = cap - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return out;
        }
    }
    return NULL;
}

/* Read one response; 0 when none came (connection closed or timeout). */
static int read_response(http_conn *c, http_resp *r, int is_head) {
    memset(r, 0, sizeof *r);
    char *end;
    for (;;) {
        c->buf[c->len < sizeof c->buf ? c->len : sizeof c->buf - 1] = '\0';
        if ((end = strstr(c->buf, "\r\n\r\n"))) break;
        if (!fill(c)) return 0;
    }
    size_t head_len = (size_t)(end - c->buf) + 4;
    assert_true(head_len < sizeof r->head);
    memcpy(r->head, c->buf, head_len);
    r->head[head_len] = '\0';
    assert_int_equal(sscanf(r->head, "HTTP/1.1 %d", &r->status), 1);
    char v[64];
    size_t want = 0;
    int until_close = 0;
    if (is_head || r->status == 304 || r->status == 204)
        want = 0;
    else if (find_header(r->head, "Content-Length", v, sizeof v))
        want = strtoul(v, NULL, 10);
    else
        until_close = 1;
    while (until_close ? fill(c) : c->len - head_len < want)
        if (!until_close && !fill(c)) break;
    if (until_close) want = c->len - head_len;
    assert_true(c->len - head_len >= want);
    r->body = malloc(want + 1);
    memcpy(r->body, c->buf + head_len, want);
    r->body[want] = '\0';
    r->body_len = want;
    memmove(c->buf, c->buf + head_len + want, c->len - head_len - want);
    c->len -= head_len + want;
    return 1;
}

static void resp_free(http_resp *r) {
    free(r->body);
    r->body = NULL;
}

/* One request on a fresh connection. */
static void fetch(int port, const char *method, const char *path, const char *headers,
                  const char *body, http_resp *r) {
    http_conn *c = conn_open(port);
    assert_non_null(c);
    send_request(c, method, path, headers, body, body ? strlen(body) : 0);
    assert_true(read_response(c, r, !strcmp(method, "HEAD")));
    conn_close(c);
}

static const char *hdr(const http_resp *r, const char *name) {
    static _Thread_local char v[512];
    return find_header(r->head, name, v, sizeof v);
}

/* The error code of a {"error":{"code":…}} body; a failed parse fails the test. */
static void assert_error_body(const http_resp *r, const char *code) {
    json_error_t je;
    json_t *j = json_loads(r->body, 0, &je);
    if (!j) fail_msg("not JSON: %s", r->body);
    const char *got = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
    const char *msg = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
    if (!got || strcmp(got, code))
        fail_msg("error code %s, expected %s", got ? got : "(none)", code);
    assert_non_null(msg);
    assert_true(strlen(msg) > 0);
    json_decref(j);
    assert_non_null(hdr(r, "Content-Type"));
    assert_non_null(strstr(hdr(r, "Content-Type"), "application/json"));
}

/* ---------- test handlers ---------- */

static atomic_int slow_started;

static int h_ping(ow_req *rq) {
    return ow_reply_json(rq, 200, json_pack("{s:b}", "ok", 1));
}

static int h_echo(ow_req *rq) {
    return ow_reply_json(rq, 200, json_deep_copy(ow_req_json(rq)));
}

static int h_fail(ow_req *rq) {
    return ow_err_set(&ow_req_ctx(rq)->err, OW_ENOTFOUND, "id", "没有这条记录");
}

static int h_boom(ow_req *rq) {
    return ow_err_set(&ow_req_ctx(rq)->err, OW_EDB, "", "sqlite said: table secret_stuff");
}

static int insert_name(ow_ctx *cx, const char *name, int64_t *id) {
    static const char *sql = "INSERT INTO test_items(name) VALUES(?)";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_text_ref(st, 1, name);
    if (ow_step(st) != OW_DONE) return ow_db_fail(cx->db, "insert", &cx->err);
    *id = ow_db_last_id(cx->db);
    return OW_OK;
}

/* OW_ON_WRITER: inserts a row; "conflict" inserts and then fails, so only the
 * savepoint rollback can remove its row. */
static int h_item_create(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    const char *name;
    int rc = ow_json_str(ow_req_json(rq), "name", true, 40, &name, &cx->err);
    if (rc) return rc;
    int64_t id;
    if ((rc = insert_name(cx, name, &id))) return rc;
    if (!strcmp(name, "conflict"))
        return ow_err_set(&cx->err, OW_ECONFLICT, "name", "名称“%s”不可用", name);
    return ow_reply_json(rq, 201, json_pack("{s:I,s:s}", "id", (json_int_t)id, "name", name));
}

static int h_item_get(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_EINVAL, "id", "编号不正确");
    static const char *sql = "SELECT name FROM test_items WHERE id = ?";
    ow_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    if (ow_step(st) != OW_ROW) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "没有这一项");
    json_t *body = json_pack("{s:I,s:s}", "id", (json_int_t)id, "name", ow_col_text(st, 0));
    ow_reset(st);
    return ow_reply_json(rq, 200, body);
}

/* OW_ON_POOL: reads the query and a header from the snapshot taken before the hand-off. */
static int h_heavy(ow_req *rq) {
    const char *x = ow_req_query(rq, "x"), *h = ow_req_header(rq, "x-test");
    ow_reply_header(rq, "X-Ran-On", "pool");
    return ow_reply_json(rq, 200, json_pack("{s:s,s:s?,s:s?}", "where", "pool", "x", x, "h", h));
}

static int h_slow(ow_req *rq) {
    atomic_store(&slow_started, 1);
    struct timespec ts = {0, SLOW_MS * 1000000L};
    nanosleep(&ts, NULL);
    char big[2000];
    memset(big, 's', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    return ow_reply_json(rq, 200, json_pack("{s:s,s:s}", "slow", "done", "pad", big));
}

/* A chain inline → pool → writer, each step on its own thread. */
typedef struct chain {
    char steps[64];
    pthread_t t[3];
} chain;

static int h_chain3(ow_req *rq) {
    chain *c = ow_req_data(rq);
    strcat(c->steps, ",writer");
    c->t[2] = pthread_self();
    int distinct = !pthread_equal(c->t[0], c->t[1]) && !pthread_equal(c->t[1], c->t[2]) &&
                   !pthread_equal(c->t[0], c->t[2]);
    int64_t id;
    int rc = insert_name(ow_req_ctx(rq), "chained", &id);
    if (rc) return rc;
    return ow_reply_json(rq, 200, json_pack("{s:s,s:b}", "steps", c->steps, "distinct", distinct));
}

static int h_chain2(ow_req *rq) {
    chain *c = ow_req_data(rq);
    strcat(c->steps, ",pool");
    c->t[1] = pthread_self();
    ow_req_then(rq, h_chain3, OW_ON_WRITER);
    return OW_OK;
}

static int h_chain1(ow_req *rq) {
    chain *c = ow_alloc(ow_req_ctx(rq)->arena, sizeof *c);
    strcpy(c->steps, "inline");
    c->t[0] = pthread_self();
    ow_req_set_data(rq, c);
    ow_req_then(rq, h_chain2, OW_ON_POOL);
    return OW_OK;
}

static int h_ip(ow_req *rq) {
    return ow_reply_json(rq, 200, json_pack("{s:s}", "ip", ow_req_ctx(rq)->ip));
}

static int h_noreply(ow_req *rq) {
    (void)rq;
    return OW_OK; /* forgot to reply: the server must answer 500, not hang */
}

/* Auth hook: refuses requests carrying X-Deny, like a missing session would. */
static int test_auth(ow_req *rq, const ow_route *route) {
    (void)route;
    if (ow_req_header(rq, "X-Deny"))
        return ow_err_set(&ow_req_ctx(rq)->err, OW_EUNAUTH, "", "请先登录");
    return OW_OK;
}

static const ow_route test_routes[] = {
    {"GET", "/api/v1/ping", h_ping, OW_INLINE, OW_R_PUBLIC},
    {"POST", "/api/v1/echo", h_echo, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/fail", h_fail, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/boom", h_boom, OW_INLINE, OW_R_PUBLIC},
    {"POST", "/api/v1/items", h_item_create, OW_ON_WRITER, OW_R_PUBLIC},
    {"GET", "/api/v1/items/{id}", h_item_get, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/heavy", h_heavy, OW_ON_POOL, OW_R_PUBLIC},
    {"GET", "/api/v1/slow", h_slow, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/chain", h_chain1, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/noreply", h_noreply, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/ip", h_ip, OW_INLINE, OW_R_PUBLIC},
};

/* ---------- fixture ---------- */

typedef struct fixture {
    char dir[64];
    char www[128];
    ow_app app;
    ow_server *srv;
    int port;
} fixture;

static const char INDEX_HTML[] = "<!doctype html><title>onewindow</title><div id=app>INDEX</div>";
static const char APP_JS[] = "console.log('plain asset');";

static void write_file(const char *dir, const char *name, const char *text) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static int start_server(fixture *f, ow_server **srv, int *port) {
    ow_server_opts o = {
        .host = "127.0.0.1",
        .port = 0,
        .threads = 2,
        .max_body_bytes = MAX_BODY,
        .idle_timeout_s = 5,
        .request_timeout_s = 5,
        .web_root = f->www,
        .routes = test_routes,
        .nroutes = sizeof test_routes / sizeof test_routes[0],
        .auth = test_auth,
        .trusted_proxies = "10.9.9.9, 127.0.0.1",
        .app = &f->app,
    };
    ow_err e = {0};
    if (ow_server_start(&o, srv, &e)) {
        fprintf(stderr, "server start: %s\n", e.message);
        return -1;
    }
    *port = ow_server_port(*srv);
    return *port > 0 ? 0 : -1;
}

static int setup(void **state) {
    ow_log_set_level(OW_LOG_WARN); /* no access lines in the test output */
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-test-server.XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->www, sizeof f->www, "%s/www", f->dir);
    char assets[160];
    snprintf(assets, sizeof assets, "%s/assets", f->www);
    mkdir(f->www, 0755);
    mkdir(assets, 0755);
    write_file(f->www, "index.html", INDEX_HTML);
    write_file(f->www, "index.html.gz", "GZ-OF-INDEX");
    write_file(assets, "app.js", APP_JS);
    write_file(assets, "app.js.gz", "GZ-OF-APP-JS");
    write_file(f->www, ".env", "HIDDEN");
    write_file(f->dir, "secret", "TOPSECRET");

    ow_config cfg;
    ow_config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", f->dir);
    ow_app_init(&f->app, &cfg);
    ow_err e = {0};
    ow_db *db;
    int applied;
    if (ow_db_open(f->app.db_path, OW_DB_WRITE, &db, &e) || ow_db_migrate(db, &applied, &e) ||
        ow_db_exec(db, "CREATE TABLE test_items(id INTEGER PRIMARY KEY, name TEXT NOT NULL)", &e))
        return -1;
    ow_db_close(db);
    if (ow_writer_start(f->app.db_path, 64, &f->app.writer, &e)) return -1;
    f->app.pool = ow_pool_new(2);
    if (start_server(f, &f->srv, &f->port)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    ow_server_stop(f->srv, 2000);
    ow_app_close(&f->app);
    nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ---------- API behaviour ---------- */

static void inline_route_answers_with_request_id(void **state) {
    fixture *f = *state;
    http_resp r, r2;
    fetch(f->port, "GET", "/api/v1/ping?x=1", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"ok\":true}");
    assert_non_null(hdr(&r, "X-Request-Id"));
    char rid[64];
    snprintf(rid, sizeof rid, "%s", hdr(&r, "X-Request-Id"));
    assert_int_equal(strlen(rid), 16);
    assert_string_equal(hdr(&r, "Cache-Control"), "no-store");
    assert_string_equal(hdr(&r, "X-Content-Type-Options"), "nosniff");
    fetch(f->port, "GET", "/api/v1/ping", NULL, NULL, &r2);
    assert_non_null(hdr(&r2, "X-Request-Id"));
    assert_string_not_equal(hdr(&r2, "X-Request-Id"), rid); /* one per request */
    resp_free(&r);
    resp_free(&r2);
}

static void head_on_get_route_has_no_body(void **state) {
    fixture *f = *state;
    http_resp r;
    fetch(f->port, "HEAD", "/api/v1/ping", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 0);
    resp_free(&r);
}

static void large_request_headers_fit(void **state) {
    fixture *f = *state;
    /* 8 KB of headers (cookies of several sites behind one domain) still fit the
     * per-connection memory MHD is given */
    char *pad = malloc(8200);
    int n = snprintf(pad, 8200, "Cookie: a=");
    memset(pad + n, 'c', 8000 - (size_t)n);
    snprintf(pad + 8000, 200, "\r\nX-Test: big\r\n");
    http_resp r;
    fetch(f->port, "GET", "/api/v1/heavy?x=1", pad, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"where\":\"pool\",\"x\":\"1\",\"h\":\"big\"}");
    resp_free(&r);
    free(pad);
}

static void body_over_limit_is_413(void **state) {
    fixture *f = *state;
    size_t n = MAX_BODY * 3;
    char *body = malloc(n + 1);
    memset(body, ' ', n);
    body[0] = '{';
    body[n - 1] = '}';
    body[n] = '\0';
    http_resp r;
    /* a few times the limit is drained and answered; the connection stays usable */
    http_conn *c = conn_open(f->port);
    send_request(c, "POST", "/api/v1/echo", "Content-Type: application/json\r\n", body, n);
    assert_true(read_response(c, &r, 0));
    assert_int_equal(r.status, 413);
    assert_error_body(&r, "body_too_large");
    resp_free(&r);
    send_request(c, "GET", "/api/v1/ping", NULL, NULL, 0);
    assert_true(read_response(c, &r, 0));
    assert_int_equal(r.status, 200);
    resp_free(&r);
    conn_close(c);

    /* far more than the limit is answered at once, without waiting for the body */
    c = conn_open(f->port);
    char head[256];
    snprintf(head, sizeof head,
             "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n{",
             MAX_BODY * 100);
    send_all(c, head, strlen(head));
    assert_true(read_response(c, &r, 0));
    assert_int_equal(r.status, 413);
    assert_error_body(&r, "body_too_large");
    resp_free(&r);
    conn_close(c);

    /* and so is a client asking whether to send (Expect: 100-continue) */
    c = conn_open(f->port);
    snprintf(head, sizeof head,
             "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
             "Content-Length: %d\r\n\r\n",
             MAX_BODY + 1);
    send_all(c, head, strlen(head));
    assert_true(read_response(c, &r, 0));
    assert_int_equal(r.status, 413); /* not "100 Continue" */
    resp_free(&r);
    conn_close(c);

    /* without a Content-Length (chunked), the limit is enforced while streaming */
    c = conn_open(f->port);
    snprintf(head, sizeof head,
             "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    send_all(c, head, strlen(head));
    char chunk[1100];
    memset(chunk, ' ', sizeof chunk);
    for (int i = 0; i < 6; i++) {
        char sz[16];
        snprintf(sz, sizeof sz, "%zx\r\n", sizeof chunk);
        send_all(c, sz, strlen(sz));
        send_all(c, chunk, sizeof chunk);
        send_all(c, "\r\n", 2);
    }
    send_all(c, "0\r\n\r\n", 5);
    assert_true(read_response(c, &r, 0));
    assert_int_equal(r.status, 413);
    assert_error_body(&r, "body_too_large");
    resp_free(&r);
    conn_close(c);

    /* just under the limit is accepted */
    memset(body, ' ', MAX_BODY - 1);
    body[0] = '{';
    body[MAX_BODY - 2] = '}';
    body[MAX_BODY - 1] = '\0';
    fetch(f->port, "POST", "/api/v1/echo", NULL, body, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{}");
    resp_free(&r);
    free(body);
}

static void malformed_json_is_400(void **state) {
    fixture *f = *state;
    const char *bad[] = {"{nope", "[1,2,3]", "\"text\"", "{\"a\":1,\"a\":2}"};
    http_resp r;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fetch(f->port, "POST", "/api/v1/echo", NULL, bad[i], &r);
        assert_int_equal(r.status, 400);
        assert_error_body(&r, "invalid_json");
        resp_free(&r);
    }
    fetch(f->port, "POST", "/api/v1/echo", NULL, "", &r); /* empty body */
    assert_int_equal(r.status, 400);
    assert_error_body(&r, "invalid_json");
    resp_free(&r);
    fetch(f->port, "POST", "/api/v1/echo", NULL, "{\"msg\":\"你好\"}", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"msg\":\"你好\"}");
    resp_free(&r);
}

static void wrong_method_is_405_with_allow(void **state) {
    fixture *f = *state;
    http_resp r;
    fetch(f->port, "DELETE", "/api/v1/echo", NULL, NULL, &r);
    assert_int_equal(r.status, 405);
    assert_string_equal(hdr(&r, "Allow"), "POST");
    assert_error_body(&r, "method_not_allowed");
    resp_free(&r);
    fetch(f->port, "PUT", "/api/v1/items", NULL, "{}", &r);
    assert_int_equal(r.status, 405);
    assert_string_equal(hdr(&r, "Allow"), "POST");
    resp_free(&r);
    /* outside /api/ only GET and HEAD */
    fetch(f->port, "POST", "/index.html", NULL, "{}", &r);
    assert_int_equal(r.status, 405);
    assert_string_equal(hdr(&r, "Allow"), "GET, HEAD");
    assert_error_body(&r, "method_not_allowed");
    resp_free(&r);
}

static void unknown_api_path_is_404_json(void **state) {
    fixture *f = *state;
    http_resp r;
    fetch(f->port, "GET", "/api/v1/nothing-here", NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    assert_error_body(&r, "not_found");
    resp_free(&r);
    /* /api/… never falls back to the SPA */
    fetch(f->port, "GET", "/api", NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    assert_error_body(&r, "not_found");
    resp_free(&r);
}

static void handler_errors_map_to_status(void **state) {
    fixture *f = *state;
    http_resp r;
    fetch(f->port, "GET", "/api/v1/fail", NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    assert_error_body(&r, "not_found");
    assert_non_null(strstr(r.body, "\"field\":\"id\""));
    assert_non_null(strstr(r.body, "没有这条记录"));
    resp_free(&r);

    /* 500: no internals on the wire, the request id to quote instead */
    ow_log_set_level(OW_LOG_ERROR + 1);
    fetch(f->port, "GET", "/api/v1/boom", NULL, NULL, &r);
    ow_log_set_level(OW_LOG_WARN);
    assert_int_equal(r.status, 500);
    assert_error_body(&r, "internal_error");
    assert_null(strstr(r.body, "secret_stuff"));
    assert_non_null(strstr(r.body, hdr(&r, "X-Request-Id")));
    resp_free(&r);

    ow_log_set_level(OW_LOG_ERROR + 1);
    fetch(f->port, "GET", "/api/v1/noreply", NULL, NULL, &r);
    ow_log_set_level(OW_LOG_WARN);
    assert_int_equal(r.status, 500);
    assert_error_body(&r, "internal_error");
    resp_free(&r);

    fetch(f->port, "GET", "/api/v1/ping", "X-Deny: 1\r\n", NULL, &r);
    assert_int_equal(r.status, 401);
    assert_error_body(&r, "unauthenticated");
    resp_free(&r);
}

static int count_items(fixture *f, const char *name) {
    ow_db *db;
    ow_err e = {0};
    assert_int_equal(ow_db_open(f->app.db_path, OW_DB_READ, &db, &e), OW_OK);
    ow_stmt *st;
    assert_non_null(st = ow_db_prepare(db, "SELECT count(*) FROM test_items WHERE name = ?", NULL));
    ow_bind_text_ref(st, 1, name);
    assert_int_equal(ow_step(st), OW_ROW);
    int n = ow_col_int(st, 0);
    ow_stmt_free(st);
    ow_db_close(db);
    return n;
}

static void writer_route_commits_and_answers(void **state) {
    fixture *f = *state;
    http_resp r;
    fetch(f->port, "POST", "/api/v1/items", NULL, "{\"name\":\"第一项\"}", &r);
    assert_int_equal(r.status, 201);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    json_int_t id = json_integer_value(json_object_get(j, "id"));
    assert_true(id > 0);
    json_decref(j);
    assert_non_null(hdr(&r, "X-Request-Id"));
    resp_free(&r);
    /* committed before the answer: visible to another connection at once */
    assert_int_equal(count_items(f, "第一项"), 1);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/items/%lld", (long long)id);
    fetch(f->port, "GET", path, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "第一项"));
    resp_free(&r);

    /* a failing write job answers its error and leaves nothing behind */
    fetch(f->port, "POST", "/api/v1/items", NULL, "{\"name\":\"conflict\"}", &r);
    assert_int_equal(r.status, 409);
    assert_error_body(&r, "conflict");
    resp_free(&r);
    assert_int_equal(count_items(f, "conflict"), 0);

    /* validation errors from the writer keep their field */
    fetch(f->port, "POST", "/api/v1/items", NULL, "{\"name\":42}", &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "\"field\":\"name\""));
    resp_free(&r);

    fetch(f->port, "GET", "/api/v1/items/999999", NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    fetch(f->port, "GET", "/api/v1/items/abc", NULL, NULL, &r);
    assert_int_equal(r.status, 400);
    resp_free(&r);
}

static void concurrent_writes_all_commit(void **state) {
    fixture *f = *state;
    enum { N = 40 };
    http_conn *cs[N];
    for (int i = 0; i < N; i++) {
        cs[i] = conn_open(f->port);
        assert_non_null(cs[i]);
        char body[64];
        snprintf(body, sizeof body, "{\"name\":\"bulk-%d\"}", i % 2);
        send_request(cs[i], "POST", "/api/v1/items", NULL, body, strlen(body));
    }
    for (int i = 0; i < N; i++) {
        http_resp r;
        assert_true(read_response(cs[i], &r, 0));
        assert_int_equal(r.status, 201);
        resp_free(&r);
        conn_close(cs[i]);
    }
    assert_int_equal(count_items(f, "bulk-0") + count_items(f, "bulk-1"), N);
}

static void pool_route_answers_with_snapshot(void **state) {
    fixture *f = *state;
    http_resp r;
    fetch(f->port, "GET", "/api/v1/heavy?x=%E7%9B%8A&y=2", "X-Test: hello\r\n", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"where\":\"pool\",\"x\":\"益\",\"h\":\"hello\"}");
    assert_string_equal(hdr(&r, "X-Ran-On"), "pool");
    resp_free(&r);
}

static void chain_runs_inline_then_pool_then_writer(void **state) {
    fixture *f = *state;
    http_resp r;
    fetch(f->port, "GET", "/api/v1/chain", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"steps\":\"inline,pool,writer\",\"distinct\":true}");
    resp_free(&r);
    assert_int_equal(count_items(f, "chained"), 1);
}

static void keep_alive_serves_several_requests(void **state) {
    fixture *f = *state;
    http_conn *c = conn_open(f->port);
    http_resp r;
    /* sequential */
    for (int i = 0; i < 3; i++) {
        send_request(c, "GET", "/api/v1/ping", NULL, NULL, 0);
        assert_true(read_response(c, &r, 0));
        assert_int_equal(r.status, 200);
        const char *connection = hdr(&r, "Connection");
        assert_true(!connection || !strcasestr(connection, "close"));
        resp_free(&r);
    }
    /* a write and a static file on the same connection */
    send_request(c, "POST", "/api/v1/items", NULL, "{\"name\":\"ka\"}", 13);
    assert_true(read_response(c, &r, 0));
    assert_int_equal(r.status, 201);
    resp_free(&r);
    send_request(c, "GET", "/assets/app.js", NULL, NULL, 0);
    assert_true(read_response(c, &r, 0));
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, APP_JS);
    resp_free(&r);
    /* pipelined: both requests sent before reading */
    char two[256];
    snprintf(two, sizeof two,
             "GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n"
             "GET /api/v1/items/1 HTTP/1.1\r\nHost: x\r\n\r\n");
    send_all(c, two, strlen(two));
    assert_true(read_response(c, &r, 0));
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"ok\":true}");
    resp_free(&r);
    assert_true(read_response(c, &r, 0));
    assert_true(r.status == 200 || r.status == 404);
    resp_free(&r);
    conn_close(c);
}

/* ---------- static files ---------- */

static void static_index_with_etag_then_304(void **state) {
    fixture *f = *state;
    http_resp r;
    fetch(f->port, "GET", "/", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, INDEX_HTML);
    assert_non_null(strstr(hdr(&r, "Content-Type"), "text/html"));
    assert_string_equal(hdr(&r, "Cache-Control"), "no-cache");
    assert_non_null(hdr(&r, "X-Request-Id"));
    assert_non_null(hdr(&r, "Content-Security-Policy"));
    char etag[128];
    assert_non_null(hdr(&r, "ETag"));
    snprintf(etag, sizeof etag, "%s", hdr(&r, "ETag"));
    assert_int_equal(etag[0], '"'); /* strong */
    resp_free(&r);

    char inm[200];
    snprintf(inm, sizeof inm, "If-None-Match: %s\r\n", etag);
    fetch(f->port, "GET", "/", inm, NULL, &r);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.body_len, 0);
    assert_string_equal(hdr(&r, "ETag"), etag);
    resp_free(&r);
    /* in a list too */
    snprintf(inm, sizeof inm, "If-None-Match: \"nope\", %s\r\n", etag);
    fetch(f->port, "GET", "/index.html", inm, NULL, &r);
    assert_int_equal(r.status, 304);
    resp_free(&r);
    /* a stale tag gets the file */
    fetch(f->port, "GET", "/", "If-None-Match: \"stale\"\r\n", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, INDEX_HTML);
    resp_free(&r);
}

static void static_gz_served_when_accepted(void **state) {
    fixture *f = *state;
    http_resp r;
    fetch(f->port, "GET", "/assets/app.js", "Accept-Encoding: gzip, deflate, br\r\n", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(hdr(&r, "Content-Encoding"), "gzip");
    assert_string_equal(r.body, "GZ-OF-APP-JS");
    assert_non_null(strstr(hdr(&r, "Content-Type"), "text/javascript"));
    assert_string_equal(hdr(&r, "Vary"), "Accept-Encoding");
    assert_non_null(strstr(hdr(&r, "Cache-Control"), "immutable"));
    char gz_etag[128];
    snprintf(gz_etag, sizeof gz_etag, "%s", hdr(&r, "ETag"));
    resp_free(&r);

    fetch(f->port, "GET", "/assets/app.js", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(hdr(&r, "Content-Encoding"));
    assert_string_equal(r.body, APP_JS);
    assert_string_not_equal(hdr(&r, "ETag"), gz_etag); /* the two encodings have distinct tags */
    resp_free(&r);

    fetch(f->port, "GET", "/assets/app.js", "Accept-Encoding: gzip;q=0\r\n", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_null(hdr(&r, "Content-Encoding"));
    assert_string_equal(r.body, APP_JS);
    resp_free(&r);

    fetch(f->port, "GET", "/", "Accept-Encoding: gzip\r\n", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(hdr(&r, "Content-Encoding"), "gzip");
    assert_string_equal(r.body, "GZ-OF-INDEX");
    resp_free(&r);
}

static void spa_fallback_only_for_routes(void **state) {
    fixture *f = *state;
    http_resp r;
    fetch(f->port, "GET", "/work/login", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, INDEX_HTML);
    assert_non_null(strstr(hdr(&r, "Content-Type"), "text/html"));
    resp_free(&r);
    fetch(f->port, "GET", "/assets/missing.js", NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    assert_error_body(&r, "not_found");
    resp_free(&r);
    fetch(f->port, "HEAD", "/work/login", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 0);
    resp_free(&r);
}

static void path_traversal_and_dotfiles_refused(void **state) {
    fixture *f = *state;
    const char *paths[] = {
        "/../secret", "/assets/../../secret",     "/%2e%2e/secret", "/assets/%2E%2E/%2E%2E/secret",
        "/.env",      "/assets/..%2f..%2fsecret", "/..\\secret"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        http_resp r;
        fetch(f->port, "GET", paths[i], NULL, NULL, &r);
        if (r.status == 200 || strstr(r.body, "TOPSECRET") || strstr(r.body, "HIDDEN"))
            fail_msg("%s answered %d: %s", paths[i], r.status, r.body);
        assert_true(r.status == 404 || r.status == 400);
        resp_free(&r);
    }
}

/* ---------- graceful stop ---------- */

typedef struct slow_client {
    int port;
    http_resp r;
    int got;
} slow_client;

static void *slow_main(void *arg) {
    slow_client *s = arg;
    http_conn *c = conn_open(s->port);
    if (!c) return NULL;
    send_request(c, "GET", "/api/v1/slow", NULL, NULL, 0);
    s->got = read_response(c, &s->r, 0);
    conn_close(c);
    return NULL;
}

static void stop_lets_request_in_flight_finish(void **state) {
    fixture *f = *state;
    ow_server *srv;
    int port;
    assert_int_equal(start_server(f, &srv, &port), 0);
    /* an idle keep-alive connection must not hold up the stop */
    http_conn *idle = conn_open(port);
    assert_non_null(idle);
    atomic_store(&slow_started, 0);
    slow_client sc = {.port = port};
    pthread_t t;
    pthread_create(&t, NULL, slow_main, &sc);
    while (!atomic_load(&slow_started)) {
        struct timespec ts = {0, 1000000L};
        nanosleep(&ts, NULL);
    }
    int64_t t0 = ow_clock_mono_us();
    ow_server_stop(srv, 5000); /* while the handler sleeps */
    int64_t took_ms = (ow_clock_mono_us() - t0) / 1000;
    pthread_join(t, NULL);
    assert_true(sc.got);
    assert_int_equal(sc.r.status, 200);
    assert_non_null(strstr(sc.r.body, "\"slow\":\"done\""));
    assert_int_equal(sc.r.body_len, strlen(sc.r.body));
    char cl[32];
    assert_int_equal(strtoul(find_header(sc.r.head, "Content-Length", cl, sizeof cl), NULL, 10),
                     sc.r.body_len);
    resp_free(&sc.r);
    /* it waited for the request, not for the whole grace period */
    assert_true(took_ms < 3000);
    /* the listening socket is gone */
    http_conn *late = conn_open(port);
    assert_null(late);
    conn_close(idle);
}

static void get_ip(int port, const char *src, const char *xff, char out[64]) {
    http_conn *c = conn_open_from(port, src);
    assert_non_null(c);
    char h[256] = "";
    if (xff) snprintf(h, sizeof h, "X-Forwarded-For: %s\r\n", xff);
    send_request(c, "GET", "/api/v1/ip", h, NULL, 0);
    http_resp r = {0};
    assert_true(read_response(c, &r, 0));
    conn_close(c);
    assert_int_equal(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL);
    assert_non_null(j);
    snprintf(out, 64, "%s", json_string_value(json_object_get(j, "ip")));
    json_decref(j);
    resp_free(&r);
}

/* A trusted proxy (127.0.0.1 here) names the client; proxies in the chain are skipped. */
static void client_address_from_trusted_proxy(void **state) {
    fixture *f = *state;
    char ip[64];
    get_ip(f->port, NULL, NULL, ip);
    assert_string_equal(ip, "127.0.0.1");
    get_ip(f->port, NULL, "203.0.113.9", ip);
    assert_string_equal(ip, "203.0.113.9");
    get_ip(f->port, NULL, "198.51.100.1, 203.0.113.9, 10.9.9.9", ip);
    assert_string_equal(ip, "203.0.113.9");
}

/* Anyone else's X-Forwarded-For is ignored: it could dodge the sign-in throttle. */
static void forwarded_for_ignored_from_untrusted_peer(void **state) {
    fixture *f = *state;
    char ip[64];
    get_ip(f->port, "127.0.0.2", "203.0.113.9", ip);
    assert_string_equal(ip, "127.0.0.2");
}

#define T(fn) cmocka_unit_test(fn)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(inline_route_answers_with_request_id),
        T(head_on_get_route_has_no_body),
        T(large_request_headers_fit),
        T(body_over_limit_is_413),
        T(malformed_json_is_400),
        T(wrong_method_is_405_with_allow),
        T(unknown_api_path_is_404_json),
        T(handler_errors_map_to_status),
        T(writer_route_commits_and_answers),
        T(concurrent_writes_all_commit),
        T(pool_route_answers_with_snapshot),
        T(chain_runs_inline_then_pool_then_writer),
        T(keep_alive_serves_several_requests),
        T(static_index_with_etag_then_304),
        T(static_gz_served_when_accepted),
        T(spa_fallback_only_for_routes),
        T(path_traversal_and_dotfiles_refused),
        T(client_address_from_trusted_proxy),
        T(forwarded_for_ignored_from_untrusted_peer),
        T(stop_lets_request_in_flight_finish),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
