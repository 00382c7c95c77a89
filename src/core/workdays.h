/* workdays.h — dates and the legal working-day calendar
 * (docs/architecture.md "The legal calendar").
 *
 * A date is an int32_t day number: days since 1970-01-01 in the proleptic Gregorian
 * calendar.  Business dates are Asia/Shanghai dates.  Working days are Monday–Friday
 * minus statutory holidays plus adjusted working weekends (调休上班), from one CSV file
 * a year (data/calendar/YYYY.csv) and administrators' edits.  A year after the last
 * loaded one is computed from the law, provisionally (below); any other year that has
 * not been loaded fails with OW_ENOTFOUND instead of guessing from weekdays alone. */
#ifndef OW_CORE_WORKDAYS_H
#define OW_CORE_WORKDAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* ---- dates ---- */

#define OW_DATE_MIN_YEAR 1
#define OW_DATE_MAX_YEAR 9999
#define OW_DATE_NONE INT32_C(-1) /* "no date": an open pause, a due date still paused */

/* Strict YYYY-MM-DD (four-digit year 0001–9999, two-digit month and day, a real
 * date).  OW_EINVAL otherwise. */
int ow_date_parse(const char *s, int32_t *out);
void ow_date_format(int32_t d, char out[11]);
int ow_date_weekday(int32_t d); /* 1 = Monday … 7 = Sunday */
bool ow_date_valid(int y, int m, int d);
/* Day number of a real date (check it with ow_date_valid first; asserted). */
int32_t ow_date_from_ymd(int y, int m, int d);
void ow_date_ymd(int32_t d, int *y, int *m, int *dd);
/* Today in Shanghai (UTC+8, no daylight saving) for a UTC instant in milliseconds. */
int32_t ow_date_today_shanghai(int64_t unix_ms);

/* ---- the calendar ---- */

enum { OW_DAY_NORMAL = 0, OW_DAY_HOLIDAY = 1, OW_DAY_WORKDAY = 2 };

#define OW_CAL_MIN_YEAR 1900
#define OW_CAL_MAX_YEAR 2999
#define OW_CAL_NAME_MAX_BYTES 64 /* name of a holiday, UTF-8, without the NUL */

/* Opaque and thread-safe: any number of readers, writers (loading, admin edits) take
 * an exclusive lock.  Each computation below sees one consistent state. */
typedef struct ow_calendar ow_calendar;

ow_calendar *ow_cal_new(void); /* NULL when out of memory */
void ow_cal_free(ow_calendar *cal);
/* Give cal the contents of from (a calendar built afresh), in one step under cal's write
 * lock so that no reader sees half of either; from is freed with cal's old contents. */
void ow_cal_replace(ow_calendar *cal, ow_calendar *from);

/* Load one CSV file (header `date,kind,name`, then one row a day, kind `holiday` or
 * `workday`).  Every row is checked and the first bad one is reported with its line
 * number (field "calendar"): a malformed or impossible date, an unknown kind, a
 * `workday` on a Monday–Friday, a date listed twice, a row outside the file's year.
 * Nothing changes unless the whole file is good.  When the file is named YYYY.csv it
 * is that year's complete list: the year's previous overrides are replaced and the
 * year counts as loaded even when the file has no rows; otherwise every year with a
 * row is replaced and marked loaded. */
int ow_cal_load_csv(ow_calendar *cal, const char *path, ow_err *e);
/* Load every YYYY.csv in dir, all or nothing.  OW_ENOTFOUND if there is none. */
int ow_cal_load_dir(ow_calendar *cal, const char *dir, ow_err *e);

/* An administrator's edit: make d a holiday or an adjusted working day with a name,
 * or (OW_DAY_NORMAL) remove its override.  A `workday` must fall on a Saturday or
 * Sunday.  Editing a year does not mark it loaded: a year being entered by hand
 * becomes usable with ow_cal_mark_year_loaded once it is complete. */
int ow_cal_set_day(ow_calendar *cal, int32_t d, int kind, const char *name, ow_err *e);
/* The override of d: OW_DAY_NORMAL, OW_DAY_HOLIDAY or OW_DAY_WORKDAY, and its name
 * copied to name (may be NULL; name_size bytes, truncated). */
int ow_cal_day_kind(ow_calendar *cal, int32_t d, char *name, size_t name_size);

