/* fuzz_catalog_import.c — the catalog's import files: the first byte picks the reader
 * (even: CSV text, odd: an XLSX workbook, i.e. a ZIP of XML parts read with libzip and
 * expat), the rest is the file.  Either rows come back, each with its cells, or an
 * error with a message; never a crash, a leak or a read past the input. */
#include <assert.h>

#include "catalog/catalog_int.h"
#include "core/arena.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    ow_ctx cx = {.arena = ow_arena_new(64 * 1024)};
    if (!cx.arena) return 0;
    ow_cat_row *rows = NULL;
    int n = 0;
    int rc = data[0] % 2 == 0
                 ? ow_cat_csv_rows(&cx, (const char *)data + 1, size - 1, &rows, &n)
                 : ow_cat_xlsx_rows(&cx, data + 1, size - 1, &rows, &n);
    if (rc == OW_OK) {
        for (int i = 0; i < n; i++)
            for (int c = 0; c < rows[i].n; c++) assert(rows[i].cells[c]);
    } else {
        assert(cx.err.message[0]);
    }
    ow_arena_free(cx.arena);
    return 0;
}
