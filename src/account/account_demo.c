/* account_demo.c — the demo district's organisations and one account per role
 * (`onewindow init --demo`, docs/architecture.md "What runs").  Loaded once: a database that
 * already has the center C00 is left as it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "store/account_store.h"

#define DEMO_PASSWORD "Demo@2026"

static int org_id_by_code(ow_ctx *cx, const char *code, int64_t *id) {
    return ow_account_store_org_id_by_code(cx->db, code, id, &cx->err);
}

/* Load code,parent,kind,name[,address,phone] rows; parents must come first. */
static int load_orgs(ow_ctx *cx, const char *path, int *count) {
    FILE *f = fopen(path, "r");
    if (!f) return ow_err_set(&cx->err, OW_EIO, "demo_dir", "无法读取演示数据 %s", path);
    char line[512];
    int lineno = 0, rc = OW_OK;
    while (fgets(line, sizeof line, f)) {
        if (++lineno == 1) continue; /* header */
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line) continue;
        char *fields[6] = {0};
        int n = 0;
        for (char *p = line; n < 6;) {
            fields[n++] = p;
            char *comma = strchr(p, ',');
            if (!comma) break;
            *comma = '\0';
            p = comma + 1;
        }
        if (n < 4) {
            rc = ow_err_set(&cx->err, OW_EINVAL, "demo_dir", "%s 第 %d 行字段不足", path, lineno);
            break;
        }
        ow_org_in in = {.code = fields[0],
                        .kind = fields[2],
                        .name = fields[3],
                        .address = n > 4 ? fields[4] : "",
                        .phone = n > 5 ? fields[5] : "",
                        .sort = lineno};
        if (*fields[1] && (rc = org_id_by_code(cx, fields[1], &in.parent_id))) break;
        int64_t id;
        if ((rc = ow_org_create(cx, &in, &id))) break;
        (*count)++;
    }
    fclose(f);
    return rc;
}

typedef struct demo_user {
    const char *username, *role, *org, *name, *mobile;
} demo_user;

static const demo_user staff[] = {
    {"demo-admin", "admin", "C00", "周建华", "13807371001"},
    {"demo-clerk", "clerk", "W01", "刘敏", "13807371002"},
    {"demo-township-clerk", "clerk", "T01", "王丽", "13807371003"},
    {"demo-agent", "agent", "A001", "李春生", "13807371004"},
    {"demo-approver", "approver", "D05", "陈志强", "13807371005"},
    {"demo-supervisor", "supervisor", "C00", "赵卫东", "13807371006"},
    {"demo-discloser", "discloser", "D35", "孙晓燕", "13807371007"},
    /* a second discloser of the office: the 保密审查 of what the first submits */
    {"demo-discloser2", "discloser", "D35", "唐志华", "13807371008"},
};

static int rename_user(ow_ctx *cx, int64_t id, const char *username) {
    return ow_account_store_user_rename(cx->db, id, username, &cx->err);
}

int ow_account_demo_seed(ow_ctx *cx, const char *demo_dir) {
    int64_t center;
    int rc = org_id_by_code(cx, "C00", &center);
    if (rc) return rc;
    if (center) {
        printf("demo accounts: already loaded\n");
        return OW_OK;
    }
    char path[600];
    int orgs = 0;
    snprintf(path, sizeof path, "%s/orgs.csv", demo_dir);
    if ((rc = load_orgs(cx, path, &orgs))) return rc;
    snprintf(path, sizeof path, "%s/agent_points.csv", demo_dir);
    if ((rc = load_orgs(cx, path, &orgs))) return rc;

    /* One argon2id hash serves every demo account: they share the password anyway. */
    char hash[128];
    if (ow_pw_hash(DEMO_PASSWORD, hash)) return ow_err_set(&cx->err, OW_ENOMEM, "", "密码处理失败");
    for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
        ow_staff_in in = {.username = staff[i].username,
                          .name = staff[i].name,
                          .role = staff[i].role,
                          .mobile = staff[i].mobile,
                          .password = DEMO_PASSWORD};
        char mobile[12];
        int64_t uid;
        if ((rc = org_id_by_code(cx, staff[i].org, &in.org_id))) return rc;
        if ((rc = ow_account_staff_check(cx, &in, mobile)) ||
            (rc = ow_account_staff_insert(cx, &in, mobile, hash, &uid)))
            return rc;
    }

    /* A citizen born 1990-03-15 in the district, and an enterprise registered there. */
    char id[19] = "43090319900315231";
    id[17] = ow_id_number_compute_check(id);
    id[18] = '\0';
    ow_register_in cit = {.kind = "citizen",
                          .id_number = id,
                          .name = "张伟",
                          .mobile = "13907372001",
                          .password = DEMO_PASSWORD};
    char org8[9] = "MA4L0001";
    char uscc[19];
    snprintf(uscc, sizeof uscc, "91430903%s%c", org8, ow_org_code_compute_check(org8));
    uscc[17] = ow_uscc_compute_check(uscc);
    uscc[18] = '\0';
    ow_register_in ent = {.kind = "enterprise",
                          .uscc = uscc,
                          .name = "益阳市赫山区示范农业科技有限公司",
                          .legal_representative = "黄志明",
                          .mobile = "13907372002",
                          .password = DEMO_PASSWORD};
    const ow_register_in *people[] = {&cit, &ent};
    const char *names[] = {"demo-citizen", "demo-enterprise"};
    for (int i = 0; i < 2; i++) {
        char norm[19], mobile[12];
        int64_t uid;
        if ((rc = ow_account_register_check(cx, people[i], norm, mobile)) ||
            (rc = ow_account_register_insert(cx, people[i], norm, mobile, hash, &uid)) ||
            (rc = rename_user(cx, uid, names[i])))
            return rc;
    }
    printf("demo district: %d organisations (center, 18 windows, 35 departments, 15 townships,"
           " 201 agent points)\n",
           orgs);
    printf("demo accounts (password %s): demo-admin, demo-clerk, demo-township-clerk, demo-agent,\n"
           "  demo-approver, demo-supervisor, demo-discloser, demo-discloser2,\n"
           "  demo-citizen (ID %s),\n"
           "  demo-enterprise (USCC %s)\n",
           DEMO_PASSWORD, id, uscc);
    return OW_OK;
}
