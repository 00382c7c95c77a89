/* export.c — a statistics table (report.h) as CSV or XLSX, and a plain list sheet.
 *
 * CSV: RFC 4180 quoting, CRLF line ends, a UTF-8 byte-order mark so Excel on a
 * Chinese Windows opens it without garbling the headings.  XLSX: libxlsxwriter,
 * which writes to a file only (its memory output came after Debian 12's 1.1.4), so
 * the workbook goes to a private temporary file that is read back and removed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/csv.h"
#include "report/report.h"

typedef struct mbuf {
    char *p;
    size_t len, cap;
} mbuf;

static void put(mbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) abort(); /* as the arena does: nothing useful is left to do */
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void put_sink(void *sink, const char *s, size_t n) {
    put(sink, s, n);
}

/* Text through the shared writer (core/csv.h), which keeps formulas out of spreadsheets. */
static void put_cell(mbuf *b, const char *s, bool text) {
    ow_csv_cell(put_sink, b, s, text);
}

/* A cell's text: numbers as JSON writes them, null as empty. */
static void cell_text(const json_t *v, char *out, size_t n) {
    if (json_is_string(v))
        snprintf(out, n, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(out, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(out, n, "%.1f", json_real_value(v));
    else
        out[0] = '\0';
}

static void csv_row(mbuf *b, const json_t *cols, const json_t *row) {
    size_t i;
    json_t *c;
    json_array_foreach(cols, i, c) {
        if (i) put(b, ",", 1);
        char t[512];
        const json_t *v = json_object_get(row, json_string_value(json_object_get(c, "key")));
        cell_text(v, t, sizeof t);
        put_cell(b, t, json_is_string(v)); /* a number stays a number, -5 too */
    }
    put(b, "\r\n", 2);
}

int ow_table_csv(const json_t *table, char **out, size_t *len, ow_err *e) {
    (void)e;
    mbuf b = {0};
    put(&b, "\xEF\xBB\xBF", 3);
    const json_t *cols = json_object_get(table, "columns");
    size_t i;
    json_t *c, *row;
    json_array_foreach(cols, i, c) {
        if (i) put(&b, ",", 1);
        put_cell(&b, json_string_value(json_object_get(c, "title")), true);
    }
    put(&b, "\r\n", 2);
    json_array_foreach(json_object_get(table, "rows"), i, row) csv_row(&b, cols, row);
    if (json_object_get(table, "total")) csv_row(&b, cols, json_object_get(table, "total"));
    *out = b.p;
    *len = b.len;
    return OW_OK;
}

static int xlsx_fail(ow_err *e, const char *what) {
    return ow_err_set(e, OW_EIO, "", "生成 Excel 文件失败（%s）", what);
}

/* Close the workbook (libxlsxwriter writes the file then) and read the file back. */
static int workbook_bytes(lxw_workbook *wb, const char *path, char **out, size_t *len, ow_err *e) {
    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        return xlsx_fail(e, "close");
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        unlink(path);
        return xlsx_fail(e, "read");
    }
    mbuf b = {0};
    char chunk[16384];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        put(&b, chunk, n);
    fclose(f);
    unlink(path);
    *out = b.p;
    *len = b.len;
    return OW_OK;
}

int ow_table_xlsx(const json_t *table, const char *tmp_dir, char **out, size_t *len, ow_err *e) {
    char path[600];
    snprintf(path, sizeof path, "%s/ow-export-XXXXXX", tmp_dir);
    int fd = mkstemp(path);
    if (fd < 0) return ow_err_set(e, OW_EIO, "", "无法创建临时文件：%s", strerror(errno));
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        unlink(path);
        return xlsx_fail(e, "workbook");
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "统计");
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDE6F0);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    const json_t *cols = json_object_get(table, "columns");
    const char *title = json_string_value(json_object_get(table, "title"));
    const char *from = json_string_value(json_object_get(table, "from"));
    const char *to = json_string_value(json_object_get(table, "to"));
    char caption[200];
    snprintf(caption, sizeof caption, "%s（%s 至 %s）", title ? title : "统计", from ? from : "",
             to ? to : "");
    worksheet_write_string(ws, 0, 0, caption, bold);
    size_t i;
    json_t *c, *row;
    json_array_foreach(cols, i, c) {
        worksheet_write_string(ws, 2, (lxw_col_t)i, json_string_value(json_object_get(c, "title")),
                               head);
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, i ? 14 : 28, NULL);
    }
    lxw_row_t r = 3;
    const json_t *rows = json_object_get(table, "rows");
    size_t nrows = json_array_size(rows);
    for (size_t k = 0; k <= nrows; k++, r++) {
        row = k < nrows ? json_array_get(rows, k) : json_object_get(table, "total");
        if (!row) break;
        json_array_foreach(cols, i, c) {
            json_t *v = json_object_get(row, json_string_value(json_object_get(c, "key")));
            lxw_format *f = k == nrows ? bold : NULL;
            if (json_is_integer(v))
                worksheet_write_number(ws, r, (lxw_col_t)i, (double)json_integer_value(v), f);
            else if (json_is_real(v))
                worksheet_write_number(ws, r, (lxw_col_t)i, json_real_value(v), f);
            else if (json_is_string(v))
                worksheet_write_string(ws, r, (lxw_col_t)i, json_string_value(v), f);
        }
    }
    return workbook_bytes(wb, path, out, len, e);
}

int ow_sheet_xlsx(const ow_sheet *sh, const char *tmp_dir, char **out, size_t *len, ow_err *e) {
    char path[600];
    snprintf(path, sizeof path, "%s/ow-export-XXXXXX", tmp_dir);
    int fd = mkstemp(path);
    if (fd < 0) return ow_err_set(e, OW_EIO, "", "无法创建临时文件：%s", strerror(errno));
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        unlink(path);
        return xlsx_fail(e, "workbook");
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, sh->name);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDE6F0);
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    lxw_format *top = workbook_add_format(wb);
    format_set_align(top, LXW_ALIGN_VERTICAL_TOP);
    for (int c = 0; c < sh->ncols; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, sh->header[c], head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, sh->widths ? sh->widths[c] : 16, NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    int bad_row = 0, bad_col = 0;
    for (int r = 0; r < sh->nrows; r++)
        for (int c = 0; c < sh->ncols; c++) {
            const char *v = sh->cells[(size_t)r * (size_t)sh->ncols + (size_t)c];
            if (!v || !*v) continue;
            bool number = sh->numeric && sh->numeric[c];
            char *end = NULL;
            long long n = number ? strtoll(v, &end, 10) : 0;
            lxw_error rc;
            if (number && end && !*end)
                rc = worksheet_write_number(ws, (lxw_row_t)r + 1, (lxw_col_t)c, (double)n, top);
            else /* always a string: never a formula, whatever the text starts with */
                rc = worksheet_write_string(ws, (lxw_row_t)r + 1, (lxw_col_t)c, v,
                                            strchr(v, '\n') ? wrap : top);
            if (rc != LXW_NO_ERROR && !bad_row) {
                bad_row = r + 2;
                bad_col = c;
            }
        }
    int rc = workbook_bytes(wb, path, out, len, e);
    if (!rc && bad_row) { /* Excel's limit: 32,767 characters a cell */
        free(*out);
        *out = NULL;
        return ow_err_set(e, OW_EINVAL, "", "第 %d 行“%s”超出 Excel 单元格的长度上限", bad_row,
                          sh->header[bad_col]);
    }
    return rc;
}
