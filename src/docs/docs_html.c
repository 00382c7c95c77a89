/* docs_html.c — a document (docs.h) as an HTML page and as JSON: the same model the PDF
 * is drawn from, so the three renderings of a report cannot disagree.  Tables keep their
 * merged cells (rowspan, colspan), their id, data-row on rows and data-col on figures,
 * so a page or a test can read a figure by the row and column the template names. */
#include "docs/docs.h"

#include <string.h>

static void esc(ow_buf *b, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            ow_buf_puts(b, "&amp;");
            break;
        case '<':
            ow_buf_puts(b, "&lt;");
            break;
        case '>':
            ow_buf_puts(b, "&gt;");
            break;
        case '"':
            ow_buf_puts(b, "&quot;");
            break;
        case '\n':
            ow_buf_puts(b, "<br>");
            break;
        default:
            ow_buf_putc(b, *s);
        }
    }
}

static unsigned flags_of(const ow_doc_table *t, int row, int col) {
    if (t->flags) return t->flags[row * t->cols + col];
    if (row < t->header_rows) return OW_CELL_HEAD;
    return col == 0 ? OW_CELL_LEFT : 0;
}

/* The span whose top-left cell is (row, col): its index; -2 when (row, col) is covered
 * by another cell's span; -1 for a plain cell. */
static int span_at(const ow_doc_table *t, int row, int col) {
    for (size_t s = 0; s < t->nspans; s++) {
        const ow_doc_span *sp = &t->spans[s];
        if (sp->row == row && sp->col == col) return (int)s;
        if (row >= sp->row && row < sp->row + sp->rows && col >= sp->col &&
            col < sp->col + sp->cols)
            return -2;
    }
    return -1;
}

static void table_html(ow_buf *b, const ow_doc_table *t) {
    ow_buf_puts(b, "<table");
    if (t->id) {
        ow_buf_puts(b, " id=\"");
        esc(b, t->id);
        ow_buf_putc(b, '"');
    }
    ow_buf_puts(b, ">\n");
    for (int row = 0; row < t->rows; row++) {
        const char *key = t->row_keys ? t->row_keys[row] : NULL;
        if (key) {
            ow_buf_puts(b, "<tr data-row=\"");
            esc(b, key);
            ow_buf_puts(b, "\">");
        } else {
            ow_buf_puts(b, "<tr>");
        }
        for (int col = 0; col < t->cols; col++) {
            int s = span_at(t, row, col);
            if (s == -2) continue;
            unsigned fl = flags_of(t, row, col);
            const char *tag = fl & OW_CELL_HEAD ? "th" : "td";
            ow_buf_printf(b, "<%s", tag);
            if (s >= 0 && t->spans[s].rows > 1)
                ow_buf_printf(b, " rowspan=\"%d\"", t->spans[s].rows);
            if (s >= 0 && t->spans[s].cols > 1)
                ow_buf_printf(b, " colspan=\"%d\"", t->spans[s].cols);
            if (fl & OW_CELL_LEFT) ow_buf_puts(b, " class=\"l\"");
            if ((fl & OW_CELL_NUM) && t->col_keys && t->col_keys[col]) {
                ow_buf_puts(b, " data-col=\"");
                esc(b, t->col_keys[col]);
                ow_buf_putc(b, '"');
            }
            ow_buf_putc(b, '>');
            esc(b, t->cells[row * t->cols + col]);
            ow_buf_printf(b, "</%s>", tag);
        }
        ow_buf_puts(b, "</tr>\n");
    }
    ow_buf_puts(b, "</table>\n");
}

