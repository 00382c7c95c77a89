/* static.c — the web UI's files, sent with sendfile via MHD_create_response_from_fd.
 *
 * ETags are strong and derived from inode, size and mtime (nanoseconds): the
 * build writes new files, so any change of content changes the tag without
 * hashing files on every request.  Vite puts a content hash in every name
 * under assets/, so those are cacheable for a year; index.html must be
 * revalidated each time so a new deployment is seen at once. */
#include "http/static.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *ext, *type;
    bool compressible;
} mimes[] = {
    {".html", "text/html; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".mjs", "text/javascript; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".json", "application/json; charset=utf-8", true},
    {".map", "application/json; charset=utf-8", true},
    {".svg", "image/svg+xml", true},
    {".txt", "text/plain; charset=utf-8", true},
    {".xml", "application/xml", true},
    {".png", "image/png", false},
    {".jpg", "image/jpeg", false},
    {".jpeg", "image/jpeg", false},
    {".gif", "image/gif", false},
    {".webp", "image/webp", false},
    {".ico", "image/x-icon", false},
    {".woff", "font/woff", false},
    {".woff2", "font/woff2", false},
    {".ttf", "font/ttf", false},
    {".pdf", "application/pdf", false},
    {".wasm", "application/wasm", false},
    {".webmanifest", "application/manifest+json", true},
};

static int mime_index(const char *path) {
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash)) return -1;
    for (size_t i = 0; i < sizeof mimes / sizeof mimes[0]; i++)
        if (!strcasecmp(dot, mimes[i].ext)) return (int)i;
    return -1;
}

const char *ow_static_mime(const char *path) {
    int i = mime_index(path);
    return i < 0 ? "application/octet-stream" : mimes[i].type;
}

/* A path is safe when every segment is non-empty-or-last, not "." or "..",
 * and free of backslashes and NULs (MHD has already percent-decoded it). */
static bool safe_path(const char *p) {
    if (p[0] != '/') return false;
    if (strlen(p) > 400) return false;
    for (const char *s = p; *s; s++)
        if (*s == '\\') return false;
    const char *seg = p + 1;
    while (*seg) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return false;
        if (len > 0 && seg[0] == '.') return false; /* no dotfiles */
        if (!end) break;
        seg = end + 1;
    }
    return true;
}

static bool accepts_gzip(struct MHD_Connection *conn) {
    const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
    if (!ae) return false;
    const char *g = strstr(ae, "gzip");
    if (!g) return false;
    /* "gzip;q=0" refuses it */
    const char *q = g + 4;
    while (*q == ' ')
        q++;
    if (*q == ';') {
        q++;
        while (*q == ' ')
            q++;
        if (!strncmp(q, "q=0", 3) &&
            (q[3] == '\0' || q[3] == ',' ||
             (q[3] == '.' && strspn(q + 4, "0") > 0 &&
              (q[4 + strspn(q + 4, "0")] == '\0' || q[4 + strspn(q + 4, "0")] == ','))))
            return false;
    }
    return true;
}

/* Every HTML answer (the SPA's index.html, the disclosure report, anything a browser
 * renders) carries these; server.c adds them to any text/html reply.  The built Vue
 * app has no inline script (Vite emits module files), but Element Plus sets inline
 * styles, hence style-src 'unsafe-inline'; images may be data: or blob: (scanned
 * materials, QR codes). */
void ow_html_security_headers(struct MHD_Response *r) {
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data: blob:; "
                            "style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
                            "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
                            "form-action 'self'");
}

static bool etag_matches(const char *inm, const char *etag) {
    if (!inm) return false;
    if (!strcmp(inm, "*")) return true;
    size_t n = strlen(etag);
    for (const char *p = inm; (p = strstr(p, etag)); p += n) {
        char after = p[n];
        if (after == '\0' || after == ',' || after == ' ') return true;
    }
    return false;
}

static enum MHD_Result send_file(struct MHD_Connection *conn, const char *file, int mi,
                                 bool is_asset, bool is_html, const char *rid, int *status,
                                 uint64_t *bytes) {
    char gzpath[1100];
    bool gz = false;
    int fd = -1;
    struct stat st;
    if (mi >= 0 && mimes[mi].compressible && accepts_gzip(conn)) {
        snprintf(gzpath, sizeof gzpath, "%s.gz", file);
        fd = open(gzpath, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) gz = true;
    }
    if (fd < 0) fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) close(fd);
        *status = 0;
        return MHD_YES;
    }
    char etag[96];
    snprintf(etag, sizeof etag, "\"%lx-%llx-%lx%lx%s\"", (unsigned long)st.st_ino,
             (unsigned long long)st.st_size, (unsigned long)st.st_mtim.tv_sec,
             (unsigned long)st.st_mtim.tv_nsec, gz ? "-gz" : "");
    const char *cache = is_asset ? "public, max-age=31536000, immutable" : "no-cache";
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    struct MHD_Response *r;
    if (etag_matches(inm, etag)) {
        close(fd);
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        *status = MHD_HTTP_NOT_MODIFIED;
        *bytes = 0;
    } else {
        r = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
        if (!r) {
            close(fd);
            return MHD_NO;
        }
        MHD_add_response_header(r, "Content-Type",
                                mi >= 0 ? mimes[mi].type : "application/octet-stream");
        if (gz) MHD_add_response_header(r, "Content-Encoding", "gzip");
        *status = MHD_HTTP_OK;
        *bytes = (uint64_t)st.st_size;
    }
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Cache-Control", cache);
    if (mi >= 0 && mimes[mi].compressible) MHD_add_response_header(r, "Vary", "Accept-Encoding");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Request-Id", rid);
    if (is_html) ow_html_security_headers(r);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)*status, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result ow_static_serve(struct MHD_Connection *conn, const char *root, const char *path,
                                const char *rid, int *status, uint64_t *bytes) {
    *status = 0;
    *bytes = 0;
    if (!safe_path(path)) return MHD_YES;
    char file[1024];
    const char *rel = path;
    if (!strcmp(path, "/")) rel = "/index.html";
    snprintf(file, sizeof file, "%s%s", root, rel);
    int mi = mime_index(rel);
    bool is_asset = !strncmp(rel, "/assets/", 8);
    struct stat st;
    if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
        return send_file(conn, file, mi, is_asset, mi == 0, rid, status, bytes);
    /* SPA fallback: a client-side route has no extension in its last segment */
    const char *last = strrchr(path, '/');
    if (last && strchr(last, '.')) return MHD_YES;
    snprintf(file, sizeof file, "%s/index.html", root);
    return send_file(conn, file, 0, false, true, rid, status, bytes);
}
