/* test_exchange.c — src/exchange: the envelope's canonical form and signature, receipts,
 * the instance's key file, and the receiver's checks on a real database (SQLite, and
 * PostgreSQL as test_exchange_postgres):
 *   - a signed envelope verifies, and a change to any signed field or one character of
 *     the payload does not; key order and whitespace of the payload do not matter;
 *   - a payload with a real number is refused (it has no canonical form);
 *   - receipts verify and a changed status does not;
 *   - the key file is created 0600, refused when others may read it, rotated by
 *     appending, and the key id is the SHA-256 prefix of the public key;
 *   - the receiver applies a message once: the same bytes again are a replay, the same id
 *     with another payload is a replay, a retry signed later is a duplicate; an unknown
 *     sender, a bad signature and a stale timestamp are refused and every message is in
 *     the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "core/clock.h"
#include "core/log.h"
#include "exchange/exchange.h"
#include "exchange/exchange_int.h"
#include "store/db.h"
#include "store/exchange_store.h"
#include "testdb.h"

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static ow_ex_key make_key(void) {
    ow_ex_key k = {0};
    crypto_sign_keypair(k.pk, k.sk);
    ow_ex_key_id(k.pk, k.key_id);
    return k;
}

static json_t *payload(void) {
    return json_pack("{s:s,s:i,s:{s:s},s:[i,i]}", "case_no", "430903-20261124-00001", "overdue", 0,
                     "nested", "名称", "测试", "list", 1, 2);
}

static json_t *signed_env(const ow_ex_key *k, const char *id, int64_t at, json_t *p) {
    ow_ex_envelope env = {.id = id,
                          .sender = "430903",
                          .receiver = "4309",
                          .at = at,
                          .type = "case.accepted",
                          .payload = p};
    json_t *wire = NULL;
    ow_err e = {0};
    assert_int_equal(ow_ex_sign(&env, k, &wire, &e), OW_OK);
    return wire;
}

static bool verifies(const json_t *wire, const unsigned char pk[32]) {
    ow_ex_envelope env;
    ow_err e = {0};
    if (ow_ex_parse(wire, &env, &e)) return false;
    return ow_ex_verify(&env, pk);
}

static void a_signed_envelope_verifies_and_any_change_breaks_it(void **state) {
    (void)state;
    ow_ex_key k = make_key(), other = make_key();
    json_t *p = payload();
    json_t *w = signed_env(&k, "430903-000000000001", 1795914000000, p);
    assert_true(verifies(w, k.pk));
    assert_false(verifies(w, other.pk));
    const char *fields[] = {"id", "sender", "receiver", "type"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        json_t *c = json_deep_copy(w);
        const char *v = json_string_value(json_object_get(c, fields[i]));
        char *changed = strdup(v);
        changed[strlen(changed) - 1] ^= 1;
        json_object_set_new(c, fields[i], json_string(changed));
        free(changed);
        assert_false(verifies(c, k.pk));
        json_decref(c);
    }
    json_t *c = json_deep_copy(w);
    json_object_set_new(c, "at", json_integer(1795914000001));
    assert_false(verifies(c, k.pk));
    json_decref(c);
    /* one character of the payload */
    c = json_deep_copy(w);
    json_object_set_new(json_object_get(c, "payload"), "case_no",
                        json_string("430903-20261124-00002"));
    assert_false(verifies(c, k.pk));
    json_decref(c);
    /* a signature from another key under this key's id */
    json_t *w2 = signed_env(&other, "430903-000000000001", 1795914000000, p);
    c = json_deep_copy(w);
    json_object_set(c, "sig", json_object_get(w2, "sig"));
    assert_false(verifies(c, k.pk));
    json_decref(c);
    json_decref(w2);
    json_decref(w);
    json_decref(p);
}

