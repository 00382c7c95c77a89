/* test_crypto.c — passwords, the key file, personal-data encryption, blind indexes,
 * masking, tokens and mobile numbers (src/core/crypto.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crypto.h"

static void assert_msg_has(const ow_err *e, const char *needle) {
    if (!strstr(e->message, needle))
        fail_msg("message \"%s\" does not contain \"%s\"", e->message, needle);
}

static void test_keys(ow_crypto_keys *k, unsigned char fill) {
    unsigned char master[32];
    memset(master, fill, sizeof master);
    assert_int_equal(ow_crypto_keys_derive(master, k), OW_OK);
}

static bool is_b64url(const char *s) {
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

static bool is_lower_hex(const char *s, size_t n) {
    if (strlen(s) != n) return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) return false;
    return true;
}

/* ---- passwords ---- */

static void pw_hash_verifies_right_and_refuses_wrong(void **state) {
    (void)state;
    char h[OW_PW_HASH_MAX_BYTES];
    assert_int_equal(ow_pw_hash("Demo@2026", h), OW_OK);
    assert_memory_equal(h, "$argon2id$", 10);
    assert_non_null(strstr(h, "m=19456,t=2,p=1")); /* OW_PW_MEMLIMIT_BYTES / 1024 KiB */
    assert_int_equal(ow_pw_verify(h, "Demo@2026"), OW_OK);
    assert_int_equal(ow_pw_verify(h, "demo@2026"), OW_EUNAUTH);
    assert_int_equal(ow_pw_verify(h, ""), OW_EUNAUTH);
    assert_int_equal(ow_pw_verify("not a hash", "Demo@2026"), OW_EUNAUTH);
    assert_int_equal(ow_pw_verify(NULL, "Demo@2026"), OW_EUNAUTH);
    assert_int_equal(ow_pw_verify(h, NULL), OW_EUNAUTH);
    /* A fresh salt every time. */
    char h2[OW_PW_HASH_MAX_BYTES];
    assert_int_equal(ow_pw_hash("Demo@2026", h2), OW_OK);
    assert_string_not_equal(h, h2);
    assert_int_equal(ow_pw_verify(h2, "Demo@2026"), OW_OK);
}

static void pw_needs_rehash_only_for_other_parameters(void **state) {
    (void)state;
    char h[OW_PW_HASH_MAX_BYTES];
    assert_int_equal(ow_pw_hash("Demo@2026", h), OW_OK);
    assert_false(ow_pw_needs_rehash(h));
    char weak[crypto_pwhash_STRBYTES];
    assert_int_equal(
        crypto_pwhash_str_alg(weak, "Demo@2026", 9, 3, 8u << 20, crypto_pwhash_ALG_ARGON2ID13), 0);
    assert_true(ow_pw_needs_rehash(weak));
    assert_int_equal(ow_pw_verify(weak, "Demo@2026"), OW_OK); /* still signs in */
    assert_true(ow_pw_needs_rehash("garbage"));
    assert_true(ow_pw_needs_rehash(NULL));
}

static void pw_hash_refuses_oversized_input(void **state) {
    (void)state;
    char *big = malloc(OW_PW_INPUT_MAX_BYTES + 2);
    assert_non_null(big);
    memset(big, 'a', OW_PW_INPUT_MAX_BYTES + 1);
    big[OW_PW_INPUT_MAX_BYTES + 1] = '\0';
    char h[OW_PW_HASH_MAX_BYTES];
    assert_int_equal(ow_pw_hash(big, h), OW_EINVAL);
    assert_int_equal(ow_pw_hash(NULL, h), OW_EINVAL);
    free(big);
}

