/* test_assessment.c — the assessment's scoring rules against hand-computed score sheets
 * (src/assessment/rules.c), its periods, and a sheet computed from hand-made figures that
 * stays as published when the data changes (src/assessment/sheet.c).
 *
 * Hand-computed sheets (weight, figure → points):
 *   rate   full at 100 %, zero at 80 %, weight 20: 31/32 = 96.875 % → 20 × 16.875/20 = 16.88
 *          (0.96875 − 0.8) / 0.2 = 0.84375 → 16.875 → 16.88; 15/20 = 75 % → 0
 *   tiers  ≥98 % 100 %, ≥95 % 80 %, ≥90 % 50 %, weight 20: 19/20 = 95 % → 16; 38/39 = 97.44 %
 *          → 16; 9/10 → 10; 8/10 → 0
 *   deduct 2 a case, weight 10: 3 cases → 4; 7 cases → 0 (not below)
 *   target 2 a month, weight 5, a quarter with 2 months begun: 3 → 5 × 3/4 = 3.75; 9 → 5
 *   manual start full, weight 10: −2.5 → 7.5; +3 → 10 (not above); from zero: +1.5 → 1.5 */
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
#include "assessment/assessment.h"
#include "core/workdays.h"
#include "store/assessment_store.h"
#include "store/db.h"
#include "testdb.h"

static double score_of(const char *rule, const char *params, bool rate, double weight, int64_t num,
                       int64_t den, double value, int months) {
    json_t *p = json_loads(params, 0, NULL);
    ow_assess_rule r;
    ow_err e = {0};
    int rc = ow_assess_rule_parse(rule, p, rate, &r, &e, "indicators[0]");
    json_decref(p);
    if (rc) fail_msg("rule %s %s: %s (%s)", rule, params, e.message, e.field);
    ow_assess_figure f = {.has_data = !rate || den > 0,
                          .num = num,
                          .den = den,
                          .value = rate ? (den ? (double)num / (double)den : 0) : value};
    char note[160];
    return ow_assess_score(&r, weight, &f, months, note, sizeof note);
}

static void rate_rule_is_linear_between_the_lines(void **state) {
    (void)state;
    const char *p = "{\"full_at\":1,\"zero_at\":0.8}";
    assert_float_equal(score_of("rate", p, true, 20, 31, 32, 0, 1), 16.88, 1e-9);
    assert_float_equal(score_of("rate", p, true, 20, 15, 20, 0, 1), 0, 1e-9);
    assert_float_equal(score_of("rate", p, true, 20, 20, 20, 0, 1), 20, 1e-9);
    /* no case concluded: full weight by default, nothing when the scheme says so */
    assert_float_equal(score_of("rate", p, true, 20, 0, 0, 0, 1), 20, 1e-9);
    assert_float_equal(score_of("rate", "{\"empty_full\":false}", true, 20, 0, 0, 0, 1), 0, 1e-9);
}

static void tiers_rule_takes_the_first_tier_reached(void **state) {
    (void)state;
    const char *p = "{\"tiers\":[{\"min\":0.98,\"pct\":100},{\"min\":0.95,\"pct\":80},"
                    "{\"min\":0.9,\"pct\":50}]}";
    assert_float_equal(score_of("tiers", p, true, 20, 19, 20, 0, 1), 16, 1e-9); /* exactly 95 % */
    assert_float_equal(score_of("tiers", p, true, 20, 38, 39, 0, 1), 16, 1e-9);
    assert_float_equal(score_of("tiers", p, true, 20, 49, 50, 0, 1), 20, 1e-9);
    assert_float_equal(score_of("tiers", p, true, 20, 9, 10, 0, 1), 10, 1e-9);
    assert_float_equal(score_of("tiers", p, true, 20, 8, 10, 0, 1), 0, 1e-9);
}

static void deduct_rule_stops_at_zero(void **state) {
    (void)state;
    assert_float_equal(score_of("deduct", "{\"per\":2}", false, 10, 3, 3, 3, 1), 4, 1e-9);
    assert_float_equal(score_of("deduct", "{\"per\":2}", false, 10, 7, 7, 7, 1), 0, 1e-9);
    assert_float_equal(score_of("deduct", "{\"per\":2}", false, 10, 0, 0, 0, 1), 10, 1e-9);
}