static void the_canonical_form_ignores_key_order_and_whitespace(void **state) {
    (void)state;
    ow_ex_key k = make_key();
    json_t *p = payload();
    json_t *w = signed_env(&k, "430903-000000000007", 1795914000000, p);
    /* the same envelope as another JSON writer would send it */
    char *text = json_dumps(w, JSON_INDENT(3) | JSON_PRESERVE_ORDER);
    json_t *re = json_loads(text, 0, NULL);
    json_t *rp = json_pack("{s:[i,i],s:{s:s},s:i,s:s}", "list", 1, 2, "nested", "名称", "测试",
                           "overdue", 0, "case_no", "430903-20261124-00001");
    json_object_set_new(re, "payload", rp);
    assert_true(verifies(re, k.pk));
    /* and the hash is SHA-256 of the compact, key-sorted text */
    char *canon, hash[65];
    ow_err e = {0};
    assert_int_equal(ow_ex_payload_canon(rp, &canon, hash, &e), OW_OK);
    assert_string_equal(canon, "{\"case_no\":\"430903-20261124-00001\",\"list\":[1,2],"
                               "\"nested\":{\"名称\":\"测试\"},\"overdue\":0}");
    unsigned char h[32];
    char want[65];
    crypto_hash_sha256(h, (const unsigned char *)canon, strlen(canon));
    sodium_bin2hex(want, sizeof want, h, sizeof h);
    assert_string_equal(hash, want);
    free(canon);
    free(text);
    json_decref(re);
    json_decref(w);
    json_decref(p);
}

static void a_real_number_or_a_control_character_is_refused(void **state) {
    (void)state;
    char *canon, hash[65];
    ow_err e = {0};
    json_t *p = json_pack("{s:{s:f}}", "x", "rate", 0.5);
    assert_int_equal(ow_ex_payload_canon(p, &canon, hash, &e), OW_EINVAL);
    assert_string_equal(e.kind, "payload_number");
    json_decref(p);
    ow_ex_key k = make_key();
    json_t *q = payload();
    json_t *w = signed_env(&k, "430903-000000000001", 1795914000000, q);
    json_object_set_new(w, "type", json_string("case.accepted\nforged"));
    ow_ex_envelope env;
    assert_int_equal(ow_ex_parse(w, &env, &e), OW_EINVAL);
    assert_string_equal(e.field, "type");
    json_decref(w);
    json_decref(q);
}

static void receipts_verify_and_a_changed_status_does_not(void **state) {
    (void)state;
    ow_ex_key k = make_key();
    ow_ex_receipt r = {.message_id = "430903-000000000001",
                       .sender = "4309",
                       .receiver = "430903",
                       .at = 1795914000123,
                       .status = "applied",
                       .payload_hash = "ab"};
    json_t *w = ow_ex_receipt_sign(&r, &k);
    ow_ex_receipt back;
    ow_err e = {0};
    assert_int_equal(ow_ex_receipt_parse(w, &back, &e), OW_OK);
    assert_string_equal(back.key_id, k.key_id);
    assert_true(ow_ex_receipt_verify(&back, k.pk));
    back.status = "duplicate";
    assert_false(ow_ex_receipt_verify(&back, k.pk));
    json_decref(w);
}

static void the_key_file_is_private_rotates_and_names_its_keys(void **state) {
    (void)state;
    char dir[] = "/tmp/ow-test-exkeys.XXXXXX";
    assert_non_null(mkdtemp(dir));
    ow_ex_keyring ring, again;
    ow_err e = {0};
    assert_int_equal(ow_ex_keys_load(dir, false, 1, &ring, &e), OW_ENOTFOUND);
    assert_int_equal(ow_ex_keys_load(dir, true, 1, &ring, &e), OW_OK);
    assert_int_equal(ring.n, 1);
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, OW_EX_KEY_FILE);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, ring.v[0].pk, 32);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    assert_memory_equal(ring.v[0].key_id, hex, OW_EX_KEY_ID_CHARS);
    assert_int_equal(ow_ex_keys_load(dir, true, 2, &again, &e), OW_OK);
    assert_memory_equal(again.v[0].sk, ring.v[0].sk, 64); /* loaded, not made again */
    assert_int_equal(ow_ex_keys_rotate(dir, 3, &again, &e), OW_OK);
    assert_int_equal(again.n, 2);
    assert_memory_equal(again.v[0].sk, ring.v[0].sk, 64);
    assert_string_not_equal(again.v[1].key_id, ring.v[0].key_id);
    chmod(path, 0644);
    assert_int_equal(ow_ex_keys_load(dir, false, 4, &again, &e), OW_EINVAL);
    assert_string_equal(e.field, "exchange_key");
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* ---- the receiver on a database ---- */

