/* disclosure_api.c — HTTP handlers for information requests, publications and the
 * annual report (docs/api.md, "政府信息公开").  Parse, call the domain, render. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/buf.h"
#include "core/json.h"
#include "disclosure/disclosure.h"
#include "disclosure/disclosure_api.h"
#include "docs/docs.h"
#include "docs/docs_api.h"
#include "files/files.h"
#include "files/files_api.h"

static ow_ctx *CX(ow_req *rq) {
    return ow_req_ctx(rq);
}

static int bad_id(ow_req *rq) {
    return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "政府信息公开申请不存在");
}

/* An arena-built body (HTML, Atom) handed to the server, which frees what it is given. */
static int reply_copy(ow_req *rq, const char *ctype, const char *data, size_t len) {
    char *copy = malloc(len + 1);
    if (!copy) return ow_err_set(&CX(rq)->err, OW_ENOMEM, "", "内存不足");
    memcpy(copy, data, len + 1);
    return ow_reply_body(rq, 200, ctype, copy, len);
}

/* ---------------- information requests ---------------- */

static int reply_request(ow_req *rq, int status, int64_t id) {
    json_t *o;
    int rc = ow_dis_request_get_json(CX(rq), id, &o);
    if (rc) return rc;
    return ow_reply_json(rq, status, o);
}

static int api_request_file(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    ow_dis_request_in in = {0};
    bool ordinary = false;
    if (ow_json_int(b, "org_id", true, 1, INT64_MAX, &in.org_id, &cx->err) ||
        ow_json_str(b, "channel", false, 20, &in.channel, &cx->err) ||
        ow_json_str(b, "applicant_type", true, 20, &in.applicant_type, &cx->err) ||
        ow_json_str(b, "name", false, 100, &in.name, &cx->err) ||
        ow_json_str(b, "id_number", false, 32, &in.id_number, &cx->err) ||
        ow_json_str(b, "uscc", false, 32, &in.uscc, &cx->err) ||
        ow_json_str(b, "contact_name", false, 30, &in.contact_name, &cx->err) ||
        ow_json_str(b, "mobile", true, 20, &in.mobile, &cx->err) ||
        ow_json_str(b, "address", false, 200, &in.address, &cx->err) ||
        ow_json_str(b, "email", false, 100, &in.email, &cx->err) ||
        ow_json_str(b, "content", true, 2000, &in.content, &cx->err) ||
        ow_json_str(b, "purpose", false, 500, &in.purpose, &cx->err) ||
        ow_json_str(b, "delivery", true, 20, &in.delivery, &cx->err) ||
        ow_json_str(b, "received_date", false, 10, &in.received_date, &cx->err) ||
        ow_json_bool(b, "ordinary_letter", false, &ordinary, &cx->err))
        return OW_EINVAL;
    if (!in.channel) in.channel = "online";
    in.ordinary_letter = ordinary;
    int64_t id;
    int rc = ow_dis_request_file(cx, &in, &id);
    if (rc) return rc;
    return reply_request(rq, 201, id);
}

static int api_request_list(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int page, per_page;
    ow_dis_request_filter f = {.state = ow_req_query(rq, "state"),
                               .light = ow_req_query(rq, "light"),
                               .q = ow_req_query(rq, "q")};
    const char *mine = ow_req_query(rq, "mine");
    f.mine = mine && !strcmp(mine, "true");
    if (ow_req_paging(rq, &page, &per_page) || ow_req_query_id(rq, "org_id", &f.org_id))
        return OW_EINVAL;
    json_t *items;
    int64_t total;
    int rc = ow_dis_request_list(cx, &f, page, per_page, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, page, per_page);
}

static int api_request_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq);
    return reply_request(rq, 200, id);
}

static int api_request_transition(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq);
    const char *action;
    json_t *b = ow_req_json(rq);
    if (ow_json_str(b, "action", true, 40, &action, &cx->err)) return OW_EINVAL;
    int rc = ow_dis_request_transition(cx, id, action, b);
    if (rc) return rc;
    return reply_request(rq, 200, id);
}

static int api_request_pii(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return bad_id(rq);
    json_t *o;
    int rc = ow_dis_request_pii(CX(rq), id, &o);
    if (rc) return rc;
    return ow_reply_json(rq, 200, o);
}

