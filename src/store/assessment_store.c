/* assessment_store.c — see assessment_store.h. */
#include "store/assessment_store.h"

#include <string.h>

#include "store/db.h"

/* A text column copied into the arena, NULL for NULL. */
static const char *dup(ow_arena *a, ow_stmt *st, int i) {
    const char *s = ow_col_text(st, i);
    return s ? ow_strdup(a, s) : NULL;
}
/* The same, "" for NULL. */
static const char *dupe(ow_arena *a, ow_stmt *st, int i) {
    return ow_strdup(a, ow_db_text(st, i));
}

static void bind_opt_text(ow_stmt *st, int i, const char *s) {
    if (s)
        ow_bind_text(st, i, s);
    else
        ow_bind_null(st, i);
}

static void bind_opt_id(ow_stmt *st, int i, int64_t id) {
    if (id > 0)
        ow_bind_int64(st, i, id);
    else
        ow_bind_null(st, i);
}

/* Step a statement that returns no rows, then make it ready for its next use. */
static int done(ow_db *db, ow_stmt *st, const char *what, ow_err *e) {
    int rc = ow_step(st);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_DONE ? OW_OK : ow_db_fail(db, what, e);
}

/* Step an INSERT … RETURNING id. */
static int returning(ow_db *db, ow_stmt *st, int64_t *id, const char *what, ow_err *e) {
    int rc = ow_step(st);
    if (rc == OW_ROW) *id = ow_col_int64(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, what, e);
}

/* The end of a walk: fn's answer, or the database's failure. */
static int walked(ow_db *db, ow_stmt *st, int rc, int out, const char *what, ow_err *e) {
    ow_reset(st);
    ow_clear_bindings(st);
    if (!out && rc != OW_DONE) return ow_db_fail(db, what, e);
    return out;
}

/* ---- schemes ---- */

int ow_assess_store_scheme_insert(ow_db *db, const ow_assess_scheme_row *r, int64_t *id,
                                  ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO assess_schemes(year, unit_kind, name, notes, state,"
                             " created_at, updated_at) VALUES(?1, ?2, ?3, ?4, 'draft', ?5, ?5)"
                             " ON CONFLICT(year, unit_kind) DO NOTHING RETURNING id",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, r->year);
    ow_bind_text(st, 2, r->unit_kind);
    ow_bind_text(st, 3, r->name);
    ow_bind_text(st, 4, r->notes ? r->notes : "");
    ow_bind_int64(st, 5, r->created_at);
    int rc = ow_step(st);
    if (rc == OW_ROW) *id = ow_col_int64(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE)
        return ow_err_setk(e, OW_ECONFLICT, "duplicate", "year",
                           "%d 年度已有该类单位的考核方案，请直接修改", r->year);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "scheme insert", e);
}

int ow_assess_store_scheme_update(ow_db *db, int64_t id, const char *name, const char *notes,
                                  int64_t now, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE assess_schemes SET name = coalesce(?2, name),"
                             " notes = coalesce(?3, notes), updated_at = ?4 WHERE id = ?1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    bind_opt_text(st, 2, name);
    bind_opt_text(st, 3, notes);
    ow_bind_int64(st, 4, now);
    return done(db, st, "scheme update", e);
}

int ow_assess_store_scheme_issue(ow_db *db, int64_t id, const char *by, int64_t now, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE assess_schemes SET state = 'issued', issued_at = ?2,"
                             " issued_by = ?3, updated_at = ?2 WHERE id = ?1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, now);
    ow_bind_text(st, 3, by);
    return done(db, st, "scheme issue", e);
}

#define SCHEME_COLS                                                                                \
    "SELECT id, year, unit_kind, name, notes, state, issued_by, coalesce(issued_at, 0),"           \
    " created_at, updated_at FROM assess_schemes"

static void scheme_row(ow_stmt *st, ow_arena *a, ow_assess_scheme_row *r) {
    r->id = ow_col_int64(st, 0);
    r->year = ow_col_int(st, 1);
    r->unit_kind = dupe(a, st, 2);
    r->name = dupe(a, st, 3);
    r->notes = dupe(a, st, 4);
    r->state = dupe(a, st, 5);
    r->issued_by = dup(a, st, 6);
    r->issued_at = ow_col_int64(st, 7);
    r->created_at = ow_col_int64(st, 8);
    r->updated_at = ow_col_int64(st, 9);
}

int ow_assess_store_scheme_get(ow_db *db, int64_t id, ow_arena *a, ow_assess_scheme_row *out,
                               ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, SCHEME_COLS " WHERE id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) scheme_row(st, a, out);
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "id", "考核方案不存在");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "scheme", e);
}

int ow_assess_store_scheme_each(ow_db *db, int year, ow_arena *a,
                                int (*fn)(void *arg, const ow_assess_scheme_row *r), void *arg,
                                ow_err *e) {
    ow_stmt *st = ow_db_stmt(
        db, SCHEME_COLS " WHERE ?1 = 0 OR year = ?1 ORDER BY year DESC, unit_kind, id", e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, year);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_assess_scheme_row r;
        scheme_row(st, a, &r);
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "schemes", e);
}

