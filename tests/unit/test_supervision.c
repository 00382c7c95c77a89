/* test_supervision.c — deadline lights, rectification deadlines and transitions,
 * complaint escalation (src/supervision, src/rating, src/complaint), with the real
 * legal calendar (data/calendar) and the injectable clock.
 *
 * Hand-checked days (W working, H holiday, 调 adjusted working weekend):
 *   Spring Festival 2026: Tue 2-10 W … Fri 2-13 W, Sat 2-14 调, 2-15…2-23 H, Tue 2-24 W.
 *   National Day 2026: Thu 9-24 W, 9-25…9-27 H, Mon 9-28 W, 9-29 W, 9-30 W, 10-01…10-07 H,
 *   Thu 10-08 W, Fri 10-09 W, Sat 10-10 调, Sun 10-11, Mon 10-12 W … */
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
#include "calendar/calendar.h"
#include "complaint/complaint.h"
#include "core/workdays.h"
#include "rating/rating.h"
#include "store/db.h"
#include "testdb.h"
#include "supervision/supervision.h"

typedef struct fx {
    char dir[64];
    ow_app app;
    ow_db *db;
    ow_arena *arena;
    ow_ctx cx;
    ow_clock clock;
} fx;

static int32_t D(const char *s) {
    int32_t d = 0;
    if (ow_date_parse(s, &d) != OW_OK) fail_msg("bad date in test: %s", s);
    return d;
}

/* 10:00 Shanghai on date s, as UTC ms. */
static int64_t at10(const char *s) {
    return ((int64_t)D(s) * 86400 - 8 * 3600 + 10 * 3600) * 1000;
}

