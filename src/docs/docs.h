/* docs.h — official documents as PDF, and the register that verifies them.
 *
 * ow_docs_render_notice lays out an A4 notice in the shape of GB/T 9704 (党政机关
 * 公文格式): title, document number, recipient, body paragraphs with a two-character
 * indent, the issuing organisation and date at the bottom right, page numbers, and a
 * QR code that leads to /verify/{code}.  Cairo draws, Pango shapes the Chinese text
 * with Debian's Noto CJK fonts (embedded as subsets), libqrencode makes the code.
 * It is pure: no database, no context; call it on the pool (OW_ON_POOL).
 *
 * ow_docs_register records an issued document under a random verification code;
 * GET /api/v1/verify/{code} answers what was issued, by whom, when, to whom (masked).
 * Any module that issues a document (notices, 受理通知书, licenses) uses both. */
#ifndef OW_DOCS_DOCS_H
#define OW_DOCS_DOCS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

#define OW_DOCS_CODE_CHARS 20
#define OW_DOCS_MAX_PARAGRAPHS 64
#define OW_DOCS_MAX_TABLE_CELLS 1024

/* An optional table after the paragraphs (the annual report uses it). */
typedef struct ow_doc_table {
    int rows, cols;
    const char *const *cells; /* rows * cols, row-major; NULL or "" = empty */
    const double *col_widths; /* relative widths, cols of them (NULL = equal) */
    int header_rows;          /* drawn bold */
} ow_doc_table;

typedef struct ow_doc_notice {
    const char *title;             /* 政府信息部分公开告知书 */
    const char *issuer;            /* 益阳市赫山区政务服务中心 */
    const char *number;            /* 赫政信〔2026〕17号; may be NULL */
    const char *recipient;         /* 张伟： (may be NULL) */
    const char *const *paragraphs; /* body text, one string per paragraph */
    size_t nparagraphs;
    const ow_doc_table *tables; /* optional, drawn after paragraphs */
    size_t ntables;
    const char *const *table_captions; /* one per table, may be NULL */
    const char *const *closing;        /* paragraphs after the tables, may be NULL */
    size_t nclosing;
    const char *sign_date;  /* 2026年11月25日 */
    const char *qr_payload; /* https://…/verify/CODE; NULL = no QR code */
    const char *qr_caption; /* 扫码核验 … */
} ow_doc_notice;

/* Render n as PDF into a malloc'ed buffer (*pdf, free() it).  OW_EINVAL for a
 * missing title or issuer or too many paragraphs, OW_EINTERNAL when Cairo fails. */
int ow_docs_render_notice(const ow_doc_notice *n, unsigned char **pdf, size_t *len, ow_err *e);

/* 2026-11-25 → 2026年11月25日 (out >= 24 bytes). */
void ow_docs_chinese_date(const char *iso_date, char *out, size_t out_size);

/* Register an issued document: writes code (OW_DOCS_CODE_CHARS + 1 bytes). */
typedef struct ow_doc_record {
    const char *kind, *title, *issuer, *number, *recipient_masked, *issued_date;
    const char *object_type, *object_id, *content_hash;
    const char *valid_until; /* YYYY-MM-DD for documents that expire (licenses), or NULL */
} ow_doc_record;
int ow_docs_register(ow_ctx *cx, const ow_doc_record *r, char code[OW_DOCS_CODE_CHARS + 1]);
/* Mark a registered document revoked (a revoked license); the reason is shown on
 * the verification page.  OW_ENOTFOUND for an unknown code. */
int ow_docs_revoke(ow_ctx *cx, const char *code, const char *reason);
/* The code already registered for (object_type, object_id, kind), or "" (code[0] = 0). */
int ow_docs_find(ow_ctx *cx, const char *kind, const char *object_type, const char *object_id,
                 char code[OW_DOCS_CODE_CHARS + 1]);
/* Next document number for a prefix in a year: "赫政信〔2026〕17号". */
int ow_docs_next_number(ow_ctx *cx, const char *prefix, int year, char *out, size_t out_size);
/* The public answer for a code (masked recipient): status valid, revoked or expired
 * (valid_until before today); OW_ENOTFOUND for an unknown code. */
int ow_docs_verify_json(ow_ctx *cx, const char *code, json_t **out);
/* The verification URL printed on documents: {base}/verify/{code}, base without a
 * trailing slash (cfg.public_url, or http://Host of the request: ow_docs_public_base). */
void ow_docs_verify_url(const char *base, const char *code, char *out, size_t out_size);

#endif
