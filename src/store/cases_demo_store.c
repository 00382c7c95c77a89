/* cases_demo_store.c — see cases_demo_store.h. */
#include "store/cases_demo_store.h"

#include "store/db.h"
#include "store/rows.h"

int ow_cases_store_count(ow_db *db, int64_t *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*) FROM cases", e);
    if (!st) return OW_EDB;
    int rc = ow_step(st);
    if (rc == OW_ROW) *n = ow_col_int64(st, 0);
    int out = rc == OW_ROW ? OW_OK : ow_db_fail(db, "case count", e);
    ow_reset(st);
    return out;
}

int ow_cases_store_each_seq(ow_db *db, const char *lo, const char *hi,
                            int (*fn)(void *arg, const char *day, int n), void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT day, n FROM case_seq WHERE day >= ? AND day <= ?", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, lo);
    ow_bind_text(st, 2, hi);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_db_text(st, 0), ow_col_int(st, 1)))) break;
    if (!out && rc != OW_DONE) out = ow_db_fail(db, "case seq", e);
    ow_reset(st);
    return out;
}

int ow_cases_store_seq_at_least(ow_db *db, const char *day, int n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO case_seq(day, n) VALUES(?, ?)"
                             " ON CONFLICT(day) DO UPDATE SET n = CASE WHEN excluded.n > "
                             "case_seq.n THEN excluded.n ELSE case_seq.n END",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, day);
    ow_bind_int(st, 2, n);
    return ow_rows_done(db, st, "case seq", e);
}

static void bind_nonempty(ow_stmt *st, int i, const char *s) {
    ow_rows_bind_opt_text(st, i, s && *s ? s : NULL);
}

int ow_cases_store_seed_case(ow_db *db, const ow_case_row *c, const ow_case_seed_applicant *p,
                             const ow_case_event_new *evs, int nev, const ow_cal_pause *pauses,
                             const char *const *pause_kinds, int np, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO cases(case_no, item_id, item_version, item_code, item_name, item_type,"
        " dept_id, applicant_kind, applicant_idx, applicant_user_id, applicant_name,"
        " id_number_enc, id_masked, mobile_enc, mobile_masked, address, channel, intake_org_id,"
        " intake_scope_id, filed_by, title, materials, supplement_names, state, submitted_at,"
        " received_date, accepted_date, clock_start, deemed_accepted, decided_date,"
        " concluded_at, committed_days, statutory_days, due_committed, due_statutory, due_date,"
        " result, delivery_method, tracking_no, updated_at)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        e);
    if (!st) return OW_EDB;
    int i = 1;
#define T(v) ow_bind_text_ref(st, i++, v)
#define I(v) ow_bind_int64(st, i++, v)
#define D(v) ow_rows_bind_daynum(st, i++, v)
#define N(v) ow_rows_bind_opt_id(st, i++, v)
    T(c->case_no);
    I(c->item_id);
    I(c->item_version);
    T(c->item_code);
    T(c->item_name);
    T(c->item_type);
    I(c->dept_id);
    T(p->kind);
    T(p->idx);
    N(p->user_id);
    T(p->name);
    T(p->id_enc);
    T(p->masked);
    ow_rows_bind_opt_text(st, i++, p->mobile_enc);
    T(p->mobile_masked);
    T(p->address);
    T(c->channel);
    I(c->intake_org_id);
    I(c->intake_scope_id);
    N(c->filed_by);
    T(c->title);
    T(c->materials);
    ow_rows_bind_opt_text(st, i++, c->supplement_names);
    T(c->state);
    I(c->submitted_at);
    D(c->received_date);
    D(c->accepted_date);
    D(c->clock_start);
    I(c->deemed_accepted);
    D(c->decided_date);
    N(c->concluded_at);
    I(c->committed_days);
    I(c->statutory_days);
    D(c->due_committed);
    D(c->due_statutory);
    D(c->due_date);
    T(c->result);
    bind_nonempty(st, i++, c->delivery_method);
    bind_nonempty(st, i++, c->tracking_no);
    I(c->updated_at);
#undef T
#undef I
#undef D
#undef N
    int rc = ow_rows_insert(db, st, id, "seed case", e);
    if (rc) return rc;
    for (int k = 0; k < nev; k++) {
        ow_stmt *s = ow_db_stmt(
            db,
            "INSERT INTO case_events(case_id, seq, at, actor_id, actor_name, actor_role, actor_org,"
            " action, from_state, to_state, comment, detail) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
            e);
        if (!s) return OW_EDB;
        const ow_case_event_new *ev = &evs[k];
        ow_bind_int64(s, 1, *id);
        ow_bind_int(s, 2, k + 1);
        ow_bind_int64(s, 3, ev->at);
        ow_rows_bind_opt_id(s, 4, ev->actor_id);
        ow_bind_text_ref(s, 5, ev->actor_name);
        ow_bind_text_ref(s, 6, ev->actor_role);
        ow_bind_text_ref(s, 7, ev->actor_org);
        ow_bind_text_ref(s, 8, ev->action);
        ow_bind_text_ref(s, 9, ev->from_state);
        ow_bind_text_ref(s, 10, ev->to_state);
        ow_bind_text_ref(s, 11, ev->comment ? ev->comment : "");
        ow_bind_text_ref(s, 12, ev->detail ? ev->detail : "{}");
        if ((rc = ow_rows_done(db, s, "seed event", e))) return rc;
    }
    for (int k = 0; k < np; k++) {
        ow_stmt *s = ow_db_stmt(db,
                                "INSERT INTO case_pauses(case_id, seq, kind, start_date, end_date)"
                                " VALUES(?,?,?,?,?)",
                                e);
        if (!s) return OW_EDB;
        ow_bind_int64(s, 1, *id);
        ow_bind_int(s, 2, k + 1);
        ow_bind_text_ref(s, 3, pause_kinds[k]);
        ow_bind_int64(s, 4, pauses[k].start);
        ow_rows_bind_daynum(s, 5, pauses[k].end);
        if ((rc = ow_rows_done(db, s, "seed pause", e))) return rc;
    }
    return OW_OK;
}
