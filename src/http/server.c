/* server.c — the libmicrohttpd adapter (docs/architecture.md "Threads").
 *
 * Life of a request:
 *   1st call     allocate ow_req (arena, request id) and return: the two-call
 *                pattern keeps the connection alive (queueing on the first
 *                call makes MHD answer `Connection: close`).
 *   body calls   append to the arena up to max_body_bytes; past it, 413.
 *                A streamed route (OW_R_STREAM, uploads) is matched and
 *                authenticated on the first call instead, and its pieces go
 *                to its chunk callback as they arrive (http.h ow_stream_ops).
 *   last call    route, parse JSON, run the auth hook, then the handler:
 *                inline with this thread's read connection, or suspend the
 *                connection and hand the step to the writer or the pool.
 *   resumed      the writer (after its COMMIT) or the pool resumed us: run
 *                the next step or queue the reply.
 *   completed    one access-log line, free everything.
 * Everything of a request lives in its arena; MHD lookups are only made on
 * MHD's own threads, so before a hand-off the query, headers and cookies are
 * copied into the arena. */
#include "http/server.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "core/json.h"
#include "core/log.h"
#include "http/events.h"
#include "http/router.h"
#include "http/static.h"
#include "store/idem_store.h"

#define REQ_ARENA_BYTES 8192
#define MAX_REPLY_HEADERS 12
#define DRAIN_FACTOR 8 /* a too-large body up to 8x the limit is drained to deliver its 413 */

typedef struct kv {
    const char *k, *v;
} kv;

typedef struct kvlist {
    kv *items;
    int n, cap;
} kvlist;

enum phase { PH_RECEIVING, PH_SUSPENDED, PH_RESUMED, PH_DONE };

struct ow_server {
    struct MHD_Daemon *d;
    ow_server_opts o;
    ow_router *router;
    atomic_int inflight;
    atomic_uint_fast64_t seq;
    unsigned rid_prefix;
    int port;
    /* the request deadline watchdog (conn_track) */
    pthread_mutex_t track_mu;
    pthread_cond_t track_cv;
    struct conn_track *tracked;
    pthread_t watchdog;
    bool watchdog_running, stopping;
};

/* One per connection (MHD's socket context): the instant by which the request now
 * arriving on it must be complete, head and body.  See conn_watchdog. */
typedef struct conn_track {
    struct conn_track *prev, *next;
    int fd;
    _Atomic int64_t deadline_us; /* 0 = none (the request is being answered) */
    bool bad_target;             /* the current request line's target has SP or a control byte */
} conn_track;

struct ow_req {
    ow_server *srv;
    struct MHD_Connection *conn;
    ow_ctx cx;
    enum phase phase;
    const char *method, *path;
    int64_t start_us;
    /* body */
    char *body;
    size_t body_len, body_cap;
    bool too_big;
    int64_t declared_len; /* Content-Length, or -1 */
    json_t *json;
    /* streamed body (OW_R_STREAM) */
    bool streaming;     /* matched a stream route on the first call */
    bool stream_failed; /* begin or a chunk failed: drop the rest, answer the error */
    const ow_stream_ops *stream;
    /* route */
    ow_route_match m;
    char *path_copy;
    /* snapshot for off-thread steps */
    bool snapped;
    kvlist q, h, c;
    /* reply */
    int status;
    json_t *reply_json;
    char *reply_text; /* a ready body (malloc'ed), when not JSON built here */
    size_t reply_text_len;
    const char *reply_ctype; /* its content type */
    int reply_fd;            /* a file to send (ow_reply_file), when has_fd */
    bool has_fd;
    uint64_t reply_fd_size;
    bool replied;
    bool close_after;  /* answer with Connection: close (malformed framing) */
    conn_track *track; /* its connection's deadline (NULL if MHD gave none) */
    ow_events *ev_hub; /* an event stream (ow_reply_events), when set */
    const char *ev_channel, *ev_first_name, *ev_first_data;
    kv reply_hdrs[MAX_REPLY_HEADERS];
    int nreply_hdrs;
    uint64_t bytes;
    /* steps */
    ow_handler next;
    ow_where next_where;
    int step_rc;
    void *data;
    ow_job job;
    ow_task task;
    ow_handler step_fn;
    /* Idempotency-Key (docs/api.md "Retrying a write"): the header of a state-changing
     * request, the hash of what it asks as it arrives, and whether its first writer step
     * looked the key up yet */
    const char *idem_key;
    crypto_hash_sha256_state idem_hash;
    bool idem_checked;
    bool idem_pending; /* kept as done; its answer comes from a later step */
    char idem_fp[65];
    ow_idem_row idem_row; /* that answer, once known */
};

/* The request has fully arrived (or is being answered early): from here on the
 * connection's time is ours and the client's reading, not its sending. */
static void request_received(ow_req *rq) {
    if (rq->track) atomic_store(&rq->track->deadline_us, 0);
}

/* ---------- accessors ---------- */

ow_ctx *ow_req_ctx(ow_req *rq) {
    return &rq->cx;
}
const char *ow_req_method(ow_req *rq) {
    return rq->method;
}
const char *ow_req_path(ow_req *rq) {
    return rq->path;
}
json_t *ow_req_json(ow_req *rq) {
    return rq->json;
}
int64_t ow_req_content_length(ow_req *rq) {
    return rq->declared_len;
}
void ow_req_stream(ow_req *rq, const ow_stream_ops *ops) {
    rq->stream = ops;
}
void ow_req_set_data(ow_req *rq, void *data) {
    rq->data = data;
}
void *ow_req_data(ow_req *rq) {
    return rq->data;
}

void ow_req_then(ow_req *rq, ow_handler next, ow_where where) {
    rq->next = next;
    rq->next_where = where;
}

const char *ow_req_param(ow_req *rq, const char *name) {
    size_t n = strlen(name);
    for (int i = 0; i < rq->m.nparams; i++)
        if (rq->m.name_lens[i] == n && !memcmp(rq->m.names[i], name, n)) return rq->m.values[i];
    return NULL;
}

int64_t ow_req_param_id(ow_req *rq, const char *name) {
    const char *s = ow_req_param(rq, name);
    if (!s || !*s || strlen(s) > 18) return -1;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        v = v * 10 + (*p - '0');
    }
    return v > 0 ? v : -1;
}

static const char *kv_find(const kvlist *l, const char *k, bool ci) {
    for (int i = 0; i < l->n; i++)
        if (ci ? !strcasecmp(l->items[i].k, k) : !strcmp(l->items[i].k, k)) return l->items[i].v;
    return NULL;
}

