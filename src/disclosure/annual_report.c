/* annual_report.c — the annual report on government information disclosure (政府信息公开工作
 * 年度报告, Art. 49–50) in the national format (国办公开办函〔2021〕30号), for one
 * organisation or the whole district and a year, as JSON, HTML and PDF.
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
#include "docs/docs.h"
#include "store/db.h"

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

/* Run a counting query with (org, from, to) bound as ?1 ?2 ?3 whose rows are
 * (applicant_type, [outcome,] count); add them to row `fixed` or by outcome. */
static int count_into(ow_ctx *cx, figures *f, const char *sql, int64_t org, const char *from,
                      const char *to, int fixed) {
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int c = col_index((const char *)sqlite3_column_text(st, 0));
        int r = fixed >= 0 ? fixed : row_for_outcome((const char *)sqlite3_column_text(st, 1));
        f->t[r][c] += sqlite3_column_int64(st, fixed >= 0 ? 1 : 2);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return ow_db_fail(cx->db, "report count", &cx->err);
    return OW_OK;
}

static int scalar(ow_ctx *cx, const char *sql, int64_t org, const char *a, const char *b,
                  const char *c, int64_t *out) {
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_text(st, 2, a, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, b, -1, SQLITE_TRANSIENT);
    if (c) sqlite3_bind_text(st, 4, c, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW) return ow_db_fail(cx->db, "report scalar", &cx->err);
    *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return OW_OK;
}

