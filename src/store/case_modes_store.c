/* case_modes_store.c — see case_modes_store.h. */
#include "store/case_modes_store.h"

#include <string.h>

#include "core/workdays.h"
#include "store/rows.h"

static int64_t i64_or_0(ow_stmt *st, int i) {
    return ow_col_null(st, i) ? 0 : ow_col_int64(st, i);
}

/* ======================= joint reviews ======================= */

int ow_case_modes_store_review_open(ow_db *db, int64_t case_id, int step_seq, int64_t org_id,
                                    int64_t at, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO case_reviews (case_id, step_seq, org_id, opened_at) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (case_id, step_seq, org_id) DO UPDATE SET decision = NULL, opinion = '',"
        " by_user = NULL, by_name = '', opened_at = ?4, decided_at = NULL",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_int(st, 2, step_seq);
    ow_bind_int64(st, 3, org_id);
    ow_bind_int64(st, 4, at);
    return ow_rows_done(db, st, "case review", e);
}

int ow_case_modes_store_review_decide(ow_db *db, int64_t case_id, int step_seq, int64_t org_id,
                                      const char *decision, const char *opinion, int64_t by_user,
                                      const char *by_name, int64_t at, bool *done, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE case_reviews SET decision = ?4, opinion = ?5, by_user = ?6,"
                             " by_name = ?7, decided_at = ?8"
                             " WHERE case_id = ?1 AND step_seq = ?2 AND org_id = ?3"
                             " AND decision IS NULL",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_int(st, 2, step_seq);
    ow_bind_int64(st, 3, org_id);
    ow_bind_text(st, 4, decision);
    ow_bind_text(st, 5, opinion ? opinion : "");
    ow_rows_bind_opt_id(st, 6, by_user);
    ow_bind_text(st, 7, by_name ? by_name : "");
    ow_bind_int64(st, 8, at);
    int rc = ow_rows_done(db, st, "case review", e);
    *done = !rc && ow_db_changes(db) > 0;
    return rc;
}

int ow_case_modes_store_review_close_open(ow_db *db, int64_t case_id, int step_seq, const char *why,
                                          int64_t at, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE case_reviews SET decision = 'closed', opinion = ?3,"
                             " decided_at = ?4 WHERE case_id = ?1 AND step_seq = ?2"
                             " AND decision IS NULL",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_int(st, 2, step_seq);
    ow_bind_text(st, 3, why);
    ow_bind_int64(st, 4, at);
    return ow_rows_done(db, st, "case reviews", e);
}

int ow_case_modes_store_review_open_count(ow_db *db, int64_t case_id, int step_seq, int64_t *n,
                                          ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT COUNT(*) FROM case_reviews WHERE case_id = ?1"
                             " AND step_seq = ?2 AND decision IS NULL",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_int(st, 2, step_seq);
    return ow_rows_int64(db, st, n, "case reviews", e);
}

typedef struct review_walk {
    ow_arena *a;
    int (*fn)(void *arg, const ow_case_review_row *r);
    void *arg;
} review_walk;

static int review_row(ow_stmt *st, void *ctx) {
    review_walk *w = ctx;
    ow_case_review_row r = {.step_seq = ow_col_int(st, 0),
                            .org_id = ow_col_int64(st, 1),
                            .org_name = ow_rows_dupe(w->a, st, 2),
                            .decision = ow_rows_dup(w->a, st, 3),
                            .opinion = ow_rows_dupe(w->a, st, 4),
                            .by_name = ow_rows_dupe(w->a, st, 5),
                            .opened_at = ow_col_int64(st, 6),
                            .decided_at = i64_or_0(st, 7)};
    return w->fn(w->arg, &r);
}

int ow_case_modes_store_review_each(ow_db *db, ow_arena *a, int64_t case_id,
                                    int (*fn)(void *arg, const ow_case_review_row *r), void *arg,
                                    ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT r.step_seq, r.org_id, o.name, r.decision, r.opinion,"
                             " r.by_name, r.opened_at, r.decided_at FROM case_reviews r"
                             " JOIN orgs o ON o.id = r.org_id WHERE r.case_id = ?"
                             " ORDER BY r.step_seq, r.org_id",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    review_walk w = {a, fn, arg};
    return ow_rows_each(db, st, review_row, &w, "case reviews", e);
}

