/* test_hall.c — the hall (src/hall): opening hours, booking rules on the legal calendar,
 * the no-show block, ticket numbers and priorities, calling at the window, pauses, the
 * visit's record with its rating, the end of the day, the figures, 帮办代办.  The demo
 * district and catalog, the real calendar (data/calendar), the clock fixed per test.
 *
 * Hand-checked days (the National Day holiday of 2026, as test_supervision.c has it):
 *   Mon 9-28 W, Tue 9-29 W, Wed 9-30 W, Thu 10-01 … Wed 10-07 H, Thu 10-08 W, Fri 10-09 W,
 *   Sat 10-10 调 (an adjusted working Saturday), Sun 10-11, Mon 10-12 W, Tue 10-13 W.
 * So from Monday 9-28 the seven working days that can be booked are 9-28, 9-29, 9-30,
 * 10-08, 10-09, 10-10 and 10-12. */
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
#include "catalog/catalog.h"
#include "core/ids.h"
#include "core/workdays.h"
#include "hall/hall.h"
#include "rating/rating.h"
#include "store/db.h"
#include "testdb.h"

typedef struct fx {
    char dir[64];
    ow_app app;
    ow_db *db;
    ow_arena *arena;
    ow_ctx cx;
    ow_clock clock;
    int64_t marriage; /* 内地居民结婚登记: group F (婚姻登记) at the centre */
    int64_t online;   /* an item done wholly online */
    int64_t group_a, group_b, group_f;
    int64_t w01, w14;
    char key[OW_HALL_KIOSK_KEY_CHARS + 1];
} fx;

static int32_t D(const char *s) {
    int32_t d = 0;
    if (ow_date_parse(s, &d) != OW_OK) fail_msg("bad date in test: %s", s);
    return d;
}

/* hh:mm Shanghai on date s, as UTC ms. */
static int64_t at(const char *s, int hh, int mm) {
    return ((int64_t)D(s) * 86400 - 8 * 3600 + hh * 3600 + mm * 60) * 1000;
}

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
    snprintf(f->cx.actor.name, sizeof f->cx.actor.name, "系统");
    memset(&f->cx.err, 0, sizeof f->cx.err);
}

static void anonymous(fx *f) {
    memset(&f->cx.actor, 0, sizeof f->cx.actor);
    memset(&f->cx.err, 0, sizeof f->cx.err);
}

static void now_is(fx *f, int64_t ms) {
    f->clock.fixed_ms = ms;
}

/* rc must be want; when an error, its wire code must be kind (NULL: any). */
static void expect(fx *f, int rc, int want, const char *kind) {
    if (rc != want)
        fail_msg("got %d (%s/%s: %s), want %d", rc, f->cx.err.kind, f->cx.err.field,
                 f->cx.err.message, want);
    if (want && kind && strcmp(f->cx.err.kind, kind))
        fail_msg("error kind %s (%s), want %s", f->cx.err.kind, f->cx.err.message, kind);
    memset(&f->cx.err, 0, sizeof f->cx.err);
}

static void add_user(fx *f, const char *username, const char *role, const char *org,
                     const char *name, const char *mobile) {
    as_system(f);
    ow_staff_in in = {.username = username,
                      .name = name,
                      .role = role,
                      .mobile = mobile,
                      .password = "Demo@2026"};
    in.org_id = one_id(f, "SELECT id FROM orgs WHERE code = ?", org);
    char norm[12];
    int64_t uid;
    assert_int_equal(ow_account_staff_check(&f->cx, &in, norm), OW_OK);
    assert_int_equal(ow_account_staff_insert(&f->cx, &in, norm, "$argon2id$test", &uid), OW_OK);
}

static void add_citizen(fx *f, const char *first17, const char *name, const char *mobile) {
    as_system(f);
    char id[19];
    memcpy(id, first17, 17);
    id[17] = ow_id_number_compute_check(id);
    id[18] = '\0';
    ow_register_in in = {.kind = "citizen",
                         .id_number = id,
                         .name = name,
                         .mobile = mobile,
                         .password = "Demo@2026"};
    char norm[19], mob[12];
    int64_t uid;
    assert_int_equal(ow_account_register_check(&f->cx, &in, norm, mob), OW_OK);
    assert_int_equal(ow_account_register_insert(&f->cx, &in, norm, mob, "$argon2id$test", &uid),
                     OW_OK);
    ow_err e = {0};
    ow_stmt *st = ow_db_stmt(f->db, "UPDATE users SET username = ?1 WHERE id = ?2", &e);
    ow_bind_text(st, 1, name);
    ow_bind_int64(st, 2, uid);
    assert_int_equal(ow_step(st), OW_DONE);
    ow_reset(st);
}

