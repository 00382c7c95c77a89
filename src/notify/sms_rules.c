/* sms_rules.c — see sms_rules.h. */
#include "notify/sms_rules.h"

#include <stdio.h>
#include <string.h>

#define MIN_MS ((int64_t)60 * 1000)
#define DAY_MS ((int64_t)86400 * 1000)
#define SHANGHAI_MS ((int64_t)8 * 3600 * 1000)

static bool hhmm(const char *s, int *min) {
    if (strlen(s) != 5 || s[2] != ':') return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59) return false;
    *min = h * 60 + m;
    return true;
}

bool ow_sms_quiet_parse(const char *text, ow_sms_quiet *q) {
    *q = (ow_sms_quiet){0};
    if (!text || !*text || !strcmp(text, "off")) return true;
    char a[6], b[6];
    const char *dash = strchr(text, '-');
    if (!dash || dash - text != 5 || strlen(dash + 1) != 5) return false;
    memcpy(a, text, 5);
    a[5] = '\0';
    memcpy(b, dash + 1, 6);
    if (!hhmm(a, &q->start_min) || !hhmm(b, &q->end_min) || q->start_min == q->end_min)
        return false;
    q->on = true;
    return true;
}

/* Floor division for instants before 1970 as well. */
static int64_t floor_div(int64_t a, int64_t b) {
    int64_t d = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? d - 1 : d;
}

int64_t ow_sms_quiet_release(const ow_sms_quiet *q, int64_t now_ms) {
    if (!q->on) return now_ms;
    int64_t local = now_ms + SHANGHAI_MS;
    int64_t midnight = floor_div(local, DAY_MS) * DAY_MS; /* local midnight, local ms */
    int64_t in_day = local - midnight;
    int64_t start = q->start_min * MIN_MS, end = q->end_min * MIN_MS;
    int64_t release;   /* local ms */
    if (start < end) { /* the same day, e.g. 12:00-14:00 */
        if (in_day < start || in_day >= end) return now_ms;
        release = midnight + end;
    } else if (in_day >= start) { /* evening part of a span over midnight */
        release = midnight + DAY_MS + end;
    } else if (in_day < end) { /* morning part */
        release = midnight + end;
    } else {
        return now_ms;
    }
    return release - SHANGHAI_MS;
}

int64_t ow_sms_rate_slot(const int64_t *sent, int n, int limit, int64_t window_ms,
                         int64_t want_ms) {
    if (limit <= 0 || n < limit) return want_ms;
    int64_t slot = sent[n - limit] + window_ms;
    return slot > want_ms ? slot : want_ms;
}
