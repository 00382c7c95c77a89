/* test_bundle.c — one-thing bundles (src/bundle): the rule a child's end applies to its
 * siblings, the application's state from its children's, and on the demo district and
 * catalog (the real calendar, the clock fixed) the 企业开办一件事 end to end: the business
 * licence issued by the registration is attached to the four children waiting for it and
 * accepts them by itself; a denial of the registration under 'stop' terminates them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account/account.h"
#include "app/app.h"
#include "bundle/bundle.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "core/workdays.h"
#include "store/db.h"
#include "testdb.h"

/* ---------------- the pure rules ---------------- */

static void a_denial_under_stop_ends_every_sibling_under_continue_only_dependants(void **state) {
    (void)state;
    assert_true(ow_bundle_terminates("stop", true, false));
    assert_false(ow_bundle_terminates("continue", true, false));
    /* a child waiting for one that ended without its result can never get its material */
    assert_true(ow_bundle_terminates("continue", true, true));
    assert_true(ow_bundle_terminates("continue", false, true));
    /* a withdrawal is not a denial: under stop the independent siblings go on */
    assert_false(ow_bundle_terminates("stop", false, false));
}

static void the_state_follows_the_children(void **state) {
    (void)state;
    const char *open[] = {"review", "approved", "submitted"};
    assert_string_equal(ow_bundle_state_of(open, 3, false), "open");
    const char *ready[] = {"approved", "denied", "concluded"};
    assert_string_equal(ow_bundle_state_of(ready, 3, false), "ready");
    const char *done[] = {"concluded", "denied", "concluded"};
    assert_string_equal(ow_bundle_state_of(done, 3, false), "concluded");
    const char *none[] = {"denied", "refused", "withdrawn"};
    assert_string_equal(ow_bundle_state_of(none, 3, false), "terminated");
    /* stopped stays stopped, even with results still to hand out */
    const char *stopped[] = {"denied", "approved", "withdrawn"};
    assert_string_equal(ow_bundle_state_of(stopped, 3, true), "terminated");
    assert_string_equal(ow_bundle_state_name("ready"), "待领取");
    assert_string_equal(ow_bundle_state_name("terminated"), "已终止");
}

/* ---------------- on the demo district ---------------- */

typedef struct fx {
    char dir[64];
    ow_app app;
    ow_db *db;
    ow_arena *arena;
    ow_ctx cx;
    ow_clock clock;
    int64_t bundle; /* 企业开办一件事 */
} fx;

static int64_t one_id(fx *f, const char *sql, const char *arg) {
    ow_err e = {0};
    ow_stmt *st = ow_db_stmt(f->db, sql, &e);
    assert_non_null(st);
    ow_bind_text(st, 1, arg);
    int64_t id = ow_step(st) == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    if (!id) fail_msg("no row for %s", arg);
    return id;
}

static void as_user(fx *f, const char *username) {
    ow_err e = {0};
    ow_stmt *st = ow_db_stmt(
        f->db, "SELECT id, kind, role, coalesce(org_id, 0), name FROM users WHERE username = ?",
        &e);
    assert_non_null(st);
    ow_bind_text(st, 1, username);
    assert_int_equal(ow_step(st), OW_ROW);
    memset(&f->cx.actor, 0, sizeof f->cx.actor);
    f->cx.actor.user_id = ow_col_int64(st, 0);
    snprintf(f->cx.actor.kind, sizeof f->cx.actor.kind, "%s", ow_db_text(st, 1));
    snprintf(f->cx.actor.role, sizeof f->cx.actor.role, "%s", ow_db_text(st, 2));
    f->cx.actor.org_id = ow_col_int64(st, 3);
    snprintf(f->cx.actor.name, sizeof f->cx.actor.name, "%s", ow_db_text(st, 4));
    snprintf(f->cx.actor.username, sizeof f->cx.actor.username, "%s", username);
    ow_reset(st);
    memset(&f->cx.err, 0, sizeof f->cx.err);
}

static void as_system(fx *f) {
    memset(&f->cx.actor, 0, sizeof f->cx.actor);
    f->cx.actor.system = true;
    memset(&f->cx.err, 0, sizeof f->cx.err);
}

