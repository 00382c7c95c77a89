/* report_xlsx.c — the annual report's tables (annual_report.c) as an Excel workbook in the
 * national template's layout (国办公开办函〔2021〕30号): one sheet per table, the
 * multi-level headings as merged cells exactly where the template merges them, so a
 * unit can paste the sheets into the form the competent office circulates.
 *
 * Written from the report's one model (ow_dis_report_build): each table of its document
 * goes on the sheet the table names, cell for cell and merge for merge, figures as
 * numbers — the same tables the PDF draws and the HTML writes.  src/report's
 * ow_table_xlsx writes one flat table with a single heading row; the template's nested
 * headings need their own writer.
 * libxlsxwriter in Debian 12 (1.1.4) writes to files only: the workbook goes to a
 * private temporary file in the data directory that is read back and removed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "disclosure/disclosure.h"
#include "disclosure/disclosure_int.h"

typedef struct fmts {
    lxw_format *title, *head, *label, *num, *money;
} fmts;

static fmts make_formats(lxw_workbook *wb) {
    fmts f;
    f.title = workbook_add_format(wb);
    format_set_bold(f.title);
    format_set_font_size(f.title, 14);
    format_set_align(f.title, LXW_ALIGN_CENTER);
    format_set_align(f.title, LXW_ALIGN_VERTICAL_CENTER);
    f.head = workbook_add_format(wb);
    format_set_bold(f.head);
    format_set_border(f.head, LXW_BORDER_THIN);
    format_set_align(f.head, LXW_ALIGN_CENTER);
    format_set_align(f.head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f.head);
    format_set_bg_color(f.head, 0xDDE6F0);
    f.label = workbook_add_format(wb);
    format_set_border(f.label, LXW_BORDER_THIN);
    format_set_align(f.label, LXW_ALIGN_LEFT);
    format_set_align(f.label, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f.label);
    f.num = workbook_add_format(wb);
    format_set_border(f.num, LXW_BORDER_THIN);
    format_set_align(f.num, LXW_ALIGN_CENTER);
    format_set_align(f.num, LXW_ALIGN_VERTICAL_CENTER);
    f.money = workbook_add_format(wb);
    format_set_border(f.money, LXW_BORDER_THIN);
    format_set_align(f.money, LXW_ALIGN_CENTER);
    format_set_num_format(f.money, "0.00##");
    return f;
}

/* A heading or label over a range; a single cell when the range is one cell (Excel
 * refuses a merge of one cell). */
static void text_range(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2,
                       const char *s, lxw_format *f) {
    if (r1 == r2 && c1 == c2)
        worksheet_write_string(ws, r1, c1, s, f);
    else
        worksheet_merge_range(ws, r1, c1, r2, c2, s, f);
}

static void num_range(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c1, lxw_col_t c2, double v,
                      lxw_format *f) {
    if (c1 != c2) worksheet_merge_range(ws, r, c1, r, c2, "", f);
    worksheet_write_number(ws, r, c1, v, f);
}

/* A figure as the cell prints it: the number, and a format with as many decimals. */
static lxw_format *num_format(const fmts *f, const char *text, double *v) {
    *v = strtod(text, NULL);
    const char *dot = strchr(text, '.');
    return dot && strlen(dot + 1) >= 2 ? f->money : f->num;
}

/* One table of the report's document on a sheet of its own: the heading of its section
 * as the title in row 1, then the table from row 2 with the same merged cells. */