static int setup(void **state) {
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-hall-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    ow_config cfg;
    ow_config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", f->dir);
    assert_int_equal(ow_test_database(&cfg), 0);
    ow_app_init(&f->app, &cfg);
    ow_err e = {0};
    assert_int_equal(ow_hall_setup(&f->app, &e), OW_OK);
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
    now_is(f, at("2026-09-28", 8, 0));
    char demo[512];
    snprintf(demo, sizeof demo, "%s/data/demo", OW_SOURCE_DIR);
    assert_int_equal(ow_account_demo_seed(&f->cx, demo), OW_OK);
    assert_int_equal(ow_catalog_demo_seed(&f->cx, demo), OW_OK);
    assert_int_equal(ow_hall_demo_seed(&f->cx), OW_OK);
    f->marriage = one_id(f, "SELECT id FROM items WHERE name = ?", "内地居民结婚登记");
    f->online = one_id(f,
                       "SELECT id FROM items WHERE visits = 0 AND appointment = 0"
                       " AND level_district = 1 AND name <> ? ORDER BY id LIMIT 1",
                       "");
    f->w01 = one_id(f, "SELECT id FROM orgs WHERE code = ?", "W01");
    f->w14 = one_id(f, "SELECT id FROM orgs WHERE code = ?", "W14");
    f->group_a = one_id(f, "SELECT id FROM hall_groups WHERE letter = ? AND site_id = 1", "A");
    f->group_b = one_id(f, "SELECT id FROM hall_groups WHERE letter = ? AND site_id = 1", "B");
    f->group_f = one_id(f, "SELECT id FROM hall_groups WHERE letter = ? AND site_id = 1", "F");
    add_user(f, "clerk-w14", "clerk", "W14", "周婷", "13807371101");
    add_citizen(f, "43090319800101123", "citizen-3", "13907379903");
    as_system(f);
    assert_int_equal(ow_hall_kiosk_key_new(&f->cx, "C00", f->key), OW_OK);
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

/* ---------------- opening hours ---------------- */

static void hours_are_half_hour_sessions_in_order(void **state) {
    (void)state;
    ow_hall_hours h;
    ow_err e = {0};
    assert_int_equal(ow_hall_hours_parse("08:30-12:00,14:30-17:30", &h, &e), OW_OK);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.start[0], 510);
    assert_int_equal(h.end[1], 1050);
    assert_int_equal(ow_hall_hours_parse("09:00-17:00", &h, &e), OW_OK);
    assert_int_equal(h.n, 1);
    const char *bad[] = {"",
                         "8:30-12:00",
                         "08:45-12:00",
                         "12:00-08:30",
                         "08:30-12:00,11:30-13:00",
                         "08:30-12:00;14:30-17:30",
                         "25:00-26:00",
                         "08:30-12:00,"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        if (ow_hall_hours_parse(bad[i], &h, &e) != OW_EINVAL) fail_msg("accepted \"%s\"", bad[i]);
        assert_string_equal(e.field, "hall_hours");
    }
}

/* ---------------- booking ---------------- */

static int64_t book(fx *f, const char *day, int slot, int want, const char *kind) {
    ow_hall_book_in in = {.site = "C00", .item_id = f->marriage, .day = day, .slot = slot};
    int64_t id = 0;
    expect(f, ow_hall_book(&f->cx, &in, &id), want, kind);
    return id;
}

static void booking_follows_the_legal_calendar(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 10, 0));
    json_t *slots = NULL;
    anonymous(f);
    assert_int_equal(ow_hall_slots_json(&f->cx, "C00", f->marriage, 0, &slots), OW_OK);
    json_t *days = json_object_get(slots, "days");
    const char *want[] = {"2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08",
                          "2026-10-09", "2026-10-10", "2026-10-12"};
    assert_int_equal(json_array_size(days), 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(days, i), "date")),
                            want[i]);
    assert_string_equal(json_string_value(json_object_get(json_object_get(slots, "group"), "name")),
                        "婚姻登记");
    /* 8:30 … 11:30 and 14:30 … 17:00: 7 + 6 half hours; this morning's first are past */
    json_t *today = json_object_get(json_array_get(days, 0), "slots");
    assert_int_equal(json_array_size(today), 13);
    assert_false(json_is_true(json_object_get(json_array_get(today, 0), "open")));
    json_decref(slots);

    as_user(f, "demo-citizen");
    book(f, "2026-10-01", 540, OW_ECONFLICT, "not_workday");      /* 国庆节 */
    book(f, "2026-10-11", 540, OW_ECONFLICT, "not_workday");      /* Sunday */
    book(f, "2026-10-13", 540, OW_ECONFLICT, "day_out_of_range"); /* the eighth working day */
    book(f, "2026-09-27", 540, OW_ECONFLICT, "day_past");
    book(f, "2026-10-10", 720, OW_EINVAL, NULL);          /* 12:00, the lunch break */
    book(f, "2026-10-10", 1050, OW_EINVAL, NULL);         /* 17:30, closed */
    book(f, "2026-10-10", 545, OW_EINVAL, NULL);          /* not a half hour */
    book(f, "2026-09-28", 660, OW_ECONFLICT, "too_late"); /* 11:00 is 60 minutes away */
    int64_t id = book(f, "2026-10-10", 540, OW_OK, NULL); /* the adjusted working Saturday */
    assert_true(id > 0);
    book(f, "2026-09-28", 690, OW_OK, NULL); /* 11:30: 90 minutes away */

    /* an item done wholly online needs no visit; staff do not book for themselves */
    ow_hall_book_in in = {.site = "C00", .item_id = f->online, .day = "2026-10-12", .slot = 540};
    int64_t x;
    expect(f, ow_hall_book(&f->cx, &in, &x), OW_ECONFLICT, "item_online_only");
    as_user(f, "demo-clerk");
    book(f, "2026-10-12", 540, OW_EFORBIDDEN, NULL);
    anonymous(f);
    book(f, "2026-10-12", 540, OW_EUNAUTH, NULL);
}

