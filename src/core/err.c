/* err.c — recording errors and mapping them to HTTP statuses. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *ow_err_default_kind(int code) {
    switch (code) {
    case OW_OK:
        return "ok";
    case OW_EINVAL:
        return "invalid_field";
    case OW_EUNAUTH:
        return "unauthenticated";
    case OW_EFORBIDDEN:
        return "forbidden";
    case OW_ENOTFOUND:
        return "not_found";
    case OW_ECONFLICT:
        return "conflict";
    case OW_ELIMIT:
        return "limit_exceeded";
    case OW_EBUSY:
        return "busy";
    default:
        return "internal_error";
    }
}

static int err_vset(ow_err *e, int code, const char *kind, const char *field, const char *fmt,
                    va_list ap) {
    if (!e) return code;
    e->code = code;
    e->http_status = 0;
    e->retry_after_s = 0;
    snprintf(e->kind, sizeof e->kind, "%s", kind ? kind : ow_err_default_kind(code));
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    if (fmt)
        vsnprintf(e->message, sizeof e->message, fmt, ap);
    else
        e->message[0] = '\0';
    return code;
}

int ow_err_set(ow_err *e, int code, const char *field, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    err_vset(e, code, NULL, field, fmt, ap);
    va_end(ap);
    return code;
}

int ow_err_setk(ow_err *e, int code, const char *kind, const char *field, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    err_vset(e, code, kind, field, fmt, ap);
    va_end(ap);
    return code;
}

void ow_err_clear(ow_err *e) {
    if (e) memset(e, 0, sizeof *e);
}

int ow_err_status(const ow_err *e, int code) {
    if (e && e->http_status) return e->http_status;
    switch (code) {
    case OW_OK:
        return 200;
    case OW_EINVAL:
        return 400;
    case OW_EUNAUTH:
        return 401;
    case OW_EFORBIDDEN:
        return 403;
    case OW_ENOTFOUND:
        return 404;
    case OW_ECONFLICT:
        return 409;
    case OW_ELIMIT:
        return 429;
    case OW_EBUSY:
        return 503;
    default:
        return 500;
    }
}
