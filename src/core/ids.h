/* ids.h — checking identity numbers: the resident ID number (居民身份证号码,
 * GB 11643-1999) and the unified social credit code (统一社会信用代码, GB 32100-2015).
 *
 * Both checkers trim surrounding whitespace, normalise case and write the canonical
 * 18-character form to `out`.  Every failure names the part that is wrong in a Chinese
 * message (field "id_number" / "uscc").  A wrong check character is reported with
 * ow_err kind OW_IDS_KIND_CHECK_DIGIT and, in that case only, `out` still holds the
 * normalised input: docs/service-rules.md lets a clerk accept an early pilot code that fails
 * the check with a recorded override, and the override needs the value.  On every
 * other failure `out` is the empty string. */
#ifndef OW_CORE_IDS_H
#define OW_CORE_IDS_H

#include <stdbool.h>

#include "core/err.h"

#define OW_ID_NUMBER_LEN 18
#define OW_USCC_LEN 18

/* ow_err.kind for a check-character mismatch (other failures use "invalid_field"). */
#define OW_IDS_KIND_CHECK_DIGIT "check_digit"

/* Resident ID number.  today_yyyymmdd is today's Shanghai date as 20260315 (a birth
 * date after it is refused); it must be a real date from 1900 on, otherwise
 * OW_EINTERNAL.  `out` may be NULL. */
int ow_id_number_check(const char *in, char out[19], int today_yyyymmdd, ow_err *e);

/* Check character ('0'..'9' or 'X') for the first 17 characters, which must be
 * digits; returns '\0' if one is not. */
char ow_id_number_compute_check(const char first17[17]);

/* Birth date of a checked number as YYYYMMDD.  OW_EINVAL if `id` is not 18
 * characters or its birth-date part is not a real date. */
int ow_id_number_birth(const char *id, int *yyyymmdd);

/* Sex from the sequence code: odd 17th digit = male.  Assumes a checked number;
 * returns false for anything shorter than 17 characters. */
bool ow_id_number_is_male(const char *id);

/* Unified social credit code.  Lower case is accepted and upper-cased in `out`
 * (which may be NULL). */
int ow_uscc_check(const char *in, char out[19], ow_err *e);

/* Check character for the first 17 characters (upper-case, from the USCC alphabet
 * 0123456789ABCDEFGHJKLMNPQRTUWXY); returns '\0' if one is outside it. */
char ow_uscc_compute_check(const char first17[17]);

/* Check character of a 9-character organisation code (组织机构代码, GB 11714-1997)
 * over its first 8 characters (digits and upper-case letters): '0'..'9' or 'X';
 * '\0' if one is not a digit or letter. */
char ow_org_code_compute_check(const char first8[8]);

#endif
