/* workdays.c — dates, the legal working-day calendar and deadline arithmetic
 * (docs/architecture.md "The legal calendar"; docs/service-rules.md: the day a period
 * begins is not counted, a period ending on a day off ends on the next working day).
 *
 * Dates are day numbers (days since 1970-01-01, proleptic Gregorian) so that "the
 * next day" is +1 and two dates subtract; conversion uses Howard Hinnant's
 * days_from_civil / civil_from_days, exact for every year we accept.
 *
 * The calendar holds, per year, only the days that differ from a plain Monday–Friday
 * week (a 366-entry table of kinds and names: 25 KB a year, looked up by day of year,
 * no hashing) plus a "loaded" flag.  The flag is the point of the design: a year
 * without its State Council notice must not be guessed from weekdays, so every
 * working-day question about an unloaded year is an error a person sees.
 *
 * Loading parses a whole file (or directory) into a separate set of years and swaps
 * them in under the write lock only when everything parsed, so readers never see a
 * half-loaded year and a bad file changes nothing.  Deadline computations hold the
 * read lock for the whole walk so that one answer comes from one calendar.
 *
 * Counting is a day-by-day walk.  Periods are tens of working days and a walk of a
 * few hundred table look-ups costs microseconds, which buys code that reads like the
 * rule it implements; pauses (补正, hearings, expert review) slot in as "this day does
 * not count". */
#include "core/workdays.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/holiday_law.h"

#define MS_PER_DAY INT64_C(86400000)
#define SHANGHAI_OFFSET_MS (INT64_C(8) * 3600 * 1000)
#define DAYS_PER_YEAR_MAX 366
#define CSV_LINE_MAX_BYTES 512
#define CSV_HEADER "date,kind,name"

/* ---- dates ---------------------------------------------------------------------- */

static bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
}

bool ow_date_valid(int y, int m, int d) {
    return y >= OW_DATE_MIN_YEAR && y <= OW_DATE_MAX_YEAR && m >= 1 && m <= 12 && d >= 1 &&
           d <= days_in_month(y, m);
}

int32_t ow_date_from_ymd(int y, int m, int d) {
    assert(ow_date_valid(y, m, d));
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;                                  /* [0, 399] */
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return (int32_t)(era * 146097 + doe - 719468);
}

void ow_date_ymd(int32_t z, int *y, int *m, int *dd) {
    int64_t zz = (int64_t)z + 719468;
    const int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
    const int64_t doe = zz - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int day = (int)(doy - (153 * mp + 2) / 5 + 1);
    const int month = (int)(mp < 10 ? mp + 3 : mp - 9);
    if (y) *y = (int)(yoe + era * 400 + (month <= 2));
    if (m) *m = month;
    if (dd) *dd = day;
}

static int year_of(int32_t d) {
    int y;
    ow_date_ymd(d, &y, NULL, NULL);
    return y;
}

int ow_date_weekday(int32_t d) {
    /* 1970-01-01 was a Thursday (4). */
    int r = (int)(((int64_t)d + 3) % 7);
    if (r < 0) r += 7;
    return r + 1;
}

static bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

int ow_date_parse(const char *s, int32_t *out) {
    if (!s) return OW_EINVAL;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-') return OW_EINVAL;
        } else if (!is_digit(s[i])) {
            return OW_EINVAL; /* also stops at the NUL of a short string */
        }
    }
    if (s[10] != '\0') return OW_EINVAL;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (!ow_date_valid(y, m, d)) return OW_EINVAL;
    if (out) *out = ow_date_from_ymd(y, m, d);
    return OW_OK;
}

void ow_date_format(int32_t d, char out[11]) {
    int y, m, dd;
    ow_date_ymd(d, &y, &m, &dd);
    if (y < OW_DATE_MIN_YEAR || y > OW_DATE_MAX_YEAR) {
        snprintf(out, 11, "%s", "0000-00-00");
        return;
    }
    /* Digits by hand rather than snprintf: list pages print several dates per row and
     * snprintf's format parsing was a tenth of the review queue's CPU. */
    unsigned v[3] = {(unsigned)y, (unsigned)m, (unsigned)dd};
    out[0] = (char)('0' + v[0] / 1000), out[1] = (char)('0' + v[0] / 100 % 10);
    out[2] = (char)('0' + v[0] / 10 % 10), out[3] = (char)('0' + v[0] % 10);
    out[4] = '-', out[5] = (char)('0' + v[1] / 10), out[6] = (char)('0' + v[1] % 10);
    out[7] = '-', out[8] = (char)('0' + v[2] / 10), out[9] = (char)('0' + v[2] % 10);
    out[10] = '\0';
}

int32_t ow_date_today_shanghai(int64_t unix_ms) {
    int64_t local = unix_ms + SHANGHAI_OFFSET_MS;
    int64_t day = local / MS_PER_DAY;
    if (local % MS_PER_DAY < 0) day--; /* floor, for instants before 1970 */
    return (int32_t)day;
}

