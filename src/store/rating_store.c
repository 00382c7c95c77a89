/* rating_store.c — see rating_store.h. */
#include "store/rating_store.h"

#include <stdio.h>

#include "core/workdays.h"
#include "store/db.h"
#include "store/rows.h"

/* A text column, in the arena when a, else pointing into the statement; NULL for NULL when
 * nullable, else "". */
static const char *text_in(ow_arena *a, ow_stmt *st, int i, bool nullable) {
    if (nullable && ow_col_null(st, i)) return NULL;
    return a ? ow_rows_dupe(a, st, i) : ow_db_text(st, i);
}

static int64_t id_or_0(ow_stmt *st, int i) {
    return ow_col_null(st, i) ? 0 : ow_col_int64(st, i);
}

/* ---------------- ratings ---------------- */

int ow_rating_store_insert(ow_db *db, const ow_rating_new *r, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO ratings (channel, case_id, case_no, service_id, topic, org_id, dept_id,"
        " staff_id, user_id, level, comment, tags, created_at, rated_date)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, r->channel);
    ow_rows_bind_opt_id(st, 2, r->case_id);
    ow_bind_text(st, 3, r->case_no ? r->case_no : "");
    ow_rows_bind_opt_id(st, 4, r->service_id);
    ow_bind_text(st, 5, r->topic ? r->topic : "");
    ow_rows_bind_opt_id(st, 6, r->org_id);
    ow_bind_int64(st, 7, r->dept_id);
    ow_rows_bind_opt_id(st, 8, r->staff_id);
    ow_rows_bind_opt_id(st, 9, r->user_id);
    ow_bind_int(st, 10, r->level);
    ow_bind_text(st, 11, r->comment ? r->comment : "");
    ow_bind_text(st, 12, r->tags);
    ow_bind_int64(st, 13, r->at_ms);
    ow_bind_int(st, 14, r->rated_date);
    int rc = ow_step(st);
    ow_reset(st);
    if (rc != OW_DONE && ow_db_last_was_constraint(db)) return OW_ECONFLICT;
    if (rc != OW_DONE) return ow_db_fail(db, "rating insert", e);
    *id = ow_db_last_id(db);
    return OW_OK;
}

int ow_rating_store_void(ow_db *db, int64_t rating_id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE ratings SET void = 1 WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, rating_id);
    return ow_rows_done(db, st, "rating void", e);
}

#define RATING_COLS                                                                                \
    "SELECT r.id, r.channel, r.case_id, r.case_no, r.service_id, r.topic, r.org_id,"               \
    " coalesce(o.name, ''), r.dept_id, coalesce(d.name, ''), r.staff_id, r.user_id, r.level,"      \
    " r.comment, r.tags, r.void, r.created_at, x.id FROM ratings r"                                \
    " LEFT JOIN orgs o ON o.id = r.org_id LEFT JOIN orgs d ON d.id = r.dept_id"                    \
    " LEFT JOIN rectifications x ON x.rating_id = r.id"

static void rating_row(ow_stmt *st, ow_arena *a, ow_rating_row *r) {
    r->id = ow_col_int64(st, 0);
    r->channel = text_in(a, st, 1, false);
    r->case_id = id_or_0(st, 2);
    r->case_no = text_in(a, st, 3, false);
    r->service_id = id_or_0(st, 4);
    r->topic = text_in(a, st, 5, false);
    r->org_id = id_or_0(st, 6);
    r->org_name = text_in(a, st, 7, false);
    r->dept_id = ow_col_int64(st, 8);
    r->dept_name = text_in(a, st, 9, false);
    r->staff_id = id_or_0(st, 10);
    r->user_id = ow_col_int64(st, 11);
    r->level = ow_col_int(st, 12);
    r->comment = text_in(a, st, 13, false);
    r->tags = text_in(a, st, 14, false);
    r->is_void = ow_col_int(st, 15);
    r->created_at = ow_col_int64(st, 16);
    r->rectification_id = id_or_0(st, 17);
}

static int rating_one(ow_db *db, ow_stmt *st, ow_arena *a, ow_rating_row *out, bool *found,
                      const char *what, ow_err *e) {
    int rc = ow_step(st);
    if (rc == OW_ROW) rating_row(st, a, out);
    *found = rc == OW_ROW;
    int r = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, what, e);
    ow_reset(st);
    return r;
}

