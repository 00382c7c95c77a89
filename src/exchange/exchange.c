/* exchange.c — the module's composition: settings, the cases' follower that queues what
 * a district sends, the health reporter, start and stop, and `onewindow exchange`
 * (exchange.h; docs/exchange.md).
 *
 * A district joined to a city (exchange_city set) queues each step of a case in the
 * step's own transaction: accepted, decided, concluded, with the national 办件 data
 * items and nothing in clear that identifies the applicant.  Nothing is queued when the
 * instance is not joined, so an instance without a city does not grow an outbox. */
#include <curl/curl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "core/clock.h"
#include "core/workdays.h"
#include "disclosure/disclosure.h"
#include "rating/rating.h"
#include "report/report.h"
#include "supervision/supervision.h"
#include "exchange/exchange_int.h"
#include "store/exchange_store.h"
#include "store/wallet_store.h"
#include "system/system.h"
#include "wallet/wallet.h"

const char *ex_instance(const ow_app *app) {
    return app->cfg.exchange_instance[0] ? app->cfg.exchange_instance : app->cfg.region_code;
}

bool ex_is_city(const ow_app *app) {
    return !strcmp(app->cfg.instance_role, "city");
}

const ow_ex_key *ex_signing_key(const ow_exchange *x) {
    return &x->keys.v[x->keys.n - 1];
}

/* ---- what a district sends about a case ---- */

static json_t *case_payload(ow_ctx *cx, const ow_case_record *r) {
    json_t *p = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:i}", "case_no", r->case_no, "item_code",
        r->item_code, "item_name", r->item_name, "state", r->state, "result", r->result,
        "applicant_type", r->applicant_type, "applicant_masked", r->applicant_masked, "channel",
        r->channel, "submitted_at", (json_int_t)r->submitted_at, "accepted_date", r->accepted_date,
        "due_date", r->due_date, "decided_date", r->decided_date, "overdue", r->overdue ? 1 : 0);
    if (r->concluded_at) json_object_set_new(p, "concluded_at", json_integer(r->concluded_at));
    (void)cx;
    return p;
}

static int on_case_step(ow_ctx *cx, const ow_case_record *r) {
    const char *city = cx->app->cfg.exchange_city;
    if (!*city || ex_is_city(cx->app)) return OW_OK;
    bool decided = !strcmp(r->action, "approve") || !strcmp(r->action, "deny");
    bool concluded = r->concluded_at != 0;
    if (!r->accepted_now && !decided && !concluded) return OW_OK;
    json_t *p = case_payload(cx, r);
    int rc = OW_OK;
    if (r->accepted_now) rc = ow_exchange_outbox_put(cx, city, "case.accepted", p);
    if (!rc && decided) rc = ow_exchange_outbox_put(cx, city, "case.decided", p);
    if (!rc && concluded) rc = ow_exchange_outbox_put(cx, city, "case.concluded", p);
    json_decref(p);
    return rc;
}

/* ---- what a district tells the city's license index (docs/exchange.md "The e-license
 * hub") ---- */

/* A case approved: the license the wallet issued for it (the wallet follows the case
 * before us, app/app.c registers it first), as license.issued; nothing when the result
 * is not a certificate. */
static int on_case_approved(ow_ctx *cx, const ow_case_approved *c) {
    const char *city = cx->app->cfg.exchange_city;
    if (!*city || ex_is_city(cx->app)) return OW_OK;
    ow_license_row l;
    bool found;
    int rc = ow_wallet_store_of_case(cx->db, cx->arena, c->case_id, &l, &found, &cx->err);
    if (rc || !found) return rc;
    char hmac[65] = "";
    const char *key = cx->app->cfg.exchange_holder_key;
    if (*key && (rc = ow_ex_holder_hmac(key, c->holder_number, hmac, &cx->err))) return rc;
    char hash[65];
    ow_ex_license_hash(&(ow_ex_license_fields){.number = l.number,
                                               .type = l.type,
                                               .holder_kind = l.holder_kind,
                                               .holder_masked = l.holder_masked,
                                               .issuer = l.issuer,
                                               .issued_date = l.issued_date,
                                               .valid_until = l.valid_until,
                                               .doc_code = l.doc_code,
                                               .data = l.data},
                       hash);
    json_t *p = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "number", l.number, "type",
                          l.type, "issuer", l.issuer, "holder_kind", l.holder_kind, "holder_masked",
                          l.holder_masked, "holder_hmac", hmac, "issued_date", l.issued_date,
                          "valid_until", l.valid_until, "cert_hash", hash, "case_no", c->case_no);
    if (!p) return ow_err_set(&cx->err, OW_EINTERNAL, "", "证照登记数据生成失败");
    rc = ow_exchange_outbox_put(cx, city, "license.issued", p);
    json_decref(p);
    return rc;
}

