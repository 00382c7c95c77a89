/* account_store.c — see account_store.h. */
#include "store/account_store.h"

#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/rows.h"

/* ---------------- organisations ---------------- */

int ow_account_store_org_kind(ow_db *db, int64_t id, char kind[16], bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT kind FROM orgs WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) snprintf(kind, 16, "%s", ow_db_text(st, 0));
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "org kind", e);
    return OW_OK;
}

int ow_account_store_org_first_of_kind(ow_db *db, const char *kind, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT id FROM orgs WHERE kind = ? AND active = 1 ORDER BY sort, code LIMIT 1", e);
    *id = 0;
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, kind);
    int rc = ow_step(st);
    if (rc == OW_ROW) *id = ow_col_int64(st, 0);
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "org first", e);
    return OW_OK;
}

int ow_account_store_org_name(ow_db *db, int64_t id, ow_arena *a, const char **name, bool *found,
                              ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT name FROM orgs WHERE id = ?", e);
    *name = "";
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) *name = ow_rows_dupe(a, st, 0);
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "org name", e);
    return OW_OK;
}

int ow_account_store_org_id_by_code(ow_db *db, const char *code, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT id FROM orgs WHERE code = ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, code);
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "org by code", e);
    return OW_OK;
}

int ow_account_store_org_within(ow_db *db, int64_t id, int64_t ancestor, bool *out, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "WITH RECURSIVE up(id, parent_id, depth) AS ("
                             " SELECT id, parent_id, 0 FROM orgs WHERE id = ?1"
                             " UNION ALL SELECT o.id, o.parent_id, up.depth + 1 FROM orgs o JOIN "
                             "up ON o.id = up.parent_id"
                             " WHERE up.depth < 16)"
                             " SELECT count(*) FROM up WHERE id = ?2",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, ancestor);
    if (ow_step(st) != OW_ROW) {
        int r = ow_db_fail(db, "org within", e);
        ow_reset(st);
        return r;
    }
    *out = ow_col_int(st, 0) > 0;
    ow_reset(st);
    return OW_OK;
}

int ow_account_store_org_insert(ow_db *db, int64_t parent_id, const char *kind, const char *code,
                                const char *name, const char *address, const char *phone, int sort,
                                int64_t now_ms, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO orgs(parent_id, kind, code, name, address, phone, sort, "
                             "created_at, updated_at)"
                             " VALUES(?,?,?,?,?,?,?,?,?)",
                             e);
    if (!st) return OW_EDB;
    ow_rows_bind_opt_id(st, 1, parent_id);
    ow_bind_text(st, 2, kind);
    ow_bind_text(st, 3, code);
    ow_bind_text(st, 4, name);
    ow_bind_text(st, 5, address ? address : "");
    ow_bind_text(st, 6, phone ? phone : "");
    ow_bind_int(st, 7, sort);
    ow_bind_int64(st, 8, now_ms);
    ow_bind_int64(st, 9, now_ms);
    return ow_rows_insert(db, st, id, "org insert", e);
}

int ow_account_store_org_state(ow_db *db, int64_t id, ow_org_state *out, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT kind, name, parent_id, active FROM orgs WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        snprintf(out->kind, sizeof out->kind, "%s", ow_db_text(st, 0));
        snprintf(out->name, sizeof out->name, "%s", ow_db_text(st, 1));
        out->parent_id = ow_col_int64(st, 2);
        out->active = ow_col_int(st, 3);
    }
    *found = rc == OW_ROW;
    int r = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "org get", e);
    ow_reset(st);
    return r;
}

static int count_of(ow_db *db, const char *sql, int64_t id, int *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    if (ow_step(st) != OW_ROW) {
        int r = ow_db_fail(db, "org deps", e);
        ow_reset(st);
        return r;
    }
    *n = ow_col_int(st, 0);
    ow_reset(st);
    return OW_OK;
}

