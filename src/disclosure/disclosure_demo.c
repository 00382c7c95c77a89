/* disclosure_demo.c — the demo district's disclosure data (`onewindow init --demo`):
 *
 *   - publications from 2023 to today across every column and most units (some units
 *     publish nothing, so the unit statistics have something to point at), including
 *     normative documents issued and repealed, and 行政许可/处罚/强制 decisions;
 *   - four dozen information requests, 2025 and 2026, by people and every kind of
 *     organisation, through every outcome of the annual-report table, with
 *     supplements, consultations, extensions, fees, withdrawals, reconsideration and
 *     litigation, and a few still open so the discloser's queue shows its lights.
 *
 * Requests go through the real domain functions with the clock moved to each step's
 * date, so their deadlines, timelines, notices and audit rows are exactly what the
 * workflow would have produced.  Publications are inserted directly (hundreds of them;
 * the review step is exercised by the tests).  Loaded once: a database that already
 * has requests is left alone.  Deterministic: a fixed pseudo-random sequence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "disclosure/disclosure.h"
#include "store/disclosure_store.h"
#include "store/publication_store.h"
#include "store/request_store.h"

typedef struct rng {
    uint64_t s;
} rng;

static uint32_t rnd(rng *r, uint32_t n) {
    r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(r->s >> 33) % n;
}

static int org_id(ow_ctx *cx, const char *code, int64_t *id, const char **name) {
    bool found = false;
    if (ow_dis_store_org_by_code(cx->db, code, cx->arena, id, name, &found, &cx->err))
        return OW_EDB;
    if (!found) return ow_err_set(&cx->err, OW_ENOTFOUND, "demo", "演示机构 %s 不存在", code);
    return OW_OK;
}

/* ---------------- publications ---------------- */

static const char *const topics[] = {"城乡道路",     "农村饮水安全", "中小学校舍", "老旧小区改造",
                                     "农田水利",     "社区养老服务", "乡村振兴",   "防汛抗旱",
                                     "生态环境保护", "营商环境",     "就业创业",   "医疗保障",
                                     "住房保障",     "食品安全",     "安全生产"};

static const char *title_for(ow_ctx *cx, rng *r, const char *column, const char *unit, int year) {
    const char *t = topics[rnd(r, sizeof topics / sizeof topics[0])];
    if (!strcmp(column, "guide"))
        return ow_sprintf(cx->arena, "%s政府信息公开指南（%d年修订）", unit, year);
    if (!strcmp(column, "normative"))
        return ow_sprintf(cx->arena, "关于进一步加强%s工作的实施意见", t);
    if (!strcmp(column, "interpretation"))
        return ow_sprintf(cx->arena, "《关于进一步加强%s工作的实施意见》政策解读", t);
    if (!strcmp(column, "plans")) return ow_sprintf(cx->arena, "%s%d年%s工作计划", unit, year, t);
    if (!strcmp(column, "budget"))
        return rnd(r, 2) ? ow_sprintf(cx->arena, "%s%d年部门预算公开", unit, year)
                         : ow_sprintf(cx->arena, "%s%d年部门决算公开", unit, year - 1);
    if (!strcmp(column, "major_projects"))
        return ow_sprintf(cx->arena, "赫山区%s建设项目（%d年第%u批）批准和实施信息", t, year,
                          1 + rnd(r, 6));
    if (!strcmp(column, "public_resources"))
        return ow_sprintf(cx->arena, "%s%s项目公开招标中标结果公示", unit, t);
    if (!strcmp(column, "public_welfare"))
        return ow_sprintf(cx->arena, "%d年%s民生实事项目进展情况", year, t);
    if (!strcmp(column, "permits"))
        return ow_sprintf(cx->arena, "行政许可决定书（赫%s许〔%d〕%u号）", unit, year,
                          1 + rnd(r, 300));
    if (!strcmp(column, "penalties"))
        return ow_sprintf(cx->arena, "行政处罚决定书（赫%s罚〔%d〕%u号）", unit, year,
                          1 + rnd(r, 120));
    if (!strcmp(column, "enforcement"))
        return ow_sprintf(cx->arena, "查封扣押决定书（赫%s强〔%d〕%u号）", unit, year,
                          1 + rnd(r, 30));
    if (!strcmp(column, "fees"))
        return ow_sprintf(cx->arena, "%s行政事业性收费项目目录清单（%d年）", unit, year);
    if (!strcmp(column, "personnel"))
        return ow_sprintf(cx->arena, "%s%d年公开招聘工作人员拟聘用人员公示", unit, year);
    if (!strcmp(column, "annual_reports"))
        return ow_sprintf(cx->arena, "%s%d年政府信息公开工作年度报告", unit, year - 1);
    return ow_sprintf(cx->arena, "%s召开%s工作推进会", unit, t);
}

