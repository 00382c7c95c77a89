/* complaint_store.c — see complaint_store.h. */
#include "store/complaint_store.h"

#include <stdio.h>

#include "store/db.h"
#include "store/rows.h"

int ow_complaint_store_event(ow_db *db, int64_t id, int64_t at_ms, const char *actor,
                             const char *action, const char *note, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO complaint_events (complaint_id, seq, at, actor, action, note)"
        " VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM complaint_events WHERE complaint_id = "
        "?1),"
        " ?2, ?3, ?4, ?5)",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, at_ms);
    ow_bind_text(st, 3, actor);
    ow_bind_text(st, 4, action);
    ow_bind_text(st, 5, note ? note : "");
    return ow_rows_done(db, st, "complaint event", e);
}

int ow_complaint_store_active_org_kind(ow_db *db, int64_t org_id, char kind[16], ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT kind FROM orgs WHERE id = ? AND active = 1", e);
    kind[0] = '\0';
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) snprintf(kind, 16, "%s", ow_db_text(st, 0));
    ow_reset(st);
    return OW_OK; /* a failed look-up reads as no such organisation, as it always did */
}

int ow_complaint_store_count_filed(ow_db *db, int32_t day, int *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*) FROM complaints WHERE filed_date = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, day);
    if (ow_step(st) != OW_ROW) {
        ow_reset(st);
        return ow_db_fail(db, "complaint seq", e);
    }
    *n = ow_col_int(st, 0);
    ow_reset(st);
    return OW_OK;
}

int ow_complaint_store_insert(ow_db *db, const ow_complaint_new *c, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO complaints (ref_no, kind, subject, case_id, case_no, about_org_id,"
        " assigned_org_id, title, content, anonymous, user_id, contact_name, mobile_enc,"
        " mobile_idx, mobile_masked, query_hash, state, filed_at, filed_date, due_date, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19, ?20, ?18)",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, c->ref_no);
    ow_bind_text(st, 2, c->kind);
    ow_bind_text(st, 3, c->subject);
    ow_rows_bind_opt_id(st, 4, c->case_id);
    ow_bind_text(st, 5, c->case_no);
    ow_rows_bind_opt_id(st, 6, c->about_org_id);
    ow_rows_bind_opt_id(st, 7, c->assigned_org_id);
    ow_bind_text(st, 8, c->title);
    ow_bind_text(st, 9, c->content);
    ow_bind_int(st, 10, c->anonymous);
    ow_rows_bind_opt_id(st, 11, c->user_id);
    ow_bind_text(st, 12, c->contact_name);
    ow_rows_bind_opt_text(st, 13, c->mobile_enc);
    ow_rows_bind_opt_text(st, 14, c->mobile_enc ? c->mobile_idx : NULL);
    ow_bind_text(st, 15, c->mobile_masked);
    ow_bind_text(st, 16, c->query_hash);
    ow_bind_text(st, 17, c->state);
    ow_bind_int64(st, 18, c->filed_at);
    ow_bind_int(st, 19, c->filed_date);
    ow_bind_int(st, 20, c->due_date);
    return ow_rows_insert(db, st, id, "complaint insert", e);
}

int ow_complaint_store_state(ow_db *db, int64_t id, ow_complaint_state *out, bool *found,
                             ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT id, coalesce(assigned_org_id, 0), coalesce(user_id, 0), state,"
                             " due_date, query_hash FROM complaints WHERE id = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        out->id = ow_col_int64(st, 0);
        out->assigned_org_id = ow_col_int64(st, 1);
        out->user_id = ow_col_int64(st, 2);
        snprintf(out->state, sizeof out->state, "%s", ow_db_text(st, 3));
        out->due_date = (int32_t)ow_col_int64(st, 4);
        snprintf(out->query_hash, sizeof out->query_hash, "%s", ow_db_text(st, 5));
    }
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "complaint load", e);
    return OW_OK;
}

int ow_complaint_store_assign(ow_db *db, int64_t id, int64_t org_id, int64_t now_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE complaints SET assigned_org_id = ?, state = 'assigned',"
                             " updated_at = ? WHERE id = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int64(st, 2, now_ms);
    ow_bind_int64(st, 3, id);
    return ow_rows_done(db, st, "complaint assign", e);
}