int ow_account_store_org_active_staff(ow_db *db, int64_t id, int *n, ow_err *e) {
    return count_of(db, "SELECT count(*) FROM users WHERE org_id = ? AND active = 1", id, n, e);
}

int ow_account_store_org_active_children(ow_db *db, int64_t id, int *n, ow_err *e) {
    return count_of(db, "SELECT count(*) FROM orgs WHERE parent_id = ? AND active = 1", id, n, e);
}

int ow_account_store_org_update(ow_db *db, int64_t id, const char *name, int64_t parent_id,
                                int active, const char *address, const char *phone, int64_t now_ms,
                                ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "UPDATE orgs SET name = ?, parent_id = ?, active = ?, address = coalesce(?, address),"
        " phone = coalesce(?, phone), updated_at = ? WHERE id = ?",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, name);
    ow_rows_bind_opt_id(st, 2, parent_id);
    ow_bind_int(st, 3, active);
    ow_rows_bind_opt_text(st, 4, address);
    ow_rows_bind_opt_text(st, 5, phone);
    ow_bind_int64(st, 6, now_ms);
    ow_bind_int64(st, 7, id);
    return ow_rows_done(db, st, "org update", e);
}

#define ORG_COLS                                                                                   \
    "o.id, o.kind, o.code, o.name, o.address, o.phone, o.active, o.parent_id,"                     \
    " (SELECT count(*) FROM orgs c WHERE c.parent_id = o.id)"

/* The row of ORG_COLS, its text pointing into the statement (or the arena when a). */
static void org_row(ow_stmt *st, ow_arena *a, ow_org_row *r) {
    r->id = ow_col_int64(st, 0);
    r->kind = a ? ow_rows_dupe(a, st, 1) : ow_db_text(st, 1);
    r->code = a ? ow_rows_dupe(a, st, 2) : ow_db_text(st, 2);
    r->name = a ? ow_rows_dupe(a, st, 3) : ow_db_text(st, 3);
    r->address = a ? ow_rows_dupe(a, st, 4) : ow_db_text(st, 4);
    r->phone = a ? ow_rows_dupe(a, st, 5) : ow_db_text(st, 5);
    r->active = ow_col_int(st, 6);
    r->parent_id = ow_col_null(st, 7) ? 0 : ow_col_int64(st, 7);
    r->children = ow_col_int(st, 8);
}

int ow_account_store_org_get(ow_db *db, int64_t id, ow_arena *a, ow_org_row *out, bool *found,
                             ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT " ORG_COLS " FROM orgs o WHERE o.id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) org_row(st, a, out);
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "org get", e);
    return OW_OK;
}

int ow_account_store_org_each(ow_db *db, const char *kind, int64_t parent_id, bool include_inactive,
                              int (*fn)(void *arg, const ow_org_row *r), void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT " ORG_COLS " FROM orgs o"
                             " WHERE (?1 IS NULL OR o.kind = ?1)"
                             " AND (?2 = 0 OR o.parent_id = ?2)"
                             " AND (?3 = 1 OR o.active = 1)"
                             " ORDER BY o.kind, o.sort, o.code",
                             e);
    if (!st) return OW_EDB;
    ow_rows_bind_opt_text(st, 1, kind);
    ow_bind_int64(st, 2, parent_id);
    ow_bind_int(st, 3, include_inactive ? 1 : 0);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_org_row r;
        org_row(st, NULL, &r);
        if ((out = fn(arg, &r))) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "org list", e);
    ow_reset(st);
    return out;
}

/* ---------------- accounts ---------------- */

