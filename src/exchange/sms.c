/* sms.c — the outbox's deliverer for "sms:<mobile>" destinations (issue 20 point 4,
 * docs/exchange.md "The outbox (generic)", docs/operations.md "SMS").
 *
 * src/notify/ queues one row per SMS ({"to","text"}, type "sms") in the transaction that
 * writes the in-app message, held to the end of quiet hours and to the number's rate.
 * Here one row at a time of a number is POSTed to sms_gateway_url, in one of two shapes:
 *   json   — {"to","text","id"} as JSON;
 *   aliyun — the form parameters of Aliyun's SendSms (Action, PhoneNumbers, SignName,
 *            TemplateCode, TemplateParam {"content":…}, OutId), signed as Aliyun's RPC
 *            APIs require (AccessKeyId, Timestamp, SignatureNonce, HMAC-SHA1 Signature;
 *            aliyun_sign.h).
 * The id (id / OutId) is "sms-<instance>-<outbox row id>": the same on every attempt of
 * the row, so a gateway that deduplicates by it — as providers do with OutId — sends the
 * text once even when our first attempt timed out after it had been taken.  A 2xx (json)
 * or Code "OK" (aliyun) delivers the row and its answer is kept as the row's receipt; a
 * timeout, a transport error, 5xx, 429 or a provider's throttling code is an attempt with
 * the outbox's doubling backoff; any other refusal gives the row up for an
 * administrator's retry. */
#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "core/clock.h"
#include "exchange/aliyun_sign.h"
#include "exchange/exchange_int.h"

#define SMS_RESPONSE_MAX (64 << 10)

typedef struct sms_resp {
    char data[SMS_RESPONSE_MAX];
    size_t len;
} sms_resp;

static size_t on_sms_data(char *p, size_t size, size_t n, void *arg) {
    sms_resp *r = arg;
    size_t k = size * n;
    if (r->len + k >= sizeof r->data) return 0;
    memcpy(r->data + r->len, p, k);
    r->len += k;
    r->data[r->len] = '\0';
    return k;
}

void ex_sms_message_id(const ow_app *app, int64_t row_id, char *out, size_t size) {
    snprintf(out, size, "sms-%s-%" PRId64, ex_instance(app), row_id);
}

/* The SendSms request of the aliyun adapter: its parameters with the common ones of
 * Aliyun's RPC APIs and the Signature over all of them (aliyun_sign.h), form-encoded as
 * the canonical query itself, so the provider recomputes the signature from the body it
 * got.  Timestamp comes from the injected clock (ISO 8601, UTC, whole seconds), the
 * nonce is fresh for every attempt (the provider refuses a nonce it saw in the last 15
 * minutes) while OutId stays the row's.  malloc'ed; NULL when out of memory. */
static char *aliyun_body(const ow_app *app, const char *to, const char *text, const char *id) {
    const ow_config *c = &app->cfg;
    json_t *tp = json_pack("{s:s}", "content", text);
    char *tps = json_dumps(tp, JSON_COMPACT);
    json_decref(tp);
    time_t now = (time_t)(ow_clock_now_ms(&app->clock) / 1000);
    struct tm tm;
    char ts[32], nonce[33];
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(nonce, sizeof nonce, rnd, sizeof rnd);
    ow_aliyun_param p[] = {
        {"AccessKeyId", c->sms_access_key_id},
        {"Action", "SendSms"},
        {"Format", "JSON"},
        {"OutId", id},
        {"PhoneNumbers", to},
        {"RegionId", c->sms_region},
        {"SignName", c->sms_sign_name},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", nonce},
        {"SignatureVersion", "1.0"},
        {"TemplateCode", c->sms_template_code},
        {"TemplateParam", tps ? tps : "{}"},
        {"Timestamp", ts},
        {"Version", "2017-05-25"},
        {"Signature", ""},
    };
    size_t n = sizeof p / sizeof *p;
    char sig[32];
    char *body = NULL;
    if (!ow_aliyun_sign("POST", p, n - 1, c->sms_access_key_secret, sig, sizeof sig, NULL)) {
        p[n - 1].value = sig;
        body = ow_aliyun_query(p, n);
    }
    free(tps);
    return body;
}

