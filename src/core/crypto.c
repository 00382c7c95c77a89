/* crypto.c — everything in onewindow that touches a secret (docs/architecture.md "Security").
 *
 * One file so that a reviewer can read all of it at once.  Every primitive comes from
 * libsodium; this file only chooses parameters, lays out bytes and gives errors a
 * Chinese message:
 *   - passwords: argon2id strings (parameters in docs/decisions/0001), with a rehash
 *     check so that raising the cost later upgrades hashes at the next sign-in;
 *   - one 32-byte master key in var/secret.key, from which crypto_kdf derives a
 *     subkey per purpose, so that a leak of one use (say the blind index key in a
 *     debugging dump) does not open the others;
 *   - personal data (resident ID and mobile numbers) encrypted with
 *     XChaCha20-Poly1305: random 192-bit nonces are safe for any number of rows, and
 *     the column name goes in as associated data so ciphertexts cannot be swapped
 *     between columns; equality lookups go through a keyed BLAKE2b "blind index";
 *   - masking for display, random tokens stored only as their hash, and the
 *     mobile-number check (it sits here, next to the masking of the same numbers).
 * Buffers that held key material or plaintext are wiped with sodium_memzero. */
#include "core/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define PII_NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define PII_TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define HASH_BYTES 32
#define MOBILE_INPUT_MAX_BYTES 32

static const char kdf_context[crypto_kdf_CONTEXTBYTES + 1] = "owkeys01";
enum { KDF_ID_ENC = 1, KDF_ID_BLIND = 2, KDF_ID_AUDIT = 3, KDF_ID_SESSION = 4 };

_Static_assert(OW_PW_HASH_MAX_BYTES == crypto_pwhash_STRBYTES, "password hash buffer size");
_Static_assert(OW_SECRET_KEY_BYTES == crypto_kdf_KEYBYTES, "master key size");
_Static_assert(sizeof(((ow_crypto_keys *)0)->enc) == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
               "encryption key size");
_Static_assert(OW_TOKEN_CHARS + 1 == sodium_base64_ENCODED_LEN(32, B64_VARIANT), "token length");

int ow_crypto_init(void) {
    return sodium_init() < 0 ? OW_EINTERNAL : OW_OK;
}

/* ---- passwords ------------------------------------------------------------------- */