static int on_license_revoked(ow_ctx *cx, const char *number, int64_t at_ms) {
    const char *city = cx->app->cfg.exchange_city;
    if (!*city || ex_is_city(cx->app)) return OW_OK;
    json_t *p = json_pack("{s:s,s:I}", "number", number, "at", (json_int_t)at_ms);
    int rc = ow_exchange_outbox_put(cx, city, "license.revoked", p);
    json_decref(p);
    return rc;
}

static const ow_case_follower CASE_FOLLOWER = {.approved = on_case_approved,
                                               .recorded = on_case_step};
static const ow_wallet_follower WALLET_FOLLOWER = {.revoked = on_license_revoked};

/* ---- what a district sends about 好差评 ---- */

static int on_rating(ow_ctx *cx, const ow_rating_record *r) {
    const char *city = cx->app->cfg.exchange_city;
    if (!*city || ex_is_city(cx->app)) return OW_OK;
    json_t *p =
        json_pack("{s:I,s:s,s:i,s:s,s:I}", "rating_id", (json_int_t)r->rating_id, "channel",
                  r->channel, "level", r->level, "case_no", r->case_no, "at", (json_int_t)r->at);
    int rc = ow_exchange_outbox_put(cx, city, "rating", p);
    json_decref(p);
    return rc;
}

static int on_rectified(ow_ctx *cx, const ow_rectify_record *r) {
    const char *city = cx->app->cfg.exchange_city;
    if (!*city || ex_is_city(cx->app)) return OW_OK;
    json_t *p = json_pack("{s:I,s:I,s:s,s:s,s:I}", "rectification_id",
                          (json_int_t)r->rectification_id, "rating_id", (json_int_t)r->rating_id,
                          "action", r->action, "state", r->state, "at", (json_int_t)r->at);
    int rc = ow_exchange_outbox_put(cx, city, "rectification", p);
    json_decref(p);
    return rc;
}

/* ---- the monthly statistics (stats.monthly) ---- */

/* The statistics tables with every real number (rates, average days) as an integer in
 * thousandths under the key with "_milli" added: the payload's canonical form has
 * integers only (docs/exchange.md). */
static json_t *integers_only(const json_t *v) {
    if (json_is_object(v)) {
        json_t *o = json_object();
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) {
            if (json_is_real(x)) {
                char key[128];
                snprintf(key, sizeof key, "%s_milli", k);
                double d = json_real_value(x) * 1000.0;
                json_object_set_new(o, key, json_integer((json_int_t)(d < 0 ? d - 0.5 : d + 0.5)));
            } else {
                json_object_set_new(o, k, integers_only(x));
            }
        }
        return o;
    }
    if (json_is_array(v)) {
        json_t *a = json_array();
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) json_array_append_new(a, integers_only(x));
        return a;
    }
    if (json_is_real(v)) return json_integer((json_int_t)(json_real_value(v) * 1000.0 + 0.5));
    return json_deep_copy(v);
}

/* The sweep's follower: on the first sweep of a month, the month before as the
 * statistics screen counts it (cases and ratings by month), once. */