static void target_rule_counts_months_begun(void **state) {
    (void)state;
    const char *p = "{\"target\":2,\"per_month\":true}";
    assert_float_equal(score_of("target", p, false, 5, 3, 3, 3, 2), 3.75, 1e-9);
    assert_float_equal(score_of("target", p, false, 5, 9, 9, 9, 2), 5, 1e-9);
    assert_float_equal(
        score_of("target", "{\"target\":6,\"per_month\":false}", false, 5, 3, 3, 3, 2), 2.5, 1e-9);
}

static void manual_rule_adds_points_within_the_weight(void **state) {
    (void)state;
    assert_float_equal(score_of("manual", "{\"start_full\":true}", false, 10, 1, 1, -2.5, 1), 7.5,
                       1e-9);
    assert_float_equal(score_of("manual", "{\"start_full\":true}", false, 10, 1, 1, 3, 1), 10,
                       1e-9);
    assert_float_equal(score_of("manual", "{\"start_full\":false}", false, 3, 2, 2, 1.5, 1), 1.5,
                       1e-9);
    assert_float_equal(score_of("manual", "{\"start_full\":false}", false, 3, 1, 1, -1, 1), 0,
                       1e-9);
}

static void rules_refuse_bad_parameters_naming_the_field(void **state) {
    (void)state;
    ow_assess_rule r;
    ow_err e = {0};
    json_t *p = json_loads("{\"full_at\":0.8,\"zero_at\":0.9}", 0, NULL);
    assert_int_equal(ow_assess_rule_parse("rate", p, true, &r, &e, "indicators[1]"), OW_EINVAL);
    assert_string_equal(e.field, "indicators[1].params.zero_at");
    json_decref(p);
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_assess_rule_parse("deduct", NULL, false, &r, &e, "indicators[0]"),
                     OW_EINVAL);
    assert_string_equal(e.field, "indicators[0].params.per");
    memset(&e, 0, sizeof e);
    /* a count cannot be scored as a rate, nor a rate by deduction */
    assert_int_equal(ow_assess_rule_parse("rate", NULL, false, &r, &e, "indicators[2]"), OW_EINVAL);
    assert_string_equal(e.field, "indicators[2].rule");
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_assess_rule_parse("deduct", NULL, true, &r, &e, "indicators[2]"),
                     OW_EINVAL);
    p = json_loads("{\"tiers\":[{\"min\":0.9,\"pct\":50},{\"min\":0.95,\"pct\":80}]}", 0, NULL);
    memset(&e, 0, sizeof e);
    assert_int_equal(ow_assess_rule_parse("tiers", p, true, &r, &e, "x"), OW_EINVAL);
    assert_string_equal(e.field, "x.params.tiers[1].min");
    json_decref(p);
}

static int32_t D(const char *s) {
    int32_t d = 0;
    if (ow_date_parse(s, &d)) fail_msg("bad date %s", s);
    return d;
}

static void periods_and_cutoffs(void **state) {
    (void)state;
    ow_assess_period p;
    ow_err e = {0};
    int32_t today = D("2026-11-24");
    assert_int_equal(ow_assess_period_parse("2026-Q3", NULL, today, &p, &e), OW_OK);
    assert_int_equal(p.from, D("2026-07-01"));
    assert_int_equal(p.to, D("2026-09-30"));
    assert_int_equal(p.end, D("2026-09-30"));
    assert_int_equal(p.months, 3);
    /* the running quarter is cut at today: October and November begun */
    assert_int_equal(ow_assess_period_parse("2026-Q4", NULL, today, &p, &e), OW_OK);
    assert_int_equal(p.end, today);
    assert_int_equal(p.months, 2);
    assert_int_equal(ow_assess_period_parse("2026-02", "2026-02-15", today, &p, &e), OW_OK);
    assert_int_equal(p.end, D("2026-02-15"));
    assert_int_equal(ow_assess_period_parse("2026", NULL, today, &p, &e), OW_OK);
    assert_int_equal(p.months, 11);
    assert_int_equal(ow_assess_period_parse("2026-Q5", NULL, today, &p, &e), OW_EINVAL);
    assert_string_equal(e.field, "period");
    assert_int_equal(ow_assess_period_parse("2026-10", "2026-11-01", today, &p, &e), OW_EINVAL);
    assert_string_equal(e.field, "cutoff");
    assert_int_equal(ow_assess_period_parse("2026-11", "2026-11-30", today, &p, &e), OW_EINVAL);
    assert_int_equal(ow_assess_period_parse("2027-01", NULL, today, &p, &e), OW_EINVAL);
}

