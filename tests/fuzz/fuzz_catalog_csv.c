/* fuzz_catalog_csv.c — the catalog's CSV import file (ow_cat_csv_rows: quoted cells with
 * commas, "" and line breaks, a BOM): either records come back, each cell a string, or
 * an error with a message; never a crash, a leak or a read past the input. */
#include <assert.h>

#include "catalog/catalog_int.h"
#include "core/arena.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ow_ctx cx = {.arena = ow_arena_new(64 * 1024)};
    if (!cx.arena) return 0;
    ow_cat_row *rows = NULL;
    int n = 0;
    if (ow_cat_csv_rows(&cx, (const char *)data, size, &rows, &n) == OW_OK) {
        for (int i = 0; i < n; i++)
            for (int c = 0; c < rows[i].n; c++)
                assert(rows[i].cells[c]);
    } else {
        assert(cx.err.message[0]);
    }
    ow_arena_free(cx.arena);
    return 0;
}