static int setup(void **state) {
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-supervision-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    ow_config cfg;
    ow_config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", f->dir);
    if (ow_test_database(&cfg)) return -1;
    ow_app_init(&f->app, &cfg);
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
    char demo[512];
    snprintf(demo, sizeof demo, "%s/data/demo", OW_SOURCE_DIR);
    assert_int_equal(ow_account_demo_seed(&f->cx, demo), OW_OK);
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

static void light_at(fx *f, const char *start, const char *due, const char *today, ow_light want,
                     int want_left) {
    ow_light_rule rule = {.warn_days = 1, .warn_percent = 80};
    ow_light l;
    int left;
    assert_int_equal(ow_light_of(&f->cx, &rule, start ? D(start) : OW_DATE_NONE,
                                 due ? D(due) : OW_DATE_NONE, D(today), &l, &left),
                     OW_OK);
    if (l != want || left != want_left)
        fail_msg("start %s due %s today %s: light %s left %d, want %s left %d", start, due, today,
                 ow_light_name(l), left, ow_light_name(want), want_left);
}

static void light_thresholds_on_ordinary_weeks(void **state) {
    fx *f = *state;
    /* period (Mon 3-02, Fri 3-13]: 9 working days */
    light_at(f, "2026-03-02", "2026-03-13", "2026-03-10", OW_LIGHT_GREEN, 3);  /* 6/9 used */
    light_at(f, "2026-03-02", "2026-03-13", "2026-03-11", OW_LIGHT_GREEN, 2);  /* 7/9 = 78 % */
    light_at(f, "2026-03-02", "2026-03-13", "2026-03-12", OW_LIGHT_YELLOW, 1); /* one day left */
    light_at(f, "2026-03-02", "2026-03-13", "2026-03-13", OW_LIGHT_YELLOW, 0); /* due today */
    light_at(f, "2026-03-02", "2026-03-13", "2026-03-16", OW_LIGHT_RED, -1);   /* Mon after */
    light_at(f, "2026-03-02", "2026-03-13", "2026-03-18", OW_LIGHT_RED, -3);
    /* a weekend in between is not a day left */
    light_at(f, "2026-03-02", "2026-03-16", "2026-03-13", OW_LIGHT_YELLOW, 1);
}

static void light_percent_of_limit_used_turns_yellow(void **state) {
    fx *f = *state;
    /* (Mon 3-02, Fri 3-27]: 19 working days; 80 % = 15.2, so the 16th used day turns it */
    light_at(f, "2026-03-02", "2026-03-27", "2026-03-20", OW_LIGHT_GREEN, 5);  /* 14 used */
    light_at(f, "2026-03-02", "2026-03-27", "2026-03-23", OW_LIGHT_GREEN, 4);  /* 15 used */
    light_at(f, "2026-03-02", "2026-03-27", "2026-03-24", OW_LIGHT_YELLOW, 3); /* 16 used */
    ow_light_rule only_days = {.warn_days = 1, .warn_percent = 100};
    ow_light l;
    int left;
    assert_int_equal(ow_light_of(&f->cx, &only_days, D("2026-03-02"), D("2026-03-27"),
                                 D("2026-03-24"), &l, &left),
                     OW_OK);
    assert_int_equal(l, OW_LIGHT_GREEN);
}

static void light_counts_only_working_days_over_holidays(void **state) {
    fx *f = *state;
    /* (Tue 2-10, Tue 2-24]: 2-11, 2-12, 2-13, 2-14 调, 2-24 = 5 working days */
    light_at(f, "2026-02-10", "2026-02-24", "2026-02-12", OW_LIGHT_GREEN, 3);
    light_at(f, "2026-02-10", "2026-02-24", "2026-02-13", OW_LIGHT_GREEN, 2);  /* 3/5 used */
    light_at(f, "2026-02-10", "2026-02-24", "2026-02-14", OW_LIGHT_YELLOW, 1); /* adjusted Sat */
    /* in the middle of the holiday the deadline is still one working day away, not late */
    light_at(f, "2026-02-10", "2026-02-24", "2026-02-20", OW_LIGHT_YELLOW, 1);
    light_at(f, "2026-02-10", "2026-02-24", "2026-02-25", OW_LIGHT_RED, -1);
    /* overdue from the last day before a holiday stays red through it */
    light_at(f, "2026-02-02", "2026-02-13", "2026-02-16", OW_LIGHT_RED, -1);
}

static void light_is_green_while_the_clock_stands(void **state) {
    fx *f = *state;
    light_at(f, "2026-03-02", NULL, "2026-12-01", OW_LIGHT_GREEN, 0);
}

static void light_fails_for_a_year_not_loaded(void **state) {
    fx *f = *state;
    ow_light_rule rule = {1, 80};
    ow_light l;
    int left;
    assert_int_equal(
        ow_light_of(&f->cx, &rule, D("2101-03-02"), D("2101-03-14"), D("2101-03-10"), &l, &left),
        OW_EINVAL);
    assert_string_equal(f->cx.err.kind, "calendar_year_missing");
}

static void rectification_due_is_15_working_days_across_national_day(void **state) {
    fx *f = *state;
    int32_t due;
    assert_int_equal(ow_rectify_due(&f->cx, D("2026-09-24"), &due), OW_OK);
    char s[11];
    ow_date_format(due, s);
    /* 9-28, 29, 30, 10-08, 09, 10 调, 12, 13, 14, 15, 16, 19, 20, 21, 22 */
    assert_string_equal(s, "2026-10-22");
    f->app.cfg.rectify_days = 5; /* a city with a 5-day rule */
    assert_int_equal(ow_rectify_due(&f->cx, D("2026-09-24"), &due), OW_OK);
    ow_date_format(due, s);
    assert_string_equal(s, "2026-10-09"); /* 9-28, 29, 30, 10-08, 09 */
}

static int64_t scalar(fx *f, const char *sql, int64_t arg) {
    ow_err e = {0};
    ow_stmt *st = ow_db_stmt(f->db, sql, &e);
    assert_non_null(st);
    ow_bind_int64(st, 1, arg);
    assert_int_equal(ow_step(st), OW_ROW);
    int64_t v = ow_col_int64(st, 0);
    ow_reset(st);
    return v;
}

/* The demo clerk at window W01 starts a service; the kiosk rates it. */
static int64_t kiosk_rate(fx *f, int level, int64_t *rating_id) {
    ow_actor sys = f->cx.actor;
    memset(&f->cx.actor, 0, sizeof f->cx.actor);
    f->cx.actor.user_id =
        scalar(f, "SELECT id FROM users WHERE username = 'demo-clerk' AND ?1 = ?1", 0);
    f->cx.actor.org_id = scalar(f, "SELECT org_id FROM users WHERE id = ?", f->cx.actor.user_id);
    snprintf(f->cx.actor.kind, sizeof f->cx.actor.kind, "staff");
    snprintf(f->cx.actor.role, sizeof f->cx.actor.role, "clerk");
    snprintf(f->cx.actor.name, sizeof f->cx.actor.name, "刘敏");
    int64_t sid;
    assert_int_equal(ow_service_start(&f->cx, 0, "咨询", &sid), OW_OK);
    memset(&f->cx.actor, 0, sizeof f->cx.actor); /* the kiosk is anonymous */
    ow_rating_in in = {.level = level};
    int rc = ow_rating_kiosk(&f->cx, "W01", sid, &in, rating_id);
    f->cx.actor = sys;
    assert_int_equal(rc, OW_OK);
    return sid;
}

static void bad_kiosk_rating_opens_rectification_with_calendar_deadline(void **state) {
    fx *f = *state;
    f->clock.fixed_ms = at10("2026-09-24");
    int64_t good, bad;
    kiosk_rate(f, 5, &good);
    int64_t sid = kiosk_rate(f, 1, &bad);
    assert_int_equal(scalar(f, "SELECT count(*) FROM rectifications WHERE rating_id = ?", good), 0);
    assert_int_equal(scalar(f, "SELECT due_date FROM rectifications WHERE rating_id = ?", bad),
                     D("2026-10-22"));
    /* one rating per service */
    ow_rating_in again = {.level = 5};
    int64_t id;
    ow_actor sys = f->cx.actor;
    memset(&f->cx.actor, 0, sizeof f->cx.actor);
    assert_int_equal(ow_rating_kiosk(&f->cx, "W01", sid, &again, &id), OW_ECONFLICT);
    f->cx.actor = sys;
    /* unknown tags are refused */
    const char *tag = "随便写的";
    ow_rating_in tagged = {.level = 4, .tags = &tag, .ntags = 1};
    ow_err_clear(&f->cx.err);
    memset(&f->cx.actor, 0, sizeof f->cx.actor);
    assert_int_equal(ow_rating_kiosk(&f->cx, "W01", 1, &tagged, &id), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "tags");
    f->cx.actor = sys;
}

static void rectification_walks_its_table_and_refuses_other_steps(void **state) {
    fx *f = *state;
    f->clock.fixed_ms = at10("2026-09-24");
    int64_t rid;
    kiosk_rate(f, 2, &rid);
    int64_t id = scalar(f, "SELECT id FROM rectifications WHERE rating_id = ?", rid);
    ow_rectify_in close = {.action = "close", .note = "想直接办结"};
    assert_int_equal(ow_rectify_transition(&f->cx, id, &close), OW_ECONFLICT);
    ow_rectify_in visit = {.action = "visit", .note = "已电话回访"};
    assert_int_equal(ow_rectify_transition(&f->cx, id, &visit), OW_OK);
    ow_rectify_in ledger = {
        .action = "verify", .outcome = "ledger", .note = "列入台账", .ledger_days = 10};
    assert_int_equal(ow_rectify_transition(&f->cx, id, &ledger), OW_OK);
    /* 10 working days after Thu 9-24: 9-28, 29, 30, 10-08, 09, 10, 12, 13, 14, 15 */
    assert_int_equal(scalar(f, "SELECT ledger_due FROM rectifications WHERE id = ?", id),
                     D("2026-10-15"));
    f->clock.fixed_ms = at10("2026-10-16"); /* a day late */
    close.note = "台账事项整改完成";
    assert_int_equal(ow_rectify_transition(&f->cx, id, &close), OW_OK);
    assert_int_equal(scalar(f, "SELECT closed_late FROM rectifications WHERE id = ?", id), 1);
    ow_rectify_in publish = {.action = "publish"};
    assert_int_equal(ow_rectify_transition(&f->cx, id, &publish), OW_OK);
    assert_int_equal(ow_rectify_transition(&f->cx, id, &publish), OW_ECONFLICT);
}

static void upheld_appeal_voids_the_bad_rating(void **state) {
    fx *f = *state;
    f->clock.fixed_ms = at10("2026-03-02");
    int64_t rid;
    kiosk_rate(f, 1, &rid);
    int64_t id = scalar(f, "SELECT id FROM rectifications WHERE rating_id = ?", rid);
    ow_rectify_in visit = {.action = "visit", .note = "回访：群众误按"};
    ow_rectify_in appeal = {.action = "verify", .outcome = "appeal", .note = "误评，申请复核"};
    ow_rectify_in review = {.action = "review", .result = "revoked", .note = "复核属实，撤销差评"};
    assert_int_equal(ow_rectify_transition(&f->cx, id, &visit), OW_OK);
    assert_int_equal(ow_rectify_transition(&f->cx, id, &appeal), OW_OK);
    assert_int_equal(ow_rectify_transition(&f->cx, id, &review), OW_OK);
    assert_int_equal(scalar(f, "SELECT void FROM ratings WHERE id = ?", rid), 1);
    assert_int_equal(scalar(f, "SELECT state = 'closed' FROM rectifications WHERE id = ?", id), 1);
}

static void overdue_complaint_is_escalated_once_per_deadline(void **state) {
    fx *f = *state;
    f->clock.fixed_ms = at10("2026-03-02"); /* Monday */
    ow_complaint_in in = {.kind = "complaint",
                          .subject = "general",
                          .title = "大厅空调不制冷",
                          .content = "夏天大厅里太热了，请尽快维修。",
                          .anonymous = true,
                          .mobile = "138 0737 1234"};
    int64_t id;
    char ref[48], code[44];
    assert_int_equal(ow_complaint_file(&f->cx, &in, &id, ref, code), OW_OK);
    /* 10 working days: Mon 3-16 */
    assert_int_equal(scalar(f, "SELECT due_date FROM complaints WHERE id = ?", id),
                     D("2026-03-16"));
    int n;
    f->clock.fixed_ms = at10("2026-03-16");
    assert_int_equal(ow_complaint_escalate_overdue(&f->cx, &n), OW_OK);
    assert_int_equal(n, 0);
    f->clock.fixed_ms = at10("2026-03-17");
    assert_int_equal(ow_complaint_escalate_overdue(&f->cx, &n), OW_OK);
    assert_int_equal(n, 1);
    assert_int_equal(scalar(f, "SELECT escalation FROM complaints WHERE id = ?", id), 1);
    /* a new deadline of 5 working days: Tue 3-24 */
    assert_int_equal(scalar(f, "SELECT due_date FROM complaints WHERE id = ?", id),
                     D("2026-03-24"));
    assert_int_equal(ow_complaint_escalate_overdue(&f->cx, &n), OW_OK);
    assert_int_equal(n, 0);
    f->clock.fixed_ms = at10("2026-03-25");
    assert_int_equal(ow_complaint_escalate_overdue(&f->cx, &n), OW_OK);
    assert_int_equal(n, 1);
    assert_int_equal(scalar(f, "SELECT escalation FROM complaints WHERE id = ?", id), 2);
    /* answering before assignment is refused; after, the answer is recorded as late */
    assert_int_equal(ow_complaint_answer(&f->cx, id, "已安排维修空调。"), OW_ECONFLICT);
    int64_t center = scalar(f, "SELECT id FROM orgs WHERE code = 'C00' AND ?1 = ?1", 0);
    assert_int_equal(ow_complaint_assign(&f->cx, id, center, NULL), OW_OK);
    assert_int_equal(ow_complaint_answer(&f->cx, id, "已安排维修空调，感谢监督。"), OW_OK);
    assert_int_equal(scalar(f, "SELECT answered_late FROM complaints WHERE id = ?", id), 1);
    /* answered: no longer escalated */
    f->clock.fixed_ms = at10("2026-04-30");
    assert_int_equal(ow_complaint_escalate_overdue(&f->cx, &n), OW_OK);
    assert_int_equal(n, 0);
    /* the anonymous complainant rates with the query code, once */
    assert_int_equal(ow_complaint_rate(&f->cx, id, "wrong-code", 4, NULL), OW_ENOTFOUND);
    assert_int_equal(ow_complaint_rate(&f->cx, id, code, 4, "修好了"), OW_OK);
    assert_int_equal(ow_complaint_rate(&f->cx, id, code, 5, NULL), OW_ECONFLICT);
    /* the number is stored encrypted and masked, never in clear */
    assert_int_equal(scalar(f,
                            "SELECT count(*) FROM complaints WHERE id = ?1 AND mobile_masked ="
                            " '138****1234' AND mobile_enc NOT LIKE '%1380737%'",
                            id),
                     1);
}

/* Acts as a demo staff member (username) for the calls until act_as_system. */
static void act_as(fx *f, const char *username, const char *role) {
    memset(&f->cx.actor, 0, sizeof f->cx.actor);
    ow_stmt *st =
        ow_db_stmt(f->db, "SELECT id, org_id, name FROM users WHERE username = ?", &f->cx.err);
    assert_non_null(st);
    ow_bind_text_ref(st, 1, username);
    assert_int_equal(ow_step(st), OW_ROW);
    f->cx.actor.user_id = ow_col_int64(st, 0);
    f->cx.actor.org_id = ow_col_int64(st, 1);
    snprintf(f->cx.actor.name, sizeof f->cx.actor.name, "%s", ow_col_text(st, 2));
    ow_reset(st);
    snprintf(f->cx.actor.kind, sizeof f->cx.actor.kind, "staff");
    snprintf(f->cx.actor.role, sizeof f->cx.actor.role, "%s", role);
}

/* 督办 through its table: the department's late reply is marked late; a follow-up sets a
 * new deadline counted over National Day's adjusted Saturday; nobody acts out of turn. */
static void notice_walks_its_table_with_working_day_deadlines(void **state) {
    fx *f = *state;
    ow_actor sys = f->cx.actor;
    /* a notice issued on Thu 9-24 with 3 working days: 9-28, 29, 30 */
    int64_t d05 = scalar(f, "SELECT id FROM orgs WHERE code = 'D05' AND ?1 = ?1", 0);
    ow_err e = {0};
    ow_stmt *st = ow_db_stmt(
        f->db,
        "INSERT INTO supervision_notices (case_id, case_no, org_id, content, issued_by, issued_at,"
        " reply_due, state) VALUES (1, '430903-20260924-00001', ?, '请说明办理进度', '赵卫东', 0, "
        "?,"
        " 'open')",
        &e);
    assert_non_null(st);
    ow_bind_int64(st, 1, d05);
    ow_bind_int(st, 2, D("2026-09-30"));
    assert_int_equal(ow_step(st), OW_DONE);
    ow_reset(st);
    int64_t id = ow_db_last_id(f->db);

    f->clock.fixed_ms = at10("2026-10-08"); /* after the holidays: late */
    act_as(f, "demo-supervisor", "supervisor");
    assert_int_equal(ow_notice_reply(&f->cx, id, "监察人员代为回复"), OW_EFORBIDDEN);
    ow_notice_in follow = {.action = "follow_up", .note = "请尽快回复督办", .reply_days = 3};
    assert_int_equal(ow_notice_transition(&f->cx, id, &follow), OW_ECONFLICT); /* not replied */
    act_as(f, "demo-clerk", "clerk"); /* a window, not the department */
    assert_int_equal(ow_notice_reply(&f->cx, id, "窗口代为回复一下"), OW_ENOTFOUND);
    act_as(f, "demo-approver", "approver");
    ow_notice_in close = {.action = "close", .note = "部门自己办结"};
    assert_int_equal(ow_notice_transition(&f->cx, id, &close), OW_EFORBIDDEN);
    assert_int_equal(ow_notice_reply(&f->cx, id, "已审查完毕，明日作出决定"), OW_OK);
    assert_int_equal(scalar(f, "SELECT replied_late FROM supervision_notices WHERE id = ?", id), 1);
    assert_int_equal(ow_notice_reply(&f->cx, id, "再回复一次试试"), OW_ECONFLICT);

    f->clock.fixed_ms = at10("2026-10-09"); /* Fri; Sat 10-10 is a working day (调) */
    act_as(f, "demo-supervisor", "supervisor");
    assert_int_equal(ow_notice_transition(&f->cx, id, &follow), OW_OK);
    assert_int_equal(scalar(f, "SELECT reply_due FROM supervision_notices WHERE id = ?", id),
                     D("2026-10-13")); /* 10-10 调, 10-12, 10-13 */
    assert_int_equal(scalar(f, "SELECT rounds FROM supervision_notices WHERE id = ?", id), 2);

    f->clock.fixed_ms = at10("2026-10-13"); /* on the last day: on time */
    act_as(f, "demo-approver", "approver");
    assert_int_equal(ow_notice_reply(&f->cx, id, "已作出准予许可决定并送达"), OW_OK);
    assert_int_equal(scalar(f, "SELECT replied_late FROM supervision_notices WHERE id = ?", id), 0);
    act_as(f, "demo-supervisor", "supervisor");
    close.note = "ab"; /* too short */
    assert_int_equal(ow_notice_transition(&f->cx, id, &close), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "note");
    close.note = "情况已说明，督办办结";
    assert_int_equal(ow_notice_transition(&f->cx, id, &close), OW_OK);
    assert_int_equal(ow_notice_transition(&f->cx, id, &close), OW_ECONFLICT);
    /* every step kept, the first (late) reply included */
    assert_int_equal(
        scalar(f, "SELECT count(*) FROM supervision_notice_events WHERE notice_id = ?", id), 4);
    assert_int_equal(scalar(f,
                            "SELECT late FROM supervision_notice_events WHERE notice_id = ?"
                            " AND seq = 1",
                            id),
                     1);
    f->cx.actor = sys;
}

static void calendar_edit_moves_open_rectification_and_complaint_deadlines(void **state) {
    fx *f = *state;
    f->clock.fixed_ms = at10("2026-03-02"); /* Monday */
    int64_t rid;
    kiosk_rate(f, 2, &rid);
    /* 15 working days: 3-03…06 (4), 3-09…13 (9), 3-16…20 (14), 3-23 (15) */
    assert_int_equal(scalar(f, "SELECT due_date FROM rectifications WHERE rating_id = ?", rid),
                     D("2026-03-23"));
    ow_complaint_in in = {.kind = "suggestion",
                          .subject = "general",
                          .title = "建议",
                          .content = "建议增加自助填表机。"};
    int64_t cid;
    char ref[48], code[44];
    assert_int_equal(ow_complaint_file(&f->cx, &in, &cid, ref, code), OW_OK);
    assert_int_equal(scalar(f, "SELECT due_date FROM complaints WHERE id = ?", cid),
                     D("2026-03-16"));
    int n;
    assert_int_equal(ow_calendar_set_day(&f->cx, "2026-03-10", "holiday", "测试停工日", &n), OW_OK);
    assert_int_equal(scalar(f, "SELECT due_date FROM rectifications WHERE rating_id = ?", rid),
                     D("2026-03-24"));
    assert_int_equal(scalar(f, "SELECT due_date FROM complaints WHERE id = ?", cid),
                     D("2026-03-17"));
    assert_int_equal(scalar(f,
                            "SELECT count(*) FROM audit WHERE action = 'calendar.set_day' AND"
                            " detail LIKE '%\"recomputed_rectifications\":1%' AND ?1 = ?1",
                            0),
                     1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(light_thresholds_on_ordinary_weeks, setup, teardown),
        cmocka_unit_test_setup_teardown(notice_walks_its_table_with_working_day_deadlines, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(light_percent_of_limit_used_turns_yellow, setup, teardown),
        cmocka_unit_test_setup_teardown(light_counts_only_working_days_over_holidays, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(light_is_green_while_the_clock_stands, setup, teardown),
        cmocka_unit_test_setup_teardown(light_fails_for_a_year_not_loaded, setup, teardown),
        cmocka_unit_test_setup_teardown(rectification_due_is_15_working_days_across_national_day,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(bad_kiosk_rating_opens_rectification_with_calendar_deadline,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(rectification_walks_its_table_and_refuses_other_steps,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(upheld_appeal_voids_the_bad_rating, setup, teardown),
        cmocka_unit_test_setup_teardown(overdue_complaint_is_escalated_once_per_deadline, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            calendar_edit_moves_open_rectification_and_complaint_deadlines, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
