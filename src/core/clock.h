/* clock.h — an injectable "now" so tests (and the demo seeder) can travel in time.
 * Instants are UTC milliseconds; business dates are Asia/Shanghai (UTC+8). */
#ifndef OW_CORE_CLOCK_H
#define OW_CORE_CLOCK_H

#include <stdint.h>

typedef struct ow_clock {
    int64_t offset_ms; /* added to the system clock */
    int64_t fixed_ms;  /* when non-zero, time stands still at this instant */
} ow_clock;

int64_t ow_clock_now_ms(const ow_clock *c); /* c may be NULL: system time */
int64_t ow_clock_mono_us(void);             /* monotonic, for durations */
/* ISO 8601 with +08:00, e.g. 2026-11-24T09:30:00+08:00 (out >= 32 bytes). */
void ow_time_format_iso(int64_t unix_ms, char out[32]);
/* Parse ISO 8601 (Z or ±hh:mm offset, optional fraction) into UTC ms. */
int ow_time_parse_iso(const char *s, int64_t *out_ms);

#endif