/* A notice as PDF: its frozen bytes, or — the first time — rendered here on the pool,
 * kept in the store, and frozen on the writer (docs.h "frozen documents"). */
typedef struct notice_pdf {
    int64_t request_id;
    char code[OW_DOCS_CODE_CHARS + 1], sha[65], name[64];
    unsigned char *pdf;
    size_t len;
} notice_pdf;

static int notice_pdf_freeze(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    notice_pdf *np = ow_req_data(rq);
    char frozen[65];
    bool won;
    int rc = ow_docs_freeze(cx, np->code, np->sha, (int64_t)np->len, frozen, &won);
    if (!rc && won)
        rc = ow_dis_notice_issued(cx, np->request_id, np->code, np->sha, (int64_t)np->len);
    if (rc || !won) {
        free(np->pdf);
        np->pdf = NULL;
        return rc ? rc : ow_docs_reply_frozen(rq, frozen, np->name);
    }
    ow_reply_body(rq, 200, "application/pdf", (char *)np->pdf, np->len);
    np->pdf = NULL;
    ow_reply_disposition(rq, ow_req_query(rq, "download") ? "attachment" : "inline", np->name);
    char etag[70];
    snprintf(etag, sizeof etag, "\"%s\"", np->sha);
    ow_reply_header(rq, "ETag", etag);
    ow_reply_header(rq, "Cache-Control", "private, no-cache");
    return OW_OK;
}

static int api_notice_pdf(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id"), nid = ow_req_param_id(rq, "nid");
    if (id < 0) return bad_id(rq);
    if (nid < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "notice_id", "告知书不存在");
    notice_pdf *np = ow_alloc(cx->arena, sizeof *np);
    np->request_id = id;
    int rc = ow_dis_notice_pdf(cx, id, nid, ow_docs_public_base(rq), &np->pdf, &np->len, np->name,
                               sizeof np->name, np->code, np->sha);
    if (rc) return rc;
    if (!np->pdf) return ow_docs_reply_frozen(rq, np->sha, np->name);
    if ((rc = ow_docs_keep_pdf(cx, np->pdf, np->len, np->sha))) {
        free(np->pdf);
        return rc;
    }
    ow_req_set_data(rq, np);
    ow_req_then(rq, notice_pdf_freeze, OW_ON_WRITER);
    return OW_OK;
}

/* Papers of a request received on paper: POST …/files?filename=…&label=… with the
 * scan as the body (PDF, JPEG, PNG, OFD — what a scanner produces). */
typedef struct paper_upload {
    int64_t request_id;
    const char *label;
} paper_upload;

static int paper_row(ow_req *rq, const ow_files_upload *up) {
    const paper_upload *p = up->data;
    int64_t fid;
    int rc = ow_dis_request_papers_add(CX(rq), p->request_id, p->label, up->sha256, up->filename,
                                       up->content_type, up->size, &fid);
    if (rc) return rc;
    return reply_request(rq, 201, p->request_id);
}

static int api_paper_upload(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    paper_upload *p = ow_alloc(cx->arena, sizeof *p);
    if ((p->request_id = ow_req_param_id(rq, "id")) < 0) return bad_id(rq);
    const char *filename, *label = ow_req_query(rq, "label");
    if (!label || !*label) label = "申请书";
    if (!ow_utf8_valid_text(label) || ow_utf8_len(label) > 30)
        return ow_err_set(&cx->err, OW_EINVAL, "label", "材料名称最多 30 个字");
    p->label = ow_strdup(cx->arena, label);
    int rc = ow_files_query_filename(rq, &filename);
    if (rc || (rc = ow_dis_request_papers_check(cx, p->request_id))) return rc;
    ow_files_receive_in in = {.filename = filename,
                              .limit = cx->app->cfg.upload_max_bytes,
                              .limit_what = "单个文件大小限制",
                              .accept = OW_FILES_ACCEPT_SCANS,
                              .row = paper_row,
                              .data = p};
    return ow_files_receive(rq, &in);
}

static int api_paper_download(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id"), fid = ow_req_param_id(rq, "fid");
    if (id < 0) return bad_id(rq);
    if (fid < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "file_id", "申请材料不存在");
    ow_dis_attachment a;
    int rc = ow_dis_request_papers_get(CX(rq), id, fid, &a);
    if (rc) return rc;
    return ow_files_send_blob(rq, a.sha256, a.content_type, a.filename);
}