/* column weights: news and the 双公示 decisions are the bulk, 规章 never (a county
 * government does not make 规章). */
static const struct {
    const char *code;
    int weight;
} mix[] = {{"news", 30},          {"permits", 18},  {"penalties", 8},      {"enforcement", 2},
           {"plans", 6},          {"budget", 6},    {"major_projects", 6}, {"public_resources", 6},
           {"public_welfare", 5}, {"normative", 3}, {"interpretation", 3}, {"personnel", 4},
           {"fees", 1},           {"guide", 1},     {"annual_reports", 1}};

/* Units that publish: departments D01–D35 and townships T01–T15, except three that the
 * quarterly inspection will find silent. */
static const char *const silent_units[] = {"D28", "D32", "T15"};

static int insert_pub(ow_ctx *cx, int64_t org, const char *org_code, const char *column,
                      const char *title, const char *doc_number, int32_t issued, int32_t published,
                      const char *validity, int32_t repealed, int *seq) {
    int y, m, d;
    ow_date_ymd(published, &y, &m, &d);
    char idx[64], iss[11], pub[11], rep[11];
    snprintf(idx, sizeof idx, "%s-%s-%d-%05d", cx->app->cfg.region_code, org_code, y, ++*seq);
    ow_date_format(issued, iss);
    ow_date_format(published, pub);
    int64_t at = (int64_t)published * 86400000 + 2 * 3600000;
    const char *body =
        ow_sprintf(cx->arena,
                   "%s\n\n根据《中华人民共和国政府信息公开条例》的规定，现将有关情况公开如下。\n"
                   "一、基本情况。本事项由%s负责组织实施，相关工作按计划推进。\n"
                   "二、主要内容。详见正文及附件，如有疑问请在工作日与本单位联系。\n"
                   "三、监督方式。欢迎社会各界监督，监督电话：12345。",
                   title, org_code);
    const char *rep_text = NULL;
    if (repealed != OW_DATE_NONE) {
        ow_date_format(repealed, rep);
        rep_text = rep;
    }
    int rc = ow_pub_store_insert_published(cx->db, org, column, idx, title, doc_number, iss,
                                           validity, rep_text, body, pub, at, &cx->err);
    if (!rc) rc = ow_pub_store_index_set(cx->db, org, y, *seq, &cx->err);
    return rc;
}

static int seed_publications(ow_ctx *cx, int *count) {
    rng r = {20250101};
    int32_t start = ow_date_from_ymd(2025, 1, 2);
    int32_t end = ow_date_today_shanghai(ow_clock_now_ms(cx->clock));
    if (end > ow_date_from_ymd(2026, 12, 31)) end = ow_date_from_ymd(2026, 12, 31);
    char codes[50][4];
    int ncodes = 0;
    for (int i = 1; i <= 35; i++)
        snprintf(codes[ncodes++], 4, "D%02d", i);
    for (int i = 1; i <= 15; i++)
        snprintf(codes[ncodes++], 4, "T%02d", i);
    int64_t ids[50];
    const char *names[50];
    int seq[50][3] = {{0}}; /* per unit: 2024 (unused), 2025, 2026 */
    for (int i = 0; i < ncodes; i++) {
        int rc = org_id(cx, codes[i], &ids[i], &names[i]);
        if (rc) return rc;
    }
    int total_weight = 0;
    for (size_t i = 0; i < sizeof mix / sizeof mix[0]; i++)
        total_weight += mix[i].weight;
    /* one and a half publications a working day on average: about 350 a year */
    for (int32_t day = start; day <= end; day++) {
        int wd = ow_date_weekday(day);
        if (wd >= 6) continue;
        int n = (int)rnd(&r, 4); /* 0–3 per working day */
        for (int k = 0; k < n; k++) {
            int u = (int)rnd(&r, (uint32_t)ncodes);
            bool silent = false;
            for (size_t s = 0; s < sizeof silent_units / sizeof silent_units[0]; s++)
                if (!strcmp(codes[u], silent_units[s])) silent = true;
            if (silent) continue;
            int w = (int)rnd(&r, (uint32_t)total_weight);
            size_t c = 0;
            while (w >= mix[c].weight)
                w -= mix[c++].weight;
            int y, m, d;
            ow_date_ymd(day, &y, &m, &d);
            int32_t issued = day - (int32_t)rnd(&r, 4);
            const char *title = title_for(cx, &r, mix[c].code, names[u], y);
            const char *docno =
                !strcmp(mix[c].code, "normative")
                    ? ow_sprintf(cx->arena, "赫%s发〔%d〕%u号", codes[u], y, 1 + rnd(&r, 40))
                    : NULL;
            const char *validity = !strcmp(mix[c].code, "normative") ? "valid" : "none";
            int rc = insert_pub(cx, ids[u], codes[u], mix[c].code, title, docno, issued, day,
                                validity, OW_DATE_NONE, &seq[u][y - 2024]);
            if (rc) return rc;
            (*count)++;
        }
    }
    /* normative documents of earlier years, two of them repealed in 2025 */
    static const struct {
        const char *unit, *title, *docno, *issued, *repealed;
    } older[] = {
        {"D07", "赫山区财政专项资金管理办法", "赫财发〔2023〕5号", "2023-04-10", "2025-06-30"},
        {"D10", "赫山区住宅小区物业服务管理办法", "赫住建发〔2023〕12号", "2023-09-01", NULL},
        {"D16", "赫山区基层医疗卫生机构绩效考核办法", "赫卫发〔2024〕3号", "2024-03-15",
         "2025-11-20"},
        {"D08", "赫山区就业创业补贴申领办法", "赫人社发〔2024〕9号", "2024-07-08", NULL},
    };
    for (size_t i = 0; i < sizeof older / sizeof older[0]; i++) {
        int64_t oid = 0;
        int rc = org_id(cx, older[i].unit, &oid, NULL);
        int32_t iss, rep = OW_DATE_NONE;
        ow_date_parse(older[i].issued, &iss);
        if (older[i].repealed) ow_date_parse(older[i].repealed, &rep);
        int s = 100 + (int)i; /* index numbers of those years, apart from the generated ones */
        if (!rc)
            rc = insert_pub(cx, oid, older[i].unit, "normative", older[i].title, older[i].docno,
                            iss, iss + 2, older[i].repealed ? "repealed" : "valid", rep, &s);
        if (rc) return rc;
        (*count)++;
    }
    return OW_OK;
}

