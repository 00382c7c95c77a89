/* buf.c — see buf.h. */
#include "core/buf.h"

#include <stdio.h>
#include <string.h>

void ow_buf_init(ow_buf *b, ow_arena *a, size_t cap_hint) {
    b->arena = a;
    b->cap = cap_hint < 64 ? 64 : cap_hint;
    b->data = ow_alloc(a, b->cap);
    b->len = 0;
}

static void buf_reserve(ow_buf *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap * 2;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *d = ow_alloc(b->arena, cap);
    memcpy(d, b->data, b->len);
    b->data = d;
    b->cap = cap;
}

void ow_buf_append(ow_buf *b, const void *p, size_t n) {
    buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ow_buf_puts(ow_buf *b, const char *s) {
    ow_buf_append(b, s, strlen(s));
}

void ow_buf_putc(ow_buf *b, char c) {
    ow_buf_append(b, &c, 1);
}

void ow_buf_printf(ow_buf *b, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0) {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

int ow_str_eq(ow_str a, const char *b) {
    size_t n = strlen(b);
    return a.n == n && memcmp(a.p, b, n) == 0;
}

int ow_str_has_prefix(ow_str s, const char *prefix) {
    size_t n = strlen(prefix);
    return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

size_t ow_utf8_len(const char *s) {
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) n++;
    return n;
}

int ow_utf8_valid_text(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        int extra;
        if (c < 0x80) {
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return 0;
            if (c == 0x7f) return 0;
            p++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            if (c < 0xC2) return 0;
            extra = 1;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
        } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
            extra = 3;
        } else {
            return 0;
        }
        unsigned cp = c & (0x3F >> extra);
        for (int i = 1; i <= extra; i++) {
            if ((p[i] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        /* overlong forms, UTF-16 surrogates, beyond U+10FFFF, and the C1 controls
         * U+0080..U+009F (control characters like those below 0x20) */
        if ((extra == 1 && cp < 0xA0) ||
            (extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        p += extra + 1;
    }
    return 1;
}

const char *ow_like_escape(ow_arena *a, const char *s) {
    ow_buf b;
    ow_buf_init(&b, a, strlen(s) + 8);
    for (const char *p = s; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') ow_buf_putc(&b, '\\');
        ow_buf_putc(&b, *p);
    }
    return b.data;
}
