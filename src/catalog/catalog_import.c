/* catalog_import.c — the catalog as CSV: import a center's existing list, export ours.
 *
 * One row per item, headers in Chinese as a center keeps its list in a
 * spreadsheet; column order is free, unknown headers are refused.  Materials
 * and steps are lists inside one cell, one entry per line, fields separated by
 * "|" (the export writes exactly what the import reads, so a round trip through
 * a spreadsheet keeps everything):
 *   申请材料  名称|形式|份数|载体|必需 或 依情形：条件|来源|空白表格|示例样表|电子证照类型|备注
 *   办理流程  环节名称|办理岗位|机构编码|时限|说明
 * Import is all or nothing: every row is parsed and validated, every problem
 * is reported with its row and column, and nothing is written unless the whole
 * file passes.  The export also comes as XLSX (libxlsxwriter, report/export.c), the
 * same rows and columns as the CSV, and an XLSX in that layout imports like the CSV
 * (its first sheet, read by catalog_xlsx.c).  The CSV reader is written here because it is forty
 * lines of RFC 4180 and no Debian C library offers a better one. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/catalog_int.h"
#include "app/app.h"
#include "core/buf.h"
#include "core/csv.h"
#include "report/report.h"
#include "store/catalog_store.h"

typedef enum {
    C_CODE,
    C_NAME,
    C_TYPE,
    C_DEPT,
    C_WINDOW,
    C_BODY,
    C_THEME,
    C_TARGET,
    C_KEYWORDS,
    C_BASIS,
    C_CONDITIONS,
    C_STATUTORY,
    C_COMMITTED,
    C_FEE_STANDARD,
    C_FEE_BASIS,
    C_MODES,
    C_VISITS,
    C_LEVELS,
    C_HOSTED,
    C_DEPTH,
    C_APPOINTMENT,
    C_DELIVERY,
    C_SCOPE,
    C_PLACE,
    C_HOURS,
    C_CONSULT,
    C_COMPLAINT,
    C_RESULT,
    C_REMEDIES,
    C_MATERIALS,
    C_STEPS,
    C_COUNT
} col_id;

static const struct {
    const char *header;
    const char *field; /* the item field(s) it feeds, as validation names them */
    bool required;
} COLS[C_COUNT] = {
    [C_CODE] = {"事项编码", "code", true},
    [C_NAME] = {"事项名称", "name", true},
    [C_TYPE] = {"事项类型", "type", true},
    [C_DEPT] = {"实施部门编码", "department", true},
    [C_WINDOW] = {"受理窗口编码", "window", false},
    [C_BODY] = {"实施主体", "implementing_body", false},
    [C_THEME] = {"主题", "theme", false},
    [C_TARGET] = {"服务对象", "target", false},
    [C_KEYWORDS] = {"关键词", "keywords", false},
    [C_BASIS] = {"设定依据", "basis", true},
    [C_CONDITIONS] = {"受理条件", "conditions", false},
    [C_STATUTORY] = {"法定时限（工作日）", "statutory_days", true},
    [C_COMMITTED] = {"承诺时限（工作日）", "committed_days", true},
    [C_FEE_STANDARD] = {"收费标准", "fee.standard", false},
    [C_FEE_BASIS] = {"收费依据", "fee.basis", false},
    [C_MODES] = {"办理方式", "modes", false},
    [C_VISITS] = {"到现场次数", "visits", false},
    [C_LEVELS] = {"办理层级", "levels", false},
    [C_HOSTED] = {"进驻政务服务中心", "hosted", false},
    [C_DEPTH] = {"网办深度", "online_depth", false},
    [C_APPOINTMENT] = {"预约办理", "appointment", false},
    [C_DELIVERY] = {"结果邮寄", "delivery", false},
    [C_SCOPE] = {"通办范围", "scope", false},
    [C_PLACE] = {"办理地点", "place", false},
    [C_HOURS] = {"办理时间", "hours", false},
    [C_CONSULT] = {"咨询电话", "consult_phone", false},
    [C_COMPLAINT] = {"投诉电话", "complaint_phone", false},
    [C_RESULT] = {"办理结果", "result_name", false},
    [C_REMEDIES] = {"法律救济", "remedies", false},
    [C_MATERIALS] = {"申请材料", "materials", false},
    [C_STEPS] = {"办理流程", "steps", true},
};

