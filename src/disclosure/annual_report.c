/* annual_report.c — the annual report on government information disclosure (政府信息公开工作
 * 年度报告, Art. 49–50) in the national format (国办公开办函〔2021〕30号), for one
 * organisation or the whole district and a year, as JSON, HTML, PDF and (report_xlsx.c)
 * XLSX.
 *
 * One model of the template (report_build): the opening (legal basis, the six parts, the
 * statistics period), 一、总体情况 with its sub-headings (一)…(五), tables 二, 三 and 四
 * with the template's rows, merged headings and order, sections 五 and 六, and the
 * signature dated as the disclosure office set it.  It is a document of the document
 * service (docs.h), which draws it as PDF, writes it as HTML and as JSON for the portal,
 * and whose tables the workbook exports; no rendering spells a row or a sentence of its
 * own, so the editions cannot drift apart.
 *
 * Every figure is counted from the data, with one rule per row so the totals hold by
 * construction:
 *   一 new          received in the year
 *   二 carried in   received before the year, not concluded before it
 *   三 results      concluded in the year (received at some point), by outcome row
 *   四 carried out  received by the end of the year, not concluded by then
 * so 一 + 二 = 三(七) + 四 in every column.  Reconsideration and litigation count the
 * cases filed in the year with their result as it stood at the end of the year.
 * Publications give section 2 (rules and normative documents issued, repealed, in
 * force at the year's end; licensing, penalty and enforcement decisions published);
 * the fee income of item (八) and the three free-text sections are entered by hand. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "core/json.h"
#include "disclosure/disclosure.h"
#include "disclosure/disclosure_int.h"
#include "docs/docs.h"
#include "store/account_store.h"
#include "store/disclosure_store.h"
#include "store/docs_store.h"

#define NCOLS 7 /* 自然人, five kinds of organisation, 总计 */

static const char *const col_keys[NCOLS] = {
    "person", "commercial", "research", "public_interest", "legal_service", "other_org", "total"};
static const char *const col_names[NCOLS] = {"自然人",       "商业企业", "科研机构", "社会公益组织",
                                             "法律服务机构", "其他",     "总计"};

