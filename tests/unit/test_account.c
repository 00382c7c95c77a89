/* test_account.c — src/account/: people, sign-in, sessions, organisations.
 *
 * In-process against a temporary data directory: a fresh secret key, the
 * migrated database and the demo district (one transaction), then each test
 * acts as whichever demo account it needs by filling cx.actor, exactly as the
 * auth hook would.  Time travels with app.clock.offset_ms.
 *
 * Covered: passwords through the account functions, registration checks that
 * name the field at fault, duplicate numbers (409), session expiry (absolute
 * and idle), the derived CSRF token, account lockout back-off and the
 * per-address throttle, masking in every user JSON, audited unmasked views,
 * disabling that ends sessions, and the organisation tree's rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "app/app.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "store/db.h"
#include "testdb.h"

#define DEMO_PW "Demo@2026"

typedef struct fixture {
    char dir[64];
    ow_app app;
    ow_db *db;
    ow_arena *arena;
    ow_ctx cx;
} fixture;

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static int seed_tx(ow_db *db, void *arg, ow_err *e) {
    fixture *f = arg;
    ow_ctx cx;
    ow_ctx_init_system(&cx, &f->app, db, f->arena);
    int rc = ow_account_demo_seed(&cx, OW_SOURCE_DIR "/data/demo");
    if (rc) *e = cx.err;
    return rc;
}

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ow-test-account.XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    ow_config cfg;
    ow_config_defaults(&cfg);
    snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", f->dir);
    if (ow_test_database(&cfg)) return -1;
    ow_app_init(&f->app, &cfg);
    ow_err e = {0};
    if (ow_app_load_keys(&f->app, true, &e)) return -1;
    if (ow_db_open(f->app.db_path, OW_DB_WRITE, &f->db, &e)) return -1;
    int applied;
    if (ow_db_migrate(f->db, &applied, &e)) return -1;
    f->app.throttle = ow_throttle_new();
    f->arena = ow_arena_new(4096);
    if (ow_db_tx(f->db, seed_tx, f, &e)) {
        fprintf(stderr, "seed: %s\n", e.message);
        return -1;
    }
    ow_ctx_init_system(&f->cx, &f->app, f->db, f->arena);
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

/* ---------- helpers ---------- */

static int64_t query_int(fixture *f, const char *sql, const char *arg) {
    ow_stmt *st;
    assert_int_equal(((st = ow_db_prepare(f->db, sql, NULL)) ? 0 : 1), 0);
    if (arg) ow_bind_text(st, 1, arg);
    int64_t v = ow_step(st) == OW_ROW ? ow_col_int64(st, 0) : -1;
    ow_stmt_free(st);
    return v;
}

static int64_t user_id(fixture *f, const char *username) {
    return query_int(f, "SELECT id FROM users WHERE username = ?", username);
}

static int64_t org_id(fixture *f, const char *code) {
    return query_int(f, "SELECT id FROM orgs WHERE code = ?", code);
}

static int64_t audit_count(fixture *f, const char *action) {
    return query_int(f, "SELECT count(*) FROM audit WHERE action = ?", action);
}

/* A fresh context acting as a demo account (NULL = anonymous), as the auth hook
 * would leave it. */
static ow_ctx *as(fixture *f, const char *username) {
    ow_ctx_init_system(&f->cx, &f->app, f->db, f->arena);
    f->cx.actor.system = false;
    memset(&f->cx.actor, 0, sizeof f->cx.actor);
    snprintf(f->cx.ip, sizeof f->cx.ip, "192.0.2.1");
    if (!username) return &f->cx;
    ow_stmt *st;
    assert_int_equal(((st = ow_db_prepare(f->db,
                                          "SELECT id, kind, role, coalesce(org_id, 0), name"
                                          " FROM users WHERE username = ?",
                                          NULL))
                          ? 0
                          : 1),
                     0);
    ow_bind_text(st, 1, username);
    assert_int_equal(ow_step(st), OW_ROW);
    ow_actor *a = &f->cx.actor;
    a->user_id = ow_col_int64(st, 0);
    snprintf(a->kind, sizeof a->kind, "%s", ow_col_text(st, 1));
    snprintf(a->role, sizeof a->role, "%s", ow_col_text(st, 2));
    a->org_id = ow_col_int64(st, 3);
    snprintf(a->name, sizeof a->name, "%s", ow_col_text(st, 4));
    snprintf(a->username, sizeof a->username, "%s", username);
    ow_stmt_free(st);
    return &f->cx;
}

/* A valid ID number born on birth (YYYYMMDD) with sequence seq; with want_x the
 * first sequence from seq on whose check character is X. */
static void make_id(char out[19], const char *birth, int seq, bool want_x) {
    for (;; seq++) {
        snprintf(out, 19, "430903%s%03d", birth, seq % 1000);
        out[17] = ow_id_number_compute_check(out);
        out[18] = '\0';
        if (!want_x || out[17] == 'X') return;
    }
}

static int register_citizen(fixture *f, const char *id, const char *mobile, int64_t *uid) {
    ow_ctx *cx = as(f, NULL);
    ow_register_in in = {.kind = "citizen",
                         .id_number = id,
                         .name = "李四",
                         .mobile = mobile,
                         .password = "Secret#2026"};
    char norm[19], mob[12];
    int rc = ow_account_register_check(cx, &in, norm, mob);
    if (rc) return rc;
    char hash[128];
    assert_int_equal(ow_pw_hash(in.password, hash), OW_OK);
    return ow_account_register_insert(cx, &in, norm, mob, hash, uid);
}

static bool has_non_ascii(const char *s) {
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return true;
    return false;
}

/* ---------- passwords ---------- */

static void password_hash_verifies_and_change_replaces_it(void **state) {
    fixture *f = *state;
    ow_ctx *cx = as(f, "demo-citizen");
    int64_t uid = cx->actor.user_id;
    char hash[128];
    assert_int_equal(ow_account_password_hash(cx, uid, hash), OW_OK);
    assert_non_null(strstr(hash, "$argon2id$"));
    assert_int_equal(ow_pw_verify(hash, DEMO_PW), OW_OK);
    assert_int_equal(ow_pw_verify(hash, "Demo@2027"), OW_EUNAUTH);

    char next[128];
    assert_int_equal(ow_pw_hash("Another#Pass1", next), OW_OK);
    int64_t before = audit_count(f, "account.password_change");
    assert_int_equal(ow_account_set_password(cx, uid, next), OW_OK);
    assert_int_equal(audit_count(f, "account.password_change"), before + 1);
    assert_int_equal(ow_account_password_hash(cx, uid, hash), OW_OK);
    assert_int_equal(ow_pw_verify(hash, "Another#Pass1"), OW_OK);
    assert_int_equal(ow_pw_verify(hash, DEMO_PW), OW_EUNAUTH);
    /* the stored hash is never the password */
    assert_int_equal(
        query_int(f, "SELECT count(*) FROM users WHERE password_hash LIKE '%Pass1%'", NULL), 0);
}

