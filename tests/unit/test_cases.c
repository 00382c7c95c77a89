/* test_cases.c — src/cases: every (state, action) pair tried by every kind of actor
 * against a hand-written table of what the law allows, the 补正 pause and the
 * one-time-notice rule, deadlines across Spring Festival and National Day 2026
 * (hand-checked below), Art. 32 deemed acceptance, idempotent submit, transfer,
 * queues, public tracking, the calendar edit that recomputes open deadlines, and
 * the demo seeder.
 *
 * Hand-checked dates (data/calendar/2026.csv; W working day, H holiday, 调 adjusted
 * working weekend, S weekend):
 *   Spring Festival: Thu 2-12 W, Fri 2-13 W, Sat 2-14 调, 2-15…2-23 H, Tue 2-24 W …
 *     accepted Thu 2-12, 5 days: 2-13(1) 2-14(2) 2-24(3) 2-25(4) 2-26(5) → 2026-02-26.
 *   National Day: Sun 9-20 调, 9-25…9-27 H, Mon 9-28 W, Tue 9-29 W, Wed 9-30 W,
 *     10-01…10-07 H, Thu 10-08 W, Fri 10-09 W, Sat 10-10 调, Mon 10-12 W.
 *     accepted Tue 9-29, 5 days: 9-30(1) 10-08(2) 10-09(3) 10-10(4) 10-12(5) → 2026-10-12;
 *     20 days: … 10-13(6) 14 15 16 19(10) 20 21 22 23(14) 26 27 28 29 30(19) 11-02(20)
 *     → 2026-11-02.  Approved Tue 9-29, 10 delivery days: 9-30 10-08 10-09 10-10 10-12
 *     10-13 10-14 10-15 10-16 10-19 → 2026-10-19.
 *   Intake (Art. 32, 5 days) from Mon 9-14: 9-15(1) 9-16(2) 9-17(3) 9-18(4) 9-20 调(5)
 *     → 2026-09-20.  With 补正 paused 9-15…9-18 (resubmitted Fri 9-18): 9-20 调(1)
 *     9-21(2) 9-22(3) 9-23(4) 9-24(5) → 2026-09-24. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account/account.h"
#include "app/app.h"
#include "calendar/calendar.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "core/workdays.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/json.h"
#include "report/report.h"
#include "cases/cases_supervision.h"
#include "supervision/supervision.h"
#include "system/system.h"
#include "store/db.h"
#include "testdb.h"

typedef struct fx {
    char dir[64];
    ow_app app;
    ow_db *db;
    ow_arena *arena;
    ow_ctx cx;
    ow_clock clock;
    int64_t licensing, immediate; /* test items of 民政局 (D05) */
    int64_t two_dept;  /* 审查 by 司法局 (D06), 决定 by 民政局, 出件 at W17 */
    int64_t at_window; /* 即办: 受理 → 办结, both at the window */
    int64_t d06;
} fx;

static fx *F;

/* ---------------- fixture ---------------- */

static const char *ITEM_JSON =
    "{\"code\":\"0100599001\",\"name\":\"测试许可事项\",\"type\":\"licensing\","
    "\"department_code\":\"D05\",\"target\":\"both\",\"statutory_days\":20,\"committed_days\":5,"
    "\"modes\":[\"online\",\"nearby\"],\"levels\":[\"district\",\"township\",\"agent_point\"],"
    "\"online_depth\":\"apply\",\"basis\":\"《中华人民共和国行政许可法》\","
    "\"materials\":[{\"name\":\"申请书\",\"required\":\"yes\"},"
    "{\"name\":\"身份证明\",\"required\":\"yes\"},"
    "{\"name\":\"委托书\",\"required\":\"conditional\",\"condition\":\"委托办理的\"}],"
    "\"steps\":[{\"name\":\"受理\",\"role\":\"clerk\",\"days\":0},"
    "{\"name\":\"审批\",\"role\":\"approver\",\"days\":5}]}";

static const char *ITEM2_JSON =
    "{\"code\":\"2000599002\",\"name\":\"测试即办事项\",\"type\":\"public_service\","
    "\"department_code\":\"D05\",\"target\":\"person\",\"statutory_days\":0,\"committed_days\":0,"
    "\"modes\":[\"immediate\",\"online\"],\"levels\":[\"district\"],\"online_depth\":\"apply\","
    "\"basis\":\"《测试条例》\","
    "\"materials\":[{\"name\":\"申请表\",\"required\":\"yes\"}],"
    "\"steps\":[{\"name\":\"受理\",\"role\":\"clerk\",\"days\":0}]}";

static const char *ITEM3_JSON =
    "{\"code\":\"0100599003\",\"name\":\"测试两部门许可\",\"type\":\"licensing\","
    "\"department_code\":\"D05\",\"target\":\"both\",\"statutory_days\":20,\"committed_days\":8,"
    "\"modes\":[\"online\"],\"levels\":[\"district\"],\"online_depth\":\"apply\","
    "\"basis\":\"《测试条例》\","
    "\"materials\":[{\"name\":\"申请书\",\"required\":\"yes\"}],"
    "\"steps\":[{\"name\":\"受理\",\"role\":\"clerk\",\"org_code\":\"W01\",\"days\":0},"
    "{\"name\":\"司法审查\",\"role\":\"approver\",\"org_code\":\"D06\",\"days\":3},"
    "{\"name\":\"决定\",\"role\":\"approver\",\"days\":5},"
    "{\"name\":\"出件\",\"role\":\"clerk\",\"org_code\":\"W17\",\"days\":0}]}";

static const char *ITEM4_JSON =
    "{\"code\":\"2000599004\",\"name\":\"测试窗口即办\",\"type\":\"public_service\","
    "\"department_code\":\"D05\",\"target\":\"person\",\"statutory_days\":0,\"committed_days\":0,"
    "\"modes\":[\"immediate\",\"online\"],\"levels\":[\"district\"],\"online_depth\":\"apply\","
    "\"basis\":\"《测试条例》\","
    "\"materials\":[{\"name\":\"申请书\",\"required\":\"yes\"}],"
    "\"steps\":[{\"name\":\"受理\",\"role\":\"clerk\",\"org_code\":\"W01\",\"days\":0},"
    "{\"name\":\"办结\",\"role\":\"clerk\",\"org_code\":\"W01\",\"days\":0}]}";

static int64_t make_item(ow_ctx *cx, const char *json) {
    json_t *o = json_loads(json, 0, NULL);
    assert_non_null(o);
    ow_item it;
    int rc = ow_catalog_item_from_json(cx, o, &it);
    if (rc) fail_msg("item: %s (%s)", cx->err.message, cx->err.field);
    int64_t id;
    rc = ow_catalog_create(cx, &it, &id);
    if (rc) fail_msg("create: %s (%s)", cx->err.message, cx->err.field);
    assert_int_equal(ow_catalog_publish(cx, id, NULL), OW_OK);
    json_decref(o);
    return id;
}

static void as_system(fx *f) {
    ow_ctx_init_system(&f->cx, &f->app, f->db, f->arena);
    f->cx.clock = &f->clock;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static int64_t D(const char *s) {
    int32_t d;
    if (ow_date_parse(s, &d)) fail_msg("bad date %s", s);
    return d;
}

/* Time stands still at 10:00 Shanghai on date s. */
static void on(fx *f, const char *s) {
    f->clock.fixed_ms = (D(s) * 86400 + 2 * 3600) * 1000;
}

/* The seeder fills the year up to "today": a fixed Friday afternoon, so that what it
 * makes (and the deadlines the tests below move with holidays on 2026-11-18 and
 * 2026-12-02) is the same whatever day the suite runs. */
static void seed_today(fx *f) {
    f->clock.fixed_ms = (D("2026-11-27") * 86400 + 8 * 3600) * 1000; /* 16:00 Shanghai */
}

static int group_setup(void **state) {
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-test-cases.XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    ow_config cfg;
    ow_config_defaults(&cfg);
    ow_err e = {0};
    if (ow_config_set(&cfg, "data_dir", f->dir, &e) ||
        ow_config_set(&cfg, "calendar_dir", OW_SOURCE_DIR "/data/calendar", &e) ||
        ow_config_set(&cfg, "demo_dir", OW_SOURCE_DIR "/data/demo", &e))
        return -1;
    ow_crypto_init();
    if (ow_test_database(&cfg)) return -1;
    ow_app_init(&f->app, &cfg);
    if (ow_app_load_keys(&f->app, true, &e)) return -1;
    if (ow_db_open(f->app.db_path, OW_DB_WRITE, &f->db, &e)) return -1;
    /* durability is the store's tests' business; here it only costs minutes of fsync */
    ow_db_exec(f->db,
               ow_db_backend(f->db) == OW_DB_SQLITE ? "PRAGMA synchronous=OFF"
                                                    : "SET synchronous_commit = off",
               NULL);
    int applied;
    if (ow_db_migrate(f->db, &applied, &e)) return -1;
    if (ow_calendar_load(&f->app, f->db, &e)) return -1;
    f->arena = ow_arena_new(1 << 16);
    on(f, "2026-09-14");
    as_system(f);
    if (ow_system_init_instance(&f->cx) || ow_account_demo_seed(&f->cx, f->app.cfg.demo_dir)) {
        fprintf(stderr, "seed: %s\n", f->cx.err.message);
        return -1;
    }
    f->licensing = make_item(&f->cx, ITEM_JSON);
    f->immediate = make_item(&f->cx, ITEM2_JSON);
    f->two_dept = make_item(&f->cx, ITEM3_JSON);
    f->at_window = make_item(&f->cx, ITEM4_JSON);
    /* a second citizen and an approver of another department */
    ow_register_in other = {
        .kind = "citizen", .name = "李四", .mobile = "13907379999", .password = "Demo@2026x"};
    char id[19] = "43090319880808123";
    id[17] = ow_id_number_compute_check(id);
    id[18] = '\0';
    other.id_number = id;
    char norm[19], mob[12];
    int64_t uid;
    if (ow_account_register_check(&f->cx, &other, norm, mob) ||
        ow_account_register_insert(&f->cx, &other, norm, mob, "x", &uid))
        return -1;
    json_t *depts;
    if (ow_org_list_json(&f->cx, "department", 0, false, &depts)) return -1;
    for (size_t i = 0; i < json_array_size(depts); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(depts, i), "code")), "D06"))
            f->d06 = json_integer_value(json_object_get(json_array_get(depts, i), "id"));
    json_decref(depts);
    ow_staff_in st = {.username = "approver-d06",
                      .name = "吴审批",
                      .role = "approver",
                      .password = "Demo@2026x",
                      .org_id = f->d06};
    if (ow_account_staff_check(&f->cx, &st, mob) ||
        ow_account_staff_insert(&f->cx, &st, mob, "x", &uid))
        return -1;
    F = f;
    *state = f;
    return 0;
}

