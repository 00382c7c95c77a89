/* lunar_ref.h — the four lunar and solar-term dates of a year as liblunar-date
 * (Debian's liblunar-date-dev) gives them: 春节 (正月初一), 清明 (the day of the
 * 清明 solar term), 端午 (五月初五) and 中秋 (八月十五).
 *
 * Shared by tools/gen_lunar_table.c, which wrote src/core/lunar_table.c, and by
 * tests/unit/test_lunar_table.c, which checks every row of that table against the
 * library again; the server itself links no lunar library. */
#ifndef OW_TESTS_LUNAR_REF_H
#define OW_TESTS_LUNAR_REF_H

#include <lunar-date/lunar-date.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    int spring_m, spring_d; /* 正月初一 */
    int qingming_d;         /* April */
    int dragon_m, dragon_d; /* 五月初五 */
    int moon_m, moon_d;     /* 八月十五 */
} lunar_ref_year;

/* The solar date of lunar month/day in lunar year y; 0 on success. */
static int lunar_ref_solar(LunarDate *ld, int y, int m, int d, int *sm, int *sd) {
    GError *err = NULL;
    lunar_date_set_lunar_date(ld, (GDateYear)y, (GDateMonth)m, (GDateDay)d, 12, FALSE, &err);
    if (err) {
        g_error_free(err);
        return -1;
    }
    gchar *s = lunar_date_strftime(ld, "%(year) %(month) %(day)");
    int sy = 0, ok = s && sscanf(s, "%d %d %d", &sy, sm, sd) == 3;
    g_free(s);
    return ok ? 0 : -1;
}

/* 清明 falls on 4, 5 or 6 April: the day whose holiday list names the solar term.
 * The library's untranslated name is pinyin; the callers run in the C locale. */
static int lunar_ref_qingming(LunarDate *ld, int y) {
    for (int d = 3; d <= 6; d++) {
        GError *err = NULL;
        lunar_date_set_solar_date(ld, (GDateYear)y, 4, (GDateDay)d, 12, &err);
        if (err) {
            g_error_free(err);
            return 0;
        }
        gchar *h = lunar_date_get_holiday(ld, "|");
        int hit = h && strstr(h, "Qīngmíng") != NULL;
        g_free(h);
        if (hit) return d;
    }
    return 0;
}

static int lunar_ref_year_get(int y, lunar_ref_year *out) {
    LunarDate *ld = lunar_date_new();
    int rc = lunar_ref_solar(ld, y, 1, 1, &out->spring_m, &out->spring_d) ||
             lunar_ref_solar(ld, y, 5, 5, &out->dragon_m, &out->dragon_d) ||
             lunar_ref_solar(ld, y, 8, 15, &out->moon_m, &out->moon_d);
    out->qingming_d = rc ? 0 : lunar_ref_qingming(ld, y);
    g_object_unref(ld); /* lunar_date_free() leaves the GObject itself behind */
    return rc || !out->qingming_d ? -1 : 0;
}

#endif
