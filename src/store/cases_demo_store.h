/* cases_demo_store.h — the SQL of the cases demo and bench seeder (cases/cases_demo.c)
 * behind typed functions (docs/decisions/0003-store-layer.md): whole cases written at
 * once with their history and pauses, as if they had been handled over the past year,
 * and the per-day case number sequences they used. */
#ifndef OW_STORE_CASES_DEMO_STORE_H
#define OW_STORE_CASES_DEMO_STORE_H

#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"
#include "core/workdays.h"
#include "store/cases_store.h"

/* How many cases there are. */
int ow_cases_store_count(ow_db *db, int64_t *n, ow_err *e);
/* The case number sequences of the days from lo to hi (YYYYMMDD). */
int ow_cases_store_each_seq(ow_db *db, const char *lo, const char *hi,
                            int (*fn)(void *arg, const char *day, int n), void *arg, ow_err *e);
/* Raise a day's sequence to at least n. */
int ow_cases_store_seq_at_least(ow_db *db, const char *day, int n, ow_err *e);

/* The applicant of a seeded case, sealed (mobile_enc NULL: none; user_id 0: no account). */
typedef struct ow_case_seed_applicant {
    const char *kind, *idx, *name, *id_enc, *masked, *mobile_enc, *mobile_masked, *address;
    int64_t user_id;
} ow_case_seed_applicant;

/* Write a case as it stands after its history: the row (every field the workflow sets;
 * "" delivery_method and tracking_no as NULL), its events numbered 1… (case_id unused;
 * comment NULL = "", detail NULL = "{}") and its pauses with their kinds.  *id: the new
 * case's id. */
int ow_cases_store_seed_case(ow_db *db, const ow_case_row *c, const ow_case_seed_applicant *p,
                             const ow_case_event_new *evs, int nev, const ow_cal_pause *pauses,
                             const char *const *pause_kinds, int np, int64_t *id, ow_err *e);

#endif