int ow_account_store_user_insert(ow_db *db, const ow_user_new *u, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO users(username, kind, role, org_id, name, id_number_enc, id_number_idx,"
        " id_masked, uscc, legal_representative, mobile_enc, mobile_idx, mobile_masked,"
        " password_hash, password_changed_at, created_at, updated_at)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, u->username);
    ow_bind_text(st, 2, u->kind);
    ow_bind_text(st, 3, u->role);
    ow_rows_bind_opt_id(st, 4, u->org_id);
    ow_bind_text(st, 5, u->name);
    ow_rows_bind_opt_text(st, 6, u->id_number_enc);
    ow_rows_bind_opt_text(st, 7, u->id_number_idx);
    ow_rows_bind_opt_text(st, 8, u->id_masked);
    ow_rows_bind_opt_text(st, 9, u->uscc);
    ow_rows_bind_opt_text(st, 10, u->legal_representative);
    ow_rows_bind_opt_text(st, 11, u->mobile_enc);
    ow_rows_bind_opt_text(st, 12, u->mobile_idx);
    ow_rows_bind_opt_text(st, 13, u->mobile_masked);
    ow_bind_text(st, 14, u->password_hash);
    ow_bind_int64(st, 15, u->now_ms);
    ow_bind_int64(st, 16, u->now_ms);
    ow_bind_int64(st, 17, u->now_ms);
    return ow_rows_insert_guarded(db, st, id, "user insert", e);
}

int ow_account_store_mobile_taken(ow_db *db, const char *mobile_idx, bool *taken, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT 1 FROM users WHERE mobile_idx = ? AND kind <> 'staff'", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, mobile_idx);
    int rc = ow_step(st);
    *taken = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "mobile check", e);
    return OW_OK;
}

int ow_account_store_user_rename(ow_db *db, int64_t id, const char *username, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE users SET username = ? WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, username);
    ow_bind_int64(st, 2, id);
    return ow_rows_done(db, st, "rename", e);
}

#define USER_COLS                                                                                  \
    "u.id, u.username, u.name, u.kind, u.role, u.org_id, o.name, o.kind, u.id_masked, u.uscc,"     \
    " u.legal_representative, u.mobile_masked, u.active, u.created_at, u.locked_until"

/* The row of USER_COLS, its text pointing into the statement (or the arena when a). */
static const char *text_in(ow_arena *a, ow_stmt *st, int i, bool nullable) {
    if (nullable && ow_col_null(st, i)) return NULL;
    return a ? ow_rows_dupe(a, st, i) : ow_db_text(st, i);
}

static void user_row(ow_stmt *st, ow_arena *a, ow_user_row *r) {
    r->id = ow_col_int64(st, 0);
    r->username = text_in(a, st, 1, false);
    r->name = text_in(a, st, 2, false);
    r->kind = text_in(a, st, 3, false);
    r->role = text_in(a, st, 4, false);
    r->org_id = ow_col_null(st, 5) ? 0 : ow_col_int64(st, 5);
    r->org_name = r->org_id ? text_in(a, st, 6, false) : NULL;
    r->org_kind = text_in(a, st, 7, true);
    r->id_masked = text_in(a, st, 8, true);
    r->uscc = text_in(a, st, 9, true);
    r->legal_representative = text_in(a, st, 10, false);
    r->mobile_masked = text_in(a, st, 11, true);
    r->active = ow_col_int(st, 12);
    r->created_at = ow_col_int64(st, 13);
    r->locked_until = ow_col_int64(st, 14);
}

int ow_account_store_user_get(ow_db *db, int64_t id, ow_arena *a, ow_user_row *out, bool *found,
                              ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT " USER_COLS " FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.id = ?",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) user_row(st, a, out);
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "user get", e);
    return OW_OK;
}

int ow_account_store_user_pii(ow_db *db, int64_t id, ow_arena *a, const char **id_number_enc,
                              const char **mobile_enc, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT id_number_enc, mobile_enc FROM users WHERE id = ?", e);
    *id_number_enc = *mobile_enc = NULL;
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *id_number_enc = ow_rows_dup(a, st, 0);
        *mobile_enc = ow_rows_dup(a, st, 1);
    }
    *found = rc == OW_ROW;
    int r = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "user pii", e);
    ow_reset(st);
    return r;
}