/* Rows of section 3 in template order: key, group label, row label, outcome group/sub. */
static const struct row_def {
    const char *key, *group, *label;
    int group_no, sub;
} rows[] = {
    {"new", "", "一、本年新收政府信息公开申请数量", 0, 0},
    {"carried_in", "", "二、上年结转政府信息公开申请数量", 0, 0},
    {"g1", "三、本年度办理结果", "（一）予以公开", 1, 0},
    {"g2", "三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2, 0},
    {"g3_1", "（三）不予公开", "1.属于国家秘密", 3, 1},
    {"g3_2", "（三）不予公开", "2.其他法律行政法规禁止公开", 3, 2},
    {"g3_3", "（三）不予公开", "3.危及“三安全一稳定”", 3, 3},
    {"g3_4", "（三）不予公开", "4.保护第三方合法权益", 3, 4},
    {"g3_5", "（三）不予公开", "5.属于三类内部事务信息", 3, 5},
    {"g3_6", "（三）不予公开", "6.属于四类过程性信息", 3, 6},
    {"g3_7", "（三）不予公开", "7.属于行政执法案卷", 3, 7},
    {"g3_8", "（三）不予公开", "8.属于行政查询事项", 3, 8},
    {"g4_1", "（四）无法提供", "1.本机关不掌握相关政府信息", 4, 1},
    {"g4_2", "（四）无法提供", "2.没有现成信息需要另行制作", 4, 2},
    {"g4_3", "（四）无法提供", "3.补正后申请内容仍不明确", 4, 3},
    {"g5_1", "（五）不予处理", "1.信访举报投诉类申请", 5, 1},
    {"g5_2", "（五）不予处理", "2.重复申请", 5, 2},
    {"g5_3", "（五）不予处理", "3.要求提供公开出版物", 5, 3},
    {"g5_4", "（五）不予处理", "4.无正当理由大量反复申请", 5, 4},
    {"g5_5", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", 5, 5},
    {"g6_1", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
     6, 1},
    {"g6_2", "（六）其他处理",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 6, 2},
    {"g6_3", "（六）其他处理", "3.其他", 6, 3},
    {"result_total", "三、本年度办理结果", "（七）总计", 0, 0},
    {"carried_out", "", "四、结转下年度继续办理", 0, 0},
};
#define NROWS (sizeof rows / sizeof rows[0])

static const char *const review_kinds[3] = {"reconsideration", "litigation_direct",
                                            "litigation_after_reconsideration"};
static const char *const review_results[5] = {"upheld", "corrected", "other", "pending", "total"};

typedef struct figures {
    int64_t t[NROWS][NCOLS];
    int64_t reviews[3][5];
    int64_t pub[2][3]; /* rules, normative × issued, repealed, valid */
    int64_t permits, penalties, enforcement, published_total, key_area;
    double fees_wan;
    int64_t info_fees_yuan;
} figures;

static int col_index(const char *type) {
    for (int i = 0; i < NCOLS - 1; i++)
        if (!strcmp(col_keys[i], type)) return i;
    return NCOLS - 2; /* unknown kinds of organisation count as 其他 */
}

static int row_index(const char *key) {
    for (size_t i = 0; i < NROWS; i++)
        if (!strcmp(rows[i].key, key)) return (int)i;
    return -1;
}

static int row_for_outcome(const char *outcome) {
    const ow_dis_outcome *o = ow_dis_outcome_find(outcome);
    if (!o) return row_index("g6_3");
    for (size_t i = 0; i < NROWS; i++)
        if (rows[i].group_no == o->group && rows[i].sub == o->sub) return (int)i;
    return row_index("g6_3");
}

/* Rows of table 三 by applicant type, to row `fixed`, or by outcome when fixed < 0. */
typedef struct count_arg {
    figures *f;
    int fixed;
} count_arg;

static void count_row(void *arg, const char *type, const char *outcome, int64_t n) {
    count_arg *ca = arg;
    int r = ca->fixed >= 0 ? ca->fixed : row_for_outcome(outcome ? outcome : "");
    ca->f->t[r][col_index(type)] += n;
}

static void review_row(void *arg, const char *kind, const char *result, int64_t n) {
    figures *f = arg;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            if (!strcmp(kind, review_kinds[i]) && result && !strcmp(result, review_results[j])) {
                f->reviews[i][j] += n;
                f->reviews[i][4] += n;
            }
}

static int compute(ow_ctx *cx, int64_t org, int year, figures *f) {
    memset(f, 0, sizeof *f);
    char from[11], to[11];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    static const struct {
        ow_dis_req_count which;
        const char *row; /* NULL: by outcome */
    } counts[] = {{OW_DIS_REQ_NEW, "new"},
                  {OW_DIS_REQ_CARRIED_IN, "carried_in"},
                  {OW_DIS_REQ_CONCLUDED, NULL},
                  {OW_DIS_REQ_CARRIED_OUT, "carried_out"}};
    int rc;
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        count_arg ca = {f, counts[i].row ? row_index(counts[i].row) : -1};
        if ((rc = ow_dis_store_request_counts(cx->db, counts[i].which, org, from, to, count_row,
                                              &ca, &cx->err)))
            return rc;
    }
    /* totals: the result total row sums the outcome rows; the total column sums a row */
    int tot = row_index("result_total");
    for (size_t r = 0; r < NROWS; r++) {
        if (rows[r].group_no)
            for (int c = 0; c < NCOLS - 1; c++)
                f->t[tot][c] += f->t[r][c];
    }
    for (size_t r = 0; r < NROWS; r++) {
        f->t[r][NCOLS - 1] = 0;
        for (int c = 0; c < NCOLS - 1; c++)
            f->t[r][NCOLS - 1] += f->t[r][c];
    }
    /* reconsideration and litigation, as things stood at the end of the year */
    if ((rc = ow_dis_store_review_counts(cx->db, org, from, to, review_row, f, &cx->err)))
        return rc;
    /* publications: section 2 */
    static const char *const cols2[2] = {"rules", "normative"};
    static const ow_dis_pub_count per_col[3] = {OW_DIS_PUB_ISSUED, OW_DIS_PUB_REPEALED,
                                                OW_DIS_PUB_VALID};
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 3; k++)
            if ((rc = ow_dis_store_publication_count(cx->db, per_col[k], org, from, to, cols2[i],
                                                     &f->pub[i][k], &cx->err)))
                return rc;
    if ((rc = ow_dis_store_publication_count(cx->db, OW_DIS_PUB_ISSUED, org, from, to, "permits",
                                             &f->permits, &cx->err)) ||
        (rc = ow_dis_store_publication_count(cx->db, OW_DIS_PUB_ISSUED, org, from, to, "penalties",
                                             &f->penalties, &cx->err)) ||
        (rc = ow_dis_store_publication_count(cx->db, OW_DIS_PUB_ISSUED, org, from, to,
                                             "enforcement", &f->enforcement, &cx->err)) ||
        (rc = ow_dis_store_publication_count(cx->db, OW_DIS_PUB_PUBLISHED, org, from, to, NULL,
                                             &f->published_total, &cx->err)) ||
        (rc = ow_dis_store_publication_count(cx->db, OW_DIS_PUB_KEY_AREA, org, from, to, NULL,
                                             &f->key_area, &cx->err)) ||
        (rc = ow_dis_store_fees_paid(cx->db, org, from, to, &f->info_fees_yuan, &cx->err)))
        return rc;
    return OW_OK;
}

