/* config.c — see config.h.  One table lists every key once, so the file
 * parser, the environment and the README all agree on the names. */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_STR, K_INT, K_I64, K_BOOL };

typedef struct key {
    const char *name;
    enum kind kind;
    size_t off;
    size_t size;
    int64_t min, max;
} key;

#define S(n, f)                                                                                    \
    { n, K_STR, offsetof(ow_config, f), sizeof(((ow_config *)0)->f), 0, 0 }
#define I(n, f, lo, hi)                                                                            \
    { n, K_INT, offsetof(ow_config, f), sizeof(int), lo, hi }
#define L(n, f, lo, hi)                                                                            \
    { n, K_I64, offsetof(ow_config, f), sizeof(int64_t), lo, hi }
#define B(n, f)                                                                                    \
    { n, K_BOOL, offsetof(ow_config, f), sizeof(bool), 0, 1 }

static const key keys[] = {
    S("data_dir", data_dir),
    S("database", database),
    S("listen", listen),
    S("web_root", web_root),
    S("calendar_dir", calendar_dir),
    S("demo_dir", demo_dir),
    S("region_name", region_name),
    S("region_code", region_code),
    S("center_name", center_name),
    S("public_url", public_url),
    S("center_address", center_address),
    S("service_hours", service_hours),
    S("hotline", hotline),
    S("disclosure_office", disclosure_office),
    S("log_level", log_level),
    I("threads", threads, 0, 256),
    I("pool_threads", pool_threads, 0, 64),
    L("max_body_bytes", max_body_bytes, 1024, 64LL * 1024 * 1024),
    I("idle_timeout_s", idle_timeout_s, 1, 3600),
    I("request_timeout_s", request_timeout_s, 1, 3600),
    I("database_query_timeout_s", database_query_timeout_s, 0, 3600),
    I("session_ttl_min", session_ttl_min, 5, 60 * 24 * 30),
    I("session_idle_min", session_idle_min, 1, 60 * 24),
    I("writer_batch_max", writer_batch_max, 1, 10000),
    B("cookie_secure", cookie_secure),
    S("trusted_proxies", trusted_proxies),
    L("clock_offset_ms", clock_offset_ms, -100LL * 365 * 86400000, 100LL * 365 * 86400000),
    I("rectify_days", rectify_days, 1, 60),
    I("complaint_answer_days", complaint_answer_days, 1, 60),
    I("complaint_escalate_days", complaint_escalate_days, 1, 30),
    I("notice_reply_days", notice_reply_days, 1, 30),
    I("light_warn_days", light_warn_days, 0, 30),
    I("light_warn_percent", light_warn_percent, 1, 100),
    I("kiosk_service_max_min", kiosk_service_max_min, 1, 24 * 60),
    L("upload_max_bytes", upload_max_bytes, 1024, 1024LL * 1024 * 1024),
    L("upload_case_max_bytes", upload_case_max_bytes, 1024, 16LL * 1024 * 1024 * 1024),
    I("upload_concurrency", upload_concurrency, 1, 1024),
    I("register_max", register_max, 0, 100000),
    I("register_window_min", register_window_min, 1, 7 * 24 * 60),
    S("hall_hours", hall_hours),
    I("booking_workdays", booking_workdays, 1, 30),
    I("booking_cutoff_min", booking_cutoff_min, 0, 24 * 60),
    I("booking_daily_limit", booking_daily_limit, 1, 10),
    I("noshow_limit", noshow_limit, 1, 20),
    I("noshow_window_days", noshow_window_days, 1, 365),
    I("noshow_block_days", noshow_block_days, 1, 365),
    I("checkin_early_min", checkin_early_min, 0, 240),
    I("checkin_late_min", checkin_late_min, 0, 120),
    I("ticket_stop_min", ticket_stop_min, 0, 120),
    I("audit_anchor_interval_s", audit_anchor_interval_s, 10, 86400),
    S("instance_role", instance_role),
    S("exchange_instance", exchange_instance),
    S("exchange_city", exchange_city),
    S("exchange_holder_key", exchange_holder_key),
    I("exchange_max_skew_s", exchange_max_skew_s, 5, 3600),
    I("exchange_retry_max_s", exchange_retry_max_s, 1, 86400),
    I("exchange_log_retention_days", exchange_log_retention_days, 1, 3650),
    S("oidc_issuer", oidc_issuer),
    S("oidc_client_id", oidc_client_id),
    S("oidc_client_secret", oidc_client_secret),
    S("oidc_redirect_uri", oidc_redirect_uri),
    S("oidc_post_logout_uri", oidc_post_logout_uri),
    S("oidc_scopes", oidc_scopes),
    S("oidc_claim_id_number", oidc_claim_id_number),
    S("oidc_claim_uscc", oidc_claim_uscc),
    S("oidc_claim_level", oidc_claim_level),
    I("oidc_clock_skew_s", oidc_clock_skew_s, 0, 600),
    B("local_citizen_passwords", local_citizen_passwords),
    S("sms_gateway_url", sms_gateway_url),
    S("sms_gateway_kind", sms_gateway_kind),
    S("sms_sign_name", sms_sign_name),
    S("sms_template_code", sms_template_code),
    S("sms_access_key_id", sms_access_key_id),
    S("sms_access_key_secret", sms_access_key_secret),
    S("sms_region", sms_region),
    S("sms_report_secret", sms_report_secret),
    S("sms_quiet_hours", sms_quiet_hours),
    I("sms_rate_per_hour", sms_rate_per_hour, 0, 1000),
    I("sms_timeout_s", sms_timeout_s, 1, 120),
};

