/* exchange_store.c — see exchange_store.h. */
#include "store/exchange_store.h"

#include <stdio.h>

#include "store/rows.h"

static const char *dupe(ow_arena *a, ow_stmt *st, int i) {
    return a ? ow_rows_dupe(a, st, i) : ow_db_text(st, i);
}

/* ---------------- peers ---------------- */

int ow_ex_store_peer_put(ow_db *db, const ow_ex_peer *p, int64_t valid_to_others, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO exchange_peers (instance, name, role, url, key_id, public_key, added_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT (instance, key_id) DO UPDATE SET name = excluded.name,"
        " role = excluded.role, url = excluded.url, valid_to = NULL",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, p->instance);
    ow_bind_text(st, 2, p->name);
    ow_bind_text(st, 3, p->role);
    ow_bind_text(st, 4, p->url);
    ow_bind_text(st, 5, p->key_id);
    ow_bind_text(st, 6, p->public_key);
    ow_bind_int64(st, 7, p->added_at);
    int rc = ow_rows_done(db, st, "exchange peer put", e);
    if (rc) return rc;
    /* the other rows of the peer take the new URL, and end when asked */
    st = ow_db_stmt(db,
                    "UPDATE exchange_peers SET url = ?3, name = ?4, role = ?5,"
                    " valid_to = CASE WHEN ?6 > 0 AND valid_to IS NULL THEN ?6 ELSE valid_to END"
                    " WHERE instance = ?1 AND key_id <> ?2",
                    e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, p->instance);
    ow_bind_text(st, 2, p->key_id);
    ow_bind_text(st, 3, p->url);
    ow_bind_text(st, 4, p->name);
    ow_bind_text(st, 5, p->role);
    ow_bind_int64(st, 6, valid_to_others);
    return ow_rows_done(db, st, "exchange peer others", e);
}

#define PEER_COLS "id, instance, name, role, url, key_id, public_key, added_at, valid_to"

static void peer_row(ow_arena *a, ow_stmt *st, ow_ex_peer *p) {
    p->id = ow_col_int64(st, 0);
    p->instance = dupe(a, st, 1);
    p->name = dupe(a, st, 2);
    p->role = dupe(a, st, 3);
    p->url = dupe(a, st, 4);
    p->key_id = dupe(a, st, 5);
    p->public_key = dupe(a, st, 6);
    p->added_at = ow_col_int64(st, 7);
    p->valid_to = ow_col_null(st, 8) ? 0 : ow_col_int64(st, 8);
}

static int peer_one(ow_db *db, ow_stmt *st, ow_arena *a, ow_ex_peer *out, bool *found, ow_err *e) {
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (*found) peer_row(a, st, out);
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "exchange peer", e);
    return OW_OK;
}

int ow_ex_store_peer_key(ow_db *db, ow_arena *a, const char *instance, const char *key_id,
                         int64_t at, ow_ex_peer *out, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT " PEER_COLS " FROM exchange_peers WHERE instance = ?1"
                             " AND key_id = ?2 AND (valid_to IS NULL OR valid_to > ?3)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, instance);
    ow_bind_text(st, 2, key_id);
    ow_bind_int64(st, 3, at);
    return peer_one(db, st, a, out, found, e);
}

int ow_ex_store_peer_current(ow_db *db, ow_arena *a, const char *instance, ow_ex_peer *out,
                             bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT " PEER_COLS " FROM exchange_peers WHERE instance = ?1"
                             " AND valid_to IS NULL ORDER BY id DESC LIMIT 1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, instance);
    return peer_one(db, st, a, out, found, e);
}

int ow_ex_store_peers_each(ow_db *db, ow_ex_peer_fn fn, void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "SELECT " PEER_COLS " FROM exchange_peers ORDER BY instance, id", e);
    if (!st) return OW_EDB;
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_ex_peer p;
        peer_row(NULL, st, &p);
        if ((out = fn(arg, &p))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "exchange peers", e);
    return out;
}

/* ---------------- the outbox ---------------- */