typedef struct texts {
    const char *overview, *problems, *other;
    double fees_wan;
    const char *unit;
} texts;

static int load_texts(ow_ctx *cx, int64_t org, int year, texts *t) {
    memset(t, 0, sizeof *t);
    int rc;
    if (org) {
        bool found;
        if ((rc = ow_account_store_org_name(cx->db, org, cx->arena, &t->unit, &found, &cx->err)))
            return rc;
        if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "org_id", "机构不存在");
    } else {
        t->unit = ow_sprintf(cx->arena, "%s人民政府", cx->app->cfg.region_name);
    }
    ow_dis_report_texts rt;
    if ((rc = ow_dis_store_report_texts(cx->db, cx->arena, org, year, &rt, &cx->err))) return rc;
    t->overview = rt.overview;
    t->problems = rt.problems;
    t->other = rt.other;
    t->fees_wan = rt.admin_fees_wan;
    return OW_OK;
}

static json_t *num_array(const int64_t *v, int n) {
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer(v[i]));
    return a;
}

bool ow_dis_office_discloser(ow_ctx *cx) {
    if (!ow_actor_is(&cx->actor, "discloser") || !cx->actor.org_id || !cx->app) return false;
    int64_t office;
    return !ow_account_store_org_id_by_code(cx->db, cx->app->cfg.disclosure_office, &office,
                                            &cx->err) &&
           office && office == cx->actor.org_id;
}

/* Who edits a report's texts: a unit's own disclosers; the district's, the disclosure
 * office's (config disclosure_office) — a unit's discloser is not the district's voice. */
static bool may_edit_report(ow_ctx *cx, int64_t org_id) {
    if (cx->actor.system || ow_actor_is(&cx->actor, "admin")) return true;
    if (!org_id) return ow_dis_office_discloser(cx);
    return ow_actor_is(&cx->actor, "discloser") && org_id == cx->actor.org_id;
}

/* ---------------- the model of the template ---------------- */

/* The sub-sections of 一、总体情况 that published reports carry, in order. */
static const struct {
    const char *key, *heading;
} OVERVIEW[OW_REPORT_OVERVIEW_PARTS] = {
    {"overview_active", "（一）主动公开"},         {"overview_requests", "（二）依申请公开"},
    {"overview_management", "（三）政府信息管理"}, {"overview_platform", "（四）平台建设"},
    {"overview_oversight", "（五）监督保障"},
};

/* Printed where the office has written nothing and no default can be drawn from the
 * figures: the gap shows rather than a text nobody wrote. */
#define NOT_WRITTEN "（尚未填写）"

#define T2_ROWS 14
#define T3_ROWS (3 + (int)NROWS)
#define T3_COLS (3 + NCOLS)
#define T4_ROWS 4
#define T4_COLS 15

struct ow_dis_report {
    int64_t org;
    int year;
    figures f;
    texts t;              /* as entered (and the unit's name) */
    ow_report_settings s; /* as entered */
    /* as printed */
    const char *title, *opening, *overview, *ov[OW_REPORT_OVERVIEW_PARTS], *problems, *other,
        *fee_sentence, *sign_date, *fees_text;
    ow_doc_notice doc;
    ow_doc_block blocks[32];
    ow_doc_table t2, t3, t4;
    const char *c2[T2_ROWS * 4], *k2[T2_ROWS];
    unsigned char f2[T2_ROWS * 4];
    ow_doc_span s2[16];
    const char *c3[T3_ROWS * T3_COLS], *k3[T3_ROWS], *ck3[T3_COLS];
    unsigned char f3[T3_ROWS * T3_COLS];
    ow_doc_span s3[48];
    const char *c4[T4_ROWS * T4_COLS];
    unsigned char f4[T4_ROWS * T4_COLS];
    ow_doc_span s4[16];
};

/* 万元 as reports print it: two decimals, up to four when the yuan need them
 * (12.35, 0.00, 3.1416). */
static const char *wan_text(ow_arena *a, double v) {
    char s[64];
    snprintf(s, sizeof s, "%.4f", v);
    size_t n = strlen(s), dot = (size_t)(strchr(s, '.') - s);
    while (n > dot + 3 && s[n - 1] == '0')
        s[--n] = '\0';
    return ow_strdup(a, s);
}

static const char *num(ow_ctx *cx, int64_t v) {
    return ow_sprintf(cx->arena, "%lld", (long long)v);
}

static int64_t group_total(const figures *f, int group) {
    int64_t n = 0;
    for (size_t r = 0; r < NROWS; r++)
        if (rows[r].group_no == group) n += f->t[r][NCOLS - 1];
    return n;
}

