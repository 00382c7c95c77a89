/* log.c — see log.h for why lines are buffered. */
#include "core/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_BUF_BYTES (256 * 1024)
#define LOG_FLUSH_INTERVAL_MS 100

static atomic_int g_level = OW_LOG_INFO;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static char g_buf[LOG_BUF_BYTES];
static size_t g_len;
static bool g_flusher_on, g_flusher_stop;
static pthread_t g_flusher;

void ow_log_set_level(int level) {
    atomic_store(&g_level, level);
}

int ow_log_level_parse(const char *s) {
    if (!strcmp(s, "debug")) return OW_LOG_DEBUG;
    if (!strcmp(s, "info")) return OW_LOG_INFO;
    if (!strcmp(s, "warn")) return OW_LOG_WARN;
    if (!strcmp(s, "error")) return OW_LOG_ERROR;
    return -1;
}

static void write_all(const char *p, size_t n) {
    while (n) {
        ssize_t w = write(2, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return; /* stderr gone: nothing better to do */
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Caller holds g_mu. */
static void flush_locked(void) {
    if (g_len) write_all(g_buf, g_len);
    g_len = 0;
}

void ow_log_flush(void) {
    pthread_mutex_lock(&g_mu);
    flush_locked();
    pthread_mutex_unlock(&g_mu);
}

static void emit(const char *line, size_t n, bool urgent) {
    pthread_mutex_lock(&g_mu);
    if (!g_flusher_on || urgent || n >= LOG_BUF_BYTES / 2) {
        flush_locked();
        write_all(line, n);
    } else {
        if (g_len + n > LOG_BUF_BYTES) flush_locked();
        memcpy(g_buf + g_len, line, n);
        g_len += n;
        if (g_len > LOG_BUF_BYTES / 2) pthread_cond_signal(&g_cv);
    }
    pthread_mutex_unlock(&g_mu);
}

static void *flusher_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&g_mu);
    while (!g_flusher_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += LOG_FLUSH_INTERVAL_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&g_cv, &g_mu, &ts);
        flush_locked();
    }
    flush_locked();
    pthread_mutex_unlock(&g_mu);
    return NULL;
}

void ow_log_start_flusher(void) {
    pthread_mutex_lock(&g_mu);
    if (g_flusher_on) {
        pthread_mutex_unlock(&g_mu);
        return;
    }
    g_flusher_stop = false;
    g_flusher_on = true;
    pthread_mutex_unlock(&g_mu);
    pthread_create(&g_flusher, NULL, flusher_main, NULL);
}

void ow_log_stop_flusher(void) {
    pthread_mutex_lock(&g_mu);
    if (!g_flusher_on) {
        pthread_mutex_unlock(&g_mu);
        return;
    }
    g_flusher_stop = true;
    pthread_cond_signal(&g_cv);
    pthread_mutex_unlock(&g_mu);
    pthread_join(g_flusher, NULL);
    pthread_mutex_lock(&g_mu);
    g_flusher_on = false;
    flush_locked();
    pthread_mutex_unlock(&g_mu);
}

static size_t fmt_time(char *out, size_t cap) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    time_t s = ts.tv_sec + 8 * 3600; /* Asia/Shanghai, no DST */
    struct tm tm;
    gmtime_r(&s, &tm);
    return (size_t)snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+08:00",
                            (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100, tm.tm_mday % 100,
                            tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100,
                            (int)(ts.tv_nsec / 1000000L) % 1000);
}

static const char *level_name(int l) {
    static const char *n[] = {"debug", "info", "warn", "error"};
    return (l >= 0 && l <= 3) ? n[l] : "info";
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *s) {
    unsigned char c = s[0];
    size_t n;
    unsigned lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else
        return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xbf) return 0;
    return n;
}

/* Escape a string for JSON into out; truncates rather than overflows, and never in the
 * middle of a character.  Bytes that are not UTF-8 (a request path may hold any) become
 * \ufffd, so every log line stays JSON. */
size_t ow_log_json_escape(char *out, size_t cap, const char *str) {
    const unsigned char *s = (const unsigned char *)str;
    size_t o = 0;
    while (*s && o + 7 < cap) {
        unsigned char c = *s;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
            s++;
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
            s++;
        } else if (c < 0x80) {
            out[o++] = (char)c;
            s++;
        } else {
            size_t n = utf8_seq(s);
            if (!n) {
                memcpy(out + o, "\\ufffd", 6);
                o += 6;
                s++;
            } else {
                memcpy(out + o, s, n); /* n <= 4 < 7: room was checked */
                o += n;
                s += n;
            }
        }
    }
    out[o] = '\0';
    return o;
}

void ow_log(int level, const char *msg, const char *fmt_kv, ...) {
    if (level < atomic_load(&g_level)) return;
    char line[2048], ts[64], kv[1600];
    fmt_time(ts, sizeof ts);
    kv[0] = '\0';
    if (fmt_kv) {
        va_list ap;
        va_start(ap, fmt_kv);
        vsnprintf(kv, sizeof kv, fmt_kv, ap);
        va_end(ap);
    }
    char emsg[256];
    ow_log_json_escape(emsg, sizeof emsg, msg);
    int n = snprintf(line, sizeof line, "{\"t\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\"%s%s}\n", ts,
                     level_name(level), emsg, kv[0] ? "," : "", kv);
    if (n < 0) return;
    if ((size_t)n >= sizeof line) {
        n = (int)sizeof line - 1;
        line[n - 1] = '\n';
    }
    emit(line, (size_t)n, level >= OW_LOG_WARN);
}

void ow_log_access(const char *method, const char *path, int status, int64_t micros, uint64_t bytes,
                   const char *request_id) {
    if (OW_LOG_INFO < atomic_load(&g_level)) return;
    char line[1024], ts[64], epath[512], emethod[32];
    fmt_time(ts, sizeof ts);
    ow_log_json_escape(epath, sizeof epath, path);
    ow_log_json_escape(emethod, sizeof emethod, method);
    int n = snprintf(line, sizeof line,
                     "{\"t\":\"%s\",\"level\":\"info\",\"msg\":\"access\",\"method\":\"%s\","
                     "\"path\":\"%s\",\"status\":%d,\"us\":%lld,\"bytes\":%llu,\"rid\":\"%s\"}\n",
                     ts, emethod, epath, status, (long long)micros, (unsigned long long)bytes,
                     request_id);
    if (n > 0 && (size_t)n < sizeof line) emit(line, (size_t)n, false);
}
