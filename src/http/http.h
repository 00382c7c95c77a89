/* http.h — what a module's HTTP handlers see of the server.
 *
 * A handler parses the request, calls domain functions with ow_req_ctx(rq),
 * and sets a reply.  Where it runs is the route's business, not its own:
 * OW_INLINE on the request thread with a read-only connection, OW_ON_WRITER
 * on the writer thread inside the batch's transaction (its own savepoint),
 * OW_ON_POOL on the heavy-work pool.  A handler may hand the rest of the
 * work to another place with ow_req_then() — sign-in reads the account
 * inline, checks the password on the pool, records the session on the writer. */
#ifndef OW_HTTP_HTTP_H
#define OW_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"

typedef struct ow_req ow_req;
typedef int (*ow_handler)(ow_req *rq);

typedef enum { OW_INLINE = 0, OW_ON_WRITER, OW_ON_POOL } ow_where;

enum {
    OW_R_PUBLIC = 1u << 0,  /* no session needed (the handler may still use one) */
    OW_R_NO_CSRF = 1u << 1, /* state-changing but exempt from the CSRF check (sign-in) */
    OW_R_NO_BODY = 1u << 2, /* no JSON body expected (DELETE, transitions without input) */
    OW_R_STREAM = 1u << 3,  /* the body streams to route->stream instead of the arena */
};

/* A streamed body (uploads).  JSON routes buffer their body in the arena up to
 * max_body_bytes; a route flagged OW_R_STREAM sees its body piece by piece as MHD
 * reads it, so a 20 MB file never sits in memory.  Order:
 *   fn       the route's handler, on the request thread (the route's where must be
 *            OW_INLINE) once the route matched and the auth hook passed, before any of
 *            the body: check access and limits, open what receives the body, keep
 *            state with ow_req_set_data and call ow_req_stream(rq, &ops).  An error is
 *            the answer: a body up to OW_STREAM_DRAIN_BYTES is read and dropped first
 *            (a client still sending would otherwise see a reset instead of the
 *            status), a larger one is answered at once and the connection closed.
 *   chunk    on the request thread, for every piece, in order.  An error stops the
 *            stream: cleanup runs at once, the rest of the body is dropped, and the
 *            error is answered when the body ends.
 *   end      at end_where when the whole body has arrived; it replies (or chains).
 *   cleanup  always, at the end of the request whatever happened (answered, failed,
 *            client gone): release what fn took.  May run twice: idempotent. */
#define OW_STREAM_DRAIN_BYTES (64LL * 1024 * 1024)
typedef struct ow_stream_ops {
    int (*chunk)(ow_req *rq, const char *data, size_t n);
    ow_handler end;
    ow_where end_where;
    void (*cleanup)(ow_req *rq);
} ow_stream_ops;
/* Called by an OW_R_STREAM route's handler: where the body goes. */
void ow_req_stream(ow_req *rq, const ow_stream_ops *ops);

typedef struct ow_route {
    const char *method;
    const char *pattern; /* "/api/v1/cases/{id}" */
    ow_handler fn;
    ow_where where;
    unsigned flags;
} ow_route;

ow_ctx *ow_req_ctx(ow_req *rq);
const char *ow_req_method(ow_req *rq);
const char *ow_req_path(ow_req *rq);
const char *ow_req_param(ow_req *rq, const char *name); /* path parameter, or NULL */
const char *ow_req_query(ow_req *rq, const char *name); /* query argument, or NULL */
/* True when the query argument as sent holds a NUL byte (%00): ow_req_query's string
 * ends there, so a caller that must not take a cut value refuses it. */
bool ow_req_query_has_nul(ow_req *rq, const char *name);
const char *ow_req_header(ow_req *rq, const char *name);
const char *ow_req_cookie(ow_req *rq, const char *name);
json_t *ow_req_json(ow_req *rq);                       /* parsed body object, or NULL */
int64_t ow_req_param_id(ow_req *rq, const char *name); /* positive id, or -1 */
/* The Content-Length the client declared, or -1 (chunked). */
int64_t ow_req_content_length(ow_req *rq);
/* A positive id in the query (?org_id=12): *out = 0 when absent; a value that is not a
 * positive integer is OW_EINVAL naming the field. */
int ow_req_query_id(ow_req *rq, const char *name, int64_t *out);
/* page / per_page from the query (docs/architecture.md "API conventions"); sets the
 * error on bad values. */
int ow_req_paging(ow_req *rq, int *page, int *per_page);

/* Replies.  The body is stolen. */
int ow_reply_json(ow_req *rq, int status, json_t *body);
int ow_reply_empty(ow_req *rq, int status);
/* Reply with a ready body: JSON stored as text, CSV, PDF.  body is malloc'ed and
 * stolen (freed by the server); add Content-Disposition with ow_reply_header. */
int ow_reply_body(ow_req *rq, int status, const char *content_type, char *body, size_t len);
/* Reply with bytes that are not JSON (CSV, XLSX downloads): data is malloc'ed and
 * stolen; filename (may be NULL) becomes an attachment's Content-Disposition. */
int ow_reply_bytes(ow_req *rq, int status, const char *content_type, const char *filename,
                   char *data, size_t len);
/* Reply with an open file (downloads, sent with sendfile): fd is stolen and closed by
 * the server; size bytes from offset 0. */
int ow_reply_file(ow_req *rq, int status, const char *content_type, int fd, uint64_t size);
/* Content-Disposition for a file name that may be Chinese: an ASCII fallback in
 * filename="…" and the UTF-8 name in filename*=UTF-8''… (RFC 5987 / 6266).
 * disposition is "attachment" or "inline". */
void ow_reply_disposition(ow_req *rq, const char *disposition, const char *filename);
/* Reply with the context's error (code -> status, docs/architecture.md "Errors"); returns rc. */
int ow_reply_error(ow_req *rq, int rc);
void ow_reply_header(ow_req *rq, const char *name, const char *value);
/* Reply with a list in the house shape {"items","total","page","per_page"}. */
int ow_reply_list(ow_req *rq, json_t *items, int64_t total, int page, int per_page);
/* The same envelope around items already written as JSON array text (n bytes). */
int ow_reply_list_text(ow_req *rq, const char *items, size_t n, int64_t total, int page,
                       int per_page);

/* Answer with the event stream of `channel` on hub (Server-Sent Events, http/events.h):
 * first the event first_name with first_data (the state as it is now; NULL: none), then
 * what the client missed since its Last-Event-ID, then every event published there until
 * the client goes or the hub closes.  From an OW_INLINE handler of a GET.  first_data is
 * copied. */
typedef struct ow_events ow_events;
int ow_reply_events(ow_req *rq, ow_events *hub, const char *channel, const char *first_name,
                    const char *first_data);

/* Continue with next at where once this step returns OW_OK without a reply. */
void ow_req_then(ow_req *rq, ow_handler next, ow_where where);
void ow_req_set_data(ow_req *rq, void *data);
void *ow_req_data(ow_req *rq);

/* The authentication hook, run inline before every /api/ route: resolves the
 * session cookie into cx->actor and enforces CSRF on state-changing requests.
 * Installed by the account module. Returns OW_OK or an error code with cx->err. */
typedef int (*ow_auth_hook)(ow_req *rq, const ow_route *route);

#endif
