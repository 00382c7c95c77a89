/* files.c — the content-addressed store, content sniffing and the case_materials
 * rows (see files.h for the durability order and why it is shaped so).
 *
 * Content addressing: two uploads of the same scan are stored once; the address is
 * the SHA-256 of the bytes, computed while they stream in, so the name proves the
 * content and a rename is atomic: a reader sees the whole file or no file. */
#include "files/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "audit/audit.h"
#include "cases/cases.h"
#include "catalog/catalog_cases.h"
#include "core/json.h"
#include "core/log.h"
#include "store/files_store.h"

/* ======================= sniffing ======================= */

const char *ow_files_sniff(const unsigned char *h, size_t n, const char **what) {
    *what = "无法识别的文件";
    if (n >= 5 && !memcmp(h, "%PDF-", 5)) return "application/pdf";
    if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) return "image/jpeg";
    if (n >= 8 && !memcmp(h, "\x89PNG\r\n\x1a\n", 8)) return "image/png";
    if (n >= 4 && !memcmp(h, "PK\x03\x04", 4)) {
        *what = "普通压缩包（不是 OFD 版式文件）";
        return "application/zip";
    }
    if (n >= 4 && !memcmp(h,
                          "\x7f"
                          "ELF",
                          4))
        *what = "可执行程序（ELF）";
    else if (n >= 2 && !memcmp(h, "MZ", 2))
        *what = "可执行程序（Windows PE）";
    else if (n >= 2 && !memcmp(h, "#!", 2))
        *what = "脚本程序";
    else if (n >= 4 && (!memcmp(h, "\xfe\xed\xfa", 3) || !memcmp(h, "\xcf\xfa\xed\xfe", 4)))
        *what = "可执行程序（Mach-O）";
    return NULL;
}

/* The names in a ZIP's central directory (entries "PK\1\2", name length at +28, name
 * at +46), read from the last 64 KB of the file: an OFD or an Office document's
 * directory is far smaller.  Calls fn for each name until it returns true. */
static bool zip_names(int fd, bool (*fn)(const unsigned char *name, size_t n, void *arg),
                      void *arg) {
    struct stat st;
    if (fstat(fd, &st) || st.st_size < 22) return false;
    size_t want = st.st_size < 65536 ? (size_t)st.st_size : 65536;
    unsigned char *buf = malloc(want);
    if (!buf) return false;
    bool found = false;
    if (pread(fd, buf, want, st.st_size - (off_t)want) == (ssize_t)want) {
        for (size_t i = 0; i + 46 <= want && !found; i++) {
            if (memcmp(buf + i, "PK\x01\x02", 4)) continue;
            size_t nlen = (size_t)buf[i + 28] | (size_t)buf[i + 29] << 8;
            if (i + 46 + nlen <= want) found = fn(buf + i + 46, nlen, arg);
        }
    }
    free(buf);
    return found;
}

/* The root entries that tell what a ZIP container is: an OFD (GB/T 33190) holds
 * OFD.xml, the OOXML formats their main part. */