/* ---------- reading CSV ---------- */

typedef ow_cat_row csv_row;

/* Split the whole text into records of cells (arena).  Quoted cells may hold commas,
 * quotes ("") and line breaks.  Returns OW_EINVAL on an unterminated quote. */
int ow_cat_csv_rows(ow_ctx *cx, const char *s, size_t len, csv_row **rows_out, int *nrows) {
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) s += 3, len -= 3; /* Excel's BOM */
    int cap = 64, n = 0;
    csv_row *rows = ow_alloc(cx->arena, sizeof *rows * (size_t)cap);
    size_t i = 0;
    int line = 1;
    while (i < len) {
        if (n == cap) {
            csv_row *r2 = ow_alloc(cx->arena, sizeof *rows * (size_t)cap * 2);
            memcpy(r2, rows, sizeof *rows * (size_t)cap);
            rows = r2;
            cap *= 2;
        }
        csv_row *r = &rows[n];
        r->line = line;
        int ccap = 40;
        r->cells = ow_alloc(cx->arena, sizeof(char *) * (size_t)ccap);
        r->n = 0;
        for (;;) {
            ow_buf b;
            ow_buf_init(&b, cx->arena, 32);
            if (i < len && s[i] == '"') {
                i++;
                for (;;) {
                    if (i >= len)
                        return ow_err_set(&cx->err, OW_EINVAL, "csv",
                                          "第 %d 行的引号没有结束，请检查文件格式", r->line);
                    if (s[i] == '"') {
                        if (i + 1 < len && s[i + 1] == '"') {
                            ow_buf_putc(&b, '"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (s[i] == '\n') line++;
                    ow_buf_putc(&b, s[i++]);
                }
                while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
                    i++;
            } else {
                while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
                    ow_buf_putc(&b, s[i++]);
            }
            if (r->n == ccap) {
                char **c2 = ow_alloc(cx->arena, sizeof(char *) * (size_t)ccap * 2);
                memcpy(c2, r->cells, sizeof(char *) * (size_t)ccap);
                r->cells = c2;
                ccap *= 2;
            }
            /* a leading ' protects a formula-like cell from spreadsheets (core/csv.h) */
            r->cells[r->n++] = (char *)ow_csv_unguard(b.data);
            if (i < len && s[i] == ',') {
                i++;
                continue;
            }
            if (i < len && s[i] == '\r') i++;
            if (i < len && s[i] == '\n') i++;
            line++;
            break;
        }
        bool blank = true;
        for (int k = 0; k < r->n && blank; k++)
            if (r->cells[k][0]) blank = false;
        if (!blank) n++;
        if (n > OW_CATALOG_IMPORT_MAX_ROWS + 1)
            return ow_err_setk(&cx->err, OW_ELIMIT, "too_many_rows", "csv",
                               "一次最多导入 %d 个事项", OW_CATALOG_IMPORT_MAX_ROWS);
    }
    *rows_out = rows;
    *nrows = n;
    return OW_OK;
}

/* ---------- one row into an item ---------- */

typedef struct row_ctx {
    ow_ctx *cx;
    ow_catalog_issues *is;
    int row;
    bool bad;
} row_ctx;

static void row_issue(row_ctx *rc, col_id c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void row_issue(row_ctx *rc, col_id c, const char *field, const char *fmt, ...) {
    rc->bad = true;
    ow_catalog_issues *is = rc->is;
    if (is->n >= OW_CATALOG_ISSUES_MAX) {
        is->dropped++;
        return;
    }
    if (is->n == is->cap) {
        int cap = is->cap ? is->cap * 2 : 16;
        ow_catalog_issue *v = realloc(is->v, sizeof *v * (size_t)cap);
        if (!v) abort();
        is->v = v;
        is->cap = cap;
    }
    ow_catalog_issue *x = &is->v[is->n++];
    memset(x, 0, sizeof *x);
    x->row = rc->row;
    snprintf(x->column, sizeof x->column, "%s", COLS[c].header);
    snprintf(x->field, sizeof x->field, "%s", field ? field : COLS[c].field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->message, sizeof x->message, fmt, ap);
    va_end(ap);
}

/* Trimmed copy of a cell. */
static const char *trim(ow_ctx *cx, const char *s) {
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return ow_strndup(cx->arena, s, n);
}

static int cell_int(row_ctx *rc, col_id c, const char *s, int dflt, int min, int max) {
    if (!*s) return dflt;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < min || v > max) {
        row_issue(rc, c, NULL, "“%s”应为 %d 到 %d 之间的整数", s, min, max);
        return dflt;
    }
    return (int)v;
}

static bool cell_bool(row_ctx *rc, col_id c, const char *s, bool dflt) {
    if (!*s) return dflt;
    if (!strcmp(s, "是") || !strcmp(s, "true") || !strcmp(s, "1")) return true;
    if (!strcmp(s, "否") || !strcmp(s, "false") || !strcmp(s, "0")) return false;
    row_issue(rc, c, NULL, "“%s”应为“是”或“否”", s);
    return dflt;
}

static const char *cell_code(row_ctx *rc, col_id c, ow_cat_kind kind, const char *s) {
    if (!*s) return "";
    const char *code = ow_cat_code(kind, s);
    if (code) return code;
    size_t n;
    const ow_cat_vocab *v = ow_cat_vocab_of(kind, &n);
    char allowed[200] = "";
    for (size_t i = 0; i < n; i++)
        snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%s", i ? "、" : "",
                 v[i].name);
    row_issue(rc, c, NULL, "“%s”不是可选值（%s）", s, allowed);
    return "";
}

/* Split on any of the separators 、 ， , ； ; (multi-byte aware). */
static int split_list(ow_ctx *cx, const char *s, const char ***out) {
    static const char *const seps[] = {"、", "，", ",", "；", ";"};
    const char **v = ow_alloc(cx->arena, sizeof(char *) * (strlen(s) + 1));
    int n = 0;
    const char *start = s, *p = s;
    while (*p) {
        size_t sl = 0;
        for (size_t k = 0; k < sizeof seps / sizeof seps[0] && !sl; k++)
            if (!strncmp(p, seps[k], strlen(seps[k]))) sl = strlen(seps[k]);
        if (sl) {
            const char *t = trim(cx, ow_strndup(cx->arena, start, (size_t)(p - start)));
            if (*t) v[n++] = t;
            p += sl;
            start = p;
        } else {
            p++;
        }
    }
    const char *t = trim(cx, start);
    if (*t) v[n++] = t;
    *out = v;
    return n;
}

/* Lines of a list cell, blank lines skipped. */
static int split_lines(ow_ctx *cx, const char *s, const char ***out) {
    const char **v = ow_alloc(cx->arena, sizeof(char *) * (strlen(s) + 2));
    int n = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == '\n' || !*p) {
            const char *t = trim(cx, ow_strndup(cx->arena, start, (size_t)(p - start)));
            if (*t) v[n++] = t;
            if (!*p) break;
            start = p + 1;
        }
    }
    *out = v;
    return n;
}