static int group_teardown(void **state) {
    fx *f = *state;
    if (!f) return 0;
    ow_arena_free(f->arena);
    ow_db_close(f->db);
    ow_app_close(&f->app);
    nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ---------------- helpers ---------------- */

/* Act as the account with this sign-in name. */
static void as(fx *f, const char *login) {
    as_system(f);
    ow_login_target t;
    assert_int_equal(ow_account_find_login(&f->cx, login, &t), OW_OK);
    assert_true(t.user_id > 0);
    json_t *u;
    assert_int_equal(ow_account_user_json(&f->cx, t.user_id, &u), OW_OK);
    ow_actor *a = &f->cx.actor;
    memset(a, 0, sizeof *a);
    a->user_id = t.user_id;
    snprintf(a->role, sizeof a->role, "%s", json_string_value(json_object_get(u, "role")));
    snprintf(a->kind, sizeof a->kind, "%s", json_string_value(json_object_get(u, "kind")));
    snprintf(a->name, sizeof a->name, "%s", json_string_value(json_object_get(u, "name")));
    snprintf(a->username, sizeof a->username, "%s", login);
    json_t *org = json_object_get(u, "org");
    a->org_id = json_is_object(org) ? json_integer_value(json_object_get(org, "id")) : 0;
    json_decref(u);
}

static const char *ALL_MATERIALS[] = {"申请书", "身份证明"};

static int64_t submit_online(fx *f, int64_t item, int nmaterials) {
    as(f, "demo-citizen");
    ow_case_apply_in in = {.item_id = item, .materials = ALL_MATERIALS, .nmaterials = nmaterials};
    int64_t id;
    bool created;
    int rc = ow_cases_submit(&f->cx, &in, &id, &created);
    if (rc) fail_msg("submit: %s (%s)", f->cx.err.message, f->cx.err.field);
    assert_true(created);
    return id;
}

/* Try action on case id as the current actor, filling what the action needs; a failed
 * attempt rolls back like a writer job. */
static int act(fx *f, int64_t id, const char *action) {
    static const ow_case_defect defects[] = {{"申请书", "未签字"}};
    ow_case_action_in in = {.action = action};
    if (!strcmp(action, "refuse") || !strcmp(action, "deny") || !strcmp(action, "suspend") ||
        !strcmp(action, "transfer") || !strcmp(action, "withdraw") || !strcmp(action, "extend"))
        in.reason = "测试理由";
    if (!strcmp(action, "supplement")) in.defects = defects, in.ndefects = 1;
    if (!strcmp(action, "resubmit")) in.materials = ALL_MATERIALS, in.nmaterials = 2;
    if (!strcmp(action, "transfer")) in.dept_id = F->d06;
    if (!strcmp(action, "deliver")) in.delivery = "window";
    ow_err e = {0};
    if (ow_db_savepoint(f->db, &e)) fail_msg("savepoint: %s (%s)", e.message, e.kind);
    ow_err_clear(&f->cx.err);
    int rc = ow_cases_transition(&f->cx, id, &in);
    if (rc)
        ow_db_rollback_to(f->db);
    else
        assert_int_equal(ow_db_release(f->db, &e), OW_OK);
    return rc;
}

static void must(fx *f, int64_t id, const char *action) {
    int rc = act(f, id, action);
    if (rc) fail_msg("%s: %s", action, f->cx.err.message);
}

static json_t *get(fx *f, int64_t id) {
    as_system(f);
    json_t *o;
    int rc = ow_cases_get_json(&f->cx, id, &o);
    if (rc) fail_msg("get: %s", f->cx.err.message);
    return o;
}

static void assert_str(json_t *o, const char *path1, const char *path2, const char *want) {
    json_t *v = json_object_get(o, path1);
    if (path2) v = json_object_get(v, path2);
    const char *s = json_string_value(v);
    if (!s || strcmp(s, want))
        fail_msg("%s.%s = %s, want %s", path1, path2 ? path2 : "", s ? s : "(null)", want);
}

/* A case of the licensing item driven by the system into state. */
static int64_t case_in(fx *f, const char *state) {
    int64_t id = submit_online(f, f->licensing, 2);
    as_system(f);
    if (!strcmp(state, "submitted")) return id;
    if (!strcmp(state, "supplement")) return must(f, id, "supplement"), id;
    if (!strcmp(state, "refused")) return must(f, id, "refuse"), id;
    if (!strcmp(state, "withdrawn")) return must(f, id, "withdraw"), id;
    must(f, id, "accept");
    if (!strcmp(state, "review")) return id;
    if (!strcmp(state, "suspended")) return must(f, id, "suspend"), id;
    if (!strcmp(state, "denied")) return must(f, id, "deny"), id;
    must(f, id, "approve");
    if (!strcmp(state, "approved")) return id;
    must(f, id, "deliver");
    return id;
}

/* ---------------- the transition matrix ---------------- */

static const char *STATES[] = {"submitted", "supplement", "review",    "suspended", "approved",
                               "denied",    "refused",    "concluded", "withdrawn"};
static const char *ACTIONS[] = {"accept",  "supplement", "resubmit", "refuse", "approve",
                                "deny",    "suspend",    "resume",   "extend", "transfer",
                                "deliver", "withdraw",   "forward"};

typedef struct who {
    const char *key, *login;
    bool sees; /* may see an online case of 民政局 filed at the center */
} who;

static const who ACTORS[] = {
    {"owner", "demo-citizen", true},
    {"other", "430903198808081232", false},
    {"clerk", "demo-clerk", true},
    {"town", "demo-township-clerk", false},
    {"agent", "demo-agent", false},
    {"approver", "demo-approver", true},
    {"approver_other", "approver-d06", false},
    {"supervisor", "demo-supervisor", true},
};

/* What the law allows, written out by hand (not derived from cases.c's table). */
static const struct {
    const char *state, *action, *who;
} ALLOWED[] = {
    {"submitted", "accept", "clerk"},    {"submitted", "supplement", "clerk"},
    {"submitted", "refuse", "clerk"},    {"submitted", "transfer", "clerk"},
    {"submitted", "withdraw", "owner"},  {"submitted", "withdraw", "clerk"},
    {"supplement", "resubmit", "owner"}, {"supplement", "resubmit", "clerk"},
    {"supplement", "withdraw", "owner"}, {"supplement", "withdraw", "clerk"},
    {"review", "approve", "approver"},   {"review", "deny", "approver"},
    {"review", "suspend", "approver"},   {"review", "extend", "approver"},
    {"review", "transfer", "approver"},  {"review", "withdraw", "owner"},
    {"review", "withdraw", "clerk"},     {"suspended", "resume", "approver"},
    {"suspended", "withdraw", "owner"},  {"suspended", "withdraw", "clerk"},
    {"approved", "deliver", "clerk"},
};

/* Legal in the state, but not at this point of the licensing item's two steps (受理 by
 * the window, 审批 by 民政局): nothing to forward to after its only department step,
 * and no window decision for an item that has one. */
static const struct {
    const char *state, *action;
} WRONG_STEP[] = {{"review", "forward"}, {"submitted", "approve"}, {"submitted", "deny"}};

static bool wrong_step(const char *state, const char *action) {
    for (size_t i = 0; i < sizeof WRONG_STEP / sizeof WRONG_STEP[0]; i++)
        if (!strcmp(WRONG_STEP[i].state, state) && !strcmp(WRONG_STEP[i].action, action))
            return true;
    return false;
}

static bool pair_exists(const char *state, const char *action) {
    for (size_t i = 0; i < sizeof ALLOWED / sizeof ALLOWED[0]; i++)
        if (!strcmp(ALLOWED[i].state, state) && !strcmp(ALLOWED[i].action, action)) return true;
    return false;
}

static bool allowed(const char *state, const char *action, const char *who) {
    for (size_t i = 0; i < sizeof ALLOWED / sizeof ALLOWED[0]; i++)
        if (!strcmp(ALLOWED[i].state, state) && !strcmp(ALLOWED[i].action, action) &&
            !strcmp(ALLOWED[i].who, who))
            return true;
    return false;
}

static void every_transition_by_every_role(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int tried = 0, ok = 0;
    for (size_t s = 0; s < sizeof STATES / sizeof STATES[0]; s++) {
        int64_t shared = case_in(f, STATES[s]);
        for (size_t a = 0; a < sizeof ACTIONS / sizeof ACTIONS[0]; a++) {
            for (size_t w = 0; w < sizeof ACTORS / sizeof ACTORS[0]; w++) {
                const who *wh = &ACTORS[w];
                bool yes = allowed(STATES[s], ACTIONS[a], wh->key);
                int want = !wh->sees                             ? OW_ENOTFOUND
                           : wrong_step(STATES[s], ACTIONS[a])   ? OW_ECONFLICT
                           : !pair_exists(STATES[s], ACTIONS[a]) ? OW_ECONFLICT
                           : yes                                 ? OW_OK
                                                                 : OW_EFORBIDDEN;
                int64_t id = yes ? case_in(f, STATES[s]) : shared;
                as(f, wh->login);
                int rc = act(f, id, ACTIONS[a]);
                if (rc != want)
                    fail_msg("%s --%s--> by %s: rc %d, want %d (%s)", STATES[s], ACTIONS[a],
                             wh->key, rc, want, f->cx.err.message);
                if (rc == OW_ECONFLICT)
                    assert_string_equal(f->cx.err.kind, wrong_step(STATES[s], ACTIONS[a])
                                                            ? "wrong_step"
                                                            : "invalid_transition");
                tried++;
                ok += rc == OW_OK;
            }
        }
        /* the failed attempts left the shared case as it was */
        json_t *o = get(f, shared);
        assert_str(o, "state", NULL, STATES[s]);
        json_decref(o);
    }
    assert_int_equal(tried, 9 * 13 * 8);
    assert_int_equal(ok, (int)(sizeof ALLOWED / sizeof ALLOWED[0]));
}

static void each_transition_writes_history_and_audit(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t id = case_in(f, "concluded");
    json_t *o = get(f, id);
    json_t *tl = json_object_get(o, "timeline");
    assert_int_equal(json_array_size(tl), 4);
    const char *want[] = {"submit", "accept", "approve", "deliver"};
    for (int i = 0; i < 4; i++)
        assert_str(json_array_get(tl, (size_t)i), "action", NULL, want[i]);
    json_decref(o);
    ow_stmt *st;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    assert_int_equal(((st = ow_db_prepare(f->db,
                                          "SELECT action FROM audit WHERE object_type = 'case'"
                                          " AND object_id = ? ORDER BY seq",
                                          NULL))
                          ? 0
                          : 1),
                     0);
    ow_bind_text_ref(st, 1, ids);
    char actions[200] = "";
    while (ow_step(st) == OW_ROW)
        snprintf(actions + strlen(actions), sizeof actions - strlen(actions), "%s%s",
                 actions[0] ? "," : "", ow_col_text(st, 0));
    assert_string_equal(actions, "case.submit,case.accept,case.approve,case.deliver");
    ow_stmt_free(st);
}

/* ---------------- steps ---------------- */

static const char *ONE_MATERIAL[] = {"申请书"};

static int64_t submit_item(fx *f, int64_t item) {
    as(f, "demo-citizen");
    ow_case_apply_in in = {.item_id = item, .materials = ONE_MATERIAL, .nmaterials = 1};
    int64_t id;
    bool created;
    int rc = ow_cases_submit(&f->cx, &in, &id, &created);
    if (rc) fail_msg("submit: %s (%s)", f->cx.err.message, f->cx.err.field);
    return id;
}

static const char *step_status(json_t *o, int seq) {
    json_t *s = json_array_get(json_object_get(o, "steps"), (size_t)seq - 1);
    return json_string_value(json_object_get(s, "status"));
}

static int64_t dept_of(json_t *o) {
    return json_integer_value(json_object_get(json_object_get(o, "department"), "id"));
}

static void steps_move_the_case_from_department_to_department(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t id = submit_item(f, f->two_dept);
    json_t *o = get(f, id);
    int64_t d05 = dept_of(o);
    assert_str(o, "current_step", NULL, "受理");
    assert_string_equal(step_status(o, 1), "current");
    assert_string_equal(step_status(o, 2), "todo");
    assert_str(json_array_get(json_object_get(o, "steps"), 1), "org", "name", "赫山区司法局");
    assert_str(json_array_get(json_object_get(o, "steps"), 2), "org", "name", "赫山区民政局");
    json_decref(o);

    as(f, "demo-clerk");
    must(f, id, "accept");
    o = get(f, id);
    assert_str(o, "current_step", NULL, "司法审查");
    assert_int_equal(dept_of(o), F->d06); /* in 司法局's review queue now */
    assert_string_equal(step_status(o, 1), "done");
    assert_string_equal(step_status(o, 2), "current");
    json_decref(o);
    /* out of turn: 民政局 decides only after 司法局's review; nobody decides at 审查 */
    as(f, "demo-approver");
    assert_int_equal(act(f, id, "forward"), OW_ENOTFOUND); /* not in their queue */
    as(f, "demo-clerk");
    assert_int_equal(act(f, id, "forward"), OW_EFORBIDDEN);
    assert_non_null(strstr(f->cx.err.message, "司法审查"));
    as(f, "approver-d06");
    assert_int_equal(act(f, id, "approve"), OW_ECONFLICT);
    assert_string_equal(f->cx.err.kind, "wrong_step");
    must(f, id, "forward");
    o = get(f, id);
    assert_str(o, "current_step", NULL, "决定");
    assert_int_equal(dept_of(o), d05);
    assert_str(o, "state", NULL, "review");
    json_decref(o);
    /* 司法局 has passed it on and can no longer act on it */
    as(f, "approver-d06");
    assert_int_equal(act(f, id, "approve"), OW_EFORBIDDEN);
    as(f, "demo-approver");
    assert_int_equal(act(f, id, "forward"), OW_ECONFLICT); /* the decision is the last step */
    assert_string_equal(f->cx.err.kind, "wrong_step");
    must(f, id, "approve");
    o = get(f, id);
    assert_str(o, "state", NULL, "approved");
    assert_str(o, "current_step", NULL, "出件");
    assert_string_equal(step_status(o, 3), "done");
    assert_string_equal(step_status(o, 4), "current");
    json_decref(o);
    as(f, "demo-clerk");
    must(f, id, "deliver");
    o = get(f, id);
    assert_str(o, "state", NULL, "concluded");
    for (int k = 1; k <= 4; k++)
        assert_string_equal(step_status(o, k), "done");
    /* the history names the step each action was taken at */
    json_t *tl = json_object_get(o, "timeline");
    const char *want[][3] = {{"accept", "受理", "司法审查"},
                             {"forward", "司法审查", "决定"},
                             {"approve", "决定", "出件"},
                             {"deliver", "出件", NULL}};
    assert_int_equal(json_array_size(tl), 5);
    for (int k = 0; k < 4; k++) {
        json_t *e = json_array_get(tl, (size_t)k + 1), *d = json_object_get(e, "detail");
        assert_str(e, "action", NULL, want[k][0]);
        assert_str(d, "step", "name", want[k][1]);
        if (want[k][2])
            assert_str(d, "next_step", "name", want[k][2]);
        else
            assert_null(json_object_get(d, "next_step"));
    }
    assert_str(json_array_get(tl, 2), "actor", "org", "赫山区司法局");
    json_decref(o);
}

static void transfer_hands_the_remaining_steps_to_the_new_department(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t id = submit_item(f, f->two_dept);
    as(f, "demo-clerk");
    must(f, id, "accept");
    as(f, "approver-d06");
    must(f, id, "forward");
    /* 民政局 transfers its decision to 司法局: the case comes back to approver-d06 */
    as(f, "demo-approver");
    must(f, id, "transfer");
    json_t *o = get(f, id);
    assert_int_equal(dept_of(o), F->d06);
    assert_str(o, "current_step", NULL, "决定");
    assert_str(json_array_get(json_object_get(o, "steps"), 2), "org", "name", "赫山区司法局");
    json_decref(o);
    as(f, "demo-approver");
    assert_int_equal(act(f, id, "approve"), OW_EFORBIDDEN);
    as(f, "approver-d06");
    must(f, id, "approve");
}

static void immediate_item_is_decided_at_the_window(void **state) {
    fx *f = *state;
    on(f, "2026-09-15");
    int64_t id = submit_item(f, f->at_window);
    json_t *o = get(f, id);
    /* the clerk's actions at intake include the decision */
    json_t *acts = json_object_get(o, "actions");
    bool approve = false;
    for (size_t i = 0; i < json_array_size(acts); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(acts, i), "action")),
                    "approve"))
            approve = true;
    assert_true(approve); /* the system sees every action */
    json_decref(o);
    as(f, "demo-approver");
    assert_int_equal(act(f, id, "approve"), OW_EFORBIDDEN); /* the window decides, not 民政局 */
    as(f, "demo-clerk");
    must(f, id, "approve");
    o = get(f, id);
    assert_str(o, "state", NULL, "approved");
    assert_str(o, "accepted_date", NULL, "2026-09-15");
    assert_str(o, "decided_date", NULL, "2026-09-15");
    assert_str(o, "current_step", NULL, "办结");
    assert_string_equal(step_status(o, 1), "done");
    assert_string_equal(step_status(o, 2), "done");
    json_t *e = json_array_get(json_object_get(o, "timeline"), 1);
    assert_str(e, "action", NULL, "approve");
    assert_str(json_object_get(e, "detail"), "step", "name", "办结");
    json_decref(o);
    must(f, id, "deliver");
    /* an item with a department step is not decided at the window */
    int64_t lic = submit_online(f, f->licensing, 2);
    as(f, "demo-clerk");
    assert_int_equal(act(f, lic, "approve"), OW_ECONFLICT);
    assert_string_equal(f->cx.err.kind, "wrong_step");
    /* and a window denial needs its reason */
    int64_t id2 = submit_item(f, f->at_window);
    as(f, "demo-clerk");
    ow_case_action_in in = {.action = "deny"};
    assert_int_equal(ow_cases_transition(&f->cx, id2, &in), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "reason");
    must(f, id2, "deny");
    o = get(f, id2);
    assert_str(o, "state", NULL, "denied");
    assert_string_equal(step_status(o, 1), "done"); /* taken in, then decided */
    assert_string_equal(step_status(o, 2), "done");
    json_decref(o);
    /* withdrawn at the department step: intake done, the rest never happened */
    int64_t id3 = submit_item(f, f->two_dept);
    as(f, "demo-clerk");
    must(f, id3, "accept");
    as(f, "demo-citizen");
    must(f, id3, "withdraw");
    o = get(f, id3);
    assert_string_equal(step_status(o, 1), "done");
    assert_string_equal(step_status(o, 2), "skipped");
    assert_string_equal(step_status(o, 4), "skipped");
    json_decref(o);
}