void ow_config_defaults(ow_config *c) {
    memset(c, 0, sizeof *c);
    snprintf(c->data_dir, sizeof c->data_dir, "var");
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
    snprintf(c->web_root, sizeof c->web_root, "web/dist");
    snprintf(c->calendar_dir, sizeof c->calendar_dir, "data/calendar");
    snprintf(c->demo_dir, sizeof c->demo_dir, "data/demo");
    snprintf(c->region_name, sizeof c->region_name, "益阳市赫山区");
    snprintf(c->region_code, sizeof c->region_code, "430903");
    snprintf(c->center_name, sizeof c->center_name, "益阳市赫山区政务服务中心");
    snprintf(c->center_address, sizeof c->center_address,
             "益阳市赫山区福泽大厦政务服务中心一楼大厅");
    snprintf(c->service_hours, sizeof c->service_hours,
             "周一至周五 上午8:30–12:00，下午14:30–17:30（法定节假日除外）");
    snprintf(c->hotline, sizeof c->hotline, "12345");
    snprintf(c->disclosure_office, sizeof c->disclosure_office, "D35");
    snprintf(c->log_level, sizeof c->log_level, "info");
    c->max_body_bytes = 1024 * 1024;
    c->idle_timeout_s = 30;
    c->request_timeout_s = 60;
    c->database_query_timeout_s = 60;
    c->session_ttl_min = 12 * 60;
    c->session_idle_min = 30;
    c->writer_batch_max = 512;
    c->rectify_days = 15;
    c->complaint_answer_days = 10;
    c->complaint_escalate_days = 5;
    c->notice_reply_days = 3;
    c->light_warn_days = 1;
    c->light_warn_percent = 80;
    c->kiosk_service_max_min = 120;
    c->upload_max_bytes = 20LL * 1024 * 1024;
    c->upload_case_max_bytes = 100LL * 1024 * 1024;
    c->upload_concurrency = 16;
    c->register_max = 20;
    c->register_window_min = 60;
    snprintf(c->hall_hours, sizeof c->hall_hours, "08:30-12:00,14:30-17:30");
    c->booking_workdays = 7;
    c->booking_cutoff_min = 60;
    c->booking_daily_limit = 2;
    c->noshow_limit = 3;
    c->noshow_window_days = 30;
    c->noshow_block_days = 30;
    c->checkin_early_min = 60;
    c->checkin_late_min = 15;
    c->ticket_stop_min = 15;
    c->audit_anchor_interval_s = 3600;
    snprintf(c->instance_role, sizeof c->instance_role, "district");
    c->exchange_max_skew_s = 300;
    c->exchange_retry_max_s = 600;
    c->exchange_log_retention_days = 365;
    snprintf(c->oidc_scopes, sizeof c->oidc_scopes, "openid profile");
    snprintf(c->oidc_claim_id_number, sizeof c->oidc_claim_id_number, "id_number");
    snprintf(c->oidc_claim_uscc, sizeof c->oidc_claim_uscc, "uscc");
    snprintf(c->oidc_claim_level, sizeof c->oidc_claim_level, "acr");
    c->oidc_clock_skew_s = 60;
    c->local_citizen_passwords = true;
    snprintf(c->sms_gateway_kind, sizeof c->sms_gateway_kind, "json");
    snprintf(c->sms_region, sizeof c->sms_region, "cn-hangzhou");
    snprintf(c->sms_quiet_hours, sizeof c->sms_quiet_hours, "21:00-08:00");
    c->sms_rate_per_hour = 5;
    c->sms_timeout_s = 10;
}