int ow_assess_store_indicators_replace(ow_db *db, int64_t scheme_id, ow_assess_indicator_row *rows,
                                       int n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "DELETE FROM assess_indicators WHERE scheme_id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, scheme_id);
    int rc = done(db, st, "indicators clear", e);
    if (rc) return rc;
    for (int i = 0; i < n; i++) {
        st = ow_db_stmt(db,
                        "INSERT INTO assess_indicators(scheme_id, seq, name, metric, rule, weight,"
                        " bonus, params, description) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                        " RETURNING id",
                        e);
        if (!st) return OW_EDB;
        ow_bind_int64(st, 1, scheme_id);
        ow_bind_int(st, 2, i + 1);
        ow_bind_text(st, 3, rows[i].name);
        ow_bind_text(st, 4, rows[i].metric);
        ow_bind_text(st, 5, rows[i].rule);
        ow_bind_double(st, 6, rows[i].weight);
        ow_bind_int(st, 7, rows[i].bonus ? 1 : 0);
        ow_bind_text(st, 8, rows[i].params ? rows[i].params : "{}");
        ow_bind_text(st, 9, rows[i].description ? rows[i].description : "");
        if ((rc = returning(db, st, &rows[i].id, "indicator insert", e))) return rc;
        rows[i].seq = i + 1;
    }
    return OW_OK;
}

int ow_assess_store_indicators(ow_db *db, int64_t scheme_id, ow_arena *a,
                               ow_assess_indicator_row *rows, int max, int *n, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT id, seq, name, metric, rule, weight, bonus, params, description"
                   " FROM assess_indicators WHERE scheme_id = ?1 ORDER BY seq",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, scheme_id);
    *n = 0;
    int rc;
    while ((rc = ow_step(st)) == OW_ROW && *n < max) {
        ow_assess_indicator_row *r = &rows[(*n)++];
        r->id = ow_col_int64(st, 0);
        r->seq = ow_col_int(st, 1);
        r->name = dupe(a, st, 2);
        r->metric = dupe(a, st, 3);
        r->rule = dupe(a, st, 4);
        r->weight = ow_col_double(st, 5);
        r->bonus = ow_col_int(st, 6) == 1;
        r->params = dupe(a, st, 7);
        r->description = dupe(a, st, 8);
    }
    return walked(db, st, rc == OW_ROW ? OW_DONE : rc, OW_OK, "indicators", e);
}

/* ---- sheets ---- */

int ow_assess_store_sheet_next_version(ow_db *db, int64_t scheme_id, const char *period,
                                       int *version, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT coalesce(max(version), 0) + 1 FROM assess_sheets"
                             " WHERE scheme_id = ?1 AND period = ?2",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, scheme_id);
    ow_bind_text(st, 2, period);
    int rc = ow_step(st);
    if (rc == OW_ROW) *version = ow_col_int(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "sheet version", e);
}

int ow_assess_store_sheet_insert(ow_db *db, const ow_assess_sheet_row *r, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE assess_sheets SET is_current = 0"
                             " WHERE scheme_id = ?1 AND period = ?2 AND is_current = 1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, r->scheme_id);
    ow_bind_text(st, 2, r->period);
    int rc = done(db, st, "sheet supersede", e);
    if (rc) return rc;
    st = ow_db_stmt(db,
                    "INSERT INTO assess_sheets(scheme_id, period, period_kind, from_date, to_date,"
                    " cutoff, version, is_current, scheme, note, published_at, published_by)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?10, ?11) RETURNING id",
                    e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, r->scheme_id);
    ow_bind_text(st, 2, r->period);
    ow_bind_text(st, 3, r->period_kind);
    ow_bind_text(st, 4, r->from_date);
    ow_bind_text(st, 5, r->to_date);
    ow_bind_text(st, 6, r->cutoff);
    ow_bind_int(st, 7, r->version);
    ow_bind_text(st, 8, r->scheme);
    ow_bind_text(st, 9, r->note ? r->note : "");
    ow_bind_int64(st, 10, r->published_at);
    ow_bind_text(st, 11, r->published_by);
    return returning(db, st, id, "sheet insert", e);
}

#define SHEET_COLS                                                                                 \
    "SELECT s.id, s.scheme_id, s.period, s.period_kind, s.from_date, s.to_date, s.cutoff,"         \
    " s.version, s.is_current, s.scheme, s.note, s.published_by, s.published_at, m.year,"          \
    " m.unit_kind, m.name FROM assess_sheets s JOIN assess_schemes m ON m.id = s.scheme_id"