/* Fields of one list entry, split on "|"; always returns max slots ("" when absent). */
static int split_bar(ow_ctx *cx, const char *s, const char **f, int max) {
    int n = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == '|' || !*p) {
            if (n < max) f[n] = trim(cx, ow_strndup(cx->arena, start, (size_t)(p - start)));
            n++;
            if (!*p) break;
            start = p + 1;
        }
    }
    for (int k = n; k < max; k++)
        f[k] = "";
    return n;
}

static void parse_materials(row_ctx *rc, const char *cell, ow_item *it) {
    ow_ctx *cx = rc->cx;
    const char **lines;
    int n = split_lines(cx, cell, &lines);
    if (n > OW_ITEM_MATERIALS_MAX) {
        row_issue(rc, C_MATERIALS, NULL, "申请材料最多 %d 项", OW_ITEM_MATERIALS_MAX);
        n = OW_ITEM_MATERIALS_MAX;
    }
    it->materials = ow_alloc(cx->arena, sizeof *it->materials * (size_t)(n + 1));
    it->nmaterials = n;
    for (int i = 0; i < n; i++) {
        const char *f[10];
        int got = split_bar(cx, lines[i], f, 10);
        char field[40];
        snprintf(field, sizeof field, "materials[%d]", i);
        if (got > 10)
            row_issue(rc, C_MATERIALS, field, "第 %d 项材料的字段过多（最多 10 个，用“|”分隔）",
                      i + 1);
        ow_item_material *m = &it->materials[i];
        m->name = f[0];
        m->form = cell_code(rc, C_MATERIALS, OW_CAT_FORM, f[1]);
        m->copies = cell_int(rc, C_MATERIALS, f[2], 1, 0, 99);
        m->medium = cell_code(rc, C_MATERIALS, OW_CAT_MEDIUM, f[3]);
        const char *req = f[4];
        m->condition = "";
        if (!strncmp(req, "依情形", strlen("依情形"))) {
            m->required = "conditional";
            const char *c = req + strlen("依情形");
            if (!strncmp(c, "：", strlen("：")))
                c += strlen("：");
            else if (*c == ':')
                c++;
            m->condition = trim(cx, c);
        } else {
            m->required = cell_code(rc, C_MATERIALS, OW_CAT_REQUIRED, req);
        }
        m->source = f[5];
        m->blank_form = f[6];
        m->sample = f[7];
        m->license_type = f[8];
        m->note = f[9];
    }
}

