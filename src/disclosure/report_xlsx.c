/* report_xlsx.c — the annual report's tables (annual_report.c) as an Excel workbook in the
 * national template's layout (国办公开办函〔2021〕30号): one sheet per table, the
 * multi-level headings as merged cells exactly where the template merges them, so a
 * unit can paste the sheets into the form the competent office circulates.
 *
 * Written from the report's JSON (ow_dis_report_json), so the workbook shows the same
 * figures as the page and the PDF.  src/report's ow_table_xlsx writes one flat table
 * with a single heading row; the template's nested headings need their own writer.
 * libxlsxwriter in Debian 12 (1.1.4) writes to files only: the workbook goes to a
 * private temporary file in the data directory that is read back and removed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "disclosure/disclosure.h"

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
    format_set_num_format(f.money, "0.0000");
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

static double jnum(const json_t *o, const char *k) {
    return json_number_value(json_object_get(o, k));
}

/* Sheet 二: four blocks named by Art. 20 items (一), (五), (六), (八). */
static void sheet_active(lxw_workbook *wb, const fmts *f, const json_t *rep) {
    lxw_worksheet *ws = workbook_add_worksheet(wb, "二、主动公开政府信息情况");
    const json_t *a = json_object_get(rep, "active");
    worksheet_set_column(ws, 0, 0, 24, NULL);
    worksheet_set_column(ws, 1, 3, 16, NULL);
    text_range(ws, 0, 0, 0, 3, "二、主动公开政府信息情况", f->title);
    lxw_row_t r = 1;
    text_range(ws, r, 0, r, 3, "第二十条第（一）项", f->head);
    r++;
    static const char *const h[] = {"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"};
    for (lxw_col_t c = 0; c < 4; c++)
        worksheet_write_string(ws, r, c, h[c], f->head);
    r++;
    static const char *const kinds[2][2] = {{"rules", "规章"}, {"normative", "行政规范性文件"}};
    for (int i = 0; i < 2; i++, r++) {
        const json_t *k = json_object_get(a, kinds[i][0]);
        worksheet_write_string(ws, r, 0, kinds[i][1], f->label);
        worksheet_write_number(ws, r, 1, jnum(k, "issued"), f->num);
        worksheet_write_number(ws, r, 2, jnum(k, "repealed"), f->num);
        worksheet_write_number(ws, r, 3, jnum(k, "valid"), f->num);
    }
    static const struct {
        const char *item, *heading, *name, *key;
    } blocks[] = {
        {"第二十条第（五）项", "本年处理决定数量", "行政许可", "permits"},
        {"第二十条第（六）项", "本年处理决定数量", "行政处罚", "penalties"},
        {NULL, NULL, "行政强制", "enforcement"},
        {"第二十条第（八）项", "本年收费金额（单位：万元）", "行政事业性收费", "fees_wan"},
    };
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        if (blocks[i].item) {
            text_range(ws, r, 0, r, 3, blocks[i].item, f->head);
            r++;
            worksheet_write_string(ws, r, 0, "信息内容", f->head);
            text_range(ws, r, 1, r, 3, blocks[i].heading, f->head);
            r++;
        }
        worksheet_write_string(ws, r, 0, blocks[i].name, f->label);
        bool money = !strcmp(blocks[i].key, "fees_wan");
        num_range(ws, r, 1, 3, jnum(a, blocks[i].key), money ? f->money : f->num);
        r++;
    }
}

/* Sheet 三: the request table.  Columns A–C hold the row labels (A the part, B the
 * outcome group, C the numbered sub-row), D–J the applicant types. */