int ow_pw_hash(const char *pw, char out[128]) {
    if (!pw) return OW_EINVAL;
    size_t n = strnlen(pw, OW_PW_INPUT_MAX_BYTES + 1);
    if (n > OW_PW_INPUT_MAX_BYTES) return OW_EINVAL;
    if (crypto_pwhash_str_alg(out, pw, n, OW_PW_OPSLIMIT, (size_t)OW_PW_MEMLIMIT_BYTES,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return OW_ENOMEM; /* the only documented failure: memory for the hash */
    return OW_OK;
}

int ow_pw_verify(const char *hash, const char *pw) {
    if (!hash || !pw) return OW_EUNAUTH;
    if (strnlen(hash, OW_PW_HASH_MAX_BYTES) >= OW_PW_HASH_MAX_BYTES) return OW_EUNAUTH;
    size_t n = strnlen(pw, OW_PW_INPUT_MAX_BYTES + 1);
    if (n > OW_PW_INPUT_MAX_BYTES) return OW_EUNAUTH;
    return crypto_pwhash_str_verify(hash, pw, n) == 0 ? OW_OK : OW_EUNAUTH;
}

bool ow_pw_needs_rehash(const char *hash) {
    if (!hash || strnlen(hash, OW_PW_HASH_MAX_BYTES) >= OW_PW_HASH_MAX_BYTES) return true;
    return crypto_pwhash_str_needs_rehash(hash, OW_PW_OPSLIMIT, (size_t)OW_PW_MEMLIMIT_BYTES) != 0;
}

/* Decode one UTF-8 character at s (at most n bytes); returns its length and the code
 * point in *cp, or 0 if the bytes are not well-formed UTF-8 (overlong forms,
 * surrogates and values past U+10FFFF included). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
    if (n == 0) return 0;
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

int ow_pw_policy_check(const char *pw, ow_err *e) {
    static const char *field = "password";
    if (!pw || !*pw) return ow_err_set(e, OW_EINVAL, field, "请设置密码");
    size_t bytes = strnlen(pw, OW_PW_INPUT_MAX_BYTES + 1);
    if (bytes > OW_PW_INPUT_MAX_BYTES)
        return ow_err_set(e, OW_EINVAL, field, "密码最多%d个字符", OW_PW_MAX_CHARS);

    enum { LOWER = 1, UPPER = 2, DIGIT = 4, OTHER = 8 };
    unsigned classes = 0;
    size_t chars = 0;
    for (size_t i = 0; i < bytes;) {
        uint32_t cp;
        size_t len = utf8_decode((const unsigned char *)pw + i, bytes - i, &cp);
        if (len == 0) return ow_err_set(e, OW_EINVAL, field, "密码含有无法识别的字符");
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
            return ow_err_set(e, OW_EINVAL, field, "密码不能包含控制字符（如换行、制表符）");
        if (cp >= 'a' && cp <= 'z')
            classes |= LOWER;
        else if (cp >= 'A' && cp <= 'Z')
            classes |= UPPER;
        else if (cp >= '0' && cp <= '9')
            classes |= DIGIT;
        else
            classes |= OTHER;
        chars++;
        i += len;
    }
    if (chars < OW_PW_MIN_CHARS)
        return ow_err_set(e, OW_EINVAL, field, "密码至少需要%d个字符，当前只有%zu个",
                          OW_PW_MIN_CHARS, chars);
    if (chars > OW_PW_MAX_CHARS)
        return ow_err_set(e, OW_EINVAL, field, "密码最多%d个字符，当前有%zu个", OW_PW_MAX_CHARS,
                          chars);

    static const struct {
        unsigned bit;
        const char *name;
    } kinds[] = {{LOWER, "小写字母"}, {UPPER, "大写字母"}, {DIGIT, "数字"}, {OTHER, "符号"}};
    int have = 0;
    char missing[64] = "";
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        if (classes & kinds[k].bit) {
            have++;
        } else {
            if (missing[0]) strcat(missing, "、");
            strcat(missing, kinds[k].name);
        }
    }
    if (have < 3)
        return ow_err_set(e, OW_EINVAL, field,
                          "密码需要包含小写字母、大写字母、数字、符号中的至少三类，还缺少：%s",
                          missing);
    return OW_OK;
}

/* ---- the secret key file ------------------------------------------------------------ */

static int write_all(int fd, const unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) return -1; /* shrank under us */
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* fsync the directory holding path, so that a new name in it survives a crash. */
static int fsync_parent_dir(const char *path) {
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, sizeof dir, ".");
    } else if (slash == path) {
        snprintf(dir, sizeof dir, "/");
    } else {
        if ((size_t)(slash - path) >= sizeof dir) return -1;
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Create path holding a fresh random key.  The key is written to a private temporary
 * file (O_EXCL, 0600), fsync'ed, then hard-linked to path: link() never replaces an
 * existing file, so two processes starting at once cannot both create a key, and
 * nobody ever sees an empty or half-written key file.  Returns OW_OK, OW_ECONFLICT if
 * another process created path first (the caller then reads theirs), or an error. */
static int secret_create(const char *path, ow_err *e) {
    static const char *field = "secret_key";
    char tmp[PATH_MAX];
    unsigned char key[OW_SECRET_KEY_BYTES];
    char suffix[17];
    unsigned char rnd[8];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(suffix, sizeof suffix, rnd, sizeof rnd);
    if (snprintf(tmp, sizeof tmp, "%s.tmp-%s", path, suffix) >= (int)sizeof tmp)
        return ow_err_set(e, OW_EINVAL, field, "密钥文件路径过长");

    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ow_err_set(e, OW_EIO, field, "无法创建密钥文件 %s：%s", path, strerror(errno));
    int rc = OW_OK;
    randombytes_buf(key, sizeof key);
    /* fchmod: the umask can only remove bits, but be explicit about what we want. */
    if (fchmod(fd, 0600) != 0 || write_all(fd, key, sizeof key) != 0 || fsync(fd) != 0) {
        rc = ow_err_set(e, OW_EIO, field, "无法写入密钥文件 %s：%s", path, strerror(errno));
        close(fd);
        goto fail;
    }
    if (close(fd) != 0) {
        rc = ow_err_set(e, OW_EIO, field, "无法写入密钥文件 %s：%s", path, strerror(errno));
        goto fail;
    }
    if (link(tmp, path) != 0) {
        if (errno == EEXIST)
            rc = OW_ECONFLICT;
        else
            rc = ow_err_set(e, OW_EIO, field, "无法创建密钥文件 %s：%s", path, strerror(errno));
        goto fail;
    }
    unlink(tmp);
    if (fsync_parent_dir(path) != 0)
        rc = ow_err_set(e, OW_EIO, field, "无法将密钥文件 %s 写入磁盘：%s", path, strerror(errno));
    sodium_memzero(key, sizeof key);
    return rc;
fail:
    unlink(tmp);
    sodium_memzero(key, sizeof key);
    return rc;
}

static int secret_read(int fd, const char *path, unsigned char key[32], ow_err *e) {
    static const char *field = "secret_key";
    struct stat st;
    if (fstat(fd, &st) != 0)
        return ow_err_set(e, OW_EIO, field, "无法读取密钥文件 %s：%s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return ow_err_set(e, OW_EINVAL, field, "密钥文件 %s 不是普通文件", path);
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        return ow_err_set(e, OW_EINVAL, field,
                          "密钥文件 %s 的权限为 %04o，同组或其他用户可以访问；"
                          "请执行 chmod 600 %s 后重试",
                          path, (unsigned)(st.st_mode & 07777), path);
    if (st.st_size != OW_SECRET_KEY_BYTES)
        return ow_err_set(e, OW_EINVAL, field, "密钥文件 %s 的大小为 %lld 字节，应为 %d 字节", path,
                          (long long)st.st_size, OW_SECRET_KEY_BYTES);
    if (read_all(fd, key, OW_SECRET_KEY_BYTES) != 0) {
        sodium_memzero(key, OW_SECRET_KEY_BYTES);
        return ow_err_set(e, OW_EIO, field, "无法读取密钥文件 %s", path);
    }
    return OW_OK;
}

int ow_secret_load_or_create(const char *path, unsigned char key[32], ow_err *e) {
    static const char *field = "secret_key";
    if (!path || !*path) return ow_err_set(e, OW_EINVAL, field, "未指定密钥文件路径");
    /* Two rounds at most: absent → create → read what is there now (ours, or the key
     * of a process that won the race). */
    for (int round = 0; round < 2; round++) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            int rc = secret_read(fd, path, key, e);
            close(fd);
            return rc;
        }
        if (errno != ENOENT)
            return ow_err_set(e, OW_EIO, field, "无法打开密钥文件 %s：%s", path, strerror(errno));
        if (round > 0) break;
        int rc = secret_create(path, e);
        if (rc != OW_OK && rc != OW_ECONFLICT) return rc;
    }
    return ow_err_set(e, OW_EIO, field, "密钥文件 %s 创建后无法打开", path);
}

int ow_crypto_keys_derive(const unsigned char master[32], ow_crypto_keys *out) {
    if (!master || !out) return OW_EINVAL;
    if (crypto_kdf_derive_from_key(out->enc, sizeof out->enc, KDF_ID_ENC, kdf_context, master) !=
            0 ||
        crypto_kdf_derive_from_key(out->blind, sizeof out->blind, KDF_ID_BLIND, kdf_context,
                                   master) != 0 ||
        crypto_kdf_derive_from_key(out->audit, sizeof out->audit, KDF_ID_AUDIT, kdf_context,
                                   master) != 0 ||
        crypto_kdf_derive_from_key(out->session, sizeof out->session, KDF_ID_SESSION, kdf_context,
                                   master) != 0) {
        sodium_memzero(out, sizeof *out);
        return OW_EINTERNAL;
    }
    return OW_OK;
}

void ow_crypto_keys_wipe(ow_crypto_keys *k) {
    if (k) sodium_memzero(k, sizeof *k);
}

/* ---- personal data ------------------------------------------------------------------ */

int ow_pii_encrypt(const ow_crypto_keys *k, const char *plain, const char *ad, char **out_b64) {
    if (out_b64) *out_b64 = NULL;
    if (!k || !plain || !out_b64) return OW_EINVAL;
    size_t plen = strnlen(plain, OW_PII_MAX_BYTES + 1);
    if (plen > OW_PII_MAX_BYTES) return OW_EINVAL;
    size_t adlen = ad ? strlen(ad) : 0;

    size_t blen = PII_NONCE_BYTES + plen + PII_TAG_BYTES;
    unsigned char *bin = malloc(blen);
    size_t b64cap = sodium_base64_ENCODED_LEN(blen, B64_VARIANT);
    char *b64 = malloc(b64cap);
    if (!bin || !b64) {
        free(bin);
        free(b64);
        return OW_ENOMEM;
    }
    randombytes_buf(bin, PII_NONCE_BYTES);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(bin + PII_NONCE_BYTES, &clen,
                                               (const unsigned char *)plain, plen,
                                               (const unsigned char *)ad, adlen, NULL, bin, k->enc);
    sodium_bin2base64(b64, b64cap, bin, PII_NONCE_BYTES + (size_t)clen, B64_VARIANT);
    free(bin);
    *out_b64 = b64;
    return OW_OK;
}

int ow_pii_decrypt(const ow_crypto_keys *k, const char *b64, const char *ad, char **out_plain) {
    if (out_plain) *out_plain = NULL;
    if (!k || !b64 || !out_plain) return OW_EINVAL;
    size_t max_b64 =
        sodium_base64_ENCODED_LEN(PII_NONCE_BYTES + OW_PII_MAX_BYTES + PII_TAG_BYTES, B64_VARIANT);
    size_t b64len = strnlen(b64, max_b64);
    if (b64len >= max_b64) return OW_EINVAL;
    size_t adlen = ad ? strlen(ad) : 0;

    unsigned char *bin = malloc(b64len + 1);
    if (!bin) return OW_ENOMEM;
    size_t blen = 0;
    const char *end = NULL;
    if (sodium_base642bin(bin, b64len + 1, b64, b64len, NULL, &blen, &end, B64_VARIANT) != 0 ||
        end != b64 + b64len || blen < PII_NONCE_BYTES + PII_TAG_BYTES) {
        free(bin);
        return OW_EINVAL;
    }
    size_t mcap = blen - PII_NONCE_BYTES - PII_TAG_BYTES;
    char *plain = malloc(mcap + 1);
    if (!plain) {
        free(bin);
        return OW_ENOMEM;
    }
    unsigned long long mlen = 0;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
        (unsigned char *)plain, &mlen, NULL, bin + PII_NONCE_BYTES, blen - PII_NONCE_BYTES,
        (const unsigned char *)ad, adlen, bin, k->enc);
    free(bin);
    if (rc != 0 || memchr(plain, '\0', (size_t)mlen) != NULL) {
        sodium_memzero(plain, mcap + 1);
        free(plain);
        return OW_EINVAL;
    }
    plain[mlen] = '\0';
    *out_plain = plain;
    return OW_OK;
}