int ow_config_set(ow_config *c, const char *name, const char *value, ow_err *e) {
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const key *k = &keys[i];
        if (strcmp(k->name, name)) continue;
        char *dst = (char *)c + k->off;
        if (k->kind == K_STR) {
            size_t n = strlen(value);
            if (n >= k->size)
                return ow_err_set(e, OW_EINVAL, name, "配置项 %s 过长（最多 %zu 字节）", name,
                                  k->size - 1);
            memcpy(dst, value, n + 1);
            return OW_OK;
        }
        if (k->kind == K_BOOL) {
            bool v;
            if (!strcmp(value, "true") || !strcmp(value, "1") || !strcmp(value, "yes"))
                v = true;
            else if (!strcmp(value, "false") || !strcmp(value, "0") || !strcmp(value, "no"))
                v = false;
            else
                return ow_err_set(e, OW_EINVAL, name, "配置项 %s 应为 true 或 false，而不是“%s”",
                                  name, value);
            memcpy(dst, &v, sizeof v);
            return OW_OK;
        }
        char *end;
        errno = 0;
        long long v = strtoll(value, &end, 10);
        if (errno || end == value || *end)
            return ow_err_set(e, OW_EINVAL, name, "配置项 %s 应为整数，而不是“%s”", name, value);
        if (v < k->min || v > k->max)
            return ow_err_set(e, OW_EINVAL, name, "配置项 %s 应在 %lld 到 %lld 之间", name,
                              (long long)k->min, (long long)k->max);
        if (k->kind == K_INT) {
            int iv = (int)v;
            memcpy(dst, &iv, sizeof iv);
        } else {
            int64_t lv = v;
            memcpy(dst, &lv, sizeof lv);
        }
        return OW_OK;
    }
    return ow_err_set(e, OW_EINVAL, name, "未知的配置项“%s”", name);
}

static char *trim(char *s) {
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

int ow_config_load_file(ow_config *c, const char *path, bool required, ow_err *e) {
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!required && errno == ENOENT) return OW_OK;
        return ow_err_set(e, OW_EIO, "config", "无法读取配置文件 %s：%s", path, strerror(errno));
    }
    char line[1024];
    int lineno = 0, rc = OW_OK;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#') continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = ow_err_set(e, OW_EINVAL, "config", "配置文件 %s 第 %d 行缺少“=”", path, lineno);
            break;
        }
        *eq = '\0';
        char *k = trim(s), *v = trim(eq + 1);
        rc = ow_config_set(c, k, v, e);
        if (rc) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s", e ? e->message : "");
            ow_err_set(e, rc, k, "配置文件 %s 第 %d 行：%s", path, lineno, msg);
            break;
        }
    }
    fclose(f);
    if (!rc) snprintf(c->source, sizeof c->source, "%s", path);
    return rc;
}

int ow_config_load_env(ow_config *c, ow_err *e) {
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char env[64] = "OW_";
        size_t j = 3;
        for (const char *p = keys[i].name; *p && j < sizeof env - 1; p++)
            env[j++] = (char)toupper((unsigned char)*p);
        env[j] = '\0';
        const char *v = getenv(env);
        if (!v) continue;
        int rc = ow_config_set(c, keys[i].name, v, e);
        if (rc) return rc;
    }
    return OW_OK;
}

int ow_config_listen_addr(const ow_config *c, char host[64], int *port, ow_err *e) {
    const char *colon = strrchr(c->listen, ':');
    if (!colon || colon == c->listen || (size_t)(colon - c->listen) >= 64)
        return ow_err_set(e, OW_EINVAL, "listen", "监听地址应为 地址:端口，而不是“%s”", c->listen);
    memcpy(host, c->listen, (size_t)(colon - c->listen));
    host[colon - c->listen] = '\0';
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || p < 0 || p > 65535) /* "host:" has no port */
        return ow_err_set(e, OW_EINVAL, "listen", "监听端口不正确：“%s”", colon + 1);
    *port = (int)p;
    return OW_OK;
}