const char *ow_req_query(ow_req *rq, const char *name) {
    if (rq->snapped) return kv_find(&rq->q, name, false);
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

bool ow_req_query_has_nul(ow_req *rq, const char *name) {
    const char *v = NULL;
    size_t n = 0;
    if (rq->snapped) return false; /* asked inline, before the body: the connection's values */
    return MHD_lookup_connection_value_n(rq->conn, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v,
                                         &n) == MHD_YES &&
           v && strlen(v) != n;
}

const char *ow_req_header(ow_req *rq, const char *name) {
    if (rq->snapped) return kv_find(&rq->h, name, true);
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *ow_req_cookie(ow_req *rq, const char *name) {
    if (rq->snapped) return kv_find(&rq->c, name, false);
    return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

int ow_req_query_id(ow_req *rq, const char *name, int64_t *out) {
    const char *s = ow_req_query(rq, name);
    *out = 0;
    if (!s || !*s) return OW_OK;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 1)
        return ow_err_set(&rq->cx.err, OW_EINVAL, name, "%s应为正整数", ow_json_label(name));
    *out = v;
    return OW_OK;
}

int ow_req_paging(ow_req *rq, int *page, int *per_page) {
    *page = 1;
    *per_page = 20;
    const char *p = ow_req_query(rq, "page"), *pp = ow_req_query(rq, "per_page");
    char *end;
    if (p) {
        long v = strtol(p, &end, 10);
        if (*end || v < 1 || v > 1000000)
            return ow_err_set(&rq->cx.err, OW_EINVAL, "page", "页码应为正整数");
        *page = (int)v;
    }
    if (pp) {
        long v = strtol(pp, &end, 10);
        if (*end || v < 1 || v > 100)
            return ow_err_set(&rq->cx.err, OW_EINVAL, "per_page", "每页条数应在 1 到 100 之间");
        *per_page = (int)v;
    }
    return OW_OK;
}

/* ---------- replies ---------- */

static void drop_fd(ow_req *rq) {
    if (rq->has_fd) close(rq->reply_fd);
    rq->has_fd = false;
}

int ow_reply_json(ow_req *rq, int status, json_t *body) {
    rq->ev_hub = NULL;
    if (rq->reply_json) json_decref(rq->reply_json);
    free(rq->reply_text);
    rq->reply_text = NULL;
    drop_fd(rq);
    rq->status = status;
    rq->reply_json = body;
    rq->replied = true;
    return OW_OK;
}

int ow_reply_empty(ow_req *rq, int status) {
    return ow_reply_json(rq, status, NULL);
}

int ow_reply_body(ow_req *rq, int status, const char *content_type, char *body, size_t len) {
    ow_reply_json(rq, status, NULL);
    free(rq->reply_text);
    drop_fd(rq);
    rq->reply_text = body;
    rq->reply_text_len = len;
    rq->reply_ctype = content_type;
    return OW_OK;
}

int ow_reply_bytes(ow_req *rq, int status, const char *content_type, const char *filename,
                   char *data, size_t len) {
    ow_reply_body(rq, status, content_type, data, len);
    if (filename) {
        char cd[400]; /* callers pass ASCII names */
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", filename);
        ow_reply_header(rq, "Content-Disposition", cd);
    }
    return OW_OK;
}

int ow_reply_file(ow_req *rq, int status, const char *content_type, int fd, uint64_t size) {
    ow_reply_json(rq, status, NULL);
    rq->reply_fd = fd;
    rq->has_fd = true;
    rq->reply_fd_size = size;
    rq->reply_ctype = content_type;
    return OW_OK;
}

void ow_reply_disposition(ow_req *rq, const char *disposition, const char *filename) {
    /* ASCII fallback: keep letters, digits and . - _, replace the rest with _ so old
     * clients still get the extension; modern ones read filename*. */
    char ascii[128], pct[1024];
    size_t a = 0, p = 0;
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *c = (const unsigned char *)filename; *c; c++) {
        bool plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                     (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '_';
        if (a < sizeof ascii - 1 && (plain || *c < 0x80 || (*c & 0xC0) == 0xC0))
            ascii[a++] = plain ? (char)*c : '_'; /* one _ per character, not per byte */
        if (plain && p < sizeof pct - 1) {
            pct[p++] = (char)*c;
        } else if (p < sizeof pct - 3) {
            pct[p++] = '%';
            pct[p++] = hex[*c >> 4];
            pct[p++] = hex[*c & 15];
        }
    }
    ascii[a] = pct[p] = '\0';
    char cd[1300];
    snprintf(cd, sizeof cd, "%s; filename=\"%s\"; filename*=UTF-8''%s", disposition,
             a ? ascii : "file", pct);
    ow_reply_header(rq, "Content-Disposition", cd);
}

int ow_reply_events(ow_req *rq, ow_events *hub, const char *channel, const char *first_name,
                    const char *first_data) {
    ow_reply_json(rq, 200, NULL);
    rq->ev_hub = hub;
    rq->ev_channel = ow_strdup(rq->cx.arena, channel);
    rq->ev_first_name = first_name ? ow_strdup(rq->cx.arena, first_name) : NULL;
    rq->ev_first_data = first_data ? ow_strdup(rq->cx.arena, first_data) : NULL;
    return OW_OK;
}

void ow_reply_header(ow_req *rq, const char *name, const char *value) {
    if (rq->nreply_hdrs == MAX_REPLY_HEADERS) return;
    rq->reply_hdrs[rq->nreply_hdrs].k = ow_strdup(rq->cx.arena, name);
    rq->reply_hdrs[rq->nreply_hdrs].v = ow_strdup(rq->cx.arena, value);
    rq->nreply_hdrs++;
}

int ow_reply_error(ow_req *rq, int rc) {
    ow_err *e = &rq->cx.err;
    if (!e->code) e->code = rc;
    if (rc != e->code) {
        /* the detail belongs to another code: keep the status of the returned one */
        e->code = rc;
    }
    int status = ow_err_status(e, rc);
    if (status >= 500) {
        /* Internals stay in the log; the user gets the request id to quote. */
        char detail[300];
        size_t j = 0;
        for (const char *p = e->message; *p && j < sizeof detail - 1; p++)
            if (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20) detail[j++] = *p;
        detail[j] = '\0';
        ow_log_error("request failed",
                     "\"rid\":\"%s\",\"code\":%d,\"path\":\"%s\",\"detail\":\"%s\"",
                     rq->cx.request_id, rc, rq->path, detail);
        if (rc != OW_EBUSY) {
            snprintf(e->kind, sizeof e->kind, "internal_error");
            e->field[0] = '\0';
            snprintf(e->message, sizeof e->message, "系统内部错误，请稍后重试（请求编号 %s）",
                     rq->cx.request_id);
        }
    }
    if (e->retry_after_s > 0) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", e->retry_after_s);
        ow_reply_header(rq, "Retry-After", ra);
    }
    ow_reply_json(rq, status, ow_json_error(e));
    return rc;
}

int ow_reply_list(ow_req *rq, json_t *items, int64_t total, int page, int per_page) {
    return ow_reply_json(rq, 200,
                         json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total,
                                   "page", page, "per_page", per_page));
}

int ow_reply_list_text(ow_req *rq, const char *items, size_t n, int64_t total, int page,
                       int per_page) {
    static const char head[] = "{\"items\":";
    char tail[96];
    int k = snprintf(tail, sizeof tail, ",\"total\":%lld,\"page\":%d,\"per_page\":%d}",
                     (long long)total, page, per_page);
    size_t len = sizeof head - 1 + n + (size_t)k;
    char *body = malloc(len + 1); /* MHD frees it with the response */
    if (!body) return ow_err_set(&rq->cx.err, OW_ENOMEM, "", "内存不足");
    memcpy(body, head, sizeof head - 1);
    memcpy(body + sizeof head - 1, items, n);
    memcpy(body + sizeof head - 1 + n, tail, (size_t)k + 1);
    return ow_reply_body(rq, 200, "application/json; charset=utf-8", body, len);
}

static void reply_simple_error(ow_req *rq, int code, int status, const char *kind,
                               const char *msg) {
    ow_err_setk(&rq->cx.err, code, kind, "", "%s", msg);
    rq->cx.err.http_status = status;
    ow_reply_error(rq, code);
}