static int compute(ow_ctx *cx, int64_t org, int year, figures *f) {
    memset(f, 0, sizeof *f);
    char from[11], to[11];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
#define ORG " (?1 = 0 OR org_id = ?1) "
    int rc;
    if ((rc = count_into(cx, f,
                         "SELECT applicant_type, count(*) FROM info_requests WHERE" ORG
                         "AND received_date BETWEEN ?2 AND ?3 GROUP BY applicant_type",
                         org, from, to, row_index("new"))) ||
        (rc = count_into(
             cx, f,
             "SELECT applicant_type, count(*) FROM info_requests WHERE" ORG
             "AND received_date < ?2 AND (concluded_date IS NULL OR concluded_date >= ?2)"
             " AND ?3 IS NOT NULL GROUP BY applicant_type",
             org, from, to, row_index("carried_in"))) ||
        (rc = count_into(cx, f,
                         "SELECT applicant_type, outcome, count(*) FROM info_requests WHERE" ORG
                         "AND received_date IS NOT NULL AND concluded_date BETWEEN ?2 AND ?3"
                         " GROUP BY applicant_type, outcome",
                         org, from, to, -1)) ||
        (rc = count_into(
             cx, f,
             "SELECT applicant_type, count(*) FROM info_requests WHERE" ORG
             "AND received_date <= ?3 AND (concluded_date IS NULL OR concluded_date > ?3)"
             " AND ?2 IS NOT NULL GROUP BY applicant_type",
             org, from, to, row_index("carried_out"))))
        return rc;
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
    static const char *rsql =
        "SELECT v.kind, CASE WHEN v.result <> 'pending' AND v.decided_date <= ?3 THEN v.result"
        " ELSE 'pending' END, count(*) FROM info_request_reviews v JOIN info_requests r"
        " ON r.id = v.request_id WHERE (?1 = 0 OR r.org_id = ?1) AND v.filed_date BETWEEN ?2 AND ?3"
        " GROUP BY 1, 2";
    sqlite3_stmt *st = ow_db_stmt(cx->db, rsql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *res = (const char *)sqlite3_column_text(st, 1);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                if (!strcmp(k, review_kinds[i]) && !strcmp(res, review_results[j])) {
                    f->reviews[i][j] += sqlite3_column_int64(st, 2);
                    f->reviews[i][4] += sqlite3_column_int64(st, 2);
                }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return ow_db_fail(cx->db, "report reviews", &cx->err);
    /* publications: section 2 */
    static const char *const cols2[2] = {"rules", "normative"};
    for (int i = 0; i < 2; i++) {
        if ((rc = scalar(cx,
                         "SELECT count(*) FROM publications WHERE" ORG "AND state = 'published'"
                         " AND column_code = ?4 AND issued_date BETWEEN ?2 AND ?3",
                         org, from, to, cols2[i], &f->pub[i][0])) ||
            (rc = scalar(cx,
                         "SELECT count(*) FROM publications WHERE" ORG "AND state = 'published'"
                         " AND column_code = ?4 AND validity = 'repealed'"
                         " AND repealed_date BETWEEN ?2 AND ?3",
                         org, from, to, cols2[i], &f->pub[i][1])) ||
            (rc = scalar(cx,
                         "SELECT count(*) FROM publications WHERE" ORG "AND state = 'published'"
                         " AND column_code = ?4 AND issued_date <= ?3 AND validity <> 'expired'"
                         " AND (validity <> 'repealed' OR repealed_date > ?3) AND ?2 IS NOT NULL",
                         org, from, to, cols2[i], &f->pub[i][2])))
            return rc;
    }
    static const char *dec_sql =
        "SELECT count(*) FROM publications WHERE" ORG "AND state = 'published'"
        " AND column_code = ?4 AND issued_date BETWEEN ?2 AND ?3";
    if ((rc = scalar(cx, dec_sql, org, from, to, "permits", &f->permits)) ||
        (rc = scalar(cx, dec_sql, org, from, to, "penalties", &f->penalties)) ||
        (rc = scalar(cx, dec_sql, org, from, to, "enforcement", &f->enforcement)) ||
        (rc = scalar(cx,
                     "SELECT count(*) FROM publications WHERE" ORG "AND state = 'published'"
                     " AND published_date BETWEEN ?2 AND ?3",
                     org, from, to, NULL, &f->published_total)) ||
        (rc = scalar(cx,
                     "SELECT count(*) FROM publications WHERE" ORG "AND state = 'published'"
                     " AND published_date BETWEEN ?2 AND ?3 AND column_code IN ('budget',"
                     " 'major_projects', 'public_resources', 'public_welfare')",
                     org, from, to, NULL, &f->key_area)) ||
        (rc = scalar(cx,
                     "SELECT coalesce(sum(fee_yuan), 0) FROM info_requests WHERE" ORG
                     "AND fee_paid_date BETWEEN ?2 AND ?3",
                     org, from, to, NULL, &f->info_fees_yuan)))
        return rc;
#undef ORG
    return OW_OK;
}

typedef struct texts {
    const char *overview, *problems, *other;
    double fees_wan;
    const char *unit;
} texts;

static int load_texts(ow_ctx *cx, int64_t org, int year, texts *t) {
    memset(t, 0, sizeof *t);
    if (org) {
        static const char *osql = "SELECT name FROM orgs WHERE id = ?";
        sqlite3_stmt *st = ow_db_stmt(cx->db, osql, &cx->err);
        if (!st) return OW_EDB;
        sqlite3_bind_int64(st, 1, org);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            t->unit = ow_strdup(cx->arena, (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        if (rc == SQLITE_DONE) return ow_err_set(&cx->err, OW_ENOTFOUND, "org_id", "机构不存在");
        if (rc != SQLITE_ROW) return ow_db_fail(cx->db, "report org", &cx->err);
    } else {
        t->unit = ow_sprintf(cx->arena, "%s人民政府", cx->app->cfg.region_name);
    }
    static const char *sql =
        "SELECT overview, problems, other, admin_fees_wan FROM disclosure_reports"
        " WHERE org_id = ? AND year = ?";
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_int(st, 2, year);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        t->overview = ow_strdup(cx->arena, (const char *)sqlite3_column_text(st, 0));
        t->problems = ow_strdup(cx->arena, (const char *)sqlite3_column_text(st, 1));
        t->other = ow_strdup(cx->arena, (const char *)sqlite3_column_text(st, 2));
        t->fees_wan = sqlite3_column_double(st, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return ow_db_fail(cx->db, "report texts", &cx->err);
    return OW_OK;
}

/* The texts as published: what was entered, or a summary drawn from the figures. */
static void default_texts(ow_ctx *cx, int year, const figures *f, texts *t) {
    int tot = row_index("result_total"), nw = row_index("new"), out = row_index("carried_out");
    if (!t->overview || !*t->overview)
        t->overview = ow_sprintf(
            cx->arena,
            "%d年，%"
            "s认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。"
            "全年主动公开政府信息%lld条，其中重点领域信息%lld条；收到政府信息公开申请%lld件，"
            "办结%lld件，结转下年度继续办理%lld件。",
            year, t->unit, (long long)f->published_total, (long long)f->key_area,
            (long long)f->t[nw][NCOLS - 1], (long long)f->t[tot][NCOLS - 1],
            (long long)f->t[out][NCOLS - 1]);
    if (!t->problems) t->problems = "";
    if (!t->other) t->other = "";
}

static json_t *num_array(const int64_t *v, int n) {
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer(v[i]));
    return a;
}

bool ow_dis_office_discloser(ow_ctx *cx) {
    if (!ow_actor_is(&cx->actor, "discloser") || !cx->actor.org_id || !cx->app) return false;
    sqlite3_stmt *st = ow_db_stmt(cx->db, "SELECT code FROM orgs WHERE id = ?", &cx->err);
    if (!st) return false;
    sqlite3_bind_int64(st, 1, cx->actor.org_id);
    bool yes = sqlite3_step(st) == SQLITE_ROW &&
               !strcmp(ow_db_text(st, 0), cx->app->cfg.disclosure_office);
    sqlite3_reset(st);
    return yes;
}

/* Who edits a report's texts: a unit's own disclosers; the district's, the disclosure
 * office's (config disclosure_office) — a unit's discloser is not the district's voice. */
static bool may_edit_report(ow_ctx *cx, int64_t org_id) {
    if (cx->actor.system || ow_actor_is(&cx->actor, "admin")) return true;
    if (!org_id) return ow_dis_office_discloser(cx);
    return ow_actor_is(&cx->actor, "discloser") && org_id == cx->actor.org_id;
}

int ow_dis_report_json(ow_ctx *cx, int64_t org_id, int year, json_t **out) {
    figures *f = ow_alloc(cx->arena, sizeof *f);
    texts t;
    int rc;
    if ((rc = load_texts(cx, org_id, year, &t)) || (rc = compute(cx, org_id, year, f))) return rc;
    default_texts(cx, year, f, &t);
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
    char tax[32];
    snprintf(tax, sizeof tax, "%.4f", t.fees_wan);
    *out = json_pack(
        "{s:i,s:I,s:s,s:s,s:{s:s,s:s,s:s},s:{s:{s:I,s:I,s:I},s:{s:I,s:I,s:I},s:I,s:I,s:I,s:f,s:I,s:"
        "I},"
        "s:{s:o,s:o},s:{s:o,s:o},s:I}",
        "year", year, "org_id", (json_int_t)org_id, "unit", t.unit, "title",
        ow_sprintf(cx->arena, "%s%d年政府信息公开工作年度报告", t.unit, year), "texts", "overview",
        t.overview, "problems", t.problems, "other", t.other, "active", "rules", "issued",
        (json_int_t)f->pub[0][0], "repealed", (json_int_t)f->pub[0][1], "valid",
        (json_int_t)f->pub[0][2], "normative", "issued", (json_int_t)f->pub[1][0], "repealed",
        (json_int_t)f->pub[1][1], "valid", (json_int_t)f->pub[1][2], "permits",
        (json_int_t)f->permits, "penalties", (json_int_t)f->penalties, "enforcement",
        (json_int_t)f->enforcement, "fees_wan", atof(tax), "published_total",
        (json_int_t)f->published_total, "key_area", (json_int_t)f->key_area, "requests", "columns",
        cols, "rows", rws, "reviews", "columns",
        json_pack("[s,s,s,s,s]", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), "values",
        rv, "info_fees_yuan", (json_int_t)f->info_fees_yuan);
    if (*out) json_object_set_new(*out, "may_edit", json_boolean(may_edit_report(cx, org_id)));
    return *out ? OW_OK : ow_err_set(&cx->err, OW_EINTERNAL, "", "年度报告生成失败");
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
    static const char *sql =
        "INSERT INTO disclosure_reports(org_id, year, overview, problems, other, admin_fees_wan,"
        " updated_at, updated_by) VALUES(?1, ?2, coalesce(?3, ''), coalesce(?4, ''), coalesce(?5, "
        "''),"
        " coalesce(?6, 0), ?7, ?8) ON CONFLICT(org_id, year) DO UPDATE SET"
        " overview = coalesce(?3, overview), problems = coalesce(?4, problems),"
        " other = coalesce(?5, other), admin_fees_wan = coalesce(?6, admin_fees_wan),"
        " updated_at = ?7, updated_by = ?8";
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int64(st, 1, org_id);
    sqlite3_bind_int(st, 2, year);
    if (ov) sqlite3_bind_text(st, 3, ov, -1, SQLITE_TRANSIENT);
    if (pr) sqlite3_bind_text(st, 4, pr, -1, SQLITE_TRANSIENT);
    if (ot) sqlite3_bind_text(st, 5, ot, -1, SQLITE_TRANSIENT);
    if (fees) sqlite3_bind_double(st, 6, fw);
    sqlite3_bind_int64(st, 7, ow_clock_now_ms(cx->clock));
    if (cx->actor.user_id) sqlite3_bind_int64(st, 8, cx->actor.user_id);
    if (sqlite3_step(st) != SQLITE_DONE) return ow_db_fail(cx->db, "report save", &cx->err);
    sqlite3_reset(st);
    char ids[40];
    snprintf(ids, sizeof ids, "%lld/%d", (long long)org_id, year);
    return ow_audit_append(cx, "disclosure_report.save", "disclosure_report", ids, NULL);
}

/* ---------------- HTML ---------------- */

static void html_esc(ow_buf *b, const char *s) {
    for (; *s; s++) {
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

int ow_dis_report_html(ow_ctx *cx, int64_t org_id, int year, char **html, size_t *len) {
    json_t *j;
    int rc = ow_dis_report_json(cx, org_id, year, &j);
    if (rc) return rc;
    figures *f = ow_alloc(cx->arena, sizeof *f);
    if ((rc = compute(cx, org_id, year, f))) {
        json_decref(j);
        return rc;
    }
    ow_buf b;
    ow_buf_init(&b, cx->arena, 32768);
    const char *title = json_string_value(json_object_get(j, "title"));
    json_t *tx = json_object_get(j, "texts");
    ow_buf_puts(&b, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
    html_esc(&b, title);
    ow_buf_puts(
        &b,
        "</title><style>body{font-family:'Noto Serif CJK SC',serif;max-width:960px;margin:2em auto;"
        "line-height:1.8}table{border-collapse:collapse;width:100%;margin:1em 0}"
        "td,th{border:1px solid #333;padding:4px 6px;text-align:center}td.l{text-align:left}"
        "h1{text-align:center;font-size:1.5em}</style></head><body>\n<h1>");
    html_esc(&b, title);
    ow_buf_puts(&b, "</h1>\n<h2>一、总体情况</h2>\n<p>");
    html_esc(&b, json_string_value(json_object_get(tx, "overview")));
    ow_buf_puts(&b, "</p>\n<h2>二、主动公开政府信息情况</h2>\n<table id=\"active\">"
                    "<tr><th colspan=\"4\">第二十条第（一）项</th></tr>"
                    "<tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</"
                    "th><th>现行有效件数</th></tr>");
    static const char *const names2[2] = {"规章", "行政规范性文件"};
    for (int i = 0; i < 2; i++)
        ow_buf_printf(&b, "<tr><td class=\"l\">%s</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>",
                      names2[i], (long long)f->pub[i][0], (long long)f->pub[i][1],
                      (long long)f->pub[i][2]);
    ow_buf_printf(
        &b,
        "<tr><th colspan=\"4\">第二十条第（五）项</th></tr><tr><th>信息内容</th><th "
        "colspan=\"3\">本年处理决定数量</th></tr>"
        "<tr><td class=\"l\">行政许可</td><td colspan=\"3\">%lld</td></tr>"
        "<tr><th colspan=\"4\">第二十条第（六）项</th></tr><tr><th>信息内容</th><th "
        "colspan=\"3\">本年处理决定数量</th></tr>"
        "<tr><td class=\"l\">行政处罚</td><td colspan=\"3\">%lld</td></tr>"
        "<tr><td class=\"l\">行政强制</td><td colspan=\"3\">%lld</td></tr>"
        "<tr><th colspan=\"4\">第二十条第（八）项</th></tr><tr><th>信息内容</th><th "
        "colspan=\"3\">本年收费金额（单位：万元）</th></tr>"
        "<tr><td class=\"l\">行政事业性收费</td><td colspan=\"3\">%.4f</td></tr></table>\n",
        (long long)f->permits, (long long)f->penalties, (long long)f->enforcement,
        json_real_value(json_object_get(json_object_get(j, "active"), "fees_wan")));
    ow_buf_puts(
        &b,
        "<h2>三、收到和处理政府信息公开申请情况</h2>\n<table id=\"requests\"><tr><th rowspan=\"3\" "
        "colspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>"
        "<th colspan=\"7\">申请人情况</th></tr><tr><th rowspan=\"2\">自然人</th><th "
        "colspan=\"5\">法人或其他组织</th><th rowspan=\"2\">总计</th></tr>"
        "<tr><th>商业企业</th><th>科研机构</th><th>社会公益组织</th><th>法律服务机构</th><th>其他</"
        "th></tr>\n");
    for (size_t r = 0; r < NROWS; r++) {
        ow_buf_printf(&b, "<tr data-row=\"%s\"><td class=\"l\" colspan=\"3\">", rows[r].key);
        if (rows[r].group_no >= 3 && rows[r].sub) {
            html_esc(&b, rows[r].group);
            ow_buf_puts(&b, " ");
        }
        html_esc(&b, rows[r].label);
        ow_buf_puts(&b, "</td>");
        for (int c = 0; c < NCOLS; c++)
            ow_buf_printf(&b, "<td data-col=\"%s\">%lld</td>", col_keys[c], (long long)f->t[r][c]);
        ow_buf_puts(&b, "</tr>\n");
    }
    ow_buf_puts(&b,
                "</table>\n<h2>四、政府信息公开行政复议、行政诉讼情况</h2>\n<table "
                "id=\"reviews\"><tr><th colspan=\"5\">行政复议</th>"
                "<th colspan=\"10\">行政诉讼</th></tr><tr><th rowspan=\"2\">结果维持</th><th "
                "rowspan=\"2\">结果纠正</th><th rowspan=\"2\">其他结果</th>"
                "<th rowspan=\"2\">尚未审结</th><th rowspan=\"2\">总计</th><th "
                "colspan=\"5\">未经复议直接起诉</th><th colspan=\"5\">复议后起诉</th></tr><tr>");
    for (int k = 0; k < 2; k++)
        ow_buf_puts(
            &b,
            "<th>结果维持</th><th>结果纠正</th><th>其他结果</th><th>尚未审结</th><th>总计</th>");
    ow_buf_puts(&b, "</tr><tr>");
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 5; i++)
            ow_buf_printf(&b, "<td>%lld</td>", (long long)f->reviews[k][i]);
    ow_buf_puts(&b, "</tr></table>\n<h2>五、存在的主要问题及改进情况</h2>\n<p>");
    html_esc(&b, json_string_value(json_object_get(tx, "problems")));
    ow_buf_puts(&b, "</p>\n<h2>六、其他需要报告的事项</h2>\n<p>");
    html_esc(&b, json_string_value(json_object_get(tx, "other")));
    ow_buf_printf(&b,
                  "</p>\n<p>本年度依据《政府信息公开信息处理费管理办法》收取信息处理费%lld元。</"
                  "p>\n</body></html>\n",
                  (long long)f->info_fees_yuan);
    json_decref(j);
    *html = b.data;
    *len = b.len;
    return OW_OK;
}

/* ---------------- PDF ---------------- */

static const char *num(ow_ctx *cx, int64_t v) {
    return ow_sprintf(cx->arena, "%lld", (long long)v);
}

int ow_dis_report_pdf(ow_ctx *cx, int64_t org_id, int year, unsigned char **pdf, size_t *len) {
    json_t *j;
    int rc = ow_dis_report_json(cx, org_id, year, &j);
    if (rc) return rc;
    figures *f = ow_alloc(cx->arena, sizeof *f);
    if ((rc = compute(cx, org_id, year, f))) {
        json_decref(j);
        return rc;
    }
    json_t *tx = json_object_get(j, "texts");
    /* table 2 */
    const char **t2 = ow_alloc(cx->arena, 8 * 4 * sizeof *t2);
    const char *h2[] = {"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"};
    for (int c = 0; c < 4; c++)
        t2[c] = h2[c];
    const char *names2[] = {"规章", "行政规范性文件"};
    for (int i = 0; i < 2; i++) {
        t2[(i + 1) * 4] = names2[i];
        for (int c = 0; c < 3; c++)
            t2[(i + 1) * 4 + 1 + c] = num(cx, f->pub[i][c]);
    }
    const char *rest[][2] = {
        {"行政许可（本年处理决定数量）", num(cx, f->permits)},
        {"行政处罚（本年处理决定数量）", num(cx, f->penalties)},
        {"行政强制（本年处理决定数量）", num(cx, f->enforcement)},
        {"行政事业性收费（本年收费金额，万元）",
         ow_sprintf(cx->arena, "%.4f",
                    json_real_value(json_object_get(json_object_get(j, "active"), "fees_wan")))}};
    for (int i = 0; i < 4; i++) {
        t2[(i + 3) * 4] = rest[i][0];
        t2[(i + 3) * 4 + 1] = rest[i][1];
    }
    double w2[] = {3, 1.5, 1.5, 1.5};
    /* table 3 */
    int cols3 = NCOLS + 1;
    const char **t3 = ow_alloc(cx->arena, (NROWS + 1) * (size_t)cols3 * sizeof *t3);
    t3[0] = "（一加二等于三加四）";
    for (int c = 0; c < NCOLS; c++)
        t3[1 + c] = col_names[c];
    for (size_t r = 0; r < NROWS; r++) {
        t3[(r + 1) * cols3] = rows[r].group_no >= 3 && rows[r].sub
                                  ? ow_sprintf(cx->arena, "%s %s", rows[r].group, rows[r].label)
                                  : rows[r].label;
        for (int c = 0; c < NCOLS; c++)
            t3[(r + 1) * cols3 + 1 + c] = num(cx, f->t[r][c]);
    }
    double w3[] = {5, 1, 1, 1, 1.1, 1.1, 1, 1};
    /* table 4 */
    const char **t4 = ow_alloc(cx->arena, 4 * 6 * sizeof *t4);
    const char *h4[] = {"", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"};
    const char *k4[] = {"行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"};
    for (int c = 0; c < 6; c++)
        t4[c] = h4[c];
    for (int k = 0; k < 3; k++) {
        t4[(k + 1) * 6] = k4[k];
        for (int i = 0; i < 5; i++)
            t4[(k + 1) * 6 + 1 + i] = num(cx, f->reviews[k][i]);
    }
    double w4[] = {3, 1, 1, 1, 1, 1};
    ow_doc_table tables[3] = {
        {.rows = 7, .cols = 4, .cells = t2, .col_widths = w2, .header_rows = 1},
        {.rows = (int)NROWS + 1, .cols = cols3, .cells = t3, .col_widths = w3, .header_rows = 1},
        {.rows = 4, .cols = 6, .cells = t4, .col_widths = w4, .header_rows = 1},
    };
    const char *captions[3] = {"二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                               "四、政府信息公开行政复议、行政诉讼情况"};
    const char *paras[] = {ow_sprintf(cx->arena, "一、总体情况：%s",
                                      json_string_value(json_object_get(tx, "overview")))};
    const char *closing[] = {
        ow_sprintf(cx->arena, "五、存在的主要问题及改进情况：%s",
                   json_string_value(json_object_get(tx, "problems"))),
        ow_sprintf(cx->arena, "六、其他需要报告的事项：%s本年度收取信息处理费%lld元。",
                   json_string_value(json_object_get(tx, "other")), (long long)f->info_fees_yuan),
    };
    ow_doc_block blocks[8];
    size_t nb = 0;
    for (int i = 0; i < 3; i++) {
        blocks[nb++] = (ow_doc_block){.kind = OW_DOC_HEADING1, .text = captions[i]};
        blocks[nb++] = (ow_doc_block){.kind = OW_DOC_TABLE, .table = &tables[i]};
    }
    for (int i = 0; i < 2; i++)
        blocks[nb++] = (ow_doc_block){.kind = OW_DOC_PARA, .text = closing[i]};
    char date[32], iso[11];
    ow_date_format(ow_date_today_shanghai(ow_clock_now_ms(cx->clock)), iso);
    ow_docs_chinese_date(iso, date, sizeof date);
    ow_doc_notice n = {.title = json_string_value(json_object_get(j, "title")),
                       .issuer = json_string_value(json_object_get(j, "unit")),
                       .paragraphs = paras,
                       .nparagraphs = 1,
                       .blocks = blocks,
                       .nblocks = nb,
                       .sign_date = date};
    rc = ow_docs_render_notice(&n, pdf, len, &cx->err);
    json_decref(j);
    return rc;
}
