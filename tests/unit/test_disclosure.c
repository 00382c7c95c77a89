/* test_disclosure.c — the legal clock of information requests (src/disclosure/rules.c)
 * on hand-checked dates around holidays, the fees, the outcome table, and one request
 * carried through the domain functions against a real database.
 *
 * Dates worked out by hand from data/calendar (W = working day, H = holiday,
 * 调 = adjusted working weekend, S = ordinary weekend):
 *
 * A. Plain reply, received Mon 2025-09-22 (National Day 2025: 9-28 Sun 调, 10-01…10-08 H,
 *    10-11 Sat 调): 9-23(1) 24(2) 25(3) 26(4) 28调(5) 29(6) 30(7) 10-09(8) 10(9) 11调(10)
 *    13(11) 14(12) 15(13) 16(14) 17(15) 20(16) 21(17) 22(18) 23(19) 24(20) → 2025-10-24.
 * B. Extended once: twenty more from 10-24: 27…31 (25), 11-03…07 (30), 10…14 (35),
 *    17…21 (40) → 2025-11-21.
 * C. Plain reply, received Tue 2026-02-10 (Spring Festival 2026: 2-14 Sat 调,
 *    2-15…2-23 H, 2-28 Sat 调): 2-11(1) 12(2) 13(3) 14调(4) 24(5) 25(6) 26(7) 27(8)
 *    28调(9) 3-02…06 (14) 09…13 (19) 16(20) → 2026-03-16.
 * D. Supplement: received 2026-02-10, may be asked up to the 7th working day after it,
 *    2-26 (2-11, 12, 13, 14调, 24, 25, 26).  Asked 2-12 with 10 working days to answer:
 *    2-13(1) 14调(2) 24(3) 25(4) 26(5) 27(6) 28调(7) 3-02(8) 03(9) 04(10) → 2026-03-04.
 *    Received Mon 2026-03-02: the period counts anew, 3-03…06 (4), 09…13 (9), 16…20
 *    (14), 23…27 (19), 30(20) → 2026-03-30; no due date while it is awaited.
 * E. Third party, received Mon 2026-04-13 (Labour Day 2026: 5-01…5-05 H, 5-09 Sat 调):
 *    plain 4-14…17 (4), 20…24 (9), 27…30 (13), 5-06(14) 07(15) 08(16) 09调(17) 11(18)
 *    12(19) 13(20) → 2026-05-13.  Consulted 4-20…4-24 (both days paused): 4-14…17 (4),
 *    27…30 (8), 5-06…09 (12), 11…15 (17), 18(18) 19(19) 20(20) → 2026-05-20.  The third
 *    party answers within 15 working days of 4-20: 21…24 (4), 27…30 (8), 5-06…09 (12),
 *    11(13) 12(14) 13(15) → 2026-05-13.
 * F. Fee notice 2025-09-30, 20 working days to pay: 10-09(1) 10(2) 11调(3) 13…17 (8)
 *    20…24 (13) 27…31 (18) 11-03(19) 11-04(20) → 2025-11-04. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "calendar/calendar.h"
#include "core/workdays.h"
#include "disclosure/disclosure.h"
#include "docs/docs.h"
#include "store/db.h"
#include "testdb.h"

static int32_t D(const char *s) {
    int32_t d = 0;
    if (ow_date_parse(s, &d) != OW_OK) fail_msg("bad date in test: %s", s);
    return d;
}

static void assert_date(int32_t got, const char *want) {
    char s[11];
    if (got == OW_DATE_NONE) fail_msg("expected %s, got no date", want);
    ow_date_format(got, s);
    if (strcmp(s, want)) fail_msg("expected %s, got %s", want, s);
}

static ow_calendar *load_cal(void) {
    ow_calendar *cal = ow_cal_new();
    ow_err e = {0};
    char dir[600];
    snprintf(dir, sizeof dir, "%s/data/calendar", OW_SOURCE_DIR);
    if (ow_cal_load_dir(cal, dir, &e)) fail_msg("calendar: %s", e.message);
    return cal;
}

static int32_t due(ow_calendar *cal, ow_dis_clock c) {
    ow_err e = {0};
    int32_t d;
    if (ow_dis_due(cal, &c, &d, &e)) fail_msg("due: %s", e.message);
    return d;
}

static ow_dis_clock plain(const char *received) {
    return (ow_dis_clock){.received = D(received),
                          .supplement_asked = OW_DATE_NONE,
                          .supplement_received = OW_DATE_NONE};
}

/* ---------------- receipt dates (Art. 31) ---------------- */