/* ---------------- applying ---------------- */

static void submit_issues_readable_number_and_encrypts_the_id(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t a = submit_online(f, f->licensing, 2), b = submit_online(f, f->licensing, 2);
    json_t *oa = get(f, a), *ob = get(f, b);
    const char *na = json_string_value(json_object_get(oa, "case_no"));
    const char *nb = json_string_value(json_object_get(ob, "case_no"));
    assert_int_equal(strncmp(na, "430903-20260914-", 16), 0);
    assert_int_equal(atoi(nb + 16), atoi(na + 16) + 1);
    assert_str(oa, "applicant", "id_number", "430903********2317");
    assert_str(oa, "channel", NULL, "online");
    assert_str(oa, "deadline", "due", "2026-09-20"); /* Art. 32 intake, 调 Sunday counts */
    json_decref(oa);
    json_decref(ob);
    /* nothing in the row reads as the number */
    ow_stmt *st;
    assert_int_equal(
        ((st = ow_db_prepare(f->db,
                             "SELECT count(*) FROM cases WHERE id_number_enc LIKE"
                             " '%430903199003152317%' OR id_masked = '430903199003152317'",
                             NULL))
             ? 0
             : 1),
        0);
    assert_int_equal(ow_step(st), OW_ROW);
    assert_int_equal(ow_col_int(st, 0), 0);
    ow_stmt_free(st);
}

