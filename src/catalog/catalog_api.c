/* catalog_api.c — HTTP handlers of the catalog: parse, call catalog.c, render.
 *
 * Reads run inline on the request thread; every change runs on the writer
 * (its savepoint makes a failed publish or import leave nothing behind).  The
 * public routes are marked OW_R_PUBLIC; what an administrator may do beyond
 * reading is decided in catalog.c, not here.  The CSV travels inside JSON
 * ({"csv": "…"}) because request bodies are JSON objects throughout the API. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/catalog_api.h"
#include "app/app.h"
#include "core/json.h"
#include "report/report.h"

static int read_query(ow_req *rq, ow_catalog_query *qy) {
    memset(qy, 0, sizeof *qy);
    int rc = ow_req_paging(rq, &qy->page, &qy->per_page);
    if (rc) return rc;
    if ((rc = ow_req_query_id(rq, "department", &qy->dept_id))) return rc;
    qy->q = ow_req_query(rq, "q");
    qy->theme = ow_req_query(rq, "theme");
    qy->mode = ow_req_query(rq, "mode");
    qy->level = ow_req_query(rq, "level");
    qy->type = ow_req_query(rq, "type");
    qy->target = ow_req_query(rq, "target");
    qy->status = ow_req_query(rq, "status");
    return OW_OK;
}

/* GET /api/v1/items — public search; with ?status= the administrators' list of heads. */
static int api_search(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    ow_catalog_query qy;
    int rc = read_query(rq, &qy);
    if (rc) return rc;
    if (!qy.status) { /* the public search, from the in-memory index (catalog_index.c) */
        char *body;
        size_t len;
        if ((rc = ow_catalog_search_text(cx, &qy, &body, &len))) return rc;
        return ow_reply_body(rq, 200, "application/json; charset=utf-8", body, len);
    }
    json_t *items = NULL;
    int64_t total = 0;
    rc = ow_catalog_admin_list(cx, &qy, &items, &total);
    if (rc) {
        json_decref(items);
        return rc;
    }
    return ow_reply_list(rq, items, total, qy.page, qy.per_page);
}

static int item_id(ow_req *rq, int64_t *id) {
    *id = ow_req_param_id(rq, "id");
    if (*id < 0) return ow_err_set(&ow_req_ctx(rq)->err, OW_ENOTFOUND, "id", "事项不存在");
    return OW_OK;
}

