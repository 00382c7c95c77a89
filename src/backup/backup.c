/* backup.c — see backup.h.
 *
 * Paths are bounded at PATH_MAX; file copies are read/write loops with an fsync of the
 * file and of its directory, so a backup that said "done" survives a power cut. */
#include "backup/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/clock.h"
#include "files/files.h"
#include "store/db.h"
#include "store/files_store.h"

extern char **environ;

#define MANIFEST "manifest.json"
#define FORMAT "onewindow-backup 1"

/* ---- files ---- */

static void now_iso(char out[32]) {
    ow_time_format_iso(ow_clock_now_ms(NULL), out);
}

static int fsync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static void parent_of(const char *path, char *out, size_t n) {
    snprintf(out, n, "%s", path);
    char *slash = strrchr(out, '/');
    if (!slash)
        snprintf(out, n, ".");
    else if (slash == out)
        out[1] = '\0';
    else
        *slash = '\0';
}

static int mkdirs(const char *dir, mode_t mode, ow_err *e) {
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
        return ow_err_set(e, OW_EINVAL, "backup", "路径过长：%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, mode) && errno != EEXIST)
            return ow_err_set(e, OW_EIO, "backup", "无法创建目录 %s：%s", tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, mode) && errno != EEXIST)
        return ow_err_set(e, OW_EIO, "backup", "无法创建目录 %s：%s", tmp, strerror(errno));
    return OW_OK;
}

/* True when dir does not exist or holds nothing. */
static bool dir_empty(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return errno == ENOENT;
    struct dirent *de;
    bool empty = true;
    while (empty && (de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) empty = false;
    closedir(d);
    return empty;
}

/* Copy from to a new file to (mode, never replacing one), fsync it and its directory;
 * sha_hex (may be NULL) gets the SHA-256 of what was copied, *bytes its size. */
static int copy_file(const char *from, const char *to, mode_t mode, char sha_hex[65],
                     int64_t *bytes, ow_err *e) {
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) return ow_err_set(e, OW_EIO, "backup", "无法读取 %s：%s", from, strerror(errno));
    char dir[PATH_MAX];
    parent_of(to, dir, sizeof dir);
    int rc = mkdirs(dir, 0700, e);
    int out = rc ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (!rc && out < 0)
        rc = ow_err_set(e, OW_EIO, "backup", "无法创建 %s：%s", to, strerror(errno));
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    int64_t n = 0;
    static unsigned char buf[1 << 16]; /* the CLI is one thread */
    while (!rc) {
        ssize_t got = read(in, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            rc = ow_err_set(e, OW_EIO, "backup", "读取 %s 失败：%s", from, strerror(errno));
            break;
        }
        if (got == 0) break;
        crypto_hash_sha256_update(&h, buf, (size_t)got);
        n += got;
        for (ssize_t off = 0; off < got && !rc;) {
            ssize_t w = write(out, buf + off, (size_t)(got - off));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0)
                rc = ow_err_set(e, OW_EIO, "backup", "写入 %s 失败：%s", to, strerror(errno));
            else
                off += w;
        }
    }
    if (!rc && fsync(out))
        rc = ow_err_set(e, OW_EIO, "backup", "写入 %s 失败：%s", to, strerror(errno));
    if (out >= 0) close(out);
    close(in);
    if (!rc && fsync_dir(dir))
        rc = ow_err_set(e, OW_EIO, "backup", "无法同步目录 %s：%s", dir, strerror(errno));
    if (rc) return rc;
    unsigned char sum[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, sum);
    if (sha_hex) sodium_bin2hex(sha_hex, 65, sum, sizeof sum);
    if (bytes) *bytes = n;
    return OW_OK;
}

static int sha256_file(const char *path, char sha_hex[65], int64_t *bytes, ow_err *e) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ow_err_set(e, OW_EIO, "backup", "无法读取 %s：%s", path, strerror(errno));
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    static unsigned char buf[1 << 16];
    int64_t n = 0;
    for (;;) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            close(fd);
            return ow_err_set(e, OW_EIO, "backup", "读取 %s 失败：%s", path, strerror(errno));
        }
        if (got == 0) break;
        crypto_hash_sha256_update(&h, buf, (size_t)got);
        n += got;
    }
    close(fd);
    unsigned char sum[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, sum);
    sodium_bin2hex(sha_hex, 65, sum, sizeof sum);
    if (bytes) *bytes = n;
    return OW_OK;
}

