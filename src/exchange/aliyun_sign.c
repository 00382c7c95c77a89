/* aliyun_sign.c — see aliyun_sign.h.  HMAC-SHA1 comes from OpenSSL's libcrypto (already in
 * the process through cjose and libcurl); libsodium has no SHA-1.  The percent-encoding is
 * written here rather than taken from curl_easy_escape because its output must be exactly
 * the specification's (upper-case hex, only the unreserved set kept) on every libcurl. */
#include "exchange/aliyun_sign.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

char *ow_aliyun_encode(const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1), *o = out;
    if (!out) return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (unreserved(*p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const ow_aliyun_param *)a)->name, ((const ow_aliyun_param *)b)->name);
}

char *ow_aliyun_query(const ow_aliyun_param *params, size_t n) {
    ow_aliyun_param *sorted = malloc(sizeof *sorted * (n ? n : 1));
    if (!sorted) return NULL;
    memcpy(sorted, params, sizeof *sorted * n);
    qsort(sorted, n, sizeof *sorted, by_name);
    size_t cap = 1, len = 0;
    char *q = malloc(cap);
    if (q) q[0] = '\0';
    for (size_t i = 0; i < n && q; i++) {
        char *k = ow_aliyun_encode(sorted[i].name), *v = ow_aliyun_encode(sorted[i].value);
        size_t need = len + (k ? strlen(k) : 0) + (v ? strlen(v) : 0) + 3;
        char *grown = k && v ? realloc(q, need) : NULL;
        if (!grown) {
            free(q);
            q = NULL;
        } else {
            q = grown;
            len += (size_t)snprintf(q + len, need - len, "%s%s=%s", i ? "&" : "", k, v);
        }
        free(k);
        free(v);
    }
    free(sorted);
    return q;
}

int ow_aliyun_sign(const char *method, const ow_aliyun_param *params, size_t n, const char *secret,
                   char *out, size_t out_size, char **sts) {
    if (sts) *sts = NULL;
    if (out_size < sodium_base64_ENCODED_LEN(20, sodium_base64_VARIANT_ORIGINAL)) return -1;
    char *query = ow_aliyun_query(params, n);
    char *eq = query ? ow_aliyun_encode(query) : NULL;
    free(query);
    if (!eq) return -1;
    size_t slen = strlen(method) + strlen(eq) + 6;
    char *s = malloc(slen);
    size_t klen = strlen(secret) + 2;
    char *key = malloc(klen);
    if (!s || !key) {
        free(eq);
        free(s);
        free(key);
        return -1;
    }
    snprintf(s, slen, "%s&%%2F&%s", method, eq);
    snprintf(key, klen, "%s&", secret);
    free(eq);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mlen = 0;
    bool ok = HMAC(EVP_sha1(), key, (int)strlen(key), (const unsigned char *)s, strlen(s), mac,
                   &mlen) != NULL &&
              mlen == 20;
    sodium_memzero(key, klen);
    free(key);
    if (ok) sodium_bin2base64(out, out_size, mac, mlen, sodium_base64_VARIANT_ORIGINAL);
    if (ok && sts)
        *sts = s;
    else
        free(s);
    return ok ? 0 : -1;
}