static void receipt_date_follows_the_channel(void **state) {
    (void)state;
    ow_err e = {0};
    int32_t out, a = D("2026-03-02"), b = D("2026-03-03"), c = D("2026-03-04");
    assert_int_equal(ow_dis_receipt_date("in_person", true, a, b, c, &out, &e), OW_OK);
    assert_date(out, "2026-03-02"); /* handed in */
    assert_int_equal(ow_dis_receipt_date("post", true, a, b, c, &out, &e), OW_OK);
    assert_date(out, "2026-03-03"); /* signed for */
    assert_int_equal(ow_dis_receipt_date("post", false, a, b, c, &out, &e), OW_OK);
    assert_date(out, "2026-03-04"); /* ordinary letter: confirmed with the applicant */
    assert_int_equal(ow_dis_receipt_date("online", true, a, b, c, &out, &e), OW_OK);
    assert_date(out, "2026-03-04"); /* both sides confirm */
    assert_int_equal(ow_dis_receipt_date("data_message", true, a, b, c, &out, &e), OW_OK);
    assert_date(out, "2026-03-04");
}

static void receipt_date_missing_for_the_channel_is_refused(void **state) {
    (void)state;
    ow_err e = {0};
    int32_t out;
    assert_int_equal(
        ow_dis_receipt_date("post", true, D("2026-03-02"), OW_DATE_NONE, D("2026-03-04"), &out, &e),
        OW_EINVAL);
    assert_string_equal(e.field, "received_date");
    assert_non_null(strstr(e.message, "签收日期"));
    assert_int_equal(ow_dis_receipt_date("online", true, D("2026-03-02"), D("2026-03-02"),
                                         OW_DATE_NONE, &out, &e),
                     OW_EINVAL);
    assert_int_equal(ow_dis_receipt_date("pigeon", true, 0, 0, 0, &out, &e), OW_EINVAL);
    assert_string_equal(e.field, "channel");
}

/* ---------------- the reply deadline ---------------- */

static void plain_reply_skips_national_day(void **state) {
    ow_calendar *cal = *state;
    assert_date(due(cal, plain("2025-09-22")), "2025-10-24");
}

static void plain_reply_skips_spring_festival_and_counts_adjusted_saturdays(void **state) {
    ow_calendar *cal = *state;
    assert_date(due(cal, plain("2026-02-10")), "2026-03-16");
}

static void extension_adds_twenty_working_days(void **state) {
    ow_calendar *cal = *state;
    ow_dis_clock c = plain("2025-09-22");
    c.extended = true;
    assert_date(due(cal, c), "2025-11-21");
}

static void supplement_must_be_asked_within_seven_working_days(void **state) {
    ow_calendar *cal = *state;
    ow_err e = {0};
    int32_t by;
    assert_int_equal(ow_dis_supplement_ask_by(cal, D("2026-02-10"), &by, &e), OW_OK);
    assert_date(by, "2026-02-26");
}

static void supplement_deadline_counts_working_days(void **state) {
    ow_calendar *cal = *state;
    ow_err e = {0};
    int32_t d;
    assert_int_equal(ow_dis_supplement_due(cal, D("2026-02-12"), 10, &d, &e), OW_OK);
    assert_date(d, "2026-03-04");
    assert_int_equal(ow_dis_supplement_due(cal, D("2026-02-12"), 0, &d, &e), OW_EINVAL);
    assert_string_equal(e.field, "supplement_workdays");
}

static void supplement_restarts_the_clock_from_its_receipt(void **state) {
    ow_calendar *cal = *state;
    ow_dis_clock c = plain("2026-02-10");
    c.supplement_asked = D("2026-02-12");
    assert_int_equal(due(cal, c), OW_DATE_NONE); /* awaited: the clock is stopped */
    c.supplement_received = D("2026-03-02");
    assert_date(due(cal, c), "2026-03-30");
    c.extended = true; /* an extension counts from the same new start */
    assert_date(due(cal, c), "2026-04-28");
}

static void third_party_consultation_is_not_counted(void **state) {
    ow_calendar *cal = *state;
    assert_date(due(cal, plain("2026-04-13")), "2026-05-13");
    ow_cal_pause p = {D("2026-04-20"), D("2026-04-24")};
    ow_dis_clock c = plain("2026-04-13");
    c.pauses = &p;
    c.npauses = 1;
    assert_date(due(cal, c), "2026-05-20");
    /* still consulting: the deadline is not known yet */
    p.end = OW_DATE_NONE;
    assert_int_equal(due(cal, c), OW_DATE_NONE);
    ow_err e = {0};
    int32_t tp;
    assert_int_equal(ow_dis_third_party_due(cal, D("2026-04-20"), &tp, &e), OW_OK);
    assert_date(tp, "2026-05-13");
}

static void a_pause_before_the_supplement_restart_does_not_count_twice(void **state) {
    ow_calendar *cal = *state;
    ow_cal_pause p = {D("2026-02-11"), D("2026-02-12")};
    ow_dis_clock c = plain("2026-02-10");
    c.supplement_asked = D("2026-02-12");
    c.supplement_received = D("2026-03-02");
    c.pauses = &p;
    c.npauses = 1;
    assert_date(due(cal, c), "2026-03-30");
}

