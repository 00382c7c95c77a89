/* files_api.c — uploading, listing and downloading a case's materials.
 *
 * An upload is the raw file as the request body (what XMLHttpRequest.send(file)
 * sends, with progress events), the material and file name in the query:
 *   POST /api/v1/cases/{id}/materials/upload?material=…&filename=…
 * It is a streamed route (http.h OW_R_STREAM): begin checks access, the limits
 * (per file, per case, uploads at once) and opens a temporary file on the request
 * thread; each piece is hashed and written as it arrives; at the end the pool makes
 * the file durable under its content address and the writer commits the row.  The
 * receiving part (ow_files_receive) serves every upload route of the platform. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "cases/cases.h"
#include "catalog/catalog_cases.h"
#include "core/buf.h"
#include "files/files.h"
#include "files/files_api.h"

/* ======================= the streamed receiver =======================
 * Shared by every upload route (case materials here, publication attachments in
 * src/disclosure): the route checks access and its limits inline, then hands the
 * body to ow_files_receive; the bytes are hashed and written as they arrive, the
 * type decided from the first bytes (and, for containers, from their directory),
 * the file made durable on the pool, and the caller's row function runs on the
 * writer to record it and answer. */

struct ow_files_upload_state {
    ow_files_tmp *tmp;
    bool counted; /* holds one of the upload_concurrency slots */
    int64_t limit, got;
    const char *limit_what;
    ow_files_accept accept;
    ow_files_row_fn row;
    const char *ctype, *what;
    unsigned char head[OW_FILES_SNIFF_BYTES];
    size_t nhead;
    bool sniffed;
    ow_files_upload up;
};
typedef struct ow_files_upload_state upload;

static void up_release(ow_req *rq) {
    upload *u = ow_req_data(rq);
    if (!u) return;
    ow_files_tmp_free(u->tmp);
    u->tmp = NULL;
    if (u->counted) atomic_fetch_sub(&ow_req_ctx(rq)->app->uploads_inflight, 1);
    u->counted = false;
}

int ow_files_too_large(ow_ctx *cx, const char *what, int64_t limit) {
    ow_err_setk(&cx->err, OW_ELIMIT, "file_too_large", "file", "上传的文件超过%s（最多 %.1f MB）",
                what, (double)limit / (1024.0 * 1024.0));
    cx->err.http_status = 413;
    return OW_ELIMIT;
}

static int wrong_type(ow_ctx *cx, const upload *u) {
    ow_err_setk(&cx->err, OW_EINVAL, "unsupported_file_type", "file",
                "上传的文件“%s”实际是%s，不是%s文件，已拒绝（按文件内容判断，与文件名无关）",
                u->up.filename, u->what,
                u->accept == OW_FILES_ACCEPT_DOCUMENTS ? " PDF、OFD、Word、Excel、JPEG、PNG 或 ZIP "
                                                       : " PDF、JPEG、PNG 或 OFD ");
    cx->err.http_status = 415;
    return OW_EINVAL;
}

/* Decide the type once the first bytes are in (or the file ended shorter). */
static int sniff(ow_ctx *cx, upload *u) {
    u->sniffed = true;
    u->ctype = ow_files_sniff(u->head, u->nhead, &u->what);
    if (!u->ctype && u->accept == OW_FILES_ACCEPT_DOCUMENTS)
        u->ctype = ow_files_sniff_office(u->head, u->nhead);
    return u->ctype ? OW_OK : wrong_type(cx, u);
}

static int up_chunk(ow_req *rq, const char *data, size_t n) {
    ow_ctx *cx = ow_req_ctx(rq);
    upload *u = ow_req_data(rq);
    u->got += (int64_t)n;
    if (u->got > u->limit) return ow_files_too_large(cx, u->limit_what, u->limit);
    if (!u->sniffed) {
        size_t k = n < sizeof u->head - u->nhead ? n : sizeof u->head - u->nhead;
        memcpy(u->head + u->nhead, data, k);
        u->nhead += k;
        if (u->nhead == sizeof u->head) {
            int rc = sniff(cx, u);
            if (rc) return rc;
        }
    }
    return ow_files_tmp_write(u->tmp, data, n, &cx->err);
}

static int up_row(ow_req *rq) {
    upload *u = ow_req_data(rq);
    return u->row(rq, &u->up);
}

