/* fuzz_catalog_xlsx.c — the catalog's XLSX import file (ow_cat_xlsx_rows: a ZIP read with
 * libzip, its shared strings and first sheet parsed with expat): either rows come back,
 * each cell a string, or an error with a message; never a crash, a leak, a read past the
 * input or a ZIP bomb's worth of memory. */
#include <assert.h>

#include "catalog/catalog_int.h"
#include "core/arena.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ow_ctx cx = {.arena = ow_arena_new(64 * 1024)};
    if (!cx.arena) return 0;
    ow_cat_row *rows = NULL;
    int n = 0;
    if (ow_cat_xlsx_rows(&cx, data, size, &rows, &n) == OW_OK) {
        for (int i = 0; i < n; i++)
            for (int c = 0; c < rows[i].n; c++)
                assert(rows[i].cells[c]);
    } else {
        assert(cx.err.message[0]);
    }
    ow_arena_free(cx.arena);
    return 0;
}
