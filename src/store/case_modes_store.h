/* case_modes_store.h — the SQL of the case modes (issue 22; cases/cases_modes.c): the
 * departments' reviews of a joint step (并联审批), the applicant's commitment and its
 * check (告知承诺制), the minor materials owed (容缺受理) and the credit records a false
 * commitment leaves (docs/decisions/0003-store-layer.md).  The rules are in cases/; these
 * functions run the statements inside its transactions.
 *
 * Dates are day numbers (core/workdays.h), instants UTC milliseconds; texts that come
 * back are in the caller's arena. */
#ifndef OW_STORE_CASE_MODES_STORE_H
#define OW_STORE_CASE_MODES_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* ======================= joint reviews ======================= */

typedef struct ow_case_review_row {
    int step_seq;
    int64_t org_id;
    const char *org_name;
    const char *decision; /* NULL while open; approved, denied, closed */
    const char *opinion, *by_name;
    int64_t opened_at, decided_at; /* decided_at 0 while open */
} ow_case_review_row;

/* Open department org_id's review of step step_seq (again, if it had one before). */
int ow_case_modes_store_review_open(ow_db *db, int64_t case_id, int step_seq, int64_t org_id,
                                    int64_t at, ow_err *e);
/* Record org_id's opinion on its open review; *done false when it had none open. */
int ow_case_modes_store_review_decide(ow_db *db, int64_t case_id, int step_seq, int64_t org_id,
                                      const char *decision, const char *opinion, int64_t by_user,
                                      const char *by_name, int64_t at, bool *done, ow_err *e);
/* Close every review of the step still open, with why (another department decided). */
int ow_case_modes_store_review_close_open(ow_db *db, int64_t case_id, int step_seq, const char *why,
                                          int64_t at, ow_err *e);
/* How many reviews of the step are still open. */
int ow_case_modes_store_review_open_count(ow_db *db, int64_t case_id, int step_seq, int64_t *n,
                                          ow_err *e);
/* The case's reviews by step and organisation; fn answering non-zero stops the walk. */
int ow_case_modes_store_review_each(ow_db *db, ow_arena *a, int64_t case_id,
                                    int (*fn)(void *arg, const ow_case_review_row *r), void *arg,
                                    ow_err *e);
/* The cases with a review open at org_id (its joint-review queue), oldest first, at most
 * max ids into ids. */
int ow_case_modes_store_review_queue(ow_db *db, int64_t org_id, int64_t *ids, int max, int *n,
                                     ow_err *e);

/* ======================= commitments ======================= */

typedef struct ow_case_commitment_row {
    const char *materials; /* JSON array of the material names it replaces */
    int check_days;
    int64_t confirmed_at, confirmed_by; /* 0: not yet */
    const char *confirmed_name;
    int32_t check_due; /* OW_DATE_NONE until decided */
    int64_t checked_at, checked_by;
    const char *check_result; /* "" until checked; pass, fail */
    const char *check_notes, *checked_name;
    int64_t revoked_at;
} ow_case_commitment_row;

int ow_case_modes_store_commitment_insert(ow_db *db, int64_t case_id, const char *materials,
                                          int check_days, ow_err *e);
int ow_case_modes_store_commitment_get(ow_db *db, ow_arena *a, int64_t case_id,
                                       ow_case_commitment_row *out, bool *found, ow_err *e);
int ow_case_modes_store_commitment_confirm(ow_db *db, int64_t case_id, int64_t at, int64_t by,
                                           const char *name, ow_err *e);
int ow_case_modes_store_commitment_set_due(ow_db *db, int64_t case_id, int32_t due, ow_err *e);
int ow_case_modes_store_commitment_check(ow_db *db, int64_t case_id, const char *result,
                                         const char *notes, int64_t by, const char *name,
                                         int64_t at, ow_err *e);
int ow_case_modes_store_commitment_revoke(ow_db *db, int64_t case_id, int64_t at, ow_err *e);

/* ======================= owed materials ======================= */

typedef struct ow_case_owed_row {
    const char *material;
    int32_t due;
    int64_t owed_at, received_at, reminded_at; /* 0: not yet */
} ow_case_owed_row;

int ow_case_modes_store_owed_insert(ow_db *db, int64_t case_id, const char *material, int32_t due,
                                    int64_t at, ow_err *e);
int ow_case_modes_store_owed_each(ow_db *db, ow_arena *a, int64_t case_id,
                                  int (*fn)(void *arg, const ow_case_owed_row *r), void *arg,
                                  ow_err *e);
/* Mark material received; *done false when it was not owed (or already received). */
int ow_case_modes_store_owed_receive(ow_db *db, int64_t case_id, const char *material, int64_t at,
                                     bool *done, ow_err *e);
int ow_case_modes_store_owed_open_count(ow_db *db, int64_t case_id, int64_t *n, ow_err *e);
/* Cases owing a material due by due_by and not reminded since reminded_before, at most
 * max ids into ids. */
int ow_case_modes_store_owed_to_remind(ow_db *db, int32_t due_by, int64_t reminded_before,
                                       int64_t *ids, int max, int *n, ow_err *e);
int ow_case_modes_store_owed_reminded(ow_db *db, int64_t case_id, int64_t at, ow_err *e);

/* ======================= what supervision lights ======================= */

/* A case with an owed material past its due date (kind "owed") or a commitment check not
 * recorded by its due date ("check"), with the earliest such date. */
typedef struct ow_case_mode_alert {
    int64_t case_id;
    const char *kind;
    int32_t due;
} ow_case_mode_alert;
/* Every alert as of today, by due date; fn answering non-zero stops the walk. */
int ow_case_modes_store_alerts(ow_db *db, int32_t today,
                               int (*fn)(void *arg, const ow_case_mode_alert *a), void *arg,
                               ow_err *e);

/* ======================= credit records ======================= */

typedef struct ow_credit_record {
    int64_t id;
    const char *subject_kind, *subject_idx, *subject_masked, *subject_name;
    int64_t case_id;
    const char *case_no, *kind, *note;
    int64_t dept_id, created_by, created_at;
} ow_credit_record;

int ow_case_modes_store_credit_insert(ow_db *db, const ow_credit_record *r, int64_t *id, ow_err *e);
/* Newest first, of subject_idx (NULL: everyone's), at most limit from offset. */
int ow_case_modes_store_credit_each(ow_db *db, ow_arena *a, const char *subject_idx, int limit,
                                    int64_t offset, int (*fn)(void *arg, const ow_credit_record *r),
                                    void *arg, ow_err *e);
int ow_case_modes_store_credit_count(ow_db *db, const char *subject_idx, int64_t *n, ow_err *e);

#endif
