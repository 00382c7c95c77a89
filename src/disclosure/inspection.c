/* inspection.c — unit statistics and the quarterly inspection (季度督查) of the
 * district's disclosure work, as the 2018 report describes it: every quarter the center
 * checks each unit's online publications and monthly returns (月报表), records findings
 * with a rectification deadline, and issues a bulletin (督查通报).
 *
 * The statistics come from the publications themselves: per unit and month, the
 * key-area columns (重点领域) per unit, the units that published nothing in the period
 * and the key-area columns a unit left empty all year — the facts an inspector starts
 * from.  The bulletin is a PDF through src/docs with the summary, those facts and one
 * table row per inspected unit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "audit/audit.h"
#include "core/json.h"
#include "disclosure/disclosure.h"
#include "docs/docs.h"
#include "store/db.h"

static bool is_staff_reader(ow_ctx *cx) {
    return cx->actor.system || ow_actor_is(&cx->actor, "admin") ||
           ow_actor_is(&cx->actor, "supervisor") || ow_actor_is(&cx->actor, "discloser");
}

static const char *const key_cols[] = {"budget", "major_projects", "public_resources",
                                       "public_welfare"};
#define NKEY (sizeof key_cols / sizeof key_cols[0])
#define MAX_UNITS 128

typedef struct unit {
    int64_t id;
    const char *name, *kind;
    int months[12];
    int key[NKEY];
    int total;
} unit;

static int load_units(ow_ctx *cx, int year, unit *u, int *n) {
    static const char *usql =
        "SELECT id, name, kind FROM orgs WHERE kind IN ('department', 'township')"
        " AND active = 1 ORDER BY kind, sort, id";
    sqlite3_stmt *st = ow_db_stmt(cx->db, usql, &cx->err);
    if (!st) return OW_EDB;
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < MAX_UNITS) {
        memset(&u[*n], 0, sizeof u[*n]);
        u[*n].id = sqlite3_column_int64(st, 0);
        u[*n].name = ow_strdup(cx->arena, ow_db_text(st, 1));
        u[*n].kind = ow_strdup(cx->arena, ow_db_text(st, 2));
        (*n)++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return ow_db_fail(cx->db, "units", &cx->err);
    static const char *psql =
        "SELECT org_id, CAST(substr(published_date, 6, 2) AS INTEGER), column_code, count(*)"
        " FROM publications WHERE state = 'published' AND published_date BETWEEN ?1 AND ?2"
        " GROUP BY 1, 2, 3";
    if (!(st = ow_db_stmt(cx->db, psql, &cx->err))) return OW_EDB;
    char from[11], to[11];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t org = sqlite3_column_int64(st, 0);
        int m = sqlite3_column_int(st, 1);
        int c = sqlite3_column_int(st, 3);
        for (int i = 0; i < *n; i++) {
            if (u[i].id != org || m < 1 || m > 12) continue;
            u[i].months[m - 1] += c;
            u[i].total += c;
            for (size_t k = 0; k < NKEY; k++)
                if (!strcmp(ow_db_text(st, 2), key_cols[k])) u[i].key[k] += c;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return ow_db_fail(cx->db, "unit stats", &cx->err);
    return OW_OK;
}

static int quarter_count(const unit *u, int q) {
    int s = 0;
    for (int m = (q - 1) * 3; m < q * 3; m++)
        s += u->months[m];
    return s;
}

static int check_period(ow_ctx *cx, int year, int quarter) {
    if (year < 2008 || year > 2999)
        return ow_err_set(&cx->err, OW_EINVAL, "year", "年度应为四位年份");
    if (quarter < 0 || quarter > 4)
        return ow_err_set(&cx->err, OW_EINVAL, "quarter", "季度应为 1 到 4");
    return OW_OK;
}

int ow_dis_unit_stats(ow_ctx *cx, int year, int quarter, json_t **out) {
    if (!is_staff_reader(cx))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有政务公开和电子监察人员可以查看单位统计");
    int rc = check_period(cx, year, quarter);
    if (rc) return rc;
    unit *u = ow_alloc(cx->arena, MAX_UNITS * sizeof *u);
    int n;
    if ((rc = load_units(cx, year, u, &n))) return rc;
    json_t *items = json_array(), *silent = json_array(), *gaps = json_array();
    for (int i = 0; i < n; i++) {
        json_t *months = json_array(), *key = json_object(), *empty = json_array();
        for (int m = 0; m < 12; m++)
            json_array_append_new(months, json_integer(u[i].months[m]));
        for (size_t k = 0; k < NKEY; k++) {
            json_object_set_new(key, key_cols[k], json_integer(u[i].key[k]));
            if (!u[i].key[k]) json_array_append_new(empty, json_string(key_cols[k]));
        }
        int period = quarter ? quarter_count(&u[i], quarter) : u[i].total;
        json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:o,s:i,s:i,s:o,s:O}", "org_id",
                                               (json_int_t)u[i].id, "org_name", u[i].name, "kind",
                                               u[i].kind, "months", months, "total", u[i].total,
                                               "period_total", period, "key_areas", key,
                                               "key_areas_empty", empty));
        if (!period)
            json_array_append_new(silent, json_pack("{s:I,s:s}", "org_id", (json_int_t)u[i].id,
                                                    "org_name", u[i].name));
        if (json_array_size(empty) && !strcmp(u[i].kind, "department"))
            json_array_append_new(gaps, json_pack("{s:I,s:s,s:O}", "org_id", (json_int_t)u[i].id,
                                                  "org_name", u[i].name, "columns", empty));
        json_decref(empty);
    }
    *out = json_pack("{s:i,s:i,s:o,s:o,s:o}", "year", year, "quarter", quarter, "units", items,
                     "silent", silent, "key_area_gaps", gaps);
    return OW_OK;
}

/* The units are inspected by the district's disclosure office and by 电子监察, not by
 * one unit's discloser over another. */