int ow_ex_store_out_put(ow_db *db, const char *destination, const char *type, const char *payload,
                        const char *payload_hash, int64_t now, int64_t *id, ow_err *e) {
    return ow_ex_store_out_put_at(db, destination, type, payload, payload_hash, now, now, id, e);
}

int ow_ex_store_out_put_at(ow_db *db, const char *destination, const char *type,
                           const char *payload, const char *payload_hash, int64_t now,
                           int64_t next_at, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO exchange_outbox (destination, type, payload,"
                             " payload_hash, created_at, next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, destination);
    ow_bind_text(st, 2, type);
    ow_bind_text(st, 3, payload);
    ow_bind_text(st, 4, payload_hash);
    ow_bind_int64(st, 5, now);
    ow_bind_int64(st, 6, next_at);
    return ow_rows_insert(db, st, id, "exchange outbox put", e);
}

int ow_ex_store_out_times(ow_db *db, const char *destination, int64_t since, int64_t *out, int max,
                          int *n, ow_err *e) {
    *n = 0;
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT t FROM (SELECT COALESCE(delivered_at, next_at) AS t"
                             " FROM exchange_outbox WHERE destination = ?1 AND failed_at IS NULL)"
                             " AS s WHERE t >= ?2 ORDER BY t DESC LIMIT ?3",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, destination);
    ow_bind_int64(st, 2, since);
    ow_bind_int(st, 3, max);
    int rc;
    while ((rc = ow_step(st)) == OW_ROW && *n < max)
        out[(*n)++] = ow_col_int64(st, 0);
    ow_reset(st);
    if (rc != OW_DONE && rc != OW_ROW) return ow_db_fail(db, "exchange outbox times", e);
    for (int i = 0; i < *n / 2; i++) { /* newest first → ascending */
        int64_t t = out[i];
        out[i] = out[*n - 1 - i];
        out[*n - 1 - i] = t;
    }
    return OW_OK;
}

int ow_ex_store_out_destinations(ow_db *db, ow_arena *a, const char **out, int max, int *n,
                                 ow_err *e) {
    *n = 0;
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT destination FROM exchange_outbox"
                             " WHERE delivered_at IS NULL AND failed_at IS NULL"
                             " GROUP BY destination ORDER BY MIN(next_at)",
                             e);
    if (!st) return OW_EDB;
    int rc;
    while ((rc = ow_step(st)) == OW_ROW)
        if (*n < max) out[(*n)++] = ow_rows_dupe(a, st, 0);
    ow_reset(st);
    if (rc != OW_DONE) return ow_db_fail(db, "exchange destinations", e);
    return OW_OK;
}

int ow_ex_store_out_head(ow_db *db, ow_arena *a, const char *destination, int limit, ow_ex_out *out,
                         int *n, ow_err *e) {
    *n = 0;
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT id, destination, type, payload, payload_hash, last_error, created_at, attempts,"
        " next_at FROM exchange_outbox WHERE destination = ?1 AND delivered_at IS NULL"
        " AND failed_at IS NULL ORDER BY id LIMIT ?2",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, destination);
    ow_bind_int(st, 2, limit);
    int rc;
    while ((rc = ow_step(st)) == OW_ROW && *n < limit) {
        ow_ex_out *o = &out[(*n)++];
        o->id = ow_col_int64(st, 0);
        o->destination = ow_rows_dupe(a, st, 1);
        o->type = ow_rows_dupe(a, st, 2);
        o->payload = ow_rows_dupe(a, st, 3);
        o->payload_hash = ow_rows_dupe(a, st, 4);
        o->last_error = ow_rows_dupe(a, st, 5);
        o->created_at = ow_col_int64(st, 6);
        o->attempts = ow_col_int64(st, 7);
        o->next_at = ow_col_int64(st, 8);
    }
    ow_reset(st);
    if (rc != OW_DONE && rc != OW_ROW) return ow_db_fail(db, "exchange outbox head", e);
    return OW_OK;
}