static bool idem_fill(ow_req *rq);

static enum MHD_Result queue_reply(ow_req *rq) {
    if (rq->idem_pending && idem_fill(rq)) return MHD_YES; /* answered when it is kept */
    char *text = NULL;
    size_t len = 0;
    const char *ctype = "application/json; charset=utf-8";
    struct MHD_Response *r;
    if (rq->has_fd) {
        /* MHD sends it with sendfile and closes the descriptor with the response */
        r = MHD_create_response_from_fd64(rq->reply_fd_size, rq->reply_fd);
        rq->has_fd = false;
        if (!r) {
            close(rq->reply_fd);
            return MHD_NO;
        }
        len = rq->reply_fd_size;
        MHD_add_response_header(r, "Content-Type", rq->reply_ctype);
        goto headers;
    }
    if (rq->ev_hub) {
        /* a live stream: it answers as long as the client listens (http/events.h) */
        const char *lei = ow_req_header(rq, "Last-Event-ID");
        uint64_t last = lei ? strtoull(lei, NULL, 10) : 0;
        ow_events_sub *sub = ow_events_subscribe(rq->ev_hub, rq->ev_channel, last,
                                                 rq->ev_first_name, rq->ev_first_data);
        r = sub ? ow_events_response(sub, rq->conn) : NULL;
        rq->ev_hub = NULL;
        if (!r) {
            ow_err_setk(&rq->cx.err, OW_EBUSY, "unavailable", "", "%s",
                        "实时推送暂不可用，请稍后重试");
            rq->cx.err.retry_after_s = 5;
            ow_reply_error(rq, OW_EBUSY);
            return queue_reply(rq);
        }
        MHD_add_response_header(r, "Content-Type", "text/event-stream; charset=utf-8");
        /* nginx passes it on as it comes instead of buffering (docs/operations.md) */
        MHD_add_response_header(r, "X-Accel-Buffering", "no");
        goto headers;
    }
    if (rq->reply_json) {
        text = ow_json_dump(rq->reply_json);
        len = strlen(text);
    } else if (rq->reply_text) {
        text = rq->reply_text; /* ownership passes to MHD */
        len = rq->reply_text_len;
        ctype = rq->reply_ctype;
        rq->reply_text = NULL;
    }
    r = MHD_create_response_from_buffer(len, text ? text : (void *)"",
                                        text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    if (text) MHD_add_response_header(r, "Content-Type", ctype);
headers:
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Request-Id", rq->cx.request_id);
    for (int i = 0; i < rq->nreply_hdrs; i++)
        MHD_add_response_header(r, rq->reply_hdrs[i].k, rq->reply_hdrs[i].v);
    /* MHD closes the connection after an answer carrying Connection: close, so
     * nothing a malformed request left in the stream is read as a next request */
    if (rq->close_after) MHD_add_response_header(r, "Connection", "close");
    const char *rct = MHD_get_response_header(r, "Content-Type");
    if (rct && !strncasecmp(rct, "text/html", 9)) {
        ow_html_security_headers(r);
    } else if (rct && !strncasecmp(rct, "application/json", 16)) {
        /* a JSON answer (every error included) opened in a tab loads nothing, framed nowhere */
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'none'; frame-ancestors 'none'");
        MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    }
    rq->bytes = len;
    rq->phase = PH_DONE;
    request_received(rq);
    enum MHD_Result ret = MHD_queue_response(rq->conn, (unsigned)rq->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* ---------- steps ---------- */

static enum MHD_Result kv_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value) {
    (void)kind;
    kvlist *l = ((void **)cls)[0];
    ow_arena *a = ((void **)cls)[1];
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        kv *items = ow_alloc(a, sizeof(kv) * (size_t)cap);
        if (l->n) memcpy(items, l->items, sizeof(kv) * (size_t)l->n);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n].k = ow_strdup(a, key);
    l->items[l->n].v = ow_strdup(a, value ? value : "");
    l->n++;
    return MHD_YES;
}

static void snapshot(ow_req *rq) {
    if (rq->snapped) return;
    void *q[2] = {&rq->q, rq->cx.arena}, *h[2] = {&rq->h, rq->cx.arena},
         *c[2] = {&rq->c, rq->cx.arena};
    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, kv_iter, q);
    MHD_get_connection_values(rq->conn, MHD_HEADER_KIND, kv_iter, h);
    MHD_get_connection_values(rq->conn, MHD_COOKIE_KIND, kv_iter, c);
    rq->snapped = true;
}

static void clear_reply(ow_req *rq) {
    rq->ev_hub = NULL;
    if (rq->reply_json) json_decref(rq->reply_json);
    rq->reply_json = NULL;
    free(rq->reply_text);
    rq->reply_text = NULL;
    drop_fd(rq);
    rq->replied = false;
    rq->nreply_hdrs = 0;
}

static int idem_step(ow_req *rq);

static int writer_job(ow_db *db, void *arg, ow_err *e) {
    (void)e; /* the job's error lands in rq->cx.err, which job.err points to */
    ow_req *rq = arg;
    rq->cx.db = db;
    rq->next = NULL;
    int rc = rq->idem_key && !rq->idem_checked ? idem_step(rq) : rq->step_fn(rq);
    rq->cx.db = NULL;
    return rc;
}

static void writer_done(void *arg, int rc) {
    ow_req *rq = arg;
    rq->step_rc = rc;
    rq->phase = PH_RESUMED;
    MHD_resume_connection(rq->conn);
}

static void pool_run(void *arg) {
    ow_req *rq = arg;
    ow_err e = {0};
    rq->cx.db = ow_app_read_db(rq->srv->o.app, &e);
    rq->next = NULL;
    if (!rq->cx.db) {
        rq->cx.err = e;
        rq->step_rc = e.code ? e.code : OW_EDB;
    } else {
        rq->step_rc = rq->step_fn(rq);
    }
    rq->cx.db = NULL;
    rq->phase = PH_RESUMED;
    MHD_resume_connection(rq->conn);
}

/* Run steps until one must leave this thread or the reply is ready. */
static enum MHD_Result run_steps(ow_req *rq, ow_handler fn, ow_where where) {
    for (;;) {
        if (where == OW_INLINE) {
            rq->next = NULL;
            rq->cx.db = ow_app_read_db(rq->srv->o.app, &rq->cx.err);
            int rc = rq->cx.db ? fn(rq) : (rq->cx.err.code ? rq->cx.err.code : OW_EDB);
            rq->cx.db = NULL;
            if (rc) {
                clear_reply(rq);
                ow_reply_error(rq, rc);
                return queue_reply(rq);
            }
            if (rq->next && !rq->replied) {
                fn = rq->next;
                where = rq->next_where;
                continue;
            }
            if (!rq->replied) {
                ow_err_set(&rq->cx.err, OW_EINTERNAL, "", "处理程序没有给出答复");
                ow_reply_error(rq, OW_EINTERNAL);
            }
            return queue_reply(rq);
        }
        snapshot(rq);
        rq->step_fn = fn;
        rq->phase = PH_SUSPENDED;
        MHD_suspend_connection(rq->conn);
        if (where == OW_ON_WRITER) {
            ow_app *app = rq->srv->o.app;
            rq->job =
                (ow_job){.fn = writer_job, .arg = rq, .done = writer_done, .err = &rq->cx.err};
            ow_writer_submit(app->writer, &rq->job);
        } else {
            rq->task = (ow_task){.run = pool_run, .arg = rq};
            ow_pool_submit(rq->srv->o.app->pool, &rq->task);
        }
        return MHD_YES;
    }
}

