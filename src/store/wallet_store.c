/* wallet_store.c — see wallet_store.h. */
#include "store/wallet_store.h"

#include <stdio.h>

#include "store/db.h"
#include "store/rows.h"

int ow_wallet_store_next_seq(ow_db *db, int year, int64_t *seq, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "SELECT count(*) + 1 FROM licenses WHERE substr(issued_date, 1, 4) = ?", e);
    if (!st) return OW_EDB;
    char y[8];
    snprintf(y, sizeof y, "%04d", year);
    ow_bind_text(st, 1, y);
    if (ow_step(st) != OW_ROW) {
        int rc = ow_db_fail(db, "license number", e);
        ow_reset(st);
        return rc;
    }
    *seq = ow_col_int64(st, 0);
    ow_reset(st);
    return OW_OK;
}

int ow_wallet_store_insert(ow_db *db, const ow_license_new *l, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO licenses(type, number, holder_kind, holder_idx, holder_enc, holder_masked,"
        " holder_name, dept_id, issuer, case_id, case_no, item_id, issued_date, valid_until, data,"
        " doc_code, created_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'',?)",
        e);
    if (!st) return OW_EDB;
    int i = 1;
    ow_bind_text(st, i++, l->type);
    ow_bind_text(st, i++, l->number);
    ow_bind_text(st, i++, l->holder_kind);
    ow_bind_text(st, i++, l->holder_idx);
    ow_bind_text(st, i++, l->holder_enc);
    ow_bind_text(st, i++, l->holder_masked);
    ow_bind_text(st, i++, l->holder_name);
    ow_bind_int64(st, i++, l->dept_id);
    ow_bind_text(st, i++, l->issuer);
    ow_bind_int64(st, i++, l->case_id);
    ow_bind_text(st, i++, l->case_no);
    ow_bind_int64(st, i++, l->item_id);
    ow_bind_text(st, i++, l->issued_date);
    ow_rows_bind_opt_text(st, i++, l->valid_until);
    ow_bind_text(st, i++, l->data);
    ow_bind_int64(st, i++, l->created_at);
    return ow_rows_insert(db, st, id, "license insert", e);
}

int ow_wallet_store_set_code(ow_db *db, int64_t id, const char *doc_code, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE licenses SET doc_code = ? WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, doc_code);
    ow_bind_int64(st, 2, id);
    return ow_rows_done(db, st, "license code", e);
}

#define LICENSE_COLS                                                                               \
    "id, type, number, holder_kind, holder_idx, holder_masked, holder_name, dept_id, issuer,"      \
    " coalesce(case_no, ''), item_id, issued_date, coalesce(valid_until, ''), data, doc_code,"     \
    " status, coalesce(revoke_reason, ''), coalesce(revoked_at, 0)"

static void license_row(ow_arena *a, ow_stmt *st, ow_license_row *r) {
    *r = (ow_license_row){
        .id = ow_col_int64(st, 0),
        .type = ow_rows_dupe(a, st, 1),
        .number = ow_rows_dupe(a, st, 2),
        .holder_kind = ow_rows_dupe(a, st, 3),
        .holder_idx = ow_rows_dupe(a, st, 4),
        .holder_masked = ow_rows_dupe(a, st, 5),
        .holder_name = ow_rows_dupe(a, st, 6),
        .dept_id = ow_col_int64(st, 7),
        .issuer = ow_rows_dupe(a, st, 8),
        .case_no = ow_rows_dupe(a, st, 9),
        .item_id = ow_col_int64(st, 10),
        .issued_date = ow_rows_dupe(a, st, 11),
        .valid_until = ow_rows_dupe(a, st, 12),
        .data = ow_rows_dupe(a, st, 13),
        .doc_code = ow_rows_dupe(a, st, 14),
        .status = ow_rows_dupe(a, st, 15),
        .revoke_reason = ow_rows_dupe(a, st, 16),
        .revoked_at = ow_col_int64(st, 17),
    };
}

int ow_wallet_store_get(ow_db *db, ow_arena *a, int64_t id, ow_license_row *out, bool *found,
                        ow_err *e) {
    *found = false;
    ow_stmt *st = ow_db_stmt(db, "SELECT " LICENSE_COLS " FROM licenses WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        license_row(a, st, out);
        *found = true;
    }
    int out_rc = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "license", e);
    ow_reset(st);
    return out_rc;
}

int ow_wallet_store_of_case(ow_db *db, ow_arena *a, int64_t case_id, ow_license_row *out,
                            bool *found, ow_err *e) {
    *found = false;
    ow_stmt *st = ow_db_stmt(
        db, "SELECT " LICENSE_COLS " FROM licenses WHERE case_id = ? ORDER BY id DESC LIMIT 1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        license_row(a, st, out);
        *found = true;
    }
    int out_rc = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "license of case", e);
    ow_reset(st);
    return out_rc;
}

int ow_wallet_store_each_of_holder(ow_db *db, ow_arena *a, const char *holder_idx, const char *type,
                                   int (*fn)(void *arg, const ow_license_row *r), void *arg,
                                   ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT " LICENSE_COLS " FROM licenses WHERE holder_idx = ?1"
                             " AND (?2 IS NULL OR type = ?2) ORDER BY id DESC LIMIT 200",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, holder_idx);
    ow_rows_bind_opt_text(st, 2, type);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_license_row r;
        license_row(a, st, &r);
        if ((out = fn(arg, &r))) break;
    }
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "licenses", e);
    ow_reset(st);
    return out;
}

int ow_wallet_store_case_ids(ow_db *db, int64_t id, int64_t *cases, int max, int *n, ow_err *e) {
    *n = 0;
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT case_id FROM licenses WHERE id = ?1 AND case_id IS NOT NULL"
                             " UNION SELECT case_id FROM case_materials WHERE license_id = ?1"
                             " LIMIT 50",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc;
    while ((rc = ow_step(st)) == OW_ROW && *n < max)
        cases[(*n)++] = ow_col_int64(st, 0);
    int out = rc == OW_DONE || rc == OW_ROW ? OW_OK : ow_db_fail(db, "license cases", e);
    ow_reset(st);
    return out;
}

int ow_wallet_store_revoke(ow_db *db, int64_t id, int64_t at_ms, const char *reason, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "UPDATE licenses SET status = 'revoked', revoked_at = ?, revoke_reason = ? WHERE id = ?",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, at_ms);
    ow_bind_text(st, 2, reason);
    ow_bind_int64(st, 3, id);
    return ow_rows_done(db, st, "license revoke", e);
}