static void parse_steps(row_ctx *rc, const char *cell, ow_item *it) {
    ow_ctx *cx = rc->cx;
    const char **lines;
    int n = split_lines(cx, cell, &lines);
    if (n > OW_ITEM_STEPS_MAX) {
        row_issue(rc, C_STEPS, NULL, "办理流程最多 %d 个环节", OW_ITEM_STEPS_MAX);
        n = OW_ITEM_STEPS_MAX;
    }
    it->steps = ow_alloc(cx->arena, sizeof *it->steps * (size_t)(n + 1));
    it->nsteps = n;
    for (int i = 0; i < n; i++) {
        const char *f[5];
        int got = split_bar(cx, lines[i], f, 5);
        char field[40];
        snprintf(field, sizeof field, "steps[%d]", i);
        if (got > 5)
            row_issue(rc, C_STEPS, field, "第 %d 个环节的字段过多（最多 5 个，用“|”分隔）", i + 1);
        ow_item_step *s = &it->steps[i];
        s->name = f[0];
        s->role = *f[1] ? cell_code(rc, C_STEPS, OW_CAT_ROLE, f[1]) : "";
        s->org_code = f[2];
        s->days = cell_int(rc, C_STEPS, f[3], 0, 0, 365);
        s->description = f[4];
    }
}

