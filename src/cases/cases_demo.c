/* cases_demo.c — synthetic cases: a year of realistic demo cases for `init --demo`
 * (the statistics of issue 8 read them) and bulk load data for benchmarks
 * (`seed --cases N`).
 *
 * Both simulate each case's life on the legal calendar — received on a working day,
 * perhaps a 补正 round, accepted, decided within (mostly) its committed limit,
 * delivered — and stop the story at today, so recent cases sit open in every state and
 * a few are overdue.  Rows, history and pauses are written directly with prepared
 * statements (no audit rows: nothing happened, it is sample data), which is what makes a
 * million cases take seconds instead of hours.  Deadlines use the same
 * ow_case_compute_due as live cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "cases/cases.h"
#include "cases/cases_int.h"
#include "catalog/catalog.h"
#include "catalog/catalog_cases.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/json.h"
#include "store/cases_demo_store.h"

#define DEMO_CASES 3000
#define SEED_DAYS 365
#define POOL_PEOPLE 4000
#define POOL_FIRMS 600

/* xorshift64*: reproducible data for a given seed, no global state. */
typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnext(rng *r) {
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ULL;
}
static int rint_(rng *r, int n) {
    return n <= 0 ? 0 : (int)(rnext(r) % (uint64_t)n);
}
static bool rpct(rng *r, int pct) {
    return rint_(r, 100) < pct;
}

static const char *const SURNAMES[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴",
                                       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
                                       "梁", "宋", "郑", "谢", "韩", "唐", "冯", "曾", "彭", "蒋"};
static const char *const GIVEN[] = {
    "伟",   "芳",   "娜",   "秀英", "敏",   "静",   "丽",   "强",   "磊",   "军",  "洋",   "勇",
    "艳",   "杰",   "娟",   "涛",   "明",   "超",   "秀兰", "霞",   "平",   "刚",  "桂英", "建华",
    "志强", "春生", "海燕", "红梅", "小龙", "建国", "玉兰", "德胜", "湘云", "益民"};
static const char *const FIRM_WORDS[] = {"农业科技", "建材",     "商贸", "食品",
                                         "物流",     "电子",     "竹业", "茶业",
                                         "建筑工程", "餐饮管理", "医药", "机械"};
static const char *const PLACES[] = {"龙岭",   "会龙山", "金银山", "桃花仑", "赫山",
                                     "沧水铺", "岳家桥", "欧江岔", "新市渡", "兰溪",
                                     "泉交河", "笔架山", "衡龙桥", "八字哨", "泥江口"};

typedef struct person {
    const char *kind, *name, *idx, *id_enc, *masked, *mob_enc, *mob_masked, *address;
    int64_t user_id;
    char tail[7];
} person;

typedef struct org_ref {
    int64_t id, scope;
    const char *name;
} org_ref;

typedef struct gen {
    ow_ctx *cx;
    rng r;
    int32_t today, first_day;
    ow_case_item *items;
    double *weight;
    int nitems;
    double wsum;
    org_ref center, *windows, *towns, *points;
    int nwindows, ntowns, npoints;
    person *people;
    int npeople, nfirms_from;
    int *seq; /* case numbers issued per day, index day - first_day */
    int64_t demo_clerk, demo_town_clerk, demo_agent, demo_approver;
    int64_t demo_clerk_org, demo_town_org, demo_agent_org, demo_approver_org;
    int64_t cases, events;
} gen;

/* ---------------- set-up ---------------- */