typedef struct id_walk {
    int64_t *ids;
    int max, n;
} id_walk;

static int id_row(ow_stmt *st, void *ctx) {
    id_walk *w = ctx;
    if (w->n >= w->max) return 1;
    w->ids[w->n++] = ow_col_int64(st, 0);
    return 0;
}

int ow_case_modes_store_review_queue(ow_db *db, int64_t org_id, int64_t *ids, int max, int *n,
                                     ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT r.case_id FROM case_reviews r JOIN cases c ON c.id = r.case_id"
                             " WHERE r.org_id = ?1 AND r.decision IS NULL"
                             " AND c.state IN ('review', 'suspended') ORDER BY r.case_id LIMIT ?2",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int(st, 2, max);
    id_walk w = {ids, max, 0};
    int rc = ow_rows_each(db, st, id_row, &w, "joint review queue", e);
    *n = w.n;
    return rc < 0 || rc > 1 ? rc : OW_OK;
}

/* ======================= commitments ======================= */

int ow_case_modes_store_commitment_insert(ow_db *db, int64_t case_id, const char *materials,
                                          int check_days, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "INSERT INTO case_commitments (case_id, materials, check_days) VALUES (?1, ?2, ?3)", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_text(st, 2, materials);
    ow_bind_int(st, 3, check_days);
    return ow_rows_done(db, st, "case commitment", e);
}

int ow_case_modes_store_commitment_get(ow_db *db, ow_arena *a, int64_t case_id,
                                       ow_case_commitment_row *out, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT materials, check_days, confirmed_at, confirmed_by,"
                             " confirmed_name, check_due, checked_at, checked_by, check_result,"
                             " check_notes, checked_name, revoked_at FROM case_commitments"
                             " WHERE case_id = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    int rc = ow_step(st);
    *found = rc == OW_ROW;
    if (*found)
        *out = (ow_case_commitment_row){.materials = ow_rows_dupe(a, st, 0),
                                        .check_days = ow_col_int(st, 1),
                                        .confirmed_at = i64_or_0(st, 2),
                                        .confirmed_by = i64_or_0(st, 3),
                                        .confirmed_name = ow_rows_dupe(a, st, 4),
                                        .check_due = ow_rows_daynum(st, 5),
                                        .checked_at = i64_or_0(st, 6),
                                        .checked_by = i64_or_0(st, 7),
                                        .check_result = ow_rows_dupe(a, st, 8),
                                        .check_notes = ow_rows_dupe(a, st, 9),
                                        .checked_name = ow_rows_dupe(a, st, 10),
                                        .revoked_at = i64_or_0(st, 11)};
    return ow_rows_one_done(db, st, rc, "case commitment", e);
}

int ow_case_modes_store_commitment_confirm(ow_db *db, int64_t case_id, int64_t at, int64_t by,
                                           const char *name, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE case_commitments SET confirmed_at = ?2, confirmed_by = ?3,"
                             " confirmed_name = ?4 WHERE case_id = ?1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_int64(st, 2, at);
    ow_rows_bind_opt_id(st, 3, by);
    ow_bind_text(st, 4, name ? name : "");
    return ow_rows_done(db, st, "case commitment", e);
}

int ow_case_modes_store_commitment_set_due(ow_db *db, int64_t case_id, int32_t due, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "UPDATE case_commitments SET check_due = ?2 WHERE case_id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_rows_bind_daynum(st, 2, due);
    return ow_rows_done(db, st, "case commitment", e);
}

int ow_case_modes_store_commitment_check(ow_db *db, int64_t case_id, const char *result,
                                         const char *notes, int64_t by, const char *name,
                                         int64_t at, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE case_commitments SET check_result = ?2, check_notes = ?3,"
                             " checked_by = ?4, checked_name = ?5, checked_at = ?6"
                             " WHERE case_id = ?1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_text(st, 2, result);
    ow_bind_text(st, 3, notes ? notes : "");
    ow_rows_bind_opt_id(st, 4, by);
    ow_bind_text(st, 5, name ? name : "");
    ow_bind_int64(st, 6, at);
    return ow_rows_done(db, st, "case commitment", e);
}

int ow_case_modes_store_commitment_revoke(ow_db *db, int64_t case_id, int64_t at, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "UPDATE case_commitments SET revoked_at = ?2 WHERE case_id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_int64(st, 2, at);
    return ow_rows_done(db, st, "case commitment", e);
}