/* What is printed: the office's texts, or the template's defaults drawn from the figures. */
static void report_texts(ow_ctx *cx, ow_dis_report *rp) {
    ow_arena *a = cx->arena;
    const figures *f = &rp->f;
    int y = rp->year;
    int tot = row_index("result_total"), nw = row_index("new"), in = row_index("carried_in"),
        out = row_index("carried_out");
    rp->title = ow_sprintf(a, "%s%d年政府信息公开工作年度报告", rp->t.unit, y);
    rp->opening =
        *rp->s.opening
            ? rp->s.opening
            : ow_sprintf(
                  a,
                  "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）第四十九条、"
                  "第五十条和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕"
                  "30号）的要求编制，全文包括总体情况、主动公开政府信息情况、收到和处理政府信息"
                  "公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、"
                  "其他需要报告的事项六个部分。本报告所列数据的统计期限为%d年1月1日至%d年12月"
                  "31日。",
                  y, y);
    rp->overview =
        rp->t.overview && *rp->t.overview
            ? rp->t.overview
            : ow_sprintf(
                  a,
                  "%d年，%s认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
                  "不公开为例外。全年主动公开政府信息%lld条，其中重点领域信息%lld条；收到政府"
                  "信息公开申请%lld件，办结%lld件，结转下年度继续办理%lld件。",
                  y, rp->t.unit, (long long)f->published_total, (long long)f->key_area,
                  (long long)f->t[nw][NCOLS - 1], (long long)f->t[tot][NCOLS - 1],
                  (long long)f->t[out][NCOLS - 1]);
    const char *dflt[OW_REPORT_OVERVIEW_PARTS] = {
        ow_sprintf(a,
                   "全年主动公开政府信息%lld条，其中财政预决算、重大建设项目、公共资源配置、社会"
                   "公益事业等重点领域信息%lld条。制发行政规范性文件%lld件、废止%lld件，现行有效"
                   "%lld件；公开行政许可决定%lld件、行政处罚决定%lld件、行政强制决定%lld件。",
                   (long long)f->published_total, (long long)f->key_area, (long long)f->pub[1][0],
                   (long long)f->pub[1][1], (long long)f->pub[1][2], (long long)f->permits,
                   (long long)f->penalties, (long long)f->enforcement),
        ow_sprintf(
            a,
            "全年新收政府信息公开申请%lld件，上年结转%lld件；办结%lld件，其中予以公开%lld件、"
            "部分公开%lld件、不予公开%lld件、无法提供%lld件、不予处理%lld件、其他处理%lld件；"
            "结转下年度继续办理%lld件。因政府信息公开申请行政复议%lld件、提起行政诉讼%lld件。",
            (long long)f->t[nw][NCOLS - 1], (long long)f->t[in][NCOLS - 1],
            (long long)f->t[tot][NCOLS - 1], (long long)group_total(f, 1),
            (long long)group_total(f, 2), (long long)group_total(f, 3),
            (long long)group_total(f, 4), (long long)group_total(f, 5),
            (long long)group_total(f, 6), (long long)f->t[out][NCOLS - 1],
            (long long)f->reviews[0][4], (long long)(f->reviews[1][4] + f->reviews[2][4])),
        NOT_WRITTEN, NOT_WRITTEN, NOT_WRITTEN};
    for (int i = 0; i < OW_REPORT_OVERVIEW_PARTS; i++)
        rp->ov[i] = *rp->s.overview[i] ? rp->s.overview[i] : dflt[i];
    rp->problems = rp->t.problems && *rp->t.problems ? rp->t.problems : NOT_WRITTEN;
    rp->other = rp->t.other ? rp->t.other : "";
    rp->fee_sentence =
        f->info_fees_yuan
            ? ow_sprintf(a, "本年度依据《政府信息公开信息处理费管理办法》收取信息处理费%lld元。",
                         (long long)f->info_fees_yuan)
            : "本年度未收取信息处理费。";
    rp->fees_text = wan_text(a, rp->t.fees_wan);
    if (*rp->s.report_date) {
        char d[32];
        ow_docs_chinese_date(rp->s.report_date, d, sizeof d);
        rp->sign_date = ow_strdup(a, d);
    }
}

static void span(ow_doc_span *s, size_t *n, int row, int col, int rs, int cs) {
    s[(*n)++] = (ow_doc_span){row, col, rs, cs};
}

/* Table 二: four blocks named by Art. 20 items (一), (五), (六), (八), each with its own
 * heading row and column headings, as the template sets them. */