static int api_review_add(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id"), rid;
    if (id < 0) return bad_id(rq);
    int rc = ow_dis_review_add(CX(rq), id, ow_req_json(rq), &rid);
    if (rc) return rc;
    return reply_request(rq, 201, id);
}

static int api_review_update(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id"), rid = ow_req_param_id(rq, "rid");
    if (id < 0) return bad_id(rq);
    if (rid < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "review_id", "复议或诉讼记录不存在");
    int rc = ow_dis_review_update(CX(rq), id, rid, ow_req_json(rq));
    if (rc) return rc;
    return reply_request(rq, 200, id);
}

static int api_outcomes(ow_req *rq) {
    size_t n;
    const ow_dis_outcome *o = ow_dis_outcomes(&n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            a, json_pack("{s:s,s:s,s:i,s:i,s:s,s:s,s:b,s:b}", "key", o[i].key, "name", o[i].name,
                         "group", o[i].group, "sub", o[i].sub, "notice_title", o[i].title, "basis",
                         o[i].basis, "needs_reason", o[i].needs_reason, "reply",
                         o[i].group != 6 || !strcmp(o[i].key, "other_special_law")));
    return ow_reply_json(rq, 200, json_pack("{s:o}", "items", a));
}

/* ---------------- publications ---------------- */

static int pub_in(ow_req *rq, ow_dis_pub_in *in, bool create) {
    ow_ctx *cx = CX(rq);
    json_t *b = ow_req_json(rq);
    if (ow_json_int(b, "org_id", false, 1, INT64_MAX, &in->org_id, &cx->err) ||
        ow_json_str(b, "column", create, 40, &in->column, &cx->err) ||
        ow_json_str(b, "title", create, 200, &in->title, &cx->err) ||
        ow_json_str(b, "doc_number", false, 60, &in->doc_number, &cx->err) ||
        ow_json_str(b, "issued_date", create, 10, &in->issued_date, &cx->err) ||
        ow_json_str(b, "validity", false, 10, &in->validity, &cx->err) ||
        ow_json_str(b, "repealed_date", false, 10, &in->repealed_date, &cx->err) ||
        ow_json_str(b, "body", create, 100000, &in->body, &cx->err))
        return OW_EINVAL;
    return OW_OK;
}

static int reply_pub(ow_req *rq, int status, int64_t id) {
    json_t *o;
    int rc = ow_dis_pub_get_json(CX(rq), id, &o);
    if (rc) return rc;
    return ow_reply_json(rq, status, o);
}

static int api_pub_create(ow_req *rq) {
    ow_dis_pub_in in = {0};
    if (pub_in(rq, &in, true)) return OW_EINVAL;
    int64_t id;
    int rc = ow_dis_pub_create(CX(rq), &in, &id);
    if (rc) return rc;
    return reply_pub(rq, 201, id);
}

static int api_pub_update(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "公开信息不存在");
    ow_dis_pub_in in = {0};
    if (pub_in(rq, &in, false)) return OW_EINVAL;
    int rc = ow_dis_pub_update(CX(rq), id, &in);
    if (rc) return rc;
    return reply_pub(rq, 200, id);
}

static int api_pub_transition(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&cx->err, OW_ENOTFOUND, "id", "公开信息不存在");
    const char *action;
    json_t *b = ow_req_json(rq);
    if (ow_json_str(b, "action", true, 20, &action, &cx->err)) return OW_EINVAL;
    int rc = ow_dis_pub_transition(cx, id, action, b);
    if (rc) return rc;
    return reply_pub(rq, 200, id);
}

static int api_pub_get(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "公开信息不存在");
    return reply_pub(rq, 200, id);
}

static int api_pub_list(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int page, per_page;
    ow_dis_pub_filter f = {.column = ow_req_query(rq, "column"),
                           .q = ow_req_query(rq, "q"),
                           .state = ow_req_query(rq, "state"),
                           .from = ow_req_query(rq, "from"),
                           .to = ow_req_query(rq, "to")};
    const char *m = ow_req_query(rq, "manage");
    f.manage = m && !strcmp(m, "true");
    if (ow_req_paging(rq, &page, &per_page) || ow_req_query_id(rq, "org_id", &f.org_id))
        return OW_EINVAL;
    json_t *items;
    int64_t total;
    int rc = ow_dis_pub_list(cx, &f, page, per_page, &items, &total);
    if (rc) return rc;
    return ow_reply_list(rq, items, total, page, per_page);
}