int ow_ex_store_out_delivered(ow_db *db, int64_t id, int64_t at, const char *receipt, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE exchange_outbox SET delivered_at = ?2, receipt = ?3,"
                             " attempts = attempts + 1, last_attempt_at = ?2"
                             " WHERE id = ?1 AND delivered_at IS NULL",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, at);
    ow_bind_text(st, 3, receipt);
    return ow_rows_done(db, st, "exchange outbox delivered", e);
}

int ow_ex_store_out_failed(ow_db *db, int64_t id, int64_t at, const char *error, int64_t next_at,
                           ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "UPDATE exchange_outbox SET attempts = attempts + 1, last_attempt_at = ?2,"
                   " last_error = ?3, next_at = CASE WHEN ?4 > 0 THEN ?4 ELSE next_at END,"
                   " failed_at = CASE WHEN ?4 > 0 THEN NULL ELSE ?2 END"
                   " WHERE id = ?1 AND delivered_at IS NULL",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, at);
    ow_bind_text(st, 3, error);
    ow_bind_int64(st, 4, next_at);
    return ow_rows_done(db, st, "exchange outbox failed", e);
}

int ow_ex_store_out_retry(ow_db *db, int64_t id, int64_t now, int64_t *changed, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE exchange_outbox SET failed_at = NULL, next_at = ?2"
                             " WHERE failed_at IS NOT NULL AND delivered_at IS NULL"
                             " AND (?1 = 0 OR id = ?1)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, now);
    int rc = ow_rows_done(db, st, "exchange outbox retry", e);
    if (!rc) *changed = ow_db_changes(db);
    return rc;
}

int ow_ex_store_out_stats(ow_db *db, ow_ex_out_stats *out, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT"
        " COALESCE(SUM(CASE WHEN delivered_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0),"
        " COALESCE(MIN(CASE WHEN delivered_at IS NULL THEN created_at END), 0),"
        " COALESCE(SUM(CASE WHEN delivered_at IS NULL AND failed_at IS NULL AND attempts > 0"
        "   THEN 1 ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN delivered_at IS NULL AND failed_at IS NOT NULL THEN 1 ELSE 0"
        "   END), 0),"
        " COALESCE(SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END), 0),"
        " COALESCE(MAX(CASE WHEN delivered_at IS NULL THEN attempts END), 0)"
        " FROM exchange_outbox",
        e);
    if (!st) return OW_EDB;
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        out->depth = ow_col_int64(st, 0);
        out->oldest_at = ow_col_int64(st, 1);
        out->failing = ow_col_int64(st, 2);
        out->given_up = ow_col_int64(st, 3);
        out->delivered = ow_col_int64(st, 4);
        out->max_attempts = ow_col_int64(st, 5);
    }
    ow_reset(st);
    if (rc != OW_ROW) return ow_db_fail(db, "exchange outbox stats", e);
    return OW_OK;
}

/* ---------------- applied ids ---------------- */

int ow_ex_store_inbox_get(ow_db *db, ow_arena *a, const char *sender, const char *message_id,
                          ow_ex_seen *out, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT type, payload_hash, sent_at, received_at FROM exchange_inbox"
                             " WHERE sender = ?1 AND message_id = ?2",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, sender);
    ow_bind_text(st, 2, message_id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (*found) {
        out->type = ow_rows_dupe(a, st, 0);
        out->payload_hash = ow_rows_dupe(a, st, 1);
        out->sent_at = ow_col_int64(st, 2);
        out->received_at = ow_col_int64(st, 3);
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "exchange inbox get", e);
    return OW_OK;
}

int ow_ex_store_inbox_put(ow_db *db, const char *sender, const char *message_id, const char *type,
                          int64_t sent_at, const char *payload_hash, int64_t now, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO exchange_inbox (sender, message_id, type, sent_at,"
                             " payload_hash, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, sender);
    ow_bind_text(st, 2, message_id);
    ow_bind_text(st, 3, type);
    ow_bind_int64(st, 4, sent_at);
    ow_bind_text(st, 5, payload_hash);
    ow_bind_int64(st, 6, now);
    return ow_rows_done(db, st, "exchange inbox put", e);
}

int ow_ex_store_inbox_touch(ow_db *db, const char *sender, const char *message_id, int64_t sent_at,
                            ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE exchange_inbox SET sent_at = ?3"
                             " WHERE sender = ?1 AND message_id = ?2",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, sender);
    ow_bind_text(st, 2, message_id);
    ow_bind_int64(st, 3, sent_at);
    return ow_rows_done(db, st, "exchange inbox touch", e);
}