static int monthly_sweep(ow_ctx *cx, int *n) {
    *n = 0;
    const char *city = cx->app->cfg.exchange_city;
    if (!*city || ex_is_city(cx->app)) return OW_OK;
    int y, m, d;
    ow_date_ymd(ow_date_today_shanghai(ow_clock_now_ms(cx->clock)), &y, &m, &d);
    int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
    char month[32], fragment[64];
    snprintf(month, sizeof month, "%04d-%02d", py, pm);
    snprintf(fragment, sizeof fragment, "\"month\":\"%s\"", month);
    bool has;
    int rc = ow_ex_store_out_has(cx->db, "stats.monthly", fragment, &has, &cx->err);
    if (rc || has) return rc;
    ow_stats_query q = {
        .from = ow_date_from_ymd(py, pm, 1), .to = ow_date_from_ymd(y, m, 1) - 1, .by = "month"};
    json_t *cases = NULL, *ratings = NULL;
    rc = ow_stats_cases_json(cx, &q, &cases);
    if (!rc) rc = ow_stats_ratings_json(cx, &q, &ratings);
    if (!rc) {
        json_t *p = json_pack("{s:s,s:o,s:o}", "month", month, "cases", integers_only(cases),
                              "ratings", integers_only(ratings));
        rc = ow_exchange_outbox_put(cx, city, "stats.monthly", p);
        json_decref(p);
        if (!rc) *n = 1;
    }
    json_decref(cases);
    json_decref(ratings);
    return rc;
}

/* From February on (the report is due by 31 January, Art. 50 of the regulation), the
 * district's annual report figures of the year before, once: the tables, not the texts. */
static int annual_sweep(ow_ctx *cx, int y, int m) {
    if (m < 2) return OW_OK;
    char fragment[64];
    snprintf(fragment, sizeof fragment, "\"year\":%d", y - 1);
    bool has;
    int rc = ow_ex_store_out_has(cx->db, "disclosure.annual", fragment, &has, &cx->err);
    if (rc || has) return rc;
    json_t *report;
    if ((rc = ow_dis_report_json(cx, 0, y - 1, &report))) return rc;
    const char *drop[] = {"document", "texts", "entered", "may_edit", "org_id"};
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
        json_object_del(report, drop[i]);
    json_t *p = integers_only(report);
    json_decref(report);
    rc = ow_exchange_outbox_put(cx, cx->app->cfg.exchange_city, "disclosure.annual", p);
    json_decref(p);
    return rc;
}

static int district_sweep(ow_ctx *cx, int *n) {
    int rc = monthly_sweep(cx, n);
    const char *city = cx->app->cfg.exchange_city;
    if (rc || !*city || ex_is_city(cx->app)) return rc;
    int y, m, d;
    ow_date_ymd(ow_date_today_shanghai(ow_clock_now_ms(cx->clock)), &y, &m, &d);
    return annual_sweep(cx, y, m);
}

static const ow_sweep_follower SWEEP_FOLLOWER = {.key = "exchange_reports",
                                                 .sweep = district_sweep};

static const ow_rating_follower RATING_FOLLOWER = {.rated = on_rating, .rectified = on_rectified};
static const ow_health_reporter HEALTH = {.name = "exchange", .details = ow_exchange_health};

int ow_exchange_setup(ow_app *app, ow_err *e) {
    const ow_config *c = &app->cfg;
    if (strcmp(c->instance_role, "district") && strcmp(c->instance_role, "city"))
        return ow_err_set(e, OW_EINVAL, "instance_role", "instance_role 应为 district 或 city");
    if (ex_is_city(app) && c->exchange_city[0])
        return ow_err_set(e, OW_EINVAL, "exchange_city",
                          "市级平台（instance_role = city）不设 "
                          "exchange_city");
    if (c->exchange_holder_key[0]) { /* refused at start rather than at the first approval */
        char probe[65];
        if (ow_ex_holder_hmac(c->exchange_holder_key, "0", probe, e)) return OW_EINVAL;
    }
    if (strcmp(c->sms_gateway_kind, "json") && strcmp(c->sms_gateway_kind, "aliyun"))
        return ow_err_set(e, OW_EINVAL, "sms_gateway_kind", "sms_gateway_kind 应为 json 或 aliyun");
    if (c->sms_gateway_url[0] && !strcmp(c->sms_gateway_kind, "aliyun") &&
        (!c->sms_access_key_id[0] || !c->sms_access_key_secret[0]))
        return ow_err_set(e, OW_EINVAL,
                          c->sms_access_key_id[0] ? "sms_access_key_secret" : "sms_access_key_id",
                          "aliyun 短信网关需要 sms_access_key_id 和 sms_access_key_secret 签名");
    ow_cases_follow(app, &CASE_FOLLOWER);
    ow_rating_follow(app, &RATING_FOLLOWER);
    ow_wallet_follow(app, &WALLET_FOLLOWER);
    ow_supervision_follow(app, &SWEEP_FOLLOWER);
    ow_system_health_follow(app, &HEALTH);
    return OW_OK;
}

