/* fuzz_catalog.h — what the two catalog import harnesses check of a reader's answer:
 * rows whose every cell is a string, or an error with a message. */
#ifndef OW_TESTS_FUZZ_CATALOG_H
#define OW_TESTS_FUZZ_CATALOG_H

#include <assert.h>

#include "catalog/catalog_int.h"
#include "core/arena.h"

typedef int (*fuzz_catalog_reader)(ow_ctx *cx, const void *data, size_t size, ow_cat_row **rows,
                                   int *nrows);

static inline void fuzz_catalog_read(fuzz_catalog_reader read, const void *data, size_t size) {
    ow_ctx cx = {.arena = ow_arena_new(8 * 1024)}; /* grows as a big file needs */
    if (!cx.arena) return;
    ow_cat_row *rows = NULL;
    int n = 0;
    if (read(&cx, data, size, &rows, &n) == OW_OK) {
        for (int i = 0; i < n; i++)
            for (int c = 0; c < rows[i].n; c++)
                assert(rows[i].cells[c]);
    } else {
        assert(cx.err.message[0]);
    }
    ow_arena_free(cx.arena);
}

#endif