static void submit_is_idempotent_per_key(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    as(f, "demo-citizen");
    ow_case_apply_in in = {.item_id = f->licensing,
                           .materials = ALL_MATERIALS,
                           .nmaterials = 2,
                           .idem_key = "double-click-1"};
    int64_t id1, id2;
    bool c1, c2;
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id1, &c1), OW_OK);
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id2, &c2), OW_OK);
    assert_true(c1);
    assert_false(c2);
    assert_int_equal(id1, id2);
    in.item_id = f->immediate;
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id2, &c2), OW_ECONFLICT);
    assert_string_equal(f->cx.err.field, "idempotency_key");
    /* another filer may use the same key for their own submission */
    as(f, "430903198808081232");
    in.item_id = f->licensing;
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id2, &c2), OW_OK);
    assert_true(c2);
    assert_true(id2 != id1);
}

static void desk_filing_checks_the_applicant_and_the_office(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t id;
    bool created;
    ow_case_apply_in in = {.item_id = f->licensing,
                           .name = "赵六",
                           .mobile = "13812345678",
                           .id_number = "430903198001011234",
                           .materials = ALL_MATERIALS,
                           .nmaterials = 2};
    as(f, "demo-clerk");
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "id_number");
    char good[19] = "43090319800101123";
    good[17] = ow_id_number_compute_check(good);
    good[18] = '\0';
    in.id_number = good;
    in.mobile = NULL;
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "mobile");
    in.mobile = "13812345678";
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_OK);
    json_t *o = get(f, id);
    assert_str(o, "channel", NULL, "window");
    assert_str(o, "intake_org", "name", "综合受理一号窗口");
    json_decref(o);
    /* the township center and the agent point file too, each in its own channel */
    as(f, "demo-township-clerk");
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_OK);
    o = get(f, id);
    assert_str(o, "channel", NULL, "township");
    json_decref(o);
    as(f, "demo-agent");
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_OK);
    o = get(f, id);
    assert_str(o, "channel", NULL, "agent");
    json_decref(o);
    /* the township clerk accepts what the agent point filed; the center's clerk cannot */
    as(f, "demo-clerk");
    assert_int_equal(act(f, id, "accept"), OW_ENOTFOUND);
    as(f, "demo-township-clerk");
    assert_int_equal(act(f, id, "accept"), OW_OK);
    /* an item not delegated to townships cannot be filed there */
    in.item_id = f->immediate;
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "item_id");
    /* back-office staff do not file */
    as(f, "demo-approver");
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_EFORBIDDEN);
    as(f, "demo-supervisor");
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_EFORBIDDEN);
}

/* docs/service-rules.md: an early pilot USCC that fails its check characters may be accepted
 * by a clerk with a recorded override, never silently. */
static void pilot_uscc_needs_a_clerks_recorded_override(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    const char *pilot = "91430903MA4L000119"; /* 91430903MA4L000118 with a wrong 18th */
    ow_case_apply_in in = {.item_id = f->licensing,
                           .name = "赫山区试点商行",
                           .mobile = "13812345679",
                           .uscc = pilot,
                           .materials = ALL_MATERIALS,
                           .nmaterials = 2};
    int64_t id;
    bool created;
    as(f, "demo-clerk");
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "uscc");
    assert_string_equal(f->cx.err.kind, "check_digit"); /* the UI offers the override */
    /* an agent point may not accept it */
    in.uscc_override_reason = "试点期间赋码，已核验营业执照原件";
    as(f, "demo-agent");
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_EFORBIDDEN);
    /* a malformed code is no pilot code: only the check characters may be overridden */
    as(f, "demo-clerk");
    in.uscc = "91430903MA4I000119";
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "uscc");
    /* nor is an override recorded for a code that passes */
    in.uscc = "91430903MA4L000118";
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "uscc_override_reason");
    in.uscc = pilot;
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_OK);
    json_t *o = get(f, id);
    assert_str(o, "applicant", "id_number", pilot);
    json_t *ov = json_object_get(json_object_get(o, "applicant"), "uscc_override");
    assert_str(ov, "reason", NULL, "试点期间赋码，已核验营业执照原件");
    assert_str(ov, "by_name", NULL, "刘敏");
    json_decref(o);
    ow_stmt *st;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    assert_int_equal(((st = ow_db_prepare(f->db,
                                          "SELECT detail FROM audit WHERE"
                                          " action = 'case.uscc_override' AND object_id = ?",
                                          NULL))
                          ? 0
                          : 1),
                     0);
    ow_bind_text_ref(st, 1, ids);
    assert_int_equal(ow_step(st), OW_ROW);
    json_t *detail = json_loads(ow_col_text(st, 0), 0, NULL);
    assert_non_null(detail);
    assert_string_equal(json_string_value(json_object_get(detail, "reason")),
                        "试点期间赋码，已核验营业执照原件");
    assert_string_equal(json_string_value(json_object_get(detail, "uscc")), pilot);
    json_decref(detail);
    ow_stmt_free(st);
    /* an ordinary case carries none */
    o = get(f, submit_online(f, f->licensing, 2));
    assert_true(json_is_null(json_object_get(json_object_get(o, "applicant"), "uscc_override")));
    json_decref(o);
}

static void profile_prefills_from_the_last_case_and_is_audited(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    char idn[19] = "43090319700707456";
    idn[17] = ow_id_number_compute_check(idn);
    idn[18] = '\0';
    ow_case_apply_in in = {.item_id = f->licensing,
                           .name = "钱七",
                           .mobile = "13712345678",
                           .id_number = idn,
                           .address = "赫山区兰溪镇"};
    int64_t id;
    bool created;
    as(f, "demo-clerk");
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_OK);
    json_t *p;
    assert_int_equal(ow_cases_profile_json(&f->cx, idn, NULL, &p), OW_OK);
    assert_true(json_is_true(json_object_get(p, "found")));
    assert_str(p, "name", NULL, "钱七");
    assert_str(p, "mobile", NULL, "13712345678");
    assert_str(p, "address", NULL, "赫山区兰溪镇");
    json_decref(p);
    as(f, "demo-citizen");
    assert_int_equal(ow_cases_profile_json(&f->cx, idn, NULL, &p), OW_EFORBIDDEN);
}

/* ---------------- 补正 ---------------- */

static void supplement_pauses_the_intake_clock_until_resubmitted(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t id = submit_online(f, f->licensing, 1); /* 身份证明 missing */
    as(f, "demo-clerk");
    assert_int_equal(act(f, id, "accept"), OW_ECONFLICT);
    assert_string_equal(f->cx.err.kind, "materials_incomplete");
    on(f, "2026-09-15");
    must(f, id, "supplement");
    json_t *o = get(f, id);
    assert_str(o, "deadline", "status", "paused");
    assert_true(json_is_null(json_object_get(json_object_get(o, "deadline"), "due")));
    json_decref(o);
    on(f, "2026-09-18");
    as(f, "demo-citizen");
    must(f, id, "resubmit");
    o = get(f, id);
    assert_str(o, "state", NULL, "submitted");
    assert_str(o, "deadline", "due", "2026-09-24");
    json_decref(o);
}

static void second_supplement_may_not_name_new_materials(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t id = submit_online(f, f->licensing, 2);
    as(f, "demo-clerk");
    static const ow_case_defect first[] = {{"申请书", "未签字"}};
    ow_case_action_in in = {.action = "supplement", .defects = first, .ndefects = 1};
    assert_int_equal(ow_cases_transition(&f->cx, id, &in), OW_OK);
    as(f, "demo-citizen");
    must(f, id, "resubmit");
    as(f, "demo-clerk");
    static const ow_case_defect second[] = {{"申请书", "签字不清"}, {"身份证明", "过期"}};
    in.defects = second;
    in.ndefects = 2;
    assert_int_equal(ow_cases_transition(&f->cx, id, &in), OW_ECONFLICT);
    assert_string_equal(f->cx.err.kind, "supplement_not_one_time");
    assert_non_null(strstr(f->cx.err.message, "身份证明"));
    in.ndefects = 1; /* the same material again is allowed */
    assert_int_equal(ow_cases_transition(&f->cx, id, &in), OW_OK);
    /* a material not in the guide is never a valid notice */
    static const ow_case_defect bogus[] = {{"户口本", "缺"}};
    int64_t other = submit_online(f, f->licensing, 2);
    as(f, "demo-clerk");
    in.defects = bogus;
    assert_int_equal(ow_cases_transition(&f->cx, other, &in), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "materials");
}

