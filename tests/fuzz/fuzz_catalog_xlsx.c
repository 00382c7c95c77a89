/* fuzz_catalog_xlsx.c — the catalog's XLSX import file (ow_cat_xlsx_rows: a ZIP read with
 * libzip, its shared strings and first sheet parsed with expat): either rows come back,
 * each cell a string, or an error with a message; never a crash, a leak, a read past the
 * input or a ZIP bomb's worth of memory. */
#include "fuzz.h"
#include "fuzz_catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_catalog_read(ow_cat_xlsx_rows, data, size);
    return 0;
}