static void pw_policy(void **state) {
    (void)state;
    ow_err e = {0};
    assert_int_equal(ow_pw_policy_check("Demo@2026", &e), OW_OK);
    assert_int_equal(ow_pw_policy_check("abcdEF12", &e), OW_OK);       /* 8, three kinds */
    assert_int_equal(ow_pw_policy_check("abcd efg1", &e), OW_OK);      /* space is a symbol */
    assert_int_equal(ow_pw_policy_check("政务服务abc123", &e), OW_OK); /* 汉字 count as other */

    assert_int_equal(ow_pw_policy_check("Dm@2026", &e), OW_EINVAL);
    assert_string_equal(e.field, "password");
    assert_msg_has(&e, "至少需要8个字符，当前只有7个");

    char long_pw[70];
    memset(long_pw, 'a', 65);
    memcpy(long_pw, "A1", 2);
    long_pw[65] = '\0';
    assert_int_equal(ow_pw_policy_check(long_pw, &e), OW_EINVAL);
    assert_msg_has(&e, "最多64个字符");
    long_pw[64] = '\0';
    assert_int_equal(ow_pw_policy_check(long_pw, &e), OW_OK);

    assert_int_equal(ow_pw_policy_check("abcdefgh12", &e), OW_EINVAL);
    assert_msg_has(&e, "还缺少：大写字母、符号");
    assert_int_equal(ow_pw_policy_check("ABCDEFGH", &e), OW_EINVAL);
    assert_msg_has(&e, "小写字母、数字、符号");
    /* Eight characters but 24 bytes: lengths are counted in characters. */
    assert_int_equal(ow_pw_policy_check("密码密码密码密码", &e), OW_EINVAL);
    assert_msg_has(&e, "还缺少");
    assert_int_equal(ow_pw_policy_check("密码Ab1", &e), OW_EINVAL);
    assert_msg_has(&e, "当前只有5个");

    assert_int_equal(ow_pw_policy_check("Demo@2026\t", &e), OW_EINVAL);
    assert_msg_has(&e, "控制字符");
    assert_int_equal(ow_pw_policy_check("Demo@2026\xff", &e), OW_EINVAL);
    assert_msg_has(&e, "无法识别");
    assert_int_equal(ow_pw_policy_check("Demo@\xc0\xae"
                                        "2026",
                                        &e),
                     OW_EINVAL); /* overlong */
    assert_int_equal(ow_pw_policy_check("", &e), OW_EINVAL);
    assert_msg_has(&e, "请设置密码");
    assert_int_equal(ow_pw_policy_check(NULL, &e), OW_EINVAL);
}

/* ---- the key file ---- */

typedef struct {
    char dir[64];
    char path[128];
} tmp_key;

static int key_setup(void **state) {
    tmp_key *t = calloc(1, sizeof *t);
    if (!t) return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/ow_test_crypto_XXXXXX");
    if (!mkdtemp(t->dir)) {
        free(t);
        return -1;
    }
    snprintf(t->path, sizeof t->path, "%s/secret.key", t->dir);
    *state = t;
    return 0;
}

static int key_teardown(void **state) {
    tmp_key *t = *state;
    unlink(t->path);
    char other[160];
    snprintf(other, sizeof other, "%s/sub", t->dir);
    rmdir(other);
    rmdir(t->dir);
    free(t);
    return 0;
}

