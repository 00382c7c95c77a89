/* test_calendar.c — dates, the working-day calendar and deadline arithmetic
 * (src/core/workdays.c), against the real data/calendar/2025.csv and 2026.csv.
 *
 * Expected dates are worked out by hand in the comments from the State Council
 * notices as recorded in those files (W = working day, H = holiday, 调 = adjusted
 * working weekend, S = ordinary Saturday/Sunday):
 *
 * Spring Festival 2025: 1-26 Sun 调; 1-28 Tue … 2-04 Tue H; 2-08 Sat 调.
 *   Fri 1-24 W, Sat 1-25 S, Sun 1-26 调, Mon 1-27 W, 1-28…2-04 H, Wed 2-05 W,
 *   Thu 2-06 W, Fri 2-07 W, Sat 2-08 调, Sun 2-09 S, Mon 2-10 W.
 * National Day 2025: 9-28 Sun 调; 10-01 Wed … 10-08 Wed H; 10-11 Sat 调.
 *   Fri 9-26 W, Sat 9-27 S, Sun 9-28 调, Mon 9-29 W, Tue 9-30 W, 10-01…10-08 H,
 *   Thu 10-09 W, Fri 10-10 W, Sat 10-11 调, Sun 10-12 S, Mon 10-13 W.
 * New Year 2026: 1-01 Thu … 1-03 Sat H; 1-04 Sun 调.
 * Spring Festival 2026: 2-14 Sat 调; 2-15 Sun … 2-23 Mon H; 2-28 Sat 调.
 *   Tue 2-10 W, Wed 2-11 W, Thu 2-12 W, Fri 2-13 W, Sat 2-14 调, 2-15…2-23 H,
 *   Tue 2-24 W, Wed 2-25 W, Thu 2-26 W, Fri 2-27 W, Sat 2-28 调, Sun 3-01 S,
 *   Mon 3-02 … Fri 3-06 W, Mon 3-09 … Fri 3-13 W, Mon 3-16 … Fri 3-20 W, 3-23, 3-24.
 * Mid-Autumn and National Day 2026: 9-20 Sun 调; 9-25 Fri … 9-27 Sun H;
 *   10-01 Thu … 10-07 Wed H; 10-10 Sat 调.
 *   Fri 9-18 W, Sat 9-19 S, Sun 9-20 调, Thu 9-24 W, 9-25…9-27 H, Mon 9-28 W,
 *   Tue 9-29 W, Wed 9-30 W, 10-01…10-07 H, Thu 10-08 W, Fri 10-09 W, Sat 10-10 调,
 *   Sun 10-11 S, Mon 10-12 W. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/workdays.h"
#include "core/holiday_law.h"

static void assert_msg_has(const ow_err *e, const char *needle) {
    if (!strstr(e->message, needle))
        fail_msg("message \"%s\" does not contain \"%s\"", e->message, needle);
}

static int32_t D(const char *s) {
    int32_t d = 0;
    if (ow_date_parse(s, &d) != OW_OK) fail_msg("bad date in test: %s", s);
    return d;
}

/* The repository's data/calendar: CMake defines OW_SOURCE_DIR for every test; a hand
 * compile can set it in the environment, or rely on this file's own path. */
static void data_dir(char *out, size_t n) {
#ifdef OW_SOURCE_DIR
    snprintf(out, n, "%s/data/calendar", OW_SOURCE_DIR);
#else
    const char *root = getenv("OW_SOURCE_DIR");
    if (root) {
        snprintf(out, n, "%s/data/calendar", root);
        return;
    }
    const char *file = __FILE__;
    const char *suffix = "tests/unit/test_calendar.c";
    size_t fl = strlen(file), sl = strlen(suffix);
    size_t rl = fl >= sl && strcmp(file + fl - sl, suffix) == 0 ? fl - sl : 0;
    snprintf(out, n, "%.*sdata/calendar", (int)rl, file);
#endif
}

static int cal_setup(void **state) {
    ow_calendar *cal = ow_cal_new();
    if (!cal) return -1;
    char dir[4096];
    data_dir(dir, sizeof dir);
    ow_err e = {0};
    if (ow_cal_load_dir(cal, dir, &e) != OW_OK) {
        fprintf(stderr, "loading %s: %s\n", dir, e.message);
        ow_cal_free(cal);
        return -1;
    }
    *state = cal;
    return 0;
}

static int cal_teardown(void **state) {
    ow_cal_free(*state);
    return 0;
}

/* from + n working days, as a string. */
static const char *add(ow_calendar *cal, const char *from, int n) {
    static char out[11];
    int32_t due;
    ow_err e = {0};
    int rc = ow_cal_add_workdays(cal, D(from), n, &due, &e);
    if (rc != OW_OK) fail_msg("%s + %d: %s", from, n, e.message);
    ow_date_format(due, out);
    return out;
}

static int count(ow_calendar *cal, const char *from, const char *to) {
    int n = -1;
    ow_err e = {0};
    if (ow_cal_count_workdays(cal, D(from), D(to), &n, &e) != OW_OK)
        fail_msg("%s..%s: %s", from, to, e.message);
    return n;
}

/* ---- dates ---- */