int ow_complaint_store_answer(ow_db *db, int64_t id, const char *answer, const char *by,
                              int64_t now_ms, int32_t today, bool late, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "UPDATE complaints SET state = 'answered', answer = ?, answered_at = ?, answered_by = ?,"
        " answered_date = ?, answered_late = CASE WHEN ? = 1 OR escalation > 0 THEN 1 ELSE 0 END, "
        "updated_at = ? WHERE id = ?",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, answer);
    ow_bind_int64(st, 2, now_ms);
    ow_bind_text(st, 3, by);
    ow_bind_int(st, 4, today);
    ow_bind_int(st, 5, late ? 1 : 0);
    ow_bind_int64(st, 6, now_ms);
    ow_bind_int64(st, 7, id);
    return ow_rows_done(db, st, "complaint answer", e);
}

int ow_complaint_store_rate(ow_db *db, int64_t id, int satisfaction, const char *feedback,
                            int64_t now_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE complaints SET state = 'closed', satisfaction = ?,"
                             " feedback = ?, updated_at = ? WHERE id = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, satisfaction);
    ow_bind_text(st, 2, feedback ? feedback : "");
    ow_bind_int64(st, 3, now_ms);
    ow_bind_int64(st, 4, id);
    return ow_rows_done(db, st, "complaint rate", e);
}

int ow_complaint_store_each_overdue(ow_db *db, int32_t today, int (*fn)(void *arg, int64_t id),
                                    void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT id, due_date FROM complaints WHERE state IN ('submitted', 'assigned')"
                   " AND due_date < ? ORDER BY id",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, today);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0)))) break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "complaint overdue", e);
    return out;
}

int ow_complaint_store_escalate(ow_db *db, int64_t id, int32_t due, int64_t now_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE complaints SET escalation = escalation + 1,"
                             " escalated_at = ?, due_date = ?, updated_at = ? WHERE id = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, now_ms);
    ow_bind_int(st, 2, due);
    ow_bind_int64(st, 3, now_ms);
    ow_bind_int64(st, 4, id);
    return ow_rows_done(db, st, "complaint escalate", e);
}

int ow_complaint_store_each_open(ow_db *db,
                                 int (*fn)(void *arg, int64_t id, int32_t filed_date,
                                           bool escalated, int64_t escalated_at, int32_t due),
                                 void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT id, filed_date, escalated_at, due_date FROM complaints"
                             " WHERE state IN ('submitted', 'assigned')",
                             e);
    if (!st) return OW_EDB;
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        bool esc = !ow_col_null(st, 2);
        if ((out = fn(arg, ow_col_int64(st, 0), (int32_t)ow_col_int64(st, 1), esc,
                      esc ? ow_col_int64(st, 2) : 0, (int32_t)ow_col_int64(st, 3))))
            break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "complaint recompute", e);
    return out;
}

int ow_complaint_store_set_due(ow_db *db, int64_t id, int32_t due, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE complaints SET due_date = ? WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, due);
    ow_bind_int64(st, 2, id);
    return ow_rows_done(db, st, "complaint recompute", e);
}

#define CMP_COLS                                                                                   \
    "SELECT c.id, c.ref_no, c.kind, c.subject, c.case_no, c.about_org_id, coalesce(a.name, ''),"   \
    " c.assigned_org_id, coalesce(g.name, ''), c.title, c.content, c.anonymous, c.user_id,"        \
    " c.contact_name, c.mobile_masked, c.state, c.filed_at, c.due_date, c.escalation,"             \
    " c.escalated_at, c.answer, c.answered_at, c.answered_by, c.answered_late,"                    \
    " c.satisfaction, c.feedback FROM complaints c"                                                \
    " LEFT JOIN orgs a ON a.id = c.about_org_id LEFT JOIN orgs g ON g.id = c.assigned_org_id"

/* A text column, in the arena when a, else pointing into the statement; NULL for NULL when
 * nullable, else "". */
static const char *text_in(ow_arena *a, ow_stmt *st, int i, bool nullable) {
    if (nullable && ow_col_null(st, i)) return NULL;
    return a ? ow_rows_dupe(a, st, i) : ow_db_text(st, i);
}