static void password_hash_of_disabled_account_is_not_found(void **state) {
    fixture *f = *state;
    int64_t uid = user_id(f, "demo-citizen");
    ow_ctx *cx = as(f, "demo-admin");
    assert_int_equal(ow_account_update(cx, uid, 0, NULL, 0, NULL), OW_OK);
    char hash[128];
    assert_int_equal(ow_account_password_hash(as(f, "demo-citizen"), uid, hash), OW_ENOTFOUND);
}

/* ---------- registration ---------- */

typedef struct reg_case {
    const char *what;
    ow_register_in in;
    const char *field;
} reg_case;

static void registration_errors_name_the_field(void **state) {
    fixture *f = *state;
    char good[19], bad_check[19], future[19];
    make_id(good, "19851120", 101, false);
    memcpy(bad_check, good, 19);
    bad_check[17] = good[17] == '0' ? '1' : '0';
    make_id(future, "20991231", 5, false);
    const char *uscc = "91430903MA4L000118"; /* the demo enterprise's, valid */
    char bad_uscc[19];
    memcpy(bad_uscc, uscc, 19);
    bad_uscc[17] = bad_uscc[17] == 'A' ? 'B' : 'A';
    const reg_case cases[] = {
        {"no kind",
         {.kind = NULL,
          .id_number = good,
          .name = "李四",
          .mobile = "13912345678",
          .password = "Secret#2026"},
         "kind"},
        {"odd kind",
         {.kind = "robot",
          .id_number = good,
          .name = "李四",
          .mobile = "13912345678",
          .password = "Secret#2026"},
         "kind"},
        {"no id",
         {.kind = "citizen", .name = "李四", .mobile = "13912345678", .password = "Secret#2026"},
         "id_number"},
        {"check digit",
         {.kind = "citizen",
          .id_number = bad_check,
          .name = "李四",
          .mobile = "13912345678",
          .password = "Secret#2026"},
         "id_number"},
        {"born in future",
         {.kind = "citizen",
          .id_number = future,
          .name = "李四",
          .mobile = "13912345678",
          .password = "Secret#2026"},
         "id_number"},
        {"short id",
         {.kind = "citizen",
          .id_number = "43090319851120",
          .name = "李四",
          .mobile = "13912345678",
          .password = "Secret#2026"},
         "id_number"},
        {"no name",
         {.kind = "citizen",
          .id_number = good,
          .name = "",
          .mobile = "13912345678",
          .password = "Secret#2026"},
         "name"},
        {"one-char name",
         {.kind = "citizen",
          .id_number = good,
          .name = "李",
          .mobile = "13912345678",
          .password = "Secret#2026"},
         "name"},
        {"no mobile",
         {.kind = "citizen", .id_number = good, .name = "李四", .password = "Secret#2026"},
         "mobile"},
        {"bad mobile",
         {.kind = "citizen",
          .id_number = good,
          .name = "李四",
          .mobile = "12345",
          .password = "Secret#2026"},
         "mobile"},
        {"no password",
         {.kind = "citizen", .id_number = good, .name = "李四", .mobile = "13912345678"},
         "password"},
        {"short password",
         {.kind = "citizen",
          .id_number = good,
          .name = "李四",
          .mobile = "13912345678",
          .password = "Ab#1"},
         "password"},
        {"one-class password",
         {.kind = "citizen",
          .id_number = good,
          .name = "李四",
          .mobile = "13912345678",
          .password = "abcdefghijk"},
         "password"},
        {"no uscc",
         {.kind = "enterprise",
          .name = "某某公司",
          .legal_representative = "王五",
          .mobile = "13912345678",
          .password = "Secret#2026"},
         "uscc"},
        {"bad uscc",
         {.kind = "enterprise",
          .uscc = bad_uscc,
          .name = "某某公司",
          .legal_representative = "王五",
          .mobile = "13912345678",
          .password = "Secret#2026"},
         "uscc"},
        {"no legal rep",
         {.kind = "enterprise",
          .uscc = uscc,
          .name = "某某公司",
          .mobile = "13912345678",
          .password = "Secret#2026"},
         "legal_representative"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ow_ctx *cx = as(f, NULL);
        char norm[19], mob[12];
        int rc = ow_account_register_check(cx, &cases[i].in, norm, mob);
        if (rc != OW_EINVAL || strcmp(cx->err.field, cases[i].field) ||
            !has_non_ascii(cx->err.message))
            fail_msg("%s: rc %d field '%s' (want '%s') message '%s'", cases[i].what, rc,
                     cx->err.field, cases[i].field, cx->err.message);
    }
    /* and the good one passes, lower-case x normalised */
    char xid[19];
    make_id(xid, "19700101", 1, true);
    char lower[19];
    memcpy(lower, xid, 19);
    lower[17] = 'x';
    ow_ctx *cx = as(f, NULL);
    ow_register_in ok = {.kind = "citizen",
                         .id_number = lower,
                         .name = "李四",
                         .mobile = "139 1234 5678",
                         .password = "Secret#2026"};
    char norm[19], mob[12];
    assert_int_equal(ow_account_register_check(cx, &ok, norm, mob), OW_OK);
    assert_string_equal(norm, xid);
    assert_string_equal(mob, "13912345678");
}

static void registering_a_number_twice_conflicts(void **state) {
    fixture *f = *state;
    char id[19];
    make_id(id, "19700101", 1, true);
    int64_t uid;
    assert_int_equal(register_citizen(f, id, "13912345678", &uid), OW_OK);
    assert_true(uid > 0);
    /* the registration's audit row is the new account's own, under its handle */
    assert_int_equal(
        query_int(f,
                  "SELECT count(*) FROM audit WHERE seq = (SELECT max(seq) FROM audit)"
                  " AND action = 'account.register' AND actor LIKE 'p-%'"
                  " AND actor_role = 'citizen' AND actor_id = (SELECT max(id) FROM users)",
                  NULL),
        1);
    char lower[19];
    memcpy(lower, id, 19);
    lower[17] = 'x'; /* the same person typed in lower case */
    int64_t again = 0;
    assert_int_equal(register_citizen(f, lower, "13700000000", &again), OW_ECONFLICT);
    assert_string_equal(f->cx.err.field, "id_number");
    assert_string_equal(f->cx.err.kind, "already_registered");
    assert_int_equal(ow_err_status(&f->cx.err, OW_ECONFLICT), 409);

    /* an enterprise code too (the demo enterprise's) */
    ow_ctx *cx = as(f, NULL);
    ow_register_in ent = {.kind = "enterprise",
                          .uscc = "91430903ma4l000118",
                          .name = "某某公司",
                          .legal_representative = "王五",
                          .mobile = "13912340000",
                          .password = "Secret#2026"};
    char norm[19], mob[12], hash[128];
    assert_int_equal(ow_account_register_check(cx, &ent, norm, mob), OW_OK);
    assert_int_equal(ow_pw_hash(ent.password, hash), OW_OK);
    assert_int_equal(ow_account_register_insert(cx, &ent, norm, mob, hash, &again), OW_ECONFLICT);
    assert_string_equal(cx->err.field, "uscc");
}

/* hardening #24: one mobile number was accepted on three accounts, and sign-in by it
 * reached only the first.  A number signs in to one account, so it belongs to one. */
static void a_mobile_number_belongs_to_one_account(void **state) {
    fixture *f = *state;
    char id1[19], id2[19];
    make_id(id1, "19700101", 1, false);
    make_id(id2, "19700101", 2, false);
    int64_t uid, other = 0;
    assert_int_equal(register_citizen(f, id1, "13912345678", &uid), OW_OK);
    assert_int_equal(register_citizen(f, id2, "139 1234 5678", &other), OW_ECONFLICT);
    assert_string_equal(f->cx.err.field, "mobile");
    assert_string_equal(f->cx.err.kind, "mobile_taken");
    assert_int_equal(other, 0);
    /* the demo enterprise's number, too; a staff member's is no sign-in name and stays free */
    assert_int_equal(register_citizen(f, id2, "13907372002", &other), OW_ECONFLICT);
    assert_string_equal(f->cx.err.field, "mobile");
    assert_int_equal(register_citizen(f, id2, "13807371001", &other), OW_OK);
    /* the unique index stands behind the check */
    int rc = ow_db_exec(f->cx.db,
                        "UPDATE users SET mobile_idx = (SELECT mobile_idx FROM users"
                        " WHERE username = 'demo-citizen')"
                        " WHERE id = (SELECT max(id) FROM users)",
                        NULL);
    assert_int_equal(rc, OW_ECONFLICT);
}

/* A context whose client address is ip. */
static ow_ctx *from_ip(fixture *f, const char *ip) {
    ow_ctx *cx = as(f, NULL);
    snprintf(cx->ip, sizeof cx->ip, "%s", ip);
    return cx;
}

/* Registration's throttle counts and checks in one step. */
static void take_counts_and_refuses_in_one_step(fixture *f, ow_throttle *t) {
    int64_t now = 1800000000000LL;
    for (int i = 0; i < 3; i++)
        assert_int_equal(ow_throttle_take(from_ip(f, "198.51.100.9"), t, now + i), 0);
    assert_int_equal(ow_throttle_take(from_ip(f, "198.51.100.9"), t, now + 3), 3600);
    /* another address */
    assert_int_equal(ow_throttle_take(from_ip(f, "198.51.100.10"), t, now + 3), 0);
    /* a refused attempt does not push the window on */
    assert_int_equal(ow_throttle_take(from_ip(f, "198.51.100.9"), t, now + 3600 * 1000LL - 1000),
                     1);
    assert_int_equal(ow_throttle_take(from_ip(f, "198.51.100.9"), t, now + 3600 * 1000LL + 1), 0);
}

static void throttle_take_counts_and_refuses_in_one_step(void **state) {
    ow_throttle *t = ow_throttle_new_window(3, 60 * 60 * 1000LL);
    take_counts_and_refuses_in_one_step(*state, t);
    ow_throttle_free(t);
}

/* Shared by the nodes (PostgreSQL): the same answers from the address_throttle rows,
 * counted inside the caller's write transaction as on the writer. */
static void shared_throttle_take_counts_in_the_database(void **state) {
    fixture *f = *state;
    ow_throttle *t = ow_throttle_new_window(3, 60 * 60 * 1000LL);
    ow_throttle_share(t, "register");
    ow_err e = {0};
    assert_int_equal(ow_db_begin(f->db, &e), OW_OK);
    take_counts_and_refuses_in_one_step(f, t);
    assert_int_equal(ow_db_commit(f->db, &e), OW_OK);
    ow_throttle_free(t);
    /* what a second node sees: a fresh throttle, the same rows */
    ow_throttle *other = ow_throttle_new_window(3, 60 * 60 * 1000LL);
    ow_throttle_share(other, "register");
    int64_t now = 1800000000000LL;
    assert_int_equal(ow_throttle_wait_s(from_ip(f, "198.51.100.10"), other, now + 10), 0);
    assert_int_equal(ow_db_begin(f->db, &e), OW_OK);
    assert_int_equal(ow_throttle_take(from_ip(f, "198.51.100.10"), other, now + 10), 0);
    assert_int_equal(ow_throttle_take(from_ip(f, "198.51.100.10"), other, now + 11), 0);
    assert_int_equal(ow_throttle_take(from_ip(f, "198.51.100.10"), other, now + 12), 3600);
    assert_int_equal(ow_db_commit(f->db, &e), OW_OK);
    ow_throttle_free(other);
}

static void sign_in_name_may_be_id_uscc_or_mobile(void **state) {
    fixture *f = *state;
    char id[19];
    make_id(id, "19700101", 1, true);
    int64_t uid;
    assert_int_equal(register_citizen(f, id, "13912345678", &uid), OW_OK);
    ow_login_target t;
    ow_ctx *cx = as(f, NULL);
    assert_int_equal(ow_account_find_login(cx, id, &t), OW_OK);
    assert_int_equal(t.user_id, uid);
    char lower[19];
    memcpy(lower, id, 19);
    lower[17] = 'x';
    assert_int_equal(ow_account_find_login(cx, lower, &t), OW_OK);
    assert_int_equal(t.user_id, uid);
    assert_int_equal(ow_account_find_login(cx, "13912345678", &t), OW_OK);
    assert_int_equal(t.user_id, uid);
    assert_true(t.active);
    assert_int_equal(ow_pw_verify(t.hash, "Secret#2026"), OW_OK);
    assert_int_equal(ow_account_find_login(cx, "91430903MA4L000118", &t), OW_OK);
    assert_int_equal(t.user_id, user_id(f, "demo-enterprise"));
    assert_int_equal(ow_account_find_login(cx, "DEMO-ADMIN", &t), OW_OK); /* NOCASE */
    assert_int_equal(t.user_id, user_id(f, "demo-admin"));
    assert_int_equal(ow_account_find_login(cx, "nobody", &t), OW_OK);
    assert_int_equal(t.user_id, 0);
    /* a staff member's mobile number is not a sign-in name */
    assert_int_equal(ow_account_find_login(cx, "13807371001", &t), OW_OK);
    assert_int_equal(t.user_id, 0);
}

/* ---------- sessions ---------- */

static void open_session(fixture *f, const char *username, char token[44]) {
    ow_ctx *cx = as(f, NULL);
    assert_int_equal(ow_session_open(cx, user_id(f, username), "test-agent", token), OW_OK);
    assert_int_equal((int)strlen(token), OW_TOKEN_CHARS);
}

static int64_t resolve(fixture *f, const char *token, bool *expired) {
    ow_ctx *cx = as(f, NULL);
    assert_int_equal(ow_session_resolve(cx, token, expired), OW_OK);
    return cx->actor.user_id;
}

static void session_resolves_into_the_actor(void **state) {
    fixture *f = *state;
    char token[44];
    open_session(f, "demo-township-clerk", token);
    ow_ctx *cx = as(f, NULL);
    bool expired;
    assert_int_equal(ow_session_resolve(cx, token, &expired), OW_OK);
    assert_false(expired);
    assert_int_equal(cx->actor.user_id, user_id(f, "demo-township-clerk"));
    assert_string_equal(cx->actor.role, "clerk");
    assert_string_equal(cx->actor.kind, "staff");
    assert_string_equal(cx->actor.username, "demo-township-clerk");
    assert_int_equal(cx->actor.org_id, org_id(f, "T01"));
    assert_true(cx->actor.session_id > 0);
    /* the database holds the token's hash, not the token */
    assert_int_equal(query_int(f, "SELECT count(*) FROM sessions WHERE token_hash = ?", token), 0);
    char th[65];
    ow_token_hash(token, th);
    assert_int_equal(query_int(f, "SELECT count(*) FROM sessions WHERE token_hash = ?", th), 1);
    /* unknown, malformed and absent tokens resolve to nobody, not "expired" */
    char other[44];
    ow_random_token(other);
    const char *nobody[] = {other, "short", "", NULL};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(resolve(f, nobody[i], &expired), 0);
        assert_false(expired);
    }
}

