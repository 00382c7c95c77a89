/* blob.h — the content-addressed file store under <data_dir>/files/ (blob.c): uploads
 * (files/files.h) and the frozen PDFs of issued documents (docs/docs.h) are kept here,
 * once per content, named by their SHA-256.  The blobs table that records them is the
 * caller's (store/files_store.h). */
#ifndef OW_CORE_BLOB_H
#define OW_CORE_BLOB_H

#include <stddef.h>

#include "core/err.h"

typedef struct ow_files_tmp ow_files_tmp;
/* A temporary file under <data_dir>/files/tmp/ with a running SHA-256. */
int ow_files_tmp_open(const char *data_dir, ow_files_tmp **out, ow_err *e);
int ow_files_tmp_write(ow_files_tmp *t, const void *p, size_t n, ow_err *e);
/* The file descriptor (read access for checks on what was written). */
int ow_files_tmp_fd(const ow_files_tmp *t);
/* fsync, rename to its content address, fsync the directory; sha_hex gets the hash.
 * When the content is already stored the temporary file is simply removed. */
int ow_files_tmp_keep(ow_files_tmp *t, char sha_hex[65], ow_err *e);
/* Close and remove the temporary file (unless kept) and free t.  NULL is fine. */
void ow_files_tmp_free(ow_files_tmp *t);
/* <data_dir>/files/ab/cd/<sha256> */
void ow_files_blob_path(const char *data_dir, const char *sha, char *out, size_t out_size);
/* Write n bytes into the store (temporary file, fsync, rename, fsync of the
 * directories); sha_hex gets the content's SHA-256.  Content already stored is kept as
 * it is. */
int ow_blob_put(const char *data_dir, const void *data, size_t n, char sha_hex[65], ow_err *e);

#endif