/* ---- walking a tree (nftw has no user argument: the CLI is one thread) ---- */

typedef int (*tree_fn)(void *arg, const char *path, const char *rel, bool is_dir);
static struct {
    tree_fn fn;
    void *arg;
    size_t root_len;
    const char *skip; /* a top-level name left out ("tmp" of the file store) */
    int rc;
} walk;

static int walk_one(const char *path, const struct stat *sb, int type, struct FTW *f) {
    (void)sb;
    if (f->level == 0) return 0;
    const char *rel = path + walk.root_len + 1;
    if (walk.skip && f->level == 1 && !strcmp(rel, walk.skip))
        return type == FTW_D ? FTW_SKIP_SUBTREE : 0;
    if (type != FTW_F && type != FTW_D) return 0;
    walk.rc = walk.fn(walk.arg, path, rel, type == FTW_D);
    return walk.rc ? FTW_STOP : FTW_CONTINUE;
}

static int walk_tree(const char *root, const char *skip, tree_fn fn, void *arg, ow_err *e) {
    walk.fn = fn;
    walk.arg = arg;
    walk.root_len = strlen(root);
    walk.skip = skip;
    walk.rc = OW_OK;
    struct stat st;
    if (stat(root, &st) && errno == ENOENT) return OW_OK;
    int r = nftw(root, walk_one, 32, FTW_PHYS | FTW_ACTIONRETVAL);
    if (walk.rc) return walk.rc;
    if (r) return ow_err_set(e, OW_EIO, "backup", "无法遍历 %s：%s", root, strerror(errno));
    return OW_OK;
}

typedef struct copy_arg {
    const char *to;
    mode_t dir_mode, file_mode;
    int64_t files;
    ow_err *e;
} copy_arg;

static int copy_one(void *arg, const char *path, const char *rel, bool is_dir) {
    copy_arg *c = arg;
    char to[PATH_MAX];
    if (snprintf(to, sizeof to, "%s/%s", c->to, rel) >= (int)sizeof to)
        return ow_err_set(c->e, OW_EINVAL, "backup", "路径过长：%s", rel);
    if (is_dir) return mkdirs(to, c->dir_mode, c->e);
    c->files++;
    return copy_file(path, to, c->file_mode, NULL, NULL, c->e);
}

static int copy_tree(const char *from, const char *to, const char *skip, mode_t dir_mode,
                     mode_t file_mode, int64_t *files, ow_err *e) {
    copy_arg c = {to, dir_mode, file_mode, 0, e};
    int rc = mkdirs(to, dir_mode, e);
    if (!rc) rc = walk_tree(from, skip, copy_one, &c, e);
    if (files) *files = c.files;
    return rc;
}

/* ---- the manifest ---- */

typedef struct list_arg {
    json_t *files;
    int64_t bytes;
    ow_err *e;
} list_arg;

static int list_one(void *arg, const char *path, const char *rel, bool is_dir) {
    list_arg *l = arg;
    if (is_dir || !strcmp(rel, MANIFEST)) return OW_OK;
    char sha[65];
    int64_t n;
    int rc = sha256_file(path, sha, &n, l->e);
    if (rc) return rc;
    l->bytes += n;
    json_array_append_new(
        l->files, json_pack("{s:s,s:I,s:s}", "path", rel, "bytes", (json_int_t)n, "sha256", sha));
    return OW_OK;
}