/* ---------------- the message log ---------------- */

int ow_ex_store_log_put(ow_db *db, const ow_ex_log *l, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO exchange_log (direction, peer, message_id, type, at,"
                             " status, reason, payload_hash, payload, attempts)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, l->direction);
    ow_bind_text(st, 2, l->peer);
    ow_bind_text(st, 3, l->message_id);
    ow_bind_text(st, 4, l->type);
    ow_bind_int64(st, 5, l->at);
    ow_bind_text(st, 6, l->status);
    ow_bind_text(st, 7, l->reason ? l->reason : "");
    ow_bind_text(st, 8, l->payload_hash);
    ow_rows_bind_opt_text(st, 9, l->payload);
    ow_bind_int64(st, 10, l->attempts > 0 ? l->attempts : 1);
    return ow_rows_done(db, st, "exchange log put", e);
}

#define LOG_WHERE                                                                                  \
    " WHERE (?1 IS NULL OR direction = ?1) AND (?2 IS NULL OR peer = ?2)"                          \
    " AND (?3 IS NULL OR type = ?3) AND (?4 IS NULL OR status = ?4)"                               \
    " AND (?5 IS NULL OR message_id = ?5)"

static void bind_log_filter(ow_stmt *st, const ow_ex_log_filter *f) {
    const char *v[] = {f->direction, f->peer, f->type, f->status, f->message_id};
    for (int i = 0; i < 5; i++)
        ow_rows_bind_opt_text(st, i + 1, v[i] && *v[i] ? v[i] : NULL);
}

int ow_ex_store_log_count(ow_db *db, const ow_ex_log_filter *f, int64_t *total, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT COUNT(*) FROM exchange_log" LOG_WHERE, e);
    if (!st) return OW_EDB;
    bind_log_filter(st, f);
    int rc = ow_step(st);
    if (rc == OW_ROW) *total = ow_col_int64(st, 0);
    ow_reset(st);
    if (rc != OW_ROW) return ow_db_fail(db, "exchange log count", e);
    return OW_OK;
}

int ow_ex_store_log_page(ow_db *db, const ow_ex_log_filter *f, int limit, int64_t offset,
                         ow_ex_log_fn fn, void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT id, direction, peer, message_id, type, at, status, reason,"
                             " payload_hash, payload, attempts FROM exchange_log" LOG_WHERE
                             " ORDER BY id DESC LIMIT ?6 OFFSET ?7",
                             e);
    if (!st) return OW_EDB;
    bind_log_filter(st, f);
    ow_bind_int(st, 6, limit);
    ow_bind_int64(st, 7, offset);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_ex_log l = {.id = ow_col_int64(st, 0),
                       .direction = ow_db_text(st, 1),
                       .peer = ow_db_text(st, 2),
                       .message_id = ow_db_text(st, 3),
                       .type = ow_db_text(st, 4),
                       .at = ow_col_int64(st, 5),
                       .status = ow_db_text(st, 6),
                       .reason = ow_db_text(st, 7),
                       .payload_hash = ow_db_text(st, 8),
                       .payload = ow_col_null(st, 9) ? NULL : ow_db_text(st, 9),
                       .attempts = ow_col_int64(st, 10)};
        if ((out = fn(arg, &l))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "exchange log page", e);
    return out;
}

int ow_ex_store_log_prune(ow_db *db, int64_t before, int64_t *changed, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "UPDATE exchange_log SET payload = NULL WHERE at < ?1 AND payload IS NOT NULL", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, before);
    int rc = ow_rows_done(db, st, "exchange log prune", e);
    if (!rc) *changed = ow_db_changes(db);
    return rc;
}

