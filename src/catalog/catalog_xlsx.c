/* catalog_xlsx.c — the first sheet of an XLSX workbook as rows of cell texts, for the
 * catalog import (a center's existing list is most often a spreadsheet).
 *
 * libxlsxwriter only writes, and Debian has no C library that reads XLSX, so this
 * reads what the format needs with two that do their part: libzip opens the package
 * (from memory) and expat parses its XML — the workbook and its relationships (which
 * part is the first sheet), the shared strings and the sheet's cells.  Cells come out
 * as the text a person sees: shared and inline strings as written, integers without a
 * decimal point, booleans as TRUE/FALSE.  Row numbers are the sheet's own, so import
 * errors name the row Excel shows.  Sizes are bounded (parts, rows, columns) so a
 * hostile file cannot take the server's memory. */
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "catalog/catalog.h"
#include "catalog/catalog_int.h"
#include "core/buf.h"

#define XLSX_PART_MAX_BYTES (64u << 20) /* one XML part, uncompressed */
#define XLSX_COLS_MAX 128
#define XLSX_STRINGS_MAX 200000 /* 5,000 rows of 31 columns need at most 155,000 */

static int bad_file(ow_ctx *cx, const char *why) {
    return ow_err_set(&cx->err, OW_EINVAL, "xlsx", "无法读取 Excel 文件：%s", why);
}

/* A part of the package, NUL-terminated in the arena; NULL when absent (err untouched)
 * or unreadable (*rc set). */
static char *read_part(ow_ctx *cx, zip_t *z, const char *name, size_t *len, int *rc) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) || !(st.valid & ZIP_STAT_SIZE)) return NULL;
    if (st.size > XLSX_PART_MAX_BYTES) {
        *rc = bad_file(cx, "文件内容过大");
        return NULL;
    }
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f) {
        *rc = bad_file(cx, "压缩包已损坏");
        return NULL;
    }
    char *buf = ow_alloc(cx->arena, (size_t)st.size + 1);
    zip_int64_t n = zip_fread(f, buf, st.size);
    zip_fclose(f);
    if (n < 0 || (zip_uint64_t)n != st.size) {
        *rc = bad_file(cx, "压缩包已损坏");
        return NULL;
    }
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* The element name without its namespace prefix ("x:c" → "c"). */
static const char *local(const char *name) {
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name) {
    for (int i = 0; atts[i]; i += 2)
        if (!strcmp(atts[i], name)) return atts[i + 1];
    return NULL;
}

/* Parse one part.  *self (optional) receives the parser so handlers can stop it when
 * they find a problem; a stopped parse returns OW_OK and the handler's state holds why. */
static int parse_xml(ow_ctx *cx, const char *xml, size_t len, void *ud, XML_Parser *self,
                     XML_StartElementHandler start, XML_EndElementHandler end,
                     XML_CharacterDataHandler text) {
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) return ow_err_set(&cx->err, OW_ENOMEM, "", "内存不足");
    if (self) *self = p;
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    if (text) XML_SetCharacterDataHandler(p, text);
    enum XML_Status st = XML_Parse(p, xml, (int)len, 1);
    bool stopped = st == XML_STATUS_ERROR && XML_GetErrorCode(p) == XML_ERROR_ABORTED;
    XML_ParserFree(p);
    if (self) *self = NULL;
    return st == XML_STATUS_OK || stopped ? OW_OK : bad_file(cx, "XML 格式错误");
}

/* ---- the first sheet's part name: workbook.xml, then its relationships ---- */

typedef struct wb_state {
    ow_ctx *cx;
    char rid[64]; /* r:id of the first <sheet> */
    char *target; /* the relationship's Target */
} wb_state;

static void wb_start(void *ud, const char *name, const char **atts) {
    wb_state *w = ud;
    if (!strcmp(local(name), "sheet") && !w->rid[0]) {
        for (int i = 0; atts[i]; i += 2) /* the relationship id: "r:id" whatever the prefix */
            if (strchr(atts[i], ':') && !strcmp(local(atts[i]), "id"))
                snprintf(w->rid, sizeof w->rid, "%s", atts[i + 1]);
    } else if (!strcmp(local(name), "Relationship") && w->rid[0] && !w->target) {
        const char *id = attr(atts, "Id"), *t = attr(atts, "Target");
        if (id && t && !strcmp(id, w->rid)) w->target = ow_strdup(w->cx->arena, t);
    }
}
static void wb_end(void *ud, const char *name) {
    (void)ud;
    (void)name;
}

