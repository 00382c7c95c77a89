/* hall_demo.c — the demo halls (`onewindow init --demo`): the district centre's window
 * groups over its 18 windows, as the hall of data/demo/orgs.csv is laid out (综合受理 at
 * windows 1–6, the specialised windows for 投资项目与商事, 不动产, 社保医保公积金, 户政出入境,
 * 婚姻, 交通与税务, 帮办代办 and the 出件 desk), and one group at each township centre.
 * Letters skip I and O (hall_site.c says why). */
#include "hall/hall_int.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"

typedef struct demo_group {
    const char *letter, *name, *note;
    int capacity, service_min;
    bool is_default;
    const char *windows[7];
    const char *depts[4];
} demo_group;

/* clang-format off */
static const demo_group CENTER[] = {
    {"A", "综合受理", "大多数事项在此受理：一窗受理、集成服务", 6, 12, true,
     {"W01", "W02", "W03", "W04", "W05", "W06"}, {NULL}},
    {"B", "投资项目与商事登记", "企业开办、投资项目审批", 2, 20, false,
     {"W07", "W08"}, {"D01", "D19"}},
    {"C", "不动产登记", "不动产登记、交易与税费", 2, 25, false, {"W09"}, {"D26", "D09"}},
    {"D", "社保医保公积金", "社会保障、医疗保障、住房公积金", 3, 10, false,
     {"W10", "W11", "W12"}, {"D08", "D20", "D25"}},
    {"E", "户政出入境", "户籍、居住证、出入境证件", 2, 10, false, {"W13"}, {"D04"}},
    {"F", "婚姻登记", "结婚、离婚登记（建议预约）", 2, 20, false, {"W14"}, {NULL}},
    {"G", "交通与税务", "交通运输、税务", 2, 15, false, {"W15", "W16"}, {"D11", "D24"}},
    {"H", "帮办代办", "老年人、残疾人等群众的帮办代办", 1, 20, false, {"W18"}, {NULL}},
    {"J", "出件取证", "领取证照和结果文书", 0, 5, false, {"W17"}, {NULL}},
};
/* clang-format on */

static int id_of(ow_ctx *cx, const char *code, int64_t *id) {
    ow_hall_org o;
    int rc = ow_hall_store_org_by_code(cx->db, code, &o, &cx->err);
    *id = rc ? 0 : o.id;
    return rc;
}

static int seed_group(ow_ctx *cx, const char *site, const demo_group *d, int sort) {
    int64_t windows[8], depts[4];
    int nw = 0, nd = 0, rc;
    for (int i = 0; i < 7 && d->windows[i]; i++)
        if ((rc = id_of(cx, d->windows[i], &windows[nw++]))) return rc;
    for (int i = 0; i < 4 && d->depts[i]; i++)
        if ((rc = id_of(cx, d->depts[i], &depts[nd++]))) return rc;
    ow_hall_group_in in = {.letter = d->letter,
                           .name = d->name,
                           .note = d->note,
                           .slot_capacity = d->capacity,
                           .service_min = d->service_min,
                           .sort = sort,
                           .is_default = d->is_default,
                           .active = true,
                           .windows = windows,
                           .nwindows = nw,
                           .depts = depts,
                           .ndepts = nd};
    int64_t id;
    return ow_hall_group_save(cx, site, 0, &in, &id);
}

int ow_hall_demo_seed(ow_ctx *cx) {
    ow_hall_org center;
    int rc = ow_hall_store_org_by_code(cx->db, "C00", &center, &cx->err);
    if (rc == OW_ENOTFOUND) return OW_OK; /* no demo district */
    if (rc) return rc;
    int64_t existing = 0;
    if ((rc = ow_hall_store_default_group(cx->db, center.id, &existing, &cx->err))) return rc;
    if (existing) {
        printf("demo halls: already loaded\n");
        return OW_OK;
    }
    int n = 0;
    for (size_t i = 0; i < sizeof CENTER / sizeof *CENTER; i++, n++)
        if ((rc = seed_group(cx, "C00", &CENTER[i], (int)i + 1))) return rc;
    for (int t = 1; t <= 15; t++) {
        char code[8];
        snprintf(code, sizeof code, "T%02d", t);
        demo_group g = {"A",    "便民服务", "就近办：下放到乡镇（街道）的事项", 2, 15, true,
                        {code}, {NULL}};
        if ((rc = seed_group(cx, code, &g, 1))) return rc;
        n++;
    }
    printf("demo halls: %d window groups (the centre's %zu, one at each of 15 township centres)\n",
           n, sizeof CENTER / sizeof *CENTER);
    return OW_OK;
}