static void bind_user_filter(ow_stmt *st, const char *role, const char *kind, int64_t org_id,
                             const char *q) {
    if (role) ow_bind_text(st, 1, role);
    if (kind) ow_bind_text(st, 2, kind);
    ow_bind_int64(st, 3, org_id);
    if (q && *q) ow_bind_text(st, 4, q);
}

int ow_account_store_user_count(ow_db *db, const char *role, const char *kind, int64_t org_id,
                                const char *q, int64_t *total, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT count(*) FROM users u WHERE (?1 IS NULL OR u.role = ?1)"
                   " AND (?2 IS NULL OR u.kind = ?2) AND (?3 = 0 OR u.org_id = ?3)"
                   " AND (?4 IS NULL OR instr(u.name, ?4) > 0 OR instr(u.username, ?4) > 0"
                   "      OR u.uscc = upper(?4))",
                   e);
    if (!st) return OW_EDB;
    bind_user_filter(st, role, kind, org_id, q);
    if (ow_step(st) != OW_ROW) {
        int r = ow_db_fail(db, "user count", e);
        ow_reset(st);
        return r;
    }
    *total = ow_col_int64(st, 0);
    ow_reset(st);
    return OW_OK;
}

int ow_account_store_user_each(ow_db *db, const char *role, const char *kind, int64_t org_id,
                               const char *q, int limit, int64_t offset,
                               int (*fn)(void *arg, const ow_user_row *r), void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT " USER_COLS " FROM users u LEFT JOIN orgs o ON o.id = u.org_id"
                   " WHERE (?1 IS NULL OR u.role = ?1)"
                   " AND (?2 IS NULL OR u.kind = ?2) AND (?3 = 0 OR u.org_id = ?3)"
                   " AND (?4 IS NULL OR instr(u.name, ?4) > 0 OR instr(u.username, ?4) > 0"
                   "      OR u.uscc = upper(?4))"
                   " ORDER BY u.id LIMIT ?5 OFFSET ?6",
                   e);
    if (!st) return OW_EDB;
    bind_user_filter(st, role, kind, org_id, q);
    ow_bind_int(st, 5, limit);
    ow_bind_int64(st, 6, offset);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_user_row r;
        user_row(st, NULL, &r);
        if ((out = fn(arg, &r))) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "user list", e);
    ow_reset(st);
    return out;
}

int ow_account_store_user_state(ow_db *db, int64_t id, ow_user_state *out, bool *found, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "SELECT kind, role, org_id, active, name FROM users WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        snprintf(out->kind, sizeof out->kind, "%s", ow_db_text(st, 0));
        snprintf(out->role, sizeof out->role, "%s", ow_db_text(st, 1));
        out->org_id = ow_col_int64(st, 2);
        out->active = ow_col_int(st, 3);
        snprintf(out->name, sizeof out->name, "%s", ow_db_text(st, 4));
    }
    *found = rc == OW_ROW;
    int r = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "user get", e);
    ow_reset(st);
    return r;
}

int ow_account_store_user_update(ow_db *db, int64_t id, int active, const char *role,
                                 int64_t org_id, const char *name, bool clear_lock, int64_t now_ms,
                                 ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "UPDATE users SET active = ?, role = ?, org_id = ?, name = ?, updated_at = ?,"
                   " failed_logins = CASE WHEN ?6 = 1 THEN 0 ELSE failed_logins END,"
                   " locked_until = CASE WHEN ?6 = 1 THEN 0 ELSE locked_until END WHERE id = ?7",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, active);
    ow_bind_text(st, 2, role);
    ow_rows_bind_opt_id(st, 3, org_id);
    ow_bind_text(st, 4, name);
    ow_bind_int64(st, 5, now_ms);
    ow_bind_int(st, 6, clear_lock ? 1 : 0);
    ow_bind_int64(st, 7, id);
    return ow_rows_done(db, st, "user update", e);
}

int ow_account_store_user_exists(ow_db *db, int64_t id, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT 1 FROM users WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "user get", e);
    return OW_OK;
}