static void capacity_and_daily_limit(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 10, 0));
    /* 婚姻登记 takes two appointments each half hour */
    as_user(f, "demo-citizen");
    int64_t a1 = book(f, "2026-10-09", 540, OW_OK, NULL);
    as_user(f, "demo-enterprise");
    book(f, "2026-10-09", 540, OW_OK, NULL);
    as_user(f, "citizen-3");
    book(f, "2026-10-09", 540, OW_ECONFLICT, "slot_full");
    /* a cancelled appointment gives its place back */
    as_user(f, "demo-citizen");
    ow_hall_appt_act cancel = {.action = "cancel"};
    expect(f, ow_hall_appointment_act(&f->cx, a1, &cancel), OW_OK, NULL);
    expect(f, ow_hall_appointment_act(&f->cx, a1, &cancel), OW_ECONFLICT, "invalid_transition");
    as_user(f, "citizen-3");
    book(f, "2026-10-09", 540, OW_OK, NULL);
    /* two a day per person */
    book(f, "2026-10-09", 600, OW_OK, NULL);
    book(f, "2026-10-09", 900, OW_ECONFLICT, "daily_limit");
    book(f, "2026-10-12", 900, OW_OK, NULL);
    /* the slot list counts what is left */
    json_t *slots;
    anonymous(f);
    assert_int_equal(ow_hall_slots_json(&f->cx, "C00", f->marriage, 0, &slots), OW_OK);
    json_t *oct9 = json_array_get(json_object_get(slots, "days"), 4);
    assert_string_equal(json_string_value(json_object_get(oct9, "date")), "2026-10-09");
    json_t *s0900 = json_array_get(json_object_get(oct9, "slots"), 1); /* 08:30, 09:00 … */
    assert_int_equal(json_integer_value(json_object_get(s0900, "slot")), 540);
    assert_int_equal(json_integer_value(json_object_get(s0900, "left")), 0);
    assert_false(json_is_true(json_object_get(s0900, "open")));
    json_decref(slots);
}

static void cancel_and_move_until_the_cut_off(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 9, 0));
    as_user(f, "demo-citizen");
    int64_t id = book(f, "2026-09-28", 660, OW_OK, NULL); /* 11:00, booked at 9:00 */
    ow_hall_appt_act move = {.action = "move", .day = "2026-09-29", .slot = 870};
    expect(f, ow_hall_appointment_act(&f->cx, id, &move), OW_OK, NULL);
    json_t *a;
    assert_int_equal(ow_hall_appointment_json(&f->cx, id, &a), OW_OK);
    assert_string_equal(json_string_value(json_object_get(a, "day")), "2026-09-29");
    assert_string_equal(json_string_value(json_object_get(a, "start")), "14:30");
    assert_int_equal(json_integer_value(json_object_get(a, "moves")), 1);
    json_decref(a);
    /* 13:31 the next day: 59 minutes before 14:30 — too late to move or cancel */
    now_is(f, at("2026-09-29", 13, 31));
    move.day = "2026-09-30";
    move.slot = 540;
    expect(f, ow_hall_appointment_act(&f->cx, id, &move), OW_ECONFLICT, "too_late");
    ow_hall_appt_act cancel = {.action = "cancel"};
    expect(f, ow_hall_appointment_act(&f->cx, id, &cancel), OW_ECONFLICT, "too_late");
    /* somebody else's appointment does not exist for them; staff cancel with a reason */
    as_user(f, "demo-enterprise");
    expect(f, ow_hall_appointment_act(&f->cx, id, &cancel), OW_ENOTFOUND, NULL);
    as_user(f, "demo-clerk");
    expect(f, ow_hall_appointment_act(&f->cx, id, &cancel), OW_EINVAL, NULL);
    cancel.reason = "申请人来电取消";
    expect(f, ow_hall_appointment_act(&f->cx, id, &cancel), OW_OK, NULL);
}

static void three_no_shows_block_online_booking(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 7, 30));
    as_user(f, "demo-citizen");
    book(f, "2026-09-28", 540, OW_OK, NULL);
    book(f, "2026-09-29", 540, OW_OK, NULL);
    book(f, "2026-09-30", 540, OW_OK, NULL);
    /* 9:44 on 9-28: the 9:00 half hour's check-in window (until 9:45) is still open */
    now_is(f, at("2026-09-28", 9, 44));
    as_system(f);
    int n;
    assert_int_equal(ow_hall_sweep(&f->cx, &n), OW_OK);
    assert_int_equal(n, 0);
    now_is(f, at("2026-09-30", 18, 0));
    assert_int_equal(ow_hall_sweep(&f->cx, &n), OW_OK);
    assert_true(n >= 4); /* three no-shows and the block */
    as_user(f, "demo-citizen");
    book(f, "2026-10-08", 540, OW_ECONFLICT, "booking_blocked");
    json_t *status;
    assert_int_equal(ow_hall_booking_status_json(&f->cx, &status), OW_OK);
    json_t *blocked = json_object_get(status, "blocked");
    assert_string_equal(json_string_value(json_object_get(blocked, "until")), "2026-10-29");
    assert_int_equal(json_integer_value(json_object_get(status, "no_shows_recent")), 3);
    json_decref(status);
    /* supervisors see it; only an administrator lifts it, with a reason */
    as_user(f, "demo-supervisor");
    json_t *items;
    int64_t total;
    assert_int_equal(ow_hall_blocks_json(&f->cx, true, 1, 20, &items, &total), OW_OK);
    assert_int_equal(total, 1);
    int64_t block = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
    json_decref(items);
    expect(f, ow_hall_block_lift(&f->cx, block, "x"), OW_EFORBIDDEN, NULL);
    as_user(f, "demo-admin");
    expect(f, ow_hall_block_lift(&f->cx, block, ""), OW_EINVAL, NULL);
    expect(f, ow_hall_block_lift(&f->cx, block, "申请人因病未能到场，提供了证明"), OW_OK, NULL);
    as_user(f, "demo-citizen");
    book(f, "2026-10-08", 540, OW_OK, NULL);
    /* a fourth no-show: the three that made the first block do not count again */
    now_is(f, at("2026-10-08", 18, 0));
    as_system(f);
    assert_int_equal(ow_hall_sweep(&f->cx, &n), OW_OK);
    assert_int_equal(n, 1);
    as_user(f, "demo-citizen");
    book(f, "2026-10-09", 540, OW_OK, NULL);
}