static void sheet_table(lxw_workbook *wb, const fmts *f, const char *title, const ow_doc_table *t) {
    lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
    double total = 0;
    for (int c = 0; c < t->cols; c++)
        total += t->col_widths ? t->col_widths[c] : 1.0;
    /* Excel widths in characters: the table's proportions over about 10 characters a
     * column (the 15 narrow columns of table 四 stay 10 wide) */
    double scale = 10.0 * t->cols / total;
    for (int c = 0; c < t->cols; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             (t->col_widths ? t->col_widths[c] : 1.0) * scale, NULL);
    text_range(ws, 0, 0, 0, (lxw_col_t)(t->cols - 1), title, f->title);
    worksheet_set_row(ws, 0, 24, NULL);
    for (int row = 0; row < t->rows; row++)
        for (int col = 0; col < t->cols; col++) {
            int rs = 1, cs = 1;
            bool covered = false;
            for (size_t s = 0; s < t->nspans; s++) {
                const ow_doc_span *sp = &t->spans[s];
                if (sp->row == row && sp->col == col) {
                    rs = sp->rows;
                    cs = sp->cols;
                } else if (row >= sp->row && row < sp->row + sp->rows && col >= sp->col &&
                           col < sp->col + sp->cols) {
                    covered = true;
                }
            }
            if (covered) continue;
            unsigned fl = t->flags ? t->flags[row * t->cols + col] : 0;
            const char *text = t->cells[row * t->cols + col] ? t->cells[row * t->cols + col] : "";
            lxw_row_t r1 = (lxw_row_t)(1 + row), r2 = (lxw_row_t)(row + rs);
            lxw_col_t c1 = (lxw_col_t)col, c2 = (lxw_col_t)(col + cs - 1);
            if (fl & OW_CELL_NUM) {
                double v;
                lxw_format *nf = num_format(f, text, &v);
                num_range(ws, r1, c1, c2, v, nf);
            } else {
                text_range(ws, r1, c1, r2, c2, text, fl & OW_CELL_HEAD ? f->head : f->label);
            }
        }
}

static int xlsx_fail(ow_err *e, const char *what) {
    return ow_err_set(e, OW_EIO, "", "生成年度报告 Excel 文件失败（%s）", what);
}

int ow_dis_report_xlsx(ow_ctx *cx, int64_t org_id, int year, const char *tmp_dir, char **out,
                       size_t *len) {
    ow_dis_report *rp;
    int rc = ow_dis_report_build(cx, org_id, year, &rp);
    if (rc) return rc;
    const ow_doc_notice *doc = ow_dis_report_doc(rp);
    char path[600];
    snprintf(path, sizeof path, "%s/ow-report-XXXXXX", tmp_dir);
    int fd = mkstemp(path);
    if (fd < 0) return ow_err_set(&cx->err, OW_EIO, "", "无法创建临时文件：%s", strerror(errno));
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        unlink(path);
        return xlsx_fail(&cx->err, "workbook");
    }
    /* lxw_doc_properties holds char *, though the library only reads them */
    lxw_doc_properties props = {.title = (char *)doc->title, .company = (char *)doc->issuer};
    workbook_set_properties(wb, &props);
    fmts f = make_formats(wb);
    const char *heading = "";
    for (size_t i = 0; i < doc->nblocks; i++) {
        const ow_doc_block *b = &doc->blocks[i];
        if (b->kind == OW_DOC_HEADING1) heading = b->text;
        if (b->kind == OW_DOC_TABLE && b->table->sheet) sheet_table(wb, &f, heading, b->table);
    }
    lxw_error we = workbook_close(wb);
    if (we != LXW_NO_ERROR) {
        unlink(path);
        return xlsx_fail(&cx->err, lxw_strerror(we));
    }
    FILE *fp = fopen(path, "rb");
    unlink(path);
    if (!fp) return xlsx_fail(&cx->err, "read");
    char *buf = NULL;
    size_t n = 0, cap = 0, got;
    char chunk[16384];
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (n + got > cap) {
            cap = cap ? cap * 2 : 65536;
            while (cap < n + got)
                cap *= 2;
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(fp);
                return ow_err_set(&cx->err, OW_ENOMEM, "", "内存不足");
            }
            buf = p;
        }
        memcpy(buf + n, chunk, got);
        n += got;
    }
    bool err = ferror(fp);
    fclose(fp);
    if (err || !n) {
        free(buf);
        return xlsx_fail(&cx->err, "read");
    }
    *out = buf;
    *len = n;
    return OW_OK;
}
