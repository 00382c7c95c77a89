/* docs.h — official documents as PDF (and the same model as HTML and JSON), and the
 * register that verifies them.
 *
 * A document is one model: title, number, recipient, a body of paragraphs, headings and
 * tables (with merged cells), the signature (issuer and date), a QR code.  ow_docs_render
 * lays it out on A4 in the shape of GB/T 9704 (党政机关公文格式); ow_docs_render_html and
 * ow_docs_json write the same model for a browser, so a report printed, shown on the
 * portal and exported cannot say different things.  Cairo draws, Pango shapes the Chinese
 * text with Debian's Noto CJK fonts (embedded as subsets), libqrencode makes the code.
 * Rendering is pure: no database, no context; call it on the pool (OW_ON_POOL).
 *
 * ow_docs_register records an issued document under a random verification code;
 * GET /api/v1/verify/{code} answers what was issued, by whom, when, to whom (masked).
 * The issuer registered is the signature line printed (the organisation whose seal the
 * document bears), so the verification page and the paper agree.  Any module that issues
 * a document (notices, 受理通知书, licenses) uses both. */
#ifndef OW_DOCS_DOCS_H
#define OW_DOCS_DOCS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ctx.h"

#define OW_DOCS_CODE_CHARS 20
#define OW_DOCS_MAX_PARAGRAPHS 64
#define OW_DOCS_MAX_BLOCKS 256
#define OW_DOCS_MAX_TABLE_CELLS 1024
#define OW_DOCS_MAX_TABLE_COLS 64

/* How a table cell is set (flags, one per cell): a heading (bold, centred), a label
 * (left-aligned), a figure (centred; the workbook stores it as a number).  A table
 * without flags sets its header rows as headings, column 0 as labels, the rest centred. */
enum { OW_CELL_HEAD = 1, OW_CELL_LEFT = 2, OW_CELL_NUM = 4 };

/* A merged cell: rows × cols cells from (row, col); its text is the first cell's. */
typedef struct ow_doc_span {
    int row, col, rows, cols;
} ow_doc_span;

/* A table of the body.  The same table is drawn in the PDF, written as an HTML <table>
 * (rowspan/colspan, id, data-row on rows, data-col on figures) and, by a caller that
 * wants it, as a worksheet with merged ranges (disclosure/report_xlsx.c): one model, so
 * the renderings cannot drift apart. */
typedef struct ow_doc_table {
    int rows, cols;
    const char *const *cells; /* rows * cols, row-major; NULL or "" = empty */
    const double *col_widths; /* relative widths, cols of them (NULL = equal) */
    int header_rows;          /* repeated at the top of every page the table runs onto */
    const ow_doc_span *spans; /* merged cells, may be NULL */
    size_t nspans;
    const unsigned char *flags;  /* rows * cols OW_CELL_*, or NULL (see above) */
    const char *id;              /* HTML id (requests), or NULL */
    const char *const *row_keys; /* HTML data-row per row (NULL entries: none), or NULL */
    const char *const *col_keys; /* HTML data-col of the figures per column, or NULL */
    const char *sheet;           /* a worksheet's name when the table is exported, or NULL */
    double font_pt;              /* 0 = 10.5 (五号) */
    bool serif;                  /* the body's typeface (a form), else the sans (statistics) */
} ow_doc_table;

/* The body of a document is a sequence of blocks.  Headings follow GB/T 9704's levels
 * (一、 in 黑体, （一） in 楷体 — here Noto Sans CJK bold and Noto Serif CJK bold) and
 * stand on lines of their own, kept on the page of what follows them. */
typedef enum {
    OW_DOC_PARA,     /* body text, the first line indented two characters */
    OW_DOC_HEADING1, /* 一、总体情况 */
    OW_DOC_HEADING2, /* （一）主动公开 */
    OW_DOC_TABLE,
} ow_doc_block_kind;

typedef struct ow_doc_block {
    ow_doc_block_kind kind;
    const char *text;          /* PARA, HEADING1, HEADING2 */
    const ow_doc_table *table; /* TABLE */
} ow_doc_block;

typedef struct ow_doc_notice {
    const char *title;     /* 政府信息部分公开告知书 */
    const char *issuer;    /* 益阳市赫山区政务服务中心: the signature (seal) line */
    const char *number;    /* 赫政信〔2026〕17号; may be NULL */
    const char *recipient; /* 张伟： (may be NULL) */
    const char *const *paragraphs; /* body text, one string per paragraph */
    size_t nparagraphs;
    const ow_doc_block *blocks; /* the rest of the body, after the paragraphs; may be NULL */
    size_t nblocks;
    const char *sign_date;  /* 2026年11月25日; NULL = the issuer line only */
    const char *qr_payload; /* https://…/verify/CODE; NULL = no QR code */
    const char *qr_caption; /* 核验码 CODE, printed under the QR code */
    const char *note;       /* 附注 after the signature block (a rating link); may be NULL */
} ow_doc_notice;

/* Where the renderer put things: for tests and for callers that check a layout. */
typedef struct ow_doc_layout {
    int pages;      /* pages of the PDF */
    int sign_page;  /* the page of the signature block (issuer and date) */
    int qr_page;    /* the page of the QR code; 0 = none */
    int sign_lines; /* body lines and table rows on the signature's page before it */
    int level;      /* 0 = the regular 22 lines a page; 1–3 = tightened to keep one page */
} ow_doc_layout;