static void a_day_that_becomes_a_holiday_cancels_its_appointments(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 10, 0));
    as_user(f, "demo-citizen");
    int64_t id = book(f, "2026-10-12", 540, OW_OK, NULL);
    as_user(f, "demo-admin");
    int recomputed;
    assert_int_equal(ow_calendar_set_day(&f->cx, "2026-10-12", "holiday", "临时调整", &recomputed),
                     OW_OK);
    as_user(f, "demo-citizen");
    json_t *a;
    assert_int_equal(ow_hall_appointment_json(&f->cx, id, &a), OW_OK);
    assert_string_equal(json_string_value(json_object_get(a, "state")), "cancelled");
    assert_non_null(strstr(json_string_value(json_object_get(a, "cancel_reason")), "节假日"));
    json_decref(a);
}

/* ---------------- tickets and calling ---------------- */

static int64_t take(fx *f, int64_t group, bool green, int want, const char *kind) {
    anonymous(f);
    ow_hall_take_in in = {
        .site = "C00", .via = "kiosk", .kiosk_key = f->key, .group_id = group, .green = green};
    int64_t id = 0;
    expect(f, ow_hall_take(&f->cx, &in, &id), want, kind);
    return id;
}

static const char *number_of(fx *f, int64_t id, char out[8]) {
    json_t *t;
    as_system(f);
    assert_int_equal(ow_hall_ticket_json(&f->cx, id, NULL, &t), OW_OK);
    snprintf(out, 8, "%s", json_string_value(json_object_get(t, "number")));
    json_decref(t);
    return out;
}

/* How many wait in a group of the centre now, as the kiosk and the display read it. */
static int waiting_in(fx *f, const char *letter) {
    json_t *site;
    anonymous(f);
    assert_int_equal(ow_hall_site_json(&f->cx, "C00", &site), OW_OK);
    size_t i;
    json_t *g;
    int n = -1;
    json_array_foreach(json_object_get(site, "groups"), i, g) {
        if (!strcmp(json_string_value(json_object_get(g, "letter")), letter))
            n = (int)json_integer_value(json_object_get(g, "waiting"));
    }
    json_decref(site);
    return n;
}

static int ahead_of(fx *f, int64_t id) {
    json_t *t;
    as_system(f);
    assert_int_equal(ow_hall_ticket_json(&f->cx, id, NULL, &t), OW_OK);
    int n = (int)json_integer_value(json_object_get(t, "ahead"));
    json_decref(t);
    return n;
}

static void ticket_numbers_are_gapless_per_group_and_day(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 9, 0));
    char n[8], want[8];
    int64_t b[13];
    for (int i = 1; i <= 12; i++) {
        snprintf(want, sizeof want, "B%03d", i);
        b[i] = take(f, f->group_b, false, OW_OK, NULL);
        assert_string_equal(number_of(f, b[i], n), want);
    }
    /* people ahead, counted from either end of the line; a green ticket goes first */
    assert_int_equal(ahead_of(f, b[1]), 0);
    assert_int_equal(ahead_of(f, b[5]), 4);
    assert_int_equal(ahead_of(f, b[10]), 9);
    assert_int_equal(ahead_of(f, b[12]), 11);
    int64_t green = take(f, f->group_b, true, OW_OK, NULL);
    assert_int_equal(ahead_of(f, green), 0);
    assert_int_equal(ahead_of(f, b[12]), 12);
    anonymous(f);
    char tok[OW_HALL_TOKEN_CHARS + 1];
    ow_hall_ticket_token(&f->cx, green, tok);
    expect(f, ow_hall_ticket_cancel(&f->cx, green, tok), OW_OK, NULL);
    assert_int_equal(ahead_of(f, b[12]), 11);
    assert_string_equal(number_of(f, take(f, f->group_a, false, OW_OK, NULL), n), "A001");
    assert_int_equal(waiting_in(f, "B"), 12);
    assert_int_equal(waiting_in(f, "A"), 1);
    /* a ticket machine without the hall's key issues nothing */
    anonymous(f);
    ow_hall_take_in bad = {.site = "C00", .via = "kiosk", .kiosk_key = "x", .group_id = f->group_a};
    int64_t id;
    expect(f, ow_hall_take(&f->cx, &bad, &id), OW_EFORBIDDEN, "kiosk_key");
    /* the next working day starts again at 001; the lunch break and the evening issue none */
    now_is(f, at("2026-09-28", 12, 30));
    take(f, f->group_b, false, OW_ECONFLICT, "hall_closed");
    now_is(f, at("2026-09-28", 17, 20)); /* 15 minutes before closing, the machines stop */
    take(f, f->group_b, false, OW_ECONFLICT, "hall_closed");
    now_is(f, at("2026-10-01", 9, 0));
    take(f, f->group_b, false, OW_ECONFLICT, "hall_closed"); /* 国庆节 */
    now_is(f, at("2026-09-29", 9, 0));
    assert_string_equal(number_of(f, take(f, f->group_b, false, OW_OK, NULL), n), "B001");
}