/* Pool: the body is complete — check what the first bytes could not tell (what a
 * ZIP or OLE2 container holds), make the file durable under its content address. */
static int up_finish_1(ow_req *rq);
static int up_finish(ow_req *rq) {
    int rc = up_finish_1(rq);
    /* a refused file goes now, before the answer, not when the connection ends */
    if (rc) up_release(rq);
    return rc;
}

static int up_finish_1(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    upload *u = ow_req_data(rq);
    if (!u->got)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "file", "上传的文件是空的");
    int rc;
    if (!u->sniffed && (rc = sniff(cx, u))) return rc;
    int fd = ow_files_tmp_fd(u->tmp);
    if (!strcmp(u->ctype, "application/zip")) {
        const char *zt = ow_files_zip_type(fd);
        if (u->accept == OW_FILES_ACCEPT_SCANS && strcmp(zt, "application/ofd")) {
            /* say what it is when it is an Office document, the usual mistake */
            if (strstr(zt, "wordprocessingml"))
                u->what = "Word 文档（DOCX）";
            else if (strstr(zt, "spreadsheetml"))
                u->what = "Excel 表格（XLSX）";
            else if (strstr(zt, "presentationml"))
                u->what = "演示文稿（PPTX）";
            return wrong_type(cx, u);
        }
        u->ctype = zt;
    } else if (!strcmp(u->ctype, OW_FILES_OLE2)) {
        u->ctype = ow_files_ole_type(fd);
        if (!u->ctype) {
            u->what = "Office 97-2003 以外的复合文档（例如安装程序）";
            return wrong_type(cx, u);
        }
    }
    if ((rc = ow_files_tmp_keep(u->tmp, u->up.sha256, &cx->err))) return rc;
    u->up.content_type = u->ctype;
    u->up.size = u->got;
    ow_req_then(rq, up_row, OW_ON_WRITER);
    return OW_OK;
}

static const ow_stream_ops UPLOAD_OPS = {
    .chunk = up_chunk, .end = up_finish, .end_where = OW_ON_POOL, .cleanup = up_release};

/* A control character (C0, DEL, C1) or a bidirectional control (LRM, RLM, ALM, the
 * embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069) at s, which is
 * valid UTF-8. */
static bool control_at(const unsigned char *s) {
    if (s[0] < 0x20 || s[0] == 0x7f) return true;
    if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) return true; /* U+0080–U+009F */
    if (s[0] == 0xd8 && s[1] == 0x9c) return true;                 /* U+061C */
    if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0x8e || s[2] == 0x8f)) return true;
    if (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) return true;
    if (s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9) return true;
    return false;
}

int ow_files_check_filename(ow_ctx *cx, const char *f) {
    if (!f || !*f)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "filename", "请提供文件名");
    if (!ow_utf8_valid_text(f) || ow_utf8_len(f) > OW_FILES_NAME_MAX_CHARS || strchr(f, '/') ||
        strchr(f, '\\') || strchr(f, '"'))
        return ow_err_set(&cx->err, OW_EINVAL, "filename",
                          "文件名过长或含有不允许的字符（最多 %d 个字，不能含 / \\ \"）",
                          OW_FILES_NAME_MAX_CHARS);
    for (const unsigned char *p = (const unsigned char *)f; *p; p++)
        if (control_at(p))
            return ow_err_set(&cx->err, OW_EINVAL, "filename",
                              "文件名不能含有换行、制表符等控制字符或文字方向控制符");
    return OW_OK;
}

int ow_files_query_filename(ow_req *rq, const char **filename) {
    ow_ctx *cx = ow_req_ctx(rq);
    *filename = ow_req_query(rq, "filename");
    if (ow_req_query_has_nul(rq, "filename"))
        return ow_err_set(&cx->err, OW_EINVAL, "filename", "文件名不能含有空字符（%%00）");
    return ow_files_check_filename(cx, *filename);
}