static int first_sheet(ow_ctx *cx, zip_t *z, const char **part) {
    wb_state w = {.cx = cx};
    size_t len;
    int rc = OW_OK;
    char *xml = read_part(cx, z, "xl/workbook.xml", &len, &rc);
    if (!xml) return rc ? rc : bad_file(cx, "不是 Excel 工作簿（缺少 xl/workbook.xml）");
    if ((rc = parse_xml(cx, xml, len, &w, NULL, wb_start, wb_end, NULL))) return rc;
    if (!w.rid[0]) return bad_file(cx, "工作簿中没有工作表");
    xml = read_part(cx, z, "xl/_rels/workbook.xml.rels", &len, &rc);
    if (!xml) return rc ? rc : bad_file(cx, "缺少工作簿关系文件");
    if ((rc = parse_xml(cx, xml, len, &w, NULL, wb_start, wb_end, NULL))) return rc;
    if (!w.target) return bad_file(cx, "找不到第一个工作表");
    /* relative to xl/, or absolute within the package */
    *part = w.target[0] == '/' ? w.target + 1 : ow_sprintf(cx->arena, "xl/%s", w.target);
    return OW_OK;
}

/* ---- shared strings ---- */

typedef struct sst_state {
    ow_ctx *cx;
    XML_Parser parser;
    char **v;
    int n, cap;
    ow_buf cur; /* reused for every string; each is copied out at its end */
    bool in_si, in_t;
    int in_rph; /* phonetic runs (ruby text) are not part of the cell's text */
    int err;
} sst_state;

static void sst_start(void *ud, const char *name, const char **atts) {
    (void)atts;
    sst_state *s = ud;
    const char *n = local(name);
    if (!strcmp(n, "si")) {
        s->in_si = true;
        s->cur.len = 0;
        s->cur.data[0] = '\0';
    } else if (!strcmp(n, "rPh")) {
        s->in_rph++;
    } else if (!strcmp(n, "t") && s->in_si && !s->in_rph) {
        s->in_t = true;
    }
}
static void sst_end(void *ud, const char *name) {
    sst_state *s = ud;
    const char *n = local(name);
    if (!strcmp(n, "t")) {
        s->in_t = false;
    } else if (!strcmp(n, "rPh")) {
        s->in_rph--;
    } else if (!strcmp(n, "si") && s->in_si) {
        if (s->n == XLSX_STRINGS_MAX) {
            s->err = bad_file(s->cx, "共享字符串过多（不像是事项清单）");
            XML_StopParser(s->parser, XML_FALSE);
            return;
        }
        if (s->n == s->cap) {
            int cap = s->cap ? s->cap * 2 : 256;
            char **v = ow_alloc(s->cx->arena, sizeof *v * (size_t)cap);
            if (s->n) memcpy(v, s->v, sizeof *v * (size_t)s->n);
            s->v = v;
            s->cap = cap;
        }
        s->v[s->n++] = ow_strndup(s->cx->arena, s->cur.data, s->cur.len);
        s->in_si = false;
    }
}
static void sst_text(void *ud, const char *t, int len) {
    sst_state *s = ud;
    if (s->in_t) ow_buf_append(&s->cur, t, (size_t)len);
}

/* ---- the sheet ---- */

typedef struct sheet_state {
    ow_ctx *cx;
    XML_Parser parser;
    const sst_state *sst;
    ow_cat_row *rows;
    int n, cap;
    int row_no, next_row_no;
    char **cells; /* the row being read, XLSX_COLS_MAX wide; a blank row's is reused */
    int ncells;
    int col, next_col;
    char type[16];
    ow_buf val; /* reused for every cell; a kept value is copied out */
    bool in_val;
    bool in_row;
    int err; /* the problem that stopped the parser */
} sheet_state;

/* "AB12" → 27, -1 when it is not a cell reference */
static int column_of_ref(const char *ref) {
    int c = 0, k = 0;
    for (; ref[k] >= 'A' && ref[k] <= 'Z'; k++)
        c = c * 26 + (ref[k] - 'A' + 1);
    return k ? c - 1 : -1;
}

static void sheet_start(void *ud, const char *name, const char **atts) {
    sheet_state *s = ud;
    const char *n = local(name);
    if (!strcmp(n, "row")) {
        const char *r = attr(atts, "r");
        s->row_no = r ? atoi(r) : s->next_row_no;
        s->next_row_no = s->row_no + 1;
        if (!s->cells) s->cells = ow_alloc(s->cx->arena, sizeof *s->cells * XLSX_COLS_MAX);
        memset(s->cells, 0, sizeof *s->cells * XLSX_COLS_MAX);
        s->ncells = 0;
        s->next_col = 0;
        s->in_row = true;
    } else if (!strcmp(n, "c") && s->in_row) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        s->col = r ? column_of_ref(r) : s->next_col;
        s->next_col = s->col + 1;
        snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
        s->val.len = 0;
        s->val.data[0] = '\0';
    } else if (!strcmp(n, "v") || !strcmp(n, "t")) {
        s->in_val = s->in_row;
    }
}