static int64_t call_next(fx *f, const char *clerk, int want, const char *kind) {
    as_user(f, clerk);
    int64_t id = 0;
    expect(f, ow_hall_call_next(&f->cx, &id), want, kind);
    return id;
}

static void act(fx *f, const char *clerk, int64_t id, const char *action, int want,
                const char *kind) {
    as_user(f, clerk);
    ow_hall_ticket_act_in in = {.action = action};
    expect(f, ow_hall_ticket_act(&f->cx, id, &in), want, kind);
}

static void priority_calling_transfer_and_the_visit_record(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 7, 30));
    as_user(f, "demo-citizen");
    int64_t appt = book(f, "2026-09-28", 540, OW_OK, NULL); /* 婚姻登记 at 9:00 */
    now_is(f, at("2026-09-28", 8, 40));
    int64_t a1 = take(f, f->group_a, false, OW_OK, NULL);
    int64_t a2 = take(f, f->group_a, false, OW_OK, NULL);
    int64_t green = take(f, f->group_a, true, OW_OK, NULL);
    json_t *ap;
    as_user(f, "demo-citizen");
    assert_int_equal(ow_hall_appointment_json(&f->cx, appt, &ap), OW_OK);
    char code[8];
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(ap, "code")));
    json_decref(ap);
    anonymous(f);
    ow_hall_take_in in = {.site = "C00", .via = "kiosk", .kiosk_key = f->key, .appt_code = code};
    int64_t checked;
    now_is(f, at("2026-09-28", 7, 59)); /* check-in opens 60 minutes before the half hour */
    expect(f, ow_hall_take(&f->cx, &in, &checked), OW_ECONFLICT, "checkin_early");
    now_is(f, at("2026-09-28", 8, 40));
    expect(f, ow_hall_take(&f->cx, &in, &checked), OW_OK, NULL);
    char n[8];
    assert_string_equal(number_of(f, checked, n), "F001");
    anonymous(f);
    expect(f, ow_hall_take(&f->cx, &in, &checked), OW_ECONFLICT, "already_checked_in");

    /* 窗口一 calls A: 绿色通道 first, then in order */
    now_is(f, at("2026-09-28", 9, 0));
    assert_int_equal(call_next(f, "demo-clerk", OW_OK, NULL), green);
    call_next(f, "demo-clerk", OW_ECONFLICT, "ticket_in_hand");
    act(f, "demo-clerk", green, "recall", OW_OK, NULL);
    now_is(f, at("2026-09-28", 9, 2));
    act(f, "demo-clerk", green, "serve", OW_OK, NULL);
    act(f, "clerk-w14", green, "done", OW_ECONFLICT, "not_yours");
    now_is(f, at("2026-09-28", 9, 12));
    act(f, "demo-clerk", green, "done", OW_OK, NULL);
    /* the applicant rates the service at the window's evaluator: the visit has it */
    anonymous(f);
    json_t *kiosk;
    assert_int_equal(ow_kiosk_json(&f->cx, "W01", &kiosk), OW_OK);
    int64_t service = json_integer_value(json_object_get(json_object_get(kiosk, "service"), "id"));
    json_decref(kiosk);
    assert_true(service > 0);
    ow_rating_in rate = {.level = 5};
    int64_t rating;
    assert_int_equal(ow_rating_kiosk(&f->cx, "W01", service, &rate, &rating), OW_OK);
    as_user(f, "demo-clerk");
    json_t *visit;
    assert_int_equal(ow_hall_visit_json(&f->cx, green, &visit), OW_OK);
    assert_int_equal(json_integer_value(json_object_get(visit, "waited_min")), 20);
    assert_int_equal(json_integer_value(json_object_get(visit, "service_min")), 10);
    assert_int_equal(json_integer_value(json_object_get(visit, "calls")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(visit, "rating"), "level")),
                     5);
    assert_true(json_array_size(json_object_get(visit, "timeline")) >= 5);
    json_decref(visit);

    /* A001 goes to the 婚姻登记 window, where it is called before the appointment */
    now_is(f, at("2026-09-28", 9, 15));
    assert_int_equal(call_next(f, "demo-clerk", OW_OK, NULL), a1);
    as_user(f, "demo-clerk");
    ow_hall_ticket_act_in tr = {.action = "transfer", .window_id = f->w01};
    expect(f, ow_hall_ticket_act(&f->cx, a1, &tr), OW_EINVAL, NULL); /* not to itself */
    tr.window_id = f->w14;
    expect(f, ow_hall_ticket_act(&f->cx, a1, &tr), OW_OK, NULL);
    assert_int_equal(call_next(f, "clerk-w14", OW_OK, NULL), a1);
    act(f, "clerk-w14", a1, "no_show", OW_OK, NULL);
    assert_int_equal(call_next(f, "clerk-w14", OW_OK, NULL), checked);
    /* the no-show comes back: queued again at the end */
    act(f, "demo-clerk", a1, "requeue", OW_OK, NULL);
    assert_int_equal(call_next(f, "demo-clerk", OW_OK, NULL), a2);
    act(f, "demo-clerk", a2, "no_show", OW_OK, NULL);
    assert_int_equal(call_next(f, "demo-clerk", OW_OK, NULL), a1);
    act(f, "demo-clerk", a1, "no_show", OW_OK, NULL);
    call_next(f, "demo-clerk", OW_ECONFLICT, "queue_empty");
    /* every move in and out of the queue kept the counts */
    assert_int_equal(waiting_in(f, "A"), 0);
    assert_int_equal(waiting_in(f, "F"), 0);

    /* the board shows each window's number and says the call */
    json_t *board;
    anonymous(f);
    assert_int_equal(ow_hall_board_json(&f->cx, "C00", &board), OW_OK);
    bool w14_has_f001 = false;
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(board, "windows"), i, w) {
        if (!strcmp(json_string_value(json_object_get(w, "code")), "W14"))
            w14_has_f001 = !strcmp(json_string_value(json_object_get(w, "number")), "F001");
    }
    assert_true(w14_has_f001);
    json_decref(board);
    json_t *call;
    char site[32];
    int64_t step;
    assert_int_equal(ow_hall_last_call(&f->cx, checked, &step), OW_OK);
    assert_int_equal(ow_hall_call_json(&f->cx, step, &call, site), OW_OK);
    assert_int_equal(json_integer_value(json_object_get(call, "id")), step);
    assert_false(json_is_true(json_object_get(call, "recall")));
    assert_string_equal(json_string_value(json_object_get(call, "utterance")),
                        "请F001号到婚姻登记窗口办理");
    assert_string_equal(site, "C00");
    json_decref(call);
}

