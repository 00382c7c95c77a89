/* exchange_int.h — shared by the exchange module's own files only. */
#ifndef OW_EXCHANGE_EXCHANGE_INT_H
#define OW_EXCHANGE_EXCHANGE_INT_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>

#include "app/app.h"
#include "exchange/exchange.h"

struct ow_exchange {
    ow_app *app;
    ow_ex_keyring keys; /* the last one signs */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, wake;
    atomic_llong sent, delivered, failed_attempts; /* since start, for the log line */
};

/* This instance's name in the exchange (exchange_instance, else region_code). */
const char *ex_instance(const ow_app *app);
bool ex_is_city(const ow_app *app);
/* The key that signs now. */
const ow_ex_key *ex_signing_key(const ow_exchange *x);
/* Append a log row (in cx's transaction). */
int ex_log(ow_ctx *cx, const char *direction, const char *peer, const char *message_id,
           const char *type, const char *status, const char *reason, const char *payload_hash,
           const char *payload, int64_t attempts);

/* The sender thread (sender.c). */
int ex_sender_start(ow_exchange *x, ow_err *e);
void ex_sender_stop(ow_exchange *x);

/* The SMS deliverer (sms.c): one outbox row of an "sms:" destination POSTed to the
 * gateway.  answer (malloc'ed JSON, the gateway's reply) when delivered. */
#define EX_SMS_PREFIX "sms:"
typedef struct ex_sms_row {
    int64_t id;
    const char *payload;
} ex_sms_row;
typedef struct ex_sms_outcome {
    bool delivered, give_up;
    char *answer;
    char error[400];
} ex_sms_outcome;
int ex_sms_send(ow_exchange *x, CURL *curl, const ex_sms_row *row, ex_sms_outcome *out);
/* The id an SMS row goes under on every attempt: "sms-<instance>-<row id>". */
void ex_sms_message_id(const ow_app *app, int64_t row_id, char *out, size_t size);

/* What the city does with a district's message (city.c), in the receiving transaction;
 * *known false for a type the city does not take. */
int ex_city_apply(ow_ctx *cx, const char *district, const char *type, const json_t *payload,
                  bool *known);
/* The city-wide figures: per district and the sum (GET /api/v1/exchange/city). */
int ex_city_stats(ow_ctx *cx, json_t **out);
/* The city's license index, of one district ("" all): {licenses:[…]} without the HMACs
 * (GET /api/v1/exchange/city/licenses). */
int ex_city_licenses(ow_ctx *cx, const char *district, json_t **out);

#endif