static int write_manifest(const char *dir, json_t *m, ow_err *e) {
    char tmp[PATH_MAX], path[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/%s.tmp", dir, MANIFEST);
    snprintf(path, sizeof path, "%s/%s", dir, MANIFEST);
    char *text = json_dumps(m, JSON_INDENT(1) | JSON_SORT_KEYS);
    if (!text) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    size_t len = strlen(text);
    bool ok =
        fd >= 0 && write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && !fsync(fd);
    if (fd >= 0) close(fd);
    free(text);
    if (!ok || rename(tmp, path) || fsync_dir(dir))
        return ow_err_set(e, OW_EIO, "backup", "无法写入 %s：%s", path, strerror(errno));
    return OW_OK;
}

/* ---- backup ---- */

typedef struct blob_arg {
    const char *data_dir, *to;
    int64_t files;
    ow_err *e;
} blob_arg;

/* One file the backup's own database names: copied, and checked against its name (the
 * store is content-addressed) so a damaged file is found now rather than at a restore. */
static int blob_one(void *arg, const char *sha, int64_t size) {
    blob_arg *b = arg;
    char from[PATH_MAX], to[PATH_MAX], got[65];
    ow_files_blob_path(b->data_dir, sha, from, sizeof from);
    ow_files_blob_path(b->to, sha, to, sizeof to);
    int64_t n;
    int rc = copy_file(from, to, 0600, got, &n, b->e);
    if (rc) return rc;
    if (strcmp(got, sha) || n != size)
        return ow_err_set(b->e, OW_EIO, "files", "文件库中的 %s 已损坏（内容与其散列不符）", from);
    b->files++;
    return OW_OK;
}

/* pg_basebackup into dir: plain format, the WAL of the backup's span streamed into it, a
 * fast checkpoint so the backup starts at once.  The documented way for PostgreSQL
 * (https://www.postgresql.org/docs/15/app-pgbasebackup.html); continuous archiving for
 * a point in time is the cluster's setting (docs/operations.md). */
static int run_basebackup(const char *conninfo, const char *dir, ow_err *e) {
    char *argv[] = {"pg_basebackup",       "--pgdata",
                    (char *)dir,           "--dbname",
                    (char *)conninfo,      "--format=plain",
                    "--wal-method=stream", "--checkpoint=fast",
                    "--no-password",       NULL};
    pid_t pid;
    int err = posix_spawnp(&pid, "pg_basebackup", NULL, NULL, argv, environ);
    if (err)
        return ow_err_set(e, OW_EIO, "backup",
                          "无法运行 pg_basebackup：%s（需安装 postgresql-client-15）",
                          strerror(err));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return ow_err_set(e, OW_EIO, "backup", "pg_basebackup：%s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status))
        return ow_err_set(e, OW_EIO, "backup", "pg_basebackup 失败（退出码 %d）",
                          WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return OW_OK;
}

static int key_fingerprint(const char *path, char sha[65], ow_err *e) {
    int64_t n;
    int rc = sha256_file(path, sha, &n, e);
    if (rc) return ow_err_set(e, OW_ENOTFOUND, "secret_key", "无法读取密钥文件 %s", path);
    return OW_OK;
}

/* True when path lies inside dir (both resolved). */
static bool inside(const char *path, const char *dir) {
    char parent[PATH_MAX], rp[PATH_MAX], rd[PATH_MAX];
    parent_of(path, parent, sizeof parent);
    if (!realpath(parent, rp) || !realpath(dir, rd)) return false;
    size_t n = strlen(rd);
    return !strncmp(rp, rd, n) && (rp[n] == '\0' || rp[n] == '/');
}

int ow_backup_create(ow_app *app, const char *dir, const char *key_out, ow_backup_report *r,
                     ow_err *e) {
    memset(r, 0, sizeof *r);
    const char *data_dir = app->cfg.data_dir;
    bool pg = ow_db_target_is_postgres(app->db_path);
    snprintf(r->backend, sizeof r->backend, "%s", pg ? "postgres" : "sqlite");
    if (!dir_empty(dir))
        return ow_err_set(e, OW_ECONFLICT, "backup", "备份目录 %s 已存在且不为空", dir);
    char key_path[PATH_MAX], key_sha[65];
    snprintf(key_path, sizeof key_path, "%s/secret.key", data_dir);
    int rc = key_fingerprint(key_path, key_sha, e);
    if (!rc) rc = mkdirs(dir, 0700, e);
    if (rc) return rc;
    if (key_out && inside(key_out, dir)) {
        rmdir(dir); /* made empty just above */
        return ow_err_set(e, OW_EINVAL, "key_out", "密钥须与备份分开保存：%s 在备份目录之内",
                          key_out);
    }
    now_iso(r->started);

    ow_db *db;
    if ((rc = ow_db_open(app->db_path, OW_DB_READ, &db, e))) return rc;
    rc = ow_db_schema_version(db, &r->schema_version, e);
    char db_entry[32];
    char path[PATH_MAX], files_to[PATH_MAX], files_from[PATH_MAX];
    snprintf(files_to, sizeof files_to, "%s/files", dir);
    snprintf(files_from, sizeof files_from, "%s/files", data_dir);
    if (!pg) {
        snprintf(db_entry, sizeof db_entry, "onewindow.db");
        snprintf(path, sizeof path, "%s/onewindow.db", dir);
        if (!rc) rc = ow_db_snapshot_to(db, path, e);
        ow_db_close(db);
        if (!rc) chmod(path, 0600); /* personal data: as private as the data directory */
        /* the files the copy names, read from the copy itself */
        ow_db *copy = NULL;
        if (!rc) rc = ow_db_open(path, OW_DB_READ, &copy, e);
        blob_arg b = {data_dir, dir, 0, e};
        if (!rc) rc = ow_files_store_each_blob(copy, blob_one, &b, e);
        ow_db_close(copy);
        r->files = b.files;
    } else {
        ow_db_close(db);
        snprintf(db_entry, sizeof db_entry, "pgdata");
        snprintf(path, sizeof path, "%s/pgdata", dir);
        if (!rc) rc = run_basebackup(app->db_path, path, e);
        if (!rc) rc = copy_tree(files_from, files_to, "tmp", 0700, 0600, &r->files, e);
    }
    if (rc) return rc;
    if (key_out) {
        char got[65];
        if ((rc = copy_file(key_path, key_out, 0600, got, NULL, e))) return rc;
    }
    now_iso(r->finished);

    list_arg l = {json_array(), 0, e};
    if ((rc = walk_tree(dir, NULL, list_one, &l, e))) {
        json_decref(l.files);
        return rc;
    }
    r->entries = (int64_t)json_array_size(l.files);
    r->bytes = l.bytes;
    json_t *m = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:{s:s,s:s,s:b},s:o}", "format", FORMAT,
                          "onewindow_version", OW_VERSION, "backend", r->backend, "schema_version",
                          r->schema_version, "database", db_entry, "started_at", r->started,
                          "finished_at", r->finished, "key", "name", "secret.key", "sha256",
                          key_sha, "in_backup", 0, "files", l.files);
    rc = write_manifest(dir, m, e);
    json_decref(m);
    return rc;
}

/* ---- restore ---- */

/* Every file the manifest lists has its size and SHA-256 (nothing is written before). */
static int verify_manifest(const char *dir, json_t *m, ow_backup_report *r, ow_err *e) {
    json_t *files = json_object_get(m, "files");
    if (!json_is_array(files))
        return ow_err_set(e, OW_EINVAL, "backup", "备份清单 %s/%s 无效", dir, MANIFEST);
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) {
        const char *rel = json_string_value(json_object_get(f, "path"));
        const char *want = json_string_value(json_object_get(f, "sha256"));
        json_int_t size = json_integer_value(json_object_get(f, "bytes"));
        if (!rel || !want || strstr(rel, "..") || rel[0] == '/')
            return ow_err_set(e, OW_EINVAL, "backup", "备份清单第 %zu 项无效", i + 1);
        char path[PATH_MAX], got[65];
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        int64_t n;
        if (sha256_file(path, got, &n, e))
            return ow_err_set(e, OW_EIO, "backup", "备份缺少文件 %s", rel);
        if (n != size || strcmp(got, want))
            return ow_err_set(e, OW_EIO, "backup", "备份文件 %s 已损坏（校验和不符）", rel);
        r->entries++;
        r->bytes += n;
    }
    return OW_OK;
}