static void session_expires_after_its_absolute_lifetime(void **state) {
    fixture *f = *state;
    f->app.cfg.session_idle_min = 60 * 24; /* only the absolute limit matters here */
    f->app.cfg.session_ttl_min = 12 * 60;
    char token[44];
    open_session(f, "demo-citizen", token);
    bool expired;
    f->app.clock.offset_ms = 12 * 3600 * 1000LL - 1000;
    assert_int_equal(resolve(f, token, &expired), user_id(f, "demo-citizen"));
    f->app.clock.offset_ms = 12 * 3600 * 1000LL;
    assert_int_equal(resolve(f, token, &expired), 0);
    assert_true(expired);
}

static void session_expires_after_idle_time(void **state) {
    fixture *f = *state;
    assert_int_equal(f->app.cfg.session_idle_min, 30); /* the default */
    char token[44];
    open_session(f, "demo-citizen", token);
    bool expired;
    f->app.clock.offset_ms = 29 * 60 * 1000LL;
    assert_int_equal(resolve(f, token, &expired), user_id(f, "demo-citizen"));
    /* activity moves the idle mark (the server's touch job does this UPDATE) */
    ow_db_exec(f->db, "UPDATE sessions SET last_seen_at = last_seen_at + 1740000", NULL);
    f->app.clock.offset_ms = 58 * 60 * 1000LL;
    assert_int_equal(resolve(f, token, &expired), user_id(f, "demo-citizen"));
    f->app.clock.offset_ms = 59 * 60 * 1000LL;
    assert_int_equal(resolve(f, token, &expired), 0);
    assert_true(expired);
}

