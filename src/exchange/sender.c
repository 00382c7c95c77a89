/* sender.c — the thread that empties the outbox (docs/exchange.md "The outbox").
 *
 * Each round it reads, through its own read connection, the destinations with
 * undelivered rows, and for each the first OW_EX_BATCH_MAX rows in id order.  When the
 * first of them is not due yet (a backoff) the destination waits: rows of one
 * destination go in order, so the city never sees a case concluded before it was
 * accepted.  The batch is signed afresh (every attempt has its own `at`), POSTed with
 * libcurl on a kept-alive connection, and each answer settled on the writer in one job:
 * a receipt that verifies against the receiver's registered key and names our id and
 * payload hash marks the row delivered; a refusal that the other side can cure
 * (unknown sender or key, bad signature, stale timestamp) or a failed transport is an
 * attempt with exponential backoff, 1 s, 2 s, 4 s … up to exchange_retry_max_s; any
 * other refusal gives the row up until an administrator retries it.  The receiver
 * applies each id once, so a receipt lost on the way back only costs a duplicate.
 *
 * Every audit_anchor_interval_s it also queues the audit trail's head (audit.head) for
 * the city and drops the payloads of log rows older than the retention. */
#include <curl/curl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/log.h"
#include "exchange/exchange_int.h"
#include "store/exchange_store.h"

#define POLL_MS 200
#define POST_TIMEOUT_S 30
#define RESPONSE_MAX_BYTES (16 << 20)
#define DESTINATIONS_MAX 32

enum { OUT_DELIVERED, OUT_RETRY, OUT_GIVE_UP };

typedef struct attempt {
    ow_ex_out row;
    char message_id[80];
    int outcome;
    char *receipt; /* malloc'ed JSON when delivered */
    char error[400];
} attempt;

typedef struct round {
    ow_exchange *x;
    const char *destination;
    attempt *v;
    int n;
    int64_t now;
} round;

typedef struct resp {
    char *data;
    size_t len;
} resp;

static size_t on_data(char *p, size_t size, size_t n, void *arg) {
    resp *r = arg;
    size_t k = size * n;
    if (r->len + k > RESPONSE_MAX_BYTES) return 0;
    char *d = realloc(r->data, r->len + k + 1);
    if (!d) return 0;
    memcpy(d + r->len, p, k);
    r->len += k;
    d[r->len] = '\0';
    r->data = d;
    return k;
}

static int64_t backoff_ms(const ow_app *app, int64_t attempts) {
    int64_t max = (int64_t)app->cfg.exchange_retry_max_s * 1000;
    int64_t ms = attempts >= 20 ? max : (int64_t)1000 << attempts;
    return ms < max ? ms : max;
}

/* A refusal the receiving side can cure without us: keep trying. */
static bool curable(const char *code) {
    return !strcmp(code, "unknown_sender") || !strcmp(code, "unknown_key") ||
           !strcmp(code, "bad_signature") || !strcmp(code, "stale_timestamp") ||
           !strcmp(code, "internal") || !strcmp(code, "busy");
}

/* ---- settling the answers on the writer ---- */

static int settle_tx(ow_db *db, void *arg, ow_err *e) {
    round *r = arg;
    ow_arena *a = ow_arena_new(4096);
    ow_ctx cx;
    ow_ctx_init_system(&cx, r->x->app, db, a);
    int rc = OW_OK;
    for (int i = 0; i < r->n && !rc; i++) {
        attempt *t = &r->v[i];
        int64_t tries = t->row.attempts + 1;
        if (t->outcome == OUT_DELIVERED) {
            rc = ow_ex_store_out_delivered(db, t->row.id, r->now, t->receipt, &cx.err);
            if (!rc)
                rc = ex_log(&cx, "out", r->destination, t->message_id, t->row.type, "delivered", "",
                            t->row.payload_hash, t->row.payload, tries);
        } else {
            int64_t next =
                t->outcome == OUT_RETRY ? r->now + backoff_ms(r->x->app, t->row.attempts) : 0;
            rc = ow_ex_store_out_failed(db, t->row.id, r->now, t->error, next, &cx.err);
            if (!rc)
                rc = ex_log(&cx, "out", r->destination, t->message_id, t->row.type,
                            t->outcome == OUT_RETRY ? "retry" : "failed", t->error,
                            t->row.payload_hash, NULL, tries);
        }
    }
    if (rc) *e = cx.err;
    ow_arena_free(a);
    return rc;
}