static const struct {
    const char *entry, *type;
} ZIP_KINDS[] = {
    {"OFD.xml", "application/ofd"},
    {"word/document.xml",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"ppt/presentation.xml",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
};

static bool zip_kind_entry(const unsigned char *name, size_t n, void *arg) {
    const char **type = arg;
    for (size_t k = 0; k < sizeof ZIP_KINDS / sizeof ZIP_KINDS[0]; k++)
        if (strlen(ZIP_KINDS[k].entry) == n && !memcmp(name, ZIP_KINDS[k].entry, n)) {
            *type = ZIP_KINDS[k].type;
            return true;
        }
    return false;
}

const char *ow_files_zip_type(int fd) {
    const char *type = "application/zip";
    zip_names(fd, zip_kind_entry, &type);
    return type;
}

bool ow_files_is_ofd(int fd) {
    return !strcmp(ow_files_zip_type(fd), "application/ofd");
}

const char *ow_files_sniff_office(const unsigned char *h, size_t n) {
    static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    return n >= 8 && !memcmp(h, ole2, 8) ? OW_FILES_OLE2 : NULL;
}

/* An OLE2 compound file (Word, Excel and PowerPoint 97–2003, but also MSI installers
 * and Outlook messages) names its streams in directory entries of 128 bytes, the name
 * in UTF-16LE at the start of the entry.  The directory sectors may sit anywhere in the
 * file, so the file is scanned for the stream names that mark the three document kinds
 * (a full compound-file parser is not in Debian as a C library; this is all we need). */
const char *ow_files_ole_type(int fd) {
    static const struct {
        const char *name, *type;
    } kinds[] = {
        {"WordDocument", "application/msword"},
        {"Workbook", "application/vnd.ms-excel"},
        {"Book", "application/vnd.ms-excel"}, /* Excel 95 */
        {"PowerPoint Document", "application/vnd.ms-powerpoint"},
    };
    enum { NK = sizeof kinds / sizeof kinds[0], CHUNK = 65536, OVERLAP = 64 };
    unsigned char pat[NK][48];
    size_t plen[NK];
    for (size_t k = 0; k < NK; k++) {
        size_t n = strlen(kinds[k].name);
        for (size_t i = 0; i < n; i++) {
            pat[k][2 * i] = (unsigned char)kinds[k].name[i];
            pat[k][2 * i + 1] = 0;
        }
        /* the entry's name is NUL-terminated: "Book" must not match "Workbook"'s tail
         * start nor any longer name */
        pat[k][2 * n] = pat[k][2 * n + 1] = 0;
        plen[k] = 2 * n + 2;
    }
    unsigned char *buf = malloc(CHUNK + OVERLAP);
    if (!buf) return NULL;
    const char *found = NULL;
    off_t off = 0;
    size_t keep = 0;
    for (;;) {
        ssize_t r = pread(fd, buf + keep, CHUNK, off);
        if (r <= 0) break;
        size_t n = keep + (size_t)r;
        /* directory entries start on 128-byte boundaries of the file */
        off_t base = off - (off_t)keep;
        for (size_t i = (size_t)((128 - base % 128) % 128); i + 2 <= n && !found; i += 128)
            for (size_t k = 0; k < NK && !found; k++)
                if (i + plen[k] <= n && !memcmp(buf + i, pat[k], plen[k])) found = kinds[k].type;
        if (found) break;
        off += r;
        keep = n < OVERLAP ? n : OVERLAP;
        memmove(buf, buf + n - keep, keep);
    }
    free(buf);
    return found;
}

/* ======================= rows ======================= */

static const char *SOURCE_NAMES[][2] = {
    {"upload", "上传"}, {"license", "电子证照"}, {"wallet", "卡包材料（免提交）"}};

static const char *source_name(const char *s) {
    for (size_t i = 0; i < sizeof SOURCE_NAMES / sizeof SOURCE_NAMES[0]; i++)
        if (!strcmp(SOURCE_NAMES[i][0], s)) return SOURCE_NAMES[i][1];
    return s;
}

int ow_files_blob_record(ow_ctx *cx, const char *sha256, int64_t size, const char *content_type) {
    return ow_files_store_blob_insert(cx->db, sha256, size, content_type,
                                      ow_clock_now_ms(cx->clock), &cx->err);
}

int ow_files_attach(ow_ctx *cx, const ow_material_in *in, int64_t *id) {
    ow_case_attach_view b;
    int rc = ow_cases_attach_view(cx, in->case_id, &b);
    if (rc) return rc;
    if ((rc = ow_cases_attach_check(cx, &b))) return rc;
    ow_case_item it;
    if ((rc = ow_catalog_case_item(cx, b.item_id, b.item_version, &it))) return rc;
    if (!in->material || ow_case_item_material(&it, in->material) < 0)
        return ow_err_set(&cx->err, OW_EINVAL, "material", "材料“%s”不在该事项的办事指南中",
                          in->material ? in->material : "");
    if (!strcmp(in->source, "upload") &&
        (rc = ow_files_blob_record(cx, in->sha256, in->size, in->content_type)))
        return rc;
    ow_material_row row = {.case_id = in->case_id,
                           .material = in->material,
                           .source = in->source,
                           .sha256 = in->sha256,
                           .filename = in->filename,
                           .content_type = in->content_type,
                           .size = in->size,
                           .license_id = in->license_id,
                           .from_material_id = in->from_material_id,
                           .holder_idx = b.applicant_idx,
                           .uploaded_by = cx->actor.user_id,
                           .created_at = ow_clock_now_ms(cx->clock)};
    if ((rc = ow_files_store_material_insert(cx->db, &row, id, &cx->err))) return rc;
    if ((rc = ow_cases_material_received(cx, in->case_id, in->material))) return rc;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)in->case_id);
    json_t *d = json_pack("{s:s,s:s,s:s,s:I,s:s*,s:I}", "case_no", b.case_no, "material",
                          in->material, "source", in->source, "material_id", (json_int_t)*id,
                          "sha256", in->sha256, "size", (json_int_t)in->size);
    if (in->license_id) json_object_set_new(d, "license_id", json_integer(in->license_id));
    rc = ow_audit_append(cx, "case.material_attach", "case", ids, d);
    json_decref(d);
    return rc;
}

