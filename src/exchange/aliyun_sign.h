/* aliyun_sign.h — the signature of Aliyun's RPC-style APIs (签名机制, SignatureVersion 1.0),
 * which the `aliyun` SMS adapter (sms.c) puts on each SendSms request of dysmsapi.
 *
 *   canonical query = the parameters sorted by name (byte order), each name and value
 *                     percent-encoded, joined as name=value with '&'
 *   StringToSign    = METHOD + "&" + enc("/") + "&" + enc(canonical query)
 *   Signature       = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))
 *
 * enc() is RFC 3986 percent-encoding on UTF-8 bytes: A-Z a-z 0-9 - _ . ~ stay, every other
 * byte is %XX in upper case — so a space is %20 (never +), '*' is %2A and '~' stays '~',
 * the three rules Aliyun spells out for those who start from an HTML form encoder.
 *
 * Pure (no clock, no randomness): the caller supplies Timestamp and SignatureNonce, so
 * tests/unit/test_sms.c checks it against Aliyun's own documented example. */
#ifndef OW_EXCHANGE_ALIYUN_SIGN_H
#define OW_EXCHANGE_ALIYUN_SIGN_H

#include <stddef.h>

typedef struct ow_aliyun_param {
    const char *name, *value;
} ow_aliyun_param;

/* Percent-encode s (RFC 3986 as above) into a malloc'ed string; NULL when out of memory. */
char *ow_aliyun_encode(const char *s);

/* The canonical query of params[0..n) (any order; not modified): malloc'ed, NULL when out
 * of memory.  It is also the request's body, so what is signed is exactly what is sent. */
char *ow_aliyun_query(const ow_aliyun_param *params, size_t n);

/* The signature of method ("POST", "GET") over params with secret, base64 into out
 * (at least 29 bytes: 20 bytes of SHA-1 in base64 and '\0').  0, or -1 when out of memory
 * or out is too small.  When sts is not NULL it receives the malloc'ed StringToSign. */
int ow_aliyun_sign(const char *method, const ow_aliyun_param *params, size_t n, const char *secret,
                   char *out, size_t out_size, char **sts);

#endif