/* ---------------- the city ---------------- */

int ow_ex_store_city_case_put(ow_db *db, const ow_ex_city_case *c, ow_err *e) {
    /* a field a message does not carry ('' / NULL) keeps what an earlier one said */
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO exchange_city_cases (district, case_no, item_code, item_name,"
        " applicant_type, applicant_masked, state, result, accepted_date, due_date,"
        " decided_date, concluded_at, overdue, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
        " ON CONFLICT (district, case_no) DO UPDATE SET state = excluded.state,"
        " result = CASE WHEN excluded.result <> '' THEN excluded.result"
        "   ELSE exchange_city_cases.result END,"
        " accepted_date = CASE WHEN excluded.accepted_date <> '' THEN excluded.accepted_date"
        "   ELSE exchange_city_cases.accepted_date END,"
        " due_date = CASE WHEN excluded.due_date <> '' THEN excluded.due_date"
        "   ELSE exchange_city_cases.due_date END,"
        " decided_date = CASE WHEN excluded.decided_date <> '' THEN excluded.decided_date"
        "   ELSE exchange_city_cases.decided_date END,"
        " concluded_at = COALESCE(excluded.concluded_at, exchange_city_cases.concluded_at),"
        " overdue = excluded.overdue, updated_at = excluded.updated_at",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, c->district);
    ow_bind_text(st, 2, c->case_no);
    ow_bind_text(st, 3, c->item_code);
    ow_bind_text(st, 4, c->item_name);
    ow_bind_text(st, 5, c->applicant_type);
    ow_bind_text(st, 6, c->applicant_masked);
    ow_bind_text(st, 7, c->state);
    ow_bind_text(st, 8, c->result ? c->result : "");
    ow_bind_text(st, 9, c->accepted_date ? c->accepted_date : "");
    ow_bind_text(st, 10, c->due_date ? c->due_date : "");
    ow_bind_text(st, 11, c->decided_date ? c->decided_date : "");
    if (c->concluded_at > 0)
        ow_bind_int64(st, 12, c->concluded_at);
    else
        ow_bind_null(st, 12);
    ow_bind_int(st, 13, c->overdue ? 1 : 0);
    ow_bind_int64(st, 14, c->updated_at);
    return ow_rows_done(db, st, "exchange city case", e);
}

int ow_ex_store_city_rating_put(ow_db *db, const char *district, int64_t rating_id,
                                const char *channel, int level, const char *case_no,
                                int64_t rated_at, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "INSERT INTO exchange_city_ratings (district, rating_id, channel, level,"
                   " case_no, rated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                   " ON CONFLICT (district, rating_id) DO NOTHING",
                   e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, district);
    ow_bind_int64(st, 2, rating_id);
    ow_bind_text(st, 3, channel);
    ow_bind_int(st, 4, level);
    ow_bind_text(st, 5, case_no);
    ow_bind_int64(st, 6, rated_at);
    return ow_rows_done(db, st, "exchange city rating", e);
}

int ow_ex_store_city_rect_put(ow_db *db, const char *district, int64_t rating_id, const char *state,
                              bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE exchange_city_ratings SET rect_state = ?3"
                             " WHERE district = ?1 AND rating_id = ?2",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, district);
    ow_bind_int64(st, 2, rating_id);
    ow_bind_text(st, 3, state);
    int rc = ow_rows_done(db, st, "exchange city rectification", e);
    if (!rc) *found = ow_db_changes(db) > 0;
    return rc;
}

int ow_ex_store_out_has(ow_db *db, const char *type, const char *fragment, bool *has, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT 1 FROM exchange_outbox WHERE type = ?1"
                             " AND instr(payload, ?2) > 0 LIMIT 1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, type);
    ow_bind_text(st, 2, fragment);
    int rc = ow_step(st);
    *has = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "exchange outbox has", e);
    return OW_OK;
}