static void row_to_item(row_ctx *rc, const int *colmap, const csv_row *r, ow_item *it) {
    ow_ctx *cx = rc->cx;
    const char *v[C_COUNT];
    for (int c = 0; c < C_COUNT; c++) {
        int k = colmap[c];
        v[c] = k >= 0 && k < r->n ? trim(cx, r->cells[k]) : "";
    }
    memset(it, 0, sizeof *it);
    it->code = v[C_CODE];
    it->name = v[C_NAME];
    it->type = *v[C_TYPE] ? cell_code(rc, C_TYPE, OW_CAT_TYPE, v[C_TYPE]) : "";
    it->dept_code = v[C_DEPT];
    it->window_code = v[C_WINDOW];
    it->implementing_body = v[C_BODY];
    it->theme = v[C_THEME];
    it->target = cell_code(rc, C_TARGET, OW_CAT_TARGET, v[C_TARGET]);
    it->keywords = v[C_KEYWORDS];
    it->basis = v[C_BASIS];
    it->conditions = v[C_CONDITIONS];
    it->statutory_days =
        *v[C_STATUTORY] ? cell_int(rc, C_STATUTORY, v[C_STATUTORY], 0, 0, 365) : -1;
    it->committed_days =
        *v[C_COMMITTED] ? cell_int(rc, C_COMMITTED, v[C_COMMITTED], 0, 0, 365) : -1;
    const char *fs = v[C_FEE_STANDARD];
    it->fee = *fs && strcmp(fs, "不收费") && strcmp(fs, "无");
    it->fee_standard = it->fee ? fs : "";
    it->fee_basis = it->fee ? v[C_FEE_BASIS] : "";
    const char **list;
    int n = split_list(cx, v[C_MODES], &list);
    for (int i = 0; i < n; i++) {
        const char *m = cell_code(rc, C_MODES, OW_CAT_MODE, list[i]);
        if (!strcmp(m, "immediate"))
            it->mode_immediate = true;
        else if (!strcmp(m, "online"))
            it->mode_online = true;
        else if (!strcmp(m, "nearby"))
            it->mode_nearby = true;
        else if (!strcmp(m, "one_visit"))
            it->mode_one_visit = true;
    }
    it->visits = cell_int(rc, C_VISITS, v[C_VISITS], 1, 0, 9);
    n = split_list(cx, v[C_LEVELS], &list);
    if (n == 0) it->level_district = true;
    for (int i = 0; i < n; i++) {
        const char *l = cell_code(rc, C_LEVELS, OW_CAT_LEVEL, list[i]);
        if (!strcmp(l, "district"))
            it->level_district = true;
        else if (!strcmp(l, "township"))
            it->level_township = true;
        else if (!strcmp(l, "agent_point"))
            it->level_agent_point = true;
    }
    it->hosted = cell_bool(rc, C_HOSTED, v[C_HOSTED], true);
    it->online_depth = cell_code(rc, C_DEPTH, OW_CAT_DEPTH, v[C_DEPTH]);
    it->appointment = cell_bool(rc, C_APPOINTMENT, v[C_APPOINTMENT], false);
    it->delivery = cell_bool(rc, C_DELIVERY, v[C_DELIVERY], false);
    it->scope = v[C_SCOPE];
    it->place = v[C_PLACE];
    it->hours = v[C_HOURS];
    it->consult_phone = v[C_CONSULT];
    it->complaint_phone = v[C_COMPLAINT];
    it->result_name = v[C_RESULT];
    it->remedies = v[C_REMEDIES];
    parse_materials(rc, v[C_MATERIALS], it);
    parse_steps(rc, v[C_STEPS], it);
    /* text length limits the JSON reader applies */
    static const struct {
        col_id c;
        size_t max;
    } lens[] = {{C_NAME, 100},      {C_BODY, 100},         {C_KEYWORDS, 100},
                {C_BASIS, 4000},    {C_CONDITIONS, 4000},  {C_SCOPE, 200},
                {C_PLACE, 200},     {C_HOURS, 200},        {C_RESULT, 100},
                {C_REMEDIES, 4000}, {C_FEE_STANDARD, 200}, {C_FEE_BASIS, 200}};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
        if (ow_utf8_len(v[lens[i].c]) > lens[i].max && lens[i].c != C_NAME)
            row_issue(rc, lens[i].c, NULL, "内容过长（最多 %zu 个字）", lens[i].max);
    for (int c = 0; c < C_COUNT; c++)
        if (!ow_utf8_valid_text(v[c])) row_issue(rc, (col_id)c, NULL, "含有不允许的字符");
}

/* Which column a validation field belongs to. */
static col_id column_of(const char *field) {
    if (!strncmp(field, "materials", 9)) return C_MATERIALS;
    if (!strncmp(field, "steps", 5)) return C_STEPS;
    if (!strncmp(field, "department", 10)) return C_DEPT;
    if (!strncmp(field, "window", 6)) return C_WINDOW;
    for (int c = 0; c < C_COUNT; c++)
        if (!strcmp(COLS[c].field, field)) return (col_id)c;
    if (!strcmp(field, "fee.standard")) return C_FEE_STANDARD;
    return C_CODE;
}

static int64_t id_by_code(ow_ctx *cx, const char *code) {
    int64_t id;
    return ow_catalog_store_item_id_by_code(cx->db, code, &id, &cx->err) ? -1 : id;
}

/* The row number people see: the sheet's own for XLSX; for CSV the record's place
 * counting the header as row 1, as a spreadsheet opening the file numbers it. */
static int row_no(const csv_row *rows, int k) {
    return rows[k].sheet_row ? rows[k].sheet_row : k + 1;
}