static void pause_needs_a_reason_and_stops_calling(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 9, 0));
    int64_t t = take(f, f->group_a, false, OW_OK, NULL);
    as_user(f, "demo-clerk");
    expect(f, ow_hall_window_set(&f->cx, "pause", "break", NULL), OW_ECONFLICT,
           "invalid_transition"); /* not open yet */
    expect(f, ow_hall_window_set(&f->cx, "open", NULL, NULL), OW_OK, NULL);
    expect(f, ow_hall_window_set(&f->cx, "pause", "nap", NULL), OW_EINVAL, NULL);
    expect(f, ow_hall_window_set(&f->cx, "pause", "other", NULL), OW_EINVAL, NULL);
    expect(f, ow_hall_window_set(&f->cx, "pause", "meeting", "科室例会"), OW_OK, NULL);
    call_next(f, "demo-clerk", OW_ECONFLICT, "window_paused");
    now_is(f, at("2026-09-28", 9, 25));
    as_user(f, "demo-clerk");
    expect(f, ow_hall_window_set(&f->cx, "resume", NULL, NULL), OW_OK, NULL);
    assert_int_equal(call_next(f, "demo-clerk", OW_OK, NULL), t);
    as_user(f, "demo-clerk");
    expect(f, ow_hall_window_set(&f->cx, "pause", "break", NULL), OW_ECONFLICT, "ticket_in_hand");
    json_t *c;
    assert_int_equal(ow_hall_counter_json(&f->cx, &c), OW_OK);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "today"), "paused_min")),
                     25);
    assert_string_equal(json_string_value(json_object_get(json_object_get(c, "ticket"), "number")),
                        "A001");
    json_decref(c);
    /* only clerks call */
    as_user(f, "demo-approver");
    int64_t id;
    expect(f, ow_hall_call_next(&f->cx, &id), OW_EFORBIDDEN, NULL);
}

static void the_next_day_expires_what_was_left(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 9, 0));
    int64_t served = take(f, f->group_a, false, OW_OK, NULL);
    int64_t left = take(f, f->group_a, false, OW_OK, NULL);
    assert_int_equal(call_next(f, "demo-clerk", OW_OK, NULL), served);
    act(f, "demo-clerk", served, "serve", OW_OK, NULL);
    as_user(f, "demo-clerk");
    expect(f, ow_hall_window_set(&f->cx, "pause", "break", NULL), OW_ECONFLICT, "ticket_in_hand");
    assert_int_equal(waiting_in(f, "A"), 1);
    now_is(f, at("2026-09-29", 8, 0));
    as_system(f);
    int n;
    assert_int_equal(ow_hall_sweep(&f->cx, &n), OW_OK);
    assert_int_equal(n, 3); /* two tickets and the window */
    json_t *t;
    assert_int_equal(ow_hall_ticket_json(&f->cx, left, NULL, &t), OW_OK);
    assert_string_equal(json_string_value(json_object_get(t, "state")), "expired");
    json_decref(t);
    assert_int_equal(ow_hall_ticket_json(&f->cx, served, NULL, &t), OW_OK);
    assert_string_equal(json_string_value(json_object_get(t, "state")), "done");
    json_decref(t);
}

static int wait_of(fx *f, int64_t id) {
    json_t *t;
    as_system(f);
    assert_int_equal(ow_hall_ticket_json(&f->cx, id, NULL, &t), OW_OK);
    int n = (int)json_integer_value(json_object_get(t, "wait_min"));
    json_decref(t);
    return n;
}