static void sheet_requests(lxw_workbook *wb, const fmts *f, const json_t *rep) {
    lxw_worksheet *ws = workbook_add_worksheet(wb, "三、收到和处理政府信息公开申请情况");
    const json_t *req = json_object_get(rep, "requests");
    const json_t *cols = json_object_get(req, "columns"), *rows = json_object_get(req, "rows");
    size_t ncols = json_array_size(cols); /* 自然人, five organisations, 总计 */
    worksheet_set_column(ws, 0, 0, 10, NULL);
    worksheet_set_column(ws, 1, 1, 16, NULL);
    worksheet_set_column(ws, 2, 2, 40, NULL);
    worksheet_set_column(ws, 3, (lxw_col_t)(3 + ncols - 1), 11, NULL);
    lxw_col_t last = (lxw_col_t)(3 + ncols - 1);
    text_range(ws, 0, 0, 0, last, "三、收到和处理政府信息公开申请情况", f->title);
    text_range(ws, 1, 0, 3, 2,
               "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", f->head);
    text_range(ws, 1, 3, 1, last, "申请人情况", f->head);
    text_range(ws, 2, 3, 3, 3, json_string_value(json_object_get(json_array_get(cols, 0), "name")),
               f->head);
    text_range(ws, 2, 4, 2, last - 1, "法人或其他组织", f->head);
    text_range(ws, 2, last, 3, last,
               json_string_value(json_object_get(json_array_get(cols, ncols - 1), "name")),
               f->head);
    for (size_t c = 1; c + 1 < ncols; c++)
        worksheet_write_string(ws, 3, (lxw_col_t)(3 + c),
                               json_string_value(json_object_get(json_array_get(cols, c), "name")),
                               f->head);
    /* Labels: rows 一, 二, 四 span A–C; the results part 三 spans column A over all its
     * rows; (一), (二), (七) span B–C; the numbered sub-rows of a group share its B cell. */
    lxw_row_t first = 4;
    size_t n = json_array_size(rows);
    lxw_row_t results_from = 0, results_to = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *row = json_array_get(rows, i);
        const char *key = json_string_value(json_object_get(row, "key"));
        const char *label = json_string_value(json_object_get(row, "label"));
        const char *group = json_string_value(json_object_get(row, "group"));
        lxw_row_t r = first + (lxw_row_t)i;
        bool sub = key[0] == 'g' && strchr(key, '_');
        bool in_results = sub || (key[0] == 'g' && key[1] >= '0' && key[1] <= '9') ||
                          !strcmp(key, "result_total");
        if (in_results) {
            if (!results_from) results_from = r;
            results_to = r;
        }
        if (!in_results)
            text_range(ws, r, 0, r, 2, label, f->label);
        else if (!sub)
            text_range(ws, r, 1, r, 2, label, f->label);
        else {
            worksheet_write_string(ws, r, 2, label, f->label);
            /* the group's cell: merged over its run of sub-rows, written once */
            const json_t *prev = i ? json_array_get(rows, i - 1) : NULL;
            if (!prev || strcmp(json_string_value(json_object_get(prev, "group")), group)) {
                size_t j = i;
                while (j + 1 < n && !strcmp(json_string_value(json_object_get(
                                                json_array_get(rows, j + 1), "group")),
                                            group))
                    j++;
                text_range(ws, r, 1, first + (lxw_row_t)j, 1, group, f->label);
            }
        }
        const json_t *vals = json_object_get(row, "values");
        for (size_t c = 0; c < ncols; c++)
            worksheet_write_number(ws, r, (lxw_col_t)(3 + c),
                                   (double)json_integer_value(json_array_get(vals, c)), f->num);
    }
    if (results_from)
        text_range(ws, results_from, 0, results_to, 0, "三、本年度办理结果", f->label);
}

/* Sheet 四: reconsideration, litigation directly and after reconsideration. */
static void sheet_reviews(lxw_workbook *wb, const fmts *f, const json_t *rep) {
    lxw_worksheet *ws = workbook_add_worksheet(wb, "四、行政复议行政诉讼情况");
    const json_t *rv = json_object_get(rep, "reviews");
    const json_t *names = json_object_get(rv, "columns"), *vals = json_object_get(rv, "values");
    worksheet_set_column(ws, 0, 14, 10, NULL);
    text_range(ws, 0, 0, 0, 14, "四、政府信息公开行政复议、行政诉讼情况", f->title);
    text_range(ws, 1, 0, 1, 4, "行政复议", f->head);
    text_range(ws, 1, 5, 1, 14, "行政诉讼", f->head);
    for (lxw_col_t c = 0; c < 5; c++)
        text_range(ws, 2, c, 3, c, json_string_value(json_array_get(names, c)), f->head);
    text_range(ws, 2, 5, 2, 9, "未经复议直接起诉", f->head);
    text_range(ws, 2, 10, 2, 14, "复议后起诉", f->head);
    for (lxw_col_t c = 0; c < 10; c++)
        worksheet_write_string(ws, 3, 5 + c, json_string_value(json_array_get(names, c % 5)),
                               f->head);
    static const char *const kinds[3] = {"reconsideration", "litigation_direct",
                                         "litigation_after_reconsideration"};
    for (int k = 0; k < 3; k++) {
        const json_t *a = json_object_get(vals, kinds[k]);
        for (lxw_col_t c = 0; c < 5; c++)
            worksheet_write_number(ws, 4, (lxw_col_t)(k * 5) + c,
                                   (double)json_integer_value(json_array_get(a, c)), f->num);
    }
}

static int xlsx_fail(ow_err *e, const char *what) {
    return ow_err_set(e, OW_EIO, "", "生成年度报告 Excel 文件失败（%s）", what);
}

int ow_dis_report_xlsx(ow_ctx *cx, int64_t org_id, int year, const char *tmp_dir, char **out,
                       size_t *len) {
    json_t *rep;
    int rc = ow_dis_report_json(cx, org_id, year, &rep);
    if (rc) return rc;
    char path[600];
    snprintf(path, sizeof path, "%s/ow-report-XXXXXX", tmp_dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        json_decref(rep);
        return ow_err_set(&cx->err, OW_EIO, "", "无法创建临时文件：%s", strerror(errno));
    }
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        json_decref(rep);
        unlink(path);
        return xlsx_fail(&cx->err, "workbook");
    }
    /* lxw_doc_properties holds char *, though the library only reads them */
    lxw_doc_properties props = {.title = (char *)json_string_value(json_object_get(rep, "title")),
                                .company = (char *)json_string_value(json_object_get(rep, "unit"))};
    workbook_set_properties(wb, &props);
    fmts f = make_formats(wb);
    sheet_active(wb, &f, rep);
    sheet_requests(wb, &f, rep);
    sheet_reviews(wb, &f, rep);
    lxw_error we = workbook_close(wb);
    json_decref(rep);
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