static void sheet_row(ow_stmt *st, ow_arena *a, ow_assess_sheet_row *r, bool with_scheme) {
    r->id = ow_col_int64(st, 0);
    r->scheme_id = ow_col_int64(st, 1);
    r->period = dupe(a, st, 2);
    r->period_kind = dupe(a, st, 3);
    r->from_date = dupe(a, st, 4);
    r->to_date = dupe(a, st, 5);
    r->cutoff = dupe(a, st, 6);
    r->version = ow_col_int(st, 7);
    r->is_current = ow_col_int(st, 8) == 1;
    r->scheme = with_scheme ? dupe(a, st, 9) : NULL;
    r->note = dupe(a, st, 10);
    r->published_by = dupe(a, st, 11);
    r->published_at = ow_col_int64(st, 12);
    r->year = ow_col_int(st, 13);
    r->unit_kind = dupe(a, st, 14);
    r->scheme_name = dupe(a, st, 15);
}

int ow_assess_store_sheet_get(ow_db *db, int64_t id, ow_arena *a, ow_assess_sheet_row *out,
                              ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, SHEET_COLS " WHERE s.id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) sheet_row(st, a, out, true);
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "id", "考核结果不存在");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "sheet", e);
}

int ow_assess_store_sheet_each(ow_db *db, int64_t scheme_id, int year, bool current_only,
                               ow_arena *a, int (*fn)(void *arg, const ow_assess_sheet_row *r),
                               void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   SHEET_COLS " WHERE (?1 = 0 OR s.scheme_id = ?1) AND (?2 = 0 OR m.year = ?2)"
                              " AND (?3 = 0 OR s.is_current = 1)"
                              " ORDER BY m.year DESC, m.unit_kind, s.from_date DESC,"
                              " s.to_date, s.version DESC",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, scheme_id);
    ow_bind_int(st, 2, year);
    ow_bind_int(st, 3, current_only ? 1 : 0);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_assess_sheet_row r;
        sheet_row(st, a, &r, false);
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "sheets", e);
}

int ow_assess_store_score_insert(ow_db *db, int64_t sheet_id, const ow_assess_score_row *r,
                                 ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO assess_scores(sheet_id, org_id, org_name, base, bonus,"
                             " total, rank) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, sheet_id);
    ow_bind_int64(st, 2, r->org_id);
    ow_bind_text(st, 3, r->org_name);
    ow_bind_double(st, 4, r->base);
    ow_bind_double(st, 5, r->bonus);
    ow_bind_double(st, 6, r->total);
    ow_bind_int(st, 7, r->rank);
    return done(db, st, "score insert", e);
}

int ow_assess_store_scores(ow_db *db, int64_t sheet_id, int64_t org_id, ow_arena *a,
                           int (*fn)(void *arg, const ow_assess_score_row *r), void *arg,
                           ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT org_id, org_name, base, bonus, total, rank FROM assess_scores"
                             " WHERE sheet_id = ?1 AND (?2 = 0 OR org_id = ?2)"
                             " ORDER BY rank, org_id",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, sheet_id);
    ow_bind_int64(st, 2, org_id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_assess_score_row r = {.org_id = ow_col_int64(st, 0),
                                 .org_name = dupe(a, st, 1),
                                 .base = ow_col_double(st, 2),
                                 .bonus = ow_col_double(st, 3),
                                 .total = ow_col_double(st, 4),
                                 .rank = ow_col_int(st, 5)};
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "scores", e);
}

int ow_assess_store_item_insert(ow_db *db, int64_t sheet_id, const ow_assess_item_row *r,
                                ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO assess_score_items(sheet_id, org_id, indicator_id,"
                             " has_data, value, num, den, score, note)"
                             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, sheet_id);
    ow_bind_int64(st, 2, r->org_id);
    ow_bind_int64(st, 3, r->indicator_id);
    ow_bind_int(st, 4, r->has_data ? 1 : 0);
    ow_bind_double(st, 5, r->value);
    ow_bind_int64(st, 6, r->num);
    ow_bind_int64(st, 7, r->den);
    ow_bind_double(st, 8, r->score);
    ow_bind_text(st, 9, r->note ? r->note : "");
    return done(db, st, "score item insert", e);
}

int ow_assess_store_items(ow_db *db, int64_t sheet_id, int64_t org_id, ow_arena *a,
                          int (*fn)(void *arg, const ow_assess_item_row *r), void *arg, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT org_id, indicator_id, has_data, value, num, den, score, note"
                             " FROM assess_score_items WHERE sheet_id = ?1"
                             " AND (?2 = 0 OR org_id = ?2) ORDER BY org_id, indicator_id",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, sheet_id);
    ow_bind_int64(st, 2, org_id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_assess_item_row r = {.org_id = ow_col_int64(st, 0),
                                .indicator_id = ow_col_int64(st, 1),
                                .has_data = ow_col_int(st, 2) == 1,
                                .value = ow_col_double(st, 3),
                                .num = ow_col_int64(st, 4),
                                .den = ow_col_int64(st, 5),
                                .score = ow_col_double(st, 6),
                                .note = dupe(a, st, 7)};
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "score items", e);
}

