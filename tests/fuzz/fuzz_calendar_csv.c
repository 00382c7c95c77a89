/* fuzz_calendar_csv.c — a year's holiday notice as an administrator uploads it
 * (ow_cal_load_csv_text) into a calendar that already holds a year: bad text is refused
 * naming the line and changes nothing; good text loads the year, working-day arithmetic
 * over it terminates, and ow_cal_year_restore puts the calendar back as it was. */
#include <assert.h>

#include "core/workdays.h"
#include "fuzz.h"

static ow_calendar *cal;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ow_err e = {0};
    if (!cal) { /* 2026 loaded (empty is enough), so 2027 starts out provisional */
        if (!(cal = ow_cal_new())) abort();
        static const char y2026[] = "date,kind,name\n";
        if (ow_cal_load_csv_text(cal, 2026, y2026, sizeof y2026 - 1, &e) != OW_OK) abort();
    }
    ow_cal_saved *saved = ow_cal_year_save(cal, 2027);
    if (!saved) return 0;
    int rc = ow_cal_load_csv_text(cal, 2027, (const char *)data, size, &e);
    int32_t from = ow_date_from_ymd(2027, 1, 1), due;
    ow_err e2 = {0};
    if (rc == OW_OK) {
        assert(ow_cal_year_loaded(cal, 2027) && !ow_cal_year_provisional(cal, 2027));
        assert(ow_cal_add_workdays(cal, from, 20, &due, &e2) == OW_OK && due > from);
    } else {
        assert(e.message[0]);
        assert(!ow_cal_year_loaded(cal, 2027) && ow_cal_year_provisional(cal, 2027));
    }
    ow_cal_year_restore(cal, saved);
    assert(ow_cal_year_provisional(cal, 2027));
    /* provisional again: 2027-01-01 is 元旦 by the law, Jan 4 the first working day */
    assert(ow_cal_add_workdays(cal, ow_date_from_ymd(2026, 12, 31), 1, &due, &e2) == OW_OK);
    assert(due == ow_date_from_ymd(2027, 1, 4));
    return 0;
}