/* ---- one answer ---- */

static void check_receipt(ow_exchange *x, ow_db *db, ow_arena *a, round *r, attempt *t,
                          const json_t *jr) {
    ow_ex_receipt rec;
    ow_err e = {0};
    if (ow_ex_receipt_parse(jr, &rec, &e)) {
        t->outcome = OUT_RETRY;
        snprintf(t->error, sizeof t->error, "bad receipt: %s", e.message);
        return;
    }
    ow_ex_peer peer;
    bool found = false;
    if (ow_ex_store_peer_key(db, a, r->destination, rec.key_id, rec.at, &peer, &found, &e) ||
        !found) {
        t->outcome = OUT_RETRY;
        snprintf(t->error, sizeof t->error, "receipt signed by unregistered key %s", rec.key_id);
        return;
    }
    unsigned char pk[32];
    size_t n = 0;
    if (sodium_hex2bin(pk, sizeof pk, peer.public_key, strlen(peer.public_key), NULL, &n, NULL) ||
        n != sizeof pk || !ow_ex_receipt_verify(&rec, pk)) {
        t->outcome = OUT_RETRY;
        snprintf(t->error, sizeof t->error, "receipt signature does not verify");
        return;
    }
    if (strcmp(rec.message_id, t->message_id) || strcmp(rec.payload_hash, t->row.payload_hash) ||
        strcmp(rec.sender, r->destination) || strcmp(rec.receiver, ex_instance(x->app)) ||
        (strcmp(rec.status, "applied") && strcmp(rec.status, "duplicate"))) {
        t->outcome = OUT_RETRY;
        snprintf(t->error, sizeof t->error, "receipt does not match the message");
        return;
    }
    t->outcome = OUT_DELIVERED;
    t->receipt = json_dumps(jr, JSON_COMPACT | JSON_SORT_KEYS);
}

/* ---- one destination's batch ---- */

static void send_batch(ow_exchange *x, CURL *curl, ow_db *db, ow_arena *a, round *r,
                       const ow_ex_peer *peer) {
    const char *me = ex_instance(x->app);
    json_t *msgs = json_array();
    for (int i = 0; i < r->n; i++) {
        attempt *t = &r->v[i];
        snprintf(t->message_id, sizeof t->message_id, "%s-%012" PRId64, me, t->row.id);
        t->outcome = OUT_RETRY;
        json_t *payload = json_loads(t->row.payload, 0, NULL);
        ow_ex_envelope env = {.id = t->message_id,
                              .sender = me,
                              .receiver = r->destination,
                              .at = r->now,
                              .type = t->row.type,
                              .payload = payload};
        json_t *wire = NULL;
        ow_err e = {0};
        if (!payload || ow_ex_sign(&env, ex_signing_key(x), &wire, &e)) {
            t->outcome = OUT_GIVE_UP; /* a row we wrote ourselves that no longer signs */
            snprintf(t->error, sizeof t->error, "cannot sign: %s", payload ? e.message : "json");
        } else {
            json_array_append_new(msgs, wire);
        }
        json_decref(payload);
    }
    json_t *body = json_pack("{s:o}", "messages", msgs);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    char url[600], err[CURL_ERROR_SIZE] = "";
    snprintf(url, sizeof url, "%s/api/v1/exchange/messages", peer->url);
    resp rs = {0};
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, text);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &rs);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)POST_TIMEOUT_S);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hd);
    free(text);
    json_t *answer = cc == CURLE_OK && rs.data ? json_loads(rs.data, 0, NULL) : NULL;
    json_t *results = json_object_get(answer, "results");
    if (!json_is_array(results)) {
        const char *why = cc != CURLE_OK ? (err[0] ? err : curl_easy_strerror(cc)) : NULL;
        for (int i = 0; i < r->n; i++) {
            if (r->v[i].outcome == OUT_GIVE_UP) continue;
            if (why)
                snprintf(r->v[i].error, sizeof r->v[i].error, "transport: %s", why);
            else
                snprintf(r->v[i].error, sizeof r->v[i].error, "HTTP %ld without results", status);
        }
    } else {
        size_t k;
        json_t *res;
        json_array_foreach(results, k, res) {
            const char *id = json_string_value(json_object_get(res, "id"));
            attempt *t = NULL;
            for (int i = 0; id && i < r->n && !t; i++)
                if (!strcmp(r->v[i].message_id, id)) t = &r->v[i];
            if (!t || t->outcome == OUT_GIVE_UP) continue;
            json_t *jr = json_object_get(res, "receipt");
            if (jr) {
                check_receipt(x, db, a, r, t, jr);
            } else {
                json_t *er = json_object_get(res, "error");
                const char *code = json_string_value(json_object_get(er, "code"));
                const char *msg = json_string_value(json_object_get(er, "message"));
                t->outcome = code && !curable(code) ? OUT_GIVE_UP : OUT_RETRY;
                snprintf(t->error, sizeof t->error, "%s: %s", code ? code : "refused",
                         msg ? msg : "");
            }
        }
        for (int i = 0; i < r->n; i++)
            if (r->v[i].outcome == OUT_RETRY && !r->v[i].error[0])
                snprintf(r->v[i].error, sizeof r->v[i].error, "no answer for this message");
    }
    json_decref(answer);
    free(rs.data);
}