/* ---- the calendar's storage ------------------------------------------------------ */

typedef struct cal_year {
    int year;
    bool loaded;
    unsigned char kind[DAYS_PER_YEAR_MAX]; /* OW_DAY_* by day of year (0 = Jan 1) */
    char name[DAYS_PER_YEAR_MAX][OW_CAL_NAME_MAX_BYTES + 1];
    int line[DAYS_PER_YEAR_MAX]; /* while parsing: the CSV line that set the day */
} cal_year;

/* Years sorted ascending. */
typedef struct year_set {
    cal_year **v;
    size_t n, cap;
} year_set;

/* The law's rest days of every year it can be computed for (holiday_law.h): what a
 * year after the last loaded one falls back to.  Computed once, never changed. */
typedef struct law_year {
    unsigned char day[DAYS_PER_YEAR_MAX];    /* OW_LAW_* or 0 */
    unsigned char makeup[DAYS_PER_YEAR_MAX]; /* 补假 */
} law_year;

struct ow_calendar {
    pthread_rwlock_t lock;
    year_set years;
    law_year *law; /* ow_law_first_year() … ow_law_last_year() */
    int law_first, law_n;
};

static const law_year *provisional_locked(const ow_calendar *cal, int y, const cal_year *yr);

static void year_set_free(year_set *s) {
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

/* Index of year in s, or of where it would be inserted (with *found false). */
static size_t year_set_find(const year_set *s, int year, bool *found) {
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->v[mid]->year < year)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < s->n && s->v[lo]->year == year;
    return lo;
}

static cal_year *year_set_lookup(const year_set *s, int year) {
    bool found;
    size_t i = year_set_find(s, year, &found);
    return found ? s->v[i] : NULL;
}

static int year_set_reserve(year_set *s, size_t extra) {
    if (s->n + extra <= s->cap) return OW_OK;
    size_t cap = s->cap ? s->cap : 8;
    while (cap < s->n + extra)
        cap *= 2;
    cal_year **v = realloc(s->v, cap * sizeof *v);
    if (!v) return OW_ENOMEM;
    s->v = v;
    s->cap = cap;
    return OW_OK;
}

/* The year's entry, created empty (not loaded) if absent; NULL when out of memory. */
static cal_year *year_set_get(year_set *s, int year) {
    bool found;
    size_t i = year_set_find(s, year, &found);
    if (found) return s->v[i];
    if (year_set_reserve(s, 1) != OW_OK) return NULL;
    cal_year *y = calloc(1, sizeof *y);
    if (!y) return NULL;
    y->year = year;
    memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof *s->v);
    s->v[i] = y;
    s->n++;
    return y;
}

static int day_of_year(int32_t d, int year) {
    return (int)(d - ow_date_from_ymd(year, 1, 1));
}