typedef struct fixture {
    char dir[64];
    ow_app app;
    ow_exchange x;
    ow_db *db;
    ow_arena *arena;
    ow_ex_key district;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-test-exchange.XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    ow_config cfg;
    ow_config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", f->dir);
    snprintf(cfg.instance_role, sizeof cfg.instance_role, "city");
    snprintf(cfg.exchange_instance, sizeof cfg.exchange_instance, "4309");
    if (ow_test_database(&cfg)) return -1;
    ow_app_init(&f->app, &cfg);
    ow_err e = {0};
    if (ow_app_load_keys(&f->app, true, &e)) return -1;
    if (ow_ex_keys_load(f->dir, true, 1, &f->x.keys, &e)) return -1;
    f->x.app = &f->app;
    f->app.exchange = &f->x;
    if (ow_db_open(f->app.db_path, OW_DB_WRITE, &f->db, &e)) return -1;
    int applied;
    if (ow_db_migrate(f->db, &applied, &e)) return -1;
    f->arena = ow_arena_new(4096);
    f->district = make_key();
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, f->district.pk, 32);
    ow_ex_peer p = {.instance = "430903",
                    .name = "赫山区",
                    .role = "district",
                    .url = "http://127.0.0.1:1",
                    .key_id = f->district.key_id,
                    .public_key = hex,
                    .added_at = 1};
    if (ow_ex_store_peer_put(f->db, &p, 0, &e)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    ow_db_close(f->db);
    ow_app_close(&f->app);
    ow_arena_free(f->arena);
    nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* One batch of one message through the receiver in a transaction: the result object
 * (a new reference) and the status. */
static json_t *receive(fixture *f, json_t *msg, int *status) {
    ow_ctx cx;
    ow_ctx_init_system(&cx, &f->app, f->db, f->arena);
    json_t *body = json_pack("{s:[O]}", "messages", msg);
    json_t *results = NULL;
    ow_err e = {0};
    assert_int_equal(ow_db_begin(f->db, &e), OW_OK);
    assert_int_equal(ow_db_savepoint(f->db, &e), OW_OK); /* as the writer runs a job */
    assert_int_equal(ow_exchange_receive(&cx, body, &results, status), OW_OK);
    assert_int_equal(ow_db_release(f->db, &e), OW_OK);
    assert_int_equal(ow_db_commit(f->db, &e), OW_OK);
    json_decref(body);
    json_t *r = json_incref(json_array_get(results, 0));
    json_decref(results);
    return r;
}

static const char *code_of(json_t *r) {
    return json_string_value(json_object_get(json_object_get(r, "error"), "code"));
}

static const char *receipt_status(json_t *r) {
    return json_string_value(json_object_get(json_object_get(r, "receipt"), "status"));
}

static json_t *case_payload(const char *case_no) {
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i}", "case_no", case_no, "item_code",
                     "T-1", "item_name", "测试", "state", "review", "result", "", "applicant_type",
                     "person", "applicant_masked", "4309**********0011", "accepted_date",
                     "2026-11-24", "due_date", "2026-12-01", "overdue", 0);
}

static int64_t count_cases(fixture *f) {
    ow_stmt *st = ow_db_stmt(f->db, "SELECT COUNT(*) FROM exchange_city_cases", NULL);
    assert_int_equal(ow_step(st), OW_ROW);
    int64_t n = ow_col_int64(st, 0);
    ow_reset(st);
    return n;
}

static void each_message_is_applied_once_and_replays_are_refused(void **state) {
    fixture *f = *state;
    int64_t now = ow_clock_now_ms(&f->app.clock);
    json_t *p = case_payload("430903-20261124-00001");
    json_t *m = signed_env(&f->district, "430903-000000000001", now, p);
    int status;
    json_t *r = receive(f, m, &status);
    assert_int_equal(status, 200);
    assert_string_equal(receipt_status(r), "applied");
    /* the receipt is the city's */
    ow_ex_receipt rec;
    ow_err e = {0};
    assert_int_equal(ow_ex_receipt_parse(json_object_get(r, "receipt"), &rec, &e), OW_OK);
    assert_true(ow_ex_receipt_verify(&rec, f->x.keys.v[0].pk));
    json_decref(r);
    assert_int_equal(count_cases(f), 1);

    /* the same bytes again: a replay */
    r = receive(f, m, &status);
    assert_int_equal(status, 409);
    assert_string_equal(code_of(r), "replayed_id");
    json_decref(r);
    /* the same id, another payload */
    json_t *p2 = case_payload("430903-20261124-00099");
    json_t *m2 = signed_env(&f->district, "430903-000000000001", now + 1, p2);
    r = receive(f, m2, &status);
    assert_string_equal(code_of(r), "replayed_id");
    json_decref(r);
    /* the sender's retry, signed later: a duplicate, not applied again */
    json_t *m3 = signed_env(&f->district, "430903-000000000001", now + 2, p);
    r = receive(f, m3, &status);
    assert_int_equal(status, 200);
    assert_string_equal(receipt_status(r), "duplicate");
    json_decref(r);
    assert_int_equal(count_cases(f), 1);
    /* and that retry's bytes again are a replay */
    r = receive(f, m3, &status);
    assert_string_equal(code_of(r), "replayed_id");
    json_decref(r);

    /* the log: applied, refused ×2, duplicate, refused */
    ow_ex_log_filter lf = {.message_id = "430903-000000000001"};
    int64_t total;
    assert_int_equal(ow_ex_store_log_count(f->db, &lf, &total, &e), OW_OK);
    assert_int_equal(total, 5);
    json_decref(m);
    json_decref(m2);
    json_decref(m3);
    json_decref(p);
    json_decref(p2);
}

