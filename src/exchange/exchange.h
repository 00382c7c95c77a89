/* exchange.h — the exchange with the city platform (issue 19, docs/exchange.md).
 *
 * Three parts: the protocol (the envelope's canonical form, Ed25519 signatures and
 * receipts: pure functions, protocol.c), the outbox and its sender thread (outbox.c,
 * sender.c: a generic queue of typed messages to a destination, written in the
 * transaction of the change that causes the message), and the receiver (receive.c:
 * the checks of docs/exchange.md, each message applied once; city.c: what the city
 * does with what districts send).
 *
 * The module sits above cases, audit and the store and nothing includes it: src/main.c
 * composes it (ow_exchange_setup registers its followers, ow_exchange_start its sender),
 * like hall/ and assessment/. */
#ifndef OW_EXCHANGE_EXCHANGE_H
#define OW_EXCHANGE_EXCHANGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

#define OW_EX_VERSION 1
#define OW_EX_KEY_ID_CHARS 16
#define OW_EX_BATCH_MAX 100 /* messages in one POST */
#define OW_EX_INSTANCE_MAX_BYTES 32
#define OW_EX_TYPE_MAX_BYTES 48
#define OW_EX_KEY_FILE "exchange.key"

/* ---- keys ---- */

typedef struct ow_ex_key {
    char key_id[OW_EX_KEY_ID_CHARS + 1];
    unsigned char pk[32], sk[64];
    int64_t created_at;
} ow_ex_key;

/* The instance's keys in DATA_DIR/exchange.key, newest last (a rotation appends one).
 * Created with one key when absent (mode 0600, like secret.key). */
typedef struct ow_ex_keyring {
    ow_ex_key v[8];
    int n;
} ow_ex_keyring;

int ow_ex_keys_load(const char *data_dir, bool create, int64_t now_ms, ow_ex_keyring *out,
                    ow_err *e);
/* Append a new key; the old ones stay (they still verify receipts during the grace). */
int ow_ex_keys_rotate(const char *data_dir, int64_t now_ms, ow_ex_keyring *ring, ow_err *e);
/* The key id of a public key: the first 16 hex digits of its SHA-256. */
void ow_ex_key_id(const unsigned char pk[32], char out[OW_EX_KEY_ID_CHARS + 1]);

/* ---- the protocol (protocol.c) ---- */

/* The payload's canonical JSON (compact, sorted keys) and its SHA-256 hex; OW_EINVAL
 * naming "payload" when it holds a real number (docs/exchange.md "The canonical form").
 * *canon is malloc'ed. */
int ow_ex_payload_canon(const json_t *payload, char **canon, char hash[65], ow_err *e);

typedef struct ow_ex_envelope {
    const char *id, *sender, *receiver, *type, *key_id, *sig;
    int64_t at;
    const json_t *payload; /* borrowed */
    char payload_hash[65];
} ow_ex_envelope;

/* Sign env (every field but sig set, payload_hash computed by the call) with key; the
 * wire object (new reference) in *out. */
int ow_ex_sign(ow_ex_envelope *env, const ow_ex_key *key, json_t **out, ow_err *e);
/* Parse a wire envelope into env (borrowing from o), checking every field's type;
 * OW_EINVAL naming the field.  The signature is not checked here. */
int ow_ex_parse(const json_t *o, ow_ex_envelope *env, ow_err *e);
/* Whether env's signature verifies with pk. */
bool ow_ex_verify(const ow_ex_envelope *env, const unsigned char pk[32]);

typedef struct ow_ex_receipt {
    const char *message_id, *sender, *receiver, *status, *payload_hash, *key_id, *sig;
    int64_t at;
} ow_ex_receipt;
/* Sign a receipt (sig ignored) as a wire object. */
json_t *ow_ex_receipt_sign(const ow_ex_receipt *r, const ow_ex_key *key);
int ow_ex_receipt_parse(const json_t *o, ow_ex_receipt *r, ow_err *e);
bool ow_ex_receipt_verify(const ow_ex_receipt *r, const unsigned char pk[32]);

