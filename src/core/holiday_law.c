/* holiday_law.c — see holiday_law.h. */
#include "core/holiday_law.h"

#include <string.h>

#include "core/workdays.h"
#include "core/err.h"

int ow_law_first_year(void) {
    return ow_lunar_years[0].year;
}
int ow_law_last_year(void) {
    return ow_lunar_years[ow_lunar_years_n - 1].year;
}

const char *ow_law_name(int which, int makeup) {
    static const char *names[OW_LAW_N][2] = {
        {"", ""},
        {"元旦", "元旦补假"},
        {"春节", "春节补假"},
        {"清明节", "清明节补假"},
        {"劳动节", "劳动节补假"},
        {"端午节", "端午节补假"},
        {"中秋节", "中秋节补假"},
        {"国庆节", "国庆节补假"},
    };
    if (which < 0 || which >= OW_LAW_N) return "";
    return names[which][makeup ? 1 : 0];
}

int ow_law_year(int year, unsigned char day[366], unsigned char makeup[366]) {
    if (year < ow_law_first_year() || year > ow_law_last_year()) return OW_ENOTFOUND;
    const ow_lunar_year *l = &ow_lunar_years[year - ow_law_first_year()];
    memset(day, 0, 366);
    memset(makeup, 0, 366);
    int32_t jan1 = ow_date_from_ymd(year, 1, 1);
    /* Each holiday as a run of days, in date order (Art. 2). */
    struct {
        int which;
        int32_t first;
        int n;
    } runs[] = {
        {OW_LAW_NEW_YEAR, ow_date_from_ymd(year, 1, 1), 1},
        {OW_LAW_SPRING, ow_date_from_ymd(year, l->spring_m, l->spring_d) - 1, 4}, /* 除夕 */
        {OW_LAW_QINGMING, ow_date_from_ymd(year, 4, l->qingming_d), 1},
        {OW_LAW_LABOUR, ow_date_from_ymd(year, 5, 1), 2},
        {OW_LAW_DRAGON, ow_date_from_ymd(year, l->dragon_m, l->dragon_d), 1},
        {OW_LAW_MOON, ow_date_from_ymd(year, l->moon_m, l->moon_d), 1},
        {OW_LAW_NATIONAL, ow_date_from_ymd(year, 10, 1), 3},
    };
    const int nruns = (int)(sizeof runs / sizeof runs[0]);
    for (int r = 0; r < nruns; r++)
        for (int k = 0; k < runs[r].n; k++) {
            int i = (int)(runs[r].first + k - jan1);
            if (!day[i]) day[i] = (unsigned char)runs[r].which; /* 中秋 on 国庆: one day */
        }
    /* Art. 6: every holiday day on a Saturday or Sunday is made up on the next working
     * day after its run — a weekday that is no holiday or make-up day already. */
    for (int r = 0; r < nruns; r++) {
        int owed = 0;
        for (int k = 0; k < runs[r].n; k++) {
            int i = (int)(runs[r].first + k - jan1);
            if (day[i] == runs[r].which && ow_date_weekday(runs[r].first + k) >= 6) owed++;
        }
        for (int32_t d = runs[r].first + runs[r].n; owed > 0; d++) {
            int i = (int)(d - jan1);
            if (i >= 366) break; /* cannot happen: the last run is in October */
            if (ow_date_weekday(d) >= 6 || day[i]) continue;
            day[i] = (unsigned char)runs[r].which;
            makeup[i] = 1;
            owed--;
        }
    }
    return OW_OK;
}