static void strangers_bad_signatures_and_stale_times_are_refused(void **state) {
    fixture *f = *state;
    int64_t now = ow_clock_now_ms(&f->app.clock);
    json_t *p = case_payload("430903-20261124-00002");
    int status;
    /* unknown sender */
    ow_ex_key stranger = make_key();
    ow_ex_envelope env = {.id = "439999-000000000001",
                          .sender = "439999",
                          .receiver = "4309",
                          .at = now,
                          .type = "case.accepted",
                          .payload = p};
    json_t *w = NULL;
    ow_err e = {0};
    assert_int_equal(ow_ex_sign(&env, &stranger, &w, &e), OW_OK);
    json_t *r = receive(f, w, &status);
    assert_int_equal(status, 403);
    assert_string_equal(code_of(r), "unknown_sender");
    json_decref(r);
    json_decref(w);
    /* a known sender, another key: unknown key; with its key id, a bad signature */
    json_t *m = signed_env(&stranger, "430903-000000000002", now, p);
    r = receive(f, m, &status);
    assert_string_equal(code_of(r), "unknown_key");
    json_decref(r);
    json_object_set_new(m, "key_id", json_string(f->district.key_id));
    r = receive(f, m, &status);
    assert_int_equal(status, 403);
    assert_string_equal(code_of(r), "bad_signature");
    json_decref(r);
    json_decref(m);
    /* stale: beyond exchange_max_skew_s either way */
    int64_t skew = (int64_t)f->app.cfg.exchange_max_skew_s * 1000;
    m = signed_env(&f->district, "430903-000000000003", now - skew - 5000, p);
    r = receive(f, m, &status);
    assert_int_equal(status, 409);
    assert_string_equal(code_of(r), "stale_timestamp");
    json_decref(r);
    json_decref(m);
    m = signed_env(&f->district, "430903-000000000004", now + skew + 5000, p);
    r = receive(f, m, &status);
    assert_string_equal(code_of(r), "stale_timestamp");
    json_decref(r);
    json_decref(m);
    /* a type the city does not take: refused, nothing recorded as applied */
    ow_ex_envelope t = {.id = "430903-000000000005",
                        .sender = "430903",
                        .receiver = "4309",
                        .at = now,
                        .type = "weather.report",
                        .payload = p};
    assert_int_equal(ow_ex_sign(&t, &f->district, &w, &e), OW_OK);
    r = receive(f, w, &status);
    assert_int_equal(status, 422);
    assert_string_equal(code_of(r), "unknown_type");
    json_decref(r);
    json_decref(w);
    assert_int_equal(count_cases(f), 0);
    ow_ex_log_filter lf = {.status = "refused"};
    int64_t total;
    assert_int_equal(ow_ex_store_log_count(f->db, &lf, &total, &e), OW_OK);
    assert_int_equal(total, 6);
    json_decref(p);
}

/* The outbox's rows through their life: queued in order, a failed attempt backs off, a
 * refusal gives up, an administrator's retry queues again, a receipt delivers; the
 * figures follow (the SQL on both backends). */