int ow_rating_store_of_case(ow_db *db, int64_t case_id, ow_arena *a, ow_rating_row *out,
                            bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, RATING_COLS " WHERE r.case_id = ? AND r.channel <> 'kiosk'", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, case_id);
    return rating_one(db, st, a, out, found, "case rating", e);
}

int ow_rating_store_get(ow_db *db, int64_t id, ow_arena *a, ow_rating_row *out, bool *found,
                        ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, RATING_COLS " WHERE r.id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    return rating_one(db, st, a, out, found, "rating get", e);
}

#define RATING_WHERE                                                                               \
    " WHERE (?1 = 0 OR r.user_id = ?1)"                                                            \
    " AND (?2 = 0 OR r.dept_id = ?2 OR r.org_id = ?2"                                              \
    "      OR r.dept_id IN (SELECT id FROM orgs WHERE parent_id = ?2)"                             \
    "      OR r.org_id IN (SELECT id FROM orgs WHERE parent_id = ?2))"                             \
    " AND (?3 IS NULL OR r.channel = ?3) AND (?4 = 0 OR r.level = ?4)"                             \
    " AND (?5 = 0 OR r.level <= 2) AND (?6 = 0 OR r.dept_id = ?6 OR r.org_id = ?6)"                \
    " AND r.rated_date BETWEEN ?7 AND ?8"

static void bind_rating_filter(ow_stmt *st, const ow_rating_filter *f) {
    ow_bind_int64(st, 1, f->user_id);
    ow_bind_int64(st, 2, f->scope);
    ow_rows_bind_opt_text(st, 3, f->channel);
    ow_bind_int(st, 4, f->level);
    ow_bind_int(st, 5, f->bad_only);
    ow_bind_int64(st, 6, f->org_id);
    ow_bind_int(st, 7, f->from == OW_DATE_NONE ? 0 : f->from);
    ow_bind_int(st, 8, f->to == OW_DATE_NONE ? INT32_MAX : f->to);
}

static int count_one(ow_db *db, ow_stmt *st, int64_t *total, const char *what, ow_err *e) {
    if (ow_step(st) != OW_ROW) {
        ow_reset(st);
        return ow_db_fail(db, what, e);
    }
    *total = ow_col_int64(st, 0);
    ow_reset(st);
    return OW_OK;
}

int ow_rating_store_count(ow_db *db, const ow_rating_filter *f, int64_t *total, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*) FROM ratings r" RATING_WHERE, e);
    if (!st) return OW_EDB;
    bind_rating_filter(st, f);
    return count_one(db, st, total, "rating count", e);
}

int ow_rating_store_each(ow_db *db, const ow_rating_filter *f, int limit, int64_t offset,
                         int (*fn)(void *arg, const ow_rating_row *r), void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, RATING_COLS RATING_WHERE " ORDER BY r.id DESC LIMIT ?9 OFFSET ?10", e);
    if (!st) return OW_EDB;
    bind_rating_filter(st, f);
    ow_bind_int(st, 9, limit);
    ow_bind_int64(st, 10, offset);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_rating_row r;
        rating_row(st, NULL, &r);
        if ((out = fn(arg, &r))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "rating list", e);
    return out;
}

/* ---------------- window services ---------------- */

int ow_rating_store_services_end(ow_db *db, int64_t window_id, int64_t now_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE service_sessions SET state = 'ended', ended_at = ? WHERE "
                             "window_id = ? AND state = 'open'",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, now_ms);
    ow_bind_int64(st, 2, window_id);
    return ow_rows_done(db, st, "service end", e);
}