void ow_blind_index(const ow_crypto_keys *k, const char *domain, const char *value,
                    char out_hex[65]) {
    static const unsigned char separator = 0;
    unsigned char h[HASH_BYTES];
    crypto_generichash_state st;
    crypto_generichash_init(&st, k->blind, sizeof k->blind, sizeof h);
    if (domain) crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain));
    crypto_generichash_update(&st, &separator, 1);
    if (value) crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out_hex, 65, h, sizeof h);
    sodium_memzero(&st, sizeof st);
}

/* ---- masking ------------------------------------------------------------------------ */

/* Keep `head` characters and `tail` characters of an ASCII string of length n,
 * asterisks between. */
static void mask_ends(const char *s, size_t n, size_t head, size_t tail, char *out) {
    for (size_t i = 0; i < n; i++)
        out[i] = (i < head || i >= n - tail) ? s[i] : '*';
    out[n] = '\0';
}

static void mask_all(size_t n, char *out) {
    memset(out, '*', n);
    out[n] = '\0';
}

void ow_mask_id_number(const char *id, char out[19]) {
    size_t n = id ? strnlen(id, 19) : 0;
    if (n >= 11 && n <= 18)
        mask_ends(id, n, 6, 4, out);
    else
        mask_all(n > 18 ? 18 : n, out);
}