static void fee_must_be_paid_within_twenty_working_days(void **state) {
    ow_calendar *cal = *state;
    ow_err e = {0};
    int32_t d;
    assert_int_equal(ow_dis_fee_due(cal, D("2025-09-30"), &d, &e), OW_OK);
    assert_date(d, "2025-11-04");
}

static void no_receipt_no_deadline(void **state) {
    ow_calendar *cal = *state;
    ow_dis_clock c = plain("2026-02-10");
    c.received = OW_DATE_NONE;
    assert_int_equal(due(cal, c), OW_DATE_NONE);
}

static void deadline_in_an_unloaded_year_is_an_error(void **state) {
    ow_calendar *cal = *state;
    ow_dis_clock c = plain("2100-12-20"); /* runs into 2101: neither loaded nor provisional */
    ow_err e = {0};
    int32_t d;
    assert_int_equal(ow_dis_due(cal, &c, &d, &e), OW_ENOTFOUND);
    /* into 2027: provisional, from the law (core/holiday_law.h).  Sun 2026-12-20 + 20
     * working days: 12-21…12-31 (9), 2027-01-01 元旦, 1-04…1-08 (14), 1-11…1-15 (19),
     * Mon 1-18 */
    c = plain("2026-12-20");
    assert_int_equal(ow_dis_due(cal, &c, &d, &e), OW_OK);
    assert_true(ow_cal_date_provisional(cal, d));
}

/* ---------------- lights ---------------- */

static const char *light(ow_calendar *cal, const char *state, const char *due_s,
                         const char *concluded, const char *today_s, int *left) {
    ow_err e = {0};
    const char *l;
    int n;
    if (ow_dis_light(cal, state, due_s ? D(due_s) : OW_DATE_NONE,
                     concluded ? D(concluded) : OW_DATE_NONE, D(today_s), &l, &n, &e))
        fail_msg("light: %s", e.message);
    if (left) *left = n;
    return l;
}

static void lights_follow_working_days_left(void **state) {
    ow_calendar *cal = *state;
    int left;
    assert_string_equal(light(cal, "processing", "2025-10-24", NULL, "2025-10-17", &left), "green");
    assert_int_equal(left, 5);
    assert_string_equal(light(cal, "processing", "2025-10-24", NULL, "2025-10-21", &left),
                        "yellow");
    assert_int_equal(left, 3);
    assert_string_equal(light(cal, "processing", "2025-10-24", NULL, "2025-10-24", &left),
                        "yellow");
    assert_int_equal(left, 0);
    assert_string_equal(light(cal, "processing", "2025-10-24", NULL, "2025-10-27", &left), "red");
    assert_int_equal(left, -1);
    /* the holiday week does not count toward "due soon" */
    assert_string_equal(light(cal, "processing", "2025-10-10", NULL, "2025-09-30", &left),
                        "yellow");
    assert_int_equal(left, 2);
    assert_string_equal(light(cal, "supplement", NULL, NULL, "2025-10-27", NULL), "paused");
    assert_string_equal(light(cal, "consulting", "2025-10-24", NULL, "2025-10-27", NULL), "paused");
    assert_string_equal(light(cal, "submitted", NULL, NULL, "2025-10-27", NULL), "new");
    assert_string_equal(light(cal, "replied", "2025-10-24", "2025-10-24", "2025-12-01", NULL),
                        "done");
    assert_string_equal(light(cal, "replied", "2025-10-24", "2025-10-27", "2025-12-01", NULL),
                        "late");
}

/* ---------------- fees ---------------- */

static void fee_by_count_is_progressive_per_request(void **state) {
    (void)state;
    assert_int_equal(ow_dis_fee_count_yuan(1), 0);
    assert_int_equal(ow_dis_fee_count_yuan(10), 0);
    assert_int_equal(ow_dis_fee_count_yuan(11), 100);
    assert_int_equal(ow_dis_fee_count_yuan(30), 100);
    assert_int_equal(ow_dis_fee_count_yuan(31), 200);
    assert_int_equal(ow_dis_fee_count_yuan(40), 200);
    assert_int_equal(ow_dis_fee_count_yuan(41), 300);
    assert_int_equal(ow_dis_fee_count_yuan(51), 400);
}

static void fee_by_pages_charges_each_band_only_for_its_pages(void **state) {
    (void)state;
    assert_int_equal(ow_dis_fee_pages_yuan(30), 0);
    assert_int_equal(ow_dis_fee_pages_yuan(31), 10);
    assert_int_equal(ow_dis_fee_pages_yuan(100), 700);  /* 70 × 10 */
    assert_int_equal(ow_dis_fee_pages_yuan(101), 720);  /* + 1 × 20 */
    assert_int_equal(ow_dis_fee_pages_yuan(200), 2700); /* 700 + 100 × 20 */
    assert_int_equal(ow_dis_fee_pages_yuan(201), 2740); /* + 1 × 40 */
    assert_int_equal(ow_dis_fee_pages_yuan(250), 4700); /* 2700 + 50 × 40 */
}

