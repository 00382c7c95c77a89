/* crypto.h — passwords, the secret key, personal-data encryption, blind indexes,
 * masking and tokens (docs/architecture.md "Security"), all on libsodium.
 *
 * Call ow_crypto_init() once at start-up before anything else here. */
#ifndef OW_CORE_CRYPTO_H
#define OW_CORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* argon2id cost: see docs/decisions/0001-argon2id-parameters.md (≈17 ms a hash on the
 * reference machine).  Changing them makes ow_pw_needs_rehash() true for old hashes. */
#define OW_PW_OPSLIMIT 2ULL
#define OW_PW_MEMLIMIT_BYTES (19ULL * 1024 * 1024)
#define OW_PW_HASH_MAX_BYTES 128 /* crypto_pwhash_STRBYTES, including the NUL */
#define OW_PW_MIN_CHARS 8
#define OW_PW_MAX_CHARS 64
/* Longest input ow_pw_hash/ow_pw_verify accept, so nobody makes us hash a megabyte. */
#define OW_PW_INPUT_MAX_BYTES 1024

#define OW_SECRET_KEY_BYTES 32
#define OW_PII_MAX_BYTES 4096 /* longest plaintext ow_pii_encrypt accepts */

int ow_crypto_init(void); /* OW_OK, or OW_EINTERNAL if libsodium cannot start */

/* ---- passwords ---- */

/* argon2id hash in libsodium's string form ($argon2id$v=19$m=...,t=...,p=1$...).
 * OW_EINVAL for NULL or over OW_PW_INPUT_MAX_BYTES, OW_ENOMEM if the memory for the
 * hash cannot be had. */
int ow_pw_hash(const char *pw, char out[128]);
/* OW_OK if pw matches hash, OW_EUNAUTH otherwise (including a malformed hash). */
int ow_pw_verify(const char *hash, const char *pw);
/* True when hash was made with other parameters (or is not a valid hash): rehash the
 * password the user just typed and store the new hash. */
bool ow_pw_needs_rehash(const char *hash);
/* 8–64 characters, valid UTF-8 without control characters, at least three of: lower
 * case, upper case, digit, other (symbols, spaces, non-Latin).  Field "password". */
int ow_pw_policy_check(const char *pw, ow_err *e);

/* ---- the secret key and subkeys ---- */

/* Read the 32-byte raw key at path, or create it (random, mode 0600, fsync'ed, then
 * linked into place so that no half-written file is ever visible) if absent.  Refuses
 * with OW_EINVAL and a message (field "secret_key") a file that is not a regular file,
 * is readable or writable by group or others, or is not exactly 32 bytes; OW_EIO when
 * the file system fails. */
int ow_secret_load_or_create(const char *path, unsigned char key[32], ow_err *e);

typedef struct ow_crypto_keys {
    unsigned char enc[32];     /* XChaCha20-Poly1305 key for personal data */
    unsigned char blind[32];   /* BLAKE2b key for blind indexes */
    unsigned char audit[32];   /* audit-log chain MAC key */
    unsigned char session[32]; /* session / CSRF token MAC key */
} ow_crypto_keys;

/* Subkeys with crypto_kdf (context "owkeys01", ids 1..4 in the order above). */
int ow_crypto_keys_derive(const unsigned char master[32], ow_crypto_keys *out);
void ow_crypto_keys_wipe(ow_crypto_keys *k);

/* ---- personal data at rest ---- */

/* XChaCha20-Poly1305 with a random nonce; *out_b64 = base64url (no padding) of
 * nonce || ciphertext || tag, malloc'ed, free() it.  ad (may be NULL) is bound to the
 * ciphertext: pass the column name ("person.id_number") so a value copied into another
 * column does not decrypt.  OW_EINVAL for NULL or over OW_PII_MAX_BYTES, OW_ENOMEM. */
int ow_pii_encrypt(const ow_crypto_keys *k, const char *plain, const char *ad, char **out_b64);
/* Inverse; OW_EINVAL if b64 is malformed, was altered, was made with another key or
 * other ad, or decrypts to something with a NUL byte.  *out_plain malloc'ed. */
int ow_pii_decrypt(const ow_crypto_keys *k, const char *b64, const char *ad, char **out_plain);
/* Keyed BLAKE2b-256 of domain || 0x00 || value, as 64 lower-case hex digits.  Use a
 * domain per kind of value ("id_number", "mobile") and normalise value first (the
 * output of ow_id_number_check / ow_mobile_check). */
void ow_blind_index(const ow_crypto_keys *k, const char *domain, const char *value,
                    char out_hex[65]);

/* ---- masking for display ---- */

/* 430903********123X: first 6 and last 4 kept.  Other lengths from 11 to 18 keep the
 * same ends; anything shorter or longer is shown as asterisks only. */
void ow_mask_id_number(const char *id, char out[19]);
/* 138****5678: first 3 and last 4 kept (lengths 8–11); otherwise asterisks only. */
void ow_mask_mobile(const char *mobile, char out[12]);
/* Surname kept, every other character one asterisk: 张三 → 张*, 欧阳娜娜 → 欧阳**
 * (a two-character compound surname is kept when the name is longer than it).
 * UTF-8 aware; output truncated at a character boundary to fit out_size. */
void ow_mask_name(const char *name, char *out, size_t out_size);

/* ---- tokens and hashes ---- */

#define OW_TOKEN_CHARS 43 /* 32 bytes in base64url without padding */

void ow_random_token(char out[44]);
/* BLAKE2b-256 of the token string, hex: what is stored instead of the token. */
void ow_token_hash(const char *token, char out_hex[65]);
void ow_blake2b_hex(const void *data, size_t len, char out_hex[65]);
/* Equal strings, in time that depends only on the lengths; NULL equals nothing. */
bool ow_ct_equal(const char *a, const char *b);

/* Mainland mobile number: 11 digits, 1[3-9]xxxxxxxxx.  Accepts and strips a +86/0086
 * prefix and spaces or hyphens between digits ("138 1234-5678"); out gets the 11
 * digits (may be NULL).  Field "mobile". */
int ow_mobile_check(const char *in, char out[12], ow_err *e);

#endif