static void write_file(const char *path, const void *data, size_t n, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

static void secret_created_0600_then_loaded_unchanged(void **state) {
    tmp_key *t = *state;
    unsigned char k1[32], k2[32], zero[32] = {0};
    ow_err e = {0};
    assert_int_equal(ow_secret_load_or_create(t->path, k1, &e), OW_OK);
    struct stat st;
    assert_int_equal(stat(t->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_size, 32);
    assert_memory_not_equal(k1, zero, 32);
    assert_int_equal(ow_secret_load_or_create(t->path, k2, &e), OW_OK);
    assert_memory_equal(k1, k2, 32);
    /* No temporary file left behind: without secret.key the directory is empty. */
    unlink(t->path);
    assert_int_equal(rmdir(t->dir), 0);
    assert_int_equal(mkdir(t->dir, 0700), 0);
}

static void secret_refuses_file_readable_by_others(void **state) {
    tmp_key *t = *state;
    unsigned char key[32];
    memset(key, 7, sizeof key);
    write_file(t->path, key, sizeof key, 0644);
    ow_err e = {0};
    assert_int_equal(ow_secret_load_or_create(t->path, key, &e), OW_EINVAL);
    assert_string_equal(e.field, "secret_key");
    assert_msg_has(&e, "0644");
    assert_msg_has(&e, "chmod 600");
    assert_int_equal(chmod(t->path, 0640), 0);
    assert_int_equal(ow_secret_load_or_create(t->path, key, &e), OW_EINVAL);
    assert_int_equal(chmod(t->path, 0400), 0);
    assert_int_equal(ow_secret_load_or_create(t->path, key, &e), OW_OK);
}

static void secret_refuses_wrong_size_and_non_files(void **state) {
    tmp_key *t = *state;
    unsigned char key[33] = {0};
    write_file(t->path, key, 31, 0600);
    ow_err e = {0};
    assert_int_equal(ow_secret_load_or_create(t->path, key, &e), OW_EINVAL);
    assert_msg_has(&e, "大小为 31 字节，应为 32 字节");
    write_file(t->path, key, 33, 0600);
    assert_int_equal(ow_secret_load_or_create(t->path, key, &e), OW_EINVAL);
    write_file(t->path, key, 0, 0600); /* an empty file is never taken as a key */
    assert_int_equal(ow_secret_load_or_create(t->path, key, &e), OW_EINVAL);

    char sub[160];
    snprintf(sub, sizeof sub, "%s/sub", t->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(ow_secret_load_or_create(sub, key, &e), OW_EINVAL);
    assert_msg_has(&e, "不是普通文件");

    char missing[192];
    snprintf(missing, sizeof missing, "%s/no/such/dir/secret.key", t->dir);
    assert_int_equal(ow_secret_load_or_create(missing, key, &e), OW_EIO);
    assert_msg_has(&e, "无法创建密钥文件");
}

static void keys_derive_distinct_and_deterministic(void **state) {
    (void)state;
    ow_crypto_keys a, b, c;
    test_keys(&a, 1);
    test_keys(&b, 1);
    test_keys(&c, 2);
    assert_memory_equal(&a, &b, sizeof a);
    assert_memory_not_equal(a.enc, c.enc, 32);
    assert_memory_not_equal(a.enc, a.blind, 32);
    assert_memory_not_equal(a.enc, a.audit, 32);
    assert_memory_not_equal(a.enc, a.session, 32);
    assert_memory_not_equal(a.blind, a.audit, 32);
    assert_memory_not_equal(a.audit, a.session, 32);
    ow_crypto_keys_wipe(&c);
    unsigned char zero[sizeof c] = {0};
    assert_memory_equal(&c, zero, sizeof c);
}

/* ---- personal data ---- */

static void pii_round_trip(void **state) {
    (void)state;
    ow_crypto_keys k;
    test_keys(&k, 1);
    const char *plain = "43090319900105123X 张三";
    char *b64 = NULL, *back = NULL;
    assert_int_equal(ow_pii_encrypt(&k, plain, "person.id_number", &b64), OW_OK);
    assert_non_null(b64);
    assert_true(is_b64url(b64)); /* URL-safe, no '=' padding */
    size_t bin = 24 + strlen(plain) + 16;
    assert_int_equal(strlen(b64), (bin * 4 + 2) / 3);
    assert_null(strstr(b64, "43090319900105123X"));
    assert_int_equal(ow_pii_decrypt(&k, b64, "person.id_number", &back), OW_OK);
    assert_string_equal(back, plain);
    free(back);

    /* A random nonce: the same value encrypts differently each time. */
    char *b64b = NULL;
    assert_int_equal(ow_pii_encrypt(&k, plain, "person.id_number", &b64b), OW_OK);
    assert_string_not_equal(b64, b64b);
    free(b64b);
    free(b64);

    assert_int_equal(ow_pii_encrypt(&k, "", NULL, &b64), OW_OK);
    assert_int_equal(ow_pii_decrypt(&k, b64, NULL, &back), OW_OK);
    assert_string_equal(back, "");
    free(back);
    free(b64);
}

static void pii_tampered_ciphertext_rejected(void **state) {
    (void)state;
    ow_crypto_keys k;
    test_keys(&k, 1);
    char *b64 = NULL, *back = (char *)"untouched";
    assert_int_equal(ow_pii_encrypt(&k, "13812345678", "person.mobile", &b64), OW_OK);
    size_t n = strlen(b64);
    for (size_t i = 0; i < n; i += 7) {
        char saved = b64[i];
        b64[i] = saved == 'A' ? 'B' : 'A';
        assert_int_equal(ow_pii_decrypt(&k, b64, "person.mobile", &back), OW_EINVAL);
        assert_null(back);
        b64[i] = saved;
    }
    b64[n - 3] = '\0'; /* truncated */
    assert_int_equal(ow_pii_decrypt(&k, b64, "person.mobile", &back), OW_EINVAL);
    assert_int_equal(ow_pii_decrypt(&k, "!!!!", "person.mobile", &back), OW_EINVAL);
    assert_int_equal(ow_pii_decrypt(&k, "", "person.mobile", &back), OW_EINVAL);
    assert_int_equal(ow_pii_decrypt(&k, "AAAA", "person.mobile", &back), OW_EINVAL);
    free(b64);
}

static void pii_wrong_ad_or_key_rejected(void **state) {
    (void)state;
    ow_crypto_keys k, other;
    test_keys(&k, 1);
    test_keys(&other, 2);
    char *b64 = NULL, *back = NULL;
    assert_int_equal(ow_pii_encrypt(&k, "13812345678", "person.mobile", &b64), OW_OK);
    assert_int_equal(ow_pii_decrypt(&k, b64, "person.id_number", &back), OW_EINVAL);
    assert_int_equal(ow_pii_decrypt(&k, b64, NULL, &back), OW_EINVAL);
    assert_int_equal(ow_pii_decrypt(&other, b64, "person.mobile", &back), OW_EINVAL);
    assert_null(back);
    assert_int_equal(ow_pii_decrypt(&k, b64, "person.mobile", &back), OW_OK);
    free(back);
    free(b64);
}

static void pii_refuses_oversized_plaintext(void **state) {
    (void)state;
    ow_crypto_keys k;
    test_keys(&k, 1);
    char *big = malloc(OW_PII_MAX_BYTES + 2);
    assert_non_null(big);
    memset(big, 'x', OW_PII_MAX_BYTES + 1);
    big[OW_PII_MAX_BYTES + 1] = '\0';
    char *b64 = (char *)"untouched";
    assert_int_equal(ow_pii_encrypt(&k, big, NULL, &b64), OW_EINVAL);
    assert_null(b64);
    big[OW_PII_MAX_BYTES] = '\0';
    assert_int_equal(ow_pii_encrypt(&k, big, NULL, &b64), OW_OK);
    char *back = NULL;
    assert_int_equal(ow_pii_decrypt(&k, b64, NULL, &back), OW_OK);
    assert_string_equal(back, big);
    free(back);
    free(b64);
    free(big);
}

static void blind_index_stable_and_separated(void **state) {
    (void)state;
    ow_crypto_keys k, other;
    test_keys(&k, 1);
    test_keys(&other, 2);
    char a[65], b[65], c[65], d[65], x[65], y[65];
    ow_blind_index(&k, "id_number", "43090319900105123X", a);
    ow_blind_index(&k, "id_number", "43090319900105123X", b);
    ow_blind_index(&k, "mobile", "43090319900105123X", c);
    ow_blind_index(&other, "id_number", "43090319900105123X", d);
    assert_true(is_lower_hex(a, 64));
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_string_not_equal(a, d);
    ow_blind_index(&k, "id_number", "430903199003071234", b);
    assert_string_not_equal(a, b);
    /* The 0 byte between domain and value keeps ("ab","c") apart from ("a","bc"). */
    ow_blind_index(&k, "ab", "c", x);
    ow_blind_index(&k, "a", "bc", y);
    assert_string_not_equal(x, y);
}

/* ---- masking ---- */

static void mask_id_number_and_mobile(void **state) {
    (void)state;
    char id[19], m[12];
    ow_mask_id_number("43090319900105123X", id);
    assert_string_equal(id, "430903********123X");
    ow_mask_id_number("430903900105123", id); /* a 15-digit legacy number */
    assert_string_equal(id, "430903*****5123");
    ow_mask_id_number("1234567890", id);
    assert_string_equal(id, "**********");
    ow_mask_id_number("43090319900105123X99", id);
    assert_string_equal(id, "******************");
    ow_mask_id_number(NULL, id);
    assert_string_equal(id, "");

    ow_mask_mobile("13812345678", m);
    assert_string_equal(m, "138****5678");
    ow_mask_mobile("1381234", m);
    assert_string_equal(m, "*******");
    ow_mask_mobile("+8613812345678", m);
    assert_string_equal(m, "***********");
}

static void mask_name_keeps_surname(void **state) {
    (void)state;
    char out[64];
    ow_mask_name("张三", out, sizeof out);
    assert_string_equal(out, "张*");
    ow_mask_name("李小龙", out, sizeof out);
    assert_string_equal(out, "李**");
    ow_mask_name("欧阳娜娜", out, sizeof out);
    assert_string_equal(out, "欧阳**");
    ow_mask_name("欧阳锋", out, sizeof out);
    assert_string_equal(out, "欧阳*");
    ow_mask_name("欧阳", out, sizeof out); /* never the whole name */
    assert_string_equal(out, "欧*");
    ow_mask_name("王", out, sizeof out);
    assert_string_equal(out, "*");
    ow_mask_name("买买提·艾力", out, sizeof out);
    assert_string_equal(out, "买*****");
    ow_mask_name("Alice", out, sizeof out);
    assert_string_equal(out, "A****");
    ow_mask_name("", out, sizeof out);
    assert_string_equal(out, "");
    /* Truncated at a character boundary: 张 (3 bytes) + '*' + NUL fill 5 bytes. */
    char small[5];
    ow_mask_name("张三丰", small, sizeof small);
    assert_string_equal(small, "张*");
    char tiny[3];
    ow_mask_name("张三", tiny, sizeof tiny);
    assert_string_equal(tiny, "");
}

/* ---- tokens, hashes, comparison ---- */

static int cmp_str(const void *a, const void *b) {
    return strcmp(a, b);
}

static void tokens_random_unique_url_safe(void **state) {
    (void)state;
    enum { N = 500 };
    static char tokens[N][44];
    for (int i = 0; i < N; i++) {
        ow_random_token(tokens[i]);
        assert_int_equal(strlen(tokens[i]), OW_TOKEN_CHARS);
        assert_true(is_b64url(tokens[i]));
    }
    qsort(tokens, N, sizeof tokens[0], cmp_str);
    for (int i = 1; i < N; i++)
        assert_string_not_equal(tokens[i - 1], tokens[i]);
}

static void token_hash_and_blake2b_vectors(void **state) {
    (void)state;
    char h[65], h2[65];
    /* BLAKE2b-256 test vectors (RFC 7693 parameters, 32-byte output). */
    ow_blake2b_hex("", 0, h);
    assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    ow_blake2b_hex("abc", 3, h);
    assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    char t[44];
    ow_random_token(t);
    ow_token_hash(t, h);
    ow_token_hash(t, h2);
    assert_true(is_lower_hex(h, 64));
    assert_string_equal(h, h2);
    ow_blake2b_hex(t, strlen(t), h2);
    assert_string_equal(h, h2);
    t[0] = t[0] == 'A' ? 'B' : 'A';
    ow_token_hash(t, h2);
    assert_string_not_equal(h, h2);
}

static void ct_equal_compares_whole_strings(void **state) {
    (void)state;
    assert_true(ow_ct_equal("abc", "abc"));
    assert_true(ow_ct_equal("", ""));
    assert_false(ow_ct_equal("abc", "abd"));
    assert_false(ow_ct_equal("abc", "abcd"));
    assert_false(ow_ct_equal("abcd", "abc"));
    assert_false(ow_ct_equal(NULL, "abc"));
    assert_false(ow_ct_equal("abc", NULL));
    assert_false(ow_ct_equal(NULL, NULL));
}

/* ---- mobile numbers ---- */

static void mobile_check(void **state) {
    (void)state;
    char out[12];
    ow_err e = {0};
    assert_int_equal(ow_mobile_check("13812345678", out, &e), OW_OK);
    assert_string_equal(out, "13812345678");
    assert_int_equal(ow_mobile_check(" 138 1234 5678\n", out, &e), OW_OK);
    assert_string_equal(out, "13812345678");
    assert_int_equal(ow_mobile_check("+86 138-1234-5678", out, &e), OW_OK);
    assert_string_equal(out, "13812345678");
    assert_int_equal(ow_mobile_check("008619912345678", out, &e), OW_OK);
    assert_string_equal(out, "19912345678");
    assert_int_equal(ow_mobile_check("8615012345678", out, &e), OW_OK);
    assert_string_equal(out, "15012345678");

    assert_int_equal(ow_mobile_check("12812345678", out, &e), OW_EINVAL);
    assert_string_equal(e.field, "mobile");
    assert_msg_has(&e, "应以13至19开头");
    assert_string_equal(out, "");
    assert_int_equal(ow_mobile_check("23812345678", out, &e), OW_EINVAL);
    assert_int_equal(ow_mobile_check("1381234567", out, &e), OW_EINVAL);
    assert_msg_has(&e, "应为11位数字，当前为10位");
    assert_int_equal(ow_mobile_check("138123456789", out, &e), OW_EINVAL);
    assert_int_equal(ow_mobile_check("1381234567a", out, &e), OW_EINVAL);
    assert_msg_has(&e, "只能包含数字");
    assert_int_equal(ow_mobile_check("１３８12345678", out, &e), OW_EINVAL);
    assert_msg_has(&e, "半角");
    assert_int_equal(ow_mobile_check("  ", out, &e), OW_EINVAL);
    assert_msg_has(&e, "请填写手机号码");
    assert_int_equal(ow_mobile_check("1381234567812345678901234567890123456", out, &e), OW_EINVAL);
    assert_int_equal(ow_mobile_check("+8612812345678", out, &e), OW_EINVAL);
}

static int init_sodium(void **state) {
    (void)state;
    return ow_crypto_init() == OW_OK ? 0 : -1;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pw_hash_verifies_right_and_refuses_wrong),
        cmocka_unit_test(pw_needs_rehash_only_for_other_parameters),
        cmocka_unit_test(pw_hash_refuses_oversized_input),
        cmocka_unit_test(pw_policy),
        cmocka_unit_test_setup_teardown(secret_created_0600_then_loaded_unchanged, key_setup,
                                        key_teardown),
        cmocka_unit_test_setup_teardown(secret_refuses_file_readable_by_others, key_setup,
                                        key_teardown),
        cmocka_unit_test_setup_teardown(secret_refuses_wrong_size_and_non_files, key_setup,
                                        key_teardown),
        cmocka_unit_test(keys_derive_distinct_and_deterministic),
        cmocka_unit_test(pii_round_trip),
        cmocka_unit_test(pii_tampered_ciphertext_rejected),
        cmocka_unit_test(pii_wrong_ad_or_key_rejected),
        cmocka_unit_test(pii_refuses_oversized_plaintext),
        cmocka_unit_test(blind_index_stable_and_separated),
        cmocka_unit_test(mask_id_number_and_mobile),
        cmocka_unit_test(mask_name_keeps_surname),
        cmocka_unit_test(tokens_random_unique_url_safe),
        cmocka_unit_test(token_hash_and_blake2b_vectors),
        cmocka_unit_test(ct_equal_compares_whole_strings),
        cmocka_unit_test(mobile_check),
    };
    return cmocka_run_group_tests(tests, init_sodium, NULL);
}
