/* audit_api.c — GET /api/v1/audit: the trail for supervisors, with filters
 * by actor, object, action and time range, newest first. */
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/audit_api.h"
#include "core/workdays.h"
#include "core/json.h"
#include "store/db.h"

static bool may_read_audit(const ow_actor *a) {
    return a->system || !strcmp(a->role, "supervisor") || !strcmp(a->role, "admin");
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *v) {
    if (v && *v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* A Shanghai date YYYY-MM-DD to UTC ms at that day's midnight (+ days). */
static int date_bound(ow_req *rq, const char *name, int add_days, int64_t *out) {
    const char *s = ow_req_query(rq, name);
    *out = 0;
    if (!s || !*s) return OW_OK;
    int32_t d;
    if (ow_date_parse(s, &d))
        return ow_err_set(&ow_req_ctx(rq)->err, OW_EINVAL, name, "日期格式应为 YYYY-MM-DD");
    *out = ((int64_t)(d + add_days) * 86400 - 8 * 3600) * 1000;
    return OW_OK;
}

static int api_audit_list(ow_req *rq) {
    static const char *count_sql =
        "SELECT count(*) FROM audit"
        " WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR object_type = ?2)"
        " AND (?3 IS NULL OR object_id = ?3) AND (?4 IS NULL OR action LIKE ?4 || '%')"
        " AND (?5 = 0 OR at >= ?5) AND (?6 = 0 OR at < ?6)";
    static const char *list_sql =
        "SELECT seq, at, actor_id, actor, actor_role, ip, request_id, action, object_type,"
        " object_id, detail, hash FROM audit"
        " WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR object_type = ?2)"
        " AND (?3 IS NULL OR object_id = ?3) AND (?4 IS NULL OR action LIKE ?4 || '%')"
        " AND (?5 = 0 OR at >= ?5) AND (?6 = 0 OR at < ?6)"
        " ORDER BY seq DESC LIMIT ?7 OFFSET ?8";
    ow_ctx *cx = ow_req_ctx(rq);
    if (!may_read_audit(&cx->actor))
        return ow_err_set(&cx->err, OW_EFORBIDDEN, "",
                          "只有电子监察人员和系统管理员可以查看审计日志");
    int page, per_page;
    int64_t from, to;
    if (ow_req_paging(rq, &page, &per_page) || date_bound(rq, "from", 0, &from) ||
        date_bound(rq, "to", 1, &to))
        return cx->err.code;
    const char *actor = ow_req_query(rq, "actor"), *otype = ow_req_query(rq, "object_type"),
               *oid = ow_req_query(rq, "object_id"), *action = ow_req_query(rq, "action");
    sqlite3_stmt *st = ow_db_stmt(cx->db, count_sql, &cx->err);
    if (!st) return OW_EDB;
    bind_opt_text(st, 1, actor);
    bind_opt_text(st, 2, otype);
    bind_opt_text(st, 3, oid);
    bind_opt_text(st, 4, action);
    sqlite3_bind_int64(st, 5, from);
    sqlite3_bind_int64(st, 6, to);
    if (sqlite3_step(st) != SQLITE_ROW) return ow_db_fail(cx->db, "audit count", &cx->err);
    int64_t total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    st = ow_db_stmt(cx->db, list_sql, &cx->err);
    if (!st) return OW_EDB;
    bind_opt_text(st, 1, actor);
    bind_opt_text(st, 2, otype);
    bind_opt_text(st, 3, oid);
    bind_opt_text(st, 4, action);
    sqlite3_bind_int64(st, 5, from);
    sqlite3_bind_int64(st, 6, to);
    sqlite3_bind_int(st, 7, per_page);
    sqlite3_bind_int64(st, 8, (int64_t)(page - 1) * per_page);
    json_t *items = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char at[32];
        ow_time_format_iso(sqlite3_column_int64(st, 1), at);
        json_t *detail = json_loads((const char *)sqlite3_column_text(st, 10), 0, NULL);
        json_t *it = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s}", "seq",
                               (json_int_t)sqlite3_column_int64(st, 0), "at", at, "actor",
                               (const char *)sqlite3_column_text(st, 3), "actor_role",
                               (const char *)sqlite3_column_text(st, 4), "ip",
                               (const char *)sqlite3_column_text(st, 5), "request_id",
                               (const char *)sqlite3_column_text(st, 6), "action",
                               (const char *)sqlite3_column_text(st, 7), "object_type",
                               (const char *)sqlite3_column_text(st, 8), "object_id",
                               (const char *)sqlite3_column_text(st, 9), "detail",
                               detail ? detail : json_object(), "hash",
                               (const char *)sqlite3_column_text(st, 11));
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            json_object_set_new(it, "actor_id", json_integer(sqlite3_column_int64(st, 2)));
        json_array_append_new(items, it);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(items);
        return ow_db_fail(cx->db, "audit list", &cx->err);
    }
    return ow_reply_list(rq, items, total, page, per_page);
}

const ow_route ow_audit_routes[] = {
    {"GET", "/api/v1/audit", api_audit_list, OW_INLINE, 0},
};
const size_t ow_audit_routes_n = sizeof ow_audit_routes / sizeof ow_audit_routes[0];
