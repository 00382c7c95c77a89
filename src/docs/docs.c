/* docs.c — A4 official notices as PDF (Cairo + Pango + libqrencode) and the register
 * of issued documents behind /verify/{code}.  See docs.h for the shape of a notice.
 *
 * Layout follows GB/T 9704 loosely: margins 37/26/35/28 mm (top/right/bottom/left),
 * a serif body (Noto Serif CJK SC standing in for 仿宋) with a two-character first-
 * line indent, the title centred in the bold serif (for 小标宋), the issuer and date
 * right-aligned four characters in from the margin, "— n —" page numbers.  Text is
 * flowed line by line so long paragraphs and tables break across pages.  Fonts come
 * from fontconfig; Cairo embeds the subset of glyphs used, so the PDF reads the same
 * on a machine without CJK fonts. */
#include "docs/docs.h"
#include "docs/docs_api.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/workdays.h"
#include "core/crypto.h"
#include "store/db.h"

#define MM_PT (72.0 / 25.4)
#define PAGE_W_PT 595.276
#define PAGE_H_PT 841.890
#define MARGIN_TOP_PT (37 * MM_PT)
#define MARGIN_RIGHT_PT (26 * MM_PT)
#define MARGIN_BOTTOM_PT (35 * MM_PT)
#define MARGIN_LEFT_PT (28 * MM_PT)
#define BODY_PT 14.0
#define LINE_GAP_PT 5.0
#define QR_SIZE_PT 96.0

#define FONT_TITLE "Noto Serif CJK SC Bold 20"
#define FONT_BODY "Noto Serif CJK SC 14"
#define FONT_SMALL "Noto Sans CJK SC 9"
#define FONT_TABLE "Noto Sans CJK SC 8.5"
#define FONT_TABLE_BOLD "Noto Sans CJK SC Bold 8.5"

typedef struct out_buf {
    unsigned char *p;
    size_t len, cap;
    bool oom;
} out_buf;

static cairo_status_t out_write(void *closure, const unsigned char *data, unsigned int n) {
    out_buf *b = closure;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return CAIRO_STATUS_SUCCESS;
}

typedef struct render {
    cairo_t *cr;
    double y;
    int page;
    double left, right, top, bottom, width;
} render;