/* One round over every destination; true when a batch was full (more may be waiting). */
static bool deliver_round(ow_exchange *x, CURL *curl, ow_db *db) {
    ow_app *app = x->app;
    ow_arena *a = ow_arena_new(1 << 16);
    ow_err e = {0};
    const char *dest[DESTINATIONS_MAX];
    int nd = 0;
    bool more = false;
    if (ow_ex_store_out_destinations(db, a, dest, DESTINATIONS_MAX, &nd, &e)) {
        ow_log_warn("exchange: outbox not readable", "\"message\":\"%s\"", e.message);
        nd = 0;
    }
    for (int d = 0; d < nd; d++) {
        round r = {.x = x, .destination = dest[d], .now = ow_clock_now_ms(&app->clock)};
        ow_ex_out rows[OW_EX_BATCH_MAX];
        int n = 0;
        if (ow_ex_store_out_head(db, a, dest[d], OW_EX_BATCH_MAX, rows, &n, &e) || !n) continue;
        if (rows[0].next_at > r.now) continue; /* backing off */
        attempt *v = calloc((size_t)n, sizeof *v);
        if (!v) break;
        for (int i = 0; i < n; i++)
            v[i].row = rows[i];
        r.v = v;
        r.n = n;
        ow_ex_peer peer;
        bool found = false;
        if (!strncmp(dest[d], EX_SMS_PREFIX, strlen(EX_SMS_PREFIX))) {
            /* one SMS at a time, in order: a held row holds the number's later ones */
            r.n = n = 1;
            ex_sms_outcome o;
            ex_sms_send(x, curl, &(ex_sms_row){.id = v[0].row.id, .payload = v[0].row.payload}, &o);
            ex_sms_message_id(app, v[0].row.id, v[0].message_id, sizeof v[0].message_id);
            v[0].outcome = o.delivered ? OUT_DELIVERED : o.give_up ? OUT_GIVE_UP : OUT_RETRY;
            v[0].receipt = o.answer;
            snprintf(v[0].error, sizeof v[0].error, "%s", o.error);
        } else if (ow_ex_store_peer_current(db, a, dest[d], &peer, &found, &e) || !found) {
            for (int i = 0; i < n; i++) {
                snprintf(v[i].message_id, sizeof v[i].message_id, "%s-%012" PRId64,
                         ex_instance(app), v[i].row.id);
                v[i].outcome = OUT_RETRY;
                snprintf(v[i].error, sizeof v[i].error, "destination %s is not a registered peer",
                         dest[d]);
            }
        } else {
            send_batch(x, curl, db, a, &r, &peer);
        }
        int delivered = 0;
        for (int i = 0; i < n; i++)
            delivered += v[i].outcome == OUT_DELIVERED;
        atomic_fetch_add(&x->sent, n);
        atomic_fetch_add(&x->delivered, delivered);
        atomic_fetch_add(&x->failed_attempts, n - delivered);
        if (ow_writer_run(app->writer, settle_tx, &r, &e))
            ow_log_error("exchange: outcome not recorded", "\"message\":\"%s\"", e.message);
        else if (delivered == n && n == OW_EX_BATCH_MAX)
            more = true;
        for (int i = 0; i < n; i++)
            free(v[i].receipt);
        free(v);
    }
    ow_arena_free(a);
    return more;
}

