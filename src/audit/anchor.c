/* anchor.c — the audit trail's head kept outside the database (audit.h, "the anchor";
 * docs/exchange.md, "The audit trail's anchor").
 *
 * The file is only ever appended to: one line of JSON per anchor, written with one
 * write(2) on an O_APPEND descriptor and fsync'ed, so nodes sharing a data directory
 * never interleave half lines and a crash leaves at most a torn last line (which is
 * reported, not skipped: a torn line is indistinguishable from an edited one).  Every
 * line carries a MAC with the audit key over "ow-audit-anchor-1\n{seq}\n{hash}\n{at}\n";
 * verification takes the highest anchored sequence number, so an older line appended
 * again (a replayed anchor) cannot lower it. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "audit/audit.h"
#include "audit/audit_int.h"
#include "core/clock.h"
#include "core/log.h"
#include "store/audit_store.h"

#define ANCHOR_FILE_MAX_BYTES (64LL * 1024 * 1024) /* ~500,000 hourly lines: 50 years */

static void anchor_mac(const ow_crypto_keys *k, const ow_audit_anchor *a, char out_hex[65]) {
    char msg[200];
    int n = snprintf(msg, sizeof msg, "ow-audit-anchor-1\n%" PRId64 "\n%s\n%" PRId64 "\n", a->seq,
                     a->hash, a->at);
    unsigned char mac[32];
    crypto_generichash(mac, sizeof mac, (const unsigned char *)msg, (size_t)n, k->audit,
                       sizeof k->audit);
    sodium_bin2hex(out_hex, 65, mac, sizeof mac);
}

static int parse_line(const char *line, size_t len, const ow_crypto_keys *k, ow_audit_anchor *a) {
    json_error_t je;
    json_t *o = json_loadb(line, len, 0, &je);
    if (!o) return -1;
    json_t *seq = json_object_get(o, "seq"), *at = json_object_get(o, "at");
    const char *hash = json_string_value(json_object_get(o, "hash"));
    const char *mac = json_string_value(json_object_get(o, "mac"));
    int rc = -1;
    if (json_is_integer(seq) && json_is_integer(at) && hash && strlen(hash) == 64 && mac) {
        a->seq = json_integer_value(seq);
        a->at = json_integer_value(at);
        snprintf(a->hash, sizeof a->hash, "%s", hash);
        char want[65];
        anchor_mac(k, a, want);
        if (a->seq >= 0 && strlen(mac) == 64 && sodium_memcmp(want, mac, 64) == 0) rc = 0;
    }
    json_decref(o);
    return rc;
}

int ow_audit_anchor_last(const char *path, const ow_crypto_keys *keys, ow_audit_anchor *out,
                         bool *found, ow_err *e) {
    memset(out, 0, sizeof *out);
    *found = false;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT) return OW_OK;
        return ow_err_set(e, OW_EIO, "audit_anchor", "无法读取锚点文件 %s：%s", path,
                          strerror(errno));
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = OW_OK;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        size_t len = (size_t)n;
        if (line[len - 1] != '\n') { /* a torn last line */
            rc = ow_err_set(e, OW_EINVAL, "audit_anchor",
                            "锚点文件 %s 第 %ld 行不完整（被截断或改动）", path, lineno);
            break;
        }
        if (len == 1) continue;
        ow_audit_anchor a;
        if (parse_line(line, len - 1, keys, &a)) {
            rc = ow_err_set(e, OW_EINVAL, "audit_anchor",
                            "锚点文件 %s 第 %ld 行不是有效的锚点或校验码不符（被改动）", path,
                            lineno);
            break;
        }
        if (!*found || a.seq > out->seq) *out = a;
        *found = true;
    }
    if (!rc && ferror(f)) rc = ow_err_set(e, OW_EIO, "audit_anchor", "读取锚点文件 %s 失败", path);
    free(line);
    fclose(f);
    if (rc) *found = false;
    return rc;
}

