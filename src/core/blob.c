/* blob.c — the content-addressed file store: <data_dir>/files/ab/cd/<sha256>, written
 * through a temporary file with a running SHA-256, fsynced and renamed into place (the
 * durability order files/files.h describes).  It sits in core so that every module
 * that keeps bytes — uploads (files/), issued documents frozen as PDF (docs/) — uses the
 * one store without depending on the modules above it. */
#include "core/blob.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

struct ow_files_tmp {
    int fd;
    bool kept;
    char dir[600];  /* <data_dir>/files */
    char path[700]; /* the temporary file */
    crypto_hash_sha256_state h;
};

/* A write or fsync of the store failed.  A full disk (ENOSPC, EDQUOT) or a failing one
 * (EIO) is the server's condition, not the request's: 503 storage_unavailable with
 * Retry-After, so the client knows nothing was kept and may try again later; anything
 * else stays an internal error. */
static int store_failed(ow_err *e, const char *what) {
    int err = errno;
    if (err == ENOSPC || err == EDQUOT || err == EIO) {
        ow_log_error("file store unavailable", "\"what\":\"%s\",\"errno\":%d", what, err);
        ow_err_setk(e, OW_EBUSY, "storage_unavailable", "file",
                    "服务器存储暂时不可用（磁盘空间不足或读写故障），文件未保存，请稍后重试");
        e->retry_after_s = 60;
        return OW_EBUSY;
    }
    return ow_err_set(e, OW_EIO, "", "%s：%s", what, strerror(err));
}

static int mkdir_one(const char *p, ow_err *e) {
    if (mkdir(p, 0750) && errno != EEXIST) return store_failed(e, "无法创建目录");
    return OW_OK;
}

static int fsync_dir(const char *p, ow_err *e) {
    int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ow_err_set(e, OW_EIO, "", "无法打开目录 %s：%s", p, strerror(errno));
    int rc = fsync(fd), err = errno;
    close(fd);
    errno = err;
    if (rc) return store_failed(e, "目录落盘失败");
    return OW_OK;
}

void ow_files_blob_path(const char *data_dir, const char *sha, char *out, size_t out_size) {
    snprintf(out, out_size, "%s/files/%.2s/%.2s/%s", data_dir, sha, sha + 2, sha);
}

int ow_files_tmp_open(const char *data_dir, ow_files_tmp **out, ow_err *e) {
    *out = NULL;
    ow_files_tmp *t = calloc(1, sizeof *t);
    if (!t) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    t->fd = -1;
    snprintf(t->dir, sizeof t->dir, "%s/files", data_dir);
    char tmpdir[640];
    snprintf(tmpdir, sizeof tmpdir, "%s/tmp", t->dir);
    int rc = mkdir_one(t->dir, e);
    if (!rc) rc = mkdir_one(tmpdir, e);
    if (rc) {
        free(t);
        return rc;
    }
    unsigned char rnd[12];
    randombytes_buf(rnd, sizeof rnd);
    char hex[25];
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    snprintf(t->path, sizeof t->path, "%s/up-%s", tmpdir, hex);
    t->fd = open(t->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (t->fd < 0) {
        rc = ow_err_set(e, OW_EIO, "", "无法创建临时文件：%s", strerror(errno));
        free(t);
        return rc;
    }
    crypto_hash_sha256_init(&t->h);
    *out = t;
    return OW_OK;
}

int ow_files_tmp_write(ow_files_tmp *t, const void *p, size_t n, ow_err *e) {
    crypto_hash_sha256_update(&t->h, p, n);
    const char *c = p;
    while (n) {
        ssize_t w = write(t->fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return store_failed(e, "写入上传文件失败");
        c += w;
        n -= (size_t)w;
    }
    return OW_OK;
}

int ow_files_tmp_fd(const ow_files_tmp *t) {
    return t->fd;
}

int ow_files_tmp_keep(ow_files_tmp *t, char sha_hex[65], ow_err *e) {
    unsigned char sum[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&t->h, sum);
    sodium_bin2hex(sha_hex, 65, sum, sizeof sum);
    if (fsync(t->fd)) return store_failed(e, "上传文件落盘失败");
    char d1[640], d2[660], dst[760];
    snprintf(d1, sizeof d1, "%s/%.2s", t->dir, sha_hex);
    snprintf(d2, sizeof d2, "%s/%.2s", d1, sha_hex + 2);
    snprintf(dst, sizeof dst, "%s/%s", d2, sha_hex);
    int rc = mkdir_one(d1, e);
    if (!rc) rc = mkdir_one(d2, e);
    if (rc) return rc;
    struct stat st;
    if (!stat(dst, &st)) return OW_OK; /* same content already stored: the temp goes */
    if (rename(t->path, dst)) return store_failed(e, "保存上传文件失败");
    t->kept = true;
    /* the new name must be durable before a row may point at it: the leaf directory
     * holds the entry, and the two new directories' entries live in their parents */
    if ((rc = fsync_dir(d2, e)) || (rc = fsync_dir(d1, e)) || (rc = fsync_dir(t->dir, e)))
        return rc;
    return OW_OK;
}

void ow_files_tmp_free(ow_files_tmp *t) {
    if (!t) return;
    if (t->fd >= 0) close(t->fd);
    if (!t->kept) unlink(t->path);
    free(t);
}

int ow_blob_put(const char *data_dir, const void *data, size_t n, char sha_hex[65], ow_err *e) {
    ow_files_tmp *t;
    int rc = ow_files_tmp_open(data_dir, &t, e);
    if (rc) return rc;
    if (!(rc = ow_files_tmp_write(t, data, n, e))) rc = ow_files_tmp_keep(t, sha_hex, e);
    ow_files_tmp_free(t);
    return rc;
}