static void csrf_token_is_derived_from_the_session_token(void **state) {
    fixture *f = *state;
    char t1[44], t2[44], c1[44], c1again[44], c2[44];
    open_session(f, "demo-citizen", t1);
    open_session(f, "demo-citizen", t2);
    ow_ctx *cx = as(f, NULL);
    ow_session_csrf(cx, t1, c1);
    ow_session_csrf(cx, t1, c1again);
    ow_session_csrf(cx, t2, c2);
    assert_string_equal(c1, c1again);
    assert_string_not_equal(c1, c2);
    assert_string_not_equal(c1, t1);
    assert_int_equal((int)strlen(c1), OW_TOKEN_CHARS);
    assert_true(ow_session_csrf_ok(cx, t1, c1));
    assert_true(ow_session_csrf_ok(cx, t2, c2));
    assert_false(ow_session_csrf_ok(cx, t1, c2));
    assert_false(ow_session_csrf_ok(cx, t2, c1));
    assert_false(ow_session_csrf_ok(cx, t1, NULL));
    assert_false(ow_session_csrf_ok(cx, NULL, c1));
    assert_false(ow_session_csrf_ok(cx, t1, ""));
    char cut[44];
    memcpy(cut, c1, 44);
    cut[42] = '\0';
    assert_false(ow_session_csrf_ok(cx, t1, cut));
    /* stored only as a hash, matching the derived value */
    char ch[65];
    ow_token_hash(c1, ch);
    assert_int_equal(query_int(f, "SELECT count(*) FROM sessions WHERE csrf_hash = ?", ch), 1);
    /* another instance's key gives another token: the token is keyed, not a plain hash */
    ow_crypto_keys saved = f->app.keys;
    f->app.keys.session[0] ^= 1;
    char cother[44];
    ow_session_csrf(cx, t1, cother);
    f->app.keys = saved;
    assert_string_not_equal(c1, cother);
}