bool ow_dis_may_inspect(ow_ctx *cx) {
    return cx->actor.system || ow_actor_is(&cx->actor, "admin") ||
           ow_actor_is(&cx->actor, "supervisor") || ow_dis_office_discloser(cx);
}

int ow_dis_inspection_save(ow_ctx *cx, const json_t *in, int64_t *id) {
    if (!ow_dis_may_inspect(cx))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有政务公开办和电子监察人员可以登记督查");
    int64_t org, year, quarter;
    const char *rating, *findings, *by = NULL;
    int rc;
    if ((rc = ow_json_int(in, "org_id", true, 1, INT64_MAX, &org, &cx->err)) ||
        (rc = ow_json_int(in, "year", true, 2008, 2999, &year, &cx->err)) ||
        (rc = ow_json_int(in, "quarter", true, 1, 4, &quarter, &cx->err)) ||
        (rc = ow_json_str(in, "rating", true, 10, &rating, &cx->err)) ||
        (rc = ow_json_str(in, "findings", true, 2000, &findings, &cx->err)) ||
        (rc = ow_json_str(in, "rectify_by", false, 10, &by, &cx->err)))
        return rc;
    if (strcmp(rating, "good") && strcmp(rating, "fair") && strcmp(rating, "poor"))
        return ow_err_set(&cx->err, OW_EINVAL, "rating", "督查等次应为好、较好或差");
    int32_t d;
    if (by && ow_date_parse(by, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "rectify_by", "整改期限应为 YYYY-MM-DD 格式的日期");
    if (strcmp(rating, "good") && !by)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "rectify_by",
                           "存在问题的单位须填写整改期限");
    char kind[16];
    if ((rc = ow_org_kind(cx, org, kind))) return rc;
    /* The quarterly inspection is the district office's look at the units: nobody grades
     * their own unit (a discloser belongs to the unit they publish for). */
    if (!cx->actor.system && ow_actor_is(&cx->actor, "discloser") && org == cx->actor.org_id)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "org_id", "不能督查本单位的政务公开工作");
    static const char *sql = "INSERT INTO disclosure_inspections(org_id, year, quarter, rating, "
                             "findings, rectify_by, inspector,"
                             " created_at, updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?8)"
                             " ON CONFLICT(org_id, year, quarter) DO UPDATE SET rating = ?4, "
                             "findings = ?5, rectify_by = ?6,"
                             " inspector = ?7, updated_at = ?8 RETURNING id";
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_int64(st, 2, year);
    sqlite3_bind_int64(st, 3, quarter);
    sqlite3_bind_text(st, 4, rating, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, findings, -1, SQLITE_TRANSIENT);
    if (by) sqlite3_bind_text(st, 6, by, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, cx->actor.name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 8, ow_clock_now_ms(cx->clock));
    if (sqlite3_step(st) != SQLITE_ROW) return ow_db_fail(cx->db, "inspection save", &cx->err);
    *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)*id);
    json_t *det = json_pack("{s:I,s:I,s:I,s:s}", "org_id", (json_int_t)org, "year",
                            (json_int_t)year, "quarter", (json_int_t)quarter, "rating", rating);
    rc = ow_audit_append(cx, "disclosure_inspection.save", "disclosure_inspection", ids, det);
    json_decref(det);
    return rc;
}

