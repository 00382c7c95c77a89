/* log.h — structured logging: one JSON object per line on stderr.
 *
 * Request threads must not block on a write(2) for every access-log line at
 * 100k+ requests/s, so lines go into a shared buffer that a flusher thread
 * writes out every 100 ms or when half full (the same trade nginx makes with
 * `access_log … buffer=`).  Warnings and errors are flushed at once. */
#ifndef OW_CORE_LOG_H
#define OW_CORE_LOG_H

#include <stddef.h>
#include <stdint.h>

enum { OW_LOG_DEBUG = 0, OW_LOG_INFO = 1, OW_LOG_WARN = 2, OW_LOG_ERROR = 3 };

void ow_log_set_level(int level);
/* s as the inside of a JSON string into out (cap bytes with the NUL): quotes, backslashes
 * and control characters escaped, bytes that are not UTF-8 as \ufffd; cut at a
 * character boundary when out is full.  Returns the length written. */
size_t ow_log_json_escape(char *out, size_t cap, const char *s);
int ow_log_level_parse(const char *s); /* -1 if unknown */
/* Start the background flusher (server mode); without it every line is written at once. */
void ow_log_start_flusher(void);
void ow_log_stop_flusher(void);
void ow_log_flush(void);

/* msg: a short constant; kv: a preformatted JSON fragment without braces, or NULL. */
void ow_log(int level, const char *msg, const char *fmt_kv, ...)
    __attribute__((format(printf, 3, 4)));
/* The access line, formatted without allocation. */
void ow_log_access(const char *method, const char *path, int status, int64_t micros, uint64_t bytes,
                   const char *request_id);

#define ow_log_info(msg, ...) ow_log(OW_LOG_INFO, msg, __VA_ARGS__)
#define ow_log_warn(msg, ...) ow_log(OW_LOG_WARN, msg, __VA_ARGS__)
#define ow_log_error(msg, ...) ow_log(OW_LOG_ERROR, msg, __VA_ARGS__)

#endif
