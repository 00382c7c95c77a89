/* test_docs.c — the document renderer (src/docs): the page-breaking rules a printed
 * government document keeps (issue 26), checked on the layout the renderer reports for
 * documents of every length, and the same model written as HTML and JSON.
 *
 * The rules: a notice that overflows its page by a little is set tighter and stays on
 * one page; the QR code is always on the signature's page; the signature never stands
 * alone (the body's last two lines come with it); a table that fits on a page is not
 * split; merged cells are the same in every rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "docs/docs.h"

/* One line of 3号 body text (20 characters, a line of its own after the indent). */
static const char LINE[] = "本机关依法对申请人提交的申请材料进行了审查核实。";

static ow_doc_layout render(const ow_doc_notice *n) {
    unsigned char *pdf = NULL;
    size_t len = 0;
    ow_doc_layout lay = {0};
    ow_err e = {0};
    if (ow_docs_render(n, &pdf, &len, &lay, &e)) fail_msg("render: %s", e.message);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    free(pdf);
    return lay;
}

static ow_doc_notice notice_of(const char **paras, size_t n) {
    for (size_t i = 0; i < n; i++)
        paras[i] = LINE;
    return (ow_doc_notice){.title = "行政确认决定书",
                           .issuer = "赫山区民政局",
                           .number = "赫政务决〔2026〕1号",
                           .recipient = "张伟：",
                           .paragraphs = paras,
                           .nparagraphs = n,
                           .sign_date = "2026年11月24日",
                           .qr_payload = "http://127.0.0.1:8080/verify/ABCDEFGHJKLMNPQRSTUV",
                           .qr_caption = "扫码核验真伪\n核验码 ABCDEFGHJKLMNPQRSTUV"};
}

static void a_short_notice_is_one_page_with_its_qr_beside_the_signature(void **state) {
    (void)state;
    const char *paras[4];
    ow_doc_notice n = notice_of(paras, 4);
    ow_doc_layout lay = render(&n);
    assert_int_equal(lay.pages, 1);
    assert_int_equal(lay.level, 0);
    assert_int_equal(lay.sign_page, 1);
    assert_int_equal(lay.qr_page, 1);
    assert_true(lay.sign_lines >= 4);
}

/* GB/T 9704's 22 lines fit about 13 of these lines above the title, number, recipient and
 * signature; a few more are set tighter, not sent to a second page. */
static void a_notice_just_over_its_page_is_set_tighter_and_stays_on_one(void **state) {
    (void)state;
    const char *paras[40];
    int tightened = 0, first_two_pages = 0;
    for (size_t k = 8; k <= 30; k++) {
        ow_doc_notice n = notice_of(paras, k);
        ow_doc_layout lay = render(&n);
        assert_int_equal(lay.qr_page, lay.sign_page);
        if (lay.level > 0) {
            assert_int_equal(lay.pages, 1);
            tightened++;
        }
        if (lay.pages > 1 && !first_two_pages) first_two_pages = (int)k;
    }
    if (!tightened) fail_msg("no length was tightened onto one page");
    if (!first_two_pages) fail_msg("30 lines should not fit on one page even tightened");
}

/* Every length from one and a half pages to the most paragraphs a notice takes: the signature has
 * the body's last lines with it, and at the lengths where it would have fallen alone onto the next
 * page exactly two lines came along. */
static void the_signature_never_stands_alone(void **state) {
    (void)state;
    const char *paras[80];
    int moved = 0;
    for (size_t k = 34; k <= OW_DOCS_MAX_PARAGRAPHS; k++) {
        ow_doc_notice n = notice_of(paras, k);
        ow_doc_layout lay = render(&n);
        assert_true(lay.pages >= 2);
        assert_int_equal(lay.sign_page, lay.pages);
        assert_int_equal(lay.qr_page, lay.sign_page);
        if (lay.sign_lines < 2)
            fail_msg("%zu lines: the signature has %d lines with it", k, lay.sign_lines);
        if (lay.sign_lines == 2) moved++;
    }
    if (!moved) fail_msg("no length put the signature at a page break");
}

static const char *const GRID[] = {
    "左上", NULL, "右", /* row 0: 左上 spans 2 × 2 */
    NULL,   NULL, "1",  /* row 1 */
    "标签", "2",  "3",  /* row 2 */
};
static const ow_doc_span GRID_SPANS[] = {{0, 0, 2, 2}};
static const unsigned char GRID_FLAGS[] = {
    OW_CELL_HEAD, 0, OW_CELL_HEAD, 0, 0, OW_CELL_NUM, OW_CELL_LEFT, OW_CELL_NUM, OW_CELL_NUM};
static const char *const GRID_COLS[] = {NULL, "a", "b"};
static const char *const GRID_ROWS[] = {NULL, "one", "two"};