int ow_dis_inspection_rectify(ow_ctx *cx, int64_t id, const json_t *in) {
    if (!ow_dis_may_inspect(cx))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有政务公开办和电子监察人员可以登记整改情况");
    const char *date, *note = NULL;
    int rc;
    if ((rc = ow_json_str(in, "rectified_date", true, 10, &date, &cx->err)) ||
        (rc = ow_json_str(in, "rectification_note", false, 1000, &note, &cx->err)))
        return rc;
    int32_t d;
    if (ow_date_parse(date, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "rectified_date",
                          "整改完成日期应为 YYYY-MM-DD 格式的日期");
    static const char *sql = "UPDATE disclosure_inspections SET rectified_date = ?1, "
                             "rectification_note = coalesce(?2, ''),"
                             " updated_at = ?3 WHERE id = ?4";
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT);
    if (note) sqlite3_bind_text(st, 2, note, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, ow_clock_now_ms(cx->clock));
    sqlite3_bind_int64(st, 4, id);
    if (sqlite3_step(st) != SQLITE_DONE) return ow_db_fail(cx->db, "inspection rectify", &cx->err);
    sqlite3_reset(st);
    if (sqlite3_changes(ow_db_handle(cx->db)) != 1)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "督查记录不存在");
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    return ow_audit_append(cx, "disclosure_inspection.rectify", "disclosure_inspection", ids, NULL);
}