int ow_assess_store_record_insert(ow_db *db, int64_t sheet_id, const ow_assess_record_row *r,
                                  ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO assess_records(sheet_id, org_id, indicator_id, seq,"
                             " ref_type, ref_id, ref_no, title, event_date, due_date, detail)"
                             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, sheet_id);
    ow_bind_int64(st, 2, r->org_id);
    ow_bind_int64(st, 3, r->indicator_id);
    ow_bind_int(st, 4, r->seq);
    ow_bind_text(st, 5, r->ref_type);
    bind_opt_id(st, 6, r->ref_id);
    ow_bind_text(st, 7, r->ref_no ? r->ref_no : "");
    ow_bind_text(st, 8, r->title ? r->title : "");
    ow_bind_text(st, 9, r->event_date ? r->event_date : "");
    ow_bind_text(st, 10, r->due_date ? r->due_date : "");
    ow_bind_text(st, 11, r->detail ? r->detail : "");
    return done(db, st, "record insert", e);
}

int ow_assess_store_record_count(ow_db *db, int64_t sheet_id, int64_t org_id, int64_t indicator_id,
                                 int64_t *n, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT count(*) FROM assess_records WHERE sheet_id = ?1"
                             " AND org_id = ?2 AND indicator_id = ?3",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, sheet_id);
    ow_bind_int64(st, 2, org_id);
    ow_bind_int64(st, 3, indicator_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) *n = ow_col_int64(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "record count", e);
}

int ow_assess_store_records_page(ow_db *db, int64_t sheet_id, int64_t org_id, int64_t indicator_id,
                                 int limit, int64_t offset,
                                 int (*fn)(void *arg, const ow_assess_record_row *r), void *arg,
                                 ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT org_id, indicator_id, seq, ref_type, coalesce(ref_id, 0),"
                             " ref_no, title, event_date, due_date, detail FROM assess_records"
                             " WHERE sheet_id = ?1 AND org_id = ?2 AND indicator_id = ?3"
                             " ORDER BY seq LIMIT ?4 OFFSET ?5",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, sheet_id);
    ow_bind_int64(st, 2, org_id);
    ow_bind_int64(st, 3, indicator_id);
    ow_bind_int(st, 4, limit);
    ow_bind_int64(st, 5, offset);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_assess_record_row r = {.org_id = ow_col_int64(st, 0),
                                  .indicator_id = ow_col_int64(st, 1),
                                  .seq = ow_col_int(st, 2),
                                  .ref_type = ow_db_text(st, 3),
                                  .ref_id = ow_col_int64(st, 4),
                                  .ref_no = ow_db_text(st, 5),
                                  .title = ow_db_text(st, 6),
                                  .event_date = ow_db_text(st, 7),
                                  .due_date = ow_db_text(st, 8),
                                  .detail = ow_db_text(st, 9)};
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "records", e);
}

/* ---- adjustments ---- */

int ow_assess_store_adjustment_insert(ow_db *db, const ow_assess_adjustment_row *r, int64_t *id,
                                      ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "INSERT INTO assess_adjustments(scheme_id, indicator_id, org_id,"
                   " fact_date, points, reason, state, entered_by, entered_by_id,"
                   " created_at, updated_at)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'active', ?7, ?8, ?9, ?9) RETURNING id",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, r->scheme_id);
    ow_bind_int64(st, 2, r->indicator_id);
    ow_bind_int64(st, 3, r->org_id);
    ow_bind_text(st, 4, r->fact_date);
    ow_bind_double(st, 5, r->points);
    ow_bind_text(st, 6, r->reason);
    ow_bind_text(st, 7, r->entered_by);
    bind_opt_id(st, 8, r->entered_by_id);
    ow_bind_int64(st, 9, r->created_at);
    return returning(db, st, id, "adjustment insert", e);
}

#define ADJ_COLS                                                                                   \
    "SELECT j.id, j.scheme_id, j.indicator_id, j.org_id, j.fact_date, j.points, j.reason,"         \
    " j.state, j.void_reason, j.entered_by, coalesce(j.entered_by_id, 0), j.created_at,"           \
    " j.updated_at, o.name, i.name,"                                                               \
    " (SELECT count(*) FROM assess_files f WHERE f.owner_type = 'adjustment'"                      \
    "  AND f.owner_id = j.id)"                                                                     \
    " FROM assess_adjustments j JOIN orgs o ON o.id = j.org_id"                                    \
    " JOIN assess_indicators i ON i.id = j.indicator_id"

static void adj_row(ow_stmt *st, ow_arena *a, ow_assess_adjustment_row *r) {
    r->id = ow_col_int64(st, 0);
    r->scheme_id = ow_col_int64(st, 1);
    r->indicator_id = ow_col_int64(st, 2);
    r->org_id = ow_col_int64(st, 3);
    r->fact_date = dupe(a, st, 4);
    r->points = ow_col_double(st, 5);
    r->reason = dupe(a, st, 6);
    r->state = dupe(a, st, 7);
    r->void_reason = dup(a, st, 8);
    r->entered_by = dupe(a, st, 9);
    r->entered_by_id = ow_col_int64(st, 10);
    r->created_at = ow_col_int64(st, 11);
    r->updated_at = ow_col_int64(st, 12);
    r->org_name = dupe(a, st, 13);
    r->indicator_name = dupe(a, st, 14);
    r->files = ow_col_int(st, 15);
}

