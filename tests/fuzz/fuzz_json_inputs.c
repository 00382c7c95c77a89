/* fuzz_json_inputs.c — a request body as the API reads it: jansson parses it, then the
 * typed readers every handler uses (ow_json_str / int / bool with their limits) take
 * members of any type, and the date and instant parsers take the strings.  Each either
 * gives a value within its limits or an error naming the field. */
#include <assert.h>
#include <jansson.h>

#include "core/workdays.h"
#include "core/clock.h"
#include "core/json.h"
#include "fuzz.h"

static const char *KEYS[] = {"name", "id_number", "mobile", "date",   "kind",   "csv",
                             "days", "page",      "at",     "reason", "action", "publish"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    json_error_t je;
    json_t *b = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!b) return 0;
    for (size_t k = 0; k < sizeof KEYS / sizeof *KEYS; k++) {
        ow_err e = {0};
        const char *s = NULL;
        if (ow_json_str(b, KEYS[k], k % 2 == 0, 20, &s, &e) == OW_OK) {
            if (s) {
                int32_t d;
                int64_t ms;
                (void)ow_date_parse(s, &d);
                (void)ow_time_parse_iso(s, &ms);
            }
        } else {
            assert(e.field[0]);
        }
        ow_err ei = {0};
        int64_t v = 0; /* an absent optional member leaves it as it was */
        if (ow_json_int(b, KEYS[k], false, -5, 365, &v, &ei) == OW_OK)
            assert(v >= -5 && v <= 365);
        else
            assert(ei.field[0]);
        ow_err eb = {0};
        bool t = false;
        (void)ow_json_bool(b, KEYS[k], false, &t, &eb);
    }
    char *dump = ow_json_dump(b);
    free(dump);
    json_decref(b);
    return 0;
}