static void date_parse_is_strict(void **state) {
    (void)state;
    int32_t d;
    assert_int_equal(ow_date_parse("1970-01-01", &d), OW_OK);
    assert_int_equal(d, 0);
    assert_int_equal(ow_date_parse("2026-02-14", &d), OW_OK);
    assert_int_equal(d, 20498); /* 56 years × 365 + 14 leap days + 31 + 13 */
    assert_int_equal(ow_date_parse("2024-02-29", &d), OW_OK);
    assert_int_equal(ow_date_parse("2000-02-29", &d), OW_OK);
    assert_int_equal(ow_date_parse("1969-12-31", &d), OW_OK);
    assert_int_equal(d, -1);

    assert_int_equal(ow_date_parse("2026-02-30", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("2025-02-29", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("1900-02-29", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("2026-04-31", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("2026-13-01", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("2026-00-10", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("2026-01-00", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("0000-01-01", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("2026-2-1", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("2026-02-1", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("2026-02-011", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse(" 2026-02-01", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("2026/02/01", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("20260201", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("+026-02-01", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse("", &d), OW_EINVAL);
    assert_int_equal(ow_date_parse(NULL, &d), OW_EINVAL);
}

static void date_round_trips_and_weekdays(void **state) {
    (void)state;
    /* Every day from 1900-01-01 to 2100-12-31 formats and parses back to itself and
     * advances the weekday by one. */
    int32_t first = ow_date_from_ymd(1900, 1, 1), last = ow_date_from_ymd(2100, 12, 31);
    assert_int_equal(ow_date_weekday(first), 1); /* 1900-01-01 was a Monday */
    int prev_wd = 7;
    for (int32_t d = first; d <= last; d++) {
        char s[11];
        int32_t back;
        ow_date_format(d, s);
        assert_int_equal(ow_date_parse(s, &back), OW_OK);
        assert_int_equal(back, d);
        int y, m, dd;
        ow_date_ymd(d, &y, &m, &dd);
        assert_int_equal(ow_date_from_ymd(y, m, dd), d);
        int wd = ow_date_weekday(d);
        assert_int_equal(wd, prev_wd % 7 + 1);
        prev_wd = wd;
    }
    char s[11];
    ow_date_format(D("2026-02-14"), s);
    assert_string_equal(s, "2026-02-14");
    assert_int_equal(ow_date_weekday(0), 4);               /* 1970-01-01 Thursday */
    assert_int_equal(ow_date_weekday(D("2026-02-14")), 6); /* Saturday */
    assert_int_equal(ow_date_weekday(D("2025-10-01")), 3); /* Wednesday */
    assert_int_equal(ow_date_weekday(D("2026-02-22")), 7); /* Sunday */
    assert_int_equal(ow_date_weekday(D("1969-12-29")), 1); /* Monday, before day 0 */
    assert_true(ow_date_valid(2024, 2, 29));
    assert_false(ow_date_valid(2100, 2, 29));
}

static void date_today_in_shanghai(void **state) {
    (void)state;
    const int64_t ms_per_day = 86400000, ms_per_hour = 3600000;
    int64_t midnight_utc = (int64_t)D("2026-02-16") * ms_per_day;
    /* 2026-02-16 15:59:59.999Z is 23:59:59.999 in Shanghai; one ms later it is the 17th. */
    assert_int_equal(ow_date_today_shanghai(midnight_utc + 16 * ms_per_hour - 1), D("2026-02-16"));
    assert_int_equal(ow_date_today_shanghai(midnight_utc + 16 * ms_per_hour), D("2026-02-17"));
    /* 2026-02-15 16:00Z is already the 16th in Shanghai. */
    assert_int_equal(ow_date_today_shanghai(midnight_utc - 8 * ms_per_hour), D("2026-02-16"));
    assert_int_equal(ow_date_today_shanghai(0), 0);
    assert_int_equal(ow_date_today_shanghai(-8 * ms_per_hour), 0);
    assert_int_equal(ow_date_today_shanghai(-8 * ms_per_hour - 1), -1);
}

/* ---- loading ---- */

static void loads_both_years_from_directory(void **state) {
    ow_calendar *cal = *state;
    int years[4];
    assert_int_equal(ow_cal_loaded_years(cal, years, 4), 2);
    assert_int_equal(years[0], 2025);
    assert_int_equal(years[1], 2026);
    assert_true(ow_cal_year_loaded(cal, 2025));
    assert_true(ow_cal_year_loaded(cal, 2026));
    assert_false(ow_cal_year_loaded(cal, 2027));
    char name[64];
    assert_int_equal(ow_cal_day_kind(cal, D("2025-10-01"), name, sizeof name), OW_DAY_HOLIDAY);
    assert_string_equal(name, "国庆节、中秋节");
    assert_int_equal(ow_cal_day_kind(cal, D("2026-02-14"), name, sizeof name), OW_DAY_WORKDAY);
    assert_string_equal(name, "春节调休上班");
    assert_int_equal(ow_cal_day_kind(cal, D("2026-03-02"), name, sizeof name), OW_DAY_NORMAL);
    assert_string_equal(name, "");
}

typedef struct {
    int n, holidays, workdays;
    int32_t prev;
    char first[11], first_name[64];
} walk;

static int collect(void *arg, int32_t d, int kind, const char *name) {
    walk *w = arg;
    if (w->n == 0) {
        ow_date_format(d, w->first);
        snprintf(w->first_name, sizeof w->first_name, "%s", name);
    } else if (d <= w->prev) {
        return 99; /* out of order */
    }
    w->prev = d;
    w->n++;
    w->holidays += kind == OW_DAY_HOLIDAY;
    w->workdays += kind == OW_DAY_WORKDAY;
    return 0;
}

static int stop_at_third(void *arg, int32_t d, int kind, const char *name) {
    (void)d, (void)kind, (void)name;
    return ++*(int *)arg == 3 ? 42 : 0;
}

static void each_override_lists_the_file_in_order(void **state) {
    ow_calendar *cal = *state;
    walk w = {0};
    assert_int_equal(ow_cal_each_override(cal, 2026, collect, &w), OW_OK);
    assert_int_equal(w.n, 39); /* rows in 2026.csv */
    assert_int_equal(w.holidays, 33);
    assert_int_equal(w.workdays, 6);
    assert_string_equal(w.first, "2026-01-01");
    assert_string_equal(w.first_name, "元旦");
    walk w25 = {0};
    assert_int_equal(ow_cal_each_override(cal, 2025, collect, &w25), OW_OK);
    assert_int_equal(w25.n, 33);
    walk none = {0}; /* before the first loaded year: nothing, not even the law's days */
    assert_int_equal(ow_cal_each_override(cal, 2024, collect, &none), OW_OK);
    assert_int_equal(none.n, 0);
    walk law = {0}; /* a provisional year lists the law's days (provisional_2027_…) */
    assert_int_equal(ow_cal_each_override(cal, 2027, collect, &law), OW_OK);
    assert_int_equal(law.n, 19);
    assert_int_equal(law.holidays, 19);
    assert_string_equal(law.first, "2027-01-01");
    assert_string_equal(law.first_name, "元旦");
    int calls = 0;
    assert_int_equal(ow_cal_each_override(cal, 2026, stop_at_third, &calls), 42);
    assert_int_equal(calls, 3);
}

/* A scratch directory with CSV files written by the test. */
typedef struct {
    char dir[64];
    ow_calendar *cal;
} scratch;

static int scratch_setup(void **state) {
    scratch *s = calloc(1, sizeof *s);
    if (!s) return -1;
    snprintf(s->dir, sizeof s->dir, "/tmp/ow_test_calendar_XXXXXX");
    if (!mkdtemp(s->dir) || !(s->cal = ow_cal_new())) {
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

static int scratch_teardown(void **state) {
    scratch *s = *state;
    char cmd[128];
    for (int y = 2020; y <= 2030; y++) {
        snprintf(cmd, sizeof cmd, "%s/%d.csv", s->dir, y);
        unlink(cmd);
    }
    snprintf(cmd, sizeof cmd, "%s/holidays.csv", s->dir);
    unlink(cmd);
    rmdir(s->dir);
    ow_cal_free(s->cal);
    free(s);
    return 0;
}

static const char *scratch_file(scratch *s, const char *name, const char *content) {
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", s->dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
    return path;
}

static void expect_csv_error(scratch *s, const char *content, const char *want) {
    ow_err e = {0};
    const char *path = scratch_file(s, "2027.csv", content);
    int rc = ow_cal_load_csv(s->cal, path, &e);
    if (rc != OW_EINVAL) fail_msg("expected OW_EINVAL for \"%s\", got %d", want, rc);
    assert_string_equal(e.field, "calendar");
    assert_msg_has(&e, "2027.csv");
    assert_msg_has(&e, want);
    assert_false(ow_cal_year_loaded(s->cal, 2027)); /* a bad file changes nothing */
}

static void csv_errors_name_the_line(void **state) {
    scratch *s = *state;
    /* 2027-01-01 is a Friday, 2027-01-02 a Saturday. */
    expect_csv_error(s, "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n",
                     "第3行：日期「2027-02-30」不正确");
    expect_csv_error(s, "date,kind,name\n2027-1-1,holiday,元旦\n", "第2行：日期「2027-1-1」");
    expect_csv_error(s, "date,kind,name\n2027-01-01,vacation,元旦\n",
                     "第2行：类型「vacation」无效");
    expect_csv_error(s, "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,workday,x\n",
                     "第3行：2027-01-01是星期五，调休上班日（workday）只能是星期六或星期日");
    expect_csv_error(s,
                     "date,kind,name\n2027-01-01,holiday,元旦\n\n2027-01-02,holiday,元旦\n"
                     "2027-01-01,holiday,元旦\n",
                     "第5行：2027-01-01重复出现（第2行已列出）");
    expect_csv_error(s, "date,kind,name\n2026-12-31,holiday,x\n", "第2行：2026-12-31不属于2027年");
    expect_csv_error(s, "date,kind\n2027-01-01,holiday\n", "第1行：第一行应为表头");
    expect_csv_error(s, "date,kind,name\n2027-01-01,holiday\n", "第2行：应有3列");
    expect_csv_error(s, "date,kind,name\n2027-01-01,holiday,元旦,多余\n", "第2行：名称列格式");
    expect_csv_error(s, "", "空文件");
    expect_csv_error(s,
                     "date,kind,name\n2027-01-01,holiday,"
                     "这个名称特别特别特别特别特别特别特别特别特别特别特别长\n",
                     "第2行：名称过长");
}

static void csv_good_file_replaces_year(void **state) {
    scratch *s = *state;
    ow_err e = {0};
    /* CRLF line ends, a BOM, a quoted name with a comma, a blank line. */
    const char *path = scratch_file(s, "2027.csv",
                                    "\xEF\xBB\xBF"
                                    "date,kind,name\r\n"
                                    "2027-01-01,holiday,元旦\r\n"
                                    "\r\n"
                                    "2027-01-02,holiday,\"元旦, \"\"假期\"\"\"\r\n"
                                    "2027-01-03,workday,调休\r\n");
    assert_int_equal(ow_cal_load_csv(s->cal, path, &e), OW_OK);
    assert_true(ow_cal_year_loaded(s->cal, 2027));
    char name[64];
    assert_int_equal(ow_cal_day_kind(s->cal, D("2027-01-02"), name, sizeof name), OW_DAY_HOLIDAY);
    assert_string_equal(name, "元旦, \"假期\"");
    bool w;
    assert_int_equal(ow_cal_is_workday(s->cal, D("2027-01-03"), &w, &e), OW_OK); /* Sun */
    assert_true(w);
    assert_int_equal(ow_cal_is_workday(s->cal, D("2027-01-01"), &w, &e), OW_OK); /* Fri */
    assert_false(w);

    /* Loading the year again replaces it: 01-01 is an ordinary Friday now. */
    path = scratch_file(s, "2027.csv", "date,kind,name\n2027-01-02,holiday,x\n");
    assert_int_equal(ow_cal_load_csv(s->cal, path, &e), OW_OK);
    assert_int_equal(ow_cal_is_workday(s->cal, D("2027-01-01"), &w, &e), OW_OK);
    assert_true(w);
    assert_int_equal(ow_cal_day_kind(s->cal, D("2027-01-03"), NULL, 0), OW_DAY_NORMAL);

    /* A bad file after a good one leaves the good one in place. */
    path = scratch_file(s, "2027.csv", "date,kind,name\n2027-01-04,workday,x\n");
    assert_int_equal(ow_cal_load_csv(s->cal, path, &e), OW_EINVAL);
    assert_int_equal(ow_cal_day_kind(s->cal, D("2027-01-02"), NULL, 0), OW_DAY_HOLIDAY);
}

static void csv_header_only_file_marks_year_loaded(void **state) {
    scratch *s = *state;
    ow_err e = {0};
    const char *path = scratch_file(s, "2028.csv", "date,kind,name\n");
    assert_int_equal(ow_cal_load_csv(s->cal, path, &e), OW_OK);
    assert_true(ow_cal_year_loaded(s->cal, 2028));
    bool w;
    assert_int_equal(ow_cal_is_workday(s->cal, D("2028-01-03"), &w, &e), OW_OK); /* Mon */
    assert_true(w);
    /* Not named YYYY.csv: the years come from the rows. */
    path = scratch_file(s, "holidays.csv", "date,kind,name\n2029-01-01,holiday,元旦\n");
    assert_int_equal(ow_cal_load_csv(s->cal, path, &e), OW_OK);
    assert_true(ow_cal_year_loaded(s->cal, 2029));
    assert_false(ow_cal_year_loaded(s->cal, 2030));
}

static void load_dir_is_all_or_nothing(void **state) {
    scratch *s = *state;
    ow_err e = {0};
    assert_int_equal(ow_cal_load_dir(s->cal, s->dir, &e), OW_ENOTFOUND);
    assert_msg_has(&e, "没有日历文件");
    scratch_file(s, "2027.csv", "date,kind,name\n2027-01-01,holiday,元旦\n");
    scratch_file(s, "2028.csv", "date,kind,name\n2028-01-01,holday,元旦\n");
    assert_int_equal(ow_cal_load_dir(s->cal, s->dir, &e), OW_EINVAL);
    assert_msg_has(&e, "2028.csv 第2行");
    assert_false(ow_cal_year_loaded(s->cal, 2027));
    scratch_file(s, "2028.csv", "date,kind,name\n2028-01-01,holiday,元旦\n");
    assert_int_equal(ow_cal_load_dir(s->cal, s->dir, &e), OW_OK);
    assert_true(ow_cal_year_loaded(s->cal, 2027));
    assert_true(ow_cal_year_loaded(s->cal, 2028));
    assert_int_equal(ow_cal_load_dir(s->cal, "/nonexistent/calendar", &e), OW_EIO);
    assert_int_equal(ow_cal_load_csv(s->cal, "/nonexistent/2027.csv", &e), OW_EIO);
}

/* ---- working days ---- */

/* Years that are neither loaded nor provisional: before the first loaded year, past
 * the law's table (2100), or any year of a calendar with nothing loaded. */
static void year_not_loaded_is_an_error(void **state) {
    ow_calendar *cal = *state;
    ow_err e = {0};
    bool w;
    assert_int_equal(ow_cal_is_workday(cal, D("2024-12-31"), &w, &e), OW_ENOTFOUND);
    assert_string_equal(e.field, "date");
    assert_string_equal(e.message, "2024年的法定节假日安排尚未载入，无法计算工作日");
    assert_false(ow_cal_year_provisional(cal, 2024));
    assert_int_equal(ow_cal_is_workday(cal, D("2101-01-04"), &w, &e), OW_ENOTFOUND);
    assert_msg_has(&e, "2101年");
    assert_true(ow_cal_year_provisional(cal, 2100));
    assert_false(ow_cal_year_provisional(cal, 2101));
    /* 2100-12-24 (Fri) + 10 runs past the table's last year */
    int32_t due = 12345;
    assert_int_equal(ow_cal_add_workdays(cal, D("2100-12-24"), 10, &due, &e), OW_ENOTFOUND);
    assert_msg_has(&e, "2101年");
    assert_int_equal(due, 12345);
    int n;
    assert_int_equal(ow_cal_count_workdays(cal, D("2100-12-30"), D("2101-01-05"), &n, &e),
                     OW_ENOTFOUND);
    ow_calendar *empty = ow_cal_new();
    assert_non_null(empty);
    assert_int_equal(ow_cal_is_workday(empty, D("2027-01-04"), &w, &e), OW_ENOTFOUND);
    assert_false(ow_cal_year_provisional(empty, 2027));
    ow_cal_free(empty);
}

/* The rest days the law alone gives a year (holiday_law.h), listed from the calendar. */
typedef struct {
    char days[40][32]; /* "MM-DD name" */
    int n;
} law_days;

static int collect_law(void *arg, int32_t d, int kind, const char *name) {
    law_days *l = arg;
    char ds[11];
    ow_date_format(d, ds);
    if (kind != OW_DAY_HOLIDAY || l->n >= 40) return -1;
    snprintf(l->days[l->n++], sizeof l->days[0], "%s %s", ds + 5, name);
    return OW_OK;
}

static void assert_law_days(ow_calendar *cal, int year, const char *const *want, int n) {
    law_days got = {0};
    assert_true(ow_cal_year_provisional(cal, year));
    assert_int_equal(ow_cal_each_override(cal, year, collect_law, &got), OW_OK);
    for (int i = 0; i < n && i < got.n; i++)
        if (strcmp(got.days[i], want[i]))
            fail_msg("%d: day %d is \"%s\", want \"%s\"", year, i, got.days[i], want[i]);
    assert_int_equal(got.n, n);
}

/* 2027, worked out by hand from the law (holiday_law.h) and the lunar dates (春节
 * 2027-02-06, 清明 04-05, 端午 06-09, 中秋 09-15): 元旦 Fri 1-01; 除夕 Fri 2-05 to 初三
 * Mon 2-08, of which Sat 2-06 and Sun 2-07 are made up on Tue 2-09 and Wed 2-10; 清明
 * Mon 4-05; 劳动节 Sat 5-01 and Sun 5-02, made up Mon 5-03 and Tue 5-04; 端午 Wed 6-09;
 * 中秋 Wed 9-15; 国庆 Fri 10-01 to Sun 10-03, Sat and Sun made up Mon 10-04, Tue 10-05. */
static void provisional_2027_holds_the_law_and_its_makeup_days(void **state) {
    ow_calendar *cal = *state;
    static const char *const want[] = {
        "01-01 元旦",   "02-05 春节",       "02-06 春节",       "02-07 春节",
        "02-08 春节",   "02-09 春节补假",   "02-10 春节补假",   "04-05 清明节",
        "05-01 劳动节", "05-02 劳动节",     "05-03 劳动节补假", "05-04 劳动节补假",
        "06-09 端午节", "09-15 中秋节",     "10-01 国庆节",     "10-02 国庆节",
        "10-03 国庆节", "10-04 国庆节补假", "10-05 国庆节补假",
    };
    assert_law_days(cal, 2027, want, (int)(sizeof want / sizeof *want));
    /* working days around them */
    assert_string_equal(add(cal, "2027-02-04", 1), "2027-02-11"); /* Thu → Thu after */
    assert_string_equal(add(cal, "2027-09-30", 1), "2027-10-06");
    assert_string_equal(add(cal, "2027-04-02", 1), "2027-04-06"); /* Fri, Mon 清明 */
    /* a period from 2026 into 2027: Fri 2026-12-25 + 10 = 12-28…12-31 (4), 2027-01-01 is
     * 元旦, then Mon 1-04 … Fri 1-08 (9) and Mon 1-11 */
    assert_string_equal(add(cal, "2026-12-25", 10), "2027-01-11");
    assert_true(ow_cal_date_provisional(cal, D("2027-01-11")));
    assert_false(ow_cal_date_provisional(cal, D("2026-12-31")));
    assert_false(ow_cal_date_provisional(cal, OW_DATE_NONE));
    assert_int_equal(count(cal, "2026-12-30", "2027-01-05"), 3); /* 12-31, 1-04, 1-05 */
    ow_cal_day day;
    ow_err e = {0};
    assert_int_equal(ow_cal_day_info(cal, D("2027-10-05"), &day, &e), OW_OK);
    assert_true(day.provisional);
    assert_false(day.work);
    assert_string_equal(day.name, "国庆节补假");
    assert_int_equal(ow_cal_day_info(cal, D("2026-10-05"), &day, &e), OW_OK);
    assert_false(day.provisional);
}

/* 2028, by hand (春节 01-26, 清明 04-04, 端午 05-28, 中秋 10-03): 元旦 Sat 1-01, made up
 * Mon 1-03; 除夕 Tue 1-25 to 初三 Fri 1-28, no weekend; 清明 Tue 4-04; 劳动节 Mon 5-01,
 * Tue 5-02; 端午 Sun 5-28, made up Mon 5-29; 国庆 Sun 10-01 to Tue 10-03, with 中秋 on
 * 10-03 — one day that is both, as the law gives no extra day for it — and Sun 10-01
 * made up Wed 10-04. */
static void provisional_2028_holds_the_law_and_its_makeup_days(void **state) {
    ow_calendar *cal = *state;
    static const char *const want[] = {
        "01-01 元旦",       "01-03 元旦补假", "01-25 春节",   "01-26 春节",   "01-27 春节",
        "01-28 春节",       "04-04 清明节",   "05-01 劳动节", "05-02 劳动节", "05-28 端午节",
        "05-29 端午节补假", "10-01 国庆节",   "10-02 国庆节", "10-03 中秋节", "10-04 国庆节补假",
    };
    assert_law_days(cal, 2028, want, (int)(sizeof want / sizeof *want));
}

/* The law's days of the years whose notices are shipped must all be rest days in those
 * notices (a notice adds bridge days and 调休, never works a statutory holiday): an
 * independent check of the law's rules and of the lunar table. */
static void the_law_is_inside_the_2025_and_2026_notices(void **state) {
    ow_calendar *cal = *state;
    unsigned char day[366], makeup[366];
    for (int y = 2025; y <= 2026; y++) {
        assert_int_equal(ow_law_year(y, day, makeup), OW_OK);
        int n = 0;
        for (int i = 0; i < 365; i++) {
            if (!day[i]) continue;
            n++;
            int32_t d = ow_date_from_ymd(y, 1, 1) + i;
            if (ow_cal_day_kind(cal, d, NULL, 0) != OW_DAY_HOLIDAY) {
                char ds[11];
                ow_date_format(d, ds);
                fail_msg("%s (%s) is not a holiday in the %d notice", ds,
                         ow_law_name(day[i], makeup[i]), y);
            }
        }
        assert_int_equal(n, y == 2025 ? 14 : 16); /* 13 days + 1 or 3 make-up days */
    }
}

/* An administrator loads a provisional year's notice: the 调休 Saturday counts, the
 * law's make-up days that the notice does not list are working days again, and the year
 * is no longer provisional; a bad row changes nothing; save/restore undoes a load. */
static void loading_a_notice_ends_the_provisional_year(void **state) {
    ow_calendar *cal = *state;
    ow_err e = {0};
    static const char bad[] = "date,kind,name\n2027-01-01,holiday,元旦\n2028-01-01,holiday,x\n";
    assert_int_equal(ow_cal_load_csv_text(cal, 2027, bad, sizeof bad - 1, &e), OW_EINVAL);
    assert_msg_has(&e, "第3行");
    assert_true(ow_cal_year_provisional(cal, 2027));
    static const char notice[] = "date,kind,name\n"
                                 "2027-01-01,holiday,元旦\n"
                                 "2027-01-02,holiday,元旦\n"
                                 "2027-01-03,holiday,元旦\n"
                                 "2027-01-09,workday,元旦调休上班\n";
    ow_cal_saved *saved = ow_cal_year_save(cal, 2027);
    assert_non_null(saved);
    assert_int_equal(ow_cal_load_csv_text(cal, 2027, notice, sizeof notice - 1, &e), OW_OK);
    assert_true(ow_cal_year_loaded(cal, 2027));
    assert_false(ow_cal_year_provisional(cal, 2027));
    assert_true(ow_cal_year_provisional(cal, 2028));             /* the next one now */
    assert_int_equal(count(cal, "2027-01-08", "2027-01-11"), 2); /* Sat 1-09 调, Mon */
    assert_int_equal(count(cal, "2027-02-08", "2027-02-10"), 2); /* no 补假 in it */
    ow_cal_year_restore(cal, saved);
    assert_false(ow_cal_year_loaded(cal, 2027));
    assert_true(ow_cal_year_provisional(cal, 2027));
    assert_int_equal(count(cal, "2027-01-08", "2027-01-11"), 1);
    assert_int_equal(ow_cal_load_csv_text(cal, 2027, "", 0, &e), OW_EINVAL);
}

static void is_workday_follows_the_notice(void **state) {
    ow_calendar *cal = *state;
    ow_err e = {0};
    struct {
        const char *date;
        bool work;
    } cases[] = {
        {"2026-02-13", true},  /* Friday */
        {"2026-02-14", true},  /* Saturday, 调休上班 */
        {"2026-02-15", false}, /* Sunday, 春节 */
        {"2026-02-16", false}, /* Monday, 春节 */
        {"2026-02-23", false}, /* Monday, 春节 */
        {"2026-02-24", true},  /* Tuesday */
        {"2026-02-28", true},  /* Saturday, 调休上班 */
        {"2026-03-01", false}, /* Sunday */
        {"2025-10-08", false}, /* Wednesday, 国庆节、中秋节 */
        {"2025-10-11", true},  /* Saturday, 调休上班 */
        {"2025-10-12", false}, /* Sunday */
        {"2026-01-04", true},  /* Sunday, 元旦调休上班 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool w = !cases[i].work;
        assert_int_equal(ow_cal_is_workday(cal, D(cases[i].date), &w, &e), OW_OK);
        if (w != cases[i].work) fail_msg("%s", cases[i].date);
    }
}

static void spring_festival_2026(void **state) {
    ow_calendar *cal = *state;
    /* From Fri 2-13: 1st = Sat 2-14 (调), 2nd = Tue 2-24 after the nine days off. */
    assert_string_equal(add(cal, "2026-02-13", 1), "2026-02-14");
    assert_string_equal(add(cal, "2026-02-13", 2), "2026-02-24");
    /* 2-24, 25, 26, 27 are 2nd–5th, Sat 2-28 (调) the 6th, Mon 3-02 the 7th. */
    assert_string_equal(add(cal, "2026-02-13", 6), "2026-02-28");
    assert_string_equal(add(cal, "2026-02-13", 7), "2026-03-02");
    /* From Tue 2-10, 20 days (the licensing decision period, 行政许可法 Art. 42):
     * 2-11(1) 2-12(2) 2-13(3) 2-14(4) 2-24(5) 2-25(6) 2-26(7) 2-27(8) 2-28(9)
     * 3-02(10) 3-03(11) 3-04(12) 3-05(13) 3-06(14) 3-09(15) 3-10(16) 3-11(17)
     * 3-12(18) 3-13(19) 3-16(20). */
    assert_string_equal(add(cal, "2026-02-10", 20), "2026-03-16");
    /* Starting inside the holiday: from Mon 2-16, the first working day is Tue 2-24. */
    assert_string_equal(add(cal, "2026-02-16", 1), "2026-02-24");
    /* Working days in (2-13, 2-28]: 2-14, 2-24, 2-25, 2-26, 2-27, 2-28. */
    assert_int_equal(count(cal, "2026-02-13", "2026-02-28"), 6);
    assert_int_equal(count(cal, "2026-02-14", "2026-02-23"), 0);
    assert_int_equal(count(cal, "2026-02-10", "2026-03-16"), 20);
}

static void spring_festival_2025(void **state) {
    ow_calendar *cal = *state;
    /* From Fri 1-24: Sun 1-26 (调) 1st, Mon 1-27 2nd, then 1-28…2-04 off: Wed 2-05 3rd,
     * 2-06 4th, 2-07 5th, Sat 2-08 (调) 6th, Mon 2-10 7th. */
    assert_string_equal(add(cal, "2025-01-24", 1), "2025-01-26");
    assert_string_equal(add(cal, "2025-01-24", 2), "2025-01-27");
    assert_string_equal(add(cal, "2025-01-24", 3), "2025-02-05");
    assert_string_equal(add(cal, "2025-01-24", 6), "2025-02-08");
    assert_string_equal(add(cal, "2025-01-24", 7), "2025-02-10");
    assert_int_equal(count(cal, "2025-01-24", "2025-02-10"), 7);
}

static void national_day_2025(void **state) {
    ow_calendar *cal = *state;
    /* From Fri 9-26: Sun 9-28 (调) 1st, 9-29 2nd, 9-30 3rd, 10-01…10-08 off, Thu 10-09
     * 4th, Fri 10-10 5th, Sat 10-11 (调) 6th, Mon 10-13 7th. */
    assert_string_equal(add(cal, "2025-09-26", 1), "2025-09-28");
    assert_string_equal(add(cal, "2025-09-26", 3), "2025-09-30");
    assert_string_equal(add(cal, "2025-09-26", 4), "2025-10-09");
    assert_string_equal(add(cal, "2025-09-26", 6), "2025-10-11");
    assert_string_equal(add(cal, "2025-09-26", 7), "2025-10-13");
    assert_string_equal(add(cal, "2025-09-30", 1), "2025-10-09");
    assert_int_equal(count(cal, "2025-09-30", "2025-10-08"), 0);
    assert_int_equal(count(cal, "2025-09-30", "2025-10-11"), 3);
}

static void national_day_2026(void **state) {
    ow_calendar *cal = *state;
    /* From Fri 9-18: Sun 9-20 (调) is the 1st. */
    assert_string_equal(add(cal, "2026-09-18", 1), "2026-09-20");
    /* From Thu 9-24: 9-25…9-27 off (中秋节), Mon 9-28 1st. */
    assert_string_equal(add(cal, "2026-09-24", 1), "2026-09-28");
    /* From Wed 9-30: 10-01…10-07 off, Thu 10-08 1st, Fri 10-09 2nd, Sat 10-10 (调) 3rd,
     * Mon 10-12 4th. */
    assert_string_equal(add(cal, "2026-09-30", 1), "2026-10-08");
    assert_string_equal(add(cal, "2026-09-30", 3), "2026-10-10");
    assert_string_equal(add(cal, "2026-09-30", 4), "2026-10-12");
    /* (9-24, 10-12]: 9-28, 9-29, 9-30, 10-08, 10-09, 10-10, 10-12. */
    assert_int_equal(count(cal, "2026-09-24", "2026-10-12"), 7);
}

static void new_year_across_the_year_boundary(void **state) {
    ow_calendar *cal = *state;
    /* From Wed 2025-12-31: 2026-01-01…01-03 off, Sun 01-04 (调) 1st, Mon 01-05 2nd. */
    assert_string_equal(add(cal, "2025-12-31", 1), "2026-01-04");
    assert_string_equal(add(cal, "2025-12-31", 2), "2026-01-05");
}

static void weekend_starts_and_zero_days(void **state) {
    ow_calendar *cal = *state;
    /* Sat 2026-03-07 or Sun 03-08 + 1 → Mon 03-09; Sun 03-08 + 5 → Fri 03-13. */
    assert_string_equal(add(cal, "2026-03-07", 1), "2026-03-09");
    assert_string_equal(add(cal, "2026-03-08", 1), "2026-03-09");
    assert_string_equal(add(cal, "2026-03-08", 5), "2026-03-13");
    /* n = 0: the day itself when it is a working day, else the next one. */
    assert_string_equal(add(cal, "2026-03-06", 0), "2026-03-06");
    assert_string_equal(add(cal, "2026-03-07", 0), "2026-03-09");
    assert_string_equal(add(cal, "2026-02-14", 0), "2026-02-14"); /* 调 Saturday */
    assert_string_equal(add(cal, "2026-02-15", 0), "2026-02-24");
    assert_int_equal(count(cal, "2026-03-06", "2026-03-06"), 0);
    assert_int_equal(count(cal, "2026-03-09", "2026-03-06"), 0); /* to before from */
    int32_t due;
    ow_err e = {0};
    assert_int_equal(ow_cal_add_workdays(cal, D("2026-03-06"), -1, &due, &e), OW_EINVAL);
    assert_msg_has(&e, "不能为负数");
}

/* ---- pauses ---- */

static const char *due_p(ow_calendar *cal, const char *from, int n, const ow_cal_pause *p,
                         size_t np) {
    static char out[11];
    int32_t due;
    ow_err e = {0};
    if (ow_cal_due_with_pauses(cal, D(from), n, p, np, &due, &e) != OW_OK)
        fail_msg("%s + %d: %s", from, n, e.message);
    if (due == OW_DATE_NONE) return "paused";
    ow_date_format(due, out);
    return out;
}

static int used_p(ow_calendar *cal, const char *from, const char *today, const ow_cal_pause *p,
                  size_t np) {
    int used = -1;
    ow_err e = {0};
    if (ow_cal_used_with_pauses(cal, D(from), D(today), p, np, &used, &e) != OW_OK)
        fail_msg("%s..%s: %s", from, today, e.message);
    return used;
}

static void pause_spanning_spring_festival(void **state) {
    ow_calendar *cal = *state;
    /* Accepted Tue 2-10, 20 days; supplement (补正) asked Thu 2-12, materials back Thu
     * 2-26.  Counted: 2-11(1); 2-12…2-26 paused; 2-27(2) 2-28(3) 3-02(4) 3-03(5)
     * 3-04(6) 3-05(7) 3-06(8) 3-09(9) 3-10(10) 3-11(11) 3-12(12) 3-13(13) 3-16(14)
     * 3-17(15) 3-18(16) 3-19(17) 3-20(18) 3-23(19) 3-24(20).  Check: the pause held
     * six working days (2-12, 2-13, 2-14, 2-24, 2-25, 2-26); six after 3-16 is 3-24. */
    ow_cal_pause p[] = {{D("2026-02-12"), D("2026-02-26")}};
    assert_string_equal(due_p(cal, "2026-02-10", 20, p, 1), "2026-03-24");
    assert_string_equal(due_p(cal, "2026-02-10", 20, NULL, 0), "2026-03-16");
    /* Used by Mon 3-02: 2-11, 2-27, 2-28, 3-02. */
    assert_int_equal(used_p(cal, "2026-02-10", "2026-03-02", p, 1), 4);
    assert_int_equal(used_p(cal, "2026-02-10", "2026-03-24", p, 1), 20);
    /* A pause entirely inside the holiday costs nothing. */
    ow_cal_pause in_holiday[] = {{D("2026-02-16"), D("2026-02-20")}};
    assert_string_equal(due_p(cal, "2026-02-10", 20, in_holiday, 1), "2026-03-16");
    /* Two pauses: 2-12 alone, and 3-02…3-03.  Lost: 2-12, 3-02, 3-03 → three days past
     * 3-16: 3-17, 3-18, 3-19. */
    ow_cal_pause two[] = {{D("2026-02-12"), D("2026-02-12")}, {D("2026-03-02"), D("2026-03-03")}};
    assert_string_equal(due_p(cal, "2026-02-10", 20, two, 2), "2026-03-19");
}

static void still_paused(void **state) {
    ow_calendar *cal = *state;
    ow_cal_pause open[] = {{D("2026-02-12"), OW_DATE_NONE}};
    assert_string_equal(due_p(cal, "2026-02-10", 20, open, 1), "paused");
    /* Only 2-11 counted so far, however late today is. */
    assert_int_equal(used_p(cal, "2026-02-10", "2026-03-02", open, 1), 1);
    assert_int_equal(used_p(cal, "2026-02-10", "2026-12-31", open, 1), 1);
    /* An open pause that starts after the due date does not matter: from 2-10, two
     * days are 2-11 and 2-12. */
    ow_cal_pause later[] = {{D("2026-02-20"), OW_DATE_NONE}};
    assert_string_equal(due_p(cal, "2026-02-10", 2, later, 1), "2026-02-12");
    /* Paused on the day itself with n = 0. */
    ow_cal_pause today[] = {{D("2026-03-06"), OW_DATE_NONE}};
    assert_string_equal(due_p(cal, "2026-03-06", 0, today, 1), "paused");
    /* n = 0 (即办) after a 补正 asked and answered the same day, before acceptance: due
     * that day, not the next working day. */
    ow_cal_pause same_day[] = {{D("2026-11-24"), D("2026-11-24")}};
    assert_string_equal(due_p(cal, "2026-11-24", 0, same_day, 1), "2026-11-24");
    /* …and after a pause that ends on a later day, due the day the clock resumes (Thu
     * 11-26), where one working day would take until Fri 11-27. */
    ow_cal_pause to_thu[] = {{D("2026-11-24"), D("2026-11-26")}};
    assert_string_equal(due_p(cal, "2026-11-24", 0, to_thu, 1), "2026-11-26");
    assert_string_equal(due_p(cal, "2026-11-24", 1, to_thu, 1), "2026-11-27");
    /* A pause that resumes on a Saturday: due the next working day, Mon 11-30. */
    ow_cal_pause to_sat[] = {{D("2026-11-25"), D("2026-11-28")}};
    assert_string_equal(due_p(cal, "2026-11-25", 0, to_sat, 1), "2026-11-30");
    /* A closed pause that ended, then reopened later (a second 补正). */
    ow_cal_pause again[] = {{D("2026-02-12"), D("2026-02-26")}, {D("2026-03-04"), OW_DATE_NONE}};
    /* Counted: 2-11, 2-27, 2-28, 3-02, 3-03 = 5 of 20, then paused. */
    assert_string_equal(due_p(cal, "2026-02-10", 20, again, 2), "paused");
    assert_int_equal(used_p(cal, "2026-02-10", "2026-03-20", again, 2), 5);
}

static void bad_pauses_refused(void **state) {
    ow_calendar *cal = *state;
    ow_err e = {0};
    int32_t due;
    ow_cal_pause backwards[] = {{D("2026-02-12"), D("2026-02-11")}};
    assert_int_equal(ow_cal_due_with_pauses(cal, D("2026-02-10"), 5, backwards, 1, &due, &e),
                     OW_EINVAL);
    assert_string_equal(e.field, "pause");
    ow_cal_pause negative[] = {{-5, D("2026-02-11")}};
    int used;
    assert_int_equal(
        ow_cal_used_with_pauses(cal, D("2026-02-10"), D("2026-03-01"), negative, 1, &used, &e),
        OW_EINVAL);
    /* Dates no calendar can hold are refused before any walk. */
    assert_int_equal(ow_cal_add_workdays(cal, INT32_MAX, 1, &due, &e), OW_EINVAL);
    assert_int_equal(ow_cal_count_workdays(cal, 0, INT32_MAX, &used, &e), OW_EINVAL);
}

/* ---- administrator edits ---- */

static void set_day_edits_and_validates(void **state) {
    ow_calendar *cal = *state;
    ow_err e = {0};
    bool w;
    /* Make Mon 2026-03-09 a holiday: Sun 03-08 + 1 moves to Tue 03-10. */
    assert_int_equal(ow_cal_set_day(cal, D("2026-03-09"), OW_DAY_HOLIDAY, "临时放假", &e), OW_OK);
    assert_string_equal(add(cal, "2026-03-08", 1), "2026-03-10");
    assert_int_equal(ow_cal_set_day(cal, D("2026-03-09"), OW_DAY_NORMAL, NULL, &e), OW_OK);
    assert_string_equal(add(cal, "2026-03-08", 1), "2026-03-09");
    /* Make Sat 2026-03-07 a working day. */
    assert_int_equal(ow_cal_set_day(cal, D("2026-03-07"), OW_DAY_WORKDAY, "调休", &e), OW_OK);
    assert_int_equal(ow_cal_is_workday(cal, D("2026-03-07"), &w, &e), OW_OK);
    assert_true(w);
    assert_int_equal(ow_cal_set_day(cal, D("2026-03-07"), OW_DAY_NORMAL, "", &e), OW_OK);
    assert_int_equal(ow_cal_is_workday(cal, D("2026-03-07"), &w, &e), OW_OK);
    assert_false(w);

    assert_int_equal(ow_cal_set_day(cal, D("2026-03-10"), OW_DAY_WORKDAY, "x", &e), OW_EINVAL);
    assert_msg_has(&e, "2026-03-10是星期二");
    assert_int_equal(ow_cal_set_day(cal, D("2026-03-10"), 7, "x", &e), OW_EINVAL);
    assert_string_equal(e.field, "kind");
    assert_int_equal(ow_cal_set_day(cal, D("2026-03-10"), OW_DAY_HOLIDAY, "a\nb", &e), OW_EINVAL);
    assert_string_equal(e.field, "name");

    /* Entering a new year by hand: provisional (the law's days under the edits) until
     * marked loaded. */
    assert_int_equal(ow_cal_set_day(cal, D("2027-01-02"), OW_DAY_HOLIDAY, "元旦", &e), OW_OK);
    assert_false(ow_cal_year_loaded(cal, 2027));
    assert_true(ow_cal_year_provisional(cal, 2027));
    assert_int_equal(ow_cal_is_workday(cal, D("2027-01-04"), &w, &e), OW_OK);
    assert_true(w);
    assert_int_equal(ow_cal_set_day(cal, D("2027-01-01"), OW_DAY_HOLIDAY, "元旦", &e), OW_OK);
    assert_int_equal(ow_cal_mark_year_loaded(cal, 2027), OW_OK);
    assert_false(ow_cal_year_provisional(cal, 2027));
    assert_int_equal(ow_cal_is_workday(cal, D("2027-01-01"), &w, &e), OW_OK);
    assert_false(w);
    int years[8];
    assert_int_equal(ow_cal_loaded_years(cal, years, 8), 3);
    assert_int_equal(years[2], 2027);
    assert_int_equal(ow_cal_loaded_years(cal, years, 1), 3); /* count beyond max */
    assert_int_equal(ow_cal_mark_year_loaded(cal, 1800), OW_EINVAL);
}

/* ---- concurrency ---- */

typedef struct {
    ow_calendar *cal;
    int failures;
} reader_arg;

static void *reader(void *p) {
    reader_arg *a = p;
    for (int i = 0; i < 2000; i++) {
        int32_t due;
        ow_err e = {0};
        if (ow_cal_add_workdays(a->cal, D("2026-02-10"), 20, &due, &e) != OW_OK) a->failures++;
        /* Either before or after the writer's edit of 3-16, never anything else. */
        char s[11];
        ow_date_format(due, s);
        if (strcmp(s, "2026-03-16") != 0 && strcmp(s, "2026-03-17") != 0) a->failures++;
    }
    return NULL;
}

static void concurrent_readers_and_an_editor(void **state) {
    ow_calendar *cal = *state;
    enum { READERS = 4 };
    pthread_t t[READERS];
    reader_arg args[READERS];
    for (int i = 0; i < READERS; i++) {
        args[i] = (reader_arg){cal, 0};
        assert_int_equal(pthread_create(&t[i], NULL, reader, &args[i]), 0);
    }
    ow_err e = {0};
    for (int i = 0; i < 500; i++) {
        int kind = i % 2 ? OW_DAY_NORMAL : OW_DAY_HOLIDAY;
        assert_int_equal(ow_cal_set_day(cal, D("2026-03-16"), kind, "测试", &e), OW_OK);
    }
    for (int i = 0; i < READERS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(args[i].failures, 0);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(date_parse_is_strict),
        cmocka_unit_test(date_round_trips_and_weekdays),
        cmocka_unit_test(date_today_in_shanghai),
        cmocka_unit_test_setup_teardown(loads_both_years_from_directory, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(each_override_lists_the_file_in_order, cal_setup,
                                        cal_teardown),
        cmocka_unit_test_setup_teardown(csv_errors_name_the_line, scratch_setup, scratch_teardown),
        cmocka_unit_test_setup_teardown(csv_good_file_replaces_year, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test_setup_teardown(csv_header_only_file_marks_year_loaded, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test_setup_teardown(load_dir_is_all_or_nothing, scratch_setup,
                                        scratch_teardown),
        cmocka_unit_test_setup_teardown(year_not_loaded_is_an_error, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(provisional_2027_holds_the_law_and_its_makeup_days,
                                        cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(provisional_2028_holds_the_law_and_its_makeup_days,
                                        cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(the_law_is_inside_the_2025_and_2026_notices, cal_setup,
                                        cal_teardown),
        cmocka_unit_test_setup_teardown(loading_a_notice_ends_the_provisional_year, cal_setup,
                                        cal_teardown),
        cmocka_unit_test_setup_teardown(is_workday_follows_the_notice, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(spring_festival_2026, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(spring_festival_2025, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(national_day_2025, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(national_day_2026, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(new_year_across_the_year_boundary, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(weekend_starts_and_zero_days, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(pause_spanning_spring_festival, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(still_paused, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(bad_pauses_refused, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(set_day_edits_and_validates, cal_setup, cal_teardown),
        cmocka_unit_test_setup_teardown(concurrent_readers_and_an_editor, cal_setup, cal_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