static void cmp_row(ow_stmt *st, ow_arena *a, ow_complaint_row *r) {
    r->id = ow_col_int64(st, 0);
    r->ref_no = text_in(a, st, 1, false);
    r->kind = text_in(a, st, 2, false);
    r->subject = text_in(a, st, 3, false);
    r->case_no = text_in(a, st, 4, false);
    r->about_org_id = ow_col_null(st, 5) ? 0 : ow_col_int64(st, 5);
    r->about_org_name = text_in(a, st, 6, false);
    r->assigned_org_id = ow_col_null(st, 7) ? 0 : ow_col_int64(st, 7);
    r->assigned_org_name = text_in(a, st, 8, false);
    r->title = text_in(a, st, 9, false);
    r->content = text_in(a, st, 10, false);
    r->anonymous = ow_col_int(st, 11);
    r->user_id = ow_col_null(st, 12) ? 0 : ow_col_int64(st, 12);
    r->contact_name = text_in(a, st, 13, false);
    r->mobile_masked = text_in(a, st, 14, false);
    r->state = text_in(a, st, 15, false);
    r->filed_at = ow_col_int64(st, 16);
    r->has_due_date = !ow_col_null(st, 17);
    r->due_date = (int32_t)ow_col_int64(st, 17);
    r->escalation = ow_col_int(st, 18);
    r->escalated = !ow_col_null(st, 19);
    r->escalated_at = ow_col_int64(st, 19);
    r->answer = text_in(a, st, 20, true);
    r->answered = !ow_col_null(st, 21);
    r->answered_at = ow_col_int64(st, 21);
    r->answered_by = text_in(a, st, 22, true);
    r->answered_late = ow_col_int(st, 23);
    r->satisfaction = ow_col_null(st, 24) ? 0 : ow_col_int(st, 24);
    r->feedback = text_in(a, st, 25, true);
}

int ow_complaint_store_get(ow_db *db, int64_t id, ow_arena *a, ow_complaint_row *out, bool *found,
                           ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, CMP_COLS " WHERE c.id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) cmp_row(st, a, out);
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "complaint get", e);
    return OW_OK;
}

int ow_complaint_store_each_event(ow_db *db, int64_t id,
                                  int (*fn)(void *arg, int64_t at_ms, const char *actor,
                                            const char *action, const char *note),
                                  void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT at, actor, action, note FROM complaint_events"
                             " WHERE complaint_id = ? ORDER BY seq",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_db_text(st, 1), ow_db_text(st, 2),
                      ow_db_text(st, 3))))
            break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "complaint events", e);
    return out;
}

int ow_complaint_store_id_by_ref(ow_db *db, const char *ref_no, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT id FROM complaints WHERE ref_no = ?", e);
    *id = 0;
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, ref_no);
    int rc = ow_step(st);
    if (rc == OW_ROW) *id = ow_col_int64(st, 0);
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "complaint by ref", e);
    return OW_OK;
}

#define CMP_WHERE                                                                                  \
    " WHERE (?1 = 0 OR c.user_id = ?1)"                                                            \
    " AND (?2 = 0 OR c.assigned_org_id = ?2"                                                       \
    "      OR c.assigned_org_id IN (SELECT id FROM orgs WHERE parent_id = ?2))"                    \
    " AND (?3 IS NULL OR c.state = ?3 OR (?3 = 'open' AND c.state IN ('submitted', "               \
    "'assigned')))"                                                                                \
    " AND (?4 = 0 OR (c.state IN ('submitted', 'assigned') AND c.due_date < ?5))"                  \
    " AND (?6 = 0 OR c.escalation > 0)"

static void bind_filter(ow_stmt *st, const ow_complaint_filter *f) {
    ow_bind_int64(st, 1, f->user_id);
    ow_bind_int64(st, 2, f->scope);
    ow_rows_bind_opt_text(st, 3, f->state);
    ow_bind_int(st, 4, f->overdue);
    ow_bind_int(st, 5, f->today);
    ow_bind_int(st, 6, f->escalated);
}

int ow_complaint_store_count(ow_db *db, const ow_complaint_filter *f, int64_t *total, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*) FROM complaints c" CMP_WHERE, e);
    if (!st) return OW_EDB;
    bind_filter(st, f);
    if (ow_step(st) != OW_ROW) {
        ow_reset(st);
        return ow_db_fail(db, "complaint count", e);
    }
    *total = ow_col_int64(st, 0);
    ow_reset(st);
    return OW_OK;
}

int ow_complaint_store_each(ow_db *db, const ow_complaint_filter *f, int limit, int64_t offset,
                            int (*fn)(void *arg, const ow_complaint_row *r), void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             CMP_COLS CMP_WHERE " ORDER BY c.escalation DESC, c.state IN"
                                                " ('answered', 'closed'), c.due_date, c.id DESC"
                                                " LIMIT ?7 OFFSET ?8",
                             e);
    if (!st) return OW_EDB;
    bind_filter(st, f);
    ow_bind_int(st, 7, limit);
    ow_bind_int64(st, 8, offset);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_complaint_row r;
        cmp_row(st, NULL, &r);
        if ((out = fn(arg, &r))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "complaint list", e);
    return out;
}