int ow_account_store_password_set(ow_db *db, int64_t id, const char *hash, bool reset,
                                  int64_t now_ms, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "UPDATE users SET password_hash = ?1, password_changed_at = ?2, updated_at = ?2,"
                   " failed_logins = CASE WHEN ?3 = 1 THEN 0 ELSE failed_logins END,"
                   " locked_until = CASE WHEN ?3 = 1 THEN 0 ELSE locked_until END WHERE id = ?4",
                   e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, hash);
    ow_bind_int64(st, 2, now_ms);
    ow_bind_int(st, 3, reset ? 1 : 0);
    ow_bind_int64(st, 4, id);
    return ow_rows_done(db, st, "password set", e);
}

int ow_account_store_password_hash(ow_db *db, int64_t id, char out[128], bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT password_hash FROM users WHERE id = ? AND active = 1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) snprintf(out, 128, "%s", ow_db_text(st, 0));
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "password get", e);
    return OW_OK;
}

int ow_account_store_holder(ow_db *db, int64_t id, ow_arena *a, const char **kind,
                            const char **id_number_idx, const char **uscc, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT kind, coalesce(id_number_idx, ''), coalesce(uscc, '')"
                             " FROM users WHERE id = ?",
                             e);
    *kind = NULL;
    *id_number_idx = *uscc = "";
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *kind = ow_rows_dupe(a, st, 0);
        *id_number_idx = ow_rows_dupe(a, st, 1);
        *uscc = ow_rows_dupe(a, st, 2);
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "holder index", e);
    return OW_OK;
}

/* ---------------- signing in and sessions ---------------- */

int ow_account_store_login_find(ow_db *db, ow_login_by by, const char *key, ow_login_row *out,
                                ow_err *e) {
    static const char *by_name =
        "SELECT id, password_hash, active, locked_until, failed_logins, kind FROM users"
        " WHERE username = ?";
    static const char *by_id =
        "SELECT id, password_hash, active, locked_until, failed_logins, kind FROM users"
        " WHERE id_number_idx = ?";
    static const char *by_uscc = "SELECT id, password_hash, active, locked_until, failed_logins, "
                                 "kind FROM users WHERE uscc = ?";
    static const char *by_mobile =
        "SELECT id, password_hash, active, locked_until, failed_logins, kind FROM users"
        " WHERE mobile_idx = ? AND kind <> 'staff' ORDER BY id LIMIT 1";
    const char *sql = by == OW_LOGIN_ID_NUMBER_IDX ? by_id
                      : by == OW_LOGIN_USCC        ? by_uscc
                      : by == OW_LOGIN_MOBILE_IDX  ? by_mobile
                                                   : by_name;
    memset(out, 0, sizeof *out);
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, key);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        out->user_id = ow_col_int64(st, 0);
        snprintf(out->hash, sizeof out->hash, "%s", ow_db_text(st, 1));
        out->active = ow_col_int(st, 2);
        out->locked_until = ow_col_int64(st, 3);
        out->failed = ow_col_int(st, 4);
        snprintf(out->kind, sizeof out->kind, "%s", ow_db_text(st, 5));
    }
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "find login", e);
    return OW_OK;
}

int ow_account_store_login_failed(ow_db *db, int64_t user_id, int *failures, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user_id);
    if (ow_step(st) != OW_ROW) {
        int r = ow_db_fail(db, "login failed", e);
        ow_reset(st);
        return r;
    }
    *failures = ow_col_int(st, 0);
    ow_reset(st);
    return OW_OK;
}

int ow_account_store_lock(ow_db *db, int64_t user_id, int64_t until_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE users SET locked_until = ? WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, until_ms);
    ow_bind_int64(st, 2, user_id);
    return ow_rows_done(db, st, "lock", e);
}

int ow_account_store_locked_until(ow_db *db, int64_t user_id, int64_t *until_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT locked_until FROM users WHERE id = ?", e);
    *until_ms = 0;
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) *until_ms = ow_col_int64(st, 0);
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "lock wait", e);
    return OW_OK;
}

