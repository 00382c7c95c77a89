/* fuzz_catalog_csv.c — the catalog's CSV import file (ow_cat_csv_rows: quoted cells with
 * commas, "" and line breaks, a BOM): either records come back, each cell a string, or
 * an error with a message; never a crash, a leak or a read past the input. */
#include "fuzz.h"
#include "fuzz_catalog.h"

static int read_csv(ow_ctx *cx, const void *data, size_t size, ow_cat_row **rows, int *n) {
    return ow_cat_csv_rows(cx, data, size, rows, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_catalog_read(read_csv, data, size);
    return 0;
}