static void sign_out_everywhere_keeps_only_the_named_session(void **state) {
    fixture *f = *state;
    char a[44], b[44], c[44];
    open_session(f, "demo-citizen", a);
    open_session(f, "demo-citizen", b);
    open_session(f, "demo-admin", c);
    bool expired;
    ow_ctx *cx = as(f, NULL);
    assert_int_equal(ow_session_resolve(cx, b, &expired), OW_OK);
    int64_t keep = cx->actor.session_id;
    assert_int_equal(ow_session_end_all(cx, cx->actor.user_id, "password_changed", keep), OW_OK);
    assert_int_equal(resolve(f, a, &expired), 0);
    assert_int_equal(resolve(f, b, &expired), user_id(f, "demo-citizen"));
    assert_int_equal(resolve(f, c, &expired), user_id(f, "demo-admin"));
    cx = as(f, NULL);
    assert_int_equal(ow_session_resolve(cx, b, &expired), OW_OK);
    assert_int_equal(ow_session_end(cx, "sign_out"), OW_OK);
    assert_int_equal(resolve(f, b, &expired), 0);
    assert_int_equal(ow_session_end(as(f, NULL), "sign_out"), OW_EUNAUTH);
}

static void sign_in_audit_row_names_who_signed_in(void **state) {
    fixture *f = *state;
    /* a request that came with somebody else's cookie */
    ow_ctx *cx = as(f, "demo-admin");
    char token[44];
    assert_int_equal(ow_session_open(cx, user_id(f, "demo-citizen"), "ua", token), OW_OK);
    assert_string_equal(cx->actor.username, "demo-citizen");
    assert_string_equal(cx->actor.role, "citizen");
    assert_int_equal(query_int(f,
                               "SELECT count(*) FROM audit WHERE seq = (SELECT max(seq) FROM audit)"
                               " AND action = 'account.sign_in' AND actor = ?",
                               "demo-citizen"),
                     1);
}

/* ---------- lockout and throttle ---------- */

static void lockout_backs_off_then_success_resets(void **state) {
    fixture *f = *state;
    int64_t uid = user_id(f, "demo-citizen");
    /* minutes locked after the nth consecutive failure */
    const int64_t want_min[] = {0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 30, 30, 30};
    for (int n = 1; n <= 12; n++) {
        ow_ctx *cx = as(f, NULL);
        int64_t until = -1;
        assert_int_equal(ow_account_login_failed(cx, uid, &until), OW_OK);
        int64_t now = ow_clock_now_ms(cx->clock);
        int64_t locked_ms = until ? until - now : 0;
        if (llabs(locked_ms - want_min[n] * 60000) > 2000)
            fail_msg("failure %d: locked %lld ms, want %lld min", n, (long long)locked_ms,
                     (long long)want_min[n]);
        int wait;
        assert_int_equal(ow_account_lock_wait_s(cx, uid, &wait), OW_OK);
        assert_true(llabs(wait - want_min[n] * 60) <= 2);
    }
    assert_int_equal(audit_count(f, "account.sign_in_failed"), 12);
    ow_login_target t;
    assert_int_equal(ow_account_find_login(as(f, NULL), "demo-citizen", &t), OW_OK);
    assert_int_equal(t.failed, 12);
    /* the lock ends with its time ... */
    f->app.clock.offset_ms = 30 * 60 * 1000LL + 1000;
    int wait;
    assert_int_equal(ow_account_lock_wait_s(as(f, NULL), uid, &wait), OW_OK);
    assert_int_equal(wait, 0);
    /* ... and a success clears the count */
    char token[44];
    open_session(f, "demo-citizen", token);
    assert_int_equal(ow_account_find_login(as(f, NULL), "demo-citizen", &t), OW_OK);
    assert_int_equal(t.failed, 0);
    assert_int_equal(t.locked_until, 0);
    int64_t until;
    for (int n = 1; n <= 4; n++) {
        assert_int_equal(ow_account_login_failed(as(f, NULL), uid, &until), OW_OK);
        assert_int_equal(until, 0);
    }
}

static void lockout_survives_as_data_and_admin_reenable_clears_it(void **state) {
    fixture *f = *state;
    int64_t uid = user_id(f, "demo-clerk");
    int64_t until = 0;
    for (int n = 1; n <= 5; n++)
        assert_int_equal(ow_account_login_failed(as(f, NULL), uid, &until), OW_OK);
    assert_true(until > 0);
    assert_int_equal(
        query_int(f, "SELECT locked_until > 0 FROM users WHERE username = ?", "demo-clerk"), 1);
    ow_ctx *cx = as(f, "demo-admin");
    assert_int_equal(ow_account_update(cx, uid, 0, NULL, 0, NULL), OW_OK);
    assert_int_equal(ow_account_update(cx, uid, 1, NULL, 0, NULL), OW_OK);
    int wait;
    assert_int_equal(ow_account_lock_wait_s(as(f, NULL), uid, &wait), OW_OK);
    assert_int_equal(wait, 0);
}

static void throttle_locks_an_address_after_twenty_failures(void **state) {
    fixture *f = *state;
    ow_throttle *t = f->app.throttle;
    int64_t now = 1800000000000LL;
    for (int i = 1; i <= 19; i++) {
        ow_throttle_fail(from_ip(f, "198.51.100.7"), t, now + i);
        assert_int_equal(ow_throttle_wait_s(from_ip(f, "198.51.100.7"), t, now + i), 0);
    }
    ow_throttle_fail(from_ip(f, "198.51.100.7"), t, now + 20);
    assert_int_equal(ow_throttle_wait_s(from_ip(f, "198.51.100.7"), t, now + 20), 60);
    assert_int_equal(ow_throttle_wait_s(from_ip(f, "198.51.100.8"), t, now + 20),
                     0); /* another address */
    assert_int_equal(ow_throttle_wait_s(from_ip(f, "198.51.100.7"), t, now + 20 + 59000), 1);
    assert_int_equal(ow_throttle_wait_s(from_ip(f, "198.51.100.7"), t, now + 20 + 60000), 0);
    ow_throttle_fail(from_ip(f, "198.51.100.7"), t, now + 60100); /* 21st: two minutes */
    assert_int_equal(ow_throttle_wait_s(from_ip(f, "198.51.100.7"), t, now + 60100), 120);
    /* doubling stops at an hour */
    int64_t at = now + 60100;
    for (int i = 0; i < 10; i++)
        ow_throttle_fail(from_ip(f, "198.51.100.7"), t, ++at);
    assert_int_equal(ow_throttle_wait_s(from_ip(f, "198.51.100.7"), t, at), 3600);
    /* after the lock and the fifteen-minute window, the address starts afresh */
    at += 3600 * 1000LL + 1;
    assert_int_equal(ow_throttle_wait_s(from_ip(f, "198.51.100.7"), t, at), 0);
    ow_throttle_fail(from_ip(f, "198.51.100.7"), t, at);
    assert_int_equal(ow_throttle_wait_s(from_ip(f, "198.51.100.7"), t, at), 0);
}

