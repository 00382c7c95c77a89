/* keys.c — the instance's Ed25519 keys in DATA_DIR/exchange.key (exchange.h, "keys";
 * docs/exchange.md "Keys and their rotation").
 *
 * One line per key, oldest first: "{key_id} {created_at} {secret key as 128 hex}".  The
 * last line is the key that signs; the earlier ones are kept so that a peer can still be
 * shown what signed an older receipt.  The file is created like secret.key: mode 0600,
 * written and fsync'ed before it is linked into place, refused when group or others may
 * read it.  A rotation appends a line with O_APPEND and fsyncs it. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exchange/exchange.h"

static void key_path(const char *data_dir, char *out, size_t n) {
    snprintf(out, n, "%s/%s", data_dir, OW_EX_KEY_FILE);
}

static int new_key(int64_t now_ms, ow_ex_key *k) {
    crypto_sign_keypair(k->pk, k->sk);
    ow_ex_key_id(k->pk, k->key_id);
    k->created_at = now_ms;
    return OW_OK;
}

static int key_line(const ow_ex_key *k, char *out, size_t n) {
    char hex[129];
    sodium_bin2hex(hex, sizeof hex, k->sk, sizeof k->sk);
    int len = snprintf(out, n, "%s %" PRId64 " %s\n", k->key_id, k->created_at, hex);
    sodium_memzero(hex, sizeof hex);
    return len;
}

static int write_all(int fd, const char *s, size_t n) {
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return fsync(fd);
}

static int create_file(const char *path, int64_t now_ms, ow_err *e) {
    ow_ex_key k;
    new_key(now_ms, &k);
    char line[256], tmp[720];
    int n = key_line(&k, line, sizeof line);
    sodium_memzero(&k, sizeof k);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return ow_err_set(e, OW_EIO, "exchange_key", "无法创建 %s：%s", tmp, strerror(errno));
    int bad = write_all(fd, line, (size_t)n);
    sodium_memzero(line, sizeof line);
    close(fd);
    /* link, not rename: a key someone created meanwhile is never replaced */
    if (bad || link(tmp, path) != 0) {
        int err = errno;
        unlink(tmp);
        if (err == EEXIST) return OW_OK;
        return ow_err_set(e, OW_EIO, "exchange_key", "无法写入 %s：%s", path, strerror(err));
    }
    unlink(tmp);
    return OW_OK;
}

int ow_ex_keys_load(const char *data_dir, bool create, int64_t now_ms, ow_ex_keyring *out,
                    ow_err *e) {
    memset(out, 0, sizeof *out);
    char path[700];
    key_path(data_dir, path, sizeof path);
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT || !create)
            return ow_err_set(e, OW_ENOTFOUND, "exchange_key",
                              "交换密钥 %s 不存在，请运行 onewindow exchange key", path);
        int rc = create_file(path, now_ms, e);
        if (rc) return rc;
        if (stat(path, &st) != 0) return ow_err_set(e, OW_EIO, "exchange_key", "无法读取 %s", path);
    }
    if (!S_ISREG(st.st_mode) || (st.st_mode & 077))
        return ow_err_set(e, OW_EINVAL, "exchange_key",
                          "%s 应为普通文件且只有属主可读写（chmod 600）", path);
    FILE *f = fopen(path, "r");
    if (!f) return ow_err_set(e, OW_EIO, "exchange_key", "无法读取 %s", path);
    char line[300];
    int lineno = 0, rc = OW_OK;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char id[32], hex[200];
        long long at;
        ow_ex_key k = {0};
        size_t bin = 0;
        if (sscanf(line, "%31s %lld %199s", id, &at, hex) != 3 ||
            sodium_hex2bin(k.sk, sizeof k.sk, hex, strlen(hex), NULL, &bin, NULL) ||
            bin != sizeof k.sk) {
            rc =
                ow_err_set(e, OW_EINVAL, "exchange_key", "%s 第 %d 行不是有效的密钥", path, lineno);
            break;
        }
        crypto_sign_ed25519_sk_to_pk(k.pk, k.sk);
        ow_ex_key_id(k.pk, k.key_id);
        k.created_at = at;
        sodium_memzero(hex, sizeof hex);
        if (strcmp(id, k.key_id)) {
            rc = ow_err_set(e, OW_EINVAL, "exchange_key", "%s 第 %d 行的密钥编号与密钥不符", path,
                            lineno);
            break;
        }
        if (out->n == (int)(sizeof out->v / sizeof *out->v)) /* keep the newest */
            memmove(out->v, out->v + 1, sizeof out->v - sizeof *out->v), out->n--;
        out->v[out->n++] = k;
    }
    sodium_memzero(line, sizeof line);
    fclose(f);
    if (!rc && !out->n) rc = ow_err_set(e, OW_EINVAL, "exchange_key", "%s 中没有密钥", path);
    return rc;
}

int ow_ex_keys_rotate(const char *data_dir, int64_t now_ms, ow_ex_keyring *ring, ow_err *e) {
    int rc = ow_ex_keys_load(data_dir, true, now_ms, ring, e);
    if (rc) return rc;
    char path[700], line[256];
    key_path(data_dir, path, sizeof path);
    ow_ex_key k;
    new_key(now_ms, &k);
    int n = key_line(&k, line, sizeof line);
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return ow_err_set(e, OW_EIO, "exchange_key", "无法打开 %s：%s", path, strerror(errno));
    int bad = write_all(fd, line, (size_t)n);
    close(fd);
    sodium_memzero(line, sizeof line);
    sodium_memzero(&k, sizeof k);
    if (bad) return ow_err_set(e, OW_EIO, "exchange_key", "无法写入 %s", path);
    return ow_ex_keys_load(data_dir, false, now_ms, ring, e);
}
