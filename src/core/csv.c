/* csv.c — see csv.h. */
#include "core/csv.h"

#include <string.h>

static bool starts_formula(char c) {
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* A cell that already starts with the guard is guarded again, so that reading it back
 * gives the ' it had. */
bool ow_csv_formula_like(const char *s) {
    return s && (starts_formula(s[0]) || (s[0] == '\'' && ow_csv_formula_like(s + 1)));
}

void ow_csv_cell(ow_csv_put_fn put, void *sink, const char *s, bool text) {
    if (!s) s = "";
    bool guard = text && ow_csv_formula_like(s);
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote) put(sink, "\"", 1);
    if (guard) put(sink, "'", 1);
    const char *run = s;
    for (const char *p = s; *p; p++)
        if (*p == '"') {
            put(sink, run, (size_t)(p - run) + 1); /* up to and with the quote */
            put(sink, "\"", 1);                    /* doubled */
            run = p + 1;
        }
    put(sink, run, strlen(run));
    if (quote) put(sink, "\"", 1);
}

const char *ow_csv_unguard(const char *s) {
    return s[0] == '\'' && ow_csv_formula_like(s + 1) ? s + 1 : s;
}