/* Import the parsed rows (rows[0] the header): all or nothing, as described on top. */
static int import_rows(ow_ctx *cx, const char *what, csv_row *rows, int nrows, bool publish,
                       ow_catalog_issues *is, int *created, int *updated) {
    int rc;
    if (nrows < 2)
        return ow_err_set(&cx->err, OW_EINVAL, what, "导入文件没有数据行（第1行应为表头）");
    /* header */
    int colmap[C_COUNT];
    for (int c = 0; c < C_COUNT; c++)
        colmap[c] = -1;
    row_ctx hc = {cx, is, row_no(rows, 0), false};
    for (int k = 0; k < rows[0].n; k++) {
        const char *h = trim(cx, rows[0].cells[k]);
        int c = 0;
        for (; c < C_COUNT; c++)
            if (!strcmp(COLS[c].header, h)) break;
        if (c == C_COUNT) {
            hc.bad = true;
            row_issue(&hc, C_CODE, what, "表头“%s”不是可识别的列", h);
            snprintf(is->v[is->n - 1].column, sizeof is->v[0].column, "%s", h);
        } else if (colmap[c] >= 0) {
            row_issue(&hc, (col_id)c, what, "列“%s”重复出现", h);
        } else {
            colmap[c] = k;
        }
    }
    for (int c = 0; c < C_COUNT; c++)
        if (COLS[c].required && colmap[c] < 0)
            row_issue(&hc, (col_id)c, what, "缺少必需的列“%s”", COLS[c].header);
    if (hc.bad) {
        return ow_err_setk(&cx->err, OW_EINVAL, "invalid_rows", what,
                           "导入文件的表头有 %d 处错误，未导入任何事项", is->n);
    }
    int nitems = nrows - 1;
    ow_item *items = ow_alloc(cx->arena, sizeof *items * (size_t)nitems);
    for (int r = 0; r < nitems; r++) {
        /* rows are numbered as a spreadsheet shows them: the header is row 1 */
        row_ctx rcx = {cx, is, row_no(rows, r + 1), false};
        ow_item *it = &items[r];
        row_to_item(&rcx, colmap, &rows[r + 1], it);
        for (int p = 0; p < r && *it->code; p++)
            if (!strcmp(items[p].code, it->code)) {
                row_issue(&rcx, C_CODE, NULL, "事项编码 %s 与第 %d 行重复", it->code,
                          row_no(rows, p + 1));
                break;
            }
        it->id = *it->code ? id_by_code(cx, it->code) : 0;
        if (it->id < 0) return OW_EDB;
        ow_catalog_issues vis = {0};
        ow_err_clear(&cx->err);
        int vrc = ow_catalog_validate(cx, it, &vis);
        if (vrc && vrc != OW_EINVAL) {
            ow_catalog_issues_free(&vis);
            return vrc;
        }
        for (int k = 0; k < vis.n; k++)
            row_issue(&rcx, column_of(vis.v[k].field), vis.v[k].field, "%s", vis.v[k].message);
        ow_catalog_issues_free(&vis);
    }
    ow_err_clear(&cx->err);
    if (is->n)
        return ow_err_setk(&cx->err, OW_EINVAL, "invalid_rows", what,
                           "导入文件有 %d 处错误，未导入任何事项", is->n + is->dropped);
    for (int r = 0; r < nitems; r++) {
        bool was_created = false;
        if ((rc = ow_cat_upsert(cx, &items[r], publish, &was_created))) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s", cx->err.message);
            return ow_err_set(&cx->err, rc, what, "第 %d 行：%s", row_no(rows, r + 1), msg);
        }
        if (was_created)
            (*created)++;
        else
            (*updated)++;
    }
    return OW_OK;
}

int ow_catalog_import_csv(ow_ctx *cx, const char *csv, size_t len, bool publish,
                          ow_catalog_issues *is, int *created, int *updated) {
    int rc = ow_cat_require_admin(cx);
    if (rc) return rc;
    *created = *updated = 0;
    csv_row *rows = NULL;
    int nrows = 0;
    if ((rc = ow_cat_csv_rows(cx, csv, len, &rows, &nrows))) return rc;
    return import_rows(cx, "csv", rows, nrows, publish, is, created, updated);
}

int ow_catalog_import_xlsx(ow_ctx *cx, const void *xlsx, size_t len, bool publish,
                           ow_catalog_issues *is, int *created, int *updated) {
    int rc = ow_cat_require_admin(cx);
    if (rc) return rc;
    *created = *updated = 0;
    csv_row *rows = NULL;
    int nrows = 0;
    if ((rc = ow_cat_xlsx_rows(cx, xlsx, len, &rows, &nrows))) return rc;
    return import_rows(cx, "xlsx", rows, nrows, publish, is, created, updated);
}

/* ---------- writing CSV ---------- */

