/* test_case_modes.c — the case modes of issue 22 (src/cases/cases_modes.c,
 * src/catalog/catalog_modes.c): an item's modes are checked against its own materials and
 * steps; a joint step (并联审批) moves on only when every department agreed and any
 * denial decides the case and closes the other reviews; a case on commitment (告知承诺制)
 * is accepted only once confirmed, decided without the replaced material, and a failed
 * check revokes the decision and records a credit note; a material owed at intake
 * (容缺受理) holds the decision when the item says so, lights red past its due date and
 * clears when it comes in.  Runs on SQLite and PostgreSQL (test_case_modes_postgres).
 *
 * Hand-checked dates (data/calendar/2026.csv): Mon 2026-11-23; 3 working days after it
 * Thu 11-26; 10 working days after it Mon 12-07. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "calendar/calendar.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "core/crypto.h"
#include "core/json.h"
#include "core/workdays.h"
#include "store/db.h"
#include "system/system.h"
#include "testdb.h"

typedef struct fx {
    char dir[64];
    ow_app app;
    ow_db *db;
    ow_arena *arena;
    ow_ctx cx;
    ow_clock clock;
    int64_t d05, d06;
    int64_t joint, promised;
} fx;

/* 联合审查 by 民政局 (D05) and 司法局 (D06) at once, then 民政局 decides. */
static const char *JOINT_JSON =
    "{\"code\":\"0100599011\",\"name\":\"测试并联审批\",\"type\":\"licensing\","
    "\"department_code\":\"D05\",\"target\":\"both\",\"statutory_days\":20,\"committed_days\":10,"
    "\"modes\":[\"online\"],\"levels\":[\"district\"],\"online_depth\":\"apply\","
    "\"basis\":\"《测试条例》\",\"materials\":[{\"name\":\"申请书\",\"required\":\"yes\"}],"
    "\"steps\":[{\"name\":\"受理\",\"role\":\"clerk\",\"days\":0},"
    "{\"name\":\"联合审查\",\"role\":\"approver\",\"days\":5},"
    "{\"name\":\"决定\",\"role\":\"approver\",\"days\":5}],"
    "\"case_modes\":{\"joint\":[{\"step\":2,\"org_codes\":[\"D05\",\"D06\"]}]}}";

/* On commitment in place of 场所证明; 平面图 may be owed, and the decision waits for it. */
static const char *PROMISED_JSON =
    "{\"code\":\"0100599012\",\"name\":\"测试告知承诺\",\"type\":\"licensing\","
    "\"department_code\":\"D05\",\"target\":\"both\",\"statutory_days\":20,\"committed_days\":10,"
    "\"modes\":[\"online\"],\"levels\":[\"district\"],\"online_depth\":\"apply\","
    "\"basis\":\"《测试条例》\",\"materials\":[{\"name\":\"申请书\",\"required\":\"yes\"},"
    "{\"name\":\"场所证明\",\"required\":\"yes\"},{\"name\":\"平面图\",\"required\":\"yes\"}],"
    "\"steps\":[{\"name\":\"受理\",\"role\":\"clerk\",\"days\":0},"
    "{\"name\":\"审批\",\"role\":\"approver\",\"days\":5}],"
    "\"case_modes\":{\"commitment\":{\"materials\":[\"场所证明\"],\"check_days\":10},"
    "\"tolerance\":{\"materials\":[\"平面图\"],\"decision_waits\":true}}}";

static int64_t D(const char *s) {
    int32_t d;
    if (ow_date_parse(s, &d)) fail_msg("bad date %s", s);
    return d;
}

static void on(fx *f, const char *s) {
    f->clock.fixed_ms = (D(s) * 86400 + 2 * 3600) * 1000; /* 10:00 Shanghai */
}

static void as_system(fx *f) {
    ow_ctx_init_system(&f->cx, &f->app, f->db, f->arena);
    f->cx.clock = &f->clock;
}