/* ---- a sheet from hand-made figures ---- */

typedef struct fx {
    char dir[64];
    ow_app app;
    ow_db *db;
    ow_arena *arena;
    ow_ctx cx;
    ow_clock clock;
} fx;

static int setup(void **state) {
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-assess-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    ow_config cfg;
    ow_config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", f->dir);
    assert_int_equal(ow_test_database(&cfg), 0);
    ow_app_init(&f->app, &cfg);
    ow_err e = {0};
    assert_int_equal(ow_app_load_keys(&f->app, true, &e), OW_OK);
    assert_int_equal(ow_db_open(f->app.db_path, OW_DB_WRITE, &f->db, &e), OW_OK);
    int applied;
    assert_int_equal(ow_db_migrate(f->db, &applied, &e), OW_OK);
    f->arena = ow_arena_new(1 << 16);
    ow_ctx_init_system(&f->cx, &f->app, f->db, f->arena);
    char demo[512];
    snprintf(demo, sizeof demo, "%s/data/demo", OW_SOURCE_DIR);
    assert_int_equal(ow_account_demo_seed(&f->cx, demo), OW_OK);
    f->clock.fixed_ms = ((int64_t)D("2026-11-24") * 86400 + 3600) * 1000;
    f->cx.clock = &f->clock;
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
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static int64_t org(fx *f, const char *code) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id FROM orgs WHERE code = '%s'", code);
    ow_err e = {0};
    ow_stmt *st = ow_db_prepare(f->db, sql, &e);
    assert_non_null(st);
    assert_int_equal(ow_step(st), OW_ROW);
    int64_t id = ow_col_int64(st, 0);
    ow_stmt_free(st);
    return id;
}

static void exec(fx *f, const char *sql) {
    ow_err e = {0};
    if (ow_db_exec(f->db, sql, &e)) fail_msg("%s: %s", sql, e.message);
}

/* A concluded case of a department: decided on `decided`, due `due` (day numbers). */
static void fact(fx *f, int64_t id, int64_t dept, const char *state, const char *decided,
                 const char *due) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO case_facts(case_id, item_id, dept_id, intake_org_id, intake_scope_id,"
             " channel, state, received_date, accepted_date, clock_start, decided_date,"
             " concluded_date, due_committed) VALUES(%lld, 1, %lld, 1, 1, 1, '%s', %d, %d, %d,"
             " %d, %d, %d)",
             (long long)id, (long long)dept, state, D(decided) - 10, D(decided) - 10,
             D(decided) - 10, D(decided), D(decided), D(due));
    exec(f, sql);
}