static void table_active(ow_ctx *cx, ow_dis_report *rp) {
    const figures *f = &rp->f;
    const char **c = rp->c2;
    unsigned char *fl = rp->f2;
    size_t ns = 0;
    int r = 0;
#define CELL(row, col, text, flags) (c[(row)*4 + (col)] = (text), fl[(row)*4 + (col)] = (flags))
    static const char *const h[] = {"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"};
    static const char *const item[] = {"第二十条第（一）项", "第二十条第（五）项",
                                       "第二十条第（六）项", "第二十条第（八）项"};
    CELL(r, 0, item[0], OW_CELL_HEAD);
    span(rp->s2, &ns, r++, 0, 1, 4);
    for (int i = 0; i < 4; i++)
        CELL(r, i, h[i], OW_CELL_HEAD);
    r++;
    static const char *const kinds[2][2] = {{"rules", "规章"}, {"normative", "行政规范性文件"}};
    for (int k = 0; k < 2; k++, r++) {
        rp->k2[r] = kinds[k][0];
        CELL(r, 0, kinds[k][1], OW_CELL_LEFT);
        for (int i = 0; i < 3; i++)
            CELL(r, 1 + i, num(cx, f->pub[k][i]), OW_CELL_NUM);
    }
    const struct {
        const char *item, *heading, *name, *key, *value;
    } blocks[] = {
        {item[1], "本年处理决定数量", "行政许可", "permits", num(cx, f->permits)},
        {item[2], "本年处理决定数量", "行政处罚", "penalties", num(cx, f->penalties)},
        {NULL, NULL, "行政强制", "enforcement", num(cx, f->enforcement)},
        {item[3], "本年收费金额（单位：万元）", "行政事业性收费", "fees", rp->fees_text},
    };
    for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
        if (blocks[b].item) {
            CELL(r, 0, blocks[b].item, OW_CELL_HEAD);
            span(rp->s2, &ns, r++, 0, 1, 4);
            CELL(r, 0, "信息内容", OW_CELL_HEAD);
            CELL(r, 1, blocks[b].heading, OW_CELL_HEAD);
            span(rp->s2, &ns, r++, 1, 1, 3);
        }
        rp->k2[r] = blocks[b].key;
        CELL(r, 0, blocks[b].name, OW_CELL_LEFT);
        CELL(r, 1, blocks[b].value, OW_CELL_NUM);
        span(rp->s2, &ns, r++, 1, 1, 3);
    }
#undef CELL
    assert(r == T2_ROWS);
    static const double w[] = {3, 2, 2, 2};
    rp->t2 = (ow_doc_table){.rows = T2_ROWS,
                            .cols = 4,
                            .cells = c,
                            .col_widths = w,
                            .spans = rp->s2,
                            .nspans = ns,
                            .flags = fl,
                            .id = "active",
                            .row_keys = rp->k2,
                            .sheet = "二、主动公开政府信息情况"};
}

/* Table 三: three heading rows (申请人情况 over 自然人, 法人或其他组织 over its five kinds,
 * 总计), the template's sentence on how the figures balance in the corner; then rows 一,
 * 二, 三 (本年度办理结果, spanning its outcome rows, each group (三)…(六) spanning its
 * numbered reasons), 四. */
static void table_requests(ow_ctx *cx, ow_dis_report *rp) {
    const figures *f = &rp->f;
    const char **c = rp->c3;
    unsigned char *fl = rp->f3;
    size_t ns = 0;
#define CELL(row, col, text, flags)                                                                \
    (c[(row)*T3_COLS + (col)] = (text), fl[(row)*T3_COLS + (col)] = (flags))
    CELL(0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
         OW_CELL_HEAD);
    span(rp->s3, &ns, 0, 0, 3, 3);
    CELL(0, 3, "申请人情况", OW_CELL_HEAD);
    span(rp->s3, &ns, 0, 3, 1, NCOLS);
    CELL(1, 3, col_names[0], OW_CELL_HEAD);
    span(rp->s3, &ns, 1, 3, 2, 1);
    CELL(1, 4, "法人或其他组织", OW_CELL_HEAD);
    span(rp->s3, &ns, 1, 4, 1, NCOLS - 2);
    CELL(1, 3 + NCOLS - 1, col_names[NCOLS - 1], OW_CELL_HEAD);
    span(rp->s3, &ns, 1, 3 + NCOLS - 1, 2, 1);
    for (int k = 1; k < NCOLS - 1; k++)
        CELL(2, 3 + k, col_names[k], OW_CELL_HEAD);
    for (int k = 0; k < NCOLS; k++)
        rp->ck3[3 + k] = col_keys[k];
    int first = -1, last = -1;
    for (size_t i = 0; i < NROWS; i++)
        if (rows[i].group_no || !strcmp(rows[i].key, "result_total")) {
            if (first < 0) first = (int)i;
            last = (int)i;
        }
    for (size_t i = 0; i < NROWS; i++) {
        int r = 3 + (int)i;
        rp->k3[r] = rows[i].key;
        bool in_results = (int)i >= first && (int)i <= last;
        if (!in_results) {
            CELL(r, 0, rows[i].label, OW_CELL_LEFT);
            span(rp->s3, &ns, r, 0, 1, 3);
        } else {
            if ((int)i == first) {
                CELL(r, 0, "三、本年度办理结果", 0);
                span(rp->s3, &ns, r, 0, last - first + 1, 1);
            }
            if (!rows[i].sub) {
                CELL(r, 1, rows[i].label, OW_CELL_LEFT);
                span(rp->s3, &ns, r, 1, 1, 2);
            } else {
                if (i == 0 || strcmp(rows[i - 1].group, rows[i].group)) {
                    int n = 1;
                    while (i + n < NROWS && !strcmp(rows[i + n].group, rows[i].group))
                        n++;
                    CELL(r, 1, rows[i].group, OW_CELL_LEFT);
                    span(rp->s3, &ns, r, 1, n, 1);
                }
                CELL(r, 2, rows[i].label, OW_CELL_LEFT);
            }
        }
        for (int k = 0; k < NCOLS; k++)
            CELL(r, 3 + k, num(cx, f->t[i][k]), OW_CELL_NUM);
    }
#undef CELL
    static const double w[T3_COLS] = {2.2, 4.4, 13.4, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5};
    rp->t3 = (ow_doc_table){.rows = T3_ROWS,
                            .cols = T3_COLS,
                            .cells = c,
                            .col_widths = w,
                            .header_rows = 3,
                            .spans = rp->s3,
                            .nspans = ns,
                            .flags = fl,
                            .id = "requests",
                            .row_keys = rp->k3,
                            .col_keys = rp->ck3,
                            .sheet = "三、收到和处理政府信息公开申请情况",
                            .font_pt = 9};
}

