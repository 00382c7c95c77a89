/* system.c — the instance row, and the health and meta endpoints.
 *
 * Health answers whether this process can read its database and which schema
 * it runs, so a load balancer and an operator see the same truth; meta tells
 * the web UI which district it serves, from the configuration. */
#include "system/system.h"
#include "system/system_api.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "store/db.h"
#include "store/system_store.h"

int ow_system_init_instance(ow_ctx *cx) {
    int rc = ow_system_store_create_instance(cx->db, ow_clock_now_ms(cx->clock),
                                             cx->app->cfg.region_code, OW_VERSION, &cx->err);
    return rc ? rc : ow_system_check_instance(cx);
}

int ow_system_check_instance(ow_ctx *cx) {
    char code[16];
    bool found;
    int rc = ow_system_store_region(cx->db, code, &found, &cx->err);
    if (rc) return rc;
    if (!found)
        return ow_err_set(&cx->err, OW_ENOTFOUND, "data_dir",
                          "数据库尚未初始化，请先运行 onewindow init");
    if (strcmp(code, cx->app->cfg.region_code))
        return ow_err_set(&cx->err, OW_ECONFLICT, "region_code",
                          "数据库属于行政区划 %s，而配置为 %s", code, cx->app->cfg.region_code);
    return OW_OK;
}

static int api_health(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    int version = 0;
    const char *db_state = "ok";
    bool writable = true;
    if (ow_db_schema_version(cx->db, &version, &cx->err) || ow_db_ping(cx->db, &writable, &cx->err))
        db_state = "unavailable";
    else if (!writable)
        db_state = "read_only"; /* a standby: no primary reached (failover under way) */
    int latest = ow_db_latest_migration();
    int status = !strcmp(db_state, "ok") && version == latest ? 200 : 503;
    json_t *body = json_pack("{s:s,s:s,s:i,s:i,s:s}", "status", status == 200 ? "ok" : "degraded",
                             "version", OW_VERSION, "schema_version", version, "schema_latest",
                             latest, "database", db_state);
    json_t *details = json_object();
    for (int i = 0; i < cx->app->health_followers.n; i++) {
        const ow_health_reporter *r = cx->app->health_followers.v[i];
        json_t *d = r->details(cx);
        if (d) json_object_set_new(details, r->name, d);
    }
    json_object_set_new(body, "details", details);
    return ow_reply_json(rq, status, body);
}

void ow_system_health_follow(ow_app *app, const ow_health_reporter *r) {
    ow_followers_add(&app->health_followers, r);
}

static int api_meta(ow_req *rq) {
    ow_ctx *cx = ow_req_ctx(rq);
    const ow_config *c = &cx->app->cfg;
    /* the server's own clock: the UI and the tests date things by it, not by theirs */
    int64_t now = ow_clock_now_ms(cx->clock);
    char iso[32], today[11];
    ow_time_format_iso(now, iso);
    snprintf(today, sizeof today, "%.10s", iso);
    return ow_reply_json(rq, 200,
                         json_pack("{s:s,s:s,s:{s:s,s:s},s:s,s:s,s:s,s:s,s:s,s:s}", "name",
                                   "onewindow", "version", OW_VERSION, "region", "name",
                                   c->region_name, "code", c->region_code, "center", c->center_name,
                                   "center_address", c->center_address, "hours", c->service_hours,
                                   "hotline", c->hotline, "now", iso, "today", today));
}

const ow_route ow_system_routes[] = {
    {"GET", "/api/v1/health", api_health, OW_INLINE, OW_R_PUBLIC},
    {"GET", "/api/v1/meta", api_meta, OW_INLINE, OW_R_PUBLIC},
};
const size_t ow_system_routes_n = sizeof ow_system_routes / sizeof ow_system_routes[0];