int ow_assess_store_adjustment_get(ow_db *db, int64_t id, ow_arena *a,
                                   ow_assess_adjustment_row *out, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, ADJ_COLS " WHERE j.id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) adj_row(st, a, out);
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "id", "加减分记录不存在");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "adjustment", e);
}

int ow_assess_store_adjustment_void(ow_db *db, int64_t id, const char *reason, int64_t now,
                                    ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE assess_adjustments SET state = 'void', void_reason = ?2,"
                             " updated_at = ?3 WHERE id = ?1 AND state = 'active'",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, reason);
    ow_bind_int64(st, 3, now);
    int rc = done(db, st, "adjustment void", e);
    if (!rc && ow_db_changes(db) != 1)
        return ow_err_setk(e, OW_ECONFLICT, "already_void", "id", "该加减分记录已撤销");
    return rc;
}

int ow_assess_store_adjustments(ow_db *db, const ow_assess_adjustment_filter *f, ow_arena *a,
                                int (*fn)(void *arg, const ow_assess_adjustment_row *r), void *arg,
                                ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   ADJ_COLS " WHERE (?1 = 0 OR j.scheme_id = ?1) AND (?2 = 0 OR j.org_id = ?2)"
                            " AND (?3 = 0 OR j.indicator_id = ?3)"
                            " AND (?4 = '' OR j.fact_date >= ?4)"
                            " AND (?5 = '' OR j.fact_date <= ?5)"
                            " AND (?6 = 0 OR j.state = 'active')"
                            " ORDER BY j.fact_date, j.id",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, f->scheme_id);
    ow_bind_int64(st, 2, f->org_id);
    ow_bind_int64(st, 3, f->indicator_id);
    ow_bind_text(st, 4, f->from ? f->from : "");
    ow_bind_text(st, 5, f->to ? f->to : "");
    ow_bind_int(st, 6, f->active_only ? 1 : 0);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_assess_adjustment_row r;
        adj_row(st, a, &r);
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "adjustments", e);
}

/* ---- files ---- */

int ow_assess_store_file_insert(ow_db *db, const ow_assess_file_row *r, int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO assess_files(owner_type, owner_id, sha256, filename,"
                             " content_type, size, uploaded_by, created_at)"
                             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, r->owner_type);
    ow_bind_int64(st, 2, r->owner_id);
    ow_bind_text(st, 3, r->sha256);
    ow_bind_text(st, 4, r->filename);
    ow_bind_text(st, 5, r->content_type);
    ow_bind_int64(st, 6, r->size);
    bind_opt_id(st, 7, r->uploaded_by);
    ow_bind_int64(st, 8, r->created_at);
    return returning(db, st, id, "file insert", e);
}

#define FILE_COLS                                                                                  \
    "SELECT id, owner_type, owner_id, sha256, filename, content_type, size,"                       \
    " coalesce(uploaded_by, 0), created_at FROM assess_files"

static void file_row(ow_stmt *st, ow_arena *a, ow_assess_file_row *r) {
    r->id = ow_col_int64(st, 0);
    r->owner_type = dupe(a, st, 1);
    r->owner_id = ow_col_int64(st, 2);
    r->sha256 = dupe(a, st, 3);
    r->filename = dupe(a, st, 4);
    r->content_type = dupe(a, st, 5);
    r->size = ow_col_int64(st, 6);
    r->uploaded_by = ow_col_int64(st, 7);
    r->created_at = ow_col_int64(st, 8);
}

int ow_assess_store_files(ow_db *db, const char *owner_type, int64_t owner_id, ow_arena *a,
                          int (*fn)(void *arg, const ow_assess_file_row *r), void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, FILE_COLS " WHERE owner_type = ?1 AND owner_id = ?2 ORDER BY id", e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, owner_type);
    ow_bind_int64(st, 2, owner_id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_assess_file_row r;
        file_row(st, a, &r);
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "files", e);
}

int ow_assess_store_file_get(ow_db *db, const char *owner_type, int64_t owner_id, int64_t id,
                             ow_arena *a, ow_assess_file_row *out, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db, FILE_COLS " WHERE id = ?1 AND owner_type = ?2 AND owner_id = ?3", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, owner_type);
    ow_bind_int64(st, 3, owner_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) file_row(st, a, out);
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "file_id", "佐证材料不存在");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "file", e);
}

/* ---- objections ---- */