int ow_rating_store_service_insert(ow_db *db, int64_t window_id, int64_t clerk_id,
                                   const char *clerk_name, int64_t case_id, const char *case_no,
                                   const char *topic, int64_t at_ms, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO service_sessions (window_id, clerk_id, clerk_name, case_id, case_no, topic,"
        " state, started_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, window_id);
    ow_rows_bind_opt_id(st, 2, clerk_id);
    ow_bind_text(st, 3, clerk_name);
    ow_rows_bind_opt_id(st, 4, case_id);
    ow_bind_text(st, 5, case_no);
    ow_bind_text(st, 6, topic);
    ow_bind_int64(st, 7, at_ms);
    return ow_rows_insert(db, st, id, "service insert", e);
}

int ow_rating_store_service_state(ow_db *db, int64_t id, int64_t *window_id, char state[16],
                                  bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT window_id, state FROM service_sessions WHERE id = ?", e);
    *found = false;
    *window_id = 0;
    state[0] = '\0';
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *window_id = ow_col_int64(st, 0);
        snprintf(state, 16, "%s", ow_db_text(st, 1));
    }
    *found = rc == OW_ROW;
    int r = rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "service get", e);
    ow_reset(st);
    return r;
}

int ow_rating_store_service_end(ow_db *db, int64_t id, int64_t now_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "UPDATE service_sessions SET state = 'ended', ended_at = ? WHERE id = ? AND state = 'open'",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, now_ms);
    ow_bind_int64(st, 2, id);
    return ow_rows_done(db, st, "service end", e);
}

int ow_rating_store_service_rated(ow_db *db, int64_t id, int64_t at_ms, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, "UPDATE service_sessions SET state = 'rated', ended_at = ? WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, at_ms);
    ow_bind_int64(st, 2, id);
    return ow_rows_done(db, st, "service rated", e);
}

int ow_rating_store_open_service(ow_db *db, int64_t window_id, int64_t since_ms, ow_arena *a,
                                 ow_service_row *out, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT id, clerk_name, topic, case_no, started_at FROM service_sessions"
        " WHERE window_id = ? AND state = 'open' AND started_at >= ? ORDER BY id DESC LIMIT 1",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, window_id);
    ow_bind_int64(st, 2, since_ms);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        out->id = ow_col_int64(st, 0);
        out->clerk_name = ow_rows_dupe(a, st, 1);
        out->topic = ow_rows_dupe(a, st, 2);
        out->case_no = ow_rows_dupe(a, st, 3);
        out->started_at = ow_col_int64(st, 4);
    }
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "open service", e);
    return OW_OK;
}

int ow_rating_store_service_for_rating(ow_db *db, int64_t id, ow_arena *a, int64_t *clerk_id,
                                       int64_t *case_id, const char **case_no, const char **topic,
                                       ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT clerk_id, case_id, case_no, topic FROM service_sessions WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    if (ow_step(st) != OW_ROW) {
        ow_reset(st);
        return ow_db_fail(db, "service get", e);
    }
    *clerk_id = ow_col_int64(st, 0);
    *case_id = ow_col_int64(st, 1);
    *case_no = ow_rows_dupe(a, st, 2);
    *topic = ow_rows_dupe(a, st, 3);
    ow_reset(st);
    return OW_OK;
}

int ow_rating_store_each_recent_service(ow_db *db, int64_t window_id,
                                        int (*fn)(void *arg, int64_t id, const char *topic,
                                                  const char *case_no, const char *state,
                                                  int64_t started_at, int level),
                                        void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT s.id, s.topic, s.case_no, s.state, s.started_at, r.level FROM service_sessions s"
        " LEFT JOIN ratings r ON r.service_id = s.id WHERE s.window_id = ?"
        " ORDER BY s.id DESC LIMIT 10",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, window_id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_db_text(st, 1), ow_db_text(st, 2),
                      ow_db_text(st, 3), ow_col_int64(st, 4),
                      ow_col_null(st, 5) ? 0 : ow_col_int(st, 5))))
            break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "recent services", e);
    return out;
}

int ow_rating_store_org_code_name(ow_db *db, int64_t id, ow_arena *a, const char **code,
                                  const char **name, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT code, name FROM orgs WHERE id = ?", e);
    *found = false;
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    if (ow_step(st) == OW_ROW) {
        *code = ow_rows_dupe(a, st, 0);
        *name = ow_rows_dupe(a, st, 1);
        *found = true;
    }
    ow_reset(st);
    return OW_OK;
}

