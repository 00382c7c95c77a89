/* holiday_law.c — see holiday_law.h. */
#include "core/holiday_law.h"

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