static void throttle_failures_age_out_with_the_window(void **state) {
    fixture *f = *state;
    ow_throttle *t = f->app.throttle;
    int64_t now = 1800000000000LL;
    for (int i = 0; i < 19; i++)
        ow_throttle_fail(from_ip(f, "2001:db8::1"), t, now);
    /* sixteen minutes later the nineteen are forgotten */
    now += 16 * 60 * 1000LL;
    for (int i = 0; i < 19; i++)
        ow_throttle_fail(from_ip(f, "2001:db8::1"), t, now);
    assert_int_equal(ow_throttle_wait_s(from_ip(f, "2001:db8::1"), t, now), 0);
    ow_throttle_fail(from_ip(f, "2001:db8::1"), t, now);
    assert_int_equal(ow_throttle_wait_s(from_ip(f, "2001:db8::1"), t, now), 60);
}

/* ---------- personal data ---------- */

static void user_json_never_shows_numbers_in_clear(void **state) {
    fixture *f = *state;
    char id[19];
    make_id(id, "19880808", 321, false);
    int64_t uid;
    assert_int_equal(register_citizen(f, id, "13912345678", &uid), OW_OK);
    char want_mask[19];
    snprintf(want_mask, sizeof want_mask, "430903********%s", id + 14);

    json_t *u;
    ow_ctx *cx = as(f, NULL);
    cx->actor.user_id = uid;
    snprintf(cx->actor.role, sizeof cx->actor.role, "citizen");
    assert_int_equal(ow_account_user_json(cx, uid, &u), OW_OK);
    char *s = json_dumps(u, 0);
    assert_null(strstr(s, id));
    assert_null(strstr(s, "13912345678"));
    assert_null(strstr(s, "12345678")); /* not even the tail of the mobile */
    assert_string_equal(json_string_value(json_object_get(u, "id_number")), want_mask);
    assert_string_equal(json_string_value(json_object_get(u, "mobile")), "139****5678");
    free(s);
    json_decref(u);

    /* the admin's list shows the same masks */
    json_t *items;
    int64_t total;
    assert_int_equal(
        ow_account_list_json(as(f, "demo-admin"), NULL, "citizen", 0, NULL, 1, 100, &items, &total),
        OW_OK);
    assert_int_equal(total, 2);
    s = json_dumps(items, 0);
    assert_null(strstr(s, id));
    assert_null(strstr(s, "13912345678"));
    assert_null(strstr(s, "13907372001")); /* the demo citizen's */
    assert_non_null(strstr(s, want_mask));
    free(s);
    json_decref(items);

    /* nor do the audit trail's details */
    assert_int_equal(query_int(f, "SELECT count(*) FROM audit WHERE instr(detail, ?) > 0", id), 0);
    assert_int_equal(
        query_int(f, "SELECT count(*) FROM audit WHERE instr(detail, '13912345678') > 0", NULL), 0);
    /* nor any column of the users table */
    assert_int_equal(query_int(f,
                               "SELECT count(*) FROM users WHERE instr(coalesce(id_number_enc,'')"
                               " || coalesce(id_number_idx,'') || coalesce(id_masked,'') ||"
                               " username || coalesce(mobile_enc,'') || coalesce(mobile_masked,''),"
                               " ?) > 0",
                               id),
                     0);
}

static void other_people_see_no_account_but_their_own(void **state) {
    fixture *f = *state;
    json_t *u;
    int64_t citizen = user_id(f, "demo-citizen");
    const char *others[] = {"demo-enterprise", "demo-agent",      "demo-clerk",
                            "demo-approver",   "demo-supervisor", "demo-discloser"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_int_equal(ow_account_user_json(as(f, others[i]), citizen, &u), OW_EFORBIDDEN);
    assert_int_equal(ow_account_user_json(as(f, "demo-citizen"), citizen, &u), OW_OK);
    json_decref(u);
    assert_int_equal(ow_account_user_json(as(f, "demo-admin"), citizen, &u), OW_OK);
    json_decref(u);
}

static void unmasked_view_is_allowed_to_few_and_audited(void **state) {
    fixture *f = *state;
    int64_t citizen = user_id(f, "demo-citizen");
    json_t *p;
    const char *denied[] = {"demo-enterprise", "demo-agent", "demo-approver", "demo-supervisor",
                            "demo-discloser"};
    int64_t before = audit_count(f, "account.pii_view");
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++)
        assert_int_equal(ow_account_user_pii(as(f, denied[i]), citizen, &p), OW_EFORBIDDEN);
    assert_int_equal(audit_count(f, "account.pii_view"), before);

    const char *allowed[] = {"demo-clerk", "demo-township-clerk", "demo-admin", "demo-citizen"};
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        assert_int_equal(ow_account_user_pii(as(f, allowed[i]), citizen, &p), OW_OK);
        assert_string_equal(json_string_value(json_object_get(p, "id_number")),
                            "430903199003152317");
        assert_string_equal(json_string_value(json_object_get(p, "mobile")), "13907372001");
        json_decref(p);
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)citizen);
        assert_int_equal(query_int(f,
                                   "SELECT count(*) FROM audit WHERE seq = (SELECT max(seq) FROM"
                                   " audit) AND action = 'account.pii_view' AND object_id = ?",
                                   ids),
                         1);
        char actor[64];
        snprintf(actor, sizeof actor, "%s", allowed[i]);
        assert_int_equal(query_int(f,
                                   "SELECT count(*) FROM audit WHERE seq = (SELECT max(seq) FROM"
                                   " audit) AND actor = ?",
                                   actor),
                         1);
    }
    assert_int_equal(audit_count(f, "account.pii_view"), before + 4);
    assert_int_equal(ow_account_user_pii(as(f, "demo-admin"), 999999, &p), OW_ENOTFOUND);
}