int ow_rating_store_kiosk_orgs(ow_db *db, int64_t *ids, int max, int *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT id FROM orgs WHERE kind IN ('window', 'township') AND active = 1 ORDER BY code",
        e);
    *n = 0;
    if (!st) return OW_EDB;
    while (*n < max && ow_step(st) == OW_ROW)
        ids[(*n)++] = ow_col_int64(st, 0);
    ow_reset(st);
    return OW_OK;
}

/* ---------------- rectifications ---------------- */

int ow_rating_store_rect_insert(ow_db *db, int64_t rating_id, int64_t org_id, int64_t at_ms,
                                int32_t opened, int32_t due, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "INSERT INTO rectifications (rating_id, org_id, state, opened_at, opened_date, due_date,"
        " updated_at) VALUES (?, ?, 'open', ?, ?, ?, ?)",
        e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, rating_id);
    ow_bind_int64(st, 2, org_id);
    ow_bind_int64(st, 3, at_ms);
    ow_bind_int(st, 4, opened);
    ow_bind_int(st, 5, due);
    ow_bind_int64(st, 6, at_ms);
    return ow_rows_insert(db, st, id, "rectification insert", e);
}

int ow_rating_store_rect_of_rating(ow_db *db, int64_t rating_id, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT id FROM rectifications WHERE rating_id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, rating_id);
    *id = ow_step(st) == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    if (!*id) return ow_db_fail(db, "demo rectification", e);
    return OW_OK;
}

#define RECT_COLS                                                                                  \
    "SELECT x.id, x.rating_id, x.org_id, coalesce(o.name, ''), x.state, x.opened_date,"            \
    " x.due_date, x.visit_at, x.visit_by, x.visit_note, x.outcome, x.outcome_note,"                \
    " x.ledger_due, x.appeal_result, x.appeal_note, x.closed_at, x.closed_late,"                   \
    " x.closing_note, x.published, r.level, r.comment, r.tags, r.topic, r.case_no, r.channel,"     \
    " r.created_at, r.void FROM rectifications x JOIN ratings r ON r.id = x.rating_id"             \
    " LEFT JOIN orgs o ON o.id = x.org_id"

static void rect_row(ow_stmt *st, ow_arena *a, ow_rect_row *r) {
    r->id = ow_col_int64(st, 0);
    r->rating_id = ow_col_int64(st, 1);
    r->org_id = ow_col_int64(st, 2);
    r->org_name = text_in(a, st, 3, false);
    r->state = text_in(a, st, 4, false);
    r->has_opened_date = !ow_col_null(st, 5);
    r->opened_date = (int32_t)ow_col_int64(st, 5);
    r->has_due_date = !ow_col_null(st, 6);
    r->due_date = (int32_t)ow_col_int64(st, 6);
    r->visited = !ow_col_null(st, 7);
    r->visit_at = ow_col_int64(st, 7);
    r->visit_by = text_in(a, st, 8, true);
    r->visit_note = text_in(a, st, 9, true);
    r->outcome = text_in(a, st, 10, true);
    r->outcome_note = text_in(a, st, 11, true);
    r->ledger_due = ow_col_null(st, 12) ? OW_DATE_NONE : (int32_t)ow_col_int64(st, 12);
    r->appeal_result = text_in(a, st, 13, true);
    r->appeal_note = text_in(a, st, 14, true);
    r->closed = !ow_col_null(st, 15);
    r->closed_at = ow_col_int64(st, 15);
    r->closed_late = ow_col_int(st, 16);
    r->closing_note = text_in(a, st, 17, true);
    r->published = ow_col_int(st, 18);
    r->level = ow_col_int(st, 19);
    r->comment = text_in(a, st, 20, false);
    r->tags = text_in(a, st, 21, false);
    r->topic = text_in(a, st, 22, false);
    r->case_no = text_in(a, st, 23, false);
    r->channel = text_in(a, st, 24, false);
    r->rated_at = ow_col_int64(st, 25);
    r->is_void = ow_col_int(st, 26);
}

int ow_rating_store_rect_get(ow_db *db, int64_t id, ow_arena *a, ow_rect_row *out, bool *found,
                             ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, RECT_COLS " WHERE x.id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) rect_row(st, a, out);
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "rectification get", e);
    return OW_OK;
}