/* ---------------- publication attachments ---------------- */

static int no_pub(ow_req *rq) {
    return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "公开信息不存在");
}

/* Writer, once the file is durable: record it (access and state checked again, now
 * serialised with transitions) and answer with the publication. */
static int attach_row(ow_req *rq, const ow_files_upload *up) {
    int64_t pub_id = *(const int64_t *)up->data, aid;
    int rc = ow_dis_pub_attach_add(CX(rq), pub_id, up->sha256, up->filename, up->content_type,
                                   up->size, &aid);
    if (rc) return rc;
    return reply_pub(rq, 201, pub_id);
}

/* POST /api/v1/publications/{id}/attachments?filename=… with the file as the body. */
static int api_attach_upload(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t *pub_id = ow_alloc(cx->arena, sizeof *pub_id);
    if ((*pub_id = ow_req_param_id(rq, "id")) < 0) return no_pub(rq);
    const char *filename;
    int rc = ow_files_query_filename(rq, &filename);
    if (rc || (rc = ow_dis_pub_attach_check(cx, *pub_id))) return rc;
    ow_files_receive_in in = {.filename = filename,
                              .limit = cx->app->cfg.upload_max_bytes,
                              .limit_what = "单个附件大小限制",
                              .accept = OW_FILES_ACCEPT_DOCUMENTS,
                              .row = attach_row,
                              .data = pub_id};
    return ow_files_receive(rq, &in);
}

static int api_attach_remove(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id"), aid = ow_req_param_id(rq, "aid");
    if (id < 0) return no_pub(rq);
    if (aid < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "attachment_id", "附件不存在");
    int rc = ow_dis_pub_attach_remove(CX(rq), id, aid);
    if (rc) return rc;
    return reply_pub(rq, 200, id);
}

static int api_attach_download(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id"), aid = ow_req_param_id(rq, "aid");
    if (id < 0) return no_pub(rq);
    if (aid < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "attachment_id", "附件不存在");
    ow_dis_attachment a;
    int rc = ow_dis_pub_attach_get(CX(rq), id, aid, &a);
    if (rc) return rc;
    return ow_files_send_blob(rq, a.sha256, a.content_type, a.filename);
}

static int api_columns(ow_req *rq) {
    size_t n;
    const ow_dis_column *c = ow_dis_columns(&n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            a,
            json_pack("{s:s,s:s,s:b,s:s}", "code", c[i].code, "name", c[i].name, "key_area",
                      c[i].key_area, "feed",
                      ow_sprintf(CX(rq)->arena, "/api/v1/publication-columns/%s/feed", c[i].code)));
    return ow_reply_json(rq, 200, json_pack("{s:o}", "items", a));
}

static int api_feed(ow_req *rq) {
    char *xml;
    size_t len;
    int rc = ow_dis_pub_feed(CX(rq), ow_req_param(rq, "code"), ow_docs_public_base(rq), &xml, &len);
    if (rc) return rc;
    return reply_copy(rq, "application/atom+xml; charset=utf-8", xml, len);
}

/* ---------------- annual report ---------------- */

static int report_args(ow_req *rq, int64_t *org, int *year) {
    ow_ctx *cx = CX(rq);
    const char *y = ow_req_param(rq, "year");
    char *end;
    long v = y ? strtol(y, &end, 10) : 0;
    if (!y || *end || v < 2008 || v > 2999)
        return ow_err_set(&cx->err, OW_EINVAL, "year", "年度应为 2008 年以后的四位年份");
    *year = (int)v;
    return ow_req_query_id(rq, "org_id", org);
}

static int api_report_json(ow_req *rq) {
    int64_t org;
    int year = 0;
    if (report_args(rq, &org, &year)) return OW_EINVAL;
    json_t *o;
    int rc = ow_dis_report_json(CX(rq), org, year, &o);
    if (rc) return rc;
    return ow_reply_json(rq, 200, o);
}