static enum MHD_Result after_resume(ow_req *rq) {
    if (rq->step_rc) {
        clear_reply(rq);
        ow_reply_error(rq, rq->step_rc);
        return queue_reply(rq);
    }
    if (rq->next && !rq->replied) {
        ow_handler fn = rq->next;
        rq->next = NULL;
        return run_steps(rq, fn, rq->next_where);
    }
    if (!rq->replied) {
        ow_err_set(&rq->cx.err, OW_EINTERNAL, "", "处理程序没有给出答复");
        ow_reply_error(rq, OW_EINTERNAL);
    }
    return queue_reply(rq);
}

static bool method_has_body(const char *m) {
    return !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH");
}

/* Is ip one of the comma-separated trusted proxies? */
static bool is_trusted_proxy(const char *list, const char *ip, size_t iplen) {
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if (n && n == iplen && !memcmp(p, ip, n)) return true;
        p += n;
    }
    return false;
}

/* Behind nginx every connection comes from the proxy; the client is the
 * rightmost X-Forwarded-For entry that is not itself a trusted proxy.  Only a
 * trusted peer may say so: anyone else could forge the header to dodge the
 * sign-in throttle or blur the audit trail. */
static void client_behind_proxy(ow_req *rq) {
    const char *list = rq->srv->o.trusted_proxies;
    if (!list || !*list || !is_trusted_proxy(list, rq->cx.ip, strlen(rq->cx.ip))) return;
    const char *xff = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff) return;
    const char *end = xff + strlen(xff);
    while (end > xff) {
        const char *start = end;
        while (start > xff && start[-1] != ',')
            start--;
        const char *a = start, *b = end;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        size_t n = (size_t)(b - a);
        if (n && n < sizeof rq->cx.ip && !is_trusted_proxy(list, a, n)) {
            memcpy(rq->cx.ip, a, n);
            rq->cx.ip[n] = '\0';
            return;
        }
        end = start > xff ? start - 1 : xff;
    }
}

static int client_and_auth(ow_req *rq, const ow_route *route);

/* ---------- idempotency keys ----------
 *
 * A client that sent a write and got no answer (a dropped connection) or a 503 (the
 * database's primary went away; the commit may or may not have happened) cannot know
 * whether to send it again.  With an Idempotency-Key header it can: the request's first
 * step on the writer looks the key up in the same transaction that will hold its write.
 * Found with the same request: the first attempt committed, and its answer is given
 * again (Idempotent-Replayed: true), nothing is done twice.  Not found: nothing of the
 * first attempt committed (the answer is written with the write or not at all), so it
 * runs now and its answer is kept.  Keys are per signed-in user (anonymous clients share
 * principal 0, told apart by the request's hash) and kept for IDEM_KEEP_MS. */

static bool method_is_safe(const char *m);

#define IDEM_KEEP_MS (24LL * 3600 * 1000)
#define IDEM_KEY_MAX 100

/* 1–100 of A–Z a–z 0–9 and . _ : - (a UUID, a ULID, "retry-7:abc"…). */
static bool idem_key_ok(const char *k) {
    size_t n = strlen(k);
    if (!n || n > IDEM_KEY_MAX) return false;
    for (const char *c = k; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '_' || *c == ':' || *c == '-'))
            return false;
    return true;
}

/* On the request's first call: note a key on a state-changing API request and start its
 * hash with the method and path; an ill-formed key is the answer (400). */
static int idem_begin(ow_req *rq) {
    const char *k = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Idempotency-Key");
    if (!k || method_is_safe(rq->method) || strncmp(rq->path, "/api/", 5)) return OW_OK;
    if (!idem_key_ok(k))
        return ow_err_setk(&rq->cx.err, OW_EINVAL, "bad_idempotency_key", "Idempotency-Key", "%s",
                           "幂等键应为 1–100 个字母、数字或 . _ : - 字符");
    rq->idem_key = ow_strdup(rq->cx.arena, k);
    crypto_hash_sha256_init(&rq->idem_hash);
    crypto_hash_sha256_update(&rq->idem_hash, (const unsigned char *)rq->method,
                              strlen(rq->method) + 1);
    crypto_hash_sha256_update(&rq->idem_hash, (const unsigned char *)rq->path,
                              strlen(rq->path) + 1);
    return OW_OK;
}

static void idem_body(ow_req *rq, const char *data, size_t n) {
    if (rq->idem_key) crypto_hash_sha256_update(&rq->idem_hash, (const unsigned char *)data, n);
}

