/* csv.h — the one CSV cell writer of every CSV export (statistics, the catalog).
 *
 * RFC 4180 quoting (a cell with a comma, quote, CR or LF is quoted, quotes doubled).
 * A text cell that a spreadsheet would read as a formula — one starting with =, +, -,
 * @, a tab or a CR — is prefixed with ' (OWASP "CSV injection"), so an organisation
 * named =HYPERLINK(…) shows as text.  Numbers are written as numbers: a negative
 * figure stays -5, so only text cells are guarded. */
#ifndef OW_CORE_CSV_H
#define OW_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

/* Where the bytes go: the caller's buffer. */
typedef void (*ow_csv_put_fn)(void *sink, const char *s, size_t n);

/* True when a text cell would start a formula in a spreadsheet. */
bool ow_csv_formula_like(const char *s);

/* One cell, without the separator after it.  text: s is text (guarded); false: s is a
 * number the caller formatted. */
void ow_csv_cell(ow_csv_put_fn put, void *sink, const char *s, bool text);

/* The cell as read back by an importer: the guard's ' removed again (a ' followed by a
 * character that would start a formula).  Returns a pointer into s. */
const char *ow_csv_unguard(const char *s);

#endif