int ow_assess_store_objection_insert(ow_db *db, const ow_assess_objection_row *r, int64_t *id,
                                     ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO assess_objections(sheet_id, scheme_id, period, org_id,"
                             " indicator_id, reason, state, filed_by, filed_by_id, filed_at)"
                             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?8, ?9)"
                             " ON CONFLICT(scheme_id, period, org_id) DO NOTHING RETURNING id",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, r->sheet_id);
    ow_bind_int64(st, 2, r->scheme_id);
    ow_bind_text(st, 3, r->period);
    ow_bind_int64(st, 4, r->org_id);
    bind_opt_id(st, 5, r->indicator_id);
    ow_bind_text(st, 6, r->reason);
    ow_bind_text(st, 7, r->filed_by);
    bind_opt_id(st, 8, r->filed_by_id);
    ow_bind_int64(st, 9, r->filed_at);
    int rc = ow_step(st);
    if (rc == OW_ROW) *id = ow_col_int64(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE)
        return ow_err_setk(e, OW_ECONFLICT, "objection_exists", "sheet_id",
                           "本单位对该期考核结果已提出过申诉，每期只能申诉一次");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "objection insert", e);
}

#define OBJ_COLS                                                                                   \
    "SELECT j.id, j.sheet_id, j.scheme_id, j.org_id, coalesce(j.indicator_id, 0), j.period,"       \
    " j.reason, j.state, j.filed_by, j.answer, j.answered_by, coalesce(j.filed_by_id, 0),"         \
    " j.filed_at, coalesce(j.answered_at, 0), o.name, coalesce(i.name, ''), m.name, m.year"        \
    " FROM assess_objections j JOIN orgs o ON o.id = j.org_id"                                     \
    " JOIN assess_schemes m ON m.id = j.scheme_id"                                                 \
    " LEFT JOIN assess_indicators i ON i.id = j.indicator_id"

static void obj_row(ow_stmt *st, ow_arena *a, ow_assess_objection_row *r) {
    r->id = ow_col_int64(st, 0);
    r->sheet_id = ow_col_int64(st, 1);
    r->scheme_id = ow_col_int64(st, 2);
    r->org_id = ow_col_int64(st, 3);
    r->indicator_id = ow_col_int64(st, 4);
    r->period = dupe(a, st, 5);
    r->reason = dupe(a, st, 6);
    r->state = dupe(a, st, 7);
    r->filed_by = dupe(a, st, 8);
    r->answer = dup(a, st, 9);
    r->answered_by = dup(a, st, 10);
    r->filed_by_id = ow_col_int64(st, 11);
    r->filed_at = ow_col_int64(st, 12);
    r->answered_at = ow_col_int64(st, 13);
    r->org_name = dupe(a, st, 14);
    r->indicator_name = dupe(a, st, 15);
    r->scheme_name = dupe(a, st, 16);
    r->year = ow_col_int(st, 17);
}

int ow_assess_store_objection_get(ow_db *db, int64_t id, ow_arena *a, ow_assess_objection_row *out,
                                  ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, OBJ_COLS " WHERE j.id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) obj_row(st, a, out);
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "id", "申诉不存在");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "objection", e);
}

int ow_assess_store_objection_find(ow_db *db, int64_t scheme_id, const char *period, int64_t org_id,
                                   int64_t *id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT id FROM assess_objections WHERE scheme_id = ?1"
                             " AND period = ?2 AND org_id = ?3",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, scheme_id);
    ow_bind_text(st, 2, period);
    ow_bind_int64(st, 3, org_id);
    int rc = ow_step(st);
    *id = rc == OW_ROW ? ow_col_int64(st, 0) : 0;
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW || rc == OW_DONE ? OW_OK : ow_db_fail(db, "objection find", e);
}

int ow_assess_store_objection_answer(ow_db *db, int64_t id, const char *state, const char *answer,
                                     const char *by, int64_t now, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE assess_objections SET state = ?2, answer = ?3,"
                             " answered_by = ?4, answered_at = ?5 WHERE id = ?1 AND state = 'open'",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_text(st, 2, state);
    ow_bind_text(st, 3, answer);
    ow_bind_text(st, 4, by);
    ow_bind_int64(st, 5, now);
    int rc = done(db, st, "objection answer", e);
    if (!rc && ow_db_changes(db) != 1)
        return ow_err_setk(e, OW_ECONFLICT, "already_answered", "id", "该申诉已答复");
    return rc;
}

int ow_assess_store_objections(ow_db *db, int64_t org_id, const char *state, int64_t sheet_id,
                               ow_arena *a, int (*fn)(void *arg, const ow_assess_objection_row *r),
                               void *arg, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   OBJ_COLS " WHERE (?1 = 0 OR j.org_id = ?1) AND (?2 = '' OR j.state = ?2)"
                            " AND (?3 = 0 OR j.sheet_id = ?3)"
                            " ORDER BY j.filed_at DESC, j.id DESC",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_text(st, 2, state ? state : "");
    ow_bind_int64(st, 3, sheet_id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_assess_objection_row r;
        obj_row(st, a, &r);
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "objections", e);
}

/* ---- the bulletin rule ---- */