/* The request's hash, hex: method, path, body as it came, then the query arguments. */
static void idem_fingerprint(ow_req *rq, char hex[65]) {
    for (int i = 0; i < rq->q.n; i++) {
        crypto_hash_sha256_update(&rq->idem_hash, (const unsigned char *)rq->q.items[i].k,
                                  strlen(rq->q.items[i].k) + 1);
        crypto_hash_sha256_update(&rq->idem_hash, (const unsigned char *)rq->q.items[i].v,
                                  strlen(rq->q.items[i].v) + 1);
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&rq->idem_hash, h);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

/* The kept answer, given again. */
static int idem_replay(ow_req *rq, const ow_idem_row *kept, const char *fp) {
    if (strcmp(kept->fingerprint, fp)) {
        ow_err_setk(&rq->cx.err, OW_EINVAL, "idempotency_key_reused", "Idempotency-Key", "%s",
                    "该幂等键已用于另一个请求，请为新的请求换一个键");
        rq->cx.err.http_status = 422;
        return OW_EINVAL;
    }
    if (!kept->status) {
        ow_err_setk(&rq->cx.err, OW_ECONFLICT, "idempotent_request_done", "Idempotency-Key", "%s",
                    "该请求已办理完成，请刷新页面查看结果");
        return OW_ECONFLICT;
    }
    json_t *body = *kept->body ? json_loads(kept->body, 0, NULL) : NULL;
    ow_reply_json(rq, kept->status, body);
    json_t *hdrs = json_loads(kept->headers, 0, NULL);
    const char *name;
    json_t *v;
    json_object_foreach(hdrs, name, v) {
        if (json_is_string(v)) ow_reply_header(rq, name, json_string_value(v));
    }
    json_decref(hdrs);
    ow_reply_header(rq, "Idempotent-Replayed", "true");
    return OW_OK;
}

/* What to keep of an answer: a JSON answer with its headers; status 0 when the answer is
 * not one to give twice (a session cookie, a file). */
static void idem_answer(ow_req *rq, ow_idem_row *r) {
    r->status = 0;
    r->headers = "{}";
    r->body = "";
    if (!rq->replied || rq->has_fd || rq->ev_hub) return;
    if (rq->status < 200 || rq->status > 299) return;
    if (rq->reply_text && strncasecmp(rq->reply_ctype, "application/json", 16)) return;
    json_t *hdrs = json_object();
    for (int i = 0; i < rq->nreply_hdrs; i++) {
        if (!strcasecmp(rq->reply_hdrs[i].k, "Set-Cookie")) {
            json_decref(hdrs);
            return;
        }
        json_object_set_new(hdrs, rq->reply_hdrs[i].k, json_string(rq->reply_hdrs[i].v));
    }
    char *h = json_dumps(hdrs, JSON_COMPACT);
    json_decref(hdrs);
    r->headers = ow_strdup(rq->cx.arena, h ? h : "{}");
    free(h);
    if (rq->reply_json) {
        char *b = ow_json_dump(rq->reply_json);
        r->body = ow_strdup(rq->cx.arena, b);
        free(b);
    } else if (rq->reply_text) {
        r->body = ow_strndup(rq->cx.arena, rq->reply_text, rq->reply_text_len);
    }
    r->status = rq->status;
}

/* The answer of a key kept as pending, written once the request has it and before it is
 * sent: the connection waits for one more writer job, so that a retry (on any node) that
 * follows the answer finds it.  Should it never be written (the process dies first, or
 * the write fails), a retry is told the request was done (409), which is true. */
static int idem_fill_run(ow_db *db, void *arg, ow_err *e) {
    ow_req *rq = arg;
    int64_t principal = rq->cx.actor.user_id > 0 ? rq->cx.actor.user_id : 0;
    return ow_idem_store_fill(db, principal, rq->idem_key, &rq->idem_row, e);
}

static void idem_fill_done(void *arg, int rc) {
    ow_req *rq = arg;
    if (rc) /* the key's characters need no JSON escaping (idem_key_ok) */
        ow_log_warn("idempotency answer not kept", "\"key\":\"%s\",\"code\":%d", rq->idem_key, rc);
    rq->step_rc = 0; /* the request's own write committed before: answer it as it is */
    rq->phase = PH_RESUMED;
    MHD_resume_connection(rq->conn);
}

/* True when the answer waits for its key's fill (queue_reply then returns at once). */
static bool idem_fill(ow_req *rq) {
    rq->idem_pending = false;
    rq->idem_row = (ow_idem_row){.fingerprint = rq->idem_fp};
    idem_answer(rq, &rq->idem_row);
    if (!rq->idem_row.status) return false;
    rq->phase = PH_SUSPENDED;
    MHD_suspend_connection(rq->conn);
    ow_err_clear(&rq->cx.err);
    rq->job = (ow_job){.fn = idem_fill_run, .arg = rq, .done = idem_fill_done, .err = &rq->cx.err};
    ow_writer_submit(rq->srv->o.app->writer, &rq->job);
    return true;
}

/* The first writer step of a request with a key: inside the batch's transaction (the
 * job's savepoint), so the kept answer commits with the write or not at all. */
static int idem_step(ow_req *rq) {
    rq->idem_checked = true;
    char fp[65];
    idem_fingerprint(rq, fp);
    int64_t principal = rq->cx.actor.user_id > 0 ? rq->cx.actor.user_id : 0;
    ow_idem_row kept;
    bool found;
    int rc = ow_idem_store_find(rq->cx.db, principal, rq->idem_key, rq->cx.arena, &kept, &found,
                                &rq->cx.err);
    if (rc) return rc;
    if (found) return idem_replay(rq, &kept, fp);
    rc = rq->step_fn(rq);
    /* An answer read back inline after the write (the usual shape: write on the writer,
     * render from a read connection) is read here instead, in the write's transaction,
     * which sees it: the answer is then kept with the write, all or nothing. */
    while (!rc && rq->next && !rq->replied && rq->next_where == OW_INLINE) {
        ow_handler fn = rq->next;
        rq->next = NULL;
        rc = fn(rq);
    }
    if (rc) return rc;
    ow_idem_row r = {.fingerprint = fp, .headers = "{}", .body = ""};
    if (rq->next && !rq->replied) {
        /* the answer comes from the pool or another writer step: keep the key as done
         * now, with the write, and its answer once it is known (idem_fill) */
        rq->idem_pending = true;
        memcpy(rq->idem_fp, fp, sizeof fp);
    } else {
        idem_answer(rq, &r);
    }
    int64_t now = ow_clock_now_ms(rq->cx.clock);
    return ow_idem_store_put(rq->cx.db, principal, rq->idem_key, &r, now, now - IDEM_KEEP_MS,
                             &rq->cx.err);
}

/* ---------- cross-site requests and the JSON content type ----------
 *
 * The session cookie is SameSite=Lax and state-changing requests with a session
 * need X-CSRF-Token, but sign-in and registration have no session yet: a page
 * elsewhere could post a form (text/plain, no preflight) to POST /api/v1/session
 * and sign the browser into the attacker's account (login CSRF).  So every
 * request that changes state answers 403 when the browser says it comes from
 * another site — Origin present and not ours, or Sec-Fetch-Site: cross-site —
 * and a JSON endpoint takes only application/json, which a form cannot send.
 * Clients that send neither header (curl, the CLI, scripts) are not browsers
 * acting for someone else and stay allowed. */

static bool method_is_safe(const char *m) {
    return !strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS");
}

/* Is origin ("scheme://host[:port]") this server's: public_url's, or http(s)://Host?
 * Both schemes for Host: behind the TLS front the browser says https, we see http. */
static bool own_origin(ow_req *rq, const char *origin) {
    const char *pub = rq->srv->o.app ? rq->srv->o.app->cfg.public_url : "";
    const char *sep = strstr(pub, "://");
    if (*pub && sep) {
        size_t n = (size_t)(sep + 3 - pub) + strcspn(sep + 3, "/?#");
        if (strlen(origin) == n && !strncasecmp(origin, pub, n)) return true;
    }
    const char *host = ow_req_header(rq, "Host");
    const char *rest = !strncasecmp(origin, "http://", 7)    ? origin + 7
                       : !strncasecmp(origin, "https://", 8) ? origin + 8
                                                             : NULL;
    return host && *host && rest && !strcasecmp(rest, host);
}

static int cross_site_check(ow_req *rq) {
    if (method_is_safe(rq->method)) return OW_OK;
    const char *site = ow_req_header(rq, "Sec-Fetch-Site");
    const char *origin = ow_req_header(rq, "Origin");
    const char *field = site && !strcasecmp(site, "cross-site") ? "Sec-Fetch-Site"
                        : origin && !own_origin(rq, origin)     ? "Origin"
                                                                : NULL;
    if (!field) return OW_OK;
    return ow_err_setk(&rq->cx.err, OW_EFORBIDDEN, "cross_site_request", field, "%s",
                       "拒绝来自其他网站的请求：请在本平台的页面上操作");
}

/* "application/json", any case, parameters (charset) allowed. */
static bool is_json_type(const char *ct) {
    if (!ct) return false;
    ct += strspn(ct, " \t");
    size_t n = strcspn(ct, "; \t");
    return n == 16 && !strncasecmp(ct, "application/json", 16);
}

static enum MHD_Result dispatch_api(ow_req *rq) {
    char allow[128];
    rq->path_copy = ow_strdup(rq->cx.arena, rq->path);
    int found =
        ow_router_match(rq->srv->router, rq->method, rq->path_copy, &rq->m, allow, sizeof allow);
    if (found == OW_ROUTE_NO_PATH) {
        reply_simple_error(rq, OW_ENOTFOUND, 404, "not_found", "接口不存在");
        return queue_reply(rq);
    }
    if (found == OW_ROUTE_NO_METHOD) {
        ow_reply_header(rq, "Allow", allow);
        reply_simple_error(rq, OW_EINVAL, 405, "method_not_allowed", "该接口不支持此请求方法");
        return queue_reply(rq);
    }
    const ow_route *route = rq->m.route;
    int xrc = cross_site_check(rq);
    if (xrc) {
        ow_reply_error(rq, xrc);
        return queue_reply(rq);
    }
    if (method_has_body(rq->method) && !(route->flags & OW_R_NO_BODY)) {
        if (!is_json_type(ow_req_header(rq, "Content-Type"))) {
            ow_err_setk(&rq->cx.err, OW_EINVAL, "unsupported_media_type", "Content-Type", "%s",
                        "请求内容类型应为 application/json");
            rq->cx.err.http_status = 415;
            ow_reply_error(rq, OW_EINVAL);
            return queue_reply(rq);
        }
        rq->json = ow_json_parse_object(rq->body ? rq->body : "", rq->body_len, &rq->cx.err);
        if (!rq->json) {
            ow_reply_error(rq, OW_EINVAL);
            return queue_reply(rq);
        }
    }
    int rc = client_and_auth(rq, route);
    if (rc) {
        ow_reply_error(rq, rc);
        return queue_reply(rq);
    }
    return run_steps(rq, route->fn, route->where);
}

/* The client's address (throttling, audit) and the auth hook, inline. */
static int client_and_auth(ow_req *rq, const ow_route *route) {
    /* client address, for throttling and the audit trail */
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, rq->cx.ip,
                      sizeof rq->cx.ip);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, rq->cx.ip,
                      sizeof rq->cx.ip);
    }
    client_behind_proxy(rq);
    if (rq->srv->o.auth) {
        rq->cx.db = ow_app_read_db(rq->srv->o.app, &rq->cx.err);
        int rc = rq->cx.db ? rq->srv->o.auth(rq, route) : OW_EDB;
        rq->cx.db = NULL;
        if (rc) return rc;
    }
    return OW_OK;
}