/* ---------------- quarterly inspections ---------------- */

/* Every finished quarter since 2025: a dozen units each, the silent ones rated poor,
 * earlier quarters' findings rectified. */
static int seed_inspections(ow_ctx *cx, int32_t today, int *count) {
    rng r = {2025};
    static const char *const findings[] = {
        "信息更新及时，栏目内容规范。",
        "个别信息未标注索引号和文号，政策解读与文件未同步发布。",
        "重点领域栏目更新不及时，部分链接失效。",
        "本季度未主动公开政府信息，月报表未按时报送。",
    };
    int y0, m0, d0;
    ow_date_ymd(today, &y0, &m0, &d0);
    for (int year = 2025; year <= y0; year++) {
        for (int q = 1; q <= 4; q++) {
            if (year == y0 && q * 3 >= m0) break; /* only quarters that have ended */
            json_t *stats;
            int rc = ow_dis_unit_stats(cx, year, q, &stats);
            if (rc) return rc;
            json_t *units = json_object_get(stats, "units");
            size_t n = json_array_size(units);
            for (size_t i = 0; i < n && rc == OW_OK; i++) {
                json_t *u = json_array_get(units, i);
                bool silent = json_integer_value(json_object_get(u, "period_total")) == 0;
                if (!silent && rnd(&r, 4)) continue; /* about a quarter of the active units */
                int f = silent ? 3 : (int)rnd(&r, 3);
                const char *rating = f == 0 ? "good" : f == 3 ? "poor" : "fair";
                char by[11];
                ow_date_format(ow_date_from_ymd(year, q * 3, 28) + 30, by);
                /* inspected in the first fortnight after the quarter */
                char on[11];
                ow_date_format(ow_date_from_ymd(year, q * 3, 28) + 10, on);
                json_t *in = json_pack("{s:I,s:i,s:i,s:s,s:s,s:s}", "org_id",
                                       json_integer_value(json_object_get(u, "org_id")), "year",
                                       year, "quarter", q, "rating", rating, "findings",
                                       findings[f], "inspected_date", on);
                if (f) json_object_set_new(in, "rectify_by", json_string(by));
                int64_t id;
                rc = ow_dis_inspection_save(cx, in, &id);
                json_decref(in);
                if (!rc && f && (year < y0 || q * 3 + 3 < m0)) {
                    json_t *fix = json_pack("{s:s,s:s}", "rectified_date", by, "rectification_note",
                                            "已按要求完成整改并书面报送。");
                    rc = ow_dis_inspection_rectify(cx, id, fix);
                    json_decref(fix);
                    /* a follow-up (回头看) a fortnight after the deadline confirms it */
                    char back[11];
                    ow_date_format(ow_date_from_ymd(year, q * 3, 28) + 44, back);
                    int64_t fid;
                    json_t *fu = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s}", "org_id",
                                           json_integer_value(json_object_get(u, "org_id")), "kind",
                                           "follow_up", "follows_id", (json_int_t)id, "result",
                                           "rectified", "rating", "good", "findings",
                                           "回头看：问题已整改到位。", "inspected_date", back);
                    if (!rc && !(f % 2)) rc = ow_dis_inspection_save(cx, fu, &fid);
                    json_decref(fu);
                }
                if (!rc) (*count)++;
            }
            json_decref(stats);
            if (rc) return rc;
        }
    }
    return OW_OK;
}