bool ow_cal_year_loaded(ow_calendar *cal, int year);
int ow_cal_mark_year_loaded(ow_calendar *cal, int year);
/* Loaded years in ascending order: fills up to max, returns how many there are. */
int ow_cal_loaded_years(ow_calendar *cal, int *years, int max);
/* Call fn for each override of the year in date order, with the calendar unlocked
 * (fn may call back into it).  Stops at and returns the first non-zero value from
 * fn; OW_OK after the last; OW_ENOMEM. */
int ow_cal_each_override(ow_calendar *cal, int year,
                         int (*fn)(void *arg, int32_t d, int kind, const char *name), void *arg);

/* ---- provisional years ----
 *
 * A year after the last loaded one whose State Council notice is not out yet is not
 * refused: its rest days are computed from the law itself (core/holiday_law.h) — the
 * statutory holidays, weekends and the make-up days for holidays on a weekend — under
 * any administrator's edits already entered for it.  Every answer that depends on such
 * a year is provisional, and callers say so to the user; loading the year's notice
 * replaces it.  A year before the last loaded one, or any year while none is loaded,
 * is still an error. */

/* Whether year (or d's year) is provisional now.  OW_DATE_NONE is not. */
bool ow_cal_year_provisional(ow_calendar *cal, int year);
bool ow_cal_date_provisional(ow_calendar *cal, int32_t d);

/* The law's rest days of a year beyond weekends (core/holiday_law.h): day[i] (i = day of
 * year, 0 = 1 January) is the holiday it belongs to (OW_LAW_*), makeup[i] is 1 where the
 * day is a 补假 working day turned rest day.  OW_ENOTFOUND outside the table's years. */
int ow_law_year(int year, unsigned char day[366], unsigned char makeup[366]);

typedef struct {
    bool work;        /* a working day */
    int kind;         /* OW_DAY_*: HOLIDAY also for the law's days of a provisional year */
    bool provisional; /* the year is provisional */
    char name[OW_CAL_NAME_MAX_BYTES + 1];
} ow_cal_day;
/* What d is; OW_ENOTFOUND (field "date") for a year neither loaded nor provisional. */
int ow_cal_day_info(ow_calendar *cal, int32_t d, ow_cal_day *out, ow_err *e);

/* Load a year's notice from CSV text (the format of the YYYY.csv files; every row in
 * that year): the year's overrides are replaced and it counts as loaded.  All or
 * nothing, like ow_cal_load_csv. */
int ow_cal_load_csv_text(ow_calendar *cal, int year, const char *text, size_t len, ow_err *e);

/* A copy of one year as it stands (overrides and loaded flag), to put back when a
 * change made after it must be undone; restore frees it.  NULL when out of memory. */
typedef struct ow_cal_saved ow_cal_saved;
ow_cal_saved *ow_cal_year_save(ow_calendar *cal, int year);
void ow_cal_year_restore(ow_calendar *cal, ow_cal_saved *saved);

/* ---- working days ---- */

/* Whether d is a working day; OW_ENOTFOUND (field "date") if d's year is not loaded. */
int ow_cal_is_workday(ow_calendar *cal, int32_t d, bool *out, ow_err *e);
/* The n-th working day after from (from itself is not counted).  n = 0: from if it is
 * a working day, else the next working day.  OW_EINVAL for n < 0. */
int ow_cal_add_workdays(ow_calendar *cal, int32_t from, int n, int32_t *due, ow_err *e);
/* Working days in (from, to]; 0 when to <= from. */
int ow_cal_count_workdays(ow_calendar *cal, int32_t from, int32_t to, int *n, ow_err *e);

/* The clock stopped from start to end, both days included (补正 and other suspended
 * procedures).  end = OW_DATE_NONE: still paused.  Working days inside a pause are not
 * counted. */
typedef struct {
    int32_t start, end;
} ow_cal_pause;

/* Like ow_cal_add_workdays, skipping paused days.  When the n-th day would fall after
 * the start of a pause that is still open, the due date is not known yet: *due =
 * OW_DATE_NONE and OW_OK.  OW_EINVAL (field "pause") for a pause ending before it
 * starts or starting before 1970-01-01. */
int ow_cal_due_with_pauses(ow_calendar *cal, int32_t from, int n, const ow_cal_pause *p, size_t np,
                           int32_t *due, ow_err *e);
/* Working days used in (from, today], not counting paused days. */
int ow_cal_used_with_pauses(ow_calendar *cal, int32_t from, int32_t today, const ow_cal_pause *p,
                            size_t np, int *used, ow_err *e);

#endif