static int api_report_html(ow_req *rq) {
    int64_t org;
    int year = 0;
    if (report_args(rq, &org, &year)) return OW_EINVAL;
    char *html;
    size_t len;
    int rc = ow_dis_report_html(CX(rq), org, year, &html, &len);
    if (rc) return rc;
    return reply_copy(rq, "text/html; charset=utf-8", html, len);
}

static int api_report_pdf(ow_req *rq) {
    int64_t org;
    int year = 0;
    if (report_args(rq, &org, &year)) return OW_EINVAL;
    unsigned char *pdf;
    size_t len;
    int rc = ow_dis_report_pdf(CX(rq), org, year, &pdf, &len);
    if (rc) return rc;
    char disp[96];
    snprintf(disp, sizeof disp, "inline; filename=\"disclosure-report-%d.pdf\"", year);
    ow_reply_header(rq, "Content-Disposition", disp);
    return ow_reply_body(rq, 200, "application/pdf", (char *)pdf, len);
}

static int api_report_xlsx(ow_req *rq) {
    ow_ctx *cx = CX(rq);
    int64_t org;
    int year = 0;
    if (report_args(rq, &org, &year)) return OW_EINVAL;
    char *data;
    size_t len;
    int rc = ow_dis_report_xlsx(cx, org, year, cx->app->cfg.data_dir, &data, &len);
    if (rc) return rc;
    char name[96];
    if (org)
        snprintf(name, sizeof name, "disclosure-report-%d-org%lld.xlsx", year, (long long)org);
    else
        snprintf(name, sizeof name, "disclosure-report-%d.xlsx", year);
    return ow_reply_bytes(rq, 200,
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name,
                          data, len);
}

static int api_report_save(ow_req *rq) {
    int64_t org;
    int year = 0;
    if (report_args(rq, &org, &year)) return OW_EINVAL;
    int rc = ow_dis_report_save(CX(rq), org, year, ow_req_json(rq));
    if (rc) return rc;
    json_t *o;
    if ((rc = ow_dis_report_json(CX(rq), org, year, &o))) return rc;
    return ow_reply_json(rq, 200, o);
}

/* ---------------- unit statistics and inspection ---------------- */

static int period_args(ow_req *rq, int *year, int *quarter) {
    int64_t y, q;
    if (ow_req_query_id(rq, "year", &y) || ow_req_query_id(rq, "quarter", &q)) return OW_EINVAL;
    if (!y) return ow_err_setk(&CX(rq)->err, OW_EINVAL, "missing_field", "year", "请选择年度");
    *year = (int)y;
    *quarter = (int)q;
    return OW_OK;
}

static int api_unit_stats(ow_req *rq) {
    int year = 0, quarter = 0;
    if (period_args(rq, &year, &quarter)) return OW_EINVAL;
    json_t *o;
    int rc = ow_dis_unit_stats(CX(rq), year, quarter, &o);
    if (rc) return rc;
    return ow_reply_json(rq, 200, o);
}

static int api_inspections(ow_req *rq) {
    int year = 0, quarter = 0;
    if (period_args(rq, &year, &quarter)) return OW_EINVAL;
    int64_t org;
    if (ow_req_query_id(rq, "org_id", &org)) return OW_EINVAL;
    const char *kind = ow_req_query(rq, "kind");
    json_t *items;
    int rc = ow_dis_inspection_list_kind(CX(rq), year, quarter, kind && *kind ? kind : NULL, org,
                                         &items);
    if (rc) return rc;
    size_t n = json_array_size(items);
    return ow_reply_json(rq, 200,
                         json_pack("{s:o,s:I,s:i,s:i,s:b}", "items", items, "total", (json_int_t)n,
                                   "page", 1, "per_page", (int)(n ? n : 1), "may_inspect",
                                   ow_dis_may_inspect(CX(rq))));
}

