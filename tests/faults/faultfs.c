/* faultfs.c — an LD_PRELOAD shim that makes writes or fsyncs fail with ENOSPC or EIO, for
 * the disk-fault tests (tests/crash/disk-faults.mjs).
 *
 * OW_FAULT_CTL names a control file.  While it exists and holds one line
 *     OP ERRNO N PATH
 * (OP write or fsync; ERRNO ENOSPC or EIO; N ≥ 1; PATH a substring of the file's path),
 * the N-th call of OP on a file whose path contains PATH, counted from when the line was
 * read, and every such call after it, fail with ERRNO: a disk that filled up or broke at
 * that moment.  Removing the file (or writing "off") clears the fault, as freeing space
 * would.  The file is looked at again at most every 20 ms.
 *
 * Why a preload and not a SQLite VFS shim: the same faults must reach the upload store
 * (plain write and fsync in src/files), and SQLite's unix VFS calls the same functions. */

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum { OP_NONE, OP_WRITE, OP_FSYNC };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int armed_op = OP_NONE, armed_errno;
static long armed_n, seen;
static char armed_path[256];
static struct timespec ctl_mtime;
static off_t ctl_size = -1;
static long long last_check_ms;

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Re-read the control file when it changed; caller holds mu. */
static void reload(void) {
    const char *ctl = getenv("OW_FAULT_CTL");
    if (!ctl) return;
    long long t = now_ms();
    if (t - last_check_ms < 20) return;
    last_check_ms = t;
    struct stat st;
    if (stat(ctl, &st) != 0) {
        armed_op = OP_NONE;
        ctl_size = -1;
        return;
    }
    if (st.st_size == ctl_size && st.st_mtim.tv_sec == ctl_mtime.tv_sec &&
        st.st_mtim.tv_nsec == ctl_mtime.tv_nsec)
        return;
    ctl_size = st.st_size;
    ctl_mtime = st.st_mtim;
    armed_op = OP_NONE;
    FILE *f = fopen(ctl, "re");
    if (!f) return;
    char op[16], er[16];
    long n;
    char path[256];
    if (fscanf(f, "%15s %15s %ld %255s", op, er, &n, path) == 4 && n >= 1) {
        armed_op = !strcmp(op, "write") ? OP_WRITE : !strcmp(op, "fsync") ? OP_FSYNC : OP_NONE;
        armed_errno = !strcmp(er, "EIO") ? EIO : ENOSPC;
        armed_n = n;
        seen = 0;
        snprintf(armed_path, sizeof armed_path, "%s", path);
    }
    fclose(f);
}

/* Whether this call of op on fd is to fail (and errno is set). */
static int fail(int op, int fd) {
    if (!getenv("OW_FAULT_CTL") || fd <= 2) return 0;
    pthread_mutex_lock(&mu);
    reload();
    int hit = 0;
    if (armed_op == op) {
        char link[64], path[512];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, path, sizeof path - 1);
        if (n > 0) {
            path[n] = '\0';
            if (strstr(path, armed_path) && ++seen >= armed_n) hit = 1;
        }
    }
    int e = armed_errno;
    pthread_mutex_unlock(&mu);
    if (hit) errno = e;
    return hit;
}

#define REAL(ret, name, ...)                                                                       \
    static ret (*real_##name)(__VA_ARGS__);                                                        \
    if (!real_##name) *(void **)&real_##name = dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t n) {
    REAL(ssize_t, write, int, const void *, size_t);
    if (fail(OP_WRITE, fd)) return -1;
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    REAL(ssize_t, pwrite, int, const void *, size_t, off_t);
    if (fail(OP_WRITE, fd)) return -1;
    return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off) {
    REAL(ssize_t, pwrite64, int, const void *, size_t, off_t);
    if (fail(OP_WRITE, fd)) return -1;
    return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt) {
    REAL(ssize_t, writev, int, const struct iovec *, int);
    if (fail(OP_WRITE, fd)) return -1;
    return real_writev(fd, iov, cnt);
}

int fsync(int fd) {
    REAL(int, fsync, int);
    if (fail(OP_FSYNC, fd)) return -1;
    return real_fsync(fd);
}

int fdatasync(int fd) {
    REAL(int, fdatasync, int);
    if (fail(OP_FSYNC, fd)) return -1;
    return real_fdatasync(fd);
}