/* ======================= owed materials ======================= */

int ow_case_modes_store_owed_insert(ow_db *db, int64_t case_id, const char *material, int32_t due,
                                    int64_t at, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "INSERT INTO case_owed (case_id, material, due, owed_at) VALUES (?1, ?2, ?3, ?4)", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_text(st, 2, material);
    ow_bind_int(st, 3, due);
    ow_bind_int64(st, 4, at);
    return ow_rows_done(db, st, "owed material", e);
}

typedef struct owed_walk {
    ow_arena *a;
    int (*fn)(void *arg, const ow_case_owed_row *r);
    void *arg;
} owed_walk;

static int owed_row(ow_stmt *st, void *ctx) {
    owed_walk *w = ctx;
    ow_case_owed_row r = {.material = ow_rows_dupe(w->a, st, 0),
                          .due = ow_col_int(st, 1),
                          .owed_at = ow_col_int64(st, 2),
                          .received_at = i64_or_0(st, 3),
                          .reminded_at = i64_or_0(st, 4)};
    return w->fn(w->arg, &r);
}

int ow_case_modes_store_owed_each(ow_db *db, ow_arena *a, int64_t case_id,
                                  int (*fn)(void *arg, const ow_case_owed_row *r), void *arg,
                                  ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT material, due, owed_at, received_at, reminded_at"
                             " FROM case_owed WHERE case_id = ? ORDER BY owed_at, material",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    owed_walk w = {a, fn, arg};
    return ow_rows_each(db, st, owed_row, &w, "owed materials", e);
}

int ow_case_modes_store_owed_receive(ow_db *db, int64_t case_id, const char *material, int64_t at,
                                     bool *done, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE case_owed SET received_at = ?3 WHERE case_id = ?1"
                             " AND material = ?2 AND received_at IS NULL",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_text(st, 2, material);
    ow_bind_int64(st, 3, at);
    int rc = ow_rows_done(db, st, "owed material", e);
    *done = !rc && ow_db_changes(db) > 0;
    return rc;
}

int ow_case_modes_store_owed_open_count(ow_db *db, int64_t case_id, int64_t *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT COUNT(*) FROM case_owed WHERE case_id = ? AND received_at IS NULL", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    return ow_rows_int64(db, st, n, "owed materials", e);
}

int ow_case_modes_store_owed_to_remind(ow_db *db, int32_t due_by, int64_t reminded_before,
                                       int64_t *ids, int max, int *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT DISTINCT case_id FROM case_owed WHERE received_at IS NULL"
                             " AND due <= ?1 AND (reminded_at IS NULL OR reminded_at < ?2)"
                             " ORDER BY case_id LIMIT ?3",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, due_by);
    ow_bind_int64(st, 2, reminded_before);
    ow_bind_int(st, 3, max);
    id_walk w = {ids, max, 0};
    int rc = ow_rows_each(db, st, id_row, &w, "owed reminders", e);
    *n = w.n;
    return rc < 0 || rc > 1 ? rc : OW_OK;
}

int ow_case_modes_store_owed_reminded(ow_db *db, int64_t case_id, int64_t at, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "UPDATE case_owed SET reminded_at = ?2 WHERE case_id = ?1 AND received_at IS NULL", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    ow_bind_int64(st, 2, at);
    return ow_rows_done(db, st, "owed materials", e);
}

/* ======================= alerts ======================= */

typedef struct alert_walk {
    int (*fn)(void *arg, const ow_case_mode_alert *a);
    void *arg;
} alert_walk;

static int alert_row(ow_stmt *st, void *ctx) {
    alert_walk *w = ctx;
    ow_case_mode_alert a = {.case_id = ow_col_int64(st, 0),
                            .kind = ow_col_int(st, 1) ? "check" : "owed",
                            .due = ow_col_int(st, 2)};
    return w->fn(w->arg, &a);
}

