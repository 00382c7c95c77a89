/* files_api.h — the HTTP side of the file store: receiving an upload as a request body
 * (streamed, sniffed, made durable, then recorded on the writer), sending a stored file
 * back, and the route table gathered by app/routes.c.  files/files.h is the store itself
 * and knows nothing of HTTP (docs/architecture.md, "Modules"). */
#ifndef OW_FILES_FILES_API_H
#define OW_FILES_FILES_API_H

#include <stddef.h>
#include <stdint.h>

#include "files/files.h"
#include "http/http.h"

/* A received file, durable under its content address, not yet recorded. */
typedef struct ow_files_upload {
    char sha256[65];
    const char *filename, *content_type;
    int64_t size;
    void *data; /* the route's own state (ow_files_receive_in.data) */
} ow_files_upload;
/* Runs on the writer once the file is durable: record the row(s) and reply. */
typedef int (*ow_files_row_fn)(ow_req *rq, const ow_files_upload *up);

typedef struct ow_files_receive_in {
    const char *filename; /* checked with ow_files_check_filename */
    int64_t limit;        /* bytes; 413 beyond (the declared length at once) */
    const char *limit_what; /* for the message: 上传的文件超过{limit_what}（最多 … MB） */
    ow_files_accept accept;
    ow_files_row_fn row;
    void *data; /* arena memory of the request */
} ow_files_receive_in;

/* Called by an OW_R_STREAM | OW_R_NO_BODY route's handler after it has checked
 * access: takes an upload slot (429 when upload_concurrency are running), streams
 * the body into a temporary file with its SHA-256, decides the type from the content
 * (415 for anything not accepted, whatever the file name says), makes the file
 * durable on the pool, then calls row on the writer. */
int ow_files_receive(ow_req *rq, const ow_files_receive_in *in);
/* The query's filename, checked; a name cut by a NUL byte (%00) is a 400 too. */
int ow_files_query_filename(ow_req *rq, const char **filename);

/* Reply with a stored blob: inline for PDF and images (unless ?download), else as an
 * attachment; the file name in RFC 5987 form. */
int ow_files_send_blob(ow_req *rq, const char *sha, const char *ctype, const char *filename);

/* Reply with the file of a reusable material of holder_idx (the wallet's download). */
int ow_files_send_reusable(ow_req *rq, int64_t id, const char *holder_idx);

extern const ow_route ow_files_routes[];
extern const size_t ow_files_routes_n;

#endif