static void late_notice_is_refused_and_acceptance_dates_from_receipt(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t id = submit_online(f, f->licensing, 2);
    on(f, "2026-09-21"); /* intake period ended 9-20 */
    as(f, "demo-clerk");
    assert_int_equal(act(f, id, "supplement"), OW_ECONFLICT);
    assert_string_equal(f->cx.err.kind, "supplement_too_late");
    must(f, id, "accept");
    json_t *o = get(f, id);
    assert_true(json_is_true(json_object_get(o, "deemed_accepted")));
    /* the clock started at receipt, Mon 9-14: 9-15 16 17 18 20调 → due Sun 9-20 */
    assert_str(o, "deadline", "clock_start", "2026-09-14");
    assert_str(o, "deadline", "due_committed", "2026-09-20");
    assert_str(o, "deadline", "status", "overdue");
    json_decref(o);
}

/* ---------------- deadlines ---------------- */

static void deadlines_across_national_day(void **state) {
    fx *f = *state;
    on(f, "2026-09-28");
    int64_t id = submit_online(f, f->licensing, 2);
    on(f, "2026-09-29");
    as(f, "demo-clerk");
    must(f, id, "accept");
    json_t *o = get(f, id);
    assert_str(o, "deadline", "due_committed", "2026-10-12");
    assert_str(o, "deadline", "due_statutory", "2026-11-02");
    assert_str(o, "deadline", "status", "on_time");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(o, "deadline"), "days_left")), 5);
    json_decref(o);
    on(f, "2026-10-09"); /* 9-30, 10-08, 10-09 used: 2 left (10-10 调, 10-12) */
    o = get(f, id);
    json_t *dl = json_object_get(o, "deadline");
    assert_int_equal(json_integer_value(json_object_get(dl, "days_used")), 3);
    assert_int_equal(json_integer_value(json_object_get(dl, "days_left")), 2);
    assert_str(o, "deadline", "status", "due_soon");
    json_decref(o);
    on(f, "2026-10-13");
    o = get(f, id);
    assert_str(o, "deadline", "status", "overdue");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(o, "deadline"), "days_left")), -1);
    json_decref(o);
    /* decided on 9-29 instead: 10 delivery days → 10-19 */
    int64_t b = submit_online(f, f->licensing, 2);
    on(f, "2026-09-29");
    as(f, "demo-clerk");
    must(f, b, "accept");
    as(f, "demo-approver");
    must(f, b, "approve");
    o = get(f, b);
    assert_str(o, "deadline", "phase", "delivery");
    assert_str(o, "deadline", "due", "2026-10-19");
    json_decref(o);
}

/* Art. 42: extended once by 10 working days: 11-02 → 11-03 04 05 06 09 10 11 12 13 16. */
static void extension_adds_ten_statutory_days_once(void **state) {
    fx *f = *state;
    on(f, "2026-09-29");
    int64_t id = submit_online(f, f->licensing, 2);
    as(f, "demo-clerk");
    must(f, id, "accept");
    as(f, "demo-approver");
    must(f, id, "extend");
    json_t *o = get(f, id);
    assert_str(o, "deadline", "due_statutory", "2026-11-16");
    assert_str(o, "deadline", "due_committed", "2026-10-12"); /* the promise stays */
    json_decref(o);
    as(f, "demo-approver");
    assert_int_equal(act(f, id, "extend"), OW_ECONFLICT);
    assert_string_equal(f->cx.err.kind, "already_extended");
}

static void deadlines_across_spring_festival(void **state) {
    fx *f = *state;
    on(f, "2026-02-12");
    int64_t id = submit_online(f, f->licensing, 2);
    as(f, "demo-clerk");
    must(f, id, "accept");
    json_t *o = get(f, id);
    assert_str(o, "deadline", "due_committed", "2026-02-26");
    json_decref(o);
}

static void suspension_moves_the_due_date(void **state) {
    fx *f = *state;
    on(f, "2026-09-29");
    int64_t id = submit_online(f, f->licensing, 2);
    as(f, "demo-clerk");
    must(f, id, "accept");
    on(f, "2026-09-30");
    as(f, "demo-approver");
    must(f, id, "suspend");
    json_t *o = get(f, id);
    assert_str(o, "deadline", "status", "paused");
    json_decref(o);
    on(f, "2026-10-09");
    must(f, id, "resume");
    /* paused 9-30…10-09 (9-30 10-08 10-09 not counted): 10-10调(1) 10-12(2) 10-13(3)
     * 10-14(4) 10-15(5) */
    o = get(f, id);
    assert_str(o, "deadline", "due_committed", "2026-10-15");
    json_decref(o);
}

static void calendar_edit_recomputes_open_deadlines_and_is_audited(void **state) {
    fx *f = *state;
    on(f, "2026-09-29");
    int64_t id = submit_online(f, f->licensing, 2);
    as(f, "demo-clerk");
    must(f, id, "accept"); /* due 10-12 */
    as(f, "demo-clerk");
    int n = 0;
    assert_int_equal(ow_calendar_set_day(&f->cx, "2026-10-09", "holiday", "测试", &n),
                     OW_EFORBIDDEN);
    as(f, "demo-admin");
    assert_int_equal(ow_calendar_set_day(&f->cx, "2026-10-09", "holiday", "测试", &n), OW_OK);
    assert_true(n >= 1);
    json_t *o = get(f, id);
    assert_str(o, "deadline", "due_committed", "2026-10-13");
    json_decref(o);
    as(f, "demo-admin");
    assert_int_equal(ow_calendar_set_day(&f->cx, "2026-10-09", "normal", NULL, &n), OW_OK);
    o = get(f, id);
    assert_str(o, "deadline", "due_committed", "2026-10-12");
    json_decref(o);
    /* a workday must be a weekend day */
    assert_int_equal(ow_calendar_set_day(&f->cx, "2026-10-14", "workday", "调休", &n), OW_EINVAL);
}

static void missing_calendar_year_is_reported_not_guessed(void **state) {
    fx *f = *state;
    as_system(f);
    json_t *o;
    assert_int_equal(ow_calendar_due_json(&f->cx, "2101-03-03", 3, &o), OW_EINVAL);
    assert_string_equal(f->cx.err.kind, "calendar_year_missing");
    assert_non_null(strstr(f->cx.err.message, "2101"));
    /* a case whose period runs into a year with no notice yet: a provisional date from
     * the law, flagged, in the view and in the queue's text rows alike */
    on(f, "2026-12-28");
    int64_t id = submit_online(f, f->licensing, 2);
    as(f, "demo-clerk");
    must(f, id, "accept");
    o = get(f, id);
    assert_str(o, "deadline", "status", "on_time");
    /* Mon 12-28 + the item's 5 committed days: 12-29, 12-30, 12-31, then 2027-01-01 is
     * 元旦 by the law, Mon 1-04, Tue 1-05 */
    assert_str(o, "deadline", "due_committed", "2027-01-05");
    json_t *dl = json_object_get(o, "deadline");
    assert_true(json_is_true(json_object_get(dl, "provisional")));
    const char *stat = json_string_value(json_object_get(dl, "due_statutory"));
    assert_non_null(stat);
    assert_memory_equal(stat, "2027-", 5);
    json_decref(o);
    assert_int_equal(ow_calendar_due_json(&f->cx, "2026-12-31", 1, &o), OW_OK);
    assert_string_equal(json_string_value(json_object_get(o, "due")), "2027-01-04");
    assert_true(json_is_true(json_object_get(o, "provisional")));
    json_t *h = json_array_get(json_object_get(o, "holidays"), 0);
    assert_string_equal(json_string_value(json_object_get(h, "name")), "元旦");
    assert_int_equal(json_integer_value(json_object_get(o, "weekend_days")), 2);
    json_decref(o);
    /* and one that runs past the law's last year says it cannot be computed */
    on(f, "2100-12-28");
    id = submit_online(f, f->licensing, 2);
    as(f, "demo-clerk");
    must(f, id, "accept");
    o = get(f, id);
    assert_str(o, "deadline", "status", "unknown");
    assert_non_null(strstr(
        json_string_value(json_object_get(json_object_get(o, "deadline"), "message")), "2101"));
    json_decref(o);
}

/* ---------------- other paths ---------------- */

static void transfer_hands_the_case_to_the_other_department(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t id = case_in(f, "review");
    as(f, "demo-approver");
    must(f, id, "transfer");
    assert_int_equal(act(f, id, "approve"), OW_EFORBIDDEN); /* theirs to see, no longer to act on */
    as(f, "approver-d06");
    must(f, id, "approve");
    json_t *o = get(f, id);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "department"), "id")),
                     f->d06);
    json_decref(o);
}

static void queues_show_each_office_its_own_cases(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t rev = case_in(f, "review");
    ow_case_query q = {.queue = "review", .page = 1, .per_page = 100};
    json_t *items;
    int64_t total;
    as(f, "demo-approver");
    assert_int_equal(ow_cases_list_json(&f->cx, &q, &items, &total), OW_OK);
    bool seen = false;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *c = json_array_get(items, i);
        seen |= json_integer_value(json_object_get(c, "id")) == rev;
        assert_str(c, "department", "name", "赫山区民政局");
    }
    assert_true(seen);
    json_decref(items);
    json_t *rj = get(f, rev);
    q.q = ow_strdup(f->arena, json_string_value(json_object_get(rj, "case_no")));
    json_decref(rj);
    as(f, "approver-d06");
    assert_int_equal(ow_cases_list_json(&f->cx, &q, &items, &total), OW_OK);
    assert_int_equal(total, 0);
    json_decref(items);
    q.q = NULL;
    q.queue = "review";
    as(f, "demo-clerk");
    assert_int_equal(ow_cases_list_json(&f->cx, &q, &items, &total), OW_EFORBIDDEN);
    q.queue = "intake";
    q.state = "approved";
    assert_int_equal(ow_cases_list_json(&f->cx, &q, &items, &total), OW_EINVAL);
    q.state = NULL;
    q.deadline = "overdue";
    assert_int_equal(ow_cases_list_json(&f->cx, &q, &items, &total), OW_OK);
    json_decref(items);
}