int ow_files_receive(ow_req *rq, const ow_files_receive_in *in) {
    ow_ctx *cx = ow_req_ctx(rq);
    const ow_config *cfg = &cx->app->cfg;
    int64_t declared = ow_req_content_length(rq);
    if (declared > in->limit) return ow_files_too_large(cx, in->limit_what, in->limit);
    if (atomic_fetch_add(&cx->app->uploads_inflight, 1) >= cfg->upload_concurrency) {
        atomic_fetch_sub(&cx->app->uploads_inflight, 1);
        ow_err_setk(&cx->err, OW_ELIMIT, "too_many_uploads", "file",
                    "正在上传的文件过多，请稍后重试");
        cx->err.http_status = 429;
        cx->err.retry_after_s = 2;
        return OW_ELIMIT;
    }
    upload *u = ow_alloc(cx->arena, sizeof *u);
    u->counted = true;
    u->limit = in->limit;
    u->limit_what = in->limit_what;
    u->accept = in->accept;
    u->row = in->row;
    u->up.filename = ow_strdup(cx->arena, in->filename);
    u->up.data = in->data;
    ow_req_set_data(rq, u);
    int rc = ow_files_tmp_open(cfg->data_dir, &u->tmp, &cx->err);
    if (rc) return rc;
    ow_req_stream(rq, &UPLOAD_OPS);
    return OW_OK;
}

/* ======================= case materials ======================= */

typedef struct case_upload {
    int64_t case_id;
    const char *material;
} case_upload;

/* Writer: the per-case limit again, now serialised with the other uploads' rows. */
static int case_row(ow_req *rq, const ow_files_upload *up) {
    ow_ctx *cx = ow_req_ctx(rq);
    const case_upload *cu = up->data;
    int64_t used;
    int rc = ow_files_case_bytes(cx, cu->case_id, &used);
    if (rc) return rc;
    if (used + up->size > cx->app->cfg.upload_case_max_bytes)
        return ow_files_too_large(cx, "本办件材料总量限制", cx->app->cfg.upload_case_max_bytes);
    ow_material_in in = {.case_id = cu->case_id,
                         .material = cu->material,
                         .source = "upload",
                         .sha256 = up->sha256,
                         .filename = up->filename,
                         .content_type = up->content_type,
                         .size = up->size};
    int64_t id;
    if ((rc = ow_files_attach(cx, &in, &id))) return rc;
    json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)id, "case_id",
                          (json_int_t)cu->case_id, "material", cu->material, "source", "upload",
                          "filename", up->filename, "content_type", up->content_type, "size",
                          (json_int_t)up->size, "sha256", up->sha256);
    return ow_reply_json(rq, 201, o);
}

/* Inline, before the body: may this actor upload this material to this case, is
 * there room, then receive the file. */
static int api_upload(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    const ow_config *cfg = &cx->app->cfg;
    int64_t case_id = ow_req_param_id(rq, "id");
    if (case_id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    case_upload *cu = ow_alloc(cx->arena, sizeof *cu);
    cu->case_id = case_id;
    cu->material = ow_req_query(rq, "material");
    const char *filename;
    if (!cu->material || !*cu->material)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "material", "请选择要上传的材料");
    int rc = ow_files_query_filename(rq, &filename);
    if (rc) return rc;
    cu->material = ow_strdup(cx->arena, cu->material);
    ow_case_attach_view b;
    if ((rc = ow_cases_attach_view(cx, case_id, &b))) return rc;
    if ((rc = ow_cases_attach_check(cx, &b))) return rc;
    ow_case_item it;
    if ((rc = ow_catalog_case_item(cx, b.item_id, b.item_version, &it))) return rc;
    if (ow_case_item_material(&it, cu->material) < 0)
        return ow_err_set(&cx->err, OW_EINVAL, "material", "材料“%s”不在该事项的办事指南中",
                          cu->material);
    int64_t used;
    if ((rc = ow_files_case_bytes(cx, case_id, &used))) return rc;
    int64_t room = cfg->upload_case_max_bytes - used;
    int64_t declared = ow_req_content_length(rq);
    if (declared > cfg->upload_max_bytes)
        return ow_files_too_large(cx, "单个文件大小限制", cfg->upload_max_bytes);
    if (declared > room || room <= 0)
        return ow_files_too_large(cx, "本办件材料总量限制", cfg->upload_case_max_bytes);
    bool file_first = cfg->upload_max_bytes < room;
    ow_files_receive_in in = {.filename = filename,
                              .limit = file_first ? cfg->upload_max_bytes : room,
                              .limit_what = "大小限制",
                              .accept = OW_FILES_ACCEPT_SCANS,
                              .row = case_row,
                              .data = cu};
    return ow_files_receive(rq, &in);
}