int ow_assess_store_rule_get(ow_db *db, ow_arena *a, ow_assess_bulletin_rule *out, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT praise_top, improve_bottom, min_ratings, max_complaints,"
                             " w_satisfaction, w_speed, target_minutes, complaint_penalty,"
                             " updated_at, updated_by FROM assess_bulletin_rule WHERE id = 1",
                             e);
    if (!st) return OW_EDB;
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        out->praise_top = ow_col_int(st, 0);
        out->improve_bottom = ow_col_int(st, 1);
        out->min_ratings = ow_col_int(st, 2);
        out->max_complaints = ow_col_int(st, 3);
        out->w_satisfaction = ow_col_double(st, 4);
        out->w_speed = ow_col_double(st, 5);
        out->target_minutes = ow_col_int(st, 6);
        out->complaint_penalty = ow_col_double(st, 7);
        out->updated_at = ow_col_int64(st, 8);
        out->updated_by = dupe(a, st, 9);
    }
    ow_reset(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "", "简报规则不存在");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "bulletin rule", e);
}

int ow_assess_store_rule_put(ow_db *db, const ow_assess_bulletin_rule *r, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "UPDATE assess_bulletin_rule SET praise_top = ?1, improve_bottom = ?2,"
                             " min_ratings = ?3, max_complaints = ?4, w_satisfaction = ?5,"
                             " w_speed = ?6, target_minutes = ?7, complaint_penalty = ?8,"
                             " updated_at = ?9, updated_by = ?10 WHERE id = 1",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int(st, 1, r->praise_top);
    ow_bind_int(st, 2, r->improve_bottom);
    ow_bind_int(st, 3, r->min_ratings);
    ow_bind_int(st, 4, r->max_complaints);
    ow_bind_double(st, 5, r->w_satisfaction);
    ow_bind_double(st, 6, r->w_speed);
    ow_bind_int(st, 7, r->target_minutes);
    ow_bind_double(st, 8, r->complaint_penalty);
    ow_bind_int64(st, 9, r->updated_at);
    ow_bind_text(st, 10, r->updated_by);
    return done(db, st, "bulletin rule", e);
}

/* ---- bulletins ---- */

int ow_assess_store_bulletin_insert(ow_db *db, const ow_assess_bulletin_row *r, int64_t *id,
                                    ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO assess_bulletins(kind, period, ref_id, number, title,"
                             " content, issued_at, issued_by)"
                             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, r->kind);
    ow_bind_text(st, 2, r->period);
    bind_opt_id(st, 3, r->ref_id);
    ow_bind_text(st, 4, r->number);
    ow_bind_text(st, 5, r->title);
    ow_bind_text(st, 6, r->content);
    ow_bind_int64(st, 7, r->issued_at);
    ow_bind_text(st, 8, r->issued_by);
    return returning(db, st, id, "bulletin insert", e);
}

int ow_assess_store_bulletin_recipient(ow_db *db, int64_t bulletin_id, int64_t org_id, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             "INSERT INTO assess_bulletin_recipients(bulletin_id, org_id)"
                             " VALUES(?1, ?2) ON CONFLICT(bulletin_id, org_id) DO NOTHING",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, bulletin_id);
    ow_bind_int64(st, 2, org_id);
    return done(db, st, "bulletin recipient", e);
}

#define BULLETIN_COLS                                                                              \
    "SELECT b.id, b.kind, b.period, coalesce(b.ref_id, 0), b.number, b.title, b.content,"          \
    " b.issued_at, b.issued_by,"                                                                   \
    " (SELECT coalesce(max(r.read_at), 0) FROM assess_bulletin_recipients r"                       \
    "  WHERE r.bulletin_id = b.id AND r.org_id = ?1),"                                             \
    " (SELECT count(*) FROM assess_bulletin_recipients r WHERE r.bulletin_id = b.id),"             \
    " (SELECT count(*) FROM assess_bulletin_recipients r WHERE r.bulletin_id = b.id"               \
    "  AND r.read_at IS NOT NULL)"                                                                 \
    " FROM assess_bulletins b"

static void bulletin_row(ow_stmt *st, ow_arena *a, ow_assess_bulletin_row *r, bool content) {
    r->id = ow_col_int64(st, 0);
    r->kind = dupe(a, st, 1);
    r->period = dupe(a, st, 2);
    r->ref_id = ow_col_int64(st, 3);
    r->number = dupe(a, st, 4);
    r->title = dupe(a, st, 5);
    r->content = content ? dupe(a, st, 6) : NULL;
    r->issued_at = ow_col_int64(st, 7);
    r->issued_by = dupe(a, st, 8);
    r->read_at = ow_col_int64(st, 9);
    r->recipients = ow_col_int(st, 10);
    r->read = ow_col_int(st, 11);
}

int ow_assess_store_bulletin_get(ow_db *db, int64_t id, int64_t org_id, ow_arena *a,
                                 ow_assess_bulletin_row *out, ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             BULLETIN_COLS " WHERE b.id = ?2 AND (?1 = 0 OR EXISTS ("
                                           " SELECT 1 FROM assess_bulletin_recipients r"
                                           " WHERE r.bulletin_id = b.id AND r.org_id = ?1))",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_int64(st, 2, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) bulletin_row(st, a, out, true);
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "id", "简报不存在");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "bulletin", e);
}