static void ok(fx *f, int rc) {
    if (rc) fail_msg("%d %s/%s: %s", rc, f->cx.err.kind, f->cx.err.field, f->cx.err.message);
}

/* An approver of the registration's department (市场监管, D19). */
static void add_approver(fx *f, const char *username, const char *org) {
    as_system(f);
    ow_staff_in in = {.username = username,
                      .name = "审批员",
                      .role = "approver",
                      .mobile = "13807379901",
                      .password = "Demo@2026"};
    in.org_id = one_id(f, "SELECT id FROM orgs WHERE code = ?", org);
    char norm[12];
    int64_t uid;
    ok(f, ow_account_staff_check(&f->cx, &in, norm));
    ok(f, ow_account_staff_insert(&f->cx, &in, norm, "$argon2id$test", &uid));
}

static int setup(void **state) {
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-bundle-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    ow_config cfg;
    ow_config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", f->dir);
    snprintf(cfg.demo_dir, sizeof cfg.demo_dir, "%s/data/demo", OW_SOURCE_DIR);
    assert_int_equal(ow_test_database(&cfg), 0);
    ow_app_init(&f->app, &cfg);
    ow_bundle_setup(&f->app);
    ow_err e = {0};
    assert_int_equal(ow_app_load_keys(&f->app, true, &e), OW_OK);
    f->app.calendar = ow_cal_new();
    char cal[512];
    snprintf(cal, sizeof cal, "%s/data/calendar", OW_SOURCE_DIR);
    assert_int_equal(ow_cal_load_dir(f->app.calendar, cal, &e), OW_OK);
    assert_int_equal(ow_db_open(f->app.db_path, OW_DB_WRITE, &f->db, &e), OW_OK);
    int applied;
    assert_int_equal(ow_db_migrate(f->db, &applied, &e), OW_OK);
    f->arena = ow_arena_new(1 << 16);
    ow_ctx_init_system(&f->cx, &f->app, f->db, f->arena);
    f->cx.clock = &f->clock;
    /* Tuesday 24 November 2026, 09:00 in Shanghai */
    f->clock.fixed_ms = ((int64_t)ow_date_from_ymd(2026, 11, 24) * 86400 + 3600) * 1000;
    ok(f, ow_account_demo_seed(&f->cx, cfg.demo_dir));
    ok(f, ow_catalog_demo_seed(&f->cx, cfg.demo_dir));
    ok(f, ow_bundle_demo_seed(&f->cx));
    f->bundle = one_id(f, "SELECT id FROM bundles WHERE name = ?", "企业开办一件事");
    add_approver(f, "test-d19", "D19");
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fx *f = *state;
    ow_db_close(f->db);
    ow_arena_free(f->arena);
    ow_app_close(&f->app);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (system(cmd)) fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

/* demo-enterprise applies for 企业开办一件事 with every field and material. */
static int64_t apply(fx *f) {
    as_user(f, "demo-enterprise");
    json_t *in = json_pack(
        "{s:{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s},s:[s,s,s,s,s,s,s,s,s]}", "form", "company_name",
        "益阳市赫山区满园农产品有限公司", "legal_rep", "刘满园", "reg_capital", "100", "address",
        "赫山区龙岭工业园8号", "mobile", "13807371234", "tax_contact", "刘满园", "staff_count", "6",
        "seal_count", "3", "materials", "《公司登记（备案）申请书》", "公司章程",
        "股东主体资格证明", "法定代表人、董事、监事和经理的任职文件", "住所使用证明",
        "《公章刻制备案申请表》", "《税务登记信息确认申请表》",
        "《职工基本养老保险参保登记申请表》", "《住房公积金单位缴存登记申请表》");
    int64_t id;
    bool created;
    ok(f, ow_bundle_apply(&f->cx, f->bundle, in, &id, &created));
    json_decref(in);
    assert_true(created);
    return id;
}

static json_t *view(fx *f, int64_t id) {
    as_system(f);
    json_t *o;
    ok(f, ow_bundle_app_json(&f->cx, id, &o));
    return o;
}

static const char *child_state(json_t *a, int i) {
    return json_string_value(
        json_object_get(json_array_get(json_object_get(a, "children"), i), "state"));
}

static int64_t child_case(json_t *a, int i) {
    return json_integer_value(
        json_object_get(json_array_get(json_object_get(a, "children"), i), "case_id"));
}

static void the_licence_feeds_the_waiting_children_by_itself(void **state) {
    fx *f = *state;
    int64_t id = apply(f);
    json_t *a = view(f, id);
    assert_string_equal(json_string_value(json_object_get(a, "state")), "open");
    assert_int_equal(json_array_size(json_object_get(a, "children")), 5);
    int64_t reg = child_case(a, 0);
    /* the window cannot take a waiting child in */
    as_user(f, "demo-clerk");
    ow_case_action_in acc = {.action = "accept"};
    assert_int_equal(ow_cases_transition(&f->cx, child_case(a, 1), &acc), OW_ECONFLICT);
    memset(&f->cx.err, 0, sizeof f->cx.err);
    int n;
    ok(f, ow_bundle_accept(&f->cx, id, &n));
    assert_int_equal(n, 1); /* only the registration: the others wait for its licence */
    as_user(f, "test-d19");
    ow_case_action_in approve = {.action = "approve"};
    ok(f, ow_cases_transition(&f->cx, reg, &approve));
    json_decref(a);
    a = view(f, id);
    for (int i = 1; i < 5; i++) {
        const json_t *k = json_array_get(json_object_get(a, "children"), (size_t)i);
        assert_true(json_is_true(json_object_get(k, "license_fed")));
        assert_string_equal(child_state(a, i), "review");
    }
    assert_string_equal(child_state(a, 0), "approved");
    json_decref(a);
}

static void a_denied_registration_under_stop_terminates_the_rest(void **state) {
    fx *f = *state;
    int64_t id = apply(f);
    json_t *a = view(f, id);
    int64_t reg = child_case(a, 0);
    json_decref(a);
    as_user(f, "demo-clerk");
    int n;
    ok(f, ow_bundle_accept(&f->cx, id, &n));
    as_user(f, "test-d19");
    ow_case_action_in deny = {.action = "deny", .reason = "名称与已登记企业近似，不予核准"};
    ok(f, ow_cases_transition(&f->cx, reg, &deny));
    a = view(f, id);
    assert_string_equal(json_string_value(json_object_get(a, "state")), "terminated");
    assert_non_null(strstr(json_string_value(json_object_get(a, "stop_reason")), "整件终止"));
    assert_string_equal(child_state(a, 0), "denied");
    for (int i = 1; i < 5; i++)
        assert_string_equal(child_state(a, i), "withdrawn");
    json_decref(a);
}

static void a_repeated_key_answers_the_first_application(void **state) {
    fx *f = *state;
    as_user(f, "demo-citizen");
    int64_t birth = one_id(f, "SELECT id FROM bundles WHERE name = ?", "出生一件事");
    json_t *in =
        json_pack("{s:s,s:{s:s,s:s,s:s,s:s,s:s},s:[s,s,s,s]}", "idempotency_key", "k-1", "form",
                  "child_name", "王小禾", "child_gender", "女", "birth_date", "2026-11-20",
                  "birth_cert_no", "R430001234", "address", "赫山区桃花仑街道", "materials",
                  "出生医学证明", "父母双方居民户口簿", "父母双方居民身份证", "近期免冠彩色照片");
    int64_t a, b;
    bool created;
    ok(f, ow_bundle_apply(&f->cx, birth, in, &a, &created));
    assert_true(created);
    ok(f, ow_bundle_apply(&f->cx, birth, in, &b, &created));
    assert_false(created);
    assert_int_equal(a, b);
    /* a field the form does not ask names itself */
    json_object_set_new(json_object_get(in, "form"), "shoe_size", json_string("38"));
    json_object_set_new(in, "idempotency_key", json_string("k-2"));
    assert_int_equal(ow_bundle_apply(&f->cx, birth, in, &b, &created), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "form.shoe_size");
    json_decref(in);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_denial_under_stop_ends_every_sibling_under_continue_only_dependants),
        cmocka_unit_test(the_state_follows_the_children),
        cmocka_unit_test_setup_teardown(the_licence_feeds_the_waiting_children_by_itself, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_denied_registration_under_stop_terminates_the_rest, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_repeated_key_answers_the_first_application, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