/* ---------------- requests ---------------- */

static void at_date(ow_ctx *cx, int32_t d) {
    cx->app->clock.fixed_ms = (int64_t)d * 86400000 + 2 * 3600000; /* 10:00 Shanghai */
}

static int32_t add_wd(ow_calendar *cal, int32_t from, int n) {
    int32_t d = from;
    ow_err e = {0};
    if (ow_cal_add_workdays(cal, from, n, &d, &e)) return OW_DATE_NONE;
    return d;
}

static int act(ow_ctx *cx, int64_t id, const char *action, const char *args_json) {
    json_t *a = json_loads(args_json ? args_json : "{}", 0, NULL);
    int rc = ow_dis_request_transition(cx, id, action, a);
    json_decref(a);
    return rc;
}

typedef struct scenario {
    const char *received; /* YYYY-MM-DD */
    const char *org;      /* unit code */
    const char *type;     /* applicant type */
    const char *channel;
    const char *outcome; /* reply outcome, or lapsed/withdrawn/open states */
    unsigned flags;
    int reply_wd; /* working days after the clock start to reply */
    const char *content;
} scenario;

enum {
    F_SUPPLEMENT = 1,
    F_CONSULT = 2,
    F_EXTEND = 4,
    F_FEE_PAID = 8,
    F_REVIEW = 16,
    F_LITIGATION = 32,
    F_CITIZEN = 64,
    F_LATE = 128
};

