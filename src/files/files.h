/* files.h — uploaded materials (申请材料) and the content-addressed file store.
 *
 * A material is attached to a case as an upload (the bytes, stored once per
 * content under <data_dir>/files/ab/cd/<sha256>), an e-license from the wallet, or
 * a material accepted in an earlier case of the same applicant (免提交).  The
 * type of an upload is decided by its first bytes — PDF, JPEG, PNG, OFD — never by
 * its name; anything else, an executable above all, is refused.  The same store and
 * the same streamed receiver (ow_files_receive) hold the attachments of publications
 * and the scanned papers of information requests (src/disclosure), whose rows name
 * their blob the way case_materials rows do.
 *
 * Durability order (the crash test checks it): the body streams into a temporary
 * file under files/tmp/ while SHA-256 is computed; then fsync(file), rename into
 * its content address, fsync(directory); only then is the row committed.  A crash
 * at any point leaves either nothing, a temporary file, or a file without a row
 * — never a row without its file.  `onewindow files check` reports both kinds of
 * inconsistency and --fix removes what has no row. */
#ifndef OW_FILES_FILES_H
#define OW_FILES_FILES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/blob.h"
#include "core/ctx.h"

#define OW_FILES_NAME_MAX_CHARS 100
#define OW_FILES_SNIFF_BYTES 8

/* ---- content sniffing ---- */

/* The content type of a file from its first bytes (at least OW_FILES_SNIFF_BYTES
 * unless the file is shorter): application/pdf, image/jpeg, image/png,
 * application/zip (an OFD or Office candidate: see ow_files_zip_type), or NULL.  *what
 * names the content in Chinese for the error message (可执行程序（ELF）, 脚本 …). */
const char *ow_files_sniff(const unsigned char *head, size_t n, const char **what);
/* What a ZIP file is, from its central directory: application/ofd, the OOXML types
 * (DOCX, XLSX, PPTX), or application/zip for any other archive. */
const char *ow_files_zip_type(int fd);
/* Is the ZIP file at fd an OFD document (its central directory holds OFD.xml)? */
bool ow_files_is_ofd(int fd);
/* Documents accept Office 97–2003 files too: OW_FILES_OLE2 when the first bytes are an
 * OLE2 compound file's signature, else NULL; ow_files_ole_type then tells Word, Excel
 * or PowerPoint from the stream names, NULL for any other compound file (an MSI
 * installer is one). */
#define OW_FILES_OLE2 "application/x-ole-storage"
const char *ow_files_sniff_office(const unsigned char *head, size_t n);
const char *ow_files_ole_type(int fd);

/* ---- the store ---- */

/* The temporary file, its content address and ow_blob_put: core/blob.h. */
/* Record a stored content in the blobs table (once per content).  Writer; the file
 * must already be durable (ow_files_tmp_keep). */
int ow_files_blob_record(ow_ctx *cx, const char *sha256, int64_t size, const char *content_type);

/* ---- what an upload accepts (receiving one: files_api.h) ---- */

/* What an upload route accepts: scans of materials (PDF, JPEG, PNG, OFD), or documents
 * for publication (also Word, Excel, PowerPoint in both generations and ZIP archives). */
typedef enum { OW_FILES_ACCEPT_SCANS, OW_FILES_ACCEPT_DOCUMENTS } ow_files_accept;

/* A file name as the user's computer had it (shown and offered back on download): no
 * control characters (CR, LF, tab …) and no bidirectional controls (U+202E makes
 * "exe.pdf" of "fdp.exe"), which are refused with 400, not stripped. */
int ow_files_check_filename(ow_ctx *cx, const char *filename);
/* The 413 error "上传的文件超过{what}（最多 … MB）" on field file. */
int ow_files_too_large(ow_ctx *cx, const char *what, int64_t limit);

/* ---- case materials ---- */

typedef struct ow_material_in {
    int64_t case_id;
    const char *material; /* the guide's material name */
    const char *source;   /* upload, license, wallet */
    const char *sha256;   /* upload, wallet */
    const char *filename;
    const char *content_type;
    int64_t size;
    int64_t license_id;       /* license */
    int64_t from_material_id; /* wallet */
} ow_material_in;

/* Attach a material to a case (checks the actor may attach, the material is in the
 * item's guide); records the blob for an upload; audited.  Writer. */
int ow_files_attach(ow_ctx *cx, const ow_material_in *in, int64_t *id);
/* The materials of a case the actor may see: [{id, material, source, …}]. */
int ow_files_case_json(ow_ctx *cx, int64_t case_id, json_t **out);
/* Bytes already uploaded to a case (the per-case limit). */
int ow_files_case_bytes(ow_ctx *cx, int64_t case_id, int64_t *bytes);
/* The case was accepted: its materials become reusable in the applicant's wallet. */
int ow_files_case_accepted(ow_ctx *cx, int64_t case_id);
/* Reusable materials of a holder (accepted uploads, newest first, one per material
 * name and content); material NULL = all.  [{id, material, filename, …}] */
int ow_files_reusable_json(ow_ctx *cx, const char *holder_idx, const char *material, json_t **out);
/* One reusable material of the holder: its content (for a wallet reference). */
int ow_files_reusable_get(ow_ctx *cx, int64_t id, const char *holder_idx, ow_material_in *out);

/* ---- consistency (onewindow files check) ---- */

typedef struct ow_files_report {
    int64_t blobs, files; /* rows and stored files seen */
    int64_t orphans;      /* stored files without a row */
    int64_t temps;        /* leftover temporary files */
    int64_t missing;      /* rows whose file is gone (cannot be fixed here) */
    int64_t removed;      /* orphans and temporaries removed (--fix) */
} ow_files_report;
/* Walk the store against the blobs table; fix removes orphans and temporaries older
 * than min_age_s (a running server may be between rename and commit). */
int ow_files_check(ow_ctx *cx, bool fix, int min_age_s, ow_files_report *r);

#endif