/* ---- the hourly work ---- */

static int hourly_tx(ow_db *db, void *arg, ow_err *e) {
    ow_exchange *x = arg;
    ow_app *app = x->app;
    ow_arena *a = ow_arena_new(4096);
    ow_ctx cx;
    ow_ctx_init_system(&cx, app, db, a);
    int64_t now = ow_clock_now_ms(&app->clock), pruned = 0;
    int rc = ow_ex_store_log_prune(
        db, now - (int64_t)app->cfg.exchange_log_retention_days * 86400 * 1000, &pruned, e);
    if (!rc && app->cfg.exchange_city[0] && !ex_is_city(app)) {
        int64_t seq;
        char hash[65];
        rc = ow_audit_head(db, &seq, hash, e);
        if (!rc) {
            json_t *p = json_pack("{s:I,s:s,s:I}", "seq", (json_int_t)seq, "hash", hash, "at",
                                  (json_int_t)now);
            rc = ow_exchange_outbox_put(&cx, app->cfg.exchange_city, "audit.head", p);
            json_decref(p);
            if (rc) *e = cx.err;
        }
    }
    ow_arena_free(a);
    return rc;
}

static void *sender_main(void *arg) {
    ow_exchange *x = arg;
    ow_app *app = x->app;
    ow_err e = {0};
    ow_db *db = NULL;
    CURL *curl = curl_easy_init();
    int64_t next_hourly = 0;
    pthread_mutex_lock(&x->mu);
    while (!x->stop) {
        pthread_mutex_unlock(&x->mu);
        bool more = false;
        if (!db && ow_db_open(app->db_path, OW_DB_READ, &db, &e)) {
            ow_log_error("exchange: cannot open the database", "\"message\":\"%s\"", e.message);
            db = NULL;
        }
        if (db && curl) {
            int64_t now = ow_clock_now_ms(&app->clock);
            if (now >= next_hourly) {
                if (ow_writer_run(app->writer, hourly_tx, x, &e))
                    ow_log_error("exchange: hourly work failed", "\"message\":\"%s\"", e.message);
                next_hourly = now + (int64_t)app->cfg.audit_anchor_interval_s * 1000;
            }
            more = deliver_round(x, curl, db);
        }
        pthread_mutex_lock(&x->mu);
        if (more || x->stop) continue;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)POLL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!x->stop && !x->wake && pthread_cond_timedwait(&x->cv, &x->mu, &until) == 0) {
        }
        x->wake = false;
    }
    pthread_mutex_unlock(&x->mu);
    if (curl) curl_easy_cleanup(curl);
    if (db) ow_db_close(db);
    return NULL;
}

int ex_sender_start(ow_exchange *x, ow_err *e) {
    if (pthread_create(&x->th, NULL, sender_main, x))
        return ow_err_set(e, OW_EINTERNAL, "", "无法启动交换发送线程");
    return OW_OK;
}

void ex_sender_stop(ow_exchange *x) {
    pthread_mutex_lock(&x->mu);
    x->stop = true;
    pthread_cond_signal(&x->cv);
    pthread_mutex_unlock(&x->mu);
    pthread_join(x->th, NULL);
    ow_log_info("exchange sender stopped", "\"sent\":%lld,\"delivered\":%lld,\"failed\":%lld",
                (long long)atomic_load(&x->sent), (long long)atomic_load(&x->delivered),
                (long long)atomic_load(&x->failed_attempts));
}