/* ---------------- outcomes ---------------- */

static void every_report_row_has_an_outcome_and_keys_are_unique(void **state) {
    (void)state;
    size_t n;
    const ow_dis_outcome *o = ow_dis_outcomes(&n);
    static const int subs[7] = {0, 0, 0, 8, 3, 5, 3}; /* sub-rows per group */
    for (int g = 1; g <= 6; g++) {
        for (int s = subs[g] ? 1 : 0; s <= subs[g]; s++) {
            bool found = false;
            for (size_t i = 0; i < n; i++)
                if (o[i].group == g && o[i].sub == s) found = true;
            if (!found) fail_msg("no outcome for group %d sub %d", g, s);
        }
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (!strcmp(o[i].key, o[j].key)) fail_msg("duplicate outcome %s", o[i].key);
    assert_string_equal(ow_dis_outcome_find("unavailable_not_ours")->title,
                        "非本机关政府信息告知书");
    assert_string_equal(ow_dis_outcome_find("not_handled_repeat")->title, "不予重复处理告知书");
    assert_null(ow_dis_outcome_find("nonsense"));
}

/* ---------------- docs ---------------- */

static void notice_renders_as_pdf_and_needs_a_title(void **state) {
    (void)state;
    const char *paras[] = {"第一段。", "第二段，较长的一段文字，用来检查换行是否正常工作。"};
    ow_doc_notice n = {.title = "测试告知书",
                       .issuer = "赫山区测试局",
                       .number = "赫测〔2026〕1号",
                       .recipient = "张三：",
                       .paragraphs = paras,
                       .nparagraphs = 2,
                       .sign_date = "2026年3月2日",
                       .qr_payload = "http://127.0.0.1/verify/ABC"};
    unsigned char *pdf;
    size_t len;
    ow_err e = {0};
    assert_int_equal(ow_docs_render_notice(&n, &pdf, &len, &e), OW_OK);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    free(pdf);
    n.title = "";
    assert_int_equal(ow_docs_render_notice(&n, &pdf, &len, &e), OW_EINVAL);
    assert_string_equal(e.field, "title");
}

/* ---------------- a request through the domain functions ---------------- */

typedef struct fx {
    char dir[64];
    ow_app app;
    ow_db *db;
    ow_arena *arena;
    ow_ctx cx;
    int64_t org;
} fx;

static void set_today(fx *f, const char *date) {
    /* 10:00 in Shanghai */
    f->app.clock.fixed_ms = (int64_t)D(date) * 86400000 + 2 * 3600000;
}

static int db_setup(void **state) {
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-disclosure-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    ow_config cfg;
    ow_config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", f->dir);
    snprintf(cfg.calendar_dir, sizeof cfg.calendar_dir, "%s/data/calendar", OW_SOURCE_DIR);
    if (ow_test_database(&cfg)) return -1;
    ow_app_init(&f->app, &cfg);
    ow_err e = {0};
    assert_int_equal(ow_app_load_keys(&f->app, true, &e), OW_OK);
    assert_int_equal(ow_db_open(f->app.db_path, OW_DB_WRITE, &f->db, &e), OW_OK);
    int applied;
    assert_int_equal(ow_db_migrate(f->db, &applied, &e), OW_OK);
    assert_int_equal(
        ow_db_exec(f->db,
                   "INSERT INTO orgs(id, kind, code, name, phone, created_at, updated_at)"
                   " VALUES(7, 'department', 'D07', '赫山区财政局', '0737-4222107', 0, 0)",
                   &e),
        OW_OK);
    f->org = 7;
    assert_int_equal(ow_calendar_load(&f->app, f->db, &e), OW_OK);
    f->arena = ow_arena_new(1 << 16);
    ow_ctx_init_system(&f->cx, &f->app, f->db, f->arena);
    *state = f;
    return 0;
}

static int db_teardown(void **state) {
    fx *f = *state;
    ow_db_close(f->db);
    ow_arena_free(f->arena);
    ow_calendar_unload(&f->app);
    ow_app_close(&f->app);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static json_t *get(fx *f, int64_t id) {
    json_t *o = NULL;
    if (ow_dis_request_get_json(&f->cx, id, &o)) fail_msg("get: %s", f->cx.err.message);
    return o;
}

static void act(fx *f, int64_t id, const char *action, const char *args_json) {
    json_t *a = json_loads(args_json, 0, NULL);
    assert_non_null(a);
    ow_err_clear(&f->cx.err);
    int rc = ow_dis_request_transition(&f->cx, id, action, a);
    json_decref(a);
    if (rc) fail_msg("%s: %s", action, f->cx.err.message);
}

static const char *jstr(json_t *o, const char *k) {
    return json_string_value(json_object_get(o, k));
}

static int64_t file_in_person(fx *f, const char *received) {
    ow_dis_request_in in = {.org_id = f->org,
                            .channel = "in_person",
                            .applicant_type = "person",
                            .name = "李四",
                            .id_number = "430903199003152317",
                            .mobile = "13907372001",
                            .content = "2025年部门预算",
                            .delivery = "pickup",
                            .received_date = received};
    int64_t id;
    if (ow_dis_request_file(&f->cx, &in, &id)) fail_msg("file: %s", f->cx.err.message);
    return id;
}

static void in_person_request_supplemented_then_partly_disclosed(void **state) {
    fx *f = *state;
    set_today(f, "2026-02-10");
    int64_t id = file_in_person(f, "2026-02-10");
    json_t *o = get(f, id);
    assert_string_equal(jstr(o, "state"), "processing");
    assert_string_equal(jstr(o, "due_date"), "2026-03-16");
    assert_string_equal(jstr(o, "supplement_ask_by"), "2026-02-26");
    json_decref(o);

    set_today(f, "2026-02-12");
    act(f, id, "ask_supplement", "{\"items\":\"请写明预算年度和单位\",\"workdays\":10}");
    o = get(f, id);
    assert_string_equal(jstr(o, "state"), "supplement");
    assert_true(json_is_null(json_object_get(o, "due_date")));
    assert_string_equal(jstr(json_object_get(o, "supplement"), "due"), "2026-03-04");
    assert_string_equal(jstr(o, "light"), "paused");
    json_decref(o);

    set_today(f, "2026-03-02");
    act(f, id, "supplement", "{\"text\":\"赫山区财政局2025年部门预算\"}");
    o = get(f, id);
    assert_string_equal(jstr(o, "due_date"), "2026-03-30");
    json_decref(o);

    /* a second supplement request is refused (one-time notice) */
    set_today(f, "2026-03-03");
    json_t *a = json_loads("{\"items\":\"再补\"}", 0, NULL);
    assert_int_equal(ow_dis_request_transition(&f->cx, id, "ask_supplement", a), OW_ECONFLICT);
    json_decref(a);

    act(f, id, "reply",
        "{\"outcome\":\"partial\",\"reason\":\"涉及个人隐私\",\"body\":\"预算总表\"}");
    o = get(f, id);
    assert_string_equal(jstr(o, "state"), "replied");
    assert_string_equal(jstr(o, "light"), "done");
    json_t *notices = json_object_get(o, "notices");
    assert_int_equal(json_array_size(notices), 2);
    assert_string_equal(jstr(json_array_get(notices, 0), "title"), "补正申请通知书");
    assert_string_equal(jstr(json_array_get(notices, 1), "title"), "政府信息部分公开告知书");
    json_decref(o);

    /* the annual report counts it as new and part disclosed, and the sums hold */
    json_t *r;
    assert_int_equal(ow_dis_report_json(&f->cx, 0, 2026, &r), OW_OK);
    json_t *rows = json_object_get(json_object_get(r, "requests"), "rows");
    json_int_t v[32][7];
    size_t nrows = json_array_size(rows);
    for (size_t i = 0; i < nrows; i++)
        for (size_t c = 0; c < 7; c++)
            v[i][c] = json_integer_value(
                json_array_get(json_object_get(json_array_get(rows, i), "values"), c));
    assert_string_equal(jstr(json_array_get(rows, 0), "key"), "new");
    assert_int_equal(v[0][0], 1);
    assert_int_equal(v[3][0], 1); /* g2 部分公开 */
    assert_int_equal(v[nrows - 2][6], 1);
    assert_int_equal(v[0][6] + v[1][6], v[nrows - 2][6] + v[nrows - 1][6]);
    json_decref(r);
}

/* ---------------- the annual report: one model of the template ---------------- */

static json_t *report(fx *f, int year) {
    json_t *r = NULL;
    if (ow_dis_report_json(&f->cx, 0, year, &r)) fail_msg("report: %s", f->cx.err.message);
    return r;
}

static int save_report(fx *f, int year, const char *json) {
    json_t *in = json_loads(json, 0, NULL);
    assert_non_null(in);
    ow_err_clear(&f->cx.err);
    int rc = ow_dis_report_save(&f->cx, 0, year, in);
    json_decref(in);
    return rc;
}

static json_t *block(json_t *doc, size_t i) {
    return json_array_get(json_object_get(doc, "blocks"), i);
}

static const char *cell(json_t *table, int row, int col) {
    return json_string_value(
        json_array_get(json_array_get(json_object_get(table, "cells"), row), col));
}

static bool has_span(json_t *table, int row, int col, int rows, int cols) {
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(table, "spans"), i, s) {
        if (json_integer_value(json_object_get(s, "row")) == row &&
            json_integer_value(json_object_get(s, "col")) == col &&
            json_integer_value(json_object_get(s, "rows")) == rows &&
            json_integer_value(json_object_get(s, "cols")) == cols)
            return true;
    }
    return false;
}

static void report_follows_the_template_in_one_model(void **state) {
    fx *f = *state;
    set_today(f, "2026-11-24");
    if (save_report(f, 2026,
                    "{\"admin_fees_wan\":12.35,\"report_date\":\"2027-01-20\","
                    "\"overview_platform\":\"门户网站改版。\",\"problems\":\"更新不及时。\"}"))
        fail_msg("save: %s", f->cx.err.message);
    json_t *r = report(f, 2026);
    json_t *texts = json_object_get(r, "texts");
    const char *opening = jstr(texts, "opening");
    assert_non_null(strstr(opening, "国办公开办函〔2021〕30号"));
    assert_non_null(strstr(opening, "六个部分"));
    assert_non_null(strstr(opening, "统计期限为2026年1月1日至2026年12月31日"));
    assert_string_equal(jstr(json_object_get(r, "entered"), "opening"), "");
    assert_string_equal(jstr(texts, "overview_platform"), "门户网站改版。");
    assert_string_equal(jstr(texts, "overview_management"), "（尚未填写）");
    assert_string_equal(jstr(texts, "info_fees"), "本年度未收取信息处理费。");
    assert_string_equal(jstr(r, "report_date"), "2027-01-20");
    assert_string_equal(jstr(json_object_get(r, "active"), "fees_text"), "12.35");

    /* the document: its blocks in the template's order */
    json_t *doc = json_object_get(r, "document");
    static const char *const order[][2] = {
        {"paragraph", NULL},
        {"heading1", "一、总体情况"},
        {"paragraph", NULL},
        {"heading2", "（一）主动公开"},
        {"paragraph", NULL},
        {"heading2", "（二）依申请公开"},
        {"paragraph", NULL},
        {"heading2", "（三）政府信息管理"},
        {"paragraph", NULL},
        {"heading2", "（四）平台建设"},
        {"paragraph", "门户网站改版。"},
        {"heading2", "（五）监督保障"},
        {"paragraph", NULL},
        {"heading1", "二、主动公开政府信息情况"},
        {"table", NULL},
        {"heading1", "三、收到和处理政府信息公开申请情况"},
        {"table", NULL},
        {"heading1", "四、政府信息公开行政复议、行政诉讼情况"},
        {"table", NULL},
        {"heading1", "五、存在的主要问题及改进情况"},
        {"paragraph", "更新不及时。"},
        {"heading1", "六、其他需要报告的事项"},
        {"paragraph", "本年度未收取信息处理费。"},
    };
    assert_int_equal(json_array_size(json_object_get(doc, "blocks")),
                     sizeof order / sizeof order[0]);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        assert_string_equal(jstr(block(doc, i), "kind"), order[i][0]);
        if (order[i][1]) assert_string_equal(jstr(block(doc, i), "text"), order[i][1]);
    }
    assert_string_equal(jstr(doc, "sign_date"), "2027年1月20日");

    /* table 二: four blocks, each with its own headings; the fee as 12.35 */
    json_t *t2 = json_object_get(block(doc, 14), "table");
    assert_string_equal(cell(t2, 0, 0), "第二十条第（一）项");
    assert_true(has_span(t2, 0, 0, 1, 4));
    assert_string_equal(cell(t2, 4, 0), "第二十条第（五）项");
    assert_string_equal(cell(t2, 5, 1), "本年处理决定数量");
    assert_string_equal(cell(t2, 11, 0), "第二十条第（八）项");
    assert_string_equal(cell(t2, 12, 1), "本年收费金额（单位：万元）");
    assert_string_equal(cell(t2, 13, 0), "行政事业性收费");
    assert_string_equal(cell(t2, 13, 1), "12.35");
    assert_true(has_span(t2, 13, 1, 1, 3));

    /* table 三: the headings as the template merges them, 三、本年度办理结果 over its rows */
    json_t *t3 = json_object_get(block(doc, 16), "table");
    assert_int_equal(json_integer_value(json_object_get(t3, "rows")), 28);
    assert_int_equal(json_integer_value(json_object_get(t3, "cols")), 10);
    assert_string_equal(cell(t3, 0, 0),
                        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）");
    assert_true(has_span(t3, 0, 0, 3, 3));
    assert_string_equal(cell(t3, 0, 3), "申请人情况");
    assert_true(has_span(t3, 0, 3, 1, 7));
    assert_string_equal(cell(t3, 1, 4), "法人或其他组织");
    assert_true(has_span(t3, 1, 4, 1, 5));
    assert_string_equal(cell(t3, 5, 0), "三、本年度办理结果");
    assert_true(has_span(t3, 5, 0, 22, 1));
    assert_string_equal(cell(t3, 7, 1), "（三）不予公开");
    assert_true(has_span(t3, 7, 1, 8, 1));
    assert_string_equal(cell(t3, 7, 2), "1.属于国家秘密");
    assert_string_equal(cell(t3, 26, 1), "（七）总计");
    assert_string_equal(cell(t3, 27, 0), "四、结转下年度继续办理");

    /* table 四: one row of fifteen figures under two levels of headings */
    json_t *t4 = json_object_get(block(doc, 18), "table");
    assert_int_equal(json_integer_value(json_object_get(t4, "rows")), 4);
    assert_int_equal(json_integer_value(json_object_get(t4, "cols")), 15);
    assert_true(has_span(t4, 0, 0, 1, 5) && has_span(t4, 0, 5, 1, 10));
    assert_string_equal(cell(t4, 1, 5), "未经复议直接起诉");
    assert_string_equal(cell(t4, 1, 10), "复议后起诉");
    assert_string_equal(cell(t4, 2, 14), "总计");
    json_decref(r);

    /* the HTML is the same model: the date as set, the fee as printed */
    char *html;
    size_t len;
    assert_int_equal(ow_dis_report_html(&f->cx, 0, 2026, &html, &len), OW_OK);
    assert_non_null(strstr(html, "<p class=\"date\">2027年1月20日</p>"));
    assert_non_null(strstr(html, "<td colspan=\"3\">12.35</td>"));
    assert_non_null(strstr(html, "<td rowspan=\"22\">三、本年度办理结果</td>"));
}

static void report_date_and_opening_are_validated(void **state) {
    fx *f = *state;
    set_today(f, "2026-11-24");
    if (save_report(f, 2025, "{\"report_date\":\"2026-03-20\",\"opening\":\"本报告依法编制。\"}"))
        fail_msg("save: %s", f->cx.err.message);
    static const char *const bad[][2] = {
        {"{\"report_date\":\"2025-12-31\"}", "report_date"},  /* inside the period */
        {"{\"report_date\":\"2027-01-01\"}", "report_date"},  /* a year late */
        {"{\"report_date\":\"2026-02-30\"}", "report_date"},  /* no such day */
        {"{\"report_date\":\"2026-3-20\"}", "report_date"},   /* not YYYY-MM-DD */
        {"{\"report_date\":20260320}", "report_date"},        /* not text */
        {"{\"opening\":7}", "opening"},                       /* not text */
        {"{\"overview_active\":[\"x\"]}", "overview_active"}, /* not text */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(save_report(f, 2025, bad[i][0]), OW_EINVAL);
        assert_string_equal(f->cx.err.field, bad[i][1]);
        assert_true((unsigned char)f->cx.err.message[0] >= 0x80); /* a Chinese message */
    }
    json_t *r = report(f, 2025);
    assert_string_equal(jstr(r, "report_date"), "2026-03-20");
    assert_string_equal(jstr(json_object_get(r, "texts"), "opening"), "本报告依法编制。");
    json_decref(r);
    /* null clears the date; "" restores the default opening */
    assert_int_equal(save_report(f, 2025, "{\"report_date\":null,\"opening\":\"\"}"), OW_OK);
    r = report(f, 2025);
    assert_true(json_is_null(json_object_get(r, "report_date")));
    assert_true(json_is_null(json_object_get(json_object_get(r, "document"), "sign_date")));
    assert_non_null(strstr(jstr(json_object_get(r, "texts"), "opening"), "统计期限为2025年1月1日"));
    json_decref(r);
}

/* 万元 as reports print them: two decimals, four when the yuan need them. */
static void report_fee_prints_as_reports_print_it(void **state) {
    fx *f = *state;
    static const char *const cases[][2] = {
        {"0", "0.00"}, {"5", "5.00"}, {"12.35", "12.35"}, {"3.1416", "3.1416"}, {"0.1", "0.10"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[64];
        snprintf(body, sizeof body, "{\"admin_fees_wan\":%s}", cases[i][0]);
        if (save_report(f, 2024, body)) fail_msg("save: %s", f->cx.err.message);
        json_t *r = report(f, 2024);
        assert_string_equal(jstr(json_object_get(r, "active"), "fees_text"), cases[i][1]);
        json_decref(r);
    }
}

static void consultation_pause_moves_the_stored_deadline(void **state) {
    fx *f = *state;
    set_today(f, "2026-04-13");
    int64_t id = file_in_person(f, "2026-04-13");
    set_today(f, "2026-04-20");
    act(f, id, "consult", "{\"kind\":\"third_party\",\"party\":\"某公司\"}");
    json_t *o = get(f, id);
    assert_string_equal(jstr(o, "state"), "consulting");
    json_decref(o);
    set_today(f, "2026-04-24");
    act(f, id, "consult_done", "{}");
    o = get(f, id);
    assert_string_equal(jstr(o, "state"), "processing");
    assert_string_equal(jstr(o, "due_date"), "2026-05-20");
    json_decref(o);
    act(f, id, "extend", "{\"approver\":\"王主任\",\"reason\":\"需要调取档案\"}");
    o = get(f, id);
    assert_string_equal(jstr(o, "due_date"), "2026-06-17");
    assert_string_equal(jstr(json_array_get(json_object_get(o, "notices"), 0), "title"),
                        "延期答复告知书");
    json_decref(o);
    json_t *a = json_loads("{\"approver\":\"王主任\",\"reason\":\"再延\"}", 0, NULL);
    assert_int_equal(ow_dis_request_transition(&f->cx, id, "extend", a), OW_ECONFLICT);
    json_decref(a);
}

static void supplement_asked_too_late_is_refused(void **state) {
    fx *f = *state;
    set_today(f, "2026-02-10");
    int64_t id = file_in_person(f, "2026-02-10");
    set_today(f, "2026-02-27"); /* the 8th working day */
    json_t *a = json_loads("{\"items\":\"请写明\"}", 0, NULL);
    assert_int_equal(ow_dis_request_transition(&f->cx, id, "ask_supplement", a), OW_ECONFLICT);
    assert_non_null(strstr(f->cx.err.message, "7个工作日"));
    json_decref(a);
}

static void calendar_edit_moves_open_deadlines(void **state) {
    fx *f = *state;
    set_today(f, "2026-04-13");
    int64_t id = file_in_person(f, "2026-04-13");
    json_t *o = get(f, id);
    assert_string_equal(jstr(o, "due_date"), "2026-05-13");
    json_decref(o);
    /* an administrator declares Tue 2026-04-14 a day off: one working day less */
    int n = 0;
    if (ow_calendar_set_day(&f->cx, "2026-04-14", "holiday", "测试假日", &n))
        fail_msg("set_day: %s", f->cx.err.message);
    o = get(f, id);
    assert_string_equal(jstr(o, "due_date"), "2026-05-14");
    json_decref(o);
}

int main(void) {
    ow_calendar *cal = load_cal();
    const struct CMUnitTest rules[] = {
        cmocka_unit_test(receipt_date_follows_the_channel),
        cmocka_unit_test(receipt_date_missing_for_the_channel_is_refused),
        cmocka_unit_test_prestate(plain_reply_skips_national_day, cal),
        cmocka_unit_test_prestate(plain_reply_skips_spring_festival_and_counts_adjusted_saturdays,
                                  cal),
        cmocka_unit_test_prestate(extension_adds_twenty_working_days, cal),
        cmocka_unit_test_prestate(supplement_must_be_asked_within_seven_working_days, cal),
        cmocka_unit_test_prestate(supplement_deadline_counts_working_days, cal),
        cmocka_unit_test_prestate(supplement_restarts_the_clock_from_its_receipt, cal),
        cmocka_unit_test_prestate(third_party_consultation_is_not_counted, cal),
        cmocka_unit_test_prestate(a_pause_before_the_supplement_restart_does_not_count_twice, cal),
        cmocka_unit_test_prestate(fee_must_be_paid_within_twenty_working_days, cal),
        cmocka_unit_test_prestate(no_receipt_no_deadline, cal),
        cmocka_unit_test_prestate(deadline_in_an_unloaded_year_is_an_error, cal),
        cmocka_unit_test_prestate(lights_follow_working_days_left, cal),
        cmocka_unit_test(fee_by_count_is_progressive_per_request),
        cmocka_unit_test(fee_by_pages_charges_each_band_only_for_its_pages),
        cmocka_unit_test(every_report_row_has_an_outcome_and_keys_are_unique),
        cmocka_unit_test(notice_renders_as_pdf_and_needs_a_title),
        cmocka_unit_test_setup_teardown(in_person_request_supplemented_then_partly_disclosed,
                                        db_setup, db_teardown),
        cmocka_unit_test_setup_teardown(consultation_pause_moves_the_stored_deadline, db_setup,
                                        db_teardown),
        cmocka_unit_test_setup_teardown(supplement_asked_too_late_is_refused, db_setup,
                                        db_teardown),
        cmocka_unit_test_setup_teardown(calendar_edit_moves_open_deadlines, db_setup, db_teardown),
        cmocka_unit_test_setup_teardown(report_follows_the_template_in_one_model, db_setup,
                                        db_teardown),
        cmocka_unit_test_setup_teardown(report_date_and_opening_are_validated, db_setup,
                                        db_teardown),
        cmocka_unit_test_setup_teardown(report_fee_prints_as_reports_print_it, db_setup,
                                        db_teardown),
    };
    int failed = cmocka_run_group_tests_name("disclosure", rules, NULL, NULL);
    ow_cal_free(cal);
    return failed;
}
