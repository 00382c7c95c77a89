/* wallet_api.c — HTTP handlers of the wallet and the e-license library: my wallet,
 * what it offers for an item, attaching a wallet item to a case, a license, its
 * certificate as PDF (rendered on the pool), revocation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/json.h"
#include "core/log.h"
#include "store/db.h"
#include "docs/docs.h"
#include "docs/docs_api.h"
#include "files/files.h"
#include "files/files_api.h"
#include "wallet/wallet.h"
#include "wallet/wallet_api.h"

static int api_mine(ow_req *rq) {
    json_t *o;
    int rc = ow_wallet_mine_json(ow_req_ctx(rq), &o);
    return rc ? rc : ow_reply_json(rq, 200, o);
}

static int api_offers(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    const char *s = ow_req_query(rq, "item_id");
    char *end = NULL;
    long long item = s ? strtoll(s, &end, 10) : 0;
    if (!s || *end || item <= 0)
        return ow_err_setk(&cx->err, OW_EINVAL, "missing_field", "item_id",
                           "请指定事项（item_id）");
    json_t *o;
    int rc = ow_wallet_offers_json(cx, item, &o);
    return rc ? rc : ow_reply_json(rq, 200, json_pack("{s:o}", "items", o));
}

static int api_material_file(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t mid = ow_req_param_id(rq, "mid");
    if (mid < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "material_id", "卡包中没有这份材料");
    const char *idx;
    int rc = ow_wallet_holder_idx(cx, &idx);
    return rc ? rc : ow_files_send_reusable(rq, mid, idx);
}

/* POST /api/v1/cases/{id}/materials {material, license_id | wallet_material_id} */
static int api_attach(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "办件不存在");
    json_t *b = ow_req_json(rq);
    const char *material = NULL;
    int64_t lic = 0, mat = 0;
    if (ow_json_str(b, "material", true, 100, &material, &cx->err) ||
        ow_json_int(b, "license_id", false, 1, INT64_MAX, &lic, &cx->err) ||
        ow_json_int(b, "wallet_material_id", false, 1, INT64_MAX, &mat, &cx->err))
        return OW_EINVAL;
    int64_t mid;
    int rc = ow_wallet_attach(cx, id, material, lic, mat, &mid);
    if (rc) return rc;
    json_t *items;
    if ((rc = ow_files_case_json(cx, id, &items))) return rc;
    json_t *row = NULL, *e;
    size_t i;
    json_array_foreach(items, i, e) {
        if (json_integer_value(json_object_get(e, "id")) == mid) row = json_incref(e);
    }
    json_decref(items);
    return ow_reply_json(rq, 201, row ? row : json_object());
}

static int api_license(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "电子证照不存在");
    json_t *o;
    int rc = ow_wallet_license_json(cx, id, &o);
    return rc ? rc : ow_reply_json(rq, 200, o);
}

static int api_revoke(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "电子证照不存在");
    const char *reason = NULL;
    if (ow_json_str(ow_req_json(rq), "reason", false, 400, &reason, &cx->err)) return OW_EINVAL;
    int rc = ow_wallet_revoke(cx, id, reason);
    if (rc) return rc;
    json_t *o;
    if ((rc = ow_wallet_license_json(cx, id, &o))) return rc;
    return ow_reply_json(rq, 200, o);
}

/* ---- the certificate as PDF: read and check inline, render on the pool ---- */

typedef struct cert {
    ow_doc_notice n;
    const char *form[2 * 10];
    unsigned char flags[2 * 10];
    ow_doc_table table;
    ow_doc_block blocks[2];
    char filename[96];
    int64_t id;
    char code[OW_DOCS_CODE_CHARS + 1];
    /* rendered on the pool and kept in the store, frozen on the writer */
    unsigned char *pdf;
    size_t len;
    char sha[65];
} cert;

/* Writer: the certificate as first rendered becomes the issued one (docs.h "frozen
 * documents"), its hash in the license's audit row; the first freeze wins a race. */
static int cert_freeze(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    cert *c = ow_req_data(rq);
    char frozen[65];
    bool won;
    int rc = ow_docs_freeze(cx, c->code, c->sha, (int64_t)c->len, frozen, &won);
    if (!rc && won) rc = ow_wallet_certificate_issued(cx, c->id, c->code, c->sha, (int64_t)c->len);
    if (rc || !won) {
        free(c->pdf);
        c->pdf = NULL;
        return rc ? rc : ow_docs_reply_frozen(rq, frozen, c->filename);
    }
    ow_reply_body(rq, 200, "application/pdf", (char *)c->pdf, c->len);
    c->pdf = NULL;
    ow_reply_disposition(rq, ow_req_query(rq, "download") ? "attachment" : "inline", c->filename);
    char etag[70];
    snprintf(etag, sizeof etag, "\"%s\"", c->sha);
    ow_reply_header(rq, "ETag", etag);
    ow_reply_header(rq, "Cache-Control", "private, no-cache");
    return OW_OK;
}