int ow_exchange_start(ow_app *app, ow_exchange **out, ow_err *e) {
    *out = NULL;
    ow_exchange *x = calloc(1, sizeof *x);
    if (!x) return ow_err_set(e, OW_ENOMEM, "", "内存不足");
    x->app = app;
    int rc = ow_ex_keys_load(app->cfg.data_dir, true, ow_clock_now_ms(&app->clock), &x->keys, e);
    if (!rc && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        rc = ow_err_set(e, OW_EINTERNAL, "", "libcurl 初始化失败");
    if (rc) {
        sodium_memzero(x, sizeof *x);
        free(x);
        return rc;
    }
    pthread_mutex_init(&x->mu, NULL);
    pthread_cond_init(&x->cv, NULL);
    if ((rc = ex_sender_start(x, e))) {
        pthread_mutex_destroy(&x->mu);
        pthread_cond_destroy(&x->cv);
        curl_global_cleanup();
        free(x);
        return rc;
    }
    app->exchange = x;
    *out = x;
    return OW_OK;
}

void ow_exchange_stop(ow_exchange *x) {
    if (!x) return;
    ex_sender_stop(x);
    x->app->exchange = NULL;
    pthread_mutex_destroy(&x->mu);
    pthread_cond_destroy(&x->cv);
    curl_global_cleanup();
    sodium_memzero(&x->keys, sizeof x->keys);
    free(x);
}

/* ---- onewindow exchange … ---- */

typedef struct peer_add {
    ow_ex_peer p;
    int64_t end_others;
} peer_add;

static int peer_add_tx(ow_db *db, void *arg, ow_err *e) {
    peer_add *pa = arg;
    return ow_ex_store_peer_put(db, &pa->p, pa->end_others, e);
}

static int print_peer(void *arg, const ow_ex_peer *p) {
    (void)arg;
    printf("%-10s %-8s %-16s %s %s %s\n", p->instance, p->role, p->key_id,
           p->valid_to ? "ended  " : "current", p->url, p->name);
    return 0;
}

static int usage(void) {
    fprintf(stderr, "usage: onewindow exchange key [--rotate]\n"
                    "       onewindow exchange peer add INSTANCE URL PUBLIC-KEY [--name NAME]\n"
                    "                                   [--role city|district] [--grace-h H]\n"
                    "       onewindow exchange peers\n"
                    "       onewindow exchange retry [ID]\n");
    return 2;
}

static int cli_fail(const ow_err *e) {
    fprintf(stderr, "onewindow: %s%s%s%s\n", e->message, e->field[0] ? "  [" : "", e->field,
            e->field[0] ? "]" : "");
    return 1;
}

typedef struct retry_arg {
    int64_t id, now, changed;
} retry_arg;

static int retry_tx(ow_db *db, void *arg, ow_err *e) {
    retry_arg *r = arg;
    return ow_ex_store_out_retry(db, r->id, r->now, &r->changed, e);
}

int ow_exchange_cli(ow_app *app, int argc, char **argv) {
    ow_err e = {0};
    int64_t now = ow_clock_now_ms(&app->clock);
    if (argc >= 1 && !strcmp(argv[0], "key")) {
        bool rotate = argc == 2 && !strcmp(argv[1], "--rotate");
        if (argc > 2 || (argc == 2 && !rotate)) return usage();
        ow_ex_keyring ring;
        int rc = rotate ? ow_ex_keys_rotate(app->cfg.data_dir, now, &ring, &e)
                        : ow_ex_keys_load(app->cfg.data_dir, true, now, &ring, &e);
        if (rc) return cli_fail(&e);
        const ow_ex_key *k = &ring.v[ring.n - 1];
        char hex[65];
        sodium_bin2hex(hex, sizeof hex, k->pk, sizeof k->pk);
        printf("%s %s %s\n", ex_instance(app), k->key_id, hex);
        sodium_memzero(&ring, sizeof ring);
        return 0;
    }
    if (argc == 1 && !strcmp(argv[0], "peers")) {
        ow_db *db;
        if (ow_db_open(app->db_path, OW_DB_READ, &db, &e)) return cli_fail(&e);
        int rc = ow_ex_store_peers_each(db, print_peer, NULL, &e);
        ow_db_close(db);
        return rc ? cli_fail(&e) : 0;
    }
    if (argc >= 1 && argc <= 2 && !strcmp(argv[0], "retry")) {
        retry_arg r = {.id = argc == 2 ? strtoll(argv[1], NULL, 10) : 0, .now = now};
        ow_db *db;
        if (ow_db_open(app->db_path, OW_DB_WRITE, &db, &e)) return cli_fail(&e);
        int rc = ow_db_tx(db, retry_tx, &r, &e);
        ow_db_close(db);
        if (rc) return cli_fail(&e);
        printf("%" PRId64 " message(s) queued again\n", r.changed);
        return 0;
    }
    if (argc >= 5 && !strcmp(argv[0], "peer") && !strcmp(argv[1], "add")) {
        peer_add pa = {.p = {.instance = argv[2],
                             .url = argv[3],
                             .public_key = argv[4],
                             .name = argv[2],
                             .role = ex_is_city(app) ? "district" : "city",
                             .added_at = now}};
        for (int i = 5; i < argc; i++) {
            if (!strcmp(argv[i], "--name") && i + 1 < argc)
                pa.p.name = argv[++i];
            else if (!strcmp(argv[i], "--role") && i + 1 < argc)
                pa.p.role = argv[++i];
            else if (!strcmp(argv[i], "--grace-h") && i + 1 < argc)
                pa.end_others = now + strtoll(argv[++i], NULL, 10) * 3600 * 1000;
            else
                return usage();
        }
        unsigned char pk[32];
        size_t n = 0;
        if (strlen(pa.p.instance) > OW_EX_INSTANCE_MAX_BYTES || !*pa.p.instance) {
            ow_err_set(&e, OW_EINVAL, "instance", "实例名称应为 1–32 字节");
            return cli_fail(&e);
        }
        if (strncmp(pa.p.url, "http://", 7) && strncmp(pa.p.url, "https://", 8)) {
            ow_err_set(&e, OW_EINVAL, "url", "地址应以 http:// 或 https:// 开头");
            return cli_fail(&e);
        }
        if (strcmp(pa.p.role, "city") && strcmp(pa.p.role, "district")) {
            ow_err_set(&e, OW_EINVAL, "role", "角色应为 city 或 district");
            return cli_fail(&e);
        }
        if (sodium_hex2bin(pk, sizeof pk, pa.p.public_key, strlen(pa.p.public_key), NULL, &n,
                           NULL) ||
            n != sizeof pk) {
            ow_err_set(&e, OW_EINVAL, "public_key",
                       "公钥应为 64 位十六进制（onewindow exchange "
                       "key 的第三栏）");
            return cli_fail(&e);
        }
        char key_id[OW_EX_KEY_ID_CHARS + 1];
        ow_ex_key_id(pk, key_id);
        pa.p.key_id = key_id;
        ow_db *db;
        if (ow_db_open(app->db_path, OW_DB_WRITE, &db, &e)) return cli_fail(&e);
        int rc = ow_db_tx(db, peer_add_tx, &pa, &e);
        ow_db_close(db);
        if (rc) return cli_fail(&e);
        printf("peer %s key %s registered\n", pa.p.instance, key_id);
        return 0;
    }
    return usage();
}