static int api_inspection_save(ow_req *rq) {
    int64_t id;
    int rc = ow_dis_inspection_save(CX(rq), ow_req_json(rq), &id);
    if (rc) return rc;
    return ow_reply_json(rq, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int api_inspection_rectify(ow_req *rq) {
    int64_t id = ow_req_param_id(rq, "id");
    if (id < 0) return ow_err_set(&CX(rq)->err, OW_ENOTFOUND, "id", "督查记录不存在");
    int rc = ow_dis_inspection_rectify(CX(rq), id, ow_req_json(rq));
    if (rc) return rc;
    return ow_reply_empty(rq, 204);
}

static int api_bulletin_pdf(ow_req *rq) {
    int year = 0, quarter = 0;
    if (period_args(rq, &year, &quarter)) return OW_EINVAL;
    unsigned char *pdf;
    size_t len;
    int rc = ow_dis_bulletin_pdf(CX(rq), year, quarter, &pdf, &len);
    if (rc) return rc;
    char disp[96];
    snprintf(disp, sizeof disp, "inline; filename=\"inspection-bulletin-%d-q%d.pdf\"", year,
             quarter);
    ow_reply_header(rq, "Content-Disposition", disp);
    return ow_reply_body(rq, 200, "application/pdf", (char *)pdf, len);
}

const ow_route ow_disclosure_routes[] = {
    {"POST", "/api/v1/info-requests", api_request_file, OW_ON_WRITER, 0},
    {"GET", "/api/v1/info-requests", api_request_list, OW_INLINE, 0},
    {"GET", "/api/v1/info-requests/{id}", api_request_get, OW_INLINE, 0},
    {"POST", "/api/v1/info-requests/{id}/transitions", api_request_transition, OW_ON_WRITER, 0},
    {"GET", "/api/v1/info-requests/{id}/pii", api_request_pii, OW_ON_WRITER, 0},
    {"GET", "/api/v1/info-requests/{id}/notices/{nid}/pdf", api_notice_pdf, OW_ON_POOL, 0},
    {"POST", "/api/v1/info-requests/{id}/files", api_paper_upload, OW_INLINE,
     OW_R_STREAM | OW_R_NO_BODY},
    {"GET", "/api/v1/info-requests/{id}/files/{fid}", api_paper_download, OW_INLINE, 0},
    {"POST", "/api/v1/info-requests/{id}/reviews", api_review_add, OW_ON_WRITER, 0},
    {"PUT", "/api/v1/info-requests/{id}/reviews/{rid}", api_review_update, OW_ON_WRITER, 0},
    {"GET", "/api/v1/info-request-outcomes", api_outcomes, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/publications", api_pub_list, OW_INLINE, OW_R_PUBLIC},
    {"POST", "/api/v1/publications", api_pub_create, OW_ON_WRITER, 0},
    {"GET", "/api/v1/publications/{id}", api_pub_get, OW_INLINE, OW_R_PUBLIC},
    {"PUT", "/api/v1/publications/{id}", api_pub_update, OW_ON_WRITER, 0},
    {"POST", "/api/v1/publications/{id}/transitions", api_pub_transition, OW_ON_WRITER, 0},
    {"POST", "/api/v1/publications/{id}/attachments", api_attach_upload, OW_INLINE,
     OW_R_STREAM | OW_R_NO_BODY},
    {"DELETE", "/api/v1/publications/{id}/attachments/{aid}", api_attach_remove, OW_ON_WRITER, 0},
    {"GET", "/api/v1/publications/{id}/attachments/{aid}", api_attach_download, OW_INLINE,
     OW_R_PUBLIC},
    {"GET", "/api/v1/publication-columns", api_columns, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/publication-columns/{code}/feed", api_feed, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/disclosure-reports/{year}", api_report_json, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/disclosure-reports/{year}/html", api_report_html, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/disclosure-reports/{year}/pdf", api_report_pdf, OW_ON_POOL, OW_R_PUBLIC},
    {"GET", "/api/v1/disclosure-reports/{year}/xlsx", api_report_xlsx, OW_ON_POOL, OW_R_PUBLIC},
    {"PUT", "/api/v1/disclosure-reports/{year}", api_report_save, OW_ON_WRITER, 0},
    {"GET", "/api/v1/disclosure-stats/units", api_unit_stats, OW_INLINE, 0},
    {"GET", "/api/v1/disclosure-inspections", api_inspections, OW_INLINE, 0},
    {"POST", "/api/v1/disclosure-inspections", api_inspection_save, OW_ON_WRITER, 0},
    {"PUT", "/api/v1/disclosure-inspections/{id}", api_inspection_rectify, OW_ON_WRITER, 0},
    {"GET", "/api/v1/disclosure-inspections/bulletin", api_bulletin_pdf, OW_ON_POOL, 0},
};
const size_t ow_disclosure_routes_n = sizeof ow_disclosure_routes / sizeof ow_disclosure_routes[0];