/* ---------- administration ---------- */

static void disabling_an_account_ends_its_sessions(void **state) {
    fixture *f = *state;
    char a[44], b[44], admin[44];
    open_session(f, "demo-approver", a);
    open_session(f, "demo-approver", b);
    open_session(f, "demo-admin", admin);
    int64_t uid = user_id(f, "demo-approver");
    bool expired;
    /* nobody but an admin may */
    const char *others[] = {"demo-approver", "demo-supervisor", "demo-clerk", "demo-citizen"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_int_equal(ow_account_update(as(f, others[i]), uid, 0, NULL, 0, NULL), OW_EFORBIDDEN);
    assert_int_equal(resolve(f, a, &expired), uid);
    /* an admin cannot lock themself out */
    ow_ctx *cx = as(f, "demo-admin");
    assert_int_equal(ow_account_update(cx, cx->actor.user_id, 0, NULL, 0, NULL), OW_ECONFLICT);

    assert_int_equal(ow_account_update(as(f, "demo-admin"), uid, 0, NULL, 0, NULL), OW_OK);
    assert_int_equal(resolve(f, a, &expired), 0);
    assert_int_equal(resolve(f, b, &expired), 0);
    assert_int_equal(resolve(f, admin, &expired), user_id(f, "demo-admin"));
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)uid);
    assert_int_equal(query_int(f,
                               "SELECT count(*) FROM sessions WHERE user_id = ? AND"
                               " end_reason = 'disabled'",
                               ids),
                     2);
    /* a session opened regardless (a race with the sign-in) does not resolve either */
    char late[44];
    open_session(f, "demo-approver", late);
    assert_int_equal(resolve(f, late, &expired), 0);
    assert_true(expired);
}

static void changing_a_role_ends_sessions_and_checks_the_office(void **state) {
    fixture *f = *state;
    char a[44];
    open_session(f, "demo-clerk", a);
    int64_t uid = user_id(f, "demo-clerk");
    bool expired;
    /* an approver must sit in a department */
    assert_int_equal(ow_account_update(as(f, "demo-admin"), uid, -1, "approver", 0, NULL),
                     OW_EINVAL);
    assert_string_equal(f->cx.err.field, "org_id");
    assert_int_equal(resolve(f, a, &expired), uid);
    assert_int_equal(
        ow_account_update(as(f, "demo-admin"), uid, -1, "approver", org_id(f, "D05"), NULL), OW_OK);
    assert_int_equal(resolve(f, a, &expired), 0);
    /* citizens have no role to change */
    assert_int_equal(
        ow_account_update(as(f, "demo-admin"), user_id(f, "demo-citizen"), -1, "clerk", 0, NULL),
        OW_EINVAL);
}

static void staff_are_created_by_admins_into_fitting_offices(void **state) {
    fixture *f = *state;
    ow_staff_in in = {.username = "new-agent",
                      .name = "赵六",
                      .role = "agent",
                      .org_id = org_id(f, "A001"),
                      .mobile = "13512345678",
                      .password = "Strong#Pass1"};
    char mob[12];
    const char *others[] = {"demo-clerk", "demo-supervisor", "demo-citizen", NULL};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(ow_account_staff_check(as(f, others[i]), &in, mob), OW_EFORBIDDEN);
    ow_staff_in bad = in;
    bad.org_id = org_id(f, "D05");
    assert_int_equal(ow_account_staff_check(as(f, "demo-admin"), &bad, mob), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "org_id");
    bad = in;
    bad.role = "citizen";
    assert_int_equal(ow_account_staff_check(as(f, "demo-admin"), &bad, mob), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "role");
    bad = in;
    bad.username = "Has Space";
    assert_int_equal(ow_account_staff_check(as(f, "demo-admin"), &bad, mob), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "username");

    ow_ctx *cx = as(f, "demo-admin");
    assert_int_equal(ow_account_staff_check(cx, &in, mob), OW_OK);
    char hash[128];
    assert_int_equal(ow_pw_hash(in.password, hash), OW_OK);
    int64_t uid;
    assert_int_equal(ow_account_staff_insert(cx, &in, mob, hash, &uid), OW_OK);
    assert_int_equal(ow_account_staff_insert(cx, &in, mob, hash, &uid), OW_ECONFLICT);
    assert_string_equal(cx->err.field, "username");
}

/* ---------- organisations ---------- */

static int mk_org(fixture *f, const char *who, const char *code, const char *kind,
                  const char *parent_code, int64_t *id) {
    ow_org_in in = {.code = code,
                    .name = "测试机构",
                    .kind = kind,
                    .parent_id = parent_code ? org_id(f, parent_code) : 0};
    return ow_org_create(as(f, who), &in, id);
}

static void org_tree_rules_hold_on_create(void **state) {
    fixture *f = *state;
    int64_t id;
    assert_int_equal(mk_org(f, "demo-supervisor", "W99", "window", "C00", &id), OW_EFORBIDDEN);
    assert_int_equal(mk_org(f, "demo-clerk", "W99", "window", "C00", &id), OW_EFORBIDDEN);
    assert_int_equal(mk_org(f, "demo-admin", "W99", "window", "C00", &id), OW_OK);
    assert_int_equal(mk_org(f, "demo-admin", "W98", "window", "T01", &id), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "parent_id");
    assert_int_equal(mk_org(f, "demo-admin", "W98", "window", NULL, &id), OW_EINVAL);
    assert_int_equal(mk_org(f, "demo-admin", "A999", "agent_point", "T01", &id), OW_OK);
    assert_int_equal(mk_org(f, "demo-admin", "A998", "agent_point", "C00", &id), OW_EINVAL);
    assert_int_equal(mk_org(f, "demo-admin", "A998", "agent_point", "A001", &id), OW_EINVAL);
    assert_int_equal(mk_org(f, "demo-admin", "A998", "agent_point", NULL, &id), OW_EINVAL);
    assert_int_equal(mk_org(f, "demo-admin", "D99", "department", "C00", &id), OW_EINVAL);
    assert_int_equal(mk_org(f, "demo-admin", "D99", "department", NULL, &id), OW_OK);
    assert_int_equal(mk_org(f, "demo-admin", "T99", "township", "C00", &id), OW_EINVAL);
    assert_int_equal(mk_org(f, "demo-admin", "X1", "ministry", NULL, &id), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "kind");
    assert_int_equal(mk_org(f, "demo-admin", "D99", "department", NULL, &id), OW_ECONFLICT);
    assert_string_equal(f->cx.err.field, "code");
    ow_org_in in = {.code = "D98", .name = "", .kind = "department"};
    assert_int_equal(ow_org_create(as(f, "demo-admin"), &in, &id), OW_EINVAL);
    assert_string_equal(f->cx.err.field, "name");
}