int ow_ex_store_city_monthly_put(ow_db *db, const char *district, const char *month,
                                 int64_t received, int64_t accepted, int64_t concluded,
                                 const char *payload, int64_t now, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO exchange_city_monthly (district, month, received, accepted, concluded,"
        " payload, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT (district, month) DO UPDATE SET received = excluded.received,"
        " accepted = excluded.accepted, concluded = excluded.concluded,"
        " payload = excluded.payload, updated_at = excluded.updated_at",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, district);
    ow_bind_text(st, 2, month);
    ow_bind_int64(st, 3, received);
    ow_bind_int64(st, 4, accepted);
    ow_bind_int64(st, 5, concluded);
    ow_bind_text(st, 6, payload);
    ow_bind_int64(st, 7, now);
    return ow_rows_done(db, st, "exchange city monthly", e);
}

int ow_ex_store_city_monthly_each(ow_db *db, const char *month, ow_ex_monthly_fn fn, void *arg,
                                  ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT district, received, accepted, concluded"
                             " FROM exchange_city_monthly WHERE month = ?1 ORDER BY district",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, month);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_db_text(st, 0), ow_col_int64(st, 1), ow_col_int64(st, 2),
                      ow_col_int64(st, 3))))
            break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "exchange city monthly", e);
    return out;
}

int ow_ex_store_city_annual_put(ow_db *db, const char *district, int64_t year,
                                int64_t published_total, const char *payload, int64_t now,
                                ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO exchange_city_annual (district, year, published_total,"
                             " payload, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                             " ON CONFLICT (district, year) DO UPDATE SET"
                             " published_total = excluded.published_total,"
                             " payload = excluded.payload, updated_at = excluded.updated_at",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, district);
    ow_bind_int64(st, 2, year);
    ow_bind_int64(st, 3, published_total);
    ow_bind_text(st, 4, payload);
    ow_bind_int64(st, 5, now);
    return ow_rows_done(db, st, "exchange city annual", e);
}

int ow_ex_store_city_annual_each(ow_db *db, int64_t year, ow_ex_annual_fn fn, void *arg,
                                 ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT district, published_total FROM exchange_city_annual"
                             " WHERE year = ?1 ORDER BY district",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, year);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_db_text(st, 0), ow_col_int64(st, 1)))) break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "exchange city annual", e);
    return out;
}

int ow_ex_store_city_head_put(ow_db *db, const char *district, int64_t seq, const char *hash,
                              int64_t at, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO exchange_city_heads (district, seq, hash, at)"
                             " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (district) DO UPDATE SET"
                             " seq = excluded.seq, hash = excluded.hash, at = excluded.at"
                             " WHERE excluded.seq >= exchange_city_heads.seq",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, district);
    ow_bind_int64(st, 2, seq);
    ow_bind_text(st, 3, hash);
    ow_bind_int64(st, 4, at);
    return ow_rows_done(db, st, "exchange city head", e);
}