static int cert_render(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    cert *c = ow_req_data(rq);
    int rc = ow_docs_render_notice(&c->n, &c->pdf, &c->len, &cx->err);
    if (!rc) rc = ow_docs_keep_pdf(cx, c->pdf, c->len, c->sha);
    if (rc) {
        free(c->pdf);
        c->pdf = NULL;
        return rc;
    }
    ow_req_then(rq, cert_freeze, OW_ON_WRITER);
    return OW_OK;
}

static void cert_build(ow_ctx *cx, json_t *l, const char *base, cert *c);

static const char *S(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static int api_certificate(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "电子证照不存在");
    json_t *l;
    int rc = ow_wallet_license_json(cx, id, &l);
    if (rc) return rc;
    ow_arena *a = cx->arena;
    cert *c = ow_alloc(a, sizeof *c);
    c->id = id;
    snprintf(c->code, sizeof c->code, "%s", S(l, "verify_code"));
    snprintf(c->filename, sizeof c->filename, "%s-%s.pdf", S(l, "type"), S(l, "number"));
    /* issued already: the frozen bytes (a revocation shows on /verify, not by changing
     * the certificate issued) */
    char sha[65];
    int64_t size;
    if ((rc = ow_docs_frozen(cx, c->code, sha, &size, NULL))) {
        json_decref(l);
        return rc;
    }
    if (sha[0]) {
        json_decref(l);
        return ow_docs_reply_frozen(rq, sha, c->filename);
    }
    cert_build(cx, l, ow_docs_public_base(rq), c);
    json_decref(l);
    ow_req_set_data(rq, c);
    ow_req_then(rq, cert_render, OW_ON_POOL);
    return OW_OK;
}

/* The certificate of license l (ow_wallet_license_json) as a document, base the start
 * of its verification URL. */
static void cert_build(ow_ctx *cx, json_t *l, const char *base, cert *c) {
    ow_arena *a = cx->arena;
    char issued[32], until[32];
    ow_docs_chinese_date(S(l, "issued_date"), issued, sizeof issued);
    if (*S(l, "valid_until"))
        ow_docs_chinese_date(S(l, "valid_until"), until, sizeof until);
    else
        snprintf(until, sizeof until, "长期");
    /* the certificate is a form: one row per fact, then the statement of its validity */
    json_t *data = json_object_get(l, "data");
    const char *rows[10][2];
    int n = 0;
    rows[n][0] = "持证人", rows[n++][1] = ow_strdup(a, S(l, "holder_name"));
    rows[n][0] = strcmp(S(l, "holder_kind"), "enterprise") ? "公民身份号码" : "统一社会信用代码";
    rows[n++][1] = ow_strdup(a, S(l, "holder_masked"));
    rows[n][0] = "办理事项", rows[n++][1] = ow_strdup(a, S(data, "事项"));
    if (*S(data, "申请内容"))
        rows[n][0] = "登记内容", rows[n++][1] = ow_strdup(a, S(data, "申请内容"));
    rows[n][0] = "办件编号", rows[n++][1] = ow_strdup(a, S(l, "case_no"));
    rows[n][0] = "发证日期", rows[n++][1] = ow_strdup(a, issued);
    rows[n][0] = "有效期限";
    rows[n++][1] = *S(l, "valid_until") ? ow_sprintf(a, "至%s", until) : ow_strdup(a, until);
    if (strcmp(S(l, "status"), "valid"))
        rows[n][0] = "证照状态", rows[n++][1] = ow_strdup(a, S(l, "status_name"));
    for (int i = 0; i < n; i++) {
        c->form[2 * i] = rows[i][0];
        c->form[2 * i + 1] = rows[i][1];
        c->flags[2 * i] = 0;
        c->flags[2 * i + 1] = OW_CELL_LEFT;
    }
    static const double widths[] = {1.2, 3};
    c->table = (ow_doc_table){.rows = n,
                              .cols = 2,
                              .cells = c->form,
                              .col_widths = widths,
                              .flags = c->flags,
                              .font_pt = 14,
                              .serif = true};
    c->blocks[0] = (ow_doc_block){.kind = OW_DOC_TABLE, .table = &c->table};
    c->blocks[1] = (ow_doc_block){
        .kind = OW_DOC_PARA,
        .text = ow_sprintf(a,
                           "本电子证照由%s依法核发，与纸质证照具有同等法律效力；扫描下方二维码或"
                           "登录政务服务平台输入核验码，可核验其真伪及当前状态。",
                           S(l, "issuer"))};
    char url[512];
    ow_docs_verify_url(base, S(l, "verify_code"), url, sizeof url);
    c->n = (ow_doc_notice){
        .title = ow_strdup(a, S(l, "type")),
        .issuer = ow_strdup(a, S(l, "issuer")),
        .number = ow_sprintf(a, "证照编号：%s", S(l, "number")),
        .blocks = c->blocks,
        .nblocks = 2,
        .sign_date = ow_strdup(a, issued),
        .qr_payload = ow_strdup(a, url),
        .qr_caption = ow_sprintf(a, "扫码核验真伪\n核验码 %s", S(l, "verify_code")),
    };
}