/* ---- the e-license hub's fields (protocol.c; docs/exchange.md "The e-license hub") ---- */

/* The holder's number as it travels: lower-case hex HMAC-SHA256 of the number (its
 * letters upper-cased, as an ID number's X is) under the city-wide key, 64 hex digits.
 * OW_EINVAL naming "exchange_holder_key" when the key is not 64 hex digits. */
int ow_ex_holder_hmac(const char *key_hex, const char *number, char out[65], ow_err *e);

/* The certificate's hash: lower-case hex SHA-256 over the lines "ow-license-1", number,
 * type, holder_kind, holder_masked, issuer, issued_date, valid_until ("" long-term),
 * doc_code, data (its JSON text as stored), each ended by "\n". */
typedef struct ow_ex_license_fields {
    const char *number, *type, *holder_kind, *holder_masked, *issuer, *issued_date, *valid_until,
        *doc_code, *data;
} ow_ex_license_fields;
void ow_ex_license_hash(const ow_ex_license_fields *l, char out[65]);

/* ---- the outbox (outbox.c) ---- */

/* Queue a message of `type` with `payload` (borrowed) to `destination`, in the caller's
 * transaction (cx->db is the writer's).  OW_EINVAL for a payload with a real number. */
int ow_exchange_outbox_put(ow_ctx *cx, const char *destination, const char *type,
                           const json_t *payload);

/* The same, held until not_before (UTC ms): the sender leaves it, and the destination's
 * later rows, until then.  *id (unless NULL): the row's id. */
int ow_exchange_outbox_put_at(ow_ctx *cx, const char *destination, const char *type,
                              const json_t *payload, int64_t not_before, int64_t *id);
/* Whether an SMS delivery report's status says the phone got it: "delivered", the
 * carriers' "DELIVRD", Aliyun's "DELIVERED" or "success", "0" (any case); anything else
 * (UNDELIV, EXPIRED, REJECTD, an error code) is a failure. */
bool ow_exchange_sms_delivered(const char *status);
/* The instants at or after since the destination's rows went or are to go, ascending
 * (at most max, the last ones): what a rate limit counts. */
int ow_exchange_outbox_times(ow_ctx *cx, const char *destination, int64_t since, int64_t *out,
                             int max, int *n);

typedef struct ow_exchange_stats {
    int64_t depth;        /* undelivered, not given up */
    int64_t oldest_ms;    /* age of the oldest undelivered row, 0 when none */
    int64_t failing;      /* undelivered rows that failed at least once */
    int64_t given_up;     /* refused for good, waiting for an administrator */
    int64_t delivered;    /* delivered, all time */
    int64_t max_attempts; /* the most attempts any undelivered row has had */
} ow_exchange_stats;
int ow_exchange_outbox_stats(ow_ctx *cx, ow_exchange_stats *out);

/* ---- composition (exchange.c) ---- */

/* Register the followers (cases) when this instance is a district joined to a city
 * (exchange_city set), and check the settings.  Before any command runs. */
int ow_exchange_setup(ow_app *app, ow_err *e);
/* Load the keys and start the sender thread (serve only). */
typedef struct ow_exchange ow_exchange;
int ow_exchange_start(ow_app *app, ow_exchange **out, ow_err *e);
void ow_exchange_stop(ow_exchange *x);

/* The health answer's details (system.h's health reporters): the outbox's figures. */
json_t *ow_exchange_health(ow_ctx *cx);

/* ---- the receiver (receive.c) ---- */

/* Take one POSTed body ({"messages":[…]}) on the writer: each message checked, logged,
 * applied once, answered in *results (one object per message: {"id","receipt"} or
 * {"id","error":{code,field,message}}) in order; *status is 200 when every message got
 * a receipt, else the first refusal's status.  OW_EINVAL only when the body is not a
 * batch at all. */
int ow_exchange_receive(ow_ctx *cx, const json_t *body, json_t **results, int *status);

/* ---- CLI (exchange.c) ---- */

/* onewindow exchange key [--rotate] | peer add … | peers: the command's exit code. */
int ow_exchange_cli(ow_app *app, int argc, char **argv);

#endif