/* Valid UTF-8 without control characters, at most OW_CAL_NAME_MAX_BYTES. */
static bool name_ok(const char *s, size_t n) {
    if (n > OW_CAL_NAME_MAX_BYTES) return false;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80             ? 1
                     : (c & 0xE0) == 0xC0 ? 2
                     : (c & 0xF0) == 0xE0 ? 3
                     : (c & 0xF8) == 0xF0 ? 4
                                          : 0;
        if (len == 0 || i + len > n) return false;
        if (len == 1 && (c < 0x20 || c == 0x7F)) return false;
        if (len == 2 && c < 0xC2) return false; /* overlong */
        for (size_t k = 1; k < len; k++)
            if (((unsigned char)s[i + k] & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

static const char *weekday_name(int wd) {
    static const char *names[8] = {"", "一", "二", "三", "四", "五", "六", "日"};
    return names[wd];
}

ow_calendar *ow_cal_new(void) {
    ow_calendar *cal = calloc(1, sizeof *cal);
    if (!cal) return NULL;
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
#ifdef __GLIBC__
    /* Readers are constant (every deadline shown); let an admin edit get through. */
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    int rc = pthread_rwlock_init(&cal->lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    if (rc != 0) {
        free(cal);
        return NULL;
    }
    cal->law_first = ow_law_first_year();
    cal->law_n = ow_law_last_year() - cal->law_first + 1;
    if (!(cal->law = calloc((size_t)cal->law_n, sizeof *cal->law))) {
        ow_cal_free(cal);
        return NULL;
    }
    for (int i = 0; i < cal->law_n; i++)
        ow_law_year(cal->law_first + i, cal->law[i].day, cal->law[i].makeup);
    return cal;
}

void ow_cal_free(ow_calendar *cal) {
    if (!cal) return;
    year_set_free(&cal->years);
    free(cal->law);
    pthread_rwlock_destroy(&cal->lock);
    free(cal);
}

void ow_cal_replace(ow_calendar *cal, ow_calendar *from) {
    pthread_rwlock_wrlock(&cal->lock);
    year_set old = cal->years;
    cal->years = from->years;
    from->years = old;
    pthread_rwlock_unlock(&cal->lock);
    ow_cal_free(from);
}

/* Move every year of staged into cal, replacing years it already has.  Cannot fail
 * half-way: capacity is reserved first. */
static int cal_apply(ow_calendar *cal, year_set *staged) {
    pthread_rwlock_wrlock(&cal->lock);
    if (year_set_reserve(&cal->years, staged->n) != OW_OK) {
        pthread_rwlock_unlock(&cal->lock);
        return OW_ENOMEM;
    }
    for (size_t i = 0; i < staged->n; i++) {
        cal_year *y = staged->v[i];
        bool found;
        size_t at = year_set_find(&cal->years, y->year, &found);
        y->loaded = true;
        if (found) {
            free(cal->years.v[at]);
        } else {
            memmove(&cal->years.v[at + 1], &cal->years.v[at],
                    (cal->years.n - at) * sizeof *cal->years.v);
            cal->years.n++;
        }
        cal->years.v[at] = y;
        staged->v[i] = NULL;
    }
    staged->n = 0;
    pthread_rwlock_unlock(&cal->lock);
    return OW_OK;
}

/* ---- CSV loading ----------------------------------------------------------------- */

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The year of a file named YYYY.csv, or 0. */
static int year_from_file_name(const char *name) {
    for (int i = 0; i < 4; i++)
        if (!is_digit(name[i])) return 0;
    if (strcmp(name + 4, ".csv") != 0) return 0;
    int y = atoi(name);
    return (y >= OW_CAL_MIN_YEAR && y <= OW_CAL_MAX_YEAR) ? y : 0;
}

/* Parse the name column: either bare (no comma, no quote) or one double-quoted field
 * with "" for a quote.  Writes the value into out; returns its length or -1. */
static long csv_name_field(const char *s, char *out, size_t out_size) {
    size_t o = 0;
    if (*s != '"') {
        if (strpbrk(s, ",\"")) return -1;
        size_t n = strlen(s);
        if (n >= out_size) n = out_size - 1; /* too long: name_ok() rejects it */
        memcpy(out, s, n);
        out[n] = '\0';
        return (long)strlen(s);
    }
    for (s++;; s++) {
        if (*s == '\0') return -1; /* unterminated */
        if (*s == '"') {
            if (s[1] == '"')
                s++;
            else if (s[1] == '\0')
                break;
            else
                return -1; /* text after the closing quote */
        }
        if (o + 1 >= out_size) return (long)out_size; /* too long */
        out[o++] = *s;
    }
    out[o] = '\0';
    return (long)o;
}

/* Parse one data row into staged.  line is NUL-terminated without its line end. */
static int csv_row(const char *line, int lineno, const char *fname, int file_year, year_set *staged,
                   ow_err *e) {
    static const char *field = "calendar";
    char date[16], kind[16], name[OW_CAL_NAME_MAX_BYTES + 2];
    const char *c1 = strchr(line, ',');
    const char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (!c2)
        return ow_err_set(e, OW_EINVAL, field, "%s 第%d行：应有3列（date,kind,name）", fname,
                          lineno);
    size_t dl = (size_t)(c1 - line), kl = (size_t)(c2 - c1 - 1);
    if (dl >= sizeof date || kl >= sizeof kind)
        return ow_err_set(e, OW_EINVAL, field,
                          "%s 第%d行：日期应为YYYY-MM-DD格式，类型应为holiday或workday", fname,
                          lineno);
    memcpy(date, line, dl);
    date[dl] = '\0';
    memcpy(kind, c1 + 1, kl);
    kind[kl] = '\0';
    long nl = csv_name_field(c2 + 1, name, sizeof name);
    if (nl < 0)
        return ow_err_set(e, OW_EINVAL, field,
                          "%s 第%d行：名称列格式不正确（含逗号或引号时须整体用双引号括起）", fname,
                          lineno);

    int32_t d;
    if (ow_date_parse(date, &d) != OW_OK)
        return ow_err_set(e, OW_EINVAL, field,
                          "%s 第%d行：日期「%s」不正确，应为YYYY-MM-DD格式的有效日期", fname,
                          lineno, date);
    int k;
    if (strcmp(kind, "holiday") == 0)
        k = OW_DAY_HOLIDAY;
    else if (strcmp(kind, "workday") == 0)
        k = OW_DAY_WORKDAY;
    else
        return ow_err_set(e, OW_EINVAL, field,
                          "%s 第%d行：类型「%s」无效，应为holiday（放假）或workday（调休上班）",
                          fname, lineno, kind);
    if ((size_t)nl > OW_CAL_NAME_MAX_BYTES || !name_ok(name, (size_t)nl))
        return ow_err_set(e, OW_EINVAL, field, "%s 第%d行：名称过长（最多%d字节）或含有无效字符",
                          fname, lineno, OW_CAL_NAME_MAX_BYTES);

    int y = year_of(d);
    if (file_year && y != file_year)
        return ow_err_set(e, OW_EINVAL, field, "%s 第%d行：%s不属于%d年", fname, lineno, date,
                          file_year);
    if (y < OW_CAL_MIN_YEAR || y > OW_CAL_MAX_YEAR)
        return ow_err_set(e, OW_EINVAL, field, "%s 第%d行：年份%d超出范围（%d–%d）", fname, lineno,
                          y, OW_CAL_MIN_YEAR, OW_CAL_MAX_YEAR);
    int wd = ow_date_weekday(d);
    if (k == OW_DAY_WORKDAY && wd <= 5)
        return ow_err_set(e, OW_EINVAL, field,
                          "%s 第%d行：%s是星期%s，调休上班日（workday）只能是星期六或星期日", fname,
                          lineno, date, weekday_name(wd));

    cal_year *yr = year_set_get(staged, y);
    if (!yr) return ow_err_set(e, OW_ENOMEM, field, "内存不足，无法载入日历");
    int doy = day_of_year(d, y);
    if (yr->kind[doy] != OW_DAY_NORMAL)
        return ow_err_set(e, OW_EINVAL, field, "%s 第%d行：%s重复出现（第%d行已列出）", fname,
                          lineno, date, yr->line[doy]);
    yr->kind[doy] = (unsigned char)k;
    yr->line[doy] = lineno;
    memcpy(yr->name[doy], name, (size_t)nl + 1);
    return OW_OK;
}

/* Parse the open file f, named fname, into staged (see ow_cal_load_csv for the rules);
 * file_year: the year a YYYY.csv file is, or 0.  Closes f. */
static int csv_parse_file(FILE *f, const char *fname, int file_year, year_set *staged, ow_err *e) {
    static const char *field = "calendar";
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, rc = OW_OK;
    bool header_seen = false;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (len > CSV_LINE_MAX_BYTES) {
            rc = ow_err_set(e, OW_EINVAL, field, "%s 第%d行：行过长（最多%d字节）", fname, lineno,
                            CSV_LINE_MAX_BYTES);
            goto done;
        }
        if ((size_t)len != strlen(line)) {
            rc = ow_err_set(e, OW_EINVAL, field, "%s 第%d行：含有空字符", fname, lineno);
            goto done;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *p = line;
        if (lineno == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3; /* UTF-8 BOM */
        if (!header_seen) {
            if (strcmp(p, CSV_HEADER) != 0) {
                rc = ow_err_set(e, OW_EINVAL, field, "%s 第%d行：第一行应为表头 %s", fname, lineno,
                                CSV_HEADER);
                goto done;
            }
            header_seen = true;
            continue;
        }
        if (*p == '\0') continue; /* blank line */
        rc = csv_row(p, lineno, fname, file_year, staged, e);
        if (rc != OW_OK) goto done;
    }
    if (ferror(f)) {
        rc = ow_err_set(e, OW_EIO, field, "读取日历文件 %s 失败", fname);
        goto done;
    }
    if (!header_seen) {
        rc = ow_err_set(e, OW_EINVAL, field, "%s 是空文件，第一行应为表头 %s", fname, CSV_HEADER);
        goto done;
    }
    /* A YYYY.csv file is the whole year, even with no rows. */
    if (file_year && !year_set_get(staged, file_year))
        rc = ow_err_set(e, OW_ENOMEM, field, "内存不足，无法载入日历");
done:
    free(line);
    fclose(f);
    return rc;
}

static int csv_parse(const char *path, year_set *staged, ow_err *e) {
    const char *fname = base_name(path);
    FILE *f = fopen(path, "re");
    if (!f)
        return ow_err_set(e, OW_EIO, "calendar", "无法打开日历文件 %s：%s", fname, strerror(errno));
    return csv_parse_file(f, fname, year_from_file_name(fname), staged, e);
}

int ow_cal_load_csv_text(ow_calendar *cal, int year, const char *text, size_t len, ow_err *e) {
    static const char *field = "calendar";
    if (!cal || !text) return ow_err_set(e, OW_EINVAL, field, "未提供日历内容");
    if (year < OW_CAL_MIN_YEAR || year > OW_CAL_MAX_YEAR)
        return ow_err_set(e, OW_EINVAL, "year", "年份应在 %d 到 %d 之间", OW_CAL_MIN_YEAR,
                          OW_CAL_MAX_YEAR);
    if (len == 0)
        return ow_err_set(e, OW_EINVAL, field, "日历内容为空，第一行应为表头 %s", CSV_HEADER);
    FILE *f = fmemopen((void *)text, len, "r");
    if (!f) return ow_err_set(e, OW_ENOMEM, field, "内存不足，无法载入日历");
    char fname[16];
    snprintf(fname, sizeof fname, "%04d.csv", year);
    year_set staged = {0};
    int rc = csv_parse_file(f, fname, year, &staged, e);
    if (rc == OW_OK && cal_apply(cal, &staged) != OW_OK)
        rc = ow_err_set(e, OW_ENOMEM, field, "内存不足，无法载入日历");
    year_set_free(&staged);
    return rc;
}

int ow_cal_load_csv(ow_calendar *cal, const char *path, ow_err *e) {
    if (!cal || !path) return ow_err_set(e, OW_EINVAL, "calendar", "未指定日历文件");
    year_set staged = {0};
    int rc = csv_parse(path, &staged, e);
    if (rc == OW_OK && cal_apply(cal, &staged) != OW_OK)
        rc = ow_err_set(e, OW_ENOMEM, "calendar", "内存不足，无法载入日历");
    year_set_free(&staged);
    return rc;
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int ow_cal_load_dir(ow_calendar *cal, const char *dir, ow_err *e) {
    static const char *field = "calendar";
    if (!cal || !dir) return ow_err_set(e, OW_EINVAL, field, "未指定日历目录");
    DIR *dp = opendir(dir);
    if (!dp) return ow_err_set(e, OW_EIO, field, "无法打开日历目录 %s：%s", dir, strerror(errno));
    int years[OW_CAL_MAX_YEAR - OW_CAL_MIN_YEAR + 1];
    int ny = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        int y = year_from_file_name(de->d_name);
        if (y) years[ny++] = y;
    }
    closedir(dp);
    if (ny == 0)
        return ow_err_set(e, OW_ENOTFOUND, field, "日历目录 %s 中没有日历文件（YYYY.csv）", dir);
    qsort(years, (size_t)ny, sizeof years[0], cmp_int);

    year_set staged = {0};
    int rc = OW_OK;
    for (int i = 0; i < ny && rc == OW_OK; i++) {
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%04d.csv", dir, years[i]) >= (int)sizeof path)
            rc = ow_err_set(e, OW_EINVAL, field, "日历目录路径过长");
        else
            rc = csv_parse(path, &staged, e);
    }
    if (rc == OW_OK && cal_apply(cal, &staged) != OW_OK)
        rc = ow_err_set(e, OW_ENOMEM, field, "内存不足，无法载入日历");
    year_set_free(&staged);
    return rc;
}

/* ---- editing and inspecting ------------------------------------------------------ */

int ow_cal_set_day(ow_calendar *cal, int32_t d, int kind, const char *name, ow_err *e) {
    if (!cal) return ow_err_set(e, OW_EINVAL, "date", "日历不存在");
    int y = year_of(d);
    if (y < OW_CAL_MIN_YEAR || y > OW_CAL_MAX_YEAR)
        return ow_err_set(e, OW_EINVAL, "date", "日期超出范围（%d–%d年）", OW_CAL_MIN_YEAR,
                          OW_CAL_MAX_YEAR);
    if (kind != OW_DAY_NORMAL && kind != OW_DAY_HOLIDAY && kind != OW_DAY_WORKDAY)
        return ow_err_set(e, OW_EINVAL, "kind", "日期类型无效");
    if (!name) name = "";
    size_t nl = strlen(name);
    if (!name_ok(name, nl))
        return ow_err_set(e, OW_EINVAL, "name", "名称过长（最多%d字节）或含有无效字符",
                          OW_CAL_NAME_MAX_BYTES);
    int wd = ow_date_weekday(d);
    if (kind == OW_DAY_WORKDAY && wd <= 5) {
        char ds[11];
        ow_date_format(d, ds);
        return ow_err_set(e, OW_EINVAL, "date", "%s是星期%s，调休上班日只能是星期六或星期日", ds,
                          weekday_name(wd));
    }

    int rc = OW_OK;
    pthread_rwlock_wrlock(&cal->lock);
    cal_year *yr =
        kind == OW_DAY_NORMAL ? year_set_lookup(&cal->years, y) : year_set_get(&cal->years, y);
    if (yr) {
        int doy = day_of_year(d, y);
        yr->kind[doy] = (unsigned char)kind;
        if (kind == OW_DAY_NORMAL)
            yr->name[doy][0] = '\0';
        else
            memcpy(yr->name[doy], name, nl + 1);
    } else if (kind != OW_DAY_NORMAL) {
        rc = ow_err_set(e, OW_ENOMEM, "date", "内存不足，无法修改日历");
    }
    pthread_rwlock_unlock(&cal->lock);
    return rc;
}

int ow_cal_day_kind(ow_calendar *cal, int32_t d, char *name, size_t name_size) {
    if (name && name_size) name[0] = '\0';
    if (!cal) return OW_DAY_NORMAL;
    int y = year_of(d), kind = OW_DAY_NORMAL;
    pthread_rwlock_rdlock(&cal->lock);
    const cal_year *yr = year_set_lookup(&cal->years, y);
    if (yr) {
        int doy = day_of_year(d, y);
        kind = yr->kind[doy];
        if (name && name_size) snprintf(name, name_size, "%s", yr->name[doy]);
    }
    pthread_rwlock_unlock(&cal->lock);
    return kind;
}

struct ow_cal_saved {
    int year;
    cal_year *copy; /* NULL: the year had no entry */
};

ow_cal_saved *ow_cal_year_save(ow_calendar *cal, int year) {
    ow_cal_saved *s = calloc(1, sizeof *s);
    if (!s || !cal) {
        free(s);
        return NULL;
    }
    s->year = year;
    pthread_rwlock_rdlock(&cal->lock);
    const cal_year *yr = year_set_lookup(&cal->years, year);
    if (yr && (s->copy = malloc(sizeof *s->copy))) memcpy(s->copy, yr, sizeof *yr);
    bool failed = yr && !s->copy;
    pthread_rwlock_unlock(&cal->lock);
    if (failed) {
        free(s);
        return NULL;
    }
    return s;
}

void ow_cal_year_restore(ow_calendar *cal, ow_cal_saved *s) {
    if (!s) return;
    if (cal) {
        pthread_rwlock_wrlock(&cal->lock);
        bool found;
        size_t at = year_set_find(&cal->years, s->year, &found);
        if (found && s->copy) {
            free(cal->years.v[at]);
            cal->years.v[at] = s->copy;
            s->copy = NULL;
        } else if (found) { /* the year did not exist before */
            free(cal->years.v[at]);
            memmove(&cal->years.v[at], &cal->years.v[at + 1],
                    (cal->years.n - at - 1) * sizeof *cal->years.v);
            cal->years.n--;
        } else if (s->copy && year_set_reserve(&cal->years, 1) == OW_OK) {
            memmove(&cal->years.v[at + 1], &cal->years.v[at],
                    (cal->years.n - at) * sizeof *cal->years.v);
            cal->years.v[at] = s->copy;
            cal->years.n++;
            s->copy = NULL;
        }
        pthread_rwlock_unlock(&cal->lock);
    }
    free(s->copy);
    free(s);
}

bool ow_cal_year_loaded(ow_calendar *cal, int year) {
    if (!cal) return false;
    pthread_rwlock_rdlock(&cal->lock);
    const cal_year *yr = year_set_lookup(&cal->years, year);
    bool loaded = yr && yr->loaded;
    pthread_rwlock_unlock(&cal->lock);
    return loaded;
}

int ow_cal_mark_year_loaded(ow_calendar *cal, int year) {
    if (!cal || year < OW_CAL_MIN_YEAR || year > OW_CAL_MAX_YEAR) return OW_EINVAL;
    pthread_rwlock_wrlock(&cal->lock);
    cal_year *yr = year_set_get(&cal->years, year);
    if (yr) yr->loaded = true;
    pthread_rwlock_unlock(&cal->lock);
    return yr ? OW_OK : OW_ENOMEM;
}

int ow_cal_loaded_years(ow_calendar *cal, int *years, int max) {
    if (!cal) return 0;
    int n = 0;
    pthread_rwlock_rdlock(&cal->lock);
    for (size_t i = 0; i < cal->years.n; i++) {
        if (!cal->years.v[i]->loaded) continue;
        if (years && n < max) years[n] = cal->years.v[i]->year;
        n++;
    }
    pthread_rwlock_unlock(&cal->lock);
    return n;
}

typedef struct {
    int32_t d;
    int kind;
    char name[OW_CAL_NAME_MAX_BYTES + 1];
} override_copy;

int ow_cal_each_override(ow_calendar *cal, int year,
                         int (*fn)(void *arg, int32_t d, int kind, const char *name), void *arg) {
    if (!cal || !fn) return OW_EINVAL;
    /* Copy under the lock, call without it, so fn may edit the calendar. */
    override_copy *items = NULL;
    size_t n = 0;
    pthread_rwlock_rdlock(&cal->lock);
    const cal_year *yr = year_set_lookup(&cal->years, year);
    /* a provisional year lists the law's rest days too, under the edits made ahead */
    const law_year *law = provisional_locked(cal, year, yr);
    size_t count = 0;
    for (int i = 0; i < DAYS_PER_YEAR_MAX; i++)
        count += (yr && yr->kind[i] != OW_DAY_NORMAL) || (law && law->day[i]);
    if (count) {
        items = malloc(count * sizeof *items);
        if (!items) {
            pthread_rwlock_unlock(&cal->lock);
            return OW_ENOMEM;
        }
        int32_t jan1 = ow_date_from_ymd(year, 1, 1);
        for (int i = 0; i < DAYS_PER_YEAR_MAX; i++) {
            if (yr && yr->kind[i] != OW_DAY_NORMAL) {
                items[n].kind = yr->kind[i];
                memcpy(items[n].name, yr->name[i], sizeof items[n].name);
            } else if (law && law->day[i]) {
                items[n].kind = OW_DAY_HOLIDAY;
                snprintf(items[n].name, sizeof items[n].name, "%s",
                         ow_law_name(law->day[i], law->makeup[i]));
            } else {
                continue;
            }
            items[n++].d = jan1 + i;
        }
    }
    pthread_rwlock_unlock(&cal->lock);

    int rc = OW_OK;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = fn(arg, items[i].d, items[i].kind, items[i].name);
    free(items);
    return rc;
}

/* ---- working days ---------------------------------------------------------------- */

static bool date_in_range(int32_t d);

/* The last loaded year, or 0.  Caller holds the lock. */
static int last_loaded_locked(const ow_calendar *cal) {
    for (size_t i = cal->years.n; i-- > 0;)
        if (cal->years.v[i]->loaded) return cal->years.v[i]->year;
    return 0;
}

/* The law's days of a year that is provisional: not loaded, after the last loaded year
 * (a year before it, or a calendar with no year at all, is never guessed) and within
 * the law's table.  NULL otherwise.  Caller holds the lock. */
static const law_year *provisional_locked(const ow_calendar *cal, int y, const cal_year *yr) {
    if (yr && yr->loaded) return NULL;
    int last = last_loaded_locked(cal);
    if (!last || y <= last || y < cal->law_first || y >= cal->law_first + cal->law_n) return NULL;
    return &cal->law[y - cal->law_first];
}

/* What day d is: its kind (an override, or for a provisional year the law's rest day
 * where no administrator's edit says otherwise) and name, whether it is a working day
 * and whether the year is provisional.  Caller holds the lock. */
static int day_locked(ow_calendar *cal, int32_t d, ow_cal_day *out, ow_err *e) {
    int y = year_of(d);
    const cal_year *yr = year_set_lookup(&cal->years, y);
    const law_year *law = provisional_locked(cal, y, yr);
    if (!law && (!yr || !yr->loaded))
        return ow_err_set(e, OW_ENOTFOUND, "date", "%d年的法定节假日安排尚未载入，无法计算工作日",
                          y);
    int doy = day_of_year(d, y);
    out->provisional = law != NULL;
    out->kind = yr ? yr->kind[doy] : OW_DAY_NORMAL;
    out->name[0] = '\0';
    if (out->kind != OW_DAY_NORMAL) {
        snprintf(out->name, sizeof out->name, "%s", yr->name[doy]);
    } else if (law && law->day[doy]) {
        out->kind = OW_DAY_HOLIDAY;
        snprintf(out->name, sizeof out->name, "%s", ow_law_name(law->day[doy], law->makeup[doy]));
    }
    out->work = out->kind == OW_DAY_HOLIDAY   ? false
                : out->kind == OW_DAY_WORKDAY ? true
                                              : ow_date_weekday(d) <= 5;
    return OW_OK;
}

/* Whether d is a working day.  Caller holds the lock. */
static int workday_locked(ow_calendar *cal, int32_t d, bool *out, ow_err *e) {
    int y = year_of(d);
    const cal_year *yr = year_set_lookup(&cal->years, y);
    const law_year *law = yr && yr->loaded ? NULL : provisional_locked(cal, y, yr);
    if ((yr && yr->loaded) || law) { /* without the name copies of day_locked */
        int doy = day_of_year(d, y);
        int kind = yr ? yr->kind[doy] : OW_DAY_NORMAL;
        if (kind == OW_DAY_NORMAL && law && law->day[doy]) kind = OW_DAY_HOLIDAY;
        switch (kind) {
        case OW_DAY_HOLIDAY:
            *out = false;
            break;
        case OW_DAY_WORKDAY:
            *out = true;
            break;
        default:
            *out = ow_date_weekday(d) <= 5;
            break;
        }
        return OW_OK;
    }
    ow_cal_day day;
    int rc = day_locked(cal, d, &day, e);
    if (rc == OW_OK) *out = day.work;
    return rc;
}

int ow_cal_day_info(ow_calendar *cal, int32_t d, ow_cal_day *out, ow_err *e) {
    if (!cal || !out) return ow_err_set(e, OW_EINVAL, "date", "日历不存在");
    if (!date_in_range(d)) return ow_err_set(e, OW_EINVAL, "date", "日期超出范围");
    pthread_rwlock_rdlock(&cal->lock);
    int rc = day_locked(cal, d, out, e);
    pthread_rwlock_unlock(&cal->lock);
    return rc;
}

bool ow_cal_year_provisional(ow_calendar *cal, int year) {
    if (!cal) return false;
    pthread_rwlock_rdlock(&cal->lock);
    bool p = provisional_locked(cal, year, year_set_lookup(&cal->years, year)) != NULL;
    pthread_rwlock_unlock(&cal->lock);
    return p;
}

bool ow_cal_date_provisional(ow_calendar *cal, int32_t d) {
    return d != OW_DATE_NONE && date_in_range(d) && ow_cal_year_provisional(cal, year_of(d));
}

int ow_cal_is_workday(ow_calendar *cal, int32_t d, bool *out, ow_err *e) {
    if (!cal || !out) return ow_err_set(e, OW_EINVAL, "date", "日历不存在");
    pthread_rwlock_rdlock(&cal->lock);
    int rc = workday_locked(cal, d, out, e);
    pthread_rwlock_unlock(&cal->lock);
    return rc;
}

/* Days the date functions can name (0001-01-01 … 9999-12-31); outside them a walk
 * could overflow before reaching an unloaded year. */
static bool date_in_range(int32_t d) {
    return d >= ow_date_from_ymd(OW_DATE_MIN_YEAR, 1, 1) &&
           d <= ow_date_from_ymd(OW_DATE_MAX_YEAR, 12, 31);
}

enum { NOT_PAUSED, PAUSED, PAUSED_OPEN };

/* A closed pause covers its first to its last day, both included: the day the clock
 * resumes is, like the day a period begins, not counted.  With resume_is_due, the last
 * day is not covered: for a period of 0 working days (即办) the case falls due on the day
 * the clock resumes, as it falls due on the day the period begins. */
static int pause_state(const ow_cal_pause *p, size_t np, int32_t d, bool resume_is_due) {
    int state = NOT_PAUSED;
    for (size_t i = 0; i < np; i++) {
        if (d < p[i].start) continue;
        if (p[i].end == OW_DATE_NONE) return PAUSED_OPEN;
        if (d < p[i].end || (d == p[i].end && !resume_is_due)) state = PAUSED;
    }
    return state;
}

static int pauses_check(const ow_cal_pause *p, size_t np, ow_err *e) {
    if (np && !p) return ow_err_set(e, OW_EINVAL, "pause", "暂停时段无效");
    for (size_t i = 0; i < np; i++) {
        if (p[i].start < 0) return ow_err_set(e, OW_EINVAL, "pause", "暂停时段的开始日期无效");
        if (p[i].end != OW_DATE_NONE && p[i].end < p[i].start)
            return ow_err_set(e, OW_EINVAL, "pause", "暂停时段的结束日期早于开始日期");
    }
    return OW_OK;
}

/* The walk behind add_workdays and due_with_pauses.  Caller holds the lock. */
static int due_locked(ow_calendar *cal, int32_t from, int n, const ow_cal_pause *p, size_t np,
                      int32_t *due, ow_err *e) {
    int32_t d = from;
    int counted = 0;
    if (n > 0) d++; /* the first day is not counted */
    for (;; d++) {
        int ps = pause_state(p, np, d, n == 0);
        if (ps == PAUSED_OPEN) {
            *due = OW_DATE_NONE;
            return OW_OK;
        }
        if (ps == PAUSED) continue;
        bool work = false;
        int rc = workday_locked(cal, d, &work, e);
        if (rc != OW_OK) return rc;
        if (work && ++counted >= (n > 0 ? n : 1)) break;
    }
    *due = d;
    return OW_OK;
}

int ow_cal_due_with_pauses(ow_calendar *cal, int32_t from, int n, const ow_cal_pause *p, size_t np,
                           int32_t *due, ow_err *e) {
    if (!cal || !due) return ow_err_set(e, OW_EINVAL, "date", "日历不存在");
    if (n < 0) return ow_err_set(e, OW_EINVAL, "days", "工作日天数不能为负数");
    if (!date_in_range(from)) return ow_err_set(e, OW_EINVAL, "date", "日期超出范围");
    int rc = pauses_check(p, np, e);
    if (rc != OW_OK) return rc;
    pthread_rwlock_rdlock(&cal->lock);
    rc = due_locked(cal, from, n, p, np, due, e);
    pthread_rwlock_unlock(&cal->lock);
    return rc;
}

int ow_cal_add_workdays(ow_calendar *cal, int32_t from, int n, int32_t *due, ow_err *e) {
    return ow_cal_due_with_pauses(cal, from, n, NULL, 0, due, e);
}

int ow_cal_used_with_pauses(ow_calendar *cal, int32_t from, int32_t today, const ow_cal_pause *p,
                            size_t np, int *used, ow_err *e) {
    if (!cal || !used) return ow_err_set(e, OW_EINVAL, "date", "日历不存在");
    if (!date_in_range(from) || !date_in_range(today))
        return ow_err_set(e, OW_EINVAL, "date", "日期超出范围");
    int rc = pauses_check(p, np, e);
    if (rc != OW_OK) return rc;
    int count = 0;
    pthread_rwlock_rdlock(&cal->lock);
    for (int32_t d = from + 1; d <= today; d++) {
        if (pause_state(p, np, d, false) != NOT_PAUSED) continue;
        bool work = false;
        rc = workday_locked(cal, d, &work, e);
        if (rc != OW_OK) break;
        count += work;
    }
    pthread_rwlock_unlock(&cal->lock);
    if (rc == OW_OK) *used = count;
    return rc;
}

int ow_cal_count_workdays(ow_calendar *cal, int32_t from, int32_t to, int *n, ow_err *e) {
    return ow_cal_used_with_pauses(cal, from, to, NULL, 0, n, e);
}

/* ---- the law's rest days of a year (holiday_law.h) ---------------------------------- */

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