static void as(fx *f, const char *login) {
    as_system(f);
    ow_login_target t;
    assert_int_equal(ow_account_find_login(&f->cx, login, &t), OW_OK);
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

static int item_from(fx *f, const char *json, int64_t *id) {
    json_t *o = json_loads(json, 0, NULL);
    assert_non_null(o);
    ow_item it;
    ow_err_clear(&f->cx.err);
    int rc = ow_catalog_item_from_json(&f->cx, o, &it);
    if (!rc) rc = ow_catalog_create(&f->cx, &it, id);
    json_decref(o);
    return rc;
}

static int64_t make_item(fx *f, const char *json) {
    int64_t id;
    if (item_from(f, json, &id)) fail_msg("item: %s (%s)", f->cx.err.message, f->cx.err.field);
    assert_int_equal(ow_catalog_publish(&f->cx, id, NULL), OW_OK);
    return id;
}

static int64_t dept(fx *f, const char *code) {
    json_t *depts;
    assert_int_equal(ow_org_list_json(&f->cx, "department", 0, false, &depts), OW_OK);
    int64_t id = 0;
    for (size_t i = 0; i < json_array_size(depts); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(depts, i), "code")), code))
            id = json_integer_value(json_object_get(json_array_get(depts, i), "id"));
    json_decref(depts);
    return id;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static int group_setup(void **state) {
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-test-modes.XXXXXX");
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
    int applied;
    if (ow_db_migrate(f->db, &applied, &e)) return -1;
    if (ow_calendar_load(&f->app, f->db, &e)) return -1;
    f->arena = ow_arena_new(1 << 16);
    on(f, "2026-11-23");
    as_system(f);
    if (ow_system_init_instance(&f->cx) || ow_account_demo_seed(&f->cx, f->app.cfg.demo_dir)) {
        fprintf(stderr, "seed: %s\n", f->cx.err.message);
        return -1;
    }
    f->d05 = dept(f, "D05");
    f->d06 = dept(f, "D06");
    f->joint = make_item(f, JOINT_JSON);
    f->promised = make_item(f, PROMISED_JSON);
    ow_staff_in st = {.username = "approver-d06",
                      .name = "吴审批",
                      .role = "approver",
                      .password = "Demo@2026x",
                      .org_id = f->d06};
    char mob[12];
    int64_t uid;
    if (ow_account_staff_check(&f->cx, &st, mob) ||
        ow_account_staff_insert(&f->cx, &st, mob, "x", &uid))
        return -1;
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

static int64_t submit(fx *f, int64_t item, const char **mats, int n, bool commitment) {
    as(f, "demo-citizen");
    ow_case_apply_in in = {
        .item_id = item, .materials = mats, .nmaterials = n, .commitment = commitment};
    int64_t id;
    bool created;
    if (ow_cases_submit(&f->cx, &in, &id, &created))
        fail_msg("submit: %s (%s)", f->cx.err.message, f->cx.err.field);
    return id;
}

/* Try in as login; a failure rolls back like a writer job. */
static int try_as(fx *f, const char *login, int64_t id, ow_case_action_in in) {
    if (login)
        as(f, login);
    else
        as_system(f);
    ow_err e = {0};
    if (ow_db_savepoint(f->db, &e)) fail_msg("savepoint: %s", e.message);
    ow_err_clear(&f->cx.err);
    int rc = ow_cases_transition(&f->cx, id, &in);
    if (rc)
        ow_db_rollback_to(f->db);
    else
        assert_int_equal(ow_db_release(f->db, &e), OW_OK);
    return rc;
}

#define MUST(f, login, id, ...)                                                                    \
    do {                                                                                           \
        if (try_as(f, login, id, (ow_case_action_in){__VA_ARGS__}))                                \
            fail_msg("%s: %s", #__VA_ARGS__, (f)->cx.err.message);                                 \
    } while (0)

static json_t *get(fx *f, int64_t id) {
    as_system(f);
    json_t *o;
    if (ow_cases_get_json(&f->cx, id, &o)) fail_msg("get: %s", f->cx.err.message);
    return o;
}

static const char *S(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static json_t *modes(json_t *c, const char *k) {
    return json_object_get(json_object_get(c, "modes"), k);
}

/* ---------------- the catalog ---------------- */

static void modes_that_do_not_fit_the_item_are_refused(void **state) {
    fx *f = *state;
    as_system(f);
    static const struct {
        const char *modes, *field;
    } bad[] = {
        {"{\"commitment\":{\"materials\":[\"没有的材料\"],\"check_days\":10}}",
         "case_modes.commitment.materials[0]"},
        {"{\"commitment\":{\"materials\":[\"申请书\"],\"check_days\":0}}",
         "case_modes.commitment.check_days"},
        {"{\"tolerance\":{\"materials\":[]}}", "case_modes.tolerance.materials"},
        {"{\"tolerance\":{\"materials\":[\"申请书\"],\"decision_waits\":1}}",
         "case_modes.tolerance.decision_waits"},
        {"{\"joint\":[{\"step\":1,\"org_codes\":[\"D05\",\"D06\"]}]}", "case_modes.joint[0].step"},
        {"{\"joint\":[{\"step\":2,\"org_codes\":[\"D05\"]}]}", "case_modes.joint[0].org_ids"},
        {"{\"joint\":[{\"step\":2,\"org_codes\":[\"D05\",\"W01\"]}]}",
         "case_modes.joint[0].org_ids[1]"},
        {"{\"parallel\":true}", "case_modes.parallel"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *json = ow_sprintf(
            f->arena,
            "{\"code\":\"0100599%03zu\",\"name\":\"测试坏模式%zu\",\"type\":\"licensing\","
            "\"department_code\":\"D05\",\"statutory_days\":20,\"committed_days\":10,"
            "\"basis\":\"《测试条例》\",\"materials\":[{\"name\":\"申请书\"}],"
            "\"steps\":[{\"name\":\"受理\",\"role\":\"clerk\"},{\"name\":\"审批\",\"role\":"
            "\"approver\"}],\"case_modes\":%s}",
            100 + i, i, bad[i].modes);
        int64_t id;
        int rc = item_from(f, json, &id);
        assert_int_equal(rc, OW_EINVAL);
        if (strcmp(f->cx.err.field, bad[i].field))
            fail_msg("%s: field %s (%s), want %s", bad[i].modes, f->cx.err.field, f->cx.err.message,
                     bad[i].field);
    }
}

/* ---------------- 并联审批 ---------------- */

static void joint_step_moves_on_when_every_department_agreed(void **state) {
    fx *f = *state;
    const char *m[] = {"申请书"};
    int64_t id = submit(f, f->joint, m, 1, false);
    MUST(f, "demo-clerk", id, .action = "accept");
    json_t *c = get(f, id);
    assert_string_equal(S(c, "current_step"), "联合审查");
    assert_int_equal(json_array_size(modes(c, "joint")), 2);
    json_decref(c);
    /* a joint step is not transferred, and its departments are not offered it */
    assert_int_equal(
        try_as(f, "demo-approver", id,
               (ow_case_action_in){.action = "transfer", .reason = "转办", .dept_id = f->d06}),
        OW_ECONFLICT);
    assert_string_equal(f->cx.err.kind, "joint_step");
    as(f, "demo-approver");
    assert_int_equal(ow_cases_get_json(&f->cx, id, &c), OW_OK);
    json_t *acts = json_object_get(c, "actions");
    assert_true(json_array_size(acts) > 0);
    for (size_t i = 0; i < json_array_size(acts); i++)
        assert_string_not_equal(S(json_array_get(acts, i), "action"), "transfer");
    json_decref(c);
    /* 民政局 cannot decide at the joint step; 司法局 agrees first */
    assert_int_equal(try_as(f, "demo-approver", id, (ow_case_action_in){.action = "approve"}),
                     OW_ECONFLICT);
    MUST(f, "approver-d06", id, .action = "forward", .comment = "无异议");
    c = get(f, id);
    assert_string_equal(S(c, "state"), "review");
    assert_string_equal(S(c, "current_step"), "联合审查");
    json_t *j = modes(c, "joint");
    assert_string_equal(S(json_array_get(j, 0), "status"), "open");
    assert_string_equal(S(json_array_get(j, 1), "status"), "approved");
    assert_string_equal(S(json_array_get(j, 1), "opinion"), "无异议");
    json_t *tl = json_object_get(c, "timeline");
    assert_string_equal(S(json_array_get(tl, json_array_size(tl) - 1), "action"), "concur");
    json_decref(c);
    /* its opinion given, 司法局 has no more say */
    assert_int_equal(try_as(f, "approver-d06", id, (ow_case_action_in){.action = "forward"}),
                     OW_EFORBIDDEN);
    MUST(f, "demo-approver", id, .action = "forward");
    c = get(f, id);
    assert_string_equal(S(c, "current_step"), "决定");
    json_decref(c);
    MUST(f, "demo-approver", id, .action = "approve");
    c = get(f, id);
    assert_string_equal(S(c, "state"), "approved");
    json_decref(c);
}

static void any_denial_in_a_joint_step_decides(void **state) {
    fx *f = *state;
    const char *m[] = {"申请书"};
    int64_t id = submit(f, f->joint, m, 1, false);
    MUST(f, "demo-clerk", id, .action = "accept");
    MUST(f, "demo-approver", id, .action = "forward");
    assert_int_equal(try_as(f, "approver-d06", id, (ow_case_action_in){.action = "deny"}),
                     OW_EINVAL); /* a denial states its reason */
    MUST(f, "approver-d06", id, .action = "deny", .reason = "不符合司法行政管理规定");
    json_t *c = get(f, id);
    assert_string_equal(S(c, "state"), "denied");
    assert_string_equal(S(c, "result"), "denied");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "department"), "id")),
                     f->d06);
    json_t *j = modes(c, "joint");
    assert_string_equal(S(json_array_get(j, 0), "status"), "approved");
    assert_string_equal(S(json_array_get(j, 1), "status"), "denied");
    json_decref(c);

    /* the other way round: the open review is closed with the reason */
    id = submit(f, f->joint, m, 1, false);
    MUST(f, "demo-clerk", id, .action = "accept");
    MUST(f, "demo-approver", id, .action = "deny", .reason = "材料虚假");
    c = get(f, id);
    j = modes(c, "joint");
    assert_string_equal(S(json_array_get(j, 1), "status"), "closed");
    assert_non_null(strstr(S(json_array_get(j, 1), "opinion"), "不予同意"));
    json_decref(c);
}