int ow_ex_store_city_stats(ow_db *db, const char *today, ow_ex_city_fn fn, void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT d.district, COALESCE(c.n, 0), COALESCE(c.n_acc, 0), COALESCE(c.n_dec, 0),"
        " COALESCE(c.n_con, 0), COALESCE(c.n_appr, 0), COALESCE(c.n_ovd, 0), COALESCE(c.n_op, 0),"
        " COALESCE(c.n_red, 0), COALESCE(c.n_yel, 0), COALESCE(h.seq, 0), COALESCE(h.at, 0),"
        " COALESCE(r.n, 0), COALESCE(r.n_bad, 0), COALESCE(r.lsum, 0), COALESCE(r.n_open, 0)"
        " FROM (SELECT district FROM exchange_city_cases UNION"
        "       SELECT district FROM exchange_city_ratings UNION"
        "       SELECT district FROM exchange_city_heads) d"
        " LEFT JOIN (SELECT district, COUNT(*) AS n,"
        "   SUM(CASE WHEN accepted_date <> '' THEN 1 ELSE 0 END) AS n_acc,"
        "   SUM(CASE WHEN decided_date <> '' THEN 1 ELSE 0 END) AS n_dec,"
        "   SUM(CASE WHEN concluded_at IS NOT NULL THEN 1 ELSE 0 END) AS n_con,"
        "   SUM(CASE WHEN result = 'approved' THEN 1 ELSE 0 END) AS n_appr,"
        "   SUM(overdue) AS n_ovd,"
        "   SUM(CASE WHEN concluded_at IS NULL THEN 1 ELSE 0 END) AS n_op,"
        "   SUM(CASE WHEN concluded_at IS NULL AND due_date <> '' AND due_date < ?1"
        "     THEN 1 ELSE 0 END) AS n_red,"
        "   SUM(CASE WHEN concluded_at IS NULL AND due_date = ?1 THEN 1 ELSE 0 END) AS n_yel"
        "   FROM exchange_city_cases GROUP BY district) c ON c.district = d.district"
        " LEFT JOIN exchange_city_heads h ON h.district = d.district"
        " LEFT JOIN (SELECT district, COUNT(*) AS n,"
        "   SUM(CASE WHEN level <= 2 THEN 1 ELSE 0 END) AS n_bad, SUM(level) AS lsum,"
        "   SUM(CASE WHEN rect_state <> '' AND rect_state NOT IN ('closed', 'published')"
        "     THEN 1 ELSE 0 END) AS n_open"
        "   FROM exchange_city_ratings GROUP BY district) r ON r.district = d.district"
        " ORDER BY d.district",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, today);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_ex_city_row r = {.district = ow_db_text(st, 0)};
        int64_t *v[] = {&r.cases,   &r.accepted, &r.decided,     &r.concluded, &r.approved,
                        &r.overdue, &r.open,     &r.red,         &r.yellow,    &r.head_seq,
                        &r.head_at, &r.ratings,  &r.bad_ratings, &r.level_sum, &r.rect_open};
        for (int i = 0; i < 15; i++)
            *v[i] = ow_col_int64(st, i + 1);
        if ((out = fn(arg, &r))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "exchange city stats", e);
    return out;
}

int ow_ex_store_city_license_put(ow_db *db, const ow_ex_city_license *l, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO exchange_city_licenses (district, number, type, issuer, holder_kind,"
        " holder_masked, holder_hmac, issued_date, valid_until, cert_hash, status, revoked_at,"
        " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'valid', 0, ?11)"
        " ON CONFLICT (district, number) DO UPDATE SET type = excluded.type,"
        " issuer = excluded.issuer, holder_kind = excluded.holder_kind,"
        " holder_masked = excluded.holder_masked, holder_hmac = excluded.holder_hmac,"
        " issued_date = excluded.issued_date, valid_until = excluded.valid_until,"
        " cert_hash = excluded.cert_hash, updated_at = excluded.updated_at",
        e);
    if (!st) return OW_EDB;
    const char *v[] = {l->district,    l->number,        l->type,        l->issuer,
                       l->holder_kind, l->holder_masked, l->holder_hmac, l->issued_date,
                       l->valid_until, l->cert_hash};
    for (int i = 0; i < 10; i++)
        ow_bind_text(st, i + 1, v[i]);
    ow_bind_int64(st, 11, l->updated_at);
    return ow_rows_done(db, st, "exchange city license", e);
}

int ow_ex_store_city_license_revoke(ow_db *db, const char *district, const char *number, int64_t at,
                                    bool *found, ow_err *e) {
    *found = false;
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE exchange_city_licenses SET status = 'revoked',"
                             " revoked_at = ?3, updated_at = ?3"
                             " WHERE district = ?1 AND number = ?2 RETURNING 1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, district);
    ow_bind_text(st, 2, number);
    ow_bind_int64(st, 3, at);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    int out = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "exchange city revoke", e);
    ow_reset(st);
    return out;
}