void ow_docs_render_html(const ow_doc_notice *n, ow_buf *b) {
    ow_buf_puts(b,
                "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    esc(b, n->title);
    ow_buf_puts(
        b, "</title><style>"
           "body{font-family:'Noto Serif CJK SC','Songti SC',serif;max-width:960px;margin:2em auto;"
           "padding:0 1em;line-height:1.8;font-size:16px}"
           "h1{text-align:center;font-size:1.6em;font-weight:bold;margin:1em 0}"
           "h2{font-family:'Noto Sans CJK SC','Heiti SC',sans-serif;font-size:1em;text-indent:2em;"
           "margin:.6em 0}h3{font-size:1em;text-indent:2em;margin:.4em 0}"
           "p{text-indent:2em;margin:.3em 0}p.number{text-align:center;text-indent:0}"
           "p.recipient{text-indent:0}"
           "table{border-collapse:collapse;width:100%;margin:.6em 0 1.2em;font-size:14px;"
           "font-family:'Noto Sans CJK SC',sans-serif;line-height:1.5}"
           "td,th{border:1px solid #333;padding:4px 6px;text-align:center}th{font-weight:bold}"
           ".l{text-align:left}.sign{margin:2em 4em 1em auto;width:max-content;text-align:center}"
           ".sign p{text-indent:0;margin:0}"
           "</style></head><body>\n<article>\n<h1>");
    esc(b, n->title);
    ow_buf_puts(b, "</h1>\n");
    if (n->number && *n->number) {
        ow_buf_puts(b, "<p class=\"number\">");
        esc(b, n->number);
        ow_buf_puts(b, "</p>\n");
    }
    if (n->recipient && *n->recipient) {
        ow_buf_puts(b, "<p class=\"recipient\">");
        esc(b, n->recipient);
        ow_buf_puts(b, "</p>\n");
    }
    for (size_t i = 0; i < n->nparagraphs; i++) {
        ow_buf_puts(b, "<p>");
        esc(b, n->paragraphs[i]);
        ow_buf_puts(b, "</p>\n");
    }
    for (size_t i = 0; i < n->nblocks; i++) {
        const ow_doc_block *k = &n->blocks[i];
        switch (k->kind) {
        case OW_DOC_TABLE:
            table_html(b, k->table);
            break;
        case OW_DOC_HEADING1:
        case OW_DOC_HEADING2:
            ow_buf_puts(b, k->kind == OW_DOC_HEADING1 ? "<h2>" : "<h3>");
            esc(b, k->text);
            ow_buf_puts(b, k->kind == OW_DOC_HEADING1 ? "</h2>\n" : "</h3>\n");
            break;
        case OW_DOC_PARA:
            ow_buf_puts(b, "<p>");
            esc(b, k->text);
            ow_buf_puts(b, "</p>\n");
            break;
        }
    }
    ow_buf_puts(b, "<div class=\"sign\"><p class=\"issuer\">");
    esc(b, n->issuer);
    ow_buf_puts(b, "</p>");
    if (n->sign_date && *n->sign_date) {
        ow_buf_puts(b, "<p class=\"date\">");
        esc(b, n->sign_date);
        ow_buf_puts(b, "</p>");
    }
    ow_buf_puts(b, "</div>\n</article>\n</body></html>\n");
}

static json_t *str_or_null(const char *s) {
    return s ? json_string(s) : json_null();
}

static json_t *table_json(const ow_doc_table *t) {
    json_t *cells = json_array(), *flags = json_array(), *widths = json_array(),
           *spans = json_array(), *rk = json_array(), *ck = json_array();
    for (int row = 0; row < t->rows; row++) {
        json_t *cr = json_array(), *fr = json_array();
        for (int col = 0; col < t->cols; col++) {
            const char *s = t->cells[row * t->cols + col];
            json_array_append_new(cr, json_string(s ? s : ""));
            json_array_append_new(fr, json_integer(flags_of(t, row, col)));
        }
        json_array_append_new(cells, cr);
        json_array_append_new(flags, fr);
        json_array_append_new(rk, str_or_null(t->row_keys ? t->row_keys[row] : NULL));
    }
    for (int col = 0; col < t->cols; col++) {
        json_array_append_new(widths, json_real(t->col_widths ? t->col_widths[col] : 1.0));
        json_array_append_new(ck, str_or_null(t->col_keys ? t->col_keys[col] : NULL));
    }
    for (size_t s = 0; s < t->nspans; s++)
        json_array_append_new(spans, json_pack("{s:i,s:i,s:i,s:i}", "row", t->spans[s].row, "col",
                                               t->spans[s].col, "rows", t->spans[s].rows, "cols",
                                               t->spans[s].cols));
    return json_pack("{s:o,s:o,s:i,s:i,s:i,s:o,s:o,s:o,s:o,s:o,s:o}", "id", str_or_null(t->id),
                     "sheet", str_or_null(t->sheet), "rows", t->rows, "cols", t->cols,
                     "header_rows", t->header_rows, "col_widths", widths, "cells", cells, "flags",
                     flags, "spans", spans, "row_keys", rk, "col_keys", ck);
}

json_t *ow_docs_json(const ow_doc_notice *n) {
    json_t *blocks = json_array();
    for (size_t i = 0; i < n->nparagraphs; i++)
        json_array_append_new(
            blocks, json_pack("{s:s,s:s}", "kind", "paragraph", "text", n->paragraphs[i]));
    static const char *const kinds[] = {"paragraph", "heading1", "heading2", "table"};
    for (size_t i = 0; i < n->nblocks; i++) {
        const ow_doc_block *k = &n->blocks[i];
        json_array_append_new(
            blocks,
            k->kind == OW_DOC_TABLE
                ? json_pack("{s:s,s:o}", "kind", "table", "table", table_json(k->table))
                : json_pack("{s:s,s:s}", "kind", kinds[k->kind], "text", k->text ? k->text : ""));
    }
    return json_pack("{s:s,s:o,s:o,s:o,s:s,s:o}", "title", n->title, "number",
                     str_or_null(n->number), "recipient", str_or_null(n->recipient), "blocks",
                     blocks, "issuer", n->issuer, "sign_date", str_or_null(n->sign_date));
}