static void merged_cells_are_the_same_in_html_and_json(void **state) {
    (void)state;
    ow_doc_table t = {.rows = 3,
                      .cols = 3,
                      .cells = GRID,
                      .spans = GRID_SPANS,
                      .nspans = 1,
                      .flags = GRID_FLAGS,
                      .id = "grid",
                      .row_keys = GRID_ROWS,
                      .col_keys = GRID_COLS};
    ow_doc_block blocks[] = {{.kind = OW_DOC_HEADING1, .text = "一、表格"},
                             {.kind = OW_DOC_TABLE, .table = &t}};
    ow_doc_notice n = {.title = "测试", .issuer = "测试局", .blocks = blocks, .nblocks = 2};
    ow_arena *a = ow_arena_new(4096);
    ow_buf b;
    ow_buf_init(&b, a, 1024);
    ow_docs_render_html(&n, &b);
    ow_buf_putc(&b, '\0');
    assert_non_null(strstr(b.data, "<h2>一、表格</h2>"));
    assert_non_null(strstr(b.data,
                           "<table id=\"grid\">\n<tr><th rowspan=\"2\" colspan=\"2\">左上</th>"
                           "<th>右</th></tr>\n<tr data-row=\"one\"><td data-col=\"b\">1</td>"
                           "</tr>\n<tr data-row=\"two\"><td class=\"l\">标签</td>"
                           "<td data-col=\"a\">2</td><td data-col=\"b\">3</td></tr>"));
    assert_null(strstr(b.data, "<p class=\"date\">"));
    json_t *j = ow_docs_json(&n);
    json_t *tj = json_object_get(json_array_get(json_object_get(j, "blocks"), 1), "table");
    assert_string_equal(json_string_value(json_object_get(tj, "id")), "grid");
    json_t *sp = json_array_get(json_object_get(tj, "spans"), 0);
    assert_int_equal(json_integer_value(json_object_get(sp, "rows")), 2);
    assert_int_equal(json_integer_value(json_object_get(sp, "cols")), 2);
    assert_int_equal(
        json_integer_value(json_array_get(json_array_get(json_object_get(tj, "flags"), 2), 1)),
        OW_CELL_NUM);
    json_decref(j);
    /* the PDF draws it; a span outside the table is refused */
    assert_int_equal(render(&n).pages, 1);
    ow_doc_span bad = {2, 2, 2, 1};
    t.spans = &bad;
    unsigned char *pdf;
    size_t len;
    ow_err e = {0};
    assert_int_equal(ow_docs_render(&n, &pdf, &len, NULL, &e), OW_EINVAL);
    assert_string_equal(e.field, "tables");
    ow_arena_free(a);
}

/* A 20-row table after 16 lines of text does not fit below them: it starts on page 2
 * whole (19 row groups: the header row goes with the first) rather than split. */
static void a_table_that_fits_a_page_is_not_split(void **state) {
    (void)state;
    const char *cells[20 * 2];
    for (int r = 0; r < 20; r++) {
        cells[2 * r] = r ? "项目" : "名称";
        cells[2 * r + 1] = r ? "1" : "数量";
    }
    ow_doc_table t = {.rows = 20, .cols = 2, .cells = cells, .header_rows = 1};
    const char *paras[16];
    ow_doc_notice n = notice_of(paras, 16);
    ow_doc_block blocks[] = {{.kind = OW_DOC_TABLE, .table = &t}};
    n.blocks = blocks;
    n.nblocks = 1;
    n.qr_payload = NULL;
    ow_doc_layout lay = render(&n);
    assert_int_equal(lay.pages, 2);
    assert_int_equal(lay.sign_page, 2);
    assert_int_equal(lay.sign_lines, 19);
    assert_int_equal(lay.qr_page, 0);
}

static void dates_read_as_chinese_documents_print_them(void **state) {
    (void)state;
    char out[32];
    ow_docs_chinese_date("2026-12-07", out, sizeof out);
    assert_string_equal(out, "2026年12月7日");
    ow_docs_chinese_date("2026-01-20", out, sizeof out);
    assert_string_equal(out, "2026年1月20日");
}

/* The fonts are subset to GB 2312 once per process (docs.c "the fonts"); a character
 * outside it — 堃 and 喆 in names, 㛃 of Extension A — is still drawn, from the whole
 * font, and reads back from the PDF. */
static void characters_outside_gb2312_are_still_drawn(void **state) {
    (void)state;
    const char *paras[] = {"申请人王堃、李喆、陈㛃的申请，本机关已经受理。"};
    ow_doc_notice n = notice_of(paras, 0);
    n.paragraphs = paras;
    n.nparagraphs = 1;
    n.recipient = "王堃：";
    unsigned char *pdf = NULL;
    size_t len = 0;
    ow_err e = {0};
    if (ow_docs_render_notice(&n, &pdf, &len, &e)) fail_msg("render: %s", e.message);
    char path[] = "/tmp/ow-test-docs-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_int_equal(fwrite(pdf, 1, len, f), len);
    fclose(f);
    free(pdf);
    char cmd[128], text[4096] = "";
    snprintf(cmd, sizeof cmd, "pdftotext %s - 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t got = fread(text, 1, sizeof text - 1, p);
    text[got] = 0;
    pclose(p);
    unlink(path);
    for (const char *w = "堃"; w; w = !strcmp(w, "堃") ? "喆" : !strcmp(w, "喆") ? "㛃" : NULL)
        if (!strstr(text, w)) fail_msg("%s missing from the PDF's text: %s", w, text);
    assert_non_null(strstr(text, "本机关已经受理"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_short_notice_is_one_page_with_its_qr_beside_the_signature),
        cmocka_unit_test(a_notice_just_over_its_page_is_set_tighter_and_stays_on_one),
        cmocka_unit_test(the_signature_never_stands_alone),
        cmocka_unit_test(merged_cells_are_the_same_in_html_and_json),
        cmocka_unit_test(a_table_that_fits_a_page_is_not_split),
        cmocka_unit_test(dates_read_as_chinese_documents_print_them),
        cmocka_unit_test(characters_outside_gb2312_are_still_drawn),
    };
    return cmocka_run_group_tests_name("docs", tests, NULL, NULL);
}