static void the_wait_estimate_learns_the_days_service_time(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 9, 0));
    int64_t t[6];
    for (int i = 0; i < 6; i++)
        t[i] = take(f, f->group_a, false, OW_OK, NULL);
    /* three served in 6, 8 and 13 minutes (mean 9), one no-show that does not count */
    int64_t clock = at("2026-09-28", 9, 0);
    const int minutes[] = {6, 8, 13};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(call_next(f, "demo-clerk", OW_OK, NULL), t[i]);
        act(f, "demo-clerk", t[i], "serve", OW_OK, NULL);
        clock += minutes[i] * 60000;
        now_is(f, clock);
        act(f, "demo-clerk", t[i], "done", OW_OK, NULL);
    }
    assert_int_equal(call_next(f, "demo-clerk", OW_OK, NULL), t[3]);
    act(f, "demo-clerk", t[3], "no_show", OW_OK, NULL);
    /* one window open for A: the next waits for nobody, the one after for one service */
    assert_int_equal(ahead_of(f, t[5]), 1);
    assert_int_equal(wait_of(f, t[4]), 0);
    assert_int_equal(wait_of(f, t[5]), 9);

    /* the window's day as the clerk's desk shows it */
    as_user(f, "demo-clerk");
    json_t *c;
    assert_int_equal(ow_hall_counter_json(&f->cx, &c), OW_OK);
    json_t *today = json_object_get(c, "today");
    assert_int_equal(json_integer_value(json_object_get(today, "called")), 4);
    assert_int_equal(json_integer_value(json_object_get(today, "served")), 3);
    assert_int_equal(json_integer_value(json_object_get(today, "no_show")), 1);
    assert_int_equal(json_integer_value(json_object_get(today, "avg_service_min")), 9);
    json_t *recent = json_object_get(c, "recent");
    assert_int_equal(json_array_size(recent), 4);
    json_t *last = json_array_get(recent, 1); /* newest first: the no-show, then A003 */
    assert_string_equal(json_string_value(json_object_get(last, "number")), "A003");
    assert_int_equal(json_integer_value(json_object_get(last, "service_min")), 13);
    assert_string_equal(json_string_value(json_object_get(json_object_get(last, "group"), "name")),
                        "综合受理");
    json_decref(c);
}

/* ---------------- figures ---------------- */

static json_t *row_named(json_t *table, const char *name) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(table, "rows"), i, r) {
        if (!strcmp(json_string_value(json_object_get(r, "name")), name)) return r;
    }
    fail_msg("no row %s", name);
    return NULL;
}

static void figures_count_waits_services_and_abandonment(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 9, 0));
    int64_t t1 = take(f, f->group_a, false, OW_OK, NULL); /* served: wait 10, service 20 */
    int64_t t2 = take(f, f->group_a, false, OW_OK, NULL); /* no-show after 40 minutes */
    int64_t t3 = take(f, f->group_a, false, OW_OK, NULL); /* given up */
    now_is(f, at("2026-09-28", 9, 10));
    assert_int_equal(call_next(f, "demo-clerk", OW_OK, NULL), t1);
    act(f, "demo-clerk", t1, "serve", OW_OK, NULL);
    now_is(f, at("2026-09-28", 9, 30));
    act(f, "demo-clerk", t1, "done", OW_OK, NULL);
    anonymous(f);
    char tok[OW_HALL_TOKEN_CHARS + 1];
    ow_hall_ticket_token(&f->cx, t3, tok);
    expect(f, ow_hall_ticket_cancel(&f->cx, t3, "wrong"), OW_ENOTFOUND, NULL);
    expect(f, ow_hall_ticket_cancel(&f->cx, t3, tok), OW_OK, NULL);
    now_is(f, at("2026-09-28", 9, 40));
    assert_int_equal(call_next(f, "demo-clerk", OW_OK, NULL), t2);
    act(f, "demo-clerk", t2, "no_show", OW_OK, NULL);

    as_user(f, "demo-supervisor");
    ow_hall_stats_query q = {.from = D("2026-09-28"), .to = D("2026-09-28"), .by = "category"};
    json_t *table;
    assert_int_equal(ow_hall_stats_json(&f->cx, &q, &table), OW_OK);
    json_t *a = row_named(table, "A 综合受理");
    assert_int_equal(json_integer_value(json_object_get(a, "tickets")), 3);
    assert_int_equal(json_integer_value(json_object_get(a, "served")), 1);
    assert_int_equal(json_integer_value(json_object_get(a, "no_show")), 1);
    assert_int_equal(json_integer_value(json_object_get(a, "abandoned")), 1);
    assert_true(json_real_value(json_object_get(a, "avg_wait_min")) == 25.0); /* (10 + 40) / 2 */
    assert_true(json_real_value(json_object_get(a, "p90_wait_min")) == 40.0);
    assert_true(json_real_value(json_object_get(a, "avg_service_min")) == 20.0);
    json_decref(table);
    q.by = "clerk";
    assert_int_equal(ow_hall_stats_json(&f->cx, &q, &table), OW_OK);
    json_t *c = row_named(table, "刘敏");
    assert_int_equal(json_integer_value(json_object_get(c, "calls")), 2);
    assert_int_equal(json_integer_value(json_object_get(c, "served")), 1);
    json_decref(table);
    q.by = "hour";
    assert_int_equal(ow_hall_stats_json(&f->cx, &q, &table), OW_OK);
    assert_int_equal(
        json_integer_value(json_object_get(row_named(table, "09:00–10:00"), "tickets")), 3);
    json_decref(table);
    q.by = "weekday";
    expect(f, ow_hall_stats_json(&f->cx, &q, &table), OW_EINVAL, NULL);
    /* a clerk reads their own hall only; an approver none */
    as_user(f, "demo-clerk");
    q.by = "day";
    q.site = "T01";
    expect(f, ow_hall_stats_json(&f->cx, &q, &table), OW_EFORBIDDEN, NULL);
    as_user(f, "demo-approver");
    q.site = NULL;
    expect(f, ow_hall_stats_json(&f->cx, &q, &table), OW_EFORBIDDEN, NULL);
}

