/* fuzz_ids.c — resident ID numbers and unified social credit codes: any bytes are
 * either refused with a message naming the field or accepted in canonical form, and an
 * accepted number passes its own check again. */
#include <assert.h>

#include "core/ids.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = fuzz_str(data, size);
    char out[19], again[19];
    ow_err e = {0};
    if (ow_id_number_check(s, out, 20261207, &e) == OW_OK) {
        assert(strlen(out) == 18);
        ow_err e2 = {0};
        assert(ow_id_number_check(out, again, 20261207, &e2) == OW_OK);
        assert(!strcmp(out, again));
        int birth;
        assert(ow_id_number_birth(out, &birth) == OW_OK);
        (void)ow_id_number_is_male(out);
    } else {
        assert(e.message[0]);
    }
    ow_err u = {0};
    if (ow_uscc_check(s, out, &u) == OW_OK) {
        ow_err u2 = {0};
        assert(ow_uscc_check(out, again, &u2) == OW_OK && !strcmp(out, again));
    } else {
        assert(u.message[0]);
    }
    free(s);
    return 0;
}