/* Table 四: one row of fifteen figures under 行政复议 | 行政诉讼 (未经复议直接起诉 |
 * 复议后起诉), each with 结果维持 结果纠正 其他结果 尚未审结 总计. */
static void table_reviews(ow_ctx *cx, ow_dis_report *rp) {
    const char **c = rp->c4;
    unsigned char *fl = rp->f4;
    size_t ns = 0;
    static const char *const res[5] = {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"};
#define CELL(row, col, text, flags)                                                                \
    (c[(row)*T4_COLS + (col)] = (text), fl[(row)*T4_COLS + (col)] = (flags))
    CELL(0, 0, "行政复议", OW_CELL_HEAD);
    span(rp->s4, &ns, 0, 0, 1, 5);
    CELL(0, 5, "行政诉讼", OW_CELL_HEAD);
    span(rp->s4, &ns, 0, 5, 1, 10);
    for (int k = 0; k < 5; k++) {
        CELL(1, k, res[k], OW_CELL_HEAD);
        span(rp->s4, &ns, 1, k, 2, 1);
    }
    CELL(1, 5, "未经复议直接起诉", OW_CELL_HEAD);
    span(rp->s4, &ns, 1, 5, 1, 5);
    CELL(1, 10, "复议后起诉", OW_CELL_HEAD);
    span(rp->s4, &ns, 1, 10, 1, 5);
    for (int k = 0; k < 10; k++)
        CELL(2, 5 + k, res[k % 5], OW_CELL_HEAD);
    for (int g = 0; g < 3; g++)
        for (int k = 0; k < 5; k++)
            CELL(3, g * 5 + k, num(cx, rp->f.reviews[g][k]), OW_CELL_NUM);
#undef CELL
    rp->t4 = (ow_doc_table){.rows = T4_ROWS,
                            .cols = T4_COLS,
                            .cells = c,
                            .header_rows = 3,
                            .spans = rp->s4,
                            .nspans = ns,
                            .flags = fl,
                            .id = "reviews",
                            .sheet = "四、行政复议行政诉讼情况",
                            .font_pt = 9};
}

static void report_document(ow_ctx *cx, ow_dis_report *rp) {
    table_active(cx, rp);
    table_requests(cx, rp);
    table_reviews(cx, rp);
    ow_doc_block *b = rp->blocks;
    size_t n = 0;
#define H1(t) (b[n++] = (ow_doc_block){.kind = OW_DOC_HEADING1, .text = (t)})
#define H2(t) (b[n++] = (ow_doc_block){.kind = OW_DOC_HEADING2, .text = (t)})
#define P(t) (b[n++] = (ow_doc_block){.kind = OW_DOC_PARA, .text = (t)})
#define T(t) (b[n++] = (ow_doc_block){.kind = OW_DOC_TABLE, .table = (t)})
    P(rp->opening);
    H1("一、总体情况");
    P(rp->overview);
    for (int i = 0; i < OW_REPORT_OVERVIEW_PARTS; i++) {
        H2(OVERVIEW[i].heading);
        P(rp->ov[i]);
    }
    H1("二、主动公开政府信息情况");
    T(&rp->t2);
    H1("三、收到和处理政府信息公开申请情况");
    T(&rp->t3);
    H1("四、政府信息公开行政复议、行政诉讼情况");
    T(&rp->t4);
    H1("五、存在的主要问题及改进情况");
    P(rp->problems);
    H1("六、其他需要报告的事项");
    if (*rp->other) P(rp->other);
    P(rp->fee_sentence);
#undef H1
#undef H2
#undef P
#undef T
    assert(n <= sizeof rp->blocks / sizeof rp->blocks[0]);
    rp->doc = (ow_doc_notice){.title = rp->title,
                              .issuer = rp->t.unit,
                              .blocks = rp->blocks,
                              .nblocks = n,
                              .sign_date = rp->sign_date};
}

int ow_dis_report_build(ow_ctx *cx, int64_t org_id, int year, ow_dis_report **out) {
    ow_dis_report *rp = ow_alloc(cx->arena, sizeof *rp);
    rp->org = org_id;
    rp->year = year;
    int rc;
    if ((rc = load_texts(cx, org_id, year, &rp->t)) ||
        (rc = ow_docs_store_report_settings(cx->db, cx->arena, org_id, year, &rp->s, &cx->err)) ||
        (rc = compute(cx, org_id, year, &rp->f)))
        return rc;
    report_texts(cx, rp);
    report_document(cx, rp);
    *out = rp;
    return OW_OK;
}

const ow_doc_notice *ow_dis_report_doc(const ow_dis_report *rp) {
    return &rp->doc;
}

/* ---------------- JSON ---------------- */

static json_t *str_or_null(const char *s) {
    return s && *s ? json_string(s) : json_null();
}

int ow_dis_report_json(ow_ctx *cx, int64_t org_id, int year, json_t **out) {
    ow_dis_report *rp;
    int rc = ow_dis_report_build(cx, org_id, year, &rp);
    if (rc) return rc;
    const figures *f = &rp->f;
    json_t *cols = json_array();
    for (int c = 0; c < NCOLS; c++)
        json_array_append_new(cols,
                              json_pack("{s:s,s:s}", "key", col_keys[c], "name", col_names[c]));
    json_t *rws = json_array();
    for (size_t r = 0; r < NROWS; r++)
        json_array_append_new(rws, json_pack("{s:s,s:s,s:s,s:o}", "key", rows[r].key, "group",
                                             rows[r].group, "label", rows[r].label, "values",
                                             num_array(f->t[r], NCOLS)));
    json_t *rv = json_object();
    for (int i = 0; i < 3; i++)
        json_object_set_new(rv, review_kinds[i], num_array(f->reviews[i], 5));
    json_t *texts =
        json_pack("{s:s,s:s,s:s,s:s,s:s}", "opening", rp->opening, "overview", rp->overview,
                  "problems", rp->problems, "other", rp->other, "info_fees", rp->fee_sentence);
    json_t *entered = json_pack("{s:s,s:s,s:s,s:s,s:o}", "opening", rp->s.opening, "overview",
                                rp->t.overview ? rp->t.overview : "", "problems",
                                rp->t.problems ? rp->t.problems : "", "other", rp->other,
                                "report_date", str_or_null(rp->s.report_date));
    for (int i = 0; i < OW_REPORT_OVERVIEW_PARTS; i++) {
        json_object_set_new(texts, OVERVIEW[i].key, json_string(rp->ov[i]));
        json_object_set_new(entered, OVERVIEW[i].key, json_string(rp->s.overview[i]));
    }
    *out = json_pack(
        "{s:i,s:I,s:s,s:s,s:o,s:o,s:o,s:{s:{s:I,s:I,s:I},s:{s:I,s:I,s:I},s:I,s:I,s:I,s:f,s:s,s:I,"
        "s:I},s:{s:o,s:o},s:{s:o,s:o},s:I}",
        "year", year, "org_id", (json_int_t)org_id, "unit", rp->t.unit, "title", rp->title,
        "report_date", str_or_null(rp->s.report_date), "texts", texts, "entered", entered, "active",
        "rules", "issued", (json_int_t)f->pub[0][0], "repealed", (json_int_t)f->pub[0][1], "valid",
        (json_int_t)f->pub[0][2], "normative", "issued", (json_int_t)f->pub[1][0], "repealed",
        (json_int_t)f->pub[1][1], "valid", (json_int_t)f->pub[1][2], "permits",
        (json_int_t)f->permits, "penalties", (json_int_t)f->penalties, "enforcement",
        (json_int_t)f->enforcement, "fees_wan", atof(rp->fees_text), "fees_text", rp->fees_text,
        "published_total", (json_int_t)f->published_total, "key_area", (json_int_t)f->key_area,
        "requests", "columns", cols, "rows", rws, "reviews", "columns",
        json_pack("[s,s,s,s,s]", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), "values",
        rv, "info_fees_yuan", (json_int_t)f->info_fees_yuan);
    if (!*out) return ow_err_set(&cx->err, OW_EINTERNAL, "", "年度报告生成失败");
    json_object_set_new(*out, "document", ow_docs_json(&rp->doc));
    json_object_set_new(*out, "may_edit", json_boolean(may_edit_report(cx, org_id)));
    return OW_OK;
}

/* ---------------- saving what the office sets ---------------- */

/* The office's settings in a request: the opening, the five sub-sections of 一、总体情况
 * and the report's date (YYYY-MM-DD within the year after the statistics period, or null
 * to clear it).  NULL members: not sent, left as they are. */
static int settings_in(ow_ctx *cx, const json_t *in, int year, ow_report_settings *s) {
    *s = (ow_report_settings){0};
    int rc;
    if ((rc = ow_json_str(in, "opening", false, 2000, &s->opening, &cx->err))) return rc;
    for (int i = 0; i < OW_REPORT_OVERVIEW_PARTS; i++)
        if ((rc = ow_json_str(in, OVERVIEW[i].key, false, 5000, &s->overview[i], &cx->err)))
            return rc;
    json_t *d = json_object_get(in, "report_date");
    if (!d) return OW_OK;
    if (json_is_null(d)) {
        s->report_date = "";
        return OW_OK;
    }
    int32_t day, lo = ow_date_from_ymd(year + 1, 1, 1), hi = ow_date_from_ymd(year + 1, 12, 31);
    const char *v = json_string_value(d);
    if (!v || strlen(v) != 10 || ow_date_parse(v, &day))
        return ow_err_set(&cx->err, OW_EINVAL, "report_date",
                          "报告日期应为 YYYY-MM-DD 格式的日期（如 %d-01-20）", year + 1);
    if (day < lo || day > hi)
        return ow_err_setk(&cx->err, OW_EINVAL, "date_out_of_range", "report_date",
                           "报告日期应在统计期限（%d年1月1日至%d年12月31日）结束之后，"
                           "即%d年1月1日至%d年12月31日之间",
                           year, year, year + 1, year + 1);
    s->report_date = v;
    return OW_OK;
}

int ow_dis_report_save(ow_ctx *cx, int64_t org_id, int year, const json_t *in) {
    if (!may_edit_report(cx, org_id))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          org_id
                              ? "只有本单位的政务公开人员可以编辑本单位的年度报告"
                              : "全区年度报告由政府信息公开工作主管部门（政务公开办）的人员编辑");
    const char *ov = NULL, *pr = NULL, *ot = NULL;
    json_t *fees = json_object_get(in, "admin_fees_wan");
    int rc;
    if ((rc = ow_json_str(in, "overview", false, 5000, &ov, &cx->err)) ||
        (rc = ow_json_str(in, "problems", false, 5000, &pr, &cx->err)) ||
        (rc = ow_json_str(in, "other", false, 5000, &ot, &cx->err)))
        return rc;
    if (fees && !json_is_number(fees))
        return ow_err_set(&cx->err, OW_EINVAL, "admin_fees_wan",
                          "行政事业性收费金额应为数字（万元）");
    double fw = fees ? json_number_value(fees) : -1;
    if (fees && (fw < 0 || fw > 1e7 || isnan(fw)))
        return ow_err_set(&cx->err, OW_EINVAL, "admin_fees_wan",
                          "行政事业性收费金额应在 0 到 1000 万万元之间");
    ow_report_settings set;
    if ((rc = settings_in(cx, in, year, &set))) return rc;
    ow_dis_report_texts rt = {ov, pr, ot, fees ? fw : -1};
    if ((rc = ow_dis_store_report_texts_put(cx->db, org_id, year, &rt, ow_clock_now_ms(cx->clock),
                                            cx->actor.user_id, &cx->err)))
        return rc;
    if ((rc = ow_docs_store_report_settings_put(
             cx->db, org_id, year, &set, ow_clock_now_ms(cx->clock), cx->actor.user_id, &cx->err)))
        return rc;
    char ids[40];
    snprintf(ids, sizeof ids, "%lld/%d", (long long)org_id, year);
    return ow_audit_append(cx, "disclosure_report.save", "disclosure_report", ids, NULL);
}

/* ---------------- HTML and PDF: the document service's renderings of the model ---------------- */

int ow_dis_report_html(ow_ctx *cx, int64_t org_id, int year, char **html, size_t *len) {
    ow_dis_report *rp;
    int rc = ow_dis_report_build(cx, org_id, year, &rp);
    if (rc) return rc;
    ow_buf b;
    ow_buf_init(&b, cx->arena, 32768);
    ow_docs_render_html(&rp->doc, &b);
    *html = b.data;
    *len = b.len;
    return OW_OK;
}

int ow_dis_report_pdf(ow_ctx *cx, int64_t org_id, int year, unsigned char **pdf, size_t *len) {
    ow_dis_report *rp;
    int rc = ow_dis_report_build(cx, org_id, year, &rp);
    if (rc) return rc;
    return ow_docs_render_notice(&rp->doc, pdf, len, &cx->err);
}
