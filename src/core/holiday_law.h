/* holiday_law.h — the statutory rest days of a year as the law itself sets them, for a
 * year whose State Council notice is not out yet (docs/api.md, "Provisional deadlines").
 *
 * 《全国年节及纪念日放假办法》 as revised in 2024 (国务院令第795号, in force 2025-01-01),
 * Art. 2: 元旦 1 day (1 January); 春节 4 days (除夕 and 正月初一 to 初三); 清明节 1 day
 * (the day of the 清明 solar term); 劳动节 2 days (1–2 May); 端午节 1 day (五月初五);
 * 中秋节 1 day (八月十五); 国庆节 3 days (1–3 October).  Art. 6: a holiday of those that
 * falls on a Saturday or Sunday is made up (补假) on a working day — one for one, on the
 * next working days after the holiday.  The 调休 swaps of a notice cannot be known in
 * advance; that is why a calendar computed from this is provisional.
 *
 * The lunar dates and the solar term come from src/core/lunar_table.c, generated from
 * liblunar-date by tools/gen_lunar_table.c and checked against it by a unit test.  This
 * file is the data (the table, the names); the days of a year are worked out from it by
 * ow_law_year in core/workdays.h, beside the date arithmetic they need. */
#ifndef OW_CORE_HOLIDAY_LAW_H
#define OW_CORE_HOLIDAY_LAW_H

#include <stdint.h>

typedef struct {
    short year;
    unsigned char spring_m, spring_d; /* 春节: 正月初一 */
    unsigned char qingming_d;         /* 清明: that day of April */
    unsigned char dragon_m, dragon_d; /* 端午: 五月初五 */
    unsigned char moon_m, moon_d;     /* 中秋: 八月十五 */
} ow_lunar_year;

extern const ow_lunar_year ow_lunar_years[];
extern const int ow_lunar_years_n;

/* The first and last year the law's calendar can be computed for. */
int ow_law_first_year(void);
int ow_law_last_year(void);

/* Names of the law's days, indexed by the values ow_law_year writes. */
enum {
    OW_LAW_NONE = 0,
    OW_LAW_NEW_YEAR,
    OW_LAW_SPRING,
    OW_LAW_QINGMING,
    OW_LAW_LABOUR,
    OW_LAW_DRAGON,
    OW_LAW_MOON,
    OW_LAW_NATIONAL,
    OW_LAW_N
};
/* "元旦" …; with makeup, "元旦补假" … */
const char *ow_law_name(int which, int makeup);

#endif