int ow_ex_store_city_license_each(ow_db *db, const char *district, const char *holder_hmac,
                                  ow_ex_license_fn fn, void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT district, number, type, issuer, holder_kind, holder_masked, holder_hmac,"
                   " issued_date, valid_until, cert_hash, status, revoked_at, updated_at"
                   " FROM exchange_city_licenses WHERE (?1 = '' OR district = ?1)"
                   " AND (?2 = '' OR holder_hmac = ?2) ORDER BY district, number LIMIT 500",
                   e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, district);
    ow_bind_text(st, 2, holder_hmac);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_ex_city_license l = {.district = ow_db_text(st, 0),
                                .number = ow_db_text(st, 1),
                                .type = ow_db_text(st, 2),
                                .issuer = ow_db_text(st, 3),
                                .holder_kind = ow_db_text(st, 4),
                                .holder_masked = ow_db_text(st, 5),
                                .holder_hmac = ow_db_text(st, 6),
                                .issued_date = ow_db_text(st, 7),
                                .valid_until = ow_db_text(st, 8),
                                .cert_hash = ow_db_text(st, 9),
                                .status = ow_db_text(st, 10),
                                .revoked_at = ow_col_int64(st, 11),
                                .updated_at = ow_col_int64(st, 12)};
        if ((out = fn(arg, &l))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "exchange city licenses", e);
    return out;
}

int ow_ex_store_sms_report(ow_db *db, int64_t outbox_id, const char *message_id, const char *status,
                           const char *detail, int64_t now, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO sms_reports (message_id, outbox_id, status, detail,"
                             " received_at) SELECT ?1, id, ?3, ?4, ?5 FROM exchange_outbox"
                             " WHERE id = ?2 AND destination LIKE 'sms:%'",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, message_id);
    ow_bind_int64(st, 2, outbox_id);
    ow_bind_text(st, 3, status);
    ow_bind_text(st, 4, detail);
    ow_bind_int64(st, 5, now);
    int rc = ow_rows_done(db, st, "sms report", e);
    if (rc) return rc;
    *found = ow_db_changes(db) == 1;
    return OW_OK;
}

int ow_ex_store_sms_each(ow_db *db, ow_arena *a, const char *destination, int limit,
                         int (*fn)(void *arg, const ow_ex_sms *s), void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT o.id, o.created_at, o.next_at, o.attempts, o.delivered_at, o.destination,"
        " o.payload, o.receipt, o.last_error, o.failed_at,"
        " (SELECT COUNT(*) FROM sms_reports r WHERE r.outbox_id = o.id),"
        " (SELECT r.status FROM sms_reports r WHERE r.outbox_id = o.id ORDER BY r.id DESC"
        " LIMIT 1),"
        " (SELECT r.detail FROM sms_reports r WHERE r.outbox_id = o.id ORDER BY r.id DESC"
        " LIMIT 1) FROM exchange_outbox o WHERE o.destination LIKE 'sms:%'"
        " AND (?1 = '' OR o.destination = ?1) ORDER BY o.id DESC LIMIT ?2",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, destination ? destination : "");
    ow_bind_int(st, 2, limit);
    int rc, frc = OW_OK;
    while (!frc && (rc = ow_step(st)) == OW_ROW) {
        ow_ex_sms s = {.id = ow_col_int64(st, 0),
                       .created_at = ow_col_int64(st, 1),
                       .next_at = ow_col_int64(st, 2),
                       .attempts = ow_col_int64(st, 3),
                       .delivered_at = ow_col_int64(st, 4),
                       .destination = ow_rows_dupe(a, st, 5),
                       .payload = ow_rows_dupe(a, st, 6),
                       .receipt = ow_rows_dupe(a, st, 7),
                       .last_error = ow_rows_dupe(a, st, 8),
                       .failed_at = ow_col_int64(st, 9),
                       .reports = ow_col_int64(st, 10),
                       .report_status = ow_rows_dupe(a, st, 11),
                       .report_detail = ow_rows_dupe(a, st, 12)};
        if (!s.receipt) s.receipt = "";
        if (!s.report_status) s.report_status = "";
        if (!s.report_detail) s.report_detail = "";
        frc = fn(arg, &s);
    }
    ow_reset(st);
    if (frc) return frc;
    if (rc != OW_DONE) return ow_db_fail(db, "sms rows", e);
    return OW_OK;
}