typedef struct pending_cert {
    int64_t id;
    struct pending_cert *next;
} pending_cert;

static int collect(void *arg, const char *code, const char *kind, const char *object_id) {
    (void)code;
    ow_ctx *cx = ((void **)arg)[0];
    pending_cert **tail = ((void **)arg)[1], *p;
    if (strcmp(kind, "license")) return OW_OK;
    p = ow_alloc(cx->arena, sizeof *p);
    *p = (pending_cert){atoll(object_id), NULL};
    *tail = p;
    ((void **)arg)[1] = &p->next;
    return OW_OK;
}

static int freeze_cert(ow_ctx *cx, int64_t id, const char *base) {
    json_t *l;
    int rc = ow_wallet_license_json(cx, id, &l);
    if (rc) return rc;
    cert *c = ow_alloc(cx->arena, sizeof *c);
    c->id = id;
    snprintf(c->code, sizeof c->code, "%s", S(l, "verify_code"));
    cert_build(cx, l, base, c);
    rc = ow_docs_render_notice(&c->n, &c->pdf, &c->len, &cx->err);
    json_decref(l);
    if (!rc) rc = ow_docs_keep_pdf(cx, c->pdf, c->len, c->sha);
    char frozen[65];
    bool won;
    if (!rc && !(rc = ow_db_begin(cx->db, &cx->err))) {
        rc = ow_docs_freeze(cx, c->code, c->sha, (int64_t)c->len, frozen, &won);
        if (!rc && won)
            rc = ow_wallet_certificate_issued(cx, c->id, c->code, c->sha, (int64_t)c->len);
        if (!rc) rc = ow_db_commit(cx->db, &cx->err);
        if (rc) ow_db_rollback(cx->db);
    }
    free(c->pdf);
    return rc;
}

int ow_wallet_freeze_certificates(ow_ctx *cx, const char *base, int *frozen, int *failed) {
    *frozen = *failed = 0;
    pending_cert *list = NULL;
    void *arg[2] = {cx, &list};
    int rc = ow_docs_each_unfrozen(cx, "license", collect, arg);
    if (rc) return rc;
    for (pending_cert *p = list; p; p = p->next) {
        if (freeze_cert(cx, p->id, base)) {
            ow_log_error("docs freeze failed", "\"license\":%lld,\"message\":\"%s\"",
                         (long long)p->id, cx->err.message);
            (*failed)++;
            cx->err = (ow_err){0};
        } else {
            (*frozen)++;
        }
    }
    return OW_OK;
}

const ow_route ow_wallet_routes[] = {
    {"GET", "/api/v1/wallet", api_mine, OW_INLINE, 0},
    {"GET", "/api/v1/wallet/offers", api_offers, OW_INLINE, 0},
    {"GET", "/api/v1/wallet/materials/{mid}/file", api_material_file, OW_INLINE, 0},
    {"POST", "/api/v1/cases/{id}/materials", api_attach, OW_ON_WRITER, 0},
    {"GET", "/api/v1/licenses/{id}", api_license, OW_INLINE, 0},
    {"GET", "/api/v1/licenses/{id}/certificate", api_certificate, OW_INLINE, 0},
    {"POST", "/api/v1/licenses/{id}/revoke", api_revoke, OW_ON_WRITER, 0},
};
const size_t ow_wallet_routes_n = sizeof ow_wallet_routes / sizeof ow_wallet_routes[0];