void ow_mask_mobile(const char *mobile, char out[12]) {
    size_t n = mobile ? strnlen(mobile, 12) : 0;
    if (n >= 8 && n <= 11)
        mask_ends(mobile, n, 3, 4, out);
    else
        mask_all(n > 11 ? 11 : n, out);
}

/* Two-character surnames (复姓) common enough to matter for masking. */
static const char *const compound_surnames[] = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门",
    "百里", "呼延", "万俟", "单于", "闻人", "澹台", "公冶", "太史", "申屠", "赫连",
    "拓跋", "司空", "东郭", "左丘", "公羊", "淳于", "濮阳", "宗政", "第五", "仲孙",
};

/* Length in bytes of the character at s (a malformed byte counts as one). */
static size_t char_len(const char *s) {
    uint32_t cp;
    size_t n = utf8_decode((const unsigned char *)s, strnlen(s, 4), &cp);
    return n ? n : 1;
}

void ow_mask_name(const char *name, char *out, size_t out_size) {
    if (!out || out_size == 0) return;
    out[0] = '\0';
    if (!name || !*name) return;

    size_t chars = 0;
    for (const char *p = name; *p; p += char_len(p))
        chars++;

    /* How many leading characters stay visible. */
    size_t keep = 1;
    for (size_t i = 0; i < sizeof compound_surnames / sizeof compound_surnames[0]; i++) {
        size_t sl = strlen(compound_surnames[i]);
        if (strncmp(name, compound_surnames[i], sl) == 0) {
            keep = 2;
            break;
        }
    }
    if (keep >= chars) keep = chars - 1; /* never show the whole name */

    size_t o = 0;
    const char *p = name;
    for (size_t c = 0; c < chars; c++) {
        size_t len = char_len(p);
        const char *src = c < keep ? p : "*";
        size_t slen = c < keep ? len : 1;
        if (o + slen + 1 > out_size) break;
        memcpy(out + o, src, slen);
        o += slen;
        p += len;
    }
    out[o] = '\0';
}