static void published_sheet_keeps_its_figures_when_the_data_changes(void **state) {
    fx *f = *state;
    int64_t d05 = org(f, "D05"), d08 = org(f, "D08");
    /* D05 in the third quarter: 4 concluded, 1 decided after its due date → 3/4 = 75 %;
     * D08: 2 of 2 on time */
    fact(f, 1, d05, "concluded", "2026-07-10", "2026-07-15");
    fact(f, 2, d05, "concluded", "2026-08-03", "2026-08-01");
    fact(f, 3, d05, "denied", "2026-08-20", "2026-08-20");
    fact(f, 4, d05, "concluded", "2026-09-30", "2026-10-09");
    fact(f, 5, d08, "concluded", "2026-07-01", "2026-07-02");
    fact(f, 6, d08, "concluded", "2026-09-01", "2026-09-02");
    /* one of D05's cases concluded in October does not count in the quarter */
    fact(f, 7, d05, "concluded", "2026-10-09", "2026-10-08");
    json_t *in = json_loads(
        "{\"year\":2026,\"unit_kind\":\"department\",\"name\":\"测试方案\",\"indicators\":["
        "{\"name\":\"按时办结率\",\"metric\":\"on_time_rate\",\"rule\":\"rate\",\"weight\":60,"
        "\"params\":{\"full_at\":1,\"zero_at\":0.5}},"
        "{\"name\":\"作风\",\"metric\":\"manual\",\"rule\":\"manual\",\"weight\":40,"
        "\"params\":{\"start_full\":true}}]}",
        0, NULL);
    int64_t id;
    assert_int_equal(ow_assess_scheme_create(&f->cx, in, &id), OW_OK);
    json_decref(in);
    assert_int_equal(ow_assess_scheme_transition(&f->cx, id, "issue"), OW_OK);
    ow_assess_scheme sc;
    assert_int_equal(ow_assess_scheme_load(&f->cx, id, &sc), OW_OK);
    /* −4 points to D05 on 2026-08-15 for 作风 */
    char adj[256];
    snprintf(adj, sizeof adj,
             "{\"scheme_id\":%lld,\"indicator_id\":%lld,\"org_id\":%lld,\"date\":\"2026-08-15\","
             "\"points\":-4,\"reason\":\"窗口人员脱岗被通报\"}",
             (long long)id, (long long)sc.ind[1].id, (long long)d05);
    in = json_loads(adj, 0, NULL);
    int64_t aid;
    assert_int_equal(ow_assess_adjustment_add(&f->cx, in, &aid), OW_OK);
    json_decref(in);

    ow_assess_sheet *s;
    assert_int_equal(ow_assess_compute(&f->cx, id, "2026-Q3", NULL, &s), OW_OK);
    const ow_assess_unit *u = NULL, *v = NULL;
    for (int i = 0; i < s->nunits; i++) {
        if (s->units[i].org_id == d05) u = &s->units[i];
        if (s->units[i].org_id == d08) v = &s->units[i];
    }
    assert_non_null(u);
    assert_non_null(v);
    /* D05: 3/4 → 60 × (0.75 − 0.5)/0.5 = 30; 作风 40 − 4 = 36; total 66 */
    assert_int_equal(u->fig[0].num, 3);
    assert_int_equal(u->fig[0].den, 4);
    assert_float_equal(u->score[0], 30, 1e-9);
    assert_float_equal(u->score[1], 36, 1e-9);
    assert_float_equal(u->total, 66, 1e-9);
    assert_float_equal(v->total, 100, 1e-9);
    /* every department without cases has the full 100: D05 is last, alone */
    assert_int_equal(u->rank, s->nunits);
    assert_int_equal(v->rank, 1);

    int64_t sheet;
    assert_int_equal(ow_assess_publish(&f->cx, s, NULL, &sheet), OW_OK);
    /* the late case turns out on time (its due date corrected) */
    exec(f, "UPDATE case_facts SET due_committed = due_committed + 5 WHERE case_id = 2");
    ow_assess_sheet *now;
    assert_int_equal(ow_assess_compute(&f->cx, id, "2026-Q3", NULL, &now), OW_OK);
    for (int i = 0; i < now->nunits; i++)
        if (now->units[i].org_id == d05) assert_float_equal(now->units[i].total, 96, 1e-9);
    ow_assess_sheet *kept;
    assert_int_equal(ow_assess_sheet_load(&f->cx, sheet, &kept), OW_OK);
    for (int i = 0; i < kept->nunits; i++)
        if (kept->units[i].org_id == d05) {
            assert_float_equal(kept->units[i].total, 66, 1e-9);
            assert_int_equal(kept->units[i].fig[0].num, 3);
            assert_int_equal(kept->units[i].fig[0].den, 4);
        }
    /* publishing the period again needs a reason, and makes version 2 the current one */
    int64_t again;
    assert_int_equal(ow_assess_publish(&f->cx, now, NULL, &again), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "note");
    assert_int_equal(ow_assess_publish(&f->cx, now, "更正第二件办件的承诺期限", &again), OW_OK);
    assert_int_equal(now->version, 2);
    assert_int_equal(ow_assess_sheet_load(&f->cx, sheet, &kept), OW_OK);
    assert_false(kept->is_current);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rate_rule_is_linear_between_the_lines),
        cmocka_unit_test(tiers_rule_takes_the_first_tier_reached),
        cmocka_unit_test(deduct_rule_stops_at_zero),
        cmocka_unit_test(target_rule_counts_months_begun),
        cmocka_unit_test(manual_rule_adds_points_within_the_weight),
        cmocka_unit_test(rules_refuse_bad_parameters_naming_the_field),
        cmocka_unit_test(periods_and_cutoffs),
        cmocka_unit_test_setup_teardown(published_sheet_keeps_its_figures_when_the_data_changes,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
