/* clock.c — see clock.h. */
#include "core/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"

int64_t ow_clock_now_ms(const ow_clock *c) {
    if (c && c->fixed_ms) return c->fixed_ms;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    return ms + (c ? c->offset_ms : 0);
}

int64_t ow_clock_mono_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void ow_time_format_iso(int64_t unix_ms, char out[32]) {
    time_t s = (time_t)(unix_ms / 1000) + 8 * 3600;
    struct tm tm;
    gmtime_r(&s, &tm);
    int y = tm.tm_year + 1900;
    if (y < 0 || y > 9999) { /* outside four digits: the general path */
        char tmp[80];
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        snprintf(out, 32, "%.31s", tmp);
        return;
    }
    /* Digits by hand: every list row prints a timestamp, and snprintf was a visible part
     * of a queue page's CPU. */
    int two[5] = {tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
    static const char seps[5] = {'-', 'T', ':', ':', '+'};
    out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10), out[3] = (char)('0' + y % 10);
    out[4] = '-';
    char *p = out + 5;
    for (int i = 0; i < 5; i++) {
        *p++ = (char)('0' + two[i] / 10);
        *p++ = (char)('0' + two[i] % 10);
        *p++ = seps[i];
    }
    memcpy(p, "08:00", 6);
}

static int64_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + (int64_t)doe - 719468;
}

/* n decimal digits at s, nothing else (sscanf's %2d would take " 1" and "-1"). */
static int fixed_digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

int ow_time_parse_iso(const char *s, int64_t *out_ms) {
    int y, mo, d, h, mi, sec;
    if (!fixed_digits(s, 4, &y) || s[4] != '-' || !fixed_digits(s + 5, 2, &mo) || s[7] != '-' ||
        !fixed_digits(s + 8, 2, &d) || s[10] != 'T' || !fixed_digits(s + 11, 2, &h) ||
        s[13] != ':' || !fixed_digits(s + 14, 2, &mi) || s[16] != ':' ||
        !fixed_digits(s + 17, 2, &sec))
        return OW_EINVAL;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
        return OW_EINVAL;
    const char *p = s + 19;
    int64_t frac_ms = 0;
    if (*p == '.') {
        p++;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            if (digits < 3) frac_ms = frac_ms * 10 + (*p - '0');
            digits++;
            p++;
        }
        if (!digits) return OW_EINVAL;
        for (; digits < 3; digits++)
            frac_ms *= 10;
    }
    int off_min = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!fixed_digits(p + 1, 2, &oh) || p[3] != ':' || !fixed_digits(p + 4, 2, &om) ||
            p[6] != '\0' || oh > 23 || om > 59)
            return OW_EINVAL;
        off_min = (oh * 60 + om) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return OW_EINVAL;
    }
    if (*p) return OW_EINVAL;
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - off_min * 60;
    *out_ms = secs * 1000 + frac_ms;
    return OW_OK;
}