static bool flag(ow_req *rq, const char *name) {
    const char *v = ow_req_query(rq, name);
    return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

/* GET /api/v1/items/{id} — the published guide; ?draft=1 the head (administrators),
 * who also get the head of an item never published. */
static int api_get(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id;
    int rc = item_id(rq, &id);
    if (rc) return rc;
    json_t *out = NULL;
    if (flag(rq, "draft"))
        rc = ow_catalog_head_json(cx, id, &out);
    else {
        char *text;
        size_t len;
        rc = ow_catalog_published_text(cx, id, &text, &len);
        if (!rc) return ow_reply_body(rq, 200, "application/json; charset=utf-8", text, len);
        if (rc == OW_ENOTFOUND && !strcmp(cx->actor.role, "admin")) {
            ow_err_clear(&cx->err);
            rc = ow_catalog_head_json(cx, id, &out);
        }
    }
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

static int reply_head(ow_req *rq, int status, int64_t id) {
    json_t *out = NULL;
    int rc = ow_catalog_head_json(ow_req_ctx(rq), id, &out);
    if (rc) return rc;
    return ow_reply_json(rq, status, out);
}

/* POST /api/v1/items — create a draft (administrators). */
static int api_create(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    ow_item it;
    int64_t id;
    int rc = ow_catalog_item_from_json(cx, ow_req_json(rq), &it);
    if (!rc) rc = ow_catalog_create(cx, &it, &id);
    if (rc) return rc;
    return reply_head(rq, 201, id);
}

/* PUT /api/v1/items/{id} — replace the head (administrators). */
static int api_update(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id;
    ow_item it;
    int rc = item_id(rq, &id);
    if (!rc) rc = ow_catalog_item_from_json(cx, ow_req_json(rq), &it);
    if (!rc) rc = ow_catalog_update(cx, id, &it);
    if (rc) return rc;
    return reply_head(rq, 200, id);
}

/* POST /api/v1/items/{id}/publish */
static int api_publish(ow_req *rq) {
    int64_t id;
    int rc = item_id(rq, &id);
    if (!rc) rc = ow_catalog_publish(ow_req_ctx(rq), id, NULL);
    if (rc) return rc;
    return reply_head(rq, 200, id);
}

/* POST /api/v1/items/{id}/suspend {"reason"} */
static int api_suspend(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int64_t id;
    const char *reason = NULL;
    int rc = item_id(rq, &id);
    if (!rc) rc = ow_json_str(ow_req_json(rq), "reason", false, 0, &reason, &cx->err);
    if (!rc) rc = ow_catalog_suspend(cx, id, reason);
    if (rc) return rc;
    return reply_head(rq, 200, id);
}

/* GET /api/v1/items/{id}/versions (administrators) */
static int api_versions(ow_req *rq) {
    int64_t id;
    json_t *v;
    int rc = item_id(rq, &id);
    if (!rc) rc = ow_catalog_versions(ow_req_ctx(rq), id, &v);
    if (rc) return rc;
    return ow_reply_list(rq, v, (int64_t)json_array_size(v), 1, (int)json_array_size(v));
}

/* GET /api/v1/items/{id}/versions/{version} — a published version as it was. */
static int api_version(ow_req *rq) {
    int64_t id;
    int rc = item_id(rq, &id);
    if (rc) return rc;
    int64_t ver = ow_req_param_id(rq, "version");
    if (ver < 1 || ver > 1000000)
        return ow_err_set(&ow_req_ctx(rq)->err, OW_ENOTFOUND, "version", "该版本不存在");
    json_t *out = NULL;
    if ((rc = ow_catalog_version_json(ow_req_ctx(rq), id, (int)ver, &out))) return rc;
    return ow_reply_json(rq, 200, out);
}

/* GET /api/v1/catalog/coverage */
static int api_coverage(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_catalog_coverage(ow_req_ctx(rq), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

/* GET /api/v1/catalog/vocabularies — what filters and forms offer. */
static int api_vocabularies(ow_req *rq) {
    json_t *out = NULL;
    int rc = ow_catalog_vocabularies(ow_req_ctx(rq), &out);
    if (rc) return rc;
    return ow_reply_json(rq, 200, out);
}

/* POST /api/v1/items/import {"csv" or "xlsx" (base64), "publish"} (administrators) */
static int api_import(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    const json_t *body = ow_req_json(rq);
    const char *csv = NULL, *xlsx = NULL;
    bool publish = false;
    int rc = ow_json_str(body, "xlsx", false, 0, &xlsx, &cx->err);
    if (!rc && !xlsx) rc = ow_json_str(body, "csv", true, 0, &csv, &cx->err);
    if (!rc) rc = ow_json_bool(body, "publish", false, &publish, &cx->err);
    if (rc) return rc;
    ow_catalog_issues is = {0};
    int created = 0, updated = 0;
    if (xlsx) { /* the workbook's bytes, base64 inside the JSON body */
        size_t cap = strlen(xlsx) / 4 * 3 + 3, len = 0;
        unsigned char *bin = ow_alloc(cx->arena, cap);
        if (sodium_base642bin(bin, cap, xlsx, strlen(xlsx), " \r\n", &len, NULL,
                              sodium_base64_VARIANT_ORIGINAL))
            return ow_err_set(&cx->err, OW_EINVAL, "xlsx", "Excel 文件内容应为 base64 编码");
        rc = ow_catalog_import_xlsx(cx, bin, len, publish, &is, &created, &updated);
    } else {
        rc = ow_catalog_import_csv(cx, csv, strlen(csv), publish, &is, &created, &updated);
    }
    if (rc == OW_EINVAL && is.n) {
        json_t *details = json_array();
        for (int i = 0; i < is.n; i++)
            json_array_append_new(details, json_pack("{s:i,s:s,s:s,s:s}", "row", is.v[i].row,
                                                     "column", is.v[i].column, "field",
                                                     is.v[i].field, "message", is.v[i].message));
        json_t *err = ow_json_error(&cx->err);
        json_t *e = json_object_get(err, "error");
        json_object_set_new(e, "details", details);
        json_object_set_new(e, "more", json_integer(is.dropped));
        ow_catalog_issues_free(&is);
        ow_reply_json(rq, 422, err);
        return OW_OK; /* nothing was written: the error is the answer */
    }
    ow_catalog_issues_free(&is);
    if (rc) return rc;
    return ow_reply_json(
        rq, 200,
        json_pack("{s:i,s:i,s:b}", "created", created, "updated", updated, "published", publish));
}

/* GET /api/v1/items/export?status= (administrators): the CSV inside JSON. */
static int api_export(ow_req *rq) {
    char *csv;
    size_t len;
    int rc = ow_catalog_export_csv(ow_req_ctx(rq), ow_req_query(rq, "status"), &csv, &len);
    if (rc) return rc;
    return ow_reply_json(rq, 200,
                         json_pack("{s:s,s:s,s:s%}", "filename", "catalog.csv", "content_type",
                                   "text/csv; charset=utf-8", "csv", csv, len));
}

/* GET /api/v1/items/export.xlsx?status= (administrators): the same rows and columns as
 * the CSV, as a workbook.  The heads are read here; libxlsxwriter runs on the pool. */
static int render_xlsx(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    char *data;
    size_t len;
    int rc = ow_sheet_xlsx(ow_req_data(rq), cx->app->cfg.data_dir, &data, &len, &cx->err);
    if (rc) return rc;
    return ow_reply_bytes(rq, 200,
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          "catalog.xlsx", data, len);
}

static int api_export_xlsx(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    ow_sheet *sheet = ow_alloc(cx->arena, sizeof *sheet);
    int rc = ow_catalog_export_sheet(cx, ow_req_query(rq, "status"), sheet);
    if (rc) return rc;
    ow_req_set_data(rq, sheet);
    ow_req_then(rq, render_xlsx, OW_ON_POOL);
    return OW_OK;
}

/* Literal segments before {id} (router.c matches in table order). */
const ow_route ow_catalog_routes[] = {
    {"GET", "/api/v1/items", api_search, OW_INLINE, OW_R_PUBLIC},
    {"POST", "/api/v1/items", api_create, OW_ON_WRITER, 0},
    {"GET", "/api/v1/items/export", api_export, OW_INLINE, 0},
    {"GET", "/api/v1/items/export.xlsx", api_export_xlsx, OW_INLINE, 0},
    {"POST", "/api/v1/items/import", api_import, OW_ON_WRITER, 0},
    {"GET", "/api/v1/items/{id}", api_get, OW_INLINE, OW_R_PUBLIC},
    {"PUT", "/api/v1/items/{id}", api_update, OW_ON_WRITER, 0},
    {"POST", "/api/v1/items/{id}/publish", api_publish, OW_ON_WRITER, OW_R_NO_BODY},
    {"POST", "/api/v1/items/{id}/suspend", api_suspend, OW_ON_WRITER, 0},
    {"GET", "/api/v1/items/{id}/versions", api_versions, OW_INLINE, 0},
    {"GET", "/api/v1/items/{id}/versions/{version}", api_version, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/catalog/coverage", api_coverage, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/catalog/vocabularies", api_vocabularies, OW_INLINE, OW_R_PUBLIC},
};
const size_t ow_catalog_routes_n = sizeof ow_catalog_routes / sizeof ow_catalog_routes[0];