typedef struct material_walk {
    ow_ctx *cx;
    int64_t case_id;
    json_t *arr;
} material_walk;

static int case_material_one(void *arg, const ow_material_row *r) {
    material_walk *w = arg;
    const char *src = r->source;
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "id", (json_int_t)r->id, "material",
                          r->material, "source", src, "source_name", source_name(src), "filename",
                          r->filename, "content_type", r->content_type, "size", (json_int_t)r->size,
                          "created_at", (json_int_t)r->created_at);
    if (strcmp(src, "license")) {
        json_object_set_new(o, "sha256", json_string(r->sha256));
        json_object_set_new(
            o, "download_url",
            json_string(ow_sprintf(w->cx->arena, "/api/v1/cases/%lld/materials/%lld/file",
                                   (long long)w->case_id, (long long)r->id)));
    }
    if (r->license_id) {
        json_object_set_new(o, "license_id", json_integer(r->license_id));
        json_object_set_new(o, "license",
                            json_pack("{s:s,s:s,s:s}", "type", r->license_type, "number",
                                      r->license_number, "issuer", r->license_issuer));
    }
    if (r->from_material_id)
        json_object_set_new(o, "from_material_id", json_integer(r->from_material_id));
    json_array_append_new(w->arr, o);
    return OW_OK;
}

int ow_files_case_json(ow_ctx *cx, int64_t case_id, json_t **out) {
    ow_case_attach_view b;
    int rc = ow_cases_attach_view(cx, case_id, &b);
    if (rc) return rc;
    material_walk w = {.cx = cx, .case_id = case_id, .arr = json_array()};
    if ((rc = ow_files_store_case_materials(cx->db, case_id, case_material_one, &w, &cx->err))) {
        json_decref(w.arr);
        return rc;
    }
    *out = w.arr;
    return OW_OK;
}

int ow_files_case_bytes(ow_ctx *cx, int64_t case_id, int64_t *bytes) {
    return ow_files_store_case_bytes(cx->db, case_id, bytes, &cx->err);
}

int ow_files_case_accepted(ow_ctx *cx, int64_t case_id) {
    return ow_files_store_case_accepted(cx->db, case_id, &cx->err);
}

static int reusable_one(void *arg, const ow_material_row *r) {
    material_walk *w = arg;
    json_array_append_new(
        w->arr,
        json_pack(
            "{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:s}", "id", (json_int_t)r->id, "material", r->material,
            "sha256", r->sha256, "filename", r->filename, "content_type", r->content_type, "size",
            (json_int_t)r->size, "accepted_at", (json_int_t)r->created_at, "download_url",
            ow_sprintf(w->cx->arena, "/api/v1/wallet/materials/%lld/file", (long long)r->id)));
    return OW_OK;
}

int ow_files_reusable_json(ow_ctx *cx, const char *holder_idx, const char *material, json_t **out) {
    material_walk w = {.cx = cx, .arr = json_array()};
    int rc = ow_files_store_reusable(cx->db, holder_idx, material, reusable_one, &w, &cx->err);
    if (rc) {
        json_decref(w.arr);
        return rc;
    }
    *out = w.arr;
    return OW_OK;
}