/* First call of a POST/PUT under /api/: is it a streamed route?  Then match, auth and
 * begin now, before the body.  Returns false for ordinary routes (buffered as before). */
static bool stream_start(ow_req *rq) {
    char allow[128];
    char *path_copy = ow_strdup(rq->cx.arena, rq->path);
    ow_route_match m;
    if (ow_router_match(rq->srv->router, rq->method, path_copy, &m, allow, sizeof allow) !=
            OW_ROUTE_FOUND ||
        !(m.route->flags & OW_R_STREAM))
        return false;
    rq->m = m;
    rq->path_copy = path_copy;
    rq->streaming = true;
    int rc = cross_site_check(rq);
    if (!rc) rc = client_and_auth(rq, m.route);
    if (!rc) {
        rq->cx.db = ow_app_read_db(rq->srv->o.app, &rq->cx.err);
        rc = rq->cx.db ? m.route->fn(rq) : OW_EDB;
        rq->cx.db = NULL;
        if (!rc && !rq->stream) {
            assert(!"an OW_R_STREAM handler must call ow_req_stream");
            rc = ow_err_set(&rq->cx.err, OW_EINTERNAL, "", "上传处理程序没有设置接收方式");
        }
    }
    if (rc) {
        rq->stream_failed = true;
        rq->step_rc = rc;
        if (rq->stream) rq->stream->cleanup(rq);
    }
    return true;
}

/* The whole streamed body arrived (or was dropped after an error). */
static enum MHD_Result stream_dispatch(ow_req *rq) {
    request_received(rq);
    if (rq->stream_failed) {
        ow_reply_error(rq, rq->step_rc);
        return queue_reply(rq);
    }
    return run_steps(rq, rq->stream->end, rq->stream->end_where);
}

static enum MHD_Result dispatch(ow_req *rq) {
    request_received(rq);
    if (rq->streaming) return stream_dispatch(rq);
    if (rq->too_big) {
        char msg[96];
        snprintf(msg, sizeof msg, "请求内容过大（最多 %lld 字节）",
                 (long long)rq->srv->o.max_body_bytes);
        reply_simple_error(rq, OW_ELIMIT, 413, "body_too_large", msg);
        return queue_reply(rq);
    }
    if (!strncmp(rq->path, "/api/", 5) || !strcmp(rq->path, "/api")) return dispatch_api(rq);
    if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD")) {
        ow_reply_header(rq, "Allow", "GET, HEAD");
        reply_simple_error(rq, OW_EINVAL, 405, "method_not_allowed", "该地址只支持 GET 请求");
        return queue_reply(rq);
    }
    if (rq->srv->o.web_root) {
        uint64_t bytes = 0;
        int status = 0;
        enum MHD_Result r = ow_static_serve(rq->conn, rq->srv->o.web_root, rq->path,
                                            rq->cx.request_id, &status, &bytes);
        if (status) {
            rq->status = status;
            rq->bytes = bytes;
            rq->phase = PH_DONE;
            return r;
        }
    }
    reply_simple_error(rq, OW_ENOTFOUND, 404, "not_found", "页面不存在");
    return queue_reply(rq);
}

/* ---------- request framing (RFC 9112) ----------
 *
 * libmicrohttpd 0.9.75 (Debian 12) parses the head leniently and offers only
 * MHD_OPTION_STRICT_FOR_CLIENT, which at 1 rejects an HTTP/1.1 request without
 * Host and a request target with a raw space, and nothing else of the list below.
 * We leave it at 0: its Host rejection goes through the same error path as MHD's
 * own Content-Length errors, which in 0.9.75 (and 0.9.77) writes the 400's status
 * line and headers twice (the state is reset to HEADERS_PROCESSED after
 * parse_connection_headers queued the error), and it refuses a space by closing
 * without an answer; we check both ourselves (the target in on_uri) instead.  Everything here runs
 * on the first call, before any body is read, and answers 400 with Connection: close: a request
 * whose framing two parsers could read differently (a proxy in front and us) must not leave
 * anything on the connection that could be taken for a next request. */

typedef struct head_scan {
    const char *lo, *hi; /* the raw request head in MHD's read buffer (obs-fold check) */
    int n_cl, n_te, n_host;
    const char *te;
    const char *bad_name, *bad_value, *folded;
} head_scan;

static bool is_tchar(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static enum MHD_Result head_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                 size_t key_size, const char *value, size_t value_size) {
    (void)kind;
    head_scan *h = cls;
    if (!strcasecmp(key, "Content-Length")) h->n_cl++;
    if (!strcasecmp(key, "Host")) h->n_host++;
    if (!strcasecmp(key, "Transfer-Encoding")) {
        h->n_te++;
        h->te = value;
    }
    /* MHD takes any bytes but CR LF and ':' into a name, so " X" (a first header
     * line starting with whitespace) or "X Y" arrive as names */
    bool name_ok = key_size > 0;
    for (size_t i = 0; i < key_size && name_ok; i++)
        name_ok = is_tchar((unsigned char)key[i]);
    if (!name_ok && !h->bad_name) h->bad_name = key;
    /* MHD splits lines at CRLF and at a bare LF, but keeps a bare CR (and any other
     * control character) inside the value; RFC 9112 2.2 says reject it, since a
     * component that does treat the CR as a line end sees another header */
    for (size_t i = 0; value && i < value_size && name_ok && !h->bad_value; i++) {
        unsigned char c = (unsigned char)value[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) h->bad_value = key;
    }
#if MHD_VERSION < 0x00097800
    /* obs-fold (a line starting with SP or HT continues the previous field) is
     * merged silently by 0.9.75-0.9.77: process_broken_line appends the
     * continuation to the NAME in a fresh pool allocation, the one name or value
     * that then no longer lies in the read buffer where the head arrived.  Newer
     * versions treat folding themselves; tests/api/framing.test.mjs tells. */
    if (h->lo && !h->folded &&
        (key < h->lo || key >= h->hi || (value && (value < h->lo || value > h->hi))))
        h->folded = key;
#endif
    return MHD_YES;
}

