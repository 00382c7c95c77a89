/* inspection.c — unit statistics and the inspections (督查) of the district's disclosure
 * work, as the 2018 report describes it: every quarter the center checks each unit's
 * online publications and monthly returns (月报表), records findings with a rectification
 * deadline, and issues a bulletin (督查通报); between the quarters it makes special
 * (专项) and topic (点题) inspections, and follow-ups (回头看) that check whether an
 * earlier inspection's findings were rectified.  A unit may be inspected several times a
 * quarter (migration 0021); its SQL is src/store/inspection_store.c.
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
#include "store/inspection_store.h"

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

typedef struct units {
    ow_ctx *cx;
    unit *u;
    int n;
} units;

static int add_unit(void *arg, int64_t id, const char *name, const char *kind) {
    units *us = arg;
    if (us->n >= MAX_UNITS) return OW_OK;
    unit *u = &us->u[us->n++];
    memset(u, 0, sizeof *u);
    u->id = id;
    u->name = ow_strdup(us->cx->arena, name);
    u->kind = ow_strdup(us->cx->arena, kind);
    return OW_OK;
}

static int add_count(void *arg, int64_t org, int m, const char *column, int c) {
    units *us = arg;
    for (int i = 0; i < us->n; i++) {
        unit *u = &us->u[i];
        if (u->id != org || m < 1 || m > 12) continue;
        u->months[m - 1] += c;
        u->total += c;
        for (size_t k = 0; k < NKEY; k++)
            if (!strcmp(column, key_cols[k])) u->key[k] += c;
    }
    return OW_OK;
}

static int load_units(ow_ctx *cx, int year, unit *u, int *n) {
    units us = {cx, u, 0};
    int rc = ow_inspection_store_units(cx->db, cx->arena, add_unit, &us, &cx->err);
    if (rc) return rc;
    char from[11], to[11];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    if ((rc = ow_inspection_store_publications(cx->db, from, to, add_count, &us, &cx->err)))
        return rc;
    *n = us.n;
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

static const char *const KINDS[] = {"quarterly", "special", "topic", "follow_up"};

static const char *kind_name(const char *k) {
    return !strcmp(k, "special")     ? "专项督查"
           : !strcmp(k, "topic")     ? "点题督查"
           : !strcmp(k, "follow_up") ? "回头看"
                                     : "季度督查";
}

static const char *result_name(const char *r) {
    return !r                        ? ""
           : !strcmp(r, "rectified") ? "整改到位"
           : !strcmp(r, "partly")    ? "部分整改"
                                     : "未整改";
}

int ow_dis_inspection_save(ow_ctx *cx, const json_t *in, int64_t *id) {
    if (!ow_dis_may_inspect(cx))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只有政务公开办和电子监察人员可以登记督查");
    int64_t org, year = 0, quarter = 0, follows = 0;
    const char *rating, *findings, *by = NULL, *kind = NULL, *title = NULL, *date = NULL,
                                   *result = NULL;
    int rc;
    if ((rc = ow_json_int(in, "org_id", true, 1, INT64_MAX, &org, &cx->err)) ||
        (rc = ow_json_str(in, "kind", false, 16, &kind, &cx->err)) ||
        (rc = ow_json_str(in, "title", false, 60, &title, &cx->err)) ||
        (rc = ow_json_int(in, "follows_id", false, 1, INT64_MAX, &follows, &cx->err)) ||
        (rc = ow_json_int(in, "year", false, 2008, 2999, &year, &cx->err)) ||
        (rc = ow_json_int(in, "quarter", false, 1, 4, &quarter, &cx->err)) ||
        (rc = ow_json_str(in, "inspected_date", false, 10, &date, &cx->err)) ||
        (rc = ow_json_str(in, "rating", true, 10, &rating, &cx->err)) ||
        (rc = ow_json_str(in, "findings", true, 2000, &findings, &cx->err)) ||
        (rc = ow_json_str(in, "rectify_by", false, 10, &by, &cx->err)) ||
        (rc = ow_json_str(in, "result", false, 16, &result, &cx->err)))
        return rc;
    if (!kind) kind = "quarterly";
    size_t k;
    for (k = 0; k < sizeof KINDS / sizeof *KINDS; k++)
        if (!strcmp(kind, KINDS[k])) break;
    if (k == sizeof KINDS / sizeof *KINDS)
        return ow_err_set(
            &cx->err, OW_EINVAL, "kind",
            "督查类别应为 quarterly（季度）、special（专项）、topic（点题）或 follow_up（回头看）");
    if (strcmp(rating, "good") && strcmp(rating, "fair") && strcmp(rating, "poor"))
        return ow_err_set(&cx->err, OW_EINVAL, "rating", "督查等次应为好、较好或差");
    int32_t d, today = ow_date_today_shanghai(ow_clock_now_ms(cx->clock));
    if (by && ow_date_parse(by, &d))
        return ow_err_set(&cx->err, OW_EINVAL, "rectify_by", "整改期限应为 YYYY-MM-DD 格式的日期");
    if (strcmp(rating, "good") && !by)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "rectify_by",
                           "存在问题的单位须填写整改期限");
    int32_t on = today;
    if (date && (ow_date_parse(date, &on) || on > today))
        return ow_err_set(&cx->err, OW_EINVAL, "inspected_date",
                          "督查日期应为不晚于今天的 YYYY-MM-DD 日期");
    char on_s[11];
    ow_date_format(on, on_s);
    bool quarterly = !strcmp(kind, "quarterly"), follow_up = !strcmp(kind, "follow_up");
    /* the quarterly inspection names the quarter it covers (often inspected in the next);
     * the others belong to the quarter they were made in */
    if (quarterly && (!year || !quarter))
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", !year ? "year" : "quarter",
                           "季度督查请选择督查的年度和季度");
    if (!year || !quarter) {
        int y, m, dd;
        ow_date_ymd(on, &y, &m, &dd);
        year = y;
        quarter = (m - 1) / 3 + 1;
    }
    if ((!strcmp(kind, "special") || !strcmp(kind, "topic")) && (!title || !*title))
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "title",
                           "专项和点题督查请填写督查主题");
    if (follow_up != (follows != 0))
        return ow_err_setk(&cx->err, follow_up ? OW_EINVAL : OW_EINVAL,
                           follow_up ? "missing_field" : "invalid_field", "follows_id",
                           follow_up ? "回头看请选择所跟踪的督查记录"
                                     : "只有回头看才跟踪以前的督查记录");
    if (follow_up != (result != NULL))
        return ow_err_setk(&cx->err, OW_EINVAL, follow_up ? "missing_field" : "invalid_field",
                           "result",
                           follow_up ? "回头看请填写整改落实结果" : "只有回头看填写整改落实结果");
    if (result && strcmp(result, "rectified") && strcmp(result, "partly") &&
        strcmp(result, "not_rectified"))
        return ow_err_set(
            &cx->err, OW_EINVAL, "result",
            "整改落实结果应为 rectified（整改到位）、partly（部分整改）或 not_rectified（未整改）");
    char okind[16];
    if ((rc = ow_org_kind(cx, org, okind))) return rc;
    /* The inspection is the district office's look at the units: nobody grades their own
     * unit (a discloser belongs to the unit they publish for). */
    if (!cx->actor.system && ow_actor_is(&cx->actor, "discloser") && org == cx->actor.org_id)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "org_id", "不能督查本单位的政务公开工作");
    if (follows) {
        ow_inspection_row f;
        if ((rc = ow_inspection_store_get(cx->db, follows, cx->arena, &f, &cx->err))) {
            snprintf(cx->err.field, sizeof cx->err.field, "follows_id");
            return rc;
        }
        if (f.org_id != org)
            return ow_err_set(&cx->err, OW_EINVAL, "follows_id", "回头看应跟踪同一单位的督查记录");
        if (!f.rectify_by)
            return ow_err_set(&cx->err, OW_EINVAL, "follows_id", "该督查记录没有需要整改的问题");
    }
    ow_inspection_row r = {.org_id = org,
                           .kind = kind,
                           .title = title,
                           .follows_id = follows,
                           .year = (int)year,
                           .quarter = (int)quarter,
                           .inspected_date = on_s,
                           .rating = rating,
                           .findings = findings,
                           .rectify_by = by,
                           .result = result,
                           .inspector = cx->actor.name,
                           .created_at = ow_clock_now_ms(cx->clock)};
    if ((rc = ow_inspection_store_insert(cx->db, &r, id, &cx->err))) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)*id);
    json_t *det = json_pack("{s:I,s:s,s:I,s:I,s:s,s:I}", "org_id", (json_int_t)org, "kind", kind,
                            "year", (json_int_t)year, "quarter", (json_int_t)quarter, "rating",
                            rating, "follows_id", (json_int_t)follows);
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
    if ((rc = ow_inspection_store_rectify(cx->db, id, date, note, ow_clock_now_ms(cx->clock),
                                          &cx->err)))
        return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    return ow_audit_append(cx, "disclosure_inspection.rectify", "disclosure_inspection", ids, NULL);
}