int ow_case_modes_store_alerts(ow_db *db, int32_t today,
                               int (*fn)(void *arg, const ow_case_mode_alert *a), void *arg,
                               ow_err *e) {
    /* owed materials of cases still open (a case ended otherwise owes nothing more), and
     * checks not recorded of decisions not revoked */
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT o.case_id, 0, MIN(o.due) FROM case_owed o JOIN cases c ON c.id = o.case_id"
        " WHERE o.received_at IS NULL AND o.due < ?1"
        " AND c.state IN ('submitted','supplement','review','suspended','approved')"
        " GROUP BY o.case_id"
        " UNION ALL SELECT case_id, 1, check_due FROM case_commitments"
        " WHERE checked_at IS NULL AND revoked_at IS NULL AND check_due < ?1"
        " ORDER BY 3, 1",
        e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, today);
    alert_walk w = {fn, arg};
    return ow_rows_each(db, st, alert_row, &w, "case mode alerts", e);
}

/* ======================= credit records ======================= */

int ow_case_modes_store_credit_insert(ow_db *db, const ow_credit_record *r, int64_t *id,
                                      ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO credit_records (subject_kind, subject_idx,"
                             " subject_masked, subject_name, case_id, case_no, kind, note,"
                             " dept_id, created_by, created_at)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, r->subject_kind);
    ow_bind_text(st, 2, r->subject_idx);
    ow_bind_text(st, 3, r->subject_masked);
    ow_bind_text(st, 4, r->subject_name);
    ow_rows_bind_opt_id(st, 5, r->case_id);
    ow_bind_text(st, 6, r->case_no ? r->case_no : "");
    ow_bind_text(st, 7, r->kind);
    ow_bind_text(st, 8, r->note);
    ow_rows_bind_opt_id(st, 9, r->dept_id);
    ow_rows_bind_opt_id(st, 10, r->created_by);
    ow_bind_int64(st, 11, r->created_at);
    return ow_rows_insert(db, st, id, "credit record", e);
}

typedef struct credit_walk {
    ow_arena *a;
    int (*fn)(void *arg, const ow_credit_record *r);
    void *arg;
} credit_walk;

static int credit_row(ow_stmt *st, void *ctx) {
    credit_walk *w = ctx;
    ow_credit_record r = {.id = ow_col_int64(st, 0),
                          .subject_kind = ow_rows_dupe(w->a, st, 1),
                          .subject_idx = ow_rows_dupe(w->a, st, 2),
                          .subject_masked = ow_rows_dupe(w->a, st, 3),
                          .subject_name = ow_rows_dupe(w->a, st, 4),
                          .case_id = i64_or_0(st, 5),
                          .case_no = ow_rows_dupe(w->a, st, 6),
                          .kind = ow_rows_dupe(w->a, st, 7),
                          .note = ow_rows_dupe(w->a, st, 8),
                          .dept_id = i64_or_0(st, 9),
                          .created_by = i64_or_0(st, 10),
                          .created_at = ow_col_int64(st, 11)};
    return w->fn(w->arg, &r);
}

int ow_case_modes_store_credit_each(ow_db *db, ow_arena *a, const char *subject_idx, int limit,
                                    int64_t offset, int (*fn)(void *arg, const ow_credit_record *r),
                                    void *arg, ow_err *e) {
#define CREDIT_COLS                                                                                \
    "SELECT id, subject_kind, subject_idx, subject_masked, subject_name, case_id, case_no, kind,"  \
    " note, dept_id, created_by, created_at FROM credit_records"
    /* two statements rather than "?1 IS NULL OR …": PostgreSQL cannot type a bare NULL */
    ow_stmt *st = ow_db_stmt(db,
                             subject_idx ? CREDIT_COLS
                                 " WHERE subject_idx = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3"
                                         : CREDIT_COLS " WHERE ?1 <> '~' ORDER BY id DESC LIMIT ?2"
                                                       " OFFSET ?3",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, subject_idx ? subject_idx : "");
    ow_bind_int(st, 2, limit);
    ow_bind_int64(st, 3, offset);
    credit_walk w = {a, fn, arg};
    return ow_rows_each(db, st, credit_row, &w, "credit records", e);
}

int ow_case_modes_store_credit_count(ow_db *db, const char *subject_idx, int64_t *n, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   subject_idx ? "SELECT COUNT(*) FROM credit_records WHERE subject_idx = ?"
                               : "SELECT COUNT(*) FROM credit_records WHERE ? <> '~'",
                   e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, subject_idx ? subject_idx : "");
    return ow_rows_int64(db, st, n, "credit records", e);
}