static void the_outbox_queues_backs_off_gives_up_and_delivers(void **state) {
    fixture *f = *state;
    ow_ctx cx;
    ow_ctx_init_system(&cx, &f->app, f->db, f->arena);
    ow_err e = {0};
    assert_int_equal(ow_db_begin(f->db, &e), OW_OK);
    for (int i = 0; i < 3; i++) {
        json_t *p = json_pack("{s:i}", "n", i);
        assert_int_equal(ow_exchange_outbox_put(&cx, "4309", "test.n", p), OW_OK);
        json_decref(p);
    }
    json_t *real = json_pack("{s:f}", "x", 1.5);
    assert_int_equal(ow_exchange_outbox_put(&cx, "4309", "test.n", real), OW_EINVAL);
    json_decref(real);
    assert_int_equal(ow_db_commit(f->db, &e), OW_OK);

    const char *dest[4];
    int nd;
    assert_int_equal(ow_ex_store_out_destinations(f->db, f->arena, dest, 4, &nd, &e), OW_OK);
    assert_int_equal(nd, 1);
    assert_string_equal(dest[0], "4309");
    ow_ex_out rows[8];
    int n;
    assert_int_equal(ow_ex_store_out_head(f->db, f->arena, "4309", 8, rows, &n, &e), OW_OK);
    assert_int_equal(n, 3);
    assert_true(rows[0].id < rows[1].id && rows[1].id < rows[2].id);
    assert_string_equal(rows[1].payload, "{\"n\":1}");
    ow_exchange_stats s;
    assert_int_equal(ow_exchange_outbox_stats(&cx, &s), OW_OK);
    assert_int_equal(s.depth, 3);
    assert_int_equal(s.failing, 0);

    int64_t now = ow_clock_now_ms(&f->app.clock);
    assert_int_equal(ow_db_begin(f->db, &e), OW_OK);
    /* the first: a failed attempt, next in 1 s; the second: refused for good */
    assert_int_equal(ow_ex_store_out_failed(f->db, rows[0].id, now, "transport", now + 1000, &e),
                     OW_OK);
    assert_int_equal(ow_ex_store_out_failed(f->db, rows[1].id, now, "replayed_id", 0, &e), OW_OK);
    assert_int_equal(ow_ex_store_out_delivered(f->db, rows[2].id, now, "{}", &e), OW_OK);
    assert_int_equal(ow_db_commit(f->db, &e), OW_OK);
    assert_int_equal(ow_exchange_outbox_stats(&cx, &s), OW_OK);
    assert_int_equal(s.depth, 1);
    assert_int_equal(s.failing, 1);
    assert_int_equal(s.given_up, 1);
    assert_int_equal(s.delivered, 1);
    assert_int_equal(s.max_attempts, 1);
    assert_int_equal(ow_ex_store_out_head(f->db, f->arena, "4309", 8, rows, &n, &e), OW_OK);
    assert_int_equal(n, 1); /* the given-up row waits for an administrator */
    assert_int_equal(rows[0].next_at, now + 1000);
    assert_string_equal(rows[0].last_error, "transport");

    int64_t changed;
    assert_int_equal(ow_db_begin(f->db, &e), OW_OK);
    assert_int_equal(ow_ex_store_out_retry(f->db, 0, now, &changed, &e), OW_OK);
    assert_int_equal(ow_db_commit(f->db, &e), OW_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(ow_ex_store_out_head(f->db, f->arena, "4309", 8, rows, &n, &e), OW_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ow_exchange_outbox_stats(&cx, &s), OW_OK);
    assert_int_equal(s.given_up, 0);
    assert_int_equal(s.depth, 2);
}

/* The holder's HMAC and the certificate's hash are what another implementation (the
 * city's, a district on another product) must compute alike: checked against values
 * computed independently (node's crypto.createHmac / createHash over the same bytes). */
static void the_holder_hmac_and_license_hash_match_an_independent_computation(void **state) {
    (void)state;
    ow_err e = {0};
    char mac[65], upper[65];
    const char *key = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
    assert_int_equal(ow_ex_holder_hmac(key, "43090319900101001X", mac, &e), OW_OK);
    assert_string_equal(mac, "8bb8ad15667bf86ac5d7e862df9af30cee551a2aabdb93a2dabfdb9cc204cc7b");
    /* the check digit's x is the same holder as X */
    assert_int_equal(ow_ex_holder_hmac(key, "43090319900101001x", upper, &e), OW_OK);
    assert_string_equal(upper, mac);
    assert_int_equal(ow_ex_holder_hmac(key, "430903199001010011", upper, &e), OW_OK);
    assert_string_not_equal(upper, mac);
    /* a key that is not 64 hex digits is refused, naming the setting */
    assert_int_equal(ow_ex_holder_hmac("5a5a", "1", mac, &e), OW_EINVAL);
    assert_string_equal(e.field, "exchange_holder_key");
    assert_int_equal(
        ow_ex_holder_hmac("zz5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a", "1",
                          mac, &e),
        OW_EINVAL);

    ow_ex_license_fields l = {.number = "YY-2026-000001",
                              .type = "结婚证",
                              .holder_kind = "person",
                              .holder_masked = "4309**********001X",
                              .issuer = "益阳市赫山区民政局",
                              .issued_date = "2026-11-24",
                              .valid_until = "",
                              .doc_code = "ABCD-1234",
                              .data = "{\"a\":1}"};
    char h[65], h2[65];
    ow_ex_license_hash(&l, h);
    assert_string_equal(h, "47220c6805425f53d87b87618305b5956c81af55fd76e59527e6a67ae67a1106");
    l.valid_until = "2036-11-24"; /* any field changed changes the hash */
    ow_ex_license_hash(&l, h2);
    assert_string_not_equal(h, h2);
}

static int count_license(void *arg, const ow_ex_city_license *l) {
    (void)l;
    ++*(int *)arg;
    return 0;
}

static int keep_license(void *arg, const ow_ex_city_license *l) {
    char *out = arg; /* status and revoked_at of the last row seen */
    snprintf(out, 64, "%s %lld %s", l->status, (long long)l->revoked_at, l->valid_until);
    return 0;
}

/* The city's license index on both backends: a registration, a second one of the same
 * number (a re-issue: overwritten, not doubled), a revocation, a revocation of a license
 * never registered, and the filters by district and by holder. */
static void the_city_license_index_registers_overwrites_and_revokes(void **state) {
    fixture *f = *state;
    ow_err e = {0};
    char h1[65], h2[65];
    memset(h1, 'a', 64), h1[64] = 0;
    memset(h2, 'b', 64), h2[64] = 0;
    ow_ex_city_license l = {.district = "430903",
                            .number = "YY-2026-000001",
                            .type = "结婚证",
                            .issuer = "赫山区民政局",
                            .holder_kind = "person",
                            .holder_masked = "4309**********001X",
                            .holder_hmac = h1,
                            .issued_date = "2026-11-24",
                            .valid_until = "",
                            .cert_hash = h2,
                            .updated_at = 1};
    assert_int_equal(ow_db_begin(f->db, &e), OW_OK);
    assert_int_equal(ow_ex_store_city_license_put(f->db, &l, &e), OW_OK);
    l.valid_until = "2036-11-23";
    assert_int_equal(ow_ex_store_city_license_put(f->db, &l, &e), OW_OK);
    l.district = "430902", l.number = "YY-2026-000009", l.holder_hmac = h2;
    assert_int_equal(ow_ex_store_city_license_put(f->db, &l, &e), OW_OK);
    bool found;
    assert_int_equal(
        ow_ex_store_city_license_revoke(f->db, "430903", "YY-2026-000001", 77, &found, &e), OW_OK);
    assert_true(found);
    assert_int_equal(
        ow_ex_store_city_license_revoke(f->db, "430903", "YY-2026-000404", 78, &found, &e), OW_OK);
    assert_false(found);
    assert_int_equal(ow_db_commit(f->db, &e), OW_OK);

    int n = 0;
    assert_int_equal(ow_ex_store_city_license_each(f->db, "", "", count_license, &n, &e), OW_OK);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(ow_ex_store_city_license_each(f->db, "", h2, count_license, &n, &e), OW_OK);
    assert_int_equal(n, 1);
    char last[64] = "";
    assert_int_equal(ow_ex_store_city_license_each(f->db, "430903", "", keep_license, last, &e),
                     OW_OK);
    assert_string_equal(last, "revoked 77 2036-11-23");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    ow_log_set_level(OW_LOG_ERROR);
    if (ow_crypto_init()) return 1;
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(a_signed_envelope_verifies_and_any_change_breaks_it),
        cmocka_unit_test(the_holder_hmac_and_license_hash_match_an_independent_computation),
        cmocka_unit_test(the_canonical_form_ignores_key_order_and_whitespace),
        cmocka_unit_test(a_real_number_or_a_control_character_is_refused),
        cmocka_unit_test(receipts_verify_and_a_changed_status_does_not),
        cmocka_unit_test(the_key_file_is_private_rotates_and_names_its_keys),
    };
    const struct CMUnitTest db[] = {
        T(each_message_is_applied_once_and_replays_are_refused),
        T(strangers_bad_signatures_and_stale_times_are_refused),
        T(the_outbox_queues_backs_off_gives_up_and_delivers),
        T(the_city_license_index_registers_overwrites_and_revokes),
    };
    int failed = 0;
    if (!ow_test_on_postgres()) failed += cmocka_run_group_tests_name("protocol", pure, NULL, NULL);
    failed += cmocka_run_group_tests_name("receiver", db, NULL, NULL);
    return failed;
}