static int64_t sql_int(fx *f, const char *sql, int64_t arg) {
    ow_stmt *st;
    assert_int_equal(((st = ow_db_prepare(f->db, sql, NULL)) ? 0 : 1), 0);
    if (ow_bind_count(st)) ow_bind_int64(st, 1, arg);
    if (ow_step(st) != OW_ROW) {
        ow_err e = {0};
        ow_db_fail(f->db, "sql_int", &e);
        fail_msg("%s: %s", sql, e.message);
    }
    int64_t v = ow_col_int64(st, 0);
    ow_stmt_free(st);
    return v;
}

/* The queue totals come from counters kept by triggers (migration 0012): after seeded
 * cases in every state, transitions and a transfer, each must equal a count of the cases
 * themselves, and the page's total must be that count. */
static void queue_totals_follow_every_transition(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t moved = case_in(f, "review");
    int64_t rev = case_in(f, "review");
    int64_t sus = case_in(f, "review");
    case_in(f, "supplement");
    case_in(f, "approved");
    case_in(f, "concluded");
    as(f, "demo-approver");
    must(f, moved, "transfer");
    must(f, sus, "suspend");
    must(f, rev, "approve");
    int64_t dept = f->cx.actor.org_id;
    seed_today(f); /* the seeder fills the year up to "today" */
    as_system(f);
    assert_int_equal(ow_catalog_demo_seed(&f->cx, f->app.cfg.demo_dir), OW_OK);
    assert_int_equal(ow_cases_bench_seed(&f->cx, 300), OW_OK);
    assert_int_equal(sql_int(f,
                             "SELECT count(*) FROM case_queue_counts q WHERE n <>"
                             " (SELECT count(*) FROM cases c WHERE c.queue = q.queue AND"
                             " CASE q.kind WHEN 'dept' THEN c.dept_id ELSE c.intake_scope_id"
                             " END = q.org_id)",
                             0),
                     0);
    /* every queue a case is in has its counter */
    assert_int_equal(sql_int(f,
                             "SELECT count(*) FROM (SELECT dept_id, queue FROM cases"
                             " GROUP BY 1, 2) g WHERE NOT EXISTS (SELECT 1 FROM"
                             " case_queue_counts q WHERE q.kind = 'dept' AND q.org_id ="
                             " g.dept_id AND q.queue = g.queue)",
                             0),
                     0);
    int64_t expect = sql_int(f,
                             "SELECT count(*) FROM cases WHERE dept_id = ?"
                             " AND state IN ('review', 'suspended')",
                             dept);
    assert_true(expect >= 1);
    as(f, "demo-approver");
    ow_case_query q = {.queue = "review", .page = 1, .per_page = 5};
    json_t *items;
    int64_t total;
    assert_int_equal(ow_cases_list_json(&f->cx, &q, &items, &total), OW_OK);
    assert_int_equal(total, expect);
    json_decref(items);
    q.state = "suspended"; /* filtered: counted from the cases */
    assert_int_equal(ow_cases_list_json(&f->cx, &q, &items, &total), OW_OK);
    assert_int_equal(total, sql_int(f,
                                    "SELECT count(*) FROM cases WHERE dept_id = ?"
                                    " AND state = 'suspended'",
                                    dept));
    json_decref(items);
}

/* The API writes queue pages as text (ow_cases_list_text) instead of jansson objects; it
 * must be byte for byte what the jansson rows dump to: rows in every state and deadline
 * status, both kinds of org, and names that need escaping. */
static void queue_text_matches_the_jansson_rows(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t odd = case_in(f, "review");
    int64_t soon = case_in(f, "review");
    seed_today(f); /* the seeder fills the year up to "today" */
    as_system(f);
    assert_int_equal(ow_cases_bench_seed(&f->cx, 200), OW_OK);
    /* the seeder's random dates need not give a case due within a day: make one so */
    ow_stmt *due;
    assert_int_equal(
        ((due = ow_db_prepare(
              f->db, "UPDATE cases SET due_date = ?, due_committed = ? WHERE id = ?", NULL))
             ? 0
             : 1),
        0);
    ow_bind_int64(due, 1, ow_date_today_shanghai(ow_clock_now_ms(f->cx.clock)));
    ow_bind_int64(due, 2, ow_date_today_shanghai(ow_clock_now_ms(f->cx.clock)));
    ow_bind_int64(due, 3, soon);
    assert_int_equal(ow_step(due), OW_DONE);
    ow_stmt_free(due);
    /* what jansson escapes: quote, backslash, control characters; 4-byte UTF-8 kept */
    ow_stmt *st;
    assert_int_equal(((st = ow_db_prepare(f->db,
                                          "UPDATE cases SET applicant_name = ?, result = ?,"
                                          " step_name = ? WHERE id = ?",
                                          NULL))
                          ? 0
                          : 1),
                     0);
    ow_bind_text_ref(st, 1, "王\"五\\六\t\x01\x1f\x7f");
    ow_bind_text_ref(st, 2, "line\nbreak\r\b\f/</script>");
    ow_bind_text_ref(st, 3, "复核\xF0\x9F\x98\x80");
    ow_bind_int64(st, 4, odd);
    assert_int_equal(ow_step(st), OW_DONE);
    ow_stmt_free(st);
    json_t *oj = get(f, odd);
    const char *odd_no = ow_strdup(f->arena, json_string_value(json_object_get(oj, "case_no")));
    json_decref(oj);
    static const struct {
        const char *login, *queue, *state, *deadline;
        bool odd_only;
    } PAGES[] = {
        {"demo-approver", "review", NULL, NULL, false},
        {"demo-approver", "review", NULL, NULL, true},
        {"demo-approver", "review", "suspended", NULL, false},
        {"demo-clerk", "intake", NULL, NULL, false},
        {"demo-clerk", "intake", NULL, "overdue", false},
        {"demo-clerk", "delivery", NULL, NULL, false},
        {"demo-supervisor", "all", NULL, NULL, false},
    };
    /* the pages together must have shown every deadline status */
    const char *statuses[] = {"\"status\":\"on_time\"", "\"status\":\"due_soon\"",
                              "\"status\":\"overdue\"", "\"status\":\"paused\"",
                              "\"status\":\"closed\"",  "\"late\":true",
                              "\"late\":false",         "\"intake_org\":{\"id\":"};
    bool seen[sizeof statuses / sizeof *statuses] = {0};
    size_t rows = 0;
    for (size_t i = 0; i < sizeof PAGES / sizeof *PAGES; i++) {
        as(f, PAGES[i].login);
        for (int page = 1; page <= 3; page++) {
            ow_case_query q = {.queue = PAGES[i].queue,
                               .state = PAGES[i].state,
                               .deadline = PAGES[i].deadline,
                               .q = PAGES[i].odd_only ? odd_no : NULL,
                               .page = page,
                               .per_page = 100};
            json_t *items;
            int64_t total_json = -1, total_text = -2;
            assert_int_equal(ow_cases_list_json(&f->cx, &q, &items, &total_json), OW_OK);
            ow_buf b;
            ow_buf_init(&b, f->arena, 0);
            assert_int_equal(ow_cases_list_text(&f->cx, &q, &b, &total_text), OW_OK);
            char *want = ow_json_dump(items);
            assert_non_null(want);
            assert_string_equal(b.data, want);
            assert_int_equal(total_text, total_json);
            rows += json_array_size(items);
            for (size_t k = 0; k < sizeof statuses / sizeof *statuses; k++)
                seen[k] |= strstr(want, statuses[k]) != NULL;
            if (PAGES[i].odd_only) {
                assert_int_equal(json_array_size(items), page == 1 ? 1 : 0);
                if (page == 1)
                    assert_non_null(
                        strstr(want, "\"name\":\"王\\\"五\\\\六\\t\\u0001\\u001F\x7f\""));
            }
            free(want);
            json_decref(items);
        }
    }
    assert_true(rows >= 300);
    for (size_t k = 0; k < sizeof statuses / sizeof *statuses; k++)
        if (!seen[k]) fail_msg("no row with %s", statuses[k]);
}

static void public_tracking_needs_the_right_tail(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t id = submit_online(f, f->licensing, 2);
    json_t *o = get(f, id);
    const char *no = ow_strdup(f->arena, json_string_value(json_object_get(o, "case_no")));
    json_decref(o);
    ow_ctx *cx = &f->cx;
    memset(&cx->actor, 0, sizeof cx->actor); /* anonymous */
    assert_int_equal(ow_cases_track_json(cx, no, "152317", &o), OW_OK);
    assert_str(o, "applicant", "name", "张*");
    assert_str(o, "applicant", "id_number", "430903********2317");
    json_decref(o);
    assert_int_equal(ow_cases_track_json(cx, no, "152318", &o), OW_ENOTFOUND);
    assert_int_equal(ow_cases_track_json(cx, "430903-20260914-99999", "152317", &o), OW_ENOTFOUND);
    assert_int_equal(ow_cases_get_json(cx, id, &o), OW_ENOTFOUND);
}

/* Mismatched (dim, key, day) rows between case_rollup (migration 0015) and the same
 * events recounted from case_facts, the rules of report.c written once more in SQL. */