static PangoLayout *new_layout(render *r, const char *font, double width_pt) {
    PangoLayout *lay = pango_cairo_create_layout(r->cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(lay, (int)(width_pt * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    return lay;
}

static void page_footer(render *r) {
    char num[32];
    snprintf(num, sizeof num, "— %d —", r->page);
    PangoLayout *lay = new_layout(r, "Noto Serif CJK SC 12", r->width);
    pango_layout_set_alignment(lay, PANGO_ALIGN_CENTER);
    pango_layout_set_text(lay, num, -1);
    cairo_move_to(r->cr, r->left, PAGE_H_PT - MARGIN_BOTTOM_PT + 20);
    pango_cairo_show_layout(r->cr, lay);
    g_object_unref(lay);
}

static void new_page(render *r) {
    page_footer(r);
    cairo_show_page(r->cr);
    r->page++;
    r->y = r->top;
}

/* Draw a layout line by line from r->y, starting a new page when a line would cross
 * the bottom margin; extra_gap is added after every line. */
static void flow(render *r, PangoLayout *lay, double x, double extra_gap) {
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    do {
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        double h = log.height / (double)PANGO_SCALE;
        if (r->y + h > r->bottom) new_page(r);
        int baseline = pango_layout_iter_get_baseline(it);
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        cairo_move_to(r->cr, x + log.x / (double)PANGO_SCALE,
                      r->y + (baseline - log.y) / (double)PANGO_SCALE);
        pango_cairo_show_layout_line(r->cr, line);
        r->y += h + extra_gap;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

static void text_block(render *r, const char *font, const char *text, PangoAlignment align,
                       double indent_pt, double right_inset_pt, double gap) {
    PangoLayout *lay = new_layout(r, font, r->width - right_inset_pt);
    pango_layout_set_alignment(lay, align);
    pango_layout_set_indent(lay, (int)(indent_pt * PANGO_SCALE));
    pango_layout_set_text(lay, text, -1);
    flow(r, lay, r->left, gap);
    g_object_unref(lay);
}

static void draw_table(render *r, const ow_doc_table *t) {
    double total = 0;
    for (int c = 0; c < t->cols; c++)
        total += t->col_widths ? t->col_widths[c] : 1.0;
    double pad = 3.0;
    for (int row = 0; row < t->rows; row++) {
        PangoLayout *lays[64];
        double xs[64], ws[64], rowh = 0, x = r->left;
        int cols = t->cols > 64 ? 64 : t->cols;
        for (int c = 0; c < cols; c++) {
            ws[c] = r->width * (t->col_widths ? t->col_widths[c] : 1.0) / total;
            xs[c] = x;
            x += ws[c];
            const char *txt = t->cells[row * t->cols + c];
            lays[c] =
                new_layout(r, row < t->header_rows ? FONT_TABLE_BOLD : FONT_TABLE, ws[c] - 2 * pad);
            pango_layout_set_alignment(lays[c], c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
            pango_layout_set_text(lays[c], txt ? txt : "", -1);
            int w, h;
            pango_layout_get_size(lays[c], &w, &h);
            double hh = h / (double)PANGO_SCALE + 2 * pad;
            if (hh > rowh) rowh = hh;
        }
        if (r->y + rowh > r->bottom) new_page(r);
        cairo_set_line_width(r->cr, 0.6);
        for (int c = 0; c < cols; c++) {
            cairo_rectangle(r->cr, xs[c], r->y, ws[c], rowh);
            cairo_stroke(r->cr);
            int w, h;
            pango_layout_get_size(lays[c], &w, &h);
            cairo_move_to(r->cr, xs[c] + pad, r->y + (rowh - h / (double)PANGO_SCALE) / 2);
            pango_cairo_show_layout(r->cr, lays[c]);
            g_object_unref(lays[c]);
        }
        r->y += rowh;
    }
    r->y += 8;
}

/* The QR code with a four-module quiet zone, black modules as filled squares. */
static int draw_qr(render *r, const char *payload, const char *caption, ow_err *e) {
    QRcode *q = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return ow_err_set(e, OW_EINTERNAL, "qr", "二维码生成失败");
    double need = QR_SIZE_PT + 10;
    if (r->y + need > r->bottom) new_page(r);
    int w = q->width, quiet = 4;
    double m = QR_SIZE_PT / (w + 2 * quiet);
    double x0 = r->left, y0 = r->y;
    cairo_set_source_rgb(r->cr, 1, 1, 1);
    cairo_rectangle(r->cr, x0, y0, QR_SIZE_PT, QR_SIZE_PT);
    cairo_fill(r->cr);
    cairo_set_source_rgb(r->cr, 0, 0, 0);
    for (int yy = 0; yy < w; yy++)
        for (int xx = 0; xx < w; xx++)
            if (q->data[yy * w + xx] & 1)
                cairo_rectangle(r->cr, x0 + (xx + quiet) * m, y0 + (yy + quiet) * m, m, m);
    cairo_fill(r->cr);
    QRcode_free(q);
    if (caption) {
        PangoLayout *lay = new_layout(r, FONT_SMALL, r->width - QR_SIZE_PT - 12);
        pango_layout_set_text(lay, caption, -1);
        cairo_move_to(r->cr, x0 + QR_SIZE_PT + 12, y0 + 16);
        pango_cairo_show_layout(r->cr, lay);
        g_object_unref(lay);
    }
    r->y += need;
    return OW_OK;
}

int ow_docs_render_notice(const ow_doc_notice *n, unsigned char **pdf, size_t *len, ow_err *e) {
    *pdf = NULL;
    *len = 0;
    if (!n->title || !*n->title) return ow_err_set(e, OW_EINVAL, "title", "文书标题不能为空");
    if (!n->issuer || !*n->issuer) return ow_err_set(e, OW_EINVAL, "issuer", "发文机关不能为空");
    if (n->nparagraphs > OW_DOCS_MAX_PARAGRAPHS || n->nclosing > OW_DOCS_MAX_PARAGRAPHS)
        return ow_err_set(e, OW_EINVAL, "paragraphs", "正文段落过多（最多 %d 段）",
                          OW_DOCS_MAX_PARAGRAPHS);
    for (size_t i = 0; i < n->ntables; i++)
        if (n->tables[i].rows * n->tables[i].cols > OW_DOCS_MAX_TABLE_CELLS ||
            n->tables[i].cols > 64)
            return ow_err_set(e, OW_EINVAL, "tables", "表格过大");

    out_buf ob = {0};
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(out_write, &ob, PAGE_W_PT, PAGE_H_PT);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, n->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, n->issuer);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "onewindow");
    render r = {.cr = cairo_create(s),
                .page = 1,
                .left = MARGIN_LEFT_PT,
                .right = PAGE_W_PT - MARGIN_RIGHT_PT,
                .top = MARGIN_TOP_PT,
                .bottom = PAGE_H_PT - MARGIN_BOTTOM_PT};
    r.width = r.right - r.left;
    r.y = r.top;
    cairo_set_source_rgb(r.cr, 0, 0, 0);

    text_block(&r, FONT_TITLE, n->title, PANGO_ALIGN_CENTER, 0, 0, 6);
    if (n->number && *n->number) text_block(&r, FONT_BODY, n->number, PANGO_ALIGN_CENTER, 0, 0, 0);
    r.y += BODY_PT;
    if (n->recipient && *n->recipient)
        text_block(&r, FONT_BODY, n->recipient, PANGO_ALIGN_LEFT, 0, 0, LINE_GAP_PT);
    for (size_t i = 0; i < n->nparagraphs; i++)
        text_block(&r, FONT_BODY, n->paragraphs[i], PANGO_ALIGN_LEFT, 2 * BODY_PT, 0, LINE_GAP_PT);
    for (size_t i = 0; i < n->ntables; i++) {
        if (n->table_captions && n->table_captions[i])
            text_block(&r, "Noto Sans CJK SC Bold 11", n->table_captions[i], PANGO_ALIGN_LEFT, 0, 0,
                       4);
        draw_table(&r, &n->tables[i]);
    }
    for (size_t i = 0; i < n->nclosing; i++)
        text_block(&r, FONT_BODY, n->closing[i], PANGO_ALIGN_LEFT, 2 * BODY_PT, 0, LINE_GAP_PT);
    /* signature block: two blank lines, then issuer and date, right-aligned and kept
     * together on one page */
    r.y += 2 * BODY_PT;
    if (r.y + 3 * (BODY_PT + 10) > r.bottom) new_page(&r);
    text_block(&r, FONT_BODY, n->issuer, PANGO_ALIGN_RIGHT, 0, 4 * BODY_PT, LINE_GAP_PT);
    if (n->sign_date)
        text_block(&r, FONT_BODY, n->sign_date, PANGO_ALIGN_RIGHT, 0, 4 * BODY_PT, LINE_GAP_PT);
    int rc = OW_OK;
    if (n->qr_payload && *n->qr_payload) {
        r.y += BODY_PT;
        rc = draw_qr(&r, n->qr_payload, n->qr_caption, e);
    }
    page_footer(&r);
    cairo_status_t cst = cairo_status(r.cr);
    cairo_destroy(r.cr);
    cairo_surface_finish(s);
    if (cst == CAIRO_STATUS_SUCCESS) cst = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (!rc && (cst != CAIRO_STATUS_SUCCESS || ob.oom))
        rc = ow_err_set(e, ob.oom ? OW_ENOMEM : OW_EINTERNAL, "", "PDF 生成失败：%s",
                        cairo_status_to_string(cst));
    if (rc) {
        free(ob.p);
        return rc;
    }
    *pdf = ob.p;
    *len = ob.len;
    return OW_OK;
}

void ow_docs_chinese_date(const char *iso_date, char *out, size_t out_size) {
    int32_t d;
    if (!iso_date || ow_date_parse(iso_date, &d)) {
        snprintf(out, out_size, "%s", iso_date ? iso_date : "");
        return;
    }
    int y, m, dd;
    ow_date_ymd(d, &y, &m, &dd);
    snprintf(out, out_size, "%d年%d月%d日", y, m, dd);
}

/* ======================= register ======================= */

static const char code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

int ow_docs_register(ow_ctx *cx, const ow_doc_record *r, char code[OW_DOCS_CODE_CHARS + 1]) {
    unsigned char rnd[OW_DOCS_CODE_CHARS];
    randombytes_buf(rnd, sizeof rnd);
    for (int i = 0; i < OW_DOCS_CODE_CHARS; i++)
        code[i] = code_alphabet[rnd[i] & 31];
    code[OW_DOCS_CODE_CHARS] = '\0';
    static const char *sql =
        "INSERT INTO documents(code, kind, title, issuer, number, recipient, issued_date,"
        " object_type, object_id, sha256, created_at, valid_until) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    const char *v[] = {code,
                       r->kind,
                       r->title,
                       r->issuer,
                       r->number ? r->number : "",
                       r->recipient_masked ? r->recipient_masked : "",
                       r->issued_date,
                       r->object_type,
                       r->object_id,
                       r->content_hash ? r->content_hash : ""};
    for (int i = 0; i < 10; i++)
        sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 11, ow_clock_now_ms(cx->clock));
    if (r->valid_until)
        sqlite3_bind_text(st, 12, r->valid_until, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 12);
    if (sqlite3_step(st) != SQLITE_DONE) return ow_db_fail(cx->db, "document insert", &cx->err);
    sqlite3_reset(st);
    return OW_OK;
}

int ow_docs_revoke(ow_ctx *cx, const char *code, const char *reason) {
    static const char *sql = "UPDATE documents SET revoked = 1, revoke_reason = ? WHERE code = ?";
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_text(st, 1, reason ? reason : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) return ow_db_fail(cx->db, "document revoke", &cx->err);
    if (!sqlite3_changes(ow_db_handle(cx->db)))
        return ow_err_set(&cx->err, OW_ENOTFOUND, "code", "核验码不存在");
    return OW_OK;
}

int ow_docs_find(ow_ctx *cx, const char *kind, const char *object_type, const char *object_id,
                 char code[OW_DOCS_CODE_CHARS + 1]) {
    static const char *sql = "SELECT code FROM documents WHERE object_type = ? AND object_id = ?"
                             " AND kind = ? ORDER BY created_at DESC LIMIT 1";
    code[0] = '\0';
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_text(st, 1, object_type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, object_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, kind, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(code, OW_DOCS_CODE_CHARS + 1, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return ow_db_fail(cx->db, "document find", &cx->err);
    return OW_OK;
}

int ow_docs_next_number(ow_ctx *cx, const char *prefix, int year, char *out, size_t out_size) {
    static const char *sql =
        "INSERT INTO doc_number_seq(prefix, year, last) VALUES(?1, ?2, 1)"
        " ON CONFLICT(prefix, year) DO UPDATE SET last = last + 1 RETURNING last";
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, year);
    if (sqlite3_step(st) != SQLITE_ROW) return ow_db_fail(cx->db, "doc number", &cx->err);
    int n = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    snprintf(out, out_size, "%s〔%d〕%d号", prefix, year, n);
    return OW_OK;
}

int ow_docs_verify_json(ow_ctx *cx, const char *code, json_t **out) {
    if (!code || strlen(code) != OW_DOCS_CODE_CHARS ||
        strspn(code, code_alphabet) != OW_DOCS_CODE_CHARS)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "code", "核验码不存在，该文书不是本平台出具的");
    static const char *sql =
        "SELECT kind, title, issuer, number, recipient, issued_date, revoked,"
        " coalesce(valid_until, ''), coalesce(revoke_reason, '') FROM documents WHERE code = ?";
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return ow_err_set(&cx->err, OW_ENOTFOUND, "code", "核验码不存在，该文书不是本平台出具的");
    }
    if (rc != SQLITE_ROW) return ow_db_fail(cx->db, "verify", &cx->err);
#define C(i) ((const char *)sqlite3_column_text(st, i))
    *out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "code", code, "kind", C(0), "title", C(1),
                     "issuer", C(2), "number", C(3), "recipient", C(4), "issued_date", C(5),
                     "valid", sqlite3_column_int(st, 6) == 0);
    /* current or not: revoked, or past its validity (Shanghai date, ISO strings compare) */
    const char *until = C(7);
    char today[11];
    ow_date_format(ow_date_today_shanghai(ow_clock_now_ms(cx->clock)), today);
    const char *status = sqlite3_column_int(st, 6)              ? "revoked"
                         : (*until && strcmp(until, today) < 0) ? "expired"
                                                                : "valid";
    json_object_set_new(*out, "status", json_string(status));
    json_object_set_new(*out, "valid", json_boolean(!strcmp(status, "valid")));
    /* a license always says how long it is valid: null = 长期 (docs/api.md) */
    if (*until)
        json_object_set_new(*out, "valid_until", json_string(until));
    else if (!strcmp(C(0), "license"))
        json_object_set_new(*out, "valid_until", json_null());
    if (sqlite3_column_int(st, 6) && *C(8))
        json_object_set_new(*out, "revoke_reason", json_string(C(8)));
#undef C
    sqlite3_reset(st);
    return OW_OK;
}

void ow_docs_verify_url(const char *base, const char *code, char *out, size_t out_size) {
    snprintf(out, out_size, "%s/verify/%s", base, code);
}

const char *ow_docs_public_base(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    const char *pub = cx->app->cfg.public_url;
    if (*pub) {
        size_t n = strlen(pub);
        while (n && pub[n - 1] == '/')
            n--;
        return ow_strndup(cx->arena, pub, n);
    }
    const char *host = ow_req_header(rq, "Host");
    /* Only characters a host[:port] may hold, so a forged header cannot inject text. */
    if (!host || !*host || strlen(host) > 200 ||
        strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
            strlen(host))
        host = cx->app->cfg.listen;
    return ow_sprintf(cx->arena, "http://%s", host);
}

static int api_verify(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_docs_verify_json(ow_req_ctx(rq), ow_req_param(rq, "code"), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

const ow_route ow_docs_routes[] = {
    {"GET", "/api/v1/verify/{code}", api_verify, OW_INLINE, OW_R_PUBLIC},
};
const size_t ow_docs_routes_n = sizeof ow_docs_routes / sizeof ow_docs_routes[0];
