/* sms_rules.h — the arithmetic that decides when an SMS may leave (issue 20 point 4):
 * quiet hours (sms_quiet_hours, e.g. "21:00-08:00", read on the Asia/Shanghai wall clock)
 * and the per-number rate limit (at most sms_rate_per_hour in any hour).  A message that
 * falls inside either is held, never dropped: these functions give the instant it may go.
 *
 * Pure functions of their arguments (no clock, no database), so that tests/unit/test_sms.c
 * checks them against instants worked out by hand. */
#ifndef OW_NOTIFY_SMS_RULES_H
#define OW_NOTIFY_SMS_RULES_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ow_sms_quiet {
    bool on;
    int start_min, end_min; /* minutes after midnight, Asia/Shanghai; start may be > end */
} ow_sms_quiet;

/* "HH:MM-HH:MM" (24-hour; the span may cross midnight) into *q; "" or "off": no quiet
 * hours.  false for anything else (the setting's checker names it), or start == end. */
bool ow_sms_quiet_parse(const char *text, ow_sms_quiet *q);

/* The first instant >= now_ms (UTC milliseconds) outside the quiet hours: now_ms itself
 * when it is outside, else the end of the quiet span that contains it.  China keeps
 * UTC+8 all year, so the wall clock is now + 8 h with no daylight saving. */
int64_t ow_sms_quiet_release(const ow_sms_quiet *q, int64_t now_ms);

/* The first instant >= want_ms at which one more SMS to a number fits `limit` per
 * `window_ms`: sent[] holds the send instants (ascending) of the number's SMS that go or
 * went at or after want_ms - window_ms, n of them.  With n < limit that is want_ms; else
 * one window after the n-limit'th of them, so that no window holds more than `limit`.
 * limit <= 0: no limit. */
int64_t ow_sms_rate_slot(const int64_t *sent, int n, int limit, int64_t window_ms, int64_t want_ms);

#endif