static const char *rollup_diff_sql =
    "WITH dims(dim) AS (VALUES (0), (1), (2), (3), (4)),"
    " f AS (SELECT d.dim, CASE d.dim WHEN 0 THEN item_id WHEN 1 THEN dept_id"
    "   WHEN 2 THEN intake_org_id WHEN 3 THEN intake_scope_id ELSE channel END AS key,"
    "   case_facts.*"
    "   FROM case_facts, dims d),"
    " ev(dim, key, day, r, a, c, o, l, x) AS ("
    "  SELECT dim, key, received_date, 1, 0, 0, 0, 0, 0 FROM f"
    "  UNION ALL SELECT dim, key, accepted_date, 0, 1, 0, 0, 0, 0 FROM f"
    "   WHERE accepted_date IS NOT NULL"
    "  UNION ALL SELECT dim, key, concluded_date, 0, 0, 1,"
    "   CASE WHEN due_committed IS NULL OR coalesce(decided_date, concluded_date)"
    "   <= due_committed THEN 1 ELSE 0 END, CASE WHEN due_committed IS NOT NULL AND"
    "   coalesce(decided_date, concluded_date) > due_committed THEN 1 ELSE 0 END, 0"
    "   FROM f WHERE concluded_date IS NOT NULL AND state IN ('concluded', 'denied')"
    "  UNION ALL SELECT dim, key, concluded_date, 0, 0, 0, 0, 0, 1 FROM f"
    "   WHERE concluded_date IS NOT NULL AND state = 'refused'),"
    " want AS (SELECT dim, key, day, sum(r), sum(a), sum(c), sum(o), sum(l), sum(x) FROM ev"
    "   GROUP BY 1, 2, 3),"
    " have AS (SELECT dim, key, day, received, accepted, concluded, on_time, late, refused"
    "   FROM case_rollup WHERE received <> 0 OR accepted <> 0 OR concluded <> 0 OR on_time <> 0"
    "   OR late <> 0 OR refused <> 0)"
    " SELECT (SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT * FROM have) x)"
    " + (SELECT count(*) FROM (SELECT * FROM have EXCEPT SELECT * FROM want) y)";

/* The same for the handling-time histogram (case_rollup_days). */
static const char *days_diff_sql =
    "WITH dims(dim) AS (VALUES (0), (1), (2), (3), (4)),"
    " want AS (SELECT d.dim, concluded_date, CASE d.dim WHEN 0 THEN item_id WHEN 1 THEN dept_id"
    "   WHEN 2 THEN intake_org_id WHEN 3 THEN intake_scope_id ELSE channel END, handling_days,"
    "   count(*) FROM case_facts, dims d WHERE handling_days IS NOT NULL GROUP BY 1, 2, 3, 4),"
    " have AS (SELECT dim, day, key, days, n FROM case_rollup_days WHERE n <> 0)"
    " SELECT (SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT * FROM have) x)"
    " + (SELECT count(*) FROM (SELECT * FROM have EXCEPT SELECT * FROM want) y)";

/* The same for the per-office rollup (migration 0016): every office a case belongs to
 * (its department, intake window, intake centre or township — each once), with the
 * case's whole key and, for its conclusion, its handling days. */
static const char *org_diff_sql =
    "WITH o AS (SELECT case_id, dept_id AS org FROM case_facts"
    "   UNION SELECT case_id, intake_org_id FROM case_facts"
    "   UNION SELECT case_id, intake_scope_id FROM case_facts),"
    " f AS (SELECT o.org, c.* FROM o JOIN case_facts c USING (case_id)),"
    " ev(org, day, item, dept, win, town, ch, days, r, a, c, t, l, x) AS ("
    "  SELECT org, received_date, item_id, dept_id, intake_org_id, intake_scope_id, channel,"
    "   -1, 1, 0, 0, 0, 0, 0 FROM f"
    "  UNION ALL SELECT org, accepted_date, item_id, dept_id, intake_org_id, intake_scope_id,"
    "   channel, -1, 0, 1, 0, 0, 0, 0 FROM f WHERE accepted_date IS NOT NULL"
    "  UNION ALL SELECT org, concluded_date, item_id, dept_id, intake_org_id, intake_scope_id,"
    "   channel, coalesce(handling_days, -1), 0, 0, 1,"
    "   CASE WHEN due_committed IS NULL OR coalesce(decided_date, concluded_date)"
    "   <= due_committed THEN 1 ELSE 0 END, CASE WHEN due_committed IS NOT NULL AND"
    "   coalesce(decided_date, concluded_date) > due_committed THEN 1 ELSE 0 END, 0"
    "   FROM f WHERE concluded_date IS NOT NULL AND state IN ('concluded', 'denied')"
    "  UNION ALL SELECT org, concluded_date, item_id, dept_id, intake_org_id, intake_scope_id,"
    "   channel, coalesce(handling_days, -1), 0, 0, 0, 0, 0, 1 FROM f"
    "   WHERE concluded_date IS NOT NULL AND state = 'refused'),"
    " want AS (SELECT org, day, item, dept, win, town, ch, days, sum(r), sum(a), sum(c), sum(t),"
    "   sum(l), sum(x) FROM ev GROUP BY 1, 2, 3, 4, 5, 6, 7, 8),"
    " have AS (SELECT org, day, item, dept, win, town, channel, days, received, accepted,"
    "   concluded, on_time, late, refused FROM case_rollup_org"
    "   WHERE received <> 0 OR accepted <> 0 OR concluded <> 0 OR on_time <> 0"
    "   OR late <> 0 OR refused <> 0)"
    " SELECT (SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT * FROM have) x)"
    " + (SELECT count(*) FROM (SELECT * FROM have EXCEPT SELECT * FROM want) y)";

/* Every concluded case's stored handling days against a count of the calendar's
 * working days in (start, end], day by day; returns how many cases have a value. */
static int check_handling_days(fx *f) {
    ow_stmt *st;
    assert_int_equal(((st = ow_db_prepare(f->db,
                                          "SELECT case_id, coalesce(clock_start, accepted_date),"
                                          " coalesce(decided_date, concluded_date), handling_days"
                                          " FROM case_facts WHERE concluded_date IS NOT NULL"
                                          " AND state IN ('concluded', 'denied')",
                                          NULL))
                          ? 0
                          : 1),
                     0);
    int with = 0;
    while (ow_step(st) == OW_ROW) {
        bool has_start = !ow_col_null(st, 1);
        int32_t start = ow_col_int(st, 1), end = ow_col_int(st, 2);
        if (!has_start || end < start) {
            if (!ow_col_null(st, 3))
                fail_msg("case %lld: handling days without a span", ow_col_int64(st, 0));
            continue;
        }
        int want = 0;
        ow_err e = {0};
        for (int32_t d = start + 1; d <= end; d++) {
            bool work;
            assert_int_equal(ow_cal_is_workday(f->app.calendar, d, &work, &e), OW_OK);
            want += work;
        }
        if (ow_col_null(st, 3) || ow_col_int(st, 3) != want)
            fail_msg("case %lld: handling days %d, want %d", ow_col_int64(st, 0), ow_col_int(st, 3),
                     want);
        with++;
    }
    ow_stmt_free(st);
    return with;
}

/* With trigger dropped, change makes recount find a difference; all undone after. */
static void recount_sees_a_dropped_trigger(fx *f, const char *trigger, const char *change,
                                           const char *recount) {
    ow_db *h = f->db;
    char sql[512];
    /* PostgreSQL keeps all four rollups in one trigger function (db/migrations-pg) */
    if (ow_db_backend(h) == OW_DB_POSTGRES)
        snprintf(sql, sizeof sql, "BEGIN; ALTER TABLE case_facts DISABLE TRIGGER case_rollup; %s",
                 change);
    else
        snprintf(sql, sizeof sql, "BEGIN; DROP TRIGGER %s; %s", trigger, change);
    assert_int_equal(ow_db_exec(h, sql, NULL), 0);
    assert_true(sql_int(f, recount, 0) > 0);
    assert_int_equal(ow_db_exec(h, "ROLLBACK", NULL), 0);
    assert_int_equal(sql_int(f, recount, 0), 0);
}

/* The statistics' rollup is kept by triggers (migration 0015): after seeded cases and
 * every kind of transition (accept, supplement, refuse, withdraw, deny, approve,
 * conclude, transfer, suspend) and a calendar edit that moves open deadlines, it must
 * equal a recount from case_facts — and a broken trigger must show. */