/* Called by MHD with the raw request target, before it unescapes the path or splits
 * the query.  MHD 0.9.75 takes everything between the first and the last space of
 * the request line as the target, so "GET /a b HTTP/1.1" arrives as "/a b", and a
 * CR inside the line stays in it; STRICT_FOR_CLIENT would refuse a space by closing
 * the connection without an answer.  Past this point an encoded %20 and a raw
 * space look alike, so the verdict is kept for the first call (framing_error). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
    (void)cls;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_track *t = ci ? ci->socket_context : NULL;
    if (t) {
        t->bad_target = false;
        for (const unsigned char *p = (const unsigned char *)uri; p && *p; p++)
            if (*p <= ' ' || *p == 0x7f) t->bad_target = true;
    }
    return NULL; /* on_request makes the request object on its first call */
}

/* NULL when the head is acceptable; else the message, and the header in *field. */
static const char *framing_error(struct MHD_Connection *conn, const conn_track *track,
                                 const char *method, const char *version, const char **field) {
    *field = "url";
    if (track && track->bad_target) return "请求地址含有空格或控制字符";
    head_scan h = {0};
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    if (ci && ci->header_size) {
        h.lo = method;
        h.hi = method + ci->header_size;
    }
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, head_iter, &h);
    bool http11 = !strcmp(version, "HTTP/1.1");
    *field = "headers";
    if (h.bad_name) return "请求头名称含有非法字符";
    if (h.folded) {
        *field = h.folded;
        return "请求头不能折行（以空格或制表符开头的续行）";
    }
    if (h.bad_value) {
        *field = h.bad_value;
        return "请求头的值含有控制字符（如单独的回车符）";
    }
    /* MHD looks up the first of repeated Host and Content-Length headers without a
     * word (MHD_lookup_connection_value); a proxy may well use the last */
    *field = "Host";
    if (http11 && h.n_host == 0) return "HTTP/1.1 请求缺少 Host 头";
    if (h.n_host > 1) return "请求含有多个 Host 头";
    *field = "Content-Length";
    if (h.n_cl > 1) return "请求含有多个 Content-Length 头";
    /* MHD ignores Content-Length when Transfer-Encoding is present (and validates
     * Content-Length itself only without it): both is the classic smuggling pair */
    if (h.n_cl && h.n_te) return "请求不能同时含有 Content-Length 和 Transfer-Encoding 头";
    *field = "Transfer-Encoding";
    /* MHD decodes only exactly "chunked"; any other value leaves it reading a body
     * of unknown length until the client closes (the 30-second hang) */
    if (h.n_te > 1 || (h.n_te && strcasecmp(h.te ? h.te : "", "chunked")))
        return "不支持的传输编码（只接受 Transfer-Encoding: chunked）";
    if (h.n_te && !http11) return "HTTP/1.0 请求不能使用 Transfer-Encoding";
    return NULL;
}

/* ---------- MHD callbacks ---------- */

static ow_req *req_new(ow_server *s, struct MHD_Connection *conn, const char *url,
                       const char *method) {
    ow_arena *a = ow_arena_new(REQ_ARENA_BYTES);
    ow_req *rq = ow_alloc(a, sizeof *rq);
    rq->srv = s;
    rq->conn = conn;
    rq->cx.arena = a;
    rq->cx.app = s->o.app;
    rq->cx.clock = &s->o.app->clock;
    rq->method = ow_strdup(a, method);
    rq->path = ow_strdup(a, url);
    rq->start_us = ow_clock_mono_us();
    rq->status = 500;
    rq->declared_len = -1;
    uint64_t n = atomic_fetch_add(&s->seq, 1) + 1;
    snprintf(rq->cx.request_id, sizeof rq->cx.request_id, "%08x%08llx", s->rid_prefix,
             (unsigned long long)n);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    rq->track = ci ? ci->socket_context : NULL;
    atomic_fetch_add(&s->inflight, 1);
    return rq;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls) {
    ow_server *s = cls;
    ow_req *rq = *con_cls;
    if (!rq) {
        rq = req_new(s, conn, url, method);
        *con_cls = rq;
        const char *field;
        const char *bad = framing_error(conn, rq->track, method, version, &field);
        if (bad) {
            rq->close_after = true;
            ow_err_setk(&rq->cx.err, OW_EINVAL, "bad_request", field, "%s", bad);
            ow_reply_error(rq, OW_EINVAL);
            return queue_reply(rq);
        }
        if (idem_begin(rq)) {
            rq->close_after = true; /* the body that follows is not read */
            ow_reply_error(rq, OW_EINVAL);
            return queue_reply(rq);
        }
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        long long declared = cl ? strtoll(cl, NULL, 10) : 0;
        rq->declared_len = cl ? declared : -1;
        if (method_has_body(method) && !strncmp(url, "/api/", 5) && stream_start(rq)) {
            /* A failed begin with a body too large to drain is answered now. */
            const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
            if (rq->stream_failed && (declared > OW_STREAM_DRAIN_BYTES || expect))
                return stream_dispatch(rq);
            return MHD_YES;
        }
        if (declared > s->o.max_body_bytes) {
            /* MHD accepts a reply only before the body is read or after all of it
             * arrived (queueing mid-body fails and drops the connection unanswered).
             * Answering now makes MHD stop reading and close, and a client still
             * sending then often sees a reset instead of the 413.  So a body up to
             * DRAIN_FACTOR times the limit is read and dropped and answered at its
             * end; a larger one, or a client waiting for 100-continue, now. */
            rq->too_big = true;
            const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
            if (declared > s->o.max_body_bytes * DRAIN_FACTOR || expect) return dispatch(rq);
        }
        return MHD_YES;
    }
    switch (rq->phase) {
    case PH_RECEIVING:
        if (*upload_data_size) {
            if (ow_clock_mono_us() - rq->start_us > (int64_t)s->o.request_timeout_s * 1000000)
                return MHD_NO; /* a client trickling its body: drop it */
            if (rq->streaming) {
                if (!rq->stream_failed) {
                    idem_body(rq, upload_data, *upload_data_size);
                    int rc = rq->stream->chunk(rq, upload_data, *upload_data_size);
                    if (rc) {
                        rq->stream_failed = true;
                        rq->step_rc = rc;
                        rq->stream->cleanup(rq); /* nothing left behind, now */
                    }
                }
                *upload_data_size = 0;
                return MHD_YES;
            }
            /* A body that outgrows the limit (chunked, or drained as above) is
             * read and dropped until its end, when dispatch answers 413: a reply
             * cannot be queued mid-body.  request_timeout_s above bounds it. */
            if (rq->too_big || (int64_t)(rq->body_len + *upload_data_size) > s->o.max_body_bytes) {
                rq->too_big = true;
                *upload_data_size = 0;
                return MHD_YES;
            }
            size_t n = *upload_data_size;
            if (rq->body_len + n + 1 > rq->body_cap) {
                size_t cap = rq->body_cap ? rq->body_cap * 2 : 4096;
                while (cap < rq->body_len + n + 1)
                    cap *= 2;
                char *b = ow_alloc(rq->cx.arena, cap);
                if (rq->body_len) memcpy(b, rq->body, rq->body_len);
                rq->body = b;
                rq->body_cap = cap;
            }
            memcpy(rq->body + rq->body_len, upload_data, n);
            idem_body(rq, upload_data, n);
            rq->body_len += n;
            rq->body[rq->body_len] = '\0';
            *upload_data_size = 0;
            return MHD_YES;
        }
        return dispatch(rq);
    case PH_RESUMED:
        return after_resume(rq);
    case PH_SUSPENDED:
        return MHD_YES; /* not expected: MHD does not call a suspended connection */
    case PH_DONE:
        if (*upload_data_size) *upload_data_size = 0; /* body after an early reply */
        return MHD_YES;
    }
    return MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
    (void)conn;
    ow_server *s = cls;
    ow_req *rq = *con_cls;
    if (!rq) return;
    int64_t now = ow_clock_mono_us(), us = now - rq->start_us;
    /* the next request on this kept-alive connection has request_timeout_s to arrive */
    if (rq->track)
        atomic_store(&rq->track->deadline_us, now + (int64_t)s->o.request_timeout_s * 1000000);
    int status = rq->phase == PH_DONE ? rq->status : 0;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && status) status = -status;
    ow_log_access(rq->method, rq->path, status, us, rq->bytes, rq->cx.request_id);
    if (rq->stream) rq->stream->cleanup(rq);
    drop_fd(rq);
    if (rq->json) json_decref(rq->json);
    if (rq->reply_json) json_decref(rq->reply_json);
    free(rq->reply_text);
    ow_arena_free(rq->cx.arena);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