/* ---- tokens and hashes -------------------------------------------------------------- */

void ow_random_token(char out[44]) {
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    sodium_bin2base64(out, OW_TOKEN_CHARS + 1, b, sizeof b, B64_VARIANT);
    sodium_memzero(b, sizeof b);
}

void ow_blake2b_hex(const void *data, size_t len, char out_hex[65]) {
    unsigned char h[HASH_BYTES];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    sodium_bin2hex(out_hex, 65, h, sizeof h);
}

void ow_token_hash(const char *token, char out_hex[65]) {
    ow_blake2b_hex(token ? token : "", token ? strlen(token) : 0, out_hex);
}

bool ow_ct_equal(const char *a, const char *b) {
    if (!a || !b) return false;
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb) return false;
    return sodium_memcmp(a, b, la) == 0;
}

/* ---- mobile numbers ----------------------------------------------------------------- */

int ow_mobile_check(const char *in, char out[12], ow_err *e) {
    static const char *field = "mobile";
    if (out) out[0] = '\0';
    if (!in) return ow_err_set(e, OW_EINVAL, field, "请填写手机号码");
    while (*in == ' ' || *in == '\t' || *in == '\r' || *in == '\n')
        in++;
    size_t n = strnlen(in, MOBILE_INPUT_MAX_BYTES + 1);
    while (n > 0 &&
           (in[n - 1] == ' ' || in[n - 1] == '\t' || in[n - 1] == '\r' || in[n - 1] == '\n'))
        n--;
    if (n == 0) return ow_err_set(e, OW_EINVAL, field, "请填写手机号码");
    if (n > MOBILE_INPUT_MAX_BYTES) return ow_err_set(e, OW_EINVAL, field, "手机号码过长");

    bool prefixed = false;
    size_t i = 0;
    if (n >= 3 && strncmp(in, "+86", 3) == 0)
        i = 3, prefixed = true;
    else if (n >= 4 && strncmp(in, "0086", 4) == 0)
        i = 4, prefixed = true;

    char d[MOBILE_INPUT_MAX_BYTES + 1];
    size_t nd = 0;
    for (; i < n; i++) {
        char c = in[i];
        if (c >= '0' && c <= '9')
            d[nd++] = c;
        else if (c == ' ' || c == '-')
            continue;
        else if ((unsigned char)c >= 0x80)
            return ow_err_set(e, OW_EINVAL, field, "手机号码请使用半角数字");
        else
            return ow_err_set(e, OW_EINVAL, field, "手机号码只能包含数字");
    }
    d[nd] = '\0';
    const char *digits = d;
    if (!prefixed && nd == 13 && d[0] == '8' && d[1] == '6') digits += 2, nd -= 2;
    if (nd != 11) return ow_err_set(e, OW_EINVAL, field, "手机号码应为11位数字，当前为%zu位", nd);
    if (digits[0] != '1' || digits[1] < '3')
        return ow_err_set(e, OW_EINVAL, field, "手机号码应以13至19开头");
    if (out) memcpy(out, digits, 12);
    return OW_OK;
}