/* Each department finds the case in its joint queue while its opinion is open; a
 * withdrawal (from review or suspended) closes every open review. */
static bool in_joint_queue(fx *f, const char *login, int64_t id) {
    as(f, login);
    json_t *q;
    assert_int_equal(ow_cases_joint_queue_json(&f->cx, &q), OW_OK);
    bool found = false;
    for (size_t i = 0; i < json_array_size(q); i++)
        if (json_integer_value(json_object_get(json_array_get(q, i), "id")) == id) found = true;
    json_decref(q);
    return found;
}

static void withdrawal_closes_the_joint_reviews(void **state) {
    fx *f = *state;
    const char *m[] = {"申请书"};
    int64_t id = submit(f, f->joint, m, 1, false);
    MUST(f, "demo-clerk", id, .action = "accept");
    assert_true(in_joint_queue(f, "demo-approver", id));
    assert_true(in_joint_queue(f, "approver-d06", id));
    MUST(f, "approver-d06", id, .action = "suspend", .reason = "现场勘验");
    MUST(f, "demo-citizen", id, .action = "withdraw", .reason = "不再申请");
    assert_false(in_joint_queue(f, "demo-approver", id));
    assert_false(in_joint_queue(f, "approver-d06", id));
    json_t *c = get(f, id);
    json_t *j = modes(c, "joint");
    for (size_t i = 0; i < json_array_size(j); i++) {
        assert_string_equal(S(json_array_get(j, i), "status"), "closed");
        assert_string_equal(S(json_array_get(j, i), "opinion"), "申请人已撤回申请");
    }
    json_decref(c);
}