/* ---------- slow clients ----------
 *
 * MHD's connection timeout (idle_timeout_s) is an inactivity timeout: a client
 * sending one header line every few seconds is never idle and, as measured, held a
 * connection and its 32 KB pool for minutes; our handler only runs once the head is
 * complete, so it cannot count either.  MHD 0.9.75 has no total deadline for
 * receiving a request, so we keep one per connection (MHD's socket context): the
 * request arriving on it must be complete, head and body, request_timeout_s after
 * the connection opened or the previous answer was done.  A watchdog thread shuts
 * the socket of a connection past its deadline down; MHD then sees the end of the
 * stream and closes the connection on its own thread.  MHD notifies the close
 * before it closes the descriptor, and both sides hold track_mu, so the watchdog
 * never touches a descriptor that was closed and reused. */

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe) {
    ow_server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        conn_track *t = calloc(1, sizeof *t);
        if (!t || !ci) {
            free(t);
            return;
        }
        t->fd = ci->connect_fd;
        atomic_store(&t->deadline_us,
                     ow_clock_mono_us() + (int64_t)s->o.request_timeout_s * 1000000);
        pthread_mutex_lock(&s->track_mu);
        t->next = s->tracked;
        if (s->tracked) s->tracked->prev = t;
        s->tracked = t;
        pthread_mutex_unlock(&s->track_mu);
        *socket_context = t;
        return;
    }
    conn_track *t = *socket_context;
    if (!t) return;
    pthread_mutex_lock(&s->track_mu);
    if (t->prev)
        t->prev->next = t->next;
    else
        s->tracked = t->next;
    if (t->next) t->next->prev = t->prev;
    pthread_mutex_unlock(&s->track_mu);
    free(t);
    *socket_context = NULL;
}

static void *conn_watchdog(void *arg) {
    ow_server *s = arg;
    pthread_mutex_lock(&s->track_mu);
    while (!s->stopping) {
        int64_t now = ow_clock_mono_us();
        int cut = 0;
        for (conn_track *t = s->tracked; t; t = t->next) {
            int64_t d = atomic_load(&t->deadline_us);
            if (d && now > d) {
                atomic_store(&t->deadline_us, 0);
                shutdown(t->fd, SHUT_RDWR);
                cut++;
            }
        }
        if (cut)
            ow_log_warn("slow clients disconnected", "\"connections\":%d,\"request_timeout_s\":%d",
                        cut, s->o.request_timeout_s);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250 * 1000000L; /* a deadline is kept to within a quarter second */
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->track_cv, &s->track_mu, &until);
    }
    pthread_mutex_unlock(&s->track_mu);
    return NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) {
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    for (char *p = msg; *p; p++)
        if (*p == '"' || *p == '\\') *p = '\'';
    ow_log_warn("libmicrohttpd", "\"detail\":\"%s\"", msg);
}

static void stop_watchdog(ow_server *s) {
    if (!s->watchdog_running) return;
    pthread_mutex_lock(&s->track_mu);
    s->stopping = true;
    pthread_cond_signal(&s->track_cv);
    pthread_mutex_unlock(&s->track_mu);
    pthread_join(s->watchdog, NULL);
    s->watchdog_running = false;
}

int ow_server_start(const ow_server_opts *o, ow_server **out, ow_err *e) {
    ow_server *s = calloc(1, sizeof *s);
    if (!s) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    s->o = *o;
    int rc = ow_router_new(o->routes, o->nroutes, &s->router, e);
    if (rc) {
        free(s);
        return rc;
    }
    unsigned char rnd[4];
    FILE *ur = fopen("/dev/urandom", "rb");
    if (!ur || fread(rnd, 1, 4, ur) != 4) memcpy(rnd, &(int){(int)time(NULL)}, 4);
    if (ur) fclose(ur);
    memcpy(&s->rid_prefix, rnd, 4);

    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1) {
        ow_router_free(s->router);
        free(s);
        return ow_err_set(e, OW_EINVAL, "listen", "监听地址“%s”不是有效的IPv4地址", o->host);
    }
    pthread_mutex_init(&s->track_mu, NULL);
    pthread_cond_init(&s->track_cv, NULL);
    if (pthread_create(&s->watchdog, NULL, conn_watchdog, s)) {
        ow_router_free(s->router);
        free(s);
        return ow_err_set(e, OW_EINTERNAL, "", "无法启动连接监视线程");
    }
    s->watchdog_running = true;
    int threads = o->threads < 2 ? 2 : o->threads; /* a pool of 1 stalls (measurements) */
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->idle_timeout_s,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        /* MHD zeroes this pool for every request: 64 KB cost 8% of
         * the CPU at 50k req/s.  32 KB (MHD's default) still takes
         * 8 KB of request headers (16 KB does not: 431); bodies
         * stream through on_request in pieces. */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_END);
    if (!s->d) {
        stop_watchdog(s);
        ow_router_free(s->router);
        free(s);
        return ow_err_set(e, OW_EIO, "listen", "无法在 %s:%d 上监听（端口被占用或无权限）", o->host,
                          o->port);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : o->port;
    *out = s;
    return OW_OK;
}

int ow_server_port(const ow_server *s) {
    return s->port;
}

void ow_server_stop(ow_server *s, int grace_ms) {
    if (!s) return;
    MHD_socket ls = MHD_quiesce_daemon(s->d);
    if (ls != MHD_INVALID_SOCKET) close(ls);
    int64_t deadline = ow_clock_mono_us() + (int64_t)grace_ms * 1000;
    while (atomic_load(&s->inflight) > 0 && ow_clock_mono_us() < deadline) {
        struct timespec ts = {0, 5 * 1000000L};
        nanosleep(&ts, NULL);
    }
    int left = atomic_load(&s->inflight);
    if (left) ow_log_warn("shutdown with requests in flight", "\"requests\":%d", left);
    stop_watchdog(s);
    MHD_stop_daemon(s->d);
    pthread_cond_destroy(&s->track_cv);
    pthread_mutex_destroy(&s->track_mu);
    ow_router_free(s->router);
    free(s);
}
