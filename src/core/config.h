/* config.h — settings from defaults, then `onewindow.conf` (key = value),
 * then OW_* environment variables, then command-line flags, each overriding
 * the one before.  An unknown key or an unreadable value is an error the
 * operator sees, never a silent default (docs/style.md "Errors"). */
#ifndef OW_CORE_CONFIG_H
#define OW_CORE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

typedef struct ow_config {
    char data_dir[512];         /* data_dir, OW_DATA_DIR: database, files, secret key */
    char database[512];         /* database, OW_DATABASE: "" = the SQLite file in data_dir; a
                                 * postgres:// URL or libpq conninfo selects PostgreSQL */
    char listen[128];           /* listen, OW_LISTEN: ADDR:PORT */
    char web_root[512];         /* web_root, OW_WEB_ROOT: built web UI (web/dist) */
    char calendar_dir[512];     /* calendar_dir: statutory holiday CSVs (data/calendar) */
    char demo_dir[512];         /* demo_dir: the demo district loaded by init --demo (data/demo) */
    char region_name[128];      /* region_name: 益阳市赫山区 */
    char region_code[16];       /* region_code: 430903 (6-digit administrative code) */
    char center_name[128];      /* center_name: 益阳市赫山区政务服务中心 */
    char public_url[256];       /* public_url: https://… printed in QR codes; "" = from Host */
    char center_address[256];   /* center_address: where the hall is */
    char service_hours[256];    /* service_hours: the hall's opening hours */
    char hotline[32];           /* hotline: the citizens' service hotline */
    char disclosure_office[16]; /* disclosure_office: org code of the district's 政府信息公开
                                 * office — its disclosers edit the district's annual report
                                 * and inspect the units (D35) */
    char log_level[16];         /* log_level: debug, info, warn, error */
    int threads;            /* threads: request threads, 0 = one per core (never fewer than 2) */
    int pool_threads;       /* pool_threads: heavy-work pool (argon2id, PDF), 0 = cores */
    int64_t max_body_bytes; /* max_body_bytes: JSON request bodies */
    int idle_timeout_s;     /* idle_timeout_s: an idle keep-alive connection is closed */
    int request_timeout_s;  /* request_timeout_s: a request still arriving after this is cut */
    int database_query_timeout_s; /* database_query_timeout_s: PostgreSQL answer deadline, 0 none */
    int session_ttl_min;          /* session_ttl_min: absolute session lifetime */
    int session_idle_min;         /* session_idle_min: inactivity before a session ends */
    int writer_batch_max;         /* writer_batch_max: jobs per group commit */
    bool cookie_secure;           /* cookie_secure: add Secure to the session cookie (behind TLS) */
    char trusted_proxies[256]; /* trusted_proxies: peers whose X-Forwarded-For names the client */
    int64_t clock_offset_ms;   /* clock_offset_ms: test-only time travel; 0 in production */
    /* supervision (issue 8): periods in working days */
    int rectify_days;            /* rectify_days: bad rating → rectification deadline (15) */
    int complaint_answer_days;   /* complaint_answer_days: a complaint must be answered (10) */
    int complaint_escalate_days; /* complaint_escalate_days: new deadline after escalation (5) */
    int notice_reply_days;       /* notice_reply_days: default reply deadline of a 督办 (3) */
    int light_warn_days;    /* light_warn_days: yellow when this many days or fewer are left (1) */
    int light_warn_percent; /* light_warn_percent: yellow once this share of the limit is used (80)
                             */
    int kiosk_service_max_min; /* kiosk_service_max_min: an open window service expires (120) */
    /* materials (issue 7) */
    int64_t upload_max_bytes;      /* upload_max_bytes: one uploaded material (20 MB) */
    int64_t upload_case_max_bytes; /* upload_case_max_bytes: all uploads of one case (100 MB) */
    int upload_concurrency; /* upload_concurrency: uploads streaming at once; more get 429 (16) */
    /* registration throttle (hardening #24): accounts registered per client address */
    int register_max;        /* register_max: registrations per address per window, 0: none (20) */
    int register_window_min; /* register_window_min: the window, minutes (60) */
    /* the hall (issue 18): opening hours, booking rules, check-in window */
    char hall_hours[128];    /* hall_hours: sessions HH:MM-HH:MM, comma-separated, on half hours */
    int booking_workdays;    /* booking_workdays: working days ahead that can be booked, today
                              * counted when it is one (7) */
    int booking_cutoff_min;  /* booking_cutoff_min: book, move, cancel until this long before
                              * the slot (60) */
    int booking_daily_limit; /* booking_daily_limit: appointments per person and day (2) */
    int noshow_limit;        /* noshow_limit: no-shows within noshow_window_days that block (3) */
    int noshow_window_days;  /* noshow_window_days: the window they are counted in (30) */
    int noshow_block_days;   /* noshow_block_days: how long online booking is blocked (30) */
    int checkin_early_min;   /* checkin_early_min: check-in opens this long before the slot (60) */
    int checkin_late_min;    /* checkin_late_min: and closes this long after it ended (15) */
    int ticket_stop_min;     /* ticket_stop_min: ticket machines stop before a session ends (15) */
    /* the audit trail's anchor and the exchange with the city (issue 19) */
    int audit_anchor_interval_s;  /* audit_anchor_interval_s: the head into audit-anchor.log,
                                   * seconds (3600) */
    char instance_role[16];       /* instance_role: district (default) or city */
    char exchange_instance[32];   /* exchange_instance: this instance's name in the exchange;
                                   * "" = region_code */
    char exchange_city[32];       /* exchange_city: the city peer a district sends to; "" = none */
    char exchange_holder_key[65]; /* exchange_holder_key: 64 hex digits shared city-wide; the
                                   * HMAC key of a license holder's number in license.issued
                                   * ("" = licenses go without it, docs/exchange.md) */
    int exchange_max_skew_s;      /* exchange_max_skew_s: how far a message's `at` may be (300) */
    int exchange_retry_max_s;     /* exchange_retry_max_s: longest wait between attempts (600) */
    int exchange_log_retention_days; /* exchange_log_retention_days: payloads kept (365) */
    /* sign-in through the provincial identity platform over OpenID Connect (issue 20,
     * docs/decisions/0007-oidc.md); off while oidc_issuer is "" */
    char oidc_issuer[256];           /* oidc_issuer: the provider's issuer URL (discovery) */
    char oidc_client_id[128];        /* oidc_client_id: our client id there */
    char oidc_client_secret[256];    /* oidc_client_secret: its secret (client_secret_basic) */
    char oidc_redirect_uri[256];     /* oidc_redirect_uri: "" = public_url or the request's
                                      * origin + /api/v1/oidc/callback */
    char oidc_post_logout_uri[256];  /* oidc_post_logout_uri: where the provider sends the
                                      * browser after its sign-out; "" = public_url or origin + / */
    char oidc_scopes[128];           /* oidc_scopes: scopes asked for (openid profile) */
    char oidc_claim_id_number[64];   /* oidc_claim_id_number: claim with the ID number */
    char oidc_claim_uscc[64];        /* oidc_claim_uscc: claim with an enterprise's USCC */
    char oidc_claim_level[64];       /* oidc_claim_level: claim with the assurance level (acr) */
    int oidc_clock_skew_s;           /* oidc_clock_skew_s: tolerance on exp/iat (60) */
    bool local_citizen_passwords;    /* local_citizen_passwords: citizens and enterprises may
                                      * register and sign in with a local password (true) */
    char sms_gateway_url[256];       /* sms_gateway_url: where SMS are POSTed; "" = no SMS */
    char sms_gateway_kind[16];       /* sms_gateway_kind: json | aliyun (json) */
    char sms_sign_name[64];          /* sms_sign_name: the signature (签名) the provider shows */
    char sms_template_code[64];      /* sms_template_code: the provider's template (aliyun) */
    char sms_access_key_id[64];      /* sms_access_key_id: AccessKeyId that signs (aliyun) */
    char sms_access_key_secret[128]; /* sms_access_key_secret: its AccessKeySecret (aliyun) */
    char sms_region[32];             /* sms_region: RegionId of the requests (cn-hangzhou) */
    char sms_report_secret[128];     /* sms_report_secret: shared secret of delivery reports */
    char sms_quiet_hours[16];        /* sms_quiet_hours: HH:MM-HH:MM, Asia/Shanghai ("" = none) */
    int sms_rate_per_hour;           /* sms_rate_per_hour: most SMS to one number an hour (5) */
    int sms_timeout_s;               /* sms_timeout_s: the gateway's answer deadline (10) */
    char source[600];                /* where the config file came from, for the log */
} ow_config;

void ow_config_defaults(ow_config *c);
/* Read a config file; a missing file is an error only when required. */
int ow_config_load_file(ow_config *c, const char *path, bool required, ow_err *e);
int ow_config_load_env(ow_config *c, ow_err *e);
/* Set one key from a string (used by file, env and flags). */
int ow_config_set(ow_config *c, const char *key, const char *value, ow_err *e);
/* Split listen into host and port. */
int ow_config_listen_addr(const ow_config *c, char host[64], int *port, ow_err *e);

#endif