/* A case the bulk demo seeder wrote straight into a joint step has no reviews: the
 * department whose queue it is in reviews it as an ordinary step, rather than nobody. */
static void joint_step_without_reviews_is_an_ordinary_step(void **state) {
    fx *f = *state;
    const char *m[] = {"申请书"};
    int64_t id = submit(f, f->joint, m, 1, false);
    MUST(f, "demo-clerk", id, .action = "accept");
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM case_reviews WHERE case_id = %lld", (long long)id);
    ow_err e = {0};
    assert_int_equal(ow_db_exec(f->db, sql, &e), OW_OK);
    /* 司法局 has no say without its review; 民政局, whose queue it is in, moves it on */
    assert_int_equal(try_as(f, "approver-d06", id, (ow_case_action_in){.action = "forward"}),
                     OW_ENOTFOUND);
    MUST(f, "demo-approver", id, .action = "forward");
    json_t *c = get(f, id);
    assert_string_equal(S(c, "current_step"), "决定");
    json_decref(c);
}

/* ---------------- 告知承诺制 ---------------- */

static void false_commitment_revokes_the_decision_and_records_credit(void **state) {
    fx *f = *state;
    const char *m[] = {"申请书", "平面图"};
    /* an item without the commitment refuses it */
    as(f, "demo-citizen");
    const char *jm[] = {"申请书"};
    ow_case_apply_in in = {.item_id = f->joint, .materials = jm, .nmaterials = 1, .commitment = 1};
    int64_t id;
    bool created;
    assert_int_equal(ow_cases_submit(&f->cx, &in, &id, &created), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "commitment");

    id = submit(f, f->promised, m, 2, true);
    assert_int_equal(try_as(f, "demo-clerk", id, (ow_case_action_in){.action = "accept"}),
                     OW_ECONFLICT);
    assert_string_equal(f->cx.err.kind, "commitment_unconfirmed");
    as(f, "demo-citizen");
    assert_int_equal(ow_cases_commitment_confirm(&f->cx, id), OW_OK);
    MUST(f, "demo-clerk", id, .action = "accept"); /* without 场所证明 */
    /* the check comes after the decision */
    as(f, "demo-approver");
    assert_int_equal(ow_cases_commitment_check(&f->cx, id, "fail", "不实"), OW_ECONFLICT);
    MUST(f, "demo-approver", id, .action = "approve");
    json_t *c = get(f, id);
    assert_string_equal(S(modes(c, "commitment"), "check_due"), "2026-12-07");
    json_decref(c);
    /* only the deciding department records it, with notes */
    as(f, "approver-d06");
    assert_int_equal(ow_cases_commitment_check(&f->cx, id, "fail", "不实"), OW_ENOTFOUND);
    as(f, "demo-approver");
    assert_int_equal(ow_cases_commitment_check(&f->cx, id, "fail", ""), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "notes");
    ow_err_clear(&f->cx.err);
    assert_int_equal(ow_cases_commitment_check(&f->cx, id, "fail", "现场无经营场所"), OW_OK);
    c = get(f, id);
    assert_string_equal(S(c, "state"), "concluded");
    assert_string_equal(S(c, "result"), "revoked");
    assert_string_equal(S(json_object_get(modes(c, "commitment"), "check"), "result"), "fail");
    json_t *tl = json_object_get(c, "timeline");
    json_t *last = json_array_get(tl, json_array_size(tl) - 1);
    assert_string_equal(S(last, "action"), "revoke");
    json_decref(c);
    /* the credit record, against the applicant's number */
    as(f, "demo-supervisor");
    json_t *items;
    int64_t total;
    assert_int_equal(ow_cases_credit_json(&f->cx, NULL, NULL, 1, 20, &items, &total), OW_OK);
    assert_int_equal(total, 1);
    assert_string_equal(S(json_array_get(items, 0), "kind"), "false_commitment");
    assert_non_null(strstr(S(json_array_get(items, 0), "note"), "现场无经营场所"));
    json_decref(items);
    as(f, "demo-citizen");
    assert_int_equal(ow_cases_credit_json(&f->cx, NULL, NULL, 1, 20, &items, &total),
                     OW_EFORBIDDEN);
    /* checked once */
    as(f, "demo-approver");
    assert_int_equal(ow_cases_commitment_check(&f->cx, id, "pass", "复查"), OW_ECONFLICT);
}