int ow_dis_inspection_list(ow_ctx *cx, int year, int quarter, json_t **items) {
    if (!is_staff_reader(cx))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有政务公开和电子监察人员可以查看督查记录");
    int rc = check_period(cx, year, quarter);
    if (rc) return rc;
    static const char *sql = "SELECT i.id, i.org_id, o.name, i.year, i.quarter, i.rating, "
                             "i.findings, i.rectify_by, i.rectified_date,"
                             " i.rectification_note, i.inspector FROM disclosure_inspections i "
                             "JOIN orgs o ON o.id = i.org_id"
                             " WHERE i.year = ?1 AND (?2 = 0 OR i.quarter = ?2) ORDER BY "
                             "i.quarter, o.kind, o.sort, o.id";
    sqlite3_stmt *st = ow_db_stmt(cx->db, sql, &cx->err);
    if (!st) return OW_EDB;
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_int(st, 2, quarter);
    json_t *a = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(
            a, json_pack("{s:I,s:I,s:s,s:i,s:i,s:s,s:s,s:o,s:o,s:s,s:s}", "id",
                         (json_int_t)sqlite3_column_int64(st, 0), "org_id",
                         (json_int_t)sqlite3_column_int64(st, 1), "org_name", ow_db_text(st, 2),
                         "year", sqlite3_column_int(st, 3), "quarter", sqlite3_column_int(st, 4),
                         "rating", ow_db_text(st, 5), "findings", ow_db_text(st, 6), "rectify_by",
                         sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null()
                                                                   : json_string(ow_db_text(st, 7)),
                         "rectified_date",
                         sqlite3_column_type(st, 8) == SQLITE_NULL ? json_null()
                                                                   : json_string(ow_db_text(st, 8)),
                         "rectification_note", ow_db_text(st, 9), "inspector", ow_db_text(st, 10)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(a);
        return ow_db_fail(cx->db, "inspection list", &cx->err);
    }
    *items = a;
    return OW_OK;
}

static const char *rating_name(const char *r) {
    return !strcmp(r, "good") ? "好" : !strcmp(r, "fair") ? "较好" : "差";
}

static const char *const cn_quarter[] = {"", "一", "二", "三", "四"};

int ow_dis_bulletin_pdf(ow_ctx *cx, int year, int quarter, unsigned char **pdf, size_t *len) {
    if (quarter < 1) return ow_err_set(&cx->err, OW_EINVAL, "quarter", "季度应为 1 到 4");
    json_t *stats, *list;
    int rc = ow_dis_unit_stats(cx, year, quarter, &stats);
    if (rc) return rc;
    if ((rc = ow_dis_inspection_list(cx, year, quarter, &list))) {
        json_decref(stats);
        return rc;
    }
    json_t *units = json_object_get(stats, "units");
    int total = 0;
    for (size_t i = 0; i < json_array_size(units); i++)
        total += (int)json_integer_value(json_object_get(json_array_get(units, i), "period_total"));
    const char *paras[4];
    size_t np = 0;
    paras[np++] = ow_sprintf(
        cx->arena,
        "根据全区政务公开工作安排，%s对%d年第%s季度各单位政府信息公开工作开展了督查。"
        "本季度全区%zu个单位共主动公开政府信息%d条，督查单位%zu个。现将有关情况通报如下。",
        cx->app->cfg.center_name, year, cn_quarter[quarter], json_array_size(units), total,
        json_array_size(list));
    json_t *silent = json_object_get(stats, "silent");
    if (json_array_size(silent)) {
        char names[2048] = "";
        size_t off = 0;
        for (size_t i = 0; i < json_array_size(silent) && off < sizeof names - 200; i++)
            off += (size_t)snprintf(
                names + off, sizeof names - off, "%s%s", i ? "、" : "",
                json_string_value(json_object_get(json_array_get(silent, i), "org_name")));
        paras[np++] = ow_sprintf(cx->arena, "一、本季度未主动公开政府信息的单位：%s。", names);
    } else {
        paras[np++] = "一、本季度各单位均按要求主动公开了政府信息。";
    }
    json_t *gaps = json_object_get(stats, "key_area_gaps");
    paras[np++] = ow_sprintf(
        cx->arena,
        "二、重点领域信息公开：全年仍有%zu个部门存在重点领域栏目（财政预决算、重大建设项目、"
        "公共资源配置、社会公益事业）未发布信息的情况，请相关单位对照职责及时补充公开。",
        json_array_size(gaps));
    paras[np++] = "三、督查情况及整改要求见下表。存在问题的单位须在整改期限内完成整改，并将整改情况"
                  "书面报送区政务公开办。";
    size_t rows = json_array_size(list) + 1;
    const char **cells = ow_alloc(cx->arena, rows * 4 * sizeof *cells);
    cells[0] = "单位";
    cells[1] = "等次";
    cells[2] = "发现的问题";
    cells[3] = "整改期限";
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *it = json_array_get(list, i);
        cells[(i + 1) * 4] =
            ow_strdup(cx->arena, json_string_value(json_object_get(it, "org_name")));
        cells[(i + 1) * 4 + 1] = rating_name(json_string_value(json_object_get(it, "rating")));
        cells[(i + 1) * 4 + 2] =
            ow_strdup(cx->arena, json_string_value(json_object_get(it, "findings")));
        const char *by = json_string_value(json_object_get(it, "rectify_by"));
        char cn[32];
        if (by) ow_docs_chinese_date(by, cn, sizeof cn);
        cells[(i + 1) * 4 + 3] = by ? ow_strdup(cx->arena, cn) : "—";
    }
    double widths[] = {2, 0.7, 3.6, 1.9};
    ow_doc_table t = {
        .rows = (int)rows, .cols = 4, .cells = cells, .col_widths = widths, .header_rows = 1};
    ow_doc_block table = {.kind = OW_DOC_TABLE, .table = &t};
    /* one bulletin a quarter: its number is the quarter's, so rendering stays read-only */
    char number[64], date[32], iso[11];
    snprintf(number, sizeof number, "赫政务通〔%d〕%d号", year, quarter);
    ow_date_format(ow_date_today_shanghai(ow_clock_now_ms(cx->clock)), iso);
    ow_docs_chinese_date(iso, date, sizeof date);
    ow_doc_notice n = {.title =
                           ow_sprintf(cx->arena, "关于%d年第%s季度政府信息公开工作督查情况的通报",
                                      year, cn_quarter[quarter]),
                       .issuer = cx->app->cfg.center_name,
                       .number = number,
                       .recipient = "各乡镇（街道）、区直各单位：",
                       .paragraphs = paras,
                       .nparagraphs = np,
                       .blocks = &table,
                       .nblocks = 1,
                       .sign_date = date};
    rc = ow_docs_render_notice(&n, pdf, len, &cx->err);
    json_decref(stats);
    json_decref(list);
    return rc;
}
