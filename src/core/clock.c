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
    char tmp[80];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    snprintf(out, 32, "%.31s", tmp);
}

static int64_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + (int64_t)doe - 719468;
}

int ow_time_parse_iso(const char *s, int64_t *out_ms) {
    int y, mo, d, h, mi, sec, n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
        return OW_EINVAL;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return OW_EINVAL;
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
        for (; digits < 3; digits++) frac_ms *= 10;
    }
    int off_min = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2 || strlen(p) != 6) return OW_EINVAL;
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