/* ---------------- 容缺受理 ---------------- */

static void owed_material_holds_the_decision_and_lights_past_due(void **state) {
    fx *f = *state;
    on(f, "2026-11-23");
    const char *m[] = {"申请书", "场所证明"};
    int64_t id = submit(f, f->promised, m, 2, false);
    const char *owe[] = {"平面图"}, *not_owed[] = {"场所证明"};
    /* only what the item allows, with a period */
    assert_int_equal(try_as(f, "demo-clerk", id,
                            (ow_case_action_in){
                                .action = "accept", .owed = not_owed, .nowed = 1, .owed_days = 3}),
                     OW_EINVAL);
    assert_int_equal(try_as(f, "demo-clerk", id,
                            (ow_case_action_in){.action = "accept", .owed = owe, .nowed = 1}),
                     OW_EINVAL);
    assert_string_equal(f->cx.err.field, "owed_days");
    /* without the owed material nothing else is missing: accepted */
    MUST(f, "demo-clerk", id, .action = "accept", .owed = owe, .nowed = 1, .owed_days = 3);
    json_t *c = get(f, id);
    json_t *o = json_array_get(modes(c, "owed"), 0);
    assert_string_equal(S(o, "due"), "2026-11-26");
    assert_false(json_is_true(json_object_get(o, "overdue")));
    assert_true(json_is_string(json_object_get(o, "reminded_at")));
    json_decref(c);
    assert_int_equal(try_as(f, "demo-approver", id, (ow_case_action_in){.action = "approve"}),
                     OW_ECONFLICT);
    assert_string_equal(f->cx.err.kind, "materials_owed");
    /* past its due date: red */
    on(f, "2026-11-27");
    as(f, "demo-supervisor");
    json_t *alerts;
    assert_int_equal(ow_cases_mode_alerts_json(&f->cx, &alerts), OW_OK);
    bool lit = false;
    for (size_t i = 0; i < json_array_size(alerts); i++)
        if (json_integer_value(json_object_get(json_array_get(alerts, i), "case_id")) == id)
            lit = !strcmp(S(json_array_get(alerts, i), "kind"), "owed");
    assert_true(lit);
    json_decref(alerts);
    c = get(f, id);
    assert_string_equal(json_string_value(json_array_get(modes(c, "alerts"), 0)), "owed_overdue");
    json_decref(c);
    /* handed in at the window: cleared, and the decision can be made */
    as(f, "demo-clerk");
    assert_int_equal(ow_cases_owed_receive(&f->cx, id, "平面图"), OW_OK);
    assert_int_equal(ow_cases_owed_receive(&f->cx, id, "平面图"), OW_ECONFLICT);
    c = get(f, id);
    assert_int_equal(json_array_size(modes(c, "alerts")), 0);
    json_decref(c);
    MUST(f, "demo-approver", id, .action = "approve");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(modes_that_do_not_fit_the_item_are_refused),
        cmocka_unit_test(joint_step_moves_on_when_every_department_agreed),
        cmocka_unit_test(any_denial_in_a_joint_step_decides),
        cmocka_unit_test(joint_step_without_reviews_is_an_ordinary_step),
        cmocka_unit_test(withdrawal_closes_the_joint_reviews),
        cmocka_unit_test(false_commitment_revokes_the_decision_and_records_credit),
        cmocka_unit_test(owed_material_holds_the_decision_and_lights_past_due),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
