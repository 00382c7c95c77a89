/* json.h — jansson helpers for reading request bodies with field-level errors.
 * Every getter names the field in the error so the UI can show it on the form. */
#ifndef OW_CORE_JSON_H
#define OW_CORE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

/* Parse a request body; a body that is not a JSON object is OW_EINVAL ("invalid_json"). */
json_t *ow_json_parse_object(const char *body, size_t n, ow_err *e);

/* String field: trimmed of nothing, must be valid UTF-8 text, at most max_chars code points.
 * A missing or null optional field sets *out = NULL.  An empty required string is an error. */
int ow_json_str(const json_t *obj, const char *key, bool required, size_t max_chars,
                const char **out, ow_err *e);
int ow_json_int(const json_t *obj, const char *key, bool required, int64_t min, int64_t max,
                int64_t *out, ow_err *e);
int ow_json_bool(const json_t *obj, const char *key, bool required, bool *out, ow_err *e);
/* The Chinese name of a common field, for messages; the key itself when unknown. */
const char *ow_json_label(const char *key);
/* Serialize compactly, as json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10)) does (and
 * NULL, as it, for anything but an object or an array); the result is malloc'ed (free()). */
char *ow_json_dump(const json_t *v);
/* Build {"error":{"code","field","message"}} from an ow_err. */
json_t *ow_json_error(const ow_err *e);

/* A calendar day (core/workdays.h) as "YYYY-MM-DD", or null for OW_DATE_NONE. */
json_t *ow_json_date(int32_t d);

/* Writing JSON text straight into a buffer, for the few hot list endpoints where building
 * jansson objects per row and dumping them was most of the request (the review queue: half
 * its CPU in json_pack/json_dumps and malloc).  The output is byte-for-byte what
 * ow_json_dump would print for the same values, so a hand-written path can be checked
 * against the jansson one: strings escaped as jansson escapes them (\" \\ \b \f \n \r \t,
 * other control characters as \u00XX, UTF-8 kept as is); a byte that is not valid UTF-8
 * becomes \uFFFD so the text stays valid JSON. */
void ow_json_put_str(ow_buf *b, const char *s);
/* The same for a string of len bytes that may hold NUL (escaped as \u0000, as jansson
 * does). */
void ow_json_put_strn(ow_buf *b, const char *s, size_t len);
void ow_json_put_int(ow_buf *b, int64_t v);
/* Any jansson value as ow_json_dump prints it (null for NULL). */
void ow_json_put_value(ow_buf *b, const json_t *v);
void ow_json_put_bool(ow_buf *b, bool v);
/* "YYYY-MM-DD" or null, as ow_json_date prints. */
void ow_json_put_date(ow_buf *b, int32_t d);
/* A string literal as it stands (keys, punctuation): no escaping. */
#define OW_JSON_PUT_LIT(b, lit) ow_buf_append((b), (lit), sizeof(lit) - 1)

#endif