static const scenario scenarios[] = {
    {"2025-01-06", "D35", "person", "online", "disclosed", 0, 8,
     "2024年赫山区政务服务中心窗口办件量统计"},
    {"2025-01-15", "D35", "person", "in_person", "disclosed_published", 0, 0,
     "赫山区政府信息公开指南"},
    {"2025-02-10", "D07", "commercial", "post", "partial", F_CONSULT, 15,
     "2024年政府采购项目合同及验收报告"},
    {"2025-02-19", "D35", "person", "online", "partial", F_SUPPLEMENT, 12, "某小区改造工程资料"},
    {"2025-03-03", "D09", "person", "in_person", "refused_secret", 0, 10,
     "某军事管理区用地审批资料"},
    {"2025-03-12", "D35", "legal_service", "post", "refused_law", 0, 14, "某案件侦查卷宗"},
    {"2025-03-24", "D04", "person", "online", "refused_safety", F_EXTEND, 30,
     "辖区重点目标安保部署方案"},
    {"2025-04-07", "D35", "person", "online", "refused_third_party", F_CONSULT, 16,
     "某企业投标文件中的报价明细"},
    {"2025-04-16", "D35", "research", "data_message", "refused_internal", 0, 9,
     "中心内部考勤和人事管理记录"},
    {"2025-04-28", "D07", "person", "online", "refused_process", 0, 11,
     "2025年预算编制过程中的讨论记录"},
    {"2025-05-12", "D21", "person", "in_person", "refused_enforcement", 0, 7,
     "本人被处罚案件的全部执法案卷"},
    {"2025-05-20", "D35", "person", "online", "refused_query", 0, 5, "本人社保缴费记录"},
    {"2025-06-04", "D35", "public_interest", "post", "unavailable_not_exist", 0, 13,
     "2010年某村集体土地征收补偿明细"},
    {"2025-06-16", "D35", "person", "online", "unavailable_not_ours", 0, 4,
     "某国有企业职工工资发放明细"},
    {"2025-06-25", "D09", "commercial", "online", "unavailable_needs_making", 0, 17,
     "近十年全区土地出让收入按乡镇分类汇总分析"},
    {"2025-07-07", "D35", "person", "online", "unavailable_unclear", F_SUPPLEMENT, 10, "有关文件"},
    {"2025-07-21", "D35", "person", "in_person", "not_handled_petition", 0, 6,
     "反映某单位工作人员违纪问题并要求查处"},
    {"2025-08-04", "D35", "person", "online", "not_handled_repeat", 0, 3,
     "2024年赫山区政务服务中心窗口办件量统计"},
    {"2025-08-13", "D15", "other_org", "post", "not_handled_publication", 0, 8,
     "《赫山年鉴（2024）》全文"},
    {"2025-08-25", "D35", "person", "online", "not_handled_mass", 0, 12,
     "全区所有行政机关2000年以来全部发文"},
    {"2025-09-08", "D35", "person", "online", "not_handled_confirm", 0, 9,
     "请确认本人此前获取的答复内容是否真实"},
    {"2025-09-17", "D35", "person", "online", "other_no_supplement", F_SUPPLEMENT, 0,
     "那个项目的资料"},
    {"2025-09-29", "D07", "commercial", "online", "other_no_fee", 0, 0,
     "2015年以来全部政府采购合同复印件"},
    {"2025-10-13", "D26", "person", "in_person", "other_special_law", 0, 5,
     "某房产的不动产登记资料"},
    {"2025-10-22", "D35", "person", "online", "other_withdrawn", 0, 6,
     "2025年政务服务满意度调查结果"},
    {"2025-11-03", "D35", "person", "online", "disclosed", F_FEE_PAID, 14,
     "2025年全部政务服务事项办事指南纸质汇编"},
    {"2025-11-12", "D35", "commercial", "online", "disclosed", F_REVIEW, 10,
     "2025年进驻政务服务中心单位名单"},
    {"2025-11-24", "D10", "person", "in_person", "refused_third_party", F_LITIGATION, 12,
     "某楼盘住户个人信息"},
    {"2025-12-01", "D35", "person", "online", "partial", F_EXTEND, 28,
     "2025年政务服务中心改造工程结算资料"},
    {"2025-12-10", "D35", "legal_service", "post", "disclosed", 0, 15,
     "2025年赫山区政务公开考核细则"},
    {"2025-12-18", "D07", "person", "online", "disclosed", 0, 12, "2025年惠民惠农补贴发放名单"},
    {"2025-12-24", "D35", "research", "data_message", "unavailable_not_exist", 0, 10,
     "2025年电子政务外网建设可行性研究报告"},
    {"2026-01-12", "D35", "person", "online", "disclosed", F_CITIZEN, 9,
     "2025年赫山区政务服务好差评统计结果"},
    {"2026-02-09", "D35", "person", "online", "partial", F_SUPPLEMENT, 14,
     "某道路项目征地补偿方案"},
    {"2026-03-16", "D16", "person", "in_person", "disclosed", 0, 7,
     "2026年基本公共卫生服务项目资金分配方案"},
    {"2026-04-20", "D35", "public_interest", "post", "refused_third_party", F_CONSULT, 18,
     "某养老机构评估报告"},
    {"2026-06-08", "D35", "person", "online", "unavailable_not_ours", F_CITIZEN, 5,
     "市级重点项目立项批复"},
    {"2026-09-07", "D35", "commercial", "online", "disclosed", F_LATE, 22,
     "2026年上半年政务服务中心运行情况"},
};

/* Requests still open on the demo's day, received a number of working days ago. */
static const struct {
    int wd_ago;
    const char *type, *content;
    unsigned flags;
} open_now[] = {
    {2, "person", "赫山区2026年政务服务中心新增进驻事项清单", F_CITIZEN},
    {6, "commercial", "2026年政府采购意向公开目录", 0},
    {12, "person", "某社区改造项目施工许可信息", F_SUPPLEMENT},
    {17, "legal_service", "2026年行政复议案件办理情况统计", 0},
    {19, "person", "2026年乡村振兴衔接资金分配情况", 0},
    {24, "person", "某小区加装电梯审批资料", 0},
    {8, "research", "政务服务中心窗口排队时长统计", F_CONSULT},
};

static int person_id(rng *r, char out[19]) {
    char s[18];
    snprintf(s, sizeof s, "430903%04u%02u%02u%03u", 1960 + rnd(r, 40), 1 + rnd(r, 12),
             1 + rnd(r, 28), 100 + rnd(r, 800));
    memcpy(out, s, 17);
    out[17] = ow_id_number_compute_check(out);
    out[18] = '\0';
    return OW_OK;
}

