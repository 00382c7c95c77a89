/* buf.h — a growable byte buffer backed by an arena, for building strings
 * (SQL fragments, CSV, log lines) without counting bytes by hand. */
#ifndef OW_CORE_BUF_H
#define OW_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/arena.h"

typedef struct ow_buf {
    ow_arena *arena;
    char *data; /* always NUL-terminated */
    size_t len;
    size_t cap;
} ow_buf;

void ow_buf_init(ow_buf *b, ow_arena *a, size_t cap_hint);
void ow_buf_append(ow_buf *b, const void *p, size_t n);
void ow_buf_puts(ow_buf *b, const char *s);
void ow_buf_putc(ow_buf *b, char c);
void ow_buf_printf(ow_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Length-carrying string slice. */
typedef struct ow_str {
    const char *p;
    size_t n;
} ow_str;

static inline ow_str ow_str_c(const char *s) {
    ow_str r = {s, 0};
    while (s && s[r.n])
        r.n++;
    return r;
}
int ow_str_eq(ow_str a, const char *b);
int ow_str_has_prefix(ow_str s, const char *prefix);
/* s with LIKE's wildcards % and _ and the escape \ itself escaped by \, for
 * `x LIKE ?1 ESCAPE '\'`: a search for 50% finds 50%, not everything from 50 on. */
const char *ow_like_escape(ow_arena *a, const char *s);
/* Count UTF-8 code points (for field-length limits measured in characters). */
size_t ow_utf8_len(const char *s);
/* 1 when s is valid UTF-8 without control characters other than \n \r \t. */
int ow_utf8_valid_text(const char *s);

#endif