/* ---------------- 帮办代办 ---------------- */

static void assisted_applications_are_confirmed_by_the_applicant(void **state) {
    fx *f = *state;
    now_is(f, at("2026-09-28", 10, 0));
    as_user(f, "demo-agent");
    char good[19] = "43090319900315231", bad[19]; /* the demo citizen's number */
    good[17] = ow_id_number_compute_check(good);
    good[18] = '\0';
    memcpy(bad, good, sizeof bad);
    bad[17] = good[17] == '0' ? '1' : '0';
    ow_hall_assist_in in = {.kind = "agent",
                            .applicant_name = "张伟",
                            .id_number = bad,
                            .item_id = f->marriage,
                            .minutes = 25,
                            .note = "老人行动不便，代为提交"};
    int64_t id;
    expect(f, ow_hall_assist_create(&f->cx, &in, &id), OW_EINVAL, NULL); /* bad check digit */
    in.id_number = good;
    in.minutes = 0;
    expect(f, ow_hall_assist_create(&f->cx, &in, &id), OW_EINVAL, NULL);
    in.minutes = 25;
    expect(f, ow_hall_assist_create(&f->cx, &in, &id), OW_OK, NULL);
    json_t *a;
    assert_int_equal(ow_hall_assist_json(&f->cx, id, NULL, &a), OW_OK);
    assert_string_equal(json_string_value(json_object_get(a, "state")), "recorded");
    assert_string_equal(json_string_value(json_object_get(a, "applicant_name")), "张伟");
    char *text = json_dumps(a, 0);
    assert_null(strstr(text, good)); /* the number only masked */
    free(text);
    json_decref(a);
    /* the applicant, signed in, finds it by their own ID number and confirms */
    as_user(f, "demo-citizen");
    json_t *items;
    int64_t total;
    ow_hall_assist_query q = {.page = 1, .per_page = 20};
    assert_int_equal(ow_hall_assists_json(&f->cx, &q, &items, &total), OW_OK);
    assert_int_equal(total, 1);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(items, 0), "applicant_name")), "张*");
    json_decref(items);
    expect(f, ow_hall_assist_act(&f->cx, id, "paper", NULL, NULL), OW_EFORBIDDEN, NULL);
    expect(f, ow_hall_assist_act(&f->cx, id, "confirm", NULL, NULL), OW_OK, NULL);
    expect(f, ow_hall_assist_act(&f->cx, id, "dispute", NULL, "不对"), OW_ECONFLICT,
           "invalid_transition");
    /* someone else's record is not there for them */
    as_user(f, "demo-enterprise");
    assert_int_equal(ow_hall_assist_json(&f->cx, id, NULL, &a), OW_ENOTFOUND);
    /* the link on the helper's screen: dispute needs a reason */
    as_user(f, "demo-agent");
    in.applicant_name = "李四";
    int64_t id2;
    expect(f, ow_hall_assist_create(&f->cx, &in, &id2), OW_OK, NULL);
    anonymous(f);
    char tok[OW_HALL_TOKEN_CHARS + 1];
    ow_hall_assist_token(&f->cx, id2, tok);
    expect(f, ow_hall_assist_act(&f->cx, id2, "dispute", tok, NULL), OW_EINVAL, NULL);
    expect(f, ow_hall_assist_act(&f->cx, id2, "dispute", tok, "用时不对"), OW_OK, NULL);
    as_user(f, "demo-clerk");
    expect(f, ow_hall_assist_act(&f->cx, id2, "paper", NULL, NULL), OW_ENOTFOUND, NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hours_are_half_hour_sessions_in_order),
        cmocka_unit_test_setup_teardown(booking_follows_the_legal_calendar, setup, teardown),
        cmocka_unit_test_setup_teardown(capacity_and_daily_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_and_move_until_the_cut_off, setup, teardown),
        cmocka_unit_test_setup_teardown(three_no_shows_block_online_booking, setup, teardown),
        cmocka_unit_test_setup_teardown(a_day_that_becomes_a_holiday_cancels_its_appointments,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(ticket_numbers_are_gapless_per_group_and_day, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(priority_calling_transfer_and_the_visit_record, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(pause_needs_a_reason_and_stops_calling, setup, teardown),
        cmocka_unit_test_setup_teardown(the_next_day_expires_what_was_left, setup, teardown),
        cmocka_unit_test_setup_teardown(the_wait_estimate_learns_the_days_service_time, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(figures_count_waits_services_and_abandonment, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(assisted_applications_are_confirmed_by_the_applicant, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