static int api_list(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    json_t *items;
    int rc = ow_files_case_json(cx, id, &items);
    if (rc) return rc;
    /* may_attach: whether this person may add a material now (the applicant, the filer or
     * the intake office while the case waits for intake or 补正), so a screen offers it */
    ow_case_attach_view b;
    if ((rc = ow_cases_attach_view(cx, id, &b))) {
        json_decref(items);
        return rc;
    }
    return ow_reply_json(rq, 200,
                         json_pack("{s:o,s:b}", "items", items, "may_attach", b.may_attach));
}

int ow_files_send_blob(ow_req *rq, const char *sha, const char *ctype, const char *filename) {
    ow_ctx *cx = ow_req_ctx(rq);
    /* the content's hash is its name: a strong ETag for free, and a 304 for a client that
     * has the bytes already */
    char etag[70];
    snprintf(etag, sizeof etag, "\"%s\"", sha);
    const char *inm = ow_req_header(rq, "If-None-Match");
    if (inm && (strstr(inm, etag) || !strcmp(inm, "*"))) {
        ow_reply_empty(rq, 304);
        ow_reply_header(rq, "ETag", etag);
        ow_reply_header(rq, "Cache-Control", "private, no-cache");
        return OW_OK;
    }
    char path[800];
    ow_files_blob_path(cx->app->cfg.data_dir, sha, path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        if (fd >= 0) close(fd);
        return ow_err_set(&cx->err, OW_EIO, "", "材料文件缺失：%s", sha);
    }
    ow_reply_file(rq, 200, ctype, fd, (uint64_t)st.st_size);
    ow_reply_header(rq, "ETag", etag);
    ow_reply_header(rq, "Cache-Control", "private, no-cache");
    /* images and PDFs open in the browser's viewer; OFD needs a reader: download */
    bool inline_ok = !strcmp(ctype, "application/pdf") || !strncmp(ctype, "image/", 6);
    const char *dl = ow_req_query(rq, "download");
    ow_reply_disposition(rq, inline_ok && !dl ? "inline" : "attachment", filename);
    return OW_OK;
}

static int find_material(ow_ctx *cx, int64_t case_id, int64_t mid, json_t **row) {
    json_t *items;
    int rc = ow_files_case_json(cx, case_id, &items);
    if (rc) return rc;
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e) {
        if (json_integer_value(json_object_get(e, "id")) == mid && json_object_get(e, "sha256")) {
            *row = json_incref(e);
            json_decref(items);
            return OW_OK;
        }
    }
    json_decref(items);
    return ow_err_set(&cx->err, OW_ENOTFOUND, "material_id", "材料不存在或没有上传的文件");
}

static int api_download(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id = ow_req_param_id(rq, "id"), mid = ow_req_param_id(rq, "mid");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    if (mid < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "material_id", "材料不存在");
    json_t *row;
    int rc = find_material(cx, id, mid, &row);
    if (rc) return rc;
    const char *sha = ow_strdup(cx->arena, json_string_value(json_object_get(row, "sha256")));
    const char *ct = ow_strdup(cx->arena, json_string_value(json_object_get(row, "content_type")));
    const char *fn = ow_strdup(cx->arena, json_string_value(json_object_get(row, "filename")));
    json_decref(row);
    return ow_files_send_blob(rq, sha, ct, fn);
}

int ow_files_send_reusable(ow_req *rq, int64_t id, const char *holder_idx) {
    ow_material_in m;
    int rc = ow_files_reusable_get(ow_req_ctx(rq), id, holder_idx, &m);
    if (rc) return rc;
    return ow_files_send_blob(rq, m.sha256, m.content_type, m.filename);
}

const ow_route ow_files_routes[] = {
    {"POST", "/api/v1/cases/{id}/materials/upload", api_upload, OW_INLINE,
     OW_R_STREAM | OW_R_NO_BODY},
    {"GET", "/api/v1/cases/{id}/materials", api_list, OW_INLINE, 0},
    {"GET", "/api/v1/cases/{id}/materials/{mid}/file", api_download, OW_INLINE, 0},
};
const size_t ow_files_routes_n = sizeof ow_files_routes / sizeof ow_files_routes[0];