static int load_items(gen *g) {
    ow_ctx *cx = g->cx;
    int cap = 0;
    for (int page = 1;; page++) {
        ow_catalog_query q = {.page = page, .per_page = 100};
        json_t *items;
        int64_t total;
        int rc = ow_catalog_search(cx, &q, &items, &total);
        if (rc) return rc;
        size_t n = json_array_size(items);
        for (size_t i = 0; i < n; i++) {
            int64_t id = json_integer_value(json_object_get(json_array_get(items, i), "id"));
            if (g->nitems == cap) {
                cap = cap ? cap * 2 : 64;
                ow_case_item *ni = ow_alloc(cx->arena, (size_t)cap * sizeof *ni);
                if (g->nitems) memcpy(ni, g->items, (size_t)g->nitems * sizeof *ni);
                g->items = ni;
            }
            if ((rc = ow_catalog_case_item(cx, id, 0, &g->items[g->nitems]))) {
                json_decref(items);
                return rc;
            }
            g->nitems++;
        }
        json_decref(items);
        if (n < 100) break;
    }
    if (!g->nitems)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "item_id",
                          "没有已发布的事项，无法生成办件（请先载入事项目录）");
    /* a few items carry most of the work, like a real hall */
    g->weight = ow_alloc(cx->arena, (size_t)g->nitems * sizeof *g->weight);
    for (int i = 0; i < g->nitems; i++) {
        int rank = rint_(&g->r, g->nitems) + 1;
        g->weight[i] = 1.0 / (double)rank;
        g->wsum += g->weight[i];
    }
    return OW_OK;
}

static int load_orgs(gen *g, const char *kind, org_ref **out, int *n) {
    ow_ctx *cx = g->cx;
    json_t *arr;
    int rc = ow_org_list_json(cx, kind, 0, false, &arr);
    if (rc) return rc;
    *n = (int)json_array_size(arr);
    *out = ow_alloc(cx->arena, (size_t)(*n + 1) * sizeof **out);
    for (int i = 0; i < *n; i++) {
        json_t *o = json_array_get(arr, (size_t)i);
        (*out)[i].id = json_integer_value(json_object_get(o, "id"));
        (*out)[i].scope = json_is_integer(json_object_get(o, "parent_id"))
                              ? json_integer_value(json_object_get(o, "parent_id"))
                              : (*out)[i].id;
        (*out)[i].name = ow_strdup(cx->arena, json_string_value(json_object_get(o, "name")));
    }
    json_decref(arr);
    return OW_OK;
}

static int demo_user(gen *g, const char *username, int64_t *id, int64_t *org) {
    ow_login_target t;
    *id = *org = 0;
    int rc = ow_account_find_login(g->cx, username, &t);
    if (rc || !t.user_id) return rc;
    json_t *u;
    if ((rc = ow_account_user_json(g->cx, t.user_id, &u))) return rc;
    *id = t.user_id;
    *org = json_integer_value(json_object_get(json_object_get(u, "org"), "id"));
    json_decref(u);
    return OW_OK;
}

static char *enc(gen *g, const char *plain, const char *ad) {
    char *b64 = NULL;
    if (ow_pii_encrypt(&g->cx->app->keys, plain, ad, &b64)) return NULL;
    char *s = ow_strdup(g->cx->arena, b64);
    free(b64);
    return s;
}