int ow_account_store_failures_reset(ow_db *db, int64_t user_id, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user_id);
    return ow_rows_done(db, st, "reset failures", e);
}

int ow_account_store_session_insert(ow_db *db, const ow_session_new *s, int64_t *id, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "INSERT INTO sessions(token_hash, csrf_hash, user_id, created_at, last_seen_at,"
                   " expires_at, ip, user_agent) VALUES(?,?,?,?,?,?,?,?)",
                   e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, s->token_hash);
    ow_bind_text(st, 2, s->csrf_hash);
    ow_bind_int64(st, 3, s->user_id);
    ow_bind_int64(st, 4, s->now_ms);
    ow_bind_int64(st, 5, s->now_ms);
    ow_bind_int64(st, 6, s->expires_ms);
    ow_bind_text(st, 7, s->ip);
    ow_bind_text(st, 8, s->user_agent);
    return ow_rows_insert(db, st, id, "session insert", e);
}

int ow_account_store_actor(ow_db *db, int64_t user_id, ow_actor *a, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT username, name, kind, role, coalesce(org_id, 0) FROM users"
                             " WHERE id = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, user_id);
    if (ow_step(st) != OW_ROW) {
        int r = ow_db_fail(db, "session user", e);
        ow_reset(st);
        return r;
    }
    a->user_id = user_id;
    snprintf(a->username, sizeof a->username, "%s", ow_db_text(st, 0));
    snprintf(a->name, sizeof a->name, "%s", ow_db_text(st, 1));
    snprintf(a->kind, sizeof a->kind, "%s", ow_db_text(st, 2));
    snprintf(a->role, sizeof a->role, "%s", ow_db_text(st, 3));
    a->org_id = ow_col_int64(st, 4);
    ow_reset(st);
    return OW_OK;
}

int ow_account_store_session_end(ow_db *db, int64_t session_id, const char *reason, int64_t now_ms,
                                 ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, now_ms);
    ow_bind_text(st, 2, reason);
    ow_bind_int64(st, 3, session_id);
    return ow_rows_done(db, st, "session end", e);
}

int ow_account_store_session_end_all(ow_db *db, int64_t user_id, const char *reason,
                                     int64_t keep_session, int64_t now_ms, int64_t *ended,
                                     ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS NULL"
        " AND id <> ?",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, now_ms);
    ow_bind_text(st, 2, reason);
    ow_bind_int64(st, 3, user_id);
    ow_bind_int64(st, 4, keep_session);
    int rc = ow_rows_done(db, st, "sessions end", e);
    if (!rc) *ended = ow_db_changes(db);
    return rc;
}

int ow_account_store_session_touch(ow_db *db, int64_t session_id, int64_t now_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, now_ms);
    ow_bind_int64(st, 2, session_id);
    return ow_rows_done(db, st, "session touch", e);
}

int ow_account_store_session_find(ow_db *db, const char *token_hash, ow_session_row *out,
                                  bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT s.id, s.user_id, s.expires_at, s.last_seen_at, u.username, u.name, u.kind,"
        " u.role, coalesce(u.org_id, 0), u.active FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.token_hash = ? AND s.ended_at IS NULL",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, token_hash);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        out->id = ow_col_int64(st, 0);
        out->user_id = ow_col_int64(st, 1);
        out->expires_at = ow_col_int64(st, 2);
        out->last_seen_at = ow_col_int64(st, 3);
        snprintf(out->username, sizeof out->username, "%s", ow_db_text(st, 4));
        snprintf(out->name, sizeof out->name, "%s", ow_db_text(st, 5));
        snprintf(out->kind, sizeof out->kind, "%s", ow_db_text(st, 6));
        snprintf(out->role, sizeof out->role, "%s", ow_db_text(st, 7));
        out->org_id = ow_col_int64(st, 8);
        out->active = ow_col_int(st, 9);
    }
    *found = rc == OW_ROW;
    int r = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "session lookup", e);
    ow_reset(st);
    return r;
}