static int restore_tx_check(ow_app *app, ow_backup_report *r, ow_err *e) {
    ow_db *db;
    int rc = ow_db_open(app->db_path, OW_DB_WRITE, &db, e);
    if (rc) return rc;
    int64_t problems = 0;
    char first[256];
    rc = ow_db_check(db, &problems, first, sizeof first, e);
    if (!rc && problems)
        rc = ow_err_set(e, OW_EDB, "backup", "恢复的数据库未通过完整性检查：%s", first);
    if (!rc) {
        /* the copy's files are those its rows name: nothing should be left over, and a
         * row without its file would mean the backup was not whole */
        ow_arena *a = ow_arena_new(1024);
        ow_ctx cx;
        ow_ctx_init_system(&cx, app, db, a);
        ow_files_report fr;
        rc = ow_files_check(&cx, true, 0, &fr);
        if (rc) *e = cx.err;
        if (!rc && fr.missing)
            rc = ow_err_set(e, OW_EIO, "files", "恢复后有 %lld 条记录缺少其文件",
                            (long long)fr.missing);
        r->orphans_removed = fr.removed;
        ow_arena_free(a);
    }
    ow_db_close(db);
    return rc;
}

int ow_backup_restore(ow_app *app, const char *dir, const char *key_file, const char *pgdata,
                      ow_backup_report *r, ow_err *e) {
    memset(r, 0, sizeof *r);
    const char *data_dir = app->cfg.data_dir;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, MANIFEST);
    json_error_t je;
    json_t *m = json_load_file(path, 0, &je);
    if (!m) return ow_err_set(e, OW_ENOTFOUND, "backup", "无法读取备份清单 %s：%s", path, je.text);
    int rc = OW_OK;
    const char *format = json_string_value(json_object_get(m, "format"));
    const char *backend = json_string_value(json_object_get(m, "backend"));
    const char *key_sha = json_string_value(json_object_get(json_object_get(m, "key"), "sha256"));
    r->schema_version = (int)json_integer_value(json_object_get(m, "schema_version"));
    snprintf(r->started, sizeof r->started, "%s",
             json_string_value(json_object_get(m, "started_at")) ?: "");
    snprintf(r->finished, sizeof r->finished, "%s",
             json_string_value(json_object_get(m, "finished_at")) ?: "");
    if (!format || strcmp(format, FORMAT) || !backend || !key_sha ||
        (strcmp(backend, "sqlite") && strcmp(backend, "postgres")))
        rc = ow_err_set(e, OW_EINVAL, "backup", "%s 不是 onewindow 的备份清单", path);
    bool pg = backend && !strcmp(backend, "postgres");
    if (!rc) snprintf(r->backend, sizeof r->backend, "%s", backend);
    if (!rc && r->schema_version > ow_db_latest_migration())
        rc = ow_err_set(e, OW_ECONFLICT, "backup", "备份的数据库结构版本 %d 比本程序的 %d 新",
                        r->schema_version, ow_db_latest_migration());
    if (!rc && pg && !pgdata)
        rc = ow_err_set(e, OW_EINVAL, "pgdata",
                        "PostgreSQL 的备份须用 --pgdata 指定新的数据库集群目录");
    if (!rc && !pg && pgdata)
        rc = ow_err_set(e, OW_EINVAL, "pgdata", "SQLite 的备份不需要 --pgdata");
    if (!rc && !pg && ow_db_target_is_postgres(app->db_path))
        rc = ow_err_set(e, OW_EINVAL, "database",
                        "SQLite 的备份恢复到 SQLite 数据目录；之后可用 db copy-to 迁入 PostgreSQL");
    if (!rc && pg && !dir_empty(pgdata))
        rc = ow_err_set(e, OW_ECONFLICT, "pgdata", "数据库集群目录 %s 已存在且不为空", pgdata);
    char key_got[65];
    if (!rc) rc = key_fingerprint(key_file, key_got, e);
    if (!rc && strcmp(key_got, key_sha))
        rc = ow_err_set(e, OW_EINVAL, "key", "密钥 %s 不是这份备份的密钥（指纹不符）", key_file);
    char key_to[PATH_MAX], db_to[PATH_MAX], files_to[PATH_MAX];
    snprintf(key_to, sizeof key_to, "%s/secret.key", data_dir);
    snprintf(db_to, sizeof db_to, "%s/onewindow.db", data_dir);
    snprintf(files_to, sizeof files_to, "%s/files", data_dir);
    struct stat st;
    if (!rc && (!stat(key_to, &st) || !stat(db_to, &st) || !dir_empty(files_to)))
        rc = ow_err_set(e, OW_ECONFLICT, "data_dir", "数据目录 %s 已有安装；恢复只写入新的数据目录",
                        data_dir);
    if (!rc) rc = verify_manifest(dir, m, r, e);
    json_decref(m);
    if (rc) return rc;

    if ((rc = mkdirs(data_dir, 0700, e))) return rc;
    char from[PATH_MAX];
    if (pg) {
        snprintf(from, sizeof from, "%s/pgdata", dir);
        rc = copy_tree(from, pgdata, NULL, 0700, 0600, NULL, e);
    } else {
        snprintf(from, sizeof from, "%s/onewindow.db", dir);
        rc = copy_file(from, db_to, 0600, NULL, NULL, e);
    }
    snprintf(from, sizeof from, "%s/files", dir);
    if (!rc) rc = copy_tree(from, files_to, NULL, 0700, 0600, &r->files, e);
    if (!rc) rc = copy_file(key_file, key_to, 0600, NULL, NULL, e);
    if (!rc && !pg) rc = restore_tx_check(app, r, e);
    return rc;
}
