/* identity_store.c — see identity_store.h.  SQL that SQLite and PostgreSQL both run. */
#include "store/identity_store.h"

#include <string.h>

#include "store/rows.h"

int ow_identity_store_login_insert(ow_db *db, const char *state_hash, const char *nonce,
                                   const char *verifier, const char *redirect_uri,
                                   const char *return_to, int64_t now_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO oidc_logins (state_hash, nonce, verifier, redirect_uri,"
                             " return_to, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, state_hash);
    ow_bind_text(st, 2, nonce);
    ow_bind_text(st, 3, verifier);
    ow_bind_text(st, 4, redirect_uri);
    ow_bind_text(st, 5, return_to);
    ow_bind_int64(st, 6, now_ms);
    return ow_rows_done(db, st, "oidc login", e);
}

int ow_identity_store_login_take(ow_db *db, const char *state_hash, int64_t now_ms, ow_arena *a,
                                 ow_oidc_login_row *out, bool *found, bool *used, ow_err *e) {
    memset(out, 0, sizeof *out);
    *found = *used = false;
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT nonce, verifier, redirect_uri, return_to, created_at,"
                             " used_at FROM oidc_logins WHERE state_hash = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, state_hash);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *found = true;
        out->nonce = ow_rows_dupe(a, st, 0);
        out->verifier = ow_rows_dupe(a, st, 1);
        out->redirect_uri = ow_rows_dupe(a, st, 2);
        out->return_to = ow_rows_dupe(a, st, 3);
        out->created_at = ow_col_int64(st, 4);
        *used = !ow_col_null(st, 5);
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "oidc login", e);
    if (!*found || *used) return OW_OK;
    st = ow_db_stmt(
        db, "UPDATE oidc_logins SET used_at = ?1 WHERE state_hash = ?2 AND used_at IS NULL", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, now_ms);
    ow_bind_text(st, 2, state_hash);
    if ((rc = ow_rows_done(db, st, "oidc login take", e))) return rc;
    /* The writer runs one job at a time, but say so rather than rely on it. */
    if (ow_db_changes(db) != 1) *used = true;
    return OW_OK;
}

int ow_identity_store_login_purge(ow_db *db, int64_t before_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "DELETE FROM oidc_logins WHERE created_at < ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, before_ms);
    return ow_rows_done(db, st, "oidc login purge", e);
}

static void link_row(ow_stmt *st, ow_arena *a, ow_identity_link_row *r) {
    r->id = ow_col_int64(st, 0);
    r->issuer = ow_rows_dupe(a, st, 1);
    r->subject = ow_rows_dupe(a, st, 2);
    r->user_id = ow_col_int64(st, 3);
    r->level = ow_rows_dupe(a, st, 4);
    r->created_by = ow_col_null(st, 5) ? 0 : ow_col_int64(st, 5);
    r->created_at = ow_col_int64(st, 6);
    r->last_sign_in_at = ow_col_null(st, 7) ? 0 : ow_col_int64(st, 7);
    r->username = r->name = NULL;
}

#define LINK_COLS                                                                                  \
    "SELECT id, issuer, subject, user_id, level, created_by, created_at, last_sign_in_at"          \
    " FROM identity_links"

int ow_identity_store_link_find(ow_db *db, const char *issuer, const char *subject, ow_arena *a,
                                ow_identity_link_row *out, bool *found, ow_err *e) {
    memset(out, 0, sizeof *out);
    *found = false;
    ow_stmt *st = ow_db_stmt(db, LINK_COLS " WHERE issuer = ?1 AND subject = ?2", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, issuer);
    ow_bind_text(st, 2, subject);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *found = true;
        link_row(st, a, out);
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "identity link", e);
    return OW_OK;
}

int ow_identity_store_link_insert(ow_db *db, const char *issuer, const char *subject,
                                  int64_t user_id, int64_t created_by, int64_t now_ms, int64_t *id,
                                  ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO identity_links (issuer, subject, user_id, created_by,"
                             " created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, issuer);
    ow_bind_text(st, 2, subject);
    ow_bind_int64(st, 3, user_id);
    ow_rows_bind_opt_id(st, 4, created_by);
    ow_bind_int64(st, 5, now_ms);
    return ow_rows_insert_guarded(db, st, id, "identity link", e);
}

int ow_identity_store_link_signed_in(ow_db *db, int64_t id, const char *level, int64_t now_ms,
                                     ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "UPDATE identity_links SET level = ?1, last_sign_in_at = ?2 WHERE id = ?3", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, level);
    ow_bind_int64(st, 2, now_ms);
    ow_bind_int64(st, 3, id);
    return ow_rows_done(db, st, "identity link sign-in", e);
}

int ow_identity_store_links_of(ow_db *db, int64_t user_id, ow_arena *a, ow_identity_link_cb cb,
                               void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, LINK_COLS " WHERE user_id = ? ORDER BY id", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user_id);
    int rc, crc = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_identity_link_row r;
        link_row(st, a, &r);
        if ((crc = cb(arg, &r))) break;
    }
    ow_reset(st);
    if (crc) return crc;
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "identity links", e);
    return OW_OK;
}

