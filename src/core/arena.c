/* arena.c — a chain of blocks with a bump pointer.  Large requests get a block
 * of their own so a single big allocation does not waste the rest of a block. */
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct block {
    struct block *next;
    size_t cap;
    size_t used;
    _Alignas(16) unsigned char data[];
} block;

struct ow_arena {
    block *head;  /* current block, allocations come from here */
    block *first; /* kept across reset */
    size_t block_bytes;
    size_t total_used;
};

static block *block_new(size_t cap) {
    block *b = malloc(sizeof *b + cap);
    if (!b) {
        fprintf(stderr, "onewindow: out of memory (arena block of %zu bytes)\n", cap);
        abort();
    }
    b->next = NULL;
    b->cap = cap;
    b->used = 0;
    return b;
}

ow_arena *ow_arena_new(size_t first_block_bytes) {
    ow_arena *a = calloc(1, sizeof *a);
    if (!a) abort();
    a->block_bytes = first_block_bytes < 1024 ? 1024 : first_block_bytes;
    a->first = a->head = block_new(a->block_bytes);
    return a;
}

void ow_arena_free(ow_arena *a) {
    if (!a) return;
    block *b = a->head;
    while (b) {
        block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void ow_arena_reset(ow_arena *a) {
    block *b = a->head;
    while (b && b != a->first) {
        block *n = b->next;
        free(b);
        b = n;
    }
    a->head = a->first;
    a->first->used = 0;
    a->first->next = NULL;
    a->total_used = 0;
}

void *ow_alloc(ow_arena *a, size_t n) {
    size_t need = (n + 15u) & ~(size_t)15u;
    if (need < n) abort(); /* overflow */
    block *b = a->head;
    if (b->cap - b->used < need) {
        size_t cap = need > a->block_bytes / 2 ? need : a->block_bytes * 2;
        block *nb = block_new(cap);
        nb->next = a->head;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total_used += need;
    memset(p, 0, n);
    return p;
}

char *ow_strndup(ow_arena *a, const char *s, size_t n) {
    char *p = ow_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ow_strdup(ow_arena *a, const char *s) {
    return s ? ow_strndup(a, s, strlen(s)) : NULL;
}

char *ow_vsprintf(ow_arena *a, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return ow_strdup(a, "");
    char *p = ow_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *ow_sprintf(ow_arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = ow_vsprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t ow_arena_used(const ow_arena *a) {
    return a->total_used;
}