int ow_rating_store_rect_org(ow_db *db, int64_t id, int64_t *org_id, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT org_id FROM rectifications WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    *org_id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "rectification org", e);
    return OW_OK;
}

#define RECT_WHERE                                                                                 \
    " WHERE (?1 = 0 OR x.org_id = ?1 OR x.org_id IN (SELECT id FROM orgs WHERE parent_id = ?1))"   \
    " AND (?2 IS NULL OR x.state = ?2 OR (?2 = 'active' AND x.state <> 'closed'))"                 \
    " AND (?3 = 0 OR (x.state <> 'closed' AND"                                                     \
    "      CASE WHEN x.state = 'ledger' THEN x.ledger_due ELSE x.due_date END < ?4))"

static void bind_rect_filter(ow_stmt *st, const ow_rect_filter *f) {
    ow_bind_int64(st, 1, f->scope);
    ow_rows_bind_opt_text(st, 2, f->state);
    ow_bind_int(st, 3, f->overdue);
    ow_bind_int(st, 4, f->today);
}

int ow_rating_store_rect_count(ow_db *db, const ow_rect_filter *f, int64_t *total, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*) FROM rectifications x" RECT_WHERE, e);
    if (!st) return OW_EDB;
    bind_rect_filter(st, f);
    return count_one(db, st, total, "rectification count", e);
}

int ow_rating_store_rect_each(ow_db *db, const ow_rect_filter *f, int limit, int64_t offset,
                              int (*fn)(void *arg, const ow_rect_row *r), void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             RECT_COLS RECT_WHERE " ORDER BY x.state = 'closed', x.due_date, x.id"
                                                  " LIMIT ?5 OFFSET ?6",
                             e);
    if (!st) return OW_EDB;
    bind_rect_filter(st, f);
    ow_bind_int(st, 5, limit);
    ow_bind_int64(st, 6, offset);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_rect_row r;
        rect_row(st, NULL, &r);
        if ((out = fn(arg, &r))) break;
    }
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "rectification list", e);
    return out;
}

int ow_rating_store_public_count(ow_db *db, int64_t *total, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT count(*) FROM rectifications WHERE published = 1", e);
    if (!st) return OW_EDB;
    return count_one(db, st, total, "public count", e);
}

int ow_rating_store_public_each(ow_db *db, int limit, int64_t offset,
                                int (*fn)(void *arg, int64_t id, const char *org_name,
                                          const char *topic, int level, const char *outcome,
                                          const char *outcome_note, bool closed, int64_t closed_at),
                                void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db,
        "SELECT x.id, coalesce(o.name, ''), r.topic, r.level, x.outcome, x.outcome_note,"
        " x.closing_note, x.closed_at FROM rectifications x JOIN ratings r ON r.id = x.rating_id"
        " LEFT JOIN orgs o ON o.id = x.org_id WHERE x.published = 1"
        " ORDER BY x.closed_at DESC LIMIT ? OFFSET ?",
        e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, limit);
    ow_bind_int64(st, 2, offset);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_db_text(st, 1), ow_db_text(st, 2),
                      ow_col_int(st, 3), ow_db_text(st, 4), ow_col_text(st, 5), !ow_col_null(st, 7),
                      ow_col_int64(st, 7))))
            break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "public list", e);
    return out;
}

int ow_rating_store_rect_state(ow_db *db, int64_t id, ow_rect_state *out, bool *found, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT id, org_id, rating_id, state, due_date, ledger_due, published"
                             " FROM rectifications WHERE id = ?",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        out->id = ow_col_int64(st, 0);
        out->org_id = ow_col_int64(st, 1);
        out->rating_id = ow_col_int64(st, 2);
        snprintf(out->state, sizeof out->state, "%s", ow_db_text(st, 3));
        out->due = (int32_t)ow_col_int64(st, 4);
        out->ledger_due = ow_col_null(st, 5) ? OW_DATE_NONE : (int32_t)ow_col_int64(st, 5);
        out->published = ow_col_int(st, 6);
    }
    *found = rc == OW_ROW;
    ow_reset(st);
    if (rc != OW_ROW && rc != OW_DONE) return ow_db_fail(db, "rectification load", e);
    return OW_OK;
}

/* ?1 id, ?2..?4 texts, ?5 ?6 integers, ?7 now: every step binds all seven, and its
 * statement leaves out what it does not need. */