int ow_identity_store_staff_links(ow_db *db, ow_arena *a, ow_identity_link_cb cb, void *arg,
                                  ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT l.id, l.issuer, l.subject, l.user_id, l.level, l.created_by,"
                             " l.created_at, l.last_sign_in_at, u.username, u.name"
                             " FROM identity_links l JOIN users u ON u.id = l.user_id"
                             " WHERE u.kind = 'staff' ORDER BY u.username, l.id",
                             e);
    if (!st) return OW_EDB;
    int rc, crc = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_identity_link_row r;
        link_row(st, a, &r);
        r.username = ow_rows_dupe(a, st, 8);
        r.name = ow_rows_dupe(a, st, 9);
        if ((crc = cb(arg, &r))) break;
    }
    ow_reset(st);
    if (crc) return crc;
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "staff identity links", e);
    return OW_OK;
}

int ow_identity_store_link_delete(ow_db *db, int64_t user_id, int64_t id, bool *found, ow_err *e) {
    *found = false;
    ow_stmt *st = ow_db_stmt(db,
                             "DELETE FROM oidc_sessions WHERE link_id = ?1 AND link_id IN"
                             " (SELECT id FROM identity_links WHERE id = ?1 AND user_id = ?2)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, user_id);
    int rc = ow_rows_done(db, st, "identity link sessions", e);
    if (rc) return rc;
    st = ow_db_stmt(db, "DELETE FROM identity_links WHERE id = ?1 AND user_id = ?2", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, user_id);
    if ((rc = ow_rows_done(db, st, "identity link delete", e))) return rc;
    *found = ow_db_changes(db) == 1;
    return OW_OK;
}

int ow_identity_store_session_insert(ow_db *db, int64_t session_id, int64_t link_id,
                                     const char *id_token, const char *level, const char *sid,
                                     ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO oidc_sessions (session_id, link_id, id_token, level, sid)"
                             " VALUES (?1, ?2, ?3, ?4, ?5)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, session_id);
    ow_bind_int64(st, 2, link_id);
    ow_bind_text(st, 3, id_token);
    ow_bind_text(st, 4, level);
    ow_bind_text(st, 5, sid ? sid : "");
    return ow_rows_done(db, st, "oidc session", e);
}

int ow_identity_store_logout_sessions(ow_db *db, const char *issuer, const char *sub,
                                      const char *sid, int64_t *ids, int64_t *users, int max,
                                      int *n, ow_err *e) {
    *n = 0;
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT o.session_id, l.user_id FROM oidc_sessions o"
                             " JOIN identity_links l ON l.id = o.link_id"
                             " JOIN sessions s ON s.id = o.session_id"
                             " WHERE l.issuer = ?1 AND (?2 = '' OR l.subject = ?2)"
                             " AND (?3 = '' OR o.sid = ?3) AND s.ended_at IS NULL"
                             " ORDER BY o.session_id LIMIT ?4",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, issuer);
    ow_bind_text(st, 2, sub ? sub : "");
    ow_bind_text(st, 3, sid ? sid : "");
    ow_bind_int(st, 4, max);
    int rc;
    while ((rc = ow_step(st)) == OW_ROW && *n < max) {
        ids[*n] = ow_col_int64(st, 0);
        users[*n] = ow_col_int64(st, 1);
        (*n)++;
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "oidc logout sessions", e);
    return OW_OK;
}

int ow_identity_store_logout_jti(ow_db *db, const char *jti, const char *issuer, int64_t now_ms,
                                 int64_t purge_before_ms, bool *fresh, ow_err *e) {
    *fresh = false;
    ow_stmt *st = ow_db_stmt(db, "DELETE FROM oidc_logout_tokens WHERE received_at < ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, purge_before_ms);
    int rc = ow_rows_done(db, st, "oidc logout tokens purge", e);
    if (rc) return rc;
    st = ow_db_stmt(db,
                    "INSERT INTO oidc_logout_tokens (jti, issuer, received_at) VALUES (?1, ?2, ?3)"
                    " ON CONFLICT (jti) DO NOTHING",
                    e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, jti);
    ow_bind_text(st, 2, issuer);
    ow_bind_int64(st, 3, now_ms);
    if ((rc = ow_rows_done(db, st, "oidc logout token", e))) return rc;
    *fresh = ow_db_changes(db) == 1;
    return OW_OK;
}

int ow_identity_store_session_token(ow_db *db, int64_t session_id, ow_arena *a,
                                    const char **id_token, ow_err *e) {
    *id_token = NULL;
    ow_stmt *st = ow_db_stmt(db, "SELECT id_token FROM oidc_sessions WHERE session_id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, session_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) *id_token = ow_rows_dup(a, st, 0);
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "oidc session", e);
    return OW_OK;
}

int ow_identity_store_session_identity(ow_db *db, int64_t session_id, ow_arena *a,
                                       const char **issuer, const char **subject,
                                       const char **level, bool *found, ow_err *e) {
    *found = false;
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT l.issuer, l.subject, s.level FROM oidc_sessions s"
                             " JOIN identity_links l ON l.id = s.link_id WHERE s.session_id = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, session_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *found = true;
        *issuer = ow_rows_dupe(a, st, 0);
        *subject = ow_rows_dupe(a, st, 1);
        *level = ow_rows_dupe(a, st, 2);
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "oidc session identity", e);
    return OW_OK;
}