static json_t *opt(const char *s) {
    return s ? json_string(s) : json_null();
}

static int list_one(void *arg, const ow_inspection_row *r) {
    json_array_append_new(
        arg,
        json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:o,s:i,s:i,s:o,s:s,s:s,s:o,s:o,s:s,s:o,s:s,s:s,"
                  "s:[]}",
                  "id", (json_int_t)r->id, "org_id", (json_int_t)r->org_id, "org_name", r->org_name,
                  "kind", r->kind, "kind_name", kind_name(r->kind), "title", r->title, "follows_id",
                  r->follows_id ? json_integer(r->follows_id) : json_null(), "year", r->year,
                  "quarter", r->quarter, "inspected_date", opt(r->inspected_date), "rating",
                  r->rating, "findings", r->findings, "rectify_by", opt(r->rectify_by),
                  "rectified_date", opt(r->rectified_date), "rectification_note",
                  r->rectification_note, "result", opt(r->result), "result_name",
                  result_name(r->result), "inspector", r->inspector, "follow_ups"));
    return OW_OK;
}

int ow_dis_inspection_list(ow_ctx *cx, int year, int quarter, json_t **items) {
    return ow_dis_inspection_list_kind(cx, year, quarter, NULL, 0, items);
}

int ow_dis_inspection_list_kind(ow_ctx *cx, int year, int quarter, const char *kind, int64_t org_id,
                                json_t **items) {
    if (!is_staff_reader(cx))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有政务公开和电子监察人员可以查看督查记录");
    int rc = check_period(cx, year, quarter);
    if (rc) return rc;
    if (kind) {
        size_t k;
        for (k = 0; k < sizeof KINDS / sizeof *KINDS; k++)
            if (!strcmp(kind, KINDS[k])) break;
        if (k == sizeof KINDS / sizeof *KINDS)
            return ow_err_set(&cx->err, OW_EINVAL, "kind",
                              "督查类别应为 quarterly、special、topic 或 follow_up");
    }
    json_t *a = json_array();
    if ((rc = ow_inspection_store_each(cx->db, year, quarter, kind, org_id, cx->arena, list_one, a,
                                       &cx->err))) {
        json_decref(a);
        return rc;
    }
    /* each record names the follow-ups (回头看) of the same list that follow it */
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *f = json_array_get(a, i), *of = json_object_get(f, "follows_id");
        if (!json_is_integer(of)) continue;
        for (size_t j = 0; j < json_array_size(a); j++) {
            json_t *t = json_array_get(a, j);
            if (json_integer_value(json_object_get(t, "id")) == json_integer_value(of))
                json_array_append_new(json_object_get(t, "follow_ups"),
                                      json_pack("{s:O,s:O,s:O}", "id", json_object_get(f, "id"),
                                                "result", json_object_get(f, "result"),
                                                "inspected_date",
                                                json_object_get(f, "inspected_date")));
        }
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
    paras[np++] = "三、本季度各类督查（季度、专项、点题督查和回头看）情况及整改要求见下表。存在问题"
                  "的单位须在整改期限内完成整改，并将整改情况"
                  "书面报送区政务公开办。";
    size_t rows = json_array_size(list) + 1;
    const char **cells = ow_alloc(cx->arena, rows * 5 * sizeof *cells);
    cells[0] = "单位";
    cells[1] = "类别";
    cells[2] = "等次";
    cells[3] = "发现的问题";
    cells[4] = "整改期限";
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *it = json_array_get(list, i);
        const char **c = cells + (i + 1) * 5;
        c[0] = ow_strdup(cx->arena, json_string_value(json_object_get(it, "org_name")));
        const char *kind = json_string_value(json_object_get(it, "kind"));
        const char *title = json_string_value(json_object_get(it, "title"));
        const char *res = json_string_value(json_object_get(it, "result_name"));
        c[1] = !strcmp(kind, "follow_up") ? ow_sprintf(cx->arena, "%s（%s）", kind_name(kind), res)
               : *title                   ? ow_sprintf(cx->arena, "%s：%s", kind_name(kind), title)
                                          : kind_name(kind);
        c[2] = rating_name(json_string_value(json_object_get(it, "rating")));
        c[3] = ow_strdup(cx->arena, json_string_value(json_object_get(it, "findings")));
        const char *by = json_string_value(json_object_get(it, "rectify_by"));
        char cn[32];
        if (by) ow_docs_chinese_date(by, cn, sizeof cn);
        c[4] = by ? ow_strdup(cx->arena, cn) : "—";
    }
    double widths[] = {2, 1.4, 0.7, 3.2, 1.9};
    ow_doc_table t = {
        .rows = (int)rows, .cols = 5, .cells = cells, .col_widths = widths, .header_rows = 1};
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