static void org_moves_keep_the_tree_shape_and_acyclic(void **state) {
    fixture *f = *state;
    int64_t c2, w01 = org_id(f, "W01"), a001 = org_id(f, "A001");
    assert_int_equal(mk_org(f, "demo-admin", "C01", "center", NULL, &c2), OW_OK);
    ow_ctx *cx = as(f, "demo-admin");
    /* a window may move to another center, not under a township or itself */
    assert_int_equal(ow_org_update(cx, w01, NULL, org_id(f, "T01"), -1, NULL, NULL), OW_EINVAL);
    assert_string_equal(cx->err.field, "parent_id");
    assert_int_equal(ow_org_update(cx, w01, NULL, w01, -1, NULL, NULL), OW_EINVAL);
    assert_int_equal(ow_org_update(cx, w01, NULL, 0, -1, NULL, NULL), OW_EINVAL);
    assert_int_equal(ow_org_update(cx, w01, NULL, c2, -1, NULL, NULL), OW_OK);
    json_t *o;
    assert_int_equal(ow_org_get_json(cx, w01, &o), OW_OK);
    assert_int_equal(json_integer_value(json_object_get(o, "parent_id")), c2);
    json_decref(o);
    /* an agent point moves between townships, never under one of its own kind */
    assert_int_equal(ow_org_update(cx, a001, NULL, org_id(f, "T02"), -1, NULL, NULL), OW_OK);
    assert_int_equal(ow_org_update(cx, a001, NULL, org_id(f, "A002"), -1, NULL, NULL), OW_EINVAL);
    /* a center cannot be put under anything, so under its own window neither */
    assert_int_equal(ow_org_update(cx, c2, NULL, w01, -1, NULL, NULL), OW_EINVAL);
    /* the ancestry walk the cycle check relies on */
    bool in;
    assert_int_equal(ow_org_within(cx, w01, c2, &in), OW_OK);
    assert_true(in);
    assert_int_equal(ow_org_within(cx, c2, w01, &in), OW_OK);
    assert_false(in);
    assert_int_equal(ow_org_within(cx, a001, org_id(f, "T01"), &in), OW_OK);
    assert_false(in);
    /* rename, audited; and nobody but an admin */
    int64_t before = audit_count(f, "org.update");
    assert_int_equal(ow_org_update(cx, w01, "综合受理一号窗口", -1, -1, NULL, NULL), OW_OK);
    assert_int_equal(audit_count(f, "org.update"), before + 1);
    assert_int_equal(ow_org_update(as(f, "demo-supervisor"), w01, "改名", -1, -1, NULL, NULL),
                     OW_EFORBIDDEN);
    assert_int_equal(ow_org_update(as(f, "demo-admin"), 999999, "改名", -1, -1, NULL, NULL),
                     OW_ENOTFOUND);
}

static void org_with_active_staff_or_children_stays_active(void **state) {
    fixture *f = *state;
    ow_ctx *cx = as(f, "demo-admin");
    /* W01 has demo-clerk */
    assert_int_equal(ow_org_update(cx, org_id(f, "W01"), NULL, -1, 0, NULL, NULL), OW_ECONFLICT);
    assert_string_equal(cx->err.field, "active");
    /* T05 has agent points */
    assert_int_equal(ow_org_update(cx, org_id(f, "T05"), NULL, -1, 0, NULL, NULL), OW_ECONFLICT);
    /* W02 is empty */
    assert_int_equal(ow_org_update(cx, org_id(f, "W02"), NULL, -1, 0, NULL, NULL), OW_OK);
    /* once the clerk is disabled, W01 may close */
    assert_int_equal(ow_account_update(cx, user_id(f, "demo-clerk"), 0, NULL, 0, NULL), OW_OK);
    assert_int_equal(ow_org_update(cx, org_id(f, "W01"), NULL, -1, 0, NULL, NULL), OW_OK);
    /* inactive orgs are hidden from everybody's list except an admin asking for them */
    json_t *list;
    assert_int_equal(ow_org_list_json(as(f, NULL), "window", 0, true, &list), OW_OK);
    size_t public_n = json_array_size(list);
    json_decref(list);
    assert_int_equal(ow_org_list_json(as(f, "demo-admin"), "window", 0, true, &list), OW_OK);
    assert_int_equal(json_array_size(list), public_n + 2);
    json_decref(list);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    ow_log_set_level(OW_LOG_ERROR);
    if (ow_crypto_init()) return 1;
    const struct CMUnitTest tests[] = {
        T(password_hash_verifies_and_change_replaces_it),
        T(password_hash_of_disabled_account_is_not_found),
        T(registration_errors_name_the_field),
        T(registering_a_number_twice_conflicts),
        T(a_mobile_number_belongs_to_one_account),
        T(throttle_take_counts_and_refuses_in_one_step),
        T(shared_throttle_take_counts_in_the_database),
        T(sign_in_name_may_be_id_uscc_or_mobile),
        T(session_resolves_into_the_actor),
        T(session_expires_after_its_absolute_lifetime),
        T(session_expires_after_idle_time),
        T(csrf_token_is_derived_from_the_session_token),
        T(sign_out_everywhere_keeps_only_the_named_session),
        T(sign_in_audit_row_names_who_signed_in),
        T(lockout_backs_off_then_success_resets),
        T(lockout_survives_as_data_and_admin_reenable_clears_it),
        T(throttle_locks_an_address_after_twenty_failures),
        T(throttle_failures_age_out_with_the_window),
        T(user_json_never_shows_numbers_in_clear),
        T(other_people_see_no_account_but_their_own),
        T(unmasked_view_is_allowed_to_few_and_audited),
        T(disabling_an_account_ends_its_sessions),
        T(changing_a_role_ends_sessions_and_checks_the_office),
        T(staff_are_created_by_admins_into_fitting_offices),
        T(org_tree_rules_hold_on_create),
        T(org_moves_keep_the_tree_shape_and_acyclic),
        T(org_with_active_staff_or_children_stays_active),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