static int rect_exec(ow_db *db, const char *sql, int64_t id, const char *s1, const char *s2,
                     const char *s3, int64_t i1, int64_t i2, int64_t now_ms, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, sql, e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_rows_bind_opt_text(st, 2, s1);
    ow_rows_bind_opt_text(st, 3, s2);
    ow_rows_bind_opt_text(st, 4, s3);
    ow_bind_int64(st, 5, i1);
    ow_bind_int64(st, 6, i2);
    ow_bind_int64(st, 7, now_ms);
    return ow_rows_done(db, st, "rectification update", e);
}

int ow_rating_store_rect_visit(ow_db *db, int64_t id, const char *by, const char *note,
                               int64_t now_ms, ow_err *e) {
    return rect_exec(db,
                     "UPDATE rectifications SET state = 'visited', visit_at = ?7, visit_by = ?2,"
                     " visit_note = ?3, updated_at = ?7 WHERE id = ?1",
                     id, by, note, NULL, 0, 0, now_ms, e);
}

int ow_rating_store_rect_verify(ow_db *db, int64_t id, const char *to, const char *outcome,
                                const char *note, int32_t ledger_due, bool late, int64_t now_ms,
                                ow_err *e) {
    return rect_exec(db,
                     "UPDATE rectifications SET state = ?2, outcome = ?3, outcome_note = ?4,"
                     " ledger_due = CASE WHEN ?5 > 0 THEN ?5 ELSE NULL END,"
                     " closed_at = CASE WHEN ?2 = 'closed' THEN ?7 ELSE NULL END,"
                     " closed_late = ?6, closing_note = CASE WHEN ?2 = 'closed' THEN ?4 ELSE NULL"
                     " END,"
                     " updated_at = ?7 WHERE id = ?1",
                     id, to, outcome, note, ledger_due, late, now_ms, e);
}

int ow_rating_store_rect_close(ow_db *db, int64_t id, const char *note, bool late, int64_t now_ms,
                               ow_err *e) {
    return rect_exec(
        db,
        "UPDATE rectifications SET state = 'closed', closed_at = ?7, closing_note = ?2,"
        " closed_late = ?5, updated_at = ?7 WHERE id = ?1",
        id, note, NULL, NULL, late, 0, now_ms, e);
}

int ow_rating_store_rect_review(ow_db *db, int64_t id, const char *to, const char *result,
                                const char *note, bool late, int64_t now_ms, ow_err *e) {
    return rect_exec(db,
                     "UPDATE rectifications SET state = ?2, appeal_result = ?3, appeal_note = ?4,"
                     " outcome = CASE WHEN ?2 = 'visited' THEN NULL ELSE outcome END,"
                     " closed_at = CASE WHEN ?2 = 'closed' THEN ?7 ELSE NULL END,"
                     " closing_note = CASE WHEN ?2 = 'closed' THEN ?4 ELSE NULL END,"
                     " closed_late = ?5, updated_at = ?7 WHERE id = ?1",
                     id, to, result, note, late, 0, now_ms, e);
}

int ow_rating_store_rect_publish(ow_db *db, int64_t id, int64_t now_ms, ow_err *e) {
    return rect_exec(db, "UPDATE rectifications SET published = 1, updated_at = ?7 WHERE id = ?1",
                     id, NULL, NULL, NULL, 0, 0, now_ms, e);
}

int ow_rating_store_each_open_rect(ow_db *db,
                                   int (*fn)(void *arg, int64_t id, int32_t opened, int32_t due),
                                   void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, "SELECT id, opened_date, due_date FROM rectifications WHERE state <> 'closed'", e);
    if (!st) return OW_EDB;
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), (int32_t)ow_col_int64(st, 1),
                      (int32_t)ow_col_int64(st, 2))))
            break;
    ow_reset(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, "rectification recompute", e);
    return out;
}

int ow_rating_store_rect_set_due(ow_db *db, int64_t id, int32_t due, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "UPDATE rectifications SET due_date = ? WHERE id = ?", e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, due);
    ow_bind_int64(st, 2, id);
    return ow_rows_done(db, st, "rectification recompute", e);
}