int ow_files_reusable_get(ow_ctx *cx, int64_t id, const char *holder_idx, ow_material_in *out) {
    ow_material_row r;
    int rc = ow_files_store_reusable_get(cx->db, id, holder_idx, cx->arena, &r, &cx->err);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    out->material = r.material;
    out->sha256 = r.sha256;
    out->filename = r.filename;
    out->content_type = r.content_type;
    out->size = r.size;
    out->from_material_id = id;
    return OW_OK;
}

/* ======================= files check ======================= */

static bool is_hex64(const char *s) {
    if (strlen(s) != 64) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

static int blob_known(ow_ctx *cx, const char *sha, bool *known) {
    return ow_files_store_blob_known(cx->db, sha, known, &cx->err);
}

typedef struct blob_walk {
    ow_ctx *cx;
    ow_files_report *r;
} blob_walk;

static int blob_one(void *arg, const char *sha256, int64_t size) {
    blob_walk *w = arg;
    w->r->blobs++;
    char p[1100];
    ow_files_blob_path(w->cx->app->cfg.data_dir, sha256, p, sizeof p);
    struct stat sb;
    if (stat(p, &sb) || sb.st_size != size) {
        w->r->missing++;
        fprintf(stderr, "missing or truncated: %s\n", p);
    }
    return OW_OK;
}

static bool old_enough(const char *path, int min_age_s) {
    /* no grace: remove now.  Not "age >= 0": a file written just after a second turned
     * can carry an mtime a second ahead of time(), which reads the coarser clock */
    if (min_age_s <= 0) return true;
    struct stat st;
    if (stat(path, &st)) return false;
    return time(NULL) - st.st_mtime >= min_age_s;
}

static bool hex2(const char *s) {
    return strlen(s) == 2 && strspn(s, "0123456789abcdef") == 2;
}

int ow_files_check(ow_ctx *cx, bool fix, int min_age_s, ow_files_report *r) {
    memset(r, 0, sizeof *r);
    char root[600];
    snprintf(root, sizeof root, "%s/files", cx->app->cfg.data_dir);
    int rc = OW_OK;
    /* 1. every stored file has a row */
    DIR *d1 = opendir(root);
    if (!d1 && errno != ENOENT)
        return ow_err_set(&cx->err, OW_EIO, "", "无法读取文件库 %s：%s", root, strerror(errno));
    struct dirent *a;
    while (d1 && !rc && (a = readdir(d1))) {
        char p1[900];
        snprintf(p1, sizeof p1, "%s/%s", root, a->d_name);
        if (!strcmp(a->d_name, "tmp")) {
            DIR *t = opendir(p1);
            struct dirent *f;
            while (t && (f = readdir(t))) {
                if (f->d_name[0] == '.') continue;
                char pf[1400];
                snprintf(pf, sizeof pf, "%s/%s", p1, f->d_name);
                r->temps++;
                if (fix && old_enough(pf, min_age_s) && !unlink(pf)) r->removed++;
            }
            if (t) closedir(t);
            continue;
        }
        if (!hex2(a->d_name)) continue;
        DIR *d2 = opendir(p1);
        struct dirent *b;
        while (d2 && !rc && (b = readdir(d2))) {
            if (!hex2(b->d_name)) continue;
            char p2[1200];
            snprintf(p2, sizeof p2, "%s/%s", p1, b->d_name);
            DIR *d3 = opendir(p2);
            struct dirent *f;
            while (d3 && !rc && (f = readdir(d3))) {
                if (f->d_name[0] == '.') continue;
                char pf[1500];
                snprintf(pf, sizeof pf, "%s/%s", p2, f->d_name);
                r->files++;
                bool known = false;
                if (is_hex64(f->d_name) && (rc = blob_known(cx, f->d_name, &known))) break;
                if (known) continue;
                r->orphans++;
                if (fix && old_enough(pf, min_age_s) && !unlink(pf)) r->removed++;
            }
            if (d3) closedir(d3);
        }
        if (d2) closedir(d2);
    }
    if (d1) closedir(d1);
    if (rc) return rc;
    /* 2. every row has its file */
    blob_walk w = {.cx = cx, .r = r};
    if ((rc = ow_files_store_each_blob(cx->db, blob_one, &w, &cx->err))) return rc;
    return OW_OK;
}