int ow_assess_store_bulletin_count(ow_db *db, const char *kind, int64_t org_id, int64_t *n,
                                   ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT count(*) FROM assess_bulletins b WHERE (?1 = '' OR b.kind = ?1)"
                   " AND (?2 = 0 OR EXISTS (SELECT 1 FROM assess_bulletin_recipients r"
                   "  WHERE r.bulletin_id = b.id AND r.org_id = ?2))",
                   e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, kind ? kind : "");
    ow_bind_int64(st, 2, org_id);
    int rc = ow_step(st);
    if (rc == OW_ROW) *n = ow_col_int64(st, 0);
    ow_reset(st);
    ow_clear_bindings(st);
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "bulletin count", e);
}

int ow_assess_store_bulletins(ow_db *db, const char *kind, int64_t org_id, int limit,
                              int64_t offset, ow_arena *a,
                              int (*fn)(void *arg, const ow_assess_bulletin_row *r), void *arg,
                              ow_err *e) {
    ow_stmt *st = ow_db_stmt(db,
                             BULLETIN_COLS
                             " WHERE (?2 = '' OR b.kind = ?2)"
                             " AND (?1 = 0 OR EXISTS (SELECT 1 FROM assess_bulletin_recipients r"
                             "  WHERE r.bulletin_id = b.id AND r.org_id = ?1))"
                             " ORDER BY b.issued_at DESC, b.id DESC LIMIT ?3 OFFSET ?4",
                             e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, org_id);
    ow_bind_text(st, 2, kind ? kind : "");
    ow_bind_int(st, 3, limit);
    ow_bind_int64(st, 4, offset);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW) {
        ow_assess_bulletin_row r;
        bulletin_row(st, a, &r, false);
        if ((out = fn(arg, &r))) break;
    }
    return walked(db, st, rc, out, "bulletins", e);
}

int ow_assess_store_bulletin_read(ow_db *db, int64_t id, int64_t org_id, const char *by,
                                  int64_t now, ow_err *e) {
    ow_stmt *st =
        ow_db_stmt(db,
                   "UPDATE assess_bulletin_recipients SET read_at = coalesce(read_at, ?3),"
                   " read_by = coalesce(read_by, ?4) WHERE bulletin_id = ?1 AND org_id = ?2",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    ow_bind_int64(st, 2, org_id);
    ow_bind_int64(st, 3, now);
    ow_bind_text(st, 4, by);
    int rc = done(db, st, "bulletin read", e);
    if (!rc && ow_db_changes(db) != 1) return ow_err_set(e, OW_ENOTFOUND, "id", "简报不存在");
    return rc;
}

int ow_assess_store_bulletin_recipients(ow_db *db, int64_t id, ow_arena *a,
                                        int (*fn)(void *arg, int64_t org_id, const char *name,
                                                  int64_t read_at, const char *read_by),
                                        void *arg, ow_err *e) {
    (void)a;
    ow_stmt *st =
        ow_db_stmt(db,
                   "SELECT r.org_id, o.name, coalesce(r.read_at, 0), coalesce(r.read_by, '')"
                   " FROM assess_bulletin_recipients r JOIN orgs o ON o.id = r.org_id"
                   " WHERE r.bulletin_id = ?1 ORDER BY o.kind, o.sort, o.id",
                   e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_db_text(st, 1), ow_col_int64(st, 2),
                      ow_db_text(st, 3))))
            break;
    return walked(db, st, rc, out, "bulletin recipients", e);
}

/* ---- units ---- */

int ow_assess_store_units(ow_db *db, const char *kind, ow_arena *a,
                          int (*fn)(void *arg, int64_t id, const char *code, const char *name),
                          void *arg, ow_err *e) {
    (void)a;
    ow_stmt *st = ow_db_stmt(db,
                             "SELECT id, code, name FROM orgs WHERE kind = ?1 AND active = 1"
                             " ORDER BY sort, id",
                             e);
    if (!st) return OW_EDB;
    ow_bind_text(st, 1, kind);
    int rc, out = OW_OK;
    while ((rc = ow_step(st)) == OW_ROW)
        if ((out = fn(arg, ow_col_int64(st, 0), ow_db_text(st, 1), ow_db_text(st, 2)))) break;
    return walked(db, st, rc, out, "units", e);
}

int ow_assess_store_org(ow_db *db, int64_t id, ow_arena *a, const char **kind, const char **name,
                        ow_err *e) {
    ow_stmt *st = ow_db_stmt(db, "SELECT kind, name FROM orgs WHERE id = ?1", e);
    if (!st) return OW_EDB;
    ow_bind_int64(st, 1, id);
    int rc = ow_step(st);
    if (rc == OW_ROW) {
        *kind = dupe(a, st, 0);
        *name = dupe(a, st, 1);
    }
    ow_reset(st);
    ow_clear_bindings(st);
    if (rc == OW_DONE) return ow_err_set(e, OW_ENOTFOUND, "org_id", "单位不存在");
    return rc == OW_ROW ? OW_OK : ow_db_fail(db, "org", e);
}