static void rollup_equals_a_recount_from_case_facts(void **state) {
    fx *f = *state;
    on(f, "2026-09-14");
    int64_t moved = case_in(f, "review");
    int64_t late = case_in(f, "review");
    const char *states[] = {"submitted", "supplement", "refused",  "withdrawn",
                            "suspended", "denied",     "approved", "concluded"};
    for (size_t i = 0; i < sizeof states / sizeof *states; i++)
        case_in(f, states[i]);
    as(f, "demo-approver");
    must(f, moved, "transfer");
    on(f, "2026-11-20"); /* past its committed due date: a late conclusion */
    as_system(f);
    must(f, late, "approve");
    must(f, late, "deliver");
    seed_today(f); /* the seeder fills the year up to "today" */
    assert_int_equal(ow_catalog_demo_seed(&f->cx, f->app.cfg.demo_dir), OW_OK);
    assert_int_equal(ow_cases_bench_seed(&f->cx, 400), OW_OK);
    /* seeded cases moved on: every open state takes its next steps */
    static const struct {
        const char *state, *action;
    } moves[] = {{"submitted", "accept"}, {"submitted", "refuse"}, {"supplement", "withdraw"},
                 {"review", "approve"},   {"review", "deny"},      {"review", "suspend"},
                 {"approved", "deliver"}, {"review", "transfer"}};
    int done = 0;
    for (size_t m = 0; m < sizeof moves / sizeof *moves; m++) {
        ow_stmt *st;
        assert_int_equal(((st = ow_db_prepare(f->db,
                                              "SELECT id FROM cases WHERE state = ? ORDER BY id"
                                              " DESC LIMIT 3",
                                              NULL))
                              ? 0
                              : 1),
                         0);
        ow_bind_text_ref(st, 1, moves[m].state);
        int64_t ids[3];
        int n = 0;
        while (ow_step(st) == OW_ROW)
            ids[n++] = ow_col_int64(st, 0);
        ow_stmt_free(st);
        for (int i = 0; i < n; i++) {
            as_system(f);
            if (!act(f, ids[i], moves[m].action)) done++;
        }
    }
    assert_true(done >= 15);
    /* a holiday inside open cases' deadlines: their due dates are recomputed */
    as_system(f);
    int moved_n = 0;
    assert_int_equal(ow_calendar_set_day(&f->cx, "2026-12-02", "holiday", "测试停工日", &moved_n),
                     OW_OK);
    assert_true(moved_n > 0);
    /* and a past weekday made a holiday: concluded cases' handling days shrink */
    int before = (int)sql_int(f, "SELECT sum(handling_days) FROM case_facts", 0);
    assert_int_equal(ow_calendar_set_day(&f->cx, "2026-11-18", "holiday", "测试停工日", &moved_n),
                     OW_OK);
    assert_true(sql_int(f, "SELECT sum(handling_days) FROM case_facts", 0) < before);
    assert_true(check_handling_days(f) > 100);
    assert_int_equal(sql_int(f, days_diff_sql, 0), 0);
    assert_int_equal(sql_int(f, rollup_diff_sql, 0), 0);
    assert_int_equal(sql_int(f, org_diff_sql, 0), 0);
    assert_true(sql_int(f, "SELECT sum(late) FROM case_rollup WHERE dim = 1", 0) >= 1);
    assert_int_equal(sql_int(f, "SELECT sum(received) FROM case_rollup WHERE dim = 4", 0),
                     sql_int(f, "SELECT count(*) FROM cases", 0));
    /* the district-wide workbench from the rollup equals a count of case_facts */
    json_t *wb;
    assert_int_equal(ow_stats_workbench_json(&f->cx, &wb), OW_OK);
    assert_int_equal(json_integer_value(json_object_get(wb, "pending_approval")),
                     sql_int(f, "SELECT count(*) FROM cases WHERE state = 'review'", 0));
    json_t *trend = json_object_get(wb, "trend");
    assert_int_equal(json_array_size(trend), 14);
    int64_t acc = 0, con = 0;
    for (size_t i = 0; i < 14; i++) {
        json_t *t = json_array_get(trend, i);
        int32_t d;
        assert_int_equal(ow_date_parse(json_string_value(json_object_get(t, "date")), &d), OW_OK);
        assert_int_equal(json_integer_value(json_object_get(t, "accepted")),
                         sql_int(f, "SELECT count(*) FROM case_facts WHERE accepted_date = ?", d));
        assert_int_equal(json_integer_value(json_object_get(t, "concluded")),
                         sql_int(f,
                                 "SELECT count(*) FROM case_facts WHERE concluded_date = ?"
                                 " AND state NOT IN ('withdrawn', 'refused')",
                                 d));
        acc += json_integer_value(json_object_get(t, "accepted"));
        con += json_integer_value(json_object_get(t, "concluded"));
    }
    assert_true(acc > 0 && con > 0);
    json_decref(wb);
    /* the district-wide light counts from the index equal the walk over the cases */
    int counts[3];
    assert_int_equal(ow_supervision_light_counts(&f->cx, 0, counts), OW_OK);
    json_t *lights;
    assert_int_equal(ow_supervision_lights_json(&f->cx, &lights), OW_OK);
    const char *names[] = {"green", "yellow", "red"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(counts[i], json_integer_value(json_object_get(
                                        json_object_get(lights, "totals"), names[i])));
    assert_true(counts[0] > 0 && counts[1] + counts[2] > 0);
    /* an office's lights and review count, read through its queue indexes, equal its
     * tally in the district-wide walk and a count of its cases */
    const char *tallies[] = {"by_department", "by_window"};
    int offices = 0;
    for (int t = 0; t < 2; t++) {
        json_t *e;
        size_t k;
        json_array_foreach(json_object_get(lights, tallies[t]), k, e) {
            int64_t org = json_integer_value(json_object_get(e, "id"));
            assert_int_equal(ow_supervision_light_counts(&f->cx, org, counts), OW_OK);
            for (int i = 0; i < 3; i++)
                assert_int_equal(counts[i], json_integer_value(json_object_get(e, names[i])));
            int64_t review;
            assert_int_equal(ow_cases_count_state(&f->cx, org, "review", &review), OW_OK);
            assert_int_equal(review, sql_int(f,
                                             "SELECT count(*) FROM cases WHERE state = 'review'"
                                             " AND ?1 IN (dept_id, intake_org_id, intake_scope_id)",
                                             org));
            offices++;
        }
    }
    assert_true(offices >= 5);
    json_decref(lights);
    assert_int_equal(ow_calendar_set_day(&f->cx, "2026-12-02", "normal", NULL, &moved_n), OW_OK);
    assert_int_equal(ow_calendar_set_day(&f->cx, "2026-11-18", "normal", NULL, &moved_n), OW_OK);
    assert_int_equal(sql_int(f, "SELECT sum(handling_days) FROM case_facts", 0), before);
    assert_true(check_handling_days(f) > 100);
    assert_int_equal(sql_int(f, days_diff_sql, 0), 0);
    assert_int_equal(sql_int(f, rollup_diff_sql, 0), 0);
    assert_int_equal(sql_int(f, org_diff_sql, 0), 0);

    /* the recounts can fail: without the conclusion trigger a refusal goes uncounted */
    static const char *refuse = "UPDATE cases SET state = 'refused', concluded_at = submitted_at"
                                " WHERE id = (SELECT max(id) FROM cases WHERE state = 'review')";
    static const char *longer = "UPDATE case_facts SET handling_days = handling_days + 1"
                                " WHERE case_id = (SELECT max(case_id) FROM case_facts"
                                " WHERE handling_days IS NOT NULL)";
    recount_sees_a_dropped_trigger(f, "case_rollup_ended_update", refuse, rollup_diff_sql);
    /* and without the histogram's or the offices' update trigger, a calendar edit's new
     * handling days go unseen */
    recount_sees_a_dropped_trigger(f, "case_rollup_days_update", longer, days_diff_sql);
    recount_sees_a_dropped_trigger(f, "case_rollup_org_ended_update", longer, org_diff_sql);
}

static void demo_seed_makes_a_year_in_every_state(void **state) {
    fx *f = *state;
    seed_today(f);
    as_system(f);
    assert_int_equal(ow_catalog_demo_seed(&f->cx, f->app.cfg.demo_dir), OW_OK);
    int64_t before;
    ow_stmt *st;
    assert_int_equal(((st = ow_db_prepare(f->db, "SELECT count(*) FROM cases", NULL)) ? 0 : 1), 0);
    assert_int_equal(ow_step(st), OW_ROW);
    before = ow_col_int64(st, 0);
    ow_stmt_free(st);
    assert_int_equal(ow_cases_bench_seed(&f->cx, 2000), OW_OK);
    assert_int_equal(
        ((st = ow_db_prepare(f->db,
                             "SELECT count(*), count(DISTINCT state), count(DISTINCT channel),"
                             " count(DISTINCT item_id) FROM cases WHERE id > ?",
                             NULL))
             ? 0
             : 1),
        0);
    ow_bind_int64(st, 1, before ? before : 0);
    assert_int_equal(ow_step(st), OW_ROW);
    assert_true(ow_col_int(st, 0) > 1900); /* desks skip the odd last weekend */
    assert_true(ow_col_int(st, 1) >= 7);
    assert_int_equal(ow_col_int(st, 2), 4);
    assert_true(ow_col_int(st, 3) > 50);
    ow_stmt_free(st);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(submit_issues_readable_number_and_encrypts_the_id),
        cmocka_unit_test(submit_is_idempotent_per_key),
        cmocka_unit_test(desk_filing_checks_the_applicant_and_the_office),
        cmocka_unit_test(profile_prefills_from_the_last_case_and_is_audited),
        cmocka_unit_test(pilot_uscc_needs_a_clerks_recorded_override),
        cmocka_unit_test(every_transition_by_every_role),
        cmocka_unit_test(each_transition_writes_history_and_audit),
        cmocka_unit_test(steps_move_the_case_from_department_to_department),
        cmocka_unit_test(transfer_hands_the_remaining_steps_to_the_new_department),
        cmocka_unit_test(immediate_item_is_decided_at_the_window),
        cmocka_unit_test(supplement_pauses_the_intake_clock_until_resubmitted),
        cmocka_unit_test(second_supplement_may_not_name_new_materials),
        cmocka_unit_test(late_notice_is_refused_and_acceptance_dates_from_receipt),
        cmocka_unit_test(deadlines_across_national_day),
        cmocka_unit_test(deadlines_across_spring_festival),
        cmocka_unit_test(extension_adds_ten_statutory_days_once),
        cmocka_unit_test(suspension_moves_the_due_date),
        cmocka_unit_test(calendar_edit_recomputes_open_deadlines_and_is_audited),
        cmocka_unit_test(missing_calendar_year_is_reported_not_guessed),
        cmocka_unit_test(transfer_hands_the_case_to_the_other_department),
        cmocka_unit_test(queues_show_each_office_its_own_cases),
        cmocka_unit_test(queue_totals_follow_every_transition),
        cmocka_unit_test(queue_text_matches_the_jansson_rows),
        cmocka_unit_test(rollup_equals_a_recount_from_case_facts),
        cmocka_unit_test(public_tracking_needs_the_right_tail),
        cmocka_unit_test(demo_seed_makes_a_year_in_every_state),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