int ow_audit_anchor_write(ow_db *db, const ow_crypto_keys *keys, const char *path, int64_t now_ms,
                          ow_audit_anchor *out, bool *written, ow_err *e) {
    *written = false;
    ow_audit_anchor last;
    bool found;
    int rc = ow_audit_anchor_last(path, keys, &last, &found, e);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    rc = ow_audit_store_head(db, &out->seq, out->hash, e);
    if (rc) return rc;
    if (!out->seq) snprintf(out->hash, sizeof out->hash, "%064d", 0);
    out->at = now_ms;
    if (found && last.seq == out->seq && !strcmp(last.hash, out->hash)) {
        *out = last;
        return OW_OK;
    }
    char mac[65], line[300];
    anchor_mac(keys, out, mac);
    int n = snprintf(line, sizeof line,
                     "{\"seq\":%" PRId64 ",\"hash\":\"%s\",\"at\":%" PRId64 ",\"mac\":\"%s\"}\n",
                     out->seq, out->hash, out->at, mac);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return ow_err_set(e, OW_EIO, "audit_anchor", "无法打开锚点文件 %s：%s", path,
                          strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size > ANCHOR_FILE_MAX_BYTES) {
        close(fd);
        return ow_err_set(e, OW_EIO, "audit_anchor", "锚点文件 %s 超过 64 MB，请归档后另起", path);
    }
    ssize_t w = write(fd, line, (size_t)n);
    int err = errno;
    if (w == n && fsync(fd) != 0) {
        err = errno;
        w = -1;
    }
    close(fd);
    if (w != n)
        return ow_err_set(e, OW_EIO, "audit_anchor", "写入锚点文件 %s 失败：%s", path,
                          strerror(err));
    *written = true;
    return OW_OK;
}

/* The chain walk with the anchored row's hash checked on the way (audit_int.h). */
int ow_audit_verify_anchored(ow_db *db, const ow_crypto_keys *keys, const char *anchor_path,
                             ow_audit_report *out, ow_err *e) {
    ow_audit_anchor a = {0};
    bool found = false;
    if (anchor_path) {
        int rc = ow_audit_anchor_last(anchor_path, keys, &a, &found, e);
        if (rc) return rc;
    }
    int rc = ow_audit_verify_until(db, keys, found ? a.seq : 0, found ? a.hash : NULL, out, e);
    if (rc || !found) return rc;
    out->anchor_seq = a.seq;
    out->anchor_at = a.at;
    if (out->bad_seq) return OW_OK; /* broken before the anchor: that row is named already */
    if (out->head_seq < a.seq) {
        out->missing_from = out->head_seq + 1;
        out->missing_to = a.seq;
        out->bad_seq = out->missing_from;
        if (out->missing_from == out->missing_to)
            snprintf(out->why, sizeof out->why,
                     "第 %" PRId64 " 条已从末尾删除（锚点记录的链头为第 %" PRId64 " 条）",
                     out->missing_from, a.seq);
        else
            snprintf(out->why, sizeof out->why,
                     "第 %" PRId64 "–%" PRId64 " 条已从末尾删除（锚点记录的链头为第 %" PRId64
                     " 条）",
                     out->missing_from, out->missing_to, a.seq);
    }
    return OW_OK;
}

/* ---- the server's anchor thread ---- */

struct ow_audit_anchorer {
    ow_app *app;
    int interval_s;
    char path[700];
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
};

static void anchor_now(ow_audit_anchorer *t) {
    ow_err e = {0};
    ow_db *db;
    if (ow_db_open(t->app->db_path, OW_DB_READ, &db, &e)) {
        ow_log_error("audit anchor: cannot open the database", "\"message\":\"%s\"", e.message);
        return;
    }
    ow_audit_anchor a;
    bool written;
    if (ow_audit_anchor_write(db, &t->app->keys, t->path, ow_clock_now_ms(&t->app->clock), &a,
                              &written, &e))
        ow_log_error("audit anchor not written", "\"field\":\"%s\",\"message\":\"%s\"", e.field,
                     e.message);
    else if (written)
        ow_log_info("audit anchored", "\"seq\":%" PRId64 ",\"hash\":\"%s\"", a.seq, a.hash);
    ow_db_close(db);
}

static void *anchorer_main(void *arg) {
    ow_audit_anchorer *t = arg;
    anchor_now(t);
    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += t->interval_s;
        while (!t->stop && pthread_cond_timedwait(&t->cv, &t->mu, &until) == 0) {
        }
        pthread_mutex_unlock(&t->mu);
        anchor_now(t); /* also once more when stopping: the head at shutdown */
        pthread_mutex_lock(&t->mu);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

int ow_audit_anchorer_start(ow_app *app, int interval_s, ow_audit_anchorer **out, ow_err *e) {
    ow_audit_anchorer *t = calloc(1, sizeof *t);
    if (!t) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    t->app = app;
    t->interval_s = interval_s;
    snprintf(t->path, sizeof t->path, "%s/%s", app->cfg.data_dir, OW_AUDIT_ANCHOR_FILE);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    if (pthread_create(&t->th, NULL, anchorer_main, t)) {
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->cv);
        free(t);
        return ow_err_set(e, OW_EINTERNAL, "", "无法启动审计锚点线程");
    }
    *out = t;
    return OW_OK;
}

void ow_audit_anchorer_stop(ow_audit_anchorer *t) {
    if (!t) return;
    pthread_mutex_lock(&t->mu);
    t->stop = true;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->th, NULL);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    free(t);
}