static void buf_sink(void *sink, const char *s, size_t n) {
    ow_buf_append(sink, s, n);
}

/* Every cell is text (the shared writer guards formulas; days and visits never start
 * with a sign). */
static void csv_cell(ow_buf *b, const char *s, bool last) {
    ow_csv_cell(buf_sink, b, s, true);
    ow_buf_puts(b, last ? "\r\n" : ",");
}

static const char *join_flags(ow_ctx *cx, ow_cat_kind kind, const bool *flags) {
    size_t n;
    const ow_cat_vocab *v = ow_cat_vocab_of(kind, &n);
    ow_buf b;
    ow_buf_init(&b, cx->arena, 64);
    for (size_t i = 0; i < n; i++)
        if (flags[i]) {
            if (b.len) ow_buf_puts(&b, "、");
            ow_buf_puts(&b, v[i].name);
        }
    return b.data;
}

/* The cells of one item's row, in column order (the same for CSV and XLSX). */
static void item_cells(ow_ctx *cx, const ow_item *it, const char **v) {
    bool modes[] = {it->mode_immediate, it->mode_online, it->mode_nearby, it->mode_one_visit};
    bool levels[] = {it->level_district, it->level_township, it->level_agent_point};
    v[C_CODE] = it->code;
    v[C_NAME] = it->name;
    v[C_TYPE] = ow_cat_name(OW_CAT_TYPE, it->type);
    v[C_DEPT] = it->dept_code;
    v[C_WINDOW] = it->window_code ? it->window_code : "";
    v[C_BODY] = it->implementing_body;
    v[C_THEME] = it->theme;
    v[C_TARGET] = ow_cat_name(OW_CAT_TARGET, it->target);
    v[C_KEYWORDS] = it->keywords;
    v[C_BASIS] = it->basis;
    v[C_CONDITIONS] = it->conditions;
    v[C_STATUTORY] = ow_sprintf(cx->arena, "%d", it->statutory_days);
    v[C_COMMITTED] = ow_sprintf(cx->arena, "%d", it->committed_days);
    v[C_FEE_STANDARD] = it->fee ? it->fee_standard : "不收费";
    v[C_FEE_BASIS] = it->fee ? it->fee_basis : "";
    v[C_MODES] = join_flags(cx, OW_CAT_MODE, modes);
    v[C_VISITS] = ow_sprintf(cx->arena, "%d", it->visits);
    v[C_LEVELS] = join_flags(cx, OW_CAT_LEVEL, levels);
    v[C_HOSTED] = it->hosted ? "是" : "否";
    v[C_DEPTH] = ow_cat_name(OW_CAT_DEPTH, it->online_depth);
    v[C_APPOINTMENT] = it->appointment ? "是" : "否";
    v[C_DELIVERY] = it->delivery ? "是" : "否";
    v[C_SCOPE] = it->scope;
    v[C_PLACE] = it->place;
    v[C_HOURS] = it->hours;
    v[C_CONSULT] = it->consult_phone;
    v[C_COMPLAINT] = it->complaint_phone;
    v[C_RESULT] = it->result_name;
    v[C_REMEDIES] = it->remedies;
    ow_buf m;
    ow_buf_init(&m, cx->arena, 256);
    for (int i = 0; i < it->nmaterials; i++) {
        const ow_item_material *x = &it->materials[i];
        const char *req = strcmp(x->required, "conditional")
                              ? ow_cat_name(OW_CAT_REQUIRED, x->required)
                              : ow_sprintf(cx->arena, "依情形：%s", x->condition);
        ow_buf_printf(&m, "%s%s|%s|%d|%s|%s|%s|%s|%s|%s|%s", i ? "\n" : "", x->name,
                      ow_cat_name(OW_CAT_FORM, x->form), x->copies,
                      ow_cat_name(OW_CAT_MEDIUM, x->medium), req, x->source, x->blank_form,
                      x->sample, x->license_type, x->note);
    }
    v[C_MATERIALS] = m.data;
    ow_buf s;
    ow_buf_init(&s, cx->arena, 128);
    for (int i = 0; i < it->nsteps; i++) {
        const ow_item_step *x = &it->steps[i];
        ow_buf_printf(&s, "%s%s|%s|%s|%d|%s", i ? "\n" : "", x->name,
                      ow_cat_name(OW_CAT_ROLE, x->role), x->org_code ? x->org_code : "", x->days,
                      x->description);
    }
    v[C_STEPS] = s.data;
    for (int c = 0; c < C_COUNT; c++)
        if (!v[c]) v[c] = "";
}

