/* err.h — error codes shared by every layer, and the user-facing detail.
 *
 * Functions return OW_OK (0) or a negative OW_E* code and, when the caller
 * passed an ow_err, fill it with the field at fault and a Chinese message a
 * citizen or clerk can act on.  The HTTP adapter maps codes to statuses
 * (docs/architecture.md "Errors"); nothing else should know about HTTP. */
#ifndef OW_CORE_ERR_H
#define OW_CORE_ERR_H

enum {
    OW_OK = 0,
    OW_EINVAL = -1,     /* bad input: 400 / 422 */
    OW_EUNAUTH = -2,    /* not signed in: 401 */
    OW_EFORBIDDEN = -3, /* signed in but not allowed: 403 */
    OW_ENOTFOUND = -4,  /* 404 */
    OW_ECONFLICT = -5,  /* not allowed from this state, duplicate: 409 */
    OW_ELIMIT = -6,     /* too large (413) or too many (429) */
    OW_EDB = -7,        /* database failure: 500 */
    OW_ENOMEM = -8,     /* 500 */
    OW_EIO = -9,        /* file system: 500 */
    OW_EINTERNAL = -10, /* anything else: 500 */
    OW_EBUSY = -11,     /* database busy after retries: 503 */
};

typedef struct ow_err {
    int code;          /* one of OW_E*, OW_OK when clear */
    int http_status;   /* 0 = derive from code; set for 413 vs 429, 422 vs 400 */
    int retry_after_s; /* for 429/503: seconds, 0 = none */
    char kind[48];     /* machine-readable code on the wire: "invalid_field" */
    char field[64];    /* the input field at fault, "" if none */
    char message[256]; /* user-facing, Simplified Chinese */
} ow_err;

/* Record an error and return its code, so callers can write
 * `return ow_err_set(e, OW_EINVAL, "id_number", "身份证号码校验码不正确");`.
 * e may be NULL; kind defaults from the code when NULL. */
int ow_err_set(ow_err *e, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int ow_err_setk(ow_err *e, int code, const char *kind, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void ow_err_clear(ow_err *e);
int ow_err_status(const ow_err *e, int code); /* HTTP status for code (and e's override) */
const char *ow_err_default_kind(int code);

#endif
