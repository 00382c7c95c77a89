/* arena.h — request-lifetime memory (docs/architecture.md "Request context",
 * docs/style.md "Memory and state").
 *
 * Everything a request allocates comes from its arena and is released in one go
 * when the request ends; nothing is freed piecemeal.  Allocation failure aborts:
 * a server that cannot get a few kilobytes has nothing useful left to do. */
#ifndef OW_CORE_ARENA_H
#define OW_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ow_arena ow_arena;

ow_arena *ow_arena_new(size_t first_block_bytes);
void ow_arena_free(ow_arena *a);
/* Drop everything allocated, keep the first block for reuse. */
void ow_arena_reset(ow_arena *a);
void *ow_alloc(ow_arena *a, size_t n); /* 16-byte aligned, zeroed */
char *ow_strdup(ow_arena *a, const char *s);
char *ow_strndup(ow_arena *a, const char *s, size_t n);
char *ow_sprintf(ow_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *ow_vsprintf(ow_arena *a, const char *fmt, va_list ap);
size_t ow_arena_used(const ow_arena *a);

#endif