static int make_person(gen *g, person *p, bool firm) {
    ow_ctx *cx = g->cx;
    char num[64], mobile[24];
    if (!firm) {
        int y = 1950 + rint_(&g->r, 56), m = 1 + rint_(&g->r, 12), d = 1 + rint_(&g->r, 28);
        snprintf(num, sizeof num, "%s%04d%02d%02d%03d", rpct(&g->r, 85) ? "430903" : "430902", y, m,
                 d, rint_(&g->r, 999) + 1);
        num[17] = ow_id_number_compute_check(num);
        num[18] = '\0';
        p->kind = "person";
        p->name =
            ow_sprintf(cx->arena, "%s%s", SURNAMES[rint_(&g->r, 30)], GIVEN[rint_(&g->r, 34)]);
        char masked[19];
        ow_mask_id_number(num, masked);
        p->masked = ow_strdup(cx->arena, masked);
    } else {
        static const char alnum[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        char org8[9];
        for (int i = 0; i < 8; i++)
            org8[i] = alnum[rint_(&g->r, 10 + (i > 1 ? 21 : 0))];
        org8[8] = '\0';
        char oc = ow_org_code_compute_check(org8);
        snprintf(num, 19, "91430903%s%c", org8, oc ? oc : '0');
        num[17] = ow_uscc_compute_check(num);
        num[18] = '\0';
        p->kind = "enterprise";
        p->name = ow_sprintf(cx->arena, "益阳市赫山区%s%s有限公司", PLACES[rint_(&g->r, 15)],
                             FIRM_WORDS[rint_(&g->r, 12)]);
        p->masked = ow_strdup(cx->arena, num);
    }
    snprintf(mobile, sizeof mobile, "1%c%09d", "35789"[rint_(&g->r, 5)], rint_(&g->r, 1000000000));
    char idx[65], mm[12];
    ow_blind_index(&cx->app->keys, firm ? "uscc" : "id_number", num, idx);
    ow_mask_mobile(mobile, mm);
    p->idx = ow_strdup(cx->arena, idx);
    p->id_enc = enc(g, num, "cases.id_number");
    p->mob_enc = enc(g, mobile, "cases.mobile");
    if (!p->id_enc || !p->mob_enc)
        return ow_err_set(&cx->err, OW_EINTERNAL, "", "个人信息加密失败");
    p->mob_masked = ow_strdup(cx->arena, mm);
    p->address = ow_sprintf(cx->arena, "益阳市赫山区%s镇%s村%d组", PLACES[rint_(&g->r, 15)],
                            PLACES[rint_(&g->r, 15)], 1 + rint_(&g->r, 12));
    memcpy(p->tail, num + 12, 6);
    p->tail[6] = '\0';
    return OW_OK;
}

/* The demo citizen and enterprise apply too, so 我的办件 has something to show. */
static int account_person(gen *g, const char *username, person *p) {
    ow_ctx *cx = g->cx;
    ow_login_target t;
    int rc = ow_account_find_login(cx, username, &t);
    if (rc || !t.user_id) return rc ? rc : OW_ENOTFOUND;
    json_t *u, *pii;
    if ((rc = ow_account_user_json(cx, t.user_id, &u))) return rc;
    if ((rc = ow_account_user_pii(cx, t.user_id, &pii))) {
        json_decref(u);
        return rc;
    }
    bool firm = !strcmp(json_string_value(json_object_get(u, "kind")), "enterprise");
    const char *num = firm ? json_string_value(json_object_get(u, "uscc"))
                           : json_string_value(json_object_get(pii, "id_number"));
    const char *mob = json_string_value(json_object_get(pii, "mobile"));
    char idx[65], mm[12] = "";
    ow_blind_index(&cx->app->keys, firm ? "uscc" : "id_number", num, idx);
    p->kind = firm ? "enterprise" : "person";
    p->name = ow_strdup(cx->arena, json_string_value(json_object_get(u, "name")));
    p->idx = ow_strdup(cx->arena, idx);
    p->id_enc = enc(g, num, "cases.id_number");
    p->mob_enc = mob ? enc(g, mob, "cases.mobile") : NULL;
    if (mob) ow_mask_mobile(mob, mm);
    p->mob_masked = ow_strdup(cx->arena, mm);
    char masked[19];
    if (firm)
        snprintf(masked, sizeof masked, "%s", num);
    else
        ow_mask_id_number(num, masked);
    p->masked = ow_strdup(cx->arena, masked);
    p->address = "益阳市赫山区龙岭工业园";
    p->user_id = t.user_id;
    memcpy(p->tail, num + 12, 6);
    p->tail[6] = '\0';
    json_decref(u);
    json_decref(pii);
    return OW_OK;
}

static int seq_row(void *arg, const char *day, int n) {
    gen *g = arg;
    if (strlen(day) < 8) return OW_OK;
    int32_t dn =
        ow_date_from_ymd(atoi((char[5]){day[0], day[1], day[2], day[3], 0}),
                         atoi((char[3]){day[4], day[5], 0}), atoi((char[3]){day[6], day[7], 0}));
    if (dn >= g->first_day && dn <= g->today) g->seq[dn - g->first_day] = n;
    return OW_OK;
}

static int load_seq(gen *g) {
    int days = g->today - g->first_day + 1;
    g->seq = ow_alloc(g->cx->arena, (size_t)days * sizeof *g->seq);
    char lo[9], hi[9];
    int y, m, d;
    ow_date_ymd(g->first_day, &y, &m, &d);
    snprintf(lo, sizeof lo, "%04d%02d%02d", y, m, d);
    ow_date_ymd(g->today, &y, &m, &d);
    snprintf(hi, sizeof hi, "%04d%02d%02d", y, m, d);
    return ow_cases_store_each_seq(g->cx->db, lo, hi, seq_row, g, &g->cx->err);
}

static int save_seq(gen *g) {
    for (int32_t d = g->first_day; d <= g->today; d++) {
        int n = g->seq[d - g->first_day];
        if (!n) continue;
        int y, m, dd;
        ow_date_ymd(d, &y, &m, &dd);
        char day[9];
        snprintf(day, sizeof day, "%04d%02d%02d", y, m, dd);
        int rc = ow_cases_store_seq_at_least(g->cx->db, day, n, &g->cx->err);
        if (rc) return rc;
    }
    return OW_OK;
}

static int gen_init(gen *g, ow_ctx *cx, uint64_t seed, int npeople) {
    memset(g, 0, sizeof *g);
    g->cx = cx;
    g->r.s = seed;
    g->today = ow_case_today(cx);
    g->first_day = g->today - SEED_DAYS;
    int rc;
    if ((rc = load_items(g))) return rc;
    org_ref *centers;
    int ncenters;
    if ((rc = load_orgs(g, "center", &centers, &ncenters)) ||
        (rc = load_orgs(g, "window", &g->windows, &g->nwindows)) ||
        (rc = load_orgs(g, "township", &g->towns, &g->ntowns)) ||
        (rc = load_orgs(g, "agent_point", &g->points, &g->npoints)))
        return rc;
    if (!ncenters) return ow_err_set(&cx->err, OW_ENOTFOUND, "", "没有政务服务中心，无法生成办件");
    g->center = centers[0];
    if ((rc = demo_user(g, "demo-clerk", &g->demo_clerk, &g->demo_clerk_org)) ||
        (rc = demo_user(g, "demo-township-clerk", &g->demo_town_clerk, &g->demo_town_org)) ||
        (rc = demo_user(g, "demo-agent", &g->demo_agent, &g->demo_agent_org)) ||
        (rc = demo_user(g, "demo-approver", &g->demo_approver, &g->demo_approver_org)))
        return rc;
    g->people = ow_alloc(cx->arena, (size_t)(npeople + 2) * sizeof *g->people);
    int firms = npeople * POOL_FIRMS / (POOL_PEOPLE + POOL_FIRMS);
    g->nfirms_from = npeople - firms;
    for (int i = 0; i < npeople; i++)
        if ((rc = make_person(g, &g->people[i], i >= g->nfirms_from))) return rc;
    g->npeople = npeople;
    person extra[2];
    int ne = 0;
    if (account_person(g, "demo-citizen", &extra[ne]) == OW_OK) ne++;
    if (account_person(g, "demo-enterprise", &extra[ne]) == OW_OK) ne++;
    ow_err_clear(&cx->err);
    for (int i = 0; i < ne; i++)
        g->people[g->npeople++] = extra[i];
    return load_seq(g);
}

/* ---------------- one simulated case ---------------- */

static int32_t workday_after(gen *g, int32_t d, int n) {
    int32_t out = d + n;
    ow_err e = {0};
    if (ow_cal_add_workdays(g->cx->app->calendar, d, n, &out, &e)) out = d + n + n / 5 * 2;
    return out;
}

static bool is_workday(gen *g, int32_t d) {
    bool w = true;
    ow_err e = {0};
    if (ow_cal_is_workday(g->cx->app->calendar, d, &w, &e)) w = ow_date_weekday(d) <= 5;
    return w;
}

static int64_t at_ms(gen *g, int32_t day, int hour_lo, int hour_hi) {
    int sec = hour_lo * 3600 + rint_(&g->r, (hour_hi - hour_lo) * 3600);
    return ((int64_t)day * 86400 + sec - 8 * 3600) * 1000;
}

typedef struct ev {
    const char *action, *from, *to, *comment, *detail;
    int64_t at, actor_id;
    const char *actor_name, *actor_role, *actor_org;
} ev;

static int write_case(gen *g, ow_case_row *c, const person *p, const ev *evs, int nev,
                      const ow_cal_pause *pauses, const char *const pause_kinds[], int np) {
    ow_case_seed_applicant a = {.kind = p->kind,
                                .idx = p->idx,
                                .name = p->name,
                                .id_enc = p->id_enc,
                                .masked = p->masked,
                                .mobile_enc = p->mob_enc,
                                .mobile_masked = p->mob_masked,
                                .address = p->address,
                                .user_id = p->user_id};
    ow_case_event_new rows[8];
    for (int k = 0; k < nev && k < 8; k++)
        rows[k] = (ow_case_event_new){.at = evs[k].at,
                                      .actor_id = evs[k].actor_id,
                                      .actor_name = evs[k].actor_name,
                                      .actor_role = evs[k].actor_role,
                                      .actor_org = evs[k].actor_org,
                                      .action = evs[k].action,
                                      .from_state = evs[k].from,
                                      .to_state = evs[k].to,
                                      .comment = evs[k].comment,
                                      .detail = evs[k].detail};
    int rc = ow_cases_store_seed_case(g->cx->db, c, &a, rows, nev < 8 ? nev : 8, pauses,
                                      pause_kinds, np, &c->id, &g->cx->err);
    if (rc) return rc;
    g->cases++;
    g->events += nev;
    return OW_OK;
}

static const ow_case_item *pick_item(gen *g) {
    double x = (double)(rnext(&g->r) % 1000000) / 1000000.0 * g->wsum;
    for (int i = 0; i < g->nitems; i++) {
        x -= g->weight[i];
        if (x <= 0) return &g->items[i];
    }
    return &g->items[g->nitems - 1];
}

static int one_case(gen *g, int32_t day) {
    ow_ctx *cx = g->cx;
    const ow_case_item *it = pick_item(g);
    bool firm_ok = strcmp(it->target, "person") != 0,
         person_ok = strcmp(it->target, "enterprise") != 0;
    const person *p;
    for (int tries = 0;; tries++) {
        /* the demo accounts file a case now and then */
        int k = rpct(&g->r, 1) && g->npeople > POOL_PEOPLE ? g->npeople - 1 - rint_(&g->r, 2)
                                                           : rint_(&g->r, g->npeople);
        p = &g->people[k];
        bool firm = !strcmp(p->kind, "enterprise");
        if ((firm && firm_ok) || (!firm && person_ok) || tries > 20) break;
    }
    ow_case_row c;
    memset(&c, 0, sizeof c);
    c.item_id = it->item_id;
    c.item_version = it->version;
    c.item_code = it->code;
    c.item_name = it->name;
    c.item_type = it->type;
    c.dept_id = it->dept_id;
    c.title = "";
    c.delivery_method = c.tracking_no = c.result = "";
    /* channel and office */
    int roll = rint_(&g->r, 100);
    const char *clerk_name = "窗口工作人员", *clerk_org = g->center.name;
    int64_t clerk_id = 0;
    if ((p->user_id || roll < 45) && it->mode_online) {
        snprintf(c.channel, sizeof c.channel, "online");
        c.intake_org_id = it->window_id ? it->window_id : g->center.id;
        c.intake_scope_id = g->center.id;
        c.filed_by = p->user_id;
    } else if (roll < 70 && it->level_township && g->ntowns) {
        const org_ref *t = &g->towns[rint_(&g->r, g->ntowns)];
        snprintf(c.channel, sizeof c.channel, "township");
        c.intake_org_id = c.intake_scope_id = t->id;
        clerk_org = t->name;
        clerk_name = "便民服务中心工作人员";
        if (t->id == g->demo_town_org) clerk_id = g->demo_town_clerk;
        c.filed_by = clerk_id;
    } else if (roll < 80 && it->level_agent_point && g->npoints) {
        const org_ref *a = &g->points[rint_(&g->r, g->npoints)];
        snprintf(c.channel, sizeof c.channel, "agent");
        c.intake_org_id = a->id;
        c.intake_scope_id = a->scope;
        c.filed_by = a->id == g->demo_agent_org ? g->demo_agent : 0;
        clerk_name = "便民服务中心工作人员";
        for (int i = 0; i < g->ntowns; i++)
            if (g->towns[i].id == a->scope) clerk_org = g->towns[i].name;
        if (a->scope == g->demo_town_org) clerk_id = g->demo_town_clerk;
    } else {
        const org_ref *w = g->nwindows ? &g->windows[rint_(&g->r, g->nwindows)] : &g->center;
        snprintf(c.channel, sizeof c.channel, "window");
        c.intake_org_id = w->id;
        c.intake_scope_id = g->nwindows ? w->scope : g->center.id;
        clerk_org = w->name;
        if (w->id == g->demo_clerk_org) clerk_id = g->demo_clerk;
        c.filed_by = clerk_id;
    }
    if (!strcmp(c.channel, "online") && c.intake_scope_id == g->center.id && rpct(&g->r, 30)) {
        clerk_id = g->demo_clerk;
        clerk_name = "刘敏";
    }
    if (clerk_id && !strcmp(clerk_name, "窗口工作人员")) clerk_name = "刘敏";
    if (clerk_id == g->demo_town_clerk && clerk_id) clerk_name = "王丽";
    bool desk = strcmp(c.channel, "online") != 0;
    /* desks work on working days, the portal every day */
    while (desk && !is_workday(g, day) && day < g->today)
        day++;
    if (desk && !is_workday(g, day)) return OW_OK;
    int idx_day = day - g->first_day;
    int n = ++g->seq[idx_day];
    int y, m, d;
    ow_date_ymd(day, &y, &m, &d);
    snprintf(c.case_no, sizeof c.case_no, "%.6s-%04d%02d%02d-%05d", cx->app->cfg.region_code,
             y % 10000, m % 100, d % 100, n % 1000000);
    c.submitted_at = at_ms(g, day, desk ? 9 : 7, desk ? 17 : 23);
    c.received_date = day;
    c.committed_days = it->committed_days;
    c.statutory_days = it->statutory_days;
    c.accepted_date = c.clock_start = c.decided_date = OW_DATE_NONE;

    /* materials: usually complete, sometimes one short (→ 补正) */
    bool short_one = rpct(&g->r, 15) && it->nmaterials > 0;
    int missing = short_one ? rint_(&g->r, it->nmaterials) : -1;
    json_t *mats = json_array();
    for (int i = 0; i < it->nmaterials; i++)
        json_array_append_new(mats,
                              json_pack("{s:s,s:b,s:b}", "name", it->materials[i].name, "required",
                                        it->materials[i].required, "provided", 1));
    const char *approver_name = "审批人员", *dept_name = it->dept_name;
    int64_t approver_id = 0;
    if (it->dept_id == g->demo_approver_org) {
        approver_id = g->demo_approver;
        approver_name = "陈志强";
    }
    ev evs[8];
    int nev = 0;
    ow_cal_pause pauses[2];
    const char *pkinds[2];
    int np = 0;
    char state[16] = "submitted";
    evs[nev++] = (ev){"submit",
                      "",
                      "submitted",
                      NULL,
                      NULL,
                      c.submitted_at,
                      desk ? c.filed_by : p->user_id,
                      desk ? clerk_name : p->name,
                      desk ? (!strcmp(c.channel, "agent") ? "agent" : "clerk")
                           : (!strcmp(p->kind, "person") ? "citizen" : "enterprise"),
                      desk ? clerk_org : ""};
    int32_t t = day;
    int64_t last_at = c.submitted_at;
    const char *result = "";
    int64_t concluded_at = 0;
#define STEP(days_)                                                                                \
    do {                                                                                           \
        t = workday_after(g, t, (days_));                                                          \
        if (t > g->today) goto done;                                                               \
    } while (0)
#define EV(action_, to_, comment_, detail_, who_id, who_name, who_role, who_org)                   \
    do {                                                                                           \
        int64_t a_ = at_ms(g, t, 9, 17);                                                           \
        if (a_ <= last_at) a_ = last_at + 60000;                                                   \
        last_at = a_;                                                                              \
        evs[nev++] = (ev){action_,  ow_strdup(cx->arena, state),                                   \
                          to_,      comment_,                                                      \
                          detail_,  a_,                                                            \
                          who_id,   who_name,                                                      \
                          who_role, who_org};                                                      \
        snprintf(state, sizeof state, "%s", to_);                                                  \
    } while (0)
    if (short_one) {
        STEP(rint_(&g->r, 2));
        const char *mname = it->materials[missing].name;
        json_t *names = json_pack("[s]", mname);
        char *nt = ow_json_dump(names);
        c.supplement_names = ow_strdup(cx->arena, nt);
        free(nt);
        json_decref(names);
        json_t *det =
            json_pack("{s:[{s:s,s:s}],s:i}", "materials", "name", mname, "problem",
                      rpct(&g->r, 50) ? "未提交" : "复印件不清晰，请提交原件", "notice", 1);
        char *dt = ow_json_dump(det);
        json_decref(det);
        EV("supplement", "supplement", NULL, ow_strdup(cx->arena, dt), clerk_id, clerk_name,
           "clerk", clerk_org);
        free(dt);
        json_object_set_new(json_array_get(mats, (size_t)missing), "provided", json_false());
        pauses[np] = (ow_cal_pause){t, OW_DATE_NONE};
        pkinds[np++] = "supplement";
        if (rpct(&g->r, 5)) {
            STEP(3 + rint_(&g->r, 5));
            pauses[np - 1].end = t;
            EV("withdraw", "withdrawn", NULL, "{\"reason\":\"申请人无法提供所需材料\"}", 0, p->name,
               "citizen", "");
            result = "withdrawn";
            concluded_at = last_at;
            goto done;
        }
        STEP(1 + rint_(&g->r, 5));
        pauses[np - 1].end = t;
        json_object_set_new(json_array_get(mats, (size_t)missing), "provided", json_true());
        EV("resubmit", "submitted", NULL, NULL, p->user_id, p->name,
           !strcmp(p->kind, "person") ? "citizen" : "enterprise", "");
    }
    if (rpct(&g->r, 3)) {
        STEP(rint_(&g->r, 2));
        EV("refuse", "refused", NULL, "{\"reason\":\"申请事项不属于本行政机关职权范围\"}", clerk_id,
           clerk_name, "clerk", clerk_org);
        result = "refused";
        concluded_at = last_at;
        goto done;
    }
    STEP(rint_(&g->r, 100) < 70 ? 0 : 1 + rint_(&g->r, 2));
    EV("accept", "review", NULL, "{\"deemed_accepted\":false}", clerk_id, clerk_name, "clerk",
       clerk_org);
    c.accepted_date = c.clock_start = t;
    {
        /* decided within the committed limit, a few late */
        int lim = it->committed_days;
        int k = lim == 0 ? 0 : rpct(&g->r, 6) ? lim + 1 + rint_(&g->r, 4) : rint_(&g->r, lim + 1);
        if (rpct(&g->r, 3) && lim > 2) {
            STEP(1);
            EV("suspend", "suspended", NULL, "{\"reason\":\"组织现场核查\"}", approver_id,
               approver_name, "approver", dept_name);
            pauses[np] = (ow_cal_pause){t, OW_DATE_NONE};
            pkinds[np++] = "suspend";
            STEP(2 + rint_(&g->r, 4));
            pauses[np - 1].end = t;
            EV("resume", "review", NULL, NULL, approver_id, approver_name, "approver", dept_name);
        }
        STEP(k);
    }
    c.decided_date = t;
    if (rpct(&g->r, 4)) {
        EV("deny", "denied", NULL, "{\"reason\":\"申请材料反映的情况不符合法定条件\"}", approver_id,
           approver_name, "approver", dept_name);
        result = "denied";
        concluded_at = last_at;
        goto done;
    }
    EV("approve", "approved", NULL, NULL, approver_id, approver_name, "approver", dept_name);
    result = "approved";
    STEP(rint_(&g->r, 3));
    {
        int how = rint_(&g->r, 10);
        const char *method = how < 6 ? "window" : how < 8 ? "post" : "electronic";
        c.delivery_method = method;
        if (!strcmp(method, "post"))
            c.tracking_no = ow_sprintf(cx->arena, "EMS%09d", rint_(&g->r, 1000000000));
        const char *det = ow_sprintf(cx->arena, "{\"delivery\":\"%s\"%s%s%s}", method,
                                     c.tracking_no[0] ? ",\"tracking_no\":\"" : "", c.tracking_no,
                                     c.tracking_no[0] ? "\"" : "");
        EV("deliver", "concluded", NULL, det, clerk_id, clerk_name, "clerk", clerk_org);
        concluded_at = last_at;
    }
done:
#undef STEP
#undef EV
    snprintf(c.state, sizeof c.state, "%s", state);
    if (!strcmp(state, "approved")) result = "approved";
    c.result = result;
    c.concluded_at = ow_case_state_open(state) ? 0 : concluded_at;
    if (!strcmp(state, "submitted") || !strcmp(state, "supplement")) c.decided_date = OW_DATE_NONE;
    if (!strcmp(state, "review") || !strcmp(state, "suspended")) c.decided_date = OW_DATE_NONE;
    char *mt = ow_json_dump(mats);
    json_decref(mats);
    c.materials = ow_strdup(cx->arena, mt);
    free(mt);
    c.updated_at = last_at;
    /* due dates as a live case would have them: open phases, then the record at closing */
    c.due_committed = c.due_statutory = c.due_date = OW_DATE_NONE;
    int rc;
    if (c.clock_start != OW_DATE_NONE && !ow_case_state_open(state)) {
        char keep[16];
        snprintf(keep, sizeof keep, "%s", c.state);
        snprintf(c.state, sizeof c.state, "review");
        if ((rc = ow_case_compute_due(cx, &c, pauses, (size_t)np, NULL))) return rc;
        snprintf(c.state, sizeof c.state, "%s", keep);
        c.due_date = OW_DATE_NONE;
    } else if ((rc = ow_case_compute_due(cx, &c, pauses, (size_t)np, NULL))) {
        return rc;
    }
    return write_case(g, &c, p, evs, nev, pauses, pkinds, np);
}

/* ---------------- entry points ---------------- */

static int run(ow_ctx *cx, int64_t n, uint64_t seed, int npeople, int64_t *made) {
    gen g;
    int rc = gen_init(&g, cx, seed, npeople);
    if (rc) return rc;
    /* each case's strings live in a scratch arena emptied after it is written */
    ow_arena *keep = cx->arena, *scratch = ow_arena_new(1 << 14);
    for (int64_t i = 0; i < n && !rc; i++) {
        /* more recent days a little busier: the platform is growing */
        int span = SEED_DAYS + 1;
        int a = rint_(&g.r, span), b = rint_(&g.r, span);
        int32_t day = g.first_day + (a > b ? a : b);
        cx->arena = scratch;
        rc = one_case(&g, day);
        cx->arena = keep;
        ow_arena_reset(scratch);
    }
    ow_arena_free(scratch);
    if (rc) return rc;
    if ((rc = save_seq(&g))) return rc;
    *made = g.cases;
    return OW_OK;
}

int ow_cases_demo_seed(ow_ctx *cx) {
    int64_t have;
    int rc = ow_cases_store_count(cx->db, &have, &cx->err);
    if (rc) return rc;
    if (have) {
        printf("demo cases: already loaded\n");
        return OW_OK;
    }
    int64_t made = 0;
    rc = run(cx, DEMO_CASES, 0x6f6e6577696e646fULL, 800, &made);
    if (rc) return rc;
    printf("demo cases: %lld over the past year (online, windows, township centers, agent"
           " points; every state)\n",
           (long long)made);
    return OW_OK;
}

int ow_cases_bench_seed(ow_ctx *cx, int64_t n) {
    if (!cx->actor.system)
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "", "只能在命令行生成测试数据");
    int64_t made = 0;
    uint64_t seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)ow_clock_now_ms(cx->clock);
    return run(cx, n, seed, POOL_PEOPLE + POOL_FIRMS, &made);
}