typedef struct id_list {
    ow_arena *arena;
    int64_t *v;
    int n, cap;
} id_list;

static int id_one(void *arg, int64_t id) {
    id_list *l = arg;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 256;
        int64_t *v = ow_alloc(l->arena, sizeof *v * (size_t)cap);
        if (l->n) memcpy(v, l->v, sizeof *v * (size_t)l->n);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = id;
    return OW_OK;
}

/* Every head (status filter as in the admin list) as rows of cells, ordered by code. */
static int export_rows(ow_ctx *cx, const char *status, const char ***cells, int *nrows) {
    int rc = ow_cat_require_admin(cx);
    if (rc) return rc;
    if (status && (!strcmp(status, "all") || !*status)) status = NULL;
    if (status && strcmp(status, "draft") && strcmp(status, "published") &&
        strcmp(status, "suspended"))
        return ow_err_set(&cx->err, OW_EINVAL, "status",
                          "状态应为 draft、published、suspended 或 all");
    /* ids first: loading a head reuses statements this loop would otherwise reset */
    id_list l = {.arena = cx->arena};
    if ((rc = ow_catalog_store_each_item_id(cx->db, status, id_one, &l, &cx->err))) return rc;
    int64_t *ids = l.v;
    int n = l.n;
    const char **v = ow_alloc(cx->arena, sizeof *v * (size_t)C_COUNT * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        ow_item it;
        if ((rc = ow_catalog_get_head(cx, ids[i], &it))) return rc;
        item_cells(cx, &it, v + (size_t)i * C_COUNT);
    }
    *cells = v;
    *nrows = n;
    return OW_OK;
}

int ow_catalog_export_csv(ow_ctx *cx, const char *status, char **csv, size_t *len) {
    const char **cells;
    int n;
    int rc = export_rows(cx, status, &cells, &n);
    if (rc) return rc;
    ow_buf b;
    ow_buf_init(&b, cx->arena, 4096);
    ow_buf_puts(&b, "\xEF\xBB\xBF"); /* so spreadsheets read UTF-8 */
    for (int c = 0; c < C_COUNT; c++)
        csv_cell(&b, COLS[c].header, c == C_COUNT - 1);
    for (int i = 0; i < n; i++)
        for (int c = 0; c < C_COUNT; c++)
            csv_cell(&b, cells[(size_t)i * C_COUNT + (size_t)c], c == C_COUNT - 1);
    *csv = b.data;
    *len = b.len;
    return OW_OK;
}

int ow_catalog_export_sheet(ow_ctx *cx, const char *status, ow_sheet *sheet) {
    const char **cells;
    int n;
    int rc = export_rows(cx, status, &cells, &n);
    if (rc) return rc;
    const char **header = ow_alloc(cx->arena, sizeof *header * C_COUNT);
    bool *numeric = ow_alloc(cx->arena, sizeof *numeric * C_COUNT);
    double *widths = ow_alloc(cx->arena, sizeof *widths * C_COUNT);
    for (int c = 0; c < C_COUNT; c++) {
        header[c] = COLS[c].header;
        numeric[c] = c == C_STATUTORY || c == C_COMMITTED || c == C_VISITS;
        widths[c] = c == C_NAME || c == C_BASIS || c == C_CONDITIONS ? 30
                    : c == C_MATERIALS || c == C_STEPS               ? 48
                                                                     : 14;
    }
    *sheet = (ow_sheet){.name = "事项清单",
                        .header = header,
                        .numeric = numeric,
                        .widths = widths,
                        .ncols = C_COUNT,
                        .cells = cells,
                        .nrows = n};
    return OW_OK;
}

int ow_catalog_export_xlsx(ow_ctx *cx, const char *status, char **xlsx, size_t *len) {
    ow_sheet sheet;
    int rc = ow_catalog_export_sheet(cx, status, &sheet);
    if (rc) return rc;
    return ow_sheet_xlsx(&sheet, cx->app->cfg.data_dir, xlsx, len, &cx->err);
}