/* Render n as an A4 PDF into a malloc'ed buffer (*pdf, free() it), laid out after
 * GB/T 9704: 3号 (16 pt) body on 22 lines a page, the title in 2号 (22 pt), the
 * signature with the issuer centred over the date four characters in from the right,
 * the QR code and its caption beside the signature, always on its page.  A document
 * whose content overflows its first page by little is set tighter (down to 14 pt on
 * 22 pt lines) so it stays on one page; a longer one runs on, and the signature never
 * stands alone on the last page: the last two lines come with it.  A table that fits
 * on a page is not split; a longer one repeats its header rows.  OW_EINVAL for a
 * missing title or issuer or too much content, OW_EINTERNAL when Cairo fails.
 * layout may be NULL. */
int ow_docs_render(const ow_doc_notice *n, unsigned char **pdf, size_t *len, ow_doc_layout *layout,
                   ow_err *e);
/* ow_docs_render without the layout. */
int ow_docs_render_notice(const ow_doc_notice *n, unsigned char **pdf, size_t *len, ow_err *e);

/* The same document as a standalone HTML page (docs_html.c), appended to out. */
void ow_docs_render_html(const ow_doc_notice *n, ow_buf *out);
/* The same document as JSON for a web page to draw: {title, number, recipient,
 * blocks:[{kind:"paragraph"|"heading1"|"heading2", text} | {kind:"table", table:{id,
 * sheet, rows, cols, header_rows, col_widths, cells[][], flags[][], spans:[{row, col,
 * rows, cols}], row_keys, col_keys}}], issuer, sign_date}. */
json_t *ow_docs_json(const ow_doc_notice *n);

/* 2026-11-25 → 2026年11月25日 (out >= 24 bytes). */
void ow_docs_chinese_date(const char *iso_date, char *out, size_t out_size);

/* Register an issued document: writes code (OW_DOCS_CODE_CHARS + 1 bytes). */
typedef struct ow_doc_record {
    const char *kind, *title, *issuer, *number, *recipient_masked, *issued_date;
    const char *object_type, *object_id, *content_hash;
    const char *valid_until; /* YYYY-MM-DD for documents that expire (licenses), or NULL */
    const char *replaces;    /* a correction: the code it replaces (ow_docs_correct), or NULL */
    const char *correction_reason;
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
/* The public answer for a code (masked recipient): status valid, revoked, expired
 * (valid_until before today) or replaced (by a correction); a correction and the
 * document it replaces name each other (replaces / replaced_by: {code, number, title});
 * pdf_sha256 of a frozen document.  OW_ENOTFOUND for an unknown code. */
int ow_docs_verify_json(ow_ctx *cx, const char *code, json_t **out);
/* ---- frozen documents (issue 23): an issued document never changes ----
 *
 * A document is rendered once, when it is issued, and its PDF kept in the
 * content-addressed store (core/blob.h; a row in blobs); the register row names the
 * blob, the issuing module's audit row carries its SHA-256, and every download after
 * that sends the stored bytes with sendfile (ow_docs_reply_frozen, docs_api.h).  A later
 * change of template, data (an org's name), fonts or settings changes only documents
 * issued afterwards.  A mistake is corrected by a new document with its own number that
 * names the one it replaces (ow_docs_correct); /verify shows both. */

/* The frozen PDF of code: sha ("" when not frozen yet) and its size; *title (may be
 * NULL) the document's title, in cx's arena.  OW_ENOTFOUND for an unknown code. */
int ow_docs_frozen(ow_ctx *cx, const char *code, char sha[65], int64_t *size, const char **title);
/* Pool or writer: keep the rendered bytes in the store (durable before any row names
 * them); sha gets their SHA-256. */
int ow_docs_keep_pdf(ow_ctx *cx, const unsigned char *pdf, size_t len, char sha[65]);
/* Writer: record the kept bytes as code's frozen PDF.  The first freeze wins: when code
 * was frozen already (two first downloads at once), *frozen_sha is the earlier one and
 * *won false; the caller sends what *frozen_sha names. */
int ow_docs_freeze(ow_ctx *cx, const char *code, const char *sha, int64_t size, char frozen_sha[65],
                   bool *won);
/* Open a frozen PDF for sending: *fd (close it, or give it to ow_reply_file) and its
 * size.  OW_EIO when the blob is gone from the store. */
int ow_docs_open_pdf(ow_ctx *cx, const char *sha, int *fd, uint64_t *size);
/* Writer: issue a correction of code — a new register entry with a new number in the
 * same series (prefix of the old number, this year) that names the one it replaces,
 * which is marked replaced.  The new one is rendered and frozen by its module the first
 * time it is asked for.  reason is required (at most 200 characters).  OW_ENOTFOUND,
 * OW_ECONFLICT when code was replaced or revoked already. */
int ow_docs_correct(ow_ctx *cx, const char *code, const char *reason,
                    char new_code[OW_DOCS_CODE_CHARS + 1], const char **new_number);
/* Every registered document of object_type not frozen yet (onewindow docs freeze). */
int ow_docs_each_unfrozen(ow_ctx *cx, const char *object_type,
                          int (*fn)(void *arg, const char *code, const char *kind,
                                    const char *object_id),
                          void *arg);

/* The verification URL printed on documents: {base}/verify/{code}, base without a
 * trailing slash (cfg.public_url, or http://Host of the request: ow_docs_public_base). */
void ow_docs_verify_url(const char *base, const char *code, char *out, size_t out_size);

#endif