static void org_uscc(rng *r, char out[19]) {
    char org8[9];
    snprintf(org8, sizeof org8, "MA4L%04u", 1000 + rnd(r, 8000));
    snprintf(out, 19, "91430903%s%c", org8, ow_org_code_compute_check(org8));
    out[17] = ow_uscc_compute_check(out);
    out[18] = '\0';
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"};
static const char *const given[] = {"建国", "丽华", "志强", "海燕", "文杰",
                                    "秀英", "俊",   "敏",   "磊",   "静"};
static const char *const org_names[][2] = {
    {"commercial", "益阳市赫山区兴业建材有限公司"}, {"research", "湖南城市学院区域发展研究中心"},
    {"public_interest", "赫山区阳光助老服务中心"},  {"legal_service", "湖南赫正律师事务所"},
    {"other_org", "赫山区个体劳动者协会"},
};

typedef struct demo_ctx {
    ow_ctx *cx;
    ow_calendar *cal;
    rng r;
    int64_t citizen_id;
    ow_actor staff;
    int32_t today; /* the demo's day: the real date, before any time travel */
} demo_ctx;

static int file_one(demo_ctx *dc, const char *org_code, const char *type, const char *channel,
                    int32_t received, const char *content, bool as_citizen, bool paper,
                    int64_t *id) {
    ow_ctx *cx = dc->cx;
    int64_t oid = 0;
    int rc = org_id(cx, org_code, &oid, NULL);
    if (rc) return rc;
    at_date(cx, received);
    char idn[19] = "", uscc[19] = "", mobile[12], date[11];
    snprintf(mobile, sizeof mobile, "139%08u", 7370000 + rnd(&dc->r, 9999));
    ow_date_format(received, date);
    ow_dis_request_in in = {.org_id = oid,
                            .channel = channel,
                            .applicant_type = type,
                            .mobile = mobile,
                            .content = content,
                            .delivery = paper                        ? "paper"
                                        : !strcmp(channel, "online") ? "electronic"
                                                                     : "pickup",
                            .received_date = date,
                            .address = "益阳市赫山区"};
    bool person = !strcmp(type, "person");
    if (as_citizen) {
        in.name = "张伟";
        char id[19] = "43090319900315231";
        id[17] = ow_id_number_compute_check(id);
        id[18] = '\0';
        snprintf(idn, sizeof idn, "%s", id);
        in.id_number = idn;
        in.mobile = "13907372001";
    } else if (person) {
        person_id(&dc->r, idn);
        in.id_number = idn;
        in.name = ow_sprintf(cx->arena, "%s%s", surnames[rnd(&dc->r, 10)], given[rnd(&dc->r, 10)]);
    } else {
        org_uscc(&dc->r, uscc);
        in.uscc = uscc;
        in.contact_name =
            ow_sprintf(cx->arena, "%s%s", surnames[rnd(&dc->r, 10)], given[rnd(&dc->r, 10)]);
        for (size_t i = 0; i < sizeof org_names / sizeof org_names[0]; i++)
            if (!strcmp(org_names[i][0], type)) in.name = org_names[i][1];
    }
    if (as_citizen) {
        cx->actor = (ow_actor){.user_id = dc->citizen_id};
        snprintf(cx->actor.role, sizeof cx->actor.role, "citizen");
        snprintf(cx->actor.kind, sizeof cx->actor.kind, "citizen");
        snprintf(cx->actor.name, sizeof cx->actor.name, "张伟");
        in.channel = "online";
    }
    rc = ow_dis_request_file(cx, &in, id);
    cx->actor = dc->staff;
    if (rc) return rc;
    if (!strcmp(in.channel, "online")) rc = act(cx, *id, "confirm_receipt", "{}");
    return rc;
}

static const char *reply_args(ow_ctx *cx, const char *outcome) {
    const ow_dis_outcome *o = ow_dis_outcome_find(outcome);
    if (!strcmp(outcome, "unavailable_not_ours"))
        return "{\"outcome\":\"unavailable_not_ours\",\"reason\":\"该信息由其他机关制作和保存\","
               "\"agency\":\"益阳市发展和改革委员会\",\"agency_contact\":\"0737-4223456\"}";
    if (!strcmp(outcome, "disclosed_published"))
        return "{\"outcome\":\"disclosed_published\",\"reason\":"
               "\"请登录赫山区人民政府门户网站“政府信息公开”栏目查阅\"}";
    if (!strcmp(outcome, "disclosed"))
        return "{\"outcome\":\"disclosed\",\"body\":\"所申请信息见附件。\",\"where\":"
               "\"通过电子邮件或到本机关政务公开窗口领取\"}";
    if (!strcmp(outcome, "partial"))
        return "{\"outcome\":\"partial\",\"reason\":\"其中涉及个人隐私的内容不予公开\",\"body\":"
               "\"可以公开的部分见附件。\"}";
    return ow_sprintf(cx->arena, "{\"outcome\":\"%s\",\"reason\":\"%s\"}", outcome,
                      o && o->needs_reason ? "经审查，申请内容符合该情形" : "");
}

static int run_scenario(demo_ctx *dc, const scenario *s) {
    ow_ctx *cx = dc->cx;
    int32_t received;
    ow_date_parse(s->received, &received);
    bool fee = !strcmp(s->outcome, "other_no_fee") || (s->flags & F_FEE_PAID);
    int64_t id;
    int rc = file_one(dc, s->org, s->type, s->channel, received, s->content, s->flags & F_CITIZEN,
                      fee, &id);
    if (rc) return rc;
    int32_t start = received;
    if (s->flags & F_SUPPLEMENT) {
        at_date(cx, add_wd(dc->cal, received, 2));
        if ((rc = act(
                 cx, id, "ask_supplement",
                 "{\"items\":\"请写明所需信息的名称、文号或者其他特征性描述\",\"workdays\":10}")))
            return rc;
        if (!strcmp(s->outcome, "other_no_supplement")) {
            at_date(cx, add_wd(dc->cal, received, 2 + 11));
            return act(cx, id, "supplement_lapsed", "{}");
        }
        start = add_wd(dc->cal, received, 6);
        at_date(cx, start);
        if ((rc = act(cx, id, "supplement",
                      "{\"text\":\"补充说明：所需信息为2024年度的有关资料\"}")))
            return rc;
    }
    if (s->flags & F_CONSULT) {
        at_date(cx, add_wd(dc->cal, start, 3));
        if ((rc = act(cx, id, "consult", "{\"kind\":\"third_party\",\"party\":\"相关企业\"}")))
            return rc;
        at_date(cx, add_wd(dc->cal, start, 9));
        if ((rc = act(cx, id, "consult_done", "{\"note\":\"第三方不同意公开\"}"))) return rc;
        start = add_wd(dc->cal, start, 7); /* six working days were paused */
    }
    if (fee) {
        at_date(cx, add_wd(dc->cal, start, 4));
        if ((rc = act(cx, id, "fee_notice",
                      !strcmp(s->outcome, "other_no_fee") ? "{\"method\":\"pages\",\"pages\":180}"
                                                          : "{\"method\":\"pages\",\"pages\":45}")))
            return rc;
        if (!strcmp(s->outcome, "other_no_fee")) {
            at_date(cx, add_wd(dc->cal, start, 4 + 21));
            return act(cx, id, "fee_lapsed", "{}");
        }
        at_date(cx, add_wd(dc->cal, start, 7));
        if ((rc = act(cx, id, "fee_paid", "{}"))) return rc;
        start = add_wd(dc->cal, start, 4); /* the wait for the fee did not count */
    }
    if (s->flags & F_EXTEND) {
        at_date(cx, add_wd(dc->cal, start, 16));
        if ((rc = act(
                 cx, id, "extend",
                 "{\"approver\":\"唐志华\",\"reason\":\"所需信息涉及多个单位，需要调取整理\"}")))
            return rc;
    }
    int32_t reply = add_wd(dc->cal, start, s->reply_wd);
    if (reply == OW_DATE_NONE)
        return ow_err_set(&cx->err, OW_EINTERNAL, "demo", "演示数据日期超出日历");
    if (reply > dc->today) return OW_OK; /* not yet on the demo's day */
    at_date(cx, reply);
    if (!strcmp(s->outcome, "other_withdrawn"))
        return act(cx, id, "withdraw", "{\"reason\":\"已通过其他途径获取\"}");
    if ((rc = act(cx, id, "reply", reply_args(cx, s->outcome)))) return rc;
    /* the notice is handed over the next working day */
    at_date(cx, add_wd(dc->cal, reply, 1));
    json_t *o;
    if ((rc = ow_dis_request_get_json(cx, id, &o))) return rc;
    json_t *ns = json_object_get(o, "notices");
    json_int_t last =
        json_integer_value(json_object_get(json_array_get(ns, json_array_size(ns) - 1), "id"));
    json_decref(o);
    rc = act(cx, id, "deliver",
             ow_sprintf(cx->arena, "{\"notice_id\":%lld,\"method\":\"%s\"}", (long long)last,
                        !strcmp(s->channel, "online") ? "网上送达" : "邮寄送达"));
    if (rc) return rc;
    if (s->flags & (F_REVIEW | F_LITIGATION)) {
        int32_t filed = add_wd(dc->cal, reply, 15);
        char f[11], dd[11];
        ow_date_format(filed, f);
        ow_date_format(add_wd(dc->cal, filed, 30), dd);
        json_t *in =
            (s->flags & F_REVIEW)
                ? json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", "reconsideration", "filed_date", f,
                            "body", "益阳市赫山区人民政府", "result", "upheld", "decided_date", dd)
                : json_pack("{s:s,s:s,s:s,s:s}", "kind", "litigation_direct", "filed_date", f,
                            "body", "益阳市赫山区人民法院", "result", "pending");
        int64_t rid;
        rc = ow_dis_review_add(cx, id, in, &rid);
        json_decref(in);
    }
    return rc;
}

