/* static.c — the web UI's files, sent with sendfile via MHD_create_response_from_fd,
 * the precompressed .br or .gz the web build writes when Accept-Encoding takes it.
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
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
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

/* Does Accept-Encoding take the content coding name ("br", "gzip")?  The header is a
 * list of codings, each with an optional ;q=; a coding listed with q=0 (or 0.0, 0.000)
 * is refused; "*" takes any coding not listed. */
static bool accepts(const char *ae, const char *name) {
    if (!ae) return false;
    size_t nl = strlen(name);
    bool star = false;
    for (const char *p = ae; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        size_t tl = (size_t)(p - tok);
        bool zero = false;
        while (*p && *p != ',') {
            if (*p == ';') {
                p++;
                while (*p == ' ')
                    p++;
                if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
                    const char *v = p + 2;
                    zero = strtod(v, NULL) == 0.0;
                }
                continue;
            }
            p++;
        }
        if (tl == nl && !strncasecmp(tok, name, nl)) return !zero;
        if (tl == 1 && *tok == '*') star = !zero;
    }
    return star;
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
    /* a precompressed variant the client accepts (web build: .br and .gz), else the file */
    static const struct { const char *coding, *ext; } variants[] = {{"br", ".br"}, {"gzip", ".gz"}};
    char vpath[1100];
    const char *coding = NULL;
    int fd = -1;
    struct stat st;
    bool compressible = mi >= 0 && mimes[mi].compressible;
    if (compressible) {
        const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
        for (size_t v = 0; v < sizeof variants / sizeof variants[0] && fd < 0; v++) {
            if (!accepts(ae, variants[v].coding)) continue;
            snprintf(vpath, sizeof vpath, "%s%s", file, variants[v].ext);
            fd = open(vpath, O_RDONLY | O_CLOEXEC);
            if (fd >= 0) coding = variants[v].coding;
        }
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
             (unsigned long)st.st_mtim.tv_nsec,
             !coding            ? ""
             : coding[0] == 'b' ? "-br"
                                : "-gz");
    char modified[64];
    struct tm tm;
    gmtime_r(&st.st_mtim.tv_sec, &tm);
    strftime(modified, sizeof modified, "%a, %d %b %Y %H:%M:%S GMT", &tm);
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
        if (coding) MHD_add_response_header(r, "Content-Encoding", coding);
        *status = MHD_HTTP_OK;
        *bytes = (uint64_t)st.st_size;
    }
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Last-Modified", modified);
    MHD_add_response_header(r, "Cache-Control", cache);
    if (compressible) MHD_add_response_header(r, "Vary", "Accept-Encoding");
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