int ex_sms_send(ow_exchange *x, CURL *curl, const ex_sms_row *row, ex_sms_outcome *out) {
    const ow_config *c = &x->app->cfg;
    out->delivered = out->give_up = false;
    out->answer = NULL;
    out->error[0] = '\0';
    char id[96];
    ex_sms_message_id(x->app, row->id, id, sizeof id);
    json_t *p = json_loads(row->payload, 0, NULL);
    const char *to = json_string_value(json_object_get(p, "to"));
    const char *text = json_string_value(json_object_get(p, "text"));
    if (!to || !text || !c->sms_gateway_url[0]) {
        out->give_up = !to || !text;
        snprintf(out->error, sizeof out->error, "%s",
                 out->give_up ? "payload without to/text" : "sms_gateway_url not set");
        json_decref(p);
        return OW_OK;
    }
    bool aliyun = !strcmp(c->sms_gateway_kind, "aliyun");
    char *body = NULL;
    struct curl_slist *hd = NULL;
    if (aliyun) {
        body = aliyun_body(x->app, to, text, id);
        hd = curl_slist_append(hd, "Content-Type: application/x-www-form-urlencoded");
    } else {
        json_t *o = json_pack("{s:s,s:s,s:s}", "to", to, "text", text, "id", id);
        body = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        hd = curl_slist_append(hd, "Content-Type: application/json");
    }
    json_decref(p);
    sms_resp *rs = calloc(1, sizeof *rs);
    if (!body || !rs) {
        free(body);
        free(rs);
        curl_slist_free_all(hd);
        snprintf(out->error, sizeof out->error, "out of memory");
        return OW_OK;
    }
    char err[CURL_ERROR_SIZE] = "";
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, c->sms_gateway_url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_sms_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, rs);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)c->sms_timeout_s);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_reset(curl);
    curl_slist_free_all(hd);
    free(body);
    json_t *ans = cc == CURLE_OK ? json_loads(rs->data, 0, NULL) : NULL;
    if (cc != CURLE_OK) {
        snprintf(out->error, sizeof out->error, "transport: %s",
                 err[0] ? err : curl_easy_strerror(cc));
    } else if (status >= 500 || status == 429 || status == 408) {
        snprintf(out->error, sizeof out->error, "HTTP %ld: %.200s", status, rs->data);
    } else if (status < 200 || status >= 300) {
        out->give_up = true;
        snprintf(out->error, sizeof out->error, "HTTP %ld: %.200s", status, rs->data);
    } else if (aliyun) {
        const char *code = json_string_value(json_object_get(ans, "Code"));
        if (code && !strcmp(code, "OK")) {
            out->delivered = true;
        } else {
            /* throttling and the provider's own trouble pass; a bad number, sign or
             * template does not */
            out->give_up =
                !code || !(strstr(code, "LIMIT_CONTROL") || strstr(code, "Throttling") ||
                           strstr(code, "ServiceUnavailable") || strstr(code, "InternalError"));
            snprintf(out->error, sizeof out->error, "%s: %.200s", code ? code : "no Code",
                     rs->data);
        }
    } else {
        out->delivered = true;
    }
    if (out->delivered) {
        json_t *rec = json_pack("{s:s,s:I,s:o}", "id", id, "status", (json_int_t)status, "answer",
                                ans ? json_incref(ans) : json_string(rs->data));
        out->answer = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(rec);
    }
    json_decref(ans);
    free(rs);
    return OW_OK;
}

bool ow_exchange_sms_delivered(const char *status) {
    static const char *const OK[] = {"delivered", "DELIVRD", "success", "0"};
    for (size_t i = 0; i < sizeof OK / sizeof *OK; i++)
        if (status && !strcasecmp(status, OK[i])) return true;
    return false;
}