int ow_disclosure_demo_seed(ow_ctx *cx) {
    int64_t have = 0;
    if (ow_req_store_count_all(cx->db, &have, &cx->err)) return OW_EDB;
    if (have) {
        printf("demo disclosure: already loaded\n");
        return OW_OK;
    }
    demo_ctx dc = {.cx = cx, .r = {7}, .staff = cx->actor};
    dc.cal = ow_dis_calendar(cx);
    if (!dc.cal) return OW_EINTERNAL;
    if (ow_dis_store_demo_citizen(cx->db, &dc.citizen_id, &cx->err)) return OW_EDB;
    snprintf(dc.staff.name, sizeof dc.staff.name, "孙晓燕");
    cx->actor = dc.staff;
    dc.today = ow_date_today_shanghai(ow_clock_now_ms(cx->clock));

    int pubs = 0, insp = 0;
    int rc = seed_publications(cx, &pubs);
    if (!rc) rc = seed_inspections(cx, dc.today, &insp);
    int64_t saved = cx->app->clock.fixed_ms;
    int nreq = 0;
    for (size_t i = 0; !rc && i < sizeof scenarios / sizeof scenarios[0]; i++, nreq++)
        rc = run_scenario(&dc, &scenarios[i]);
    /* still open today, to show the lights: received some working days ago */
    int32_t today = dc.today;
    for (size_t i = 0; !rc && i < sizeof open_now / sizeof open_now[0]; i++) {
        int32_t d = today;
        bool wd = false;
        ow_err e = {0};
        for (int k = 0; k < open_now[i].wd_ago; d--) {
            if (ow_cal_is_workday(dc.cal, d - 1, &wd, &e)) break;
            if (wd) k++;
        }
        int32_t due;
        if (ow_cal_add_workdays(dc.cal, d, OW_DIS_REPLY_WORKDAYS, &due, &e))
            continue; /* calendar ends too soon */
        int64_t id;
        bool cit = open_now[i].flags & F_CITIZEN;
        rc = file_one(&dc, "D35", open_now[i].type, cit ? "online" : "in_person", d,
                      open_now[i].content, cit, false, &id);
        if (!rc && (open_now[i].flags & F_SUPPLEMENT)) {
            at_date(cx, add_wd(dc.cal, d, 1));
            rc = act(cx, id, "ask_supplement",
                     "{\"items\":\"请写明小区名称和项目名称\",\"workdays\":15}");
        }
        if (!rc && (open_now[i].flags & F_CONSULT)) {
            at_date(cx, add_wd(dc.cal, d, 3));
            rc = act(cx, id, "consult",
                     "{\"kind\":\"other_agency\",\"party\":\"赫山区数据资源局\"}");
        }
        nreq++;
    }
    cx->app->clock.fixed_ms = saved;
    snprintf(cx->actor.name, sizeof cx->actor.name, "系统");
    if (rc) return rc;
    /* what a person would have written into the 2025 report */
    json_t *texts = json_pack(
        "{s:s,s:s,s:f,s:s,s:s,s:s,s:s}", "problems",
        "一是个别单位主动公开信息更新不及时；二是政策解读形式较为单一。下一步将加强督查通"
        "报，丰富图解、视频等解读形式。",
        "other", "本年度未发生因政府信息公开引起的重大舆情。", "admin_fees_wan", 12.35,
        "overview_management",
        "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则；集中清理行"
        "政规范性文件，及时标注有效性；动态更新政府信息公开指南和主动公开目录。",
        "overview_platform",
        "以区人民政府门户网站为政府信息公开第一平台，优化政府信息公开专栏和重点领域信息公开"
        "栏目；依托政务服务平台公开办事指南，规范政务新媒体信息发布。",
        "overview_oversight",
        "将政务公开工作纳入年度绩效考核，按季度开展政务公开督查并通报结果；组织政务公开业务"
        "培训，提升工作人员依法公开的能力。",
        /* the district's report is published by 31 March of the next year (Art. 49) */
        "report_date", "2026-01-20");
    rc = ow_dis_report_save(cx, 0, 2025, texts);
    json_decref(texts);
    if (rc) return rc;
    printf("demo disclosure: %d publications, %d information requests, %d inspection records\n",
           pubs, nreq, insp);
    return OW_OK;
}