static const char *cell_text(sheet_state *s) {
    const char *v = s->val.data;
    if (!strcmp(s->type, "s")) {
        char *end;
        long k = strtol(v, &end, 10);
        if (*end || k < 0 || k >= s->sst->n) {
            if (!s->err) s->err = bad_file(s->cx, "共享字符串索引无效");
            return "";
        }
        return s->sst->v[k];
    }
    if (!strcmp(s->type, "b")) return !strcmp(v, "1") ? "TRUE" : "FALSE";
    if (!strcmp(s->type, "n") && *v) { /* 20 is stored as "20" or "20.0": show "20" */
        char *end;
        double d = strtod(v, &end);
        if (!*end && isfinite(d) && d == floor(d) && fabs(d) < 1e15)
            return ow_sprintf(s->cx->arena, "%lld", (long long)d);
    }
    /* inlineStr, str (a formula's result), e (#N/A…), other numbers */
    return ow_strndup(s->cx->arena, v, s->val.len);
}

static void sheet_end(void *ud, const char *name) {
    sheet_state *s = ud;
    const char *n = local(name);
    if (!strcmp(n, "v") || !strcmp(n, "t")) {
        s->in_val = false;
    } else if (!strcmp(n, "c") && s->in_row) {
        if (!s->val.len) return; /* an empty (styled) cell */
        if (s->col < 0 || s->col >= XLSX_COLS_MAX) {
            s->err = ow_err_set(&s->cx->err, OW_EINVAL, "xlsx",
                                "第 %d 行的数据超出了第 %d 列，请删除多余的列", s->row_no,
                                XLSX_COLS_MAX);
            XML_StopParser(s->parser, XML_FALSE);
            return;
        }
        s->cells[s->col] = (char *)cell_text(s);
        if (s->err) XML_StopParser(s->parser, XML_FALSE);
        if (s->col + 1 > s->ncells) s->ncells = s->col + 1;
    } else if (!strcmp(n, "row") && s->in_row) {
        s->in_row = false;
        bool blank = true;
        for (int k = 0; k < s->ncells; k++) {
            if (!s->cells[k]) s->cells[k] = "";
            if (s->cells[k][0]) blank = false;
        }
        if (!blank) {
            if (s->n > OW_CATALOG_IMPORT_MAX_ROWS) {
                s->err = ow_err_setk(&s->cx->err, OW_ELIMIT, "too_many_rows", "xlsx",
                                     "一次最多导入 %d 个事项", OW_CATALOG_IMPORT_MAX_ROWS);
                XML_StopParser(s->parser, XML_FALSE);
            } else {
                if (s->n == s->cap) {
                    int cap = s->cap ? s->cap * 2 : 64;
                    ow_cat_row *v = ow_alloc(s->cx->arena, sizeof *v * (size_t)cap);
                    if (s->n) memcpy(v, s->rows, sizeof *v * (size_t)s->n);
                    s->rows = v;
                    s->cap = cap;
                }
                s->rows[s->n++] = (ow_cat_row){
                    .cells = s->cells, .n = s->ncells, .line = s->row_no, .sheet_row = s->row_no};
                s->cells = NULL; /* kept: the next row gets its own */
            }
        }
    }
}

static void sheet_text(void *ud, const char *t, int len) {
    sheet_state *s = ud;
    if (s->in_val) ow_buf_append(&s->val, t, (size_t)len);
}

int ow_cat_xlsx_rows(ow_ctx *cx, const void *data, size_t len, ow_cat_row **rows, int *nrows) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    zip_error_fini(&ze);
    if (!z) {
        if (src) zip_source_free(src);
        return bad_file(cx, "不是 xlsx 格式（请在 Excel 中另存为“Excel 工作簿 (*.xlsx)”）");
    }
    const char *part = NULL;
    int rc = first_sheet(cx, z, &part);
    sst_state sst = {.cx = cx};
    ow_buf_init(&sst.cur, cx->arena, 256);
    size_t n;
    char *xml = NULL;
    if (!rc) {
        xml = read_part(cx, z, "xl/sharedStrings.xml", &n, &rc); /* absent: no strings */
        if (xml && !rc) rc = parse_xml(cx, xml, n, &sst, &sst.parser, sst_start, sst_end, sst_text);
        if (!rc) rc = sst.err;
    }
    sheet_state sh = {.cx = cx, .sst = &sst, .next_row_no = 1};
    ow_buf_init(&sh.val, cx->arena, 256);
    if (!rc) {
        xml = read_part(cx, z, part, &n, &rc);
        if (!xml && !rc) rc = bad_file(cx, "找不到第一个工作表");
        if (!rc) rc = parse_xml(cx, xml, n, &sh, &sh.parser, sheet_start, sheet_end, sheet_text);
        if (!rc) rc = sh.err;
    }
    zip_discard(z); /* read-only: closes and frees the source */
    if (rc) return rc;
    *rows = sh.rows;
    *nrows = sh.n;
    return OW_OK;
}
